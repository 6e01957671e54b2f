/*
 * The result file writer against the schema: every key once, in the
 * schema's order, the column line, rows readers accept; and values that
 * would make a field readers refuse are stopped before measuring.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "result_file.h"
#include "uab_schema.h"

static struct options opts;
static struct env env;
static struct counter_set cs;
static struct schedule_opts sched = { .batch_s = 1e-4, .seed = 5 };
static struct bench_cell cells[2];
static struct result_inputs in;

static int setup(void **state)
{
	(void)state;
	args_defaults(&opts);
	memset(&env, 0, sizeof(env));
	strcpy(env.host, "h");
	strcpy(env.kernel, "6.1.0-28-amd64");
	strcpy(env.arch, "x86_64");
	strcpy(env.boot_id, "5d0e");
	strcpy(env.prot_source, "cpuinfo");
	env.smap = UAB_STATE_ON;
	env.smep = UAB_STATE_OFF;
	env.pan = UAB_STATE_NA;
	memset(&cs, 0, sizeof(cs));
	cs.n = 1;
	strcpy(cs.desc[0].name, "monotonic_raw");
	cs.desc[0].unit = "ns";
	strcpy(cs.summary, "monotonic_raw");
	memset(cells, 0, sizeof(cells));
	strcpy(cells[0].label, "null");
	strcpy(cells[1].label, "calib");
	in = (struct result_inputs){
		.opts = &opts, .env = &env, .cs = &cs, .sched = &sched,
		.iters = "auto", .min_time_source = "--batches 2",
		.utc_start = "2026-11-27T09:00:00Z",
		.utc_end = "2026-11-27T09:00:01Z", .module = "missing: x",
		.skipped = "", .cells = "null,calib",
		.calib_workload = "calib", .rounds = 1,
	};
	return 0;
}

static void writes_schema(void **state)
{
	struct sample v[2] = { { .cell = 0, .round = 0, .ops = 3 },
			       { .cell = 1, .round = 0, .ops = 7 } };
	uint64_t delta[2] = { 1000, 22 };
	struct samples s = { .v = v, .delta = delta, .ncounters = 1, .n = 2 };
	struct csv_out c = { 0 };
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	int key = 0, rows = 0, columns_seen = 0;

	(void)state;
	c.f = open_memstream(&buf, &len);
	result_file_header(&c, &in);
	result_file_rows(&c, &in, cells, &s);
	fclose(c.f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *k = NULL, *val = NULL;
		size_t kl = 0, vl = 0;

		if (line[0] == '#') {
			assert_int_equal(uab_header_split(line, strlen(line),
							  &k, &kl, &val, &vl), 0);
			/* Keys in the schema's order, none missing. */
			if (key < UAB_NKEYS && strlen(uab_key_names[key]) == kl &&
			    !memcmp(k, uab_key_names[key], kl))
				key++;
			continue;
		}
		if (!columns_seen) {
			assert_string_equal(line, UAB_COLUMN_LINE);
			columns_seen = 1;
			continue;
		}
		rows++;
		assert_string_equal(line, rows == 1
			? "1,5d0e,host,x86_64,6.1.0-28-amd64,on,off,na,cpuinfo,null,0,0,3,monotonic_raw,ns,0,1000,333.3333"
			: "1,5d0e,host,x86_64,6.1.0-28-amd64,on,off,na,cpuinfo,calib,0,0,7,monotonic_raw,ns,0,22,3.1429");
	}
	assert_int_equal(key, UAB_NKEYS);
	assert_int_equal(rows, 2);
	free(buf);
}

/* failed_batches: only when a batch was discarded, before the columns. */
static void failed_batches_only_when_any(void **state)
{
	struct csv_out c = { 0 };
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	c.f = open_memstream(&buf, &len);
	result_file_header(&c, &in);
	fclose(c.f);
	assert_null(strstr(buf, UAB_KEY_FAILED_BATCHES));
	free(buf);
	in.failed_batches = "2 (first: null/0 round 3: counter tsc ran backwards, 9 to 8)";
	c.f = open_memstream(&buf, &len);
	result_file_header(&c, &in);
	fclose(c.f);
	assert_non_null(strstr(buf, "\n# failed_batches=2 (first: null/0 round 3: "
				    "counter tsc ran backwards, 9 to 8)\n"));
	assert_true(strstr(buf, "# failed_batches=") < strstr(buf, "# columns="));
	free(buf);
	in.failed_batches = NULL;
}

static void refused_before_measuring(const char *why)
{
	char err[512] = "";

	assert_int_equal(result_file_check_fields(&in, cells, 2, err,
						  sizeof(err)), -1);
	if (!strstr(err, why))
		fail_msg("error '%s' lacks '%s'", err, why);
}

static void bad_fields_refused(void **state)
{
	char err[512];

	(void)state;
	assert_int_equal(result_file_check_fields(&in, cells, 2, err,
						  sizeof(err)), 0);
	strcpy(env.kernel, "6.1,custom");
	refused_before_measuring("kernel release '6.1,custom'");
	strcpy(env.kernel, "6.1");
	strcpy(env.boot_id, "");
	refused_before_measuring("boot_id ''");
	strcpy(env.boot_id, "b");
	strcpy(env.arch, "x86 ");
	refused_before_measuring("arch 'x86 '");
	strcpy(env.arch, "x86_64");
	strcpy(cs.desc[0].name, "ev\"1");
	refused_before_measuring("counter 'ev\"1'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(writes_schema, setup),
		cmocka_unit_test_setup(bad_fields_refused, setup),
		cmocka_unit_test_setup(failed_batches_only_when_any, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
