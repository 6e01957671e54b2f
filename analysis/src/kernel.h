/*
 * Kernel series: the MAJOR.MINOR line a release belongs to ("6.12" of
 * "6.12.38+deb12-amd64"), the unit in which the report sets kernels side
 * by side. Built variants of one source ("6.1.192-arm64-pan-hw",
 * "6.1.192-arm64-nopan") share a series.
 */
#ifndef UAREPORT_KERNEL_H
#define UAREPORT_KERNEL_H

#include <stddef.h>

/*
 * Length of the series at the start of release: its leading "MAJOR.MINOR"
 * (digits, a dot, digits), or the whole release when it has no such start.
 */
size_t kernel_series_len(const char *release);

/*
 * Series in version order: MAJOR.MINOR ones numerically (6.1 < 6.9 <
 * 6.12), then any other by name. A total order: ties fall back to strcmp.
 */
int kernel_series_cmp(const char *x, const char *y);

#endif
