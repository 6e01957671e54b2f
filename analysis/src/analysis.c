/*
 * Estimates and overheads. The unit of evidence is the boot (Kalibera and
 * Jones, ISMM 2013): each boot gives one median per cell, and intervals
 * come from the spread of those medians between boots. An overhead is the
 * ratio of the geometric means of the two entries' per-boot medians, with
 * a Welch t interval on their logs (analysis/README.md says why). Every
 * figure is computed in the counter's own unit; ticks become ns only in
 * the cost table, each boot with its own hz.
 */
#include "analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "kernel.h"
#include "util.h"

static char *vformat(const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	return xstrdup(buf);
}

static void note(struct analysis *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct analysis *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	a->notes = xrealloc(a->notes, (a->nnotes + 1) * sizeof(*a->notes));
	a->notes[a->nnotes++] = vformat(fmt, ap);
	va_end(ap);
}

static void warn(struct analysis *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct analysis *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	a->warnings = xrealloc(a->warnings,
			       (a->nwarnings + 1) * sizeof(*a->warnings));
	a->warnings[a->nwarnings++] = vformat(fmt, ap);
	va_end(ap);
}

int interval_excludes_zero(const struct interval *v)
{
	return !isnan(v->lo) && !isnan(v->hi) && (v->lo > 0 || v->hi < 0);
}

const char *cell_unit(const struct analysis *a, const struct cell *c)
{
	return c->to_ns ? "ns" : S(a->ds, c->unit);
}

const char *variant_name(enum variant v)
{
	return v == VAR_NORM ? "norm" : "raw";
}

size_t arch_index(const struct analysis *a, uint32_t arch)
{
	for (size_t i = 0; i < a->narch; i++)
		if (a->archs[i] == arch)
			return i;
	return a->narch;
}

const struct overhead *find_overhead(const struct analysis *a, uint32_t cell,
				     uint32_t entry)
{
	for (size_t i = 0; i < a->novh; i++)
		if (a->ovh[i].cell == cell && a->ovh[i].entry == entry)
			return &a->ovh[i];
	return NULL;
}

size_t geomean_counters(const struct analysis *a, uint32_t arch, uint32_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < a->ngeo; i++) {
		size_t j = 0;

		while (j < n && out[j] != a->geo[i].counter)
			j++;
		if (a->geo[i].arch == arch && j == n)
			out[n++] = a->geo[i].counter;
	}
	return n;
}

const struct geomean *find_geomean(const struct analysis *a, uint32_t arch,
				   uint32_t counter, uint32_t entry)
{
	for (size_t i = 0; i < a->ngeo; i++)
		if (a->geo[i].arch == arch && a->geo[i].counter == counter &&
		    a->geo[i].entry == entry)
			return &a->geo[i];
	return NULL;
}

/* A workload name without the "~2" of an A/A repeat. */
static int workload_is(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (!name[n] || name[n] == '~');
}

/*
 * Workloads with no user access in the kernel (bench/src/workload.c,
 * drivers/char/mem.c): getppid, write to /dev/null (write_null returns
 * the count untouched) and the empty user-space op. No uaccess protection
 * is on their path, so their overhead must be consistent with 0.
 */
static const char *const CONTROLS[] = { "null", "null-write", "noop", NULL };

static int is_control_name(const char *w)
{
	for (const char *const *c = CONTROLS; *c; c++)
		if (workload_is(w, *c))
			return 1;
	return 0;
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

/* The measured states of boot b, in the order of prot_key[]. */
static void boot_states(const struct dataset *ds, const struct boot *b,
			const char *got[NPROT])
{
	got[0] = S(ds, b->smap);
	got[1] = S(ds, b->smep);
	got[2] = S(ds, b->pan);
	got[3] = file_key(ds, &ds->file[b->file], UAB_KEY_PAN_KIND);
}

/*
 * The pan_kind of entry ei when it is a software PAN (TTBR0 switching,
 * ARMv7 domains): those act at kernel entry and exit, not only around user
 * accesses, so the controls pay them too. NULL otherwise.
 */
static const char *software_pan(const struct analysis *a, uint32_t ei)
{
	const struct entry *e = &a->entry[ei];
	const char *kind;

	if (!e->nboots)
		return NULL;
	kind = file_key(a->ds, &a->ds->file[a->ds->boot[e->boots[0]].file],
			UAB_KEY_PAN_KIND);
	if (kind && (!strcmp(kind, uab_pan_kind_words[UAB_PAN_KIND_TTBR0]) ||
		     !strcmp(kind, uab_pan_kind_words[UAB_PAN_KIND_DOMAIN])))
		return kind;
	return NULL;
}

/*
 * The expect line of a file, parsed: nothing expected when it has none or
 * a bad one (-1, why says what is wrong).
 */
static int file_expect(const struct dataset *ds, const struct input_file *f,
		       struct expect *e, char *why, size_t n)
{
	const char *x = file_header(ds, f, "expect");

	if (x && !expect_parse(x, e, why, n))
		return 0;
	for (int p = 0; p < NPROT; p++)
		e->want[p] = -1;
	e->inject_ticks = -1;
	return x ? -1 : 0;
}

/*
 * Labels are not evidence: a boot whose measured state differs from what
 * its file's `expect` line asks is left out, whatever lab.verdict says.
 */
static int boot_contradicts_expect(struct analysis *a, struct dataset *ds,
				   uint32_t bi)
{
	const struct boot *b = &ds->boot[bi];
	const struct input_file *f = &ds->file[b->file];
	const char *verdict = file_header(ds, f, "lab.verdict");
	const char *got[NPROT];
	struct expect e;
	char why[256];
	int p;

	boot_states(ds, b, got);
	if (file_expect(ds, f, &e, why, sizeof(why)))
		dataset_error(ds, f->path, 0, "expect: %s", why);
	if ((p = expect_contradiction(&e, got, 0)) < 0) {
		const char *inj = file_key(ds, f, UAB_KEY_INJECT_TICKS);

		if (!expect_inject_contradiction(&e, inj))
			return 0;
		a->excl = xrealloc(a->excl, (a->nexcl + 1) * sizeof(*a->excl));
		a->excl[a->nexcl].boot = bi;
		a->excl[a->nexcl++].reason =
			xasprintf("measured inject_ticks=%s but entry '%s' expects %ld: a known cost is compared only where the matrix declares it (lab.verdict: %s)",
				  inj, S(ds, b->entry), expect_inject(&e),
				  verdict ? verdict : "none");
		return 1;
	}
	a->excl = xrealloc(a->excl, (a->nexcl + 1) * sizeof(*a->excl));
	a->excl[a->nexcl].boot = bi;
	a->excl[a->nexcl++].reason =
		xasprintf("measured %s=%s but entry '%s' expects %s=%s (lab.verdict: %s)",
			  uab_key_names[prot_key[p]], got[p], S(ds, b->entry),
			  uab_key_names[prot_key[p]], expect_word(&e, p),
			  verdict ? verdict : "none");
	return 1;
}

/* One boot_id under two entries: one booted kernel measured one thing. */
static void check_boot_ids(struct dataset *ds)
{
	for (size_t i = 0; i < ds->nboot; i++)
		for (size_t j = 0; j < i; j++)
			if (ds->boot[i].boot_id == ds->boot[j].boot_id &&
			    ds->boot[i].entry != ds->boot[j].entry)
				dataset_error(ds, ds->file[ds->boot[i].file].path, 0,
					      "boot_id %s is under entry '%s' here and under '%s' in %s: one boot cannot measure two entries",
					      S(ds, ds->boot[i].boot_id),
					      S(ds, ds->boot[i].entry),
					      S(ds, ds->boot[j].entry),
					      ds->file[ds->boot[j].file].path);
}

static int collect_entries(struct analysis *a, struct dataset *ds)
{
	check_boot_ids(ds);
	for (size_t b = 0; b < ds->nboot; b++) {
		uint32_t ei = entry_index(a, ds->boot[b].entry);
		struct entry *e = &a->entry[ei];

		if (boot_contradicts_expect(a, ds, (uint32_t)b)) {
			e->nexcluded++;
			continue;
		}
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

static void add_distinct(uint32_t **v, size_t *n, uint32_t id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == id)
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = id;
}

/* Strings by id, in the order cmp gives their text (lists are short). */
static void sort_ids(const struct dataset *ds, uint32_t *v, size_t n,
		     int (*cmp)(const char *, const char *))
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(S(ds, v[j - 1]), S(ds, v[j])) > 0; j--) {
			uint32_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static uint32_t intern(struct dataset *ds, const char *s)
{
	return strtab_intern(&ds->st, s, strlen(s));
}

static uint32_t series_of(struct dataset *ds, uint32_t release)
{
	const char *r = S(ds, release);

	return strtab_intern(&ds->st, r, kernel_series_len(r));
}

/*
 * Each entry's kernel: the release its accepted boots ran. Boots of one
 * entry on different kernels make its overheads a mix of kernels: suspect,
 * so a warning, and the entry's kernel is "mixed" (its series too, unless
 * every release is of one series).
 */
static void entry_kernels(struct analysis *a, struct dataset *ds)
{
	for (size_t i = 0; i < a->nentry; i++) {
		struct entry *e = &a->entry[i];
		uint32_t *rel = NULL, *ser = NULL;
		size_t nrel = 0, nser = 0;
		char list[512] = "";

		e->kernel = e->series = NO_STR;
		for (size_t b = 0; b < e->nboots; b++) {
			uint32_t r = ds->boot[e->boots[b]].kernel;

			add_distinct(&rel, &nrel, r);
			add_distinct(&ser, &nser, series_of(ds, r));
		}
		if (nrel) {
			e->kernel = nrel == 1 ? rel[0] : intern(ds, "mixed");
			e->series = nser == 1 ? ser[0] : intern(ds, "mixed");
		}
		if (nrel > 1) {
			sort_ids(ds, rel, nrel, strcmp);
			for (size_t r = 0; r < nrel; r++) {
				size_t l = strlen(list);

				snprintf(list + l, sizeof(list) - l, "%s%s",
					 r ? ", " : "", S(ds, rel[r]));
			}
			warn(a, "entry '%s' ran more than one kernel (%s): its kernel is shown as 'mixed' and its overheads mix those kernels",
			     S(ds, e->name), list);
		}
		free(rel);
		free(ser);
	}
}

/* The calib workload of a boot: the one its calib_workload line names. */
static const char *calib_name(const struct dataset *ds, const struct boot *b)
{
	return file_key(ds, &ds->file[b->file], UAB_KEY_CALIB_WORKLOAD);
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

	const char *w = S(a->ds, s->workload);

	a->cell[a->ncell] = (struct cell){
		.arch = b->arch, .workload = s->workload, .size = s->size,
		.counter = s->counter, .unit = s->unit, .to_ns = 1,
		.is_calib = workload_is(w, calib_name(a->ds, b)),
		.is_control = is_control_name(w),
	};
	return (uint32_t)a->ncell++;
}

/* Work table: which boot_cell holds (boot, cell). */
struct index {
	int32_t *at;		/* nboot * ncell, -1: none */
	size_t ncell;
};

static const struct boot_cell *bc_at(const struct analysis *a,
				     const struct index *ix, uint32_t boot,
				     uint32_t cell)
{
	int32_t i = ix->at[(size_t)boot * ix->ncell + cell];

	return i < 0 ? NULL : &a->bc[i];
}

static void build_boot_cells(struct analysis *a, struct index *ix,
			     uint32_t ticks)
{
	const struct dataset *ds = a->ds;
	uint32_t *cell_of = xmalloc(ds->nseries * sizeof(*cell_of) + 1);
	char *excluded = xcalloc(ds->nboot + 1, 1);

	/*
	 * Excluded boots make no cell: they are in no table, no plot. Nor do
	 * the in-kernel loops: a primitive or a toggle alone is not a path
	 * whose overhead the report's geometric means should average; they
	 * have tables of their own (primitives.c, toggle.c).
	 */
	for (size_t i = 0; i < a->nexcl; i++)
		excluded[a->excl[i].boot] = 1;
	for (size_t i = 0; i < ds->nseries; i++)
		cell_of[i] = excluded[ds->series[i].boot] ||
			     is_kloop(S(ds, ds->series[i].workload)) ?
			     UINT32_MAX : cell_index(a, &ds->series[i]);

	size_t n = ds->nboot * a->ncell;

	ix->ncell = a->ncell;
	ix->at = xmalloc(n * sizeof(*ix->at) + 1);
	for (size_t i = 0; i < n; i++)
		ix->at[i] = -1;
	a->bc = xmalloc((ds->nseries + 1) * sizeof(*a->bc));
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *s = &ds->series[i];

		if (cell_of[i] == UINT32_MAX)
			continue;
		a->bc[a->nbc] = (struct boot_cell){
			.series = (uint32_t)i,
			.boot = s->boot, .cell = cell_of[i], .d = s->d,
			.hz = s->hz, .ops_per_batch = s->n ? s->ops / s->n : NAN,
			.calib = NAN,
		};
		ix->at[(size_t)s->boot * ix->ncell + cell_of[i]] = (int32_t)a->nbc++;
		if (s->unit != ticks || !s->hz)
			a->cell[cell_of[i]].to_ns = 0;
	}
	free(cell_of);
	free(excluded);
	/* each boot's calib median of the same counter and unit */
	for (size_t i = 0; i < a->nbc; i++) {
		struct boot_cell *bc = &a->bc[i];
		const struct cell *c = &a->cell[bc->cell];

		for (uint32_t k = 0; k < a->ncell; k++) {
			const struct cell *ck = &a->cell[k];
			const struct boot_cell *cb = bc_at(a, ix, bc->boot, k);

			/* the calib itself, not an A/A repeat "calib~2" */
			if (cb && ck->counter == c->counter && ck->unit == c->unit &&
			    !strcmp(S(a->ds, ck->workload),
				    calib_name(a->ds, &a->ds->boot[bc->boot]))) {
				bc->calib = cb->d.median;
				break;
			}
		}
	}
}

/* Per-op value of a boot in the cost table's unit. */
static double cost_value(const struct analysis *a, const struct boot_cell *bc)
{
	return bc->d.median *
	       (a->cell[bc->cell].to_ns ? 1e9 / (double)bc->hz : 1.0);
}

/* Pooled per-batch quantiles of an entry in a cell, for the plots. */
static void add_spread(struct analysis *a, const struct index *ix,
		       const struct entry *e, uint32_t ei, uint32_t cell)
{
	const struct dataset *ds = a->ds;
	size_t n = 0;
	float *v;

	for (size_t b = 0; b < e->nboots; b++) {
		const struct boot_cell *bc = bc_at(a, ix, e->boots[b], cell);

		n += bc ? bc->d.n : 0;
	}
	v = xmalloc(n * sizeof(*v) + 1);
	n = 0;
	for (size_t b = 0; b < e->nboots; b++) {
		const struct boot_cell *bc = bc_at(a, ix, e->boots[b], cell);

		if (!bc)
			continue;
		const struct series *s = &ds->series[bc->series];
		double scale = a->cell[cell].to_ns ? 1e9 / (double)s->hz : 1.0;

		for (uint32_t j = 0; j < s->n; j++)
			v[n++] = (float)(s->v[j] * scale);
	}
	if (n) {
		float *tmp = xmalloc(n * sizeof(*tmp));

		sort_floats(v, tmp, n);
		free(tmp);
		a->spread = xrealloc(a->spread, (a->nspread + 1) * sizeof(*a->spread));
		a->spread[a->nspread++] = (struct spread){
			.cell = cell, .entry = ei,
			.p5 = quantile(v, n, 0.05), .p25 = quantile(v, n, 0.25),
			.p50 = quantile(v, n, 0.5), .p75 = quantile(v, n, 0.75),
			.p95 = quantile(v, n, 0.95),
		};
	}
	free(v);
}

static void costs(struct analysis *a, const struct index *ix)
{
	for (size_t ei = 0; ei < a->nentry; ei++) {
		const struct entry *e = &a->entry[ei];
		double *x = xmalloc((e->nboots + 1) * sizeof(*x));

		for (uint32_t c = 0; c < a->ncell; c++) {
			struct cost k = { .cell = c, .entry = (uint32_t)ei };

			for (size_t i = 0; i < e->nboots; i++) {
				const struct boot_cell *bc = bc_at(a, ix, e->boots[i], c);

				if (bc) {
					x[k.nboots++] = cost_value(a, bc);
					k.nbatches += bc->d.n;
				}
			}
			if (!k.nboots)
				continue;
			t_interval(x, k.nboots, a->opts.level, &k.v.est, &k.v.lo,
				   &k.v.hi);
			k.v.p = k.v.q = NAN;
			a->cost = xrealloc(a->cost, (a->ncost + 1) * sizeof(*a->cost));
			a->cost[a->ncost++] = k;
			add_spread(a, ix, e, (uint32_t)ei, c);
		}
		free(x);
	}
}

/*
 * log of each boot's median (raw) or of median / calib median (norm), for
 * the boots of e that measured cell; n out. A median <= 0 has no log:
 * returns -1 and the caller gives no overhead for the cell.
 */
static int boot_logs(const struct analysis *a, const struct index *ix,
		     const struct entry *e, uint32_t cell, enum variant v,
		     double *out, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < e->nboots; i++) {
		const struct boot_cell *bc = bc_at(a, ix, e->boots[i], cell);

		if (!bc)
			continue;
		double m = bc->d.median;

		if (v == VAR_NORM)
			m = bc->calib > 0 ? m / bc->calib : NAN;
		if (!(m > 0))
			return -1;
		out[(*n)++] = log(m);
	}
	return 0;
}

static void to_interval(const struct welch *w, struct interval *v)
{
	v->est = expm1(w->diff);
	v->lo = expm1(w->lo);
	v->hi = expm1(w->hi);
	v->p = w->p;
	v->q = NAN;
}

static void no_interval(struct interval *v)
{
	v->est = v->lo = v->hi = v->p = v->q = NAN;
}

static double pooled_sd(const double *x, size_t nx, const double *y, size_t ny)
{
	double mx, vx, my, vy;

	if (nx + ny < 3)
		return NAN;
	mean_var(x, nx, &mx, &vx);
	mean_var(y, ny, &my, &vy);
	vx = nx > 1 ? vx : 0;
	vy = ny > 1 ? vy : 0;
	return sqrt(((double)(nx - 1) * vx + (double)(ny - 1) * vy) /
		    (double)(nx + ny - 2));
}

/* Median over an entry's boots of its batches' ops, or their duration. */
static double median_batch(const struct analysis *a, const struct index *ix,
			   const struct entry *e, uint32_t cell, int duration)
{
	double *d = xmalloc((e->nboots + 1) * sizeof(*d));
	size_t n = 0;
	double m;

	for (size_t i = 0; i < e->nboots; i++) {
		const struct boot_cell *bc = bc_at(a, ix, e->boots[i], cell);

		if (bc)
			d[n++] = bc->ops_per_batch *
				 (duration ? bc->d.median : 1);
	}
	m = median_of(d, n);
	free(d);
	return m;
}

/* One overhead: Welch on per-boot logs, detectability, batch check. */
static int one_overhead(struct analysis *a, const struct index *ix,
			uint32_t ei, uint32_t bi, uint32_t c,
			struct overhead *o)
{
	const struct entry *e = &a->entry[ei], *b = &a->entry[bi];
	double *x = xmalloc((e->nboots + 1) * sizeof(*x));
	double *y = xmalloc((b->nboots + 1) * sizeof(*y));
	size_t nx, ny;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	o->boot_sd = o->detectable = o->batch_ratio = o->ops_ratio = NAN;
	o->cell = c;
	o->entry = ei;
	o->baseline = bi;
	for (int v = 0; v < NVARIANT; v++) {
		struct welch w;

		if (boot_logs(a, ix, e, c, (enum variant)v, x, &nx) ||
		    boot_logs(a, ix, b, c, (enum variant)v, y, &ny)) {
			no_interval(&o->v[v]);
			if (v == VAR_RAW) {
				rc = -1;	/* a zero median: no ratio at all */
				break;
			}
			continue;
		}
		welch(x, nx, y, ny, a->opts.level, &w);
		to_interval(&w, &o->v[v]);
		if (v == VAR_RAW) {
			o->nboots_entry = nx;
			o->nboots_baseline = ny;
		}
		if (v == (int)a->opts.headline)
			o->boot_sd = pooled_sd(x, nx, y, ny);
	}
	if (!rc) {
		double sd = o->boot_sd;
		struct welch w;

		nx = ny = 0;
		for (size_t i = 0; i < e->nboots; i++) {
			const struct boot_cell *bc = bc_at(a, ix, e->boots[i], c);

			if (bc) {
				x[nx++] = bc->d.median;
				o->hz = bc->hz;
			}
		}
		for (size_t i = 0; i < b->nboots; i++) {
			const struct boot_cell *bc = bc_at(a, ix, b->boots[i], c);

			if (bc)
				y[ny++] = bc->d.median;
		}
		welch(x, nx, y, ny, a->opts.level, &w);
		o->abs = (struct interval){ .est = w.diff, .lo = w.lo,
					    .hi = w.hi, .p = w.p, .q = NAN };

		o->detectable = expm1(detectable_log(sd, o->nboots_entry,
						     o->nboots_baseline,
						     a->opts.level, POWER));
		o->boots_1pct = isnan(sd) ? BOOTS_NO_SPREAD :
			boots_needed(sd, log1p(0.01), a->opts.level, POWER, BOOTS_MAX);
		o->boots_05pct = isnan(sd) ? BOOTS_NO_SPREAD :
			boots_needed(sd, log1p(0.005), a->opts.level, POWER, BOOTS_MAX);
		o->batch_ratio = median_batch(a, ix, e, c, 1) /
				 median_batch(a, ix, b, c, 1);
		o->ops_ratio = median_batch(a, ix, e, c, 0) /
			       median_batch(a, ix, b, c, 0);
	}
	free(x);
	free(y);
	return rc;
}

int pair_is_aa(const struct analysis *a, uint32_t ei, uint32_t bi)
{
	const struct dataset *ds = a->ds;
	const struct entry *e = &a->entry[ei], *b = &a->entry[bi];
	const char *xe, *xb;

	if (!e->nboots || !b->nboots)
		return 0;
	xe = file_header(ds, &ds->file[ds->boot[e->boots[0]].file], "expect");
	xb = file_header(ds, &ds->file[ds->boot[b->boots[0]].file], "expect");
	return xe && xb && !strcmp(xe, xb);
}

/*
 * The keys an entry and its baseline are compared on: where their `expect`
 * lines differ, else every state key. They must have measured different
 * states on one of them, or the comparison is of a thing with itself,
 * unless both declare the same expect line: an A/A comparison, asked for.
 */
static int states_differ(const struct analysis *a, const struct entry *e,
			 const struct entry *b, char *why, size_t whylen)
{
	const struct dataset *ds = a->ds;
	struct expect xe, xb;
	char bad[256];
	int any_key = 0;

	if (!e->nboots || !b->nboots)
		return 1;	/* nothing measured cannot be a thing with itself */
	if (pair_is_aa(a, (uint32_t)(e - a->entry), (uint32_t)(b - a->entry)))
		return 1;
	/* a bad expect line was reported when the boots were collected */
	file_expect(ds, &ds->file[ds->boot[e->boots[0]].file], &xe, bad, sizeof(bad));
	file_expect(ds, &ds->file[ds->boot[b->boots[0]].file], &xb, bad, sizeof(bad));
	/* Boots that measured another injection were excluded already. */
	if (expect_inject(&xe) != expect_inject(&xb))
		return 1;
	for (int p = 0; p < NPROT; p++)
		if (xe.want[p] >= 0 && xb.want[p] >= 0 && xe.want[p] != xb.want[p])
			any_key = 1;
	for (int p = 0; p < NPROT; p++) {
		int compared = !any_key || (xe.want[p] >= 0 && xb.want[p] >= 0 &&
					    xe.want[p] != xb.want[p]);

		if (!compared)
			continue;
		/* every boot of e differs from every boot of b on protection p */
		int all = 1;

		for (size_t i = 0; i < e->nboots && all; i++) {
			const char *ge[NPROT];

			boot_states(ds, &ds->boot[e->boots[i]], ge);
			for (size_t j = 0; j < b->nboots && all; j++) {
				const char *gb[NPROT];

				boot_states(ds, &ds->boot[b->boots[j]], gb);
				all = strcmp(ge[p], gb[p]) != 0;
			}
		}
		if (all)
			return 1;
	}
	snprintf(why, whylen, "%s", any_key ?
		 "on the keys their expect lines differ on" :
		 "on smap, smep and pan");
	return 0;
}

static void geomeans(struct analysis *a, const struct index *ix, uint32_t ei,
		     uint32_t bi, const uint32_t *cells, size_t ncells);

/* Overheads of entry ei over its baseline bi on one arch. */
static void pair(struct analysis *a, const struct index *ix, uint32_t ei,
		 uint32_t bi, uint32_t arch)
{
	const struct entry *e = &a->entry[ei], *b = &a->entry[bi];
	uint32_t *cells = NULL;
	size_t ncells = 0, missing = 0;
	char missing_list[512] = "", why[128];

	if (!states_differ(a, e, b, why, sizeof(why))) {
		warn(a, "entry '%s' and its baseline '%s' measured the same protection state %s (a forgotten reboot or a wrong label?): no overhead is given for them",
		     S(a->ds, e->name), S(a->ds, b->name), why);
		return;
	}
	for (uint32_t c = 0; c < a->ncell; c++) {
		int in_e = 0, in_b = 0;

		if (a->cell[c].arch != arch || a->cell[c].is_calib)
			continue;
		for (size_t i = 0; i < e->nboots; i++)
			in_e |= bc_at(a, ix, e->boots[i], c) != NULL;
		for (size_t i = 0; i < b->nboots; i++)
			in_b |= bc_at(a, ix, b->boots[i], c) != NULL;
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
		struct overhead o;

		if (one_overhead(a, ix, ei, bi, c, &o)) {
			warn(a, "entry '%s' vs '%s', %s/%llu/%s: a boot's median is 0, so no ratio exists; no overhead is given",
			     S(a->ds, e->name), S(a->ds, b->name),
			     S(a->ds, a->cell[c].workload),
			     (unsigned long long)a->cell[c].size,
			     S(a->ds, a->cell[c].counter));
			continue;
		}
		a->ovh = xrealloc(a->ovh, (a->novh + 1) * sizeof(*a->ovh));
		a->ovh[a->novh++] = o;
		cells = xrealloc(cells, (ncells + 1) * sizeof(*cells));
		cells[ncells++] = c;
	}
	if (missing)
		note(a, "entry '%s' on %s: baseline '%s' has no data for %zu workload/size/counter combination(s) (%s%s); no overhead is given for them",
		     S(a->ds, e->name), S(a->ds, arch), S(a->ds, b->name), missing,
		     missing_list, missing > 4 ? ", ..." : "");
	geomeans(a, ix, ei, bi, cells, ncells);
	if (ncells) {
		a->compared = xrealloc(a->compared,
				       (a->ncompared + 1) * sizeof(*a->compared));
		a->compared[a->ncompared++] = (struct compared_pair){
			.arch = arch, .entry = ei, .baseline = bi,
		};
	}
	free(cells);
}

/*
 * Geometric mean per counter over the pair's non-control cells that every
 * boot of both sides measured: each boot's mean log median over those
 * cells is one value, so the cells' correlation within a boot is kept.
 */
static void geomeans(struct analysis *a, const struct index *ix, uint32_t ei,
		     uint32_t bi, const uint32_t *cells, size_t ncells)
{
	const struct entry *e = &a->entry[ei], *b = &a->entry[bi];
	double *x = xmalloc((e->nboots + 1) * sizeof(*x));
	double *y = xmalloc((b->nboots + 1) * sizeof(*y));
	uint32_t *use = xmalloc((ncells + 1) * sizeof(*use));

	for (size_t k0 = 0; k0 < ncells; k0++) {
		uint32_t counter = a->cell[cells[k0]].counter;
		int seen = 0;
		size_t nuse = 0, partial = 0;

		for (size_t k = 0; k < k0; k++)
			seen |= a->cell[cells[k]].counter == counter;
		if (seen)
			continue;
		for (size_t k = 0; k < ncells; k++) {
			const struct cell *c = &a->cell[cells[k]];
			int all = 1;

			if (c->counter != counter || c->is_control)
				continue;
			for (size_t i = 0; i < e->nboots; i++)
				all &= bc_at(a, ix, e->boots[i], cells[k]) != NULL;
			for (size_t i = 0; i < b->nboots; i++)
				all &= bc_at(a, ix, b->boots[i], cells[k]) != NULL;
			if (all)
				use[nuse++] = cells[k];
			else
				partial++;
		}
		if (partial)
			note(a, "entry '%s' vs '%s', counter %s: %zu cell(s) missing in some boots are left out of the geometric mean",
			     S(a->ds, e->name), S(a->ds, b->name),
			     S(a->ds, counter), partial);
		if (!nuse)
			continue;

		struct geomean g = {
			.arch = a->cell[use[0]].arch, .counter = counter,
			.entry = ei, .baseline = bi, .ncells = nuse,
			.nboots_entry = e->nboots, .nboots_baseline = b->nboots,
		};

		for (int v = 0; v < NVARIANT; v++) {
			const struct entry *side[2] = { e, b };
			double *out[2] = { x, y };
			int ok = 1;

			for (int s = 0; s < 2 && ok; s++) {
				for (size_t i = 0; i < side[s]->nboots && ok; i++) {
					double sum = 0;

					for (size_t k = 0; k < nuse && ok; k++) {
						const struct boot_cell *bc =
							bc_at(a, ix, side[s]->boots[i], use[k]);
						double m = bc->d.median;

						if (v == VAR_NORM)
							m = bc->calib > 0 ? m / bc->calib : NAN;
						ok = m > 0;
						sum += log(m);
					}
					out[s][i] = sum / (double)nuse;
				}
			}
			if (!ok) {
				no_interval(&g.v[v]);
				continue;
			}

			struct welch w;

			welch(x, e->nboots, y, b->nboots, a->opts.level, &w);
			to_interval(&w, &g.v[v]);
		}
		a->geo = xrealloc(a->geo, (a->ngeo + 1) * sizeof(*a->geo));
		a->geo[a->ngeo++] = g;
	}
	free(x);
	free(y);
	free(use);
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
		const struct entry *b = &a->entry[bi];

		/* built variants of one source share a series: no warning */
		if (e->series != b->series)
			warn(a, "%s vs %s crosses kernels %s vs %s: the overhead includes the kernel change (%s vs %s)",
			     S(a->ds, e->name), S(a->ds, b->name),
			     S(a->ds, e->series), S(a->ds, b->series),
			     S(a->ds, e->kernel), S(a->ds, b->kernel));
		for (size_t k = 0; k < a->narch; k++) {
			int has = 0;

			for (size_t i = 0; i < e->nboots; i++)
				has |= a->ds->boot[e->boots[i]].arch == a->archs[k];
			if (has)
				pair(a, ix, ei, bi, a->archs[k]);
		}
	}
}

/*
 * Benjamini-Hochberg over the headline overheads of every non-control cell
 * of the report; controls are judged alone (by their CI), more strictly,
 * because a moving control condemns its boot pair.
 */
static void significance(struct analysis *a)
{
	double *p = xmalloc((a->novh + 1) * sizeof(*p));
	double *q = xmalloc((a->novh + 1) * sizeof(*q));
	size_t *at = xmalloc((a->novh + 1) * sizeof(*at));
	size_t n = 0;
	double alpha = 1.0 - a->opts.level;

	for (size_t i = 0; i < a->novh; i++) {
		const struct interval *v = &a->ovh[i].v[a->opts.headline];

		if (!a->cell[a->ovh[i].cell].is_control && !isnan(v->p)) {
			at[n] = i;
			p[n++] = v->p;
		}
	}
	bh_adjust(p, n, q);
	a->nfamily = n;
	for (size_t k = 0; k < n; k++) {
		struct overhead *o = &a->ovh[at[k]];

		o->v[a->opts.headline].q = q[k];
		o->significant = q[k] < alpha;
	}
	for (size_t i = 0; i < a->novh; i++) {
		struct overhead *o = &a->ovh[i];
		const struct cell *c = &a->cell[o->cell];
		const struct interval *v = &o->v[a->opts.headline];
		const char *soft;

		if (!c->is_control)
			continue;
		o->significant = interval_excludes_zero(v);
		if (!o->significant)
			continue;
		soft = software_pan(a, o->entry);
		if (!soft)
			soft = software_pan(a, o->baseline);
		o->control_explained = soft != NULL;
		if (soft)
			note(a, "control %s/%llu/%s moved, as expected: '%s' vs '%s' gives %+.2f %% [%+.2f, %+.2f], and one side has software PAN (pan_kind=%s), which works at every kernel entry or exit, so even a system call that touches no user memory pays it",
			     S(a->ds, c->workload), (unsigned long long)c->size,
			     S(a->ds, c->counter), S(a->ds, a->entry[o->entry].name),
			     S(a->ds, a->entry[o->baseline].name), 100 * v->est,
			     100 * v->lo, 100 * v->hi, soft);
		else
			warn(a, "CONTROL MOVED: %s/%llu/%s has no user access, yet '%s' vs '%s' gives %+.2f %% [%+.2f, %+.2f]: this boot pair is suspect (drift, load or a different kernel), read its other overheads with care",
			     S(a->ds, c->workload), (unsigned long long)c->size,
			     S(a->ds, c->counter), S(a->ds, a->entry[o->entry].name),
			     S(a->ds, a->entry[o->baseline].name), 100 * v->est,
			     100 * v->lo, 100 * v->hi);
	}
	free(p);
	free(q);
	free(at);
}

/*
 * The bias unequal batch lengths could put into an overhead, from the
 * measured rise of the median with batch duration; flagged when it matters
 * at the precision this run has. hyperfine cells run one command per
 * sample: no batch was sized, nothing to compare.
 */
static void batch_checks(struct analysis *a)
{
	for (size_t i = 0; i < a->novh; i++) {
		const struct overhead *o = &a->ovh[i];
		const struct cell *c = &a->cell[o->cell];
		double bias = BATCH_BIAS_PER_DECADE * fabs(log10(o->batch_ratio));
		double limit = fmax(BATCH_BIAS_FLOOR,
				    isnan(o->detectable) ? 0 : o->detectable / 4);

		/*
		 * With equal ops per batch (the lab fixes them) a longer batch
		 * is the cost itself: no batch length can be chosen to undo it.
		 */
		if (!strcmp(S(a->ds, c->counter), "hyperfine") ||
		    o->ops_ratio == 1 || !(bias > limit))
			continue;
		warn(a, "unequal batches: %s/%llu/%s: '%s' batches last %.2fx those of '%s' (median over boots); longer batches catch more interrupts, which could move this overhead by about %.2f %%, more than this run resolves (%.2f %%): give every boot the same --iters per cell (uabench --iters-from)",
		     S(a->ds, c->workload), (unsigned long long)c->size,
		     S(a->ds, c->counter), S(a->ds, a->entry[o->entry].name),
		     o->batch_ratio, S(a->ds, a->entry[o->baseline].name),
		     100 * bias, 100 * limit);
	}
}

/* Compared pairs by arch, then the entry's kernel series, then name. */
static int compared_order(const struct analysis *a,
			  const struct compared_pair *x,
			  const struct compared_pair *y)
{
	const struct entry *ex = &a->entry[x->entry], *ey = &a->entry[y->entry];
	size_t kx = arch_index(a, x->arch), ky = arch_index(a, y->arch);
	int r = (kx > ky) - (kx < ky);

	if (!r)
		r = kernel_series_cmp(S(a->ds, ex->series), S(a->ds, ey->series));
	if (!r)
		r = strcmp(S(a->ds, ex->name), S(a->ds, ey->name));
	return r;
}

/*
 * The kernels each arch's comparisons ran, from the boots of both sides:
 * two series or more and the report sets them side by side.
 */
static void compared_kernels(struct analysis *a, struct dataset *ds)
{
	for (size_t i = 1; i < a->ncompared; i++)
		for (size_t j = i; j > 0 &&
		     compared_order(a, &a->compared[j - 1], &a->compared[j]) > 0; j--) {
			struct compared_pair t = a->compared[j];

			a->compared[j] = a->compared[j - 1];
			a->compared[j - 1] = t;
		}
	a->archk = xcalloc(a->narch, sizeof(*a->archk));
	for (size_t i = 0; i < a->ncompared; i++) {
		const struct compared_pair *p = &a->compared[i];
		struct arch_kernels *k = &a->archk[arch_index(a, p->arch)];
		const uint32_t side[2] = { p->entry, p->baseline };

		for (int s = 0; s < 2; s++) {
			const struct entry *e = &a->entry[side[s]];

			for (size_t b = 0; b < e->nboots; b++) {
				const struct boot *bt = &ds->boot[e->boots[b]];

				if (bt->arch != p->arch)
					continue;
				add_distinct(&k->releases, &k->nreleases, bt->kernel);
				add_distinct(&k->series, &k->nseries,
					     series_of(ds, bt->kernel));
			}
		}
	}
	for (size_t k = 0; k < a->narch; k++) {
		sort_ids(ds, a->archk[k].series, a->archk[k].nseries,
			 kernel_series_cmp);
		sort_ids(ds, a->archk[k].releases, a->archk[k].nreleases, strcmp);
	}
}

static void entry_notes(struct analysis *a, const struct index *ix)
{
	for (size_t i = 0; i < a->nentry; i++) {
		const struct entry *e = &a->entry[i];
		size_t without = 0;

		if (!e->nboots)
			continue;
		if (e->nboots == 1)
			note(a, "entry '%s' has one boot: no interval involves it (one boot says nothing about how boots differ)",
			     S(a->ds, e->name));
		else if (e->nboots == 2)
			note(a, "entry '%s' has two boots: its intervals are valid but wide (one degree of freedom for the boot-to-boot spread); they cannot show that the spread is stable or rule out an odd boot",
			     S(a->ds, e->name));
		for (size_t b = 0; b < e->nboots; b++) {
			int has_calib = 0;

			for (uint32_t c = 0; c < a->ncell; c++)
				has_calib |= a->cell[c].is_calib &&
					     bc_at(a, ix, e->boots[b], c) != NULL;
			without += !has_calib;
		}
		if (without)
			note(a, "%zu of the %zu boots of entry '%s' have no calib workload: no normalised overhead involves this entry",
			     without, e->nboots, S(a->ds, e->name));
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
	entry_kernels(a, ds);
	for (size_t b = 0; b < ds->nboot; b++) {
		if (arch_index(a, ds->boot[b].arch) == a->narch) {
			a->archs = xrealloc(a->archs, (a->narch + 1) * sizeof(*a->archs));
			a->archs[a->narch++] = ds->boot[b].arch;
		}
	}
	for (size_t i = 0; i < a->nexcl; i++)
		warn(a, "boot %s of entry '%s' excluded: %s",
		     S(ds, ds->boot[a->excl[i].boot].boot_id),
		     S(ds, ds->boot[a->excl[i].boot].entry), a->excl[i].reason);
	build_boot_cells(a, &ix, strtab_intern(&ds->st, uab_unit_words[UAB_UNIT_TICKS],
					    strlen(uab_unit_words[UAB_UNIT_TICKS])));
	entry_notes(a, &ix);
	costs(a, &ix);
	overheads(a, &ix);
	compared_kernels(a, ds);
	significance(a);
	batch_checks(a);
	free(ix.at);
	return 0;
}

int analyse_check_input(struct dataset *ds, const struct analysis_opts *opts)
{
	struct analysis a = { .ds = ds, .opts = *opts };
	int rc = collect_entries(&a, ds);

	analysis_free(&a);
	return rc;
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->nentry; i++)
		free(a->entry[i].boots);
	for (size_t i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	for (size_t i = 0; i < a->nwarnings; i++)
		free(a->warnings[i]);
	for (size_t i = 0; i < a->nexcl; i++)
		free(a->excl[i].reason);
	free(a->notes);
	free(a->warnings);
	free(a->excl);
	free(a->entry);
	free(a->cell);
	free(a->bc);
	free(a->cost);
	free(a->spread);
	free(a->ovh);
	free(a->geo);
	for (size_t k = 0; k < a->narch && a->archk; k++) {
		free(a->archk[k].series);
		free(a->archk[k].releases);
	}
	free(a->archk);
	free(a->compared);
	free(a->archs);
	memset(a, 0, sizeof(*a));
}
