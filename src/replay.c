/*
 * replay.c — the replay engine and its snapshots (see replay.h for why a
 * snapshot never goes stale).
 *
 * Snapshot key: projection name ‖ 0x00 ‖ as-of (8 bytes, sign bit flipped so
 * byte order is numeric order) ‖ position (8 bytes). Value: state version
 * (4 bytes) ‖ chain hash at the position (32 bytes) ‖ when it was saved (µs,
 * 8 bytes, by the store's clock) ‖ the projection's state.
 */
#include "store_internal.h"

#include "kontroll/error.h"
#include "kontroll/replay.h"

#include <errno.h>
#include <string.h>

#define SNAPSHOT_KEY_MAX (KT_PROJECTION_NAME_MAX + 17)
#define SNAPSHOT_HEADER	 (4 + KT_HASH_LEN + 8)
#define SAVED_AT_OFFSET	 (4 + KT_HASH_LEN)
/* Largest state a snapshot may hold. */
#define SNAPSHOT_STATE_MAX ((size_t)1 << 30)

/* name ‖ 0x00 ‖ as-of: the prefix shared by one projection's snapshots for
 * one as-of value. Returns its length. */
static size_t key_prefix(uint8_t key[SNAPSHOT_KEY_MAX], const char *name, int64_t as_of)
{
	size_t n = strlen(name);
	memcpy(key, name, n);
	key[n] = 0;
	kt_put_u64(key + n + 1, (uint64_t)as_of ^ UINT64_C(0x8000000000000000));
	return n + 9;
}

static int valid_projection(const struct kt_projection *p)
{
	if (!p || !p->name || !p->reset || !p->apply || !p->save || !p->load)
		return 0;
	size_t n = strlen(p->name);
	return n > 0 && n <= KT_PROJECTION_NAME_MAX;
}

/*
 * Load the newest snapshot of (p, as_of) at a position ≤ end into state.
 * Returns its position, or 0 when there is none usable (state then reset).
 */
static uint64_t load_snapshot(kt_reader *r, const struct kt_projection *p, void *state,
			      int64_t as_of, uint64_t end)
{
	uint8_t key[SNAPSHOT_KEY_MAX];
	size_t plen = key_prefix(key, p->name, as_of);
	kt_put_u64(key + plen, end);
	MDB_cursor *cur;
	MDB_val k = { plen + 8, key }, v;
	uint64_t pos = 0;
	if (mdb_cursor_open(r->txn, r->store->snapshots, &cur))
		goto none;
	int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && (k.mv_size != plen + 8 || memcmp(k.mv_data, key, plen + 8) != 0))
		rc = mdb_cursor_get(cur, &k, &v, MDB_PREV);
	else if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc || k.mv_size != plen + 8 || memcmp(k.mv_data, key, plen) != 0 ||
	    v.mv_size < SNAPSHOT_HEADER)
		goto none;
	pos = kt_get_u64((const uint8_t *)k.mv_data + plen);
	if (kt_get_u64(v.mv_data) >> 32 != p->state_version)
		goto none;

	/* The snapshot must belong to this log's history at pos. */
	uint8_t pos_key[8];
	kt_put_u64(pos_key, pos);
	MDB_val lk = { 8, pos_key }, lv;
	struct kt_event ev;
	const uint8_t *hash;
	if (pos == 0 || pos > end || mdb_get(r->txn, r->store->events, &lk, &lv) ||
	    kt_log_entry(&lk, &lv, &ev, &hash) ||
	    memcmp(hash, (const uint8_t *)v.mv_data + 4, KT_HASH_LEN) != 0)
		goto none;
	if (p->load(state, (const uint8_t *)v.mv_data + SNAPSHOT_HEADER,
		    v.mv_size - SNAPSHOT_HEADER))
		goto none;
	return pos;
none:
	p->reset(state);
	return 0;
}

/* Fold the events (from, end] that the as-of filter lets through. */
/* Events between two progress reports. */
#define PROGRESS_EVERY 65536

static int fold(kt_reader *r, const struct kt_projection *p, void *state, uint64_t from,
		uint64_t end, const struct kt_replay_query *q, struct kt_replay_stats *st)
{
	kt_iter *it;
	struct kt_event ev;
	int rc = kt_iter_log(r, from + 1, 0, &it);
	if (rc)
		return rc;
	while ((rc = kt_iter_next(it, &ev)) == 0 && ev.position <= end) {
		st->read++;
		if (q->progress && st->read % PROGRESS_EVERY == 0)
			q->progress(q->progress_ctx, st->read, end - from);
		if (ev.effective > q->as_of)
			continue;
		st->applied++;
		/* apply's error is returned as it is, KT_ENOTFOUND included: only
		 * the iterator's KT_ENOTFOUND means the end of the log. */
		if ((rc = p->apply(state, &ev)))
			goto out;
	}
	if (rc == KT_ENOTFOUND)
		rc = KT_OK;
out:
	kt_iter_free(it);
	return rc;
}

struct save_ctx {
	const struct kt_projection *p;
	int64_t as_of;
	uint64_t position;
	const struct kt_buf *value;
	int saved;
};

/* The as-of value of a snapshot key whose name part is plen - 1 bytes. */
static uint64_t key_as_of(const MDB_val *k, size_t plen)
{
	return kt_get_u64((const uint8_t *)k->mv_data + plen);
}

/*
 * Keep at most KT_SNAPSHOT_AS_OF_KEEP as-of values of one projection (the
 * current view, as-of "none", is not counted and never evicted): past that,
 * drop every snapshot of the as-of value saved longest ago. Each save adds
 * at most one as-of value, so one eviction per save keeps the bound.
 */
static int evict_as_of(kt_store *s, MDB_txn *txn, const char *name)
{
	uint8_t prefix[SNAPSHOT_KEY_MAX];
	size_t plen = strlen(name) + 1;
	uint64_t none = (uint64_t)KT_TIME_MAX ^ UINT64_C(0x8000000000000000);
	uint64_t group = 0, oldest_group = 0;
	int64_t group_saved = INT64_MIN, oldest_saved = INT64_MAX;
	size_t groups = 0;
	memcpy(prefix, name, plen); /* the name and its 0x00 */
	MDB_cursor *cur;
	MDB_val k = { plen, prefix }, v;
	int rc = mdb_cursor_open(txn, s->snapshots, &cur);
	if (rc)
		return rc;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size == plen + 16 && memcmp(k.mv_data, prefix, plen) == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		uint64_t as_of = key_as_of(&k, plen);
		int64_t saved =
		    v.mv_size >= SNAPSHOT_HEADER
			? (int64_t)kt_get_u64((const uint8_t *)v.mv_data + SAVED_AT_OFFSET)
			: INT64_MIN;
		if (as_of == none)
			continue;
		if (groups == 0 || as_of != group) {
			if (groups && group_saved < oldest_saved) {
				oldest_saved = group_saved;
				oldest_group = group;
			}
			group = as_of;
			group_saved = saved;
			groups++;
		} else if (saved > group_saved) {
			group_saved = saved;
		}
	}
	if (groups && group_saved < oldest_saved)
		oldest_group = group;
	if (rc == MDB_NOTFOUND || rc == 0)
		rc = KT_OK;
	if (!rc && groups > KT_SNAPSHOT_AS_OF_KEEP) {
		kt_put_u64(prefix + plen, oldest_group);
		k.mv_size = plen + 8;
		k.mv_data = prefix;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		while (rc == 0 && k.mv_size == plen + 16 &&
		       memcmp(k.mv_data, prefix, plen + 8) == 0) {
			if ((rc = mdb_cursor_del(cur, 0)))
				break;
			rc = mdb_cursor_get(cur, &k, &v, MDB_GET_CURRENT);
		}
		if (rc == MDB_NOTFOUND || rc == EINVAL)
			rc = KT_OK;
	}
	mdb_cursor_close(cur);
	return rc;
}

/*
 * Put the new snapshot and drop the older ones of the same (name, as-of), and
 * any of another state version. A newer one (left by a query that reached
 * further) is kept, and then the new one is not needed: a query for a past
 * known-at must not displace the snapshot that serves the present.
 */
static int save_body(kt_store *s, MDB_txn *txn, void *ctx)
{
	struct save_ctx *c = ctx;
	uint8_t key[SNAPSHOT_KEY_MAX];
	size_t plen = key_prefix(key, c->p->name, c->as_of);
	MDB_cursor *cur;
	MDB_val k = { plen, key }, v;
	int newer = 0;
	int rc = mdb_cursor_open(txn, s->snapshots, &cur);
	if (rc)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	while (rc == 0 && k.mv_size == plen + 8 && memcmp(k.mv_data, key, plen) == 0) {
		/* One of another state version can serve no one: it goes too. */
		int usable = v.mv_size >= SNAPSHOT_HEADER &&
			     kt_get_u64(v.mv_data) >> 32 == c->p->state_version;
		if (usable && kt_get_u64((const uint8_t *)k.mv_data + plen) >= c->position) {
			newer = 1;
			break;
		}
		if ((rc = mdb_cursor_del(cur, 0)))
			break;
		rc = mdb_cursor_get(cur, &k, &v, MDB_GET_CURRENT);
	}
	mdb_cursor_close(cur);
	if (rc && rc != MDB_NOTFOUND && rc != EINVAL)
		return rc;
	if (newer)
		return KT_OK;
	kt_put_u64(key + plen, c->position);
	MDB_val nk = { plen + 8, key }, nv = { c->value->len, c->value->data };
	rc = mdb_put(txn, s->snapshots, &nk, &nv, 0);
	if (!rc && c->as_of != KT_TIME_MAX)
		rc = evict_as_of(s, txn, c->p->name);
	c->saved = rc == 0;
	return rc;
}

/* Returns 0 with *saved = 0 when a newer snapshot made this one needless. */
static int save_snapshot(kt_store *s, const struct kt_projection *p, const void *state,
			 int64_t as_of, uint64_t position, const uint8_t hash[KT_HASH_LEN],
			 int *saved)
{
	struct kt_buf value = KT_BUF_INIT(SNAPSHOT_STATE_MAX);
	uint8_t header[SNAPSHOT_HEADER];
	kt_put_u64(header, (uint64_t)p->state_version << 32);
	memcpy(header + 4, hash, KT_HASH_LEN);
	kt_put_u64(header + SAVED_AT_OFFSET, (uint64_t)s->clock(s->clock_ctx));
	int rc = kt_buf_append(&value, header, sizeof header);
	if (!rc)
		rc = p->save(state, &value);
	if (!rc) {
		struct save_ctx c = { p, as_of, position, &value, 0 };
		rc = kt_store_write(s, save_body, &c);
		*saved = c.saved;
	}
	kt_buf_free(&value);
	return rc;
}

int kt_replay(kt_store *s, const struct kt_projection *p, void *state,
	      const struct kt_replay_query *q, struct kt_replay_stats *stats)
{
	struct kt_replay_stats scratch;
	struct kt_replay_stats *st = stats ? stats : &scratch;
	memset(st, 0, sizeof *st);
	if (!valid_projection(p) || !q)
		return KT_EINVAL;

	kt_reader *r;
	int rc = kt_reader_begin(s, &r);
	if (rc)
		return rc;
	uint64_t end = kt_reader_head(r);
	if (q->known_at != KT_TIME_MAX && (rc = kt_reader_position_at(r, q->known_at, &end)))
		goto out;
	st->end_position = end;
	if (q->use_snapshots)
		st->snapshot_position = load_snapshot(r, p, state, q->as_of, end);
	else
		p->reset(state);
	if ((rc = fold(r, p, state, st->snapshot_position, end, q, st)))
		goto out;

	uint8_t hash[KT_HASH_LEN];
	int worth_saving =
	    q->snapshot_every && end > 0 && st->read >= q->snapshot_every && !s->readonly;
	if (worth_saving) {
		uint8_t pos_key[8];
		kt_put_u64(pos_key, end);
		MDB_val k = { 8, pos_key }, v;
		struct kt_event ev;
		const uint8_t *h;
		if ((rc = mdb_get(r->txn, s->events, &k, &v)) ||
		    (rc = kt_log_entry(&k, &v, &ev, &h)))
			goto out;
		memcpy(hash, h, KT_HASH_LEN);
	}
	/* Writing needs the reader gone: a growing map must not move under it. */
	kt_reader_end(r);
	r = NULL;
	if (worth_saving) {
		int saved = 0;
		int err = save_snapshot(s, p, state, q->as_of, end, hash, &saved);
		st->snapshot_saved = !err && saved;
		if (err == KT_ECORRUPT)
			rc = err;
	}
out:
	kt_reader_end(r);
	return rc;
}

struct clear_ctx {
	const char *name;
	uint64_t removed;
};

static int clear_body(kt_store *s, MDB_txn *txn, void *ctx)
{
	struct clear_ctx *c = ctx;
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = c->name ? strlen(c->name) : 0;
	uint8_t prefix[KT_PROJECTION_NAME_MAX + 1];
	c->removed = 0;
	if (n > KT_PROJECTION_NAME_MAX)
		return KT_OK; /* no such projection can have snapshots */
	memcpy(prefix, c->name ? c->name : "", n);
	prefix[n] = 0;
	int rc = mdb_cursor_open(txn, s->snapshots, &cur);
	if (rc)
		return rc;
	k.mv_size = c->name ? n + 1 : 0;
	k.mv_data = prefix;
	rc = c->name ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE)
		     : mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0 && (!c->name || (k.mv_size > n && memcmp(k.mv_data, prefix, n + 1) == 0))) {
		if ((rc = mdb_cursor_del(cur, 0)))
			break;
		c->removed++;
		rc = mdb_cursor_get(cur, &k, &v, MDB_GET_CURRENT);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND || rc == EINVAL ? KT_OK : rc;
}

int kt_snapshot_clear(kt_store *s, const char *name, uint64_t *removed)
{
	struct clear_ctx c = { name, 0 };
	int rc = kt_store_write(s, clear_body, &c);
	if (removed)
		*removed = rc ? 0 : c.removed;
	return rc;
}
