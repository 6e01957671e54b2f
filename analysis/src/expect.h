/*
 * An entry's expected protection state ("smap=off,smep=on",
 * "pan=on,pan_kind=ttbr0": the `expect`
 * of a lab matrix and of a result file's header) against the measured one.
 * One decision for the aggregator (a contradicting boot enters no table)
 * and for the lab (uareport --validate --expect: the boot's verdict).
 */
#ifndef UAREPORT_EXPECT_H
#define UAREPORT_EXPECT_H

#include <stddef.h>
#include <stdio.h>

#include "dataset.h"
#include "uab_schema.h"

/* The protections an expect line can name, by their header keys. */
#define NPROT 4
extern const enum uab_key prot_key[NPROT];

struct expect {
	int want[NPROT];	/* index into the key's words, or -1: not named */
	/*
	 * inject_ticks=N, the module's injected cost (kmod/README.md); -1
	 * when not named, which expects 0: injection is never a surprise.
	 */
	long inject_ticks;
};

/* The injected cost e expects: what it names, else 0. */
static inline long expect_inject(const struct expect *e)
{
	return e->inject_ticks < 0 ? 0 : e->inject_ticks;
}

/*
 * 1 when the measured inject_ticks header value got is not what e
 * expects (a missing or malformed value contradicts too).
 */
int expect_inject_contradiction(const struct expect *e, const char *got);

/* The expected word of protection p (which e names). */
const char *expect_word(const struct expect *e, int p);

/* Parse s; 0, or -1 with why filled in. */
int expect_parse(const char *s, struct expect *e, char *why, size_t n);

/* First protection from `from` on whose measured state differs, or -1. */
int expect_contradiction(const struct expect *e, const char *const got[NPROT],
			 int from);

/*
 * The lab's verdict on one valid result file, one line on out:
 * "accepted: ..." or "rejected: <reason>". Rejected when the measured
 * state contradicts e, or was not read from the helper module.
 */
void lab_verdict(const struct dataset *ds, const struct input_file *f,
		 const struct expect *e, const char *expect_str, FILE *out);

#endif
