/*
 * incident_events.h — the catalogue of incident (Kvaliteket) event types.
 *
 * An incident is one aggregate: a deviation (avvik, injuries included) or an
 * improvement suggestion (forbedringsforslag) that an employee reports in the
 * municipality's quality system, with its triage, handler, actions (tiltak),
 * reports to outside bodies, closure and reopening. One stream holds its
 * events: "incident-" + its number. The number is "H-" (hendelse) + the four-digit year
 * of registration + "-" + five to seven digits ("H-2025-00042"); actions are
 * labelled within it T1, T2, … (one to three capital letters, then 1–9999).
 *
 * Times. Every event's effective time (the envelope's) is when the fact
 * happened: for incident.reported the moment the incident was registered,
 * which starts the 72-hour clock of GDPR art. 33 for a personvern incident;
 * for incident.reported_externally the moment the report was sent. Days
 * (occurred, due) are payload dates.
 *
 * Personal data. Free-text fields may hold names and health details; their
 * schema fields carry KT_FIELD_PERSONAL (schema.h) and listings leave them
 * out unless asked to include them. events/INCIDENTS.md lists them.
 *
 * Corrections and retractions use the shared event.corrected and
 * event.retracted types (inspection_events.h), whose target may be any type
 * of any catalogue (catalogue.h).
 *
 * Not here: rules that need the incident's state (an action that must exist,
 * nothing but reopening on a closed incident). Those are the command layer's.
 * This module reads only the payload it is given, never allocates and keeps
 * no state.
 */
#ifndef KONTROLL_INCIDENT_EVENTS_H
#define KONTROLL_INCIDENT_EVENTS_H

#include "kontroll/schema.h"

#include <stddef.h>
#include <stdint.h>

#define KT_EV_INCIDENT_REPORTED		 "incident.reported"
#define KT_EV_INCIDENT_TRIAGED		 "incident.triaged"
#define KT_EV_INCIDENT_ASSIGNED		 "incident.assigned"
#define KT_EV_INCIDENT_ACTION_ADDED	 "incident.action_added"
#define KT_EV_INCIDENT_ACTION_COMPLETED	 "incident.action_completed"
#define KT_EV_INCIDENT_REPORTED_EXTERNAL "incident.reported_externally"
#define KT_EV_INCIDENT_EXTERNAL_NOT_REQ	 "incident.external_not_required"
#define KT_EV_INCIDENT_CLOSED		 "incident.closed"
#define KT_EV_INCIDENT_REOPENED		 "incident.reopened"

/* Streams of incidents are named this prefix followed by the number. */
#define KT_INCIDENT_STREAM_PREFIX "incident-"
/* Longest incident number, NUL included ("H-2025-1234567"). */
#define KT_INCIDENT_NUMBER_SIZE 16

/* The two choices Kvaliteket 2.0 offers everyone who reports. */
enum kt_incident_category { KT_CATEGORY_AVVIK, KT_CATEGORY_FORBEDRING, KT_CATEGORIES };

/* What a triage says the incident is about. */
enum kt_incident_type {
	KT_TYPE_HMS,
	KT_TYPE_PASIENT,
	KT_TYPE_PERSONVERN,
	KT_TYPE_INFOSIKKERHET,
	KT_TYPE_VOLD,
	KT_TYPE_MILJO,
	KT_TYPE_ANNET,
	KT_TYPES
};

/* Outside bodies an incident may be reported to. */
enum kt_recipient {
	KT_RECIPIENT_DATATILSYNET,
	KT_RECIPIENT_ARBEIDSTILSYNET,
	KT_RECIPIENT_STATSFORVALTEREN,
	KT_RECIPIENT_HELSEPLATTFORMEN,
	KT_RECIPIENT_OTHER,
	KT_RECIPIENTS
};

/* GDPR art. 33: a personal data breach is notified to the supervisory
 * authority within 72 hours of the controller becoming aware of it. */
#define KT_NOTIFY_HOURS 72
#define KT_NOTIFY_US	((int64_t)KT_NOTIFY_HOURS * 3600 * 1000000)

/* Catalogue values ("avvik", "personvern", "datatilsynet") and the names a
 * person reads ("Avvik (inkl. skade)", "personvern", "Datatilsynet"), by
 * enum; static strings. */
const char *kt_category_key(enum kt_incident_category c);
const char *kt_category_name(enum kt_incident_category c);
const char *kt_incident_type_key(enum kt_incident_type t);
const char *kt_incident_type_name(enum kt_incident_type t);
const char *kt_recipient_key(enum kt_recipient r);
const char *kt_recipient_name(enum kt_recipient r);

/* The enum value whose catalogue key is exactly the len bytes at key, or -1
 * (for reading stored payloads). */
int kt_category_by_key(const char *key, size_t len);
int kt_incident_type_by_key(const char *key, size_t len);
int kt_recipient_by_key(const char *key, size_t len);

/* The enum value a person's wording names, or -1: the key, the Norwegian
 * name or a common short form, ignoring case ("Avvik (inkl. skade)", "avvik",
 * "forbedringsforslag"; "HMS/arbeidsmiljø", "pasient- og brukersikkerhet",
 * "vold og trusler"; "Datatilsynet"). */
int kt_category_parse(const char *text);
int kt_incident_type_parse(const char *text);
int kt_recipient_parse(const char *text);

/* Non-zero when the len bytes at s are an incident number; *year gets its
 * year and *seq its sequence number (either may be NULL). */
int kt_incident_number_parse(const char *s, size_t len, int *year, uint32_t *seq);

/* Write the number of year and seq ("H-2025-00042") into out. */
void kt_incident_number_format(int year, uint32_t seq, char out[KT_INCIDENT_NUMBER_SIZE]);

/* The schema of an incident event type (the len bytes at type), or NULL.
 * Static. */
const struct kt_schema *kt_incident_schema(const char *type, size_t len);

/* The i-th schema, in lifecycle order, or NULL past the end. */
const struct kt_schema *kt_incident_schema_at(size_t i);

#endif
