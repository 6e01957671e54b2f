/* The workload table: what one measured operation is. */
#ifndef UAB_WORKLOAD_H
#define UAB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../kmod/uapi/uaccess_bench.h"

struct wl_ctx {
	size_t size;		/* bytes per operation (0 if none) */
	int dev_fd;		/* /dev/uaccess_bench, shared, or -1 */
	int fd[2];		/* workload's own descriptors */
	unsigned char *buf;	/* user buffer, size bytes, page aligned */
	struct uab_copy copy;	/* ioctl argument, prepared in setup */
	uint64_t sink;		/* keeps the calib loop from being folded */
	bool failed;		/* an operation returned short or an error */
	int err;		/* errno of the first failure */
};

struct workload {
	const char *name;
	const char *summary;
	bool needs_module;
	bool takes_size;
	bool in_default;	/* run when --bench is not given */
	int (*setup)(struct wl_ctx *c);	/* 0, or -1 with errno */
	void (*op)(struct wl_ctx *c);	/* the measured operation */
	void (*teardown)(struct wl_ctx *c);
};

extern const struct workload workloads[];
extern const size_t nworkloads;

const struct workload *workload_find(const char *name);

#endif
