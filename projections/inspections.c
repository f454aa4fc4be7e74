/*
 * inspections.c — the inspections read model (inspections.h): the fold over
 * inspection events, corrections and retractions, and the snapshot encoding.
 */
#include "kontroll/inspections.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/ktime.h"
#include "kontroll/mpread.h"

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

/* Bump when the fold's meaning or the snapshot encoding changes. */
#define STATE_VERSION 6

static const char *const finding_kinds[KT_FINDING_KINDS] = { "lovbrudd", "avvik", "merknad",
							     "forbedringspunkt" };

/* ---- the model's memory ---------------------------------------------- */

static void free_order(struct kt_order *o)
{
	free(o->deadline_text);
	for (size_t c = 0; c < o->n_changes; c++)
		free(o->changes[c].deadline_text);
	free(o->changes);
}

static void free_inspection(struct kt_inspection *in)
{
	free(in->stream);
	free(in->case_number);
	free(in->authority);
	free(in->unit);
	free(in->law);
	free(in->theme);
	free(in->kind);
	free(in->transferred_to);
	free(in->response_ids);
	free(in->findings);
	for (size_t k = 0; k < in->n_orders; k++)
		free_order(&in->orders[k]);
	free(in->orders);
}

void kt_inspections_init(struct kt_inspections *m)
{
	memset(m, 0, sizeof *m);
}

void kt_inspections_free(struct kt_inspections *m)
{
	for (size_t k = 0; k < m->n; k++)
		free_inspection(&m->items[k]);
	free(m->items);
	free(m->slots);
	kt_inspections_init(m);
}

static uint64_t hash_name(const char *s, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t k = 0; k < n; k++)
		h = (h ^ (uint8_t)s[k]) * UINT64_C(1099511628211);
	return h;
}

/* Slots hold item index + 1; 0 is empty. */
static size_t *slot_of(const struct kt_inspections *m, const char *stream, size_t n)
{
	size_t mask = m->n_slots - 1;
	for (size_t i = hash_name(stream, n) & mask;; i = (i + 1) & mask) {
		size_t *slot = &m->slots[i];
		if (*slot == 0)
			return slot;
		const char *have = m->items[*slot - 1].stream;
		if (strlen(have) == n && memcmp(have, stream, n) == 0)
			return slot;
	}
}

/* Rebuild the index with room for at least want items at half load. */
static int size_index(struct kt_inspections *m, size_t want)
{
	size_t n_slots = m->n_slots ? m->n_slots : 64;
	while (n_slots < 2 * want)
		n_slots *= 2;
	if (n_slots == m->n_slots)
		return KT_OK;
	size_t *slots = calloc(n_slots, sizeof *slots);
	if (!slots)
		return KT_ENOMEM;
	free(m->slots);
	m->slots = slots;
	m->n_slots = n_slots;
	for (size_t k = 0; k < m->n; k++)
		*slot_of(m, m->items[k].stream, strlen(m->items[k].stream)) = k + 1;
	return KT_OK;
}

static int grow_index(struct kt_inspections *m)
{
	return size_index(m, m->n_slots ? m->n_slots : 32);
}

static struct kt_inspection *find(const struct kt_inspections *m, const char *stream, size_t n)
{
	if (!m->n_slots)
		return NULL;
	size_t slot = *slot_of(m, stream, n);
	return slot ? &m->items[slot - 1] : NULL;
}

const struct kt_inspection *kt_inspections_find(const struct kt_inspections *m, const char *stream)
{
	return find(m, stream, strlen(stream));
}

const struct kt_inspection *kt_inspections_by_case(const struct kt_inspections *m,
						   const char *case_number)
{
	for (size_t k = 0; k < m->n; k++)
		if (m->items[k].case_number && strcmp(m->items[k].case_number, case_number) == 0)
			return &m->items[k];
	return NULL;
}

/* A new, empty inspection for stream; its fields are filled by the caller. */
static struct kt_inspection *add(struct kt_inspections *m, const char *stream, size_t n)
{
	if ((m->n + 1) * 2 > m->n_slots && grow_index(m))
		return NULL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct kt_inspection *items = realloc(m->items, cap * sizeof *items);
		if (!items)
			return NULL;
		m->items = items;
		m->cap = cap;
	}
	struct kt_inspection *in = &m->items[m->n];
	memset(in, 0, sizeof *in);
	if (!(in->stream = malloc(n + 1)))
		return NULL;
	memcpy(in->stream, stream, n);
	in->stream[n] = 0;
	in->date_to = KT_TIME_UNSET;
	for (int k = 0; k < KT_STEPS; k++)
		in->steps[k].date = KT_TIME_UNSET;
	in->comment_deadline = KT_TIME_UNSET;
	*slot_of(m, stream, n) = ++m->n;
	return in;
}

/* ---- reading payloads -------------------------------------------------- */

/* A copy of text field f as a new string, or NULL when absent. Sets *err on
 * allocation failure. */
static char *dup_field(const struct kt_event *ev, const char *f, int *err)
{
	const char *s;
	size_t n;
	if (kt_data_get_str(ev->data, ev->data_len, f, &s, &n))
		return NULL;
	char *copy = malloc(n + 1);
	if (!copy) {
		*err = KT_ENOMEM;
		return NULL;
	}
	memcpy(copy, s, n);
	copy[n] = 0;
	return copy;
}

static void replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* Copy label field f into out; 0 when present and short enough. */
static int get_label(const uint8_t *data, size_t len, const char *f, char out[KT_LABEL_SIZE])
{
	const char *s;
	size_t n;
	if (kt_data_get_str(data, len, f, &s, &n) || n == 0 || n >= KT_LABEL_SIZE)
		return -1;
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}

static int64_t get_date(const uint8_t *data, size_t len, const char *f)
{
	int64_t us;
	return kt_data_get_date(data, len, f, &us) ? KT_TIME_UNSET : us;
}

static int is_type(const struct kt_event *ev, const char *type)
{
	size_t n = strlen(type);
	return ev->type_len == n && memcmp(ev->type, type, n) == 0;
}

static int type_is(const char *s, size_t n, const char *type)
{
	return strlen(type) == n && memcmp(s, type, n) == 0;
}

static struct kt_finding *finding_of(struct kt_inspection *in, const char *label)
{
	for (size_t k = 0; k < in->n_findings; k++)
		if (!in->findings[k].retracted && strcmp(in->findings[k].label, label) == 0)
			return &in->findings[k];
	return NULL;
}

static struct kt_order *order_of(struct kt_inspection *in, const char *label)
{
	for (size_t k = 0; k < in->n_orders; k++)
		if (!in->orders[k].retracted && strcmp(in->orders[k].label, label) == 0)
			return &in->orders[k];
	return NULL;
}

/* ---- the fold, one event type at a time -------------------------------- */

/* The header fields of inspection.opened (also for its correction). */
static int set_header(struct kt_inspection *in, const struct kt_event *ev, const uint8_t *data,
		      size_t len)
{
	struct kt_event view = *ev;
	int err = 0;
	view.data = data;
	view.data_len = len;
	replace(&in->case_number, dup_field(&view, "case_number", &err));
	replace(&in->authority, dup_field(&view, "authority", &err));
	replace(&in->unit, dup_field(&view, "unit", &err));
	replace(&in->law, dup_field(&view, "law", &err));
	replace(&in->theme, dup_field(&view, "theme", &err));
	replace(&in->kind, dup_field(&view, "kind", &err));
	in->date_from = get_date(data, len, "date_from");
	in->date_precision = kt_date_precision_of(data, len);
	in->date_to = get_date(data, len, "date_to");
	int64_t year = 0;
	kt_data_get_int(data, len, "report_year", &year);
	in->report_year = (int)year;
	return err;
}

static int set_finding(struct kt_finding *f, const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	if (get_label(data, len, "finding", f->label) || kt_data_get_str(data, len, "kind", &s, &n))
		return -1;
	for (int k = 0; k < KT_FINDING_KINDS; k++)
		if (type_is(s, n, finding_kinds[k]))
			f->kind = (enum kt_finding_kind)k;
	return 0;
}

static int add_finding(struct kt_inspection *in, const struct kt_event *ev)
{
	struct kt_finding f;
	memset(&f, 0, sizeof f);
	if (set_finding(&f, ev->data, ev->data_len))
		return KT_OK;
	memcpy(f.source, ev->id, 16);
	struct kt_finding *grown = realloc(in->findings, (in->n_findings + 1) * sizeof *grown);
	if (!grown)
		return KT_ENOMEM;
	in->findings = grown;
	in->findings[in->n_findings++] = f;
	return KT_OK;
}

static int set_order(struct kt_order *o, const uint8_t *data, size_t len)
{
	char finding[KT_LABEL_SIZE] = "";
	if (get_label(data, len, "order", o->label))
		return -1;
	get_label(data, len, "finding", finding);
	memcpy(o->finding, finding, sizeof finding);
	o->issued = get_date(data, len, "date");
	o->issued_precision = kt_date_precision_of(data, len);
	o->deadline = get_date(data, len, "deadline");
	const char *s;
	size_t n;
	free(o->deadline_text);
	o->deadline_text = NULL;
	if (!kt_data_get_str(data, len, "deadline_text", &s, &n)) {
		if (!(o->deadline_text = malloc(n + 1)))
			return KT_ENOMEM;
		memcpy(o->deadline_text, s, n);
		o->deadline_text[n] = 0;
	}
	return 0;
}

static int add_order(struct kt_inspection *in, const struct kt_event *ev)
{
	struct kt_order o;
	memset(&o, 0, sizeof o);
	int rc = set_order(&o, ev->data, ev->data_len);
	if (rc) {
		free(o.deadline_text);
		return rc == -1 ? KT_OK : rc;
	}
	memcpy(o.source, ev->id, 16);
	struct kt_order *grown = realloc(in->orders, (in->n_orders + 1) * sizeof *grown);
	if (!grown) {
		free(o.deadline_text);
		return KT_ENOMEM;
	}
	in->orders = grown;
	in->orders[in->n_orders++] = o;
	return KT_OK;
}

/* Keep the deadline_text of data (NULL when it has none) as c's wording. */
static int set_change_text(struct kt_deadline_change *c, const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	char *text = NULL;
	if (!kt_data_get_str(data, len, "deadline_text", &s, &n)) {
		if (!(text = malloc(n + 1)))
			return KT_ENOMEM;
		memcpy(text, s, n);
		text[n] = 0;
	}
	free(c->deadline_text);
	c->deadline_text = text;
	return KT_OK;
}

/* A new deadline for o, set by the event source whose payload is data. */
static int add_change(struct kt_order *o, const uint8_t source[16], int64_t deadline,
		      const uint8_t *data, size_t len)
{
	struct kt_deadline_change *grown = realloc(o->changes, (o->n_changes + 1) * sizeof *grown);
	if (!grown)
		return KT_ENOMEM;
	o->changes = grown;
	struct kt_deadline_change *c = &o->changes[o->n_changes++];
	memset(c, 0, sizeof *c);
	memcpy(c->source, source, 16);
	c->deadline = deadline;
	return set_change_text(c, data, len);
}

static void set_status(struct kt_order *o, enum kt_order_status st, const struct kt_event *ev)
{
	o->status = st;
	memcpy(o->status_source, ev->id, 16);
	o->status_date = get_date(ev->data, ev->data_len, "date");
}

/*
 * What an appeal decision (payload data) does to its order: an
 * annulment ends it, and a new deadline is a change. Also used when the
 * decision is corrected, so it first undoes what the decision did before.
 */
static int apply_decision(struct kt_order *o, const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	const uint8_t *id = o->decision_source;
	if (o->status == KT_ORDER_ANNULLED && memcmp(o->status_source, id, 16) == 0)
		o->status = KT_ORDER_OPEN;
	if (!kt_data_get_str(data, len, "outcome", &s, &n) && type_is(s, n, "annulled")) {
		o->status = KT_ORDER_ANNULLED;
		memcpy(o->status_source, id, 16);
		o->status_date = get_date(data, len, "date");
	}
	int64_t d = get_date(data, len, "deadline");
	for (size_t c = 0; c < o->n_changes; c++) {
		if (memcmp(o->changes[c].source, id, 16) == 0) {
			o->changes[c].deadline = d;
			o->changes[c].retracted = d == KT_TIME_UNSET;
			return set_change_text(&o->changes[c], data, len);
		}
	}
	return d == KT_TIME_UNSET ? KT_OK : add_change(o, id, d, data, len);
}

static int apply_order_event(struct kt_inspection *in, const struct kt_event *ev)
{
	char label[KT_LABEL_SIZE];
	if (get_label(ev->data, ev->data_len, "order", label))
		return KT_OK;
	struct kt_order *o = order_of(in, label);
	if (!o)
		return KT_OK;
	if (is_type(ev, KT_EV_ORDER_DEADLINE_EXTENDED)) {
		int64_t d = get_date(ev->data, ev->data_len, "deadline");
		return d == KT_TIME_UNSET ? KT_OK
					  : add_change(o, ev->id, d, ev->data, ev->data_len);
	}
	if (is_type(ev, KT_EV_ORDER_APPEALED)) {
		o->appealed = 1;
		memcpy(o->appeal_source, ev->id, 16);
	} else if (is_type(ev, KT_EV_ORDER_APPEAL_DECIDED)) {
		o->appealed = 0;
		o->decided = 1;
		memcpy(o->decision_source, ev->id, 16);
		return apply_decision(o, ev->data, ev->data_len);
	} else if (is_type(ev, KT_EV_ORDER_ESCALATED)) {
		o->escalated = 1;
		memcpy(o->escalation_source, ev->id, 16);
	} else if (is_type(ev, KT_EV_ORDER_FULFILLED)) {
		set_status(o, KT_ORDER_FULFILLED, ev);
	}
	return KT_OK;
}

static void apply_waiver(struct kt_inspection *in, const struct kt_event *ev)
{
	char label[KT_LABEL_SIZE];
	if (!get_label(ev->data, ev->data_len, "order", label)) {
		struct kt_order *o = order_of(in, label);
		if (o)
			set_status(o, KT_ORDER_WAIVED, ev);
	} else if (!get_label(ev->data, ev->data_len, "finding", label)) {
		struct kt_finding *f = finding_of(in, label);
		if (f) {
			f->waived = 1;
			memcpy(f->waived_source, ev->id, 16);
		}
	}
}

static void set_step(struct kt_inspection *in, enum kt_step_kind k, const struct kt_event *ev)
{
	in->steps[k].date = get_date(ev->data, ev->data_len, "date");
	memcpy(in->steps[k].source, ev->id, 16);
}

static const struct {
	const char *type;
	enum kt_step_kind step;
} step_types[] = {
	{ KT_EV_INSPECTION_NOTIFIED, KT_STEP_NOTIFIED },
	{ KT_EV_INSPECTION_CONDUCTED, KT_STEP_CONDUCTED },
	{ KT_EV_REPORT_PRELIMINARY, KT_STEP_PRELIMINARY },
	{ KT_EV_REPORT_COMMENTS_SENT, KT_STEP_COMMENTS },
	{ KT_EV_REPORT_FINAL, KT_STEP_FINAL },
	{ KT_EV_FINDING_NONE, KT_STEP_NO_FINDINGS },
	{ KT_EV_INSPECTION_CLOSED, KT_STEP_CLOSED },
};

static int apply_fact(struct kt_inspection *in, const struct kt_event *ev)
{
	for (size_t k = 0; k < sizeof step_types / sizeof step_types[0]; k++) {
		if (!is_type(ev, step_types[k].type))
			continue;
		set_step(in, step_types[k].step, ev);
		if (step_types[k].step == KT_STEP_PRELIMINARY)
			in->comment_deadline = get_date(ev->data, ev->data_len, "comment_deadline");
		if (step_types[k].step == KT_STEP_CLOSED) {
			int forced = 0;
			kt_data_get_bool(ev->data, ev->data_len, "forced", &forced);
			in->forced = forced;
		}
		return KT_OK;
	}
	if (is_type(ev, KT_EV_FINDING_RECORDED))
		return add_finding(in, ev);
	if (is_type(ev, KT_EV_ORDER_ISSUED))
		return add_order(in, ev);
	if (is_type(ev, KT_EV_REQUIREMENT_WAIVED)) {
		apply_waiver(in, ev);
		return KT_OK;
	}
	if (is_type(ev, KT_EV_RESPONSE_REGISTERED)) {
		uint8_t(*grown)[16] = realloc(in->response_ids, (in->n_response_ids + 1) * 16);
		if (!grown)
			return KT_ENOMEM;
		in->response_ids = grown;
		memcpy(in->response_ids[in->n_response_ids++], ev->id, 16);
		in->responses = (unsigned)in->n_response_ids;
		return KT_OK;
	}
	if (is_type(ev, KT_EV_INSPECTION_TRANSFERRED)) {
		int err = 0;
		replace(&in->transferred_to, dup_field(ev, "to", &err));
		memcpy(in->transfer_source, ev->id, 16);
		in->transfer_date = get_date(ev->data, ev->data_len, "date");
		return err;
	}
	return apply_order_event(in, ev);
}

/* ---- corrections and retractions --------------------------------------- */

/*
 * Withdraw (data == NULL) or replace the fact that the event target stated.
 * Facts are found by the id of the event that stated them; a target this
 * model does not know (another inspection's, or one it never kept) is
 * ignored.
 */
static int revise(struct kt_inspection *in, const uint8_t target[16], const uint8_t *data,
		  size_t len, const struct kt_event *ev)
{
	if (memcmp(in->id, target, 16) == 0)
		return data ? set_header(in, ev, data, len) : KT_OK; /* an inspection stays */
	for (int k = 0; k < KT_STEPS; k++) {
		if (in->steps[k].date == KT_TIME_UNSET || memcmp(in->steps[k].source, target, 16))
			continue;
		in->steps[k].date = data ? get_date(data, len, "date") : KT_TIME_UNSET;
		if (k == KT_STEP_PRELIMINARY)
			in->comment_deadline =
			    data ? get_date(data, len, "comment_deadline") : KT_TIME_UNSET;
		if (k == KT_STEP_CLOSED) {
			int forced = 0;
			if (data)
				kt_data_get_bool(data, len, "forced", &forced);
			in->forced = forced;
		}
		return KT_OK;
	}
	if (in->transferred_to && memcmp(in->transfer_source, target, 16) == 0) {
		if (!data) {
			replace(&in->transferred_to, NULL);
			return KT_OK;
		}
		struct kt_event view = *ev;
		int err = 0;
		view.data = data;
		view.data_len = len;
		char *to = dup_field(&view, "to", &err);
		if (to)
			replace(&in->transferred_to, to);
		in->transfer_date = get_date(data, len, "date");
		return err;
	}
	for (size_t k = 0; k < in->n_findings; k++) {
		struct kt_finding *f = &in->findings[k];
		if (memcmp(f->source, target, 16) == 0) {
			if (!data)
				f->retracted = 1;
			else
				set_finding(f, data, len);
			return KT_OK;
		}
		if (f->waived && memcmp(f->waived_source, target, 16) == 0) {
			f->waived = data != NULL;
			return KT_OK;
		}
	}
	for (size_t k = 0; k < in->n_orders; k++) {
		struct kt_order *o = &in->orders[k];
		if (o->decided && memcmp(o->decision_source, target, 16) == 0) {
			if (data)
				return apply_decision(o, data, len);
			/* Withdrawn: the appeal is pending again, and what the
			 * decision did is undone. */
			o->decided = 0;
			o->appealed = 1;
			if (o->status == KT_ORDER_ANNULLED && !memcmp(o->status_source, target, 16))
				o->status = KT_ORDER_OPEN;
			for (size_t c = 0; c < o->n_changes; c++)
				if (memcmp(o->changes[c].source, target, 16) == 0)
					o->changes[c].retracted = 1;
			return KT_OK;
		}
		if (o->escalated && memcmp(o->escalation_source, target, 16) == 0) {
			o->escalated = data != NULL;
			return KT_OK;
		}
		if (memcmp(o->source, target, 16) == 0) {
			if (!data) {
				o->retracted = 1;
				return KT_OK;
			}
			int rc = set_order(o, data, len);
			return rc == -1 ? KT_OK : rc;
		}
		if (o->status != KT_ORDER_OPEN && memcmp(o->status_source, target, 16) == 0) {
			if (!data)
				o->status = KT_ORDER_OPEN;
			else
				o->status_date = get_date(data, len, "date");
			return KT_OK;
		}
		if (o->appealed && memcmp(o->appeal_source, target, 16) == 0) {
			o->appealed = data != NULL;
			return KT_OK;
		}
		for (size_t c = 0; c < o->n_changes; c++) {
			if (memcmp(o->changes[c].source, target, 16))
				continue;
			if (!data) {
				o->changes[c].retracted = 1;
				return KT_OK;
			}
			if (get_date(data, len, "deadline") == KT_TIME_UNSET)
				return KT_OK;
			o->changes[c].deadline = get_date(data, len, "deadline");
			return set_change_text(&o->changes[c], data, len);
		}
	}
	return KT_OK;
}

static int apply_revision(struct kt_inspection *in, const struct kt_event *ev, int retract)
{
	const char *id_text, *type;
	size_t id_len, type_len;
	char id_buf[KT_ID_TEXT_LEN + 1];
	uint8_t target[16];
	if (kt_data_get_str(ev->data, ev->data_len, "target", &id_text, &id_len) ||
	    id_len != KT_ID_TEXT_LEN ||
	    kt_data_get_str(ev->data, ev->data_len, "target_type", &type, &type_len))
		return KT_OK;
	memcpy(id_buf, id_text, id_len);
	id_buf[id_len] = 0;
	if (kt_id_parse(id_buf, target))
		return KT_OK;
	if (retract) {
		for (size_t k = 0; k < in->n_response_ids; k++) {
			if (memcmp(in->response_ids[k], target, 16) == 0) {
				memmove(in->response_ids[k], in->response_ids[k + 1],
					(in->n_response_ids - k - 1) * 16);
				in->responses = (unsigned)--in->n_response_ids;
				return KT_OK;
			}
		}
		return revise(in, target, NULL, 0, ev);
	}
	const uint8_t *data;
	size_t len;
	if (kt_data_get_map(ev->data, ev->data_len, "data", &data, &len))
		return KT_OK;
	return revise(in, target, data, len, ev);
}

static int apply(void *state, const struct kt_event *ev)
{
	struct kt_inspections *m = state;
	size_t plen = sizeof KT_INSPECTION_STREAM_PREFIX - 1;
	if (ev->stream_len <= plen || memcmp(ev->stream, KT_INSPECTION_STREAM_PREFIX, plen) != 0)
		return KT_OK;
	struct kt_inspection *in = find(m, ev->stream, ev->stream_len);
	if (!in) {
		if (!is_type(ev, KT_EV_INSPECTION_OPENED))
			return KT_OK;
		if (!(in = add(m, ev->stream, ev->stream_len)))
			return KT_ENOMEM;
		memcpy(in->id, ev->id, 16);
		in->version = ev->version;
		return set_header(in, ev, ev->data, ev->data_len);
	}
	in->version = ev->version;
	if (is_type(ev, KT_EV_EVENT_CORRECTED))
		return apply_revision(in, ev, 0);
	if (is_type(ev, KT_EV_EVENT_RETRACTED))
		return apply_revision(in, ev, 1);
	return apply_fact(in, ev);
}

static void reset(void *state)
{
	kt_inspections_free(state);
}

/* ---- queries ----------------------------------------------------------- */

int64_t kt_order_deadline(const struct kt_order *o)
{
	for (size_t k = o->n_changes; k > 0; k--)
		if (!o->changes[k - 1].retracted)
			return o->changes[k - 1].deadline;
	return o->deadline;
}

const char *kt_order_deadline_text(const struct kt_order *o)
{
	for (size_t k = o->n_changes; k > 0; k--)
		if (!o->changes[k - 1].retracted)
			return o->changes[k - 1].deadline_text;
	return o->deadline_text;
}

size_t kt_inspection_findings_of(const struct kt_inspection *in, enum kt_finding_kind kind)
{
	size_t n = 0;
	for (size_t k = 0; k < in->n_findings; k++)
		n += !in->findings[k].retracted && in->findings[k].kind == kind;
	return n;
}

size_t kt_inspection_orders_open(const struct kt_inspection *in)
{
	size_t n = 0;
	for (size_t k = 0; k < in->n_orders; k++)
		n += !in->orders[k].retracted && in->orders[k].status == KT_ORDER_OPEN;
	return n;
}

size_t kt_inspection_orders_done(const struct kt_inspection *in)
{
	size_t n = 0;
	for (size_t k = 0; k < in->n_orders; k++)
		n += !in->orders[k].retracted && in->orders[k].status != KT_ORDER_OPEN;
	return n;
}

enum kt_inspection_status kt_inspection_status(const struct kt_inspection *in)
{
	if (in->transferred_to)
		return KT_INSPECTION_TRANSFERRED;
	if (in->steps[KT_STEP_CLOSED].date != KT_TIME_UNSET)
		return KT_INSPECTION_CLOSED;
	if (kt_inspection_orders_open(in))
		return KT_INSPECTION_ORDERS_OPEN;
	for (size_t k = 0; k < in->n_findings; k++)
		if (!in->findings[k].retracted)
			return KT_INSPECTION_FINDINGS;
	if (in->steps[KT_STEP_NOTIFIED].date != KT_TIME_UNSET &&
	    in->steps[KT_STEP_CONDUCTED].date == KT_TIME_UNSET)
		return KT_INSPECTION_ANNOUNCED;
	return KT_INSPECTION_OPEN;
}

int kt_inspection_report_year(const struct kt_inspection *in)
{
	if (in->report_year)
		return in->report_year;
	if (in->date_from == KT_TIME_UNSET)
		return 0;
	int64_t days = in->date_from / KT_US_PER_DAY - (in->date_from % KT_US_PER_DAY < 0);
	int year = 1970 + (int)(days / 366);
	while (kt_time_days_from_civil(year + 1, 1, 1) <= days)
		year++;
	while (kt_time_days_from_civil(year, 1, 1) > days)
		year--;
	return year;
}

const char *kt_inspection_status_name(enum kt_inspection_status s)
{
	static const char *const names[] = { "announced",   "open",   "findings",
					     "orders open", "closed", "transferred" };
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *kt_order_status_name(enum kt_order_status s)
{
	static const char *const names[] = { "open", "fulfilled", "waived", "annulled" };
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *kt_finding_kind_name(enum kt_finding_kind k)
{
	return (unsigned)k < KT_FINDING_KINDS ? finding_kinds[k] : "?";
}

/* ---- snapshots ---------------------------------------------------------- */

/*
 * The state as one msgpack array of inspections, each a fixed array of its
 * fields (the order of the struct), findings and orders nested the same way.
 * Times are integers (KT_TIME_UNSET included), absent texts nil, ids bin 16.
 */
/* Less than any inspection's encoding: its nine ids alone take 162 bytes. */
#define MIN_INSPECTION_BYTES 64

enum { INSPECTION_FIELDS = 22, FINDING_FIELDS = 6, ORDER_FIELDS = 18, CHANGE_FIELDS = 4 };

static int put_text(msgpack_packer *pk, const char *s)
{
	if (!s)
		return msgpack_pack_nil(pk);
	size_t n = strlen(s);
	return msgpack_pack_str(pk, n) || msgpack_pack_str_body(pk, s, n);
}

static int put_id(msgpack_packer *pk, const uint8_t id[16])
{
	return msgpack_pack_bin(pk, 16) || msgpack_pack_bin_body(pk, id, 16);
}

static int put_bool(msgpack_packer *pk, int b)
{
	return b ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
}

static int put_order(msgpack_packer *pk, const struct kt_order *o)
{
	if (msgpack_pack_array(pk, ORDER_FIELDS) || put_text(pk, o->label) ||
	    put_text(pk, o->finding) || put_id(pk, o->source) ||
	    msgpack_pack_int64(pk, o->issued) || msgpack_pack_int64(pk, o->deadline) ||
	    put_text(pk, o->deadline_text) || msgpack_pack_array(pk, o->n_changes))
		return -1;
	for (size_t c = 0; c < o->n_changes; c++)
		if (msgpack_pack_array(pk, CHANGE_FIELDS) || put_id(pk, o->changes[c].source) ||
		    msgpack_pack_int64(pk, o->changes[c].deadline) ||
		    put_text(pk, o->changes[c].deadline_text) ||
		    put_bool(pk, o->changes[c].retracted))
			return -1;
	return msgpack_pack_uint32(pk, (uint32_t)o->status) || put_id(pk, o->status_source) ||
	       msgpack_pack_int64(pk, o->status_date) || put_bool(pk, o->appealed) ||
	       put_id(pk, o->appeal_source) || put_bool(pk, o->decided) ||
	       put_id(pk, o->decision_source) || put_bool(pk, o->escalated) ||
	       put_id(pk, o->escalation_source) || put_bool(pk, o->retracted) ||
	       msgpack_pack_uint32(pk, (uint32_t)o->issued_precision);
}

static int put_inspection(msgpack_packer *pk, const struct kt_inspection *in)
{
	if (msgpack_pack_array(pk, INSPECTION_FIELDS) || put_text(pk, in->stream) ||
	    put_text(pk, in->case_number) || put_text(pk, in->authority) ||
	    put_text(pk, in->unit) || put_text(pk, in->law) || put_text(pk, in->theme) ||
	    put_text(pk, in->kind) || put_id(pk, in->id) || msgpack_pack_int64(pk, in->date_from) ||
	    msgpack_pack_uint32(pk, (uint32_t)in->date_precision) ||
	    msgpack_pack_int64(pk, in->date_to) || msgpack_pack_int64(pk, in->report_year) ||
	    msgpack_pack_uint64(pk, in->version) || msgpack_pack_array(pk, KT_STEPS))
		return -1;
	for (int k = 0; k < KT_STEPS; k++)
		if (msgpack_pack_array(pk, 2) || msgpack_pack_int64(pk, in->steps[k].date) ||
		    put_id(pk, in->steps[k].source))
			return -1;
	if (msgpack_pack_int64(pk, in->comment_deadline) || put_bool(pk, in->forced) ||
	    put_text(pk, in->transferred_to) || put_id(pk, in->transfer_source) ||
	    msgpack_pack_int64(pk, in->transfer_date) || msgpack_pack_array(pk, in->n_response_ids))
		return -1;
	for (size_t k = 0; k < in->n_response_ids; k++)
		if (put_id(pk, in->response_ids[k]))
			return -1;
	if (msgpack_pack_array(pk, in->n_findings))
		return -1;
	for (size_t k = 0; k < in->n_findings; k++) {
		const struct kt_finding *f = &in->findings[k];
		if (msgpack_pack_array(pk, FINDING_FIELDS) || put_text(pk, f->label) ||
		    msgpack_pack_uint32(pk, (uint32_t)f->kind) || put_id(pk, f->source) ||
		    put_bool(pk, f->waived) || put_id(pk, f->waived_source) ||
		    put_bool(pk, f->retracted))
			return -1;
	}
	if (msgpack_pack_array(pk, in->n_orders))
		return -1;
	for (size_t k = 0; k < in->n_orders; k++)
		if (put_order(pk, &in->orders[k]))
			return -1;
	return 0;
}

static int save(const void *state, struct kt_buf *out)
{
	const struct kt_inspections *m = state;
	struct kt_buf_sink sink = { out, 0 };
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sink, kt_buf_sink_write);
	if (msgpack_pack_array(&pk, m->n))
		return sink.err ? sink.err : KT_ENOMEM;
	for (size_t k = 0; k < m->n; k++)
		if (put_inspection(&pk, &m->items[k]))
			return sink.err ? sink.err : KT_ENOMEM;
	return KT_OK;
}

/* Readers of the fields written above; any mismatch is KT_EMALFORMED. */
static int get_text(struct kt_mp *r, char **out)
{
	const char *s;
	size_t n;
	*out = NULL;
	if (kt_mp_peek(r) == KT_MP_NIL)
		return kt_mp_read_nil(r);
	if (kt_mp_read_str(r, &s, &n))
		return KT_EMALFORMED;
	if (!(*out = malloc(n + 1)))
		return KT_ENOMEM;
	memcpy(*out, s, n);
	(*out)[n] = 0;
	return KT_OK;
}

static int get_fixed_text(struct kt_mp *r, char out[KT_LABEL_SIZE])
{
	const char *s;
	size_t n;
	if (kt_mp_read_str(r, &s, &n) || n >= KT_LABEL_SIZE)
		return KT_EMALFORMED;
	memcpy(out, s, n);
	out[n] = 0;
	return KT_OK;
}

static int get_id(struct kt_mp *r, uint8_t id[16])
{
	const uint8_t *b;
	size_t n;
	if (kt_mp_read_bin(r, &b, &n) || n != 16)
		return KT_EMALFORMED;
	memcpy(id, b, 16);
	return KT_OK;
}

static int get_i64(struct kt_mp *r, int64_t *v)
{
	return kt_mp_read_int(r, v) ? KT_EMALFORMED : KT_OK;
}

static int get_u32(struct kt_mp *r, uint32_t max, unsigned *v)
{
	uint64_t u;
	if (kt_mp_read_uint(r, &u) || u > max)
		return KT_EMALFORMED;
	*v = (unsigned)u;
	return KT_OK;
}

static int get_year(struct kt_mp *r, int *year)
{
	int64_t v;
	if (kt_mp_read_int(r, &v) || (v != 0 && (v < 1900 || v > 9999)))
		return KT_EMALFORMED;
	*year = (int)v;
	return KT_OK;
}

static int get_flag(struct kt_mp *r, int *v)
{
	return kt_mp_read_bool(r, v) ? KT_EMALFORMED : KT_OK;
}

static int expect_array(struct kt_mp *r, uint32_t want)
{
	uint32_t n;
	return kt_mp_read_array(r, &n) || n != want ? KT_EMALFORMED : KT_OK;
}

static int get_count(struct kt_mp *r, uint32_t *n)
{
	return kt_mp_read_array(r, n) ? KT_EMALFORMED : KT_OK;
}

static int load_order(struct kt_mp *r, struct kt_order *o)
{
	uint32_t n;
	unsigned status, precision;
	int rc;
	if ((rc = expect_array(r, ORDER_FIELDS)) || (rc = get_fixed_text(r, o->label)) ||
	    (rc = get_fixed_text(r, o->finding)) || (rc = get_id(r, o->source)) ||
	    (rc = get_i64(r, &o->issued)) || (rc = get_i64(r, &o->deadline)) ||
	    (rc = get_text(r, &o->deadline_text)) || (rc = get_count(r, &n)))
		return rc;
	if (n && !(o->changes = calloc(n, sizeof *o->changes)))
		return KT_ENOMEM;
	for (uint32_t c = 0; c < n; c++) {
		o->n_changes++; /* counted first, so that a failure frees its text */
		if ((rc = expect_array(r, CHANGE_FIELDS)) ||
		    (rc = get_id(r, o->changes[c].source)) ||
		    (rc = get_i64(r, &o->changes[c].deadline)) ||
		    (rc = get_text(r, &o->changes[c].deadline_text)) ||
		    (rc = get_flag(r, &o->changes[c].retracted)))
			return rc;
	}
	if ((rc = get_u32(r, KT_ORDER_ANNULLED, &status)) || (rc = get_id(r, o->status_source)) ||
	    (rc = get_i64(r, &o->status_date)) || (rc = get_flag(r, &o->appealed)) ||
	    (rc = get_id(r, o->appeal_source)) || (rc = get_flag(r, &o->decided)) ||
	    (rc = get_id(r, o->decision_source)) || (rc = get_flag(r, &o->escalated)) ||
	    (rc = get_id(r, o->escalation_source)) || (rc = get_flag(r, &o->retracted)) ||
	    (rc = get_u32(r, KT_DATE_ON_OR_BEFORE, &precision)))
		return rc;
	o->status = (enum kt_order_status)status;
	o->issued_precision = (enum kt_date_precision)precision;
	return KT_OK;
}

static int load_responses(struct kt_mp *r, struct kt_inspection *in)
{
	uint32_t n;
	int rc = get_count(r, &n);
	if (rc)
		return rc;
	if (n && !(in->response_ids = calloc(n, 16)))
		return KT_ENOMEM;
	for (uint32_t k = 0; k < n; k++, in->n_response_ids++)
		if ((rc = get_id(r, in->response_ids[k])))
			return rc;
	in->responses = n;
	return KT_OK;
}

static int load_findings(struct kt_mp *r, struct kt_inspection *in)
{
	uint32_t n;
	int rc = get_count(r, &n);
	if (rc)
		return rc;
	if (n && !(in->findings = calloc(n, sizeof *in->findings)))
		return KT_ENOMEM;
	for (uint32_t k = 0; k < n; k++, in->n_findings++) {
		struct kt_finding *f = &in->findings[k];
		unsigned kind;
		if ((rc = expect_array(r, FINDING_FIELDS)) || (rc = get_fixed_text(r, f->label)) ||
		    (rc = get_u32(r, KT_FINDING_KINDS - 1, &kind)) || (rc = get_id(r, f->source)) ||
		    (rc = get_flag(r, &f->waived)) || (rc = get_id(r, f->waived_source)) ||
		    (rc = get_flag(r, &f->retracted)))
			return rc;
		f->kind = (enum kt_finding_kind)kind;
	}
	return KT_OK;
}

static int load_orders(struct kt_mp *r, struct kt_inspection *in)
{
	uint32_t n;
	int rc = get_count(r, &n);
	if (rc)
		return rc;
	if (n && !(in->orders = calloc(n, sizeof *in->orders)))
		return KT_ENOMEM;
	for (uint32_t k = 0; k < n; k++) {
		/* Counted before it is read, so a failure frees what it holds. */
		in->n_orders++;
		if ((rc = load_order(r, &in->orders[k])))
			return rc;
	}
	return KT_OK;
}

static int load_inspection(struct kt_mp *r, struct kt_inspection *in)
{
	int rc;
	unsigned precision = 0;
	if ((rc = expect_array(r, INSPECTION_FIELDS)) || (rc = get_text(r, &in->stream)) ||
	    (rc = in->stream ? KT_OK : KT_EMALFORMED) || (rc = get_text(r, &in->case_number)) ||
	    (rc = get_text(r, &in->authority)) || (rc = get_text(r, &in->unit)) ||
	    (rc = get_text(r, &in->law)) || (rc = get_text(r, &in->theme)) ||
	    (rc = get_text(r, &in->kind)) || (rc = get_id(r, in->id)) ||
	    (rc = get_i64(r, &in->date_from)) ||
	    (rc = get_u32(r, KT_DATE_ON_OR_BEFORE, &precision)) ||
	    (rc = get_i64(r, &in->date_to)) || (rc = get_year(r, &in->report_year)) ||
	    (rc = kt_mp_read_uint(r, &in->version) ? KT_EMALFORMED : KT_OK) ||
	    (rc = expect_array(r, KT_STEPS)))
		return rc;
	in->date_precision = (enum kt_date_precision)precision;
	for (int k = 0; k < KT_STEPS; k++)
		if ((rc = expect_array(r, 2)) || (rc = get_i64(r, &in->steps[k].date)) ||
		    (rc = get_id(r, in->steps[k].source)))
			return rc;
	if ((rc = get_i64(r, &in->comment_deadline)) || (rc = get_flag(r, &in->forced)) ||
	    (rc = get_text(r, &in->transferred_to)) || (rc = get_id(r, in->transfer_source)) ||
	    (rc = get_i64(r, &in->transfer_date)) || (rc = load_responses(r, in)) ||
	    (rc = load_findings(r, in)))
		return rc;
	return load_orders(r, in);
}

static int load(void *state, const uint8_t *bytes, size_t len)
{
	struct kt_inspections *m = state;
	struct kt_mp r = kt_mp_init(bytes, len);
	uint32_t n;
	kt_inspections_free(m);
	int rc = get_count(&r, &n);
	/* Sized once. An inspection takes far more than MIN_INSPECTION_BYTES
	 * to encode, so a count the bytes cannot hold is refused before it
	 * can ask for memory. */
	if (!rc && n > len / MIN_INSPECTION_BYTES)
		rc = KT_EMALFORMED;
	if (!rc && n) {
		rc = size_index(m, n);
		if (!rc && !(m->items = malloc(n * sizeof *m->items)))
			rc = KT_ENOMEM;
		if (!rc)
			m->cap = n;
	}
	for (uint32_t k = 0; !rc && k < n; k++) {
		if ((m->n + 1) * 2 > m->n_slots && (rc = grow_index(m)))
			break;
		if (m->n == m->cap) {
			size_t cap = m->cap ? m->cap * 2 : 16;
			struct kt_inspection *items = realloc(m->items, cap * sizeof *items);
			if (!items) {
				rc = KT_ENOMEM;
				break;
			}
			m->items = items;
			m->cap = cap;
		}
		struct kt_inspection *in = &m->items[m->n];
		memset(in, 0, sizeof *in);
		m->n++; /* counted first, so that a failure frees what it holds */
		if ((rc = load_inspection(&r, in)))
			break;
		size_t *slot = slot_of(m, in->stream, strlen(in->stream));
		if (*slot) {
			rc = KT_EMALFORMED; /* one stream twice */
			break;
		}
		*slot = m->n;
	}
	if (!rc && r.p != r.end)
		rc = KT_EMALFORMED;
	if (rc)
		kt_inspections_free(m);
	return rc;
}

const struct kt_projection kt_inspections_projection = {
	.name = "inspections",
	.state_version = STATE_VERSION,
	.reset = reset,
	.apply = apply,
	.save = save,
	.load = load,
};
