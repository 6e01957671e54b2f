/*
 * gen_results: write synthetic schema-1 result files.
 *   gen_results --out FILE [--entry E] [--boot-id ID] [--seed N]
 *               [--batches N] [--shift X] [--noise X] [--boot-sd X]
 *               [--baseline B] [--verdict accepted|rejected --reason TEXT]
 *   gen_results --bench DIR --rows N   (the benchmark input)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "synth.h"

static int usage(void)
{
	fputs("usage: gen_results --out FILE [--entry E] [--boot-id ID] [--seed N]\n"
	      "         [--batches N] [--shift X] [--noise X] [--boot-sd X]\n"
	      "         [--baseline B] [--verdict V] [--reason TEXT]\n"
	      "       gen_results --bench DIR --rows N\n", stderr);
	return 2;
}

/* 3 entries x 4 boots; 2 sized workloads x 12 sizes, a null one, calib. */
static int bench(const char *dir, unsigned long long total)
{
	static const char *const wl[] = { "copy_to_user", "copy_from_user" };
	static const uint64_t sizes[] = {
		8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384, 65536, 262144
	};
	static const char *const entries[] = { "nosmap", "smap", "smap_smep" };
	static const double shifts[] = { 0, 0.03, 0.05 };
	const unsigned boots = 4;
	unsigned long long per_file = total / (3 * boots);
	struct synth s;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	synth_defaults(&s);
	s.workloads = wl;
	s.nworkloads = 2;
	s.sizes = sizes;
	s.nsizes = sizeof(sizes) / sizeof(sizes[0]);
	s.batches = (uint32_t)(per_file / (s.nworkloads * s.nsizes + 1));
	s.boot_sd = 0.01;
	s.accel = "tcg";
	s.qemu_cpu = "max";
	for (unsigned e = 0; e < 3; e++) {
		for (unsigned b = 0; b < boots; b++) {
			char path[4096], id[64];

			snprintf(id, sizeof(id), "%08x-0000-4000-8000-%012u", e, b);
			snprintf(path, sizeof(path), "%s/%s-%u.csv", dir, entries[e], b);
			s.entry = entries[e];
			s.boot_id = id;
			s.baseline = e ? "nosmap" : NULL;
			s.smap = e ? "on" : "off";
			s.smep = e == 2 ? "on" : "off";
			s.expect = e ? "smap=on" : "smap=off";
			s.shift = shifts[e];
			s.seed = 1000 * e + b + 1;
			if (synth_write(&s, path)) {
				perror(path);
				return 1;
			}
		}
	}
	return 0;
}

/* A number argument, or one error line and exit 2. */
static double num(const char *opt, const char *v)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (!*v || *end || errno || d < 0) {
		fprintf(stderr, "gen_results: %s '%s' is not a non-negative number\n", opt, v);
		exit(2);
	}
	return d;
}

int main(int argc, char **argv)
{
	struct synth s;
	const char *out = NULL, *bench_dir = NULL;
	unsigned long long rows = 0;

	synth_defaults(&s);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return usage();
		i++;
		if (!strcmp(o, "--out"))
			out = v;
		else if (!strcmp(o, "--bench"))
			bench_dir = v;
		else if (!strcmp(o, "--rows"))
			rows = (unsigned long long)num(o, v);
		else if (!strcmp(o, "--entry"))
			s.entry = v;
		else if (!strcmp(o, "--boot-id"))
			s.boot_id = v;
		else if (!strcmp(o, "--seed"))
			s.seed = (uint64_t)num(o, v);
		else if (!strcmp(o, "--batches"))
			s.batches = (uint32_t)num(o, v);
		else if (!strcmp(o, "--shift"))
			s.shift = num(o, v);
		else if (!strcmp(o, "--noise"))
			s.noise = num(o, v);
		else if (!strcmp(o, "--boot-sd"))
			s.boot_sd = num(o, v);
		else if (!strcmp(o, "--baseline"))
			s.baseline = v;
		else if (!strcmp(o, "--verdict"))
			s.verdict = v;
		else if (!strcmp(o, "--reason"))
			s.reason = v;
		else
			return usage();
	}
	if (bench_dir)
		return rows ? bench(bench_dir, rows) : usage();
	if (!out || !s.batches)
		return usage();
	if (synth_write(&s, out)) {
		perror(out);
		return 1;
	}
	return 0;
}
