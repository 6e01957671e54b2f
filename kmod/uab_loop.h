/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UAB_LOOP_H
#define UAB_LOOP_H

#include <linux/compiler_types.h>
#include <linux/types.h>

/* UAB_IOC_LOOP on the device buffer buf of buf_size bytes. */
long uab_ioctl_loop(void __user *argp, u8 *buf, size_t buf_size);

#endif /* UAB_LOOP_H */
