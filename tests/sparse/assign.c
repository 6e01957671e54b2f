// SPDX-License-Identifier: GPL-2.0
/* A kernel pointer assigned to a __user one. */
#include <linux/compiler.h>

static char sparse_kbuf[16];

char __user *sparse_assign(void);
char __user *sparse_assign(void)
{
	char __user *u = sparse_kbuf; /* expect: incorrect type in initializer (different address spaces) */

	return u;
}
