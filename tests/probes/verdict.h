/* SPDX-License-Identifier: GPL-2.0 */
/* The verdict on one probe: its outcome against the expectation for the
 * measured state, and the kernel log lines it rests on.
 */
#ifndef UAB_VERDICT_H
#define UAB_VERDICT_H

#include <stdbool.h>

#include "expect.h"
#include "kmsg.h"
#include "probe.h"

struct judged {
	bool ok;
	char why[192];		/* why not ok */
	char evidence[1024];	/* log lines, " | " between them */
};

/* state: the measured on/off/na of e->depends ("-" when it has none). */
struct judged judge(const struct expectation *e, const char *state,
		    const struct probe_result *res, const struct kmsg *log,
		    const char *probe);

#endif
