/*
 * csv.c — the spreadsheet CSV reader of csv.h: separator detection, the
 * RFC 4180 field parser, header columns by name, folding texts for
 * comparison, and Norwegian dates.
 */
#include "kontroll/csv.h"

#include "kontroll/data.h"
#include "kontroll/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;
	if (!why || !why_len)
		return;
	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
}

static size_t skip_bom(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

char kt_csv_detect_separator(const char *text, size_t len)
{
	size_t semi = 0, tab = 0, comma = 0;
	int quoted = 0;
	for (size_t k = skip_bom(text, len); k < len; k++) {
		char c = text[k];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted && c == ';')
			semi++;
		else if (!quoted && c == '\t')
			tab++;
		else if (!quoted && c == ',')
			comma++;
	}
	if (tab > semi && tab >= comma)
		return '\t';
	if (comma > semi && comma > tab)
		return ',';
	return ';';
}

void kt_csv_free(struct kt_csv *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->rows[k].fields);
	free(t->rows);
	free(t->text);
	*t = (struct kt_csv)KT_CSV_INIT;
}

/* The parser's cursor over the input and into the fields' block. */
struct cursor {
	const char *in;
	size_t len, pos;
	uint64_t line;
	char *w; /* where the next field byte goes */
};

static int at_line_end(const struct cursor *c)
{
	return c->in[c->pos] == '\n' ||
	       (c->in[c->pos] == '\r' && c->pos + 1 < c->len && c->in[c->pos + 1] == '\n') ||
	       (c->in[c->pos] == '\r' && c->pos + 1 == c->len);
}

/* Read one quoted field, the cursor on its opening quote. */
static int quoted_field(struct cursor *c, char sep, char *why, size_t why_len)
{
	uint64_t start = c->line;
	c->pos++;
	for (;;) {
		if (c->pos >= c->len) {
			say(why, why_len, "line %llu: a quoted field is not closed",
			    (unsigned long long)start);
			return KT_EMALFORMED;
		}
		char ch = c->in[c->pos];
		if (ch == '"' && c->pos + 1 < c->len && c->in[c->pos + 1] == '"') {
			*c->w++ = '"';
			c->pos += 2;
			continue;
		}
		c->pos++;
		if (ch == '"')
			break;
		if (ch == '\n')
			c->line++;
		*c->w++ = ch;
	}
	if (c->pos < c->len && c->in[c->pos] != sep && !at_line_end(c)) {
		say(why, why_len, "line %llu: text after a closing quote",
		    (unsigned long long)c->line);
		return KT_EMALFORMED;
	}
	return KT_OK;
}

static void plain_field(struct cursor *c, char sep)
{
	while (c->pos < c->len && c->in[c->pos] != sep && !at_line_end(c))
		*c->w++ = c->in[c->pos++];
}

static int is_blank_row(char **fields, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (fields[k][strspn(fields[k], " \t")])
			return 0;
	return 1;
}

static int add_row(struct kt_csv *t, uint64_t line, char **fields, size_t n)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct kt_csv_row *rows = realloc(t->rows, cap * sizeof *rows);
		if (!rows)
			return KT_ENOMEM;
		t->rows = rows;
		t->cap = cap;
	}
	char **copy = malloc(n * sizeof *copy);
	if (!copy)
		return KT_ENOMEM;
	memcpy(copy, fields, n * sizeof *copy);
	t->rows[t->n++] = (struct kt_csv_row){ line, n, copy };
	return KT_OK;
}

/* Read one row, the cursor at its start, and keep it unless blank. */
static int read_row(struct kt_csv *t, struct cursor *c, char **fields, char *why, size_t why_len)
{
	uint64_t line = c->line;
	size_t n = 0;
	for (;;) {
		if (n == KT_CSV_MAX_FIELDS) {
			say(why, why_len, "line %llu: more than %d fields",
			    (unsigned long long)line, KT_CSV_MAX_FIELDS);
			return KT_EMALFORMED;
		}
		fields[n++] = c->w;
		if (c->pos < c->len && c->in[c->pos] == '"') {
			int err = quoted_field(c, t->sep, why, why_len);
			if (err)
				return err;
		} else {
			plain_field(c, t->sep);
		}
		*c->w++ = 0;
		if (c->pos < c->len && c->in[c->pos] == t->sep) {
			c->pos++;
			continue;
		}
		if (c->pos < c->len) { /* a line end */
			c->pos += c->in[c->pos] == '\r' && c->pos + 1 < c->len ? 2 : 1;
			c->line++;
		}
		break;
	}
	return is_blank_row(fields, n) ? KT_OK : add_row(t, line, fields, n);
}

int kt_csv_parse(const char *text, size_t len, struct kt_csv *t, char *why, size_t why_len)
{
	char **fields = NULL;
	int err = KT_OK;
	*t = (struct kt_csv)KT_CSV_INIT;
	if (memchr(text, 0, len)) {
		uint64_t line = 1;
		for (const char *p = text; *p; p++)
			line += *p == '\n';
		say(why, why_len, "line %llu: a NUL byte (is the file UTF-16?)",
		    (unsigned long long)line);
		return KT_EINVAL;
	}
	/* Every field is at most its raw bytes and one NUL, and there are at
	 * most len + 1 fields: the block never has to grow. */
	if (len > (SIZE_MAX - 2) / 2)
		return KT_ENOMEM;
	t->text = malloc(2 * len + 2);
	fields = malloc(KT_CSV_MAX_FIELDS * sizeof *fields);
	if (!t->text || !fields) {
		err = KT_ENOMEM;
		goto out;
	}
	t->sep = kt_csv_detect_separator(text, len);
	struct cursor c = { text, len, skip_bom(text, len), 1, t->text };
	while (!err && c.pos < c.len)
		err = read_row(t, &c, fields, why, why_len);
out:
	free(fields);
	if (err) {
		char sep = t->sep;
		kt_csv_free(t);
		t->sep = sep;
	}
	return err;
}

/* ---- columns by name ---------------------------------------------------- */

/* Non-zero when the folded header text name is one of the '|'-separated
 * alternatives of names. */
static int names_match(const char *names, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = names; *p;) {
		size_t k = strcspn(p, "|");
		if (k == n && memcmp(p, name, n) == 0)
			return 1;
		p += k + (p[k] == '|');
	}
	return 0;
}

int kt_csv_find_columns(const struct kt_csv_row *header, const struct kt_csv_column *cols, size_t n,
			int *index, char *why, size_t why_len)
{
	char name[128];
	for (size_t k = 0; k < n; k++)
		index[k] = -1;
	for (size_t f = 0; f < header->n; f++) {
		kt_csv_fold(header->fields[f], name, sizeof name);
		for (size_t k = 0; k < n; k++) {
			if (!names_match(cols[k].names, name))
				continue;
			if (index[k] >= 0) {
				say(why, why_len, "header: columns %d and %zu both mean %.*s",
				    index[k] + 1, f + 1, (int)strcspn(cols[k].names, "|"),
				    cols[k].names);
				return KT_EINVAL;
			}
			index[k] = (int)f;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (index[k] < 0 && cols[k].required) {
			const char *alt = cols[k].names + strcspn(cols[k].names, "|");
			say(why, why_len, "header: no column %.*s%s%.*s%s",
			    (int)strcspn(cols[k].names, "|"), cols[k].names, *alt ? " (or " : "",
			    *alt ? (int)strcspn(alt + 1, "|") : 0, *alt ? alt + 1 : "",
			    *alt ? ")" : "");
			return KT_EINVAL;
		}
	}
	return KT_OK;
}

/* ---- folding ------------------------------------------------------------ */

/* The length of the blank at s (0 when none): ASCII blanks and U+00A0. */
static size_t blank_at(const unsigned char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	return s[0] == 0xC2 && s[1] == 0xA0 ? 2 : 0;
}

/* The length of the UTF-8 sequence led by byte b (1 for a stray byte). */
static size_t seq_len(unsigned char b)
{
	return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

size_t kt_csv_fold(const char *text, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0, b;
	int space = 0;
	if (!cap)
		return 0;
	while (*s) {
		if ((b = blank_at(s))) {
			space = n > 0;
			s += b;
			continue;
		}
		size_t k = seq_len(*s);
		for (size_t i = 1; i < k; i++)
			if (!s[i])
				k = i;
		if (n + space + k + 1 > cap)
			break;
		if (space)
			out[n++] = ' ';
		space = 0;
		memcpy(out + n, s, k);
		if (k == 1 && *s >= 'A' && *s <= 'Z')
			out[n] = (char)(*s + 32);
		else if (k == 2 && s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0x9E && s[1] != 0x97)
			out[n + 1] = (char)(s[1] + 0x20);
		n += k;
		s += k;
	}
	out[n] = 0;
	return n;
}

/* ---- dates -------------------------------------------------------------- */

static int digits(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (s[k] < '0' || s[k] > '9')
			return 0;
	return n > 0;
}

static int number(const char *s, size_t n)
{
	int v = 0;
	for (size_t k = 0; k < n; k++)
		v = v * 10 + (s[k] - '0');
	return v;
}

static void trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* DD.MM.YY or DD.MM.YYYY (one-digit day and month allowed) into day. */
static int dotted(const char *s, size_t n, char day[11])
{
	const char *d1 = memchr(s, '.', n);
	const char *d2 = d1 ? memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - s)) : NULL;
	if (!d2)
		return -1;
	size_t nd = (size_t)(d1 - s), nm = (size_t)(d2 - d1 - 1), ny = n - (size_t)(d2 + 1 - s);
	if (!digits(s, nd) || nd > 2 || !digits(d1 + 1, nm) || nm > 2 || !digits(d2 + 1, ny) ||
	    (ny != 2 && ny != 4))
		return -1;
	int year = number(d2 + 1, ny);
	snprintf(day, 11, "%04d-%02d-%02d", ny == 2 ? 2000 + year : year, number(d1 + 1, nm),
		 number(s, nd));
	return 0;
}

/* The n bytes at s are the small ASCII letters of lower, in any case. */
static int same_letters(const char *s, const char *lower, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char c = s[k] >= 'A' && s[k] <= 'Z' ? (char)(s[k] + 32) : s[k];
		if (c != lower[k])
			return 0;
	}
	return 1;
}

/* A month alone: MM.YYYY (one-digit month allowed), YYYY-MM, or the
 * Norwegian name and the year ("mars 2025", any case), into the month's
 * first day. */
static int month_alone(const char *s, size_t n, char day[11])
{
	static const char *const names[] = { "januar",	  "februar", "mars",	 "april",
					     "mai",	  "juni",    "juli",	 "august",
					     "september", "oktober", "november", "desember" };
	int month = 0;
	const char *year = s + n - 4;
	if (n == 7 && s[4] == '-' && digits(s, 4) && digits(s + 5, 2)) {
		month = number(s + 5, 2);
		year = s;
	} else if ((n == 6 || n == 7) && s[n - 5] == '.' && digits(s, n - 5) && digits(year, 4)) {
		month = number(s, n - 5);
	} else if (n > 5 && digits(year, 4) && (year[-1] == ' ' || year[-1] == '\t')) {
		size_t len = (size_t)(year - s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		for (int m = 0; m < 12 && !month; m++)
			if (strlen(names[m]) == len && same_letters(s, names[m], len))
				month = m + 1;
	}
	if (month < 1 || month > 12)
		return -1;
	snprintf(day, 11, "%.4s-%02d-01", year, month);
	return 0;
}

/* One date: a day (any form), a month alone or a year alone. */
static int one_date(const char *s, size_t n, char day[11], const char **precision)
{
	int64_t us;
	trim(&s, &n);
	*precision = "day";
	if (n == 4 && digits(s, 4)) {
		snprintf(day, 11, "%.4s-01-01", s);
		*precision = "year";
	} else if (!month_alone(s, n, day)) {
		*precision = "month";
	} else if (n == 10 && s[4] == '-' && s[7] == '-') {
		memcpy(day, s, 10);
		day[10] = 0;
	} else if (dotted(s, n, day)) {
		return -1;
	}
	int year = number(day, 4);
	if (!digits(day, 4) || year < 1900 || year > 9999 || kt_data_parse_date(day, 10, &us))
		return -1;
	return 0;
}

/* Where a range splits text: its joiner at *at, *width bytes long. */
static int find_joiner(const char *s, size_t n, size_t *at, size_t *width)
{
	for (size_t k = 0; k + 3 <= n; k++)
		if (memcmp(s + k, "\xE2\x80\x93", 3) == 0) {
			*at = k, *width = 3;
			return 1;
		}
	for (size_t k = 1; k + 1 < n; k++)
		if (s[k] == '-' && (s[k - 1] == ' ' || s[k + 1] == ' ')) {
			*at = k, *width = 1;
			return 1;
		}
	return 0;
}

int kt_csv_parse_date(const char *text, size_t n, struct kt_csv_date *out)
{
	struct kt_csv_date d;
	size_t at, width;
	trim(&text, &n);
	memset(&d, 0, sizeof d);
	if (!find_joiner(text, n, &at, &width)) {
		if (one_date(text, n, d.from, &d.precision))
			return KT_EDATE;
		*out = d;
		return KT_OK;
	}
	const char *p1, *p2;
	if (one_date(text, at, d.from, &p1) ||
	    one_date(text + at + width, n - at - width, d.to, &p2))
		return KT_EDATE;
	if (strcmp(p1, "day") != 0 || strcmp(p2, "day") != 0 || strcmp(d.to, d.from) < 0)
		return KT_EDATE;
	d.precision = "day";
	*out = d;
	return KT_OK;
}
