/*
 * verify.c — full consistency check of a store from one read snapshot.
 *
 * One walk over the log: positions gapless from 1, every envelope decodes,
 * every chain hash recomputes, recorded time never decreases, and each
 * event's entries exist in the streams and ids indexes pointing back at it,
 * with its stream version following the previous one. A walk over the
 * streams index counts the streams against the count kept in meta. Entry
 * counts close the loop: an index with as many entries as the log has
 * events, each event's entry present, holds no stray entries.
 */
#include "store_internal.h"

#include "kontroll/chain.h"
#include "kontroll/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int bad(struct kt_verify_report *rep, uint64_t position, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->problem, sizeof rep->problem, fmt, ap);
	va_end(ap);
	rep->first_bad = position;
	return KT_ECORRUPT;
}

/* The position an index entry holds, or 0 when it is missing. */
static int index_position(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t len, uint64_t *pos)
{
	MDB_val k = { len, (void *)key }, v;
	int rc = mdb_get(txn, dbi, &k, &v);
	*pos = 0;
	if (rc == MDB_NOTFOUND)
		return KT_OK;
	if (rc)
		return rc;
	*pos = v.mv_size == 8 ? kt_get_u64(v.mv_data) : UINT64_MAX;
	return KT_OK;
}

static int check_indexes(kt_store *s, MDB_txn *txn, const struct kt_event *ev,
			 struct kt_verify_report *rep)
{
	uint8_t key[KT_STREAM_KEY_MAX];
	uint64_t pos, prev;
	int rc;
	if ((rc = index_position(txn, s->ids, ev->id, 16, &pos)))
		return rc;
	if (pos != ev->position)
		return bad(rep, ev->position, "id index %s",
			   pos ? "points elsewhere" : "lacks this event's id");
	size_t klen = kt_stream_key(key, ev->stream, ev->stream_len, ev->version);
	if ((rc = index_position(txn, s->streams, key, klen, &pos)))
		return rc;
	if (pos != ev->position)
		return bad(rep, ev->position, "stream index %s",
			   pos ? "points elsewhere" : "lacks this event's version");
	if (ev->version == 0)
		return bad(rep, ev->position, "stream version 0");
	if (ev->version > 1) {
		klen = kt_stream_key(key, ev->stream, ev->stream_len, ev->version - 1);
		if ((rc = index_position(txn, s->streams, key, klen, &prev)))
			return rc;
		if (prev == 0 || prev >= ev->position)
			return bad(rep, ev->position,
				   "version %llu of its stream has no earlier version %llu",
				   (unsigned long long)ev->version,
				   (unsigned long long)(ev->version - 1));
	}
	return KT_OK;
}

/* Check one log entry at the expected position against the running hash. */
static int check_entry(kt_store *s, MDB_txn *txn, const MDB_val *k, const MDB_val *v,
		       uint64_t expect, uint8_t hash[KT_HASH_LEN], int64_t *last_recorded,
		       struct kt_verify_report *rep)
{
	struct kt_event ev;
	const uint8_t *stored_hash;
	uint64_t pos = k->mv_size == 8 ? kt_get_u64(k->mv_data) : 0;
	if (pos != expect)
		return bad(rep, expect, "missing from the log");
	int rc = kt_log_entry(k, v, &ev, &stored_hash);
	if (rc)
		return bad(rep, pos, "envelope does not decode (%s)", kt_strerror(rc));
	kt_chain_next(hash, pos, (const uint8_t *)v->mv_data + KT_HASH_LEN,
		      v->mv_size - KT_HASH_LEN, hash);
	if (memcmp(stored_hash, hash, KT_HASH_LEN) != 0)
		return bad(rep, pos, "chain hash does not match the log");
	if (ev.recorded < *last_recorded)
		return bad(rep, pos, "recorded time goes backwards");
	*last_recorded = ev.recorded;
	return check_indexes(s, txn, &ev, rep);
}

static int walk_log(kt_store *s, MDB_txn *txn, struct kt_verify_report *rep,
		    kt_progress_fn progress, void *ctx, uint64_t total)
{
	MDB_cursor *log;
	MDB_val k, v;
	uint8_t hash[KT_HASH_LEN] = { 0 };
	uint64_t expect = 1;
	int64_t last_recorded = INT64_MIN;
	int rc = mdb_cursor_open(txn, s->events, &log);
	if (rc)
		return rc;
	while ((rc = mdb_cursor_get(log, &k, &v, MDB_NEXT)) == 0) {
		if ((rc = check_entry(s, txn, &k, &v, expect, hash, &last_recorded, rep)))
			break;
		if (progress && expect % 65536 == 0)
			progress(ctx, expect, total);
		expect++;
	}
	mdb_cursor_close(log);
	if (rc == MDB_NOTFOUND)
		rc = KT_OK;
	rep->events = expect - 1;
	return rc;
}

/* Count the distinct streams of the streams index. */
static int count_streams(kt_store *s, MDB_txn *txn, struct kt_verify_report *rep)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t last[KT_STREAM_MAX];
	size_t last_len = 0;
	uint64_t streams = 0;
	int rc = mdb_cursor_open(txn, s->streams, &cur);
	if (rc)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		size_t name_len = k.mv_size >= 9 ? k.mv_size - 9 : 0;
		if (name_len == 0 || name_len > KT_STREAM_MAX ||
		    ((const uint8_t *)k.mv_data)[name_len] != 0) {
			rc = bad(rep, 0, "stream index holds a malformed key");
			break;
		}
		if (streams == 0 || name_len != last_len || memcmp(k.mv_data, last, name_len)) {
			streams++;
			memcpy(last, k.mv_data, name_len);
			last_len = name_len;
		}
	}
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		rc = KT_OK;
	rep->streams = streams;
	return rc;
}

static int check_counts(kt_store *s, MDB_txn *txn, struct kt_verify_report *rep)
{
	MDB_stat st;
	uint64_t counted;
	int rc;
	if ((rc = mdb_stat(txn, s->ids, &st)))
		return rc;
	if (st.ms_entries != rep->events)
		return bad(rep, 0, "id index has %llu entries for %llu events",
			   (unsigned long long)st.ms_entries, (unsigned long long)rep->events);
	if ((rc = mdb_stat(txn, s->streams, &st)))
		return rc;
	if (st.ms_entries != rep->events)
		return bad(rep, 0, "stream index has %llu entries for %llu events",
			   (unsigned long long)st.ms_entries, (unsigned long long)rep->events);
	rc = kt_meta_u64(s, txn, KT_META_STREAMS, &counted);
	if (rc == KT_ECORRUPT || (!rc && counted != rep->streams))
		return bad(rep, 0, "the stream count says %llu, the stream index holds %llu",
			   (unsigned long long)counted, (unsigned long long)rep->streams);
	return rc;
}

int kt_store_verify(kt_store *s, struct kt_verify_report *report, kt_progress_fn progress,
		    void *ctx)
{
	kt_reader *r;
	memset(report, 0, sizeof *report);
	int rc = kt_reader_begin(s, &r);
	if (rc)
		return rc;
	if ((rc = walk_log(s, r->txn, report, progress, ctx, r->head)) ||
	    (rc = count_streams(s, r->txn, report)) || (rc = check_counts(s, r->txn, report)))
		goto out;
	if (progress)
		progress(ctx, report->events, r->head);
out:
	kt_reader_end(r);
	return rc;
}
