/*
 * Reading many result files on two threads: each file is parsed into a
 * dataset of its own, then merged into the shared one in file order, so the
 * result and the error messages do not depend on thread timing. Samples
 * move, they are not copied.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "util.h"

#define WORKERS 2

struct part {
	struct dataset ds;
	char *msg;		/* its error messages */
	size_t msglen;
};

struct job {
	char **paths;
	struct part *parts;
	size_t n;
	atomic_size_t next;
};

static void *worker(void *arg)
{
	struct job *job = arg;
	size_t i;

	while ((i = atomic_fetch_add(&job->next, 1)) < job->n) {
		struct part *p = &job->parts[i];
		FILE *err = open_memstream(&p->msg, &p->msglen);

		dataset_init(&p->ds, err ? err : stderr);
		dataset_read_csv(&p->ds, job->paths[i]);
		if (err)
			fclose(err);
	}
	return NULL;
}

static uint32_t map_str(struct dataset *ds, const struct dataset *from,
			uint32_t id)
{
	if (id == NO_STR)
		return NO_STR;
	return strtab_intern(&ds->st, S(from, id), strlen(S(from, id)));
}

/* Boots seen in several files must agree on what they measured. */
static void same(struct dataset *ds, const char *path, const char *boot,
		 const char *what, uint32_t have, uint32_t now)
{
	if (have != now)
		dataset_error(ds, path, 0,
			      "%s of boot %s is '%s' here but '%s' in an earlier file",
			      what, boot, S(ds, now), S(ds, have));
}

static int same_header(const struct dataset *ds, const struct input_file *a,
		       const struct input_file *b, const char *key)
{
	const char *x = file_header(ds, a, key), *y = file_header(ds, b, key);

	return x && y && !strcmp(x, y);
}

static int differ(const struct dataset *ds, const struct input_file *a,
		  const struct input_file *b, const char *key)
{
	const char *x = file_header(ds, a, key), *y = file_header(ds, b, key);

	return x && y && strcmp(x, y);
}

/*
 * The same run read twice (a file named twice, or a copy) would double its
 * batches and shrink its CI: refuse it. A boot may hold several runs, each
 * with its own start time.
 */
static void check_not_repeated(struct dataset *ds, const struct input_file *f)
{
	for (size_t i = 0; i + 1 < ds->nfile; i++) {
		const struct input_file *g = &ds->file[i];

		if (g->is_hyperfine || g->boot_id == NO_STR ||
		    g->boot_id != f->boot_id || g->entry != f->entry ||
		    differ(ds, g, f, "seed"))
			continue;
		if (same_header(ds, g, f, "utc"))
			dataset_error(ds, f->path, 0,
				      "same run as %s (entry %s, boot %s, utc %s): a file given twice?",
				      g->path, S(ds, f->entry), S(ds, f->boot_id),
				      file_header(ds, f, "utc"));
		else if (!file_header(ds, g, "utc") || !file_header(ds, f, "utc"))
			/* no start time to tell two runs from one run twice */
			dataset_error(ds, f->path, 0,
				      "same entry and boot as %s (entry %s, boot %s) and no '# utc=' line in one of them: cannot tell two runs of a boot from a file given twice",
				      g->path, S(ds, f->entry), S(ds, f->boot_id));
	}
}

static void merge(struct dataset *ds, struct part *p)
{
	const struct dataset *pd = &p->ds;
	const struct input_file *pf = &pd->file[0];
	uint32_t fi = (uint32_t)ds->nfile;
	uint32_t *boot_map = xmalloc((pd->nboot + 1) * sizeof(*boot_map));

	if (p->msglen)
		fwrite(p->msg, 1, p->msglen, ds->err);
	ds->nerr += pd->nerr;

	grow((void **)&ds->file, &ds->filecap, ds->nfile + 1, sizeof(*ds->file));
	struct input_file *f = &ds->file[ds->nfile++];

	*f = *pf;
	f->path = xstrdup(pf->path);
	f->kv = xmalloc((pf->nkv + 1) * sizeof(*f->kv));
	f->kvcap = pf->nkv;
	for (size_t k = 0; k < pf->nkv; k++) {
		f->kv[k].key = map_str(ds, pd, pf->kv[k].key);
		f->kv[k].val = map_str(ds, pd, pf->kv[k].val);
	}
	f->reason = map_str(ds, pd, pf->reason);
	f->entry = map_str(ds, pd, pf->entry);
	f->boot_id = map_str(ds, pd, pf->boot_id);
	check_not_repeated(ds, f);

	for (size_t b = 0; b < pd->nboot; b++) {
		const struct boot *pb = &pd->boot[b];
		int created;
		uint32_t id = map_str(ds, pd, pb->boot_id);
		uint32_t nb = dataset_boot(ds, map_str(ds, pd, pb->entry), id, fi,
					   &created);
		struct boot *db = &ds->boot[nb];
		const uint32_t mine[] = {
			map_str(ds, pd, pb->arch), map_str(ds, pd, pb->kernel),
			map_str(ds, pd, pb->smap), map_str(ds, pd, pb->smep),
			map_str(ds, pd, pb->pan), map_str(ds, pd, pb->prot_source),
		};
		uint32_t *theirs[] = {
			&db->arch, &db->kernel, &db->smap, &db->smep, &db->pan,
			&db->prot_source,
		};
		static const char *const what[] = {
			"arch", "kernel", "smap", "smep", "pan", "prot_source",
		};

		boot_map[b] = nb;
		db->nfiles++;
		for (size_t k = 0; k < 6; k++) {
			if (created)
				*theirs[k] = mine[k];
			else
				same(ds, f->path, S(ds, id), what[k], *theirs[k], mine[k]);
		}
	}
	for (size_t i = 0; i < pd->nseries; i++) {
		struct series *ps = &p->ds.series[i];
		struct series *s = dataset_series(ds, boot_map[ps->boot],
			map_str(ds, pd, ps->workload), ps->size,
			map_str(ds, pd, ps->counter), map_str(ds, pd, ps->unit),
			ps->hz);

		if (!s->v) {
			s->v = ps->v;
			s->n = ps->n;
			s->cap = ps->cap;
			s->ops = ps->ops;
			ps->v = NULL;
		} else {
			/* ops are summed whole: the batches' split does not matter */
			for (uint32_t k = 0; k < ps->n; k++)
				series_add(s, ps->v[k], 0);
			s->ops += ps->ops;
		}
	}
	free(boot_map);
}

void dataset_read_csvs(struct dataset *ds, char **paths, size_t n)
{
	struct job job = { .paths = paths, .n = n };
	pthread_t t[WORKERS];
	size_t started = 0;

	job.parts = xcalloc(n, sizeof(*job.parts));
	atomic_init(&job.next, 0);
	for (; started < WORKERS - 1; started++)
		if (pthread_create(&t[started], NULL, worker, &job))
			break;
	worker(&job);		/* this thread works too */
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	for (size_t i = 0; i < n; i++) {
		if (job.parts[i].ds.nfile) {
			merge(ds, &job.parts[i]);
		} else {	/* could not even open it: the message says why */
			if (job.parts[i].msglen)
				fwrite(job.parts[i].msg, 1, job.parts[i].msglen, ds->err);
			ds->nerr += job.parts[i].ds.nerr;
		}
		dataset_free(&job.parts[i].ds);
		free(job.parts[i].msg);
	}
	free(job.parts);
}
