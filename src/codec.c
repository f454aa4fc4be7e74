/*
 * codec.c — the event envelope: encoding with msgpack-c's packer, decoding
 * with the bounded reader of mpread.c (see mpread.h for why not msgpack-c's
 * unpacker).
 */
#include "kontroll/event.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/mpread.h"
#include "kontroll/utf8.h"

#include <msgpack.h>
#include <string.h>

enum { ENVELOPE_FIELDS = 11 };

static int pack_id_or_nil(msgpack_packer *pk, const uint8_t id[16])
{
	if (kt_id_is_nil(id))
		return msgpack_pack_nil(pk);
	if (msgpack_pack_bin(pk, 16))
		return -1;
	return msgpack_pack_bin_body(pk, id, 16);
}

static int pack_str(msgpack_packer *pk, const char *s, size_t n)
{
	if (msgpack_pack_str(pk, n))
		return -1;
	return msgpack_pack_str_body(pk, s, n);
}

/* Data must be exactly one map with string keys, with nothing after it. */
static int check_data(const uint8_t *data, size_t len)
{
	struct kt_mp r = kt_mp_init(data, len);
	if (kt_mp_peek(&r) != KT_MP_MAP)
		return KT_EMALFORMED;
	int rc = kt_mp_skip(&r, 1);
	if (rc)
		return rc;
	return r.p == r.end ? KT_OK : KT_EMALFORMED;
}

int kt_event_encode(const struct kt_event *ev, struct kt_buf *out)
{
	if (ev->stream_len == 0 || ev->type_len == 0)
		return KT_EINVAL;
	if (ev->stream_len > KT_STREAM_MAX || ev->type_len > KT_TYPE_MAX ||
	    ev->actor_len > KT_ACTOR_MAX || ev->data_len > KT_DATA_MAX)
		return KT_ETOOBIG;
	if (!kt_utf8_valid(ev->stream, ev->stream_len) || !kt_utf8_valid(ev->type, ev->type_len) ||
	    (ev->actor_len && !kt_utf8_valid(ev->actor, ev->actor_len)))
		return KT_EINVAL;
	int rc = check_data(ev->data, ev->data_len);
	if (rc)
		return rc;

	struct kt_buf_sink s = { out, 0 };
	msgpack_packer pk;
	msgpack_packer_init(&pk, &s, kt_buf_sink_write);
	if (msgpack_pack_array(&pk, ENVELOPE_FIELDS) ||
	    msgpack_pack_uint32(&pk, KT_ENVELOPE_FORMAT) || msgpack_pack_bin(&pk, 16) ||
	    msgpack_pack_bin_body(&pk, ev->id, 16) || pack_str(&pk, ev->stream, ev->stream_len) ||
	    msgpack_pack_uint64(&pk, ev->version) || pack_str(&pk, ev->type, ev->type_len) ||
	    msgpack_pack_int64(&pk, ev->recorded) || msgpack_pack_int64(&pk, ev->effective) ||
	    pack_str(&pk, ev->actor ? ev->actor : "", ev->actor_len) ||
	    pack_id_or_nil(&pk, ev->correlation) || pack_id_or_nil(&pk, ev->causation) ||
	    kt_buf_sink_write(&s, (const char *)ev->data, ev->data_len))
		return s.err ? s.err : KT_ENOMEM;
	return KT_OK;
}

/* A 16-byte bin, or nil for the all-zero id. */
static int read_id(struct kt_mp *r, uint8_t id[16], int nil_allowed)
{
	if (nil_allowed && kt_mp_peek(r) == KT_MP_NIL) {
		memset(id, 0, 16);
		return kt_mp_read_nil(r);
	}
	const uint8_t *b;
	size_t n;
	int rc = kt_mp_read_bin(r, &b, &n);
	if (rc)
		return rc;
	if (n != 16)
		return KT_EMALFORMED;
	memcpy(id, b, 16);
	return KT_OK;
}

static int decode_fields(struct kt_mp *r, struct kt_event *ev)
{
	uint32_t fields;
	uint64_t format;
	int rc;
	if ((rc = kt_mp_read_array(r, &fields)) || (rc = kt_mp_read_uint(r, &format)))
		return rc;
	if (format == 0 || format > KT_ENVELOPE_FORMAT)
		return KT_EFORMAT;
	if (fields != ENVELOPE_FIELDS)
		return KT_EMALFORMED;
	if ((rc = read_id(r, ev->id, 0)) ||
	    (rc = kt_mp_read_str(r, &ev->stream, &ev->stream_len)) ||
	    (rc = kt_mp_read_uint(r, &ev->version)) ||
	    (rc = kt_mp_read_str(r, &ev->type, &ev->type_len)) ||
	    (rc = kt_mp_read_int(r, &ev->recorded)) || (rc = kt_mp_read_int(r, &ev->effective)) ||
	    (rc = kt_mp_read_str(r, &ev->actor, &ev->actor_len)) ||
	    (rc = read_id(r, ev->correlation, 1)) || (rc = read_id(r, ev->causation, 1)))
		return rc;
	if (ev->stream_len == 0 || ev->stream_len > KT_STREAM_MAX || ev->type_len == 0 ||
	    ev->type_len > KT_TYPE_MAX || ev->actor_len > KT_ACTOR_MAX ||
	    !kt_utf8_valid(ev->stream, ev->stream_len) || !kt_utf8_valid(ev->type, ev->type_len) ||
	    !kt_utf8_valid(ev->actor, ev->actor_len))
		return KT_EMALFORMED;
	ev->data = r->p;
	ev->data_len = (size_t)(r->end - r->p);
	if (ev->data_len > KT_DATA_MAX)
		return KT_EMALFORMED; /* could not have been encoded */
	return check_data(ev->data, ev->data_len);
}

int kt_event_decode(const void *bytes, size_t len, struct kt_event *ev)
{
	if (len > KT_ENVELOPE_MAX)
		return KT_ETOOBIG;
	struct kt_mp r = kt_mp_init(bytes, len);
	int rc = decode_fields(&r, ev);
	/* A well-formed value of the wrong type is still malformed input here. */
	return rc == KT_EINVAL ? KT_EMALFORMED : rc;
}

static int same_bytes(const void *a, size_t an, const void *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

int kt_event_same_content(const struct kt_event *a, const struct kt_event *b)
{
	return same_bytes(a->stream, a->stream_len, b->stream, b->stream_len) &&
	       same_bytes(a->type, a->type_len, b->type, b->type_len) &&
	       same_bytes(a->actor, a->actor_len, b->actor, b->actor_len) &&
	       memcmp(a->correlation, b->correlation, 16) == 0 &&
	       memcmp(a->causation, b->causation, 16) == 0 &&
	       same_bytes(a->data, a->data_len, b->data, b->data_len) &&
	       (b->effective == KT_TIME_UNSET || a->effective == b->effective);
}
