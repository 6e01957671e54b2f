/*
 * The prediction: a path's absolute protection overhead, per operation,
 * as the toggle pairs it performs (configs/toggle-pairs, counted in the
 * kernel source) times the bare toggle pair's cost measured inside the
 * protected entry's boots (toggle.c, pooled), beside the cross-boot
 * absolute difference the overhead table measured (entry minus baseline,
 * Welch). Both in the counter's unit, with their intervals; they agree
 * when the intervals meet. A disagreement is a finding: what the
 * protection changes besides its toggles (kernel entry under a software
 * PAN, code layout), or a count that is wrong.
 */
#include "prediction.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"

static int bad_line(FILE *err, const char *path, size_t line, const char *why)
{
	fprintf(err, "%s:%zu: %s\n", path, line, why);
	return -1;
}

int toggle_pairs_read(const char *path, struct toggle_pairs *tp, FILE *err)
{
	FILE *f = fopen(path, "r");
	char buf[2048];
	size_t line = 0;
	int rc = 0;

	memset(tp, 0, sizeof(*tp));
	if (!f) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	tp->path = xstrdup(path);
	while (fgets(buf, sizeof(buf), f)) {
		char *fields[4], *save = NULL, *rest, *end;
		unsigned long pairs;
		int nf = 0;

		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			rc = bad_line(err, path, line, "line longer than 2047 bytes");
			break;
		}
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[strspn(buf, " \t")] == '#' || !buf[strspn(buf, " \t")])
			continue;
		for (char *s = buf; nf < 4; s = NULL) {
			fields[nf] = strtok_r(s, " \t", &save);
			if (!fields[nf])
				break;
			nf++;
		}
		rest = save ? save + strspn(save, " \t") : NULL;
		if (nf < 4 || !rest || !*rest) {
			rc = bad_line(err, path, line, "want: protection workload "
				      "pairs kernels where");
			break;
		}
		errno = 0;
		pairs = strtoul(fields[2], &end, 10);
		if (errno || *end || fields[2][0] == '-' || pairs > 1000) {
			rc = bad_line(err, path, line,
				      "pairs must be an integer 0..1000");
			break;
		}
		tp->v = xrealloc(tp->v, (tp->n + 1) * sizeof(*tp->v));
		tp->v[tp->n++] = (struct toggle_pairs_line){
			.protection = xstrdup(fields[0]),
			.workload = xstrdup(fields[1]),
			.pairs = (unsigned)pairs,
			.kernels = xstrdup(fields[3]),
			.where = xstrdup(rest),
		};
	}
	if (!rc && ferror(f))
		rc = bad_line(err, path, line, "read error");
	fclose(f);
	if (rc)
		toggle_pairs_free(tp);
	return rc;
}

void toggle_pairs_free(struct toggle_pairs *tp)
{
	for (size_t i = 0; i < tp->n; i++) {
		free(tp->v[i].protection);
		free(tp->v[i].workload);
		free(tp->v[i].kernels);
		free(tp->v[i].where);
	}
	free(tp->v);
	free(tp->path);
	memset(tp, 0, sizeof(*tp));
}

/* "smap", "pan-hw", ... as the entry's first boot measured it, or NULL. */
static const char *protection_of(const struct analysis *a, uint32_t ei)
{
	const struct dataset *ds = a->ds;
	const struct boot *b;
	const char *kind;

	if (!a->entry[ei].nboots)
		return NULL;
	b = &ds->boot[a->entry[ei].boots[0]];
	if (!strcmp(S(ds, b->smap), "on"))
		return "smap";
	if (strcmp(S(ds, b->pan), "on"))
		return NULL;
	kind = file_key(ds, &ds->file[b->file], UAB_KEY_PAN_KIND);
	if (!kind)
		return NULL;
	if (!strcmp(kind, "hw"))
		return "pan-hw";
	if (!strcmp(kind, "ttbr0"))
		return "pan-ttbr0";
	if (!strcmp(kind, "domain"))
		return "pan-domain";
	return NULL;
}

static int covers_series(const char *kernels, const char *series)
{
	size_t n = strlen(series);

	if (!strcmp(kernels, "all"))
		return 1;
	for (const char *k = kernels; *k;) {
		size_t len = strcspn(k, ",");

		if (len == n && !strncmp(k, series, n))
			return 1;
		k += len + (k[len] == ',');
	}
	return 0;
}

static const struct toggle_pairs_line *
find_pairs(const struct toggle_pairs *tp, const char *prot,
	   const char *workload, const char *series)
{
	for (size_t i = 0; i < tp->n; i++)
		if (!strcmp(tp->v[i].protection, prot) &&
		    !strcmp(tp->v[i].workload, workload) &&
		    covers_series(tp->v[i].kernels, series))
			return &tp->v[i];
	return NULL;
}

/* The protected entry's pooled bare toggle, on the cell's counter. */
static const struct toggle_result *
find_toggle(const struct analysis *a, const struct toggle_set *ts,
	    const struct cell *c, uint32_t ei)
{
	for (size_t i = 0; i < ts->npooled; i++) {
		const struct toggle_result *r = &ts->pooled[i];

		if (r->kind == TOGGLE_BARE && r->state == TOGGLE_ON &&
		    a->ds->boot[r->boot].entry == a->entry[ei].name &&
		    r->counter == c->counter && r->unit == c->unit)
			return r;
	}
	return NULL;
}

static void row(const struct analysis *a, const struct overhead *o,
		const struct toggle_pairs_line *l,
		const struct toggle_result *r, FILE *f)
{
	const struct dataset *ds = a->ds;
	const struct cell *c = &a->cell[o->cell];
	double p = l->pairs * r->cost, plo = l->pairs * r->lo,
	       phi = l->pairs * r->hi;
	const struct interval *m = &o->abs;

	fputs("| ", f);
	md_str(f, S(ds, c->workload));
	fprintf(f, " | %llu | ", (unsigned long long)c->size);
	md_str(f, S(ds, c->counter));
	fputs(" | ", f);
	md_str(f, S(ds, a->entry[o->entry].name));
	fputs(" vs ", f);
	md_str(f, S(ds, a->entry[o->baseline].name));
	fputs(" | ", f);
	md_str(f, S(ds, a->entry[o->entry].series));
	fprintf(f, " | %u | %.1f [%.1f, %.1f] | ", l->pairs, p, plo, phi);
	if (isnan(m->lo))
		fprintf(f, "%.1f [n/a] | n/a |\n", m->est);
	else
		fprintf(f, "%.1f [%.1f, %.1f] | %s |\n", m->est, m->lo, m->hi,
			phi < m->lo || plo > m->hi ? "**no**" : "yes");
}

void prediction_md(const struct analysis *a, const struct toggle_set *ts,
		   const struct toggle_pairs *tp, FILE *f)
{
	const struct dataset *ds = a->ds;
	size_t rows = 0;

	fputs("\n## Prediction: toggle pairs times the in-boot toggle cost, "
	      "against the cross-boot difference\n\n", f);
	for (size_t k = 0; k < a->narch; k++) {
		size_t n;
		uint32_t *cells = sorted_cells(a, a->archs[k], &n);

		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < a->novh; j++) {
				const struct overhead *o = &a->ovh[j];
				const struct cell *c = &a->cell[o->cell];
				const char *prot = protection_of(a, o->entry);
				const struct toggle_pairs_line *l;
				const struct toggle_result *r;

				if (o->cell != cells[i] || !prot)
					continue;
				l = find_pairs(tp, prot, S(ds, c->workload),
					       S(ds, a->entry[o->entry].series));
				r = l ? find_toggle(a, ts, c, o->entry) : NULL;
				if (!r)
					continue;
				if (!rows++)
					fprintf(f, "Per operation, in the counter's "
						"unit: the toggle pairs the path performs "
						"(`%s`, counted in the kernel source, with the "
						"lines that show it) times the protected "
						"entry's bare toggle pair measured inside its "
						"boots (pooled, above), against the difference "
						"entry minus baseline across boots (the "
						"overhead table's), each with its interval. "
						"*agree*: the intervals meet. A software PAN "
						"also switches at every kernel entry and exit, "
						"which the counts leave out.\n\n"
						"| workload | size (B) | counter | entry vs "
						"baseline | kernel | pairs | predicted [CI] | "
						"measured [CI] | agree |\n"
						"|---|---:|---|---|---|---:|---|---|---|\n",
						tp->path);
				row(a, o, l, r, f);
			}
		}
		free(cells);
	}
	if (tp->missing)
		fprintf(f, "No toggle-pairs file: `%s` was not found (name one "
			"with `--toggle-pairs FILE`).\n", tp->missing);
	else if (!rows)
		fputs("No compared pair has both a toggle cost measured inside "
		      "its boots (`uabench --kloop`) and a path whose toggle "
		      "pairs are counted.\n", f);
}
