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

#include "kloop.h"
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
	assert_true(nworkloads <= WL_MAX);
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

/*
 * Stock workloads need nothing: the hook is absent (rep movsb's says
 * whether the CPU is x86), they always run.
 */
static void stock_batches_run(void **state)
{
	static const char *const names[] = {
		"null", "zero-read", "null-write", "pipe", "calib", "noop",
		"user-memcpy",
#if defined(__x86_64__) || defined(__i386__)
		"user-rep-movsb",
#endif
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

		char why[128];

		assert_true(!w->supported || w->supported(&c, why, sizeof(why)));
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

/* Every kloop workload needs the module, like the device workloads. */
static void kloop_workloads_need_module(void **state)
{
	char why[256];
	int n = 0;

	(void)state;
	for (size_t i = 0; i < nworkloads; i++) {
		const struct workload *w = &workloads[i];
		struct wl_ctx c = { .size = 64, .dev_fd = -1,
				    .dev_status = "missing: /dev/x",
				    .param = w->param };

		if (strncmp(w->name, "kloop-", 6))
			continue;
		n++;
		assert_ptr_equal(w->setup, kloop_setup);
		assert_non_null(w->param);
		assert_int_equal(w->supported(&c, why, sizeof(why)), 0);
		assert_non_null(strstr(why, "needs the helper module"));
	}
	/* 5 sized, 8 get/put, 12 fetch (3 K x 4 ways), 3 toggle. */
	assert_int_equal(n, 28);
}

/*
 * The toggles and their baseline are one batch group (equal batches, see
 * test_schedule): the LOOP call each batch makes cancels in their
 * difference. Nothing else is in it.
 */
static void kloop_toggle_cells_share_batches(void **state)
{
	int n = 0;

	(void)state;
	for (size_t i = 0; i < nworkloads; i++) {
		const char *g = workloads[i].batch_group;

		if (g && !strcmp(g, "kloop-toggle"))
			n++;
	}
	assert_int_equal(n, 3);
	assert_string_equal(workload_find("kloop-empty")->batch_group,
			    "kloop-toggle");
	assert_string_equal(workload_find("kloop-uaccess-pair")->batch_group,
			    "kloop-toggle");
	assert_null(workload_find("kloop-copy-to")->batch_group);
}

/* The request each prepares, and the result it must get back. */
static void kloop_setup_prepares_request(void **state)
{
	static const struct {
		const char *name;
		size_t size;
		uint32_t op, fields;
		uint64_t len, expect;
		int has_addr;
	} want[] = {
		{ "kloop-copy-to", 4096, UAB_LOOP_COPY_TO_USER, 0, 4096, 0, 1 },
		{ "kloop-strncpy", 64, UAB_LOOP_STRNCPY_FROM_USER, 0, 64, 63,
		  1 },
		{ "kloop-strnlen", 64, UAB_LOOP_STRNLEN_USER, 0, 64, 64, 1 },
		{ "kloop-get-2", 2, UAB_LOOP_GET_USER, 0, 2, 0x5a5a, 1 },
		{ "kloop-put-8", 8, UAB_LOOP_PUT_USER, 0, 8, 0, 1 },
		/* Fields 1..K: their sum. */
		{ "kloop-fetch-unsafe-k4", 32, UAB_LOOP_FETCH_UNSAFE, 4, 32, 10,
		  1 },
		{ "kloop-fetch-copy-k16", 128, UAB_LOOP_FETCH_COPY, 16, 128,
		  136, 1 },
		{ "kloop-empty", 0, UAB_LOOP_EMPTY, 0, 0, 0, 0 },
		{ "kloop-toggle", 0, UAB_LOOP_TOGGLE, 0, 0, 0, 0 },
		{ "kloop-uaccess-pair", 0, UAB_LOOP_UACCESS_PAIR, 0, 1, 0, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct workload *w = workload_find(want[i].name);
		struct wl_ctx c = { .dev_fd = -1, .fd = { -1, -1 } };

		assert_non_null(w);
		c.size = (w->flags & WL_SIZED) ? want[i].size : w->fixed_size;
		assert_int_equal(c.size, want[i].size);
		c.param = w->param;
		assert_int_equal(w->setup(&c), 0);
		assert_int_equal(c.loop.op, want[i].op);
		assert_int_equal(c.loop.fields, want[i].fields);
		assert_int_equal(c.loop.len, want[i].len);
		assert_int_equal(c.loop.flags, 0);
		assert_int_equal(c.expect, want[i].expect);
		if (want[i].has_addr)
			assert_int_equal(c.loop.addr, (uint64_t)(uintptr_t)c.buf);
		else
			assert_int_equal(c.loop.addr, 0);
		w->teardown(&c);
	}
}

/* A LOOP call that fails (here: no device) marks the context failed. */
static void kloop_failed_call_fails(void **state)
{
	const struct workload *w = workload_find("kloop-get-8");
	const struct counter_opts o = {
		.fallback = clock_find(UAB_COUNTER_MONOTONIC_RAW),
	};
	struct wl_ctx c = { .size = 8, .dev_fd = -1, .fd = { -1, -1 },
			    .param = w->param };
	uint64_t a[COUNTER_MAX], b[COUNTER_MAX];
	struct counter_set cs;
	char err[256];

	(void)state;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), 0);
	assert_int_equal(w->setup(&c), 0);
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
		cmocka_unit_test(kloop_workloads_need_module),
		cmocka_unit_test(kloop_setup_prepares_request),
		cmocka_unit_test(kloop_toggle_cells_share_batches),
		cmocka_unit_test(kloop_failed_call_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
