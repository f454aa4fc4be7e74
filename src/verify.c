/*
 * verify.c — full consistency check of a store from one read snapshot.
 *
 * Pass 1 walks the log: positions gapless from 1, every envelope decodes,
 * every chain hash recomputes, and each event's entries exist in the streams
 * and ids indexes pointing back at it, with its stream version following the
 * previous one. Pass 2 walks the streams index for its heads. Entry counts
 * close the loop: an index with as many entries as the log has events, each
 * event's entry present, holds no stray entries.
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
static int index_position(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t len,
			  uint64_t *pos)
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

static int check_event(kt_store *s, MDB_txn *txn, const struct kt_event *ev,
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
				   "version %llu of its stream has no earlier "
				   "version %llu", (unsigned long long)ev->version,
				   (unsigned long long)(ev->version - 1));
	}
	return KT_OK;
}

static int walk_log(kt_store *s, MDB_txn *txn, struct kt_verify_report *rep,
		    kt_progress_fn progress, void *ctx, uint64_t total)
{
	MDB_cursor *log;
	MDB_val k, v, hv;
	uint8_t hash[KT_HASH_LEN] = { 0 };
	uint64_t expect = 1;
	int64_t last_recorded = INT64_MIN;
	int rc = mdb_cursor_open(txn, s->events, &log);
	if (rc)
		return rc;
	while ((rc = mdb_cursor_get(log, &k, &v, MDB_NEXT)) == 0) {
		struct kt_event ev;
		uint64_t pos = k.mv_size == 8 ? kt_get_u64(k.mv_data) : 0;
		if (pos != expect) {
			rc = bad(rep, expect, "missing from the log");
			break;
		}
		if ((rc = kt_event_decode(v.mv_data, v.mv_size, &ev))) {
			rc = bad(rep, pos, "envelope does not decode (%s)", kt_strerror(rc));
			break;
		}
		ev.position = pos;
		kt_chain_next(hash, pos, v.mv_data, v.mv_size, hash);
		rc = mdb_get(txn, s->chain, &k, &hv);
		if (rc == MDB_NOTFOUND || (!rc && (hv.mv_size != KT_HASH_LEN ||
						    memcmp(hv.mv_data, hash, KT_HASH_LEN) != 0))) {
			rc = bad(rep, pos, "chain hash does not match the log");
			break;
		}
		if (rc)
			break;
		if (ev.recorded < last_recorded) {
			rc = bad(rep, pos, "recorded time goes backwards");
			break;
		}
		last_recorded = ev.recorded;
		if ((rc = check_event(s, txn, &ev, rep)))
			break;
		if (progress && pos % 65536 == 0)
			progress(ctx, pos, total);
		expect++;
	}
	mdb_cursor_close(log);
	if (rc == MDB_NOTFOUND)
		rc = KT_OK;
	rep->events = expect - 1;
	return rc;
}

/* Every stream's head entry names its last version, and nothing else. */
static int walk_streams(kt_store *s, MDB_txn *txn, struct kt_verify_report *rep)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t streams = 0;
	int rc = mdb_cursor_open(txn, s->streams, &cur);
	if (rc)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0) {
		if (k.mv_size < 10 || ((const uint8_t *)k.mv_data)[k.mv_size - 9] != 0) {
			rc = bad(rep, 0, "stream index holds a malformed key");
			break;
		}
		/* Step to the last version of this stream. */
		size_t name_len = k.mv_size - 9;
		uint8_t name[KT_STREAM_MAX + 1];
		if (name_len > KT_STREAM_MAX) {
			rc = bad(rep, 0, "stream index holds an over-long stream name");
			break;
		}
		memcpy(name, k.mv_data, name_len);
		uint64_t last = kt_get_u64((const uint8_t *)k.mv_data + name_len + 1);
		while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0 &&
		       k.mv_size == name_len + 9 && memcmp(k.mv_data, name, name_len) == 0 &&
		       ((const uint8_t *)k.mv_data)[name_len] == 0)
			last = kt_get_u64((const uint8_t *)k.mv_data + name_len + 1);
		if (rc && rc != MDB_NOTFOUND)
			break;
		int next_rc = rc;
		uint64_t head;
		if ((rc = index_position(txn, s->heads, name, name_len, &head)))
			break;
		if (head != last) {
			rc = bad(rep, 0, "stream '%.*s': head index says version %llu, log has %llu",
				 (int)name_len, name, (unsigned long long)head,
				 (unsigned long long)last);
			break;
		}
		streams++;
		rc = next_rc;
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
	int rc;
	if ((rc = mdb_stat(txn, s->chain, &st)))
		return rc;
	if (st.ms_entries != rep->events)
		return bad(rep, rep->events + 1, "chain has %llu entries for %llu events",
			   (unsigned long long)st.ms_entries, (unsigned long long)rep->events);
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
	if ((rc = mdb_stat(txn, s->heads, &st)))
		return rc;
	if (st.ms_entries != rep->streams)
		return bad(rep, 0, "head index has %llu entries for %llu streams",
			   (unsigned long long)st.ms_entries, (unsigned long long)rep->streams);
	return KT_OK;
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
	    (rc = walk_streams(s, r->txn, report)) ||
	    (rc = check_counts(s, r->txn, report)))
		goto out;
	if (progress)
		progress(ctx, report->events, r->head);
out:
	kt_reader_end(r);
	return rc;
}
