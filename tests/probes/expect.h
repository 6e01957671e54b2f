/* SPDX-License-Identifier: GPL-2.0 */
/* Probe expectations: configs/probes.expect (format: configs/README.md). */
#ifndef UAB_PROBE_EXPECT_H
#define UAB_PROBE_EXPECT_H

#include <stddef.h>

#define EXPECT_MAX_LOGS	4
#define EXPECT_TEXT	160

struct expectation {
	char probe[32];
	char arch[16];
	char depends[8];		/* smap, smep, pan, or - */
	char when_on[8], when_off[8];	/* outcome names */
	size_t n_logs;
	char logs[EXPECT_MAX_LOGS][EXPECT_TEXT];
	char log_when[EXPECT_MAX_LOGS][4];	/* on, off, or "" for both */
};

struct expectations {
	size_t n;
	struct expectation rows[32];
};

/* Loads every row of FILE; on bad input prints "FILE:LINE: why" to stderr
 * and returns -1.
 */
int expect_load(const char *file, struct expectations *out);

/* The outcome e expects when its state is state ("-" when none decides). */
const char *expect_outcome(const struct expectation *e, const char *state);

/* Whether log line i of e must appear when its state is state. */
int expect_log_applies(const struct expectation *e, size_t i,
		       const char *state);

/* The row for probe on arch, or NULL. */
const struct expectation *expect_find(const struct expectations *e,
				      const char *probe, const char *arch);

#endif
