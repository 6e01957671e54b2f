/*
 * REPORT.md's table of the in-kernel primitives (uabench --kloop): what
 * one copy_to_user, get_user, struct fetch ... costs inside the kernel,
 * per entry, as the median over its boots of each boot's median per
 * iteration, with the boots' range. The loops' ioctl is one per batch of
 * many iterations: its cost divided by them is in every figure, the same
 * on both sides of a comparison (equal batches).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "stats.h"
#include "util.h"

struct prim_row {
	uint32_t arch, entry, workload, counter, unit;
	uint64_t size, hz;
	float *m;		/* the boots' medians */
	size_t n;
};

static const struct dataset *sort_ds;

/* "copy-to" for kloop-copy-to; a user-* reference keeps its name. */
static const char *primitive_name(const char *workload)
{
	return strncmp(workload, "kloop-", 6) ? workload : workload + 6;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct prim_row *a = pa, *b = pb;
	int c;

	if ((c = strcmp(S(sort_ds, a->arch), S(sort_ds, b->arch))))
		return c;
	if ((c = strcmp(S(sort_ds, a->workload), S(sort_ds, b->workload))))
		return c;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if ((c = strcmp(S(sort_ds, a->counter), S(sort_ds, b->counter))))
		return c;
	return strcmp(S(sort_ds, a->entry), S(sort_ds, b->entry));
}

static struct prim_row *collect(const struct analysis *a, size_t *nrows)
{
	const struct dataset *ds = a->ds;
	char *excluded = xcalloc(ds->nboot + 1, 1);
	struct prim_row *rows = NULL;
	size_t n = 0;

	for (size_t i = 0; i < a->nexcl; i++)
		excluded[a->excl[i].boot] = 1;
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *s = &ds->series[i];
		const struct boot *b = &ds->boot[s->boot];
		struct prim_row *r = NULL;

		if (excluded[s->boot] || !is_kloop(S(ds, s->workload)) ||
		    !s->d.n)
			continue;
		for (size_t j = 0; j < n && !r; j++)
			if (rows[j].arch == b->arch && rows[j].entry == b->entry &&
			    rows[j].workload == s->workload &&
			    rows[j].size == s->size &&
			    rows[j].counter == s->counter &&
			    rows[j].unit == s->unit)
				r = &rows[j];
		if (!r) {
			rows = xrealloc(rows, (n + 1) * sizeof(*rows));
			r = &rows[n++];
			*r = (struct prim_row){
				.arch = b->arch, .entry = b->entry,
				.workload = s->workload, .counter = s->counter,
				.unit = s->unit, .size = s->size, .hz = s->hz,
			};
		}
		r->m = xrealloc(r->m, (r->n + 1) * sizeof(*r->m));
		r->m[r->n++] = (float)s->d.median;
	}
	free(excluded);
	sort_ds = ds;
	if (n)
		qsort(rows, n, sizeof(*rows), row_cmp);
	*nrows = n;
	return rows;
}

/* "median [low, high] (ns)" of one row, or of its one boot. */
static void prim_cell(const struct dataset *ds, struct prim_row *r, FILE *f)
{
	float *tmp = xmalloc((r->n + 1) * sizeof(*tmp));
	double med;

	sort_floats(r->m, tmp, r->n);
	free(tmp);
	med = quantile(r->m, r->n, 0.5);
	fprintf(f, "%.1f", med);
	if (r->n > 1)
		fprintf(f, " [%.1f, %.1f]", r->m[0], r->m[r->n - 1]);
	if (r->hz && !strcmp(S(ds, r->unit), "ticks"))
		fprintf(f, " (%.1f ns)", 1e9 * med / (double)r->hz);
}

static int same_cell(const struct prim_row *a, const struct prim_row *b)
{
	return a->arch == b->arch && a->workload == b->workload &&
	       a->size == b->size && a->counter == b->counter &&
	       a->unit == b->unit;
}

/* One arch's rows (sorted, from *i on): a line per primitive, a column
 * per entry. */
static size_t arch_table(const struct dataset *ds, struct prim_row *rows,
			 size_t n, size_t i, FILE *f)
{
	uint32_t arch = rows[i].arch, *entries = NULL;
	size_t ne = 0, end = i;

	for (; end < n && rows[end].arch == arch; end++) {
		size_t k = 0;

		while (k < ne && entries[k] != rows[end].entry)
			k++;
		if (k == ne) {
			entries = xrealloc(entries, (ne + 1) * sizeof(*entries));
			entries[ne++] = rows[end].entry;
		}
	}
	fprintf(f, "\n### %s\n\n| primitive | size (B) | counter |",
		S(ds, arch));
	for (size_t k = 0; k < ne; k++) {
		fputc(' ', f);
		md_str(f, S(ds, entries[k]));
		fputs(" |", f);
	}
	fputs("\n|---|---:|---|", f);
	for (size_t k = 0; k < ne; k++)
		fputs("---:|", f);
	fputc('\n', f);
	while (i < end) {
		size_t j = i;

		fputs("| ", f);
		md_str(f, primitive_name(S(ds, rows[i].workload)));
		fprintf(f, " | %llu | ", (unsigned long long)rows[i].size);
		md_str(f, S(ds, rows[i].counter));
		fputs(" |", f);
		while (j < end && same_cell(&rows[j], &rows[i]))
			j++;
		for (size_t k = 0; k < ne; k++) {
			fputc(' ', f);
			for (size_t r = i; r < j; r++)
				if (rows[r].entry == entries[k])
					prim_cell(ds, &rows[r], f);
			fputs(" |", f);
		}
		fputc('\n', f);
		for (size_t r = i; r < j; r++)
			free(rows[r].m);
		i = j;
	}
	free(entries);
	return end;
}

void primitives_md(const struct analysis *a, FILE *f)
{
	size_t n;
	struct prim_row *rows = collect(a, &n);

	fputs("\n## In-kernel primitives (uabench --kloop)\n\n", f);
	if (!n) {
		fputs("No boot ran `uabench --kloop` (the lab runs it in every "
		      "boot with the module: `KLOOP=1`).\n", f);
		free(rows);
		return;
	}
	fputs("One uaccess primitive looped inside the kernel by the module's "
	      "`LOOP` ioctl, on a user buffer: per iteration, in the counter's "
	      "unit, the median over the entry's boots of each boot's median, "
	      "with the boots' range when there are several, and in ns where "
	      "the counter's rate is known. `fetch-*-kK`: a struct of K u64 "
	      "fields fetched by K `get_user`, one `copy_from_user`, K "
	      "`unsafe_get_user` in one `user_access_begin` block, or the same "
	      "block opened by `masked_user_access_begin` (x86-64, 6.12 and "
	      "later). `toggle`, `uaccess-pair` and `empty`: see the section "
	      "above. `user-memcpy`, `user-rep-movsb`: the same sizes copied "
	      "in user space, the ceiling of any copy (plot below). The loop's ioctl, once per batch, is spread over the "
	      "batch's iterations, equally in every boot of a cell.\n", f);
	for (size_t i = 0; i < n;)
		i = arch_table(a->ds, rows, n, i, f);
	free(rows);
}
