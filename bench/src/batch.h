/*
 * The measured batch loop, stamped out once per operation (as perf's
 * mem-memcpy tables stamp out their functions): the operation is inlined,
 * so between the two counter reads there is nothing but n operations and
 * the loop counter. An indirect call per operation would cost more than
 * the harness may add to a fast syscall (make bench-harness).
 */
#ifndef UAB_BATCH_H
#define UAB_BATCH_H

#include "counter.h"
#include "workload.h"

/* An operation: always inlined into its batch loop. */
#define WL_OP static inline __attribute__((always_inline)) void

/* static int fn(...): a wl_batch_fn running op(ctx) n times. */
#define WL_BATCH(fn, op)						\
static int fn(struct wl_ctx *c, const struct counter_set *cs,		\
	      uint64_t n, uint64_t *before, uint64_t *after)		\
{									\
	if (counter_read_begin(cs, before) < 0)				\
		return -1;						\
	for (uint64_t i = 0; i < n; i++)				\
		op(c);							\
	return counter_read_end(cs, after);				\
}

#endif
