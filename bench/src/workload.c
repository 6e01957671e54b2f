/*
 * Workloads. Each op is one operation; a short result marks the context
 * failed (one well-predicted branch) so a broken workload cannot produce
 * plausible numbers.
 */
#define _GNU_SOURCE
#include "workload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline void check(struct wl_ctx *c, ssize_t got, size_t want)
{
	if (__builtin_expect(got != (ssize_t)want, 0) && !c->failed) {
		c->failed = true;
		c->err = got < 0 ? errno : EIO;
	}
}

static int alloc_buf(struct wl_ctx *c)
{
	size_t n = c->size ? c->size : 1;
	void *p;
	int e = posix_memalign(&p, 4096, n);

	if (e) {
		errno = e;
		return -1;
	}
	/* Touch every page so no page fault lands in a measured batch. */
	memset(p, 0x5a, n);
	c->buf = p;
	return 0;
}

static void free_buf(struct wl_ctx *c)
{
	free(c->buf);
	c->buf = NULL;
}

static void close_fds(struct wl_ctx *c)
{
	for (int i = 0; i < 2; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	c->fd[0] = c->fd[1] = -1;
	free_buf(c);
}

/* Module workloads: copy_to_user / copy_from_user through the device. */
static void op_read(struct wl_ctx *c)
{
	check(c, read(c->dev_fd, c->buf, c->size), c->size);
}

static void op_write(struct wl_ctx *c)
{
	check(c, write(c->dev_fd, c->buf, c->size), c->size);
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

static void op_ioctl(struct wl_ctx *c)
{
	check(c, ioctl(c->dev_fd, UAB_IOC_COPY, &c->copy), 0);
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

static void op_null(struct wl_ctx *c)
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

static void op_fd_read(struct wl_ctx *c)
{
	check(c, read(c->fd[0], c->buf, c->size), c->size);
}

static void op_fd_write(struct wl_ctx *c)
{
	check(c, write(c->fd[0], c->buf, c->size), c->size);
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

static void op_pipe(struct wl_ctx *c)
{
	check(c, write(c->fd[1], c->buf, c->size), c->size);
	check(c, read(c->fd[0], c->buf, c->size), c->size);
}

/*
 * A fixed user-space dependency chain: no syscall, no memory traffic. Its
 * cost tracks the speed of the machine itself between boots.
 */
static void op_calib(struct wl_ctx *c)
{
	uint64_t x = c->sink | 1;

	for (int i = 0; i < 256; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		__asm__ volatile("" : "+r"(x));
	}
	c->sink = x;
}

/* Nothing at all: what the batch loop itself costs per operation. */
static void op_noop(struct wl_ctx *c)
{
	__asm__ volatile("" : : "r"(c) : "memory");
}

const struct workload workloads[] = {
	{ "read", "read(2) from the module: copy_to_user", true, true, true,
	  setup_buf, op_read, free_buf },
	{ "write", "write(2) to the module: copy_from_user", true, true, true,
	  setup_buf, op_write, free_buf },
	{ "ioctl-copy-to", "COPY ioctl, kernel to user: copy_to_user", true,
	  true, true, setup_copy_to, op_ioctl, free_buf },
	{ "ioctl-copy-from", "COPY ioctl, user to kernel: copy_from_user",
	  true, true, true, setup_copy_from, op_ioctl, free_buf },
	{ "null", "getppid via syscall(): bare syscall entry and exit", false,
	  false, true, setup_none, op_null, teardown_none },
	{ "zero-read", "read(2) from /dev/zero: clear_user", false, true, true,
	  setup_zero, op_fd_read, close_fds },
	{ "null-write", "write(2) to /dev/null: no copy at all", false, true,
	  true, setup_null_dev, op_fd_write, close_fds },
	{ "pipe", "write + read through a pipe: copy_from_user + copy_to_user",
	  false, true, true, setup_pipe, op_pipe, close_fds },
	{ "calib", "fixed user-space loop, no syscall: machine speed (always run)",
	  false, false, true, setup_none, op_calib, teardown_none },
	{ "noop", "empty operation: harness overhead per operation", false,
	  false, false, setup_none, op_noop, teardown_none },
};

const size_t nworkloads = sizeof(workloads) / sizeof(workloads[0]);

const struct workload *workload_find(const char *name)
{
	for (size_t i = 0; i < nworkloads; i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	return NULL;
}
