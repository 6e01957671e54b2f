/*
 * Counters read around each batch: perf_event hardware counters when the
 * PMU exists, otherwise a free-running clock (TSC, CNTVCT, MONOTONIC_RAW).
 */
#ifndef UAB_COUNTER_H
#define UAB_COUNTER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

#define COUNTER_MAX		8	/* values read per batch boundary */
#define COUNTER_NAME_LEN	96
#define COUNTER_NOTE_LEN	256

enum clock_kind {
	CLOCK_KIND_NONE,	/* no clock: perf counters only */
	CLOCK_KIND_TSC,		/* x86 time-stamp counter */
	CLOCK_KIND_CNTVCT,	/* arm64 virtual counter */
	CLOCK_KIND_MONO,	/* CLOCK_MONOTONIC_RAW, ns */
};

/* perf_event_open(2) signature, injectable so tests can make it fail. */
typedef int (*perf_open_fn)(struct perf_event_attr *attr, int pid, int cpu,
			    int group_fd, unsigned long flags);

struct counter_desc {
	char name[COUNTER_NAME_LEN];	/* CSV `counter` column */
	const char *unit;		/* CSV `unit` column */
	uint64_t hz;			/* ticks per second, 0 if not ticks */
};

struct counter_set {
	enum clock_kind clock;		/* fallback clock, or NONE */
	int perf_leader;		/* perf group leader fd, or -1 */
	int perf_fds[COUNTER_MAX];
	int nperf;			/* perf events in the group */
	int n;				/* values per read: clock + perf */
	struct counter_desc desc[COUNTER_MAX];
	char summary[COUNTER_NAME_LEN * 2];	/* header `counter` */
	char note[COUNTER_NOTE_LEN];		/* header `counter_note` */
	char hz_source[COUNTER_NAME_LEN];	/* header `tsc_hz_source` */
};

struct counter_opts {
	const char *const *events;	/* extra libpfm4 event names */
	int nevents;
	perf_open_fn perf_open;		/* NULL: the real syscall */
	enum clock_kind fallback;	/* NONE: the one for this arch */
};

#define COUNTER_BAD_EVENT	(-2)

/*
 * Open cycles + instructions (+ events); fall back to a clock when the PMU
 * is missing. Returns 0; COUNTER_BAD_EVENT when libpfm4 cannot resolve an
 * event name; -1 when a named event cannot be opened or libpfm4 fails.
 * err gets a one-line reason.
 */
int counter_open(struct counter_set *cs, const struct counter_opts *opts,
		 char *err, size_t errlen);
void counter_close(struct counter_set *cs);

/* The clock this architecture falls back to. */
enum clock_kind counter_default_clock(void);

/* Ticks per second of the TSC; source names how it was obtained. */
uint64_t counter_tsc_hz(char *source, size_t len);

/*
 * Read every counter into vals[0..cs->n-1] at the start / end of a batch.
 * Hot path, kept minimal. Returns 0, or -1 when a perf read failed.
 */
int counter_read_begin(const struct counter_set *cs, uint64_t *vals);
int counter_read_end(const struct counter_set *cs, uint64_t *vals);

#endif
