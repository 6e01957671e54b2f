// SPDX-License-Identifier: GPL-2.0
/*
 * Protection state of the running kernel, read from the hardware or from
 * the kernel's own record of what it enabled, never from build options
 * alone.
 */
#include <linux/atomic.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

#include "uab_prot.h"

#if defined(CONFIG_X86)
#include <asm/processor-flags.h>
#include <asm/special_insns.h>

/* Clears each bit that is not set in this CPU's CR4. */
static void uab_and_cr4(void *info)
{
	atomic_t *bits = info;

	atomic_and((int)(__read_cr4() & (X86_CR4_SMAP | X86_CR4_SMEP)), bits);
}

static u32 uab_prot(int bits, unsigned long mask)
{
	return (bits & mask) ? UAB_PROT_ON : UAB_PROT_OFF;
}

void uab_read_protection(struct uab_status *st)
{
	atomic_t bits = ATOMIC_INIT(X86_CR4_SMAP | X86_CR4_SMEP);

	/* CR4 is per CPU: a bit counts as on only if every CPU has it. */
	on_each_cpu(uab_and_cr4, &bits, 1);
	st->smap = uab_prot(atomic_read(&bits), X86_CR4_SMAP);
	st->smep = uab_prot(atomic_read(&bits), X86_CR4_SMEP);
	st->pan = UAB_PROT_NA;
	st->pan_kind = UAB_PAN_NONE;
}

#elif defined(CONFIG_ARM64)
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

#elif defined(CONFIG_ARM)
#include <asm/domain.h>

void uab_read_protection(struct uab_status *st)
{
	st->smap = UAB_PROT_NA;
	st->smep = UAB_PROT_NA;
	st->pan = UAB_PROT_OFF;
	st->pan_kind = UAB_PAN_NONE;
#ifdef CONFIG_CPU_SW_DOMAIN_PAN
	/* Outside a uaccess routine the user domain must be no-access. */
	if ((get_domain() & domain_mask(DOMAIN_USER)) ==
	    domain_val(DOMAIN_USER, DOMAIN_NOACCESS)) {
		st->pan = UAB_PROT_ON;
		st->pan_kind = UAB_PAN_DOMAIN;
	}
#endif
}

#else

void uab_read_protection(struct uab_status *st)
{
	st->smap = UAB_PROT_NA;
	st->smep = UAB_PROT_NA;
	st->pan = UAB_PROT_NA;
	st->pan_kind = UAB_PAN_NONE;
}

#endif
