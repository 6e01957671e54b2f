/*
 * What the workload files share: result checking, the user buffer and the
 * module's availability.
 */
#ifndef UAB_WL_COMMON_H
#define UAB_WL_COMMON_H

#include <errno.h>
#include <sys/types.h>

#include "workload.h"

/* A short or failed result marks the context failed, once. */
static inline void check_result(struct wl_ctx *c, ssize_t got, size_t want)
{
	if (__builtin_expect(got != (ssize_t)want, 0) && !c->failed) {
		c->failed = true;
		c->err = got < 0 ? errno : EIO;
	}
}

/* c->buf: size bytes (1 if 0), page aligned, every page touched. */
int alloc_buf(struct wl_ctx *c);
void free_buf(struct wl_ctx *c);
/* 1 when the module is loaded and its buffer holds c->size bytes. */
int module_supported(const struct wl_ctx *c, char *why, size_t len);

#endif
