// SPDX-License-Identifier: GPL-2.0
/*
 * uab-hostile: asserts the behaviour of /dev/uaccess_bench, right after the
 * module was loaded (it checks the load-time pattern first, then restores
 * it when done).  Runs inside a booted lab kernel, as root.
 *
 *   uab-hostile [--expect-smap=on|off] [--expect-smep=on|off]
 *               [--expect-pan=on|off]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "uaccess_bench.h"
#include "tap.h"

/* Bits of /proc/sys/kernel/tainted set by an oops and by a WARN. */
#define TAINT_DIE	(1UL << 7)
#define TAINT_WARN	(1UL << 9)

/* A kernel direct-map address on x86_64; the kernel half on 32-bit. */
#define KERNEL_ADDR64	0xffff888000000000ULL
#if UINTPTR_MAX > 0xffffffffU
#define KERNEL_PTR	((void *)(uintptr_t)KERNEL_ADDR64)
#else
#define KERNEL_PTR	((void *)(uintptr_t)0xc0000000U)
#endif

struct expect {
	int smap, smep, pan;	/* UAB_PROT_*, or -1: not asked */
};

static const char *prot_name(unsigned int v)
{
	switch (v) {
	case UAB_PROT_OFF:
		return "off";
	case UAB_PROT_ON:
		return "on";
	case UAB_PROT_NA:
		return "na";
	default:
		return "invalid";
	}
}

static bool parse_expect(const char *arg, const char *name, int *out)
{
	size_t len = strlen(name);

	if (strncmp(arg, name, len) != 0 || arg[len] != '=')
		return false;
	if (strcmp(arg + len + 1, "on") == 0)
		*out = UAB_PROT_ON;
	else if (strcmp(arg + len + 1, "off") == 0)
		*out = UAB_PROT_OFF;
	else
		*out = -2;
	return true;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: uab-hostile [--expect-smap=on|off] "
		"[--expect-smep=on|off] [--expect-pan=on|off]\n");
}

static unsigned long read_taint(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	unsigned long taint = 0;

	if (f) {
		if (fscanf(f, "%lu", &taint) != 1)
			taint = 0;
		fclose(f);
	}
	return taint;
}

#if defined(__x86_64__) || defined(__i386__)
/* Whether /proc/cpuinfo's first "flags" line lists flag as a word. */
static int cpuinfo_has_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *tok, *save, *colon = strchr(line, ':');

		if (strncmp(line, "flags", 5) != 0 || !colon)
			continue;
		found = 0;
		for (tok = strtok_r(colon + 1, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save))
			if (strcmp(tok, flag) == 0)
				found = 1;
		break;
	}
	fclose(f);
	return found;
}
#endif

static bool dev_is_devtmpfs(void)
{
	FILE *f = fopen("/proc/self/mounts", "r");
	char dev[256], dir[256], type[64];
	bool found = false;

	if (!f)
		return false;
	while (fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
		if (strcmp(dir, "/dev") == 0)
			found = strcmp(type, "devtmpfs") == 0;
	fclose(f);
	return found;
}

/* ret must be -1 with errno err. */
static void expect_errno(long ret, int err, const char *errname,
			 const char *what)
{
	int saved = errno;

	if (!tap_check(ret == -1 && saved == err, "%s: %s", what, errname))
		tap_note("got ret=%ld errno=%d (%s)", ret, ret == -1 ? saved : 0,
			 ret == -1 ? strerror(saved) : "no error");
}

static long do_copy(int fd, uint64_t addr, uint64_t len, uint32_t dir,
		    uint32_t flags)
{
	struct uab_copy c = {
		.addr = addr, .len = len, .direction = dir, .flags = flags,
	};

	return ioctl(fd, UAB_IOC_COPY, &c);
}

static uint64_t ptr_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Bytes after the terminating NUL must be zero: nothing leaked. */
static bool str_field_clean(const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);
	size_t i;

	if (!nul || nul == s)
		return false;
	for (i = (size_t)(nul - s); i < size; i++)
		if (s[i])
			return false;
	return true;
}

static void check_node(void)
{
	struct stat st;

	if (!tap_check(stat(UAB_DEVICE_PATH, &st) == 0 && S_ISCHR(st.st_mode),
		       "%s is a character device", UAB_DEVICE_PATH))
		return;
	if (!dev_is_devtmpfs()) {
		tap_skip("/dev is not devtmpfs", "device node mode is 0600");
		return;
	}
	if (!tap_check((st.st_mode & 07777) == 0600,
		       "device node mode is 0600"))
		tap_note("mode is %04o", (unsigned int)(st.st_mode & 07777));
}

static bool prot_valid(unsigned int v)
{
	return v == UAB_PROT_OFF || v == UAB_PROT_ON || v == UAB_PROT_NA;
}

static void check_expect(const char *name, int want, unsigned int got)
{
	if (want < 0)
		return;
	tap_check(got == (unsigned int)want, "%s measured %s (expected %s)",
		  name, prot_name(got), prot_name((unsigned int)want));
}

/* Per-architecture meaning of the protection fields. */
static void check_arch_prot(const struct uab_status *s)
{
#if defined(__x86_64__) || defined(__i386__)
	static const char *const flags[] = { "smap", "smep" };
	const unsigned int states[] = { s->smap, s->smep };
	size_t i;

	tap_check(s->smap != UAB_PROT_NA && s->smep != UAB_PROT_NA &&
		  s->pan == UAB_PROT_NA && s->pan_kind == UAB_PAN_NONE,
		  "x86: smap/smep measured, pan not applicable");
	for (i = 0; i < 2; i++) {
		int has = cpuinfo_has_flag(flags[i]);

		if (has < 0) {
			tap_skip("no flags in /proc/cpuinfo",
				 "%s agrees with /proc/cpuinfo", flags[i]);
			continue;
		}
		tap_check(states[i] == (has ? UAB_PROT_ON : UAB_PROT_OFF),
			  "%s %s agrees with /proc/cpuinfo (%s)", flags[i],
			  prot_name(states[i]), has ? "listed" : "absent");
	}
#elif defined(__aarch64__) || defined(__arm__)
	tap_check(s->smap == UAB_PROT_NA && s->smep == UAB_PROT_NA &&
		  s->pan != UAB_PROT_NA,
		  "arm: pan measured, smap/smep not applicable");
#else
	tap_check(s->smap == UAB_PROT_NA && s->smep == UAB_PROT_NA &&
		  s->pan == UAB_PROT_NA, "no protection applicable here");
#endif
	tap_check((s->pan == UAB_PROT_ON) == (s->pan_kind != UAB_PAN_NONE) &&
		  s->pan_kind <= UAB_PAN_DOMAIN,
		  "pan_kind %u consistent with pan %s", s->pan_kind,
		  prot_name(s->pan));
}

/* Returns the buffer size, 0 when STATUS is unusable. */
static uint64_t check_status(int fd, const struct expect *want)
{
	struct uab_status s;
	struct utsname u;

	memset(&s, 0xa5, sizeof(s));
	if (!tap_check(ioctl(fd, UAB_IOC_STATUS, &s) == 0, "STATUS succeeds")) {
		tap_note("errno %d (%s)", errno, strerror(errno));
		return 0;
	}
	tap_note("STATUS: abi %u arch %.64s release %.64s buf_size %llu "
		 "smap %s smep %s pan %s pan_kind %u", s.abi_version,
		 s.arch, s.release, (unsigned long long)s.buf_size,
		 prot_name(s.smap), prot_name(s.smep), prot_name(s.pan),
		 s.pan_kind);
	tap_check(s.abi_version == UAB_ABI_VERSION, "STATUS abi_version %u",
		  s.abi_version);
	tap_check(s.reserved == 0, "STATUS reserved is zero");
	tap_check(str_field_clean(s.arch, sizeof(s.arch)),
		  "STATUS arch NUL-terminated, zero-filled after");
	tap_check(str_field_clean(s.release, sizeof(s.release)),
		  "STATUS release NUL-terminated, zero-filled after");
	tap_check(uname(&u) == 0 && strcmp(u.release, s.release) == 0 &&
		  strcmp(u.machine, s.arch) == 0,
		  "STATUS arch and release match uname");
	tap_check(prot_valid(s.smap) && prot_valid(s.smep) &&
		  prot_valid(s.pan), "STATUS protection values valid");
	check_arch_prot(&s);
	check_expect("smap", want->smap, s.smap);
	check_expect("smep", want->smep, s.smep);
	check_expect("pan", want->pan, s.pan);
	if (!tap_check(s.buf_size >= 4096 && s.buf_size <= (64U << 20),
		       "STATUS buf_size %llu within 4 KiB..64 MiB",
		       (unsigned long long)s.buf_size))
		return 0;
	expect_errno(ioctl(fd, UAB_IOC_STATUS, NULL), EFAULT, "EFAULT",
		     "STATUS to NULL");
	expect_errno(ioctl(fd, UAB_IOC_STATUS, KERNEL_PTR), EFAULT, "EFAULT",
		     "STATUS to a kernel address");
	return s.buf_size;
}

static bool is_pattern(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != uab_pattern_byte(i))
			return false;
	return true;
}

static void fill_random(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245U + 12345U;
		p[i] = (uint8_t)(seed >> 16);
	}
}

/* Load-time contents, clamping, and the ignored file position. */
static void check_read_pattern(int fd, uint8_t *buf, size_t size)
{
	uint8_t small[16];

	tap_check(read(fd, buf, size) == (ssize_t)size &&
		  is_pattern(buf, size),
		  "read of buf_size bytes returns the load-time pattern");
	memset(buf, 0, size + 4096);
	tap_check(read(fd, buf, size + 4096) == (ssize_t)size &&
		  is_pattern(buf, size),
		  "read beyond buf_size is clamped to buf_size");
	tap_check(read(fd, small, sizeof(small)) == sizeof(small) &&
		  read(fd, small, sizeof(small)) == sizeof(small) &&
		  is_pattern(small, sizeof(small)),
		  "repeated reads start at offset 0 (position ignored)");
	tap_check(read(fd, small, 0) == 0, "read of 0 bytes returns 0");
	expect_errno(lseek(fd, 16, SEEK_SET), ESPIPE, "ESPIPE", "lseek");
	expect_errno(pread(fd, small, sizeof(small), 0), ESPIPE, "ESPIPE",
		     "pread");
}

static void check_round_trips(int fd, uint8_t *buf, size_t size)
{
	uint8_t *a = malloc(size), *b = malloc(size + 4096);
	size_t n = size < 65536 ? size : 65536;

	if (!tap_check(a && b, "allocate %zu bytes", size))
		goto out;
	fill_random(a, size, 1);
	tap_check(write(fd, a, n) == (ssize_t)n &&
		  read(fd, b, n) == (ssize_t)n && memcmp(a, b, n) == 0,
		  "write then read returns the bytes written (%zu)", n);
	fill_random(a, size, 2);
	tap_check(do_copy(fd, ptr_u64(a), n, UAB_COPY_FROM_USER, 0) == 0 &&
		  read(fd, b, n) == (ssize_t)n && memcmp(a, b, n) == 0,
		  "COPY from user then read returns the bytes");
	fill_random(a, size, 3);
	memset(b, 0, n);
	tap_check(write(fd, a, n) == (ssize_t)n &&
		  do_copy(fd, ptr_u64(b), n, UAB_COPY_TO_USER, 0) == 0 &&
		  memcmp(a, b, n) == 0,
		  "write then COPY to user returns the bytes");
	fill_random(a, size, 4);
	memset(b, 0, 1);
	tap_check(do_copy(fd, ptr_u64(a), 1, UAB_COPY_FROM_USER, 0) == 0 &&
		  do_copy(fd, ptr_u64(b), 1, UAB_COPY_TO_USER, 0) == 0 &&
		  a[0] == b[0], "COPY of 1 byte both ways");
	fill_random(a, size, 5);
	tap_check(do_copy(fd, ptr_u64(a), size, UAB_COPY_FROM_USER, 0) == 0 &&
		  do_copy(fd, ptr_u64(b), size, UAB_COPY_TO_USER, 0) == 0 &&
		  memcmp(a, b, size) == 0, "COPY of buf_size bytes both ways");
	fill_random(b, size + 4096, 6);
	tap_check(write(fd, b, size + 4096) == (ssize_t)size &&
		  read(fd, buf, size) == (ssize_t)size &&
		  memcmp(b, buf, size) == 0,
		  "write beyond buf_size is clamped to buf_size");
out:
	free(a);
	free(b);
}

/* NULL, unmapped, half-mapped and kernel addresses: EFAULT, no oops. */
static void check_bad_pointers(int fd, size_t size)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *hole, *half;
	struct {
		const char *name;
		void *p;
		size_t len;
	} bad[3];
	size_t i;

	hole = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	half = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!tap_check(hole != MAP_FAILED && half != MAP_FAILED &&
		       munmap(hole, 2 * page) == 0 &&
		       munmap(half + page, page) == 0,
		       "map and unmap probe pages"))
		return;

	bad[0].name = "NULL";
	bad[0].p = NULL;
	bad[1].name = "an unmapped address";
	bad[1].p = hole;
	bad[2].name = "a kernel address";
	bad[2].p = KERNEL_PTR;
	for (i = 0; i < 3; i++) {
		char what[96];

		snprintf(what, sizeof(what), "read to %s", bad[i].name);
		expect_errno(read(fd, bad[i].p, 64), EFAULT, "EFAULT", what);
		snprintf(what, sizeof(what), "write from %s", bad[i].name);
		expect_errno(write(fd, bad[i].p, 64), EFAULT, "EFAULT", what);
		snprintf(what, sizeof(what), "COPY to user at %s", bad[i].name);
		expect_errno(do_copy(fd, ptr_u64(bad[i].p), 64,
				     UAB_COPY_TO_USER, 0),
			     EFAULT, "EFAULT", what);
		snprintf(what, sizeof(what), "COPY from user at %s",
			 bad[i].name);
		expect_errno(do_copy(fd, ptr_u64(bad[i].p), 64,
				     UAB_COPY_FROM_USER, 0),
			     EFAULT, "EFAULT", what);
	}
	/* Every bitness: the full 64-bit kernel address in the u64 field. */
	expect_errno(do_copy(fd, KERNEL_ADDR64, 64, UAB_COPY_TO_USER, 0),
		     EFAULT, "EFAULT", "COPY to user at 0xffff888000000000");
	expect_errno(do_copy(fd, KERNEL_ADDR64, 64, UAB_COPY_FROM_USER, 0),
		     EFAULT, "EFAULT", "COPY from user at 0xffff888000000000");
	if (2 * page <= size) {
		expect_errno(read(fd, half, 2 * page), EFAULT, "EFAULT",
			     "read into a half-unmapped buffer");
		expect_errno(do_copy(fd, ptr_u64(half), 2 * page,
				     UAB_COPY_FROM_USER, 0),
			     EFAULT, "EFAULT",
			     "COPY from a half-unmapped buffer");
	}
	expect_errno(ioctl(fd, UAB_IOC_COPY, NULL), EFAULT, "EFAULT",
		     "COPY with a NULL request");
	expect_errno(ioctl(fd, UAB_IOC_COPY, hole), EFAULT, "EFAULT",
		     "COPY with an unmapped request");
	munmap(half, page);
}

static void check_bad_requests(int fd, uint8_t *buf, uint64_t size)
{
	const uint64_t addr = ptr_u64(buf);

	expect_errno(do_copy(fd, addr, 16, UAB_COPY_TO_USER, 1), EINVAL,
		     "EINVAL", "COPY with flags 1");
	expect_errno(do_copy(fd, addr, 16, UAB_COPY_TO_USER, 0x80000000U),
		     EINVAL, "EINVAL", "COPY with flags 0x80000000");
	expect_errno(do_copy(fd, addr, 16, 0, 0), EINVAL, "EINVAL",
		     "COPY with direction 0");
	expect_errno(do_copy(fd, addr, 16, 3, 0), EINVAL, "EINVAL",
		     "COPY with direction 3");
	expect_errno(do_copy(fd, addr, 0, UAB_COPY_TO_USER, 0), EINVAL,
		     "EINVAL", "COPY with len 0");
	expect_errno(do_copy(fd, addr, size + 1, UAB_COPY_TO_USER, 0),
		     EINVAL, "EINVAL", "COPY with len buf_size + 1");
	expect_errno(do_copy(fd, addr, UINT64_MAX, UAB_COPY_FROM_USER, 0),
		     EINVAL, "EINVAL", "COPY with len 2^64 - 1");
	/* Bad length and bad address together: the request is invalid. */
	expect_errno(do_copy(fd, 0, 0, UAB_COPY_FROM_USER, 0), EINVAL,
		     "EINVAL", "COPY with len 0 at NULL");
}

static void check_unknown_commands(int fd)
{
	struct uab_status s;
	static const unsigned long raw[] = { 0, 3, 0x12345678UL };
	size_t i;

	expect_errno(ioctl(fd, _IOR(UAB_IOC_MAGIC, 0x03, struct uab_status),
			   &s), ENOTTY, "ENOTTY", "unknown nr 3, same magic");
	expect_errno(ioctl(fd, _IO(UAB_IOC_MAGIC, 0x01)), ENOTTY, "ENOTTY",
		     "STATUS nr without direction and size");
	expect_errno(ioctl(fd, _IOW(UAB_IOC_MAGIC, 0x01, struct uab_status),
			   &s), ENOTTY, "ENOTTY", "STATUS nr with _IOW");
	expect_errno(ioctl(fd, _IOR(UAB_IOC_MAGIC, 0x02, struct uab_copy),
			   &s), ENOTTY, "ENOTTY", "COPY nr with _IOR");
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		char what[48];

		snprintf(what, sizeof(what), "raw command %#lx", raw[i]);
		expect_errno(ioctl(fd, raw[i], &s), ENOTTY, "ENOTTY", what);
	}
}

static void restore_pattern(int fd, uint8_t *buf, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = uab_pattern_byte(i);
	tap_check(write(fd, buf, size) == (ssize_t)size &&
		  read(fd, buf, size) == (ssize_t)size &&
		  is_pattern(buf, size), "load-time pattern restored");
}

int main(int argc, char **argv)
{
	struct expect want = { -1, -1, -1 };
	unsigned long taint_before;
	uint8_t *buf;
	uint64_t size;
	int i, fd;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (!parse_expect(argv[i], "--expect-smap", &want.smap) &&
		    !parse_expect(argv[i], "--expect-smep", &want.smep) &&
		    !parse_expect(argv[i], "--expect-pan", &want.pan)) {
			fprintf(stderr, "uab-hostile: unknown argument '%s'\n",
				argv[i]);
			return 2;
		}
		if (want.smap == -2 || want.smep == -2 || want.pan == -2) {
			fprintf(stderr, "uab-hostile: '%s': expected on or "
				"off\n", argv[i]);
			return 2;
		}
	}

	taint_before = read_taint();
	fd = open(UAB_DEVICE_PATH, O_RDWR);
	if (!tap_check(fd >= 0, "open %s", UAB_DEVICE_PATH)) {
		tap_note("%s (is the module loaded?)", strerror(errno));
		return tap_finish();
	}
	check_node();
	size = check_status(fd, &want);
	if (!size)
		return tap_finish();
	buf = malloc(size + 4096);
	if (!tap_check(buf != NULL, "allocate %llu bytes",
		       (unsigned long long)size + 4096))
		return tap_finish();

	check_read_pattern(fd, buf, size);
	check_round_trips(fd, buf, size);
	check_bad_pointers(fd, size);
	check_bad_requests(fd, buf, size);
	check_unknown_commands(fd);
	restore_pattern(fd, buf, size);
	tap_check(!(read_taint() & ~taint_before & (TAINT_DIE | TAINT_WARN)),
		  "kernel neither oopsed nor warned (taint %lu -> %lu)",
		  taint_before, read_taint());

	free(buf);
	close(fd);
	return tap_finish();
}
