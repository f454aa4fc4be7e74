/*
 * store_internal.h — what store.c, reader.c and verify.c share: the handle's
 * layout and the key encodings. Not installed; not part of the API.
 */
#ifndef KONTROLL_STORE_INTERNAL_H
#define KONTROLL_STORE_INTERNAL_H

#include "kontroll/buf.h"
#include "kontroll/store.h"

#include <lmdb.h>

/* A stream key: name ‖ 0x00 ‖ version (8 bytes big-endian). */
#define KT_STREAM_KEY_MAX (KT_STREAM_MAX + 9)

struct kt_store {
	MDB_env *env;
	MDB_dbi events, chain, streams, heads, ids, snapshots, meta;
	size_t mapsize;
	kt_clock_fn clock;
	void *clock_ctx;
	int durable;
	int readonly;
	int readers;          /* readers open in this process: the map may not move */
	struct kt_buf scratch; /* envelope bytes of the event being appended */
	char *path;
};

struct kt_reader {
	kt_store *store;
	MDB_txn *txn;
	uint64_t head;
};

/* Begin a transaction, adopting a map another process has grown. */
int kt_txn_begin(kt_store *s, unsigned flags, MDB_txn **txn);

void kt_put_u64(uint8_t out[8], uint64_t v);
uint64_t kt_get_u64(const void *p);

/* Write the key of (stream, version) into key; returns its length. len must
 * be at most KT_STREAM_MAX. */
size_t kt_stream_key(uint8_t key[KT_STREAM_KEY_MAX], const char *stream, size_t len,
		     uint64_t version);

#endif
