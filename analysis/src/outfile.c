#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

int out_open(struct outfile *o, const char *dir, const char *name)
{
	o->final = xasprintf("%s/%s", dir, name);
	o->tmp = xasprintf("%s.tmp", o->final);
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		fprintf(stderr, "uareport: %s: %s\n", o->tmp, strerror(errno));
		free(o->final);
		free(o->tmp);
		return -1;
	}
	return 0;
}

int out_close(struct outfile *o)
{
	int rc = 0;

	if (fflush(o->f) || ferror(o->f) || fsync(fileno(o->f)))
		rc = -1;
	if (fclose(o->f))
		rc = -1;
	if (!rc && rename(o->tmp, o->final))
		rc = -1;
	if (rc) {
		fprintf(stderr, "uareport: writing %s: %s\n", o->final,
			strerror(errno));
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->final);
	return rc;
}

void csv_str(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void md_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

void fmt_pct(char *buf, size_t n, const struct interval *v)
{
	if (isnan(v->est))
		snprintf(buf, n, "n/a");
	else if (isnan(v->lo))
		snprintf(buf, n, "%+.2f [n/a]", 100 * v->est);
	else
		snprintf(buf, n, "%+.2f [%+.2f, %+.2f]", 100 * v->est,
			 100 * v->lo, 100 * v->hi);
}

char *safe_name(const char *s)
{
	char *r = xstrdup(s);

	for (char *p = r; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		      *p == '_'))
			*p = '_';
	return r;
}

static const struct analysis *sort_a;

static int cell_order(const void *x, const void *y)
{
	const struct cell *c = &sort_a->cell[*(const uint32_t *)x];
	const struct cell *d = &sort_a->cell[*(const uint32_t *)y];
	int r = strcmp(S(sort_a->ds, c->workload), S(sort_a->ds, d->workload));

	if (!r)
		r = strcmp(S(sort_a->ds, c->counter), S(sort_a->ds, d->counter));
	if (!r)
		r = (c->size > d->size) - (c->size < d->size);
	return r;
}

uint32_t *sorted_cells(const struct analysis *a, uint32_t arch, size_t *n)
{
	uint32_t *idx = xmalloc((a->ncell + 1) * sizeof(*idx));

	*n = 0;
	for (uint32_t c = 0; c < a->ncell; c++)
		if (a->cell[c].arch == arch)
			idx[(*n)++] = c;
	sort_a = a;
	qsort(idx, *n, sizeof(*idx), cell_order);
	return idx;
}
