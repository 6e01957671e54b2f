/*
 * When an in-boot calibration has recovered its injected cost D. The wait
 * runs in wall time, so whatever takes the CPU away moves 2D - D off D
 * both ways: time taken inside the rest of the operation (interrupts;
 * under QEMU, the host descheduling the vCPU thread) stretches every
 * batch, a 2D one the most; a pause that falls inside a wait is absorbed
 * by it (the counter runs on, the wait ends at once), and a longer wait
 * absorbs more. The check accepts an interval that meets
 * [(1 - UAB_INJECT_SLACK) D, (1 + UAB_INJECT_SLACK) D]. A slack of 0.25
 * admits QEMU TCG on our 2-core hosts running another guest beside it
 * (+2 % to +17 %) and still fails a wait that is missing, doubled or
 * counted in another unit, and a host too loaded to measure on (four
 * compilers beside QEMU: 2D - D from -0.01 D to 0.92 D). uabench
 * --calibrate and uareport both use it, so they give the same verdict.
 */
#ifndef UAB_INJECT_BAND_H
#define UAB_INJECT_BAND_H

#include <stdbool.h>

#define UAB_INJECT_SLACK	0.25

static inline bool uab_inject_recovered(double lo, double hi, double ticks)
{
	return hi >= (1 - UAB_INJECT_SLACK) * ticks &&
	       lo <= (1 + UAB_INJECT_SLACK) * ticks;
}

#endif
