#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Map float bits to unsigned keys that sort in the same order. */
static uint32_t float_key(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

void sort_floats(float *v, float *tmp, size_t n)
{
	float *src = v, *dst = tmp;

	/* LSD radix sort, 4 passes of 8 bits; passes ending on src == v. */
	for (int shift = 0; shift < 32; shift += 8) {
		size_t count[257] = { 0 };

		for (size_t i = 0; i < n; i++)
			count[((float_key(src[i]) >> shift) & 0xff) + 1]++;
		if (count[((float_key(src[0]) >> shift) & 0xff) + 1] == n)
			continue;	/* every key has the same byte */
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			dst[count[(float_key(src[i]) >> shift) & 0xff]++] = src[i];
		float *t = src;

		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

double quantile(const float *sorted, size_t n, double q)
{
	double h = q * (double)(n - 1);
	size_t i = (size_t)h;

	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
}

void desc_compute(const float *sorted, size_t n, float *tmp, struct desc *d)
{
	double sum = 0;

	memset(d, 0, sizeof(*d));
	d->n = (uint32_t)n;
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		sum += sorted[i];
	d->mean = sum / (double)n;
	d->median = quantile(sorted, n, 0.5);
	d->min = sorted[0];
	d->max = sorted[n - 1];
	d->p5 = quantile(sorted, n, 0.05);
	d->p25 = quantile(sorted, n, 0.25);
	d->p75 = quantile(sorted, n, 0.75);
	d->p95 = quantile(sorted, n, 0.95);

	/* MAD: deviations from the median are two sorted runs; merge them. */
	size_t lo = 0, hi = n;	/* sorted[lo..] below median, walk outwards */
	size_t split = 0;

	while (split < n && sorted[split] < d->median)
		split++;
	lo = split;
	hi = split;
	for (size_t k = 0; k < n; k++) {
		double dl = lo > 0 ? d->median - sorted[lo - 1] : INFINITY;
		double dh = hi < n ? sorted[hi] - d->median : INFINITY;

		if (dl <= dh) {
			tmp[k] = (float)dl;
			lo--;
		} else {
			tmp[k] = (float)dh;
			hi++;
		}
	}
	d->mad = quantile(tmp, n, 0.5);
}

/* Continued fraction for the incomplete beta (modified Lentz). */
static double betacf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-12;
	double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m < 100000; m++) {
		double m2 = 2.0 * m;
		double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));

		d = 1.0 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1.0 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
		d = 1.0 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1.0 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1.0 / d;
		double del = d * c;

		h *= del;
		if (fabs(del - 1.0) < eps)
			break;
	}
	return h;
}

double betainc(double a, double b, double x)
{
	double front;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) +
		    a * log(x) + b * log1p(-x));
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * betacf(a, b, x) / a;
	return 1.0 - front * betacf(b, a, 1.0 - x) / b;
}

void median_draw_init(struct median_draw *md, uint32_t n)
{
	memset(md, 0, sizeof(*md));
	md->n = n;
	if (n <= MEDIAN_DRAW_DIRECT_MAX)
		return;

	double m = ceil(n / 2.0);
	double half = ceil(6.0 * sqrt((double)n) / 2.0) + 2.0;
	uint32_t lo = m - half < 1 ? 1 : (uint32_t)(m - half);
	uint32_t hi = m + half > n ? n : (uint32_t)(m + half);

	md->lo = lo;
	md->len = hi - lo + 1;
	md->cdf = xmalloc(md->len * sizeof(*md->cdf));
	for (uint32_t j = 0; j < md->len; j++)
		md->cdf[j] = betainc(m, n - m + 1.0, (double)(lo + j) / n);
	md->cdf[md->len - 1] = 1.0;
}

double median_draw(const struct median_draw *md, const float *sorted,
		   struct rng *r)
{
	uint32_t n = md->n;

	if (n <= MEDIAN_DRAW_DIRECT_MAX) {
		/*
		 * The sample is sorted, so the resample median is the value at
		 * the median of the drawn indices: count them, walk the counts.
		 */
		uint16_t count[MEDIAN_DRAW_DIRECT_MAX] = { 0 };
		uint32_t want = (n + 1) / 2, seen = 0, i = 0;

		for (uint32_t k = 0; k < n; k++)
			count[rng_below(r, n)]++;
		while (seen + count[i] < want)
			seen += count[i++];
		if (n % 2 || seen + count[i] > want)
			return sorted[i];
		/* even n, lower middle is the last copy of x_i: average the next */
		uint32_t j = i + 1;

		while (!count[j])
			j++;
		return (sorted[i] + (double)sorted[j]) / 2.0;
	}

	double u = rng_unit(r);
	uint32_t l = 0, h = md->len - 1;

	while (l < h) {
		uint32_t mid = l + (h - l) / 2;

		if (md->cdf[mid] >= u)
			h = mid;
		else
			l = mid + 1;
	}
	return sorted[md->lo + l - 1];
}

void median_draw_free(struct median_draw *md)
{
	free(md->cdf);
	md->cdf = NULL;
}
