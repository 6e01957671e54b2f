// SPDX-License-Identifier: GPL-2.0
/* get_user() given a kernel pointer. */
#include <linux/uaccess.h>

int sparse_get_user(const int *kp, int *out);
int sparse_get_user(const int *kp, int *out)
{
	return get_user(*out, kp); /* expect: incorrect type in argument 1 (different address spaces) */
}
