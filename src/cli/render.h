/*
 * render.h — how the views of kontroll (the listings and `show` of
 * inspections and incidents) write what they show, so that they all write
 * it alike: text cut to a column, Norwegian dates, aligned tables for
 * people; rows of JSON or CSV, written as they are made (or made into
 * jansson objects, for comparing listings), and JSON objects built key by
 * key, for programs.
 *
 * Everything is written to stdout. Text is UTF-8 and counted in characters
 * (code points), which is what a terminal column shows for the Norwegian
 * text kontroll holds; nothing here knows of wide or combining characters.
 * Nothing here reads the store.
 */
#ifndef KONTROLL_CLI_RENDER_H
#define KONTROLL_CLI_RENDER_H

#include "cli.h"

#include "kontroll/data.h"
#include "kontroll/ktime.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* ---- text --------------------------------------------------------------- */

/* Characters (code points) of the UTF-8 text s. */
size_t cli_text_width(const char *s);

/* Bytes a cell of max characters may need: four a character and "…". */
#define CLI_CELL_BYTES(max) (4 * (max) + 4)

/*
 * The n bytes at s as one line of at most max (≥ 1) characters, into out
 * (CLI_CELL_BYTES(max) bytes, NUL-terminated): control characters become
 * spaces, and longer text is cut to max - 1 characters followed by "…".
 * Bytes that are not UTF-8 are bounded all the same.
 */
void cli_cell_text(const char *s, size_t n, size_t max, char *out);

/* The byte at s[k] folded to lower case: ASCII letters, and the Latin-1
 * capitals (Æ Ø Å É …, U+00C0–U+00DE but ×) whose UTF-8 is C3 80–9E. For
 * comparing names without regard to case, byte by byte. */
unsigned char cli_folded(const char *s, size_t k);

/* Non-zero when s is NULL or valid UTF-8: text jansson would take
 * (json_string). A listing checks its texts before it writes a row. */
int cli_text_ok(const char *s);

/* "dd.mm.yyyy", the Norwegian form of the UTC date of us; "—" when us is
 * KT_TIME_UNSET. */
void cli_people_date(int64_t us, char out[KT_TIME_TEXT_MAX]);

/* The date at us for people, as exactly as it is known (data.h):
 * "21.05.2025"; for a month or a year, the month and year or the year of
 * us ("10.2025", "2025": an inspection's step stores the period's first
 * day, a goal's measurement its last); "≤31.12.2025" for a bound, a step
 * known to have happened by that day. "—" for KT_TIME_UNSET. */
void cli_people_date_as(int64_t us, enum kt_date_precision precision, char out[KT_TIME_TEXT_MAX]);

/* "dd.mm.yyyy HH:MM" of us (UTC), with seconds ":SS" too. */
void cli_people_time(int64_t us, int seconds, char out[KT_TIME_TEXT_MAX]);

/* A number for programs: the fewest significant digits that read back as
 * the same double, with an exponent only where a plain number would need
 * more than 15 digits or is below 0.0001 ("10.2", "-3", "80", "1e+20"). */
void cli_number_json_text(double v, char out[32]);

/* The same for people reading Norwegian: a decimal comma ("10,2"). */
void cli_number_text(double v, char out[32]);

/* A line of text built piece by piece (cli_line_add), cut at its size.
 * Start it with n = 0 and buf[0] = 0. */
struct cli_line {
	char buf[1024];
	size_t n; /* bytes in buf, without the NUL */
};

/* Append printf-style text to l; what does not fit is cut. */
void cli_line_add(struct cli_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- tables for people -------------------------------------------------- */

/* Columns a table may have. */
#define CLI_TABLE_COLS_MAX 16

/*
 * Rows of text cells, printed under a header line with each column as wide
 * as its widest cell (in characters) and two spaces between columns; align
 * holds 'l' or 'r' per column. A line ends after its last non-empty cell,
 * without trailing blanks. headers and align are borrowed and must outlive
 * the table; the cells are copies the table owns. Initialise with
 * CLI_TABLE_INIT (or the fields in order, for a number of columns chosen at
 * run time), fill with cli_table_add, print with cli_table_print, and
 * always release with cli_table_free, also after a failed add.
 */
struct cli_table {
	size_t cols; /* ≤ CLI_TABLE_COLS_MAX */
	const char *const *headers;
	const char *align;
	char **cells; /* rows × cols, owned */
	size_t rows, cap;
};

/* A table with a column for each of the array headers. */
#define CLI_TABLE_INIT(headers, align)                                                             \
	{                                                                                          \
		sizeof(headers) / sizeof(headers)[0], (headers), (align), NULL, 0, 0               \
	}

/* Add a row of t->cols cells (a NULL cell is empty), copied. KT_OK, or
 * KT_ENOMEM with the table as it was. */
int cli_table_add(struct cli_table *t, const char *const *row);

/* Print the header line and the rows of t, each line after indent. */
void cli_table_print(const struct cli_table *t, const char *indent);

/* Free the cells of t; it is then empty, ready for cli_table_add again. */
void cli_table_free(struct cli_table *t);

/* ---- rows for programs -------------------------------------------------- */

/*
 * The rows of a listing for programs, each written as it is made, with no
 * tree of them kept: JSON, an array of objects, one per line, as jansson's
 * compact dump (keys in their order) would write them; or CSV, a header of
 * the keys, then a line of each row's values for them (null empty, booleans
 * true/false). Texts written must be valid UTF-8 (cli_text_ok).
 *
 * Call cli_rows_begin, then for each row cli_row_begin, a cli_row_* for
 * each key in the order of the header, cli_row_end; then cli_rows_end.
 *
 * The same calls make the rows into jansson objects instead, when the
 * writer is a tree (CLI_ROWS_TREE): each row becomes an object of the same
 * keys and values, set in the JSON object tree under the key the caller
 * named it by (cli_rows_key) before it began. That is how kontroll diff
 * gets a listing's rows: made by the listing's own code, so they cannot
 * drift apart. Nothing is written then, and cli_rows_begin and
 * cli_rows_end do nothing.
 */
struct cli_rows {
	enum cli_format format; /* FORMAT_JSON or FORMAT_CSV; a tree's is unused */
	size_t rows;		/* rows begun */
	size_t col;		/* values written of the current row */
	json_t *tree;		/* NULL: rows are written; else the object they go into */
	const char *key;	/* a tree's: the name of the next row (cli_rows_key) */
	json_t *row;		/* a tree's: the row being made, borrowed from tree */
	int failed;		/* a tree's: a value or row could not be made */
};

#define CLI_ROWS_INIT(format)                                                                      \
	{                                                                                          \
		(format), 0, 0, NULL, NULL, NULL, 0                                                \
	}

/* Rows made into the JSON object tree (borrowed; the caller owns it). */
#define CLI_ROWS_TREE(tree)                                                                        \
	{                                                                                          \
		FORMAT_JSON, 0, 0, (tree), NULL, NULL, 0                                           \
	}

/* Before the first row: the CSV header of the n_keys keys (nothing for
 * JSON). */
void cli_rows_begin(const struct cli_rows *w, const char *const *keys, size_t n_keys);
/* Begin a row: "[" or "," and its "{" for JSON; nothing for CSV; a new
 * object under the name given to cli_rows_key for a tree. */
void cli_row_begin(struct cli_rows *w);
/* End a row: its "}" for JSON, the line's end for CSV; nothing for a tree. */
void cli_row_end(const struct cli_rows *w);
/* After the last row: the end of the JSON array ("[]" when there was none). */
void cli_rows_end(const struct cli_rows *w);

/* A tree's: name the next row key (borrowed until that row begins; valid
 * UTF-8). A name the tree holds already is taken as "key#2", "key#3"…, so
 * that no row is lost when a store holds two rows of one name. */
void cli_rows_key(struct cli_rows *w, const char *key);

/* A tree's: KT_OK when every row and value was made, else KT_ENOMEM (out
 * of memory, or a text jansson refused); the tree then lacks some of them. */
int cli_rows_status(const struct cli_rows *w);

/* The value of key in the current row: text, or null for NULL. */
void cli_row_text(struct cli_rows *w, const char *key, const char *s);
/* "YYYY-MM-DD" of us, or null when it is KT_TIME_UNSET. */
void cli_row_date(struct cli_rows *w, const char *key, int64_t us);
/* ISO 8601 UTC with µs of us, or null when it is KT_TIME_UNSET. */
void cli_row_time(struct cli_rows *w, const char *key, int64_t us);
/* An integer, or null when !has. */
void cli_row_int(struct cli_rows *w, const char *key, int has, long long value);
/* A number (cli_number_json_text), or null when !has. In a tree, a whole
 * number below 2^53 is a JSON integer and any other a real, so that a dump
 * with JSON_REAL_PRECISION(15) writes what the listing writes ("80", not
 * "80.0") for every number of up to 15 significant digits. */
void cli_row_number(struct cli_rows *w, const char *key, int has, double value);
/* true or false. */
void cli_row_bool(struct cli_rows *w, const char *key, int value);

/* ---- JSON objects for programs ------------------------------------------ */

/* Builds an object key by key, in the order the keys are documented; a
 * value that could not be made (NULL) marks the whole object failed.
 * Initialise as { json_object(), 0 }; end with cli_jobj_done or
 * cli_jobj_print. */
struct cli_jobj {
	json_t *obj;
	int failed;
};

/* Set key of the object to value, handing its reference to the object
 * (json_object_set_new). A NULL value, an object that could not be made,
 * or a failure to set marks the object failed. */
void cli_jobj_put(struct cli_jobj *b, const char *key, json_t *value);

/* The object built (the caller's reference), or NULL, with nothing leaked,
 * when any put failed. */
json_t *cli_jobj_done(struct cli_jobj *b);

/* Print the object built on its own line (cli_print_json) unless it failed,
 * and free it. KT_OK, or KT_ENOMEM when it failed and nothing was printed. */
int cli_jobj_print(struct cli_jobj *b);

/* Text as a JSON string, or null for NULL. */
json_t *cli_json_text(const char *s);

/* "YYYY-MM-DD" of us as a JSON string, or null when it is KT_TIME_UNSET. */
json_t *cli_json_date(int64_t us);

#endif
