/*
 * Ops per batch fixed per cell: --iters-map lists and --iters-from result
 * files, and the rule that cells and entries must match one to one.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "iters_map.h"
#include "uab_schema.h"

static struct iters_map m;
static char err[512];

static void cells_of(struct bench_cell *c, int n, const char *const *labels,
		     const size_t *sizes)
{
	memset(c, 0, sizeof(*c) * (size_t)n);
	for (int i = 0; i < n; i++) {
		snprintf(c[i].label, sizeof(c[i].label), "%s", labels[i]);
		c[i].size = sizes[i];
	}
}

static void map_applies(void **state)
{
	static const char *const labels[] = { "null", "null~2", "read" };
	static const size_t sizes[] = { 0, 0, 4096 };
	struct bench_cell c[3];

	(void)state;
	assert_int_equal(iters_map_parse(&m, "read:4096=300,null:0=1200,null~2:0=1100",
					 err, sizeof(err)), 0);
	cells_of(c, 3, labels, sizes);
	assert_int_equal(iters_map_apply(&m, c, 3, err, sizeof(err)), 0);
	assert_int_equal(c[0].iters, 1200);
	assert_int_equal(c[1].iters, 1100);
	assert_int_equal(c[2].iters, 300);
	iters_map_free(&m);
}

static void refused(const char *list, const char *why)
{
	err[0] = '\0';
	assert_int_equal(iters_map_parse(&m, list, err, sizeof(err)), -1);
	if (!strstr(err, why))
		fail_msg("'%s': error '%s' lacks '%s'", list, err, why);
	iters_map_free(&m);
}

static void bad_lists(void **state)
{
	(void)state;
	refused("", "not WORKLOAD:SIZE=OPS");
	refused("null=5", "not WORKLOAD:SIZE=OPS");
	refused("null:0", "not WORKLOAD:SIZE=OPS");
	refused("null:x=5", "not WORKLOAD:SIZE=OPS");
	refused("null:0=5,", "not WORKLOAD:SIZE=OPS");
	refused("null:0=-5", "not WORKLOAD:SIZE=OPS");
	refused("null:0=0", "not in 1..");
	refused("null:0=99999999999999", "not in 1..");
	refused(":0=5", "not a workload label");
	refused("null:0=5,null:0=6", "given twice");
}

/* Entries and cells one to one, or the batches are not the ones asked. */
static void mismatch_refused(void **state)
{
	static const char *const labels[] = { "null", "pipe" };
	static const size_t sizes[] = { 0, 8 };
	struct bench_cell c[2];

	(void)state;
	cells_of(c, 2, labels, sizes);
	assert_int_equal(iters_map_parse(&m, "null:0=5", err, sizeof(err)), 0);
	assert_int_equal(iters_map_apply(&m, c, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no ops per batch for pipe:8"));
	iters_map_free(&m);
	assert_int_equal(iters_map_parse(&m, "null:0=5,pipe:8=3,pipe:64=2",
					 err, sizeof(err)), 0);
	assert_int_equal(iters_map_apply(&m, c, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pipe:64 is no cell of this run"));
	iters_map_free(&m);
}

static char path[] = "/tmp/uab-iters-XXXXXX";

static void write_file(const char *text)
{
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

#define ROW_HEAD "1,b,host,x86_64,6.1,on,on,na,cpuinfo,"

static void reads_result_file(void **state)
{
	static const char *const labels[] = { "null", "pipe" };
	static const size_t sizes[] = { 0, 8 };
	struct bench_cell c[2];

	(void)state;
	write_file("# schema=1\n# entry=host\n"
		   "# columns=x\n"
		   "schema,boot_id,entry,arch,kernel,smap,smep,pan,prot_source,"
		   "workload,size,round,ops,counter,unit,hz,delta,per_op\n"
		   ROW_HEAD "null,0,0,1200,cycles,cycles,0,1,0.0008\n"
		   ROW_HEAD "null,0,0,1200,instructions,instructions,0,1,0.0008\n"
		   ROW_HEAD "pipe,8,0,77,cycles,cycles,0,1,0.0130\n"
		   ROW_HEAD "null,0,1,1200,cycles,cycles,0,1,0.0008\n");
	assert_int_equal(iters_map_read(&m, path, err, sizeof(err)), 0);
	cells_of(c, 2, labels, sizes);
	assert_int_equal(iters_map_apply(&m, c, 2, err, sizeof(err)), 0);
	assert_int_equal(c[0].iters, 1200);
	assert_int_equal(c[1].iters, 77);
	assert_non_null(strstr(m.origin, path));
	iters_map_free(&m);
	unlink(path);
	strcpy(path, "/tmp/uab-iters-XXXXXX");
}

static void file_refused(const char *text, const char *why)
{
	write_file(text);
	err[0] = '\0';
	assert_int_equal(iters_map_read(&m, path, err, sizeof(err)), -1);
	if (!strstr(err, why))
		fail_msg("error '%s' lacks '%s'", err, why);
	iters_map_free(&m);
	unlink(path);
	strcpy(path, "/tmp/uab-iters-XXXXXX");
}

static void bad_files(void **state)
{
	(void)state;
	file_refused("", "no result rows");
	file_refused("hello,world\n", "no column line");
	file_refused("# schema=2\n", "schema 2, not 1");
	file_refused("%s\n", "no column line");
	file_refused("schema,boot_id,entry,arch,kernel,smap,smep,pan,"
		     "prot_source,workload,size,round,ops,counter,unit,hz,"
		     "delta,per_op\n" ROW_HEAD "null,0,0\n", ":2: not a result row");
	file_refused("schema,boot_id,entry,arch,kernel,smap,smep,pan,"
		     "prot_source,workload,size,round,ops,counter,unit,hz,"
		     "delta,per_op\n"
		     ROW_HEAD "null,0,0,1200,cycles,cycles,0,1,0.0008,extra\n",
		     ":2: not a result row");
	file_refused("schema,boot_id,entry,arch,kernel,smap,smep,pan,"
		     "prot_source,workload,size,round,ops,counter,unit,hz,"
		     "delta,per_op\n"
		     ROW_HEAD "null,0,0,1200,cycles,cycles,0,1,0.0008\n"
		     ROW_HEAD "null,0,1,1300,cycles,cycles,0,1,0.0008\n",
		     ":3: null/0 has 1200 and 1300 ops per batch");
	assert_int_equal(iters_map_read(&m, "/nonexistent/r.csv", err,
					sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	iters_map_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_applies),
		cmocka_unit_test(bad_lists),
		cmocka_unit_test(mismatch_refused),
		cmocka_unit_test(reads_result_file),
		cmocka_unit_test(bad_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
