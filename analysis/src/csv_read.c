/*
 * Schema-1 result files (data/README.md): "# key=value" lines, the fixed
 * header row, then one row per batch and counter. Hand-written and
 * streaming (through zlib, so .csv.gz reads as it is), because a run can hold tens of millions of rows: consecutive
 * rows of one series share every key column, so a row whose key bytes equal
 * the previous row's only has its numbers parsed.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "dataset.h"
#include "util.h"

enum col {
	C_SCHEMA, C_BOOT_ID, C_ENTRY, C_ARCH, C_KERNEL, C_SMAP, C_SMEP, C_PAN,
	C_PROT_SOURCE, C_WORKLOAD, C_SIZE, C_ROUND, C_OPS, C_COUNTER, C_UNIT,
	C_HZ, C_DELTA, C_PER_OP, NCOL
};

static const char HEADER_ROW[] =
	"schema,boot_id,entry,arch,kernel,smap,smep,pan,prot_source,workload,"
	"size,round,ops,counter,unit,hz,delta,per_op";

#define READ_BUF (1u << 20)
#define KEY_MAX 1024
#define ERRORS_PER_FILE 20

struct field {
	const char *s;
	size_t len;
};

struct reader {
	struct dataset *ds;
	const char *path;
	uint32_t file;
	size_t line;
	size_t nerr;
	int header_row_seen;
	/* key bytes of the last fully checked row, and where its data went */
	char key[KEY_MAX];
	size_t key1_len, key2_len;
	int key_valid;
	struct series *series;
};

static void err(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void err(struct reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	r->nerr++;
	if (r->nerr > ERRORS_PER_FILE) {
		if (r->nerr == ERRORS_PER_FILE + 1)
			dataset_error(r->ds, r->path, r->line,
				      "too many errors, not reporting more in this file");
		else
			r->ds->nerr++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dataset_error(r->ds, r->path, r->line, "%s", msg);
}

static int field_is(struct field f, const char *s)
{
	return f.len == strlen(s) && !memcmp(f.s, s, f.len);
}

static int parse_u64(struct field f, uint64_t *out)
{
	uint64_t v = 0;

	if (!f.len || f.len > 19)
		return -1;
	for (size_t i = 0; i < f.len; i++) {
		unsigned d = (unsigned char)f.s[i] - '0';

		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static const double POW10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18
};

/* Decimal number, optional fraction and exponent; finite only. */
static int parse_double(struct field f, double *out)
{
	char tmp[64];
	char *end;
	uint64_t mant = 0;
	int digits = 0, frac = 0;
	size_t i = 0;

	if (!f.len || f.len >= sizeof(tmp))
		return -1;
	for (; i < f.len && f.s[i] >= '0' && f.s[i] <= '9'; i++, digits++)
		mant = mant * 10 + (uint64_t)(f.s[i] - '0');
	if (i < f.len && f.s[i] == '.') {
		for (i++; i < f.len && f.s[i] >= '0' && f.s[i] <= '9'; i++) {
			mant = mant * 10 + (uint64_t)(f.s[i] - '0');
			digits++;
			frac++;
		}
	}
	if (i == f.len && digits > 0 && digits <= 18) {
		*out = (double)mant / POW10[frac];
		return 0;
	}
	/* Rare forms (sign, exponent, many digits): let strtod decide. */
	memcpy(tmp, f.s, f.len);
	tmp[f.len] = '\0';
	errno = 0;
	*out = strtod(tmp, &end);
	if (end != tmp + f.len || errno || !isfinite(*out) ||
	    !(tmp[0] == '-' || tmp[0] == '+' || tmp[0] == '.' ||
	      (tmp[0] >= '0' && tmp[0] <= '9')))
		return -1;
	return 0;
}

static int is_token(struct field f)
{
	if (!f.len)
		return 0;
	for (size_t i = 0; i < f.len; i++)
		if ((unsigned char)f.s[i] < 0x20 || f.s[i] == 0x7f)
			return 0;
	return 1;
}

static uint32_t intern(struct reader *r, struct field f)
{
	return strtab_intern(&r->ds->st, f.s, f.len);
}

static void header_line(struct reader *r, const char *s, size_t len)
{
	struct input_file *f = &r->ds->file[r->file];
	size_t i = 1, k0, k1;

	while (i < len && s[i] == ' ')
		i++;
	k0 = i;
	while (i < len && (s[i] == '_' || s[i] == '.' || s[i] == '-' ||
			   (s[i] >= 'a' && s[i] <= 'z') ||
			   (s[i] >= 'A' && s[i] <= 'Z') ||
			   (s[i] >= '0' && s[i] <= '9')))
		i++;
	k1 = i;
	if (k1 == k0 || i >= len || s[i] != '=')
		return;		/* a free-form comment */
	i++;
	while (len > i && s[len - 1] == ' ')
		len--;

	uint32_t key = strtab_intern(&r->ds->st, s + k0, k1 - k0);
	uint32_t val = strtab_intern(&r->ds->st, s + i, len - i);
	const char *k = S(r->ds, key), *v = S(r->ds, val);

	for (size_t j = 0; j < f->nkv; j++) {
		if (f->kv[j].key != key)
			continue;
		if (f->kv[j].val != val)
			err(r, "header key '%s' repeated with a different value", k);
		return;
	}
	grow((void **)&f->kv, &f->kvcap, f->nkv + 1, sizeof(*f->kv));
	f->kv[f->nkv].key = key;
	f->kv[f->nkv++].val = val;

	if (!strcmp(k, "schema")) {
		struct field fv = { v, strlen(v) };
		uint64_t n;

		if (parse_u64(fv, &n) || n > 1000) {
			err(r, "schema '%s' is not a version number", v);
		} else {
			f->schema = (int)n;
			if (n != 1)
				err(r, "schema %d is not supported (uareport reads schema 1)",
				    f->schema);
		}
	} else if (!strcmp(k, "lab.verdict")) {
		if (!strcmp(v, "rejected"))
			f->rejected = 1;
		else if (strcmp(v, "accepted"))
			err(r, "lab.verdict must be 'accepted' or 'rejected', not '%s'", v);
	} else if (!strcmp(k, "lab.reason")) {
		f->reason = val;
	}
}

static const char *const STATES[] = { "on", "off", "na", "unknown", NULL };
static const char *const SOURCES[] = { "module", "cpuinfo", NULL };
static const char *const UNITS[] = {
	"cycles", "instructions", "events", "ticks", "ns", NULL
};

static int one_of(struct field f, const char *const *set)
{
	for (; *set; set++)
		if (field_is(f, *set))
			return 1;
	return 0;
}

/* Same boot, different measured environment: the file contradicts itself. */
static void check_boot_column(struct reader *r, uint32_t *have, uint32_t now,
			      const char *name)
{
	if (*have == NO_STR) {
		*have = now;
	} else if (*have != now) {
		err(r, "%s changes within boot %s: '%s' then '%s'", name,
		    S(r->ds, r->ds->boot[r->series ? r->series->boot : 0].boot_id),
		    S(r->ds, *have), S(r->ds, now));
	}
}

/* The row repeats header lines of the same names (data/README.md). */
static int rows_match_header(struct reader *r, const struct field *fv)
{
	static const struct {
		enum col col;
		const char *key;
	} repeated[] = {
		{ C_BOOT_ID, "boot_id" }, { C_ENTRY, "entry" },
		{ C_ARCH, "arch" }, { C_KERNEL, "kernel" }, { C_SMAP, "smap" },
		{ C_SMEP, "smep" }, { C_PAN, "pan" },
		{ C_PROT_SOURCE, "prot_source" },
	};
	const struct input_file *file = &r->ds->file[r->file];
	int bad = 0;

	for (size_t i = 0; i < sizeof(repeated) / sizeof(repeated[0]); i++) {
		const char *h = file_header(r->ds, file, repeated[i].key);
		struct field f = fv[repeated[i].col];

		if (h && !field_is(f, h)) {
			err(r, "%s '%.*s' differs from the header line '# %s=%s'",
			    repeated[i].key, (int)f.len, f.s, repeated[i].key, h);
			bad = 1;
		}
	}
	return -bad;
}

/* Check and intern the key columns of a row that starts a new run. */
static int key_columns(struct reader *r, struct field *fv)
{
	struct dataset *ds = r->ds;
	struct input_file *file = &ds->file[r->file];
	uint64_t schema, size = 0, hz = 0;
	int ok = 1;

	if (parse_u64(fv[C_SCHEMA], &schema)) {
		err(r, "schema '%.*s' is not a version number",
		    (int)fv[C_SCHEMA].len, fv[C_SCHEMA].s);
		return -1;
	}
	if ((int)schema != file->schema) {
		err(r, "schema column says %llu but the header says %d",
		    (unsigned long long)schema, file->schema);
		return -1;
	}
	static const enum col tokens[] = {
		C_BOOT_ID, C_ENTRY, C_ARCH, C_KERNEL, C_WORKLOAD, C_COUNTER
	};
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		if (!is_token(fv[tokens[i]])) {
			err(r, "column %d is empty or holds control characters",
			    tokens[i] + 1);
			ok = 0;
		}
	}
	static const enum col states[] = { C_SMAP, C_SMEP, C_PAN };
	for (size_t i = 0; i < 3; i++) {
		if (!one_of(fv[states[i]], STATES)) {
			err(r, "column %d: protection state '%.*s' is not on, off, na or unknown",
			    states[i] + 1, (int)fv[states[i]].len, fv[states[i]].s);
			ok = 0;
		}
	}
	if (!one_of(fv[C_PROT_SOURCE], SOURCES)) {
		err(r, "prot_source '%.*s' is not module or cpuinfo",
		    (int)fv[C_PROT_SOURCE].len, fv[C_PROT_SOURCE].s);
		ok = 0;
	}
	if (!one_of(fv[C_UNIT], UNITS)) {
		err(r, "unit '%.*s' is not cycles, instructions, events, ticks or ns",
		    (int)fv[C_UNIT].len, fv[C_UNIT].s);
		ok = 0;
	}
	if (parse_u64(fv[C_SIZE], &size)) {
		err(r, "size '%.*s' is not a byte count", (int)fv[C_SIZE].len,
		    fv[C_SIZE].s);
		ok = 0;
	}
	if (parse_u64(fv[C_HZ], &hz)) {
		err(r, "hz '%.*s' is not a frequency", (int)fv[C_HZ].len,
		    fv[C_HZ].s);
		ok = 0;
	}
	if (!ok)
		return -1;

	uint32_t entry = intern(r, fv[C_ENTRY]);
	uint32_t boot_id = intern(r, fv[C_BOOT_ID]);

	if (file->entry == NO_STR) {
		file->entry = entry;
		file->boot_id = boot_id;
	} else if (entry != file->entry || boot_id != file->boot_id) {
		/* one file is one run of one boot: never split it in two */
		err(r, "entry/boot_id '%s/%s' here, '%s/%s' in the first row: a file holds one boot",
		    S(ds, entry), S(ds, boot_id), S(ds, file->entry),
		    S(ds, file->boot_id));
		return -1;
	}
	if (rows_match_header(r, fv))
		return -1;
	if (file->rejected) {
		r->series = NULL;	/* checked, never tabled */
		return 0;
	}

	int created;
	uint32_t b = dataset_boot(ds, entry, boot_id, r->file, &created);
	struct boot *boot = &ds->boot[b];

	if (created) {
		boot->arch = boot->kernel = boot->smap = boot->smep = NO_STR;
		boot->pan = boot->prot_source = NO_STR;
	}
	r->series = dataset_series(ds, b, intern(r, fv[C_WORKLOAD]), size,
				   intern(r, fv[C_COUNTER]),
				   intern(r, fv[C_UNIT]), hz);
	boot = &ds->boot[b];
	check_boot_column(r, &boot->arch, intern(r, fv[C_ARCH]), "arch");
	check_boot_column(r, &boot->kernel, intern(r, fv[C_KERNEL]), "kernel");
	check_boot_column(r, &boot->smap, intern(r, fv[C_SMAP]), "smap");
	check_boot_column(r, &boot->smep, intern(r, fv[C_SMEP]), "smep");
	check_boot_column(r, &boot->pan, intern(r, fv[C_PAN]), "pan");
	check_boot_column(r, &boot->prot_source, intern(r, fv[C_PROT_SOURCE]),
			  "prot_source");
	return 0;
}

/* round, ops, delta and per_op of a row whose key columns are known good. */
static void numbers(struct reader *r, struct field fround, struct field fops,
		    struct field fdelta, struct field fper_op)
{
	uint64_t round, ops;
	uint64_t delta;
	double per_op;

	if (parse_u64(fround, &round)) {
		err(r, "round '%.*s' is not a batch index", (int)fround.len,
		    fround.s);
		return;
	}
	if (parse_u64(fops, &ops) || !ops) {
		err(r, "ops '%.*s' is not a positive count", (int)fops.len,
		    fops.s);
		return;
	}
	/* uabench writes delta as an unsigned 64-bit counter difference */
	if (parse_u64(fdelta, &delta)) {
		err(r, "delta '%.*s' is not a non-negative integer",
		    (int)fdelta.len, fdelta.s);
		return;
	}
	if (parse_double(fper_op, &per_op) || per_op < 0) {
		err(r, "per_op '%.*s' is not a non-negative number",
		    (int)fper_op.len, fper_op.s);
		return;
	}
	/* per_op is printed rounded; allow for that, catch anything else. */
	double expect = (double)delta / (double)ops;

	if (fabs(per_op - expect) > fmax(0.006, 1e-4 * fabs(expect))) {
		err(r, "per_op %.*s is not delta/ops = %.6g", (int)fper_op.len,
		    fper_op.s, expect);
		return;
	}
	r->ds->file[r->file].rows++;
	if (r->series)
		series_add(r->series, (float)per_op, ops);
}

/* The next comma-terminated field from *p; -1 if the line ends first. */
static int next_field(const char **p, const char *end, struct field *f)
{
	const char *c = memchr(*p, ',', (size_t)(end - *p));

	if (!c)
		return -1;
	f->s = *p;
	f->len = (size_t)(c - *p);
	*p = c + 1;
	return 0;
}

/*
 * Most rows repeat the previous row's key columns: check those bytes in one
 * memcmp each and parse only the numbers. Returns 0 if it handled the row.
 */
static int same_key_row(struct reader *r, const char *s, size_t len)
{
	const char *p = s + r->key1_len, *end = s + len;
	struct field fround, fops, fdelta, fper_op;

	if (!r->key_valid || len <= r->key1_len + r->key2_len ||
	    memcmp(s, r->key, r->key1_len))
		return -1;
	if (next_field(&p, end, &fround) || next_field(&p, end, &fops))
		return -1;
	if ((size_t)(end - p) <= r->key2_len ||
	    memcmp(p, r->key + r->key1_len, r->key2_len))
		return -1;
	p += r->key2_len;
	if (next_field(&p, end, &fdelta) || memchr(p, ',', (size_t)(end - p)))
		return -1;
	fper_op.s = p;
	fper_op.len = (size_t)(end - p);
	numbers(r, fround, fops, fdelta, fper_op);
	return 0;
}

static void data_row(struct reader *r, const char *s, size_t len)
{
	struct field fv[NCOL];
	size_t nf = 0, start = 0;

	if (!same_key_row(r, s, len))
		return;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ',')
			continue;
		if (nf < NCOL) {
			fv[nf].s = s + start;
			fv[nf].len = i - start;
		}
		nf++;
		start = i + 1;
	}
	if (nf != NCOL) {
		err(r, "%d columns expected, found %zu", NCOL, nf);
		return;
	}
	if (memchr(s, '"', len)) {
		err(r, "quoted fields are not part of schema 1");
		return;
	}

	/* key 1: schema..size; key 2: counter..hz, both with their commas */
	const char *k1 = s;
	size_t k1len = (size_t)(fv[C_ROUND].s - s);
	const char *k2 = fv[C_COUNTER].s;
	size_t k2len = (size_t)(fv[C_DELTA].s - fv[C_COUNTER].s);

	r->key_valid = 0;
	if (key_columns(r, fv))
		return;
	if (k1len + k2len <= KEY_MAX) {
		memcpy(r->key, k1, k1len);
		memcpy(r->key + k1len, k2, k2len);
		r->key1_len = k1len;
		r->key2_len = k2len;
		r->key_valid = 1;
	}
	numbers(r, fv[C_ROUND], fv[C_OPS], fv[C_DELTA], fv[C_PER_OP]);
}

static void line(struct reader *r, const char *s, size_t len)
{
	r->line++;
	if (len && s[len - 1] == '\r')
		len--;
	if (!len)
		return;
	if (s[0] == '#') {
		size_t before = r->ds->file[r->file].nkv;

		header_line(r, s, len);
		/* A verdict after the rows would come too late to keep them out. */
		if (r->header_row_seen && r->ds->file[r->file].nkv != before)
			err(r, "'# key=value' lines must come before the header row");
		return;
	}
	if (!r->header_row_seen) {
		struct input_file *f = &r->ds->file[r->file];

		if (len != sizeof(HEADER_ROW) - 1 || memcmp(s, HEADER_ROW, len)) {
			err(r, "expected the schema-1 header row \"%s\"", HEADER_ROW);
			r->nerr = ERRORS_PER_FILE + 2;	/* nothing after makes sense */
			return;
		}
		if (f->schema < 0) {
			err(r, "no '# schema=' line before the header row");
			r->nerr = ERRORS_PER_FILE + 2;
			return;
		}
		r->header_row_seen = 1;
		return;
	}
	data_row(r, s, len);
}

int dataset_read_csv(struct dataset *ds, const char *path)
{
	struct reader r = { .ds = ds, .path = path };
	size_t errors_before = ds->nerr;
	size_t have = 0;
	/* zlib reads .csv.gz and passes plain files through unchanged */
	gzFile gz = gzopen(path, "rb");
	char *buf;

	if (!gz) {
		dataset_error(ds, path, 0, "cannot open: %s",
			      errno ? strerror(errno) : "out of memory");
		return -1;
	}
	gzbuffer(gz, 1u << 17);
	grow((void **)&ds->file, &ds->filecap, ds->nfile + 1, sizeof(*ds->file));
	r.file = (uint32_t)ds->nfile++;
	memset(&ds->file[r.file], 0, sizeof(ds->file[0]));
	ds->file[r.file].path = xstrdup(path);
	ds->file[r.file].schema = -1;
	ds->file[r.file].reason = NO_STR;
	ds->file[r.file].entry = ds->file[r.file].boot_id = NO_STR;

	buf = xmalloc(READ_BUF);
	for (;;) {
		int got = gzread(gz, buf + have, (unsigned)(READ_BUF - have));
		char *p = buf, *end, *nl;

		if (got < 0) {
			int zerr;
			const char *msg = gzerror(gz, &zerr);

			dataset_error(ds, path, r.line + 1, "read error: %s",
				      zerr == Z_ERRNO ? strerror(errno) : msg);
			r.nerr++;
			break;
		}
		if (!got) {
			int zerr;

			gzerror(gz, &zerr);
			if (zerr == Z_BUF_ERROR) {
				/* never read a cut .gz as a shorter run */
				dataset_error(ds, path, r.line + 1,
					      "compressed data ends early: the .gz file is truncated");
				r.nerr++;
				break;
			}
		}
		have += (size_t)got;
		end = buf + have;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			line(&r, p, (size_t)(nl - p));
			p = nl + 1;
			if (r.nerr > ERRORS_PER_FILE + 1)
				goto done;
		}
		if (!got) {
			if (p < end)
				line(&r, p, (size_t)(end - p));
			break;
		}
		have = (size_t)(end - p);
		memmove(buf, p, have);
		if (have == READ_BUF) {
			r.line++;
			err(&r, "line longer than %u bytes", READ_BUF);
			break;
		}
	}
	if (!r.nerr && !r.header_row_seen)
		dataset_error(ds, path, r.line ? r.line : 1,
			      "no schema-1 header row: not a result file");
	else if (!r.nerr && !ds->file[r.file].rows)
		dataset_error(ds, path, r.line, "no data rows after the header row");
done:
	free(buf);
	gzclose(gz);
	return ds->nerr == errors_before ? 0 : -1;
}
