/*
 * goal.c — the goal-achievement (måloppnåelse) event catalogue: one field
 * table and one cross-field check per type, the value lists with the words
 * people use, the normalisation of verdict wordings, and goal numbers.
 * events/GOALS.md explains every field; keep the two in step.
 */
#include "kontroll/goal_events.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/mpread.h"
#include "kontroll/organisation.h"
#include "kontroll/wording.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- value lists -------------------------------------------------------- */

static const struct kt_wording levels[KT_LEVELS] = {
	[KT_LEVEL_OVERORDNET] = { "overordnet", "overordnet mål", "hovedmål" },
	[KT_LEVEL_PERIODEMAL] = { "periodemal", "periodemål", NULL },
	[KT_LEVEL_FOKUSOMRADE] = { "fokusomrade", "fokusområde", NULL },
	[KT_LEVEL_MAL] = { "mal", "mål", NULL },
	[KT_LEVEL_RESULTATMAL] = { "resultatmal", "resultatmål", NULL },
	[KT_LEVEL_UNDERMAL] = { "undermal", "undermål", "delmål" },
	[KT_LEVEL_HANDLINGSREGEL] = { "handlingsregel", "handlingsregel", NULL },
	[KT_LEVEL_TILTAK] = { "tiltak", "tiltak", NULL },
};

static const struct kt_wording directions[KT_DIRECTIONS] = {
	[KT_DIRECTION_LOWER] = { "lower", "lower is better", "lavere" },
	[KT_DIRECTION_HIGHER] = { "higher", "higher is better", "høyere" },
};

static const struct kt_wording statuses[KT_STATUSES] = {
	[KT_STATUS_ACHIEVED] = { "achieved", "nådd", NULL },
	[KT_STATUS_PARTLY] = { "partly", "delvis nådd", NULL },
	[KT_STATUS_NOT_ACHIEVED] = { "not_achieved", "ikke nådd", NULL },
	[KT_STATUS_ON_TRACK] = { "on_track", "i rute", NULL },
};

static const char *const level_keys[] = { "overordnet",	 "periodemal", "fokusomrade",	 "mal",
					  "resultatmal", "undermal",   "handlingsregel", "tiltak",
					  NULL };
static const char *const direction_keys[] = { "lower", "higher", NULL };
static const char *const status_keys[] = { "achieved", "partly", "not_achieved", "on_track", NULL };

/*
 * The report's phrases and what they state. Checked longest match first
 * (kt_goal_status_parse), so a phrase that contains another wins over it.
 * "i hovedsak nådd" and "i positiv utvikling" are the report's own
 * softer wordings (chapter 5); "nådde nesten" and "ligger bak" are
 * chapter 2's for targets missed. A negation of a phrase is a phrase of its
 * own, longer than the one it negates.
 */
static const struct {
	const char *phrase;
	enum kt_goal_status status;
} status_phrases[] = {
	{ "nådd", KT_STATUS_ACHIEVED },
	{ "oppnådd", KT_STATUS_ACHIEVED },
	{ "delvis nådd", KT_STATUS_PARTLY },
	{ "delvis oppnådd", KT_STATUS_PARTLY },
	{ "i hovedsak nådd", KT_STATUS_PARTLY },
	{ "ikke nådd", KT_STATUS_NOT_ACHIEVED },
	{ "ikke oppnådd", KT_STATUS_NOT_ACHIEVED },
	{ "nådde nesten", KT_STATUS_NOT_ACHIEVED },
	{ "ligger bak", KT_STATUS_NOT_ACHIEVED },
	{ "ikke i rute", KT_STATUS_NOT_ACHIEVED },
	{ "ikke i positiv utvikling", KT_STATUS_NOT_ACHIEVED },
	{ "i rute", KT_STATUS_ON_TRACK },
	{ "i positiv utvikling", KT_STATUS_ON_TRACK },
};

const char *kt_goal_level_key(enum kt_goal_level l)
{
	return (unsigned)l < KT_LEVELS ? levels[l].key : "?";
}
const char *kt_goal_level_name(enum kt_goal_level l)
{
	return (unsigned)l < KT_LEVELS ? levels[l].name : "?";
}
const char *kt_goal_direction_key(enum kt_goal_direction d)
{
	return (unsigned)d < KT_DIRECTIONS ? directions[d].key : "?";
}
const char *kt_goal_direction_name(enum kt_goal_direction d)
{
	return (unsigned)d < KT_DIRECTIONS ? directions[d].name : "?";
}
const char *kt_goal_status_key(enum kt_goal_status s)
{
	return (unsigned)s < KT_STATUSES ? statuses[s].key : "?";
}
const char *kt_goal_status_name(enum kt_goal_status s)
{
	return (unsigned)s < KT_STATUSES ? statuses[s].name : "?";
}

int kt_goal_level_by_key(const char *key, size_t len)
{
	return kt_wording_by_key(levels, KT_LEVELS, key, len);
}
int kt_goal_direction_by_key(const char *key, size_t len)
{
	return kt_wording_by_key(directions, KT_DIRECTIONS, key, len);
}
int kt_goal_status_by_key(const char *key, size_t len)
{
	return kt_wording_by_key(statuses, KT_STATUSES, key, len);
}

int kt_goal_level_parse(const char *text)
{
	return kt_wording_parse(levels, KT_LEVELS, text);
}

int kt_goal_direction_parse(const char *text)
{
	int d = kt_wording_parse(directions, KT_DIRECTIONS, text);
	if (d >= 0 || !text)
		return d;
	if (kt_words_equal(text, "ned"))
		return KT_DIRECTION_LOWER;
	if (kt_words_equal(text, "opp"))
		return KT_DIRECTION_HIGHER;
	return -1;
}

/* A letter of a word: ASCII, or any byte of a UTF-8 sequence (æ, ø, å). */
static int is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Non-zero when phrase occurs in text as whole words, ignoring case. */
static int contains_words(const char *text, const char *phrase)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t tn = strlen(text), pn = strlen(phrase);
	for (size_t i = 0; i + pn <= tn; i++) {
		if (i > 0 && is_letter(t[i - 1]))
			continue;
		size_t k = 0;
		while (k < pn && kt_word_fold(text, i + k) == kt_word_fold(phrase, k))
			k++;
		if (k == pn && !is_letter(t[i + pn]))
			return 1;
	}
	return 0;
}

int kt_goal_status_parse(const char *text)
{
	if (!text)
		return -1;
	int by_name = kt_wording_parse(statuses, KT_STATUSES, text);
	if (by_name >= 0)
		return by_name;
	int best = -1;
	size_t best_len = 0;
	for (size_t k = 0; k < sizeof status_phrases / sizeof status_phrases[0]; k++) {
		size_t len = strlen(status_phrases[k].phrase);
		if (len > best_len && contains_words(text, status_phrases[k].phrase)) {
			best = (int)status_phrases[k].status;
			best_len = len;
		}
	}
	return best;
}

/* ---- goal numbers and labels -------------------------------------------- */

int kt_goal_number_parse(const char *s, size_t len, int *year, uint32_t *seq)
{
	/* M-YYYY-NNN: 10 to 12 bytes. */
	if (len < 10 || len > 12 || s[0] != 'M' || s[1] != '-' || s[6] != '-')
		return 0;
	int y = 0;
	uint32_t n = 0;
	for (size_t k = 2; k < len; k++) {
		if (k == 6)
			continue;
		if (s[k] < '0' || s[k] > '9')
			return 0;
		if (k < 6)
			y = y * 10 + (s[k] - '0');
		else
			n = n * 10 + (uint32_t)(s[k] - '0');
	}
	/* One spelling per number: at least three digits, padded only to three. */
	if (y < 1900 || n == 0 || (len > 10 && s[7] == '0'))
		return 0;
	if (year)
		*year = y;
	if (seq)
		*seq = n;
	return 1;
}

void kt_goal_number_format(int year, uint32_t seq, char out[KT_GOAL_NUMBER_SIZE])
{
	snprintf(out, KT_GOAL_NUMBER_SIZE, "M-%04d-%03u", year % 10000, seq % 100000u);
}

int kt_goal_label_ok(const char *s, size_t len)
{
	size_t k = 0;
	while (k < len && k < 3 && s[k] >= 'A' && s[k] <= 'Z')
		k++;
	size_t digits = len - k;
	int ok = k > 0 && digits >= 1 && digits <= 4 && s[k] >= '1' && s[k] <= '9';
	for (size_t j = k; ok && j < len; j++)
		ok = s[j] >= '0' && s[j] <= '9';
	return ok;
}

/* ---- field tables ------------------------------------------------------- */

#define LEN_NAME 200
#define LEN_REF	 300
#define LEN_LONG 8000

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
#define YEAR(n, fl)                                                                                \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_INTEGER, .flags = (fl) | KT_FIELD_RANGE,             \
		.min = 1900, .max = 9999                                                           \
	}
#define NUMBER(n, fl)                                                                              \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_NUMBER, .flags = (fl)                                \
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
/* The line numbers of the source where the fact is written. */
#define SOURCE_LINES INTEGERS("source_lines", 0, 1, 10000000, 64)

static const char *const measured_precisions[] = { "day", "month", "year", NULL };

static const struct kt_field defined_fields[] = {
	TEXT("number", REQ | LINE, KT_GOAL_NUMBER_SIZE - 1),
	ENUM("level", REQ, level_keys),
	ENUM("area", REQ, kt_area_keys),
	YEAR("period_from", REQ),
	YEAR("period_to", REQ),
	TEXT("text", REQ, LEN_LONG),
	TEXT("title", LINE, LEN_NAME),
	TEXT("parent", LINE, KT_GOAL_NUMBER_SIZE - 1),
	TEXT("source", LINE, LEN_REF), SOURCE_LINES,
};

static const struct kt_field revised_fields[] = {
	TEXT("reason", REQ, LEN_LONG), ENUM("level", 0, level_keys), YEAR("period_from", 0),
	YEAR("period_to", 0),	       TEXT("text", 0, LEN_LONG),    TEXT("title", LINE, LEN_NAME),
	TEXT("source", LINE, LEN_REF), SOURCE_LINES,
};

static const struct kt_field indicator_defined_fields[] = {
	TEXT("indicator", REQ | LINE, 8),
	TEXT("name", REQ | LINE, LEN_NAME),
	ENUM("direction", REQ, direction_keys),
	TEXT("unit", LINE, 40),
	TEXT("part", LINE, LEN_NAME),
	NUMBER("baseline", 0),
	DATE("baseline_date", 0),
	OBJECT("targets", 0),
	TEXT("source", LINE, LEN_REF), SOURCE_LINES,
};

static const struct kt_field indicator_revised_fields[] = {
	TEXT("indicator", REQ | LINE, 8),
	TEXT("reason", REQ, LEN_LONG),
	TEXT("name", LINE, LEN_NAME),
	ENUM("direction", 0, direction_keys),
	TEXT("unit", LINE, 40),
	TEXT("part", LINE, LEN_NAME),
	NUMBER("baseline", 0),
	DATE("baseline_date", 0),
	OBJECT("targets", 0),
	TEXT("source", LINE, LEN_REF), SOURCE_LINES,
};

static const struct kt_field measured_fields[] = {
	TEXT("indicator", REQ | LINE, 8),
	NUMBER("value", REQ),
	DATE("date", REQ),
	ENUM("date_precision", 0, measured_precisions),
	TEXT("date_text", LINE, LEN_NAME),
	TEXT("source", LINE, LEN_REF),
	SOURCE_LINES,
	TEXT("note", 0, LEN_LONG),
};

static const struct kt_field assessed_fields[] = {
	YEAR("year", REQ),
	ENUM("status", REQ, status_keys),
	TEXT("wording", LINE, LEN_NAME),
	TEXT("text", 0, LEN_LONG),
	TEXT("part", LINE, LEN_NAME),
	TEXT("source", LINE, LEN_REF), SOURCE_LINES,
};

static const struct kt_field retired_fields[] = {
	TEXT("reason", REQ, LEN_LONG),
	SOURCE_LINES,
};

/* ---- cross-field checks ------------------------------------------------- */

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

static int has(const uint8_t *d, size_t n, const char *field)
{
	struct kt_mp v;
	return kt_data_find(d, n, field, &v) == 0;
}

/* period_from ≤ period_to, at most KT_GOAL_PERIOD_MAX years; either may be
 * absent in a revision (the other then stands alone). */
static int check_period(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int64_t from, to;
	if (kt_data_get_int(d, n, "period_from", &from) || kt_data_get_int(d, n, "period_to", &to))
		return KT_OK;
	if (to < from)
		return fail(why, why_len, "period_to: %lld is before period_from %lld",
			    (long long)to, (long long)from);
	if (to - from >= KT_GOAL_PERIOD_MAX)
		return fail(why, why_len, "period_to: a period of more than %d years",
			    KT_GOAL_PERIOD_MAX);
	return KT_OK;
}

static int check_defined(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const char *s;
	size_t len;
	int64_t from;
	int year;
	kt_data_get_str(d, n, "number", &s, &len);
	if (!kt_goal_number_parse(s, len, &year, NULL))
		return fail(why, why_len,
			    "number: '%.*s' is not a goal number (M-YYYY-NNN, e.g. M-2025-012)",
			    (int)len, s);
	kt_data_get_int(d, n, "period_from", &from);
	if (year != from)
		return fail(why, why_len,
			    "number: %.*s is not numbered in the year its period starts (%lld)",
			    (int)len, s, (long long)from);
	if (!kt_data_get_str(d, n, "parent", &s, &len)) {
		if (!kt_goal_number_parse(s, len, NULL, NULL))
			return fail(why, why_len, "parent: '%.*s' is not a goal number", (int)len,
				    s);
		const char *own;
		size_t own_len;
		kt_data_get_str(d, n, "number", &own, &own_len);
		if (own_len == len && memcmp(own, s, len) == 0)
			return fail(why, why_len, "parent: a goal cannot be its own parent");
	}
	return check_period(d, n, why, why_len);
}

static int check_revised(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	static const char *const changes[] = { "level", "period_from", "period_to",
					       "text",	"title",       "source" };
	int any = 0;
	for (size_t k = 0; k < sizeof changes / sizeof changes[0]; k++)
		any |= has(d, n, changes[k]);
	if (!any)
		return fail(why, why_len,
			    "a revision changes something: give level, period_from, period_to, "
			    "text, title or source");
	return check_period(d, n, why, why_len);
}

static int check_label(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const char *s;
	size_t len;
	kt_data_get_str(d, n, "indicator", &s, &len);
	if (!kt_goal_label_ok(s, len))
		return fail(why, why_len,
			    "indicator: '%.*s' is not a label (capital letters, then a number: I1)",
			    (int)len, s);
	return KT_OK;
}

/* A value for a whole month or year is dated on its last day: only then is
 * it known. */
static int check_measured(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc = check_label(d, n, why, why_len);
	const char *p, *t;
	size_t plen, tlen;
	if (rc || kt_data_get_str(d, n, "date_precision", &p, &plen))
		return rc;
	kt_data_get_str(d, n, "date", &t, &tlen);
	int year = atoi(t), month = atoi(t + 5), day = atoi(t + 8);
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int last = days[month - 1] + (month == 2 && leap);
	if (plen == 5 && memcmp(p, "month", 5) == 0 && day != last)
		return fail(why, why_len,
			    "date: '%.10s' is not the last day of its month (date_precision month)",
			    t);
	if (plen == 4 && memcmp(p, "year", 4) == 0 && (month != 12 || day != 31))
		return fail(why, why_len,
			    "date: '%.10s' is not the last day of its year (date_precision year)", t);
	return KT_OK;
}

/* targets: a map of years ("2025") to finite numbers. */
static int check_targets(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const uint8_t *map;
	size_t map_len;
	if (kt_data_get_map(d, n, "targets", &map, &map_len))
		return KT_OK;
	struct kt_mp r = kt_mp_init(map, map_len);
	uint32_t count;
	kt_mp_read_map(&r, &count);
	if (count == 0)
		return fail(why, why_len, "targets: empty (leave the field out instead)");
	if (count > KT_GOAL_TARGETS_MAX)
		return fail(why, why_len, "targets: more than %d years", KT_GOAL_TARGETS_MAX);
	for (uint32_t i = 0; i < count; i++) {
		const char *key;
		size_t key_len;
		kt_mp_read_str(&r, &key, &key_len);
		int year = 0, ok = key_len == 4;
		for (size_t k = 0; ok && k < 4; k++) {
			ok = key[k] >= '0' && key[k] <= '9';
			year = year * 10 + (key[k] - '0');
		}
		/* The keys of a nested map are not checked as text: quote safely. */
		char q[KT_SCHEMA_QUOTE_SIZE];
		if (!ok || year < 1900)
			return fail(why, why_len, "targets: '%s' is not a year (YYYY)",
				    kt_schema_quote(q, key, key_len));
		enum kt_mp_type t = kt_mp_peek(&r);
		double v;
		int64_t i64;
		if (t == KT_MP_FLOAT) {
			kt_mp_read_float(&r, &v);
			if (!isfinite(v))
				return fail(why, why_len, "targets: %.4s: not a finite number",
					    key);
		} else if (t == KT_MP_UINT || t == KT_MP_INT) {
			if (kt_mp_read_int(&r, &i64))
				return fail(why, why_len, "targets: %.4s: out of range", key);
		} else {
			return fail(why, why_len, "targets: %.4s: expected a number", key);
		}
	}
	/* Keys given twice would make the target of a year ambiguous. */
	struct kt_mp a = kt_mp_init(map, map_len);
	kt_mp_read_map(&a, &count);
	for (uint32_t i = 0; i < count; i++) {
		const char *ki;
		size_t ni;
		kt_mp_read_str(&a, &ki, &ni);
		kt_mp_skip(&a, 1);
		struct kt_mp b = a;
		for (uint32_t j = i + 1; j < count; j++) {
			const char *kj;
			size_t nj;
			kt_mp_read_str(&b, &kj, &nj);
			kt_mp_skip(&b, 1);
			if (memcmp(ki, kj, 4) == 0)
				return fail(why, why_len, "targets: %.4s given twice", ki);
		}
	}
	return KT_OK;
}

/* A baseline's date goes with the value it dates (the model reads it from
 * the fact that states the baseline), in a definition and a revision alike. */
static int check_baseline(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	if (has(d, n, "baseline_date") && !has(d, n, "baseline"))
		return fail(why, why_len, "baseline_date: given without baseline");
	return KT_OK;
}

static int check_indicator(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	int rc = check_label(d, n, why, why_len);
	if (!rc)
		rc = check_baseline(d, n, why, why_len);
	return rc ? rc : check_targets(d, n, why, why_len);
}

static int check_indicator_revised(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	static const char *const changes[] = { "name",	   "direction",	    "unit",    "part",
					       "baseline", "baseline_date", "targets", "source" };
	int rc = check_label(d, n, why, why_len), any = 0;
	for (size_t k = 0; k < sizeof changes / sizeof changes[0]; k++)
		any |= has(d, n, changes[k]);
	if (!rc && !any)
		rc = fail(why, why_len,
			  "a revision changes something: give name, direction, unit, part, "
			  "baseline, baseline_date, targets or source");
	if (!rc)
		rc = check_baseline(d, n, why, why_len);
	return rc ? rc : check_targets(d, n, why, why_len);
}

/* ---- the catalogue ------------------------------------------------------ */

#define SCHEMA(t, f, c)                                                                            \
	{                                                                                          \
		.type = (t), .fields = (f), .n_fields = sizeof(f) / sizeof((f)[0]), .check = (c)   \
	}

static const struct kt_schema catalogue[] = {
	SCHEMA(KT_EV_GOAL_DEFINED, defined_fields, check_defined),
	SCHEMA(KT_EV_GOAL_REVISED, revised_fields, check_revised),
	SCHEMA(KT_EV_GOAL_INDICATOR_DEFINED, indicator_defined_fields, check_indicator),
	SCHEMA(KT_EV_GOAL_INDICATOR_REVISED, indicator_revised_fields, check_indicator_revised),
	SCHEMA(KT_EV_GOAL_MEASURED, measured_fields, check_measured),
	SCHEMA(KT_EV_GOAL_ASSESSED, assessed_fields, NULL),
	SCHEMA(KT_EV_GOAL_RETIRED, retired_fields, NULL),
};

#define CATALOGUE_LEN (sizeof catalogue / sizeof catalogue[0])

const struct kt_schema *kt_goal_schema(const char *type, size_t len)
{
	for (size_t k = 0; k < CATALOGUE_LEN; k++)
		if (strlen(catalogue[k].type) == len && memcmp(catalogue[k].type, type, len) == 0)
			return &catalogue[k];
	return NULL;
}

const struct kt_schema *kt_goal_schema_at(size_t i)
{
	return i < CATALOGUE_LEN ? &catalogue[i] : NULL;
}
