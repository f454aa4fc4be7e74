/* render.c — text, tables, rows and JSON objects of the views (render.h). */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include "kontroll/error.h"
#include "kontroll/utf8.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- text --------------------------------------------------------------- */

size_t cli_text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

void cli_cell_text(const char *s, size_t n, size_t max, char *out)
{
	size_t chars = 0, seen = 0, o = 0;
	for (size_t k = 0; k < n; k++)
		chars += ((unsigned char)s[k] & 0xc0) != 0x80;
	int cut = chars > max;
	size_t keep = cut ? max - 1 : chars;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if ((c & 0xc0) != 0x80 && seen++ == keep)
			break;
		if (o == 4 * max) { /* bytes that are not UTF-8: bounded all the same */
			cut = 1;
			break;
		}
		out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	if (cut)
		memcpy(out + o, "…", sizeof "…");
	else
		out[o] = 0;
}

unsigned char cli_folded(const char *s, size_t k)
{
	unsigned char c = (unsigned char)s[k];
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c + 32);
	if (k > 0 && (unsigned char)s[k - 1] == 0xc3 && c >= 0x80 && c <= 0x9e && c != 0x97)
		return (unsigned char)(c + 0x20);
	return c;
}

int cli_text_ok(const char *s)
{
	return !s || kt_utf8_valid(s, strlen(s));
}

void cli_people_date(int64_t us, char out[KT_TIME_TEXT_MAX])
{
	char iso[KT_TIME_TEXT_MAX];
	if (us == KT_TIME_UNSET) {
		strcpy(out, "—");
		return;
	}
	kt_time_format_date(us, iso);
	snprintf(out, KT_TIME_TEXT_MAX, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

void cli_people_date_as(int64_t us, enum kt_date_precision precision, char out[KT_TIME_TEXT_MAX])
{
	char day[KT_TIME_TEXT_MAX];
	cli_people_date(us, day);
	if (us == KT_TIME_UNSET || precision == KT_DATE_DAY)
		snprintf(out, KT_TIME_TEXT_MAX, "%s", day);
	else if (precision == KT_DATE_MONTH)
		snprintf(out, KT_TIME_TEXT_MAX, "%.7s", day + 3);
	else if (precision == KT_DATE_YEAR)
		snprintf(out, KT_TIME_TEXT_MAX, "%.4s", day + 6);
	else
		snprintf(out, KT_TIME_TEXT_MAX, "\xe2\x89\xa4%.20s", day); /* ≤ */
}

void cli_people_time(int64_t us, int seconds, char out[KT_TIME_TEXT_MAX])
{
	char iso[KT_TIME_TEXT_MAX];
	kt_time_format(us, iso);
	snprintf(out, KT_TIME_TEXT_MAX, "%.2s.%.2s.%.4s %.*s", iso + 8, iso + 5, iso,
		 seconds ? 8 : 5, iso + 11);
}

void cli_line_add(struct cli_line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(l->buf + l->n, sizeof l->buf - l->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		l->n = l->n + (size_t)w < sizeof l->buf ? l->n + (size_t)w : sizeof l->buf - 1;
}

void cli_number_json_text(double v, char out[32])
{
	/* The fewest significant digits that read back as v ... */
	int digits = 1;
	while (digits < 17) {
		snprintf(out, 32, "%.*e", digits - 1, v);
		if (strtod(out, NULL) == v)
			break;
		digits++;
	}
	/* ... written without an exponent where people would: 80, not 8e+01. */
	int exponent = atoi(strchr(out, 'e') + 1);
	if (exponent >= -4 && exponent < 15 && digits < exponent + 1)
		digits = exponent + 1;
	snprintf(out, 32, "%.*g", digits, v);
}

void cli_number_text(double v, char out[32])
{
	cli_number_json_text(v, out);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

/* ---- tables for people -------------------------------------------------- */

int cli_table_add(struct cli_table *t, const char *const *row)
{
	if (t->rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **cells = realloc(t->cells, cap * t->cols * sizeof *cells);
		if (!cells)
			return KT_ENOMEM;
		t->cells = cells;
		t->cap = cap;
	}
	char **dst = t->cells + t->rows * t->cols;
	for (size_t c = 0; c < t->cols; c++) {
		if (!(dst[c] = strdup(row[c] ? row[c] : ""))) {
			while (c-- > 0)
				free(dst[c]);
			return KT_ENOMEM;
		}
	}
	t->rows++;
	return KT_OK;
}

static void print_spaces(size_t n)
{
	while (n--)
		fputc(' ', stdout);
}

static void table_line(const struct cli_table *t, const char *const *row, const size_t *width,
		       const char *indent)
{
	size_t last = 0;
	for (size_t c = 0; c < t->cols; c++)
		if (*row[c])
			last = c;
	fputs(indent, stdout);
	for (size_t c = 0; c <= last; c++) {
		size_t pad = width[c] - cli_text_width(row[c]);
		if (c)
			fputs("  ", stdout);
		if (t->align[c] == 'r')
			print_spaces(pad);
		fputs(row[c], stdout);
		if (t->align[c] != 'r' && c < last)
			print_spaces(pad);
	}
	fputc('\n', stdout);
}

void cli_table_print(const struct cli_table *t, const char *indent)
{
	size_t width[CLI_TABLE_COLS_MAX];
	assert(t->cols <= CLI_TABLE_COLS_MAX);
	for (size_t c = 0; c < t->cols; c++) {
		width[c] = cli_text_width(t->headers[c]);
		for (size_t r = 0; r < t->rows; r++) {
			size_t w = cli_text_width(t->cells[r * t->cols + c]);
			if (w > width[c])
				width[c] = w;
		}
	}
	table_line(t, t->headers, width, indent);
	for (size_t r = 0; r < t->rows; r++)
		table_line(t, (const char *const *)t->cells + r * t->cols, width, indent);
}

void cli_table_free(struct cli_table *t)
{
	for (size_t k = 0; k < t->rows * t->cols; k++)
		free(t->cells[k]);
	free(t->cells);
	t->cells = NULL;
	t->rows = t->cap = 0;
}

/* ---- rows for programs -------------------------------------------------- */

/* s as a JSON string, escaped as jansson's dump escapes by default: '"',
 * '\\' and the control characters below U+0020 only (\b \f \n \r \t, else
 * \u00XX); all other text, UTF-8 included, as it is. s is valid UTF-8. */
static void json_string_out(const char *s)
{
	const char *run = s;
	fputc('"', stdout);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char seq[8];
		const char *esc = seq;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite(run, 1, (size_t)(s - run), stdout);
		run = s + 1;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			snprintf(seq, sizeof seq, "\\u%04X", (unsigned)c);
		}
		fputs(esc, stdout);
	}
	fwrite(run, 1, (size_t)(s - run), stdout);
	fputc('"', stdout);
}

void cli_rows_begin(const struct cli_rows *w, const char *const *keys, size_t n_keys)
{
	if (w->tree || w->format != FORMAT_CSV)
		return;
	for (size_t c = 0; c < n_keys; c++)
		cli_csv_field(keys[c], strlen(keys[c]), c + 1 < n_keys ? ',' : 0);
	fputc('\n', stdout);
}

/* A new object of the tree for the next row, under its name; a name the tree
 * holds already gets "#2", "#3"…. */
static void tree_row(struct cli_rows *w)
{
	assert(w->key); /* cli_rows_key names every row of a tree */
	size_t size = strlen(w->key) + 24;
	char *name = malloc(size);
	w->row = json_object();
	if (!name || !w->row) {
		json_decref(w->row);
		w->row = NULL;
		w->failed = 1;
		free(name);
		return;
	}
	snprintf(name, size, "%s", w->key);
	for (size_t k = 2; json_object_get(w->tree, name); k++)
		snprintf(name, size, "%s#%zu", w->key, k);
	if (json_object_set_new(w->tree, name, w->row)) {
		w->row = NULL;
		w->failed = 1;
	}
	free(name);
	w->key = NULL;
}

void cli_row_begin(struct cli_rows *w)
{
	if (w->tree)
		tree_row(w);
	else if (w->format == FORMAT_JSON)
		fputs(w->rows ? ",\n{" : "[\n{", stdout);
	w->rows++;
	w->col = 0;
}

void cli_row_end(const struct cli_rows *w)
{
	if (!w->tree)
		fputc(w->format == FORMAT_JSON ? '}' : '\n', stdout);
}

void cli_rows_end(const struct cli_rows *w)
{
	if (!w->tree && w->format == FORMAT_JSON)
		fputs(w->rows ? "\n]\n" : "[]\n", stdout);
}

void cli_rows_key(struct cli_rows *w, const char *key)
{
	w->key = key;
}

int cli_rows_status(const struct cli_rows *w)
{
	return w->failed ? KT_ENOMEM : KT_OK;
}

/* Set key of a tree's current row to v (NULL: it could not be made), whose
 * reference the row takes. */
static void tree_put(struct cli_rows *w, const char *key, json_t *v)
{
	if (!w->row) {
		json_decref(v);
		w->failed = 1;
	} else if (json_object_set_new(w->row, key, v)) {
		w->failed = 1;
	}
}

/* Begin the value of key: JSON's "key":, or the separator of CSV's field. */
static void value_start(struct cli_rows *w, const char *key)
{
	if (w->col++)
		fputc(',', stdout);
	if (w->format == FORMAT_JSON) {
		json_string_out(key);
		fputc(':', stdout);
	}
}

void cli_row_text(struct cli_rows *w, const char *key, const char *s)
{
	if (w->tree) {
		tree_put(w, key, s ? json_string(s) : json_null());
		return;
	}
	value_start(w, key);
	if (w->format == FORMAT_CSV) {
		if (s)
			cli_csv_field(s, strlen(s), 0);
	} else if (s) {
		json_string_out(s);
	} else {
		fputs("null", stdout);
	}
}

void cli_row_date(struct cli_rows *w, const char *key, int64_t us)
{
	char iso[KT_TIME_TEXT_MAX];
	if (us != KT_TIME_UNSET)
		kt_time_format_date(us, iso);
	cli_row_text(w, key, us != KT_TIME_UNSET ? iso : NULL);
}

void cli_row_time(struct cli_rows *w, const char *key, int64_t us)
{
	char iso[KT_TIME_TEXT_MAX];
	if (us != KT_TIME_UNSET)
		kt_time_format(us, iso);
	cli_row_text(w, key, us != KT_TIME_UNSET ? iso : NULL);
}

void cli_row_int(struct cli_rows *w, const char *key, int has, long long value)
{
	if (w->tree) {
		tree_put(w, key, has ? json_integer(value) : json_null());
		return;
	}
	value_start(w, key);
	if (has)
		printf("%lld", value);
	else if (w->format == FORMAT_JSON)
		fputs("null", stdout);
}

/* A number of a tree: whole numbers jansson can hold exactly as integers. */
static json_t *tree_number(double v)
{
	if (v == trunc(v) && fabs(v) < 9007199254740992.0) /* 2^53 */
		return json_integer((json_int_t)v);
	return json_real(v);
}

void cli_row_number(struct cli_rows *w, const char *key, int has, double value)
{
	char text[32];
	if (w->tree) {
		tree_put(w, key, has ? tree_number(value) : json_null());
		return;
	}
	value_start(w, key);
	if (has) {
		cli_number_json_text(value, text);
		fputs(text, stdout);
	} else if (w->format == FORMAT_JSON) {
		fputs("null", stdout);
	}
}

void cli_row_bool(struct cli_rows *w, const char *key, int value)
{
	if (w->tree) {
		tree_put(w, key, json_boolean(value));
		return;
	}
	value_start(w, key);
	fputs(value ? "true" : "false", stdout);
}

/* ---- JSON objects for programs ------------------------------------------ */

void cli_jobj_put(struct cli_jobj *b, const char *key, json_t *value)
{
	if (!value || !b->obj || json_object_set_new(b->obj, key, value))
		b->failed = 1;
}

json_t *cli_jobj_done(struct cli_jobj *b)
{
	if (!b->failed)
		return b->obj;
	json_decref(b->obj);
	return NULL;
}

int cli_jobj_print(struct cli_jobj *b)
{
	if (!b->failed)
		cli_print_json(b->obj);
	json_decref(b->obj);
	return b->failed ? KT_ENOMEM : KT_OK;
}

json_t *cli_json_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *cli_json_date(int64_t us)
{
	char iso[KT_TIME_TEXT_MAX];
	if (us == KT_TIME_UNSET)
		return json_null();
	kt_time_format_date(us, iso);
	return json_string(iso);
}
