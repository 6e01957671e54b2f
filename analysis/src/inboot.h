/*
 * The instrument checked inside one boot: uabench --calibrate's
 * inject-0, inject-d and inject-2d cells, paired by round, against the
 * ticks it injected. Read from the rows, in round order, so before
 * dataset_finish() sorts them.
 */
#ifndef UAB_INBOOT_H
#define UAB_INBOOT_H

#include <stdio.h>

#include "dataset.h"

struct inboot_result {
	uint32_t boot;		/* dataset boot index */
	uint32_t counter;	/* string id */
	double ticks;		/* injected per access (calibrate_ticks) */
	double fixed;		/* the wait's own cost: median(d - 0) - D */
	size_t rounds;
	double recovered;	/* median of 2d - d per operation */
	double lo, hi;		/* sign-test CI at the report's level */
	int verdict;		/* enum inboot_verdict */
};

enum inboot_verdict { INBOOT_RECOVERED, INBOOT_MISSED, INBOOT_TOO_FEW };

struct inboot {
	struct inboot_result *v;
	size_t n;
	size_t missed;
};

/* Every boot that ran --calibrate, at confidence level. */
void inboot_collect(const struct dataset *ds, double level, struct inboot *ib);
void inboot_free(struct inboot *ib);

/* REPORT.md's table of them (under the instrument check). */
void inboot_md(const struct inboot *ib, const struct dataset *ds,
	       double level, FILE *f);
/* inboot.csv. */
void inboot_csv(const struct inboot *ib, const struct dataset *ds, FILE *f);

#endif
