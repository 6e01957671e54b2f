/* Argument parsing: every option, both spellings, every rejection. */
#include "test.h"

#include "args.h"

static struct options o;
static char err[256];

static int parse(int argc, const char **argv)
{
	args_defaults(&o);
	err[0] = '\0';
	return args_parse(&o, argc, (char **)argv, err, sizeof(err));
}

#define PARSE(...)                                                          \
	({                                                                  \
		const char *av_[] = { "uabench", __VA_ARGS__ };             \
		parse((int)(sizeof(av_) / sizeof(av_[0])), av_);            \
	})

static void defaults(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--list"), 0);
	assert_true(o.list);
	assert_int_equal(o.nsizes, 6);
	assert_int_equal(o.sizes[0], 8);
	assert_int_equal(o.sizes[5], 65536);
	assert_int_equal(o.cpu, -1);
	assert_string_equal(o.entry, "host");
	assert_string_equal(o.device, "/dev/uaccess_bench");
	assert_null(o.out);
	assert_int_equal(o.iters, 0);
	assert_int_equal(o.batches, 0);
	assert_false(o.seed_set);
}

static void every_option(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--bench", "null,pipe", "--sizes=8,4K,1M",
			       "--iters", "100", "--min-time=0.5", "--cpu", "1",
			       "--out", "r.csv", "--events",
			       "perf::PERF_COUNT_SW_CPU_CLOCK", "--seed", "0x10",
			       "--entry=smap-on", "--meta", "matrix=x86",
			       "--meta", "expect=a=b", "--device", "/dev/x"),
			 0);
	assert_int_equal(o.nbench, 2);
	assert_string_equal(o.bench[0], "null");
	assert_string_equal(o.bench[1], "pipe");
	assert_int_equal(o.nsizes, 3);
	assert_int_equal(o.sizes[1], 4096);
	assert_int_equal(o.sizes[2], 1 << 20);
	assert_int_equal(o.iters, 100);
	assert_true(o.min_time > 0.49 && o.min_time < 0.51);
	assert_int_equal(o.cpu, 1);
	assert_string_equal(o.out, "r.csv");
	assert_int_equal(o.nevents, 1);
	assert_int_equal(o.seed, 16);
	assert_true(o.seed_set);
	assert_string_equal(o.entry, "smap-on");
	assert_int_equal(o.nmeta, 2);
	assert_string_equal(o.meta[0].key, "matrix");
	assert_string_equal(o.meta[0].value, "x86");
	/* Only the first '=' splits: values may hold '='. */
	assert_string_equal(o.meta[1].key, "expect");
	assert_string_equal(o.meta[1].value, "a=b");
	assert_string_equal(o.device, "/dev/x");
}

static void repeated_names_kept(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--bench", "null,null"), 0);
	assert_int_equal(o.nbench, 2);
	assert_string_equal(o.bench[1], "null");
	/* A second --bench replaces the first, like every other option. */
	assert_int_equal(PARSE("--bench", "pipe", "--bench", "null"), 0);
	assert_int_equal(o.nbench, 1);
	assert_string_equal(o.bench[0], "null");
}

static void batches(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--batches", "7"), 0);
	assert_int_equal(o.batches, 7);
}

static void leading_zero_is_decimal(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--sizes", "010,08", "--iters", "010"), 0);
	assert_int_equal(o.sizes[0], 10);
	assert_int_equal(o.sizes[1], 8);
	assert_int_equal(o.iters, 10);
}

static void rejects(const char *want, int argc, const char **argv)
{
	assert_int_equal(parse(argc, argv), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' does not mention '%s'", err, want);
	assert_null(strchr(err, '\n'));
}

#define REJECT(want, ...)                                                   \
	do {                                                                \
		const char *av_[] = { "uabench", __VA_ARGS__ };             \
		rejects(want, (int)(sizeof(av_) / sizeof(av_[0])), av_);    \
	} while (0)

static void bad_arguments(void **state)
{
	(void)state;
	REJECT("--frob", "--frob");
	REJECT("stray", "stray");
	REJECT("--sizes needs a value", "--sizes");
	REJECT("--sizes", "--sizes", "0");
	REJECT("--sizes", "--sizes", "8,,64");
	REJECT("--sizes", "--sizes", "8,");
	REJECT("--sizes", "--sizes", "abc");
	REJECT("--sizes", "--sizes", "-8");
	REJECT("--sizes", "--sizes", "17M");
	REJECT("--sizes", "--sizes", "4G");
	REJECT("4096 bytes given twice", "--sizes", "8,4K,4096");
	REJECT("--iters", "--iters", "0");
	REJECT("--iters", "--iters", "12x");
	REJECT("--batches", "--batches", "");
	REJECT("--cpu", "--cpu", "-1");
	REJECT("--cpu", "--cpu", "1024");
	REJECT("--min-time", "--min-time", "0");
	REJECT("--min-time", "--min-time", "-1");
	REJECT("--min-time", "--min-time", "nan");
	REJECT("--min-time", "--min-time", "1s");
	REJECT("exclude", "--batches", "3", "--min-time", "1");
	REJECT("--seed", "--seed", "1x");
	REJECT("--seed", "--seed", "99999999999999999999999");
	REJECT("--meta", "--meta", "novalue");
	REJECT("--meta", "--meta", "=v");
	REJECT("--meta", "--meta", "bad key=v");
	REJECT("--meta", "--meta", "k=line\nbreak");
	REJECT("'k' given twice", "--meta", "k=1", "--meta", "k=2");
	REJECT("--entry", "--entry", "");
	REJECT("'#'", "--entry", "smap#1");
	REJECT("--entry", "--entry", "smap,on");
	REJECT("--entry", "--entry", "smap\"on");
	REJECT("--entry", "--entry", " smap");
	REJECT("--entry", "--entry", "smap ");
	REJECT("--out", "--out=");
	REJECT("--bench", "--bench", "null,");
	REJECT("--bench", "--bench", ",null");
	REJECT("--events", "--events", "a,b,c,d,e,f,g");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(every_option),
		cmocka_unit_test(repeated_names_kept),
		cmocka_unit_test(batches),
		cmocka_unit_test(leading_zero_is_decimal),
		cmocka_unit_test(bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
