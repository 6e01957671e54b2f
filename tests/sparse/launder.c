// SPDX-License-Identifier: GPL-2.0
/*
 * __user laundered through an integer: casts to and from unsigned long are
 * allowed without __force, so the dereference looks like a kernel one.
 */
#include <linux/compiler.h>

int sparse_launder(const int __user *p);
int sparse_launder(const int __user *p)
{
	return *(const int *)(unsigned long)p; /* known miss: a round trip through an integer drops __user silently */
}
