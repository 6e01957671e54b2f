/* Result file writer: header lines, CSV fields, atomic commit. */
#define _GNU_SOURCE
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkstemps makes 0600; a result file is as any other new file. */
static void mode_from_umask(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

int csv_open(struct csv_out *c, const char *path, char *err, size_t errlen)
{
	char dir[4096];
	int fd;

	memset(c, 0, sizeof(*c));
	if (snprintf(c->path, sizeof(c->path), "%s", path) >=
	    (int)sizeof(c->path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	/* Early check for a clear message; the commit checks again. */
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s: exists, refusing to overwrite", path);
		return -1;
	}
	/* A name the rename would refuse (too long, ...): say so now. */
	if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(c->tmp, sizeof(c->tmp), "%s/.uabench-XXXXXX.tmp", dirname(dir));
	fd = mkstemps(c->tmp, 4);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create temporary file: %s",
			 c->tmp, strerror(errno));
		c->tmp[0] = '\0';
		return -1;
	}
	mode_from_umask(fd);
	c->f = fdopen(fd, "w");
	if (!c->f) {
		snprintf(err, errlen, "%s: %s", c->tmp, strerror(errno));
		close(fd);
		csv_abort(c);
		return -1;
	}
	return 0;
}

void csv_escape_line(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!outlen)
		return;
	for (; *in; in++) {
		unsigned char ch = (unsigned char)*in;
		char esc[5];
		size_t n;

		if (ch == '\\') {
			memcpy(esc, "\\\\", 2);
			n = 2;
		} else if (ch == '\n') {
			memcpy(esc, "\\n", 2);
			n = 2;
		} else if (ch == '\r') {
			memcpy(esc, "\\r", 2);
			n = 2;
		} else if (ch < 0x20 || ch == 0x7f) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[ch >> 4];
			esc[3] = hex[ch & 15];
			n = 4;
		} else {
			esc[0] = (char)ch;
			n = 1;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
}

void csv_header(struct csv_out *c, const char *key, const char *value)
{
	char buf[8192];

	csv_escape_line(value, buf, sizeof(buf));
	fprintf(c->f, "# %s=%s\n", key, buf);
}

void csv_field(struct csv_out *c, const char *s, int first)
{
	if (!first)
		fputc(',', c->f);
	fputs(s, c->f);
}

void csv_end_row(struct csv_out *c)
{
	fputc('\n', c->f);
}

static int sync_dir(const char *path)
{
	char dir[4096];
	int fd, ret;

	snprintf(dir, sizeof(dir), "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/* rename(2) without replacing; link+unlink where renameat2 is missing. */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(from, to) < 0)
		return -1;
	return unlink(from);
}

int csv_commit(struct csv_out *c, char *err, size_t errlen)
{
	errno = 0;
	int bad = fflush(c->f) != 0 || ferror(c->f) || fsync(fileno(c->f));
	int e = errno ? errno : EIO;

	if (fclose(c->f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	c->f = NULL;
	if (bad) {
		snprintf(err, errlen, "%s: write failed: %s", c->tmp,
			 strerror(e));
		csv_abort(c);
		return -1;
	}
	if (rename_noreplace(c->tmp, c->path) < 0) {
		int e = errno;

		if (e == EEXIST) {
			/* A finished result is never thrown away. */
			snprintf(err, errlen,
				 "%s: appeared during the run; result kept in %s",
				 c->path, c->tmp);
			/* Handed over: a later csv_abort must not remove it. */
			c->tmp[0] = '\0';
			return -1;
		}
		snprintf(err, errlen, "%s: %s", c->path, strerror(e));
		csv_abort(c);
		return -1;
	}
	c->tmp[0] = '\0';
	if (sync_dir(c->path) < 0) {
		snprintf(err, errlen, "%s: fsync of directory: %s", c->path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

void csv_abort(struct csv_out *c)
{
	if (c->tmp[0])
		unlink(c->tmp);
	c->tmp[0] = '\0';
}
