// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit ARM protection state: the domain-based software PAN.
 */
#include "uab_prot.h"

#include <linux/uaccess.h>
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
