/*
 * overhead.csv/.md, geomean.csv, cost.csv/.md and boots.csv, from the
 * results structure only. Each file is one row of WRITERS.
 */
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
	fputc(',', f);
	num(f, v->p);
}

static void strs(FILE *f, const struct analysis *a, const uint32_t *ids,
		 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		csv_str(f, S(a->ds, ids[i]));
		fputc(',', f);
	}
}

/* In CSV: empty without a spread, BOOTS_MAX + 1 for "more than BOOTS_MAX". */
static void boots_for_csv(FILE *f, size_t n)
{
	if (n != BOOTS_NO_SPREAD)
		fprintf(f, "%zu", n);
}

static int overhead_csv(const struct writer_ctx *w, FILE *f)
{
	const struct analysis *a = w->a;

	fputs("arch,workload,size,counter,unit,entry,baseline,kernel_series,kernel,control,"
	      "boots_entry,boots_baseline,"
	      "raw_pct,raw_ci_low,raw_ci_high,raw_p,"
	      "norm_pct,norm_ci_low,norm_ci_high,norm_p,"
	      "headline,q_bh,significant,boot_sd_pct,detectable_pct,"
	      "boots_for_1pct,boots_for_0.5pct,batch_ratio,"
	      "abs_diff,abs_ci_low,abs_ci_high,abs_unit,abs_diff_ns\n", f);
	for (size_t k = 0; k < a->narch; k++) {
		size_t n;
		uint32_t *cells = sorted_cells(a, a->archs[k], &n);

		for (size_t ci = 0; ci < n; ci++) {
			for (size_t i = 0; i < a->novh; i++) {
				const struct overhead *v = &a->ovh[i];
				const struct cell *c = &a->cell[v->cell];

				if (v->cell != cells[ci])
					continue;
				const uint32_t ids[] = { c->arch, c->workload };

				strs(f, a, ids, 2);
				fprintf(f, "%llu,", (unsigned long long)c->size);
				csv_str(f, S(a->ds, c->counter));
				fprintf(f, ",%s,", cell_unit(a, c));

				const struct entry *e = &a->entry[v->entry];
				const uint32_t who[] = {
					e->name, a->entry[v->baseline].name, e->series,
					e->kernel,
				};

				strs(f, a, who, 4);
				fprintf(f, "%s,%zu,%zu,", c->is_control ? "yes" : "no",
					v->nboots_entry, v->nboots_baseline);
				pct_cols(f, &v->v[VAR_RAW]);
				fputc(',', f);
				pct_cols(f, &v->v[VAR_NORM]);
				fprintf(f, ",%s,", variant_name(a->opts.headline));
				num(f, v->v[a->opts.headline].q);
				fprintf(f, ",%s,", v->significant ? "yes" : "no");
				num(f, 100 * v->boot_sd);
				fputc(',', f);
				num(f, 100 * v->detectable);
				fputc(',', f);
				boots_for_csv(f, v->boots_1pct);
				fputc(',', f);
				boots_for_csv(f, v->boots_05pct);
				fputc(',', f);
				num(f, v->batch_ratio);
				fputc(',', f);
				num(f, v->abs.est);
				fputc(',', f);
				num(f, v->abs.lo);
				fputc(',', f);
				num(f, v->abs.hi);
				fprintf(f, ",%s,", S(a->ds, c->unit));
				num(f, c->to_ns && v->hz ?
				       v->abs.est * 1e9 / (double)v->hz : NAN);
				fputc('\n', f);
			}
		}
		free(cells);
	}
	return 0;
}

static int geomean_csv(const struct writer_ctx *w, FILE *f)
{
	const struct analysis *a = w->a;

	fputs("arch,counter,entry,baseline,kernel_series,kernel,rows,"
	      "boots_entry,boots_baseline,"
	      "raw_pct,raw_ci_low,raw_ci_high,raw_p,"
	      "norm_pct,norm_ci_low,norm_ci_high,norm_p,headline\n", f);
	for (size_t i = 0; i < a->ngeo; i++) {
		const struct geomean *g = &a->geo[i];
		const struct entry *e = &a->entry[g->entry];
		const uint32_t ids[] = {
			g->arch, g->counter, e->name, a->entry[g->baseline].name,
			e->series, e->kernel,
		};

		strs(f, a, ids, 6);
		fprintf(f, "%zu,%zu,%zu,", g->ncells, g->nboots_entry,
			g->nboots_baseline);
		pct_cols(f, &g->v[VAR_RAW]);
		fputc(',', f);
		pct_cols(f, &g->v[VAR_NORM]);
		fprintf(f, ",%s\n", variant_name(a->opts.headline));
	}
	return 0;
}

static void ovh_cell(FILE *f, const struct interval *v, int significant)
{
	char buf[96];

	fmt_pct(buf, sizeof(buf), v);
	fprintf(f, " %s%s |", buf, significant ? " \\*" : "");
}

/*
 * The absolute difference per operation, entry minus baseline, in the
 * counter's own unit (ticks, not the ns the cost table converts to) with
 * its interval, and in ns where the counter's rate is known: what a cost
 * per call is quoted in, and what an injected cost is checked against.
 */
static void abs_cell(FILE *f, const struct analysis *a, const struct cell *c,
		     const struct overhead *o)
{
	const struct interval *v = &o->abs;

	if (isnan(v->est)) {
		fputs(" n/a |", f);
		return;
	}
	fprintf(f, " %+.1f %s", v->est, S(a->ds, c->unit));
	if (!isnan(v->lo))
		fprintf(f, " [%.1f, %.1f]", v->lo, v->hi);
	if (c->to_ns && o->hz)
		fprintf(f, " (%+.1f ns)", v->est * 1e9 / (double)o->hz);
	fputs(" |", f);
}

void pair_kernel(const struct analysis *a, uint32_t entry, uint32_t baseline,
		 char *buf, size_t n)
{
	const struct entry *e = &a->entry[entry], *b = &a->entry[baseline];

	if (e->series == b->series)
		snprintf(buf, n, "%s", S(a->ds, e->series));
	else
		snprintf(buf, n, "%s vs %s", S(a->ds, e->series),
			 S(a->ds, b->series));
}

/* "| workload | size | counter |": how every table row names its cell. */
static void md_cell_name(FILE *f, const struct dataset *ds,
			 const struct cell *c)
{
	fputs("| ", f);
	md_str(f, S(ds, c->workload));
	fprintf(f, " | %llu | ", (unsigned long long)c->size);
	md_str(f, S(ds, c->counter));
	fputs(" |", f);
}

/* " entry vs baseline | kernel |" */
static void md_pair(FILE *f, const struct analysis *a, uint32_t entry,
		    uint32_t baseline)
{
	char k[160];

	fputc(' ', f);
	md_str(f, S(a->ds, a->entry[entry].name));
	fputs(" vs ", f);
	md_str(f, S(a->ds, a->entry[baseline].name));
	fputs(" | ", f);
	pair_kernel(a, entry, baseline, k, sizeof(k));
	md_str(f, k);
	fputs(" |", f);
}

/* The rule under a header: its fixed columns, then n numeric ones. */
static void md_rule(FILE *f, const char *fixed, size_t n)
{
	fputs(fixed, f);
	for (size_t i = 0; i < n; i++)
		fputs("---:|", f);
	fputc('\n', f);
}

static void boots_for(FILE *f, size_t n)
{
	if (n == BOOTS_NO_SPREAD)
		fputs("n/a", f);
	else if (n > BOOTS_MAX)
		fprintf(f, ">%d", BOOTS_MAX);
	else
		fprintf(f, "%zu", n);
}

/*
 * One Markdown table per arch: a row per cell and protected entry, the
 * headline variant first, then the other, what the run could detect and
 * the boots a side that would detect 1 % and 0.5 %. Controls (rows with
 * no user access) get a table of their own.
 */
void overhead_md_table(const struct analysis *a, FILE *f, size_t k,
		       int controls)
{
	const struct dataset *ds = a->ds;
	enum variant h = a->opts.headline, o2 = h == VAR_RAW ? VAR_NORM : VAR_RAW;
	size_t n, rows = 0;
	uint32_t *cells = sorted_cells(a, a->archs[k], &n);

	fprintf(f, "| workload | size (B) | counter | entry vs baseline | kernel | boots | "
		"overhead %%, %s [95 %% CI] | %s | difference per op [95 %% CI] | "
		"detectable | boots a side for 1 %% / 0.5 %% |\n"
		"|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|\n",
		variant_name(h), variant_name(o2));
	for (size_t ci = 0; ci < n; ci++) {
		const struct cell *c = &a->cell[cells[ci]];

		if (c->is_control != controls)
			continue;
		for (size_t i = 0; i < a->novh; i++) {
			const struct overhead *o = &a->ovh[i];
			char buf[64];

			if (o->cell != cells[ci])
				continue;
			rows++;
			md_cell_name(f, ds, c);
			md_pair(f, a, o->entry, o->baseline);
			fprintf(f, " %zu + %zu |", o->nboots_entry,
				o->nboots_baseline);
			ovh_cell(f, &o->v[h], o->significant);
			ovh_cell(f, &o->v[o2], 0);
			abs_cell(f, a, c, o);
			if (isnan(o->detectable))
				snprintf(buf, sizeof(buf), "n/a");
			else
				snprintf(buf, sizeof(buf), "%.2f %%", 100 * o->detectable);
			fprintf(f, " %s | ", buf);
			boots_for(f, o->boots_1pct);
			fputs(" / ", f);
			boots_for(f, o->boots_05pct);
			fputs(" |\n", f);
		}
	}
	if (!controls) {
		for (size_t i = 0; i < a->ngeo; i++) {
			const struct geomean *g = &a->geo[i];

			if (g->arch != a->archs[k])
				continue;
			fputs("| **geometric mean** | all | ", f);
			md_str(f, S(ds, g->counter));
			fputs(" |", f);
			md_pair(f, a, g->entry, g->baseline);
			fprintf(f, " %zu + %zu |", g->nboots_entry, g->nboots_baseline);
			ovh_cell(f, &g->v[h], 0);
			ovh_cell(f, &g->v[o2], 0);
			fprintf(f, " | %zu cells, controls left out | |\n", g->ncells);
		}
	}
	if (!rows)
		fputs("| (none) | | | | | | | | | | |\n", f);
	free(cells);
}

/* The legend under an overhead table: what every column means. */
void overhead_md_legend(const struct analysis *a, FILE *f)
{
	fprintf(f, "\nOverhead in %% of the baseline: ratio of the geometric means of "
		"the per-boot medians, in the counter's own unit; headline variant: %s. 95 %% CI: "
		"Welch t on the per-boot log medians. \\* = significant after "
		"Benjamini-Hochberg false-discovery-rate control at %.0f %% across "
		"the %zu non-control overheads of this report. *detectable*: the "
		"overhead this run would find with %.0f %% power given the spread "
		"between its boots; the last column: boots a side that would bring "
		"that under 1 %% and 0.5 %%. n/a: fewer than 2 boots on a side, no "
		"interval. *difference per op*: entry minus baseline per operation "
		"in the counter's unit (Welch on the per-boot medians), in ns "
		"where the counter's rate is known.\n",
		a->opts.headline == VAR_RAW ?
		"raw (declared with --headline; norm = each boot's medians divided by its calib median)" :
		"norm, each boot's medians divided by its calib median (declared with --headline)",
		100 * (1 - a->opts.level), a->nfamily, 100 * POWER);
}

/*
 * One arch's pairs side by side, one column each in the order of
 * a->compared (kernel series, then entry): the headline overhead of every
 * non-control cell as the overhead table gives it, then the geometric
 * means. n/a: the pair did not measure that cell.
 */
void kernel_md_table(const struct analysis *a, FILE *f, size_t k)
{
	const struct dataset *ds = a->ds;
	enum variant h = a->opts.headline;
	static const struct interval none = { NAN, NAN, NAN, NAN, NAN };
	const struct compared_pair **pairs =
		xmalloc((a->ncompared + 1) * sizeof(*pairs));
	const struct overhead **o = xmalloc((a->ncompared + 1) * sizeof(*o));
	uint32_t *ctr = xmalloc((a->ngeo + 1) * sizeof(*ctr));
	size_t n, nc, np = 0;
	uint32_t *cells = sorted_cells(a, a->archs[k], &n);

	for (size_t i = 0; i < a->ncompared; i++)
		if (a->compared[i].arch == a->archs[k])
			pairs[np++] = &a->compared[i];
	fputs("| workload | size (B) | counter |", f);
	for (size_t p = 0; p < np; p++) {
		char kern[160];

		pair_kernel(a, pairs[p]->entry, pairs[p]->baseline, kern,
			    sizeof(kern));
		fputc(' ', f);
		md_str(f, kern);
		fputs(": ", f);
		md_str(f, S(ds, a->entry[pairs[p]->entry].name));
		fputs(" vs ", f);
		md_str(f, S(ds, a->entry[pairs[p]->baseline].name));
		fputs(" |", f);
	}
	md_rule(f, "\n|---|---:|---|", np);
	for (size_t ci = 0; ci < n; ci++) {
		const struct cell *c = &a->cell[cells[ci]];
		int any = 0;

		for (size_t p = 0; p < np; p++) {
			o[p] = find_overhead(a, cells[ci], pairs[p]->entry);
			any |= o[p] != NULL;
		}
		if (c->is_control || !any)
			continue;
		md_cell_name(f, ds, c);
		for (size_t p = 0; p < np; p++)
			ovh_cell(f, o[p] ? &o[p]->v[h] : &none,
				 o[p] && o[p]->significant);
		fputc('\n', f);
	}
	/* a geometric-mean row per counter, in the order they were found */
	nc = geomean_counters(a, a->archs[k], ctr);
	for (size_t c = 0; c < nc; c++) {
		fputs("| **geometric mean** | all | ", f);
		md_str(f, S(ds, ctr[c]));
		fputs(" |", f);
		for (size_t p = 0; p < np; p++) {
			const struct geomean *g = find_geomean(a, a->archs[k],
							       ctr[c],
							       pairs[p]->entry);

			ovh_cell(f, g ? &g->v[h] : &none, 0);
		}
		fputc('\n', f);
	}
	free(ctr);
	free(cells);
	free(pairs);
	free(o);
}

static int overhead_md(const struct writer_ctx *w, FILE *f)
{
	const struct analysis *a = w->a;

	fputs("# Overhead of each protected entry over its baseline\n", f);
	for (size_t k = 0; k < a->narch; k++) {
		fprintf(f, "\n## %s\n\n", S(a->ds, a->archs[k]));
		overhead_md_table(a, f, k, 0);
		fprintf(f, "\n### %s: controls (no user access: must be 0)\n\n",
			S(a->ds, a->archs[k]));
		overhead_md_table(a, f, k, 1);
	}
	overhead_md_legend(a, f);
	if (!a->novh)
		fputs("\nNo protected entry has a baseline with data: no overhead to give.\n",
		      f);
	return 0;
}

static int cost_csv(const struct writer_ctx *w, FILE *f)
{
	const struct analysis *a = w->a;

	fputs("arch,workload,size,counter,entry,unit,boots,batches,per_op,ci_low,ci_high\n",
	      f);
	for (size_t k = 0; k < a->narch; k++) {
		size_t n;
		uint32_t *cells = sorted_cells(a, a->archs[k], &n);

		for (size_t ci = 0; ci < n; ci++) {
			for (size_t i = 0; i < a->ncost; i++) {
				const struct cost *c = &a->cost[i];
				const struct cell *cl = &a->cell[c->cell];

				if (c->cell != cells[ci])
					continue;
				const uint32_t ids[] = { cl->arch, cl->workload };

				strs(f, a, ids, 2);
				fprintf(f, "%llu,", (unsigned long long)cl->size);
				csv_str(f, S(a->ds, cl->counter));
				fputc(',', f);
				csv_str(f, S(a->ds, a->entry[c->entry].name));
				fprintf(f, ",%s,%zu,%zu,", cell_unit(a, cl),
					c->nboots, c->nbatches);
				num(f, c->v.est);
				fputc(',', f);
				num(f, c->v.lo);
				fputc(',', f);
				num(f, c->v.hi);
				fputc('\n', f);
			}
		}
		free(cells);
	}
	return 0;
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
	md_rule(f, "\n|---|---:|---|---|", ne);
	for (size_t ci = 0; ci < n; ci++) {
		const struct cell *c = &a->cell[cells[ci]];

		md_cell_name(f, ds, c);
		fprintf(f, " %s |", cell_unit(a, c));
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
	fputs("\nPer operation: mean over boots of each boot's median, 95 % t "
	      "interval over boots (none with one boot); ticks are converted to ns "
	      "with each boot's own counter frequency (hz), here and nowhere else.\n", f);
	free(cells);
	free(ents);
}

static int cost_md(const struct writer_ctx *w, FILE *f)
{
	fputs("# Cost per operation\n", f);
	for (size_t k = 0; k < w->a->narch; k++) {
		fprintf(f, "\n## %s\n\n", S(w->a->ds, w->a->archs[k]));
		cost_md_table(w->a, f, k);
	}
	return 0;
}

static int boots_csv(const struct writer_ctx *w, FILE *f)
{
	const struct analysis *a = w->a;
	const struct dataset *ds = a->ds;

	fputs("entry,boot_id,arch,kernel,smap,smep,pan,prot_source,workload,size,"
	      "counter,unit,hz,n,median,mean,mad,min,p5,p95,ops_per_batch,"
	      "calib_median\n", f);
	for (size_t i = 0; i < a->nbc; i++) {
		const struct boot_cell *bc = &a->bc[i];
		const struct cell *c = &a->cell[bc->cell];
		const struct boot *b = &ds->boot[bc->boot];
		const uint32_t ids[] = {
			b->entry, b->boot_id, b->arch, b->kernel, b->smap,
			b->smep, b->pan, b->prot_source, c->workload
		};

		strs(f, a, ids, sizeof(ids) / sizeof(ids[0]));
		fprintf(f, "%llu,", (unsigned long long)c->size);
		csv_str(f, S(ds, c->counter));
		fprintf(f, ",%s,%llu,%u,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,",
			S(ds, c->unit), (unsigned long long)bc->hz, bc->d.n,
			bc->d.median, bc->d.mean, bc->d.mad, bc->d.min, bc->d.p5,
			bc->d.p95, bc->ops_per_batch);
		num(f, bc->calib);
		fputc('\n', f);
	}
	return 0;
}

/* Every file of the report directory: adding a format is adding a row. */
static const struct writer {
	const char *file;
	int (*write)(const struct writer_ctx *w, FILE *f);
} WRITERS[] = {
	{ "overhead.csv", overhead_csv },
	{ "overhead.md", overhead_md },
	{ "geomean.csv", geomean_csv },
	{ "cost.csv", cost_csv },
	{ "cost.md", cost_md },
	{ "boots.csv", boots_csv },
	{ "instrument.csv", instrument_csv },
	{ "inboot.csv", inboot_csv_writer },
	{ "toggle.csv", toggle_csv_writer },
	{ "REPORT.md", report_md },
};

int write_outputs(const struct writer_ctx *w, const char *dir)
{
	for (size_t i = 0; i < sizeof(WRITERS) / sizeof(WRITERS[0]); i++) {
		struct outfile o;

		/* a failed file fails the report: its temp dir is dropped whole */
		if (out_open(&o, dir, WRITERS[i].file) ||
		    (WRITERS[i].write(w, o.f) | out_close(&o)))
			return -1;
	}
	return 0;
}
