/*
 * reader.c — read snapshots of the store: point reads, the binary search on
 * recorded time, iterators over the log and over one stream, and info.
 */
#define _POSIX_C_SOURCE 200809L
#include "store_internal.h"

#include "kontroll/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int kt_reader_begin(kt_store *s, kt_reader **out)
{
	kt_reader *r = calloc(1, sizeof *r);
	if (!r)
		return KT_ENOMEM;
	int rc = kt_txn_begin(s, MDB_RDONLY, &r->txn);
	if (rc) {
		free(r);
		return rc;
	}
	r->store = s;
	s->readers++;

	MDB_cursor *cur;
	MDB_val k, v;
	if ((rc = mdb_cursor_open(r->txn, s->events, &cur))) {
		kt_reader_end(r);
		return rc;
	}
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == 0 && k.mv_size == 8)
		r->head = kt_get_u64(k.mv_data);
	else if (rc != MDB_NOTFOUND) {
		kt_reader_end(r);
		return rc ? rc : KT_ECORRUPT;
	}
	*out = r;
	return KT_OK;
}

void kt_reader_end(kt_reader *r)
{
	if (!r)
		return;
	mdb_txn_abort(r->txn);
	r->store->readers--;
	free(r);
}

uint64_t kt_reader_head(const kt_reader *r)
{
	return r->head;
}

/* Decode the log entry k → v into *ev and, when raw is not NULL, point
 * *raw at its stored bytes. */
static int log_entry_raw(const MDB_val *k, const MDB_val *v, struct kt_event *ev,
			 struct kt_raw_event *raw)
{
	const uint8_t *hash;
	int rc = kt_log_entry(k, v, ev, &hash);
	if (!rc && raw) {
		raw->hash = hash;
		raw->envelope = (const uint8_t *)v->mv_data + KT_HASH_LEN;
		raw->len = v->mv_size - KT_HASH_LEN;
	}
	return rc;
}

int kt_reader_get_raw(kt_reader *r, uint64_t position, struct kt_event *ev,
		      struct kt_raw_event *raw)
{
	uint8_t key[8];
	kt_put_u64(key, position);
	MDB_val k = { 8, key }, v;
	int rc = mdb_get(r->txn, r->store->events, &k, &v);
	if (rc == MDB_NOTFOUND)
		return KT_ENOTFOUND;
	if (rc)
		return rc;
	return log_entry_raw(&k, &v, ev, raw);
}

int kt_reader_get(kt_reader *r, uint64_t position, struct kt_event *ev)
{
	return kt_reader_get_raw(r, position, ev, NULL);
}

int kt_reader_get_by_id(kt_reader *r, const uint8_t id[16], struct kt_event *ev)
{
	MDB_val k = { 16, (void *)id }, v;
	int rc = mdb_get(r->txn, r->store->ids, &k, &v);
	if (rc == MDB_NOTFOUND)
		return KT_ENOTFOUND;
	if (rc)
		return rc;
	if (v.mv_size != 8)
		return KT_ECORRUPT;
	return kt_reader_get(r, kt_get_u64(v.mv_data), ev);
}

int kt_reader_stream_version(kt_reader *r, const char *stream, uint64_t *version)
{
	size_t len = strlen(stream);
	if (len == 0 || len > KT_STREAM_MAX) {
		*version = 0; /* no such stream can exist */
		return KT_OK;
	}
	return kt_stream_head(r->store, r->txn, stream, len, version);
}

int kt_reader_position_at(kt_reader *r, int64_t at, uint64_t *position)
{
	/* Recorded time never decreases along the log, so the positions with
	 * recorded <= at form a prefix; find its end. */
	uint64_t lo = 0, hi = r->head; /* answer in [lo, hi] */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		struct kt_event ev;
		int rc = kt_reader_get(r, mid, &ev);
		if (rc)
			return rc == KT_ENOTFOUND ? KT_ECORRUPT : rc;
		if (ev.recorded <= at)
			lo = mid;
		else
			hi = mid - 1;
	}
	*position = lo;
	return KT_OK;
}

enum iter_kind { ITER_FORWARD, ITER_BACKWARD, ITER_STREAM };

struct kt_iter {
	kt_reader *reader;
	MDB_cursor *cur;
	enum iter_kind kind;
	int started;
	uint64_t from;
	size_t stream_len;
	uint8_t prefix[KT_STREAM_KEY_MAX]; /* stream name ‖ 0x00 for ITER_STREAM */
};

static int iter_new(kt_reader *r, MDB_dbi dbi, enum iter_kind kind, uint64_t from, kt_iter **out)
{
	kt_iter *it = calloc(1, sizeof *it);
	if (!it)
		return KT_ENOMEM;
	int rc = mdb_cursor_open(r->txn, dbi, &it->cur);
	if (rc) {
		free(it);
		return rc;
	}
	it->reader = r;
	it->kind = kind;
	it->from = from;
	*out = it;
	return KT_OK;
}

int kt_iter_log(kt_reader *r, uint64_t from, int backward, kt_iter **out)
{
	if (backward && (from == 0 || from > r->head))
		from = r->head;
	return iter_new(r, r->store->events, backward ? ITER_BACKWARD : ITER_FORWARD, from, out);
}

int kt_iter_stream(kt_reader *r, const char *stream, uint64_t from, kt_iter **out)
{
	size_t len = strlen(stream);
	if (len == 0)
		return KT_EINVAL;
	if (len > KT_STREAM_MAX)
		return KT_ETOOBIG;
	int rc = iter_new(r, r->store->streams, ITER_STREAM, from ? from : 1, out);
	if (rc)
		return rc;
	memcpy((*out)->prefix, stream, len);
	(*out)->stream_len = len;
	return KT_OK;
}

/* Position the log cursor on the first event to return, backward. */
static int seek_backward(kt_iter *it, MDB_val *k, MDB_val *v)
{
	if (it->from == 0)
		return MDB_NOTFOUND;
	uint8_t key[8];
	kt_put_u64(key, it->from);
	k->mv_size = 8;
	k->mv_data = key;
	int rc = mdb_cursor_get(it->cur, k, v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND)
		return mdb_cursor_get(it->cur, k, v, MDB_LAST);
	if (rc == 0 && kt_get_u64(k->mv_data) > it->from)
		return mdb_cursor_get(it->cur, k, v, MDB_PREV);
	return rc;
}

static int next_stream(kt_iter *it, struct kt_event *ev, struct kt_raw_event *raw)
{
	MDB_val k, v;
	int rc;
	if (!it->started) {
		uint8_t key[KT_STREAM_KEY_MAX];
		k.mv_size = kt_stream_key(key, (const char *)it->prefix, it->stream_len, it->from);
		k.mv_data = key;
		rc = mdb_cursor_get(it->cur, &k, &v, MDB_SET_RANGE);
		it->started = 1;
	} else {
		rc = mdb_cursor_get(it->cur, &k, &v, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND)
		return KT_ENOTFOUND;
	if (rc)
		return rc;
	/* Past the last key of this stream: another stream's, or a name that
	 * merely starts with ours. */
	if (k.mv_size != it->stream_len + 9 || memcmp(k.mv_data, it->prefix, it->stream_len) != 0 ||
	    ((const uint8_t *)k.mv_data)[it->stream_len] != 0)
		return KT_ENOTFOUND;
	if (v.mv_size != 8)
		return KT_ECORRUPT;
	rc = kt_reader_get_raw(it->reader, kt_get_u64(v.mv_data), ev, raw);
	return rc == KT_ENOTFOUND ? KT_ECORRUPT : rc;
}

int kt_iter_next(kt_iter *it, struct kt_event *ev)
{
	return kt_iter_next_raw(it, ev, NULL);
}

int kt_iter_next_raw(kt_iter *it, struct kt_event *ev, struct kt_raw_event *raw)
{
	MDB_val k, v;
	int rc;
	switch (it->kind) {
	case ITER_STREAM:
		return next_stream(it, ev, raw);
	case ITER_FORWARD:
		if (!it->started) {
			uint8_t key[8];
			kt_put_u64(key, it->from);
			k.mv_size = 8;
			k.mv_data = key;
			rc = mdb_cursor_get(it->cur, &k, &v, MDB_SET_RANGE);
		} else {
			rc = mdb_cursor_get(it->cur, &k, &v, MDB_NEXT);
		}
		break;
	case ITER_BACKWARD:
		rc = it->started ? mdb_cursor_get(it->cur, &k, &v, MDB_PREV)
				 : seek_backward(it, &k, &v);
		break;
	default:
		return KT_EINVAL;
	}
	it->started = 1;
	if (rc == MDB_NOTFOUND)
		return KT_ENOTFOUND;
	if (rc)
		return rc;
	return log_entry_raw(&k, &v, ev, raw);
}

void kt_iter_free(kt_iter *it)
{
	if (!it)
		return;
	mdb_cursor_close(it->cur);
	free(it);
}

static int read_meta(kt_reader *r, const char *name, MDB_val *v)
{
	MDB_val k = { strlen(name), (void *)name };
	return mdb_get(r->txn, r->store->meta, &k, v);
}

int kt_store_info(kt_store *s, struct kt_store_info *info)
{
	kt_reader *r;
	memset(info, 0, sizeof *info);
	int rc = kt_reader_begin(s, &r);
	if (rc)
		return rc;
	MDB_envinfo ei;
	MDB_val v;
	info->head = info->events = r->head;
	if ((rc = kt_meta_u64(s, r->txn, KT_META_STREAMS, &info->streams)) ||
	    (rc = kt_meta_u64(s, r->txn, "format", &info->format)) ||
	    (rc = mdb_env_info(s->env, &ei)))
		goto out;
	info->map_bytes = ei.me_mapsize;
	if (!read_meta(r, "store_id", &v) && v.mv_size == 16)
		memcpy(info->store_id, v.mv_data, 16);
	if (r->head) {
		struct kt_event ev;
		const uint8_t *hash;
		uint8_t key[8];
		kt_put_u64(key, r->head);
		MDB_val k = { 8, key };
		if ((rc = mdb_get(r->txn, s->events, &k, &v)) ||
		    (rc = kt_log_entry(&k, &v, &ev, &hash)))
			goto out;
		info->last_recorded = ev.recorded;
		memcpy(info->head_hash, hash, KT_HASH_LEN);
	}
	struct stat fst;
	if (stat(s->path, &fst) != 0) {
		rc = errno;
		goto out;
	}
	info->file_bytes = (uint64_t)fst.st_size;
out:
	kt_reader_end(r);
	return rc;
}
