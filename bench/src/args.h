/* Command-line options of uabench: syntax and value checks only. */
#ifndef UAB_ARGS_H
#define UAB_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARGS_MAX_SIZES	32
#define ARGS_MAX_LIST	64	/* --bench names */
#define ARGS_MAX_EVENTS	6
#define ARGS_MAX_META	32
#define ARGS_MAX_SIZE	(16u << 20)	/* largest --sizes value */

struct meta_kv {
	const char *key;	/* points into the argv string, '=' cut */
	const char *value;
};

struct options {
	bool help, list;
	bool print_iters_map;	/* print the --iters-from map and exit */
	const char *bench[ARGS_MAX_LIST];	/* NULL-free, nbench used */
	int nbench;
	size_t sizes[ARGS_MAX_SIZES];
	int nsizes;
	uint64_t iters;		/* ops per batch; 0 = auto */
	const char *iters_from;	/* result file giving ops per cell, or NULL */
	const char *iters_map;	/* "workload:size=N,...", or NULL */
	uint64_t batches;	/* rounds; 0 = by min_time */
	double min_time;	/* s per cell; 0 = default budget */
	int cpu;		/* -1 = no pinning */
	const char *out;	/* NULL = uabench-<utc>.csv */
	const char *events[ARGS_MAX_EVENTS];
	int nevents;
	uint64_t seed;
	bool seed_set;
	const char *entry;
	struct meta_kv meta[ARGS_MAX_META];
	int nmeta;
	const char *device;
	uint64_t calibrate_ticks;	/* --calibrate: injected ticks; 0 none */
	bool kloop;			/* --kloop: the WL_KLOOP workloads too */
	char storage[4096];	/* copies of split lists */
};

/* Defaults before parsing. */
void args_defaults(struct options *o);

/*
 * Parse argv into o. Returns 0, or -1 with a one-line reason in err.
 * List strings are copied into o->storage; other strings point into argv.
 */
int args_parse(struct options *o, int argc, char **argv, char *err,
	       size_t errlen);

/* The --help text. */
extern const char args_usage[];

#endif
