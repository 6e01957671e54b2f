// SPDX-License-Identifier: GPL-2.0
/*
 * Architectures without a user-access protection this module knows.
 */
#include "uab_prot.h"

void uab_read_protection(struct uab_status *st)
{
	st->smap = UAB_PROT_NA;
	st->smep = UAB_PROT_NA;
	st->pan = UAB_PROT_NA;
	st->pan_kind = UAB_PAN_NONE;
}
