/* Result file contents: environment header, one row per batch and counter. */
#define _GNU_SOURCE
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static const char *const header_keys[] = {
	"schema", "tool", "version", "git", "utc", "utc_end", "host",
	"kernel", "arch", "cmdline", "cpu_model", "boot_id", "governor",
	"smap", "smep", "pan", "pan_kind", "prot_source", "module", "bufsize",
	"entry", "seed", "counter", "counter_note", "tsc_hz",
	"tsc_hz_source", "cpu", "iters", "counter_read_ns",
	"batch_target_us", "warmup_ms",
	"rounds", "min_time", "min_time_source", "cells", "skipped",
	"columns", NULL,
};

int report_key_reserved(const char *key)
{
	if (!strncmp(key, "vuln.", 5))
		return 1;
	for (int i = 0; header_keys[i]; i++)
		if (!strcmp(key, header_keys[i]))
			return 1;
	return 0;
}

static void hdr_u64(struct csv_out *c, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	csv_header(c, key, buf);
}

static void hdr_double(struct csv_out *c, const char *key, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%g", v);
	csv_header(c, key, buf);
}

static const char columns[] =
	"schema,boot_id,entry,arch,kernel,smap,smep,pan,prot_source,workload,"
	"size,round,ops,counter,unit,hz,delta,per_op";

void report_header(struct csv_out *c, const struct run_info *ri)
{
	const struct options *o = ri->opts;
	const struct env *e = ri->env;
	const struct counter_set *cs = ri->cs;
	char buf[512];
	uint64_t tsc_hz = 0;

	hdr_u64(c, "schema", RESULT_SCHEMA);
	snprintf(buf, sizeof(buf), "uabench %s (git %s)", UAB_VERSION,
		 UAB_GIT_REV);
	csv_header(c, "tool", buf);
	csv_header(c, "version", UAB_VERSION);
	csv_header(c, "git", UAB_GIT_REV);
	csv_header(c, "utc", ri->utc_start);
	csv_header(c, "utc_end", ri->utc_end);
	csv_header(c, "host", e->host);
	csv_header(c, "kernel", e->kernel);
	csv_header(c, "arch", e->arch);
	csv_header(c, "cmdline", e->cmdline);
	csv_header(c, "cpu_model", e->cpu_model);
	csv_header(c, "boot_id", e->boot_id);
	csv_header(c, "governor", e->governor);
	csv_header(c, "smap", prot_name(e->smap));
	csv_header(c, "smep", prot_name(e->smep));
	csv_header(c, "pan", prot_name(e->pan));
	csv_header(c, "pan_kind", e->pan_kind);
	csv_header(c, "prot_source", e->prot_source);
	csv_header(c, "module", ri->module);
	hdr_u64(c, "bufsize", e->module_bufsize);
	for (int i = 0; i < e->nvuln; i++) {
		snprintf(buf, sizeof(buf), "vuln.%s", e->vuln[i].name);
		csv_header(c, buf, e->vuln[i].value);
	}
	csv_header(c, "entry", o->entry);
	hdr_u64(c, "seed", ri->sched->seed);
	csv_header(c, "counter", cs->summary);
	csv_header(c, "counter_note", cs->note);
	if (cs->clock == CLOCK_KIND_TSC)
		tsc_hz = cs->desc[0].hz;
	hdr_u64(c, "tsc_hz", tsc_hz);
	csv_header(c, "tsc_hz_source", tsc_hz ? cs->hz_source : "none");
	if (o->cpu >= 0)
		hdr_u64(c, "cpu", (uint64_t)o->cpu);
	else
		csv_header(c, "cpu", "unpinned");
	if (o->iters)
		hdr_u64(c, "iters", o->iters);
	else
		csv_header(c, "iters", "auto");
	hdr_double(c, "counter_read_ns", ri->read_cost_s * 1e9);
	hdr_double(c, "batch_target_us", ri->sched->batch_s * 1e6);
	hdr_double(c, "warmup_ms", ri->sched->warmup_s * 1e3);
	hdr_u64(c, "rounds", ri->rounds);
	hdr_double(c, "min_time", ri->sched->min_time);
	csv_header(c, "min_time_source", ri->min_time_source);
	csv_header(c, "cells", ri->cells);
	csv_header(c, "skipped", ri->skipped[0] ? ri->skipped : "none");
	for (int i = 0; i < o->nmeta; i++)
		csv_header(c, o->meta[i].key, o->meta[i].value);
	csv_header(c, "columns", columns);
	fprintf(c->f, "%s\n", columns);
}

void report_rows(struct csv_out *c, const struct run_info *ri,
		 const struct cell *cells, const struct samples *s)
{
	const struct env *e = ri->env;
	const struct counter_set *cs = ri->cs;
	char schema[16], num[4][48];

	snprintf(schema, sizeof(schema), "%d", RESULT_SCHEMA);
	for (size_t i = 0; i < s->n; i++) {
		const struct sample *smp = &s->v[i];
		const uint64_t *delta = sample_delta(s, i);
		const struct cell *cl = &cells[smp->cell];

		for (int k = 0; k < cs->n; k++) {
			const struct counter_desc *d = &cs->desc[k];

			csv_field(c, schema, 1);
			csv_field(c, e->boot_id, 0);
			csv_field(c, ri->opts->entry, 0);
			csv_field(c, e->arch, 0);
			csv_field(c, e->kernel, 0);
			csv_field(c, prot_name(e->smap), 0);
			csv_field(c, prot_name(e->smep), 0);
			csv_field(c, prot_name(e->pan), 0);
			csv_field(c, e->prot_source, 0);
			csv_field(c, cl->label, 0);
			snprintf(num[0], sizeof(num[0]), "%zu", cl->size);
			snprintf(num[1], sizeof(num[1]), "%" PRIu32, smp->round);
			snprintf(num[2], sizeof(num[2]), "%" PRIu64, smp->ops);
			csv_field(c, num[0], 0);
			csv_field(c, num[1], 0);
			csv_field(c, num[2], 0);
			csv_field(c, d->name, 0);
			csv_field(c, d->unit, 0);
			snprintf(num[0], sizeof(num[0]), "%" PRIu64, d->hz);
			snprintf(num[1], sizeof(num[1]), "%" PRIu64,
				 delta[k]);
			snprintf(num[2], sizeof(num[2]), "%.4f",
				 (double)delta[k] / (double)smp->ops);
			csv_field(c, num[0], 0);
			csv_field(c, num[1], 0);
			csv_field(c, num[2], 0);
			csv_end_row(c);
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void report_summary(FILE *f, const struct counter_set *cs,
		    const struct cell *cells, int ncells,
		    const struct samples *s)
{
	double *v = malloc((s->n ? s->n : 1) * sizeof(*v));

	if (!v)
		return;
	fprintf(f, "%-20s %8s %8s %10s %14s %s\n", "workload", "size",
		"batches", "ops/batch", "median/op", cs->desc[0].unit);
	for (int ci = 0; ci < ncells; ci++) {
		size_t n = 0;

		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].cell == (uint32_t)ci)
				v[n++] = (double)sample_delta(s, i)[0] /
					 (double)s->v[i].ops;
		if (!n)
			continue;
		qsort(v, n, sizeof(*v), cmp_double);
		fprintf(f, "%-20s %8zu %8zu %10" PRIu64 " %14.3f\n",
			cells[ci].label, cells[ci].size, n, cells[ci].iters,
			n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
	}
	free(v);
}
