/* Scheduling: seeded order, reversal every round, batch sizing, stop rule. */
#include "test.h"

#include <errno.h>
#include <stdio.h>

#include "batch.h"
#include "schedule.h"

static struct counter_set cs;

static void order_is_permutation(void **state)
{
	int order[10], seen[10] = { 0 };

	(void)state;
	schedule_order(10, 42, 0, order);
	for (int i = 0; i < 10; i++) {
		assert_in_range(order[i], 0, 9);
		seen[order[i]]++;
	}
	for (int i = 0; i < 10; i++)
		assert_int_equal(seen[i], 1);
}

static void order_reverses_and_replays(void **state)
{
	int a[10], b[10], c[10], d[10];

	(void)state;
	schedule_order(10, 7, 0, a);
	schedule_order(10, 7, 1, b);
	schedule_order(10, 7, 2, c);
	schedule_order(10, 7, 3, d);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(b[i], a[9 - i]);
		assert_int_equal(c[i], a[i]);
		assert_int_equal(d[i], b[i]);
	}
}

static void order_depends_on_seed(void **state)
{
	int a[10], b[10], identical = 1;

	(void)state;
	schedule_order(10, 1, 0, a);
	schedule_order(10, 2, 0, b);
	for (int i = 0; i < 10; i++)
		identical &= a[i] == b[i];
	assert_false(identical);
}

/* Two cells, rounds 0 and 1: A B then B A, whatever the seed. */
static void two_cells_abba(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 32; seed++) {
		int r0[2], r1[2];

		schedule_order(2, seed, 0, r0);
		schedule_order(2, seed, 1, r1);
		assert_int_equal(r0[0], r1[1]);
		assert_int_equal(r0[1], r1[0]);
	}
}

WL_OP op_count(struct wl_ctx *c)
{
	c->sink++;
}

WL_OP op_fail_late(struct wl_ctx *c)
{
	if (++c->sink == 5000 && !c->failed) {
		c->failed = true;
		c->err = EIO;
	}
}

WL_BATCH(batch_count, op_count)
WL_BATCH(batch_fail_late, op_fail_late)

/*
 * A counter that misbehaves in measured batches (n == 100: the warm-up
 * doubles n from 1, so never runs 100): `bad_left` of them run backwards
 * (a TSC reset) or, with `bad_forward`, step past UAB_DELTA_MAX.
 */
static int bad_left, bad_forward;

static int batch_bad_counter(struct wl_ctx *c, const struct counter_set *counters,
			     uint64_t n, uint64_t *before, uint64_t *after)
{
	int rc = batch_count(c, counters, n, before, after);

	if (n == 100 && bad_left > 0) {
		bad_left--;
		after[0] = bad_forward ? before[0] + UAB_DELTA_MAX + 1 : before[0] - 1;
	}
	return rc;
}

static const struct workload bad_counter = {
	.name = "bad_counter",
	.summary = "counts its calls; its counter misbehaves on demand",
	.batch = batch_bad_counter,
};

static const struct workload counting = {
	.name = "counting",
	.summary = "counts its calls",
	.batch = batch_count,
};

/* Ten times the work of op_count per operation. */
WL_OP op_count10(struct wl_ctx *c)
{
	for (int i = 0; i < 10; i++) {
		c->sink++;
		__asm__ volatile("" : : "r"(c->sink) : "memory");
	}
}

WL_BATCH(batch_count10, op_count10)

static const struct workload grouped_cheap = {
	.name = "grouped_cheap",
	.summary = "counts its calls, batch group g",
	.batch = batch_count,
	.batch_group = "g",
};

static const struct workload grouped_dear = {
	.name = "grouped_dear",
	.summary = "counts ten times a call, batch group g",
	.batch = batch_count10,
	.batch_group = "g",
};

static const struct workload failing = {
	.name = "failing",
	.summary = "fails at the 5000th call",
	.batch = batch_fail_late,
};

/* iters 0: sized by the warm-up. */
static void make_cells(struct bench_cell *cells, int n,
		       const struct workload *w, uint64_t iters)
{
	memset(cells, 0, sizeof(*cells) * (size_t)n);
	for (int i = 0; i < n; i++) {
		cells[i].w = w;
		cells[i].iters = iters;
		snprintf(cells[i].label, sizeof(cells[i].label), "c%d", i);
	}
}

static int open_clock(void **state)
{
	const struct counter_opts o = {
		.fallback = clock_find(UAB_COUNTER_MONOTONIC_RAW),
	};
	char err[256];

	(void)state;
	/* Counters as on the target machines; perf if present, else a clock. */
	return counter_open(&cs, &o, err, sizeof(err));
}

static int close_clock(void **state)
{
	(void)state;
	counter_close(&cs);
	return 0;
}

static void fixed_batches(void **state)
{
	struct schedule_opts o = { .batches = 5,
				   .batch_s = 1e-4, .seed = 3 };
	struct samples s = { 0 };
	struct bench_cell cells[3];
	int order[3];
	char err[256];

	(void)state;
	make_cells(cells, 3, &counting, 100);
	assert_int_equal(schedule_run(cells, 3, &cs, &o, &s, err,
				      sizeof(err)), 0);
	assert_int_equal(s.n, 15);
	for (uint64_t r = 0; r < 5; r++) {
		schedule_order(3, 3, r, order);
		for (int i = 0; i < 3; i++) {
			const struct sample *smp = &s.v[r * 3 + (uint64_t)i];

			assert_int_equal(smp->cell, order[i]);
			assert_int_equal(smp->round, r);
			assert_int_equal(smp->ops, 100);
			/* 100 calls take time on any clock. */
			assert_true(sample_delta(&s, r * 3 + (uint64_t)i)[0] > 0);
		}
	}
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cells[i].iters, 100);
		assert_int_equal(cells[i].rounds, 5);
		/* Warm-up calls plus exactly 5 batches of 100. */
		assert_true(cells[i].ctx.sink >= 500);
	}
	samples_free(&s);
}

static void auto_iters_and_min_time(void **state)
{
	struct schedule_opts o = { .min_time = 0.02, .batch_s = 1e-3,
				   .warmup_s = 0.005, .seed = 9 };
	struct samples s = { 0 };
	struct bench_cell cells[2];
	char err[256];

	(void)state;
	make_cells(cells, 2, &counting, 0);
	assert_int_equal(schedule_run(cells, 2, &cs, &o, &s, err,
				      sizeof(err)), 0);
	for (int i = 0; i < 2; i++) {
		/* An increment costs ns: a 1 ms batch holds thousands. */
		assert_true(cells[i].iters > 1000);
		assert_true(cells[i].measured_s >= 0.02);
		/* Even: both directions equally often. */
		assert_int_equal(cells[i].rounds % 2, 0);
	}
	assert_int_equal(s.n, cells[0].rounds * 2);
	samples_free(&s);
}

/*
 * Sized cells of one batch group run equal batches (the fewest ops any
 * got); fixed iters are left alone.
 */
static void batch_group_runs_equal_batches(void **state)
{
	struct schedule_opts o = { .batches = 2, .batch_s = 1e-3,
				   .warmup_s = 0.002, .seed = 5 };
	struct samples s = { 0 };
	struct bench_cell cells[3];
	char err[256];

	(void)state;
	make_cells(cells, 3, &grouped_cheap, 0);
	cells[1].w = &grouped_dear;
	cells[2].w = &counting;
	assert_int_equal(schedule_run(cells, 3, &cs, &o, &s, err,
				      sizeof(err)), 0);
	assert_int_equal(cells[0].iters, cells[1].iters);
	assert_true(cells[0].sized && cells[1].sized && cells[2].sized);
	samples_free(&s);

	make_cells(cells, 2, &grouped_cheap, 1000);
	cells[1].w = &grouped_dear;
	cells[1].iters = 10;
	assert_int_equal(schedule_run(cells, 2, &cs, &o, &s, err,
				      sizeof(err)), 0);
	assert_int_equal(cells[0].iters, 1000);
	assert_int_equal(cells[1].iters, 10);
	samples_free(&s);
}

static void read_cost_measured(void **state)
{
	double c = schedule_read_cost(&cs);

	(void)state;
	/* Two clock reads: more than nothing, far less than a millisecond. */
	assert_true(c > 0);
	assert_true(c < 1e-3);
}

static void failure_stops_run(void **state)
{
	struct schedule_opts o = { .batches = 100,
				   .batch_s = 1e-4, .seed = 1 };
	struct samples s = { 0 };
	struct bench_cell cells[1];
	char err[256] = "";

	(void)state;
	make_cells(cells, 1, &failing, 1000);
	assert_int_equal(schedule_run(cells, 1, &cs, &o, &s, err,
				      sizeof(err)), -1);
	assert_non_null(strstr(err, "c0"));
	assert_non_null(strstr(err, strerror(EIO)));
	assert_true(s.n < 100);
	samples_free(&s);
}

/* A backwards step is never a delta: the batch is run again in its place. */
static void backwards_batch_is_run_again(void **state)
{
	struct schedule_opts o = { .batches = 5, .batch_s = 1e-4, .seed = 3 };
	struct samples s = { 0 };
	struct bench_cell cells[3];
	char err[256];

	(void)state;
	make_cells(cells, 3, &bad_counter, 100);
	bad_left = 2;
	bad_forward = 0;
	assert_int_equal(schedule_run(cells, 3, &cs, &o, &s, err,
				      sizeof(err)), 0);
	assert_int_equal(bad_left, 0);
	assert_int_equal(s.nfailed, 2);
	assert_non_null(strstr(s.first_failed, "round 0: counter "));
	assert_non_null(strstr(s.first_failed, " ran backwards, "));
	assert_int_equal(s.n, 15);
	for (size_t i = 0; i < s.n; i++)
		assert_true(sample_delta(&s, i)[0] <= UAB_DELTA_MAX);
	for (int i = 0; i < 3; i++)
		assert_int_equal(cells[i].rounds, 5);
	samples_free(&s);
}

/* A step past UAB_DELTA_MAX is discarded too; a counter that keeps
 * misbehaving stops the run instead of retrying for ever. */
static void broken_counter_stops_run(void **state)
{
	struct schedule_opts o = { .batches = 5, .batch_s = 1e-4, .seed = 3 };
	struct samples s = { 0 };
	struct bench_cell cells[1];
	char err[256] = "";

	(void)state;
	make_cells(cells, 1, &bad_counter, 100);
	bad_left = 1000;
	bad_forward = 1;
	assert_int_equal(schedule_run(cells, 1, &cs, &o, &s, err,
				      sizeof(err)), -1);
	assert_int_equal(bad_left, 1000 - FAILED_BATCHES_IN_A_ROW);
	assert_non_null(strstr(err, "10 batches in a row of c0/0 had no valid counter delta"));
	assert_non_null(strstr(err, "over 2^53 in one batch"));
	assert_int_equal(s.n, 0);
	samples_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(order_is_permutation),
		cmocka_unit_test(order_reverses_and_replays),
		cmocka_unit_test(order_depends_on_seed),
		cmocka_unit_test(two_cells_abba),
		cmocka_unit_test_setup_teardown(fixed_batches, open_clock,
						close_clock),
		cmocka_unit_test_setup_teardown(auto_iters_and_min_time,
						open_clock, close_clock),
		cmocka_unit_test_setup_teardown(batch_group_runs_equal_batches,
						open_clock, close_clock),
		cmocka_unit_test_setup_teardown(read_cost_measured, open_clock,
						close_clock),
		cmocka_unit_test_setup_teardown(failure_stops_run, open_clock,
						close_clock),
		cmocka_unit_test_setup_teardown(backwards_batch_is_run_again,
						open_clock, close_clock),
		cmocka_unit_test_setup_teardown(broken_counter_stops_run,
						open_clock, close_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
