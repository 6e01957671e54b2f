/* Descriptive statistics, t intervals and what a sample can detect. */
#ifndef UAREPORT_STATS_H
#define UAREPORT_STATS_H

#include <stddef.h>
#include <stdint.h>


struct desc {
	uint32_t n;
	double median, mean, mad, min, p5, p25, p75, p95, max;
};

/* Sort v ascending; tmp holds n floats. Radix sort: 10M values in ~0.1 s. */
void sort_floats(float *v, float *tmp, size_t n);
/* Quantile q in [0, 1] of sorted v, linear interpolation (type 7). */
double quantile(const float *sorted, size_t n, double q);
/* Summaries of sorted v; tmp holds n floats (for the MAD). */
void desc_compute(const float *sorted, size_t n, float *tmp, struct desc *d);

/* Regularised incomplete beta I_x(a, b). */
double betainc(double a, double b, double x);
/* Student t with df degrees of freedom (df > 0, not necessarily integer). */
double t_cdf(double t, double df);
double t_quantile(double p, double df);

/* Median of v (reordered), the midpoint for even n; NAN when empty. */
double median_of(double *v, size_t n);
/* Mean and sample variance (n - 1); var NAN when n < 2. */
void mean_var(const double *x, size_t n, double *mean, double *var);

/* Welch two-sample t: mean(x) - mean(y) with its interval and p-value. */
struct welch {
	double diff, se, df;	/* se, df NAN when a side has < 2 values */
	double lo, hi;		/* at the level asked, NAN without se */
	double p;		/* two-sided, H0: no difference */
};

void welch(const double *x, size_t nx, const double *y, size_t ny,
	   double level, struct welch *w);
/* One-sample t interval of the mean; lo/hi NAN when n < 2. */
void t_interval(const double *x, size_t n, double level, double *mean,
		double *lo, double *hi);
/* Benjamini-Hochberg adjusted p-values (q) of p[0..n). */
void bh_adjust(const double *p, size_t n, double *q);
/*
 * Smallest true difference (same scale as sd) that a two-sided test at
 * `level` detects with probability `power`, with nx and ny values of spread
 * sd a side: (t_{(1+level)/2} + t_{power}) * sd * sqrt(1/nx + 1/ny),
 * df = nx + ny - 2. NAN when a side has < 2.
 */
double detectable_log(double sd, size_t nx, size_t ny, double level,
		      double power);
/* Fewest values a side (equal sides, 2..most) whose detectable difference
 * is under target; most + 1 when even `most` is not enough. */
size_t boots_needed(double sd, double target_log, double level, double power,
		    size_t most);

#endif
