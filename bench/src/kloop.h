/*
 * In-kernel loop workloads: one uaccess primitive or one protection toggle
 * run n times inside the kernel by the module's LOOP ioctl, so one
 * operation is one iteration of the primitive, not a syscall. Each
 * descriptor's param is a struct kloop_param.
 */
#ifndef UAB_KLOOP_H
#define UAB_KLOOP_H

#include <stddef.h>
#include <stdint.h>

#include "workload.h"

struct kloop_param {
	uint32_t op;		/* UAB_LOOP_* */
	uint32_t fields;	/* FETCH_*: u64 fields, else 0 */
};

int kloop_supported(const struct wl_ctx *c, char *why, size_t len);
int kloop_setup(struct wl_ctx *c);
void kloop_teardown(struct wl_ctx *c);
int kloop_batch(struct wl_ctx *c, const struct counter_set *cs, uint64_t n,
		uint64_t *before, uint64_t *after);

#endif
