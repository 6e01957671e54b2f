/* REPORT.md: tables, plots, method and environment, ready to publish. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"

/* Distinct values of a header key over the files of an entry. */
static void header_values(const struct analysis *a, FILE *f, uint32_t entry,
			  const char *key, int accepted_only)
{
	const struct dataset *ds = a->ds;
	const char **seen = NULL;
	size_t n = 0;

	for (size_t i = 0; i < ds->nfile; i++) {
		const struct input_file *fi = &ds->file[i];
		const char *v;
		int dup = 0;

		if (fi->entry != a->entry[entry].name || fi->is_hyperfine ||
		    (accepted_only && fi->rejected))
			continue;
		v = file_header(ds, fi, key);
		if (!v || !*v)
			continue;
		for (size_t j = 0; j < n; j++)
			dup |= !strcmp(seen[j], v);
		if (dup)
			continue;
		seen = xrealloc(seen, (n + 1) * sizeof(*seen));
		seen[n++] = v;
	}
	if (!n)
		fputs("not recorded", f);
	for (size_t j = 0; j < n && j < 3; j++) {
		fputs(j ? ", " : "", f);
		md_str(f, seen[j]);
	}
	if (n > 3)
		fprintf(f, " (and %zu more)", n - 3);
	free(seen);
}

/* Distinct values of one boot column over an entry's boots. */
static void boot_values(const struct analysis *a, FILE *f, uint32_t entry,
			size_t offset)
{
	const struct dataset *ds = a->ds;
	const struct entry *e = &a->entry[entry];
	uint32_t seen[8];
	size_t n = 0;

	for (size_t b = 0; b < e->nboots; b++) {
		uint32_t v = *(const uint32_t *)((const char *)&ds->boot[e->boots[b]] + offset);
		int dup = 0;

		for (size_t j = 0; j < n; j++)
			dup |= seen[j] == v;
		if (!dup && n < 8)
			seen[n++] = v;
	}
	for (size_t j = 0; j < n; j++) {
		fputs(j ? ", " : "", f);
		md_str(f, S(ds, seen[j]));
	}
	if (!n)
		fputs("-", f);
}

static const char *accel_words(const char *accel)
{
	if (!accel)
		return NULL;
	if (!strcmp(accel, "tcg"))
		return "QEMU TCG (software emulation: timings show the method, not silicon)";
	if (!strcmp(accel, "kvm"))
		return "QEMU with KVM (-cpu host: STAC/CLAC run on silicon, but inside a VM; bare metal can differ)";
	if (!strcmp(accel, "none"))
		return "bare metal";
	return accel;
}

static void environment(const struct analysis *a, FILE *f)
{
	const struct dataset *ds = a->ds;

	fputs("\n## Environment\n\n"
	      "| entry | baseline | arch | kernel | kernel command line | CPU | QEMU CPU | accel | boots | rejected | smap | smep | pan | state read from | expected state |\n"
	      "|---|---|---|---|---|---|---|---|---:|---:|---|---|---|---|---|\n", f);
	for (uint32_t e = 0; e < a->nentry; e++) {
		const struct entry *en = &a->entry[e];

		fputs("| ", f);
		md_str(f, S(ds, en->name));
		fputs(" | ", f);
		md_str(f, en->baseline == NO_STR ? "(is one)" : S(ds, en->baseline));
		fputs(" | ", f);
		boot_values(a, f, e, offsetof(struct boot, arch));
		fputs(" | ", f);
		boot_values(a, f, e, offsetof(struct boot, kernel));
		fputs(" | ", f);
		header_values(a, f, e, "cmdline", 0);
		fputs(" | ", f);
		header_values(a, f, e, "cpu_model", 0);
		fputs(" | ", f);
		header_values(a, f, e, "qemu_cpu", 0);
		fputs(" | ", f);
		header_values(a, f, e, "accel", 0);
		fprintf(f, " | %zu | %zu | ", en->nboots, en->nrejected);
		boot_values(a, f, e, offsetof(struct boot, smap));
		fputs(" | ", f);
		boot_values(a, f, e, offsetof(struct boot, smep));
		fputs(" | ", f);
		boot_values(a, f, e, offsetof(struct boot, pan));
		fputs(" | ", f);
		boot_values(a, f, e, offsetof(struct boot, prot_source));
		fputs(" | ", f);
		header_values(a, f, e, "expect", 0);
		fputs(" |\n", f);
	}

	/* Accelerators in words, once. */
	const char *done[8];
	size_t nd = 0;

	fputs("\nMachines: ", f);
	for (size_t i = 0; i < ds->nfile; i++) {
		const char *acc = file_header(ds, &ds->file[i], "accel");
		int dup = 0;

		if (ds->file[i].is_hyperfine)
			continue;
		for (size_t j = 0; j < nd; j++)
			dup |= (acc && done[j]) ? !strcmp(done[j], acc) : done[j] == acc;
		if (dup || nd == 8)
			continue;
		done[nd++] = acc;
		fputs(nd > 1 ? "; " : "", f);
		md_str(f, acc ? accel_words(acc) : "accel not recorded (copied from a machine without the lab header)");
	}
	fputs(".\n\nCounters used: ", f);
	for (size_t c = 0, shown = 0; c < a->ncell; c++) {
		int dup = 0;

		for (size_t d = 0; d < c; d++)
			dup |= a->cell[d].counter == a->cell[c].counter &&
			       a->cell[d].unit == a->cell[c].unit;
		if (dup)
			continue;
		fprintf(f, "%s`", shown++ ? ", " : "");
		md_str(f, S(ds, a->cell[c].counter));
		fprintf(f, "` (%s%s)", S(ds, a->cell[c].unit),
			a->cell[c].to_ns ? ", shown in ns via hz" : "");
	}
	fputs(".\n", f);

	/* Every other header key, per entry, so nothing recorded is lost. */
	/* keys already in the table above, or repeating the columns */
	static const char *const shown_keys[] = {
		"schema", "lab.verdict", "lab.reason", "baseline", "expect",
		"accel", "qemu_cpu", "cmdline", "cpu_model", "boot_id", "entry",
		"arch", "kernel", "smap", "smep", "pan", "prot_source", "columns",
		NULL
	};
	fputs("\n### Header lines of the result files\n\n| entry | key | value(s) |\n|---|---|---|\n", f);
	for (uint32_t e = 0; e < a->nentry; e++) {
		const char **keys = NULL;
		size_t nk = 0;

		for (size_t i = 0; i < ds->nfile; i++) {
			const struct input_file *fi = &ds->file[i];

			if (fi->entry != a->entry[e].name || fi->is_hyperfine)
				continue;
			for (size_t k = 0; k < fi->nkv; k++) {
				const char *key = S(ds, fi->kv[k].key);
				int skip = 0;

				for (const char *const *s = shown_keys; *s; s++)
					skip |= !strcmp(*s, key);
				for (size_t j = 0; j < nk; j++)
					skip |= !strcmp(keys[j], key);
				if (skip)
					continue;
				keys = xrealloc(keys, (nk + 1) * sizeof(*keys));
				keys[nk++] = key;
			}
		}
		for (size_t j = 0; j < nk; j++) {
			fputs("| ", f);
			md_str(f, S(ds, a->entry[e].name));
			fputs(" | ", f);
			md_str(f, keys[j]);
			fputs(" | ", f);
			header_values(a, f, e, keys[j], 0);
			fputs(" |\n", f);
		}
		free(keys);
	}
}

static void rejected(const struct analysis *a, FILE *f)
{
	const struct dataset *ds = a->ds;
	size_t n = 0;

	fputs("\n## Rejected boots\n\n", f);
	for (size_t i = 0; i < ds->nfile; i++) {
		const struct input_file *fi = &ds->file[i];

		if (!fi->rejected || fi->is_hyperfine)
			continue;
		if (!n++)
			fputs("These boots measured a protection state other than the one "
			      "their entry expects; they enter no table.\n\n"
			      "| file | entry | boot | reason |\n|---|---|---|---|\n", f);
		fputs("| ", f);
		md_str(f, fi->path);
		fputs(" | ", f);
		md_str(f, S(ds, fi->entry));
		fputs(" | ", f);
		md_str(f, S(ds, fi->boot_id));
		fputs(" | ", f);
		md_str(f, fi->reason == NO_STR ? "no reason recorded" : S(ds, fi->reason));
		fputs(" |\n", f);
	}
	if (!n)
		fputs("None.\n", f);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Per protected entry: typical CI width raw and normalised. */
static void narrowing_table(const struct analysis *a, FILE *f)
{
	const struct dataset *ds = a->ds;
	double *wr = xmalloc((a->novh + 1) * sizeof(*wr));
	double *wn = xmalloc((a->novh + 1) * sizeof(*wn));
	int header = 0;

	for (size_t k = 0; k < a->narch; k++) {
		for (uint32_t e = 0; e < a->nentry; e++) {
			size_t n = 0;

			for (size_t i = 0; i < a->novh; i++) {
				const struct overhead *o = &a->ovh[i];

				if (o->entry != e || a->cell[o->cell].arch != a->archs[k] ||
				    isnan(o->raw.lo) || isnan(o->norm.lo))
					continue;
				wr[n] = 100 * (o->raw.hi - o->raw.lo);
				wn[n++] = 100 * (o->norm.hi - o->norm.lo);
			}
			if (!n)
				continue;
			if (!header++)
				fputs("| arch | entry vs baseline | rows | median CI width, raw (percentage points) | median CI width, normalised | narrower by |\n"
				      "|---|---|---:|---:|---:|---:|\n", f);
			double r = median_of(wr, n), m = median_of(wn, n);

			fputs("| ", f);
			md_str(f, S(ds, a->archs[k]));
			fputs(" | ", f);
			md_str(f, S(ds, a->entry[e].name));
			fputs(" vs ", f);
			md_str(f, S(ds, a->entry[e].baseline));
			fprintf(f, " | %zu | %.3f | %.3f | %+.1f %% |\n", n, r, m,
				r > 0 ? 100 * (1 - m / r) : 0.0);
		}
	}
	if (header)
		fputc('\n', f);
	free(wr);
	free(wn);
}

static void drift(const struct analysis *a, FILE *f)
{
	const struct dataset *ds = a->ds;

	fputs("\n## Drift: the calib workload\n\n"
	      "Every boot also runs `calib`, a user-space-only loop that no protection "
	      "touches. Its median per boot shows how fast that boot's machine ran; "
	      "dividing each boot's medians by it cancels drift between boots. Both "
	      "variants are in `overhead.csv` (`raw_*`, `norm_*`, and "
	      "`ci_narrowing_pct` = how much narrower the normalised CI is).\n\n"
	      "| entry | counter | boots | calib median per boot (min .. max) | spread (max/min - 1) |\n"
	      "|---|---|---:|---|---:|\n", f);
	for (size_t i = 0; i < a->ncost; i++) {
		const struct cost *c = &a->cost[i];
		const struct cell *cl = &a->cell[c->cell];
		const struct entry *e = &a->entry[c->entry];
		double lo = INFINITY, hi = -INFINITY;
		size_t n = 0;

		if (strcmp(S(ds, cl->workload), "calib"))
			continue;
		for (size_t b = 0; b < e->nboots; b++) {
			for (size_t s = 0; s < ds->nseries; s++) {
				const struct series *se = &ds->series[s];

				if (se->boot != e->boots[b] || se->workload != cl->workload ||
				    se->counter != cl->counter || se->size != cl->size)
					continue;
				double m = se->d.median * (cl->to_ns ? 1e9 / (double)se->hz : 1);

				lo = fmin(lo, m);
				hi = fmax(hi, m);
				n++;
			}
		}
		fputs("| ", f);
		md_str(f, S(ds, e->name));
		fputs(" | ", f);
		md_str(f, S(ds, cl->counter));
		fprintf(f, " | %zu | %.4g .. %.4g %s | %.2f %% |\n", n, lo, hi,
			cell_unit(a, cl), 100 * (hi / lo - 1));
	}
	fputc('\n', f);
	narrowing_table(a, f);
	for (size_t k = 0; k < a->narch; k++) {
		double m = a->median_narrowing[k];

		fprintf(f, "- %s: ", S(ds, a->archs[k]));
		if (isnan(m))
			fputs("no overhead could be normalised (no calib in some boots, or no baseline): the headline table is raw.\n", f);
		else
			fprintf(f, "normalisation made the typical (median) overhead CI %.1f %% %s; "
				"the headline table therefore uses the **%s** overheads.\n",
				fabs(m), m > 0 ? "narrower" : "wider",
				a->headline_norm[k] ? "calib-normalised" : "raw");
	}
}

/* A lab run's manifest.txt, quoted as it is (key=value lines). */
static void manifest(FILE *f, const char *path)
{
	FILE *m = fopen(path, "r");
	char line[4096];
	size_t n = 0;

	if (!m)
		return;
	fputs("\n### Run manifest `", f);
	md_str(f, path);
	fputs("`\n\n```\n", f);
	while (fgets(line, sizeof(line), m) && n++ < 500) {
		/* keep the code block closed whatever the file holds */
		if (!strncmp(line, "```", 3))
			fputc(' ', f);
		fputs(line, f);
		if (!strchr(line, '\n'))
			fputc('\n', f);
	}
	fputs("```\n", f);
	fclose(m);
}

static void method(const struct analysis *a, FILE *f)
{
	fprintf(f, "\n## Method\n\n"
		"- A boot is one booted kernel (`boot_id`); an entry groups boots of one "
		"configuration. Boots, not batches, are the unit of evidence: batches "
		"of one boot share its layout, frequency and noise (Kalibera and Jones, "
		"*Rigorous Benchmarking in Reasonable Time*, ISMM 2013).\n"
		"- Per boot and workload: the median of the per-batch cost per operation "
		"(`per_op`); `boots.csv` also gives n, mean, MAD, min, p5 and p95.\n"
		"- Per entry: the mean over its boots of those medians. Overhead: "
		"entry / baseline - 1.\n"
		"- 95 %% CIs: percentile intervals of a hierarchical bootstrap with %u "
		"resamples, seed %llu: resample boots with replacement, then the "
		"batches of each chosen boot (drawn directly as the median of a "
		"resample, from the binomial law of its rank). The protected entry and "
		"its baseline are resampled independently; the geometric mean across "
		"workloads uses the same replicates, so it has a CI too.\n"
		"- An overhead is significant (\\*) only when its CI excludes 0.\n"
		"- With one boot on a side, the CI only covers within-boot noise (†).\n",
		a->opts.resamples, (unsigned long long)a->opts.seed);
}

int write_report(const struct analysis *a, const char *dir,
		 const struct plot_list *pl, const char *plots_missing,
		 const struct run_info *run)
{
	const struct dataset *ds = a->ds;
	struct outfile o;
	FILE *f;

	if (out_open(&o, dir, "REPORT.md"))
		return -1;
	f = o.f;
	fputs("# uaccess-bench report\n\nWhat the kernel's user-space-access "
	      "protections cost, per workload and size, with 95 % confidence "
	      "intervals. Generated by `", f);
	md_str(f, run->cmdline);
	fprintf(f, "` from %zu input file(s).\n", ds->nfile);
	for (size_t k = 0; k < a->narch; k++) {
		fprintf(f, "\n## Overhead on %s (headline: %s)\n\n", S(ds, a->archs[k]),
			a->headline_norm[k] ? "normalised by each boot's calib median" : "raw");
		overhead_md_table(a, f, k, a->headline_norm[k]);
		fprintf(f, "\nThe %s variant is in `overhead.md` and `overhead.csv`.\n",
			a->headline_norm[k] ? "raw" : "normalised");
	}
	if (!a->novh)
		fputs("\nNo protected entry has a baseline with data: no overhead to give "
		      "(give one with `# baseline=` in the files or `--baseline E=B`).\n", f);
	if (a->nnotes) {
		fputs("\n## Notes\n\n", f);
		for (size_t i = 0; i < a->nnotes; i++) {
			fputs("- ", f);
			md_str(f, a->notes[i]);
			fputc('\n', f);
		}
	}
	fputs("\n## Plots\n\n", f);
	if (plots_missing) {
		fputs("No plots: ", f);
		md_str(f, plots_missing);
		fputs(".\n", f);
	}
	for (size_t i = 0; i < pl->n && !plots_missing; i++) {
		fputs("![", f);
		md_str(f, pl->caption[i]);
		fprintf(f, "](%s)\n\n*", pl->png[i]);
		md_str(f, pl->caption[i]);
		fputs(".* SVG, gnuplot script and data beside it.\n\n", f);
	}
	fputs("\n## Cost per operation\n", f);
	for (size_t k = 0; k < a->narch; k++) {
		fprintf(f, "\n### %s\n\n", S(ds, a->archs[k]));
		cost_md_table(a, f, k);
	}
	drift(a, f);
	rejected(a, f);
	environment(a, f);
	for (size_t i = 0; i < run->nmanifests; i++)
		manifest(f, run->manifests[i]);
	method(a, f);
	fputs("\n## Files\n\n`overhead.csv`/`.md` (both variants), `geomean.csv`, "
	      "`cost.csv`/`.md`, `boots.csv` (per-boot statistics), `plots/`.\n"
	      "Inputs:\n\n", f);
	for (size_t i = 0; i < ds->nfile; i++) {
		fputs("- `", f);
		md_str(f, ds->file[i].path);
		fprintf(f, "`%s\n", ds->file[i].rejected ? " (rejected)" : "");
	}
	return out_close(&o);
}
