// SPDX-License-Identifier: GPL-2.0
/*
 * uab-hostile: asserts the behaviour of /dev/uaccess_bench, right after the
 * module was loaded (it checks the load-time pattern first, then restores
 * it when done).  Runs inside a booted lab kernel, as root.  KTAP (TAP
 * version 13) with a plan; every test runs in a forked child, so one that
 * crashes fails alone.  Bad addresses are the variants of one test.
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
#include "uab_schema.h"
#include "ktap.h"

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

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct expect {
	int smap, smep, pan;	/* UAB_PROT_*, or -1: not asked */
};

/* Set by main before any test is forked. */
static struct expect want = { -1, -1, -1 };
static unsigned long taint_at_start;

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

	ktap_expect(ret == -1 && saved == err,
		    "%s: want %s, got ret=%ld errno=%d (%s)", what, errname,
		    ret, ret == -1 ? saved : 0,
		    ret == -1 ? strerror(saved) : "no error");
}

/* Whether /sys/module/uaccess_bench/parameters/NAME reads VALUE. */
static bool module_param_is(const char *name, const char *value)
{
	char path[128], got[16] = "";
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/module/uaccess_bench/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(got, sizeof(got), f))
		got[0] = '\0';
	fclose(f);
	got[strcspn(got, "\n")] = '\0';
	return strcmp(got, value) == 0;
}

/* Whether the parameter NAME reads the decimal number v. */
static bool module_param_is_u(const char *name, unsigned int v)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", v);
	return module_param_is(name, s);
}

/* Write s to the parameter at path: 0, or -1 with errno. */
static int write_param(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* What every test starts from: the device open and its STATUS read. */
struct fixture {
	int fd;
	struct uab_status st;
	uint64_t size;		/* buf_size */
	uint8_t *buf;		/* size + 4096 bytes */
};

static void fixture_setup(struct fixture *f)
{
	f->fd = open(UAB_DEVICE_PATH, O_RDWR);
	if (!ktap_expect(f->fd >= 0, "open %s: %s (is the module loaded?)",
			 UAB_DEVICE_PATH, strerror(errno)))
		exit(1);
	memset(&f->st, 0xa5, sizeof(f->st));
	if (!ktap_expect(ioctl(f->fd, UAB_IOC_STATUS, &f->st) == 0,
			 "STATUS: %s", strerror(errno)))
		exit(1);
	f->size = f->st.buf_size;
	if (!ktap_expect(f->size >= 4096 && f->size <= (64U << 20),
			 "STATUS buf_size %llu within 4 KiB..64 MiB",
			 (unsigned long long)f->size))
		exit(1);
	f->buf = malloc(f->size + 4096);
	if (!ktap_expect(f->buf != NULL, "allocate %llu bytes",
			 (unsigned long long)f->size + 4096))
		exit(1);
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

static bool prot_valid(unsigned int v)
{
	return v == UAB_PROT_OFF || v == UAB_PROT_ON || v == UAB_PROT_NA;
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

/* --- the tests; each runs in its own child ----------------------------- */

static void test_node(const void *arg)
{
	struct stat st;

	(void)arg;
	if (!ktap_expect(stat(UAB_DEVICE_PATH, &st) == 0 &&
			 S_ISCHR(st.st_mode), "%s is a character device",
			 UAB_DEVICE_PATH))
		return;
	if (!dev_is_devtmpfs())
		ktap_child_skip("/dev is not devtmpfs: mode not the module's");
	ktap_expect((st.st_mode & 07777) == 0600,
		    "device node mode is %04o, want 0600",
		    (unsigned int)(st.st_mode & 07777));
}

static void expect_state(const char *name, int wanted, unsigned int got)
{
	if (wanted >= 0)
		ktap_expect(got == (unsigned int)wanted,
			    "%s measured %s, expected %s", name,
			    uab_prot_word(got), uab_prot_word((unsigned int)wanted));
}

/* Per-architecture meaning of the protection fields. */
static void expect_arch_prot(const struct uab_status *s)
{
#if defined(__x86_64__) || defined(__i386__)
	static const char *const flags[] = { "smap", "smep" };
	const unsigned int states[] = { s->smap, s->smep };
	size_t i;

	ktap_expect(s->smap != UAB_PROT_NA && s->smep != UAB_PROT_NA &&
		    s->pan == UAB_PROT_NA && s->pan_kind == UAB_PAN_NONE,
		    "x86: smap/smep measured, pan not applicable");
	for (i = 0; i < ARRAY_LEN(flags); i++) {
		int has = cpuinfo_has_flag(flags[i]);

		if (has < 0) {
			ktap_diag("no flags in /proc/cpuinfo: %s unchecked",
				  flags[i]);
			continue;
		}
		ktap_expect(states[i] == (has ? UAB_PROT_ON : UAB_PROT_OFF),
			    "%s %s disagrees with /proc/cpuinfo (%s)",
			    flags[i], uab_prot_word(states[i]),
			    has ? "listed" : "absent");
	}
#elif defined(__aarch64__) || defined(__arm__)
	ktap_expect(s->smap == UAB_PROT_NA && s->smep == UAB_PROT_NA &&
		    s->pan != UAB_PROT_NA,
		    "arm: pan measured, smap/smep not applicable");
#else
	ktap_expect(s->smap == UAB_PROT_NA && s->smep == UAB_PROT_NA &&
		    s->pan == UAB_PROT_NA, "no protection applicable here");
#endif
	ktap_expect((s->pan == UAB_PROT_ON) == (s->pan_kind != UAB_PAN_NONE) &&
		    s->pan_kind <= UAB_PAN_DOMAIN,
		    "pan_kind %u consistent with pan %s", s->pan_kind,
		    uab_prot_word(s->pan));
}

static void test_status(const void *arg)
{
	const struct uab_status *s;
	struct fixture f;
	struct utsname u;

	(void)arg;
	fixture_setup(&f);
	s = &f.st;
	ktap_diag("STATUS: abi %u arch %.64s release %.64s buf_size %llu "
		  "smap %s smep %s pan %s pan_kind %u", s->abi_version,
		  s->arch, s->release, (unsigned long long)s->buf_size,
		  uab_prot_word(s->smap), uab_prot_word(s->smep), uab_prot_word(s->pan),
		  s->pan_kind);
	ktap_expect(s->abi_version == UAB_ABI_VERSION, "abi_version %u",
		    s->abi_version);
	ktap_expect(s->inject_ticks <= UAB_INJECT_TICKS_MAX &&
		    module_param_is_u("inject_ticks", s->inject_ticks),
		    "inject_ticks %u in range, as its parameter says",
		    s->inject_ticks);
	ktap_expect(str_field_clean(s->arch, sizeof(s->arch)),
		    "arch NUL-terminated, zero-filled after");
	ktap_expect(str_field_clean(s->release, sizeof(s->release)),
		    "release NUL-terminated, zero-filled after");
	ktap_expect(uname(&u) == 0 && strcmp(u.release, s->release) == 0 &&
		    strcmp(u.machine, s->arch) == 0,
		    "arch and release match uname");
	ktap_expect(prot_valid(s->smap) && prot_valid(s->smep) &&
		    prot_valid(s->pan), "protection values valid");
	expect_arch_prot(s);
	expect_state("smap", want.smap, s->smap);
	expect_state("smep", want.smep, s->smep);
	expect_state("pan", want.pan, s->pan);
}

static void test_status_bad_pointers(const void *arg)
{
	struct fixture f;

	(void)arg;
	fixture_setup(&f);
	expect_errno(ioctl(f.fd, UAB_IOC_STATUS, NULL), EFAULT, "EFAULT",
		     "STATUS to NULL");
	expect_errno(ioctl(f.fd, UAB_IOC_STATUS, KERNEL_PTR), EFAULT,
		     "EFAULT", "STATUS to a kernel address");
}

/* Load-time contents, clamping, and the ignored file position. */
static void test_read_pattern(const void *arg)
{
	uint8_t small[16];
	struct fixture f;

	(void)arg;
	fixture_setup(&f);
	ktap_expect(read(f.fd, f.buf, f.size) == (ssize_t)f.size &&
		    is_pattern(f.buf, f.size),
		    "read of buf_size bytes returns the load-time pattern");
	memset(f.buf, 0, f.size + 4096);
	ktap_expect(read(f.fd, f.buf, f.size + 4096) == (ssize_t)f.size &&
		    is_pattern(f.buf, f.size),
		    "read beyond buf_size is clamped to buf_size");
	ktap_expect(read(f.fd, small, sizeof(small)) == sizeof(small) &&
		    read(f.fd, small, sizeof(small)) == sizeof(small) &&
		    is_pattern(small, sizeof(small)),
		    "repeated reads start at offset 0 (position ignored)");
	ktap_expect(read(f.fd, small, 0) == 0, "read of 0 bytes returns 0");
	expect_errno(lseek(f.fd, 16, SEEK_SET), ESPIPE, "ESPIPE", "lseek");
	expect_errno(pread(f.fd, small, sizeof(small), 0), ESPIPE, "ESPIPE",
		     "pread");
}

static void test_round_trips(const void *arg)
{
	struct fixture f;
	uint8_t *a, *b;
	size_t size, n;

	(void)arg;
	fixture_setup(&f);
	size = f.size;
	n = size < 65536 ? size : 65536;
	a = malloc(size);
	b = malloc(size + 4096);
	if (!ktap_expect(a && b, "allocate %zu bytes", size))
		return;
	fill_random(a, size, 1);
	ktap_expect(write(f.fd, a, n) == (ssize_t)n &&
		    read(f.fd, b, n) == (ssize_t)n && memcmp(a, b, n) == 0,
		    "write then read returns the bytes written (%zu)", n);
	fill_random(a, size, 2);
	ktap_expect(do_copy(f.fd, ptr_u64(a), n, UAB_COPY_FROM_USER, 0) == 0 &&
		    read(f.fd, b, n) == (ssize_t)n && memcmp(a, b, n) == 0,
		    "COPY from user then read returns the bytes");
	fill_random(a, size, 3);
	memset(b, 0, n);
	ktap_expect(write(f.fd, a, n) == (ssize_t)n &&
		    do_copy(f.fd, ptr_u64(b), n, UAB_COPY_TO_USER, 0) == 0 &&
		    memcmp(a, b, n) == 0,
		    "write then COPY to user returns the bytes");
	fill_random(a, size, 4);
	memset(b, 0, 1);
	ktap_expect(do_copy(f.fd, ptr_u64(a), 1, UAB_COPY_FROM_USER, 0) == 0 &&
		    do_copy(f.fd, ptr_u64(b), 1, UAB_COPY_TO_USER, 0) == 0 &&
		    a[0] == b[0], "COPY of 1 byte both ways");
	fill_random(a, size, 5);
	ktap_expect(do_copy(f.fd, ptr_u64(a), size, UAB_COPY_FROM_USER, 0) ==
		    0 && do_copy(f.fd, ptr_u64(b), size, UAB_COPY_TO_USER, 0) ==
		    0 && memcmp(a, b, size) == 0,
		    "COPY of buf_size bytes both ways");
	fill_random(b, size + 4096, 6);
	ktap_expect(write(f.fd, b, size + 4096) == (ssize_t)size &&
		    read(f.fd, f.buf, size) == (ssize_t)size &&
		    memcmp(b, f.buf, size) == 0,
		    "write beyond buf_size is clamped to buf_size");
}

/* The variants of the bad-pointer test. */
enum bad_kind { BAD_NULL, BAD_UNMAPPED, BAD_KERNEL, BAD_HALF_UNMAPPED };

struct bad_address {
	const char *name;
	enum bad_kind kind;
};

static const struct bad_address bad_addresses[] = {
	{ "NULL", BAD_NULL },
	{ "an unmapped address", BAD_UNMAPPED },
	{ "a kernel address", BAD_KERNEL },
	{ "a half-unmapped buffer", BAD_HALF_UNMAPPED },
};

/* A range of len bytes of the given kind; *len may be lengthened. */
static uint8_t *bad_range(enum bad_kind kind, size_t *len)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *p;

	switch (kind) {
	case BAD_NULL:
		return NULL;
	case BAD_KERNEL:
		return KERNEL_PTR;
	case BAD_UNMAPPED:
	case BAD_HALF_UNMAPPED:
		break;
	}
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		ktap_child_skip("cannot map probe pages");
	/* Half-unmapped: the first page is real, the copy runs off it. */
	if (kind == BAD_HALF_UNMAPPED) {
		memset(p, 1, page);
		munmap(p + page, page);
		*len = 2 * page;
	} else {
		munmap(p, 2 * page);
	}
	return p;
}

/* NULL, unmapped, half-mapped and kernel addresses: EFAULT, no oops. */
static void test_bad_pointer(const void *arg)
{
	const struct bad_address *bad = arg;
	size_t len = 64;
	struct fixture f;
	char what[96];
	uint8_t *p;

	fixture_setup(&f);
	p = bad_range(bad->kind, &len);
	if (len > f.size)
		ktap_child_skip("buf_size smaller than two pages");
	snprintf(what, sizeof(what), "read to %s", bad->name);
	expect_errno(read(f.fd, p, len), EFAULT, "EFAULT", what);
	if (bad->kind != BAD_HALF_UNMAPPED) {
		snprintf(what, sizeof(what), "write from %s", bad->name);
		expect_errno(write(f.fd, p, len), EFAULT, "EFAULT", what);
		snprintf(what, sizeof(what), "COPY to user at %s", bad->name);
		expect_errno(do_copy(f.fd, ptr_u64(p), len, UAB_COPY_TO_USER,
				     0), EFAULT, "EFAULT", what);
	}
	snprintf(what, sizeof(what), "COPY from user at %s", bad->name);
	expect_errno(do_copy(f.fd, ptr_u64(p), len, UAB_COPY_FROM_USER, 0),
		     EFAULT, "EFAULT", what);
}

/* Every bitness: the full 64-bit kernel address in the u64 field. */
static void test_kernel_addr64(const void *arg)
{
	struct fixture f;

	(void)arg;
	fixture_setup(&f);
	expect_errno(do_copy(f.fd, KERNEL_ADDR64, 64, UAB_COPY_TO_USER, 0),
		     EFAULT, "EFAULT", "COPY to user at 0xffff888000000000");
	expect_errno(do_copy(f.fd, KERNEL_ADDR64, 64, UAB_COPY_FROM_USER, 0),
		     EFAULT, "EFAULT", "COPY from user at 0xffff888000000000");
}

static void test_bad_request_struct(const void *arg)
{
	size_t len = 64;
	struct fixture f;

	(void)arg;
	fixture_setup(&f);
	expect_errno(ioctl(f.fd, UAB_IOC_COPY, NULL), EFAULT, "EFAULT",
		     "COPY with a NULL request");
	expect_errno(ioctl(f.fd, UAB_IOC_COPY, bad_range(BAD_UNMAPPED, &len)),
		     EFAULT, "EFAULT", "COPY with an unmapped request");
}

static void test_bad_requests(const void *arg)
{
	struct fixture f;
	uint64_t addr;

	(void)arg;
	fixture_setup(&f);
	addr = ptr_u64(f.buf);
	expect_errno(do_copy(f.fd, addr, 16, UAB_COPY_TO_USER, 1), EINVAL,
		     "EINVAL", "COPY with flags 1");
	expect_errno(do_copy(f.fd, addr, 16, UAB_COPY_TO_USER, 0x80000000U),
		     EINVAL, "EINVAL", "COPY with flags 0x80000000");
	expect_errno(do_copy(f.fd, addr, 16, 0, 0), EINVAL, "EINVAL",
		     "COPY with direction 0");
	expect_errno(do_copy(f.fd, addr, 16, 3, 0), EINVAL, "EINVAL",
		     "COPY with direction 3");
	expect_errno(do_copy(f.fd, addr, 0, UAB_COPY_TO_USER, 0), EINVAL,
		     "EINVAL", "COPY with len 0");
	expect_errno(do_copy(f.fd, addr, f.size + 1, UAB_COPY_TO_USER, 0),
		     EINVAL, "EINVAL", "COPY with len buf_size + 1");
	expect_errno(do_copy(f.fd, addr, UINT64_MAX, UAB_COPY_FROM_USER, 0),
		     EINVAL, "EINVAL", "COPY with len 2^64 - 1");
	/* Bad length and bad address together: the request is invalid. */
	expect_errno(do_copy(f.fd, 0, 0, UAB_COPY_FROM_USER, 0), EINVAL,
		     "EINVAL", "COPY with len 0 at NULL");
}

static void test_unknown_commands(const void *arg)
{
	static const unsigned long raw[] = { 0, 3, 0x12345678UL };
	struct uab_status s;
	struct fixture f;
	size_t i;

	(void)arg;
	fixture_setup(&f);
	expect_errno(ioctl(f.fd, _IOR(UAB_IOC_MAGIC, 0x04, struct uab_status),
			   &s), ENOTTY, "ENOTTY", "unknown nr 4, same magic");
	expect_errno(ioctl(f.fd, _IO(UAB_IOC_MAGIC, 0x01)), ENOTTY, "ENOTTY",
		     "STATUS nr without direction and size");
	expect_errno(ioctl(f.fd, _IOW(UAB_IOC_MAGIC, 0x01, struct uab_status),
			   &s), ENOTTY, "ENOTTY", "STATUS nr with _IOW");
	expect_errno(ioctl(f.fd, _IOR(UAB_IOC_MAGIC, 0x02, struct uab_copy),
			   &s), ENOTTY, "ENOTTY", "COPY nr with _IOR");
	expect_errno(ioctl(f.fd, _IOW(UAB_IOC_MAGIC, 0x03, struct uab_probe),
			   &s), ENOTTY, "ENOTTY", "PROBE nr with _IOW");
	for (i = 0; i < ARRAY_LEN(raw); i++) {
		char what[48];

		snprintf(what, sizeof(what), "raw command %#lx", raw[i]);
		expect_errno(ioctl(f.fd, raw[i], &s), ENOTTY, "ENOTTY", what);
	}
}

/* Without allow_probes=1 no probe may run, whatever the request. */
static void test_probes_refused(const void *arg)
{
	static const uint32_t ops[] = {
		UAB_PROBE_READ, UAB_PROBE_WRITE, UAB_PROBE_UACCESS_READ,
		UAB_PROBE_EXEC, 0, 99,
	};
	struct uab_probe p;
	struct fixture f;
	char what[48];
	size_t i;

	(void)arg;
	if (module_param_is("allow_probes", "Y"))
		ktap_child_skip("module loaded with allow_probes=1");
	fixture_setup(&f);
	for (i = 0; i < ARRAY_LEN(ops); i++) {
		memset(&p, 0, sizeof(p));
		p.addr = ptr_u64(f.buf);
		p.op = ops[i];
		snprintf(what, sizeof(what), "PROBE op %u", ops[i]);
		expect_errno(ioctl(f.fd, UAB_IOC_PROBE, &p), EPERM, "EPERM",
			     what);
	}
	expect_errno(ioctl(f.fd, UAB_IOC_PROBE, NULL), EPERM, "EPERM",
		     "PROBE with a NULL request");
}

static void test_restore_pattern(const void *arg)
{
	struct fixture f;
	size_t i;

	(void)arg;
	fixture_setup(&f);
	for (i = 0; i < f.size; i++)
		f.buf[i] = uab_pattern_byte(i);
	ktap_expect(write(f.fd, f.buf, f.size) == (ssize_t)f.size &&
		    read(f.fd, f.buf, f.size) == (ssize_t)f.size &&
		    is_pattern(f.buf, f.size), "load-time pattern restored");
}

/*
 * inject_ticks at its limits: 0 and the maximum are taken and reported by
 * STATUS, anything above or not a number is refused and changes nothing.
 * The value found is put back (a known-cost boot loads with one).
 */
static void test_inject_ticks(const void *arg)
{
	static const struct {
		const char *val, *errname;
		int err;
	} bad[] = {
		{ "1000001", "EINVAL", EINVAL },	/* the maximum + 1 */
		{ "4294967296", "ERANGE", ERANGE },	/* past 32 bits */
		{ "-1", "EINVAL", EINVAL },
		{ "abc", "EINVAL", EINVAL },
	};
	char max[16], prev[16];
	struct fixture f;
	size_t i;

	(void)arg;
	fixture_setup(&f);
	snprintf(max, sizeof(max), "%u", UAB_INJECT_TICKS_MAX);
	snprintf(prev, sizeof(prev), "%u", f.st.inject_ticks);
	ktap_expect(write_param(UAB_INJECT_PARAM_PATH, "0") == 0 &&
		    ioctl(f.fd, UAB_IOC_STATUS, &f.st) == 0 &&
		    f.st.inject_ticks == 0, "inject_ticks=0 taken");
	ktap_expect(write_param(UAB_INJECT_PARAM_PATH, max) == 0 &&
		    ioctl(f.fd, UAB_IOC_STATUS, &f.st) == 0 &&
		    f.st.inject_ticks == UAB_INJECT_TICKS_MAX,
		    "inject_ticks=%s taken", max);
	for (i = 0; i < ARRAY_LEN(bad); i++)
		expect_errno(write_param(UAB_INJECT_PARAM_PATH, bad[i].val),
			     bad[i].err, bad[i].errname, bad[i].val);
	ktap_expect(module_param_is_u("inject_ticks", UAB_INJECT_TICKS_MAX),
		    "refused writes left inject_ticks at the maximum");
	ktap_expect(write_param(UAB_INJECT_PARAM_PATH, prev) == 0 &&
		    module_param_is_u("inject_ticks",
				      (unsigned int)strtoul(prev, NULL, 10)),
		    "inject_ticks restored to %s", prev);
}

static long do_loop(int fd, uint32_t op, uint64_t addr, uint64_t len,
		    uint32_t iters, uint32_t fields, struct uab_loop *out)
{
	struct uab_loop l = {
		.addr = addr, .len = len, .op = op, .iters = iters,
		.fields = fields,
	};
	long ret = ioctl(fd, UAB_IOC_LOOP, &l);

	if (out)
		*out = l;
	return ret;
}

/* Whether this kernel has masked user access: x86-64 from 6.12. */
static bool kernel_masks(const struct uab_status *st)
{
	unsigned int major = 0, minor = 0;

	if (strcmp(st->arch, "x86_64") != 0 ||
	    sscanf(st->release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 12);
}

static void expect_loop_ok(long ret, const struct uab_loop *l,
			   uint64_t result, const char *what)
{
	int e = errno;

	ktap_expect(ret == 0 && l->ticks > 0 && l->result == result,
		    "LOOP %s: want 0, ticks > 0, result %llu; got ret=%ld "
		    "(%s) ticks=%llu result=%llu", what,
		    (unsigned long long)result, ret,
		    ret ? strerror(e) : "ok", (unsigned long long)l->ticks,
		    (unsigned long long)l->result);
}

/* Every op on a valid buffer: it runs, and did what it says. */
static void test_loop_ops(const void *arg)
{
	static const uint32_t widths[] = { 1, 2, 4, 8 };
	uint8_t a[64], b[64];
	uint64_t fields[UAB_LOOP_FIELDS_MAX], sum = 0, v;
	struct uab_loop l;
	struct fixture f;
	char what[64];
	size_t i;
	long ret;

	(void)arg;
	fixture_setup(&f);
	/* copy_to_user gives what read gives; copy_from_user what it got. */
	ktap_expect(read(f.fd, a, sizeof(a)) == (ssize_t)sizeof(a),
		    "read 64 bytes");
	memset(b, 0, sizeof(b));
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_COPY_TO_USER, ptr_u64(b),
			       sizeof(b), 1000, 0, &l), &l, 0, "COPY_TO_USER");
	ktap_expect(memcmp(a, b, sizeof(a)) == 0,
		    "COPY_TO_USER copied the kernel buffer");
	fill_random(b, sizeof(b), 7);
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_COPY_FROM_USER, ptr_u64(b),
			       sizeof(b), 1000, 0, &l), &l, 0,
		       "COPY_FROM_USER");
	ktap_expect(read(f.fd, a, sizeof(a)) == (ssize_t)sizeof(a) &&
		    memcmp(a, b, sizeof(a)) == 0,
		    "COPY_FROM_USER filled the kernel buffer");
	for (i = 0; i < ARRAY_LEN(widths); i++) {
		memset(b, 0xc3, sizeof(b));
		v = 0;
		memcpy(&v, b, widths[i]);
		snprintf(what, sizeof(what), "GET_USER of %u bytes", widths[i]);
		expect_loop_ok(do_loop(f.fd, UAB_LOOP_GET_USER, ptr_u64(b),
				       widths[i], 1000, 0, &l), &l, v, what);
		snprintf(what, sizeof(what), "PUT_USER of %u bytes", widths[i]);
		expect_loop_ok(do_loop(f.fd, UAB_LOOP_PUT_USER, ptr_u64(b),
				       widths[i], 1000, 0, &l), &l, 0, what);
		ktap_expect(b[0] == 0 && b[widths[i] - 1] == 0 &&
			    b[widths[i]] == 0xc3,
			    "PUT_USER stored %u zero bytes, no more",
			    widths[i]);
	}
	memset(b, 0xc3, sizeof(b));
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_CLEAR_USER, ptr_u64(b), 40,
			       1000, 0, &l), &l, 0, "CLEAR_USER");
	ktap_expect(b[0] == 0 && b[39] == 0 && b[40] == 0xc3,
		    "CLEAR_USER cleared 40 bytes, no more");
	memset(b, 0, sizeof(b));
	strcpy((char *)b, "hostile");
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_STRNCPY_FROM_USER, ptr_u64(b),
			       sizeof(b), 1000, 0, &l), &l, 7,
		       "STRNCPY_FROM_USER");
	ktap_expect(read(f.fd, a, 8) == 8 && memcmp(a, "hostile", 8) == 0,
		    "STRNCPY_FROM_USER copied the string and its NUL");
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_STRNLEN_USER, ptr_u64(b),
			       sizeof(b), 1000, 0, &l), &l, 8,
		       "STRNLEN_USER (length with the NUL)");
	/* No NUL within len: a count above len (the string's, on x86). */
	ret = do_loop(f.fd, UAB_LOOP_STRNLEN_USER, ptr_u64(b), 4, 1000, 0, &l);
	ktap_expect(ret == 0 && l.result > 4,
		    "LOOP STRNLEN_USER capped at 4: want 0 and a result above "
		    "4, got ret=%ld result=%llu", ret,
		    (unsigned long long)l.result);
	for (i = 0; i < UAB_LOOP_FIELDS_MAX; i++) {
		fields[i] = 1000003ULL * (i + 1);
		sum += fields[i];
	}
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_FETCH_GET_USER, ptr_u64(fields),
			       sizeof(fields), 1000, UAB_LOOP_FIELDS_MAX, &l),
		       &l, sum, "FETCH_GET_USER of 16 fields");
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_FETCH_COPY, ptr_u64(fields),
			       sizeof(fields), 1000, UAB_LOOP_FIELDS_MAX, &l),
		       &l, sum, "FETCH_COPY of 16 fields");
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_FETCH_UNSAFE, ptr_u64(fields),
			       4 * sizeof(fields[0]), 1000, 4, &l), &l,
		       fields[0] + fields[1] + fields[2] + fields[3],
		       "FETCH_UNSAFE of 4 fields");
	ret = do_loop(f.fd, UAB_LOOP_FETCH_MASKED, ptr_u64(fields),
		      sizeof(fields[0]), 1000, 1, &l);
	if (kernel_masks(&f.st))
		expect_loop_ok(ret, &l, fields[0], "FETCH_MASKED of 1 field");
	else
		expect_errno(ret, EOPNOTSUPP, "EOPNOTSUPP",
			     "FETCH_MASKED where the kernel has no masking");
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_EMPTY, 0, 0, 100000, 0, &l), &l,
		       0, "EMPTY");
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_TOGGLE, 0, 0, 100000, 0, &l), &l,
		       0, "TOGGLE");
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_UACCESS_PAIR, ptr_u64(b), 1,
			       100000, 0, &l), &l, 0, "UACCESS_PAIR");
	/* Chunked and yielding: the maximum count of a cheap op. */
	expect_loop_ok(do_loop(f.fd, UAB_LOOP_EMPTY, 0, 0, UAB_LOOP_ITERS_MAX,
			       0, &l), &l, 0, "EMPTY, UAB_LOOP_ITERS_MAX times");
}

/* Malformed requests: EINVAL, whatever the buffer. */
static void test_loop_bad_requests(const void *arg)
{
	uint64_t fields[UAB_LOOP_FIELDS_MAX + 1] = { 0 };
	struct fixture f;
	uint64_t addr, fa;
	struct uab_loop l;

	(void)arg;
	fixture_setup(&f);
	addr = ptr_u64(f.buf);
	fa = ptr_u64(fields);
	memset(&l, 0, sizeof(l));
	l.addr = addr;
	l.len = 8;
	l.op = UAB_LOOP_COPY_TO_USER;
	l.iters = 1;
	l.flags = 1;
	expect_errno(ioctl(f.fd, UAB_IOC_LOOP, &l), EINVAL, "EINVAL",
		     "LOOP with flags 1");
	expect_errno(do_loop(f.fd, UAB_LOOP_COPY_TO_USER, addr, 8, 0, 0, NULL),
		     EINVAL, "EINVAL", "LOOP with iters 0");
	expect_errno(do_loop(f.fd, UAB_LOOP_EMPTY, 0, 0,
			     UAB_LOOP_ITERS_MAX + 1, 0, NULL),
		     EINVAL, "EINVAL", "LOOP with iters UAB_LOOP_ITERS_MAX + 1");
	expect_errno(do_loop(f.fd, 0, addr, 8, 1, 0, NULL), EINVAL, "EINVAL",
		     "LOOP with op 0");
	expect_errno(do_loop(f.fd, UAB_LOOP_UACCESS_PAIR + 1, addr, 8, 1, 0,
			     NULL), EINVAL, "EINVAL", "LOOP with an op past the last");
	expect_errno(do_loop(f.fd, UAB_LOOP_COPY_TO_USER, addr, 0, 1, 0, NULL),
		     EINVAL, "EINVAL", "COPY_TO_USER with len 0");
	expect_errno(do_loop(f.fd, UAB_LOOP_COPY_FROM_USER, addr, f.size + 1, 1,
			     0, NULL), EINVAL, "EINVAL",
		     "COPY_FROM_USER with len buf_size + 1");
	expect_errno(do_loop(f.fd, UAB_LOOP_STRNLEN_USER, addr, UINT64_MAX, 1,
			     0, NULL), EINVAL, "EINVAL",
		     "STRNLEN_USER with len 2^64 - 1");
	expect_errno(do_loop(f.fd, UAB_LOOP_GET_USER, addr, 3, 1, 0, NULL),
		     EINVAL, "EINVAL", "GET_USER of 3 bytes");
	expect_errno(do_loop(f.fd, UAB_LOOP_PUT_USER, addr, 16, 1, 0, NULL),
		     EINVAL, "EINVAL", "PUT_USER of 16 bytes");
	expect_errno(do_loop(f.fd, UAB_LOOP_COPY_TO_USER, addr, 8, 1, 1, NULL),
		     EINVAL, "EINVAL", "COPY_TO_USER with fields 1");
	expect_errno(do_loop(f.fd, UAB_LOOP_FETCH_COPY, fa, 0, 1, 0, NULL),
		     EINVAL, "EINVAL", "FETCH_COPY with fields 0");
	expect_errno(do_loop(f.fd, UAB_LOOP_FETCH_GET_USER, fa,
			     sizeof(fields), 1, UAB_LOOP_FIELDS_MAX + 1, NULL),
		     EINVAL, "EINVAL", "FETCH_GET_USER with 17 fields");
	expect_errno(do_loop(f.fd, UAB_LOOP_FETCH_UNSAFE, fa, 24, 1, 4, NULL),
		     EINVAL, "EINVAL", "FETCH_UNSAFE of 4 fields in 24 bytes");
	expect_errno(do_loop(f.fd, UAB_LOOP_EMPTY, addr, 0, 1, 0, NULL),
		     EINVAL, "EINVAL", "EMPTY with an address");
	expect_errno(do_loop(f.fd, UAB_LOOP_TOGGLE, 0, 8, 1, 0, NULL),
		     EINVAL, "EINVAL", "TOGGLE with a length");
	expect_errno(do_loop(f.fd, UAB_LOOP_UACCESS_PAIR, addr, 0, 1, 0, NULL),
		     EINVAL, "EINVAL", "UACCESS_PAIR with len 0");
	/* More than UAB_LOOP_BYTES_MAX in one call is refused, not run. */
	expect_errno(do_loop(f.fd, UAB_LOOP_COPY_TO_USER, addr, f.size,
			     (uint32_t)(UAB_LOOP_BYTES_MAX / f.size) + 1, 0,
			     NULL), EINVAL, "EINVAL",
		     "COPY_TO_USER of more than UAB_LOOP_BYTES_MAX");
	expect_errno(ioctl(f.fd, UAB_IOC_LOOP, NULL), EFAULT, "EFAULT",
		     "LOOP with a NULL request");
}

/* Every op that touches user memory, at bad addresses: EFAULT, no oops. */
static void test_loop_bad_pointer(const void *arg)
{
	static const struct {
		uint32_t op, fields;
		uint64_t len;
		const char *name;
	} ops[] = {
		{ UAB_LOOP_COPY_TO_USER, 0, 64, "COPY_TO_USER" },
		{ UAB_LOOP_COPY_FROM_USER, 0, 64, "COPY_FROM_USER" },
		{ UAB_LOOP_GET_USER, 0, 4, "GET_USER" },
		{ UAB_LOOP_PUT_USER, 0, 4, "PUT_USER" },
		{ UAB_LOOP_CLEAR_USER, 0, 64, "CLEAR_USER" },
		{ UAB_LOOP_STRNCPY_FROM_USER, 0, 64, "STRNCPY_FROM_USER" },
		{ UAB_LOOP_STRNLEN_USER, 0, 64, "STRNLEN_USER" },
		{ UAB_LOOP_FETCH_GET_USER, 4, 32, "FETCH_GET_USER" },
		{ UAB_LOOP_FETCH_COPY, 4, 32, "FETCH_COPY" },
		{ UAB_LOOP_FETCH_UNSAFE, 4, 32, "FETCH_UNSAFE" },
		{ UAB_LOOP_FETCH_MASKED, 4, 32, "FETCH_MASKED" },
	};
	const struct bad_address *bad = arg;
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct fixture f;
	char what[96];
	size_t i, len = 64;
	uint8_t *p;

	fixture_setup(&f);
	p = bad_range(bad->kind, &len);
	for (i = 0; i < ARRAY_LEN(ops); i++) {
		uint64_t at = ptr_u64(p), n = ops[i].len;

		if (ops[i].op == UAB_LOOP_FETCH_MASKED && !kernel_masks(&f.st))
			continue;
		/* Half-unmapped: the access starts on the real page and
		 * runs off it (strings: no NUL before the hole).
		 */
		if (bad->kind == BAD_HALF_UNMAPPED) {
			if (ops[i].op == UAB_LOOP_GET_USER ||
			    ops[i].op == UAB_LOOP_PUT_USER)
				continue;
			at += page - n / 2;
			/* Non-zero bytes: the ops before cleared some. */
			memset(p + page - n / 2, 1, n / 2);
		}
		snprintf(what, sizeof(what), "LOOP %s at %s", ops[i].name,
			 bad->name);
		expect_errno(do_loop(f.fd, ops[i].op, at, n, 10, ops[i].fields,
				     NULL), EFAULT, "EFAULT", what);
	}
}

/*
 * Every bitness: the full 64-bit kernel address. UACCESS_PAIR only asks
 * access_ok(), which refuses nothing else here (a 32-bit caller's
 * KERNEL_PTR is a user address to a 64-bit kernel).
 */
static void test_loop_kernel_addr64(const void *arg)
{
	struct fixture f;

	(void)arg;
	fixture_setup(&f);
	expect_errno(do_loop(f.fd, UAB_LOOP_COPY_TO_USER, KERNEL_ADDR64, 64,
			     10, 0, NULL), EFAULT, "EFAULT",
		     "LOOP COPY_TO_USER at 0xffff888000000000");
	expect_errno(do_loop(f.fd, UAB_LOOP_UACCESS_PAIR, KERNEL_ADDR64, 1,
			     10, 0, NULL), EFAULT, "EFAULT",
		     "LOOP UACCESS_PAIR at 0xffff888000000000");
}

static void test_no_oops(const void *arg)
{
	unsigned long now = read_taint();

	(void)arg;
	ktap_expect(!(now & ~taint_at_start & (TAINT_DIE | TAINT_WARN)),
		    "kernel oopsed or warned (taint %lu -> %lu)",
		    taint_at_start, now);
}

struct test {
	const char *name;
	void (*fn)(const void *arg);
	const void *arg;
};

/* In order: the pattern is checked before anything writes. */
static const struct test tests[] = {
	{ "device node", test_node, NULL },
	{ "STATUS", test_status, NULL },
	{ "STATUS to bad pointers", test_status_bad_pointers, NULL },
	{ "read: load-time pattern, clamping, no position",
	  test_read_pattern, NULL },
	{ "round trips", test_round_trips, NULL },
	{ "bad pointer: NULL", test_bad_pointer, &bad_addresses[0] },
	{ "bad pointer: unmapped", test_bad_pointer, &bad_addresses[1] },
	{ "bad pointer: kernel", test_bad_pointer, &bad_addresses[2] },
	{ "bad pointer: half-unmapped", test_bad_pointer, &bad_addresses[3] },
	{ "bad pointer: 64-bit kernel address", test_kernel_addr64, NULL },
	{ "COPY with bad request pointers", test_bad_request_struct, NULL },
	{ "COPY with invalid requests", test_bad_requests, NULL },
	{ "unknown commands", test_unknown_commands, NULL },
	{ "PROBE refused without allow_probes", test_probes_refused, NULL },
	{ "LOOP: every op does what it says", test_loop_ops, NULL },
	{ "LOOP with invalid requests", test_loop_bad_requests, NULL },
	{ "LOOP at NULL", test_loop_bad_pointer, &bad_addresses[0] },
	{ "LOOP at an unmapped address", test_loop_bad_pointer,
	  &bad_addresses[1] },
	{ "LOOP at a kernel address", test_loop_bad_pointer,
	  &bad_addresses[2] },
	{ "LOOP off a half-unmapped buffer", test_loop_bad_pointer,
	  &bad_addresses[3] },
	{ "LOOP at a 64-bit kernel address", test_loop_kernel_addr64, NULL },
	{ "restore the load-time pattern", test_restore_pattern, NULL },
	{ "inject_ticks at its limits", test_inject_ticks, NULL },
	{ "kernel neither oopsed nor warned", test_no_oops, NULL },
};

int main(int argc, char **argv)
{
	size_t i;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (!parse_expect(argv[i], "--expect-smap", &want.smap) &&
		    !parse_expect(argv[i], "--expect-smep", &want.smep) &&
		    !parse_expect(argv[i], "--expect-pan", &want.pan)) {
			fprintf(stderr, "uab-hostile: unknown argument '%s'\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
		if (want.smap == -2 || want.smep == -2 || want.pan == -2) {
			fprintf(stderr, "uab-hostile: '%s': expected on or "
				"off\n", argv[i]);
			return 2;
		}
	}

	taint_at_start = read_taint();
	ktap_plan(ARRAY_LEN(tests));
	for (i = 0; i < ARRAY_LEN(tests); i++)
		ktap_run_child(tests[i].name, tests[i].fn, tests[i].arg);
	return ktap_finish();
}
