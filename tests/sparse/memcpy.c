// SPDX-License-Identifier: GPL-2.0
/* memcpy() from a __user pointer instead of copy_from_user(). */
#include <linux/string.h>

void sparse_memcpy(void *dst, const void __user *src, size_t n);
void sparse_memcpy(void *dst, const void __user *src, size_t n)
{
	memcpy(dst, src, n); /* expect: incorrect type in argument 2 (different address spaces) */
}
