/*
 * validate-csv: check a uabench result file against schema 1
 * (data/README.md). Prints the first problem as "file:line: what" and
 * exits 1; exits 0 when the file conforms.
 *
 *   validate-csv FILE [--entry NAME] [--workloads a,b,...]
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS		18
#define MAX_KEYS	256
#define MAX_GROUPS	4096

static const char *const columns[NCOLS] = {
	"schema", "boot_id", "entry", "arch", "kernel", "smap", "smep", "pan",
	"prot_source", "workload", "size", "round", "ops", "counter", "unit",
	"hz", "delta", "per_op",
};

enum { C_SCHEMA, C_BOOT, C_ENTRY, C_ARCH, C_KERNEL, C_SMAP, C_SMEP, C_PAN,
       C_PSRC, C_WL, C_SIZE, C_ROUND, C_OPS, C_CTR, C_UNIT, C_HZ, C_DELTA,
       C_PEROP };

static const char *const required_keys[] = {
	"schema", "tool", "version", "git", "utc", "utc_end", "host",
	"kernel", "arch", "cmdline", "cpu_model", "boot_id", "governor",
	"smap", "smep", "pan", "pan_kind", "prot_source", "module", "bufsize",
	"entry", "seed", "counter", "counter_note", "tsc_hz",
	"tsc_hz_source", "cpu", "iters", "counter_read_ns",
	"batch_target_us", "warmup_ms", "rounds", "min_time",
	"min_time_source", "cells", "skipped", "columns", NULL,
};

static const char *file;
static long lineno;

__attribute__((format(printf, 1, 2), noreturn))
static void bad(const char *fmt, ...)
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

static const char *header(const char *key)
{
	for (int i = 0; i < nhdr; i++)
		if (!strcmp(hdr[i].key, key))
			return hdr[i].value;
	return NULL;
}

/* RFC 4180 fields of one line (no embedded newlines in schema 1 rows). */
static int split_csv(char *line, char **f, int max)
{
	int n = 0;
	char *w = line, *r = line;

	while (n < max) {
		f[n++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (!*r)
					bad("unterminated quoted field");
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
			if (*r && *r != ',')
				bad("text after a closing quote");
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++;
	}
	return n + 1;
}

static unsigned long long integer(const char *s, const char *col)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		bad("%s: '%s' is not a non-negative integer", col, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		bad("%s: '%s' is not a non-negative integer", col, s);
	return v;
}

static int in_list(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* Is name an item of the comma list? */
static int in_csv_list(const char *name, const char *list)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static const char *expected_unit(const char *counter)
{
	if (!strcmp(counter, "tsc") || !strcmp(counter, "cntvct"))
		return "ticks";
	if (!strcmp(counter, "monotonic_raw"))
		return "ns";
	if (!strcmp(counter, "cycles") || !strcmp(counter, "instructions"))
		return counter;
	return "events";
}

struct group {
	char key[256];
	unsigned long long next_round;
};

static struct group groups[MAX_GROUPS];
static int ngroups;

static struct group *group(const char *wl, const char *size, const char *ctr)
{
	char key[256];

	snprintf(key, sizeof(key), "%s/%s/%s", wl, size, ctr);
	for (int i = 0; i < ngroups; i++)
		if (!strcmp(groups[i].key, key))
			return &groups[i];
	if (ngroups == MAX_GROUPS)
		bad("more than %d workload/size/counter groups", MAX_GROUPS);
	snprintf(groups[ngroups].key, sizeof(groups[ngroups].key), "%s", key);
	return &groups[ngroups++];
}

static void check_header(void)
{
	static const char *const states[] = { "on", "off", "na", "unknown",
					      NULL };

	for (int i = 0; required_keys[i]; i++)
		if (!header(required_keys[i]))
			bad("header key '%s' missing", required_keys[i]);
	if (strcmp(header("schema"), "1"))
		bad("schema is '%s', not 1", header("schema"));
	for (const char *k = "smap"; k; k = !strcmp(k, "smap") ? "smep" :
			!strcmp(k, "smep") ? "pan" : NULL)
		if (!in_list(header(k), states))
			bad("header %s='%s' is not a protection state", k,
			    header(k));
	integer(header("seed"), "seed");
	integer(header("tsc_hz"), "tsc_hz");
	integer(header("rounds"), "rounds");
}

static void check_row(char **f)
{
	static const char *const states[] = { "on", "off", "na", "unknown",
					      NULL };
	static const char *const sources[] = { "module", "cpuinfo", NULL };
	static const char *const same[] = { "boot_id", "entry", "arch",
					    "kernel", "smap", "smep", "pan",
					    "prot_source" };
	unsigned long long ops, delta, hz, round;
	double per_op, want;
	struct group *g;

	if (strcmp(f[C_SCHEMA], "1"))
		bad("schema '%s', not 1", f[C_SCHEMA]);
	for (int i = 0; i < 8; i++)
		if (strcmp(f[C_BOOT + i], header(same[i])))
			bad("%s '%s' differs from the header's '%s'", same[i],
			    f[C_BOOT + i], header(same[i]));
	for (int i = C_SMAP; i <= C_PAN; i++)
		if (!in_list(f[i], states))
			bad("%s: '%s' is not on/off/na/unknown", columns[i],
			    f[i]);
	if (!in_list(f[C_PSRC], sources))
		bad("prot_source '%s' is not module/cpuinfo", f[C_PSRC]);
	if (!f[C_WL][0])
		bad("empty workload");
	integer(f[C_SIZE], "size");
	round = integer(f[C_ROUND], "round");
	ops = integer(f[C_OPS], "ops");
	if (!ops)
		bad("ops is 0");
	if (!in_csv_list(f[C_CTR], header("counter")))
		bad("counter '%s' is not in the header's '%s'", f[C_CTR],
		    header("counter"));
	if (strcmp(f[C_UNIT], expected_unit(f[C_CTR])))
		bad("counter %s has unit '%s', want '%s'", f[C_CTR],
		    f[C_UNIT], expected_unit(f[C_CTR]));
	hz = integer(f[C_HZ], "hz");
	if (!strcmp(f[C_UNIT], "ticks") ? hz == 0 : hz != 0)
		bad("hz %llu does not fit unit %s", hz, f[C_UNIT]);
	if (!strcmp(f[C_CTR], "tsc") &&
	    hz != strtoull(header("tsc_hz"), NULL, 10))
		bad("tsc hz %llu differs from header tsc_hz", hz);
	delta = integer(f[C_DELTA], "delta");
	per_op = strtod(f[C_PEROP], NULL);
	want = (double)delta / (double)ops;
	if (!isfinite(per_op) || fabs(per_op - want) > 1e-3 + want * 1e-9)
		bad("per_op %s is not delta/ops = %.4f", f[C_PEROP], want);
	g = group(f[C_WL], f[C_SIZE], f[C_CTR]);
	if (round != g->next_round)
		bad("round %llu of %s, expected %llu", round, g->key,
		    g->next_round);
	g->next_round++;
}

static void check_expected(const char *entry, const char *wls)
{
	unsigned long long rounds = strtoull(header("rounds"), NULL, 10);
	char *list, *save = NULL;

	for (int i = 0; i < ngroups; i++)
		if (groups[i].next_round != rounds)
			bad("%s has %llu rounds, header says %llu",
			    groups[i].key, groups[i].next_round, rounds);
	if (entry && strcmp(entry, header("entry")))
		bad("entry '%s', expected '%s'", header("entry"), entry);
	if (!wls)
		return;
	list = strdup(wls);
	for (char *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(w);
		int found = 0;

		for (int i = 0; i < ngroups && !found; i++)
			found = !strncmp(groups[i].key, w, n) &&
				groups[i].key[n] == '/';
		if (!found)
			bad("no rows for workload '%s'", w);
	}
	free(list);
}

int main(int argc, char **argv)
{
	const char *entry = NULL, *wls = NULL;
	char *line = NULL, *f[NCOLS + 1];
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
		if (!strcmp(argv[i], "--entry"))
			entry = argv[i + 1];
		else if (!strcmp(argv[i], "--workloads"))
			wls = argv[i + 1];
		else {
			fprintf(stderr, "validate-csv: unknown option '%s'\n", argv[i]);
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
			bad("last line not terminated");
		line[len - 1] = '\0';
		if (!in_rows && line[0] == '#') {
			char *eq = strchr(line, '=');

			if (strncmp(line, "# ", 2) || !eq)
				bad("header line is not '# key=value'");
			if (nhdr == MAX_KEYS)
				bad("too many header lines");
			*eq = '\0';
			if (header(line + 2))
				bad("header key '%s' repeated", line + 2);
			hdr[nhdr].key = strdup(line + 2);
			hdr[nhdr].value = strdup(eq + 1);
			nhdr++;
			continue;
		}
		if (!in_rows) {
			check_header();
			if (split_csv(line, f, NCOLS + 1) != NCOLS)
				bad("column line has the wrong number of columns");
			for (int i = 0; i < NCOLS; i++)
				if (strcmp(f[i], columns[i]))
					bad("column %d is '%s', want '%s'",
					    i + 1, f[i], columns[i]);
			in_rows = 1;
			continue;
		}
		if (line[0] == '#')
			bad("comment line among the rows");
		if (split_csv(line, f, NCOLS + 1) != NCOLS)
			bad("row does not have %d fields", NCOLS);
		check_row(f);
		rows++;
	}
	fclose(in);
	free(line);
	if (!in_rows)
		bad("no column line");
	if (!rows)
		bad("no rows");
	check_expected(entry, wls);
	printf("%s: ok, %ld rows, %d groups\n", file, rows, ngroups);
	return 0;
}
