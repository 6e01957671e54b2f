/*
 * uareport end to end, as users run it: synthetic boots (one rejected, two
 * with hyperfine files, one gzipped) in a directory, then the report,
 * tables and plots it writes; reruns; --validate, --baseline, --precision
 * and refusals.
 */
#define _GNU_SOURCE	/* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "synth.h"
#include "testutil.h"

static char *dir;

/* Run uareport with args; stdout+stderr go to dir/out.txt; exit status. */
static int uareport(const char *args)
{
	char cmd[8192];
	int rc;

	snprintf(cmd, sizeof(cmd), "%s %s >'%s/out.txt' 2>&1", test_env("UAREPORT"),
		 args, dir);
	rc = system(cmd);
	assert_true(WIFEXITED(rc));
	return WEXITSTATUS(rc);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static char *file_in(const char *rel)
{
	char path[4200];
	size_t len;
	char *s;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	s = slurp(path, &len);
	if (!s)
		fail_msg("%s is missing", path);
	return s;
}

/* gnuplot joins the points of a line in file order: each block of a cost
 * plot's data must list its sizes in ascending order. */
static void assert_sizes_ascend(const char *rel)
{
	char *s = file_in(rel), *save = NULL;
	unsigned long long prev = 0, size;
	int points = 0;

	for (char *line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#') {
			prev = 0;	/* a new entry's block */
			continue;
		}
		assert_int_equal(sscanf(line, "%llu", &size), 1);
		assert_true(size > prev);
		prev = size;
		points++;
	}
	assert_int_equal(points, 6);	/* 3 sizes x 2 entries */
	free(s);
}

static void write_boots(const char *sub, const char *baseline, int rejected)
{
	static const char *const cmds[] = {
		"dd if=/dev/uaccess_bench of=/dev/null bs=4096 count=1000",
	};
	/* Not ascending: uabench writes cells in a random order. */
	static const uint64_t sizes[] = { 4096, 8, 512 };
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0777);
	for (unsigned e = 0; e < 2; e++) {
		for (unsigned b = 0; b < 3; b++) {
			struct synth s;
			char id[64];

			synth_defaults(&s);
			s.sizes = sizes;
			s.nsizes = sizeof(sizes) / sizeof(sizes[0]);
			snprintf(id, sizeof(id), "%s-%u", e ? "smap" : "nosmap", b);
			s.entry = e ? "smap" : "nosmap";
			s.boot_id = id;
			s.baseline = e ? baseline : NULL;
			s.smap = e ? "on" : "off";
			s.shift = e ? 0.03 : 0;
			s.boot_sd = 0.005;
			s.batches = 100;
			s.accel = "tcg";
			s.qemu_cpu = "max";
			s.seed = 10 * e + b + 1;
			snprintf(path, sizeof(path), "%s/%s/%s.csv", dir, sub, id);
			assert_int_equal(synth_write(&s, path), 0);
			snprintf(path, sizeof(path), "%s/%s/%s.hyperfine.json", dir, sub, id);
			assert_int_equal(synth_hyperfine(path, cmds, 1, 20, 0.005,
							 e ? 0.03 : 0, s.seed), 0);
		}
	}
	if (rejected) {
		struct synth s;

		synth_defaults(&s);
		s.entry = "smep";
		s.boot_id = "r0";
		s.baseline = "nosmap";
		s.verdict = "rejected";
		s.reason = "expected smep=on, measured smep=off";
		s.batches = 10;
		snprintf(path, sizeof(path), "%s/%s/smep-0.csv", dir, sub);
		assert_int_equal(synth_write(&s, path), 0);
	}
}

static void write_text(const char *rel, const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	char path[4200];

	(void)state;
	dir = test_tmpdir();
	write_boots("run", "nosmap", 1);
	/* one boot compressed, as the lab may store them: read, not skipped */
	snprintf(path, sizeof(path), "gzip '%s/run/smap-1.csv'", dir);
	assert_int_equal(system(path), 0);
	write_boots("nohdr", NULL, 0);
	/* a lab run: manifest on top, an incomplete boot below failed/ */
	write_text("run/manifest.txt", "run=x86_64-test\naccel=tcg\n");
	snprintf(path, sizeof(path), "%s/run/failed", dir);
	mkdir(path, 0777);
	write_text("run/failed/smap.b9.csv", "# schema=1\ntruncated");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_rmtree(dir);
	free(dir);
	return 0;
}

static void assert_image(const char *rel, const char *magic)
{
	size_t len;
	char path[4200], *s;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	s = slurp(path, &len);
	if (!s || len < 1000 || !memmem(s, len < 300 ? len : 300, magic, strlen(magic)))
		fail_msg("%s: missing, small or not an image", path);
	free(s);
}

static void full_report(void **state)
{
	char args[4400], *s;

	(void)state;
	snprintf(args, sizeof(args), "'%s/run'", dir);
	assert_int_equal(uareport(args), 0);

	s = file_in("run/report/overhead.csv");
	/* smap's 3 % shows on a sized workload and hyperfine; the gzipped
	 * boot counts (3 boots) */
	assert_non_null(strstr(s, "x86_64,read,4096,tsc,ns,smap,nosmap,6.1,6.1.0-28-amd64,no,3,3,"));
	assert_non_null(strstr(s, ",raw,"));
	assert_non_null(strstr(s, "dd if=/dev/uaccess_bench of=/dev/null bs=4096 count=1000,0,hyperfine,ns,smap,nosmap,"));
	assert_null(strstr(s, "smep"));	/* rejected: in no table */
	assert_null(strstr(s, ",calib,"));
	free(s);
	s = file_in("run/report/REPORT.md");
	assert_non_null(strstr(s, "expected smep=on, measured smep=off"));
	assert_non_null(strstr(s, "headline: raw"));
	assert_non_null(strstr(s, "Benjamini-Hochberg"));
	assert_non_null(strstr(s, "### Controls on x86_64"));
	assert_non_null(strstr(s, "detectable"));
	assert_null(strstr(s, "+inf"));
	assert_null(strstr(s, "-inf"));
	assert_null(strstr(s, " nan"));
	assert_non_null(strstr(s, "QEMU TCG"));
	assert_non_null(strstr(s, "![Overhead"));
	assert_non_null(strstr(s, "run=x86_64-test"));	/* the manifest */
	/* one kernel series: said in a line, no side-by-side section */
	assert_non_null(strstr(s, "| read | 4096 | tsc | smap vs nosmap | 6.1 | 3 + 3 |"));
	{
		/* the row gives the cost per call too: ticks with their
		 * interval, and ns from the TSC's rate */
		char *row = strstr(s, "| read | 4096 | tsc | smap vs nosmap | 6.1 | 3 + 3 |");
		char *eol = strchr(row, '\n');

		*eol = '\0';
		assert_non_null(strstr(row, " ticks ["));
		assert_non_null(strstr(row, " ns) |"));
		*eol = '\n';
	}
	assert_non_null(strstr(s, "difference per op [95 % CI]"));
	assert_non_null(strstr(s, "\nAll pairs on x86_64 ran kernel series 6.1 (6.1.0-28-amd64).\n"));
	assert_null(strstr(s, "Overhead by kernel"));
	assert_null(strstr(s, "kernels_x86_64"));
	assert_null(strstr(s, "smap.b9"));	/* failed/ is not a result */
	free(s);
	static const char *const files[] = {
		"overhead.md", "cost.csv", "cost.md", "geomean.csv", "boots.csv",
		"plots/style.gp", "plots/overhead_x86_64.gp", "plots/overhead_x86_64.dat",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char rel[256];

		snprintf(rel, sizeof(rel), "run/report/%s", files[i]);
		s = file_in(rel);
		assert_true(strlen(s) > 20);
		free(s);
	}
	snprintf(args, sizeof(args), "%s/run/report/plots/kernels_x86_64.gp", dir);
	assert_int_not_equal(access(args, F_OK), 0);
	assert_image("run/report/plots/overhead_x86_64.png", "PNG");
	assert_image("run/report/plots/overhead_x86_64.svg", "<svg");
	assert_image("run/report/plots/cost_x86_64_02_read_tsc.png", "PNG");
	assert_sizes_ascend("run/report/plots/cost_x86_64_02_read_tsc.dat");
	assert_image("run/report/plots/cost_x86_64_02_read_tsc.svg", "<svg");
	assert_image("run/report/plots/batches_x86_64_02_read_tsc.png", "PNG");
	assert_image("run/report/plots/batches_x86_64_00_calib_tsc.svg", "<svg");
}

static void rerun_is_identical(void **state)
{
	char args[4400], *a, *b;

	(void)state;
	snprintf(args, sizeof(args), "'%s/run'", dir);
	assert_int_equal(uareport(args), 0);
	a = file_in("run/report/overhead.csv");
	assert_int_equal(uareport(args), 0);	/* regenerates the report dir */
	b = file_in("run/report/overhead.csv");
	assert_string_equal(a, b);
	free(b);
	snprintf(args, sizeof(args), "--headline norm '%s/run'", dir);
	assert_int_equal(uareport(args), 0);
	b = file_in("run/report/overhead.csv");
	assert_string_not_equal(a, b);
	assert_non_null(strstr(b, ",norm,"));
	free(a);
	free(b);
}

/* The lab's stopping rule: exit 0 under the target, 3 above it. */
static void precision_exit_codes(void **state)
{
	char args[4400], *s;

	(void)state;
	snprintf(args, sizeof(args), "--precision 50 '%s/run'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "precision: met"));
	assert_non_null(strstr(s, "x86_64\tread\t4096\ttsc\tsmap\tnosmap\t3\t3\t"));
	free(s);
	snprintf(args, sizeof(args), "--precision 0.001 '%s/run'", dir);
	assert_int_equal(uareport(args), 3);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "precision: more-boots"));
	assert_non_null(strstr(s, "\tmore-boots\n"));
	free(s);
	snprintf(args, sizeof(args), "--precision 50 --cells read/4096,write '%s/run'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "(4 cells under"));	/* read/4096 + 3 writes */
	free(s);
	snprintf(args, sizeof(args), "--precision 50 --cells nosuch '%s/run'", dir);
	assert_int_equal(uareport(args), 2);
	snprintf(args, sizeof(args), "--cells read '%s/run'", dir);
	assert_int_equal(uareport(args), 2);
	snprintf(args, sizeof(args), "--precision 0 '%s/run'", dir);
	assert_int_equal(uareport(args), 2);
}

static void baseline_from_command_line(void **state)
{
	char args[4400], *s;

	(void)state;
	snprintf(args, sizeof(args), "'%s/nohdr'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("nohdr/report/REPORT.md");
	assert_non_null(strstr(s, "No protected entry has a baseline"));
	free(s);
	snprintf(args, sizeof(args), "--baseline smap=nosmap '%s/nohdr'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("nohdr/report/overhead.csv");
	assert_non_null(strstr(s, ",smap,nosmap,"));
	free(s);
	snprintf(args, sizeof(args), "--baseline smap=ghost '%s/nohdr' --out '%s/o2'", dir, dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("o2/REPORT.md");
	assert_non_null(strstr(s, "its baseline 'ghost' has no accepted data"));
	free(s);
}

static void validate_and_refusals(void **state)
{
	char args[4400], *s;

	(void)state;
	snprintf(args, sizeof(args), "--validate '%s/run'", dir);
	assert_int_equal(uareport(args), 0);
	snprintf(args, sizeof(args), "--validate '%s/bad/short-row.csv'", test_env("TESTDIR"));
	assert_int_equal(uareport(args), 1);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "short-row.csv:43: "));
	free(s);
	/* a report is never written over something that is not a report */
	snprintf(args, sizeof(args), "--out '%s/nohdr' '%s/run'", dir, dir);
	assert_int_equal(uareport(args), 2);
	s = file_in("nohdr/nosmap-0.csv");
	free(s);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "is not a uareport output"));
	free(s);
	/* bad input anywhere: exit 1, no report */
	snprintf(args, sizeof(args), "--out '%s/o3' '%s/run' '%s/bad/zero-ops.csv'", dir,
		 dir, test_env("TESTDIR"));
	assert_int_equal(uareport(args), 1);
	snprintf(args, sizeof(args), "%s/o3", dir);
	assert_int_not_equal(access(args, F_OK), 0);
	/* a result in a form uareport does not read is named, not skipped silently */
	snprintf(args, sizeof(args),
		 "mkdir '%s/stray' && cp '%s/run/nosmap-0.csv' '%s/stray/' && echo x >'%s/stray/nosmap-1.csv.bz2'",
		 dir, dir, dir, dir);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "--validate '%s/stray'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "stray/nosmap-1.csv.bz2 is not read"));
	free(s);
	assert_int_equal(uareport("--help"), 0);
	assert_int_equal(uareport("--frobnicate x"), 2);
	assert_int_equal(uareport("--headline widest x"), 2);
}

/* A boot that measured smap=off under an entry expecting on: out, loudly. */
static void contradicting_label_is_excluded_loudly(void **state)
{
	char args[4400], path[4200], *s;
	struct synth sy;

	(void)state;
	snprintf(args, sizeof(args), "cp -r '%s/run' '%s/liar'", dir, dir);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "rm -rf '%s/liar/report'", dir);
	assert_int_equal(system(args), 0);
	synth_defaults(&sy);
	sy.entry = "smap";
	sy.boot_id = "liar-boot";
	sy.baseline = "nosmap";
	sy.smap = "off";
	sy.expect = "smap=on";
	sy.verdict = "accepted";
	sy.batches = 20;
	snprintf(path, sizeof(path), "%s/liar/smap-9.csv", dir);
	assert_int_equal(synth_write(&sy, path), 0);
	snprintf(args, sizeof(args), "'%s/liar'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "WARNING: boot liar-boot of entry 'smap' excluded"));
	free(s);
	s = file_in("liar/report/REPORT.md");
	assert_non_null(strstr(s, "## WARNINGS: read these first"));
	assert_non_null(strstr(s, "## Boots excluded by uareport"));
	assert_non_null(strstr(s, "measured smap=off but entry 'smap' expects smap=on (lab.verdict: accepted)"));
	free(s);
	s = file_in("liar/report/overhead.csv");
	assert_non_null(strstr(s, "x86_64,read,4096,tsc,ns,smap,nosmap,6.1,6.1.0-28-amd64,no,3,3,"));
	free(s);
}

/* verdict_is EXPECT FILE LINE: --validate --expect prints exactly LINE. */
static void verdict_is(const char *expect, const char *file, const char *line)
{
	char args[4400], *s;

	snprintf(args, sizeof(args), "--validate --expect %s '%s/%s'", expect,
		 dir, file);
	assert_int_equal(uareport(args), 0);
	s = file_in("out.txt");
	if (strcmp(s, line))
		fail_msg("--expect %s %s: got \"%s\", want \"%s\"", expect,
			 file, s, line);
	free(s);
}

/*
 * The lab's verdict (uareport --validate --expect): the same reader and the
 * same decision as the aggregator's on the boot that contradicts its label.
 */
static void lab_verdict_from_the_reader(void **state)
{
	char args[4400], *s;
	struct synth sy;

	(void)state;
	synth_defaults(&sy);
	sy.batches = 3;
	snprintf(args, sizeof(args), "%s/v-on.csv", dir);
	assert_int_equal(synth_write(&sy, args), 0);
	verdict_is("smap=on,smep=on", "v-on.csv",
		   "accepted: measured state matches smap=on,smep=on\n");
	verdict_is("smap=off,smep=on", "v-on.csv",
		   "rejected: smap expected off measured on\n");
	verdict_is("smep=off,smap=off", "v-on.csv",
		   "rejected: smap expected off measured on; smep expected off measured on\n");
	verdict_is("pan=on", "v-on.csv", "rejected: pan expected on measured na\n");
	/* how PAN is provided is judged by the same reader */
	verdict_is("pan=na,pan_kind=na", "v-on.csv",
		   "accepted: measured state matches pan=na,pan_kind=na\n");
	verdict_is("pan_kind=ttbr0", "v-on.csv",
		   "rejected: pan_kind expected ttbr0 measured na\n");
	/* the aggregator's liar: measured smap=off, its entry expects on */
	verdict_is("smap=on", "liar/smap-9.csv", "rejected: smap expected on measured off\n");
	/* a state not read from the module is no lab evidence */
	snprintf(args, sizeof(args),
		 "sed 's/^# prot_source=module$/# prot_source=cpuinfo/; s/,module,/,cpuinfo,/' '%s/v-on.csv' >'%s/v-cpuinfo.csv'",
		 dir, dir);
	assert_int_equal(system(args), 0);
	verdict_is("smap=on", "v-cpuinfo.csv",
		   "rejected: protection state read from cpuinfo, not from the helper module\n");
	/* an invalid file gets no verdict, only what is wrong: exit 1 */
	snprintf(args, sizeof(args), "--validate --expect smap=on '%s/bad/zero-ops.csv'",
		 test_env("TESTDIR"));
	assert_int_equal(uareport(args), 1);
	s = file_in("out.txt");
	assert_null(strstr(s, "accepted"));
	assert_null(strstr(s, "rejected"));
	assert_non_null(strstr(s, "zero-ops.csv:43: ops '0'"));
	free(s);
	/* bad use: exit 2 */
	static const char *const misuse[][2] = {
		{ "--validate --expect smap=maybe", "v-on.csv" },
		{ "--validate --expect smap=on,smap=on", "v-on.csv" },
		{ "--validate --expect kpti=on", "v-on.csv" },
		{ "--validate --expect pan_kind=on", "v-on.csv" },
		{ "--expect smap=on", "v-on.csv" },
		{ "--validate --expect smap=on", "run" },
	};
	for (size_t i = 0; i < sizeof(misuse) / sizeof(misuse[0]); i++) {
		snprintf(args, sizeof(args), "%s '%s/%s'", misuse[i][0], dir,
			 misuse[i][1]);
		assert_int_equal(uareport(args), 2);
	}
}

/*
 * One boot a side: no spread, so no count of boots needed. The CSV leaves
 * the field empty and REPORT.md says n/a, never the ">1000" of a spread
 * too wide to resolve 1 %.
 */
static void boots_needed_without_spread(void **state)
{
	char args[4400], *s, *row, *field;
	int col = 0;

	(void)state;
	snprintf(args, sizeof(args), "rm -rf '%1$s/one' && mkdir '%1$s/one' && "
		 "cp '%1$s/run/nosmap-0.csv' '%1$s/run/smap-0.csv' '%1$s/one/'", dir);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "'%s/one'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("one/report/overhead.csv");
	row = strstr(s, "\nx86_64,read,4096,tsc,ns,smap,");
	assert_non_null(row);
	row++;
	row[strcspn(row, "\n")] = '\0';
	/* boots_for_1pct and boots_for_0.5pct: columns 26 and 27 */
	for (field = row; col < 25; col++)
		field = strchr(field, ',') + 1;
	assert_true(!strncmp(field, ",,", 2));
	free(s);
	s = file_in("one/report/REPORT.md");
	assert_non_null(strstr(s, "| n/a / n/a |"));
	assert_null(strstr(s, ">1000"));
	free(s);
}

/* A copy of the run with a probes/ directory holding TEXT as smap.csv. */
static void run_with_probes(const char *name, const char *text)
{
	char args[4400], rel[256];

	snprintf(args, sizeof(args), "rm -rf '%s/%s' && cp -r '%s/run' '%s/%s' && "
		 "rm -rf '%s/%s/report' && mkdir '%s/%s/probes'",
		 dir, name, dir, dir, name, dir, name, dir, name);
	assert_int_equal(system(args), 0);
	snprintf(rel, sizeof(rel), "%s/probes/smap.csv", name);
	write_text(rel, text);
}

#define PROBES_HEAD "# schema=uab-probes-1\n# entry=smap\n# arch=x86_64\n# smap=on\n# smep=on\n" \
	"# pan=na\nentry,arch,probe,depends,state,expected,outcome,verdict,detail,evidence\n"

/* Probe boots: one table row per probe, with the log line it rests on. */
static void probes_give_protection_verified(void **state)
{
	char args[4400], *s;

	(void)state;
	run_with_probes("probed", PROBES_HEAD
		"smap,x86_64,read,smap,on,oops,oops,pass,killed by signal 9,"
		"#PF: supervisor read access in kernel mode | #PF: error_code(0x0001) - permissions violation\n"
		"smap,x86_64,uaccess_read,-,-,value,value,pass,\"returned 0x5eed1234, as written\","
		"uaccess_bench: probe uaccess_read survived\n");
	snprintf(args, sizeof(args), "'%s/probed'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("probed/report/REPORT.md");
	assert_non_null(strstr(s, "## Protection verified"));
	assert_non_null(strstr(s, "| smap | smap=on,smep=on,pan=na | read | oops | oops | pass | "
			       "#PF: supervisor read access in kernel mode \\| #PF: error_code(0x0001)"));
	assert_non_null(strstr(s, "| uaccess_read | value | value | pass |"));
	assert_null(strstr(s, "PROTECTION NOT VERIFIED"));
	free(s);

	/* a probe that survived where it must fault: loud, at the top */
	run_with_probes("unprotected", PROBES_HEAD
		"smap,x86_64,read,smap,on,oops,value,fail,returned 0x5eed1234,"
		"uaccess_bench: probe read survived\n");
	snprintf(args, sizeof(args), "'%s/unprotected'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("unprotected/report/REPORT.md");
	assert_non_null(strstr(s, "## WARNINGS: read these first"));
	assert_non_null(strstr(s, "PROTECTION NOT VERIFIED for entry smap"));
	assert_non_null(strstr(s, "| read | oops | value | **FAIL** |"));
	free(s);

	/* a malformed probe file is invalid input: no report */
	run_with_probes("badprobes", PROBES_HEAD "smap,x86_64,read,\"unclosed\n");
	snprintf(args, sizeof(args), "'%s/badprobes'", dir);
	assert_int_equal(uareport(args), 1);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "probes/smap.csv:8: malformed row"));
	free(s);
	run_with_probes("notprobes", "# schema=1\nentry,x\n");
	snprintf(args, sizeof(args), "'%s/notprobes'", dir);
	assert_int_equal(uareport(args), 1);
}

/*
 * A real boot that ran uabench --calibrate 4000 (the known-cost lab run
 * of 2026-12-07, QEMU TCG x86_64, Debian 6.1): its in-boot figures as
 * uabench printed them there (recovered 3988.69 [3787.33, 4181.09] in 50
 * rounds). Under ASan this also guards the pairing's buffers.
 */
static void in_boot_calibration_of_a_real_boot(void **state)
{
	char args[4400], *s;

	(void)state;
	snprintf(args, sizeof(args), "rm -rf '%s/inboot' && mkdir '%s/inboot' && "
		 "cp '%s/data/inject-boot.csv.gz' '%s/inboot/'",
		 dir, dir, test_env("TESTDIR"), dir);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "'%s/inboot'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("inboot/report/inboot.csv");
	assert_non_null(strstr(s, ",tsc,4000,328.783,50,3988.69,3787.33,4181.09,recovered\n"));
	free(s);
	s = file_in("inboot/report/REPORT.md");
	assert_non_null(strstr(s, "### Inside one boot (uabench --calibrate)"));
	assert_null(strstr(s, "INSTRUMENT NOT TRUSTWORTHY"));
	free(s);
}

/*
 * Two real lab boots of uabench --kloop (6.1, QEMU TCG, 2026-12-08), cut
 * to the toggle cells, kloop-get-8, read and calib: SMAP on and, with
 * clearcpuid=smap, off. The bare toggle costs 58 ticks where SMAP is on
 * and 0.01 where it is off; user_access_begin + end keeps its
 * barrier_nospec when off (9 ticks). In-kernel loops are no cells of the
 * cross-boot tables, and have tables of their own.
 */
static void toggle_cost_of_real_boots(void **state)
{
	char args[4400], *s;

	(void)state;
	snprintf(args, sizeof(args), "rm -rf '%s/kloop' && mkdir '%s/kloop' && "
		 "cp '%s/data/kloop-smap.csv.gz' '%s/data/kloop-nosmap.csv.gz' "
		 "'%s/kloop/'", dir, dir, test_env("TESTDIR"),
		 test_env("TESTDIR"), dir);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "'%s/kloop'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("kloop/report/toggle.csv");
	assert_non_null(strstr(s, ",1,on,kloop-toggle,tsc,50,58.0735,51.7886,89.022,ok\n"));
	assert_non_null(strstr(s, ",1,off,kloop-toggle,tsc,50,0.0103,-0.0416999,0.0234001,ok\n"));
	assert_non_null(strstr(s, ",1,off,kloop-uaccess-pair,tsc,50,9.03355,8.1774,11.2381,\n"));
	free(s);
	s = file_in("kloop/report/overhead.csv");
	assert_null(strstr(s, "kloop-"));
	assert_non_null(strstr(s, "x86_64,read,"));
	free(s);
	s = file_in("kloop/report/REPORT.md");
	assert_non_null(strstr(s, "## What one protection toggle costs, inside one boot"));
	assert_non_null(strstr(s, "Self-check passed in every boot."));
	assert_null(strstr(s, "TOGGLE SELF-CHECK FAILED"));
	assert_non_null(strstr(s, "## In-kernel primitives (uabench --kloop)"));
	assert_non_null(strstr(s, "| get-8 | 8 | tsc |"));
	/* One pair (configs/toggle-pairs) times the pooled toggle; one boot
	 * a side gives the cross-boot difference no interval. */
	assert_non_null(strstr(s, "| read | 64 | tsc | smap vs nosmap | 6.1 | 1 | "
			       "58.1 [51.8, 89.0] | -33.0 [n/a] | n/a |\n"));
	free(s);

	/* A toggle-pairs file with a bad count: refused, file and line. */
	write_text("kloop/bad-pairs", "# protection workload pairs kernels where\n"
		   "smap read one 6.1 uab_read\n");
	snprintf(args, sizeof(args), "--toggle-pairs '%s/kloop/bad-pairs' '%s/kloop'",
		 dir, dir);
	assert_int_equal(uareport(args), 1);

	/* The same off boot claiming SMAP on: its toggle cost nothing. */
	snprintf(args, sizeof(args), "cd '%s/kloop' && zcat kloop-nosmap.csv.gz | "
		 "sed 's/,nosmap,x86_64,\\([^,]*\\),off,/,nosmap,x86_64,\\1,on,/; "
		 "s/^# smap=off/# smap=on/' | gzip > n.csv.gz && "
		 "mv n.csv.gz kloop-nosmap.csv.gz", dir);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "'%s/kloop'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("kloop/report/toggle.csv");
	assert_non_null(strstr(s, ",1,on,kloop-toggle,tsc,50,0.0103,-0.0416999,0.0234001,suspect\n"));
	free(s);
	s = file_in("kloop/report/REPORT.md");
	assert_non_null(strstr(s, "TOGGLE SELF-CHECK FAILED in 1 measurement(s)"));
	free(s);
}

/*
 * Boots of a protected entry (smap on, +3 %) and of its baseline in dir/sub,
 * each side on its own kernel release; boots a side, the workloads given.
 */
struct kernel_pair {
	const char *entry, *entry_kernel, *baseline, *baseline_kernel;
	const char *const *workloads;	/* NULL: synth's read and write */
	size_t nworkloads;
	unsigned boots;
};

static void write_kernel_pair(const char *sub, const struct kernel_pair *kp,
			      uint64_t seed)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0777);
	for (unsigned e = 0; e < 2; e++) {
		for (unsigned b = 0; b < kp->boots; b++) {
			struct synth s;
			char id[128];

			synth_defaults(&s);
			s.entry = e ? kp->entry : kp->baseline;
			snprintf(id, sizeof(id), "%s-%u", s.entry, b);
			s.boot_id = id;
			s.kernel = e ? kp->entry_kernel : kp->baseline_kernel;
			s.baseline = e ? kp->baseline : "-";
			s.smap = e ? "on" : "off";
			s.shift = e ? 0.03 : 0;
			s.boot_sd = 0.005;
			s.batches = 40;
			s.seed = seed + 10 * e + b;
			if (kp->workloads) {
				s.workloads = kp->workloads;
				s.nworkloads = kp->nworkloads;
			}
			snprintf(path, sizeof(path), "%s/%s/%s.csv", dir, sub, id);
			assert_int_equal(synth_write(&s, path), 0);
		}
	}
}

/* Field i (1: the first) of a Markdown table row, trimmed; freed by caller. */
static char *md_field(const char *row, int i)
{
	const char *p = row, *end;

	for (int k = 0; k < i; k++) {
		p = strchr(p, '|');
		assert_non_null(p);
		p++;
	}
	end = strchr(p, '|');
	assert_non_null(end);
	while (*p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	return strndup(p, (size_t)(end - p));
}

/* The row after `from` that starts with prefix. */
static const char *md_row(const char *from, const char *prefix)
{
	char *needle = malloc(strlen(prefix) + 2);
	const char *r;

	sprintf(needle, "\n%s", prefix);
	r = strstr(from, needle);
	if (!r)
		fail_msg("no row \"%s\"", prefix);
	free(needle);
	return r + 1;
}

static void assert_field(const char *row, int i, const char *want)
{
	char *got = md_field(row, i);

	if (strcmp(got, want))
		fail_msg("field %d of \"%.80s\": got \"%s\", want \"%s\"", i,
			 row, got, want);
	free(got);
}

/*
 * Three kernel series on one arch: the report sets them side by side, in
 * version order (6.1, 6.6, 6.12: neither by name nor as text), each value
 * the one the main table gives the same pair; the kernel is a CSV column.
 */
static void kernels_side_by_side(void **state)
{
	static const char *const more[] = { "read", "write", "zero-read" };
	static const struct kernel_pair pairs[] = {
		{ "smap-6.12", "6.12.38+deb12-amd64", "nosmap-6.12",
		  "6.12.38+deb12-amd64", more, 3, 2 },
		{ "smap", "6.1.0-28-amd64", "nosmap", "6.1.0-28-amd64", NULL, 0, 3 },
		{ "smap-6.6", "6.6.15-amd64", "nosmap-6.6", "6.6.15-amd64", NULL, 0, 2 },
	};
	/* column of each pair in the by-kernel table (field 4 is the first) */
	static const int column[] = { 6, 4, 5 };
	static const char *const series[] = { "6.12", "6.1", "6.6" };
	char args[4400], *s, *want;
	const char *sect;

	(void)state;
	for (size_t i = 0; i < 3; i++)
		write_kernel_pair("kern", &pairs[i], 100 * i + 100);
	snprintf(args, sizeof(args), "'%s/kern'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("kern/report/REPORT.md");
	assert_null(strstr(s, "crosses kernels"));
	assert_null(strstr(s, "All pairs on x86_64 ran"));
	sect = strstr(s, "\n## Overhead by kernel on x86_64\n");
	assert_non_null(sect);
	assert_non_null(strstr(sect, "Kernels: 6.1 (6.1.0-28-amd64), 6.6 (6.6.15-amd64), "
			       "6.12 (6.12.38+deb12-amd64)."));
	assert_non_null(strstr(sect, "\n| workload | size (B) | counter | 6.1: smap vs nosmap | "
			       "6.6: smap-6.6 vs nosmap-6.6 | 6.12: smap-6.12 vs nosmap-6.12 |\n"));
	for (size_t i = 0; i < 3; i++) {
		char prefix[256];
		char *v;

		/* read/4096 and the geometric mean: the main table's values */
		snprintf(prefix, sizeof(prefix), "| read | 4096 | tsc | %s vs %s | %s |",
			 pairs[i].entry, pairs[i].baseline, series[i]);
		v = md_field(md_row(s, prefix), 7);
		assert_field(md_row(sect, "| read | 4096 | tsc |"), column[i], v);
		free(v);
		snprintf(prefix, sizeof(prefix), "| **geometric mean** | all | tsc | %s vs %s | %s |",
			 pairs[i].entry, pairs[i].baseline, series[i]);
		v = md_field(md_row(s, prefix), 7);
		assert_true(strchr(v, '['));	/* an interval, not n/a */
		assert_field(md_row(sect, "| **geometric mean** | all | tsc |"), column[i], v);
		free(v);
	}
	/* only the 6.12 pair measured zero-read */
	assert_field(md_row(sect, "| zero-read | 64 | tsc |"), 4, "n/a");
	assert_field(md_row(sect, "| zero-read | 64 | tsc |"), 5, "n/a");
	want = md_field(md_row(s, "| zero-read | 64 | tsc | smap-6.12 vs nosmap-6.12 | 6.12 |"), 7);
	assert_field(md_row(sect, "| zero-read | 64 | tsc |"), 6, want);
	free(want);
	assert_non_null(strstr(s, "![Geometric-mean overhead % of each pair on x86_64 by kernel series"));
	free(s);

	s = file_in("kern/report/overhead.csv");
	assert_non_null(strstr(s, "arch,workload,size,counter,unit,entry,baseline,"
			       "kernel_series,kernel,control,boots_entry,"));
	assert_non_null(strstr(s, "\nx86_64,read,4096,tsc,ns,smap-6.12,nosmap-6.12,6.12,6.12.38+deb12-amd64,no,2,2,"));
	assert_non_null(strstr(s, "\nx86_64,read,4096,tsc,ns,smap-6.6,nosmap-6.6,6.6,6.6.15-amd64,no,2,2,"));
	free(s);
	s = file_in("kern/report/geomean.csv");
	assert_non_null(strstr(s, "arch,counter,entry,baseline,kernel_series,kernel,rows,"));
	assert_non_null(strstr(s, "\nx86_64,tsc,smap,nosmap,6.1,6.1.0-28-amd64,6,3,3,"));
	assert_non_null(strstr(s, "\nx86_64,tsc,smap-6.12,nosmap-6.12,6.12,6.12.38+deb12-amd64,9,2,2,"));
	free(s);

	/* the plot: one point per pair, in the table's order */
	assert_image("kern/report/plots/kernels_x86_64.png", "PNG");
	assert_image("kern/report/plots/kernels_x86_64.svg", "<svg");
	s = file_in("kern/report/plots/kernels_x86_64.dat");
	want = strstr(s, "\"6.1 smap vs nosmap\" ");
	assert_non_null(want);
	want = strstr(want, "\n\"6.6 smap-6.6 vs nosmap-6.6\" ");
	assert_non_null(want);
	assert_non_null(strstr(want, "\n\"6.12 smap-6.12 vs nosmap-6.12\" "));
	free(s);
}

/*
 * A pair whose sides ran different kernel series: a loud warning, its
 * kernel "6.12 vs 6.1". An entry whose boots ran different releases: a
 * warning and kernel "mixed" (its series kept when they share one).
 */
static void kernels_crossed_and_mixed(void **state)
{
	static const struct kernel_pair crossed = {
		"smap", "6.12.38+deb12-amd64", "nosmap", "6.1.0-28-amd64", NULL, 0, 2,
	};
	static const struct kernel_pair mixed = {
		"smap-m", "6.1.0-28-amd64", "nosmap-m", "6.1.0-28-amd64", NULL, 0, 2,
	};
	char args[4400], *s;
	struct synth sy;

	(void)state;
	write_kernel_pair("cross", &crossed, 300);
	write_kernel_pair("cross", &mixed, 400);
	/* a third boot of smap-m on another release of the same series */
	synth_defaults(&sy);
	sy.entry = "smap-m";
	sy.boot_id = "smap-m-late";
	sy.kernel = "6.1.0-30-amd64";
	sy.baseline = "nosmap-m";
	sy.shift = 0.03;
	sy.batches = 40;
	sy.seed = 499;
	snprintf(args, sizeof(args), "%s/cross/smap-m-late.csv", dir);
	assert_int_equal(synth_write(&sy, args), 0);
	snprintf(args, sizeof(args), "'%s/cross'", dir);
	assert_int_equal(uareport(args), 0);
	s = file_in("out.txt");
	assert_non_null(strstr(s, "smap vs nosmap crosses kernels 6.12 vs 6.1: the overhead includes the kernel change"));
	assert_non_null(strstr(s, "entry 'smap-m' ran more than one kernel (6.1.0-28-amd64, 6.1.0-30-amd64)"));
	assert_null(strstr(s, "smap-m vs nosmap-m crosses"));
	free(s);
	s = file_in("cross/report/REPORT.md");
	assert_non_null(strstr(s, "## WARNINGS: read these first"));
	assert_non_null(strstr(s, "- **smap vs nosmap crosses kernels 6.12 vs 6.1: the overhead includes the kernel change"));
	assert_non_null(strstr(s, "its kernel is shown as 'mixed'"));
	assert_non_null(strstr(s, "| read | 4096 | tsc | smap vs nosmap | 6.12 vs 6.1 | 2 + 2 |"));
	assert_non_null(strstr(s, "| read | 4096 | tsc | smap-m vs nosmap-m | 6.1 | 3 + 2 |"));
	assert_non_null(strstr(s, "| 6.1: smap-m vs nosmap-m | 6.12 vs 6.1: smap vs nosmap |\n"));
	free(s);
	s = file_in("cross/report/overhead.csv");
	assert_non_null(strstr(s, "\nx86_64,read,4096,tsc,ns,smap-m,nosmap-m,6.1,mixed,no,3,2,"));
	assert_non_null(strstr(s, "\nx86_64,read,4096,tsc,ns,smap,nosmap,6.12,6.12.38+deb12-amd64,no,2,2,"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_report),
		cmocka_unit_test(in_boot_calibration_of_a_real_boot),
		cmocka_unit_test(toggle_cost_of_real_boots),
		cmocka_unit_test(boots_needed_without_spread),
		cmocka_unit_test(kernels_side_by_side),
		cmocka_unit_test(kernels_crossed_and_mixed),
		cmocka_unit_test(probes_give_protection_verified),
		cmocka_unit_test(rerun_is_identical),
		cmocka_unit_test(precision_exit_codes),
		cmocka_unit_test(contradicting_label_is_excluded_loudly),
		cmocka_unit_test(baseline_from_command_line),
		cmocka_unit_test(validate_and_refusals),
		cmocka_unit_test(lab_verdict_from_the_reader),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
