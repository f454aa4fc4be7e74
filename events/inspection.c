/*
 * inspection.c — the inspection (tilsyn) event catalogue: one field table and
 * one cross-field check per event type, in the order of the regulator's own
 * steps, and the lookup by type name. events/CATALOGUE.md explains every
 * field; keep the two in step.
 */
#include "kontroll/inspection_events.h"

#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/deadline.h"
#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- value lists -------------------------------------------------------- */

static const char *const inspection_kinds[] = {
	"stedlig_tilsyn",	"systemrevisjon",  "egenkontroll",
	"hendelsesbasert",	"landsomfattende", "dokumenttilsyn",
	"forvaltningskontroll", "other",	   NULL
};
static const char *const date_precisions[] = { "day", "month", "year", "on_or_before", NULL };
static const char *const conduct_modes[] = { "visit",		"document_review", "meeting",
					     "self_assessment", "other",	   NULL };
static const char *const finding_kinds[] = { "lovbrudd", "avvik", "merknad", "forbedringspunkt",
					     NULL };
static const char *const order_kinds[] = {
	"palegg", "krav_om_opplysninger", "frist_for_retting", "svarfrist", "other", NULL
};
static const char *const deadline_precisions[] = { "day",   "early_month", "mid_month",
						   "month", "year",	   NULL };
static const char *const response_kinds[] = {
	"response",    "action_plan",	  "progress_plan", "declaration", "account",
	"information", "risk_assessment", "evaluation",	   "other",	  NULL
};
static const char *const appeal_outcomes[] = { "upheld", "changed", "annulled", NULL };
static const char *const measures[] = { "tvangsmulkt", "stansing", "overtredelsesgebyr", NULL };

/* ---- field tables ------------------------------------------------------- */

/* Byte limits: names and one-line values, themes and references, free text. */
#define LEN_NAME  200
#define LEN_THEME 500
#define LEN_REF	  300
#define LEN_LABEL 8
#define LEN_CASE  32
#define LEN_LONG  8000
#define LEN_DOC	  500
#define LEN_DOCS  50
#define LINES_MAX   10000000
#define LINES_ITEMS 64

#define REQ  KT_FIELD_REQUIRED
#define LINE KT_FIELD_LINE

#define TEXT(n, fl, max)                                                                           \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_TEXT, .flags = (fl), .max_len = (max)                \
	}
#define DATE(n, fl)                                                                                \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_DATE, .flags = (fl)                                  \
	}
#define ENUM(n, fl, v)                                                                             \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_ENUM, .flags = (fl), .values = (v)                   \
	}
#define BOOL(n, fl)                                                                                \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_BOOL, .flags = (fl)                                  \
	}
#define INTEGER(n, fl, lo, hi)                                                                     \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_INTEGER, .flags = (fl) | KT_FIELD_RANGE,             \
		.min = (lo), .max = (hi)                                                           \
	}
#define NUMBER(n, fl, lo, hi)                                                                      \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_NUMBER, .flags = (fl) | KT_FIELD_RANGE, .min = (lo), \
		.max = (hi)                                                                        \
	}
#define TEXTS(n, fl, max, items)                                                                   \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_TEXTS, .flags = (fl), .max_len = (max),              \
		.max_items = (items)                                                               \
	}
#define ID(n, fl)                                                                                  \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_ID, .flags = (fl)                                    \
	}
#define OBJECT(n, fl)                                                                              \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_OBJECT, .flags = (fl)                                \
	}
#define INTEGERS(n, fl, lo, hi, items)                                                             \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_INTEGERS, .flags = (fl) | KT_FIELD_RANGE,            \
		.min = (lo), .max = (hi), .max_items = (items)                                     \
	}

/* Where a fact is written: the document, and the line numbers in it. */
#define SOURCED                                                                                    \
	TEXT("source", LINE, LEN_REF), INTEGERS("source_lines", 0, 1, LINES_MAX, LINES_ITEMS)

/* The date of a step, as every dated type carries it. */
#define DATED                                                                                      \
	DATE("date", REQ), ENUM("date_precision", 0, date_precisions),                             \
	    TEXT("date_text", LINE, LEN_NAME), SOURCED
/* A deadline: the day, the wording, how the day was derived. */
#define DEADLINE(fl)                                                                               \
	DATE("deadline", (fl)), TEXT("deadline_text", LINE, LEN_NAME),                             \
	    ENUM("deadline_precision", 0, deadline_precisions)
#define DOCUMENTS TEXTS("documents", LINE, LEN_DOC, LEN_DOCS)

static const struct kt_field opened_fields[] = {
	TEXT("case_number", REQ | LINE, LEN_CASE),
	TEXT("authority", REQ | LINE, LEN_NAME),
	TEXT("unit", REQ | LINE, LEN_NAME),
	TEXT("law", REQ | LINE, LEN_NAME),
	TEXT("theme", REQ | LINE, LEN_THEME),
	ENUM("kind", 0, inspection_kinds),
	TEXT("kind_text", LINE, LEN_NAME),
	TEXT("programme", LINE, LEN_REF),
	TEXT("trigger", 0, LEN_LONG),
	TEXT("text", 0, LEN_LONG),
	DATE("date_from", REQ),
	DATE("date_to", 0),
	ENUM("date_precision", 0, date_precisions),
	TEXT("date_text", LINE, LEN_NAME),
	INTEGER("report_year", 0, 1900, 9999),
	TEXTS("related", LINE, LEN_CASE, 16),
	SOURCED,
};

static const struct kt_field notified_fields[] = {
	DATED,
	TEXT("text", 0, LEN_LONG),
	TEXT("reference", LINE, LEN_REF),
	DATE("planned_date", 0),
};

static const struct kt_field conducted_fields[] = {
	DATED,
	DATE("date_to", 0),
	ENUM("mode", REQ, conduct_modes),
	TEXT("text", 0, LEN_LONG),
};

static const struct kt_field preliminary_fields[] = {
	DATED,
	DATE("comment_deadline", REQ),
	TEXT("reference", LINE, LEN_REF),
	TEXT("text", 0, LEN_LONG),
	DOCUMENTS,
};

static const struct kt_field comments_fields[] = {
	DATED,
	TEXT("text", REQ, LEN_LONG),
	DOCUMENTS,
};

static const struct kt_field final_fields[] = {
	DATED,
	TEXT("reference", LINE, LEN_REF),
	TEXT("text", 0, LEN_LONG),
	DOCUMENTS,
};

static const struct kt_field finding_fields[] = {
	DATED,
	TEXT("finding", REQ | LINE, LEN_LABEL),
	ENUM("kind", REQ, finding_kinds),
	TEXT("kind_text", LINE, LEN_NAME),
	TEXT("text", REQ, LEN_LONG),
	TEXT("legal_ref", LINE, LEN_REF),
	INTEGER("count", 0, 1, 100000),
};

static const struct kt_field none_fields[] = {
	DATED,
	TEXT("text", 0, LEN_LONG),
};

static const struct kt_field order_fields[] = {
	DATED,
	TEXT("order", REQ | LINE, LEN_LABEL),
	TEXT("finding", LINE, LEN_LABEL),
	ENUM("kind", 0, order_kinds),
	TEXT("kind_text", LINE, LEN_NAME),
	TEXT("title", LINE, LEN_REF),
	TEXT("text", REQ, LEN_LONG),
	TEXT("legal_basis", LINE, LEN_REF),
	DEADLINE(0),
};

static const struct kt_field response_fields[] = {
	DATED,
	ENUM("kind", REQ, response_kinds),
	TEXT("kind_text", LINE, LEN_NAME),
	TEXT("order", LINE, LEN_LABEL),
	TEXT("finding", LINE, LEN_LABEL),
	TEXT("text", REQ, LEN_LONG),
	DOCUMENTS,
};

static const struct kt_field extended_fields[] = {
	DATED,
	TEXT("order", REQ | LINE, LEN_LABEL),
	DEADLINE(REQ),
	TEXT("reason", REQ, LEN_LONG),
};

static const struct kt_field appealed_fields[] = {
	DATED,
	TEXT("order", REQ | LINE, LEN_LABEL),
	TEXT("text", REQ, LEN_LONG),
	BOOL("suspensive", 0),
};

static const struct kt_field decided_fields[] = {
	DATED,
	TEXT("order", REQ | LINE, LEN_LABEL),
	ENUM("outcome", REQ, appeal_outcomes),
	TEXT("decided_by", LINE, LEN_NAME),
	TEXT("text", REQ, LEN_LONG),
	DEADLINE(0),
};

static const struct kt_field escalated_fields[] = {
	DATED,
	TEXT("order", REQ | LINE, LEN_LABEL),
	ENUM("measure", REQ, measures),
	BOOL("notice", 0),
	TEXT("text", REQ, LEN_LONG),
	NUMBER("amount", 0, 0, INT64_C(1000000000000)),
	TEXT("amount_text", LINE, LEN_NAME),
};

static const struct kt_field fulfilled_fields[] = {
	DATED,
	TEXT("order", REQ | LINE, LEN_LABEL),
	TEXT("text", 0, LEN_LONG),
	TEXT("reference", LINE, LEN_REF),
};

static const struct kt_field waived_fields[] = {
	DATED,
	TEXT("order", LINE, LEN_LABEL),
	TEXT("finding", LINE, LEN_LABEL),
	TEXT("reason", REQ, LEN_LONG),
	TEXT("text", 0, LEN_LONG),
};

static const struct kt_field closed_fields[] = {
	DATED,
	TEXT("text", 0, LEN_LONG),
	BOOL("forced", 0),
	TEXT("reason", 0, LEN_LONG),
};

static const struct kt_field transferred_fields[] = {
	DATED,
	TEXT("to", REQ | LINE, LEN_NAME),
	TEXT("text", 0, LEN_LONG),
};

static const struct kt_field corrected_fields[] = {
	ID("target", REQ),
	TEXT("target_type", REQ | LINE, 100),
	/* Shared with incidents, where a reason may well name people. */
	TEXT("reason", REQ | KT_FIELD_PERSONAL, LEN_LONG),
	OBJECT("data", REQ),
};

static const struct kt_field retracted_fields[] = {
	ID("target", REQ),
	TEXT("target_type", REQ | LINE, 100),
	/* Shared with incidents, where a reason may well name people. */
	TEXT("reason", REQ | KT_FIELD_PERSONAL, LEN_LONG),
};

/* ---- helpers for the checks -------------------------------------------- */

static int fail(char *why, size_t why_len, const char *fmt, ...)
{
	if (why && why_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return KT_EINVAL;
}

/* Non-zero when the payload has field (its kind was checked already). */
static int has(const uint8_t *d, size_t n, const char *field)
{
	struct kt_mp r;
	return kt_data_find(d, n, field, &r) == 0;
}

/* Non-zero when text field equals value. */
static int is(const uint8_t *d, size_t n, const char *field, const char *value)
{
	const char *s;
	size_t len;
	if (kt_data_get_str(d, n, field, &s, &len))
		return 0;
	return strlen(value) == len && memcmp(s, value, len) == 0;
}

/* The date field as "YYYY-MM-DD" text (its kind was checked already). */
static void date_text(const uint8_t *d, size_t n, const char *field, char out[11])
{
	const char *s;
	size_t len;
	memset(out, 0, 11);
	if (kt_data_get_str(d, n, field, &s, &len) == 0 && len == 10)
		memcpy(out, s, 10);
}

/* Field later must not be before field earlier; both optional here. */
static int not_before(const uint8_t *d, size_t n, const char *later, const char *earlier, char *why,
		      size_t why_len)
{
	int64_t a, b;
	if (kt_data_get_date(d, n, later, &a) || kt_data_get_date(d, n, earlier, &b) || a >= b)
		return KT_OK;
	char ta[11], tb[11];
	date_text(d, n, later, ta);
	date_text(d, n, earlier, tb);
	return fail(why, why_len, "%s: '%s' is before %s '%s'", later, ta, earlier, tb);
}

/* A date known to the month or year is stored as the first day of it; a
 * date known only as a bound (on_or_before) is the last day it may be. */
static int precise(const uint8_t *d, size_t n, const char *field, char *why, size_t why_len)
{
	char t[11];
	date_text(d, n, field, t);
	if (is(d, n, "date_precision", "month") && strcmp(t + 8, "01") != 0)
		return fail(why, why_len,
			    "%s: '%s' is not the first day of its month (date_precision month)",
			    field, t);
	if (is(d, n, "date_precision", "year") && strcmp(t + 5, "01-01") != 0)
		return fail(why, why_len,
			    "%s: '%s' is not the first day of its year (date_precision year)",
			    field, t);
	/* A bound, not a date: the wording it was read from must come with it. */
	if (is(d, n, "date_precision", "on_or_before") && !has(d, n, "date_text"))
		return fail(why, why_len, "date_text: required with date_precision on_or_before");
	return KT_OK;
}

/* Finding and order labels: "F1", "P12", "K1". */
static int label(const uint8_t *d, size_t n, const char *field, char *why, size_t why_len)
{
	const char *s;
	size_t len, k = 0;
	if (kt_data_get_str(d, n, field, &s, &len))
		return KT_OK;
	while (k < len && k < 3 && s[k] >= 'A' && s[k] <= 'Z')
		k++;
	size_t digits = len - k;
	int ok = k > 0 && digits >= 1 && digits <= 4 && s[k] >= '1' && s[k] <= '9';
	for (size_t j = k; ok && j < len; j++)
		ok = s[j] >= '0' && s[j] <= '9';
	if (ok)
		return KT_OK;
	return fail(why, why_len,
		    "%s: '%.*s' is not a label (capital letters, then a number: F1, P2)", field,
		    (int)len, s);
}

/* "T-2025-007": T, a four-digit year, three to six digits. */
static int case_number_ok(const char *s, size_t len)
{
	if (len < 10 || len > 13 || s[0] != 'T' || s[1] != '-' || s[6] != '-')
		return 0;
	for (size_t k = 2; k < len; k++)
		if (k != 6 && (s[k] < '0' || s[k] > '9'))
			return 0;
	return 1;
}

/* kind "other" needs the wording. */
static int other_worded(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	if (is(d, n, "kind", "other") && !has(d, n, "kind_text"))
		return fail(why, why_len, "kind_text: required when kind is other");
	return KT_OK;
}

/* deadline with its wording and precision: together, not before date, and
 * the day the precision stores. */
static int deadline_rules(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	if (!has(d, n, "deadline")) {
		if (has(d, n, "deadline_text"))
			return fail(why, why_len, "deadline: required with deadline_text");
		if (has(d, n, "deadline_precision"))
			return fail(why, why_len, "deadline: required with deadline_precision");
		return KT_OK;
	}
	int rc = not_before(d, n, "deadline", "date", why, why_len);
	if (rc)
		return rc;
	const char *s;
	size_t len;
	enum kt_deadline_precision p = KT_DEADLINE_DAY;
	if (kt_data_get_str(d, n, "deadline_precision", &s, &len) == 0)
		kt_deadline_precision_parse(s, len, &p);
	char t[11];
	int y, m, day;
	date_text(d, n, "deadline", t);
	static const char *const stored[] = {
		[KT_DEADLINE_DAY] = "any day",
		[KT_DEADLINE_EARLY_MONTH] = "the 10th",
		[KT_DEADLINE_MID_MONTH] = "the 15th",
		[KT_DEADLINE_MONTH] = "the last day of the month",
		[KT_DEADLINE_YEAR] = "31 December",
	};
	if (sscanf(t, "%4d-%2d-%2d", &y, &m, &day) != 3 || !kt_deadline_fits(y, m, day, p))
		return fail(why, why_len, "deadline: '%s' does not fit deadline_precision %s (%s)",
			    t, kt_deadline_precision_name(p), stored[p]);
	return KT_OK;
}

/* The year of a "YYYY-MM-DD" text. */
static int year_of(const char t[11])
{
	return (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
}

/* ---- one check per type ------------------------------------------------- */

static int check_dated(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	return precise(d, n, "date", why, why_len);
}

static int check_related(const uint8_t *d, size_t n, const char *self, size_t self_len, char *why,
			 size_t why_len)
{
	struct kt_mp items;
	uint32_t count;
	if (kt_data_get_array(d, n, "related", &items, &count))
		return KT_OK;
	for (uint32_t k = 0; k < count; k++) {
		const char *r;
		size_t len;
		if (kt_mp_read_str(&items, &r, &len))
			return fail(why, why_len, "related[%u]: expected text", (unsigned)k);
		if (!case_number_ok(r, len))
			return fail(why, why_len,
				    "related[%u]: '%.*s' is not a case number (T-YYYY-NNN)",
				    (unsigned)k, (int)len, r);
		if (len == self_len && memcmp(r, self, len) == 0)
			return fail(why, why_len, "related[%u]: the inspection itself",
				    (unsigned)k);
	}
	return KT_OK;
}

static int check_opened(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const char *s = "";
	size_t len = 0;
	int64_t year;
	char from[11];
	int rc;
	kt_data_get_str(d, n, "case_number", &s, &len);
	if (!case_number_ok(s, len))
		return fail(why, why_len, "case_number: '%.*s' is not a case number (T-YYYY-NNN)",
			    (int)len, s);
	if ((rc = precise(d, n, "date_from", why, why_len)) ||
	    (rc = not_before(d, n, "date_to", "date_from", why, why_len)) ||
	    (rc = other_worded(d, n, why, why_len)))
		return rc;
	date_text(d, n, "date_from", from);
	if (kt_data_get_int(d, n, "report_year", &year) == 0 && year < year_of(from))
		return fail(why, why_len, "report_year: %d is before the year of date_from '%s'",
			    (int)year, from);
	return check_related(d, n, s, len, why, why_len);
}

static int check_notified(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) ||
	    (rc = not_before(d, n, "planned_date", "date", why, why_len)))
		return rc;
	return KT_OK;
}

static int check_conducted(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) ||
	    (rc = not_before(d, n, "date_to", "date", why, why_len)))
		return rc;
	if (is(d, n, "mode", "other") && !has(d, n, "text"))
		return fail(why, why_len, "text: required when mode is other");
	return KT_OK;
}

static int check_preliminary(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) ||
	    (rc = not_before(d, n, "comment_deadline", "date", why, why_len)))
		return rc;
	return KT_OK;
}

static int check_finding(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) ||
	    (rc = label(d, n, "finding", why, why_len)))
		return rc;
	return KT_OK;
}

static int check_order(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) ||
	    (rc = label(d, n, "order", why, why_len)) ||
	    (rc = label(d, n, "finding", why, why_len)))
		return rc;
	if ((!has(d, n, "kind") || is(d, n, "kind", "palegg")) && !has(d, n, "finding"))
		return fail(why, why_len, "finding: required for a pålegg (kind palegg)");
	if ((rc = other_worded(d, n, why, why_len)) || (rc = deadline_rules(d, n, why, why_len)))
		return rc;
	return KT_OK;
}

static int check_response(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) ||
	    (rc = label(d, n, "order", why, why_len)) ||
	    (rc = label(d, n, "finding", why, why_len)))
		return rc;
	if (has(d, n, "order") && has(d, n, "finding"))
		return fail(why, why_len, "order: give order or finding, not both");
	return other_worded(d, n, why, why_len);
}

static int check_order_step(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) || (rc = label(d, n, "order", why, why_len)))
		return rc;
	return KT_OK;
}

static int check_extended(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = check_order_step(d, n, why, why_len)) ||
	    (rc = deadline_rules(d, n, why, why_len)))
		return rc;
	return KT_OK;
}

static int check_decided(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = check_order_step(d, n, why, why_len)))
		return rc;
	if (is(d, n, "outcome", "annulled") &&
	    (has(d, n, "deadline") || has(d, n, "deadline_text") ||
	     has(d, n, "deadline_precision")))
		return fail(why, why_len, "deadline: not allowed when outcome is annulled");
	return deadline_rules(d, n, why, why_len);
}

static int check_escalated(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = check_order_step(d, n, why, why_len)))
		return rc;
	if (is(d, n, "measure", "stansing") && has(d, n, "amount"))
		return fail(why, why_len, "amount: not allowed for stansing");
	if (is(d, n, "measure", "stansing") && has(d, n, "amount_text"))
		return fail(why, why_len, "amount_text: not allowed for stansing");
	return KT_OK;
}

static int check_waived(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc;
	if ((rc = precise(d, n, "date", why, why_len)) ||
	    (rc = label(d, n, "order", why, why_len)) ||
	    (rc = label(d, n, "finding", why, why_len)))
		return rc;
	if (has(d, n, "order") == has(d, n, "finding"))
		return fail(why, why_len, "order: give exactly one of order and finding");
	return KT_OK;
}

static int check_closed(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc, forced = 0;
	if ((rc = precise(d, n, "date", why, why_len)))
		return rc;
	kt_data_get_bool(d, n, "forced", &forced);
	if (forced && !has(d, n, "reason"))
		return fail(why, why_len, "reason: required when forced");
	return KT_OK;
}

/* The target_type of a correction or retraction, which may be a type of any
 * catalogue (catalogue.h); "correct" says whether the target may be a
 * retraction. */
static const struct kt_schema *target_schema(const uint8_t *d, size_t n, int correct, char *why,
					     size_t why_len)
{
	const char *s = "";
	size_t len = 0;
	kt_data_get_str(d, n, "target_type", &s, &len);
	const struct kt_schema *schema = kt_catalogue_schema(s, len);
	char q[KT_SCHEMA_QUOTE_SIZE];
	if (!schema) {
		fail(why, why_len, "target_type: '%s' is not a catalogued event type",
		     kt_schema_quote(q, s, len));
		return NULL;
	}
	if (strcmp(schema->type, KT_EV_EVENT_RETRACTED) == 0) {
		fail(why, why_len, "target_type: a retraction is final; record the fact again");
		return NULL;
	}
	if (correct && strcmp(schema->type, KT_EV_EVENT_CORRECTED) == 0) {
		fail(why, why_len,
		     "target_type: correct the original event again, not the correction");
		return NULL;
	}
	return schema;
}

static int check_corrected(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const struct kt_schema *schema = target_schema(d, n, 1, why, why_len);
	if (!schema)
		return KT_EINVAL;
	const uint8_t *map = NULL;
	size_t map_len = 0;
	char inner[256];
	kt_data_get_map(d, n, "data", &map, &map_len);
	int rc = kt_schema_check(schema, map, map_len, inner, sizeof inner);
	if (rc == 0)
		return KT_OK;
	/* The replacement's own reason, placed inside "data". */
	if (strncmp(inner, "payload: ", 9) == 0)
		fail(why, why_len, "data: %s", inner + 9);
	else
		fail(why, why_len, "data.%s", inner);
	return rc;
}

static int check_retracted(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	return target_schema(d, n, 0, why, why_len) ? KT_OK : KT_EINVAL;
}

/* ---- the catalogue ------------------------------------------------------ */

#define SCHEMA(t, f, c)                                                                            \
	{                                                                                          \
		.type = (t), .fields = (f), .n_fields = sizeof(f) / sizeof((f)[0]), .check = (c)   \
	}

static const struct kt_schema catalogue[] = {
	SCHEMA(KT_EV_INSPECTION_OPENED, opened_fields, check_opened),
	SCHEMA(KT_EV_INSPECTION_NOTIFIED, notified_fields, check_notified),
	SCHEMA(KT_EV_INSPECTION_CONDUCTED, conducted_fields, check_conducted),
	SCHEMA(KT_EV_REPORT_PRELIMINARY, preliminary_fields, check_preliminary),
	SCHEMA(KT_EV_REPORT_COMMENTS_SENT, comments_fields, check_dated),
	SCHEMA(KT_EV_REPORT_FINAL, final_fields, check_dated),
	SCHEMA(KT_EV_FINDING_RECORDED, finding_fields, check_finding),
	SCHEMA(KT_EV_FINDING_NONE, none_fields, check_dated),
	SCHEMA(KT_EV_ORDER_ISSUED, order_fields, check_order),
	SCHEMA(KT_EV_RESPONSE_REGISTERED, response_fields, check_response),
	SCHEMA(KT_EV_ORDER_DEADLINE_EXTENDED, extended_fields, check_extended),
	SCHEMA(KT_EV_ORDER_APPEALED, appealed_fields, check_order_step),
	SCHEMA(KT_EV_ORDER_APPEAL_DECIDED, decided_fields, check_decided),
	SCHEMA(KT_EV_ORDER_ESCALATED, escalated_fields, check_escalated),
	SCHEMA(KT_EV_ORDER_FULFILLED, fulfilled_fields, check_order_step),
	SCHEMA(KT_EV_REQUIREMENT_WAIVED, waived_fields, check_waived),
	SCHEMA(KT_EV_INSPECTION_CLOSED, closed_fields, check_closed),
	SCHEMA(KT_EV_INSPECTION_TRANSFERRED, transferred_fields, check_dated),
	SCHEMA(KT_EV_EVENT_CORRECTED, corrected_fields, check_corrected),
	SCHEMA(KT_EV_EVENT_RETRACTED, retracted_fields, check_retracted),
};

#define CATALOGUE_LEN (sizeof catalogue / sizeof catalogue[0])

const struct kt_schema *kt_inspection_schema(const char *type, size_t len)
{
	for (size_t k = 0; k < CATALOGUE_LEN; k++)
		if (strlen(catalogue[k].type) == len && memcmp(catalogue[k].type, type, len) == 0)
			return &catalogue[k];
	return NULL;
}

const struct kt_schema *kt_inspection_schema_at(size_t i)
{
	return i < CATALOGUE_LEN ? &catalogue[i] : NULL;
}

int kt_inspection_check(const char *type, size_t type_len, const uint8_t *data, size_t len,
			char *why, size_t why_len)
{
	const struct kt_schema *schema = kt_inspection_schema(type, type_len);
	char q[KT_SCHEMA_QUOTE_SIZE];
	if (!schema)
		return fail(why, why_len, "type: '%s' is not an inspection event type",
			    kt_schema_quote(q, type, type_len));
	return kt_schema_check(schema, data, len, why, why_len);
}
