// SPDX-License-Identifier: GPL-2.0
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>

static unsigned int tap_passed, tap_failed, tap_skipped;

static unsigned int tap_count(void)
{
	return tap_passed + tap_failed + tap_skipped;
}

bool tap_check(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		tap_passed++;
	else
		tap_failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_count());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	tap_skipped++;
	printf("ok %u - ", tap_count());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

void tap_note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int tap_finish(void)
{
	if (tap_skipped)
		printf("# %u skipped\n", tap_skipped);
	printf("%u passed, %u failed\n", tap_passed, tap_failed);
	return tap_failed ? 1 : 0;
}
