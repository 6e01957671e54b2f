/* uabench: measure user-space access costs batch by batch, write a CSV. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "calibrate.h"
#include "counter.h"
#include "csv.h"
#include "env.h"
#include "iters_map.h"
#include "result_file.h"
#include "schedule.h"
#include "summary.h"
#include "workload.h"

#define DEFAULT_BUDGET_S	120.0	/* default run: split over the cells */
/*
 * Batches of 100 us, or longer when reading the counters is slow (a perf
 * read syscall): the reads must stay under 0.1 % of a batch. Longer batches
 * catch more interrupts, which raises and spreads the median (see
 * `make bench-harness`).
 */
#define BATCH_MIN_S		100e-6
#define READ_SHARE_MAX		1e-3
#define WARMUP_S		0.02
#define MAX_CELLS		512

static struct csv_out out;

static void on_signal(int sig)
{
	csv_abort(&out);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void utc_now(char *buf, size_t len, const char *fmt)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, fmt, &tm);
}

static void list_workloads(void)
{
	for (size_t i = 0; i < nworkloads; i++) {
		const struct workload *w = &workloads[i];

		printf("%-22s %-6s %s%s\n", w->name,
		       w->flags & WL_SIZED ? "sized" : "-", w->summary,
		       w->flags & WL_KLOOP ? " (--kloop)" :
		       w->flags & (WL_DEFAULT | WL_CALIB | WL_INJECT) ? ""
							  : " (only when named)");
	}
}

/* The module's STATUS, or why it cannot be used (in why). */
static int open_module(const char *dev, struct uab_status *st, char *why,
		       size_t len)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "%s: %s: %s",
			 errno == ENOENT ? "missing" : "unusable", dev,
			 strerror(errno));
		return -1;
	}
	memset(st, 0, sizeof(*st));
	if (ioctl(fd, UAB_IOC_STATUS, st) < 0) {
		snprintf(why, len, "unusable: %s: STATUS: %s", dev,
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (st->abi_version != UAB_ABI_VERSION) {
		snprintf(why, len, "unusable: %s: ABI %u, uabench speaks %u",
			 dev, st->abi_version, UAB_ABI_VERSION);
		close(fd);
		return -1;
	}
	snprintf(why, len, "loaded: %s", dev);
	return fd;
}

/* "label/size" to a comma list; a bare label when size does not apply. */
static void append_cell_name(char *buf, size_t len, const char *label, size_t size,
		   int sized)
{
	size_t n = strlen(buf);

	if (sized)
		snprintf(buf + n, len - n, "%s%s/%zu", n ? "," : "", label,
			 size);
	else
		snprintf(buf + n, len - n, "%s%s", n ? "," : "", label);
}

struct plan {
	struct bench_cell cells[MAX_CELLS];
	int ncells;
	char skipped[4096];
	char cell_list[8192];
	char skip_reason[600];	/* why the first skipped cell was */
	char calib_label[CELL_LABEL_LEN];
};

/* What every cell's workload may use and its supported() hook looks at. */
struct module_device {
	int fd;			/* -1 without the module */
	uint64_t bufsize;
	const char *status;	/* "loaded: ..." or why it is missing */
	uint32_t inject_ticks;	/* the boot's, from STATUS */
	uint32_t calibrate_ticks;	/* --calibrate's, 0 if not given */
};

/*
 * The cell of w at size, or why it cannot run here. Returns 0 (added),
 * 1 (unsupported: skipped, or a runtime error when named) or -1 (full).
 */
static int add_cell(struct plan *p, const struct workload *w,
		    const char *label, size_t size, const struct module_device *dev,
		    char *why, size_t whylen)
{
	struct bench_cell *c;

	if (p->ncells >= MAX_CELLS) {
		fprintf(stderr, "uabench: more than %d cells\n", MAX_CELLS);
		return -1;
	}
	c = &p->cells[p->ncells];
	memset(c, 0, sizeof(*c));
	c->w = w;
	snprintf(c->label, sizeof(c->label), "%s", label);
	c->size = size;
	c->ctx.size = size;
	c->ctx.dev_fd = dev->fd;
	c->ctx.dev_bufsize = dev->bufsize;
	c->ctx.dev_status = dev->status;
	c->ctx.fd[0] = c->ctx.fd[1] = -1;
	c->ctx.param_fd = -1;
	c->ctx.inject_restore = dev->inject_ticks;
	c->ctx.calibrate_ticks = dev->calibrate_ticks;
	c->ctx.param = w->param;
	if (w->supported && !w->supported(&c->ctx, why, whylen))
		return 1;
	p->ncells++;
	append_cell_name(p->cell_list, sizeof(p->cell_list), label, size,
	       w->flags & WL_SIZED);
	if ((w->flags & WL_CALIB) && !p->calib_label[0])
		snprintf(p->calib_label, sizeof(p->calib_label), "%s", label);
	return 0;
}

/*
 * Cells in the order named, each workload over its sizes; a repeated name
 * gets "~2", "~3" so A/A runs are two cells. The calib workload is always
 * added, the inject ones with --calibrate. A cell its workload does not
 * support here is an error when named in --bench or by --calibrate, else
 * skipped. Returns 0, 1 (runtime error) or 2 (bad
 * argument).
 */
static int plan_cells(struct plan *p, const struct options *o,
		      const struct module_device *dev)
{
	/* --bench's, then calib, inject and kloop ones: each at most once */
	const struct workload *named[ARGS_MAX_LIST + WL_MAX];
	int nnamed = 0, nexplicit, has_calib = 0;

	if (o->nbench) {
		for (int i = 0; i < o->nbench; i++) {
			named[nnamed] = workload_find(o->bench[i]);
			if (!named[nnamed++]) {
				fprintf(stderr,
					"uabench: unknown workload '%s' (see --list)\n",
					o->bench[i]);
				return 2;
			}
		}
	} else {
		for (size_t i = 0; i < nworkloads; i++)
			if (workloads[i].flags & WL_DEFAULT)
				named[nnamed++] = &workloads[i];
	}
	nexplicit = o->nbench ? nnamed : 0;
	for (size_t i = 0; i < nworkloads && o->kloop; i++) {
		int given = 0;

		for (int j = 0; j < nnamed; j++)
			given |= named[j] == &workloads[i];
		if ((workloads[i].flags & WL_KLOOP) && !given)
			named[nnamed++] = &workloads[i];
	}
	for (int i = 0; i < nnamed; i++)
		has_calib |= !!(named[i]->flags & WL_CALIB);
	for (size_t i = 0; i < nworkloads && !has_calib; i++)
		if (workloads[i].flags & WL_CALIB) {
			named[nnamed++] = &workloads[i];
			has_calib = 1;
		}
	for (size_t i = 0; i < nworkloads && o->calibrate_ticks; i++) {
		int given = 0;

		for (int j = 0; j < nnamed; j++)
			given |= named[j] == &workloads[i];
		if ((workloads[i].flags & WL_INJECT) && !given)
			named[nnamed++] = &workloads[i];
	}
	for (int i = 0; i < nnamed; i++) {
		const struct workload *w = named[i];
		int sized = !!(w->flags & WL_SIZED);
		int nsizes = sized ? o->nsizes : 1;
		char label[CELL_LABEL_LEN];
		int rep = 1;

		for (int j = 0; j < i; j++)
			rep += named[j] == w;
		if (rep > 1)
			snprintf(label, sizeof(label), "%s~%d", w->name, rep);
		else
			snprintf(label, sizeof(label), "%s", w->name);
		for (int s = 0; s < nsizes; s++) {
			size_t size = sized ? o->sizes[s] : w->fixed_size;
			char why[600];
			int ret = add_cell(p, w, label, size, dev, why,
					   sizeof(why));

			if (ret < 0)
				return 1;
			if (ret == 0)
				continue;
			/* Named, or --calibrate's: this run cannot be had. */
			if (i < nexplicit || (w->flags & WL_INJECT)) {
				fprintf(stderr, "uabench: workload '%s': %s\n",
					w->name, why);
				return 1;
			}
			if (!p->skipped[0])
				snprintf(p->skip_reason,
					 sizeof(p->skip_reason), "%s", why);
			append_cell_name(p->skipped, sizeof(p->skipped), label, size,
			       sized);
		}
	}
	return 0;
}

static int setup_cells(struct plan *p)
{
	for (int i = 0; i < p->ncells; i++) {
		struct bench_cell *c = &p->cells[i];

		if (c->w->setup(&c->ctx) < 0) {
			fprintf(stderr, "uabench: setting up %s size %zu: %s\n",
				c->label, c->size, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void teardown_cells(struct plan *p)
{
	for (int i = 0; i < p->ncells; i++)
		p->cells[i].w->teardown(&p->cells[i].ctx);
}

/* Returns 0, 1 (runtime error) or 2 (a CPU this process cannot use). */
static int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		if (errno == EINVAL) {
			fprintf(stderr,
				"uabench: --cpu %d: not an online CPU this process may use\n",
				cpu);
			return 2;
		}
		fprintf(stderr, "uabench: --cpu %d: %s\n", cpu,
			strerror(errno));
		return 1;
	}
	return 0;
}

static int check_meta(const struct options *o)
{
	for (int i = 0; i < o->nmeta; i++) {
		if (uab_key_reserved(o->meta[i].key)) {
			fprintf(stderr,
				"uabench: --meta: key '%s' is written by uabench itself\n",
				o->meta[i].key);
			return -1;
		}
	}
	return 0;
}

static int run(struct options *o, struct plan *p, const char *module,
	       struct env *env, const struct iters_map *fixed)
{
	struct counter_opts copts = { .events = o->events,
				      .nevents = o->nevents };
	struct schedule_opts sopts = { .batches = o->batches,
				       .min_time = o->min_time,
				       .batch_s = BATCH_MIN_S,
				       .warmup_s = WARMUP_S,
				       .seed = o->seed };
	struct result_inputs ri = { .opts = o, .env = env, .sched = &sopts,
				    .module = module, .skipped = p->skipped,
				    .cells = p->cell_list,
				    .calib_workload = p->calib_label };
	struct samples samples = { 0 };
	struct counter_set cs;
	char err[512], min_src[96], iters[32], t0[32], t1[32], dflt[64];
	char failed[300];
	sigset_t stop, prev;
	int ret = 1;

	if (!o->out) {
		utc_now(dflt, sizeof(dflt), "uabench-%Y%m%dT%H%M%SZ.csv");
		o->out = dflt;
	}
	/* Held off until the handlers can remove the new temporary file. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &prev);
	if (csv_open(&out, o->out, err, sizeof(err)) < 0) {
		sigprocmask(SIG_SETMASK, &prev, NULL);
		fprintf(stderr, "uabench: %s\n", err);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	sigprocmask(SIG_SETMASK, &prev, NULL);
	ret = counter_open(&cs, &copts, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "uabench: %s\n", err);
		/* An event name libpfm4 does not know is a bad argument. */
		ret = ret == COUNTER_BAD_EVENT ? 2 : 1;
		goto out_abort;
	}
	ret = 1;
	ri.cs = &cs;
	ri.read_cost_s = schedule_read_cost(&cs);
	if (ri.read_cost_s / READ_SHARE_MAX > sopts.batch_s)
		sopts.batch_s = ri.read_cost_s / READ_SHARE_MAX;
	if (cs.clock)
		fprintf(stderr, "uabench: note: %s\n", cs.note);
	if (o->batches) {
		snprintf(min_src, sizeof(min_src), "--batches %llu",
			 (unsigned long long)o->batches);
	} else if (o->min_time > 0) {
		snprintf(min_src, sizeof(min_src), "--min-time");
	} else {
		sopts.min_time = DEFAULT_BUDGET_S / p->ncells;
		snprintf(min_src, sizeof(min_src),
			 "default: %g s split over %d cells", DEFAULT_BUDGET_S,
			 p->ncells);
	}
	ri.min_time_source = min_src;
	if (o->iters) {
		for (int i = 0; i < p->ncells; i++)
			p->cells[i].iters = o->iters;
		snprintf(iters, sizeof(iters), "%llu",
			 (unsigned long long)o->iters);
		ri.iters = iters;
	} else if (fixed) {
		ri.iters = fixed->origin;
	} else {
		ri.iters = "auto";
	}
	if (result_file_check_fields(&ri, p->cells, p->ncells, err,
				     sizeof(err)) < 0) {
		fprintf(stderr, "uabench: %s\n", err);
		goto out_teardown;
	}
	/* Teardown copes with cells never set up: fds are -1, buffers NULL. */
	if (setup_cells(p) < 0)
		goto out_teardown;
	utc_now(t0, sizeof(t0), "%Y-%m-%dT%H:%M:%SZ");
	if (schedule_run(p->cells, p->ncells, &cs, &sopts, &samples, err,
			 sizeof(err)) < 0) {
		fprintf(stderr, "uabench: %s\n", err);
		goto out_teardown;
	}
	utc_now(t1, sizeof(t1), "%Y-%m-%dT%H:%M:%SZ");
	ri.utc_start = t0;
	ri.utc_end = t1;
	ri.rounds = samples.n / (size_t)p->ncells;
	if (samples.nfailed) {
		snprintf(failed, sizeof(failed), "%" PRIu64 " (first: %s)",
			 samples.nfailed, samples.first_failed);
		ri.failed_batches = failed;
		fprintf(stderr, "uabench: note: %s batch(es) discarded and run again\n",
			failed);
	}
	result_file_header(&out, &ri);
	result_file_rows(&out, &ri, p->cells, &samples);
	if (csv_commit(&out, err, sizeof(err)) < 0) {
		fprintf(stderr, "uabench: %s\n", err);
		goto out_teardown;
	}
	summary_print(stdout, &cs, p->cells, p->ncells, &samples);
	if (o->calibrate_ticks) {
		struct calibrate_result cr;

		if (calibrate_compute(p->cells, p->ncells, &samples, &cs,
				      (unsigned)o->calibrate_ticks, &cr) < 0) {
			fprintf(stderr, "uabench: calibrate: out of memory\n");
			goto out_teardown;
		}
		calibrate_print(stderr, &cr);
	}
	fprintf(stderr, "uabench: wrote %s\n", o->out);
	ret = 0;
out_teardown:
	teardown_cells(p);
	counter_close(&cs);
out_abort:
	csv_abort(&out);
	samples_free(&samples);
	return ret;
}

int main(int argc, char **argv)
{
	static struct options opts;
	static struct plan plan;
	static struct env env;
	static struct iters_map fixed;
	struct uab_status st;
	struct module_device dev;
	struct utsname uts;
	char err[512], module[512];
	int dev_fd, ret;

	args_defaults(&opts);
	if (args_parse(&opts, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "uabench: %s (see --help)\n", err);
		return 2;
	}
	if (opts.help) {
		fputs(args_usage, stdout);
		return 0;
	}
	if (opts.list) {
		list_workloads();
		return 0;
	}
	if (check_meta(&opts) < 0)
		return 2;
	if ((opts.iters_from &&
	     iters_map_read(&fixed, opts.iters_from, err, sizeof(err)) < 0) ||
	    (opts.iters_map &&
	     iters_map_parse(&fixed, opts.iters_map, err, sizeof(err)) < 0)) {
		fprintf(stderr, "uabench: %s\n", err);
		iters_map_free(&fixed);
		return 2;
	}
	if (opts.print_iters_map) {
		iters_map_print(&fixed, stdout);
		iters_map_free(&fixed);
		return fflush(stdout) ? 1 : 0;
	}
	if (opts.cpu >= 0) {
		ret = pin_to_cpu(opts.cpu);
		if (ret)
			return ret;
	}
	if (!opts.seed_set &&
	    getrandom(&opts.seed, sizeof(opts.seed), 0) != sizeof(opts.seed))
		opts.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid();
	uname(&uts);
	env_read(&env, "", uts.machine);
	dev_fd = open_module(opts.device, &st, module, sizeof(module));
	if (dev_fd >= 0)
		env_apply_status(&env, &st);
	dev.fd = dev_fd;
	dev.bufsize = dev_fd >= 0 ? st.buf_size : 0;
	dev.status = module;
	dev.inject_ticks = dev_fd >= 0 ? st.inject_ticks : 0;
	dev.calibrate_ticks = (uint32_t)opts.calibrate_ticks;
	ret = plan_cells(&plan, &opts, &dev);
	if (!ret && fixed.n &&
	    iters_map_apply(&fixed, plan.cells, plan.ncells, err,
			    sizeof(err)) < 0) {
		fprintf(stderr, "uabench: %s\n", err);
		ret = 2;
	}
	if (ret) {
		iters_map_free(&fixed);
		if (dev_fd >= 0)
			close(dev_fd);
		return ret;
	}
	if (plan.skipped[0])
		fprintf(stderr, "uabench: note: skipped %s (first: %s)\n",
			plan.skipped, plan.skip_reason);
	ret = run(&opts, &plan, module, &env, fixed.n ? &fixed : NULL);
	iters_map_free(&fixed);
	if (dev_fd >= 0)
		close(dev_fd);
	return ret;
}
