/*
 * In-kernel loop workloads (kloop.h). Every call's result is checked
 * against what the buffer holds (a string's length, the sum of the fields
 * read), so a broken primitive cannot time as fast.
 */
#include "kloop.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "counter.h"
#include "wl_common.h"

static const struct kloop_param *param_of(const struct wl_ctx *c)
{
	return c->param;
}

/* The ioctl's len for a cell: its size, or what the op takes. */
static uint64_t loop_len(const struct wl_ctx *c)
{
	const struct kloop_param *p = param_of(c);

	switch (p->op) {
	case UAB_LOOP_EMPTY:
	case UAB_LOOP_TOGGLE:
		return 0;
	case UAB_LOOP_UACCESS_PAIR:
		return 1;
	default:
		return c->size;
	}
}

int kloop_supported(const struct wl_ctx *c, char *why, size_t len)
{
	struct uab_loop probe;

	if (!module_supported(c, why, len))
		return 0;
	if (param_of(c)->op != UAB_LOOP_FETCH_MASKED)
		return 1;
	/* One iteration on a valid struct tells whether the kernel has it. */
	uint64_t fields[UAB_LOOP_FIELDS_MAX] = { 0 };

	memset(&probe, 0, sizeof(probe));
	probe.addr = (uint64_t)(uintptr_t)fields;
	probe.len = sizeof(fields[0]);
	probe.op = UAB_LOOP_FETCH_MASKED;
	probe.iters = 1;
	probe.fields = 1;
	if (ioctl(c->dev_fd, UAB_IOC_LOOP, &probe) < 0 && errno == EOPNOTSUPP) {
		snprintf(why, len,
			 "the kernel has no masked user access (x86-64, 6.12 and later)");
		return 0;
	}
	return 1;
}

/* The size-byte integer at p, as get_user() reads it. */
static uint64_t native_value(const unsigned char *p, size_t size)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1:
		memcpy(&v8, p, 1);
		return v8;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}

int kloop_setup(struct wl_ctx *c)
{
	const struct kloop_param *p = param_of(c);
	uint64_t *f;

	if (alloc_buf(c) < 0)
		return -1;
	memset(&c->loop, 0, sizeof(c->loop));
	c->loop.op = p->op;
	c->loop.fields = p->fields;
	c->loop.len = loop_len(c);
	if (p->op != UAB_LOOP_EMPTY && p->op != UAB_LOOP_TOGGLE)
		c->loop.addr = (uint64_t)(uintptr_t)c->buf;
	c->expect = 0;
	switch (p->op) {
	case UAB_LOOP_GET_USER:
		c->expect = native_value(c->buf, c->size);
		break;
	case UAB_LOOP_STRNCPY_FROM_USER:
	case UAB_LOOP_STRNLEN_USER:
		/* size - 1 characters and the NUL: both return a length. */
		memset(c->buf, 'a', c->size - 1);
		c->buf[c->size - 1] = '\0';
		c->expect = p->op == UAB_LOOP_STRNLEN_USER ? c->size
							  : c->size - 1;
		break;
	case UAB_LOOP_FETCH_GET_USER:
	case UAB_LOOP_FETCH_COPY:
	case UAB_LOOP_FETCH_UNSAFE:
	case UAB_LOOP_FETCH_MASKED:
		f = (uint64_t *)(void *)c->buf;
		for (uint32_t i = 0; i < p->fields; i++) {
			f[i] = (uint64_t)i + 1;
			c->expect += f[i];
		}
		break;
	}
	return 0;
}

void kloop_teardown(struct wl_ctx *c)
{
	free_buf(c);
}

/* At most what one call takes: UAB_LOOP_ITERS_MAX, UAB_LOOP_BYTES_MAX. */
static uint32_t call_iters(const struct wl_ctx *c, uint64_t left)
{
	uint64_t max = UAB_LOOP_ITERS_MAX;

	if (c->loop.len && UAB_LOOP_BYTES_MAX / c->loop.len < max)
		max = UAB_LOOP_BYTES_MAX / c->loop.len;
	return (uint32_t)(left < max ? left : max);
}

int kloop_batch(struct wl_ctx *c, const struct counter_set *cs, uint64_t n,
		uint64_t *before, uint64_t *after)
{
	int ret;

	if (counter_read_begin(cs, before) < 0)
		return -1;
	while (n) {
		c->loop.iters = call_iters(c, n);
		n -= c->loop.iters;
		check_result(c, ioctl(c->dev_fd, UAB_IOC_LOOP, &c->loop), 0);
	}
	ret = counter_read_end(cs, after);
	if (c->loop.result != c->expect && !c->failed) {
		c->failed = true;
		c->err = EIO;
	}
	return ret;
}
