/*
 * test_incident_stats.c — the statistics of the incidents read model
 * (kt_incident_stats and its helpers in projections/incidents.c) against
 * hand-counted fixtures.
 *
 * The small fixture is written to a real store and folded by the replay
 * engine as of the end of the period, as `kontroll incidents stats` does:
 * incidents of three years, the boundaries of both periods to the
 * microsecond, a retracted incident, a report corrected to another area and
 * unit, a re-triage, a closure reopened and closed again, a closure after the
 * period, and the personvern incidents in every state of the 72-hour rule.
 * The large fixture rebuilds the annual report's figures for 2025 (21 686
 * incidents against 23 752 in 2024, helse og omsorg 9 440 → 9 993, 2 631 open
 * at the end of the year, 40 personvern of which 7 reported to Datatilsynet),
 * applied to the projection directly, in memory.
 *
 * Payloads are single-quoted JSON converted with kt_json_to_data and checked
 * against the catalogue. Every test of the store gets a fresh store in its
 * own mkdtemp directory, with a faked clock and commits not synced.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/buf.h"
#include "kontroll/catalogue.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/id.h"
#include "kontroll/incident_events.h"
#include "kontroll/inspection_events.h" /* event.corrected, event.retracted */
#include "kontroll/incidents.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/organisation.h"
#include "kontroll/replay.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAP  ((size_t)16 << 20)
#define SEC  INT64_C(1000000)
#define HOUR (3600 * SEC)
#define DAY  (86400 * SEC)

/* ---- time --------------------------------------------------------------- */

/* The µs of a time text ("2025-01-01", "2025-03-04T10:00:00Z"). */
static int64_t at(const char *text)
{
	int64_t us;
	if (kt_time_parse(text, &us))
		fail_msg("test time '%s' does not parse", text);
	return us;
}

/* The first and last µs of a calendar year. */
static int64_t year_start(int y)
{
	return kt_time_days_from_civil(y, 1, 1) * DAY;
}

static int64_t year_end(int y)
{
	return year_start(y + 1) - 1;
}

/* ---- fixture ------------------------------------------------------------ */

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
	snprintf(f->dir, sizeof f->dir, "%s/kt-incident-stats-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/kontroll.db", f->dir);
	f->now = at("2026-03-01T00:00:00Z");
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

#define JSON_MAX 2048

/* printf-formatted single-quoted JSON → one msgpack map in out, replacing
 * what out held; the payload must pass the catalogue's check for type. */
static void payload(struct kt_buf *out, const char *type, const char *fmt, va_list ap)
{
	char json[JSON_MAX], why[256];
	int n = vsnprintf(json, sizeof json, fmt, ap);
	assert_true(n > 0 && (size_t)n < sizeof json);
	for (int k = 0; k < n; k++)
		if (json[k] == '\'')
			json[k] = '"';
	kt_buf_reset(out);
	if (kt_json_to_data(json, (size_t)n, out, why, sizeof why))
		fail_msg("test JSON does not parse: %s: %s", json, why);
	int rc = kt_catalogue_check(type, strlen(type), out->data, out->len, why, sizeof why);
	if (rc)
		fail_msg("%s payload refused (%s): %s", type, kt_strerror(rc), why);
}

/*
 * Append an event of type to the stream of incident number, effective at
 * the time text when (the effective time the command layer gives: when it
 * happened). id (may be NULL) receives the event's id.
 */
static void add(struct fx *f, const char *number, const char *type, const char *when,
		uint8_t id[16], const char *fmt, ...)
{
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	struct kt_event ev;
	char stream[64];
	va_list ap;
	va_start(ap, fmt);
	payload(&data, type, fmt, ap);
	va_end(ap);
	snprintf(stream, sizeof stream, "%s%s", KT_INCIDENT_STREAM_PREFIX, number);
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.actor = "tester";
	ev.actor_len = 6;
	ev.effective = at(when);
	ev.data = data.data;
	ev.data_len = data.len;
	f->now += SEC;
	int rc = kt_store_append(f->s, stream, KT_VERSION_ANY, &ev, 1, NULL);
	if (rc)
		fail_msg("append %s to %s: %s", type, stream, kt_strerror(rc));
	if (id)
		memcpy(id, ev.id, 16);
	kt_buf_free(&data);
}

/* incident.reported of number at the time when; id (may be NULL) gets its id. */
static void reported(struct fx *f, const char *number, const char *when, const char *category,
		     const char *area, const char *unit, uint8_t id[16])
{
	add(f, number, KT_EV_INCIDENT_REPORTED, when, id,
	    "{'number':'%s','category':'%s','unit':'%s','area':'%s','occurred':'%.10s',"
	    "'text':'Hendelse %s'}",
	    number, category, unit, area, when, number);
}

static void triaged(struct fx *f, const char *number, const char *when, const char *type)
{
	add(f, number, KT_EV_INCIDENT_TRIAGED, when, NULL, "{'type':'%s','severity':2}", type);
}

static void closed(struct fx *f, const char *number, const char *when)
{
	add(f, number, KT_EV_INCIDENT_CLOSED, when, NULL, "{'conclusion':'Fulgt opp'}");
}

static void external(struct fx *f, const char *number, const char *when, const char *recipient)
{
	if (strcmp(recipient, "other") == 0)
		add(f, number, KT_EV_INCIDENT_REPORTED_EXTERNAL, when, NULL,
		    "{'recipient':'other','recipient_text':'Forsikringsselskapet'}");
	else
		add(f, number, KT_EV_INCIDENT_REPORTED_EXTERNAL, when, NULL, "{'recipient':'%s'}",
		    recipient);
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

/* ---- the small fixture -------------------------------------------------- */

/*
 * 2023  H-2023-00001  byutvikling, Bydrift, avvik; open
 * 2024  H-2024-00001  helse, Øya helsehus, avvik, 1 January 00:00:00; open
 *       H-2024-00002  helse, Øya helsehus, avvik, hms, 31 December
 *                     23:59:59.999999; closed 2 January 2025
 *       H-2024-00003  oppvekst, Hårstad skole, forbedring; open
 *       H-2024-00004  finans, Innfordring, avvik; closed in 2024
 * 2025  H-2025-00001  helse, Øya helsehus, personvern, 1 January 00:00:00;
 *                     Datatilsynet after exactly 72 hours; closed after 2 days
 *       H-2025-00002  helse, Søbstad helsehus, personvern; Datatilsynet after
 *                     72:00:01; closed after 3 days, reopened, closed after 10
 *       H-2025-00003  oppvekst, Hårstad skole, hms; Arbeidstilsynet; closed
 *                     after 1 day
 *       H-2025-00004  oppvekst, Hårstad skole, forbedring, untriaged; open
 *       H-2025-00005  sosiale, Krisesenteret, personvern, 31 December
 *                     23:59:59.999999; pending at the end of the year
 *       H-2025-00006  sosiale, Krisesenteret, personvern, not required;
 *                     reported to another body; closed after 30 days
 *       H-2025-00007  helse, Øya helsehus, triaged hms then personvern; never
 *                     reported (overdue); closed only in 2026
 *       H-2025-00008  byutvikling, Bydrift, pasient; retracted
 *       H-2025-00009  reported as finans, Innfordring, corrected to helse,
 *                     Øya helsehus; vold og trusler; closed after 5 days
 * 2026  H-2026-00001  helse, Øya helsehus
 */
static void small_story(struct fx *f)
{
	uint8_t id[16];
	reported(f, "H-2023-00001", "2023-06-01T10:00:00Z", "avvik", "byutvikling", "Bydrift",
		 NULL);

	reported(f, "H-2024-00001", "2024-01-01T00:00:00Z", "avvik", "helse_omsorg", "Øya helsehus",
		 NULL);
	reported(f, "H-2024-00002", "2024-12-31T23:59:59.999999Z", "avvik", "helse_omsorg",
		 "Øya helsehus", NULL);
	triaged(f, "H-2024-00002", "2025-01-01T08:00:00Z", "hms");
	closed(f, "H-2024-00002", "2025-01-02T08:00:00Z");
	reported(f, "H-2024-00003", "2024-06-01T10:00:00Z", "forbedring", "oppvekst_utdanning",
		 "Hårstad skole", NULL);
	reported(f, "H-2024-00004", "2024-07-01T10:00:00Z", "avvik", "finans", "Innfordring", NULL);
	closed(f, "H-2024-00004", "2024-07-05T10:00:00Z");

	reported(f, "H-2025-00001", "2025-01-01T00:00:00Z", "avvik", "helse_omsorg", "Øya helsehus",
		 NULL);
	triaged(f, "H-2025-00001", "2025-01-01T01:00:00Z", "personvern");
	external(f, "H-2025-00001", "2025-01-04T00:00:00Z", "datatilsynet");
	closed(f, "H-2025-00001", "2025-01-03T00:00:00Z");

	reported(f, "H-2025-00002", "2025-02-01T12:00:00Z", "avvik", "helse_omsorg",
		 "Søbstad helsehus", NULL);
	triaged(f, "H-2025-00002", "2025-02-01T13:00:00Z", "personvern");
	external(f, "H-2025-00002", "2025-02-04T12:00:01Z", "datatilsynet");
	closed(f, "H-2025-00002", "2025-02-04T12:00:00Z");
	add(f, "H-2025-00002", KT_EV_INCIDENT_REOPENED, "2025-02-05T12:00:00Z", NULL,
	    "{'reason':'Ikke fulgt opp'}");
	closed(f, "H-2025-00002", "2025-02-11T12:00:00Z");

	reported(f, "H-2025-00003", "2025-03-01T10:00:00Z", "avvik", "oppvekst_utdanning",
		 "Hårstad skole", NULL);
	triaged(f, "H-2025-00003", "2025-03-01T11:00:00Z", "hms");
	external(f, "H-2025-00003", "2025-03-01T12:00:00Z", "arbeidstilsynet");
	closed(f, "H-2025-00003", "2025-03-02T10:00:00Z");

	reported(f, "H-2025-00004", "2025-04-01T10:00:00Z", "forbedring", "oppvekst_utdanning",
		 "Hårstad skole", NULL);

	reported(f, "H-2025-00005", "2025-12-31T23:59:59.999999Z", "avvik", "sosiale_tjenester",
		 "Krisesenteret i Trondheim", NULL);
	triaged(f, "H-2025-00005", "2025-12-31T23:59:59.999999Z", "personvern");

	reported(f, "H-2025-00006", "2025-05-01T10:00:00Z", "avvik", "sosiale_tjenester",
		 "Krisesenteret i Trondheim", NULL);
	triaged(f, "H-2025-00006", "2025-05-01T11:00:00Z", "personvern");
	add(f, "H-2025-00006", KT_EV_INCIDENT_EXTERNAL_NOT_REQ, "2025-05-02T10:00:00Z", NULL,
	    "{'recipient':'datatilsynet','reason':'Ingen risiko'}");
	external(f, "H-2025-00006", "2025-05-03T10:00:00Z", "other");
	closed(f, "H-2025-00006", "2025-05-31T10:00:00Z");

	reported(f, "H-2025-00007", "2025-06-01T10:00:00Z", "avvik", "helse_omsorg", "Øya helsehus",
		 NULL);
	triaged(f, "H-2025-00007", "2025-06-01T11:00:00Z", "hms");
	triaged(f, "H-2025-00007", "2025-06-02T11:00:00Z", "personvern");
	closed(f, "H-2025-00007", "2026-01-10T10:00:00Z");

	reported(f, "H-2025-00008", "2025-07-01T10:00:00Z", "avvik", "byutvikling", "Bydrift", id);
	triaged(f, "H-2025-00008", "2025-07-01T11:00:00Z", "pasient_brukersikkerhet");
	add(f, "H-2025-00008", KT_EV_EVENT_RETRACTED, "2025-07-01T10:00:00Z", NULL,
	    "{'target':'%s','target_type':'incident.reported','reason':'feilregistrert'}",
	    idt(id).s);

	reported(f, "H-2025-00009", "2025-08-01T10:00:00Z", "avvik", "finans", "Innfordring", id);
	add(f, "H-2025-00009", KT_EV_EVENT_CORRECTED, "2025-08-01T10:00:00Z", NULL,
	    "{'target':'%s','target_type':'incident.reported','reason':'feil enhet',"
	    "'data':{'number':'H-2025-00009','category':'avvik','unit':'Øya helsehus',"
	    "'area':'helse_omsorg','occurred':'2025-08-01','text':'Hendelse'}}",
	    idt(id).s);
	triaged(f, "H-2025-00009", "2025-08-01T11:00:00Z", "vold_trusler");
	closed(f, "H-2025-00009", "2025-08-06T10:00:00Z");

	reported(f, "H-2026-00001", "2026-01-05T10:00:00Z", "avvik", "helse_omsorg", "Øya helsehus",
		 NULL);
}

/* Fill m with the fold as of as_of, from the first event. */
static void fold(struct fx *f, int64_t as_of, struct kt_incidents *m)
{
	struct kt_replay_query q = { KT_TIME_MAX, as_of, 0, 0, NULL, NULL };
	kt_incidents_init(m);
	int rc = kt_replay(f->s, &kt_incidents_projection, m, &q, NULL);
	if (rc)
		fail_msg("kt_replay: %s", kt_strerror(rc));
}

/* The interned unit of incident number. */
static uint32_t unit_of(const struct kt_incidents *m, const char *number)
{
	const struct kt_incident *in = kt_incidents_find(m, number, strlen(number));
	if (!in)
		fail_msg("%s is not in the model", number);
	return in->unit;
}

static void expect_area(const struct kt_incident_counts *c, const char *area, uint64_t n)
{
	int a = kt_area_find(area);
	assert_true(a >= 0);
	if (c->area[a] != n)
		fail_msg("area %s: %llu, expected %llu", area, (unsigned long long)c->area[a],
			 (unsigned long long)n);
}

/* A double equal to want within a rounding error. */
static void expect_close(double got, double want, const char *what)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("%s: %.12g, expected %.12g", what, got, want);
}

static void test_incident_stats_year_hand_counted(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	struct kt_incident_stats st;
	int64_t pf, pt;
	small_story(f);
	fold(f, year_end(2025), &m);

	kt_incident_period_before(year_start(2025), year_end(2025), &pf, &pt);
	assert_true(pf == year_start(2024));
	assert_true(pt == year_end(2024));
	assert_int_equal(kt_incident_stats(&m, year_start(2025), year_end(2025), pf, pt, &st),
			 KT_OK);
	assert_true(st.from == year_start(2025) && st.to == year_end(2025));
	assert_true(st.prev_from == pf && st.prev_to == pt);

	/* Registered: 8 in 2025 (not the retracted one, nor 2026's), 4 in 2024,
	 * both boundaries of both years included. */
	assert_int_equal(st.now.total, 8);
	assert_int_equal(st.before.total, 4);
	expect_close(kt_change_percent(st.before.total, st.now.total), 100.0, "change");
	assert_int_equal(st.now.category[KT_CATEGORY_AVVIK], 7);
	assert_int_equal(st.now.category[KT_CATEGORY_FORBEDRING], 1);
	assert_int_equal(st.before.category[KT_CATEGORY_AVVIK], 3);
	assert_int_equal(st.before.category[KT_CATEGORY_FORBEDRING], 1);

	/* By area: the corrected report counts where the correction put it. */
	expect_area(&st.now, "helse_omsorg", 4);
	expect_area(&st.now, "oppvekst_utdanning", 2);
	expect_area(&st.now, "sosiale_tjenester", 2);
	expect_area(&st.now, "finans", 0);
	expect_area(&st.now, "byutvikling", 0);
	expect_area(&st.before, "helse_omsorg", 2);
	expect_area(&st.before, "oppvekst_utdanning", 1);
	expect_area(&st.before, "finans", 1);
	expect_area(&st.before, "byutvikling", 0);

	/* By unit (interned names). */
	assert_true(st.n_units >= 6);
	uint32_t oya = unit_of(&m, "H-2025-00001"), sob = unit_of(&m, "H-2025-00002");
	uint32_t har = unit_of(&m, "H-2025-00004"), kri = unit_of(&m, "H-2025-00006");
	uint32_t inn = unit_of(&m, "H-2024-00004"), byd = unit_of(&m, "H-2023-00001");
	assert_int_equal(unit_of(&m, "H-2025-00009"), oya);
	assert_string_equal(kt_incidents_name(&m, oya), "Øya helsehus");
	assert_int_equal(st.now.unit[oya], 3);
	assert_int_equal(st.now.unit[sob], 1);
	assert_int_equal(st.now.unit[har], 2);
	assert_int_equal(st.now.unit[kri], 2);
	assert_int_equal(st.now.unit[inn], 0);
	assert_int_equal(st.now.unit[byd], 0);
	assert_int_equal(st.before.unit[oya], 2);
	assert_int_equal(st.before.unit[har], 1);
	assert_int_equal(st.before.unit[inn], 1);

	/* By type: the latest triage; untriaged apart. */
	assert_int_equal(st.now.type[KT_TYPE_PERSONVERN], 5);
	assert_int_equal(st.now.type[KT_TYPE_HMS], 1);
	assert_int_equal(st.now.type[KT_TYPE_VOLD], 1);
	assert_int_equal(st.now.type[KT_TYPE_PASIENT], 0);
	assert_int_equal(st.now.type[KT_TYPES], 1);
	/* H-2024-00002 was triaged only in 2025: still counted by type. */
	assert_int_equal(st.before.type[KT_TYPE_HMS], 1);
	assert_int_equal(st.before.type[KT_TYPES], 3);

	/* Open at the end of 2025: 2023's, two of 2024's, three of 2025's (one
	 * closed only in 2026). */
	assert_int_equal(st.open_at_end, 6);
	assert_int_equal(st.open_at_end_area[kt_area_find("byutvikling")], 1);
	assert_int_equal(st.open_at_end_area[kt_area_find("helse_omsorg")], 2);
	assert_int_equal(st.open_at_end_area[kt_area_find("oppvekst_utdanning")], 2);
	assert_int_equal(st.open_at_end_area[kt_area_find("sosiale_tjenester")], 1);
	assert_int_equal(st.open_at_end_area[kt_area_find("finans")], 0);

	/* Closed: 1, 2, 5, 10 (the closure in force) and 30 days. */
	assert_int_equal(st.closed, 5);
	expect_close(st.close_days_median, 5.0, "median");
	expect_close(st.close_days_p90, 30.0, "p90");

	assert_int_equal(st.external[KT_RECIPIENT_DATATILSYNET], 2);
	assert_int_equal(st.external[KT_RECIPIENT_ARBEIDSTILSYNET], 1);
	assert_int_equal(st.external[KT_RECIPIENT_STATSFORVALTEREN], 0);
	assert_int_equal(st.external[KT_RECIPIENT_HELSEPLATTFORMEN], 0);
	assert_int_equal(st.external[KT_RECIPIENT_OTHER], 1);
	assert_int_equal(st.external_any, 4);

	assert_int_equal(st.personvern, 5);
	assert_int_equal(st.to_datatilsynet, 2);
	assert_int_equal(st.notify[KT_NOTIFY_IN_TIME], 1);
	assert_int_equal(st.notify[KT_NOTIFY_LATE], 1);
	assert_int_equal(st.notify[KT_NOTIFY_NOT_REQUIRED], 1);
	assert_int_equal(st.notify[KT_NOTIFY_PENDING], 1);
	assert_int_equal(st.notify[KT_NOTIFY_OVERDUE], 1);
	assert_int_equal(st.notify[KT_NOTIFY_NA], 0);

	kt_incident_stats_free(&st);
	kt_incidents_free(&m);
}

static void test_incident_stats_half_year_as_of_its_end(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	struct kt_incident_stats st;
	int64_t from = year_start(2025), to = at("2025-06-30T23:59:59.999999Z"), pf, pt;
	small_story(f);
	fold(f, to, &m);

	/* Not whole years: as many days just before. */
	kt_incident_period_before(from, to, &pf, &pt);
	assert_true(pf == at("2024-07-04T00:00:00Z"));
	assert_true(pt == from - 1);
	assert_int_equal(kt_incident_stats(&m, from, to, pf, pt, &st), KT_OK);

	/* 2025-00001 … 00004, 00006, 00007; before: H-2024-00002 (31 December),
	 * not H-2024-00004 (1 July, before 4 July). */
	assert_int_equal(st.now.total, 6);
	assert_int_equal(st.before.total, 1);
	/* At 30 June H-2024-00002 is closed, H-2025-00007 open (hms → personvern
	 * on 2 June), H-2025-00009 not yet reported. */
	assert_int_equal(st.open_at_end, 5);
	assert_int_equal(st.closed, 4);
	expect_close(st.close_days_median, 2.0, "median");
	expect_close(st.close_days_p90, 30.0, "p90");
	assert_int_equal(st.personvern, 4);
	assert_int_equal(st.notify[KT_NOTIFY_OVERDUE], 1);
	assert_int_equal(st.notify[KT_NOTIFY_PENDING], 0);
	kt_incident_stats_free(&st);
	kt_incidents_free(&m);
}

static void test_incident_stats_previous_period(void **state)
{
	(void)state;
	int64_t pf, pt;
	/* A year after a leap year: the whole leap year. */
	kt_incident_period_before(year_start(2025), year_end(2025), &pf, &pt);
	assert_true(pf == year_start(2024) && pt == year_end(2024));
	/* Two years: the two before. */
	kt_incident_period_before(year_start(2024), year_end(2025), &pf, &pt);
	assert_true(pf == year_start(2022) && pt == year_end(2023));
	/* One day: the day before. */
	kt_incident_period_before(at("2025-03-01"), at("2025-03-02") - 1, &pf, &pt);
	assert_true(pf == at("2025-02-28") && pt == at("2025-03-01") - 1);
}

static void test_incident_stats_change_percent(void **state)
{
	(void)state;
	char text[32];
	/* The annual report: 23 752 in 2024, 21 686 in 2025, "nedgang på 8,7 %". */
	snprintf(text, sizeof text, "%.1f", kt_change_percent(23752, 21686));
	assert_string_equal(text, "-8.7");
	/* helse og omsorg 9 440 → 9 993. */
	snprintf(text, sizeof text, "%.1f", kt_change_percent(9440, 9993));
	assert_string_equal(text, "5.9");
	expect_close(kt_change_percent(4, 8), 100.0, "doubled");
	expect_close(kt_change_percent(5, 5), 0.0, "same");
	expect_close(kt_change_percent(5, 0), -100.0, "none left");
	assert_true(isnan(kt_change_percent(0, 5)));
	assert_true(isnan(kt_change_percent(0, 0)));
}

/* ---- the 72-hour rule ------------------------------------------------- */

static void test_incident_stats_72_hours(void **state)
{
	struct fx *f = *state;
	struct kt_incidents m;
	int64_t reg = at("2025-03-01T10:00:00Z");
	reported(f, "H-2025-00001", "2025-03-01T10:00:00Z", "avvik", "helse_omsorg", "Øya helsehus",
		 NULL);
	triaged(f, "H-2025-00001", "2025-03-01T11:00:00Z", "personvern");
	fold(f, KT_TIME_MAX, &m);
	const struct kt_incident *in = kt_incidents_find(&m, "H-2025-00001", 12);
	assert_non_null(in);
	assert_int_equal(kt_incident_notify_status(in, reg + 72 * HOUR), KT_NOTIFY_PENDING);
	assert_int_equal(kt_incident_notify_status(in, reg + 72 * HOUR + 1), KT_NOTIFY_OVERDUE);
	kt_incidents_free(&m);

	/* Sent at 72:00:00 exactly: in time; a second later: late. */
	external(f, "H-2025-00001", "2025-03-04T10:00:00Z", "datatilsynet");
	fold(f, KT_TIME_MAX, &m);
	in = kt_incidents_find(&m, "H-2025-00001", 12);
	assert_int_equal(kt_incident_notify_status(in, reg + 100 * HOUR), KT_NOTIFY_IN_TIME);
	kt_incidents_free(&m);
	reported(f, "H-2025-00002", "2025-03-01T10:00:00Z", "avvik", "helse_omsorg", "Øya helsehus",
		 NULL);
	triaged(f, "H-2025-00002", "2025-03-01T11:00:00Z", "personvern");
	external(f, "H-2025-00002", "2025-03-04T10:00:01Z", "datatilsynet");
	fold(f, KT_TIME_MAX, &m);
	in = kt_incidents_find(&m, "H-2025-00002", 12);
	assert_int_equal(kt_incident_notify_status(in, reg + 100 * HOUR), KT_NOTIFY_LATE);
	/* Not personvern: no verdict. */
	reported(f, "H-2025-00003", "2025-03-01T10:00:00Z", "avvik", "helse_omsorg", "Øya helsehus",
		 NULL);
	kt_incidents_free(&m);
	fold(f, KT_TIME_MAX, &m);
	in = kt_incidents_find(&m, "H-2025-00003", 12);
	assert_int_equal(kt_incident_notify_status(in, reg + 100 * HOUR), KT_NOTIFY_NA);
	kt_incidents_free(&m);
}

/* ---- the annual report's figures, in memory ---------------------------- */

struct mem {
	struct kt_incidents m;
	struct kt_buf data;
	uint64_t position;
	int64_t as_of; /* events effective later are left out, as kt_replay does */
	char stream[64];
};

/* Apply one event of type to incident number directly, when it is
 * effective by x->as_of. */
static void apply(struct mem *x, const char *number, const char *type, int64_t effective,
		  const char *fmt, ...)
{
	struct kt_event ev;
	va_list ap;
	va_start(ap, fmt);
	payload(&x->data, type, fmt, ap);
	va_end(ap);
	memset(&ev, 0, sizeof ev);
	snprintf(x->stream, sizeof x->stream, "%s%s", KT_INCIDENT_STREAM_PREFIX, number);
	ev.stream = x->stream;
	ev.stream_len = strlen(x->stream);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.effective = effective;
	ev.recorded = effective;
	ev.data = x->data.data;
	ev.data_len = x->data.len;
	ev.position = ++x->position;
	ev.version = 1;
	memcpy(ev.id, &x->position, sizeof x->position); /* unique */
	if (effective > x->as_of)
		return;
	int rc = kt_incidents_projection.apply(&x->m, &ev);
	if (rc)
		fail_msg("apply %s to %s: %s", type, number, kt_strerror(rc));
}

/*
 * 2024: 23 752 incidents, 9 440 of them in helse og omsorg, all closed.
 * 2025: 21 686, 9 993 in helse og omsorg; 40 personvern, 7 of them reported
 * to Datatilsynet (5 within 72 hours); 2 631 still open at the end of the
 * year, 19 055 closed after 1 to 60 days, and some of those closed only in
 * 2026, which the fold as of the end of 2025 leaves open.
 */
static void test_incident_stats_annual_report_figures(void **state)
{
	(void)state;
	struct mem x;
	struct kt_incident_stats st;
	char number[KT_INCIDENT_NUMBER_SIZE];
	const char *other = "oppvekst_utdanning";
	memset(&x, 0, sizeof x);
	x.as_of = year_end(2025);
	kt_incidents_init(&x.m);
	x.data = (struct kt_buf)KT_BUF_INIT(KT_DATA_MAX);
	for (uint32_t k = 1; k <= 23752; k++) {
		int64_t reg = year_start(2024) + (int64_t)(k % 360) * DAY + 10 * HOUR;
		kt_incident_number_format(2024, k, number);
		apply(&x, number, KT_EV_INCIDENT_REPORTED, reg,
		      "{'number':'%s','category':'avvik','unit':'Enhet','area':'%s',"
		      "'occurred':'2024-01-01','text':'x'}",
		      number, k <= 9440 ? "helse_omsorg" : other);
		apply(&x, number, KT_EV_INCIDENT_CLOSED, reg + DAY, "{'conclusion':'x'}");
	}
	for (uint32_t k = 1; k <= 21686; k++) {
		/* The last 100 registered in December, closed in 2026. */
		int64_t reg =
		    year_start(2025) + (int64_t)(k > 21586 ? 340 : k % 300) * DAY + 10 * HOUR;
		kt_incident_number_format(2025, k, number);
		apply(&x, number, KT_EV_INCIDENT_REPORTED, reg,
		      "{'number':'%s','category':'avvik','unit':'Enhet','area':'%s',"
		      "'occurred':'2025-01-01','text':'x'}",
		      number, k <= 9993 ? "helse_omsorg" : other);
		if (k <= 40) {
			apply(&x, number, KT_EV_INCIDENT_TRIAGED, reg,
			      "{'type':'personvern','severity':2}");
			if (k <= 7)
				apply(&x, number, KT_EV_INCIDENT_REPORTED_EXTERNAL,
				      reg + (k <= 5 ? 24 : 96) * HOUR,
				      "{'recipient':'datatilsynet'}");
		}
		if (k > 2531)
			apply(&x, number, KT_EV_INCIDENT_CLOSED,
			      reg + (int64_t)(k > 21586 ? 40 : 1 + k % 60) * DAY,
			      "{'conclusion':'x'}");
	}
	int64_t pf, pt;
	kt_incident_period_before(year_start(2025), year_end(2025), &pf, &pt);
	assert_int_equal(kt_incident_stats(&x.m, year_start(2025), year_end(2025), pf, pt, &st),
			 KT_OK);
	assert_int_equal(st.now.total, 21686);
	assert_int_equal(st.before.total, 23752);
	assert_int_equal(st.now.area[kt_area_find("helse_omsorg")], 9993);
	assert_int_equal(st.before.area[kt_area_find("helse_omsorg")], 9440);
	char text[32];
	snprintf(text, sizeof text, "%.1f", kt_change_percent(st.before.total, st.now.total));
	assert_string_equal(text, "-8.7");
	assert_int_equal(st.open_at_end, 2631);
	assert_int_equal(st.closed, 21686 - 2631);
	expect_close(st.close_days_median, 30.0, "median");
	expect_close(st.close_days_p90, 54.0, "p90");
	assert_int_equal(st.personvern, 40);
	assert_int_equal(st.to_datatilsynet, 7);
	assert_int_equal(st.notify[KT_NOTIFY_IN_TIME], 5);
	assert_int_equal(st.notify[KT_NOTIFY_LATE], 2);
	assert_int_equal(st.notify[KT_NOTIFY_OVERDUE], 33);
	assert_int_equal(st.now.type[KT_TYPES], 21686 - 40);
	kt_incident_stats_free(&st);
	kt_incidents_free(&x.m);
	kt_buf_free(&x.data);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_incident_stats_year_hand_counted),
		T(test_incident_stats_half_year_as_of_its_end),
		cmocka_unit_test(test_incident_stats_previous_period),
		cmocka_unit_test(test_incident_stats_change_percent),
		T(test_incident_stats_72_hours),
		cmocka_unit_test(test_incident_stats_annual_report_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
