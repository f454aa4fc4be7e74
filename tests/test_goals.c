/*
 * test_goals.c — the goals read model (projections/goals.c), fed event by
 * event through kt_goals_projection.apply as the replay engine would feed
 * it: a goal defined with an indicator; the definition and the targets as
 * they stood at the end of a year when a later year revises them, and the
 * order of facts by effective time then log order; the measurement that
 * counts for a year; the computed verdict for lower- and higher-is-better
 * indicators at the exact boundary, and partly with two; the disagreement
 * rules; the rows of a goal assessed in parts; a later assessment replacing
 * an earlier one; the per-area summary on a hand-counted fixture with an
 * unassessed and two retired goals; which goals take part in a year;
 * corrections and retractions, and the corrections the model must ignore;
 * the events it must skip; and the snapshot encoding (a round trip that
 * gives the same views, every truncation and a set of corrupted bytes
 * refused, leaving the model empty and reusable).
 *
 * Every event is built as a struct kt_event with stream "goal-<number>",
 * the stream's next version, the next log position, a fresh id and the
 * effective time the test gives; every payload the test means to be valid
 * passes kt_catalogue_check first (JSON with single quotes, converted with
 * kt_json_to_data).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/buf.h"
#include "kontroll/catalogue.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/goal_events.h"
#include "kontroll/goals.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/organisation.h"
#include "kontroll/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a)	 (sizeof(a) / sizeof((a)[0]))
#define MAX	 KT_TIME_MAX
#define UNSET	 KT_TIME_UNSET
#define JSON_MAX 4096

/* ---- time --------------------------------------------------------------- */

/* A moment or a day as kt_time_parse reads it ("2025-03-01", "…T08:00:00Z"). */
static int64_t at(const char *text)
{
	int64_t us;
	if (kt_time_parse(text, &us))
		fail_msg("test time '%s' does not parse", text);
	return us;
}

/* ---- the fold ------------------------------------------------------------- */

struct fx {
	struct kt_goals m;
	uint64_t position; /* of the last event fed */
	uint32_t ids;	   /* ids handed out */
	struct {
		char name[64];
		uint64_t version;
	} streams[64];
	size_t n_streams;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	kt_goals_init(&f->m);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kt_goals_free(&f->m);
	free(f);
	return 0;
}

/* The next version of stream (1 for its first event). */
static uint64_t next_version(struct fx *f, const char *stream)
{
	for (size_t k = 0; k < f->n_streams; k++)
		if (strcmp(f->streams[k].name, stream) == 0)
			return ++f->streams[k].version;
	assert_true(f->n_streams < N(f->streams));
	snprintf(f->streams[f->n_streams].name, sizeof f->streams[0].name, "%s", stream);
	f->streams[f->n_streams].version = 1;
	return f->streams[f->n_streams++].version;
}

/* A fresh id, different from every other the test hands out. */
static void new_id(struct fx *f, uint8_t id[16])
{
	memset(id, 0, 16);
	id[0] = 0x01;
	id[1] = 0x9a;
	id[6] = 0x70;
	id[8] = 0x80;
	f->ids++;
	id[12] = (uint8_t)(f->ids >> 24);
	id[13] = (uint8_t)(f->ids >> 16);
	id[14] = (uint8_t)(f->ids >> 8);
	id[15] = (uint8_t)f->ids;
}

/* Feed one event of type with the len bytes at data to the model, as the
 * next in the log; id (may be NULL) receives its id. Returns apply's code. */
static int feed_bytes(struct fx *f, const char *stream, const char *type, int64_t when,
		      const uint8_t *data, size_t len, uint8_t id[16])
{
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	new_id(f, ev.id);
	ev.stream = stream;
	ev.stream_len = strlen(stream);
	ev.version = next_version(f, stream);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.recorded = when;
	ev.effective = when;
	ev.actor = "tester";
	ev.actor_len = 6;
	ev.data = data;
	ev.data_len = len;
	ev.position = ++f->position;
	if (id)
		memcpy(id, ev.id, 16);
	return kt_goals_projection.apply(&f->m, &ev);
}

/* Single-quoted JSON → one msgpack map in out. */
static void encode(const char *squoted, struct kt_buf *out)
{
	char json[JSON_MAX], why[200];
	size_t n = strlen(squoted);
	if (n >= sizeof json)
		fail_msg("test JSON too long: %s", squoted);
	for (size_t k = 0; k <= n; k++)
		json[k] = squoted[k] == '\'' ? '"' : squoted[k];
	kt_buf_reset(out);
	if (kt_json_to_data(json, n, out, why, sizeof why))
		fail_msg("test JSON does not parse: %s: %s", json, why);
}

/* Feed an event whose payload (printf-formatted single-quoted JSON) is
 * checked to pass the catalogue when valid is set, to fail it otherwise. */
static uint64_t vfeed(struct fx *f, int valid, const char *stream, const char *type, int64_t when,
		      uint8_t id[16], const char *fmt, va_list ap)
{
	char text[JSON_MAX], why[256];
	int n = vsnprintf(text, sizeof text, fmt, ap);
	assert_true(n > 0 && (size_t)n < sizeof text);
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	encode(text, &data);
	int rc = kt_catalogue_check(type, strlen(type), data.data, data.len, why, sizeof why);
	if (valid && rc)
		fail_msg("%s payload refused (%s): %s: %s", type, kt_strerror(rc), why, text);
	if (!valid && !rc)
		fail_msg("%s payload meant to be invalid passes: %s", type, text);
	rc = feed_bytes(f, stream, type, when, data.data, data.len, id);
	kt_buf_free(&data);
	if (rc)
		fail_msg("apply %s to %s: %s", type, stream, kt_strerror(rc));
	return f->position;
}

/* Feed a valid event to stream. Returns its position. */
static uint64_t feed_to(struct fx *f, const char *stream, const char *type, int64_t when,
			uint8_t id[16], const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uint64_t pos = vfeed(f, 1, stream, type, when, id, fmt, ap);
	va_end(ap);
	return pos;
}

/* Feed a valid event to the stream of goal number. */
static uint64_t feed(struct fx *f, const char *number, const char *type, int64_t when,
		     uint8_t id[16], const char *fmt, ...)
{
	char stream[64];
	snprintf(stream, sizeof stream, "%s%s", KT_GOAL_STREAM_PREFIX, number);
	va_list ap;
	va_start(ap, fmt);
	uint64_t pos = vfeed(f, 1, stream, type, when, id, fmt, ap);
	va_end(ap);
	return pos;
}

/* Feed an event whose payload the catalogue refuses. */
static uint64_t feed_invalid(struct fx *f, const char *number, const char *type, int64_t when,
			     const char *fmt, ...)
{
	char stream[64];
	snprintf(stream, sizeof stream, "%s%s", KT_GOAL_STREAM_PREFIX, number);
	va_list ap;
	va_start(ap, fmt);
	uint64_t pos = vfeed(f, 0, stream, type, when, NULL, fmt, ap);
	va_end(ap);
	return pos;
}

/* ---- event builders ------------------------------------------------------- */

static uint64_t define(struct fx *f, const char *number, const char *level, const char *area,
		       int from, int to, int64_t when, uint8_t id[16])
{
	return feed(f, number, KT_EV_GOAL_DEFINED, when, id,
		    "{'number': '%s', 'level': '%s', 'area': '%s', 'period_from': %d,"
		    " 'period_to': %d, 'text': 'Mål %s.'}",
		    number, level, area, from, to, number);
}

/* An indicator with its targets (a JSON map, or NULL for none) and its part
 * (NULL: none). */
static uint64_t indicator(struct fx *f, const char *number, const char *label,
			  const char *direction, const char *part, const char *targets,
			  int64_t when)
{
	char extra[600] = "";
	size_t o = 0;
	if (part)
		o += (size_t)snprintf(extra + o, sizeof extra - o, ", 'part': '%s'", part);
	if (targets)
		snprintf(extra + o, sizeof extra - o, ", 'targets': %s", targets);
	return feed(f, number, KT_EV_GOAL_INDICATOR_DEFINED, when, NULL,
		    "{'indicator': '%s', 'name': 'Indikator %s', 'direction': '%s'%s}", label,
		    label, direction, extra);
}

/* A measurement of label; value is JSON ("10", "9.5"). */
static uint64_t measure(struct fx *f, const char *number, const char *label, const char *value,
			const char *date, uint8_t id[16])
{
	return feed(f, number, KT_EV_GOAL_MEASURED, at(date), id,
		    "{'indicator': '%s', 'value': %s, 'date': '%s'}", label, value, date);
}

/* An assessment of year (of part, NULL: the whole goal) made at when. */
static uint64_t assess(struct fx *f, const char *number, int year, const char *status,
		       const char *part, int64_t when, uint8_t id[16])
{
	char extra[200] = "";
	if (part)
		snprintf(extra, sizeof extra, ", 'part': '%s'", part);
	return feed(f, number, KT_EV_GOAL_ASSESSED, when, id,
		    "{'year': %d, 'status': '%s', 'wording': '%s %d'%s}", year, status, status,
		    year, extra);
}

static uint64_t retire(struct fx *f, const char *number, int64_t when, uint8_t id[16])
{
	return feed(f, number, KT_EV_GOAL_RETIRED, when, id, "{'reason': 'Avsluttet.'}");
}

/* event.corrected of target (of type) with the replacement payload data
 * (JSON), effective at when (the target's, as the command layer sets it). */
static uint64_t correct(struct fx *f, const char *number, const uint8_t target[16],
			const char *type, int64_t when, const char *data)
{
	char t[KT_ID_TEXT_LEN + 1];
	kt_id_format(target, t);
	return feed(f, number, KT_EV_EVENT_CORRECTED, when, NULL,
		    "{'target': '%s', 'target_type': '%s', 'reason': 'Rettet.', 'data': %s}", t,
		    type, data);
}

static uint64_t retract(struct fx *f, const char *number, const uint8_t target[16],
			const char *type, int64_t when)
{
	char t[KT_ID_TEXT_LEN + 1];
	kt_id_format(target, t);
	return feed(f, number, KT_EV_EVENT_RETRACTED, when, NULL,
		    "{'target': '%s', 'target_type': '%s', 'reason': 'Feilregistrert.'}", t, type);
}

/* ---- reading the model ------------------------------------------------------ */

static const struct kt_goal *goal(struct fx *f, const char *number)
{
	const struct kt_goal *g = kt_goals_find(&f->m, number, strlen(number));
	if (!g)
		fail_msg("%s is not in the model", number);
	return g;
}

static void text_is(struct kt_text t, const char *want, const char *what)
{
	if (!want) {
		if (t.s)
			fail_msg("%s: got '%.*s', want none", what, (int)t.len, t.s);
		return;
	}
	if (!t.s)
		fail_msg("%s: got none, want '%s'", what, want);
	if (t.len != strlen(want) || memcmp(t.s, want, t.len) != 0)
		fail_msg("%s: got '%.*s', want '%s'", what, (int)t.len, t.s, want);
}

static struct kt_text txt(const char *s)
{
	struct kt_text t = { s, s ? strlen(s) : 0 };
	return t;
}

static const struct kt_text WHOLE = { NULL, 0 };

static struct kt_goal_definition definition(const struct kt_goal *g, int64_t when)
{
	struct kt_goal_definition d;
	if (!kt_goal_definition(g, when, &d))
		fail_msg("%s: not defined at %lld", g->number, (long long)when);
	return d;
}

/* The indicator label of g as it stood at when. */
static struct kt_goal_indicator indicator_at(const struct kt_goal *g, int64_t when,
					     const char *label)
{
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n;
	kt_goal_indicators(g, when, ind, N(ind), &n);
	for (size_t k = 0; k < n && k < N(ind); k++)
		if (strcmp(ind[k].label, label) == 0)
			return ind[k];
	fail_msg("%s: no indicator %s at %lld", g->number, label, (long long)when);
	return ind[0];
}

static double target(const struct kt_goal_indicator *ind, int year)
{
	double v;
	if (!kt_goal_target_of(ind, year, &v))
		fail_msg("%s: no target for %d", ind->label, year);
	return v;
}

static struct kt_goal_verdict verdict(const struct kt_goal *g, int year, struct kt_text part)
{
	struct kt_goal_verdict v;
	memset(&v, 0xa5, sizeof v);
	kt_goal_verdict(g, year, part, &v);
	return v;
}

static void verdict_is(const struct kt_goal *g, int year, struct kt_text part, int status,
		       uint32_t counted, uint32_t met)
{
	struct kt_goal_verdict v = verdict(g, year, part);
	if (v.status != status || v.counted != counted || v.met != met)
		fail_msg("%s %d %.*s: verdict %d (%u of %u met), want %d (%u of %u)", g->number,
			 year, part.s ? (int)part.len : 5, part.s ? part.s : "whole", v.status,
			 v.met, v.counted, status, met, counted);
}

static int area(const char *key)
{
	int a = kt_area_by_key(key, strlen(key));
	assert_true(a >= 0);
	return a;
}

/* ---- a goal and its indicators ------------------------------------------- */

static void test_goals_defined_goal_with_an_indicator(void **state)
{
	struct fx *f = *state;
	uint8_t def_id[16], ind_id[16];
	int64_t t = at("2025-01-10T09:00:00Z");
	feed(f, "M-2025-001", KT_EV_GOAL_DEFINED, t, def_id,
	     "{'number': 'M-2025-001', 'level': 'resultatmal', 'area': 'helse_omsorg',"
	     " 'period_from': 2025, 'period_to': 2028, 'text': 'Flere skal bo hjemme.',"
	     " 'title': 'Resultatmål 1', 'parent': 'M-2024-003', 'source': 'kap. 5'}");
	feed(f, "M-2025-001", KT_EV_GOAL_INDICATOR_DEFINED, t, ind_id,
	     "{'indicator': 'I1', 'name': 'Andel hjemmeboende', 'direction': 'higher',"
	     " 'unit': 'prosent', 'baseline': 71.5, 'baseline_date': '2024-12-31',"
	     " 'targets': {'2026': 73, '2025': 72.5}, 'source': 'Tabell 5.3'}");

	assert_int_equal(f->m.n, 1);
	const struct kt_goal *g = goal(f, "M-2025-001");
	assert_ptr_equal(g, &f->m.items[0]);
	assert_string_equal(g->number, "M-2025-001");
	assert_int_equal(g->year, 2025);
	assert_int_equal(g->seq, 1);
	assert_memory_equal(g->id, def_id, 16);
	assert_int_equal(g->version, 2);
	assert_int_equal(g->n_facts, 2);
	assert_int_equal(g->facts[0].kind, KT_GFACT_DEFINED);
	assert_int_equal(g->facts[1].kind, KT_GFACT_INDICATOR_DEFINED);
	assert_int_equal(g->facts[0].position, 1);
	assert_int_equal(g->facts[1].position, 2);
	assert_int_equal(g->facts[1].at, t);
	assert_int_equal(g->facts[1].corrected_by, 0);
	assert_int_equal(g->facts[1].retracted, 0);
	assert_ptr_equal(kt_goal_fact_by_id(g, ind_id), &g->facts[1]);
	assert_ptr_equal(kt_goal_fact_by_id(g, def_id), &g->facts[0]);
	uint8_t other[16];
	new_id(f, other);
	assert_null(kt_goal_fact_by_id(g, other));
	/* Found by the len bytes of the number only. */
	assert_ptr_equal(kt_goals_find(&f->m, "M-2025-0011", 10), g);
	assert_null(kt_goals_find(&f->m, "M-2025-002", 10));
	assert_null(kt_goals_find(&f->m, "M-2025-00", 9));
	assert_int_equal(kt_goals_last_seq(&f->m, 2025), 1);
	assert_int_equal(kt_goals_last_seq(&f->m, 2024), 0);

	struct kt_goal_definition d;
	assert_int_equal(kt_goal_definition(g, t - 1, &d), 0);
	assert_int_equal(kt_goal_definition(g, t, &d), 1);
	d = definition(g, MAX);
	assert_int_equal(d.level, KT_LEVEL_RESULTATMAL);
	assert_int_equal(d.area, area("helse_omsorg"));
	assert_int_equal(d.period_from, 2025);
	assert_int_equal(d.period_to, 2028);
	text_is(d.text, "Flere skal bo hjemme.", "text");
	text_is(d.title, "Resultatmål 1", "title");
	text_is(d.parent, "M-2024-003", "parent");
	text_is(d.source, "kap. 5", "source");
	assert_int_equal(d.defined_at, t);
	assert_int_equal(d.revisions, 0);
	assert_int_equal(d.retired, 0);
	assert_true(d.retired_at == UNSET);
	text_is(d.retired_reason, NULL, "retired_reason");

	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n = 99;
	kt_goal_indicators(g, t - 1, ind, N(ind), &n);
	assert_int_equal(n, 0);
	kt_goal_indicators(g, MAX, ind, N(ind), &n);
	assert_int_equal(n, 1);
	assert_string_equal(ind[0].label, "I1");
	text_is(ind[0].name, "Andel hjemmeboende", "name");
	text_is(ind[0].unit, "prosent", "unit");
	text_is(ind[0].part, NULL, "part");
	text_is(ind[0].source, "Tabell 5.3", "source");
	assert_int_equal(ind[0].direction, KT_DIRECTION_HIGHER);
	assert_true(ind[0].has_baseline);
	assert_true(ind[0].baseline == 71.5);
	assert_int_equal(ind[0].baseline_date, at("2024-12-31"));
	assert_int_equal(ind[0].defined_at, t);
	/* Sorted by year, whatever the payload's order. */
	assert_int_equal(ind[0].n_targets, 2);
	assert_int_equal(ind[0].targets[0].year, 2025);
	assert_true(ind[0].targets[0].value == 72.5);
	assert_int_equal(ind[0].targets[1].year, 2026);
	assert_true(ind[0].targets[1].value == 73.0);
	assert_true(target(&ind[0], 2025) == 72.5);
	double v = -1;
	assert_int_equal(kt_goal_target_of(&ind[0], 2027, &v), 0);
	assert_true(v == -1);
	/* max bounds what is written, not what is counted. */
	n = 0;
	kt_goal_indicators(g, MAX, ind, 0, &n);
	assert_int_equal(n, 1);

	/* A minimal goal: no title, parent, source; an indicator without
	 * baseline or targets. */
	define(f, "M-2025-002", "tiltak", "finans", 2025, 2025, t, NULL);
	indicator(f, "M-2025-002", "AB12", "lower", NULL, NULL, t);
	g = goal(f, "M-2025-002");
	d = definition(g, MAX);
	assert_int_equal(d.level, KT_LEVEL_TILTAK);
	assert_int_equal(d.area, area("finans"));
	text_is(d.title, NULL, "title");
	text_is(d.parent, NULL, "parent");
	text_is(d.source, NULL, "source");
	struct kt_goal_indicator i2 = indicator_at(g, MAX, "AB12");
	assert_int_equal(i2.direction, KT_DIRECTION_LOWER);
	assert_false(i2.has_baseline);
	assert_true(i2.baseline_date == UNSET);
	assert_int_equal(i2.n_targets, 0);
	text_is(i2.unit, NULL, "unit");
	assert_int_equal(f->m.n, 2);
	assert_int_equal(kt_goals_last_seq(&f->m, 2025), 2);
}

/* A revision made in 2025 of the text and of the 2024 and 2025 targets
 * leaves the view of 2024 as it was. */
static void test_goals_revision_in_2025_keeps_the_2024_view(void **state)
{
	struct fx *f = *state;
	define(f, "M-2024-001", "periodemal", "oppvekst_utdanning", 2024, 2027, at("2024-01-15"),
	       NULL);
	indicator(f, "M-2024-001", "I1", "lower", NULL, "{'2024': 50, '2025': 55}",
		  at("2024-01-15"));
	feed(f, "M-2024-001", KT_EV_GOAL_REVISED, at("2025-03-01"), NULL,
	     "{'reason': 'Ny plan.', 'text': 'Ny tekst.', 'title': 'Nytt navn'}");
	feed(f, "M-2024-001", KT_EV_GOAL_INDICATOR_REVISED, at("2025-03-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'Ny plan.', 'name': 'Ventetid i dager',"
	     " 'targets': {'2024': 48, '2025': 60}}");
	const struct kt_goal *g = goal(f, "M-2024-001");

	struct kt_goal_definition d24 = definition(g, kt_goal_year_end(2024));
	text_is(d24.text, "Mål M-2024-001.", "2024 text");
	text_is(d24.title, NULL, "2024 title");
	assert_int_equal(d24.revisions, 0);
	struct kt_goal_indicator i24 = indicator_at(g, kt_goal_year_end(2024), "I1");
	text_is(i24.name, "Indikator I1", "2024 name");
	assert_int_equal(i24.n_targets, 2);
	assert_true(target(&i24, 2024) == 50);
	assert_true(target(&i24, 2025) == 55);

	struct kt_goal_definition d25 = definition(g, kt_goal_year_end(2025));
	text_is(d25.text, "Ny tekst.", "2025 text");
	text_is(d25.title, "Nytt navn", "2025 title");
	assert_int_equal(d25.revisions, 1);
	/* What the revision does not state stays. */
	assert_int_equal(d25.level, KT_LEVEL_PERIODEMAL);
	assert_int_equal(d25.period_from, 2024);
	assert_int_equal(d25.period_to, 2027);
	assert_int_equal(d25.defined_at, at("2024-01-15"));
	struct kt_goal_indicator i25 = indicator_at(g, kt_goal_year_end(2025), "I1");
	text_is(i25.name, "Ventetid i dager", "2025 name");
	assert_int_equal(i25.direction, KT_DIRECTION_LOWER);
	assert_int_equal(i25.n_targets, 2);
	assert_true(target(&i25, 2024) == 48);
	assert_true(target(&i25, 2025) == 60);
	assert_int_equal(i25.defined_at, at("2024-01-15"));

	/* Targets merge per year: a revision of 2027 alone keeps the others. */
	feed(f, "M-2024-001", KT_EV_GOAL_INDICATOR_REVISED, at("2026-02-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'Nytt sluttmål.', 'targets': {'2027': 40}}");
	g = goal(f, "M-2024-001");
	struct kt_goal_indicator i26 = indicator_at(g, kt_goal_year_end(2026), "I1");
	assert_int_equal(i26.n_targets, 3);
	assert_int_equal(i26.targets[0].year, 2024);
	assert_int_equal(i26.targets[1].year, 2025);
	assert_int_equal(i26.targets[2].year, 2027);
	assert_true(i26.targets[0].value == 48);
	assert_true(i26.targets[1].value == 60);
	assert_true(i26.targets[2].value == 40);
	assert_int_equal(indicator_at(g, kt_goal_year_end(2025), "I1").n_targets, 2);
	/* The earlier views are unchanged by it. */
	i24 = indicator_at(g, kt_goal_year_end(2024), "I1");
	assert_true(target(&i24, 2024) == 50);
}

/* Each field comes from the latest live fact by effective time, then log
 * order: a backdated revision recorded later loses to a later-effective
 * one, and of two with the same effective time the later recorded wins. */
static void test_goals_fields_by_effective_time_then_log_order(void **state)
{
	struct fx *f = *state;
	uint8_t c_id[16];
	define(f, "M-2025-001", "mal", "finans", 2025, 2030, at("2025-01-01"), NULL);
	indicator(f, "M-2025-001", "I1", "lower", NULL, "{'2025': 5}", at("2025-01-01"));
	feed(f, "M-2025-001", KT_EV_GOAL_REVISED, at("2025-06-01"), NULL,
	     "{'reason': 'R.', 'text': 'A'}");
	feed(f, "M-2025-001", KT_EV_GOAL_REVISED, at("2025-03-01"), NULL,
	     "{'reason': 'R.', 'text': 'B', 'level': 'undermal'}");
	const struct kt_goal *g = goal(f, "M-2025-001");
	text_is(definition(g, kt_goal_year_end(2025)).text, "A", "end of 2025");
	text_is(definition(g, at("2025-04-01")).text, "B", "April");
	text_is(definition(g, at("2025-02-01")).text, "Mål M-2025-001.", "February");
	assert_int_equal(definition(g, at("2025-04-01")).revisions, 1);
	assert_int_equal(definition(g, kt_goal_year_end(2025)).revisions, 2);
	/* A's revision states no level: B's stands. */
	assert_int_equal(definition(g, MAX).level, KT_LEVEL_UNDERMAL);
	assert_int_equal(definition(g, at("2025-02-01")).level, KT_LEVEL_MAL);

	feed(f, "M-2025-001", KT_EV_GOAL_REVISED, at("2025-06-01"), c_id,
	     "{'reason': 'R.', 'text': 'C'}");
	g = goal(f, "M-2025-001");
	text_is(definition(g, MAX).text, "C", "tie");
	feed(f, "M-2025-001", KT_EV_GOAL_REVISED, at("2025-12-01"), NULL,
	     "{'reason': 'R.', 'title': 'T'}");
	g = goal(f, "M-2025-001");
	text_is(definition(g, MAX).text, "C", "after a title revision");
	text_is(definition(g, MAX).title, "T", "title");
	/* A retracted revision no longer counts. */
	retract(f, "M-2025-001", c_id, KT_EV_GOAL_REVISED, at("2025-06-01"));
	g = goal(f, "M-2025-001");
	text_is(definition(g, MAX).text, "A", "after the retraction");
	assert_int_equal(definition(g, MAX).revisions, 3);

	/* The same for a year's target. */
	feed(f, "M-2025-001", KT_EV_GOAL_INDICATOR_REVISED, at("2025-06-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'targets': {'2025': 1}}");
	feed(f, "M-2025-001", KT_EV_GOAL_INDICATOR_REVISED, at("2025-03-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'targets': {'2025': 2}}");
	g = goal(f, "M-2025-001");
	struct kt_goal_indicator i = indicator_at(g, MAX, "I1");
	assert_true(target(&i, 2025) == 1);
	i = indicator_at(g, at("2025-04-01"), "I1");
	assert_true(target(&i, 2025) == 2);
	i = indicator_at(g, at("2025-02-01"), "I1");
	assert_true(target(&i, 2025) == 5);
	feed(f, "M-2025-001", KT_EV_GOAL_INDICATOR_REVISED, at("2025-06-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'targets': {'2025': 3}}");
	g = goal(f, "M-2025-001");
	i = indicator_at(g, MAX, "I1");
	assert_true(target(&i, 2025) == 3);
	/* A revision of another indicator changes nothing of this one. */
	indicator(f, "M-2025-001", "I2", "higher", NULL, "{'2025': 9}", at("2025-01-01"));
	feed(f, "M-2025-001", KT_EV_GOAL_INDICATOR_REVISED, at("2025-09-01"), NULL,
	     "{'indicator': 'I2', 'reason': 'R.', 'targets': {'2025': 8}, 'name': 'To'}");
	g = goal(f, "M-2025-001");
	i = indicator_at(g, MAX, "I1");
	assert_true(target(&i, 2025) == 3);
	text_is(i.name, "Indikator I1", "I1 name");
	i = indicator_at(g, MAX, "I2");
	assert_true(target(&i, 2025) == 8);
	text_is(i.name, "To", "I2 name");
}

/* A baseline's date goes with the value it dates; a label defined twice is
 * one indicator, in the place of its first definition. */
static void test_goals_baseline_date_and_labels_defined_twice(void **state)
{
	struct fx *f = *state;
	const char *G = "M-2024-007";
	define(f, G, "mal", "finans", 2024, 2027, at("2024-01-01"), NULL);
	feed(f, G, KT_EV_GOAL_INDICATOR_DEFINED, at("2024-01-01"), NULL,
	     "{'indicator': 'I1', 'name': 'Første', 'direction': 'lower', 'baseline': 10,"
	     " 'baseline_date': '2023-12-31'}");
	indicator(f, G, "I2", "higher", NULL, NULL, at("2024-01-01"));
	feed(f, G, KT_EV_GOAL_INDICATOR_REVISED, at("2025-03-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'baseline': 12, 'baseline_date': '2024-12-31'}");
	const struct kt_goal *g = goal(f, G);
	struct kt_goal_indicator i = indicator_at(g, kt_goal_year_end(2024), "I1");
	assert_true(i.has_baseline);
	assert_true(i.baseline == 10);
	assert_int_equal(i.baseline_date, at("2023-12-31"));
	i = indicator_at(g, kt_goal_year_end(2025), "I1");
	assert_true(i.baseline == 12);
	assert_int_equal(i.baseline_date, at("2024-12-31"));
	/* A new baseline without a date: the old date does not date it. */
	feed(f, G, KT_EV_GOAL_INDICATOR_REVISED, at("2026-03-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'baseline': 13}");
	feed(f, G, KT_EV_GOAL_INDICATOR_REVISED, at("2026-06-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'unit': 'dager'}");
	g = goal(f, G);
	i = indicator_at(g, MAX, "I1");
	assert_true(i.baseline == 13);
	assert_true(i.baseline_date == UNSET);
	text_is(i.unit, "dager", "unit");
	i = indicator_at(g, kt_goal_year_end(2025), "I1");
	assert_int_equal(i.baseline_date, at("2024-12-31"));

	/* I1 defined again later: still two indicators, I1 first, defined when
	 * it was first. */
	feed(f, G, KT_EV_GOAL_INDICATOR_DEFINED, at("2025-05-01"), NULL,
	     "{'indicator': 'I1', 'name': 'Andre', 'direction': 'lower'}");
	g = goal(f, G);
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n;
	kt_goal_indicators(g, MAX, ind, N(ind), &n);
	assert_int_equal(n, 2);
	assert_string_equal(ind[0].label, "I1");
	assert_string_equal(ind[1].label, "I2");
	assert_int_equal(ind[0].defined_at, at("2024-01-01"));
}

/* ---- measurements ----------------------------------------------------------- */

static void test_goals_measurement_in_picks_the_latest_dated(void **state)
{
	struct fx *f = *state;
	uint8_t gone[16];
	define(f, "M-2024-003", "mal", "finans", 2024, 2027, at("2024-01-01"), NULL);
	indicator(f, "M-2024-003", "I1", "lower", NULL, NULL, at("2024-01-01"));
	indicator(f, "M-2024-003", "I2", "lower", NULL, NULL, at("2024-01-01"));
	measure(f, "M-2024-003", "I1", "10", "2025-03-31", NULL);
	measure(f, "M-2024-003", "I1", "9", "2025-12-31", NULL);
	measure(f, "M-2024-003", "I1", "8", "2026-01-01", NULL);
	measure(f, "M-2024-003", "I1", "12", "2025-06-30", NULL); /* recorded later */
	measure(f, "M-2024-003", "I1", "11", "2024-12-31", NULL);
	measure(f, "M-2024-003", "I2", "1", "2025-12-31", NULL);
	measure(f, "M-2024-003", "I1", "7", "2025-11-30", gone);
	const struct kt_goal *g = goal(f, "M-2024-003");
	struct kt_goal_measurement m;
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 1);
	assert_int_equal(m.date, at("2025-12-31"));
	assert_true(m.value == 9);
	assert_int_equal(m.fact->kind, KT_GFACT_MEASURED);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2026, &m), 1);
	assert_true(m.value == 8);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2024, &m), 1);
	assert_true(m.value == 11);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2023, &m), 0);
	assert_int_equal(kt_goal_measurement_in(g, "I3", 2025, &m), 0);
	assert_int_equal(kt_goal_measurement_in(g, "I2", 2025, &m), 1);
	assert_true(m.value == 1);

	/* The same day twice: the later recorded counts. */
	feed(f, "M-2024-003", KT_EV_GOAL_MEASURED, at("2025-12-31"), NULL,
	     "{'indicator': 'I1', 'value': 9.5, 'date': '2025-12-31', 'source': 'SSB',"
	     " 'note': 'Endelig tall.'}");
	g = goal(f, "M-2024-003");
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 1);
	assert_true(m.value == 9.5);
	text_is(m.source, "SSB", "source");
	text_is(m.note, "Endelig tall.", "note");

	/* The series: every live one, by date, then log order. */
	retract(f, "M-2024-003", gone, KT_EV_GOAL_MEASURED, at("2025-11-30"));
	g = goal(f, "M-2024-003");
	struct kt_goal_measurement *s = NULL;
	size_t n = 0;
	assert_int_equal(kt_goal_series(g, "I1", &s, &n), KT_OK);
	assert_int_equal(n, 6);
	static const struct {
		const char *date;
		double value;
	} want[] = { { "2024-12-31", 11 }, { "2025-03-31", 10 },  { "2025-06-30", 12 },
		     { "2025-12-31", 9 },  { "2025-12-31", 9.5 }, { "2026-01-01", 8 } };
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(s[k].date, at(want[k].date));
		assert_true(s[k].value == want[k].value);
	}
	assert_true(s[3].fact->position < s[4].fact->position);
	free(s);
	s = (struct kt_goal_measurement *)&n;
	n = 5;
	assert_int_equal(kt_goal_series(g, "I9", &s, &n), KT_OK);
	assert_null(s);
	assert_int_equal(n, 0);

	/* The first and the last day of a year belong to it. */
	define(f, "M-2025-009", "mal", "finans", 2025, 2027, at("2025-01-01"), NULL);
	indicator(f, "M-2025-009", "I1", "lower", NULL, NULL, at("2025-01-01"));
	measure(f, "M-2025-009", "I1", "1", "2025-01-01", NULL);
	g = goal(f, "M-2025-009");
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 1);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2024, &m), 0);
	measure(f, "M-2025-009", "I1", "2", "2024-12-31", NULL);
	g = goal(f, "M-2025-009");
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 1);
	assert_true(m.value == 1);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2024, &m), 1);
	assert_true(m.value == 2);
}

/* ---- verdicts ----------------------------------------------------------------- */

static void test_goals_verdict_lower_and_higher_at_the_boundary(void **state)
{
	struct fx *f = *state;
	assert_true(kt_goal_meets(KT_DIRECTION_LOWER, 10, 10));
	assert_true(kt_goal_meets(KT_DIRECTION_LOWER, 9.99, 10));
	assert_false(kt_goal_meets(KT_DIRECTION_LOWER, 10.0001, 10));
	assert_true(kt_goal_meets(KT_DIRECTION_HIGHER, 80, 80));
	assert_true(kt_goal_meets(KT_DIRECTION_HIGHER, 80.5, 80));
	assert_false(kt_goal_meets(KT_DIRECTION_HIGHER, 79.9, 80));
	assert_true(kt_goal_meets(KT_DIRECTION_LOWER, -3, -2));
	assert_false(kt_goal_meets(KT_DIRECTION_HIGHER, -3, -2));

	static const struct {
		const char *number, *direction, *target, *value;
		int status;
	} cases[] = {
		{ "M-2025-001", "lower", "10", "10", KT_STATUS_ACHIEVED },
		{ "M-2025-002", "lower", "10", "10.0", KT_STATUS_ACHIEVED },
		{ "M-2025-003", "lower", "10", "10.01", KT_STATUS_NOT_ACHIEVED },
		{ "M-2025-004", "lower", "10", "3", KT_STATUS_ACHIEVED },
		{ "M-2025-005", "higher", "80", "80", KT_STATUS_ACHIEVED },
		{ "M-2025-006", "higher", "80.5", "80.5", KT_STATUS_ACHIEVED },
		{ "M-2025-007", "higher", "80", "79.9", KT_STATUS_NOT_ACHIEVED },
		{ "M-2025-008", "higher", "80", "95", KT_STATUS_ACHIEVED },
	};
	for (size_t k = 0; k < N(cases); k++) {
		char targets[64];
		snprintf(targets, sizeof targets, "{'2025': %s}", cases[k].target);
		define(f, cases[k].number, "mal", "finans", 2025, 2026, at("2025-01-01"), NULL);
		indicator(f, cases[k].number, "I1", cases[k].direction, NULL, targets,
			  at("2025-01-01"));
		measure(f, cases[k].number, "I1", cases[k].value, "2025-12-31", NULL);
		const struct kt_goal *g = goal(f, cases[k].number);
		int met = cases[k].status == KT_STATUS_ACHIEVED;
		verdict_is(g, 2025, WHOLE, cases[k].status, 1, (uint32_t)met);
		/* No target and no measurement for 2026: nothing counts. */
		verdict_is(g, 2026, WHOLE, -1, 0, 0);
	}
}

static void test_goals_verdict_partly_and_what_counts(void **state)
{
	struct fx *f = *state;
	const char *G = "M-2025-010";
	define(f, G, "periodemal", "oppvekst_utdanning", 2025, 2027, at("2025-01-01"), NULL);
	indicator(f, G, "I1", "lower", "skole", "{'2025': 10, '2026': 8}", at("2025-01-01"));
	indicator(f, G, "I2", "higher", "barnehage", "{'2025': 80, '2026': 85}", at("2025-01-01"));
	/* No target for 2025, and a 2025 target but no 2025 measurement. */
	indicator(f, G, "I3", "lower", NULL, "{'2026': 1}", at("2025-01-01"));
	indicator(f, G, "I4", "lower", NULL, "{'2025': 1}", at("2025-01-01"));
	/* Defined after the end of 2025: not in force for the 2025 verdict. */
	indicator(f, G, "I5", "lower", NULL, "{'2025': 100}", at("2026-01-05"));
	measure(f, G, "I1", "9", "2025-12-31", NULL);
	measure(f, G, "I2", "70", "2025-12-31", NULL);
	measure(f, G, "I3", "0", "2025-12-31", NULL);
	measure(f, G, "I4", "0", "2024-12-31", NULL);
	measure(f, G, "I5", "0", "2025-12-31", NULL);
	const struct kt_goal *g = goal(f, G);

	verdict_is(g, 2025, WHOLE, KT_STATUS_PARTLY, 2, 1);
	verdict_is(g, 2025, txt("skole"), KT_STATUS_ACHIEVED, 1, 1);
	verdict_is(g, 2025, txt("barnehage"), KT_STATUS_NOT_ACHIEVED, 1, 0);
	verdict_is(g, 2025, txt("sykehjem"), -1, 0, 0);
	verdict_is(g, 2024, WHOLE, -1, 0, 0);

	/* Both met in 2026; I3 has a 2026 target but no 2026 measurement. */
	measure(f, G, "I1", "8", "2026-12-31", NULL);
	measure(f, G, "I2", "85", "2026-06-30", NULL);
	g = goal(f, G);
	verdict_is(g, 2026, WHOLE, KT_STATUS_ACHIEVED, 2, 2);
	/* Both missed. */
	measure(f, G, "I1", "8.5", "2026-12-31", NULL);
	measure(f, G, "I2", "84", "2026-12-31", NULL);
	g = goal(f, G);
	verdict_is(g, 2026, WHOLE, KT_STATUS_NOT_ACHIEVED, 2, 0);
	/* A target revised later in the year counts for it. */
	feed(f, G, KT_EV_GOAL_INDICATOR_REVISED, at("2026-11-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'targets': {'2026': 9}}");
	g = goal(f, G);
	verdict_is(g, 2026, WHOLE, KT_STATUS_PARTLY, 2, 1);
	/* An indicator moved to another part is counted there. */
	feed(f, G, KT_EV_GOAL_INDICATOR_REVISED, at("2026-11-01"), NULL,
	     "{'indicator': 'I2', 'reason': 'R.', 'part': 'skole'}");
	g = goal(f, G);
	verdict_is(g, 2026, txt("skole"), KT_STATUS_PARTLY, 2, 1);
	verdict_is(g, 2026, txt("barnehage"), -1, 0, 0);
	verdict_is(g, 2025, txt("barnehage"), KT_STATUS_NOT_ACHIEVED, 1, 0);
}

/* ---- disagreement ------------------------------------------------------------- */

static void test_goals_disagreement_rules(void **state)
{
	struct fx *f = *state;
	/* They differ: it disagrees, but on_track agrees with achieved and
	 * partly. Nothing computed: no disagreement. */
	static const struct {
		enum kt_goal_status assessed;
		int computed, disagrees;
	} rules[] = {
		{ KT_STATUS_ACHIEVED, KT_STATUS_NOT_ACHIEVED, 1 },
		{ KT_STATUS_NOT_ACHIEVED, KT_STATUS_ACHIEVED, 1 },
		{ KT_STATUS_ACHIEVED, KT_STATUS_PARTLY, 1 },
		{ KT_STATUS_PARTLY, KT_STATUS_ACHIEVED, 1 },
		{ KT_STATUS_PARTLY, KT_STATUS_NOT_ACHIEVED, 1 },
		{ KT_STATUS_NOT_ACHIEVED, KT_STATUS_PARTLY, 1 },
		{ KT_STATUS_ON_TRACK, KT_STATUS_NOT_ACHIEVED, 1 },
		{ KT_STATUS_ON_TRACK, KT_STATUS_ACHIEVED, 0 },
		{ KT_STATUS_ON_TRACK, KT_STATUS_PARTLY, 0 },
		{ KT_STATUS_ACHIEVED, KT_STATUS_ACHIEVED, 0 },
		{ KT_STATUS_PARTLY, KT_STATUS_PARTLY, 0 },
		{ KT_STATUS_NOT_ACHIEVED, KT_STATUS_NOT_ACHIEVED, 0 },
		{ KT_STATUS_ON_TRACK, KT_STATUS_ON_TRACK, 0 },
		{ KT_STATUS_ACHIEVED, -1, 0 },
		{ KT_STATUS_PARTLY, -1, 0 },
		{ KT_STATUS_NOT_ACHIEVED, -1, 0 },
		{ KT_STATUS_ON_TRACK, -1, 0 },
	};
	for (size_t k = 0; k < N(rules); k++)
		if (!kt_goal_disagrees(rules[k].assessed, rules[k].computed) != !rules[k].disagrees)
			fail_msg("assessed %s, computed %d: want %d",
				 kt_goal_status_key(rules[k].assessed), rules[k].computed,
				 rules[k].disagrees);

	/* The same through the rows: I1 met in 2025, missed in 2026. */
	const char *G = "M-2025-020";
	define(f, G, "mal", "finans", 2025, 2027, at("2025-01-01"), NULL);
	indicator(f, G, "I1", "lower", NULL, "{'2025': 10, '2026': 10, '2027': 10}",
		  at("2025-01-01"));
	measure(f, G, "I1", "9", "2025-12-31", NULL);
	measure(f, G, "I1", "11", "2026-12-31", NULL);
	assess(f, G, 2025, "achieved", NULL, at("2026-02-01"), NULL);
	assess(f, G, 2026, "on_track", NULL, at("2027-02-01"), NULL);
	const struct kt_goal *g = goal(f, G);
	struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
	size_t n;
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_int_equal(n, 1);
	assert_true(rows[0].assessed);
	assert_int_equal(rows[0].verdict.status, KT_STATUS_ACHIEVED);
	assert_false(rows[0].disagrees);
	kt_goal_rows(g, 2026, rows, N(rows), &n);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].assessment.status, KT_STATUS_ON_TRACK);
	assert_int_equal(rows[0].verdict.status, KT_STATUS_NOT_ACHIEVED);
	assert_true(rows[0].disagrees);
	/* A later verdict of missed for 2025 contradicts the measurement. */
	assess(f, G, 2025, "not_achieved", NULL, at("2026-03-01"), NULL);
	assess(f, G, 2026, "partly", NULL, at("2027-03-01"), NULL);
	g = goal(f, G);
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_int_equal(rows[0].assessment.status, KT_STATUS_NOT_ACHIEVED);
	assert_true(rows[0].disagrees);
	kt_goal_rows(g, 2026, rows, N(rows), &n);
	assert_int_equal(rows[0].assessment.status, KT_STATUS_PARTLY);
	assert_true(rows[0].disagrees);
	/* 2027: a verdict on track, measured as met, agrees; not assessed
	 * never disagrees. */
	measure(f, G, "I1", "10", "2027-12-31", NULL);
	g = goal(f, G);
	kt_goal_rows(g, 2027, rows, N(rows), &n);
	assert_int_equal(n, 1);
	assert_false(rows[0].assessed);
	assert_int_equal(rows[0].verdict.status, KT_STATUS_ACHIEVED);
	assert_false(rows[0].disagrees);
	assess(f, G, 2027, "on_track", NULL, at("2027-12-31"), NULL);
	g = goal(f, G);
	kt_goal_rows(g, 2027, rows, N(rows), &n);
	assert_true(rows[0].assessed);
	assert_false(rows[0].disagrees);
}

/* ---- rows and assessments --------------------------------------------------------- */

static void test_goals_rows_with_parts(void **state)
{
	struct fx *f = *state;
	struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
	size_t n;

	/* Two parts assessed separately: a row each, none for the whole. */
	const char *P = "M-2025-030";
	define(f, P, "periodemal", "oppvekst_utdanning", 2025, 2027, at("2025-01-01"), NULL);
	indicator(f, P, "I1", "lower", "barnehage", "{'2025': 5}", at("2025-01-01"));
	indicator(f, P, "I2", "higher", "skole", "{'2025': 5}", at("2025-01-01"));
	measure(f, P, "I1", "6", "2025-12-31", NULL);
	measure(f, P, "I2", "6", "2025-12-31", NULL);
	assess(f, P, 2025, "partly", "barnehage", at("2026-02-01"), NULL);
	assess(f, P, 2025, "achieved", "skole", at("2026-02-01"), NULL);
	assess(f, P, 2025, "achieved", "barnehage", at("2026-02-02"), NULL);
	assess(f, P, 2024, "partly", "sykehjem", at("2025-02-02"), NULL);
	const struct kt_goal *g = goal(f, P);
	memset(rows, 0xa5, sizeof rows);
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_int_equal(n, 2);
	text_is(rows[0].part, "barnehage", "first part");
	text_is(rows[1].part, "skole", "second part");
	assert_true(rows[0].assessed);
	assert_true(rows[1].assessed);
	/* The later assessment of barnehage stands; each row's verdict reads
	 * the indicators of its part. */
	assert_int_equal(rows[0].assessment.status, KT_STATUS_ACHIEVED);
	assert_int_equal(rows[0].assessment.year, 2025);
	text_is(rows[0].assessment.part, "barnehage", "assessment part");
	text_is(rows[0].assessment.wording, "achieved 2025", "wording");
	assert_int_equal(rows[0].verdict.status, KT_STATUS_NOT_ACHIEVED);
	assert_true(rows[0].disagrees);
	assert_int_equal(rows[1].assessment.status, KT_STATUS_ACHIEVED);
	assert_int_equal(rows[1].verdict.status, KT_STATUS_ACHIEVED);
	assert_false(rows[1].disagrees);
	/* Other years have their own rows. */
	kt_goal_rows(g, 2024, rows, N(rows), &n);
	assert_int_equal(n, 1);
	text_is(rows[0].part, "sykehjem", "2024");
	kt_goal_rows(g, 2026, rows, N(rows), &n);
	assert_int_equal(n, 1);
	text_is(rows[0].part, NULL, "2026");
	assert_false(rows[0].assessed);

	/* The whole and two parts: the whole first, then the parts in the order
	 * first assessed. */
	const char *W = "M-2025-031";
	define(f, W, "periodemal", "oppvekst_utdanning", 2025, 2027, at("2025-01-01"), NULL);
	assess(f, W, 2025, "partly", "skole", at("2026-02-01"), NULL);
	assess(f, W, 2025, "achieved", NULL, at("2026-02-01"), NULL);
	assess(f, W, 2025, "not_achieved", "barnehage", at("2026-02-01"), NULL);
	g = goal(f, W);
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_int_equal(n, 3);
	text_is(rows[0].part, NULL, "whole");
	assert_true(rows[0].assessed);
	assert_int_equal(rows[0].assessment.status, KT_STATUS_ACHIEVED);
	text_is(rows[0].assessment.part, NULL, "whole's assessment");
	text_is(rows[1].part, "skole", "first part");
	assert_int_equal(rows[1].assessment.status, KT_STATUS_PARTLY);
	text_is(rows[2].part, "barnehage", "second part");
	assert_int_equal(rows[2].assessment.status, KT_STATUS_NOT_ACHIEVED);
	/* Nothing measured: nothing computed, nothing disagrees. */
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(rows[k].verdict.status, -1);
		assert_false(rows[k].disagrees);
	}
	/* Fewer rows asked for: the count stays, the whole still comes first. */
	memset(rows, 0, sizeof rows);
	kt_goal_rows(g, 2025, rows, 2, &n);
	assert_int_equal(n, 3);
	text_is(rows[0].part, NULL, "whole of two");
	assert_int_equal(rows[0].assessment.status, KT_STATUS_ACHIEVED);
	text_is(rows[1].part, "skole", "part of two");
	text_is(rows[2].part, NULL, "untouched");
	assert_false(rows[2].assessed);
	memset(rows, 0, sizeof rows);
	kt_goal_rows(g, 2025, rows, 1, &n);
	assert_int_equal(n, 3);
	text_is(rows[0].part, NULL, "whole of one");
	assert_true(rows[0].assessed);
	assert_int_equal(rows[0].assessment.status, KT_STATUS_ACHIEVED);
	kt_goal_rows(g, 2025, rows, 0, &n);
	assert_int_equal(n, 3);

	/* Never assessed: one row for the whole, not assessed. */
	const char *U = "M-2025-032";
	define(f, U, "periodemal", "oppvekst_utdanning", 2025, 2027, at("2025-01-01"), NULL);
	g = goal(f, U);
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_int_equal(n, 1);
	text_is(rows[0].part, NULL, "unassessed");
	assert_false(rows[0].assessed);
	assert_int_equal(rows[0].verdict.status, -1);
}

static void test_goals_later_assessment_replaces_the_earlier(void **state)
{
	struct fx *f = *state;
	const char *G = "M-2025-040";
	uint8_t latest[16];
	struct kt_goal_assessment a;
	define(f, G, "mal", "kultur_idrett_friluftsliv", 2025, 2027, at("2025-01-01"), NULL);
	const struct kt_goal *g = goal(f, G);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 0);
	assert_int_equal(kt_goal_last_assessed_year(g), 0);

	assess(f, G, 2025, "partly", NULL, at("2026-02-01"), NULL);
	assess(f, G, 2025, "achieved", NULL, at("2026-03-01"), latest);
	/* Backdated, recorded later: made earlier, so it does not stand. */
	assess(f, G, 2025, "not_achieved", NULL, at("2026-01-15"), NULL);
	assess(f, G, 2025, "on_track", "skole", at("2026-04-01"), NULL);
	g = goal(f, G);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 1);
	assert_int_equal(a.status, KT_STATUS_ACHIEVED);
	assert_memory_equal(a.fact->id, latest, 16);
	text_is(a.wording, "achieved 2025", "wording");
	assert_int_equal(a.year, 2025);
	assert_int_equal(kt_goal_assessment(g, 2025, txt("skole"), &a), 1);
	assert_int_equal(a.status, KT_STATUS_ON_TRACK);
	assert_int_equal(kt_goal_assessment(g, 2025, txt("barnehage"), &a), 0);
	assert_int_equal(kt_goal_assessment(g, 2024, WHOLE, &a), 0);

	/* The same moment: the later recorded stands. */
	assess(f, G, 2025, "partly", NULL, at("2026-03-01"), NULL);
	g = goal(f, G);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 1);
	assert_int_equal(a.status, KT_STATUS_PARTLY);
	/* A part's later assessment replaces that part's only. */
	assess(f, G, 2025, "not_achieved", "skole", at("2026-05-01"), NULL);
	g = goal(f, G);
	assert_int_equal(kt_goal_assessment(g, 2025, txt("skole"), &a), 1);
	assert_int_equal(a.status, KT_STATUS_NOT_ACHIEVED);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 1);
	assert_int_equal(a.status, KT_STATUS_PARTLY);
	struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
	size_t n;
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].assessment.status, KT_STATUS_PARTLY);
	assert_int_equal(rows[1].assessment.status, KT_STATUS_NOT_ACHIEVED);

	assess(f, G, 2027, "on_track", NULL, at("2027-06-01"), NULL);
	assess(f, G, 2026, "on_track", NULL, at("2027-07-01"), NULL);
	g = goal(f, G);
	assert_int_equal(kt_goal_last_assessed_year(g), 2027);
}

/* ---- which goals take part in a year, and the summary ------------------------------ */

static void test_goals_in_year_period_bounds(void **state)
{
	struct fx *f = *state;
	struct kt_goal_definition d;
	assert_int_equal(kt_goal_year_end(2025), at("2026-01-01") - 1);
	assert_int_equal(kt_goal_year_end(2024), at("2025-01-01") - 1);

	define(f, "M-2025-050", "mal", "byutvikling", 2025, 2027, at("2025-01-01"), NULL);
	const struct kt_goal *g = goal(f, "M-2025-050");
	assert_int_equal(kt_goal_in_year(g, 2024, &d), 0);
	memset(&d, 0, sizeof d);
	assert_int_equal(kt_goal_in_year(g, 2025, &d), 1);
	assert_int_equal(d.period_from, 2025);
	assert_int_equal(d.period_to, 2027);
	assert_int_equal(kt_goal_in_year(g, 2026, &d), 1);
	assert_int_equal(kt_goal_in_year(g, 2027, &d), 1);
	assert_int_equal(kt_goal_in_year(g, 2028, &d), 0);
	/* A revision that lengthens the period, from 2027 on. */
	feed(f, "M-2025-050", KT_EV_GOAL_REVISED, at("2027-06-01"), NULL,
	     "{'reason': 'Forlenget.', 'period_to': 2030}");
	g = goal(f, "M-2025-050");
	assert_int_equal(kt_goal_in_year(g, 2028, &d), 1);
	assert_int_equal(d.period_to, 2030);
	assert_int_equal(kt_goal_in_year(g, 2030, &d), 1);
	assert_int_equal(kt_goal_in_year(g, 2031, &d), 0);
	assert_int_equal(kt_goal_in_year(g, 2026, &d), 1);
	assert_int_equal(d.period_to, 2027);

	/* Defined in 2025 for a period from 2024: not defined by the end of
	 * 2024. */
	define(f, "M-2024-050", "mal", "byutvikling", 2024, 2026, at("2025-02-01"), NULL);
	g = goal(f, "M-2024-050");
	assert_int_equal(kt_goal_in_year(g, 2024, &d), 0);
	assert_int_equal(kt_goal_in_year(g, 2025, &d), 1);

	/* Retired at the first moment of 2026: takes part in 2026, not 2027. */
	define(f, "M-2025-051", "mal", "byutvikling", 2025, 2028, at("2025-01-01"), NULL);
	retire(f, "M-2025-051", at("2026-01-01T00:00:00Z"), NULL);
	g = goal(f, "M-2025-051");
	assert_int_equal(kt_goal_in_year(g, 2025, &d), 1);
	assert_false(d.retired);
	assert_int_equal(kt_goal_in_year(g, 2026, &d), 1);
	assert_true(d.retired);
	assert_int_equal(d.retired_at, at("2026-01-01"));
	text_is(d.retired_reason, "Avsluttet.", "reason");
	assert_int_equal(kt_goal_in_year(g, 2027, &d), 0);
	/* Retired at the last moment of 2025: not in 2026. */
	define(f, "M-2025-052", "mal", "byutvikling", 2025, 2028, at("2025-01-01"), NULL);
	retire(f, "M-2025-052", kt_goal_year_end(2025), NULL);
	g = goal(f, "M-2025-052");
	assert_int_equal(kt_goal_in_year(g, 2025, &d), 1);
	assert_true(d.retired);
	assert_int_equal(kt_goal_in_year(g, 2026, &d), 0);
}

/* The summary fixture, for 2024 and 2025:
 *
 *   goal        area                level        period     2025
 *   M-2025-001  helse_omsorg        resultatmal  2025-2028  achieved; I1 missed: disagrees
 *   M-2025-002  helse_omsorg        periodemal   2025-2028  not_achieved
 *   M-2025-003  oppvekst_utdanning  periodemal   2025-2026  not assessed
 *   M-2025-004  oppvekst_utdanning  periodemal   2025-2026  barnehage partly, skole on_track
 *   M-2024-001  finans              periodemal   2024-2026  retired 2024-06-01: not in 2025
 *   M-2024-002  finans              resultatmal  2024-2026  retired 2025-09-01, partly
 *   M-2026-001  byutvikling         mal          2026-2027  not in 2025
 */
static void summary_fixture(struct fx *f)
{
	define(f, "M-2025-001", "resultatmal", "helse_omsorg", 2025, 2028, at("2025-01-01"), NULL);
	indicator(f, "M-2025-001", "I1", "lower", NULL, "{'2025': 10}", at("2025-01-01"));
	measure(f, "M-2025-001", "I1", "12", "2025-12-31", NULL);
	assess(f, "M-2025-001", 2025, "achieved", NULL, at("2026-02-01"), NULL);
	define(f, "M-2025-002", "periodemal", "helse_omsorg", 2025, 2028, at("2025-01-01"), NULL);
	assess(f, "M-2025-002", 2025, "not_achieved", NULL, at("2026-02-01"), NULL);
	define(f, "M-2025-003", "periodemal", "oppvekst_utdanning", 2025, 2026, at("2025-01-01"),
	       NULL);
	define(f, "M-2025-004", "periodemal", "oppvekst_utdanning", 2025, 2026, at("2025-01-01"),
	       NULL);
	assess(f, "M-2025-004", 2025, "partly", "barnehage", at("2026-02-01"), NULL);
	assess(f, "M-2025-004", 2025, "on_track", "skole", at("2026-02-01"), NULL);
	define(f, "M-2024-001", "periodemal", "finans", 2024, 2026, at("2024-01-01"), NULL);
	retire(f, "M-2024-001", at("2024-06-01"), NULL);
	define(f, "M-2024-002", "resultatmal", "finans", 2024, 2026, at("2024-01-01"), NULL);
	retire(f, "M-2024-002", at("2025-09-01"), NULL);
	assess(f, "M-2024-002", 2025, "partly", NULL, at("2025-08-01"), NULL);
	define(f, "M-2026-001", "mal", "byutvikling", 2026, 2027, at("2025-11-01"), NULL);
}

struct area_counts {
	const char *area;
	uint64_t goals, rows, achieved, partly, not_achieved, on_track, unassessed, disagree;
};

/* out holds exactly the counts of want (areas not listed: all zero). */
static void summary_is(const struct kt_goal_summary *out, int year, const struct area_counts *want,
		       size_t n)
{
	assert_int_equal(out->year, year);
	for (int a = 0; a < KT_AREAS; a++) {
		struct area_counts w = { kt_area_at((size_t)a)->key, 0, 0, 0, 0, 0, 0, 0, 0 };
		for (size_t k = 0; k < n; k++)
			if (area(want[k].area) == a)
				w = want[k];
		uint64_t got[8] = { out->goals[a],
				    out->rows[a],
				    out->status[a][KT_STATUS_ACHIEVED],
				    out->status[a][KT_STATUS_PARTLY],
				    out->status[a][KT_STATUS_NOT_ACHIEVED],
				    out->status[a][KT_STATUS_ON_TRACK],
				    out->status[a][KT_STATUSES],
				    out->disagree[a] };
		uint64_t exp[8] = { w.goals,	    w.rows,	w.achieved,   w.partly,
				    w.not_achieved, w.on_track, w.unassessed, w.disagree };
		static const char *const what[8] = { "goals",	     "rows",	     "achieved",
						     "partly",	     "not_achieved", "on_track",
						     "not assessed", "disagree" };
		for (int k = 0; k < 8; k++)
			if (got[k] != exp[k])
				fail_msg("%d %s: %s %llu, want %llu", year, w.area, what[k],
					 (unsigned long long)got[k], (unsigned long long)exp[k]);
	}
}

static void test_goals_summary_counts_per_area_and_status(void **state)
{
	struct fx *f = *state;
	summary_fixture(f);
	struct kt_goal_summary s;

	memset(&s, 0xa5, sizeof s);
	kt_goal_summary(&f->m, 2025, -1, &s);
	const struct area_counts all2025[] = {
		{ "helse_omsorg", 2, 2, 1, 0, 1, 0, 0, 1 },
		{ "oppvekst_utdanning", 2, 3, 0, 1, 0, 1, 1, 0 },
		{ "finans", 1, 1, 0, 1, 0, 0, 0, 0 },
	};
	summary_is(&s, 2025, all2025, N(all2025));

	kt_goal_summary(&f->m, 2025, KT_LEVEL_RESULTATMAL, &s);
	const struct area_counts result2025[] = {
		{ "helse_omsorg", 1, 1, 1, 0, 0, 0, 0, 1 },
		{ "finans", 1, 1, 0, 1, 0, 0, 0, 0 },
	};
	summary_is(&s, 2025, result2025, N(result2025));

	kt_goal_summary(&f->m, 2025, KT_LEVEL_PERIODEMAL, &s);
	const struct area_counts period2025[] = {
		{ "helse_omsorg", 1, 1, 0, 0, 1, 0, 0, 0 },
		{ "oppvekst_utdanning", 2, 3, 0, 1, 0, 1, 1, 0 },
	};
	summary_is(&s, 2025, period2025, N(period2025));

	/* 2024: both finans goals, the one retired during the year included. */
	kt_goal_summary(&f->m, 2024, -1, &s);
	const struct area_counts all2024[] = { { "finans", 2, 2, 0, 0, 0, 0, 2, 0 } };
	summary_is(&s, 2024, all2024, N(all2024));

	/* 2026: M-2024-002 was retired in 2025 and M-2024-001 before; the
	 * 2025 goals of 2025-2026 and 2025-2028 take part, unassessed, and so
	 * does the byutvikling goal. */
	kt_goal_summary(&f->m, 2026, -1, &s);
	const struct area_counts all2026[] = {
		{ "helse_omsorg", 2, 2, 0, 0, 0, 0, 2, 0 },
		{ "oppvekst_utdanning", 2, 2, 0, 0, 0, 0, 2, 0 },
		{ "byutvikling", 1, 1, 0, 0, 0, 0, 1, 0 },
	};
	summary_is(&s, 2026, all2026, N(all2026));

	kt_goal_summary(&f->m, 2025, KT_LEVEL_TILTAK, &s);
	summary_is(&s, 2025, NULL, 0);
}

/* ---- corrections and retractions ------------------------------------------------------ */

static void test_goals_correction_replaces_a_measurement(void **state)
{
	struct fx *f = *state;
	const char *G = "M-2025-060";
	uint8_t m_id[16], def_id[16], a_id[16];
	define(f, G, "mal", "finans", 2025, 2027, at("2025-01-01"), def_id);
	indicator(f, G, "I1", "lower", NULL, "{'2025': 10}", at("2025-01-01"));
	measure(f, G, "I1", "12", "2025-12-31", m_id);
	assess(f, G, 2025, "not_achieved", NULL, at("2026-02-01"), a_id);
	const struct kt_goal *g = goal(f, G);
	verdict_is(g, 2025, WHOLE, KT_STATUS_NOT_ACHIEVED, 1, 0);

	uint64_t pos = correct(f, G, m_id, KT_EV_GOAL_MEASURED, at("2025-12-31"),
			       "{'indicator': 'I1', 'value': 9, 'date': '2025-12-31',"
			       " 'note': 'Rettet tall.'}");
	g = goal(f, G);
	struct kt_goal_measurement m;
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 1);
	assert_true(m.value == 9);
	text_is(m.note, "Rettet tall.", "note");
	const struct kt_goal_fact *fact = kt_goal_fact_by_id(g, m_id);
	assert_non_null(fact);
	assert_int_equal(fact->corrected_by, pos);
	assert_false(fact->retracted);
	/* The correction is no fact of its own. */
	assert_int_equal(g->n_facts, 4);
	verdict_is(g, 2025, WHOLE, KT_STATUS_ACHIEVED, 1, 1);
	struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
	size_t n;
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_true(rows[0].disagrees);

	/* Corrected again: the latest correction is in force. A corrected date
	 * moves it to another year. */
	pos = correct(f, G, m_id, KT_EV_GOAL_MEASURED, at("2025-12-31"),
		      "{'indicator': 'I1', 'value': 8, 'date': '2024-12-31'}");
	g = goal(f, G);
	assert_int_equal(kt_goal_fact_by_id(g, m_id)->corrected_by, pos);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 0);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2024, &m), 1);
	assert_true(m.value == 8);
	text_is(m.note, NULL, "note after the second correction");

	/* A goal's own definition, its number kept: the text changes. */
	correct(f, G, def_id, KT_EV_GOAL_DEFINED, at("2025-01-01"),
		"{'number': 'M-2025-060', 'level': 'undermal', 'area': 'finans',"
		" 'period_from': 2025, 'period_to': 2026, 'text': 'Rettet tekst.'}");
	g = goal(f, G);
	struct kt_goal_definition d = definition(g, MAX);
	text_is(d.text, "Rettet tekst.", "corrected text");
	assert_int_equal(d.level, KT_LEVEL_UNDERMAL);
	assert_int_equal(d.period_to, 2026);
	/* An assessment's status. */
	correct(f, G, a_id, KT_EV_GOAL_ASSESSED, at("2026-02-01"),
		"{'year': 2025, 'status': 'partly', 'wording': 'Målet er delvis nådd'}");
	g = goal(f, G);
	struct kt_goal_assessment a;
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 1);
	assert_int_equal(a.status, KT_STATUS_PARTLY);
	text_is(a.wording, "Målet er delvis nådd", "wording");
}

static void test_goals_retraction_withdraws(void **state)
{
	struct fx *f = *state;
	const char *G = "M-2025-070";
	uint8_t a1[16], a2[16], m1[16], r1[16], def_id[16];
	define(f, G, "mal", "miljo_naring_samferdsel", 2025, 2027, at("2025-01-01"), def_id);
	indicator(f, G, "I1", "higher", NULL, "{'2025': 10}", at("2025-01-01"));
	measure(f, G, "I1", "12", "2025-12-31", m1);
	assess(f, G, 2025, "achieved", NULL, at("2026-02-01"), a1);
	assess(f, G, 2025, "partly", NULL, at("2026-03-01"), a2);
	struct kt_goal_assessment a;
	const struct kt_goal *g = goal(f, G);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 1);
	assert_int_equal(a.status, KT_STATUS_PARTLY);

	retract(f, G, a2, KT_EV_GOAL_ASSESSED, at("2026-03-01"));
	g = goal(f, G);
	assert_true(kt_goal_fact_by_id(g, a2)->retracted);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 1);
	assert_int_equal(a.status, KT_STATUS_ACHIEVED);
	/* A retracted fact is not corrected back to life. */
	correct(f, G, a2, KT_EV_GOAL_ASSESSED, at("2026-03-01"),
		"{'year': 2025, 'status': 'on_track'}");
	g = goal(f, G);
	assert_int_equal(kt_goal_fact_by_id(g, a2)->corrected_by, 0);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 1);
	assert_int_equal(a.status, KT_STATUS_ACHIEVED);

	retract(f, G, a1, KT_EV_GOAL_ASSESSED, at("2026-02-01"));
	g = goal(f, G);
	assert_int_equal(kt_goal_assessment(g, 2025, WHOLE, &a), 0);
	assert_int_equal(kt_goal_last_assessed_year(g), 0);
	struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
	size_t n;
	kt_goal_rows(g, 2025, rows, N(rows), &n);
	assert_int_equal(n, 1);
	assert_false(rows[0].assessed);
	assert_int_equal(rows[0].verdict.status, KT_STATUS_ACHIEVED);

	/* A measurement withdrawn counts no more. */
	retract(f, G, m1, KT_EV_GOAL_MEASURED, at("2025-12-31"));
	g = goal(f, G);
	struct kt_goal_measurement m;
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 0);
	verdict_is(g, 2025, WHOLE, -1, 0, 0);

	/* A retirement withdrawn: the goal takes part again. */
	retire(f, G, at("2025-06-01"), r1);
	struct kt_goal_definition d;
	g = goal(f, G);
	assert_int_equal(kt_goal_in_year(g, 2026, &d), 0);
	retract(f, G, r1, KT_EV_GOAL_RETIRED, at("2025-06-01"));
	g = goal(f, G);
	assert_int_equal(kt_goal_in_year(g, 2026, &d), 1);
	assert_false(d.retired);
	assert_true(d.retired_at == UNSET);

	/* The definition withdrawn: the goal is not defined at any moment. */
	retract(f, G, def_id, KT_EV_GOAL_DEFINED, at("2025-01-01"));
	g = goal(f, G);
	assert_int_equal(kt_goal_definition(g, MAX, &d), 0);
	assert_int_equal(kt_goal_in_year(g, 2025, &d), 0);
	struct kt_goal_summary s;
	kt_goal_summary(&f->m, 2025, -1, &s);
	summary_is(&s, 2025, NULL, 0);
	/* A retraction is final: the same target again changes nothing. */
	uint32_t facts = g->n_facts;
	retract(f, G, def_id, KT_EV_GOAL_DEFINED, at("2025-01-01"));
	g = goal(f, G);
	assert_int_equal(g->n_facts, facts);
	assert_true(g->facts[0].retracted);
}

/* Corrections the model must not apply. */
static void test_goals_corrections_that_are_ignored(void **state)
{
	struct fx *f = *state;
	const char *G = "M-2025-080";
	uint8_t def_id[16], m_id[16], other_id[16];
	define(f, G, "mal", "finans", 2025, 2027, at("2025-01-01"), def_id);
	indicator(f, G, "I1", "lower", NULL, "{'2025': 10}", at("2025-01-01"));
	measure(f, G, "I1", "12", "2025-12-31", m_id);
	define(f, "M-2025-081", "mal", "finans", 2025, 2027, at("2025-01-01"), other_id);
	const struct kt_goal *g = goal(f, G);
	const struct kt_goal_fact *def = &g->facts[0];
	uint8_t *before = malloc(def->len);
	assert_non_null(before);
	memcpy(before, def->data, def->len);
	uint32_t before_len = def->len;

	/* A correction that changes the goal's number. */
	correct(f, G, def_id, KT_EV_GOAL_DEFINED, at("2025-01-01"),
		"{'number': 'M-2025-082', 'level': 'mal', 'area': 'finans',"
		" 'period_from': 2025, 'period_to': 2027, 'text': 'Annet nummer.'}");
	g = goal(f, G);
	assert_int_equal(g->facts[0].corrected_by, 0);
	assert_int_equal(g->facts[0].len, before_len);
	assert_memory_equal(g->facts[0].data, before, before_len);
	text_is(definition(g, MAX).text, "Mål M-2025-080.", "text");
	assert_null(kt_goals_find(&f->m, "M-2025-082", 10));
	assert_string_equal(g->number, G);

	/* Data of another type than the target's: an assessment's payload for
	 * a measurement. */
	correct(f, G, m_id, KT_EV_GOAL_ASSESSED, at("2025-12-31"),
		"{'year': 2025, 'status': 'achieved'}");
	g = goal(f, G);
	assert_int_equal(kt_goal_fact_by_id(g, m_id)->corrected_by, 0);
	assert_int_equal(kt_goal_fact_by_id(g, m_id)->kind, KT_GFACT_MEASURED);
	struct kt_goal_measurement m;
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 1);
	assert_true(m.value == 12);

	/* A target in another goal's stream, and an id nobody has. */
	correct(f, G, other_id, KT_EV_GOAL_DEFINED, at("2025-01-01"),
		"{'number': 'M-2025-081', 'level': 'mal', 'area': 'finans',"
		" 'period_from': 2025, 'period_to': 2027, 'text': 'Fra feil strøm.'}");
	uint8_t nobody[16];
	new_id(f, nobody);
	correct(f, G, nobody, KT_EV_GOAL_MEASURED, at("2025-12-31"),
		"{'indicator': 'I1', 'value': 1, 'date': '2025-12-31'}");
	retract(f, G, nobody, KT_EV_GOAL_MEASURED, at("2025-12-31"));
	g = goal(f, G);
	text_is(definition(goal(f, "M-2025-081"), MAX).text, "Mål M-2025-081.", "other goal");
	assert_int_equal(goal(f, "M-2025-081")->facts[0].corrected_by, 0);
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2025, &m), 1);
	assert_true(m.value == 12);
	/* Neither does a retraction reach into another goal. */
	retract(f, G, other_id, KT_EV_GOAL_DEFINED, at("2025-01-01"));
	assert_false(goal(f, "M-2025-081")->facts[0].retracted);
	assert_int_equal(
	    kt_goal_definition(goal(f, "M-2025-081"), MAX, &(struct kt_goal_definition){ 0 }), 1);

	/* A correction the catalogue refuses (its data fails the schema). */
	char t[KT_ID_TEXT_LEN + 1];
	kt_id_format(m_id, t);
	feed_invalid(f, G, KT_EV_EVENT_CORRECTED, at("2025-12-31"),
		     "{'target': '%s', 'target_type': 'goal.measured', 'reason': 'R.',"
		     " 'data': {'indicator': 'I1', 'value': 'ni', 'date': '2025-12-31'}}",
		     t);
	g = goal(f, G);
	assert_int_equal(kt_goal_fact_by_id(g, m_id)->corrected_by, 0);
	assert_int_equal(g->n_facts, 3);
	free(before);
}

/* ---- what the fold skips ------------------------------------------------------------- */

static void test_goals_skips_other_streams_unknown_types_and_invalid_payloads(void **state)
{
	struct fx *f = *state;
	static const char defined[] = "{'number': 'M-2025-001', 'level': 'mal', 'area': 'finans',"
				      " 'period_from': 2025, 'period_to': 2026, 'text': 'T.'}";
	static const char measured[] = "{'indicator': 'I1', 'value': 1, 'date': '2025-01-01'}";
	int64_t t = at("2025-01-01");
	/* Before the goal exists: its other events are skipped. */
	feed(f, "M-2025-001", KT_EV_GOAL_MEASURED, t, NULL, measured);
	feed(f, "M-2025-001", KT_EV_GOAL_ASSESSED, t, NULL, "{'year': 2025, 'status': 'partly'}");
	assert_int_equal(f->m.n, 0);
	/* Other streams, whatever they carry. */
	static const char *const streams[] = { "incident-H-2025-00001",
					       "goal-",
					       "goal-M-2025-01",
					       "goal-M-2025-0001",
					       "Goal-M-2025-001",
					       "goals-M-2025-001",
					       "goal-M-2025-001 ",
					       "goal",
					       "M-2025-001",
					       "inspection-T-2025-001" };
	for (size_t k = 0; k < N(streams); k++)
		feed_to(f, streams[k], KT_EV_GOAL_DEFINED, t, NULL, defined);
	assert_int_equal(f->m.n, 0);
	/* A definition in the stream of another number. */
	feed(f, "M-2025-002", KT_EV_GOAL_DEFINED, t, NULL, defined);
	assert_int_equal(f->m.n, 0);

	uint8_t def_id[16];
	feed(f, "M-2025-001", KT_EV_GOAL_DEFINED, t, def_id, defined);
	assert_int_equal(f->m.n, 1);
	const struct kt_goal *g = goal(f, "M-2025-001");
	assert_int_equal(g->n_facts, 1);
	/* Defined again: skipped, the first definition stands. */
	feed(f, "M-2025-001", KT_EV_GOAL_DEFINED, at("2025-02-01"), NULL,
	     "{'number': 'M-2025-001', 'level': 'tiltak', 'area': 'byutvikling',"
	     " 'period_from': 2025, 'period_to': 2030, 'text': 'Andre gang.'}");
	/* Unknown types, and types of other catalogues. */
	static const char *const types[] = { "goal.unknown", "goal.defined.v2", "goal",
					     "incident.closed", "finding.recorded" };
	for (size_t k = 0; k < N(types); k++) {
		uint8_t bytes[] = { 0x81, 0xa6, 'r', 'e', 'a', 's', 'o', 'n', 0xa1, 'x' };
		char stream[] = "goal-M-2025-001";
		assert_int_equal(feed_bytes(f, stream, types[k], t, bytes, sizeof bytes, NULL),
				 KT_OK);
	}
	/* Payloads that do not pass the schema. */
	feed_invalid(f, "M-2025-001", KT_EV_GOAL_MEASURED, t,
		     "{'indicator': 'I1', 'value': '1', 'date': '2025-01-01'}");
	feed_invalid(f, "M-2025-001", KT_EV_GOAL_MEASURED, t,
		     "{'indicator': 'i1', 'value': 1, 'date': '2025-01-01'}");
	feed_invalid(f, "M-2025-001", KT_EV_GOAL_ASSESSED, t, "{'year': 2025, 'status': 'nådd'}");
	feed_invalid(f, "M-2025-001", KT_EV_GOAL_REVISED, t, "{'reason': 'Ingenting.'}");
	feed_invalid(f, "M-2025-001", KT_EV_GOAL_RETIRED, t, "{}");
	feed_invalid(f, "M-2025-001", KT_EV_EVENT_RETRACTED, t,
		     "{'target': 'not-a-uuid', 'target_type': 'goal.defined', 'reason': 'R.'}");
	static const uint8_t not_a_map[] = { 0x91, 0xa1, 'x' };
	static const uint8_t truncated[] = { 0x82, 0xa6, 'r', 'e', 'a', 's', 'o', 'n', 0xa1 };
	assert_int_equal(feed_bytes(f, "goal-M-2025-001", KT_EV_GOAL_RETIRED, t, not_a_map,
				    sizeof not_a_map, NULL),
			 KT_OK);
	assert_int_equal(feed_bytes(f, "goal-M-2025-001", KT_EV_GOAL_RETIRED, t, truncated,
				    sizeof truncated, NULL),
			 KT_OK);
	assert_int_equal(
	    feed_bytes(f, "goal-M-2025-001", KT_EV_GOAL_RETIRED, t, truncated, 0, NULL), KT_OK);
	/* A correction in the stream of a goal never defined. */
	char id[KT_ID_TEXT_LEN + 1];
	kt_id_format(def_id, id);
	feed(f, "M-2025-003", KT_EV_EVENT_RETRACTED, t, NULL,
	     "{'target': '%s', 'target_type': 'goal.defined', 'reason': 'R.'}", id);

	assert_int_equal(f->m.n, 1);
	g = goal(f, "M-2025-001");
	assert_int_equal(g->n_facts, 1);
	assert_false(g->facts[0].retracted);
	struct kt_goal_definition d = definition(g, MAX);
	text_is(d.text, "T.", "text");
	assert_int_equal(d.level, KT_LEVEL_MAL);
	assert_false(d.retired);
	/* Every event of the stream was seen, skipped or not: 2 before the
	 * definition, 1 for it, then 1 + 5 + 6 + 3. */
	assert_int_equal(g->version, 2 + 1 + 1 + N(types) + 6 + 3);
}

/* ---- snapshots ------------------------------------------------------------------------ */

/* A model with a bit of everything: the summary fixture, revisions,
 * a correction and a retraction. */
static void snapshot_fixture(struct fx *f)
{
	uint8_t m_id[16], a_id[16];
	summary_fixture(f);
	feed(f, "M-2025-001", KT_EV_GOAL_REVISED, at("2026-03-01"), NULL,
	     "{'reason': 'R.', 'text': 'Revidert.'}");
	feed(f, "M-2025-001", KT_EV_GOAL_INDICATOR_REVISED, at("2026-03-01"), NULL,
	     "{'indicator': 'I1', 'reason': 'R.', 'targets': {'2026': 9}, 'baseline': 14,"
	     " 'baseline_date': '2024-12-31'}");
	measure(f, "M-2025-001", "I1", "11", "2026-06-30", m_id);
	correct(f, "M-2025-001", m_id, KT_EV_GOAL_MEASURED, at("2026-06-30"),
		"{'indicator': 'I1', 'value': 8, 'date': '2026-06-30'}");
	assess(f, "M-2025-002", 2025, "partly", NULL, at("2026-04-01"), a_id);
	retract(f, "M-2025-002", a_id, KT_EV_GOAL_ASSESSED, at("2026-04-01"));
}

static void save_to(const struct kt_goals *m, struct kt_buf *out)
{
	kt_buf_reset(out);
	assert_int_equal(kt_goals_projection.save(m, out), KT_OK);
}

static void texts_equal(struct kt_text a, struct kt_text b)
{
	assert_int_equal(!a.s, !b.s);
	if (a.s) {
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.s, b.s, a.len);
	}
}

/* a and b hold the same goals, facts and views. */
static void same_model(const struct kt_goals *a, const struct kt_goals *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t k = 0; k < a->n; k++) {
		const struct kt_goal *x = &a->items[k], *y = &b->items[k];
		assert_string_equal(x->number, y->number);
		assert_int_equal(x->year, y->year);
		assert_int_equal(x->seq, y->seq);
		assert_memory_equal(x->id, y->id, 16);
		assert_int_equal(x->version, y->version);
		assert_int_equal(x->n_facts, y->n_facts);
		for (uint32_t i = 0; i < x->n_facts; i++) {
			const struct kt_goal_fact *p = &x->facts[i], *q = &y->facts[i];
			assert_memory_equal(p->id, q->id, 16);
			assert_int_equal(p->at, q->at);
			assert_int_equal(p->position, q->position);
			assert_int_equal(p->corrected_by, q->corrected_by);
			assert_int_equal(p->kind, q->kind);
			assert_int_equal(p->retracted, q->retracted);
			assert_int_equal(p->len, q->len);
			assert_memory_equal(p->data, q->data, p->len);
		}
		for (int year = 2024; year <= 2027; year++) {
			struct kt_goal_definition dx, dy;
			int in_x = kt_goal_definition(x, kt_goal_year_end(year), &dx);
			assert_int_equal(in_x, kt_goal_definition(y, kt_goal_year_end(year), &dy));
			if (in_x) {
				assert_int_equal(dx.level, dy.level);
				assert_int_equal(dx.area, dy.area);
				assert_int_equal(dx.period_from, dy.period_from);
				assert_int_equal(dx.period_to, dy.period_to);
				texts_equal(dx.text, dy.text);
				assert_int_equal(dx.revisions, dy.revisions);
				assert_int_equal(dx.retired, dy.retired);
				assert_int_equal(dx.retired_at, dy.retired_at);
			}
			struct kt_goal_indicator ix[KT_GOAL_INDICATORS_MAX],
			    iy[KT_GOAL_INDICATORS_MAX];
			size_t nx, ny;
			kt_goal_indicators(x, kt_goal_year_end(year), ix, N(ix), &nx);
			kt_goal_indicators(y, kt_goal_year_end(year), iy, N(iy), &ny);
			assert_int_equal(nx, ny);
			for (size_t i = 0; i < nx; i++) {
				assert_string_equal(ix[i].label, iy[i].label);
				assert_int_equal(ix[i].has_baseline, iy[i].has_baseline);
				assert_true(ix[i].baseline == iy[i].baseline);
				assert_int_equal(ix[i].n_targets, iy[i].n_targets);
				assert_memory_equal(ix[i].targets, iy[i].targets,
						    ix[i].n_targets * sizeof ix[i].targets[0]);
			}
			struct kt_goal_row rx[KT_GOAL_ROWS_MAX], ry[KT_GOAL_ROWS_MAX];
			kt_goal_rows(x, year, rx, N(rx), &nx);
			kt_goal_rows(y, year, ry, N(ry), &ny);
			assert_int_equal(nx, ny);
			for (size_t i = 0; i < nx && i < N(rx); i++) {
				texts_equal(rx[i].part, ry[i].part);
				assert_int_equal(rx[i].assessed, ry[i].assessed);
				if (rx[i].assessed)
					assert_int_equal(rx[i].assessment.status,
							 ry[i].assessment.status);
				assert_int_equal(rx[i].verdict.status, ry[i].verdict.status);
				assert_int_equal(rx[i].verdict.counted, ry[i].verdict.counted);
				assert_int_equal(rx[i].verdict.met, ry[i].verdict.met);
				assert_int_equal(rx[i].disagrees, ry[i].disagrees);
			}
		}
	}
	for (int year = 2024; year <= 2027; year++) {
		struct kt_goal_summary sa, sb;
		memset(&sa, 0, sizeof sa);
		memset(&sb, 0xff, sizeof sb);
		kt_goal_summary(a, year, -1, &sa);
		kt_goal_summary(b, year, -1, &sb);
		assert_memory_equal(&sa, &sb, sizeof sa);
	}
}

static void test_goals_save_then_load_gives_the_same_views(void **state)
{
	struct fx *f = *state;
	snapshot_fixture(f);
	assert_string_equal(kt_goals_projection.name, "goals");
	assert_true(kt_goals_projection.state_version >= 1);

	struct kt_buf bytes = KT_BUF_INIT(SIZE_MAX), again = KT_BUF_INIT(SIZE_MAX);
	save_to(&f->m, &bytes);
	struct kt_goals copy;
	kt_goals_init(&copy);
	assert_int_equal(kt_goals_projection.load(&copy, bytes.data, bytes.len), KT_OK);
	same_model(&f->m, &copy);
	/* The views read the loaded model as the folded one; check a few of
	 * them by value too, so that equal-but-wrong cannot pass. */
	const struct kt_goal *g = kt_goals_find(&copy, "M-2025-001", 10);
	assert_non_null(g);
	text_is(definition(g, MAX).text, "Revidert.", "loaded text");
	struct kt_goal_measurement m;
	assert_int_equal(kt_goal_measurement_in(g, "I1", 2026, &m), 1);
	assert_true(m.value == 8);
	assert_true(m.fact->corrected_by != 0);
	struct kt_goal_summary s;
	kt_goal_summary(&copy, 2025, -1, &s);
	const struct area_counts all2025[] = {
		{ "helse_omsorg", 2, 2, 1, 0, 1, 0, 0, 1 },
		{ "oppvekst_utdanning", 2, 3, 0, 1, 0, 1, 1, 0 },
		{ "finans", 1, 1, 0, 1, 0, 0, 0, 0 },
	};
	summary_is(&s, 2025, all2025, N(all2025));
	/* Saved again, byte for byte the same. */
	save_to(&copy, &again);
	assert_int_equal(again.len, bytes.len);
	assert_memory_equal(again.data, bytes.data, bytes.len);

	/* The loaded model folds on like the original. */
	struct fx *f2 = f;
	struct kt_goals saved = f2->m;
	f2->m = copy;
	define(f2, "M-2025-099", "mal", "finans", 2025, 2026, at("2025-05-01"), NULL);
	measure(f2, "M-2025-001", "I1", "7", "2026-12-31", NULL);
	assert_int_equal(f2->m.n, saved.n + 1);
	assert_int_equal(kt_goals_last_seq(&f2->m, 2025), 99);
	assert_int_equal(kt_goal_measurement_in(goal(f2, "M-2025-001"), "I1", 2026, &m), 1);
	assert_true(m.value == 7);
	copy = f2->m;
	f2->m = saved;
	kt_goals_free(&copy);

	/* An empty model. */
	struct kt_goals empty;
	kt_goals_init(&empty);
	save_to(&empty, &bytes);
	assert_int_equal(bytes.len, 8);
	kt_goals_init(&copy);
	assert_int_equal(kt_goals_projection.load(&copy, bytes.data, bytes.len), KT_OK);
	assert_int_equal(copy.n, 0);
	kt_goals_free(&copy);

	/* reset empties. */
	kt_goals_projection.reset(&f->m);
	assert_int_equal(f->m.n, 0);
	assert_null(f->m.items);
	kt_buf_free(&bytes);
	kt_buf_free(&again);
}

/* A load that fails leaves the model empty (and usable). */
static void refused_load(struct kt_goals *m, const uint8_t *bytes, size_t len, const char *what)
{
	int rc = kt_goals_projection.load(m, bytes, len);
	if (rc == KT_OK)
		fail_msg("%s: loaded", what);
	if (m->n != 0 || m->items != NULL)
		fail_msg("%s: rc %d but the model holds %zu goals", what, rc, m->n);
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void test_goals_load_refuses_truncated_and_garbage_bytes(void **state)
{
	struct fx *f = *state;
	snapshot_fixture(f);
	struct kt_buf bytes = KT_BUF_INIT(SIZE_MAX);
	save_to(&f->m, &bytes);
	const size_t len = bytes.len;
	uint8_t *b = malloc(len + 1);
	assert_non_null(b);
	struct kt_goals m;
	kt_goals_init(&m);

	/* Every truncation, each into a model that held the whole. */
	for (size_t cut = 0; cut < len; cut++) {
		assert_int_equal(kt_goals_projection.load(&m, bytes.data, len), KT_OK);
		assert_int_equal(m.n, f->m.n);
		memcpy(b, bytes.data, cut);
		char what[64];
		snprintf(what, sizeof what, "cut at %zu of %zu", cut, len);
		refused_load(&m, b, cut, what);
	}
	/* A byte too many. */
	memcpy(b, bytes.data, len);
	b[len] = 0;
	refused_load(&m, b, len + 1, "trailing byte");

	/* Corrupted fields of the first goal and its first facts. The layout
	 * (goals.c): n (8); number length (1), number, id (16), version (8),
	 * facts (4); per fact id (16), at, position, corrected_by (8 each),
	 * kind (1), retracted (1), data length (4), data. */
	const size_t nlen = bytes.data[8];
	assert_int_equal(nlen, strlen(f->m.items[0].number));
	const size_t facts = 8 + 1 + nlen + 16 + 8; /* offset of the fact count */
	const size_t fact0 = facts + 4;		    /* of the first fact */
	const size_t fact1 = fact0 + 46 + f->m.items[0].facts[0].len;
	static const struct {
		const char *what;
		int field; /* 0: goal count, 1: number length, 2: a number byte, 3: fact count,
			      4: fact 0 kind, 5: fact 0 retracted, 6: fact 1 kind, 7: fact 0
			      data length */
		uint64_t value;
	} bad[] = {
		{ "no goals but bytes", 0, 0 },
		{ "more goals than bytes", 0, 1000 },
		{ "huge goal count", 0, UINT64_MAX },
		{ "number length 0", 1, 0 },
		{ "number length 200", 1, 200 },
		{ "number length 9", 1, 9 },
		{ "number not a goal number", 2, 'H' },
		{ "no facts", 3, 0 },
		{ "more facts than bytes", 3, 0xffffffffu },
		{ "first fact not a definition", 4, KT_GFACT_REVISED },
		{ "kind out of range", 4, 7 },
		{ "retracted 2", 5, 2 },
		{ "a second definition", 6, KT_GFACT_DEFINED },
		{ "kind 255", 6, 255 },
		{ "data longer than the bytes", 7, 0xfffffff0u },
	};
	for (size_t k = 0; k < N(bad); k++) {
		memcpy(b, bytes.data, len);
		uint64_t v = bad[k].value;
		switch (bad[k].field) {
		case 0:
			for (int i = 0; i < 8; i++)
				b[i] = (uint8_t)(v >> (8 * i));
			break;
		case 1:
			b[8] = (uint8_t)v;
			break;
		case 2:
			b[9] = (uint8_t)v;
			break;
		case 3:
			for (int i = 0; i < 4; i++)
				b[facts + (size_t)i] = (uint8_t)(v >> (8 * i));
			break;
		case 4:
			b[fact0 + 40] = (uint8_t)v;
			break;
		case 5:
			b[fact0 + 41] = (uint8_t)v;
			break;
		case 6:
			b[fact1 + 40] = (uint8_t)v;
			break;
		case 7:
			for (int i = 0; i < 4; i++)
				b[fact0 + 42 + (size_t)i] = (uint8_t)(v >> (8 * i));
			break;
		}
		assert_int_equal(kt_goals_projection.load(&m, bytes.data, len), KT_OK);
		refused_load(&m, b, len, bad[k].what);
	}

	/* A goal without facts (not even its definition) before a valid one:
	 * every other byte in order. */
	{
		struct fx one;
		memset(&one, 0, sizeof one);
		kt_goals_init(&one.m);
		define(&one, "M-2025-001", "mal", "finans", 2025, 2026, at("2025-01-01"), NULL);
		struct kt_buf single = KT_BUF_INIT(SIZE_MAX);
		save_to(&one.m, &single);
		static const char empty_goal[] = "M-2025-002";
		const size_t head = 1 + 10 + 16 + 8 + 4;
		size_t total = 8 + head + (single.len - 8);
		uint8_t *z = calloc(1, total);
		assert_non_null(z);
		z[0] = 2;
		z[8] = 10;
		memcpy(z + 9, empty_goal, 10);
		/* id, version and a fact count of 0 stay zero. */
		memcpy(z + 8 + head, single.data + 8, single.len - 8);
		refused_load(&m, z, total, "a goal without facts");
		/* The same bytes with the fact-less goal left out load. */
		assert_int_equal(kt_goals_projection.load(&m, single.data, single.len), KT_OK);
		assert_int_equal(m.n, 1);
		free(z);
		kt_buf_free(&single);
		kt_goals_free(&one.m);
	}

	/* Garbage of many lengths. */
	uint64_t seed = 42;
	for (size_t n = 1; n <= len; n += 1 + n / 8) {
		for (size_t i = 0; i < n; i++)
			b[i] = (uint8_t)rng_next(&seed);
		refused_load(&m, b, n, "garbage");
	}
	refused_load(&m, NULL, 0, "nothing");

	/* Still usable: the whole loads, and folds on. */
	assert_int_equal(kt_goals_projection.load(&m, bytes.data, len), KT_OK);
	same_model(&f->m, &m);
	kt_goals_free(&m);
	free(b);
	kt_buf_free(&bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_goals_defined_goal_with_an_indicator),
		T(test_goals_revision_in_2025_keeps_the_2024_view),
		T(test_goals_fields_by_effective_time_then_log_order),
		T(test_goals_baseline_date_and_labels_defined_twice),
		T(test_goals_measurement_in_picks_the_latest_dated),
		T(test_goals_verdict_lower_and_higher_at_the_boundary),
		T(test_goals_verdict_partly_and_what_counts),
		T(test_goals_disagreement_rules),
		T(test_goals_rows_with_parts),
		T(test_goals_later_assessment_replaces_the_earlier),
		T(test_goals_in_year_period_bounds),
		T(test_goals_summary_counts_per_area_and_status),
		T(test_goals_correction_replaces_a_measurement),
		T(test_goals_retraction_withdraws),
		T(test_goals_corrections_that_are_ignored),
		T(test_goals_skips_other_streams_unknown_types_and_invalid_payloads),
		T(test_goals_save_then_load_gives_the_same_views),
		T(test_goals_load_refuses_truncated_and_garbage_bytes),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
