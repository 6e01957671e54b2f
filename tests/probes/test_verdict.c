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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "ktap.h"
#include "kmsg.h"
#include "probe.h"
#include "verdict.h"

static const char *shipped, *bad_dir;

static const char smap_oops_log[] =
	"uaccess_bench: probe read at user address 0x7f5f2c90b000\n"
	"BUG: unable to handle page fault for address: 00007f5f2c90b000\n"
	"#PF: supervisor read access in kernel mode\n"
	"#PF: error_code(0x0001) - permissions violation\n"
	"Oops: 0001 [#1] PREEMPT SMP NOPTI\n";

static void set_log(struct kmsg *k, const char *text)
{
	k->fd = -1;
	k->len = strlen(text);
	memcpy(k->text, text, k->len + 1);
}

static const struct expectation *row(struct expectations *ex,
				      const char *probe)
{
	const struct expectation *e;

	if (expect_load(shipped, ex))
		ktap_child_skip("the shipped expectations do not load");
	e = expect_find(ex, probe, "x86_64");
	if (!e)
		ktap_child_skip("no x86_64 row");
	return e;
}

static struct probe_result result(enum outcome o, const char *detail)
{
	struct probe_result r = { .outcome = o };

	snprintf(r.detail, sizeof(r.detail), "%s", detail);
	return r;
}

static void test_fault_with_log(const void *arg)
{
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = result(OUTCOME_OOPS, "killed by signal 9");
	struct judged j;

	(void)arg;
	set_log(&k, smap_oops_log);
	j = judge(row(&ex, "read"), "on", &r, &k, "read");
	ktap_expect(j.ok, "oops with both #PF lines judged ok: %s", j.why);
	ktap_expect(strstr(j.evidence, "#PF: supervisor read access") &&
		    strstr(j.evidence, "error_code(0x0001)"),
		    "evidence holds the log lines: '%s'", j.evidence);
}

static void test_survivor_fails(const void *arg)
{
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = result(OUTCOME_VALUE, "returned 0x5eed1234");
	struct judged j;

	(void)arg;
	set_log(&k, "uaccess_bench: probe read survived\n");
	j = judge(row(&ex, "read"), "on", &r, &k, "read");
	ktap_expect(!j.ok && strstr(j.why, "expected oops, got value"),
		    "a read surviving SMAP on fails: ok=%d why='%s'", j.ok,
		    j.why);
	ktap_expect(strstr(j.evidence, "probe read survived") != NULL,
		    "the survival is the evidence: '%s'", j.evidence);
}

static void test_fault_when_off_fails(const void *arg)
{
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = result(OUTCOME_OOPS, "killed by signal 9");
	struct judged j;

	(void)arg;
	set_log(&k, smap_oops_log);
	j = judge(row(&ex, "read"), "off", &r, &k, "read");
	ktap_expect(!j.ok && strstr(j.why, "expected value, got oops"),
		    "an oops with SMAP off fails: why='%s'", j.why);
}

static void test_missing_log_fails(const void *arg)
{
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = result(OUTCOME_OOPS, "killed by signal 9");
	struct judged j;

	(void)arg;
	/* An oops, but not SMAP's: e.g. a not-present page. */
	set_log(&k, "#PF: supervisor read access in kernel mode\n"
		"#PF: error_code(0x0000) - not-present page\nOops: 0000\n");
	j = judge(row(&ex, "read"), "on", &r, &k, "read");
	ktap_expect(!j.ok && strstr(j.why, "no log line") &&
		    strstr(j.why, "error_code(0x0001)"),
		    "an oops without SMAP's line fails: why='%s'", j.why);
}

static void test_control_error_fails(const void *arg)
{
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = result(OUTCOME_ERROR, "error 14 (Bad address)");
	struct judged j;

	(void)arg;
	set_log(&k, "");
	j = judge(row(&ex, "uaccess_read"), "-", &r, &k, "uaccess_read");
	ktap_expect(!j.ok && strstr(j.why, "expected value, got error"),
		    "a failing control fails: why='%s'", j.why);
}

static void test_unmeasured_state_fails(const void *arg)
{
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = result(OUTCOME_OOPS, "killed by signal 9");
	struct judged j;

	(void)arg;
	set_log(&k, smap_oops_log);
	j = judge(row(&ex, "read"), "na", &r, &k, "read");
	ktap_expect(!j.ok && strstr(j.why, "measured smap=na"),
		    "a state the module did not measure fails: why='%s'",
		    j.why);
}

static void test_peer_needs_its_line(const void *arg)
{
	static struct expectations ex;
	static struct kmsg k;
	struct probe_result r = result(OUTCOME_PASS, "loaded");
	struct judged j;

	(void)arg;
	set_log(&k, "test_user_copy: tests passed.\n");
	j = judge(row(&ex, "test_user_copy"), "-", &r, &k, "test_user_copy");
	ktap_expect(j.ok, "test_user_copy loaded with its line: %s", j.why);
	set_log(&k, "");
	j = judge(row(&ex, "test_user_copy"), "-", &r, &k, "test_user_copy");
	ktap_expect(!j.ok, "loaded without 'tests passed.' fails");
}

static void test_shipped_rows(const void *arg)
{
	static const char *const probes[] = {
		"read", "write", "exec", "uaccess_read", "test_user_copy",
	};
	static const char *const arches[] = { "x86_64", "arm64" };
	static struct expectations ex;
	size_t p, a;

	(void)arg;
	if (!ktap_expect(expect_load(shipped, &ex) == 0, "%s loads", shipped))
		return;
	for (a = 0; a < 2; a++)
		for (p = 0; p < 5; p++)
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

struct test {
	const char *name;
	void (*fn)(const void *arg);
};

static const struct test tests[] = {
	{ "oops with the kernel's lines: ok, lines as evidence",
	  test_fault_with_log },
	{ "a probe that survives where it must fault: not ok",
	  test_survivor_fails },
	{ "a probe that faults where it must not: not ok",
	  test_fault_when_off_fails },
	{ "an oops without the expected line: not ok", test_missing_log_fails },
	{ "a failing control: not ok", test_control_error_fails },
	{ "a state not measured on or off: not ok",
	  test_unmeasured_state_fails },
	{ "test_user_copy: pass rests on its log line",
	  test_peer_needs_its_line },
	{ "shipped expectations cover x86_64 and arm64", test_shipped_rows },
	{ "bad expectation files refused with file:line and why",
	  test_bad_files },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: test_verdict EXPECT_FILE BAD_DIR\n");
		return 2;
	}
	shipped = argv[1];
	bad_dir = argv[2];
	ktap_plan(sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		ktap_run_child(tests[i].name, tests[i].fn, NULL);
	return ktap_finish();
}
