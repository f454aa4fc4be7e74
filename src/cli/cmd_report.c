/*
 * cmd_report.c — `kontroll report annual`: the internal-control chapters of
 * the municipality's annual report, computed from the events as they stood
 * at the end of the year (or --as-of): the state supervisory inspections
 * (Rapportering av statlige tilsyn), the Kvaliteket figures, and goal
 * achievement per area. The report speaks Norwegian, as the annual report
 * it belongs in does; doc.h writes it as Markdown, HTML or CSV.
 */
#include "cli.h"
#include "doc.h"
#include "goal_cli.h"
#include "incident_cli.h"
#include "inspection_cli.h"
#include "render.h"
#include "stream.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/goals.h"
#include "kontroll/incidents.h"
#include "kontroll/inspections.h"
#include "kontroll/ktime.h"
#include "kontroll/organisation.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char report_usage[] =
    "usage: kontroll report annual --year Y [--as-of DATE] [--known-at TIME]\n"
    "                              [--no-snapshots] [--format md|html|csv]\n"
    "                              [--db PATH]\n"
    "\n"
    "The internal-control chapters of the annual report for year Y, computed\n"
    "from the events, in Norwegian: the state supervisory inspections\n"
    "(\"Rapportering av statlige tilsyn\": the count per authority, the table,\n"
    "each inspection's findings and orders with their deadlines, and where\n"
    "each stood), the Kvaliteket figures (registered, change from the year\n"
    "before, not closed at the end, per area, personvern), and goal\n"
    "achievement per area with every goal's assessment.\n"
    "\n"
    "  --year Y         the year reported on (required)\n"
    "  --as-of DATE     as things stood at the end of DATE (default 31.12.Y);\n"
    "                   the Kvaliteket figures then cover 1.1.Y to DATE\n"
    "  --known-at TIME  as kontroll showed it at TIME: only events recorded by\n"
    "                   then (YYYY-MM-DD means the end of that day, UTC)\n"
    "  --no-snapshots   replay the whole log, trusting no snapshot\n"
    "  --format F       md (Markdown, default), html (a standalone page) or csv\n"
    "                   (one line per table cell: section,key,field,value)\n"
    "  --db PATH        the store file\n"
    "\n"
    "The same store and options give the same bytes.\n";

static void print_report_usage(void)
{
	fputs(report_usage, stdout);
}

enum { OPT_YEAR = CLI_OPT_MOMENT_END, OPT_FORMAT };

struct report_args {
	int year;
	struct cli_moment moment;
	enum doc_format format;
	const char *db;
};

/* What every section needs: the options, and the store read. */
struct report {
	struct report_args a;
	enum doc_format f;
	kt_store *s;
	kt_reader *r;		  /* for the texts the models do not keep */
	char as_of[DOC_CELL_MAX]; /* the day reported at, for people */
};

/* ---- texts ------------------------------------------------------------ */

/* The text of field in a payload, into out (NUL-terminated, cut to size),
 * or fallback when absent. */
static const char *payload_text(const uint8_t *data, size_t len, const char *field,
				const char *fallback, char *out, size_t size)
{
	const char *s;
	size_t n;
	if (!data || kt_data_get_str(data, len, field, &s, &n))
		return fallback;
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), s);
	return out;
}

/* The payload of event id of the stream as it stands (corrections applied),
 * or NULL. */
static const uint8_t *current(const struct cli_stream *cs, const uint8_t id[16], size_t *len)
{
	const uint8_t *data;
	if (!cli_stream_current(cs, id, &data, len))
		return NULL;
	return data;
}

/* "08.2025", "2025", "senest 31.12.2025" or "01.08.2025": the day of a step
 * as precisely as the event that records it knows it, into out of
 * DAY_TEXT_MAX bytes. */
#define DAY_TEXT_MAX (DOC_CELL_MAX + 8)
static void step_day(const struct report *rep, const struct cli_stream *cs, const uint8_t id[16],
		     int64_t day, char *out)
{
	size_t len;
	const uint8_t *data = current(cs, id, &len);
	enum kt_date_precision precision = data ? kt_date_precision_of(data, len) : KT_DATE_DAY;
	char date[DOC_CELL_MAX];
	if (rep->f == DOC_CSV) {
		doc_date(rep->f, day, out);
	} else if (precision != KT_DATE_ON_OR_BEFORE) {
		cli_people_date_as(day, precision, out);
	} else {
		doc_date(rep->f, day, date);
		snprintf(out, DAY_TEXT_MAX, "senest %s", date);
	}
}

/* ---- Rapportering av statlige tilsyn ------------------------------------ */

static int compare_case(const void *pa, const void *pb)
{
	const struct kt_inspection *a = *(const struct kt_inspection *const *)pa;
	const struct kt_inspection *b = *(const struct kt_inspection *const *)pb;
	return cli_compare_case(a->case_number, b->case_number);
}

/* The inspections the report of the year counts, by case number, in a new
 * array (*n; NULL when none or out of memory, *err telling which). */
static const struct kt_inspection **inspections_of(const struct kt_inspections *m, int year,
						   size_t *n, int *err)
{
	*n = 0;
	*err = KT_OK;
	if (!m->n)
		return NULL;
	const struct kt_inspection **rows = malloc(m->n * sizeof *rows);
	if (!rows) {
		*err = KT_ENOMEM;
		return NULL;
	}
	for (size_t k = 0; k < m->n; k++)
		if (m->items[k].case_number && kt_inspection_report_year(&m->items[k]) == year)
			rows[(*n)++] = &m->items[k];
	qsort(rows, *n, sizeof *rows, compare_case);
	return rows;
}

static size_t live_orders(const struct kt_inspection *in)
{
	size_t n = 0;
	for (size_t k = 0; k < in->n_orders; k++)
		n += !in->orders[k].retracted;
	return n;
}

static size_t live_findings(const struct kt_inspection *in)
{
	size_t n = 0;
	for (size_t k = 0; k < in->n_findings; k++)
		n += !in->findings[k].retracted;
	return n;
}

static int closed(const struct kt_inspection *in)
{
	enum kt_inspection_status st = kt_inspection_status(in);
	return st == KT_INSPECTION_CLOSED || st == KT_INSPECTION_TRANSFERRED;
}

/* Where an inspection stood, in the report's words. */
static void status_text(const struct report *rep, const struct kt_inspection *in,
			const struct cli_stream *cs, char *out, size_t size)
{
	char day[DAY_TEXT_MAX];
	switch (kt_inspection_status(in)) {
	case KT_INSPECTION_ANNOUNCED:
		snprintf(out, size, "varslet");
		break;
	case KT_INSPECTION_OPEN:
		snprintf(out, size, "%s",
			 in->steps[KT_STEP_NO_FINDINGS].date != KT_TIME_UNSET
			     ? "ingen funn, ikke lukket"
			     : "åpent");
		break;
	case KT_INSPECTION_FINDINGS:
		snprintf(out, size, "funn, ingen åpne pålegg");
		break;
	case KT_INSPECTION_ORDERS_OPEN:
		snprintf(out, size, "%zu av %zu pålegg og frister åpne",
			 kt_inspection_orders_open(in), live_orders(in));
		break;
	case KT_INSPECTION_CLOSED:
		step_day(rep, cs, in->steps[KT_STEP_CLOSED].source, in->steps[KT_STEP_CLOSED].date,
			 day);
		snprintf(out, size, "lukket %s", day);
		break;
	case KT_INSPECTION_TRANSFERRED:
		step_day(rep, cs, in->transfer_source, in->transfer_date, day);
		snprintf(out, size, "lukket %s, overført til %s", day, in->transferred_to);
		break;
	}
}

/* How many items a finding stands for: its count ("8 avvik"), else 1. */
static int64_t finding_count(const struct cli_stream *cs, const struct kt_finding *fi)
{
	size_t len;
	const uint8_t *data = current(cs, fi->source, &len);
	int64_t n;
	if (!data || kt_data_get_int(data, len, "count", &n) || n < 1)
		return 1;
	return n;
}

/* "2 lovbrudd, 8 avvik", "ingen funn", or "—" when nothing is known yet:
 * the items of the findings by kind, each finding as many as its count. */
static void findings_text(const struct kt_inspection *in, const struct cli_stream *cs, char *out,
			  size_t size)
{
	static const char *const plural[KT_FINDING_KINDS] = {
		[KT_FINDING_LOVBRUDD] = "lovbrudd",
		[KT_FINDING_AVVIK] = "avvik",
		[KT_FINDING_MERKNAD] = "merknader",
		[KT_FINDING_FORBEDRINGSPUNKT] = "forbedringspunkter",
	};
	struct cli_line l = { .n = 0, .buf = "" };
	int64_t items[KT_FINDING_KINDS] = { 0 };
	for (size_t k = 0; k < in->n_findings; k++)
		if (!in->findings[k].retracted)
			items[in->findings[k].kind] += finding_count(cs, &in->findings[k]);
	for (int k = 0; k < KT_FINDING_KINDS; k++) {
		long long n = (long long)items[k];
		if (n)
			cli_line_add(&l, "%s%lld %s", l.n ? ", " : "", n,
				     n == 1 ? kt_finding_kind_name((enum kt_finding_kind)k)
					    : plural[k]);
	}
	if (!l.n)
		cli_line_add(&l, "%s",
			     in->steps[KT_STEP_NO_FINDINGS].date != KT_TIME_UNSET ? "ingen funn"
										  : "—");
	size_t n = l.n < size - 1 ? l.n : size - 1;
	memcpy(out, l.buf, n);
	out[n] = 0;
}

struct authority_count {
	const char *name;
	size_t inspections, with_findings, with_orders, closed, orders_open;
};

static int compare_authority(const void *pa, const void *pb)
{
	const struct authority_count *a = pa, *b = pb;
	if (a->inspections != b->inspections)
		return a->inspections > b->inspections ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The count per authority, most inspections first: a new array of *n. */
static struct authority_count *count_authorities(const struct kt_inspection *const *rows,
						 size_t n_rows, size_t *n)
{
	struct authority_count *c = calloc(n_rows ? n_rows : 1, sizeof *c);
	*n = 0;
	if (!c)
		return NULL;
	for (size_t k = 0; k < n_rows; k++) {
		const struct kt_inspection *in = rows[k];
		size_t i = 0;
		while (i < *n && strcmp(c[i].name, in->authority))
			i++;
		if (i == *n)
			c[(*n)++].name = in->authority;
		c[i].inspections++;
		c[i].with_findings += live_findings(in) > 0;
		c[i].with_orders += live_orders(in) > 0;
		c[i].closed += closed(in);
		c[i].orders_open += kt_inspection_orders_open(in);
	}
	qsort(c, *n, sizeof *c, compare_authority);
	return c;
}

static int authority_table(const struct report *rep, const struct kt_inspection *const *rows,
			   size_t n_rows)
{
	static const char *const keys[] = { "authority",   "inspections", "with_findings",
					    "with_orders", "closed",	  "orders_open" };
	char closed_header[64];
	snprintf(closed_header, sizeof closed_header, "Lukket per %s", rep->as_of);
	const char *headers[] = { "Tilsynsmyndighet", "Tilsyn",	     "Med funn",
				  "Med pålegg/frist", closed_header, "Åpne pålegg/frister" };
	struct cli_table t = CLI_TABLE_INIT(headers, "lrrrrr");
	size_t n;
	struct authority_count *c = count_authorities(rows, n_rows, &n);
	if (!c)
		return KT_ENOMEM;
	int err = KT_OK;
	struct authority_count total = { .name = "I alt" };
	/* The total line, when there is anything to add up. */
	for (size_t k = 0; k < n + (n > 0) && !err; k++) {
		const struct authority_count *a = k < n ? &c[k] : &total;
		if (k < n) {
			total.inspections += a->inspections;
			total.with_findings += a->with_findings;
			total.with_orders += a->with_orders;
			total.closed += a->closed;
			total.orders_open += a->orders_open;
		}
		char v[5][DOC_CELL_MAX];
		size_t figures[5] = { a->inspections, a->with_findings, a->with_orders, a->closed,
				      a->orders_open };
		for (int i = 0; i < 5; i++)
			doc_count(rep->f, figures[i], v[i]);
		const char *cells[] = { a->name, v[0], v[1], v[2], v[3], v[4] };
		err = cli_table_add(&t, cells);
	}
	if (!err && n) {
		/* The sentence the annual report opens the chapter with. */
		struct cli_line l = { .n = 0, .buf = "" };
		for (size_t k = 0; k < n; k++)
			cli_line_add(&l, "%s%zu fra %s",
				     k == 0	  ? ""
				     : k + 1 == n ? " og "
						  : ", ",
				     c[k].inspections, c[k].name);
		doc_paragraph(rep->f, "I %d er det registrert %zu statlige tilsyn: %s.",
			      rep->a.year, total.inspections, l.buf);
	}
	if (!err)
		doc_table(rep->f, "Tilsyn per tilsynsmyndighet", "tilsyn_per_myndighet", keys, &t,
			  "Ingen statlige tilsyn er registrert for året.");
	free(c);
	cli_table_free(&t);
	return err;
}

/* The inspection table, the findings and the orders, read with each
 * inspection's stream for the texts. */
struct inspection_tables {
	struct cli_table overview, findings, orders;
};

static const char *const overview_keys[] = { "case_number", "authority", "unit",     "date",
					     "law",	    "theme",	 "findings", "status" };
static const char *const overview_headers[] = {
	"Saksnr.", "Tilsynsmyndighet", "Enhet", "Dato", "Lov/forskrift", "Tema", "Funn", "Status"
};
static const char *const finding_keys[] = { "finding", "kind", "count", "text", "status" };
static const char *const finding_headers[] = { "Funn", "Type", "Antall", "Beskrivelse", "Status" };
static const char *const order_keys[] = { "order", "kind", "text", "deadline", "status" };
static const char *const order_headers[] = { "Pålegg/frist", "Type", "Krav", "Frist", "Status" };

static const char *order_kind_text(const uint8_t *data, size_t len, char *out, size_t size)
{
	char buf[32];
	const char *kind = payload_text(data, len, "kind", "palegg", buf, sizeof buf);
	if (!strcmp(kind, "palegg"))
		return "pålegg";
	if (!strcmp(kind, "krav_om_opplysninger"))
		return "krav om opplysninger";
	if (!strcmp(kind, "frist_for_retting"))
		return "frist for retting";
	if (!strcmp(kind, "svarfrist"))
		return "svarfrist";
	return payload_text(data, len, "kind_text", "annet", out, size);
}

static int add_finding(const struct report *rep, const struct kt_inspection *in,
		       const struct kt_finding *fi, const struct cli_stream *cs,
		       struct cli_table *t)
{
	size_t len;
	const uint8_t *data = current(cs, fi->source, &len);
	char label[64], text[8192], status[DAY_TEXT_MAX + 32], day[DAY_TEXT_MAX];
	snprintf(label, sizeof label, "%s/%s", in->case_number, fi->label);
	status[0] = 0;
	if (fi->waived) {
		size_t wlen;
		const uint8_t *w = current(cs, fi->waived_source, &wlen);
		int64_t date = KT_TIME_UNSET;
		if (w)
			kt_data_get_date(w, wlen, "date", &date);
		step_day(rep, cs, fi->waived_source, date, day);
		snprintf(status, sizeof status, "kravet frafalt %s", day);
	}
	char count[DOC_CELL_MAX];
	doc_count(rep->f, (uint64_t)finding_count(cs, fi), count);
	const char *row[] = { label, kt_finding_kind_name(fi->kind), count,
			      payload_text(data, len, "text", "", text, sizeof text), status };
	return cli_table_add(t, row);
}

static void order_status_text(const struct report *rep, const struct kt_order *o,
			      const struct cli_stream *cs, int64_t as_of, char *out, size_t size)
{
	static const char *const done[] = { [KT_ORDER_FULFILLED] = "oppfylt",
					    [KT_ORDER_WAIVED] = "frafalt",
					    [KT_ORDER_ANNULLED] = "opphevet" };
	char day[DAY_TEXT_MAX];
	if (o->status != KT_ORDER_OPEN) {
		step_day(rep, cs, o->status_source, o->status_date, day);
		snprintf(out, size, "%s %s", done[o->status], day);
		return;
	}
	int64_t deadline = kt_order_deadline(o);
	snprintf(out, size, "%s%s%s", "åpen",
		 deadline != KT_TIME_UNSET && deadline < cli_day_start(as_of)
		     ? ", fristen er passert"
		     : "",
		 o->appealed ? ", påklaget" : "");
}

static int add_order(const struct report *rep, const struct kt_inspection *in,
		     const struct kt_order *o, const struct cli_stream *cs, struct cli_table *t)
{
	size_t len;
	const uint8_t *data = current(cs, o->source, &len);
	char label[64], kind[256], text[8192], deadline[256], status[128];
	snprintf(label, sizeof label, "%s/%s", in->case_number, o->label);
	const char *wording = kt_order_deadline_text(o);
	int64_t day = kt_order_deadline(o);
	char date[DOC_CELL_MAX];
	doc_date(rep->f, day, date);
	if (day == KT_TIME_UNSET)
		snprintf(deadline, sizeof deadline, "%s", rep->f == DOC_CSV ? "" : "—");
	else if (wording && rep->f != DOC_CSV)
		snprintf(deadline, sizeof deadline, "%s (%s)", wording, date);
	else
		snprintf(deadline, sizeof deadline, "%s", date);
	order_status_text(rep, o, cs, rep->a.moment.as_of, status, sizeof status);
	const char *title = payload_text(data, len, "title", NULL, text, sizeof text);
	const char *row[] = { label, order_kind_text(data, len, kind, sizeof kind),
			      title ? title
				    : payload_text(data, len, "text", "", text, sizeof text),
			      deadline, status };
	return cli_table_add(t, row);
}

static int add_inspection(const struct report *rep, const struct kt_inspection *in,
			  struct inspection_tables *tt)
{
	struct cli_stream cs = CLI_STREAM_INIT;
	int err = cli_stream_read(rep->r, &rep->a.moment, in->stream, &cs);
	size_t len;
	const uint8_t *opened = err ? NULL : current(&cs, in->id, &len);
	char date[256], findings[256], status[512], from[DOC_CELL_MAX], to[DOC_CELL_MAX];
	doc_date(rep->f, in->date_from, from);
	doc_date(rep->f, in->date_to, to);
	if (in->date_to != KT_TIME_UNSET)
		snprintf(date, sizeof date, "%s – %s", from, to);
	else
		snprintf(date, sizeof date, "%s", from);
	/* The date as the authority's table writes it, when it was kept. */
	char written[256];
	const char *shown = rep->f == DOC_CSV ? date
					      : payload_text(opened, len, "date_text", date,
							     written, sizeof written);
	findings_text(in, &cs, findings, sizeof findings);
	status_text(rep, in, &cs, status, sizeof status);
	const char *row[] = { in->case_number, in->authority, in->unit, shown,
			      in->law,	       in->theme,     findings, status };
	if (!err)
		err = cli_table_add(&tt->overview, row);
	for (size_t k = 0; !err && k < in->n_findings; k++)
		if (!in->findings[k].retracted)
			err = add_finding(rep, in, &in->findings[k], &cs, &tt->findings);
	for (size_t k = 0; !err && k < in->n_orders; k++)
		if (!in->orders[k].retracted)
			err = add_order(rep, in, &in->orders[k], &cs, &tt->orders);
	cli_stream_free(&cs);
	return err;
}

static int inspections_section(struct report *rep)
{
	struct kt_inspections model;
	int rc = cli_load_inspections(rep->s, &rep->a.moment, &model);
	if (rc)
		return -rc;
	size_t n = 0;
	int err;
	const struct kt_inspection **rows = inspections_of(&model, rep->a.year, &n, &err);
	struct inspection_tables tt = {
		.overview = CLI_TABLE_INIT(overview_headers, "llllllll"),
		.findings = CLI_TABLE_INIT(finding_headers, "llrll"),
		.orders = CLI_TABLE_INIT(order_headers, "lllll"),
	};
	doc_heading(rep->f, 2, "Rapportering av statlige tilsyn");
	if (!err)
		err = authority_table(rep, rows, n);
	for (size_t k = 0; !err && k < n && !cli_interrupted; k++)
		err = add_inspection(rep, rows[k], &tt);
	if (!err && n) {
		char caption[128];
		snprintf(caption, sizeof caption, "Statlige tilsyn %d, status per %s", rep->a.year,
			 rep->as_of);
		doc_table(rep->f, caption, "tilsyn", overview_keys, &tt.overview, "");
		doc_table(rep->f, "Funn", "funn", finding_keys, &tt.findings,
			  "Ingen funn er registrert.");
		snprintf(caption, sizeof caption, "Pålegg og frister, status per %s", rep->as_of);
		doc_table(rep->f, caption, "palegg", order_keys, &tt.orders,
			  "Ingen pålegg eller frister er registrert.");
	}
	cli_table_free(&tt.overview);
	cli_table_free(&tt.findings);
	cli_table_free(&tt.orders);
	free(rows);
	kt_inspections_free(&model);
	return err;
}

/* ---- Kvaliteket --------------------------------------------------------- */

static int area_line(const struct report *rep, struct cli_table *t, const char *name, uint64_t now,
		     uint64_t before, uint64_t open)
{
	char v[4][DOC_CELL_MAX];
	doc_count(rep->f, now, v[0]);
	doc_count(rep->f, before, v[1]);
	doc_percent(rep->f, kt_change_percent(before, now), v[2]);
	doc_count(rep->f, open, v[3]);
	const char *cells[] = { name, v[0], v[1], v[2], v[3] };
	return cli_table_add(t, cells);
}

/* The same days of the year before: 1.1.–31.5.2024 for 1.1.–31.5.2025
 * (a 29 February ends on the 28th). to is the end of a day. */
static void same_days_year_before(int64_t from, int64_t to, int64_t *prev_from, int64_t *prev_to)
{
	char day[KT_TIME_TEXT_MAX];
	kt_time_format_date(to, day);
	int y = atoi(day), m = atoi(day + 5), d = atoi(day + 8);
	int64_t first = kt_time_days_from_civil(y - 1, m, 1);
	int64_t next =
	    m == 12 ? kt_time_days_from_civil(y, 1, 1) : kt_time_days_from_civil(y - 1, m + 1, 1);
	int64_t last = first + d - 1 < next - 1 ? first + d - 1 : next - 1;
	kt_time_format_date(from, day);
	*prev_from =
	    kt_time_days_from_civil(atoi(day) - 1, atoi(day + 5), atoi(day + 8)) * KT_US_PER_DAY;
	*prev_to = (last + 1) * KT_US_PER_DAY - 1;
}

static int incidents_section(struct report *rep)
{
	/* The year so far, as of the end of the year or the --as-of day. */
	int64_t from = kt_time_days_from_civil(rep->a.year, 1, 1) * KT_US_PER_DAY;
	int64_t to = kt_goal_year_end(rep->a.year);
	if (rep->a.moment.as_of < to)
		to = rep->a.moment.as_of;
	struct cli_moment m = rep->a.moment;
	m.as_of = to;
	struct kt_incidents model;
	int rc = cli_load_incidents(rep->s, &m, &model);
	if (rc)
		return -rc;
	int64_t prev_from, prev_to;
	same_days_year_before(from, to, &prev_from, &prev_to);
	struct kt_incident_stats st;
	int err = kt_incident_stats(&model, from, to, prev_from, prev_to, &st);
	doc_heading(rep->f, 2, "Avvik og hendelser i Kvaliteket");
	char now_header[32], before_header[2 * DOC_CELL_MAX + 4], from_text[DOC_CELL_MAX],
	    to_text[DOC_CELL_MAX];
	doc_date(DOC_MARKDOWN, prev_from, from_text);
	doc_date(DOC_MARKDOWN, prev_to, to_text);
	snprintf(now_header, sizeof now_header, "%d", rep->a.year);
	if (prev_to == kt_goal_year_end(rep->a.year - 1) &&
	    prev_from == kt_time_days_from_civil(rep->a.year - 1, 1, 1) * KT_US_PER_DAY)
		snprintf(before_header, sizeof before_header, "%d", rep->a.year - 1);
	else
		snprintf(before_header, sizeof before_header, "%s–%s", from_text, to_text);
	static const char *const keys[] = { "area", "registered", "registered_before",
					    "change_percent", "open_at_end" };
	const char *headers[] = { "Byrådsområde", now_header, before_header, "Endring",
				  "Ikke lukket ved periodens slutt" };
	struct cli_table t = CLI_TABLE_INIT(headers, "lrrrr");
	if (!err) {
		char now[DOC_CELL_MAX], before[DOC_CELL_MAX], open[DOC_CELL_MAX],
		    change[DOC_CELL_MAX];
		doc_count(DOC_MARKDOWN, st.now.total, now);
		doc_count(DOC_MARKDOWN, st.before.total, before);
		doc_count(DOC_MARKDOWN, st.open_at_end, open);
		double pct = kt_change_percent(st.before.total, st.now.total);
		doc_percent(DOC_MARKDOWN, fabs(pct), change);
		if (isnan(pct))
			doc_paragraph(rep->f,
				      "I perioden ble det registrert %s hendelser i "
				      "Kvaliteket; perioden før har ingen.",
				      now);
		else
			doc_paragraph(
			    rep->f,
			    "I %s ble det registrert %s hendelser i Kvaliteket, %s %s enn "
			    "i %s (%s). Ved periodens slutt var %s meldinger ikke formelt "
			    "lukket.",
			    now_header, now, change, pct < 0 ? "færre" : "flere", before_header,
			    before, open);
	}
	for (size_t a = 0; !err && a < KT_AREAS; a++)
		if (st.now.area[a] || st.before.area[a] || st.open_at_end_area[a])
			err = area_line(rep, &t, kt_area_at(a)->name, st.now.area[a],
					st.before.area[a], st.open_at_end_area[a]);
	if (!err)
		err = area_line(rep, &t, "I alt", st.now.total, st.before.total, st.open_at_end);
	if (!err)
		doc_table(rep->f, "Hendelser registrert i Kvaliteket, per byrådsområde",
			  "kvaliteket", keys, &t, "");
	cli_table_free(&t);

	static const char *const pv_keys[] = { "kind", "registered",   "reported", "in_time",
					       "late", "not_required", "pending",  "overdue" };
	static const char *const pv_headers[] = { "",
						  "Avvik",
						  "Meldt til Datatilsynet",
						  "Innen 72 t",
						  "Etter 72 t",
						  "Ikke meldepliktig",
						  "Under vurdering",
						  "Frist passert" };
	struct cli_table pv = CLI_TABLE_INIT(pv_headers, "lrrrrrrr");
	if (!err) {
		uint64_t figures[7] = { st.personvern,
					st.to_datatilsynet,
					st.notify[KT_NOTIFY_IN_TIME],
					st.notify[KT_NOTIFY_LATE],
					st.notify[KT_NOTIFY_NOT_REQUIRED],
					st.notify[KT_NOTIFY_PENDING],
					st.notify[KT_NOTIFY_OVERDUE] };
		char v[7][DOC_CELL_MAX];
		for (int k = 0; k < 7; k++)
			doc_count(rep->f, figures[k], v[k]);
		const char *cells[] = { "personvern", v[0], v[1], v[2], v[3], v[4], v[5], v[6] };
		err = cli_table_add(&pv, cells);
		doc_count(DOC_MARKDOWN, st.personvern, v[0]);
		doc_count(DOC_MARKDOWN, st.to_datatilsynet, v[1]);
		doc_paragraph(rep->f,
			      "%s avvik gjaldt personvern; %s av dem ble meldt til Datatilsynet.",
			      v[0], v[1]);
	}
	if (!err)
		doc_table(rep->f, "Avvik som gjelder personvern (72-timersfristen)", "personvern",
			  pv_keys, &pv, "");
	cli_table_free(&pv);
	kt_incident_stats_free(&st);
	kt_incidents_free(&model);
	return err;
}

/* ---- Måloppnåelse ------------------------------------------------------- */

static int goal_summary_table(const struct report *rep, const struct kt_goals *m)
{
	struct kt_goal_summary sum;
	kt_goal_summary(m, rep->a.year, -1, &sum);
	static const char *const keys[] = { "area",   "goals",	      "rows",	  "achieved",
					    "partly", "not_achieved", "on_track", "unassessed" };
	static const char *const headers[] = {
		"Byrådsområde", "Mål",	     "Rader",  "Nådd",
		"Delvis nådd",	"Ikke nådd", "I rute", "Ikke vurdert"
	};
	struct cli_table t = CLI_TABLE_INIT(headers, "lrrrrrrr");
	uint64_t total[7] = { 0 };
	int err = KT_OK;
	int areas = 0;
	for (int a = 0; a < KT_AREAS; a++)
		areas += sum.goals[a] > 0;
	/* The total line, when there is anything to add up. */
	for (int a = 0; a <= KT_AREAS && !err; a++) {
		uint64_t figures[7];
		if (a == KT_AREAS && !areas)
			break;
		if (a < KT_AREAS) {
			if (!sum.goals[a])
				continue;
			figures[0] = sum.goals[a];
			figures[1] = sum.rows[a];
			for (int s = 0; s <= KT_STATUSES; s++)
				figures[2 + s] = sum.status[a][s];
			for (int k = 0; k < 7; k++)
				total[k] += figures[k];
		} else {
			memcpy(figures, total, sizeof figures);
		}
		char v[7][DOC_CELL_MAX];
		for (int k = 0; k < 7; k++)
			doc_count(rep->f, figures[k], v[k]);
		const char *cells[] = { a < KT_AREAS ? kt_area_at((size_t)a)->name : "I alt",
					v[0],
					v[1],
					v[2],
					v[3],
					v[4],
					v[5],
					v[6] };
		err = cli_table_add(&t, cells);
	}
	if (!err) {
		uint64_t assessed = total[1] - total[6];
		doc_paragraph(rep->f,
			      "%llu mål rapporteres for %d, i %llu rader (mål, eller deler av mål "
			      "som vurderes hver for seg). %llu rader er vurdert: %llu nådd, %llu "
			      "delvis nådd, %llu ikke nådd og %llu i rute.",
			      (unsigned long long)total[0], rep->a.year,
			      (unsigned long long)total[1], (unsigned long long)assessed,
			      (unsigned long long)total[2], (unsigned long long)total[3],
			      (unsigned long long)total[4], (unsigned long long)total[5]);
		char caption[96];
		snprintf(caption, sizeof caption, "Måloppnåelse %d per byrådsområde", rep->a.year);
		doc_table(rep->f, caption, "mal_per_omrade", keys, &t,
			  "Ingen mål er registrert for året.");
	}
	cli_table_free(&t);
	return err;
}

struct goal_ref {
	const struct kt_goal *g;
	int area;
};

static int compare_goal_refs(const void *pa, const void *pb)
{
	const struct goal_ref *a = pa, *b = pb;
	if (a->area != b->area)
		return a->area < b->area ? -1 : 1;
	if (a->g->year != b->g->year)
		return a->g->year < b->g->year ? -1 : 1;
	return a->g->seq < b->g->seq ? -1 : a->g->seq > b->g->seq;
}

static int add_goal_rows(const struct report *rep, const struct kt_goal *g,
			 const struct kt_goal_definition *def, struct cli_table *t)
{
	struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
	size_t n;
	kt_goal_rows(g, rep->a.year, rows, KT_GOAL_ROWS_MAX, &n);
	if (n > KT_GOAL_ROWS_MAX)
		n = KT_GOAL_ROWS_MAX;
	int err = KT_OK;
	for (size_t k = 0; k < n && !err; k++) {
		const struct kt_goal_row *r = &rows[k];
		char key[KT_GOAL_NUMBER_SIZE + 256], goal[8400], part[256], wording[256];
		if (r->part.s)
			snprintf(key, sizeof key, "%s/%.*s", g->number, (int)r->part.len,
				 r->part.s);
		else
			snprintf(key, sizeof key, "%s", g->number);
		if (def->title.s)
			snprintf(goal, sizeof goal, "%.*s: %.*s", (int)def->title.len, def->title.s,
				 (int)def->text.len, def->text.s);
		else
			snprintf(goal, sizeof goal, "%.*s", (int)def->text.len, def->text.s);
		cli_text_copy(r->part, part, sizeof part);
		const char *status =
		    r->assessed ? kt_goal_status_name(r->assessment.status) : "ikke vurdert";
		const char *said =
		    r->assessed && r->assessment.wording.s
			? cli_text_copy(r->assessment.wording, wording, sizeof wording)
			: "";
		const char *cells[] = { key,
					kt_area_at((size_t)def->area)->name,
					kt_goal_level_name(def->level),
					goal,
					part,
					status,
					said };
		err = cli_table_add(t, cells);
	}
	return err;
}

static int goal_list_table(const struct report *rep, const struct kt_goals *m)
{
	static const char *const keys[] = { "goal", "area",   "level",	"text",
					    "part", "status", "wording" };
	static const char *const headers[] = { "Nr.",	 "Byrådsområde",      "Nivå", "Mål", "Del",
					       "Status", "Vurdering (ordlyd)" };
	struct cli_table t = CLI_TABLE_INIT(headers, "lllllll");
	struct goal_ref *refs = malloc((m->n ? m->n : 1) * sizeof *refs);
	if (!refs)
		return KT_ENOMEM;
	size_t n = 0;
	struct kt_goal_definition def;
	for (size_t k = 0; k < m->n; k++)
		if (kt_goal_in_year(&m->items[k], rep->a.year, &def))
			refs[n++] = (struct goal_ref){ &m->items[k], def.area };
	qsort(refs, n, sizeof *refs, compare_goal_refs);
	int err = KT_OK;
	for (size_t k = 0; k < n && !err; k++) {
		kt_goal_in_year(refs[k].g, rep->a.year, &def);
		err = add_goal_rows(rep, refs[k].g, &def, &t);
	}
	if (!err) {
		char caption[96];
		snprintf(caption, sizeof caption, "Målene og vurderingen for %d", rep->a.year);
		doc_table(rep->f, caption, "mal", keys, &t, "");
	}
	free(refs);
	cli_table_free(&t);
	return err;
}

static int goals_section(struct report *rep)
{
	struct kt_goals model;
	int rc = cli_load_goals(rep->s, &rep->a.moment, &model);
	if (rc)
		return -rc;
	doc_heading(rep->f, 2, "Måloppnåelse");
	int err = goal_summary_table(rep, &model);
	if (!err)
		err = goal_list_table(rep, &model);
	kt_goals_free(&model);
	return err;
}

/* ---- the command -------------------------------------------------------- */

static int parse_annual(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS, { "year", required_argument, NULL, OPT_YEAR },
		CLI_MOMENT_OPTIONS, { "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = cli_getopt(argc, argv, opts, report_usage, &a->db)) != -1) {
		char *end;
		switch (c) {
		case 'h':
			return -1;
		case ':':
		case '?':
			return cli_usage_error(c, argv[optind - 1]);
		case OPT_YEAR:
			a->year = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || a->year < 1900 || a->year > 9998) {
				cli_error("--year: '%s' is not a year from 1900 to 9998", optarg);
				return EXIT_INPUT;
			}
			break;
		case OPT_FORMAT:
			if (doc_parse_format(optarg, &a->format)) {
				cli_error("--format: '%s' is not one of md, html, csv", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			if (cli_moment_option(c, optarg, &a->moment))
				return EXIT_INPUT;
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (!a->year) {
		cli_error("--year is required (kontroll report annual --year 2025)");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int cmd_annual(int argc, char **argv)
{
	struct report rep = { .a = { .moment = CLI_MOMENT_NOW, .format = DOC_MARKDOWN } };
	int rc = parse_annual(argc, argv, &rep.a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (rep.a.moment.as_of == KT_TIME_MAX)
		rep.a.moment.as_of = kt_goal_year_end(rep.a.year);
	rep.f = rep.a.format;
	doc_date(DOC_MARKDOWN, rep.a.moment.as_of, rep.as_of);
	if ((rc = cli_open_view_store(rep.a.db, &rep.s)))
		return rc;
	int err = kt_reader_begin(rep.s, &rep.r);
	if (err) {
		cli_error("reading the store: %s", kt_strerror(err));
		kt_store_close(rep.s);
		return cli_exit_for(err);
	}
	char title[96];
	snprintf(title, sizeof title, "Årsberetning %d: internkontroll og måloppnåelse",
		 rep.a.year);
	doc_begin(rep.f, title);
	char known[KT_TIME_TEXT_MAX + 64] = "";
	if (rep.a.moment.known_at != KT_TIME_MAX) {
		char t[KT_TIME_TEXT_MAX];
		cli_people_time(rep.a.moment.known_at, 1, t);
		snprintf(known, sizeof known, ", slik kontroll viste dem %s UTC", t);
	}
	/* The log position pins the figures to the events they come from. */
	uint64_t head = kt_reader_head(rep.r);
	if (rep.a.moment.known_at != KT_TIME_MAX)
		kt_reader_position_at(rep.r, rep.a.moment.known_at, &head);
	doc_paragraph(rep.f,
		      "Beregnet fra hendelsene i loggen til og med posisjon %llu, slik de gjaldt "
		      "per %s%s.",
		      (unsigned long long)head, rep.as_of, known);
	int section = inspections_section(&rep);
	if (!section)
		section = incidents_section(&rep);
	if (!section)
		section = goals_section(&rep);
	if (section > 0) {
		cli_error("%s", kt_strerror(section));
		rc = cli_exit_for(section);
	} else if (section < 0) {
		rc = -section; /* the load printed why */
	} else {
		doc_end(rep.f);
	}
	kt_reader_end(rep.r);
	kt_store_close(rep.s);
	return rc;
}

static int run_report(const char *name, int argc, char **argv)
{
	if (!strcmp(name, "annual"))
		return cmd_annual(argc, argv);
	return -1;
}

static int cmd_report(int argc, char **argv)
{
	return cli_run_subcommand(argc, argv, print_report_usage, run_report);
}

const struct cli_command cli_report_commands[] = {
	{ "report", "the annual report's chapters on inspections, Kvaliteket and goals",
	  report_usage, cmd_report },
	{ NULL, NULL, NULL, NULL },
};
