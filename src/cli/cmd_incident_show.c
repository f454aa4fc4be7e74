/*
 * cmd_incident_show.c — `kontroll incident show ID`: one incident whole, its
 * header (number, category, area, unit, days, state, triage, handler, the
 * 72-hour verdict), its reports to outside bodies, its actions, and the
 * timeline of every event of its stream.
 *
 * It folds the incidents model (incidents.h) for the moment asked (--as-of,
 * --known-at) and reads the incident's stream for the texts the model does
 * not keep. Personal data — every field the catalogue marks
 * KT_FIELD_PERSONAL: the description, notes, conclusions, reasons — is shown
 * only with --include-personal; without it a placeholder stands in its place
 * (tables) or the field is left out (JSON, through kt_catalogue_redact).
 * Nothing here appends an event.
 */
#define _POSIX_C_SOURCE 200809L
#include "incident_cli.h"

#include "kontroll/buf.h"
#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/incident_events.h"
#include "kontroll/inspection_events.h" /* event.corrected, event.retracted */
#include "kontroll/json.h"
#include "kontroll/ktime.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define HIDDEN "(personal data hidden; --include-personal)"
/* What stands in for a hidden text; compared by address. */
static const char hidden[] = HIDDEN;
/* Characters of a free text in the WHAT column of the timeline, of the
 * whole column, and of a text cell; a placeholder for hidden personal data
 * (43 characters) is never cut. */
#define WHAT_MAX       72
#define LINE_MAX_CHARS 160
#define CELL_MAX       44

static const char show_usage[] =
    "usage: kontroll incident show ID [--include-personal] [--as-of DATE]\n"
    "                                 [--known-at TIME] [--no-snapshots]\n"
    "                                 [--format table|json] [--db PATH]\n"
    "\n"
    "Show one incident whole: number, category, area, unit, when it occurred and\n"
    "was registered, its state, triage and handler, the 72-hour verdict of a\n"
    "personvern incident, its reports to outside bodies, its actions with due\n"
    "day and state, and the timeline of every event of its stream. ID is the\n"
    "number (H-2025-00042, any case), the stream or year and number (2025-42).\n"
    "\n"
    "  --include-personal  show the free texts that may hold personal data\n"
    "                      (description, notes, conclusion, reasons); without\n"
    "                      it they read " HIDDEN "\n"
    "  --as-of DATE        as things stood on DATE (a date alone: its end, UTC)\n"
    "  --known-at TIME     as kontroll showed it at TIME: only events recorded by then\n"
    "  --no-snapshots      replay the whole log, trusting no snapshot\n"
    "  --format F          table (default) or json (one object)\n"
    "  --db PATH           the store file\n";

/* ---- the incident's file: its events ---------------------------------- */

struct inc_event {
	struct kt_event ev; /* borrowed from the reader */
	char id[KT_ID_TEXT_LEN + 1];
	int visible; /* effective by --as-of */
};

struct inc_file {
	const struct kt_incidents *m;
	const struct kt_incident *in;
	char stream[sizeof KT_INCIDENT_STREAM_PREFIX + KT_INCIDENT_NUMBER_SIZE];
	struct inc_event *events; /* in stream order */
	size_t n;
	size_t id_len; /* characters of an id that tell the events apart */
	int64_t ref;   /* the moment overdue and the 72 hours are judged at */
	int personal;  /* --include-personal */
};

static int is_type(const struct kt_event *ev, const char *type)
{
	return ev->type_len == strlen(type) && memcmp(ev->type, type, ev->type_len) == 0;
}

static int read_file(kt_reader *r, const struct cli_moment *m, struct inc_file *f)
{
	uint64_t last = kt_reader_head(r);
	kt_iter *it = NULL;
	size_t cap = 0;
	int err = KT_OK;
	if (m->known_at != KT_TIME_MAX)
		err = kt_reader_position_at(r, m->known_at, &last);
	if (!err)
		err = kt_iter_stream(r, f->stream, 0, &it);
	struct kt_event ev;
	while (!err && !cli_interrupted && (err = kt_iter_next(it, &ev)) == 0) {
		if (ev.position > last)
			break; /* a stream's versions follow the log's order */
		if (f->n == cap) {
			cap = cap ? 2 * cap : 32;
			struct inc_event *grown = realloc(f->events, cap * sizeof *grown);
			if (!grown) {
				err = KT_ENOMEM;
				break;
			}
			f->events = grown;
		}
		struct inc_event *e = &f->events[f->n++];
		e->ev = ev;
		e->visible = ev.effective <= m->as_of;
		kt_id_format(ev.id, e->id);
	}
	if (err == KT_ENOTFOUND)
		err = KT_OK;
	kt_iter_free(it);
	return err;
}

/* Characters of the id text that tell the events apart: at least 8, never
 * ending at a dash. */
static size_t id_prefix_len(const struct inc_file *f)
{
	size_t len = 8;
	for (size_t i = 0; i < f->n; i++) {
		for (size_t j = i + 1; j < f->n; j++) {
			size_t k = 0;
			while (k < KT_ID_TEXT_LEN && f->events[i].id[k] == f->events[j].id[k])
				k++;
			if (k + 1 > len)
				len = k + 1;
		}
	}
	if (len < KT_ID_TEXT_LEN && f->n && f->events[0].id[len - 1] == '-')
		len++;
	return len > KT_ID_TEXT_LEN ? KT_ID_TEXT_LEN : len;
}

static const struct inc_event *find_event(const struct inc_file *f, const uint8_t id[16])
{
	for (size_t k = 0; k < f->n; k++)
		if (memcmp(f->events[k].ev.id, id, 16) == 0)
			return &f->events[k];
	return NULL;
}

/* The target of a correction or retraction. 0 or -1. */
static int target_of(const struct kt_event *ev, uint8_t id[16])
{
	const char *s;
	size_t n;
	char text[KT_ID_TEXT_LEN + 1];
	if (kt_data_get_str(ev->data, ev->data_len, "target", &s, &n) || n != KT_ID_TEXT_LEN)
		return -1;
	memcpy(text, s, n);
	text[n] = 0;
	return kt_id_parse(text, id) ? -1 : 0;
}

/* The payload of event id as it stands, replaced by the latest visible
 * correction of it, with the schema of its type. 0, or -1 when the event is
 * not in the file. */
static int current_data(const struct inc_file *f, const uint8_t id[16], const uint8_t **data,
			size_t *len, const struct kt_schema **schema)
{
	const struct inc_event *e = find_event(f, id);
	if (!e)
		return -1;
	*data = e->ev.data;
	*len = e->ev.data_len;
	*schema = kt_catalogue_schema(e->ev.type, e->ev.type_len);
	for (size_t k = 0; k < f->n; k++) {
		const struct kt_event *ev = &f->events[k].ev;
		uint8_t target[16];
		const uint8_t *map;
		size_t map_len;
		if (f->events[k].visible && is_type(ev, KT_EV_EVENT_CORRECTED) &&
		    !target_of(ev, target) && memcmp(target, id, 16) == 0 &&
		    !kt_data_get_map(ev->data, ev->data_len, "data", &map, &map_len)) {
			*data = map;
			*len = map_len;
		}
	}
	return 0;
}

/* A text field of a payload: NULL when absent; HIDDEN in place of personal
 * data unless it is included. The text is copied into out (size bytes, cut
 * when longer). */
static const char *field(const struct inc_file *f, const struct kt_schema *schema,
			 const uint8_t *data, size_t len, const char *name, char *out, size_t size)
{
	const char *s;
	size_t n;
	if (!data || kt_data_get_str(data, len, name, &s, &n))
		return NULL;
	const struct kt_field *fd = schema ? kt_schema_field(schema, name) : NULL;
	if (fd && (fd->flags & KT_FIELD_PERSONAL) && !f->personal)
		return hidden;
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = 0;
	return out;
}

/* The same for the fact of event id, as it stands. */
static const char *fact_field(const struct inc_file *f, const uint8_t id[16], const char *name,
			      char *out, size_t size)
{
	const uint8_t *data;
	size_t len;
	const struct kt_schema *schema;
	if (current_data(f, id, &data, &len, &schema))
		return NULL;
	return field(f, schema, data, len, name, out, size);
}

/* ---- what the parts of the view compute -------------------------------- */

static int64_t day_start(int64_t us)
{
	return (us / KT_US_PER_DAY - (us % KT_US_PER_DAY < 0)) * KT_US_PER_DAY;
}

static const char *status_name(const struct kt_incident *in)
{
	return in->retracted ? "retracted" : in->closed ? "closed" : "open";
}

/* The live completion of action label, or NULL. */
static const struct kt_incident_fact *completion(const struct inc_file *f, uint32_t label)
{
	const struct kt_incident_fact *done = NULL;
	for (uint32_t k = 0; k < f->in->n_facts; k++) {
		const struct kt_incident_fact *c = &f->in->facts[k];
		if (c->kind == KT_FACT_ACTION_COMPLETED && !c->retracted && c->name == label)
			done = done ? done : c;
	}
	return done;
}

/* An action's state: "retracted", "done", "open". */
static const char *action_state(const struct kt_incident_fact *a,
				const struct kt_incident_fact *done)
{
	return a->retracted ? "retracted" : done ? "done" : "open";
}

static int action_overdue(const struct inc_file *f, const struct kt_incident_fact *a,
			  const struct kt_incident_fact *done)
{
	return !a->retracted && !done && a->day != KT_DAY_NONE &&
	       (int64_t)a->day * KT_US_PER_DAY < day_start(f->ref);
}

/* The closure in force: the last live incident.closed fact, when closed. */
static const struct kt_incident_fact *closure(const struct kt_incident *in)
{
	const struct kt_incident_fact *last = NULL;
	for (uint32_t k = 0; in->closed && k < in->n_facts; k++)
		if (in->facts[k].kind == KT_FACT_CLOSED && !in->facts[k].retracted)
			last = &in->facts[k];
	return last;
}

static const struct kt_incident_fact *report_fact(const struct kt_incident *in)
{
	for (uint32_t k = 0; k < in->n_facts; k++)
		if (in->facts[k].kind == KT_FACT_REPORTED)
			return &in->facts[k];
	return NULL;
}

/* "72:00:01": a duration, seconds rounded up. */
static void hours_text(int64_t us, char *out, size_t size)
{
	int64_t s = (us + KT_US_PER_SEC - 1) / KT_US_PER_SEC;
	snprintf(out, size, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
		 (long long)(s % 60));
}

/* "dd.mm.yyyy" of a day count, of a moment, and "dd.mm.yyyy HH:MM[:SS]". */
static void people_day(int32_t day, char out[KT_TIME_TEXT_MAX])
{
	char iso[KT_TIME_TEXT_MAX];
	if (day == KT_DAY_NONE) {
		snprintf(out, KT_TIME_TEXT_MAX, "—");
		return;
	}
	kt_time_format_date((int64_t)day * KT_US_PER_DAY, iso);
	snprintf(out, KT_TIME_TEXT_MAX, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

static void people_time(int64_t us, int seconds, char out[KT_TIME_TEXT_MAX])
{
	char iso[KT_TIME_TEXT_MAX];
	kt_time_format(us, iso);
	snprintf(out, KT_TIME_TEXT_MAX, "%.2s.%.2s.%.4s %.*s", iso + 8, iso + 5, iso,
		 seconds ? 8 : 5, iso + 11);
}

/* The 72-hour verdict with its detail: "in time (72:00:00 after
 * registration)", "pending (12:00:00 left)". */
static void notify_text(const struct inc_file *f, enum kt_notify_status st, char *out, size_t size)
{
	const struct kt_incident *in = f->in;
	int64_t first = in->external[KT_RECIPIENT_DATATILSYNET];
	char h[32];
	switch (st) {
	case KT_NOTIFY_IN_TIME:
	case KT_NOTIFY_LATE:
		hours_text(first - in->registered, h, sizeof h);
		snprintf(out, size, "%s (Datatilsynet %s after registration)",
			 kt_notify_status_name(st), h);
		return;
	case KT_NOTIFY_PENDING:
		hours_text(in->registered + KT_NOTIFY_US - f->ref, h, sizeof h);
		snprintf(out, size, "%s (%s left to report to Datatilsynet)",
			 kt_notify_status_name(st), h);
		return;
	case KT_NOTIFY_OVERDUE:
		snprintf(out, size, "%s (not reported to Datatilsynet within %d hours)",
			 kt_notify_status_name(st), KT_NOTIFY_HOURS);
		return;
	default:
		snprintf(out, size, "%s", kt_notify_status_name(st));
	}
}

/* ---- tables for people -------------------------------------------------- */

#define COLS_MAX 8

/* Rows of text cells, printed with columns as wide as their widest cell
 * (counted in characters); the last column is not padded. */
struct table {
	size_t cols;
	char **cells; /* rows × cols, owned */
	size_t rows, cap;
};

/* Characters (code points) of UTF-8 text. */
static size_t text_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* s cut to at most max characters ("…" marks a cut), control characters as
 * spaces, into out (4 * max + 4 bytes). */
static void clip(const char *s, size_t max, char *out)
{
	size_t chars = 0, k = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c & 0xc0) != 0x80 && chars++ == max) {
			memcpy(out + k, "…", sizeof "…" - 1);
			k += sizeof "…" - 1;
			break;
		}
		out[k++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[k] = 0;
}

static int table_add(struct table *t, const char *const *row)
{
	if (t->rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **grown = realloc(t->cells, cap * t->cols * sizeof *grown);
		if (!grown)
			return KT_ENOMEM;
		t->cells = grown;
		t->cap = cap;
	}
	char **cells = t->cells + t->rows * t->cols;
	for (size_t k = 0; k < t->cols; k++) {
		cells[k] = strdup(row[k] ? row[k] : "");
		if (!cells[k]) {
			while (k > 0)
				free(cells[--k]);
			return KT_ENOMEM;
		}
	}
	t->rows++;
	return KT_OK;
}

static void table_free(struct table *t)
{
	for (size_t k = 0; k < t->rows * t->cols; k++)
		free(t->cells[k]);
	free(t->cells);
	t->cells = NULL;
	t->rows = t->cap = 0;
}

/* Print t under a header line, each line indented by two spaces; right
 * aligns the columns whose letter in align is 'r'. */
static void table_print(const struct table *t, const char *align)
{
	size_t width[COLS_MAX] = { 0 };
	for (size_t r = 0; r < t->rows; r++)
		for (size_t k = 0; k < t->cols; k++) {
			size_t w = text_width(t->cells[r * t->cols + k]);
			if (w > width[k])
				width[k] = w;
		}
	for (size_t r = 0; r < t->rows; r++) {
		size_t cols = t->cols; /* no trailing blanks: stop at the last cell */
		while (cols > 1 && !*t->cells[r * t->cols + cols - 1] && align[cols - 1] != 'r')
			cols--;
		fputs("  ", stdout);
		for (size_t k = 0; k < cols; k++) {
			const char *cell = t->cells[r * t->cols + k];
			size_t pad = width[k] - text_width(cell), last = k + 1 == cols;
			if (align[k] == 'r')
				printf("%*s", (int)pad, "");
			fputs(cell, stdout);
			if (align[k] != 'r' && !last)
				printf("%*s", (int)pad, "");
			if (!last)
				fputs("  ", stdout);
		}
		putchar('\n');
	}
}

/* ---- show as a table ---------------------------------------------------- */

static void show_field(const char *name, const char *value)
{
	printf("%-14s %s\n", name, value && *value ? value : "—");
}

static void show_header(const struct inc_file *f)
{
	const struct kt_incident *in = f->in;
	const struct kt_area *area =
	    in->area >= 0 && in->area < KT_AREAS ? kt_area_at((size_t)in->area) : NULL;
	char buf[512], when[KT_TIME_TEXT_MAX], text[4096];
	const struct kt_incident_fact *report = report_fact(in), *closed = closure(in);
	printf("%s  %s, %s\n", in->number, kt_category_name(in->category), area ? area->name : "?");
	show_field("unit", kt_incidents_name(f->m, in->unit));
	people_day(in->occurred, when);
	show_field("occurred", when);
	people_time(in->registered, 1, when);
	snprintf(buf, sizeof buf, "%s UTC", when);
	show_field("registered", buf);
	snprintf(buf, sizeof buf, "%s", status_name(in));
	if (closed) {
		people_time(closed->at, 0, when);
		snprintf(buf, sizeof buf, "closed %s", when);
	}
	show_field("status", buf);
	show_field("type", in->type >= 0 ? kt_incident_type_name((enum kt_incident_type)in->type)
					 : "not triaged");
	snprintf(buf, sizeof buf, "%d", in->severity);
	show_field("severity", in->severity ? buf : NULL);
	show_field("handler",
		   in->handler == KT_NAME_NONE ? NULL : kt_incidents_name(f->m, in->handler));
	enum kt_notify_status st = kt_incident_notify_status(in, f->ref);
	if (st != KT_NOTIFY_NA) {
		notify_text(f, st, buf, sizeof buf);
		show_field("72 hours", buf);
	}
	show_field("description",
		   report ? fact_field(f, report->id, "text", text, sizeof text) : NULL);
	if (closed)
		show_field("conclusion",
			   fact_field(f, closed->id, "conclusion", text, sizeof text));
	printf("%-14s %s, version %llu\n", "stream", f->stream, (unsigned long long)in->version);
}

static int show_external(const struct inc_file *f)
{
	static const char *const head[] = { "TO", "WHEN", "REFERENCE", "NOTE" };
	struct table t = { 4, NULL, 0, 0 };
	const struct kt_incident *in = f->in;
	size_t n = 0;
	int err = table_add(&t, head);
	for (uint32_t k = 0; !err && k < in->n_facts; k++) {
		const struct kt_incident_fact *x = &in->facts[k];
		int reported = x->kind == KT_FACT_EXTERNAL;
		if ((!reported && x->kind != KT_FACT_NOT_REQUIRED) || x->retracted)
			continue;
		char to[256], when[64], ref[CELL_MAX * 4 + 4], note[CELL_MAX * 4 + 4];
		char named[256], text[1024];
		const char *other = fact_field(f, x->id, "recipient_text", named, sizeof named);
		snprintf(to, sizeof to, "%s", other ? other : kt_recipient_name(x->a));
		if (reported)
			people_time(x->at, 0, when);
		else
			snprintf(when, sizeof when, "not required");
		const char *r = fact_field(f, x->id, "reference", text, sizeof text);
		clip(r ? r : "—", CELL_MAX, ref);
		const char *nt =
		    fact_field(f, x->id, reported ? "note" : "reason", text, sizeof text);
		clip(nt ? nt : "", CELL_MAX, note);
		const char *row[] = { to, when, ref, note };
		err = table_add(&t, row);
		n++;
	}
	printf("\nEXTERNAL (%zu)\n", n);
	if (!err && n)
		table_print(&t, "llll");
	table_free(&t);
	return err;
}

static int show_actions(const struct inc_file *f)
{
	static const char *const head[] = { "ACTION", "DUE", "STATE", "RESPONSIBLE", "TEXT" };
	struct table t = { 5, NULL, 0, 0 };
	const struct kt_incident *in = f->in;
	size_t n = 0;
	int err = table_add(&t, head);
	for (uint32_t k = 0; !err && k < in->n_facts; k++) {
		const struct kt_incident_fact *a = &in->facts[k];
		if (a->kind != KT_FACT_ACTION_ADDED)
			continue;
		const struct kt_incident_fact *done = completion(f, a->name);
		char due[KT_TIME_TEXT_MAX], state[64], when[KT_TIME_TEXT_MAX];
		char who[CELL_MAX * 4 + 4], text[1024], cell[CELL_MAX * 4 + 4];
		people_day(a->day, due);
		snprintf(state, sizeof state, "%s", action_state(a, done));
		if (!a->retracted && done) {
			people_time(done->at, 0, when);
			when[10] = 0;
			snprintf(state, sizeof state, "done %s", when);
		} else if (action_overdue(f, a, done)) {
			snprintf(state, sizeof state, "OVERDUE");
		}
		const char *r = fact_field(f, a->id, "responsible", text, sizeof text);
		clip(r ? r : "—", CELL_MAX, who);
		const char *x = fact_field(f, a->id, "text", text, sizeof text);
		clip(x ? x : "", CELL_MAX, cell);
		const char *row[] = { kt_incidents_name(f->m, a->name), due, state, who, cell };
		err = table_add(&t, row);
		n++;
	}
	printf("\nACTIONS (%zu)\n", n);
	if (!err && n)
		table_print(&t, "lllll");
	table_free(&t);
	return err;
}

/* A line of text built piece by piece, cut at its size. */
struct line {
	char buf[1024];
	size_t n;
};

static void line_add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(l->buf + l->n, sizeof l->buf - l->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		l->n = l->n + (size_t)w < sizeof l->buf ? l->n + (size_t)w : sizeof l->buf - 1;
}

/* ": text" when the payload has the field: clipped to WHAT_MAX characters,
 * the placeholder of hidden personal data whole. */
static void add_text(const struct inc_file *f, struct line *l, const struct kt_event *ev,
		     const char *name)
{
	char text[1024], cell[WHAT_MAX * 4 + 4];
	const char *s = field(f, kt_catalogue_schema(ev->type, ev->type_len), ev->data,
			      ev->data_len, name, text, sizeof text);
	if (!s)
		return;
	clip(s, WHAT_MAX, cell);
	line_add(l, "%s%s", l->n ? ": " : "", cell);
}

/* What a correction or retraction names: "corrects 01a2b3c4 (incident.triaged)". */
static void summarize_revision(const struct inc_file *f, const struct kt_event *ev, struct line *l)
{
	uint8_t id[16];
	char full[KT_ID_TEXT_LEN + 1] = "?", type[KT_TYPE_MAX + 1] = "", label[16] = "";
	const char *s;
	size_t n;
	if (!kt_data_get_str(ev->data, ev->data_len, "target_type", &s, &n))
		snprintf(type, sizeof type, "%.*s", (int)n, s);
	if (!target_of(ev, id)) {
		kt_id_format(id, full);
		full[f->id_len] = 0;
		const struct inc_event *t = find_event(f, id);
		if (t && !kt_data_get_str(t->ev.data, t->ev.data_len, "action", &s, &n) && n < 16)
			snprintf(label, sizeof label, " %.*s", (int)n, s);
	}
	line_add(l, "%s %s (%s%s)", is_type(ev, KT_EV_EVENT_CORRECTED) ? "corrects" : "retracts",
		 full, type, label);
	add_text(f, l, ev, "reason");
}

/* What an event says, for the WHAT column. */
static void summarize(const struct inc_file *f, const struct kt_event *ev, struct line *l)
{
	const uint8_t *d = ev->data;
	size_t n = ev->data_len;
	const char *s;
	size_t sn;
	int64_t us, severity;
	char day[KT_TIME_TEXT_MAX];
	l->n = 0;
	l->buf[0] = 0;
	if (is_type(ev, KT_EV_EVENT_CORRECTED) || is_type(ev, KT_EV_EVENT_RETRACTED)) {
		summarize_revision(f, ev, l);
		return;
	}
	if (is_type(ev, KT_EV_INCIDENT_REPORTED)) {
		if (!kt_data_get_str(d, n, "category", &s, &sn))
			line_add(l, "%s", kt_category_name(kt_category_by_key(s, sn)));
		if (!kt_data_get_str(d, n, "unit", &s, &sn))
			line_add(l, ", %.*s", (int)sn, s);
		if (!kt_data_get_date(d, n, "occurred", &us)) {
			kt_time_format_date(us, day);
			line_add(l, ", occurred %.2s.%.2s.%.4s", day + 8, day + 5, day);
		}
	} else if (is_type(ev, KT_EV_INCIDENT_TRIAGED)) {
		if (!kt_data_get_str(d, n, "type", &s, &sn))
			line_add(l, "%s", kt_incident_type_name(kt_incident_type_by_key(s, sn)));
		if (!kt_data_get_int(d, n, "severity", &severity))
			line_add(l, ", severity %lld", (long long)severity);
	} else if (is_type(ev, KT_EV_INCIDENT_ASSIGNED)) {
		if (!kt_data_get_str(d, n, "handler", &s, &sn))
			line_add(l, "to %.*s", (int)sn, s);
	} else if (is_type(ev, KT_EV_INCIDENT_ACTION_ADDED) ||
		   is_type(ev, KT_EV_INCIDENT_ACTION_COMPLETED)) {
		if (!kt_data_get_str(d, n, "action", &s, &sn))
			line_add(l, "%.*s", (int)sn, s);
		if (!kt_data_get_date(d, n, "due", &us)) {
			kt_time_format_date(us, day);
			line_add(l, " due %.2s.%.2s.%.4s", day + 8, day + 5, day);
		}
		if (!kt_data_get_str(d, n, "responsible", &s, &sn))
			line_add(l, ", %.*s", (int)sn, s);
	} else if (is_type(ev, KT_EV_INCIDENT_REPORTED_EXTERNAL) ||
		   is_type(ev, KT_EV_INCIDENT_EXTERNAL_NOT_REQ)) {
		if (!kt_data_get_str(d, n, "recipient_text", &s, &sn) ||
		    !kt_data_get_str(d, n, "recipient", &s, &sn)) {
			int r = kt_recipient_by_key(s, sn);
			if (r >= 0 && r != KT_RECIPIENT_OTHER)
				line_add(l, "%s", kt_recipient_name((enum kt_recipient)r));
			else
				line_add(l, "%.*s", (int)sn, s);
		}
		if (is_type(ev, KT_EV_INCIDENT_EXTERNAL_NOT_REQ))
			line_add(l, " not required");
		if (!kt_data_get_str(d, n, "reference", &s, &sn))
			line_add(l, ", ref %.*s", (int)sn, s);
	}
	static const char *const texts[] = { "text", "note", "conclusion", "reason" };
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		add_text(f, l, ev, texts[k]);
}

static int compare_events(const void *pa, const void *pb)
{
	const struct inc_event *a = *(const struct inc_event *const *)pa;
	const struct inc_event *b = *(const struct inc_event *const *)pb;
	if (a->ev.effective != b->ev.effective)
		return a->ev.effective < b->ev.effective ? -1 : 1;
	return a->ev.version < b->ev.version ? -1 : a->ev.version > b->ev.version;
}

/* The visible events in timeline order (effective time, then as recorded);
 * *n of them. The caller frees. */
static const struct inc_event **timeline(const struct inc_file *f, size_t *n)
{
	const struct inc_event **t = malloc((f->n ? f->n : 1) * sizeof *t);
	*n = 0;
	if (!t)
		return NULL;
	for (size_t k = 0; k < f->n; k++)
		if (f->events[k].visible)
			t[(*n)++] = &f->events[k];
	if (*n)
		qsort(t, *n, sizeof *t, compare_events);
	return t;
}

static int show_timeline(const struct inc_file *f)
{
	static const char *const head[] = {
		"VER", "ID", "EFFECTIVE (UTC)", "RECORDED (UTC)", "ACTOR", "TYPE", "WHAT"
	};
	struct table t = { 7, NULL, 0, 0 };
	size_t n;
	const struct inc_event **events = timeline(f, &n);
	int err = events ? table_add(&t, head) : KT_ENOMEM;
	for (size_t k = 0; k < n && !err; k++) {
		const struct kt_event *ev = &events[k]->ev;
		char ver[24], id[KT_ID_TEXT_LEN + 1], eff[KT_TIME_TEXT_MAX];
		char rec[KT_TIME_TEXT_MAX], actor[CELL_MAX * 4 + 4], type[KT_TYPE_MAX + 1];
		char what[LINE_MAX_CHARS * 4 + 4], name[KT_ACTOR_MAX + 1];
		struct line l;
		snprintf(ver, sizeof ver, "%llu", (unsigned long long)ev->version);
		memcpy(id, events[k]->id, f->id_len);
		id[f->id_len] = 0;
		people_time(ev->effective, 0, eff);
		people_time(ev->recorded, 0, rec);
		snprintf(name, sizeof name, "%.*s", (int)ev->actor_len, ev->actor);
		clip(name, CELL_MAX, actor);
		snprintf(type, sizeof type, "%.*s", (int)ev->type_len, ev->type);
		summarize(f, ev, &l);
		clip(l.buf, LINE_MAX_CHARS, what);
		const char *row[] = { ver, id, eff, rec, actor, type, what };
		err = table_add(&t, row);
	}
	printf("\nTIMELINE (%zu event%s)\n", n, n == 1 ? "" : "s");
	if (!err && n)
		table_print(&t, "rllllll");
	table_free(&t);
	free(events);
	return err;
}

static int show_table(const struct inc_file *f)
{
	int err;
	show_header(f);
	if ((err = show_external(f)) || (err = show_actions(f)))
		return err;
	return show_timeline(f);
}

/* ---- show as JSON ------------------------------------------------------- */

struct jobj {
	json_t *obj;
	int failed;
};

static void put(struct jobj *b, const char *key, json_t *value)
{
	if (!value || !b->obj || json_object_set_new(b->obj, key, value))
		b->failed = 1;
}

static json_t *jobj_done(struct jobj *b)
{
	if (!b->failed)
		return b->obj;
	json_decref(b->obj);
	return NULL;
}

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A text of the current payload of event id; null when absent or hidden. */
static json_t *jfact(const struct inc_file *f, const uint8_t id[16], const char *name)
{
	char text[KT_DATA_MAX / 8];
	const char *s = fact_field(f, id, name, text, sizeof text);
	return s && s != hidden ? json_string(s) : json_null();
}

static json_t *jtime(int64_t us)
{
	char iso[KT_TIME_TEXT_MAX];
	if (us == KT_TIME_UNSET)
		return json_null();
	kt_time_format(us, iso);
	return json_string(iso);
}

static json_t *jday(int32_t day)
{
	char iso[KT_TIME_TEXT_MAX];
	if (day == KT_DAY_NONE)
		return json_null();
	kt_time_format_date((int64_t)day * KT_US_PER_DAY, iso);
	return json_string(iso);
}

static json_t *jid(const uint8_t id[16])
{
	char text[KT_ID_TEXT_LEN + 1];
	kt_id_format(id, text);
	return json_string(text);
}

static json_t *external_json(const struct inc_file *f, const struct kt_incident_fact *x)
{
	struct jobj b = { json_object(), 0 };
	int reported = x->kind == KT_FACT_EXTERNAL;
	put(&b, "recipient", json_string(kt_recipient_key(x->a)));
	put(&b, "recipient_name", json_string(kt_recipient_name(x->a)));
	put(&b, "recipient_text", jfact(f, x->id, "recipient_text"));
	put(&b, "not_required", json_boolean(!reported));
	put(&b, "at", jtime(x->at));
	put(&b, "reference", jfact(f, x->id, "reference"));
	put(&b, reported ? "note" : "reason", jfact(f, x->id, reported ? "note" : "reason"));
	put(&b, "event_id", jid(x->id));
	return jobj_done(&b);
}

static json_t *action_json(const struct inc_file *f, const struct kt_incident_fact *a)
{
	struct jobj b = { json_object(), 0 };
	const struct kt_incident_fact *done = completion(f, a->name);
	put(&b, "label", json_string(kt_incidents_name(f->m, a->name)));
	put(&b, "due", jday(a->day));
	put(&b, "state", json_string(action_state(a, done)));
	put(&b, "done_at", done && !a->retracted ? jtime(done->at) : json_null());
	put(&b, "overdue", json_boolean(action_overdue(f, a, done)));
	put(&b, "responsible", jfact(f, a->id, "responsible"));
	put(&b, "text", jfact(f, a->id, "text"));
	put(&b, "event_id", jid(a->id));
	return jobj_done(&b);
}

/* The payload of ev as JSON, without its personal fields unless included;
 * *removed gets how many were left out. */
static json_t *payload_json(const struct inc_file *f, const struct kt_event *ev, size_t *removed)
{
	json_t *data = NULL;
	*removed = 0;
	if (f->personal)
		return kt_data_to_json(ev->data, ev->data_len, &data) ? NULL : data;
	struct kt_buf out = KT_BUF_INIT(KT_DATA_MAX);
	int err =
	    kt_catalogue_redact(ev->type, ev->type_len, ev->data, ev->data_len, &out, removed);
	if (!err)
		err = kt_data_to_json(out.data, out.len, &data);
	kt_buf_free(&out);
	return err ? NULL : data;
}

static json_t *event_json(const struct inc_file *f, const struct inc_event *e)
{
	const struct kt_event *ev = &e->ev;
	struct jobj b = { json_object(), 0 };
	size_t removed;
	json_t *target = json_null();
	uint8_t id[16];
	if ((is_type(ev, KT_EV_EVENT_CORRECTED) || is_type(ev, KT_EV_EVENT_RETRACTED)) &&
	    !target_of(ev, id)) {
		const char *s = "";
		size_t n = 0;
		char text[KT_ID_TEXT_LEN + 1];
		kt_data_get_str(ev->data, ev->data_len, "target_type", &s, &n);
		kt_id_format(id, text);
		json_decref(target);
		target = json_pack("{s:s, s:s%}", "id", text, "type", s, n);
	}
	put(&b, "version", json_integer((json_int_t)ev->version));
	put(&b, "position", json_integer((json_int_t)ev->position));
	put(&b, "id", json_string(e->id));
	put(&b, "type", json_stringn(ev->type, ev->type_len));
	put(&b, "effective", jtime(ev->effective));
	put(&b, "recorded", jtime(ev->recorded));
	put(&b, "actor", json_stringn(ev->actor, ev->actor_len));
	put(&b, "target", target);
	put(&b, "data", payload_json(f, ev, &removed));
	put(&b, "hidden_fields", json_integer((json_int_t)removed));
	return jobj_done(&b);
}

static int show_json(const struct inc_file *f)
{
	const struct kt_incident *in = f->in;
	const struct kt_area *area =
	    in->area >= 0 && in->area < KT_AREAS ? kt_area_at((size_t)in->area) : NULL;
	const struct kt_incident_fact *report = report_fact(in), *closed = closure(in);
	enum kt_notify_status st = kt_incident_notify_status(in, f->ref);
	struct jobj b = { json_object(), 0 };
	json_t *external = json_array(), *actions = json_array(), *events = json_array();
	size_t n = 0;
	const struct inc_event **tl = timeline(f, &n);
	put(&b, "number", json_string(in->number));
	put(&b, "stream", json_string(f->stream));
	put(&b, "version", json_integer((json_int_t)in->version));
	put(&b, "status", json_string(status_name(in)));
	put(&b, "category", json_string(kt_category_key(in->category)));
	put(&b, "category_name", json_string(kt_category_name(in->category)));
	put(&b, "area", jtext(area ? area->key : NULL));
	put(&b, "area_name", jtext(area ? area->name : NULL));
	put(&b, "unit", json_string(kt_incidents_name(f->m, in->unit)));
	put(&b, "occurred", jday(in->occurred));
	put(&b, "registered", jtime(in->registered));
	put(&b, "type", in->type >= 0 ? json_string(kt_incident_type_key(in->type)) : json_null());
	put(&b, "type_name",
	    in->type >= 0 ? json_string(kt_incident_type_name(in->type)) : json_null());
	put(&b, "severity", in->severity ? json_integer(in->severity) : json_null());
	put(&b, "handler",
	    in->handler == KT_NAME_NONE ? json_null()
					: json_string(kt_incidents_name(f->m, in->handler)));
	put(&b, "closed_at", closed ? jtime(closed->at) : json_null());
	put(&b, "notify",
	    st == KT_NOTIFY_NA ? json_null() : json_string(kt_notify_status_name(st)));
	put(&b, "personal_included", json_boolean(f->personal));
	put(&b, "text", report ? jfact(f, report->id, "text") : json_null());
	put(&b, "conclusion", closed ? jfact(f, closed->id, "conclusion") : json_null());
	for (uint32_t k = 0; external && actions && k < in->n_facts; k++) {
		const struct kt_incident_fact *x = &in->facts[k];
		if ((x->kind == KT_FACT_EXTERNAL || x->kind == KT_FACT_NOT_REQUIRED) &&
		    !x->retracted && json_array_append_new(external, external_json(f, x)))
			b.failed = 1;
		if (x->kind == KT_FACT_ACTION_ADDED &&
		    json_array_append_new(actions, action_json(f, x)))
			b.failed = 1;
	}
	for (size_t k = 0; events && tl && k < n; k++)
		if (json_array_append_new(events, event_json(f, tl[k])))
			b.failed = 1;
	put(&b, "external", external);
	put(&b, "actions", actions);
	put(&b, "timeline", tl ? events : NULL);
	if (!tl)
		json_decref(events);
	free(tl);
	if (!b.failed)
		cli_print_json(b.obj);
	json_decref(b.obj);
	return b.failed ? KT_ENOMEM : KT_OK;
}

/* ---- the command -------------------------------------------------------- */

enum { OPT_AS_OF = 256, OPT_KNOWN_AT, OPT_NO_SNAPSHOTS, OPT_PERSONAL };

struct show_args {
	const char *db;
	struct cli_moment moment;
	enum cli_format format;
	int personal;
};

/* Returns 0, -1 when --help was printed, or an exit code. */
static int parse_show(int argc, char **argv, struct show_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "as-of", required_argument, NULL, OPT_AS_OF },
		{ "known-at", required_argument, NULL, OPT_KNOWN_AT },
		{ "no-snapshots", no_argument, NULL, OPT_NO_SNAPSHOTS },
		{ "include-personal", no_argument, NULL, OPT_PERSONAL },
		{ "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			a->db = optarg;
			break;
		case 'h':
			fputs(show_usage, stdout);
			return -1;
		case 'f':
			if (cli_parse_format(optarg, 0, &a->format))
				return EXIT_INPUT;
			break;
		case OPT_AS_OF:
			if (cli_parse_moment("--as-of", optarg, &a->moment.as_of))
				return EXIT_INPUT;
			break;
		case OPT_KNOWN_AT:
			if (cli_parse_moment("--known-at", optarg, &a->moment.known_at))
				return EXIT_INPUT;
			break;
		case OPT_NO_SNAPSHOTS:
			a->moment.no_snapshots = 1;
			break;
		case OPT_PERSONAL:
			a->personal = 1;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		cli_error("which incident? give its number (see kontroll incident show --help)");
		return EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		cli_error("unexpected argument '%s'", argv[optind + 1]);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Writable when the file allows it (the replay may save snapshots), else
 * read-only. */
static int open_show_store(const char *db, kt_store **out)
{
	const char *path = cli_db_path(db);
	kt_store *s = NULL;
	int err = kt_store_create(&s);
	if (!err)
		err = kt_store_open(s, path, 0);
	if (!err) {
		*out = s;
		return EXIT_OK;
	}
	kt_store_close(s);
	if (err == EACCES || err == EROFS)
		return cli_open_store(path, KT_OPEN_READONLY, out);
	return cli_open_store(path, 0, out); /* fails again, with the message */
}

int cli_incident_show(int argc, char **argv)
{
	struct show_args a = { NULL, CLI_MOMENT_NOW, FORMAT_TABLE, 0 };
	optind = 0; /* the dispatcher may have run getopt: start afresh */
	int rc = parse_show(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	kt_store *s;
	if ((rc = open_show_store(a.db, &s)))
		return rc;
	struct kt_incidents model;
	struct inc_file f;
	memset(&f, 0, sizeof f);
	f.m = &model;
	f.personal = a.personal;
	f.ref = a.moment.as_of != KT_TIME_MAX	   ? a.moment.as_of
		: a.moment.known_at != KT_TIME_MAX ? a.moment.known_at
						   : kt_time_now();
	kt_reader *r = NULL;
	int err = KT_OK;
	if ((rc = cli_load_incidents(s, &a.moment, &model)))
		goto close;
	if ((rc = cli_find_incident(&model, argv[optind], &f.in)))
		goto free_model;
	snprintf(f.stream, sizeof f.stream, KT_INCIDENT_STREAM_PREFIX "%s", f.in->number);
	/* Begun after the replay, which may grow the map to save a snapshot
	 * and cannot while this process holds a reader. */
	if ((err = kt_reader_begin(s, &r)) || (err = read_file(r, &a.moment, &f)))
		goto report;
	if (cli_interrupted) {
		cli_error("interrupted");
		rc = EXIT_FAILURE_STORE;
		goto end;
	}
	f.id_len = id_prefix_len(&f);
	err = a.format == FORMAT_JSON ? show_json(&f) : show_table(&f);
report:
	if (err) {
		cli_error("reading %s: %s", f.stream, kt_strerror(err));
		rc = cli_exit_for(err);
	}
end:
	free(f.events);
	kt_reader_end(r);
free_model:
	kt_incidents_free(&model);
close:
	kt_store_close(s);
	return rc;
}
