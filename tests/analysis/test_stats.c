/* Descriptive statistics, the incomplete beta and bootstrap median draws. */
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

/* Median of an explicit with-replacement resample: the slow reference. */
static double resample_median(const float *v, uint32_t n, struct rng *r, float *buf)
{
	for (uint32_t i = 0; i < n; i++)
		buf[i] = v[rng_below(r, n)];
	qsort(buf, n, sizeof(*buf), cmp_float);
	return n % 2 ? buf[n / 2] : (buf[n / 2 - 1] + (double)buf[n / 2]) / 2;
}

/* The O(log n) draw has the law of the resample median (mean and sd). */
static void median_draw_matches_resampling(void **state)
{
	enum { N = 2001, DRAWS = 4000 };
	float *v = malloc(N * sizeof(*v)), *tmp = malloc(N * sizeof(*tmp));
	float *buf = malloc(N * sizeof(*buf));
	struct median_draw md;
	struct rng r;
	double s1 = 0, q1 = 0, s2 = 0, q2 = 0;

	(void)state;
	rng_seed(&r, 3);
	for (int i = 0; i < N; i++)
		v[i] = (float)exp(rng_normal(&r));	/* skewed */
	sort_floats(v, tmp, N);
	median_draw_init(&md, N);
	assert_non_null(md.cdf);
	for (int i = 0; i < DRAWS; i++) {
		double a = median_draw(&md, v, &r), b = resample_median(v, N, &r, buf);

		s1 += a;
		q1 += a * a;
		s2 += b;
		q2 += b * b;
	}
	double m1 = s1 / DRAWS, m2 = s2 / DRAWS;
	double sd1 = sqrt(q1 / DRAWS - m1 * m1), sd2 = sqrt(q2 / DRAWS - m2 * m2);

	assert_true(fabs(m1 - m2) < 0.1 * sd2);
	assert_true(sd1 / sd2 > 0.9 && sd1 / sd2 < 1.1);
	median_draw_free(&md);
	free(v);
	free(tmp);
	free(buf);
}

static void small_draw_is_a_resample_median(void **state)
{
	float v[] = { 1, 2, 3, 4 };
	struct median_draw md;
	struct rng r;
	int seen_half = 0;

	(void)state;
	rng_seed(&r, 11);
	median_draw_init(&md, 4);
	assert_null(md.cdf);
	for (int i = 0; i < 1000; i++) {
		double m = median_draw(&md, v, &r);

		/* even n: the midpoint of two resampled values */
		assert_true(m >= 1 && m <= 4);
		assert_true(fmod(m * 2, 1) == 0);
		seen_half |= fmod(m, 1) != 0;
	}
	assert_true(seen_half);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sort_matches_qsort),
		cmocka_unit_test(desc_of_known_sample),
		cmocka_unit_test(betainc_known_values),
		cmocka_unit_test(median_draw_matches_resampling),
		cmocka_unit_test(small_draw_is_a_resample_median),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
