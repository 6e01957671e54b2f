/* Small helpers shared by every part of uareport. */
#ifndef UAREPORT_UTIL_H
#define UAREPORT_UTIL_H

#include <stddef.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Grow *p (elements of size `size`) so that it holds at least `need`. */
void grow(void **p, size_t *cap, size_t need, size_t size);
/* printf into a fresh heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
