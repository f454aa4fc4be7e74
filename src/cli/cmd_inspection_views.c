/*
 * cmd_inspection_views.c — the read side of supervisory inspections:
 * `kontroll inspections` (one row per inspection), `kontroll orders` (the
 * open orders with their deadlines) and `kontroll inspection show ID` (one
 * whole case with its timeline).
 *
 * Each folds the inspections model (inspections.h) for the moment asked
 * (--as-of, --known-at) and renders it as a table for people or as JSON or
 * CSV for programs. `show` also reads the inspection's own stream, for the
 * texts the model does not keep and for the timeline. Nothing here appends
 * an event; a listing on a writable store may save a replay snapshot, which
 * is a cache.
 */
#define _POSIX_C_SOURCE 200809L
#include "inspection_cli.h"
#include "render.h"
#include "revision.h"
#include "stream.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Characters of a free-text cell in a listing, and of a text in `show`. */
#define CELL_MAX 32
#define WHAT_MAX 72
/* A date range for people, "dd.mm.yyyy–dd.mm.yyyy", with room to spare. */
#define RANGE_TEXT_MAX (2 * KT_TIME_TEXT_MAX + 4)

/* ---- the options of the views ---------------------------------------- */

enum {
	OPT_FORMAT = 'f',
	OPT_UNIT = CLI_OPT_MOMENT_END,
	OPT_AUTHORITY,
	OPT_OVERDUE,
	OPT_DUE_BEFORE,
	OPT_STATUS,
	OPT_YEAR,
};

#define VIEW_TIME_OPTIONS                                                                          \
	CLI_MOMENT_OPTIONS,                                                                        \
	{                                                                                          \
		"format", required_argument, NULL, OPT_FORMAT                                      \
	}
#define VIEW_FILTER_OPTIONS                                                                        \
	{ "unit", required_argument, NULL, OPT_UNIT },                                             \
	    { "authority", required_argument, NULL, OPT_AUTHORITY },                               \
	    { "overdue", no_argument, NULL, OPT_OVERDUE },                                         \
	{                                                                                          \
		"due-before", required_argument, NULL, OPT_DUE_BEFORE                              \
	}

struct view_args {
	const char *db;
	struct cli_moment moment;
	enum cli_format format;
	const char *unit, *authority; /* substrings, any case; NULL: all */
	int overdue;
	int64_t due_before; /* KT_TIME_UNSET: no filter */
	int status;	    /* an enum kt_inspection_status; -1: any */
	int year;	    /* 0: any */
};

#define VIEW_ARGS_INIT                                                                             \
	{                                                                                          \
		NULL, CLI_MOMENT_NOW, FORMAT_TABLE, NULL, NULL, 0, KT_TIME_UNSET, -1, 0            \
	}

/* The status named by text: a name of kt_inspection_status_name, in any
 * case, with '-' or '_' for its space ("orders-open"). -1 when none. */
static int parse_status(const char *text)
{
	for (int s = KT_INSPECTION_ANNOUNCED; s <= KT_INSPECTION_TRANSFERRED; s++) {
		const char *name = kt_inspection_status_name((enum kt_inspection_status)s);
		size_t k = 0;
		for (; name[k] && text[k]; k++) {
			char c = text[k];
			if (c == '-' || c == '_')
				c = ' ';
			else if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != name[k])
				break;
		}
		if (!name[k] && !text[k])
			return s;
	}
	return -1;
}

/* One option of the views; -1 after printing why when its value is bad. */
static int view_option(int c, const char *value, int allow_csv, struct view_args *a)
{
	uint64_t year;
	switch (c) {
	case OPT_FORMAT:
		return cli_parse_format(value, allow_csv, &a->format);
	case OPT_UNIT:
	case OPT_AUTHORITY:
		if (!*value) {
			cli_error("--%s: give part of a name",
				  c == OPT_UNIT ? "unit" : "authority");
			return -1;
		}
		*(c == OPT_UNIT ? &a->unit : &a->authority) = value;
		return 0;
	case OPT_OVERDUE:
		a->overdue = 1;
		return 0;
	case OPT_DUE_BEFORE:
		if (kt_data_parse_date(value, strlen(value), &a->due_before)) {
			cli_error("--due-before: '%s' is not a date (YYYY-MM-DD)", value);
			return -1;
		}
		return 0;
	case OPT_STATUS:
		a->status = parse_status(value);
		if (a->status < 0) {
			cli_error("--status: '%s' is not one of announced, open, findings, "
				  "orders-open, closed, transferred",
				  value);
			return -1;
		}
		return 0;
	case OPT_YEAR:
		if (cli_parse_u64(value, &year) || year < 1900 || year > 9999) {
			cli_error("--year: '%s' is not a year (1900-9999)", value);
			return -1;
		}
		a->year = (int)year;
		return 0;
	}
	/* The moment options; any other is none of the view's. */
	return cli_moment_option(c, value, &a->moment) < 0 ? -1 : 0;
}

/* Parse the options of a view. Returns 0, -1 when --help was printed, or
 * the exit code of a bad option. Operands are left at argv[optind]. */
static int parse_view(int argc, char **argv, const struct option *opts, const char *usage,
		      int allow_csv, struct view_args *a)
{
	int c;
	while ((c = cli_getopt(argc, argv, opts, usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case ':':
		case '?':
			return cli_usage_error(c, argv[optind - 1]);
		default:
			if (view_option(c, optarg, allow_csv, a))
				return EXIT_INPUT;
		}
	}
	return EXIT_OK;
}

/* ---- text ------------------------------------------------------------- */

/* Non-zero when needle occurs in hay, ignoring case as cli_folded does. */
static int contains_folded(const char *hay, const char *needle)
{
	if (!hay)
		return 0;
	size_t h = strlen(hay), n = strlen(needle);
	for (size_t i = 0; i + n <= h; i++) {
		size_t j = 0;
		while (j < n && cli_folded(hay, i + j) == cli_folded(needle, j))
			j++;
		if (j == n)
			return 1;
	}
	return 0;
}

/* A date range for people: "21.05.2025" or "21.05.2025–23.05.2025". */
static void people_range(int64_t from, int64_t to, char out[RANGE_TEXT_MAX])
{
	char a[KT_TIME_TEXT_MAX], b[KT_TIME_TEXT_MAX];
	cli_people_date(from, a);
	if (to == KT_TIME_UNSET || to == from) {
		strcpy(out, a);
		return;
	}
	cli_people_date(to, b);
	snprintf(out, RANGE_TEXT_MAX, "%s–%s", a, b);
}

/* ---- what the listings share ------------------------------------------ */

/* Labels in their natural order: P2 before P10. */
static int compare_label(const char *a, const char *b)
{
	size_t la = strcspn(a, "0123456789"), lb = strcspn(b, "0123456789");
	if (la != lb || memcmp(a, b, la))
		return strcmp(a, b);
	long na = strtol(a + la, NULL, 10), nb = strtol(b + lb, NULL, 10);
	return na < nb ? -1 : na > nb;
}

static int compare_time(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int inspection_closed(const struct kt_inspection *in)
{
	enum kt_inspection_status st = kt_inspection_status(in);
	return st == KT_INSPECTION_CLOSED || st == KT_INSPECTION_TRANSFERRED;
}

/* An order `kontroll orders` lists: open, not retracted, of an inspection
 * that is neither closed nor transferred. */
static int order_listed(const struct kt_inspection *in, const struct kt_order *o)
{
	return !o->retracted && o->status == KT_ORDER_OPEN && !inspection_closed(in);
}

/* Non-zero when a later decision (an extension, an appeal) set the deadline. */
static int order_extended(const struct kt_order *o)
{
	for (size_t k = 0; k < o->n_changes; k++)
		if (!o->changes[k].retracted)
			return 1;
	return 0;
}

/* Whether order o passes --overdue and --due-before at the reference day. */
static int order_wanted(const struct kt_order *o, const struct view_args *a, int64_t ref)
{
	int64_t deadline = kt_order_deadline(o);
	if (a->overdue && (deadline == KT_TIME_UNSET || cli_days_until(deadline, ref) >= 0))
		return 0;
	if (a->due_before != KT_TIME_UNSET &&
	    (deadline == KT_TIME_UNSET || deadline >= a->due_before))
		return 0;
	return 1;
}

static int unit_wanted(const struct kt_inspection *in, const struct view_args *a)
{
	return (!a->unit || contains_folded(in->unit, a->unit)) &&
	       (!a->authority || contains_folded(in->authority, a->authority));
}

/* The summary line under a table: "1 open order", "3 inspections". */
static void print_count(size_t n, const char *one, const char *many)
{
	printf("%zu %s\n", n, n == 1 ? one : many);
}

/* ---- kontroll orders --------------------------------------------------- */

static const char orders_usage[] =
    "usage: kontroll orders [--unit U] [--authority A] [--overdue] [--due-before DATE]\n"
    "                       [--as-of DATE] [--known-at TIME] [--no-snapshots]\n"
    "                       [--format table|json|csv] [--db PATH]\n"
    "\n"
    "List the open orders (pålegg): orders not fulfilled, waived, annulled or\n"
    "retracted, of inspections that are neither closed nor transferred. An order\n"
    "left open when its inspection was closed is not listed (kontroll inspection\n"
    "show lists it). Sorted by deadline, orders without one last, then by case.\n"
    "\n"
    "  --unit U           only units whose name contains U (any case)\n"
    "  --authority A      only authorities whose name contains A (any case)\n"
    "  --overdue          only orders whose deadline is past\n"
    "  --due-before DATE  only orders with a deadline before DATE (YYYY-MM-DD)\n"
    "  --as-of DATE       as things stood on DATE, by all that is known now\n"
    "  --known-at TIME    as kontroll showed them at TIME: only events recorded by\n"
    "                     then (YYYY-MM-DD means the end of that day, UTC)\n"
    "  --no-snapshots     replay the whole log, trusting no snapshot\n"
    "  --format F         table (default, for people), json (an array of objects)\n"
    "                     or csv (a header line, then one row per order)\n"
    "  --db PATH          the store file\n"
    "\n"
    "DAYS counts from the --as-of date, else the --known-at date, else today, and\n"
    "is negative when the deadline is past: an order is OVERDUE from the day after\n"
    "its deadline. An order whose deadline was extended shows 'extended' in NOTE\n"
    "(the wording of the new deadline is in kontroll inspection show).\n"
    "\n"
    "json/csv keys: case_number, order, finding, unit, authority, issued,\n"
    "deadline, deadline_text, days_left, overdue, extended, appealed\n";

static const char *const order_keys[] = { "case_number", "order",   "finding",	"unit",
					  "authority",	 "issued",  "deadline", "deadline_text",
					  "days_left",	 "overdue", "extended", "appealed" };

struct order_row {
	const struct kt_inspection *in;
	const struct kt_order *o;
	int64_t deadline; /* current; KT_TIME_UNSET when none */
	int64_t days;	  /* days left, when there is a deadline */
};

static int compare_order_rows(const void *pa, const void *pb)
{
	const struct order_row *a = pa, *b = pb;
	int none_a = a->deadline == KT_TIME_UNSET, none_b = b->deadline == KT_TIME_UNSET;
	int c = none_a != none_b ? none_a - none_b : compare_time(a->deadline, b->deadline);
	if (!c)
		c = cli_compare_case(a->in->case_number, b->in->case_number);
	return c ? c : compare_label(a->o->label, b->o->label);
}

/* The wording of the current deadline, of whichever event set it. */
static const char *order_wording(const struct kt_order *o)
{
	return kt_order_deadline_text(o);
}

/* The row of order o of in, with days counted from the day of ref. */
static struct order_row order_row_of(const struct kt_inspection *in, const struct kt_order *o,
				     int64_t ref)
{
	struct order_row r = { in, o, kt_order_deadline(o), 0 };
	if (r.deadline != KT_TIME_UNSET)
		r.days = cli_days_until(r.deadline, ref);
	return r;
}

static int collect_orders(const struct kt_inspections *m, const struct view_args *a,
			  struct order_row **rows, size_t *n)
{
	int64_t ref = cli_reference_time(&a->moment);
	size_t cap = 0;
	*rows = NULL;
	*n = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct kt_inspection *in = &m->items[i];
		if (!unit_wanted(in, a))
			continue;
		for (size_t k = 0; k < in->n_orders; k++) {
			const struct kt_order *o = &in->orders[k];
			if (!order_listed(in, o) || !order_wanted(o, a, ref))
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 32;
				struct order_row *grown = realloc(*rows, cap * sizeof *grown);
				if (!grown)
					return KT_ENOMEM;
				*rows = grown;
			}
			(*rows)[(*n)++] = order_row_of(in, o, ref);
		}
	}
	if (*n)
		qsort(*rows, *n, sizeof **rows, compare_order_rows);
	return KT_OK;
}

/* Whether every text of the row is one jansson would take (cli_text_ok). */
static int order_row_ok(const struct order_row *r)
{
	return cli_text_ok(r->in->case_number) && cli_text_ok(r->o->label) &&
	       cli_text_ok(r->o->finding) && cli_text_ok(r->in->unit) &&
	       cli_text_ok(r->in->authority) && cli_text_ok(order_wording(r->o));
}

static void order_out(struct cli_rows *w, const struct order_row *r)
{
	const struct kt_order *o = r->o;
	int has = r->deadline != KT_TIME_UNSET;
	cli_row_begin(w);
	cli_row_text(w, "case_number", r->in->case_number);
	cli_row_text(w, "order", o->label);
	cli_row_text(w, "finding", *o->finding ? o->finding : NULL);
	cli_row_text(w, "unit", r->in->unit);
	cli_row_text(w, "authority", r->in->authority);
	cli_row_date(w, "issued", o->issued);
	cli_row_date(w, "deadline", r->deadline);
	cli_row_text(w, "deadline_text", order_wording(o));
	cli_row_int(w, "days_left", has, r->days);
	cli_row_bool(w, "overdue", has && r->days < 0);
	cli_row_bool(w, "extended", order_extended(o));
	cli_row_bool(w, "appealed", o->appealed);
	cli_row_end(w);
}

/* NOTE of an order for people: "OVERDUE", "extended", "appealed". */
static void order_note(const struct kt_order *o, int overdue, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s%s", overdue ? "OVERDUE" : "",
		 overdue && order_extended(o) ? ", " : "", order_extended(o) ? "extended" : "",
		 (overdue || order_extended(o)) && o->appealed ? ", " : "",
		 o->appealed ? "appealed" : "");
}

static int print_order_table(const struct order_row *rows, size_t n)
{
	static const char *const headers[] = { "ORDER",	   "UNIT",    "AUTHORITY", "ISSUED",
					       "DEADLINE", "WORDING", "DAYS",	   "NOTE" };
	struct cli_table t = CLI_TABLE_INIT(headers, "llllllrl");
	int err = KT_OK;
	for (size_t k = 0; k < n && !err; k++) {
		const struct order_row *r = &rows[k];
		char ref[64], unit[CLI_CELL_BYTES(CELL_MAX)], authority[CLI_CELL_BYTES(CELL_MAX)];
		char wording[CLI_CELL_BYTES(CELL_MAX)] = "", issued[KT_TIME_TEXT_MAX];
		char deadline[KT_TIME_TEXT_MAX], days[24] = "—", note[64];
		const char *w = order_wording(r->o);
		snprintf(ref, sizeof ref, "%s/%s", r->in->case_number, r->o->label);
		cli_cell_text(r->in->unit, strlen(r->in->unit), CELL_MAX, unit);
		cli_cell_text(r->in->authority, strlen(r->in->authority), CELL_MAX, authority);
		if (w)
			cli_cell_text(w, strlen(w), CELL_MAX, wording);
		cli_people_date_as(r->o->issued, r->o->issued_precision, issued);
		cli_people_date(r->deadline, deadline);
		if (r->deadline != KT_TIME_UNSET)
			snprintf(days, sizeof days, "%lld", (long long)r->days);
		order_note(r->o, r->deadline != KT_TIME_UNSET && r->days < 0, note, sizeof note);
		const char *row[] = { ref, unit, authority, issued, deadline, wording, days, note };
		err = cli_table_add(&t, row);
	}
	if (!err) {
		if (n)
			cli_table_print(&t, "");
		print_count(n, "open order", "open orders");
	}
	cli_table_free(&t);
	return err;
}

static int print_orders(const struct order_row *rows, size_t n, enum cli_format format)
{
	if (format == FORMAT_TABLE)
		return print_order_table(rows, n);
	/* Text that is not UTF-8 fails the listing before a row is written,
	 * as it did when the rows were jansson objects (json_string refused
	 * it and the listing reported KT_ENOMEM). */
	for (size_t k = 0; k < n; k++)
		if (!order_row_ok(&rows[k]))
			return KT_ENOMEM;
	struct cli_rows w = CLI_ROWS_INIT(format);
	cli_rows_begin(&w, order_keys, sizeof order_keys / sizeof order_keys[0]);
	for (size_t k = 0; k < n; k++)
		order_out(&w, &rows[k]);
	cli_rows_end(&w);
	return KT_OK;
}

/* A key of a row of kontroll diff: the case number, else the stream. */
static const char *case_key_of(const struct kt_inspection *in)
{
	return in->case_number ? in->case_number : in->stream;
}

int cli_order_rows(const struct kt_inspections *m, const char *stream, int64_t ref, json_t *rows)
{
	static const struct view_args all = VIEW_ARGS_INIT;
	const struct kt_inspection *in = kt_inspections_find(m, stream);
	struct cli_rows w = CLI_ROWS_TREE(rows);
	if (!in || !unit_wanted(in, &all))
		return KT_OK;
	for (size_t k = 0; k < in->n_orders; k++) {
		struct order_row r = order_row_of(in, &in->orders[k], ref);
		char key[KT_STREAM_MAX + KT_LABEL_SIZE + 2];
		if (!order_listed(in, r.o) || !order_wanted(r.o, &all, ref))
			continue;
		if (!order_row_ok(&r))
			return KT_EMALFORMED;
		snprintf(key, sizeof key, "%s/%s", case_key_of(in), r.o->label);
		cli_rows_key(&w, key);
		order_out(&w, &r);
	}
	return cli_rows_status(&w);
}

static int cmd_orders(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS, VIEW_TIME_OPTIONS, VIEW_FILTER_OPTIONS, { 0, 0, 0, 0 }
	};
	struct view_args a = VIEW_ARGS_INIT;
	int rc = parse_view(argc, argv, opts, orders_usage, 1, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_inspections model;
	struct order_row *rows = NULL;
	size_t n = 0;
	if ((rc = cli_load_inspections(s, &a.moment, &model)))
		goto close;
	int err = collect_orders(&model, &a, &rows, &n);
	if (!err)
		err = print_orders(rows, n, a.format);
	if (err) {
		cli_error("%s", kt_strerror(err));
		rc = cli_exit_for(err);
	}
	free(rows);
	kt_inspections_free(&model);
close:
	kt_store_close(s);
	return rc;
}

/* ---- kontroll inspections ---------------------------------------------- */

static const char inspections_usage[] =
    "usage: kontroll inspections [--unit U] [--authority A] [--status S] [--year Y]\n"
    "                            [--overdue] [--due-before DATE]\n"
    "                            [--as-of DATE] [--known-at TIME] [--no-snapshots]\n"
    "                            [--format table|json|csv] [--db PATH]\n"
    "\n"
    "List the inspections (tilsyn), one row each: case, date, authority, unit,\n"
    "law, theme, status, findings of each kind and orders open and done.\n"
    "Sorted by date, then case number.\n"
    "\n"
    "  --unit U           only units whose name contains U (any case)\n"
    "  --authority A      only authorities whose name contains A (any case)\n"
    "  --status S         only inspections in status S: announced, open, findings,\n"
    "                     orders-open, closed or transferred ('orders open' too)\n"
    "  --year Y           only inspections whose dates touch the year Y, or that\n"
    "                     Y's report counts (inspection open --report-year)\n"
    "  --overdue          only inspections with an open order past its deadline\n"
    "  --due-before DATE  only inspections with an open order due before DATE\n"
    "  --as-of DATE       as things stood on DATE, by all that is known now\n"
    "  --known-at TIME    as kontroll showed them at TIME: only events recorded by\n"
    "                     then (YYYY-MM-DD means the end of that day, UTC)\n"
    "  --no-snapshots     replay the whole log, trusting no snapshot\n"
    "  --format F         table (default, for people), json (an array of objects)\n"
    "                     or csv (a header line, then one row per inspection)\n"
    "  --db PATH          the store file\n"
    "\n"
    "Findings and orders that were retracted are not counted. ORDERS OPEN counts\n"
    "orders still open, also of a closed inspection; DONE counts those fulfilled,\n"
    "waived or annulled. --overdue and --due-before look at the orders that\n"
    "kontroll orders lists, with days counted as there.\n"
    "\n"
    "json/csv keys: case_number, id, date_from, date_to, authority, unit, law,\n"
    "theme, kind, status, lovbrudd, avvik, merknad, forbedringspunkt,\n"
    "orders_open, orders_done\n";

static const char *const inspection_keys[] = {
	"case_number", "id",
	"date_from",   "date_to",
	"authority",   "unit",
	"law",	       "theme",
	"kind",	       "status",
	"lovbrudd",    "avvik",
	"merknad",     "forbedringspunkt",
	"orders_open", "orders_done",
};

/* The inspection's dates touch the year, or that year's report counts it. */
static int year_touched(const struct kt_inspection *in, int year)
{
	if (in->report_year == year)
		return 1;
	int64_t start = kt_time_days_from_civil(year, 1, 1) * KT_US_PER_DAY;
	int64_t end = kt_time_days_from_civil(year + 1, 1, 1) * KT_US_PER_DAY;
	int64_t last = in->date_to != KT_TIME_UNSET ? in->date_to : in->date_from;
	return in->date_from != KT_TIME_UNSET && in->date_from < end && last >= start;
}

/* --overdue and --due-before on an inspection: some order it has that
 * `kontroll orders` lists passes them. */
static int has_wanted_order(const struct kt_inspection *in, const struct view_args *a, int64_t ref)
{
	for (size_t k = 0; k < in->n_orders; k++)
		if (order_listed(in, &in->orders[k]) && order_wanted(&in->orders[k], a, ref))
			return 1;
	return 0;
}

static int inspection_wanted(const struct kt_inspection *in, const struct view_args *a, int64_t ref)
{
	if (!unit_wanted(in, a))
		return 0;
	if (a->status >= 0 && (int)kt_inspection_status(in) != a->status)
		return 0;
	if (a->year && !year_touched(in, a->year))
		return 0;
	if ((a->overdue || a->due_before != KT_TIME_UNSET) && !has_wanted_order(in, a, ref))
		return 0;
	return 1;
}

static int compare_inspections(const void *pa, const void *pb)
{
	const struct kt_inspection *a = *(const struct kt_inspection *const *)pa;
	const struct kt_inspection *b = *(const struct kt_inspection *const *)pb;
	int c = compare_time(a->date_from, b->date_from);
	return c ? c : cli_compare_case(a->case_number, b->case_number);
}

/* Whether every text of the row is one jansson would take (cli_text_ok). */
static int inspection_row_ok(const struct kt_inspection *in)
{
	return cli_text_ok(in->case_number) && cli_text_ok(in->authority) &&
	       cli_text_ok(in->unit) && cli_text_ok(in->law) && cli_text_ok(in->theme) &&
	       cli_text_ok(in->kind);
}

static void inspection_out(struct cli_rows *w, const struct kt_inspection *in)
{
	char id[KT_ID_TEXT_LEN + 1];
	kt_id_format(in->id, id);
	cli_row_begin(w);
	cli_row_text(w, "case_number", in->case_number);
	cli_row_text(w, "id", id);
	cli_row_date(w, "date_from", in->date_from);
	cli_row_date(w, "date_to", in->date_to);
	cli_row_text(w, "authority", in->authority);
	cli_row_text(w, "unit", in->unit);
	cli_row_text(w, "law", in->law);
	cli_row_text(w, "theme", in->theme);
	cli_row_text(w, "kind", in->kind);
	cli_row_text(w, "status", kt_inspection_status_name(kt_inspection_status(in)));
	for (int k = 0; k < KT_FINDING_KINDS; k++)
		cli_row_int(w, kt_finding_kind_name((enum kt_finding_kind)k), 1,
			    (long long)kt_inspection_findings_of(in, (enum kt_finding_kind)k));
	cli_row_int(w, "orders_open", 1, (long long)kt_inspection_orders_open(in));
	cli_row_int(w, "orders_done", 1, (long long)kt_inspection_orders_done(in));
	cli_row_end(w);
}

/* A text cell of a listing: clipped, "—" when absent. */
static void list_cell(const char *s, char out[CLI_CELL_BYTES(CELL_MAX)])
{
	if (s)
		cli_cell_text(s, strlen(s), CELL_MAX, out);
	else
		strcpy(out, "—");
}

static int print_inspection_table(const struct kt_inspection *const *rows, size_t n)
{
	static const char *const headers[] = { "CASE",	"DATE",	   "AUTHORITY", "UNIT",
					       "LAW",	"THEME",   "STATUS",	"LOVBRUDD",
					       "AVVIK", "MERKNAD", "FORB.PKT",	"ORDERS OPEN",
					       "DONE" };
	struct cli_table t = CLI_TABLE_INIT(headers, "lllllllrrrrrr");
	int err = KT_OK;
	for (size_t k = 0; k < n && !err; k++) {
		const struct kt_inspection *in = rows[k];
		char date[RANGE_TEXT_MAX], authority[CLI_CELL_BYTES(CELL_MAX)];
		char unit[CLI_CELL_BYTES(CELL_MAX)], law[CLI_CELL_BYTES(CELL_MAX)];
		char theme[CLI_CELL_BYTES(CELL_MAX)], count[KT_FINDING_KINDS + 2][24];
		if (in->date_to == KT_TIME_UNSET)
			cli_people_date_as(in->date_from, in->date_precision, date);
		else
			people_range(in->date_from, in->date_to, date);
		list_cell(in->authority, authority);
		list_cell(in->unit, unit);
		list_cell(in->law, law);
		list_cell(in->theme, theme);
		for (int c = 0; c < KT_FINDING_KINDS; c++)
			snprintf(count[c], sizeof count[c], "%zu",
				 kt_inspection_findings_of(in, (enum kt_finding_kind)c));
		snprintf(count[KT_FINDING_KINDS], sizeof count[0], "%zu",
			 kt_inspection_orders_open(in));
		snprintf(count[KT_FINDING_KINDS + 1], sizeof count[0], "%zu",
			 kt_inspection_orders_done(in));
		const char *row[] = { in->case_number,
				      date,
				      authority,
				      unit,
				      law,
				      theme,
				      kt_inspection_status_name(kt_inspection_status(in)),
				      count[0],
				      count[1],
				      count[2],
				      count[3],
				      count[4],
				      count[5] };
		err = cli_table_add(&t, row);
	}
	if (!err) {
		if (n)
			cli_table_print(&t, "");
		print_count(n, "inspection", "inspections");
	}
	cli_table_free(&t);
	return err;
}

static int print_inspections(const struct kt_inspection *const *rows, size_t n,
			     enum cli_format format)
{
	if (format == FORMAT_TABLE)
		return print_inspection_table(rows, n);
	/* As print_orders: text that is not UTF-8 fails the listing first. */
	for (size_t k = 0; k < n; k++)
		if (!inspection_row_ok(rows[k]))
			return KT_ENOMEM;
	/* The CSV header names the finding kinds in the order they are
	 * written. */
	for (int k = 0; k < KT_FINDING_KINDS; k++)
		assert(!strcmp(inspection_keys[10 + k],
			       kt_finding_kind_name((enum kt_finding_kind)k)));
	struct cli_rows w = CLI_ROWS_INIT(format);
	cli_rows_begin(&w, inspection_keys, sizeof inspection_keys / sizeof inspection_keys[0]);
	for (size_t k = 0; k < n; k++)
		inspection_out(&w, rows[k]);
	cli_rows_end(&w);
	return KT_OK;
}

int cli_inspection_rows(const struct kt_inspections *m, const char *stream, int64_t ref,
			json_t *rows)
{
	static const struct view_args all = VIEW_ARGS_INIT;
	const struct kt_inspection *in = kt_inspections_find(m, stream);
	struct cli_rows w = CLI_ROWS_TREE(rows);
	if (!in || !inspection_wanted(in, &all, ref))
		return KT_OK;
	if (!inspection_row_ok(in))
		return KT_EMALFORMED;
	cli_rows_key(&w, case_key_of(in));
	inspection_out(&w, in);
	return cli_rows_status(&w);
}

static int cmd_inspections(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      VIEW_TIME_OPTIONS,
					      VIEW_FILTER_OPTIONS,
					      { "status", required_argument, NULL, OPT_STATUS },
					      { "year", required_argument, NULL, OPT_YEAR },
					      { 0, 0, 0, 0 } };
	struct view_args a = VIEW_ARGS_INIT;
	int rc = parse_view(argc, argv, opts, inspections_usage, 1, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_inspections model;
	const struct kt_inspection **rows = NULL;
	size_t n = 0;
	if ((rc = cli_load_inspections(s, &a.moment, &model)))
		goto close;
	int err = KT_OK;
	int64_t ref = cli_reference_time(&a.moment);
	if (model.n && !(rows = malloc(model.n * sizeof *rows)))
		err = KT_ENOMEM;
	for (size_t k = 0; !err && k < model.n; k++)
		if (inspection_wanted(&model.items[k], &a, ref))
			rows[n++] = &model.items[k];
	if (!err && n)
		qsort(rows, n, sizeof *rows, compare_inspections);
	if (!err)
		err = print_inspections(rows, n, a.format);
	if (err) {
		cli_error("%s", kt_strerror(err));
		rc = cli_exit_for(err);
	}
	free(rows);
	kt_inspections_free(&model);
close:
	kt_store_close(s);
	return rc;
}

/* ---- kontroll inspection show ------------------------------------------ */

const char cli_inspection_show_usage[] =
    "usage: kontroll inspection show ID [--as-of DATE] [--known-at TIME]\n"
    "                                   [--no-snapshots] [--format table|json]\n"
    "                                   [--db PATH]\n"
    "\n"
    "Show one inspection whole: its header and the steps of the procedure, its\n"
    "findings, its orders with their state and current deadline, and the\n"
    "timeline of every event of its stream (corrections and retractions shown\n"
    "against the event they name). ID is the case number (T-2025-007), the\n"
    "stream (inspection-T-2025-007) or a unique prefix of the inspection's id.\n"
    "\n"
    "  --as-of DATE     as things stood on DATE, by all that is known now: the\n"
    "                   timeline holds the events effective by then\n"
    "  --known-at TIME  as kontroll showed it at TIME: only events recorded by\n"
    "                   then (YYYY-MM-DD means the end of that day, UTC)\n"
    "  --no-snapshots   replay the whole log, trusting no snapshot\n"
    "  --format F       table (default, for people) or json (one object with the\n"
    "                   keys of the inspection, findings, orders and timeline)\n"
    "  --db PATH        the store file\n"
    "\n"
    "The timeline is in the order of the dates the events carry (their date,\n"
    "else when they took effect), events of one date in the order recorded.\n";

/* The inspection and the events of its stream recorded by --known-at. */
struct case_file {
	const struct kt_inspection *in;
	struct cli_stream s; /* the events of its stream */
	int64_t ref;	     /* the day days are counted from */
};

/* The date an event carries: its date (date_from for inspection.opened),
 * else its effective time. */
static int64_t event_date(const struct kt_event *ev)
{
	int64_t us;
	if (!kt_data_get_date(ev->data, ev->data_len, "date", &us) ||
	    !kt_data_get_date(ev->data, ev->data_len, "date_from", &us))
		return us;
	return ev->effective;
}

/* Text field of a payload as a new NUL-terminated string in out (size
 * bytes, cut when longer); "" when absent. Returns out. */
static char *field_text(const uint8_t *data, size_t len, const char *field, char *out, size_t size)
{
	const char *s;
	size_t n;
	out[0] = 0;
	if (!kt_data_get_str(data, len, field, &s, &n)) {
		if (n >= size)
			n = size - 1;
		memcpy(out, s, n);
		out[n] = 0;
	}
	return out;
}

/* The main text of a payload: text, else reason, else to; NULL if none. */
static int main_text(const uint8_t *data, size_t len, const char **s, size_t *n)
{
	static const char *const fields[] = { "text", "reason", "to" };
	for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
		if (!kt_data_get_str(data, len, fields[k], s, n))
			return 0;
	return -1;
}

/* The finding or order an event is about ("P2", "F1"); "" when none. */
static void event_label(const uint8_t *data, size_t len, char out[KT_LABEL_SIZE])
{
	field_text(data, len, "order", out, KT_LABEL_SIZE);
	if (!*out)
		field_text(data, len, "finding", out, KT_LABEL_SIZE);
}

/* "F2", "finding.recorded F2" or the type alone: what a target was. */
struct target_desc {
	char id[KT_ID_TEXT_LEN + 1]; /* the id, as long as the case's ids need */
	char type[KT_TYPE_MAX + 1];
	char label[64];
	int found;
};

static void describe_target(const struct case_file *cf, const struct kt_event *ev,
			    struct target_desc *t)
{
	uint8_t id[16];
	char full[KT_ID_TEXT_LEN + 1];
	memset(t, 0, sizeof *t);
	field_text(ev->data, ev->data_len, "target_type", t->type, sizeof t->type);
	if (cli_revision_target(ev, id, NULL))
		return;
	kt_id_format(id, full);
	memcpy(t->id, full, cf->s.id_len);
	t->id[cf->s.id_len] = 0;
	const struct cli_stream_event *target = cli_stream_find(&cf->s, id);
	if (!target)
		return;
	t->found = 1;
	event_label(target->ev.data, target->ev.data_len, t->label);
	if (!*t->label && cli_is_type(&target->ev, KT_EV_INSPECTION_OPENED))
		field_text(target->ev.data, target->ev.data_len, "case_number", t->label,
			   sizeof t->label);
}

/* What an event says, for the WHAT column: its label and the facts of its
 * type, then its main text. */
static void summarize(const struct case_file *cf, const struct kt_event *ev, struct cli_line *l)
{
	const uint8_t *d = ev->data;
	size_t n = ev->data_len;
	char label[KT_LABEL_SIZE], v[256], day[KT_TIME_TEXT_MAX];
	int64_t us;
	const char *s;
	size_t sn;
	l->n = 0;
	l->buf[0] = 0;
	if (cli_is_type(ev, KT_EV_EVENT_CORRECTED) || cli_is_type(ev, KT_EV_EVENT_RETRACTED)) {
		struct target_desc t;
		describe_target(cf, ev, &t);
		cli_line_add(l, "%s %s (%s%s%s)",
			     cli_is_type(ev, KT_EV_EVENT_CORRECTED) ? "corrects" : "retracts", t.id,
			     t.type, *t.label ? " " : "", t.label);
		if (!kt_data_get_str(d, n, "reason", &s, &sn))
			cli_line_add(l, ": %.*s", (int)sn, s);
		return;
	}
	if (cli_is_type(ev, KT_EV_INSPECTION_OPENED)) {
		cli_line_add(l, "%s, %s: %s", field_text(d, n, "authority", v, sizeof v),
			     cf->in->unit ? cf->in->unit : "", cf->in->theme ? cf->in->theme : "");
		return;
	}
	event_label(d, n, label);
	cli_line_add(l, "%s", label);
	if (cli_is_type(ev, KT_EV_FINDING_RECORDED) || cli_is_type(ev, KT_EV_RESPONSE_REGISTERED))
		cli_line_add(l, "%s%s", l->n ? " " : "", field_text(d, n, "kind", v, sizeof v));
	if (cli_is_type(ev, KT_EV_ORDER_ISSUED) && *field_text(d, n, "finding", v, sizeof v))
		cli_line_add(l, " (%s)", v);
	if (cli_is_type(ev, KT_EV_ORDER_APPEAL_DECIDED))
		cli_line_add(l, " %s", field_text(d, n, "outcome", v, sizeof v));
	if (cli_is_type(ev, KT_EV_ORDER_ESCALATED))
		cli_line_add(l, " %s", field_text(d, n, "measure", v, sizeof v));
	if (cli_is_type(ev, KT_EV_INSPECTION_CONDUCTED))
		cli_line_add(l, "%s", field_text(d, n, "mode", v, sizeof v));
	if (!kt_data_get_date(d, n, "deadline", &us)) {
		cli_people_date(us, day);
		cli_line_add(l, "%s%sdeadline %s", l->n ? ", " : "",
			     cli_is_type(ev, KT_EV_ORDER_ISSUED) ? "" : "new ", day);
	}
	if (!kt_data_get_date(d, n, "comment_deadline", &us)) {
		cli_people_date(us, day);
		cli_line_add(l, "%scomments by %s", l->n ? ", " : "", day);
	}
	if (!kt_data_get_date(d, n, "planned_date", &us)) {
		cli_people_date(us, day);
		cli_line_add(l, "%splanned %s", l->n ? ", " : "", day);
	}
	int forced = 0;
	if (!kt_data_get_bool(d, n, "forced", &forced) && forced)
		cli_line_add(l, "%sforced", l->n ? ", " : "");
	if (cli_is_type(ev, KT_EV_INSPECTION_TRANSFERRED))
		cli_line_add(l, "%sto %s", l->n ? " " : "", field_text(d, n, "to", v, sizeof v));
	if (!kt_data_get_str(d, n, "text", &s, &sn) || !kt_data_get_str(d, n, "reason", &s, &sn))
		cli_line_add(l, "%s%.*s", l->n ? ": " : "", (int)sn, s);
}

static int compare_events(const void *pa, const void *pb)
{
	const struct cli_stream_event *a = *(const struct cli_stream_event *const *)pa;
	const struct cli_stream_event *b = *(const struct cli_stream_event *const *)pb;
	int c = compare_time(event_date(&a->ev), event_date(&b->ev));
	return c ? c : compare_time((int64_t)a->ev.version, (int64_t)b->ev.version);
}

/* The wording of an order's current deadline: of the decision that set it
 * (as corrected), else of the order itself. */
static void deadline_wording(const struct case_file *cf, const struct kt_order *o, char *out,
			     size_t size)
{
	const uint8_t *source = o->source, *data;
	size_t len;
	for (size_t k = o->n_changes; k > 0; k--) {
		if (!o->changes[k - 1].retracted) {
			source = o->changes[k - 1].source;
			break;
		}
	}
	out[0] = 0;
	if (cli_stream_current(&cf->s, source, &data, &len) != NULL)
		field_text(data, len, "deadline_text", out, size);
	else if (source == o->source && o->deadline_text)
		snprintf(out, size, "%s", o->deadline_text);
}

/* The texts the model does not keep, of a finding or an order. */
static void fact_text(const struct case_file *cf, const uint8_t source[16], const char *field,
		      char *out, size_t size)
{
	const uint8_t *data;
	size_t len;
	out[0] = 0;
	if (cli_stream_current(&cf->s, source, &data, &len) != NULL)
		field_text(data, len, field, out, size);
}

/* ---- show as a table ---- */

static const char *const step_names[KT_STEPS] = {
	[KT_STEP_NOTIFIED] = "notified",       [KT_STEP_CONDUCTED] = "conducted",
	[KT_STEP_PRELIMINARY] = "preliminary", [KT_STEP_COMMENTS] = "comments sent",
	[KT_STEP_FINAL] = "final report",      [KT_STEP_NO_FINDINGS] = "no findings",
	[KT_STEP_CLOSED] = "closed",
};

static void show_field(const char *name, const char *value)
{
	printf("%-14s %s\n", name, value ? value : "—");
}

/* The date of the step the event source recorded, as exactly as that
 * event (its correction in force) knows it. */
static void step_date(const struct case_file *cf, const uint8_t source[16], int64_t date,
		      char out[KT_TIME_TEXT_MAX])
{
	const uint8_t *data;
	size_t len;
	enum kt_date_precision precision = KT_DATE_DAY;
	if (cli_stream_current(&cf->s, source, &data, &len) != NULL)
		precision = kt_date_precision_of(data, len);
	cli_people_date_as(date, precision, out);
}

static void show_header(const struct case_file *cf)
{
	const struct kt_inspection *in = cf->in;
	char buf[RANGE_TEXT_MAX + 64], day[KT_TIME_TEXT_MAX], id[KT_ID_TEXT_LEN + 1];
	printf("%s  %s, %s\n", in->case_number ? in->case_number : in->stream,
	       in->authority ? in->authority : "—", in->unit ? in->unit : "—");
	show_field("status", kt_inspection_status_name(kt_inspection_status(in)));
	if (in->date_to == KT_TIME_UNSET)
		cli_people_date_as(in->date_from, in->date_precision, buf);
	else
		people_range(in->date_from, in->date_to, buf);
	show_field("date", buf);
	show_field("law", in->law);
	show_field("theme", in->theme);
	if (in->kind)
		show_field("kind", in->kind);
	for (int k = 0; k < KT_STEPS; k++) {
		if (in->steps[k].date == KT_TIME_UNSET)
			continue;
		step_date(cf, in->steps[k].source, in->steps[k].date, buf);
		if (k == KT_STEP_PRELIMINARY && in->comment_deadline != KT_TIME_UNSET) {
			cli_people_date(in->comment_deadline, day);
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " (comments by %s)",
				 day);
		}
		if (k == KT_STEP_CLOSED && in->forced)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
				 " (forced, orders left open)");
		show_field(step_names[k], buf);
	}
	if (in->transferred_to) {
		step_date(cf, in->transfer_source, in->transfer_date, day);
		printf("%-14s to %s, %s\n", "transferred", in->transferred_to, day);
	}
	if (in->responses)
		printf("%-14s %u\n", "responses", in->responses);
	kt_id_format(in->id, id);
	show_field("id", id);
	printf("%-14s %s, version %llu\n", "stream", in->stream, (unsigned long long)in->version);
}

static int show_findings(const struct case_file *cf)
{
	static const char *const headers[] = { "FINDING", "KIND", "STATE", "TEXT" };
	struct cli_table t = CLI_TABLE_INIT(headers, "llll");
	const struct kt_inspection *in = cf->in;
	int err = KT_OK;
	printf("\nFINDINGS (%zu)\n", in->n_findings);
	for (size_t k = 0; k < in->n_findings && !err; k++) {
		const struct kt_finding *f = &in->findings[k];
		char text[KT_DATA_MAX / 8], cell[CLI_CELL_BYTES(WHAT_MAX)];
		fact_text(cf, f->source, "text", text, sizeof text);
		cli_cell_text(text, strlen(text), WHAT_MAX, cell);
		const char *row[] = { f->label, kt_finding_kind_name(f->kind),
				      f->retracted ? "retracted"
				      : f->waived  ? "waived"
						   : "",
				      cell };
		err = cli_table_add(&t, row);
	}
	if (!err && in->n_findings)
		cli_table_print(&t, "  ");
	cli_table_free(&t);
	return err;
}

static int show_orders(const struct case_file *cf)
{
	static const char *const headers[] = { "ORDER",	  "FINDING", "STATUS", "ISSUED", "DEADLINE",
					       "WORDING", "DAYS",    "NOTE",   "TEXT" };
	struct cli_table t = CLI_TABLE_INIT(headers, "llllllrll");
	const struct kt_inspection *in = cf->in;
	int err = KT_OK;
	printf("\nORDERS (%zu)\n", in->n_orders);
	for (size_t k = 0; k < in->n_orders && !err; k++) {
		const struct kt_order *o = &in->orders[k];
		char issued[KT_TIME_TEXT_MAX], deadline[KT_TIME_TEXT_MAX], days[24] = "";
		char wording[256], wcell[CLI_CELL_BYTES(CELL_MAX)], note[64];
		char text[KT_DATA_MAX / 8], cell[CLI_CELL_BYTES(CELL_MAX)];
		int64_t d = kt_order_deadline(o);
		int running = order_listed(in, o) && d != KT_TIME_UNSET;
		int64_t left = running ? cli_days_until(d, cf->ref) : 0;
		cli_people_date_as(o->issued, o->issued_precision, issued);
		cli_people_date(d, deadline);
		deadline_wording(cf, o, wording, sizeof wording);
		cli_cell_text(wording, strlen(wording), CELL_MAX, wcell);
		if (running)
			snprintf(days, sizeof days, "%lld", (long long)left);
		order_note(o, running && left < 0, note, sizeof note);
		if (o->escalated)
			snprintf(note + strlen(note), sizeof note - strlen(note), "%sescalated",
				 *note ? ", " : "");
		fact_text(cf, o->source, "title", text, sizeof text);
		if (!*text)
			fact_text(cf, o->source, "text", text, sizeof text);
		cli_cell_text(text, strlen(text), CELL_MAX, cell);
		const char *row[] = { o->label,
				      *o->finding ? o->finding : "—",
				      o->retracted ? "retracted" : kt_order_status_name(o->status),
				      issued,
				      deadline,
				      wcell,
				      days,
				      note,
				      cell };
		err = cli_table_add(&t, row);
	}
	if (!err && in->n_orders)
		cli_table_print(&t, "  ");
	cli_table_free(&t);
	return err;
}

static int show_timeline(const struct case_file *cf)
{
	static const char *const headers[] = { "VER",	"ID",	"DATE", "RECORDED (UTC)",
					       "ACTOR", "TYPE", "WHAT" };
	struct cli_table t = CLI_TABLE_INIT(headers, "rllllll");
	size_t n;
	const struct cli_stream_event **events = cli_stream_timeline(&cf->s, compare_events, &n);
	int err = events ? KT_OK : KT_ENOMEM;
	printf("\nTIMELINE (%zu event%s)\n", n, n == 1 ? "" : "s");
	for (size_t k = 0; k < n && !err; k++) {
		const struct kt_event *ev = &events[k]->ev;
		char ver[24], id[KT_ID_TEXT_LEN + 1], date[KT_TIME_TEXT_MAX];
		char recorded[KT_TIME_TEXT_MAX], actor[CLI_CELL_BYTES(CELL_MAX)];
		char type[KT_TYPE_MAX + 1], what[CLI_CELL_BYTES(WHAT_MAX)];
		struct cli_line l;
		snprintf(ver, sizeof ver, "%llu", (unsigned long long)ev->version);
		memcpy(id, events[k]->id, cf->s.id_len);
		id[cf->s.id_len] = 0;
		cli_people_date_as(event_date(ev), kt_date_precision_of(ev->data, ev->data_len),
				   date);
		cli_people_time(ev->recorded, 0, recorded);
		cli_cell_text(ev->actor, ev->actor_len, CELL_MAX, actor);
		snprintf(type, sizeof type, "%.*s", (int)ev->type_len, ev->type);
		summarize(cf, ev, &l);
		cli_cell_text(l.buf, l.n, WHAT_MAX, what);
		const char *row[] = { ver, id, date, recorded, actor, type, what };
		err = cli_table_add(&t, row);
	}
	if (!err && n)
		cli_table_print(&t, "  ");
	cli_table_free(&t);
	free(events);
	return err;
}

static int show_table(const struct case_file *cf)
{
	int err;
	show_header(cf);
	if ((err = show_findings(cf)) || (err = show_orders(cf)))
		return err;
	return show_timeline(cf);
}

/* ---- show as JSON ---- */

/* A copy of the text field as JSON, or null when absent. */
static json_t *jfield(const uint8_t *data, size_t len, const char *field)
{
	const char *s;
	size_t n;
	if (kt_data_get_str(data, len, field, &s, &n))
		return json_null();
	return json_stringn(s, n);
}

static json_t *finding_json(const struct case_file *cf, const struct kt_finding *f)
{
	const uint8_t *data = NULL;
	size_t len = 0;
	int have = cli_stream_current(&cf->s, f->source, &data, &len) != NULL;
	char id[KT_ID_TEXT_LEN + 1];
	struct cli_jobj b = { json_object(), 0 };
	kt_id_format(f->source, id);
	cli_jobj_put(&b, "label", json_string(f->label));
	cli_jobj_put(&b, "kind", json_string(kt_finding_kind_name(f->kind)));
	cli_jobj_put(&b, "waived", json_boolean(f->waived));
	cli_jobj_put(&b, "retracted", json_boolean(f->retracted));
	cli_jobj_put(&b, "text", have ? jfield(data, len, "text") : json_null());
	cli_jobj_put(&b, "legal_ref", have ? jfield(data, len, "legal_ref") : json_null());
	cli_jobj_put(&b, "event_id", json_string(id));
	return cli_jobj_done(&b);
}

static json_t *order_show_json(const struct case_file *cf, const struct kt_order *o)
{
	const uint8_t *data = NULL;
	size_t len = 0;
	int have = cli_stream_current(&cf->s, o->source, &data, &len) != NULL;
	int64_t d = kt_order_deadline(o);
	int running = order_listed(cf->in, o) && d != KT_TIME_UNSET;
	int64_t left = running ? cli_days_until(d, cf->ref) : 0;
	char wording[256], id[KT_ID_TEXT_LEN + 1];
	struct cli_jobj b = { json_object(), 0 };
	deadline_wording(cf, o, wording, sizeof wording);
	kt_id_format(o->source, id);
	cli_jobj_put(&b, "label", json_string(o->label));
	cli_jobj_put(&b, "finding", cli_json_text(*o->finding ? o->finding : NULL));
	cli_jobj_put(&b, "status", json_string(kt_order_status_name(o->status)));
	cli_jobj_put(&b, "retracted", json_boolean(o->retracted));
	cli_jobj_put(&b, "issued", cli_json_date(o->issued));
	cli_jobj_put(&b, "deadline", cli_json_date(d));
	cli_jobj_put(&b, "deadline_text", cli_json_text(*wording ? wording : NULL));
	cli_jobj_put(&b, "original_deadline", cli_json_date(o->deadline));
	cli_jobj_put(&b, "extended", json_boolean(order_extended(o)));
	cli_jobj_put(&b, "days_left", running ? json_integer(left) : json_null());
	cli_jobj_put(&b, "overdue", json_boolean(running && left < 0));
	cli_jobj_put(&b, "status_date",
		     o->status == KT_ORDER_OPEN ? json_null() : cli_json_date(o->status_date));
	cli_jobj_put(&b, "appealed", json_boolean(o->appealed));
	cli_jobj_put(&b, "escalated", json_boolean(o->escalated));
	cli_jobj_put(&b, "title", have ? jfield(data, len, "title") : json_null());
	cli_jobj_put(&b, "text", have ? jfield(data, len, "text") : json_null());
	cli_jobj_put(&b, "event_id", json_string(id));
	return cli_jobj_done(&b);
}

/* ISO 8601 UTC with µs, as `kontroll log` writes recorded and effective;
 * an event's times are always set. */
static json_t *jtime(int64_t us)
{
	char iso[KT_TIME_TEXT_MAX];
	kt_time_format(us, iso);
	return json_string(iso);
}

static json_t *event_json(const struct case_file *cf, const struct cli_stream_event *ce)
{
	const struct kt_event *ev = &ce->ev;
	struct cli_jobj b = { json_object(), 0 };
	char label[KT_LABEL_SIZE];
	const char *s;
	size_t n;
	json_t *data = NULL, *target = json_null();
	if (cli_is_type(ev, KT_EV_EVENT_CORRECTED) || cli_is_type(ev, KT_EV_EVENT_RETRACTED)) {
		struct target_desc t;
		uint8_t id[16];
		char full[KT_ID_TEXT_LEN + 1] = "";
		describe_target(cf, ev, &t);
		if (!cli_revision_target(ev, id, NULL))
			kt_id_format(id, full);
		json_decref(target);
		target = json_pack("{s:s?, s:s, s:s?}", "id", *full ? full : NULL, "type", t.type,
				   "label", *t.label ? t.label : NULL);
	}
	event_label(ev->data, ev->data_len, label);
	cli_jobj_put(&b, "version", json_integer((json_int_t)ev->version));
	cli_jobj_put(&b, "position", json_integer((json_int_t)ev->position));
	cli_jobj_put(&b, "id", json_string(ce->id));
	cli_jobj_put(&b, "type", json_stringn(ev->type, ev->type_len));
	cli_jobj_put(&b, "date", cli_json_date(event_date(ev)));
	cli_jobj_put(&b, "effective", jtime(ev->effective));
	cli_jobj_put(&b, "recorded", jtime(ev->recorded));
	cli_jobj_put(&b, "actor", json_stringn(ev->actor, ev->actor_len));
	cli_jobj_put(&b, "label", cli_json_text(*label ? label : NULL));
	cli_jobj_put(&b, "text",
		     main_text(ev->data, ev->data_len, &s, &n) ? json_null() : json_stringn(s, n));
	cli_jobj_put(&b, "target", target);
	cli_jobj_put(&b, "data", kt_data_to_json(ev->data, ev->data_len, &data) ? NULL : data);
	return cli_jobj_done(&b);
}

/* The steps of the procedure, as keys of the inspection object. */
static const char *const step_keys[KT_STEPS] = {
	[KT_STEP_NOTIFIED] = "notified",
	[KT_STEP_CONDUCTED] = "conducted",
	[KT_STEP_PRELIMINARY] = "preliminary_report",
	[KT_STEP_COMMENTS] = "comments_sent",
	[KT_STEP_FINAL] = "final_report",
	[KT_STEP_NO_FINDINGS] = "no_findings",
	[KT_STEP_CLOSED] = "closed",
};

static int show_json(const struct case_file *cf)
{
	const struct kt_inspection *in = cf->in;
	struct cli_jobj b = { json_object(), 0 };
	json_t *findings = json_array(), *orders = json_array(), *events = json_array();
	char id[KT_ID_TEXT_LEN + 1];
	size_t n = 0;
	const struct cli_stream_event **tl = cli_stream_timeline(&cf->s, compare_events, &n);
	kt_id_format(in->id, id);
	cli_jobj_put(&b, "case_number", cli_json_text(in->case_number));
	cli_jobj_put(&b, "id", json_string(id));
	cli_jobj_put(&b, "stream", json_string(in->stream));
	cli_jobj_put(&b, "version", json_integer((json_int_t)in->version));
	cli_jobj_put(&b, "authority", cli_json_text(in->authority));
	cli_jobj_put(&b, "unit", cli_json_text(in->unit));
	cli_jobj_put(&b, "law", cli_json_text(in->law));
	cli_jobj_put(&b, "theme", cli_json_text(in->theme));
	cli_jobj_put(&b, "kind", cli_json_text(in->kind));
	cli_jobj_put(&b, "date_from", cli_json_date(in->date_from));
	cli_jobj_put(&b, "date_to", cli_json_date(in->date_to));
	cli_jobj_put(&b, "status",
		     json_string(kt_inspection_status_name(kt_inspection_status(in))));
	for (int k = 0; k < KT_STEPS; k++) {
		cli_jobj_put(&b, step_keys[k], cli_json_date(in->steps[k].date));
		if (k == KT_STEP_PRELIMINARY)
			cli_jobj_put(&b, "comment_deadline", cli_json_date(in->comment_deadline));
	}
	cli_jobj_put(&b, "forced", json_boolean(in->forced));
	cli_jobj_put(&b, "transferred_to", cli_json_text(in->transferred_to));
	cli_jobj_put(&b, "transfer_date",
		     in->transferred_to ? cli_json_date(in->transfer_date) : json_null());
	cli_jobj_put(&b, "responses", json_integer(in->responses));
	for (size_t k = 0; findings && k < in->n_findings; k++)
		if (json_array_append_new(findings, finding_json(cf, &in->findings[k])))
			b.failed = 1;
	for (size_t k = 0; orders && k < in->n_orders; k++)
		if (json_array_append_new(orders, order_show_json(cf, &in->orders[k])))
			b.failed = 1;
	for (size_t k = 0; events && tl && k < n; k++)
		if (json_array_append_new(events, event_json(cf, tl[k])))
			b.failed = 1;
	cli_jobj_put(&b, "findings", findings);
	cli_jobj_put(&b, "orders", orders);
	cli_jobj_put(&b, "timeline", tl ? events : NULL);
	if (!tl)
		json_decref(events);
	free(tl);
	return cli_jobj_print(&b);
}

int cli_inspection_show(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      VIEW_TIME_OPTIONS,
					      { 0, 0, 0, 0 } };
	struct view_args a = VIEW_ARGS_INIT;
	/* The dispatcher may have run getopt already: start afresh (0 also
	 * resets GNU getopt's own state). */
	optind = 0;
	int rc = parse_view(argc, argv, opts, cli_inspection_show_usage, 0, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (optind >= argc) {
		cli_error("which inspection? give its case number or id (see kontroll "
			  "inspection show --help)");
		return EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		cli_error("unexpected argument '%s'", argv[optind + 1]);
		return EXIT_USAGE;
	}
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_inspections model;
	struct case_file cf = { NULL, CLI_STREAM_INIT, cli_reference_time(&a.moment) };
	kt_reader *r = NULL;
	int err = KT_OK;
	if ((rc = cli_load_inspections(s, &a.moment, &model)))
		goto close;
	if ((rc = cli_find_inspection(&model, argv[optind], &cf.in)))
		goto free_model;
	/* Begun after the replay, which may have to grow the map to save a
	 * snapshot and cannot while this process holds a reader. */
	if ((err = kt_reader_begin(s, &r)) ||
	    (err = cli_stream_read(r, &a.moment, cf.in->stream, &cf.s)))
		goto report;
	if (cli_interrupted) {
		cli_error("interrupted");
		rc = EXIT_FAILURE_STORE;
		goto end;
	}
	err = a.format == FORMAT_JSON ? show_json(&cf) : show_table(&cf);
report:
	if (err) {
		cli_error("reading %s: %s", cf.in->stream, kt_strerror(err));
		rc = cli_exit_for(err);
	}
end:
	cli_stream_free(&cf.s);
	kt_reader_end(r);
free_model:
	kt_inspections_free(&model);
close:
	kt_store_close(s);
	return rc;
}

/* ---- the command table ------------------------------------------------- */

const struct cli_command cli_inspection_view_commands[] = {
	{ "inspections", "list inspections with their status, findings and orders",
	  inspections_usage, cmd_inspections },
	{ "orders", "list open orders (pålegg) with deadlines, days left and OVERDUE", orders_usage,
	  cmd_orders },
	{ NULL, NULL, NULL, NULL },
};
