/*
 * The protection toggle's own cost inside one boot: uabench --kloop's
 * kloop-toggle and kloop-uaccess-pair against kloop-empty, paired by
 * round. Read from the rows in round order, so before dataset_finish().
 */
#ifndef UAREPORT_TOGGLE_H
#define UAREPORT_TOGGLE_H

#include <stdio.h>

#include "dataset.h"

enum toggle_kind { TOGGLE_BARE, TOGGLE_UACCESS, TOGGLE_NKINDS };
enum toggle_state { TOGGLE_OFF, TOGGLE_ON, TOGGLE_UNKNOWN };
/* UNCHECKED: an instruction count, in which a NOP counts like a toggle */
enum toggle_verdict { TOGGLE_OK, TOGGLE_SUSPECT, TOGGLE_TOO_FEW,
		      TOGGLE_UNCHECKED };

struct toggle_result {
	uint32_t boot;		/* dataset boot index; pooled: first boot */
	uint32_t counter, unit;
	uint64_t hz;		/* ticks per second, 0: no ns */
	int kind;		/* enum toggle_kind */
	int state;		/* enum toggle_state: measured in the boot */
	size_t boots;		/* 1, or the boots pooled */
	size_t rounds;
	double cost, lo, hi;	/* per pair, counter units; sign-test CI */
	int verdict;		/* enum toggle_verdict: the self-check */
	float *d;		/* the round differences, sorted */
};

struct toggle_set {
	struct toggle_result *boot;	/* one per boot, kind and counter */
	size_t nboot;
	struct toggle_result *pooled;	/* per entry, kind and counter */
	size_t npooled;
	size_t suspect;		/* bare toggles that failed the self-check */
};

void toggle_collect(const struct dataset *ds, double level,
		    struct toggle_set *ts);
void toggle_free(struct toggle_set *ts);

/* REPORT.md's section, and toggle.csv. */
void toggle_md(const struct toggle_set *ts, const struct dataset *ds,
	       double level, FILE *f);
void toggle_csv(const struct toggle_set *ts, const struct dataset *ds,
		FILE *f);

#endif
