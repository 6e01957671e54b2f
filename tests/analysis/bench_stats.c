/*
 * bench_stats: coverage and false-positive rate of uareport's 95 % overhead
 * intervals over the grid people run, by simulation through analyse().
 *   bench_stats [TRIALS]   (default 5000 per row; seeded, reproducible)
 * Within-boot noise and batches per boot are those of a QUICK lab run
 * (analysis/README.md): robust CV 2-9 %, typically 4 %, 50 batches.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sim.h"

int main(int argc, char **argv)
{
	static const uint32_t boots[] = { 2, 3, 5, 10 };
	static const double sds[] = { 0, 0.005, 0.02 };
	uint32_t trials = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 5000;
	int off_target = 0;

	if (trials < 10) {
		fprintf(stderr, "usage: bench_stats [TRIALS >= 10]\n");
		return 2;
	}
	printf("Nominal 95 %% intervals, %u trials per row, true overhead +5 %% on the\n"
	       "shifted cell, 0 on the control; within-boot noise 4 %% per batch, 50\n"
	       "batches per boot. Coverage: CI holds the true overhead. False pos.:\n"
	       "the control's CI excludes 0. Half-width: median, percentage points.\n\n",
	       trials);
	printf("| boots a side | between-boot sd | calib | coverage raw | coverage norm | false pos. raw | false pos. norm | half-width raw | half-width norm |\n"
	       "|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
	for (size_t b = 0; b < sizeof(boots) / sizeof(boots[0]); b++) {
		for (size_t s = 0; s < sizeof(sds) / sizeof(sds[0]); s++) {
			for (int track = 1; track >= 0; track--) {
				struct sim_row row = {
					.boots = boots[b], .boot_sd = sds[s],
					.calib_tracks = track, .noise = 0.04,
					.batches = 50, .shift = 0.05,
				};
				struct sim_result r;

				sim_run(&row, trials, 1000 * b + 10 * s + track + 1,
					0.95, &r);
				printf("| %u | %.1f %% | %s | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.2f | %.2f |\n",
				       row.boots, 100 * row.boot_sd,
				       track ? "tracks" : "does not track",
				       100 * r.coverage[0], 100 * r.coverage[1],
				       100 * r.false_pos[0], 100 * r.false_pos[1],
				       r.half_width[0], r.half_width[1]);
				for (int v = 0; v < 2 && row.boots >= 3; v++)
					off_target |= r.coverage[v] < 0.93 ||
						      r.coverage[v] > 0.97;
			}
		}
	}
	printf("\nTarget: 93-97 %% coverage at 3 boots a side and more, every row: %s\n",
	       off_target ? "MISSED" : "met");
	return 0;
}
