/*
 * The protection toggle's own cost, inside one boot. uabench --kloop runs
 * kloop-empty (the module's loop alone), kloop-toggle (the loop and one
 * bare toggle pair per iteration: stac/clac, the PSTATE.PAN or TTBR0
 * switch, the DACR write) and kloop-uaccess-pair (user_access_begin and
 * user_access_end, with what the kernel adds to them) once per round in
 * a random order. A round's difference cancels whatever drifts between
 * rounds, and no boot-to-boot noise reaches it. The cost is the median of
 * the round differences with the sign test's distribution-free interval
 * (include/uab_sign_ci.h), per boot and pooled per entry.
 *
 * The self-check reads the protection state the boot measured: where it
 * is off the bare toggle is patched out or compiled out, so it must cost
 * about nothing (its median at most off_max, below: a median, so that
 * batches stretched by preemption on either side cannot move it); where
 * it is on, the toggle must cost more than nothing (interval above 0).
 */
#include "toggle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "stats.h"
#include "uab_sign_ci.h"
#include "util.h"

/*
 * Off: the median at most 2 ns (counters of known rate), or one empty
 * iteration (others: cycles). A patched-out toggle leaves two NOPs, under
 * a cycle on any CPU, though a boot's code layout can bias the loop: under
 * QEMU TCG the off boots measured -0.05 to 1.35 TSC ticks (0.5 ns) in 7
 * boots of 6.1 and 6.12 (2026-12-08). A real pair costs tens of cycles
 * (x86 stac/clac: 50-80 TSC ticks under TCG; a TTBR0 switch's ISBs) or a
 * few (arm64 PSTATE.PAN writes).
 */
#define TOGGLE_OFF_MAX_NS	2.0

static const char *const kind_workload[TOGGLE_NKINDS] = {
	[TOGGLE_BARE] = "kloop-toggle",
	[TOGGLE_UACCESS] = "kloop-uaccess-pair",
};

static const char *const kind_words[TOGGLE_NKINDS] = {
	[TOGGLE_BARE] = "bare toggle pair",
	[TOGGLE_UACCESS] = "user_access_begin + end",
};

static const char *const state_words[] = {
	[TOGGLE_OFF] = "off", [TOGGLE_ON] = "on", [TOGGLE_UNKNOWN] = "?",
};

/* The toggled protection as the boot measured it: SMAP, else PAN. */
static int boot_state(const struct dataset *ds, const struct boot *b)
{
	const char *smap = S(ds, b->smap), *pan = S(ds, b->pan);
	const char *v = strcmp(smap, "on") && strcmp(smap, "off") ? pan : smap;

	return !strcmp(v, "on") ? TOGGLE_ON :
	       !strcmp(v, "off") ? TOGGLE_OFF : TOGGLE_UNKNOWN;
}

static const struct series *empty_of(const struct dataset *ds,
				     const struct series *s)
{
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *e = &ds->series[i];

		if (e->boot == s->boot && e->counter == s->counter &&
		    e->unit == s->unit &&
		    !strcmp(S(ds, e->workload), "kloop-empty"))
			return e;
	}
	return NULL;
}

/*
 * What "about nothing" is for a series (see TOGGLE_OFF_MAX_NS); NAN for
 * an instruction count, which no time bound fits.
 */
static double off_max(const struct dataset *ds, const struct series *s,
		      double empty)
{
	if (!strcmp(S(ds, s->counter), "instructions"))
		return NAN;
	if (s->hz && !strcmp(S(ds, s->unit), "ticks"))
		return TOGGLE_OFF_MAX_NS * 1e-9 * (double)s->hz;
	return empty;
}

/* The self-check of r's cost and interval (see the top of the file). */
static void judge(struct toggle_result *r, double nothing)
{
	r->verdict = TOGGLE_TOO_FEW;
	if (isnan(r->lo))
		return;
	r->verdict = TOGGLE_OK;
	if (r->kind != TOGGLE_BARE)
		return;
	if (isnan(nothing)) {
		r->verdict = TOGGLE_UNCHECKED;
		return;
	}
	if (r->state == TOGGLE_ON && !(r->lo > 0))
		r->verdict = TOGGLE_SUSPECT;
	if (r->state == TOGGLE_OFF && !(r->cost <= nothing))
		r->verdict = TOGGLE_SUSPECT;
}

/* cost, lo, hi and verdict from r->d (r->rounds values, sorted). */
static void estimate(struct toggle_result *r, double nothing, double level)
{
	size_t n = r->rounds, k = uab_sign_ci_rank(n, level);

	r->cost = n ? quantile(r->d, n, 0.5) : NAN;
	r->lo = k ? r->d[k - 1] : NAN;
	r->hi = k ? r->d[n - k] : NAN;
	judge(r, nothing);
}

/*
 * Over several boots the boot is the unit: the mean of their costs with
 * a t interval, as the cross-boot overheads have (a boot's own speed
 * moves its toggle too: under TCG the host's load does).
 */
static void across_boots(struct toggle_result *p, const double *costs,
			 double nothing, double level)
{
	size_t n = p->boots;
	double mean = 0, ss = 0, half;

	for (size_t i = 0; i < n; i++)
		mean += costs[i] / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (costs[i] - mean) * (costs[i] - mean);
	half = t_quantile((1 + level) / 2, (double)(n - 1)) *
	       sqrt(ss / (double)(n - 1) / (double)n);
	p->cost = mean;
	p->lo = mean - half;
	p->hi = mean + half;
	judge(p, nothing);
}

static float *sorted_copy(const float *v, size_t n)
{
	float *d = xmalloc((2 * n + 1) * sizeof(*d));

	memcpy(d, v, n * sizeof(*d));
	/* n values, then n floats of sort_floats() scratch */
	sort_floats(d, d + n, n);
	return d;
}

static void per_boot(const struct dataset *ds, const struct series *x,
		     const struct series *e, int kind, double level,
		     struct toggle_result *r, float *nothing)
{
	size_t n = x->n < e->n ? x->n : e->n;
	float *d = xmalloc((2 * n + 1) * sizeof(*d));
	float *ev;

	for (size_t i = 0; i < n; i++)
		d[i] = x->v[i] - e->v[i];
	sort_floats(d, d + n, n);
	ev = sorted_copy(e->v, n);
	*nothing = (float)off_max(ds, x, n ? quantile(ev, n, 0.5) : NAN);
	free(ev);
	*r = (struct toggle_result){
		.boot = x->boot, .counter = x->counter, .unit = x->unit,
		.hz = strcmp(S(ds, x->unit), "ticks") ? 0 : x->hz,
		.kind = kind, .state = boot_state(ds, &ds->boot[x->boot]),
		.boots = 1, .rounds = n, .d = d,
	};
	estimate(r, *nothing, level);
}

/*
 * Pooled per entry, state, kind and counter: one boot's rounds, or over
 * several boots the boots (across_boots); "nothing" is the boots' mean.
 * The rounds of them all are kept in d.
 */
static void pool(const struct dataset *ds, struct toggle_set *ts,
		 const float *nothing, double level)
{
	char *done = xcalloc(ts->nboot + 1, 1);

	for (size_t i = 0; i < ts->nboot; i++) {
		const struct toggle_result *a = &ts->boot[i];
		uint32_t entry = ds->boot[a->boot].entry;
		struct toggle_result p = *a;
		double e = 0, hz = 0, *costs = xmalloc((ts->nboot + 1) *
						      sizeof(*costs));
		size_t n = 0, ne = 0;

		if (done[i])
			continue;
		for (size_t j = i; j < ts->nboot; j++) {
			const struct toggle_result *b = &ts->boot[j];

			if (!done[j] && ds->boot[b->boot].entry == entry &&
			    b->kind == a->kind && b->counter == a->counter &&
			    b->unit == a->unit && b->state == a->state) {
				done[j] = 1;
				costs[p.boots - 1 + (j != i)] = b->cost;
				n += b->rounds;
				p.boots += j != i;
				/* a TSC's rate is calibrated per boot */
				hz = b->hz && hz >= 0 ? hz + (double)b->hz : -1;
				if (!isnan(nothing[j])) {
					e += nothing[j];
					ne++;
				}
			}
		}
		p.d = xmalloc((2 * n + 1) * sizeof(*p.d));
		p.rounds = 0;
		for (size_t j = i; j < ts->nboot; j++) {
			const struct toggle_result *b = &ts->boot[j];

			if (ds->boot[b->boot].entry == entry &&
			    b->kind == a->kind && b->counter == a->counter &&
			    b->unit == a->unit && b->state == a->state) {
				memcpy(p.d + p.rounds, b->d,
				       b->rounds * sizeof(*p.d));
				p.rounds += b->rounds;
			}
		}
		sort_floats(p.d, p.d + n, n);
		p.hz = hz > 0 ? (uint64_t)(hz / (double)p.boots) : 0;
		estimate(&p, ne ? e / (double)ne : NAN, level);
		if (p.boots > 1)
			across_boots(&p, costs, ne ? e / (double)ne : NAN,
				     level);
		free(costs);
		ts->pooled = xrealloc(ts->pooled,
				      (ts->npooled + 1) * sizeof(*ts->pooled));
		ts->pooled[ts->npooled++] = p;
	}
	free(done);
}

void toggle_collect(const struct dataset *ds, double level,
		    struct toggle_set *ts)
{
	float *nothing = NULL;

	memset(ts, 0, sizeof(*ts));
	for (size_t i = 0; i < ds->nseries; i++) {
		const struct series *x = &ds->series[i], *e;

		for (int kind = 0; kind < TOGGLE_NKINDS; kind++) {
			if (strcmp(S(ds, x->workload), kind_workload[kind]))
				continue;
			e = empty_of(ds, x);
			if (!e)
				continue;
			ts->boot = xrealloc(ts->boot, (ts->nboot + 1) *
					    sizeof(*ts->boot));
			nothing = xrealloc(nothing, (ts->nboot + 1) *
					   sizeof(*nothing));
			per_boot(ds, x, e, kind, level, &ts->boot[ts->nboot],
				 &nothing[ts->nboot]);
			ts->suspect += ts->boot[ts->nboot].verdict ==
				       TOGGLE_SUSPECT;
			ts->nboot++;
		}
	}
	pool(ds, ts, nothing, level);
	free(nothing);
}

void toggle_free(struct toggle_set *ts)
{
	for (size_t i = 0; i < ts->nboot; i++)
		free(ts->boot[i].d);
	for (size_t i = 0; i < ts->npooled; i++)
		free(ts->pooled[i].d);
	free(ts->boot);
	free(ts->pooled);
	memset(ts, 0, sizeof(*ts));
}

static const char *const verdict_words[] = {
	[TOGGLE_OK] = "yes",
	[TOGGLE_SUSPECT] = "**NO**",
	[TOGGLE_TOO_FEW] = "too few rounds",
	[TOGGLE_UNCHECKED] = "- (instructions)",
};

static void md_rows(const struct toggle_result *v, size_t n,
		    const struct dataset *ds, int pooled, FILE *f)
{
	for (size_t i = 0; i < n; i++) {
		const struct toggle_result *r = &v[i];
		const struct boot *b = &ds->boot[r->boot];

		fputs("| ", f);
		md_str(f, S(ds, b->entry));
		fputs(" | ", f);
		if (pooled)
			fprintf(f, "%zu boots", r->boots);
		else
			md_str(f, S(ds, b->boot_id));
		fprintf(f, " | %s | %s | ", state_words[r->state],
			kind_words[r->kind]);
		md_str(f, S(ds, r->counter));
		fprintf(f, " | %.2f [%.2f, %.2f] | ", r->cost, r->lo, r->hi);
		if (r->hz)
			fprintf(f, "%.2f", 1e9 * r->cost / (double)r->hz);
		fprintf(f, " | %zu | %s |\n", r->rounds,
			r->kind == TOGGLE_BARE ? verdict_words[r->verdict] :
			"-");
	}
}

void toggle_md(const struct toggle_set *ts, const struct dataset *ds,
	       double level, FILE *f)
{
	fputs("\n## What one protection toggle costs, inside one boot\n\n", f);
	if (!ts->nboot) {
		fputs("No boot ran `uabench --kloop` (the lab runs it in every "
		      "boot with the module: `KLOOP=1`).\n", f);
		return;
	}
	fprintf(f, "The module looped, inside the kernel, nothing "
		"(`kloop-empty`), one bare toggle pair (`kloop-toggle`: x86 "
		"stac/clac; arm64 the privileged uaccess enable/disable, "
		"PSTATE.PAN or TTBR0; arm the DACR write) and "
		"`user_access_begin` + `user_access_end` (`kloop-uaccess-pair`: "
		"on x86 also `barrier_nospec`, an lfence under Spectre v1 "
		"mitigation), one batch each per round in a random order. A "
		"cost is the median of the rounds' per-iteration differences "
		"against the empty loop, in the counter's units, with the sign "
		"test's %g %% interval, and in ns where the counter's rate is "
		"known. State: the protection the boot "
		"measured. Self-check (bare toggle): where the protection is "
		"off, the toggle is patched out and must cost at most %g ns "
		"(one empty iteration on a counter of unknown rate, such as "
		"cycles; instruction counts are not checked, NOPs count there); "
		"where on, its interval must lie above 0.\n\n"
		"| entry | boot | state | what | counter | cost per pair [CI] | "
		"ns | rounds | self-check |\n"
		"|---|---|---|---|---|---|---:|---:|---|\n",
		100 * level, TOGGLE_OFF_MAX_NS);
	md_rows(ts->boot, ts->nboot, ds, 0, f);
	fputs("\nPooled per entry: over several boots, the mean of the boots' "
	      "costs with a t interval (the boot is the unit, as in the "
	      "overhead tables: a boot's own speed moves its toggle too); one "
	      "boot, its rounds as above. The prediction below uses these.\n\n"
	      "| entry | boots | state | what | counter | cost per pair [CI] | "
	      "ns | rounds | self-check |\n"
	      "|---|---|---|---|---|---|---:|---:|---|\n", f);
	md_rows(ts->pooled, ts->npooled, ds, 1, f);
	fprintf(f, "\n%s\n", ts->suspect ?
		"**SELF-CHECK FAILED: a bare toggle cost something where the "
		"protection was measured off, or nothing where it was on.**" :
		"Self-check passed in every boot.");
}

void toggle_csv(const struct toggle_set *ts, const struct dataset *ds,
		FILE *f)
{
	static const char *const words[] = {
		[TOGGLE_OK] = "ok", [TOGGLE_SUSPECT] = "suspect",
		[TOGGLE_TOO_FEW] = "too_few_rounds",
		[TOGGLE_UNCHECKED] = "unchecked",
	};

	fputs("entry,boot_id,boots,state,what,counter,rounds,cost,ci_low,"
	      "ci_high,self_check\n", f);
	for (int pooled = 0; pooled < 2; pooled++) {
		const struct toggle_result *v = pooled ? ts->pooled : ts->boot;
		size_t n = pooled ? ts->npooled : ts->nboot;

		for (size_t i = 0; i < n; i++) {
			const struct toggle_result *r = &v[i];
			const struct boot *b = &ds->boot[r->boot];

			csv_str(f, S(ds, b->entry));
			fputc(',', f);
			if (!pooled)
				csv_str(f, S(ds, b->boot_id));
			fprintf(f, ",%zu,%s,%s,", r->boots,
				state_words[r->state],
				kind_workload[r->kind]);
			csv_str(f, S(ds, r->counter));
			fprintf(f, ",%zu,%.6g,%.6g,%.6g,%s\n", r->rounds,
				r->cost, r->lo, r->hi,
				r->kind == TOGGLE_BARE ? words[r->verdict] :
				"");
		}
	}
}
