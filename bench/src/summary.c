/* Summary on stdout: one line per cell, median of its first counter. */
#include "summary.h"

#include <inttypes.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void summary_print(FILE *f, const struct counter_set *cs,
		   const struct bench_cell *cells, int ncells,
		   const struct samples *s)
{
	double *v = malloc((s->n ? s->n : 1) * sizeof(*v));

	if (!v)
		return;
	fprintf(f, "%-20s %8s %8s %10s %14s %s\n", "workload", "size",
		"batches", "ops/batch", "median/op", cs->desc[0].unit);
	for (int ci = 0; ci < ncells; ci++) {
		size_t n = 0;

		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].cell == (uint32_t)ci)
				v[n++] = (double)sample_delta(s, i)[0] /
					 (double)s->v[i].ops;
		if (!n)
			continue;
		qsort(v, n, sizeof(*v), cmp_double);
		fprintf(f, "%-20s %8zu %8zu %10" PRIu64 " %14.3f\n",
			cells[ci].label, cells[ci].size, n, cells[ci].iters,
			n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
	}
	free(v);
}
