/*
 * doc.h — a report written three ways from one description: as Markdown,
 * as a standalone HTML page, or as CSV figures for programs. `kontroll
 * report` describes the report once, as headings, paragraphs and tables
 * (struct cli_table, render.h), and the writer turns that into the format.
 *
 * Markdown and HTML show everything. CSV shows only the tables, each cell
 * as one line "section,key,field,value": the table's section, the row's
 * first cell, the column's key and the cell. Headings and paragraphs carry
 * nothing a table does not, so they are left out.
 *
 * Everything is written to stdout, byte for byte the same for the same
 * calls: nothing here reads a clock or the locale. Text must be UTF-8.
 */
#ifndef KONTROLL_CLI_DOC_H
#define KONTROLL_CLI_DOC_H

#include "render.h"

#include "kontroll/ktime.h"

#include <stdint.h>

enum doc_format { DOC_MARKDOWN, DOC_HTML, DOC_CSV };

/* Parse "md" (or "markdown"), "html" or "csv" into *out: 0, or -1 (*out
 * untouched) for any other text. */
int doc_parse_format(const char *text, enum doc_format *out);

/* Begin the document titled title (HTML: the page head; CSV: the header
 * line), and end it (HTML: the page's end). */
void doc_begin(enum doc_format f, const char *title);
void doc_end(enum doc_format f);

/* A heading of level 2 or 3 (the title is level 1). */
void doc_heading(enum doc_format f, int level, const char *text);

/* A paragraph of printf-style text. Cut at 4 KiB. */
void doc_paragraph(enum doc_format f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The table t: in Markdown a pipe table (cells' "|" escaped, line breaks
 * as spaces), in HTML a <table> with a <caption>, in CSV one line per cell
 * but the first of each row. caption names it for people, section for
 * programs; keys (t->cols of them, borrowed) are the CSV field names of the
 * columns, keys[0] unused. A table without rows prints `empty` as a
 * paragraph instead, and nothing in CSV.
 */
void doc_table(enum doc_format f, const char *caption, const char *section, const char *const *keys,
	       const struct cli_table *t, const char *empty);

/* Cells for people or for programs, by format, into out (at least
 * DOC_CELL_MAX bytes): a count in groups of three digits, as the annual report
 * writes them ("2 631" / "2631"), a date ("31.12.2025" /
 * "2025-12-31"; "—" / "" when KT_TIME_UNSET), a change in percent ("−8,7 %"
 * / "-8.7"; "—" / "" when NaN). */
#define DOC_CELL_MAX 48
void doc_count(enum doc_format f, uint64_t n, char *out);
void doc_date(enum doc_format f, int64_t us, char *out);
void doc_percent(enum doc_format f, double v, char *out);

#endif
