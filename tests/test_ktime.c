/*
 * test_ktime.c — strict time parsing and UTC formatting: every accepted form,
 * every kind of impossible or ill-formed text (which must leave the output
 * alone), leap years, round trips, and times before 1970.
 *
 * Expected values were computed independently (Python's datetime).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <string.h>
#include <time.h>

#define SENTINEL INT64_C(0x5e5e5e5e5e5e)

static int64_t parse_ok(const char *text)
{
	int64_t us = SENTINEL;
	int rc = kt_time_parse(text, &us);
	if (rc != KT_OK)
		fail_msg("kt_time_parse(\"%s\") = %d, want success", text, rc);
	return us;
}

static void assert_parses_to(const char *text, int64_t want)
{
	int64_t got = parse_ok(text);
	if (got != want)
		fail_msg("kt_time_parse(\"%s\") = %lld, want %lld", text, (long long)got,
			 (long long)want);
}

static void assert_rejected(const char *text)
{
	int64_t us = SENTINEL;
	int rc = kt_time_parse(text, &us);
	if (rc != KT_EDATE)
		fail_msg("kt_time_parse(\"%s\") = %d, want KT_EDATE", text, rc);
	if (us != SENTINEL)
		fail_msg("kt_time_parse(\"%s\") wrote its output on error", text);
}

static void assert_formats_to(int64_t us, const char *want)
{
	char text[KT_TIME_TEXT_MAX];
	kt_time_format(us, text);
	assert_string_equal(text, want);
}

/* ---- accepted forms --------------------------------------------------- */

static void test_time_parses_date_as_midnight_utc(void **state)
{
	(void)state;
	assert_parses_to("2025-03-14", INT64_C(1741910400000000));
	assert_parses_to("1970-01-01", 0);
	assert_parses_to("9999-12-31", INT64_C(253402214400000000));
}

static void test_time_parses_minutes_seconds_and_fractions(void **state)
{
	(void)state;
	assert_parses_to("2025-03-14T09:30", INT64_C(1741944600000000));
	assert_parses_to("2025-03-14T09:30:15", INT64_C(1741944615000000));
	assert_parses_to("2025-03-14T09:30:15.123456", INT64_C(1741944615123456));
	assert_parses_to("2025-03-14T09:30:15.5", INT64_C(1741944615500000));
	assert_parses_to("2025-03-14T09:30:15.12345", INT64_C(1741944615123450));
	assert_parses_to("2025-03-14T09:30:15.000001", INT64_C(1741944615000001));
	assert_parses_to("2025-03-14T09:30:15.0", INT64_C(1741944615000000));
	assert_parses_to("2025-03-14T00:00:00", INT64_C(1741910400000000));
	assert_parses_to("2025-03-14T23:59:59.999999", INT64_C(1741996799999999));
}

static void test_time_accepts_space_for_t(void **state)
{
	(void)state;
	assert_parses_to("2025-03-14 09:30", INT64_C(1741944600000000));
	assert_parses_to("2025-03-14 09:30:15.123456Z", INT64_C(1741944615123456));
}

static void test_time_parses_z_and_offsets(void **state)
{
	(void)state;
	assert_parses_to("2025-03-14T09:30Z", INT64_C(1741944600000000));
	assert_parses_to("2025-03-14T09:30:15Z", INT64_C(1741944615000000));
	assert_parses_to("2025-03-14T09:30:15.123456Z", INT64_C(1741944615123456));
	assert_parses_to("2025-03-14T09:30+00:00", INT64_C(1741944600000000));
	assert_parses_to("2025-03-14T09:30-00:00", INT64_C(1741944600000000));
	/* Offsets east of UTC are subtracted, west added, across the date. */
	assert_parses_to("2025-01-01T01:00+02:00", INT64_C(1735686000000000));
	assert_parses_to("2025-01-01T10:00-05:30", INT64_C(1735745400000000));
	assert_parses_to("2025-03-14T09:30:15.5+01:00", INT64_C(1741941015500000));
	assert_parses_to("2025-03-14T09:30+23:59",
			 INT64_C(1741944600000000) - (23 * 3600 + 59 * 60) * KT_US_PER_SEC);
}

static void test_time_accepts_fractions_of_one_to_six_digits(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"2000-01-01T00:00:00.1",     "2000-01-01T00:00:00.12",
		"2000-01-01T00:00:00.123",   "2000-01-01T00:00:00.1234",
		"2000-01-01T00:00:00.12345", "2000-01-01T00:00:00.123456",
	};
	static const int64_t frac[] = { 100000, 120000, 123000, 123400, 123450, 123456 };
	const int64_t base = INT64_C(946684800000000);
	for (int k = 0; k < 6; k++)
		assert_parses_to(texts[k], base + frac[k]);
	assert_rejected("2000-01-01T00:00:00.1234567");
	assert_rejected("2000-01-01T00:00:00.1234560");
	assert_rejected("2000-01-01T00:00:00.1234567Z");
}

/* ---- rejected text ---------------------------------------------------- */

static void test_time_rejects_impossible_dates_and_leaves_output_untouched(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"2025-02-29", /* not a leap year */
		"2024-02-30",
		"2025-13-01",
		"2025-00-10",
		"2025-04-31",
		"2025-06-31",
		"2025-09-31",
		"2025-11-31",
		"2025-01-00",
		"2025-01-32",
		"1899-12-31", /* before the supported range */
		"0000-01-01",
		"2025-01-01T24:00",
		"2025-01-01T23:60",
		"2025-01-01T23:59:60",
		"2025-01-01T99:00:00",
		"2025-01-01T10:00+24:00",
		"2025-01-01T10:00+01:60",
	};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		assert_rejected(texts[k]);
}

static void test_time_rejects_ill_formed_text(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"",
		" ",
		"2025",
		"2025-01",
		"2025-1-01",
		"2025-01-1",
		"25-01-01",
		"2025/01/01",
		" 2025-01-01",
		"+2025-01-01",
		"-2025-01-01",
		"2025-01-01x",
		"2025-01-01 ",
		"2025-01-01T",
		"2025-01-01T10",
		"2025-01-01T10:0",
		"2025-01-01T1:00",
		"2025-01-01T10:00:",
		"2025-01-01T10:00:0",
		"2025-01-01T10:00:00.",
		"2025-01-01T10:00:00.Z",
		"2025-01-01T10:00.5", /* a fraction needs seconds */
		"2025-01-01T10:00:00,5",
		"2025-01-01T10:00 ",
		"2025-01-01T10:00Zjunk",
		"2025-01-01T10:00z",
		"2025-01-01T10:00+2:00",
		"2025-01-01T10:00+0100",
		"2025-01-01T10:00+01",
		"2025-01-01T10:00+01:00Z",
		"2025-01-01T10:00:00.5Z+01:00",
		"2025-01-01t10:00",
		"2025-01-01T10:00:00.123456789",
		"２０２５-01-01",
	};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
		assert_rejected(texts[k]);
}

static void test_time_knows_leap_years(void **state)
{
	(void)state;
	assert_parses_to("2024-02-29", INT64_C(1709164800000000));
	assert_parses_to("2000-02-29", INT64_C(951782400000000));
	assert_parses_to("2400-02-29", INT64_C(13574563200000000));
	assert_rejected("1900-02-29"); /* divisible by 100, not by 400 */
	assert_rejected("2100-02-29");
	assert_rejected("2023-02-29");
	/* The day after the leap day. */
	assert_parses_to("2024-03-01", INT64_C(1709164800000000) + KT_US_PER_DAY);
	assert_parses_to("1900-03-01", INT64_C(-2208988800000000) + 59 * KT_US_PER_DAY);
}

/* ---- days from civil -------------------------------------------------- */

static void test_time_days_from_civil_matches_known_days(void **state)
{
	(void)state;
	assert_int_equal(kt_time_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(kt_time_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(kt_time_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(kt_time_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(kt_time_days_from_civil(1900, 1, 1), -25567);
	assert_int_equal(kt_time_days_from_civil(1, 1, 1), -719162);
	assert_int_equal(kt_time_days_from_civil(2025, 3, 14), 20161);
}

/* ---- formatting ------------------------------------------------------- */

static void test_time_format_writes_utc_with_microseconds(void **state)
{
	(void)state;
	assert_formats_to(0, "1970-01-01T00:00:00.000000Z");
	assert_formats_to(INT64_C(1741944615123456), "2025-03-14T09:30:15.123456Z");
	assert_formats_to(INT64_C(1709164800000000), "2024-02-29T00:00:00.000000Z");
	assert_formats_to(INT64_C(253402300799999999), "9999-12-31T23:59:59.999999Z");
	char text[KT_TIME_TEXT_MAX];
	kt_time_format(INT64_C(253402300799999999), text);
	assert_true(strlen(text) < KT_TIME_TEXT_MAX);
}

static void test_time_format_date_writes_the_utc_day(void **state)
{
	(void)state;
	char text[KT_TIME_TEXT_MAX];
	kt_time_format_date(INT64_C(1741996799999999), text);
	assert_string_equal(text, "2025-03-14");
	kt_time_format_date(INT64_C(1741996800000000), text);
	assert_string_equal(text, "2025-03-15");
	kt_time_format_date(-1, text);
	assert_string_equal(text, "1969-12-31");
	kt_time_format_date(-KT_US_PER_DAY, text);
	assert_string_equal(text, "1969-12-31");
	kt_time_format_date(-KT_US_PER_DAY - 1, text);
	assert_string_equal(text, "1969-12-30");
}

static void test_time_handles_times_before_1970(void **state)
{
	(void)state;
	assert_parses_to("1969-12-31T23:59:59.999999Z", -1);
	assert_parses_to("1969-12-31", -KT_US_PER_DAY);
	assert_parses_to("1969-07-20T20:17:40Z", INT64_C(-14182940000000));
	assert_parses_to("1900-01-01", INT64_C(-2208988800000000));
	assert_parses_to("1900-01-01T00:00:00+01:00",
			 INT64_C(-2208988800000000) - 3600 * KT_US_PER_SEC);
	assert_formats_to(-1, "1969-12-31T23:59:59.999999Z");
	assert_formats_to(-KT_US_PER_DAY, "1969-12-31T00:00:00.000000Z");
	assert_formats_to(INT64_C(-14182940000000), "1969-07-20T20:17:40.000000Z");
	assert_formats_to(INT64_C(-2208988800000000), "1900-01-01T00:00:00.000000Z");
	assert_formats_to(INT64_C(-2208988800000001), "1899-12-31T23:59:59.999999Z");
}

static void test_time_format_round_trips_through_parse(void **state)
{
	(void)state;
	static const int64_t fixed[] = {
		0,
		1,
		-1,
		999999,
		-999999,
		INT64_C(1741944615123456),
		INT64_C(-14182940000000),
		INT64_C(-2208988800000000),
		INT64_C(253402300799999999),
		INT64_C(951868799999999),
	};
	char text[KT_TIME_TEXT_MAX];
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
		kt_time_format(fixed[k], text);
		assert_parses_to(text, fixed[k]);
	}
	/* A spread of values over the whole supported range. */
	const int64_t lo = INT64_C(-2208988800000000), hi = INT64_C(253402300799999999);
	uint64_t x = UINT64_C(88172645463325252);
	for (int k = 0; k < 20000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t us = lo + (int64_t)(x % (uint64_t)(hi - lo + 1));
		kt_time_format(us, text);
		assert_parses_to(text, us);
		/* And parse → format gives the same text back. */
		char again[KT_TIME_TEXT_MAX];
		kt_time_format(parse_ok(text), again);
		assert_string_equal(again, text);
	}
}

static void test_time_now_is_the_wall_clock(void **state)
{
	(void)state;
	int64_t before = (int64_t)time(NULL) * KT_US_PER_SEC;
	int64_t now = kt_time_now();
	int64_t after = ((int64_t)time(NULL) + 1) * KT_US_PER_SEC;
	assert_true(now >= before && now <= after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parses_date_as_midnight_utc),
		cmocka_unit_test(test_time_parses_minutes_seconds_and_fractions),
		cmocka_unit_test(test_time_accepts_space_for_t),
		cmocka_unit_test(test_time_parses_z_and_offsets),
		cmocka_unit_test(test_time_accepts_fractions_of_one_to_six_digits),
		cmocka_unit_test(test_time_rejects_impossible_dates_and_leaves_output_untouched),
		cmocka_unit_test(test_time_rejects_ill_formed_text),
		cmocka_unit_test(test_time_knows_leap_years),
		cmocka_unit_test(test_time_days_from_civil_matches_known_days),
		cmocka_unit_test(test_time_format_writes_utc_with_microseconds),
		cmocka_unit_test(test_time_format_date_writes_the_utc_day),
		cmocka_unit_test(test_time_handles_times_before_1970),
		cmocka_unit_test(test_time_format_round_trips_through_parse),
		cmocka_unit_test(test_time_now_is_the_wall_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
