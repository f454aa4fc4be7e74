/*
 * incidents.c — the incidents read model (incidents.h): the fold over
 * incident events, corrections and retractions, the snapshot encoding, and
 * the statistics.
 */
#include "kontroll/incidents.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/ktime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bump when the fold's meaning or the snapshot encoding changes. */
#define STATE_VERSION 1

/* ---- the model's memory ---------------------------------------------- */

void kt_incidents_init(struct kt_incidents *m)
{
	memset(m, 0, sizeof *m);
}

void kt_incidents_free(struct kt_incidents *m)
{
	for (size_t k = 0; k < m->n; k++)
		if (m->items[k].cap_facts)
			free(m->items[k].facts);
	free(m->items);
	free(m->slots);
	for (uint32_t k = 0; k < m->n_names; k++)
		free(m->names[k]);
	free(m->names);
	free(m->name_slots);
	free(m->pool);
	kt_incidents_init(m);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t k = 0; k < n; k++)
		h = (h ^ (uint8_t)s[k]) * UINT64_C(1099511628211);
	return h;
}

/* ---- the index by number ----------------------------------------------- */

/* Slots hold item index + 1; 0 is empty. */
static size_t *slot_of(const struct kt_incidents *m, const char *number, size_t n)
{
	size_t mask = m->n_slots - 1;
	for (size_t i = hash_bytes(number, n) & mask;; i = (i + 1) & mask) {
		size_t *slot = &m->slots[i];
		if (*slot == 0)
			return slot;
		const char *have = m->items[*slot - 1].number;
		if (strlen(have) == n && memcmp(have, number, n) == 0)
			return slot;
	}
}

/* Rebuild the index with room for at least want items at half load. */
static int size_index(struct kt_incidents *m, size_t want)
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
		*slot_of(m, m->items[k].number, strlen(m->items[k].number)) = k + 1;
	return KT_OK;
}

static struct kt_incident *find(const struct kt_incidents *m, const char *number, size_t n)
{
	if (!m->n_slots)
		return NULL;
	size_t slot = *slot_of(m, number, n);
	return slot ? &m->items[slot - 1] : NULL;
}

const struct kt_incident *kt_incidents_find(const struct kt_incidents *m, const char *number,
					    size_t len)
{
	return find(m, number, len);
}

/* A new incident numbered number (valid, n < KT_INCIDENT_NUMBER_SIZE). */
static struct kt_incident *add(struct kt_incidents *m, const char *number, size_t n, int year,
			       uint32_t seq)
{
	if ((m->n + 1) * 2 > m->n_slots && size_index(m, m->n + 1))
		return NULL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct kt_incident *items = realloc(m->items, cap * sizeof *items);
		if (!items)
			return NULL;
		m->items = items;
		m->cap = cap;
	}
	struct kt_incident *in = &m->items[m->n];
	memset(in, 0, sizeof *in);
	memcpy(in->number, number, n);
	in->year = year;
	in->seq = seq;
	*slot_of(m, number, n) = ++m->n;
	return in;
}

/* ---- interned names ------------------------------------------------------ */

static uint32_t *name_slot(const struct kt_incidents *m, const char *s, size_t n)
{
	uint32_t mask = m->n_name_slots - 1;
	for (uint32_t i = (uint32_t)hash_bytes(s, n) & mask;; i = (i + 1) & mask) {
		uint32_t *slot = &m->name_slots[i];
		if (*slot == 0)
			return slot;
		const char *have = m->names[*slot - 1];
		if (strlen(have) == n && memcmp(have, s, n) == 0)
			return slot;
	}
}

static int size_names(struct kt_incidents *m, uint32_t want)
{
	uint32_t n_slots = m->n_name_slots ? m->n_name_slots : 64;
	while (n_slots < 2 * want)
		n_slots *= 2;
	if (n_slots == m->n_name_slots)
		return KT_OK;
	uint32_t *slots = calloc(n_slots, sizeof *slots);
	if (!slots)
		return KT_ENOMEM;
	free(m->name_slots);
	m->name_slots = slots;
	m->n_name_slots = n_slots;
	for (uint32_t k = 0; k < m->n_names; k++)
		*name_slot(m, m->names[k], strlen(m->names[k])) = k + 1;
	return KT_OK;
}

/* The index of the name s (n bytes, no NUL inside), added when new. */
static int intern(struct kt_incidents *m, const char *s, size_t n, uint32_t *out)
{
	if (m->n_name_slots) {
		uint32_t slot = *name_slot(m, s, n);
		if (slot) {
			*out = slot - 1;
			return KT_OK;
		}
	}
	if (m->n_names >= UINT32_MAX / 4 || size_names(m, m->n_names + 1))
		return KT_ENOMEM;
	if (m->n_names == m->cap_names) {
		uint32_t cap = m->cap_names ? m->cap_names * 2 : 64;
		char **names = realloc(m->names, cap * sizeof *names);
		if (!names)
			return KT_ENOMEM;
		m->names = names;
		m->cap_names = cap;
	}
	char *copy = malloc(n + 1);
	if (!copy)
		return KT_ENOMEM;
	memcpy(copy, s, n);
	copy[n] = 0;
	m->names[m->n_names] = copy;
	*out = m->n_names++;
	*name_slot(m, s, n) = *out + 1;
	return KT_OK;
}

const char *kt_incidents_name(const struct kt_incidents *m, uint32_t name)
{
	return name < m->n_names ? m->names[name] : "";
}

/* ---- reading payloads -------------------------------------------------- */

static int type_is(const char *s, size_t n, const char *type)
{
	return strlen(type) == n && memcmp(s, type, n) == 0;
}

static int32_t day_of(int64_t us)
{
	return (int32_t)(us / KT_US_PER_DAY - (us % KT_US_PER_DAY < 0));
}

static int get_day(const uint8_t *data, size_t len, const char *field, int32_t *day)
{
	int64_t us;
	if (kt_data_get_date(data, len, field, &us))
		return -1;
	*day = day_of(us);
	return 0;
}

static int get_key(const uint8_t *data, size_t len, const char *field,
		   int (*by_key)(const char *, size_t), uint8_t *out)
{
	const char *s;
	size_t n;
	if (kt_data_get_str(data, len, field, &s, &n))
		return -1;
	int v = by_key(s, n);
	if (v < 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

static int get_name(struct kt_incidents *m, const uint8_t *data, size_t len, const char *field,
		    uint32_t *out, int *err)
{
	const char *s;
	size_t n;
	if (kt_data_get_str(data, len, field, &s, &n) || memchr(s, 0, n))
		return -1;
	*err = intern(m, s, n, out);
	return *err ? -1 : 0;
}

static enum kt_fact_kind kind_of(const char *type, size_t n, int *known)
{
	static const struct {
		const char *type;
		enum kt_fact_kind kind;
	} kinds[] = {
		{ KT_EV_INCIDENT_REPORTED, KT_FACT_REPORTED },
		{ KT_EV_INCIDENT_TRIAGED, KT_FACT_TRIAGED },
		{ KT_EV_INCIDENT_ASSIGNED, KT_FACT_ASSIGNED },
		{ KT_EV_INCIDENT_ACTION_ADDED, KT_FACT_ACTION_ADDED },
		{ KT_EV_INCIDENT_ACTION_COMPLETED, KT_FACT_ACTION_COMPLETED },
		{ KT_EV_INCIDENT_REPORTED_EXTERNAL, KT_FACT_EXTERNAL },
		{ KT_EV_INCIDENT_EXTERNAL_NOT_REQ, KT_FACT_NOT_REQUIRED },
		{ KT_EV_INCIDENT_CLOSED, KT_FACT_CLOSED },
		{ KT_EV_INCIDENT_REOPENED, KT_FACT_REOPENED },
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (type_is(type, n, kinds[k].type)) {
			*known = 1;
			return kinds[k].kind;
		}
	*known = 0;
	return KT_FACT_REPORTED;
}

static int area_by_key(const char *s, size_t n)
{
	return kt_area_by_key(s, n);
}

/* fill's answer for a payload that lacks what the fold needs. */
#define SKIP 1

/*
 * Fill f's values (not its id, time or kind) from a payload of its kind.
 * Returns 0; SKIP when the payload lacks what the fold needs (the event is
 * then skipped); KT_ENOMEM.
 */
static int fill(struct kt_incidents *m, struct kt_incident_fact *f, const uint8_t *d, size_t n)
{
	int err = 0;
	int64_t severity;
	f->a = f->b = 0;
	f->name = KT_NAME_NONE;
	f->day = KT_DAY_NONE;
	switch ((enum kt_fact_kind)f->kind) {
	case KT_FACT_REPORTED:
		if (get_key(d, n, "category", kt_category_by_key, &f->a) ||
		    get_key(d, n, "area", area_by_key, &f->b) ||
		    get_day(d, n, "occurred", &f->day) || get_name(m, d, n, "unit", &f->name, &err))
			return err ? err : SKIP;
		return 0;
	case KT_FACT_TRIAGED:
		if (get_key(d, n, "type", kt_incident_type_by_key, &f->a) ||
		    kt_data_get_int(d, n, "severity", &severity) || severity < 1 || severity > 4)
			return SKIP;
		f->b = (uint8_t)severity;
		return 0;
	case KT_FACT_ASSIGNED:
		return get_name(m, d, n, "handler", &f->name, &err) ? (err ? err : SKIP) : 0;
	case KT_FACT_ACTION_ADDED:
		if (get_day(d, n, "due", &f->day))
			return SKIP;
		return get_name(m, d, n, "action", &f->name, &err) ? (err ? err : SKIP) : 0;
	case KT_FACT_ACTION_COMPLETED:
		return get_name(m, d, n, "action", &f->name, &err) ? (err ? err : SKIP) : 0;
	case KT_FACT_EXTERNAL:
	case KT_FACT_NOT_REQUIRED:
		return get_key(d, n, "recipient", kt_recipient_by_key, &f->a) ? SKIP : 0;
	case KT_FACT_CLOSED:
	case KT_FACT_REOPENED:
		return 0;
	}
	return SKIP;
}

/* ---- deriving an incident's current values ------------------------------ */

static int action_done(const struct kt_incident *in, uint32_t label)
{
	for (uint32_t k = 0; k < in->n_facts; k++) {
		const struct kt_incident_fact *f = &in->facts[k];
		if (f->kind == KT_FACT_ACTION_COMPLETED && !f->retracted && f->name == label)
			return 1;
	}
	return 0;
}

/* Recompute everything derived from the facts; facts[0] is the report. */
static void derive(struct kt_incident *in)
{
	const struct kt_incident_fact *r = &in->facts[0];
	in->retracted = r->retracted;
	in->category = (enum kt_incident_category)r->a;
	in->area = r->b;
	in->unit = r->name;
	in->occurred = r->day;
	in->registered = r->at;
	in->type = -1;
	in->severity = 0;
	in->handler = KT_NAME_NONE;
	in->closed = 0;
	in->closed_at = KT_TIME_UNSET;
	in->first_closed_at = KT_TIME_UNSET;
	in->actions = 0;
	in->actions_open = 0;
	in->next_due = KT_DAY_NONE;
	for (int k = 0; k < KT_RECIPIENTS; k++)
		in->external[k] = KT_TIME_UNSET;
	in->not_required = 0;
	for (uint32_t k = 1; k < in->n_facts; k++) {
		const struct kt_incident_fact *f = &in->facts[k];
		if (f->retracted)
			continue;
		switch ((enum kt_fact_kind)f->kind) {
		case KT_FACT_TRIAGED:
			in->type = f->a;
			in->severity = f->b;
			break;
		case KT_FACT_ASSIGNED:
			in->handler = f->name;
			break;
		case KT_FACT_ACTION_ADDED:
			in->actions++;
			if (!action_done(in, f->name)) {
				in->actions_open++;
				if (f->day < in->next_due)
					in->next_due = f->day;
			}
			break;
		case KT_FACT_EXTERNAL:
			if (in->external[f->a] == KT_TIME_UNSET || f->at < in->external[f->a])
				in->external[f->a] = f->at;
			break;
		case KT_FACT_NOT_REQUIRED:
			in->not_required |= 1u << f->a;
			break;
		case KT_FACT_CLOSED:
			in->closed = 1;
			in->closed_at = f->at;
			if (in->first_closed_at == KT_TIME_UNSET)
				in->first_closed_at = f->at;
			break;
		case KT_FACT_REOPENED:
			in->closed = 0;
			in->closed_at = KT_TIME_UNSET;
			break;
		case KT_FACT_REPORTED:
		case KT_FACT_ACTION_COMPLETED:
			break;
		}
	}
}

/* ---- the fold ----------------------------------------------------------- */

static struct kt_incident_fact *new_fact(struct kt_incident *in)
{
	if (in->n_facts == in->cap_facts || !in->cap_facts) {
		uint32_t cap = in->cap_facts ? in->cap_facts * 2 : in->n_facts + 4;
		struct kt_incident_fact *facts = malloc(cap * sizeof *facts);
		if (!facts)
			return NULL;
		if (in->n_facts)
			memcpy(facts, in->facts, in->n_facts * sizeof *facts);
		if (in->cap_facts)
			free(in->facts);
		in->facts = facts;
		in->cap_facts = cap;
	}
	struct kt_incident_fact *f = &in->facts[in->n_facts];
	memset(f, 0, sizeof *f);
	return f;
}

static struct kt_incident_fact *fact_by_id(struct kt_incident *in, const uint8_t id[16])
{
	for (uint32_t k = 0; k < in->n_facts; k++)
		if (memcmp(in->facts[k].id, id, 16) == 0)
			return &in->facts[k];
	return NULL;
}

/* event.corrected (data: the replacement payload) or event.retracted. */
static int revise(struct kt_incidents *m, struct kt_incident *in, const struct kt_event *ev,
		  int retract)
{
	const char *id_text;
	size_t id_len;
	char id_buf[KT_ID_TEXT_LEN + 1];
	uint8_t target[16];
	if (kt_data_get_str(ev->data, ev->data_len, "target", &id_text, &id_len) ||
	    id_len != KT_ID_TEXT_LEN)
		return KT_OK;
	memcpy(id_buf, id_text, id_len);
	id_buf[id_len] = 0;
	struct kt_incident_fact *f;
	if (kt_id_parse(id_buf, target) || !(f = fact_by_id(in, target)) || f->retracted)
		return KT_OK;
	if (retract) {
		f->retracted = 1;
		return KT_OK;
	}
	const uint8_t *data;
	size_t len;
	if (kt_data_get_map(ev->data, ev->data_len, "data", &data, &len))
		return KT_OK;
	struct kt_incident_fact replaced = *f;
	int rc = fill(m, &replaced, data, len);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		*f = replaced;
		if (f == &in->facts[0])
			in->text_position = ev->position;
	}
	return KT_OK;
}

static int apply(void *state, const struct kt_event *ev)
{
	struct kt_incidents *m = state;
	size_t plen = sizeof KT_INCIDENT_STREAM_PREFIX - 1;
	if (ev->stream_len <= plen || memcmp(ev->stream, KT_INCIDENT_STREAM_PREFIX, plen) != 0)
		return KT_OK;
	const char *number = ev->stream + plen;
	size_t n = ev->stream_len - plen;
	int year;
	uint32_t seq;
	if (!kt_incident_number_parse(number, n, &year, &seq))
		return KT_OK;
	struct kt_incident *in = find(m, number, n);
	int known, rc;
	enum kt_fact_kind kind = kind_of(ev->type, ev->type_len, &known);
	if (!in) {
		if (!known || kind != KT_FACT_REPORTED)
			return KT_OK;
		struct kt_incident_fact f = { .kind = KT_FACT_REPORTED, .at = ev->effective };
		memcpy(f.id, ev->id, 16);
		if ((rc = fill(m, &f, ev->data, ev->data_len)))
			return rc < 0 ? rc : KT_OK;
		if (!(in = add(m, number, n, year, seq)))
			return KT_ENOMEM;
		struct kt_incident_fact *slot = new_fact(in);
		if (!slot)
			return KT_ENOMEM;
		*slot = f;
		in->n_facts = 1;
		in->text_position = ev->position;
		in->version = ev->version;
		derive(in);
		return KT_OK;
	}
	in->version = ev->version;
	if (type_is(ev->type, ev->type_len, KT_EV_EVENT_CORRECTED) ||
	    type_is(ev->type, ev->type_len, KT_EV_EVENT_RETRACTED)) {
		rc = revise(m, in, ev, type_is(ev->type, ev->type_len, KT_EV_EVENT_RETRACTED));
		if (!rc)
			derive(in);
		return rc;
	}
	if (!known || kind == KT_FACT_REPORTED)
		return KT_OK; /* a second report in one stream states nothing new */
	struct kt_incident_fact f = { .kind = (uint8_t)kind, .at = ev->effective };
	memcpy(f.id, ev->id, 16);
	if ((rc = fill(m, &f, ev->data, ev->data_len)))
		return rc < 0 ? rc : KT_OK;
	struct kt_incident_fact *slot = new_fact(in);
	if (!slot)
		return KT_ENOMEM;
	*slot = f;
	in->n_facts++;
	derive(in);
	return KT_OK;
}

static void reset(void *state)
{
	kt_incidents_free(state);
}

/* ---- queries ----------------------------------------------------------- */

uint32_t kt_incidents_last_seq(const struct kt_incidents *m, int year)
{
	uint32_t last = 0;
	for (size_t k = 0; k < m->n; k++)
		if (m->items[k].year == year && m->items[k].seq > last)
			last = m->items[k].seq;
	return last;
}

const struct kt_incident_fact *kt_incident_action(const struct kt_incidents *m,
						  const struct kt_incident *in, const char *label,
						  int *done)
{
	for (uint32_t k = 0; k < in->n_facts; k++) {
		const struct kt_incident_fact *f = &in->facts[k];
		if (f->kind == KT_FACT_ACTION_ADDED && !f->retracted &&
		    strcmp(kt_incidents_name(m, f->name), label) == 0) {
			if (done)
				*done = action_done(in, f->name);
			return f;
		}
	}
	return NULL;
}

const struct kt_incident_fact *kt_incident_fact_by_id(const struct kt_incident *in,
						      const uint8_t id[16])
{
	for (uint32_t k = 0; k < in->n_facts; k++)
		if (!in->facts[k].retracted && memcmp(in->facts[k].id, id, 16) == 0)
			return &in->facts[k];
	return NULL;
}

int kt_incident_overdue(const struct kt_incident *in, int64_t moment)
{
	return !in->retracted && !in->closed && in->next_due != KT_DAY_NONE &&
	       in->next_due < day_of(moment);
}

enum kt_notify_status kt_incident_notify_status(const struct kt_incident *in, int64_t moment)
{
	if (in->retracted || in->type != KT_TYPE_PERSONVERN)
		return KT_NOTIFY_NA;
	int64_t sent = in->external[KT_RECIPIENT_DATATILSYNET];
	if (sent != KT_TIME_UNSET)
		return sent - in->registered <= KT_NOTIFY_US ? KT_NOTIFY_IN_TIME : KT_NOTIFY_LATE;
	if (in->not_required & (1u << KT_RECIPIENT_DATATILSYNET))
		return KT_NOTIFY_NOT_REQUIRED;
	return moment - in->registered <= KT_NOTIFY_US ? KT_NOTIFY_PENDING : KT_NOTIFY_OVERDUE;
}

const char *kt_notify_status_name(enum kt_notify_status s)
{
	static const char *const names[] = { "-",	"in time", "late", "not required",
					     "pending", "overdue" };
	return (unsigned)s <= KT_NOTIFY_OVERDUE ? names[s] : "?";
}

/* ---- statistics -------------------------------------------------------- */

void kt_incident_period_before(int64_t from, int64_t to, int64_t *prev_from, int64_t *prev_to)
{
	char a[KT_TIME_TEXT_MAX], b[KT_TIME_TEXT_MAX];
	kt_time_format(from, a);
	kt_time_format(to + 1, b);
	/* Whole calendar years: from is 1 January 00:00, to + 1 µs is too. */
	if (strcmp(a + 4, "-01-01T00:00:00.000000Z") == 0 &&
	    strcmp(b + 4, "-01-01T00:00:00.000000Z") == 0) {
		int y0 = atoi(a), y1 = atoi(b);
		*prev_from = kt_time_days_from_civil(y0 - (y1 - y0), 1, 1) * KT_US_PER_DAY;
		*prev_to = from - 1;
		return;
	}
	*prev_to = from - 1;
	*prev_from = from - (to - from + 1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double nearest_rank(const double *sorted, size_t n, unsigned percent)
{
	if (!n)
		return NAN;
	size_t rank = (n * percent + 99) / 100; /* ceil(n · p / 100) */
	return sorted[rank ? rank - 1 : 0];
}

static void count(struct kt_incident_counts *c, const struct kt_incident *in)
{
	c->total++;
	c->category[in->category]++;
	c->area[in->area]++;
	c->type[in->type < 0 ? KT_TYPES : in->type]++;
	c->unit[in->unit]++;
}

int kt_incident_stats(const struct kt_incidents *m, int64_t from, int64_t to, int64_t prev_from,
		      int64_t prev_to, struct kt_incident_stats *out)
{
	memset(out, 0, sizeof *out);
	out->from = from;
	out->to = to;
	out->prev_from = prev_from;
	out->prev_to = prev_to;
	out->n_units = m->n_names;
	out->now.unit = calloc(m->n_names + 1, sizeof *out->now.unit);
	out->before.unit = calloc(m->n_names + 1, sizeof *out->before.unit);
	double *days = malloc((m->n + 1) * sizeof *days);
	if (!out->now.unit || !out->before.unit || !days) {
		free(days);
		return KT_ENOMEM;
	}
	size_t n_days = 0;
	for (size_t k = 0; k < m->n; k++) {
		const struct kt_incident *in = &m->items[k];
		if (in->retracted)
			continue;
		if (in->registered <= to && !in->closed) {
			out->open_at_end++;
			out->open_at_end_area[in->area]++;
		}
		if (in->registered >= prev_from && in->registered <= prev_to)
			count(&out->before, in);
		if (in->registered < from || in->registered > to)
			continue;
		count(&out->now, in);
		if (in->closed) {
			out->closed++;
			days[n_days++] =
			    (double)(in->closed_at - in->registered) / (double)KT_US_PER_DAY;
		}
		int any = 0;
		for (int r = 0; r < KT_RECIPIENTS; r++)
			if (in->external[r] != KT_TIME_UNSET) {
				out->external[r]++;
				any = 1;
			}
		out->external_any += (uint64_t)any;
		if (in->type == KT_TYPE_PERSONVERN) {
			out->personvern++;
			out->notify[kt_incident_notify_status(in, to)]++;
			if (in->external[KT_RECIPIENT_DATATILSYNET] != KT_TIME_UNSET)
				out->to_datatilsynet++;
		}
	}
	qsort(days, n_days, sizeof *days, cmp_double);
	out->close_days_median = nearest_rank(days, n_days, 50);
	out->close_days_p90 = nearest_rank(days, n_days, 90);
	free(days);
	return KT_OK;
}

void kt_incident_stats_free(struct kt_incident_stats *st)
{
	free(st->now.unit);
	free(st->before.unit);
	st->now.unit = st->before.unit = NULL;
}

double kt_change_percent(uint64_t before, uint64_t now)
{
	if (!before)
		return NAN;
	return ((double)now - (double)before) * 100.0 / (double)before;
}

/* ---- snapshots ----------------------------------------------------------
 *
 * A flat little-endian encoding, read back with every count and index
 * checked: the names (u32 count, then u16 length and bytes each), the
 * incidents (u64 count, u64 facts in all, then for each: u8 number length and
 * bytes, u64 version, u64 text position, u32 facts, and FACT_BYTES per fact).
 * The derived values are not saved but derived again on load.
 */

#define FACT_BYTES 36

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int k = 0; k < n; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int k = n - 1; k >= 0; k--)
		v = v << 8 | p[k];
	return v;
}

static int put(struct kt_buf *out, uint64_t v, int n)
{
	uint8_t b[8];
	put_le(b, v, n);
	return kt_buf_append(out, b, (size_t)n);
}

static int save(const void *state, struct kt_buf *out)
{
	const struct kt_incidents *m = state;
	uint64_t facts = 0;
	int err = put(out, m->n_names, 4);
	for (uint32_t k = 0; !err && k < m->n_names; k++) {
		size_t len = strlen(m->names[k]);
		if (len > UINT16_MAX)
			return KT_ETOOBIG;
		if (!(err = put(out, len, 2)))
			err = kt_buf_append(out, m->names[k], len);
	}
	for (size_t k = 0; k < m->n; k++)
		facts += m->items[k].n_facts;
	if (!err)
		err = put(out, m->n, 8);
	if (!err)
		err = put(out, facts, 8);
	for (size_t k = 0; !err && k < m->n; k++) {
		const struct kt_incident *in = &m->items[k];
		size_t len = strlen(in->number);
		uint8_t head[1 + KT_INCIDENT_NUMBER_SIZE + 20];
		head[0] = (uint8_t)len;
		memcpy(head + 1, in->number, len);
		put_le(head + 1 + len, in->version, 8);
		put_le(head + 9 + len, in->text_position, 8);
		put_le(head + 17 + len, in->n_facts, 4);
		err = kt_buf_append(out, head, 21 + len);
		for (uint32_t f = 0; !err && f < in->n_facts; f++) {
			const struct kt_incident_fact *x = &in->facts[f];
			uint8_t b[FACT_BYTES];
			memcpy(b, x->id, 16);
			put_le(b + 16, (uint64_t)x->at, 8);
			b[24] = x->kind;
			b[25] = x->retracted;
			b[26] = x->a;
			b[27] = x->b;
			put_le(b + 28, x->name, 4);
			put_le(b + 32, (uint32_t)x->day, 4);
			err = kt_buf_append(out, b, FACT_BYTES);
		}
	}
	return err;
}

struct reader {
	const uint8_t *p, *end;
};

static int take(struct reader *r, size_t n, const uint8_t **out)
{
	if ((size_t)(r->end - r->p) < n)
		return KT_EMALFORMED;
	*out = r->p;
	r->p += n;
	return KT_OK;
}

static int take_le(struct reader *r, int n, uint64_t *v)
{
	const uint8_t *p;
	if (take(r, (size_t)n, &p))
		return KT_EMALFORMED;
	*v = get_le(p, n);
	return KT_OK;
}

/* A saved fact holds only values the fold could have produced. */
static int fact_ok(const struct kt_incident_fact *f, uint32_t n_names, int first)
{
	if (f->retracted > 1 || (f->name != KT_NAME_NONE && f->name >= n_names))
		return 0;
	if (first != (f->kind == KT_FACT_REPORTED))
		return 0;
	switch ((enum kt_fact_kind)f->kind) {
	case KT_FACT_REPORTED:
		return f->a < KT_CATEGORIES && f->b < KT_AREAS && f->name != KT_NAME_NONE &&
		       f->day != KT_DAY_NONE;
	case KT_FACT_TRIAGED:
		return f->a < KT_TYPES && f->b >= 1 && f->b <= 4;
	case KT_FACT_ASSIGNED:
	case KT_FACT_ACTION_COMPLETED:
		return f->name != KT_NAME_NONE;
	case KT_FACT_ACTION_ADDED:
		return f->name != KT_NAME_NONE && f->day != KT_DAY_NONE;
	case KT_FACT_EXTERNAL:
	case KT_FACT_NOT_REQUIRED:
		return f->a < KT_RECIPIENTS;
	case KT_FACT_CLOSED:
	case KT_FACT_REOPENED:
		return 1;
	}
	return 0;
}

static int load_names(struct kt_incidents *m, struct reader *r)
{
	uint64_t n, len;
	const uint8_t *p;
	if (take_le(r, 4, &n) || n > (uint64_t)(r->end - r->p) / 2)
		return KT_EMALFORMED;
	for (uint64_t k = 0; k < n; k++) {
		uint32_t index;
		if (take_le(r, 2, &len) || take(r, len, &p) || memchr(p, 0, len))
			return KT_EMALFORMED;
		int err = intern(m, (const char *)p, len, &index);
		if (err)
			return err;
		if (index != k)
			return KT_EMALFORMED; /* a name saved twice */
	}
	return KT_OK;
}

static int load_incident(struct kt_incidents *m, struct reader *r, struct kt_incident_fact **pool,
			 const struct kt_incident_fact *pool_end)
{
	const uint8_t *p;
	uint64_t version, text_position, n_facts;
	int year;
	uint32_t seq;
	if (take(r, 1, &p) || *p >= KT_INCIDENT_NUMBER_SIZE)
		return KT_EMALFORMED;
	size_t len = *p;
	const char *number;
	if (take(r, len, &p))
		return KT_EMALFORMED;
	number = (const char *)p;
	if (!kt_incident_number_parse(number, len, &year, &seq) || find(m, number, len) ||
	    take_le(r, 8, &version) || take_le(r, 8, &text_position) || take_le(r, 4, &n_facts) ||
	    n_facts == 0 || n_facts > (uint64_t)(pool_end - *pool))
		return KT_EMALFORMED;
	struct kt_incident *in = add(m, number, len, year, seq);
	if (!in)
		return KT_ENOMEM;
	in->version = version;
	in->text_position = text_position;
	in->facts = *pool;
	in->n_facts = (uint32_t)n_facts;
	in->cap_facts = 0; /* borrowed from the pool */
	*pool += n_facts;
	for (uint32_t k = 0; k < in->n_facts; k++) {
		struct kt_incident_fact *f = &in->facts[k];
		if (take(r, FACT_BYTES, &p))
			return KT_EMALFORMED;
		memcpy(f->id, p, 16);
		f->at = (int64_t)get_le(p + 16, 8);
		f->kind = p[24];
		f->retracted = p[25];
		f->a = p[26];
		f->b = p[27];
		f->name = (uint32_t)get_le(p + 28, 4);
		f->day = (int32_t)(uint32_t)get_le(p + 32, 4);
		if (!fact_ok(f, m->n_names, k == 0))
			return KT_EMALFORMED;
	}
	derive(in);
	return KT_OK;
}

static int load(void *state, const uint8_t *bytes, size_t len)
{
	struct kt_incidents *m = state;
	struct reader r = { bytes, bytes + len };
	uint64_t n, facts;
	kt_incidents_free(m);
	int err = load_names(m, &r);
	if (!err && (take_le(&r, 8, &n) || take_le(&r, 8, &facts) ||
		     n > (uint64_t)(r.end - r.p) / (21 + FACT_BYTES) ||
		     facts > (uint64_t)(r.end - r.p) / FACT_BYTES))
		err = KT_EMALFORMED;
	if (!err && (size_index(m, n) || !(m->items = malloc((n + 1) * sizeof *m->items)) ||
		     !(m->pool = malloc((facts + 1) * sizeof *m->pool))))
		err = KT_ENOMEM;
	if (!err)
		m->cap = n + 1;
	struct kt_incident_fact *next = m->pool;
	for (uint64_t k = 0; !err && k < n; k++)
		err = load_incident(m, &r, &next, m->pool + facts);
	if (!err && (r.p != r.end || next != m->pool + facts))
		err = KT_EMALFORMED;
	if (err)
		kt_incidents_free(m);
	return err;
}

const struct kt_projection kt_incidents_projection = {
	.name = "incidents",
	.state_version = STATE_VERSION,
	.reset = reset,
	.apply = apply,
	.save = save,
	.load = load,
};
