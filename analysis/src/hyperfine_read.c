/*
 * hyperfine --export-json files. Each result is a workload named after its
 * command; each of its "times" (seconds) is one sample, stored in ns. The
 * file carries no boot: <stem>.hyperfine.json belongs to the boot of
 * <stem>.csv, which must have been read first.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "util.h"

struct json {
	struct dataset *ds;
	const char *path;
	const char *s, *end;
	size_t line;
	int failed;
};

static void jerr(struct json *j, const char *what)
{
	if (!j->failed)
		dataset_error(j->ds, j->path, j->line, "%s", what);
	j->failed = 1;
}

static void ws(struct json *j)
{
	while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' ||
				 *j->s == '\r' || *j->s == '\n')) {
		if (*j->s == '\n')
			j->line++;
		j->s++;
	}
}

static int expect(struct json *j, char c)
{
	char what[64];

	ws(j);
	if (j->s < j->end && *j->s == c) {
		j->s++;
		return 0;
	}
	if (j->s >= j->end)
		snprintf(what, sizeof(what), "JSON ends where '%c' is expected", c);
	else
		snprintf(what, sizeof(what), "'%c' expected, found '%c'", c, *j->s);
	jerr(j, what);
	return -1;
}

/* String into out (escapes decoded, \u kept as '?'); NULL out to skip. */
static int string(struct json *j, char **out)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	if (expect(j, '"'))
		return -1;
	while (j->s < j->end && *j->s != '"') {
		char c = *j->s++;

		if ((unsigned char)c < 0x20) {
			jerr(j, "control character inside a JSON string");
			free(buf);
			return -1;
		}
		if (c == '\\') {
			if (j->s >= j->end)
				break;
			c = *j->s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				if (j->end - j->s < 4) {
					jerr(j, "truncated \\u escape");
					free(buf);
					return -1;
				}
				j->s += 4;
				c = '?';
				break;
			case '"': case '\\': case '/': break;
			default:
				jerr(j, "unknown escape in a JSON string");
				free(buf);
				return -1;
			}
		}
		if (out) {
			grow((void **)&buf, &cap, n + 2, 1);
			buf[n++] = c;
		}
	}
	if (j->s >= j->end) {
		jerr(j, "unterminated JSON string");
		free(buf);
		return -1;
	}
	j->s++;
	if (out) {
		grow((void **)&buf, &cap, n + 1, 1);
		buf[n] = '\0';
		*out = buf;
	}
	return 0;
}

static int number(struct json *j, double *out)
{
	char tmp[64];
	size_t n = 0;
	char *end;

	ws(j);
	if (j->s >= j->end) {
		jerr(j, "JSON ends where a number is expected");
		return -1;
	}
	while (j->s + n < j->end && n < sizeof(tmp) - 1 &&
	       strchr("+-0123456789.eE", j->s[n]))
		n++;
	memcpy(tmp, j->s, n);
	tmp[n] = '\0';
	errno = 0;
	*out = n ? strtod(tmp, &end) : 0;
	if (!n || end != tmp + n || errno || !isfinite(*out)) {
		jerr(j, "number expected");
		return -1;
	}
	j->s += n;
	return 0;
}

/*
 * Between the items of an array or object: 1 at the closing bracket
 * (consumed), 0 when an item follows (its comma consumed), -1 on error.
 */
static int next_item(struct json *j, char close, int *first)
{
	ws(j);
	if (j->s < j->end && *j->s == close) {
		j->s++;
		return 1;
	}
	if (!*first && expect(j, ','))
		return -1;
	*first = 0;
	return 0;
}

static int skip_value(struct json *j, int depth);

static int skip_container(struct json *j, char close, int depth)
{
	int first = 1, rc;

	j->s++;
	while (!(rc = next_item(j, close, &first))) {
		if (close == '}' && (string(j, NULL) || expect(j, ':')))
			return -1;
		if (skip_value(j, depth + 1))
			return -1;
	}
	return rc < 0 ? -1 : 0;
}

static int skip_value(struct json *j, int depth)
{
	double d;

	ws(j);
	if (depth > 64) {
		jerr(j, "JSON nested too deeply");
		return -1;
	}
	if (j->s >= j->end) {
		jerr(j, "JSON ends where a value is expected");
		return -1;
	}
	switch (*j->s) {
	case '{': return skip_container(j, '}', depth);
	case '[': return skip_container(j, ']', depth);
	case '"': return string(j, NULL);
	}
	static const char *const words[] = { "true", "false", "null" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(j->end - j->s) >= n && !memcmp(j->s, words[i], n)) {
			j->s += n;
			return 0;
		}
	}
	return number(j, &d);
}

/* Iterate over "key": value pairs of an object; the callback reads value. */
typedef int (*member_fn)(struct json *j, const char *key, void *ctx);

static int object(struct json *j, member_fn fn, void *ctx)
{
	int first = 1, next;

	if (expect(j, '{'))
		return -1;
	while (!(next = next_item(j, '}', &first))) {
		char *key;
		int rc;

		if (string(j, &key))
			return -1;
		rc = expect(j, ':') ? -1 : fn(j, key, ctx);
		free(key);
		if (rc)
			return -1;
	}
	return next < 0 ? -1 : 0;
}

struct result {
	char *command;
	double *times;
	size_t ntimes, cap;
	size_t line;
};

static int result_member(struct json *j, const char *key, void *ctx)
{
	struct result *res = ctx;

	if (!strcmp(key, "command")) {
		free(res->command);
		res->command = NULL;
		return string(j, &res->command);
	}
	if (strcmp(key, "times"))
		return skip_value(j, 2);
	if (expect(j, '['))
		return -1;
	for (int first = 1, next; (next = next_item(j, ']', &first)) != 1;) {
		double t;

		if (next < 0 || number(j, &t))
			return -1;
		if (t < 0) {
			jerr(j, "negative time");
			return -1;
		}
		grow((void **)&res->times, &res->cap, res->ntimes + 1,
		     sizeof(*res->times));
		res->times[res->ntimes++] = t;
	}
	return 0;
}

struct target {
	uint32_t boot;
	int tabled;		/* 0 for a rejected boot: checked only */
	size_t results;
};

static int store_result(struct json *j, struct result *res, struct target *t)
{
	struct dataset *ds = j->ds;

	if (!res->command || !*res->command) {
		dataset_error(ds, j->path, res->line, "result without a \"command\"");
		j->failed = 1;
		return -1;
	}
	if (!res->ntimes) {
		dataset_error(ds, j->path, res->line, "result without \"times\"");
		j->failed = 1;
		return -1;
	}
	t->results++;
	if (!t->tabled)
		return 0;

	struct series *s = dataset_series(ds, t->boot,
		strtab_intern(&ds->st, res->command, strlen(res->command)), 0,
		strtab_intern(&ds->st, "hyperfine", 9),
		strtab_intern(&ds->st, "ns", 2), 0);

	for (size_t i = 0; i < res->ntimes; i++)
		series_add(s, (float)(res->times[i] * 1e9), 1);
	return 0;
}

static int top_member(struct json *j, const char *key, void *ctx)
{
	struct target *t = ctx;

	if (strcmp(key, "results"))
		return skip_value(j, 1);
	if (expect(j, '['))
		return -1;
	for (int first = 1, next; (next = next_item(j, ']', &first)) != 1;) {
		struct result res = { 0 };
		int rc;

		if (next < 0)
			return -1;
		ws(j);
		res.line = j->line;
		rc = object(j, result_member, &res);
		if (!rc)
			rc = store_result(j, &res, t);
		free(res.command);
		free(res.times);
		if (rc)
			return -1;
	}
	return 0;
}

/* The CSV (or .csv.gz) of the same stem, already read; NULL if none. */
static const struct input_file *paired_csv(const struct dataset *ds,
					   const char *path)
{
	size_t n = strlen(path) - strlen(".hyperfine.json");

	for (size_t i = 0; i < ds->nfile; i++) {
		const char *p = ds->file[i].path;

		if (!ds->file[i].is_hyperfine && !strncmp(p, path, n) &&
		    (!strcmp(p + n, ".csv") || !strcmp(p + n, ".csv.gz")))
			return &ds->file[i];
	}
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		grow((void **)&buf, &cap, n + 65536, 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int dataset_read_hyperfine(struct dataset *ds, const char *path)
{
	const char *suffix = ".hyperfine.json";
	size_t len, plen = strlen(path), errors_before = ds->nerr;
	const struct input_file *csv;
	struct target t = { 0 };
	char *text;

	if (plen <= strlen(suffix) || strcmp(path + plen - strlen(suffix), suffix)) {
		dataset_error(ds, path, 0, "a hyperfine file must be named <stem>.hyperfine.json");
		return -1;
	}
	csv = paired_csv(ds, path);
	if (!csv || csv->entry == NO_STR) {
		dataset_error(ds, path, 0,
			      "no valid <stem>.csv beside it to say which entry and boot it belongs to");
		return -1;
	}
	uint32_t csv_index = (uint32_t)(csv - ds->file);
	uint32_t entry = csv->entry, boot_id = csv->boot_id;

	t.tabled = !csv->rejected;
	if (t.tabled) {
		int created;

		t.boot = dataset_boot(ds, entry, boot_id, csv_index, &created);
	}
	text = slurp(path, &len);
	if (!text) {
		dataset_error(ds, path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}

	struct json j = { ds, path, text, text + len, 1, 0 };

	grow((void **)&ds->file, &ds->filecap, ds->nfile + 1, sizeof(*ds->file));
	struct input_file *f = &ds->file[ds->nfile++];

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->is_hyperfine = 1;
	f->schema = -1;
	f->reason = NO_STR;
	f->entry = entry;
	f->boot_id = boot_id;
	f->rejected = !t.tabled;

	if (!object(&j, top_member, &t)) {
		ws(&j);
		if (j.s != j.end)
			jerr(&j, "trailing characters after the JSON document");
		else if (!t.results)
			jerr(&j, "no \"results\" with samples");
	}
	f->rows = t.results;
	free(text);
	return ds->nerr == errors_before ? 0 : -1;
}
