/*
 * test_incident_events.c — the incident event catalogue (events/incident.c),
 * the organisation table (events/organisation.c) and the cross-catalogue
 * lookup and redaction (events/catalogue.c): a full payload using every field
 * of every type, and a minimal one; every required field missing, an unknown
 * field and a value of the wrong kind refused for every field of every type;
 * the rules on severity, incident numbers, action labels and "other"
 * recipients; the wordings people type for categories, types and recipients;
 * incident numbers parsed and formatted both ways; areas and units found by
 * every spelling the header promises, and the tables consistent; validation
 * of any catalogued type; and personal fields left out of payloads, also
 * inside a correction's replacement payload, with everything else kept byte
 * for byte.
 *
 * Payloads are JSON with single quotes for readability (turned into double
 * quotes before parsing; no payload text contains an apostrophe), converted
 * with kt_json_to_data and checked in exactly sized heap copies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/buf.h"
#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/incident_events.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"
#include "kontroll/mpread.h"
#include "kontroll/organisation.h"
#include "kontroll/schema.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define UUID "0190f2a4-7c1b-7d2e-8f3a-0123456789ab"

struct ev {
	const char *type;
	const char *json; /* single-quoted JSON */
};

struct payload {
	uint8_t *data; /* exactly len bytes on the heap */
	size_t len;
};

static char *double_quoted(const char *squoted)
{
	size_t n = strlen(squoted);
	char *json = malloc(n + 1);
	assert_non_null(json);
	for (size_t k = 0; k <= n; k++)
		json[k] = squoted[k] == '\'' ? '"' : squoted[k];
	return json;
}

/* Single-quoted JSON → msgpack in an exactly sized heap buffer. */
static struct payload encode(const char *squoted)
{
	char *json = double_quoted(squoted);
	struct kt_buf b = KT_BUF_INIT(KT_DATA_MAX);
	char why[200];
	if (kt_json_to_data(json, strlen(json), &b, why, sizeof why))
		fail_msg("test JSON does not parse: %s: %s", json, why);
	free(json);
	struct payload p = { malloc(b.len ? b.len : 1), b.len };
	assert_non_null(p.data);
	memcpy(p.data, b.data, b.len);
	kt_buf_free(&b);
	return p;
}

/* The incident schema of type; the test fails when there is none. */
static const struct kt_schema *schema_of(const char *type)
{
	const struct kt_schema *s = kt_incident_schema(type, strlen(type));
	if (!s)
		fail_msg("%s is not an incident event type", type);
	return s;
}

/* Check with the incident catalogue, and with the cross-catalogue lookup,
 * which must agree on the result and the reason. */
static int check(const char *type, const char *squoted, char *why, size_t why_len)
{
	struct payload p = encode(squoted);
	char other[256] = "untouched";
	int rc = kt_schema_check(schema_of(type), p.data, p.len, why, why_len);
	int rc2 = kt_catalogue_check(type, strlen(type), p.data, p.len, other, sizeof other);
	if (rc != rc2 || strcmp(why, other) != 0)
		fail_msg("%s %s: the catalogues disagree: %d '%s' vs %d '%s'", type, squoted, rc,
			 why, rc2, other);
	free(p.data);
	return rc;
}

static void passes(const char *type, const char *squoted)
{
	char why[256] = "untouched";
	int rc = check(type, squoted, why, sizeof why);
	if (rc)
		fail_msg("%s %s: refused (%d): %s", type, squoted, rc, why);
	assert_string_equal(why, "");
}

static void refused(const char *type, const char *squoted, const char *want)
{
	char why[256] = "untouched";
	int rc = check(type, squoted, why, sizeof why);
	if (rc != KT_EINVAL)
		fail_msg("%s %s: got %d (%s), want KT_EINVAL", type, squoted, rc, why);
	if (strcmp(why, want) != 0)
		fail_msg("%s %s:\n  got  %s\n  want %s", type, squoted, why, want);
}

/* Refused with a reason that starts with want. */
static void refused_as(const char *type, const char *squoted, const char *want)
{
	char why[256] = "untouched";
	int rc = check(type, squoted, why, sizeof why);
	if (rc != KT_EINVAL)
		fail_msg("%s %s: got %d (%s), want KT_EINVAL", type, squoted, rc, why);
	if (strncmp(why, want, strlen(want)) != 0)
		fail_msg("%s %s:\n  got  %s\n  want %s…", type, squoted, why, want);
}

/* ---- one minimal and one full payload per type -------------------------- */

static const struct ev minimal[] = {
	{ KT_EV_INCIDENT_REPORTED,
	  "{'number': 'H-2025-00042', 'category': 'avvik', 'unit': 'Øya helsehus',"
	  " 'area': 'helse_omsorg', 'occurred': '2025-03-03', 'text': 'Fall i korridor.'}" },
	{ KT_EV_INCIDENT_TRIAGED, "{'type': 'hms', 'severity': 1}" },
	{ KT_EV_INCIDENT_ASSIGNED, "{'handler': 'Kvalitetsrådgiver'}" },
	{ KT_EV_INCIDENT_ACTION_ADDED,
	  "{'action': 'T1', 'text': 'Sett opp rekkverk.', 'due': '2025-04-01'}" },
	{ KT_EV_INCIDENT_ACTION_COMPLETED, "{'action': 'T1'}" },
	{ KT_EV_INCIDENT_REPORTED_EXTERNAL, "{'recipient': 'arbeidstilsynet'}" },
	{ KT_EV_INCIDENT_EXTERNAL_NOT_REQ,
	  "{'recipient': 'datatilsynet', 'reason': 'Lav risiko for de registrerte.'}" },
	{ KT_EV_INCIDENT_CLOSED, "{'conclusion': 'Rekkverk satt opp.'}" },
	{ KT_EV_INCIDENT_REOPENED, "{'reason': 'Ny hendelse på samme sted.'}" },
};

static const struct ev full[] = {
	{ KT_EV_INCIDENT_REPORTED,
	  "{'number': 'H-2025-00042', 'category': 'avvik',"
	  " 'unit': 'Klæbu helse- og velferdssenter', 'area': 'helse_omsorg',"
	  " 'occurred': '2025-03-03', 'text': 'Feil medisin utdelt på kveldsvakt.\\n"
	  "Pasienten ble observert.'}" },
	{ KT_EV_INCIDENT_TRIAGED, "{'type': 'pasient_brukersikkerhet', 'severity': 4,"
				  " 'note': 'Alvorlig, men uten varig skade.'}" },
	{ KT_EV_INCIDENT_ASSIGNED,
	  "{'handler': 'Enhetsleder Klæbu', 'note': 'Følges opp på personalmøtet.'}" },
	{ KT_EV_INCIDENT_ACTION_ADDED,
	  "{'action': 'ABC9999', 'text': 'Gjennomgå rutinen for utdeling.', 'due': '2024-02-29',"
	  " 'responsible': 'Avdelingsleder'}" },
	{ KT_EV_INCIDENT_ACTION_COMPLETED,
	  "{'action': 'ABC9999', 'note': 'Rutinen er oppdatert og gjennomgått.'}" },
	{ KT_EV_INCIDENT_REPORTED_EXTERNAL,
	  "{'recipient': 'other', 'recipient_text': 'Norsk pasientskadeerstatning',"
	  " 'reference': 'NPE 2025/123', 'note': 'Sendt per brev.'}" },
	{ KT_EV_INCIDENT_EXTERNAL_NOT_REQ,
	  "{'recipient': 'other', 'recipient_text': 'Statens helsetilsyn',"
	  " 'reason': 'Ikke alvorlig nok til varsel etter § 3-3 a.'}" },
	{ KT_EV_INCIDENT_CLOSED, "{'conclusion': 'Tiltak gjennomført og evaluert.'}" },
	{ KT_EV_INCIDENT_REOPENED, "{'reason': 'Samme feil skjedde igjen.'}" },
};

/* Non-zero when field occurs in the full payload of type. */
static int field_used(const char *type, const char *field)
{
	for (size_t k = 0; k < N(full); k++) {
		if (strcmp(full[k].type, type) != 0)
			continue;
		struct payload p = encode(full[k].json);
		struct kt_mp r;
		int found = kt_data_find(p.data, p.len, field, &r) == 0;
		free(p.data);
		if (found)
			return 1;
	}
	return 0;
}

static void test_incident_every_type_has_valid_payloads(void **state)
{
	(void)state;
	size_t types = 0;
	while (kt_incident_schema_at(types))
		types++;
	assert_int_equal(types, 9);
	assert_int_equal(N(minimal), types);
	assert_int_equal(N(full), types);
	for (size_t k = 0; k < types; k++) {
		const struct kt_schema *s = kt_incident_schema_at(k);
		/* The tables follow the catalogue's (lifecycle) order. */
		assert_string_equal(minimal[k].type, s->type);
		assert_string_equal(full[k].type, s->type);
		assert_ptr_equal(schema_of(s->type), s);
		passes(minimal[k].type, minimal[k].json);
		passes(full[k].type, full[k].json);
		for (size_t f = 0; f < s->n_fields; f++)
			if (!field_used(s->type, s->fields[f].name))
				fail_msg("%s: the full payload has no %s", s->type,
					 s->fields[f].name);
	}
}

static void test_incident_lookup_by_type_name(void **state)
{
	(void)state;
	const struct kt_schema *s = kt_incident_schema("incident.closed", 15);
	assert_non_null(s);
	assert_string_equal(s->type, KT_EV_INCIDENT_CLOSED);
	/* The length counts, not a terminator. */
	assert_ptr_equal(kt_incident_schema("incident.closedXYZ", 15), s);
	assert_null(kt_incident_schema("incident.close", 14));
	assert_null(kt_incident_schema("Incident.closed", 15));
	assert_null(kt_incident_schema("", 0));
	assert_null(kt_incident_schema("finding.recorded", 16));
	assert_null(kt_incident_schema("event.corrected", 15));
	assert_null(kt_incident_schema_at(9));
	assert_null(kt_incident_schema_at((size_t)-1));
}

/* Every required field of every type, left out of the full payload; an
 * unknown field beside them. */
static void test_incident_every_required_field_is_required(void **state)
{
	(void)state;
	for (size_t k = 0; k < N(full); k++) {
		const struct kt_schema *s = kt_incident_schema_at(k);
		char *json = double_quoted(full[k].json);
		json_t *obj = json_loads(json, 0, NULL);
		assert_non_null(obj);
		size_t required = 0;
		for (size_t f = 0; f < s->n_fields; f++) {
			if (!(s->fields[f].flags & KT_FIELD_REQUIRED))
				continue;
			required++;
			json_t *copy = json_deep_copy(obj);
			assert_int_equal(json_object_del(copy, s->fields[f].name), 0);
			char *text = json_dumps(copy, JSON_COMPACT);
			char want[100];
			snprintf(want, sizeof want, "%s: required", s->fields[f].name);
			refused(s->type, text, want);
			free(text);
			json_decref(copy);
		}
		assert_true(required >= 1);
		json_object_set_new(obj, "colour", json_string("red"));
		char *text = json_dumps(obj, JSON_COMPACT);
		refused(s->type, text, "colour: unknown field");
		free(text);
		json_decref(obj);
		free(json);
	}
	/* Not a map at all. */
	static const uint8_t array[] = { 0x91, 0xa1, 'x' };
	char why[200];
	assert_int_equal(kt_catalogue_check(KT_EV_INCIDENT_CLOSED, strlen(KT_EV_INCIDENT_CLOSED),
					    array, sizeof array, why, sizeof why),
			 KT_EINVAL);
	assert_string_equal(why, "payload: expected an object, got an array");
	/* An empty map lacks the first required field. */
	refused(KT_EV_INCIDENT_REPORTED, "{}", "number: required");
}

/* Every field of every type, given a value of a kind it does not take. */
static void test_incident_wrong_kinds_are_refused(void **state)
{
	(void)state;
	size_t tried = 0;
	for (size_t k = 0; k < N(full); k++) {
		const struct kt_schema *s = kt_incident_schema_at(k);
		char *json = double_quoted(full[k].json);
		json_t *obj = json_loads(json, 0, NULL);
		assert_non_null(obj);
		for (size_t f = 0; f < s->n_fields; f++) {
			const struct kt_field *fd = &s->fields[f];
			json_t *wrong[4];
			size_t n = 0;
			if (fd->kind == KT_FIELD_INTEGER) {
				wrong[n++] = json_string("3");
				wrong[n++] = json_real(3.0);
			} else {
				wrong[n++] = json_integer(42);
				wrong[n++] = json_pack("[s]", "T1");
			}
			wrong[n++] = json_true();
			wrong[n++] = json_pack("{s:s}", "a", "b");
			for (size_t w = 0; w < n; w++) {
				json_t *copy = json_deep_copy(obj);
				json_object_set(copy, fd->name, wrong[w]);
				char *text = json_dumps(copy, JSON_COMPACT);
				char want[100];
				snprintf(want, sizeof want, "%s: expected ", fd->name);
				refused_as(s->type, text, want);
				free(text);
				json_decref(copy);
				json_decref(wrong[w]);
				tried++;
			}
		}
		json_decref(obj);
		free(json);
	}
	assert_int_equal(tried, 4 * 26);

	/* A null is never a value; blank and multi-line text are refused. */
	refused(KT_EV_INCIDENT_TRIAGED, "{'type': 'hms', 'severity': 2, 'note': null}",
		"note: expected text, got null");
	refused(KT_EV_INCIDENT_ASSIGNED, "{'handler': '  '}", "handler: empty");
	refused(KT_EV_INCIDENT_ASSIGNED, "{'handler': 'A\\nB'}",
		"handler: must be one line, without control characters");
	refused(KT_EV_INCIDENT_REPORTED,
		"{'number': 'H-2025-00042', 'category': 'avvik', 'unit': 'Øya helsehus',"
		" 'area': 'helse_omsorg', 'occurred': '2025-02-29', 'text': 'Fall.'}",
		"occurred: '2025-02-29' is not a date (YYYY-MM-DD)");
	refused(KT_EV_INCIDENT_REPORTED,
		"{'number': 'H-2025-00042', 'category': 'Avvik', 'unit': 'Øya helsehus',"
		" 'area': 'helse_omsorg', 'occurred': '2025-02-28', 'text': 'Fall.'}",
		"category: 'Avvik' is not one of avvik, forbedring");
	refused(KT_EV_INCIDENT_REPORTED,
		"{'number': 'H-2025-00042', 'category': 'avvik', 'unit': 'Øya helsehus',"
		" 'area': 'helse og omsorg', 'occurred': '2025-02-28', 'text': 'Fall.'}",
		"area: 'helse og omsorg' is not one of byradsleder, oppvekst_utdanning, "
		"helse_omsorg, sosiale_tjenester, kultur_idrett_friluftsliv, byutvikling, "
		"miljo_naring_samferdsel, finans");
	refused_as(KT_EV_INCIDENT_TRIAGED, "{'type': 'Personvern', 'severity': 2}",
		   "type: 'Personvern' is not one of hms, ");
	refused_as(KT_EV_INCIDENT_REPORTED_EXTERNAL, "{'recipient': 'Datatilsynet'}",
		   "recipient: 'Datatilsynet' is not one of datatilsynet, ");
}

static void test_incident_severity_is_one_to_four(void **state)
{
	(void)state;
	refused(KT_EV_INCIDENT_TRIAGED, "{'type': 'hms', 'severity': 0}",
		"severity: 0 is less than 1");
	refused(KT_EV_INCIDENT_TRIAGED, "{'type': 'hms', 'severity': 5}",
		"severity: 5 is more than 4");
	refused(KT_EV_INCIDENT_TRIAGED, "{'type': 'hms', 'severity': -1}",
		"severity: -1 is less than 1");
	for (int s = 1; s <= 4; s++) {
		char json[64];
		snprintf(json, sizeof json, "{'type': 'personvern', 'severity': %d}", s);
		passes(KT_EV_INCIDENT_TRIAGED, json);
	}
}

#define REPORT_WITH(number)                                                                        \
	"{'number': '" number "', 'category': 'forbedring', 'unit': 'Byplankontoret',"             \
	" 'area': 'byutvikling', 'occurred': '2025-01-02', 'text': 'Forslag.'}"

static void test_incident_number_rule(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"H-2025-0042",	  /* too short */
		"H-2025-000042",  /* padded beyond five digits */
		"H-2025-0000042", /* padded to seven */
		"H-1899-00001",	  /* before 1900 */
		"H-2025-00000",	  /* no incident 0 */
		"h-2025-00042",	  "H-2025_00042", "H_2025-00042",    "H2025-000042", "K-2025-00042",
		"H-20a5-00042",	  "H-2025-0004x", "H-2025-12345678", /* eight digits */
		"H--2025-0042",	  "H-2025-+0042", "H-2025- 0042",
	};
	for (size_t k = 0; k < N(bad); k++) {
		char json[300], want[200];
		snprintf(json, sizeof json, REPORT_WITH("%s"), bad[k]);
		snprintf(want, sizeof want,
			 "number: '%s' is not an incident number (H-YYYY-NNNNN, e.g. H-2025-00042)",
			 bad[k]);
		refused(KT_EV_INCIDENT_REPORTED, json, want);
	}
	refused(KT_EV_INCIDENT_REPORTED, REPORT_WITH("H-2025-123456789"),
		"number: longer than 15 bytes");
	passes(KT_EV_INCIDENT_REPORTED, REPORT_WITH("H-2025-00001"));
	passes(KT_EV_INCIDENT_REPORTED, REPORT_WITH("H-1900-00001"));
	passes(KT_EV_INCIDENT_REPORTED, REPORT_WITH("H-9999-99999"));
	passes(KT_EV_INCIDENT_REPORTED, REPORT_WITH("H-2025-100000"));
	passes(KT_EV_INCIDENT_REPORTED, REPORT_WITH("H-2025-1234567"));
	passes(KT_EV_INCIDENT_REPORTED, REPORT_WITH("H-2025-10000"));
}

static void test_incident_action_labels(void **state)
{
	(void)state;
	static const char *const good[] = { "T1", "T10", "T9999", "AB1", "ABC9999", "Z7" };
	static const char *const bad[] = { "t1", "T0",	  "T01", "TTTT1", "T12345",
					   "1",	 "T",	  "T-1", "T1a",	  "T 1",
					   "Ø1", "ABCD1", "T1 ", " T1",	  "T1.5" };
	for (size_t k = 0; k < N(good); k++) {
		char a[200], c[200];
		snprintf(a, sizeof a, "{'action': '%s', 'text': 'Gjør noe.', 'due': '2025-05-01'}",
			 good[k]);
		snprintf(c, sizeof c, "{'action': '%s'}", good[k]);
		passes(KT_EV_INCIDENT_ACTION_ADDED, a);
		passes(KT_EV_INCIDENT_ACTION_COMPLETED, c);
	}
	for (size_t k = 0; k < N(bad); k++) {
		char a[200], c[200], want[200];
		snprintf(a, sizeof a, "{'action': '%s', 'text': 'Gjør noe.', 'due': '2025-05-01'}",
			 bad[k]);
		snprintf(c, sizeof c, "{'action': '%s', 'note': 'Gjort.'}", bad[k]);
		snprintf(want, sizeof want,
			 "action: '%s' is not a label (capital letters, then a number: T1)",
			 bad[k]);
		/* Labels too long for the field are refused by its length first. */
		if (strlen(bad[k]) > 8)
			snprintf(want, sizeof want, "action: longer than 8 bytes");
		refused(KT_EV_INCIDENT_ACTION_ADDED, a, want);
		refused(KT_EV_INCIDENT_ACTION_COMPLETED, c, want);
	}
}

static void test_incident_other_recipient_needs_its_name(void **state)
{
	(void)state;
	refused(KT_EV_INCIDENT_REPORTED_EXTERNAL, "{'recipient': 'other'}",
		"recipient_text: required when recipient is other");
	refused(KT_EV_INCIDENT_REPORTED_EXTERNAL,
		"{'recipient': 'other', 'reference': '2025/1', 'note': 'Sendt.'}",
		"recipient_text: required when recipient is other");
	refused(KT_EV_INCIDENT_EXTERNAL_NOT_REQ,
		"{'recipient': 'other', 'reason': 'Ikke aktuelt.'}",
		"recipient_text: required when recipient is other");
	passes(KT_EV_INCIDENT_REPORTED_EXTERNAL,
	       "{'recipient': 'other', 'recipient_text': 'Politiet'}");
	passes(KT_EV_INCIDENT_EXTERNAL_NOT_REQ,
	       "{'recipient': 'other', 'recipient_text': 'Politiet', 'reason': 'Ikke aktuelt.'}");
	/* A named body needs no name, but may have one. */
	for (int r = 0; r < KT_RECIPIENTS; r++) {
		char json[200];
		if (r == KT_RECIPIENT_OTHER)
			continue;
		snprintf(json, sizeof json, "{'recipient': '%s'}", kt_recipient_key(r));
		passes(KT_EV_INCIDENT_REPORTED_EXTERNAL, json);
		snprintf(json, sizeof json, "{'recipient': '%s', 'recipient_text': '%s'}",
			 kt_recipient_key(r), kt_recipient_name(r));
		passes(KT_EV_INCIDENT_REPORTED_EXTERNAL, json);
	}
	refused(KT_EV_INCIDENT_REPORTED_EXTERNAL, "{'recipient': 'other', 'recipient_text': ''}",
		"recipient_text: empty");
}

/* ---- wordings ----------------------------------------------------------- */

static void test_incident_wording_parsers(void **state)
{
	(void)state;
	assert_int_equal(kt_category_parse("Avvik (inkl. skade)"), KT_CATEGORY_AVVIK);
	assert_int_equal(kt_category_parse("avvik (inkl. skade)"), KT_CATEGORY_AVVIK);
	assert_int_equal(kt_category_parse("avvik"), KT_CATEGORY_AVVIK);
	assert_int_equal(kt_category_parse("AVVIK"), KT_CATEGORY_AVVIK);
	assert_int_equal(kt_category_parse("avvik inkl. skade"), KT_CATEGORY_AVVIK);
	assert_int_equal(kt_category_parse("forbedringsforslag"), KT_CATEGORY_FORBEDRING);
	assert_int_equal(kt_category_parse("Forbedringsforslag"), KT_CATEGORY_FORBEDRING);
	assert_int_equal(kt_category_parse("forbedring"), KT_CATEGORY_FORBEDRING);

	assert_int_equal(kt_incident_type_parse("HMS/arbeidsmiljø"), KT_TYPE_HMS);
	assert_int_equal(kt_incident_type_parse("hms/arbeidsmiljø"), KT_TYPE_HMS);
	assert_int_equal(kt_incident_type_parse("HMS"), KT_TYPE_HMS);
	assert_int_equal(kt_incident_type_parse("arbeidsmiljø"), KT_TYPE_HMS);
	assert_int_equal(kt_incident_type_parse("pasient- og brukersikkerhet"), KT_TYPE_PASIENT);
	assert_int_equal(kt_incident_type_parse("Pasient- og brukersikkerhet"), KT_TYPE_PASIENT);
	assert_int_equal(kt_incident_type_parse("pasient_brukersikkerhet"), KT_TYPE_PASIENT);
	assert_int_equal(kt_incident_type_parse("pasientsikkerhet"), KT_TYPE_PASIENT);
	assert_int_equal(kt_incident_type_parse("personvern"), KT_TYPE_PERSONVERN);
	assert_int_equal(kt_incident_type_parse("Personvern"), KT_TYPE_PERSONVERN);
	assert_int_equal(kt_incident_type_parse("informasjonssikkerhet"), KT_TYPE_INFOSIKKERHET);
	assert_int_equal(kt_incident_type_parse("infosikkerhet"), KT_TYPE_INFOSIKKERHET);
	assert_int_equal(kt_incident_type_parse("vold og trusler"), KT_TYPE_VOLD);
	assert_int_equal(kt_incident_type_parse("Vold og trusler"), KT_TYPE_VOLD);
	assert_int_equal(kt_incident_type_parse("vold_trusler"), KT_TYPE_VOLD);
	assert_int_equal(kt_incident_type_parse("vold"), KT_TYPE_VOLD);
	assert_int_equal(kt_incident_type_parse("miljø"), KT_TYPE_MILJO);
	assert_int_equal(kt_incident_type_parse("miljo"), KT_TYPE_MILJO);
	assert_int_equal(kt_incident_type_parse("Miljo"), KT_TYPE_MILJO);
	/* Capital Æ Ø Å fold as the areas' names do. */
	assert_int_equal(kt_incident_type_parse("MILJØ"), KT_TYPE_MILJO);
	assert_int_equal(kt_recipient_parse("STATSFORVALTEREN I TRØNDELAG"),
			 KT_RECIPIENT_STATSFORVALTEREN);
	assert_int_equal(kt_incident_type_parse("annet"), KT_TYPE_ANNET);

	assert_int_equal(kt_recipient_parse("Datatilsynet"), KT_RECIPIENT_DATATILSYNET);
	assert_int_equal(kt_recipient_parse("datatilsynet"), KT_RECIPIENT_DATATILSYNET);
	assert_int_equal(kt_recipient_parse("DATATILSYNET"), KT_RECIPIENT_DATATILSYNET);
	assert_int_equal(kt_recipient_parse("Arbeidstilsynet"), KT_RECIPIENT_ARBEIDSTILSYNET);
	assert_int_equal(kt_recipient_parse("Statsforvalteren i Trøndelag"),
			 KT_RECIPIENT_STATSFORVALTEREN);
	assert_int_equal(kt_recipient_parse("helseplattformen"), KT_RECIPIENT_HELSEPLATTFORMEN);
	assert_int_equal(kt_recipient_parse("other"), KT_RECIPIENT_OTHER);
	assert_int_equal(kt_recipient_parse("annen"), KT_RECIPIENT_OTHER);

	static const char *const unknown[] = {
		"",	    " ",	  "avvikk",	    "skade",   "Avvik (inkl skade)",
		"forslag",  "hms ",	  "miljø og klima", "vold og", "Datatilsynet ",
		"tilsynet", "personvern!"
	};
	for (size_t k = 0; k < N(unknown); k++) {
		if (kt_category_parse(unknown[k]) != -1 ||
		    kt_incident_type_parse(unknown[k]) != -1 ||
		    kt_recipient_parse(unknown[k]) != -1)
			fail_msg("'%s' was understood", unknown[k]);
	}
	assert_int_equal(kt_category_parse(NULL), -1);
	assert_int_equal(kt_incident_type_parse(NULL), -1);
	assert_int_equal(kt_recipient_parse(NULL), -1);
	/* A category is not a type, nor a type a recipient. */
	assert_int_equal(kt_incident_type_parse("avvik"), -1);
	assert_int_equal(kt_recipient_parse("personvern"), -1);
}

/* Keys and names of every value lead back to it, and the keys are exactly
 * the values the schemas accept. */
static void test_incident_keys_names_and_schema_values_agree(void **state)
{
	(void)state;
	const struct kt_field *cat =
	    kt_schema_field(schema_of(KT_EV_INCIDENT_REPORTED), "category");
	const struct kt_field *area = kt_schema_field(schema_of(KT_EV_INCIDENT_REPORTED), "area");
	const struct kt_field *type = kt_schema_field(schema_of(KT_EV_INCIDENT_TRIAGED), "type");
	const struct kt_field *rec =
	    kt_schema_field(schema_of(KT_EV_INCIDENT_REPORTED_EXTERNAL), "recipient");
	const struct kt_field *rec2 =
	    kt_schema_field(schema_of(KT_EV_INCIDENT_EXTERNAL_NOT_REQ), "recipient");
	assert_non_null(cat);
	assert_non_null(area);
	assert_non_null(type);
	assert_non_null(rec);
	assert_non_null(rec2);

	for (int c = 0; c < KT_CATEGORIES; c++) {
		const char *k = kt_category_key(c);
		assert_string_equal(cat->values[c], k);
		assert_int_equal(kt_category_by_key(k, strlen(k)), c);
		assert_int_equal(kt_category_parse(k), c);
		assert_int_equal(kt_category_parse(kt_category_name(c)), c);
	}
	assert_null(cat->values[KT_CATEGORIES]);
	for (int t = 0; t < KT_TYPES; t++) {
		const char *k = kt_incident_type_key(t);
		assert_string_equal(type->values[t], k);
		assert_int_equal(kt_incident_type_by_key(k, strlen(k)), t);
		assert_int_equal(kt_incident_type_parse(k), t);
		assert_int_equal(kt_incident_type_parse(kt_incident_type_name(t)), t);
	}
	assert_null(type->values[KT_TYPES]);
	for (int r = 0; r < KT_RECIPIENTS; r++) {
		const char *k = kt_recipient_key(r);
		assert_string_equal(rec->values[r], k);
		assert_string_equal(rec2->values[r], k);
		assert_int_equal(kt_recipient_by_key(k, strlen(k)), r);
		assert_int_equal(kt_recipient_parse(k), r);
		assert_int_equal(kt_recipient_parse(kt_recipient_name(r)), r);
	}
	assert_null(rec->values[KT_RECIPIENTS]);
	for (size_t a = 0; a < KT_AREAS; a++) {
		assert_string_equal(area->values[a], kt_area_at(a)->key);
		assert_string_equal(kt_area_keys[a], kt_area_at(a)->key);
	}
	assert_null(kt_area_keys[KT_AREAS]);
	assert_null(area->values[KT_AREAS]);

	/* The names the report uses. */
	assert_string_equal(kt_category_name(KT_CATEGORY_AVVIK), "Avvik (inkl. skade)");
	assert_string_equal(kt_category_name(KT_CATEGORY_FORBEDRING), "Forbedringsforslag");
	assert_string_equal(kt_incident_type_name(KT_TYPE_HMS), "HMS/arbeidsmiljø");
	assert_string_equal(kt_recipient_name(KT_RECIPIENT_DATATILSYNET), "Datatilsynet");

	/* Out of range: "?", and by_key is exact. */
	assert_string_equal(kt_category_key(KT_CATEGORIES), "?");
	assert_string_equal(kt_category_name(-1), "?");
	assert_string_equal(kt_incident_type_key(KT_TYPES), "?");
	assert_string_equal(kt_incident_type_name(99), "?");
	assert_string_equal(kt_recipient_key(KT_RECIPIENTS), "?");
	assert_string_equal(kt_recipient_name(-3), "?");
	assert_int_equal(kt_category_by_key("Avvik", 5), -1);
	assert_int_equal(kt_category_by_key("avvikX", 5), KT_CATEGORY_AVVIK);
	assert_int_equal(kt_category_by_key("avvik", 4), -1);
	assert_int_equal(kt_incident_type_by_key("miljø", strlen("miljø")), -1);
	assert_int_equal(kt_recipient_by_key("", 0), -1);
}

/* ---- incident numbers ---------------------------------------------------- */

static void round_trip(int year, uint32_t seq, const char *want)
{
	char out[KT_INCIDENT_NUMBER_SIZE];
	int y = -1;
	uint32_t s = 0;
	memset(out, 'x', sizeof out);
	kt_incident_number_format(year, seq, out);
	if (want)
		assert_string_equal(out, want);
	if (!kt_incident_number_parse(out, strlen(out), &y, &s))
		fail_msg("%s (%d, %u) does not parse", out, year, (unsigned)seq);
	assert_int_equal(y, year);
	assert_int_equal(s, seq);
}

static void test_incident_number_parse_and_format(void **state)
{
	(void)state;
	round_trip(2025, 42, "H-2025-00042");
	round_trip(2025, 1, "H-2025-00001");
	round_trip(2025, 99999, "H-2025-99999");
	round_trip(2025, 100000, "H-2025-100000");
	round_trip(2025, 1234567, "H-2025-1234567");
	round_trip(2025, 9999999, "H-2025-9999999");
	round_trip(1900, 7, "H-1900-00007");
	round_trip(9999, 10, "H-9999-00010");
	for (uint32_t seq = 1; seq < 10000000; seq = seq * 3 + 1)
		for (int year = 1900; year <= 9999; year += 811)
			round_trip(year, seq, NULL);

	/* The length counts, not a terminator; NULL outputs are fine. */
	int y = 0;
	uint32_t s = 0;
	assert_true(kt_incident_number_parse("H-2025-00042XYZ", 12, &y, &s));
	assert_int_equal(y, 2025);
	assert_int_equal(s, 42);
	assert_true(kt_incident_number_parse("H-2025-00042", 12, NULL, NULL));
	assert_false(kt_incident_number_parse("H-2025-00042", 11, NULL, NULL));
	/* 13 bytes: "H-2025-000420", padded beyond five digits. */
	assert_false(kt_incident_number_parse("H-2025-0004200", 13, NULL, NULL));
	assert_false(kt_incident_number_parse("", 0, NULL, NULL));

	static const char *const bad[] = { "H-2025-0042",     "H-2025-000042",	"H-1899-00001",
					   "H-2025-00000",    "H-2025-0000000", "h-2025-00042",
					   "H-2025-1234567X", "H-0000-00001",	"H-2025-00-42",
					   "X-2025-00042",    "H-2025-12345678" };
	for (size_t k = 0; k < N(bad); k++) {
		y = -7;
		s = 7;
		if (kt_incident_number_parse(bad[k], strlen(bad[k]), &y, &s))
			fail_msg("'%s' parsed", bad[k]);
		/* Outputs are left alone on failure. */
		assert_int_equal(y, -7);
		assert_int_equal(s, 7);
	}
}

/* ---- organisation -------------------------------------------------------- */

static void test_organisation_areas(void **state)
{
	(void)state;
	assert_int_equal(kt_area_count(), KT_AREAS);
	assert_null(kt_area_at(KT_AREAS));
	for (size_t a = 0; a < KT_AREAS; a++) {
		const struct kt_area *ar = kt_area_at(a);
		assert_non_null(ar);
		assert_int_equal(kt_area_find(ar->key), (int)a);
		assert_int_equal(kt_area_find(ar->name), (int)a);
		assert_int_equal(kt_area_find(ar->code), (int)a);
		assert_int_equal(kt_area_by_key(ar->key, strlen(ar->key)), (int)a);
		/* Keys are lower-case ASCII with '_' only. */
		for (const char *p = ar->key; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
	}
	int helse = kt_area_find("helse_omsorg");
	assert_true(helse >= 0);
	assert_string_equal(kt_area_at((size_t)helse)->name, "helse og omsorg");
	assert_int_equal(kt_area_find("helse-og-omsorg"), helse);
	assert_int_equal(kt_area_find("Helse og omsorg"), helse);
	assert_int_equal(kt_area_find("HELSE  og -- omsorg"), helse);
	assert_int_equal(kt_area_find("  helse og omsorg  "), helse);
	assert_int_equal(kt_area_find("BO-HO"), helse);
	assert_int_equal(kt_area_find("bo_ho"), helse);
	int miljo = kt_area_find("Miljø, næring og samferdsel");
	assert_true(miljo >= 0);
	assert_string_equal(kt_area_at((size_t)miljo)->key, "miljo_naring_samferdsel");
	assert_int_equal(kt_area_find("miljo_naring_samferdsel"), miljo);
	assert_int_equal(kt_area_find("MILJØ, NÆRING OG SAMFERDSEL"), miljo);
	assert_int_equal(kt_area_find("miljo, naering og samferdsel"), miljo);
	assert_int_equal(kt_area_find("Byrådsleder"), kt_area_find("byradsleder"));
	assert_int_equal(kt_area_find("Kultur, idrett og friluftsliv"),
			 kt_area_find("kultur_idrett_friluftsliv"));

	static const char *const unknown[] = { "",   "helse",	       "omsorg",
					       "BO", "BO-XX",	       "helse og omsorg og",
					       "-",  "helse_omsorg_x", "Helseplattformen" };
	for (size_t k = 0; k < N(unknown); k++)
		if (kt_area_find(unknown[k]) != -1)
			fail_msg("area '%s' was found", unknown[k]);
	assert_int_equal(kt_area_find(NULL), -1);
	/* by_key is exact. */
	assert_int_equal(kt_area_by_key("Helse_omsorg", 12), -1);
	assert_int_equal(kt_area_by_key("helse og omsorg", 15), -1);
	assert_int_equal(kt_area_by_key("finansX", 6), kt_area_find("finans"));

	/* Text longer than the matcher's buffer is not found, and not a crash. */
	char longer[600];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = 0;
	assert_int_equal(kt_area_find(longer), -1);
	assert_null(kt_unit_find(longer));
}

static void test_organisation_units(void **state)
{
	(void)state;
	const struct kt_unit *u = kt_unit_find("klæbu helse- og velferdssenter");
	assert_non_null(u);
	assert_string_equal(u->name, "Klæbu helse- og velferdssenter");
	assert_string_equal(kt_area_at(u->area)->key, "helse_omsorg");
	assert_ptr_equal(kt_unit_find("KLÆBU HELSE OG VELFERDSSENTER"), u);
	assert_ptr_equal(kt_unit_find("Klaebu helse- og velferdssenter"), u);

	/* By alias, in any case. */
	/* The two rows of one unit in the 2025 inspection table, and its
	 * shortened names. */
	const struct kt_unit *lade = kt_unit_find("Lade bo- og aktivitetstilbud");
	assert_non_null(lade);
	assert_ptr_equal(kt_unit_find("Lade bo- og aktivitetstilbud A"), lade);
	assert_ptr_equal(kt_unit_find("lade bo og aktivitetstilbud B"), lade);
	assert_null(kt_unit_find("Lade bo- og aktivitetstilbud C"));
	assert_true(kt_unit_is(lade, "LADE BO- OG AKTIVITETSTILBUD A"));
	assert_false(kt_unit_is(lade, "Lerkendal BoA"));
	assert_false(kt_unit_is(lade, NULL));
	assert_string_equal(kt_unit_find("Eierskap")->name, "Eierskapsenheten");
	const struct kt_unit *ppt = kt_unit_find("PPT");
	assert_non_null(ppt);
	assert_string_equal(ppt->name, "PP-tjenesten");
	assert_ptr_equal(kt_unit_find("ppt"), ppt);
	assert_ptr_equal(kt_unit_find("pp tjenesten"), ppt);
	const struct kt_unit *voksne = kt_unit_find("PPT voksne");
	assert_non_null(voksne);
	assert_true(voksne != ppt);
	const struct kt_unit *nav = kt_unit_find("nav falkeborg");
	assert_non_null(nav);
	assert_string_equal(nav->name, "NAV Falkenberg");
	assert_ptr_equal(kt_unit_find("Kommuneadvokaten"), kt_unit_find("Kommunadvokaten"));
	assert_string_equal(kt_area_at(kt_unit_find("Trondheim Eiendom")->area)->key, "finans");
	assert_ptr_equal(kt_unit_find("oya helsehus"), kt_unit_find("Øya helsehus"));

	static const char *const unknown[] = {
		"",    "Klæbu",		"helsehus",    "Øya", "PPT voksne x",
		"NAV", "Heimdal skole", "helse_omsorg"
	};
	for (size_t k = 0; k < N(unknown); k++)
		if (kt_unit_find(unknown[k]))
			fail_msg("unit '%s' was found", unknown[k]);
	assert_null(kt_unit_find(NULL));
	assert_null(kt_unit_at(kt_unit_count()));
}

/* Every unit has an area; no two units (names or aliases) fold alike, so each
 * name and alias finds its own unit. */
static void test_organisation_table_is_consistent(void **state)
{
	(void)state;
	size_t n = kt_unit_count();
	assert_true(n >= 60);
	size_t per_area[KT_AREAS] = { 0 };
	for (size_t k = 0; k < n; k++) {
		const struct kt_unit *u = kt_unit_at(k);
		assert_non_null(u);
		assert_non_null(u->name);
		if (u->area >= KT_AREAS)
			fail_msg("%s: area %zu", u->name, u->area);
		per_area[u->area]++;
		if (kt_unit_find(u->name) != u)
			fail_msg("'%s' finds another unit", u->name);
		for (size_t a = 0; a < KT_UNIT_ALIASES && u->aliases[a]; a++) {
			if (kt_unit_find(u->aliases[a]) != u)
				fail_msg("alias '%s' of '%s' finds another unit", u->aliases[a],
					 u->name);
			if (!kt_unit_is(u, u->aliases[a]) || !kt_unit_is(u, u->name))
				fail_msg("'%s' is not named by its alias '%s'", u->name,
					 u->aliases[a]);
		}
		/* A unit is never named like an area. */
		if (kt_area_find(u->name) != -1)
			fail_msg("'%s' is also an area", u->name);
	}
	for (size_t a = 0; a < KT_AREAS; a++)
		if (!per_area[a])
			fail_msg("area %s has no unit", kt_area_at(a)->key);
}

/* ---- the catalogues together --------------------------------------------- */

static void test_catalogue_lookup_and_check(void **state)
{
	(void)state;
	for (size_t k = 0; kt_inspection_schema_at(k); k++) {
		const struct kt_schema *s = kt_inspection_schema_at(k);
		assert_ptr_equal(kt_catalogue_schema(s->type, strlen(s->type)), s);
		assert_null(kt_incident_schema(s->type, strlen(s->type)));
	}
	for (size_t k = 0; kt_incident_schema_at(k); k++) {
		const struct kt_schema *s = kt_incident_schema_at(k);
		assert_ptr_equal(kt_catalogue_schema(s->type, strlen(s->type)), s);
		assert_null(kt_inspection_schema(s->type, strlen(s->type)));
	}
	assert_null(kt_catalogue_schema("incident.deleted", 16));
	assert_null(kt_catalogue_schema("", 0));

	char why[256];
	struct payload p = encode("{'date': '2025-06-04'}");
	assert_int_equal(kt_catalogue_check("finding.none", 12, p.data, p.len, why, sizeof why),
			 KT_OK);
	assert_string_equal(why, "");
	assert_int_equal(kt_catalogue_check("incident.closed", 15, p.data, p.len, why, sizeof why),
			 KT_EINVAL);
	assert_string_equal(why, "date: unknown field");
	assert_int_equal(kt_catalogue_check("incident.deleted", 16, p.data, p.len, why, sizeof why),
			 KT_EINVAL);
	assert_string_equal(why, "type: 'incident.deleted' is not a catalogued event type");
	assert_int_equal(kt_catalogue_check("a\nb", 3, p.data, p.len, why, sizeof why), KT_EINVAL);
	assert_string_equal(why, "type: 'a?b' is not a catalogued event type");
	/* why may be absent. */
	assert_int_equal(kt_catalogue_check("incident.deleted", 16, p.data, p.len, NULL, 0),
			 KT_EINVAL);
	free(p.data);

	struct payload c = encode("{'conclusion': 'Lukket.'}");
	assert_int_equal(kt_catalogue_check("incident.closed", 15, c.data, c.len, why, sizeof why),
			 KT_OK);
	/* Malformed bytes. */
	assert_int_equal(
	    kt_catalogue_check("incident.closed", 15, c.data, c.len - 1, why, sizeof why),
	    KT_EMALFORMED);
	free(c.data);

	/* Corrections and retractions of incident events are checked against
	 * the incident schema of their target type. */
	static const char corr_ok[] =
	    "{'target': '" UUID "', 'target_type': 'incident.triaged', 'reason': 'Feil type.',"
	    " 'data': {'type': 'personvern', 'severity': 2}}";
	static const char corr_bad[] =
	    "{'target': '" UUID "', 'target_type': 'incident.triaged', 'reason': 'Feil type.',"
	    " 'data': {'type': 'personvern', 'severity': 9}}";
	static const char corr_report[] =
	    "{'target': '" UUID "', 'target_type': 'incident.reported', 'reason': 'Feil nummer.',"
	    " 'data': " REPORT_WITH("H-2025-0042") "}";
	static const char retr_ok[] =
	    "{'target': '" UUID "', 'target_type': 'incident.closed', 'reason': 'For tidlig.'}";
	static const char retr_bad[] =
	    "{'target': '" UUID "', 'target_type': 'incident.lost', 'reason': 'For tidlig.'}";
	struct {
		const char *type, *json, *why;
	} cases[] = {
		{ KT_EV_EVENT_CORRECTED, corr_ok, "" },
		{ KT_EV_EVENT_CORRECTED, corr_bad, "data.severity: 9 is more than 4" },
		{ KT_EV_EVENT_CORRECTED, corr_report,
		  "data.number: 'H-2025-0042' is not an incident number (H-YYYY-NNNNN, e.g. "
		  "H-2025-00042)" },
		{ KT_EV_EVENT_RETRACTED, retr_ok, "" },
		{ KT_EV_EVENT_RETRACTED, retr_bad,
		  "target_type: 'incident.lost' is not a catalogued event type" },
	};
	for (size_t k = 0; k < N(cases); k++) {
		struct payload q = encode(cases[k].json);
		int rc = kt_catalogue_check(cases[k].type, strlen(cases[k].type), q.data, q.len,
					    why, sizeof why);
		if (rc != (cases[k].why[0] ? KT_EINVAL : KT_OK) || strcmp(why, cases[k].why))
			fail_msg("case %zu: %d '%s', want '%s'", k, rc, why, cases[k].why);
		free(q.data);
	}
}

/* ---- redaction ----------------------------------------------------------- */

/* The bytes of the key and value of field in the map at data (or NULL). */
static const uint8_t *entry(const uint8_t *data, size_t len, const char *field, size_t *n)
{
	struct kt_mp r = kt_mp_init(data, len);
	uint32_t count;
	assert_int_equal(kt_mp_read_map(&r, &count), KT_OK);
	for (uint32_t k = 0; k < count; k++) {
		const uint8_t *start = r.p;
		const char *key;
		size_t kn;
		assert_int_equal(kt_mp_read_str(&r, &key, &kn), KT_OK);
		assert_int_equal(kt_mp_skip(&r, 1), KT_OK);
		if (kn == strlen(field) && memcmp(key, field, kn) == 0) {
			*n = (size_t)(r.p - start);
			return start;
		}
	}
	return NULL;
}

static uint32_t map_count(const uint8_t *data, size_t len)
{
	struct kt_mp r = kt_mp_init(data, len);
	uint32_t count;
	assert_int_equal(kt_mp_read_map(&r, &count), KT_OK);
	struct kt_mp all = kt_mp_init(data, len);
	assert_int_equal(kt_mp_skip(&all, 1), KT_OK);
	assert_ptr_equal(all.p, all.end); /* one map, nothing after it */
	return count;
}

/* Redact the payload of type and check: every field of the schema marked
 * personal is gone, every other one is there byte for byte, and the count of
 * removed fields. Returns the redacted payload (free it). */
static struct payload redacted(const char *type, const char *squoted, size_t want_removed)
{
	struct payload p = encode(squoted);
	struct kt_buf out = KT_BUF_INIT(KT_DATA_MAX);
	size_t removed = 99;
	assert_int_equal(kt_catalogue_redact(type, strlen(type), p.data, p.len, &out, &removed),
			 KT_OK);
	if (removed != want_removed)
		fail_msg("%s %s: %zu removed, want %zu", type, squoted, removed, want_removed);
	const struct kt_schema *s = kt_catalogue_schema(type, strlen(type));
	uint32_t before = map_count(p.data, p.len), after = map_count(out.data, out.len);
	int corrected = strcmp(type, KT_EV_EVENT_CORRECTED) == 0;
	if (!corrected)
		assert_int_equal(before - after, want_removed);
	for (size_t f = 0; s && f < s->n_fields; f++) {
		size_t a = 0, b = 0;
		const char *name = s->fields[f].name;
		const uint8_t *orig = entry(p.data, p.len, name, &a);
		const uint8_t *kept = entry(out.data, out.len, name, &b);
		if (s->fields[f].flags & KT_FIELD_PERSONAL) {
			if (kept)
				fail_msg("%s: personal field %s kept", type, name);
		} else if (corrected && strcmp(name, "data") == 0) {
			assert_true(!orig == !kept);
		} else if (!orig != !kept || a != b || (a && memcmp(orig, kept, a) != 0)) {
			fail_msg("%s: field %s not kept byte for byte", type, name);
		}
	}
	struct payload r = { malloc(out.len), out.len };
	assert_non_null(r.data);
	memcpy(r.data, out.data, out.len);
	kt_buf_free(&out);
	free(p.data);
	return r;
}

static void test_catalogue_redact_leaves_out_personal_fields(void **state)
{
	(void)state;
	static const size_t personal[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	char why[256];
	for (size_t k = 0; k < N(full); k++) {
		struct payload r = redacted(full[k].type, full[k].json, personal[k]);
		const struct kt_schema *s = schema_of(full[k].type);
		/* Still valid for its schema when what went was optional. */
		int optional = 1;
		for (size_t f = 0; f < s->n_fields; f++)
			if ((s->fields[f].flags & (KT_FIELD_PERSONAL | KT_FIELD_REQUIRED)) ==
			    (KT_FIELD_PERSONAL | KT_FIELD_REQUIRED))
				optional = 0;
		int rc = kt_schema_check(s, r.data, r.len, why, sizeof why);
		if (optional && rc)
			fail_msg("%s: redacted payload refused: %s", s->type, why);
		if (!optional)
			assert_int_equal(rc, KT_EINVAL);
		free(r.data);
	}

	/* The report keeps everything but its text, in order. */
	struct payload r = redacted(KT_EV_INCIDENT_REPORTED, full[0].json, 1);
	struct payload want = encode("{'number': 'H-2025-00042', 'category': 'avvik',"
				     " 'unit': 'Klæbu helse- og velferdssenter',"
				     " 'area': 'helse_omsorg', 'occurred': '2025-03-03'}");
	assert_int_equal(r.len, want.len);
	assert_memory_equal(r.data, want.data, want.len);
	assert_int_equal(
	    kt_schema_check(schema_of(KT_EV_INCIDENT_REPORTED), r.data, r.len, why, sizeof why),
	    KT_EINVAL);
	assert_string_equal(why, "text: required");
	free(r.data);
	free(want.data);

	/* Payloads without personal fields come back unchanged. */
	for (size_t k = 0; k < N(minimal); k++) {
		const struct kt_schema *s = schema_of(minimal[k].type);
		struct payload p = encode(minimal[k].json);
		size_t n = 0;
		for (size_t f = 0; f < s->n_fields; f++) {
			struct kt_mp v;
			n += (s->fields[f].flags & KT_FIELD_PERSONAL) &&
			     kt_data_find(p.data, p.len, s->fields[f].name, &v) == 0;
		}
		struct payload q = redacted(minimal[k].type, minimal[k].json, n);
		if (!n) {
			assert_int_equal(q.len, p.len);
			assert_memory_equal(q.data, p.data, p.len);
		}
		free(p.data);
		free(q.data);
	}

	/* Inspection payloads hold no field marked personal. */
	struct payload f = redacted(KT_EV_FINDING_RECORDED,
				    "{'date': '2025-07-01', 'finding': 'F1', 'kind': 'avvik',"
				    " 'text': 'Avvik.'}",
				    0);
	free(f.data);

	/* removed may be NULL. */
	struct payload p = encode(full[7].json);
	struct kt_buf out = KT_BUF_INIT(KT_DATA_MAX);
	assert_int_equal(kt_catalogue_redact(KT_EV_INCIDENT_CLOSED, 15, p.data, p.len, &out, NULL),
			 KT_OK);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.data[0], 0x80); /* {} */
	kt_buf_free(&out);
	free(p.data);
}

static void test_catalogue_redact_inside_corrections(void **state)
{
	(void)state;
	char why[256];
	size_t n;

	/* A corrected report: its replacement loses the text. */
	static const char report[] =
	    "{'target': '" UUID "', 'target_type': 'incident.reported', 'reason': 'Feil enhet.',"
	    " 'data': {'number': 'H-2025-00042', 'category': 'avvik', 'unit': 'Øya helsehus',"
	    " 'area': 'helse_omsorg', 'occurred': '2025-03-03', 'text': 'Pasient Ola falt.'}}";
	struct payload r = redacted(KT_EV_EVENT_CORRECTED, report, 2);
	const uint8_t *data;
	size_t len;
	assert_int_equal(kt_data_get_map(r.data, r.len, "data", &data, &len), KT_OK);
	struct payload want = encode("{'number': 'H-2025-00042', 'category': 'avvik',"
				     " 'unit': 'Øya helsehus', 'area': 'helse_omsorg',"
				     " 'occurred': '2025-03-03'}");
	assert_int_equal(len, want.len);
	assert_memory_equal(data, want.data, want.len);
	/* The reason goes too: it is free text about the incident. */
	assert_int_equal(map_count(r.data, r.len), 3);
	assert_null(entry(r.data, r.len, "reason", &n));
	assert_non_null(entry(r.data, r.len, "target_type", &n));
	free(want.data);
	free(r.data);

	/* A corrected triage: what is left lacks only the reason to be a valid
	 * correction. */
	static const char triage[] =
	    "{'data': {'note': 'Navn på pasient.', 'type': 'personvern', 'severity': 3},"
	    " 'target': '" UUID "', 'reason': 'Ny vurdering.', 'target_type': 'incident.triaged'}";
	r = redacted(KT_EV_EVENT_CORRECTED, triage, 2);
	assert_int_equal(
	    kt_catalogue_check(KT_EV_EVENT_CORRECTED, 15, r.data, r.len, why, sizeof why),
	    KT_EINVAL);
	assert_string_equal(why, "reason: required");
	assert_int_equal(kt_data_get_map(r.data, r.len, "data", &data, &len), KT_OK);
	want = encode("{'type': 'personvern', 'severity': 3}");
	assert_int_equal(len, want.len);
	assert_memory_equal(data, want.data, want.len);
	free(want.data);
	free(r.data);

	/* A corrected closure: its replacement becomes an empty map. */
	r = redacted(KT_EV_EVENT_CORRECTED,
		     "{'target': '" UUID "', 'target_type': 'incident.closed', 'reason': 'R.',"
		     " 'data': {'conclusion': 'Om en ansatt.'}}",
		     2);
	assert_int_equal(kt_data_get_map(r.data, r.len, "data", &data, &len), KT_OK);
	assert_int_equal(len, 1);
	assert_int_equal(data[0], 0x80);
	free(r.data);

	/* Replacements of inspection events and of unknown types are kept whole
	 * (only the reason goes); a retraction loses its reason. */
	static const char *const whole[] = {
		"{'target': '" UUID "', 'target_type': 'finding.recorded', 'reason': 'R.',"
		" 'data': {'date': '2025-07-01', 'finding': 'F1', 'kind': 'avvik', 'text': 'T.'}}",
		"{'target': '" UUID "', 'target_type': 'incident.lost', 'reason': 'R.',"
		" 'data': {'text': 'Om en ansatt.', 'note': 'N.'}}",
		"{'target': '" UUID "', 'reason': 'R.', 'data': {'text': 'Om en ansatt.'}}",
	};
	for (size_t k = 0; k < N(whole); k++) {
		struct payload p = encode(whole[k]);
		const uint8_t *orig;
		size_t orig_len;
		r = redacted(KT_EV_EVENT_CORRECTED, whole[k], 1);
		assert_int_equal(kt_data_get_map(p.data, p.len, "data", &orig, &orig_len), KT_OK);
		assert_int_equal(kt_data_get_map(r.data, r.len, "data", &data, &len), KT_OK);
		assert_int_equal(len, orig_len);
		assert_memory_equal(data, orig, orig_len);
		assert_null(entry(r.data, r.len, "reason", &n));
		free(r.data);
		free(p.data);
	}
	r = redacted(KT_EV_EVENT_RETRACTED,
		     "{'target': '" UUID "', 'target_type': 'incident.reported', 'reason': 'R.'}",
		     1);
	assert_int_equal(map_count(r.data, r.len), 2);
	free(r.data);

	/* A "data" that is not a map is copied as it is. */
	struct payload odd = encode("{'target_type': 'incident.closed', 'data': 'conclusion'}");
	r = redacted(KT_EV_EVENT_CORRECTED,
		     "{'target_type': 'incident.closed', 'data': 'conclusion'}", 0);
	assert_int_equal(r.len, odd.len);
	assert_memory_equal(r.data, odd.data, odd.len);
	free(r.data);
	free(odd.data);
}

static void test_catalogue_redact_unknown_types_and_malformed_input(void **state)
{
	(void)state;
	/* An unknown type is copied whole, whatever its fields are called. */
	static const char json[] = "{'text': 'Om en ansatt.', 'note': 'N.', 'reason': 'R.'}";
	struct payload p = encode(json);
	struct payload r = redacted("incident.lost", json, 0);
	assert_int_equal(r.len, p.len);
	assert_memory_equal(r.data, p.data, p.len);
	free(r.data);

	/* A larger map (map 16 header) loses its personal field and keeps its
	 * header right. */
	struct payload big = encode("{'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6, 'g': 7,"
				    " 'h': 8, 'i': 9, 'j': 10, 'k': 11, 'l': 12, 'm': 13,"
				    " 'n': 14, 'o': 15, 'p': 16, 'note': 'N.'}");
	struct kt_buf out = KT_BUF_INIT(KT_DATA_MAX);
	size_t removed = 0;
	assert_int_equal(big.data[0], 0xde);
	assert_int_equal(kt_catalogue_redact(KT_EV_INCIDENT_TRIAGED, strlen(KT_EV_INCIDENT_TRIAGED),
					     big.data, big.len, &out, &removed),
			 KT_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(map_count(out.data, out.len), 16);
	kt_buf_free(&out);
	free(big.data);

	/* Not one well-formed map: refused, for known and unknown types. */
	static const uint8_t str[] = { 0xa1, 'x' };
	static const uint8_t int_key[] = { 0x81, 0x01, 0x02 };
	static const uint8_t trailing[] = { 0x80, 0xc0 };
	static const uint8_t truncated_value[] = { 0x81, 0xa4, 'n', 'o', 't', 'e', 0xa5, 'N' };
	static const uint8_t reserved[] = { 0x81, 0xa1, 'a', 0xc1 };
	static const uint8_t nested_int_key[] = { 0x82, 0xab, 't',  'a',  'r', 'g',  'e', 't',
						  '_',	't',  'y',  'p',  'e', 0xaf, 'i', 'n',
						  'c',	'i',  'd',  'e',  'n', 't',  '.', 'c',
						  'l',	'o',  's',  'e',  'd', 0xa4, 'd', 'a',
						  't',	'a',  0x81, 0x01, 0x02 };
	const struct {
		const uint8_t *b;
		size_t n;
	} bad[] = {
		{ str, sizeof str },	       { int_key, sizeof int_key },
		{ trailing, sizeof trailing }, { truncated_value, sizeof truncated_value },
		{ reserved, sizeof reserved }, { nested_int_key, sizeof nested_int_key },
		{ p.data, p.len - 1 },	       { p.data, 0 },
	};
	static const char *const types[] = { KT_EV_INCIDENT_ASSIGNED, "incident.lost",
					     KT_EV_EVENT_CORRECTED };
	for (size_t t = 0; t < N(types); t++)
		for (size_t k = 0; k < N(bad); k++) {
			uint8_t *copy = malloc(bad[k].n ? bad[k].n : 1);
			assert_non_null(copy);
			memcpy(copy, bad[k].b, bad[k].n);
			struct kt_buf o = KT_BUF_INIT(KT_DATA_MAX);
			int rc = kt_catalogue_redact(types[t], strlen(types[t]), copy, bad[k].n, &o,
						     &removed);
			if (rc != KT_EMALFORMED)
				fail_msg("%s, bad input %zu: %d, want KT_EMALFORMED", types[t], k,
					 rc);
			kt_buf_free(&o);
			free(copy);
		}

	/* Every truncation of a correction with a nested map is refused. */
	struct payload c = encode("{'target': '" UUID "', 'target_type': 'incident.triaged',"
				  " 'reason': 'R.', 'data': {'type': 'hms', 'severity': 2,"
				  " 'note': 'N.'}}");
	for (size_t cut = 0; cut < c.len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		assert_non_null(copy);
		memcpy(copy, c.data, cut);
		struct kt_buf o = KT_BUF_INIT(KT_DATA_MAX);
		assert_int_equal(
		    kt_catalogue_redact(KT_EV_EVENT_CORRECTED, 15, copy, cut, &o, NULL),
		    KT_EMALFORMED);
		kt_buf_free(&o);
		free(copy);
	}

	/* An output buffer too small for the result. */
	struct kt_buf small = KT_BUF_INIT(4);
	assert_int_equal(kt_catalogue_redact("incident.lost", 13, p.data, p.len, &small, NULL),
			 KT_ETOOBIG);
	kt_buf_free(&small);
	free(c.data);
	free(p.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incident_every_type_has_valid_payloads),
		cmocka_unit_test(test_incident_lookup_by_type_name),
		cmocka_unit_test(test_incident_every_required_field_is_required),
		cmocka_unit_test(test_incident_wrong_kinds_are_refused),
		cmocka_unit_test(test_incident_severity_is_one_to_four),
		cmocka_unit_test(test_incident_number_rule),
		cmocka_unit_test(test_incident_action_labels),
		cmocka_unit_test(test_incident_other_recipient_needs_its_name),
		cmocka_unit_test(test_incident_wording_parsers),
		cmocka_unit_test(test_incident_keys_names_and_schema_values_agree),
		cmocka_unit_test(test_incident_number_parse_and_format),
		cmocka_unit_test(test_organisation_areas),
		cmocka_unit_test(test_organisation_units),
		cmocka_unit_test(test_organisation_table_is_consistent),
		cmocka_unit_test(test_catalogue_lookup_and_check),
		cmocka_unit_test(test_catalogue_redact_leaves_out_personal_fields),
		cmocka_unit_test(test_catalogue_redact_inside_corrections),
		cmocka_unit_test(test_catalogue_redact_unknown_types_and_malformed_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
