/*
 * inspection_events.h — the catalogue of inspection (tilsyn) event types.
 *
 * An inspection is one aggregate: one stream holds its events, from
 * inspection.opened to inspection.closed or inspection.transferred, with its
 * findings (funn) and orders (pålegg) among them. Findings and orders are
 * named within their inspection by labels such as "F1" and "P2" (one to three
 * capital ASCII letters, then a number from 1 to 9999 without leading zeros),
 * which people write as T-2025-007/P2.
 *
 * For each type this module holds a schema (schema.h): its fields, their
 * kinds and limits, and a check for the rules that tie fields together and
 * need nothing but the payload itself ("exactly one of order and finding",
 * "date_to not before date_from", "a deadline given as mid_month is the
 * 15th"). events/CATALOGUE.md describes every type and field.
 *
 * Conventions every type follows:
 * - every type but event.corrected and event.retracted has `date`, the day
 *   the fact happened as the authority's documents date it, with optional
 *   `date_precision` (day, month, year; default day) and `date_text` (the
 *   wording). A date known to the month or year is stored as the first day of
 *   the period; the check refuses any other day. inspection.opened has
 *   date_from / date_to instead, and its date_precision applies to date_from.
 * - deadlines are stored as the day the wording means plus the wording and
 *   its precision (deadline.h): deadline, deadline_text, deadline_precision.
 * - a correction replaces the whole payload of the event it names; a
 *   retraction withdraws it. Neither changes the original, which stays in
 *   the log.
 *
 * Not here: rules that need the inspection's state (a finding or order that
 * must exist, nothing recorded on a closed inspection, a correction whose
 * target_type matches the target, a new deadline later than the old). Those
 * are the command layer's. This module reads only the payload it is given,
 * never allocates and keeps no state.
 */
#ifndef KONTROLL_INSPECTION_EVENTS_H
#define KONTROLL_INSPECTION_EVENTS_H

#include "kontroll/schema.h"

#include <stddef.h>
#include <stdint.h>

/* The event type names, for writers and projections. */
#define KT_EV_INSPECTION_OPENED	      "inspection.opened"
#define KT_EV_INSPECTION_NOTIFIED     "inspection.notified"
#define KT_EV_INSPECTION_CONDUCTED    "inspection.conducted"
#define KT_EV_REPORT_PRELIMINARY      "report.preliminary"
#define KT_EV_REPORT_COMMENTS_SENT    "report.comments_sent"
#define KT_EV_REPORT_FINAL	      "report.final"
#define KT_EV_FINDING_RECORDED	      "finding.recorded"
#define KT_EV_FINDING_NONE	      "finding.none"
#define KT_EV_ORDER_ISSUED	      "order.issued"
#define KT_EV_RESPONSE_REGISTERED     "response.registered"
#define KT_EV_ORDER_DEADLINE_EXTENDED "order.deadline_extended"
#define KT_EV_ORDER_APPEALED	      "order.appealed"
#define KT_EV_ORDER_APPEAL_DECIDED    "order.appeal_decided"
#define KT_EV_ORDER_ESCALATED	      "order.escalated"
#define KT_EV_ORDER_FULFILLED	      "order.fulfilled"
#define KT_EV_REQUIREMENT_WAIVED      "requirement.waived"
#define KT_EV_INSPECTION_CLOSED	      "inspection.closed"
#define KT_EV_INSPECTION_TRANSFERRED  "inspection.transferred"
#define KT_EV_EVENT_CORRECTED	      "event.corrected"
#define KT_EV_EVENT_RETRACTED	      "event.retracted"

/*
 * The municipality's time to comment on a preliminary report when the
 * authority states none: two weeks from the report's date (the usual term of
 * a forhåndsvarsel under forvaltningsloven § 16). report.preliminary requires
 * comment_deadline; the command layer fills it with date + this many days when
 * the user gives none.
 */
#define KT_INSPECTION_COMMENT_DAYS 14

/*
 * The schema of the event type named by the len bytes at type (need not be
 * NUL-terminated), or NULL when it is not an inspection event type. The
 * schema is static: valid for the life of the process, never to be freed.
 */
const struct kt_schema *kt_inspection_schema(const char *type, size_t len);

/*
 * The i-th schema of the catalogue, in the order of the inspection's
 * lifecycle (inspection.opened first, event.retracted last), or NULL when i
 * is past the end: for listings (help, documentation) and exhaustive tests.
 */
const struct kt_schema *kt_inspection_schema_at(size_t i);

/*
 * Validate one payload of the given type: kt_inspection_schema, then
 * kt_schema_check. Returns 0; KT_EINVAL with why "type: 'x' is not an
 * inspection event type" for an unknown type, or kt_schema_check's
 * KT_EINVAL / KT_EMALFORMED and why. why as in kt_schema_check.
 */
int kt_inspection_check(const char *type, size_t type_len, const uint8_t *data, size_t len,
			char *why, size_t why_len);

#endif
