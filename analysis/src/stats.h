/* Descriptive statistics and bootstrap medians of one sample. */
#ifndef UAREPORT_STATS_H
#define UAREPORT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

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

/*
 * Draws the median of a with-replacement resample of a sorted sample
 * without resampling it: the resample median is order statistic x_(k) with
 * P(median <= x_(k)) = P(Binomial(n, k/n) >= m), m = ceil(n/2), a regularised
 * incomplete beta. The CDF is tabulated once over the ranks where it moves
 * (6 standard deviations either side of m), then each draw is a binary
 * search: O(log n) instead of O(n). For small n the resample is drawn
 * directly, which also gives the exact midpoint median for even n.
 */
struct median_draw {
	uint32_t n, lo, len;	/* cdf[j] = P(resample median <= x_(lo + j)) */
	double *cdf;
};

#define MEDIAN_DRAW_DIRECT_MAX 256

void median_draw_init(struct median_draw *md, uint32_t n);
double median_draw(const struct median_draw *md, const float *sorted,
		   struct rng *r);
void median_draw_free(struct median_draw *md);

/* Regularised incomplete beta I_x(a, b). */
double betainc(double a, double b, double x);

#endif
