/*
 * test_codec.c — the event envelope: every field round-trips; the encoder
 * refuses oversized or ill-formed events and names that are not UTF-8; the
 * decoder refuses truncated, padded, miscounted, future-format and oversized
 * input, names that are not UTF-8 and data over KT_DATA_MAX; and the content
 * comparison used by idempotent append.
 *
 * Payloads and hand-made envelopes are built with msgpack-c's packer, the
 * way kontroll's own writers build them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/mpread.h"

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

struct packed {
	msgpack_sbuffer sb;
	msgpack_packer pk;
};

static void packed_init(struct packed *p)
{
	msgpack_sbuffer_init(&p->sb);
	msgpack_packer_init(&p->pk, &p->sb, msgpack_sbuffer_write);
}

static void pack_cstr(msgpack_packer *pk, const char *s)
{
	msgpack_pack_str_with_body(pk, s, strlen(s));
}

/* {"unit": "Helse", "count": 3, "items": [1, -2, {"k": nil}]} */
static void pack_sample_data(struct packed *p)
{
	packed_init(p);
	msgpack_pack_map(&p->pk, 3);
	pack_cstr(&p->pk, "unit");
	pack_cstr(&p->pk, "Helse");
	pack_cstr(&p->pk, "count");
	msgpack_pack_int(&p->pk, 3);
	pack_cstr(&p->pk, "items");
	msgpack_pack_array(&p->pk, 3);
	msgpack_pack_int(&p->pk, 1);
	msgpack_pack_int(&p->pk, -2);
	msgpack_pack_map(&p->pk, 1);
	pack_cstr(&p->pk, "k");
	msgpack_pack_nil(&p->pk);
}

/* A map {"d": "xxx…"} of exactly total bytes (total ≥ 40). */
static uint8_t *data_of_size(size_t total)
{
	struct packed p;
	packed_init(&p);
	size_t body = total - 1 - 2 - 3; /* fixmap, "d", str16 header */
	if (body > 65535)
		body = total - 1 - 2 - 5; /* str32 header */
	assert_true(body >= 32);
	char *text = malloc(body);
	assert_non_null(text);
	memset(text, 'x', body);
	msgpack_pack_map(&p.pk, 1);
	pack_cstr(&p.pk, "d");
	msgpack_pack_str_with_body(&p.pk, text, body);
	free(text);
	assert_int_equal(p.sb.size, total);
	uint8_t *out = (uint8_t *)msgpack_sbuffer_release(&p.sb);
	return out;
}

static struct packed sample;

/* An event with every field set to something recognisable. */
static struct kt_event full_event(void)
{
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	for (int k = 0; k < 16; k++) {
		ev.id[k] = (uint8_t)(0xa0 + k);
		ev.correlation[k] = (uint8_t)(0x10 + k);
		ev.causation[k] = (uint8_t)(0x30 + k);
	}
	ev.stream = "inspection-0193b8a4";
	ev.stream_len = strlen(ev.stream);
	ev.version = 70000;
	ev.type = "inspection.order.issued";
	ev.type_len = strlen(ev.type);
	ev.recorded = INT64_C(1767225600123456);
	ev.effective = -INT64_C(2208988800000000); /* 1900-01-01 */
	ev.actor = "kvalitetsrådgiver Åse";
	ev.actor_len = strlen(ev.actor);
	ev.data = (const uint8_t *)sample.sb.data;
	ev.data_len = sample.sb.size;
	ev.position = 12345; /* not encoded */
	return ev;
}

/* Encode ev into a fresh buffer; the caller frees it. */
static struct kt_buf encode_ok(const struct kt_event *ev)
{
	struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
	int rc = kt_event_encode(ev, &out);
	if (rc)
		fail_msg("kt_event_encode: %s", kt_strerror(rc));
	return out;
}

/* Decode from an exactly sized heap copy, so an over-read is caught. */
static int decode_exact(const void *bytes, size_t n, struct kt_event *ev, uint8_t **copy)
{
	uint8_t *p = malloc(n ? n : 1);
	assert_non_null(p);
	if (n)
		memcpy(p, bytes, n);
	int rc = kt_event_decode(p, n, ev);
	if (copy)
		*copy = p;
	else
		free(p);
	return rc;
}

static void assert_same_fields(const struct kt_event *a, const struct kt_event *b)
{
	assert_memory_equal(a->id, b->id, 16);
	assert_int_equal(a->stream_len, b->stream_len);
	assert_memory_equal(a->stream, b->stream, a->stream_len);
	assert_true(a->version == b->version);
	assert_int_equal(a->type_len, b->type_len);
	assert_memory_equal(a->type, b->type, a->type_len);
	assert_true(a->recorded == b->recorded);
	assert_true(a->effective == b->effective);
	assert_int_equal(a->actor_len, b->actor_len);
	if (a->actor_len)
		assert_memory_equal(a->actor, b->actor, a->actor_len);
	assert_memory_equal(a->correlation, b->correlation, 16);
	assert_memory_equal(a->causation, b->causation, 16);
	assert_int_equal(a->data_len, b->data_len);
	assert_memory_equal(a->data, b->data, a->data_len);
}

static int setup(void **state)
{
	(void)state;
	pack_sample_data(&sample);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	msgpack_sbuffer_destroy(&sample.sb);
	return 0;
}

/* ---- round trips ------------------------------------------------------ */

static void test_codec_round_trips_every_field(void **state)
{
	(void)state;
	struct kt_event ev = full_event();
	struct kt_buf env = encode_ok(&ev);
	struct kt_event out;
	memset(&out, 0, sizeof out);
	out.position = 777;
	uint8_t *copy;
	assert_int_equal(decode_exact(env.data, env.len, &out, &copy), KT_OK);
	assert_same_fields(&ev, &out);
	assert_true(out.position == 777); /* decode leaves position alone */
	/* Zero-copy: strings and data point into the input. */
	assert_true((const uint8_t *)out.stream > copy &&
		    (const uint8_t *)out.stream < copy + env.len);
	assert_ptr_equal(out.data + out.data_len, copy + env.len);
	free(copy);
	kt_buf_free(&env);
}

static void test_codec_round_trips_nil_ids_and_empty_actor(void **state)
{
	(void)state;
	struct kt_event ev = full_event();
	memset(ev.correlation, 0, 16);
	memset(ev.causation, 0, 16);
	ev.actor = NULL;
	ev.actor_len = 0;
	struct kt_buf env = encode_ok(&ev);
	struct kt_event out;
	memset(&out, 0xee, sizeof out);
	assert_int_equal(decode_exact(env.data, env.len, &out, NULL), KT_OK);
	static const uint8_t nil[16];
	assert_memory_equal(out.correlation, nil, 16);
	assert_memory_equal(out.causation, nil, 16);
	assert_int_equal(out.actor_len, 0);
	kt_buf_free(&env);

	/* Only one of the two set. */
	ev = full_event();
	memset(ev.correlation, 0, 16);
	env = encode_ok(&ev);
	assert_int_equal(decode_exact(env.data, env.len, &out, NULL), KT_OK);
	assert_same_fields(&ev, &out);
	kt_buf_free(&env);
	ev = full_event();
	memset(ev.causation, 0, 16);
	env = encode_ok(&ev);
	assert_int_equal(decode_exact(env.data, env.len, &out, NULL), KT_OK);
	assert_same_fields(&ev, &out);
	kt_buf_free(&env);
}

static void test_codec_round_trips_extreme_numbers(void **state)
{
	(void)state;
	static const int64_t times[] = {
		0, -1, 1, INT64_MIN, INT64_MAX, -(INT64_C(1) << 40), INT64_C(253402300799999999)
	};
	static const uint64_t versions[] = { 0, 1, 127, 128, 65536, UINT64_MAX };
	for (size_t k = 0; k < sizeof times / sizeof times[0]; k++) {
		struct kt_event ev = full_event();
		ev.recorded = times[k];
		ev.effective = times[(k + 3) % (sizeof times / sizeof times[0])];
		ev.version = versions[k % (sizeof versions / sizeof versions[0])];
		struct kt_buf env = encode_ok(&ev);
		struct kt_event out;
		assert_int_equal(decode_exact(env.data, env.len, &out, NULL), KT_OK);
		assert_same_fields(&ev, &out);
		kt_buf_free(&env);
	}
}

static void test_codec_encode_writes_format_then_eleven_fields(void **state)
{
	(void)state;
	struct kt_event ev = full_event();
	struct kt_buf env = encode_ok(&ev);
	struct kt_mp r = kt_mp_init(env.data, env.len);
	uint32_t fields = 0;
	uint64_t format = 0;
	assert_int_equal(kt_mp_read_array(&r, &fields), KT_OK);
	assert_int_equal(fields, 11);
	assert_int_equal(kt_mp_read_uint(&r, &format), KT_OK);
	assert_int_equal(format, KT_ENVELOPE_FORMAT);
	const uint8_t *id;
	size_t n;
	assert_int_equal(kt_mp_read_bin(&r, &id, &n), KT_OK);
	assert_int_equal(n, 16);
	assert_memory_equal(id, ev.id, 16);
	/* The data map is the envelope's tail, byte for byte. */
	assert_memory_equal(env.data + env.len - sample.sb.size, sample.sb.data, sample.sb.size);
	kt_buf_free(&env);
}

static void test_codec_encode_appends_to_what_the_buffer_holds(void **state)
{
	(void)state;
	struct kt_event ev = full_event();
	struct kt_buf one = encode_ok(&ev);
	struct kt_buf two = KT_BUF_INIT(2 * KT_ENVELOPE_MAX);
	assert_int_equal(kt_buf_append(&two, "ab", 2), KT_OK);
	assert_int_equal(kt_event_encode(&ev, &two), KT_OK);
	assert_int_equal(two.len, one.len + 2);
	assert_memory_equal(two.data + 2, one.data, one.len);
	kt_buf_free(&one);
	kt_buf_free(&two);
}

/* ---- encode refuses --------------------------------------------------- */

static void test_codec_encode_accepts_data_of_exactly_data_max(void **state)
{
	(void)state;
	/* Every name at its limit too: the largest event there can be. */
	char stream[KT_STREAM_MAX], type[KT_TYPE_MAX], actor[KT_ACTOR_MAX];
	memset(stream, 's', sizeof stream);
	memset(type, 't', sizeof type);
	memset(actor, 'a', sizeof actor);
	uint8_t *data = data_of_size(KT_DATA_MAX);
	struct kt_event ev = full_event();
	ev.stream = stream;
	ev.stream_len = sizeof stream;
	ev.type = type;
	ev.type_len = sizeof type;
	ev.actor = actor;
	ev.actor_len = sizeof actor;
	ev.recorded = INT64_MIN;
	ev.effective = INT64_MIN;
	ev.version = UINT64_MAX;
	ev.data = data;
	ev.data_len = KT_DATA_MAX;
	struct kt_buf env = encode_ok(&ev);
	assert_true(env.len <= KT_ENVELOPE_MAX);
	struct kt_event out;
	assert_int_equal(decode_exact(env.data, env.len, &out, NULL), KT_OK);
	assert_same_fields(&ev, &out);
	kt_buf_free(&env);
	free(data);
}

static void test_codec_encode_rejects_data_over_data_max(void **state)
{
	(void)state;
	uint8_t *data = data_of_size(KT_DATA_MAX + 1);
	struct kt_event ev = full_event();
	ev.data = data;
	ev.data_len = KT_DATA_MAX + 1;
	struct kt_buf out = KT_BUF_INIT(4 * KT_ENVELOPE_MAX);
	assert_int_equal(kt_event_encode(&ev, &out), KT_ETOOBIG);
	kt_buf_free(&out);
	free(data);
}

static void test_codec_encode_rejects_overlong_names(void **state)
{
	(void)state;
	char big[KT_ACTOR_MAX + KT_STREAM_MAX + 1];
	memset(big, 'n', sizeof big);
	struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
	struct kt_event ev;

	ev = full_event();
	ev.stream = big;
	ev.stream_len = KT_STREAM_MAX + 1;
	assert_int_equal(kt_event_encode(&ev, &out), KT_ETOOBIG);
	kt_buf_reset(&out);
	ev.stream_len = KT_STREAM_MAX;
	assert_int_equal(kt_event_encode(&ev, &out), KT_OK);
	kt_buf_reset(&out);

	ev = full_event();
	ev.type = big;
	ev.type_len = KT_TYPE_MAX + 1;
	assert_int_equal(kt_event_encode(&ev, &out), KT_ETOOBIG);
	kt_buf_reset(&out);
	ev.type_len = KT_TYPE_MAX;
	assert_int_equal(kt_event_encode(&ev, &out), KT_OK);
	kt_buf_reset(&out);

	ev = full_event();
	ev.actor = big;
	ev.actor_len = KT_ACTOR_MAX + 1;
	assert_int_equal(kt_event_encode(&ev, &out), KT_ETOOBIG);
	kt_buf_reset(&out);
	ev.actor_len = KT_ACTOR_MAX;
	assert_int_equal(kt_event_encode(&ev, &out), KT_OK);
	kt_buf_free(&out);
}

static void test_codec_encode_rejects_empty_stream_or_type(void **state)
{
	(void)state;
	struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
	struct kt_event ev = full_event();
	ev.stream_len = 0;
	assert_int_equal(kt_event_encode(&ev, &out), KT_EINVAL);
	ev = full_event();
	ev.type_len = 0;
	assert_int_equal(kt_event_encode(&ev, &out), KT_EINVAL);
	assert_int_equal(out.len, 0);
	kt_buf_free(&out);
}

/* Byte strings that are not UTF-8 (kt_utf8_valid), each with its length. */
static const struct {
	const char *what;
	const char *bytes;
	size_t len;
} not_utf8[] = {
	{ "a byte that never occurs", "bad\xff", 4 },
	{ "a truncated sequence", "abc\xc3", 4 },
	{ "a lone continuation byte",
	  "\x80"
	  "abc",
	  4 },
	{ "an overlong NUL", "a\xc0\x80", 3 },
	{ "a surrogate", "\xed\xa0\x80", 3 },
	{ "a code point above U+10FFFF", "\xf4\x90\x80\x80", 4 },
	{ "a NUL byte", "a\0b", 3 },
};

static void test_codec_encode_rejects_names_that_are_not_utf8(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof not_utf8 / sizeof not_utf8[0]; k++) {
		for (int field = 0; field < 3; field++) {
			struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
			struct kt_event ev = full_event();
			const char *bad = not_utf8[k].bytes;
			size_t n = not_utf8[k].len;
			switch (field) {
			case 0:
				ev.stream = bad;
				ev.stream_len = n;
				break;
			case 1:
				ev.type = bad;
				ev.type_len = n;
				break;
			case 2:
				ev.actor = bad;
				ev.actor_len = n;
				break;
			}
			int rc = kt_event_encode(&ev, &out);
			if (rc != KT_EINVAL)
				fail_msg("%s with %s: got %d, want KT_EINVAL",
					 field == 0   ? "stream"
					 : field == 1 ? "type"
						      : "actor",
					 not_utf8[k].what, rc);
			kt_buf_free(&out);
		}
	}
	/* Multi-byte names at their byte limits are fine: 2-byte letters. */
	char stream[KT_STREAM_MAX], actor[KT_ACTOR_MAX];
	for (size_t k = 0; k < sizeof stream; k += 2)
		memcpy(stream + k, "\xc3\xa6", 2); /* æ */
	for (size_t k = 0; k < sizeof actor; k += 2)
		memcpy(actor + k, "\xc3\xb8", 2); /* ø */
	struct kt_event ev = full_event();
	ev.stream = stream;
	ev.stream_len = sizeof stream;
	ev.actor = actor;
	ev.actor_len = sizeof actor;
	ev.type = "h\xc3\xa5ndtert.\xf0\x9f\x98\x80";
	ev.type_len = strlen(ev.type);
	struct kt_buf env = encode_ok(&ev);
	struct kt_event out;
	assert_int_equal(decode_exact(env.data, env.len, &out, NULL), KT_OK);
	assert_same_fields(&ev, &out);
	kt_buf_free(&env);
}

static void test_codec_encode_rejects_data_that_is_not_one_string_keyed_map(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		uint8_t bytes[12];
		size_t len;
	} cases[] = {
		{ "empty", { 0 }, 0 },
		{ "an array", { 0x91, 0xa1, 'k' }, 3 },
		{ "an integer", { 0x01 }, 1 },
		{ "a string", { 0xa1, 'k' }, 2 },
		{ "nil", { 0xc0 }, 1 },
		{ "an integer key", { 0x81, 0x01, 0x02 }, 3 },
		{ "a binary key", { 0x81, 0xc4, 0x01, 'k', 0x02 }, 5 },
		{ "a nested integer key", { 0x81, 0xa1, 'k', 0x81, 0x05, 0x06 }, 6 },
		{ "a map then a trailing byte", { 0x81, 0xa1, 'k', 0x01, 0x00 }, 5 },
		{ "two maps", { 0x80, 0x80 }, 2 },
		{ "a truncated map", { 0x82, 0xa1, 'k', 0x01, 0xa1, 'j' }, 6 },
		{ "the reserved byte", { 0x81, 0xa1, 'k', 0xc1 }, 4 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
		uint8_t *data = malloc(cases[k].len ? cases[k].len : 1);
		assert_non_null(data);
		memcpy(data, cases[k].bytes, cases[k].len);
		struct kt_event ev = full_event();
		ev.data = data;
		ev.data_len = cases[k].len;
		int rc = kt_event_encode(&ev, &out);
		if (rc != KT_EMALFORMED)
			fail_msg("data that is %s: got %d", cases[k].what, rc);
		free(data);
		kt_buf_free(&out);
	}
	/* An empty map is one map with string keys. */
	struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
	struct kt_event ev = full_event();
	ev.data = (const uint8_t *)"\x80";
	ev.data_len = 1;
	assert_int_equal(kt_event_encode(&ev, &out), KT_OK);
	kt_buf_free(&out);
}

/* ---- decode refuses --------------------------------------------------- */

static void test_codec_decode_rejects_every_truncation(void **state)
{
	(void)state;
	struct kt_event ev = full_event();
	struct kt_buf env = encode_ok(&ev);
	for (size_t cut = 0; cut < env.len; cut++) {
		struct kt_event out;
		int rc = decode_exact(env.data, cut, &out, NULL);
		if (rc != KT_EMALFORMED)
			fail_msg("envelope cut at %zu of %zu bytes: got %d", cut, env.len, rc);
	}
	kt_buf_free(&env);
}

static void test_codec_decode_rejects_trailing_bytes(void **state)
{
	(void)state;
	struct kt_event ev = full_event();
	struct kt_buf env = encode_ok(&ev);
	static const uint8_t tails[][2] = { { 0x00 }, { 0xc0 }, { 0x80 }, { 0xa1, 'x' } };
	static const size_t tail_len[] = { 1, 1, 1, 2 };
	for (size_t k = 0; k < 4; k++) {
		struct kt_buf padded = KT_BUF_INIT(2 * KT_ENVELOPE_MAX);
		assert_int_equal(kt_buf_append(&padded, env.data, env.len), KT_OK);
		assert_int_equal(kt_buf_append(&padded, tails[k], tail_len[k]), KT_OK);
		struct kt_event out;
		assert_int_equal(decode_exact(padded.data, padded.len, &out, NULL), KT_EMALFORMED);
		kt_buf_free(&padded);
	}
	kt_buf_free(&env);
}

/* How pack_envelope spoils one field. */
enum spoil {
	SPOIL_NONE,
	SPOIL_ID_SHORT, /* bin of 15 */
	SPOIL_ID_STR,	/* id as a string */
	SPOIL_ID_NIL,	/* the event id may not be nil */
	SPOIL_STREAM_INT,
	SPOIL_STREAM_EMPTY,
	SPOIL_STREAM_LONG,
	SPOIL_VERSION_NEG,
	SPOIL_TYPE_EMPTY,
	SPOIL_TYPE_LONG,
	SPOIL_RECORDED_STR,
	SPOIL_RECORDED_HUGE, /* a uint above INT64_MAX */
	SPOIL_EFFECTIVE_FLOAT,
	SPOIL_ACTOR_NIL,
	SPOIL_ACTOR_LONG,
	SPOIL_CORRELATION_SHORT,
	SPOIL_CAUSATION_BOOL,
	SPOIL_DATA_ARRAY,
	SPOIL_DATA_INT_KEY,
	SPOIL_COUNT
};

static void pack_id(msgpack_packer *pk, size_t n)
{
	static const uint8_t id[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	msgpack_pack_bin_with_body(pk, id, n);
}

/*
 * A hand-made envelope: fields array elements (11 is right), format, then
 * the fields in order with one spoiled. With fields != 11 the causation id is
 * dropped (10) or a nil added before the data (12 or more).
 */
static void pack_envelope(struct packed *p, uint32_t fields, uint64_t format, enum spoil spoil)
{
	/* All letters: over-long for its length alone, not for NUL bytes. */
	char long_name[KT_ACTOR_MAX + 1];
	memset(long_name, 'L', sizeof long_name);
	packed_init(p);
	msgpack_packer *pk = &p->pk;
	msgpack_pack_array(pk, fields);
	msgpack_pack_uint64(pk, format);
	if (spoil == SPOIL_ID_SHORT)
		pack_id(pk, 15);
	else if (spoil == SPOIL_ID_STR)
		msgpack_pack_str_with_body(pk, "0123456789abcdef", 16);
	else if (spoil == SPOIL_ID_NIL)
		msgpack_pack_nil(pk);
	else
		pack_id(pk, 16);
	if (spoil == SPOIL_STREAM_INT)
		msgpack_pack_int(pk, 5);
	else if (spoil == SPOIL_STREAM_EMPTY)
		msgpack_pack_str_with_body(pk, "", 0);
	else if (spoil == SPOIL_STREAM_LONG)
		msgpack_pack_str_with_body(pk, long_name, KT_STREAM_MAX + 1);
	else
		pack_cstr(pk, "incident-1");
	if (spoil == SPOIL_VERSION_NEG)
		msgpack_pack_int(pk, -1);
	else
		msgpack_pack_uint64(pk, 1);
	if (spoil == SPOIL_TYPE_EMPTY)
		msgpack_pack_str_with_body(pk, "", 0);
	else if (spoil == SPOIL_TYPE_LONG)
		msgpack_pack_str_with_body(pk, long_name, KT_TYPE_MAX + 1);
	else
		pack_cstr(pk, "incident.reported");
	if (spoil == SPOIL_RECORDED_STR)
		pack_cstr(pk, "2025-01-01");
	else if (spoil == SPOIL_RECORDED_HUGE)
		msgpack_pack_uint64(pk, (uint64_t)INT64_MAX + 1);
	else
		msgpack_pack_int64(pk, 1000);
	if (spoil == SPOIL_EFFECTIVE_FLOAT)
		msgpack_pack_double(pk, 1.0);
	else
		msgpack_pack_int64(pk, -1000);
	if (spoil == SPOIL_ACTOR_NIL)
		msgpack_pack_nil(pk);
	else if (spoil == SPOIL_ACTOR_LONG)
		msgpack_pack_str_with_body(pk, long_name, KT_ACTOR_MAX + 1);
	else
		pack_cstr(pk, "ola");
	if (spoil == SPOIL_CORRELATION_SHORT)
		pack_id(pk, 8);
	else
		pack_id(pk, 16);
	if (fields != 10) {
		if (spoil == SPOIL_CAUSATION_BOOL)
			msgpack_pack_true(pk);
		else
			msgpack_pack_nil(pk);
	}
	for (uint32_t k = 12; k <= fields; k++)
		msgpack_pack_nil(pk);
	if (spoil == SPOIL_DATA_ARRAY) {
		msgpack_pack_array(pk, 0);
	} else if (spoil == SPOIL_DATA_INT_KEY) {
		msgpack_pack_map(pk, 1);
		msgpack_pack_int(pk, 1);
		msgpack_pack_int(pk, 2);
	} else {
		msgpack_pack_map(pk, 1);
		pack_cstr(pk, "k");
		msgpack_pack_int(pk, 2);
	}
}

static void test_codec_decode_accepts_a_hand_made_envelope(void **state)
{
	(void)state;
	struct packed p;
	pack_envelope(&p, 11, KT_ENVELOPE_FORMAT, SPOIL_NONE);
	struct kt_event out;
	assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_OK);
	assert_int_equal(out.stream_len, 10);
	assert_memory_equal(out.stream, "incident-1", 10);
	assert_true(out.version == 1);
	assert_true(out.recorded == 1000);
	assert_true(out.effective == -1000);
	assert_int_equal(out.correlation[15], 16);
	assert_int_equal(out.causation[15], 0);
	assert_int_equal(out.data_len, 4);
	msgpack_sbuffer_destroy(&p.sb);
}

static void test_codec_decode_rejects_ill_typed_fields(void **state)
{
	(void)state;
	for (int spoil = SPOIL_NONE + 1; spoil < SPOIL_COUNT; spoil++) {
		struct packed p;
		pack_envelope(&p, 11, KT_ENVELOPE_FORMAT, (enum spoil)spoil);
		struct kt_event out;
		int rc = decode_exact(p.sb.data, p.sb.size, &out, NULL);
		if (rc != KT_EMALFORMED)
			fail_msg("spoiled field %d: got %d", spoil, rc);
		msgpack_sbuffer_destroy(&p.sb);
	}
}

static void test_codec_decode_rejects_wrong_field_count(void **state)
{
	(void)state;
	static const uint32_t counts[] = { 10, 12, 13 };
	for (size_t k = 0; k < 3; k++) {
		struct packed p;
		pack_envelope(&p, counts[k], KT_ENVELOPE_FORMAT, SPOIL_NONE);
		struct kt_event out;
		assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_EMALFORMED);
		msgpack_sbuffer_destroy(&p.sb);
	}
	/* A count that disagrees with the elements present: 11 elements, the
	 * last one a good data map, under a header that says 12 or 10. */
	for (int k = 0; k < 2; k++) {
		struct packed p;
		pack_envelope(&p, 11, KT_ENVELOPE_FORMAT, SPOIL_NONE);
		uint8_t *bytes = (uint8_t *)p.sb.data;
		assert_int_equal(bytes[0], 0x9b); /* fixarray of 11 */
		bytes[0] = k ? 0x9a : 0x9c;
		struct kt_event out;
		assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_EMALFORMED);
		msgpack_sbuffer_destroy(&p.sb);
	}
	/* Not an array at all. */
	struct kt_event out;
	assert_int_equal(decode_exact("\x81\xa1k\x01", 4, &out, NULL), KT_EMALFORMED);
}

static void test_codec_decode_rejects_format_zero_and_future_formats(void **state)
{
	(void)state;
	static const uint64_t formats[] = { 0, KT_ENVELOPE_FORMAT + 1, 255, UINT64_MAX };
	for (size_t k = 0; k < 4; k++) {
		struct packed p;
		pack_envelope(&p, 11, formats[k], SPOIL_NONE);
		struct kt_event out;
		assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_EFORMAT);
		msgpack_sbuffer_destroy(&p.sb);
	}
	/* A future format may change the field count; it is still a format error. */
	struct packed p;
	pack_envelope(&p, 12, KT_ENVELOPE_FORMAT + 1, SPOIL_NONE);
	struct kt_event out;
	assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_EFORMAT);
	msgpack_sbuffer_destroy(&p.sb);
}

static void test_codec_decode_rejects_input_over_envelope_max(void **state)
{
	(void)state;
	/* A well-formed envelope whose data alone is over the limit. */
	uint8_t *data = data_of_size(KT_ENVELOPE_MAX);
	struct packed p;
	packed_init(&p);
	uint8_t id[16] = { 1 };
	msgpack_pack_array(&p.pk, 11);
	msgpack_pack_uint64(&p.pk, KT_ENVELOPE_FORMAT);
	msgpack_pack_bin_with_body(&p.pk, id, 16);
	pack_cstr(&p.pk, "s");
	msgpack_pack_uint64(&p.pk, 1);
	pack_cstr(&p.pk, "t");
	msgpack_pack_int64(&p.pk, 1);
	msgpack_pack_int64(&p.pk, 1);
	pack_cstr(&p.pk, "");
	msgpack_pack_nil(&p.pk);
	msgpack_pack_nil(&p.pk);
	msgpack_sbuffer_write(&p.sb, (const char *)data, KT_ENVELOPE_MAX);
	struct kt_event out;
	assert_true(p.sb.size > KT_ENVELOPE_MAX);
	assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_ETOOBIG);
	/* One byte over is enough, whatever the bytes. */
	uint8_t *zeros = calloc(1, KT_ENVELOPE_MAX + 1);
	assert_non_null(zeros);
	assert_int_equal(decode_exact(zeros, KT_ENVELOPE_MAX + 1, &out, NULL), KT_ETOOBIG);
	free(zeros);
	free(data);
	msgpack_sbuffer_destroy(&p.sb);
}

/* A good envelope carrying the given names and data (NULL: {"k": 2}). */
static void pack_named_envelope(struct packed *p, const char *stream, size_t stream_len,
				const char *type, size_t type_len, const char *actor,
				size_t actor_len, const uint8_t *data, size_t data_len)
{
	packed_init(p);
	msgpack_packer *pk = &p->pk;
	msgpack_pack_array(pk, 11);
	msgpack_pack_uint64(pk, KT_ENVELOPE_FORMAT);
	pack_id(pk, 16);
	msgpack_pack_str_with_body(pk, stream, stream_len);
	msgpack_pack_uint64(pk, 1);
	msgpack_pack_str_with_body(pk, type, type_len);
	msgpack_pack_int64(pk, 1000);
	msgpack_pack_int64(pk, 1000);
	msgpack_pack_str_with_body(pk, actor, actor_len);
	msgpack_pack_nil(pk);
	msgpack_pack_nil(pk);
	if (data) {
		msgpack_sbuffer_write(&p->sb, (const char *)data, data_len);
	} else {
		msgpack_pack_map(pk, 1);
		pack_cstr(pk, "k");
		msgpack_pack_int(pk, 2);
	}
}

static void test_codec_decode_rejects_names_that_are_not_utf8(void **state)
{
	(void)state;
	/* The same envelope with good names decodes. */
	struct packed p;
	pack_named_envelope(&p, "s-\xc3\xa6", 4, "t", 1, "\xc3\x85se", 4, NULL, 0);
	struct kt_event out;
	assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_OK);
	assert_int_equal(out.stream_len, 4);
	assert_int_equal(out.actor_len, 4);
	msgpack_sbuffer_destroy(&p.sb);

	for (size_t k = 0; k < sizeof not_utf8 / sizeof not_utf8[0]; k++) {
		for (int field = 0; field < 3; field++) {
			const char *bad = not_utf8[k].bytes;
			size_t n = not_utf8[k].len;
			if (field == 0)
				pack_named_envelope(&p, bad, n, "t", 1, "ola", 3, NULL, 0);
			else if (field == 1)
				pack_named_envelope(&p, "s", 1, bad, n, "ola", 3, NULL, 0);
			else
				pack_named_envelope(&p, "s", 1, "t", 1, bad, n, NULL, 0);
			int rc = decode_exact(p.sb.data, p.sb.size, &out, NULL);
			if (rc != KT_EMALFORMED)
				fail_msg("%s with %s: got %d, want KT_EMALFORMED",
					 field == 0   ? "stream"
					 : field == 1 ? "type"
						      : "actor",
					 not_utf8[k].what, rc);
			msgpack_sbuffer_destroy(&p.sb);
		}
	}
}

static void test_codec_decode_rejects_data_over_data_max_within_envelope_max(void **state)
{
	(void)state;
	/* Exactly KT_DATA_MAX decodes ... */
	uint8_t *data = data_of_size(KT_DATA_MAX);
	struct packed p;
	pack_named_envelope(&p, "s", 1, "t", 1, "", 0, data, KT_DATA_MAX);
	struct kt_event out;
	assert_int_equal(decode_exact(p.sb.data, p.sb.size, &out, NULL), KT_OK);
	assert_int_equal(out.data_len, KT_DATA_MAX);
	msgpack_sbuffer_destroy(&p.sb);
	free(data);

	/* ... one byte more could never have been encoded, though the envelope
	 * is well inside KT_ENVELOPE_MAX; nor could the most that fits. */
	static const size_t sizes[] = { KT_DATA_MAX + 1, KT_DATA_MAX + 2, KT_ENVELOPE_MAX - 64 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		data = data_of_size(sizes[k]);
		pack_named_envelope(&p, "s", 1, "t", 1, "", 0, data, sizes[k]);
		assert_true(p.sb.size <= KT_ENVELOPE_MAX);
		int rc = decode_exact(p.sb.data, p.sb.size, &out, NULL);
		if (rc != KT_EMALFORMED)
			fail_msg("data of %zu bytes: got %d, want KT_EMALFORMED", sizes[k], rc);
		msgpack_sbuffer_destroy(&p.sb);
		free(data);
	}
}

/* ---- same content ----------------------------------------------------- */

static void test_codec_same_content_ignores_id_version_recorded_and_position(void **state)
{
	(void)state;
	struct kt_event a = full_event(), b = full_event();
	b.id[0] ^= 1;
	b.version++;
	b.recorded++;
	b.position++;
	/* Equal bytes at other addresses. */
	char stream[64], type[64];
	memcpy(stream, a.stream, a.stream_len);
	memcpy(type, a.type, a.type_len);
	b.stream = stream;
	b.type = type;
	uint8_t *data = malloc(a.data_len);
	assert_non_null(data);
	memcpy(data, a.data, a.data_len);
	b.data = data;
	assert_true(kt_event_same_content(&a, &b));
	assert_true(kt_event_same_content(&b, &a));
	free(data);
}

static void test_codec_same_content_compares_every_content_field(void **state)
{
	(void)state;
	struct kt_event a = full_event(), b;
	uint8_t data[64];
	assert_true(a.data_len < sizeof data);

	b = full_event();
	b.stream = "inspection-0193b8a5";
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	b.stream_len--; /* a prefix is not the same */
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	b.type = "inspection.order.issueD";
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	b.actor = "someone else";
	b.actor_len = strlen(b.actor);
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	b.actor_len = 0;
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	b.correlation[15] ^= 1;
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	memset(b.causation, 0, 16);
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	memcpy(data, a.data, a.data_len);
	data[a.data_len - 1] ^= 1;
	b.data = data;
	assert_false(kt_event_same_content(&a, &b));
	b = full_event();
	b.data_len--;
	assert_false(kt_event_same_content(&a, &b));
}

static void test_codec_same_content_compares_effective_unless_unset(void **state)
{
	(void)state;
	struct kt_event a = full_event(), b = full_event();
	b.effective = a.effective + 1;
	assert_false(kt_event_same_content(&a, &b));
	b.effective = KT_TIME_UNSET; /* the caller left it to the store */
	assert_true(kt_event_same_content(&a, &b));
	/* Only b's unset is a wildcard: a stored time never is. */
	a.effective = KT_TIME_UNSET;
	b.effective = 5;
	assert_false(kt_event_same_content(&a, &b));
}

static void test_codec_same_content_treats_null_and_empty_actor_alike(void **state)
{
	(void)state;
	struct kt_event a = full_event(), b = full_event();
	a.actor = "";
	a.actor_len = 0;
	b.actor = NULL;
	b.actor_len = 0;
	assert_true(kt_event_same_content(&a, &b));
	assert_true(kt_event_same_content(&b, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec_round_trips_every_field),
		cmocka_unit_test(test_codec_round_trips_nil_ids_and_empty_actor),
		cmocka_unit_test(test_codec_round_trips_extreme_numbers),
		cmocka_unit_test(test_codec_encode_writes_format_then_eleven_fields),
		cmocka_unit_test(test_codec_encode_appends_to_what_the_buffer_holds),
		cmocka_unit_test(test_codec_encode_accepts_data_of_exactly_data_max),
		cmocka_unit_test(test_codec_encode_rejects_data_over_data_max),
		cmocka_unit_test(test_codec_encode_rejects_overlong_names),
		cmocka_unit_test(test_codec_encode_rejects_empty_stream_or_type),
		cmocka_unit_test(test_codec_encode_rejects_names_that_are_not_utf8),
		cmocka_unit_test(test_codec_encode_rejects_data_that_is_not_one_string_keyed_map),
		cmocka_unit_test(test_codec_decode_rejects_every_truncation),
		cmocka_unit_test(test_codec_decode_rejects_trailing_bytes),
		cmocka_unit_test(test_codec_decode_accepts_a_hand_made_envelope),
		cmocka_unit_test(test_codec_decode_rejects_ill_typed_fields),
		cmocka_unit_test(test_codec_decode_rejects_wrong_field_count),
		cmocka_unit_test(test_codec_decode_rejects_format_zero_and_future_formats),
		cmocka_unit_test(test_codec_decode_rejects_input_over_envelope_max),
		cmocka_unit_test(test_codec_decode_rejects_names_that_are_not_utf8),
		cmocka_unit_test(test_codec_decode_rejects_data_over_data_max_within_envelope_max),
		cmocka_unit_test(test_codec_same_content_ignores_id_version_recorded_and_position),
		cmocka_unit_test(test_codec_same_content_compares_every_content_field),
		cmocka_unit_test(test_codec_same_content_compares_effective_unless_unset),
		cmocka_unit_test(test_codec_same_content_treats_null_and_empty_actor_alike),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
