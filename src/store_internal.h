/*
 * store_internal.h — what store.c, reader.c and verify.c share: the handle's
 * layout and the key encodings. Not installed; not part of the API.
 */
#ifndef KONTROLL_STORE_INTERNAL_H
#define KONTROLL_STORE_INTERNAL_H

#include "kontroll/buf.h"
#include "kontroll/chain.h"
#include "kontroll/store.h"

#include <lmdb.h>

/* A stream key: name ‖ 0x00 ‖ version (8 bytes big-endian). */
#define KT_STREAM_KEY_MAX (KT_STREAM_MAX + 9)

/* A log entry's value: the chain hash at its position, then the envelope. */
#define KT_LOG_VALUE_MAX (KT_HASH_LEN + KT_ENVELOPE_MAX)

/* The meta key holding the number of streams. */
#define KT_META_STREAMS "streams"

struct kt_store {
	MDB_env *env;
	MDB_dbi events, streams, ids, snapshots, meta;
	size_t mapsize;
	kt_clock_fn clock;
	void *clock_ctx;
	int durable;
	int readonly;
	int readers;	       /* readers open in this process: the map may not move */
	struct kt_buf scratch; /* log value of the event being appended */
	char *path;
};

struct kt_reader {
	kt_store *store;
	MDB_txn *txn;
	uint64_t head;
};

/* Decode the log entry k → v into *ev (borrowed from v) and point *hash at
 * its chain hash (hash may be NULL). KT_ECORRUPT for a malformed key or a
 * value too short to hold a hash; decoding errors as kt_event_decode. */
int kt_log_entry(const MDB_val *k, const MDB_val *v, struct kt_event *ev, const uint8_t **hash);

/* The head version of a stream (0 when it has no events), from the last key
 * of the stream in the streams index. */
int kt_stream_head(kt_store *s, MDB_txn *txn, const char *stream, size_t len, uint64_t *version);

/* Read a u64 meta value: 0 when absent, KT_ECORRUPT when not 8 bytes. */
int kt_meta_u64(kt_store *s, MDB_txn *txn, const char *name, uint64_t *value);

/* Run body in a write transaction and commit it; when the map fills, grow it
 * and run body again in a new transaction (body must therefore only write
 * through txn). Returns 0, KT_EREADONLY, body's error (the transaction is
 * then aborted) or an LMDB code. */
int kt_store_write(kt_store *s, int (*body)(kt_store *s, MDB_txn *txn, void *ctx), void *ctx);

/* Begin a transaction, adopting a map another process has grown. */
int kt_txn_begin(kt_store *s, unsigned flags, MDB_txn **txn);

void kt_put_u64(uint8_t out[8], uint64_t v);
uint64_t kt_get_u64(const void *p);

/* Write the key of (stream, version) into key; returns its length. len must
 * be at most KT_STREAM_MAX. */
size_t kt_stream_key(uint8_t key[KT_STREAM_KEY_MAX], const char *stream, size_t len,
		     uint64_t version);

#endif
