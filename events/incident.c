/*
 * incident.c — the incident (Kvaliteket) event catalogue: one field table and
 * one cross-field check per type, the value lists with the names people use,
 * and incident numbers. events/INCIDENTS.md explains every field; keep the
 * two in step.
 */
#include "kontroll/incident_events.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/organisation.h"
#include "kontroll/wording.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- value lists -------------------------------------------------------- */

static const struct kt_wording categories[KT_CATEGORIES] = {
	[KT_CATEGORY_AVVIK] = { "avvik", "Avvik (inkl. skade)", "avvik inkl. skade" },
	[KT_CATEGORY_FORBEDRING] = { "forbedring", "Forbedringsforslag", "forbedringsforslag" },
};

static const struct kt_wording types[KT_TYPES] = {
	[KT_TYPE_HMS] = { "hms", "HMS/arbeidsmiljø", "arbeidsmiljø" },
	[KT_TYPE_PASIENT] = { "pasient_brukersikkerhet", "pasient- og brukersikkerhet",
			      "pasientsikkerhet" },
	[KT_TYPE_PERSONVERN] = { "personvern", "personvern", NULL },
	[KT_TYPE_INFOSIKKERHET] = { "informasjonssikkerhet", "informasjonssikkerhet",
				    "infosikkerhet" },
	[KT_TYPE_VOLD] = { "vold_trusler", "vold og trusler", "vold" },
	[KT_TYPE_MILJO] = { "miljo", "miljø", NULL },
	[KT_TYPE_ANNET] = { "annet", "annet", NULL },
};

static const struct kt_wording recipients[KT_RECIPIENTS] = {
	[KT_RECIPIENT_DATATILSYNET] = { "datatilsynet", "Datatilsynet", NULL },
	[KT_RECIPIENT_ARBEIDSTILSYNET] = { "arbeidstilsynet", "Arbeidstilsynet", NULL },
	[KT_RECIPIENT_STATSFORVALTEREN] = { "statsforvalteren", "Statsforvalteren",
					    "Statsforvalteren i Trøndelag" },
	[KT_RECIPIENT_HELSEPLATTFORMEN] = { "helseplattformen", "Helseplattformen", NULL },
	[KT_RECIPIENT_OTHER] = { "other", "other", "annen" },
};

static const char *const category_keys[] = { "avvik", "forbedring", NULL };
static const char *const type_keys[] = { "hms",		 "pasient_brukersikkerhet",
					 "personvern",	 "informasjonssikkerhet",
					 "vold_trusler", "miljo",
					 "annet",	 NULL };
static const char *const recipient_keys[] = {
	"datatilsynet", "arbeidstilsynet", "statsforvalteren", "helseplattformen", "other", NULL
};

const char *kt_category_key(enum kt_incident_category c)
{
	return (unsigned)c < KT_CATEGORIES ? categories[c].key : "?";
}
const char *kt_category_name(enum kt_incident_category c)
{
	return (unsigned)c < KT_CATEGORIES ? categories[c].name : "?";
}
const char *kt_incident_type_key(enum kt_incident_type t)
{
	return (unsigned)t < KT_TYPES ? types[t].key : "?";
}
const char *kt_incident_type_name(enum kt_incident_type t)
{
	return (unsigned)t < KT_TYPES ? types[t].name : "?";
}
const char *kt_recipient_key(enum kt_recipient r)
{
	return (unsigned)r < KT_RECIPIENTS ? recipients[r].key : "?";
}
const char *kt_recipient_name(enum kt_recipient r)
{
	return (unsigned)r < KT_RECIPIENTS ? recipients[r].name : "?";
}

int kt_category_by_key(const char *key, size_t len)
{
	return kt_wording_by_key(categories, KT_CATEGORIES, key, len);
}
int kt_incident_type_by_key(const char *key, size_t len)
{
	return kt_wording_by_key(types, KT_TYPES, key, len);
}
int kt_recipient_by_key(const char *key, size_t len)
{
	return kt_wording_by_key(recipients, KT_RECIPIENTS, key, len);
}

int kt_category_parse(const char *text)
{
	return kt_wording_parse(categories, KT_CATEGORIES, text);
}
int kt_incident_type_parse(const char *text)
{
	return kt_wording_parse(types, KT_TYPES, text);
}
int kt_recipient_parse(const char *text)
{
	return kt_wording_parse(recipients, KT_RECIPIENTS, text);
}

/* ---- incident numbers --------------------------------------------------- */

int kt_incident_number_parse(const char *s, size_t len, int *year, uint32_t *seq)
{
	/* H-YYYY-NNNNN: 12 to 14 bytes. */
	if (len < 12 || len > 14 || s[0] != 'H' || s[1] != '-' || s[6] != '-')
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
	/* One spelling per number: at least five digits, padded only to five. */
	if (y < 1900 || n == 0 || (len > 12 && s[7] == '0'))
		return 0;
	if (year)
		*year = y;
	if (seq)
		*seq = n;
	return 1;
}

void kt_incident_number_format(int year, uint32_t seq, char out[KT_INCIDENT_NUMBER_SIZE])
{
	snprintf(out, KT_INCIDENT_NUMBER_SIZE, "H-%04d-%05u", year % 10000, seq % 10000000u);
}

/* ---- field tables ------------------------------------------------------- */

#define LEN_NAME 200
#define LEN_REF	 300
#define LEN_LONG 8000

#define REQ	 KT_FIELD_REQUIRED
#define LINE	 KT_FIELD_LINE
#define PERSONAL KT_FIELD_PERSONAL

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
#define INTEGER(n, fl, lo, hi)                                                                     \
	{                                                                                          \
		.name = (n), .kind = KT_FIELD_INTEGER, .flags = (fl) | KT_FIELD_RANGE,             \
		.min = (lo), .max = (hi)                                                           \
	}

static const struct kt_field reported_fields[] = {
	TEXT("number", REQ | LINE, KT_INCIDENT_NUMBER_SIZE - 1),
	ENUM("category", REQ, category_keys),
	TEXT("unit", REQ | LINE, LEN_NAME),
	ENUM("area", REQ, kt_area_keys),
	DATE("occurred", REQ),
	TEXT("text", REQ | PERSONAL, LEN_LONG),
};

static const struct kt_field triaged_fields[] = {
	ENUM("type", REQ, type_keys),
	INTEGER("severity", REQ, 1, 4),
	TEXT("note", PERSONAL, LEN_LONG),
};

static const struct kt_field assigned_fields[] = {
	TEXT("handler", REQ | LINE, LEN_NAME),
	TEXT("note", PERSONAL, LEN_LONG),
};

static const struct kt_field action_added_fields[] = {
	TEXT("action", REQ | LINE, 8),
	TEXT("text", REQ | PERSONAL, LEN_LONG),
	DATE("due", REQ),
	TEXT("responsible", LINE, LEN_NAME),
};

static const struct kt_field action_completed_fields[] = {
	TEXT("action", REQ | LINE, 8),
	TEXT("note", PERSONAL, LEN_LONG),
};

static const struct kt_field external_fields[] = {
	ENUM("recipient", REQ, recipient_keys),
	TEXT("recipient_text", LINE, LEN_NAME),
	TEXT("reference", LINE, LEN_REF),
	TEXT("note", PERSONAL, LEN_LONG),
};

static const struct kt_field not_required_fields[] = {
	ENUM("recipient", REQ, recipient_keys),
	TEXT("recipient_text", LINE, LEN_NAME),
	TEXT("reason", REQ | PERSONAL, LEN_LONG),
};

static const struct kt_field closed_fields[] = {
	TEXT("conclusion", REQ | PERSONAL, LEN_LONG),
};

static const struct kt_field reopened_fields[] = {
	TEXT("reason", REQ | PERSONAL, LEN_LONG),
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

static int check_reported(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const char *s;
	size_t len;
	kt_data_get_str(d, n, "number", &s, &len);
	if (!kt_incident_number_parse(s, len, NULL, NULL))
		return fail(why, why_len,
			    "number: '%.*s' is not an incident number (H-YYYY-NNNNN, e.g. "
			    "H-2025-00042)",
			    (int)len, s);
	return KT_OK;
}

static int check_action(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const char *s;
	size_t len, k = 0;
	kt_data_get_str(d, n, "action", &s, &len);
	while (k < len && k < 3 && s[k] >= 'A' && s[k] <= 'Z')
		k++;
	size_t digits = len - k;
	int ok = k > 0 && digits >= 1 && digits <= 4 && s[k] >= '1' && s[k] <= '9';
	for (size_t j = k; ok && j < len; j++)
		ok = s[j] >= '0' && s[j] <= '9';
	if (!ok)
		return fail(why, why_len,
			    "action: '%.*s' is not a label (capital letters, then a number: T1)",
			    (int)len, s);
	return KT_OK;
}

static int check_recipient(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	const char *s;
	size_t len;
	struct kt_mp r;
	kt_data_get_str(d, n, "recipient", &s, &len);
	int other = len == 5 && memcmp(s, "other", 5) == 0;
	int named = kt_data_find(d, n, "recipient_text", &r) == 0;
	if (other && !named)
		return fail(why, why_len, "recipient_text: required when recipient is other");
	return KT_OK;
}

/* ---- the catalogue ------------------------------------------------------ */

#define SCHEMA(t, f, c)                                                                            \
	{                                                                                          \
		.type = (t), .fields = (f), .n_fields = sizeof(f) / sizeof((f)[0]), .check = (c)   \
	}

static const struct kt_schema catalogue[] = {
	SCHEMA(KT_EV_INCIDENT_REPORTED, reported_fields, check_reported),
	SCHEMA(KT_EV_INCIDENT_TRIAGED, triaged_fields, NULL),
	SCHEMA(KT_EV_INCIDENT_ASSIGNED, assigned_fields, NULL),
	SCHEMA(KT_EV_INCIDENT_ACTION_ADDED, action_added_fields, check_action),
	SCHEMA(KT_EV_INCIDENT_ACTION_COMPLETED, action_completed_fields, check_action),
	SCHEMA(KT_EV_INCIDENT_REPORTED_EXTERNAL, external_fields, check_recipient),
	SCHEMA(KT_EV_INCIDENT_EXTERNAL_NOT_REQ, not_required_fields, check_recipient),
	SCHEMA(KT_EV_INCIDENT_CLOSED, closed_fields, NULL),
	SCHEMA(KT_EV_INCIDENT_REOPENED, reopened_fields, NULL),
};

#define CATALOGUE_LEN (sizeof catalogue / sizeof catalogue[0])

const struct kt_schema *kt_incident_schema(const char *type, size_t len)
{
	for (size_t k = 0; k < CATALOGUE_LEN; k++)
		if (strlen(catalogue[k].type) == len && memcmp(catalogue[k].type, type, len) == 0)
			return &catalogue[k];
	return NULL;
}

const struct kt_schema *kt_incident_schema_at(size_t i)
{
	return i < CATALOGUE_LEN ? &catalogue[i] : NULL;
}
