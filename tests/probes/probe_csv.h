/* SPDX-License-Identifier: GPL-2.0 */
/* The probes CSV (format: data/README.md, "Probe results"). */
#ifndef UAB_PROBE_CSV_H
#define UAB_PROBE_CSV_H

#include <stdio.h>

#include "uaccess_bench.h"

struct probe_row {
	const char *probe, *depends, *state, *expected, *outcome, *verdict;
	const char *detail, *evidence;
};

/* Opens PATH.tmp for writing and writes the header lines and column row;
 * NULL (errno set) on failure.
 */
FILE *probe_csv_open(const char *path, const char *entry, const char *arch,
		     const struct uab_status *st, const char *expect_file);

void probe_csv_row(FILE *f, const char *entry, const char *arch,
		   const struct probe_row *r);

/* Flushes, syncs and renames PATH.tmp to PATH; -1 on failure. */
int probe_csv_close(FILE *f, const char *path);

#endif
