/*
 * Estimates and overheads. The unit of evidence is the boot (Kalibera and
 * Jones, ISMM 2013): an entry's estimate is the mean over its boots of each
 * boot's median per-op cost, and its CI comes from a two-level bootstrap
 * that resamples boots, then batches within each chosen boot (drawn as a
 * bootstrap median, see stats.h). Overheads resample the protected entry
 * and its baseline independently, with the same boot draws for every
 * workload of a replicate, so the geometric mean gets a CI too.
 */
#include "analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void note(struct analysis *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct analysis *a, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	a->notes = xrealloc(a->notes, (a->nnotes + 1) * sizeof(*a->notes));
	a->notes[a->nnotes++] = xstrdup(buf);
}

int interval_significant(const struct interval *v)
{
	return !isnan(v->lo) && !isnan(v->hi) && (v->lo > 0 || v->hi < 0);
}

const char *cell_unit(const struct analysis *a, const struct cell *c)
{
	return c->to_ns ? "ns" : S(a->ds, c->unit);
}

size_t arch_index(const struct analysis *a, uint32_t arch)
{
	for (size_t i = 0; i < a->narch; i++)
		if (a->archs[i] == arch)
			return i;
	return a->narch;
}

static uint32_t entry_index(struct analysis *a, uint32_t name)
{
	for (size_t i = 0; i < a->nentry; i++)
		if (a->entry[i].name == name)
			return (uint32_t)i;
	a->entry = xrealloc(a->entry, (a->nentry + 1) * sizeof(*a->entry));
	memset(&a->entry[a->nentry], 0, sizeof(a->entry[0]));
	a->entry[a->nentry].name = name;
	a->entry[a->nentry].baseline = NO_STR;
	return (uint32_t)a->nentry++;
}

static uint32_t find_entry(const struct analysis *a, uint32_t name)
{
	for (size_t i = 0; i < a->nentry; i++)
		if (a->entry[i].name == name)
			return (uint32_t)i;
	return UINT32_MAX;
}

static int collect_entries(struct analysis *a, struct dataset *ds)
{
	for (size_t b = 0; b < ds->nboot; b++) {
		uint32_t ei = entry_index(a, ds->boot[b].entry);
		struct entry *e = &a->entry[ei];

		e->boots = xrealloc(e->boots, (e->nboots + 1) * sizeof(*e->boots));
		e->boots[e->nboots++] = (uint32_t)b;
	}
	for (size_t i = 0; i < ds->nfile; i++) {
		const struct input_file *f = &ds->file[i];

		if (f->entry == NO_STR || f->is_hyperfine)
			continue;
		uint32_t ei = entry_index(a, f->entry);
		struct entry *e = &a->entry[ei];
		const char *bl = file_header(ds, f, "baseline");

		if (f->rejected)
			e->nrejected++;
		/* empty, absent or "-" (the lab's word): a baseline itself */
		if (!bl || !*bl || !strcmp(bl, "-"))
			continue;
		uint32_t id = strtab_intern(&ds->st, bl, strlen(bl));

		if (e->baseline == NO_STR)
			e->baseline = id;
		else if (e->baseline != id)
			dataset_error(ds, f->path, 0,
				      "baseline '%s' differs from '%s' in other files of entry '%s'",
				      bl, S(ds, e->baseline), S(ds, e->name));
	}
	for (size_t i = 0; i < a->opts.npairs; i++) {
		const struct baseline_pair *p = &a->opts.pairs[i];
		uint32_t name = strtab_intern(&ds->st, p->entry, strlen(p->entry));
		uint32_t e = find_entry(a, name);

		if (e == UINT32_MAX) {
			fprintf(ds->err, "uareport: --baseline %s=%s: no entry '%s' in the data\n",
				p->entry, p->baseline, p->entry);
			ds->nerr++;
			continue;
		}
		a->entry[e].baseline = strtab_intern(&ds->st, p->baseline,
						     strlen(p->baseline));
	}
	for (size_t i = 0; i < a->nentry; i++) {
		struct entry *e = &a->entry[i];

		if (e->baseline == e->name) {
			fprintf(ds->err, "uareport: entry '%s' names itself as its baseline\n",
				S(ds, e->name));
			ds->nerr++;
		}
		uint32_t b = e->baseline == NO_STR ? UINT32_MAX :
			     find_entry(a, e->baseline);

		if (b != UINT32_MAX)
			a->entry[b].is_baseline = 1;
	}
	return ds->nerr ? -1 : 0;
}

static uint32_t cell_index(struct analysis *a, const struct series *s)
{
	const struct boot *b = &a->ds->boot[s->boot];

	for (size_t i = 0; i < a->ncell; i++) {
		struct cell *c = &a->cell[i];

		if (c->arch == b->arch && c->workload == s->workload &&
		    c->size == s->size && c->counter == s->counter &&
		    c->unit == s->unit)
			return (uint32_t)i;
	}
	a->cell = xrealloc(a->cell, (a->ncell + 1) * sizeof(*a->cell));
	a->cell[a->ncell] = (struct cell){
		.arch = b->arch, .workload = s->workload, .size = s->size,
		.counter = s->counter, .unit = s->unit, .to_ns = 1,
	};
	return (uint32_t)a->ncell++;
}

/* Work tables: which series holds (boot, cell), and each boot's calib. */
struct index {
	int32_t *at;		/* nboot * ncell, -1: none */
	int32_t *calib;		/* nboot * ncell, -1: none */
	size_t ncell;
};

static int32_t series_at(const struct index *ix, uint32_t boot, uint32_t cell)
{
	return ix->at[(size_t)boot * ix->ncell + cell];
}

static int is_calib(const struct analysis *a, const struct cell *c)
{
	return !strcmp(S(a->ds, c->workload), "calib");
}

static void build_index(struct analysis *a, struct index *ix, uint32_t ticks)
{
	const struct dataset *ds = a->ds;
	uint32_t *cell_of = xmalloc(ds->nseries * sizeof(*cell_of) + 1);

	for (size_t i = 0; i < ds->nseries; i++)
		cell_of[i] = cell_index(a, &ds->series[i]);

	size_t n = ds->nboot * a->ncell;

	ix->ncell = a->ncell;
	ix->at = xmalloc(n * sizeof(*ix->at) + 1);
	ix->calib = xmalloc(n * sizeof(*ix->calib) + 1);
	for (size_t i = 0; i < n; i++)
		ix->at[i] = ix->calib[i] = -1;
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *s = &ds->series[i];

		ix->at[(size_t)s->boot * ix->ncell + cell_of[i]] = (int32_t)i;
		if (s->unit != ticks || !s->hz)
			a->cell[cell_of[i]].to_ns = 0;
	}
	free(cell_of);
	/* calib of the same counter and unit if the boot has it, else any */
	for (size_t b = 0; b < ds->nboot; b++) {
		int32_t any = -1;

		for (size_t c = 0; c < a->ncell && any < 0; c++)
			if (is_calib(a, &a->cell[c]))
				any = series_at(ix, (uint32_t)b, (uint32_t)c);
		for (size_t c = 0; c < a->ncell; c++) {
			int32_t best = any;

			for (size_t k = 0; k < a->ncell; k++) {
				const struct cell *ck = &a->cell[k];
				int32_t si = series_at(ix, (uint32_t)b, (uint32_t)k);

				if (is_calib(a, ck) && ck->counter == a->cell[c].counter &&
				    ck->unit == a->cell[c].unit && si >= 0) {
					best = si;
					break;
				}
			}
			ix->calib[b * a->ncell + c] = best;
		}
	}
}

static double series_scale(const struct analysis *a, uint32_t cell,
			   const struct series *s)
{
	return a->cell[cell].to_ns ? 1e9 / (double)s->hz : 1.0;
}

static uint64_t task_seed(uint64_t seed, const char *a, const char *b,
			  const struct analysis *an, uint32_t cell)
{
	uint64_t h = 1469598103934665603ULL ^ seed;
	const char *parts[4] = { a, b, "", "" };
	char size[32] = "";

	if (cell != UINT32_MAX) {
		parts[2] = S(an->ds, an->cell[cell].workload);
		parts[3] = S(an->ds, an->cell[cell].counter);
		snprintf(size, sizeof(size), "%llu",
			 (unsigned long long)an->cell[cell].size);
	}
	for (int i = 0; i < 4; i++)
		for (const char *p = parts[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = size; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* 95 % percentile interval of the finite replicates (reordered). */
static void percentile_ci(double *rep, size_t n, double *lo, double *hi)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(rep[i]))
			rep[m++] = rep[i];
	if (m < 20) {
		*lo = *hi = NAN;
		return;
	}
	qsort(rep, m, sizeof(*rep), cmp_double);

	double h = 0.025 * (double)(m - 1), g = 0.975 * (double)(m - 1);
	size_t i = (size_t)h, j = (size_t)g;

	*lo = rep[i] + (h - (double)i) * (rep[i + 1 < m ? i + 1 : i] - rep[i]);
	*hi = rep[j] + (g - (double)j) * (rep[j + 1 < m ? j + 1 : j] - rep[j]);
}

/*
 * Mean over the picked boots of (drawn) medians of one cell; with `norm`,
 * each divided by the same boot's (drawn) calib median. NAN when no picked
 * boot measured the cell. Picks NULL: the point estimate, no resampling.
 */
static double boot_mean(const struct analysis *a, const struct index *ix,
			const struct entry *e, const uint32_t *picks,
			uint32_t cell, int norm, struct rng *r)
{
	const struct dataset *ds = a->ds;
	double sum = 0;
	size_t n = 0;

	for (size_t i = 0; i < e->nboots; i++) {
		uint32_t b = e->boots[picks ? picks[i] : i];
		int32_t si = series_at(ix, b, cell);

		if (si < 0)
			continue;
		const struct series *s = &ds->series[si];
		double v = (picks ? median_draw(&s->md, s->v, r) : s->d.median) *
			   series_scale(a, cell, s);

		if (norm) {
			int32_t ci = ix->calib[(size_t)b * ix->ncell + cell];

			if (ci < 0)
				return NAN;
			const struct series *c = &ds->series[ci];
			double cm = picks ? median_draw(&c->md, c->v, r) : c->d.median;

			if (!(cm > 0))
				return NAN;
			v /= cm;
		}
		sum += v;
		n++;
	}
	return n ? sum / (double)n : NAN;
}

static void pick_boots(struct rng *r, const struct entry *e, uint32_t *picks)
{
	for (size_t i = 0; i < e->nboots; i++)
		picks[i] = rng_below(r, (uint32_t)e->nboots);
}

static void costs(struct analysis *a, const struct index *ix)
{
	uint32_t R = a->opts.resamples;
	double *rep = xmalloc(R * sizeof(*rep));

	for (size_t ei = 0; ei < a->nentry; ei++) {
		const struct entry *e = &a->entry[ei];
		uint32_t *picks = xmalloc(e->nboots * sizeof(*picks) + 1);

		for (uint32_t c = 0; c < a->ncell; c++) {
			struct cost k = { .cell = c, .entry = (uint32_t)ei };

			for (size_t i = 0; i < e->nboots; i++) {
				int32_t si = series_at(ix, e->boots[i], c);

				if (si >= 0) {
					k.nboots++;
					k.nbatches += a->ds->series[si].n;
				}
			}
			if (!k.nboots)
				continue;

			struct rng r;

			rng_seed(&r, task_seed(a->opts.seed, S(a->ds, e->name), "",
					       a, c));
			k.v.est = boot_mean(a, ix, e, NULL, c, 0, NULL);
			for (uint32_t i = 0; i < R; i++) {
				pick_boots(&r, e, picks);
				rep[i] = boot_mean(a, ix, e, picks, c, 0, &r);
			}
			percentile_ci(rep, R, &k.v.lo, &k.v.hi);
			a->cost = xrealloc(a->cost, (a->ncost + 1) * sizeof(*a->cost));
			a->cost[a->ncost++] = k;
		}
		free(picks);
	}
	free(rep);
}

/* Overheads of entry ei over its baseline bi on one arch. */
static void pair(struct analysis *a, const struct index *ix, uint32_t ei,
		 uint32_t bi, uint32_t arch)
{
	const struct entry *e = &a->entry[ei], *b = &a->entry[bi];
	uint32_t R = a->opts.resamples;
	uint32_t *cells = NULL, *pe, *pb;
	size_t ncells = 0, missing = 0;
	char missing_list[512] = "";

	for (uint32_t c = 0; c < a->ncell; c++) {
		int in_e = 0, in_b = 0;

		if (a->cell[c].arch != arch || is_calib(a, &a->cell[c]))
			continue;
		for (size_t i = 0; i < e->nboots; i++)
			in_e |= series_at(ix, e->boots[i], c) >= 0;
		for (size_t i = 0; i < b->nboots; i++)
			in_b |= series_at(ix, b->boots[i], c) >= 0;
		if (!in_e)
			continue;
		if (!in_b) {
			if (missing++ < 4) {
				size_t l = strlen(missing_list);

				snprintf(missing_list + l, sizeof(missing_list) - l,
					 "%s%s/%llu/%s", l ? ", " : "",
					 S(a->ds, a->cell[c].workload),
					 (unsigned long long)a->cell[c].size,
					 S(a->ds, a->cell[c].counter));
			}
			continue;
		}
		cells = xrealloc(cells, (ncells + 1) * sizeof(*cells));
		cells[ncells++] = c;
	}
	if (missing)
		note(a, "entry '%s' on %s: baseline '%s' has no data for %zu workload/size/counter combination(s) (%s%s); no overhead is given for them",
		     S(a->ds, e->name), S(a->ds, arch), S(a->ds, b->name), missing,
		     missing_list, missing > 4 ? ", ..." : "");
	if (!ncells) {
		free(cells);
		return;
	}

	double *raw = xmalloc(ncells * R * sizeof(*raw));
	double *nrm = xmalloc(ncells * R * sizeof(*nrm));
	struct rng r;

	pe = xmalloc(e->nboots * sizeof(*pe));
	pb = xmalloc(b->nboots * sizeof(*pb));
	rng_seed(&r, task_seed(a->opts.seed, S(a->ds, e->name),
			       S(a->ds, b->name), a, UINT32_MAX) ^ arch);
	for (uint32_t i = 0; i < R; i++) {
		pick_boots(&r, e, pe);
		pick_boots(&r, b, pb);
		for (size_t k = 0; k < ncells; k++) {
			uint32_t c = cells[k];

			raw[k * R + i] = boot_mean(a, ix, e, pe, c, 0, &r) /
					 boot_mean(a, ix, b, pb, c, 0, &r) - 1.0;
			nrm[k * R + i] = boot_mean(a, ix, e, pe, c, 1, &r) /
					 boot_mean(a, ix, b, pb, c, 1, &r) - 1.0;
		}
	}

	size_t first = a->novh;

	for (size_t k = 0; k < ncells; k++) {
		uint32_t c = cells[k];
		struct overhead o = {
			.cell = c, .entry = ei, .baseline = bi,
		};

		for (size_t i = 0; i < e->nboots; i++)
			o.nboots_entry += series_at(ix, e->boots[i], c) >= 0;
		for (size_t i = 0; i < b->nboots; i++)
			o.nboots_baseline += series_at(ix, b->boots[i], c) >= 0;
		o.raw.est = boot_mean(a, ix, e, NULL, c, 0, NULL) /
			    boot_mean(a, ix, b, NULL, c, 0, NULL) - 1.0;
		o.norm.est = boot_mean(a, ix, e, NULL, c, 1, NULL) /
			     boot_mean(a, ix, b, NULL, c, 1, NULL) - 1.0;
		/* replicates are copied: percentile_ci reorders them */
		double *tmp = xmalloc(R * sizeof(*tmp));

		memcpy(tmp, raw + k * R, R * sizeof(*tmp));
		percentile_ci(tmp, R, &o.raw.lo, &o.raw.hi);
		memcpy(tmp, nrm + k * R, R * sizeof(*tmp));
		percentile_ci(tmp, R, &o.norm.lo, &o.norm.hi);
		free(tmp);
		if (isnan(o.norm.est))
			o.norm.lo = o.norm.hi = NAN;
		a->ovh = xrealloc(a->ovh, (a->novh + 1) * sizeof(*a->ovh));
		a->ovh[a->novh++] = o;
	}

	/* Geometric mean per counter across this pair's workloads and sizes. */
	for (size_t k0 = 0; k0 < ncells; k0++) {
		uint32_t counter = a->cell[cells[k0]].counter;
		int seen = 0;

		for (size_t k = 0; k < k0; k++)
			seen |= a->cell[cells[k]].counter == counter;
		if (seen)
			continue;

		struct geomean g = {
			.arch = arch, .counter = counter, .entry = ei, .baseline = bi,
		};
		double *gr = xmalloc(R * sizeof(*gr)), *gn = xmalloc(R * sizeof(*gn));
		double sr = 0, sn = 0;

		for (uint32_t i = 0; i < R; i++)
			gr[i] = gn[i] = 0;
		for (size_t k = 0; k < ncells; k++) {
			if (a->cell[cells[k]].counter != counter)
				continue;
			const struct overhead *o = &a->ovh[first + k];

			g.ncells++;
			sr += log1p(o->raw.est);
			sn += log1p(o->norm.est);
			for (uint32_t i = 0; i < R; i++) {
				gr[i] += log1p(raw[k * R + i]);
				gn[i] += log1p(nrm[k * R + i]);
			}
		}
		g.raw.est = expm1(sr / (double)g.ncells);
		g.norm.est = expm1(sn / (double)g.ncells);
		for (uint32_t i = 0; i < R; i++) {
			gr[i] = expm1(gr[i] / (double)g.ncells);
			gn[i] = expm1(gn[i] / (double)g.ncells);
		}
		percentile_ci(gr, R, &g.raw.lo, &g.raw.hi);
		percentile_ci(gn, R, &g.norm.lo, &g.norm.hi);
		if (isnan(g.norm.est))
			g.norm.lo = g.norm.hi = NAN;
		a->geo = xrealloc(a->geo, (a->ngeo + 1) * sizeof(*a->geo));
		a->geo[a->ngeo++] = g;
		free(gr);
		free(gn);
	}
	free(raw);
	free(nrm);
	free(cells);
	free(pe);
	free(pb);
}

static void overheads(struct analysis *a, const struct index *ix)
{
	for (uint32_t ei = 0; ei < a->nentry; ei++) {
		const struct entry *e = &a->entry[ei];

		if (e->baseline == NO_STR || !e->nboots)
			continue;
		uint32_t bi = find_entry(a, e->baseline);

		if (bi == UINT32_MAX || !a->entry[bi].nboots) {
			note(a, "entry '%s': its baseline '%s' has no accepted data, so no overhead is given for it",
			     S(a->ds, e->name), S(a->ds, e->baseline));
			continue;
		}
		for (size_t k = 0; k < a->narch; k++) {
			int has = 0;

			for (size_t i = 0; i < e->nboots; i++)
				has |= a->ds->boot[e->boots[i]].arch == a->archs[k];
			if (has)
				pair(a, ix, ei, bi, a->archs[k]);
		}
	}
}

/* Normalise when it narrows the CIs for the typical row of an arch. */
static void choose_headline(struct analysis *a)
{
	a->headline_norm = xcalloc(a->narch, sizeof(*a->headline_norm));
	a->median_narrowing = xcalloc(a->narch, sizeof(*a->median_narrowing));
	for (size_t k = 0; k < a->narch; k++) {
		double *w = xmalloc((a->novh + 1) * sizeof(*w));
		size_t n = 0;

		for (size_t i = 0; i < a->novh; i++) {
			const struct overhead *o = &a->ovh[i];
			double wr = o->raw.hi - o->raw.lo, wn = o->norm.hi - o->norm.lo;

			if (a->cell[o->cell].arch == a->archs[k] &&
			    isfinite(wr) && isfinite(wn) && wr > 0)
				w[n++] = 100.0 * (1.0 - wn / wr);
		}
		if (n) {
			qsort(w, n, sizeof(*w), cmp_double);
			a->median_narrowing[k] = n % 2 ? w[n / 2] :
						 (w[n / 2 - 1] + w[n / 2]) / 2;
			a->headline_norm[k] = a->median_narrowing[k] > 0;
		} else {
			a->median_narrowing[k] = NAN;
		}
		free(w);
	}
}

int analyse(struct analysis *a, struct dataset *ds,
	    const struct analysis_opts *opts)
{
	struct index ix = { 0 };

	memset(a, 0, sizeof(*a));
	a->ds = ds;
	a->opts = *opts;
	if (collect_entries(a, ds))
		return -1;
	for (size_t b = 0; b < ds->nboot; b++) {
		if (arch_index(a, ds->boot[b].arch) == a->narch) {
			a->archs = xrealloc(a->archs, (a->narch + 1) * sizeof(*a->archs));
			a->archs[a->narch++] = ds->boot[b].arch;
		}
	}
	build_index(a, &ix, strtab_intern(&ds->st, "ticks", 5));
	for (size_t i = 0; i < a->nentry; i++) {
		const struct entry *e = &a->entry[i];
		size_t without = 0;

		if (!e->nboots)
			continue;
		if (e->nboots == 1)
			note(a, "entry '%s' has one boot: its CIs cover within-boot noise only, not boot-to-boot variation",
			     S(ds, e->name));
		for (size_t b = 0; b < e->nboots; b++) {
			int has_calib = 0;

			for (size_t c = 0; c < a->ncell; c++)
				has_calib |= is_calib(a, &a->cell[c]) &&
					     series_at(&ix, e->boots[b], (uint32_t)c) >= 0;
			without += !has_calib;
		}
		if (without)
			note(a, "%zu of the %zu boots of entry '%s' have no calib workload: no normalised overhead involves this entry",
			     without, e->nboots, S(ds, e->name));
	}
	costs(a, &ix);
	overheads(a, &ix);
	choose_headline(a);
	free(ix.at);
	free(ix.calib);
	return 0;
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->nentry; i++)
		free(a->entry[i].boots);
	for (size_t i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a->notes);
	free(a->entry);
	free(a->cell);
	free(a->cost);
	free(a->ovh);
	free(a->geo);
	free(a->archs);
	free(a->headline_norm);
	free(a->median_narrowing);
	memset(a, 0, sizeof(*a));
}
