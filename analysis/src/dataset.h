/* Everything read from the input files, grouped by boot and series. */
#ifndef UAREPORT_DATASET_H
#define UAREPORT_DATASET_H

#include <stdint.h>
#include <stdio.h>

#include "stats.h"
#include "strtab.h"

#define NO_STR UINT32_MAX

struct header_kv {
	uint32_t key, val;	/* strtab ids */
};

struct input_file {
	char *path;
	int is_hyperfine;
	struct header_kv *kv;
	size_t nkv, kvcap;
	int schema;		/* from "# schema=", -1 when absent */
	int rejected;		/* "# lab.verdict=rejected" */
	uint32_t reason;	/* "# lab.reason=", or NO_STR */
	uint32_t entry, boot_id;	/* of the first data row, or NO_STR */
	size_t rows;
};

struct boot {
	uint32_t entry, boot_id, arch, kernel;
	uint32_t smap, smep, pan, prot_source;
	uint32_t file;		/* first file that holds it */
	uint32_t nfiles;
};

/* The batches of one boot for one workload, size and counter. */
struct series {
	uint32_t boot, workload, counter, unit;
	uint64_t size, hz;
	float *v;
	uint32_t n, cap;
	double ops;		/* operations over all its batches */
	struct desc d;		/* after dataset_finish() */
};

struct dataset {
	struct strtab st;
	struct input_file *file;
	size_t nfile, filecap;
	struct boot *boot;
	size_t nboot, bootcap;
	struct series *series;
	size_t nseries, seriescap;
	uint32_t *sidx;		/* hash of series keys: index + 1 */
	size_t nsidx;
	FILE *err;		/* where "file:line: what" goes */
	size_t nerr;
};

void dataset_init(struct dataset *ds, FILE *err);
void dataset_free(struct dataset *ds);

/* Report "path:line: message"; counts errors. */
void dataset_error(struct dataset *ds, const char *path, size_t line,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Read one schema-1 result file; 0 when valid. */
int dataset_read_csv(struct dataset *ds, const char *path);
/* Read many result files, two at a time; same result as one by one. */
void dataset_read_csvs(struct dataset *ds, char **paths, size_t n);
/* Read one hyperfine --export-json file; its boot is that of <stem>.csv. */
int dataset_read_hyperfine(struct dataset *ds, const char *path);
/* Refuse mixed schema versions across files; 0 when consistent. */
int dataset_check_schemas(struct dataset *ds);
/* Sort every series and compute its summaries. */
void dataset_finish(struct dataset *ds);

/* Value of header key in file, or NULL. */
const char *file_header(const struct dataset *ds, const struct input_file *f,
			const char *key);

/* Find or add the series of a boot; the key is everything but samples. */
struct series *dataset_series(struct dataset *ds, uint32_t boot,
			      uint32_t workload, uint64_t size,
			      uint32_t counter, uint32_t unit, uint64_t hz);
/* Find or add the boot (entry, boot_id); *created says if it is new. */
uint32_t dataset_boot(struct dataset *ds, uint32_t entry, uint32_t boot_id,
		      uint32_t file, int *created);
/* One batch: its per-op value and how many operations it ran. */
void series_add(struct series *s, float v, uint64_t ops);

static inline const char *S(const struct dataset *ds, uint32_t id)
{
	return id == NO_STR ? "" : strtab_get(&ds->st, id);
}

#endif
