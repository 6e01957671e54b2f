/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UAB_PROBE_H
#define UAB_PROBE_H

#include <linux/compiler_types.h>

long uab_ioctl_probe(void __user *argp);

#endif /* UAB_PROBE_H */
