/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP / TAP version 13 output with a plan, and tests that run in a forked
 * child, so that a crash fails one test and not the run (kselftest's model).
 *
 *   ktap_plan(n);
 *   ktap_run_child("name", fn, arg);   ... n times
 *   return ktap_finish();
 *
 * In the child, ktap_expect() records a failed expectation (with a "# "
 * diagnostic) and the child's exit status says pass, fail or skip.
 */
#ifndef UAB_KTAP_H
#define UAB_KTAP_H

#include <stdbool.h>

/* Exit status of a child that could not exercise its test (kselftest's). */
#define KTAP_SKIP	4

void ktap_plan(unsigned int tests);

/* Prints the next "ok N name" / "not ok N name"; a failure's reason, when
 * not NULL, follows as a "# " diagnostic.
 */
void ktap_result(bool ok, const char *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ktap_skip(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A "# ..." diagnostic line. */
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs fn(arg) in a child and reports it as one test: passed if the child
 * exits 0, skipped on KTAP_SKIP, failed otherwise (killed by a signal, or
 * any ktap_expect() false).  Returns whether it passed or was skipped.
 */
bool ktap_run_child(const char *name, void (*fn)(const void *arg),
		    const void *arg);

/* In a child: records cond; on false prints "# what" and marks the test
 * failed.  Returns cond, so dependent checks can stop.
 */
bool ktap_expect(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* In a child: ends the test now as skipped, with the reason. */
void ktap_child_skip(const char *why) __attribute__((noreturn));

/* Prints "# Totals: pass:N fail:N skip:N"; returns the exit status (0 only
 * when nothing failed and the plan was kept).
 */
int ktap_finish(void);

#endif
