/*
 * Workload descriptors: every one is complete and names a valid field,
 * exactly one is calib, the module workloads refuse to run without the
 * module or beyond its buffer, and the stock batches really run.
 */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "uab_schema.h"
#include "workload.h"

static void descriptors_complete(void **state)
{
	int ncalib = 0;

	(void)state;
	for (size_t i = 0; i < nworkloads; i++) {
		const struct workload *w = &workloads[i];

		assert_non_null(w->name);
		assert_true(uab_field_ok(w->name, strlen(w->name)));
		/* "~" marks repeated cells. */
		assert_null(strchr(w->name, '~'));
		assert_non_null(w->summary);
		assert_non_null(w->setup);
		assert_non_null(w->teardown);
		assert_non_null(w->batch);
		assert_ptr_equal(workload_find(w->name), w);
		ncalib += !!(w->flags & WL_CALIB);
	}
	assert_int_equal(ncalib, 1);
	assert_null(workload_find("no-such-workload"));
}

static void module_workloads_need_module(void **state)
{
	static const char *const names[] = {
		"read", "write", "ioctl-copy-to", "ioctl-copy-from",
	};
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct workload *w = workload_find(names[i]);
		struct wl_ctx c = { .size = 4096, .dev_fd = -1,
				    .dev_status = "missing: /dev/x" };

		assert_non_null(w->supported);
		assert_int_equal(w->supported(&c, why, sizeof(why)), 0);
		assert_non_null(strstr(why, "needs the helper module"));
		assert_non_null(strstr(why, "missing: /dev/x"));
		c.dev_fd = 99;
		c.dev_bufsize = 4096;
		assert_int_equal(w->supported(&c, why, sizeof(why)), 1);
		c.size = 4097;
		assert_int_equal(w->supported(&c, why, sizeof(why)), 0);
		assert_non_null(strstr(why, "exceeds the module buffer"));
	}
}

/* Stock workloads need nothing: the hook is absent, they always run. */
static void stock_batches_run(void **state)
{
	static const char *const names[] = {
		"null", "zero-read", "null-write", "pipe", "calib", "noop",
	};
	const struct counter_opts o = {
		.fallback = clock_find(UAB_COUNTER_MONOTONIC_RAW),
	};
	struct counter_set cs;
	char err[256];

	(void)state;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct workload *w = workload_find(names[i]);
		struct wl_ctx c = { .size = 4096, .dev_fd = -1,
				    .fd = { -1, -1 } };
		uint64_t a[COUNTER_MAX], b[COUNTER_MAX];

		assert_null(w->supported);
		assert_int_equal(w->setup(&c), 0);
		assert_int_equal(w->batch(&c, &cs, 100, a, b), 0);
		if (c.failed)
			fail_msg("%s failed: %s", w->name, strerror(c.err));
		/* 100 operations take time on any counter. */
		if (b[0] <= a[0])
			fail_msg("%s: counter did not advance", w->name);
		w->teardown(&c);
	}
	counter_close(&cs);
}

/* A write that comes back short marks the context failed. */
static void short_write_fails(void **state)
{
	const struct workload *w = workload_find("null-write");
	const struct counter_opts o = {
		.fallback = clock_find(UAB_COUNTER_MONOTONIC_RAW),
	};
	struct wl_ctx c = { .size = 64, .dev_fd = -1, .fd = { -1, -1 } };
	uint64_t a[COUNTER_MAX], b[COUNTER_MAX];
	struct counter_set cs;
	char err[256];

	(void)state;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), 0);
	assert_int_equal(w->setup(&c), 0);
	/* A read-only descriptor in its place: every write fails. */
	close(c.fd[0]);
	c.fd[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(c.fd[0] >= 0);
	assert_int_equal(w->batch(&c, &cs, 3, a, b), 0);
	assert_true(c.failed);
	assert_int_equal(c.err, EBADF);
	w->teardown(&c);
	counter_close(&cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(descriptors_complete),
		cmocka_unit_test(module_workloads_need_module),
		cmocka_unit_test(stock_batches_run),
		cmocka_unit_test(short_write_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
