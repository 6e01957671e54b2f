/*
 * The malformed corpus in bad/: every file is rejected with the line and
 * message listed in bad/EXPECTED (.csv.gz ones too: truncated or corrupt
 * compressed data is an error, never a shorter run), and every file there
 * is listed. Plus mixed schema versions, hyperfine files without their
 * CSV, runs given twice (with or without a utc line) and gzip reading.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Messages uareport gives for one file, read as the CLI would. */
static char *messages_for(const char *name, const char *scratch)
{
	char path[4200], *out = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&out, &len);
	struct dataset ds;

	dataset_init(&ds, err);
	if (ends_with(name, ".hyperfine.json")) {
		/* a hyperfine file belongs to the boot of <stem>.csv */
		char csv[4200], src[4200];
		struct synth s;

		snprintf(path, sizeof(path), "%s/%s", scratch, name);
		snprintf(csv, sizeof(csv), "%.*s.csv",
			 (int)(strlen(path) - strlen(".hyperfine.json")), path);
		synth_defaults(&s);
		s.batches = 3;
		assert_int_equal(synth_write(&s, csv), 0);
		snprintf(src, sizeof(src), "%s/%s", bad_dir(), name);
		copy_file(src, path);
		assert_int_equal(dataset_read_csv(&ds, csv), 0);
		assert_int_equal(dataset_read_hyperfine(&ds, path), -1);
	} else {
		snprintf(path, sizeof(path), "%s/%s", bad_dir(), name);
		assert_int_equal(dataset_read_csv(&ds, path), -1);
	}
	fclose(err);
	dataset_free(&ds);
	return out;
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
		char *name = line, *ln, *msg, want[1200];
		char *got;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		ln = strchr(name, ':');
		assert_non_null(ln);
		*ln++ = '\0';
		msg = strchr(ln, ':');
		assert_non_null(msg);
		*msg++ = '\0';
		got = messages_for(name, scratch);
		snprintf(want, sizeof(want), "%s:%s: ", name, ln);
		if (!strstr(got, want) || !strstr(got, msg))
			fail_msg("%s: expected line %s with \"%s\", got: %s", name, ln,
				 msg, got);
		free(got);
		listed++;
	}
	fclose(exp);
	d = opendir(bad_dir());
	assert_non_null(d);
	while ((de = readdir(d)))
		files += ends_with(de->d_name, ".csv") ||
			 ends_with(de->d_name, ".csv.gz") ||
			 ends_with(de->d_name, ".hyperfine.json");
	closedir(d);
	assert_int_equal(listed, files);	/* nothing in bad/ goes untested */
	test_rmtree(scratch);
	free(scratch);
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
	fputs("# schema=2\nschema,boot_id,entry,arch,kernel,smap,smep,pan,prot_source,"
	      "workload,size,round,ops,counter,unit,hz,delta,per_op\n"
	      "2,b,e,x86_64,k,on,on,na,module,read,64,0,1,tsc,ticks,0,5,5.000\n", f);
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

/* Without '# utc=' two runs of a boot and one file twice look alike. */
static void no_utc_twice_is_refused(void **state)
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
	assert_int_equal(ds.nerr, 1);
	assert_non_null(strstr(out, "copy.csv: same entry and boot as"));
	assert_non_null(strstr(out, "no '# utc=' line"));
	free(out);
	dataset_free(&ds);
	test_rmtree(dir);
	free(dir);
}

/* A .csv.gz is read through zlib: the same samples as the plain file. */
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
	out = gzopen(gz, "wb9");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)))
		assert_int_equal(gzwrite(out, buf, (unsigned)n), (int)n);
	fclose(in);
	assert_int_equal(gzclose(out), Z_OK);
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
		cmocka_unit_test(mixed_schemas_are_refused),
		cmocka_unit_test(hyperfine_needs_its_csv),
		cmocka_unit_test(real_hyperfine_export_is_read),
		cmocka_unit_test(parallel_read_matches_sequential),
		cmocka_unit_test(same_run_twice_is_refused),
		cmocka_unit_test(no_utc_twice_is_refused),
		cmocka_unit_test(gzip_reads_like_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
