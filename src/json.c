/*
 * json.c — JSON ↔ msgpack. Encoding walks a jansson tree into msgpack-c's
 * packer; decoding walks msgpack bytes with the bounded reader into jansson.
 */
#include "kontroll/json.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"
#include "kontroll/mpread.h"

#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pack_value(msgpack_packer *pk, const json_t *v, int depth);

static int pack_object(msgpack_packer *pk, const json_t *obj, int depth)
{
	const char *key;
	json_t *val;
	if (msgpack_pack_map(pk, json_object_size(obj)))
		return -1;
	json_object_foreach ((json_t *)obj, key, val) {
		size_t n = strlen(key);
		if (msgpack_pack_str(pk, n) || msgpack_pack_str_body(pk, key, n))
			return -1;
		int rc = pack_value(pk, val, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * depth is the nesting level v would have if it is a container (the root
 * object is 1). Only containers count, as in kt_mp_skip: a scalar inside the
 * deepest allowed container is fine. Returns -1 on a write failure, -2 when
 * nested too deep.
 */
static int pack_value(msgpack_packer *pk, const json_t *v, int depth)
{
	if ((json_is_object(v) || json_is_array(v)) && depth > KT_MP_MAX_DEPTH)
		return -2;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return pack_object(pk, v, depth);
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		if (msgpack_pack_array(pk, n))
			return -1;
		for (size_t k = 0; k < n; k++) {
			int rc = pack_value(pk, json_array_get(v, k), depth + 1);
			if (rc)
				return rc;
		}
		return 0;
	}
	case JSON_STRING: {
		size_t n = json_string_length(v);
		if (msgpack_pack_str(pk, n))
			return -1;
		return msgpack_pack_str_body(pk, json_string_value(v), n);
	}
	case JSON_INTEGER:
		return msgpack_pack_int64(pk, json_integer_value(v));
	case JSON_REAL:
		return msgpack_pack_double(pk, json_real_value(v));
	case JSON_TRUE:
		return msgpack_pack_true(pk);
	case JSON_FALSE:
		return msgpack_pack_false(pk);
	case JSON_NULL:
		return msgpack_pack_nil(pk);
	}
	return -1;
}

int kt_json_to_data(const char *text, size_t len, struct kt_buf *out, char *why, size_t why_len)
{
	json_error_t jerr;
	/* Any top-level value parses, so that a string or number gets our
	 * message below rather than jansson's. */
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		/* jansson names its own flag here; users need the fact. */
		const char *reason = strstr(jerr.text, "JSON_ALLOW_NUL")
					 ? "\\u0000 (a NUL character) is not allowed"
					 : jerr.text;
		snprintf(why, why_len, "line %d, column %d: %s", jerr.line, jerr.column, reason);
		return KT_EJSON;
	}
	int rc = KT_OK;
	if (!json_is_object(root)) {
		snprintf(why, why_len, "must be a JSON object ({...})");
		rc = KT_EJSON;
		goto out;
	}
	struct kt_buf_sink s = { out, 0 };
	msgpack_packer pk;
	msgpack_packer_init(&pk, &s, kt_buf_sink_write);
	int packed = pack_value(&pk, root, 1);
	if (packed == -2) {
		snprintf(why, why_len, "nested deeper than %d levels", KT_MP_MAX_DEPTH);
		rc = KT_EJSON;
	} else if (packed) {
		rc = s.err ? s.err : KT_ENOMEM;
		snprintf(why, why_len, "%s", kt_strerror(rc));
	}
out:
	json_decref(root);
	return rc;
}

static const char HEX[] = "0123456789abcdef";

/* {"$hex": "…"} for bytes JSON has no type for. */
static json_t *hex_object(const uint8_t *b, size_t n)
{
	char *text = malloc(2 * n + 1);
	if (!text)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		text[2 * k] = HEX[b[k] >> 4];
		text[2 * k + 1] = HEX[b[k] & 15];
	}
	text[2 * n] = 0;
	json_t *obj = json_pack("{s:s}", "$hex", text);
	free(text);
	return obj;
}

static int to_json(struct kt_mp *r, json_t **out, int depth);

static int container_to_json(struct kt_mp *r, json_t **out, int depth, int is_map)
{
	uint32_t n;
	int rc = is_map ? kt_mp_read_map(r, &n) : kt_mp_read_array(r, &n);
	if (rc)
		return KT_EMALFORMED;
	if (depth >= KT_MP_MAX_DEPTH)
		return KT_EMALFORMED;
	json_t *c = is_map ? json_object() : json_array();
	if (!c)
		return KT_ENOMEM;
	for (uint32_t k = 0; k < n; k++) {
		json_t *val;
		if (is_map) {
			const char *key;
			size_t klen;
			if (kt_mp_read_str(r, &key, &klen)) {
				rc = KT_EMALFORMED;
				break;
			}
			if ((rc = to_json(r, &val, depth + 1)))
				break;
			if (json_object_setn_new(c, key, klen, val)) {
				rc = KT_EMALFORMED; /* a key that is not UTF-8 */
				break;
			}
		} else {
			if ((rc = to_json(r, &val, depth + 1)))
				break;
			if (json_array_append_new(c, val)) {
				rc = KT_ENOMEM;
				break;
			}
		}
	}
	if (rc) {
		json_decref(c);
		return rc;
	}
	*out = c;
	return KT_OK;
}

static int to_json(struct kt_mp *r, json_t **out, int depth)
{
	json_t *v = NULL;
	int rc = KT_OK;
	switch (kt_mp_peek(r)) {
	case KT_MP_MAP:
		return container_to_json(r, out, depth, 1);
	case KT_MP_ARRAY:
		return container_to_json(r, out, depth, 0);
	case KT_MP_NIL:
		rc = kt_mp_read_nil(r);
		v = json_null();
		break;
	case KT_MP_BOOL: {
		int b;
		rc = kt_mp_read_bool(r, &b);
		v = json_boolean(b);
		break;
	}
	case KT_MP_UINT: {
		uint64_t u;
		rc = kt_mp_read_uint(r, &u);
		/* JSON integers here are 64-bit signed; larger values become reals. */
		v = u <= INT64_MAX ? json_integer((json_int_t)u) : json_real((double)u);
		break;
	}
	case KT_MP_INT: {
		int64_t i;
		rc = kt_mp_read_int(r, &i);
		v = json_integer(i);
		break;
	}
	case KT_MP_FLOAT: {
		double d;
		rc = kt_mp_read_float(r, &d);
		v = json_real(d); /* NULL for NaN and infinities, which JSON lacks */
		if (!rc && !v)
			v = json_null();
		break;
	}
	case KT_MP_STR: {
		const char *s;
		size_t n;
		rc = kt_mp_read_str(r, &s, &n);
		if (!rc && !(v = json_stringn(s, n)))
			return KT_EMALFORMED; /* not UTF-8 */
		break;
	}
	case KT_MP_BIN:
	case KT_MP_EXT: {
		const uint8_t *start = r->p;
		rc = kt_mp_skip(r, 0);
		if (!rc)
			v = hex_object(start, (size_t)(r->p - start));
		break;
	}
	default:
		return KT_EMALFORMED;
	}
	if (rc) {
		json_decref(v);
		return KT_EMALFORMED;
	}
	if (!v)
		return KT_ENOMEM;
	*out = v;
	return KT_OK;
}

int kt_data_to_json(const void *data, size_t len, json_t **out)
{
	struct kt_mp r = kt_mp_init(data, len);
	json_t *v;
	int rc = to_json(&r, &v, 0);
	if (rc)
		return rc;
	if (r.p != r.end) {
		json_decref(v);
		return KT_EMALFORMED;
	}
	*out = v;
	return KT_OK;
}

static json_t *id_or_null(const uint8_t id[16])
{
	char text[KT_ID_TEXT_LEN + 1];
	if (kt_id_is_nil(id))
		return json_null();
	kt_id_format(id, text);
	return json_string(text);
}

int kt_event_to_json(const struct kt_event *ev, json_t **out)
{
	char id[KT_ID_TEXT_LEN + 1], recorded[KT_TIME_TEXT_MAX], effective[KT_TIME_TEXT_MAX];
	json_t *data;
	int rc = kt_data_to_json(ev->data, ev->data_len, &data);
	if (rc)
		return rc;
	kt_id_format(ev->id, id);
	kt_time_format(ev->recorded, recorded);
	kt_time_format(ev->effective, effective);
	json_t *obj = json_pack("{s:I, s:s, s:s%, s:I, s:s%, s:s, s:s, s:s%, s:o, s:o, s:o}",
				"position", (json_int_t)ev->position, "id", id, "stream",
				ev->stream, ev->stream_len, "version", (json_int_t)ev->version,
				"type", ev->type, ev->type_len, "recorded", recorded, "effective",
				effective, "actor", ev->actor ? ev->actor : "", ev->actor_len,
				"correlation_id", id_or_null(ev->correlation), "causation_id",
				id_or_null(ev->causation), "data", data);
	if (!obj)
		return KT_EMALFORMED; /* a name that is not UTF-8 */
	*out = obj;
	return KT_OK;
}
