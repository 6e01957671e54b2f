/* Synthetic schema-1 result files with chosen distributions and shifts. */
#ifndef UAREPORT_SYNTH_H
#define UAREPORT_SYNTH_H

#include <stddef.h>
#include <stdint.h>

struct synth {
	const char *entry, *boot_id, *arch, *kernel;
	const char *smap, *smep, *pan;
	const char *pan_kind;	/* NULL: the pan word */
	const char *baseline;	/* NULL: no "# baseline=" line */
	const char *verdict, *reason;	/* NULL: no lab lines */
	const char *accel, *qemu_cpu, *expect;
	const char *const *workloads;	/* sized workloads */
	size_t nworkloads;
	const uint64_t *sizes;
	size_t nsizes;
	const char *calib_workload;	/* the size-0 calib workload; NULL: "calib" */
	uint32_t batches;	/* per workload and size */
	uint32_t ops;		/* per batch */
	double base, per_byte;	/* cost per op: base + per_byte * size */
	double shift;		/* protected cost = (1 + shift) * cost */
	double noise;		/* per-batch lognormal sigma */
	double boot_sd;		/* per-boot lognormal sigma, calib included */
	uint64_t hz;		/* 0: unit ns, else ticks at hz */
	uint64_t seed;
};

/* Defaults: 2 workloads x 3 sizes and calib, 200 batches, 1 % noise. */
void synth_defaults(struct synth *s);
/* Write the file (temp + rename); 0 on success. */
int synth_write(const struct synth *s, const char *path);
/* hyperfine --export-json with n runs of each command, seconds ~ base. */
int synth_hyperfine(const char *path, const char *const *commands,
		    size_t ncommands, size_t runs, double base, double shift,
		    uint64_t seed);

#endif
