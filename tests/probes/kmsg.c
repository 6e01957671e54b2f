// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int kmsg_open(struct kmsg *k)
{
	k->len = 0;
	k->text[0] = '\0';
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -1;
	kmsg_mark(k);
	return 0;
}

void kmsg_mark(struct kmsg *k)
{
	lseek(k->fd, 0, SEEK_END);
	k->len = 0;
	k->text[0] = '\0';
}

/* Appends the message of one record "PRI,SEQ,TS,FLAGS;TEXT\n[ KEY=V\n]". */
static void append_record(struct kmsg *k, const char *rec, size_t n)
{
	const char *text = memchr(rec, ';', n);
	size_t len;

	if (!text)
		return;
	text++;
	len = (size_t)(rec + n - text);
	len = strcspn(text, "\n") < len ? strcspn(text, "\n") : len;
	if (k->len + len + 2 > sizeof(k->text))
		return;
	memcpy(k->text + k->len, text, len);
	k->len += len;
	k->text[k->len++] = '\n';
	k->text[k->len] = '\0';
}

void kmsg_collect(struct kmsg *k)
{
	char rec[8192];
	ssize_t n;

	for (;;) {
		n = read(k->fd, rec, sizeof(rec) - 1);
		if (n > 0) {
			rec[n] = '\0';
			append_record(k, rec, (size_t)n);
			continue;
		}
		/* EPIPE: records were overwritten; go on with the rest. */
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;
		break;
	}
}

const char *kmsg_find(const struct kmsg *k, const char *needle, char *line,
		      size_t size)
{
	const char *hit = strstr(k->text, needle), *start, *end;
	size_t len;

	if (!hit)
		return NULL;
	start = hit;
	while (start > k->text && start[-1] != '\n')
		start--;
	end = strchr(hit, '\n');
	len = end ? (size_t)(end - start) : strlen(start);
	if (len >= size)
		len = size - 1;
	memcpy(line, start, len);
	line[len] = '\0';
	return line;
}

const char *kmsg_find_oops(const struct kmsg *k, char *line, size_t size)
{
	/* x86 "Oops: 0001 [#1]", arm64 "Internal error: Oops: ..." */
	return kmsg_find(k, "Oops: ", line, size);
}

void kmsg_close(struct kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}
