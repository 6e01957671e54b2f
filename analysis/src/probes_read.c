/* Reader of the fault-probe CSV (schema uab-probes-1). */
#include "probes_read.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "probe_check.h"
#include "text_check.h"
#include "util.h"

#define PROBES_SCHEMA	"uab-probes-1"
#define PROBES_COLUMNS	"entry,arch,probe,depends,state,expected,outcome," \
			"verdict,detail,evidence"

static void problem(struct probe_set *ps, FILE *err, const char *path,
		    long line, const char *what)
{
	fputs_escaped(path, err);
	fprintf(err, ":%ld: ", line);
	fputs_escaped(what, err);
	fputc('\n', err);
	ps->nerr++;
}

/*
 * Split one RFC 4180 row (fields quoted when they hold a comma, a quote or
 * a line break; rows here are single lines) into PC_NCOLS fresh strings.
 * 0, or -1 when the row is malformed or has another number of fields.
 */
static int split_row(const char *s, char **col)
{
	size_t n = 0;
	int ok = 1, more = 1;

	while (ok && more && n < PC_NCOLS) {
		char *o = col[n++] = xmalloc(strlen(s) + 1);

		if (*s == '"') {
			/* up to the closing quote; "" inside is one quote */
			for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
				if (*s == '"')
					s++;
				*o++ = *s;
			}
			ok = *s == '"';
			s += ok;
		} else {
			while (*s && *s != ',')
				*o++ = *s++;
		}
		*o = '\0';
		more = *s == ',';
		ok = ok && (more || !*s);
		s += more;
	}
	if (ok && !more && n == PC_NCOLS)
		return 0;
	while (n)
		free(col[--n]);
	return -1;
}

static const char *const verdicts[] = { "pass", "fail", "skip" };

static int known_verdict(const char *v)
{
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(*verdicts); i++)
		if (!strcmp(v, verdicts[i]))
			return 1;
	return 0;
}

static void read_file(struct probe_set *ps, const char *path,
		      const struct expectations *ex, FILE *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *measured = xstrdup(""), *schema = NULL;
	char *entry = NULL, *arch = NULL, *why;
	size_t cap = 0, first = ps->n, errs = ps->nerr;
	long no = 0;
	ssize_t len;
	int columns = 0;

	if (!f) {
		problem(ps, err, path, 0, "cannot open");
		free(measured);
		return;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		struct probe_row r = { 0 };
		const char *bad;

		no++;
		len -= line[len - 1] == '\n';
		line[len] = '\0';
		if ((bad = text_line_problem(line, (size_t)len, (size_t)no))) {
			problem(ps, err, path, no, bad);
			break;
		}
		if (line[0] == '#') {
			const char *kv = line + 1 + strspn(line + 1, " ");
			const char *eq = strchr(kv, '=');

			if (columns || !eq) {
				problem(ps, err, path, no, "a '#' line that is not a header key=value");
				continue;
			}
			if (!strncmp(kv, "schema=", 7)) {
				free(schema);
				schema = xstrdup(eq + 1);
			} else if (!strncmp(kv, "entry=", 6)) {
				free(entry);
				entry = xstrdup(eq + 1);
			} else if (!strncmp(kv, "arch=", 5)) {
				free(arch);
				arch = xstrdup(eq + 1);
			} else if (!strncmp(kv, "smap=", 5) || !strncmp(kv, "smep=", 5) ||
				   !strncmp(kv, "pan=", 4) || !strncmp(kv, "pan_kind=", 9)) {
				char *m = xasprintf("%s%s%s", measured, *measured ? "," : "", kv);

				free(measured);
				measured = m;
			}
			continue;
		}
		if (!columns) {
			if (!schema || strcmp(schema, PROBES_SCHEMA)) {
				problem(ps, err, path, no, "not a probe result (no '# schema=" PROBES_SCHEMA "')");
				break;
			}
			if (strcmp(line, PROBES_COLUMNS)) {
				problem(ps, err, path, no, "column line is not '" PROBES_COLUMNS "'");
				break;
			}
			if (!entry || !arch) {
				problem(ps, err, path, no, "the header lacks '# entry=' or '# arch=': rows cannot be checked");
				break;
			}
			columns = 1;
			continue;
		}
		if (split_row(line, r.col)) {
			problem(ps, err, path, no, "malformed row (10 fields, RFC 4180 quoting)");
			continue;
		}
		if (!known_verdict(r.col[PC_VERDICT])) {
			problem(ps, err, path, no, "verdict is not pass, fail or skip");
			for (int c = 0; c < PC_NCOLS; c++)
				free(r.col[c]);
			continue;
		}
		why = probe_row_disagrees((const char *const *)r.col,
			&(struct probe_header){ entry, arch, measured }, ex);
		if (why) {
			problem(ps, err, path, no, why);
			free(why);
			for (int c = 0; c < PC_NCOLS; c++)
				free(r.col[c]);
			continue;
		}
		r.measured = xstrdup(*measured ? measured : "not recorded");
		grow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof(*ps->v));
		ps->v[ps->n++] = r;
	}
	if (!columns && ps->nerr == errs)
		problem(ps, err, path, no, "no column line");
	else if (columns && ps->n == first)
		problem(ps, err, path, no, "no probe rows");
	free(line);
	free(schema);
	free(entry);
	free(arch);
	free(measured);
	fclose(f);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void probes_read_dir(struct probe_set *ps, const char *dir,
		     const char *expect_path, FILE *err)
{
	struct expectations *ex = NULL;
	char *pdir = xasprintf("%s/probes", dir), **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(pdir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".csv"))
			continue;
		grow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = xasprintf("%s/%s", pdir, de->d_name);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	if (n) {
		ex = xmalloc(sizeof(*ex));
		if (expect_load(expect_path, ex)) {
			/* expect_load said why on stderr */
			ps->nerr++;
			free(ex);
			ex = NULL;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (ex)
			read_file(ps, names[i], ex, err);
		free(names[i]);
	}
	free(ex);
	free(names);
	free(pdir);
}

int probes_any_failed(const struct probe_set *ps)
{
	for (size_t i = 0; ps && i < ps->n; i++)
		if (!strcmp(ps->v[i].col[PC_VERDICT], "fail"))
			return 1;
	return 0;
}

void probes_free(struct probe_set *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		for (int c = 0; c < PC_NCOLS; c++)
			free(ps->v[i].col[c]);
		free(ps->v[i].measured);
	}
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}
