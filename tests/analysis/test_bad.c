/*
 * The malformed corpus in bad/: every file is rejected, by `uareport
 * --validate` and by a full run alike, with the exit status, line and
 * message listed in bad/EXPECTED (.csv.gz ones too: truncated or corrupt
 * compressed data is an error, never a shorter run), and every file there
 * is listed. Plus mixed schema versions, hyperfine files without their
 * CSV, runs given twice, files without a utc line and gzip reading
 * (concatenated members read as gzip defines them).
 */
#define _GNU_SOURCE	/* asprintf */
#include <dirent.h>
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
#include <zlib.h>

#include "dataset.h"
#include "synth.h"
#include "testutil.h"

static const char *bad_dir(void)
{
	static char dir[4096];

	snprintf(dir, sizeof(dir), "%s/bad", test_env("TESTDIR"));
	return dir;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[4096];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)))
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* The text of path, fresh on the heap. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f))) {
		buf = realloc(buf, len + n + 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		buf = malloc(1);
	buf[len] = '\0';
	return buf;
}

/* Run uareport with args, its output to out; its exit status. */
static int uareport(const char *args, const char *out)
{
	char *cmd;
	int rc;

	assert_true(asprintf(&cmd, "%s %s >'%s' 2>&1", test_env("UAREPORT"),
			     args, out) > 0);
	rc = system(cmd);
	free(cmd);
	assert_true(WIFEXITED(rc));
	return WEXITSTATUS(rc);
}

/* A valid result file at dir/name, for fixtures that need one beside. */
static void write_valid(const char *dir, const char *name)
{
	char path[4200];
	struct synth s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	synth_defaults(&s);
	s.batches = 3;
	assert_int_equal(synth_write(&s, path), 0);
}

/*
 * The path uareport is given for fixture name, as users meet it: a result
 * file or a NAME.run directory (files that refuse each other) as it is; a hyperfine file in a directory beside its <stem>.csv; a
 * probe file as a run directory's probes/<name>. Fresh on the heap.
 */
static char *fixture_arg(const char *name, const char *scratch)
{
	char *src, *arg, *to;

	assert_true(asprintf(&src, "%s/%s", bad_dir(), name) > 0);
	if (!ends_with(name, ".hyperfine.json") && !ends_with(name, ".probes.csv"))
		return src;	/* a result file, or a .run directory of them */
	assert_true(asprintf(&arg, "%s/%s.d", scratch, name) > 0);
	assert_int_equal(mkdir(arg, 0777), 0);
	if (ends_with(name, ".hyperfine.json")) {
		char stem[2048];

		snprintf(stem, sizeof(stem), "%.*s.csv",
			 (int)(strlen(name) - strlen(".hyperfine.json")), name);
		write_valid(arg, stem);
		assert_true(asprintf(&to, "%s/%s", arg, name) > 0);
	} else {
		write_valid(arg, "boot.csv");
		assert_true(asprintf(&to, "%s/probes", arg) > 0);
		assert_int_equal(mkdir(to, 0777), 0);
		free(to);
		assert_true(asprintf(&to, "%s/probes/%s", arg, name) > 0);
	}
	copy_file(src, to);
	free(src);
	free(to);
	return arg;
}

/*
 * --validate and a full run refuse the fixture alike: the listed exit
 * status and "NAME:LINE: ...MESSAGE" from both.
 */
static void check_fixture(const char *name, int want_rc, const char *ln,
			  const char *msg, const char *scratch)
{
	const char *const modes[] = { "--validate", "--out" };
	char *arg = fixture_arg(name, scratch), *args, out[4200], want[1200];

	snprintf(out, sizeof(out), "%s/out.txt", scratch);
	/* line 0: a problem of a whole file (or of a run's files together) */
	if (strcmp(ln, "0"))
		snprintf(want, sizeof(want), "%s:%s: ", name, ln);
	else
		snprintf(want, sizeof(want), "%s", name);
	for (size_t m = 0; m < sizeof(modes) / sizeof(*modes); m++) {
		char *got;
		int rc;

		if (m)
			assert_true(asprintf(&args, "--out '%s/report' '%s'",
					     scratch, arg) > 0);
		else
			assert_true(asprintf(&args, "--validate '%s'", arg) > 0);
		rc = uareport(args, out);
		free(args);
		got = slurp(out);
		if (rc != want_rc || !strstr(got, want) || !strstr(got, msg) ||
		    strstr(got, "Sanitizer"))
			fail_msg("%s (%s): expected exit %d, line %s with \"%s\"; got exit %d: %s",
				 name, modes[m], want_rc, ln, msg, rc, got);
		free(got);
	}
	free(arg);
}

static void corpus_is_rejected_with_line_numbers(void **state)
{
	char exp_path[4200], line[1024];
	char *scratch = test_tmpdir();
	FILE *exp;
	size_t listed = 0, files = 0;
	DIR *d;
	struct dirent *de;

	(void)state;
	snprintf(exp_path, sizeof(exp_path), "%s/EXPECTED", bad_dir());
	exp = fopen(exp_path, "r");
	assert_non_null(exp);
	while (fgets(line, sizeof(line), exp)) {
		char *name = line, *rc, *ln, *msg;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		rc = strchr(name, ':');
		assert_non_null(rc);
		*rc++ = '\0';
		ln = strchr(rc, ':');
		assert_non_null(ln);
		*ln++ = '\0';
		msg = strchr(ln, ':');
		assert_non_null(msg);
		*msg++ = '\0';
		check_fixture(name, atoi(rc), ln, msg, scratch);
		listed++;
	}
	fclose(exp);
	d = opendir(bad_dir());
	assert_non_null(d);
	while ((de = readdir(d)))
		files += de->d_name[0] != '.' && strcmp(de->d_name, "EXPECTED");
	closedir(d);
	assert_int_equal(listed, files);	/* nothing in bad/ goes untested */
	test_rmtree(scratch);
	free(scratch);
}

/*
 * Exits before any file is read free what they collected: under the ASan
 * build, LeakSanitizer would say otherwise in the output.
 */
static void early_exits_leak_nothing(void **state)
{
	static const struct {
		const char *before, *after;	/* the arguments around the directory */
		int rc;
		const char *msg;
	} runs[] = {
		{ "", "", 1, ": no *.csv, *.csv.gz or *.hyperfine.json directly in it" },
		{ "--validate", "", 1, ": no *.csv, *.csv.gz or *.hyperfine.json directly in it" },
		{ "", " --headline maybe", 2, "--headline 'maybe'" },
		{ "", " --baseline x=y --nope", 2, "unknown option '--nope'" },
		{ "", " --cells read", 2, "--cells goes with --precision" },
		{ "--validate --expect smap=on", " x.csv", 2, "--expect goes with" },
		{ "", " --help", 0, "usage: uareport" },
	};
	char *dir = test_tmpdir(), *sub, *args, out[4200];

	(void)state;
	/* a run directory whose boots all failed: only logs/ and failed/ */
	assert_true(asprintf(&sub, "%s/logs", dir) > 0);
	assert_int_equal(mkdir(sub, 0777), 0);
	free(sub);
	assert_true(asprintf(&sub, "%s/failed", dir) > 0);
	assert_int_equal(mkdir(sub, 0777), 0);
	free(sub);
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	for (size_t i = 0; i < sizeof(runs) / sizeof(*runs); i++) {
		char *got;
		int rc;

		assert_true(asprintf(&args, "%s '%s'%s", runs[i].before, dir,
				     runs[i].after) > 0);
		rc = uareport(args, out);
		got = slurp(out);
		if (rc != runs[i].rc || !strstr(got, runs[i].msg) ||
		    strstr(got, "Sanitizer"))
			fail_msg("uareport %s: expected exit %d with \"%s\", got exit %d: %s",
				 args, runs[i].rc, runs[i].msg, rc, got);
		free(got);
		free(args);
	}
	test_rmtree(dir);
	free(dir);
}

static void mixed_schemas_are_refused(void **state)
{
	char *dir = test_tmpdir(), p1[4200], p2[4200], *out = NULL;
	size_t len;
	FILE *err = open_memstream(&out, &len), *f;
	struct dataset ds;
	struct synth s;

	(void)state;
	snprintf(p1, sizeof(p1), "%s/a.csv", dir);
	snprintf(p2, sizeof(p2), "%s/b.csv", dir);
	synth_defaults(&s);
	s.batches = 2;
	assert_int_equal(synth_write(&s, p1), 0);
	f = fopen(p2, "w");
	fprintf(f, "# schema=2\n%s\n"
		"2,b,e,x86_64,k,on,on,na,module,read,64,0,1,tsc,ticks,0,5,5.000\n",
		UAB_COLUMN_LINE);
	fclose(f);
	dataset_init(&ds, err);
	assert_int_equal(dataset_read_csv(&ds, p1), 0);
	dataset_read_csv(&ds, p2);
	assert_int_equal(dataset_check_schemas(&ds), -1);
	fclose(err);
	assert_non_null(strstr(out, "mixed schema versions"));
	assert_non_null(strstr(out, "a.csv has schema 1"));
	assert_non_null(strstr(out, "b.csv has schema 2"));
	free(out);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

static void hyperfine_needs_its_csv(void **state)
{
	char path[4200], *out = NULL;
	size_t len;
	FILE *err = open_memstream(&out, &len);
	struct dataset ds;

	(void)state;
	snprintf(path, sizeof(path), "%s/data/dd.hyperfine.json", test_env("TESTDIR"));
	dataset_init(&ds, err);
	assert_int_equal(dataset_read_hyperfine(&ds, path), -1);
	fclose(err);
	assert_non_null(strstr(out, "no valid <stem>.csv beside it"));
	free(out);
	dataset_free(&ds);
}

/* A real hyperfine 1.15 export: each command a workload, times in ns. */
static void real_hyperfine_export_is_read(void **state)
{
	char *dir = test_tmpdir(), csv[4200], json[4200], src[4200];
	struct dataset ds;
	struct synth s;
	size_t found = 0;

	(void)state;
	snprintf(csv, sizeof(csv), "%s/boot.csv", dir);
	snprintf(json, sizeof(json), "%s/boot.hyperfine.json", dir);
	snprintf(src, sizeof(src), "%s/data/dd.hyperfine.json", test_env("TESTDIR"));
	synth_defaults(&s);
	s.batches = 2;
	assert_int_equal(synth_write(&s, csv), 0);
	copy_file(src, json);
	dataset_init(&ds, stderr);
	assert_int_equal(dataset_read_csv(&ds, csv), 0);
	assert_int_equal(dataset_read_hyperfine(&ds, json), 0);
	for (size_t i = 0; i < ds.nseries; i++) {
		const struct series *se = &ds.series[i];

		if (strcmp(S(&ds, se->counter), "hyperfine"))
			continue;
		found++;
		assert_string_equal(S(&ds, se->unit), "ns");
		assert_true(se->n > 10);
		assert_true(se->v[0] > 1e5 && se->v[0] < 1e9);	/* ms-scale runs */
		assert_non_null(strstr(S(&ds, se->workload), "dd if=/dev/zero"));
	}
	assert_int_equal(found, 2);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* Two files of one boot: read in parallel, merged like one by one. */
static void parallel_read_matches_sequential(void **state)
{
	char *dir = test_tmpdir(), *paths[5], *out = NULL;
	size_t len;
	struct dataset seq, par;
	FILE *err;

	(void)state;
	for (int i = 0; i < 5; i++) {
		struct synth s;

		synth_defaults(&s);
		s.batches = 7 + i;
		s.seed = 100 + i;
		s.entry = i < 3 ? "a" : "b";
		s.boot_id = i < 2 ? "shared" : (i == 2 ? "a2" : (i == 3 ? "b3" : "b4"));
		paths[i] = malloc(4200);
		snprintf(paths[i], 4200, "%s/f%d.csv", dir, i);
		assert_int_equal(synth_write(&s, paths[i]), 0);
	}
	dataset_init(&seq, stderr);
	dataset_init(&par, stderr);
	for (int i = 0; i < 5; i++)
		assert_int_equal(dataset_read_csv(&seq, paths[i]), 0);
	dataset_read_csvs(&par, paths, 5);
	assert_int_equal(par.nerr, 0);
	assert_int_equal(par.nfile, 5);
	assert_int_equal(par.nboot, seq.nboot);
	assert_int_equal(par.nboot, 4);
	assert_int_equal(par.nseries, seq.nseries);
	for (size_t i = 0; i < seq.nseries; i++) {
		const struct series *a = &seq.series[i], *b = &par.series[i];

		assert_string_equal(S(&seq, a->workload), S(&par, b->workload));
		assert_int_equal(a->size, b->size);
		assert_int_equal(a->n, b->n);
		assert_memory_equal(a->v, b->v, a->n * sizeof(*a->v));
	}
	assert_int_equal(par.series[0].n, 7 + 8);	/* both files of "shared" */
	dataset_free(&seq);
	dataset_free(&par);

	/* the same boot must not change its kernel from one file to the next */
	struct synth s;

	synth_defaults(&s);
	s.batches = 2;
	s.boot_id = "shared";
	s.entry = "a";
	s.kernel = "6.1.0-99-amd64";
	assert_int_equal(synth_write(&s, paths[1]), 0);
	err = open_memstream(&out, &len);
	dataset_init(&par, err);
	dataset_read_csvs(&par, paths, 2);
	fclose(err);
	assert_non_null(strstr(out, "f1.csv: kernel of boot shared is '6.1.0-99-amd64' here but '6.1.0-28-amd64' in an earlier file"));
	free(out);
	dataset_free(&par);
	for (int i = 0; i < 5; i++)
		free(paths[i]);
	test_rmtree(dir);
	free(dir);
}

/* One run named twice, or copied, would double its batches: refused. */
static void same_run_twice_is_refused(void **state)
{
	char *dir = test_tmpdir(), a[4200], b[4200], *out = NULL;
	char *twice[] = { a, a }, *copied[] = { a, b };
	size_t len;
	FILE *err;
	struct dataset ds;
	struct synth s;

	(void)state;
	snprintf(a, sizeof(a), "%s/a.csv", dir);
	snprintf(b, sizeof(b), "%s/copy.csv", dir);
	synth_defaults(&s);
	s.batches = 2;
	assert_int_equal(synth_write(&s, a), 0);
	copy_file(a, b);

	err = open_memstream(&out, &len);
	dataset_init(&ds, err);
	dataset_read_csvs(&ds, twice, 2);
	fclose(err);
	assert_int_equal(ds.nerr, 1);
	assert_non_null(strstr(out, "a.csv: same run as"));
	free(out);
	dataset_free(&ds);

	err = open_memstream(&out, &len);
	dataset_init(&ds, err);
	dataset_read_csvs(&ds, copied, 2);
	fclose(err);
	assert_int_equal(ds.nerr, 1);
	assert_non_null(strstr(out, "copy.csv: same run as"));
	free(out);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/*
 * Without '# utc=' two runs of a boot and one file twice would look alike:
 * such a file is refused on its own.
 */
static void no_utc_is_refused(void **state)
{
	char *dir = test_tmpdir(), a[4200], b[4200], *out = NULL;
	char *copied[] = { a, b };
	size_t len;
	FILE *err, *in, *o;
	char line[512];
	struct dataset ds;
	struct synth s;

	(void)state;
	snprintf(a, sizeof(a), "%s/a.csv", dir);
	snprintf(b, sizeof(b), "%s/copy.csv", dir);
	synth_defaults(&s);
	s.batches = 2;
	assert_int_equal(synth_write(&s, b), 0);
	/* the same file without its utc line */
	in = fopen(b, "r");
	o = fopen(a, "w");
	while (fgets(line, sizeof(line), in))
		if (strncmp(line, "# utc=", 6))
			fputs(line, o);
	fclose(in);
	assert_int_equal(fclose(o), 0);
	copy_file(a, b);
	err = open_memstream(&out, &len);
	dataset_init(&ds, err);
	dataset_read_csvs(&ds, copied, 2);
	fclose(err);
	assert_int_equal(ds.nerr, 2);
	assert_non_null(strstr(out, "a.csv:"));
	assert_non_null(strstr(out, "copy.csv:"));
	assert_non_null(strstr(out, "header lacks utc"));
	free(out);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

static void gzip_reads_like_plain(void **state)
{
	char *dir = test_tmpdir(), plain[4200], gz[4200], buf[4096];
	struct dataset d1, d2;
	struct synth s;
	FILE *in;
	gzFile out;
	size_t n;

	(void)state;
	snprintf(plain, sizeof(plain), "%s/a.csv", dir);
	snprintf(gz, sizeof(gz), "%s/b.csv.gz", dir);
	synth_defaults(&s);
	s.batches = 50;
	assert_int_equal(synth_write(&s, plain), 0);
	in = fopen(plain, "rb");
	assert_non_null(in);
	unlink(gz);
	/* one gzip member per 4 kB: concatenated members are one file */
	while ((n = fread(buf, 1, sizeof(buf), in))) {
		out = gzopen(gz, "ab9");
		assert_non_null(out);
		assert_int_equal(gzwrite(out, buf, (unsigned)n), (int)n);
		assert_int_equal(gzclose(out), Z_OK);
	}
	fclose(in);
	dataset_init(&d1, stderr);
	dataset_init(&d2, stderr);
	assert_int_equal(dataset_read_csv(&d1, plain), 0);
	assert_int_equal(dataset_read_csv(&d2, gz), 0);
	assert_int_equal(d1.nseries, d2.nseries);
	assert_int_equal(d1.file[0].rows, d2.file[0].rows);
	for (size_t i = 0; i < d1.nseries; i++) {
		assert_int_equal(d1.series[i].n, d2.series[i].n);
		assert_memory_equal(d1.series[i].v, d2.series[i].v,
				    d1.series[i].n * sizeof(float));
	}
	dataset_free(&d1);
	dataset_free(&d2);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_is_rejected_with_line_numbers),
		cmocka_unit_test(early_exits_leak_nothing),
		cmocka_unit_test(mixed_schemas_are_refused),
		cmocka_unit_test(hyperfine_needs_its_csv),
		cmocka_unit_test(real_hyperfine_export_is_read),
		cmocka_unit_test(parallel_read_matches_sequential),
		cmocka_unit_test(same_run_twice_is_refused),
		cmocka_unit_test(no_utc_is_refused),
		cmocka_unit_test(gzip_reads_like_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
