// SPDX-License-Identifier: GPL-2.0
/* A __user pointer dereferenced directly, bypassing get_user(). */
#include <linux/compiler.h>

int sparse_deref(const int __user *p);
int sparse_deref(const int __user *p)
{
	return *p; /* expect: dereference of noderef expression */
}
