/*
 * Workloads. Each op is one operation; a short result marks the context
 * failed (one well-predicted branch) so a broken workload cannot produce
 * plausible numbers. Adding one: an op, WL_BATCH() for it, a descriptor.
 */
#define _GNU_SOURCE
#include "workload.h"

#include "batch.h"
#include "kloop.h"
#include "wl_common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void close_fds(struct wl_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	c->fd[0] = c->fd[1] = -1;
	free_buf(c);
}

/* Module workloads: copy_to_user / copy_from_user through the device. */
WL_OP op_read(struct wl_ctx *c)
{
	check_result(c, read(c->dev_fd, c->buf, c->size), c->size);
}

WL_OP op_write(struct wl_ctx *c)
{
	check_result(c, write(c->dev_fd, c->buf, c->size), c->size);
}

static int setup_ioctl(struct wl_ctx *c, uint32_t dir)
{
	if (alloc_buf(c) < 0)
		return -1;
	memset(&c->copy, 0, sizeof(c->copy));
	c->copy.addr = (uint64_t)(uintptr_t)c->buf;
	c->copy.len = c->size;
	c->copy.direction = dir;
	return 0;
}

static int setup_copy_to(struct wl_ctx *c)
{
	return setup_ioctl(c, UAB_COPY_TO_USER);
}

static int setup_copy_from(struct wl_ctx *c)
{
	return setup_ioctl(c, UAB_COPY_FROM_USER);
}

WL_OP op_ioctl(struct wl_ctx *c)
{
	check_result(c, ioctl(c->dev_fd, UAB_IOC_COPY, &c->copy), 0);
}

/*
 * In-boot calibration: module reads whose batches run with the module's
 * inject_ticks at 0, D (--calibrate's ticks) and 2D, written through sysfs
 * before the first counter read and set back to the boot's value after
 * the last, so no other cell sees them. All write twice per batch: they
 * differ only in the injected cost.
 */
static int inject_supported(const struct wl_ctx *c, char *why, size_t len)
{
	if (!c->calibrate_ticks) {
		snprintf(why, len, "needs --calibrate TICKS");
		return 0;
	}
	return module_supported(c, why, len);
}

static int setup_inject(struct wl_ctx *c)
{
	if (alloc_buf(c) < 0)
		return -1;
	c->param_fd = open(UAB_INJECT_PARAM_PATH, O_WRONLY | O_CLOEXEC);
	return c->param_fd < 0 ? -1 : 0;
}

static int write_param(int fd, uint32_t ticks)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%" PRIu32 "\n", ticks);

	return pwrite(fd, buf, (size_t)n, 0) == n ? 0 : -1;
}

static void teardown_inject(struct wl_ctx *c)
{
	if (c->param_fd >= 0) {
		write_param(c->param_fd, c->inject_restore);
		close(c->param_fd);
		c->param_fd = -1;
	}
	free_buf(c);
}

/* Stock kernel workloads. */
static int setup_none(struct wl_ctx *c)
{
	(void)c;
	return 0;
}

static void teardown_none(struct wl_ctx *c)
{
	(void)c;
}

WL_OP op_null(struct wl_ctx *c)
{
	/* syscall(), not getppid(): no libc caching can skip the kernel. */
	(void)c;
	syscall(SYS_getppid);
}

static int setup_buf(struct wl_ctx *c)
{
	return alloc_buf(c);
}

static int setup_zero(struct wl_ctx *c)
{
	if (alloc_buf(c) < 0)
		return -1;
	c->fd[0] = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	return c->fd[0] < 0 ? -1 : 0;
}

static int setup_null_dev(struct wl_ctx *c)
{
	if (alloc_buf(c) < 0)
		return -1;
	c->fd[0] = open("/dev/null", O_WRONLY | O_CLOEXEC);
	return c->fd[0] < 0 ? -1 : 0;
}

WL_OP op_fd_read(struct wl_ctx *c)
{
	check_result(c, read(c->fd[0], c->buf, c->size), c->size);
}

WL_OP op_fd_write(struct wl_ctx *c)
{
	check_result(c, write(c->fd[0], c->buf, c->size), c->size);
}

static int setup_pipe(struct wl_ctx *c)
{
	if (alloc_buf(c) < 0 || pipe2(c->fd, O_CLOEXEC) < 0)
		return -1;
	/* The whole operation must fit, or write() would block. */
	if ((size_t)fcntl(c->fd[1], F_GETPIPE_SZ) < c->size &&
	    fcntl(c->fd[1], F_SETPIPE_SZ, (int)c->size) < 0)
		return -1;
	return 0;
}

WL_OP op_pipe(struct wl_ctx *c)
{
	check_result(c, write(c->fd[1], c->buf, c->size), c->size);
	check_result(c, read(c->fd[0], c->buf, c->size), c->size);
}

/*
 * A fixed user-space dependency chain: no syscall, no memory traffic. Its
 * cost tracks the speed of the machine itself between boots.
 */
WL_OP op_calib(struct wl_ctx *c)
{
	uint64_t x = c->sink | 1;

	for (int i = 0; i < 256; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		__asm__ volatile("" : "+r"(x));
	}
	c->sink = x;
}

/*
 * The physical reference of the in-kernel copies (--kloop): user-space
 * copies between two buffers at the same sizes, the ceiling no copy with
 * or without a protection can beat.
 */
static int setup_copy_pair(struct wl_ctx *c)
{
	void *p;
	int e = posix_memalign(&p, 4096, 2 * c->size);

	if (e) {
		errno = e;
		return -1;
	}
	memset(p, 0x5a, 2 * c->size);
	c->buf = p;
	return 0;
}

WL_OP op_memcpy(struct wl_ctx *c)
{
	memcpy(c->buf + c->size, c->buf, c->size);
	__asm__ volatile("" : : "r"(c->buf) : "memory");
}

static int rep_movsb_supported(const struct wl_ctx *c, char *why, size_t len)
{
	(void)c;
#if defined(__x86_64__) || defined(__i386__)
	(void)why;
	(void)len;
	return 1;
#else
	snprintf(why, len, "rep movsb is an x86 instruction");
	return 0;
#endif
}

/* What copy_user_generic() does on CPUs with fast short rep movsb. */
WL_OP op_rep_movsb(struct wl_ctx *c)
{
#if defined(__x86_64__) || defined(__i386__)
	void *d = c->buf + c->size;
	const void *s = c->buf;
	size_t n = c->size;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
#else
	(void)c;
#endif
}

/* Nothing at all: what the batch loop itself costs per operation. */
WL_OP op_noop(struct wl_ctx *c)
{
	__asm__ volatile("" : : "r"(c) : "memory");
}

WL_BATCH(batch_read, op_read)
WL_BATCH(batch_write, op_write)
WL_BATCH(batch_ioctl, op_ioctl)
WL_BATCH(batch_null, op_null)
WL_BATCH(batch_fd_read, op_fd_read)
WL_BATCH(batch_fd_write, op_fd_write)
WL_BATCH(batch_pipe, op_pipe)
WL_BATCH(batch_calib, op_calib)
WL_BATCH(batch_noop, op_noop)
WL_BATCH(batch_memcpy, op_memcpy)
WL_BATCH(batch_rep_movsb, op_rep_movsb)

static int batch_injected(struct wl_ctx *c, const struct counter_set *cs,
			  uint64_t n, uint64_t *before, uint64_t *after,
			  uint32_t ticks)
{
	int ret;

	if (write_param(c->param_fd, ticks) < 0) {
		check_result(c, -1, 0);
		return 0;
	}
	ret = batch_read(c, cs, n, before, after);
	if (write_param(c->param_fd, c->inject_restore) < 0)
		check_result(c, -1, 0);
	return ret;
}

static int batch_inject_0(struct wl_ctx *c, const struct counter_set *cs,
			  uint64_t n, uint64_t *before, uint64_t *after)
{
	return batch_injected(c, cs, n, before, after, 0);
}

static int batch_inject_d(struct wl_ctx *c, const struct counter_set *cs,
			  uint64_t n, uint64_t *before, uint64_t *after)
{
	return batch_injected(c, cs, n, before, after, c->calibrate_ticks);
}

static int batch_inject_2d(struct wl_ctx *c, const struct counter_set *cs,
			   uint64_t n, uint64_t *before, uint64_t *after)
{
	return batch_injected(c, cs, n, before, after,
			      2 * c->calibrate_ticks);
}

/*
 * An in-kernel loop workload (kloop.h): K is the fetch ops' field count,
 * grp its batch group (the toggles and their baseline share one).
 */
#define KLOOP(nm, sum, flg, sz, o, k, grp) {				\
	.name = nm, .summary = sum, .flags = (flg) | WL_KLOOP,		\
	.fixed_size = sz,						\
	.supported = kloop_supported, .setup = kloop_setup,		\
	.teardown = kloop_teardown, .batch = kloop_batch,		\
	.param = &(const struct kloop_param){ .op = o, .fields = k },	\
	.batch_group = grp,						\
}


const struct workload workloads[] = {
	{
		.name = "read",
		.summary = "read(2) from the module: copy_to_user",
		.flags = WL_SIZED | WL_DEFAULT,
		.supported = module_supported,
		.setup = setup_buf,
		.teardown = free_buf,
		.batch = batch_read,
	}, {
		.name = "write",
		.summary = "write(2) to the module: copy_from_user",
		.flags = WL_SIZED | WL_DEFAULT,
		.supported = module_supported,
		.setup = setup_buf,
		.teardown = free_buf,
		.batch = batch_write,
	}, {
		.name = "ioctl-copy-to",
		.summary = "COPY ioctl of the module, kernel to user: copy_to_user",
		.flags = WL_SIZED | WL_DEFAULT,
		.supported = module_supported,
		.setup = setup_copy_to,
		.teardown = free_buf,
		.batch = batch_ioctl,
	}, {
		.name = "ioctl-copy-from",
		.summary = "COPY ioctl of the module, user to kernel: copy_from_user",
		.flags = WL_SIZED | WL_DEFAULT,
		.supported = module_supported,
		.setup = setup_copy_from,
		.teardown = free_buf,
		.batch = batch_ioctl,
	}, {
		.name = "null",
		.summary = "getppid via syscall(): bare syscall entry and exit",
		.flags = WL_DEFAULT,
		.setup = setup_none,
		.teardown = teardown_none,
		.batch = batch_null,
	}, {
		.name = "zero-read",
		.summary = "read(2) from /dev/zero: clear_user",
		.flags = WL_SIZED | WL_DEFAULT,
		.setup = setup_zero,
		.teardown = close_fds,
		.batch = batch_fd_read,
	}, {
		.name = "null-write",
		.summary = "write(2) to /dev/null: no copy at all",
		.flags = WL_SIZED | WL_DEFAULT,
		.setup = setup_null_dev,
		.teardown = close_fds,
		.batch = batch_fd_write,
	}, {
		.name = "pipe",
		.summary = "write + read through a pipe: copy_from_user + copy_to_user",
		.flags = WL_SIZED | WL_DEFAULT,
		.setup = setup_pipe,
		.teardown = close_fds,
		.batch = batch_pipe,
	}, {
		.name = "calib",
		.summary = "fixed user-space loop, no syscall: machine speed (always run)",
		.flags = WL_DEFAULT | WL_CALIB,
		.setup = setup_none,
		.teardown = teardown_none,
		.batch = batch_calib,
	}, {
		.name = "inject-0",
		.summary = "64-byte module read, inject_ticks 0 (with --calibrate)",
		.flags = WL_INJECT,
		.fixed_size = 64,
		.supported = inject_supported,
		.setup = setup_inject,
		.teardown = teardown_inject,
		.batch = batch_inject_0,
	}, {
		.name = "inject-d",
		.summary = "64-byte module read, inject_ticks D: --calibrate D",
		.flags = WL_INJECT,
		.fixed_size = 64,
		.supported = inject_supported,
		.setup = setup_inject,
		.teardown = teardown_inject,
		.batch = batch_inject_d,
	}, {
		.name = "inject-2d",
		.summary = "64-byte module read, inject_ticks 2D: --calibrate D",
		.flags = WL_INJECT,
		.fixed_size = 64,
		.supported = inject_supported,
		.setup = setup_inject,
		.teardown = teardown_inject,
		.batch = batch_inject_2d,
	}, {
		.name = "noop",
		.summary = "empty operation: harness overhead per operation",
		.setup = setup_none,
		.teardown = teardown_none,
		.batch = batch_noop,
	},
	{
		.name = "user-memcpy",
		.summary = "memcpy between two user buffers: the copies' ceiling",
		.flags = WL_SIZED | WL_KLOOP,
		.setup = setup_copy_pair,
		.teardown = free_buf,
		.batch = batch_memcpy,
	}, {
		.name = "user-rep-movsb",
		.summary = "rep movsb between two user buffers (x86)",
		.flags = WL_SIZED | WL_KLOOP,
		.supported = rep_movsb_supported,
		.setup = setup_copy_pair,
		.teardown = free_buf,
		.batch = batch_rep_movsb,
	},
	KLOOP("kloop-copy-to", "copy_to_user, in a kernel loop",
	      WL_SIZED, 0, UAB_LOOP_COPY_TO_USER, 0, NULL),
	KLOOP("kloop-copy-from", "copy_from_user, in a kernel loop",
	      WL_SIZED, 0, UAB_LOOP_COPY_FROM_USER, 0, NULL),
	KLOOP("kloop-clear", "clear_user, in a kernel loop",
	      WL_SIZED, 0, UAB_LOOP_CLEAR_USER, 0, NULL),
	KLOOP("kloop-strncpy", "strncpy_from_user of a size - 1 string",
	      WL_SIZED, 0, UAB_LOOP_STRNCPY_FROM_USER, 0, NULL),
	KLOOP("kloop-strnlen", "strnlen_user of a size - 1 string",
	      WL_SIZED, 0, UAB_LOOP_STRNLEN_USER, 0, NULL),
	KLOOP("kloop-get-1", "get_user of a u8", 0, 1, UAB_LOOP_GET_USER, 0, NULL),
	KLOOP("kloop-get-2", "get_user of a u16", 0, 2, UAB_LOOP_GET_USER, 0, NULL),
	KLOOP("kloop-get-4", "get_user of a u32", 0, 4, UAB_LOOP_GET_USER, 0, NULL),
	KLOOP("kloop-get-8", "get_user of a u64", 0, 8, UAB_LOOP_GET_USER, 0, NULL),
	KLOOP("kloop-put-1", "put_user of a u8", 0, 1, UAB_LOOP_PUT_USER, 0, NULL),
	KLOOP("kloop-put-2", "put_user of a u16", 0, 2, UAB_LOOP_PUT_USER, 0, NULL),
	KLOOP("kloop-put-4", "put_user of a u32", 0, 4, UAB_LOOP_PUT_USER, 0, NULL),
	KLOOP("kloop-put-8", "put_user of a u64", 0, 8, UAB_LOOP_PUT_USER, 0, NULL),
	KLOOP("kloop-fetch-get-k1", "1 u64 field: get_user",
	      0, 8, UAB_LOOP_FETCH_GET_USER, 1, NULL),
	KLOOP("kloop-fetch-copy-k1", "1 u64 field: copy_from_user",
	      0, 8, UAB_LOOP_FETCH_COPY, 1, NULL),
	KLOOP("kloop-fetch-unsafe-k1", "1 u64 field: user_access_begin block",
	      0, 8, UAB_LOOP_FETCH_UNSAFE, 1, NULL),
	KLOOP("kloop-fetch-masked-k1", "1 u64 field: masked_user_access_begin",
	      0, 8, UAB_LOOP_FETCH_MASKED, 1, NULL),
	KLOOP("kloop-fetch-get-k4", "4 u64 fields: 4 get_user",
	      0, 32, UAB_LOOP_FETCH_GET_USER, 4, NULL),
	KLOOP("kloop-fetch-copy-k4", "4 u64 fields: one copy_from_user",
	      0, 32, UAB_LOOP_FETCH_COPY, 4, NULL),
	KLOOP("kloop-fetch-unsafe-k4", "4 u64 fields: user_access_begin block",
	      0, 32, UAB_LOOP_FETCH_UNSAFE, 4, NULL),
	KLOOP("kloop-fetch-masked-k4", "4 u64 fields: masked_user_access_begin",
	      0, 32, UAB_LOOP_FETCH_MASKED, 4, NULL),
	KLOOP("kloop-fetch-get-k16", "16 u64 fields: 16 get_user",
	      0, 128, UAB_LOOP_FETCH_GET_USER, 16, NULL),
	KLOOP("kloop-fetch-copy-k16", "16 u64 fields: one copy_from_user",
	      0, 128, UAB_LOOP_FETCH_COPY, 16, NULL),
	KLOOP("kloop-fetch-unsafe-k16", "16 u64 fields: user_access_begin block",
	      0, 128, UAB_LOOP_FETCH_UNSAFE, 16, NULL),
	KLOOP("kloop-fetch-masked-k16", "16 u64 fields: masked_user_access_begin",
	      0, 128, UAB_LOOP_FETCH_MASKED, 16, NULL),
	KLOOP("kloop-empty", "the kernel loop alone: toggles' baseline",
	      0, 0, UAB_LOOP_EMPTY, 0, "kloop-toggle"),
	KLOOP("kloop-toggle", "one bare protection toggle pair per iteration",
	      0, 0, UAB_LOOP_TOGGLE, 0, "kloop-toggle"),
	KLOOP("kloop-uaccess-pair", "user_access_begin + user_access_end",
	      0, 0, UAB_LOOP_UACCESS_PAIR, 0, "kloop-toggle"),
};

const size_t nworkloads = sizeof(workloads) / sizeof(workloads[0]);

const struct workload *workload_find(const char *name)
{
	for (size_t i = 0; i < nworkloads; i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	return NULL;
}
