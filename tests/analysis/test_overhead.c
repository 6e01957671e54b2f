/*
 * Overheads from synthetic boots: a known 3 % shift is found (CI covers 3 %
 * and excludes 0); identical distributions (A/A) give CIs that cover 0 in
 * at least 90 of 100 seeded trials; missing baselines are reported.
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
#include "synth.h"
#include "testutil.h"

struct scenario {
	unsigned boots;
	double shift, noise, boot_sd;
	uint32_t batches;
	uint64_t seed;
	const char *baseline;	/* of the protected entry */
	const char *base_header;	/* "# baseline=" of the baseline entry */
};

/* Write boots of "base" and "prot" into dir and analyse them. */
static void run(const char *dir, const struct scenario *sc,
		struct dataset *ds, struct analysis *a, uint32_t resamples)
{
	struct analysis_opts opts = { .seed = sc->seed, .resamples = resamples };

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
			s.shift = e ? sc->shift : 0;
			s.noise = sc->noise;
			s.boot_sd = sc->boot_sd;
			s.batches = sc->batches;
			s.seed = sc->seed * 1000 + e * 100 + b;
			assert_int_equal(synth_write(&s, path), 0);
			assert_int_equal(dataset_read_csv(ds, path), 0);
		}
	}
	dataset_finish(ds);
	assert_int_equal(analyse(a, ds, &opts), 0);
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
	run(dir, &sc, &ds, &a, 2000);
	/* calib removes the boot-to-boot drift here: the headline normalises */
	assert_true(a.headline_norm[0]);
	assert_int_equal(a.novh, 6);	/* 2 workloads x 3 sizes */
	for (size_t i = 0; i < a.novh; i++) {
		const struct overhead *o = &a.ovh[i];

		assert_int_equal(o->nboots_entry, 5);
		assert_true(interval_significant(&o->raw) && o->raw.lo > 0);
		assert_true(interval_significant(&o->norm) && o->norm.lo > 0);
		covered += covers(&o->norm, 0.03);
	}
	/* 95 % intervals: one of six may miss, more would be suspect */
	assert_true(covered >= 5);
	assert_int_equal(a.ngeo, 1);
	assert_true(covers(&a.geo[0].norm, 0.03) && a.geo[0].norm.lo > 0);
	assert_true(a.geo[0].raw.lo > 0);
	analysis_free(&a);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

static void same_seed_same_intervals(void **state)
{
	struct scenario sc = {
		.boots = 3, .shift = 0.01, .noise = 0.02, .boot_sd = 0.01,
		.batches = 50, .seed = 9, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset d1, d2;
	struct analysis a1, a2;

	(void)state;
	run(dir, &sc, &d1, &a1, 500);
	run(dir, &sc, &d2, &a2, 500);
	assert_int_equal(a1.novh, a2.novh);
	for (size_t i = 0; i < a1.novh; i++) {
		assert_true(a1.ovh[i].raw.lo == a2.ovh[i].raw.lo);
		assert_true(a1.ovh[i].norm.hi == a2.ovh[i].norm.hi);
	}
	analysis_free(&a2);
	dataset_free(&d2);
	sc.seed = 10;		/* another seed, other data, other intervals */
	run(dir, &sc, &d2, &a2, 500);
	assert_true(a1.ovh[0].raw.lo != a2.ovh[0].raw.lo);
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

		run(dir, &sc, &ds, &a, 500);
		/* one row per trial: read at 4096 bytes */
		for (size_t i = 0; i < a.novh; i++) {
			const struct cell *c = &a.cell[a.ovh[i].cell];

			if (c->size == 4096 && !strcmp(S(&ds, c->workload), "read")) {
				covered += covers(&a.ovh[i].raw, 0);
				covered_norm += covers(&a.ovh[i].norm, 0);
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
	run(dir, &sc, &ds, &a, 200);
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

static void one_boot_is_flagged(void **state)
{
	struct scenario sc = {
		.boots = 1, .shift = 0.03, .noise = 0.01, .batches = 100,
		.seed = 3, .baseline = "base",
	};
	char *dir = test_tmpdir();
	struct dataset ds;
	struct analysis a;
	int noted = 0;

	(void)state;
	run(dir, &sc, &ds, &a, 500);
	assert_int_equal(a.novh, 6);
	for (size_t i = 0; i < a.nnotes; i++)
		noted |= strstr(a.notes[i], "within-boot noise only") != NULL;
	assert_true(noted);
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
	run(dir, &sc, &ds, &a, 200);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_shift_is_found),
		cmocka_unit_test(same_seed_same_intervals),
		cmocka_unit_test(aa_covers_zero),
		cmocka_unit_test(missing_baseline_is_reported),
		cmocka_unit_test(one_boot_is_flagged),
		cmocka_unit_test(dash_means_no_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
