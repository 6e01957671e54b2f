/* SPDX-License-Identifier: GPL-2.0 */
/* One fault probe (or the peer test module), run in a forked child. */
#ifndef UAB_PROBE_H
#define UAB_PROBE_H

#include <stdint.h>

enum outcome {
	OUTCOME_OOPS,	/* the child was killed and the kernel oopsed */
	OUTCOME_VALUE,	/* the access returned / stored the right value */
	OUTCOME_PASS,	/* the peer test module loaded: its tests passed */
	OUTCOME_ERROR,	/* the ioctl or module load returned an error */
	OUTCOME_WRONG,	/* the access returned, with the wrong value */
	OUTCOME_DIED,	/* the child died without an oops in the log */
};

const char *outcome_name(enum outcome o);

struct probe_result {
	enum outcome outcome;
	char detail[96];	/* what happened, for people */
};

/* Runs probe op (UAB_PROBE_*) on a fresh user page through fd, in a child;
 * oopsed says whether the kernel logged an oops meanwhile (checked by the
 * caller after the child is gone).
 */
struct probe_result probe_run(int fd, uint32_t op,
			      int (*oopsed)(void *ctx), void *ctx);

/* Loads the kernel module at path in a child (finit_module). */
struct probe_result probe_load_module(const char *path,
				      int (*oopsed)(void *ctx), void *ctx);

#endif
