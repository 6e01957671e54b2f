/*
 * Result file writer: '# key=value' header lines, then CSV rows, written
 * to a temporary file beside the target, fsynced and renamed into place.
 * An existing target is never overwritten.
 */
#ifndef UAB_CSV_H
#define UAB_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_out {
	FILE *f;
	char path[4096];	/* final name */
	char tmp[4096];		/* temporary name, "" once renamed or kept */
};

/* Create the temporary file; fails if path already exists. */
int csv_open(struct csv_out *c, const char *path, char *err, size_t errlen);

/* '# key=value', value escaped so it stays on one line. */
void csv_header(struct csv_out *c, const char *key, const char *value);

/*
 * One field, as it is: rows are never quoted, so the caller passes only
 * fields uab_field_ok() accepts. The separator goes before it unless first.
 */
void csv_field(struct csv_out *c, const char *s, int first);
void csv_end_row(struct csv_out *c);

/* Flush, fsync, rename without replacing, fsync the directory. */
int csv_commit(struct csv_out *c, char *err, size_t errlen);

/* Remove the temporary file (error paths, signals). Async-signal-safe. */
void csv_abort(struct csv_out *c);

/* Escape control characters and backslashes: one line, reversible. */
void csv_escape_line(const char *in, char *out, size_t outlen);

#endif
