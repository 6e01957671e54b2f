// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "expect.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool valid_outcome(const char *s)
{
	return !strcmp(s, "oops") || !strcmp(s, "value") || !strcmp(s, "pass");
}

static bool valid_depends(const char *s)
{
	return !strcmp(s, "smap") || !strcmp(s, "smep") ||
	       !strcmp(s, "pan") || !strcmp(s, "-");
}

static struct expectation *find(struct expectations *e, const char *probe,
				const char *arch)
{
	return (struct expectation *)expect_find(e, probe, arch);
}

const char *expect_outcome(const struct expectation *e, const char *state)
{
	return strcmp(state, "off") ? e->when_on : e->when_off;
}

const struct expectation *expect_find(const struct expectations *e,
				      const char *probe, const char *arch)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->rows[i].probe, probe) &&
		    !strcmp(e->rows[i].arch, arch))
			return &e->rows[i];
	return NULL;
}

/* One "expect" line: PROBE ARCH DEPENDS WHEN-ON WHEN-OFF. */
static const char *parse_expect(struct expectations *e, const char *rest)
{
	struct expectation r;
	char extra[2];

	memset(&r, 0, sizeof(r));
	if (sscanf(rest, "%31s %15s %7s %7s %7s %1s", r.probe, r.arch,
		   r.depends, r.when_on, r.when_off, extra) != 5)
		return "expect: want PROBE ARCH DEPENDS WHEN-ON WHEN-OFF";
	if (!valid_depends(r.depends))
		return "expect: DEPENDS must be smap, smep, pan or -";
	if (!valid_outcome(r.when_on) || !valid_outcome(r.when_off))
		return "expect: outcomes are oops, value or pass";
	if (!strcmp(r.depends, "-") && strcmp(r.when_on, r.when_off))
		return "expect: DEPENDS - needs WHEN-ON equal to WHEN-OFF";
	if (find(e, r.probe, r.arch))
		return "expect: probe listed twice for this arch";
	if (e->n == sizeof(e->rows) / sizeof(e->rows[0]))
		return "too many expect lines";
	e->rows[e->n++] = r;
	return NULL;
}

/*
 * One "log" line: PROBE ARCH [DEPENDS=on|off] TEXT..., after its expect
 * line. The optional word limits the line to one state of the probe's
 * DEPENDS, for kernels that say it differently on and off.
 */
static const char *parse_log(struct expectations *e, const char *rest)
{
	char probe[32], arch[16], when[24];
	struct expectation *r;
	int text_at = 0, when_end = 0;
	size_t len;

	if (sscanf(rest, "%31s %15s %n", probe, arch, &text_at) != 2 ||
	    !rest[text_at])
		return "log: want PROBE ARCH [STATE=on|off] TEXT";
	r = find(e, probe, arch);
	if (!r)
		return "log: no expect line for this probe and arch above";
	if (r->n_logs == EXPECT_MAX_LOGS)
		return "log: too many lines for one probe";
	r->log_when[r->n_logs][0] = '\0';
	if (sscanf(rest + text_at, "%23s %n", when, &when_end) == 1 &&
	    strcmp(r->depends, "-") && !strncmp(when, r->depends,
						strlen(r->depends)) &&
	    when[strlen(r->depends)] == '=') {
		const char *state = when + strlen(r->depends) + 1;

		if (strcmp(state, "on") && strcmp(state, "off"))
			return "log: the state word is DEPENDS=on or DEPENDS=off";
		if (!rest[text_at + when_end])
			return "log: want PROBE ARCH [STATE=on|off] TEXT";
		strcpy(r->log_when[r->n_logs], state);
		text_at += when_end;
	}
	len = strcspn(rest + text_at, "\n");
	if (len >= EXPECT_TEXT)
		return "log: text too long";
	memcpy(r->logs[r->n_logs], rest + text_at, len);
	r->logs[r->n_logs][len] = '\0';
	r->n_logs++;
	return NULL;
}

int expect_log_applies(const struct expectation *e, size_t i,
		       const char *state)
{
	return !e->log_when[i][0] || !strcmp(e->log_when[i], state);
}

int expect_load(const char *file, struct expectations *out)
{
	char line[512], kind[8];
	unsigned int n = 0;
	int rest_at;
	FILE *f;

	memset(out, 0, sizeof(*out));
	f = fopen(file, "r");
	if (!f) {
		perror(file);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *why = NULL;

		n++;
		if (!strchr(line, '\n') && !feof(f))
			why = "line too long";
		else if (line[strspn(line, " \t\n")] == '#' ||
			 !line[strspn(line, " \t\n")])
			continue;
		else if (sscanf(line, "%7s %n", kind, &rest_at) != 1)
			why = "cannot read the line";
		else if (!strcmp(kind, "expect"))
			why = parse_expect(out, line + rest_at);
		else if (!strcmp(kind, "log"))
			why = parse_log(out, line + rest_at);
		else
			why = "lines start with expect or log";
		if (why) {
			fprintf(stderr, "%s:%u: %s\n", file, n, why);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (!out->n) {
		fprintf(stderr, "%s: no expect lines\n", file);
		return -1;
	}
	return 0;
}
