/* String interning: every distinct string gets a small, stable id. */
#ifndef UAREPORT_STRTAB_H
#define UAREPORT_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab {
	char **str;
	uint32_t *len;
	size_t n, cap;
	uint32_t *slot;		/* open addressing: id + 1, 0 = empty */
	size_t nslot;
};

uint32_t strtab_intern(struct strtab *t, const char *s, size_t len);
static inline const char *strtab_get(const struct strtab *t, uint32_t id)
{
	return t->str[id];
}
void strtab_free(struct strtab *t);

#endif
