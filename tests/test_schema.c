/*
 * test_schema.c — the payload validator: every field kind accepted and
 * refused with its exact reason; unknown, duplicate, missing and null fields;
 * wrong msgpack types; payloads that are not a map; the order problems are
 * reported in; the cross-field check called only on a payload whose fields
 * passed; the quoting of values in reasons. Every truncation of a valid
 * payload and random mutations of it are given in exactly sized heap copies,
 * so a read out of bounds shows up under ASan.
 *
 * Payloads are written as JSON and converted with kt_json_to_data, as the
 * command layer will; what JSON cannot say (binary, NaN, non-text keys,
 * duplicate keys, invalid UTF-8) is packed with msgpack-c.
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
#include "kontroll/schema.h"

#include <math.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the schema under test -------------------------------------------- */

static const char *const kinds[] = { "lovbrudd", "avvik", "merknad", "forbedringspunkt", NULL };

static const struct kt_field fields[] = {
	{ .name = "text", .kind = KT_FIELD_TEXT, .flags = KT_FIELD_REQUIRED, .max_len = 10 },
	{ .name = "line", .kind = KT_FIELD_TEXT, .flags = KT_FIELD_LINE },
	{ .name = "long", .kind = KT_FIELD_TEXT },
	{ .name = "day", .kind = KT_FIELD_DATE },
	{ .name = "kind", .kind = KT_FIELD_ENUM, .values = kinds },
	{ .name = "flag", .kind = KT_FIELD_BOOL },
	{ .name = "count",
	  .kind = KT_FIELD_INTEGER,
	  .flags = KT_FIELD_RANGE,
	  .min = 1,
	  .max = 100 },
	{ .name = "big", .kind = KT_FIELD_INTEGER },
	{ .name = "amount",
	  .kind = KT_FIELD_NUMBER,
	  .flags = KT_FIELD_RANGE,
	  .min = 0,
	  .max = 1000 },
	{ .name = "ratio", .kind = KT_FIELD_NUMBER },
	{ .name = "docs", .kind = KT_FIELD_TEXTS, .max_len = 5, .max_items = 3 },
	{ .name = "lines",
	  .kind = KT_FIELD_INTEGERS,
	  .flags = KT_FIELD_RANGE,
	  .max_items = 3,
	  .min = 1,
	  .max = 9999 },
	{ .name = "target", .kind = KT_FIELD_ID },
	{ .name = "data", .kind = KT_FIELD_OBJECT },
	{ .name = "when", .kind = KT_FIELD_DATE, .flags = KT_FIELD_REQUIRED },
};

static const struct kt_schema schema = { "test.event", fields, sizeof fields / sizeof fields[0],
					 NULL };

/* A cross-field rule for the test: a payload holding the text
 * "needs-amount" is refused. Counts its calls. */
static int check_calls;

static int contains(const uint8_t *data, size_t len, const char *s)
{
	size_t n = strlen(s);
	for (size_t k = 0; k + n <= len; k++)
		if (memcmp(data + k, s, n) == 0)
			return 1;
	return 0;
}

static int ratio_needs_amount(const uint8_t *data, size_t len, char *why, size_t why_len)
{
	check_calls++;
	if (contains(data, len, "needs-amount")) {
		snprintf(why, why_len, "amount: required with ratio");
		return KT_EINVAL;
	}
	return KT_OK;
}

static const struct kt_schema checked = { "test.checked", fields, sizeof fields / sizeof fields[0],
					  ratio_needs_amount };

/* ---- helpers ---------------------------------------------------------- */

struct result {
	int rc;
	char why[256];
};

/* kt_schema_check on an exactly sized heap copy of len bytes. */
static struct result check_bytes(const struct kt_schema *s, const void *bytes, size_t len)
{
	struct result r;
	memset(&r, 0, sizeof r);
	strcpy(r.why, "untouched");
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, bytes, len);
	r.rc = kt_schema_check(s, copy, len, r.why, sizeof r.why);
	free(copy);
	return r;
}

/* JSON → msgpack → kt_schema_check. */
static struct result check_json_with(const struct kt_schema *s, const char *json)
{
	struct kt_buf b = KT_BUF_INIT(KT_DATA_MAX);
	char why[256];
	int rc = kt_json_to_data(json, strlen(json), &b, why, sizeof why);
	if (rc)
		fail_msg("test JSON does not parse: %s: %s", json, why);
	struct result r = check_bytes(s, b.data, b.len);
	kt_buf_free(&b);
	return r;
}

static struct result check_json(const char *json)
{
	return check_json_with(&schema, json);
}

#define REQUIRED "\"text\": \"t\", \"when\": \"2025-06-05\""

static void accepted(const char *json)
{
	struct result r = check_json(json);
	if (r.rc)
		fail_msg("%s: refused (%d): %s", json, r.rc, r.why);
	assert_string_equal(r.why, "");
}

static void refused(const char *json, const char *why)
{
	struct result r = check_json(json);
	if (r.rc != KT_EINVAL)
		fail_msg("%s: got %d (%s), want KT_EINVAL", json, r.rc, r.why);
	assert_string_equal(r.why, why);
}

/* A msgpack packer writing into a growable buffer. */
struct pack {
	msgpack_sbuffer sb;
	msgpack_packer pk;
};

static void pack_init(struct pack *p)
{
	msgpack_sbuffer_init(&p->sb);
	msgpack_packer_init(&p->pk, &p->sb, msgpack_sbuffer_write);
}

static void pack_str(struct pack *p, const char *s, size_t n)
{
	msgpack_pack_str_with_body(&p->pk, s, n);
}

static void pack_cstr(struct pack *p, const char *s)
{
	pack_str(p, s, strlen(s));
}

/* Start a map of n + 2 pairs with the two required fields already in it. */
static void pack_required(struct pack *p, size_t n)
{
	msgpack_pack_map(&p->pk, n + 2);
	pack_cstr(p, "text");
	pack_cstr(p, "t");
	pack_cstr(p, "when");
	pack_cstr(p, "2025-06-05");
}

static struct result check_pack(struct pack *p)
{
	struct result r = check_bytes(&schema, p->sb.data, p->sb.size);
	msgpack_sbuffer_destroy(&p->sb);
	return r;
}

/* ---- accepted ----------------------------------------------------------- */

static void test_schema_accepts_every_kind(void **state)
{
	(void)state;
	accepted("{" REQUIRED "}");
	accepted("{\"text\": \"0123456789\", \"when\": \"2024-02-29\", \"line\": \"én linje\", "
		 "\"long\": \"første linje\\nandre\\tlinje\\r\\n\", \"day\": \"2026-06-15\", "
		 "\"kind\": \"forbedringspunkt\", \"flag\": false, \"count\": 100, "
		 "\"big\": -9223372036854775808, \"amount\": 999.5, \"ratio\": -0.25, "
		 "\"docs\": [\"a\", \"æø\"], "
		 "\"target\": \"0190F2A4-7C1B-7D2E-8F3A-0123456789AB\", "
		 "\"data\": {\"nested\": [1, {\"deep\": null}], \"x\": true}}");
	accepted("{" REQUIRED ", \"docs\": [], \"data\": {}, \"count\": 1, \"amount\": 0}");
	accepted("{" REQUIRED ", \"big\": 9223372036854775807, \"amount\": 1000}");
	accepted("{" REQUIRED ", \"target\": \"0190f2a4-7c1b-7d2e-8f3a-0123456789ab\"}");
	/* Field order in the map does not matter. */
	accepted(
	    "{\"kind\": \"avvik\", \"when\": \"2025-01-01\", \"flag\": true, \"text\": \"x\"}");
}

/* ---- text ---------------------------------------------------------------- */

static void test_schema_text_limits(void **state)
{
	(void)state;
	refused("{\"text\": \"01234567890\", \"when\": \"2025-06-05\"}",
		"text: longer than 10 bytes");
	/* Bytes, not characters: five two-byte letters are ten bytes, six are not. */
	accepted("{\"text\": \"æææææ\", \"when\": \"2025-06-05\"}");
	refused("{\"text\": \"ææææææ\", \"when\": \"2025-06-05\"}", "text: longer than 10 bytes");
	refused("{\"text\": \"\", \"when\": \"2025-06-05\"}", "text: empty");
	refused("{\"text\": \" \\t\\r\\n \", \"when\": \"2025-06-05\"}", "text: empty");
	refused("{" REQUIRED ", \"line\": \"to\\nlinjer\"}",
		"line: must be one line, without control characters");
	refused("{" REQUIRED ", \"line\": \"tab\\there\"}",
		"line: must be one line, without control characters");
	refused("{" REQUIRED ", \"long\": \"bell\\u0007\"}", "long: contains a control character");
	refused("{" REQUIRED ", \"long\": \"del\\u007f\"}", "long: contains a control character");
	accepted("{" REQUIRED ", \"long\": \"tab\\tand\\nline\"}");

	/* The default maximum, KT_SCHEMA_TEXT_MAX bytes. */
	char *json = malloc(KT_SCHEMA_TEXT_MAX + 100);
	assert_non_null(json);
	for (int extra = 0; extra <= 1; extra++) {
		int o = sprintf(json, "{" REQUIRED ", \"long\": \"");
		memset(json + o, 'a', KT_SCHEMA_TEXT_MAX + extra);
		strcpy(json + o + KT_SCHEMA_TEXT_MAX + extra, "\"}");
		if (extra)
			refused(json, "long: longer than 4000 bytes");
		else
			accepted(json);
	}
	free(json);
}

static void test_schema_text_must_be_utf8(void **state)
{
	(void)state;
	static const char *const bad[] = { "\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "a\0b" };
	static const size_t len[] = { 1, 2, 2, 3, 3 };
	for (size_t k = 0; k < 5; k++) {
		struct pack p;
		pack_init(&p);
		pack_required(&p, 1);
		pack_cstr(&p, "long");
		pack_str(&p, bad[k], len[k]);
		struct result r = check_pack(&p);
		assert_int_equal(r.rc, KT_EINVAL);
		assert_string_equal(r.why, "long: not valid UTF-8 text");
	}
}

/* ---- date, enum, bool --------------------------------------------------- */

static void test_schema_date(void **state)
{
	(void)state;
	accepted("{" REQUIRED ", \"day\": \"2024-02-29\"}");
	refused("{" REQUIRED ", \"day\": \"2026-02-30\"}",
		"day: '2026-02-30' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"2025-02-29\"}",
		"day: '2025-02-29' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"2026-13-01\"}",
		"day: '2026-13-01' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"2026-6-15\"}",
		"day: '2026-6-15' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"15.06.2026\"}",
		"day: '15.06.2026' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"2026-06-15T00:00\"}",
		"day: '2026-06-15T00:00' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"2026-06-15Z\"}",
		"day: '2026-06-15Z' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"1899-12-31\"}",
		"day: '1899-12-31' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"+026-06-15\"}",
		"day: '+026-06-15' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": \"\"}", "day: '' is not a date (YYYY-MM-DD)");
	refused("{" REQUIRED ", \"day\": 20260615}",
		"day: expected a date (YYYY-MM-DD), got an integer");
}

static void test_schema_enum(void **state)
{
	(void)state;
	accepted("{" REQUIRED ", \"kind\": \"lovbrudd\"}");
	refused("{" REQUIRED ", \"kind\": \"foo\"}",
		"kind: 'foo' is not one of lovbrudd, avvik, merknad, forbedringspunkt");
	refused("{" REQUIRED ", \"kind\": \"Avvik\"}",
		"kind: 'Avvik' is not one of lovbrudd, avvik, merknad, forbedringspunkt");
	refused("{" REQUIRED ", \"kind\": \"avvik \"}",
		"kind: 'avvik ' is not one of lovbrudd, avvik, merknad, forbedringspunkt");
	refused("{" REQUIRED ", \"kind\": \"avvi\"}",
		"kind: 'avvi' is not one of lovbrudd, avvik, merknad, forbedringspunkt");
	refused("{" REQUIRED ", \"kind\": [\"avvik\"]}",
		"kind: expected one of lovbrudd, avvik, merknad, forbedringspunkt, got an array");
}

static void test_schema_bool(void **state)
{
	(void)state;
	accepted("{" REQUIRED ", \"flag\": true}");
	refused("{" REQUIRED ", \"flag\": \"true\"}", "flag: expected true or false, got text");
	refused("{" REQUIRED ", \"flag\": 1}", "flag: expected true or false, got an integer");
}

/* ---- numbers ------------------------------------------------------------ */

static void test_schema_integer(void **state)
{
	(void)state;
	refused("{" REQUIRED ", \"count\": 0}", "count: 0 is less than 1");
	refused("{" REQUIRED ", \"count\": -3}", "count: -3 is less than 1");
	refused("{" REQUIRED ", \"count\": 101}", "count: 101 is more than 100");
	refused("{" REQUIRED ", \"count\": 3.0}",
		"count: expected an integer, got a decimal number");
	refused("{" REQUIRED ", \"count\": \"3\"}", "count: expected an integer, got text");
	refused("{" REQUIRED ", \"big\": true}", "big: expected an integer, got a boolean");

	struct pack p;
	pack_init(&p);
	pack_required(&p, 1);
	pack_cstr(&p, "big");
	msgpack_pack_uint64(&p.pk, UINT64_MAX);
	struct result r = check_pack(&p);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "big: too large");
}

static void test_schema_number(void **state)
{
	(void)state;
	accepted("{" REQUIRED ", \"amount\": 12}");
	accepted("{" REQUIRED ", \"ratio\": 1e300}");
	refused("{" REQUIRED ", \"amount\": -1}", "amount: -1 is less than 0");
	refused("{" REQUIRED ", \"amount\": -0.5}", "amount: -0.5 is less than 0");
	refused("{" REQUIRED ", \"amount\": 1000.5}", "amount: 1000.5 is more than 1000");
	refused("{" REQUIRED ", \"amount\": \"5 000 kr\"}", "amount: expected a number, got text");
	refused("{" REQUIRED ", \"ratio\": null}", "ratio: expected a number, got null");

	const double odd[] = { NAN, INFINITY, -INFINITY };
	for (int k = 0; k < 3; k++) {
		struct pack p;
		pack_init(&p);
		pack_required(&p, 1);
		pack_cstr(&p, "ratio");
		msgpack_pack_double(&p.pk, odd[k]);
		struct result r = check_pack(&p);
		assert_int_equal(r.rc, KT_EINVAL);
		assert_string_equal(r.why, "ratio: not a finite number");
	}
	/* A float32 is a number too, and an unsigned beyond int64 is a number. */
	struct pack p;
	pack_init(&p);
	pack_required(&p, 2);
	pack_cstr(&p, "ratio");
	msgpack_pack_float(&p.pk, 0.5f);
	pack_cstr(&p, "amount");
	msgpack_pack_uint64(&p.pk, UINT64_MAX);
	struct result r = check_pack(&p);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "amount: 1.84467440737096e+19 is more than 1000");
}

/* ---- texts, id, object -------------------------------------------------- */

static void test_schema_texts(void **state)
{
	(void)state;
	accepted("{" REQUIRED ", \"docs\": [\"a\", \"b\", \"c\"]}");
	refused("{" REQUIRED ", \"docs\": [\"a\", \"b\", \"c\", \"d\"]}",
		"docs: more than 3 items");
	refused("{" REQUIRED ", \"docs\": [\"ok\", 5]}", "docs[1]: expected text, got an integer");
	refused("{" REQUIRED ", \"docs\": [\"toolong\"]}", "docs[0]: longer than 5 bytes");
	refused("{" REQUIRED ", \"docs\": [\"a\", \"\"]}", "docs[1]: empty");
	refused("{" REQUIRED ", \"docs\": [null]}", "docs[0]: expected text, got null");
	refused("{" REQUIRED ", \"docs\": \"a.pdf\"}", "docs: expected an array of text, got text");
}

static void test_schema_integers(void **state)
{
	(void)state;
	accepted("{" REQUIRED ", \"lines\": [2652, 2763, 9999]}");
	accepted("{" REQUIRED ", \"lines\": [1]}");
	refused("{" REQUIRED ", \"lines\": []}", "lines: empty");
	refused("{" REQUIRED ", \"lines\": [1, 2, 3, 4]}", "lines: more than 3 items");
	refused("{" REQUIRED ", \"lines\": [2652, 0]}", "lines[1]: 0 is less than 1");
	refused("{" REQUIRED ", \"lines\": [10000]}", "lines[0]: 10000 is more than 9999");
	refused("{" REQUIRED ", \"lines\": [12, 2.5]}", "lines[1]: expected an integer, got a decimal number");
	refused("{" REQUIRED ", \"lines\": [\"2652\"]}", "lines[0]: expected an integer, got text");
	refused("{" REQUIRED ", \"lines\": [null]}", "lines[0]: expected an integer, got null");
	refused("{" REQUIRED ", \"lines\": 2652}",
		"lines: expected an array of integers, got an integer");
}

static void test_schema_id(void **state)
{
	(void)state;
	refused("{" REQUIRED ", \"target\": \"xyz\"}", "target: 'xyz' is not a UUID");
	refused("{" REQUIRED ", \"target\": \"0190f2a47c1b7d2e8f3a0123456789ab\"}",
		"target: '0190f2a47c1b7d2e8f3a0123456789ab' is not a UUID");
	refused("{" REQUIRED ", \"target\": \"0190f2a4-7c1b-7d2e-8f3a-0123456789ag\"}",
		"target: '0190f2a4-7c1b-7d2e-8f3a-0123456789ag' is not a UUID");
	refused("{" REQUIRED ", \"target\": \"{0190f2a4-7c1b-7d2e-8f3a-0123456789ab}\"}",
		"target: '{0190f2a4-7c1b-7d2e-8f3a-0123456789ab}' is not a UUID");
	refused("{" REQUIRED ", \"target\": 17}", "target: expected a UUID, got an integer");
}

static void test_schema_object(void **state)
{
	(void)state;
	refused("{" REQUIRED ", \"data\": []}", "data: expected an object, got an array");
	refused("{" REQUIRED ", \"data\": \"{}\"}", "data: expected an object, got text");

	/* Well-formed msgpack, but a nested key that is not text. */
	struct pack p;
	pack_init(&p);
	pack_required(&p, 1);
	pack_cstr(&p, "data");
	msgpack_pack_map(&p.pk, 1);
	msgpack_pack_map(&p.pk, 1);
	msgpack_pack_int(&p.pk, 1);
	msgpack_pack_int(&p.pk, 2);
	msgpack_pack_nil(&p.pk);
	struct result r = check_pack(&p);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "data: a key is not text");

	/* Nesting past KT_MP_MAX_DEPTH is not well-formed for kontroll. */
	pack_init(&p);
	pack_required(&p, 1);
	pack_cstr(&p, "data");
	for (int k = 0; k < KT_MP_MAX_DEPTH + 1; k++) {
		msgpack_pack_map(&p.pk, 1);
		pack_cstr(&p, "k");
	}
	msgpack_pack_nil(&p.pk);
	r = check_pack(&p);
	assert_int_equal(r.rc, KT_EMALFORMED);
	assert_string_equal(r.why, "data: malformed msgpack");
}

/* ---- the map ------------------------------------------------------------- */

static void test_schema_unknown_and_duplicate_fields(void **state)
{
	(void)state;
	refused("{" REQUIRED ", \"colour\": \"red\"}", "colour: unknown field");
	refused("{\"Text\": \"t\", \"when\": \"2025-06-05\"}", "Text: unknown field");
	refused("{" REQUIRED ", \"\": 1}", ": unknown field");

	/* A key with a line break is quoted harmlessly. */
	refused("{" REQUIRED ", \"col\\nour\": 1}", "col?our: unknown field");

	/* JSON cannot repeat a key (the bridge refuses it); msgpack can. */
	struct pack p;
	pack_init(&p);
	pack_required(&p, 1);
	pack_cstr(&p, "text");
	pack_cstr(&p, "again");
	struct result r = check_pack(&p);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "text: given twice");
}

static void test_schema_required_and_null(void **state)
{
	(void)state;
	refused("{}", "text: required");
	refused("{\"text\": \"t\"}", "when: required");
	refused("{\"when\": \"2025-06-05\", \"flag\": true}", "text: required");
	refused("{\"text\": null, \"when\": \"2025-06-05\"}", "text: expected text, got null");
	refused("{" REQUIRED ", \"day\": null}", "day: expected a date (YYYY-MM-DD), got null");
	refused("{" REQUIRED ", \"kind\": null}",
		"kind: expected one of lovbrudd, avvik, merknad, forbedringspunkt, got null");
}

static void test_schema_reports_the_first_problem_in_map_order(void **state)
{
	(void)state;
	/* Field problems in map order, before missing fields. */
	refused("{\"kind\": \"foo\", \"day\": \"x\"}",
		"kind: 'foo' is not one of lovbrudd, avvik, merknad, forbedringspunkt");
	refused("{\"day\": \"x\", \"kind\": \"foo\"}", "day: 'x' is not a date (YYYY-MM-DD)");
	refused("{\"colour\": 1, \"kind\": \"foo\"}", "colour: unknown field");
	/* Missing fields in schema order. */
	refused("{\"flag\": true}", "text: required");
}

static void test_schema_refuses_what_is_not_a_map(void **state)
{
	(void)state;
	struct result r = check_bytes(&schema, "", 0);
	assert_int_equal(r.rc, KT_EMALFORMED);
	assert_string_equal(r.why, "payload: malformed msgpack");

	r = check_bytes(&schema, "\x92\x01\x02", 3);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "payload: expected an object, got an array");

	r = check_bytes(&schema, "\xc0", 1);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "payload: expected an object, got null");

	r = check_bytes(&schema, "\xc1", 1);
	assert_int_equal(r.rc, KT_EMALFORMED);
	assert_string_equal(r.why, "payload: malformed msgpack");

	/* A map whose key is an integer. */
	r = check_bytes(&schema, "\x81\x01\x02", 3);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "payload: a field name is an integer, not text");

	/* Trailing bytes after a complete, valid map. */
	struct pack p;
	pack_init(&p);
	pack_required(&p, 0);
	msgpack_pack_nil(&p.pk);
	r = check_pack(&p);
	assert_int_equal(r.rc, KT_EMALFORMED);
	assert_string_equal(r.why, "payload: trailing bytes after the map");

	/* Binary and extension values are no kind of ours. */
	pack_init(&p);
	pack_required(&p, 1);
	pack_cstr(&p, "long");
	msgpack_pack_bin_with_body(&p.pk, "ab", 2);
	r = check_pack(&p);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "long: expected text, got binary data");

	pack_init(&p);
	pack_required(&p, 1);
	pack_cstr(&p, "data");
	msgpack_pack_ext_with_body(&p.pk, "ab", 2, 7);
	r = check_pack(&p);
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "data: expected an object, got a msgpack extension");
}

/* ---- the cross-field check ---------------------------------------------- */

static void test_schema_check_runs_only_after_the_fields_pass(void **state)
{
	(void)state;
	check_calls = 0;
	struct result r = check_json_with(&checked, "{" REQUIRED ", \"kind\": \"foo\"}");
	assert_int_equal(r.rc, KT_EINVAL);
	assert_int_equal(check_calls, 0);
	r = check_json_with(&checked, "{\"long\": \"needs-amount\"}");
	assert_string_equal(r.why, "text: required");
	assert_int_equal(check_calls, 0);

	r = check_json_with(&checked, "{" REQUIRED ", \"long\": \"needs-amount\"}");
	assert_int_equal(r.rc, KT_EINVAL);
	assert_string_equal(r.why, "amount: required with ratio");
	assert_int_equal(check_calls, 1);

	r = check_json_with(&checked, "{" REQUIRED "}");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.why, "");
	assert_int_equal(check_calls, 2);
}

/* ---- why buffers and quoting -------------------------------------------- */

static void test_schema_why_may_be_small_or_absent(void **state)
{
	(void)state;
	struct kt_buf b = KT_BUF_INIT(KT_DATA_MAX);
	const char *json = "{\"colour\": 1}";
	assert_int_equal(kt_json_to_data(json, strlen(json), &b, NULL, 0), 0);
	assert_int_equal(kt_schema_check(&schema, b.data, b.len, NULL, 0), KT_EINVAL);
	char small[5];
	memset(small, 'x', sizeof small);
	assert_int_equal(kt_schema_check(&schema, b.data, b.len, small, sizeof small), KT_EINVAL);
	assert_string_equal(small, "colo");
	kt_buf_free(&b);
}

static void test_schema_quotes_values_safely(void **state)
{
	(void)state;
	char q[KT_SCHEMA_QUOTE_SIZE];
	assert_string_equal(kt_schema_quote(q, "abc", 3), "abc");
	assert_string_equal(kt_schema_quote(q, "", 0), "");
	assert_string_equal(kt_schema_quote(q, "a\nb\x01\x7f", 5), "a?b??");
	assert_string_equal(kt_schema_quote(q, "\xff\xc3", 2), "??");
	assert_string_equal(kt_schema_quote(q, "bl\xc3\xa5", 4), "blå");

	/* Cut at KT_SCHEMA_QUOTE_MAX bytes, never inside a character. */
	char in[100];
	memset(in, 'a', sizeof in);
	kt_schema_quote(q, in, sizeof in);
	assert_int_equal(strlen(q), KT_SCHEMA_QUOTE_MAX + 3);
	assert_string_equal(q + KT_SCHEMA_QUOTE_MAX, "…");
	in[KT_SCHEMA_QUOTE_MAX - 1] = '\xc3';
	in[KT_SCHEMA_QUOTE_MAX] = '\xa5';
	kt_schema_quote(q, in, sizeof in);
	assert_int_equal(strlen(q), KT_SCHEMA_QUOTE_MAX - 1 + 3);
	assert_string_equal(q + KT_SCHEMA_QUOTE_MAX - 1, "…");
	/* Exactly the maximum is not cut. */
	kt_schema_quote(q, in, KT_SCHEMA_QUOTE_MAX - 1);
	assert_int_equal(strlen(q), KT_SCHEMA_QUOTE_MAX - 1);

	/* A long enum value in a reason is cut the same way. */
	refused("{" REQUIRED ", \"kind\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
		"kind: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is not one of lovbrudd, avvik, "
		"merknad, forbedringspunkt");
}

static void test_schema_field_lookup(void **state)
{
	(void)state;
	const struct kt_field *f = kt_schema_field(&schema, "docs");
	assert_non_null(f);
	assert_int_equal(f->kind, KT_FIELD_TEXTS);
	assert_null(kt_schema_field(&schema, "doc"));
	assert_null(kt_schema_field(&schema, ""));
}

/* ---- hostile bytes ------------------------------------------------------ */

static const char *full_payload =
    "{\"text\": \"0123456789\", \"when\": \"2024-02-29\", \"line\": \"én linje\", "
    "\"long\": \"første\\nandre\", \"day\": \"2026-06-15\", \"kind\": \"avvik\", "
    "\"flag\": false, \"count\": 100, \"big\": -9223372036854775808, \"amount\": 999.5, "
    "\"ratio\": -0.25, \"docs\": [\"a\", \"æø\"], "
    "\"target\": \"0190f2a4-7c1b-7d2e-8f3a-0123456789ab\", "
    "\"data\": {\"nested\": [1, {\"deep\": null}], \"x\": true}}";

static void test_schema_every_truncation_is_malformed(void **state)
{
	(void)state;
	struct kt_buf b = KT_BUF_INIT(KT_DATA_MAX);
	assert_int_equal(kt_json_to_data(full_payload, strlen(full_payload), &b, NULL, 0), 0);
	assert_int_equal(check_bytes(&schema, b.data, b.len).rc, 0);
	for (size_t n = 0; n < b.len; n++) {
		struct result r = check_bytes(&schema, b.data, n);
		if (r.rc != KT_EMALFORMED)
			fail_msg("prefix of %zu of %zu bytes: got %d (%s)", n, b.len, r.rc, r.why);
		assert_non_null(strstr(r.why, "malformed msgpack"));
	}
	kt_buf_free(&b);
}

static void test_schema_random_mutations_stay_in_bounds(void **state)
{
	(void)state;
	struct kt_buf b = KT_BUF_INIT(KT_DATA_MAX);
	assert_int_equal(kt_json_to_data(full_payload, strlen(full_payload), &b, NULL, 0), 0);
	uint8_t *m = malloc(b.len);
	assert_non_null(m);
	srand(20250605);
	for (int round = 0; round < 20000; round++) {
		memcpy(m, b.data, b.len);
		int flips = 1 + rand() % 4;
		for (int k = 0; k < flips; k++)
			m[(size_t)rand() % b.len] = (uint8_t)rand();
		size_t n = b.len - (size_t)(rand() % 3 == 0 ? rand() % (int)b.len : 0);
		struct result r = check_bytes(&schema, m, n);
		assert_true(r.rc == 0 || r.rc == KT_EINVAL || r.rc == KT_EMALFORMED);
		assert_null(strchr(r.why, '\n'));
		if (r.rc)
			assert_true(strlen(r.why) > 0);
	}
	free(m);
	kt_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_accepts_every_kind),
		cmocka_unit_test(test_schema_text_limits),
		cmocka_unit_test(test_schema_text_must_be_utf8),
		cmocka_unit_test(test_schema_date),
		cmocka_unit_test(test_schema_enum),
		cmocka_unit_test(test_schema_bool),
		cmocka_unit_test(test_schema_integer),
		cmocka_unit_test(test_schema_number),
		cmocka_unit_test(test_schema_texts),
		cmocka_unit_test(test_schema_integers),
		cmocka_unit_test(test_schema_id),
		cmocka_unit_test(test_schema_object),
		cmocka_unit_test(test_schema_unknown_and_duplicate_fields),
		cmocka_unit_test(test_schema_required_and_null),
		cmocka_unit_test(test_schema_reports_the_first_problem_in_map_order),
		cmocka_unit_test(test_schema_refuses_what_is_not_a_map),
		cmocka_unit_test(test_schema_check_runs_only_after_the_fields_pass),
		cmocka_unit_test(test_schema_why_may_be_small_or_absent),
		cmocka_unit_test(test_schema_quotes_values_safely),
		cmocka_unit_test(test_schema_field_lookup),
		cmocka_unit_test(test_schema_every_truncation_is_malformed),
		cmocka_unit_test(test_schema_random_mutations_stay_in_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
