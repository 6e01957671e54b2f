/*
 * The precision summary a lab loop reads to decide whether to add boot
 * pairs: stop on precision (CI half-width), never on significance.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"

/* Does the comma list name this cell (WORKLOAD or WORKLOAD/SIZE)? */
static int listed(const struct analysis *a, const struct cell *c,
		  const char *list, int *matched, size_t nitems)
{
	const char *w = S(a->ds, c->workload);
	const char *p = list;

	for (size_t i = 0; i < nitems; i++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char size[32];
		int hit;

		snprintf(size, sizeof(size), "%s/%llu", w,
			 (unsigned long long)c->size);
		hit = (len == strlen(w) && !strncmp(p, w, len)) ||
		      (len == strlen(size) && !strncmp(p, size, len));
		if (hit) {
			matched[i] = 1;
			return 1;
		}
		p += len + 1;
	}
	return 0;
}

int precision_check(const struct analysis *a, double target_pct,
		    const char *cells, FILE *out)
{
	const struct dataset *ds = a->ds;
	size_t nitems = 0, checked = 0, above = 0;
	int *matched;

	for (const char *p = cells; p && *p; p++)
		nitems += *p == ',';
	nitems += cells && *cells;
	matched = xcalloc(nitems + 1, sizeof(*matched));
	fprintf(out, "# uareport precision: target %.3g pp, headline %s, level %.0f %%\n"
		"arch\tworkload\tsize\tcounter\tentry\tbaseline\tboots_entry\tboots_baseline\testimate_pct\thalf_width_pct\tstatus\n",
		target_pct, variant_name(a->opts.headline), 100 * a->opts.level);
	for (size_t i = 0; i < a->novh; i++) {
		const struct overhead *o = &a->ovh[i];
		const struct cell *c = &a->cell[o->cell];
		const struct interval *v = &o->v[a->opts.headline];
		double half = 100 * (v->hi - v->lo) / 2;
		const char *status;

		if (cells ? !listed(a, c, cells, matched, nitems) : c->is_control)
			continue;
		checked++;
		if (isnan(half))
			status = "no-interval";
		else if (half < target_pct)
			status = "ok";
		else
			status = "more-boots";
		above += strcmp(status, "ok") != 0;
		fprintf(out, "%s\t%s\t%llu\t%s\t%s\t%s\t%zu\t%zu\t%.4f\t%.4f\t%s\n",
			S(ds, c->arch), S(ds, c->workload),
			(unsigned long long)c->size, S(ds, c->counter),
			S(ds, a->entry[o->entry].name),
			S(ds, a->entry[o->baseline].name), o->nboots_entry,
			o->nboots_baseline, 100 * v->est, half, status);
	}
	for (size_t i = 0; i < nitems; i++) {
		if (!matched[i]) {
			const char *p = cells;

			for (size_t k = 0; k < i; k++)
				p = strchr(p, ',') + 1;
			fprintf(stderr, "uareport: --cells: '%.*s' names no overhead in the data\n",
				(int)(strchr(p, ',') ? strchr(p, ',') - p : (long)strlen(p)), p);
			free(matched);
			return 2;
		}
	}
	free(matched);
	if (!checked) {
		fprintf(out, "precision: more-boots (no overhead to check)\n");
		return 3;
	}
	if (above) {
		fprintf(out, "precision: more-boots (%zu of %zu cells at or above %.3g pp)\n",
			above, checked, target_pct);
		return 3;
	}
	fprintf(out, "precision: met (%zu cells under %.3g pp)\n", checked,
		target_pct);
	return 0;
}
