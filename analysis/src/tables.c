/* overhead.csv/.md, geomean.csv, cost.csv/.md and boots.csv. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"

/* A number, or an empty CSV field when there is none. */
static void num(FILE *f, double v)
{
	if (!isnan(v))
		fprintf(f, "%.6g", v);
}

static void pct_cols(FILE *f, const struct interval *v)
{
	num(f, 100 * v->est);
	fputc(',', f);
	num(f, 100 * v->lo);
	fputc(',', f);
	num(f, 100 * v->hi);
	fprintf(f, ",%s", isnan(v->lo) ? "" :
		interval_significant(v) ? "yes" : "no");
}

static double narrowing(const struct overhead *o)
{
	double wr = o->raw.hi - o->raw.lo, wn = o->norm.hi - o->norm.lo;

	return wr > 0 && isfinite(wn) ? 100 * (1 - wn / wr) : NAN;
}

static int overhead_csv(const struct analysis *a, const char *dir)
{
	const struct dataset *ds = a->ds;
	struct outfile o;

	if (out_open(&o, dir, "overhead.csv"))
		return -1;
	fputs("arch,workload,size,counter,unit,entry,baseline,boots_entry,boots_baseline,"
	      "raw_pct,raw_ci_low,raw_ci_high,raw_significant,"
	      "norm_pct,norm_ci_low,norm_ci_high,norm_significant,"
	      "ci_narrowing_pct,headline\n", o.f);
	for (size_t k = 0; k < a->narch; k++) {
		size_t n;
		uint32_t *cells = sorted_cells(a, a->archs[k], &n);

		for (size_t ci = 0; ci < n; ci++) {
			for (size_t i = 0; i < a->novh; i++) {
				const struct overhead *v = &a->ovh[i];
				const struct cell *c = &a->cell[v->cell];

				if (v->cell != cells[ci])
					continue;
				csv_str(o.f, S(ds, c->arch));
				fputc(',', o.f);
				csv_str(o.f, S(ds, c->workload));
				fprintf(o.f, ",%llu,", (unsigned long long)c->size);
				csv_str(o.f, S(ds, c->counter));
				fprintf(o.f, ",%s,", cell_unit(a, c));
				csv_str(o.f, S(ds, a->entry[v->entry].name));
				fputc(',', o.f);
				csv_str(o.f, S(ds, a->entry[v->baseline].name));
				fprintf(o.f, ",%zu,%zu,", v->nboots_entry,
					v->nboots_baseline);
				pct_cols(o.f, &v->raw);
				fputc(',', o.f);
				pct_cols(o.f, &v->norm);
				fputc(',', o.f);
				num(o.f, narrowing(v));
				fprintf(o.f, ",%s\n", a->headline_norm[k] ? "norm" : "raw");
			}
		}
		free(cells);
	}
	if (out_close(&o) || out_open(&o, dir, "geomean.csv"))
		return -1;
	fputs("arch,counter,entry,baseline,rows,raw_pct,raw_ci_low,raw_ci_high,raw_significant,"
	      "norm_pct,norm_ci_low,norm_ci_high,norm_significant,headline\n", o.f);
	for (size_t i = 0; i < a->ngeo; i++) {
		const struct geomean *g = &a->geo[i];

		csv_str(o.f, S(ds, g->arch));
		fputc(',', o.f);
		csv_str(o.f, S(ds, g->counter));
		fputc(',', o.f);
		csv_str(o.f, S(ds, a->entry[g->entry].name));
		fputc(',', o.f);
		csv_str(o.f, S(ds, a->entry[g->baseline].name));
		fprintf(o.f, ",%zu,", g->ncells);
		pct_cols(o.f, &g->raw);
		fputc(',', o.f);
		pct_cols(o.f, &g->norm);
		fprintf(o.f, ",%s\n",
			a->headline_norm[arch_index(a, g->arch)] ? "norm" : "raw");
	}
	return out_close(&o);
}

/* Protected entries with an overhead on this arch, in entry order. */
static size_t arch_entries(const struct analysis *a, uint32_t arch,
			   uint32_t *out)
{
	size_t n = 0;

	for (uint32_t e = 0; e < a->nentry; e++) {
		for (size_t i = 0; i < a->novh; i++) {
			if (a->ovh[i].entry == e &&
			    a->cell[a->ovh[i].cell].arch == arch) {
				out[n++] = e;
				break;
			}
		}
	}
	return n;
}

static const struct overhead *find_ovh(const struct analysis *a,
				       uint32_t cell, uint32_t entry)
{
	for (size_t i = 0; i < a->novh; i++)
		if (a->ovh[i].cell == cell && a->ovh[i].entry == entry)
			return &a->ovh[i];
	return NULL;
}

static void ovh_cell(FILE *f, const struct interval *v, int one_boot)
{
	char buf[96];

	fmt_pct(buf, sizeof(buf), v);
	fprintf(f, " %s%s%s |", buf, interval_significant(v) ? " \\*" : "",
		one_boot && !isnan(v->est) ? " †" : "");
}

/* One Markdown overhead table for one arch, raw (norm = 0) or normalised. */
void overhead_md_table(const struct analysis *a, FILE *f, size_t k, int norm)
{
	const struct dataset *ds = a->ds;
	uint32_t *ents = xmalloc((a->nentry + 1) * sizeof(*ents));
	size_t ne = arch_entries(a, a->archs[k], ents), n;
	uint32_t *cells = sorted_cells(a, a->archs[k], &n);

	fputs("| workload | size (B) | counter |", f);
	for (size_t e = 0; e < ne; e++) {
		fputc(' ', f);
		md_str(f, S(ds, a->entry[ents[e]].name));
		fputs(" vs ", f);
		md_str(f, S(ds, a->entry[ents[e]].baseline));
		fputs(" (%) |", f);
	}
	fputs("\n|---|---:|---|", f);
	for (size_t e = 0; e < ne; e++)
		fputs("---:|", f);
	fputc('\n', f);
	for (size_t ci = 0; ci < n; ci++) {
		int any = 0;

		for (size_t e = 0; e < ne; e++)
			any |= find_ovh(a, cells[ci], ents[e]) != NULL;
		if (!any)
			continue;
		const struct cell *c = &a->cell[cells[ci]];

		fputs("| ", f);
		md_str(f, S(ds, c->workload));
		fprintf(f, " | %llu | ", (unsigned long long)c->size);
		md_str(f, S(ds, c->counter));
		fputs(" |", f);
		for (size_t e = 0; e < ne; e++) {
			const struct overhead *o = find_ovh(a, cells[ci], ents[e]);

			if (!o)
				fputs(" no baseline data |", f);
			else
				ovh_cell(f, norm ? &o->norm : &o->raw,
					 o->nboots_entry == 1 || o->nboots_baseline == 1);
		}
		fputc('\n', f);
	}
	/* one geometric-mean row per counter, a column per entry */
	for (size_t i = 0; i < a->ngeo; i++) {
		const struct geomean *g = &a->geo[i];
		int first = 1;

		if (g->arch != a->archs[k])
			continue;
		for (size_t j = 0; j < i; j++)
			first &= !(a->geo[j].arch == g->arch &&
				   a->geo[j].counter == g->counter);
		if (!first)
			continue;
		fputs("| **geometric mean** | all | ", f);
		md_str(f, S(ds, g->counter));
		fputs(" |", f);
		for (size_t e = 0; e < ne; e++) {
			const struct geomean *h = NULL;

			for (size_t j = 0; j < a->ngeo; j++)
				if (a->geo[j].arch == g->arch &&
				    a->geo[j].counter == g->counter &&
				    a->geo[j].entry == ents[e])
					h = &a->geo[j];
			if (h)
				ovh_cell(f, norm ? &h->norm : &h->raw, 0);
			else
				fputs(" |", f);
		}
		fputc('\n', f);
	}
	fputs("\nOverhead in % of the baseline, 95 % CI in brackets; \\* = significant "
	      "(the CI excludes 0); † = one boot on a side: the CI covers "
	      "within-boot noise only.\n", f);
	free(ents);
	free(cells);
}

static int overhead_md(const struct analysis *a, const char *dir)
{
	struct outfile o;

	if (out_open(&o, dir, "overhead.md"))
		return -1;
	fputs("# Overhead of each protected entry over its baseline\n", o.f);
	for (size_t k = 0; k < a->narch; k++) {
		int norm = a->headline_norm[k];

		fprintf(o.f, "\n## %s: %s (headline)\n\n", S(a->ds, a->archs[k]),
			norm ? "normalised by each boot's calib median" : "raw");
		overhead_md_table(a, o.f, k, norm);
		fprintf(o.f, "\n## %s: %s\n\n", S(a->ds, a->archs[k]),
			norm ? "raw" : "normalised by each boot's calib median");
		overhead_md_table(a, o.f, k, !norm);
	}
	if (!a->novh)
		fputs("\nNo protected entry has a baseline with data: no overhead to give.\n",
		      o.f);
	return out_close(&o);
}

static int cost_csv(const struct analysis *a, const char *dir)
{
	const struct dataset *ds = a->ds;
	struct outfile o;

	if (out_open(&o, dir, "cost.csv"))
		return -1;
	fputs("arch,workload,size,counter,entry,unit,boots,batches,per_op,ci_low,ci_high\n",
	      o.f);
	for (size_t k = 0; k < a->narch; k++) {
		size_t n;
		uint32_t *cells = sorted_cells(a, a->archs[k], &n);

		for (size_t ci = 0; ci < n; ci++) {
			for (size_t i = 0; i < a->ncost; i++) {
				const struct cost *c = &a->cost[i];
				const struct cell *cl = &a->cell[c->cell];

				if (c->cell != cells[ci])
					continue;
				csv_str(o.f, S(ds, cl->arch));
				fputc(',', o.f);
				csv_str(o.f, S(ds, cl->workload));
				fprintf(o.f, ",%llu,", (unsigned long long)cl->size);
				csv_str(o.f, S(ds, cl->counter));
				fputc(',', o.f);
				csv_str(o.f, S(ds, a->entry[c->entry].name));
				fprintf(o.f, ",%s,%zu,%zu,", cell_unit(a, cl),
					c->nboots, c->nbatches);
				num(o.f, c->v.est);
				fputc(',', o.f);
				num(o.f, c->v.lo);
				fputc(',', o.f);
				num(o.f, c->v.hi);
				fputc('\n', o.f);
			}
		}
		free(cells);
	}
	return out_close(&o);
}

const struct cost *find_cost(const struct analysis *a, uint32_t cell,
			     uint32_t entry)
{
	for (size_t i = 0; i < a->ncost; i++)
		if (a->cost[i].cell == cell && a->cost[i].entry == entry)
			return &a->cost[i];
	return NULL;
}

void cost_md_table(const struct analysis *a, FILE *f, size_t k)
{
	const struct dataset *ds = a->ds;
	size_t n;
	uint32_t *cells = sorted_cells(a, a->archs[k], &n);
	uint32_t *ents = xmalloc((a->nentry + 1) * sizeof(*ents));
	size_t ne = 0;

	for (uint32_t e = 0; e < a->nentry; e++)
		for (size_t ci = 0; ci < n; ci++)
			if (find_cost(a, cells[ci], e)) {
				ents[ne++] = e;
				break;
			}
	fputs("| workload | size (B) | counter | unit |", f);
	for (size_t e = 0; e < ne; e++) {
		fputc(' ', f);
		md_str(f, S(ds, a->entry[ents[e]].name));
		fputs(" |", f);
	}
	fputs("\n|---|---:|---|---|", f);
	for (size_t e = 0; e < ne; e++)
		fputs("---:|", f);
	fputc('\n', f);
	for (size_t ci = 0; ci < n; ci++) {
		const struct cell *c = &a->cell[cells[ci]];

		fputs("| ", f);
		md_str(f, S(ds, c->workload));
		fprintf(f, " | %llu | ", (unsigned long long)c->size);
		md_str(f, S(ds, c->counter));
		fprintf(f, " | %s |", cell_unit(a, c));
		for (size_t e = 0; e < ne; e++) {
			const struct cost *k2 = find_cost(a, cells[ci], ents[e]);

			if (!k2)
				fputs(" |", f);
			else if (isnan(k2->v.lo))
				fprintf(f, " %.4g |", k2->v.est);
			else
				fprintf(f, " %.4g [%.4g, %.4g] |", k2->v.est,
					k2->v.lo, k2->v.hi);
		}
		fputc('\n', f);
	}
	fputs("\nPer operation: mean over boots of each boot's median, 95 % CI from "
	      "the hierarchical bootstrap; ticks are converted to ns where every "
	      "boot recorded its counter frequency (hz).\n", f);
	free(cells);
	free(ents);
}

static int cost_md(const struct analysis *a, const char *dir)
{
	struct outfile o;

	if (out_open(&o, dir, "cost.md"))
		return -1;
	fputs("# Cost per operation\n", o.f);
	for (size_t k = 0; k < a->narch; k++) {
		fprintf(o.f, "\n## %s\n\n", S(a->ds, a->archs[k]));
		cost_md_table(a, o.f, k);
	}
	return out_close(&o);
}

static int boots_csv(const struct analysis *a, const char *dir)
{
	const struct dataset *ds = a->ds;
	struct outfile o;

	if (out_open(&o, dir, "boots.csv"))
		return -1;
	fputs("entry,boot_id,arch,kernel,smap,smep,pan,prot_source,workload,size,"
	      "counter,unit,hz,n,median,mean,mad,min,p5,p95\n", o.f);
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *s = &ds->series[i];
		const struct boot *b = &ds->boot[s->boot];
		const uint32_t str[] = {
			b->entry, b->boot_id, b->arch, b->kernel, b->smap,
			b->smep, b->pan, b->prot_source, s->workload
		};

		for (size_t k = 0; k < sizeof(str) / sizeof(str[0]); k++) {
			csv_str(o.f, S(ds, str[k]));
			fputc(',', o.f);
		}
		fprintf(o.f, "%llu,", (unsigned long long)s->size);
		csv_str(o.f, S(ds, s->counter));
		fprintf(o.f, ",%s,%llu,%u,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n",
			S(ds, s->unit), (unsigned long long)s->hz, s->d.n,
			s->d.median, s->d.mean, s->d.mad, s->d.min, s->d.p5,
			s->d.p95);
	}
	return out_close(&o);
}

int write_tables(const struct analysis *a, const char *dir)
{
	if (overhead_csv(a, dir) || overhead_md(a, dir) || cost_csv(a, dir) ||
	    cost_md(a, dir) || boots_csv(a, dir))
		return -1;
	return 0;
}
