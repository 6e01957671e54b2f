/*
 * In-boot calibration: uabench --calibrate alternates batches with the
 * module's inject_ticks at 0, D and 2D (inject-0, inject-d, inject-2d).
 * One round runs every cell once in a random order, so a difference
 * within one round cancels whatever drifts between rounds. The wait
 * costs D plus a fixed part (the counter reads that start and end it):
 * 2D - D cancels that part and is held against D (uab_inject_band.h),
 * with the sign test's
 * distribution-free interval (include/uab_sign_ci.h); D - 0 - D is the
 * fixed part, printed. The same figures uabench printed in that boot.
 */
#include "inboot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "stats.h"
#include "uab_inject_band.h"
#include "uab_sign_ci.h"
#include "util.h"

static int injection_clock(const char *counter)
{
	return !strcmp(counter, uab_counter_names[UAB_COUNTER_TSC]) ||
	       !strcmp(counter, uab_counter_names[UAB_COUNTER_CNTVCT]) ||
	       !strcmp(counter, uab_counter_names[UAB_COUNTER_MONOTONIC_RAW]);
}

static const struct series *partner(const struct dataset *ds,
				    const struct series *one, const char *name)
{
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *s = &ds->series[i];

		if (s->boot == one->boot && s->counter == one->counter &&
		    s->size == one->size && !strcmp(S(ds, s->workload), name))
			return s;
	}
	return NULL;
}

static double key_number(const struct dataset *ds, const struct boot *b,
			 enum uab_key key)
{
	const char *v = file_key(ds, &ds->file[b->file], key);

	return v ? strtod(v, NULL) : NAN;
}

static double median_of_differences(const struct series *a,
				    const struct series *b, size_t n, float *d)
{
	for (size_t i = 0; i < n; i++)
		d[i] = a->v[i] - b->v[i];
	sort_floats(d, d + n, n);
	return quantile(d, n, 0.5);
}

static void pair_up(const struct dataset *ds, const struct series *const c[3],
		    double level, struct inboot_result *r)
{
	const struct boot *b = &ds->boot[c[1]->boot];
	size_t n = c[0]->n, k;
	float *d;

	for (int j = 1; j < 3; j++)
		if (c[j]->n < n)
			n = c[j]->n;
	/* n differences, then n floats of sort_floats() scratch */
	d = xmalloc((2 * n + 1) * sizeof(*d));
	memset(r, 0, sizeof(*r));
	r->boot = c[1]->boot;
	r->counter = c[1]->counter;
	r->ticks = key_number(ds, b, UAB_KEY_CALIBRATE_TICKS);
	r->rounds = n;
	r->fixed = median_of_differences(c[1], c[0], n, d) - r->ticks;
	r->recovered = median_of_differences(c[2], c[1], n, d);
	k = uab_sign_ci_rank(n, level);
	r->lo = r->hi = NAN;
	r->verdict = INBOOT_TOO_FEW;
	if (k) {
		r->lo = d[k - 1];
		r->hi = d[n - k];
		r->verdict = uab_inject_recovered(r->lo, r->hi, r->ticks) ?
			     INBOOT_RECOVERED : INBOOT_MISSED;
	}
	free(d);
}

void inboot_collect(const struct dataset *ds, double level, struct inboot *ib)
{
	memset(ib, 0, sizeof(*ib));
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *c[3] = { NULL, &ds->series[i], NULL };

		if (strcmp(S(ds, c[1]->workload), "inject-d") ||
		    !injection_clock(S(ds, c[1]->counter)))
			continue;
		c[0] = partner(ds, c[1], "inject-0");
		c[2] = partner(ds, c[1], "inject-2d");
		if (!c[0] || !c[2])
			continue;
		ib->v = xrealloc(ib->v, (ib->n + 1) * sizeof(*ib->v));
		pair_up(ds, c, level, &ib->v[ib->n]);
		ib->missed += ib->v[ib->n++].verdict == INBOOT_MISSED;
	}
}

void inboot_free(struct inboot *ib)
{
	free(ib->v);
	memset(ib, 0, sizeof(*ib));
}

static const char *const verdict_words[] = {
	[INBOOT_RECOVERED] = "yes",
	[INBOOT_MISSED] = "**NO: instrument not trustworthy**",
	[INBOOT_TOO_FEW] = "too few rounds",
};

void inboot_md(const struct inboot *ib, const struct dataset *ds,
	       double level, FILE *f)
{
	fputs("\n### Inside one boot (uabench --calibrate)\n\n", f);
	if (!ib->n) {
		fputs("No boot ran `uabench --calibrate` (the lab runs it in "
		      "every boot with the module: `CALIBRATE=TICKS`).\n", f);
		return;
	}
	fprintf(f, "Each boot alternated batches of a 64-byte module read with "
		"the module's `inject_ticks` at 0, D and 2D, one of each per "
		"round in a random order. The recovered cost is the median of "
		"the paired 2D - D differences, with the sign test's %g %% "
		"interval; that difference cancels the wait's fixed part (its "
		"counter reads), printed as D - 0 - D. The instrument recovers "
		"D when the interval meets [%g D, %g D]: time the CPU is "
		"taken away (interrupts, a hypervisor) stretches a batch, "
		"a 2D one the most, while a pause inside a wait is absorbed "
		"by it (include/uab_inject_band.h).\n\n"
		"| entry | boot | counter | injected | fixed | recovered [CI] | "
		"rounds | recovered |\n|---|---|---|---:|---:|---|---:|---|\n",
		100 * level, 1 - UAB_INJECT_SLACK, 1 + UAB_INJECT_SLACK);
	for (size_t i = 0; i < ib->n; i++) {
		const struct inboot_result *r = &ib->v[i];
		const struct boot *b = &ds->boot[r->boot];

		fputs("| ", f);
		md_str(f, S(ds, b->entry));
		fputs(" | ", f);
		md_str(f, S(ds, b->boot_id));
		fputs(" | ", f);
		md_str(f, S(ds, r->counter));
		fprintf(f, " | %.0f | %.0f | %.1f [%.1f, %.1f] | %zu | %s |\n",
			r->ticks, r->fixed, r->recovered, r->lo, r->hi,
			r->rounds, verdict_words[r->verdict]);
	}
	fprintf(f, "\n%zu of %zu boots recovered the injected cost.\n",
		ib->n - ib->missed, ib->n);
}

void inboot_csv(const struct inboot *ib, const struct dataset *ds, FILE *f)
{
	static const char *const words[] = {
		[INBOOT_RECOVERED] = "recovered",
		[INBOOT_MISSED] = "missed",
		[INBOOT_TOO_FEW] = "too_few_rounds",
	};

	fputs("entry,boot_id,counter,injected,fixed,rounds,recovered,"
	      "ci_low,ci_high,verdict\n", f);
	for (size_t i = 0; i < ib->n; i++) {
		const struct inboot_result *r = &ib->v[i];
		const struct boot *b = &ds->boot[r->boot];

		csv_str(f, S(ds, b->entry));
		fputc(',', f);
		csv_str(f, S(ds, b->boot_id));
		fputc(',', f);
		csv_str(f, S(ds, r->counter));
		fprintf(f, ",%.0f,%.6g,%zu,%.6g,%.6g,%.6g,%s\n", r->ticks,
			r->fixed, r->rounds, r->recovered, r->lo, r->hi,
			words[r->verdict]);
	}
}
