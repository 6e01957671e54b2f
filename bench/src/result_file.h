/*
 * The result file (schema in include/uab_schema.h, data/README.md): header
 * keys, then one row per batch and counter.
 */
#ifndef UAB_RESULT_FILE_H
#define UAB_RESULT_FILE_H

#include "args.h"
#include "counter.h"
#include "csv.h"
#include "env.h"
#include "schedule.h"

/* What a result file records besides the batches. */
struct result_inputs {
	const struct options *opts;
	const struct env *env;
	const struct counter_set *cs;
	const struct schedule_opts *sched;
	const char *iters;		/* header `iters` */
	const char *min_time_source;
	const char *utc_start, *utc_end;
	const char *module;	/* "loaded" or why it is missing */
	const char *skipped;	/* cells skipped, "" if none */
	const char *cells;	/* cells run: label/size,... */
	const char *calib_workload;	/* label of the calib cell */
	const char *failed_batches;	/* header `failed_batches`, NULL: none */
	uint64_t rounds;
	double read_cost_s;	/* one begin + end counter read pair */
};

/*
 * Refuse, before measuring, any value that would give a field readers
 * refuse (rows are never quoted). 0, or -1 with the reason in err.
 */
int result_file_check_fields(const struct result_inputs *in,
			     const struct bench_cell *cells, int ncells,
			     char *err, size_t errlen);

void result_file_header(struct csv_out *c, const struct result_inputs *in);
void result_file_rows(struct csv_out *c, const struct result_inputs *in,
		      const struct bench_cell *cells,
		      const struct samples *s);

#endif
