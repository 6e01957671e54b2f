/* Ops per batch per cell: parsed from a list or read from a result file. */
#define _GNU_SOURCE
#include "iters_map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uab_schema.h"

#define ITERS_MAX	(UINT64_C(1) << 40)	/* as --iters */

static struct iters_entry *entry_find(struct iters_map *m, const char *label,
				size_t len, size_t size)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].size == size && strlen(m->v[i].label) == len &&
		    !memcmp(m->v[i].label, label, len))
			return &m->v[i];
	return NULL;
}

/* Add a new cell label[0..len)/size -> ops. 0, or -1 with err. */
static int entry_add(struct iters_map *m, const char *label, size_t len,
	       size_t size, uint64_t ops, char *err, size_t errlen)
{
	struct iters_entry *e;

	if (!uab_field_ok(label, len) || len >= sizeof(e->label)) {
		snprintf(err, errlen, "%s: '%.*s' is not a workload label",
			 m->origin, (int)len, label);
		return -1;
	}
	if (!ops || ops > ITERS_MAX) {
		snprintf(err, errlen,
			 "%s: %.*s/%zu: %llu ops per batch is not in 1..%llu",
			 m->origin, (int)len, label, size,
			 (unsigned long long)ops,
			 (unsigned long long)ITERS_MAX);
		return -1;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct iters_entry *v = realloc(m->v, cap * sizeof(*v));

		if (!v) {
			snprintf(err, errlen, "%s: out of memory", m->origin);
			return -1;
		}
		m->v = v;
		m->cap = cap;
	}
	e = &m->v[m->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->label, label, len);
	e->size = size;
	e->ops = ops;
	return 0;
}

int iters_map_parse(struct iters_map *m, const char *list, char *err,
		    size_t errlen)
{
	const char *p = list;

	memset(m, 0, sizeof(*m));
	snprintf(m->origin, sizeof(m->origin), "--iters-map");
	for (;;) {
		size_t len = strcspn(p, ",");
		const char *colon = memchr(p, ':', len);
		const char *eq = memchr(p, '=', len);
		size_t llen = colon ? (size_t)(colon - p) : 0;
		uint64_t size, ops;

		if (!colon || !eq || eq < colon ||
		    uab_parse_u64(colon + 1, (size_t)(eq - colon - 1),
				  &size) < 0 ||
		    uab_parse_u64(eq + 1, len - (size_t)(eq - p) - 1,
				  &ops) < 0 || size > SIZE_MAX) {
			snprintf(err, errlen,
				 "--iters-map: '%.*s' is not WORKLOAD:SIZE=OPS",
				 (int)len, p);
			return -1;
		}
		if (entry_find(m, p, llen, (size_t)size)) {
			snprintf(err, errlen, "--iters-map: %.*s:%llu given twice",
				 (int)llen, p, (unsigned long long)size);
			return -1;
		}
		if (entry_add(m, p, llen, (size_t)size, ops, err, errlen) < 0)
			return -1;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* One row: its cell's ops, which every row of the cell must repeat. */
static int read_row(struct iters_map *m, char *row, long line, char *err,
		    size_t errlen)
{
	const char *f[UAB_NCOLS];
	struct iters_entry *e;
	uint64_t size, ops;
	int n = 1;

	f[0] = row;
	for (char *p = strchr(row, ','); p && n < UAB_NCOLS + 1;
	     p = strchr(p, ',')) {
		*p++ = '\0';
		if (n < UAB_NCOLS)
			f[n] = p;
		n++;
	}
	if (n != UAB_NCOLS ||
	    uab_parse_u64(f[UAB_COL_SIZE], strlen(f[UAB_COL_SIZE]),
			  &size) < 0 ||
	    uab_parse_u64(f[UAB_COL_OPS], strlen(f[UAB_COL_OPS]), &ops) < 0 ||
	    size > SIZE_MAX) {
		snprintf(err, errlen, "%s:%ld: not a result row", m->origin,
			 line);
		return -1;
	}
	e = entry_find(m, f[UAB_COL_WORKLOAD], strlen(f[UAB_COL_WORKLOAD]),
		 (size_t)size);
	if (!e)
		return entry_add(m, f[UAB_COL_WORKLOAD], strlen(f[UAB_COL_WORKLOAD]),
			   (size_t)size, ops, err, errlen);
	if (e->ops != ops) {
		snprintf(err, errlen,
			 "%s:%ld: %s/%zu has %llu and %llu ops per batch",
			 m->origin, line, e->label, e->size,
			 (unsigned long long)e->ops, (unsigned long long)ops);
		return -1;
	}
	return 0;
}

int iters_map_read(struct iters_map *m, const char *path, char *err,
		   size_t errlen)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int in_rows = 0, ret = -1;

	memset(m, 0, sizeof(*m));
	snprintf(m->origin, sizeof(m->origin), "--iters-from %s", path);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", m->origin, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		const char *key, *val;
		size_t klen, vlen;

		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (in_rows) {
			if (read_row(m, line, lineno, err, errlen) < 0)
				goto out;
			continue;
		}
		if (line[0] == '#') {
			if (uab_header_split(line, (size_t)len, &key, &klen,
					     &val, &vlen) == 0 &&
			    uab_key_find(key, klen) == UAB_KEY_SCHEMA &&
			    (vlen != strlen(UAB_SCHEMA_VERSION_STR) ||
			     memcmp(val, UAB_SCHEMA_VERSION_STR, vlen))) {
				snprintf(err, errlen,
					 "%s:%ld: schema %.*s, not " UAB_SCHEMA_VERSION_STR,
					 m->origin, lineno, (int)vlen, val);
				goto out;
			}
			continue;
		}
		if (strcmp(line, UAB_COLUMN_LINE)) {
			snprintf(err, errlen,
				 "%s:%ld: not a uabench result file (no column line)",
				 m->origin, lineno);
			goto out;
		}
		in_rows = 1;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", m->origin, strerror(errno));
		goto out;
	}
	if (!m->n) {
		snprintf(err, errlen, "%s: no result rows", m->origin);
		goto out;
	}
	ret = 0;
out:
	free(line);
	fclose(f);
	return ret;
}

int iters_map_apply(struct iters_map *m, struct bench_cell *cells,
		    int ncells, char *err, size_t errlen)
{
	for (int i = 0; i < ncells; i++) {
		struct bench_cell *c = &cells[i];
		struct iters_entry *e = entry_find(m, c->label, strlen(c->label),
					     c->size);

		if (!e) {
			snprintf(err, errlen, "%s: no ops per batch for %s:%zu",
				 m->origin, c->label, c->size);
			return -1;
		}
		e->used = 1;
		c->iters = e->ops;
	}
	for (size_t i = 0; i < m->n; i++) {
		if (!m->v[i].used) {
			snprintf(err, errlen,
				 "%s: %s:%zu is no cell of this run",
				 m->origin, m->v[i].label, m->v[i].size);
			return -1;
		}
	}
	return 0;
}

void iters_map_print(const struct iters_map *m, FILE *f)
{
	for (size_t i = 0; i < m->n; i++)
		fprintf(f, "%s%s:%zu=%llu", i ? "," : "", m->v[i].label,
			m->v[i].size, (unsigned long long)m->v[i].ops);
	fputc('\n', f);
}

void iters_map_free(struct iters_map *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}
