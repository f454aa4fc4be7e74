/*
 * store.c — the LMDB event log: open and format stamp, batched append with
 * optimistic concurrency, idempotence and the hash chain, map growth, readers
 * and iterators. Verification lives in verify.c.
 *
 * Key encodings (see docs/design.md): positions and versions are 8-byte
 * big-endian so LMDB's byte order is numeric order; a stream key is the
 * stream name, a 0x00 byte, then the version. A log value is the chain hash
 * at its position followed by the envelope.
 */
#define _POSIX_C_SOURCE 200809L
#include "store_internal.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAPSIZE ((size_t)64 << 20)

static const char META_FORMAT[] = "format";
static const char META_STORE_ID[] = "store_id";
static const char META_CREATED[] = "created";

void kt_put_u64(uint8_t out[8], uint64_t v)
{
	for (int k = 0; k < 8; k++)
		out[k] = (uint8_t)(v >> (56 - 8 * k));
}

uint64_t kt_get_u64(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = (v << 8) | b[k];
	return v;
}

size_t kt_stream_key(uint8_t key[KT_STREAM_KEY_MAX], const char *stream, size_t len,
		     uint64_t version)
{
	memcpy(key, stream, len);
	key[len] = 0;
	kt_put_u64(key + len + 1, version);
	return len + 9;
}

static int64_t wall_clock(void *ctx)
{
	(void)ctx;
	return kt_time_now();
}

int kt_store_create(kt_store **out)
{
	kt_store *s = calloc(1, sizeof *s);
	if (!s)
		return KT_ENOMEM;
	s->mapsize = DEFAULT_MAPSIZE;
	s->clock = wall_clock;
	s->durable = 1;
	s->scratch = (struct kt_buf)KT_BUF_INIT(KT_LOG_VALUE_MAX);
	*out = s;
	return KT_OK;
}

int kt_store_set_mapsize(kt_store *s, size_t bytes)
{
	if (s->env || bytes == 0)
		return KT_EINVAL;
	s->mapsize = bytes;
	return KT_OK;
}

int kt_store_set_clock(kt_store *s, kt_clock_fn clock, void *ctx)
{
	if (s->env || !clock)
		return KT_EINVAL;
	s->clock = clock;
	s->clock_ctx = ctx;
	return KT_OK;
}

int kt_store_set_durable(kt_store *s, int durable)
{
	if (s->env)
		return KT_EINVAL;
	s->durable = durable != 0;
	return KT_OK;
}

/* Adopt a map grown by another process. LMDB allows it only while this
 * process has no transaction open. */
static int adopt_mapsize(kt_store *s)
{
	if (s->readers > 0)
		return MDB_MAP_RESIZED;
	return mdb_env_set_mapsize(s->env, 0);
}

static int grow_map(kt_store *s)
{
	if (s->readers > 0)
		return MDB_MAP_FULL;
	MDB_envinfo info;
	int rc = mdb_env_info(s->env, &info);
	if (rc)
		return rc;
	return mdb_env_set_mapsize(s->env, info.me_mapsize * 2);
}

int kt_txn_begin(kt_store *s, unsigned flags, MDB_txn **txn)
{
	for (;;) {
		int rc = mdb_txn_begin(s->env, NULL, flags, txn);
		if (rc != MDB_MAP_RESIZED)
			return rc;
		if ((rc = adopt_mapsize(s)))
			return rc;
	}
}

int kt_store_write(kt_store *s, int (*body)(kt_store *s, MDB_txn *txn, void *ctx), void *ctx)
{
	if (s->readonly)
		return KT_EREADONLY;
	for (;;) {
		MDB_txn *txn;
		int rc = kt_txn_begin(s, 0, &txn);
		if (rc)
			return rc;
		rc = body(s, txn, ctx);
		if (rc)
			mdb_txn_abort(txn);
		else
			rc = mdb_txn_commit(txn);
		if (rc != MDB_MAP_FULL)
			return rc;
		if ((rc = grow_map(s)))
			return rc;
	}
}

/* Stamp a new store, or check the stamp of an existing one. */
static int check_format(kt_store *s, MDB_txn *txn, int may_stamp)
{
	MDB_val k = { sizeof META_FORMAT - 1, (void *)META_FORMAT }, v;
	int rc = mdb_get(txn, s->meta, &k, &v);
	if (rc == MDB_NOTFOUND && may_stamp) {
		uint8_t format[8], created[8], id[16];
		kt_put_u64(format, KT_STORE_FORMAT);
		kt_put_u64(created, (uint64_t)s->clock(s->clock_ctx));
		if ((rc = kt_id_generate(id)))
			return rc;
		MDB_val fv = { 8, format };
		MDB_val ik = { sizeof META_STORE_ID - 1, (void *)META_STORE_ID }, iv = { 16, id };
		MDB_val ck = { sizeof META_CREATED - 1, (void *)META_CREATED }, cv = { 8, created };
		uint8_t zero[8] = { 0 };
		MDB_val sk = { sizeof KT_META_STREAMS - 1, (void *)KT_META_STREAMS },
			sv = { 8, zero };
		if ((rc = mdb_put(txn, s->meta, &k, &fv, 0)) ||
		    (rc = mdb_put(txn, s->meta, &ik, &iv, 0)) ||
		    (rc = mdb_put(txn, s->meta, &ck, &cv, 0)) ||
		    (rc = mdb_put(txn, s->meta, &sk, &sv, 0)))
			return rc;
		return KT_OK;
	}
	if (rc == MDB_NOTFOUND)
		return KT_EFORMAT;
	if (rc)
		return rc;
	if (v.mv_size != 8 || kt_get_u64(v.mv_data) != KT_STORE_FORMAT)
		return KT_EFORMAT;
	return KT_OK;
}

static int open_dbs(kt_store *s, int create)
{
	static const char *const names[] = { "events", "streams", "ids", "snapshots", "meta" };
	MDB_dbi *dbis[] = { &s->events, &s->streams, &s->ids, &s->snapshots, &s->meta };
	MDB_txn *txn;
	int rc = kt_txn_begin(s, s->readonly ? MDB_RDONLY : 0, &txn);
	if (rc)
		return rc;
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		rc = mdb_dbi_open(txn, names[k], create ? MDB_CREATE : 0, dbis[k]);
		/* An LMDB file, but not a kontroll store: the name is missing, or
		 * is a plain key (or a database of other flags) there. */
		if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE)
			rc = KT_EFORMAT;
		if (rc)
			goto abort;
	}
	if ((rc = check_format(s, txn, create)))
		goto abort;
	/* Commit even a read-only transaction: aborting it would close the
	 * database handles it opened. */
	return mdb_txn_commit(txn);
abort:
	mdb_txn_abort(txn);
	return rc;
}

/*
 * Non-zero when the file at path starts like an LMDB environment: a meta page
 * whose magic follows the 16-byte page header. Checked before mdb_env_open so
 * that opening some other file leaves no lock file beside it.
 */
static int looks_like_lmdb(const char *path)
{
	static const uint8_t magic[4] = { 0xde, 0xc0, 0xef, 0xbe }; /* 0xBEEFC0DE, LE */
	uint8_t head[20];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = pread(fd, head, sizeof head, 0);
	close(fd);
	return n == (ssize_t)sizeof head && memcmp(head + 16, magic, 4) == 0;
}

/* A file shorter than the pages its meta page claims would fault (SIGBUS)
 * when those pages are read through the map: refuse it up front. */
static int check_not_truncated(kt_store *s, const char *path)
{
	MDB_envinfo info;
	MDB_stat st;
	struct stat fst;
	int rc;
	if ((rc = mdb_env_info(s->env, &info)) || (rc = mdb_env_stat(s->env, &st)))
		return rc;
	if (stat(path, &fst) != 0)
		return errno;
	if ((uint64_t)fst.st_size < ((uint64_t)info.me_last_pgno + 1) * st.ms_psize)
		return KT_ECORRUPT;
	return KT_OK;
}

/*
 * Decide how to open path: *fresh when the store is to be created (no file,
 * or an empty one), *made when this call created the file itself.
 */
static int prepare_file(const char *path, unsigned flags, int *fresh, int *made)
{
	int create = (flags & (KT_OPEN_CREATE | KT_OPEN_EXCL)) != 0;
	struct stat st;
	*fresh = *made = 0;
	if (flags & KT_OPEN_EXCL) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return errno == EEXIST ? KT_EEXIST : errno;
		close(fd);
		*fresh = *made = 1;
		return KT_OK;
	}
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return errno;
		if (!create)
			return KT_ENOTFOUND;
		*fresh = *made = 1;
		return KT_OK;
	}
	if (!S_ISREG(st.st_mode))
		return KT_EINVAL;
	if (st.st_size == 0) {
		/* Left by a creation that did not finish, or by someone else. */
		if (!create)
			return KT_EFORMAT;
		*fresh = 1;
		return KT_OK;
	}
	return looks_like_lmdb(path) ? KT_OK : KT_EFORMAT;
}

int kt_store_open(kt_store *s, const char *path, unsigned flags)
{
	int create = (flags & (KT_OPEN_CREATE | KT_OPEN_EXCL)) != 0;
	int fresh, made;
	if (s->env || !path || !*path || (create && (flags & KT_OPEN_READONLY)))
		return KT_EINVAL;
	int rc = prepare_file(path, flags, &fresh, &made);
	if (rc)
		return rc;

	s->readonly = (flags & KT_OPEN_READONLY) != 0;
	if ((rc = mdb_env_create(&s->env)))
		goto fail;
	unsigned env_flags = MDB_NOSUBDIR | MDB_NOTLS;
	if (s->readonly)
		env_flags |= MDB_RDONLY;
	if (!s->durable)
		env_flags |= MDB_NOSYNC;
	if ((rc = mdb_env_set_maxdbs(s->env, 8)) ||
	    (rc = mdb_env_set_mapsize(s->env, s->mapsize)) ||
	    (rc = mdb_env_open(s->env, path, env_flags, 0644))) {
		if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH)
			rc = KT_EFORMAT; /* some other file, or another LMDB format */
		goto fail;
	}
	if (!fresh && (rc = check_not_truncated(s, path)))
		goto fail;
	/* Even stamping a new store must fit the map; a tiny one grows. */
	for (;;) {
		rc = open_dbs(s, fresh);
		if (rc != MDB_MAP_FULL)
			break;
		if ((rc = grow_map(s)))
			break;
	}
	if (rc)
		goto fail;
	if (!(s->path = strdup(path))) {
		rc = KT_ENOMEM;
		goto fail;
	}
	return KT_OK;
fail:
	mdb_env_close(s->env);
	s->env = NULL;
	if (made) {
		/* No one else can have opened a file this call created: others see
		 * it empty and refuse it before touching its lock file. */
		size_t n = strlen(path);
		char *lock = malloc(n + sizeof "-lock");
		if (lock) {
			memcpy(lock, path, n);
			memcpy(lock + n, "-lock", sizeof "-lock");
			unlink(lock);
			free(lock);
		}
		unlink(path);
	}
	return rc;
}

void kt_store_close(kt_store *s)
{
	if (!s)
		return;
	if (s->env)
		mdb_env_close(s->env);
	kt_buf_free(&s->scratch);
	free(s->path);
	free(s);
}

int kt_log_entry(const MDB_val *k, const MDB_val *v, struct kt_event *ev, const uint8_t **hash)
{
	if (k->mv_size != 8 || v->mv_size < KT_HASH_LEN)
		return KT_ECORRUPT;
	int rc = kt_event_decode((const uint8_t *)v->mv_data + KT_HASH_LEN,
				 v->mv_size - KT_HASH_LEN, ev);
	if (rc)
		return rc;
	ev->position = kt_get_u64(k->mv_data);
	if (hash)
		*hash = v->mv_data;
	return KT_OK;
}

int kt_stream_head(kt_store *s, MDB_txn *txn, const char *stream, size_t len, uint64_t *version)
{
	uint8_t key[KT_STREAM_KEY_MAX];
	MDB_cursor *cur;
	MDB_val k = { kt_stream_key(key, stream, len, UINT64_MAX), key }, v;
	int rc = mdb_cursor_open(txn, s->streams, &cur);
	if (rc)
		return rc;
	/* The stream's last key is the one just before (name, 2^64 - 1). */
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_PREV);
	else if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	*version = 0;
	if (rc == MDB_NOTFOUND)
		return KT_OK;
	if (rc)
		return rc;
	if (k.mv_size == len + 9 && memcmp(k.mv_data, key, len + 1) == 0)
		*version = kt_get_u64((const uint8_t *)k.mv_data + len + 1);
	return KT_OK;
}

int kt_meta_u64(kt_store *s, MDB_txn *txn, const char *name, uint64_t *value)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc = mdb_get(txn, s->meta, &k, &v);
	*value = 0;
	if (rc == MDB_NOTFOUND)
		return KT_OK;
	if (rc)
		return rc;
	if (v.mv_size != 8)
		return KT_ECORRUPT;
	*value = kt_get_u64(v.mv_data);
	return KT_OK;
}

/* The tail of the log: its position, chain hash and recorded time. */
struct tail {
	uint64_t position;
	uint8_t hash[KT_HASH_LEN];
	int64_t recorded;
};

static int read_tail(kt_store *s, MDB_txn *txn, struct tail *t)
{
	MDB_cursor *cur;
	MDB_val k, v;
	memset(t, 0, sizeof *t);
	int rc = mdb_cursor_open(txn, s->events, &cur);
	if (rc)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return KT_OK;
	if (rc)
		return rc;
	struct kt_event last;
	const uint8_t *hash;
	if (kt_log_entry(&k, &v, &last, &hash))
		return KT_ECORRUPT;
	t->position = last.position;
	t->recorded = last.recorded;
	memcpy(t->hash, hash, KT_HASH_LEN);
	return KT_OK;
}

/*
 * The batch's first id is stored already: the batch is a retry of one that
 * landed, or an error. Fill the events from the stored ones when every id is
 * stored, at consecutive positions in batch order, with the same content.
 */
static int resolve_duplicate(kt_store *s, MDB_txn *txn, const char *stream, struct kt_event *events,
			     size_t n, struct kt_append_result *res)
{
	for (size_t i = 0; i < n; i++) {
		struct kt_event *ev = &events[i];
		if (kt_id_is_nil(ev->id))
			return KT_EIDREUSED;
		MDB_val k = { 16, ev->id }, v;
		int rc = mdb_get(txn, s->ids, &k, &v);
		if (rc == MDB_NOTFOUND)
			return KT_EIDREUSED;
		if (rc)
			return rc;
		if (v.mv_size != 8)
			return KT_ECORRUPT;
		uint64_t pos = kt_get_u64(v.mv_data);
		uint8_t key[8];
		kt_put_u64(key, pos);
		MDB_val pk = { 8, key }, entry;
		struct kt_event stored;
		if ((rc = mdb_get(txn, s->events, &pk, &entry)))
			return rc == MDB_NOTFOUND ? KT_ECORRUPT : rc;
		if (kt_log_entry(&pk, &entry, &stored, NULL))
			return KT_ECORRUPT;
		ev->stream = stream;
		ev->stream_len = strlen(stream);
		if (!kt_event_same_content(&stored, ev))
			return KT_EIDREUSED;
		/* A landed batch holds consecutive positions in batch order; a
		 * repeated id, or ids from elsewhere in the log, are no retry. */
		if (i > 0 && pos != events[i - 1].position + 1)
			return KT_EIDREUSED;
		ev->version = stored.version;
		ev->recorded = stored.recorded;
		ev->effective = stored.effective;
		ev->position = pos;
	}
	res->duplicate = 1;
	res->first_position = events[0].position;
	res->last_position = events[n - 1].position;
	return kt_stream_head(s, txn, stream, strlen(stream), &res->head_version);
}

/* Cursors an append keeps open on the tables it writes in key order. */
struct append_cursors {
	MDB_cursor *log;
	MDB_cursor *ids;
};

/* Write the envelope in s->scratch (after KT_HASH_LEN bytes of room for
 * its hash), decoded in *ev, at t->position + 1, extending the chain and
 * the indexes. */
static int put_scratch(kt_store *s, MDB_txn *txn, struct append_cursors *c, struct kt_event *ev,
		       struct tail *t)
{
	uint8_t pos_key[8], skey[KT_STREAM_KEY_MAX];
	int rc;
	t->position++;
	kt_put_u64(pos_key, t->position);
	kt_chain_next(t->hash, t->position, s->scratch.data + KT_HASH_LEN,
		      s->scratch.len - KT_HASH_LEN, t->hash);
	memcpy(s->scratch.data, t->hash, KT_HASH_LEN);

	MDB_val k = { 8, pos_key }, v = { s->scratch.len, s->scratch.data };
	if ((rc = mdb_cursor_put(c->log, &k, &v, MDB_APPEND)))
		return rc == MDB_KEYEXIST ? KT_ECORRUPT : rc;

	MDB_val sk = { kt_stream_key(skey, ev->stream, ev->stream_len, ev->version), skey };
	MDB_val pv = { 8, pos_key };
	if ((rc = mdb_put(txn, s->streams, &sk, &pv, MDB_NOOVERWRITE)))
		return rc == MDB_KEYEXIST ? KT_ECORRUPT : rc;
	/* New ids are time-ordered, so most sort after every stored one and
	 * go in at the right edge without a search; an id that does not (a
	 * caller's, or another process's) takes the ordinary insert. */
	MDB_val ik = { 16, ev->id };
	rc = mdb_cursor_put(c->ids, &ik, &pv, MDB_APPEND);
	if (rc == MDB_KEYEXIST)
		rc = mdb_put(txn, s->ids, &ik, &pv, MDB_NOOVERWRITE);
	if (rc)
		return rc == MDB_KEYEXIST ? KT_EIDREUSED : rc;
	ev->position = t->position;
	return KT_OK;
}

static const uint8_t hash_room[KT_HASH_LEN];

/* Write one event at t->position + 1, extending the chain. */
static int put_event(kt_store *s, MDB_txn *txn, struct append_cursors *c, struct kt_event *ev,
		     struct tail *t)
{
	int rc;
	kt_buf_reset(&s->scratch);
	if ((rc = kt_buf_append(&s->scratch, hash_room, KT_HASH_LEN)) ||
	    (rc = kt_event_encode(ev, &s->scratch)))
		return rc;
	return put_scratch(s, txn, c, ev, t);
}

/* A stream's first event makes one more stream. */
static int count_new_stream(kt_store *s, MDB_txn *txn)
{
	uint64_t streams;
	uint8_t bytes[8];
	int rc = kt_meta_u64(s, txn, KT_META_STREAMS, &streams);
	if (rc)
		return rc;
	kt_put_u64(bytes, streams + 1);
	MDB_val k = { sizeof KT_META_STREAMS - 1, (void *)KT_META_STREAMS }, v = { 8, bytes };
	return mdb_put(txn, s->meta, &k, &v, 0);
}

static int append_txn(kt_store *s, const char *stream, size_t stream_len, uint64_t expected,
		      struct kt_event *events, size_t n, struct kt_append_result *res)
{
	MDB_txn *txn;
	struct append_cursors c = { NULL, NULL };
	struct tail t;
	uint64_t head;
	int rc = kt_txn_begin(s, 0, &txn);
	if (rc)
		return rc;

	if (!kt_id_is_nil(events[0].id)) {
		MDB_val k = { 16, events[0].id }, v;
		rc = mdb_get(txn, s->ids, &k, &v);
		if (rc == 0) {
			rc = resolve_duplicate(s, txn, stream, events, n, res);
			goto abort;
		}
		if (rc != MDB_NOTFOUND)
			goto abort;
	}
	if ((rc = kt_stream_head(s, txn, stream, stream_len, &head)))
		goto abort;
	res->head_version = head;
	if (expected != KT_VERSION_ANY && expected != head) {
		rc = KT_EVERSION;
		goto abort;
	}
	if ((rc = read_tail(s, txn, &t)))
		goto abort;
	int64_t now = s->clock(s->clock_ctx);
	int64_t recorded = now > t.recorded ? now : t.recorded;

	if ((rc = mdb_cursor_open(txn, s->events, &c.log)) ||
	    (rc = mdb_cursor_open(txn, s->ids, &c.ids)))
		goto abort;
	res->first_position = t.position + 1;
	for (size_t i = 0; i < n; i++) {
		struct kt_event *ev = &events[i];
		if (kt_id_is_nil(ev->id) && (rc = kt_id_generate(ev->id)))
			goto abort;
		ev->stream = stream;
		ev->stream_len = stream_len;
		ev->version = head + 1 + i;
		ev->recorded = recorded;
		if (ev->effective == KT_TIME_UNSET)
			ev->effective = recorded;
		if ((rc = put_event(s, txn, &c, ev, &t)))
			goto abort;
	}
	res->last_position = t.position;
	res->head_version = head + n;
	if (head == 0 && (rc = count_new_stream(s, txn)))
		goto abort;
	mdb_cursor_close(c.ids);
	mdb_cursor_close(c.log);
	return mdb_txn_commit(txn);
abort:
	if (c.ids)
		mdb_cursor_close(c.ids);
	if (c.log)
		mdb_cursor_close(c.log);
	mdb_txn_abort(txn);
	return rc;
}

/* ---- import ------------------------------------------------------------- */

struct import_job {
	const struct kt_import_event *events;
	size_t n;
	struct kt_import_result *res;
};

static int refuse(struct kt_import_result *res, size_t i, int rc, const char *why)
{
	res->failed = i;
	snprintf(res->problem, sizeof res->problem, "%s", why);
	return rc;
}

/* Import one event after t; i is its index, for the refusal. */
static int import_one(kt_store *s, MDB_txn *txn, struct append_cursors *c,
		      const struct kt_import_event *in, size_t i, struct tail *t,
		      struct kt_import_result *res)
{
	struct kt_event ev;
	uint64_t head;
	char why[160];
	int rc = kt_event_decode(in->envelope, in->len, &ev);
	if (rc)
		return refuse(res, i, rc, "the envelope does not decode");
	if (ev.stream_len > KT_STREAM_MAX)
		return refuse(res, i, KT_EMALFORMED, "the stream name is too long");
	if ((rc = kt_stream_head(s, txn, ev.stream, ev.stream_len, &head)))
		return rc;
	if (ev.version != head + 1) {
		snprintf(why, sizeof why, "version %llu of %.*s follows version %llu",
			 (unsigned long long)ev.version, (int)(ev.stream_len > 60 ? 60 : ev.stream_len),
			 ev.stream, (unsigned long long)head);
		return refuse(res, i, KT_EVERSION, why);
	}
	if (kt_id_is_nil(ev.id))
		return refuse(res, i, KT_EIDREUSED, "the event has no id");
	if (t->position && ev.recorded < t->recorded)
		return refuse(res, i, KT_EDATE, "its recorded time is before the event before it");
	kt_buf_reset(&s->scratch);
	if ((rc = kt_buf_append(&s->scratch, hash_room, KT_HASH_LEN)) ||
	    (rc = kt_buf_append(&s->scratch, in->envelope, in->len)))
		return rc;
	rc = put_scratch(s, txn, c, &ev, t);
	if (rc == KT_EIDREUSED)
		return refuse(res, i, rc, "its id is stored already");
	if (rc)
		return rc;
	t->recorded = ev.recorded;
	if (in->hash && memcmp(in->hash, t->hash, KT_HASH_LEN) != 0)
		return refuse(res, i, KT_ECORRUPT,
			      "its chain hash differs: the log before it is not the same");
	return head == 0 ? count_new_stream(s, txn) : KT_OK;
}

static int import_body(kt_store *s, MDB_txn *txn, void *ctx)
{
	struct import_job *job = ctx;
	struct append_cursors c = { NULL, NULL };
	struct tail t;
	int rc = read_tail(s, txn, &t);
	if (rc)
		return rc;
	if ((rc = mdb_cursor_open(txn, s->events, &c.log)) ||
	    (rc = mdb_cursor_open(txn, s->ids, &c.ids)))
		goto out;
	job->res->first_position = t.position + 1;
	for (size_t i = 0; i < job->n && !rc; i++)
		rc = import_one(s, txn, &c, &job->events[i], i, &t, job->res);
	job->res->last_position = t.position;
out:
	if (c.ids)
		mdb_cursor_close(c.ids);
	if (c.log)
		mdb_cursor_close(c.log);
	return rc;
}

int kt_store_import(kt_store *s, const struct kt_import_event *events, size_t n,
		    struct kt_import_result *res)
{
	memset(res, 0, sizeof *res);
	if (n == 0 || !events)
		return KT_EINVAL;
	struct import_job job = { events, n, res };
	int rc = kt_store_write(s, import_body, &job);
	if (rc) {
		res->first_position = 0;
		res->last_position = 0;
	}
	return rc;
}

/* Checks that need no transaction, so bad input fails before any I/O. */
static int check_batch(const char *stream, size_t stream_len, const struct kt_event *events,
		       size_t n)
{
	if (!stream || n == 0 || n > KT_BATCH_MAX || stream_len == 0)
		return KT_EINVAL;
	if (stream_len > KT_STREAM_MAX)
		return KT_ETOOBIG;
	for (size_t i = 0; i < n; i++) {
		const struct kt_event *ev = &events[i];
		if (!ev->type || ev->type_len == 0 || !ev->data || (ev->actor_len && !ev->actor))
			return KT_EINVAL;
	}
	return KT_OK;
}

int kt_store_append(kt_store *s, const char *stream, uint64_t expected_version,
		    struct kt_event *events, size_t n, struct kt_append_result *res)
{
	struct kt_append_result scratch_res;
	if (!res)
		res = &scratch_res;
	memset(res, 0, sizeof *res);
	if (s->readonly)
		return KT_EREADONLY;
	size_t stream_len = stream ? strlen(stream) : 0;
	int rc = check_batch(stream, stream_len, events, n);
	if (rc)
		return rc;

	/* A failed attempt may have written ids, versions and times into the
	 * caller's events; each retry, and the caller after a failure, gets
	 * them back exactly as given. */
	struct kt_event *given = malloc(n * sizeof *given);
	if (!given)
		return KT_ENOMEM;
	memcpy(given, events, n * sizeof *given);

	for (;;) {
		rc = append_txn(s, stream, stream_len, expected_version, events, n, res);
		if (rc != MDB_MAP_FULL && rc != MDB_MAP_RESIZED)
			break;
		memcpy(events, given, n * sizeof *given);
		int grown = rc == MDB_MAP_FULL ? grow_map(s) : adopt_mapsize(s);
		if (grown) {
			rc = grown;
			break;
		}
	}
	if (rc)
		memcpy(events, given, n * sizeof *given);
	free(given);
	return rc;
}
