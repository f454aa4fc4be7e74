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
#include "render.h"
#include "revision.h"
#include "stream.h"

#include "kontroll/buf.h"
#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/incident_events.h"
#include "kontroll/inspection_events.h" /* event.corrected, event.retracted */
#include "kontroll/json.h"
#include "kontroll/ktime.h"

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

struct inc_file {
	const struct kt_incidents *m;
	const struct kt_incident *in;
	char stream[sizeof KT_INCIDENT_STREAM_PREFIX + KT_INCIDENT_NUMBER_SIZE];
	struct cli_stream s; /* the events of the stream */
	int64_t ref;	     /* the moment overdue and the 72 hours are judged at */
	int personal;	     /* --include-personal */
};

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

/* The same for the fact of event id, as it stands (cli_stream_current),
 * with the schema of the event's own type. */
static const char *fact_field(const struct inc_file *f, const uint8_t id[16], const char *name,
			      char *out, size_t size)
{
	const uint8_t *data;
	size_t len;
	const struct cli_stream_event *e = cli_stream_current(&f->s, id, &data, &len);
	if (!e)
		return NULL;
	return field(f, kt_catalogue_schema(e->ev.type, e->ev.type_len), data, len, name, out,
		     size);
}

/* ---- what the parts of the view compute -------------------------------- */

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
	       (int64_t)a->day * KT_US_PER_DAY < cli_day_start(f->ref);
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
		cli_hours_text(first - in->registered, h, sizeof h);
		snprintf(out, size, "%s (Datatilsynet %s after registration)",
			 kt_notify_status_name(st), h);
		return;
	case KT_NOTIFY_PENDING:
		cli_hours_text(in->registered + KT_NOTIFY_US - f->ref, h, sizeof h);
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

/* ---- cells for people --------------------------------------------------- */

/* s cut to at most max characters ("…" marks a cut), control characters as
 * spaces, into out (4 * max + 4 bytes). Unlike cli_cell_text, a cut text
 * keeps max characters before its "…". */
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
	cli_people_date(cli_day_us(in->occurred), when);
	show_field("occurred", when);
	cli_people_time(in->registered, 1, when);
	snprintf(buf, sizeof buf, "%s UTC", when);
	show_field("registered", buf);
	snprintf(buf, sizeof buf, "%s", status_name(in));
	if (closed) {
		cli_people_time(closed->at, 0, when);
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
	struct cli_table t = CLI_TABLE_INIT(head, "llll");
	const struct kt_incident *in = f->in;
	size_t n = 0;
	int err = KT_OK;
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
			cli_people_time(x->at, 0, when);
		else
			snprintf(when, sizeof when, "not required");
		const char *r = fact_field(f, x->id, "reference", text, sizeof text);
		clip(r ? r : "—", CELL_MAX, ref);
		const char *nt =
		    fact_field(f, x->id, reported ? "note" : "reason", text, sizeof text);
		clip(nt ? nt : "", CELL_MAX, note);
		const char *row[] = { to, when, ref, note };
		err = cli_table_add(&t, row);
		n++;
	}
	printf("\nEXTERNAL (%zu)\n", n);
	if (!err && n)
		cli_table_print(&t, "  ");
	cli_table_free(&t);
	return err;
}

static int show_actions(const struct inc_file *f)
{
	static const char *const head[] = { "ACTION", "DUE", "STATE", "RESPONSIBLE", "TEXT" };
	struct cli_table t = CLI_TABLE_INIT(head, "lllll");
	const struct kt_incident *in = f->in;
	size_t n = 0;
	int err = KT_OK;
	for (uint32_t k = 0; !err && k < in->n_facts; k++) {
		const struct kt_incident_fact *a = &in->facts[k];
		if (a->kind != KT_FACT_ACTION_ADDED)
			continue;
		const struct kt_incident_fact *done = completion(f, a->name);
		char due[KT_TIME_TEXT_MAX], state[64], when[KT_TIME_TEXT_MAX];
		char who[CELL_MAX * 4 + 4], text[1024], cell[CELL_MAX * 4 + 4];
		cli_people_date(cli_day_us(a->day), due);
		snprintf(state, sizeof state, "%s", action_state(a, done));
		if (!a->retracted && done) {
			cli_people_time(done->at, 0, when);
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
		err = cli_table_add(&t, row);
		n++;
	}
	printf("\nACTIONS (%zu)\n", n);
	if (!err && n)
		cli_table_print(&t, "  ");
	cli_table_free(&t);
	return err;
}

/* ": text" when the payload has the field: clipped to WHAT_MAX characters,
 * the placeholder of hidden personal data whole. */
static void add_text(const struct inc_file *f, struct cli_line *l, const struct kt_event *ev,
		     const char *name)
{
	char text[1024], cell[WHAT_MAX * 4 + 4];
	const char *s = field(f, kt_catalogue_schema(ev->type, ev->type_len), ev->data,
			      ev->data_len, name, text, sizeof text);
	if (!s)
		return;
	clip(s, WHAT_MAX, cell);
	cli_line_add(l, "%s%s", l->n ? ": " : "", cell);
}

/* What a correction or retraction names: "corrects 01a2b3c4 (incident.triaged)". */
static void summarize_revision(const struct inc_file *f, const struct kt_event *ev,
			       struct cli_line *l)
{
	uint8_t id[16];
	char full[KT_ID_TEXT_LEN + 1] = "?", type[KT_TYPE_MAX + 1] = "", label[16] = "";
	const char *s;
	size_t n;
	if (!kt_data_get_str(ev->data, ev->data_len, "target_type", &s, &n))
		snprintf(type, sizeof type, "%.*s", (int)n, s);
	if (!cli_revision_target(ev, id, NULL)) {
		kt_id_format(id, full);
		full[f->s.id_len] = 0;
		const struct cli_stream_event *t = cli_stream_find(&f->s, id);
		if (t && !kt_data_get_str(t->ev.data, t->ev.data_len, "action", &s, &n) && n < 16)
			snprintf(label, sizeof label, " %.*s", (int)n, s);
	}
	cli_line_add(l, "%s %s (%s%s)",
		     cli_is_type(ev, KT_EV_EVENT_CORRECTED) ? "corrects" : "retracts", full, type,
		     label);
	add_text(f, l, ev, "reason");
}

/* What an event says, for the WHAT column. */
static void summarize(const struct inc_file *f, const struct kt_event *ev, struct cli_line *l)
{
	const uint8_t *d = ev->data;
	size_t n = ev->data_len;
	const char *s;
	size_t sn;
	int64_t us, severity;
	char day[KT_TIME_TEXT_MAX];
	l->n = 0;
	l->buf[0] = 0;
	if (cli_is_type(ev, KT_EV_EVENT_CORRECTED) || cli_is_type(ev, KT_EV_EVENT_RETRACTED)) {
		summarize_revision(f, ev, l);
		return;
	}
	if (cli_is_type(ev, KT_EV_INCIDENT_REPORTED)) {
		if (!kt_data_get_str(d, n, "category", &s, &sn))
			cli_line_add(l, "%s", kt_category_name(kt_category_by_key(s, sn)));
		if (!kt_data_get_str(d, n, "unit", &s, &sn))
			cli_line_add(l, ", %.*s", (int)sn, s);
		if (!kt_data_get_date(d, n, "occurred", &us)) {
			kt_time_format_date(us, day);
			cli_line_add(l, ", occurred %.2s.%.2s.%.4s", day + 8, day + 5, day);
		}
	} else if (cli_is_type(ev, KT_EV_INCIDENT_TRIAGED)) {
		if (!kt_data_get_str(d, n, "type", &s, &sn))
			cli_line_add(l, "%s",
				     kt_incident_type_name(kt_incident_type_by_key(s, sn)));
		if (!kt_data_get_int(d, n, "severity", &severity))
			cli_line_add(l, ", severity %lld", (long long)severity);
	} else if (cli_is_type(ev, KT_EV_INCIDENT_ASSIGNED)) {
		if (!kt_data_get_str(d, n, "handler", &s, &sn))
			cli_line_add(l, "to %.*s", (int)sn, s);
	} else if (cli_is_type(ev, KT_EV_INCIDENT_ACTION_ADDED) ||
		   cli_is_type(ev, KT_EV_INCIDENT_ACTION_COMPLETED)) {
		if (!kt_data_get_str(d, n, "action", &s, &sn))
			cli_line_add(l, "%.*s", (int)sn, s);
		if (!kt_data_get_date(d, n, "due", &us)) {
			kt_time_format_date(us, day);
			cli_line_add(l, " due %.2s.%.2s.%.4s", day + 8, day + 5, day);
		}
		if (!kt_data_get_str(d, n, "responsible", &s, &sn))
			cli_line_add(l, ", %.*s", (int)sn, s);
	} else if (cli_is_type(ev, KT_EV_INCIDENT_REPORTED_EXTERNAL) ||
		   cli_is_type(ev, KT_EV_INCIDENT_EXTERNAL_NOT_REQ)) {
		if (!kt_data_get_str(d, n, "recipient_text", &s, &sn) ||
		    !kt_data_get_str(d, n, "recipient", &s, &sn)) {
			int r = kt_recipient_by_key(s, sn);
			if (r >= 0 && r != KT_RECIPIENT_OTHER)
				cli_line_add(l, "%s", kt_recipient_name((enum kt_recipient)r));
			else
				cli_line_add(l, "%.*s", (int)sn, s);
		}
		if (cli_is_type(ev, KT_EV_INCIDENT_EXTERNAL_NOT_REQ))
			cli_line_add(l, " not required");
		if (!kt_data_get_str(d, n, "reference", &s, &sn))
			cli_line_add(l, ", ref %.*s", (int)sn, s);
	}
	static const char *const texts[] = { "text", "note", "conclusion", "reason" };
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		add_text(f, l, ev, texts[k]);
}

/* The order of the timeline: effective time, then as recorded. */
static int compare_events(const void *pa, const void *pb)
{
	const struct cli_stream_event *a = *(const struct cli_stream_event *const *)pa;
	const struct cli_stream_event *b = *(const struct cli_stream_event *const *)pb;
	if (a->ev.effective != b->ev.effective)
		return a->ev.effective < b->ev.effective ? -1 : 1;
	return a->ev.version < b->ev.version ? -1 : a->ev.version > b->ev.version;
}

static int show_timeline(const struct inc_file *f)
{
	static const char *const head[] = {
		"VER", "ID", "EFFECTIVE (UTC)", "RECORDED (UTC)", "ACTOR", "TYPE", "WHAT"
	};
	struct cli_table t = CLI_TABLE_INIT(head, "rllllll");
	size_t n;
	const struct cli_stream_event **events = cli_stream_timeline(&f->s, compare_events, &n);
	int err = events ? KT_OK : KT_ENOMEM;
	for (size_t k = 0; k < n && !err; k++) {
		const struct kt_event *ev = &events[k]->ev;
		char ver[24], id[KT_ID_TEXT_LEN + 1], eff[KT_TIME_TEXT_MAX];
		char rec[KT_TIME_TEXT_MAX], actor[CELL_MAX * 4 + 4], type[KT_TYPE_MAX + 1];
		char what[LINE_MAX_CHARS * 4 + 4], name[KT_ACTOR_MAX + 1];
		struct cli_line l;
		snprintf(ver, sizeof ver, "%llu", (unsigned long long)ev->version);
		memcpy(id, events[k]->id, f->s.id_len);
		id[f->s.id_len] = 0;
		cli_people_time(ev->effective, 0, eff);
		cli_people_time(ev->recorded, 0, rec);
		snprintf(name, sizeof name, "%.*s", (int)ev->actor_len, ev->actor);
		clip(name, CELL_MAX, actor);
		snprintf(type, sizeof type, "%.*s", (int)ev->type_len, ev->type);
		summarize(f, ev, &l);
		clip(l.buf, LINE_MAX_CHARS, what);
		const char *row[] = { ver, id, eff, rec, actor, type, what };
		err = cli_table_add(&t, row);
	}
	printf("\nTIMELINE (%zu event%s)\n", n, n == 1 ? "" : "s");
	if (!err && n)
		cli_table_print(&t, "  ");
	cli_table_free(&t);
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

/* A text of the current payload of event id; null when absent or hidden. */
static json_t *jfact(const struct inc_file *f, const uint8_t id[16], const char *name)
{
	char text[KT_DATA_MAX / 8];
	const char *s = fact_field(f, id, name, text, sizeof text);
	return s && s != hidden ? json_string(s) : json_null();
}

/* ISO 8601 UTC with µs, or null when unset. */
static json_t *jtime(int64_t us)
{
	char iso[KT_TIME_TEXT_MAX];
	if (us == KT_TIME_UNSET)
		return json_null();
	kt_time_format(us, iso);
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
	struct cli_jobj b = { json_object(), 0 };
	int reported = x->kind == KT_FACT_EXTERNAL;
	cli_jobj_put(&b, "recipient", json_string(kt_recipient_key(x->a)));
	cli_jobj_put(&b, "recipient_name", json_string(kt_recipient_name(x->a)));
	cli_jobj_put(&b, "recipient_text", jfact(f, x->id, "recipient_text"));
	cli_jobj_put(&b, "not_required", json_boolean(!reported));
	cli_jobj_put(&b, "at", jtime(x->at));
	cli_jobj_put(&b, "reference", jfact(f, x->id, "reference"));
	cli_jobj_put(&b, reported ? "note" : "reason",
		     jfact(f, x->id, reported ? "note" : "reason"));
	cli_jobj_put(&b, "event_id", jid(x->id));
	return cli_jobj_done(&b);
}

static json_t *action_json(const struct inc_file *f, const struct kt_incident_fact *a)
{
	struct cli_jobj b = { json_object(), 0 };
	const struct kt_incident_fact *done = completion(f, a->name);
	cli_jobj_put(&b, "label", json_string(kt_incidents_name(f->m, a->name)));
	cli_jobj_put(&b, "due", cli_json_date(cli_day_us(a->day)));
	cli_jobj_put(&b, "state", json_string(action_state(a, done)));
	cli_jobj_put(&b, "done_at", done && !a->retracted ? jtime(done->at) : json_null());
	cli_jobj_put(&b, "overdue", json_boolean(action_overdue(f, a, done)));
	cli_jobj_put(&b, "responsible", jfact(f, a->id, "responsible"));
	cli_jobj_put(&b, "text", jfact(f, a->id, "text"));
	cli_jobj_put(&b, "event_id", jid(a->id));
	return cli_jobj_done(&b);
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

static json_t *event_json(const struct inc_file *f, const struct cli_stream_event *e)
{
	const struct kt_event *ev = &e->ev;
	struct cli_jobj b = { json_object(), 0 };
	size_t removed;
	json_t *target = json_null();
	uint8_t id[16];
	if ((cli_is_type(ev, KT_EV_EVENT_CORRECTED) || cli_is_type(ev, KT_EV_EVENT_RETRACTED)) &&
	    !cli_revision_target(ev, id, NULL)) {
		const char *s = "";
		size_t n = 0;
		char text[KT_ID_TEXT_LEN + 1];
		kt_data_get_str(ev->data, ev->data_len, "target_type", &s, &n);
		kt_id_format(id, text);
		json_decref(target);
		target = json_pack("{s:s, s:s%}", "id", text, "type", s, n);
	}
	cli_jobj_put(&b, "version", json_integer((json_int_t)ev->version));
	cli_jobj_put(&b, "position", json_integer((json_int_t)ev->position));
	cli_jobj_put(&b, "id", json_string(e->id));
	cli_jobj_put(&b, "type", json_stringn(ev->type, ev->type_len));
	cli_jobj_put(&b, "effective", jtime(ev->effective));
	cli_jobj_put(&b, "recorded", jtime(ev->recorded));
	cli_jobj_put(&b, "actor", json_stringn(ev->actor, ev->actor_len));
	cli_jobj_put(&b, "target", target);
	cli_jobj_put(&b, "data", payload_json(f, ev, &removed));
	cli_jobj_put(&b, "hidden_fields", json_integer((json_int_t)removed));
	return cli_jobj_done(&b);
}

static int show_json(const struct inc_file *f)
{
	const struct kt_incident *in = f->in;
	const struct kt_area *area =
	    in->area >= 0 && in->area < KT_AREAS ? kt_area_at((size_t)in->area) : NULL;
	const struct kt_incident_fact *report = report_fact(in), *closed = closure(in);
	enum kt_notify_status st = kt_incident_notify_status(in, f->ref);
	struct cli_jobj b = { json_object(), 0 };
	json_t *external = json_array(), *actions = json_array(), *events = json_array();
	size_t n = 0;
	const struct cli_stream_event **tl = cli_stream_timeline(&f->s, compare_events, &n);
	cli_jobj_put(&b, "number", json_string(in->number));
	cli_jobj_put(&b, "stream", json_string(f->stream));
	cli_jobj_put(&b, "version", json_integer((json_int_t)in->version));
	cli_jobj_put(&b, "status", json_string(status_name(in)));
	cli_jobj_put(&b, "category", json_string(kt_category_key(in->category)));
	cli_jobj_put(&b, "category_name", json_string(kt_category_name(in->category)));
	cli_jobj_put(&b, "area", cli_json_text(area ? area->key : NULL));
	cli_jobj_put(&b, "area_name", cli_json_text(area ? area->name : NULL));
	cli_jobj_put(&b, "unit", json_string(kt_incidents_name(f->m, in->unit)));
	cli_jobj_put(&b, "occurred", cli_json_date(cli_day_us(in->occurred)));
	cli_jobj_put(&b, "registered", jtime(in->registered));
	cli_jobj_put(&b, "type",
		     in->type >= 0 ? json_string(kt_incident_type_key(in->type)) : json_null());
	cli_jobj_put(&b, "type_name",
		     in->type >= 0 ? json_string(kt_incident_type_name(in->type)) : json_null());
	cli_jobj_put(&b, "severity", in->severity ? json_integer(in->severity) : json_null());
	cli_jobj_put(&b, "handler",
		     in->handler == KT_NAME_NONE
			 ? json_null()
			 : json_string(kt_incidents_name(f->m, in->handler)));
	cli_jobj_put(&b, "closed_at", closed ? jtime(closed->at) : json_null());
	cli_jobj_put(&b, "notify",
		     st == KT_NOTIFY_NA ? json_null() : json_string(kt_notify_status_name(st)));
	cli_jobj_put(&b, "personal_included", json_boolean(f->personal));
	cli_jobj_put(&b, "text", report ? jfact(f, report->id, "text") : json_null());
	cli_jobj_put(&b, "conclusion", closed ? jfact(f, closed->id, "conclusion") : json_null());
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
	cli_jobj_put(&b, "external", external);
	cli_jobj_put(&b, "actions", actions);
	cli_jobj_put(&b, "timeline", tl ? events : NULL);
	if (!tl)
		json_decref(events);
	free(tl);
	return cli_jobj_print(&b);
}

/* ---- the command -------------------------------------------------------- */

enum { OPT_PERSONAL = CLI_OPT_MOMENT_END };

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
		CLI_MOMENT_OPTIONS,
		{ "include-personal", no_argument, NULL, OPT_PERSONAL },
		{ "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	int c, rc;
	while ((c = cli_getopt(argc, argv, opts, show_usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case 'f':
			if (cli_parse_format(optarg, 0, &a->format))
				return EXIT_INPUT;
			break;
		case OPT_PERSONAL:
			a->personal = 1;
			break;
		default:
			rc = cli_moment_option(c, optarg, &a->moment);
			if (rc)
				return rc < 0 ? EXIT_INPUT : cli_usage_error(c, argv[optind - 1]);
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

int cli_incident_show(int argc, char **argv)
{
	struct show_args a = { NULL, CLI_MOMENT_NOW, FORMAT_TABLE, 0 };
	optind = 0; /* the dispatcher may have run getopt: start afresh */
	int rc = parse_show(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_incidents model;
	struct inc_file f;
	memset(&f, 0, sizeof f);
	f.m = &model;
	f.personal = a.personal;
	f.ref = cli_reference_time(&a.moment);
	kt_reader *r = NULL;
	int err = KT_OK;
	if ((rc = cli_load_incidents(s, &a.moment, &model)))
		goto close;
	if ((rc = cli_find_incident(&model, argv[optind], &f.in)))
		goto free_model;
	snprintf(f.stream, sizeof f.stream, KT_INCIDENT_STREAM_PREFIX "%s", f.in->number);
	/* Begun after the replay, which may grow the map to save a snapshot
	 * and cannot while this process holds a reader. */
	if ((err = kt_reader_begin(s, &r)) || (err = cli_stream_read(r, &a.moment, f.stream, &f.s)))
		goto report;
	if (cli_interrupted) {
		cli_error("interrupted");
		rc = EXIT_FAILURE_STORE;
		goto end;
	}
	err = a.format == FORMAT_JSON ? show_json(&f) : show_table(&f);
report:
	if (err) {
		cli_error("reading %s: %s", f.stream, kt_strerror(err));
		rc = cli_exit_for(err);
	}
end:
	cli_stream_free(&f.s);
	kt_reader_end(r);
free_model:
	kt_incidents_free(&model);
close:
	kt_store_close(s);
	return rc;
}
