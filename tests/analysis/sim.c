/*
 * One trial: a protected entry and its baseline, `boots` boots each. Every
 * boot draws an offset exp(N(0, boot_sd)) shared by all its cells (page
 * placement, layout, host load), then per-batch lognormal noise. Cells:
 * `read` carries the true shift, `null` (a control) none, and `calib`
 * either shares the boot's offset (it tracks the drift) or draws its own
 * (it does not). The dataset is built through the dataset API and handed
 * to analyse(), exactly as uareport does after reading files.
 */
#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "rng.h"
#include "util.h"

static uint32_t str(struct dataset *ds, const char *s)
{
	return strtab_intern(&ds->st, s, strlen(s));
}

static void add_boot(struct dataset *ds, struct rng *r,
		     const struct sim_row *row, const char *entry, int prot,
		     int k)
{
	char id[64];
	int created;
	double offset = row->boot_sd * rng_normal(r);
	double calib_offset = row->calib_tracks ? offset :
			      row->boot_sd * rng_normal(r);
	static const struct {
		const char *workload;
		double base;
		int shifted, is_calib;
	} cells[] = {
		{ "read", 2500, 1, 0 }, { "null", 1200, 0, 0 },
		{ "calib", 760, 0, 1 },
	};

	snprintf(id, sizeof(id), "%s-%d", entry, k);
	grow((void **)&ds->file, &ds->filecap, ds->nfile + 1, sizeof(*ds->file));
	memset(&ds->file[ds->nfile], 0, sizeof(ds->file[0]));
	ds->file[ds->nfile].path = xstrdup(id);
	ds->file[ds->nfile].schema = 1;
	ds->file[ds->nfile].reason = NO_STR;
	ds->file[ds->nfile].entry = str(ds, entry);
	ds->file[ds->nfile].boot_id = str(ds, id);
	/* the header lines the analysis reads: which cell is the calib, and
	 * that no cost was injected */
	ds->file[ds->nfile].kv = xmalloc(2 * sizeof(*ds->file[ds->nfile].kv));
	ds->file[ds->nfile].kv[0].key = str(ds, uab_key_names[UAB_KEY_CALIB_WORKLOAD]);
	ds->file[ds->nfile].kv[0].val = str(ds, "calib");
	ds->file[ds->nfile].kv[1].key = str(ds, uab_key_names[UAB_KEY_INJECT_TICKS]);
	ds->file[ds->nfile].kv[1].val = str(ds, "0");
	ds->file[ds->nfile].nkv = ds->file[ds->nfile].kvcap = 2;

	uint32_t b = dataset_boot(ds, str(ds, entry), str(ds, id),
				  (uint32_t)ds->nfile++, &created);
	struct boot *bt = &ds->boot[b];

	bt->arch = str(ds, "x86_64");
	bt->kernel = str(ds, "sim");
	bt->smap = str(ds, prot ? "on" : "off");
	bt->smep = str(ds, "on");
	bt->pan = str(ds, "na");
	bt->prot_source = str(ds, "module");
	for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
		struct series *s = dataset_series(ds, b, str(ds, cells[c].workload),
						  cells[c].is_calib ? 0 : 64,
						  str(ds, uab_counter_names[UAB_COUNTER_TSC]),
						  str(ds, uab_unit_words[UAB_UNIT_TICKS]),
						  2500000000u);
		double mu = log(cells[c].base) +
			    (cells[c].is_calib ? calib_offset : offset) +
			    (prot && cells[c].shifted ? log1p(row->shift) : 0);

		for (uint32_t i = 0; i < row->batches; i++)
			series_add(s, (float)exp(mu + row->noise * rng_normal(r)), 100);
	}
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

void sim_run(const struct sim_row *row, uint32_t trials, uint64_t seed,
	     double level, struct sim_result *out)
{
	struct baseline_pair pair = { "prot", "base" };
	struct analysis_opts opts = {
		.level = level, .headline = VAR_RAW,
		.pairs = &pair, .npairs = 1,
	};
	double *hw[2] = {
		xmalloc(trials * sizeof(double)), xmalloc(trials * sizeof(double))
	};
	uint32_t covered[2] = { 0 }, fp[2] = { 0 }, nhw = 0;
	struct rng r;
	FILE *devnull = fopen("/dev/null", "w");

	memset(out, 0, sizeof(*out));
	out->trials = trials;
	rng_seed(&r, seed);
	for (uint32_t t = 0; t < trials; t++) {
		struct dataset ds;
		struct analysis a;

		dataset_init(&ds, devnull ? devnull : stderr);
		for (uint32_t k = 0; k < row->boots; k++) {
			add_boot(&ds, &r, row, "prot", 1, (int)k);
			add_boot(&ds, &r, row, "base", 0, (int)k);
		}
		dataset_finish(&ds);
		if (analyse(&a, &ds, &opts)) {
			fprintf(stderr, "sim: analyse() refused synthetic data\n");
			abort();
		}

		const struct overhead *shifted = NULL, *control = NULL;

		for (size_t i = 0; i < a.novh; i++) {
			const char *w = S(&ds, a.cell[a.ovh[i].cell].workload);

			if (!strcmp(w, "read"))
				shifted = &a.ovh[i];
			else if (!strcmp(w, "null"))
				control = &a.ovh[i];
		}
		if (!shifted || !control || isnan(shifted->v[VAR_RAW].lo)) {
			out->no_interval++;
		} else {
			for (int v = 0; v < 2; v++) {
				const struct interval *s = &shifted->v[v];

				covered[v] += s->lo <= row->shift && row->shift <= s->hi;
				fp[v] += interval_excludes_zero(&control->v[v]);
				hw[v][nhw] = 100 * (s->hi - s->lo) / 2;
			}
			nhw++;
		}
		analysis_free(&a);
		dataset_free(&ds);
	}
	for (int v = 0; v < 2; v++) {
		out->coverage[v] = (double)covered[v] / trials;
		out->false_pos[v] = (double)fp[v] / trials;
		qsort(hw[v], nhw, sizeof(double), cmp_double);
		out->half_width[v] = nhw ? hw[v][nhw / 2] : NAN;
		free(hw[v]);
	}
	if (devnull)
		fclose(devnull);
}
