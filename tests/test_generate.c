/*
 * test_generate.c — the incident generator (src/generate.c): the same
 * parameters write the same events (ids, payloads, effective times) and
 * another seed other ones; every event passes the catalogue; the figures it
 * promises hold exactly in the incidents read model and kt_incident_stats —
 * for small years, for several years in one store in any order, and for the
 * full 2024 and 2025; the defaults and the checks of the figures; what it
 * finds already in a store; and stopping a load.
 *
 * Each test works in its own mkdtemp directory with stores whose commits are
 * not synced; the directory is removed afterwards.
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
#include "kontroll/generate.h"
#include "kontroll/incidents.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/organisation.h"
#include "kontroll/replay.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAP ((size_t)64 << 20)

/* ---- fixture: a directory for stores --------------------------------------- */

struct fx {
	char dir[256];
	char path[300];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-generate-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
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

/* A new store NAME in the fixture's directory. */
static kt_store *new_store(struct fx *f, const char *name)
{
	kt_store *s;
	snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
	assert_int_equal(kt_store_create(&s), 0);
	assert_int_equal(kt_store_set_mapsize(s, MAP), 0);
	assert_int_equal(kt_store_set_durable(s, 0), 0);
	assert_int_equal(kt_store_open(s, f->path, KT_OPEN_CREATE), 0);
	return s;
}

/* ---- helpers ------------------------------------------------------------- */

static void params_for(int year, uint32_t count, uint64_t seed, struct kt_generate_params *p)
{
	char why[200] = "";
	int rc = kt_generate_defaults(year, count, seed, p, why, sizeof why);
	if (rc)
		fail_msg("defaults for %d: %s", year, why);
}

static void generate(kt_store *s, const struct kt_generate_params *p,
		     struct kt_generate_result *res)
{
	char why[200] = "";
	int rc = kt_generate_incidents(s, p, res, NULL, NULL, why, sizeof why);
	if (rc)
		fail_msg("generating %d: %s (%s)", p->year, kt_strerror(rc), why);
	assert_int_equal(res->incidents, p->count);
}

static int64_t year_start(int year)
{
	return kt_time_days_from_civil(year, 1, 1) * KT_US_PER_DAY;
}

/* The last microsecond of year. */
static int64_t year_end(int year)
{
	return year_start(year + 1) - 1;
}

/* The model as of moment, replayed from the first event. */
static void model_at(kt_store *s, int64_t moment, struct kt_incidents *m)
{
	struct kt_replay_query q = { KT_TIME_MAX, moment, 0, 0, NULL, NULL };
	kt_incidents_init(m);
	assert_int_equal(kt_replay(s, &kt_incidents_projection, m, &q, NULL), 0);
}

/* The statistics of year, compared with the year before, as the system
 * showed them at its end. */
static void year_stats(kt_store *s, int year, struct kt_incident_stats *st)
{
	struct kt_incidents m;
	model_at(s, year_end(year), &m);
	assert_int_equal(kt_incident_stats(&m, year_start(year), year_end(year),
					   year_start(year - 1), year_end(year - 1), st),
			 0);
	kt_incidents_free(&m);
}

static int helse_omsorg(void)
{
	int a = kt_area_by_key("helse_omsorg", 12);
	assert_true(a >= 0);
	return a;
}

/* Every figure the generator promises for p->year, in the store s. */
static void expect_exact(kt_store *s, const struct kt_generate_params *p)
{
	struct kt_incident_stats st;
	year_stats(s, p->year, &st);
	assert_int_equal(st.now.total, p->count);
	assert_int_equal(st.now.area[helse_omsorg()], p->helse_omsorg);
	assert_int_equal(st.open_at_end, p->open_at_end);
	assert_int_equal(st.closed, p->count - p->open_at_end);
	assert_int_equal(st.personvern, p->personvern);
	assert_int_equal(st.now.type[KT_TYPE_PERSONVERN], p->personvern);
	assert_int_equal(st.to_datatilsynet, p->datatilsynet);
	assert_int_equal(st.external[KT_RECIPIENT_DATATILSYNET], p->datatilsynet);
	assert_int_equal(st.notify[KT_NOTIFY_LATE], p->datatilsynet / 6);
	assert_int_equal(st.notify[KT_NOTIFY_IN_TIME], p->datatilsynet - p->datatilsynet / 6);
	assert_int_equal(st.notify[KT_NOTIFY_NOT_REQUIRED], p->personvern - p->datatilsynet);
	assert_int_equal(st.notify[KT_NOTIFY_PENDING], 0);
	assert_int_equal(st.notify[KT_NOTIFY_OVERDUE], 0);
	kt_incident_stats_free(&st);
}

/* Compare two stores' logs event by event, all but recorded time and
 * position; returns the number of events. */
static uint64_t expect_same_logs(kt_store *a, kt_store *b)
{
	kt_reader *ra, *rb;
	kt_iter *ia, *ib;
	struct kt_event x, y;
	uint64_t n = 0;
	assert_int_equal(kt_reader_begin(a, &ra), 0);
	assert_int_equal(kt_reader_begin(b, &rb), 0);
	assert_int_equal(kt_reader_head(ra), kt_reader_head(rb));
	assert_int_equal(kt_iter_log(ra, 1, 0, &ia), 0);
	assert_int_equal(kt_iter_log(rb, 1, 0, &ib), 0);
	for (;;) {
		int ea = kt_iter_next(ia, &x), eb = kt_iter_next(ib, &y);
		assert_int_equal(ea, eb);
		if (ea == KT_ENOTFOUND)
			break;
		assert_int_equal(ea, 0);
		assert_memory_equal(x.id, y.id, 16);
		assert_int_equal(x.stream_len, y.stream_len);
		assert_memory_equal(x.stream, y.stream, x.stream_len);
		assert_int_equal(x.version, y.version);
		assert_int_equal(x.type_len, y.type_len);
		assert_memory_equal(x.type, y.type, x.type_len);
		assert_true(x.effective == y.effective);
		assert_int_equal(x.actor_len, y.actor_len);
		assert_memory_equal(x.actor, y.actor, x.actor_len);
		assert_int_equal(x.data_len, y.data_len);
		assert_memory_equal(x.data, y.data, x.data_len);
		n++;
	}
	kt_iter_free(ia);
	kt_iter_free(ib);
	kt_reader_end(ra);
	kt_reader_end(rb);
	return n;
}

/* ---- determinism ----------------------------------------------------------- */

static void test_generate_same_seed_same_events_other_seed_other(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params p, q;
	struct kt_generate_result ra, rb, rc;
	params_for(2025, 1500, 7, &p);
	kt_store *a = new_store(f, "a.db");
	kt_store *b = new_store(f, "b.db");
	generate(a, &p, &ra);
	generate(b, &p, &rb);
	assert_int_equal(ra.events, rb.events);
	assert_int_equal(expect_same_logs(a, b), ra.events);
	assert_memory_equal(&ra.area, &rb.area, sizeof ra.area);
	assert_int_equal(ra.actions, rb.actions);

	/* Another seed: other events (the first report already differs). */
	params_for(2025, 1500, 8, &q);
	kt_store *c = new_store(f, "c.db");
	generate(c, &q, &rc);
	kt_reader *r1, *r2;
	struct kt_event x, y;
	assert_int_equal(kt_reader_begin(a, &r1), 0);
	assert_int_equal(kt_reader_begin(c, &r2), 0);
	assert_int_equal(kt_reader_get(r1, 1, &x), 0);
	assert_int_equal(kt_reader_get(r2, 1, &y), 0);
	assert_memory_not_equal(x.id, y.id, 16);
	assert_true(x.data_len != y.data_len || memcmp(x.data, y.data, x.data_len) != 0 ||
		    x.effective != y.effective);
	kt_reader_end(r1);
	kt_reader_end(r2);
	/* The figures are the same, whatever the seed. */
	expect_exact(c, &q);
	kt_store_close(a);
	kt_store_close(b);
	kt_store_close(c);
}

/* Every event: a catalogued incident type whose payload passes the
 * catalogue; a UUIDv7 id carrying its effective millisecond; each stream
 * starts with its report, ends with a closure, and runs forward in time. */
static void test_generate_events_pass_the_catalogue(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params p;
	struct kt_generate_result res;
	params_for(2025, 2000, 3, &p);
	kt_store *s = new_store(f, "a.db");
	generate(s, &p, &res);

	kt_reader *r;
	kt_iter *it;
	struct kt_event ev;
	char why[200];
	char stream[64] = "";
	int64_t last = 0;
	uint64_t n = 0, by_type[16] = { 0 };
	const char *prev_type = NULL;
	assert_int_equal(kt_reader_begin(s, &r), 0);
	assert_int_equal(kt_iter_log(r, 1, 0, &it), 0);
	while (kt_iter_next(it, &ev) == 0) {
		why[0] = 0;
		if (kt_catalogue_check(ev.type, ev.type_len, ev.data, ev.data_len, why, sizeof why))
			fail_msg("%.*s at %llu: %s", (int)ev.type_len, ev.type,
				 (unsigned long long)ev.position, why);
		size_t k = 0;
		const struct kt_schema *sc;
		while (
		    (sc = kt_incident_schema_at(k)) &&
		    !(strlen(sc->type) == ev.type_len && !memcmp(sc->type, ev.type, ev.type_len)))
			k++;
		assert_non_null(sc);
		by_type[k]++;
		assert_int_equal(ev.id[6] >> 4, 7);
		assert_int_equal(ev.id[8] & 0xc0, 0x80);
		uint64_t ms = 0;
		for (int j = 0; j < 6; j++)
			ms = ms << 8 | ev.id[j];
		assert_true(ms == (uint64_t)(ev.effective / 1000));
		assert_true(ev.effective % KT_US_PER_SEC == 0);
		if (ev.version == 1) {
			if (prev_type)
				assert_string_equal(prev_type, KT_EV_INCIDENT_CLOSED);
			assert_int_equal(ev.type_len, strlen(KT_EV_INCIDENT_REPORTED));
			assert_memory_equal(ev.type, KT_EV_INCIDENT_REPORTED, ev.type_len);
			assert_true(ev.effective >= year_start(2025) &&
				    ev.effective <= year_end(2025));
			assert_true(ev.stream_len < sizeof stream);
			memcpy(stream, ev.stream, ev.stream_len);
			stream[ev.stream_len] = 0;
		} else {
			assert_int_equal(ev.stream_len, strlen(stream));
			assert_memory_equal(ev.stream, stream, ev.stream_len);
			assert_true(ev.effective >= last);
		}
		prev_type = (ev.type_len == strlen(KT_EV_INCIDENT_CLOSED) &&
			     !memcmp(ev.type, KT_EV_INCIDENT_CLOSED, ev.type_len))
				? KT_EV_INCIDENT_CLOSED
				: "other";
		last = ev.effective;
		n++;
	}
	assert_string_equal(prev_type, KT_EV_INCIDENT_CLOSED);
	kt_iter_free(it);
	kt_reader_end(r);
	assert_int_equal(n, res.events);
	/* Every type of the catalogue occurs (reopenings too, at 2,000). */
	for (size_t k = 0; kt_incident_schema_at(k); k++)
		if (!by_type[k])
			fail_msg("no %s", kt_incident_schema_at(k)->type);

	/* Numbers follow the order of registration; every incident is closed
	 * by the end of the next year. */
	struct kt_incidents m;
	model_at(s, KT_TIME_MAX, &m);
	assert_int_equal(m.n, p.count);
	for (size_t k = 0; k < m.n; k++) {
		const struct kt_incident *in = &m.items[k];
		assert_int_equal(in->seq, k + 1);
		if (k)
			assert_true(in->registered >= m.items[k - 1].registered);
		assert_true(in->closed && in->closed_at <= year_end(2026));
		assert_true(in->type >= 0 && in->severity >= 1 && in->severity <= 4);
		assert_int_equal(in->actions_open, 0);
	}
	kt_incidents_free(&m);
	kt_store_close(s);
}

/* ---- the figures --------------------------------------------------------- */

static void test_generate_small_years_are_exact_in_any_order(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params p23, p24, p25;
	struct kt_generate_result r;
	params_for(2023, 1200, 1, &p23);
	params_for(2024, 1300, 1, &p24);
	params_for(2025, 3200, 1, &p25);
	assert_true(p25.personvern > 0 && p25.datatilsynet > 0);
	kt_store *s = new_store(f, "a.db");
	generate(s, &p25, &r);
	assert_int_equal(r.helse_omsorg, p25.helse_omsorg);
	assert_int_equal(r.open_at_end, p25.open_at_end);
	assert_int_equal(r.personvern, p25.personvern);
	assert_int_equal(r.datatilsynet, p25.datatilsynet);
	expect_exact(s, &p25);
	generate(s, &p23, &r);
	generate(s, &p24, &r);
	expect_exact(s, &p23);
	expect_exact(s, &p24);
	expect_exact(s, &p25);

	/* At the end of 2026 every incident of these years is closed. */
	struct kt_incident_stats st;
	year_stats(s, 2026, &st);
	assert_int_equal(st.open_at_end, 0);
	assert_int_equal(st.now.total, 0);
	kt_incident_stats_free(&st);
	kt_store_close(s);
}

/* Figures far from the defaults: none open, all open but the personvern
 * ones, every personvern incident reported, none at all. */
static void test_generate_extreme_figures_are_exact(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params ps[] = {
		{ 2019, 11, 300, 0, 0, 12, 12 },
		{ 2020, 12, 300, 300, 250, 10, 10 },
		{ 2021, 13, 300, 150, 0, 0, 0 },
		{ 2022, 14, 5, 0, 5, 0, 0 },
	};
	kt_store *s = new_store(f, "a.db");
	for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) {
		struct kt_generate_result r;
		char why[200] = "";
		assert_int_equal(kt_generate_check(&ps[k], why, sizeof why), 0);
		generate(s, &ps[k], &r);
	}
	for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++)
		expect_exact(s, &ps[k]);
	kt_store_close(s);
}

static void test_generate_full_2024_and_2025_are_exact(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params p24, p25;
	struct kt_generate_result r24, r25;
	params_for(2024, 0, 1, &p24);
	params_for(2025, 0, 1, &p25);
	kt_store *s = new_store(f, "a.db");
	generate(s, &p25, &r25);
	generate(s, &p24, &r24);
	expect_exact(s, &p24);
	expect_exact(s, &p25);

	/* The report's figures, and 2024 as derived from −8.7 %. */
	struct kt_incident_stats st;
	year_stats(s, 2025, &st);
	assert_int_equal(st.now.total, 21686);
	assert_int_equal(st.before.total, 23752);
	assert_int_equal(st.now.area[helse_omsorg()], 9993);
	assert_int_equal(st.before.area[helse_omsorg()], 9440);
	assert_int_equal(st.open_at_end, 2631);
	assert_int_equal(st.personvern, 40);
	assert_int_equal(st.to_datatilsynet, 7);
	double change = kt_change_percent(st.before.total, st.now.total);
	assert_true(change > -8.75 && change <= -8.65);
	/* Plausible shape (docs/generator.md): a median of about two weeks to
	 * close, a 90th percentile of two to three months. */
	assert_true(st.close_days_median > 10 && st.close_days_median < 20);
	assert_true(st.close_days_p90 > 45 && st.close_days_p90 < 100);
	assert_true(st.now.category[KT_CATEGORY_FORBEDRING] > 500 &&
		    st.now.category[KT_CATEGORY_FORBEDRING] < 3000);
	kt_incident_stats_free(&st);
	assert_true(r25.actions_late > 0 && r25.actions_late < r25.actions / 3);
	assert_true(r25.reopened > 0 && r25.reopened < r25.incidents / 20);
	kt_store_close(s);
}

/* ---- defaults and checks ------------------------------------------------- */

static void test_generate_defaults(void **state)
{
	(void)state;
	struct kt_generate_params p;
	char why[200];
	assert_int_equal(kt_generate_defaults(2025, 0, 5, &p, why, sizeof why), 0);
	assert_int_equal(p.year, 2025);
	assert_true(p.seed == 5);
	assert_int_equal(p.count, 21686);
	assert_int_equal(p.helse_omsorg, 9993);
	assert_int_equal(p.open_at_end, 2631);
	assert_int_equal(p.personvern, 40);
	assert_int_equal(p.datatilsynet, 7);
	assert_int_equal(kt_generate_defaults(2024, 0, 5, &p, why, sizeof why), 0);
	assert_int_equal(p.count, 23752);
	assert_int_equal(p.helse_omsorg, 9440);
	assert_int_equal(kt_generate_defaults(2025, 21686, 5, &p, why, sizeof why), 0);
	assert_int_equal(p.helse_omsorg, 9993);
	/* Scaled: 2,169 is a tenth of 2025, rounded. */
	assert_int_equal(kt_generate_defaults(2025, 2169, 5, &p, why, sizeof why), 0);
	assert_int_equal(p.helse_omsorg, 999);
	assert_int_equal(p.open_at_end, 263);
	assert_int_equal(p.personvern, 4);
	assert_int_equal(p.datatilsynet, 1);
	assert_int_equal(kt_generate_defaults(2018, 21686, 5, &p, why, sizeof why), 0);
	assert_int_equal(p.helse_omsorg, 9993);
	assert_int_equal(p.open_at_end, 2631);
	/* Other years need a count; years and counts out of range. */
	assert_int_equal(kt_generate_defaults(2018, 0, 5, &p, why, sizeof why), KT_EINVAL);
	assert_non_null(strstr(why, "count"));
	assert_int_equal(kt_generate_defaults(1970, 100, 5, &p, why, sizeof why), KT_EINVAL);
	assert_non_null(strstr(why, "year"));
	assert_int_equal(kt_generate_defaults(9999, 100, 5, &p, why, sizeof why), KT_EINVAL);
	assert_int_equal(
	    kt_generate_defaults(2025, KT_GENERATE_COUNT_MAX + 1, 5, &p, why, sizeof why),
	    KT_EINVAL);
}

static void test_generate_check_refuses_figures_that_cannot_hold(void **state)
{
	(void)state;
	static const struct {
		struct kt_generate_params p;
		const char *word;
	} bad[] = {
		{ { 1970, 1, 10, 0, 0, 0, 0 }, "year" },
		{ { 2025, 1, 0, 0, 0, 0, 0 }, "count" },
		{ { 2025, 1, 10, 11, 0, 0, 0 }, "helse og omsorg" },
		{ { 2025, 1, 10, 0, 11, 0, 0 }, "open" },
		{ { 2025, 1, 10, 0, 8, 3, 0 }, "personvern" },
		{ { 2025, 1, 10, 0, 0, 3, 4 }, "datatilsynet" },
	};
	char why[200];
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		why[0] = 0;
		assert_int_equal(kt_generate_check(&bad[k].p, why, sizeof why), KT_EINVAL);
		if (!strstr(why, bad[k].word))
			fail_msg("case %zu: '%s' does not name %s", k, why, bad[k].word);
	}
	struct kt_generate_params ok = { 2025, 1, 10, 10, 8, 2, 2 };
	assert_int_equal(kt_generate_check(&ok, why, sizeof why), 0);
}

/* Personvern incidents come from the avvik registered before December and
 * closed within the year; asking for more than those is refused before
 * anything is written. */
static void test_generate_refuses_personvern_it_cannot_place(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params p = { 2025, 1, 30, 10, 0, 30, 0 };
	struct kt_generate_result r;
	char why[200] = "";
	kt_store *s = new_store(f, "a.db");
	assert_int_equal(kt_generate_check(&p, why, sizeof why), 0);
	assert_int_equal(kt_generate_incidents(s, &p, &r, NULL, NULL, why, sizeof why), KT_EINVAL);
	assert_non_null(strstr(why, "personvern"));
	assert_int_equal(r.incidents, 0);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(s, &info), 0);
	assert_int_equal(info.events, 0);
	kt_store_close(s);
}

/* ---- what the store holds ------------------------------------------------ */

static void append_one(kt_store *s, const char *stream, const char *type, const char *json)
{
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	char why[200];
	assert_int_equal(kt_json_to_data(json, strlen(json), &data, why, sizeof why), 0);
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.actor = "test";
	ev.actor_len = 4;
	ev.effective = KT_TIME_UNSET;
	ev.data = data.data;
	ev.data_len = data.len;
	assert_int_equal(kt_store_append(s, stream, KT_VERSION_ANY, &ev, 1, NULL), 0);
	kt_buf_free(&data);
}

static void test_generate_existing_finds_incidents_of_the_year(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params p;
	struct kt_generate_result r;
	char number[KT_INCIDENT_NUMBER_SIZE];
	kt_store *s = new_store(f, "a.db");
	assert_int_equal(kt_generate_existing(s, 2025, 21686, number), 0);
	params_for(2025, 500, 1, &p);
	generate(s, &p, &r);
	assert_int_equal(kt_generate_existing(s, 2025, 100, number), KT_EEXIST);
	assert_string_equal(number, "H-2025-00001");
	assert_int_equal(kt_generate_existing(s, 2024, 23752, number), 0);

	/* One incident reported by hand, numbered beyond what would be written. */
	append_one(s, "incident-H-2023-00042", KT_EV_INCIDENT_REPORTED,
		   "{\"number\":\"H-2023-00042\",\"category\":\"avvik\",\"unit\":\"Øya helsehus\","
		   "\"area\":\"helse_omsorg\",\"occurred\":\"2023-03-01\",\"text\":\"Fall.\"}");
	assert_int_equal(kt_generate_existing(s, 2023, 10, number), KT_EEXIST);
	assert_string_equal(number, "H-2023-00042");

	/* A stream of a number the load would write, though the model does not
	 * know it (never reported): found, and the load refuses it. */
	append_one(s, "incident-H-2022-00003", "note", "{}");
	assert_int_equal(kt_generate_existing(s, 2022, 2, number), 0);
	assert_int_equal(kt_generate_existing(s, 2022, 5, number), KT_EEXIST);
	assert_string_equal(number, "H-2022-00003");
	struct kt_generate_params q = { 2022, 1, 5, 0, 0, 0, 0 };
	char why[200] = "";
	assert_int_equal(kt_generate_incidents(s, &q, &r, NULL, NULL, why, sizeof why),
			 KT_EVERSION);
	assert_non_null(strstr(why, "H-2022-00003"));
	assert_int_equal(r.incidents, 2);
	kt_store_close(s);
}

static int stop_at_once(void *ctx, uint64_t done, uint64_t total)
{
	(void)total;
	*(uint64_t *)ctx = done;
	return 1;
}

static void test_generate_progress_can_stop_the_load(void **state)
{
	struct fx *f = *state;
	struct kt_generate_params p;
	struct kt_generate_result r;
	uint64_t seen = 0;
	char why[200];
	params_for(2025, 2500, 1, &p);
	kt_store *s = new_store(f, "a.db");
	assert_int_equal(kt_generate_incidents(s, &p, &r, stop_at_once, &seen, why, sizeof why),
			 EINTR);
	assert_int_equal(seen, 1000);
	assert_int_equal(r.incidents, 1000);
	struct kt_incidents m;
	model_at(s, KT_TIME_MAX, &m);
	assert_int_equal(m.n, 1000);
	kt_incidents_free(&m);
	kt_store_close(s);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_generate_same_seed_same_events_other_seed_other),
		T(test_generate_events_pass_the_catalogue),
		T(test_generate_small_years_are_exact_in_any_order),
		T(test_generate_extreme_figures_are_exact),
		T(test_generate_full_2024_and_2025_are_exact),
		T(test_generate_defaults),
		T(test_generate_check_refuses_figures_that_cannot_hold),
		T(test_generate_refuses_personvern_it_cannot_place),
		T(test_generate_existing_finds_incidents_of_the_year),
		T(test_generate_progress_can_stop_the_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
