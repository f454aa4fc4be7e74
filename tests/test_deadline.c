/*
 * test_deadline.c — deadline wording → day and precision: every accepted
 * form (ISO and dotted days, day with a month name, months, primo, medio,
 * ultimo and their spelled-out forms, years), the leading words, case and
 * spacing, leap years; impossible days and anything else refused with the
 * output untouched. Input is handed over in exactly sized heap copies without
 * a NUL terminator, so a read past len shows up under ASan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/deadline.h"
#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

static int parse_exact(const char *text, size_t len, struct kt_deadline *out)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, text, len);
	int rc = kt_deadline_parse(copy, len, out);
	free(copy);
	return rc;
}

struct want {
	const char *text;
	const char *date;
	enum kt_deadline_precision precision;
};

static void expect_all(const struct want *w, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		struct kt_deadline d;
		int rc = parse_exact(w[k].text, strlen(w[k].text), &d);
		if (rc)
			fail_msg("'%s': got %d, want %s", w[k].text, rc, w[k].date);
		if (strcmp(d.date, w[k].date) != 0 || d.precision != w[k].precision)
			fail_msg("'%s': got %s %s, want %s %s", w[k].text, d.date,
				 kt_deadline_precision_name(d.precision), w[k].date,
				 kt_deadline_precision_name(w[k].precision));
		int64_t us;
		assert_int_equal(kt_time_parse(w[k].date, &us), 0);
		assert_true(d.us == us);
		char y[5];
		memcpy(y, w[k].date, 4);
		y[4] = '\0';
		assert_int_equal(d.year, atoi(y));
		assert_int_equal(d.month, atoi(w[k].date + 5));
		assert_int_equal(d.day, atoi(w[k].date + 8));
	}
}

static void expect_refused(const char *const *texts, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		struct kt_deadline d, before;
		memset(&d, 0x5a, sizeof d);
		before = d;
		int rc = parse_exact(texts[k], strlen(texts[k]), &d);
		if (rc != KT_EDATE)
			fail_msg("'%s': got %d (%s), want KT_EDATE", texts[k], rc,
				 rc ? "" : d.date);
		assert_memory_equal(&d, &before, sizeof d);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- accepted forms --------------------------------------------------- */

static void test_deadline_parse_exact_days(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "2026-06-15", "2026-06-15", KT_DEADLINE_DAY },
		{ "15.06.2026", "2026-06-15", KT_DEADLINE_DAY },
		{ "15.6.2026", "2026-06-15", KT_DEADLINE_DAY },
		{ "1.6.2026", "2026-06-01", KT_DEADLINE_DAY },
		{ "15.06.26", "2026-06-15", KT_DEADLINE_DAY },
		{ "14.02.25", "2025-02-14", KT_DEADLINE_DAY },
		{ "31. desember 2025", "2025-12-31", KT_DEADLINE_DAY },
		{ "15 juni 2026", "2026-06-15", KT_DEADLINE_DAY },
		{ "1. mars 2026", "2026-03-01", KT_DEADLINE_DAY },
		{ "29.02.2028", "2028-02-29", KT_DEADLINE_DAY },
		{ "29. februar 2000", "2000-02-29", KT_DEADLINE_DAY },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_medio_is_the_15th(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "medio juni 2026", "2026-06-15", KT_DEADLINE_MID_MONTH },
		{ "innen medio juni 2026", "2026-06-15", KT_DEADLINE_MID_MONTH },
		{ "midten av februar 2027", "2027-02-15", KT_DEADLINE_MID_MONTH },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_month_is_its_last_day(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "februar 2026", "2026-02-28", KT_DEADLINE_MONTH },
		{ "februar 2028", "2028-02-29", KT_DEADLINE_MONTH }, /* leap year */
		{ "februar 2100", "2100-02-28", KT_DEADLINE_MONTH }, /* not one */
		{ "februar 2000", "2000-02-29", KT_DEADLINE_MONTH }, /* one again */
		{ "april 2026", "2026-04-30", KT_DEADLINE_MONTH },
		{ "desember 2025", "2025-12-31", KT_DEADLINE_MONTH },
		{ "ultimo mars 2026", "2026-03-31", KT_DEADLINE_MONTH },
		{ "innen utgangen av september 2026", "2026-09-30", KT_DEADLINE_MONTH },
		{ "slutten av juni 2026", "2026-06-30", KT_DEADLINE_MONTH },
		{ "i l\xc3\xb8pet av mai 2026", "2026-05-31", KT_DEADLINE_MONTH },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_primo_is_the_10th(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "primo april 2026", "2026-04-10", KT_DEADLINE_EARLY_MONTH },
		{ "begynnelsen av januar 2027", "2027-01-10", KT_DEADLINE_EARLY_MONTH },
		{ "starten av mai 2026", "2026-05-10", KT_DEADLINE_EARLY_MONTH },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_year_is_31_december(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "2026", "2026-12-31", KT_DEADLINE_YEAR },
		{ "innen 2025", "2025-12-31", KT_DEADLINE_YEAR },
		{ "innen utgangen av 2026", "2026-12-31", KT_DEADLINE_YEAR },
		{ "ultimo 2026", "2026-12-31", KT_DEADLINE_YEAR },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_leading_words(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "innen 31. desember 2025", "2025-12-31", KT_DEADLINE_DAY },
		{ "frist 14.02.25", "2025-02-14", KT_DEADLINE_DAY },
		{ "frist: 14.02.25", "2025-02-14", KT_DEADLINE_DAY },
		{ "fristen 14.02.25", "2025-02-14", KT_DEADLINE_DAY },
		{ "senest 1. mars 2026", "2026-03-01", KT_DEADLINE_DAY },
		{ "innen den 15. juni 2026", "2026-06-15", KT_DEADLINE_DAY },
		{ "frist innen medio juni 2026", "2026-06-15", KT_DEADLINE_MID_MONTH },
		{ "within 2026-06-15", "2026-06-15", KT_DEADLINE_DAY },
		{ "by 2026-06-15", "2026-06-15", KT_DEADLINE_DAY },
		{ "innen 31. desember 2025.", "2025-12-31", KT_DEADLINE_DAY },
		{ "februar 2026.", "2026-02-28", KT_DEADLINE_MONTH },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_ignores_case_and_spacing(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "Innen Medio Juni 2026", "2026-06-15", KT_DEADLINE_MID_MONTH },
		{ "INNEN MEDIO JUNI 2026", "2026-06-15", KT_DEADLINE_MID_MONTH },
		{ "  februar\t 2026 \n", "2026-02-28", KT_DEADLINE_MONTH },
		{ "Februar 2026", "2026-02-28", KT_DEADLINE_MONTH },
		{ "31. DESEMBER 2025", "2025-12-31", KT_DEADLINE_DAY },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_month_abbreviations(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "15. des. 2025", "2025-12-15", KT_DEADLINE_DAY },
		{ "15. des 2025", "2025-12-15", KT_DEADLINE_DAY },
		{ "medio jun. 2026", "2026-06-15", KT_DEADLINE_MID_MONTH },
		{ "feb. 2026", "2026-02-28", KT_DEADLINE_MONTH },
		{ "sept. 2026", "2026-09-30", KT_DEADLINE_MONTH },
		{ "sep 2026", "2026-09-30", KT_DEADLINE_MONTH },
		{ "okt 2026", "2026-10-31", KT_DEADLINE_MONTH },
		{ "Jan. 2027", "2027-01-31", KT_DEADLINE_MONTH },
		{ "mai 2026", "2026-05-31", KT_DEADLINE_MONTH },
	};
	expect_all(w, N(w));
}

static void test_deadline_parse_every_month_name(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "januar 2026", "2026-01-31", KT_DEADLINE_MONTH },
		{ "februar 2026", "2026-02-28", KT_DEADLINE_MONTH },
		{ "mars 2026", "2026-03-31", KT_DEADLINE_MONTH },
		{ "april 2026", "2026-04-30", KT_DEADLINE_MONTH },
		{ "mai 2026", "2026-05-31", KT_DEADLINE_MONTH },
		{ "juni 2026", "2026-06-30", KT_DEADLINE_MONTH },
		{ "juli 2026", "2026-07-31", KT_DEADLINE_MONTH },
		{ "august 2026", "2026-08-31", KT_DEADLINE_MONTH },
		{ "september 2026", "2026-09-30", KT_DEADLINE_MONTH },
		{ "oktober 2026", "2026-10-31", KT_DEADLINE_MONTH },
		{ "november 2026", "2026-11-30", KT_DEADLINE_MONTH },
		{ "desember 2026", "2026-12-31", KT_DEADLINE_MONTH },
	};
	expect_all(w, N(w));
}

/* ---- refused ------------------------------------------------------------ */

static void test_deadline_refuses_impossible_days(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"30.02.2026", "29.02.2025",	  "29.02.2100",	     "31.04.2026",  "32.01.2026",
		"00.01.2026", "15.13.2026",	  "15.00.2026",	     "2025-02-29",  "2026-02-30",
		"2026-13-01", "29. februar 2025", "31. april 2026",  "0. mai 2026", "1899",
		"31.12.1899", "15.06.0026",	  "medio juni 1899",
	};
	expect_refused(bad, N(bad));
}

static void test_deadline_refuses_other_text(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"   ",
		"innen",
		"frist innen",
		"juni",
		"medio juni",
		"15. juni",
		"medio 2026",
		"primo 2026",
		"medio",
		"v\xc3\xa5ren 2026",
		"uke 24 2026",
		"innen tre uker",
		"ved oppstart av neste skoleår",
		"15/06/2026",
		"2026-6-15",
		"2026-06-15T12:00",
		"15.06.2026 kl 12",
		"medio juni 2026 eller senere",
		"juni medio 2026",
		"2026 juni",
		"15.06.126",
		"15..2026",
		"15.06",
		"15.06.",
		"1.2.3.4",
		"june 2026",
		"medio juni 26",
		"junii 2026",
		"des.. 2026",
		"februar. 2026",
		"2026..",
		"innen innen",
		"-15.06.2026",
		"+2026",
		"20266",
		"15. juni 2026 2027",
		"midten juni 2026",
		"utgangen 2026",
	};
	expect_refused(bad, N(bad));
}

static void test_deadline_refuses_nul_and_long_text(void **state)
{
	(void)state;
	struct kt_deadline d, before;
	memset(&d, 0x5a, sizeof d);
	before = d;
	/* A NUL byte inside the counted text is part of it, not its end. */
	assert_int_equal(parse_exact("2026-06-15\0", 11, &d), KT_EDATE);
	assert_int_equal(parse_exact("2026\0-06-15", 11, &d), KT_EDATE);
	/* Only len bytes count: a valid prefix of a longer buffer is read as is. */
	assert_int_equal(parse_exact("2026-06-15xyz", 10, &d), 0);
	assert_string_equal(d.date, "2026-06-15");
	d = before;

	char text[KT_DEADLINE_TEXT_MAX + 20];
	memset(text, ' ', sizeof text);
	memcpy(text + sizeof text - 10, "2026-06-15", 10);
	assert_int_equal(parse_exact(text, sizeof text, &d), KT_EDATE);
	assert_memory_equal(&d, &before, sizeof d);
	/* Within the limit the same padding is fine. */
	assert_int_equal(parse_exact(text + 30, sizeof text - 30, &d), 0);

	/* Too many words, and a word too long to be any of ours. */
	const char *many = "innen innen innen innen innen innen innen innen innen innen innen "
			   "innen 2026";
	d = before;
	assert_int_equal(parse_exact(many, strlen(many), &d), KT_EDATE);
	const char *longword = "innenxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 2026";
	assert_int_equal(parse_exact(longword, strlen(longword), &d), KT_EDATE);
	assert_memory_equal(&d, &before, sizeof d);
}

static void test_deadline_refuses_every_truncation(void **state)
{
	(void)state;
	/* Every proper prefix is either refused or a valid shorter deadline;
	 * none reads past its end (ASan). */
	const char *full = "innen utgangen av desember 2025";
	for (size_t n = 0; n <= strlen(full); n++) {
		struct kt_deadline d;
		int rc = parse_exact(full, n, &d);
		assert_true(rc == 0 || rc == KT_EDATE);
	}
}

/* ---- precision names and fits ------------------------------------------ */

static void test_deadline_precision_names_round_trip(void **state)
{
	(void)state;
	static const char *const names[] = { "day", "early_month", "mid_month", "month", "year" };
	for (int k = 0; k < 5; k++) {
		enum kt_deadline_precision p = KT_DEADLINE_YEAR;
		assert_string_equal(kt_deadline_precision_name((enum kt_deadline_precision)k),
				    names[k]);
		assert_int_equal(kt_deadline_precision_parse(names[k], strlen(names[k]), &p), 0);
		assert_int_equal(p, k);
	}
	enum kt_deadline_precision p = KT_DEADLINE_MONTH;
	assert_int_equal(kt_deadline_precision_parse("days", 4, &p), KT_EINVAL);
	assert_int_equal(kt_deadline_precision_parse("da", 2, &p), KT_EINVAL);
	assert_int_equal(kt_deadline_precision_parse("Day", 3, &p), KT_EINVAL);
	assert_int_equal(p, KT_DEADLINE_MONTH);
}

static void test_deadline_fits_the_stored_day(void **state)
{
	(void)state;
	assert_true(kt_deadline_fits(2026, 6, 3, KT_DEADLINE_DAY));
	assert_false(kt_deadline_fits(2026, 2, 30, KT_DEADLINE_DAY));
	assert_true(kt_deadline_fits(2026, 4, 10, KT_DEADLINE_EARLY_MONTH));
	assert_false(kt_deadline_fits(2026, 4, 5, KT_DEADLINE_EARLY_MONTH));
	assert_true(kt_deadline_fits(2026, 6, 15, KT_DEADLINE_MID_MONTH));
	assert_false(kt_deadline_fits(2026, 6, 30, KT_DEADLINE_MID_MONTH));
	assert_true(kt_deadline_fits(2026, 2, 28, KT_DEADLINE_MONTH));
	assert_false(kt_deadline_fits(2028, 2, 28, KT_DEADLINE_MONTH));
	assert_true(kt_deadline_fits(2028, 2, 29, KT_DEADLINE_MONTH));
	assert_true(kt_deadline_fits(2026, 12, 31, KT_DEADLINE_YEAR));
	assert_false(kt_deadline_fits(2026, 11, 30, KT_DEADLINE_YEAR));
	assert_false(kt_deadline_fits(1899, 12, 31, KT_DEADLINE_YEAR));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_parse_exact_days),
		cmocka_unit_test(test_deadline_parse_medio_is_the_15th),
		cmocka_unit_test(test_deadline_parse_month_is_its_last_day),
		cmocka_unit_test(test_deadline_parse_primo_is_the_10th),
		cmocka_unit_test(test_deadline_parse_year_is_31_december),
		cmocka_unit_test(test_deadline_parse_leading_words),
		cmocka_unit_test(test_deadline_parse_ignores_case_and_spacing),
		cmocka_unit_test(test_deadline_parse_month_abbreviations),
		cmocka_unit_test(test_deadline_parse_every_month_name),
		cmocka_unit_test(test_deadline_refuses_impossible_days),
		cmocka_unit_test(test_deadline_refuses_other_text),
		cmocka_unit_test(test_deadline_refuses_nul_and_long_text),
		cmocka_unit_test(test_deadline_refuses_every_truncation),
		cmocka_unit_test(test_deadline_precision_names_round_trip),
		cmocka_unit_test(test_deadline_fits_the_stored_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
