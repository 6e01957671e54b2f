/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UAB_PROT_H
#define UAB_PROT_H

#include "uapi/uaccess_bench.h"

void uab_read_protection(struct uab_status *st);

#endif /* UAB_PROT_H */
