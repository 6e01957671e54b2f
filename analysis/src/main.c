/* uareport: result files in, overhead tables, plots and REPORT.md out. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "dataset.h"
#include "expect.h"
#include "output.h"
#include "probes_read.h"
#include "util.h"

#define MARKER ".uareport"

static const char USAGE[] =
	"usage: uareport [options] FILE_OR_DIR...\n"
	"Aggregate uaccess-bench results (schema-1 CSV and <stem>.hyperfine.json)\n"
	"into overhead and cost tables with 95 % CIs, plots and REPORT.md.\n"
	"A directory stands for the *.csv and *.hyperfine.json directly in it\n"
	"(a lab run directory); its manifest.txt, if any, goes into the report.\n"
	"\n"
	"  --out DIR        report directory (default: <first dir>/report);\n"
	"                   regenerated as a whole, only if it is a uareport output\n"
	"  --headline raw|norm  the overhead variant of the headline table and\n"
	"                   of significance (default raw); the other is shown\n"
	"                   beside it. Declare it before looking at the data\n"
	"  --baseline E=B   entry E is measured against entry B (for files\n"
	"                   without a '# baseline=' line); repeatable\n"
	"  --level P        confidence level of every interval (default 0.95)\n"
	"  --probes-expect FILE  the probe expectations every probe row's verdict\n"
	"                   is recomputed from (default: this tree's\n"
	"                   configs/probes.expect)\n"
	"  --toggle-pairs FILE  toggle pairs per operation of each path, for\n"
	"                   REPORT.md's prediction (default: this tree's\n"
	"                   configs/toggle-pairs; where that is absent, no\n"
	"                   prediction)\n"
	"  --validate       only check the files: 'file:line: what is wrong' for\n"
	"                   each problem; exit 0 when all are valid, else 1. It\n"
	"                   refuses whatever a full run refuses (probe files, one\n"
	"                   boot_id under two entries, baselines)\n"
	"  --expect STATE   with --validate and one result file: the lab's verdict\n"
	"                   on it, one line on stdout, exit 0: 'accepted: ...', or\n"
	"                   'rejected: <reason>' when the measured state contradicts\n"
	"                   STATE (e.g. smap=off,smep=on) or was not read from the\n"
	"                   helper module (prot_source=module)\n"
	"  --precision PCT  write no report: print each overhead's CI half-width\n"
	"                   (percentage points, headline variant) and exit 0 when\n"
	"                   all are under PCT, 3 when more boots are needed\n"
	"  --cells LIST     with --precision: only these cells, comma-separated\n"
	"                   WORKLOAD or WORKLOAD/SIZE (default: every non-control)\n"
	"  --help           this text\n"
	"\n"
	"Exit status: 0 done (or precision met), 1 invalid input, 2 usage or\n"
	"output error, 3 precision not met: add boots.\n";

struct paths {
	char **v;
	size_t n, cap;
};

static void add_path(struct paths *p, const char *s)
{
	grow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = xstrdup(s);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static int is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/*
 * The files directly in dir: a run directory holds its boots at the top,
 * while logs/ and failed/ (incomplete boots) below are not results.
 */
static void scan(const char *dir, struct paths *csv, struct paths *json)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		fprintf(stderr, "uareport: %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (!is_dir(p)) {
			if (ends_with(p, ".hyperfine.json"))
				add_path(json, p);
			else if (ends_with(p, ".csv") || ends_with(p, ".csv.gz"))
				add_path(csv, p);
			else if (strstr(de->d_name, ".csv"))
				/* a result in another form is never skipped unsaid */
				fprintf(stderr, "uareport: note: %s is not read (results are <stem>.csv or <stem>.csv.gz)\n",
					p);
		}
		free(p);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* An existing --out must be ours (marker) or empty: never eat user data. */
static int out_replaceable(const char *out)
{
	char *marker;
	DIR *d;
	struct dirent *de;
	int ok = 1;

	if (access(out, F_OK))
		return 1;
	marker = xasprintf("%s/%s", out, MARKER);
	ok = !access(marker, F_OK);
	free(marker);
	if (ok || !(d = opendir(out)))
		return ok;
	ok = 1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			ok = 0;
	closedir(d);
	return ok;
}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("uareport: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see uareport --help)\n", stderr);
	return 2;
}

/*
 * How uareport was run, for the report: paths (arguments naming existing
 * files, and --out's) by their last component only.
 */
static char *join_args(int argc, char **argv)
{
	char *s = xstrdup("");

	for (int i = 0; i < argc; i++) {
		bool path = !i || !access(argv[i], F_OK) ||
			    !strcmp(argv[i - 1], "--out");
		char *arg = path ? path_tail(argv[i]) : xstrdup(argv[i]);
		char *next = xasprintf("%s%s%s", s, i ? " " : "", arg);

		free(arg);
		free(s);
		s = next;
	}
	return s;
}

static int write_all(const struct analysis *a, const char *out,
		     const struct run_info *run)
{
	char *tmp = xasprintf("%s.tmp-%ld", out, (long)getpid());
	char *old = xasprintf("%s.old-%ld", out, (long)getpid());
	struct plot_list pl = { 0 };
	char *why_not = NULL;
	struct outfile marker;
	int rc = -1;

	if (mkdir(tmp, 0777)) {
		fprintf(stderr, "uareport: %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	if (out_open(&marker, tmp, MARKER))
		goto fail;
	fputs("This directory was written by uareport and is regenerated as a whole.\n",
	      marker.f);
	if (out_close(&marker))
		goto fail;
	if (write_plots(a, tmp, &pl, &why_not) && !why_not)
		goto fail;
	if (why_not)
		fprintf(stderr, "uareport: no plots: %s\n", why_not);

	struct writer_ctx w = {
		.a = a, .pl = &pl, .plots_missing = why_not, .run = run,
	};

	if (write_outputs(&w, tmp))
		goto fail;
	if (!access(out, F_OK) && rename(out, old)) {
		fprintf(stderr, "uareport: %s: %s\n", out, strerror(errno));
		goto fail;
	}
	if (rename(tmp, out)) {
		fprintf(stderr, "uareport: %s: %s\n", out, strerror(errno));
		rename(old, out);
		goto fail;
	}
	remove_tree(old);
	rc = 0;
	goto out;
fail:
	remove_tree(tmp);
out:
	plot_list_free(&pl);
	free(why_not);
	free(tmp);
	free(old);
	return rc;
}

int main(int argc, char **argv)
{
	struct analysis_opts opts = {
		.level = LEVEL_DEFAULT, .headline = VAR_RAW,
	};
	struct baseline_pair *pairs = NULL;
	struct paths inputs = { 0 }, csv = { 0 }, json = { 0 };
	struct probe_set probes = { 0 };
	struct inboot inboot = { 0 };
	struct toggle_set toggles = { 0 };
	const char *out = NULL, *cells = NULL, *expect_str = NULL;
	const char *probes_expect = UAB_PROBES_EXPECT;
	const char *toggle_pairs_path = NULL;
	struct toggle_pairs tpairs = { 0 };
	struct expect expect;
	struct dataset ds;
	int validate = 0, rc = 0;
	double precision = NAN;

	/* every exit goes through done: nothing leaks, even on bad usage */
	dataset_init(&ds, stderr);

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *val = NULL;

		if (!strcmp(arg, "--help")) {
			fputs(USAGE, stdout);
			goto done;
		} else if (!strcmp(arg, "--validate")) {
			validate = 1;
			continue;
		} else if (!strcmp(arg, "--")) {
			while (++i < argc)
				add_path(&inputs, argv[i]);
			break;
		} else if (arg[0] != '-' || !arg[1]) {
			add_path(&inputs, arg);
			continue;
		}
		/* options with a value: "--opt VALUE" or "--opt=VALUE" */
		const char *eq = strchr(arg, '=');
		size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
		static const char *const with_value[] = {
			"--out", "--headline", "--baseline", "--precision",
			"--cells", "--expect", "--level", "--probes-expect",
			"--toggle-pairs", NULL
		};
		const char *const *o;

		for (o = with_value; *o; o++)
			if (strlen(*o) == nlen && !strncmp(arg, *o, nlen))
				break;
		if (!*o) {
			rc = usage_error("unknown option '%s'", arg);
			goto done;
		}
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			rc = usage_error("%s needs a value", *o);
			goto done;
		}
		if (!strcmp(*o, "--out")) {
			out = val;
		} else if (!strcmp(*o, "--headline")) {
			if (!strcmp(val, "raw")) {
				opts.headline = VAR_RAW;
			} else if (!strcmp(val, "norm")) {
				opts.headline = VAR_NORM;
			} else {
				rc = usage_error("--headline '%s' is not raw or norm", val);
				goto done;
			}
		} else if (!strcmp(*o, "--precision")) {
			char *end;

			precision = strtod(val, &end);
			if (*end || end == val || !(precision > 0 && isfinite(precision))) {
				rc = usage_error("--precision '%s' is not a positive percentage", val);
				goto done;
			}
		} else if (!strcmp(*o, "--level")) {
			char *end;

			opts.level = strtod(val, &end);
			if (*end || end == val || !(opts.level >= 0.5 && opts.level < 1)) {
				rc = usage_error("--level '%s' is not a confidence level in [0.5, 1)", val);
				goto done;
			}
		} else if (!strcmp(*o, "--probes-expect")) {
			probes_expect = val;
		} else if (!strcmp(*o, "--toggle-pairs")) {
			toggle_pairs_path = val;
		} else if (!strcmp(*o, "--cells")) {
			cells = val;
		} else if (!strcmp(*o, "--expect")) {
			char why[256];

			if (expect_parse(val, &expect, why, sizeof(why))) {
				rc = usage_error("--expect: %s", why);
				goto done;
			}
			expect_str = val;
		} else {
			const char *sep = strchr(val, '=');

			if (!sep || sep == val || !sep[1]) {
				rc = usage_error("--baseline '%s' is not ENTRY=BASELINE", val);
				goto done;
			}
			pairs = xrealloc(pairs, (opts.npairs + 1) * sizeof(*pairs));
			pairs[opts.npairs].entry = strndup(val, (size_t)(sep - val));
			pairs[opts.npairs++].baseline = sep + 1;
		}
	}
	opts.pairs = pairs;
	if (cells && isnan(precision)) {
		rc = usage_error("%s", "--cells goes with --precision");
		goto done;
	}
	if (!inputs.n) {
		rc = usage_error("%s", "no result file or directory given");
		goto done;
	}
	if (expect_str && (!validate || inputs.n != 1 || is_dir(inputs.v[0]))) {
		rc = usage_error("%s", "--expect goes with --validate and one result file");
		goto done;
	}

	for (size_t i = 0; i < inputs.n; i++) {
		const char *p = inputs.v[i];

		if (is_dir(p))
			scan(p, &csv, &json);
		else if (ends_with(p, ".hyperfine.json"))
			add_path(&json, p);
		else
			add_path(&csv, p);	/* reading it says what is wrong */
	}
	if (csv.n)
		qsort(csv.v, csv.n, sizeof(*csv.v), cmp_str);
	if (json.n)
		qsort(json.v, json.n, sizeof(*json.v), cmp_str);
	if (!csv.n && !json.n) {
		/* only directories give nothing: a file is read whatever its name */
		for (size_t i = 0; i < inputs.n; i++)
			fprintf(stderr, "uareport: %s: no *.csv, *.csv.gz or *.hyperfine.json directly in it "
				"(subdirectories such as logs/ and failed/ are not read)\n",
				inputs.v[i]);
		rc = 1;
		goto done;
	}
	dataset_read_csvs(&ds, csv.v, csv.n);
	for (size_t i = 0; i < json.n; i++)
		dataset_read_hyperfine(&ds, json.v[i]);
	dataset_check_schemas(&ds);
	/* --validate refuses what a full run refuses: bad probe files too */
	for (size_t i = 0; i < inputs.n; i++)
		if (is_dir(inputs.v[i]))
			probes_read_dir(&probes, inputs.v[i], probes_expect,
					stderr);
	if (validate) {
		if (!ds.nerr)
			analyse_check_input(&ds, &opts);
		rc = ds.nerr || probes.nerr ? 1 : 0;
		if (!rc && expect_str)
			lab_verdict(&ds, &ds.file[0], &expect, expect_str, stdout);
		else if (!rc)
			printf("uareport: %zu file(s) valid\n", ds.nfile);
		goto done;
	}
	if (ds.nerr || probes.nerr) {
		fprintf(stderr, "uareport: %zu problem(s) in the input; no report written\n",
			ds.nerr + probes.nerr);
		rc = 1;
		goto done;
	}
	/*
	 * The tree's file, unless named: a uareport copied elsewhere (the
	 * reboot runner's) may not find it, and then predicts nothing.
	 */
	if (!toggle_pairs_path && access(UAB_TOGGLE_PAIRS, F_OK)) {
		tpairs.missing = UAB_TOGGLE_PAIRS;
	} else if (toggle_pairs_read(toggle_pairs_path ? toggle_pairs_path :
				     UAB_TOGGLE_PAIRS, &tpairs, stderr)) {
		fprintf(stderr, "uareport: cannot read the toggle pairs (--toggle-pairs)\n");
		rc = 1;
		goto done;
	}
	inboot_collect(&ds, opts.level, &inboot);
	toggle_collect(&ds, opts.level, &toggles);
	dataset_finish(&ds);

	struct analysis a;

	if (analyse(&a, &ds, &opts)) {
		rc = 1;
		analysis_free(&a);
		goto done;
	}

	for (size_t i = 0; i < a.nwarnings; i++)
		fprintf(stderr, "uareport: WARNING: %s\n", a.warnings[i]);
	if (!isnan(precision)) {
		rc = precision_check(&a, precision, cells, stdout);
		analysis_free(&a);
		goto done;
	}

	char *def_out = NULL;

	if (!out) {
		const char *first = inputs.v[0];

		if (is_dir(first)) {
			def_out = xasprintf("%s/report", first);
		} else {
			const char *slash = strrchr(first, '/');

			def_out = slash ? xasprintf("%.*s/report", (int)(slash - first), first)
					: xstrdup("report");
		}
		out = def_out;
	}
	if (!out_replaceable(out)) {
		fprintf(stderr, "uareport: %s exists and is not a uareport output; choose another --out\n",
			out);
		rc = 2;
	} else {
		char *cmdline = join_args(argc, argv);
		struct paths manifests = { 0 };

		for (size_t i = 0; i < inputs.n; i++) {
			char *m = xasprintf("%s/manifest.txt", inputs.v[i]);

			if (is_dir(inputs.v[i]) && !access(m, R_OK))
				add_path(&manifests, m);
			free(m);
		}

		struct run_info run = {
			.cmdline = cmdline,
			.manifests = manifests.v, .nmanifests = manifests.n,
			.probes = &probes,
			.inboot = &inboot,
			.toggles = &toggles,
			.pairs = &tpairs,
		};

		if (write_all(&a, out, &run))
			rc = 2;
		else
			printf("uareport: wrote %s/REPORT.md\n", out);
		free(cmdline);
		for (size_t i = 0; i < manifests.n; i++)
			free(manifests.v[i]);
		free(manifests.v);
	}
	free(def_out);
	analysis_free(&a);
done:
	probes_free(&probes);
	inboot_free(&inboot);
	toggle_free(&toggles);
	toggle_pairs_free(&tpairs);
	dataset_free(&ds);
	for (size_t i = 0; i < opts.npairs; i++)
		free((char *)pairs[i].entry);
	free(pairs);
	for (size_t i = 0; i < inputs.n; i++)
		free(inputs.v[i]);
	for (size_t i = 0; i < csv.n; i++)
		free(csv.v[i]);
	for (size_t i = 0; i < json.n; i++)
		free(json.v[i]);
	free(inputs.v);
	free(csv.v);
	free(json.v);
	return rc;
}
