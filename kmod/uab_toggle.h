/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protection's own switch, as the kernel's uaccess routines issue it,
 * through the helpers the kernel inlines for modules (alternatives are
 * applied to module text at load, so a kernel without the protection runs
 * NOPs here, as in its own routines).  Nothing is hand-written: no CR4,
 * PSTATE or DACR write of ours.
 */
#ifndef UAB_TOGGLE_H
#define UAB_TOGGLE_H

#include <linux/compiler.h>
#include <linux/uaccess.h>

#if defined(CONFIG_X86)
#include <asm/smap.h>

/* SMAP: EFLAGS.AC set and cleared, without barrier_nospec. */
static __always_inline void uab_toggle_pair(void)
{
	stac();
	clac();
}
#elif defined(CONFIG_ARM64)
/* Hardware PAN's PSTATE.PAN write, or TTBR0 PAN's TTBR0 switch. */
static __always_inline void uab_toggle_pair(void)
{
	uaccess_enable_privileged();
	uaccess_disable_privileged();
}
#elif defined(CONFIG_ARM)
/* Domain PAN: the DACR write that opens the user domain, then undone. */
static __always_inline void uab_toggle_pair(void)
{
	unsigned int flags = uaccess_save_and_enable();

	uaccess_restore(flags);
}
#else
static __always_inline void uab_toggle_pair(void)
{
}
#endif

#endif /* UAB_TOGGLE_H */
