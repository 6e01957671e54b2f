// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "verdict.h"

#include <stdio.h>
#include <string.h>

/* Appends line to the evidence, " | " between lines. */
static void add_evidence(char *ev, size_t size, const char *line)
{
	size_t len = strlen(ev);

	snprintf(ev + len, size - len, "%s%s", len ? " | " : "", line);
}

/* The verdict on one probe's outcome, with the log lines behind it. */
struct judged judge(const struct expectation *e, const char *state,
		    const struct probe_result *res, const struct kmsg *log,
		    const char *probe)
{
	const char *want = expect_outcome(e, state);
	struct judged j = { .ok = true };
	char line[256], survived[64];
	size_t i;

	if (strcmp(e->depends, "-") && strcmp(state, "on") &&
	    strcmp(state, "off")) {
		j.ok = false;
		snprintf(j.why, sizeof(j.why),
			 "measured %s=%s: no expectation for that state",
			 e->depends, state);
	} else if (strcmp(outcome_name(res->outcome), want)) {
		j.ok = false;
		snprintf(j.why, sizeof(j.why), "expected %s, got %s (%s)",
			 want, outcome_name(res->outcome), res->detail);
	}
	/* A fault or a peer verdict must rest on the kernel's own words. */
	if (!strcmp(want, "oops") || !strcmp(want, "pass")) {
		for (i = 0; i < e->n_logs; i++) {
			if (!expect_log_applies(e, i, state))
				continue;
			if (kmsg_find(log, e->logs[i], line, sizeof(line))) {
				add_evidence(j.evidence, sizeof(j.evidence),
					     line);
				continue;
			}
			if (j.ok)
				snprintf(j.why, sizeof(j.why),
					 "no log line \"%s\"", e->logs[i]);
			j.ok = false;
		}
	}
	/* Whatever was expected, show what backs the outcome seen. */
	snprintf(survived, sizeof(survived), "probe %s survived", probe);
	if (res->outcome == OUTCOME_VALUE &&
	    kmsg_find(log, survived, line, sizeof(line)))
		add_evidence(j.evidence, sizeof(j.evidence), line);
	if (res->outcome == OUTCOME_OOPS && !j.evidence[0]) {
		if (kmsg_find_oops(log, line, sizeof(line)))
			add_evidence(j.evidence, sizeof(j.evidence), line);
	}
	return j;
}
