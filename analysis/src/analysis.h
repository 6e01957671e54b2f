/* From grouped samples to estimates, overheads and their bootstrap CIs. */
#ifndef UAREPORT_ANALYSIS_H
#define UAREPORT_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

struct baseline_pair {
	const char *entry, *baseline;
};

struct analysis_opts {
	uint64_t seed;
	uint32_t resamples;
	const struct baseline_pair *pairs;	/* from --baseline E=B */
	size_t npairs;
};

/* One table row: a workload at a size, measured with one counter. */
struct cell {
	uint32_t arch, workload, counter, unit;
	uint64_t size;
	int to_ns;		/* ticks with a known hz in every boot */
};

struct entry {
	uint32_t name, baseline;	/* baseline NO_STR: none */
	uint32_t *boots;
	size_t nboots;
	size_t nrejected;
	int is_baseline;	/* some entry is measured against it */
};

struct interval {
	double est, lo, hi;	/* lo/hi NAN when not computable */
};

struct cost {
	uint32_t cell, entry;
	struct interval v;	/* per op, in ns when the cell converts */
	size_t nboots, nbatches;
};

struct overhead {
	uint32_t cell, entry, baseline;	/* entry indices */
	struct interval raw, norm;	/* fractions; norm.est NAN: no calib */
	size_t nboots_entry, nboots_baseline;
};

struct geomean {
	uint32_t arch, counter, entry, baseline;
	struct interval raw, norm;
	size_t ncells;
};

struct analysis {
	const struct dataset *ds;
	struct analysis_opts opts;
	struct cell *cell;
	size_t ncell;
	struct entry *entry;
	size_t nentry;
	struct cost *cost;
	size_t ncost;
	struct overhead *ovh;
	size_t novh;
	struct geomean *geo;
	size_t ngeo;
	char **notes;		/* "not guessed" and similar statements */
	size_t nnotes;
	uint32_t *archs;	/* distinct arch ids */
	int *headline_norm;	/* per archs[i]: headline uses calib normalisation */
	double *median_narrowing;	/* per archs[i], percent, NAN if none */
	size_t narch;
};

/* 0 on success; -1 when the input contradicts itself (errors printed). */
int analyse(struct analysis *a, struct dataset *ds,
	    const struct analysis_opts *opts);
void analysis_free(struct analysis *a);

int interval_significant(const struct interval *v);
const char *cell_unit(const struct analysis *a, const struct cell *c);
size_t arch_index(const struct analysis *a, uint32_t arch);

#endif
