/* CSV writer: plain fields, header escaping, temp file + rename, no overwrite. */
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"

static char dir[] = "/tmp/uab-csv-XXXXXX";
static char err[512];

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' || strlen(e->d_name) > 2;
	closedir(d);
	return n;
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void field_text(const char *in, int first, const char *want)
{
	struct csv_out c = { 0 };
	char *buf = NULL;
	size_t len = 0;

	c.f = open_memstream(&buf, &len);
	csv_field(&c, in, first);
	fclose(c.f);
	assert_string_equal(buf, want);
	free(buf);
}

/* Rows are never quoted: callers pass only fields the schema allows. */
static void fields_as_they_are(void **state)
{
	(void)state;
	field_text("plain", 1, "plain");
	field_text("plain", 0, ",plain");
	field_text("perf::PERF_COUNT_SW_TASK_CLOCK", 0,
		   ",perf::PERF_COUNT_SW_TASK_CLOCK");
}

static void header_one_line(void **state)
{
	struct csv_out c = { 0 };
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	c.f = open_memstream(&buf, &len);
	csv_header(&c, "cmdline", "a\nb\\c\rd\te");
	fclose(c.f);
	assert_string_equal(buf, "# cmdline=a\\nb\\\\c\\rd\\x09e\n");
	free(buf);
}

static void escape_truncates_whole(void **state)
{
	char out[6];

	(void)state;
	/* Never half an escape sequence at the end. */
	csv_escape_line("abcd\n", out, sizeof(out));
	assert_string_equal(out, "abcd");
}

static void commit_renames(void **state)
{
	struct csv_out c;
	char path[600], buf[256];
	struct stat st;

	(void)state;
	umask(022);
	snprintf(path, sizeof(path), "%s/r.csv", dir);
	assert_int_equal(csv_open(&c, path, err, sizeof(err)), 0);
	/* Only the temporary file exists while writing. */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_entries(), 1);
	csv_header(&c, "schema", "1");
	csv_field(&c, "x", 1);
	csv_end_row(&c);
	assert_int_equal(csv_commit(&c, err, sizeof(err)), 0);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "# schema=1\nx\n");
	/* Mode from the umask (022 here), not mkstemp's 0600. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(count_entries(), 1);
	unlink(path);
}

static void refuses_existing(void **state)
{
	struct csv_out c;
	char path[600], buf[64];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/done.csv", dir);
	f = fopen(path, "w");
	fputs("finished\n", f);
	fclose(f);
	assert_int_equal(csv_open(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refusing to overwrite"));
	assert_int_equal(count_entries(), 1);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "finished\n");
	unlink(path);
}

static void target_appears_during_run(void **state)
{
	struct csv_out c;
	char path[600], buf[64], tmp[4096];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/race.csv", dir);
	assert_int_equal(csv_open(&c, path, err, sizeof(err)), 0);
	snprintf(tmp, sizeof(tmp), "%s", c.tmp);
	f = fopen(path, "w");
	fputs("other\n", f);
	fclose(f);
	csv_header(&c, "schema", "1");
	assert_int_equal(csv_commit(&c, err, sizeof(err)), -1);
	/* uabench cleans up with csv_abort on every error path. */
	csv_abort(&c);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "other\n");
	/* Our finished result is kept, and the message says where. */
	assert_non_null(strstr(err, tmp));
	slurp(tmp, buf, sizeof(buf));
	assert_string_equal(buf, "# schema=1\n");
	unlink(tmp);
	unlink(path);
}

static void abort_removes_temp(void **state)
{
	struct csv_out c;
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/gone.csv", dir);
	assert_int_equal(csv_open(&c, path, err, sizeof(err)), 0);
	fclose(c.f);
	csv_abort(&c);
	assert_int_equal(count_entries(), 0);
}

static void missing_directory(void **state)
{
	struct csv_out c;
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/r.csv", dir);
	assert_int_equal(csv_open(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "temporary"));
}

/* Refused before the run, not by the rename after it. */
static void name_too_long(void **state)
{
	struct csv_out c;
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/%0300d.csv", dir, 0);
	assert_int_equal(csv_open(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too long"));
	assert_int_equal(count_entries(), 0);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields_as_they_are),
		cmocka_unit_test(header_one_line),
		cmocka_unit_test(escape_truncates_whole),
		cmocka_unit_test(commit_renames),
		cmocka_unit_test(refuses_existing),
		cmocka_unit_test(target_appears_during_run),
		cmocka_unit_test(abort_removes_temp),
		cmocka_unit_test(missing_directory),
		cmocka_unit_test(name_too_long),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
