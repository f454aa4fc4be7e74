/*
 * test_json.c — the JSON ↔ msgpack bridge: every JSON type survives a round
 * trip; the parser takes exactly the bytes it is given and refuses NUL bytes,
 * trailing text, non-objects, duplicate keys, nesting past KT_MP_MAX_DEPTH and
 * "\u0000", each with a reason a user can act on; the encoder keeps to the
 * buffer's maximum. The way back renders binaries as {"$hex": …}, huge
 * unsigned integers as reals, and refuses text that is not UTF-8 and trailing
 * bytes without leaking (run under ASan). Events render with every field.
 *
 * JSON text is handed over in exactly sized heap copies without a NUL
 * terminator, so reading past len shows up under ASan. msgpack input is
 * built with msgpack-c's packer, the way kontroll's writers build it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/json.h"
#include "kontroll/mpread.h"

#include <math.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

struct parsed {
	int rc;
	struct kt_buf data; /* the caller frees it */
	char why[256];
};

/* kt_json_to_data on an exactly sized, unterminated copy of len bytes. */
static struct parsed parse_n(const char *text, size_t len, size_t max)
{
	struct parsed p;
	memset(&p, 0, sizeof p);
	p.data = (struct kt_buf)KT_BUF_INIT(max);
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, text, len);
	p.rc = kt_json_to_data(copy, len, &p.data, p.why, sizeof p.why);
	free(copy);
	return p;
}

static struct parsed parse(const char *text)
{
	return parse_n(text, strlen(text), KT_DATA_MAX);
}

/* Parse text, which must be refused with KT_EJSON; returns the reason. */
static void expect_refused(const char *text, size_t len, char *why, size_t why_len)
{
	struct parsed p = parse_n(text, len, KT_DATA_MAX);
	if (p.rc != KT_EJSON)
		fail_msg("%.*s: got %d, want KT_EJSON", (int)len, text, p.rc);
	assert_true(strlen(p.why) > 0);
	snprintf(why, why_len, "%s", p.why);
	kt_buf_free(&p.data);
}

/* kt_data_to_json on an exactly sized copy; *out is set only on success. */
static int to_json_exact(const void *bytes, size_t len, json_t **out)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, bytes, len);
	int rc = kt_data_to_json(copy, len, out);
	free(copy);
	return rc;
}

/* JSON text → data → JSON, compared with what jansson itself parses. */
static json_t *round_trip(const char *text)
{
	struct parsed p = parse(text);
	if (p.rc)
		fail_msg("kt_json_to_data: %s: %s", kt_strerror(p.rc), p.why);
	json_t *back = NULL;
	int rc = to_json_exact(p.data.data, p.data.len, &back);
	if (rc)
		fail_msg("kt_data_to_json: %s", kt_strerror(rc));
	json_error_t jerr;
	json_t *want = json_loads(text, 0, &jerr);
	assert_non_null(want);
	if (!json_equal(want, back)) {
		char *got = json_dumps(back, JSON_COMPACT);
		fail_msg("round trip of %s gave %s", text, got ? got : "?");
	}
	json_decref(want);
	kt_buf_free(&p.data);
	return back;
}

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

/*
 * JSON text of depth nested containers: an object {"a": …} outside, arrays
 * inside, the innermost holding the number 1 (leaf) or nothing.
 */
static char *nested_json(int depth, int leaf)
{
	size_t cap = (size_t)depth * 2 + 16;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t n = 0;
	n += (size_t)snprintf(text + n, cap - n, "{\"a\":");
	for (int k = 1; k < depth; k++)
		text[n++] = '[';
	if (leaf)
		text[n++] = '1';
	for (int k = 1; k < depth; k++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = 0;
	if (depth == 1) /* {"a":} is no JSON: an object alone */
		snprintf(text, cap, leaf ? "{\"a\":1}" : "{}");
	return text;
}

/* ---- JSON → data → JSON ----------------------------------------------- */

static void test_json_round_trips_every_json_type(void **state)
{
	(void)state;
	static const char text[] =
	    "{\"object\": {\"inner\": {\"deeper\": {}}, \"k\": \"v\"},"
	    " \"arrays\": [[], [1, [2, [3, [\"æøå\"]]]], [true, false, null], [{}]],"
	    " \"text\": \"æøå ÆØÅ — € \\u00e6 \\ud83d\\ude00\","
	    " \"empty\": \"\","
	    " \"escapes\": \"tab\\t nl\\n quote\\\" backslash\\\\ slash\\/\","
	    " \"zero\": 0, \"one\": 1, \"minus_one\": -1, \"byte\": 255, \"word\": 65536,"
	    " \"above_u32\": 4294967296, \"below_i32\": -2147483649,"
	    " \"int64_min\": -9223372036854775808, \"int64_max\": 9223372036854775807,"
	    " \"real\": 1.5, \"negative_real\": -0.25, \"zero_real\": 0.0, \"tiny\": 5e-324,"
	    " \"huge\": 1.7976931348623157e308, \"third\": 0.3333333333333333,"
	    " \"t\": true, \"f\": false, \"n\": null,"
	    " \"æøå\": \"a key in UTF-8\"}";
	json_t *back = round_trip(text);

	/* json_equal compares numbers within a kind; check the kinds too. */
	json_t *v = json_object_get(back, "int64_min");
	assert_true(json_is_integer(v));
	assert_true(json_integer_value(v) == INT64_MIN);
	v = json_object_get(back, "int64_max");
	assert_true(json_is_integer(v));
	assert_true(json_integer_value(v) == INT64_MAX);
	v = json_object_get(back, "zero_real");
	assert_true(json_is_real(v));
	assert_true(json_real_value(v) == 0.0);
	v = json_object_get(back, "third");
	assert_true(json_is_real(v));
	assert_true(json_real_value(v) == 0.3333333333333333);
	v = json_object_get(back, "text");
	assert_string_equal(json_string_value(v), "æøå ÆØÅ — € æ \xf0\x9f\x98\x80");
	assert_true(json_is_true(json_object_get(back, "t")));
	assert_true(json_is_false(json_object_get(back, "f")));
	assert_true(json_is_null(json_object_get(back, "n")));
	assert_string_equal(json_string_value(json_object_get(back, "æøå")), "a key in UTF-8");
	json_decref(back);
}

static void test_json_to_data_writes_one_map_in_key_order(void **state)
{
	(void)state;
	/* The bytes that land in the store (and in its hash chain). */
	struct parsed p = parse("{\"b\": 1, \"a\": [true, null], \"c\": -1.5, \"d\": \"æ\"}");
	assert_int_equal(p.rc, KT_OK);
	static const uint8_t want[] = { 0x84, 0xa1, 'b',  0x01, 0xa1, 'a',  0x92, 0xc3, 0xc0,
					0xa1, 'c',  0xcb, 0xbf, 0xf8, 0,    0,	  0,	0,
					0,    0,    0xa1, 'd',	0xa2, 0xc3, 0xa6 };
	assert_int_equal(p.data.len, sizeof want);
	assert_memory_equal(p.data.data, want, sizeof want);
	kt_buf_free(&p.data);

	/* It appends to what the buffer holds. */
	struct kt_buf out = KT_BUF_INIT(64);
	char why[64];
	assert_int_equal(kt_buf_append(&out, "xy", 2), KT_OK);
	assert_int_equal(kt_json_to_data("{}", 2, &out, why, sizeof why), KT_OK);
	assert_int_equal(out.len, 3);
	assert_memory_equal(out.data, "xy\x80", 3);
	kt_buf_free(&out);
}

static void test_json_to_data_output_is_data_the_codec_accepts(void **state)
{
	(void)state;
	struct parsed p = parse("{\"unit\": \"Helse\", \"items\": [1, {\"k\": null}], \"x\": 2.5}");
	assert_int_equal(p.rc, KT_OK);
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	ev.id[0] = 1;
	ev.stream = "s";
	ev.stream_len = 1;
	ev.type = "t";
	ev.type_len = 1;
	ev.data = p.data.data;
	ev.data_len = p.data.len;
	struct kt_buf env = KT_BUF_INIT(KT_ENVELOPE_MAX);
	assert_int_equal(kt_event_encode(&ev, &env), KT_OK);
	kt_buf_free(&env);
	kt_buf_free(&p.data);
}

/* ---- JSON → data refuses ---------------------------------------------- */

static void test_json_to_data_takes_exactly_len_bytes(void **state)
{
	(void)state;
	/* What follows len does not count ... */
	struct parsed p = parse_n("{\"a\": 1}garbage", 8, KT_DATA_MAX);
	assert_int_equal(p.rc, KT_OK);
	assert_int_equal(p.data.len, 4);
	assert_memory_equal(p.data.data,
			    "\x81\xa1"
			    "a\x01",
			    4);
	kt_buf_free(&p.data);
	/* ... and trailing white space is fine. */
	p = parse(" {\"a\": 1} \n\t");
	assert_int_equal(p.rc, KT_OK);
	kt_buf_free(&p.data);
}

static void test_json_to_data_rejects_nul_bytes_and_trailing_text(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		const char *text;
		size_t len;
	} cases[] = {
		{ "a NUL after the object", "{}\0", 3 },
		{ "a NUL after the object and a space", "{\"a\": 1} \0", 10 },
		{ "a NUL before the object", "\0{}", 3 },
		{ "a NUL inside a string", "{\"a\": \"x\0y\"}", 12 },
		{ "a NUL inside a key", "{\"a\0b\": 1}", 10 },
		{ "a NUL between tokens", "{\"a\":\0 1}", 9 },
		{ "text after the object", "{} x", 4 },
		{ "a second object", "{}{}", 4 },
		{ "a closing brace too many", "{\"a\": 1}}", 9 },
		{ "a number after the object", "{\"a\": 1} 2", 10 },
		{ "nothing at all", "", 0 },
		{ "only white space", " \n", 2 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct parsed p = parse_n(cases[k].text, cases[k].len, KT_DATA_MAX);
		if (p.rc != KT_EJSON)
			fail_msg("%s: got %d, want KT_EJSON", cases[k].what, p.rc);
		if (strncmp(p.why, "line ", 5) != 0)
			fail_msg("%s: reason \"%s\" names no line", cases[k].what, p.why);
		kt_buf_free(&p.data);
	}
}

static void test_json_to_data_rejects_top_level_values_other_than_an_object(void **state)
{
	(void)state;
	static const char *const texts[] = { "[]",  "[{\"a\": 1}]", "\"text\"", "12",  "-1",
					     "1.5", "true",	    "false",	"null" };
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		char why[256];
		expect_refused(texts[k], strlen(texts[k]), why, sizeof why);
		if (!strstr(why, "object"))
			fail_msg("%s: reason \"%s\" does not say an object is needed", texts[k],
				 why);
	}
}

static void test_json_to_data_rejects_duplicate_keys(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"{\"a\": 1, \"a\": 1}",
		"{\"a\": 1, \"b\": 2, \"a\": 3}",
		"{\"x\": {\"k\": true, \"k\": false}}",
		"{\"x\": [{\"æ\": 1, \"æ\": 2}]}",
	};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		char why[256];
		expect_refused(texts[k], strlen(texts[k]), why, sizeof why);
		if (!strstr(why, "duplicate"))
			fail_msg("%s: reason \"%s\" does not name the duplicate", texts[k], why);
	}
	/* Keys that differ only by case or escaping are distinct / the same. */
	struct parsed p = parse("{\"a\": 1, \"A\": 2}");
	assert_int_equal(p.rc, KT_OK);
	kt_buf_free(&p.data);
	char why[256];
	const char *escaped = "{\"a\": 1, \"\\u0061\": 2}";
	expect_refused(escaped, strlen(escaped), why, sizeof why);
}

static void test_json_to_data_accepts_nesting_of_exactly_max_depth(void **state)
{
	(void)state;
	for (int leaf = 0; leaf < 2; leaf++) {
		char *text = nested_json(KT_MP_MAX_DEPTH, leaf);
		struct parsed p = parse(text);
		if (p.rc)
			fail_msg("%d deep%s: %s: %s", KT_MP_MAX_DEPTH, leaf ? " with a leaf" : "",
				 kt_strerror(p.rc), p.why);
		/* What the parser takes, the rest of kontroll takes too. */
		struct kt_mp r = kt_mp_init(p.data.data, p.data.len);
		assert_int_equal(kt_mp_skip(&r, 1), KT_OK);
		assert_ptr_equal(r.p, r.end);
		json_t *back = NULL;
		assert_int_equal(to_json_exact(p.data.data, p.data.len, &back), KT_OK);
		json_t *want = json_loads(text, 0, NULL);
		assert_true(json_equal(want, back));
		json_decref(want);
		json_decref(back);
		kt_buf_free(&p.data);
		free(text);
	}
}

static void test_json_to_data_rejects_nesting_deeper_than_max_depth(void **state)
{
	(void)state;
	static const int depths[] = { KT_MP_MAX_DEPTH + 1, KT_MP_MAX_DEPTH + 2, 1000 };
	char want[64];
	snprintf(want, sizeof want, "nested deeper than %d", KT_MP_MAX_DEPTH);
	assert_string_equal(want, "nested deeper than 32");
	for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
		for (int leaf = 0; leaf < 2; leaf++) {
			char *text = nested_json(depths[k], leaf);
			char why[256];
			expect_refused(text, strlen(text), why, sizeof why);
			if (!strstr(why, want))
				fail_msg("%d deep: reason \"%s\"", depths[k], why);
			free(text);
		}
	}
	/* Objects count like arrays. */
	char text[8 * (KT_MP_MAX_DEPTH + 1) + 8] = "";
	for (int k = 0; k <= KT_MP_MAX_DEPTH; k++)
		strcat(text, "{\"k\":");
	strcat(text, "1");
	for (int k = 0; k <= KT_MP_MAX_DEPTH; k++)
		strcat(text, "}");
	char why[256];
	expect_refused(text, strlen(text), why, sizeof why);
	assert_non_null(strstr(why, want));
}

static void test_json_to_data_rejects_escaped_nul_in_plain_words(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"{\"a\": \"\\u0000\"}",
		"{\"a\": [\"x\\u0000y\"]}",
		"{\"a\\u0000b\": 1}",
	};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		char why[256];
		expect_refused(texts[k], strlen(texts[k]), why, sizeof why);
		if (strstr(why, "JSON_ALLOW_NUL"))
			fail_msg("%s: reason \"%s\" names jansson's flag", texts[k], why);
		if (strncmp(why, "line 1, column ", 15) != 0 || !strstr(why, "NUL"))
			fail_msg("%s: reason \"%s\" does not say where or what", texts[k], why);
	}
	/* Other escapes are fine. */
	struct parsed p = parse("{\"a\": \"\\u0001\\u00e6\"}");
	assert_int_equal(p.rc, KT_OK);
	kt_buf_free(&p.data);
}

static void test_json_to_data_rejects_output_over_the_buffer_max(void **state)
{
	(void)state;
	/* {"d": "xxx…"}: fixmap, "d", a str16 header, then body bytes. */
	size_t body = KT_DATA_MAX - 1 - 2 - 3;
	char *text = malloc(body + 16);
	assert_non_null(text);
	memcpy(text, "{\"d\":\"", 6);
	memset(text + 6, 'x', body);
	memcpy(text + 6 + body, "\"}", 3);

	struct parsed p = parse(text);
	assert_int_equal(p.rc, KT_OK);
	assert_int_equal(p.data.len, KT_DATA_MAX); /* exactly at the limit */
	kt_buf_free(&p.data);

	memcpy(text + 6 + body, "x\"}", 4); /* one byte more */
	p = parse(text);
	assert_int_equal(p.rc, KT_ETOOBIG);
	assert_true(p.data.len <= KT_DATA_MAX);
	kt_buf_free(&p.data);

	/* The limit is the buffer's, whatever it is. */
	p = parse_n("{\"key\": \"value\"}", 16, 10);
	assert_int_equal(p.rc, KT_ETOOBIG);
	assert_true(p.data.len <= 10);
	kt_buf_free(&p.data);
	p = parse_n("{\"key\": \"value\"}", 16, 11); /* 81 a3 key a5 value */
	assert_int_equal(p.rc, KT_OK);
	kt_buf_free(&p.data);
	free(text);
}

static void test_json_to_data_reason_names_line_and_column(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *prefix;
	} cases[] = {
		{ "{\"a\": tru}", "line 1, column 9: " },
		{ "{\n  \"a\": tru }", "line 2, column 10: " },
		{ "{\n\"a\": 1,\n\"b\" 2}", "line 3, column 5: " },
		{ "{\"a\": 1,}", "line 1, column 9: " },
		{ "{\"a\": \"open", "line 1, column 11: " },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char why[256];
		expect_refused(cases[k].text, strlen(cases[k].text), why, sizeof why);
		if (strncmp(why, cases[k].prefix, strlen(cases[k].prefix)) != 0)
			fail_msg("%s: reason \"%s\", want it to start \"%s\"", cases[k].text, why,
				 cases[k].prefix);
		assert_true(strlen(why) > strlen(cases[k].prefix)); /* and says what */
	}
}

/* ---- data → JSON ------------------------------------------------------ */

static void test_data_to_json_renders_every_msgpack_type(void **state)
{
	(void)state;
	struct packed p;
	packed_init(&p);
	msgpack_packer *pk = &p.pk;
	msgpack_pack_map(pk, 12);
	pack_cstr(pk, "nil");
	msgpack_pack_nil(pk);
	pack_cstr(pk, "bools");
	msgpack_pack_array(pk, 2);
	msgpack_pack_true(pk);
	msgpack_pack_false(pk);
	pack_cstr(pk, "uints"); /* fixint, uint8, 16, 32, 64 */
	msgpack_pack_array(pk, 5);
	msgpack_pack_uint64(pk, 5);
	msgpack_pack_uint8(pk, 200);
	msgpack_pack_uint16(pk, 60000);
	msgpack_pack_uint32(pk, 4000000000u);
	msgpack_pack_uint64(pk, (uint64_t)INT64_MAX);
	pack_cstr(pk, "ints"); /* negative fixint, int8, 16, 32, 64 */
	msgpack_pack_array(pk, 5);
	msgpack_pack_int64(pk, -5);
	msgpack_pack_int8(pk, -100);
	msgpack_pack_int16(pk, -30000);
	msgpack_pack_int32(pk, -2000000000);
	msgpack_pack_int64(pk, INT64_MIN);
	pack_cstr(pk, "f32");
	msgpack_pack_float(pk, 0.5f);
	pack_cstr(pk, "f64");
	msgpack_pack_double(pk, -1e300);
	pack_cstr(pk, "nan"); /* JSON has no NaN */
	msgpack_pack_double(pk, NAN);
	pack_cstr(pk, "str");
	pack_cstr(pk, "æøå");
	pack_cstr(pk, "empty");
	msgpack_pack_str_with_body(pk, "", 0);
	pack_cstr(pk, "map");
	msgpack_pack_map(pk, 1);
	pack_cstr(pk, "k");
	msgpack_pack_array(pk, 0);
	pack_cstr(pk, "empty_map");
	msgpack_pack_map(pk, 0);
	pack_cstr(pk, "");
	msgpack_pack_int(pk, 0);

	json_t *got = NULL;
	assert_int_equal(to_json_exact(p.sb.data, p.sb.size, &got), KT_OK);
	json_t *want = json_pack(
	    "{s:n, s:[b,b], s:[I,I,I,I,I], s:[I,I,I,I,I], s:f, s:f, s:n,"
	    " s:s, s:s, s:{s:[]}, s:{}, s:I}",
	    "nil", "bools", 1, 0, "uints", (json_int_t)5, (json_int_t)200, (json_int_t)60000,
	    (json_int_t)4000000000, (json_int_t)INT64_MAX, "ints", (json_int_t)-5, (json_int_t)-100,
	    (json_int_t)-30000, (json_int_t)-2000000000, (json_int_t)INT64_MIN, "f32", 0.5, "f64",
	    -1e300, "nan", "str", "æøå", "empty", "", "map", "k", "empty_map", "", (json_int_t)0);
	assert_non_null(want);
	if (!json_equal(want, got)) {
		char *text = json_dumps(got, JSON_COMPACT);
		fail_msg("got %s", text ? text : "?");
	}
	json_decref(want);
	json_decref(got);
	msgpack_sbuffer_destroy(&p.sb);
}

static void test_data_to_json_renders_binaries_and_extensions_as_hex(void **state)
{
	(void)state;
	/* "$hex" holds the element's msgpack bytes, header included, so an
	 * extension keeps its type. */
	static const uint8_t bin[] = { 0x00, 0xab, 0xcd, 0xff };
	struct packed p;
	packed_init(&p);
	msgpack_pack_map(&p.pk, 4);
	pack_cstr(&p.pk, "bin");
	msgpack_pack_bin_with_body(&p.pk, bin, sizeof bin);
	pack_cstr(&p.pk, "empty_bin");
	msgpack_pack_bin(&p.pk, 0);
	pack_cstr(&p.pk, "ext");
	msgpack_pack_ext_with_body(&p.pk, "\x01\x02", 2, 7); /* fixext 2, type 7 */
	pack_cstr(&p.pk, "in_array");
	msgpack_pack_array(&p.pk, 1);
	msgpack_pack_bin_with_body(&p.pk, "\x10", 1);

	json_t *got = NULL;
	assert_int_equal(to_json_exact(p.sb.data, p.sb.size, &got), KT_OK);
	json_t *want = json_pack("{s:{s:s}, s:{s:s}, s:{s:s}, s:[{s:s}]}", "bin", "$hex",
				 "c40400abcdff", "empty_bin", "$hex", "c400", "ext", "$hex",
				 "d5070102", "in_array", "$hex", "c40110");
	assert_non_null(want);
	if (!json_equal(want, got)) {
		char *text = json_dumps(got, JSON_COMPACT);
		fail_msg("got %s", text ? text : "?");
	}
	json_decref(want);
	json_decref(got);
	msgpack_sbuffer_destroy(&p.sb);

	/* A top-level binary too. */
	packed_init(&p);
	msgpack_pack_bin_with_body(&p.pk, "\xfe", 1);
	assert_int_equal(to_json_exact(p.sb.data, p.sb.size, &got), KT_OK);
	assert_int_equal(json_object_size(got), 1);
	assert_string_equal(json_string_value(json_object_get(got, "$hex")), "c401fe");
	json_decref(got);
	msgpack_sbuffer_destroy(&p.sb);
}

static void test_data_to_json_renders_uint_above_int64_max_as_real(void **state)
{
	(void)state;
	static const uint64_t values[] = { (uint64_t)INT64_MAX + 1, UINT64_C(10000000000000000000),
					   UINT64_MAX };
	for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
		struct packed p;
		packed_init(&p);
		msgpack_pack_uint64(&p.pk, values[k]);
		json_t *got = NULL;
		assert_int_equal(to_json_exact(p.sb.data, p.sb.size, &got), KT_OK);
		assert_true(json_is_real(got));
		assert_true(json_real_value(got) == (double)values[k]);
		json_decref(got);
		msgpack_sbuffer_destroy(&p.sb);
	}
	/* INT64_MAX itself is still an integer, exactly. */
	struct packed p;
	packed_init(&p);
	msgpack_pack_uint64(&p.pk, (uint64_t)INT64_MAX);
	json_t *got = NULL;
	assert_int_equal(to_json_exact(p.sb.data, p.sb.size, &got), KT_OK);
	assert_true(json_is_integer(got));
	assert_true(json_integer_value(got) == INT64_MAX);
	json_decref(got);
	msgpack_sbuffer_destroy(&p.sb);
}

/* A map {"ok": [1, "fine", {"x": true}], "bad": […]} whose last element holds
 * the spoiled text, so partly built containers must be freed (run under
 * ASan to see leaks). bad_key puts it in a key instead of a value. */
static void pack_with_bad_text(struct packed *p, const char *bad, size_t n, int bad_key)
{
	packed_init(p);
	msgpack_packer *pk = &p->pk;
	msgpack_pack_map(pk, 2);
	pack_cstr(pk, "ok");
	msgpack_pack_array(pk, 3);
	msgpack_pack_int(pk, 1);
	pack_cstr(pk, "fine");
	msgpack_pack_map(pk, 1);
	pack_cstr(pk, "x");
	msgpack_pack_true(pk);
	pack_cstr(pk, "nested");
	msgpack_pack_array(pk, 2);
	pack_cstr(pk, "before");
	msgpack_pack_map(pk, 2);
	pack_cstr(pk, "good");
	msgpack_pack_int(pk, 2);
	if (bad_key) {
		msgpack_pack_str_with_body(pk, bad, n);
		msgpack_pack_int(pk, 3);
	} else {
		pack_cstr(pk, "value");
		msgpack_pack_str_with_body(pk, bad, n);
	}
}

static void test_data_to_json_rejects_text_that_is_not_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
	} bad[] = {
		{ "\xff", 1 },	       { "ab\xc3", 3 },		  { "\xc0\x80", 2 },
		{ "\xed\xa0\x80", 3 }, { "\xf4\x90\x80\x80", 4 }, { "ok\x80ok", 5 },
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		for (int bad_key = 0; bad_key < 2; bad_key++) {
			struct packed p;
			pack_with_bad_text(&p, bad[k].bytes, bad[k].len, bad_key);
			json_t *got = NULL;
			int rc = to_json_exact(p.sb.data, p.sb.size, &got);
			if (rc != KT_EMALFORMED)
				fail_msg("case %zu (%s): got %d", k, bad_key ? "key" : "value", rc);
			assert_null(got);
			msgpack_sbuffer_destroy(&p.sb);
		}
		/* A lone string too. */
		struct packed p;
		packed_init(&p);
		msgpack_pack_str_with_body(&p.pk, bad[k].bytes, bad[k].len);
		json_t *got = NULL;
		assert_int_equal(to_json_exact(p.sb.data, p.sb.size, &got), KT_EMALFORMED);
		msgpack_sbuffer_destroy(&p.sb);
	}
	/* The same shape with good text goes through. */
	struct packed p;
	pack_with_bad_text(&p, "æ", strlen("æ"), 1);
	json_t *got = NULL;
	assert_int_equal(to_json_exact(p.sb.data, p.sb.size, &got), KT_OK);
	json_decref(got);
	msgpack_sbuffer_destroy(&p.sb);
}

static void test_data_to_json_rejects_trailing_and_truncated_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		uint8_t bytes[8];
		size_t len;
	} cases[] = {
		{ "a map then nil", { 0x81, 0xa1, 'k', 0x01, 0xc0 }, 5 },
		{ "two maps", { 0x80, 0x80 }, 2 },
		{ "an integer then a byte", { 0x01, 0x00 }, 2 },
		{ "a string then a byte", { 0xa1, 'k', 0x00 }, 3 },
		{ "a truncated map", { 0x82, 0xa1, 'k', 0x01 }, 4 },
		{ "a truncated string", { 0xa3, 'a', 'b' }, 3 },
		{ "a truncated integer", { 0xcd, 0x01 }, 2 },
		{ "nothing", { 0 }, 0 },
		{ "the reserved byte", { 0xc1 }, 1 },
		{ "an integer key", { 0x81, 0x01, 0x02 }, 3 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		json_t *got = NULL;
		int rc = to_json_exact(cases[k].bytes, cases[k].len, &got);
		if (rc != KT_EMALFORMED)
			fail_msg("%s: got %d, want KT_EMALFORMED", cases[k].what, rc);
		assert_null(got);
	}
}

static void test_data_to_json_rejects_nesting_deeper_than_max_depth(void **state)
{
	(void)state;
	/* KT_MP_MAX_DEPTH arrays are fine, one more is not. */
	for (int depth = KT_MP_MAX_DEPTH; depth <= KT_MP_MAX_DEPTH + 1; depth++) {
		uint8_t bytes[KT_MP_MAX_DEPTH + 2];
		memset(bytes, 0x91, (size_t)depth - 1);
		bytes[depth - 1] = 0x90;
		json_t *got = NULL;
		int rc = to_json_exact(bytes, (size_t)depth, &got);
		if (depth == KT_MP_MAX_DEPTH) {
			assert_int_equal(rc, KT_OK);
			json_decref(got);
		} else {
			assert_int_equal(rc, KT_EMALFORMED);
			assert_null(got);
		}
	}
}

/* ---- events ----------------------------------------------------------- */

struct sample {
	struct packed data;
	struct kt_event ev;
};

static void sample_event(struct sample *s)
{
	packed_init(&s->data);
	msgpack_pack_map(&s->data.pk, 2);
	pack_cstr(&s->data.pk, "unit");
	pack_cstr(&s->data.pk, "Helse");
	pack_cstr(&s->data.pk, "count");
	msgpack_pack_int(&s->data.pk, 3);

	struct kt_event *ev = &s->ev;
	memset(ev, 0, sizeof *ev);
	static const uint8_t id[16] = { 0x01, 0x93, 0xb8, 0xa4, 0x12, 0x34, 0x70, 0x00,
					0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a };
	memcpy(ev->id, id, 16);
	for (int k = 0; k < 16; k++)
		ev->correlation[k] = (uint8_t)(0x10 + k);
	ev->stream = "inspection-T-2025-007";
	ev->stream_len = strlen(ev->stream);
	ev->version = 3;
	ev->type = "inspection.order.issued";
	ev->type_len = strlen(ev->type);
	ev->recorded = INT64_C(1767225600123456);   /* 2026-01-01 */
	ev->effective = -INT64_C(2208988800000000); /* 1900-01-01 */
	ev->actor = "kvalitetsrådgiver Åse";
	ev->actor_len = strlen(ev->actor);
	ev->data = (const uint8_t *)s->data.sb.data;
	ev->data_len = s->data.sb.size;
	ev->position = 42;
}

static void test_event_to_json_has_every_field_in_its_documented_form(void **state)
{
	(void)state;
	struct sample s;
	sample_event(&s);
	json_t *got = NULL;
	assert_int_equal(kt_event_to_json(&s.ev, &got), KT_OK);
	json_t *want =
	    json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:n, s:{s:s, s:I}}",
		      "position", (json_int_t)42, "id", "0193b8a4-1234-7000-8000-00000000002a",
		      "stream", "inspection-T-2025-007", "version", (json_int_t)3, "type",
		      "inspection.order.issued", "recorded", "2026-01-01T00:00:00.123456Z",
		      "effective", "1900-01-01T00:00:00.000000Z", "actor", "kvalitetsrådgiver Åse",
		      "correlation_id", "10111213-1415-1617-1819-1a1b1c1d1e1f", "causation_id",
		      "data", "unit", "Helse", "count", (json_int_t)3);
	assert_non_null(want);
	assert_int_equal(json_object_size(got), 11);
	if (!json_equal(want, got)) {
		char *text = json_dumps(got, JSON_COMPACT);
		fail_msg("got %s", text ? text : "?");
	}
	json_decref(want);
	json_decref(got);

	/* The other way round: correlation nil, causation set; no actor. */
	memset(s.ev.correlation, 0, 16);
	memset(s.ev.causation, 0xff, 16);
	s.ev.actor = NULL;
	s.ev.actor_len = 0;
	s.ev.recorded = -1;
	s.ev.effective = 0;
	assert_int_equal(kt_event_to_json(&s.ev, &got), KT_OK);
	assert_true(json_is_null(json_object_get(got, "correlation_id")));
	assert_string_equal(json_string_value(json_object_get(got, "causation_id")),
			    "ffffffff-ffff-ffff-ffff-ffffffffffff");
	assert_string_equal(json_string_value(json_object_get(got, "actor")), "");
	assert_string_equal(json_string_value(json_object_get(got, "recorded")),
			    "1969-12-31T23:59:59.999999Z");
	assert_string_equal(json_string_value(json_object_get(got, "effective")),
			    "1970-01-01T00:00:00.000000Z");
	json_decref(got);
	msgpack_sbuffer_destroy(&s.data.sb);
}

static void test_event_to_json_takes_names_by_length(void **state)
{
	(void)state;
	/* Names are counted, not NUL-terminated: as decoded from a store. */
	struct sample s;
	sample_event(&s);
	s.ev.stream = "inspection-1XXXX";
	s.ev.stream_len = 12;
	s.ev.type = "t.oneXXXX";
	s.ev.type_len = 5;
	s.ev.actor = "olaXXXX";
	s.ev.actor_len = 3;
	json_t *got = NULL;
	assert_int_equal(kt_event_to_json(&s.ev, &got), KT_OK);
	assert_string_equal(json_string_value(json_object_get(got, "stream")), "inspection-1");
	assert_string_equal(json_string_value(json_object_get(got, "type")), "t.one");
	assert_string_equal(json_string_value(json_object_get(got, "actor")), "ola");
	json_decref(got);
	msgpack_sbuffer_destroy(&s.data.sb);
}

static void test_event_to_json_rejects_names_and_data_that_are_not_utf8(void **state)
{
	(void)state;
	for (int field = 0; field < 4; field++) {
		struct sample s;
		sample_event(&s);
		struct packed bad;
		packed_init(&bad);
		msgpack_pack_map(&bad.pk, 1);
		pack_cstr(&bad.pk, "k");
		msgpack_pack_str_with_body(&bad.pk, "\xff", 1);
		switch (field) {
		case 0:
			s.ev.stream = "bad\xff";
			s.ev.stream_len = 4;
			break;
		case 1:
			s.ev.type = "bad\xc3";
			s.ev.type_len = 4;
			break;
		case 2:
			s.ev.actor = "\xed\xa0\x80";
			s.ev.actor_len = 3;
			break;
		case 3:
			s.ev.data = (const uint8_t *)bad.sb.data;
			s.ev.data_len = bad.sb.size;
			break;
		}
		json_t *got = NULL;
		int rc = kt_event_to_json(&s.ev, &got);
		if (rc != KT_EMALFORMED)
			fail_msg("field %d: got %d, want KT_EMALFORMED", field, rc);
		assert_null(got);
		msgpack_sbuffer_destroy(&bad.sb);
		msgpack_sbuffer_destroy(&s.data.sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_round_trips_every_json_type),
		cmocka_unit_test(test_json_to_data_writes_one_map_in_key_order),
		cmocka_unit_test(test_json_to_data_output_is_data_the_codec_accepts),
		cmocka_unit_test(test_json_to_data_takes_exactly_len_bytes),
		cmocka_unit_test(test_json_to_data_rejects_nul_bytes_and_trailing_text),
		cmocka_unit_test(test_json_to_data_rejects_top_level_values_other_than_an_object),
		cmocka_unit_test(test_json_to_data_rejects_duplicate_keys),
		cmocka_unit_test(test_json_to_data_accepts_nesting_of_exactly_max_depth),
		cmocka_unit_test(test_json_to_data_rejects_nesting_deeper_than_max_depth),
		cmocka_unit_test(test_json_to_data_rejects_escaped_nul_in_plain_words),
		cmocka_unit_test(test_json_to_data_rejects_output_over_the_buffer_max),
		cmocka_unit_test(test_json_to_data_reason_names_line_and_column),
		cmocka_unit_test(test_data_to_json_renders_every_msgpack_type),
		cmocka_unit_test(test_data_to_json_renders_binaries_and_extensions_as_hex),
		cmocka_unit_test(test_data_to_json_renders_uint_above_int64_max_as_real),
		cmocka_unit_test(test_data_to_json_rejects_text_that_is_not_utf8),
		cmocka_unit_test(test_data_to_json_rejects_trailing_and_truncated_bytes),
		cmocka_unit_test(test_data_to_json_rejects_nesting_deeper_than_max_depth),
		cmocka_unit_test(test_event_to_json_has_every_field_in_its_documented_form),
		cmocka_unit_test(test_event_to_json_takes_names_by_length),
		cmocka_unit_test(test_event_to_json_rejects_names_and_data_that_are_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
