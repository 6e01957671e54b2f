/* The summary uabench prints on stdout after a run. */
#ifndef UAB_SUMMARY_H
#define UAB_SUMMARY_H

#include <stdio.h>

#include "counter.h"
#include "schedule.h"

/* Per cell: batches, ops per batch and median cost of the first counter. */
void summary_print(FILE *f, const struct counter_set *cs,
		   const struct bench_cell *cells, int ncells,
		   const struct samples *s);

#endif
