#include "probe_check.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The value of key in "smap=on,smep=on,...", or NULL. */
static char *measured_state(const char *measured, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = measured; *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return xasprintf("%.*s", (int)strcspn(p + klen + 1, ","),
					 p + klen + 1);
	return NULL;
}

/* uab-probe's judge(): why the row cannot pass, or NULL when it does. */
static char *why_not_pass(const char *const col[PC_NCOLS],
			  const struct expectation *e)
{
	const char *state = col[PC_STATE], *want = col[PC_EXPECTED];

	if (strcmp(e->depends, "-") && strcmp(state, "on") && strcmp(state, "off"))
		return xasprintf("no expectation for %s=%s", e->depends, state);
	if (strcmp(col[PC_OUTCOME], want))
		return xasprintf("outcome '%s' is not the expected '%s'",
				 col[PC_OUTCOME], want);
	/* a fault or a peer verdict rests on the kernel's own words */
	for (size_t i = 0; (!strcmp(want, "oops") || !strcmp(want, "pass")) &&
			   i < e->n_logs; i++)
		if (expect_log_applies(e, i, state) &&
		    !strstr(col[PC_EVIDENCE], e->logs[i]))
			return xasprintf("the evidence lacks the log line \"%s\"",
					 e->logs[i]);
	return NULL;
}

char *probe_row_disagrees(const char *const col[PC_NCOLS],
			  const struct probe_header *h,
			  const struct expectations *ex)
{
	const struct expectation *e;
	char *hdr, *why;

	if (strcmp(col[PC_ENTRY], h->entry))
		return xasprintf("entry '%s' differs from the header line '# entry=%s'",
				 col[PC_ENTRY], h->entry);
	if (strcmp(col[PC_ARCH], h->arch))
		return xasprintf("arch '%s' differs from the header line '# arch=%s'",
				 col[PC_ARCH], h->arch);
	if (!strcmp(col[PC_VERDICT], "skip")) {
		for (int c = PC_DEPENDS; c <= PC_OUTCOME; c++)
			if (strcmp(col[c], "-"))
				return xstrdup("a skipped probe has '-' for depends, state, expected and outcome");
		return NULL;
	}
	e = expect_find(ex, col[PC_PROBE], col[PC_ARCH]);
	if (!e)
		return xasprintf("probe %s on %s has no expect line in the probe expectations",
				 col[PC_PROBE], col[PC_ARCH]);
	if (strcmp(col[PC_DEPENDS], e->depends))
		return xasprintf("depends '%s' is not the probe expectations' '%s'",
				 col[PC_DEPENDS], e->depends);
	hdr = strcmp(e->depends, "-") ? measured_state(h->measured, e->depends)
				       : xstrdup("-");
	if (!hdr || strcmp(col[PC_STATE], hdr)) {
		why = xasprintf("state '%s' differs from the header's measured %s=%s",
				col[PC_STATE], e->depends, hdr ? hdr : "(none)");
		free(hdr);
		return why;
	}
	free(hdr);
	if (strcmp(col[PC_EXPECTED], expect_outcome(e, col[PC_STATE])))
		return xasprintf("expected '%s' is not the probe expectations' '%s' for %s=%s",
				 col[PC_EXPECTED], expect_outcome(e, col[PC_STATE]),
				 e->depends, col[PC_STATE]);
	why = why_not_pass(col, e);
	if (!why && strcmp(col[PC_VERDICT], "pass"))
		return xasprintf("verdict '%s', but the row passes", col[PC_VERDICT]);
	if (why && strcmp(col[PC_VERDICT], "fail")) {
		char *s = xasprintf("verdict '%s', but the row fails: %s",
				    col[PC_VERDICT], why);

		free(why);
		return s;
	}
	free(why);
	return NULL;
}
