/* Environment readers fed with fixture trees instead of /proc and /sys. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"

static struct env e;

static void x86_fixture(void **state)
{
	(void)state;
	env_read(&e, "fixtures/x86", "x86_64");
	assert_string_equal(e.host, "lab-x86");
	assert_string_equal(e.kernel, "6.1.0-28-amd64");
	assert_string_equal(e.arch, "x86_64");
	/* Trailing blank of /proc/cmdline dropped. */
	assert_string_equal(e.cmdline, "console=ttyS0 clearcpuid=smap panic=-1");
	assert_string_equal(e.cpu_model,
			    "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");
	assert_string_equal(e.boot_id, "5d0e2a6c-3f39-4c1e-9d61-0d5a3b7e9f10");
	assert_string_equal(e.governor, "performance");
	assert_int_equal(e.smap, UAB_STATE_ON);
	assert_int_equal(e.smep, UAB_STATE_ON);
	assert_int_equal(e.pan, UAB_STATE_NA);
	assert_string_equal(e.pan_kind, "na");
	assert_string_equal(e.prot_source, "cpuinfo");
	assert_int_equal(e.module_bufsize, 0);
	/* Sorted by name, one per file. */
	assert_int_equal(e.nvuln, 3);
	assert_string_equal(e.vuln[0].name, "l1tf");
	assert_string_equal(e.vuln[1].name, "meltdown");
	assert_string_equal(e.vuln[1].value, "Mitigation: PTI");
	assert_string_equal(e.vuln[2].value,
			    "Mitigation: Retpolines; STIBP: disabled");
}

static void arm64_fixture(void **state)
{
	(void)state;
	env_read(&e, "fixtures/arm64", "aarch64");
	assert_string_equal(e.cpu_model, "implementer 0x41 part 0xd08");
	assert_int_equal(e.smap, UAB_STATE_NA);
	assert_int_equal(e.smep, UAB_STATE_NA);
	/* PAN is no hwcap: cpuinfo cannot prove it off. */
	assert_int_equal(e.pan, UAB_STATE_UNKNOWN);
	assert_string_equal(e.pan_kind, "unknown");
	assert_string_equal(e.boot_id, "unknown");
	assert_string_equal(e.governor, "none");
	assert_int_equal(e.nvuln, 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Flags are whole tokens: "smapx" is not "smap". */
static void x86_flags_are_tokens(void **state)
{
	char root[] = "/tmp/uab-env-XXXXXX", path[128];

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/cpuinfo", root);
	write_file(path, "flags\t\t: fpu smapx xsmap smep\n");
	env_read(&e, root, "x86_64");
	assert_int_equal(e.smap, UAB_STATE_OFF);
	assert_int_equal(e.smep, UAB_STATE_ON);
	assert_string_equal(e.cpu_model, "unknown");
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
}

static void missing_tree(void **state)
{
	(void)state;
	env_read(&e, "/nonexistent-uab-root", "x86_64");
	assert_string_equal(e.host, "unknown");
	assert_string_equal(e.cmdline, "unknown");
	assert_string_equal(e.cpu_model, "unknown");
	assert_int_equal(e.smap, UAB_STATE_UNKNOWN);
	assert_int_equal(e.smep, UAB_STATE_UNKNOWN);
	assert_int_equal(e.nvuln, 0);
	assert_string_equal(e.governor, "none");
}

static void module_status_wins(void **state)
{
	struct uab_status st = {
		.abi_version = UAB_ABI_VERSION,
		.smap = UAB_PROT_OFF, .smep = UAB_PROT_ON,
		.pan = UAB_PROT_NA, .pan_kind = UAB_PAN_NONE,
		.buf_size = 1 << 20,
	};

	(void)state;
	env_read(&e, "fixtures/x86", "x86_64");
	env_apply_status(&e, &st);
	assert_int_equal(e.smap, UAB_STATE_OFF);
	assert_int_equal(e.smep, UAB_STATE_ON);
	assert_string_equal(e.pan_kind, "na");
	assert_string_equal(e.prot_source, "module");
	assert_int_equal(e.module_bufsize, 1 << 20);

	env_read(&e, "fixtures/arm64", "aarch64");
	st.smap = st.smep = UAB_PROT_NA;
	st.pan = UAB_PROT_ON;
	st.pan_kind = UAB_PAN_TTBR0;
	env_apply_status(&e, &st);
	assert_int_equal(e.pan, UAB_STATE_ON);
	assert_string_equal(e.pan_kind, "ttbr0");
	st.pan_kind = 99;
	env_apply_status(&e, &st);
	assert_string_equal(e.pan_kind, "unknown");
	st.smap = 7;
	env_apply_status(&e, &st);
	assert_int_equal(e.smap, UAB_STATE_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(x86_fixture),
		cmocka_unit_test(arm64_fixture),
		cmocka_unit_test(x86_flags_are_tokens),
		cmocka_unit_test(missing_tree),
		cmocka_unit_test(module_status_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
