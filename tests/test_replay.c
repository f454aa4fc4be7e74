/*
 * test_replay.c — the replay engine: folds by known-at and as-of compared
 * with a naive model computed straight from the generated events, on a large
 * random log, with no snapshots, with snapshots made and used along the way,
 * and after deleting them all; snapshots that survive backdated appends; the
 * checks that keep a snapshot from being served to the wrong projection
 * version or to another history; past known-at queries that must not displace
 * the present's snapshot; clearing one projection's snapshots; errors from
 * apply and save; read-only stores; invalid projections; exact statistics.
 *
 * The projection under test is a "ledger" defined here: a count, the sum of
 * each event's data field "n", an order-sensitive digest over the positions
 * applied, and per-stream counts for streams "s-0" … "s-63". Its state is
 * saved as msgpack with msgpack-c's packer and read back with kontroll's
 * bounded reader.
 *
 * Every test gets a fresh store in its own mkdtemp directory, with a faked
 * clock and commits not synced; the directory is removed afterwards. Real
 * LMDB throughout; tests that damage a snapshot do it with raw LMDB while the
 * store is closed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/buf.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/mpread.h"
#include "kontroll/replay.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <errno.h>
#include <lmdb.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAP ((size_t)1 << 20)
#define SEC INT64_C(1000000)
#define DAY (86400 * SEC)
/* 2025-01-01T00:00:00Z in µs: where the faked clock starts. */
#define T0 INT64_C(1735689600000000)

#define LEDGER_STREAMS 64
#define FNV_OFFSET     UINT64_C(14695981039346656037)
#define FNV_PRIME      UINT64_C(1099511628211)

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

/* ---- the ledger projection -------------------------------------------- */

struct ledger {
	uint64_t count;
	int64_t sum;
	uint64_t digest;
	uint64_t per_stream[LEDGER_STREAMS];
};

/* Faults the tests inject: apply fails at one position, save always. */
static struct {
	uint64_t apply_position; /* 0: none */
	int apply_code;
	int save_code; /* 0: none */
} fault;
static uint64_t apply_calls;

/* The k of a stream named "s-k" (0 ≤ k < 64, no leading zero), else -1. */
static int stream_index(const char *s, size_t len)
{
	if (len < 3 || len > 4 || s[0] != 's' || s[1] != '-')
		return -1;
	int k = 0;
	for (size_t i = 2; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || (i == 2 && s[i] == '0' && len > 3))
			return -1;
		k = k * 10 + (s[i] - '0');
	}
	return k < LEDGER_STREAMS ? k : -1;
}

/* The integer "n" of data {"n": int}. */
static int data_n(const uint8_t *data, size_t len, int64_t *n)
{
	struct kt_mp r = kt_mp_init(data, len);
	uint32_t count;
	const char *key;
	size_t key_len;
	if (kt_mp_read_map(&r, &count) || count != 1 || kt_mp_read_str(&r, &key, &key_len) ||
	    key_len != 1 || key[0] != 'n' || kt_mp_read_int(&r, n) || r.p != r.end)
		return KT_EMALFORMED;
	return KT_OK;
}

static void ledger_reset(void *state)
{
	struct ledger *l = state;
	memset(l, 0, sizeof *l);
	l->digest = FNV_OFFSET;
}

static int ledger_apply(void *state, const struct kt_event *ev)
{
	struct ledger *l = state;
	apply_calls++;
	if (fault.apply_position && ev->position == fault.apply_position)
		return fault.apply_code;
	int k = stream_index(ev->stream, ev->stream_len);
	int64_t n;
	if (k < 0)
		return KT_EINVAL;
	int rc = data_n(ev->data, ev->data_len, &n);
	if (rc)
		return rc;
	l->count++;
	l->sum += n;
	l->digest = (l->digest ^ ev->position) * FNV_PRIME;
	l->per_stream[k]++;
	return KT_OK;
}

/* [count, sum, digest, [per-stream counts × 64]] */
static int ledger_save(const void *state, struct kt_buf *out)
{
	const struct ledger *l = state;
	if (fault.save_code)
		return fault.save_code;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_uint64(&pk, l->count);
	msgpack_pack_int64(&pk, l->sum);
	msgpack_pack_uint64(&pk, l->digest);
	msgpack_pack_array(&pk, LEDGER_STREAMS);
	for (int k = 0; k < LEDGER_STREAMS; k++)
		msgpack_pack_uint64(&pk, l->per_stream[k]);
	int rc = kt_buf_append(out, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

/* Reads straight into the state, so a failure leaves it half-loaded: the
 * engine must reset it then, which the tests on damaged snapshots check. */
static int ledger_load(void *state, const uint8_t *bytes, size_t len)
{
	struct ledger *l = state;
	struct kt_mp r = kt_mp_init(bytes, len);
	uint32_t count;
	if (kt_mp_read_array(&r, &count) || count != 4 || kt_mp_read_uint(&r, &l->count) ||
	    kt_mp_read_int(&r, &l->sum) || kt_mp_read_uint(&r, &l->digest) ||
	    kt_mp_read_array(&r, &count) || count != LEDGER_STREAMS)
		return KT_EMALFORMED;
	for (int k = 0; k < LEDGER_STREAMS; k++)
		if (kt_mp_read_uint(&r, &l->per_stream[k]))
			return KT_EMALFORMED;
	return r.p == r.end ? KT_OK : KT_EMALFORMED;
}

static struct kt_projection projection(const char *name, uint32_t version)
{
	struct kt_projection p = { name,	 version,     ledger_reset,
				   ledger_apply, ledger_save, ledger_load };
	return p;
}

static void assert_ledger_equal(const struct ledger *got, const struct ledger *want,
				const char *what)
{
	if (got->count != want->count)
		fail_msg("%s: count %llu, want %llu", what, (unsigned long long)got->count,
			 (unsigned long long)want->count);
	if (got->sum != want->sum)
		fail_msg("%s: sum %lld, want %lld", what, (long long)got->sum,
			 (long long)want->sum);
	if (got->digest != want->digest)
		fail_msg("%s: digest %016llx, want %016llx", what, (unsigned long long)got->digest,
			 (unsigned long long)want->digest);
	for (int k = 0; k < LEDGER_STREAMS; k++)
		if (got->per_stream[k] != want->per_stream[k])
			fail_msg("%s: s-%d count %llu, want %llu", what, k,
				 (unsigned long long)got->per_stream[k],
				 (unsigned long long)want->per_stream[k]);
}

/* ---- the naive model: the generated events, by position --------------- */

struct model {
	uint64_t n; /* events; arrays are indexed by position 1 … n */
	uint64_t cap;
	int64_t *recorded;
	int64_t *effective;
	int64_t *value;
	uint8_t *stream;
};

static void model_free(struct model *m)
{
	free(m->recorded);
	free(m->effective);
	free(m->value);
	free(m->stream);
	memset(m, 0, sizeof *m);
}

static void model_add(struct model *m, const struct kt_event *ev, int64_t value, int stream)
{
	if (ev->position != m->n + 1)
		fail_msg("append wrote position %llu where %llu belongs",
			 (unsigned long long)ev->position, (unsigned long long)(m->n + 1));
	if (m->n > 0 && ev->recorded < m->recorded[m->n])
		fail_msg("recorded time went back at position %llu",
			 (unsigned long long)ev->position);
	if (m->n + 2 > m->cap) {
		m->cap = m->cap ? 2 * m->cap : 1024;
		m->recorded = realloc(m->recorded, m->cap * sizeof *m->recorded);
		m->effective = realloc(m->effective, m->cap * sizeof *m->effective);
		m->value = realloc(m->value, m->cap * sizeof *m->value);
		m->stream = realloc(m->stream, m->cap);
		assert_non_null(m->recorded);
		assert_non_null(m->effective);
		assert_non_null(m->value);
		assert_non_null(m->stream);
	}
	m->n++;
	m->recorded[m->n] = ev->recorded;
	m->effective[m->n] = ev->effective;
	m->value[m->n] = value;
	m->stream[m->n] = (uint8_t)stream;
}

/* E: the last position recorded at or before known_at (0: none). */
static uint64_t model_position_at(const struct model *m, int64_t known_at)
{
	uint64_t e = 0;
	while (e < m->n && m->recorded[e + 1] <= known_at)
		e++;
	return e;
}

/* Fold positions (from, end] with effective ≤ as_of into l; returns how many
 * were applied. */
static uint64_t model_fold(const struct model *m, struct ledger *l, uint64_t from, uint64_t end,
			   int64_t as_of)
{
	uint64_t applied = 0;
	for (uint64_t pos = from + 1; pos <= end; pos++) {
		if (m->effective[pos] > as_of)
			continue;
		applied++;
		l->count++;
		l->sum += m->value[pos];
		l->digest = (l->digest ^ pos) * FNV_PRIME;
		l->per_stream[m->stream[pos]]++;
	}
	return applied;
}

/* The answer for (known_at, as_of), straight from the events. */
static uint64_t model_answer(const struct model *m, int64_t known_at, int64_t as_of,
			     struct ledger *l)
{
	uint64_t end = model_position_at(m, known_at);
	ledger_reset(l);
	model_fold(m, l, 0, end, as_of);
	return end;
}

/* ---- fixture ---------------------------------------------------------- */

struct fx {
	char dir[256];
	char path[300];
	kt_store *s;
	int64_t now; /* what the faked clock says */
	struct model m;
};

static int64_t fake_now(void *ctx)
{
	return *(const int64_t *)ctx;
}

static int open_store(struct fx *f, unsigned flags)
{
	int rc = kt_store_create(&f->s);
	if (rc)
		return rc;
	if ((rc = kt_store_set_mapsize(f->s, MAP)) || (rc = kt_store_set_durable(f->s, 0)) ||
	    (rc = kt_store_set_clock(f->s, fake_now, &f->now)))
		return rc;
	return kt_store_open(f->s, f->path, flags);
}

static void close_store(struct fx *f)
{
	kt_store_close(f->s);
	f->s = NULL;
}

static void reopen(struct fx *f, unsigned flags)
{
	close_store(f);
	int rc = open_store(f, flags);
	if (rc)
		fail_msg("reopen: %s", kt_strerror(rc));
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-replay-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/kontroll.db", f->dir);
	f->now = T0;
	memset(&fault, 0, sizeof fault);
	apply_calls = 0;
	if (open_store(f, KT_OPEN_CREATE)) {
		kt_store_close(f->s);
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
	model_free(&f->m);
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
	memset(&fault, 0, sizeof fault);
	return rc;
}

/* ---- appending -------------------------------------------------------- */

/* Data {"n": n}, stored inline so arrays of them work. */
struct payload {
	uint8_t bytes[16];
	size_t len;
};

static struct payload payload(int64_t n)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "n", 1);
	msgpack_pack_int64(&pk, n);
	struct payload p;
	memset(&p, 0, sizeof p);
	assert_true(sb.size <= sizeof p.bytes);
	memcpy(p.bytes, sb.data, sb.size);
	p.len = sb.size;
	msgpack_sbuffer_destroy(&sb);
	return p;
}

#define BATCH_MAX 50

/* Append n events with these values and effective times (KT_TIME_UNSET: the
 * recorded time) to stream s-k in one batch at the clock's time, and add
 * them to the model. */
static void append_batch(struct fx *f, int k, const int64_t *values, const int64_t *effective,
			 size_t n)
{
	struct payload p[BATCH_MAX];
	struct kt_event ev[BATCH_MAX];
	char stream[8];
	assert_true(n >= 1 && n <= BATCH_MAX);
	snprintf(stream, sizeof stream, "s-%d", k);
	for (size_t i = 0; i < n; i++) {
		p[i] = payload(values[i]);
		memset(&ev[i], 0, sizeof ev[i]);
		ev[i].type = "test.counted";
		ev[i].type_len = strlen(ev[i].type);
		ev[i].actor = "tester";
		ev[i].actor_len = 6;
		ev[i].effective = effective[i];
		ev[i].data = p[i].bytes;
		ev[i].data_len = p[i].len;
	}
	int rc = kt_store_append(f->s, stream, KT_VERSION_ANY, ev, n, NULL);
	if (rc)
		fail_msg("append to %s: %s", stream, kt_strerror(rc));
	for (size_t i = 0; i < n; i++) {
		assert_true(ev[i].recorded == f->now);
		model_add(&f->m, &ev[i], values[i], k);
	}
}

/* One event, one second after the previous append. */
static void append_one(struct fx *f, int k, int64_t value, int64_t effective)
{
	f->now += SEC;
	append_batch(f, k, &value, &effective, 1);
}

/* Append raw data (not the ledger's shape) to stream s-0. */
static void append_data(struct fx *f, const uint8_t *data, size_t len)
{
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = "test.odd";
	ev.type_len = 8;
	ev.actor = "tester";
	ev.actor_len = 6;
	ev.effective = KT_TIME_UNSET;
	ev.data = data;
	ev.data_len = len;
	f->now += SEC;
	int rc = kt_store_append(f->s, "s-0", KT_VERSION_ANY, &ev, 1, NULL);
	if (rc)
		fail_msg("append: %s", kt_strerror(rc));
	model_add(&f->m, &ev, 0, 0);
}

/* ---- replaying -------------------------------------------------------- */

static int replay(struct fx *f, const struct kt_projection *p, int64_t known_at, int64_t as_of,
		  int use_snapshots, uint64_t every, struct ledger *out, struct kt_replay_stats *st)
{
	struct kt_replay_query q = { known_at, as_of, use_snapshots, every, NULL, NULL };
	/* Garbage first: the engine must reset or load the whole state. */
	memset(out, 0xab, sizeof *out);
	memset(st, 0xcd, sizeof *st);
	return kt_replay(f->s, p, out, &q, st);
}

static void replay_ok(struct fx *f, const struct kt_projection *p, int64_t known_at, int64_t as_of,
		      int use_snapshots, uint64_t every, struct ledger *out,
		      struct kt_replay_stats *st)
{
	int rc = replay(f, p, known_at, as_of, use_snapshots, every, out, st);
	if (rc)
		fail_msg("kt_replay: %s", kt_strerror(rc));
}

/* Check the answer against the model and every statistic exactly. */
static void expect(const struct fx *f, const struct ledger *got, const struct kt_replay_stats *st,
		   int64_t known_at, int64_t as_of, uint64_t snapshot_position, int saved)
{
	struct ledger want, rest;
	uint64_t end = model_answer(&f->m, known_at, as_of, &want);
	assert_ledger_equal(got, &want, "answer");
	ledger_reset(&rest);
	uint64_t applied = model_fold(&f->m, &rest, snapshot_position, end, as_of);
	assert_int_equal(st->end_position, end);
	assert_int_equal(st->snapshot_position, snapshot_position);
	assert_int_equal(st->read, end - snapshot_position);
	assert_int_equal(st->applied, applied);
	assert_int_equal(st->snapshot_saved, saved);
}

static uint64_t clear(struct fx *f, const char *name)
{
	uint64_t removed = 12345;
	int rc = kt_snapshot_clear(f->s, name, &removed);
	if (rc)
		fail_msg("kt_snapshot_clear: %s", kt_strerror(rc));
	return removed;
}

/* ---- snapshots in raw LMDB (the store closed meanwhile) --------------- */

#define RAW_MAX 16

struct raw_entry {
	uint8_t key[128];
	size_t key_len;
	uint8_t value[1024];
	size_t value_len;
};

/* Read every snapshot entry in key order; returns how many. */
static size_t raw_read(struct fx *f, struct raw_entry *out, size_t max)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0;
	close_store(f);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
	assert_int_equal(mdb_env_open(env, f->path, MDB_NOSUBDIR | MDB_RDONLY, 0644), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "snapshots", 0, &dbi), 0);
	assert_int_equal(mdb_cursor_open(txn, dbi, &cur), 0);
	while (mdb_cursor_get(cur, &k, &v, n ? MDB_NEXT : MDB_FIRST) == 0) {
		assert_true(n < max);
		assert_true(k.mv_size <= sizeof out[n].key);
		assert_true(v.mv_size <= sizeof out[n].value);
		memcpy(out[n].key, k.mv_data, k.mv_size);
		out[n].key_len = k.mv_size;
		memcpy(out[n].value, v.mv_data, v.mv_size);
		out[n].value_len = v.mv_size;
		n++;
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	mdb_env_close(env);
	reopen(f, 0);
	return n;
}

/* Overwrite one snapshot's value. */
static void raw_write(struct fx *f, const struct raw_entry *e)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	close_store(f);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
	assert_int_equal(mdb_env_open(env, f->path, MDB_NOSUBDIR, 0644), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "snapshots", 0, &dbi), 0);
	MDB_val k = { e->key_len, (void *)e->key }, v = { e->value_len, (void *)e->value };
	assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	reopen(f, 0);
}

static void put_u64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

/* ---- a small log ------------------------------------------------------ */

/* n events, one second apart, to streams s-(k % 3), values 1, 2, 4, …,
 * effective one day apart from T0 - 30 days. */
static void small_log(struct fx *f, int n)
{
	for (int k = 0; k < n; k++)
		append_one(f, k % 3, INT64_C(1) << k, T0 - 30 * DAY + k * DAY);
}

/* ---- 1. the large random log against the naive model ------------------ */

#define BIG_EVENTS  100000
#define BIG_QUERIES 64
#define BIG_EVERY   500
#define ASOF_POOL   8

struct query {
	int64_t known_at;
	int64_t as_of;
};

/* The snapshots the contract says exist: the newest position per as-of,
 * and for at most KT_SNAPSHOT_AS_OF_KEEP as-of values besides the current
 * view, those saved last. */
struct snap_model {
	int64_t as_of[BIG_QUERIES + ASOF_POOL];
	uint64_t position[BIG_QUERIES + ASOF_POOL];  /* 0: none */
	uint64_t saved_seq[BIG_QUERIES + ASOF_POOL]; /* order of the last save */
	uint64_t seq;
	size_t n;
};

/* A save for the as-of value of slot i: past the limit, the as-of value
 * saved longest ago loses its snapshot. */
static void snap_saved(struct snap_model *sm, uint64_t *slot, uint64_t end)
{
	size_t i = (size_t)(slot - sm->position), kept = 0, oldest = 0;
	*slot = end;
	sm->saved_seq[i] = ++sm->seq;
	if (sm->as_of[i] == KT_TIME_MAX)
		return;
	for (size_t k = 0; k < sm->n; k++) {
		if (sm->as_of[k] == KT_TIME_MAX || !sm->position[k])
			continue;
		if (!kept++ || sm->saved_seq[k] < sm->saved_seq[oldest])
			oldest = k;
	}
	if (kept > KT_SNAPSHOT_AS_OF_KEEP)
		sm->position[oldest] = 0;
}

static uint64_t *snap_slot(struct snap_model *sm, int64_t as_of)
{
	for (size_t i = 0; i < sm->n; i++)
		if (sm->as_of[i] == as_of)
			return &sm->position[i];
	sm->as_of[sm->n] = as_of;
	sm->position[sm->n] = 0;
	sm->saved_seq[sm->n] = 0;
	return &sm->position[sm->n++];
}

static void big_log(struct fx *f, uint64_t *rng)
{
	int64_t values[BATCH_MAX], effective[BATCH_MAX];
	uint64_t backdated = 0, future = 0;
	while (f->m.n < BIG_EVENTS) {
		/* The clock stands still a quarter of the time. */
		if (rng_below(rng, 4))
			f->now += rng_range(rng, 1, 2 * SEC);
		size_t n = (size_t)rng_range(rng, 1, BATCH_MAX);
		for (size_t i = 0; i < n; i++) {
			values[i] = rng_range(rng, -1000000, 1000000);
			uint64_t kind = rng_below(rng, 20);
			if (kind < 7) {
				effective[i] = KT_TIME_UNSET;
			} else if (kind < 17) {
				effective[i] = rng_range(rng, T0 - 30 * DAY, f->now);
				backdated++;
			} else {
				effective[i] = rng_range(rng, f->now + 1, f->now + 30 * DAY);
				future++;
			}
		}
		append_batch(f, (int)rng_below(rng, LEDGER_STREAMS), values, effective, n);
	}
	assert_true(backdated > BIG_EVENTS / 3);
	assert_true(future > BIG_EVENTS / 10);
}

static void big_queries(const struct model *m, uint64_t *rng, struct query *q)
{
	int64_t min_eff = INT64_MAX, max_eff = INT64_MIN;
	for (uint64_t pos = 1; pos <= m->n; pos++) {
		if (m->effective[pos] < min_eff)
			min_eff = m->effective[pos];
		if (m->effective[pos] > max_eff)
			max_eff = m->effective[pos];
	}
	int64_t first = m->recorded[1], last = m->recorded[m->n];
	int64_t margin = (last - first) / 8;
	int64_t pool[ASOF_POOL] = {
		KT_TIME_MAX,
		min_eff - 1,
		INT64_MIN,
		m->effective[1 + rng_below(rng, m->n)],
		m->effective[1 + rng_below(rng, m->n)],
		rng_range(rng, min_eff, max_eff),
		rng_range(rng, min_eff, max_eff),
		rng_range(rng, min_eff - DAY, max_eff + DAY),
	};
	/* The edges first, then random points. */
	int64_t fixed[][2] = {
		{ KT_TIME_MAX, KT_TIME_MAX }, { first - 1, KT_TIME_MAX }, { first - 1, pool[1] },
		{ INT64_MIN, pool[3] },	      { first, KT_TIME_MAX },	  { last, pool[5] },
		{ last + 1, pool[1] },	      { KT_TIME_MAX, pool[2] },	  { KT_TIME_MAX, pool[6] },
	};
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	for (size_t i = 0; i < BIG_QUERIES; i++) {
		if (i < nfixed) {
			q[i].known_at = fixed[i][0];
			q[i].as_of = fixed[i][1];
			continue;
		}
		uint64_t kind = rng_below(rng, 6);
		int64_t at = m->recorded[1 + rng_below(rng, m->n)];
		if (kind < 2)
			q[i].known_at = at; /* exactly a recorded time: ties */
		else if (kind == 2)
			q[i].known_at = at - 1;
		else
			q[i].known_at = rng_range(rng, first - margin, last + margin);
		kind = rng_below(rng, 4);
		if (kind == 0)
			q[i].as_of = KT_TIME_MAX;
		else if (kind == 1)
			q[i].as_of = rng_range(rng, min_eff - DAY, max_eff + DAY);
		else
			q[i].as_of = pool[rng_below(rng, ASOF_POOL)];
	}
}

/* Counts of what the snapshot passes did. */
struct snap_counts {
	unsigned saves;		  /* snapshots saved */
	unsigned served_by_other; /* first runs served by another query's snapshot */
	unsigned served_second;	  /* second runs served by a snapshot */
};

/*
 * Run the queries in a random order, each twice, with snapshots saved every
 * BIG_EVERY events; which snapshot serves which run follows from the
 * contract (per as-of, the newest one saved, replaced only by a newer one),
 * so sm predicts it exactly.
 */
static void snapshot_pass(struct fx *f, const struct query *q, uint64_t *rng, struct snap_model *sm,
			  struct snap_counts *c)
{
	const struct kt_projection p = projection("ledger", 1);
	size_t order[BIG_QUERIES];
	struct ledger got;
	struct kt_replay_stats st;
	for (size_t i = 0; i < BIG_QUERIES; i++)
		order[i] = i;
	for (size_t i = BIG_QUERIES - 1; i > 0; i--) {
		size_t j = (size_t)rng_below(rng, i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < BIG_QUERIES; i++) {
		const struct query *qq = &q[order[i]];
		uint64_t end = model_position_at(&f->m, qq->known_at);
		uint64_t *slot = snap_slot(sm, qq->as_of);
		for (int run = 0; run < 2; run++) {
			uint64_t from = *slot && *slot <= end ? *slot : 0;
			int saved = end > 0 && end - from >= BIG_EVERY && *slot < end;
			f->now++; /* saves are told apart by when they were made */
			replay_ok(f, &p, qq->known_at, qq->as_of, 1, BIG_EVERY, &got, &st);
			expect(f, &got, &st, qq->known_at, qq->as_of, from, saved);
			if (run == 0 && from)
				c->served_by_other++;
			if (run == 1 && *slot && *slot <= end) {
				/* A snapshot could serve it: one was there or saved. */
				assert_true(st.snapshot_position > 0);
				c->served_second++;
			}
			if (saved) {
				snap_saved(sm, slot, end);
				c->saves++;
			}
		}
	}
}

static uint64_t snapshots_kept(const struct snap_model *sm)
{
	uint64_t kept = 0;
	for (size_t i = 0; i < sm->n; i++)
		kept += sm->position[i] != 0;
	return kept;
}

static void test_replay_random_log_equals_naive_model(void **state)
{
	struct fx *f = *state;
	uint64_t rng = UINT64_C(20250101);
	struct query q[BIG_QUERIES];
	struct ledger got;
	struct kt_replay_stats st;
	struct snap_model sm = { .n = 0 };
	struct snap_counts c = { 0, 0, 0 };
	const struct kt_projection p = projection("ledger", 1);

	big_log(f, &rng);
	assert_true(f->m.n >= BIG_EVENTS);
	big_queries(&f->m, &rng, q);

	/* 1. No snapshots: every query reads from the first event. */
	for (size_t i = 0; i < BIG_QUERIES; i++) {
		replay_ok(f, &p, q[i].known_at, q[i].as_of, 0, 0, &got, &st);
		expect(f, &got, &st, q[i].known_at, q[i].as_of, 0, 0);
	}
	assert_int_equal(clear(f, NULL), 0);

	/* 2. Snapshots made along the way and used. The random order has to
	 * have exercised all of it. */
	snapshot_pass(f, q, &rng, &sm, &c);
	assert_true(c.saves >= BIG_QUERIES / 4);
	assert_true(c.served_by_other >= 4);
	assert_true(c.served_second >= BIG_QUERIES / 3);

	/* 3. Deleting every snapshot changes no answer: with none to start
	 * from, and again while they are made anew in another order. */
	assert_int_equal(clear(f, NULL), snapshots_kept(&sm));
	for (size_t i = 0; i < BIG_QUERIES; i++) {
		replay_ok(f, &p, q[i].known_at, q[i].as_of, 1, 0, &got, &st);
		expect(f, &got, &st, q[i].known_at, q[i].as_of, 0, 0);
	}
	memset(&sm, 0, sizeof sm);
	memset(&c, 0, sizeof c);
	snapshot_pass(f, q, &rng, &sm, &c);
	assert_true(c.saves >= BIG_QUERIES / 4);
	assert_int_equal(clear(f, NULL), snapshots_kept(&sm));
}

/* ---- 2. snapshots and backdated appends ------------------------------ */

static void test_replay_snapshot_survives_backdated_append(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	small_log(f, 10); /* effective T0 - 30 days + 0 … 9 days */
	int64_t a = T0 - 30 * DAY + 5 * DAY + 1;

	replay_ok(f, &p, KT_TIME_MAX, a, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, a, 0, 1);
	assert_int_equal(got.count, 6);
	assert_int_equal(got.sum, 63);

	/* A finding backdated before A, and one effective after it. */
	append_one(f, 7, 1000, T0 - 30 * DAY + 2 * DAY - 7);
	append_one(f, 8, 5000, a + 1);

	replay_ok(f, &p, f->now, a, 1, 1, &got, &st);
	expect(f, &got, &st, f->now, a, 10, 1);
	assert_int_equal(st.read, 2);
	assert_int_equal(st.applied, 1);
	assert_int_equal(got.count, 7);
	assert_int_equal(got.sum, 63 + 1000);
	assert_int_equal(got.per_stream[7], 1);
	assert_int_equal(got.per_stream[8], 0);

	/* The same without snapshots; and another as-of does not get A's. */
	replay_ok(f, &p, f->now, a, 0, 0, &got, &st);
	expect(f, &got, &st, f->now, a, 0, 0);
	replay_ok(f, &p, KT_TIME_MAX, a + 1, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, a + 1, 0, 0);
	assert_int_equal(got.sum, 63 + 1000 + 5000);
}

/* ---- 3. state versions ------------------------------------------------ */

static void test_replay_ignores_snapshot_of_other_state_version(void **state)
{
	struct fx *f = *state;
	const struct kt_projection v1 = projection("ledger", 1), v2 = projection("ledger", 2);
	struct ledger got;
	struct kt_replay_stats st;
	small_log(f, 12);

	replay_ok(f, &v1, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	replay_ok(f, &v1, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 12, 0);

	replay_ok(f, &v2, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 0);

	/* A snapshot of another version serves no one, so version 2 replaces
	 * it at once, without waiting for the log to grow past it; version 1
	 * then finds only that one, and does not take it. */
	replay_ok(f, &v2, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	replay_ok(f, &v2, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 12, 0);
	replay_ok(f, &v1, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 0);
}

/* Snapshots for ever new as-of dates do not pile up: past
 * KT_SNAPSHOT_AS_OF_KEEP values, the one saved longest ago goes, and the
 * current view's never does. */
static void test_replay_keeps_snapshots_of_the_latest_as_of_values(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	struct raw_entry all[RAW_MAX];
	enum { DATES = KT_SNAPSHOT_AS_OF_KEEP + 2 };
	small_log(f, 12);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	assert_int_equal(st.snapshot_saved, 1);
	for (int k = 0; k < DATES; k++) {
		f->now += 1000000; /* one save a second, in this order */
		replay_ok(f, &p, KT_TIME_MAX, T0 - 30 * DAY + k * DAY, 1, 1, &got, &st);
		assert_int_equal(st.snapshot_saved, 1);
	}
	assert_int_equal(raw_read(f, all, RAW_MAX), KT_SNAPSHOT_AS_OF_KEEP + 1);

	/* The two saved first are gone; the rest and the current view serve. */
	for (int k = 0; k < DATES; k++) {
		replay_ok(f, &p, KT_TIME_MAX, T0 - 30 * DAY + k * DAY, 1, 0, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, T0 - 30 * DAY + k * DAY, k < 2 ? 0 : 12, 0);
	}
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 12, 0);
}

struct progress_seen {
	unsigned calls;
	uint64_t done, total;
};

static void count_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress_seen *seen = ctx;
	seen->calls++;
	seen->done = done;
	seen->total = total;
}

/* Progress is reported every 65,536 events read, with the number to read. */
static void test_replay_reports_progress_while_reading(void **state)
{
	struct fx *f = *state;
	enum { EVENTS = 70000 };
	int64_t values[BATCH_MAX], effective[BATCH_MAX];
	for (int i = 0; i < BATCH_MAX; i++) {
		values[i] = i;
		effective[i] = KT_TIME_UNSET;
	}
	for (int k = 0; k < EVENTS / BATCH_MAX; k++)
		append_batch(f, k % 3, values, effective, BATCH_MAX);
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	struct progress_seen seen = { 0, 0, 0 };
	struct kt_replay_query q = { KT_TIME_MAX, KT_TIME_MAX, 0, 0, count_progress, &seen };
	ledger_reset(&got);
	assert_int_equal(kt_replay(f->s, &p, &got, &q, &st), KT_OK);
	assert_int_equal(st.read, EVENTS);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.done, 65536);
	assert_int_equal(seen.total, EVENTS);
}

/* ---- 4. damaged snapshots --------------------------------------------- */

/* The one snapshot of the store, checked for the documented layout. */
static void the_snapshot(struct fx *f, const char *name, int64_t as_of, uint64_t position,
			 struct raw_entry *e)
{
	struct raw_entry all[RAW_MAX];
	uint8_t key[128];
	size_t n = strlen(name);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_int_equal(info.head, position);
	assert_int_equal(raw_read(f, all, RAW_MAX), 1);
	memcpy(key, name, n);
	key[n] = 0;
	put_u64(key + n + 1, (uint64_t)as_of ^ UINT64_C(0x8000000000000000));
	put_u64(key + n + 9, position);
	assert_int_equal(all[0].key_len, n + 17);
	assert_memory_equal(all[0].key, key, n + 17);
	assert_true(all[0].value_len > 36);
	assert_memory_equal(all[0].value, "\0\0\0\1", 4);
	assert_memory_equal(all[0].value + 4, info.head_hash, 32);
	*e = all[0];
}

static void test_replay_ignores_snapshot_with_wrong_chain_hash(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	struct raw_entry e;
	int64_t a = T0 - 25 * DAY;
	small_log(f, 9);
	replay_ok(f, &p, KT_TIME_MAX, a, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, a, 0, 1);
	the_snapshot(f, "ledger", a, 9, &e);

	/* Flip the last hash byte: the snapshot claims another history. */
	e.value[35] ^= 0x01;
	raw_write(f, &e);
	replay_ok(f, &p, KT_TIME_MAX, a, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, a, 0, 0);

	/* So does one with a zeroed hash, also once the log has moved on. */
	memset(e.value + 4, 0, 32);
	raw_write(f, &e);
	append_one(f, 2, 3, a - 1);
	replay_ok(f, &p, KT_TIME_MAX, a, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, a, 0, 0);
	replay_ok(f, &p, f->m.recorded[9], a, 1, 0, &got, &st);
	expect(f, &got, &st, f->m.recorded[9], a, 0, 0);
}

static void test_replay_ignores_snapshot_that_does_not_load(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	struct raw_entry e, good;
	small_log(f, 9);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	the_snapshot(f, "ledger", KT_TIME_MAX, 9, &good);

	/* Cut short after count, sum and digest: the ledger loads those, then
	 * fails, and the engine must start again from an empty state. Then a
	 * trailing byte, garbage, and no state at all. */
	for (int k = 0; k < 4; k++) {
		e = good;
		if (k == 0)
			e.value_len -= 2;
		else if (k == 1)
			e.value[e.value_len++] = 0xc0;
		else if (k == 2)
			memset(e.value + 36, 0xc1, e.value_len - 36);
		else
			e.value_len = 36;
		raw_write(f, &e);
		replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 0);
	}

	/* The intact bytes are served again. */
	raw_write(f, &good);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 9, 0);
}

/* ---- 5. past known-at queries ----------------------------------------- */

static void test_replay_past_query_keeps_present_snapshot(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	small_log(f, 30);

	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	int64_t past = f->m.recorded[10];
	replay_ok(f, &p, past, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, past, KT_TIME_MAX, 0, 0);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 30, 0);

	/* The log grows; a past query still leaves 30 in place, and the next
	 * current query moves it to the new head. */
	for (int k = 0; k < 10; k++)
		append_one(f, 5, 100 + k, KT_TIME_UNSET);
	past = f->m.recorded[20];
	replay_ok(f, &p, past, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, past, KT_TIME_MAX, 0, 0);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 30, 1);
	replay_ok(f, &p, f->m.recorded[35], KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, f->m.recorded[35], KT_TIME_MAX, 0, 0);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 40, 0);
	assert_int_equal(clear(f, "ledger"), 1);
}

/* ---- 6. clearing one projection's snapshots --------------------------- */

static void test_replay_clear_removes_only_that_projection(void **state)
{
	struct fx *f = *state;
	const struct kt_projection ledger = projection("ledger", 1),
				   longer = projection("ledgerx", 1),
				   shorter = projection("ledge", 1);
	const int64_t as_of[3] = { KT_TIME_MAX, T0 - 20 * DAY, -1 };
	struct ledger got;
	struct kt_replay_stats st;
	small_log(f, 8);
	for (int k = 0; k < 3; k++) {
		replay_ok(f, &ledger, KT_TIME_MAX, as_of[k], 1, 1, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, as_of[k], 0, 1);
	}
	for (int k = 0; k < 2; k++) {
		replay_ok(f, &longer, KT_TIME_MAX, as_of[k], 1, 1, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, as_of[k], 0, 1);
	}
	replay_ok(f, &shorter, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);

	assert_int_equal(clear(f, "ledger"), 3);
	assert_int_equal(clear(f, "ledger"), 0);
	assert_int_equal(clear(f, "nobody"), 0);
	for (int k = 0; k < 3; k++) {
		replay_ok(f, &ledger, KT_TIME_MAX, as_of[k], 1, 0, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, as_of[k], 0, 0);
	}
	for (int k = 0; k < 2; k++) {
		replay_ok(f, &longer, KT_TIME_MAX, as_of[k], 1, 0, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, as_of[k], 8, 0);
	}
	replay_ok(f, &shorter, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 8, 0);

	assert_int_equal(clear(f, "ledge"), 1);
	assert_int_equal(clear(f, NULL), 2);
	assert_int_equal(clear(f, NULL), 0);
	assert_int_equal(kt_snapshot_clear(f->s, NULL, NULL), KT_OK);
}

/* ---- 7. known-at before the first event ------------------------------- */

static void test_replay_before_first_event_is_empty(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got, empty;
	struct kt_replay_stats st;
	ledger_reset(&empty);

	/* An empty store. */
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	assert_ledger_equal(&got, &empty, "empty store");
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 0);

	small_log(f, 6);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	const int64_t before[] = { f->m.recorded[1] - 1, T0 - 365 * DAY, 0, INT64_MIN };
	for (size_t k = 0; k < sizeof before / sizeof before[0]; k++) {
		replay_ok(f, &p, before[k], KT_TIME_MAX, 1, 1, &got, &st);
		assert_ledger_equal(&got, &empty, "before the first event");
		assert_int_equal(st.end_position, 0);
		assert_int_equal(st.read, 0);
		assert_int_equal(st.applied, 0);
		assert_int_equal(st.snapshot_position, 0);
		assert_int_equal(st.snapshot_saved, 0);
	}
	/* The first event's own recorded time covers it. */
	replay_ok(f, &p, f->m.recorded[1], KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, f->m.recorded[1], KT_TIME_MAX, 0, 0);
	assert_int_equal(st.end_position, 1);
}

/* ---- 8. errors from apply and save ------------------------------------ */

static void test_replay_apply_error_stops_and_saves_nothing(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	const int codes[] = { KT_ENOTFOUND, KT_EINVAL, KT_EMALFORMED, EIO, MDB_NOTFOUND };
	small_log(f, 10);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	small_log(f, 10);

	for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
		for (int use = 0; use < 2; use++) {
			fault.apply_position = 13 + k;
			fault.apply_code = codes[k];
			apply_calls = 0;
			int rc = replay(f, &p, KT_TIME_MAX, KT_TIME_MAX, use, 1, &got, &st);
			if (rc != codes[k])
				fail_msg("apply's %s came back as %s", kt_strerror(codes[k]),
					 kt_strerror(rc));
			uint64_t from = use ? 10 : 0;
			assert_int_equal(apply_calls, 13 + k - from);
			assert_int_equal(st.read, 13 + k - from);
			assert_int_equal(st.applied, 13 + k - from);
			assert_int_equal(st.snapshot_position, from);
			assert_int_equal(st.snapshot_saved, 0);
		}
	}
	memset(&fault, 0, sizeof fault);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 10, 0);

	/* An event the ledger cannot read is the same: {"n": "x"}. */
	static const uint8_t odd[] = { 0x81, 0xa1, 'n', 0xa1, 'x' };
	append_data(f, odd, sizeof odd);
	small_log(f, 2);
	assert_int_equal(replay(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st), KT_EMALFORMED);
	assert_int_equal(st.read, 11);
	assert_int_equal(st.snapshot_saved, 0);
	assert_int_equal(clear(f, "ledger"), 1);
}

static void test_replay_save_error_costs_only_the_snapshot(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	small_log(f, 7);
	fault.save_code = KT_ETOOBIG;
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 0);
	fault.save_code = 0;
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 0);
	assert_int_equal(clear(f, NULL), 0);
}

/* ---- 9. read-only stores ---------------------------------------------- */

static void test_replay_readonly_store_never_saves(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	struct kt_replay_query now = KT_REPLAY_QUERY_NOW;
	small_log(f, 20);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	for (int k = 0; k < 10; k++)
		append_one(f, 4, -k, T0 - 40 * DAY);

	reopen(f, KT_OPEN_READONLY);
	for (int run = 0; run < 2; run++) {
		replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 20, 0);
		replay_ok(f, &p, KT_TIME_MAX, T0 - 35 * DAY, 1, 1, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, T0 - 35 * DAY, 0, 0);
		replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 0, 1, &got, &st);
		expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 0);
	}
	memset(&st, 0xcd, sizeof st);
	now.snapshot_every = 1;
	assert_int_equal(kt_replay(f->s, &p, &got, &now, &st), KT_OK);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 20, 0);
	uint64_t removed = 12345;
	assert_int_equal(kt_snapshot_clear(f->s, NULL, &removed), KT_EREADONLY);
	assert_int_equal(removed, 0);

	/* Nothing was written: writable again, the snapshot is still at 20. */
	reopen(f, 0);
	replay_ok(f, &p, KT_TIME_MAX, KT_TIME_MAX, 1, 0, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 20, 0);
	assert_int_equal(clear(f, NULL), 1);
}

/* ---- 10. invalid projections ------------------------------------------ */

static void test_replay_rejects_invalid_projection(void **state)
{
	struct fx *f = *state;
	struct ledger got;
	struct kt_replay_stats st;
	struct kt_replay_query q = KT_REPLAY_QUERY_NOW;
	char name[KT_PROJECTION_NAME_MAX + 2];
	small_log(f, 3);

	struct kt_projection bad[8];
	for (int k = 0; k < 8; k++)
		bad[k] = projection("ledger", 1);
	bad[0].reset = NULL;
	bad[1].apply = NULL;
	bad[2].save = NULL;
	bad[3].load = NULL;
	bad[4].name = NULL;
	bad[5].name = "";
	memset(name, 'p', KT_PROJECTION_NAME_MAX + 1);
	name[KT_PROJECTION_NAME_MAX + 1] = 0;
	bad[6].name = name; /* one byte too long */
	for (int k = 0; k < 7; k++) {
		apply_calls = 0;
		assert_int_equal(kt_replay(f->s, &bad[k], &got, &q, &st), KT_EINVAL);
		assert_int_equal(kt_replay(f->s, &bad[k], &got, &q, NULL), KT_EINVAL);
		assert_int_equal(apply_calls, 0);
	}
	assert_int_equal(kt_replay(f->s, &bad[7], &got, NULL, &st), KT_EINVAL);
	assert_int_equal(kt_replay(f->s, NULL, &got, &q, &st), KT_EINVAL);
	assert_int_equal(clear(f, NULL), 0);

	/* Exactly the longest name works, snapshots included. */
	name[KT_PROJECTION_NAME_MAX] = 0;
	bad[6].name = name;
	replay_ok(f, &bad[6], KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 0, 1);
	replay_ok(f, &bad[6], KT_TIME_MAX, KT_TIME_MAX, 1, 1, &got, &st);
	expect(f, &got, &st, KT_TIME_MAX, KT_TIME_MAX, 3, 0);
	assert_int_equal(kt_replay(f->s, &bad[6], &got, &q, NULL), KT_OK);
	assert_int_equal(clear(f, name), 1);
}

/* ---- 11. statistics on a hand-made log -------------------------------- */

static void test_replay_stats_on_small_log(void **state)
{
	struct fx *f = *state;
	const struct kt_projection p = projection("ledger", 1);
	struct ledger got;
	struct kt_replay_stats st;
	int64_t day = T0 - 10 * DAY;
	/* Effective days 1, 9, 2, 8, 3; as-of day 5 excludes positions 2 and 4. */
	append_one(f, 0, 1, day + 1 * DAY);
	append_one(f, 1, 10, day + 9 * DAY);
	append_one(f, 2, 100, day + 2 * DAY);
	append_one(f, 0, 1000, day + 8 * DAY);
	append_one(f, 63, 10000, day + 3 * DAY);
	int64_t as_of = day + 5 * DAY;

	replay_ok(f, &p, KT_TIME_MAX, as_of, 0, 0, &got, &st);
	assert_int_equal(st.end_position, 5);
	assert_int_equal(st.read, 5);
	assert_int_equal(st.applied, 3);
	assert_int_equal(st.snapshot_position, 0);
	assert_int_equal(st.snapshot_saved, 0);
	assert_int_equal(got.count, 3);
	assert_int_equal(got.sum, 10101);
	assert_int_equal(got.per_stream[0], 1);
	assert_int_equal(got.per_stream[1], 0);
	assert_int_equal(got.per_stream[2], 1);
	assert_int_equal(got.per_stream[63], 1);
	uint64_t d = FNV_OFFSET;
	d = (d ^ 1) * FNV_PRIME;
	d = (d ^ 3) * FNV_PRIME;
	d = (d ^ 5) * FNV_PRIME;
	assert_true(got.digest == d);

	/* Known at the third event's recording: 3 read, 2 applied. */
	replay_ok(f, &p, f->m.recorded[3], as_of, 1, 2, &got, &st);
	assert_int_equal(st.end_position, 3);
	assert_int_equal(st.read, 3);
	assert_int_equal(st.applied, 2);
	assert_int_equal(st.snapshot_saved, 1);
	assert_int_equal(got.sum, 101);

	/* From that snapshot: 2 read, 1 applied; fewer than 3 read saves none. */
	replay_ok(f, &p, KT_TIME_MAX, as_of, 1, 3, &got, &st);
	assert_int_equal(st.end_position, 5);
	assert_int_equal(st.snapshot_position, 3);
	assert_int_equal(st.read, 2);
	assert_int_equal(st.applied, 1);
	assert_int_equal(st.snapshot_saved, 0);
	assert_int_equal(got.sum, 10101);
	assert_true(got.digest == d);

	/* Exactly snapshot_every read saves one. */
	replay_ok(f, &p, KT_TIME_MAX, as_of, 1, 2, &got, &st);
	assert_int_equal(st.snapshot_position, 3);
	assert_int_equal(st.read, 2);
	assert_int_equal(st.snapshot_saved, 1);
	replay_ok(f, &p, KT_TIME_MAX, as_of, 1, 2, &got, &st);
	assert_int_equal(st.snapshot_position, 5);
	assert_int_equal(st.read, 0);
	assert_int_equal(st.applied, 0);
	assert_int_equal(got.sum, 10101);
}

/* ---- the ledger itself ------------------------------------------------ */

static void test_replay_ledger_load_rejects_malformed_bytes(void **state)
{
	(void)state;
	struct ledger l, back;
	struct kt_buf b = KT_BUF_INIT(4096);
	ledger_reset(&l);
	l.count = 300;
	l.sum = -5000000000;
	l.digest = UINT64_MAX - 3;
	for (int k = 0; k < LEDGER_STREAMS; k++)
		l.per_stream[k] = (uint64_t)k * 70000;
	assert_int_equal(ledger_save(&l, &b), KT_OK);
	assert_int_equal(ledger_load(&back, b.data, b.len), KT_OK);
	assert_memory_equal(&back, &l, sizeof l);
	for (size_t len = 0; len < b.len; len++)
		assert_int_equal(ledger_load(&back, b.data, len), KT_EMALFORMED);
	uint8_t more[4096];
	memcpy(more, b.data, b.len);
	more[b.len] = 0xc0;
	assert_int_equal(ledger_load(&back, more, b.len + 1), KT_EMALFORMED);
	more[0] = 0x95; /* five elements */
	assert_int_equal(ledger_load(&back, more, b.len), KT_EMALFORMED);
	more[0] = 0x94;
	more[1] = 0xa1; /* a string where the count belongs */
	assert_int_equal(ledger_load(&back, more, b.len), KT_EMALFORMED);
	kt_buf_free(&b);

	assert_int_equal(stream_index("s-0", 3), 0);
	assert_int_equal(stream_index("s-63", 4), 63);
	assert_int_equal(stream_index("s-64", 4), -1);
	assert_int_equal(stream_index("s-07", 4), -1);
	assert_int_equal(stream_index("s-", 2), -1);
}

/* ---- main ------------------------------------------------------------- */

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_replay_ledger_load_rejects_malformed_bytes),
		T(test_replay_stats_on_small_log),
		T(test_replay_before_first_event_is_empty),
		T(test_replay_rejects_invalid_projection),
		T(test_replay_snapshot_survives_backdated_append),
		T(test_replay_ignores_snapshot_of_other_state_version),
		T(test_replay_keeps_snapshots_of_the_latest_as_of_values),
		T(test_replay_reports_progress_while_reading),
		T(test_replay_ignores_snapshot_with_wrong_chain_hash),
		T(test_replay_ignores_snapshot_that_does_not_load),
		T(test_replay_past_query_keeps_present_snapshot),
		T(test_replay_clear_removes_only_that_projection),
		T(test_replay_apply_error_stops_and_saves_nothing),
		T(test_replay_save_error_costs_only_the_snapshot),
		T(test_replay_readonly_store_never_saves),
		T(test_replay_random_log_equals_naive_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
