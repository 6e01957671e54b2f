/* What goes into a result file: header keys, batch rows, a summary. */
#ifndef UAB_REPORT_H
#define UAB_REPORT_H

#include <stdio.h>

#include "args.h"
#include "counter.h"
#include "csv.h"
#include "env.h"
#include "schedule.h"

#define RESULT_SCHEMA	1

struct run_info {
	const struct options *opts;
	const struct env *env;
	const struct counter_set *cs;
	const struct schedule_opts *sched;
	const char *min_time_source;
	const char *utc_start, *utc_end;
	const char *module;	/* "loaded" or why it is missing */
	const char *skipped;	/* cells skipped, "" if none */
	const char *cells;	/* cells run: label/size,... */
	uint64_t rounds;
	double read_cost_s;	/* one begin + end counter read pair */
};

/* 1 if KEY is written by uabench itself, so --meta may not use it. */
int report_key_reserved(const char *key);

void report_header(struct csv_out *c, const struct run_info *ri);
void report_rows(struct csv_out *c, const struct run_info *ri,
		 const struct cell *cells, const struct samples *s);

/* Per cell: batches and median cost of the first counter. */
void report_summary(FILE *f, const struct counter_set *cs,
		    const struct cell *cells, int ncells,
		    const struct samples *s);

#endif
