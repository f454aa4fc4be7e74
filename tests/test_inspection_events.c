/*
 * test_inspection_events.c — the inspection event catalogue: a valid payload
 * for every type, one that uses every field of every type; every required
 * field missing, and an unknown field, refused for every type; each
 * cross-field rule refused with its reason; corrections checked against the
 * schema of the type they correct; and every 2025 case from
 * events/CATALOGUE.md ("expressing the 2025 cases") as a sequence of payloads
 * that pass, with each deadline's wording parsing to the stored day.
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

#include "kontroll/data.h"
#include "kontroll/deadline.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

struct ev {
	const char *type;
	const char *json; /* single-quoted JSON */
};

struct payload {
	uint8_t *data; /* exactly len bytes on the heap */
	size_t len;
};

/* Single-quoted JSON → msgpack in an exactly sized heap buffer. */
static struct payload encode(const char *squoted)
{
	size_t n = strlen(squoted);
	char *json = malloc(n + 1);
	assert_non_null(json);
	for (size_t k = 0; k <= n; k++)
		json[k] = squoted[k] == '\'' ? '"' : squoted[k];
	struct kt_buf b = KT_BUF_INIT(KT_DATA_MAX);
	char why[200];
	if (kt_json_to_data(json, n, &b, why, sizeof why))
		fail_msg("test JSON does not parse: %s: %s", json, why);
	free(json);
	struct payload p = { malloc(b.len), b.len };
	assert_non_null(p.data);
	memcpy(p.data, b.data, b.len);
	kt_buf_free(&b);
	return p;
}

static int check(const char *type, const char *squoted, char *why, size_t why_len)
{
	struct payload p = encode(squoted);
	int rc = kt_inspection_check(type, strlen(type), p.data, p.len, why, why_len);
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

/* Every deadline_text that kt_deadline_parse understands must give exactly
 * the stored deadline and deadline_precision (day when absent). */
static void deadline_agrees(const struct ev *e)
{
	struct payload p = encode(e->json);
	const char *text, *date, *prec = "day";
	size_t tn, dn, pn = 3;
	if (kt_data_get_str(p.data, p.len, "deadline_text", &text, &tn) == 0) {
		struct kt_deadline d;
		assert_int_equal(kt_data_get_str(p.data, p.len, "deadline", &date, &dn), 0);
		kt_data_get_str(p.data, p.len, "deadline_precision", &prec, &pn);
		if (kt_deadline_parse(text, tn, &d) == 0) {
			const char *name = kt_deadline_precision_name(d.precision);
			if (dn != 10 || memcmp(d.date, date, 10) != 0 || strlen(name) != pn ||
			    memcmp(name, prec, pn) != 0)
				fail_msg("%s: '%.*s' means %s %s", e->json, (int)tn, text, d.date,
					 name);
		}
	}
	free(p.data);
}

static void sequence_passes(const struct ev *evs, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		passes(evs[k].type, evs[k].json);
		deadline_agrees(&evs[k]);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define UUID "0190f2a4-7c1b-7d2e-8f3a-0123456789ab"

/* ---- one minimal and one full payload per type -------------------------- */

static const struct ev minimal[] = {
	{ KT_EV_INSPECTION_OPENED,
	  "{'case_number': 'T-2025-010', 'authority': 'Arbeidstilsynet', "
	  "'unit': 'Klæbu helse- og velferdssenter', 'law': 'Arbeidsmiljøloven', "
	  "'theme': 'Muskel- og skjelettplager og psykiske plager - stedlig tilsyn', "
	  "'date_from': '2025-06-04'}" },
	{ KT_EV_INSPECTION_NOTIFIED, "{'date': '2025-05-02'}" },
	{ KT_EV_INSPECTION_CONDUCTED, "{'date': '2025-05-21', 'mode': 'visit'}" },
	{ KT_EV_REPORT_PRELIMINARY, "{'date': '2025-06-10', 'comment_deadline': '2025-06-24'}" },
	{ KT_EV_REPORT_COMMENTS_SENT, "{'date': '2025-06-20', 'text': 'Ingen merknader.'}" },
	{ KT_EV_REPORT_FINAL, "{'date': '2025-07-01'}" },
	{ KT_EV_FINDING_RECORDED,
	  "{'date': '2025-07-01', 'finding': 'F1', 'kind': 'avvik', 'text': 'Avvik.'}" },
	{ KT_EV_FINDING_NONE, "{'date': '2025-06-04'}" },
	{ KT_EV_ORDER_ISSUED,
	  "{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'Pålegg.'}" },
	{ KT_EV_RESPONSE_REGISTERED,
	  "{'date': '2025-09-01', 'kind': 'response', 'text': 'Svar.'}" },
	{ KT_EV_ORDER_DEADLINE_EXTENDED,
	  "{'date': '2026-06-01', 'order': 'P2', 'deadline': '2026-09-30', "
	  "'reason': 'Forsinket bygging.'}" },
	{ KT_EV_ORDER_APPEALED, "{'date': '2025-07-20', 'order': 'P1', 'text': 'Klage.'}" },
	{ KT_EV_ORDER_APPEAL_DECIDED,
	  "{'date': '2025-10-01', 'order': 'P1', 'outcome': 'upheld', 'text': 'Klagen tas "
	  "ikke til følge.'}" },
	{ KT_EV_ORDER_ESCALATED,
	  "{'date': '2026-02-01', 'order': 'P1', 'measure': 'stansing', 'text': 'Stans.'}" },
	{ KT_EV_ORDER_FULFILLED, "{'date': '2025-11-01', 'order': 'P1'}" },
	{ KT_EV_REQUIREMENT_WAIVED,
	  "{'date': '2025-10-01', 'order': 'P1', 'reason': 'Frafalt av tilsynet.'}" },
	{ KT_EV_INSPECTION_CLOSED, "{'date': '2025-12-01'}" },
	{ KT_EV_INSPECTION_TRANSFERRED, "{'date': '2025-08-01', 'to': 'P-Norge AS'}" },
	{ KT_EV_EVENT_CORRECTED,
	  "{'target': '" UUID "', 'target_type': 'finding.none', 'reason': 'Feil dato.', "
	  "'data': {'date': '2025-06-05'}}" },
	{ KT_EV_EVENT_RETRACTED, "{'target': '" UUID "', 'target_type': 'finding.recorded', "
				 "'reason': 'Ført på feil tilsyn.'}" },
};

static const struct ev full[] = {
	{ KT_EV_INSPECTION_OPENED,
	  "{'case_number': 'T-2025-018', 'authority': 'Statsforvalteren', "
	  "'unit': 'Barne- og familietjenesten', 'law': 'Barnevernloven', "
	  "'theme': 'Landsomfattende tilsyn 2024 - egenkontroll vedr. barneverntjenestens arbeid "
	  "med undersøkelser', 'kind': 'egenkontroll', 'kind_text': 'egenkontroll', "
	  "'programme': 'Landsomfattende tilsyn med undersøkelser i barnevernet 2024–2026', "
	  "'trigger': 'Landsomfattende tilsyn.', 'text': 'Alle fire bydeler deltar.', "
	  "'date_from': '2025-01-01', 'date_to': '2025-12-31', 'date_precision': 'day', "
	  "'date_text': '01.01.25 - 31.12.25', 'report_year': 2025, "
	  "'related': ['T-2025-006'], 'source': 'Årsberetning 2025', "
	  "'source_lines': [2662, 2690, 2692]}" },
	{ KT_EV_INSPECTION_NOTIFIED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-05-01', 'date_precision': 'month', 'date_text': 'mai 2025', "
	  "'text': 'Varsel om tilsyn.', 'reference': '2025/4711', "
	  "'planned_date': '2025-05-21'}" },
	{ KT_EV_INSPECTION_CONDUCTED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-01-01', 'date_precision': 'day', 'date_text': '01.01.25', "
	  "'date_to': '2025-12-31', 'mode': 'self_assessment', 'text': 'Egentilsyn.'}" },
	{ KT_EV_REPORT_PRELIMINARY,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-06-10', 'date_precision': 'day', 'date_text': '10.06.25', "
	  "'comment_deadline': '2025-06-24', 'reference': '2025/4711-5', "
	  "'text': 'Foreløpig rapport.', 'documents': ['Foreløpig rapport.pdf']}" },
	{ KT_EV_REPORT_COMMENTS_SENT,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-06-20', 'date_precision': 'day', 'date_text': '20.06.25', "
	  "'text': 'Merknader til faktagrunnlaget.', 'documents': ['Merknader.pdf']}" },
	{ KT_EV_REPORT_FINAL,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-07-01', 'date_precision': 'day', 'date_text': '01.07.25', "
	  "'reference': '2025/4711-7', 'text': 'Endelig rapport.', "
	  "'documents': ['Endelig rapport.pdf']}" },
	{ KT_EV_FINDING_RECORDED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-09-01', 'date_precision': 'month', 'date_text': 'september 2025', "
	  "'finding': 'F1', 'kind': 'lovbrudd', 'kind_text': 'lovbrudd', "
	  "'text': 'Forsvarlighetskravet vurderes å være brutt.', "
	  "'legal_ref': 'helse- og omsorgstjenesteloven § 4-1', 'count': 1}" },
	{ KT_EV_FINDING_NONE,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-06-04', 'date_precision': 'day', 'date_text': '04.06.25', "
	  "'text': 'Ingen brudd på regelverket som det var nødvendig å følge opp med pålegg.'}" },
	{ KT_EV_ORDER_ISSUED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-05-21', 'date_precision': 'day', 'date_text': '21.05.25', "
	  "'order': 'P2', 'finding': 'F2', 'kind': 'palegg', 'kind_text': 'pålegg', "
	  "'title': 'Sikring av arbeidsforhold', 'text': 'Sikring av arbeidsforhold ved bygging "
	  "av nytt krisesenter.', 'legal_basis': 'arbeidsmiljøloven § 18-6', "
	  "'deadline': '2026-06-15', 'deadline_text': 'innen medio juni 2026', "
	  "'deadline_precision': 'mid_month'}" },
	{ KT_EV_RESPONSE_REGISTERED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-11-01', 'date_precision': 'month', 'date_text': 'november 2025', "
	  "'kind': 'action_plan', 'kind_text': 'tiltaksplan', 'order': 'P1', "
	  "'text': 'Tiltaksplan.', 'documents': ['Tiltaksplan.pdf', 'Risikovurdering.xlsx']}" },
	{ KT_EV_ORDER_DEADLINE_EXTENDED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2026-06-01', 'date_precision': 'day', 'date_text': '1. juni 2026', "
	  "'order': 'P2', 'deadline': '2026-09-30', 'deadline_text': 'ultimo september 2026', "
	  "'deadline_precision': 'month', 'reason': 'Byggingen av nytt krisesenter er "
	  "forsinket.'}" },
	{ KT_EV_ORDER_APPEALED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-07-20', 'date_precision': 'day', 'date_text': '20.07.25', "
	  "'order': 'P1', 'text': 'Kommunen klager på pålegget.', 'suspensive': true}" },
	{ KT_EV_ORDER_APPEAL_DECIDED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-10-01', 'date_precision': 'day', 'date_text': '01.10.25', "
	  "'order': 'P1', 'outcome': 'changed', 'decided_by': 'Direktoratet for "
	  "arbeidstilsynet', 'text': 'Fristen endres.', 'deadline': '2026-01-31', "
	  "'deadline_text': 'januar 2026', 'deadline_precision': 'month'}" },
	{ KT_EV_ORDER_ESCALATED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2026-02-01', 'date_precision': 'day', 'date_text': '01.02.26', "
	  "'order': 'P1', 'measure': 'tvangsmulkt', 'notice': true, 'text': 'Varsel om "
	  "tvangsmulkt.', 'amount': 5000, 'amount_text': '5 000 kroner per dag'}" },
	{ KT_EV_ORDER_FULFILLED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-11-01', 'date_precision': 'day', 'date_text': '01.11.25', "
	  "'order': 'P1', 'text': 'Vurdert som oppfylt av Arbeidstilsynet.', "
	  "'reference': '2025/4711-12'}" },
	{ KT_EV_REQUIREMENT_WAIVED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-01-01', 'date_precision': 'year', 'date_text': '2025', "
	  "'finding': 'F1', 'reason': 'Arkivverket støttet kommunens vurdering og frafalt "
	  "kravet om opprydding.', 'text': 'Manuelle oppslag i papirarkivene.'}" },
	{ KT_EV_INSPECTION_CLOSED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-08-01', 'date_precision': 'month', 'date_text': 'i august', "
	  "'text': 'Tilsynet ble offisielt avsluttet uten utestående avvik.', 'forced': true, "
	  "'reason': 'Lukket av kommunen: tilsynet har ikke svart.'}" },
	{ KT_EV_INSPECTION_TRANSFERRED,
	  "{'source': 'Årsberetning 2025', 'source_lines': [2650], 'date': '2025-08-01', 'date_precision': 'month', 'date_text': 'august 2025', "
	  "'to': 'P-Norge AS', 'text': 'Lukket og overført til P-Norge AS.'}" },
	{ KT_EV_EVENT_CORRECTED,
	  "{'target': '" UUID "', 'target_type': 'order.issued', 'reason': 'Feil frist ført.', "
	  "'data': {'date': '2025-05-21', 'order': 'P2', 'finding': 'F2', 'text': 'Sikring av "
	  "arbeidsforhold.', 'deadline': '2026-06-15', 'deadline_text': 'medio juni 2026', "
	  "'deadline_precision': 'mid_month'}}" },
	{ KT_EV_EVENT_RETRACTED,
	  "{'target': '" UUID "', 'target_type': 'event.corrected', "
	  "'reason': 'Rettelsen var feil; den opprinnelige fristen gjelder.'}" },
};

/* Fields that exclude one another in full[] (order or finding). */
static const struct ev extra[] = {
	{ KT_EV_RESPONSE_REGISTERED,
	  "{'date': '2025-11-01', 'kind': 'progress_plan', 'kind_text': 'forpliktende "
	  "fremdriftsplan', 'finding': 'F1', 'text': 'Fremdriftsplan for å lukke avviket.'}" },
	{ KT_EV_REQUIREMENT_WAIVED,
	  "{'date': '2025-10-01', 'order': 'P1', 'reason': 'Pålegget er frafalt.'}" },
	{ KT_EV_INSPECTION_CLOSED,
	  "{'date': '2025-12-31', 'date_precision': 'on_or_before', "
	  "'date_text': 'ikke datert: «Tilsynet er nå avsluttet»', 'source': 'Årsberetning 2025', "
	  "'source_lines': [2676]}" },
};

/* Non-zero when field occurs in a payload of type in full[] or extra[]. */
static int field_used(const char *type, const char *field)
{
	for (size_t k = 0; k < N(full) + N(extra); k++) {
		const struct ev *e = k < N(full) ? &full[k] : &extra[k - N(full)];
		if (strcmp(e->type, type) != 0)
			continue;
		struct payload p = encode(e->json);
		struct kt_mp r;
		int found = kt_data_find(p.data, p.len, field, &r) == 0;
		free(p.data);
		if (found)
			return 1;
	}
	return 0;
}

static void test_inspection_every_type_has_valid_payloads(void **state)
{
	(void)state;
	size_t types = 0;
	while (kt_inspection_schema_at(types))
		types++;
	assert_int_equal(types, 20);
	assert_int_equal(N(minimal), types);
	assert_int_equal(N(full), types);
	for (size_t k = 0; k < types; k++) {
		const struct kt_schema *s = kt_inspection_schema_at(k);
		/* The tables follow the catalogue's order. */
		assert_string_equal(minimal[k].type, s->type);
		assert_string_equal(full[k].type, s->type);
		passes(minimal[k].type, minimal[k].json);
		passes(full[k].type, full[k].json);
		deadline_agrees(&full[k]);

		/* The full payloads use every field of their type. */
		for (size_t f = 0; f < s->n_fields; f++)
			if (!field_used(s->type, s->fields[f].name))
				fail_msg("%s: no full payload has %s", s->type, s->fields[f].name);
	}
	for (size_t k = 0; k < N(extra); k++)
		passes(extra[k].type, extra[k].json);
}

static void test_inspection_lookup_by_type_name(void **state)
{
	(void)state;
	const struct kt_schema *s = kt_inspection_schema("order.issued", 12);
	assert_non_null(s);
	assert_string_equal(s->type, "order.issued");
	/* The length counts, not a terminator. */
	assert_non_null(kt_inspection_schema("order.issuedXYZ", 12));
	assert_null(kt_inspection_schema("order.issue", 11));
	assert_null(kt_inspection_schema("Order.issued", 12));
	assert_null(kt_inspection_schema("", 0));
	assert_null(kt_inspection_schema("incident.reported", 17));
	assert_null(kt_inspection_schema_at(20));

	char why[200];
	struct payload p = encode("{'date': '2025-06-04'}");
	assert_int_equal(kt_inspection_check("order.closed", 12, p.data, p.len, why, sizeof why),
			 KT_EINVAL);
	assert_string_equal(why, "type: 'order.closed' is not an inspection event type");
	assert_int_equal(kt_inspection_check("a\nb", 3, p.data, p.len, why, sizeof why), KT_EINVAL);
	assert_string_equal(why, "type: 'a?b' is not an inspection event type");
	assert_int_equal(kt_inspection_check("finding.none", 12, p.data, p.len, why, sizeof why),
			 0);
	free(p.data);
}

/* Every required field of every type, left out of the full payload. */
static void test_inspection_every_required_field_is_required(void **state)
{
	(void)state;
	for (size_t k = 0; k < N(full); k++) {
		const struct kt_schema *s = kt_inspection_schema_at(k);
		size_t n = strlen(full[k].json);
		char *json = malloc(n + 1);
		assert_non_null(json);
		for (size_t j = 0; j <= n; j++)
			json[j] = full[k].json[j] == '\'' ? '"' : full[k].json[j];
		json_t *obj = json_loads(json, 0, NULL);
		assert_non_null(obj);
		for (size_t f = 0; f < s->n_fields; f++) {
			if (!(s->fields[f].flags & KT_FIELD_REQUIRED))
				continue;
			json_t *copy = json_deep_copy(obj);
			assert_int_equal(json_object_del(copy, s->fields[f].name), 0);
			char *text = json_dumps(copy, JSON_COMPACT);
			char want[100];
			snprintf(want, sizeof want, "%s: required", s->fields[f].name);
			refused(s->type, text, want);
			free(text);
			json_decref(copy);
		}
		/* And an unknown field beside them. */
		json_object_set_new(obj, "colour", json_string("red"));
		char *text = json_dumps(obj, JSON_COMPACT);
		refused(s->type, text, "colour: unknown field");
		free(text);
		json_decref(obj);
		free(json);
	}
}

/* ---- cross-field rules -------------------------------------------------- */

#define OPENED_BASE                                                                                \
	"'authority': 'Statsforvalteren', 'unit': 'Oppvekst', 'law': 'Opplæringsloven', "         \
	"'theme': 'Bemanningsnorm -lærer grunnskole'"

static void test_inspection_opened_rules(void **state)
{
	(void)state;
	const char *t = KT_EV_INSPECTION_OPENED;
	refused(t, "{'case_number': '2025-007', " OPENED_BASE ", 'date_from': '2025-01-01'}",
		"case_number: '2025-007' is not a case number (T-YYYY-NNN)");
	refused(t, "{'case_number': 'T-25-007', " OPENED_BASE ", 'date_from': '2025-01-01'}",
		"case_number: 'T-25-007' is not a case number (T-YYYY-NNN)");
	refused(t, "{'case_number': 'T-2025-07', " OPENED_BASE ", 'date_from': '2025-01-01'}",
		"case_number: 'T-2025-07' is not a case number (T-YYYY-NNN)");
	passes(t, "{'case_number': 'T-2025-123456', " OPENED_BASE ", 'date_from': '2025-01-01'}");
	refused(t,
		"{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2025-12-31', "
		"'date_to': '2025-01-01'}",
		"date_to: '2025-01-01' is before date_from '2025-12-31'");
	passes(t, "{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2025-03-03', "
		  "'date_to': '2025-03-03'}");
	refused(t,
		"{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2024-09-01', "
		"'date_precision': 'year'}",
		"date_from: '2024-09-01' is not the first day of its year (date_precision year)");
	refused(t,
		"{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2024-09-02', "
		"'date_precision': 'month'}",
		"date_from: '2024-09-02' is not the first day of its month (date_precision month)");
	refused(t,
		"{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2025-01-01', "
		"'kind': 'other'}",
		"kind_text: required when kind is other");
	passes(t, "{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2025-01-01', "
		  "'kind': 'other', 'kind_text': 'varslet tilsyn'}");
	refused(t,
		"{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2024-01-01', "
		"'report_year': 2023}",
		"report_year: 2023 is before the year of date_from '2024-01-01'");
	refused(t,
		"{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2024-01-01', "
		"'report_year': 10000}",
		"report_year: 10000 is more than 9999");
	refused(t,
		"{'case_number': 'T-2025-013', " OPENED_BASE ", 'date_from': '2025-06-13', "
		"'related': ['T-2025-014', 'T-2025-14']}",
		"related[1]: 'T-2025-14' is not a case number (T-YYYY-NNN)");
	refused(t,
		"{'case_number': 'T-2025-013', " OPENED_BASE ", 'date_from': '2025-06-13', "
		"'related': ['T-2025-013']}",
		"related[0]: the inspection itself");
	refused(t,
		"{'case_number': 'T-2025-001', " OPENED_BASE ", 'date_from': '2025-01-01', "
		"'kind': 'tilsyn'}",
		"kind: 'tilsyn' is not one of stedlig_tilsyn, systemrevisjon, egenkontroll, "
		"hendelsesbasert, landsomfattende, dokumenttilsyn, forvaltningskontroll, other");
	refused(t,
		"{'case_number': 'T-2025-001', 'authority': 'Stats\\nforvalteren', 'unit': 'U', "
		"'law': 'L', 'theme': 'T', 'date_from': '2025-01-01'}",
		"authority: must be one line, without control characters");
}

static void test_inspection_step_dates(void **state)
{
	(void)state;
	refused(KT_EV_INSPECTION_NOTIFIED, "{'date': '2025-05-02', 'planned_date': '2025-05-01'}",
		"planned_date: '2025-05-01' is before date '2025-05-02'");
	refused(KT_EV_INSPECTION_CONDUCTED,
		"{'date': '2025-05-21', 'date_to': '2025-05-20', 'mode': 'visit'}",
		"date_to: '2025-05-20' is before date '2025-05-21'");
	refused(KT_EV_INSPECTION_CONDUCTED, "{'date': '2025-05-21', 'mode': 'other'}",
		"text: required when mode is other");
	refused(KT_EV_INSPECTION_CONDUCTED, "{'date': '2025-05-21', 'mode': 'befaring'}",
		"mode: 'befaring' is not one of visit, document_review, meeting, "
		"self_assessment, other");
	refused(KT_EV_REPORT_PRELIMINARY,
		"{'date': '2025-06-10', 'comment_deadline': '2025-06-09'}",
		"comment_deadline: '2025-06-09' is before date '2025-06-10'");
	passes(KT_EV_REPORT_PRELIMINARY,
	       "{'date': '2025-06-10', 'comment_deadline': '2025-06-10'}");
	refused(KT_EV_REPORT_PRELIMINARY,
		"{'date': '2025-06-10', 'comment_deadline': '24.06.2025'}",
		"comment_deadline: '24.06.2025' is not a date (YYYY-MM-DD)");
	/* date_precision applies to every dated type. */
	refused(KT_EV_INSPECTION_CLOSED, "{'date': '2025-08-15', 'date_precision': 'month'}",
		"date: '2025-08-15' is not the first day of its month (date_precision month)");
	refused(KT_EV_ORDER_FULFILLED,
		"{'date': '2025-02-01', 'date_precision': 'year', 'order': 'P1'}",
		"date: '2025-02-01' is not the first day of its year (date_precision year)");
	refused(KT_EV_FINDING_NONE, "{'date': '2025-06-04', 'date_precision': 'week'}",
		"date_precision: 'week' is not one of day, month, year, on_or_before");
	refused(KT_EV_FINDING_NONE, "{'date': '2025-02-29'}",
		"date: '2025-02-29' is not a date (YYYY-MM-DD)");
	/* A bound is any day, and keeps the wording it was read from. */
	passes(KT_EV_ORDER_FULFILLED, "{'date': '2025-12-31', 'date_precision': 'on_or_before', "
				      "'date_text': 'innfridd (ikke datert)', 'order': 'P1'}");
	refused(KT_EV_ORDER_FULFILLED,
		"{'date': '2025-12-31', 'date_precision': 'on_or_before', 'order': 'P1'}",
		"date_text: required with date_precision on_or_before");
	refused(KT_EV_FINDING_NONE, "{'date': '2025-06-04', 'source_lines': []}",
		"source_lines: empty");
	refused(KT_EV_FINDING_NONE, "{'date': '2025-06-04', 'source_lines': [0]}",
		"source_lines[0]: 0 is less than 1");
}

static void test_inspection_labels(void **state)
{
	(void)state;
	const char *t = KT_EV_FINDING_RECORDED;
	static const char *const bad[] = { "f1",     "F01", "F",   "1", "FFFF1",
					   "F12345", "F-1", "F1a", "Æ1" };
	for (size_t k = 0; k < N(bad); k++) {
		char json[200], want[200];
		snprintf(json, sizeof json,
			 "{'date': '2025-07-01', 'finding': '%s', 'kind': 'avvik', 'text': 'x'}",
			 bad[k]);
		snprintf(want, sizeof want,
			 "finding: '%s' is not a label (capital letters, then a number: F1, P2)",
			 bad[k]);
		refused(t, json, want);
	}
	passes(t, "{'date': '2025-07-01', 'finding': 'F9999', 'kind': 'avvik', 'text': 'x'}");
	passes(t, "{'date': '2025-07-01', 'finding': 'ABC1', 'kind': 'avvik', 'text': 'x'}");
	refused(t, "{'date': '2025-07-01', 'finding': 'F123456789', 'kind': 'avvik', 'text': 'x'}",
		"finding: longer than 8 bytes");
	refused(KT_EV_ORDER_FULFILLED, "{'date': '2025-11-01', 'order': 'p1'}",
		"order: 'p1' is not a label (capital letters, then a number: F1, P2)");
	refused(KT_EV_ORDER_ISSUED,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F 1', 'text': 'x'}",
		"finding: 'F 1' is not a label (capital letters, then a number: F1, P2)");
	refused(KT_EV_FINDING_RECORDED,
		"{'date': '2025-07-01', 'finding': 'F1', 'kind': 'avvik', 'text': 'x', 'count': 0}",
		"count: 0 is less than 1");
	refused(KT_EV_FINDING_RECORDED,
		"{'date': '2025-07-01', 'finding': 'F1', 'kind': 'pålegg', 'text': 'x'}",
		"kind: 'pålegg' is not one of lovbrudd, avvik, merknad, forbedringspunkt");
}

static void test_inspection_order_rules(void **state)
{
	(void)state;
	const char *t = KT_EV_ORDER_ISSUED;
	refused(t, "{'date': '2025-07-01', 'order': 'P1', 'text': 'x'}",
		"finding: required for a pålegg (kind palegg)");
	refused(t, "{'date': '2025-07-01', 'order': 'P1', 'kind': 'palegg', 'text': 'x'}",
		"finding: required for a pålegg (kind palegg)");
	passes(t, "{'date': '2025-01-23', 'order': 'P1', 'kind': 'krav_om_opplysninger', "
		  "'text': 'Krav om opplysninger.', 'deadline': '2025-02-14', "
		  "'deadline_text': '14.02.25'}");
	refused(t, "{'date': '2025-07-01', 'order': 'P1', 'kind': 'other', 'text': 'x'}",
		"kind_text: required when kind is other");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': '2025-06-30'}",
		"deadline: '2025-06-30' is before date '2025-07-01'");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline_text': 'medio juni 2026'}",
		"deadline: required with deadline_text");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline_precision': 'month'}",
		"deadline: required with deadline_precision");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': '2026-06-30', 'deadline_precision': 'mid_month'}",
		"deadline: '2026-06-30' does not fit deadline_precision mid_month (the 15th)");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': '2026-02-15', 'deadline_precision': 'month'}",
		"deadline: '2026-02-15' does not fit deadline_precision month (the last day of the "
		"month)");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': '2028-02-28', 'deadline_precision': 'month'}",
		"deadline: '2028-02-28' does not fit deadline_precision month (the last day of the "
		"month)");
	passes(t, "{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		  "'deadline': '2028-02-29', 'deadline_precision': 'month'}");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': '2026-04-05', 'deadline_precision': 'early_month'}",
		"deadline: '2026-04-05' does not fit deadline_precision early_month (the 10th)");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': '2026-12-30', 'deadline_precision': 'year'}",
		"deadline: '2026-12-30' does not fit deadline_precision year (31 December)");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': '2026-06-15', 'deadline_precision': 'medio'}",
		"deadline_precision: 'medio' is not one of day, early_month, mid_month, month, "
		"year");
	refused(t,
		"{'date': '2025-07-01', 'order': 'P1', 'finding': 'F1', 'text': 'x', "
		"'deadline': 'medio juni 2026'}",
		"deadline: 'medio juni 2026' is not a date (YYYY-MM-DD)");

	refused(KT_EV_ORDER_DEADLINE_EXTENDED,
		"{'date': '2026-06-01', 'order': 'P2', 'deadline': '2026-05-31', 'reason': 'r'}",
		"deadline: '2026-05-31' is before date '2026-06-01'");
	refused(KT_EV_ORDER_DEADLINE_EXTENDED,
		"{'date': '2026-06-01', 'order': 'P2', 'deadline': '2026-09-15', "
		"'deadline_precision': 'month', 'reason': 'r'}",
		"deadline: '2026-09-15' does not fit deadline_precision month (the last day of the "
		"month)");
	refused(KT_EV_ORDER_DEADLINE_EXTENDED,
		"{'date': '2026-06-01', 'order': 'P2', 'deadline': '2026-09-30', 'reason': ' '}",
		"reason: empty");
}

static void test_inspection_response_appeal_escalation_rules(void **state)
{
	(void)state;
	refused(KT_EV_RESPONSE_REGISTERED,
		"{'date': '2025-09-01', 'kind': 'response', 'order': 'P1', 'finding': 'F1', "
		"'text': 'x'}",
		"order: give order or finding, not both");
	passes(KT_EV_RESPONSE_REGISTERED,
	       "{'date': '2025-09-01', 'kind': 'progress_plan', 'finding': 'F1', 'text': 'x'}");
	refused(KT_EV_RESPONSE_REGISTERED, "{'date': '2025-09-01', 'kind': 'other', 'text': 'x'}",
		"kind_text: required when kind is other");
	refused(KT_EV_RESPONSE_REGISTERED,
		"{'date': '2025-09-01', 'kind': 'declaration', 'text': 'x', 'documents': "
		"['a.pdf', '']}",
		"documents[1]: empty");

	refused(KT_EV_ORDER_APPEAL_DECIDED,
		"{'date': '2025-10-01', 'order': 'P1', 'outcome': 'annulled', 'text': 'x', "
		"'deadline': '2026-01-31'}",
		"deadline: not allowed when outcome is annulled");
	refused(KT_EV_ORDER_APPEAL_DECIDED,
		"{'date': '2025-10-01', 'order': 'P1', 'outcome': 'annulled', 'text': 'x', "
		"'deadline_text': 'januar 2026'}",
		"deadline: not allowed when outcome is annulled");
	passes(KT_EV_ORDER_APPEAL_DECIDED,
	       "{'date': '2025-10-01', 'order': 'P1', 'outcome': 'annulled', 'text': 'x'}");
	refused(KT_EV_ORDER_APPEAL_DECIDED,
		"{'date': '2025-10-01', 'order': 'P1', 'outcome': 'changed', 'text': 'x', "
		"'deadline': '2025-09-30'}",
		"deadline: '2025-09-30' is before date '2025-10-01'");
	refused(KT_EV_ORDER_APPEAL_DECIDED,
		"{'date': '2025-10-01', 'order': 'P1', 'outcome': 'rejected', 'text': 'x'}",
		"outcome: 'rejected' is not one of upheld, changed, annulled");
	refused(KT_EV_ORDER_APPEALED,
		"{'date': '2025-07-20', 'order': 'P1', 'text': 'x', 'suspensive': 'ja'}",
		"suspensive: expected true or false, got text");

	refused(KT_EV_ORDER_ESCALATED,
		"{'date': '2026-02-01', 'order': 'P1', 'measure': 'stansing', 'text': 'x', "
		"'amount': 1000}",
		"amount: not allowed for stansing");
	refused(KT_EV_ORDER_ESCALATED,
		"{'date': '2026-02-01', 'order': 'P1', 'measure': 'stansing', 'text': 'x', "
		"'amount_text': '1000 kr'}",
		"amount_text: not allowed for stansing");
	refused(KT_EV_ORDER_ESCALATED,
		"{'date': '2026-02-01', 'order': 'P1', 'measure': 'tvangsmulkt', 'text': 'x', "
		"'amount': -5}",
		"amount: -5 is less than 0");
	refused(KT_EV_ORDER_ESCALATED,
		"{'date': '2026-02-01', 'order': 'P1', 'measure': 'tvangsmulkt', 'text': 'x', "
		"'amount': '5000'}",
		"amount: expected a number, got text");
	passes(KT_EV_ORDER_ESCALATED, "{'date': '2026-02-01', 'order': 'P1', 'measure': "
				      "'overtredelsesgebyr', 'text': 'x', 'amount': 25000.5}");
}

static void test_inspection_waiver_and_closure_rules(void **state)
{
	(void)state;
	refused(KT_EV_REQUIREMENT_WAIVED, "{'date': '2025-10-01', 'reason': 'r'}",
		"order: give exactly one of order and finding");
	refused(KT_EV_REQUIREMENT_WAIVED,
		"{'date': '2025-10-01', 'order': 'P1', 'finding': 'F1', 'reason': 'r'}",
		"order: give exactly one of order and finding");
	passes(KT_EV_REQUIREMENT_WAIVED, "{'date': '2025-10-01', 'finding': 'F1', 'reason': 'r'}");
	refused(KT_EV_REQUIREMENT_WAIVED, "{'date': '2025-10-01', 'finding': 'F1'}",
		"reason: required");

	refused(KT_EV_INSPECTION_CLOSED, "{'date': '2025-12-01', 'forced': true}",
		"reason: required when forced");
	passes(KT_EV_INSPECTION_CLOSED, "{'date': '2025-12-01', 'forced': false}");
	passes(KT_EV_INSPECTION_CLOSED, "{'date': '2025-12-01', 'reason': 'Alle pålegg oppfylt.'}");
	refused(KT_EV_INSPECTION_CLOSED, "{'date': '2025-12-01', 'forced': 1, 'reason': 'r'}",
		"forced: expected true or false, got an integer");

	refused(KT_EV_INSPECTION_TRANSFERRED, "{'date': '2025-08-01'}", "to: required");
	refused(KT_EV_INSPECTION_TRANSFERRED, "{'date': '2025-08-01', 'to': ''}", "to: empty");
}

static void test_inspection_corrections(void **state)
{
	(void)state;
	const char *t = KT_EV_EVENT_CORRECTED;
	refused(t,
		"{'target': 'T-2025-009/P2', 'target_type': 'order.issued', 'reason': 'r', "
		"'data': {}}",
		"target: 'T-2025-009/P2' is not a UUID");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'order.issuedx', 'reason': 'r', "
		"'data': {}}",
		"target_type: 'order.issuedx' is not a catalogued event type");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'event.corrected', 'reason': 'r', "
		"'data': {}}",
		"target_type: correct the original event again, not the correction");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'event.retracted', 'reason': 'r', "
		"'data': {}}",
		"target_type: a retraction is final; record the fact again");
	refused(t, "{'target': '" UUID "', 'target_type': 'order.issued', 'reason': 'r'}",
		"data: required");
	refused(t, "{'target': '" UUID "', 'target_type': 'order.issued', 'data': {}}",
		"reason: required");

	/* The replacement payload is checked as its type, reasons inside "data". */
	refused(t,
		"{'target': '" UUID "', 'target_type': 'order.issued', 'reason': 'r', "
		"'data': {'date': '2025-05-21', 'order': 'P2', 'finding': 'F2', 'text': 'x', "
		"'deadline': '2026-02-30'}}",
		"data.deadline: '2026-02-30' is not a date (YYYY-MM-DD)");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'order.issued', 'reason': 'r', "
		"'data': {'date': '2025-05-21', 'order': 'P2', 'finding': 'F2'}}",
		"data.text: required");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'order.issued', 'reason': 'r', "
		"'data': {'date': '2025-05-21', 'order': 'P2', 'finding': 'F2', 'text': 'x', "
		"'deadline': '2026-06-30', 'deadline_precision': 'mid_month'}}",
		"data.deadline: '2026-06-30' does not fit deadline_precision mid_month (the 15th)");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'finding.none', 'reason': 'r', "
		"'data': {'date': '2025-06-04', 'colour': 'red'}}",
		"data.colour: unknown field");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'finding.none', 'reason': 'r', "
		"'data': {'date': '2025-06-04', 'text': ['a']}}",
		"data.text: expected text, got an array");
	refused(t,
		"{'target': '" UUID "', 'target_type': 'order.issued', 'reason': 'r', "
		"'data': []}",
		"data: expected an object, got an array");
	/* A correction of the opening itself. */
	passes(t, "{'target': '" UUID "', 'target_type': 'inspection.opened', 'reason': "
		  "'Enheten het Klæbu hvs.', 'data': {'case_number': 'T-2025-010', 'authority': "
		  "'Arbeidstilsynet', 'unit': 'Klæbu helse- og velferdssenter', 'law': "
		  "'Arbeidsmiljøloven', 'theme': 'Muskel- og skjelettplager', "
		  "'date_from': '2025-06-04'}}");

	refused(KT_EV_EVENT_RETRACTED,
		"{'target': '" UUID "', 'target_type': 'event.retracted', 'reason': 'r'}",
		"target_type: a retraction is final; record the fact again");
	refused(KT_EV_EVENT_RETRACTED,
		"{'target': '" UUID "', 'target_type': 'finding.recorded', 'reason': 'r', "
		"'data': {}}",
		"data: unknown field");
	passes(KT_EV_EVENT_RETRACTED,
	       "{'target': '" UUID "', 'target_type': 'inspection.closed', 'reason': 'r'}");
}

/* ---- the 2025 cases (events/CATALOGUE.md, "Expressing the 2025 cases") --- */

/* Seed l. 2653, 2740–2742: Klæbu helse- og velferdssenter, no findings. */
static void test_inspection_case_no_findings(void **state)
{
	(void)state;
	static const struct ev evs[] = {
		{ KT_EV_INSPECTION_OPENED,
		  "{'case_number': 'T-2025-010', 'authority': 'Arbeidstilsynet', "
		  "'unit': 'Klæbu helse- og velferdssenter', 'law': 'Arbeidsmiljøloven', "
		  "'theme': 'Muskel- og skjelettplager og psykiske plager - stedlig tilsyn', "
		  "'kind': 'stedlig_tilsyn', 'kind_text': 'stedlig tilsyn', "
		  "'date_from': '2025-06-04', 'date_text': '04.06.25'}" },
		{ KT_EV_INSPECTION_CONDUCTED, "{'date': '2025-06-04', 'mode': 'visit'}" },
		{ KT_EV_FINDING_NONE,
		  "{'date': '2025-06-04', 'text': 'Arbeidstilsynet fant ingen brudd på "
		  "regelverket som det var nødvendig å følge opp med pålegg om retting.'}" },
		{ KT_EV_INSPECTION_CLOSED,
		  "{'date': '2025-06-01', 'date_precision': 'month', 'date_text': 'juni 2025 "
		  "(ikke datert i årsberetningen)', 'text': 'Ingen pålegg.'}" },
	};
	sequence_passes(evs, N(evs));
}

/* Seed l. 2647, 2670–2676: Arkivverket waived the clean-up requirement. */
static void test_inspection_case_arkivverket_waiver(void **state)
{
	(void)state;
	static const struct ev evs[] = {
		{ KT_EV_INSPECTION_OPENED,
		  "{'case_number': 'T-2025-004', 'authority': 'Arkivverket', "
		  "'unit': 'Trondheim digital', 'law': 'Arkivloven', "
		  "'theme': 'Tilsyn med arkivholdet', 'date_from': '2025-03-20', "
		  "'related': []}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2025-03-20', 'finding': 'F1', 'kind': 'avvik', 'kind_text': "
		  "'avdekket', 'text': 'Ca 46 000 papir og 10000 elektroniske dokumenter i det "
		  "avsluttede arkivsystemet (ESA) stod med feil status.', "
		  "'legal_ref': 'arkivloven'}" },
		{ KT_EV_RESPONSE_REGISTERED,
		  "{'date': '2025-03-20', 'kind': 'risk_assessment', 'finding': 'F1', "
		  "'text': 'Byarkivet gjennomførte en risikovurdering som konkluderte med at "
		  "manuell retting av 46 000 feil ville være for ressurskrevende og kunne svekke "
		  "arkivets autentisitet.'}" },
		{ KT_EV_REQUIREMENT_WAIVED,
		  "{'date': '2025-03-20', 'finding': 'F1', 'reason': 'Arkivverket støttet "
		  "kommunens vurdering og frafalt kravet om opprydding.', 'text': "
		  "'Rettssikkerheten "
		  "ivaretas ved at arkivpersonalet gjør manuelle oppslag i papirarkivene.'}" },
		{ KT_EV_RESPONSE_REGISTERED,
		  "{'date': '2025-03-20', 'kind': 'action_plan', 'text': 'Fullelektronisk "
		  "arkivering, ny arkivplan, opplæring, forenklet og sentralisert ansvar for "
		  "kvalitetssikring.'}" },
		{ KT_EV_INSPECTION_CLOSED,
		  "{'date': '2025-03-20', 'text': 'Tilsynet er nå avsluttet.'}" },
	};
	sequence_passes(evs, N(evs));
}

/* Seed l. 2658, 2724–2726: closed and transferred to P-Norge AS. */
static void test_inspection_case_vegvesen_transfer(void **state)
{
	(void)state;
	static const struct ev evs[] = {
		{ KT_EV_INSPECTION_OPENED,
		  "{'case_number': 'T-2025-015', 'authority': 'Statens vegvesen', "
		  "'unit': 'Trondheim parkering', 'law': 'Parkeringsforskriften', "
		  "'theme': 'Vilkårsparkering', 'date_from': '2025-07-02'}" },
		{ KT_EV_INSPECTION_NOTIFIED,
		  "{'date': '2025-07-02', 'text': 'Statens vegvesen varslet tilsyn med kommunens "
		  "vilkårsparkering.'}" },
		{ KT_EV_INSPECTION_TRANSFERRED,
		  "{'date': '2025-07-02', 'to': 'P-Norge AS', 'text': 'Tilsynet ble lukket og "
		  "overført direkte til det ansvarlige selskapet, P-Norge AS, som er et "
		  "selvstendig rettssubjekt eid av Trondheim Parkering.'}" },
	};
	sequence_passes(evs, N(evs));
}

/* Seed l. 2662, 2690–2692: barnevern self-inspection over 2025. */
static void test_inspection_case_barnevern_self_inspection(void **state)
{
	(void)state;
	static const struct ev evs[] = {
		{ KT_EV_INSPECTION_OPENED,
		  "{'case_number': 'T-2025-018', 'authority': 'Statsforvalteren', "
		  "'unit': 'Barne- og familietjenesten', 'law': 'Barnevernloven', "
		  "'theme': 'Landsomfattende tilsyn 2024 - egenkontroll vedr. "
		  "barneverntjenestens arbeid med undersøkelser', 'kind': 'egenkontroll', "
		  "'kind_text': 'egenkontroll (egentilsyn)', 'programme': 'Landsomfattende tilsyn "
		  "2024 - undersøkelser i barnevernet (2024 til 2026)', 'date_from': '2025-01-01', "
		  "'date_to': '2025-12-31', 'date_text': '01.01.25 - 31.12.25'}" },
		{ KT_EV_INSPECTION_CONDUCTED,
		  "{'date': '2025-01-01', 'date_to': '2025-12-31', 'mode': 'self_assessment', "
		  "'text': 'BFT Heimdal, BFT Lerkendal, BFT Midtbyen og BFT Østbyen har deltatt "
		  "ved egentilsyn.'}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2025-12-31', 'finding': 'F1', 'kind': 'forbedringspunkt', "
		  "'kind_text': 'funn i egentilsynet', 'text': 'Barnets medvirkning og "
		  "dokumentasjon av dette.'}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2025-12-31', 'finding': 'F2', 'kind': 'forbedringspunkt', "
		  "'kind_text': 'funn i egentilsynet', 'text': 'Ventetid før undersøkelsen "
		  "starter opp.'}" },
		{ KT_EV_RESPONSE_REGISTERED,
		  "{'date': '2025-12-31', 'kind': 'action_plan', 'text': 'Alle tjenestene "
		  "jobber med kvalitetsforbedring etter funn i egentilsynet. Egentilsynet "
		  "fortsetter inn i 2026.'}" },
	};
	sequence_passes(evs, N(evs));
}

/* Seed l. 2644, 2700–2704: opened on autumn-2024 figures, counted in 2025. */
static void test_inspection_case_laerernormen_2024_figures(void **state)
{
	(void)state;
	static const struct ev evs[] = {
		{ KT_EV_INSPECTION_OPENED,
		  "{'case_number': 'T-2025-001', 'authority': 'Statsforvalteren', "
		  "'unit': 'Oppvekst', 'law': 'Opplæringsloven', "
		  "'theme': 'Bemanningsnorm -lærer grunnskole', 'date_from': '2024-01-01', "
		  "'date_precision': 'year', 'date_text': '2024 (høsten 2024)', "
		  "'trigger': 'Tall for lærernormen høsten 2024: 17 skoler hadde avvik fra det "
		  "lovpålagte forholdstallet mellom elever og lærere.', 'report_year': 2025}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2024-01-01', 'date_precision': 'year', 'date_text': 'høsten 2024', "
		  "'finding': 'F1', 'kind': 'avvik', 'text': 'Avvik fra det lovpålagte "
		  "forholdstallet mellom elever og lærere.', 'legal_ref': 'opplæringsloven "
		  "(lærernormen)', 'count': 17}" },
		{ KT_EV_RESPONSE_REGISTERED,
		  "{'date': '2025-01-01', 'date_precision': 'year', 'date_text': '2025', "
		  "'kind': 'account', 'finding': 'F1', 'text': 'Kommunen har redegjort for at "
		  "normen vil etterleves ved oppstart av neste skoleår.'}" },
	};
	sequence_passes(evs, N(evs));
}

/* Seed l. 2652, 2763–2765: Krisesenteret, "innen medio juni 2026". */
static void test_inspection_case_medio_juni_deadline(void **state)
{
	(void)state;
	static const struct ev evs[] = {
		{ KT_EV_INSPECTION_OPENED,
		  "{'case_number': 'T-2025-009', 'authority': 'Arbeidstilsynet', "
		  "'unit': 'Krisesenteret i Trondheim', 'law': 'Arbeidsmiljøloven', "
		  "'theme': 'Muskel- og skjelettplager og psykiske plager - stedlig tilsyn', "
		  "'kind': 'stedlig_tilsyn', 'date_from': '2025-05-21'}" },
		{ KT_EV_INSPECTION_CONDUCTED, "{'date': '2025-05-21', 'mode': 'visit'}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2025-05-21', 'finding': 'F1', 'kind': 'lovbrudd', 'text': "
		  "'Arbeidslokalene.'}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2025-05-21', 'finding': 'F2', 'kind': 'lovbrudd', 'text': "
		  "'Arbeidsforhold ved bygging av nytt krisesenter.'}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2025-05-21', 'finding': 'F3', 'kind': 'lovbrudd', 'text': "
		  "'Involvering av BHT, ansatte og verneombud.'}" },
		{ KT_EV_ORDER_ISSUED,
		  "{'date': '2025-05-21', 'order': 'P1', 'finding': 'F1', 'text': 'Tiltak og "
		  "plan for å sikre forsvarlige arbeidslokaler.'}" },
		{ KT_EV_ORDER_ISSUED,
		  "{'date': '2025-05-21', 'order': 'P2', 'finding': 'F2', 'text': 'Sikring av "
		  "arbeidsforhold, i sammenheng med bygging av nytt krisesenter.', "
		  "'deadline': '2026-06-15', 'deadline_text': 'innen medio juni 2026', "
		  "'deadline_precision': 'mid_month'}" },
		{ KT_EV_ORDER_ISSUED,
		  "{'date': '2025-05-21', 'order': 'P3', 'finding': 'F3', 'text': 'Involvering "
		  "av Bedriftshelsetjenesten i sammenheng med pålegg 2, samt involvering av "
		  "ansatte/verneombud i sammenheng med pålegg 1 og 2.', "
		  "'deadline': '2026-06-15', 'deadline_text': 'innen medio juni 2026', "
		  "'deadline_precision': 'mid_month'}" },
		{ KT_EV_RESPONSE_REGISTERED,
		  "{'date': '2025-05-21', 'kind': 'response', 'order': 'P1', 'text': 'Tiltakene "
		  "ble vurdert i samarbeid med yrkeshygieniker (BHT), verneombud og ansattes "
		  "representanter.'}" },
		{ KT_EV_ORDER_FULFILLED,
		  "{'date': '2025-05-21', 'order': 'P1', 'text': 'Vurdert som oppfylt av "
		  "Arbeidstilsynet.'}" },
	};
	sequence_passes(evs, N(evs));
}

/* Seed l. 2655, 2712–2716: Lerkendal BoA, response deadline "februar 2026". */
static void test_inspection_case_februar_deadline(void **state)
{
	(void)state;
	static const struct ev evs[] = {
		{ KT_EV_INSPECTION_OPENED,
		  "{'case_number': 'T-2025-012', 'authority': 'Statsforvalteren', "
		  "'unit': 'Lerkendal BoA', 'law': 'Helse- og omsorgstjenesteloven', "
		  "'theme': 'Systemrevisjon', 'kind': 'systemrevisjon', 'kind_text': "
		  "'Systemrevisjon (tabellen); hendelsesbasert tilsyn (teksten)', "
		  "'trigger': 'Flere bekymringer og klager samt samtaler med pårørende.', "
		  "'date_from': '2025-06-16'}" },
		{ KT_EV_INSPECTION_CONDUCTED,
		  "{'date': '2025-09-01', 'date_precision': 'month', 'date_text': 'i september "
		  "2025', 'mode': 'visit'}" },
		{ KT_EV_FINDING_RECORDED,
		  "{'date': '2025-09-01', 'date_precision': 'month', 'finding': 'F1', "
		  "'kind': 'lovbrudd', 'text': 'Kommunen mangler et system for å sikre "
		  "forsvarlige tjenester; forsvarlighetskravet vurderes å være brutt.', "
		  "'legal_ref': 'helse- og omsorgstjenesteloven § 4-1'}" },
		{ KT_EV_ORDER_ISSUED,
		  "{'date': '2025-09-01', 'date_precision': 'month', 'order': 'P1', "
		  "'finding': 'F1', 'kind': 'svarfrist', 'text': 'Fristen for å svare ut "
		  "tilsynet.', 'deadline': '2026-02-28', 'deadline_text': 'februar 2026', "
		  "'deadline_precision': 'month'}" },
		{ KT_EV_RESPONSE_REGISTERED,
		  "{'date': '2025-09-01', 'date_precision': 'month', 'kind': 'action_plan', "
		  "'order': 'P1', 'text': 'Ledelsen har utarbeidet en konkret tiltaksplan for å "
		  "sikre forsvarlige tjenester fremover.'}" },
	};
	sequence_passes(evs, N(evs));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inspection_every_type_has_valid_payloads),
		cmocka_unit_test(test_inspection_lookup_by_type_name),
		cmocka_unit_test(test_inspection_every_required_field_is_required),
		cmocka_unit_test(test_inspection_opened_rules),
		cmocka_unit_test(test_inspection_step_dates),
		cmocka_unit_test(test_inspection_labels),
		cmocka_unit_test(test_inspection_order_rules),
		cmocka_unit_test(test_inspection_response_appeal_escalation_rules),
		cmocka_unit_test(test_inspection_waiver_and_closure_rules),
		cmocka_unit_test(test_inspection_corrections),
		cmocka_unit_test(test_inspection_case_no_findings),
		cmocka_unit_test(test_inspection_case_arkivverket_waiver),
		cmocka_unit_test(test_inspection_case_vegvesen_transfer),
		cmocka_unit_test(test_inspection_case_barnevern_self_inspection),
		cmocka_unit_test(test_inspection_case_laerernormen_2024_figures),
		cmocka_unit_test(test_inspection_case_medio_juni_deadline),
		cmocka_unit_test(test_inspection_case_februar_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
