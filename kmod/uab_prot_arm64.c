// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 protection state: hardware PAN or TTBR0 PAN, as in use now.
 */
#include "uab_prot.h"

#include <linux/irqflags.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

/* The ARMv8.1 PAN register, which reads PSTATE.PAN. */
#define UAB_SYS_PAN	sys_reg(3, 0, 4, 2, 3)

/* Hardware PAN: PSTATE.PAN is set here, outside any uaccess routine. */
static bool uab_hw_pan_set(void)
{
	return read_sysreg_s(UAB_SYS_PAN) & PSR_PAN_BIT;
}

/*
 * TTBR0 PAN: outside uaccess routines TTBR0_EL1 points at reserved_pg_dir,
 * the page before swapper_pg_dir (see __uaccess_ttbr0_disable()), instead
 * of the task's page tables.
 */
static bool uab_ttbr0_parked(void)
{
	unsigned long flags;
	u64 ttbr0, ttbr1;

	local_irq_save(flags);
	ttbr0 = read_sysreg(ttbr0_el1);
	ttbr1 = read_sysreg(ttbr1_el1);
	local_irq_restore(flags);
	return ttbr0 == (ttbr1 & ~TTBR_ASID_MASK) - RESERVED_SWAPPER_OFFSET;
}

void uab_read_protection(struct uab_status *st)
{
	st->smap = UAB_PROT_NA;
	st->smep = UAB_PROT_NA;
	st->pan = UAB_PROT_OFF;
	st->pan_kind = UAB_PAN_NONE;
	/* The PAN register is undefined on CPUs without PAN: ask first. */
	if (system_uses_hw_pan()) {
		if (uab_hw_pan_set()) {
			st->pan = UAB_PROT_ON;
			st->pan_kind = UAB_PAN_HW;
		}
	} else if (system_uses_ttbr0_pan() && uab_ttbr0_parked()) {
		st->pan = UAB_PROT_ON;
		st->pan_kind = UAB_PAN_TTBR0;
	}
}
