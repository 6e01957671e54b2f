/*
 * Coverage simulation: seeded synthetic boots fed to the real analyse(),
 * the function uareport runs, many times over. Used by `make bench-stats`
 * (the full grid, printed) and by test_coverage (a small seeded version).
 */
#ifndef UAREPORT_SIM_H
#define UAREPORT_SIM_H

#include <stddef.h>
#include <stdint.h>

struct sim_row {
	uint32_t boots;		/* per entry */
	double boot_sd;		/* between-boot lognormal sigma, both sides */
	int calib_tracks;	/* calib shares the boot's offset, or has its own */
	double noise;		/* within-boot per-batch lognormal sigma */
	uint32_t batches;	/* per boot and cell */
	double shift;		/* true overhead of the protected cell */
};

struct sim_result {
	uint32_t trials;
	/* per variant (raw, norm): CI covers the true shift; CI of the A/A
	 * control cell excludes 0; median CI half-width (percentage points) */
	double coverage[2], false_pos[2], half_width[2];
	uint32_t no_interval;	/* trials without an interval */
};

/* level: the confidence level handed to analyse() (0.95 for the claim). */
void sim_run(const struct sim_row *row, uint32_t trials, uint64_t seed,
	     double level, struct sim_result *out);

#endif
