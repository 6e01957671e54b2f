/*
 * Counters read around each batch: perf_event hardware counters when the
 * PMU exists, otherwise a free-running clock (TSC, CNTVCT, MONOTONIC_RAW).
 */
#ifndef UAB_COUNTER_H
#define UAB_COUNTER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

#include "uab_schema.h"

#define COUNTER_MAX		8	/* values read per batch boundary */
#define COUNTER_NAME_LEN	96
#define COUNTER_NOTE_LEN	256

/*
 * A free-running clock read around each batch when there is no PMU, as
 * perf's arch tables: one row per clock, guarded by the architectures that
 * have it. Its counter name and unit come from the schema.
 */
struct clock_desc {
	enum uab_counter counter;	/* tsc, cntvct, monotonic_raw */
	uint64_t (*read)(void);		/* fenced: batch ops cannot cross it */
	/* Ticks per second, 0 when the unit is not ticks; says how. */
	uint64_t (*hz)(char *source, size_t len);
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
	const struct clock_desc *clock;	/* fallback clock, or NULL */
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
	const struct clock_desc *fallback; /* NULL: the one for this arch */
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
const struct clock_desc *clock_default(void);

/* The clock counting counter, or NULL when this architecture has none. */
const struct clock_desc *clock_find(enum uab_counter counter);

/*
 * Read every counter into vals[0..cs->n-1] at the start / end of a batch.
 * Hot path, kept minimal. Returns 0, or -1 when a perf read failed.
 */
int counter_read_begin(const struct counter_set *cs, uint64_t *vals);
int counter_read_end(const struct counter_set *cs, uint64_t *vals);

#endif
