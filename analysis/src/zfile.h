/*
 * A result file read as a byte stream: plain, or gzip when its name ends
 * in .gz (issue 26). zlib's gzread would read gzip data in a file named
 * .csv, which pandas and other readers would not, and drop bytes after
 * the last gzip member without a word. This reader refuses both, reads
 * concatenated members as gzip defines them, and tells a truncated file
 * from a corrupt one.
 */
#ifndef UAREPORT_ZFILE_H
#define UAREPORT_ZFILE_H

#include <stdio.h>
#include <sys/types.h>
#include <zlib.h>

struct zfile {
	FILE *f;
	int gz;			/* the name ends in .gz */
	int eof;		/* of the file */
	int done;		/* of the gzip data */
	z_stream zs;
	unsigned char *next;	/* unread bytes of in[] */
	size_t avail;
	long long offset;	/* of in[0] in the file */
	char why[200];		/* after -1: what is wrong */
	unsigned char in[1u << 17];
};

/* 0, or -1 with errno set (the file cannot be opened). */
int zfile_open(struct zfile *z, const char *path);

/*
 * Up to n bytes of the data into buf: their count, 0 at the end, -1 with
 * z->why filled in when the file is not what its name says, truncated or
 * corrupt, or has bytes after its gzip data.
 */
ssize_t zfile_read(struct zfile *z, char *buf, size_t n);

void zfile_close(struct zfile *z);

#endif
