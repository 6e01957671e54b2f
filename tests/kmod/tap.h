/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal test reporting: one "ok N - what" / "not ok N - what" per check. */
#ifndef UAB_TAP_H
#define UAB_TAP_H

#include <stdbool.h>

/* Records one check; returns cond so callers can stop dependent checks. */
bool tap_check(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A check that cannot be exercised here, with the reason: not a pass. */
void tap_skip(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A "# ..." diagnostic line under the previous check. */
void tap_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "N passed, N failed"; returns the process exit status. */
int tap_finish(void);

#endif
