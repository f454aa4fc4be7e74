/*
 * test_utf8.c — strict UTF-8 validation of stored names: every well-formed
 * length and the edges of each range are accepted; NUL, stray and missing
 * continuation bytes, overlong forms, surrogates, code points above U+10FFFF
 * and the bytes that never occur in UTF-8 are refused.
 *
 * Each case is checked from an exactly sized heap copy, so reading one byte
 * past the given length shows up under ASan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/utf8.h"

#include <stdlib.h>
#include <string.h>

struct sample {
	const char *what;
	const char *bytes;
	size_t len;
};

/* A case written as a string literal; its length is the literal's. */
#define S(what, lit)                                                                               \
	{                                                                                          \
		what, lit, sizeof lit - 1                                                          \
	}

/* kt_utf8_valid on an exactly sized copy of the n bytes at s. */
static int valid(const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	if (n)
		memcpy(copy, s, n);
	int ok = kt_utf8_valid(copy, n);
	free(copy);
	return ok;
}

static void expect_all(const struct sample *cases, size_t n, int want)
{
	for (size_t k = 0; k < n; k++) {
		int got = valid(cases[k].bytes, cases[k].len) != 0;
		if (got != want)
			fail_msg("%s: kt_utf8_valid gave %d, want %d", cases[k].what, got, want);
	}
}

/* ---- accepted --------------------------------------------------------- */

static void test_utf8_accepts_empty_and_ascii(void **state)
{
	(void)state;
	static const struct sample ok[] = {
		S("the empty string", ""),
		S("one letter", "a"),
		S("a stream name", "inspection-0193b8a4"),
		S("U+0001, the lowest non-NUL byte", "\x01"),
		S("U+007F, the highest one-byte code point", "\x7f"),
		S("punctuation and controls", "a\tb\n{\"k\": [1, 2]}\x1f"),
	};
	expect_all(ok, sizeof ok / sizeof ok[0], 1);
}

static void test_utf8_accepts_two_three_and_four_byte_sequences(void **state)
{
	(void)state;
	static const struct sample ok[] = {
		S("U+0080, the lowest two-byte code point", "\xc2\x80"),
		S("U+07FF, the highest two-byte code point", "\xdf\xbf"),
		S("Norwegian letters", "kvalitetsrådgiver Åse: æøå ÆØÅ"),
		S("U+0800, the lowest three-byte code point", "\xe0\xa0\x80"),
		S("U+D7FF, just below the surrogates", "\xed\x9f\xbf"),
		S("U+E000, just above the surrogates", "\xee\x80\x80"),
		S("U+20AC, the euro sign", "\xe2\x82\xac"),
		S("U+FFFF, the highest three-byte code point", "\xef\xbf\xbf"),
		S("U+10000, the lowest four-byte code point", "\xf0\x90\x80\x80"),
		S("U+1F600, an emoji", "\xf0\x9f\x98\x80"),
		S("U+10FFFF, the highest code point", "\xf4\x8f\xbf\xbf"),
		S("every length in a row", "a\xc3\xa6\xe2\x82\xac\xf0\x9f\x98\x80z"),
	};
	expect_all(ok, sizeof ok / sizeof ok[0], 1);
}

static void test_utf8_looks_only_at_the_given_length(void **state)
{
	(void)state;
	/* What follows the n bytes does not count, good or bad. */
	assert_int_not_equal(kt_utf8_valid("ab\xff", 2), 0);
	assert_int_not_equal(kt_utf8_valid("\xc3\xa6\x00", 2), 0);
	assert_int_not_equal(kt_utf8_valid("\xff", 0), 0);
	/* A sequence cut by n is truncated even when the bytes are there. */
	assert_int_equal(kt_utf8_valid("\xc3\xa6", 1), 0);
	assert_int_equal(kt_utf8_valid("\xf4\x8f\xbf\xbf", 3), 0);
}

/* ---- refused ---------------------------------------------------------- */

static void test_utf8_rejects_nul_anywhere(void **state)
{
	(void)state;
	static const struct sample bad[] = {
		S("a lone NUL", "\x00"),
		S("NUL first", "\x00"
			       "abc"),
		S("NUL inside", "ab\x00"
				"c"),
		S("NUL last", "abc\x00"),
		S("NUL after a two-byte letter", "\xc3\xa6\x00"),
		S("overlong NUL (modified UTF-8)", "\xc0\x80"),
	};
	expect_all(bad, sizeof bad / sizeof bad[0], 0);
}

static void test_utf8_rejects_lone_continuation_bytes(void **state)
{
	(void)state;
	static const struct sample bad[] = {
		S("0x80 alone", "\x80"),
		S("0xBF alone", "\xbf"),
		S("0x80 after ASCII", "abc\x80"),
		S("0xA6 without its lead", "\xa6"
					   "a"),
		S("one continuation too many", "\xc3\xa6\xa6"),
		S("a three-byte sequence plus one", "\xe2\x82\xac\x80"),
	};
	expect_all(bad, sizeof bad / sizeof bad[0], 0);
}

static void test_utf8_rejects_truncated_sequences(void **state)
{
	(void)state;
	static const struct sample bad[] = {
		S("a two-byte lead at the end", "abc\xc3"),
		S("a three-byte lead at the end", "abc\xe2"),
		S("three bytes, one missing", "abc\xe2\x82"),
		S("a four-byte lead at the end", "abc\xf0"),
		S("four bytes, one missing", "abc\xf0\x9f\x98"),
		S("four bytes, two missing", "abc\xf0\x9f"),
		S("a two-byte lead before ASCII", "\xc3"
						  "a"),
		S("three bytes, ASCII for the last", "\xe2\x82"
						     "a"),
		S("four bytes, ASCII for the third", "\xf0\x9f"
						     "ab"),
		S("four bytes, a lead for the last", "\xf0\x9f\x98\xc3\xa6"),
	};
	expect_all(bad, sizeof bad / sizeof bad[0], 0);
}

static void test_utf8_rejects_overlong_forms(void **state)
{
	(void)state;
	static const struct sample bad[] = {
		S("C0 80 (NUL in two bytes)", "\xc0\x80"),
		S("C1 BF (U+007F in two bytes)", "\xc1\xbf"),
		S("C0 AF ('/' in two bytes)", "\xc0\xaf"),
		S("E0 80 80 (NUL in three bytes)", "\xe0\x80\x80"),
		S("E0 9F BF (U+07FF in three bytes)", "\xe0\x9f\xbf"),
		S("F0 80 80 80 (NUL in four bytes)", "\xf0\x80\x80\x80"),
		S("F0 8F BF BF (U+FFFF in four bytes)", "\xf0\x8f\xbf\xbf"),
	};
	expect_all(bad, sizeof bad / sizeof bad[0], 0);
}

static void test_utf8_rejects_surrogates(void **state)
{
	(void)state;
	static const struct sample bad[] = {
		S("ED A0 80 (U+D800, first high surrogate)", "\xed\xa0\x80"),
		S("ED AF BF (U+DBFF, last high surrogate)", "\xed\xaf\xbf"),
		S("ED B0 80 (U+DC00, first low surrogate)", "\xed\xb0\x80"),
		S("ED BF BF (U+DFFF, last low surrogate)", "\xed\xbf\xbf"),
		S("a surrogate pair (CESU-8)", "\xed\xa0\xbd\xed\xb8\x80"),
	};
	expect_all(bad, sizeof bad / sizeof bad[0], 0);
}

static void test_utf8_rejects_code_points_above_10ffff(void **state)
{
	(void)state;
	static const struct sample bad[] = {
		S("F4 90 80 80 (U+110000)", "\xf4\x90\x80\x80"),
		S("F4 BF BF BF (U+13FFFF)", "\xf4\xbf\xbf\xbf"),
		S("F5 80 80 80 (U+140000)", "\xf5\x80\x80\x80"),
		S("F7 BF BF BF (U+1FFFFF)", "\xf7\xbf\xbf\xbf"),
	};
	expect_all(bad, sizeof bad / sizeof bad[0], 0);
}

static void test_utf8_rejects_bytes_f5_to_ff(void **state)
{
	(void)state;
	for (unsigned b = 0xf5; b <= 0xff; b++) {
		/* Alone, and followed by what would complete a sequence. */
		char alone[1] = { (char)b };
		char seq[4] = { (char)b, (char)0x80, (char)0x80, (char)0x80 };
		if (valid(alone, 1))
			fail_msg("byte 0x%02X alone was accepted", b);
		if (valid(seq, 4))
			fail_msg("byte 0x%02X before continuation bytes was accepted", b);
	}
	/* And every other byte that never starts a sequence: 80..C1. */
	for (unsigned b = 0x80; b <= 0xc1; b++) {
		char seq[2] = { (char)b, (char)0x80 };
		if (valid(seq, 2))
			fail_msg("byte 0x%02X as a lead was accepted", b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_accepts_empty_and_ascii),
		cmocka_unit_test(test_utf8_accepts_two_three_and_four_byte_sequences),
		cmocka_unit_test(test_utf8_looks_only_at_the_given_length),
		cmocka_unit_test(test_utf8_rejects_nul_anywhere),
		cmocka_unit_test(test_utf8_rejects_lone_continuation_bytes),
		cmocka_unit_test(test_utf8_rejects_truncated_sequences),
		cmocka_unit_test(test_utf8_rejects_overlong_forms),
		cmocka_unit_test(test_utf8_rejects_surrogates),
		cmocka_unit_test(test_utf8_rejects_code_points_above_10ffff),
		cmocka_unit_test(test_utf8_rejects_bytes_f5_to_ff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
