/* REPORT.md: tables, plots, method and environment, ready to publish. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "output.h"
#include "util.h"

/* A file by the last component of its path (path_tail). */
static void md_path(FILE *f, const char *path)
{
	char *tail = path_tail(path);

	md_str(f, tail);
	free(tail);
}

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
		header_values(a, f, e, uab_key_names[UAB_KEY_CMDLINE], 0);
		fputs(" | ", f);
		header_values(a, f, e, uab_key_names[UAB_KEY_CPU_MODEL], 0);
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
	/*
	 * Keys already in the tables above, or repeating the columns: the
	 * lab's, and of uabench's the FILE columns, cmdline, cpu_model, columns.
	 */
	static const char *const shown_keys[] = {
		"lab.verdict", "lab.reason", "baseline", "expect", "accel",
		"qemu_cpu", NULL
	};
	static const enum uab_key shown_schema_keys[] = {
		UAB_KEY_CMDLINE, UAB_KEY_CPU_MODEL, UAB_KEY_COLUMNS,
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
				for (size_t j = 0; j < sizeof(shown_schema_keys) /
						       sizeof(shown_schema_keys[0]); j++)
					skip |= !strcmp(uab_key_names[shown_schema_keys[j]], key);
				for (int c = 0; c < UAB_NCOLS; c++)
					skip |= uab_col_from_header[c] &&
						!strcmp(uab_col_names[c], key);
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
		md_path(f, fi->path);
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
	fputs("\n## Boots excluded by uareport\n\n", f);
	if (!a->nexcl)
		fputs("None: every accepted boot measured the state its entry expects.\n", f);
	else
		fputs("The measured state contradicts the entry's `expect` line; "
		      "labels and verdicts are not evidence, so these enter no table.\n\n"
		      "| file | entry | boot | reason |\n|---|---|---|---|\n", f);
	for (size_t i = 0; i < a->nexcl; i++) {
		const struct boot *b = &ds->boot[a->excl[i].boot];

		fputs("| ", f);
		md_str(f, ds->file[b->file].path);
		fputs(" | ", f);
		md_str(f, S(ds, b->entry));
		fputs(" | ", f);
		md_str(f, S(ds, b->boot_id));
		fputs(" | ", f);
		md_str(f, a->excl[i].reason);
		fputs(" |\n", f);
	}
}

static void drift(const struct analysis *a, FILE *f)
{
	const struct dataset *ds = a->ds;

	fputs("\n## Drift: the calib workload\n\n"
	      "Every boot also runs `calib`, a user-space-only loop that no protection "
	      "touches. Its median per boot shows how fast that boot's machine ran. "
	      "The `norm` overheads divide each boot's medians by it (both in "
	      "ticks, so hz plays no part). It cannot follow what really moves "
	      "between boots in the kernel (page placement, layout), so it is not "
	      "the default headline; both variants are in every table.\n\n"
	      "| entry | counter | boots | calib median per boot (min .. max) | spread (max/min - 1) |\n"
	      "|---|---|---:|---|---:|\n", f);
	for (size_t i = 0; i < a->ncost; i++) {
		const struct cost *c = &a->cost[i];
		const struct cell *cl = &a->cell[c->cell];
		const struct entry *e = &a->entry[c->entry];
		double lo = INFINITY, hi = -INFINITY;
		size_t n = 0;

		if (!cl->is_calib)
			continue;
		for (size_t b = 0; b < a->nbc; b++) {
			const struct boot_cell *bc = &a->bc[b];
			int mine = 0;

			for (size_t k = 0; k < e->nboots; k++)
				mine |= e->boots[k] == bc->boot;
			if (!mine || bc->cell != c->cell)
				continue;
			lo = fmin(lo, bc->d.median);
			hi = fmax(hi, bc->d.median);
			n++;
		}
		fputs("| ", f);
		md_str(f, S(ds, e->name));
		fputs(" | ", f);
		md_str(f, S(ds, cl->counter));
		fprintf(f, " | %zu | %.4g .. %.4g %s | %.2f %% |\n", n, lo, hi,
			S(ds, cl->unit), 100 * (hi / lo - 1));
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
	md_path(f, path);
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
		"- Per boot and cell: the median of the per-batch `per_op`, in the "
		"counter's own unit (`boots.csv`).\n"
		"- Overhead: exp(mean log median of the entry's boots - mean log median "
		"of the baseline's) - 1, the ratio of geometric means. %.0f %% CI: Welch "
		"t interval on those logs (Welch-Satterthwaite degrees of freedom), "
		"whose coverage `make bench-stats` shows by simulation at 2 to 10 "
		"boots. One boot on a side: no interval. Two: a valid but wide one.\n"
		"- Headline variant: **%s**, declared before the data (`--headline`), "
		"never chosen by interval width.\n"
		"- Significance: Benjamini-Hochberg false-discovery-rate control at "
		"%.0f %% across the %zu non-control overheads of this report (`q_bh` in "
		"`overhead.csv`). Controls are judged alone, by their CI.\n"
		"- Controls: `null`, `null-write` and `noop` touch no user memory in "
		"the kernel; no protection is on their path. They are left out of the "
		"geometric mean; one that moves flags its boot pair.\n"
		"- Detectable overhead: (t(0.975) + t(%.2f)) x pooled boot-to-boot "
		"sd x sqrt(1/n1 + 1/n2): found with %.0f %% power by this run.\n"
		"- Geometric mean per counter: each boot's mean log median over the "
		"non-control cells every boot measured, then the same Welch interval.\n"
		"- Kernel: an entry's is the release (`uname -r`) its boots ran, "
		"`mixed` (with a warning) when they disagree; its series is the "
		"leading MAJOR.MINOR (6.1, 6.12), versions sorted numerically. Each "
		"pair is measured against its own baseline; a pair whose sides ran "
		"different series is warned about, as its overhead includes the "
		"kernel change.\n"
		"- Batches: longer batches raise the median (%.1f %% per tenfold "
		"duration, measured); an overhead whose entry and baseline batch "
		"durations differ enough to move it by more than %.2f %%, or a "
		"quarter of its detectable overhead if more, is flagged.\n",
		100 * a->opts.level, variant_name(a->opts.headline),
		100 * (1 - a->opts.level), a->nfamily, POWER, 100 * POWER,
		100 * BATCH_BIAS_PER_DECADE, 100 * BATCH_BIAS_FLOOR);
}

/* Entries with a failed probe, once each, in the order of the rows. */
static size_t failed_entries(const struct probe_set *ps, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < ps->n; i++) {
		const char *e = ps->v[i].col[PC_ENTRY];
		size_t j = 0;

		if (strcmp(ps->v[i].col[PC_VERDICT], "fail"))
			continue;
		while (j < n && strcmp(out[j], e))
			j++;
		if (j == n)
			out[n++] = e;
	}
	return n;
}

static void probe_warnings(const struct probe_set *ps, FILE *f)
{
	const char **bad;
	size_t n;

	if (!ps || !ps->n)
		return;
	bad = xcalloc(ps->n, sizeof(*bad));
	n = failed_entries(ps, bad);

	for (size_t i = 0; i < n; i++) {
		fputs("- **PROTECTION NOT VERIFIED for entry ", f);
		md_str(f, bad[i]);
		fputs(": a fault probe of its probe boot failed (see \"Protection "
		      "verified\"). Its overhead figures rest on a configuration "
		      "that did not behave as its measured state says.**\n", f);
	}
	free(bad);
}

/*
 * One row per entry and probe, each resting on the kernel log lines of
 * that entry's probe boot (a boot of its own, never a timed one).
 */
static void protection_verified(const struct probe_set *ps, FILE *f)
{
	if (!ps || !ps->n)
		return;
	fputs("\n## Protection verified\n\n"
	      "Each entry's probe boot (untimed, helper module loaded with "
	      "`allow_probes=1`) made the kernel touch user memory outside the "
	      "uaccess API: a plain read, a plain write, a call into a user page; "
	      "and, as the control, the same read through `user_access_begin()`/"
	      "`unsafe_get_user()`. The expected outcome follows from the state "
	      "**measured** in that boot (`configs/probes.expect`); the evidence "
	      "is the kernel's own log. `test_user_copy` is the kernel's test of "
	      "the uaccess API (bounds, zero-fill of failed copies): it shows the "
	      "API works, not that SMAP, SMEP or PAN is on.\n\n"
	      "| entry | measured state | probe | expected | outcome | verdict | evidence |\n"
	      "|---|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < ps->n; i++) {
		const struct probe_row *r = &ps->v[i];
		int fail = !strcmp(r->col[PC_VERDICT], "fail");
		static const int cols[] = { PC_PROBE, PC_EXPECTED, PC_OUTCOME };

		fputs("| ", f);
		md_str(f, r->col[PC_ENTRY]);
		fputs(" | ", f);
		md_str(f, r->measured);
		for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++) {
			fputs(" | ", f);
			md_str(f, r->col[cols[c]]);
		}
		fputs(" | ", f);
		if (fail)
			fputs("**FAIL**", f);
		else
			md_str(f, r->col[PC_VERDICT]);
		fputs(" | ", f);
		md_str(f, r->col[PC_EVIDENCE]);
		fputs(" |\n", f);
	}
}

/* "6.1 (6.1.0-28-amd64), 6.12 (6.12.38+deb12-amd64)": an arch's kernels. */
static void kernel_list(const struct analysis *a, FILE *f, size_t k)
{
	const struct arch_kernels *ak = &a->archk[k];

	for (size_t i = 0; i < ak->nseries; i++) {
		const char *series = S(a->ds, ak->series[i]);
		size_t n = 0;

		fputs(i ? ", " : "", f);
		md_str(f, series);
		for (size_t r = 0; r < ak->nreleases; r++) {
			const char *rel = S(a->ds, ak->releases[r]);

			if (kernel_series_len(rel) != strlen(series) ||
			    strncmp(rel, series, strlen(series)))
				continue;
			fputs(n++ ? ", " : " (", f);
			md_str(f, rel);
		}
		fputs(n ? ")" : "", f);
	}
}

/*
 * The kernel as a dimension: an arch whose comparisons ran two kernel
 * series or more gets them side by side; one series is said in a line.
 */
static void by_kernel(const struct analysis *a, FILE *f, size_t k)
{
	const char *arch = S(a->ds, a->archs[k]);

	if (a->archk[k].nseries < 2)
		return;
	fprintf(f, "\n## Overhead by kernel on %s\n\n"
		"The comparisons above, one column per pair, ordered by kernel "
		"series: the headline (%s) overhead %% of each pair over its own "
		"baseline with its 95 %% CI, as in the table above (\\* as "
		"there), so that what the protection costs on each kernel stands "
		"side by side. n/a: the pair did not measure that cell. Kernels: ",
		arch, variant_name(a->opts.headline));
	kernel_list(a, f, k);
	fputs(".\n\n", f);
	kernel_md_table(a, f, k);
}

int report_md(const struct writer_ctx *w, FILE *f)
{
	const struct analysis *a = w->a;
	const struct dataset *ds = a->ds;
	const struct plot_list *pl = w->pl;

	fputs("# uaccess-bench report\n\nWhat the kernel's user-space-access "
	      "protections cost, per workload and size, with 95 % confidence "
	      "intervals. Generated by `", f);
	md_str(f, w->run->cmdline);
	fprintf(f, "` from %zu input file(s).\n", ds->nfile);
	if (a->nwarnings || probes_any_failed(w->run->probes) ||
	    w->run->inboot->missed || w->run->toggles->suspect) {
		fputs("\n## WARNINGS: read these first\n\n", f);
		if (w->run->inboot->missed)
			fprintf(f, "- **INSTRUMENT NOT TRUSTWORTHY: in %zu of %zu "
				"boots, uabench --calibrate did not recover the "
				"cost it injected (frequency scaling, SMT "
				"neighbours, a broken counter?): see \"Inside one "
				"boot\" below.**\n", w->run->inboot->missed,
				w->run->inboot->n);
		if (w->run->toggles->suspect)
			fprintf(f, "- **TOGGLE SELF-CHECK FAILED in %zu "
				"measurement(s): see \"What one protection "
				"toggle costs\" below.**\n",
				w->run->toggles->suspect);
		for (size_t i = 0; i < a->nwarnings; i++) {
			fputs("- **", f);
			md_str(f, a->warnings[i]);
			fputs("**\n", f);
		}
		probe_warnings(w->run->probes, f);
	}
	for (size_t k = 0; k < a->narch; k++) {
		size_t moved = 0, explained = 0, ncontrols = 0;

		fprintf(f, "\n## Overhead on %s (headline: %s)\n\n", S(ds, a->archs[k]),
			variant_name(a->opts.headline));
		overhead_md_table(a, f, k, 0);
		if (a->archk[k].nseries == 1) {
			fprintf(f, "\nAll pairs on %s ran kernel series ",
				S(ds, a->archs[k]));
			kernel_list(a, f, k);
			fputs(".\n", f);
		}
		overhead_md_legend(a, f);
		for (size_t i = 0; i < a->novh; i++) {
			const struct cell *c = &a->cell[a->ovh[i].cell];

			if (c->arch == a->archs[k] && c->is_control) {
				ncontrols++;
				moved += a->ovh[i].significant &&
					 !a->ovh[i].control_explained;
				explained += a->ovh[i].control_explained;
			}
		}
		fprintf(f, "\n### Controls on %s: %s\n\n", S(ds, a->archs[k]),
			!ncontrols ? "none measured" :
			moved ? "SUSPECT: a path with no user access moved" :
			explained ? "moved only where a software PAN works at every kernel entry (see Notes); otherwise consistent with 0" :
			"consistent with 0 (self-check passed)");
		if (ncontrols)
			overhead_md_table(a, f, k, 1);
		by_kernel(a, f, k);
	}
	instrument_md(a, f);
	inboot_md(w->run->inboot, ds, a->opts.level, f);
	toggle_md(w->run->toggles, ds, a->opts.level, f);
	prediction_md(a, w->run->toggles, w->run->pairs, f);
	primitives_md(a, f);
	protection_verified(w->run->probes, f);
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
	if (w->plots_missing) {
		fputs("No plots: ", f);
		md_str(f, w->plots_missing);
		fputs(".\n", f);
	}
	for (size_t i = 0; i < pl->n && !w->plots_missing; i++) {
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
	for (size_t i = 0; i < w->run->nmanifests; i++)
		manifest(f, w->run->manifests[i]);
	method(a, f);
	fputs("\n## Files\n\n`overhead.csv`/`.md` (both variants, detectability), "
	      "`geomean.csv`, `cost.csv`/`.md`, `boots.csv` (per-boot statistics), "
	      "`plots/`.\nInputs:\n\n", f);
	for (size_t i = 0; i < ds->nfile; i++) {
		fputs("- `", f);
		md_path(f, ds->file[i].path);
		fprintf(f, "`%s\n", ds->file[i].rejected ? " (rejected)" : "");
	}
	return 0;
}
