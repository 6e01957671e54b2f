// SPDX-License-Identifier: GPL-2.0
/* A cast that drops __user without __force. */
#include <linux/compiler.h>

char sparse_cast(const char __user *p);
char sparse_cast(const char __user *p)
{
	const char *k = (const char *)p; /* expect: cast removes address space '__user' of expression */

	return k[0];
}
