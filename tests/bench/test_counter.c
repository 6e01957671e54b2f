/*
 * Counter selection: perf_event_open is injected. Failing it must give the
 * clock fallback with the errno in the note; a working one (software events
 * standing in for the missing PMU) must give the perf group path.
 */
#include "test.h"

#include <errno.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "counter.h"

static struct counter_set cs;
static char err[256];
static int fail_errno;

static int perf_fails(struct perf_event_attr *attr, int pid, int cpu,
		      int group_fd, unsigned long flags)
{
	(void)attr, (void)pid, (void)cpu, (void)group_fd, (void)flags;
	errno = fail_errno;
	return -1;
}

/* Only hardware events fail, as on a machine without a PMU. */
static int no_pmu(struct perf_event_attr *attr, int pid, int cpu,
		  int group_fd, unsigned long flags)
{
	if (attr->type == PERF_TYPE_HARDWARE) {
		errno = ENOENT;
		return -1;
	}
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd,
			    flags);
}

/* Hardware events replaced by software clocks, so the group path runs. */
static int sw_for_hw(struct perf_event_attr *attr, int pid, int cpu,
		     int group_fd, unsigned long flags)
{
	if (attr->type == PERF_TYPE_HARDWARE) {
		attr->type = PERF_TYPE_SOFTWARE;
		attr->config = attr->config == PERF_COUNT_HW_CPU_CYCLES
			       ? PERF_COUNT_SW_TASK_CLOCK
			       : PERF_COUNT_SW_CPU_CLOCK;
	}
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd,
			    flags);
}

static void spin_ms(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

/* begin, spin, end: every value must advance by a plausible amount. */
static void assert_counts(uint64_t min_delta)
{
	uint64_t a[COUNTER_MAX], b[COUNTER_MAX];

	assert_int_equal(counter_read_begin(&cs, a), 0);
	spin_ms(5);
	assert_int_equal(counter_read_end(&cs, b), 0);
	for (int i = 0; i < cs.n; i++)
		if (b[i] - a[i] < min_delta)
			fail_msg("%s advanced by %llu only", cs.desc[i].name,
				 (unsigned long long)(b[i] - a[i]));
}

static void fallback_default_clock(void **state)
{
	struct counter_opts o = { .perf_open = perf_fails };

	(void)state;
	fail_errno = ENOENT;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), 0);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.nperf, 0);
	assert_ptr_equal(cs.clock, clock_default());
	assert_non_null(strstr(cs.note, "ENOENT"));
#if defined(__x86_64__) || defined(__i386__)
	assert_string_equal(cs.desc[0].name, "tsc");
	assert_string_equal(cs.desc[0].unit, "ticks");
	/* Any real TSC runs between 100 MHz and 10 GHz. */
	assert_true(cs.desc[0].hz > 100000000u && cs.desc[0].hz < 10000000000u);
	assert_non_null(strstr(cs.hz_source, "CLOCK_MONOTONIC_RAW"));
	assert_string_equal(cs.summary, "tsc");
	/* 5 ms at >= 100 MHz. */
	assert_counts(500000);
#endif
	counter_close(&cs);
}

static void fallback_monotonic(void **state)
{
	struct counter_opts o = { .perf_open = perf_fails,
				  .fallback = clock_find(UAB_COUNTER_MONOTONIC_RAW) };

	(void)state;
	fail_errno = EACCES;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), 0);
	assert_ptr_equal(cs.clock, clock_find(UAB_COUNTER_MONOTONIC_RAW));
	assert_string_equal(cs.desc[0].name, "monotonic_raw");
	assert_string_equal(cs.desc[0].unit, "ns");
	assert_int_equal(cs.desc[0].hz, 0);
	assert_non_null(strstr(cs.note, "EACCES"));
	assert_counts(4000000);
	counter_close(&cs);
}

static void perf_group_path(void **state)
{
	struct counter_opts o = { .perf_open = sw_for_hw };

	(void)state;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), 0);
	assert_null(cs.clock);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.nperf, 2);
	assert_string_equal(cs.desc[0].name, "cycles");
	assert_string_equal(cs.desc[1].unit, "instructions");
	assert_string_equal(cs.summary, "cycles,instructions");
	/* Stand-in software clocks count ns while we run: 5 ms spun, of
	 * which a busy host may take some. */
	assert_counts(500000);
	counter_close(&cs);
}

static void extra_event_beside_fallback(void **state)
{
	const char *ev[] = { "perf::PERF_COUNT_SW_TASK_CLOCK" };
	struct counter_opts o = { .perf_open = no_pmu, .events = ev,
				  .nevents = 1,
				  .fallback = clock_find(UAB_COUNTER_MONOTONIC_RAW) };

	(void)state;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), 0);
	assert_int_equal(cs.n, 2);
	assert_string_equal(cs.desc[0].name, "monotonic_raw");
	assert_string_equal(cs.desc[1].name, ev[0]);
	assert_string_equal(cs.desc[1].unit, "events");
	assert_counts(500000);
	counter_close(&cs);
}

static void unknown_event_is_error(void **state)
{
	const char *ev[] = { "no_such_event_anywhere" };
	struct counter_opts o = { .perf_open = no_pmu, .events = ev,
				  .nevents = 1 };

	(void)state;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)),
			 COUNTER_BAD_EVENT);
	assert_non_null(strstr(err, "no_such_event_anywhere"));
}

static void event_that_cannot_open_is_error(void **state)
{
	const char *ev[] = { "perf::PERF_COUNT_SW_TASK_CLOCK" };
	struct counter_opts o = { .perf_open = perf_fails, .events = ev,
				  .nevents = 1 };

	(void)state;
	fail_errno = EACCES;
	assert_int_equal(counter_open(&cs, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "perf_event_open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fallback_default_clock),
		cmocka_unit_test(fallback_monotonic),
		cmocka_unit_test(perf_group_path),
		cmocka_unit_test(extra_event_beside_fallback),
		cmocka_unit_test(unknown_event_is_error),
		cmocka_unit_test(event_that_cannot_open_is_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
