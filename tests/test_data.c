/*
 * test_data.c — reading one payload field by name: each getter finds its
 * field wherever it is in the map, points into the payload instead of
 * copying, says KT_ENOTFOUND for an absent field and KT_EINVAL for another
 * type; dates are strict; nested maps and arrays come back ready to read.
 * Payloads are given in exactly sized heap copies, and every truncation is
 * read, so a read out of bounds shows up under ASan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

struct payload {
	uint8_t *data; /* exactly len bytes on the heap */
	size_t len;
};

static struct payload from_json(const char *json)
{
	struct kt_buf b = KT_BUF_INIT(KT_DATA_MAX);
	char why[200];
	if (kt_json_to_data(json, strlen(json), &b, why, sizeof why))
		fail_msg("test JSON does not parse: %s", why);
	struct payload p = { malloc(b.len), b.len };
	assert_non_null(p.data);
	memcpy(p.data, b.data, b.len);
	kt_buf_free(&b);
	return p;
}

static const char *sample =
    "{\"order\": \"P2\", \"deadline\": \"2026-06-15\", \"forced\": true, \"count\": -17, "
    "\"amount\": 2.5, \"big\": 1e20, \"bad_date\": \"2026-02-30\", "
    "\"documents\": [\"a.pdf\", \"b.pdf\"], "
    "\"data\": {\"text\": \"ny tekst\", \"deadline\": \"2026-02-28\"}, \"nil\": null}";

/* ---- getters ------------------------------------------------------------ */

static void test_data_get_str_points_into_the_payload(void **state)
{
	(void)state;
	struct payload p = from_json(sample);
	const char *s = NULL;
	size_t n = 0;
	assert_int_equal(kt_data_get_str(p.data, p.len, "order", &s, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(s, "P2", 2);
	assert_true((const uint8_t *)s > p.data && (const uint8_t *)s + n <= p.data + p.len);

	s = "untouched";
	n = 99;
	assert_int_equal(kt_data_get_str(p.data, p.len, "finding", &s, &n), KT_ENOTFOUND);
	assert_int_equal(kt_data_get_str(p.data, p.len, "orde", &s, &n), KT_ENOTFOUND);
	assert_int_equal(kt_data_get_str(p.data, p.len, "order_", &s, &n), KT_ENOTFOUND);
	assert_int_equal(kt_data_get_str(p.data, p.len, "forced", &s, &n), KT_EINVAL);
	assert_int_equal(kt_data_get_str(p.data, p.len, "nil", &s, &n), KT_EINVAL);
	assert_string_equal(s, "untouched");
	assert_int_equal(n, 99);
	free(p.data);
}

static void test_data_get_bool_int_number(void **state)
{
	(void)state;
	struct payload p = from_json(sample);
	int b = 7;
	int64_t i = 7;
	double d = 7;
	assert_int_equal(kt_data_get_bool(p.data, p.len, "forced", &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(kt_data_get_bool(p.data, p.len, "count", &b), KT_EINVAL);
	assert_int_equal(kt_data_get_bool(p.data, p.len, "absent", &b), KT_ENOTFOUND);

	assert_int_equal(kt_data_get_int(p.data, p.len, "count", &i), 0);
	assert_true(i == -17);
	assert_int_equal(kt_data_get_int(p.data, p.len, "amount", &i), KT_EINVAL);
	/* A whole number written as a real is not an integer. */
	assert_int_equal(kt_data_get_int(p.data, p.len, "big", &i), KT_EINVAL);
	assert_int_equal(kt_data_get_int(p.data, p.len, "order", &i), KT_EINVAL);
	assert_true(i == -17);

	assert_int_equal(kt_data_get_number(p.data, p.len, "amount", &d), 0);
	assert_true(d == 2.5);
	assert_int_equal(kt_data_get_number(p.data, p.len, "count", &d), 0);
	assert_true(d == -17.0);
	assert_int_equal(kt_data_get_number(p.data, p.len, "order", &d), KT_EINVAL);
	free(p.data);

	/* An unsigned integer beyond int64_t is no int64, but it is a number. */
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "n", 1);
	msgpack_pack_uint64(&pk, UINT64_MAX);
	assert_int_equal(kt_data_get_int((uint8_t *)sb.data, sb.size, "n", &i), KT_EINVAL);
	assert_int_equal(kt_data_get_number((uint8_t *)sb.data, sb.size, "n", &d), 0);
	assert_true(d == 18446744073709551615.0);
	msgpack_sbuffer_destroy(&sb);
}

static void test_data_get_date_is_strict(void **state)
{
	(void)state;
	struct payload p = from_json(sample);
	int64_t us = 0, want;
	assert_int_equal(kt_time_parse("2026-06-15", &want), 0);
	assert_int_equal(kt_data_get_date(p.data, p.len, "deadline", &us), 0);
	assert_true(us == want);
	us = 1;
	assert_int_equal(kt_data_get_date(p.data, p.len, "bad_date", &us), KT_EDATE);
	assert_int_equal(kt_data_get_date(p.data, p.len, "order", &us), KT_EDATE);
	assert_int_equal(kt_data_get_date(p.data, p.len, "count", &us), KT_EINVAL);
	assert_int_equal(kt_data_get_date(p.data, p.len, "absent", &us), KT_ENOTFOUND);
	assert_true(us == 1);
	free(p.data);

	static const char *const bad[] = { "2026-06-15T00:00", "2026-06-15Z", "2026-6-15",
					   "20260615",	       " 2026-06-15", "2026-06-1a",
					   "2026/06/15",       "2025-02-29",  "" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		us = 1;
		assert_int_equal(kt_data_parse_date(bad[k], strlen(bad[k]), &us), KT_EDATE);
		assert_true(us == 1);
	}
	/* Only n bytes count; no terminator needed. */
	assert_int_equal(kt_data_parse_date("2024-02-29xyz", 10, &us), 0);
	assert_int_equal(kt_time_parse("2024-02-29", &want), 0);
	assert_true(us == want);
}

/* The catalogues' date_precision, and the day for anything else. */
static void test_data_date_precision(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		enum kt_date_precision want;
	} cases[] = {
		{ "{\"date\": \"2025-08-01\", \"date_precision\": \"month\"}", KT_DATE_MONTH },
		{ "{\"date_precision\": \"year\"}", KT_DATE_YEAR },
		{ "{\"date_precision\": \"on_or_before\"}", KT_DATE_ON_OR_BEFORE },
		{ "{\"date_precision\": \"day\"}", KT_DATE_DAY },
		{ "{\"date\": \"2025-08-01\"}", KT_DATE_DAY },
		{ "{\"date_precision\": \"Month\"}", KT_DATE_DAY },
		{ "{\"date_precision\": \"on_or\"}", KT_DATE_DAY },
		{ "{\"date_precision\": 2}", KT_DATE_DAY },
		{ "{\"deadline_precision\": \"month\"}", KT_DATE_DAY },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct payload p = from_json(cases[k].json);
		if (kt_date_precision_of(p.data, p.len) != cases[k].want)
			fail_msg("%s: precision %d, expected %d", cases[k].json,
				 (int)kt_date_precision_of(p.data, p.len), (int)cases[k].want);
		free(p.data);
	}
}

static void test_data_get_map_and_array(void **state)
{
	(void)state;
	struct payload p = from_json(sample);
	const uint8_t *map = NULL;
	size_t n = 0;
	assert_int_equal(kt_data_get_map(p.data, p.len, "data", &map, &n), 0);
	assert_true(map > p.data && map + n <= p.data + p.len);
	const char *s;
	size_t sn;
	assert_int_equal(kt_data_get_str(map, n, "text", &s, &sn), 0);
	assert_memory_equal(s, "ny tekst", sn);
	assert_int_equal(kt_data_get_map(p.data, p.len, "order", &map, &n), KT_EINVAL);
	assert_int_equal(kt_data_get_map(p.data, p.len, "absent", &map, &n), KT_ENOTFOUND);

	struct kt_mp items;
	uint32_t count = 0;
	assert_int_equal(kt_data_get_array(p.data, p.len, "documents", &items, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(kt_mp_read_str(&items, &s, &sn), 0);
	assert_memory_equal(s, "a.pdf", sn);
	assert_int_equal(kt_mp_read_str(&items, &s, &sn), 0);
	assert_memory_equal(s, "b.pdf", sn);
	assert_int_equal(kt_data_get_array(p.data, p.len, "order", &items, &count), KT_EINVAL);
	free(p.data);
}

static void test_data_find_takes_the_first_of_repeated_keys(void **state)
{
	(void)state;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "k", 1);
	msgpack_pack_str_with_body(&pk, "first", 5);
	msgpack_pack_str_with_body(&pk, "k", 1);
	msgpack_pack_str_with_body(&pk, "second", 6);
	const char *s;
	size_t n;
	assert_int_equal(kt_data_get_str((uint8_t *)sb.data, sb.size, "k", &s, &n), 0);
	assert_memory_equal(s, "first", n);
	msgpack_sbuffer_destroy(&sb);
}

/* ---- hostile bytes ------------------------------------------------------ */

static void test_data_refuses_what_is_not_a_map(void **state)
{
	(void)state;
	const char *s;
	size_t n;
	assert_int_equal(kt_data_get_str((const uint8_t *)"", 0, "k", &s, &n), KT_EMALFORMED);
	assert_int_equal(kt_data_get_str((const uint8_t *)"\x91\xa1k", 3, "k", &s, &n),
			 KT_EMALFORMED);
	/* A key that is not text. */
	assert_int_equal(kt_data_get_str((const uint8_t *)"\x81\x01\x02", 3, "k", &s, &n),
			 KT_EMALFORMED);
	/* The value of an earlier key is truncated. */
	assert_int_equal(kt_data_get_str((const uint8_t *)"\x82\xa1j\xa5xy", 6, "k", &s, &n),
			 KT_EMALFORMED);
}

static void test_data_every_truncation_stays_in_bounds(void **state)
{
	(void)state;
	struct payload p = from_json(sample);
	static const char *const fields[] = { "order", "deadline",  "forced", "count", "amount",
					      "big",   "documents", "data",   "nil",   "absent" };
	for (size_t n = 0; n <= p.len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, p.data, n);
		for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
			struct kt_mp r;
			const uint8_t *map;
			size_t mn;
			int rc = kt_data_find(copy, n, fields[k], &r);
			assert_true(rc == 0 || rc == KT_ENOTFOUND || rc == KT_EMALFORMED);
			rc = kt_data_get_map(copy, n, fields[k], &map, &mn);
			assert_true(rc == 0 || rc == KT_ENOTFOUND || rc == KT_EMALFORMED ||
				    rc == KT_EINVAL);
			if (rc == 0)
				assert_true(map >= copy && map + mn <= copy + n);
		}
		free(copy);
	}
	free(p.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_get_str_points_into_the_payload),
		cmocka_unit_test(test_data_get_bool_int_number),
		cmocka_unit_test(test_data_get_date_is_strict),
		cmocka_unit_test(test_data_date_precision),
		cmocka_unit_test(test_data_get_map_and_array),
		cmocka_unit_test(test_data_find_takes_the_first_of_repeated_keys),
		cmocka_unit_test(test_data_refuses_what_is_not_a_map),
		cmocka_unit_test(test_data_every_truncation_stays_in_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
