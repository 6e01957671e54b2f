// SPDX-License-Identifier: GPL-2.0
/*
 * uab-probe: proves the user-access protections work by making the helper
 * module (loaded with allow_probes=1) touch user memory outside the uaccess
 * API, one probe per forked child, and judging each outcome against
 * configs/probes.expect for the protection state the module MEASURED.
 * Prints KTAP (TAP version 13) with a plan, and writes a CSV whose
 * evidence column holds the kernel log lines each verdict rests on.
 *
 *   uab-probe --expect FILE --csv OUT [--entry NAME] [--peer MODULE.ko]
 *
 * --peer loads the kernel's own uaccess test module (lib/test_user_copy.ko)
 * as one more test.  Exit status: 0 when every test passed, 1 when one
 * failed, 2 on bad usage.  Run it in a boot of its own: probes oops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uaccess_bench.h"
#include "uab_schema.h"
#include "expect.h"
#include "ktap.h"
#include "kmsg.h"
#include "probe.h"
#include "probe_csv.h"
#include "verdict.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct probe_def {
	const char *name;	/* as in configs/probes.expect */
	uint32_t op;		/* UAB_PROBE_*, 0 for the peer module */
};

static const struct probe_def probes[] = {
	{ "read", UAB_PROBE_READ },
	{ "write", UAB_PROBE_WRITE },
	{ "exec", UAB_PROBE_EXEC },
	{ "uaccess_read", UAB_PROBE_UACCESS_READ },
	{ "test_user_copy", 0 },
};

struct oops_watch {
	struct kmsg *log;
	long count_before;
};

static long read_oops_count(void)
{
	FILE *f = fopen("/sys/kernel/oops_count", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* Collects the log, then: did the kernel oops since the mark? */
static int oopsed(void *ctx)
{
	struct oops_watch *w = ctx;
	long now = read_oops_count();
	char line[256];

	kmsg_collect(w->log);
	if (w->count_before >= 0 && now > w->count_before)
		return 1;
	return kmsg_find_oops(w->log, line, sizeof(line)) != NULL;
}

/* The matrix's name for the architecture uname reports. */
static const char *arch_name(const char *machine)
{
	if (!strcmp(machine, "aarch64"))
		return "arm64";
	if (!strncmp(machine, "armv", 4))
		return "armhf";
	return machine;
}

static const char *state_of(const struct uab_status *st, const char *key)
{
	unsigned int v;

	if (!strcmp(key, "smap"))
		v = st->smap;
	else if (!strcmp(key, "smep"))
		v = st->smep;
	else if (!strcmp(key, "pan"))
		v = st->pan;
	else
		return "-";
	return uab_prot_word(v);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: uab-probe --expect FILE --csv OUT [--entry NAME] "
		"[--peer MODULE.ko]\n");
}

struct options {
	const char *expect, *csv, *entry, *peer;
};

static int parse_args(int argc, char **argv, struct options *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->entry = "-";
	for (i = 1; i < argc; i++) {
		const char **slot = NULL;

		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			exit(0);
		}
		if (!strcmp(argv[i], "--expect"))
			slot = &o->expect;
		else if (!strcmp(argv[i], "--csv"))
			slot = &o->csv;
		else if (!strcmp(argv[i], "--entry"))
			slot = &o->entry;
		else if (!strcmp(argv[i], "--peer"))
			slot = &o->peer;
		if (!slot || i + 1 == argc) {
			fprintf(stderr, "uab-probe: %s '%s'\n",
				slot ? "missing value after" :
				"unknown argument", argv[i]);
			usage(stderr);
			return -1;
		}
		*slot = argv[++i];
	}
	if (!o->expect || !o->csv) {
		usage(stderr);
		return -1;
	}
	if (!access(o->csv, F_OK)) {
		fprintf(stderr, "uab-probe: %s exists: results are never "
			"overwritten\n", o->csv);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct expectations ex;
	struct uab_status st;
	static struct kmsg log;
	struct options o;
	const char *arch;
	FILE *csv;
	size_t i;
	int fd;

	if (parse_args(argc, argv, &o) || expect_load(o.expect, &ex))
		return 2;
	fd = open(UAB_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	memset(&st, 0, sizeof(st));
	if (fd < 0 || ioctl(fd, UAB_IOC_STATUS, &st)) {
		printf("Bail out! %s: %s\n", UAB_DEVICE_PATH, strerror(errno));
		return 1;
	}
	if (kmsg_open(&log)) {
		printf("Bail out! /dev/kmsg: %s\n", strerror(errno));
		return 1;
	}
	arch = arch_name(st.arch);
	csv = probe_csv_open(o.csv, o.entry, arch, &st, o.expect);
	if (!csv) {
		printf("Bail out! %s: %s\n", o.csv, strerror(errno));
		return 1;
	}

	ktap_plan(ARRAY_LEN(probes));
	ktap_diag("measured (module STATUS): smap=%s smep=%s pan=%s, "
		  "arch %s, kernel %.64s", state_of(&st, "smap"),
		  state_of(&st, "smep"), state_of(&st, "pan"), arch,
		  st.release);
	for (i = 0; i < ARRAY_LEN(probes); i++) {
		const struct probe_def *p = &probes[i];
		const struct expectation *e = expect_find(&ex, p->name, arch);
		struct oops_watch w = { &log, read_oops_count() };
		struct probe_row row = { .probe = p->name };
		struct probe_result res;
		struct judged j;
		const char *state;

		if (!e || (!p->op && !o.peer)) {
			const char *why = e ? "no --peer module: the kernel has no test_user_copy" :
				"no expectation for this arch";

			ktap_skip(why, "%s", p->name);
			row.depends = row.state = row.expected = "-";
			row.outcome = row.detail = row.evidence = "-";
			row.verdict = "skip";
			probe_csv_row(csv, o.entry, arch, &row);
			continue;
		}
		kmsg_mark(&log);
		res = p->op ? probe_run(fd, p->op, oopsed, &w) :
			      probe_load_module(o.peer, oopsed, &w);
		kmsg_collect(&log);
		state = state_of(&st, e->depends);
		j = judge(e, state, &res, &log, p->name);

		ktap_diag("%s: %s%s%s, expected %s, got %s (%s)", p->name,
			  strcmp(e->depends, "-") ? e->depends : "any state",
			  strcmp(e->depends, "-") ? "=" : "",
			  strcmp(e->depends, "-") ? state : "",
			  expect_outcome(e, state), outcome_name(res.outcome),
			  res.detail);
		if (j.evidence[0])
			ktap_diag("  log: %s", j.evidence);
		ktap_result(j.ok, j.why, "%s", p->name);

		row.depends = e->depends;
		row.state = state;
		row.expected = expect_outcome(e, state);
		row.outcome = outcome_name(res.outcome);
		row.verdict = j.ok ? "pass" : "fail";
		row.detail = res.detail;
		row.evidence = j.evidence[0] ? j.evidence : "-";
		probe_csv_row(csv, o.entry, arch, &row);
	}
	if (probe_csv_close(csv, o.csv)) {
		ktap_diag("cannot write %s: %s", o.csv, strerror(errno));
		ktap_finish();
		return 1;
	}
	kmsg_close(&log);
	return ktap_finish();
}
