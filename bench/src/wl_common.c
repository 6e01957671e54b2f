/* Helpers of the workload files (wl_common.h). */
#define _POSIX_C_SOURCE 200809L
#include "wl_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int alloc_buf(struct wl_ctx *c)
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

void free_buf(struct wl_ctx *c)
{
	free(c->buf);
	c->buf = NULL;
}

int module_supported(const struct wl_ctx *c, char *why, size_t len)
{
	if (c->dev_fd < 0) {
		snprintf(why, len, "needs the helper module: %s",
			 c->dev_status);
		return 0;
	}
	/* The module clamps larger requests: not this size. */
	if (c->size > c->dev_bufsize) {
		snprintf(why, len,
			 "size %zu exceeds the module buffer (%llu bytes)",
			 c->size, (unsigned long long)c->dev_bufsize);
		return 0;
	}
	return 1;
}
