// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of uab-probe's judgement and of the expectation file: every
 * way a probe can contradict its expectation must fail, loudly, and the
 * shipped configs/probes.expect must load.  KTAP output.
 *
 *   test_verdict EXPECT_FILE BAD_DIR
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "ktap.h"
#include "kmsg.h"
#include "probe.h"
#include "verdict.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static const char *shipped, *bad_dir;

static const char smap_oops_log[] =
	"uaccess_bench: probe read at user address 0x7f5f2c90b000\n"
	"BUG: unable to handle page fault for address: 00007f5f2c90b000\n"
	"#PF: supervisor read access in kernel mode\n"
	"#PF: error_code(0x0001) - permissions violation\n"
	"Oops: 0001 [#1] PREEMPT SMP NOPTI\n";

static const char armhf_exec_on_log[] =
	"uaccess_bench: probe exec at user address 0xb6f4d000\n"
	"8<--- cut here ---\n"
	"Unhandled prefetch abort: page domain fault (0x00b) at 0xb6f4d000\n"
	"Internal error: : b [#1] SMP ARM\n";

static const char armhf_exec_off_log[] =
	"uaccess_bench: probe exec at user address 0xb6f4d000\n"
	"8<--- cut here ---\n"
	"Unable to handle kernel execution of memory at virtual address b6f4d000\n"
	"Internal error: Oops: 8000000f [#1] SMP ARM\n";

static void set_log(struct kmsg *k, const char *text)
{
	k->fd = -1;
	k->len = strlen(text);
	memcpy(k->text, text, k->len + 1);
}

static const struct expectation *row(struct expectations *ex,
				      const char *probe, const char *arch)
{
	const struct expectation *e;

	if (expect_load(shipped, ex))
		ktap_child_skip("the shipped expectations do not load");
	e = expect_find(ex, probe, arch);
	if (!e)
		ktap_child_skip("no row for that arch");
	return e;
}

/* One judgement: a probe's outcome and log against its expectation. */
struct judge_case {
	const char *name;
	const char *arch;		/* NULL: x86_64 */
	const char *probe, *state;
	enum outcome outcome;
	const char *log;
	bool want_ok;
	const char *want_why;		/* substring of the reason, or NULL */
	const char *want_evidence;	/* substring of the evidence, or NULL */
};

static const struct judge_case cases[] = {
	{ "oops with SMAP's #PF lines: ok, lines as evidence", NULL,
	  "read", "on", OUTCOME_OOPS, smap_oops_log, true, NULL,
	  "#PF: error_code(0x0001) - permissions violation" },
	{ "a probe that survives where it must fault: not ok", NULL,
	  "read", "on", OUTCOME_VALUE, "uaccess_bench: probe read survived\n",
	  false, "expected oops, got value", "probe read survived" },
	{ "a probe that faults where it must not: not ok", NULL,
	  "read", "off", OUTCOME_OOPS, smap_oops_log, false,
	  "expected value, got oops", NULL },
	{ "an oops without SMAP's line (not-present page): not ok", NULL,
	  "read", "on", OUTCOME_OOPS,
	  "#PF: supervisor read access in kernel mode\n"
	  "#PF: error_code(0x0000) - not-present page\nOops: 0000\n",
	  false, "no log line \"#PF: error_code(0x0001)", NULL },
	{ "a failing control: not ok", NULL,
	  "uaccess_read", "-", OUTCOME_ERROR, "", false,
	  "expected value, got error", NULL },
	{ "a state not measured on or off: not ok", NULL,
	  "read", "na", OUTCOME_OOPS, smap_oops_log, false,
	  "measured smap=na", NULL },
	{ "test_user_copy loaded, its line logged: ok", NULL,
	  "test_user_copy", "-", OUTCOME_PASS,
	  "test_user_copy: tests passed.\n", true, NULL, "tests passed." },
	{ "test_user_copy loaded, no line: not ok", NULL,
	  "test_user_copy", "-", OUTCOME_PASS, "", false,
	  "no log line \"test_user_copy: tests passed.\"", NULL },
	/* armhf's exec logs differ per state: only the state's own counts. */
	{ "armhf exec, domain PAN on, its prefetch-abort line: ok", "armhf",
	  "exec", "on", OUTCOME_OOPS, armhf_exec_on_log, true, NULL,
	  "Unhandled prefetch abort: page domain fault" },
	{ "armhf exec, domain PAN off, the PXN line: ok", "armhf",
	  "exec", "off", OUTCOME_OOPS, armhf_exec_off_log, true, NULL,
	  "Unable to handle kernel execution of memory" },
	{ "armhf exec, domain PAN on, only the PXN line: not ok", "armhf",
	  "exec", "on", OUTCOME_OOPS, armhf_exec_off_log, false,
	  "no log line \"Unhandled prefetch abort: page domain fault\"",
	  NULL },
};

static void test_judge(const void *arg)
{
	const struct judge_case *c = arg;
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = { .outcome = c->outcome };
	struct judged j;

	snprintf(r.detail, sizeof(r.detail), "test");
	set_log(&k, c->log);
	j = judge(row(&ex, c->probe, c->arch ? c->arch : "x86_64"), c->state,
		  &r, &k, c->probe);
	ktap_expect(j.ok == c->want_ok, "judged %s, want %s (why: '%s')",
		    j.ok ? "ok" : "not ok", c->want_ok ? "ok" : "not ok",
		    j.why);
	if (c->want_why)
		ktap_expect(strstr(j.why, c->want_why) != NULL,
			    "why '%s' lacks '%s'", j.why, c->want_why);
	if (c->want_evidence)
		ktap_expect(strstr(j.evidence, c->want_evidence) != NULL,
			    "evidence '%s' lacks '%s'", j.evidence,
			    c->want_evidence);
}

static void test_shipped_rows(const void *arg)
{
	static const char *const probes[] = {
		"read", "write", "exec", "uaccess_read", "test_user_copy",
	};
	static const char *const arches[] = { "x86_64", "arm64", "armhf" };
	static struct expectations ex;
	size_t p, a;

	(void)arg;
	if (!ktap_expect(expect_load(shipped, &ex) == 0, "%s loads", shipped))
		return;
	for (a = 0; a < ARRAY_LEN(arches); a++)
		for (p = 0; p < ARRAY_LEN(probes); p++)
			ktap_expect(expect_find(&ex, probes[p], arches[a]) !=
				    NULL, "%s has %s on %s", shipped,
				    probes[p], arches[a]);
}

/*
 * Each BAD_DIR/NAME.expect must be refused with the message its first
 * line gives ("# error: TEXT").
 */
static void test_bad_files(const void *arg)
{
	struct dirent *de;
	DIR *d = opendir(bad_dir);
	int n = 0;

	(void)arg;
	if (!ktap_expect(d != NULL, "open %s", bad_dir))
		return;
	while ((de = readdir(d))) {
		static struct expectations ex;
		char path[512], want[256] = "", got[512] = "";
		FILE *f, *err;
		int saved;

		if (!strstr(de->d_name, ".expect"))
			continue;
		n++;
		snprintf(path, sizeof(path), "%s/%s", bad_dir, de->d_name);
		f = fopen(path, "r");
		if (!f || !fgets(want, sizeof(want), f) ||
		    strncmp(want, "# error: ", 9)) {
			ktap_expect(false, "%s: first line # error: ...", path);
			if (f)
				fclose(f);
			continue;
		}
		fclose(f);
		want[strcspn(want, "\n")] = '\0';
		err = tmpfile();
		if (!err)
			continue;
		/* expect_load reports on stderr: capture it. */
		fflush(stderr);
		saved = dup(2);
		dup2(fileno(err), 2);
		ktap_expect(expect_load(path, &ex) == -1, "%s refused", path);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		rewind(err);
		if (!fgets(got, sizeof(got), err))
			got[0] = '\0';
		fclose(err);
		ktap_expect(strstr(got, want + 9) != NULL,
			    "%s: said '%s', want '%s'", de->d_name, got,
			    want + 9);
	}
	closedir(d);
	ktap_expect(n >= 5, "%d bad files found in %s", n, bad_dir);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: test_verdict EXPECT_FILE BAD_DIR\n");
		return 2;
	}
	shipped = argv[1];
	bad_dir = argv[2];
	ktap_plan(ARRAY_LEN(cases) + 2);
	for (i = 0; i < ARRAY_LEN(cases); i++)
		ktap_run_child(cases[i].name, test_judge, &cases[i]);
	ktap_run_child("shipped expectations cover x86_64, arm64 and armhf",
		       test_shipped_rows, NULL);
	ktap_run_child("bad expectation files refused with file:line and why",
		       test_bad_files, NULL);
	return ktap_finish();
}
