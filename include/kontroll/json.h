/*
 * json.h — the bridge between JSON (jansson) and kontroll's msgpack data.
 *
 * Event data travels as JSON at the edges (the CLI, exports) and as a
 * msgpack map inside the store. The mapping is exact for everything JSON can
 * say: objects ↔ maps with string keys, arrays, strings, integers (64-bit),
 * reals (double), true/false, null. msgpack binaries and extensions, which
 * JSON cannot say, are rendered as {"$hex": "…"}: the hex of the whole msgpack
 * element, header included, so an extension keeps its type and the bytes can
 * be restored exactly. They do not occur in data written through the JSON
 * path.
 */
#ifndef KONTROLL_JSON_H
#define KONTROLL_JSON_H

#include "kontroll/buf.h"
#include "kontroll/event.h"

#include <jansson.h>
#include <stddef.h>

/*
 * Parse the len bytes at text as one JSON object and append it to out as one
 * msgpack map. Every byte counts: a NUL byte or anything after the object is
 * an error. Duplicate keys and nesting deeper than KT_MP_MAX_DEPTH are
 * rejected. Returns 0; KT_EJSON with a one-line reason (e.g. "line 1,
 * column 9: ...") in why; KT_ETOOBIG when the encoded map would exceed out's
 * maximum; KT_ENOMEM.
 */
int kt_json_to_data(const char *text, size_t len, struct kt_buf *out, char *why, size_t why_len);

/*
 * Convert one msgpack map or other value at data into a new jansson value in
 * *out (a new reference the caller must json_decref). Returns 0,
 * KT_EMALFORMED for ill-formed bytes or a string that is not UTF-8, or
 * KT_ENOMEM.
 */
int kt_data_to_json(const void *data, size_t len, json_t **out);

/*
 * A new JSON object describing ev: position, id, stream, version, type,
 * recorded, effective (both as ISO 8601 UTC text), actor, correlation_id,
 * causation_id (null when none) and data. Returns 0, KT_EMALFORMED or
 * KT_ENOMEM; on success the caller owns *out.
 */
int kt_event_to_json(const struct kt_event *ev, json_t **out);

#endif
