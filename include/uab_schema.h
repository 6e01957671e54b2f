/*
 * Result file schema 1 (data/README.md): the one definition of what
 * uabench writes and every reader checks. Columns, header keys, state
 * words, units, the counter-to-unit rule, the field rule (rows are never
 * quoted) and the per_op precision live here and nowhere else.
 *
 * Header-only and standard C only (C11, no libm), so any reader can
 * include it without bench code: -I<top>/include, #include "uab_schema.h".
 * The lists are X-macros, as stress-ng's STRESSORS(): expand them for
 * enums, tables or string literals.
 *
 * The reader (analysis/src/csv_read.c: uareport, uareport --validate and
 * the lab's verdict, uareport --validate --expect) does, in full:
 *  - header lines: uab_header_split(); a key twice is an error; every
 *    uab_key_names[] key must be there (reserved for --meta:
 *    uab_key_reserved()); schema must be UAB_SCHEMA_VERSION_STR; the calib
 *    cell is the workload named by calib_workload, never matched by name;
 *  - the first other line must equal UAB_COLUMN_LINE;
 *  - a row is split at ',' only (never quoted) into UAB_NCOLS fields,
 *    indexed by enum uab_col; each must pass uab_field_ok(); a column
 *    with uab_col_from_header[] set equals the header key of its name;
 *  - states: uab_state_find(), uab_prot_source_find(); integers:
 *    uab_parse_u64(); unit: uab_counter_unit() of the counter, then
 *    uab_unit_hz_ok(); per_op: uab_per_op_form_ok() and
 *    uab_per_op_matches(delta, ops, per_op).
 */
#ifndef UAB_SCHEMA_H
#define UAB_SCHEMA_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define UAB_SCHEMA_VERSION	1
#define UAB_SCHEMA_VERSION_STR	"1"

/*
 * Columns, in file order. FILE columns hold the same value in every row of
 * a file, equal to the header key of the same name (repeated so that files
 * can be concatenated); ROW columns vary.
 */
#define UAB_COLUMNS(X)					\
	X(SCHEMA,	"schema",	FILE)		\
	X(BOOT_ID,	"boot_id",	FILE)		\
	X(ENTRY,	"entry",	FILE)		\
	X(ARCH,		"arch",		FILE)		\
	X(KERNEL,	"kernel",	FILE)		\
	X(SMAP,		"smap",		FILE)		\
	X(SMEP,		"smep",		FILE)		\
	X(PAN,		"pan",		FILE)		\
	X(PROT_SOURCE,	"prot_source",	FILE)		\
	X(WORKLOAD,	"workload",	ROW)		\
	X(SIZE,		"size",		ROW)		\
	X(ROUND,	"round",	ROW)		\
	X(OPS,		"ops",		ROW)		\
	X(COUNTER,	"counter",	ROW)		\
	X(UNIT,		"unit",		ROW)		\
	X(HZ,		"hz",		ROW)		\
	X(DELTA,	"delta",	ROW)		\
	X(PER_OP,	"per_op",	ROW)

/* X-macro pickers: one field of a list row, as an initialiser item. */
#define UAB_ENUM_COL(id, name, kind)	UAB_COL_##id,
#define UAB_ENUM_KEY(id, name)		UAB_KEY_##id,
#define UAB_ENUM_STATE(id, word)	UAB_STATE_##id,
#define UAB_ENUM_PROT_SOURCE(id, word)	UAB_PROT_SOURCE_##id,
#define UAB_ENUM_UNIT(id, word, hz)	UAB_UNIT_##id,
#define UAB_ENUM_COUNTER(id, name, unit) UAB_COUNTER_##id,
#define UAB_2ND_OF_2(a, b)		b,
#define UAB_2ND_OF_3(a, b, c)		b,
#define UAB_COL_IS_FILE(id, name, kind)	UAB_COL_KIND_##kind,
#define UAB_UNIT_HAS_HZ(id, word, hz)	hz,
#define UAB_COUNTER_UNIT(id, name, unit) UAB_UNIT_##unit,

/* Index of s[0..len) in words[0..n), or -1: every word lookup. */
static inline int uab_index_of(const char *const *words, int n,
			       const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(words[i]) == len && !memcmp(words[i], s, len))
			return i;
	return -1;
}

enum uab_col { UAB_COLUMNS(UAB_ENUM_COL) UAB_NCOLS };

/* Column names by enum uab_col. */
static const char *const uab_col_names[UAB_NCOLS] = {
	UAB_COLUMNS(UAB_2ND_OF_3)
};

/* 1 where the column repeats the header key of the same name. */
enum { UAB_COL_KIND_ROW = 0, UAB_COL_KIND_FILE = 1 };
static const unsigned char uab_col_from_header[UAB_NCOLS] = {
	UAB_COLUMNS(UAB_COL_IS_FILE)
};

/* The column line as a string literal: "schema,boot_id,...,per_op". */
#define UAB_COL_WITH_COMMA(id, name, kind)	"," name
#define UAB_COLUMN_LINE	(&UAB_COLUMNS(UAB_COL_WITH_COMMA)[1])

/*
 * Header keys uabench writes, each exactly once, in this order ('vuln.*'
 * lines follow bufsize, --meta keys come before columns). A reader must
 * find every one; --meta may use none of them, nor the 'vuln.' prefix.
 */
#define UAB_HEADER_KEYS(X)				\
	X(SCHEMA,		"schema")		\
	X(TOOL,			"tool")			\
	X(VERSION,		"version")		\
	X(GIT,			"git")			\
	X(UTC,			"utc")			\
	X(UTC_END,		"utc_end")		\
	X(HOST,			"host")			\
	X(KERNEL,		"kernel")		\
	X(ARCH,			"arch")			\
	X(CMDLINE,		"cmdline")		\
	X(CPU_MODEL,		"cpu_model")		\
	X(BOOT_ID,		"boot_id")		\
	X(GOVERNOR,		"governor")		\
	X(SMAP,			"smap")			\
	X(SMEP,			"smep")			\
	X(PAN,			"pan")			\
	X(PAN_KIND,		"pan_kind")		\
	X(PROT_SOURCE,		"prot_source")		\
	X(MODULE,		"module")		\
	X(BUFSIZE,		"bufsize")		\
	X(INJECT_TICKS,		"inject_ticks")		\
	X(CALIBRATE_TICKS,	"calibrate_ticks")	\
	X(ENTRY,		"entry")		\
	X(SEED,			"seed")			\
	X(COUNTER,		"counter")		\
	X(COUNTER_NOTE,		"counter_note")		\
	X(TSC_HZ,		"tsc_hz")		\
	X(TSC_HZ_SOURCE,	"tsc_hz_source")	\
	X(CPU,			"cpu")			\
	X(ITERS,		"iters")		\
	X(COUNTER_READ_NS,	"counter_read_ns")	\
	X(BATCH_TARGET_US,	"batch_target_us")	\
	X(WARMUP_MS,		"warmup_ms")		\
	X(ROUNDS,		"rounds")		\
	X(MIN_TIME,		"min_time")		\
	X(MIN_TIME_SOURCE,	"min_time_source")	\
	X(CELLS,		"cells")		\
	X(SKIPPED,		"skipped")		\
	X(CALIB_WORKLOAD,	"calib_workload")	\
	X(COLUMNS,		"columns")

enum uab_key { UAB_HEADER_KEYS(UAB_ENUM_KEY) UAB_NKEYS };

#define UAB_KEY_PREFIX_VULN	"vuln."

/*
 * A header key uabench writes only when some batch was discarded (files
 * from before it, and runs without one, lack it): how many, and why the
 * first was. Reserved: --meta may not use it.
 */
#define UAB_KEY_FAILED_BATCHES	"failed_batches"

/* Header key names by enum uab_key. */
static const char *const uab_key_names[UAB_NKEYS] = {
	UAB_HEADER_KEYS(UAB_2ND_OF_2)
};

/* The key of s[0..len), or -1 when uabench does not write it itself. */
static inline int uab_key_find(const char *s, size_t len)
{
	return uab_index_of(uab_key_names, UAB_NKEYS, s, len);
}

/* 1 if uabench writes key (NUL-terminated) itself: --meta may not. */
static inline int uab_key_reserved(const char *key)
{
	return uab_key_find(key, strlen(key)) >= 0 ||
	       !strcmp(key, UAB_KEY_FAILED_BATCHES) ||
	       !strncmp(key, UAB_KEY_PREFIX_VULN,
			sizeof(UAB_KEY_PREFIX_VULN) - 1);
}

/* Header keys are letters, digits, '_', '.' and '-'. */
static inline int uab_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
	       ch == '-';
}

/*
 * A header line is "# key=value" (the value escaped to one line: \\ \n
 * \r \xHH). Splits line[0..len) (no newline) into key and value; returns
 * 0, or -1 when it is not such a line.
 */
static inline int uab_header_split(const char *line, size_t len,
				   const char **key, size_t *key_len,
				   const char **val, size_t *val_len)
{
	size_t i = 2;

	if (len < 2 || line[0] != '#' || line[1] != ' ')
		return -1;
	while (i < len && uab_key_char(line[i]))
		i++;
	if (i == 2 || i == len || line[i] != '=')
		return -1;
	*key = line + 2;
	*key_len = i - 2;
	*val = line + i + 1;
	*val_len = len - i - 1;
	return 0;
}

/* Protection state words of the smap, smep and pan keys and columns. */
#define UAB_STATES(X)			\
	X(UNKNOWN,	"unknown")	\
	X(OFF,		"off")		\
	X(ON,		"on")		\
	X(NA,		"na")	/* not on this architecture */

enum uab_state { UAB_STATES(UAB_ENUM_STATE) UAB_NSTATES };

static const char *const uab_state_words[UAB_NSTATES] = {
	UAB_STATES(UAB_2ND_OF_2)
};

/* The state s[0..len) names, or -1. */
static inline int uab_state_find(const char *s, size_t len)
{
	return uab_index_of(uab_state_words, UAB_NSTATES, s, len);
}

#ifdef _UAPI_UACCESS_BENCH_H
/* The state of a helper-module UAB_PROT_* value (include the uapi first). */
static inline enum uab_state uab_state_of_prot(uint32_t v)
{
	switch (v) {
	case UAB_PROT_OFF:
		return UAB_STATE_OFF;
	case UAB_PROT_ON:
		return UAB_STATE_ON;
	case UAB_PROT_NA:
		return UAB_STATE_NA;
	default:
		return UAB_STATE_UNKNOWN;
	}
}

static inline const char *uab_prot_word(uint32_t v)
{
	return uab_state_words[uab_state_of_prot(v)];
}
#endif

/*
 * How PAN is provided, the pan_kind key: the first four in the order of the
 * module's UAB_PAN_* values.
 */
#define UAB_PAN_KINDS(X)		\
	X(NONE,		"none")		\
	X(HW,		"hw")	/* ARMv8.1 PSTATE.PAN */		\
	X(TTBR0,	"ttbr0")	/* arm64 TTBR0 switching */	\
	X(DOMAIN,	"domain")	/* ARMv7 domain access control */ \
	X(NA,		"na")	/* not on this architecture */	\
	X(UNKNOWN,	"unknown")

#define UAB_ENUM_PAN_KIND(id, word)	UAB_PAN_KIND_##id,
enum uab_pan_kind { UAB_PAN_KINDS(UAB_ENUM_PAN_KIND) UAB_NPAN_KINDS };

static const char *const uab_pan_kind_words[UAB_NPAN_KINDS] = {
	UAB_PAN_KINDS(UAB_2ND_OF_2)
};

static inline int uab_pan_kind_find(const char *s, size_t len)
{
	return uab_index_of(uab_pan_kind_words, UAB_NPAN_KINDS, s, len);
}

#ifdef _UAPI_UACCESS_BENCH_H
/* The word of a helper-module UAB_PAN_* value. */
static inline const char *uab_pan_kind_of_module(uint32_t v)
{
	return v <= UAB_PAN_DOMAIN ? uab_pan_kind_words[v]
				   : uab_pan_kind_words[UAB_PAN_KIND_UNKNOWN];
}

/* The pan_kind word of a module status: na where PAN itself is. */
static inline const char *uab_pan_kind_of_status(const struct uab_status *st)
{
	return uab_state_of_prot(st->pan) == UAB_STATE_NA
		? uab_pan_kind_words[UAB_PAN_KIND_NA]
		: uab_pan_kind_of_module(st->pan_kind);
}
#endif

/* Where the state was read: prot_source key and column. */
#define UAB_PROT_SOURCES(X)		\
	X(MODULE,	"module")	\
	X(CPUINFO,	"cpuinfo")

enum uab_prot_source {
	UAB_PROT_SOURCES(UAB_ENUM_PROT_SOURCE) UAB_NPROT_SOURCES
};

static const char *const uab_prot_source_words[UAB_NPROT_SOURCES] = {
	UAB_PROT_SOURCES(UAB_2ND_OF_2)
};

static inline int uab_prot_source_find(const char *s, size_t len)
{
	return uab_index_of(uab_prot_source_words, UAB_NPROT_SOURCES, s, len);
}

/*
 * Units of the unit column. Only ticks carry a frequency: hz > 0 for
 * ticks (ns = delta / hz * 1e9), hz = 0 for every other unit.
 */
#define UAB_UNITS(X)					\
	X(TICKS,	"ticks",	1)		\
	X(NS,		"ns",		0)		\
	X(CYCLES,	"cycles",	0)		\
	X(INSTRUCTIONS,	"instructions",	0)		\
	X(EVENTS,	"events",	0)

enum uab_unit { UAB_UNITS(UAB_ENUM_UNIT) UAB_NUNITS };

static const char *const uab_unit_words[UAB_NUNITS] = {
	UAB_UNITS(UAB_2ND_OF_3)
};

/* 1 if hz is what a row of unit u must carry. */
static inline int uab_unit_hz_ok(enum uab_unit u, uint64_t hz)
{
	static const unsigned char has_hz[UAB_NUNITS] = {
		UAB_UNITS(UAB_UNIT_HAS_HZ)
	};

	return (unsigned)u < UAB_NUNITS && (has_hz[u] ? hz > 0 : hz == 0);
}

/*
 * Counters with a fixed name and the unit each one is counted in. Any
 * other counter name is a libpfm4 event (--events), counted in events.
 */
#define UAB_COUNTERS(X)						\
	X(TSC,		"tsc",		TICKS)	/* x86 */	\
	X(CNTVCT,	"cntvct",	TICKS)	/* arm64 */	\
	X(MONOTONIC_RAW, "monotonic_raw", NS)			\
	X(CYCLES,	"cycles",	CYCLES)	/* perf */	\
	X(INSTRUCTIONS,	"instructions",	INSTRUCTIONS)

enum uab_counter { UAB_COUNTERS(UAB_ENUM_COUNTER) UAB_NCOUNTERS };

static const char *const uab_counter_names[UAB_NCOUNTERS] = {
	UAB_COUNTERS(UAB_2ND_OF_3)
};

/* The unit of counter name[0..len): the counter-to-unit rule. */
static inline enum uab_unit uab_counter_unit(const char *name, size_t len)
{
	static const enum uab_unit units[UAB_NCOUNTERS] = {
		UAB_COUNTERS(UAB_COUNTER_UNIT)
	};
	int i = uab_index_of(uab_counter_names, UAB_NCOUNTERS, name, len);

	return i < 0 ? UAB_UNIT_EVENTS : units[i];
}

/*
 * Rows are never quoted. A field is non-empty, holds no control
 * character, ',', '"', '#' (pandas' comment="#" would cut the row there)
 * or '\\' (so a FILE column reads the same as its escaped header line),
 * and starts and ends with no space. The writer refuses a value that
 * breaks this before measuring; a reader refuses such a field.
 */
#define UAB_FIELD_RULE \
	"non-empty, no ',', '\"', '#', '\\', control characters or outer spaces"

static inline int uab_field_ok(const char *s, size_t len)
{
	if (!len || s[0] == ' ' || s[len - 1] == ' ')
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f || ch == ',' || ch == '"' ||
		    ch == '#' || ch == '\\')
			return 0;
	}
	return 1;
}

/* Unsigned decimal integer s[0..len): digits only, no sign, no overflow. */
static inline int uab_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * The largest delta of one batch. uabench writes after - before as an
 * unsigned number, so a counter that ran backwards (a TSC reset, a
 * migration between unsynchronised counters, a broken virtual counter)
 * would give about 2^64. 2^53 ticks are 20 days at 5 GHz, far beyond any
 * batch, and the last integer a double holds exactly: uabench discards a
 * batch above it and readers refuse one.
 */
#define UAB_DELTA_MAX		(UINT64_C(1) << 53)
#define UAB_DELTA_MAX_STR	"2^53"

/* per_op = delta / ops, printed with exactly 4 decimals (all three agree). */
#define UAB_PER_OP_DECIMALS	4
#define UAB_PER_OP_SCALE	1e4
#define UAB_PER_OP_FORMAT	"%.4f"

/* 1 if s[0..len) has the form per_op is printed in: digits.dddd */
static inline int uab_per_op_form_ok(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || i + 1 + UAB_PER_OP_DECIMALS != len || s[i] != '.')
		return 0;
	for (i++; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * 1 if per_op (as parsed from the row) is delta / ops rounded to
 * UAB_PER_OP_DECIMALS: within half the last printed digit, plus the
 * rounding of two doubles when the value is large.
 */
static inline int uab_per_op_matches(uint64_t delta, uint64_t ops,
				     double per_op)
{
	double want, diff;

	if (!ops)
		return 0;
	want = (double)delta / (double)ops;
	diff = per_op > want ? per_op - want : want - per_op;
	return diff <= 0.5 / UAB_PER_OP_SCALE + want * 4 * DBL_EPSILON;
}

#endif
