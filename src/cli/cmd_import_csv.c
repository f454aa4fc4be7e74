/*
 * cmd_import_csv.c — `kontroll import-csv inspections FILE`: opens the
 * inspections of the overview table people keep in a spreadsheet, saved as
 * CSV (csv.h reads the dialect, the header and the dates).
 *
 * All or nothing: every row is checked first, each bad one reported with
 * its line, and nothing is written when any is bad. The good rows become
 * one inspection.opened each, every one a stream of its own, written by
 * kt_store_import in one transaction, as `import --new-events` does
 * (cmd_export.c). Rerunning the file imports nothing twice: a row whose
 * inspection is in the store already — same authority, unit, first day and
 * theme, compared as kt_csv_fold folds them — is skipped and counted.
 */
#define _POSIX_C_SOURCE 200809L
#include "inspection_cli.h"
#include "render.h"

#include "kontroll/catalogue.h"
#include "kontroll/csv.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
	MAX_FILE = 16 << 20, /* bytes of a CSV file */
	MAX_REPORTED = 20,   /* bad rows printed before the count */
	ATTEMPTS = 5,	     /* imports tried while other writers get in between */
	KEY_MAX = 1200,	     /* a folded natural key */
};

/* The columns, in this order; names as kt_csv_find_columns takes them. */
enum { COL_AUTHORITY, COL_UNIT, COL_DATE, COL_LAW, COL_THEME, COL_KIND, COLS };

static const struct kt_csv_column columns[COLS] = {
	{ "tilsynsmyndighet|authority|myndighet", 1 },
	{ "enhet|unit", 1 },
	{ "dato|date", 1 },
	{ "lov|law|hjemmel|lov/hjemmel|lovverk", 1 },
	{ "tema|theme", 1 },
	{ "type|kind|tilsynstype", 0 },
};

/* The payload field of each column but the date and the kind. */
static const char *const fields[COLS] = { "authority", "unit", NULL, "law", "theme", NULL };

/* One data row of the file. */
struct row {
	uint64_t line;
	const char *cell[COLS]; /* borrowed from the table; "" when absent */
	struct kt_csv_date date;
	int64_t from; /* date.from at 00:00 UTC */
	char key[KEY_MAX];
	json_t *payload;
	const char *stored; /* the case number in the store, when skipped */
	char case_number[32];
	char stream[64];
};

struct import {
	const char *path;
	struct kt_csv table;
	int col[COLS];
	char header[COLS][64]; /* the header names, folded, for messages */
	struct row *rows;
	size_t n;
	size_t bad;
};

static int row_error(struct import *im, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report one bad row (the first MAX_REPORTED of them). */
static int row_error(struct import *im, uint64_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (im->bad++ < MAX_REPORTED)
		cli_error("line %llu: %s", (unsigned long long)line, msg);
	return EXIT_INPUT;
}

/* ---- reading the file ---------------------------------------------------- */

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		cli_error("cannot open %s: %s", path, strerror(errno));
		return errno == ENOENT ? EXIT_NOTFOUND : EXIT_FAILURE_STORE;
	}
	char *buf = malloc(MAX_FILE + 1);
	size_t n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
	int rc = EXIT_OK;
	if (!buf) {
		cli_error("out of memory");
		rc = EXIT_FAILURE_STORE;
	} else if (ferror(f)) {
		cli_error("reading %s: %s", path, strerror(errno));
		rc = EXIT_FAILURE_STORE;
	} else if (n > MAX_FILE) {
		cli_error("%s is over the limit of %d MiB", path, MAX_FILE >> 20);
		rc = EXIT_INPUT;
	}
	if (f != stdin)
		fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = n;
	return EXIT_OK;
}

/* The catalogue's kind for a wording, or NULL for "other" (the wordings
 * `inspection open --kind` takes, and "egenkontroll / egentilsyn" as the
 * report writes it). */
static const char *normalise_kind(const char *wording)
{
	char folded[128], norm[128];
	size_t n = 0;
	kt_csv_fold(wording, folded, sizeof folded);
	for (const char *p = folded; *p; p++) {
		if (*p == ' ' && (p[1] == '/' || (n && norm[n - 1] == '/')))
			continue;
		norm[n++] = *p == '_' ? ' ' : *p;
	}
	norm[n] = 0;
	return cli_inspection_kind(norm);
}

/* The natural key of an inspection: authority, unit, first day, theme. */
static void natural_key(const char *authority, const char *unit, const char *from,
			const char *theme, char key[KEY_MAX])
{
	char a[256], u[256], t[600];
	kt_csv_fold(authority ? authority : "", a, sizeof a);
	kt_csv_fold(unit ? unit : "", u, sizeof u);
	kt_csv_fold(theme ? theme : "", t, sizeof t);
	snprintf(key, KEY_MAX, "%s\x1f%s\x1f%s\x1f%s", a, u, from, t);
}

static int set_text(json_t *payload, const char *field, const char *value)
{
	json_t *s = json_string(value);
	return s ? json_object_set_new(payload, field, s) : -1;
}

/* Encode r's payload as msgpack into data and check it against the
 * catalogue; why names the failing field by its payload name. */
static int encode_payload(const struct row *r, struct kt_buf *data, char *why, size_t why_len)
{
	char *text = json_dumps(r->payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
	kt_buf_reset(data);
	int err = text ? kt_json_to_data(text, strlen(text), data, why, why_len) : KT_ENOMEM;
	free(text);
	if (err == KT_ETOOBIG)
		snprintf(why, why_len, "the row is over the payload limit of %d bytes",
			 KT_DATA_MAX);
	if (!err)
		err = kt_catalogue_check(KT_EV_INSPECTION_OPENED, strlen(KT_EV_INSPECTION_OPENED),
					 data->data, data->len, why, why_len);
	return err;
}

/* why with a payload field's name at its start replaced by the header's. */
static void in_header_words(const struct import *im, const char *why, char *out, size_t cap)
{
	for (int k = 0; k < COLS; k++) {
		const char *f = fields[k] ? fields[k] : k == COL_DATE ? "date_" : "kind";
		size_t n = strlen(f);
		if (strncmp(why, f, n) == 0 && im->col[k] >= 0) {
			const char *rest = why + n + strcspn(why + n, ":");
			snprintf(out, cap, "%s%s", im->header[k], rest);
			return;
		}
	}
	snprintf(out, cap, "%s", why);
}

/* Fill r's payload from its cells: EXIT_OK, or EXIT_INPUT (reported). */
static int build_row(struct import *im, struct row *r, struct kt_buf *data)
{
	int rc = EXIT_OK;
	for (int k = 0; k < COLS; k++) {
		if (!fields[k] || r->cell[k][strspn(r->cell[k], " \t")])
			continue;
		row_error(im, r->line, "%s: required", im->header[k]);
		return EXIT_INPUT;
	}
	const char *date = r->cell[COL_DATE];
	if (kt_csv_parse_date(date, strlen(date), &r->date))
		return row_error(im, r->line, "%s: '%s' is not a date", im->header[COL_DATE], date);
	kt_data_parse_date(r->date.from, 10, &r->from);
	if (!(r->payload = json_object()))
		return EXIT_FAILURE_STORE;
	char trimmed[COLS][1024];
	for (int k = 0; k < COLS && !rc; k++) {
		const char *s = r->cell[k];
		size_t lead = strspn(s, " \t"), n = strlen(s + lead);
		while (n && (s[lead + n - 1] == ' ' || s[lead + n - 1] == '\t'))
			n--;
		if (n >= sizeof trimmed[k])
			n = sizeof trimmed[k] - 1;
		memcpy(trimmed[k], s + lead, n);
		trimmed[k][n] = 0;
		if (fields[k] && set_text(r->payload, fields[k], trimmed[k]))
			rc = row_error(im, r->line, "%s: not valid UTF-8 text", im->header[k]);
	}
	if (rc)
		return rc;
	set_text(r->payload, "date_from", r->date.from);
	if (r->date.to[0])
		set_text(r->payload, "date_to", r->date.to);
	if (strcmp(r->date.precision, "day") != 0)
		set_text(r->payload, "date_precision", r->date.precision);
	if (trimmed[COL_KIND][0]) {
		const char *kind = normalise_kind(trimmed[COL_KIND]);
		set_text(r->payload, "kind", kind ? kind : "other");
		if ((!kind || strcmp(kind, trimmed[COL_KIND]) != 0) &&
		    set_text(r->payload, "kind_text", trimmed[COL_KIND]))
			return row_error(im, r->line, "%s: not valid UTF-8 text",
					 im->header[COL_KIND]);
	}
	/* A placeholder number checks the payload before the store is read. */
	set_text(r->payload, "case_number", "T-0000-000");
	/* A month, a year or a range keeps the date as the table writes it. */
	if (strcmp(r->date.precision, "day") != 0 || r->date.to[0])
		set_text(r->payload, "date_text", trimmed[COL_DATE]);
	char why[300], said[400];
	if (encode_payload(r, data, why, sizeof why)) {
		in_header_words(im, why, said, sizeof said);
		return row_error(im, r->line, "%s", said);
	}
	natural_key(trimmed[COL_AUTHORITY], trimmed[COL_UNIT], r->date.from, trimmed[COL_THEME],
		    r->key);
	return EXIT_OK;
}

/* Parse the file, map its header and build and check every row. */
static int read_rows(struct import *im, const char *text, size_t len)
{
	char why[200];
	int err = kt_csv_parse(text, len, &im->table, why, sizeof why);
	if (err == KT_ENOMEM) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	if (err) {
		cli_error("%s: %s; nothing written", im->path, why);
		return EXIT_INPUT;
	}
	if (im->table.n == 0) {
		cli_error("%s: no header line; nothing written", im->path);
		return EXIT_INPUT;
	}
	const struct kt_csv_row *h = &im->table.rows[0];
	if (kt_csv_find_columns(h, columns, COLS, im->col, why, sizeof why)) {
		cli_error("%s: line %llu: %s; nothing written", im->path,
			  (unsigned long long)h->line, why);
		return EXIT_INPUT;
	}
	for (int k = 0; k < COLS; k++)
		kt_csv_fold(im->col[k] >= 0 ? h->fields[im->col[k]] : "", im->header[k],
			    sizeof im->header[k]);
	im->rows = calloc(im->table.n, sizeof *im->rows);
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	if (!im->rows) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	for (size_t k = 1; k < im->table.n; k++) {
		const struct kt_csv_row *t = &im->table.rows[k];
		struct row *r = &im->rows[im->n++];
		r->line = t->line;
		if (t->n > h->n)
			for (size_t f = h->n; f < t->n; f++)
				if (t->fields[f][strspn(t->fields[f], " \t")]) {
					row_error(im, t->line, "%zu fields, the header has %zu",
						  t->n, h->n);
					goto next;
				}
		for (int c = 0; c < COLS; c++)
			r->cell[c] = im->col[c] >= 0 && (size_t)im->col[c] < t->n
					 ? t->fields[im->col[c]]
					 : "";
		if (build_row(im, r, &data) == EXIT_FAILURE_STORE) {
			kt_buf_free(&data);
			cli_error("out of memory");
			return EXIT_FAILURE_STORE;
		}
		for (size_t j = 0; r->key[0] && j + 1 < im->n; j++)
			if (strcmp(im->rows[j].key, r->key) == 0) {
				row_error(im, r->line,
					  "the same inspection as line %llu (authority, unit, date "
					  "and theme)",
					  (unsigned long long)im->rows[j].line);
				break;
			}
	next:;
	}
	kt_buf_free(&data);
	if (im->bad > MAX_REPORTED)
		cli_error("… and %zu more bad rows", im->bad - MAX_REPORTED);
	if (im->bad) {
		cli_error("%zu bad row%s in %s; nothing written", im->bad, im->bad == 1 ? "" : "s",
			  im->path);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* ---- writing -------------------------------------------------------------- */

/* Mark the rows stored already (r->stored, borrowed from m) and number the
 * others in file order, each year going on from the store's last number. */
static size_t plan(struct import *im, const struct kt_inspections *m)
{
	size_t todo = 0;
	char key[KEY_MAX], from[KT_TIME_TEXT_MAX];
	for (size_t k = 0; k < im->n; k++)
		im->rows[k].stored = NULL;
	for (size_t j = 0; j < m->n; j++) {
		const struct kt_inspection *in = &m->items[j];
		kt_time_format_date(in->date_from, from);
		natural_key(in->authority, in->unit, from, in->theme, key);
		for (size_t k = 0; k < im->n; k++)
			if (!im->rows[k].stored && strcmp(im->rows[k].key, key) == 0)
				im->rows[k].stored = in->case_number;
	}
	for (size_t k = 0; k < im->n; k++) {
		struct row *r = &im->rows[k];
		if (r->stored)
			continue;
		int year = atoi(r->date.from);
		unsigned long last = cli_last_case_number(m, year);
		for (size_t j = 0; j < k; j++)
			if (!im->rows[j].stored && atoi(im->rows[j].date.from) == year)
				last++;
		snprintf(r->case_number, sizeof r->case_number, "T-%d-%03lu", year, last + 1);
		snprintf(r->stream, sizeof r->stream, KT_INSPECTION_STREAM_PREFIX "%s",
			 r->case_number);
		todo++;
	}
	return todo;
}

/* The envelopes of the rows to write, recorded at recorded, into bytes
 * (ends[k]: where the k-th ends). EXIT_OK or the exit code (printed). */
static int encode_rows(struct import *im, const char *actor, int64_t recorded, struct kt_buf *bytes,
		       size_t *ends)
{
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	char why[300];
	size_t n = 0;
	int err = KT_OK;
	kt_buf_reset(bytes);
	for (size_t k = 0; k < im->n && !err; k++) {
		struct row *r = &im->rows[k];
		if (r->stored)
			continue;
		struct kt_event e;
		memset(&e, 0, sizeof e);
		if (set_text(r->payload, "case_number", r->case_number) ||
		    (err = encode_payload(r, &data, why, sizeof why)) ||
		    (err = kt_id_generate(e.id)))
			break;
		e.stream = r->stream;
		e.stream_len = strlen(r->stream);
		e.version = 1;
		e.type = KT_EV_INSPECTION_OPENED;
		e.type_len = strlen(e.type);
		e.recorded = recorded;
		e.effective = r->from;
		e.actor = actor;
		e.actor_len = strlen(actor);
		e.data = data.data;
		e.data_len = data.len;
		if ((err = kt_event_encode(&e, bytes)))
			break;
		ends[n++] = bytes->len;
	}
	kt_buf_free(&data);
	if (err) {
		cli_error("%s; nothing written", kt_strerror(err));
		return cli_exit_for(err);
	}
	return EXIT_OK;
}

/* The head's recorded time, or INT64_MIN for an empty log. */
static int head_recorded(kt_store *s, int64_t *out)
{
	kt_reader *r;
	struct kt_event head;
	*out = INT64_MIN;
	int err = kt_reader_begin(s, &r);
	if (!err && kt_reader_head(r) && !(err = kt_reader_get(r, kt_reader_head(r), &head)))
		*out = head.recorded;
	kt_reader_end(r);
	return err;
}

/* What one attempt did, for the report. */
struct outcome {
	size_t todo;
	struct kt_import_result res;
};

/* One attempt: fold the model, plan, encode and (unless dry) import. *again
 * is set when another writer got in between. EXIT_OK or the exit code. */
static int attempt(kt_store *s, struct import *im, const char *actor, int dry,
		   struct kt_inspections *model, struct kt_buf *bytes, size_t *ends,
		   struct kt_import_event *imp, struct outcome *o, int *again)
{
	struct cli_moment now = CLI_MOMENT_NOW;
	int64_t recorded;
	int err = head_recorded(s, &recorded), rc;
	memset(&o->res, 0, sizeof o->res);
	if (err) {
		cli_error("reading the store: %s; nothing written", kt_strerror(err));
		return cli_exit_for(err);
	}
	kt_inspections_free(model);
	if ((rc = cli_load_inspections(s, &now, model)))
		return rc;
	o->todo = plan(im, model);
	if (dry || o->todo == 0)
		return EXIT_OK;
	int64_t t = kt_time_now();
	if ((rc = encode_rows(im, actor, t > recorded ? t : recorded, bytes, ends)))
		return rc;
	for (size_t k = 0; k < o->todo; k++) {
		imp[k].envelope = bytes->data + (k ? ends[k - 1] : 0);
		imp[k].len = ends[k] - (k ? ends[k - 1] : 0);
		imp[k].hash = NULL;
	}
	err = kt_store_import(s, imp, o->todo, &o->res);
	*again = err == KT_EVERSION || err == KT_EIDREUSED || err == KT_EDATE;
	if (!err || *again)
		return err ? EXIT_CONFLICT : EXIT_OK;
	cli_error("%s; nothing written", o->res.problem[0] ? o->res.problem : kt_strerror(err));
	return cli_exit_for(err);
}

/* ---- output --------------------------------------------------------------- */

static const char *row_status(const struct row *r, int dry)
{
	return r->stored ? "skipped" : dry ? "new" : "imported";
}

static enum kt_date_precision date_precision(const char *precision)
{
	return !strcmp(precision, "year")    ? KT_DATE_YEAR
	       : !strcmp(precision, "month") ? KT_DATE_MONTH
					     : KT_DATE_DAY;
}

static void print_table(const struct import *im, int dry, const struct outcome *o)
{
	static const char *const headers[] = {
		"line", "case", "status", "date", "authority", "unit"
	};
	struct cli_table t = CLI_TABLE_INIT(headers, "rlllll");
	char line[24], day[KT_TIME_TEXT_MAX];
	for (size_t k = 0; k < im->n; k++) {
		const struct row *r = &im->rows[k];
		snprintf(line, sizeof line, "%llu", (unsigned long long)r->line);
		cli_people_date_as(r->from, date_precision(r->date.precision), day);
		const char *cells[] = { line,
					r->stored ? r->stored : r->case_number,
					row_status(r, dry),
					day,
					cli_payload_text(r->payload, "authority"),
					cli_payload_text(r->payload, "unit") };
		cli_table_add(&t, cells);
	}
	if (im->n)
		cli_table_print(&t, "");
	cli_table_free(&t);
	size_t skipped = im->n - o->todo;
	if (dry)
		printf("would import %zu inspection%s; %zu skipped, in the store already; nothing "
		       "written (--dry-run)\n",
		       o->todo, o->todo == 1 ? "" : "s", skipped);
	else if (o->todo)
		printf("imported %zu inspection%s (positions %llu–%llu); %zu skipped, in the "
		       "store already\n",
		       o->todo, o->todo == 1 ? "" : "s", (unsigned long long)o->res.first_position,
		       (unsigned long long)o->res.last_position, skipped);
	else
		printf("imported 0 inspections; %zu skipped, in the store already\n", skipped);
}

static void print_json(const struct import *im, int dry, const struct outcome *o)
{
	json_t *rows = json_array(), *out;
	for (size_t k = 0; rows && k < im->n; k++) {
		const struct row *r = &im->rows[k];
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s}", "line",
						      (json_int_t)r->line, "case_number",
						      r->stored ? r->stored : r->case_number,
						      "status", row_status(r, dry)));
	}
	out = json_pack(
	    "{s:b, s:I, s:I, s:o?, s:o?, s:o}", "dry_run", dry, "imported",
	    (json_int_t)(dry ? 0 : o->todo), "skipped", (json_int_t)(im->n - o->todo),
	    "first_position",
	    o->res.first_position ? json_integer((json_int_t)o->res.first_position) : NULL,
	    "last_position",
	    o->res.last_position ? json_integer((json_int_t)o->res.last_position) : NULL, "rows",
	    rows);
	if (out)
		cli_print_json(out);
	json_decref(out);
}

/* ---- the command ---------------------------------------------------------- */

static const char import_csv_usage[] =
    "usage: kontroll import-csv inspections FILE [--dry-run] [--format table|json]\n"
    "                                            [--actor NAME] [--db PATH]\n"
    "\n"
    "Open the inspections of an overview table saved from a spreadsheet as CSV\n"
    "(FILE, or - for standard input): one inspection.opened per row, numbered\n"
    "T-YEAR-NNN after the store's last number of the year of its first day.\n"
    "\n"
    "Columns by header name, in any order and case (others are ignored):\n"
    "  tilsynsmyndighet/authority, enhet/unit, dato/date, lov/law/hjemmel,\n"
    "  tema/theme, and optional type/kind.\n"
    "Separator ; , or tab (from the header line); quoting as RFC 4180; UTF-8\n"
    "with or without BOM; CRLF or LF. Dates: 23.01.25, 23.01.2025, 2025-01-23,\n"
    "a range '01.01.25 - 31.12.25' (or with –), a month alone (10.2025,\n"
    "2025-10, oktober 2025) or a year alone, 2024.\n"
    "\n"
    "All or nothing: every bad row is reported with its line and nothing is\n"
    "written. A row whose inspection is in the store already (same authority,\n"
    "unit, first day and theme, ignoring case and blanks) is skipped, so a\n"
    "rerun imports nothing twice.\n"
    "\n"
    "  --dry-run        check and show what would be imported; write nothing\n"
    "  --format F       table (default) or json\n"
    "  --actor NAME     who records them (default $KONTROLL_ACTOR, else $USER)\n"
    "  --db PATH        the store file\n";

static int import_inspections(const char *path, const char *db, const char *actor, int dry,
			      enum cli_format format)
{
	struct import im = { path, KT_CSV_INIT, { 0 }, { { 0 } }, NULL, 0, 0 };
	struct kt_inspections model;
	struct kt_buf bytes = KT_BUF_INIT(SIZE_MAX);
	struct kt_import_event *imp = NULL;
	size_t *ends = NULL;
	struct outcome o = { 0, { 0, 0, 0, { 0 } } };
	kt_store *s = NULL;
	char *text = NULL;
	size_t len = 0;
	kt_inspections_init(&model);
	int rc = read_file(path, &text, &len);
	if (rc || (rc = read_rows(&im, text, len)))
		goto out;
	imp = malloc((im.n ? im.n : 1) * sizeof *imp);
	ends = malloc((im.n ? im.n : 1) * sizeof *ends);
	if (!imp || !ends) {
		cli_error("out of memory");
		rc = EXIT_FAILURE_STORE;
		goto out;
	}
	/* A dry run reads a read-only store, so not even a snapshot is saved. */
	if ((rc = cli_open_store(cli_db_path(db), dry ? KT_OPEN_READONLY : 0, &s)))
		goto out;
	int again = 1;
	for (int k = 0; k < ATTEMPTS && again && !rc; k++) {
		again = 0;
		rc = attempt(s, &im, cli_actor(actor), dry, &model, &bytes, ends, imp, &o, &again);
		if (again)
			rc = EXIT_OK;
	}
	if (again) {
		cli_error("other writers kept changing the store; tried %d times; nothing "
			  "written: run it again",
			  ATTEMPTS);
		rc = EXIT_CONFLICT;
	}
	if (rc)
		goto out;
	if (format == FORMAT_JSON)
		print_json(&im, dry, &o);
	else
		print_table(&im, dry, &o);
out:
	kt_store_close(s);
	kt_inspections_free(&model);
	for (size_t k = 0; k < im.n; k++)
		json_decref(im.rows[k].payload);
	free(im.rows);
	kt_csv_free(&im.table);
	free(text);
	free(imp);
	free(ends);
	kt_buf_free(&bytes);
	return rc;
}

static int cmd_import_csv(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "dry-run", no_argument, NULL, 'n' },
					      { "format", required_argument, NULL, 'f' },
					      { "actor", required_argument, NULL, 'a' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL, *actor = NULL;
	enum cli_format format = FORMAT_TABLE;
	int dry = 0, c;
	while ((c = cli_getopt(argc, argv, opts, import_csv_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'n':
			dry = 1;
			break;
		case 'f':
			if (cli_parse_format(optarg, 0, &format))
				return EXIT_INPUT;
			break;
		case 'a':
			actor = optarg;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		cli_error("what to import is missing (see kontroll import-csv --help)");
		return EXIT_USAGE;
	}
	if (strcmp(argv[optind], "inspections") != 0) {
		cli_error("cannot import '%s': only inspections (see kontroll import-csv --help)",
			  argv[optind]);
		return EXIT_USAGE;
	}
	if (optind + 1 >= argc) {
		cli_error("FILE is missing (see kontroll import-csv --help)");
		return EXIT_USAGE;
	}
	if (optind + 2 < argc) {
		cli_error("unexpected argument '%s'", argv[optind + 2]);
		return EXIT_USAGE;
	}
	return import_inspections(argv[optind + 1], db, actor, dry, format);
}

const struct cli_command cli_import_csv_commands[] = {
	{ "import-csv", "open inspections from a spreadsheet's overview table (CSV)",
	  import_csv_usage, cmd_import_csv },
	{ NULL, NULL, NULL, NULL },
};
