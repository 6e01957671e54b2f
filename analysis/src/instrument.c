/*
 * The instrument check: where an entry and its baseline differ only in the
 * module's injected cost (inject_ticks, a busy-wait of known length beside
 * every uaccess of the module's paths), the recovered absolute difference
 * per operation must cover injected ticks x accesses per operation. It is
 * what says whether a printed overhead could have been seen at all.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* uaccesses that wait per operation: the COPY ioctl fetches its request. */
static int accesses_per_op(const char *workload)
{
	static const struct {
		const char *name;
		int n;
	} paths[] = {
		{ "read", 1 }, { "write", 1 },
		{ "ioctl-copy-to", 2 }, { "ioctl-copy-from", 2 },
	};
	size_t len = strcspn(workload, "~");

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strlen(paths[i].name) == len &&
		    !strncmp(paths[i].name, workload, len))
			return paths[i].n;
	return 0;
}

/* The inject_ticks an entry measured (its first boot), or -1. */
static long entry_inject(const struct analysis *a, uint32_t ei)
{
	const struct entry *e = &a->entry[ei];
	const char *v;

	if (!e->nboots)
		return -1;
	v = file_key(a->ds, &a->ds->file[a->ds->boot[e->boots[0]].file],
		     UAB_KEY_INJECT_TICKS);
	return v ? strtol(v, NULL, 10) : -1;
}

/* The clocks the module's busy-wait counts in: tsc, cntvct, ns. */
static int counts_injection(const struct analysis *a, const struct cell *c)
{
	const char *k = S(a->ds, c->counter);

	return !strcmp(k, uab_counter_names[UAB_COUNTER_TSC]) ||
	       !strcmp(k, uab_counter_names[UAB_COUNTER_CNTVCT]) ||
	       !strcmp(k, uab_counter_names[UAB_COUNTER_MONOTONIC_RAW]);
}

int instrument_row(const struct analysis *a, const struct overhead *o,
		   struct instrument_row *r)
{
	const struct cell *c = &a->cell[o->cell];
	long ie = entry_inject(a, o->entry), ib = entry_inject(a, o->baseline);

	if (ie < 0 || ib < 0 || ie == ib || c->is_calib ||
	    !counts_injection(a, c))
		return 0;
	r->accesses = accesses_per_op(S(a->ds, c->workload));
	r->truth = (double)(ie - ib) * r->accesses;
	r->covered = o->abs.lo <= r->truth && r->truth <= o->abs.hi;
	return 1;
}

int instrument_csv(const struct writer_ctx *w, FILE *f)
{
	const struct analysis *a = w->a;

	fputs("entry,baseline,workload,size,counter,accesses_per_op,"
	      "injected_per_op,abs_diff,abs_lo,abs_hi,covered\n", f);
	for (size_t i = 0; i < a->novh; i++) {
		const struct overhead *o = &a->ovh[i];
		const struct cell *c = &a->cell[o->cell];
		struct instrument_row r;

		if (!instrument_row(a, o, &r))
			continue;
		csv_str(f, S(a->ds, a->entry[o->entry].name));
		fputc(',', f);
		csv_str(f, S(a->ds, a->entry[o->baseline].name));
		fputc(',', f);
		csv_str(f, S(a->ds, c->workload));
		fprintf(f, ",%llu,", (unsigned long long)c->size);
		csv_str(f, S(a->ds, c->counter));
		fprintf(f, ",%d,%.0f,%.6g,%.6g,%.6g,%d\n", r.accesses, r.truth,
			o->abs.est, o->abs.lo, o->abs.hi, r.covered);
	}
	return 0;
}

/*
 * A/A: entries that declare the same configuration. After FDR control no
 * cell may differ; if one does, boots of one configuration are not
 * exchangeable and every overhead here is suspect.
 */
static void aa_md(const struct analysis *a, FILE *f)
{
	size_t n = 0, moved = 0;

	for (size_t i = 0; i < a->novh; i++) {
		const struct overhead *o = &a->ovh[i];

		if (!pair_is_aa(a, o->entry, o->baseline))
			continue;
		n++;
		if (o->significant) {
			moved++;
			fputs("- **A/A DIFFERENCE: ", f);
			md_str(f, S(a->ds, a->entry[o->entry].name));
			fputs(" vs ", f);
			md_str(f, S(a->ds, a->entry[o->baseline].name));
			fputs(", ", f);
			md_str(f, S(a->ds, a->cell[o->cell].workload));
			fprintf(f, "/%llu**\n",
				(unsigned long long)a->cell[o->cell].size);
		}
	}
	if (!n)
		return;
	fprintf(f, "\nA/A: of %zu cells compared between entries that declare "
		"the same configuration, %zu differ after FDR control (q < %g): "
		"%s\n", n, moved, 1 - a->opts.level,
		moved ? "**boots of one configuration are NOT exchangeable here; "
			"treat every overhead as suspect**" :
			"boots of one configuration are exchangeable, as the "
			"intervals assume.");
}

void instrument_md(const struct analysis *a, FILE *f)
{
	size_t n = 0, covered = 0;

	fputs("\n## Instrument check: a known cost, recovered\n\n", f);
	for (size_t i = 0; i < a->novh; i++) {
		const struct overhead *o = &a->ovh[i];
		const struct cell *c = &a->cell[o->cell];
		struct instrument_row r;

		if (!instrument_row(a, o, &r))
			continue;
		if (!n++)
			fputs("Entries that differ only in `inject_ticks`: the module "
			      "busy-waits that many ticks beside every uaccess of its "
			      "paths, so the true difference per operation is the "
			      "injected ticks times its accesses (0 on paths outside "
			      "the module). The recovered difference is the Welch "
			      "interval on per-boot medians.\n\n"
			      "| entry vs baseline | workload | size | counter | "
			      "injected (ticks/op) | recovered (ticks/op) [CI] | "
			      "in ns | covered |\n|---|---|---:|---|---:|---|---:|---|\n",
			      f);
		covered += r.covered;
		fputs("| ", f);
		md_str(f, S(a->ds, a->entry[o->entry].name));
		fputs(" vs ", f);
		md_str(f, S(a->ds, a->entry[o->baseline].name));
		fputs(" | ", f);
		md_str(f, S(a->ds, c->workload));
		fprintf(f, " | %llu | ", (unsigned long long)c->size);
		md_str(f, S(a->ds, c->counter));
		fprintf(f, " | %.0f | %+.1f [%+.1f, %+.1f] | ", r.truth,
			o->abs.est, o->abs.lo, o->abs.hi);
		if (o->hz && !strcmp(S(a->ds, c->unit), uab_unit_words[UAB_UNIT_TICKS]))
			fprintf(f, "%+.1f", o->abs.est * 1e9 / (double)o->hz);
		else
			fputs("-", f);
		fprintf(f, " | %s |\n", r.covered ? "yes" : "**NO**");
	}
	if (!n) {
		fputs("No known cost was injected in this run, so nothing here "
		      "shows that a cost of this size would have been seen. Run "
		      "`configs/known-cost.matrix` (`make demo "
		      "MATRIX=configs/known-cost.matrix`) on the same machine to "
		      "calibrate it.\n", f);
		aa_md(a, f);
		return;
	}
	fprintf(f, "\n%zu of %zu %g %% intervals cover the injected cost (a "
		"correct pipeline covers about %g %% of them).\n", covered, n,
		100 * a->opts.level, 100 * a->opts.level);
	aa_md(a, f);
}

int inboot_csv_writer(const struct writer_ctx *w, FILE *f)
{
	inboot_csv(w->run->inboot, w->a->ds, f);
	return 0;
}

int toggle_csv_writer(const struct writer_ctx *w, FILE *f)
{
	toggle_csv(w->run->toggles, w->a->ds, f);
	return 0;
}
