/*
 * replay.h — the replay engine: folds the log into a projection for any
 * moment on both time axes, with snapshots as a cache.
 *
 * A projection is a pure fold over events: reset to empty, apply one event,
 * and save/load its state for snapshots. It does no I/O of its own. The
 * engine feeds it, in log order, every event recorded up to known-at (a
 * position) whose effective time is at or before as-of.
 *
 * Snapshots. A snapshot is the saved state of one projection for one as-of
 * value at one log position P. Because the fold runs in log order with a
 * per-event filter, the state for (as-of A, position E ≥ P) is exactly the
 * snapshot for (A, P) with the events in (P, E] applied: a backdated event
 * appended later lands after P and is applied then, so a snapshot never goes
 * stale and nothing has to invalidate it. A snapshot serves only queries with
 * the same as-of value (the current view has its own, "no as-of"). Each holds
 * the projection's state version and the chain hash at P, and is ignored
 * unless both match, so changed projection code or a store restored with
 * another history can never be served an old state. Deleting every snapshot
 * changes no answer, only the time it takes.
 *
 * What it does not do: decide what a projection means, or run queries on its
 * state; both belong to the projection.
 */
#ifndef KONTROLL_REPLAY_H
#define KONTROLL_REPLAY_H

#include "kontroll/buf.h"
#include "kontroll/event.h"
#include "kontroll/store.h"

#include <stdint.h>

/* "No limit" on either time axis: everything recorded, every effective time. */
#define KT_TIME_MAX INT64_MAX

/* Most as-of values one projection keeps snapshots for, besides the current
 * view; past that, those of the as-of value saved longest ago are dropped,
 * so queries for ever new dates cannot grow the store without bound. */
#define KT_SNAPSHOT_AS_OF_KEEP 8

/* Longest projection name (it prefixes every snapshot key). */
#define KT_PROJECTION_NAME_MAX 64

struct kt_projection {
	const char *name;	/* ≤ KT_PROJECTION_NAME_MAX bytes, no NUL inside */
	uint32_t state_version; /* bump whenever save's encoding or apply's meaning changes */
	/* Empty the state. */
	void (*reset)(void *state);
	/* Fold one event in. ev and everything it points to are valid only
	 * during the call. Returns 0 or an error, which stops the replay. */
	int (*apply)(void *state, const struct kt_event *ev);
	/* Append the whole state to out. Returns 0 or an error (KT_ETOOBIG, …). */
	int (*save)(const void *state, struct kt_buf *out);
	/* Replace the state by the one saved in bytes. Returns 0, or an error
	 * for bytes it cannot read; the engine then replays from the start. */
	int (*load)(void *state, const uint8_t *bytes, size_t len);
};

struct kt_replay_query {
	int64_t known_at;	 /* µs; KT_TIME_MAX: everything recorded so far */
	int64_t as_of;		 /* µs; KT_TIME_MAX: no filter on effective time */
	int use_snapshots;	 /* 0: replay from the first event */
	uint64_t snapshot_every; /* save a snapshot when at least this many events
				    were read past the one started from; 0: never.
				    Needs a store opened for writing. */
	/* Called now and then while the log is read, with the events read so
	 * far and the number to read; NULL: never. (store.h's type.) */
	kt_progress_fn progress;
	void *progress_ctx;
};

/* KT_REPLAY_QUERY_NOW: the current view, with snapshots, saving every 10,000,
 * no progress reports. */
#define KT_REPLAY_QUERY_NOW                                                                        \
	{                                                                                          \
		KT_TIME_MAX, KT_TIME_MAX, 1, 10000, NULL, NULL                                     \
	}

struct kt_replay_stats {
	uint64_t end_position;	    /* last log position the query covers */
	uint64_t snapshot_position; /* position of the snapshot started from; 0: none */
	uint64_t read;		    /* events read from the log */
	uint64_t applied;	    /* of those, passed to apply (effective ≤ as-of) */
	int snapshot_saved;	    /* 1 when this call saved a snapshot at end_position
				       (not when one as new or newer was there) */
};

/*
 * Fill state (the caller's, of the projection's type) with the fold of the
 * events the query selects, starting from the newest usable snapshot when
 * q->use_snapshots. Afterwards, when q->snapshot_every allows and the store
 * is writable, save a snapshot at the end position and remove the older ones
 * of the same projection and as-of — unless one at the same or a later
 * position exists (a query for a past known-at never displaces the snapshot
 * that serves the present). stats may be NULL. Returns 0; KT_EINVAL
 * for a projection without a valid name or callbacks, or no query; an error
 * from the projection's apply, whatever its code (the replay stops there and
 * no snapshot is saved); KT_ECORRUPT or a decoding error for a damaged log;
 * or an LMDB code. A failure to save a snapshot, an error from the
 * projection's save included, is not an error (the answer is complete
 * without it) unless it is a damaged store.
 */
int kt_replay(kt_store *s, const struct kt_projection *p, void *state,
	      const struct kt_replay_query *q, struct kt_replay_stats *stats);

/*
 * Remove the snapshots of one projection (name), or of all when name is NULL.
 * *removed (may be NULL) gets the number removed. Returns 0, KT_EREADONLY or
 * an LMDB code.
 */
int kt_snapshot_clear(kt_store *s, const char *name, uint64_t *removed);

#endif
