/*
 * The coverage claim, small and seeded (make bench-stats prints the whole
 * grid): at 3 boots a side, 2 % between-boot spread and a calib that does
 * not track it, uareport's 95 % intervals cover the true overhead in at
 * least 90 % of trials and the A/A control is rarely "significant". The
 * same check run on a too-narrow interval (80 % sold as 95 %) must fail:
 * this is what a broken method looks like to it.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim.h"

#define TRIALS 400

static const struct sim_row ROW = {
	.boots = 3, .boot_sd = 0.02, .calib_tracks = 0, .noise = 0.04,
	.batches = 50, .shift = 0.05,
};

/* The check make check applies: 0 when the claim holds. */
static int coverage_ok(double level, struct sim_result *r)
{
	sim_run(&ROW, TRIALS, 20261127, level, r);
	print_message("level %.2f: coverage raw %.1f %%, norm %.1f %%; false positives raw %.1f %%, norm %.1f %%\n",
		      level, 100 * r->coverage[0], 100 * r->coverage[1],
		      100 * r->false_pos[0], 100 * r->false_pos[1]);
	for (int v = 0; v < 2; v++)
		if (r->coverage[v] < 0.90 || r->false_pos[v] > 0.10)
			return -1;
	return 0;
}

static void intervals_cover_at_three_boots(void **state)
{
	struct sim_result r;

	(void)state;
	assert_int_equal(coverage_ok(0.95, &r), 0);
	assert_int_equal(r.no_interval, 0);
	/* not vacuous: the intervals are not absurdly wide either */
	assert_true(r.coverage[0] < 0.995);
	assert_true(r.half_width[0] < 10);
}

static void too_narrow_interval_fails_the_check(void **state)
{
	struct sim_result r;

	(void)state;
	assert_int_equal(coverage_ok(0.80, &r), -1);
	assert_true(r.coverage[0] < 0.90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intervals_cover_at_three_boots),
		cmocka_unit_test(too_narrow_interval_fails_the_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
