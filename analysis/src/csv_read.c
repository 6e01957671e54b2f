/*
 * The one reader of result files: uareport's input, `uareport --validate`
 * and the lab's verdict all go through it. Every rule it applies (columns,
 * header keys, state words, units, the counter-to-unit rule, the field
 * rule, per_op precision) comes from include/uab_schema.h; none is written
 * here. Streaming (a .csv.gz through zlib, zfile.h), because a run
 * can hold tens of millions of rows: the FILE columns of every row equal
 * the header, so they are one memcmp against a prefix built from it, and
 * a series key (workload, size, counter, unit, hz) is checked once, when
 * first seen; later rows of it only have their numbers parsed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "text_check.h"
#include "uab_schema.h"
#include "util.h"
#include "zfile.h"

#define READ_BUF (1u << 20)
#define ERRORS_PER_FILE 20
#define NROW_COLS (UAB_NCOLS - UAB_COL_WORKLOAD)

struct field {
	const char *s;
	size_t len;
};

/* One series of the file: its key, its rounds so far, its batches. */
struct track {
	uint32_t key;			/* "workload,size,counter,unit,hz", interned */
	uint32_t workload;
	uint64_t next_round;
	size_t series;			/* in ds->series; SIZE_MAX: not tabled */
};

struct reader {
	struct dataset *ds;
	const char *path;
	uint32_t file;
	size_t line;
	size_t nerr;
	int rows_begun;			/* the column line was read */
	size_t data_lines;		/* lines after it */
	int cut;			/* the data ended early: no end checks */
	uint32_t key[UAB_NKEYS];	/* header values, NO_STR if absent */
	uint64_t tsc_hz, rounds;
	char *prefix;			/* the FILE columns every row starts with */
	size_t prefix_len;
	struct field prefix_field[UAB_COL_WORKLOAD];	/* split, once */
	struct track *track;
	size_t ntrack, trackcap;
	uint32_t *track_of_key;		/* by interned key: track index + 1 */
	size_t nkeys;
	char *keybuf;
	size_t keybuf_cap;
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

static const char *hval(const struct reader *r, enum uab_key k)
{
	return r->key[k] == NO_STR ? NULL : S(r->ds, r->key[k]);
}

static int u64_of(struct field f, uint64_t *v)
{
	return uab_parse_u64(f.s, f.len, v);
}

/* Is f an item of the comma-separated list? */
static int in_list(struct field f, const char *list)
{
	for (const char *p = list; p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == f.len && !memcmp(p, f.s, n))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

static void header_line(struct reader *r, const char *s, size_t len)
{
	struct input_file *f = &r->ds->file[r->file];
	const char *k, *v;
	size_t klen, vlen;

	if (uab_header_split(s, len, &k, &klen, &v, &vlen)) {
		err(r, "a line starting with '#' must be '# key=value'");
		return;
	}
	uint32_t key = strtab_intern(&r->ds->st, k, klen);
	uint32_t val = strtab_intern(&r->ds->st, v, vlen);
	const char *vs = S(r->ds, val);
	int known = uab_key_find(k, klen);

	for (size_t j = 0; j < f->nkv; j++) {
		if (f->kv[j].key == key) {
			err(r, "header key '%s' repeated", S(r->ds, key));
			return;
		}
	}
	grow((void **)&f->kv, &f->kvcap, f->nkv + 1, sizeof(*f->kv));
	f->kv[f->nkv].key = key;
	f->kv[f->nkv++].val = val;
	if (known >= 0)
		r->key[known] = val;

	if (known == UAB_KEY_SCHEMA) {
		uint64_t n;

		if (uab_parse_u64(v, vlen, &n) || n > 1000) {
			err(r, "schema '%s' is not a version number", vs);
		} else {
			f->schema = (int)n;
			if (n != UAB_SCHEMA_VERSION)
				err(r, "schema %d is not supported (uareport reads schema "
				    UAB_SCHEMA_VERSION_STR ")", f->schema);
		}
	} else if (!strcmp(S(r->ds, key), "lab.verdict")) {
		if (!strcmp(vs, "rejected"))
			f->rejected = 1;
		else if (strcmp(vs, "accepted"))
			err(r, "lab.verdict must be 'accepted' or 'rejected', not '%s'", vs);
	} else if (!strcmp(S(r->ds, key), "lab.reason")) {
		f->reason = val;
	}
}

/* Split s[0..len) at ',' into at most max fields; returns the count. */
static size_t split(const char *s, size_t len, struct field *f, size_t max)
{
	size_t n = 0;
	const char *end = s + len;

	for (;;) {
		const char *c = memchr(s, ',', (size_t)(end - s));

		if (n < max) {
			f[n].s = s;
			f[n].len = c ? (size_t)(c - s) : (size_t)(end - s);
		}
		n++;
		if (!c)
			return n;
		s = c + 1;
	}
}

/* A header value that must be an unsigned integer; 0 if absent or bad. */
static uint64_t header_u64(struct reader *r, enum uab_key k)
{
	const char *v = hval(r, k);
	uint64_t n = 0;

	if (v && uab_parse_u64(v, strlen(v), &n))
		err(r, "header %s='%s' is not a non-negative integer",
		    uab_key_names[k], v);
	return n;
}

/*
 * At the column line: every key uabench writes is there and well-formed.
 * Builds the FILE-column prefix when every FILE key is there.
 */
static void check_header(struct reader *r)
{
	static const enum uab_key states[] = {
		UAB_KEY_SMAP, UAB_KEY_SMEP, UAB_KEY_PAN,
	};
	char missing[512] = "";
	size_t m = 0, plen = 0;
	const char *v;

	for (int k = 0; k < UAB_NKEYS; k++)
		if (r->key[k] == NO_STR && m < sizeof(missing))
			m += (size_t)snprintf(missing + m, sizeof(missing) - m,
					      "%s%s", m ? ", " : "",
					      uab_key_names[k]);
	if (m)
		err(r, "header lacks %s: not a complete uabench result%s",
		    missing, r->key[UAB_KEY_CALIB_WORKLOAD] == NO_STR ?
		    " (files from before uabench wrote calib_workload are not read: rerun them)" :
		    "");
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if ((v = hval(r, states[i])) && uab_state_find(v, strlen(v)) < 0)
			err(r, "header %s='%s' is not a protection state",
			    uab_key_names[states[i]], v);
	if ((v = hval(r, UAB_KEY_PROT_SOURCE)) &&
	    uab_prot_source_find(v, strlen(v)) < 0)
		err(r, "header prot_source='%s' is not a state source", v);
	if ((v = hval(r, UAB_KEY_CALIB_WORKLOAD)) && !uab_field_ok(v, strlen(v)))
		err(r, "header calib_workload='%s' is no workload name", v);
	if ((v = hval(r, UAB_KEY_COLUMNS)) && strcmp(v, UAB_COLUMN_LINE))
		err(r, "header columns= is not the schema's column line");
	header_u64(r, UAB_KEY_SEED);
	r->tsc_hz = header_u64(r, UAB_KEY_TSC_HZ);
	r->rounds = header_u64(r, UAB_KEY_ROUNDS);

	for (int c = 0; c < UAB_NCOLS; c++) {
		if (!uab_col_from_header[c])
			continue;
		int k = uab_key_find(uab_col_names[c], strlen(uab_col_names[c]));

		if (k < 0 || r->key[k] == NO_STR)
			return;		/* no prefix: rows are checked field by field */
		v = S(r->ds, r->key[k]);
		if (!uab_field_ok(v, strlen(v))) {
			err(r, "header %s='%s' cannot be a column: " UAB_FIELD_RULE,
			    uab_col_names[c], v);
			return;
		}
		plen += strlen(v) + 1;
	}
	r->prefix = xmalloc(plen + 1);
	for (int c = 0; c < UAB_NCOLS; c++) {
		if (!uab_col_from_header[c])
			continue;
		v = S(r->ds, r->key[uab_key_find(uab_col_names[c],
						 strlen(uab_col_names[c]))]);
		memcpy(r->prefix + r->prefix_len, v, strlen(v));
		r->prefix_len += strlen(v);
		r->prefix[r->prefix_len++] = ',';
	}
	split(r->prefix, r->prefix_len - 1, r->prefix_field, UAB_COL_WORKLOAD);
}


static void field_error(struct reader *r, int c, struct field f)
{
	if (memchr(f.s, '"', f.len))
		err(r, "column %s: quoted fields are not part of schema "
		    UAB_SCHEMA_VERSION_STR " (rows are never quoted)",
		    uab_col_names[c]);
	else
		err(r, "column %s '%.*s' is not a field: " UAB_FIELD_RULE,
		    uab_col_names[c], (int)f.len, f.s);
}

/* A row that does not start with the header's prefix: say what differs. */
static int file_columns(struct reader *r, const char *s, size_t len,
			struct field *f)
{
	size_t n;
	int bad = 0;

	n = split(s, len, f, UAB_NCOLS);
	if (n != UAB_NCOLS) {
		err(r, "%d columns expected, found %zu", UAB_NCOLS, n);
		return -1;
	}
	for (int c = 0; c < UAB_NCOLS; c++) {
		int k;

		if (!uab_field_ok(f[c].s, f[c].len)) {
			field_error(r, c, f[c]);
			bad = 1;
			continue;
		}
		if (!uab_col_from_header[c])
			continue;
		k = uab_key_find(uab_col_names[c], strlen(uab_col_names[c]));
		if (k >= 0 && r->key[k] != NO_STR &&
		    (f[c].len != strlen(S(r->ds, r->key[k])) ||
		     memcmp(f[c].s, S(r->ds, r->key[k]), f[c].len))) {
			err(r, "%s '%.*s' differs from the header line '# %s=%s'",
			    uab_col_names[c], (int)f[c].len, f[c].s,
			    uab_col_names[c], S(r->ds, r->key[k]));
			bad = 1;
		}
	}
	return -bad;
}

/*
 * The key of a series seen for the first time: workload, size, counter,
 * unit and hz by the schema's rules. 0 when valid.
 */
static int check_key(struct reader *r, const struct field *f)
{
	struct field ctr = f[UAB_COL_COUNTER], unit = f[UAB_COL_UNIT];
	const char *counters = hval(r, UAB_KEY_COUNTER);
	enum uab_unit want = uab_counter_unit(ctr.s, ctr.len);
	uint64_t size, hz;
	int ok = 1;

	for (int c = UAB_COL_WORKLOAD; c < UAB_NCOLS; c++) {
		if (!uab_field_ok(f[c].s, f[c].len)) {
			field_error(r, c, f[c]);
			return -1;
		}
	}
	if (u64_of(f[UAB_COL_SIZE], &size)) {
		err(r, "size '%.*s' is not a byte count",
		    (int)f[UAB_COL_SIZE].len, f[UAB_COL_SIZE].s);
		ok = 0;
	}
	if (counters && !in_list(ctr, counters)) {
		err(r, "counter '%.*s' is not in the header's counter=%s",
		    (int)ctr.len, ctr.s, counters);
		ok = 0;
	}
	if (unit.len != strlen(uab_unit_words[want]) ||
	    memcmp(unit.s, uab_unit_words[want], unit.len)) {
		err(r, "unit '%.*s' of counter %.*s: the schema says '%s'",
		    (int)unit.len, unit.s, (int)ctr.len, ctr.s,
		    uab_unit_words[want]);
		ok = 0;
	}
	if (u64_of(f[UAB_COL_HZ], &hz)) {
		err(r, "hz '%.*s' is not a frequency",
		    (int)f[UAB_COL_HZ].len, f[UAB_COL_HZ].s);
		ok = 0;
	} else if (!uab_unit_hz_ok(want, hz)) {
		err(r, "hz %llu does not fit unit %s", (unsigned long long)hz,
		    uab_unit_words[want]);
		ok = 0;
	} else if (ctr.len == strlen(uab_counter_names[UAB_COUNTER_TSC]) &&
		   !memcmp(ctr.s, uab_counter_names[UAB_COUNTER_TSC], ctr.len) &&
		   hz != r->tsc_hz) {
		err(r, "tsc hz %llu differs from the header's tsc_hz=%llu",
		    (unsigned long long)hz, (unsigned long long)r->tsc_hz);
		ok = 0;
	}
	return ok ? 0 : -1;
}

static struct track *add_track(struct reader *r, const struct field *f,
				uint32_t key)
{
	struct dataset *ds = r->ds;
	struct input_file *file = &ds->file[r->file];
	struct track *t;
	uint64_t size = 0, hz = 0;

	grow((void **)&r->track, &r->trackcap, r->ntrack + 1, sizeof(*r->track));
	t = &r->track[r->ntrack++];
	r->track_of_key[key] = (uint32_t)r->ntrack;
	t->key = key;
	t->workload = strtab_intern(&ds->st, f[UAB_COL_WORKLOAD].s,
				    f[UAB_COL_WORKLOAD].len);
	t->next_round = 0;
	t->series = SIZE_MAX;
	u64_of(f[UAB_COL_SIZE], &size);
	u64_of(f[UAB_COL_HZ], &hz);
	if (file->entry == NO_STR) {
		file->entry = strtab_intern(&ds->st, f[UAB_COL_ENTRY].s,
					    f[UAB_COL_ENTRY].len);
		file->boot_id = strtab_intern(&ds->st, f[UAB_COL_BOOT_ID].s,
					      f[UAB_COL_BOOT_ID].len);
	}
	if (!file->rejected) {		/* a rejected file is checked, never tabled */
		int created;
		uint32_t b_ix = dataset_boot(ds, file->entry, file->boot_id,
					     r->file, &created);
		struct boot *boot = &ds->boot[b_ix];

		if (created) {
			uint32_t *state[] = {
				[UAB_COL_ARCH] = &boot->arch,
				[UAB_COL_KERNEL] = &boot->kernel,
				[UAB_COL_SMAP] = &boot->smap,
				[UAB_COL_SMEP] = &boot->smep,
				[UAB_COL_PAN] = &boot->pan,
				[UAB_COL_PROT_SOURCE] = &boot->prot_source,
			};

			for (int c = UAB_COL_ARCH; c <= UAB_COL_PROT_SOURCE; c++)
				*state[c] = strtab_intern(&ds->st, f[c].s, f[c].len);
		}
		t->series = (size_t)(dataset_series(ds, b_ix, t->workload, size,
			strtab_intern(&ds->st, f[UAB_COL_COUNTER].s,
				      f[UAB_COL_COUNTER].len),
			strtab_intern(&ds->st, f[UAB_COL_UNIT].s,
				      f[UAB_COL_UNIT].len),
			hz) - ds->series);
	}
	return t;
}

/*
 * The series of a row, by its key bytes (workload,size and counter,unit,hz,
 * interned as one string); checked when new.
 */
static struct track *track_of(struct reader *r, const struct field *f)
{
	const char *a = f[UAB_COL_WORKLOAD].s, *b = f[UAB_COL_COUNTER].s;
	size_t alen = (size_t)(f[UAB_COL_SIZE].s + f[UAB_COL_SIZE].len - a);
	size_t blen = (size_t)(f[UAB_COL_HZ].s + f[UAB_COL_HZ].len - b);
	uint32_t key;

	grow((void **)&r->keybuf, &r->keybuf_cap, alen + blen + 1, 1);
	memcpy(r->keybuf, a, alen);
	r->keybuf[alen] = ',';
	memcpy(r->keybuf + alen + 1, b, blen);
	key = strtab_intern(&r->ds->st, r->keybuf, alen + blen + 1);
	if (key >= r->nkeys) {
		size_t had = r->nkeys;

		grow((void **)&r->track_of_key, &r->nkeys, (size_t)key + 1,
		     sizeof(*r->track_of_key));
		memset(r->track_of_key + had, 0,
		       (r->nkeys - had) * sizeof(*r->track_of_key));
	}
	if (r->track_of_key[key])
		return &r->track[r->track_of_key[key] - 1];
	if (check_key(r, f))
		return NULL;
	return add_track(r, f, key);
}

/* per_op as printed (digits.dddd): exact for up to 15 digits. */
static double per_op_value(struct field f)
{
	char tmp[64];
	uint64_t mant = 0;
	size_t digits = 0;

	for (size_t i = 0; i < f.len; i++) {
		if (f.s[i] == '.')
			continue;
		mant = mant * 10 + (uint64_t)(f.s[i] - '0');
		digits++;
	}
	if (digits <= 15)
		return (double)mant / UAB_PER_OP_SCALE;
	snprintf(tmp, sizeof(tmp), "%.*s", (int)f.len, f.s);
	return strtod(tmp, NULL);
}

/* round, ops, delta and per_op of a row of a known series. */
static void numbers(struct reader *r, struct track *t, const struct field *f)
{
	struct field fr = f[UAB_COL_ROUND], fo = f[UAB_COL_OPS];
	struct field fd = f[UAB_COL_DELTA], fp = f[UAB_COL_PER_OP];
	uint64_t round, ops, delta;
	double per_op;

	if (u64_of(fr, &round)) {
		err(r, "round '%.*s' is not a batch index", (int)fr.len, fr.s);
		return;
	}
	/* after an error, a rejected row would make every later round wrong */
	if (round != t->next_round && !r->nerr) {
		err(r, "round %llu of series %s, expected %llu: a batch is missing or repeated",
		    (unsigned long long)round, S(r->ds, t->key),
		    (unsigned long long)t->next_round);
		return;
	}
	t->next_round = round + 1;
	if (u64_of(fo, &ops) || !ops) {
		err(r, "ops '%.*s' is not a positive count", (int)fo.len, fo.s);
		return;
	}
	if (u64_of(fd, &delta)) {
		err(r, "delta '%.*s' is not a non-negative integer",
		    (int)fd.len, fd.s);
		return;
	}
	if (delta > UAB_DELTA_MAX) {
		err(r, "delta %llu is above " UAB_DELTA_MAX_STR ": a counter that ran "
		    "backwards, wrapped by after - before (uabench discards such a batch)",
		    (unsigned long long)delta);
		return;
	}
	if (!uab_per_op_form_ok(fp.s, fp.len)) {
		err(r, "per_op '%.*s' is not a number with %d decimals",
		    (int)fp.len, fp.s, UAB_PER_OP_DECIMALS);
		return;
	}
	per_op = per_op_value(fp);
	if (!uab_per_op_matches(delta, ops, per_op)) {
		err(r, "per_op %.*s is not delta/ops = " UAB_PER_OP_FORMAT,
		    (int)fp.len, fp.s, (double)delta / (double)ops);
		return;
	}
	r->ds->file[r->file].rows++;
	if (t->series != SIZE_MAX)
		series_add(&r->ds->series[t->series], (float)per_op, ops);
}

static void data_row(struct reader *r, const char *s, size_t len)
{
	struct field f[UAB_NCOLS];
	struct track *t;

	if (!r->prefix_len || len <= r->prefix_len ||
	    memcmp(s, r->prefix, r->prefix_len) ||
	    split(s + r->prefix_len, len - r->prefix_len, f + UAB_COL_WORKLOAD,
		  NROW_COLS) != NROW_COLS) {
		if (file_columns(r, s, len, f))
			return;
	} else {
		/* the FILE columns are the header's */
		memcpy(f, r->prefix_field, sizeof(r->prefix_field));
	}
	t = track_of(r, f);
	if (t)
		numbers(r, t, f);
}

static void line(struct reader *r, const char *s, size_t len)
{
	const char *why;

	r->line++;
	if ((why = text_line_problem(s, len, r->line))) {
		err(r, "%s", why);
		r->nerr = ERRORS_PER_FILE + 2;	/* nothing after makes sense */
		return;
	}
	if (len && s[0] == '#') {
		if (r->rows_begun)
			err(r, "'# key=value' lines must come before the header row");
		else
			header_line(r, s, len);
		return;
	}
	if (!r->rows_begun) {
		if (len != strlen(UAB_COLUMN_LINE) || memcmp(s, UAB_COLUMN_LINE, len)) {
			err(r, "expected the schema-%s header row \"%s\"",
			    UAB_SCHEMA_VERSION_STR, UAB_COLUMN_LINE);
			r->nerr = ERRORS_PER_FILE + 2;	/* nothing after makes sense */
			return;
		}
		if (r->key[UAB_KEY_SCHEMA] == NO_STR) {
			err(r, "no '# schema=' line before the header row");
			r->nerr = ERRORS_PER_FILE + 2;
			return;
		}
		r->rows_begun = 1;
		check_header(r);
		return;
	}
	r->data_lines++;
	data_row(r, s, len);
}

/* At the end: every series has the header's rounds, the calib has rows. */
static void check_complete(struct reader *r)
{
	const char *calib = hval(r, UAB_KEY_CALIB_WORKLOAD);
	int calib_seen = 0;

	for (size_t i = 0; i < r->ntrack; i++) {
		const struct track *t = &r->track[i];

		if (calib && !strcmp(S(r->ds, t->workload), calib))
			calib_seen = 1;
		if (!r->nerr && t->next_round != r->rounds)
			err(r, "series %s has %llu rounds, the header says rounds=%llu",
			    S(r->ds, t->key),
			    (unsigned long long)t->next_round,
			    (unsigned long long)r->rounds);
	}
	if (calib && r->ntrack && !calib_seen)
		err(r, "no rows for calib_workload '%s'", calib);
}

static void reader_free(struct reader *r)
{
	free(r->prefix);
	free(r->track);
	free(r->track_of_key);
	free(r->keybuf);
}

int dataset_read_csv(struct dataset *ds, const char *path)
{
	struct reader r = { .ds = ds, .path = path };
	size_t errors_before = ds->nerr;
	size_t have = 0;
	struct zfile *z = xmalloc(sizeof(*z));
	char *buf;

	if (zfile_open(z, path)) {
		dataset_error(ds, path, 0, "cannot open: %s", strerror(errno));
		free(z);
		return -1;
	}
	for (int k = 0; k < UAB_NKEYS; k++)
		r.key[k] = NO_STR;
	grow((void **)&ds->file, &ds->filecap, ds->nfile + 1, sizeof(*ds->file));
	r.file = (uint32_t)ds->nfile++;
	memset(&ds->file[r.file], 0, sizeof(ds->file[0]));
	ds->file[r.file].path = xstrdup(path);
	ds->file[r.file].schema = -1;
	ds->file[r.file].reason = NO_STR;
	ds->file[r.file].entry = ds->file[r.file].boot_id = NO_STR;

	buf = xmalloc(READ_BUF);
	for (;;) {
		ssize_t got = zfile_read(z, buf + have, READ_BUF - have);
		char *p = buf, *end, *nl;

		if (got < 0) {
			/* never read a cut or corrupt file as a shorter run */
			dataset_error(ds, path, r.line + 1, "%s", z->why);
			r.nerr++;
			r.cut = 1;
			break;
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
			if (p < end) {
				r.line++;
				err(&r, "the last line has no newline: a cut file?");
				r.cut = 1;
			}
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
	if (!r.rows_begun && !r.nerr)
		dataset_error(ds, path, r.line ? r.line : 1,
			      "no schema-%s header row: not a result file",
			      UAB_SCHEMA_VERSION_STR);
	else if (r.rows_begun && !r.cut && !r.data_lines)
		err(&r, "no data rows after the header row");
	else if (r.rows_begun && !r.cut)
		check_complete(&r);
done:
	reader_free(&r);
	free(buf);
	zfile_close(z);
	free(z);
	return ds->nerr == errors_before ? 0 : -1;
}
