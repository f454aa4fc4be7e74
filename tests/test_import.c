/*
 * test_import.c — kt_store_import (store.h): stored envelopes read with
 * kt_iter_next_raw from one store and written verbatim into another give
 * the same log — chain hashes, head, stream versions, id index — which
 * verifies; a batch is all or nothing: whichever event is refused (a
 * version gap, an id stored already, recorded time going back, another
 * chain hash, an envelope that does not decode), the result names it and
 * the store is exactly as before; importing after events of the store's
 * own; a batch that must grow the map.
 *
 * Every test gets fresh stores in its own mkdtemp directory, with faked
 * clocks so recorded times are known, and small maps. Real LMDB throughout.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/chain.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SMALL_MAP ((size_t)256 << 10)

/* ---- clocks and fixture ----------------------------------------------- */

/* Counts up by step from start: every append gets a later time. */
struct clock {
	int64_t now, step;
};

static int64_t tick(void *ctx)
{
	struct clock *c = ctx;
	c->now += c->step;
	return c->now;
}

struct fx {
	char dir[256];
	char src_path[300], dst_path[300];
	kt_store *src, *dst;
	struct clock src_clock, dst_clock;
};

static int open_store(kt_store **s, const char *path, unsigned flags, size_t map,
		      struct clock *clock)
{
	int rc = kt_store_create(s);
	if (rc)
		return rc;
	if ((rc = kt_store_set_mapsize(*s, map)) || (rc = kt_store_set_durable(*s, 0)))
		return rc;
	if (clock && (rc = kt_store_set_clock(*s, tick, clock)))
		return rc;
	return kt_store_open(*s, path, flags);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	snprintf(f->src_path, sizeof f->src_path, "%s/source.db", f->dir);
	snprintf(f->dst_path, sizeof f->dst_path, "%s/target.db", f->dir);
	/* the source's times lie after the target's own */
	f->src_clock = (struct clock){ INT64_C(1700000000000000), 1000 };
	f->dst_clock = (struct clock){ INT64_C(1600000000000000), 1000 };
	if (open_store(&f->src, f->src_path, KT_OPEN_CREATE, (size_t)64 << 20, &f->src_clock) ||
	    open_store(&f->dst, f->dst_path, KT_OPEN_CREATE, SMALL_MAP, &f->dst_clock))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kt_store_close(f->src);
	kt_store_close(f->dst);
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

/* ---- writing the source ----------------------------------------------- */

static void pack_note(msgpack_sbuffer *sb, int n, size_t pad)
{
	msgpack_packer pk;
	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "n", 1);
	msgpack_pack_int(&pk, n);
	msgpack_pack_str_with_body(&pk, "note", 4);
	char text[2000];
	snprintf(text, sizeof text, "note %d ", n);
	size_t len = strlen(text);
	while (len < pad && len < sizeof text - 1)
		text[len++] = 'x';
	text[len] = 0;
	msgpack_pack_str_with_body(&pk, text, len);
}

/* A batch of n events to stream, with every envelope field in use. */
static void append_batch(kt_store *s, const char *stream, int first, size_t n, size_t pad)
{
	struct kt_event ev[16];
	msgpack_sbuffer sb[16];
	assert_true(n <= 16);
	memset(ev, 0, sizeof ev);
	for (size_t i = 0; i < n; i++) {
		int k = first + (int)i;
		pack_note(&sb[i], k, pad);
		ev[i].type = k % 3 ? "test.noted" : "test.checked";
		ev[i].type_len = strlen(ev[i].type);
		ev[i].actor = k % 2 ? "kari" : "ola";
		ev[i].actor_len = strlen(ev[i].actor);
		ev[i].effective = k % 4 ? KT_TIME_UNSET : INT64_C(1500000000000000) + k;
		if (k % 5 == 0) {
			memset(ev[i].correlation, k, 16);
			memset(ev[i].causation, k + 1, 16);
		}
		ev[i].data = (const uint8_t *)sb[i].data;
		ev[i].data_len = sb[i].size;
	}
	int rc = kt_store_append(s, stream, KT_VERSION_ANY, ev, n, NULL);
	for (size_t i = 0; i < n; i++)
		msgpack_sbuffer_destroy(&sb[i]);
	if (rc)
		fail_msg("append to %s: %s", stream, kt_strerror(rc));
}

static const char *const STREAMS[] = { "alpha", "beta", "kontroll-seals", "a much longer name" };

/* SOURCE_EVENTS events in four streams, in batches of 1 to 4. */
enum { SOURCE_EVENTS = 30 };

static void fill_source(kt_store *s)
{
	int k = 0, b = 0;
	while (k < SOURCE_EVENTS) {
		size_t n = (size_t)(b % 4) + 1;
		if (k + (int)n > SOURCE_EVENTS)
			n = (size_t)(SOURCE_EVENTS - k);
		append_batch(s, STREAMS[b % 4], k, n, 0);
		k += (int)n;
		b++;
	}
}

/* ---- exporting -------------------------------------------------------- */

/* One exported event, owning its bytes. */
struct exported {
	uint8_t *envelope;
	size_t len;
	uint8_t hash[KT_HASH_LEN];
	uint8_t id[16];
	char stream[KT_STREAM_MAX + 1];
	uint64_t version;
	int64_t recorded;
};

struct export
{
	struct exported *ev;
	size_t n;
};

/* Positions from..to of s (to 0: the head), through kt_iter_next_raw. */
static struct export export_log(kt_store *s, uint64_t from, uint64_t to)
{
	struct export x = { NULL, 0 };
	kt_reader *r;
	kt_iter *it;
	struct kt_event ev;
	struct kt_raw_event raw;
	int rc;
	assert_int_equal(kt_reader_begin(s, &r), KT_OK);
	if (!to)
		to = kt_reader_head(r);
	x.ev = calloc(to - from + 1, sizeof *x.ev);
	assert_non_null(x.ev);
	assert_int_equal(kt_iter_log(r, from, 0, &it), KT_OK);
	while (x.n < to - from + 1 && (rc = kt_iter_next_raw(it, &ev, &raw)) == KT_OK) {
		struct exported *e = &x.ev[x.n++];
		assert_true(ev.position == from + x.n - 1);
		e->envelope = malloc(raw.len);
		assert_non_null(e->envelope);
		memcpy(e->envelope, raw.envelope, raw.len);
		e->len = raw.len;
		memcpy(e->hash, raw.hash, KT_HASH_LEN);
		memcpy(e->id, ev.id, 16);
		snprintf(e->stream, sizeof e->stream, "%.*s", (int)ev.stream_len, ev.stream);
		e->version = ev.version;
		e->recorded = ev.recorded;
		/* the raw bytes are the event read */
		struct kt_event again;
		assert_int_equal(kt_event_decode(e->envelope, e->len, &again), KT_OK);
		assert_memory_equal(again.id, ev.id, 16);
	}
	kt_iter_free(it);
	kt_reader_end(r);
	assert_true(x.n == to - from + 1);
	return x;
}

static void export_free(struct export *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->ev[i].envelope);
	free(x->ev);
	x->ev = NULL;
	x->n = 0;
}

/* The import list of x's events from..from+n-1, with their hashes when
 * with_hash. */
static struct kt_import_event *to_import(const struct export *x, size_t from, size_t n,
					 int with_hash)
{
	struct kt_import_event *in = calloc(n, sizeof *in);
	assert_non_null(in);
	for (size_t i = 0; i < n; i++) {
		in[i].envelope = x->ev[from + i].envelope;
		in[i].len = x->ev[from + i].len;
		in[i].hash = with_hash ? x->ev[from + i].hash : NULL;
	}
	return in;
}

/* Decode e's envelope, let change() alter the event, encode it again into
 * out: an envelope like e's with one thing different. */
static void altered(const struct exported *e, void (*change)(struct kt_event *, void *), void *ctx,
		    struct kt_buf *out)
{
	struct kt_event ev;
	assert_int_equal(kt_event_decode(e->envelope, e->len, &ev), KT_OK);
	change(&ev, ctx);
	kt_buf_reset(out);
	assert_int_equal(kt_event_encode(&ev, out), KT_OK);
}

/* ---- comparing stores ------------------------------------------------- */

/* Everything a store shows, but the file and map sizes. */
struct state {
	struct kt_store_info info;
	uint64_t versions[4];
};

static struct state state_of(kt_store *s)
{
	struct state st;
	memset(&st, 0, sizeof st);
	assert_int_equal(kt_store_info(s, &st.info), KT_OK);
	st.info.file_bytes = st.info.map_bytes = 0;
	kt_reader *r;
	assert_int_equal(kt_reader_begin(s, &r), KT_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(kt_reader_stream_version(r, STREAMS[i], &st.versions[i]), KT_OK);
	kt_reader_end(r);
	return st;
}

static void assert_same_state(const struct state *a, const struct state *b)
{
	assert_true(a->info.events == b->info.events);
	assert_true(a->info.head == b->info.head);
	assert_true(a->info.streams == b->info.streams);
	assert_true(a->info.last_recorded == b->info.last_recorded);
	assert_memory_equal(a->info.head_hash, b->info.head_hash, 32);
	assert_memory_equal(a->versions, b->versions, sizeof a->versions);
}

static void assert_verifies(kt_store *s)
{
	struct kt_verify_report rep;
	int rc = kt_store_verify(s, &rep, NULL, NULL);
	if (rc)
		fail_msg("verify: %s at %llu: %s", kt_strerror(rc),
			 (unsigned long long)rep.first_bad, rep.problem);
}

/* dst holds x's events at positions first, first + 1, … exactly. */
static void assert_holds(kt_store *dst, const struct export *x, uint64_t first, int same_hashes)
{
	kt_reader *r;
	struct kt_event ev;
	struct kt_raw_event raw;
	assert_int_equal(kt_reader_begin(dst, &r), KT_OK);
	for (size_t i = 0; i < x->n; i++) {
		const struct exported *e = &x->ev[i];
		uint64_t pos = first + i;
		assert_int_equal(kt_reader_get_raw(r, pos, &ev, &raw), KT_OK);
		assert_true(raw.len == e->len);
		assert_memory_equal(raw.envelope, e->envelope, e->len);
		if (same_hashes)
			assert_memory_equal(raw.hash, e->hash, KT_HASH_LEN);
		assert_true(ev.version == e->version);
		assert_true(ev.recorded == e->recorded);
		/* the id index points at it */
		assert_int_equal(kt_reader_get_by_id(r, e->id, &ev), KT_OK);
		assert_true(ev.position == pos);
	}
	kt_reader_end(r);
}

/* ---- the same log ----------------------------------------------------- */

static void test_import_rebuilds_the_same_log(void **state)
{
	struct fx *f = *state;
	fill_source(f->src);
	struct export x = export_log(f->src, 1, 0);
	assert_true(x.n == SOURCE_EVENTS);
	struct kt_import_event *in = to_import(&x, 0, x.n, 1);
	struct kt_import_result res;
	memset(&res, 0x55, sizeof res);
	assert_int_equal(kt_store_import(f->dst, in, x.n, &res), KT_OK);
	assert_true(res.first_position == 1);
	assert_true(res.last_position == SOURCE_EVENTS);

	struct state a = state_of(f->src), b = state_of(f->dst);
	assert_same_state(&a, &b);
	assert_true(b.info.streams == 4);
	assert_true(b.versions[0] > 1 && b.versions[3] > 1);
	assert_holds(f->dst, &x, 1, 1);
	assert_verifies(f->dst);

	/* it is a store like any other: appends carry on after it, and not
	 * before its last recorded time */
	append_batch(f->dst, "alpha", 100, 2, 0);
	struct state c = state_of(f->dst);
	assert_true(c.info.head == SOURCE_EVENTS + 2);
	assert_true(c.versions[0] == a.versions[0] + 2);
	assert_true(c.info.last_recorded >= a.info.last_recorded);
	assert_verifies(f->dst);
	free(in);
	export_free(&x);
}

static void test_import_in_several_batches_gives_the_same_log(void **state)
{
	struct fx *f = *state;
	fill_source(f->src);
	struct export x = export_log(f->src, 1, 0);
	const size_t cuts[] = { 0, 1, 8, 9, 23, SOURCE_EVENTS };
	for (size_t c = 0; c + 1 < sizeof cuts / sizeof cuts[0]; c++) {
		size_t n = cuts[c + 1] - cuts[c];
		struct kt_import_event *in = to_import(&x, cuts[c], n, 1);
		struct kt_import_result res;
		assert_int_equal(kt_store_import(f->dst, in, n, &res), KT_OK);
		assert_true(res.first_position == cuts[c] + 1);
		assert_true(res.last_position == cuts[c + 1]);
		free(in);
	}
	struct state a = state_of(f->src), b = state_of(f->dst);
	assert_same_state(&a, &b);
	assert_holds(f->dst, &x, 1, 1);
	assert_verifies(f->dst);
	export_free(&x);
}

/* ---- all or nothing --------------------------------------------------- */

enum { BATCH = 8 };

/* The target holds the source's first `before` events; then a batch of the
 * next BATCH, with event k replaced by bad (when not NULL) or its hash
 * replaced by bad_hash, must be refused with rc, naming k, leaving the
 * target as it was. */
struct refusal {
	struct export x;
	size_t before;
	struct kt_import_event in[BATCH];
};

static void refusal_setup(struct fx *f, struct refusal *t, size_t before)
{
	fill_source(f->src);
	t->x = export_log(f->src, 1, 0);
	t->before = before;
	if (before) {
		struct kt_import_event *in = to_import(&t->x, 0, before, 1);
		struct kt_import_result res;
		assert_int_equal(kt_store_import(f->dst, in, before, &res), KT_OK);
		free(in);
	}
	struct kt_import_event *in = to_import(&t->x, before, BATCH, 1);
	memcpy(t->in, in, sizeof t->in);
	free(in);
}

static void expect_refused(struct fx *f, struct refusal *t, int rc, size_t k, const char *words)
{
	struct state before = state_of(f->dst);
	struct kt_import_result res;
	memset(&res, 0x55, sizeof res);
	int got = kt_store_import(f->dst, t->in, BATCH, &res);
	if (got != rc)
		fail_msg("import returned %d (%s), want %d (%s): %s", got, kt_strerror(got), rc,
			 kt_strerror(rc), res.problem);
	if (res.failed != k)
		fail_msg("failed = %zu, want %zu: %s", res.failed, k, res.problem);
	if (!res.problem[0] || (words && !strstr(res.problem, words)))
		fail_msg("problem \"%s\" does not say \"%s\"", res.problem, words ? words : "");
	assert_true(res.first_position == 0 && res.last_position == 0);

	/* nothing of the batch landed, not even the events before k */
	struct state after = state_of(f->dst);
	assert_same_state(&before, &after);
	assert_true(after.info.head == t->before);
	kt_reader *r;
	struct kt_event ev;
	assert_int_equal(kt_reader_begin(f->dst, &r), KT_OK);
	for (size_t i = 0; i < BATCH; i++) {
		struct kt_event in_ev;
		if (kt_event_decode(t->in[i].envelope, t->in[i].len, &in_ev))
			continue;
		int stored = kt_reader_get_by_id(r, in_ev.id, &ev);
		/* an id the batch reuses on purpose is stored before it */
		if (stored == KT_OK)
			assert_true(ev.position <= t->before);
	}
	assert_int_equal(kt_reader_get(r, t->before + 1, &ev), KT_ENOTFOUND);
	kt_reader_end(r);
	assert_verifies(f->dst);

	/* and the store takes the sound batch afterwards */
	struct kt_import_event *good = to_import(&t->x, t->before, BATCH, 1);
	assert_int_equal(kt_store_import(f->dst, good, BATCH, &res), KT_OK);
	assert_true(res.first_position == t->before + 1);
	free(good);
	assert_verifies(f->dst);
}

static void refusal_free(struct refusal *t)
{
	export_free(&t->x);
}

static void bump_version(struct kt_event *ev, void *ctx)
{
	ev->version += (uint64_t)(intptr_t)ctx;
}

static void test_import_refuses_a_version_gap(void **state)
{
	struct fx *f = *state;
	const size_t ks[] = { 0, 3, BATCH - 1 };
	for (size_t j = 0; j < 3; j++) {
		struct refusal t;
		struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
		if (j) {
			teardown(state);
			assert_int_equal(setup(state), 0);
			f = *state;
		}
		refusal_setup(f, &t, 5);
		altered(&t.x.ev[5 + ks[j]], bump_version, (void *)(intptr_t)1, &buf);
		t.in[ks[j]].envelope = buf.data;
		t.in[ks[j]].len = buf.len;
		t.in[ks[j]].hash = NULL;
		expect_refused(f, &t, KT_EVERSION, ks[j], "version");
		kt_buf_free(&buf);
		refusal_free(&t);
	}
}

/* The same version twice: the stream's head again. */
static void test_import_refuses_a_version_repeated(void **state)
{
	struct fx *f = *state;
	struct refusal t;
	struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
	refusal_setup(f, &t, 5);
	size_t k = 2;
	assert_true(t.x.ev[5 + k].version > 1);
	altered(&t.x.ev[5 + k], bump_version, (void *)(intptr_t)-1, &buf);
	t.in[k].envelope = buf.data;
	t.in[k].len = buf.len;
	t.in[k].hash = NULL;
	expect_refused(f, &t, KT_EVERSION, k, "version");
	kt_buf_free(&buf);
	refusal_free(&t);
}

static void set_id(struct kt_event *ev, void *ctx)
{
	memcpy(ev->id, ctx, 16);
}

static void test_import_refuses_an_id_already_stored(void **state)
{
	struct fx *f = *state;
	struct refusal t;
	struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
	refusal_setup(f, &t, 5);
	size_t k = 4;
	altered(&t.x.ev[5 + k], set_id, t.x.ev[2].id, &buf); /* stored at position 3 */
	t.in[k].envelope = buf.data;
	t.in[k].len = buf.len;
	t.in[k].hash = NULL;
	expect_refused(f, &t, KT_EIDREUSED, k, "id");
	kt_buf_free(&buf);
	refusal_free(&t);
}

static void test_import_refuses_an_id_twice_in_one_batch(void **state)
{
	struct fx *f = *state;
	struct refusal t;
	struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
	refusal_setup(f, &t, 5);
	size_t k = 6;
	altered(&t.x.ev[5 + k], set_id, t.x.ev[5 + 1].id, &buf); /* batch event 1's */
	t.in[k].envelope = buf.data;
	t.in[k].len = buf.len;
	t.in[k].hash = NULL;
	expect_refused(f, &t, KT_EIDREUSED, k, "id");
	kt_buf_free(&buf);
	refusal_free(&t);
}

static void test_import_refuses_an_event_without_id(void **state)
{
	struct fx *f = *state;
	struct refusal t;
	struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
	static const uint8_t nil[16];
	refusal_setup(f, &t, 5);
	size_t k = 1;
	altered(&t.x.ev[5 + k], set_id, (void *)nil, &buf);
	t.in[k].envelope = buf.data;
	t.in[k].len = buf.len;
	t.in[k].hash = NULL;
	expect_refused(f, &t, KT_EIDREUSED, k, "id");
	kt_buf_free(&buf);
	refusal_free(&t);
}

static void set_recorded(struct kt_event *ev, void *ctx)
{
	ev->recorded = *(const int64_t *)ctx;
}

static void test_import_refuses_recorded_time_going_backwards(void **state)
{
	struct fx *f = *state;
	struct refusal t;
	struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
	refusal_setup(f, &t, 5);
	size_t k = 3;
	int64_t back = t.x.ev[5 + k - 1].recorded - 1;
	altered(&t.x.ev[5 + k], set_recorded, &back, &buf);
	t.in[k].envelope = buf.data;
	t.in[k].len = buf.len;
	t.in[k].hash = NULL;
	expect_refused(f, &t, KT_EDATE, k, "recorded");
	kt_buf_free(&buf);
	refusal_free(&t);
}

/* The first event of a batch against the store's own last event. */
static void test_import_refuses_a_first_event_before_the_stores_last(void **state)
{
	struct fx *f = *state;
	struct refusal t;
	struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
	refusal_setup(f, &t, 5);
	int64_t back = t.x.ev[4].recorded - 1;
	altered(&t.x.ev[5], set_recorded, &back, &buf);
	t.in[0].envelope = buf.data;
	t.in[0].len = buf.len;
	t.in[0].hash = NULL;
	expect_refused(f, &t, KT_EDATE, 0, "recorded");
	kt_buf_free(&buf);
	refusal_free(&t);
}

/* Equal recorded times are not going back (a batch shares one). */
static void test_import_accepts_equal_recorded_times(void **state)
{
	struct fx *f = *state;
	fill_source(f->src);
	struct export x = export_log(f->src, 1, 0);
	int equal = 0;
	for (size_t i = 1; i < x.n; i++)
		equal += x.ev[i].recorded == x.ev[i - 1].recorded;
	assert_true(equal > 0); /* the source has batches */
	struct kt_import_event *in = to_import(&x, 0, x.n, 0);
	struct kt_import_result res;
	assert_int_equal(kt_store_import(f->dst, in, x.n, &res), KT_OK);
	free(in);
	export_free(&x);
}

static void test_import_refuses_another_chain_hash(void **state)
{
	struct fx *f = *state;
	const size_t ks[] = { 0, 5, BATCH - 1 };
	for (size_t j = 0; j < 3; j++) {
		struct refusal t;
		uint8_t hash[KT_HASH_LEN];
		if (j) {
			teardown(state);
			assert_int_equal(setup(state), 0);
			f = *state;
		}
		refusal_setup(f, &t, 5);
		memcpy(hash, t.in[ks[j]].hash, KT_HASH_LEN);
		hash[KT_HASH_LEN - 1] ^= 1;
		t.in[ks[j]].hash = hash;
		expect_refused(f, &t, KT_ECORRUPT, ks[j], "chain hash");
		refusal_free(&t);
	}
}

static void test_import_refuses_an_envelope_that_does_not_decode(void **state)
{
	struct fx *f = *state;
	struct {
		const char *what;
		int rc;
	} cases[] = {
		{ "truncated", KT_EMALFORMED }, { "a byte after it", KT_EMALFORMED },
		{ "garbage", KT_EMALFORMED },	{ "a newer format", KT_EFORMAT },
		{ "too long", KT_ETOOBIG },	{ "empty", KT_EMALFORMED },
	};
	for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
		struct refusal t;
		if (j) {
			teardown(state);
			assert_int_equal(setup(state), 0);
			f = *state;
		}
		refusal_setup(f, &t, 5);
		size_t k = j % BATCH;
		const struct exported *e = &t.x.ev[5 + k];
		uint8_t *bytes = calloc(1, KT_ENVELOPE_MAX + 10);
		assert_non_null(bytes);
		memcpy(bytes, e->envelope, e->len);
		size_t len = e->len;
		switch (j) {
		case 0:
			len -= 3;
			break;
		case 1:
			bytes[len++] = 0xc0;
			break;
		case 2:
			memset(bytes, 0xc1, len);
			break;
		case 3:
			assert_true(bytes[1] == 0x01);
			bytes[1] = 0x02;
			break;
		case 4:
			len = KT_ENVELOPE_MAX + 1;
			break;
		case 5:
			len = 0;
			break;
		}
		t.in[k].envelope = bytes;
		t.in[k].len = len;
		t.in[k].hash = NULL;
		if (cases[j].rc == KT_EMALFORMED || cases[j].rc == KT_EFORMAT ||
		    cases[j].rc == KT_ETOOBIG) {
			struct kt_event ev;
			assert_int_equal(kt_event_decode(bytes, len, &ev), cases[j].rc);
		}
		expect_refused(f, &t, cases[j].rc, k, "decode");
		free(bytes);
		refusal_free(&t);
	}
}

/* ---- after the store's own events ------------------------------------- */

static void test_import_after_existing_events(void **state)
{
	struct fx *f = *state;
	append_batch(f->dst, "local", 0, 3, 0);
	append_batch(f->dst, "alpha", 3, 2, 0);
	struct state own = state_of(f->dst);
	assert_true(own.info.head == 5 && own.info.streams == 2);

	fill_source(f->src);
	struct export x = export_log(f->src, 1, 0);
	struct kt_import_result res;

	/* the events of the streams the store lacks, versions 1, 2, … */
	struct export y = { calloc(x.n, sizeof *y.ev), 0 };
	assert_non_null(y.ev);
	for (size_t i = 0; i < x.n; i++)
		if (strcmp(x.ev[i].stream, "alpha") != 0)
			y.ev[y.n++] = x.ev[i];

	/* with the source's hashes: the log before differs, so the first
	 * event's hash does */
	struct kt_import_event *in = to_import(&y, 0, y.n, 1);
	assert_int_equal(kt_store_import(f->dst, in, y.n, &res), KT_ECORRUPT);
	assert_true(res.failed == 0);
	struct state still = state_of(f->dst);
	assert_same_state(&own, &still);
	free(in);

	/* alpha exists here already: the source's alpha version 1 does not
	 * follow it */
	in = to_import(&x, 0, x.n, 0);
	assert_int_equal(kt_store_import(f->dst, in, x.n, &res), KT_EVERSION);
	assert_true(strcmp(x.ev[res.failed].stream, "alpha") == 0);
	assert_true(x.ev[res.failed].version == 1);
	still = state_of(f->dst);
	assert_same_state(&own, &still);
	free(in);

	/* without hashes they follow, at positions after the store's own */
	in = to_import(&y, 0, y.n, 0);
	assert_int_equal(kt_store_import(f->dst, in, y.n, &res), KT_OK);
	assert_true(res.first_position == 6);
	assert_true(res.last_position == 5 + y.n);
	free(in);
	assert_holds(f->dst, &y, 6, 0);
	struct state now = state_of(f->dst);
	assert_true(now.info.head == 5 + y.n);
	assert_true(now.info.streams == 5); /* local, alpha + beta, seals, long */
	assert_true(now.versions[0] == own.versions[0]);
	assert_verifies(f->dst);

	/* and one more event to a stream the store has, at its next version */
	uint64_t local;
	kt_reader *r;
	assert_int_equal(kt_reader_begin(f->dst, &r), KT_OK);
	assert_int_equal(kt_reader_stream_version(r, "local", &local), KT_OK);
	kt_reader_end(r);
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	msgpack_sbuffer sb;
	pack_note(&sb, 77, 0);
	ev.id[0] = 0x42;
	ev.id[15] = 0x17;
	ev.stream = "local";
	ev.stream_len = 5;
	ev.version = local + 1;
	ev.type = "test.noted";
	ev.type_len = 10;
	ev.recorded = x.ev[x.n - 1].recorded + 5;
	ev.effective = ev.recorded;
	ev.data = (const uint8_t *)sb.data;
	ev.data_len = sb.size;
	struct kt_buf buf = KT_BUF_INIT(KT_ENVELOPE_MAX);
	assert_int_equal(kt_event_encode(&ev, &buf), KT_OK);
	msgpack_sbuffer_destroy(&sb);
	struct kt_import_event one = { buf.data, buf.len, NULL };
	assert_int_equal(kt_store_import(f->dst, &one, 1, &res), KT_OK);
	assert_true(res.first_position == 6 + y.n);
	assert_int_equal(kt_reader_begin(f->dst, &r), KT_OK);
	assert_int_equal(kt_reader_stream_version(r, "local", &local), KT_OK);
	assert_true(local == 4);
	kt_reader_end(r);
	now = state_of(f->dst);
	assert_true(now.info.streams == 5);
	assert_true(now.info.last_recorded == ev.recorded);
	assert_verifies(f->dst);
	kt_buf_free(&buf);
	free(y.ev); /* y borrowed x's bytes */
	export_free(&x);
}

/* ---- map growth and bad calls ----------------------------------------- */

static void test_import_grows_the_map_and_lands_whole(void **state)
{
	struct fx *f = *state;
	kt_store_close(f->dst);
	unlink(f->dst_path);
	char lock[320];
	snprintf(lock, sizeof lock, "%s-lock", f->dst_path);
	unlink(lock);
	assert_int_equal(open_store(&f->dst, f->dst_path, KT_OPEN_CREATE, (size_t)64 << 10, NULL),
			 KT_OK);
	struct kt_store_info small;
	assert_int_equal(kt_store_info(f->dst, &small), KT_OK);

	enum { N = 3000 };
	for (int k = 0; k < N; k += 10)
		append_batch(f->src, STREAMS[(k / 10) % 4], k, 10, 900);
	struct export x = export_log(f->src, 1, 0);
	assert_true(x.n == N);
	struct kt_import_event *in = to_import(&x, 0, x.n, 1);
	struct kt_import_result res;
	assert_int_equal(kt_store_import(f->dst, in, x.n, &res), KT_OK);
	assert_true(res.first_position == 1 && res.last_position == N);
	struct kt_store_info big;
	assert_int_equal(kt_store_info(f->dst, &big), KT_OK);
	assert_true(big.map_bytes > small.map_bytes);
	assert_true(big.map_bytes >= (uint64_t)N * 900);
	struct state a = state_of(f->src), b = state_of(f->dst);
	assert_same_state(&a, &b);
	assert_holds(f->dst, &x, 1, 1);
	assert_verifies(f->dst);
	free(in);
	export_free(&x);
}

/* A refused batch in a store that had to grow on the way: still nothing. */
static void test_import_refused_after_growing_leaves_nothing(void **state)
{
	struct fx *f = *state;
	kt_store_close(f->dst);
	unlink(f->dst_path);
	assert_int_equal(open_store(&f->dst, f->dst_path, KT_OPEN_CREATE, (size_t)64 << 10, NULL),
			 KT_OK);
	enum { N = 1000 };
	for (int k = 0; k < N; k += 10)
		append_batch(f->src, STREAMS[(k / 10) % 4], k, 10, 900);
	struct export x = export_log(f->src, 1, 0);
	struct kt_import_event *in = to_import(&x, 0, x.n, 1);
	uint8_t hash[KT_HASH_LEN];
	memcpy(hash, x.ev[N - 1].hash, KT_HASH_LEN);
	hash[0] ^= 1;
	in[N - 1].hash = hash;
	struct kt_import_result res;
	assert_int_equal(kt_store_import(f->dst, in, x.n, &res), KT_ECORRUPT);
	assert_true(res.failed == N - 1);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->dst, &info), KT_OK);
	assert_true(info.head == 0 && info.events == 0 && info.streams == 0);
	assert_verifies(f->dst);
	free(in);
	export_free(&x);
}

static void test_import_refuses_no_events_and_a_readonly_store(void **state)
{
	struct fx *f = *state;
	fill_source(f->src);
	struct export x = export_log(f->src, 1, 3);
	struct kt_import_event *in = to_import(&x, 0, x.n, 1);
	struct kt_import_result res;
	assert_int_equal(kt_store_import(f->dst, in, 0, &res), KT_EINVAL);
	assert_int_equal(kt_store_import(f->dst, NULL, 3, &res), KT_EINVAL);
	kt_store_close(f->dst);
	assert_int_equal(open_store(&f->dst, f->dst_path, KT_OPEN_READONLY, SMALL_MAP, NULL),
			 KT_OK);
	assert_int_equal(kt_store_import(f->dst, in, x.n, &res), KT_EREADONLY);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->dst, &info), KT_OK);
	assert_true(info.head == 0);
	free(in);
	export_free(&x);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_import_rebuilds_the_same_log),
		T(test_import_in_several_batches_gives_the_same_log),
		T(test_import_refuses_a_version_gap),
		T(test_import_refuses_a_version_repeated),
		T(test_import_refuses_an_id_already_stored),
		T(test_import_refuses_an_id_twice_in_one_batch),
		T(test_import_refuses_an_event_without_id),
		T(test_import_refuses_recorded_time_going_backwards),
		T(test_import_refuses_a_first_event_before_the_stores_last),
		T(test_import_accepts_equal_recorded_times),
		T(test_import_refuses_another_chain_hash),
		T(test_import_refuses_an_envelope_that_does_not_decode),
		T(test_import_after_existing_events),
		T(test_import_grows_the_map_and_lands_whole),
		T(test_import_refused_after_growing_leaves_nothing),
		T(test_import_refuses_no_events_and_a_readonly_store),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
