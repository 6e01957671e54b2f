/*
 * From grouped samples to one results structure: per-boot summaries, costs,
 * overheads with their intervals, controls, detectability and geometric
 * means. Tables, plots and REPORT.md read this structure only.
 */
#ifndef UAREPORT_ANALYSIS_H
#define UAREPORT_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dataset.h"

struct baseline_pair {
	const char *entry, *baseline;
};

/* The two ways an overhead is computed from per-boot medians. */
enum variant { VAR_RAW, VAR_NORM, NVARIANT };

struct analysis_opts {
	double level;		/* confidence level, 0.95 */
	enum variant headline;	/* declared before the data is read */
	const struct baseline_pair *pairs;	/* from --baseline E=B */
	size_t npairs;
};

#define LEVEL_DEFAULT 0.95
#define POWER 0.80		/* for the detectable overhead */
/*
 * Longer batches raise the median per-op cost: +5.5 % per tenfold batch
 * duration, measured (bench/README.md). A pair whose batch durations differ
 * enough for that to move the overhead by more than BATCH_BIAS_FLOOR, or by
 * a quarter of what the run can detect if that is more, is flagged.
 */
#define BATCH_BIAS_PER_DECADE 0.055
#define BATCH_BIAS_FLOOR 0.0025
#define BOOTS_MAX 1000		/* boots_needed gives up beyond */
#define BOOTS_NO_SPREAD 0	/* boots needed: no spread to compute it */

/* One table row: a workload at a size, measured with one counter. */
struct cell {
	uint32_t arch, workload, counter, unit;
	uint64_t size;
	int to_ns;		/* ticks with a known hz in every boot */
	int is_calib;		/* the drift yardstick: no overhead of its own */
	int is_control;		/* no user access: its overhead must be 0 */
};

struct entry {
	uint32_t name, baseline;	/* baseline NO_STR: none */
	uint32_t *boots;	/* accepted and not excluded by uareport */
	size_t nboots;
	size_t nrejected;	/* lab.verdict=rejected files */
	size_t nexcluded;	/* boots uareport excluded (see exclusions) */
	int is_baseline;	/* some entry is measured against it */
	/* Release and series (kernel.h) of its boots; "mixed" when they
	 * disagree (a warning says so); NO_STR: no boots. */
	uint32_t kernel, series;
};

/* est with its interval; fractions for overheads. lo/hi NAN: none. */
struct interval {
	double est, lo, hi;
	double p, q;		/* p-value of est != 0 and its BH q; NAN: none */
};

/* What the statistics use of one boot and cell. */
struct boot_cell {
	uint32_t boot, cell, series;
	struct desc d;		/* per_op in counter units */
	uint64_t hz;
	double ops_per_batch;
	double calib;		/* the boot's calib median, same counter; NAN */
};

struct cost {
	uint32_t cell, entry;
	struct interval v;	/* per op, in ns when the cell converts */
	size_t nboots, nbatches;
};

/* Per-batch distribution of an entry in a cell, pooled over its boots. */
struct spread {
	uint32_t cell, entry;
	double p5, p25, p50, p75, p95;	/* output units, like cost */
};

struct overhead {
	uint32_t cell, entry, baseline;	/* entry indices */
	struct interval v[NVARIANT];	/* v[VAR_NORM].est NAN: no calib */
	size_t nboots_entry, nboots_baseline;
	double boot_sd;		/* log sd of per-boot medians, both sides */
	double detectable;	/* overhead found with POWER, fraction */
	/* a side; BOOTS_MAX + 1: more than BOOTS_MAX; BOOTS_NO_SPREAD: no
	 * boot-to-boot spread to compute it from (a side has one boot) */
	size_t boots_1pct, boots_05pct;
	double batch_ratio;	/* median batch duration, entry / baseline */
	double ops_ratio;	/* median ops per batch, entry / baseline */
	int significant;	/* headline BH q < 1 - level; a control: CI excludes 0 */
	int control_explained;	/* a control moved by a software PAN */
	/* entry - baseline per op in counter units (Welch on per-boot
	 * medians): what a known injected cost is checked against */
	struct interval abs;
	uint64_t hz;		/* ticks per second of the cell, 0: unknown */
};

struct geomean {
	uint32_t arch, counter, entry, baseline;
	struct interval v[NVARIANT];
	size_t ncells, nboots_entry, nboots_baseline;
};

/* An entry and its baseline with overheads on one arch. */
struct compared_pair {
	uint32_t arch, entry, baseline;
};

/* The kernels that both sides of an arch's compared pairs ran. */
struct arch_kernels {
	uint32_t *series;	/* distinct, in version order */
	size_t nseries;
	uint32_t *releases;	/* distinct, by name */
	size_t nreleases;
};

/* A boot left out by uareport itself, and why. */
struct exclusion {
	uint32_t boot;
	char *reason;
};

struct analysis {
	const struct dataset *ds;
	struct analysis_opts opts;
	struct cell *cell;
	size_t ncell;
	struct entry *entry;
	size_t nentry;
	struct boot_cell *bc;
	size_t nbc;
	struct cost *cost;
	size_t ncost;
	struct spread *spread;
	size_t nspread;
	struct overhead *ovh;
	size_t novh;
	struct geomean *geo;
	size_t ngeo;
	struct exclusion *excl;
	size_t nexcl;
	size_t nfamily;		/* overheads in the BH family */
	char **notes;		/* "not guessed" and similar statements */
	size_t nnotes;
	char **warnings;	/* suspect data: shown first and on stderr */
	size_t nwarnings;
	uint32_t *archs;	/* distinct arch ids */
	size_t narch;
	struct arch_kernels *archk;	/* per archs[] index */
	/* by arch (archs[] order), entry series, entry name */
	struct compared_pair *compared;
	size_t ncompared;
};

/* 0 on success; -1 when the input contradicts itself (errors printed). */
int analyse(struct analysis *a, struct dataset *ds,
	    const struct analysis_opts *opts);
void analysis_free(struct analysis *a);
/*
 * The refusals of analyse() without the analysis (one boot_id under two
 * entries, expect lines, baselines): what --validate adds to the readers'
 * checks, so that it refuses whatever a full run refuses. 0 or -1.
 */
int analyse_check_input(struct dataset *ds, const struct analysis_opts *opts);

int interval_excludes_zero(const struct interval *v);
/* 1 when entry ei and its baseline bi declare the same expect line. */
int pair_is_aa(const struct analysis *a, uint32_t ei, uint32_t bi);
const char *cell_unit(const struct analysis *a, const struct cell *c);
size_t arch_index(const struct analysis *a, uint32_t arch);
const char *variant_name(enum variant v);
/* The overhead of entry in cell, or NULL. */
const struct overhead *find_overhead(const struct analysis *a, uint32_t cell,
				     uint32_t entry);
/* The counters with geometric means on arch, in the order they were
 * found, into out (a->ngeo room); their number. */
size_t geomean_counters(const struct analysis *a, uint32_t arch, uint32_t *out);
/* The geometric mean of entry on arch for counter, or NULL. */
const struct geomean *find_geomean(const struct analysis *a, uint32_t arch,
				   uint32_t counter, uint32_t entry);

/*
 * A uabench --kloop workload: in-kernel loops (kloop-*) and their
 * user-space reference copies (user-*), not paths through the kernel.
 */
static inline int is_kloop(const char *workload)
{
	return !strncmp(workload, "kloop-", 6) || !strncmp(workload, "user-", 5);
}

#endif
