// SPDX-License-Identifier: GPL-2.0
/*
 * The child does the access and reports through a pipe; the parent
 * classifies: a full report is the access's result, no report and a
 * signal is a kill, which counts as an oops only if the kernel logged one.
 */
#define _GNU_SOURCE
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uaccess_bench.h"

/* What the page holds for the reads, and what the write stores. */
#define PROBE_SEED	0x5eed1234U
#define PROBE_STORED	0xc0ffee42U
/* What the code in the user page returns. */
#define PROBE_CODE_RET	0x5a17c0deU

struct report {
	int ret, err;
	uint32_t value;
	int right;	/* the value is the one expected */
};

const char *outcome_name(enum outcome o)
{
	static const char *const names[] = {
		[OUTCOME_OOPS] = "oops", [OUTCOME_VALUE] = "value",
		[OUTCOME_PASS] = "pass", [OUTCOME_ERROR] = "error",
		[OUTCOME_WRONG] = "wrong", [OUTCOME_DIED] = "died",
	};

	return names[o];
}

/*
 * "u32 f(void) { return PROBE_CODE_RET; }" in this architecture's machine
 * code: the probe's arch-specific part on the user side.
 */
static size_t user_code(uint8_t *p)
{
	const uint32_t v = PROBE_CODE_RET;
#if defined(__x86_64__) || defined(__i386__)
	p[0] = 0xb8;			/* mov eax, imm32 */
	memcpy(p + 1, &v, 4);
	p[5] = 0xc3;			/* ret */
	return 6;
#elif defined(__aarch64__)
	const uint32_t insn[] = {
		0x52800000U | ((v & 0xffffU) << 5),	/* movz w0, #lo */
		0x72a00000U | ((v >> 16) << 5),		/* movk w0, #hi, lsl 16 */
		0xd65f03c0U,				/* ret */
	};

	memcpy(p, insn, sizeof(insn));
	return sizeof(insn);
#elif defined(__arm__)
	/*
	 * A32 words whatever this program's own instruction set (armhf
	 * defaults to Thumb-2): the kernel calls the page's address, bit 0
	 * clear, so the CPU runs it in ARM state.
	 */
	const uint32_t lo = v & 0xffffU, hi = v >> 16;
	const uint32_t insn[] = {
		0xe3000000U | ((lo >> 12) << 16) | (lo & 0xfffU), /* movw r0 */
		0xe3400000U | ((hi >> 12) << 16) | (hi & 0xfffU), /* movt r0 */
		0xe12fff1eU,					   /* bx lr */
	};

	memcpy(p, insn, sizeof(insn));
	return sizeof(insn);
#else
#error "no user code for this architecture: add it here"
#endif
}

/* A present, touched user page set up for op; NULL on failure. */
static uint32_t *probe_page(uint32_t op)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t len;

	if (p == MAP_FAILED)
		return NULL;
	if (op != UAB_PROBE_EXEC) {
		*(volatile uint32_t *)p = op == UAB_PROBE_WRITE ? 0 :
								PROBE_SEED;
		return (uint32_t *)p;
	}
	len = user_code(p);
	__builtin___clear_cache((char *)p, (char *)p + len);
	/* Executable, not writable: a fault is SMEP/PXN, not NX. */
	if (mprotect(p, page, PROT_READ | PROT_EXEC))
		return NULL;
	return (uint32_t *)p;
}

static void child_probe(int fd, uint32_t op, int out)
{
	struct report r = { .ret = -1 };
	struct uab_probe req;
	uint32_t *page = probe_page(op);

	if (!page) {
		r.err = errno;
		goto send;
	}
	memset(&req, 0, sizeof(req));
	req.addr = (uint64_t)(uintptr_t)page;
	req.op = op;
	req.value = PROBE_STORED;
	r.ret = ioctl(fd, UAB_IOC_PROBE, &req);
	r.err = r.ret ? errno : 0;
	r.value = req.value;
	switch (op) {
	case UAB_PROBE_WRITE:
		r.value = *(volatile uint32_t *)page;
		r.right = r.value == PROBE_STORED;
		break;
	case UAB_PROBE_EXEC:
		r.right = r.value == PROBE_CODE_RET;
		break;
	default:
		r.right = r.value == PROBE_SEED;
		break;
	}
send:
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	_exit(0);
}

static void child_load(const char *path, int out)
{
	struct report r = { .ret = -1 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		r.ret = (int)syscall(SYS_finit_module, fd, "", 0);
	r.err = r.ret ? errno : 0;
	r.right = r.ret == 0;
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	_exit(0);
}

/* Forks; the child runs probe or load and never returns. */
static struct probe_result run_child(int fd, uint32_t op, const char *path,
				     int (*oopsed)(void *ctx), void *ctx)
{
	struct probe_result res = { .outcome = OUTCOME_DIED };
	struct report r;
	int pipefd[2], status = 0;
	ssize_t got;
	pid_t pid;

	if (pipe(pipefd)) {
		res.outcome = OUTCOME_ERROR;
		snprintf(res.detail, sizeof(res.detail), "pipe: %s",
			 strerror(errno));
		return res;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		if (path)
			child_load(path, pipefd[1]);
		child_probe(fd, op, pipefd[1]);
	}
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		res.outcome = OUTCOME_ERROR;
		snprintf(res.detail, sizeof(res.detail), "fork: %s",
			 strerror(errno));
		return res;
	}
	do
		got = read(pipefd[0], &r, sizeof(r));
	while (got < 0 && errno == EINTR);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

	if (got == sizeof(r)) {
		if (r.ret) {
			res.outcome = OUTCOME_ERROR;
			snprintf(res.detail, sizeof(res.detail),
				 "error %d (%s)", r.err, strerror(r.err));
		} else if (path) {
			res.outcome = OUTCOME_PASS;
			snprintf(res.detail, sizeof(res.detail), "loaded");
		} else {
			res.outcome = r.right ? OUTCOME_VALUE : OUTCOME_WRONG;
			snprintf(res.detail, sizeof(res.detail),
				 "returned %#x", r.value);
		}
		return res;
	}
	if (WIFSIGNALED(status))
		snprintf(res.detail, sizeof(res.detail),
			 "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(res.detail, sizeof(res.detail),
			 "exited %d without a report", WEXITSTATUS(status));
	if (WIFSIGNALED(status) && oopsed(ctx))
		res.outcome = OUTCOME_OOPS;
	return res;
}

struct probe_result probe_run(int fd, uint32_t op,
			      int (*oopsed)(void *ctx), void *ctx)
{
	return run_child(fd, op, NULL, oopsed, ctx);
}

struct probe_result probe_load_module(const char *path,
				      int (*oopsed)(void *ctx), void *ctx)
{
	return run_child(-1, 0, path, oopsed, ctx);
}
