/*
 * A prediction checked: each path's protection overhead as its toggle
 * pairs (counted in the kernel source: configs/toggle-pairs) times the
 * toggle's cost measured inside one boot (toggle.h), beside the cross-boot
 * absolute difference of the same path.
 */
#ifndef UAREPORT_PREDICTION_H
#define UAREPORT_PREDICTION_H

#include <stdio.h>

#include "analysis.h"
#include "toggle.h"

struct toggle_pairs_line {
	char *protection, *workload, *kernels, *where;
	unsigned pairs;
};

struct toggle_pairs {
	struct toggle_pairs_line *v;
	size_t n;
	char *path;
	const char *missing;	/* the default file, not found: no lines */
};

/* Read a toggle-pairs file; 0, or -1 with "path:line: why" on err. */
int toggle_pairs_read(const char *path, struct toggle_pairs *tp, FILE *err);
void toggle_pairs_free(struct toggle_pairs *tp);

/* REPORT.md's "Prediction" section. */
void prediction_md(const struct analysis *a, const struct toggle_set *ts,
		   const struct toggle_pairs *tp, FILE *f);

#endif
