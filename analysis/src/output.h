/* Writing the report directory: files, tables, plots, REPORT.md. */
#ifndef UAREPORT_OUTPUT_H
#define UAREPORT_OUTPUT_H

#include <stdio.h>

#include "analysis.h"
#include "inboot.h"
#include "probes_read.h"
#include "prediction.h"
#include "toggle.h"

/* A file written to <final>.tmp, then fsynced and renamed into place. */
struct outfile {
	FILE *f;
	char *tmp, *final;
};

int out_open(struct outfile *o, const char *dir, const char *name);
int out_close(struct outfile *o);	/* 0 when written and renamed */

/* CSV field, quoted when it holds a comma, quote or newline. */
void csv_str(FILE *f, const char *s);
/* Markdown table cell text: '|' escaped, newlines flattened. */
void md_str(FILE *f, const char *s);
/* "+1.23 [+0.50, +2.01]" in percent, or "n/a". */
void fmt_pct(char *buf, size_t n, const struct interval *v);
/* File-name-safe copy of s: [A-Za-z0-9._-], others become '_'. */
char *safe_name(const char *s);

/* Cells of one arch in table order (workload, counter, size); count out. */
uint32_t *sorted_cells(const struct analysis *a, uint32_t arch, size_t *n);

/* The Markdown tables, also embedded in REPORT.md. An overhead table holds
 * the non-control rows (controls = 0) or the controls (1). */
void overhead_md_table(const struct analysis *a, FILE *f, size_t arch_k,
		       int controls);
void overhead_md_legend(const struct analysis *a, FILE *f);
/* One arch's compared pairs side by side, a column each: headline
 * overheads and geometric means, as overhead_md_table gives them. */
void kernel_md_table(const struct analysis *a, FILE *f, size_t arch_k);
/* The kernel series of a pair: "6.1", or "6.12 vs 6.1" when its sides
 * ran different series. */
void pair_kernel(const struct analysis *a, uint32_t entry, uint32_t baseline,
		 char *buf, size_t n);
void cost_md_table(const struct analysis *a, FILE *f, size_t arch_k);
/* The cost of entry in cell, or NULL when it has none. */
const struct cost *find_cost(const struct analysis *a, uint32_t cell,
			     uint32_t entry);

struct plot_list {
	char **png;		/* relative to the report dir */
	char **caption;
	size_t n;
};

/* Writes .dat/.gp under dir/plots and runs gnuplot once over them all. */
int write_plots(const struct analysis *a, const char *dir,
		struct plot_list *pl, char **why_not);
void plot_list_free(struct plot_list *pl);

struct run_info {
	const char *cmdline;	/* how uareport was run, for the report */
	char **manifests;	/* lab run manifest.txt files to quote */
	size_t nmanifests;
	const struct probe_set *probes;	/* fault probes of the runs read */
	const struct inboot *inboot;	/* uabench --calibrate, per boot */
	const struct toggle_set *toggles;	/* uabench --kloop's toggles */
	const struct toggle_pairs *pairs;	/* configs/toggle-pairs */
};

/* What every writer reads: the results, and the plots made from them. */
struct writer_ctx {
	const struct analysis *a;
	const struct plot_list *pl;
	const char *plots_missing;	/* why there are no plots, or NULL */
	const struct run_info *run;
};

/* A compared pair's cell where the two sides differ in inject_ticks. */
struct instrument_row {
	int accesses;		/* waiting uaccesses per operation */
	double truth;		/* injected ticks per operation */
	int covered;		/* the abs interval covers truth */
};

/* 1 and r filled when overhead o is an instrument check, else 0. */
int instrument_row(const struct analysis *a, const struct overhead *o,
		   struct instrument_row *r);
/* REPORT.md's "Instrument check" section, and instrument.csv. */
void instrument_md(const struct analysis *a, FILE *f);
int instrument_csv(const struct writer_ctx *w, FILE *f);
int inboot_csv_writer(const struct writer_ctx *w, FILE *f);
/* REPORT.md's table of the in-kernel primitives (kloop-* series). */
void primitives_md(const struct analysis *a, FILE *f);
int toggle_csv_writer(const struct writer_ctx *w, FILE *f);

/* Every file of the report directory (tables.c WRITERS) into dir. */
int write_outputs(const struct writer_ctx *w, const char *dir);
int report_md(const struct writer_ctx *w, FILE *f);

/*
 * --precision: one line per chosen overhead with its CI half-width, then a
 * verdict line. Returns 0 when every half-width is under target_pct, 3
 * when more boots are needed, 2 when `cells` names no measured cell.
 */
int precision_check(const struct analysis *a, double target_pct,
		    const char *cells, FILE *out);

#endif
