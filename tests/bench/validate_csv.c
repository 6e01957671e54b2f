/*
 * validate-csv: check a uabench result file against the schema in
 * include/uab_schema.h (data/README.md). Prints the first problem as
 * "file:line: what" and exits 1; exits 0 when the file conforms.
 *
 *   validate-csv FILE [--entry NAME] [--workloads a,b,...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uab_schema.h"

#define MAX_KEYS	256
#define MAX_SERIES	4096

static const char *file;
static long lineno;

__attribute__((format(printf, 1, 2), noreturn))
static void reject(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%ld: ", file, lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static struct { char *key, *value; } hdr[MAX_KEYS];
static int nhdr;

static const char *header_value(const char *key)
{
	for (int i = 0; i < nhdr; i++)
		if (!strcmp(hdr[i].key, key))
			return hdr[i].value;
	return NULL;
}

static const char *key_value(enum uab_key k)
{
	return header_value(uab_key_names[k]);
}

static uint64_t parse_count(const char *s, const char *what)
{
	uint64_t v;

	if (uab_parse_u64(s, strlen(s), &v) < 0)
		reject("%s: '%s' is not a non-negative integer", what, s);
	return v;
}

/* Is name an item of the comma list? */
static int in_comma_list(const char *name, const char *list)
{
	size_t n = strlen(name);

	for (const char *p = list; p; p = strchr(p, ','), p = p ? p + 1 : p)
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Rows of one workload, size and counter: rounds must run 0, 1, 2, ... */
struct series {
	char key[256];
	char workload[64];
	uint64_t next_round;
};

static struct series series[MAX_SERIES];
static int nseries;

static struct series *series_of(const char *wl, const char *size,
				const char *ctr)
{
	char key[256];

	snprintf(key, sizeof(key), "%s/%s/%s", wl, size, ctr);
	for (int i = 0; i < nseries; i++)
		if (!strcmp(series[i].key, key))
			return &series[i];
	if (nseries == MAX_SERIES)
		reject("more than %d workload/size/counter series", MAX_SERIES);
	snprintf(series[nseries].key, sizeof(series[nseries].key), "%s", key);
	snprintf(series[nseries].workload, sizeof(series[nseries].workload),
		 "%s", wl);
	return &series[nseries++];
}

static int has_workload(const char *wl)
{
	for (int i = 0; i < nseries; i++)
		if (!strcmp(series[i].workload, wl))
			return 1;
	return 0;
}

static void read_header_line(char *line, size_t len)
{
	const char *key, *val;
	size_t klen, vlen;

	if (uab_header_split(line, len, &key, &klen, &val, &vlen) < 0)
		reject("header line is not '# key=value'");
	if (nhdr == MAX_KEYS)
		reject("too many header lines");
	line[2 + klen] = '\0';
	if (header_value(key))
		reject("header key '%s' repeated", key);
	hdr[nhdr].key = strdup(key);
	hdr[nhdr].value = strdup(val);
	nhdr++;
}

static void check_header(void)
{
	static const enum uab_key state_keys[] = {
		UAB_KEY_SMAP, UAB_KEY_SMEP, UAB_KEY_PAN,
	};
	const char *calib;

	for (int k = 0; k < UAB_NKEYS; k++)
		if (!key_value((enum uab_key)k))
			reject("header key '%s' missing",
			    uab_key_names[k]);
	if (strcmp(key_value(UAB_KEY_SCHEMA), UAB_SCHEMA_VERSION_STR))
		reject("schema is '%s', not " UAB_SCHEMA_VERSION_STR,
		    key_value(UAB_KEY_SCHEMA));
	for (size_t i = 0; i < sizeof(state_keys) / sizeof(state_keys[0]);
	     i++) {
		const char *v = key_value(state_keys[i]);

		if (uab_state_find(v, strlen(v)) < 0)
			reject("header %s='%s' is not a protection state",
			    uab_key_names[state_keys[i]], v);
	}
	parse_count(key_value(UAB_KEY_SEED), "seed");
	parse_count(key_value(UAB_KEY_TSC_HZ), "tsc_hz");
	parse_count(key_value(UAB_KEY_ROUNDS), "rounds");
	calib = key_value(UAB_KEY_CALIB_WORKLOAD);
	if (!uab_field_ok(calib, strlen(calib)))
		reject("calib_workload '%s' is no workload name", calib);
	if (strcmp(key_value(UAB_KEY_COLUMNS), UAB_COLUMN_LINE))
		reject("header columns= is not the schema's column line");
}

/* Split at ',' (rows are never quoted); the field count, at most max. */
static int split_row(char *line, char **f, int max)
{
	int n = 0;

	for (char *p = line; n < max; p++) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			return n;
		*p = '\0';
	}
	return max + 1;
}

static void check_row(char **f)
{
	const char *ctr = f[UAB_COL_COUNTER];
	uint64_t ops, delta, hz, round;
	enum uab_unit unit;
	struct series *g;

	for (int i = 0; i < UAB_NCOLS; i++) {
		const char *name = uab_col_names[i];

		if (!uab_field_ok(f[i], strlen(f[i])))
			reject("%s '%s' is not a field: " UAB_FIELD_RULE, name,
			    f[i]);
		if (uab_col_from_header[i] &&
		    strcmp(f[i], header_value(name)))
			reject("%s '%s' differs from the header's '%s'", name,
			    f[i], header_value(name));
	}
	for (int i = UAB_COL_SMAP; i <= UAB_COL_PAN; i++)
		if (uab_state_find(f[i], strlen(f[i])) < 0)
			reject("%s: '%s' is not a protection state",
			    uab_col_names[i], f[i]);
	if (uab_prot_source_find(f[UAB_COL_PROT_SOURCE],
				 strlen(f[UAB_COL_PROT_SOURCE])) < 0)
		reject("prot_source '%s' is not a state source",
		    f[UAB_COL_PROT_SOURCE]);
	parse_count(f[UAB_COL_SIZE], "size");
	round = parse_count(f[UAB_COL_ROUND], "round");
	ops = parse_count(f[UAB_COL_OPS], "ops");
	if (!ops)
		reject("ops is 0");
	if (!in_comma_list(ctr, key_value(UAB_KEY_COUNTER)))
		reject("counter '%s' is not in the header's '%s'", ctr,
		    key_value(UAB_KEY_COUNTER));
	unit = uab_counter_unit(ctr, strlen(ctr));
	if (strcmp(f[UAB_COL_UNIT], uab_unit_words[unit]))
		reject("counter %s has unit '%s', want '%s'", ctr,
		    f[UAB_COL_UNIT], uab_unit_words[unit]);
	hz = parse_count(f[UAB_COL_HZ], "hz");
	if (!uab_unit_hz_ok(unit, hz))
		reject("hz %llu does not fit unit %s", (unsigned long long)hz,
		    uab_unit_words[unit]);
	if (!strcmp(ctr, uab_counter_names[UAB_COUNTER_TSC]) &&
	    hz != parse_count(key_value(UAB_KEY_TSC_HZ), "tsc_hz"))
		reject("tsc hz %llu differs from header tsc_hz",
		    (unsigned long long)hz);
	delta = parse_count(f[UAB_COL_DELTA], "delta");
	if (!uab_per_op_form_ok(f[UAB_COL_PER_OP], strlen(f[UAB_COL_PER_OP])) ||
	    !uab_per_op_matches(delta, ops, strtod(f[UAB_COL_PER_OP], NULL)))
		reject("per_op %s is not delta/ops = " UAB_PER_OP_FORMAT,
		    f[UAB_COL_PER_OP], (double)delta / (double)ops);
	g = series_of(f[UAB_COL_WORKLOAD], f[UAB_COL_SIZE], ctr);
	if (round != g->next_round)
		reject("round %llu of %s, expected %llu",
		    (unsigned long long)round, g->key,
		    (unsigned long long)g->next_round);
	g->next_round++;
}

static void check_expected(const char *entry, const char *wls)
{
	uint64_t rounds = parse_count(key_value(UAB_KEY_ROUNDS), "rounds");
	char *list, *save = NULL;

	for (int i = 0; i < nseries; i++)
		if (series[i].next_round != rounds)
			reject("%s has %llu rounds, header says %llu",
			    series[i].key,
			    (unsigned long long)series[i].next_round,
			    (unsigned long long)rounds);
	if (!has_workload(key_value(UAB_KEY_CALIB_WORKLOAD)))
		reject("no rows for calib_workload '%s'",
		    key_value(UAB_KEY_CALIB_WORKLOAD));
	if (entry && strcmp(entry, key_value(UAB_KEY_ENTRY)))
		reject("entry '%s', expected '%s'", key_value(UAB_KEY_ENTRY),
		    entry);
	if (!wls)
		return;
	list = strdup(wls);
	for (char *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save))
		if (!has_workload(w))
			reject("no rows for workload '%s'", w);
	free(list);
}

int main(int argc, char **argv)
{
	const char *entry = NULL, *wls = NULL;
	char *line = NULL, *f[UAB_NCOLS + 1];
	size_t cap = 0;
	ssize_t len;
	int in_rows = 0;
	long rows = 0;
	FILE *in;

	if (argc < 2 || argc % 2) {
		fprintf(stderr, "usage: validate-csv FILE [--entry NAME] [--workloads a,b]\n");
		return 2;
	}
	for (int i = 2; i < argc; i += 2) {
		if (!strcmp(argv[i], "--entry")) {
			entry = argv[i + 1];
		} else if (!strcmp(argv[i], "--workloads")) {
			wls = argv[i + 1];
		} else {
			fprintf(stderr, "validate-csv: unknown option '%s'\n",
				argv[i]);
			return 2;
		}
	}
	file = argv[1];
	in = fopen(file, "r");
	if (!in) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return 1;
	}
	while ((len = getline(&line, &cap, in)) > 0) {
		lineno++;
		if (line[len - 1] != '\n')
			reject("last line not terminated");
		line[--len] = '\0';
		if (!in_rows && line[0] == '#') {
			read_header_line(line, (size_t)len);
			continue;
		}
		if (!in_rows) {
			check_header();
			if (strcmp(line, UAB_COLUMN_LINE))
				reject("column line is not '%s'", UAB_COLUMN_LINE);
			in_rows = 1;
			continue;
		}
		if (line[0] == '#')
			reject("comment line among the rows");
		if (split_row(line, f, UAB_NCOLS) != UAB_NCOLS)
			reject("row does not have %d fields", UAB_NCOLS);
		check_row(f);
		rows++;
	}
	fclose(in);
	free(line);
	if (!in_rows)
		reject("no column line");
	if (!rows)
		reject("no rows");
	check_expected(entry, wls);
	printf("%s: ok, %ld rows, %d series\n", file, rows, nseries);
	return 0;
}
