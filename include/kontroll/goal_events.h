/*
 * goal_events.h — the catalogue of goal-achievement (måloppnåelse) event
 * types.
 *
 * A goal is one aggregate: its definition (level in the hierarchy, area,
 * period, text, parent goal), its indicators with their baselines and yearly
 * targets, the measurements of those indicators, the yearly assessments, and
 * the revisions and retirement of all of it. One stream holds its events:
 * "goal-" + its number. The number is "M-" (mål) + the first year of the
 * goal's period + "-" + three to five digits ("M-2025-012"). Indicators are
 * labelled within their goal I1, I2, … (one to three capital letters, then
 * 1–9999), which people write as M-2025-012/I1.
 *
 * Times. A goal's definition and every revision of it take effect at their
 * event's effective time, so a view of year Y reads the definition in force
 * at the end of Y and a revision in 2025 leaves 2024 as it was. A
 * measurement's effective time is the day it is for (its `date`), an
 * assessment's when it was made.
 *
 * Assessments. The report words its verdicts in many ways ("Målet er delvis
 * nådd", "Resultatmålet er i rute", "nådde nesten målene"); goal.assessed
 * keeps the wording and one of four normalised statuses. kt_goal_status_parse
 * maps wordings to statuses (events/GOALS.md lists the rules).
 *
 * Corrections and retractions use the shared event.corrected and
 * event.retracted types (inspection_events.h).
 *
 * Not here: rules that need the goal's state (an indicator that must exist,
 * nothing but corrections on a retired goal, a target year inside the
 * period). Those are the command layer's. This module reads only the
 * payload it is given, never allocates and keeps no state.
 */
#ifndef KONTROLL_GOAL_EVENTS_H
#define KONTROLL_GOAL_EVENTS_H

#include "kontroll/schema.h"

#include <stddef.h>
#include <stdint.h>

#define KT_EV_GOAL_DEFINED	     "goal.defined"
#define KT_EV_GOAL_REVISED	     "goal.revised"
#define KT_EV_GOAL_INDICATOR_DEFINED "goal.indicator_defined"
#define KT_EV_GOAL_INDICATOR_REVISED "goal.indicator_revised"
#define KT_EV_GOAL_MEASURED	     "goal.measured"
#define KT_EV_GOAL_ASSESSED	     "goal.assessed"
#define KT_EV_GOAL_RETIRED	     "goal.retired"

/* Streams of goals are named this prefix followed by the number. */
#define KT_GOAL_STREAM_PREFIX "goal-"
/* Longest goal number, NUL included ("M-2025-12345"). */
#define KT_GOAL_NUMBER_SIZE 16
/* Most yearly targets one indicator carries, and the longest period. */
#define KT_GOAL_TARGETS_MAX 50
#define KT_GOAL_PERIOD_MAX  50

/* Where a goal stands in the hierarchy, from the top. The report's chapters
 * use different ladders (overordnet mål → periodemål → resultatmål;
 * fokusområde → undermål; Mål N; handlingsregler); all fit these. */
enum kt_goal_level {
	KT_LEVEL_OVERORDNET,
	KT_LEVEL_PERIODEMAL,
	KT_LEVEL_FOKUSOMRADE,
	KT_LEVEL_MAL,
	KT_LEVEL_RESULTATMAL,
	KT_LEVEL_UNDERMAL,
	KT_LEVEL_HANDLINGSREGEL,
	KT_LEVEL_TILTAK,
	KT_LEVELS
};

/* Which way an indicator should move: its target is a ceiling (lower) or a
 * floor (higher). */
enum kt_goal_direction { KT_DIRECTION_LOWER, KT_DIRECTION_HIGHER, KT_DIRECTIONS };

/* A yearly verdict, normalised. */
enum kt_goal_status {
	KT_STATUS_ACHIEVED,
	KT_STATUS_PARTLY,
	KT_STATUS_NOT_ACHIEVED,
	KT_STATUS_ON_TRACK,
	KT_STATUSES
};

/* Catalogue values ("periodemal", "lower", "not_achieved") and the names a
 * person reads ("periodemål", "lower is better", "ikke nådd"), by enum;
 * static strings. */
const char *kt_goal_level_key(enum kt_goal_level l);
const char *kt_goal_level_name(enum kt_goal_level l);
const char *kt_goal_direction_key(enum kt_goal_direction d);
const char *kt_goal_direction_name(enum kt_goal_direction d);
const char *kt_goal_status_key(enum kt_goal_status s);
const char *kt_goal_status_name(enum kt_goal_status s);

/* The enum value whose catalogue key is exactly the len bytes at key, or -1
 * (for reading stored payloads). */
int kt_goal_level_by_key(const char *key, size_t len);
int kt_goal_direction_by_key(const char *key, size_t len);
int kt_goal_status_by_key(const char *key, size_t len);

/* The level a person's wording names, or -1: the key or the Norwegian name,
 * ignoring ASCII case, "-" or " " for "_" ("periodemål", "Mål",
 * "overordnet mål", "resultatmal"). */
int kt_goal_level_parse(const char *text);

/* The direction of "lower" or "higher" (also "lavere", "høyere", "ned",
 * "opp"), or -1. */
int kt_goal_direction_parse(const char *text);

/*
 * The status a verdict's wording states, or -1. The key itself ("partly")
 * is accepted, and so is any text that contains one of the report's phrases,
 * ignoring case: the longest phrase found decides, so "Målet er delvis nådd"
 * is partly although it also contains "nådd". The phrases: nådd, oppnådd →
 * achieved; delvis nådd, delvis oppnådd, i hovedsak nådd → partly; ikke
 * nådd, ikke oppnådd, nådde nesten, ligger bak, ikke i rute, ikke i positiv
 * utvikling → not_achieved; i rute, i positiv utvikling → on_track. text is
 * NUL-terminated UTF-8.
 */
int kt_goal_status_parse(const char *text);

/* Non-zero when the len bytes at s are a goal number; *year gets its year
 * and *seq its sequence number (either may be NULL). */
int kt_goal_number_parse(const char *s, size_t len, int *year, uint32_t *seq);

/* Write the number of year and seq ("M-2025-012") into out. */
void kt_goal_number_format(int year, uint32_t seq, char out[KT_GOAL_NUMBER_SIZE]);

/* Non-zero when the len bytes at s are an indicator label: one to three
 * capital ASCII letters, then 1–9999 without leading zeros ("I1"). */
int kt_goal_label_ok(const char *s, size_t len);

/* The schema of a goal event type (the len bytes at type), or NULL. Static. */
const struct kt_schema *kt_goal_schema(const char *type, size_t len);

/* The i-th schema, in lifecycle order, or NULL past the end. */
const struct kt_schema *kt_goal_schema_at(size_t i);

#endif
