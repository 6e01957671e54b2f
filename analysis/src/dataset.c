#include "dataset.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void dataset_init(struct dataset *ds, FILE *err)
{
	memset(ds, 0, sizeof(*ds));
	ds->err = err;
}

void dataset_free(struct dataset *ds)
{
	for (size_t i = 0; i < ds->nfile; i++) {
		free(ds->file[i].path);
		free(ds->file[i].kv);
	}
	for (size_t i = 0; i < ds->nseries; i++) {
		free(ds->series[i].v);
	}
	free(ds->file);
	free(ds->boot);
	free(ds->series);
	free(ds->sidx);
	strtab_free(&ds->st);
}

void dataset_error(struct dataset *ds, const char *path, size_t line,
		   const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	/* messages quote the file's bytes: a '\r' must not hide the rest */
	fputs_escaped(path, ds->err);
	if (line)
		fprintf(ds->err, ":%zu", line);
	fputs(": ", ds->err);
	fputs_escaped(msg, ds->err);
	fputc('\n', ds->err);
	free(msg);
	ds->nerr++;
}

const char *file_header(const struct dataset *ds, const struct input_file *f,
			const char *key)
{
	for (size_t i = 0; i < f->nkv; i++)
		if (!strcmp(S(ds, f->kv[i].key), key))
			return S(ds, f->kv[i].val);
	return NULL;
}

const char *file_key(const struct dataset *ds, const struct input_file *f,
		     enum uab_key k)
{
	return file_header(ds, f, uab_key_names[k]);
}

uint32_t dataset_boot(struct dataset *ds, uint32_t entry, uint32_t boot_id,
		      uint32_t file, int *created)
{
	for (size_t i = ds->nboot; i-- > 0;)
		if (ds->boot[i].entry == entry && ds->boot[i].boot_id == boot_id) {
			*created = 0;
			return (uint32_t)i;
		}
	grow((void **)&ds->boot, &ds->bootcap, ds->nboot + 1, sizeof(*ds->boot));
	memset(&ds->boot[ds->nboot], 0, sizeof(ds->boot[0]));
	ds->boot[ds->nboot].entry = entry;
	ds->boot[ds->nboot].boot_id = boot_id;
	ds->boot[ds->nboot].file = file;
	*created = 1;
	return (uint32_t)ds->nboot++;
}

static uint64_t series_hash(uint32_t boot, uint32_t workload, uint64_t size,
			    uint32_t counter, uint32_t unit, uint64_t hz)
{
	uint64_t k[] = { boot, workload, size, counter, unit, hz };
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		h ^= k[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
		h *= 0xff51afd7ed558ccdULL;
	}
	return h ^ (h >> 33);
}

static void series_rehash(struct dataset *ds)
{
	size_t n = ds->nsidx ? ds->nsidx * 2 : 256;
	uint32_t *idx = xcalloc(n, sizeof(*idx));

	for (size_t i = 0; i < ds->nseries; i++) {
		struct series *s = &ds->series[i];
		size_t j = series_hash(s->boot, s->workload, s->size,
				       s->counter, s->unit, s->hz) & (n - 1);

		while (idx[j])
			j = (j + 1) & (n - 1);
		idx[j] = (uint32_t)i + 1;
	}
	free(ds->sidx);
	ds->sidx = idx;
	ds->nsidx = n;
}

struct series *dataset_series(struct dataset *ds, uint32_t boot,
			      uint32_t workload, uint64_t size,
			      uint32_t counter, uint32_t unit, uint64_t hz)
{
	size_t j;

	if ((ds->nseries + 1) * 2 > ds->nsidx)
		series_rehash(ds);
	j = series_hash(boot, workload, size, counter, unit, hz) &
	    (ds->nsidx - 1);
	while (ds->sidx[j]) {
		struct series *s = &ds->series[ds->sidx[j] - 1];

		if (s->boot == boot && s->workload == workload &&
		    s->size == size && s->counter == counter &&
		    s->unit == unit && s->hz == hz)
			return s;
		j = (j + 1) & (ds->nsidx - 1);
	}
	grow((void **)&ds->series, &ds->seriescap, ds->nseries + 1,
	     sizeof(*ds->series));
	ds->sidx[j] = (uint32_t)ds->nseries + 1;
	struct series *s = &ds->series[ds->nseries++];

	memset(s, 0, sizeof(*s));
	s->boot = boot;
	s->workload = workload;
	s->size = size;
	s->counter = counter;
	s->unit = unit;
	s->hz = hz;
	return s;
}

void series_add(struct series *s, float v, uint64_t ops)
{
	s->ops += (double)ops;
	if (s->n == s->cap) {
		size_t cap = s->cap;

		grow((void **)&s->v, &cap, (size_t)s->n + 1, sizeof(*s->v));
		s->cap = (uint32_t)cap;
	}
	s->v[s->n++] = v;
}

int dataset_check_schemas(struct dataset *ds)
{
	const struct input_file *first = NULL;

	for (size_t i = 0; i < ds->nfile; i++) {
		const struct input_file *f = &ds->file[i];

		if (f->is_hyperfine || f->schema < 0)
			continue;
		if (!first) {
			first = f;
		} else if (f->schema != first->schema) {
			fprintf(ds->err,
				"uareport: mixed schema versions: %s has schema %d, %s has schema %d; report each version separately\n",
				first->path, first->schema, f->path, f->schema);
			ds->nerr++;
			return -1;
		}
	}
	return 0;
}

struct finisher {
	struct dataset *ds;
	size_t first, step;	/* this worker's series: first, first + step, ... */
};

static void *finish_some(void *arg)
{
	const struct finisher *w = arg;
	struct dataset *ds = w->ds;
	uint32_t most = 0;
	float *tmp;

	for (size_t i = w->first; i < ds->nseries; i += w->step)
		if (ds->series[i].n > most)
			most = ds->series[i].n;
	tmp = xmalloc((size_t)most * sizeof(*tmp) + 1);
	for (size_t i = w->first; i < ds->nseries; i += w->step) {
		struct series *s = &ds->series[i];

		/* Give back the growth slack before sorting. */
		s->v = xrealloc(s->v, (size_t)s->n * sizeof(*s->v));
		s->cap = s->n;
		sort_floats(s->v, tmp, s->n);
		desc_compute(s->v, s->n, tmp, &s->d);
	}
	free(tmp);
	return NULL;
}

/* Series are independent: two workers, for the machines we run on. */
void dataset_finish(struct dataset *ds)
{
	struct finisher w[2] = { { ds, 0, 2 }, { ds, 1, 2 } };
	pthread_t t;

	if (pthread_create(&t, NULL, finish_some, &w[1])) {
		w[0].step = 1;	/* no thread: do it all here */
		finish_some(&w[0]);
		return;
	}
	finish_some(&w[0]);
	pthread_join(t, NULL);
}
