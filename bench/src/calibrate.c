/* In-boot calibration: the injected cost, recovered from paired batches. */
#include "calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "uab_inject_band.h"
#include "uab_sign_ci.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_sorted(const double *v, size_t n)
{
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int find_cell(const struct bench_cell *cells, int ncells,
		     const char *name)
{
	for (int i = 0; i < ncells; i++)
		if (!strcmp(cells[i].label, name))
			return i;
	return -1;
}

/*
 * Batches pair by round: each round runs every cell once, in a random
 * order, so a difference within one round cancels what drifts between
 * rounds. The module's wait costs D plus a fixed part (its first counter
 * read, the read that ends it), which 2D - D cancels and D - 0 does not:
 * 2D - D is checked against D (uab_inject_band.h), D - 0 - D is printed
 * as the fixed part.
 */
int calibrate_compute(const struct bench_cell *cells, int ncells,
		      const struct samples *s, const struct counter_set *cs,
		      unsigned ticks, struct calibrate_result *r)
{
	const char *const names[3] = { "inject-0", "inject-d", "inject-2d" };
	int idx[3];
	size_t n = SIZE_MAX, k;
	double *v[3], *d;

	for (int j = 0; j < 3; j++) {
		idx[j] = find_cell(cells, ncells, names[j]);
		if (idx[j] < 0)
			return -1;
		if (cells[idx[j]].rounds < n)
			n = cells[idx[j]].rounds;
	}
	memset(r, 0, sizeof(*r));
	r->counter = cs->desc[0].name;
	r->checkable = cs->clock && cs->clock == clock_default();
	r->ticks = ticks;
	r->rounds = n;
	r->recovered = r->lo = r->hi = r->fixed = NAN;
	if (!n)
		return 0;
	v[0] = calloc(4 * n, sizeof(double));
	if (!v[0])
		return -1;
	v[1] = v[0] + n;
	v[2] = v[1] + n;
	d = v[2] + n;
	for (size_t i = 0; i < s->n; i++) {
		const struct sample *smp = &s->v[i];

		for (int j = 0; j < 3; j++)
			if ((int)smp->cell == idx[j] && smp->round < n)
				v[j][smp->round] = (double)sample_delta(s, i)[0] /
						   (double)smp->ops;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = v[1][i] - v[0][i];
	qsort(d, n, sizeof(*d), cmp_double);
	r->fixed = median_sorted(d, n) - ticks;
	for (size_t i = 0; i < n; i++)
		d[i] = v[2][i] - v[1][i];
	qsort(d, n, sizeof(*d), cmp_double);
	r->recovered = median_sorted(d, n);
	k = uab_sign_ci_rank(n, CALIBRATE_LEVEL);
	if (k) {
		r->lo = d[k - 1];
		r->hi = d[n - k];
		r->recovers = uab_inject_recovered(r->lo, r->hi, ticks);
	}
	free(v[0]);
	return 0;
}

void calibrate_print(FILE *f, const struct calibrate_result *r)
{
	fprintf(f,
		"uabench: calibrate: injected %u %s per access, recovered %.1f [%.1f, %.1f] (%g %% CI, %zu rounds; the wait's fixed part %.0f): ",
		r->ticks, r->checkable ? r->counter : "ticks", r->recovered,
		r->lo, r->hi, CALIBRATE_LEVEL * 100, r->rounds, r->fixed);
	if (!r->checkable)
		fprintf(f, "not checked: the counter is %s, the injection is in ticks of %s\n",
			r->counter, uab_counter_names[clock_default()->counter]);
	else if (isnan(r->lo))
		fprintf(f, "not checked: too few rounds for an interval\n");
	else if (r->recovers)
		fprintf(f, "the instrument recovers it (within [%g D, %g D])\n",
			1 - UAB_INJECT_SLACK, 1 + UAB_INJECT_SLACK);
	else
		fprintf(f, "INSTRUMENT NOT TRUSTWORTHY on this machine (frequency scaling, SMT neighbours, a broken counter?)\n");
}
