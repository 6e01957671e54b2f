#include "synth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rng.h"
#include "uab_schema.h"

static const char *const DEFAULT_WORKLOADS[] = { "read", "write" };
static const uint64_t DEFAULT_SIZES[] = { 64, 4096, 65536 };

void synth_defaults(struct synth *s)
{
	memset(s, 0, sizeof(*s));
	s->entry = "host";
	s->boot_id = "00000000-0000-0000-0000-000000000000";
	s->arch = "x86_64";
	s->kernel = "6.1.0-28-amd64";
	s->smap = s->smep = "on";
	s->pan = "na";
	s->workloads = DEFAULT_WORKLOADS;
	s->nworkloads = 2;
	s->sizes = DEFAULT_SIZES;
	s->nsizes = 3;
	s->batches = 200;
	s->ops = 100;
	s->base = 2000;
	s->per_byte = 0.25;
	s->noise = 0.01;
	s->hz = 2500000000ULL;
	s->seed = 1;
}

static void rows(FILE *f, const struct synth *s, struct rng *r, double boot,
		 const char *workload, uint64_t size, double shift)
{
	enum uab_counter c = s->hz ? UAB_COUNTER_TSC : UAB_COUNTER_MONOTONIC_RAW;
	const char *counter = uab_counter_names[c];
	const char *unit = uab_unit_words[uab_counter_unit(counter, strlen(counter))];

	for (uint32_t b = 0; b < s->batches; b++) {
		double per_op = (s->base + s->per_byte * (double)size) * (1 + shift) *
				boot * exp(s->noise * rng_normal(r));
		long long delta = llround(per_op * s->ops);

		fprintf(f, "%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%llu,%u,%u,%s,%s,%llu,%lld,"
			UAB_PER_OP_FORMAT "\n", UAB_SCHEMA_VERSION,
			s->boot_id, s->entry, s->arch, s->kernel, s->smap, s->smep,
			s->pan, uab_prot_source_words[UAB_PROT_SOURCE_MODULE],
			workload, (unsigned long long)size, b, s->ops,
			counter, unit, (unsigned long long)s->hz, delta,
			(double)delta / s->ops);
	}
}

/* The value of header key k, as uabench would write it for s. */
static void header_value(FILE *f, const struct synth *s, enum uab_key k)
{
	switch (k) {
	case UAB_KEY_SCHEMA: fputs(UAB_SCHEMA_VERSION_STR, f); break;
	case UAB_KEY_TOOL: fputs("gen_results (synthetic)", f); break;
	case UAB_KEY_UTC: case UAB_KEY_UTC_END: fputs("2026-11-23T11:00:00Z", f); break;
	case UAB_KEY_KERNEL: fputs(s->kernel, f); break;
	case UAB_KEY_ARCH: fputs(s->arch, f); break;
	case UAB_KEY_BOOT_ID: fputs(s->boot_id, f); break;
	case UAB_KEY_SMAP: fputs(s->smap, f); break;
	case UAB_KEY_SMEP: fputs(s->smep, f); break;
	case UAB_KEY_PAN: fputs(s->pan, f); break;
	case UAB_KEY_PAN_KIND: fputs(s->pan_kind ? s->pan_kind : s->pan, f); break;
	case UAB_KEY_PROT_SOURCE:
		fputs(uab_prot_source_words[UAB_PROT_SOURCE_MODULE], f);
		break;
	case UAB_KEY_ENTRY: fputs(s->entry, f); break;
	/* as uabench: the seed tells runs of one boot and second apart */
	case UAB_KEY_SEED: fprintf(f, "%llu", (unsigned long long)s->seed); break;
	case UAB_KEY_INJECT_TICKS: case UAB_KEY_CALIBRATE_TICKS: fputs("0", f); break;
	case UAB_KEY_COUNTER:
		fputs(uab_counter_names[s->hz ? UAB_COUNTER_TSC :
					UAB_COUNTER_MONOTONIC_RAW], f);
		break;
	case UAB_KEY_TSC_HZ: fprintf(f, "%llu", (unsigned long long)s->hz); break;
	case UAB_KEY_ROUNDS: fprintf(f, "%u", s->batches); break;
	case UAB_KEY_CALIB_WORKLOAD:
		fputs(s->calib_workload ? s->calib_workload : "calib", f);
		break;
	case UAB_KEY_COLUMNS: fputs(UAB_COLUMN_LINE, f); break;
	default: fputs("synthetic", f); break;
	}
}

static int finish(FILE *f, const char *tmp, const char *path)
{
	int bad = fflush(f) || ferror(f) || fsync(fileno(f));

	bad |= fclose(f);
	if (bad || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int synth_write(const struct synth *s, const char *path)
{
	char tmp[4096];
	struct rng r;
	FILE *f;
	double boot;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	rng_seed(&r, s->seed);
	boot = exp(s->boot_sd * rng_normal(&r));
	for (int k = 0; k < UAB_NKEYS; k++) {
		fprintf(f, "# %s=", uab_key_names[k]);
		header_value(f, s, (enum uab_key)k);
		fputc('\n', f);
	}
	if (s->baseline)
		fprintf(f, "# baseline=%s\n", s->baseline);
	if (s->expect)
		fprintf(f, "# expect=%s\n", s->expect);
	if (s->accel)
		fprintf(f, "# accel=%s\n", s->accel);
	if (s->qemu_cpu)
		fprintf(f, "# qemu_cpu=%s\n", s->qemu_cpu);
	if (s->verdict)
		fprintf(f, "# lab.verdict=%s\n", s->verdict);
	if (s->reason)
		fprintf(f, "# lab.reason=%s\n", s->reason);
	fprintf(f, "%s\n", UAB_COLUMN_LINE);
	rows(f, s, &r, boot, s->calib_workload ? s->calib_workload : "calib", 0, 0);
	for (size_t w = 0; w < s->nworkloads; w++)
		for (size_t z = 0; z < s->nsizes; z++)
			rows(f, s, &r, boot, s->workloads[w], s->sizes[z], s->shift);
	return finish(f, tmp, path);
}

int synth_hyperfine(const char *path, const char *const *commands,
		    size_t ncommands, size_t runs, double base, double shift,
		    uint64_t seed)
{
	char tmp[4096];
	struct rng r;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	rng_seed(&r, seed);
	fputs("{\n  \"results\": [\n", f);
	for (size_t c = 0; c < ncommands; c++) {
		fprintf(f, "    {\n      \"command\": \"%s\",\n      \"mean\": %.9f,\n"
			"      \"times\": [\n", commands[c], base);
		for (size_t i = 0; i < runs; i++)
			fprintf(f, "        %.9f%s\n",
				base * (1 + shift) * exp(0.02 * rng_normal(&r)),
				i + 1 < runs ? "," : "");
		fprintf(f, "      ],\n      \"exit_codes\": [0]\n    }%s\n",
			c + 1 < ncommands ? "," : "");
	}
	fputs("  ]\n}\n", f);
	return finish(f, tmp, path);
}
