/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UAB_INJECT_H
#define UAB_INJECT_H

#include <linux/types.h>

/* The counter uabench reads: x86 TSC, arm64 CNTVCT, arm raw ns. */
u64 uab_counter(void);
/* The injected cost now: the inject_ticks parameter. */
unsigned int uab_inject_ticks(void);
/* Spend inject_ticks counter ticks; called beside each benchmark uaccess. */
void uab_inject(void);

#endif /* UAB_INJECT_H */
