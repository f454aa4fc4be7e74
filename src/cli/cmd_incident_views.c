/*
 * cmd_incident_views.c — the read side of incidents (Kvaliteket):
 * `kontroll incidents` (one row per incident, with filters) and `kontroll
 * incidents stats` (the figures the annual report prints for a period).
 *
 * Both fold the incidents model (incidents.h) for a moment and render it as
 * a table for people or as JSON or CSV for programs. The model keeps no free
 * text; the listing reads an incident's description from the log (its
 * text_position) only when --include-personal asks for it, since it is
 * personal data. Nothing here appends an event; a listing on a writable store
 * may save a replay snapshot, which is a cache. Tables, rows and texts are
 * written as every view writes them (render.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "incident_cli.h"
#include "render.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/inspection_events.h" /* KT_EV_EVENT_CORRECTED */
#include "kontroll/ktime.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Characters of a free-text cell of the listing, and of the description. */
#define CELL_MAX 32
#define TEXT_MAX 60

/* ---- the options ------------------------------------------------------ */

enum {
	OPT_FORMAT = 'f',
	OPT_UNIT = CLI_OPT_MOMENT_END,
	OPT_CATEGORY,
	OPT_TYPE,
	OPT_STATUS,
	OPT_OVERDUE,
	OPT_LATE_EXTERNAL,
	OPT_YEAR,
	OPT_FROM,
	OPT_TO,
	OPT_INCLUDE_PERSONAL,
	OPT_LIMIT,
};

/* Which incidents --unit names: every one of an area, or of one unit. */
struct unit_filter {
	const char *text;	     /* as given; NULL: no filter */
	int area;		     /* index of the area it names, or -1 */
	const struct kt_unit *known; /* the known unit it names, or NULL */
};

struct view_args {
	const char *db;
	struct cli_moment moment;
	enum cli_format format;
	struct unit_filter unit;
	int category; /* enum kt_incident_category; -1: any */
	int type;     /* enum kt_incident_type, KT_TYPES: untriaged; -1: any */
	int status;   /* 0 open, 1 closed; -1: any */
	int overdue, late_external, include_personal;
	int year;	  /* 0: none */
	int64_t from, to; /* registration window, µs inclusive; KT_TIME_UNSET: open end */
	uint64_t limit;	  /* rows at most; UINT64_MAX: all */
};

#define VIEW_ARGS_INIT                                                                             \
	{                                                                                          \
		NULL, CLI_MOMENT_NOW, FORMAT_TABLE, { NULL, -1, NULL }, -1, -1, -1, 0, 0, 0, 0,    \
		    KT_TIME_UNSET, KT_TIME_UNSET, UINT64_MAX                                       \
	}

/* --year Y: the year's first and last µs. */
static void year_window(int year, int64_t *from, int64_t *to)
{
	*from = kt_time_days_from_civil(year, 1, 1) * KT_US_PER_DAY;
	*to = kt_time_days_from_civil(year + 1, 1, 1) * KT_US_PER_DAY - 1;
}

/* A day for --from / --to: its first µs, or with end its last. */
static int parse_day(const char *option, const char *value, int end, int64_t *out)
{
	int64_t us;
	if (kt_data_parse_date(value, strlen(value), &us)) {
		cli_error("%s: '%s' is not a date (YYYY-MM-DD)", option, value);
		return -1;
	}
	*out = end ? us + KT_US_PER_DAY - 1 : us;
	return 0;
}

static int parse_unit(const char *value, struct unit_filter *u)
{
	if (!*value) {
		cli_error("--unit: give a unit or an area");
		return -1;
	}
	u->text = value;
	u->area = kt_area_find(value);
	u->known = kt_unit_find(value);
	return 0;
}

static int parse_type(const char *value, int *out)
{
	if (strcmp(value, "untriaged") == 0) {
		*out = KT_TYPES;
		return 0;
	}
	if ((*out = kt_incident_type_parse(value)) < 0) {
		cli_error("--type: '%s' is not one of hms, pasient_brukersikkerhet, personvern, "
			  "informasjonssikkerhet, vold_trusler, miljo, annet, untriaged",
			  value);
		return -1;
	}
	return 0;
}

/* One option of the views; -1 after printing why when its value is bad. */
static int view_option(int c, const char *value, struct view_args *a)
{
	uint64_t n;
	switch (c) {
	case OPT_FORMAT:
		return cli_parse_format(value, 1, &a->format);
	case OPT_UNIT:
		return parse_unit(value, &a->unit);
	case OPT_CATEGORY:
		if ((a->category = kt_category_parse(value)) < 0) {
			cli_error("--category: '%s' is not one of avvik, forbedring", value);
			return -1;
		}
		return 0;
	case OPT_TYPE:
		return parse_type(value, &a->type);
	case OPT_STATUS:
		if (strcmp(value, "open") != 0 && strcmp(value, "closed") != 0) {
			cli_error("--status: '%s' is not one of open, closed", value);
			return -1;
		}
		a->status = value[0] == 'c';
		return 0;
	case OPT_OVERDUE:
		a->overdue = 1;
		return 0;
	case OPT_LATE_EXTERNAL:
		a->late_external = 1;
		return 0;
	case OPT_INCLUDE_PERSONAL:
		a->include_personal = 1;
		return 0;
	case OPT_YEAR:
		if (cli_parse_u64(value, &n) || n < 1900 || n > 9998) {
			cli_error("--year: '%s' is not a year (1900-9998)", value);
			return -1;
		}
		a->year = (int)n;
		return 0;
	case OPT_FROM:
		return parse_day("--from", value, 0, &a->from);
	case OPT_TO:
		return parse_day("--to", value, 1, &a->to);
	case OPT_LIMIT:
		if (cli_parse_u64(value, &a->limit)) {
			cli_error("--limit: '%s' is not a whole number", value);
			return -1;
		}
		return 0;
	}
	/* The moment options; any other is none of the view's. */
	return cli_moment_option(c, value, &a->moment) < 0 ? -1 : 0;
}

/* Parse the options of a view. Returns 0, -1 when --help was printed, or
 * the exit code of a bad option or operand. */
static int parse_view(int argc, char **argv, const struct option *opts, const char *usage,
		      struct view_args *a)
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
			if (view_option(c, optarg, a))
				return EXIT_INPUT;
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (a->year && (a->from != KT_TIME_UNSET || a->to != KT_TIME_UNSET)) {
		cli_error("--year and --from/--to both give the period; give one");
		return EXIT_USAGE;
	}
	if (a->year)
		year_window(a->year, &a->from, &a->to);
	return EXIT_OK;
}

/* ---- text ------------------------------------------------------------- */

/* A text cell: clipped, "—" when empty. */
static void list_cell(const char *s, char out[CLI_CELL_BYTES(CELL_MAX)])
{
	if (s && *s)
		cli_cell_text(s, strlen(s), CELL_MAX, out);
	else
		strcpy(out, "—");
}

/* Non-zero when a and b are the same text but for case (cli_folded). */
static int same_folded(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (!b || strlen(b) != n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (cli_folded(a, k) != cli_folded(b, k))
			return 0;
	return 1;
}

/* The area of an incident; the fold only keeps incidents of a known area. */
static const struct kt_area *area_of(const struct kt_incident *in)
{
	const struct kt_area *a = in->area >= 0 ? kt_area_at((size_t)in->area) : NULL;
	assert(a);
	return a;
}

/* ---- kontroll incidents ------------------------------------------------- */

static const char incidents_usage[] =
    "usage: kontroll incidents [--unit U] [--category C] [--type T] [--status open|closed]\n"
    "                          [--overdue] [--late-external] [--year Y | --from D --to D]\n"
    "                          [--as-of DATE] [--known-at TIME] [--no-snapshots]\n"
    "                          [--include-personal] [--limit N]\n"
    "                          [--format table|json|csv] [--db PATH]\n"
    "       kontroll incidents stats (--year Y | --from D --to D) [--known-at TIME]\n"
    "                          [--no-snapshots] [--format table|json|csv] [--db PATH]\n"
    "\n"
    "List the incidents registered in Kvaliteket, one row each, in the order\n"
    "they were registered; or, with stats, the figures of a period (kontroll\n"
    "incidents stats --help).\n"
    "\n"
    "  --unit U            only incidents of unit U (its name, any case), or of\n"
    "                      every unit of area U (name, key or code: helse_omsorg)\n"
    "  --category C        avvik or forbedring\n"
    "  --type T            the type of the latest triage: hms,\n"
    "                      pasient_brukersikkerhet, personvern,\n"
    "                      informasjonssikkerhet, vold_trusler, miljo, annet, or\n"
    "                      untriaged\n"
    "  --status S          open or closed\n"
    "  --overdue           only incidents with an open action past its due day\n"
    "  --late-external     only personvern incidents not reported to\n"
    "                      Datatilsynet within 72 hours of registration: reported\n"
    "                      late, or not reported (nor judged not required) and the\n"
    "                      72 hours over\n"
    "  --year Y            only incidents registered in the year Y\n"
    "  --from D, --to D    only incidents registered from day D / up to day D\n"
    "  --as-of DATE        as things stood at DATE, by all that is known now\n"
    "  --known-at TIME     as kontroll showed them at TIME: only events recorded by\n"
    "                      then (YYYY-MM-DD means the end of that day, UTC)\n"
    "  --no-snapshots      replay the whole log, trusting no snapshot\n"
    "  --include-personal  also show each incident's description (personal data)\n"
    "  --limit N           at most N rows\n"
    "  --format F          table (default, for people), json (an array of objects)\n"
    "                      or csv (a header line, then one row per incident)\n"
    "  --db PATH           the store file\n"
    "\n"
    "Overdue actions and the 72 hours are judged at the --as-of time, else the\n"
    "--known-at time, else now. DATATILSYNET is the 72-hour verdict of a\n"
    "personvern incident: in time (72:00:00 exactly is in time), late, not\n"
    "required, pending, overdue.\n"
    "\n"
    "json/csv keys: number, registered, occurred, category, area, unit, type,\n"
    "severity, status, closed, handler, actions, actions_open, next_due, overdue,\n"
    "datatilsynet, datatilsynet_reported, and text with --include-personal\n";

static const char *const incident_keys[] = {
	"number",
	"registered",
	"occurred",
	"category",
	"area",
	"unit",
	"type",
	"severity",
	"status",
	"closed",
	"handler",
	"actions",
	"actions_open",
	"next_due",
	"overdue",
	"datatilsynet",
	"datatilsynet_reported",
	"text",
};
#define INCIDENT_KEYS (sizeof incident_keys / sizeof incident_keys[0])

/* One listed incident with what it was judged to be at the moment. */
struct row {
	const struct kt_incident *in;
	int overdue;
	enum kt_notify_status notify;
};

/* The 72-hour verdict as a key for programs; NULL for KT_NOTIFY_NA. */
static const char *notify_key(enum kt_notify_status s)
{
	static const char *const keys[] = {
		[KT_NOTIFY_NA] = NULL,		 [KT_NOTIFY_IN_TIME] = "in_time",
		[KT_NOTIFY_LATE] = "late",	 [KT_NOTIFY_NOT_REQUIRED] = "not_required",
		[KT_NOTIFY_PENDING] = "pending", [KT_NOTIFY_OVERDUE] = "overdue",
	};
	return (unsigned)s <= KT_NOTIFY_OVERDUE ? keys[s] : NULL;
}

static int unit_wanted(const struct kt_incidents *m, const struct kt_incident *in,
		       const struct unit_filter *u)
{
	if (!u->text)
		return 1;
	if (u->area >= 0)
		return in->area == u->area;
	const char *unit = kt_incidents_name(m, in->unit);
	if (same_folded(u->text, unit))
		return 1;
	return u->known && kt_unit_is(u->known, unit);
}

static int incident_wanted(const struct kt_incidents *m, const struct row *r,
			   const struct view_args *a)
{
	const struct kt_incident *in = r->in;
	if (in->retracted || !unit_wanted(m, in, &a->unit))
		return 0;
	if (a->category >= 0 && (int)in->category != a->category)
		return 0;
	if (a->type >= 0 && (a->type == KT_TYPES ? in->type >= 0 : in->type != a->type))
		return 0;
	if (a->status >= 0 && !!in->closed != a->status)
		return 0;
	if (a->from != KT_TIME_UNSET && in->registered < a->from)
		return 0;
	if (a->to != KT_TIME_UNSET && in->registered > a->to)
		return 0;
	if (a->overdue && !r->overdue)
		return 0;
	if (a->late_external && r->notify != KT_NOTIFY_LATE && r->notify != KT_NOTIFY_OVERDUE)
		return 0;
	return 1;
}

static int compare_rows(const void *pa, const void *pb)
{
	const struct kt_incident *a = ((const struct row *)pa)->in;
	const struct kt_incident *b = ((const struct row *)pb)->in;
	if (a->registered != b->registered)
		return a->registered < b->registered ? -1 : 1;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The row of in, judged at moment. */
static struct row row_of(const struct kt_incident *in, int64_t moment)
{
	struct row r = { in, kt_incident_overdue(in, moment),
			 kt_incident_notify_status(in, moment) };
	return r;
}

static int collect(const struct kt_incidents *m, const struct view_args *a, struct row **rows,
		   size_t *n)
{
	int64_t moment = cli_reference_time(&a->moment);
	*n = 0;
	*rows = m->n ? malloc(m->n * sizeof **rows) : NULL;
	if (m->n && !*rows)
		return KT_ENOMEM;
	for (size_t k = 0; k < m->n; k++) {
		struct row r = row_of(&m->items[k], moment);
		if (incident_wanted(m, &r, a))
			(*rows)[(*n)++] = r;
	}
	if (*n)
		qsort(*rows, *n, sizeof **rows, compare_rows);
	return KT_OK;
}

/*
 * The current description of in, read from the log at its text_position
 * (the incident.reported, or the event.corrected that replaced it), into a
 * new string in *out ("" when there is none). The caller frees it.
 */
static int read_text(kt_reader *r, const struct kt_incident *in, char **out)
{
	struct kt_event ev;
	const uint8_t *data;
	const char *s = "";
	size_t len, n = 0;
	int err = in->text_position ? kt_reader_get(r, in->text_position, &ev) : KT_ENOTFOUND;
	if (!err) {
		data = ev.data;
		len = ev.data_len;
		if (cli_is_type(&ev, KT_EV_EVENT_CORRECTED) &&
		    kt_data_get_map(ev.data, ev.data_len, "data", &data, &len))
			len = 0;
		if (len && kt_data_get_str(data, len, "text", &s, &n)) {
			s = "";
			n = 0;
		}
	} else if (err != KT_ENOTFOUND) {
		return err;
	}
	if (!(*out = malloc(n + 1)))
		return KT_ENOMEM;
	memcpy(*out, s, n);
	(*out)[n] = 0;
	return KT_OK;
}

/* "1/2": open of all actions; "—" when there are none. */
static void actions_cell(const struct kt_incident *in, char *out, size_t size)
{
	if (in->actions)
		snprintf(out, size, "%u/%u", in->actions_open, in->actions);
	else
		snprintf(out, size, "—");
}

static int print_table(const struct kt_incidents *m, const struct row *rows, size_t n, size_t total,
		       kt_reader *r)
{
	static const char *const headers[] = { "NUMBER",       "REGISTERED", "OCCURRED", "CATEGORY",
					       "AREA",	       "UNIT",	     "TYPE",	 "SEV",
					       "STATUS",       "HANDLER",    "ACTIONS",	 "NEXT DUE",
					       "DATATILSYNET", "TEXT" };
	struct cli_table t = { r ? 14 : 13, headers, "lllllllrllrlll", NULL, 0, 0 };
	int err = KT_OK;
	for (size_t k = 0; k < n && !err; k++) {
		const struct kt_incident *in = rows[k].in;
		char registered[KT_TIME_TEXT_MAX], occurred[KT_TIME_TEXT_MAX];
		char area[CLI_CELL_BYTES(CELL_MAX)], unit[CLI_CELL_BYTES(CELL_MAX)];
		char handler[CLI_CELL_BYTES(CELL_MAX)], text[CLI_CELL_BYTES(TEXT_MAX)] = "";
		char sev[8] = "—", actions[32], due[KT_TIME_TEXT_MAX + 16];
		char *full = NULL;
		cli_people_date(in->registered, registered);
		cli_people_date(cli_day_us(in->occurred), occurred);
		list_cell(area_of(in)->name, area);
		list_cell(kt_incidents_name(m, in->unit), unit);
		list_cell(kt_incidents_name(m, in->handler), handler);
		if (in->severity)
			snprintf(sev, sizeof sev, "%d", in->severity);
		actions_cell(in, actions, sizeof actions);
		cli_people_date(cli_day_us(in->next_due), due);
		if (rows[k].overdue)
			strcat(due, " OVERDUE");
		if (r && !(err = read_text(r, in, &full)))
			cli_cell_text(full, strlen(full), TEXT_MAX, text);
		free(full);
		const char *row[] = { in->number,
				      registered,
				      occurred,
				      kt_category_key(in->category),
				      area,
				      unit,
				      in->type >= 0 ? kt_incident_type_name(in->type) : "—",
				      sev,
				      in->closed ? "closed" : "open",
				      handler,
				      actions,
				      due,
				      rows[k].notify == KT_NOTIFY_NA
					  ? ""
					  : kt_notify_status_name(rows[k].notify),
				      text };
		if (!err)
			err = cli_table_add(&t, row);
	}
	if (!err) {
		if (n)
			cli_table_print(&t, "");
		if (n < total)
			printf("%zu of %zu incidents\n", n, total);
		else
			printf("%zu %s\n", n, n == 1 ? "incident" : "incidents");
	}
	cli_table_free(&t);
	return err;
}

static void incident_out(struct cli_rows *w, const struct kt_incidents *m, const struct row *r,
			 const char *text)
{
	const struct kt_incident *in = r->in;
	const char *handler = kt_incidents_name(m, in->handler);
	cli_row_begin(w);
	cli_row_text(w, "number", in->number);
	cli_row_time(w, "registered", in->registered);
	cli_row_date(w, "occurred", cli_day_us(in->occurred));
	cli_row_text(w, "category", kt_category_key(in->category));
	cli_row_text(w, "area", area_of(in)->key);
	cli_row_text(w, "unit", kt_incidents_name(m, in->unit));
	cli_row_text(w, "type", in->type >= 0 ? kt_incident_type_key(in->type) : NULL);
	cli_row_int(w, "severity", in->severity > 0, in->severity);
	cli_row_text(w, "status", in->closed ? "closed" : "open");
	cli_row_date(w, "closed", in->closed ? in->closed_at : KT_TIME_UNSET);
	cli_row_text(w, "handler", *handler ? handler : NULL);
	cli_row_int(w, "actions", 1, in->actions);
	cli_row_int(w, "actions_open", 1, in->actions_open);
	cli_row_date(w, "next_due", cli_day_us(in->next_due));
	cli_row_bool(w, "overdue", r->overdue);
	cli_row_text(w, "datatilsynet", notify_key(r->notify));
	cli_row_time(w, "datatilsynet_reported",
		     r->notify == KT_NOTIFY_NA ? KT_TIME_UNSET
					       : in->external[KT_RECIPIENT_DATATILSYNET]);
	if (text)
		cli_row_text(w, "text", text);
	cli_row_end(w);
}

/* Whether every text of the row is one jansson would take (cli_text_ok). */
static int row_ok(const struct kt_incidents *m, const struct kt_incident *in, const char *text)
{
	return cli_text_ok(kt_incidents_name(m, in->unit)) &&
	       cli_text_ok(kt_incidents_name(m, in->handler)) && cli_text_ok(text);
}

static int print_rows(const struct kt_incidents *m, const struct row *rows, size_t n,
		      enum cli_format format, kt_reader *r)
{
	struct cli_rows w = CLI_ROWS_INIT(format);
	int err = KT_OK;
	cli_rows_begin(&w, incident_keys, r ? INCIDENT_KEYS : INCIDENT_KEYS - 1);
	for (size_t k = 0; k < n && !err && !cli_interrupted; k++) {
		const struct kt_incident *in = rows[k].in;
		char *text = NULL;
		if (r && (err = read_text(r, in, &text)))
			break;
		/* Stored names and texts came in as JSON and are UTF-8; a row
		 * that is not is refused before any of it is written. */
		if (!row_ok(m, in, text))
			err = KT_EMALFORMED;
		else
			incident_out(&w, m, &rows[k], text);
		free(text);
	}
	cli_rows_end(&w);
	return err;
}

int cli_incident_rows(const struct kt_incidents *m, const char *stream, int64_t ref, json_t *rows)
{
	static const struct view_args all = VIEW_ARGS_INIT;
	size_t plen = strlen(KT_INCIDENT_STREAM_PREFIX);
	const struct kt_incident *in = NULL;
	struct cli_rows w = CLI_ROWS_TREE(rows);
	if (strncmp(stream, KT_INCIDENT_STREAM_PREFIX, plen) == 0)
		in = kt_incidents_find(m, stream + plen, strlen(stream + plen));
	if (!in)
		return KT_OK;
	struct row r = row_of(in, ref);
	if (!incident_wanted(m, &r, &all))
		return KT_OK;
	if (!row_ok(m, in, NULL))
		return KT_EMALFORMED;
	cli_rows_key(&w, in->number);
	incident_out(&w, m, &r, NULL);
	return cli_rows_status(&w);
}

static int cmd_stats(int argc, char **argv);

static int cmd_incidents(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "overdue", no_argument, NULL, OPT_OVERDUE },
		{ "late-external", no_argument, NULL, OPT_LATE_EXTERNAL },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		CLI_MOMENT_OPTIONS,
		{ "include-personal", no_argument, NULL, OPT_INCLUDE_PERSONAL },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 },
	};
	if (argc > 1 && strcmp(argv[1], "stats") == 0)
		return cmd_stats(argc - 1, argv + 1);
	struct view_args a = VIEW_ARGS_INIT;
	int rc = parse_view(argc, argv, opts, incidents_usage, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_incidents model;
	struct row *rows = NULL;
	kt_reader *r = NULL;
	size_t n = 0;
	if ((rc = cli_load_incidents(s, &a.moment, &model)))
		goto close;
	int err = collect(&model, &a, &rows, &n);
	/* Begun after the replay, which may have to grow the map to save a
	 * snapshot and cannot while this process holds a reader. */
	if (!err && a.include_personal)
		err = kt_reader_begin(s, &r);
	size_t shown = n < a.limit ? n : (size_t)a.limit;
	if (!err)
		err = a.format == FORMAT_TABLE ? print_table(&model, rows, shown, n, r)
					       : print_rows(&model, rows, shown, a.format, r);
	if (err) {
		cli_error("%s", kt_strerror(err));
		rc = cli_exit_for(err);
	} else if (cli_interrupted) {
		cli_error("interrupted");
		rc = EXIT_FAILURE_STORE;
	}
	kt_reader_end(r);
	free(rows);
	kt_incidents_free(&model);
close:
	kt_store_close(s);
	return rc;
}

/* ---- kontroll incidents stats ------------------------------------------- */

static const char stats_usage[] =
    "usage: kontroll incidents stats (--year Y | --from D --to D) [--known-at TIME]\n"
    "                                [--no-snapshots] [--format table|json|csv]\n"
    "                                [--db PATH]\n"
    "\n"
    "The figures of the incidents registered in a period, as the annual report\n"
    "prints them, compared with the period before: registered in all, by\n"
    "category, by area with its units, by type; open at the end of the period\n"
    "(in all and by area); closed, with the median and 90th percentile of the\n"
    "days to close; reported to outside bodies; and the personvern incidents\n"
    "against the 72-hour rule.\n"
    "\n"
    "  --year Y          the calendar year Y, compared with the year before\n"
    "  --from D, --to D  the days D to D (both inclusive), compared with as many\n"
    "                    calendar years before when they are whole years, else\n"
    "                    with as many days just before\n"
    "  --known-at TIME   as kontroll showed it at TIME: only events recorded by\n"
    "                    then (YYYY-MM-DD means the end of that day, UTC)\n"
    "  --no-snapshots    replay the whole log, trusting no snapshot\n"
    "  --format F        table (default), json (one object) or csv (one row per\n"
    "                    figure: section,key,area,value,previous,change_percent)\n"
    "  --db PATH         the store file\n"
    "\n"
    "The log is replayed as of the end of the period: what happened later (a\n"
    "closure in January) does not count. Retracted incidents count nowhere.\n"
    "A unit is shown under the area of its incidents.\n";

/* The statistics with what the table needs to show them. */
struct report {
	const struct kt_incidents *m;
	struct kt_incident_stats st;
	int year;	/* the --year, or 0 */
	int *unit_area; /* by interned name: the area of its first incident, or -1 */
};

/* Compute the statistics for the period, compared with the period before
 * (kt_incident_period_before: the year before a year), and where each unit
 * is shown. */
static int compute(const struct kt_incidents *m, int64_t from, int64_t to, struct report *rep)
{
	int64_t prev_from, prev_to;
	kt_incident_period_before(from, to, &prev_from, &prev_to);
	int err = kt_incident_stats(m, from, to, prev_from, prev_to, &rep->st);
	if (err)
		return err;
	rep->unit_area = malloc((rep->st.n_units ? rep->st.n_units : 1) * sizeof *rep->unit_area);
	if (!rep->unit_area)
		return KT_ENOMEM;
	for (uint32_t u = 0; u < rep->st.n_units; u++)
		rep->unit_area[u] = -1;
	for (size_t k = 0; k < m->n; k++) {
		const struct kt_incident *in = &m->items[k];
		if (!in->retracted && in->unit < rep->st.n_units && rep->unit_area[in->unit] < 0)
			rep->unit_area[in->unit] = in->area;
	}
	return KT_OK;
}

/* ---- units of an area ---- */

static const struct report *sort_rep; /* for compare_units; qsort has no context */

static int compare_units(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const struct kt_incident_stats *st = &sort_rep->st;
	if (st->now.unit[a] != st->now.unit[b])
		return st->now.unit[a] > st->now.unit[b] ? -1 : 1;
	if (st->before.unit[a] != st->before.unit[b])
		return st->before.unit[a] > st->before.unit[b] ? -1 : 1;
	return strcmp(kt_incidents_name(sort_rep->m, a), kt_incidents_name(sort_rep->m, b));
}

/* Units of area, by count in the period (then before, then name): the
 * interned names of those with any incident in either period, in a new
 * array the caller frees. *n gets their number; NULL when out of memory. */
static uint32_t *units_of(const struct report *rep, int area, size_t *n)
{
	const struct kt_incident_stats *st = &rep->st;
	uint32_t *list = malloc((st->n_units ? st->n_units : 1) * sizeof *list);
	*n = 0;
	if (!list)
		return NULL;
	for (uint32_t u = 0; u < st->n_units; u++)
		if (rep->unit_area[u] == area && (st->now.unit[u] || st->before.unit[u]))
			list[(*n)++] = u;
	sort_rep = rep;
	if (*n)
		qsort(list, *n, sizeof *list, compare_units);
	return list;
}

/* Whole numbers for people, in groups of three: "21 686". */
static void grouped(uint64_t v, char out[32])
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), o = 0;
	for (int k = 0; k < n; k++) {
		if (k && (n - k) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[k];
	}
	out[o] = 0;
}

/* The change in percent rounded to one decimal, as text "-8.7"; 0 with
 * out empty when there is none (no incidents before). */
static int change_text(uint64_t before, uint64_t now, char out[32])
{
	double c = kt_change_percent(before, now);
	out[0] = 0;
	if (isnan(c))
		return 0;
	snprintf(out, 32, "%.1f", c);
	if (strcmp(out, "-0.0") == 0)
		strcpy(out, "0.0");
	return 1;
}

/* The change for people: "−8.7 %", "+5.9 %", "0.0 %", or "—". */
static void change_cell(uint64_t before, uint64_t now, char out[40])
{
	char c[32];
	if (!change_text(before, now, c))
		strcpy(out, "—");
	else if (c[0] == '-')
		snprintf(out, 40, "−%s %%", c + 1);
	else
		snprintf(out, 40, "%s%s %%", strcmp(c, "0.0") ? "+" : "", c);
}

/* Days with one decimal ("12.0"), or "—" when there is no value. */
static void days_text(double d, char out[32])
{
	if (isnan(d))
		strcpy(out, "—");
	else
		snprintf(out, 32, "%.1f", d);
}

/* "dd.mm.yyyy–dd.mm.yyyy" for a period. */
static void period_text(int64_t from, int64_t to, char out[2 * KT_TIME_TEXT_MAX + 4])
{
	char a[KT_TIME_TEXT_MAX], b[KT_TIME_TEXT_MAX];
	cli_people_date(from, a);
	cli_people_date(to, b);
	snprintf(out, 2 * KT_TIME_TEXT_MAX + 4, "%s–%s", a, b);
}

/* ---- stats as a table ---- */

/* One row of the table: a label, the count now, before and the change. */
static int stat_row(struct cli_table *t, const char *indent, const char *label, uint64_t now,
		    uint64_t before, int compare)
{
	char lab[CLI_CELL_BYTES(CELL_MAX) + 8], a[32], b[32] = "", c[40] = "";
	char clipped[CLI_CELL_BYTES(CELL_MAX)];
	cli_cell_text(label, strlen(label), CELL_MAX, clipped);
	snprintf(lab, sizeof lab, "%s%s", indent, clipped);
	grouped(now, a);
	if (compare) {
		grouped(before, b);
		change_cell(before, now, c);
	}
	const char *row[] = { lab, a, b, c };
	return cli_table_add(t, row);
}

static int text_row(struct cli_table *t, const char *label, const char *value)
{
	const char *row[] = { label, value, "", "" };
	return cli_table_add(t, row);
}

static int counts_table(struct cli_table *t, const struct report *rep)
{
	const struct kt_incident_stats *st = &rep->st;
	int err = stat_row(t, "", "REGISTERED", st->now.total, st->before.total, 1);
	if (!err)
		err = text_row(t, "", "");
	if (!err)
		err = text_row(t, "BY CATEGORY", "");
	for (int c = 0; c < KT_CATEGORIES && !err; c++)
		err = stat_row(t, "  ", kt_category_name((enum kt_incident_category)c),
			       st->now.category[c], st->before.category[c], 1);
	if (!err)
		err = text_row(t, "", "");
	if (!err)
		err = text_row(t, "BY AREA AND UNIT", "");
	for (int a = 0; a < KT_AREAS && !err; a++) {
		size_t n;
		uint32_t *units = units_of(rep, a, &n);
		if (!units)
			return KT_ENOMEM;
		err = stat_row(t, "  ", kt_area_at((size_t)a)->name, st->now.area[a],
			       st->before.area[a], 1);
		for (size_t k = 0; k < n && !err; k++)
			err = stat_row(t, "    ", kt_incidents_name(rep->m, units[k]),
				       st->now.unit[units[k]], st->before.unit[units[k]], 1);
		free(units);
	}
	if (!err)
		err = text_row(t, "", "");
	if (!err)
		err = text_row(t, "BY TYPE", "");
	for (int k = 0; k <= KT_TYPES && !err; k++)
		err = stat_row(t, "  ",
			       k < KT_TYPES ? kt_incident_type_name((enum kt_incident_type)k)
					    : "not triaged",
			       st->now.type[k], st->before.type[k], 1);
	return err;
}

static int state_table(struct cli_table *t, const struct report *rep)
{
	const struct kt_incident_stats *st = &rep->st;
	char median[32], p90[32];
	int err = text_row(t, "", "");
	if (!err)
		err = stat_row(t, "", "OPEN AT END OF PERIOD", st->open_at_end, 0, 0);
	for (int a = 0; a < KT_AREAS && !err; a++)
		if (st->open_at_end_area[a])
			err = stat_row(t, "  ", kt_area_at((size_t)a)->name,
				       st->open_at_end_area[a], 0, 0);
	days_text(st->close_days_median, median);
	days_text(st->close_days_p90, p90);
	if (!err)
		err = text_row(t, "", "");
	if (!err)
		err = stat_row(t, "", "CLOSED BY END OF PERIOD", st->closed, 0, 0);
	if (!err)
		err = text_row(t, "  median days to close", median);
	if (!err)
		err = text_row(t, "  90th percentile, days", p90);
	if (!err)
		err = text_row(t, "", "");
	if (!err)
		err = stat_row(t, "", "REPORTED EXTERNALLY", st->external_any, 0, 0);
	for (int r = 0; r < KT_RECIPIENTS && !err; r++)
		err = stat_row(t, "  ", kt_recipient_name((enum kt_recipient)r), st->external[r], 0,
			       0);
	if (!err)
		err = text_row(t, "", "");
	if (!err)
		err = stat_row(t, "", "PERSONVERN", st->personvern, 0, 0);
	if (!err)
		err = stat_row(t, "  ", "reported to Datatilsynet", st->to_datatilsynet, 0, 0);
	if (!err)
		err =
		    stat_row(t, "    ", "in time (72 hours)", st->notify[KT_NOTIFY_IN_TIME], 0, 0);
	if (!err)
		err = stat_row(t, "    ", "late", st->notify[KT_NOTIFY_LATE], 0, 0);
	if (!err)
		err = stat_row(t, "  ", "not required", st->notify[KT_NOTIFY_NOT_REQUIRED], 0, 0);
	if (!err)
		err = stat_row(t, "  ", "pending (within 72 hours)", st->notify[KT_NOTIFY_PENDING],
			       0, 0);
	if (!err)
		err = stat_row(t, "  ", "overdue (72 hours over)", st->notify[KT_NOTIFY_OVERDUE], 0,
			       0);
	return err;
}

static int stats_table(const struct report *rep)
{
	const struct kt_incident_stats *st = &rep->st;
	char now[2 * KT_TIME_TEXT_MAX + 4], before[2 * KT_TIME_TEXT_MAX + 4];
	const char *headers[] = { "", now, before, "CHANGE" };
	struct cli_table t = { 4, headers, "lrrr", NULL, 0, 0 };
	if (rep->year) {
		snprintf(now, sizeof now, "%d", rep->year);
		snprintf(before, sizeof before, "%d", rep->year - 1);
	} else {
		period_text(st->from, st->to, now);
		period_text(st->prev_from, st->prev_to, before);
	}
	int err = counts_table(&t, rep);
	if (!err)
		err = state_table(&t, rep);
	if (!err) {
		char a[2 * KT_TIME_TEXT_MAX + 4], b[2 * KT_TIME_TEXT_MAX + 4];
		period_text(st->from, st->to, a);
		period_text(st->prev_from, st->prev_to, b);
		char end[KT_TIME_TEXT_MAX];
		cli_people_date(st->to, end);
		printf("Registered %s, compared with %s; as of %s.\n\n", a, b, end);
		cli_table_print(&t, "");
	}
	cli_table_free(&t);
	return err;
}

/* ---- stats for programs ---- */

/* A rounded figure as a JSON number: the change (one decimal), days. */
static json_t *jfigure(int has, const char *text)
{
	return has ? json_real(strtod(text, NULL)) : json_null();
}

static json_t *jcount(uint64_t v)
{
	return json_integer((json_int_t)v);
}

/* Append v to array; a NULL v (out of memory) marks *failed. */
static void jappend(json_t *array, json_t *v, int *failed)
{
	if (!array)
		json_decref(v);
	if (!v || !array || json_array_append_new(array, v))
		*failed = 1;
}

static void jset(json_t *obj, const char *key, json_t *v, int *failed)
{
	if (!obj)
		json_decref(v);
	if (!v || !obj || json_object_set_new(obj, key, v))
		*failed = 1;
}

/* Set "count", "previous" and "change_percent" of o. */
static void jcounts(json_t *o, uint64_t now, uint64_t before, int *failed)
{
	char c[32];
	int has = change_text(before, now, c);
	jset(o, "count", jcount(now), failed);
	jset(o, "previous", jcount(before), failed);
	jset(o, "change_percent", jfigure(has, c), failed);
}

/* {key: name, "count", "previous", "change_percent"}; without key when it
 * is NULL. */
static json_t *jcompare(const char *key, const char *name, uint64_t now, uint64_t before,
			int *failed)
{
	json_t *o = json_object();
	if (key)
		jset(o, key, json_string(name), failed);
	jcounts(o, now, before, failed);
	return o;
}

static json_t *jperiod(int64_t from, int64_t to)
{
	char a[KT_TIME_TEXT_MAX], b[KT_TIME_TEXT_MAX];
	kt_time_format_date(from, a);
	kt_time_format_date(to, b);
	return json_pack("{s:s, s:s}", "from", a, "to", b);
}

static json_t *jareas(const struct report *rep, int *failed)
{
	const struct kt_incident_stats *st = &rep->st;
	json_t *areas = json_array();
	for (int a = 0; a < KT_AREAS && !*failed; a++) {
		const struct kt_area *ar = kt_area_at((size_t)a);
		json_t *o = json_object(), *units = json_array();
		size_t n;
		uint32_t *list = units_of(rep, a, &n);
		if (!list)
			*failed = 1;
		for (size_t k = 0; list && k < n; k++)
			jappend(units,
				jcompare("unit", kt_incidents_name(rep->m, list[k]),
					 st->now.unit[list[k]], st->before.unit[list[k]], failed),
				failed);
		free(list);
		jset(o, "area", json_string(ar->key), failed);
		jset(o, "name", json_string(ar->name), failed);
		jcounts(o, st->now.area[a], st->before.area[a], failed);
		jset(o, "open_at_end", jcount(st->open_at_end_area[a]), failed);
		jset(o, "units", units, failed);
		jappend(areas, o, failed);
	}
	return areas;
}

static int stats_json(const struct report *rep)
{
	const struct kt_incident_stats *st = &rep->st;
	json_t *o = json_object(), *cats = json_array(), *types = json_array();
	json_t *ext = json_object(), *pv = json_object();
	char median[32], p90[32];
	int failed = 0;
	jset(o, "period", jperiod(st->from, st->to), &failed);
	jset(o, "previous_period", jperiod(st->prev_from, st->prev_to), &failed);
	jset(o, "registered", jcompare(NULL, NULL, st->now.total, st->before.total, &failed),
	     &failed);
	for (int c = 0; c < KT_CATEGORIES; c++)
		jappend(cats,
			jcompare("category", kt_category_key((enum kt_incident_category)c),
				 st->now.category[c], st->before.category[c], &failed),
			&failed);
	jset(o, "categories", cats, &failed);
	jset(o, "areas", jareas(rep, &failed), &failed);
	for (int k = 0; k <= KT_TYPES; k++)
		jappend(types,
			jcompare("type",
				 k < KT_TYPES ? kt_incident_type_key((enum kt_incident_type)k)
					      : "untriaged",
				 st->now.type[k], st->before.type[k], &failed),
			&failed);
	jset(o, "types", types, &failed);
	jset(o, "open_at_end", jcount(st->open_at_end), &failed);
	jset(o, "closed", jcount(st->closed), &failed);
	days_text(st->close_days_median, median);
	days_text(st->close_days_p90, p90);
	jset(o, "close_days_median", jfigure(!isnan(st->close_days_median), median), &failed);
	jset(o, "close_days_p90", jfigure(!isnan(st->close_days_p90), p90), &failed);
	for (int r = 0; r < KT_RECIPIENTS; r++)
		jset(ext, kt_recipient_key((enum kt_recipient)r), jcount(st->external[r]), &failed);
	jset(ext, "any", jcount(st->external_any), &failed);
	jset(o, "reported_externally", ext, &failed);
	jset(pv, "count", jcount(st->personvern), &failed);
	jset(pv, "datatilsynet", jcount(st->to_datatilsynet), &failed);
	for (int s = KT_NOTIFY_IN_TIME; s <= KT_NOTIFY_OVERDUE; s++)
		jset(pv, notify_key((enum kt_notify_status)s), jcount(st->notify[s]), &failed);
	jset(o, "personvern", pv, &failed);
	if (!failed) {
		/* 15 digits: a figure rounded to one decimal prints as such. */
		json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		fputc('\n', stdout);
	}
	json_decref(o);
	return failed ? KT_ENOMEM : KT_OK;
}

/* One CSV line of the stats: section,key,area,value,previous,change_percent. */
static void csv_line(const char *section, const char *key, const char *area, const char *value,
		     const char *previous, const char *change)
{
	const char *f[] = { section, key, area, value, previous, change };
	for (size_t k = 0; k < 6; k++)
		cli_csv_field(f[k], strlen(f[k]), k < 5 ? ',' : 0);
	fputc('\n', stdout);
}

static void csv_compare(const char *section, const char *key, const char *area, uint64_t now,
			uint64_t before)
{
	char a[24], b[24], c[32];
	snprintf(a, sizeof a, "%llu", (unsigned long long)now);
	snprintf(b, sizeof b, "%llu", (unsigned long long)before);
	change_text(before, now, c);
	csv_line(section, key, area, a, b, c);
}

static void csv_count(const char *section, const char *key, uint64_t v)
{
	char a[24];
	snprintf(a, sizeof a, "%llu", (unsigned long long)v);
	csv_line(section, key, "", a, "", "");
}

static void csv_date(const char *key, int64_t us)
{
	char d[KT_TIME_TEXT_MAX];
	kt_time_format_date(us, d);
	csv_line("period", key, "", d, "", "");
}

static int stats_csv(const struct report *rep)
{
	const struct kt_incident_stats *st = &rep->st;
	char d[32];
	fputs("section,key,area,value,previous,change_percent\n", stdout);
	csv_date("from", st->from);
	csv_date("to", st->to);
	csv_date("previous_from", st->prev_from);
	csv_date("previous_to", st->prev_to);
	csv_compare("registered", "total", "", st->now.total, st->before.total);
	for (int c = 0; c < KT_CATEGORIES; c++)
		csv_compare("category", kt_category_key((enum kt_incident_category)c), "",
			    st->now.category[c], st->before.category[c]);
	for (int a = 0; a < KT_AREAS; a++) {
		const char *key = kt_area_at((size_t)a)->key;
		size_t n;
		uint32_t *units = units_of(rep, a, &n);
		if (!units)
			return KT_ENOMEM;
		csv_compare("area", key, "", st->now.area[a], st->before.area[a]);
		for (size_t k = 0; k < n; k++)
			csv_compare("unit", kt_incidents_name(rep->m, units[k]), key,
				    st->now.unit[units[k]], st->before.unit[units[k]]);
		free(units);
	}
	for (int k = 0; k <= KT_TYPES; k++)
		csv_compare("type",
			    k < KT_TYPES ? kt_incident_type_key((enum kt_incident_type)k)
					 : "untriaged",
			    "", st->now.type[k], st->before.type[k]);
	csv_count("open_at_end", "total", st->open_at_end);
	for (int a = 0; a < KT_AREAS; a++)
		csv_count("open_at_end", kt_area_at((size_t)a)->key, st->open_at_end_area[a]);
	csv_count("closed", "total", st->closed);
	days_text(st->close_days_median, d);
	csv_line("close_days", "median", "", isnan(st->close_days_median) ? "" : d, "", "");
	days_text(st->close_days_p90, d);
	csv_line("close_days", "p90", "", isnan(st->close_days_p90) ? "" : d, "", "");
	for (int r = 0; r < KT_RECIPIENTS; r++)
		csv_count("reported_externally", kt_recipient_key((enum kt_recipient)r),
			  st->external[r]);
	csv_count("reported_externally", "any", st->external_any);
	csv_count("personvern", "count", st->personvern);
	csv_count("personvern", "datatilsynet", st->to_datatilsynet);
	for (int s = KT_NOTIFY_IN_TIME; s <= KT_NOTIFY_OVERDUE; s++)
		csv_count("personvern", notify_key((enum kt_notify_status)s), st->notify[s]);
	return KT_OK;
}

static int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "known-at", required_argument, NULL, CLI_OPT_KNOWN_AT },
		{ "no-snapshots", no_argument, NULL, CLI_OPT_NO_SNAPSHOTS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 },
	};
	struct view_args a = VIEW_ARGS_INIT;
	int rc = parse_view(argc, argv, opts, stats_usage, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (a.from == KT_TIME_UNSET || a.to == KT_TIME_UNSET) {
		cli_error("which period? give --year Y, or --from D and --to D");
		return EXIT_USAGE;
	}
	if (a.to < a.from) {
		cli_error("--to is before --from");
		return EXIT_INPUT;
	}
	a.moment.as_of = a.to;
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_incidents model;
	struct report rep;
	memset(&rep, 0, sizeof rep);
	rep.year = a.year;
	if ((rc = cli_load_incidents(s, &a.moment, &model)))
		goto close;
	rep.m = &model;
	int err = compute(&model, a.from, a.to, &rep);
	if (!err)
		err = a.format == FORMAT_TABLE	? stats_table(&rep)
		      : a.format == FORMAT_JSON ? stats_json(&rep)
						: stats_csv(&rep);
	if (err) {
		cli_error("%s", kt_strerror(err));
		rc = cli_exit_for(err);
	}
	free(rep.unit_area);
	kt_incident_stats_free(&rep.st);
	kt_incidents_free(&model);
close:
	kt_store_close(s);
	return rc;
}

/* ---- the command table ------------------------------------------------- */

const struct cli_command cli_incident_view_commands[] = {
	{ "incidents", "list incidents (Kvaliteket) with filters; `incidents stats` for a period",
	  incidents_usage, cmd_incidents },
	{ NULL, NULL, NULL, NULL },
};
