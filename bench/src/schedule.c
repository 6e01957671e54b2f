/* Warm-up, batch sizing and the interleaved, direction-alternating rounds. */
#define _GNU_SOURCE
#include "schedule.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Warm batches timed after the cold sizing, at the least: the fastest sizes. */
#define WARM_BATCHES_MIN	5

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

void schedule_order(int ncells, uint64_t seed, uint64_t round, int *order)
{
	uint64_t state = seed;

	for (int i = 0; i < ncells; i++)
		order[i] = i;
	for (int i = ncells - 1; i > 0; i--) {
		int j = (int)(splitmix64(&state) % (uint64_t)(i + 1));
		int t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	if (round & 1) {
		for (int i = 0, j = ncells - 1; i < j; i++, j--) {
			int t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double schedule_read_cost(const struct counter_set *cs)
{
	enum { TRIALS = 9, PAIRS = 100 };
	uint64_t a[COUNTER_MAX], b[COUNTER_MAX];
	double t[TRIALS];

	for (int i = 0; i < TRIALS; i++) {
		double t0 = now_s();

		for (int k = 0; k < PAIRS; k++) {
			counter_read_begin(cs, a);
			counter_read_end(cs, b);
		}
		t[i] = (now_s() - t0) / PAIRS;
	}
	qsort(t, TRIALS, sizeof(t[0]), cmp_double);
	return t[TRIALS / 2];
}

/* Wall time of one batch of n operations (warm-up and sizing). */
static double time_batch(struct bench_cell *c, const struct counter_set *cs,
			 uint64_t n)
{
	uint64_t before[COUNTER_MAX], after[COUNTER_MAX];
	double t0 = now_s();

	c->w->batch(&c->ctx, cs, n, before, after);
	return now_s() - t0;
}

static int cell_failed(const struct bench_cell *c, char *err, size_t errlen)
{
	if (!c->ctx.failed)
		return 0;
	snprintf(err, errlen, "workload %s size %zu failed: %s", c->label,
		 c->size, strerror(c->ctx.err));
	return -1;
}

/*
 * Settle caches and the kernel path, then size the batch for batch_s from
 * the fastest warm batch. Sizing from the first calls alone is wrong under
 * emulation (QEMU TCG): they also pay for translating code, so a cell that
 * is slow once and fast afterwards would get batches of one operation.
 */
static int warm_up(struct bench_cell *c, const struct counter_set *cs,
		   const struct schedule_opts *o, char *err, size_t errlen)
{
	uint64_t n = 1;
	double el = 0, best, spent = 0;

	/*
	 * Twice: the first calls of the first pass may pay for translation
	 * alone past the target, which would stop the doubling at n = 1.
	 */
	for (int pass = 0; pass < 2; pass++) {
		for (n = 1;; n *= 2) {
			el = time_batch(c, cs, n);
			spent += el;
			if (cell_failed(c, err, errlen))
				return -1;
			if (el >= o->batch_s / 2 || n >= (UINT64_C(1) << 40))
				break;
		}
	}
	best = el;
	for (int k = 0; k < WARM_BATCHES_MIN || spent < o->warmup_s; k++) {
		el = time_batch(c, cs, n);
		spent += el;
		if (cell_failed(c, err, errlen))
			return -1;
		if (el < best)
			best = el;
	}
	/* Ops per batch fixed by the caller (--iters, --iters-from) stay. */
	if (c->iters)
		return 0;
	c->sized = true;
	c->iters = best > 0 ? (uint64_t)((double)n * o->batch_s / best) : n;
	if (c->iters == 0)
		c->iters = 1;
	return 0;
}

/*
 * Why the counters of one batch cannot be a delta (written to why), or
 * NULL: one ran backwards, or stepped more than any batch can.
 */
static const char *bad_step(const struct counter_set *cs, const uint64_t *before,
			    const uint64_t *after, char *why, size_t len)
{
	for (int k = 0; k < cs->n; k++) {
		if (after[k] < before[k])
			snprintf(why, len, "counter %s ran backwards, %" PRIu64 " to %" PRIu64,
				 cs->desc[k].name, before[k], after[k]);
		else if (after[k] - before[k] > UAB_DELTA_MAX)
			snprintf(why, len, "counter %s stepped %" PRIu64 ", over "
				 UAB_DELTA_MAX_STR " in one batch",
				 cs->desc[k].name, after[k] - before[k]);
		else
			continue;
		return why;
	}
	return NULL;
}

/*
 * One batch of cell c into before/after, run again in its place while its
 * counters make no delta. 0, or -1 with the reason in err.
 */
static int measure_batch(struct bench_cell *c, const struct counter_set *cs,
			 struct samples *out, uint64_t *before, uint64_t *after,
			 char *err, size_t errlen)
{
	char why[192];

	for (int tries = 0;; tries++) {
		double t0 = now_s();

		if (c->w->batch(&c->ctx, cs, c->iters, before, after) < 0) {
			snprintf(err, errlen,
				 "reading the perf counters failed (or they were multiplexed: name fewer --events)");
			return -1;
		}
		c->measured_s += now_s() - t0;
		if (cell_failed(c, err, errlen))
			return -1;
		if (!bad_step(cs, before, after, why, sizeof(why)))
			return 0;
		if (!out->nfailed++)
			snprintf(out->first_failed, sizeof(out->first_failed),
				 "%s/%zu round %" PRIu64 ": %s", c->label, c->size,
				 c->rounds, why);
		if (tries + 1 == FAILED_BATCHES_IN_A_ROW) {
			snprintf(err, errlen, "%d batches in a row of %s/%zu had no valid "
				 "counter delta (last: %s): a broken counter",
				 FAILED_BATCHES_IN_A_ROW, c->label, c->size, why);
			return -1;
		}
	}
}

static int samples_push(struct samples *s, const struct sample *smp,
		const uint64_t *before, const uint64_t *after)
{
	size_t nc = (size_t)s->ncounters;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		struct sample *v = realloc(s->v, cap * sizeof(*v));
		uint64_t *d;

		if (!v)
			return -1;
		s->v = v;
		d = realloc(s->delta, cap * nc * sizeof(*d));
		if (!d)
			return -1;
		s->delta = d;
		s->cap = cap;
	}
	for (size_t k = 0; k < nc; k++)
		s->delta[s->n * nc + k] = after[k] - before[k];
	s->v[s->n++] = *smp;
	return 0;
}

static int rounds_done(const struct bench_cell *cells, int ncells,
		const struct schedule_opts *o, uint64_t round)
{
	if (o->batches)
		return round >= o->batches;
	/* Even round count: each direction equally often. */
	if (round & 1)
		return 0;
	for (int i = 0; i < ncells; i++)
		if (cells[i].measured_s < o->min_time)
			return 0;
	return round > 0;
}

/* Sized cells of one batch group: the fewest ops any of them got. */
static void equal_groups(struct bench_cell *cells, int ncells)
{
	for (int i = 0; i < ncells; i++) {
		const char *g = cells[i].w->batch_group;

		if (!g || !cells[i].sized)
			continue;
		for (int j = 0; j < ncells; j++)
			if (cells[j].sized && cells[j].w->batch_group &&
			    !strcmp(cells[j].w->batch_group, g) &&
			    cells[j].iters < cells[i].iters)
				cells[i].iters = cells[j].iters;
	}
}

int schedule_run(struct bench_cell *cells, int ncells, const struct counter_set *cs,
		 const struct schedule_opts *o, struct samples *out,
		 char *err, size_t errlen)
{
	int *order = calloc((size_t)ncells, sizeof(*order));
	uint64_t round;

	if (!order) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	out->ncounters = cs->n;
	schedule_order(ncells, o->seed, 0, order);
	for (int i = 0; i < ncells; i++) {
		if (warm_up(&cells[order[i]], cs, o, err, errlen) < 0)
			goto fail;
	}
	equal_groups(cells, ncells);
	for (round = 0; !rounds_done(cells, ncells, o, round); round++) {
		schedule_order(ncells, o->seed, round, order);
		for (int i = 0; i < ncells; i++) {
			struct bench_cell *c = &cells[order[i]];
			struct sample smp = { .cell = (uint32_t)order[i],
					      .round = (uint32_t)c->rounds,
					      .ops = c->iters };
			uint64_t before[COUNTER_MAX], after[COUNTER_MAX];

			if (measure_batch(c, cs, out, before, after, err, errlen))
				goto fail;
			c->rounds++;
			if (samples_push(out, &smp, before, after) < 0) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
		}
	}
	free(order);
	return 0;
fail:
	free(order);
	return -1;
}

void samples_free(struct samples *s)
{
	free(s->v);
	free(s->delta);
	s->v = NULL;
	s->delta = NULL;
	s->n = s->cap = 0;
}
