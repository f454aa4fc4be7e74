/*
 * store.h — the append-only event log in LMDB.
 *
 * A store is one LMDB environment in a single file (plus FILE-lock) holding
 * the log of msgpack envelopes (event.h) keyed by position, a SHA-256 hash
 * chain over it, and the indexes that make it usable: stream → versions,
 * stream → head version, event id → position. Everything an append writes
 * lands in one write transaction, so a crash leaves either all of a batch or
 * none of it, and the indexes can never disagree with the log unless the file
 * is tampered with — which kt_store_verify detects.
 *
 * Invariants:
 *  - positions are 1, 2, 3, … with no gaps; nothing is ever updated or
 *    deleted; a stream's versions are 1, 2, 3, … with no gaps;
 *  - recorded time is assigned here, never by the caller, and never
 *    decreases along the log, even when the wall clock steps back;
 *  - an event id is stored at most once.
 *
 * Concurrency: any number of processes may open one store; LMDB serialises
 * writers across processes and readers never block the writer or each other.
 * One kt_store handle must not be used by two threads at once. The map grows
 * by itself when it fills; growing needs this process to have no reader open,
 * so finish readers (kt_reader_end) before appending.
 *
 * What it does not do: interpret payloads (events/ does), or keep any view of
 * the data (projections/ do).
 */
#ifndef KONTROLL_STORE_H
#define KONTROLL_STORE_H

#include "kontroll/event.h"

#include <stddef.h>
#include <stdint.h>

/* The on-disk format this build writes and reads. 2: the chain hash is kept
 * in front of each envelope and stream heads are read from the streams index
 * (format 1, with separate chain and heads tables, was a development layout
 * and is refused). */
#define KT_STORE_FORMAT 2

/* Expected versions for kt_store_append. Any number in between means "the
 * stream's head version is exactly this"; KT_VERSION_NONE (0) is the same as
 * "the stream must not exist yet". */
#define KT_VERSION_NONE UINT64_C(0)
#define KT_VERSION_ANY	UINT64_MAX

/* Open flags. */
#define KT_OPEN_CREATE	 0x1 /* create the store when the file does not exist */
#define KT_OPEN_READONLY 0x2 /* no writes; works on a read-only file */
#define KT_OPEN_EXCL	 0x4 /* create the store; fail with KT_EEXIST if the file exists */

/* Most events one append may carry. */
#define KT_BATCH_MAX 100000

typedef struct kt_store kt_store;
typedef struct kt_reader kt_reader;
typedef struct kt_iter kt_iter;

/* A clock returning µs since the epoch, UTC; for tests that step time back. */
typedef int64_t (*kt_clock_fn)(void *ctx);

/*
 * Allocate a closed store handle with default settings in *out. Call the
 * kt_store_set_* functions next, then kt_store_open, and finally
 * kt_store_close — also when kt_store_open fails. Returns 0 or KT_ENOMEM.
 */
int kt_store_create(kt_store **out);

/* Initial map size in bytes (default 64 MiB), rounded up to whole pages by
 * LMDB. The map doubles whenever it fills. Only before kt_store_open. */
int kt_store_set_mapsize(kt_store *s, size_t bytes);

/* Clock used for recorded time (default: the wall clock). Only before open. */
int kt_store_set_clock(kt_store *s, kt_clock_fn clock, void *ctx);

/* durable != 0 (the default): every append is on disk when it returns.
 * durable == 0: commits are not synced (MDB_NOSYNC) — for bulk loads and
 * tests; a crash may lose recent appends but never corrupts the store.
 * Only before open. */
int kt_store_set_durable(kt_store *s, int durable);

/*
 * Open the store in the file at path. With KT_OPEN_CREATE a missing (or
 * empty) file becomes a new store, stamped with the format version and a new
 * store id; with KT_OPEN_EXCL the file must not exist yet, which makes
 * creation race-free between processes. An existing file that is not a
 * kontroll store is never modified. Returns 0; KT_ENOTFOUND when the file does
 * not exist and neither create flag is given; KT_EEXIST for KT_OPEN_EXCL on an
 * existing file; KT_EFORMAT when the file is not a store, or one of an
 * incompatible format; KT_ECORRUPT when the file is shorter than the data it
 * claims (a truncated copy); KT_EINVAL when s is already open, path is empty
 * or not a regular file, or flags combine a create flag with READONLY; or an
 * errno/LMDB code (e.g. EACCES). On failure a file this call created is
 * removed again.
 */
int kt_store_open(kt_store *s, const char *path, unsigned flags);

/* Close the store and free the handle. Every reader must have been ended.
 * Accepts NULL. */
void kt_store_close(kt_store *s);

/* The result of an append. */
struct kt_append_result {
	uint64_t first_position; /* position of the batch's first event */
	uint64_t last_position;
	uint64_t head_version; /* the stream's head version after the append; on
				  KT_EVERSION, the head version found instead */
	int duplicate;	       /* 1 when the batch was stored already: nothing written */
};

/*
 * Append n events (1 ≤ n ≤ KT_BATCH_MAX) to stream, all in one write
 * transaction, when the stream's head version matches expected_version
 * (KT_VERSION_ANY, KT_VERSION_NONE, or an exact version). For each event the
 * caller sets type, data, actor, and optionally id, effective, correlation and
 * causation; the stream and version fields are ignored. On success the store
 * writes back into each event: id (when it was nil, a new UUIDv7), stream
 * (pointing at the caller's stream argument), version, recorded, effective
 * (= recorded when it was KT_TIME_UNSET) and position.
 *
 * Idempotence: when every event's id is stored already with the same content
 * (kt_event_same_content), nothing is written, res->duplicate is set and the
 * original positions are returned — whatever expected_version says, so a
 * retried command succeeds. When any id is stored with other content, or only
 * some ids of the batch are stored, the result is KT_EIDREUSED. Two events of
 * one batch may not share an id (KT_EIDREUSED).
 *
 * Errors (nothing is written on any error): KT_EVERSION (res->head_version
 * holds the actual head); KT_EIDREUSED; KT_EINVAL (n out of range, empty
 * stream or type, events given no data); KT_ETOOBIG; KT_EMALFORMED (data is
 * not one map with string keys); KT_EREADONLY; KT_ECORRUPT (the log's tail or
 * an index is damaged); LMDB and errno codes. res may be NULL.
 */
int kt_store_append(kt_store *s, const char *stream, uint64_t expected_version,
		    struct kt_event *events, size_t n, struct kt_append_result *res);

/* One stored event to import, as kt_reader_get_raw gave it elsewhere. */
struct kt_import_event {
	const uint8_t *envelope; /* the envelope bytes, written as they are */
	size_t len;
	const uint8_t *hash; /* the chain hash it must have at its position
				(KT_HASH_LEN bytes), or NULL: not checked */
};

struct kt_import_result {
	uint64_t first_position; /* positions the events took */
	uint64_t last_position;
	size_t failed;	   /* on a refusal: the index of the event refused */
	char problem[160]; /* on a refusal: one line saying why */
};

/*
 * Write n stored events (1 ≤ n) exactly as they are — ids, streams,
 * versions, recorded and effective times, envelope bytes — after the head,
 * all in one write transaction: all of them or none. This is how a log
 * exported from one store is rebuilt in another with the same chain hashes.
 * Each envelope must decode; its stream version must follow the stream's
 * head (1 for a new stream); its id must not be stored; its recorded time
 * must not be before the event before it; and its chain hash must equal
 * hash when given, which holds only when the store held exactly the same
 * events before it. Returns 0; KT_EINVAL for n = 0; KT_EREADONLY; on a
 * refusal (res->failed and res->problem say which and why) a decoding
 * error, KT_EVERSION, KT_EIDREUSED, KT_EDATE (recorded time going back) or
 * KT_ECORRUPT (another chain hash); or an LMDB code. res may not be NULL.
 */
int kt_store_import(kt_store *s, const struct kt_import_event *events, size_t n,
		    struct kt_import_result *res);

/*
 * Begin a reader: a consistent snapshot of the store as of now, unaffected by
 * later appends, which never wait for it. Everything read through it stays
 * valid until kt_reader_end. End it promptly: a long-lived reader keeps old
 * pages from being reused. Returns 0, KT_ENOMEM or an LMDB code.
 */
int kt_reader_begin(kt_store *s, kt_reader **out);

/* End the reader and free it; borrowed events become invalid. Accepts NULL. */
void kt_reader_end(kt_reader *r);

/* The position of the last event (0 for an empty store). */
uint64_t kt_reader_head(const kt_reader *r);

/* Read the event at position into *ev (borrowed until kt_reader_end).
 * Returns 0, KT_ENOTFOUND, or a decoding error for a damaged envelope. */
int kt_reader_get(kt_reader *r, uint64_t position, struct kt_event *ev);

/* An event as stored: its envelope bytes exactly as written (the bytes the
 * chain hashes) and the chain hash at its position. Borrowed as events are. */
struct kt_raw_event {
	const uint8_t *envelope;
	size_t len;
	const uint8_t *hash; /* KT_HASH_LEN (chain.h) bytes */
};

/* As kt_reader_get, and *raw (may be NULL) gets the stored bytes. */
int kt_reader_get_raw(kt_reader *r, uint64_t position, struct kt_event *ev,
		      struct kt_raw_event *raw);

/* Look up an event by id; as kt_reader_get otherwise. */
int kt_reader_get_by_id(kt_reader *r, const uint8_t id[16], struct kt_event *ev);

/* The head version of stream into *version: 0 when the stream does not exist.
 * Returns 0 or an LMDB code. */
int kt_reader_stream_version(kt_reader *r, const char *stream, uint64_t *version);

/*
 * The last position whose recorded time is ≤ at, into *position (0 when the
 * first event is later than at). A binary search over positions: O(log² n)
 * page reads, no scan. Returns 0 or a read error.
 */
int kt_reader_position_at(kt_reader *r, int64_t at, uint64_t *position);

/*
 * Iterate the whole log starting at position from (inclusive; 0 or 1 means
 * the start when forward; 0 or any value beyond the head means the head when
 * backward), forward when backward == 0. Free with kt_iter_free before
 * kt_reader_end. Returns 0, KT_ENOMEM or an LMDB code.
 */
int kt_iter_log(kt_reader *r, uint64_t from, int backward, kt_iter **out);

/* Iterate one stream's events in version order from version from (0 or 1:
 * its first event). A stream that does not exist yields no events. Returns
 * 0, KT_EINVAL for an empty name, KT_ETOOBIG for one over KT_STREAM_MAX,
 * KT_ENOMEM or an LMDB code. */
int kt_iter_stream(kt_reader *r, const char *stream, uint64_t from, kt_iter **out);

/*
 * Step to the next event: 0 and *ev filled (borrowed until kt_reader_end),
 * KT_ENOTFOUND at the end, or an error (a damaged envelope or index).
 */
int kt_iter_next(kt_iter *it, struct kt_event *ev);

/* As kt_iter_next, and *raw (may be NULL) gets the stored bytes. */
int kt_iter_next_raw(kt_iter *it, struct kt_event *ev, struct kt_raw_event *raw);

/* Free an iterator. Accepts NULL. */
void kt_iter_free(kt_iter *it);

struct kt_store_info {
	uint64_t events; /* = head position */
	uint64_t streams;
	uint64_t head;
	int64_t last_recorded; /* recorded time of the head event, 0 when empty */
	uint64_t format;
	uint8_t store_id[16];
	uint64_t file_bytes;   /* size of the data file on disk */
	uint64_t map_bytes;    /* current map size */
	uint8_t head_hash[32]; /* chain hash at the head; all zero when empty */
};

/* Fill *info from a fresh read snapshot. Returns 0 or an LMDB/errno code. */
int kt_store_info(kt_store *s, struct kt_store_info *info);

/* What kt_store_verify found. */
struct kt_verify_report {
	uint64_t events;    /* events checked */
	uint64_t streams;   /* streams checked */
	uint64_t first_bad; /* the first position found wrong; 0 when the
			       damage is not tied to a position */
	char problem[200];  /* one line naming what is wrong; empty when sound */
};

/* Called now and then during verify with the events done and the total. */
typedef void (*kt_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Check the whole store from one read snapshot: every envelope decodes, every
 * chain hash recomputes, positions are gapless, and every index (streams,
 * heads, ids) agrees with the log entry for entry, in both directions.
 * Returns 0 when all is sound; KT_ECORRUPT with report filled when not; or a
 * read error. progress may be NULL.
 */
int kt_store_verify(kt_store *s, struct kt_verify_report *report, kt_progress_fn progress,
		    void *ctx);

#endif
