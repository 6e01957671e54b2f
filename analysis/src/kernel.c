#include "kernel.h"

#include <stdlib.h>
#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t kernel_series_len(const char *release)
{
	size_t i = 0, minor;

	while (is_digit(release[i]))
		i++;
	if (!i || release[i] != '.')
		return strlen(release);
	minor = ++i;
	while (is_digit(release[i]))
		i++;
	return i > minor ? i : strlen(release);
}

/* Major and minor of a MAJOR.MINOR series; 0 when it is not one. */
static int parse_series(const char *s, unsigned long *major,
			unsigned long *minor)
{
	char *end;

	if (!is_digit(s[0]) || kernel_series_len(s) != strlen(s))
		return 0;
	*major = strtoul(s, &end, 10);
	if (*end != '.')
		return 0;
	*minor = strtoul(end + 1, &end, 10);
	return 1;
}

int kernel_series_cmp(const char *x, const char *y)
{
	unsigned long xa, xb, ya, yb;
	int nx = parse_series(x, &xa, &xb), ny = parse_series(y, &ya, &yb);

	if (nx != ny)
		return ny - nx;	/* MAJOR.MINOR first */
	if (nx && (xa != ya || xb != yb))
		return xa != ya ? (xa > ya) - (xa < ya) : (xb > yb) - (xb < yb);
	return strcmp(x, y);
}
