/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uaccess_bench ioctl ABI, shared by the helper module and userspace.
 *
 * All structs use fixed-width fields and carry pointers as __u64, so that
 * 32-bit callers on 64-bit kernels see the same layout (compat_ioctl).
 *
 * read(2) and write(2) on the device copy min(count, buf_size) bytes between
 * the caller and the kernel buffer, always starting at buffer offset 0; the
 * file position is neither used nor advanced, so a benchmark loop moves the
 * same bytes every time and a reader never sees end of file.  A request
 * larger than the buffer is clamped: it returns buf_size, a short count.
 */
#ifndef _UAPI_UACCESS_BENCH_H
#define _UAPI_UACCESS_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UAB_DEVICE_NAME		"uaccess_bench"
#define UAB_DEVICE_PATH		"/dev/" UAB_DEVICE_NAME
#define UAB_ABI_VERSION		3

/*
 * Byte i of the kernel buffer as the module fills it at load time.  Mixing
 * in bits 8-15 makes a copy from the wrong offset visible within 64 KiB.
 * Writes replace the contents: the pattern holds until the first write.
 */
static inline __u8 uab_pattern_byte(__u64 i)
{
	return (__u8)((i ^ (i >> 8)) * 0x9d + 0x5a);
}

/* Protection state values: measured in the running kernel. */
#define UAB_PROT_OFF		0
#define UAB_PROT_ON		1
#define UAB_PROT_NA		2	/* not applicable on this architecture */

/* How PAN is provided, when it is on (uab_status.pan_kind). */
#define UAB_PAN_NONE		0
#define UAB_PAN_HW		1	/* ARMv8.1 PSTATE.PAN */
#define UAB_PAN_TTBR0		2	/* arm64 CONFIG_ARM64_SW_TTBR0_PAN */
#define UAB_PAN_DOMAIN		3	/* arm CONFIG_CPU_SW_DOMAIN_PAN */

#define UAB_STR_LEN		64

/*
 * inject_ticks (module parameter, root-writable in sysfs): every uaccess
 * on the benchmark paths (read, write, the COPY ioctl's request fetch and
 * its copy) busy-waits this many ticks of the counter userspace reads
 * (x86 TSC, arm64 CNTVCT, arm CLOCK_MONOTONIC_RAW ns), so that a cost of
 * known size can be recovered end to end.  0..UAB_INJECT_TICKS_MAX.
 */
#define UAB_INJECT_TICKS_MAX	1000000
#define UAB_INJECT_PARAM_PATH	"/sys/module/" UAB_DEVICE_NAME \
				"/parameters/inject_ticks"

/*
 * smap and smep are UAB_PROT_ON only when the bit is set in CR4 on every
 * online CPU.
 */
struct uab_status {
	__u32 abi_version;	/* UAB_ABI_VERSION */
	__u32 smap;		/* x86 CR4.SMAP: UAB_PROT_* */
	__u32 smep;		/* x86 CR4.SMEP: UAB_PROT_* */
	__u32 pan;		/* arm/arm64 PAN in use: UAB_PROT_* */
	__u32 pan_kind;		/* UAB_PAN_* */
	__u32 inject_ticks;	/* injected cost per uaccess, counter ticks */
	__u64 buf_size;		/* kernel buffer size in bytes */
	char arch[UAB_STR_LEN];		/* utsname machine, NUL-terminated */
	char release[UAB_STR_LEN];	/* utsname release, NUL-terminated */
};

/* uab_copy.direction */
#define UAB_COPY_TO_USER	1	/* kernel buffer -> user (copy_to_user) */
#define UAB_COPY_FROM_USER	2	/* user -> kernel buffer (copy_from_user) */

/*
 * Copies len bytes between addr and the start of the kernel buffer.
 * Errors: EINVAL when flags is not zero, direction is unknown or len is
 * outside 1..buf_size; EFAULT when addr..addr+len is not the caller's
 * accessible memory.
 */
struct uab_copy {
	__u64 addr;		/* user pointer */
	__u64 len;		/* bytes, 1..buf_size */
	__u32 direction;	/* UAB_COPY_* */
	__u32 flags;		/* must be zero */
};

/* uab_probe.op: fault probes, refused (EPERM) unless allow_probes=1 */
#define UAB_PROBE_READ		1	/* plain 32-bit load from addr */
#define UAB_PROBE_WRITE		2	/* plain 32-bit store of value to addr */
#define UAB_PROBE_UACCESS_READ	3	/* the load through unsafe_get_user() */
#define UAB_PROBE_EXEC		4	/* call the code at addr, get its result */

/*
 * A deliberate kernel access to user memory.  READ, WRITE and EXEC bypass
 * the uaccess API, so a working SMAP/SMEP/PAN/PXN turns them into an oops
 * that kills the caller; UACCESS_READ uses the API and must succeed.
 * EXEC calls addr as "__u32 fn(void)" in kernel mode.
 * Errors: EPERM when the module was not loaded with allow_probes=1;
 * EINVAL for an unknown op, non-zero flags or reserved, or an addr that
 * is not 4-byte aligned; EFAULT for an UACCESS_READ the API refuses, or
 * an addr that is not a user address at all (above TASK_SIZE).
 */
struct uab_probe {
	__u64 addr;		/* user address */
	__u32 op;		/* UAB_PROBE_* */
	__u32 flags;		/* must be zero */
	__u32 value;		/* in: WRITE's value; out: READs' and EXEC's */
	__u32 reserved;		/* must be zero */
};

/* uab_loop.op: the primitive each iteration runs once */
#define UAB_LOOP_COPY_TO_USER		1	/* copy_to_user, len bytes */
#define UAB_LOOP_COPY_FROM_USER		2	/* copy_from_user, len bytes */
#define UAB_LOOP_GET_USER		3	/* get_user of len (1,2,4,8) */
#define UAB_LOOP_PUT_USER		4	/* put_user of len (1,2,4,8) */
#define UAB_LOOP_CLEAR_USER		5	/* clear_user, len bytes */
#define UAB_LOOP_STRNCPY_FROM_USER	6	/* at most len bytes */
#define UAB_LOOP_STRNLEN_USER		7	/* at most len bytes */
#define UAB_LOOP_FETCH_GET_USER		8	/* fields get_user calls */
#define UAB_LOOP_FETCH_COPY		9	/* one copy_from_user */
#define UAB_LOOP_FETCH_UNSAFE		10	/* one user access block */
#define UAB_LOOP_FETCH_MASKED		11	/* the same, masked */
#define UAB_LOOP_EMPTY			12	/* nothing: the loop alone */
#define UAB_LOOP_TOGGLE			13	/* one bare toggle pair */
#define UAB_LOOP_UACCESS_PAIR		14	/* user_access_begin + end */

#define UAB_LOOP_ITERS_MAX	0x1000000U	/* 2^24 */
#define UAB_LOOP_FIELDS_MAX	16
/* iters * len may not exceed this: bounds one call's work. */
#define UAB_LOOP_BYTES_MAX	0x100000000ULL	/* 4 GiB */

/*
 * Runs one uaccess primitive iters times inside the kernel on the
 * caller's buffer at addr, and returns the counter ticks the iterations
 * took (the counter inject_ticks counts; yields excluded).
 *   COPY_*, CLEAR_USER: len bytes at addr, 1..buf_size.
 *   GET_USER, PUT_USER: one len-byte value at addr (len 1, 2, 4 or 8;
 *     PUT_USER stores zeros).
 *   STRNCPY_FROM_USER, STRNLEN_USER: the string at addr, at most len
 *     bytes (1..buf_size) are read.
 *   FETCH_*: a struct of fields u64 at addr (1..UAB_LOOP_FIELDS_MAX);
 *     len must be fields * 8. GET_USER: fields get_user calls; COPY:
 *     one copy_from_user; UNSAFE: fields unsafe_get_user inside one
 *     user_access_begin block; MASKED: the same block opened with
 *     masked_user_access_begin (x86-64 from 6.12).
 *   EMPTY, TOGGLE: addr and len must be zero. TOGGLE issues the
 *     architecture's bare protection switch and its undo, the ones the
 *     kernel's uaccess routines use: x86 stac/clac, arm64 the privileged
 *     uaccess enable/disable (PSTATE.PAN or TTBR0), arm the domain
 *     switch (DACR); a kernel without the protection patches or compiles
 *     them out.
 *   UACCESS_PAIR: user_access_begin(addr, len) and user_access_end(),
 *     with what the kernel adds to them (x86: barrier_nospec).
 * result: STRNCPY/STRNLEN the last return value; GET_USER and FETCH_*
 * the sum of the values read in the last iteration; otherwise 0.
 * Errors: EINVAL for an unknown op, non-zero flags, iters outside
 * 1..UAB_LOOP_ITERS_MAX, a len or fields the op does not take, or
 * iters * len above UAB_LOOP_BYTES_MAX; EFAULT when the user memory is
 * not accessible; EOPNOTSUPP for FETCH_MASKED on a kernel without masked
 * user access; EINTR when a fatal signal arrived.
 */
struct uab_loop {
	__u64 addr;		/* user pointer */
	__u64 len;		/* bytes, see the op */
	__u32 op;		/* UAB_LOOP_* */
	__u32 iters;		/* 1..UAB_LOOP_ITERS_MAX */
	__u32 fields;		/* FETCH_*: u64 fields, else 0 */
	__u32 flags;		/* must be zero */
	__u64 ticks;		/* out: counter ticks of the iterations */
	__u64 result;		/* out: see above */
};

/* Magic: see kmod/README.md for why this byte is free. */
#define UAB_IOC_MAGIC		0xBB
#define UAB_IOC_STATUS		_IOR(UAB_IOC_MAGIC, 0x01, struct uab_status)
#define UAB_IOC_COPY		_IOW(UAB_IOC_MAGIC, 0x02, struct uab_copy)
#define UAB_IOC_PROBE		_IOWR(UAB_IOC_MAGIC, 0x03, struct uab_probe)
#define UAB_IOC_LOOP		_IOWR(UAB_IOC_MAGIC, 0x04, struct uab_loop)

#endif /* _UAPI_UACCESS_BENCH_H */
