/*
 * Operations per batch fixed per cell, so that every boot of a matrix runs
 * equal batches: from an earlier result file (--iters-from) or given
 * (--iters-map workload:size=N,...).
 */
#ifndef UAB_ITERS_MAP_H
#define UAB_ITERS_MAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "schedule.h"

struct iters_entry {
	char label[CELL_LABEL_LEN];	/* workload column: "null", "null~2" */
	size_t size;
	uint64_t ops;
	int used;			/* matched a cell of this run */
};

struct iters_map {
	struct iters_entry *v;
	size_t n, cap;
	char origin[4200];	/* "--iters-from PATH" or "--iters-map" */
};

/*
 * Fill m from "label:size=N,..." or from the rows of a result file. 0, or
 * -1 with a one-line reason in err (a bad argument: exit 2).
 */
int iters_map_parse(struct iters_map *m, const char *list, char *err,
		    size_t errlen);
int iters_map_read(struct iters_map *m, const char *path, char *err,
		   size_t errlen);

/*
 * Set every cell's iters from m. Fails when a cell has no entry or an
 * entry matches no cell: the batches would not be the ones asked for.
 */
int iters_map_apply(struct iters_map *m, struct bench_cell *cells,
		    int ncells, char *err, size_t errlen);

/* Write m as an --iters-map list ("label:size=ops,..."), newline-ended. */
void iters_map_print(const struct iters_map *m, FILE *f);

void iters_map_free(struct iters_map *m);

#endif
