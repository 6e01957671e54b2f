// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "ktap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned int planned, count, passed, failed, skipped;
static bool child_failed;

void ktap_plan(unsigned int tests)
{
	planned = tests;
	printf("TAP version 13\n1..%u\n", tests);
	fflush(stdout);
}

static void result(bool ok, const char *directive, const char *fmt,
		   va_list ap)
{
	count++;
	printf("%sok %u ", ok ? "" : "not ", count);
	vprintf(fmt, ap);
	if (directive)
		printf(" # %s", directive);
	putchar('\n');
	fflush(stdout);
}

void ktap_result(bool ok, const char *why, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		passed++;
	else
		failed++;
	va_start(ap, fmt);
	result(ok, NULL, fmt, ap);
	va_end(ap);
	if (!ok && why)
		ktap_diag("%s", why);
}

void ktap_skip(const char *why, const char *fmt, ...)
{
	char directive[256];
	va_list ap;

	skipped++;
	snprintf(directive, sizeof(directive), "SKIP %s", why);
	va_start(ap, fmt);
	result(true, directive, fmt, ap);
	va_end(ap);
}

void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

bool ktap_expect(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return true;
	child_failed = true;
	fputs("# FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return false;
}

void ktap_child_skip(const char *why)
{
	ktap_diag("skip: %s", why);
	exit(KTAP_SKIP);
}

bool ktap_run_child(const char *name, void (*fn)(const void *arg),
		    const void *arg)
{
	char why[96];
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(why, sizeof(why), "fork: %s", strerror(errno));
		ktap_result(false, why, "%s", name);
		return false;
	}
	if (pid == 0) {
		child_failed = false;
		fn(arg);
		fflush(stdout);
		_exit(child_failed ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, sizeof(why), "waitpid: %s",
				 strerror(errno));
			ktap_result(false, why, "%s", name);
			return false;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == KTAP_SKIP) {
		ktap_skip("see above", "%s", name);
		return true;
	}
	if (WIFEXITED(status)) {
		snprintf(why, sizeof(why), "exit status %d",
			 WEXITSTATUS(status));
		ktap_result(WEXITSTATUS(status) == 0, why, "%s", name);
		return WEXITSTATUS(status) == 0;
	}
	snprintf(why, sizeof(why), "killed by signal %d (%s)",
		 WTERMSIG(status), strsignal(WTERMSIG(status)));
	ktap_result(false, why, "%s", name);
	return false;
}

int ktap_finish(void)
{
	if (count != planned) {
		ktap_diag("planned %u tests, ran %u", planned, count);
		failed++;
	}
	printf("# Totals: pass:%u fail:%u skip:%u\n", passed, failed,
	       skipped);
	fflush(stdout);
	return failed ? 1 : 0;
}
