/* Counters around each batch: perf_event group, or a clock fallback. */
#define _GNU_SOURCE
#include "counter.h"

#include <errno.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int sys_perf_open(struct perf_event_attr *attr, int pid, int cpu,
			 int group_fd, unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd,
			    flags);
}

static uint64_t mono_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Clock reads are fenced so the operations of the batch cannot move
 * across them: lfence before rdtsc waits for earlier instructions, lfence
 * after it keeps later ones from starting early (works on Intel and AMD,
 * and does not depend on rdtscp, which some hypervisors hide).
 */
#if defined(__x86_64__) || defined(__i386__)
static uint64_t tsc_read(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence"
			 : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}
#endif

#if defined(__aarch64__)
static uint64_t cntvct_read(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb"
			 : "=r"(v) : : "memory");
	return v;
}

static uint64_t cntvct_hz(char *source, size_t len)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	snprintf(source, len, "cntfrq_el0");
	return f;
}
#endif

static uint64_t no_hz(char *source, size_t len)
{
	snprintf(source, len, "none");
	return 0;
}

#if defined(__x86_64__) || defined(__i386__)
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The kernel's own TSC-to-ns factors, published when the TSC is stable. */
static uint64_t tsc_hz_from_kernel(void)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_DUMMY,
		.exclude_kernel = 1,
	};
	struct perf_event_mmap_page *pg;
	uint64_t hz = 0;
	long pagesz = sysconf(_SC_PAGESIZE);
	int fd = sys_perf_open(&attr, 0, -1, -1, 0);

	if (fd < 0)
		return 0;
	pg = mmap(NULL, (size_t)pagesz, PROT_READ, MAP_SHARED, fd, 0);
	if (pg != MAP_FAILED) {
		if (pg->cap_user_time && pg->time_mult)
			hz = ((uint64_t)1000000000 << pg->time_shift) /
			     pg->time_mult;
		munmap(pg, (size_t)pagesz);
	}
	close(fd);
	return hz;
}

static uint64_t tsc_hz(char *source, size_t len)
{
	enum { TRIALS = 5 };
	uint64_t hz[TRIALS];
	uint64_t khz = tsc_hz_from_kernel();

	if (khz) {
		snprintf(source, len, "kernel (perf_event mmap time_mult)");
		return khz;
	}
	/* Median of short trials: one preempted trial cannot skew it. */
	for (int i = 0; i < TRIALS; i++) {
		uint64_t t0 = mono_raw_ns(), c0 = tsc_read();
		uint64_t t1, c1;

		do {
			t1 = mono_raw_ns();
		} while (t1 - t0 < 20000000);
		c1 = tsc_read();
		hz[i] = (uint64_t)((double)(c1 - c0) * 1e9 / (double)(t1 - t0));
	}
	qsort(hz, TRIALS, sizeof(hz[0]), cmp_u64);
	snprintf(source, len,
		 "calibrated against CLOCK_MONOTONIC_RAW (median of 5 x 20 ms)");
	return hz[TRIALS / 2];
}
#endif

/* The first row this architecture has is its default. */
static const struct clock_desc clocks[] = {
#if defined(__x86_64__) || defined(__i386__)
	{ UAB_COUNTER_TSC, tsc_read, tsc_hz },
#endif
#if defined(__aarch64__)
	{ UAB_COUNTER_CNTVCT, cntvct_read, cntvct_hz },
#endif
	{ UAB_COUNTER_MONOTONIC_RAW, mono_raw_ns, no_hz },
};

const struct clock_desc *clock_default(void)
{
	return &clocks[0];
}

const struct clock_desc *clock_find(enum uab_counter counter)
{
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++)
		if (clocks[i].counter == counter)
			return &clocks[i];
	return NULL;
}

static void close_perf(struct counter_set *cs)
{
	for (int i = 0; i < cs->nperf; i++)
		close(cs->perf_fds[i]);
	cs->nperf = 0;
	cs->perf_leader = -1;
}

static int add_perf(struct counter_set *cs, perf_open_fn open_fn,
		    struct perf_event_attr *attr, const char *name)
{
	struct counter_desc *d;
	int fd;

	attr->size = sizeof(*attr);
	attr->disabled = cs->perf_leader < 0;
	attr->exclude_hv = 1;
	attr->read_format = PERF_FORMAT_GROUP |
			    PERF_FORMAT_TOTAL_TIME_ENABLED |
			    PERF_FORMAT_TOTAL_TIME_RUNNING;
	fd = open_fn(attr, 0, -1, cs->perf_leader, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (cs->perf_leader < 0)
		cs->perf_leader = fd;
	cs->perf_fds[cs->nperf++] = fd;
	d = &cs->desc[cs->n++];
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->unit = uab_unit_words[uab_counter_unit(name, strlen(name))];
	d->hz = 0;
	return 0;
}

static int add_hw(struct counter_set *cs, perf_open_fn open_fn,
		  uint64_t config, enum uab_counter counter)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.config = config,
	};

	return add_perf(cs, open_fn, &attr, uab_counter_names[counter]);
}

static int add_event(struct counter_set *cs, perf_open_fn open_fn,
		     const char *name, char *err, size_t errlen)
{
	struct perf_event_attr attr;
	pfm_perf_encode_arg_t arg;
	int ret;

	memset(&attr, 0, sizeof(attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
					PFM_OS_PERF_EVENT, &arg);
	if (ret != PFM_SUCCESS) {
		snprintf(err, errlen, "--events: '%s': %s", name,
			 pfm_strerror(ret));
		return COUNTER_BAD_EVENT;
	}
	if (add_perf(cs, open_fn, &attr, name) < 0) {
		snprintf(err, errlen, "event '%s': perf_event_open: %s",
			 name, strerror(errno));
		return -1;
	}
	return 0;
}

static void describe(struct counter_set *cs)
{
	size_t off = 0;

	cs->summary[0] = '\0';
	for (int i = 0; i < cs->n; i++)
		off += (size_t)snprintf(cs->summary + off,
					sizeof(cs->summary) - off, "%s%s",
					i ? "," : "", cs->desc[i].name);
}

int counter_open(struct counter_set *cs, const struct counter_opts *opts,
		 char *err, size_t errlen)
{
	perf_open_fn open_fn = opts->perf_open ? opts->perf_open
					       : sys_perf_open;
	int pfm_ret;

	memset(cs, 0, sizeof(*cs));
	cs->perf_leader = -1;
	if (opts->nevents > COUNTER_MAX - 2) {
		snprintf(err, errlen, "at most %d --events", COUNTER_MAX - 2);
		return -1;
	}
	if (add_hw(cs, open_fn, PERF_COUNT_HW_CPU_CYCLES,
		   UAB_COUNTER_CYCLES) < 0 ||
	    add_hw(cs, open_fn, PERF_COUNT_HW_INSTRUCTIONS,
		   UAB_COUNTER_INSTRUCTIONS) < 0) {
		int e = errno;
		const struct clock_desc *k = opts->fallback ? opts->fallback
							    : clock_default();
		const char *name = uab_counter_names[k->counter];
		struct counter_desc *d;

		close_perf(cs);
		cs->n = 0;
		cs->clock = k;
		d = &cs->desc[cs->n++];
		snprintf(d->name, sizeof(d->name), "%s", name);
		d->hz = k->hz(cs->hz_source, sizeof(cs->hz_source));
		d->unit = uab_unit_words[uab_counter_unit(name, strlen(name))];
		snprintf(cs->note, sizeof(cs->note),
			 "perf_event_open(cycles+instructions) failed: %s (%s); fallback to %s",
			 strerrorname_np(e) ? strerrorname_np(e) : "?",
			 strerror(e), name);
	} else {
		snprintf(cs->note, sizeof(cs->note),
			 "perf_event hardware counters, user+kernel");
		snprintf(cs->hz_source, sizeof(cs->hz_source), "none");
	}
	if (opts->nevents > 0) {
		pfm_ret = pfm_initialize();
		if (pfm_ret != PFM_SUCCESS) {
			snprintf(err, errlen, "libpfm4: %s",
				 pfm_strerror(pfm_ret));
			counter_close(cs);
			return -1;
		}
		for (int i = 0; i < opts->nevents; i++) {
			int ret = add_event(cs, open_fn, opts->events[i], err,
					    errlen);

			if (ret < 0) {
				counter_close(cs);
				return ret;
			}
		}
	}
	if (cs->perf_leader >= 0 &&
	    (ioctl(cs->perf_leader, PERF_EVENT_IOC_RESET,
		   PERF_IOC_FLAG_GROUP) < 0 ||
	     ioctl(cs->perf_leader, PERF_EVENT_IOC_ENABLE,
		   PERF_IOC_FLAG_GROUP) < 0)) {
		snprintf(err, errlen, "perf_event enable: %s",
			 strerror(errno));
		counter_close(cs);
		return -1;
	}
	describe(cs);
	return 0;
}

void counter_close(struct counter_set *cs)
{
	close_perf(cs);
	cs->n = 0;
}

/*
 * Group read: { nr, time_enabled, time_running, value[nr] }, values in the
 * order the events were opened. A group that was not on the PMU all the
 * time (multiplexed: too many events) gives no usable count.
 */
static inline int perf_read(const struct counter_set *cs, uint64_t *vals)
{
	uint64_t buf[COUNTER_MAX + 3];
	ssize_t want = (ssize_t)((size_t)(cs->nperf + 3) * sizeof(buf[0]));

	if (read(cs->perf_leader, buf, (size_t)want) != want ||
	    buf[1] != buf[2])
		return -1;
	for (int i = 0; i < cs->nperf; i++)
		vals[i] = buf[i + 3];
	return 0;
}

/*
 * The clock is read last at the start of a batch and first at its end, so
 * a perf read syscall never falls inside the clock's interval.
 */
int counter_read_begin(const struct counter_set *cs, uint64_t *vals)
{
	int has_clock = cs->clock != NULL;

	if (cs->nperf && perf_read(cs, vals + has_clock) < 0)
		return -1;
	if (has_clock)
		vals[0] = cs->clock->read();
	return 0;
}

int counter_read_end(const struct counter_set *cs, uint64_t *vals)
{
	int has_clock = cs->clock != NULL;

	if (has_clock)
		vals[0] = cs->clock->read();
	if (cs->nperf && perf_read(cs, vals + has_clock) < 0)
		return -1;
	return 0;
}
