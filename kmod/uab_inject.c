// SPDX-License-Identifier: GPL-2.0
/*
 * A cost of known size: inject_ticks ticks of the counter userspace times
 * with, spent beside every uaccess of the benchmark paths, so that the
 * whole pipeline (boots, counters, CSV, report) can be checked against a
 * known truth.  Off by default, root-only, bounded.
 */
#include "uab_inject.h"

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/timex.h>

#include "uapi/uaccess_bench.h"

static unsigned int inject_ticks;

static int inject_ticks_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v > UAB_INJECT_TICKS_MAX)
		return -EINVAL;
	WRITE_ONCE(inject_ticks, v);
	return 0;
}

static const struct kernel_param_ops inject_ticks_ops = {
	.set = inject_ticks_set,
	.get = param_get_uint,
};

module_param_cb(inject_ticks, &inject_ticks_ops, &inject_ticks, 0644);
MODULE_PARM_DESC(inject_ticks,
		 "busy-wait per uaccess, counter ticks, 0..1000000 (default 0)");

/*
 * The counter uabench reads: get_cycles() is the TSC on x86 and CNTVCT on
 * arm64; 32-bit ARM has no usable get_cycles(), and uabench falls back to
 * CLOCK_MONOTONIC_RAW there, so ticks are raw nanoseconds.
 */
u64 uab_counter(void)
{
#ifdef CONFIG_ARM
	return ktime_get_raw_ns();
#else
	return get_cycles();
#endif
}

unsigned int uab_inject_ticks(void)
{
	return READ_ONCE(inject_ticks);
}

void uab_inject(void)
{
	unsigned int d = READ_ONCE(inject_ticks);
	u64 t0;

	if (likely(!d))
		return;
	/*
	 * No cpu_relax(): PAUSE lasts up to ~140 cycles on recent x86 and
	 * exits the vCPU loop under QEMU TCG, so the wait would overshoot d
	 * by a large, machine-dependent amount. A bare counter loop
	 * overshoots by one counter read at most.
	 */
	t0 = uab_counter();
	while (uab_counter() - t0 < d)
		;
}
