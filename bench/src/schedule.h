/*
 * Scheduling: cells (workload x size) are warmed up, then run one batch per
 * cell per round, in a seeded random order that reverses every round
 * (A B C, C B A, ...), so slow drift and order effects cancel.
 */
#ifndef UAB_SCHEDULE_H
#define UAB_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "counter.h"
#include "workload.h"

#define CELL_LABEL_LEN	48

struct bench_cell {
	const struct workload *w;
	char label[CELL_LABEL_LEN];	/* "null", or "null~2" for a repeat */
	size_t size;
	struct wl_ctx ctx;
	uint64_t iters;			/* ops per batch; 0: size it */
	bool sized;			/* iters from the warm-up */
	uint64_t rounds;		/* batches measured */
	double measured_s;		/* wall time inside its batches */
};

struct sample {
	uint32_t cell;
	uint32_t round;
	uint64_t ops;
};

/*
 * A batch whose counter ran backwards, or stepped more than
 * UAB_DELTA_MAX, is discarded and run again in its place (issue 26): its
 * after - before would be written as about 2^64. This many in a row for
 * one cell stop the run.
 */
#define FAILED_BATCHES_IN_A_ROW	10

/* One sample per batch; its counter deltas at delta[i * ncounters + k]. */
struct samples {
	struct sample *v;
	uint64_t *delta;
	int ncounters;
	size_t n, cap;
	uint64_t nfailed;		/* batches discarded */
	char first_failed[256];		/* why the first was: cell, round, counter */
};

struct schedule_opts {
	uint64_t batches;	/* 0: run until min_time per cell */
	double min_time;	/* seconds of batches per cell */
	double batch_s;		/* target batch duration */
	double warmup_s;	/* warm-up per cell */
	uint64_t seed;
};

/*
 * Seconds one begin + end counter read pair costs (median of short trials):
 * the harness cost each batch carries, whatever its length.
 */
double schedule_read_cost(const struct counter_set *cs);

/* The cell order of a round: a permutation, reversed on odd rounds. */
void schedule_order(int ncells, uint64_t seed, uint64_t round, int *order);

/*
 * Warm up and measure. Returns 0, or -1 with a reason in err (a workload
 * failed, a counter could not be read or kept running backwards, out of
 * memory).
 */
int schedule_run(struct bench_cell *cells, int ncells, const struct counter_set *cs,
		 const struct schedule_opts *o, struct samples *out,
		 char *err, size_t errlen);

void samples_free(struct samples *s);

static inline const uint64_t *sample_delta(const struct samples *s, size_t i)
{
	return s->delta + i * (size_t)s->ncounters;
}

#endif
