/* Result file contents: environment header, one row per batch and counter. */
#define _GNU_SOURCE
#include "result_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "uab_schema.h"
#include "version.h"

static int field_refused(const char *what, const char *value, char *err,
			 size_t errlen)
{
	if (uab_field_ok(value, strlen(value)))
		return 0;
	snprintf(err, errlen,
		 "%s '%s' cannot be a result field: " UAB_FIELD_RULE,
		 what, value);
	return -1;
}

int result_file_check_fields(const struct result_inputs *in,
			     const struct bench_cell *cells, int ncells,
			     char *err, size_t errlen)
{
	const struct env *e = in->env;

	if (field_refused("boot_id", e->boot_id, err, errlen) ||
	    field_refused("--entry", in->opts->entry, err, errlen) ||
	    field_refused("arch", e->arch, err, errlen) ||
	    field_refused("kernel release", e->kernel, err, errlen))
		return -1;
	for (int i = 0; i < ncells; i++)
		if (field_refused("workload", cells[i].label, err, errlen))
			return -1;
	for (int k = 0; k < in->cs->n; k++)
		if (field_refused("counter", in->cs->desc[k].name, err, errlen))
			return -1;
	return 0;
}

static void header_put(struct csv_out *c, enum uab_key key, const char *value)
{
	csv_header(c, uab_key_names[key], value);
}

static void header_put_u64(struct csv_out *c, enum uab_key key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	header_put(c, key, buf);
}

static void header_put_double(struct csv_out *c, enum uab_key key, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%g", v);
	header_put(c, key, buf);
}

void result_file_header(struct csv_out *c, const struct result_inputs *in)
{
	const struct options *o = in->opts;
	const struct env *e = in->env;
	const struct counter_set *cs = in->cs;
	char buf[512];
	uint64_t tsc_hz = 0;

	header_put(c, UAB_KEY_SCHEMA, UAB_SCHEMA_VERSION_STR);
	snprintf(buf, sizeof(buf), "uabench %s (git %s)", UAB_VERSION,
		 UAB_GIT_REV);
	header_put(c, UAB_KEY_TOOL, buf);
	header_put(c, UAB_KEY_VERSION, UAB_VERSION);
	header_put(c, UAB_KEY_GIT, UAB_GIT_REV);
	header_put(c, UAB_KEY_UTC, in->utc_start);
	header_put(c, UAB_KEY_UTC_END, in->utc_end);
	header_put(c, UAB_KEY_HOST, e->host);
	header_put(c, UAB_KEY_KERNEL, e->kernel);
	header_put(c, UAB_KEY_ARCH, e->arch);
	header_put(c, UAB_KEY_CMDLINE, e->cmdline);
	header_put(c, UAB_KEY_CPU_MODEL, e->cpu_model);
	header_put(c, UAB_KEY_BOOT_ID, e->boot_id);
	header_put(c, UAB_KEY_GOVERNOR, e->governor);
	header_put(c, UAB_KEY_SMAP, uab_state_words[e->smap]);
	header_put(c, UAB_KEY_SMEP, uab_state_words[e->smep]);
	header_put(c, UAB_KEY_PAN, uab_state_words[e->pan]);
	header_put(c, UAB_KEY_PAN_KIND, e->pan_kind);
	header_put(c, UAB_KEY_PROT_SOURCE, e->prot_source);
	header_put(c, UAB_KEY_MODULE, in->module);
	header_put_u64(c, UAB_KEY_BUFSIZE, e->module_bufsize);
	header_put_u64(c, UAB_KEY_INJECT_TICKS, e->inject_ticks);
	header_put_u64(c, UAB_KEY_CALIBRATE_TICKS, o->calibrate_ticks);
	for (int i = 0; i < e->nvuln; i++) {
		snprintf(buf, sizeof(buf), UAB_KEY_PREFIX_VULN "%s",
			 e->vuln[i].name);
		csv_header(c, buf, e->vuln[i].value);
	}
	header_put(c, UAB_KEY_ENTRY, o->entry);
	header_put_u64(c, UAB_KEY_SEED, in->sched->seed);
	header_put(c, UAB_KEY_COUNTER, cs->summary);
	header_put(c, UAB_KEY_COUNTER_NOTE, cs->note);
	if (cs->clock && cs->clock->counter == UAB_COUNTER_TSC)
		tsc_hz = cs->desc[0].hz;
	header_put_u64(c, UAB_KEY_TSC_HZ, tsc_hz);
	header_put(c, UAB_KEY_TSC_HZ_SOURCE, tsc_hz ? cs->hz_source : "none");
	if (o->cpu >= 0)
		header_put_u64(c, UAB_KEY_CPU, (uint64_t)o->cpu);
	else
		header_put(c, UAB_KEY_CPU, "unpinned");
	header_put(c, UAB_KEY_ITERS, in->iters);
	header_put_double(c, UAB_KEY_COUNTER_READ_NS, in->read_cost_s * 1e9);
	header_put_double(c, UAB_KEY_BATCH_TARGET_US, in->sched->batch_s * 1e6);
	header_put_double(c, UAB_KEY_WARMUP_MS, in->sched->warmup_s * 1e3);
	header_put_u64(c, UAB_KEY_ROUNDS, in->rounds);
	header_put_double(c, UAB_KEY_MIN_TIME, in->sched->min_time);
	header_put(c, UAB_KEY_MIN_TIME_SOURCE, in->min_time_source);
	header_put(c, UAB_KEY_CELLS, in->cells);
	header_put(c, UAB_KEY_SKIPPED, in->skipped[0] ? in->skipped : "none");
	/* only when a batch was discarded: files of clean runs stay as they were */
	if (in->failed_batches)
		csv_header(c, UAB_KEY_FAILED_BATCHES, in->failed_batches);
	header_put(c, UAB_KEY_CALIB_WORKLOAD, in->calib_workload);
	for (int i = 0; i < o->nmeta; i++)
		csv_header(c, o->meta[i].key, o->meta[i].value);
	header_put(c, UAB_KEY_COLUMNS, UAB_COLUMN_LINE);
	fprintf(c->f, "%s\n", UAB_COLUMN_LINE);
}

static void write_row(struct csv_out *c, const char *const *field)
{
	for (int i = 0; i < UAB_NCOLS; i++)
		csv_field(c, field[i], i == 0);
	csv_end_row(c);
}

void result_file_rows(struct csv_out *c, const struct result_inputs *in,
		      const struct bench_cell *cells, const struct samples *s)
{
	const struct env *e = in->env;
	const struct counter_set *cs = in->cs;
	const char *field[UAB_NCOLS];
	char size[24], round[24], ops[24], hz[24], delta[24], per_op[48];

	field[UAB_COL_SCHEMA] = UAB_SCHEMA_VERSION_STR;
	field[UAB_COL_BOOT_ID] = e->boot_id;
	field[UAB_COL_ENTRY] = in->opts->entry;
	field[UAB_COL_ARCH] = e->arch;
	field[UAB_COL_KERNEL] = e->kernel;
	field[UAB_COL_SMAP] = uab_state_words[e->smap];
	field[UAB_COL_SMEP] = uab_state_words[e->smep];
	field[UAB_COL_PAN] = uab_state_words[e->pan];
	field[UAB_COL_PROT_SOURCE] = e->prot_source;
	field[UAB_COL_SIZE] = size;
	field[UAB_COL_ROUND] = round;
	field[UAB_COL_OPS] = ops;
	field[UAB_COL_HZ] = hz;
	field[UAB_COL_DELTA] = delta;
	field[UAB_COL_PER_OP] = per_op;
	for (size_t i = 0; i < s->n; i++) {
		const struct sample *smp = &s->v[i];
		const uint64_t *d = sample_delta(s, i);
		const struct bench_cell *cl = &cells[smp->cell];

		field[UAB_COL_WORKLOAD] = cl->label;
		snprintf(size, sizeof(size), "%zu", cl->size);
		snprintf(round, sizeof(round), "%" PRIu32, smp->round);
		snprintf(ops, sizeof(ops), "%" PRIu64, smp->ops);
		for (int k = 0; k < cs->n; k++) {
			field[UAB_COL_COUNTER] = cs->desc[k].name;
			field[UAB_COL_UNIT] = cs->desc[k].unit;
			snprintf(hz, sizeof(hz), "%" PRIu64, cs->desc[k].hz);
			snprintf(delta, sizeof(delta), "%" PRIu64, d[k]);
			snprintf(per_op, sizeof(per_op), UAB_PER_OP_FORMAT,
				 (double)d[k] / (double)smp->ops);
			write_row(c, field);
		}
	}
}
