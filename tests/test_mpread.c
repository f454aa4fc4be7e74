/*
 * test_mpread.c — the bounded msgpack reader: every typed reader on valid
 * input, every truncation, hostile lengths and counts, the depth limit, the
 * reserved byte, the string-key rule, sign extension, and random input that
 * must never make it read outside its bounds.
 *
 * Inputs are copied into an exactly sized heap block (see exact()) so that
 * the address sanitizer build catches a read one byte past the end.
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

/* A heap copy of exactly n bytes: ASan reports any read past it. */
static uint8_t *exact(const void *bytes, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);
	assert_non_null(p);
	if (n)
		memcpy(p, bytes, n);
	return p;
}

/* kt_mp_skip over an exact copy; *used gets the bytes consumed on success. */
static int skip_exact(const void *bytes, size_t n, int str_keys, size_t *used)
{
	uint8_t *p = exact(bytes, n);
	struct kt_mp r = kt_mp_init(p, n);
	int rc = kt_mp_skip(&r, str_keys);
	if (used)
		*used = rc ? 0 : (size_t)(r.p - p);
	free(p);
	return rc;
}

/* A small deterministic PRNG (xorshift64*), so failures reproduce. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

#define BYTES(...)   ((const uint8_t[]){ __VA_ARGS__ })
#define N_BYTES(...) sizeof((const uint8_t[]){ __VA_ARGS__ })

/* A sample payload touching every kind of element, packed by msgpack-c. */
static void pack_sample(msgpack_sbuffer *sb)
{
	msgpack_packer pk;
	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	static const char long_text[300] = "long text";
	msgpack_pack_map(&pk, 9);
	msgpack_pack_str_with_body(&pk, "nil", 3);
	msgpack_pack_nil(&pk);
	msgpack_pack_str_with_body(&pk, "flags", 5);
	msgpack_pack_array(&pk, 2);
	msgpack_pack_true(&pk);
	msgpack_pack_false(&pk);
	msgpack_pack_str_with_body(&pk, "ints", 4);
	msgpack_pack_array(&pk, 8);
	msgpack_pack_int64(&pk, 7);
	msgpack_pack_int64(&pk, -7);
	msgpack_pack_int64(&pk, 200);
	msgpack_pack_int64(&pk, -200);
	msgpack_pack_int64(&pk, 70000);
	msgpack_pack_int64(&pk, -70000);
	msgpack_pack_uint64(&pk, UINT64_MAX);
	msgpack_pack_int64(&pk, INT64_MIN);
	msgpack_pack_str_with_body(&pk, "floats", 6);
	msgpack_pack_array(&pk, 2);
	msgpack_pack_float(&pk, 1.5f);
	msgpack_pack_double(&pk, -2.25);
	msgpack_pack_str_with_body(&pk, "text", 4);
	msgpack_pack_str_with_body(&pk, long_text, sizeof long_text); /* str16 */
	msgpack_pack_str_with_body(&pk, "bin", 3);
	msgpack_pack_bin_with_body(&pk, "\x00\x01\x02", 3);
	msgpack_pack_str_with_body(&pk, "ext", 3);
	msgpack_pack_ext_with_body(&pk, "abcd", 4, 5); /* fixext 4 */
	msgpack_pack_str_with_body(&pk, "nested", 6);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "deeper", 6);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 0);
	msgpack_pack_str_with_body(&pk, "empty", 5);
	msgpack_pack_array(&pk, 0);
}

/* ---- typed readers on valid input ------------------------------------- */

static void test_mp_reads_nil_and_bools(void **state)
{
	(void)state;
	uint8_t *in = exact(BYTES(0xc0, 0xc3, 0xc2), 3);
	struct kt_mp r = kt_mp_init(in, 3);
	int b = -1;
	assert_int_equal(kt_mp_read_nil(&r), KT_OK);
	assert_int_equal(kt_mp_read_bool(&r, &b), KT_OK);
	assert_int_equal(b, 1);
	assert_int_equal(kt_mp_read_bool(&r, &b), KT_OK);
	assert_int_equal(b, 0);
	assert_ptr_equal(r.p, r.end);
	free(in);
}

static void test_mp_reads_uint_in_every_width(void **state)
{
	(void)state;
	static const struct {
		uint8_t bytes[9];
		size_t len;
		uint64_t value;
	} cases[] = {
		{ { 0x00 }, 1, 0 },
		{ { 0x7f }, 1, 127 },
		{ { 0xcc, 0xff }, 2, 255 },
		{ { 0xcd, 0x12, 0x34 }, 3, 0x1234 },
		{ { 0xce, 0xde, 0xad, 0xbe, 0xef }, 5, 0xdeadbeef },
		{ { 0xcf, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 },
		  9,
		  UINT64_C(0x0102030405060708) },
		{ { 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 9, UINT64_MAX },
		/* Signed encodings of non-negative values are unsigned integers. */
		{ { 0xd0, 0x7f }, 2, 127 },
		{ { 0xd3, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 9, INT64_MAX },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint8_t *in = exact(cases[k].bytes, cases[k].len);
		struct kt_mp r = kt_mp_init(in, cases[k].len);
		uint64_t v = 0;
		assert_int_equal(kt_mp_peek(&r), KT_MP_UINT);
		assert_int_equal(kt_mp_read_uint(&r, &v), KT_OK);
		assert_true(v == cases[k].value);
		assert_ptr_equal(r.p, r.end);
		free(in);
	}
}

static void test_mp_sign_extends_int8_to_int64(void **state)
{
	(void)state;
	static const struct {
		uint8_t bytes[9];
		size_t len;
		int64_t value;
	} cases[] = {
		{ { 0xff }, 1, -1 },
		{ { 0xe0 }, 1, -32 },
		{ { 0xd0, 0xff }, 2, -1 },
		{ { 0xd0, 0x80 }, 2, -128 },
		{ { 0xd0, 0xfe }, 2, -2 },
		{ { 0xd1, 0xff, 0xff }, 3, -1 },
		{ { 0xd1, 0x80, 0x00 }, 3, -32768 },
		{ { 0xd1, 0xff, 0x7f }, 3, -129 },
		{ { 0xd2, 0xff, 0xff, 0xff, 0xff }, 5, -1 },
		{ { 0xd2, 0x80, 0x00, 0x00, 0x00 }, 5, INT32_MIN },
		{ { 0xd2, 0xff, 0xfe, 0xee, 0x90 }, 5, -70000 },
		{ { 0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 9, -1 },
		{ { 0xd3, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 9, INT64_MIN },
		{ { 0xd3, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff },
		  9,
		  -(INT64_C(1) << 31) - 1 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint8_t *in = exact(cases[k].bytes, cases[k].len);
		struct kt_mp r = kt_mp_init(in, cases[k].len);
		int64_t v = 0;
		assert_int_equal(kt_mp_peek(&r), KT_MP_INT);
		assert_int_equal(kt_mp_read_int(&r, &v), KT_OK);
		assert_true(v == cases[k].value);
		assert_ptr_equal(r.p, r.end);
		free(in);
	}
}

static void test_mp_read_int_accepts_unsigned_encodings_that_fit(void **state)
{
	(void)state;
	uint8_t *in = exact(
	    BYTES(0x05, 0xcc, 0xc8, 0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 12);
	struct kt_mp r = kt_mp_init(in, 12);
	int64_t v = 0;
	assert_int_equal(kt_mp_read_int(&r, &v), KT_OK);
	assert_true(v == 5);
	assert_int_equal(kt_mp_read_int(&r, &v), KT_OK);
	assert_true(v == 200);
	assert_int_equal(kt_mp_read_int(&r, &v), KT_OK);
	assert_true(v == INT64_MAX);
	assert_ptr_equal(r.p, r.end);
	free(in);
}

static void test_mp_read_int_rejects_uint_above_int64_max(void **state)
{
	(void)state;
	uint8_t *in = exact(BYTES(0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0), 9);
	struct kt_mp r = kt_mp_init(in, 9);
	int64_t v = 42;
	assert_int_equal(kt_mp_read_int(&r, &v), KT_EINVAL);
	assert_true(v == 42);
	free(in);
}

static void test_mp_read_uint_rejects_negative_values(void **state)
{
	(void)state;
	static const uint8_t negatives[][9] = {
		{ 0xff },
		{ 0xd0, 0xff },
		{ 0xd1, 0x80, 0x00 },
		{ 0xd2, 0xff, 0xff, 0xff, 0xfe },
		{ 0xd3, 0x80 },
	};
	static const size_t lens[] = { 1, 2, 3, 5, 9 };
	for (size_t k = 0; k < 5; k++) {
		uint8_t *in = exact(negatives[k], lens[k]);
		struct kt_mp r = kt_mp_init(in, lens[k]);
		uint64_t v = 42;
		assert_int_equal(kt_mp_read_uint(&r, &v), KT_EINVAL);
		assert_true(v == 42);
		free(in);
	}
}

static void test_mp_reads_float32_and_float64(void **state)
{
	(void)state;
	/* 1.5f, then -2.25 as a double */
	uint8_t *in = exact(BYTES(0xca, 0x3f, 0xc0, 0x00, 0x00, 0xcb, 0xc0, 0x02, 0x00, 0x00, 0x00,
				  0x00, 0x00, 0x00),
			    14);
	struct kt_mp r = kt_mp_init(in, 14);
	double d = 0;
	assert_int_equal(kt_mp_peek(&r), KT_MP_FLOAT);
	assert_int_equal(kt_mp_read_float(&r, &d), KT_OK);
	assert_true(d == 1.5);
	assert_int_equal(kt_mp_read_float(&r, &d), KT_OK);
	assert_true(d == -2.25);
	assert_ptr_equal(r.p, r.end);
	free(in);
}

static void test_mp_reads_str_in_every_width_as_borrowed_pointer(void **state)
{
	(void)state;
	static const uint8_t raw[] = {
		0xa3, 'a',  'b',  'c',			     /* fixstr */
		0xd9, 0x02, 'd',  'e',			     /* str 8 */
		0xda, 0x00, 0x01, 'f',			     /* str 16 */
		0xdb, 0x00, 0x00, 0x00, 0x03, 'g', 'h', 'i', /* str 32 */
		0xa0,					     /* empty fixstr */
	};
	static const char *const want[] = { "abc", "de", "f", "ghi", "" };
	static const size_t offsets[] = { 1, 6, 11, 17, 21 };
	uint8_t *in = exact(raw, sizeof raw);
	struct kt_mp r = kt_mp_init(in, sizeof raw);
	for (size_t k = 0; k < 5; k++) {
		const char *s = NULL;
		size_t n = 99;
		assert_int_equal(kt_mp_peek(&r), KT_MP_STR);
		assert_int_equal(kt_mp_read_str(&r, &s, &n), KT_OK);
		assert_int_equal(n, strlen(want[k]));
		assert_ptr_equal(s, (const char *)in + offsets[k]);
		assert_memory_equal(s, want[k], n);
	}
	assert_ptr_equal(r.p, r.end);
	free(in);
}

static void test_mp_reads_bin_in_every_width_as_borrowed_pointer(void **state)
{
	(void)state;
	static const uint8_t raw[] = {
		0xc4, 0x02, 0x01, 0x02,		    /* bin 8 */
		0xc5, 0x00, 0x03, 0x03, 0x04, 0x05, /* bin 16 */
		0xc6, 0x00, 0x00, 0x00, 0x01, 0x06, /* bin 32 */
		0xc4, 0x00,			    /* empty */
	};
	uint8_t *in = exact(raw, sizeof raw);
	struct kt_mp r = kt_mp_init(in, sizeof raw);
	const uint8_t *b;
	size_t n;
	assert_int_equal(kt_mp_peek(&r), KT_MP_BIN);
	assert_int_equal(kt_mp_read_bin(&r, &b, &n), KT_OK);
	assert_int_equal(n, 2);
	assert_ptr_equal(b, in + 2);
	assert_int_equal(kt_mp_read_bin(&r, &b, &n), KT_OK);
	assert_int_equal(n, 3);
	assert_ptr_equal(b, in + 7);
	assert_memory_equal(b, BYTES(3, 4, 5), 3);
	assert_int_equal(kt_mp_read_bin(&r, &b, &n), KT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(b[0], 6);
	assert_int_equal(kt_mp_read_bin(&r, &b, &n), KT_OK);
	assert_int_equal(n, 0);
	assert_ptr_equal(r.p, r.end);
	free(in);
}

static void test_mp_reads_array_and_map_headers_in_every_width(void **state)
{
	(void)state;
	static const uint8_t raw[] = {
		0x92, 0x01, 0x02,			       /* fixarray 2 */
		0xdc, 0x00, 0x01, 0xc0,			       /* array 16 */
		0xdd, 0x00, 0x00, 0x00, 0x01, 0xc0,	       /* array 32 */
		0x81, 0xa1, 'k',  0x01,			       /* fixmap 1 */
		0xde, 0x00, 0x01, 0xa1, 'k',  0x02,	       /* map 16 */
		0xdf, 0x00, 0x00, 0x00, 0x01, 0xa1, 'k', 0x03, /* map 32 */
		0x90, 0x80,				       /* empty ones */
	};
	uint8_t *in = exact(raw, sizeof raw);
	struct kt_mp r = kt_mp_init(in, sizeof raw);
	uint32_t count = 0;
	uint64_t u;
	const char *s;
	size_t n;

	assert_int_equal(kt_mp_peek(&r), KT_MP_ARRAY);
	assert_int_equal(kt_mp_read_array(&r, &count), KT_OK);
	assert_int_equal(count, 2);
	assert_int_equal(kt_mp_read_uint(&r, &u), KT_OK);
	assert_int_equal(kt_mp_read_uint(&r, &u), KT_OK);
	assert_int_equal(u, 2);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(kt_mp_read_array(&r, &count), KT_OK);
		assert_int_equal(count, 1);
		assert_int_equal(kt_mp_read_nil(&r), KT_OK);
	}
	for (uint64_t k = 1; k <= 3; k++) {
		assert_int_equal(kt_mp_peek(&r), KT_MP_MAP);
		assert_int_equal(kt_mp_read_map(&r, &count), KT_OK);
		assert_int_equal(count, 1);
		assert_int_equal(kt_mp_read_str(&r, &s, &n), KT_OK);
		assert_int_equal(n, 1);
		assert_int_equal(kt_mp_read_uint(&r, &u), KT_OK);
		assert_true(u == k);
	}
	assert_int_equal(kt_mp_read_array(&r, &count), KT_OK);
	assert_int_equal(count, 0);
	assert_int_equal(kt_mp_read_map(&r, &count), KT_OK);
	assert_int_equal(count, 0);
	assert_ptr_equal(r.p, r.end);
	free(in);
}

static void test_mp_peek_names_each_type_without_consuming(void **state)
{
	(void)state;
	static const struct {
		uint8_t bytes[4];
		size_t len;
		enum kt_mp_type type;
	} cases[] = {
		{ { 0xc0 }, 1, KT_MP_NIL },
		{ { 0xc2 }, 1, KT_MP_BOOL },
		{ { 0x01 }, 1, KT_MP_UINT },
		{ { 0xf0 }, 1, KT_MP_INT },
		{ { 0xca, 0, 0, 0 }, 4, KT_MP_INVALID }, /* float 32 cut short */
		{ { 0xa1, 'x' }, 2, KT_MP_STR },
		{ { 0xc4, 0x01, 0x00 }, 3, KT_MP_BIN },
		{ { 0x91, 0x00 }, 2, KT_MP_ARRAY },
		{ { 0x81, 0xa0, 0x00 }, 3, KT_MP_MAP },
		{ { 0xd4, 0x01, 0x00 }, 3, KT_MP_EXT },
		{ { 0xc1 }, 1, KT_MP_INVALID },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint8_t *in = exact(cases[k].bytes, cases[k].len);
		struct kt_mp r = kt_mp_init(in, cases[k].len);
		assert_int_equal(kt_mp_peek(&r), cases[k].type);
		assert_ptr_equal(r.p, in);
		free(in);
	}
	uint8_t *f = exact(BYTES(0xca, 0, 0, 0, 0), 5);
	struct kt_mp r = kt_mp_init(f, 5);
	assert_int_equal(kt_mp_peek(&r), KT_MP_FLOAT);
	struct kt_mp empty = kt_mp_init(f, 0);
	assert_int_equal(kt_mp_peek(&empty), KT_MP_INVALID);
	free(f);
}

static void test_mp_typed_readers_reject_other_types_with_einval(void **state)
{
	(void)state;
	uint8_t *in = exact(BYTES(0xa1, 'x'), 2);
	struct kt_mp r;
	uint64_t u;
	int64_t i;
	int b;
	double d;
	const uint8_t *bin;
	const char *s;
	size_t n;
	uint32_t c;

	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_nil(&r), KT_EINVAL);
	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_bool(&r, &b), KT_EINVAL);
	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_uint(&r, &u), KT_EINVAL);
	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_int(&r, &i), KT_EINVAL);
	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_float(&r, &d), KT_EINVAL);
	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_bin(&r, &bin, &n), KT_EINVAL);
	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_array(&r, &c), KT_EINVAL);
	r = kt_mp_init(in, 2);
	assert_int_equal(kt_mp_read_map(&r, &c), KT_EINVAL);
	free(in);

	uint8_t *one = exact(BYTES(0x01), 1);
	r = kt_mp_init(one, 1);
	assert_int_equal(kt_mp_read_str(&r, &s, &n), KT_EINVAL);
	r = kt_mp_init(one, 1);
	assert_int_equal(kt_mp_read_float(&r, &d), KT_EINVAL); /* no int-to-float */
	free(one);
}

static void test_mp_skip_steps_over_ext_in_every_form(void **state)
{
	(void)state;
	static const uint8_t raw[] = {
		0xd4, 0x01, 0xaa,					 /* fixext 1 */
		0xd5, 0x01, 0xaa, 0xbb,					 /* fixext 2 */
		0xd6, 0x01, 1,	  2,	3,    4,			 /* fixext 4 */
		0xd7, 0x01, 1,	  2,	3,    4,    5,	  6,	7,    8, /* fixext 8 */
		0xd8, 0x01, 1,	  2,	3,    4,    5,	  6,	7,    8,    9,	  10,
		11,   12,   13,	  14,	15,   16,   0xc7, 0x02, 0x01, 0xaa, 0xbb, /* ext 8 */
		0xc8, 0x00, 0x01, 0x01, 0xaa,					  /* ext 16 */
		0xc9, 0x00, 0x00, 0x00, 0x00, 0x01, /* ext 32, empty */
		0x2a,				    /* a sentinel */
	};
	static const size_t sizes[] = { 3, 4, 6, 10, 18, 5, 5, 6 };
	uint8_t *in = exact(raw, sizeof raw);
	struct kt_mp r = kt_mp_init(in, sizeof raw);
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		const uint8_t *before = r.p;
		assert_int_equal(kt_mp_peek(&r), KT_MP_EXT);
		assert_int_equal(kt_mp_skip(&r, 1), KT_OK);
		assert_int_equal(r.p - before, (ptrdiff_t)sizes[k]);
	}
	uint64_t u;
	assert_int_equal(kt_mp_read_uint(&r, &u), KT_OK);
	assert_int_equal(u, 42);
	free(in);
}

static void test_mp_skip_consumes_exactly_one_sample_payload(void **state)
{
	(void)state;
	msgpack_sbuffer sb;
	pack_sample(&sb);
	size_t used = 0;
	assert_int_equal(skip_exact(sb.data, sb.size, 1, &used), KT_OK);
	assert_int_equal(used, sb.size);

	/* Followed by more bytes, skip stops after the first element. */
	uint8_t *two = malloc(sb.size + 1);
	assert_non_null(two);
	memcpy(two, sb.data, sb.size);
	two[sb.size] = 0xc0;
	assert_int_equal(skip_exact(two, sb.size + 1, 1, &used), KT_OK);
	assert_int_equal(used, sb.size);
	free(two);
	msgpack_sbuffer_destroy(&sb);
}

/* ---- truncation ------------------------------------------------------- */

static void test_mp_skip_rejects_every_truncation_of_a_sample(void **state)
{
	(void)state;
	msgpack_sbuffer sb;
	pack_sample(&sb);
	assert_true(sb.size > 300);
	for (size_t cut = 0; cut < sb.size; cut++) {
		assert_int_equal(skip_exact(sb.data, cut, 1, NULL), KT_EMALFORMED);
		assert_int_equal(skip_exact(sb.data, cut, 0, NULL), KT_EMALFORMED);
	}
	msgpack_sbuffer_destroy(&sb);
}

static void test_mp_typed_readers_reject_truncated_input(void **state)
{
	(void)state;
	/* Each complete element; every proper prefix must fail. */
	static const struct {
		uint8_t bytes[10];
		size_t len;
		char kind; /* u i f s b a m n o(bool) */
	} cases[] = {
		{ { 0xcc, 0x01 }, 2, 'u' },
		{ { 0xcd, 0x01, 0x02 }, 3, 'u' },
		{ { 0xce, 1, 2, 3, 4 }, 5, 'u' },
		{ { 0xcf, 1, 2, 3, 4, 5, 6, 7, 8 }, 9, 'u' },
		{ { 0xd0, 0xff }, 2, 'i' },
		{ { 0xd1, 0xff, 0xff }, 3, 'i' },
		{ { 0xd2, 0xff, 0xff, 0xff, 0xff }, 5, 'i' },
		{ { 0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 9, 'i' },
		{ { 0xca, 0x3f, 0xc0, 0, 0 }, 5, 'f' },
		{ { 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0 }, 9, 'f' },
		{ { 0xa3, 'a', 'b', 'c' }, 4, 's' },
		{ { 0xd9, 0x02, 'a', 'b' }, 4, 's' },
		{ { 0xda, 0x00, 0x02, 'a', 'b' }, 5, 's' },
		{ { 0xdb, 0x00, 0x00, 0x00, 0x02, 'a', 'b' }, 7, 's' },
		{ { 0xc4, 0x02, 1, 2 }, 4, 'b' },
		{ { 0xc5, 0x00, 0x02, 1, 2 }, 5, 'b' },
		{ { 0xc6, 0x00, 0x00, 0x00, 0x02, 1, 2 }, 7, 'b' },
		{ { 0x92, 0x01, 0x02 }, 3, 'a' },
		{ { 0xdc, 0x00, 0x01, 0xc0 }, 4, 'a' },
		{ { 0xdd, 0x00, 0x00, 0x00, 0x01, 0xc0 }, 6, 'a' },
		{ { 0x81, 0xa0, 0xc0 }, 3, 'm' },
		{ { 0xde, 0x00, 0x01, 0xa0, 0xc0 }, 5, 'm' },
		{ { 0xdf, 0x00, 0x00, 0x00, 0x01, 0xa0, 0xc0 }, 7, 'm' },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (size_t cut = 0; cut < cases[k].len; cut++) {
			uint8_t *in = exact(cases[k].bytes, cut);
			struct kt_mp r = kt_mp_init(in, cut);
			uint64_t u;
			int64_t i;
			double d;
			const char *s;
			const uint8_t *b;
			size_t n;
			uint32_t c;
			int rc = 0;
			switch (cases[k].kind) {
			case 'u':
				rc = kt_mp_read_uint(&r, &u);
				break;
			case 'i':
				rc = kt_mp_read_int(&r, &i);
				break;
			case 'f':
				rc = kt_mp_read_float(&r, &d);
				break;
			case 's':
				rc = kt_mp_read_str(&r, &s, &n);
				break;
			case 'b':
				rc = kt_mp_read_bin(&r, &b, &n);
				break;
			/* A container header whose elements are cut off fails at the
			 * header already: each element needs at least one byte. */
			case 'a':
				rc = kt_mp_read_array(&r, &c);
				break;
			case 'm':
				rc = kt_mp_read_map(&r, &c);
				break;
			}
			if (rc != KT_EMALFORMED)
				fail_msg("case %zu cut at %zu: got %d", k, cut, rc);
			free(in);
		}
	}
	/* Empty input for readers of fixed-size values. */
	struct kt_mp r = kt_mp_init(cases, 0);
	int bv;
	assert_int_equal(kt_mp_read_nil(&r), KT_EMALFORMED);
	assert_int_equal(kt_mp_read_bool(&r, &bv), KT_EMALFORMED);
}

/* ---- hostile lengths and counts --------------------------------------- */

static void test_mp_rejects_hostile_container_counts(void **state)
{
	(void)state;
	static const struct {
		uint8_t bytes[8];
		size_t len;
	} cases[] = {
		{ { 0xdd, 0xff, 0xff, 0xff, 0xff }, 5 }, /* array of 4G */
		{ { 0xdf, 0xff, 0xff, 0xff, 0xff }, 5 }, /* map of 4G pairs */
		{ { 0xdc, 0xff, 0xff }, 3 },
		{ { 0xde, 0xff, 0xff }, 3 },
		{ { 0xdc, 0x00, 0x04, 1, 2, 3 }, 6 },	    /* 4 declared, 3 bytes */
		{ { 0xde, 0x00, 0x02, 0xa0, 1, 0xa0 }, 6 }, /* 2 pairs need 4 bytes */
		{ { 0x9f, 1, 2 }, 3 },
		{ { 0x8f, 0xa0, 1 }, 3 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint8_t *in = exact(cases[k].bytes, cases[k].len);
		struct kt_mp r = kt_mp_init(in, cases[k].len);
		uint32_t count = 7;
		int is_map = cases[k].bytes[0] == 0xdf || cases[k].bytes[0] == 0xde ||
			     cases[k].bytes[0] == 0x8f;
		int rc = is_map ? kt_mp_read_map(&r, &count) : kt_mp_read_array(&r, &count);
		assert_int_equal(rc, KT_EMALFORMED);
		assert_int_equal(count, 7);
		r = kt_mp_init(in, cases[k].len);
		assert_int_equal(kt_mp_peek(&r), KT_MP_INVALID);
		assert_int_equal(skip_exact(cases[k].bytes, cases[k].len, 0, NULL), KT_EMALFORMED);
		free(in);
	}
	/* A count that exactly fits is accepted. */
	uint8_t *fit = exact(BYTES(0xdc, 0x00, 0x03, 1, 2, 3), 6);
	struct kt_mp r = kt_mp_init(fit, 6);
	uint32_t count = 0;
	assert_int_equal(kt_mp_read_array(&r, &count), KT_OK);
	assert_int_equal(count, 3);
	free(fit);
}

static void test_mp_rejects_hostile_string_and_binary_lengths(void **state)
{
	(void)state;
	static const struct {
		uint8_t bytes[8];
		size_t len;
	} cases[] = {
		{ { 0xdb, 0xff, 0xff, 0xff, 0xff, 'a' }, 6 },
		{ { 0xda, 0xff, 0xff, 'a' }, 4 },
		{ { 0xd9, 0x02, 'a' }, 3 },
		{ { 0xc6, 0xff, 0xff, 0xff, 0xff, 0x00 }, 6 },
		{ { 0xc5, 0x00, 0x02, 0x00 }, 4 },
		{ { 0xc9, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00 }, 7 },
		{ { 0xc7, 0x01, 0x01 }, 3 }, /* ext 8 lacks its byte */
		{ { 0xd8, 0x01, 1, 2, 3 }, 5 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint8_t *in = exact(cases[k].bytes, cases[k].len);
		struct kt_mp r = kt_mp_init(in, cases[k].len);
		const char *s;
		const uint8_t *b;
		size_t n;
		if (cases[k].bytes[0] >= 0xd9 && cases[k].bytes[0] <= 0xdb)
			assert_int_equal(kt_mp_read_str(&r, &s, &n), KT_EMALFORMED);
		else if (cases[k].bytes[0] >= 0xc4 && cases[k].bytes[0] <= 0xc6)
			assert_int_equal(kt_mp_read_bin(&r, &b, &n), KT_EMALFORMED);
		assert_int_equal(skip_exact(cases[k].bytes, cases[k].len, 0, NULL), KT_EMALFORMED);
		free(in);
	}
}

/* ---- depth, reserved byte, string keys -------------------------------- */

/* levels nested containers: arrays, or maps with string keys. */
static uint8_t *nested(size_t levels, int maps, size_t *len)
{
	size_t per = maps ? 3 : 1; /* 0x81 0xa1 'k' or 0x91 */
	*len = (levels - 1) * per + 1;
	uint8_t *b = malloc(*len);
	assert_non_null(b);
	size_t at = 0;
	for (size_t k = 0; k + 1 < levels; k++) {
		if (maps) {
			b[at++] = 0x81;
			b[at++] = 0xa1;
			b[at++] = 'k';
		} else {
			b[at++] = 0x91;
		}
	}
	b[at++] = maps ? 0x80 : 0x90;
	return b;
}

static void test_mp_skip_enforces_max_depth(void **state)
{
	(void)state;
	for (int maps = 0; maps <= 1; maps++) {
		size_t len, used;
		uint8_t *ok = nested(KT_MP_MAX_DEPTH, maps, &len);
		assert_int_equal(skip_exact(ok, len, 1, &used), KT_OK);
		assert_int_equal(used, len);
		free(ok);
		uint8_t *deep = nested(KT_MP_MAX_DEPTH + 1, maps, &len);
		assert_int_equal(skip_exact(deep, len, 1, NULL), KT_EMALFORMED);
		assert_int_equal(skip_exact(deep, len, 0, NULL), KT_EMALFORMED);
		free(deep);
		/* Far deeper than the limit: refused, not a stack overflow. */
		uint8_t *abyss = nested(100000, maps, &len);
		assert_int_equal(skip_exact(abyss, len, 1, NULL), KT_EMALFORMED);
		free(abyss);
	}
}

static void test_mp_rejects_reserved_byte_c1(void **state)
{
	(void)state;
	uint8_t *in = exact(BYTES(0xc1), 1);
	struct kt_mp r = kt_mp_init(in, 1);
	uint64_t u;
	assert_int_equal(kt_mp_peek(&r), KT_MP_INVALID);
	assert_int_equal(kt_mp_read_nil(&r), KT_EMALFORMED);
	r = kt_mp_init(in, 1);
	assert_int_equal(kt_mp_read_uint(&r, &u), KT_EMALFORMED);
	assert_int_equal(skip_exact(in, 1, 0, NULL), KT_EMALFORMED);
	free(in);
	/* Inside a container too. */
	assert_int_equal(skip_exact(BYTES(0x92, 0x01, 0xc1), 3, 0, NULL), KT_EMALFORMED);
	assert_int_equal(skip_exact(BYTES(0x81, 0xa1, 'k', 0xc1), 4, 1, NULL), KT_EMALFORMED);
}

static void test_mp_skip_requires_string_keys_only_when_asked(void **state)
{
	(void)state;
	static const struct {
		uint8_t bytes[8];
		size_t len;
	} bad_keys[] = {
		{ { 0x81, 0x01, 0x02 }, 3 },		      /* int key */
		{ { 0x81, 0xc4, 0x01, 'k', 0x02 }, 5 },	      /* bin key */
		{ { 0x81, 0xc0, 0x02 }, 3 },		      /* nil key */
		{ { 0x81, 0x90, 0x02 }, 3 },		      /* array key */
		{ { 0x91, 0x81, 0x01, 0x02 }, 4 },	      /* nested in an array */
		{ { 0x81, 0xa1, 'k', 0x81, 0xff, 0x02 }, 6 }, /* nested in a value */
		{ { 0x82, 0xa0, 0x01, 0x02, 0x03 }, 5 },      /* second key */
	};
	for (size_t k = 0; k < sizeof bad_keys / sizeof bad_keys[0]; k++) {
		size_t used = 0;
		assert_int_equal(skip_exact(bad_keys[k].bytes, bad_keys[k].len, 1, NULL),
				 KT_EMALFORMED);
		assert_int_equal(skip_exact(bad_keys[k].bytes, bad_keys[k].len, 0, &used), KT_OK);
		assert_int_equal(used, bad_keys[k].len);
	}
	size_t used = 0;
	assert_int_equal(skip_exact(BYTES(0x82, 0xa0, 0x01, 0xd9, 0x01, 'k', 0x90), 7, 1, &used),
			 KT_OK);
	assert_int_equal(used, 7);
}

/* ---- random input ----------------------------------------------------- */

/* Tags worth hitting often: every header form and the reserved byte. */
static const uint8_t interesting[] = {
	0x00, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x91, 0x9f, 0xa0, 0xa1, 0xbf, 0xc0,
	0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc,
	0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8,
	0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff, 0x01, 0x02, 0x10,
};

static uint8_t random_byte(void)
{
	uint64_t x = rng();
	if (x & 1)
		return interesting[(x >> 8) % sizeof interesting];
	return (uint8_t)(x >> 16);
}

/* Whatever the input, decode's borrowed pointers stay inside it. */
static void check_decoded_inside(const uint8_t *in, size_t n, const struct kt_event *ev)
{
	const uint8_t *end = in + n;
	assert_true((const uint8_t *)ev->stream >= in &&
		    (const uint8_t *)ev->stream + ev->stream_len <= end);
	assert_true((const uint8_t *)ev->type >= in &&
		    (const uint8_t *)ev->type + ev->type_len <= end);
	assert_true((const uint8_t *)ev->actor >= in &&
		    (const uint8_t *)ev->actor + ev->actor_len <= end);
	assert_true(ev->data >= in && ev->data + ev->data_len == end);
	assert_true(ev->data_len > 0);
}

static void test_mp_random_bytes_never_read_out_of_bounds(void **state)
{
	(void)state;
	rng_state = UINT64_C(0x6b6f6e74726f6c6c); /* fixed seed */
	uint8_t raw[64];
	unsigned ok = 0, malformed = 0, decoded = 0;
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rng() % (sizeof raw + 1));
		for (size_t k = 0; k < n; k++)
			raw[k] = random_byte();
		uint8_t *in = exact(raw, n);
		int str_keys = (int)(rng() & 1);

		struct kt_mp r = kt_mp_init(in, n);
		enum kt_mp_type t = kt_mp_peek(&r);
		assert_true(t >= KT_MP_NIL && t <= KT_MP_INVALID);
		int rc = kt_mp_skip(&r, str_keys);
		if (rc == KT_OK) {
			ok++;
			assert_true(r.p > in && r.p <= in + n);
			assert_true(t != KT_MP_INVALID);
			/* The element alone skips the same way. */
			size_t used = 0;
			size_t len = (size_t)(r.p - in);
			assert_int_equal(skip_exact(in, len, str_keys, &used), KT_OK);
			assert_int_equal(used, len);
		} else {
			assert_int_equal(rc, KT_EMALFORMED);
			malformed++;
		}

		struct kt_event ev;
		rc = kt_event_decode(in, n, &ev);
		if (rc == KT_OK) {
			decoded++;
			check_decoded_inside(in, n, &ev);
		} else if (rc != KT_EMALFORMED && rc != KT_EFORMAT) {
			fail_msg("round %d: decode returned %d", round, rc);
		}
		free(in);
	}
	/* The generator must reach both outcomes, or the test proves little. */
	assert_true(ok > 1000);
	assert_true(malformed > 1000);
	(void)decoded;
}

static void test_mp_random_envelope_mutations_never_read_out_of_bounds(void **state)
{
	(void)state;
	rng_state = UINT64_C(20000);
	msgpack_sbuffer data;
	pack_sample(&data);
	struct kt_event ev = { 0 };
	for (int k = 0; k < 16; k++)
		ev.id[k] = (uint8_t)(k + 1);
	ev.stream = "inspection-T-2025-007";
	ev.stream_len = strlen(ev.stream);
	ev.version = 3;
	ev.type = "inspection.finding";
	ev.type_len = strlen(ev.type);
	ev.recorded = INT64_C(1750000000000000);
	ev.effective = -INT64_C(86400000000);
	ev.actor = "kvalitetsrådgiver";
	ev.actor_len = strlen(ev.actor);
	ev.correlation[0] = 9;
	ev.data = (const uint8_t *)data.data;
	ev.data_len = data.size;
	struct kt_buf env = KT_BUF_INIT(KT_ENVELOPE_MAX);
	assert_int_equal(kt_event_encode(&ev, &env), KT_OK);

	uint8_t *work = malloc(env.len + 8);
	assert_non_null(work);
	unsigned decoded = 0, malformed = 0;
	for (int round = 0; round < 20000; round++) {
		memcpy(work, env.data, env.len);
		size_t n = env.len;
		int edits = 1 + (int)(rng() % 4);
		for (int e = 0; e < edits; e++) {
			size_t at = (size_t)(rng() % n);
			switch (rng() % 6) {
			case 0:
				work[at] = random_byte();
				break;
			case 1:
				work[at] ^= (uint8_t)(1u << (rng() % 8));
				break;
			case 2:
				work[at] = (uint8_t)(work[at] + 1);
				break;
			case 3:
				work[at] = (uint8_t)(work[at] - 1);
				break;
			case 4:
				n = at + 1;
				break; /* truncate */
			case 5:	       /* insert one byte */
				if (n < env.len + 8) {
					memmove(work + at + 1, work + at, n - at);
					work[at] = random_byte();
					n++;
				}
				break;
			}
		}
		uint8_t *in = exact(work, n);
		struct kt_event out;
		int rc = kt_event_decode(in, n, &out);
		if (rc == KT_OK) {
			decoded++;
			check_decoded_inside(in, n, &out);
		} else if (rc == KT_EMALFORMED || rc == KT_EFORMAT) {
			malformed++;
		} else {
			fail_msg("round %d: decode returned %d", round, rc);
		}
		struct kt_mp r = kt_mp_init(in, n);
		rc = kt_mp_skip(&r, (int)(rng() & 1));
		assert_true(rc == KT_OK || rc == KT_EMALFORMED);
		free(in);
	}
	assert_true(decoded > 100);
	assert_true(malformed > 1000);
	free(work);
	kt_buf_free(&env);
	msgpack_sbuffer_destroy(&data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mp_reads_nil_and_bools),
		cmocka_unit_test(test_mp_reads_uint_in_every_width),
		cmocka_unit_test(test_mp_sign_extends_int8_to_int64),
		cmocka_unit_test(test_mp_read_int_accepts_unsigned_encodings_that_fit),
		cmocka_unit_test(test_mp_read_int_rejects_uint_above_int64_max),
		cmocka_unit_test(test_mp_read_uint_rejects_negative_values),
		cmocka_unit_test(test_mp_reads_float32_and_float64),
		cmocka_unit_test(test_mp_reads_str_in_every_width_as_borrowed_pointer),
		cmocka_unit_test(test_mp_reads_bin_in_every_width_as_borrowed_pointer),
		cmocka_unit_test(test_mp_reads_array_and_map_headers_in_every_width),
		cmocka_unit_test(test_mp_peek_names_each_type_without_consuming),
		cmocka_unit_test(test_mp_typed_readers_reject_other_types_with_einval),
		cmocka_unit_test(test_mp_skip_steps_over_ext_in_every_form),
		cmocka_unit_test(test_mp_skip_consumes_exactly_one_sample_payload),
		cmocka_unit_test(test_mp_skip_rejects_every_truncation_of_a_sample),
		cmocka_unit_test(test_mp_typed_readers_reject_truncated_input),
		cmocka_unit_test(test_mp_rejects_hostile_container_counts),
		cmocka_unit_test(test_mp_rejects_hostile_string_and_binary_lengths),
		cmocka_unit_test(test_mp_skip_enforces_max_depth),
		cmocka_unit_test(test_mp_rejects_reserved_byte_c1),
		cmocka_unit_test(test_mp_skip_requires_string_keys_only_when_asked),
		cmocka_unit_test(test_mp_random_bytes_never_read_out_of_bounds),
		cmocka_unit_test(test_mp_random_envelope_mutations_never_read_out_of_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
