#include "expect.h"

#include <string.h>

#include "../../kmod/uapi/uaccess_bench.h"

const enum uab_key prot_key[NPROT] = {
	UAB_KEY_SMAP, UAB_KEY_SMEP, UAB_KEY_PAN, UAB_KEY_PAN_KIND,
};

/* The words protection p takes: states, or how PAN is provided. */
static const char *const *prot_words(int p, int *n)
{
	if (prot_key[p] == UAB_KEY_PAN_KIND) {
		*n = UAB_NPAN_KINDS;
		return uab_pan_kind_words;
	}
	*n = UAB_NSTATES;
	return uab_state_words;
}

const char *expect_word(const struct expect *e, int p)
{
	int n;

	return prot_words(p, &n)[e->want[p]];
}

int expect_parse(const char *s, struct expect *e, char *why, size_t n)
{
	for (int p = 0; p < NPROT; p++)
		e->want[p] = -1;
	e->inject_ticks = -1;
	if (!*s) {
		snprintf(why, n, "the expected state is empty");
		return -1;
	}
	for (const char *item = s; item;) {
		const char *end = strchr(item, ',');
		size_t len = end ? (size_t)(end - item) : strlen(item);
		const char *eq = memchr(item, '=', len);
		int p, st = -1, nwords;
		static const char inject[] = "inject_ticks=";
		uint64_t v;

		if (len > sizeof(inject) - 1 &&
		    !memcmp(item, inject, sizeof(inject) - 1)) {
			if (e->inject_ticks >= 0 ||
			    uab_parse_u64(item + sizeof(inject) - 1,
					  len - (sizeof(inject) - 1), &v) ||
			    v > UAB_INJECT_TICKS_MAX) {
				snprintf(why, n,
					 "'%.*s' in '%s': inject_ticks takes one integer 0..%d, once",
					 (int)len, item, s, UAB_INJECT_TICKS_MAX);
				return -1;
			}
			e->inject_ticks = (long)v;
			item = end ? end + 1 : NULL;
			continue;
		}
		for (p = 0; eq && p < NPROT; p++) {
			const char *key = uab_key_names[prot_key[p]];

			if (strlen(key) == (size_t)(eq - item) &&
			    !memcmp(item, key, strlen(key)))
				break;
		}
		if (eq && p < NPROT) {
			const char *const *words = prot_words(p, &nwords);

			st = uab_index_of(words, nwords, eq + 1,
					  len - (size_t)(eq - item) - 1);
		}
		if (!eq || p == NPROT || st < 0 || e->want[p] >= 0) {
			size_t m = (size_t)snprintf(why, n,
				"'%.*s' in '%s' is not KEY=STATE, each KEY once; KEY:",
				(int)len, item, s);

			for (p = 0; p < NPROT && m < n; p++)
				m += (size_t)snprintf(why + m, n - m, " %s",
						      uab_key_names[prot_key[p]]);
			for (st = 0; st < UAB_NSTATES && m < n; st++)
				m += (size_t)snprintf(why + m, n - m, "%s %s",
						      st ? "" : "; STATE:",
						      uab_state_words[st]);
			for (st = 0; st < UAB_NPAN_KINDS && m < n; st++)
				m += (size_t)snprintf(why + m, n - m, "%s %s",
						      st ? "" : "; pan_kind:",
						      uab_pan_kind_words[st]);
			if (m < n)
				snprintf(why + m, n - m, "; or inject_ticks=N");
			return -1;
		}
		e->want[p] = st;
		item = end ? end + 1 : NULL;
	}
	return 0;
}

int expect_contradiction(const struct expect *e, const char *const got[NPROT],
			 int from)
{
	for (int p = from; p < NPROT; p++)
		if (e->want[p] >= 0 && strcmp(expect_word(e, p), got[p]))
			return p;
	return -1;
}

int expect_inject_contradiction(const struct expect *e, const char *got)
{
	uint64_t v;

	return !got || uab_parse_u64(got, strlen(got), &v) ||
	       v != (uint64_t)expect_inject(e);
}

void lab_verdict(const struct dataset *ds, const struct input_file *f,
		 const struct expect *e, const char *expect_str, FILE *out)
{
	const char *got[NPROT];
	const char *source = file_key(ds, f, UAB_KEY_PROT_SOURCE);
	const char *sep = "rejected: ";
	int p = -1, any = 0;

	for (int i = 0; i < NPROT; i++)
		got[i] = file_key(ds, f, prot_key[i]);
	while ((p = expect_contradiction(e, got, p + 1)) >= 0) {
		fprintf(out, "%s%s expected %s measured %s", sep,
			uab_key_names[prot_key[p]], expect_word(e, p), got[p]);
		sep = "; ";
		any = 1;
	}
	if (expect_inject_contradiction(e, file_key(ds, f, UAB_KEY_INJECT_TICKS))) {
		fprintf(out, "%sinject_ticks expected %ld measured %s%s", sep,
			expect_inject(e),
			file_key(ds, f, UAB_KEY_INJECT_TICKS),
			e->inject_ticks < 0 ?
			" (a cost injected where the matrix asked for none)" : "");
		any = 1;
	}
	if (any)
		fputc('\n', out);
	else if (strcmp(source, uab_prot_source_words[UAB_PROT_SOURCE_MODULE]))
		fprintf(out, "rejected: protection state read from %s, not from the helper module\n",
			source);
	else
		fprintf(out, "accepted: measured state matches %s\n", expect_str);
}
