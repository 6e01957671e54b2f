#include "zfile.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int gzip_magic(const unsigned char *p)
{
	return p[0] == 0x1f && p[1] == 0x8b;
}

/* Move the unread bytes to the start of in[] and read more behind them. */
static int fill(struct zfile *z)
{
	size_t got;

	z->offset += z->next - z->in;
	memmove(z->in, z->next, z->avail);
	z->next = z->in;
	got = fread(z->in + z->avail, 1, sizeof(z->in) - z->avail, z->f);
	z->avail += got;
	if (!got && ferror(z->f)) {
		snprintf(z->why, sizeof(z->why), "read error: %s", strerror(errno));
		return -1;
	}
	z->eof = !got;
	return 0;
}

int zfile_open(struct zfile *z, const char *path)
{
	memset(z, 0, offsetof(struct zfile, in));
	z->f = fopen(path, "rb");
	if (!z->f)
		return -1;
	z->gz = ends_with(path, ".gz");
	z->next = z->in;
	/* the first two bytes say what the file is; errors come at a read */
	while (z->avail < 2 && !z->eof && !z->why[0])
		fill(z);
	if (z->why[0])
		return 0;
	if (!z->gz && z->avail >= 2 && gzip_magic(z->in))
		snprintf(z->why, sizeof(z->why),
			 "gzip data in a file not named .gz: name it .csv.gz "
			 "(pandas and zcat go by the name)");
	else if (z->gz && z->avail >= 2 && !gzip_magic(z->in))
		snprintf(z->why, sizeof(z->why),
			 "not gzip data, though the name ends in .gz");
	else if (z->gz && inflateInit2(&z->zs, 15 + 16) != Z_OK) {	/* gzip only */
		fclose(z->f);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static ssize_t plain_read(struct zfile *z, char *buf, size_t n)
{
	size_t got;

	if (z->avail) {		/* the bytes read to see what the file is */
		got = n < z->avail ? n : z->avail;
		memcpy(buf, z->next, got);
		z->next += got;
		z->avail -= got;
		return (ssize_t)got;
	}
	got = fread(buf, 1, n, z->f);
	if (!got && ferror(z->f)) {
		snprintf(z->why, sizeof(z->why), "read error: %s", strerror(errno));
		return -1;
	}
	return (ssize_t)got;
}

/* After a member: the end of the file, another member, or z->why. */
static void next_member(struct zfile *z)
{
	while (z->avail < 2 && !z->eof)
		if (fill(z))
			return;
	if (!z->avail)
		z->done = 1;
	else if (z->avail >= 2 && gzip_magic(z->next))
		inflateReset(&z->zs);
	else
		snprintf(z->why, sizeof(z->why),
			 "bytes after the end of the gzip data (from byte %lld of the file): "
			 "appended to the .gz file?",
			 z->offset + (long long)(z->next - z->in));
}

/*
 * On an error the bytes before it are returned first, and the error at
 * the next call: the message then names the line after the last good one.
 */
static ssize_t gz_read(struct zfile *z, char *buf, size_t n)
{
	z->zs.next_out = (unsigned char *)buf;
	z->zs.avail_out = (uInt)n;
	while (!z->done && !z->why[0] && z->zs.avail_out == n) {
		int ret;

		if (!z->avail && !z->eof && fill(z))
			break;
		z->zs.next_in = z->next;
		z->zs.avail_in = (uInt)z->avail;
		ret = inflate(&z->zs, Z_NO_FLUSH);
		z->next = z->zs.next_in;
		z->avail = z->zs.avail_in;
		if (ret == Z_STREAM_END)
			next_member(z);
		else if (ret == Z_BUF_ERROR && z->eof && !z->avail)
			/* never read a cut .gz as a shorter run */
			snprintf(z->why, sizeof(z->why),
				 "compressed data ends early: the .gz file is truncated");
		else if (ret != Z_OK && ret != Z_BUF_ERROR)
			snprintf(z->why, sizeof(z->why), "read error: %s",
				 z->zs.msg ? z->zs.msg : "corrupt compressed data");
	}
	if (z->zs.avail_out == n && z->why[0])
		return -1;
	return (ssize_t)(n - z->zs.avail_out);
}

ssize_t zfile_read(struct zfile *z, char *buf, size_t n)
{
	if (z->why[0])
		return -1;
	return z->gz ? gz_read(z, buf, n) : plain_read(z, buf, n);
}

void zfile_close(struct zfile *z)
{
	if (z->gz)
		inflateEnd(&z->zs);
	fclose(z->f);
}
