/*
 * A probe row's verdict recomputed, never copied (issue 26): from the
 * file's header (entry, arch, measured state) and configs/probes.expect,
 * as tests/probes/uab-probe decided it. A row that disagrees is refused.
 */
#ifndef UAREPORT_PROBE_CHECK_H
#define UAREPORT_PROBE_CHECK_H

#include "../../tests/probes/expect.h"
#include "probes_read.h"

/* What a probe file's header says, every field NULL when absent. */
struct probe_header {
	const char *entry, *arch;
	const char *measured;	/* "smap=on,smep=on,pan=na,..." */
};

/*
 * NULL when the row follows from the header and the expectations, else
 * what disagrees (fresh on the heap).
 */
char *probe_row_disagrees(const char *const col[PC_NCOLS],
			  const struct probe_header *h,
			  const struct expectations *ex);

#endif
