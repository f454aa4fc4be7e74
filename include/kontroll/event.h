/*
 * event.h — the event envelope and its msgpack codec.
 *
 * An envelope is a msgpack array whose first element is the envelope format
 * version, then: event id (bin 16), stream (str), stream version (uint), type
 * (str), recorded (µs since the epoch, UTC), effective (µs), actor (str),
 * correlation id and causation id (bin 16, or nil for none) and data (one
 * msgpack map with string keys). Encoding writes KT_ENVELOPE_FORMAT; decoding
 * accepts every format version up to it.
 *
 * Size is bounded by construction: the encoder refuses to produce more than
 * KT_ENVELOPE_MAX bytes and the decoder refuses longer input, so an event
 * that can be written can always be read back and nothing read from disk is
 * trusted for its length. Strings are counted, not NUL-terminated.
 */
#ifndef KONTROLL_EVENT_H
#define KONTROLL_EVENT_H

#include "kontroll/buf.h"

#include <stddef.h>
#include <stdint.h>

#define KT_ENVELOPE_FORMAT 1
/* Largest encoded data map, and largest envelope (the data plus room for
 * the header fields at their maximum lengths). */
#define KT_DATA_MAX	(64 * 1024)
#define KT_STREAM_MAX	200
#define KT_TYPE_MAX	100
#define KT_ACTOR_MAX	200
#define KT_ENVELOPE_MAX (KT_DATA_MAX + 1024)

/* "No time given": effective time left to the store, which then uses the
 * recorded time. */
#define KT_TIME_UNSET INT64_MIN

struct kt_event {
	uint8_t id[16]; /* all zero: none yet (the store assigns one) */
	const char *stream;
	size_t stream_len;
	uint64_t version; /* 1 for a stream's first event */
	const char *type;
	size_t type_len;
	int64_t recorded;  /* µs since the epoch, UTC; assigned by the store */
	int64_t effective; /* µs since the epoch, UTC, or KT_TIME_UNSET */
	const char *actor;
	size_t actor_len;
	uint8_t correlation[16]; /* all zero: none */
	uint8_t causation[16];	 /* all zero: none */
	const uint8_t *data;	 /* one msgpack map with string keys */
	size_t data_len;
	uint64_t position; /* log position; set by reads, not encoded */
};

/*
 * Append the envelope of ev to out (whose max should be at least
 * KT_ENVELOPE_MAX). ev->data must be exactly one msgpack map with string keys;
 * it is validated, not trusted. Returns 0; KT_ETOOBIG when the data exceeds
 * KT_DATA_MAX or a name exceeds its limit; KT_EMALFORMED when data is not one
 * well-formed map; KT_EINVAL for an empty stream or type, or a stream, type or
 * actor that is not UTF-8 (kt_utf8_valid); KT_ENOMEM. On error
 * out may hold a partial envelope: reset it before reuse.
 */
int kt_event_encode(const struct kt_event *ev, struct kt_buf *out);

/*
 * Decode the len bytes at bytes into *ev without copying: ev's strings and
 * data point into bytes and are valid only as long as bytes is. position is
 * left untouched. Returns 0; KT_ETOOBIG for more than KT_ENVELOPE_MAX bytes;
 * KT_EFORMAT for an unknown (newer) envelope format; KT_EMALFORMED for
 * anything truncated, ill-typed, over a limit, not UTF-8 where text is
 * expected, or followed by trailing bytes. Never reads
 * outside [bytes, bytes + len).
 */
int kt_event_decode(const void *bytes, size_t len, struct kt_event *ev);

/*
 * Non-zero when a and b carry the same content as far as idempotent append is
 * concerned: stream, type, actor, correlation, causation and data; effective
 * too unless b->effective is KT_TIME_UNSET. Id, version, recorded time and
 * position are not compared.
 */
int kt_event_same_content(const struct kt_event *a, const struct kt_event *b);

#endif
