/*
 * test_csv.c — the spreadsheet CSV reader: separator detection, every
 * dialect (; , tab), RFC 4180 quoting with separators, quotes and line
 * breaks inside fields, BOM, CRLF, blank rows, malformed quoting; header
 * columns by name; folding; every date form and bad dates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/csv.h"
#include "kontroll/error.h"

#include <string.h>

/* Parse the NUL-terminated text s into *t, expecting success. */
static void parse_ok(const char *s, struct kt_csv *t)
{
	char why[200] = "";
	int err = kt_csv_parse(s, strlen(s), t, why, sizeof why);
	if (err)
		print_error("kt_csv_parse: %d %s\n", err, why);
	assert_int_equal(err, KT_OK);
}

static void expect_row(const struct kt_csv *t, size_t k, uint64_t line, size_t n, ...)
{
	va_list ap;
	assert_true(k < t->n);
	assert_int_equal(t->rows[k].line, line);
	assert_int_equal(t->rows[k].n, n);
	va_start(ap, n);
	for (size_t f = 0; f < n; f++)
		assert_string_equal(t->rows[k].fields[f], va_arg(ap, const char *));
	va_end(ap);
}

static void test_csv_detects_the_separator_from_the_header_line(void **state)
{
	(void)state;
	assert_int_equal(kt_csv_detect_separator("a;b;c\n1,2,3,4,5\n", 16), ';');
	assert_int_equal(kt_csv_detect_separator("a,b,c\n", 6), ',');
	assert_int_equal(kt_csv_detect_separator("a\tb\tc\n", 6), '\t');
	assert_int_equal(kt_csv_detect_separator("\"a;b\",c\n", 8), ',');
	assert_int_equal(kt_csv_detect_separator("\xEF\xBB\xBF"
						 "a\tb,c\tx\n",
						 11),
			 '\t');
	assert_int_equal(kt_csv_detect_separator("a;b,c\n", 6), ';');
	assert_int_equal(kt_csv_detect_separator("alone\n", 6), ';');
	assert_int_equal(kt_csv_detect_separator("", 0), ';');
}

static void test_csv_parses_semicolon_files(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	parse_ok("Dato;Enhet\n23.01.25;Trondheim bydrift\n;x\n", &t);
	assert_int_equal(t.sep, ';');
	assert_int_equal(t.n, 3);
	expect_row(&t, 0, 1, 2, "Dato", "Enhet");
	expect_row(&t, 1, 2, 2, "23.01.25", "Trondheim bydrift");
	expect_row(&t, 2, 3, 2, "", "x");
	kt_csv_free(&t);
	assert_null(t.rows);
}

static void test_csv_parses_comma_files_with_a_last_empty_field(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	parse_ok("a,b,c\n1,2,\n1,,3", &t);
	assert_int_equal(t.sep, ',');
	assert_int_equal(t.n, 3);
	expect_row(&t, 1, 2, 3, "1", "2", "");
	expect_row(&t, 2, 3, 3, "1", "", "3");
	kt_csv_free(&t);
}

static void test_csv_parses_tab_files_keeping_semicolons_and_commas(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	parse_ok("a\tb\n1;2\t3,4\n", &t);
	assert_int_equal(t.sep, '\t');
	expect_row(&t, 1, 2, 2, "1;2", "3,4");
	kt_csv_free(&t);
}

static void test_csv_unquotes_separators_quotes_and_line_breaks(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	parse_ok("a;b;c\n\"x;y\";\"say \"\"hei\"\"\";\"two\nlines\"\n\"\";last\n", &t);
	assert_int_equal(t.n, 3);
	expect_row(&t, 1, 2, 3, "x;y", "say \"hei\"", "two\nlines");
	/* the row after a quoted line break starts on the line after it */
	expect_row(&t, 2, 4, 2, "", "last");
	kt_csv_free(&t);
	parse_ok("a,b\r\n\"1,5\",\"CRLF\r\ninside\"\r\n", &t);
	expect_row(&t, 1, 2, 2, "1,5", "CRLF\r\ninside");
	kt_csv_free(&t);
	/* a quote inside an unquoted field is kept as written */
	parse_ok("a;b\nsa \"hei\";2\n", &t);
	expect_row(&t, 1, 2, 2, "sa \"hei\"", "2");
	kt_csv_free(&t);
}

static void test_csv_skips_the_bom_and_takes_crlf(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	parse_ok("\xEF\xBB\xBF"
		 "Dato;Tema\r\n2024;Lærernormen\r\n\r\n2025;Arkiv\r\n",
		 &t);
	assert_int_equal(t.n, 3);
	expect_row(&t, 0, 1, 2, "Dato", "Tema");
	expect_row(&t, 1, 2, 2, "2024", "Lærernormen");
	expect_row(&t, 2, 4, 2, "2025", "Arkiv");
	kt_csv_free(&t);
	/* a lone CR inside a field stays; one at the end of the file ends it */
	parse_ok("a;b\n1\r2;3\r", &t);
	expect_row(&t, 1, 2, 2, "1\r2", "3");
	kt_csv_free(&t);
}

static void test_csv_drops_blank_rows(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	parse_ok("a;b\n\n;;\n \t; \n1;2\n;\n", &t);
	assert_int_equal(t.n, 2);
	expect_row(&t, 1, 5, 2, "1", "2");
	kt_csv_free(&t);
	parse_ok("", &t);
	assert_int_equal(t.n, 0);
	kt_csv_free(&t);
}

static void test_csv_refuses_bad_quoting_nul_bytes_and_too_many_fields(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	char why[200];
	const char *open = "a;b\n1;2\n\"never\nclosed;3\n";
	assert_int_equal(kt_csv_parse(open, strlen(open), &t, why, sizeof why), KT_EMALFORMED);
	assert_string_equal(why, "line 3: a quoted field is not closed");
	assert_int_equal(t.n, 0);
	assert_null(t.rows);
	kt_csv_free(&t);
	const char *after = "a;b\n\"x\"y;2\n";
	assert_int_equal(kt_csv_parse(after, strlen(after), &t, why, sizeof why), KT_EMALFORMED);
	assert_string_equal(why, "line 2: text after a closing quote");
	kt_csv_free(&t);
	const char nul[] = "a;b\n1;2\n3\0;4\n";
	assert_int_equal(kt_csv_parse(nul, sizeof nul - 1, &t, why, sizeof why), KT_EINVAL);
	assert_string_equal(why, "line 3: a NUL byte (is the file UTF-16?)");
	kt_csv_free(&t);
	char many[2 * KT_CSV_MAX_FIELDS + 8];
	memset(many, ';', sizeof many - 1);
	many[sizeof many - 1] = 0;
	assert_int_equal(kt_csv_parse(many, strlen(many), &t, why, sizeof why), KT_EMALFORMED);
	assert_string_equal(why, "line 1: more than 256 fields");
	kt_csv_free(&t);
}

static const struct kt_csv_column cols[] = {
	{ "tilsynsmyndighet|authority", 1 },
	{ "dato|date", 1 },
	{ "type|kind", 0 },
};

static void test_csv_finds_columns_by_any_name_and_case(void **state)
{
	(void)state;
	struct kt_csv t = KT_CSV_INIT;
	int index[3];
	char why[200];
	parse_ok("Merknad; DATO ;AUTHORITY\n", &t);
	assert_int_equal(kt_csv_find_columns(&t.rows[0], cols, 3, index, why, sizeof why), 0);
	assert_int_equal(index[0], 2);
	assert_int_equal(index[1], 1);
	assert_int_equal(index[2], -1);
	kt_csv_free(&t);
	parse_ok("Tilsynsmyndighet;Type;Enhet\n", &t);
	assert_int_equal(kt_csv_find_columns(&t.rows[0], cols, 3, index, why, sizeof why),
			 KT_EINVAL);
	assert_string_equal(why, "header: no column dato (or date)");
	kt_csv_free(&t);
	parse_ok("dato;authority;Date\n", &t);
	assert_int_equal(kt_csv_find_columns(&t.rows[0], cols, 3, index, why, sizeof why),
			 KT_EINVAL);
	assert_string_equal(why, "header: columns 1 and 3 both mean dato");
	kt_csv_free(&t);
}

static void test_csv_fold_ignores_case_and_blanks(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(kt_csv_fold("  Trondheim   BYDRIFT \t", out, sizeof out), 17);
	assert_string_equal(out, "trondheim bydrift");
	kt_csv_fold("ØKONOMIREGLEMENTET\xC2\xA0 ÆØÅ É", out, sizeof out);
	assert_string_equal(out, "økonomireglementet æøå é");
	kt_csv_fold("a\nb", out, sizeof out);
	assert_string_equal(out, "a b");
	/* cut at a character, never inside one */
	assert_int_equal(kt_csv_fold("abø", out, 4), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(kt_csv_fold("", out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void expect_date(const char *text, const char *from, const char *to, const char *precision)
{
	struct kt_csv_date d;
	int err = kt_csv_parse_date(text, strlen(text), &d);
	if (err)
		print_error("'%s' refused\n", text);
	assert_int_equal(err, KT_OK);
	assert_string_equal(d.from, from);
	assert_string_equal(d.to, to);
	assert_string_equal(d.precision, precision);
}

static void test_csv_dates_in_every_form(void **state)
{
	(void)state;
	expect_date("23.01.25", "2025-01-23", "", "day");
	expect_date("23.01.2025", "2025-01-23", "", "day");
	expect_date("2025-01-23", "2025-01-23", "", "day");
	expect_date("3.3.25", "2025-03-03", "", "day");
	expect_date(" 04.06.25 ", "2025-06-04", "", "day");
	expect_date("2024", "2024-01-01", "", "year");
	expect_date("03.2025", "2025-03-01", "", "month");
	expect_date("3.2025", "2025-03-01", "", "month");
	expect_date("2025-03", "2025-03-01", "", "month");
	expect_date("mars 2025", "2025-03-01", "", "month");
	expect_date(" Desember  2024 ", "2024-12-01", "", "month");
	expect_date("MAI 2026", "2026-05-01", "", "month");
	expect_date("29.02.24", "2024-02-29", "", "day");
	expect_date("01.01.25 - 31.12.25", "2025-01-01", "2025-12-31", "day");
	expect_date("01.01.25 – 31.12.25", "2025-01-01", "2025-12-31", "day");
	expect_date("01.01.25–31.12.25", "2025-01-01", "2025-12-31", "day");
	expect_date("2025-01-01 - 2025-12-31", "2025-01-01", "2025-12-31", "day");
	expect_date("01.01.2025 -31.12.2025", "2025-01-01", "2025-12-31", "day");
	expect_date("05.06.25 - 05.06.25", "2025-06-05", "2025-06-05", "day");
}

static void test_csv_refuses_bad_dates_leaving_the_output(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"31.02.25",
		"29.02.25",
		"32.01.25",
		"00.01.25",
		"01.13.25",
		"2025-02-30",
		"2025-1-5",
		"23.01.225",
		"23.01",
		"23/01/25",
		"1899",
		"0999-01-01",
		"24",
		"i fjor",
		"",
		" ",
		"2025 - 2026",
		"31.12.25 - 01.01.25",
		"01.01.25 -",
		"- 01.01.25",
		"01.01.25 - 2025",
		"23.01.25 x",
		"123.01.25",
		"23.001.25",
		"2025-01-23T10:00",
		"13.2025",
		"00.2025",
		"03.25",
		"2025-13",
		"2025-00",
		"2025-3",
		"mars 25",
		"marts 2025",
		"mars",
		"mars2025",
		"01.01.25 - mars 2025",
		"03.2025 - 04.2025",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		struct kt_csv_date d;
		memset(&d, 0x5a, sizeof d);
		if (kt_csv_parse_date(bad[k], strlen(bad[k]), &d) != KT_EDATE)
			fail_msg("'%s' accepted", bad[k]);
		for (size_t b = 0; b < sizeof d.from; b++)
			assert_int_equal((unsigned char)d.from[b], 0x5a);
	}
	/* the length is respected: not NUL-terminated input */
	struct kt_csv_date d;
	assert_int_equal(kt_csv_parse_date("23.01.25XYZ", 8, &d), KT_OK);
	assert_string_equal(d.from, "2025-01-23");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_detects_the_separator_from_the_header_line),
		cmocka_unit_test(test_csv_parses_semicolon_files),
		cmocka_unit_test(test_csv_parses_comma_files_with_a_last_empty_field),
		cmocka_unit_test(test_csv_parses_tab_files_keeping_semicolons_and_commas),
		cmocka_unit_test(test_csv_unquotes_separators_quotes_and_line_breaks),
		cmocka_unit_test(test_csv_skips_the_bom_and_takes_crlf),
		cmocka_unit_test(test_csv_drops_blank_rows),
		cmocka_unit_test(test_csv_refuses_bad_quoting_nul_bytes_and_too_many_fields),
		cmocka_unit_test(test_csv_finds_columns_by_any_name_and_case),
		cmocka_unit_test(test_csv_fold_ignores_case_and_blanks),
		cmocka_unit_test(test_csv_dates_in_every_form),
		cmocka_unit_test(test_csv_refuses_bad_dates_leaving_the_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
