/*
 * csv.h — reading the tables people keep in spreadsheets: the CSV dialects
 * a spreadsheet saves (semicolon, comma or tab; RFC 4180 quoting; UTF-8 with
 * or without a byte order mark; CRLF or LF), columns found by their header
 * name, and the Norwegian ways of writing a date ("23.01.25", "23.01.2025",
 * "01.01.25 - 31.12.25", "2024").
 *
 * Invariants: a parsed table holds every field as NUL-terminated text,
 * quotes removed and doubled quotes undone, with the line of the file its
 * row starts on (a quoted field may span lines). Lines that hold nothing
 * but separators and blanks are no rows. The separator is decided once,
 * from the header line, and holds for the whole file.
 *
 * Not here: what a column means (the command maps headers to payload
 * fields), checking texts against the catalogue, or any I/O: the caller
 * reads the file and hands over its bytes. Nothing is trusted: the number
 * of fields of a row is bounded by KT_CSV_MAX_FIELDS, a field by the
 * input's length.
 */
#ifndef KONTROLL_CSV_H
#define KONTROLL_CSV_H

#include <stddef.h>
#include <stdint.h>

#define KT_CSV_MAX_FIELDS 256 /* fields in one row */

struct kt_csv_row {
	uint64_t line; /* the line of the file the row starts on, from 1 */
	size_t n;      /* its fields */
	char **fields; /* n NUL-terminated texts, owned by the table */
};

struct kt_csv {
	char sep;		 /* ';', ',' or '\t' */
	struct kt_csv_row *rows; /* rows[0] is the header line */
	size_t n;
	size_t cap;
	char *text; /* the fields' bytes, one block */
};

#define KT_CSV_INIT                                                                                \
	{                                                                                          \
		0, NULL, 0, 0, NULL                                                                \
	}

/*
 * The separator of a file whose first line (after any byte order mark) is
 * the header: whichever of ';', '\t' and ',' occurs most often outside
 * quotes on that line, ';' on a tie, ';' when none occurs (a one-column
 * file). The len bytes at text need not be NUL-terminated.
 */
char kt_csv_detect_separator(const char *text, size_t len);

/*
 * Parse the len bytes at text (need not be NUL-terminated) into *t, which
 * must be KT_CSV_INIT or freed: a leading UTF-8 byte order mark is skipped,
 * the separator detected (kt_csv_detect_separator), lines end at LF or CRLF
 * (a lone CR inside a field is kept), fields are quoted as RFC 4180 says
 * ("" is a quote inside a quoted field; a quoted field may hold separators
 * and line breaks) and blank rows are dropped. Returns 0; KT_EMALFORMED with
 * why ("line 4: a quoted field is not closed", "line 2: text after a closing
 * quote", "line 3: more than 256 fields") — *t then holds nothing; KT_EINVAL
 * for a NUL byte in the text; KT_ENOMEM. Call kt_csv_free afterwards in
 * every case.
 */
int kt_csv_parse(const char *text, size_t len, struct kt_csv *t, char *why, size_t why_len);

/* Free what t holds; it is KT_CSV_INIT afterwards. Accepts a table never
 * parsed into. */
void kt_csv_free(struct kt_csv *t);

/*
 * One column a reader looks for: names lists the header texts that mean it
 * ("tilsynsmyndighet|authority"), compared with kt_csv_fold's folding.
 */
struct kt_csv_column {
	const char *names; /* alternatives separated by '|' */
	int required;
};

/*
 * Find each of the n columns in header: index[k] is the field of header
 * naming cols[k], or -1 for an optional column the header lacks. Header
 * fields naming no column are ignored. Returns 0, or KT_EINVAL with why
 * ("header: no column dato (or date)" for a required column missing,
 * "header: columns 2 and 5 both mean dato" for two naming one column).
 */
int kt_csv_find_columns(const struct kt_csv_row *header, const struct kt_csv_column *cols, size_t n,
			int *index, char *why, size_t why_len);

/*
 * Fold text for comparison into out (cap bytes, NUL-terminated, cut at a
 * character when too long): blanks at either end dropped, every run of
 * blanks (space, tab, line breaks, no-break space) made one space, ASCII and
 * Latin-1 capitals (Æ, Ø, Å, É, …) made small. Returns the length written.
 */
size_t kt_csv_fold(const char *text, char *out, size_t cap);

/* A date as the catalogue stores an inspection's period. */
struct kt_csv_date {
	char from[11];	       /* YYYY-MM-DD: the day, or the year's first day */
	char to[11];	       /* YYYY-MM-DD: a range's last day, "" when none */
	const char *precision; /* "day", "month" or "year" (static) */
};

/*
 * Parse the n bytes at text (need not be NUL-terminated; blanks at either
 * end ignored) as one of: DD.MM.YY (20YY), DD.MM.YYYY (day and month may
 * have one digit), YYYY-MM-DD, a month alone — MM.YYYY, YYYY-MM or its
 * Norwegian name and the year, "mars 2025" in any case (precision month:
 * its first day) — YYYY alone (precision year: the first of January), or a
 * range of two days joined by '-' with blanks around it, or
 * by an en dash ('–') with or without blanks, the last not before the
 * first. Years 1900–9999 and days that exist. Returns 0, or KT_EDATE with
 * *out untouched.
 */
int kt_csv_parse_date(const char *text, size_t n, struct kt_csv_date *out);

#endif
