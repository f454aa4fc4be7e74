/*
 * goals.c — the goals read model: the fold of the goal streams into facts,
 * and the views that read the facts (goals.h).
 */
#include "kontroll/goals.h"

#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h" /* event.corrected, event.retracted */
#include "kontroll/ktime.h"

#include <stdlib.h>
#include <string.h>

#define STATE_VERSION 1

static const char *const fact_types[] = {
	[KT_GFACT_DEFINED] = KT_EV_GOAL_DEFINED,
	[KT_GFACT_REVISED] = KT_EV_GOAL_REVISED,
	[KT_GFACT_INDICATOR_DEFINED] = KT_EV_GOAL_INDICATOR_DEFINED,
	[KT_GFACT_INDICATOR_REVISED] = KT_EV_GOAL_INDICATOR_REVISED,
	[KT_GFACT_MEASURED] = KT_EV_GOAL_MEASURED,
	[KT_GFACT_ASSESSED] = KT_EV_GOAL_ASSESSED,
	[KT_GFACT_RETIRED] = KT_EV_GOAL_RETIRED,
};
#define FACT_KINDS (sizeof fact_types / sizeof fact_types[0])

static int kind_of(const char *type, size_t len)
{
	for (size_t k = 0; k < FACT_KINDS; k++)
		if (strlen(fact_types[k]) == len && memcmp(fact_types[k], type, len) == 0)
			return (int)k;
	return -1;
}

/* ---- the model ---------------------------------------------------------- */

void kt_goals_init(struct kt_goals *m)
{
	memset(m, 0, sizeof *m);
}

static void free_goal(struct kt_goal *g)
{
	for (uint32_t k = 0; k < g->n_facts; k++)
		free(g->facts[k].data);
	free(g->facts);
}

void kt_goals_free(struct kt_goals *m)
{
	for (size_t k = 0; k < m->n; k++)
		free_goal(&m->items[k]);
	free(m->items);
	kt_goals_init(m);
}

const struct kt_goal *kt_goals_find(const struct kt_goals *m, const char *number, size_t len)
{
	for (size_t k = 0; k < m->n; k++)
		if (strlen(m->items[k].number) == len &&
		    memcmp(m->items[k].number, number, len) == 0)
			return &m->items[k];
	return NULL;
}

uint32_t kt_goals_last_seq(const struct kt_goals *m, int year)
{
	uint32_t last = 0;
	for (size_t k = 0; k < m->n; k++)
		if (m->items[k].year == year && m->items[k].seq > last)
			last = m->items[k].seq;
	return last;
}

const struct kt_goal_fact *kt_goal_fact_by_id(const struct kt_goal *g, const uint8_t id[16])
{
	for (uint32_t k = 0; k < g->n_facts; k++)
		if (memcmp(g->facts[k].id, id, 16) == 0)
			return &g->facts[k];
	return NULL;
}

/* ---- the fold ----------------------------------------------------------- */

static void reset(void *state)
{
	kt_goals_free(state);
}

static int copy_data(const uint8_t *data, size_t len, uint8_t **out)
{
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return KT_ENOMEM;
	memcpy(copy, data, len);
	*out = copy;
	return KT_OK;
}

static struct kt_goal_fact *new_fact(struct kt_goal *g)
{
	if (g->n_facts == g->cap_facts) {
		uint32_t cap = g->cap_facts ? g->cap_facts * 2 : 8;
		struct kt_goal_fact *facts = realloc(g->facts, cap * sizeof *facts);
		if (!facts)
			return NULL;
		g->facts = facts;
		g->cap_facts = cap;
	}
	struct kt_goal_fact *f = &g->facts[g->n_facts];
	memset(f, 0, sizeof *f);
	return f;
}

static int add_fact(struct kt_goal *g, int kind, const struct kt_event *ev)
{
	struct kt_goal_fact *f = new_fact(g);
	if (!f || copy_data(ev->data, ev->data_len, &f->data))
		return KT_ENOMEM;
	memcpy(f->id, ev->id, 16);
	f->at = ev->effective;
	f->position = ev->position;
	f->kind = (uint8_t)kind;
	f->len = (uint32_t)ev->data_len;
	g->n_facts++;
	return KT_OK;
}

static int define(struct kt_goals *m, const char *number, size_t len, const struct kt_event *ev)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct kt_goal *items = realloc(m->items, cap * sizeof *items);
		if (!items)
			return KT_ENOMEM;
		m->items = items;
		m->cap = cap;
	}
	struct kt_goal *g = &m->items[m->n];
	memset(g, 0, sizeof *g);
	memcpy(g->number, number, len);
	kt_goal_number_parse(number, len, &g->year, &g->seq);
	memcpy(g->id, ev->id, 16);
	int rc = add_fact(g, KT_GFACT_DEFINED, ev);
	if (rc) {
		free_goal(g);
		return rc;
	}
	m->n++;
	return KT_OK;
}

/* event.corrected (data: the replacement payload) or event.retracted. */
static int revise(struct kt_goal *g, const struct kt_event *ev, int retract)
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
	struct kt_goal_fact *f;
	if (kt_id_parse(id_buf, target) ||
	    !(f = (struct kt_goal_fact *)kt_goal_fact_by_id(g, target)) || f->retracted)
		return KT_OK;
	if (retract) {
		f->retracted = 1;
		return KT_OK;
	}
	const uint8_t *data;
	size_t len;
	const char *type = fact_types[f->kind];
	if (kt_data_get_map(ev->data, ev->data_len, "data", &data, &len) ||
	    kt_catalogue_check(type, strlen(type), data, len, NULL, 0))
		return KT_OK;
	/* A correction must leave the goal its number (the command layer
	 * refuses it; a store written otherwise is not trusted on it). */
	const char *was, *now;
	size_t was_len, now_len;
	if (f->kind == KT_GFACT_DEFINED &&
	    (kt_data_get_str(data, len, "number", &now, &now_len) ||
	     kt_data_get_str(f->data, f->len, "number", &was, &was_len) || now_len != was_len ||
	     memcmp(now, was, was_len) != 0))
		return KT_OK;
	uint8_t *copy;
	if (copy_data(data, len, &copy))
		return KT_ENOMEM;
	free(f->data);
	f->data = copy;
	f->len = (uint32_t)len;
	f->corrected_by = ev->position;
	return KT_OK;
}

static int is_type(const struct kt_event *ev, const char *type)
{
	return ev->type_len == strlen(type) && memcmp(ev->type, type, ev->type_len) == 0;
}

static int apply(void *state, const struct kt_event *ev)
{
	struct kt_goals *m = state;
	size_t plen = sizeof KT_GOAL_STREAM_PREFIX - 1;
	if (ev->stream_len <= plen || memcmp(ev->stream, KT_GOAL_STREAM_PREFIX, plen) != 0)
		return KT_OK;
	const char *number = ev->stream + plen;
	size_t n = ev->stream_len - plen;
	if (!kt_goal_number_parse(number, n, NULL, NULL))
		return KT_OK;
	struct kt_goal *g = (struct kt_goal *)kt_goals_find(m, number, n);
	if (g && ev->version > g->version)
		g->version = ev->version;
	if (is_type(ev, KT_EV_EVENT_CORRECTED) || is_type(ev, KT_EV_EVENT_RETRACTED)) {
		if (!g ||
		    kt_catalogue_check(ev->type, ev->type_len, ev->data, ev->data_len, NULL, 0))
			return KT_OK;
		return revise(g, ev, is_type(ev, KT_EV_EVENT_RETRACTED));
	}
	int kind = kind_of(ev->type, ev->type_len);
	if (kind < 0 || kt_catalogue_check(ev->type, ev->type_len, ev->data, ev->data_len, NULL, 0))
		return KT_OK;
	if (kind == KT_GFACT_DEFINED) {
		const char *s;
		size_t len;
		if (g || kt_data_get_str(ev->data, ev->data_len, "number", &s, &len) || len != n ||
		    memcmp(s, number, n) != 0)
			return KT_OK;
		int rc = define(m, number, n, ev);
		if (!rc)
			m->items[m->n - 1].version = ev->version;
		return rc;
	}
	return g ? add_fact(g, kind, ev) : KT_OK;
}

/* ---- reading the facts -------------------------------------------------- */

#define KINDS(a, b) ((1u << (a)) | (1u << (b)))

/* Non-zero when a took effect after b (then: was recorded after it). */
static int later(const struct kt_goal_fact *a, const struct kt_goal_fact *b)
{
	return a->at > b->at || (a->at == b->at && a->position > b->position);
}

static struct kt_text text_of(const struct kt_goal_fact *f, const char *field)
{
	struct kt_text t = { NULL, 0 };
	if (f && kt_data_get_str(f->data, f->len, field, &t.s, &t.len))
		t.s = NULL;
	return t;
}

static int same_text(struct kt_text a, struct kt_text b)
{
	if (!a.s || !b.s)
		return !a.s && !b.s;
	return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

/* Non-zero when f is live, of one of kinds, in force at at, and (for
 * indicator facts, label non-NULL) about label. */
static int counts(const struct kt_goal_fact *f, unsigned kinds, int64_t at, const char *label)
{
	if (f->retracted || !(kinds & (1u << f->kind)) || f->at > at)
		return 0;
	if (!label)
		return 1;
	struct kt_text l = text_of(f, "indicator");
	return l.s && l.len == strlen(label) && memcmp(l.s, label, l.len) == 0;
}

/* The latest fact of kinds in force at at that states field. */
static const struct kt_goal_fact *stating(const struct kt_goal *g, unsigned kinds, int64_t at,
					  const char *label, const char *field)
{
	const struct kt_goal_fact *best = NULL;
	struct kt_mp v;
	for (uint32_t k = 0; k < g->n_facts; k++) {
		const struct kt_goal_fact *f = &g->facts[k];
		if (counts(f, kinds, at, label) && (!best || later(f, best)) &&
		    kt_data_find(f->data, f->len, field, &v) == 0)
			best = f;
	}
	return best;
}

static int64_t int_of(const struct kt_goal_fact *f, const char *field, int64_t otherwise)
{
	int64_t v;
	return f && !kt_data_get_int(f->data, f->len, field, &v) ? v : otherwise;
}

static int key_of(const struct kt_goal_fact *f, const char *field,
		  int (*by_key)(const char *, size_t))
{
	struct kt_text t = text_of(f, field);
	return t.s ? by_key(t.s, t.len) : -1;
}

int kt_goal_definition(const struct kt_goal *g, int64_t at, struct kt_goal_definition *out)
{
	const struct kt_goal_fact *d = &g->facts[0];
	const unsigned kinds = KINDS(KT_GFACT_DEFINED, KT_GFACT_REVISED);
	if (d->retracted || d->at > at)
		return 0;
	memset(out, 0, sizeof *out);
	out->defined_at = d->at;
	int level = key_of(stating(g, kinds, at, NULL, "level"), "level", kt_goal_level_by_key);
	out->level = level < 0 ? KT_LEVEL_MAL : (enum kt_goal_level)level;
	out->area = key_of(d, "area", kt_area_by_key);
	out->period_from =
	    (int)int_of(stating(g, kinds, at, NULL, "period_from"), "period_from", 0);
	out->period_to = (int)int_of(stating(g, kinds, at, NULL, "period_to"), "period_to", 0);
	out->text = text_of(stating(g, kinds, at, NULL, "text"), "text");
	out->title = text_of(stating(g, kinds, at, NULL, "title"), "title");
	out->source = text_of(stating(g, kinds, at, NULL, "source"), "source");
	out->parent = text_of(d, "parent");
	out->retired_at = KT_TIME_UNSET;
	const struct kt_goal_fact *retired = NULL;
	for (uint32_t k = 1; k < g->n_facts; k++) {
		const struct kt_goal_fact *f = &g->facts[k];
		if (counts(f, KINDS(KT_GFACT_REVISED, KT_GFACT_REVISED), at, NULL))
			out->revisions++;
		if (counts(f, KINDS(KT_GFACT_RETIRED, KT_GFACT_RETIRED), at, NULL) &&
		    (!retired || later(retired, f)))
			retired = f;
	}
	if (retired) {
		out->retired = 1;
		out->retired_at = retired->at;
		out->retired_reason = text_of(retired, "reason");
	}
	return 1;
}

/* Merge the targets of f into ind, a year's value replaced only by a later
 * fact's; from[k] is the fact that set targets[k]. */
static void merge_targets(struct kt_goal_indicator *ind, const struct kt_goal_fact **from,
			  const struct kt_goal_fact *f)
{
	const uint8_t *map;
	size_t map_len;
	uint32_t count;
	if (kt_data_get_map(f->data, f->len, "targets", &map, &map_len))
		return;
	struct kt_mp r = kt_mp_init(map, map_len);
	if (kt_mp_read_map(&r, &count))
		return;
	for (uint32_t i = 0; i < count; i++) {
		const char *key;
		size_t key_len;
		double v;
		if (kt_mp_read_str(&r, &key, &key_len) || key_len != 4)
			return;
		if (kt_mp_peek(&r) == KT_MP_FLOAT) {
			if (kt_mp_read_float(&r, &v))
				return;
		} else {
			int64_t i64;
			if (kt_mp_read_int(&r, &i64))
				return;
			v = (double)i64;
		}
		int year = (key[0] - '0') * 1000 + (key[1] - '0') * 100 + (key[2] - '0') * 10 +
			   (key[3] - '0');
		uint32_t k = 0;
		while (k < ind->n_targets && ind->targets[k].year != year)
			k++;
		if (k == ind->n_targets) {
			if (k == KT_GOAL_TARGETS_MAX)
				continue;
			ind->n_targets++;
		} else if (!later(f, from[k])) {
			continue;
		}
		ind->targets[k] = (struct kt_goal_target){ year, v };
		from[k] = f;
	}
}

static int by_year(const void *a, const void *b)
{
	const struct kt_goal_target *x = a, *y = b;
	return (x->year > y->year) - (x->year < y->year);
}

static void read_indicator(const struct kt_goal *g, int64_t at, const struct kt_goal_fact *def,
			   struct kt_goal_indicator *out)
{
	const unsigned kinds = KINDS(KT_GFACT_INDICATOR_DEFINED, KT_GFACT_INDICATOR_REVISED);
	struct kt_text label = text_of(def, "indicator");
	memset(out, 0, sizeof *out);
	if (label.s && label.len < KT_GOAL_LABEL_SIZE)
		memcpy(out->label, label.s, label.len);
	out->defined_at = def->at;
	out->name = text_of(stating(g, kinds, at, out->label, "name"), "name");
	out->unit = text_of(stating(g, kinds, at, out->label, "unit"), "unit");
	out->part = text_of(stating(g, kinds, at, out->label, "part"), "part");
	out->source = text_of(stating(g, kinds, at, out->label, "source"), "source");
	int d = key_of(stating(g, kinds, at, out->label, "direction"), "direction",
		       kt_goal_direction_by_key);
	out->direction = d < 0 ? KT_DIRECTION_LOWER : (enum kt_goal_direction)d;
	const struct kt_goal_fact *b = stating(g, kinds, at, out->label, "baseline");
	out->has_baseline = b && !kt_data_get_number(b->data, b->len, "baseline", &out->baseline);
	/* The baseline's date goes with the value it dates. */
	if (!b || kt_data_get_date(b->data, b->len, "baseline_date", &out->baseline_date))
		out->baseline_date = KT_TIME_UNSET;
	const struct kt_goal_fact *from[KT_GOAL_TARGETS_MAX];
	for (uint32_t k = 0; k < g->n_facts; k++)
		if (counts(&g->facts[k], kinds, at, out->label))
			merge_targets(out, from, &g->facts[k]);
	qsort(out->targets, out->n_targets, sizeof out->targets[0], by_year);
}

void kt_goal_indicators(const struct kt_goal *g, int64_t at, struct kt_goal_indicator *out,
			size_t max, size_t *n)
{
	const unsigned kinds = KINDS(KT_GFACT_INDICATOR_DEFINED, KT_GFACT_INDICATOR_DEFINED);
	size_t found = 0;
	for (uint32_t k = 0; k < g->n_facts; k++) {
		const struct kt_goal_fact *f = &g->facts[k];
		if (!counts(f, kinds, at, NULL))
			continue;
		/* A label defined twice is one indicator: its first definition. */
		struct kt_text label = text_of(f, "indicator");
		int seen = 0;
		for (uint32_t j = 0; j < k && !seen; j++)
			seen = counts(&g->facts[j], kinds, at, NULL) &&
			       same_text(text_of(&g->facts[j], "indicator"), label);
		if (seen || label.len >= KT_GOAL_LABEL_SIZE)
			continue;
		if (found < max)
			read_indicator(g, at, f, &out[found]);
		found++;
	}
	*n = found;
}

int kt_goal_target_of(const struct kt_goal_indicator *ind, int year, double *value)
{
	for (uint32_t k = 0; k < ind->n_targets; k++)
		if (ind->targets[k].year == year) {
			*value = ind->targets[k].value;
			return 1;
		}
	return 0;
}

static void read_measurement(const struct kt_goal_fact *f, struct kt_goal_measurement *out)
{
	out->fact = f;
	kt_data_get_date(f->data, f->len, "date", &out->date);
	kt_data_get_number(f->data, f->len, "value", &out->value);
	out->source = text_of(f, "source");
	out->note = text_of(f, "note");
}

static int by_date(const void *a, const void *b)
{
	const struct kt_goal_measurement *x = a, *y = b;
	if (x->date != y->date)
		return (x->date > y->date) - (x->date < y->date);
	return (x->fact->position > y->fact->position) - (x->fact->position < y->fact->position);
}

int kt_goal_series(const struct kt_goal *g, const char *label, struct kt_goal_measurement **out,
		   size_t *n)
{
	const unsigned kinds = KINDS(KT_GFACT_MEASURED, KT_GFACT_MEASURED);
	size_t count = 0;
	*out = NULL;
	*n = 0;
	for (uint32_t k = 0; k < g->n_facts; k++)
		count += (size_t)counts(&g->facts[k], kinds, KT_TIME_MAX, label);
	if (!count)
		return KT_OK;
	struct kt_goal_measurement *series = malloc(count * sizeof *series);
	if (!series)
		return KT_ENOMEM;
	size_t i = 0;
	for (uint32_t k = 0; k < g->n_facts; k++)
		if (counts(&g->facts[k], kinds, KT_TIME_MAX, label))
			read_measurement(&g->facts[k], &series[i++]);
	qsort(series, count, sizeof *series, by_date);
	*out = series;
	*n = count;
	return KT_OK;
}

int64_t kt_goal_year_end(int year)
{
	return kt_time_days_from_civil(year + 1, 1, 1) * KT_US_PER_DAY - 1;
}

static int64_t year_start(int year)
{
	return kt_time_days_from_civil(year, 1, 1) * KT_US_PER_DAY;
}

int kt_goal_measurement_in(const struct kt_goal *g, const char *label, int year,
			   struct kt_goal_measurement *out)
{
	const unsigned kinds = KINDS(KT_GFACT_MEASURED, KT_GFACT_MEASURED);
	int found = 0;
	int64_t from = year_start(year), to = kt_goal_year_end(year);
	for (uint32_t k = 0; k < g->n_facts; k++) {
		struct kt_goal_measurement m;
		if (!counts(&g->facts[k], kinds, KT_TIME_MAX, label))
			continue;
		read_measurement(&g->facts[k], &m);
		if (m.date < from || m.date > to || (found && m.date < out->date))
			continue;
		*out = m;
		found = 1;
	}
	return found;
}

int kt_goal_meets(enum kt_goal_direction direction, double value, double target)
{
	return direction == KT_DIRECTION_HIGHER ? value >= target : value <= target;
}

static int assessment_of(const struct kt_goal_fact *f, struct kt_goal_assessment *out)
{
	int status = key_of(f, "status", kt_goal_status_by_key);
	if (status < 0)
		return 0;
	out->fact = f;
	out->year = (int)int_of(f, "year", 0);
	out->status = (enum kt_goal_status)status;
	out->wording = text_of(f, "wording");
	out->text = text_of(f, "text");
	out->part = text_of(f, "part");
	out->source = text_of(f, "source");
	return 1;
}

int kt_goal_assessment(const struct kt_goal *g, int year, struct kt_text part,
		       struct kt_goal_assessment *out)
{
	const struct kt_goal_fact *best = NULL;
	for (uint32_t k = 0; k < g->n_facts; k++) {
		const struct kt_goal_fact *f = &g->facts[k];
		if (counts(f, KINDS(KT_GFACT_ASSESSED, KT_GFACT_ASSESSED), KT_TIME_MAX, NULL) &&
		    int_of(f, "year", 0) == year && same_text(text_of(f, "part"), part) &&
		    (!best || later(f, best)))
			best = f;
	}
	return best ? assessment_of(best, out) : 0;
}

int kt_goal_last_assessed_year(const struct kt_goal *g)
{
	int last = 0;
	for (uint32_t k = 0; k < g->n_facts; k++) {
		const struct kt_goal_fact *f = &g->facts[k];
		int year = (int)int_of(f, "year", 0);
		if (counts(f, KINDS(KT_GFACT_ASSESSED, KT_GFACT_ASSESSED), KT_TIME_MAX, NULL) &&
		    year > last)
			last = year;
	}
	return last;
}

void kt_goal_verdict(const struct kt_goal *g, int year, struct kt_text part,
		     struct kt_goal_verdict *out)
{
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n;
	memset(out, 0, sizeof *out);
	kt_goal_indicators(g, kt_goal_year_end(year), ind, KT_GOAL_INDICATORS_MAX, &n);
	if (n > KT_GOAL_INDICATORS_MAX)
		n = KT_GOAL_INDICATORS_MAX;
	for (size_t k = 0; k < n; k++) {
		double target;
		struct kt_goal_measurement m;
		if ((part.s && !same_text(ind[k].part, part)) ||
		    !kt_goal_target_of(&ind[k], year, &target) ||
		    !kt_goal_measurement_in(g, ind[k].label, year, &m))
			continue;
		out->counted++;
		out->met += (uint32_t)kt_goal_meets(ind[k].direction, m.value, target);
	}
	if (!out->counted)
		out->status = -1;
	else if (out->met == out->counted)
		out->status = KT_STATUS_ACHIEVED;
	else if (out->met == 0)
		out->status = KT_STATUS_NOT_ACHIEVED;
	else
		out->status = KT_STATUS_PARTLY;
}

int kt_goal_disagrees(enum kt_goal_status assessed, int computed)
{
	if (computed < 0 || (int)assessed == computed)
		return 0;
	if (assessed == KT_STATUS_ON_TRACK)
		return computed == KT_STATUS_NOT_ACHIEVED;
	return 1;
}

static void fill_row(const struct kt_goal *g, int year, struct kt_text part,
		     struct kt_goal_row *row)
{
	memset(row, 0, sizeof *row);
	row->part = part;
	row->assessed = kt_goal_assessment(g, year, part, &row->assessment);
	kt_goal_verdict(g, year, part, &row->verdict);
	row->disagrees =
	    row->assessed && kt_goal_disagrees(row->assessment.status, row->verdict.status);
}

void kt_goal_rows(const struct kt_goal *g, int year, struct kt_goal_row *out, size_t max, size_t *n)
{
	const unsigned kinds = KINDS(KT_GFACT_ASSESSED, KT_GFACT_ASSESSED);
	struct kt_text whole = { NULL, 0 };
	struct kt_goal_assessment a;
	size_t count = 0, parts = 0;
	for (uint32_t k = 0; k < g->n_facts; k++) {
		const struct kt_goal_fact *f = &g->facts[k];
		struct kt_text part = text_of(f, "part");
		if (!part.s || !counts(f, kinds, KT_TIME_MAX, NULL) || int_of(f, "year", 0) != year)
			continue;
		int seen = 0;
		for (uint32_t j = 0; j < k && !seen; j++)
			seen = counts(&g->facts[j], kinds, KT_TIME_MAX, NULL) &&
			       int_of(&g->facts[j], "year", 0) == year &&
			       same_text(text_of(&g->facts[j], "part"), part);
		if (seen)
			continue;
		parts++;
		if (count < max)
			fill_row(g, year, part, &out[count]);
		count++;
	}
	if (!parts || kt_goal_assessment(g, year, whole, &a)) {
		/* The goal as a whole comes first, also when out has no room for
		 * every row: the last part written then gives way to it. */
		if (max > 0) {
			memmove(out + 1, out, (count < max - 1 ? count : max - 1) * sizeof *out);
			fill_row(g, year, whole, &out[0]);
		}
		count++;
	}
	*n = count;
}

int kt_goal_in_year(const struct kt_goal *g, int year, struct kt_goal_definition *def)
{
	if (!kt_goal_definition(g, kt_goal_year_end(year), def))
		return 0;
	if (year < def->period_from || year > def->period_to)
		return 0;
	return !def->retired || def->retired_at >= year_start(year);
}

void kt_goal_summary(const struct kt_goals *m, int year, int level, struct kt_goal_summary *out)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	for (size_t k = 0; k < m->n; k++) {
		const struct kt_goal *g = &m->items[k];
		struct kt_goal_definition def;
		if (!kt_goal_in_year(g, year, &def) || def.area < 0 ||
		    (level >= 0 && (int)def.level != level))
			continue;
		struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
		size_t n;
		kt_goal_rows(g, year, rows, KT_GOAL_ROWS_MAX, &n);
		if (n > KT_GOAL_ROWS_MAX)
			n = KT_GOAL_ROWS_MAX;
		out->goals[def.area]++;
		for (size_t r = 0; r < n; r++) {
			out->rows[def.area]++;
			out->status[def.area]
				   [rows[r].assessed ? rows[r].assessment.status : KT_STATUSES]++;
			out->disagree[def.area] += (uint64_t)rows[r].disagrees;
		}
	}
}

/* ---- snapshots ---------------------------------------------------------- */

/* Layout, little-endian: goals (8); for each, its number's length (1) and
 * bytes, id (16), version (8), facts (4); for each fact, id (16), at (8),
 * position (8), corrected_by (8), kind (1), retracted (1), data length (4)
 * and the data. */
#define FACT_HEAD 46

static void put_le(uint8_t *b, uint64_t v, int n)
{
	for (int k = 0; k < n; k++)
		b[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get_le(const uint8_t *b, int n)
{
	uint64_t v = 0;
	for (int k = n - 1; k >= 0; k--)
		v = v << 8 | b[k];
	return v;
}

static int save(const void *state, struct kt_buf *out)
{
	const struct kt_goals *m = state;
	uint8_t b[8 + 1 + KT_GOAL_NUMBER_SIZE + 28];
	put_le(b, m->n, 8);
	int err = kt_buf_append(out, b, 8);
	for (size_t k = 0; !err && k < m->n; k++) {
		const struct kt_goal *g = &m->items[k];
		size_t len = strlen(g->number);
		b[0] = (uint8_t)len;
		memcpy(b + 1, g->number, len);
		memcpy(b + 1 + len, g->id, 16);
		put_le(b + 17 + len, g->version, 8);
		put_le(b + 25 + len, g->n_facts, 4);
		err = kt_buf_append(out, b, 29 + len);
		for (uint32_t i = 0; !err && i < g->n_facts; i++) {
			const struct kt_goal_fact *f = &g->facts[i];
			uint8_t h[FACT_HEAD];
			memcpy(h, f->id, 16);
			put_le(h + 16, (uint64_t)f->at, 8);
			put_le(h + 24, f->position, 8);
			put_le(h + 32, f->corrected_by, 8);
			h[40] = f->kind;
			h[41] = f->retracted;
			put_le(h + 42, f->len, 4);
			err = kt_buf_append(out, h, FACT_HEAD);
			if (!err)
				err = kt_buf_append(out, f->data, f->len);
		}
	}
	return err;
}

struct reader {
	const uint8_t *p, *end;
};

static const uint8_t *take(struct reader *r, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return NULL;
	const uint8_t *at = r->p;
	r->p += n;
	return at;
}

static int load_goal(struct kt_goal *g, struct reader *r)
{
	const uint8_t *p = take(r, 1);
	size_t len = p ? p[0] : 0;
	if (!p || !(p = take(r, len + 28)) ||
	    !kt_goal_number_parse((const char *)p, len, &g->year, &g->seq))
		return KT_EMALFORMED;
	memcpy(g->number, p, len);
	memcpy(g->id, p + len, 16);
	g->version = get_le(p + len + 16, 8);
	uint64_t n = get_le(p + len + 24, 4);
	if (n == 0 || n > (uint64_t)(r->end - r->p) / FACT_HEAD)
		return KT_EMALFORMED;
	if (!(g->facts = calloc(n, sizeof *g->facts)))
		return KT_ENOMEM;
	g->cap_facts = (uint32_t)n;
	for (uint64_t k = 0; k < n; k++) {
		struct kt_goal_fact *f = &g->facts[k];
		const uint8_t *h = take(r, FACT_HEAD);
		if (!h || h[40] >= FACT_KINDS || h[41] > 1 ||
		    (k == 0) != (h[40] == KT_GFACT_DEFINED))
			return KT_EMALFORMED;
		uint32_t data_len = (uint32_t)get_le(h + 42, 4);
		const uint8_t *data = take(r, data_len);
		if (!data)
			return KT_EMALFORMED;
		if (copy_data(data, data_len, &f->data))
			return KT_ENOMEM;
		g->n_facts++;
		memcpy(f->id, h, 16);
		f->at = (int64_t)get_le(h + 16, 8);
		f->position = get_le(h + 24, 8);
		f->corrected_by = get_le(h + 32, 8);
		f->kind = h[40];
		f->retracted = h[41];
		f->len = data_len;
	}
	return KT_OK;
}

static int load(void *state, const uint8_t *bytes, size_t len)
{
	struct kt_goals *m = state;
	struct reader r = { bytes, bytes + len };
	const uint8_t *p = take(&r, 8);
	kt_goals_free(m);
	uint64_t n = p ? get_le(p, 8) : 0;
	if (!p || n > len / (29 + FACT_HEAD))
		return KT_EMALFORMED;
	if (n && !(m->items = calloc(n, sizeof *m->items)))
		return KT_ENOMEM;
	m->cap = n;
	int err = KT_OK;
	for (uint64_t k = 0; !err && k < n; k++) {
		err = load_goal(&m->items[k], &r);
		m->n++;
	}
	if (!err && r.p != r.end)
		err = KT_EMALFORMED;
	if (err)
		kt_goals_free(m);
	return err;
}

const struct kt_projection kt_goals_projection = {
	.name = "goals",
	.state_version = STATE_VERSION,
	.reset = reset,
	.apply = apply,
	.save = save,
	.load = load,
};
