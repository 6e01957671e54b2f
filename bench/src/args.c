/* Command-line parsing for uabench: every value is checked here. */
#define _GNU_SOURCE
#include "args.h"

#include "uab_schema.h"
#include "../../kmod/uapi/uaccess_bench.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char args_usage[] =
"usage: uabench [options]\n"
"Measure what user-space access from the kernel costs, batch by batch.\n"
"\n"
"  --list              list the workloads and exit\n"
"  --bench a,b,...     workloads to run (default: all available); a name\n"
"                      given twice runs twice as separate cells (null~2)\n"
"  --sizes n,n,...     bytes per operation (default 8,64,512,4096,32768,65536;\n"
"                      suffix K or M for KiB, MiB)\n"
"  --iters N           operations per batch (default: batches of ~100 us,\n"
"                      longer if reading the counters is slow)\n"
"  --iters-from FILE   operations per batch of each cell as in FILE, an\n"
"                      earlier result file (equal batches across boots);\n"
"                      every cell of this run must be in it, and only them\n"
"  --iters-map W:S=N,...  operations per batch per cell: workload (as in\n"
"                      the workload column, e.g. null~2), size (0 when it\n"
"                      takes none), ops; the same rule as --iters-from\n"
"  --print-iters-map   with --iters-from: print its map in --iters-map form\n"
"                      and exit (a lab sizes batches once, then passes them)\n"
"  --batches N         rounds: batches per cell\n"
"  --min-time SEC      measured time per cell (default: 120 s split over\n"
"                      the cells)\n"
"  --cpu N             pin to CPU N\n"
"  --out FILE          result CSV (default uabench-<utc>.csv); never\n"
"                      overwritten\n"
"  --events a,b        extra perf events, libpfm4 names\n"
"  --seed N            seed of the cell order (default: random)\n"
"  --entry NAME        label stored in every row (default host)\n"
"  --meta KEY=VALUE    extra '# KEY=VALUE' header line (repeatable)\n"
"  --device PATH       helper module device (default /dev/uaccess_bench)\n"
"  --calibrate D       also run inject-0, inject-d and inject-2d: 64-byte\n"
"                      module reads with the module's inject_ticks at 0,\n"
"                      D and 2D (D 1..500000) around their batches (root);\n"
"                      prints D as recovered per access, with its CI\n"
"  --kloop             also run the kloop-* workloads: uaccess primitives\n"
"                      and protection toggles looped inside the kernel\n"
"                      (module LOOP ioctl); those this kernel lacks are\n"
"                      skipped and listed\n"
"  --help              this text\n";

void args_defaults(struct options *o)
{
	static const size_t dflt[] = { 8, 64, 512, 4096, 32768, 65536 };

	memset(o, 0, sizeof(*o));
	o->nsizes = (int)(sizeof(dflt) / sizeof(dflt[0]));
	memcpy(o->sizes, dflt, sizeof(dflt));
	o->cpu = -1;
	o->entry = "host";
	o->device = "/dev/uaccess_bench";
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Unsigned decimal (or 0x hex) with an optional K/M suffix if allowed. */
static int parse_u64(const char *s, uint64_t *v, bool suffix)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	/* Base 10, not 0: a leading zero must not mean octal (010 is 10). */
	x = strtoull(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ?
		     16 : 10);
	if (errno)
		return -1;
	if (suffix && (*end == 'K' || *end == 'k' || *end == 'M')) {
		unsigned shift = *end == 'M' ? 20 : 10;

		if (x > (UINT64_MAX >> shift))
			return -1;
		x <<= shift;
		end++;
	}
	if (*end)
		return -1;
	*v = x;
	return 0;
}

static bool single_line(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return false;
	return true;
}

/* Split a comma list into the storage; empty items are errors. */
static int split_list(struct options *o, size_t *used, const char *opt,
		 const char *arg, const char **items, int max, int *n,
		 char *err, size_t errlen)
{
	size_t len = strlen(arg) + 1;
	char *copy, *p, *save = NULL;

	if (len > sizeof(o->storage) - *used)
		return fail(err, errlen, "%s: list too long", opt);
	copy = o->storage + *used;
	memcpy(copy, arg, len);
	*used += len;
	if (*arg == '\0' || arg[len - 2] == ',' || *arg == ',' ||
	    strstr(arg, ",,"))
		return fail(err, errlen, "%s: empty item in '%s'", opt, arg);
	for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (*n >= max)
			return fail(err, errlen, "%s: too many items in '%s'",
				    opt, arg);
		if (!single_line(p))
			return fail(err, errlen, "%s: control character in '%s'",
				    opt, arg);
		items[(*n)++] = p;
	}
	return 0;
}

static int parse_sizes(struct options *o, const char *arg, char *err,
		       size_t errlen)
{
	const char *items[ARGS_MAX_SIZES];
	size_t used = 0;
	int n = 0;
	struct options scratch;

	/* Split in a scratch area: sizes are stored as numbers. */
	if (split_list(&scratch, &used, "--sizes", arg, items, ARGS_MAX_SIZES, &n,
		  err, errlen) < 0)
		return -1;
	o->nsizes = 0;
	for (int i = 0; i < n; i++) {
		uint64_t v;

		if (parse_u64(items[i], &v, true) < 0 || v == 0 ||
		    v > ARGS_MAX_SIZE) {
			return fail(err, errlen,
				    "--sizes: '%s' is not a size in 1..%u bytes",
				    items[i], ARGS_MAX_SIZE);
		}
		/* Rows carry no cell id: a repeated size would merge. */
		for (int j = 0; j < o->nsizes; j++)
			if (o->sizes[j] == v)
				return fail(err, errlen,
					    "--sizes: %llu bytes given twice",
					    (unsigned long long)v);
		o->sizes[o->nsizes++] = (size_t)v;
	}
	return 0;
}

static int parse_meta(struct options *o, size_t *used, const char *arg,
		      char *err, size_t errlen)
{
	size_t len = strlen(arg) + 1;
	char *copy, *eq;

	if (o->nmeta >= ARGS_MAX_META)
		return fail(err, errlen, "--meta: more than %d given", ARGS_MAX_META);
	if (len > sizeof(o->storage) - *used)
		return fail(err, errlen, "--meta: too long: '%s'", arg);
	copy = o->storage + *used;
	memcpy(copy, arg, len);
	eq = strchr(copy, '=');
	if (!eq || eq == copy)
		return fail(err, errlen, "--meta: '%s' is not KEY=VALUE",
			    arg);
	*eq = '\0';
	for (const char *k = copy; *k; k++)
		if (!uab_key_char(*k))
			return fail(err, errlen,
				    "--meta: key '%s' may use only letters, digits, '_', '.', '-'",
				    copy);
	if (!single_line(eq + 1))
		return fail(err, errlen, "--meta: control character in '%s'",
			    copy);
	/* A header key is written once; readers refuse a repeated one. */
	for (int i = 0; i < o->nmeta; i++)
		if (!strcmp(o->meta[i].key, copy))
			return fail(err, errlen, "--meta: key '%s' given twice",
				    copy);
	*used += len;
	o->meta[o->nmeta].key = copy;
	o->meta[o->nmeta].value = eq + 1;
	o->nmeta++;
	return 0;
}

/* Event names become counter fields of every row. */
static int parse_events(struct options *o, size_t *used, const char *arg,
			char *err, size_t errlen)
{
	if (split_list(o, used, "--events", arg, o->events, ARGS_MAX_EVENTS,
		  &o->nevents, err, errlen) < 0)
		return -1;
	for (int i = 0; i < o->nevents; i++) {
		const char *ev = o->events[i];

		if (!uab_field_ok(ev, strlen(ev)))
			return fail(err, errlen,
				    "--events: '%s': a counter name must be " UAB_FIELD_RULE,
				    ev);
		/* Its unit would be the built-in counter's, not events. */
		if (uab_counter_unit(ev, strlen(ev)) != UAB_UNIT_EVENTS)
			return fail(err, errlen,
				    "--events: '%s' is a counter uabench reads itself",
				    ev);
	}
	return 0;
}

static int parse_number(const char *opt, const char *arg, uint64_t *v,
			uint64_t min, uint64_t max, char *err, size_t errlen)
{
	if (parse_u64(arg, v, false) < 0 || *v < min || *v > max)
		return fail(err, errlen, "%s: '%s' is out of range or not a number",
			    opt, arg);
	return 0;
}

static const char *const options_with_value[] = {
	"--bench", "--sizes", "--iters", "--iters-from", "--iters-map",
	"--batches", "--min-time", "--cpu",
	"--out", "--events", "--seed", "--entry", "--meta", "--device",
	"--calibrate", NULL,
};

static int takes_value(const char *name)
{
	for (int i = 0; options_with_value[i]; i++)
		if (!strcmp(name, options_with_value[i]))
			return 1;
	return 0;
}

static int apply_option(struct options *o, size_t *used, const char *name,
		 const char *val, char *err, size_t errlen)
{
	uint64_t v;

	if (!strcmp(name, "--bench"))
		return split_list(o, used, name, val, o->bench, ARGS_MAX_LIST,
			     &o->nbench, err, errlen);
	if (!strcmp(name, "--sizes"))
		return parse_sizes(o, val, err, errlen);
	if (!strcmp(name, "--iters"))
		return parse_number(name, val, &o->iters, 1, UINT64_C(1) << 40,
				    err, errlen);
	if (!strcmp(name, "--batches"))
		return parse_number(name, val, &o->batches, 1, 100000000,
				    err, errlen);
	if (!strcmp(name, "--calibrate"))
		return parse_number(name, val, &o->calibrate_ticks, 1,
				    UAB_INJECT_TICKS_MAX / 2, err, errlen);
	if (!strcmp(name, "--cpu")) {
		if (parse_number(name, val, &v, 0, 1023, err, errlen) < 0)
			return -1;
		o->cpu = (int)v;
		return 0;
	}
	if (!strcmp(name, "--seed")) {
		if (parse_number(name, val, &o->seed, 0, UINT64_MAX, err,
				 errlen) < 0)
			return -1;
		o->seed_set = true;
		return 0;
	}
	if (!strcmp(name, "--min-time")) {
		char *end;

		errno = 0;
		o->min_time = strtod(val, &end);
		if (errno || end == val || *end || !isfinite(o->min_time) ||
		    o->min_time <= 0 || o->min_time > 86400)
			return fail(err, errlen,
				    "--min-time: '%s' is not a time in seconds (0 < SEC <= 86400)",
				    val);
		return 0;
	}
	if (!strcmp(name, "--events"))
		return parse_events(o, used, val, err, errlen);
	if (!strcmp(name, "--meta"))
		return parse_meta(o, used, val, err, errlen);
	if (*val == '\0' || !single_line(val))
		return fail(err, errlen, "%s: empty value or control character",
			    name);
	if (!strcmp(name, "--out")) {
		o->out = val;
	} else if (!strcmp(name, "--iters-from")) {
		o->iters_from = val;
	} else if (!strcmp(name, "--iters-map")) {
		o->iters_map = val;
	} else if (!strcmp(name, "--entry")) {
		/* Stored in every row: a field readers accept as it is. */
		if (!uab_field_ok(val, strlen(val)))
			return fail(err, errlen,
				    "--entry: '%s': must be " UAB_FIELD_RULE, val);
		o->entry = val;
	} else {
		o->device = val;
	}
	return 0;
}

int args_parse(struct options *o, int argc, char **argv, char *err,
	       size_t errlen)
{
	size_t used = 0;
	bool bench_seen = false;

	for (int i = 1; i < argc; i++) {
		char name[32];
		const char *arg = argv[i], *val, *eq;
		size_t nlen;

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			o->help = true;
			continue;
		}
		if (!strcmp(arg, "--list")) {
			o->list = true;
			continue;
		}
		if (!strcmp(arg, "--print-iters-map")) {
			o->print_iters_map = true;
			continue;
		}
		if (!strcmp(arg, "--kloop")) {
			o->kloop = true;
			continue;
		}
		eq = strchr(arg, '=');
		nlen = eq ? (size_t)(eq - arg) : strlen(arg);
		if (strncmp(arg, "--", 2) || nlen >= sizeof(name))
			return fail(err, errlen, "unknown argument '%s'", arg);
		memcpy(name, arg, nlen);
		name[nlen] = '\0';
		if (!takes_value(name))
			return fail(err, errlen, "unknown option '%s'", name);
		if (eq) {
			val = eq + 1;
		} else {
			if (i + 1 >= argc)
				return fail(err, errlen, "%s needs a value",
					    name);
			val = argv[++i];
		}
		if (!strcmp(name, "--bench")) {
			/* Repeating --bench replaces, as with every option. */
			if (bench_seen)
				o->nbench = 0;
			bench_seen = true;
		}
		if (!strcmp(name, "--events"))
			o->nevents = 0;
		if (apply_option(o, &used, name, val, err, errlen) < 0)
			return -1;
	}
	if (o->batches && o->min_time > 0)
		return fail(err, errlen, "--batches and --min-time exclude each other");
	if ((o->iters != 0) + (o->iters_from != NULL) + (o->iters_map != NULL) > 1)
		return fail(err, errlen,
			    "--iters, --iters-from and --iters-map exclude each other");
	if (o->print_iters_map && !o->iters_from)
		return fail(err, errlen, "--print-iters-map needs --iters-from");
	return 0;
}
