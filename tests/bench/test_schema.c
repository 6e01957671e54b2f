/*
 * The result schema (include/uab_schema.h): the one definition writer and
 * readers share. Its rules are checked here as a reader would use them.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "uab_schema.h"

static void column_line_is_the_columns(void **state)
{
	char joined[512] = "";

	(void)state;
	for (int i = 0; i < UAB_NCOLS; i++) {
		if (i)
			strcat(joined, ",");
		strcat(joined, uab_col_names[i]);
	}
	assert_string_equal(UAB_COLUMN_LINE, joined);
	assert_string_equal(UAB_COLUMN_LINE,
			    "schema,boot_id,entry,arch,kernel,smap,smep,pan,"
			    "prot_source,workload,size,round,ops,counter,unit,"
			    "hz,delta,per_op");
}

/* The first nine columns repeat header keys; the rest vary per row. */
static void file_columns_are_header_keys(void **state)
{
	(void)state;
	for (int i = 0; i < UAB_NCOLS; i++) {
		const char *name = uab_col_names[i];

		assert_int_equal(uab_col_from_header[i],
				 i <= UAB_COL_PROT_SOURCE);
		if (uab_col_from_header[i])
			assert_true(uab_key_find(name, strlen(name)) >= 0);
	}
}

static void keys_and_reserved_names(void **state)
{
	(void)state;
	for (int k = 0; k < UAB_NKEYS; k++) {
		const char *name = uab_key_names[k];

		assert_int_equal(uab_key_find(name, strlen(name)), k);
		assert_true(uab_key_reserved(name));
	}
	assert_int_equal(uab_key_find("calib_workload", 14),
			 UAB_KEY_CALIB_WORKLOAD);
	assert_true(uab_key_reserved("vuln.spectre_v2"));
	assert_false(uab_key_reserved("lab.accel"));
	assert_false(uab_key_reserved("seeds"));
	assert_int_equal(uab_key_find("see", 3), -1);
}

static void split(const char *line, const char *key, const char *val)
{
	const char *k, *v;
	size_t kl, vl;

	assert_int_equal(uab_header_split(line, strlen(line), &k, &kl, &v,
					  &vl), 0);
	assert_int_equal(kl, strlen(key));
	assert_memory_equal(k, key, kl);
	assert_int_equal(vl, strlen(val));
	assert_memory_equal(v, val, vl);
}

static void not_header(const char *line)
{
	const char *k, *v;
	size_t kl, vl;

	assert_int_equal(uab_header_split(line, strlen(line), &k, &kl, &v,
					  &vl), -1);
}

static void header_lines(void **state)
{
	(void)state;
	split("# schema=1", "schema", "1");
	split("# lab.accel-x_1=a=b", "lab.accel-x_1", "a=b");
	split("# counter_note=", "counter_note", "");
	not_header("#schema=1");
	not_header("# =1");
	not_header("# a b=1");
	not_header("# schema");
	not_header("schema=1");
}

static void state_words(void **state)
{
	(void)state;
	assert_string_equal(uab_state_words[UAB_STATE_ON], "on");
	assert_string_equal(uab_state_words[UAB_STATE_OFF], "off");
	assert_string_equal(uab_state_words[UAB_STATE_NA], "na");
	assert_string_equal(uab_state_words[UAB_STATE_UNKNOWN], "unknown");
	for (int i = 0; i < UAB_NSTATES; i++) {
		const char *w = uab_state_words[i];

		assert_int_equal(uab_state_find(w, strlen(w)), i);
	}
	assert_int_equal(uab_state_find("ON", 2), -1);
	assert_int_equal(uab_state_find("o", 1), -1);
	assert_int_equal(uab_prot_source_find("module", 6),
			 UAB_PROT_SOURCE_MODULE);
	assert_int_equal(uab_prot_source_find("guess", 5), -1);
}

static void unit_of(const char *counter, const char *unit)
{
	assert_string_equal(
		uab_unit_words[uab_counter_unit(counter, strlen(counter))],
		unit);
}

static void counter_to_unit_rule(void **state)
{
	(void)state;
	unit_of("tsc", "ticks");
	unit_of("cntvct", "ticks");
	unit_of("monotonic_raw", "ns");
	unit_of("cycles", "cycles");
	unit_of("instructions", "instructions");
	unit_of("perf::PERF_COUNT_SW_TASK_CLOCK", "events");
	unit_of("tscx", "events");
	unit_of("ts", "events");
	assert_true(uab_unit_hz_ok(UAB_UNIT_TICKS, 2500000000u));
	assert_false(uab_unit_hz_ok(UAB_UNIT_TICKS, 0));
	assert_true(uab_unit_hz_ok(UAB_UNIT_NS, 0));
	assert_false(uab_unit_hz_ok(UAB_UNIT_EVENTS, 1));
	assert_false(uab_unit_hz_ok(UAB_NUNITS, 0));
}

static void field_rule(void **state)
{
	static const char *const good[] = {
		"6.1.0-28-amd64", "null~2", "perf::PERF_COUNT_SW_TASK_CLOCK",
		"a b", "x",
	};
	static const char *const refused[] = {
		"", "a,b", "a\"b", "a#b", " a", "a ", "a\nb", "a\tb", "a\\b",
		"a\x7f",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(uab_field_ok(good[i], strlen(good[i])));
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (uab_field_ok(refused[i], strlen(refused[i])))
			fail_msg("field '%s' accepted", refused[i]);
}

static void integers(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(uab_parse_u64("0", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(uab_parse_u64("18446744073709551615", 20, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(uab_parse_u64("18446744073709551616", 20, &v), -1);
	assert_int_equal(uab_parse_u64("-1", 2, &v), -1);
	assert_int_equal(uab_parse_u64("", 0, &v), -1);
	assert_int_equal(uab_parse_u64("1a", 2, &v), -1);
	assert_int_equal(uab_parse_u64("+1", 2, &v), -1);
}

/* What the writer prints, the readers accept; one digit off, they refuse. */
static void per_op_precision(void **state)
{
	uint64_t seed = 1;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		uint64_t delta, ops;
		char text[64], off[64];
		double printed;

		seed = seed * 6364136223846793005u + 1442695040888963407u;
		delta = (seed >> 11) >> (seed % 50);
		ops = 1 + ((seed >> 3) % 100000);
		snprintf(text, sizeof(text), UAB_PER_OP_FORMAT,
			 (double)delta / (double)ops);
		assert_true(uab_per_op_form_ok(text, strlen(text)));
		printed = strtod(text, NULL);
		if (!uab_per_op_matches(delta, ops, printed))
			fail_msg("%llu/%llu printed %s refused",
				 (unsigned long long)delta,
				 (unsigned long long)ops, text);
		/*
		 * One in the last digit, away from the exact value, is
		 * refused where doubles hold that digit.
		 */
		if (printed < 1e9) {
			double want = (double)delta / (double)ops;
			double step = printed >= want || printed < 1e-3
				      ? 1.0 / UAB_PER_OP_SCALE
				      : -1.0 / UAB_PER_OP_SCALE;

			snprintf(off, sizeof(off), UAB_PER_OP_FORMAT,
				 printed + step);
			if (uab_per_op_matches(delta, ops, strtod(off, NULL)))
				fail_msg("%llu/%llu: %s accepted for %s",
					 (unsigned long long)delta,
					 (unsigned long long)ops, off, text);
		}
	}
	assert_false(uab_per_op_matches(1, 0, 0));
}

static void per_op_form(void **state)
{
	(void)state;
	assert_true(uab_per_op_form_ok("0.0000", 6));
	assert_true(uab_per_op_form_ok("2510.2770", 9));
	assert_false(uab_per_op_form_ok("2510.277", 8));
	assert_false(uab_per_op_form_ok("2510.27700", 10));
	assert_false(uab_per_op_form_ok("1e3", 3));
	assert_false(uab_per_op_form_ok("-1.0000", 7));
	assert_false(uab_per_op_form_ok(".1234", 5));
	assert_false(uab_per_op_form_ok("12", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(column_line_is_the_columns),
		cmocka_unit_test(file_columns_are_header_keys),
		cmocka_unit_test(keys_and_reserved_names),
		cmocka_unit_test(header_lines),
		cmocka_unit_test(state_words),
		cmocka_unit_test(counter_to_unit_rule),
		cmocka_unit_test(field_rule),
		cmocka_unit_test(integers),
		cmocka_unit_test(per_op_precision),
		cmocka_unit_test(per_op_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
