// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "probe_csv.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uab_schema.h"

/* RFC 4180: a field with a comma, quote or line break is quoted. */
static void field(FILE *f, const char *s, const char *sep)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fprintf(f, "%s%s", s, sep);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fprintf(f, "\"%s", sep);
}

FILE *probe_csv_open(const char *path, const char *entry, const char *arch,
		     const struct uab_status *st, const char *expect_file)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return NULL;
	fprintf(f, "# schema=uab-probes-1\n# entry=%s\n# arch=%s\n"
		"# release=%.64s\n# smap=%s\n# smep=%s\n# pan=%s\n"
		"# pan_kind=%s\n# expectations=%s\n", entry, arch, st->release,
		uab_prot_word(st->smap), uab_prot_word(st->smep), uab_prot_word(st->pan),
		uab_pan_kind_of_status(st), expect_file);
	fprintf(f, "entry,arch,probe,depends,state,expected,outcome,verdict,"
		"detail,evidence\n");
	return f;
}

void probe_csv_row(FILE *f, const char *entry, const char *arch,
		   const struct probe_row *r)
{
	field(f, entry, ",");
	field(f, arch, ",");
	field(f, r->probe, ",");
	field(f, r->depends, ",");
	field(f, r->state, ",");
	field(f, r->expected, ",");
	field(f, r->outcome, ",");
	field(f, r->verdict, ",");
	field(f, r->detail, ",");
	field(f, r->evidence, "\n");
}

int probe_csv_close(FILE *f, const char *path)
{
	char tmp[4096];
	int bad;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	bad = fflush(f) || fsync(fileno(f));
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
