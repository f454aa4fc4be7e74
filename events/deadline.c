/*
 * deadline.c — deadline wording → day and precision. The text is split into
 * lower-cased words; leading filler words go; a qualifier phrase (primo,
 * medio, ultimo and their spelled-out forms) may follow; what is left must be
 * one of a handful of date shapes. Every path ends in one calendar check.
 */
#include "kontroll/deadline.h"

#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <stdio.h>
#include <string.h>

/* ---- words -------------------------------------------------------------- */

#define WORDS_MAX 12
#define WORD_MAX  24

struct words {
	char w[WORDS_MAX][WORD_MAX + 1]; /* lower-cased (ASCII), NUL-terminated */
	size_t n;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Split text into words; -1 when there are too many, one is too long, or the
 * text holds a NUL byte. */
static int split(const char *text, size_t len, struct words *ws)
{
	size_t i = 0;
	ws->n = 0;
	while (i < len) {
		if (is_space(text[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && !is_space(text[i]))
			i++;
		size_t n = i - start;
		if (ws->n == WORDS_MAX || n > WORD_MAX)
			return -1;
		char *w = ws->w[ws->n++];
		for (size_t k = 0; k < n; k++) {
			char c = text[start + k];
			if (c == '\0') /* words are C strings from here on */
				return -1;
			w[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		w[n] = '\0';
	}
	return 0;
}

/* ---- calendar ----------------------------------------------------------- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int exists(int y, int m, int d)
{
	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* The day a deadline of precision p in year y, month m is stored as. */
static int stored_day(int y, int m, enum kt_deadline_precision p)
{
	switch (p) {
	case KT_DEADLINE_EARLY_MONTH:
		return 10;
	case KT_DEADLINE_MID_MONTH:
		return 15;
	default:
		return month_days(y, m);
	}
}

int kt_deadline_fits(int year, int month, int day, enum kt_deadline_precision p)
{
	if (!exists(year, month, day))
		return 0;
	switch (p) {
	case KT_DEADLINE_DAY:
		return 1;
	case KT_DEADLINE_YEAR:
		return month == 12 && day == 31;
	case KT_DEADLINE_EARLY_MONTH:
	case KT_DEADLINE_MID_MONTH:
	case KT_DEADLINE_MONTH:
		return day == stored_day(year, month, p);
	}
	return 0;
}

static const char *const precision_names[] = {
	[KT_DEADLINE_DAY] = "day",
	[KT_DEADLINE_EARLY_MONTH] = "early_month",
	[KT_DEADLINE_MID_MONTH] = "mid_month",
	[KT_DEADLINE_MONTH] = "month",
	[KT_DEADLINE_YEAR] = "year",
};

const char *kt_deadline_precision_name(enum kt_deadline_precision p)
{
	if ((unsigned)p < sizeof precision_names / sizeof precision_names[0])
		return precision_names[p];
	return "?";
}

int kt_deadline_precision_parse(const char *s, size_t n, enum kt_deadline_precision *p)
{
	for (size_t k = 0; k < sizeof precision_names / sizeof precision_names[0]; k++) {
		if (strlen(precision_names[k]) == n && memcmp(precision_names[k], s, n) == 0) {
			*p = (enum kt_deadline_precision)k;
			return KT_OK;
		}
	}
	return KT_EINVAL;
}

/* ---- date shapes -------------------------------------------------------- */

/* n (1..max) decimal digits spanning all of s[0..len). */
static int number(const char *s, size_t len, size_t min, size_t max, int *out)
{
	int v = 0;
	if (len < min || len > max)
		return -1;
	for (size_t k = 0; k < len; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	*out = v;
	return 0;
}

/* A four-digit year. */
static int year_word(const char *w, int *y)
{
	return number(w, strlen(w), 4, 4, y);
}

/* A day of the month: "15" or "15.". */
static int day_word(const char *w, int *d)
{
	size_t n = strlen(w);
	if (n && w[n - 1] == '.')
		n--;
	return number(w, n, 1, 2, d);
}

/* A bokmål month, in full or abbreviated (an abbreviation may end in '.'). */
static int month_word(const char *w, int *m)
{
	static const char *const full[12] = { "januar",	   "februar", "mars",	  "april",
					      "mai",	   "juni",    "juli",	  "august",
					      "september", "oktober", "november", "desember" };
	static const char *const abbr[13] = { "jan", "feb", "mar", "apr", "mai", "jun", "jul",
					      "aug", "sep", "okt", "nov", "des", "sept" };
	size_t n = strlen(w);
	for (int k = 0; k < 12; k++) {
		if (strcmp(w, full[k]) == 0) {
			*m = k + 1;
			return 0;
		}
	}
	if (n && w[n - 1] == '.')
		n--;
	for (int k = 0; k < 13; k++) {
		if (strlen(abbr[k]) == n && memcmp(w, abbr[k], n) == 0) {
			*m = k < 12 ? k + 1 : 9;
			return 0;
		}
	}
	return -1;
}

/* "2026-06-15", exactly. */
static int iso_word(const char *w, int *y, int *m, int *d)
{
	if (strlen(w) != 10 || w[4] != '-' || w[7] != '-')
		return -1;
	if (number(w, 4, 4, 4, y) || number(w + 5, 2, 2, 2, m) || number(w + 8, 2, 2, 2, d))
		return -1;
	return 0;
}

/* "15.06.2026", "15.6.2026", "15.06.26" (20YY). */
static int dotted_word(const char *w, int *y, int *m, int *d)
{
	const char *p1 = strchr(w, '.');
	const char *p2 = p1 ? strchr(p1 + 1, '.') : NULL;
	if (!p2 || strchr(p2 + 1, '.'))
		return -1;
	size_t ny = strlen(p2 + 1);
	if (number(w, (size_t)(p1 - w), 1, 2, d) ||
	    number(p1 + 1, (size_t)(p2 - p1 - 1), 1, 2, m) || (ny != 2 && ny != 4) ||
	    number(p2 + 1, ny, 2, 4, y))
		return -1;
	if (ny == 2)
		*y += 2000;
	return 0;
}

/* ---- phrases ------------------------------------------------------------ */

enum qualifier { Q_NONE, Q_EARLY, Q_MID, Q_END };

struct phrase {
	const char *words[3]; /* NULL-terminated */
	enum qualifier q;
};

static const struct phrase qualifiers[] = {
	{ { "primo", NULL }, Q_EARLY },
	{ { "medio", NULL }, Q_MID },
	{ { "ultimo", NULL }, Q_END },
	{ { "begynnelsen", "av", NULL }, Q_EARLY },
	{ { "starten", "av", NULL }, Q_EARLY },
	{ { "midten", "av", NULL }, Q_MID },
	{ { "slutten", "av", NULL }, Q_END },
	{ { "utgangen", "av", NULL }, Q_END },
	{ { "i", "l\xc3\xb8pet", "av" }, Q_END }, /* "i løpet av" */
};

static int filler(const char *w)
{
	static const char *const words[] = { "innen",  "frist", "frist:", "fristen",
					     "senest", "den",	"within", "by" };
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
		if (strcmp(w, words[k]) == 0)
			return 1;
	return 0;
}

/* The qualifier phrase at words[*at], if any; *at moves past it. */
static enum qualifier qualifier(const struct words *ws, size_t *at)
{
	for (size_t k = 0; k < sizeof qualifiers / sizeof qualifiers[0]; k++) {
		const struct phrase *ph = &qualifiers[k];
		size_t n = 0;
		while (n < 3 && ph->words[n])
			n++;
		if (*at + n > ws->n)
			continue;
		size_t j = 0;
		while (j < n && strcmp(ws->w[*at + j], ph->words[j]) == 0)
			j++;
		if (j == n) {
			*at += n;
			return ph->q;
		}
	}
	return Q_NONE;
}

static const enum kt_deadline_precision of_qualifier[] = {
	[Q_NONE] = KT_DEADLINE_MONTH,
	[Q_EARLY] = KT_DEADLINE_EARLY_MONTH,
	[Q_MID] = KT_DEADLINE_MID_MONTH,
	[Q_END] = KT_DEADLINE_MONTH,
};

/* Read the words from at to the end as a date; -1 when they are not one. */
static int shape(const struct words *ws, size_t at, enum qualifier q, struct kt_deadline *d)
{
	size_t left = ws->n - at;
	if (left == 1 && q == Q_NONE) {
		const char *a = ws->w[at];
		if (iso_word(a, &d->year, &d->month, &d->day) == 0 ||
		    dotted_word(a, &d->year, &d->month, &d->day) == 0) {
			d->precision = KT_DEADLINE_DAY;
			return 0;
		}
	}
	if (left == 1 && (q == Q_NONE || q == Q_END) && year_word(ws->w[at], &d->year) == 0) {
		d->month = 12;
		d->day = 31;
		d->precision = KT_DEADLINE_YEAR;
		return 0;
	}
	if (left == 2 && month_word(ws->w[at], &d->month) == 0 &&
	    year_word(ws->w[at + 1], &d->year) == 0) {
		if (d->year < 1900 || d->year > 9999)
			return -1;
		d->precision = of_qualifier[q];
		d->day = stored_day(d->year, d->month, d->precision);
		return 0;
	}
	if (left == 3 && q == Q_NONE && day_word(ws->w[at], &d->day) == 0 &&
	    month_word(ws->w[at + 1], &d->month) == 0 && year_word(ws->w[at + 2], &d->year) == 0) {
		d->precision = KT_DEADLINE_DAY;
		return 0;
	}
	return -1;
}

int kt_deadline_parse(const char *text, size_t len, struct kt_deadline *out)
{
	struct words ws;
	struct kt_deadline d;
	size_t at = 0;
	memset(&d, 0, sizeof d);
	if (len > KT_DEADLINE_TEXT_MAX || split(text, len, &ws) || ws.n == 0)
		return KT_EDATE;

	/* One full stop may end the text: "innen 31. desember 2025." */
	char *last = ws.w[ws.n - 1];
	size_t n = strlen(last);
	if (n > 1 && last[n - 1] == '.' && last[n - 2] != '.')
		last[n - 1] = '\0';

	while (at < ws.n && filler(ws.w[at]))
		at++;
	enum qualifier q = qualifier(&ws, &at);
	if (at == ws.n || shape(&ws, at, q, &d) || !exists(d.year, d.month, d.day))
		return KT_EDATE;

	d.us = kt_time_days_from_civil(d.year, d.month, d.day) * KT_US_PER_DAY;
	snprintf(d.date, sizeof d.date, "%04d-%02d-%02d", d.year, d.month, d.day);
	*out = d;
	return KT_OK;
}
