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

#define UAB_COL_ENUM(id, name, kind)	UAB_COL_##id,
enum uab_col { UAB_COLUMNS(UAB_COL_ENUM) UAB_NCOLS };
#undef UAB_COL_ENUM

/* The column line as a string literal: "schema,boot_id,...,per_op". */
#define UAB_COL_WITH_COMMA(id, name, kind)	"," name
#define UAB_COLUMN_LINE	(&UAB_COLUMNS(UAB_COL_WITH_COMMA)[1])

static inline const char *uab_col_name(enum uab_col c)
{
#define UAB_COL_NAME(id, name, kind)	name,
	static const char *const names[UAB_NCOLS] = {
		UAB_COLUMNS(UAB_COL_NAME)
	};
#undef UAB_COL_NAME
	return (unsigned)c < UAB_NCOLS ? names[c] : NULL;
}

/* 1 if column c repeats the header key of the same name in every row. */
static inline int uab_col_from_header(enum uab_col c)
{
#define UAB_COL_KIND(id, name, kind)	[UAB_COL_##id] = UAB_KIND_##kind,
	enum { UAB_KIND_ROW, UAB_KIND_FILE };
	static const unsigned char kinds[UAB_NCOLS] = {
		UAB_COLUMNS(UAB_COL_KIND)
	};
#undef UAB_COL_KIND
	return (unsigned)c < UAB_NCOLS && kinds[c] == UAB_KIND_FILE;
}

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

#define UAB_KEY_ENUM(id, name)	UAB_KEY_##id,
enum uab_key { UAB_HEADER_KEYS(UAB_KEY_ENUM) UAB_NKEYS };
#undef UAB_KEY_ENUM

#define UAB_KEY_PREFIX_VULN	"vuln."

static inline const char *uab_key_name(enum uab_key k)
{
#define UAB_KEY_NAME(id, name)	name,
	static const char *const names[UAB_NKEYS] = {
		UAB_HEADER_KEYS(UAB_KEY_NAME)
	};
#undef UAB_KEY_NAME
	return (unsigned)k < UAB_NKEYS ? names[k] : NULL;
}

/* The key of s[0..len), or -1 when uabench does not write it itself. */
static inline int uab_key_find(const char *s, size_t len)
{
	for (int k = 0; k < UAB_NKEYS; k++) {
		const char *name = uab_key_name((enum uab_key)k);

		if (strlen(name) == len && !memcmp(name, s, len))
			return k;
	}
	return -1;
}

/* 1 if uabench writes key (NUL-terminated) itself: --meta may not. */
static inline int uab_key_reserved(const char *key)
{
	return uab_key_find(key, strlen(key)) >= 0 ||
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

#define UAB_STATE_ENUM(id, word)	UAB_STATE_##id,
enum uab_state { UAB_STATES(UAB_STATE_ENUM) UAB_NSTATES };
#undef UAB_STATE_ENUM

static inline const char *uab_state_word(enum uab_state s)
{
#define UAB_STATE_WORD(id, word)	word,
	static const char *const words[UAB_NSTATES] = {
		UAB_STATES(UAB_STATE_WORD)
	};
#undef UAB_STATE_WORD
	return (unsigned)s < UAB_NSTATES ? words[s] : NULL;
}

/* The state s[0..len) names, or -1. */
static inline int uab_state_find(const char *s, size_t len)
{
	for (int i = 0; i < UAB_NSTATES; i++) {
		const char *w = uab_state_word((enum uab_state)i);

		if (strlen(w) == len && !memcmp(w, s, len))
			return i;
	}
	return -1;
}

/* Where the state was read: prot_source key and column. */
#define UAB_PROT_SOURCES(X)		\
	X(MODULE,	"module")	\
	X(CPUINFO,	"cpuinfo")

#define UAB_PROT_SOURCE_ENUM(id, word)	UAB_PROT_SOURCE_##id,
enum uab_prot_source { UAB_PROT_SOURCES(UAB_PROT_SOURCE_ENUM)
		       UAB_NPROT_SOURCES };
#undef UAB_PROT_SOURCE_ENUM

static inline const char *uab_prot_source_word(enum uab_prot_source s)
{
#define UAB_PROT_SOURCE_WORD(id, word)	word,
	static const char *const words[UAB_NPROT_SOURCES] = {
		UAB_PROT_SOURCES(UAB_PROT_SOURCE_WORD)
	};
#undef UAB_PROT_SOURCE_WORD
	return (unsigned)s < UAB_NPROT_SOURCES ? words[s] : NULL;
}

static inline int uab_prot_source_find(const char *s, size_t len)
{
	for (int i = 0; i < UAB_NPROT_SOURCES; i++) {
		const char *w = uab_prot_source_word((enum uab_prot_source)i);

		if (strlen(w) == len && !memcmp(w, s, len))
			return i;
	}
	return -1;
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

#define UAB_UNIT_ENUM(id, word, has_hz)	UAB_UNIT_##id,
enum uab_unit { UAB_UNITS(UAB_UNIT_ENUM) UAB_NUNITS };
#undef UAB_UNIT_ENUM

static inline const char *uab_unit_word(enum uab_unit u)
{
#define UAB_UNIT_WORD(id, word, has_hz)	word,
	static const char *const words[UAB_NUNITS] = {
		UAB_UNITS(UAB_UNIT_WORD)
	};
#undef UAB_UNIT_WORD
	return (unsigned)u < UAB_NUNITS ? words[u] : NULL;
}

/* 1 if hz is what a row of unit u must carry. */
static inline int uab_unit_hz_ok(enum uab_unit u, uint64_t hz)
{
#define UAB_UNIT_HAS_HZ(id, word, has_hz)	has_hz,
	static const unsigned char has[UAB_NUNITS] = {
		UAB_UNITS(UAB_UNIT_HAS_HZ)
	};
#undef UAB_UNIT_HAS_HZ
	return (unsigned)u < UAB_NUNITS && (has[u] ? hz > 0 : hz == 0);
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

#define UAB_COUNTER_ENUM(id, name, unit)	UAB_COUNTER_##id,
enum uab_counter { UAB_COUNTERS(UAB_COUNTER_ENUM) UAB_NCOUNTERS };
#undef UAB_COUNTER_ENUM

static inline const char *uab_counter_name(enum uab_counter c)
{
#define UAB_COUNTER_NAME(id, name, unit)	name,
	static const char *const names[UAB_NCOUNTERS] = {
		UAB_COUNTERS(UAB_COUNTER_NAME)
	};
#undef UAB_COUNTER_NAME
	return (unsigned)c < UAB_NCOUNTERS ? names[c] : NULL;
}

/* The unit of counter name[0..len): the counter-to-unit rule. */
static inline enum uab_unit uab_counter_unit(const char *name, size_t len)
{
#define UAB_COUNTER_UNIT(id, name, unit)	UAB_UNIT_##unit,
	static const enum uab_unit units[UAB_NCOUNTERS] = {
		UAB_COUNTERS(UAB_COUNTER_UNIT)
	};
#undef UAB_COUNTER_UNIT
	for (int i = 0; i < UAB_NCOUNTERS; i++) {
		const char *n = uab_counter_name((enum uab_counter)i);

		if (strlen(n) == len && !memcmp(n, name, len))
			return units[i];
	}
	return UAB_UNIT_EVENTS;
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
