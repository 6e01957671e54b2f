/* Descriptive statistics, the incomplete beta, t, Welch, BH, detectability. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rng.h"
#include "stats.h"
#include "uab_inject_band.h"
#include "uab_sign_ci.h"

static int cmp_float(const void *x, const void *y)
{
	float a = *(const float *)x, b = *(const float *)y;

	return (a > b) - (a < b);
}

static void sort_matches_qsort(void **state)
{
	enum { N = 100000 };
	float *v = malloc(N * sizeof(*v)), *w = malloc(N * sizeof(*w));
	float *tmp = malloc(N * sizeof(*tmp));
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	for (int i = 0; i < N; i++)
		v[i] = w[i] = (float)(rng_normal(&r) * 1000);	/* signs mixed */
	sort_floats(v, tmp, N);
	qsort(w, N, sizeof(*w), cmp_float);
	assert_memory_equal(v, w, N * sizeof(*v));
	free(v);
	free(w);
	free(tmp);
}

static void desc_of_known_sample(void **state)
{
	float v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 100 };
	float tmp[9];
	struct desc d;

	(void)state;
	desc_compute(v, 9, tmp, &d);
	assert_int_equal(d.n, 9);
	assert_true(d.median == 5);
	assert_true(d.min == 1);
	assert_true(fabs(d.mean - 136.0 / 9) < 1e-9);
	/* deviations from 5: 4 3 2 1 0 1 2 3 95 -> median 2 */
	assert_true(d.mad == 2);
	assert_true(fabs(d.p5 - 1.4) < 1e-6);	/* type 7: 1 + 0.4 * (2 - 1) */
	assert_true(fabs(d.p95 - 63.2) < 1e-4);	/* h = 7.6: 8 + 0.6 * (100 - 8) */
}

static void betainc_known_values(void **state)
{
	(void)state;
	assert_true(fabs(betainc(1, 1, 0.3) - 0.3) < 1e-10);
	assert_true(fabs(betainc(50, 50, 0.5) - 0.5) < 1e-10);
	/* I_x(2, 3) = 6x^2 - 8x^3 + 3x^4 */
	double x = 0.37;

	assert_true(fabs(betainc(2, 3, x) - (6 * x * x - 8 * x * x * x + 3 * x * x * x * x)) < 1e-10);
	/* binomial tail: P(Bin(10, 0.5) >= 5) = 638/1024 = I_0.5(5, 6) */
	assert_true(fabs(betainc(5, 6, 0.5) - 638.0 / 1024) < 1e-10);
}

/* Student t quantiles from any table (R's qt). */
static void t_quantile_known_values(void **state)
{
	(void)state;
	assert_true(fabs(t_quantile(0.975, 1) - 12.7062) < 1e-3);
	assert_true(fabs(t_quantile(0.975, 2) - 4.30265) < 1e-4);
	assert_true(fabs(t_quantile(0.975, 4) - 2.77645) < 1e-4);
	assert_true(fabs(t_quantile(0.975, 10) - 2.22814) < 1e-4);
	assert_true(fabs(t_quantile(0.80, 4) - 0.940965) < 1e-4);
	assert_true(fabs(t_quantile(0.975, 1e6) - 1.95996) < 1e-4);
	assert_true(fabs(t_quantile(0.025, 3) + t_quantile(0.975, 3)) < 1e-8);
	/* fractional df, as Welch-Satterthwaite gives: between its neighbours */
	double q = t_quantile(0.975, 2.5);

	assert_true(q < t_quantile(0.975, 2) && q > t_quantile(0.975, 3));
	assert_true(fabs(t_cdf(t_quantile(0.9, 7.3), 7.3) - 0.9) < 1e-8);
}

/* Welch on a small pair, figures worked by hand from the formulas. */
static void welch_by_hand(void **state)
{
	const double x[] = { 19.1, 20.3, 21.0, 18.7, 20.9 };
	const double y[] = { 17.2, 18.8, 16.9, 18.1 };
	struct welch w;

	(void)state;
	welch(x, 5, y, 4, 0.95, &w);
	/* means 20 and 17.75; variances 1.1 and 0.75 */
	assert_true(fabs(w.diff - 2.25) < 1e-9);
	assert_true(fabs(w.se - sqrt(1.1 / 5 + 0.75 / 4)) < 1e-9);
	assert_true(fabs(w.df - 6.97166) < 1e-4);
	/* t(0.975, 7) = 2.364624; at df 6.97 slightly more */
	double t = (w.hi - w.diff) / w.se;

	assert_true(t > 2.364624 && t < 2.368);
	assert_true(fabs((w.diff - w.lo) - (w.hi - w.diff)) < 1e-9);
	/* |t| = 3.525 on ~7 df: p just under 0.01 */
	assert_true(w.p > 0.008 && w.p < 0.0105);
	/* one value on a side: a difference, no interval */
	welch(x, 1, y, 4, 0.95, &w);
	assert_true(isnan(w.lo) && isnan(w.hi) && isnan(w.p));
}

static void bh_matches_r(void **state)
{
	/* p.adjust(c(0.01, 0.04, 0.03, 0.20), "BH") */
	const double p[] = { 0.01, 0.04, 0.03, 0.20 };
	const double want[] = { 0.04, 0.05333333, 0.05333333, 0.20 };
	double q[4];

	(void)state;
	bh_adjust(p, 4, q);
	for (int i = 0; i < 4; i++)
		assert_true(fabs(q[i] - want[i]) < 1e-6);
}

/* Even n: the midpoint, as desc_compute's median (quantile type 7). */
static void even_median_is_the_midpoint(void **state)
{
	double v[] = { 4, 1, 3, 2 };
	float f[] = { 1, 2, 3, 4 }, tmp[4];
	struct desc d;

	(void)state;
	assert_true(median_of(v, 4) == 2.5);
	desc_compute(f, 4, tmp, &d);
	assert_true(d.median == 2.5);
	assert_true(isnan(median_of(v, 0)));
}

/* More boots detect less; the boots needed meet the target, one fewer not. */
static void detectable_and_boots_needed(void **state)
{
	double sd = 0.02, target = log1p(0.01);
	size_t n;

	(void)state;
	assert_true(detectable_log(sd, 3, 3, 0.95, 0.8) >
		    detectable_log(sd, 10, 10, 0.95, 0.8));
	/* 3 a side: (t.975(4) + t.8(4)) * sd * sqrt(2/3) */
	assert_true(fabs(detectable_log(sd, 3, 3, 0.95, 0.8) -
			 (2.77645 + 0.940965) * sd * sqrt(2.0 / 3)) < 1e-5);
	assert_true(isnan(detectable_log(sd, 1, 3, 0.95, 0.8)));
	n = boots_needed(sd, target, 0.95, 0.8, 1000);
	assert_true(n > 3);
	assert_true(detectable_log(sd, n, n, 0.95, 0.8) < target);
	assert_false(detectable_log(sd, n - 1, n - 1, 0.95, 0.8) < target);
	/* not reachable within 50: 51, never a count that looks reachable */
	assert_int_equal(boots_needed(1.0, target, 0.95, 0.8, 50), 51);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Ranks by hand: P(B(10, .5) <= 1) = 11/1024 <= .025 < 56/1024. */
static void sign_ci_known_ranks(void **state)
{
	(void)state;
	assert_int_equal(uab_sign_ci_rank(10, 0.95), 2);
	assert_int_equal(uab_sign_ci_rank(50, 0.95), 18);
	assert_int_equal(uab_sign_ci_rank(5, 0.95), 0);	/* 2/32 > .05 */
	assert_int_equal(uab_sign_ci_rank(6, 0.95), 1);	/* 2/64 <= .05 */
	assert_int_equal(uab_sign_ci_rank(17, 0.99999), 0);
	assert_true(uab_sign_ci_rank(18, 0.99999) > 0);
}

/*
 * The interval's coverage, simulated at the fewest rounds people use
 * (10): exactly 1 - 2 x 11/1024 = 0.978516 for continuous data. Over
 * 20000 trials the simulated coverage has sd sqrt(.9785 x .0215 / 20000)
 * = 0.00103; outside 4.5 sd of the exact value with probability 7e-6.
 */
static void sign_ci_coverage(void **state)
{
	const size_t n = 10, trials = 20000, k = uab_sign_ci_rank(n, 0.95);
	const double exact = 1 - 2 * 11.0 / 1024, sd = 0.00103;
	struct rng r;
	double v[10];
	size_t covered = 0;

	(void)state;
	rng_seed(&r, 17);
	for (size_t t = 0; t < trials; t++) {
		for (size_t i = 0; i < n; i++)
			v[i] = 3 + rng_normal(&r) * 2;	/* median 3 */
		qsort(v, n, sizeof(*v), cmp_double);
		covered += v[k - 1] <= 3 && 3 <= v[n - k];
	}
	assert_true(fabs((double)covered / trials - exact) < 4.5 * sd);
}

/* The in-boot band [0.75 D, 1.25 D]: an interval must meet it. */
static void inject_band(void **state)
{
	(void)state;
	assert_true(uab_inject_recovered(3900, 4100, 4000));
	assert_true(uab_inject_recovered(4900, 5100, 4000));
	assert_true(uab_inject_recovered(2900, 3100, 4000));
	assert_true(uab_inject_recovered(1000, 9000, 4000));
	assert_false(uab_inject_recovered(2000, 2999, 4000));	/* lost */
	assert_false(uab_inject_recovered(-34, 362, 4000));	/* absent */
	assert_false(uab_inject_recovered(5001, 9000, 4000));	/* doubled */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sort_matches_qsort),
		cmocka_unit_test(desc_of_known_sample),
		cmocka_unit_test(betainc_known_values),
		cmocka_unit_test(t_quantile_known_values),
		cmocka_unit_test(welch_by_hand),
		cmocka_unit_test(bh_matches_r),
		cmocka_unit_test(even_median_is_the_midpoint),
		cmocka_unit_test(detectable_and_boots_needed),
		cmocka_unit_test(sign_ci_known_ranks),
		cmocka_unit_test(sign_ci_coverage),
		cmocka_unit_test(inject_band),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
