/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel log written since a mark, read from /dev/kmsg. */
#ifndef UAB_KMSG_H
#define UAB_KMSG_H

#include <stddef.h>

struct kmsg {
	int fd;
	size_t len;
	char text[65536];	/* messages, one per line, no prefixes */
};

/* Opens /dev/kmsg positioned at its end; -1 with errno on failure. */
int kmsg_open(struct kmsg *k);

/* Forgets what was read and moves the mark to the end of the log. */
void kmsg_mark(struct kmsg *k);

/* Reads every message logged since the mark into k->text. */
void kmsg_collect(struct kmsg *k);

/* The first line collected that contains needle (copied into line), or
 * NULL.
 */
const char *kmsg_find(const struct kmsg *k, const char *needle, char *line,
		      size_t size);

/* The first line collected that shows an oops, on any architecture. */
const char *kmsg_find_oops(const struct kmsg *k, char *line, size_t size);

void kmsg_close(struct kmsg *k);

#endif
