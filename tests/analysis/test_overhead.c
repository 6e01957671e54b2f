/*
 * Overheads from synthetic boots written as files and read back: a known
 * 3 % shift is found; A/A covers 0; the headline is the declared variant
 * whatever the widths; hz plays no part; zero medians give no ratio;
 * labels that contradict measurements are excluded or refused; controls,
 * BH, detectability and unequal batches are reported.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "dataset.h"
#include "kernel.h"
#include "synth.h"
#include "testutil.h"

struct scenario {
	unsigned boots;
	double shift, noise, boot_sd;
	uint32_t batches;
	uint64_t seed;
	const char *baseline;	/* of the protected entry */
	const char *base_header;	/* "# baseline=" of the baseline entry */
	const char *prot_smap;	/* measured smap of the protected entry */
	const char *const *workloads;	/* NULL: synth's read and write */
	size_t nworkloads;
	uint64_t prot_hz;	/* 0: synth's */
	uint32_t prot_ops;	/* 0: synth's */
	double base;		/* cost per op at size 0; 0: synth's */
	int same_seeds;		/* both entries draw the same samples */
	const char *calib_workload;	/* NULL: synth's "calib", no header */
	const char *prot_kernel, *base_kernel;	/* NULL: synth's release */
	const char *prot_last_kernel;	/* of the protected entry's last boot */
	const char *prot_pan_kind;	/* NULL: synth's (pan=na) */
};

/* Write boots of "base" and "prot" into dir; read them back. */
static void write_and_read(const char *dir, const struct scenario *sc,
			   struct dataset *ds)
{
	dataset_init(ds, stderr);
	for (unsigned e = 0; e < 2; e++) {
		for (unsigned b = 0; b < sc->boots; b++) {
			struct synth s;
			char path[4200], id[64];

			synth_defaults(&s);
			snprintf(id, sizeof(id), "%s-%u", e ? "prot" : "base", b);
			snprintf(path, sizeof(path), "%s/%s.csv", dir, id);
			s.entry = e ? "prot" : "base";
			s.boot_id = id;
			s.baseline = e ? sc->baseline : sc->base_header;
			s.smap = e ? (sc->prot_smap ? sc->prot_smap : "on") : "off";
			s.shift = e ? sc->shift : 0;
			s.noise = sc->noise;
			s.boot_sd = sc->boot_sd;
			s.batches = sc->batches;
			s.seed = sc->seed * 1000 + (sc->same_seeds ? 0 : e * 100) + b;
			if (sc->workloads) {
				s.workloads = sc->workloads;
				s.nworkloads = sc->nworkloads;
			}
			s.calib_workload = sc->calib_workload;
			if (e && sc->prot_kernel)
				s.kernel = sc->prot_kernel;
			if (e && sc->prot_last_kernel && b + 1 == sc->boots)
				s.kernel = sc->prot_last_kernel;
			if (!e && sc->base_kernel)
				s.kernel = sc->base_kernel;
			if (e && sc->prot_pan_kind) {
				s.pan = "on";
				s.pan_kind = sc->prot_pan_kind;
			}
			if (e && sc->prot_hz)
				s.hz = sc->prot_hz;
			if (e && sc->prot_ops)
				s.ops = sc->prot_ops;
			if (sc->base > 0 || sc->base < 0) {
				s.base = sc->base < 0 ? 0 : sc->base;
				s.per_byte = sc->base < 0 ? 0 : s.per_byte;
			}
			assert_int_equal(synth_write(&s, path), 0);
			assert_int_equal(dataset_read_csv(ds, path), 0);
		}
	}
	dataset_finish(ds);
}

static void run(const char *dir, const struct scenario *sc,
		struct dataset *ds, struct analysis *a)
{
	struct analysis_opts opts = {
		.level = LEVEL_DEFAULT, .headline = VAR_RAW,
	};

	write_and_read(dir, sc, ds);
	assert_int_equal(analyse(a, ds, &opts), 0);
}

static int any_contains(char *const *v, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(v[i], what))
			return 1;
	return 0;
}

static int covers(const struct interval *v, double x)
{
	return v->lo <= x && x <= v->hi;
}

static void known_shift_is_found(void **state)
{
	struct scenario sc = {
		.boots = 5, .shift = 0.03, .noise = 0.01, .boot_sd = 0.005,
		.batches = 200, .seed = 42, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;
	int covered = 0;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 6);	/* 2 workloads x 3 sizes */
	for (size_t i = 0; i < a.novh; i++) {
		const struct overhead *o = &a.ovh[i];

		assert_int_equal(o->nboots_entry, 5);
		assert_true(o->significant && o->v[VAR_RAW].lo > 0);
		assert_true(interval_excludes_zero(&o->v[VAR_NORM]));
		/* BH q is never below the p-value it adjusts */
		assert_true(o->v[VAR_RAW].q >= o->v[VAR_RAW].p * (1 - 1e-12));
		covered += covers(&o->v[VAR_RAW], 0.03);
		/* the absolute difference per op: a cost, found as surely */
		assert_true(o->abs.lo > 0 && o->abs.lo <= o->abs.est &&
			    o->abs.est <= o->abs.hi);
		assert_true(o->hz > 0);
	}
	assert_int_equal(a.nfamily, 6);
	/* 95 % intervals: one of six may miss, more would be suspect */
	assert_true(covered >= 5);
	assert_int_equal(a.ngeo, 1);
	assert_true(covers(&a.geo[0].v[VAR_RAW], 0.03) && a.geo[0].v[VAR_RAW].lo > 0);
	assert_true(a.geo[0].v[VAR_NORM].lo > 0);
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/*
 * Calib cancels the synthetic drift exactly here, so norm intervals are
 * narrower; the headline still is the declared one (raw by default), and
 * --headline norm makes significance follow norm.
 */
static void headline_is_declared_not_chosen(void **state)
{
	struct scenario sc = {
		.boots = 3, .shift = 0.01, .noise = 0.01, .boot_sd = 0.03,
		.batches = 100, .seed = 7, .baseline = "base",
	};
	struct analysis_opts opts = {
		.level = LEVEL_DEFAULT, .headline = VAR_NORM,
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a, b;
	size_t narrower = 0, sig_raw = 0, sig_norm = 0;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.opts.headline, VAR_RAW);
	for (size_t i = 0; i < a.novh; i++) {
		const struct interval *r = &a.ovh[i].v[VAR_RAW], *n = &a.ovh[i].v[VAR_NORM];

		narrower += n->hi - n->lo < r->hi - r->lo;
		sig_raw += a.ovh[i].significant;
		assert_false(isnan(r->q));
		assert_true(isnan(n->q));	/* BH runs on the headline only */
	}
	assert_int_equal(narrower, a.novh);
	assert_int_equal(analyse(&b, &ds, &opts), 0);
	for (size_t i = 0; i < b.novh; i++) {
		sig_norm += b.ovh[i].significant;
		assert_false(isnan(b.ovh[i].v[VAR_NORM].q));
	}
	/* 1 % under 3 % drift: raw cannot tell, norm (drift cancelled) can */
	assert_true(sig_norm > sig_raw);
	analysis_free(&a);
	analysis_free(&b);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* The calib cell is the one `calib_workload` names, not "calib". */
static void calib_found_by_its_header(void **state)
{
	struct scenario sc = {
		.boots = 2, .shift = 0.03, .noise = 0.01, .batches = 30,
		.seed = 15, .baseline = "base", .calib_workload = "spin",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 6);	/* spin is no overhead row */
	for (size_t i = 0; i < a.novh; i++)
		assert_false(isnan(a.ovh[i].v[VAR_NORM].est));
	for (size_t i = 0; i < a.nbc; i++)
		assert_false(isnan(a.bc[i].calib));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* Identical tick streams with a 0.5 % different hz: exactly no overhead. */
static void hz_plays_no_part(void **state)
{
	struct scenario sc = {
		.boots = 2, .noise = 0.01, .boot_sd = 0.01, .batches = 50,
		.seed = 11, .baseline = "base", .prot_hz = 2512500000ULL,
		.same_seeds = 1,
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 6);
	for (size_t i = 0; i < a.novh; i++) {
		assert_true(fabs(a.ovh[i].v[VAR_RAW].est) < 1e-12);
		assert_true(fabs(a.ovh[i].v[VAR_NORM].est) < 1e-12);
		/* the same ticks: no difference per op, in ticks */
		assert_true(fabs(a.ovh[i].abs.est) < 1e-9);
		assert_false(a.ovh[i].significant);
	}
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

static void same_data_same_intervals(void **state)
{
	struct scenario sc = {
		.boots = 3, .shift = 0.01, .noise = 0.02, .boot_sd = 0.01,
		.batches = 50, .seed = 9, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset d1, d2;
	struct analysis a1, a2;

	(void)state;
	run(dir, &sc, &d1, &a1);
	run(dir, &sc, &d2, &a2);
	assert_int_equal(a1.novh, a2.novh);
	for (size_t i = 0; i < a1.novh; i++) {
		assert_true(a1.ovh[i].v[VAR_RAW].lo == a2.ovh[i].v[VAR_RAW].lo);
		assert_true(a1.ovh[i].v[VAR_NORM].hi == a2.ovh[i].v[VAR_NORM].hi);
	}
	analysis_free(&a2);
	dataset_free(&d2);
	sc.seed = 10;		/* other data, other intervals */
	run(dir, &sc, &d2, &a2);
	assert_true(a1.ovh[0].v[VAR_RAW].lo != a2.ovh[0].v[VAR_RAW].lo);
	analysis_free(&a1);
	analysis_free(&a2);
	dataset_free(&d1);
	dataset_free(&d2);
	test_rmtree(dir);
	free(dir);
}

/* A/A: the same distribution on both sides, boot-to-boot drift included. */
static void aa_covers_zero(void **state)
{
	int covered = 0, covered_norm = 0;

	(void)state;
	for (uint64_t trial = 0; trial < 100; trial++) {
		struct scenario sc = {
			.boots = 8, .shift = 0, .noise = 0.02, .boot_sd = 0.005,
			.batches = 60, .seed = 5000 + trial, .baseline = "base",
		};
		char *dir = test_tmpdir();
		struct dataset ds;
		struct analysis a;

		run(dir, &sc, &ds, &a);
		/* one row per trial: read at 4096 bytes */
		for (size_t i = 0; i < a.novh; i++) {
			const struct cell *c = &a.cell[a.ovh[i].cell];

			if (c->size == 4096 && !strcmp(S(&ds, c->workload), "read")) {
				covered += covers(&a.ovh[i].v[VAR_RAW], 0);
				covered_norm += covers(&a.ovh[i].v[VAR_NORM], 0);
			}
		}
		analysis_free(&a);
		dataset_free(&ds);
		test_rmtree(dir);
		free(dir);
	}
	print_message("A/A: raw CI covers 0 in %d/100, normalised in %d/100\n",
		      covered, covered_norm);
	assert_true(covered >= 90);
	assert_true(covered_norm >= 90);
}

static void missing_baseline_is_reported(void **state)
{
	struct scenario sc = {
		.boots = 2, .shift = 0.03, .noise = 0.01, .batches = 30,
		.seed = 1, .baseline = "nosuchentry",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;
	int noted = 0;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 0);	/* not guessed */
	for (size_t i = 0; i < a.nnotes; i++)
		noted |= strstr(a.notes[i], "'prot'") &&
			 strstr(a.notes[i], "'nosuchentry' has no accepted data");
	assert_true(noted);
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

static void one_boot_gives_no_interval(void **state)
{
	struct scenario sc = {
		.boots = 1, .shift = 0.03, .noise = 0.01, .batches = 100,
		.seed = 3, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 6);
	for (size_t i = 0; i < a.novh; i++) {
		assert_false(isnan(a.ovh[i].v[VAR_RAW].est));
		assert_true(isnan(a.ovh[i].v[VAR_RAW].lo));
		assert_true(isnan(a.ovh[i].detectable));
		/* no spread: not the same as "more than BOOTS_MAX" */
		assert_int_equal(a.ovh[i].boots_1pct, BOOTS_NO_SPREAD);
		assert_int_equal(a.ovh[i].boots_05pct, BOOTS_NO_SPREAD);
		assert_false(a.ovh[i].significant);
	}
	assert_int_equal(a.nfamily, 0);
	assert_true(any_contains(a.notes, a.nnotes, "has one boot: no interval"));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

static void two_boots_are_said_to_be_few(void **state)
{
	struct scenario sc = {
		.boots = 2, .shift = 0.03, .noise = 0.01, .batches = 50,
		.seed = 5, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_false(isnan(a.ovh[0].v[VAR_RAW].lo));
	assert_true(any_contains(a.notes, a.nnotes, "has two boots: its intervals are valid but wide"));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* A zero median has no log: no ratio, a warning, never inf. */
static void zero_median_gives_no_ratio(void **state)
{
	struct scenario sc = {
		.boots = 2, .noise = 0.01, .batches = 20, .seed = 6,
		.baseline = "base", .base = -1,
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 0);
	assert_int_equal(a.ngeo, 0);
	assert_true(any_contains(a.warnings, a.nwarnings, "median is 0, so no ratio exists"));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* Measured smap=off under an entry that expects on: excluded, loudly. */
static void measured_state_beats_the_label(void **state)
{
	char *dir = test_tmpdir(), path[4200];
	struct scenario sc = {
		.boots = 3, .shift = 0.03, .noise = 0.01, .batches = 30,
		.seed = 8, .baseline = "base",
	};
	struct analysis_opts opts = {
		.level = LEVEL_DEFAULT,
	};
	struct dataset ds;
	struct analysis a;
	struct synth s;

	(void)state;
	write_and_read(dir, &sc, &ds);
	dataset_free(&ds);
	synth_defaults(&s);
	s.entry = "prot";
	s.boot_id = "liar";
	s.baseline = "base";
	s.smap = "off";
	s.expect = "smap=on,smep=on";
	s.verdict = "accepted";
	s.batches = 30;
	snprintf(path, sizeof(path), "%s/liar.csv", dir);
	assert_int_equal(synth_write(&s, path), 0);
	dataset_init(&ds, stderr);
	for (unsigned e = 0; e < 2; e++)
		for (unsigned b = 0; b < 3; b++) {
			snprintf(path, sizeof(path), "%s/%s-%u.csv", dir,
				 e ? "prot" : "base", b);
			assert_int_equal(dataset_read_csv(&ds, path), 0);
		}
	snprintf(path, sizeof(path), "%s/liar.csv", dir);
	assert_int_equal(dataset_read_csv(&ds, path), 0);
	dataset_finish(&ds);
	assert_int_equal(analyse(&a, &ds, &opts), 0);
	assert_int_equal(a.nexcl, 1);
	assert_non_null(strstr(a.excl[0].reason, "measured smap=off but entry 'prot' expects smap=on (lab.verdict: accepted)"));
	assert_true(any_contains(a.warnings, a.nwarnings, "boot liar of entry 'prot' excluded"));
	assert_int_equal(a.ovh[0].nboots_entry, 3);	/* the liar is not counted */
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* Entry and baseline measured the same state: compared with itself. */
static void same_state_pair_gives_nothing(void **state)
{
	struct scenario sc = {
		.boots = 2, .shift = 0.03, .noise = 0.01, .batches = 30,
		.seed = 12, .baseline = "base", .prot_smap = "off",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 0);
	assert_true(any_contains(a.warnings, a.nwarnings, "measured the same protection state"));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* One boot_id under two entries: the input contradicts itself. */
static void boot_id_under_two_entries_is_refused(void **state)
{
	char *dir = test_tmpdir(), p[2][4200], *out = NULL;
	struct analysis_opts opts = { .level = LEVEL_DEFAULT };
	size_t len;
	FILE *err = open_memstream(&out, &len);
	struct dataset ds;
	struct analysis a;

	(void)state;
	dataset_init(&ds, err);
	for (int e = 0; e < 2; e++) {
		struct synth s;

		synth_defaults(&s);
		s.entry = e ? "prot" : "base";
		s.boot_id = "one-boot";
		s.smap = e ? "on" : "off";
		s.batches = 5;
		snprintf(p[e], sizeof(p[e]), "%s/%d.csv", dir, e);
		assert_int_equal(synth_write(&s, p[e]), 0);
		assert_int_equal(dataset_read_csv(&ds, p[e]), 0);
	}
	dataset_finish(&ds);
	assert_int_equal(analyse(&a, &ds, &opts), -1);
	fclose(err);
	assert_non_null(strstr(out, "boot_id one-boot is under entry 'prot' here and under 'base'"));
	free(out);
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* A control that moves is a loud warning and stays out of the mean. */
static void moving_control_is_flagged(void **state)
{
	static const char *const wl[] = { "read", "null" };
	struct scenario sc = {
		.boots = 4, .shift = 0.05, .noise = 0.01, .batches = 50,
		.seed = 13, .baseline = "base", .workloads = wl, .nworkloads = 2,
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 6);
	assert_int_equal(a.nfamily, 3);	/* controls are not in the BH family */
	assert_int_equal(a.geo[0].ncells, 3);	/* nor in the geometric mean */
	assert_true(any_contains(a.warnings, a.nwarnings, "CONTROL MOVED: null/64/tsc"));
	for (size_t i = 0; i < a.novh; i++)
		assert_false(a.ovh[i].control_explained);
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/*
 * Software PAN (TTBR0 switching, ARMv7 domains) works at every kernel entry
 * and exit: the controls move with it. That is the protection's cost, a
 * note, not a suspect boot pair; hardware PAN gets the warning as before.
 */
static void software_pan_moves_controls(void **state)
{
	static const char *const wl[] = { "read", "null" };
	static const char *const kinds[] = { "ttbr0", "domain", "hw" };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct scenario sc = {
			.boots = 4, .shift = 0.05, .noise = 0.01, .batches = 50,
			.seed = 13, .baseline = "base", .workloads = wl,
			.nworkloads = 2, .prot_pan_kind = kinds[k],
		};
		int soft = k < 2;
		char *dir = test_tmpdir();
		struct dataset ds;
		struct analysis a;
		size_t moved = 0;

		run(dir, &sc, &ds, &a);
		for (size_t i = 0; i < a.novh; i++) {
			const struct overhead *o = &a.ovh[i];

			if (!a.cell[o->cell].is_control)
				continue;
			moved += o->significant;
			assert_int_equal(o->control_explained, soft && o->significant);
		}
		assert_true(moved > 0);
		assert_int_equal(any_contains(a.warnings, a.nwarnings, "CONTROL MOVED"), !soft);
		assert_int_equal(any_contains(a.notes, a.nnotes, "moved, as expected"), soft);
		if (soft)
			assert_true(any_contains(a.notes, a.nnotes, kinds[k]));
		analysis_free(&a);
		dataset_free(&ds);
		test_rmtree(dir);
		free(dir);
	}
}

/* 2 % boot spread, 3 a side: several % detectable; equal batches: quiet. */
static void detectability_is_reported(void **state)
{
	struct scenario sc = {
		.boots = 3, .shift = 0.0, .noise = 0.01, .boot_sd = 0.02,
		.batches = 50, .seed = 14, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_false(any_contains(a.warnings, a.nwarnings, "unequal batches"));
	for (size_t i = 0; i < a.novh; i++) {
		const struct overhead *o = &a.ovh[i];

		assert_true(fabs(o->batch_ratio - 1) < 0.05);
		assert_true(o->detectable > 0.02 && o->detectable < 0.2);
		assert_true(o->boots_1pct > 3 && o->boots_05pct > o->boots_1pct);
		assert_true(o->boots_05pct <= BOOTS_MAX + 1);
	}
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/*
 * Batches 1.5x longer on one side could move the median by ~1 %: flagged
 * in a precise run (0.2 % boot spread), not in one that resolves only
 * several % (2 % spread), where it is below what the run can see.
 */
static void unequal_batches_are_flagged_when_they_matter(void **state)
{
	struct scenario sc = {
		.boots = 3, .noise = 0.01, .boot_sd = 0.002, .batches = 50,
		.seed = 16, .baseline = "base", .prot_ops = 150,
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_true(fabs(a.ovh[0].batch_ratio - 1.5) < 0.1);
	assert_true(any_contains(a.warnings, a.nwarnings, "unequal batches: read/64/tsc"));
	analysis_free(&a);
	dataset_free(&ds);
	sc.boot_sd = 0.02;
	run(dir, &sc, &ds, &a);
	assert_false(any_contains(a.warnings, a.nwarnings, "unequal batches"));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/*
 * Equal ops per batch (as the lab runs them) and a 30 % cost: batches last
 * 1.3x longer because of the cost itself, which no batch size can undo:
 * not flagged, however precise the run.
 */
static void equal_ops_with_a_large_cost_are_not_flagged(void **state)
{
	struct scenario sc = {
		.boots = 3, .shift = 0.30, .noise = 0.01, .boot_sd = 0.002,
		.batches = 50, .seed = 17, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_true(a.ovh[0].batch_ratio > 1.2);
	assert_true(a.ovh[0].ops_ratio == 1);
	assert_false(any_contains(a.warnings, a.nwarnings, "unequal batches"));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* The lab writes "# baseline=-" for a baseline: that names no entry. */
static void dash_means_no_baseline(void **state)
{
	struct scenario sc = {
		.boots = 2, .shift = 0.03, .noise = 0.01, .batches = 30,
		.seed = 4, .baseline = "base", .base_header = "-",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_int_equal(a.novh, 6);
	for (size_t i = 0; i < a.nentry; i++)
		if (!strcmp(S(&ds, a.entry[i].name), "base"))
			assert_int_equal(a.entry[i].baseline, NO_STR);
	for (size_t i = 0; i < a.nnotes; i++)
		assert_null(strstr(a.notes[i], "baseline '-'"));
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* The series of a release, and series in version order. */
static void kernel_series_in_version_order(void **state)
{
	static const char *const rel[][2] = {
		{ "6.1.0-28-amd64", "6.1" }, { "6.12.38+deb12-amd64", "6.12" },
		{ "6.1.192-arm64-pan-hw", "6.1" }, { "5.10", "5.10" },
		{ "6.6-rc3", "6.6" }, { "6", "6" }, { "6.", "6." },
		{ ".1.2", ".1.2" }, { "custom", "custom" }, { "", "" },
	};
	/* in the order the report sorts them */
	static const char *const order[] = {
		"5.10", "6.1", "6.6", "6.9", "6.12", "10.0", "6", "custom", "mixed",
	};
	const size_t n = sizeof(order) / sizeof(order[0]);

	(void)state;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
		if (kernel_series_len(rel[i][0]) != strlen(rel[i][1]))
			fail_msg("series of \"%s\": %zu characters, want \"%s\"",
				 rel[i][0], kernel_series_len(rel[i][0]), rel[i][1]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = kernel_series_cmp(order[i], order[j]);

			if ((i < j && c >= 0) || (i > j && c <= 0) || (i == j && c))
				fail_msg("%s vs %s: %d", order[i], order[j], c);
		}
}

static const struct entry *entry_named(const struct analysis *a,
				       const char *name)
{
	for (size_t i = 0; i < a->nentry; i++)
		if (!strcmp(S(a->ds, a->entry[i].name), name))
			return &a->entry[i];
	fail_msg("no entry %s", name);
	return NULL;
}

/*
 * Built variants of one source: different releases, one series, no
 * warning. Different series: a warning, and the overheads are still given.
 */
static void kernels_of_a_pair(void **state)
{
	struct scenario sc = {
		.boots = 2, .shift = 0.03, .noise = 0.01, .batches = 20,
		.seed = 18, .baseline = "base",
		.prot_kernel = "6.1.192-arm64-pan-hw",
		.base_kernel = "6.1.192-arm64-nopan",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_false(any_contains(a.warnings, a.nwarnings, "kernel"));
	assert_string_equal(S(&ds, entry_named(&a, "prot")->kernel), "6.1.192-arm64-pan-hw");
	assert_string_equal(S(&ds, entry_named(&a, "prot")->series), "6.1");
	assert_int_equal(a.ncompared, 1);
	assert_int_equal(a.archk[0].nseries, 1);
	assert_int_equal(a.archk[0].nreleases, 2);
	assert_string_equal(S(&ds, a.archk[0].releases[0]), "6.1.192-arm64-nopan");
	analysis_free(&a);
	dataset_free(&ds);

	sc.prot_kernel = "6.12.38+deb12-arm64";
	run(dir, &sc, &ds, &a);
	assert_true(any_contains(a.warnings, a.nwarnings,
				 "prot vs base crosses kernels 6.12 vs 6.1: the overhead includes the kernel change (6.12.38+deb12-arm64 vs 6.1.192-arm64-nopan)"));
	assert_int_equal(a.novh, 6);
	assert_int_equal(a.archk[0].nseries, 2);
	assert_string_equal(S(&ds, a.archk[0].series[0]), "6.1");
	assert_string_equal(S(&ds, a.archk[0].series[1]), "6.12");
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/*
 * An entry whose boots ran different kernels: suspect, a warning, kernel
 * "mixed"; its series too when the releases are of different series.
 */
static void boots_on_different_kernels_are_mixed(void **state)
{
	struct scenario sc = {
		.boots = 3, .shift = 0.03, .noise = 0.01, .batches = 20,
		.seed = 19, .baseline = "base", .prot_last_kernel = "6.1.0-30-amd64",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;

	(void)state;
	run(dir, &sc, &ds, &a);
	assert_true(any_contains(a.warnings, a.nwarnings,
				 "entry 'prot' ran more than one kernel (6.1.0-28-amd64, 6.1.0-30-amd64): its kernel is shown as 'mixed'"));
	assert_false(any_contains(a.warnings, a.nwarnings, "entry 'base'"));
	assert_false(any_contains(a.warnings, a.nwarnings, "crosses kernels"));
	assert_string_equal(S(&ds, entry_named(&a, "prot")->kernel), "mixed");
	assert_string_equal(S(&ds, entry_named(&a, "prot")->series), "6.1");
	assert_string_equal(S(&ds, entry_named(&a, "base")->kernel), "6.1.0-28-amd64");
	analysis_free(&a);
	dataset_free(&ds);

	sc.prot_last_kernel = "6.12.38+deb12-amd64";
	run(dir, &sc, &ds, &a);
	assert_string_equal(S(&ds, entry_named(&a, "prot")->series), "mixed");
	assert_true(any_contains(a.warnings, a.nwarnings, "crosses kernels mixed vs 6.1"));
	assert_int_equal(a.archk[0].nseries, 2);
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_shift_is_found),
		cmocka_unit_test(equal_ops_with_a_large_cost_are_not_flagged),
		cmocka_unit_test(headline_is_declared_not_chosen),
		cmocka_unit_test(hz_plays_no_part),
		cmocka_unit_test(calib_found_by_its_header),
		cmocka_unit_test(same_data_same_intervals),
		cmocka_unit_test(aa_covers_zero),
		cmocka_unit_test(missing_baseline_is_reported),
		cmocka_unit_test(one_boot_gives_no_interval),
		cmocka_unit_test(two_boots_are_said_to_be_few),
		cmocka_unit_test(zero_median_gives_no_ratio),
		cmocka_unit_test(measured_state_beats_the_label),
		cmocka_unit_test(same_state_pair_gives_nothing),
		cmocka_unit_test(boot_id_under_two_entries_is_refused),
		cmocka_unit_test(moving_control_is_flagged),
		cmocka_unit_test(software_pan_moves_controls),
		cmocka_unit_test(detectability_is_reported),
		cmocka_unit_test(unequal_batches_are_flagged_when_they_matter),
		cmocka_unit_test(dash_means_no_baseline),
		cmocka_unit_test(kernel_series_in_version_order),
		cmocka_unit_test(kernels_of_a_pair),
		cmocka_unit_test(boots_on_different_kernels_are_mixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
