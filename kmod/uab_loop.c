// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel primitive loops (UAB_IOC_LOOP): one uaccess primitive, or one
 * protection toggle, run iters times on the caller's buffer and timed with
 * the counter userspace reads.  Inside one boot and one call, so neither
 * boot-to-boot noise nor syscall entry reaches the per-iteration figure;
 * the EMPTY op measures the loop itself.  Work per call is bounded
 * (UAB_LOOP_ITERS_MAX, UAB_LOOP_BYTES_MAX) and yields between chunks.
 */
#include "uab_loop.h"

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#include "uab_inject.h"
#include "uab_toggle.h"
#include "uapi/uaccess_bench.h"

/* Iterations between yields, and the bytes one chunk may move. */
#define UAB_LOOP_CHUNK		4096U
#define UAB_LOOP_CHUNK_BYTES	(4U << 20)

struct uab_loop_ctx {
	void __user *uaddr;
	u8 *kbuf;		/* the device buffer, at least len bytes */
	size_t len;
	unsigned int fields;
	u64 result;
};

typedef int (*uab_loop_fn)(struct uab_loop_ctx *c, u32 n);

static int uab_loop_copy_to(struct uab_loop_ctx *c, u32 n)
{
	while (n--)
		if (copy_to_user(c->uaddr, c->kbuf, c->len))
			return -EFAULT;
	return 0;
}

static int uab_loop_copy_from(struct uab_loop_ctx *c, u32 n)
{
	while (n--)
		if (copy_from_user(c->kbuf, c->uaddr, c->len))
			return -EFAULT;
	return 0;
}

static int uab_loop_clear(struct uab_loop_ctx *c, u32 n)
{
	while (n--)
		if (clear_user(c->uaddr, c->len))
			return -EFAULT;
	return 0;
}

/* One function per width, so that each get_user/put_user is inlined. */
#define UAB_LOOP_GET_PUT(bits)						\
static int uab_loop_get_##bits(struct uab_loop_ctx *c, u32 n)		\
{									\
	const u##bits __user *p = c->uaddr;				\
	u##bits v = 0;							\
									\
	while (n--)							\
		if (get_user(v, p))					\
			return -EFAULT;					\
	c->result = v;							\
	return 0;							\
}									\
									\
static int uab_loop_put_##bits(struct uab_loop_ctx *c, u32 n)		\
{									\
	u##bits __user *p = c->uaddr;					\
	u##bits zero = 0;						\
									\
	while (n--)							\
		if (put_user(zero, p))					\
			return -EFAULT;					\
	return 0;							\
}

UAB_LOOP_GET_PUT(8)
UAB_LOOP_GET_PUT(16)
UAB_LOOP_GET_PUT(32)
UAB_LOOP_GET_PUT(64)

static int uab_loop_strncpy(struct uab_loop_ctx *c, u32 n)
{
	long r = 0;

	while (n--) {
		r = strncpy_from_user(c->kbuf, c->uaddr, c->len);
		if (r < 0)
			return -EFAULT;
	}
	c->result = r;
	return 0;
}

static int uab_loop_strnlen(struct uab_loop_ctx *c, u32 n)
{
	long r = 0;

	while (n--) {
		r = strnlen_user(c->uaddr, c->len);
		if (!r)
			return -EFAULT;
	}
	c->result = r;
	return 0;
}

/*
 * A struct of K u64 fields fetched three ways, summed the same way each
 * time: K checked get_user calls, one copy_from_user, or K unchecked
 * unsafe_get_user inside one user access block.
 */
static int uab_loop_fetch_get(struct uab_loop_ctx *c, u32 n)
{
	const u64 __user *p = c->uaddr;
	u64 sum = 0, v;
	unsigned int i;

	while (n--) {
		sum = 0;
		for (i = 0; i < c->fields; i++) {
			if (get_user(v, p + i))
				return -EFAULT;
			sum += v;
		}
	}
	c->result = sum;
	return 0;
}

static int uab_loop_fetch_copy(struct uab_loop_ctx *c, u32 n)
{
	u64 f[UAB_LOOP_FIELDS_MAX], sum = 0;
	unsigned int i;

	while (n--) {
		if (copy_from_user(f, c->uaddr, c->fields * sizeof(f[0])))
			return -EFAULT;
		sum = 0;
		for (i = 0; i < c->fields; i++)
			sum += f[i];
	}
	c->result = sum;
	return 0;
}

static int uab_loop_fetch_unsafe(struct uab_loop_ctx *c, u32 n)
{
	const u64 __user *p = c->uaddr;
	u64 sum = 0, v;
	unsigned int i;

	while (n--) {
		sum = 0;
		if (!user_access_begin(p, c->fields * sizeof(*p)))
			return -EFAULT;
		for (i = 0; i < c->fields; i++) {
			unsafe_get_user(v, p + i, efault);
			sum += v;
		}
		user_access_end();
	}
	c->result = sum;
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/*
 * Masked user access (x86-64 from 6.12): the address is clamped instead
 * of checked, so the block needs neither access_ok nor barrier_nospec.
 */
#ifdef can_do_masked_user_access
static int uab_loop_fetch_masked(struct uab_loop_ctx *c, u32 n)
{
	const u64 __user *p;
	u64 sum = 0, v;
	unsigned int i;

	while (n--) {
		sum = 0;
		p = masked_user_access_begin((const u64 __user *)c->uaddr);
		for (i = 0; i < c->fields; i++) {
			unsafe_get_user(v, p + i, efault);
			sum += v;
		}
		user_access_end();
	}
	c->result = sum;
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static bool uab_can_mask(void)
{
	return can_do_masked_user_access();
}
#else
#define uab_loop_fetch_masked NULL

static bool uab_can_mask(void)
{
	return false;
}
#endif

/* The loop alone: what TOGGLE and UACCESS_PAIR are compared against. */
static int uab_loop_empty(struct uab_loop_ctx *c, u32 n)
{
	while (n--)
		barrier();
	return 0;
}

static int uab_loop_toggle(struct uab_loop_ctx *c, u32 n)
{
	while (n--) {
		uab_toggle_pair();
		barrier();
	}
	return 0;
}

static int uab_loop_uaccess_pair(struct uab_loop_ctx *c, u32 n)
{
	while (n--) {
		if (!user_access_begin(c->uaddr, c->len))
			return -EFAULT;
		user_access_end();
	}
	return 0;
}

static uab_loop_fn uab_loop_pick(const struct uab_loop *req)
{
	static const uab_loop_fn get[] = {
		uab_loop_get_8, uab_loop_get_16, NULL, uab_loop_get_32,
		NULL, NULL, NULL, uab_loop_get_64,
	};
	static const uab_loop_fn put[] = {
		uab_loop_put_8, uab_loop_put_16, NULL, uab_loop_put_32,
		NULL, NULL, NULL, uab_loop_put_64,
	};

	switch (req->op) {
	case UAB_LOOP_COPY_TO_USER:
		return uab_loop_copy_to;
	case UAB_LOOP_COPY_FROM_USER:
		return uab_loop_copy_from;
	case UAB_LOOP_GET_USER:
		return get[req->len - 1];
	case UAB_LOOP_PUT_USER:
		return put[req->len - 1];
	case UAB_LOOP_CLEAR_USER:
		return uab_loop_clear;
	case UAB_LOOP_STRNCPY_FROM_USER:
		return uab_loop_strncpy;
	case UAB_LOOP_STRNLEN_USER:
		return uab_loop_strnlen;
	case UAB_LOOP_FETCH_GET_USER:
		return uab_loop_fetch_get;
	case UAB_LOOP_FETCH_COPY:
		return uab_loop_fetch_copy;
	case UAB_LOOP_FETCH_UNSAFE:
		return uab_loop_fetch_unsafe;
	case UAB_LOOP_FETCH_MASKED:
		return uab_loop_fetch_masked;
	case UAB_LOOP_EMPTY:
		return uab_loop_empty;
	case UAB_LOOP_TOGGLE:
		return uab_loop_toggle;
	case UAB_LOOP_UACCESS_PAIR:
		return uab_loop_uaccess_pair;
	}
	return NULL;
}

/* 0 when the request is well formed; the addresses are checked later. */
static int uab_loop_check(const struct uab_loop *req, size_t buf_size)
{
	u64 len = req->len;

	if (req->flags || !req->iters || req->iters > UAB_LOOP_ITERS_MAX)
		return -EINVAL;
	if (req->fields && (req->op < UAB_LOOP_FETCH_GET_USER ||
			    req->op > UAB_LOOP_FETCH_MASKED))
		return -EINVAL;
	switch (req->op) {
	case UAB_LOOP_COPY_TO_USER:
	case UAB_LOOP_COPY_FROM_USER:
	case UAB_LOOP_CLEAR_USER:
	case UAB_LOOP_STRNCPY_FROM_USER:
	case UAB_LOOP_STRNLEN_USER:
	case UAB_LOOP_UACCESS_PAIR:
		if (len < 1 || len > buf_size)
			return -EINVAL;
		break;
	case UAB_LOOP_GET_USER:
	case UAB_LOOP_PUT_USER:
		if (len != 1 && len != 2 && len != 4 && len != 8)
			return -EINVAL;
		break;
	case UAB_LOOP_FETCH_GET_USER:
	case UAB_LOOP_FETCH_COPY:
	case UAB_LOOP_FETCH_UNSAFE:
	case UAB_LOOP_FETCH_MASKED:
		if (req->fields < 1 || req->fields > UAB_LOOP_FIELDS_MAX ||
		    len != req->fields * sizeof(u64))
			return -EINVAL;
		break;
	case UAB_LOOP_EMPTY:
	case UAB_LOOP_TOGGLE:
		if (req->addr || len)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	/* At most 2^24 * 2^26: no overflow. */
	if ((u64)req->iters * len > UAB_LOOP_BYTES_MAX)
		return -EINVAL;
	return 0;
}

long uab_ioctl_loop(void __user *argp, u8 *buf, size_t buf_size)
{
	struct uab_loop req;
	struct uab_loop_ctx c;
	uab_loop_fn run;
	u32 chunk = UAB_LOOP_CHUNK, done = 0;
	u64 ticks = 0, t0;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = uab_loop_check(&req, buf_size);
	if (ret)
		return ret;
	/* A 32-bit kernel must not truncate an address above 4 GiB. */
	if (req.addr != (unsigned long)req.addr)
		return -EFAULT;
	if (req.op == UAB_LOOP_FETCH_MASKED && !uab_can_mask())
		return -EOPNOTSUPP;
	run = uab_loop_pick(&req);
	if (!run)
		return -EINVAL;

	c.uaddr = u64_to_user_ptr(req.addr);
	c.kbuf = buf;
	c.len = req.len;
	c.fields = req.fields;
	c.result = 0;
	/* len is at most buf_size here: a size_t division, even on arm. */
	if (c.len)
		chunk = clamp_t(size_t, UAB_LOOP_CHUNK_BYTES / c.len, 1, chunk);
	while (done < req.iters) {
		u32 n = min(chunk, req.iters - done);

		t0 = uab_counter();
		ret = run(&c, n);
		ticks += uab_counter() - t0;
		if (ret)
			return ret;
		done += n;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	req.ticks = ticks;
	req.result = c.result;
	if (copy_to_user(argp, &req, sizeof(req)))
		return -EFAULT;
	return 0;
}
