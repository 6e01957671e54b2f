/*
 * Fault-probe results of a lab run (RUN/probes/<entry>.csv, schema
 * uab-probes-1, data/README.md): read for the report's "Protection
 * verified" table, and to flag the overheads of an entry whose probes
 * failed.
 */
#ifndef UAREPORT_PROBES_READ_H
#define UAREPORT_PROBES_READ_H

#include <stddef.h>
#include <stdio.h>

enum probe_col {
	PC_ENTRY, PC_ARCH, PC_PROBE, PC_DEPENDS, PC_STATE, PC_EXPECTED,
	PC_OUTCOME, PC_VERDICT, PC_DETAIL, PC_EVIDENCE, PC_NCOLS
};

struct probe_row {
	char *col[PC_NCOLS];
	char *measured;		/* the boot's measured state: "smap=on,..." */
};

struct probe_set {
	struct probe_row *v;
	size_t n, cap;
	size_t nerr;		/* problems reported on the error stream */
};

/*
 * Read every *.csv of dir/probes into ps, in name order, each row's
 * verdict recomputed against the expectations at expect_path
 * (configs/probes.expect, probe_check.h); a directory without probes/
 * adds nothing. Each problem is one "file:line: what" line on err (on
 * stderr for one in expect_path) and counts in ps->nerr.
 */
void probes_read_dir(struct probe_set *ps, const char *dir,
		     const char *expect_path, FILE *err);

/* Whether any probe failed (ps may be NULL: no probes read). */
int probes_any_failed(const struct probe_set *ps);

void probes_free(struct probe_set *ps);

#endif
