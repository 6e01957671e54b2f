// SPDX-License-Identifier: GPL-2.0
/*
 * A __user pointer given to printk's %s: printk would read user memory
 * directly. Variadic arguments carry no address space, so sparse says
 * nothing (the Codethink study's finding).
 */
#include <linux/printk.h>

void sparse_printk(const char __user *name);
void sparse_printk(const char __user *name)
{
	pr_info("name %s\n", name); /* known miss: variadic arguments are not checked */
}
