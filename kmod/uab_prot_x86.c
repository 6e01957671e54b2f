// SPDX-License-Identifier: GPL-2.0
/*
 * x86 protection state: CR4.SMAP and CR4.SMEP on every online CPU.
 */
#include "uab_prot.h"

#include <linux/atomic.h>
#include <linux/smp.h>
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
