// SPDX-License-Identifier: GPL-2.0
/*
 * uaccess_bench: a misc device whose read, write and ioctl paths do nothing
 * but copy_to_user() and copy_from_user() on a kernel buffer, so that the
 * cost of the user-space access protections can be measured, and whose
 * STATUS ioctl reports which protections the running kernel has on.
 *
 * All callers share one buffer and nothing serialises them: concurrent
 * writers leave bytes from any of them, never uninitialised memory, and
 * every copy stays inside the buffer.  Contents are meaningful only to a
 * caller that has the device to itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "uab_inject.h"
#include "uab_loop.h"
#include "uab_probe.h"
#include "uab_prot.h"

#define UAB_BUF_MIN	4096UL
#define UAB_BUF_MAX	(64UL << 20)

static unsigned long buf_size = 1UL << 20;
module_param(buf_size, ulong, 0444);
MODULE_PARM_DESC(buf_size,
		 "kernel buffer size in bytes, 4096..67108864 (default 1 MiB)");

/*
 * vmalloc whatever the size, so that the buffer is mapped the same way on
 * every boot and for every buf_size (kmalloc would fall back to vmalloc
 * only when memory happens to be fragmented).
 */
static u8 *uab_buf;

static int uab_open(struct inode *inode, struct file *file)
{
	/* No file position: also spares read/write the f_pos lock. */
	return stream_open(inode, file);
}

static ssize_t uab_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	size_t n = min_t(size_t, count, buf_size);

	uab_inject();
	if (copy_to_user(ubuf, uab_buf, n))
		return -EFAULT;
	return n;
}

static ssize_t uab_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	size_t n = min_t(size_t, count, buf_size);

	uab_inject();
	if (copy_from_user(uab_buf, ubuf, n))
		return -EFAULT;
	return n;
}

static long uab_ioctl_status(void __user *argp)
{
	struct uab_status st;

	memset(&st, 0, sizeof(st));
	st.abi_version = UAB_ABI_VERSION;
	st.buf_size = buf_size;
	st.inject_ticks = uab_inject_ticks();
	strscpy(st.arch, init_utsname()->machine, sizeof(st.arch));
	strscpy(st.release, init_utsname()->release, sizeof(st.release));
	uab_read_protection(&st);

	if (copy_to_user(argp, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static long uab_ioctl_copy(const void __user *argp)
{
	struct uab_copy req;
	void __user *uaddr;
	unsigned long left;

	uab_inject();
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.len < 1 || req.len > buf_size)
		return -EINVAL;
	/* A 32-bit kernel must not truncate an address above 4 GiB. */
	if (req.addr != (unsigned long)req.addr)
		return -EFAULT;
	uaddr = u64_to_user_ptr(req.addr);
	uab_inject();

	switch (req.direction) {
	case UAB_COPY_TO_USER:
		left = copy_to_user(uaddr, uab_buf, req.len);
		break;
	case UAB_COPY_FROM_USER:
		left = copy_from_user(uab_buf, uaddr, req.len);
		break;
	default:
		return -EINVAL;
	}
	return left ? -EFAULT : 0;
}

static long uab_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case UAB_IOC_STATUS:
		return uab_ioctl_status(argp);
	case UAB_IOC_COPY:
		return uab_ioctl_copy(argp);
	case UAB_IOC_PROBE:
		return uab_ioctl_probe(argp);
	case UAB_IOC_LOOP:
		return uab_ioctl_loop(argp, uab_buf, buf_size);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations uab_fops = {
	.owner = THIS_MODULE,
	.open = uab_open,
	.read = uab_read,
	.write = uab_write,
	.unlocked_ioctl = uab_ioctl,
	/* Fixed-width uapi structs: only the pointer needs converting. */
	.compat_ioctl = compat_ptr_ioctl,
	/* No .llseek: stream_open() makes lseek fail with -ESPIPE. */
};

static struct miscdevice uab_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = UAB_DEVICE_NAME,
	.fops = &uab_fops,
	.mode = 0600,
};

static int __init uab_init(void)
{
	unsigned long i;
	int ret;

	/* Same layout for 32-bit and 64-bit callers, or compat breaks. */
	BUILD_BUG_ON(sizeof(struct uab_status) != 160);
	BUILD_BUG_ON(sizeof(struct uab_copy) != 24);
	BUILD_BUG_ON(sizeof(struct uab_probe) != 24);
	BUILD_BUG_ON(sizeof(struct uab_loop) != 48);

	if (buf_size < UAB_BUF_MIN || buf_size > UAB_BUF_MAX) {
		pr_err("buf_size=%lu out of range %lu..%lu\n",
		       buf_size, UAB_BUF_MIN, UAB_BUF_MAX);
		return -EINVAL;
	}
	uab_buf = vmalloc(buf_size);
	if (!uab_buf)
		return -ENOMEM;
	for (i = 0; i < buf_size; i++)
		uab_buf[i] = uab_pattern_byte(i);

	ret = misc_register(&uab_misc);
	if (ret) {
		vfree(uab_buf);
		return ret;
	}
	pr_info("/dev/%s ready, buf_size=%lu\n", UAB_DEVICE_NAME, buf_size);
	return 0;
}

static void __exit uab_exit(void)
{
	misc_deregister(&uab_misc);
	vfree(uab_buf);
}

module_init(uab_init);
module_exit(uab_exit);

MODULE_DESCRIPTION("copy_to_user/copy_from_user benchmark device");
MODULE_LICENSE("GPL");
