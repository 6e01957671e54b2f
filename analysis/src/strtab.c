#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void rehash(struct strtab *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : 64;
	uint32_t *slot = xcalloc(nslot, sizeof(*slot));

	for (size_t id = 0; id < t->n; id++) {
		size_t i = hash(t->str[id], t->len[id]) & (nslot - 1);

		while (slot[i])
			i = (i + 1) & (nslot - 1);
		slot[i] = (uint32_t)id + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t len)
{
	size_t i;

	if ((t->n + 1) * 2 > t->nslot)
		rehash(t);
	i = hash(s, len) & (t->nslot - 1);
	while (t->slot[i]) {
		uint32_t id = t->slot[i] - 1;

		if (t->len[id] == len && !memcmp(t->str[id], s, len))
			return id;
		i = (i + 1) & (t->nslot - 1);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap;

		grow((void **)&t->str, &cap, t->n + 1, sizeof(*t->str));
		t->len = xrealloc(t->len, cap * sizeof(*t->len));
		t->cap = cap;
	}
	t->str[t->n] = xmalloc(len + 1);
	memcpy(t->str[t->n], s, len);
	t->str[t->n][len] = '\0';
	t->len[t->n] = (uint32_t)len;
	t->slot[i] = (uint32_t)t->n + 1;
	return (uint32_t)t->n++;
}

void strtab_free(struct strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->str[i]);
	free(t->str);
	free(t->len);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}
