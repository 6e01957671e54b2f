/*
 * In-boot calibration (--calibrate D): D recovered per access from the
 * inject-0, inject-d and inject-2d cells.
 */
#ifndef UAB_CALIBRATE_H
#define UAB_CALIBRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "schedule.h"

#define CALIBRATE_LEVEL	0.95

struct calibrate_result {
	const char *counter;	/* the first counter's name */
	bool checkable;		/* it is the clock the module injects in */
	unsigned ticks;		/* D, injected per access */
	size_t rounds;		/* rounds with all three batches */
	double recovered;	/* median of 2d - d per operation */
	double lo, hi;		/* its sign-test CI; NAN if too few rounds */
	double fixed;		/* median of d - 0, less D: the wait's own cost */
	bool recovers;		/* the CI meets [(1 - slack) D, (1 + slack) D] */
};

/*
 * 0, or -1 when the run lacks the inject cells or memory ran out.
 */
int calibrate_compute(const struct bench_cell *cells, int ncells,
		      const struct samples *s, const struct counter_set *cs,
		      unsigned ticks, struct calibrate_result *r);

/* One line to f: the figure and whether the instrument can be trusted. */
void calibrate_print(FILE *f, const struct calibrate_result *r);

#endif
