/*
 * Workload descriptors, as stress-ng's stressor_info_t: what one measured
 * operation is, when it can run, and its own batch loop (see batch.h).
 */
#ifndef UAB_WORKLOAD_H
#define UAB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../kmod/uapi/uaccess_bench.h"
#include "counter.h"

struct wl_ctx {
	size_t size;		/* bytes per operation (0 if none) */
	int dev_fd;		/* /dev/uaccess_bench, shared, or -1 */
	uint64_t dev_bufsize;	/* the module's buffer, 0 without it */
	const char *dev_status;	/* "loaded: ..." or why it is missing */
	int fd[2];		/* workload's own descriptors */
	unsigned char *buf;	/* user buffer, size bytes, page aligned */
	struct uab_copy copy;	/* ioctl argument, prepared in setup */
	uint64_t sink;		/* keeps the calib loop from being folded */
	uint32_t calibrate_ticks;	/* --calibrate's injection, 0 if none */
	uint32_t inject_restore;	/* the boot's inject_ticks */
	int param_fd;		/* the module's inject_ticks in sysfs, or -1 */
	const void *param;	/* the descriptor's param */
	struct uab_loop loop;	/* kloop: LOOP ioctl argument */
	uint64_t expect;	/* kloop: the result every call must give */
	bool failed;		/* an operation returned short or an error */
	int err;		/* errno of the first failure */
};

/*
 * One measured batch: read the counters into before, run n operations,
 * read them into after. 0, or -1 when a counter read failed.
 */
typedef int (*wl_batch_fn)(struct wl_ctx *c, const struct counter_set *cs,
			   uint64_t n, uint64_t *before, uint64_t *after);

enum wl_flag {
	WL_SIZED = 1 << 0,	/* one cell per --sizes value, else size 0 */
	WL_DEFAULT = 1 << 1,	/* run when --bench is not given */
	WL_CALIB = 1 << 2,	/* machine speed: always run, the header's
				 * calib_workload */
	WL_INJECT = 1 << 3,	/* in-boot calibration: run with --calibrate */
	WL_KLOOP = 1 << 4,	/* in-kernel loop: run with --kloop */
};

struct workload {
	const char *name;
	const char *summary;
	unsigned flags;		/* enum wl_flag */
	size_t fixed_size;	/* bytes per operation when not WL_SIZED */
	/*
	 * 1 if it can run at ctx->size here; else 0 with the reason in why.
	 * NULL: always. Named in --bench, an unsupported cell is an error;
	 * otherwise it is skipped and listed in the header.
	 */
	int (*supported)(const struct wl_ctx *ctx, char *why, size_t len);
	int (*setup)(struct wl_ctx *c);	/* 0, or -1 with errno */
	void (*teardown)(struct wl_ctx *c);
	wl_batch_fn batch;	/* WL_BATCH(): the operation inlined */
	const void *param;	/* what a family of workloads differs by */
	/*
	 * Cells of one group (NULL: none) compared inside one boot run equal
	 * batches when uabench sizes them: the fewest ops any of them was
	 * sized to. What a batch costs beyond its ops (the syscall that runs
	 * them) then cancels in their difference.
	 */
	const char *batch_group;
};

/* At most this many descriptors (a test holds the table to it). */
#define WL_MAX		64

extern const struct workload workloads[];
extern const size_t nworkloads;

const struct workload *workload_find(const char *name);

#endif
