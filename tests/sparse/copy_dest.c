// SPDX-License-Identifier: GPL-2.0
/* copy_to_user() given a kernel buffer as its user destination. */
#include <linux/uaccess.h>

unsigned long sparse_copy_dest(void *kdst, const void *ksrc, size_t n);
unsigned long sparse_copy_dest(void *kdst, const void *ksrc, size_t n)
{
	return copy_to_user(kdst, ksrc, n); /* expect: incorrect type in argument 1 (different address spaces) */
}
