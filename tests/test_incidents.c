/*
 * test_incidents.c — the incidents read model (projections/incidents.c) fed
 * by the replay engine from a real store: every lifecycle path of an
 * incident; the derived values after corrections and retractions of each
 * kind of fact; the events the model must skip; the 72-hour rule at its
 * boundary; the as-of and known-at axes; the statistics on a hand-counted
 * fixture and the period they are compared with; the snapshot encoding
 * (round trip field by field, every truncation and a set of corrupted bytes
 * refused without a crash, leaving the model empty and reusable); allocation
 * failures, injected at link time, reported as KT_ENOMEM and never folded
 * into a wrong model; and a randomised log of more than 50,000 events over
 * thousands of incidents folded with and without snapshots, and checked
 * against an independent fold kept by the generator.
 *
 * Every payload appended passes kt_schema_check with its catalogue schema
 * (written as JSON with single quotes, converted with kt_json_to_data).
 * Streams are "incident-<number>", appends give the exact expected version,
 * and an event's effective time is the moment the test gives, or for a
 * correction or retraction the effective time of its target, as the command
 * layer sets them.
 *
 * Every test gets a fresh store in its own mkdtemp directory, with a faked
 * clock and commits not synced; the directory is removed afterwards.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/buf.h"
#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/id.h"
#include "kontroll/incident_events.h"
#include "kontroll/incidents.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/organisation.h"
#include "kontroll/replay.h"
#include "kontroll/schema.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAP  ((size_t)64 << 20)
#define SEC  INT64_C(1000000)
#define HOUR (3600 * SEC)
#define DAY  (86400 * SEC)
/* 2025-01-01T00:00:00Z in µs: where the faked clock starts. */
#define T0    INT64_C(1735689600000000)
#define MAX   KT_TIME_MAX
#define UNSET KT_TIME_UNSET
/* "The target's effective time", for corrections and retractions. */
#define REV UNSET

/* ---- allocation faults (the Makefile links this test with --wrap) ------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

/* Allocations to let through before one fails; -1: none fails. */
static long alloc_countdown = -1;
static long alloc_failures;

static int alloc_fails(void)
{
	if (alloc_countdown < 0)
		return 0;
	if (alloc_countdown-- > 0)
		return 0;
	alloc_failures++;
	return 1;
}

void *__wrap_malloc(size_t n)
{
	return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : __real_realloc(p, n);
}

/* Fail the allocation after the next k (k < 0: none); clears the count. */
static void arm(long k)
{
	alloc_failures = 0;
	alloc_countdown = k;
}

static void disarm(void)
{
	alloc_countdown = -1;
}

/* ---- deterministic randomness (splitmix64) ---------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

static int64_t rng_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)rng_below(s, (uint64_t)(hi - lo) + 1);
}

/* ---- time --------------------------------------------------------------- */

/* A moment written as kt_time_parse reads it ("2025-03-03T08:15:00Z"). */
static int64_t at(const char *text)
{
	int64_t us;
	if (kt_time_parse(text, &us))
		fail_msg("test time '%s' does not parse", text);
	return us;
}

/* 00:00 UTC of the day "YYYY-MM-DD", and its last µs. */
static int64_t day(const char *ymd)
{
	return at(ymd);
}

static int64_t end_of(const char *ymd)
{
	return day(ymd) + DAY - 1;
}

/* The day number (days since 1970-01-01) the model keeps for "YYYY-MM-DD". */
static int32_t dayno(const char *ymd)
{
	return (int32_t)(day(ymd) / DAY);
}

/* ---- fixture ---------------------------------------------------------- */

struct fx {
	char dir[256];
	char path[300];
	kt_store *s;
	int64_t now; /* what the faked clock says */
};

static int64_t fake_now(void *ctx)
{
	return *(const int64_t *)ctx;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-incidents-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/kontroll.db", f->dir);
	f->now = T0;
	if (kt_store_create(&f->s) || kt_store_set_mapsize(f->s, MAP) ||
	    kt_store_set_durable(f->s, 0) || kt_store_set_clock(f->s, fake_now, &f->now) ||
	    kt_store_open(f->s, f->path, KT_OPEN_CREATE)) {
		kt_store_close(f->s);
		unlink(f->path);
		rmdir(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	disarm();
	kt_store_close(f->s);
	DIR *d = opendir(f->dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[600];
			snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	int rc = rmdir(f->dir);
	free(f);
	return rc;
}

/* ---- payloads and appends ----------------------------------------------- */

#define JSON_MAX 4096

/* Single-quoted JSON → one msgpack map in out, replacing what out held. */
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

/* Every payload appended must be one the catalogues accept for type. */
static void check_payload(const char *type, const uint8_t *data, size_t len)
{
	char why[256];
	int rc = kt_catalogue_check(type, strlen(type), data, len, why, sizeof why);
	if (rc)
		fail_msg("%s payload refused (%s): %s", type, kt_strerror(rc), why);
}

/* The effective time of the event whose id a revision names (T0 when it is
 * not in the log). */
static int64_t target_effective(struct fx *f, const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	char text[KT_ID_TEXT_LEN + 1];
	uint8_t id[16];
	kt_reader *r;
	struct kt_event target;
	assert_int_equal(kt_data_get_str(data, len, "target", &s, &n), KT_OK);
	assert_int_equal(n, KT_ID_TEXT_LEN);
	memcpy(text, s, n);
	text[n] = 0;
	assert_int_equal(kt_id_parse(text, id), KT_OK);
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	int rc = kt_reader_get_by_id(r, id, &target);
	int64_t us = rc == 0 ? target.effective : T0;
	kt_reader_end(r);
	if (rc != KT_OK && rc != KT_ENOTFOUND)
		fail_msg("reading %s: %s", text, kt_strerror(rc));
	return us;
}

/*
 * Append one event of type to stream at exactly version expected (or
 * KT_VERSION_ANY), one second after the previous append, effective at when
 * (REV: a revision's target's). Its payload, the single-quoted JSON squoted,
 * must pass the schema of check_type. id (may be NULL) receives the event's
 * id. Returns the event's log position.
 */
static uint64_t append_raw(struct fx *f, const char *stream, uint64_t expected, const char *type,
			   const char *check_type, int64_t when, const char *squoted,
			   uint8_t id[16])
{
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	struct kt_event ev;
	struct kt_append_result res;
	encode(squoted, &data);
	check_payload(check_type, data.data, data.len);
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.actor = "tester";
	ev.actor_len = 6;
	ev.effective = when == REV ? target_effective(f, data.data, data.len) : when;
	ev.data = data.data;
	ev.data_len = data.len;
	f->now += SEC;
	int rc = kt_store_append(f->s, stream, expected, &ev, 1, &res);
	if (rc)
		fail_msg("append %s to %s: %s", type, stream, kt_strerror(rc));
	if (expected != KT_VERSION_ANY)
		assert_int_equal(ev.version, expected + 1);
	if (id)
		memcpy(id, ev.id, 16);
	kt_buf_free(&data);
	return res.first_position;
}

/* One incident's stream and the version its next append expects. */
struct inc {
	char number[KT_INCIDENT_NUMBER_SIZE];
	char stream[64];
	uint64_t version;
};

static struct inc inc(const char *number)
{
	struct inc in;
	snprintf(in.number, sizeof in.number, "%s", number);
	snprintf(in.stream, sizeof in.stream, "%s%s", KT_INCIDENT_STREAM_PREFIX, number);
	in.version = 0;
	return in;
}

/* Append an event of a catalogue type to in, effective at when; the payload
 * is printf-formatted single-quoted JSON. Returns its position. */
static uint64_t add(struct fx *f, struct inc *in, const char *type, int64_t when, uint8_t id[16],
		    const char *fmt, ...)
{
	char json[JSON_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(json, sizeof json, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof json);
	uint64_t pos = append_raw(f, in->stream, in->version, type, type, when, json, id);
	in->version++;
	return pos;
}

/* incident.reported for in, registered at when. */
static uint64_t report(struct fx *f, struct inc *in, int64_t when, uint8_t id[16],
		       const char *category, const char *unit, const char *area,
		       const char *occurred)
{
	return add(f, in, KT_EV_INCIDENT_REPORTED, when, id,
		   "{'number': '%s', 'category': '%s', 'unit': '%s', 'area': '%s',"
		   " 'occurred': '%s', 'text': 'Beskrivelse av hendelsen.'}",
		   in->number, category, unit, area, occurred);
}

static uint64_t triage(struct fx *f, struct inc *in, int64_t when, uint8_t id[16], const char *type,
		       int severity)
{
	return add(f, in, KT_EV_INCIDENT_TRIAGED, when, id, "{'type': '%s', 'severity': %d}", type,
		   severity);
}

static uint64_t retract(struct fx *f, struct inc *in, const uint8_t target[16], const char *type)
{
	char t[KT_ID_TEXT_LEN + 1];
	kt_id_format(target, t);
	return add(f, in, KT_EV_EVENT_RETRACTED, REV, NULL,
		   "{'target': '%s', 'target_type': '%s', 'reason': 'Feilregistrert.'}", t, type);
}

/* event.corrected of target (of type) with the replacement payload data. */
static uint64_t correct(struct fx *f, struct inc *in, const uint8_t target[16], const char *type,
			const char *data)
{
	char t[KT_ID_TEXT_LEN + 1];
	kt_id_format(target, t);
	return add(f, in, KT_EV_EVENT_CORRECTED, REV, NULL,
		   "{'target': '%s', 'target_type': '%s', 'reason': 'Rettet.', 'data': %s}", t,
		   type, data);
}

static uint64_t close_at(struct fx *f, struct inc *in, int64_t when, uint8_t id[16])
{
	return add(f, in, KT_EV_INCIDENT_CLOSED, when, id, "{'conclusion': 'Lukket.'}");
}

static uint64_t reopen_at(struct fx *f, struct inc *in, int64_t when, uint8_t id[16])
{
	return add(f, in, KT_EV_INCIDENT_REOPENED, when, id, "{'reason': 'Gjenåpnet.'}");
}

static uint64_t external(struct fx *f, struct inc *in, int64_t when, uint8_t id[16],
			 const char *recipient)
{
	return add(f, in, KT_EV_INCIDENT_REPORTED_EXTERNAL, when, id, "{'recipient': '%s'}",
		   recipient);
}

static uint64_t not_required(struct fx *f, struct inc *in, int64_t when, uint8_t id[16],
			     const char *recipient)
{
	return add(f, in, KT_EV_INCIDENT_EXTERNAL_NOT_REQ, when, id,
		   "{'recipient': '%s', 'reason': 'Lav risiko.'}", recipient);
}

/* ---- replaying ---------------------------------------------------------- */

static void view(struct fx *f, int64_t known_at, int64_t as_of, struct kt_incidents *m)
{
	struct kt_replay_query q = { known_at, as_of, 0, 0, NULL, NULL };
	int rc = kt_replay(f->s, &kt_incidents_projection, m, &q, NULL);
	if (rc)
		fail_msg("kt_replay: %s", kt_strerror(rc));
}

static const struct kt_incident *find_in(const struct kt_incidents *m, const struct inc *in)
{
	const struct kt_incident *got = kt_incidents_find(m, in->number, strlen(in->number));
	if (!got)
		fail_msg("%s is not in the model", in->number);
	return got;
}

/* The current view of one incident (refolded into m). */
static const struct kt_incident *now_of(struct fx *f, struct kt_incidents *m, const struct inc *in)
{
	view(f, MAX, MAX, m);
	const struct kt_incident *got = find_in(m, in);
	assert_int_equal(got->version, in->version);
	return got;
}

/* The incident as of a moment. */
static const struct kt_incident *as_of(struct fx *f, struct kt_incidents *m, int64_t when,
				       const struct inc *in)
{
	view(f, MAX, when, m);
	return find_in(m, in);
}

static void eq64(int64_t got, int64_t want, const char *what)
{
	if (got != want)
		fail_msg("%s: %lld, want %lld", what, (long long)got, (long long)want);
}

static void expect_name(const struct kt_incidents *m, uint32_t name, const char *want,
			const char *what)
{
	if (!want) {
		if (name != KT_NAME_NONE)
			fail_msg("%s: '%s', want none", what, kt_incidents_name(m, name));
		return;
	}
	if (name == KT_NAME_NONE || strcmp(kt_incidents_name(m, name), want) != 0)
		fail_msg("%s: '%s', want '%s'", what,
			 name == KT_NAME_NONE ? "(none)" : kt_incidents_name(m, name), want);
}

/* The index of an interned name, or KT_NAME_NONE. */
static uint32_t name_index(const struct kt_incidents *m, const char *name)
{
	for (uint32_t k = 0; k < m->n_names; k++)
		if (strcmp(m->names[k], name) == 0)
			return k;
	return KT_NAME_NONE;
}

static int area(const char *key)
{
	int a = kt_area_find(key);
	assert_true(a >= 0);
	return a;
}

static void expect_externals(const struct kt_incident *in, int64_t dt, int64_t arb, int64_t sf,
			     int64_t hp, int64_t other)
{
	eq64(in->external[KT_RECIPIENT_DATATILSYNET], dt, "external datatilsynet");
	eq64(in->external[KT_RECIPIENT_ARBEIDSTILSYNET], arb, "external arbeidstilsynet");
	eq64(in->external[KT_RECIPIENT_STATSFORVALTEREN], sf, "external statsforvalteren");
	eq64(in->external[KT_RECIPIENT_HELSEPLATTFORMEN], hp, "external helseplattformen");
	eq64(in->external[KT_RECIPIENT_OTHER], other, "external other");
}

static void expect_closed(const struct kt_incident *in, int closed, int64_t closed_at,
			  int64_t first)
{
	eq64(in->closed, closed, "closed");
	eq64(in->closed_at, closed_at, "closed_at");
	eq64(in->first_closed_at, first, "first_closed_at");
}

static void expect_actions(const struct kt_incident *in, uint32_t actions, uint32_t open,
			   int32_t next_due)
{
	eq64(in->actions, actions, "actions");
	eq64(in->actions_open, open, "actions_open");
	eq64(in->next_due, next_due, "next_due");
}

/* ---- comparing two models field by field -------------------------------- */

static void cmp(int64_t a, int64_t b, const char *where, const char *field)
{
	if (a != b)
		fail_msg("%s: %s %lld vs %lld", where, field, (long long)a, (long long)b);
}

static void cmp_name(const struct kt_incidents *ma, uint32_t a, const struct kt_incidents *mb,
		     uint32_t b, const char *where, const char *field)
{
	cmp(a, b, where, field);
	if (strcmp(kt_incidents_name(ma, a), kt_incidents_name(mb, b)) != 0)
		fail_msg("%s: %s '%s' vs '%s'", where, field, kt_incidents_name(ma, a),
			 kt_incidents_name(mb, b));
}

static void cmp_incident(const struct kt_incidents *ma, const struct kt_incident *a,
			 const struct kt_incidents *mb, const struct kt_incident *b,
			 const char *where)
{
	if (strcmp(a->number, b->number) != 0)
		fail_msg("%s: number %s vs %s", where, a->number, b->number);
	cmp(a->year, b->year, where, "year");
	cmp(a->seq, b->seq, where, "seq");
	cmp((int64_t)a->version, (int64_t)b->version, where, "version");
	cmp((int64_t)a->text_position, (int64_t)b->text_position, where, "text_position");
	cmp(a->retracted, b->retracted, where, "retracted");
	cmp(a->category, b->category, where, "category");
	cmp(a->area, b->area, where, "area");
	cmp_name(ma, a->unit, mb, b->unit, where, "unit");
	cmp(a->occurred, b->occurred, where, "occurred");
	cmp(a->registered, b->registered, where, "registered");
	cmp(a->type, b->type, where, "type");
	cmp(a->severity, b->severity, where, "severity");
	cmp_name(ma, a->handler, mb, b->handler, where, "handler");
	cmp(a->closed, b->closed, where, "closed");
	cmp(a->closed_at, b->closed_at, where, "closed_at");
	cmp(a->first_closed_at, b->first_closed_at, where, "first_closed_at");
	cmp(a->actions, b->actions, where, "actions");
	cmp(a->actions_open, b->actions_open, where, "actions_open");
	cmp(a->next_due, b->next_due, where, "next_due");
	for (int r = 0; r < KT_RECIPIENTS; r++)
		cmp(a->external[r], b->external[r], where, kt_recipient_key(r));
	cmp(a->not_required, b->not_required, where, "not_required");
	cmp(a->n_facts, b->n_facts, where, "n_facts");
	for (uint32_t k = 0; k < a->n_facts; k++) {
		const struct kt_incident_fact *x = &a->facts[k], *y = &b->facts[k];
		char at_[400];
		snprintf(at_, sizeof at_, "%s fact %u", where, (unsigned)k);
		if (memcmp(x->id, y->id, 16) != 0)
			fail_msg("%s: id differs", at_);
		cmp(x->at, y->at, at_, "at");
		cmp(x->kind, y->kind, at_, "kind");
		cmp(x->retracted, y->retracted, at_, "retracted");
		cmp(x->a, y->a, at_, "a");
		cmp(x->b, y->b, at_, "b");
		cmp_name(ma, x->name, mb, y->name, at_, "name");
		cmp(x->day, y->day, at_, "day");
	}
}

/* Every incident with every derived value and fact, the interned names, and
 * the index: each number found at its own item in both models. */
static void assert_models_equal(const struct kt_incidents *a, const struct kt_incidents *b,
				const char *what)
{
	if (a->n != b->n)
		fail_msg("%s: %zu incidents vs %zu", what, a->n, b->n);
	if (a->n_names != b->n_names)
		fail_msg("%s: %u names vs %u", what, (unsigned)a->n_names, (unsigned)b->n_names);
	for (uint32_t k = 0; k < a->n_names; k++)
		if (strcmp(a->names[k], b->names[k]) != 0)
			fail_msg("%s: name %u '%s' vs '%s'", what, (unsigned)k, a->names[k],
				 b->names[k]);
	for (size_t k = 0; k < a->n; k++) {
		char where[300];
		const char *number = a->items[k].number;
		snprintf(where, sizeof where, "%s: incident %zu (%s)", what, k, number);
		cmp_incident(a, &a->items[k], b, &b->items[k], where);
		if (kt_incidents_find(a, number, strlen(number)) != &a->items[k] ||
		    kt_incidents_find(b, number, strlen(number)) != &b->items[k])
			fail_msg("%s: the index does not find its own item", where);
	}
}

static void expect_empty(const struct kt_incidents *m, const char *what)
{
	if (m->n || m->items || m->cap || m->slots || m->n_slots || m->names || m->n_names ||
	    m->cap_names || m->name_slots || m->n_name_slots || m->pool)
		fail_msg("%s: the model is not empty (n %zu, names %u)", what, m->n,
			 (unsigned)m->n_names);
}

/* ---- 1. every lifecycle path -------------------------------------------- */

static void test_incidents_lifecycle_paths(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	const struct kt_incident *in;
	const struct kt_incident_fact *fact;
	uint8_t rep[16], tri[16], cl1[16], id[16];
	int done = -1;
	kt_incidents_init(&m);
	view(f, MAX, MAX, &m);
	assert_int_equal(m.n, 0);

	/* Reported: everything but the report's values is unset. */
	struct inc a = inc("H-2025-00001");
	int64_t t = at("2025-03-03T08:15:00.250000Z");
	uint64_t pos = report(f, &a, t, rep, "avvik", "Øya helsehus", "helse_omsorg", "2025-03-02");
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	assert_string_equal(in->number, "H-2025-00001");
	assert_int_equal(in->year, 2025);
	assert_int_equal(in->seq, 1);
	assert_int_equal(in->version, 1);
	assert_int_equal(in->text_position, pos);
	assert_int_equal(in->retracted, 0);
	assert_int_equal(in->category, KT_CATEGORY_AVVIK);
	assert_int_equal(in->area, area("helse_omsorg"));
	expect_name(&m, in->unit, "Øya helsehus", "unit");
	eq64(in->occurred, dayno("2025-03-02"), "occurred");
	eq64(in->registered, t, "registered");
	assert_int_equal(in->type, -1);
	assert_int_equal(in->severity, 0);
	expect_name(&m, in->handler, NULL, "handler");
	assert_string_equal(kt_incidents_name(&m, in->handler), "");
	expect_closed(in, 0, UNSET, UNSET);
	expect_actions(in, 0, 0, KT_DAY_NONE);
	expect_externals(in, UNSET, UNSET, UNSET, UNSET, UNSET);
	assert_int_equal(in->not_required, 0);
	assert_int_equal(in->n_facts, 1);
	fact = &in->facts[0];
	assert_memory_equal(fact->id, rep, 16);
	eq64(fact->at, t, "report at");
	assert_int_equal(fact->kind, KT_FACT_REPORTED);
	assert_int_equal(fact->retracted, 0);
	assert_int_equal(fact->a, KT_CATEGORY_AVVIK);
	assert_int_equal(fact->b, area("helse_omsorg"));
	expect_name(&m, fact->name, "Øya helsehus", "report unit");
	eq64(fact->day, dayno("2025-03-02"), "report day");
	assert_false(kt_incident_overdue(in, MAX - 1));
	assert_int_equal(kt_incident_notify_status(in, t + 100 * HOUR), KT_NOTIFY_NA);
	assert_ptr_equal(kt_incident_fact_by_id(in, rep), &in->facts[0]);

	/* Triaged, assigned. */
	triage(f, &a, t + HOUR, tri, "pasient_brukersikkerhet", 3);
	add(f, &a, KT_EV_INCIDENT_ASSIGNED, t + 2 * HOUR, NULL,
	    "{'handler': 'Kvalitetsrådgiver', 'note': 'Tar saken.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, KT_TYPE_PASIENT);
	assert_int_equal(in->severity, 3);
	expect_name(&m, in->handler, "Kvalitetsrådgiver", "handler");
	fact = kt_incident_fact_by_id(in, tri);
	assert_non_null(fact);
	assert_int_equal(fact->kind, KT_FACT_TRIAGED);
	assert_int_equal(fact->a, KT_TYPE_PASIENT);
	assert_int_equal(fact->b, 3);
	assert_int_equal(fact->name, KT_NAME_NONE);
	assert_int_equal(fact->day, KT_DAY_NONE);

	/* Two actions: the earliest due day of the open ones is next. */
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + 3 * HOUR, NULL,
	    "{'action': 'T1', 'text': 'Gjennomgå rutinen.', 'due': '2025-03-20',"
	    " 'responsible': 'Avdelingsleder'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + 3 * HOUR + SEC, NULL,
	    "{'action': 'T2', 'text': 'Informer personalet.', 'due': '2025-03-10'}");
	in = now_of(f, &m, &a);
	expect_actions(in, 2, 2, dayno("2025-03-10"));
	fact = kt_incident_action(&m, in, "T1", &done);
	assert_non_null(fact);
	assert_int_equal(done, 0);
	eq64(fact->day, dayno("2025-03-20"), "T1 due");
	assert_null(kt_incident_action(&m, in, "T3", &done));
	assert_null(kt_incident_action(&m, in, "t1", NULL));
	/* Overdue from the day after the due day. */
	assert_false(kt_incident_overdue(in, end_of("2025-03-10")));
	assert_true(kt_incident_overdue(in, day("2025-03-11")));

	add(f, &a, KT_EV_INCIDENT_ACTION_COMPLETED, at("2025-03-09T12:00:00Z"), NULL,
	    "{'action': 'T2', 'note': 'Informert.'}");
	in = now_of(f, &m, &a);
	expect_actions(in, 2, 1, dayno("2025-03-20"));
	assert_non_null(kt_incident_action(&m, in, "T2", &done));
	assert_int_equal(done, 1);
	assert_false(kt_incident_overdue(in, day("2025-03-11")));
	assert_false(kt_incident_overdue(in, end_of("2025-03-20")));
	assert_true(kt_incident_overdue(in, day("2025-03-21")));
	add(f, &a, KT_EV_INCIDENT_ACTION_COMPLETED, at("2025-03-19T12:00:00Z"), NULL,
	    "{'action': 'T1'}");
	in = now_of(f, &m, &a);
	expect_actions(in, 2, 0, KT_DAY_NONE);
	assert_false(kt_incident_overdue(in, day("2025-04-30")));

	/* Reported to Arbeidstilsynet. */
	external(f, &a, t + 5 * DAY, NULL, "arbeidstilsynet");
	in = now_of(f, &m, &a);
	expect_externals(in, UNSET, t + 5 * DAY, UNSET, UNSET, UNSET);
	/* Not personvern: the 72-hour rule does not apply. */
	assert_int_equal(kt_incident_notify_status(in, t + 100 * HOUR), KT_NOTIFY_NA);

	/* Closed, reopened, closed again: the first closure is remembered. */
	int64_t c1 = at("2025-03-25T10:00:00Z"), r1 = at("2025-04-02T09:00:00Z");
	int64_t c2 = at("2025-04-10T15:30:00Z");
	close_at(f, &a, c1, cl1);
	in = now_of(f, &m, &a);
	expect_closed(in, 1, c1, c1);
	reopen_at(f, &a, r1, NULL);
	in = now_of(f, &m, &a);
	expect_closed(in, 0, UNSET, c1);
	close_at(f, &a, c2, NULL);
	in = now_of(f, &m, &a);
	expect_closed(in, 1, c2, c1);
	assert_int_equal(in->version, 11);
	assert_int_equal(in->n_facts, 11);
	fact = kt_incident_fact_by_id(in, cl1);
	assert_non_null(fact);
	assert_int_equal(fact->kind, KT_FACT_CLOSED);
	eq64(fact->at, c1, "closure at");
	memset(id, 0x5a, sizeof id);
	assert_null(kt_incident_fact_by_id(in, id));
	static const enum kt_fact_kind kinds[] = {
		KT_FACT_REPORTED,	  KT_FACT_TRIAGED,	KT_FACT_ASSIGNED,
		KT_FACT_ACTION_ADDED,	  KT_FACT_ACTION_ADDED, KT_FACT_ACTION_COMPLETED,
		KT_FACT_ACTION_COMPLETED, KT_FACT_EXTERNAL,	KT_FACT_CLOSED,
		KT_FACT_REOPENED,	  KT_FACT_CLOSED,
	};
	for (uint32_t k = 0; k < in->n_facts; k++)
		assert_int_equal(in->facts[k].kind, kinds[k]);

	/* A forbedringsforslag, triaged and closed at once. */
	struct inc b = inc("H-2025-00002");
	int64_t tb = at("2025-04-01T07:00:00Z");
	report(f, &b, tb, NULL, "forbedring", "Byplankontoret", "byutvikling", "2025-04-01");
	triage(f, &b, tb + HOUR, NULL, "annet", 1);
	close_at(f, &b, tb + 2 * HOUR, NULL);
	in = now_of(f, &m, &b);
	assert_int_equal(in->category, KT_CATEGORY_FORBEDRING);
	assert_int_equal(in->area, area("byutvikling"));
	expect_name(&m, in->unit, "Byplankontoret", "unit");
	assert_int_equal(in->type, KT_TYPE_ANNET);
	assert_int_equal(in->severity, 1);
	expect_closed(in, 1, tb + 2 * HOUR, tb + 2 * HOUR);
	expect_actions(in, 0, 0, KT_DAY_NONE);

	/* The model: in the order of reporting, found by number, numbers in use. */
	assert_int_equal(m.n, 2);
	assert_ptr_equal(kt_incidents_find(&m, "H-2025-00001", 12), &m.items[0]);
	assert_ptr_equal(kt_incidents_find(&m, "H-2025-00002xyz", 12), &m.items[1]);
	assert_null(kt_incidents_find(&m, "H-2025-00003", 12));
	assert_null(kt_incidents_find(&m, "H-2025-0000", 11));
	assert_null(kt_incidents_find(&m, "", 0));
	assert_int_equal(kt_incidents_last_seq(&m, 2025), 2);
	assert_int_equal(kt_incidents_last_seq(&m, 2024), 0);
	struct inc c = inc("H-2025-00010"), d = inc("H-2024-1234567");
	report(f, &c, tb, NULL, "avvik", "Enhet uten navn i rapporten", "finans", "2025-03-31");
	report(f, &d, tb, NULL, "avvik", "Øya helsehus", "helse_omsorg", "2024-12-31");
	view(f, MAX, MAX, &m);
	assert_int_equal(m.n, 4);
	assert_int_equal(kt_incidents_last_seq(&m, 2025), 10);
	assert_int_equal(kt_incidents_last_seq(&m, 2024), 1234567);
	in = find_in(&m, &d);
	assert_int_equal(in->year, 2024);
	assert_int_equal(in->seq, 1234567);
	/* Units the organisation table does not know are kept as given; one
	 * name is interned once. */
	expect_name(&m, find_in(&m, &c)->unit, "Enhet uten navn i rapporten", "unit");
	assert_int_equal(find_in(&m, &d)->unit, m.items[0].unit);
	assert_string_equal(kt_incidents_name(&m, KT_NAME_NONE), "");
	assert_string_equal(kt_incidents_name(&m, m.n_names), "");
	kt_incidents_free(&m);
	expect_empty(&m, "freed");
	kt_incidents_free(&m); /* twice is fine */
}

/* ---- 2. derived values after corrections and retractions --------------- */

static void test_incidents_revisions_rederive(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	const struct kt_incident *in;
	uint8_t rep[16], tri1[16], tri2[16], asg1[16], asg2[16];
	uint8_t a1[16], a2[16], a3[16], c2[16], ext_late[16], ext_early[16], nr[16];
	uint8_t cl[16], cl2[16], ro[16], cl3[16];
	kt_incidents_init(&m);
	struct inc a = inc("H-2025-00100");
	int64_t t = at("2025-05-05T10:00:00Z");
	uint64_t pos = report(f, &a, t, rep, "avvik", "Øya helsehus", "helse_omsorg", "2025-05-04");

	/* Triage: the latest live one in log order counts. */
	triage(f, &a, t + HOUR, tri1, "hms", 2);
	triage(f, &a, t + 2 * HOUR, tri2, "personvern", 4);
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, KT_TYPE_PERSONVERN);
	assert_int_equal(in->severity, 4);
	correct(f, &a, tri1, KT_EV_INCIDENT_TRIAGED, "{'type': 'vold_trusler', 'severity': 3}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, KT_TYPE_PERSONVERN);
	assert_int_equal(in->severity, 4);
	assert_int_equal(kt_incident_fact_by_id(in, tri1)->a, KT_TYPE_VOLD);
	retract(f, &a, tri2, KT_EV_INCIDENT_TRIAGED);
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, KT_TYPE_VOLD);
	assert_int_equal(in->severity, 3);
	assert_null(kt_incident_fact_by_id(in, tri2));
	assert_int_equal(in->facts[2].retracted, 1);
	/* A retracted fact is never corrected back to life. */
	correct(f, &a, tri2, KT_EV_INCIDENT_TRIAGED, "{'type': 'miljo', 'severity': 1}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, KT_TYPE_VOLD);
	assert_int_equal(in->facts[2].a, KT_TYPE_PERSONVERN);
	retract(f, &a, tri1, KT_EV_INCIDENT_TRIAGED);
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, -1);
	assert_int_equal(in->severity, 0);
	triage(f, &a, t + 3 * HOUR, NULL, "miljo", 1);
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, KT_TYPE_MILJO);
	assert_int_equal(in->severity, 1);

	/* Handler: the latest live assignment. */
	add(f, &a, KT_EV_INCIDENT_ASSIGNED, t + 4 * HOUR, asg1, "{'handler': 'Anne'}");
	add(f, &a, KT_EV_INCIDENT_ASSIGNED, t + 5 * HOUR, asg2, "{'handler': 'Bjørn'}");
	in = now_of(f, &m, &a);
	expect_name(&m, in->handler, "Bjørn", "handler");
	retract(f, &a, asg2, KT_EV_INCIDENT_ASSIGNED);
	in = now_of(f, &m, &a);
	expect_name(&m, in->handler, "Anne", "handler");
	correct(f, &a, asg1, KT_EV_INCIDENT_ASSIGNED, "{'handler': 'Cecilie'}");
	in = now_of(f, &m, &a);
	expect_name(&m, in->handler, "Cecilie", "handler");
	retract(f, &a, asg1, KT_EV_INCIDENT_ASSIGNED);
	in = now_of(f, &m, &a);
	expect_name(&m, in->handler, NULL, "handler");

	/* The report corrected: unit, area, category and occurred change, the
	 * correction holds the current description, registration stays. */
	assert_int_equal(in->text_position, pos);
	uint64_t fix1 = correct(f, &a, rep, KT_EV_INCIDENT_REPORTED,
				"{'number': 'H-2025-00100', 'category': 'forbedring',"
				" 'unit': 'NAV Falkenberg', 'area': 'sosiale_tjenester',"
				" 'occurred': '2025-05-01', 'text': 'Riktig beskrivelse.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->category, KT_CATEGORY_FORBEDRING);
	assert_int_equal(in->area, area("sosiale_tjenester"));
	expect_name(&m, in->unit, "NAV Falkenberg", "unit");
	eq64(in->occurred, dayno("2025-05-01"), "occurred");
	eq64(in->registered, t, "registered");
	assert_int_equal(in->text_position, fix1);
	uint64_t fix2 = correct(f, &a, rep, KT_EV_INCIDENT_REPORTED,
				"{'number': 'H-2025-00100', 'category': 'avvik',"
				" 'unit': 'Øya helsehus', 'area': 'helse_omsorg',"
				" 'occurred': '2025-05-02', 'text': 'Enda riktigere.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->category, KT_CATEGORY_AVVIK);
	assert_int_equal(in->area, area("helse_omsorg"));
	expect_name(&m, in->unit, "Øya helsehus", "unit");
	eq64(in->occurred, dayno("2025-05-02"), "occurred");
	assert_int_equal(in->text_position, fix2);
	/* Correcting another fact leaves the description where it is. */
	assert_true(fix2 > fix1);

	/* Actions: retracting, correcting and completing each move them. */
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + 6 * HOUR, a1,
	    "{'action': 'T1', 'text': 'A.', 'due': '2025-06-01'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + 6 * HOUR, a2,
	    "{'action': 'T2', 'text': 'B.', 'due': '2025-05-20'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + 6 * HOUR, a3,
	    "{'action': 'T3', 'text': 'C.', 'due': '2025-05-25'}");
	in = now_of(f, &m, &a);
	expect_actions(in, 3, 3, dayno("2025-05-20"));
	add(f, &a, KT_EV_INCIDENT_ACTION_COMPLETED, t + 7 * HOUR, c2, "{'action': 'T2'}");
	in = now_of(f, &m, &a);
	expect_actions(in, 3, 2, dayno("2025-05-25"));
	retract(f, &a, a3, KT_EV_INCIDENT_ACTION_ADDED);
	in = now_of(f, &m, &a);
	expect_actions(in, 2, 1, dayno("2025-06-01"));
	assert_null(kt_incident_action(&m, in, "T3", NULL));
	retract(f, &a, c2, KT_EV_INCIDENT_ACTION_COMPLETED);
	in = now_of(f, &m, &a);
	expect_actions(in, 2, 2, dayno("2025-05-20"));
	int done = -1;
	assert_non_null(kt_incident_action(&m, in, "T2", &done));
	assert_int_equal(done, 0);
	correct(f, &a, a2, KT_EV_INCIDENT_ACTION_ADDED,
		"{'action': 'T2', 'text': 'B.', 'due': '2025-05-30'}");
	in = now_of(f, &m, &a);
	expect_actions(in, 2, 2, dayno("2025-05-30"));
	correct(f, &a, a1, KT_EV_INCIDENT_ACTION_ADDED,
		"{'action': 'T1', 'text': 'A.', 'due': '2025-05-10', 'responsible': 'X'}");
	in = now_of(f, &m, &a);
	expect_actions(in, 2, 2, dayno("2025-05-10"));
	/* The day boundary: overdue from the first µs of the day after. */
	assert_false(kt_incident_overdue(in, day("2025-05-10")));
	assert_false(kt_incident_overdue(in, end_of("2025-05-10")));
	assert_true(kt_incident_overdue(in, end_of("2025-05-10") + 1));

	/* The first report to each body, whatever order they were logged in. */
	external(f, &a, t + 10 * DAY, ext_late, "datatilsynet");
	external(f, &a, t + DAY, ext_early, "datatilsynet");
	in = now_of(f, &m, &a);
	expect_externals(in, t + DAY, UNSET, UNSET, UNSET, UNSET);
	retract(f, &a, ext_early, KT_EV_INCIDENT_REPORTED_EXTERNAL);
	in = now_of(f, &m, &a);
	expect_externals(in, t + 10 * DAY, UNSET, UNSET, UNSET, UNSET);
	correct(f, &a, ext_late, KT_EV_INCIDENT_REPORTED_EXTERNAL,
		"{'recipient': 'arbeidstilsynet', 'reference': 'A-1'}");
	in = now_of(f, &m, &a);
	expect_externals(in, UNSET, t + 10 * DAY, UNSET, UNSET, UNSET);

	/* Judged not required, per body. */
	not_required(f, &a, t + 2 * DAY, nr, "datatilsynet");
	in = now_of(f, &m, &a);
	assert_int_equal(in->not_required, 1u << KT_RECIPIENT_DATATILSYNET);
	add(f, &a, KT_EV_INCIDENT_EXTERNAL_NOT_REQ, t + 2 * DAY, NULL,
	    "{'recipient': 'other', 'recipient_text': 'Politiet', 'reason': 'Ikke straffbart.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->not_required,
			 (1u << KT_RECIPIENT_DATATILSYNET) | (1u << KT_RECIPIENT_OTHER));
	retract(f, &a, nr, KT_EV_INCIDENT_EXTERNAL_NOT_REQ);
	in = now_of(f, &m, &a);
	assert_int_equal(in->not_required, 1u << KT_RECIPIENT_OTHER);

	/* Closures: retracting one brings back the state before it. */
	close_at(f, &a, t + 20 * DAY, cl);
	in = now_of(f, &m, &a);
	expect_closed(in, 1, t + 20 * DAY, t + 20 * DAY);
	assert_false(kt_incident_overdue(in, day("2025-12-01")));
	retract(f, &a, cl, KT_EV_INCIDENT_CLOSED);
	in = now_of(f, &m, &a);
	expect_closed(in, 0, UNSET, UNSET);
	assert_true(kt_incident_overdue(in, day("2025-12-01")));
	close_at(f, &a, t + 21 * DAY, cl2);
	reopen_at(f, &a, t + 22 * DAY, ro);
	close_at(f, &a, t + 23 * DAY, cl3);
	in = now_of(f, &m, &a);
	expect_closed(in, 1, t + 23 * DAY, t + 21 * DAY);
	retract(f, &a, ro, KT_EV_INCIDENT_REOPENED);
	in = now_of(f, &m, &a);
	expect_closed(in, 1, t + 23 * DAY, t + 21 * DAY);
	retract(f, &a, cl3, KT_EV_INCIDENT_CLOSED);
	in = now_of(f, &m, &a);
	expect_closed(in, 1, t + 21 * DAY, t + 21 * DAY);
	/* A corrected closure keeps its time (the target's). */
	correct(f, &a, cl2, KT_EV_INCIDENT_CLOSED, "{'conclusion': 'Bedre konklusjon.'}");
	in = now_of(f, &m, &a);
	expect_closed(in, 1, t + 21 * DAY, t + 21 * DAY);

	/* The report retracted: the incident is withdrawn, nothing else moves,
	 * and later events are still folded. */
	retract(f, &a, rep, KT_EV_INCIDENT_REPORTED);
	triage(f, &a, t + 30 * DAY, NULL, "personvern", 2);
	reopen_at(f, &a, t + 30 * DAY, NULL);
	in = now_of(f, &m, &a);
	assert_int_equal(in->retracted, 1);
	assert_int_equal(in->facts[0].retracted, 1);
	assert_int_equal(in->type, KT_TYPE_PERSONVERN);
	assert_int_equal(in->area, area("helse_omsorg"));
	expect_closed(in, 0, UNSET, t + 21 * DAY);
	assert_int_equal(kt_incident_notify_status(in, t + 1000 * HOUR), KT_NOTIFY_NA);
	assert_false(kt_incident_overdue(in, day("2025-12-01")));
	assert_int_equal(in->text_position, fix2);
	/* Correcting a retracted report changes nothing. */
	correct(f, &a, rep, KT_EV_INCIDENT_REPORTED,
		"{'number': 'H-2025-00100', 'category': 'forbedring', 'unit': 'Byplankontoret',"
		" 'area': 'byutvikling', 'occurred': '2025-05-03', 'text': 'For sent.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->area, area("helse_omsorg"));
	assert_int_equal(in->text_position, fix2);
	assert_int_equal(kt_incidents_last_seq(&m, 2025), 100);
	kt_incidents_free(&m);
}

/* ---- 3. what the model skips --------------------------------------------- */

static void test_incidents_skips_what_is_not_its_own(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	const struct kt_incident *in;
	uint8_t other_tri[16], rep[16];
	kt_incidents_init(&m);
	static const char report_json[] =
	    "{'number': 'H-2025-00007', 'category': 'avvik', 'unit': 'Øya helsehus',"
	    " 'area': 'helse_omsorg', 'occurred': '2025-02-01', 'text': 'Fall.'}";
	int64_t t = at("2025-02-02T12:00:00Z");

	/* Incident payloads in streams that are not incidents'. */
	static const char *const streams[] = {
		"inspection-H-2025-00007",
		"incidents-H-2025-00007",
		"Incident-H-2025-00007",
		"incident-",
		"incident",
		"incident-H-2025-0007",
		"incident-H-2025-000007",
		"incident-h-2025-00007",
		"incident-H-1899-00007",
		"incident-H-2025-00007 ",
		"incident-2025-00007",
		"H-2025-00007",
	};
	for (size_t k = 0; k < sizeof streams / sizeof streams[0]; k++) {
		append_raw(f, streams[k], 0, KT_EV_INCIDENT_REPORTED, KT_EV_INCIDENT_REPORTED, t,
			   report_json, NULL);
		append_raw(f, streams[k], 1, KT_EV_INCIDENT_TRIAGED, KT_EV_INCIDENT_TRIAGED, t,
			   "{'type': 'hms', 'severity': 1}", k == 0 ? other_tri : NULL);
	}
	view(f, MAX, MAX, &m);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.n_names, 0);

	/* Events before the report are skipped; the rest is folded. */
	struct inc a = inc("H-2025-00007");
	triage(f, &a, t, NULL, "hms", 4);
	add(f, &a, KT_EV_INCIDENT_ASSIGNED, t, NULL, "{'handler': 'Tidlig'}");
	add(f, &a, KT_EV_INCIDENT_CLOSED, t, NULL, "{'conclusion': 'Tidlig.'}");
	view(f, MAX, MAX, &m);
	assert_int_equal(m.n, 0);
	report(f, &a, t, rep, "avvik", "Øya helsehus", "helse_omsorg", "2025-02-01");
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	assert_int_equal(in->n_facts, 1);
	assert_int_equal(in->type, -1);
	expect_name(&m, in->handler, NULL, "handler");
	expect_closed(in, 0, UNSET, UNSET);
	assert_int_equal(in->version, 4);
	assert_int_equal(m.n_names, 1);

	/* Unknown types, even with a catalogue payload, and types of the
	 * inspection catalogue, are skipped. */
	append_raw(f, a.stream, a.version++, "incident.deleted", KT_EV_INCIDENT_CLOSED, t,
		   "{'conclusion': 'Borte.'}", NULL);
	append_raw(f, a.stream, a.version++, "Incident.closed", KT_EV_INCIDENT_CLOSED, t,
		   "{'conclusion': 'Borte.'}", NULL);
	append_raw(f, a.stream, a.version++, "incident.closed.", KT_EV_INCIDENT_CLOSED, t,
		   "{'conclusion': 'Borte.'}", NULL);
	append_raw(f, a.stream, a.version++, "incident.triage", KT_EV_INCIDENT_TRIAGED, t,
		   "{'type': 'hms', 'severity': 1}", NULL);
	add(f, &a, KT_EV_INSPECTION_CLOSED, t, NULL, "{'date': '2025-02-02'}");
	add(f, &a, KT_EV_FINDING_RECORDED, t, NULL,
	    "{'date': '2025-02-02', 'finding': 'F1', 'kind': 'avvik', 'text': 'Funn.'}");
	/* A payload without what the fold needs (an assignment's payload under
	 * the triage type) is skipped. */
	append_raw(f, a.stream, a.version++, KT_EV_INCIDENT_TRIAGED, KT_EV_INCIDENT_ASSIGNED, t,
		   "{'handler': 'Feil type'}", NULL);
	append_raw(f, a.stream, a.version++, KT_EV_INCIDENT_ACTION_ADDED,
		   KT_EV_INCIDENT_ACTION_COMPLETED, t, "{'action': 'T1'}", NULL);
	append_raw(f, a.stream, a.version++, KT_EV_INCIDENT_REPORTED_EXTERNAL,
		   KT_EV_INCIDENT_CLOSED, t, "{'conclusion': 'Ingen mottaker.'}", NULL);
	/* A second report in the same stream states nothing new. */
	report(f, &a, t + DAY, NULL, "forbedring", "Byplankontoret", "byutvikling", "2025-02-03");
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	assert_int_equal(in->n_facts, 1);
	assert_int_equal(in->category, KT_CATEGORY_AVVIK);
	expect_name(&m, in->unit, "Øya helsehus", "unit");
	eq64(in->registered, t, "registered");
	assert_int_equal(in->type, -1);
	expect_actions(in, 0, 0, KT_DAY_NONE);
	expect_externals(in, UNSET, UNSET, UNSET, UNSET, UNSET);
	expect_closed(in, 0, UNSET, UNSET);
	assert_int_equal(in->version, 14);

	/* Revisions of events this incident does not have: another stream's,
	 * an id in no stream, a revision, a malformed target. */
	uint8_t nowhere[16];
	char t1[KT_ID_TEXT_LEN + 1], t2[KT_ID_TEXT_LEN + 1];
	memset(nowhere, 0x11, sizeof nowhere);
	retract(f, &a, other_tri, KT_EV_INCIDENT_TRIAGED);
	correct(f, &a, other_tri, KT_EV_INCIDENT_TRIAGED, "{'type': 'annet', 'severity': 2}");
	correct(f, &a, nowhere, KT_EV_INCIDENT_TRIAGED, "{'type': 'annet', 'severity': 2}");
	kt_id_format(other_tri, t1);
	(void)t2;
	/* A correction whose data does not fit its target's kind. */
	correct(f, &a, rep, KT_EV_INCIDENT_CLOSED, "{'conclusion': 'Ikke en melding.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->type, -1);
	assert_int_equal(in->n_facts, 1);
	assert_int_equal(in->retracted, 0);
	assert_int_equal(in->category, KT_CATEGORY_AVVIK);
	expect_name(&m, in->unit, "Øya helsehus", "unit");
	assert_int_equal(in->version, 18);

	/* Noise after it changes nothing of it. */
	append_raw(f, "incident-H-2025-0007", 2, KT_EV_INCIDENT_CLOSED, KT_EV_INCIDENT_CLOSED, t,
		   "{'conclusion': 'Borte.'}", NULL);
	append_raw(f, "inspection-T-2025-001", 0, KT_EV_INCIDENT_CLOSED, KT_EV_INCIDENT_CLOSED, t,
		   "{'conclusion': 'Borte.'}", NULL);
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	expect_closed(in, 0, UNSET, UNSET);
	assert_int_equal(in->version, 18);
	kt_incidents_free(&m);
}

/* ---- 4. the 72-hour rule -------------------------------------------------- */

static void test_incidents_notify_72_hours(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	const struct kt_incident *in;
	uint8_t id[16];
	kt_incidents_init(&m);
	const int64_t t = at("2025-06-02T13:45:10.123456Z");
	const int64_t limit = t + KT_NOTIFY_US;
	eq64(KT_NOTIFY_US, 72 * HOUR, "KT_NOTIFY_US");

	struct inc i[12];
	for (int k = 0; k < 12; k++) {
		char number[KT_INCIDENT_NUMBER_SIZE];
		kt_incident_number_format(2025, (uint32_t)(k + 1), number);
		i[k] = inc(number);
		report(f, &i[k], t, NULL, "avvik", "Trondheim Digital", "finans", "2025-06-01");
		if (k != 5)
			triage(f, &i[k], t + SEC, NULL, k == 4 ? "hms" : "personvern", 2);
	}
	external(f, &i[0], limit, NULL, "datatilsynet");     /* 72:00:00 exactly */
	external(f, &i[1], limit + 1, NULL, "datatilsynet"); /* one µs more */
	/* i[2]: nothing at all. */
	not_required(f, &i[3], t + HOUR, NULL, "datatilsynet");
	/* i[4]: hms; i[5]: not triaged. */
	external(f, &i[6], t + HOUR, NULL, "arbeidstilsynet");
	not_required(f, &i[6], t + HOUR, NULL, "arbeidstilsynet");
	not_required(f, &i[7], t + HOUR, NULL, "datatilsynet");
	external(f, &i[7], limit + HOUR, NULL, "datatilsynet");
	external(f, &i[8], t + HOUR, NULL, "datatilsynet");
	triage(f, &i[8], t + 2 * HOUR, id, "hms", 1);
	external(f, &i[9], t + HOUR, NULL, "datatilsynet");
	retract(f, &i[9], (view(f, MAX, MAX, &m), find_in(&m, &i[9])->facts[0].id),
		KT_EV_INCIDENT_REPORTED);
	uint8_t ext[16];
	external(f, &i[10], t + HOUR, ext, "datatilsynet");
	retract(f, &i[10], ext, KT_EV_INCIDENT_REPORTED_EXTERNAL);
	external(f, &i[11], t - HOUR, NULL, "datatilsynet"); /* before registration */
	view(f, MAX, MAX, &m);

	const struct {
		int k;
		int64_t moment;
		enum kt_notify_status want;
	} cases[] = {
		{ 0, MAX - 1, KT_NOTIFY_IN_TIME },
		{ 0, t, KT_NOTIFY_IN_TIME },
		{ 1, MAX - 1, KT_NOTIFY_LATE },
		{ 2, t - 1, KT_NOTIFY_PENDING },
		{ 2, t, KT_NOTIFY_PENDING },
		{ 2, 0, KT_NOTIFY_PENDING },
		{ 3, MAX - 1, KT_NOTIFY_NOT_REQUIRED },
		{ 3, t, KT_NOTIFY_NOT_REQUIRED },
		{ 4, MAX - 1, KT_NOTIFY_NA },
		{ 5, MAX - 1, KT_NOTIFY_NA },
		{ 6, MAX - 1, KT_NOTIFY_OVERDUE },
		{ 7, MAX - 1, KT_NOTIFY_LATE },
		{ 8, MAX - 1, KT_NOTIFY_NA },
		{ 9, MAX - 1, KT_NOTIFY_NA },
		{ 10, MAX - 1, KT_NOTIFY_OVERDUE },
		{ 11, MAX - 1, KT_NOTIFY_IN_TIME },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		in = find_in(&m, &i[cases[c].k]);
		enum kt_notify_status got = kt_incident_notify_status(in, cases[c].moment);
		if (got != cases[c].want)
			fail_msg("case %zu (%s): %s, want %s", c, in->number,
				 kt_notify_status_name(got), kt_notify_status_name(cases[c].want));
	}
	/* Undecided: pending up to and at 72:00:00, overdue one µs later. */
	in = find_in(&m, &i[2]);
	assert_int_equal(kt_incident_notify_status(in, limit - 1), KT_NOTIFY_PENDING);
	assert_int_equal(kt_incident_notify_status(in, limit), KT_NOTIFY_PENDING);
	assert_int_equal(kt_incident_notify_status(in, limit + 1), KT_NOTIFY_OVERDUE);
	in = find_in(&m, &i[10]);
	assert_int_equal(kt_incident_notify_status(in, limit), KT_NOTIFY_PENDING);
	assert_int_equal(kt_incident_notify_status(in, limit + 1), KT_NOTIFY_OVERDUE);

	/* Retracting the re-triage brings the rule back. */
	retract(f, &i[8], id, KT_EV_INCIDENT_TRIAGED);
	view(f, MAX, MAX, &m);
	assert_int_equal(kt_incident_notify_status(find_in(&m, &i[8]), MAX - 1), KT_NOTIFY_IN_TIME);

	/* As of the moments around the limit, the fold agrees. */
	in = as_of(f, &m, limit, &i[1]);
	assert_int_equal(kt_incident_notify_status(in, limit), KT_NOTIFY_PENDING);
	in = as_of(f, &m, limit + 1, &i[1]);
	assert_int_equal(kt_incident_notify_status(in, limit + 1), KT_NOTIFY_LATE);
	in = as_of(f, &m, limit, &i[0]);
	assert_int_equal(kt_incident_notify_status(in, limit), KT_NOTIFY_IN_TIME);

	assert_string_equal(kt_notify_status_name(KT_NOTIFY_NA), "-");
	assert_string_equal(kt_notify_status_name(KT_NOTIFY_IN_TIME), "in time");
	assert_string_equal(kt_notify_status_name(KT_NOTIFY_LATE), "late");
	assert_string_equal(kt_notify_status_name(KT_NOTIFY_NOT_REQUIRED), "not required");
	assert_string_equal(kt_notify_status_name(KT_NOTIFY_PENDING), "pending");
	assert_string_equal(kt_notify_status_name(KT_NOTIFY_OVERDUE), "overdue");
	assert_string_equal(kt_notify_status_name((enum kt_notify_status)99), "?");
	kt_incidents_free(&m);
}

/* ---- 5. as-of and known-at ------------------------------------------------ */

static void test_incidents_as_of_and_known_at(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	const struct kt_incident *in;
	uint8_t tri[16];
	kt_incidents_init(&m);
	struct inc a = inc("H-2025-00200");
	const int64_t reg = at("2025-03-01T09:00:00Z");
	report(f, &a, reg, NULL, "avvik", "Søbstad helsehus", "helse_omsorg", "2025-02-28");
	triage(f, &a, at("2025-03-02T09:00:00Z"), tri, "personvern", 3);
	add(f, &a, KT_EV_INCIDENT_ASSIGNED, at("2025-03-05T08:00:00Z"), NULL,
	    "{'handler': 'Personvernombud'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, at("2025-03-05T08:30:00Z"), NULL,
	    "{'action': 'T1', 'text': 'Slett feilsendt e-post.', 'due': '2025-04-01'}");
	external(f, &a, at("2025-03-06T09:00:00Z"), NULL, "datatilsynet");
	close_at(f, &a, at("2025-06-01T12:00:00Z"), NULL);
	reopen_at(f, &a, at("2025-07-01T12:00:00Z"), NULL);

	/* Before the registration it does not exist. */
	view(f, MAX, end_of("2025-02-28"), &m);
	assert_int_equal(m.n, 0);
	view(f, MAX, reg - 1, &m);
	assert_int_equal(m.n, 0);
	in = as_of(f, &m, reg, &a);
	assert_int_equal(in->type, -1);
	assert_int_equal(in->version, 1);
	in = as_of(f, &m, end_of("2025-03-01"), &a);
	assert_int_equal(in->type, -1);
	assert_int_equal(kt_incident_notify_status(in, end_of("2025-03-01")), KT_NOTIFY_NA);
	in = as_of(f, &m, end_of("2025-03-03"), &a);
	assert_int_equal(in->type, KT_TYPE_PERSONVERN);
	assert_int_equal(kt_incident_notify_status(in, end_of("2025-03-03")), KT_NOTIFY_PENDING);
	in = as_of(f, &m, end_of("2025-03-05"), &a);
	assert_int_equal(kt_incident_notify_status(in, end_of("2025-03-05")), KT_NOTIFY_OVERDUE);
	expect_name(&m, in->handler, "Personvernombud", "handler");
	expect_actions(in, 1, 1, dayno("2025-04-01"));
	in = as_of(f, &m, end_of("2025-03-06"), &a);
	assert_int_equal(kt_incident_notify_status(in, end_of("2025-03-06")), KT_NOTIFY_LATE);
	/* Closed after the as-of: open at it, and overdue. */
	in = as_of(f, &m, end_of("2025-05-31"), &a);
	expect_closed(in, 0, UNSET, UNSET);
	assert_true(kt_incident_overdue(in, end_of("2025-05-31")));
	in = as_of(f, &m, at("2025-06-01T12:00:00Z"), &a);
	expect_closed(in, 1, at("2025-06-01T12:00:00Z"), at("2025-06-01T12:00:00Z"));
	assert_false(kt_incident_overdue(in, end_of("2025-06-01")));
	in = as_of(f, &m, end_of("2025-06-30"), &a);
	expect_closed(in, 1, at("2025-06-01T12:00:00Z"), at("2025-06-01T12:00:00Z"));
	in = now_of(f, &m, &a);
	expect_closed(in, 0, UNSET, at("2025-06-01T12:00:00Z"));

	/* Recorded later, effective earlier: a correction of the triage and a
	 * backdated completion. known_at before them shows the old state. */
	int64_t before = f->now;
	correct(f, &a, tri, KT_EV_INCIDENT_TRIAGED,
		"{'type': 'informasjonssikkerhet', 'severity': 2}");
	add(f, &a, KT_EV_INCIDENT_ACTION_COMPLETED, at("2025-03-20T10:00:00Z"), NULL,
	    "{'action': 'T1'}");
	view(f, before, end_of("2025-03-31"), &m);
	in = find_in(&m, &a);
	assert_int_equal(in->type, KT_TYPE_PERSONVERN);
	expect_actions(in, 1, 1, dayno("2025-04-01"));
	view(f, MAX, end_of("2025-03-31"), &m);
	in = find_in(&m, &a);
	assert_int_equal(in->type, KT_TYPE_INFOSIKKERHET);
	assert_int_equal(kt_incident_notify_status(in, end_of("2025-03-31")), KT_NOTIFY_NA);
	expect_actions(in, 1, 0, KT_DAY_NONE);
	/* As of a moment before the completion's effective time it is open. */
	in = as_of(f, &m, end_of("2025-03-19"), &a);
	expect_actions(in, 1, 1, dayno("2025-04-01"));
	assert_int_equal(in->type, KT_TYPE_INFOSIKKERHET);
	kt_incidents_free(&m);
}

/* ---- 6. statistics -------------------------------------------------------- */

/* One incident of the statistics fixture: reported, triaged (type NULL: not),
 * closed (close_after 0: not). Returns its stream. */
static struct inc stat_incident(struct fx *f, const char *number, int64_t reg, const char *category,
				const char *unit, const char *area_key, const char *type,
				int64_t close_after, uint8_t rep[16])
{
	struct inc in = inc(number);
	char occurred[KT_TIME_TEXT_MAX];
	kt_time_format_date(reg, occurred);
	report(f, &in, reg, rep, category, unit, area_key, occurred);
	if (type)
		triage(f, &in, reg + 1, NULL, type, 2);
	if (close_after)
		close_at(f, &in, reg + close_after, NULL);
	return in;
}

/* The fixture counted by hand in test_incidents_statistics. */
static void stats_story(struct fx *f)
{
	uint8_t rep[16];
	struct inc x;
	/* Before the period before, still open. */
	stat_incident(f, "H-2023-00001", at("2023-05-05T10:00:00Z"), "avvik", "HR-enheten",
		      "finans", NULL, 0, NULL);
	/* 2024. */
	stat_incident(f, "H-2024-00001", at("2024-03-01T10:00:00Z"), "avvik", "Øya helsehus",
		      "helse_omsorg", "hms", 9 * DAY, NULL);
	stat_incident(f, "H-2024-00002", end_of("2024-12-31"), "avvik", "Ringen barnehage",
		      "oppvekst_utdanning", NULL, 0, NULL);
	x = stat_incident(f, "H-2024-00003", at("2024-06-01T10:00:00Z"), "forbedring",
			  "Øya helsehus", "helse_omsorg", "annet", 0, NULL);
	external(f, &x, at("2025-01-20T10:00:00Z"), NULL, "arbeidstilsynet");
	close_at(f, &x, at("2025-02-01T10:00:00Z"), NULL);
	x = stat_incident(f, "H-2024-00004", at("2024-07-01T10:00:00Z"), "avvik", "Øya helsehus",
			  "helse_omsorg", "hms", 0, rep);
	retract(f, &x, rep, KT_EV_INCIDENT_REPORTED);

	/* 2025: N1–N10 closed after 0.5, 2, 3, 5, 8, 13, 21, 34, 55, 89 days. */
	stat_incident(f, "H-2025-00001", day("2025-01-01"), "avvik", "Øya helsehus", "helse_omsorg",
		      "hms", 12 * HOUR, NULL);
	stat_incident(f, "H-2025-00002", at("2025-01-15T10:00:00Z"), "avvik",
		      "Klæbu helse- og velferdssenter", "helse_omsorg", "pasient_brukersikkerhet",
		      2 * DAY, NULL);
	int64_t r3 = at("2025-02-01T09:00:00Z");
	x = stat_incident(f, "H-2025-00003", r3, "avvik", "Øya helsehus", "helse_omsorg",
			  "personvern", 0, NULL);
	external(f, &x, r3 + 10 * HOUR, NULL, "datatilsynet");
	close_at(f, &x, r3 + 3 * DAY, NULL);
	int64_t r4 = at("2025-03-01T10:00:00Z");
	x = stat_incident(f, "H-2025-00004", r4, "avvik", "Ringen barnehage", "oppvekst_utdanning",
			  "vold_trusler", 0, NULL);
	external(f, &x, r4 + DAY, NULL, "arbeidstilsynet");
	close_at(f, &x, r4 + 5 * DAY, NULL);
	stat_incident(f, "H-2025-00005", at("2025-04-01T10:00:00Z"), "forbedring", "Byplankontoret",
		      "byutvikling", "annet", 8 * DAY, NULL);
	int64_t r6 = at("2025-05-01T10:00:00Z");
	x = stat_incident(f, "H-2025-00006", r6, "avvik", "Øya helsehus", "helse_omsorg",
			  "personvern", DAY, NULL);
	external(f, &x, r6 + 80 * HOUR, NULL, "datatilsynet");
	reopen_at(f, &x, r6 + 2 * DAY, NULL);
	close_at(f, &x, r6 + 13 * DAY, NULL);
	int64_t r7 = at("2025-06-01T10:00:00Z");
	x = stat_incident(f, "H-2025-00007", r7, "avvik", "NAV Falkenberg", "sosiale_tjenester",
			  "personvern", 0, NULL);
	not_required(f, &x, r7 + DAY, NULL, "datatilsynet");
	close_at(f, &x, r7 + 21 * DAY, NULL);
	int64_t r8 = at("2025-07-01T10:00:00Z");
	x = stat_incident(f, "H-2025-00008", r8, "avvik", "HR-enheten", "finans",
			  "informasjonssikkerhet", 0, NULL);
	external(f, &x, r8 + DAY, NULL, "statsforvalteren");
	close_at(f, &x, r8 + 34 * DAY, NULL);
	stat_incident(f, "H-2025-00009", at("2025-08-01T10:00:00Z"), "forbedring", "Øya helsehus",
		      "helse_omsorg", NULL, 55 * DAY, NULL);
	stat_incident(f, "H-2025-00010", at("2025-09-01T10:00:00Z"), "avvik",
		      "Klæbu helse- og velferdssenter", "helse_omsorg", "hms", 89 * DAY, NULL);
	/* Open at the end of the period. */
	stat_incident(f, "H-2025-00011", at("2025-10-01T10:00:00Z"), "avvik", "Øya helsehus",
		      "helse_omsorg", "personvern", 0, NULL);
	x = stat_incident(f, "H-2025-00012", at("2025-12-31T23:00:00Z"), "avvik",
			  "Folkebiblioteket", "kultur_idrett_friluftsliv", NULL, 0, NULL);
	triage(f, &x, at("2025-12-31T23:30:00Z"), NULL, "personvern", 3);
	stat_incident(f, "H-2025-00013", at("2025-11-01T10:00:00Z"), "avvik", "Arbeidsgiveriet",
		      "byradsleder", "hms", at("2026-01-05T10:00:00Z") - at("2025-11-01T10:00:00Z"),
		      NULL);
	/* Retracted, and after the period. */
	x = stat_incident(f, "H-2025-00014", at("2025-11-15T10:00:00Z"), "avvik", "Øya helsehus",
			  "helse_omsorg", "personvern", 0, rep);
	external(f, &x, at("2025-11-15T11:00:00Z"), NULL, "datatilsynet");
	retract(f, &x, rep, KT_EV_INCIDENT_REPORTED);
	stat_incident(f, "H-2026-00001", at("2026-01-02T10:00:00Z"), "avvik", "Øya helsehus",
		      "helse_omsorg", "hms", 0, NULL);
}

static uint64_t unit_count(const struct kt_incidents *m, const struct kt_incident_counts *c,
			   const char *unit)
{
	uint32_t k = name_index(m, unit);
	if (k == KT_NAME_NONE)
		fail_msg("unit '%s' is not interned", unit);
	return c->unit[k];
}

static void expect_near(double got, double want, const char *what)
{
	if (!(fabs(got - want) < 1e-9))
		fail_msg("%s: %.12g, want %.12g", what, got, want);
}

static void test_incidents_statistics(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	struct kt_incident_stats st;
	kt_incidents_init(&m);
	stats_story(f);
	const int64_t from = day("2025-01-01"), to = end_of("2025-12-31");
	int64_t pf, pt;
	kt_incident_period_before(from, to, &pf, &pt);
	eq64(pf, day("2024-01-01"), "prev_from");
	eq64(pt, end_of("2024-12-31"), "prev_to");
	view(f, MAX, to, &m);
	assert_int_equal(m.n, 19); /* all but H-2026-00001 */
	assert_int_equal(kt_incident_stats(&m, from, to, pf, pt, &st), KT_OK);
	eq64(st.from, from, "from");
	eq64(st.to, to, "to");
	eq64(st.prev_from, pf, "prev_from");
	eq64(st.prev_to, pt, "prev_to");
	assert_int_equal(st.n_units, m.n_names);

	/* Registered in 2025 and not retracted: N1–N13. */
	assert_int_equal(st.now.total, 13);
	assert_int_equal(st.now.category[KT_CATEGORY_AVVIK], 11);
	assert_int_equal(st.now.category[KT_CATEGORY_FORBEDRING], 2);
	static const struct {
		const char *key;
		uint64_t now, before, open;
	} areas[] = {
		{ "byradsleder", 1, 0, 1 },
		{ "oppvekst_utdanning", 1, 1, 1 },
		{ "helse_omsorg", 7, 2, 1 },
		{ "sosiale_tjenester", 1, 0, 0 },
		{ "kultur_idrett_friluftsliv", 1, 0, 1 },
		{ "byutvikling", 1, 0, 0 },
		{ "miljo_naring_samferdsel", 0, 0, 0 },
		{ "finans", 1, 0, 1 },
	};
	for (size_t k = 0; k < sizeof areas / sizeof areas[0]; k++) {
		int a = area(areas[k].key);
		if (st.now.area[a] != areas[k].now || st.before.area[a] != areas[k].before ||
		    st.open_at_end_area[a] != areas[k].open)
			fail_msg("%s: now %llu before %llu open %llu", areas[k].key,
				 (unsigned long long)st.now.area[a],
				 (unsigned long long)st.before.area[a],
				 (unsigned long long)st.open_at_end_area[a]);
	}
	static const uint64_t types_now[KT_TYPES + 1] = {
		[KT_TYPE_HMS] = 3,	     [KT_TYPE_PASIENT] = 1, [KT_TYPE_PERSONVERN] = 5,
		[KT_TYPE_INFOSIKKERHET] = 1, [KT_TYPE_VOLD] = 1,    [KT_TYPE_MILJO] = 0,
		[KT_TYPE_ANNET] = 1,	     [KT_TYPES] = 1,
	};
	static const uint64_t types_before[KT_TYPES + 1] = {
		[KT_TYPE_HMS] = 1,
		[KT_TYPE_ANNET] = 1,
		[KT_TYPES] = 1,
	};
	for (int k = 0; k <= KT_TYPES; k++) {
		if (st.now.type[k] != types_now[k] || st.before.type[k] != types_before[k])
			fail_msg("type %s: now %llu before %llu",
				 k < KT_TYPES ? kt_incident_type_key(k) : "not triaged",
				 (unsigned long long)st.now.type[k],
				 (unsigned long long)st.before.type[k]);
	}
	static const struct {
		const char *unit;
		uint64_t now, before;
	} units[] = {
		{ "Øya helsehus", 5, 2 },     { "Klæbu helse- og velferdssenter", 2, 0 },
		{ "Ringen barnehage", 1, 1 }, { "Byplankontoret", 1, 0 },
		{ "NAV Falkenberg", 1, 0 },   { "HR-enheten", 1, 0 },
		{ "Folkebiblioteket", 1, 0 }, { "Arbeidsgiveriet", 1, 0 },
	};
	uint64_t unit_sum = 0;
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		if (unit_count(&m, &st.now, units[k].unit) != units[k].now ||
		    unit_count(&m, &st.before, units[k].unit) != units[k].before)
			fail_msg("unit %s: now %llu before %llu", units[k].unit,
				 (unsigned long long)unit_count(&m, &st.now, units[k].unit),
				 (unsigned long long)unit_count(&m, &st.before, units[k].unit));
	}
	for (uint32_t k = 0; k < st.n_units; k++)
		unit_sum += st.now.unit[k];
	assert_int_equal(unit_sum, 13);

	/* The year before: H-2024-00001..3 (00004 is retracted; the 2023 one is
	 * older). H-2024-00002 at its last µs counts. */
	assert_int_equal(st.before.total, 3);
	assert_int_equal(st.before.category[KT_CATEGORY_AVVIK], 2);
	assert_int_equal(st.before.category[KT_CATEGORY_FORBEDRING], 1);

	/* Open at the end: H-2023-00001, H-2024-00002, N11, N12, and N13 (closed
	 * only in 2026). */
	assert_int_equal(st.open_at_end, 5);
	/* Closed: N1–N10; nearest rank of 0.5 2 3 5 8 13 21 34 55 89 days. */
	assert_int_equal(st.closed, 10);
	expect_near(st.close_days_median, 8.0, "median");
	expect_near(st.close_days_p90, 55.0, "p90");

	/* Reported on: N3 and N6 to Datatilsynet, N4 to Arbeidstilsynet (the
	 * 2024 incident's report in 2025 does not count), N8 to the
	 * Statsforvalteren. */
	assert_int_equal(st.external[KT_RECIPIENT_DATATILSYNET], 2);
	assert_int_equal(st.external[KT_RECIPIENT_ARBEIDSTILSYNET], 1);
	assert_int_equal(st.external[KT_RECIPIENT_STATSFORVALTEREN], 1);
	assert_int_equal(st.external[KT_RECIPIENT_HELSEPLATTFORMEN], 0);
	assert_int_equal(st.external[KT_RECIPIENT_OTHER], 0);
	assert_int_equal(st.external_any, 4);

	/* Personvern: N3 in time, N6 late, N7 not required, N11 overdue, N12
	 * pending at the last µs of the year. */
	assert_int_equal(st.personvern, 5);
	assert_int_equal(st.notify[KT_NOTIFY_NA], 0);
	assert_int_equal(st.notify[KT_NOTIFY_IN_TIME], 1);
	assert_int_equal(st.notify[KT_NOTIFY_LATE], 1);
	assert_int_equal(st.notify[KT_NOTIFY_NOT_REQUIRED], 1);
	assert_int_equal(st.notify[KT_NOTIFY_PENDING], 1);
	assert_int_equal(st.notify[KT_NOTIFY_OVERDUE], 1);
	assert_int_equal(st.to_datatilsynet, 2);

	expect_near(kt_change_percent(st.before.total, st.now.total), 1000.0 / 3.0, "change");
	kt_incident_stats_free(&st);
	assert_null(st.now.unit);
	assert_null(st.before.unit);
	kt_incident_stats_free(&st); /* twice is fine */

	/* Folded without the as-of, the 2026 closure would count: what the
	 * caller must avoid, and what the model shows then. */
	view(f, MAX, MAX, &m);
	assert_int_equal(kt_incident_stats(&m, from, to, pf, pt, &st), KT_OK);
	assert_int_equal(st.now.total, 13);
	assert_int_equal(st.closed, 11);
	assert_int_equal(st.open_at_end, 4);
	kt_incident_stats_free(&st);

	/* An odd count: nearest rank of 2024's one closure (9 days). */
	view(f, MAX, pt, &m);
	assert_int_equal(
	    kt_incident_stats(&m, pf, pt, day("2023-01-01"), end_of("2023-12-31"), &st), KT_OK);
	assert_int_equal(st.now.total, 3);
	assert_int_equal(st.before.total, 1);
	assert_int_equal(st.closed, 1);
	expect_near(st.close_days_median, 9.0, "median of one");
	expect_near(st.close_days_p90, 9.0, "p90 of one");
	/* H-2023-00001, H-2024-00002 and 00003 (00004 is retracted). */
	assert_int_equal(st.open_at_end, 3);
	kt_incident_stats_free(&st);

	/* A period without incidents. */
	assert_int_equal(kt_incident_stats(&m, day("2030-01-01"), end_of("2030-12-31"),
					   day("2029-01-01"), end_of("2029-12-31"), &st),
			 KT_OK);
	assert_int_equal(st.now.total, 0);
	assert_true(isnan(st.close_days_median));
	assert_true(isnan(st.close_days_p90));
	kt_incident_stats_free(&st);

	/* An empty model. */
	struct kt_incidents empty;
	kt_incidents_init(&empty);
	assert_int_equal(kt_incident_stats(&empty, from, to, pf, pt, &st), KT_OK);
	assert_int_equal(st.now.total, 0);
	assert_int_equal(st.n_units, 0);
	kt_incident_stats_free(&st);
	kt_incidents_free(&m);
}

/* Nearest rank on more counts than the fixture's. */
static void test_incidents_percentiles_nearest_rank(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	struct kt_incident_stats st;
	kt_incidents_init(&m);
	/* 20 incidents closed after 1..20 days, registered in shuffled order. */
	static const int days[] = { 7,	3, 20, 1, 15, 9, 12, 2,	 18, 5,
				    11, 4, 19, 8, 14, 6, 16, 10, 13, 17 };
	for (int k = 0; k < 20; k++) {
		char number[KT_INCIDENT_NUMBER_SIZE];
		kt_incident_number_format(2025, (uint32_t)(k + 1), number);
		stat_incident(f, number, day("2025-02-01") + k * HOUR, "avvik", "Øya helsehus",
			      "helse_omsorg", NULL, days[k] * DAY, NULL);
	}
	view(f, MAX, end_of("2025-12-31"), &m);
	assert_int_equal(kt_incident_stats(&m, day("2025-01-01"), end_of("2025-12-31"),
					   day("2024-01-01"), end_of("2024-12-31"), &st),
			 KT_OK);
	assert_int_equal(st.closed, 20);
	/* ceil(20 · 0.5) = 10th, ceil(20 · 0.9) = 18th. */
	expect_near(st.close_days_median, 10.0, "median");
	expect_near(st.close_days_p90, 18.0, "p90");
	kt_incident_stats_free(&st);
	/* The first 11 registered (ranks 6 and 10 of 11). */
	assert_int_equal(kt_incident_stats(&m, day("2025-02-01"), day("2025-02-01") + 10 * HOUR,
					   day("2024-01-01"), end_of("2024-12-31"), &st),
			 KT_OK);
	assert_int_equal(st.closed, 11);
	/* 1 2 3 5 7 9 11 12 15 18 20 */
	expect_near(st.close_days_median, 9.0, "median of 11");
	expect_near(st.close_days_p90, 18.0, "p90 of 11");
	kt_incident_stats_free(&st);
	kt_incidents_free(&m);
}

static void test_incidents_change_and_period_before(void **state)
{
	(void)state;
	double c = kt_change_percent(23752, 21686);
	expect_near(c, (21686.0 - 23752.0) * 100.0 / 23752.0, "change");
	expect_near(round(c * 10) / 10, -8.7, "change rounded");
	expect_near(kt_change_percent(9440, 9993), 5.8580508474576, "helse og omsorg");
	expect_near(kt_change_percent(5, 5), 0.0, "no change");
	expect_near(kt_change_percent(4, 0), -100.0, "all gone");
	assert_true(isnan(kt_change_percent(0, 5)));
	assert_true(isnan(kt_change_percent(0, 0)));

	int64_t pf, pt;
	/* A calendar year: the year before, 2024 being a leap year. */
	kt_incident_period_before(day("2025-01-01"), end_of("2025-12-31"), &pf, &pt);
	eq64(pf, day("2024-01-01"), "2025: from");
	eq64(pt, at("2024-12-31T23:59:59.999999Z"), "2025: to");
	kt_incident_period_before(day("2024-01-01"), end_of("2024-12-31"), &pf, &pt);
	eq64(pf, day("2023-01-01"), "2024: from");
	eq64(pt, end_of("2023-12-31"), "2024: to");
	kt_incident_period_before(day("2021-01-01"), end_of("2021-12-31"), &pf, &pt);
	eq64(pf, day("2020-01-01"), "2021: from");
	eq64(pt, end_of("2020-12-31"), "2021: to");
	/* Two calendar years: the two before. */
	kt_incident_period_before(day("2024-01-01"), end_of("2025-12-31"), &pf, &pt);
	eq64(pf, day("2022-01-01"), "2024-2025: from");
	eq64(pt, end_of("2023-12-31"), "2024-2025: to");

	/* Anything else: as long, just before. */
	static const struct {
		const char *from, *to;
	} ranges[] = {
		{ "2025-03-01T00:00:00Z", "2025-03-31T23:59:59.999999Z" },
		{ "2025-01-01T00:00:00Z", "2025-06-30T23:59:59.999999Z" },
		{ "2025-01-01T00:00:00Z", "2025-12-31T00:00:00Z" },
		{ "2025-01-01T00:00:00.000001Z", "2025-12-31T23:59:59.999999Z" },
		{ "2025-02-01T00:00:00Z", "2026-01-31T23:59:59.999999Z" },
		{ "2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z" },
		{ "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z" },
	};
	for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
		int64_t from = at(ranges[k].from), to = at(ranges[k].to);
		kt_incident_period_before(from, to, &pf, &pt);
		eq64(pt, from - 1, ranges[k].from);
		eq64(pf, from - (to - from + 1), ranges[k].to);
	}
	kt_incident_period_before(day("2025-03-01"), end_of("2025-03-31"), &pf, &pt);
	eq64(pf, day("2025-01-29"), "March: from");
	eq64(pt, end_of("2025-02-28"), "March: to");
}

/* ---- 7. snapshots ------------------------------------------------------- */

/* The statistics fixture plus revisions of every kind, actions, handlers
 * and names: what the encoding must carry. */
static void rich_story(struct fx *f)
{
	uint8_t rep[16], tri[16], a1[16], c1[16], asg[16];
	stats_story(f);
	struct inc a = inc("H-2025-00300");
	int64_t t = at("2025-09-09T09:09:09.090909Z");
	report(f, &a, t, rep, "avvik", "Trondheim kulturskole", "kultur_idrett_friluftsliv",
	       "2025-09-08");
	triage(f, &a, t + HOUR, tri, "vold_trusler", 4);
	triage(f, &a, t + 2 * HOUR, NULL, "hms", 1);
	add(f, &a, KT_EV_INCIDENT_ASSIGNED, t + HOUR, asg, "{'handler': 'Rektor'}");
	add(f, &a, KT_EV_INCIDENT_ASSIGNED, t + HOUR, NULL, "{'handler': 'Verneombud'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + DAY, a1,
	    "{'action': 'T1', 'text': 'A.', 'due': '2025-10-01'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + DAY, NULL,
	    "{'action': 'T2', 'text': 'B.', 'due': '2025-09-20'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_COMPLETED, t + 2 * DAY, c1, "{'action': 'T2'}");
	add(f, &a, KT_EV_INCIDENT_ACTION_ADDED, t + DAY, NULL,
	    "{'action': 'T3', 'text': 'C.', 'due': '2025-09-15'}");
	external(f, &a, t + 3 * DAY, NULL, "helseplattformen");
	add(f, &a, KT_EV_INCIDENT_REPORTED_EXTERNAL, t + 4 * DAY, NULL,
	    "{'recipient': 'other', 'recipient_text': 'Politiet', 'reference': '123'}");
	not_required(f, &a, t + 4 * DAY, NULL, "datatilsynet");
	correct(f, &a, rep, KT_EV_INCIDENT_REPORTED,
		"{'number': 'H-2025-00300', 'category': 'avvik', 'unit': 'Hårstad skole',"
		" 'area': 'oppvekst_utdanning', 'occurred': '2025-09-07', 'text': 'Ny.'}");
	retract(f, &a, tri, KT_EV_INCIDENT_TRIAGED);
	correct(f, &a, a1, KT_EV_INCIDENT_ACTION_ADDED,
		"{'action': 'T1', 'text': 'A.', 'due': '2025-11-01'}");
	retract(f, &a, asg, KT_EV_INCIDENT_ASSIGNED);
	close_at(f, &a, t + 5 * DAY, NULL);
	reopen_at(f, &a, t + 6 * DAY, NULL);
	(void)c1;
	struct inc b = inc("H-2025-1234567");
	report(f, &b, t, NULL, "forbedring", "Trondheim parkering", "miljo_naring_samferdsel",
	       "2025-09-09");
}

static int load_bytes(struct kt_incidents *m, const uint8_t *bytes, size_t len)
{
	return kt_incidents_projection.load(m, bytes, len);
}

/* A copy of n bytes in a buffer of exactly that size (one byte for none),
 * so that ASan sees any read past the end. */
static uint8_t *exact_copy(const uint8_t *bytes, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	if (n)
		memcpy(copy, bytes, n);
	return copy;
}

static void test_incidents_snapshot_round_trip(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m, got;
	struct kt_buf b = KT_BUF_INIT((size_t)1 << 24), again = KT_BUF_INIT((size_t)1 << 24);
	kt_incidents_init(&m);
	kt_incidents_init(&got);
	rich_story(f);
	view(f, MAX, MAX, &m);

	/* The model really holds what the encoding must carry. */
	assert_int_equal(m.n, 22);
	const struct kt_incident *a = kt_incidents_find(&m, "H-2025-00300", 12);
	assert_non_null(a);
	/* Fourteen facts: revisions change facts, they add none. */
	assert_int_equal(a->n_facts, 14);
	assert_true(a->text_position > a->version);
	assert_int_equal(a->facts[1].retracted, 1);
	assert_true(a->not_required != 0);
	assert_true(a->first_closed_at != UNSET && !a->closed);
	assert_true(a->external[KT_RECIPIENT_OTHER] != UNSET);
	assert_int_equal(kt_incidents_find(&m, "H-2024-00004", 12)->retracted, 1);

	/* Saved; loaded: equal field by field; saved again: the same bytes. */
	assert_int_equal(kt_incidents_projection.save(&m, &b), KT_OK);
	uint8_t *whole = exact_copy(b.data, b.len);
	assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
	assert_models_equal(&m, &got, "loaded");
	assert_non_null(got.pool);
	assert_int_equal(kt_incidents_projection.save(&got, &again), KT_OK);
	assert_int_equal(again.len, b.len);
	assert_memory_equal(again.data, b.data, b.len);

	/* Queries on the loaded model answer as on the folded one. */
	int done = -1;
	const struct kt_incident *la = kt_incidents_find(&got, "H-2025-00300", 12);
	assert_non_null(kt_incident_action(&got, la, "T2", &done));
	assert_int_equal(done, 1);
	assert_ptr_equal(kt_incident_fact_by_id(la, a->facts[0].id), &la->facts[0]);
	assert_int_equal(kt_incidents_last_seq(&got, 2025), 1234567);

	/* Loaded over a model that holds something else: replaced whole. */
	view(f, MAX, end_of("2024-06-30"), &got);
	assert_int_equal(got.n, 3); /* H-2023-00001, H-2024-00001 and 00003 */
	assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
	assert_models_equal(&m, &got, "loaded over another model");

	/* Every truncation is refused, never read past, and leaves the model
	 * (which held the whole state just before) empty. */
	for (size_t cut = 0; cut < b.len; cut++) {
		uint8_t *part = exact_copy(b.data, cut);
		assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
		int rc = load_bytes(&got, part, cut);
		if (rc != KT_EMALFORMED)
			fail_msg("cut at %zu of %zu: %s (%d)", cut, b.len, kt_strerror(rc), rc);
		char what[64];
		snprintf(what, sizeof what, "cut at %zu", cut);
		expect_empty(&got, what);
		free(part);
	}

	/* Trailing bytes are refused too. */
	uint8_t *longer = malloc(b.len + 1);
	assert_non_null(longer);
	memcpy(longer, b.data, b.len);
	longer[b.len] = 0;
	assert_int_equal(load_bytes(&got, longer, b.len + 1), KT_EMALFORMED);
	expect_empty(&got, "trailing byte");
	free(longer);

	/* … and the model is reusable: loaded, folded into by a replay, and
	 * loaded and then folded on (facts borrowed from the pool move out). */
	assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
	assert_models_equal(&m, &got, "reloaded");
	view(f, MAX, MAX, &got);
	assert_models_equal(&m, &got, "replayed after loads");
	assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
	struct inc x = inc("H-2025-00300");
	x.version = a->version;
	triage(f, &x, at("2025-12-01T00:00:00Z"), NULL, "annet", 2);
	close_at(f, &x, at("2025-12-02T00:00:00Z"), NULL);
	correct(f, &x, a->facts[0].id, KT_EV_INCIDENT_REPORTED,
		"{'number': 'H-2025-00300', 'category': 'forbedring', 'unit': 'Ny enhet',"
		" 'area': 'finans', 'occurred': '2025-09-07', 'text': 'Ny.'}");
	struct kt_event ev;
	kt_reader *r;
	uint64_t head;
	{
		assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
		head = kt_reader_head(r);
		for (uint64_t p = head - 2; p <= head; p++) {
			assert_int_equal(kt_reader_get(r, p, &ev), KT_OK);
			ev.position = p;
			assert_int_equal(kt_incidents_projection.apply(&got, &ev), KT_OK);
		}
		kt_reader_end(r);
	}
	view(f, MAX, MAX, &m);
	assert_models_equal(&m, &got, "loaded, then folded on");
	free(whole);

	/* An empty model saves and loads as one. */
	kt_incidents_free(&got);
	kt_buf_reset(&b);
	assert_int_equal(kt_incidents_projection.save(&got, &b), KT_OK);
	assert_int_equal(b.len, 4 + 8 + 8);
	assert_int_equal(load_bytes(&got, b.data, b.len), KT_OK);
	assert_int_equal(got.n, 0);
	kt_incidents_free(&got);
	kt_incidents_free(&m);
	kt_buf_free(&b);
	kt_buf_free(&again);
}

/* Offsets in the saved state of the one-incident model below. */
#define FACT_BYTES 36
struct layout {
	size_t names_end; /* where the incident count starts */
	size_t incident;  /* the incident's number length byte */
	size_t n_facts;	  /* its fact count */
	size_t fact0;	  /* its first fact */
};

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int k = 0; k < n; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

/* Load bytes changed by one edit; expect refusal and an empty model. */
static void refused_after(const uint8_t *good, size_t len, size_t offset, uint64_t value, int width,
			  const char *what)
{
	struct kt_incidents m;
	kt_incidents_init(&m);
	uint8_t *bad = exact_copy(good, len);
	put_le(bad + offset, value, width);
	/* Loaded over a full model: the failure must leave it empty. */
	assert_int_equal(load_bytes(&m, good, len), KT_OK);
	int rc = load_bytes(&m, bad, len);
	if (rc != KT_EMALFORMED)
		fail_msg("%s: %s (%d), want KT_EMALFORMED", what, kt_strerror(rc), rc);
	expect_empty(&m, what);
	free(bad);
	/* And reusable. */
	assert_int_equal(load_bytes(&m, good, len), KT_OK);
	assert_int_equal(m.n, 1);
	kt_incidents_free(&m);
}

static void loads_after(const uint8_t *good, size_t len, size_t offset, uint64_t value, int width,
			const char *what)
{
	struct kt_incidents m;
	kt_incidents_init(&m);
	uint8_t *edited = exact_copy(good, len);
	put_le(edited + offset, value, width);
	int rc = load_bytes(&m, edited, len);
	if (rc != KT_OK)
		fail_msg("%s: %s (%d), want KT_OK", what, kt_strerror(rc), rc);
	kt_incidents_free(&m);
	free(edited);
}

static void test_incidents_snapshot_refuses_corrupted_bytes(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	struct kt_buf b = KT_BUF_INIT((size_t)1 << 20);
	kt_incidents_init(&m);
	struct inc a = inc("H-2025-00001");
	report(f, &a, at("2025-01-02T10:00:00Z"), NULL, "avvik", "Øya helsehus", "helse_omsorg",
	       "2025-01-01");
	triage(f, &a, at("2025-01-02T11:00:00Z"), NULL, "personvern", 2);
	view(f, MAX, MAX, &m);
	assert_int_equal(kt_incidents_projection.save(&m, &b), KT_OK);
	kt_incidents_free(&m);

	/* The layout incidents.c documents: names, counts, then the incident. */
	struct layout l;
	size_t name_len = strlen("Øya helsehus");
	l.names_end = 4 + 2 + name_len;
	l.incident = l.names_end + 16;
	l.n_facts = l.incident + 1 + 12 + 8 + 8;
	l.fact0 = l.n_facts + 4;
	assert_int_equal(b.len, l.fact0 + 2 * FACT_BYTES);
	assert_int_equal(b.data[0], 1);	       /* one name */
	assert_int_equal(b.data[4], name_len); /* its length */
	assert_int_equal(b.data[l.names_end], 1);
	assert_int_equal(b.data[l.names_end + 8], 2);
	assert_int_equal(b.data[l.incident], 12);
	assert_memory_equal(b.data + l.incident + 1, "H-2025-00001", 12);
	assert_int_equal(b.data[l.fact0 + 24], KT_FACT_REPORTED);
	assert_int_equal(b.data[l.fact0 + FACT_BYTES + 24], KT_FACT_TRIAGED);

	const uint8_t *g = b.data;
	const size_t n = b.len, f0 = l.fact0, f1 = l.fact0 + FACT_BYTES;
	loads_after(g, n, f1 + 27, 4, 1, "severity 4");
	loads_after(g, n, f1 + 26, KT_TYPES - 1, 1, "the last type");
	loads_after(g, n, f0 + 27, KT_AREAS - 1, 1, "the last area");
	loads_after(g, n, f1 + 25, 1, 1, "a retracted triage");

	refused_after(g, n, f1 + 24, 9, 1, "a kind past the last");
	refused_after(g, n, f1 + 24, 0xff, 1, "kind 255");
	refused_after(g, n, f0 + 24, KT_FACT_TRIAGED, 1, "a first fact that is not a report");
	refused_after(g, n, f1 + 24, KT_FACT_REPORTED, 1, "a second report");
	refused_after(g, n, f0 + 27, KT_AREAS, 1, "an area out of range");
	refused_after(g, n, f0 + 26, KT_CATEGORIES, 1, "a category out of range");
	refused_after(g, n, f0 + 28, 1, 4, "a name index out of range");
	refused_after(g, n, f0 + 28, KT_NAME_NONE, 4, "a report without a unit");
	refused_after(g, n, f0 + 32, (uint32_t)KT_DAY_NONE, 4, "a report without a day");
	refused_after(g, n, f0 + 25, 2, 1, "retracted 2");
	refused_after(g, n, f1 + 26, KT_TYPES, 1, "a type out of range");
	refused_after(g, n, f1 + 27, 0, 1, "severity 0");
	refused_after(g, n, f1 + 27, 5, 1, "severity 5");
	refused_after(g, n, l.incident, 16, 1, "a number longer than any");
	refused_after(g, n, l.incident, 11, 1, "a number one byte short");
	refused_after(g, n, l.incident + 12, 'x', 1, "a number that is not one");
	refused_after(g, n, l.incident + 7, '0', 1, "a number without its second dash");
	refused_after(g, n, l.n_facts, 0, 4, "an incident without facts");
	refused_after(g, n, l.n_facts, 3, 4, "more facts than saved");
	refused_after(g, n, l.n_facts, 1, 4, "fewer facts than saved");
	refused_after(g, n, l.names_end + 8, 3, 8, "a fact total too high");
	refused_after(g, n, l.names_end + 8, 1, 8, "a fact total too low");
	refused_after(g, n, l.names_end + 8, UINT64_MAX, 8, "a fact total of 2^64 - 1");
	refused_after(g, n, l.names_end, 2, 8, "two incidents");
	refused_after(g, n, l.names_end, UINT64_MAX, 8, "2^64 - 1 incidents");
	refused_after(g, n, 0, 2, 4, "two names");
	refused_after(g, n, 0, UINT32_MAX, 4, "2^32 - 1 names");
	refused_after(g, n, 4, name_len + 1, 2, "a name longer than saved");
	refused_after(g, n, 4, 0xffff, 2, "a name of 65535 bytes");
	refused_after(g, n, 6, 0, 1, "a NUL inside a name");

	/* The same incident twice. */
	size_t body = n - l.incident, len2 = n + body;
	uint8_t *twice = malloc(len2);
	assert_non_null(twice);
	memcpy(twice, g, n);
	memcpy(twice + n, g + l.incident, body);
	put_le(twice + l.names_end, 2, 8);
	put_le(twice + l.names_end + 8, 4, 8);
	assert_int_equal(load_bytes(&m, twice, len2), KT_EMALFORMED);
	expect_empty(&m, "the same incident twice");
	/* … which is fine under another number. */
	twice[n + 1 + 11] = '2';
	assert_int_equal(load_bytes(&m, twice, len2), KT_OK);
	assert_int_equal(m.n, 2);
	assert_non_null(kt_incidents_find(&m, "H-2025-00002", 12));
	kt_incidents_free(&m);
	free(twice);

	/* A name saved twice; two different names load. */
	/* Two names, then no incidents (u64 0) and no facts (u64 0). */
	static const uint8_t dup_names[] = { 2, 0, 0, 0, 1, 0, 'A', 1, 0, 'A', 0, 0, 0,
					     0, 0, 0, 0, 0, 0, 0,   0, 0, 0,   0, 0, 0 };
	static const uint8_t two_names[] = { 2, 0, 0, 0, 1, 0, 'A', 1, 0, 'B', 0, 0, 0,
					     0, 0, 0, 0, 0, 0, 0,   0, 0, 0,   0, 0, 0 };
	assert_int_equal(load_bytes(&m, dup_names, sizeof dup_names), KT_EMALFORMED);
	expect_empty(&m, "a name twice");
	assert_int_equal(load_bytes(&m, two_names, sizeof two_names), KT_OK);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.n_names, 2);
	kt_incidents_free(&m);
	kt_buf_free(&b);
}

/* ---- 8. allocation failures ---------------------------------------------- */

/* The log in memory, each event owning its bytes. */
struct owned {
	struct kt_event ev;
	void *bytes;
};

static struct owned *read_log(struct fx *f, size_t *n)
{
	kt_reader *r;
	struct kt_event ev;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	uint64_t head = kt_reader_head(r);
	struct owned *log = calloc(head ? head : 1, sizeof *log);
	assert_non_null(log);
	for (uint64_t p = 1; p <= head; p++) {
		struct owned *o = &log[p - 1];
		assert_int_equal(kt_reader_get(r, p, &ev), KT_OK);
		size_t sz = ev.stream_len + ev.type_len + ev.actor_len + ev.data_len + 1;
		char *b = malloc(sz);
		assert_non_null(b);
		o->bytes = b;
		o->ev = ev;
		o->ev.position = p;
		memcpy(b, ev.stream, ev.stream_len);
		o->ev.stream = b;
		b += ev.stream_len;
		memcpy(b, ev.type, ev.type_len);
		o->ev.type = b;
		b += ev.type_len;
		memcpy(b, ev.actor, ev.actor_len);
		o->ev.actor = b;
		b += ev.actor_len;
		memcpy(b, ev.data, ev.data_len);
		o->ev.data = (const uint8_t *)b;
	}
	kt_reader_end(r);
	*n = head;
	return log;
}

static void free_log(struct owned *log, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(log[k].bytes);
	free(log);
}

/* Fold the log with apply; the first error, or 0. */
static int fold(struct kt_incidents *m, const struct owned *log, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		int rc = kt_incidents_projection.apply(m, &log[k].ev);
		if (rc)
			return rc;
	}
	return KT_OK;
}

static void test_incidents_allocation_failures_are_errors(void **state)
{
	struct fx *f = *state;
	struct kt_incidents ref, m;
	struct kt_incident_stats st;
	size_t n;
	rich_story(f);
	struct owned *log = read_log(f, &n);
	kt_incidents_init(&ref);
	assert_int_equal(fold(&ref, log, n), KT_OK);
	assert_int_equal(ref.n, 22);

	/* The fold: every failure is KT_ENOMEM; a fold that succeeds is whole. */
	long k;
	for (k = 0;; k++) {
		kt_incidents_init(&m);
		arm(k);
		int rc = fold(&m, log, n);
		disarm();
		if (!alloc_failures) {
			assert_int_equal(rc, KT_OK);
			assert_models_equal(&ref, &m, "no failure");
			kt_incidents_free(&m);
			break;
		}
		if (rc != KT_ENOMEM)
			fail_msg("allocation %ld failed during the fold: %s (%d), want KT_ENOMEM",
				 k, kt_strerror(rc), rc);
		kt_incidents_free(&m);
		expect_empty(&m, "after a failed fold");
	}
	assert_true(k > 20);

	/* Saving and loading. */
	struct kt_buf b = KT_BUF_INIT((size_t)1 << 24);
	assert_int_equal(kt_incidents_projection.save(&ref, &b), KT_OK);
	for (k = 0;; k++) {
		struct kt_buf out = KT_BUF_INIT((size_t)1 << 24);
		arm(k);
		int rc = kt_incidents_projection.save(&ref, &out);
		disarm();
		if (!alloc_failures) {
			assert_int_equal(rc, KT_OK);
			assert_int_equal(out.len, b.len);
			kt_buf_free(&out);
			break;
		}
		assert_int_equal(rc, KT_ENOMEM);
		kt_buf_free(&out);
	}
	for (k = 0;; k++) {
		kt_incidents_init(&m);
		arm(k);
		int rc = load_bytes(&m, b.data, b.len);
		disarm();
		if (!alloc_failures) {
			assert_int_equal(rc, KT_OK);
			assert_models_equal(&ref, &m, "loaded without failure");
			kt_incidents_free(&m);
			break;
		}
		if (rc != KT_ENOMEM)
			fail_msg("allocation %ld failed during the load: %s (%d)", k,
				 kt_strerror(rc), rc);
		expect_empty(&m, "after a failed load");
	}
	assert_true(k > 3);

	/* Statistics. */
	for (k = 0;; k++) {
		arm(k);
		int rc = kt_incident_stats(&ref, day("2025-01-01"), end_of("2025-12-31"),
					   day("2024-01-01"), end_of("2024-12-31"), &st);
		disarm();
		kt_incident_stats_free(&st);
		if (!alloc_failures) {
			assert_int_equal(rc, KT_OK);
			break;
		}
		assert_int_equal(rc, KT_ENOMEM);
	}
	assert_true(k >= 3);

	/* Through the replay engine: an error, never a wrong model. */
	for (k = 0;; k++) {
		struct kt_replay_query q = { MAX, MAX, 0, 0, NULL, NULL };
		kt_incidents_init(&m);
		arm(k);
		int rc = kt_replay(f->s, &kt_incidents_projection, &m, &q, NULL);
		disarm();
		if (!alloc_failures) {
			assert_int_equal(rc, KT_OK);
			assert_models_equal(&ref, &m, "replayed without failure");
			kt_incidents_free(&m);
			break;
		}
		if (rc == KT_OK)
			fail_msg("allocation %ld failed during the replay, which succeeded", k);
		kt_incidents_free(&m);
	}
	kt_buf_free(&b);
	kt_incidents_free(&ref);
	free_log(log, n);
}

/* ---- 9. with and without snapshots on a large random log --------------- */

#define GEN_EVENTS  60000
#define GEN_ACTIVE  64
#define GEN_CHUNK   8
#define GEN_QUERIES 16
#define GEN_EVERY   500

/* What the generator knows of each fact it wrote: its values as the model
 * must hold them after every revision since (an independent fold). */
struct gen_fact {
	uint8_t id[16];
	enum kt_fact_kind kind;
	const char *type;
	int64_t effective;
	uint64_t position;
	int retracted;
	int a, b;
	char name[64]; /* "" for none */
	int32_t day;
};

/* One incident being generated. */
struct gen {
	struct inc h;
	int64_t t0; /* registration */
	int planned, made;
	int labels; /* T1 … used so far */
	uint64_t text_position;
	struct gen_fact *facts;
	size_t n_facts, cap;
};

struct gen_stats {
	uint64_t events, incidents, corrections, retractions, reports_retracted, reopens;
	uint64_t noise, backdated;
};

struct jb {
	char s[JSON_MAX];
	size_t n;
};

static void jput(struct jb *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(j->s + j->n, sizeof j->s - j->n, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof j->s - j->n);
	j->n += (size_t)n;
}

static const char *const gen_units[] = {
	"Øya helsehus",	      "Klæbu helse- og velferdssenter",
	"Ringen barnehage",   "Byplankontoret",
	"NAV Falkenberg",     "HR-enheten",
	"Folkebiblioteket",   "Trondheim bydrift",
	"Enhet %d uten navn",
};

/* The catalogue type of a fact kind (the catalogue lists them in this order). */
static const char *type_of(enum kt_fact_kind kind)
{
	return kt_incident_schema_at((size_t)kind)->type;
}

/* The payload of a fact of kind for g into j, and its values into fact
 * (labels: fact->name is kept when set). */
static void gen_body(uint64_t *rng, const struct gen *g, struct gen_fact *fact, struct jb *j)
{
	char d[KT_TIME_TEXT_MAX];
	j->n = 0;
	fact->a = fact->b = 0;
	fact->day = KT_DAY_NONE;
	switch (fact->kind) {
	case KT_FACT_REPORTED: {
		size_t u = rng_below(rng, sizeof gen_units / sizeof gen_units[0]);
		int64_t occurred = g->t0 - rng_range(rng, 0, 10) * DAY;
		fact->a = (int)rng_below(rng, KT_CATEGORIES);
		fact->b = (int)rng_below(rng, KT_AREAS);
		snprintf(fact->name, sizeof fact->name, gen_units[u], (int)rng_below(rng, 40));
		kt_time_format_date(occurred, d);
		fact->day = (int32_t)((occurred - (occurred % DAY + DAY) % DAY) / DAY);
		jput(j,
		     "{'number': '%s', 'category': '%s', 'unit': '%s', 'area': '%s',"
		     " 'occurred': '%s', 'text': 'Hendelse.'}",
		     g->h.number, kt_category_key(fact->a), fact->name, kt_area_at(fact->b)->key,
		     d);
		return;
	}
	case KT_FACT_TRIAGED:
		fact->a = (int)rng_below(rng, KT_TYPES);
		fact->b = (int)rng_range(rng, 1, 4);
		fact->name[0] = 0;
		jput(j, "{'type': '%s', 'severity': %d%s}", kt_incident_type_key(fact->a), fact->b,
		     rng_below(rng, 3) ? "" : ", 'note': 'Vurdert.'");
		return;
	case KT_FACT_ASSIGNED:
		snprintf(fact->name, sizeof fact->name, "Saksbehandler %d",
			 (int)rng_below(rng, 30));
		jput(j, "{'handler': '%s'}", fact->name);
		return;
	case KT_FACT_ACTION_ADDED: {
		int64_t due = (g->t0 / DAY + rng_range(rng, -10, 100)) * DAY;
		kt_time_format_date(due, d);
		fact->day = (int32_t)(due / DAY);
		jput(j, "{'action': '%s', 'text': 'Tiltak.', 'due': '%s'%s}", fact->name, d,
		     rng_below(rng, 2) ? "" : ", 'responsible': 'Leder'");
		return;
	}
	case KT_FACT_ACTION_COMPLETED:
		jput(j, "{'action': '%s'%s}", fact->name,
		     rng_below(rng, 2) ? "" : ", 'note': 'Gjort.'");
		return;
	case KT_FACT_EXTERNAL:
	case KT_FACT_NOT_REQUIRED:
		fact->a = (int)rng_below(rng, KT_RECIPIENTS);
		fact->name[0] = 0;
		jput(j, "{'recipient': '%s'", kt_recipient_key(fact->a));
		if (fact->a == KT_RECIPIENT_OTHER)
			jput(j, ", 'recipient_text': 'Annen etat'");
		jput(j, fact->kind == KT_FACT_EXTERNAL ? "}" : ", 'reason': 'Ikke nødvendig.'}");
		return;
	case KT_FACT_CLOSED:
		fact->name[0] = 0;
		jput(j, "{'conclusion': 'Lukket.'}");
		return;
	case KT_FACT_REOPENED:
		fact->name[0] = 0;
		jput(j, "{'reason': 'Gjenåpnet.'}");
		return;
	}
}

/* Closed, by g's live closures and reopenings in log order. */
static int gen_closed(const struct gen *g)
{
	int closed = 0;
	for (size_t k = 0; k < g->n_facts; k++)
		if (!g->facts[k].retracted &&
		    (g->facts[k].kind == KT_FACT_CLOSED || g->facts[k].kind == KT_FACT_REOPENED))
			closed = g->facts[k].kind == KT_FACT_CLOSED;
	return closed;
}

/* What one generated event is, for the append and for the oracle. */
struct gen_event {
	const char *type;
	uint8_t id[16];
	int64_t effective;
	long fact;	 /* index of the new fact in g, or -1 */
	long report_fix; /* 1: corrects g's report (moves text_position) */
};

static struct gen_fact *gen_new_fact(struct gen *g)
{
	if (g->n_facts == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->facts = realloc(g->facts, g->cap * sizeof *g->facts);
		assert_non_null(g->facts);
	}
	struct gen_fact *fact = &g->facts[g->n_facts];
	memset(fact, 0, sizeof *fact);
	return fact;
}

/* The next event of g into e and j. */
static void gen_next(uint64_t *rng, struct gen *g, struct jb *j, struct gen_event *e,
		     struct gen_stats *st)
{
	static const struct {
		enum kt_fact_kind kind;
		int weight;
	} open_menu[] = {
		{ KT_FACT_TRIAGED, 10 },       { KT_FACT_ASSIGNED, 6 },
		{ KT_FACT_ACTION_ADDED, 10 },  { KT_FACT_ACTION_COMPLETED, 6 },
		{ KT_FACT_EXTERNAL, 5 },       { KT_FACT_NOT_REQUIRED, 3 },
		{ KT_FACT_CLOSED, 5 },	       { (enum kt_fact_kind)100, 9 }, /* correct */
		{ (enum kt_fact_kind)101, 6 },				      /* retract */
	};
	memset(e, 0, sizeof *e);
	e->fact = -1;
	assert_int_equal(kt_id_generate(e->id), KT_OK);
	int kind = KT_FACT_REPORTED;
	if (g->made > 0 && rng_below(rng, 150) == 0) {
		/* Noise in the stream: a second report or an unknown type. */
		struct gen_fact scratch;
		memset(&scratch, 0, sizeof scratch);
		scratch.kind = rng_below(rng, 2) ? KT_FACT_REPORTED : KT_FACT_CLOSED;
		gen_body(rng, g, &scratch, j);
		e->type = scratch.kind == KT_FACT_REPORTED ? KT_EV_INCIDENT_REPORTED
							   : "incident.archived";
		e->effective = g->t0 + rng_range(rng, -DAY / SEC, 30 * DAY / SEC) * SEC;
		st->noise++;
		return;
	}
	if (g->made > 0 && gen_closed(g)) {
		uint64_t pick = rng_below(rng, 12);
		kind = pick < 5 ? KT_FACT_REOPENED : pick < 9 ? 100 : 101;
	} else if (g->made > 0) {
		int total = 0;
		for (size_t k = 0; k < sizeof open_menu / sizeof open_menu[0]; k++)
			total += open_menu[k].weight;
		for (;;) {
			int pick = (int)rng_below(rng, (uint64_t)total);
			size_t k = 0;
			while (pick >= open_menu[k].weight)
				pick -= open_menu[k++].weight;
			kind = (int)open_menu[k].kind;
			if (kind != KT_FACT_ACTION_COMPLETED || g->labels)
				break;
		}
	}
	if (kind >= 100) {
		int retract_it = kind == 101;
		struct gen_fact *t = NULL;
		for (int tries = 0; tries < 8 && !t; tries++) {
			struct gen_fact *c = &g->facts[rng_below(rng, g->n_facts)];
			if (c->retracted)
				continue;
			if (retract_it && c->kind == KT_FACT_REPORTED && rng_below(rng, 6))
				continue;
			t = c;
		}
		if (!t) { /* the report can be corrected while it stands */
			t = &g->facts[0];
			retract_it = 0;
		}
		if (t->retracted) {
			retract_it = 1; /* a retraction of a retracted fact: a no-op */
		}
		char target[KT_ID_TEXT_LEN + 1];
		kt_id_format(t->id, target);
		e->effective = t->effective;
		if (retract_it) {
			e->type = KT_EV_EVENT_RETRACTED;
			j->n = 0;
			jput(j, "{'target': '%s', 'target_type': '%s', 'reason': 'Feil.'}", target,
			     t->type);
			if (!t->retracted && t->kind == KT_FACT_REPORTED)
				st->reports_retracted++;
			t->retracted = 1;
			st->retractions++;
			return;
		}
		struct jb inner;
		gen_body(rng, g, t, &inner); /* the new values, in place */
		e->type = KT_EV_EVENT_CORRECTED;
		e->report_fix = t->kind == KT_FACT_REPORTED;
		j->n = 0;
		jput(j, "{'target': '%s', 'target_type': '%s', 'reason': 'Rettet.', 'data': %s}",
		     target, t->type, inner.s);
		st->corrections++;
		return;
	}
	struct gen_fact *fact = gen_new_fact(g);
	assert_int_equal(kt_id_generate(fact->id), KT_OK);
	memcpy(e->id, fact->id, 16);
	fact->kind = (enum kt_fact_kind)kind;
	fact->type = type_of(fact->kind);
	if (kind == KT_FACT_ACTION_ADDED)
		snprintf(fact->name, sizeof fact->name, "T%d", ++g->labels);
	if (kind == KT_FACT_ACTION_COMPLETED)
		snprintf(fact->name, sizeof fact->name, "T%d", (int)rng_range(rng, 1, g->labels));
	gen_body(rng, g, fact, j);
	if (kind == KT_FACT_REPORTED)
		fact->effective = g->t0;
	else if (kind == KT_FACT_EXTERNAL)
		fact->effective = g->t0 + rng_range(rng, 0, 100 * HOUR / SEC) * SEC;
	else
		fact->effective = g->t0 + rng_range(rng, -DAY / SEC, 120 * DAY / SEC) * SEC;
	st->backdated += fact->effective < g->t0;
	st->reopens += kind == KT_FACT_REOPENED;
	e->type = fact->type;
	e->effective = fact->effective;
	e->fact = (long)g->n_facts;
	g->n_facts++;
}

/* Generate and append the next n events of g in one batch. */
static void gen_chunk(struct fx *f, uint64_t *rng, struct gen *g, size_t n, struct kt_buf *bufs,
		      struct gen_stats *st)
{
	struct kt_event ev[GEN_CHUNK];
	struct gen_event ge[GEN_CHUNK];
	struct jb j;
	struct kt_append_result res;
	assert_true(n >= 1 && n <= GEN_CHUNK);
	f->now += rng_range(rng, 1, 600) * SEC;
	for (size_t i = 0; i < n; i++) {
		gen_next(rng, g, &j, &ge[i], st);
		encode(j.s, &bufs[i]);
		if (strcmp(ge[i].type, "incident.archived") != 0)
			check_payload(ge[i].type, bufs[i].data, bufs[i].len);
		memset(&ev[i], 0, sizeof ev[i]);
		memcpy(ev[i].id, ge[i].id, 16);
		ev[i].type = ge[i].type;
		ev[i].type_len = strlen(ge[i].type);
		ev[i].actor = "generator";
		ev[i].actor_len = 9;
		ev[i].effective = ge[i].effective;
		ev[i].data = bufs[i].data;
		ev[i].data_len = bufs[i].len;
		g->made++;
	}
	int rc = kt_store_append(f->s, g->h.stream, g->h.version, ev, n, &res);
	if (rc)
		fail_msg("append to %s: %s", g->h.stream, kt_strerror(rc));
	g->h.version += n;
	assert_int_equal(res.head_version, g->h.version);
	for (size_t i = 0; i < n; i++) {
		uint64_t pos = res.first_position + i;
		if (ge[i].fact >= 0) {
			g->facts[ge[i].fact].position = pos;
			if (ge[i].fact == 0)
				g->text_position = pos;
		}
		if (ge[i].report_fix)
			g->text_position = pos;
	}
	st->events += n;
}

/* A noise event in a stream that is not an incident's. */
static void gen_noise(struct fx *f, uint64_t *rng, struct gen_stats *st)
{
	static const char *const streams[] = { "incident-H-2025-0001", "inspection-T-2025-001",
					       "incident-H-2025-000001", "incidents" };
	uint64_t s = rng_below(rng, 4);
	append_raw(f, streams[s], KT_VERSION_ANY, KT_EV_INCIDENT_TRIAGED, KT_EV_INCIDENT_TRIAGED,
		   f->now, "{'type': 'hms', 'severity': 1}", NULL);
	st->noise++;
	st->events++;
}

struct gen_log {
	struct gen **all;
	size_t n, cap;
};

static void gen_log(struct fx *f, uint64_t *rng, struct gen_stats *st, struct gen_log *out)
{
	struct gen *active[GEN_ACTIVE] = { NULL };
	struct kt_buf bufs[GEN_CHUNK];
	uint32_t next_seq[2] = { 1, 99990 }; /* 2025, and 2024 passing 100000 */
	for (size_t i = 0; i < GEN_CHUNK; i++) {
		struct kt_buf empty = KT_BUF_INIT(KT_DATA_MAX);
		bufs[i] = empty;
	}
	memset(st, 0, sizeof *st);
	memset(out, 0, sizeof *out);
	while (st->events < GEN_EVENTS) {
		if (rng_below(rng, 200) == 0) {
			gen_noise(f, rng, st);
			continue;
		}
		size_t k = rng_below(rng, GEN_ACTIVE);
		struct gen *g = active[k];
		if (!g || g->made >= g->planned) {
			g = active[k] = calloc(1, sizeof *g);
			assert_non_null(g);
			int old = rng_below(rng, 10) == 0;
			char number[KT_INCIDENT_NUMBER_SIZE];
			kt_incident_number_format(old ? 2024 : 2025, next_seq[old]++, number);
			g->h = inc(number);
			g->t0 = f->now - rng_range(rng, 0, 20 * DAY / SEC) * SEC -
				rng_range(rng, 0, 999999);
			g->planned = (int)rng_range(rng, 5, 40);
			if (out->n == out->cap) {
				out->cap = out->cap ? 2 * out->cap : 256;
				out->all = realloc(out->all, out->cap * sizeof *out->all);
				assert_non_null(out->all);
			}
			out->all[out->n++] = g;
			st->incidents++;
		}
		size_t n = (size_t)rng_range(rng, 1, GEN_CHUNK);
		if (n > (size_t)(g->planned - g->made))
			n = (size_t)(g->planned - g->made);
		gen_chunk(f, rng, g, n, bufs, st);
	}
	for (size_t i = 0; i < GEN_CHUNK; i++)
		kt_buf_free(&bufs[i]);
}

static void gen_log_free(struct gen_log *l)
{
	for (size_t k = 0; k < l->n; k++) {
		free(l->all[k]->facts);
		free(l->all[k]);
	}
	free(l->all);
}

/* The current view as the generator's own fold derives it, against the
 * model's. */
static void check_against_generator(const struct kt_incidents *m, const struct gen_log *l)
{
	assert_int_equal(m->n, l->n);
	for (size_t k = 0; k < l->n; k++) {
		const struct gen *g = l->all[k];
		const struct kt_incident *in = &m->items[k];
		char where[100];
		snprintf(where, sizeof where, "generated %s", g->h.number);
		if (strcmp(in->number, g->h.number) != 0)
			fail_msg("%s: the model has %s in its place", where, in->number);
		const struct gen_fact *r = &g->facts[0];
		int type = -1, severity = 0, closed = 0;
		const char *handler = NULL;
		uint32_t actions = 0, open = 0;
		int32_t next_due = KT_DAY_NONE;
		int64_t ext[KT_RECIPIENTS], closed_at = UNSET, first = UNSET;
		unsigned nr = 0;
		for (int x = 0; x < KT_RECIPIENTS; x++)
			ext[x] = UNSET;
		for (size_t i = 1; i < g->n_facts; i++) {
			const struct gen_fact *fc = &g->facts[i];
			if (fc->retracted)
				continue;
			switch (fc->kind) {
			case KT_FACT_TRIAGED:
				type = fc->a;
				severity = fc->b;
				break;
			case KT_FACT_ASSIGNED:
				handler = fc->name;
				break;
			case KT_FACT_ACTION_ADDED: {
				int done = 0;
				for (size_t c = 0; c < g->n_facts; c++)
					done |= !g->facts[c].retracted &&
						g->facts[c].kind == KT_FACT_ACTION_COMPLETED &&
						strcmp(g->facts[c].name, fc->name) == 0;
				actions++;
				if (!done) {
					open++;
					if (fc->day < next_due)
						next_due = fc->day;
				}
				break;
			}
			case KT_FACT_EXTERNAL:
				if (ext[fc->a] == UNSET || fc->effective < ext[fc->a])
					ext[fc->a] = fc->effective;
				break;
			case KT_FACT_NOT_REQUIRED:
				nr |= 1u << fc->a;
				break;
			case KT_FACT_CLOSED:
				closed = 1;
				closed_at = fc->effective;
				if (first == UNSET)
					first = fc->effective;
				break;
			case KT_FACT_REOPENED:
				closed = 0;
				closed_at = UNSET;
				break;
			default:
				break;
			}
		}
		cmp((int64_t)in->version, (int64_t)g->h.version, where, "version");
		cmp((int64_t)in->text_position, (int64_t)g->text_position, where, "text_position");
		cmp(in->retracted, r->retracted, where, "retracted");
		cmp(in->category, r->a, where, "category");
		cmp(in->area, r->b, where, "area");
		if (strcmp(kt_incidents_name(m, in->unit), r->name) != 0)
			fail_msg("%s: unit '%s', want '%s'", where, kt_incidents_name(m, in->unit),
				 r->name);
		cmp(in->occurred, r->day, where, "occurred");
		cmp(in->registered, r->effective, where, "registered");
		cmp(in->type, type, where, "type");
		cmp(in->severity, severity, where, "severity");
		expect_name(m, in->handler, handler, where);
		cmp(in->closed, closed, where, "closed");
		cmp(in->closed_at, closed_at, where, "closed_at");
		cmp(in->first_closed_at, first, where, "first_closed_at");
		cmp(in->actions, actions, where, "actions");
		cmp(in->actions_open, open, where, "actions_open");
		cmp(in->next_due, next_due, where, "next_due");
		for (int x = 0; x < KT_RECIPIENTS; x++)
			cmp(in->external[x], ext[x], where, kt_recipient_key(x));
		cmp(in->not_required, nr, where, "not_required");
		cmp(in->n_facts, (int64_t)g->n_facts, where, "n_facts");
		for (size_t i = 0; i < g->n_facts; i++) {
			const struct gen_fact *fc = &g->facts[i];
			const struct kt_incident_fact *x = &in->facts[i];
			if (memcmp(x->id, fc->id, 16) != 0)
				fail_msg("%s: fact %zu has another id", where, i);
			cmp(x->kind, fc->kind, where, "fact kind");
			cmp(x->retracted, fc->retracted, where, "fact retracted");
			cmp(x->at, fc->effective, where, "fact at");
		}
	}
}

static void replay_q(struct fx *f, int64_t known_at, int64_t as_of_, int use, uint64_t every,
		     struct kt_incidents *m, struct kt_replay_stats *st)
{
	struct kt_replay_query q = { known_at, as_of_, use, every, NULL, NULL };
	int rc = kt_replay(f->s, &kt_incidents_projection, m, &q, st);
	if (rc)
		fail_msg("kt_replay: %s", kt_strerror(rc));
}

static void test_incidents_snapshots_change_no_answer(void **state)
{
	struct fx *f = *state;
	uint64_t rng = UINT64_C(0x1c1de7);
	struct gen_stats gs;
	struct gen_log gl;
	struct kt_store_info info;
	gen_log(f, &rng, &gs, &gl);
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_int_equal(info.events, gs.events);
	assert_true(gs.events >= GEN_EVENTS);
	assert_true(gs.incidents >= 2000);
	assert_true(gs.corrections > 1000 && gs.retractions > 1000);
	assert_true(gs.reports_retracted > 50 && gs.reopens > 500);
	assert_true(gs.noise > 100 && gs.backdated > 100);

	/* Queries: a few as-of values, known-at anywhere along the log, the
	 * present first. */
	static const char *const days[] = { "2025-01-10", "2025-01-25", "2025-02-10" };
	int64_t known[GEN_QUERIES], as_of_v[GEN_QUERIES];
	for (size_t q = 0; q < GEN_QUERIES; q++) {
		uint64_t a = rng_below(&rng, 4);
		as_of_v[q] = q == 0 || a == 3 ? MAX : end_of(days[a]);
		known[q] = q == 0 || rng_below(&rng, 5) == 0
			       ? MAX
			       : rng_range(&rng, T0 - DAY, f->now + DAY);
	}

	struct kt_incidents full[GEN_QUERIES], snap;
	struct kt_replay_stats st0, st1, st2;
	int from_earlier = 0, saved = 0;
	kt_incidents_init(&snap);
	for (size_t q = 0; q < GEN_QUERIES; q++) {
		char what[64];
		kt_incidents_init(&full[q]);
		replay_q(f, known[q], as_of_v[q], 0, 0, &full[q], &st0);
		assert_int_equal(st0.snapshot_position, 0);
		assert_int_equal(st0.snapshot_saved, 0);
		if (q == 0)
			check_against_generator(&full[0], &gl);

		replay_q(f, known[q], as_of_v[q], 1, GEN_EVERY, &snap, &st1);
		snprintf(what, sizeof what, "query %zu, first with snapshots", q);
		assert_models_equal(&full[q], &snap, what);
		from_earlier += st1.snapshot_position > 0;
		saved += st1.snapshot_saved;
		replay_q(f, known[q], as_of_v[q], 1, GEN_EVERY, &snap, &st2);
		snprintf(what, sizeof what, "query %zu, second with snapshots", q);
		assert_models_equal(&full[q], &snap, what);
		if (st1.snapshot_saved) {
			assert_int_equal(st2.snapshot_position, st0.end_position);
			assert_int_equal(st2.read, 0);
		}
	}
	assert_true(from_earlier >= 3);
	assert_true(saved >= 3);

	/* Without any snapshot left: the same answers, in the order of
	 * known-at, so that later queries start from the snapshots earlier
	 * ones left. */
	uint64_t removed = 0;
	size_t order_of[GEN_QUERIES];
	assert_int_equal(kt_snapshot_clear(f->s, "incidents", &removed), KT_OK);
	assert_true(removed >= 1);
	for (size_t q = 0; q < GEN_QUERIES; q++) {
		size_t k = q;
		while (k > 0 && known[order_of[k - 1]] > known[q]) {
			order_of[k] = order_of[k - 1];
			k--;
		}
		order_of[k] = q;
	}
	int started_later = 0;
	for (size_t i = 0; i < GEN_QUERIES; i++) {
		size_t q = order_of[i];
		char what[64];
		replay_q(f, known[q], as_of_v[q], 1, GEN_EVERY, &snap, &st1);
		snprintf(what, sizeof what, "query %zu after clearing", q);
		assert_models_equal(&full[q], &snap, what);
		started_later += st1.snapshot_position > 0;
	}
	assert_true(started_later >= 3);

	/* The statistics of the present agree too. */
	struct kt_incident_stats a, b;
	assert_int_equal(kt_incident_stats(&full[0], T0 - 30 * DAY, f->now, T0 - 60 * DAY,
					   T0 - 30 * DAY - 1, &a),
			 KT_OK);
	replay_q(f, MAX, MAX, 1, GEN_EVERY, &snap, &st1);
	assert_int_equal(
	    kt_incident_stats(&snap, T0 - 30 * DAY, f->now, T0 - 60 * DAY, T0 - 30 * DAY - 1, &b),
	    KT_OK);
	assert_true(a.now.total > 1000);
	assert_int_equal(a.now.total, b.now.total);
	assert_int_equal(a.open_at_end, b.open_at_end);
	assert_int_equal(a.closed, b.closed);
	assert_memory_equal(a.notify, b.notify, sizeof a.notify);
	assert_memory_equal(a.now.unit, b.now.unit, a.n_units * sizeof *a.now.unit);
	kt_incident_stats_free(&a);
	kt_incident_stats_free(&b);

	kt_incidents_free(&snap);
	for (size_t q = 0; q < GEN_QUERIES; q++)
		kt_incidents_free(&full[q]);
	gen_log_free(&gl);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_incidents_lifecycle_paths),
		T(test_incidents_revisions_rederive),
		T(test_incidents_skips_what_is_not_its_own),
		T(test_incidents_notify_72_hours),
		T(test_incidents_as_of_and_known_at),
		T(test_incidents_statistics),
		T(test_incidents_percentiles_nearest_rank),
		T(test_incidents_change_and_period_before),
		T(test_incidents_snapshot_round_trip),
		T(test_incidents_snapshot_refuses_corrupted_bytes),
		T(test_incidents_allocation_failures_are_errors),
		T(test_incidents_snapshots_change_no_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
