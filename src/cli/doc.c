/*
 * doc.c — Markdown, HTML and CSV output of a report (doc.h).
 */
#include "doc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int doc_parse_format(const char *text, enum doc_format *out)
{
	if (!strcmp(text, "md") || !strcmp(text, "markdown"))
		*out = DOC_MARKDOWN;
	else if (!strcmp(text, "html"))
		*out = DOC_HTML;
	else if (!strcmp(text, "csv"))
		*out = DOC_CSV;
	else
		return -1;
	return 0;
}

/* Text into HTML: the five characters that could end an element or an
 * attribute are escaped. */
static void put_html(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", stdout);
			break;
		case '<':
			fputs("&lt;", stdout);
			break;
		case '>':
			fputs("&gt;", stdout);
			break;
		case '"':
			fputs("&quot;", stdout);
			break;
		case '\'':
			fputs("&#39;", stdout);
			break;
		default:
			putchar(*s);
		}
	}
}

/* Text into a Markdown table cell: one line, "|" escaped. */
static void put_md_cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			putchar(' ');
		else
			putchar(*s);
	}
}

void doc_begin(enum doc_format f, const char *title)
{
	switch (f) {
	case DOC_MARKDOWN:
		printf("# %s\n", title);
		break;
	case DOC_HTML:
		fputs("<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<title>",
		      stdout);
		put_html(title);
		fputs("</title>\n<style>\n"
		      "body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; }\n"
		      "table { border-collapse: collapse; margin: 1rem 0; }\n"
		      "caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }\n"
		      "th, td { border: 1px solid #999; padding: 0.2rem 0.5rem; "
		      "vertical-align: top; }\n"
		      "td.r { text-align: right; }\n"
		      "</style>\n</head>\n<body>\n<h1>",
		      stdout);
		put_html(title);
		fputs("</h1>\n", stdout);
		break;
	case DOC_CSV:
		fputs("section,key,field,value\n", stdout);
		break;
	}
}

void doc_end(enum doc_format f)
{
	if (f == DOC_HTML)
		fputs("</body>\n</html>\n", stdout);
}

void doc_heading(enum doc_format f, int level, const char *text)
{
	if (f == DOC_MARKDOWN) {
		printf("\n%.*s %s\n", level, "###", text);
	} else if (f == DOC_HTML) {
		printf("<h%d>", level);
		put_html(text);
		printf("</h%d>\n", level);
	}
}

void doc_paragraph(enum doc_format f, const char *fmt, ...)
{
	if (f == DOC_CSV)
		return;
	char text[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (f == DOC_MARKDOWN) {
		printf("\n%s\n", text);
	} else {
		fputs("<p>", stdout);
		put_html(text);
		fputs("</p>\n", stdout);
	}
}

static const char *cell(const struct cli_table *t, size_t row, size_t col)
{
	const char *s = t->cells[row * t->cols + col];
	return s ? s : "";
}

static void table_markdown(const char *caption, const struct cli_table *t)
{
	printf("\n%s\n\n|", caption);
	for (size_t c = 0; c < t->cols; c++) {
		putchar(' ');
		put_md_cell(t->headers[c]);
		fputs(" |", stdout);
	}
	fputs("\n|", stdout);
	for (size_t c = 0; c < t->cols; c++)
		fputs(t->align[c] == 'r' ? " ---: |" : " --- |", stdout);
	putchar('\n');
	for (size_t r = 0; r < t->rows; r++) {
		putchar('|');
		for (size_t c = 0; c < t->cols; c++) {
			putchar(' ');
			put_md_cell(cell(t, r, c));
			fputs(" |", stdout);
		}
		putchar('\n');
	}
}

static void table_html(const char *caption, const struct cli_table *t)
{
	fputs("<table>\n<caption>", stdout);
	put_html(caption);
	fputs("</caption>\n<tr>", stdout);
	for (size_t c = 0; c < t->cols; c++) {
		fputs("<th>", stdout);
		put_html(t->headers[c]);
		fputs("</th>", stdout);
	}
	fputs("</tr>\n", stdout);
	for (size_t r = 0; r < t->rows; r++) {
		fputs("<tr>", stdout);
		for (size_t c = 0; c < t->cols; c++) {
			fputs(t->align[c] == 'r' ? "<td class=\"r\">" : "<td>", stdout);
			put_html(cell(t, r, c));
			fputs("</td>", stdout);
		}
		fputs("</tr>\n", stdout);
	}
	fputs("</table>\n", stdout);
}

static void table_csv(const char *section, const char *const *keys, const struct cli_table *t)
{
	for (size_t r = 0; r < t->rows; r++) {
		const char *key = cell(t, r, 0);
		for (size_t c = 1; c < t->cols; c++) {
			const char *value = cell(t, r, c);
			cli_csv_field(section, strlen(section), ',');
			cli_csv_field(key, strlen(key), ',');
			cli_csv_field(keys[c], strlen(keys[c]), ',');
			cli_csv_field(value, strlen(value), 0);
			putchar('\n');
		}
	}
}

void doc_table(enum doc_format f, const char *caption, const char *section, const char *const *keys,
	       const struct cli_table *t, const char *empty)
{
	if (!t->rows) {
		doc_paragraph(f, "%s", empty);
		return;
	}
	switch (f) {
	case DOC_MARKDOWN:
		table_markdown(caption, t);
		break;
	case DOC_HTML:
		table_html(caption, t);
		break;
	case DOC_CSV:
		table_csv(section, keys, t);
		break;
	}
}

void doc_count(enum doc_format f, uint64_t n, char *out)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	if (f == DOC_CSV || len <= 3) {
		memcpy(out, digits, (size_t)len + 1);
		return;
	}
	size_t o = 0;
	for (int k = 0; k < len; k++) {
		if (k && (len - k) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[k];
	}
	out[o] = 0;
}

void doc_date(enum doc_format f, int64_t us, char *out)
{
	char text[KT_TIME_TEXT_MAX];
	if (f != DOC_CSV) {
		cli_people_date(us, text);
	} else if (us == KT_TIME_UNSET) {
		text[0] = 0;
	} else {
		kt_time_format_date(us, text);
	}
	snprintf(out, DOC_CELL_MAX, "%s", text);
}

void doc_percent(enum doc_format f, double v, char *out)
{
	if (isnan(v)) {
		snprintf(out, DOC_CELL_MAX, "%s", f == DOC_CSV ? "" : "—");
		return;
	}
	double rounded = round(v * 10) / 10;
	if (rounded == 0)
		rounded = 0; /* no "-0,0" */
	if (f == DOC_CSV) {
		snprintf(out, DOC_CELL_MAX, "%.1f", rounded);
		return;
	}
	char text[32];
	snprintf(text, sizeof text, "%.1f", fabs(rounded));
	char *dot = strchr(text, '.');
	if (dot)
		*dot = ',';
	/* U+2212 MINUS SIGN, as print sets a negative figure. */
	snprintf(out, DOC_CELL_MAX, "%s%s %%", rounded < 0 ? "\xe2\x88\x92" : "", text);
}
