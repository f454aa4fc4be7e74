/*
 * test_inspections.c — the inspections read model (projections/inspections.c)
 * fed by the replay engine from a real store: every lifecycle path of an
 * inspection, its findings and orders; corrections and retractions of each
 * kind of fact, with the originals still in the log; the as-of and known-at
 * axes on one case; the snapshot encoding (round trip field by field, well-
 * formed msgpack, every truncation refused without a crash and with the model
 * left empty and reusable); the model with and without snapshots on a
 * randomised log of more than 100,000 events; and the events the model must
 * ignore (other streams, unknown types, events before an inspection.opened).
 *
 * Every payload appended passes kt_schema_check with its catalogue schema
 * (payloads are written as JSON with single quotes, converted with
 * kt_json_to_data). Streams are "inspection-<case number>", appends give the
 * exact expected version, and an event's effective time is its payload's
 * date at 00:00 UTC, or for a correction or retraction the effective time of
 * its target, as the command layer sets them.
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
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/inspections.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/mpread.h"
#include "kontroll/replay.h"
#include "kontroll/schema.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAP ((size_t)16 << 20)
#define SEC INT64_C(1000000)
#define DAY (86400 * SEC)
/* 2025-01-01T00:00:00Z in µs: where the faked clock starts. */
#define T0    INT64_C(1735689600000000)
#define MAX   KT_TIME_MAX
#define UNSET KT_TIME_UNSET

/* ---- deterministic randomness (splitmix64) ---------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n) (the bias for the small n used here is negligible). */
static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

/* Uniform in [lo, hi]. */
static int64_t rng_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)rng_below(s, (uint64_t)(hi - lo) + 1);
}

/* ---- time --------------------------------------------------------------- */

/* 00:00 UTC of the day "YYYY-MM-DD". */
static int64_t day(const char *ymd)
{
	int64_t us;
	if (kt_time_parse(ymd, &us))
		fail_msg("test date '%s' does not parse", ymd);
	return us;
}

/* The last µs of the day: what `--as-of DAY` means. */
static int64_t end_of(const char *ymd)
{
	return day(ymd) + DAY - 1;
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
	snprintf(f->dir, sizeof f->dir, "%s/kt-inspections-XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

/* ---- payloads ----------------------------------------------------------- */

#define JSON_MAX 4096

/* Single-quoted JSON (no payload text here contains an apostrophe) → one
 * msgpack map in out, replacing what out held. */
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

/* Every payload appended must be one the catalogue accepts for type. */
static void check_payload(const char *type, const uint8_t *data, size_t len)
{
	const struct kt_schema *schema = kt_inspection_schema(type, strlen(type));
	char why[256];
	if (!schema)
		fail_msg("%s is not a catalogue type", type);
	int rc = kt_schema_check(schema, data, len, why, sizeof why);
	if (rc)
		fail_msg("%s payload refused (%s): %s", type, kt_strerror(rc), why);
}

static int is_revision(const char *type)
{
	return strcmp(type, KT_EV_EVENT_CORRECTED) == 0 || strcmp(type, KT_EV_EVENT_RETRACTED) == 0;
}

/* The envelope's effective time as the command layer sets it: the payload's
 * date (date_from for inspection.opened) at 00:00 UTC; a correction's or
 * retraction's is its target's. */
static int64_t effective_of(struct fx *f, const char *type, const uint8_t *data, size_t len)
{
	int64_t us;
	if (is_revision(type)) {
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
		us = rc == 0 ? target.effective : T0;
		kt_reader_end(r);
		/* T0 for a target that is not in the log (the tests' unknown ids). */
		if (rc != KT_OK && rc != KT_ENOTFOUND)
			fail_msg("reading %s: %s", text, kt_strerror(rc));
		return us;
	}
	if (kt_data_get_date(data, len, "date", &us) == 0 ||
	    kt_data_get_date(data, len, "date_from", &us) == 0)
		return us;
	fail_msg("%s payload has no date", type);
	return 0;
}

/*
 * Append one event of type to stream at exactly version expected, one second
 * after the previous append. Its payload, the single-quoted JSON squoted,
 * must pass the schema of check_type (type itself, except for the tests'
 * unknown types). id (may be NULL) receives the event's id.
 */
static void append_raw(struct fx *f, const char *stream, uint64_t expected, const char *type,
		       const char *check_type, const char *squoted, uint8_t id[16])
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
	ev.effective = effective_of(f, check_type, data.data, data.len);
	ev.data = data.data;
	ev.data_len = data.len;
	f->now += SEC;
	int rc = kt_store_append(f->s, stream, expected, &ev, 1, &res);
	if (rc)
		fail_msg("append %s to %s: %s", type, stream, kt_strerror(rc));
	assert_int_equal(ev.version, expected + 1);
	assert_int_equal(ev.recorded, f->now);
	if (id)
		memcpy(id, ev.id, 16);
	kt_buf_free(&data);
}

/* One inspection's stream and the version its next append expects. */
struct insp {
	char stream[64];
	uint64_t version;
};

static struct insp insp(const char *case_number)
{
	struct insp in;
	snprintf(in.stream, sizeof in.stream, "%s%s", KT_INSPECTION_STREAM_PREFIX, case_number);
	in.version = 0;
	return in;
}

/* Append an event of a catalogue type to in; the payload is printf-formatted
 * single-quoted JSON. */
static void add(struct fx *f, struct insp *in, const char *type, uint8_t id[16], const char *fmt,
		...)
{
	char json[JSON_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(json, sizeof json, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof json);
	append_raw(f, in->stream, in->version, type, type, json, id);
	in->version++;
}

/* An id as text, for payloads: idt(id).s lives to the end of the statement. */
struct idtext {
	char s[KT_ID_TEXT_LEN + 1];
};

static struct idtext idt(const uint8_t id[16])
{
	struct idtext t;
	kt_id_format(id, t.s);
	return t;
}

/* ---- replaying ---------------------------------------------------------- */

/* Fill m with the fold for (known_at, as_of), from the first event. */
static void view(struct fx *f, int64_t known_at, int64_t as_of, struct kt_inspections *m)
{
	struct kt_replay_query q = { known_at, as_of, 0, 0, NULL, NULL };
	int rc = kt_replay(f->s, &kt_inspections_projection, m, &q, NULL);
	if (rc)
		fail_msg("kt_replay: %s", kt_strerror(rc));
}

/* The current view of one inspection (refolded into m). */
static const struct kt_inspection *now_of(struct fx *f, struct kt_inspections *m,
					  const struct insp *in)
{
	view(f, MAX, MAX, m);
	const struct kt_inspection *got = kt_inspections_find(m, in->stream);
	if (!got)
		fail_msg("%s is not in the model", in->stream);
	assert_int_equal(got->version, in->version);
	return got;
}

/* The finding or order with this label, retracted or not (labels are unique
 * within the tests' inspections). */
static const struct kt_finding *finding(const struct kt_inspection *in, const char *label)
{
	for (size_t k = 0; k < in->n_findings; k++)
		if (strcmp(in->findings[k].label, label) == 0)
			return &in->findings[k];
	fail_msg("%s has no finding %s", in->stream, label);
	return NULL;
}

static const struct kt_order *order(const struct kt_inspection *in, const char *label)
{
	for (size_t k = 0; k < in->n_orders; k++)
		if (strcmp(in->orders[k].label, label) == 0)
			return &in->orders[k];
	fail_msg("%s has no order %s", in->stream, label);
	return NULL;
}

static void assert_id(const uint8_t got[16], const uint8_t want[16])
{
	if (memcmp(got, want, 16) != 0)
		fail_msg("id %s, want %s", idt(got).s, idt(want).s);
}

/* The inspection's status, and its counts: findings of each kind, orders
 * open and done. */
static void expect_counts(const struct kt_inspection *in, enum kt_inspection_status status,
			  size_t lovbrudd, size_t avvik, size_t merknad, size_t forbedring,
			  size_t open, size_t done)
{
	if (kt_inspection_status(in) != status)
		fail_msg("%s is %s, want %s", in->stream,
			 kt_inspection_status_name(kt_inspection_status(in)),
			 kt_inspection_status_name(status));
	assert_int_equal(kt_inspection_findings_of(in, KT_FINDING_LOVBRUDD), lovbrudd);
	assert_int_equal(kt_inspection_findings_of(in, KT_FINDING_AVVIK), avvik);
	assert_int_equal(kt_inspection_findings_of(in, KT_FINDING_MERKNAD), merknad);
	assert_int_equal(kt_inspection_findings_of(in, KT_FINDING_FORBEDRINGSPUNKT), forbedring);
	assert_int_equal(kt_inspection_orders_open(in), open);
	assert_int_equal(kt_inspection_orders_done(in), done);
}

static void expect_order(const struct kt_order *o, enum kt_order_status status, int64_t deadline)
{
	if (o->status != status)
		fail_msg("order %s is %s, want %s", o->label, kt_order_status_name(o->status),
			 kt_order_status_name(status));
	if (kt_order_deadline(o) != deadline)
		fail_msg("order %s: deadline %lld, want %lld", o->label,
			 (long long)kt_order_deadline(o), (long long)deadline);
}

static void expect_text(const char *got, const char *want, const char *what)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(got, want) != 0)
		fail_msg("%s: '%s', want '%s'", what, got ? got : "(null)", want ? want : "(null)");
}

/* ---- comparing two models field by field -------------------------------- */

static void cmp_text(const char *a, const char *b, const char *where, const char *field)
{
	if (!a && !b)
		return;
	if (!a || !b || strcmp(a, b) != 0)
		fail_msg("%s: %s '%s' vs '%s'", where, field, a ? a : "(null)", b ? b : "(null)");
}

static void cmp_id(const uint8_t a[16], const uint8_t b[16], const char *where, const char *field)
{
	if (memcmp(a, b, 16) != 0)
		fail_msg("%s: %s %s vs %s", where, field, idt(a).s, idt(b).s);
}

static void cmp_int(int64_t a, int64_t b, const char *where, const char *field)
{
	if (a != b)
		fail_msg("%s: %s %lld vs %lld", where, field, (long long)a, (long long)b);
}

static void cmp_order(const struct kt_order *a, const struct kt_order *b, const char *where)
{
	cmp_text(a->label, b->label, where, "label");
	cmp_text(a->finding, b->finding, where, "finding");
	cmp_id(a->source, b->source, where, "source");
	cmp_int(a->issued, b->issued, where, "issued");
	cmp_int(a->deadline, b->deadline, where, "deadline");
	cmp_text(a->deadline_text, b->deadline_text, where, "deadline_text");
	cmp_int((int64_t)a->n_changes, (int64_t)b->n_changes, where, "n_changes");
	for (size_t c = 0; c < a->n_changes; c++) {
		char at[500];
		snprintf(at, sizeof at, "%s change %zu", where, c);
		cmp_id(a->changes[c].source, b->changes[c].source, at, "source");
		cmp_int(a->changes[c].deadline, b->changes[c].deadline, at, "deadline");
		cmp_text(a->changes[c].deadline_text, b->changes[c].deadline_text, at,
			 "deadline_text");
		cmp_int(a->changes[c].retracted, b->changes[c].retracted, at, "retracted");
	}
	cmp_int(a->issued_precision, b->issued_precision, where, "issued_precision");
	cmp_int(a->status, b->status, where, "status");
	cmp_id(a->status_source, b->status_source, where, "status_source");
	cmp_int(a->status_date, b->status_date, where, "status_date");
	cmp_int(a->appealed, b->appealed, where, "appealed");
	cmp_id(a->appeal_source, b->appeal_source, where, "appeal_source");
	cmp_int(a->decided, b->decided, where, "decided");
	cmp_id(a->decision_source, b->decision_source, where, "decision_source");
	cmp_int(a->escalated, b->escalated, where, "escalated");
	cmp_id(a->escalation_source, b->escalation_source, where, "escalation_source");
	cmp_int(a->retracted, b->retracted, where, "retracted");
}

static void cmp_inspection(const struct kt_inspection *a, const struct kt_inspection *b,
			   const char *where)
{
	cmp_text(a->stream, b->stream, where, "stream");
	cmp_text(a->case_number, b->case_number, where, "case_number");
	cmp_text(a->authority, b->authority, where, "authority");
	cmp_text(a->unit, b->unit, where, "unit");
	cmp_text(a->law, b->law, where, "law");
	cmp_text(a->theme, b->theme, where, "theme");
	cmp_text(a->kind, b->kind, where, "kind");
	cmp_id(a->id, b->id, where, "id");
	cmp_int(a->date_from, b->date_from, where, "date_from");
	cmp_int(a->date_precision, b->date_precision, where, "date_precision");
	cmp_int(a->date_to, b->date_to, where, "date_to");
	cmp_int(a->report_year, b->report_year, where, "report_year");
	cmp_int((int64_t)a->version, (int64_t)b->version, where, "version");
	for (int k = 0; k < KT_STEPS; k++) {
		char at[400];
		snprintf(at, sizeof at, "%s step %d", where, k);
		cmp_int(a->steps[k].date, b->steps[k].date, at, "date");
		cmp_id(a->steps[k].source, b->steps[k].source, at, "source");
	}
	cmp_int(a->comment_deadline, b->comment_deadline, where, "comment_deadline");
	cmp_int(a->forced, b->forced, where, "forced");
	cmp_text(a->transferred_to, b->transferred_to, where, "transferred_to");
	cmp_id(a->transfer_source, b->transfer_source, where, "transfer_source");
	cmp_int(a->transfer_date, b->transfer_date, where, "transfer_date");
	cmp_int(a->responses, b->responses, where, "responses");
	cmp_int((int64_t)a->n_response_ids, (int64_t)b->n_response_ids, where, "n_response_ids");
	for (size_t k = 0; k < a->n_response_ids && k < b->n_response_ids; k++)
		cmp_id(a->response_ids[k], b->response_ids[k], where, "response_ids");
	cmp_int((int64_t)a->n_findings, (int64_t)b->n_findings, where, "n_findings");
	for (size_t k = 0; k < a->n_findings; k++) {
		const struct kt_finding *fa = &a->findings[k], *fb = &b->findings[k];
		char at[400];
		snprintf(at, sizeof at, "%s finding %zu", where, k);
		cmp_text(fa->label, fb->label, at, "label");
		cmp_int(fa->kind, fb->kind, at, "kind");
		cmp_id(fa->source, fb->source, at, "source");
		cmp_int(fa->waived, fb->waived, at, "waived");
		cmp_id(fa->waived_source, fb->waived_source, at, "waived_source");
		cmp_int(fa->retracted, fb->retracted, at, "retracted");
	}
	cmp_int((int64_t)a->n_orders, (int64_t)b->n_orders, where, "n_orders");
	for (size_t k = 0; k < a->n_orders; k++) {
		char at[400];
		snprintf(at, sizeof at, "%s order %zu", where, k);
		cmp_order(&a->orders[k], &b->orders[k], at);
	}
}

/* Every field of every inspection, finding, order and deadline change, and
 * the index: each stream found at its own item in both models. */
static void assert_models_equal(const struct kt_inspections *a, const struct kt_inspections *b,
				const char *what)
{
	if (a->n != b->n)
		fail_msg("%s: %zu inspections vs %zu", what, a->n, b->n);
	for (size_t k = 0; k < a->n; k++) {
		char where[300];
		snprintf(where, sizeof where, "%s: inspection %zu (%s)", what, k,
			 a->items[k].stream ? a->items[k].stream : "(null)");
		cmp_inspection(&a->items[k], &b->items[k], where);
		if (kt_inspections_find(a, a->items[k].stream) != &a->items[k] ||
		    kt_inspections_find(b, b->items[k].stream) != &b->items[k])
			fail_msg("%s: the index does not find its own item", where);
	}
}

/* ---- 1. every lifecycle path -------------------------------------------- */

static void test_inspections_lifecycle_paths(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m;
	const struct kt_inspection *in;
	const struct kt_order *o;
	uint8_t opened[16], notified[16], conducted[16], prelim[16], comments[16], final[16];
	uint8_t f1[16], f2[16], p1[16], p2[16], ext[16], app1[16], app2[16], app3[16], dec3[16];
	uint8_t esc[16], fulfil[16], closed[16], id[16];
	kt_inspections_init(&m);

	/* Krisesenteret: opened → … → closed, with every order step. */
	struct insp a = insp("T-2025-009");
	add(f, &a, KT_EV_INSPECTION_OPENED, opened,
	    "{'case_number': 'T-2025-009', 'authority': 'Arbeidstilsynet',"
	    " 'unit': 'Krisesenteret i Trondheim', 'law': 'Arbeidsmiljøloven',"
	    " 'theme': 'Arbeidsmiljø', 'kind': 'stedlig_tilsyn', 'date_from': '2025-05-21'}");
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	assert_ptr_equal(kt_inspections_by_case(&m, "T-2025-009"), in);
	assert_null(kt_inspections_by_case(&m, "T-2025-00"));
	assert_null(kt_inspections_find(&m, "inspection-T-2025-00"));
	expect_text(in->case_number, "T-2025-009", "case_number");
	expect_text(in->authority, "Arbeidstilsynet", "authority");
	expect_text(in->unit, "Krisesenteret i Trondheim", "unit");
	expect_text(in->law, "Arbeidsmiljøloven", "law");
	expect_text(in->theme, "Arbeidsmiljø", "theme");
	expect_text(in->kind, "stedlig_tilsyn", "kind");
	assert_id(in->id, opened);
	assert_true(in->date_from == day("2025-05-21"));
	assert_true(in->date_to == UNSET);
	for (int k = 0; k < KT_STEPS; k++)
		assert_true(in->steps[k].date == UNSET);
	assert_true(in->comment_deadline == UNSET);
	assert_int_equal(in->forced, 0);
	assert_null(in->transferred_to);
	assert_int_equal(in->responses, 0);
	assert_int_equal(in->n_findings, 0);
	assert_int_equal(in->n_orders, 0);
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);

	add(f, &a, KT_EV_INSPECTION_NOTIFIED, notified, "{'date': '2025-05-02'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ANNOUNCED, 0, 0, 0, 0, 0, 0);
	assert_true(in->steps[KT_STEP_NOTIFIED].date == day("2025-05-02"));
	assert_id(in->steps[KT_STEP_NOTIFIED].source, notified);

	add(f, &a, KT_EV_INSPECTION_CONDUCTED, conducted,
	    "{'date': '2025-05-21', 'mode': 'visit'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_true(in->steps[KT_STEP_CONDUCTED].date == day("2025-05-21"));
	assert_id(in->steps[KT_STEP_CONDUCTED].source, conducted);

	/* The report steps; the comment deadline is kept past them. */
	add(f, &a, KT_EV_REPORT_PRELIMINARY, prelim,
	    "{'date': '2025-06-10', 'comment_deadline': '2025-06-24', 'reference': '2025/4711-5'}");
	in = now_of(f, &m, &a);
	assert_true(in->steps[KT_STEP_PRELIMINARY].date == day("2025-06-10"));
	assert_id(in->steps[KT_STEP_PRELIMINARY].source, prelim);
	assert_true(in->comment_deadline == day("2025-06-24"));
	add(f, &a, KT_EV_REPORT_COMMENTS_SENT, comments,
	    "{'date': '2025-06-20', 'text': 'Merknader til faktagrunnlaget.'}");
	add(f, &a, KT_EV_REPORT_FINAL, final, "{'date': '2025-07-01'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_true(in->steps[KT_STEP_COMMENTS].date == day("2025-06-20"));
	assert_id(in->steps[KT_STEP_COMMENTS].source, comments);
	assert_true(in->steps[KT_STEP_FINAL].date == day("2025-07-01"));
	assert_id(in->steps[KT_STEP_FINAL].source, final);
	assert_true(in->comment_deadline == day("2025-06-24"));

	add(f, &a, KT_EV_FINDING_RECORDED, f1,
	    "{'date': '2025-07-01', 'finding': 'F1', 'kind': 'lovbrudd', 'text': "
	    "'Arbeidslokaler.'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_FINDINGS, 1, 0, 0, 0, 0, 0);
	assert_int_equal(in->n_findings, 1);
	assert_string_equal(finding(in, "F1")->label, "F1");
	assert_id(finding(in, "F1")->source, f1);
	assert_int_equal(finding(in, "F1")->waived, 0);
	assert_int_equal(finding(in, "F1")->retracted, 0);
	add(f, &a, KT_EV_FINDING_RECORDED, f2,
	    "{'date': '2025-07-01', 'finding': 'F2', 'kind': 'avvik', 'text': 'Sikring.'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_FINDINGS, 1, 1, 0, 0, 0, 0);

	/* P1 with a deadline, P2 without. */
	add(f, &a, KT_EV_ORDER_ISSUED, p1,
	    "{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'Tiltak.',"
	    " 'deadline': '2026-06-15', 'deadline_text': 'innen medio juni 2026',"
	    " 'deadline_precision': 'mid_month'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 1, 1, 0, 0, 1, 0);
	o = order(in, "P1");
	expect_order(o, KT_ORDER_OPEN, day("2026-06-15"));
	assert_string_equal(o->finding, "F1");
	assert_id(o->source, p1);
	assert_true(o->issued == day("2025-07-01"));
	assert_true(o->deadline == day("2026-06-15"));
	expect_text(o->deadline_text, "innen medio juni 2026", "deadline_text");
	assert_int_equal(o->n_changes, 0);
	assert_int_equal(o->appealed, 0);
	assert_int_equal(o->escalated, 0);
	assert_int_equal(o->retracted, 0);
	add(f, &a, KT_EV_ORDER_ISSUED, p2,
	    "{'date': '2025-07-01', 'order': 'P2', 'finding': 'F2', 'text': 'Sikring.'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 1, 1, 0, 0, 2, 0);
	o = order(in, "P2");
	expect_order(o, KT_ORDER_OPEN, UNSET);
	assert_null(o->deadline_text);
	assert_string_equal(o->finding, "F2");

	/* Extended: the new deadline; the one as issued stays. */
	add(f, &a, KT_EV_ORDER_DEADLINE_EXTENDED, ext,
	    "{'date': '2026-06-01', 'order': 'P1', 'deadline': '2026-09-30',"
	    " 'deadline_text': 'ultimo september 2026', 'deadline_precision': 'month',"
	    " 'reason': 'Byggingen er forsinket.'}");
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	expect_order(o, KT_ORDER_OPEN, day("2026-09-30"));
	assert_true(o->deadline == day("2026-06-15"));
	assert_int_equal(o->n_changes, 1);
	assert_id(o->changes[0].source, ext);
	assert_true(o->changes[0].deadline == day("2026-09-30"));
	assert_int_equal(o->changes[0].retracted, 0);
	/* The wording follows the deadline: the extension's now. */
	expect_text(kt_order_deadline_text(o), "ultimo september 2026", "deadline_text");
	expect_text(o->deadline_text, "innen medio juni 2026", "deadline_text as issued");

	/* Appealed, then upheld: nothing but the appeal flag changes. */
	add(f, &a, KT_EV_ORDER_APPEALED, app1,
	    "{'date': '2026-06-05', 'order': 'P1', 'text': 'Kommunen klager.', 'suspensive': "
	    "true}");
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	assert_int_equal(o->appealed, 1);
	assert_id(o->appeal_source, app1);
	expect_order(o, KT_ORDER_OPEN, day("2026-09-30"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 1, 1, 0, 0, 2, 0);
	add(f, &a, KT_EV_ORDER_APPEAL_DECIDED, NULL,
	    "{'date': '2026-07-01', 'order': 'P1', 'outcome': 'upheld', 'text': 'Opprettholdt.'}");
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	assert_int_equal(o->appealed, 0);
	expect_order(o, KT_ORDER_OPEN, day("2026-09-30"));
	assert_int_equal(o->n_changes, 1);

	/* Appealed again, changed with a new deadline. */
	add(f, &a, KT_EV_ORDER_APPEALED, app2,
	    "{'date': '2026-07-10', 'order': 'P1', 'text': 'Ny klage.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(order(in, "P1")->appealed, 1);
	assert_id(order(in, "P1")->appeal_source, app2);
	add(f, &a, KT_EV_ORDER_APPEAL_DECIDED, id,
	    "{'date': '2026-08-01', 'order': 'P1', 'outcome': 'changed',"
	    " 'decided_by': 'Direktoratet for arbeidstilsynet', 'text': 'Fristen endres.',"
	    " 'deadline': '2026-12-31', 'deadline_precision': 'year'}");
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	assert_int_equal(o->appealed, 0);
	expect_order(o, KT_ORDER_OPEN, day("2026-12-31"));
	assert_int_equal(o->n_changes, 2);
	assert_id(o->changes[1].source, id);
	assert_true(o->changes[1].deadline == day("2026-12-31"));
	assert_true(o->deadline == day("2026-06-15"));

	/* P2 appealed and annulled: done, not open. */
	add(f, &a, KT_EV_ORDER_APPEALED, app3,
	    "{'date': '2025-07-20', 'order': 'P2', 'text': 'Klage på P2.'}");
	add(f, &a, KT_EV_ORDER_APPEAL_DECIDED, dec3,
	    "{'date': '2025-10-01', 'order': 'P2', 'outcome': 'annulled', 'text': 'Opphevet.'}");
	in = now_of(f, &m, &a);
	o = order(in, "P2");
	expect_order(o, KT_ORDER_ANNULLED, UNSET);
	assert_int_equal(o->appealed, 0);
	assert_id(o->status_source, dec3);
	assert_true(o->status_date == day("2025-10-01"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 1, 1, 0, 0, 1, 1);

	add(f, &a, KT_EV_ORDER_ESCALATED, esc,
	    "{'date': '2027-01-05', 'order': 'P1', 'measure': 'tvangsmulkt', 'notice': true,"
	    " 'text': 'Varsel om tvangsmulkt.', 'amount': 5000}");
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	assert_int_equal(o->escalated, 1);
	expect_order(o, KT_ORDER_OPEN, day("2026-12-31"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 1, 1, 0, 0, 1, 1);

	add(f, &a, KT_EV_RESPONSE_REGISTERED, NULL,
	    "{'date': '2026-11-01', 'kind': 'action_plan', 'order': 'P1', 'text': 'Tiltaksplan.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->responses, 1);
	add(f, &a, KT_EV_RESPONSE_REGISTERED, NULL,
	    "{'date': '2026-11-02', 'kind': 'response', 'text': 'Svar på tilsynet.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->responses, 2);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 1, 1, 0, 0, 1, 1);

	add(f, &a, KT_EV_ORDER_FULFILLED, fulfil,
	    "{'date': '2027-02-01', 'order': 'P1', 'text': 'Vurdert som oppfylt.'}");
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	expect_order(o, KT_ORDER_FULFILLED, day("2026-12-31"));
	assert_id(o->status_source, fulfil);
	assert_true(o->status_date == day("2027-02-01"));
	expect_counts(in, KT_INSPECTION_FINDINGS, 1, 1, 0, 0, 0, 2);

	add(f, &a, KT_EV_INSPECTION_CLOSED, closed,
	    "{'date': '2027-02-01', 'text': 'Tilsynet er avsluttet.'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_CLOSED, 1, 1, 0, 0, 0, 2);
	assert_true(in->steps[KT_STEP_CLOSED].date == day("2027-02-01"));
	assert_id(in->steps[KT_STEP_CLOSED].source, closed);
	assert_int_equal(in->forced, 0);
	assert_null(in->transferred_to);
	assert_true(in->comment_deadline == day("2025-06-24"));
	assert_int_equal(in->responses, 2);
	assert_int_equal(in->version, 22);

	/* Lerkendal: no kind, a period; closed by force with an order open. */
	struct insp b = insp("T-2025-012");
	add(f, &b, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-012', 'authority': 'Statsforvalteren',"
	    " 'unit': 'Lerkendal BoA', 'law': 'Helse- og omsorgstjenesteloven',"
	    " 'theme': 'Systemrevisjon', 'date_from': '2025-06-16', 'date_to': '2025-06-18'}");
	add(f, &b, KT_EV_FINDING_RECORDED, NULL,
	    "{'date': '2025-09-01', 'date_precision': 'month', 'finding': 'F1', 'kind': 'avvik',"
	    " 'text': 'Mangler system.'}");
	add(f, &b, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-09-01', 'order': 'P1', 'kind': 'svarfrist', 'finding': 'F1',"
	    " 'text': 'Svar.', 'deadline': '2026-02-28', 'deadline_text': 'februar 2026',"
	    " 'deadline_precision': 'month'}");
	in = now_of(f, &m, &b);
	assert_null(in->kind);
	assert_true(in->date_to == day("2025-06-18"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 0, 1, 0);
	add(f, &b, KT_EV_INSPECTION_CLOSED, closed,
	    "{'date': '2026-03-01', 'forced': true, 'reason': 'Overført til ny sak.'}");
	in = now_of(f, &m, &b);
	expect_counts(in, KT_INSPECTION_CLOSED, 0, 1, 0, 0, 1, 0);
	assert_int_equal(in->forced, 1);
	assert_id(in->steps[KT_STEP_CLOSED].source, closed);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2026-02-28"));

	/* Statens vegvesen: notified, then transferred. */
	struct insp c = insp("T-2025-015");
	add(f, &c, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-015', 'authority': 'Statens vegvesen',"
	    " 'unit': 'Trondheim parkering', 'law': 'Parkeringsforskriften',"
	    " 'theme': 'Vilkårsparkering', 'date_from': '2025-07-02'}");
	add(f, &c, KT_EV_INSPECTION_NOTIFIED, NULL, "{'date': '2025-07-02'}");
	in = now_of(f, &m, &c);
	expect_counts(in, KT_INSPECTION_ANNOUNCED, 0, 0, 0, 0, 0, 0);
	add(f, &c, KT_EV_INSPECTION_TRANSFERRED, id,
	    "{'date': '2025-07-03', 'to': 'P-Norge AS', 'text': 'Overført.'}");
	in = now_of(f, &m, &c);
	expect_counts(in, KT_INSPECTION_TRANSFERRED, 0, 0, 0, 0, 0, 0);
	expect_text(in->transferred_to, "P-Norge AS", "transferred_to");
	assert_id(in->transfer_source, id);
	assert_true(in->transfer_date == day("2025-07-03"));
	assert_true(in->steps[KT_STEP_CLOSED].date == UNSET);

	/* Klæbu: no findings, then closed. */
	struct insp d = insp("T-2025-010");
	add(f, &d, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-010', 'authority': 'Arbeidstilsynet',"
	    " 'unit': 'Klæbu helse- og velferdssenter', 'law': 'Arbeidsmiljøloven',"
	    " 'theme': 'Arbeidsmiljø', 'kind': 'stedlig_tilsyn', 'date_from': '2025-06-04'}");
	add(f, &d, KT_EV_INSPECTION_CONDUCTED, NULL, "{'date': '2025-06-04', 'mode': 'visit'}");
	add(f, &d, KT_EV_FINDING_NONE, id, "{'date': '2025-06-04', 'text': 'Ingen brudd.'}");
	in = now_of(f, &m, &d);
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_true(in->steps[KT_STEP_NO_FINDINGS].date == day("2025-06-04"));
	assert_id(in->steps[KT_STEP_NO_FINDINGS].source, id);
	add(f, &d, KT_EV_INSPECTION_CLOSED, NULL,
	    "{'date': '2025-06-01', 'date_precision': 'month'}");
	in = now_of(f, &m, &d);
	expect_counts(in, KT_INSPECTION_CLOSED, 0, 0, 0, 0, 0, 0);
	assert_int_equal(in->forced, 0);

	/* Arkivverket: requirements waived, an order's and a finding's. */
	struct insp e = insp("T-2025-004");
	add(f, &e, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-004', 'authority': 'Arkivverket',"
	    " 'unit': 'Trondheim digital', 'law': 'Arkivloven', 'theme': 'Arkivhold',"
	    " 'date_from': '2025-03-20'}");
	add(f, &e, KT_EV_FINDING_RECORDED, NULL,
	    "{'date': '2025-03-20', 'finding': 'F1', 'kind': 'avvik', 'text': 'Feil status.'}");
	add(f, &e, KT_EV_FINDING_RECORDED, NULL,
	    "{'date': '2025-03-20', 'finding': 'F2', 'kind': 'forbedringspunkt', 'text': "
	    "'Rutiner.'}");
	add(f, &e, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-03-20', 'order': 'P1', 'kind': 'krav_om_opplysninger',"
	    " 'text': 'Opplysninger.', 'deadline': '2025-04-30'}");
	add(f, &e, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-03-20', 'order': 'P2', 'finding': 'F1', 'text': 'Rydd opp.'}");
	in = now_of(f, &m, &e);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 1, 2, 0);
	assert_string_equal(order(in, "P1")->finding, "");
	add(f, &e, KT_EV_REQUIREMENT_WAIVED, id,
	    "{'date': '2025-04-01', 'order': 'P1', 'reason': 'Ikke lenger nødvendig.'}");
	in = now_of(f, &m, &e);
	o = order(in, "P1");
	expect_order(o, KT_ORDER_WAIVED, day("2025-04-30"));
	assert_id(o->status_source, id);
	assert_true(o->status_date == day("2025-04-01"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 1, 1, 1);
	add(f, &e, KT_EV_REQUIREMENT_WAIVED, id,
	    "{'date': '2025-04-02', 'finding': 'F1', 'reason': 'Frafalt kravet om opprydding.'}");
	in = now_of(f, &m, &e);
	assert_int_equal(finding(in, "F1")->waived, 1);
	assert_id(finding(in, "F1")->waived_source, id);
	assert_int_equal(finding(in, "F2")->waived, 0);
	/* A waived finding still counts; its order stays as it is. */
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 1, 1, 1);
	add(f, &e, KT_EV_REQUIREMENT_WAIVED, NULL,
	    "{'date': '2025-04-03', 'order': 'P2', 'reason': 'Frafalt.'}");
	in = now_of(f, &m, &e);
	expect_order(order(in, "P2"), KT_ORDER_WAIVED, UNSET);
	expect_counts(in, KT_INSPECTION_FINDINGS, 0, 1, 0, 1, 0, 2);

	/* All five, in the order they were opened, each found by case. */
	view(f, MAX, MAX, &m);
	assert_int_equal(m.n, 5);
	const char *cases[] = { "T-2025-009", "T-2025-012", "T-2025-015", "T-2025-010",
				"T-2025-004" };
	for (size_t k = 0; k < 5; k++) {
		assert_string_equal(m.items[k].case_number, cases[k]);
		assert_ptr_equal(kt_inspections_by_case(&m, cases[k]), &m.items[k]);
	}
	expect_counts(&m.items[0], KT_INSPECTION_CLOSED, 1, 1, 0, 0, 0, 2);
	kt_inspections_free(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.items);
}

/* The text names the listings print. */
static void test_inspections_names(void **state)
{
	(void)state;
	assert_string_equal(kt_inspection_status_name(KT_INSPECTION_ANNOUNCED), "announced");
	assert_string_equal(kt_inspection_status_name(KT_INSPECTION_OPEN), "open");
	assert_string_equal(kt_inspection_status_name(KT_INSPECTION_FINDINGS), "findings");
	assert_string_equal(kt_inspection_status_name(KT_INSPECTION_ORDERS_OPEN), "orders open");
	assert_string_equal(kt_inspection_status_name(KT_INSPECTION_CLOSED), "closed");
	assert_string_equal(kt_inspection_status_name(KT_INSPECTION_TRANSFERRED), "transferred");
	assert_string_equal(kt_order_status_name(KT_ORDER_OPEN), "open");
	assert_string_equal(kt_order_status_name(KT_ORDER_FULFILLED), "fulfilled");
	assert_string_equal(kt_order_status_name(KT_ORDER_WAIVED), "waived");
	assert_string_equal(kt_order_status_name(KT_ORDER_ANNULLED), "annulled");
	assert_string_equal(kt_finding_kind_name(KT_FINDING_LOVBRUDD), "lovbrudd");
	assert_string_equal(kt_finding_kind_name(KT_FINDING_AVVIK), "avvik");
	assert_string_equal(kt_finding_kind_name(KT_FINDING_MERKNAD), "merknad");
	assert_string_equal(kt_finding_kind_name(KT_FINDING_FORBEDRINGSPUNKT), "forbedringspunkt");
}

/* ---- 2. corrections and retractions ------------------------------------- */

/* The event with this id is still in the log with its original type and the
 * text field as first written. */
static void expect_original(struct fx *f, const uint8_t id[16], const char *type, const char *field,
			    const char *value)
{
	kt_reader *r;
	struct kt_event ev;
	const char *s;
	size_t n;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_reader_get_by_id(r, id, &ev), KT_OK);
	if (ev.type_len != strlen(type) || memcmp(ev.type, type, ev.type_len) != 0)
		fail_msg("%s: type %.*s, want %s", idt(id).s, (int)ev.type_len, ev.type, type);
	assert_int_equal(kt_data_get_str(ev.data, ev.data_len, field, &s, &n), KT_OK);
	if (n != strlen(value) || memcmp(s, value, n) != 0)
		fail_msg("%s: %s '%.*s', want '%s'", idt(id).s, field, (int)n, s, value);
	kt_reader_end(r);
}

static void test_inspections_corrections_and_retractions(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m, before;
	const struct kt_inspection *in;
	const struct kt_order *o;
	uint8_t opened[16], f1[16], f2[16], p1[16], p2[16], e1[16], e2[16], ful[16], r1[16];
	uint8_t closed[16], tr[16], closed2[16], unknown[16];
	kt_inspections_init(&m);
	kt_inspections_init(&before);

	struct insp a = insp("T-2025-020");
	add(f, &a, KT_EV_INSPECTION_OPENED, opened,
	    "{'case_number': 'T-2025-020', 'authority': 'Arbeidstilsynet', 'unit': 'Enhet A',"
	    " 'law': 'Lov A', 'theme': 'Tema A', 'kind': 'stedlig_tilsyn',"
	    " 'date_from': '2025-03-01'}");

	/* inspection.opened corrected: the header is the replacement's, whole
	 * (kind, absent from it, is gone); the inspection keeps its id. */
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.opened', 'reason': 'Feil enhet.',"
	    " 'data': {'case_number': 'T-2025-021', 'authority': 'Statsforvalteren',"
	    " 'unit': 'Enhet B', 'law': 'Lov B', 'theme': 'Tema B', 'date_from': '2025-03-02',"
	    " 'date_to': '2025-03-05'}}",
	    idt(opened).s);
	in = now_of(f, &m, &a);
	expect_text(in->case_number, "T-2025-021", "case_number");
	expect_text(in->authority, "Statsforvalteren", "authority");
	expect_text(in->unit, "Enhet B", "unit");
	expect_text(in->law, "Lov B", "law");
	expect_text(in->theme, "Tema B", "theme");
	assert_null(in->kind);
	assert_true(in->date_from == day("2025-03-02"));
	assert_true(in->date_to == day("2025-03-05"));
	assert_id(in->id, opened);
	assert_ptr_equal(kt_inspections_by_case(&m, "T-2025-021"), in);
	assert_null(kt_inspections_by_case(&m, "T-2025-020"));
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);

	/* finding.recorded corrected: the kind changes, the label stays. */
	add(f, &a, KT_EV_FINDING_RECORDED, f1,
	    "{'date': '2025-03-02', 'finding': 'F1', 'kind': 'lovbrudd', 'text': 'Brudd.'}");
	add(f, &a, KT_EV_FINDING_RECORDED, f2,
	    "{'date': '2025-03-02', 'finding': 'F2', 'kind': 'avvik', 'text': 'Avvik.'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_FINDINGS, 1, 1, 0, 0, 0, 0);
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'finding.recorded', 'reason': 'Feil funntype.',"
	    " 'data': {'date': '2025-03-02', 'finding': 'F1', 'kind': 'merknad',"
	    " 'text': 'Merknad.'}}",
	    idt(f1).s);
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_FINDINGS, 0, 1, 1, 0, 0, 0);
	assert_int_equal(in->n_findings, 2);
	assert_string_equal(in->findings[0].label, "F1");
	assert_int_equal(in->findings[0].kind, KT_FINDING_MERKNAD);
	assert_id(in->findings[0].source, f1);
	assert_int_equal(in->findings[0].retracted, 0);

	/* A finding retracted is kept, marked, and no longer counted. */
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'finding.recorded', 'reason': 'Feil tilsyn.'}",
	    idt(f2).s);
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_FINDINGS, 0, 0, 1, 0, 0, 0);
	assert_int_equal(in->n_findings, 2);
	assert_int_equal(finding(in, "F2")->retracted, 1);
	assert_int_equal(finding(in, "F1")->retracted, 0);

	/* order.issued corrected: the deadline (and its wording) change. */
	add(f, &a, KT_EV_ORDER_ISSUED, p1,
	    "{'date': '2025-03-10', 'order': 'P1', 'finding': 'F1', 'text': 'Rett.',"
	    " 'deadline': '2025-06-30', 'deadline_text': 'innen 30. juni 2025'}");
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2025-06-30"));
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'order.issued', 'reason': 'Feil frist.',"
	    " 'data': {'date': '2025-03-10', 'order': 'P1', 'finding': 'F1', 'text': 'Rett.',"
	    " 'deadline': '2025-08-31', 'deadline_text': 'august 2025',"
	    " 'deadline_precision': 'month'}}",
	    idt(p1).s);
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	expect_order(o, KT_ORDER_OPEN, day("2025-08-31"));
	assert_true(o->deadline == day("2025-08-31"));
	expect_text(o->deadline_text, "august 2025", "deadline_text");
	assert_id(o->source, p1);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 0, 1, 0, 1, 0);

	/* An order retracted: kept, marked, not counted. */
	add(f, &a, KT_EV_ORDER_ISSUED, p2,
	    "{'date': '2025-03-10', 'order': 'P2', 'finding': 'F1', 'text': 'Mer.'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 0, 1, 0, 2, 0);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.issued', 'reason': 'Dobbelt ført.'}",
	    idt(p2).s);
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 0, 1, 0, 1, 0);
	assert_int_equal(order(in, "P2")->retracted, 1);
	assert_int_equal(order(in, "P1")->retracted, 0);

	/* Extensions retracted: the deadline falls back one step at a time. */
	add(f, &a, KT_EV_ORDER_DEADLINE_EXTENDED, e1,
	    "{'date': '2025-08-01', 'order': 'P1', 'deadline': '2025-10-31', 'reason': 'Utsatt.'}");
	add(f, &a, KT_EV_ORDER_DEADLINE_EXTENDED, e2,
	    "{'date': '2025-10-01', 'order': 'P1', 'deadline': '2025-12-31', 'reason': 'Igjen.'}");
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2025-12-31"));
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.deadline_extended', 'reason': 'Feil.'}",
	    idt(e2).s);
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	expect_order(o, KT_ORDER_OPEN, day("2025-10-31"));
	assert_int_equal(o->n_changes, 2);
	assert_int_equal(o->changes[1].retracted, 1);
	/* Given as a plain date, the extension has no wording. */
	assert_null(kt_order_deadline_text(o));
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.deadline_extended', 'reason': 'Feil.'}",
	    idt(e1).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2025-08-31"));

	/* order.fulfilled retracted: the order is open again. */
	add(f, &a, KT_EV_ORDER_FULFILLED, ful, "{'date': '2025-09-01', 'order': 'P1'}");
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_FULFILLED, day("2025-08-31"));
	expect_counts(in, KT_INSPECTION_FINDINGS, 0, 0, 1, 0, 0, 1);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.fulfilled', 'reason': 'Ikke bekreftet.'}",
	    idt(ful).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2025-08-31"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 0, 1, 0, 1, 0);

	/* A response retracted: one fewer. */
	add(f, &a, KT_EV_RESPONSE_REGISTERED, r1,
	    "{'date': '2025-09-05', 'kind': 'response', 'order': 'P1', 'text': 'Svar.'}");
	add(f, &a, KT_EV_RESPONSE_REGISTERED, NULL,
	    "{'date': '2025-09-06', 'kind': 'account', 'finding': 'F1', 'text': 'Redegjørelse.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->responses, 2);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'response.registered', 'reason': 'Feil sak.'}",
	    idt(r1).s);
	in = now_of(f, &m, &a);
	assert_int_equal(in->responses, 1);

	/* inspection.closed retracted: open again, not closed. */
	add(f, &a, KT_EV_INSPECTION_CLOSED, closed,
	    "{'date': '2025-12-01', 'forced': true, 'reason': 'Avsluttet av tilsynet.'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_CLOSED, 0, 0, 1, 0, 1, 0);
	assert_int_equal(in->forced, 1);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.closed', 'reason': 'For tidlig.'}",
	    idt(closed).s);
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 0, 1, 0, 1, 0);
	assert_true(in->steps[KT_STEP_CLOSED].date == UNSET);
	assert_int_equal(in->forced, 0);

	/* inspection.closed corrected: forced or not is the replacement's. */
	add(f, &a, KT_EV_INSPECTION_CLOSED, closed2,
	    "{'date': '2025-12-02', 'forced': true, 'reason': 'Avsluttet med pålegg åpent.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(in->forced, 1);
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.closed', 'reason': 'Ikke tvunget.',"
	    " 'data': {'date': '2025-12-03'}}",
	    idt(closed2).s);
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_CLOSED, 0, 0, 1, 0, 1, 0);
	assert_true(in->steps[KT_STEP_CLOSED].date == day("2025-12-03"));
	assert_int_equal(in->forced, 0);
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.closed', 'reason': 'Likevel tvunget.',"
	    " 'data': {'date': '2025-12-04', 'forced': true, 'reason': 'Pålegg åpent.'}}",
	    idt(closed2).s);
	in = now_of(f, &m, &a);
	assert_true(in->steps[KT_STEP_CLOSED].date == day("2025-12-04"));
	assert_int_equal(in->forced, 1);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.closed', 'reason': 'For tidlig.'}",
	    idt(closed2).s);

	/* inspection.transferred retracted: back to where it was. */
	add(f, &a, KT_EV_INSPECTION_TRANSFERRED, tr, "{'date': '2025-12-10', 'to': 'P-Norge AS'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_TRANSFERRED, 0, 0, 1, 0, 1, 0);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.transferred', 'reason': 'Ikke overført.'}",
	    idt(tr).s);
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 0, 1, 0, 1, 0);
	assert_null(in->transferred_to);

	/* A correction or retraction naming an id that is no event of the
	 * inspection changes nothing but the version seen. */
	view(f, MAX, MAX, &before);
	assert_int_equal(kt_id_generate(unknown), KT_OK);
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'finding.recorded', 'reason': 'Ukjent.',"
	    " 'data': {'date': '2025-03-02', 'finding': 'F1', 'kind': 'avvik', 'text': 'X.'}}",
	    idt(unknown).s);
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'order.issued', 'reason': 'Ukjent.',"
	    " 'data': {'date': '2025-03-10', 'order': 'P1', 'finding': 'F1', 'text': 'X.',"
	    " 'deadline': '2030-01-01'}}",
	    idt(unknown).s);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.issued', 'reason': 'Ukjent.'}", idt(unknown).s);
	view(f, MAX, MAX, &m);
	assert_int_equal(before.n, 1);
	assert_int_equal(m.items[0].version, before.items[0].version + 3);
	before.items[0].version = m.items[0].version;
	assert_models_equal(&m, &before, "after revisions of an unknown id");

	/* The originals are all still in the log, as first written. */
	expect_original(f, opened, KT_EV_INSPECTION_OPENED, "authority", "Arbeidstilsynet");
	expect_original(f, f1, KT_EV_FINDING_RECORDED, "kind", "lovbrudd");
	expect_original(f, f2, KT_EV_FINDING_RECORDED, "finding", "F2");
	expect_original(f, p1, KT_EV_ORDER_ISSUED, "deadline", "2025-06-30");
	expect_original(f, p2, KT_EV_ORDER_ISSUED, "order", "P2");
	expect_original(f, e1, KT_EV_ORDER_DEADLINE_EXTENDED, "deadline", "2025-10-31");
	expect_original(f, e2, KT_EV_ORDER_DEADLINE_EXTENDED, "deadline", "2025-12-31");
	expect_original(f, ful, KT_EV_ORDER_FULFILLED, "order", "P1");
	expect_original(f, r1, KT_EV_RESPONSE_REGISTERED, "text", "Svar.");
	expect_original(f, closed, KT_EV_INSPECTION_CLOSED, "reason", "Avsluttet av tilsynet.");
	expect_original(f, tr, KT_EV_INSPECTION_TRANSFERRED, "to", "P-Norge AS");
	kt_reader *r;
	kt_iter *it;
	struct kt_event ev;
	uint64_t n = 0;
	int rc;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_iter_stream(r, a.stream, 0, &it), KT_OK);
	while ((rc = kt_iter_next(it, &ev)) == 0)
		assert_int_equal(ev.version, ++n);
	assert_int_equal(rc, KT_ENOTFOUND);
	assert_int_equal(n, a.version);
	kt_iter_free(it);
	kt_reader_end(r);

	kt_inspections_free(&m);
	kt_inspections_free(&before);
}

/* Retractions and corrections of the other facts: steps, appeals, waivers. */
static void test_inspections_revisions_of_steps_and_order_states(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m;
	const struct kt_inspection *in;
	uint8_t notified[16], prelim[16], none[16], app[16], dec[16], wo[16], wf[16], ext[16];
	kt_inspections_init(&m);

	struct insp a = insp("T-2025-030");
	add(f, &a, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-030', 'authority': 'Statsforvalteren', 'unit': 'Oppvekst',"
	    " 'law': 'Opplæringsloven', 'theme': 'Lærernorm', 'date_from': '2024-01-01',"
	    " 'date_precision': 'year'}");
	add(f, &a, KT_EV_INSPECTION_NOTIFIED, notified, "{'date': '2025-02-01'}");
	in = now_of(f, &m, &a);
	expect_counts(in, KT_INSPECTION_ANNOUNCED, 0, 0, 0, 0, 0, 0);
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.notified', 'reason': 'Dato.',"
	    " 'data': {'date': '2025-02-03'}}",
	    idt(notified).s);
	in = now_of(f, &m, &a);
	assert_true(in->steps[KT_STEP_NOTIFIED].date == day("2025-02-03"));
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.notified', 'reason': 'Feil.'}",
	    idt(notified).s);
	in = now_of(f, &m, &a);
	assert_true(in->steps[KT_STEP_NOTIFIED].date == UNSET);
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);

	/* The preliminary report corrected: a new comment deadline; retracted:
	 * none. */
	add(f, &a, KT_EV_REPORT_PRELIMINARY, prelim,
	    "{'date': '2025-03-01', 'comment_deadline': '2025-03-15'}");
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'report.preliminary', 'reason': 'Frist.',"
	    " 'data': {'date': '2025-03-01', 'comment_deadline': '2025-03-29'}}",
	    idt(prelim).s);
	in = now_of(f, &m, &a);
	assert_true(in->comment_deadline == day("2025-03-29"));
	assert_true(in->steps[KT_STEP_PRELIMINARY].date == day("2025-03-01"));
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'report.preliminary', 'reason': 'Feil.'}",
	    idt(prelim).s);
	in = now_of(f, &m, &a);
	assert_true(in->comment_deadline == UNSET);
	assert_true(in->steps[KT_STEP_PRELIMINARY].date == UNSET);

	add(f, &a, KT_EV_FINDING_NONE, none, "{'date': '2025-03-05'}");
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'finding.none', 'reason': 'Det var funn.'}",
	    idt(none).s);
	add(f, &a, KT_EV_FINDING_RECORDED, NULL,
	    "{'date': '2025-03-05', 'finding': 'F1', 'kind': 'avvik', 'text': 'Avvik.'}");
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-03-05', 'order': 'P1', 'finding': 'F1', 'text': 'Rett.',"
	    " 'deadline': '2025-05-01'}");
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-03-05', 'order': 'P2', 'finding': 'F1', 'text': 'Rett mer.'}");
	in = now_of(f, &m, &a);
	assert_true(in->steps[KT_STEP_NO_FINDINGS].date == UNSET);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 0, 2, 0);

	/* An appeal retracted: no longer pending. */
	add(f, &a, KT_EV_ORDER_APPEALED, app,
	    "{'date': '2025-03-10', 'order': 'P1', 'text': 'K.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(order(in, "P1")->appealed, 1);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.appealed', 'reason': 'Trukket.'}", idt(app).s);
	in = now_of(f, &m, &a);
	assert_int_equal(order(in, "P1")->appealed, 0);

	/* An annulling decision retracted: the order is open again. */
	add(f, &a, KT_EV_ORDER_APPEALED, NULL,
	    "{'date': '2025-03-11', 'order': 'P1', 'text': 'Klage.'}");
	add(f, &a, KT_EV_ORDER_APPEAL_DECIDED, dec,
	    "{'date': '2025-04-01', 'order': 'P1', 'outcome': 'annulled', 'text': 'Opphevet.'}");
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_ANNULLED, day("2025-05-01"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 0, 1, 1);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.appeal_decided', 'reason': 'Feil sak.'}",
	    idt(dec).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2025-05-01"));
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 0, 2, 0);

	/* An extension corrected: its new date is the deadline. */
	add(f, &a, KT_EV_ORDER_DEADLINE_EXTENDED, ext,
	    "{'date': '2025-04-10', 'order': 'P1', 'deadline': '2025-06-01', 'reason': 'U.'}");
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'order.deadline_extended', 'reason': 'Dato.',"
	    " 'data': {'date': '2025-04-10', 'order': 'P1', 'deadline': '2025-07-01',"
	    " 'reason': 'U.'}}",
	    idt(ext).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2025-07-01"));

	/* Waivers corrected (a new date) and retracted (the requirement back). */
	add(f, &a, KT_EV_REQUIREMENT_WAIVED, wo,
	    "{'date': '2025-05-01', 'order': 'P2', 'reason': 'Frafalt.'}");
	add(f, &a, KT_EV_REQUIREMENT_WAIVED, wf,
	    "{'date': '2025-05-01', 'finding': 'F1', 'reason': 'Frafalt.'}");
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'requirement.waived', 'reason': 'Dato.',"
	    " 'data': {'date': '2025-05-02', 'order': 'P2', 'reason': 'Frafalt.'}}",
	    idt(wo).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P2"), KT_ORDER_WAIVED, UNSET);
	assert_true(order(in, "P2")->status_date == day("2025-05-02"));
	assert_int_equal(finding(in, "F1")->waived, 1);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 0, 1, 1);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'requirement.waived', 'reason': 'Feil.'}", idt(wo).s);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'requirement.waived', 'reason': 'Feil.'}", idt(wf).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P2"), KT_ORDER_OPEN, UNSET);
	assert_int_equal(finding(in, "F1")->waived, 0);
	expect_counts(in, KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 0, 2, 0);
	kt_inspections_free(&m);
}

/* An appeal decision, an escalation and a response each remember the event
 * that stated them: corrections and retractions reach exactly that fact. */
static void test_inspections_revisions_of_decisions_escalations_and_responses(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m;
	const struct kt_inspection *in;
	const struct kt_order *o;
	uint8_t dec[16], esc[16], r1[16], r2[16];
	kt_inspections_init(&m);

	struct insp a = insp("T-2025-040");
	add(f, &a, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-040', 'authority': 'Arbeidstilsynet', 'unit': 'Lade',"
	    " 'law': 'Arbeidsmiljøloven', 'theme': 'MSK', 'date_from': '2025-06-13'}");
	add(f, &a, KT_EV_FINDING_RECORDED, NULL,
	    "{'date': '2025-06-13', 'finding': 'F1', 'kind': 'lovbrudd', 'text': 'L.'}");
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-06-13', 'order': 'P1', 'finding': 'F1', 'text': 'Rett.',"
	    " 'deadline': '2025-08-01'}");
	add(f, &a, KT_EV_ORDER_APPEALED, NULL,
	    "{'date': '2025-06-20', 'order': 'P1', 'text': 'Klage.'}");
	add(f, &a, KT_EV_ORDER_APPEAL_DECIDED, dec,
	    "{'date': '2025-07-01', 'order': 'P1', 'outcome': 'changed', 'text': 'Endret.',"
	    " 'deadline': '2025-09-01'}");
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	expect_order(o, KT_ORDER_OPEN, day("2025-09-01"));
	assert_int_equal(o->appealed, 0);
	assert_int_equal(o->decided, 1);

	/* Corrected to an annulment: the order ends, the decision's deadline goes. */
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'order.appeal_decided', 'reason': 'Feil utfall.',"
	    " 'data': {'date': '2025-07-01', 'order': 'P1', 'outcome': 'annulled',"
	    " 'text': 'Opphevet.'}}",
	    idt(dec).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_ANNULLED, day("2025-08-01"));
	/* Corrected again, to upheld: the order is open again. */
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'order.appeal_decided', 'reason': 'Opprettholdt.',"
	    " 'data': {'date': '2025-07-01', 'order': 'P1', 'outcome': 'upheld',"
	    " 'text': 'Opprettholdt.'}}",
	    idt(dec).s);
	in = now_of(f, &m, &a);
	expect_order(order(in, "P1"), KT_ORDER_OPEN, day("2025-08-01"));
	/* Retracted: the appeal is pending again. */
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.appeal_decided', 'reason': 'Feil sak.'}",
	    idt(dec).s);
	in = now_of(f, &m, &a);
	o = order(in, "P1");
	assert_int_equal(o->appealed, 1);
	assert_int_equal(o->decided, 0);

	add(f, &a, KT_EV_ORDER_ESCALATED, esc,
	    "{'date': '2025-08-10', 'order': 'P1', 'measure': 'tvangsmulkt', 'text': 'T.'}");
	assert_int_equal(order(now_of(f, &m, &a), "P1")->escalated, 1);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.escalated', 'reason': 'Feil.'}", idt(esc).s);
	assert_int_equal(order(now_of(f, &m, &a), "P1")->escalated, 0);

	add(f, &a, KT_EV_RESPONSE_REGISTERED, r1,
	    "{'date': '2025-08-11', 'kind': 'action_plan', 'text': 'Plan.'}");
	add(f, &a, KT_EV_RESPONSE_REGISTERED, r2,
	    "{'date': '2025-08-12', 'kind': 'response', 'text': 'Svar.'}");
	assert_int_equal(now_of(f, &m, &a)->responses, 2);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'response.registered', 'reason': 'Feil.'}", idt(r1).s);
	assert_int_equal(now_of(f, &m, &a)->responses, 1);
	/* The same response twice, or an id that is none, takes nothing more. */
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'response.registered', 'reason': 'Igjen.'}",
	    idt(r1).s);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'response.registered', 'reason': 'Ukjent.'}",
	    idt(dec).s);
	in = now_of(f, &m, &a);
	assert_int_equal(in->responses, 1);
	assert_memory_equal(in->response_ids[0], r2, 16);
	kt_inspections_free(&m);
}

/* ---- 3. as-of and known-at ---------------------------------------------- */

static void test_inspections_as_of_and_known_at(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m;
	const struct kt_inspection *in;
	uint8_t f1[16];
	kt_inspections_init(&m);
	struct insp a = insp("T-2025-009");

	f->now = day("2025-05-22") - SEC;
	add(f, &a, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-009', 'authority': 'Arbeidstilsynet',"
	    " 'unit': 'Krisesenteret i Trondheim', 'law': 'Arbeidsmiljøloven',"
	    " 'theme': 'Arbeidsmiljø', 'date_from': '2025-05-21'}");
	/* An order dated 2025-06-20, recorded the next day. */
	f->now = day("2025-06-21") - SEC;
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-06-20', 'order': 'P1', 'kind': 'svarfrist', 'text': 'Svar.',"
	    " 'deadline': '2025-08-01'}");
	/* The finding: effective 2025-06-05, recorded 2025-07-01. */
	f->now = day("2025-07-01") - SEC;
	add(f, &a, KT_EV_FINDING_RECORDED, f1,
	    "{'date': '2025-06-05', 'finding': 'F1', 'kind': 'lovbrudd', 'text': 'Brudd.'}");
	/* Corrected on 2025-08-01 (effective: the finding's). */
	f->now = day("2025-08-01") - SEC;
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'finding.recorded', 'reason': 'Feil type.',"
	    " 'data': {'date': '2025-06-05', 'finding': 'F1', 'kind': 'avvik', 'text': 'Avvik.'}}",
	    idt(f1).s);

	/* as-of 2025-06-10: the finding (as corrected), not the order. */
	view(f, MAX, end_of("2025-06-10"), &m);
	assert_int_equal(m.n, 1);
	in = &m.items[0];
	expect_counts(in, KT_INSPECTION_FINDINGS, 0, 1, 0, 0, 0, 0);
	assert_int_equal(in->n_findings, 1);
	assert_int_equal(in->n_orders, 0);
	assert_int_equal(in->version, 4);

	/* known-at 2025-06-20: neither the finding nor the order was recorded. */
	view(f, end_of("2025-06-20"), MAX, &m);
	assert_int_equal(m.n, 1);
	in = &m.items[0];
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_int_equal(in->n_findings, 0);
	assert_int_equal(in->version, 1);

	/* Both axes: known-at 2025-06-20 and as-of 2025-06-10, nothing either. */
	view(f, end_of("2025-06-20"), end_of("2025-06-10"), &m);
	assert_int_equal(m.n, 1);
	expect_counts(&m.items[0], KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_int_equal(m.items[0].n_findings, 0);

	/* known-at 2025-07-15 (before the correction), as-of 2025-06-10: the
	 * finding as first recorded. */
	view(f, day("2025-07-15"), end_of("2025-06-10"), &m);
	expect_counts(&m.items[0], KT_INSPECTION_FINDINGS, 1, 0, 0, 0, 0, 0);
	assert_int_equal(m.items[0].n_orders, 0);

	/* known-at the very µs the finding was recorded. */
	view(f, day("2025-07-01"), end_of("2025-06-10"), &m);
	expect_counts(&m.items[0], KT_INSPECTION_FINDINGS, 1, 0, 0, 0, 0, 0);
	view(f, day("2025-07-01") - 1, end_of("2025-06-10"), &m);
	expect_counts(&m.items[0], KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);

	/* known-at 2025-06-21: the order, and not the finding. */
	view(f, end_of("2025-06-21"), MAX, &m);
	expect_counts(&m.items[0], KT_INSPECTION_ORDERS_OPEN, 0, 0, 0, 0, 1, 0);
	assert_int_equal(m.items[0].n_findings, 0);

	/* as-of 2025-06-04: before the finding's day. */
	view(f, MAX, end_of("2025-06-04"), &m);
	expect_counts(&m.items[0], KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_true(m.items[0].date_from == day("2025-05-21"));

	/* Now: everything, as corrected. */
	view(f, MAX, MAX, &m);
	expect_counts(&m.items[0], KT_INSPECTION_ORDERS_OPEN, 0, 1, 0, 0, 1, 0);

	/* Before the inspection's day, or before it was recorded: no inspection. */
	view(f, MAX, end_of("2025-05-20"), &m);
	assert_int_equal(m.n, 0);
	assert_null(kt_inspections_find(&m, a.stream));
	view(f, day("2025-05-21"), MAX, &m);
	assert_int_equal(m.n, 0);
	kt_inspections_free(&m);
}

/* ---- 4. the snapshot encoding ------------------------------------------ */

/* Five inspections with corrections, retractions, transfers, and texts both
 * present and absent (kind, deadline wording, transferred_to). */
static void rich_story(struct fx *f)
{
	uint8_t opened[16], f1[16], f2[16], p4[16], ext[16], resp[16], tr[16], closed[16];
	struct insp a = insp("T-2025-050");
	add(f, &a, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-050', 'authority': 'Arbeidstilsynet', 'unit': 'Enhet A',"
	    " 'law': 'Arbeidsmiljøloven', 'theme': 'Tema', 'date_from': '2025-02-01',"
	    " 'date_precision': 'month'}");
	add(f, &a, KT_EV_INSPECTION_NOTIFIED, NULL, "{'date': '2025-01-15'}");
	add(f, &a, KT_EV_INSPECTION_CONDUCTED, NULL, "{'date': '2025-02-01', 'mode': 'meeting'}");
	add(f, &a, KT_EV_REPORT_PRELIMINARY, NULL,
	    "{'date': '2025-02-10', 'comment_deadline': '2025-02-24'}");
	add(f, &a, KT_EV_FINDING_RECORDED, f1,
	    "{'date': '2025-02-10', 'finding': 'F1', 'kind': 'lovbrudd', 'text': 'A.'}");
	add(f, &a, KT_EV_FINDING_RECORDED, f2,
	    "{'date': '2025-02-10', 'finding': 'F2', 'kind': 'avvik', 'text': 'B.'}");
	add(f, &a, KT_EV_FINDING_RECORDED, NULL,
	    "{'date': '2025-02-10', 'finding': 'F3', 'kind': 'merknad', 'text': 'C.'}");
	add(f, &a, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'finding.recorded', 'reason': 'Type.',"
	    " 'data': {'date': '2025-02-10', 'finding': 'F1', 'kind': 'forbedringspunkt',"
	    " 'text': 'A.'}}",
	    idt(f1).s);
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'finding.recorded', 'reason': 'Feil.'}", idt(f2).s);
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-02-10', 'order': 'P1', 'finding': 'F1', 'text': 'Rett.',"
	    " 'deadline': '2025-06-15', 'deadline_text': 'medio juni',"
	    " 'deadline_precision': 'mid_month'}");
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-02-10', 'date_precision': 'on_or_before', 'date_text': 'udatert',"
	    " 'order': 'P2', 'finding': 'F3', 'text': 'Rett.'}");
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-02-10', 'order': 'P3', 'kind': 'svarfrist', 'text': 'Svar.',"
	    " 'deadline': '2025-03-01'}");
	add(f, &a, KT_EV_ORDER_ISSUED, p4,
	    "{'date': '2025-02-10', 'order': 'P4', 'kind': 'svarfrist', 'text': 'Svar.'}");
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.issued', 'reason': 'Feil.'}", idt(p4).s);
	add(f, &a, KT_EV_ORDER_DEADLINE_EXTENDED, NULL,
	    "{'date': '2025-06-01', 'order': 'P1', 'deadline': '2025-08-31', 'reason': 'U.'}");
	add(f, &a, KT_EV_ORDER_DEADLINE_EXTENDED, ext,
	    "{'date': '2025-08-01', 'order': 'P1', 'deadline': '2025-09-30', 'reason': 'U.'}");
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'order.deadline_extended', 'reason': 'Feil.'}",
	    idt(ext).s);
	add(f, &a, KT_EV_ORDER_APPEALED, NULL,
	    "{'date': '2025-02-20', 'order': 'P2', 'text': 'Klage.'}");
	add(f, &a, KT_EV_ORDER_APPEALED, NULL,
	    "{'date': '2025-02-20', 'order': 'P3', 'text': 'Klage.'}");
	add(f, &a, KT_EV_ORDER_APPEAL_DECIDED, NULL,
	    "{'date': '2025-03-20', 'order': 'P3', 'outcome': 'changed', 'text': 'Endret.',"
	    " 'deadline': '2025-04-30'}");
	add(f, &a, KT_EV_ORDER_ESCALATED, NULL,
	    "{'date': '2025-05-20', 'order': 'P3', 'measure': 'stansing', 'text': 'Stans.'}");
	add(f, &a, KT_EV_ORDER_FULFILLED, NULL, "{'date': '2025-09-01', 'order': 'P1'}");
	add(f, &a, KT_EV_REQUIREMENT_WAIVED, NULL,
	    "{'date': '2025-09-01', 'finding': 'F3', 'reason': 'Frafalt.'}");
	add(f, &a, KT_EV_RESPONSE_REGISTERED, resp,
	    "{'date': '2025-03-01', 'kind': 'response', 'text': 'Svar.'}");
	add(f, &a, KT_EV_RESPONSE_REGISTERED, NULL,
	    "{'date': '2025-03-02', 'kind': 'response', 'text': 'Svar.'}");
	add(f, &a, KT_EV_RESPONSE_REGISTERED, NULL,
	    "{'date': '2025-03-03', 'kind': 'response', 'text': 'Svar.'}");
	add(f, &a, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'response.registered', 'reason': 'Feil.'}",
	    idt(resp).s);

	struct insp b = insp("T-2025-051");
	add(f, &b, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-051', 'authority': 'Statens vegvesen', 'unit': 'Parkering',"
	    " 'law': 'Parkeringsforskriften', 'theme': 'Vilkårsparkering',"
	    " 'kind': 'dokumenttilsyn', 'date_from': '2025-07-02'}");
	add(f, &b, KT_EV_INSPECTION_TRANSFERRED, NULL,
	    "{'date': '2025-07-03', 'to': 'P-Norge AS'}");

	struct insp c = insp("T-2025-052");
	add(f, &c, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-052', 'authority': 'Arkivverket', 'unit': 'Byarkivet',"
	    " 'law': 'Arkivloven', 'theme': 'Arkiv', 'kind': 'systemrevisjon',"
	    " 'date_from': '2025-04-01'}");
	add(f, &c, KT_EV_INSPECTION_TRANSFERRED, tr, "{'date': '2025-04-03', 'to': 'Annet organ'}");
	add(f, &c, KT_EV_EVENT_RETRACTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.transferred', 'reason': 'Feil.'}",
	    idt(tr).s);
	add(f, &c, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-04-05', 'order': 'P1', 'kind': 'krav_om_opplysninger', 'text': 'Send.',"
	    " 'deadline': '2025-04-30'}");
	add(f, &c, KT_EV_INSPECTION_CLOSED, NULL,
	    "{'date': '2025-05-01', 'forced': true, 'reason': 'Tvunget.'}");

	struct insp d = insp("T-2025-053");
	add(f, &d, KT_EV_INSPECTION_OPENED, opened,
	    "{'case_number': 'T-2025-053', 'authority': 'Arbeidstilsynet', 'unit': 'Enhet D',"
	    " 'law': 'Lov', 'theme': 'Tema', 'date_from': '2025-05-01'}");
	add(f, &d, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.opened', 'reason': 'Periode.',"
	    " 'data': {'case_number': 'T-2025-053', 'authority': 'Arbeidstilsynet',"
	    " 'unit': 'Enhet D', 'law': 'Lov', 'theme': 'Tema', 'kind': 'egenkontroll',"
	    " 'date_from': '2025-05-01', 'date_to': '2025-12-31'}}",
	    idt(opened).s);
	add(f, &d, KT_EV_FINDING_NONE, NULL, "{'date': '2025-05-01'}");
	add(f, &d, KT_EV_INSPECTION_CLOSED, closed, "{'date': '2025-06-01'}");
	add(f, &d, KT_EV_EVENT_CORRECTED, NULL,
	    "{'target': '%s', 'target_type': 'inspection.closed', 'reason': 'Dato.',"
	    " 'data': {'date': '2025-06-02'}}",
	    idt(closed).s);

	struct insp e = insp("T-2025-054");
	add(f, &e, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-054', 'authority': 'Mattilsynet', 'unit': 'Kjøkken',"
	    " 'law': 'Matloven', 'theme': 'Hygiene', 'date_from': '2025-08-01'}");
}

static int load_bytes(struct kt_inspections *m, const uint8_t *bytes, size_t len)
{
	return kt_inspections_projection.load(m, bytes, len);
}

static void expect_empty(const struct kt_inspections *m, const char *what)
{
	if (m->n || m->items || m->cap || m->slots || m->n_slots)
		fail_msg("%s: the model is not empty (n %zu, cap %zu, slots %zu)", what, m->n,
			 m->cap, m->n_slots);
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

static void test_inspections_snapshot_round_trip(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m, got;
	struct kt_buf b = KT_BUF_INIT((size_t)1 << 24), again = KT_BUF_INIT((size_t)1 << 24);
	kt_inspections_init(&m);
	kt_inspections_init(&got);
	rich_story(f);
	view(f, MAX, MAX, &m);

	/* The model really holds what the encoding must carry. */
	assert_int_equal(m.n, 5);
	const struct kt_inspection *a = &m.items[0];
	assert_null(a->kind);
	assert_non_null(m.items[2].kind);
	assert_null(a->transferred_to);
	expect_text(m.items[1].transferred_to, "P-Norge AS", "transferred_to");
	assert_null(m.items[2].transferred_to);
	assert_false(kt_id_is_nil(m.items[2].transfer_source));
	assert_null(order(a, "P2")->deadline_text);
	assert_non_null(order(a, "P1")->deadline_text);
	assert_int_equal(finding(a, "F2")->retracted, 1);
	assert_int_equal(order(a, "P4")->retracted, 1);
	assert_int_equal(order(a, "P1")->n_changes, 2);
	assert_int_equal(order(a, "P1")->changes[1].retracted, 1);
	assert_int_equal(order(a, "P2")->appealed, 1);
	assert_int_equal(order(a, "P3")->escalated, 1);
	assert_int_equal(finding(a, "F3")->waived, 1);
	assert_int_equal(a->responses, 2);
	assert_int_equal(m.items[2].forced, 1);
	assert_true(m.items[3].date_to == day("2025-12-31"));
	assert_true(m.items[4].date_to == UNSET);
	assert_int_equal(a->date_precision, KT_DATE_MONTH);
	assert_int_equal(m.items[1].date_precision, KT_DATE_DAY);
	assert_int_equal(order(a, "P2")->issued_precision, KT_DATE_ON_OR_BEFORE);
	assert_int_equal(order(a, "P1")->issued_precision, KT_DATE_DAY);

	/* Saved: one well-formed msgpack value, nothing after it. */
	assert_int_equal(kt_inspections_projection.save(&m, &b), KT_OK);
	struct kt_mp r = kt_mp_init(b.data, b.len);
	assert_int_equal(kt_mp_skip(&r, 0), KT_OK);
	assert_ptr_equal(r.p, r.end);

	/* Loaded: equal field by field; saved again: the same bytes. */
	uint8_t *whole = exact_copy(b.data, b.len);
	assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
	assert_models_equal(&m, &got, "loaded");
	assert_ptr_equal(kt_inspections_by_case(&got, "T-2025-052"), &got.items[2]);
	assert_int_equal(kt_inspections_projection.save(&got, &again), KT_OK);
	assert_int_equal(again.len, b.len);
	assert_memory_equal(again.data, b.data, b.len);

	/* Loaded over a model that holds something else: replaced whole. */
	view(f, MAX, end_of("2025-02-15"), &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
	assert_models_equal(&m, &got, "loaded over another model");

	/* Every truncation is refused, never read past, and leaves the model
	 * (which held the whole state just before) empty. */
	for (size_t cut = 0; cut < b.len; cut++) {
		uint8_t *part = exact_copy(b.data, cut);
		assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
		int rc = load_bytes(&got, part, cut);
		if (rc != KT_EMALFORMED && rc != KT_ENOMEM)
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
	longer[b.len] = 0xc0;
	assert_int_equal(load_bytes(&got, longer, b.len + 1), KT_EMALFORMED);
	expect_empty(&got, "trailing byte");
	free(longer);

	/* … and the model is reusable: loaded, and folded into by a replay. */
	assert_int_equal(load_bytes(&got, whole, b.len), KT_OK);
	assert_models_equal(&m, &got, "reloaded");
	view(f, MAX, MAX, &got);
	assert_models_equal(&m, &got, "replayed after loads");
	free(whole);
	kt_inspections_free(&got);
	kt_inspections_free(&m);
	kt_buf_free(&b);
	kt_buf_free(&again);
}

/* A snapshot that names one stream twice is refused. */
static void test_inspections_snapshot_refuses_a_stream_twice(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m;
	struct kt_buf b = KT_BUF_INIT((size_t)1 << 20);
	kt_inspections_init(&m);
	struct insp a = insp("T-2025-060");
	add(f, &a, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-060', 'authority': 'A', 'unit': 'U', 'law': 'L',"
	    " 'theme': 'T', 'date_from': '2025-01-01'}");
	view(f, MAX, MAX, &m);
	assert_int_equal(kt_inspections_projection.save(&m, &b), KT_OK);
	assert_true(b.len > 1);
	assert_int_equal(b.data[0], 0x91); /* an array of one inspection */

	/* [inspection, inspection]: the same item twice. */
	size_t body = b.len - 1, len = 1 + 2 * body;
	uint8_t *twice = malloc(len);
	assert_non_null(twice);
	twice[0] = 0x92;
	memcpy(twice + 1, b.data + 1, body);
	memcpy(twice + 1 + body, b.data + 1, body);
	assert_int_equal(load_bytes(&m, twice, len), KT_EMALFORMED);
	expect_empty(&m, "a stream twice");
	free(twice);

	/* An empty model saves and loads as one. */
	assert_int_equal(load_bytes(&m, b.data, b.len), KT_OK);
	assert_int_equal(m.n, 1);
	kt_inspections_free(&m);
	kt_buf_reset(&b);
	assert_int_equal(kt_inspections_projection.save(&m, &b), KT_OK);
	assert_int_equal(b.len, 1);
	assert_int_equal(b.data[0], 0x90);
	assert_int_equal(load_bytes(&m, b.data, b.len), KT_OK);
	expect_empty(&m, "empty snapshot");
	kt_buf_free(&b);
}

/* ---- 5. with and without snapshots on a large random log --------------- */

#define GEN_EVENTS  100000
#define GEN_ACTIVE  48
#define GEN_CHUNK   12
#define GEN_QUERIES 30
#define GEN_EVERY   1000

/* What the generator remembers of each event it wrote, to target it later. */
struct gen_fact {
	uint8_t id[16];
	const char *type;
	int64_t effective;
	char order[16];
	char finding[16];
	int retracted;
};

/* One inspection being generated. */
struct gen {
	struct insp h;
	int case_no;
	int64_t d0; /* the day it opened */
	int planned, made;
	int findings, orders; /* labels F1 … and P1 … used so far */
	size_t closed;	      /* index + 1 of its standing closure or transfer; 0: open */
	struct gen_fact *facts;
	size_t n_facts, cap;
};

/* What the generated log holds, to check that it holds all of it. */
struct gen_stats {
	uint64_t events, inspections, corrections, retractions, forced, transfers, closures;
	uint64_t backdated;	 /* effective more than 30 days before recorded */
	uint64_t before_opening; /* effective before its inspection's opening */
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

static void ymd(int64_t us, char out[KT_TIME_TEXT_MAX])
{
	kt_time_format_date(us, out);
}

/* The JSON payload of type for g, with the labels in fact; dates random
 * around the inspection's day, some of them before it. */
static void gen_body(uint64_t *rng, const struct gen *g, const char *type,
		     const struct gen_fact *fact, int correcting, struct jb *j)
{
	static const char *const authorities[] = { "Arbeidstilsynet", "Statsforvalteren",
						   "Arkivverket", "Mattilsynet" };
	static const char *const kinds[] = { "stedlig_tilsyn",	    "systemrevisjon",
					     "egenkontroll",	    "hendelsesbasert",
					     "landsomfattende",	    "dokumenttilsyn",
					     "forvaltningskontroll" };
	static const char *const finding_kinds[] = { "lovbrudd", "avvik", "merknad",
						     "forbedringspunkt" };
	static const char *const order_kinds[] = { "krav_om_opplysninger", "frist_for_retting",
						   "svarfrist" };
	static const char *const modes[] = { "visit", "document_review", "meeting" };
	static const char *const outcomes[] = { "upheld", "changed", "annulled" };
	char d[KT_TIME_TEXT_MAX], dl[KT_TIME_TEXT_MAX];
	int64_t date = g->d0 + rng_range(rng, -30, 400) * DAY;
	ymd(date, d);
	ymd(date + rng_range(rng, 0, 300) * DAY, dl);
	j->n = 0;
	if (strcmp(type, KT_EV_INSPECTION_OPENED) == 0) {
		int64_t from = g->d0 + (correcting ? rng_range(rng, -5, 5) * DAY : 0);
		ymd(from, d);
		jput(j,
		     "{'case_number': 'T-2025-%04d', 'authority': '%s', 'unit': 'Enhet %d',"
		     " 'law': 'Lov %d', 'theme': 'Tema %d', 'date_from': '%s'",
		     g->case_no, authorities[rng_below(rng, 4)], (int)rng_below(rng, 50),
		     (int)rng_below(rng, 9), (int)rng_below(rng, 100), d);
		if (rng_below(rng, 3))
			jput(j, ", 'kind': '%s'", kinds[rng_below(rng, 7)]);
		if (rng_below(rng, 4) == 0) {
			ymd(from + rng_range(rng, 0, 60) * DAY, dl);
			jput(j, ", 'date_to': '%s'", dl);
		}
	} else if (strcmp(type, KT_EV_INSPECTION_NOTIFIED) == 0 ||
		   strcmp(type, KT_EV_REPORT_FINAL) == 0 || strcmp(type, KT_EV_FINDING_NONE) == 0) {
		jput(j, "{'date': '%s'", d);
	} else if (strcmp(type, KT_EV_INSPECTION_CONDUCTED) == 0) {
		jput(j, "{'date': '%s', 'mode': '%s'", d, modes[rng_below(rng, 3)]);
	} else if (strcmp(type, KT_EV_REPORT_PRELIMINARY) == 0) {
		ymd(date + rng_range(rng, 0, 30) * DAY, dl);
		jput(j, "{'date': '%s', 'comment_deadline': '%s'", d, dl);
	} else if (strcmp(type, KT_EV_REPORT_COMMENTS_SENT) == 0) {
		jput(j, "{'date': '%s', 'text': 'Merknader.'", d);
	} else if (strcmp(type, KT_EV_FINDING_RECORDED) == 0) {
		jput(j, "{'date': '%s', 'finding': '%s', 'kind': '%s', 'text': 'Funn.'", d,
		     fact->finding, finding_kinds[rng_below(rng, 4)]);
	} else if (strcmp(type, KT_EV_ORDER_ISSUED) == 0) {
		jput(j, "{'date': '%s', 'order': '%s', 'text': 'Rett.'", d, fact->order);
		if (fact->finding[0])
			jput(j, ", 'finding': '%s'%s", fact->finding,
			     rng_below(rng, 2) ? ", 'kind': 'palegg'" : "");
		else
			jput(j, ", 'kind': '%s'", order_kinds[rng_below(rng, 3)]);
		if (rng_below(rng, 3)) {
			jput(j, ", 'deadline': '%s'", dl);
			if (rng_below(rng, 2))
				jput(j, ", 'deadline_text': 'innen %s'", dl);
		}
	} else if (strcmp(type, KT_EV_RESPONSE_REGISTERED) == 0) {
		jput(j, "{'date': '%s', 'kind': 'response', 'text': 'Svar.'", d);
		if (fact->order[0])
			jput(j, ", 'order': '%s'", fact->order);
		else if (fact->finding[0])
			jput(j, ", 'finding': '%s'", fact->finding);
	} else if (strcmp(type, KT_EV_ORDER_DEADLINE_EXTENDED) == 0) {
		jput(j, "{'date': '%s', 'order': '%s', 'deadline': '%s', 'reason': 'Utsatt.'", d,
		     fact->order, dl);
	} else if (strcmp(type, KT_EV_ORDER_APPEALED) == 0) {
		jput(j, "{'date': '%s', 'order': '%s', 'text': 'Klage.'", d, fact->order);
	} else if (strcmp(type, KT_EV_ORDER_APPEAL_DECIDED) == 0) {
		uint64_t o = rng_below(rng, 3);
		jput(j, "{'date': '%s', 'order': '%s', 'outcome': '%s', 'text': 'Vedtak.'", d,
		     fact->order, outcomes[o]);
		if (o != 2 && rng_below(rng, 2))
			jput(j, ", 'deadline': '%s'", dl);
	} else if (strcmp(type, KT_EV_ORDER_ESCALATED) == 0) {
		jput(j, "{'date': '%s', 'order': '%s', 'measure': 'tvangsmulkt', 'text': 'Varsel.'",
		     d, fact->order);
	} else if (strcmp(type, KT_EV_ORDER_FULFILLED) == 0) {
		jput(j, "{'date': '%s', 'order': '%s'", d, fact->order);
	} else if (strcmp(type, KT_EV_REQUIREMENT_WAIVED) == 0) {
		if (fact->order[0])
			jput(j, "{'date': '%s', 'order': '%s', 'reason': 'Frafalt.'", d,
			     fact->order);
		else
			jput(j, "{'date': '%s', 'finding': '%s', 'reason': 'Frafalt.'", d,
			     fact->finding);
	} else if (strcmp(type, KT_EV_INSPECTION_CLOSED) == 0) {
		if (rng_below(rng, 3) == 0)
			jput(j, "{'date': '%s', 'forced': true, 'reason': 'Tvunget.'", d);
		else
			jput(j, "{'date': '%s'", d);
	} else if (strcmp(type, KT_EV_INSPECTION_TRANSFERRED) == 0) {
		jput(j, "{'date': '%s', 'to': 'Selskap %d'", d, (int)rng_below(rng, 20));
	} else {
		fail_msg("the generator has no payload for %s", type);
	}
	jput(j, "}");
}

/* A random earlier fact of g that a correction (retract 0) or retraction
 * (retract 1) may name, or NULL: never a correction or retraction, never a
 * fact retracted already, and for a retraction never the opening. */
static struct gen_fact *gen_target(uint64_t *rng, struct gen *g, int retract)
{
	for (int tries = 0; tries < 8; tries++) {
		struct gen_fact *t = &g->facts[rng_below(rng, g->n_facts)];
		if (is_revision(t->type) || t->retracted ||
		    (retract && strcmp(t->type, KT_EV_INSPECTION_OPENED) == 0))
			continue;
		return t;
	}
	return NULL;
}

static void gen_label(uint64_t *rng, char out[16], char prefix, int n)
{
	snprintf(out, 16, "%c%d", prefix, (int)rng_range(rng, 1, n));
}

/* The next event of g: its type, its fact (remembered in g) and payload. */
static const char *gen_next(uint64_t *rng, struct gen *g, struct jb *j, struct gen_stats *st)
{
	static const struct {
		const char *type;
		int weight;
		int needs; /* 1: an order, 2: a finding */
	} menu[] = {
		{ KT_EV_INSPECTION_NOTIFIED, 3, 0 },	{ KT_EV_INSPECTION_CONDUCTED, 3, 0 },
		{ KT_EV_REPORT_PRELIMINARY, 2, 0 },	{ KT_EV_REPORT_COMMENTS_SENT, 2, 0 },
		{ KT_EV_REPORT_FINAL, 2, 0 },		{ KT_EV_FINDING_RECORDED, 10, 0 },
		{ KT_EV_FINDING_NONE, 1, 0 },		{ KT_EV_ORDER_ISSUED, 8, 0 },
		{ KT_EV_RESPONSE_REGISTERED, 5, 0 },	{ KT_EV_ORDER_DEADLINE_EXTENDED, 5, 1 },
		{ KT_EV_ORDER_APPEALED, 3, 1 },		{ KT_EV_ORDER_APPEAL_DECIDED, 3, 1 },
		{ KT_EV_ORDER_ESCALATED, 2, 1 },	{ KT_EV_ORDER_FULFILLED, 5, 1 },
		{ KT_EV_REQUIREMENT_WAIVED, 3, 2 },	{ KT_EV_EVENT_CORRECTED, 7, 0 },
		{ KT_EV_EVENT_RETRACTED, 5, 0 },	{ KT_EV_INSPECTION_CLOSED, 2, 0 },
		{ KT_EV_INSPECTION_TRANSFERRED, 1, 0 },
	};
	if (g->n_facts == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 32;
		g->facts = realloc(g->facts, g->cap * sizeof *g->facts);
		assert_non_null(g->facts);
	}
	struct gen_fact *fact = &g->facts[g->n_facts];
	memset(fact, 0, sizeof *fact);
	assert_int_equal(kt_id_generate(fact->id), KT_OK);
	const char *type = KT_EV_INSPECTION_OPENED;
	if (g->made > 0 && g->closed) {
		/* Closed: only revisions; half of the time the closure goes. */
		type = rng_below(rng, 2) ? KT_EV_EVENT_RETRACTED : KT_EV_EVENT_CORRECTED;
	} else if (g->made > 0) {
		int total = 0;
		for (size_t k = 0; k < sizeof menu / sizeof menu[0]; k++)
			total += menu[k].weight;
		for (;;) {
			int pick = (int)rng_below(rng, (uint64_t)total);
			size_t k = 0;
			while (pick >= menu[k].weight)
				pick -= menu[k++].weight;
			if ((menu[k].needs == 1 && !g->orders) ||
			    (menu[k].needs == 2 && !g->orders && !g->findings))
				continue;
			type = menu[k].type;
			break;
		}
	}
	if (strcmp(type, KT_EV_EVENT_RETRACTED) == 0 && g->closed && rng_below(rng, 2)) {
		struct gen_fact *t = &g->facts[g->closed - 1];
		jput((j->n = 0, j), "{'target': '%s', 'target_type': '%s', 'reason': 'Gjenåpnet.'}",
		     idt(t->id).s, t->type);
		t->retracted = 1;
		g->closed = 0;
		fact->type = type;
		fact->effective = t->effective;
		st->retractions++;
		g->n_facts++;
		return type;
	}
	if (is_revision(type)) {
		int retract = strcmp(type, KT_EV_EVENT_RETRACTED) == 0;
		struct gen_fact *t = gen_target(rng, g, retract);
		if (!t) {
			t = &g->facts[0]; /* the opening can always be corrected */
			retract = 0;
			type = KT_EV_EVENT_CORRECTED;
		}
		struct jb inner;
		if (!retract)
			gen_body(rng, g, t->type, t, 1, &inner);
		j->n = 0;
		jput(j, "{'target': '%s', 'target_type': '%s', 'reason': 'Feil.'", idt(t->id).s,
		     t->type);
		if (!retract)
			jput(j, ", 'data': %s", inner.s);
		jput(j, "}");
		if (retract) {
			t->retracted = 1;
			if (g->closed && &g->facts[g->closed - 1] == t)
				g->closed = 0;
			st->retractions++;
		} else {
			st->corrections++;
		}
		fact->type = type;
		fact->effective = t->effective;
		g->n_facts++;
		return type;
	}
	/* A new fact, with new or existing labels as its type needs. */
	if (strcmp(type, KT_EV_FINDING_RECORDED) == 0) {
		snprintf(fact->finding, sizeof fact->finding, "F%d", ++g->findings);
	} else if (strcmp(type, KT_EV_ORDER_ISSUED) == 0) {
		snprintf(fact->order, sizeof fact->order, "P%d", ++g->orders);
		if (g->findings && rng_below(rng, 4))
			gen_label(rng, fact->finding, 'F', g->findings);
	} else if (strcmp(type, KT_EV_RESPONSE_REGISTERED) == 0) {
		uint64_t to = rng_below(rng, 3);
		if (to == 1 && g->orders)
			gen_label(rng, fact->order, 'P', g->orders);
		else if (to == 2 && g->findings)
			gen_label(rng, fact->finding, 'F', g->findings);
	} else if (strcmp(type, KT_EV_REQUIREMENT_WAIVED) == 0) {
		if (g->orders && (!g->findings || rng_below(rng, 2)))
			gen_label(rng, fact->order, 'P', g->orders);
		else
			gen_label(rng, fact->finding, 'F', g->findings);
	} else if (strstr(type, "order.") == type) {
		gen_label(rng, fact->order, 'P', g->orders);
	}
	gen_body(rng, g, type, fact, 0, j);
	if (strcmp(type, KT_EV_INSPECTION_CLOSED) == 0 ||
	    strcmp(type, KT_EV_INSPECTION_TRANSFERRED) == 0) {
		g->closed = g->n_facts + 1;
		if (type[11] == 't')
			st->transfers++;
		else
			st->closures++;
		st->forced += strstr(j->s, "'forced'") != NULL;
	}
	fact->type = type;
	fact->effective = UNSET; /* from the payload, once encoded */
	g->n_facts++;
	return type;
}

/* Generate and append the next n events of g in one batch. */
static void gen_chunk(struct fx *f, uint64_t *rng, struct gen *g, size_t n, struct kt_buf *bufs,
		      struct gen_stats *st)
{
	struct kt_event ev[GEN_CHUNK];
	struct jb j;
	struct kt_append_result res;
	assert_true(n >= 1 && n <= GEN_CHUNK);
	f->now += rng_range(rng, 1, 600) * SEC;
	for (size_t i = 0; i < n; i++) {
		const char *type = gen_next(rng, g, &j, st);
		struct gen_fact *fact = &g->facts[g->n_facts - 1];
		encode(j.s, &bufs[i]);
		check_payload(type, bufs[i].data, bufs[i].len);
		if (fact->effective == UNSET) {
			int64_t us;
			if (kt_data_get_date(bufs[i].data, bufs[i].len, "date", &us) &&
			    kt_data_get_date(bufs[i].data, bufs[i].len, "date_from", &us))
				fail_msg("%s payload has no date", type);
			fact->effective = us;
		}
		st->backdated += fact->effective < f->now - 30 * DAY;
		st->before_opening += fact->effective < g->facts[0].effective;
		memset(&ev[i], 0, sizeof ev[i]);
		memcpy(ev[i].id, fact->id, 16);
		ev[i].type = type;
		ev[i].type_len = strlen(type);
		ev[i].actor = "generator";
		ev[i].actor_len = 9;
		ev[i].effective = fact->effective;
		ev[i].data = bufs[i].data;
		ev[i].data_len = bufs[i].len;
		g->made++;
	}
	int rc = kt_store_append(f->s, g->h.stream, g->h.version, ev, n, &res);
	if (rc)
		fail_msg("append to %s: %s", g->h.stream, kt_strerror(rc));
	g->h.version += n;
	assert_int_equal(res.head_version, g->h.version);
	assert_int_equal(res.duplicate, 0);
	st->events += n;
}

static void gen_free(struct gen *g)
{
	if (g)
		free(g->facts);
	free(g);
}

/* The random log: inspections opened over time, GEN_ACTIVE of them at once,
 * their events appended in batches of up to GEN_CHUNK at a time. */
static void gen_log(struct fx *f, uint64_t *rng, struct gen_stats *st)
{
	struct gen *active[GEN_ACTIVE] = { NULL };
	struct kt_buf bufs[GEN_CHUNK];
	int next_case = 1;
	for (size_t i = 0; i < GEN_CHUNK; i++) {
		struct kt_buf empty = KT_BUF_INIT(KT_DATA_MAX);
		bufs[i] = empty;
	}
	memset(st, 0, sizeof *st);
	while (st->events < GEN_EVENTS) {
		size_t k = rng_below(rng, GEN_ACTIVE);
		struct gen *g = active[k];
		if (!g || g->made >= g->planned) {
			gen_free(g);
			g = active[k] = calloc(1, sizeof *g);
			assert_non_null(g);
			g->case_no = next_case++;
			assert_true(g->case_no < 10000);
			char case_number[32];
			snprintf(case_number, sizeof case_number, "T-2025-%04d", g->case_no);
			g->h = insp(case_number);
			g->d0 = (f->now / DAY - rng_range(rng, 0, 90)) * DAY;
			g->planned = (int)rng_range(rng, 8, 60);
			st->inspections++;
		}
		size_t n = (size_t)rng_range(rng, 1, GEN_CHUNK);
		if (n > (size_t)(g->planned - g->made))
			n = (size_t)(g->planned - g->made);
		gen_chunk(f, rng, g, n, bufs, st);
	}
	for (size_t k = 0; k < GEN_ACTIVE; k++)
		gen_free(active[k]);
	for (size_t i = 0; i < GEN_CHUNK; i++)
		kt_buf_free(&bufs[i]);
}

static void replay_q(struct fx *f, int64_t known_at, int64_t as_of, int use, uint64_t every,
		     struct kt_inspections *m, struct kt_replay_stats *st)
{
	struct kt_replay_query q = { known_at, as_of, use, every, NULL, NULL };
	int rc = kt_replay(f->s, &kt_inspections_projection, m, &q, st);
	if (rc)
		fail_msg("kt_replay: %s", kt_strerror(rc));
}

static void test_inspections_snapshots_change_no_answer(void **state)
{
	struct fx *f = *state;
	uint64_t rng = UINT64_C(0x1a5bec7104);
	struct gen_stats gs;
	struct kt_store_info info;
	gen_log(f, &rng, &gs);
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_int_equal(info.events, gs.events);
	assert_true(gs.events >= GEN_EVENTS);
	assert_true(gs.inspections >= 2000);
	assert_true(gs.corrections > 1000 && gs.retractions > 1000);
	assert_true(gs.closures > 100 && gs.forced > 10 && gs.transfers > 100);
	assert_true(gs.backdated > 1000 && gs.before_opening > 1000);

	/* Queries: a few as-of values (a snapshot serves only its own), known-at
	 * anywhere along the log, the present first. */
	static const char *const days[] = { "2025-03-31", "2025-09-30", "2026-03-31" };
	int64_t known[GEN_QUERIES], as_of[GEN_QUERIES];
	for (size_t q = 0; q < GEN_QUERIES; q++) {
		uint64_t a = rng_below(&rng, 4);
		as_of[q] = q == 0 || a == 3 ? MAX : end_of(days[a]);
		known[q] = q == 0 || rng_below(&rng, 5) == 0
			       ? MAX
			       : rng_range(&rng, T0 - DAY, f->now + DAY);
	}

	struct kt_inspections full[GEN_QUERIES], snap;
	struct kt_replay_stats st0, st1, st2;
	int from_earlier = 0, saved = 0;
	kt_inspections_init(&snap);
	for (size_t q = 0; q < GEN_QUERIES; q++) {
		char what[64];
		kt_inspections_init(&full[q]);
		replay_q(f, known[q], as_of[q], 0, 0, &full[q], &st0);
		assert_int_equal(st0.snapshot_position, 0);
		assert_int_equal(st0.read, st0.end_position);
		assert_int_equal(st0.snapshot_saved, 0);

		/* Twice with snapshots: the second starts where the first saved. */
		replay_q(f, known[q], as_of[q], 1, GEN_EVERY, &snap, &st1);
		snprintf(what, sizeof what, "query %zu, first with snapshots", q);
		assert_models_equal(&full[q], &snap, what);
		assert_int_equal(st1.end_position, st0.end_position);
		from_earlier += st1.snapshot_position > 0;
		saved += st1.snapshot_saved;
		replay_q(f, known[q], as_of[q], 1, GEN_EVERY, &snap, &st2);
		snprintf(what, sizeof what, "query %zu, second with snapshots", q);
		assert_models_equal(&full[q], &snap, what);
		if (st1.snapshot_saved) {
			assert_int_equal(st2.snapshot_position, st0.end_position);
			assert_int_equal(st2.read, 0);
		} else {
			assert_int_equal(st2.snapshot_position, st1.snapshot_position);
		}
	}
	assert_int_equal(full[0].n, gs.inspections);
	assert_true(from_earlier >= 5);
	assert_true(saved >= 5);

	/* Without any snapshot left: the same answers. Now in the order of
	 * known-at, so that each query but the first of its as-of value starts
	 * from the snapshot an earlier one left. */
	uint64_t removed = 0;
	size_t order_of[GEN_QUERIES];
	assert_int_equal(kt_snapshot_clear(f->s, "inspections", &removed), KT_OK);
	assert_true(removed >= 1);
	for (size_t q = 0; q < GEN_QUERIES; q++) {
		size_t k = q;
		while (k > 0 && known[order_of[k - 1]] > known[q]) {
			order_of[k] = order_of[k - 1];
			k--;
		}
		order_of[k] = q;
	}
	for (size_t i = 0; i < GEN_QUERIES; i++) {
		size_t q = order_of[i];
		int first = 1;
		char what[64];
		for (size_t k = 0; k < i; k++)
			first &= as_of[order_of[k]] != as_of[q];
		replay_q(f, known[q], as_of[q], 1, GEN_EVERY, &snap, &st1);
		snprintf(what, sizeof what, "query %zu after clearing", q);
		assert_models_equal(&full[q], &snap, what);
		if (first)
			assert_int_equal(st1.snapshot_position, 0);
		else
			assert_true(st1.snapshot_position > 0);
		assert_true(st1.snapshot_position <= st1.end_position);
	}
	kt_inspections_free(&snap);
	for (size_t q = 0; q < GEN_QUERIES; q++)
		kt_inspections_free(&full[q]);
}

/* ---- 6. what the model ignores ----------------------------------------- */

static void test_inspections_ignores_other_streams_and_types(void **state)
{
	struct fx *f = *state;
	struct kt_inspections m;
	const struct kt_inspection *in;
	static const char opened_json[] =
	    "{'case_number': 'T-2025-040', 'authority': 'Arbeidstilsynet', 'unit': 'Enhet',"
	    " 'law': 'Lov', 'theme': 'Tema', 'date_from': '2025-04-01'}";
	static const char finding_json[] =
	    "{'date': '2025-04-02', 'finding': 'F9', 'kind': 'lovbrudd', 'text': 'Brudd.'}";
	kt_inspections_init(&m);

	/* Inspection payloads in streams that are not inspections'. */
	append_raw(f, "incident-1", 0, KT_EV_INSPECTION_OPENED, KT_EV_INSPECTION_OPENED,
		   opened_json, NULL);
	append_raw(f, "incident-1", 1, KT_EV_FINDING_RECORDED, KT_EV_FINDING_RECORDED, finding_json,
		   NULL);
	append_raw(f, "inspections-T-2025-040", 0, KT_EV_INSPECTION_OPENED, KT_EV_INSPECTION_OPENED,
		   opened_json, NULL);
	append_raw(f, "inspection", 0, KT_EV_INSPECTION_OPENED, KT_EV_INSPECTION_OPENED,
		   opened_json, NULL);
	append_raw(f, KT_INSPECTION_STREAM_PREFIX, 0, KT_EV_INSPECTION_OPENED,
		   KT_EV_INSPECTION_OPENED, opened_json, NULL);
	append_raw(f, "Inspection-T-2025-040", 0, KT_EV_INSPECTION_OPENED, KT_EV_INSPECTION_OPENED,
		   opened_json, NULL);
	view(f, MAX, MAX, &m);
	assert_int_equal(m.n, 0);

	/* A stream whose first events come before its inspection.opened: they
	 * are skipped, the rest is folded. */
	struct insp a = insp("T-2025-040");
	add(f, &a, KT_EV_FINDING_RECORDED, NULL, finding_json);
	add(f, &a, KT_EV_ORDER_ISSUED, NULL,
	    "{'date': '2025-04-02', 'order': 'P1', 'finding': 'F9', 'text': 'Rett.'}");
	add(f, &a, KT_EV_RESPONSE_REGISTERED, NULL,
	    "{'date': '2025-04-02', 'kind': 'response', 'text': 'Svar.'}");
	view(f, MAX, MAX, &m);
	assert_int_equal(m.n, 0);
	add(f, &a, KT_EV_INSPECTION_OPENED, NULL, opened_json);
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_int_equal(in->n_findings, 0);
	assert_int_equal(in->n_orders, 0);
	assert_int_equal(in->responses, 0);
	assert_int_equal(in->version, 4);

	/* Unknown types, even with a catalogue payload, are skipped. */
	append_raw(f, a.stream, a.version++, "finding.noted", KT_EV_FINDING_RECORDED,
		   "{'date': '2025-04-03', 'finding': 'F1', 'kind': 'avvik', 'text': 'A.'}", NULL);
	append_raw(f, a.stream, a.version++, "inspection.visited", KT_EV_INSPECTION_CONDUCTED,
		   "{'date': '2025-04-03', 'mode': 'visit'}", NULL);
	append_raw(f, a.stream, a.version++, "Inspection.closed", KT_EV_INSPECTION_CLOSED,
		   "{'date': '2025-04-03'}", NULL);
	append_raw(f, a.stream, a.version++, "inspection.closed.", KT_EV_INSPECTION_CLOSED,
		   "{'date': '2025-04-03'}", NULL);
	/* A second opening neither resets nor duplicates the inspection. */
	add(f, &a, KT_EV_INSPECTION_OPENED, NULL,
	    "{'case_number': 'T-2025-041', 'authority': 'Annen', 'unit': 'Annen', 'law': 'Lov',"
	    " 'theme': 'Tema', 'date_from': '2025-04-05'}");
	/* Facts about findings and orders it does not have. */
	add(f, &a, KT_EV_ORDER_FULFILLED, NULL, "{'date': '2025-04-06', 'order': 'P1'}");
	add(f, &a, KT_EV_REQUIREMENT_WAIVED, NULL,
	    "{'date': '2025-04-06', 'finding': 'F9', 'reason': 'Frafalt.'}");
	add(f, &a, KT_EV_ORDER_DEADLINE_EXTENDED, NULL,
	    "{'date': '2025-04-06', 'order': 'P1', 'deadline': '2025-05-01', 'reason': 'U.'}");
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	expect_text(in->case_number, "T-2025-040", "case_number");
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	for (int k = 0; k < KT_STEPS; k++)
		assert_true(in->steps[k].date == UNSET);
	assert_int_equal(in->n_findings, 0);
	assert_int_equal(in->n_orders, 0);
	assert_int_equal(in->version, 12);

	/* More noise in other streams after it changes nothing of it. */
	append_raw(f, "incident-1", 2, KT_EV_INSPECTION_CLOSED, KT_EV_INSPECTION_CLOSED,
		   "{'date': '2025-04-07'}", NULL);
	append_raw(f, "incident-T-2025-040", 0, KT_EV_FINDING_RECORDED, KT_EV_FINDING_RECORDED,
		   finding_json, NULL);
	in = now_of(f, &m, &a);
	assert_int_equal(m.n, 1);
	expect_counts(in, KT_INSPECTION_OPEN, 0, 0, 0, 0, 0, 0);
	assert_int_equal(in->version, 12);
	kt_inspections_free(&m);
}

/* Each inspection counts in one year's report: its report_year, else the
 * year of its first day, to the microsecond at the turn of a year. */
static void test_inspections_report_year(void **state)
{
	(void)state;
	struct kt_inspection in = { .date_from = KT_TIME_UNSET };
	assert_int_equal(kt_inspection_report_year(&in), 0);
	const struct {
		const char *day;
		int64_t offset;
		int year;
	} cases[] = {
		{ "2025-01-01", 0, 2025 },	 { "2025-01-01", -1, 2024 },
		{ "2024-12-31", 0, 2024 },	 { "2024-02-29", 0, 2024 },
		{ "2025-12-31", DAY - 1, 2025 }, { "1970-01-01", 0, 1970 },
		{ "1969-12-31", 0, 1969 },	 { "1969-12-31", 1, 1969 },
		{ "1900-01-01", 0, 1900 },	 { "9999-12-31", 0, 9999 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		in.date_from = day(cases[k].day) + cases[k].offset;
		if (kt_inspection_report_year(&in) != cases[k].year)
			fail_msg("%s %+lld us: year %d, expected %d", cases[k].day,
				 (long long)cases[k].offset, kt_inspection_report_year(&in),
				 cases[k].year);
	}
	in.date_from = day("2024-10-01");
	in.report_year = 2025;
	assert_int_equal(kt_inspection_report_year(&in), 2025);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_inspections_lifecycle_paths),
		T(test_inspections_names),
		T(test_inspections_corrections_and_retractions),
		T(test_inspections_revisions_of_steps_and_order_states),
		T(test_inspections_revisions_of_decisions_escalations_and_responses),
		T(test_inspections_as_of_and_known_at),
		T(test_inspections_snapshot_round_trip),
		T(test_inspections_snapshot_refuses_a_stream_twice),
		T(test_inspections_snapshots_change_no_answer),
		T(test_inspections_ignores_other_streams_and_types),
		cmocka_unit_test(test_inspections_report_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
