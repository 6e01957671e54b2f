// SPDX-License-Identifier: GPL-2.0
/*
 * Fault probes: kernel accesses to user memory that bypass the uaccess API,
 * which a working SMAP, SMEP, PAN or PXN turns into an oops, and the same
 * read through the API as the control.  An oops kills the caller and taints
 * the kernel, so the probes are refused unless the module was loaded with
 * allow_probes=1, which benchmark boots never do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "uab_probe.h"
#include "uapi/uaccess_bench.h"

static bool allow_probes;
module_param(allow_probes, bool, 0444);
MODULE_PARM_DESC(allow_probes,
		 "enable the PROBE ioctl, whose probes oops on purpose (default off)");

typedef u32 (*uab_user_code)(void);

/*
 * noinline: each probe is its own frame in the oops's call trace.  The
 * __force casts drop __user on purpose: bypassing the uaccess API is what
 * these probes test, and sparse must not be silenced anywhere else.
 */
static noinline u32 uab_probe_read(const u32 __user *uaddr)
{
	return READ_ONCE(*(const u32 __force *)uaddr);
}

static noinline void uab_probe_write(u32 __user *uaddr, u32 value)
{
	WRITE_ONCE(*(u32 __force *)uaddr, value);
}

static noinline u32 uab_probe_exec(const void __user *uaddr)
{
	uab_user_code code = (uab_user_code)(__force unsigned long)uaddr;

	return code();
}

/* The control: the same load through the API, which must work. */
static noinline int uab_probe_uaccess_read(const u32 __user *uaddr,
					   u32 *value)
{
	u32 v;

	if (!user_access_begin(uaddr, sizeof(*uaddr)))
		return -EFAULT;
	unsafe_get_user(v, uaddr, efault);
	user_access_end();
	*value = v;
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static const char *uab_probe_name(u32 op)
{
	switch (op) {
	case UAB_PROBE_READ:
		return "read";
	case UAB_PROBE_WRITE:
		return "write";
	case UAB_PROBE_UACCESS_READ:
		return "uaccess_read";
	case UAB_PROBE_EXEC:
		return "exec";
	default:
		return NULL;
	}
}

long uab_ioctl_probe(void __user *argp)
{
	struct uab_probe req;
	const char *name;
	u32 __user *uaddr;
	int ret = 0;

	if (!allow_probes)
		return -EPERM;
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	name = uab_probe_name(req.op);
	if (!name || req.flags || req.reserved || req.addr % sizeof(u32))
		return -EINVAL;
	/* A 32-bit kernel must not truncate an address above 4 GiB. */
	if (req.addr != (unsigned long)req.addr)
		return -EFAULT;
	uaddr = u64_to_user_ptr(req.addr);
	/* Only user addresses: a probe must never touch kernel memory. */
	if (!access_ok(uaddr, sizeof(*uaddr)))
		return -EFAULT;

	pr_info("probe %s at user address %#llx\n", name, req.addr);
	switch (req.op) {
	case UAB_PROBE_READ:
		req.value = uab_probe_read(uaddr);
		break;
	case UAB_PROBE_WRITE:
		uab_probe_write(uaddr, req.value);
		break;
	case UAB_PROBE_UACCESS_READ:
		ret = uab_probe_uaccess_read(uaddr, &req.value);
		break;
	case UAB_PROBE_EXEC:
		req.value = uab_probe_exec(uaddr);
		break;
	}
	if (ret)
		return ret;
	pr_info("probe %s survived\n", name);
	if (copy_to_user(argp, &req, sizeof(req)))
		return -EFAULT;
	return 0;
}
