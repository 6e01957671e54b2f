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

double t_cdf(double t, double df)
{
	double tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t));

	return t > 0 ? 1.0 - tail : tail;
}

double t_quantile(double p, double df)
{
	double lo = -1.0, hi = 1.0;

	/* t_cdf is monotone: widen a bracket, then bisect it */
	while (t_cdf(lo, df) > p && lo > -1e12)
		lo *= 4;
	while (t_cdf(hi, df) < p && hi < 1e12)
		hi *= 4;
	for (int i = 0; i < 200 && hi - lo > 1e-10 * (1 + fabs(lo)); i++) {
		double mid = 0.5 * (lo + hi);

		if (t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

void mean_var(const double *x, size_t n, double *mean, double *var)
{
	double m = 0, ss = 0;

	for (size_t i = 0; i < n; i++)
		m += x[i];
	m = n ? m / (double)n : NAN;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	*mean = m;
	*var = n > 1 ? ss / (double)(n - 1) : NAN;
}

/*
 * Welch: the two sides may have different boot-to-boot spreads (a
 * protection can add variance of its own), so no pooled variance, and the
 * degrees of freedom come from Welch-Satterthwaite.
 */
void welch(const double *x, size_t nx, const double *y, size_t ny,
	   double level, struct welch *w)
{
	double mx, vx, my, vy;

	mean_var(x, nx, &mx, &vx);
	mean_var(y, ny, &my, &vy);
	w->diff = mx - my;
	w->se = w->df = w->lo = w->hi = w->p = NAN;
	if (nx < 2 || ny < 2)
		return;

	double ax = vx / (double)nx, ay = vy / (double)ny;

	w->se = sqrt(ax + ay);
	if (!(w->se > 0)) {
		/* identical boots on both sides: no spread to estimate */
		w->se = 0;
		w->df = (double)(nx + ny - 2);
		w->lo = w->hi = w->diff;
		w->p = w->diff == 0 ? 1.0 : 0.0;
		return;
	}
	w->df = (ax + ay) * (ax + ay) /
		(ax * ax / (double)(nx - 1) + ay * ay / (double)(ny - 1));

	double t = t_quantile(0.5 + level / 2.0, w->df);

	w->lo = w->diff - t * w->se;
	w->hi = w->diff + t * w->se;
	w->p = 2.0 * t_cdf(-fabs(w->diff / w->se), w->df);
}

void t_interval(const double *x, size_t n, double level, double *mean,
		double *lo, double *hi)
{
	double var;

	mean_var(x, n, mean, &var);
	*lo = *hi = NAN;
	if (n < 2)
		return;

	double h = t_quantile(0.5 + level / 2.0, (double)(n - 1)) *
		   sqrt(var / (double)n);

	*lo = *mean - h;
	*hi = *mean + h;
}

void bh_adjust(const double *p, size_t n, double *q)
{
	size_t *order = xmalloc((n + 1) * sizeof(*order));

	/* insertion sort of indices by p: n is a report's cell count */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (j > 0 && p[order[j - 1]] > p[i]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	double run = 1.0;

	for (size_t k = n; k-- > 0;) {
		double v = p[order[k]] * (double)n / (double)(k + 1);

		run = v < run ? v : run;
		q[order[k]] = run;
	}
	free(order);
}

double detectable_log(double sd, size_t nx, size_t ny, double level,
		      double power)
{
	if (nx < 2 || ny < 2 || !(sd >= 0))
		return NAN;

	double df = (double)(nx + ny - 2);
	double se = sd * sqrt(1.0 / (double)nx + 1.0 / (double)ny);

	return (t_quantile(0.5 + level / 2.0, df) + t_quantile(power, df)) * se;
}

size_t boots_needed(double sd, double target_log, double level, double power,
		    size_t most)
{
	size_t lo = 2, hi = most;

	/* the detectable difference falls as n grows: bisect on n */
	if (!(detectable_log(sd, most, most, level, power) < target_log))
		return most + 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (detectable_log(sd, mid, mid, level, power) < target_log)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

double median_of(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
