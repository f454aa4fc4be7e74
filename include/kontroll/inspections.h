/*
 * inspections.h — the inspections read model: every supervisory inspection
 * (tilsyn) with its findings, orders (pålegg) and their state, folded from
 * the inspection streams (events/CATALOGUE.md).
 *
 * It is a projection for the replay engine (replay.h): kt_inspections_projection
 * folds events into a struct kt_inspections, which the listings (kontroll
 * inspections, kontroll orders) and the commands read. It does no I/O.
 *
 * What it keeps: for each inspection its header (case number, authority,
 * unit, law, theme, kind, dates), the dates of the regulator's steps, its
 * findings and orders with their current state and deadline, closure or
 * transfer, and the stream version it has seen (the expected version for the
 * next command). Long texts are not kept: `kontroll inspection show` reads
 * them from the stream itself. Each fact remembers the event that stated it,
 * so event.corrected and event.retracted can replace or withdraw it; the
 * original events stay in the log.
 *
 * Events of other streams, of unknown types, or whose payload lacks what the
 * fold needs, are skipped: the catalogue validated every event at the edge,
 * and a read model must not stop on one it does not understand.
 */
#ifndef KONTROLL_INSPECTIONS_H
#define KONTROLL_INSPECTIONS_H

#include "kontroll/data.h"
#include "kontroll/replay.h"

#include <stddef.h>
#include <stdint.h>

/* Streams of inspections are named this prefix followed by the case number. */
#define KT_INSPECTION_STREAM_PREFIX "inspection-"
#define KT_LABEL_SIZE		    16 /* "F12", "P3", with room to spare, NUL included */

enum kt_inspection_status {
	KT_INSPECTION_ANNOUNCED,   /* notified (varsel), not yet carried out */
	KT_INSPECTION_OPEN,	   /* carried out or registered, nothing found yet */
	KT_INSPECTION_FINDINGS,	   /* findings recorded, no order open */
	KT_INSPECTION_ORDERS_OPEN, /* at least one order open */
	KT_INSPECTION_CLOSED,
	KT_INSPECTION_TRANSFERRED, /* closed and passed to another body */
};

enum kt_order_status {
	KT_ORDER_OPEN,
	KT_ORDER_FULFILLED, /* the authority confirmed */
	KT_ORDER_WAIVED,    /* the authority dropped the requirement */
	KT_ORDER_ANNULLED,  /* an appeal annulled it */
};

enum kt_finding_kind {
	KT_FINDING_LOVBRUDD,
	KT_FINDING_AVVIK,
	KT_FINDING_MERKNAD,
	KT_FINDING_FORBEDRINGSPUNKT,
	KT_FINDING_KINDS
};

/* A date set later than the order itself: an extension or an appeal decision. */
struct kt_deadline_change {
	uint8_t source[16];  /* the event that set it */
	int64_t deadline;    /* 00:00 UTC of the day */
	char *deadline_text; /* its wording, or NULL */
	int retracted;
};

struct kt_finding {
	char label[KT_LABEL_SIZE];
	enum kt_finding_kind kind;
	uint8_t source[16];
	int waived;
	uint8_t waived_source[16];
	int retracted;
};

struct kt_order {
	char label[KT_LABEL_SIZE];
	char finding[KT_LABEL_SIZE]; /* "" when tied to none */
	uint8_t source[16];
	int64_t issued; /* date of the order */
	enum kt_date_precision issued_precision;
	int64_t deadline;    /* as issued; KT_TIME_UNSET when none */
	char *deadline_text; /* the wording, or NULL */
	struct kt_deadline_change *changes;
	size_t n_changes;
	enum kt_order_status status;
	uint8_t status_source[16];
	int64_t status_date;
	int appealed; /* an appeal is pending */
	uint8_t appeal_source[16];
	int decided; /* an appeal was decided (the decision not retracted) */
	uint8_t decision_source[16];
	int escalated;
	uint8_t escalation_source[16];
	int retracted;
};

/* One dated step of the regulator's procedure. date is KT_TIME_UNSET when
 * the step has not happened. */
struct kt_step {
	int64_t date;
	uint8_t source[16];
};

enum kt_step_kind {
	KT_STEP_NOTIFIED,
	KT_STEP_CONDUCTED,
	KT_STEP_PRELIMINARY,
	KT_STEP_COMMENTS,
	KT_STEP_FINAL,
	KT_STEP_NO_FINDINGS,
	KT_STEP_CLOSED,
	KT_STEPS
};

struct kt_inspection {
	char *stream;
	char *case_number;
	char *authority;
	char *unit;
	char *law;
	char *theme;
	char *kind;	/* catalogue value, or NULL */
	uint8_t id[16]; /* id of the inspection.opened event */
	int64_t date_from;
	enum kt_date_precision date_precision; /* of date_from */
	int64_t date_to;		       /* KT_TIME_UNSET when a single day */
	int report_year; /* the year whose report counts it, when not its own; 0 */
	uint64_t version;
	struct kt_step steps[KT_STEPS];
	int64_t comment_deadline; /* of the preliminary report */
	int forced;		  /* closed with orders open */
	char *transferred_to;	  /* closed by transfer to this body, or NULL */
	uint8_t transfer_source[16];
	int64_t transfer_date;
	unsigned responses;	     /* = n_response_ids: responses not retracted */
	uint8_t (*response_ids)[16]; /* the events that registered them */
	size_t n_response_ids;
	struct kt_finding *findings;
	size_t n_findings;
	struct kt_order *orders;
	size_t n_orders;
};

struct kt_inspections {
	struct kt_inspection *items; /* in the order they were opened */
	size_t n;
	size_t cap;
	size_t *slots; /* open-addressing index of items by stream */
	size_t n_slots;
};

/* The projection for kt_replay; its state is a struct kt_inspections. */
extern const struct kt_projection kt_inspections_projection;

/* Make an empty model. Call kt_inspections_free when done, also after a
 * failed replay. */
void kt_inspections_init(struct kt_inspections *m);

/* Free everything the model holds; it is empty and reusable afterwards. */
void kt_inspections_free(struct kt_inspections *m);

/* The inspection whose stream is stream, or NULL. Borrowed from m. */
const struct kt_inspection *kt_inspections_find(const struct kt_inspections *m, const char *stream);

/* The inspection with case number case_number (exact), or NULL. */
const struct kt_inspection *kt_inspections_by_case(const struct kt_inspections *m,
						   const char *case_number);

enum kt_inspection_status kt_inspection_status(const struct kt_inspection *in);

/* The year whose annual report counts the inspection: its report_year when
 * set, else the year of date_from; 0 when it has no date_from. Each
 * inspection is counted in exactly one year. */
int kt_inspection_report_year(const struct kt_inspection *in);

/* The order's deadline now: the last change not retracted, else as issued;
 * KT_TIME_UNSET when none. */
int64_t kt_order_deadline(const struct kt_order *o);

/* The wording of that deadline (of the change that set it, or the order's
 * own), or NULL when it was given as a plain date. Borrowed from o. */
const char *kt_order_deadline_text(const struct kt_order *o);

/* Counts over the findings and orders that are not retracted. */
size_t kt_inspection_findings_of(const struct kt_inspection *in, enum kt_finding_kind kind);
size_t kt_inspection_orders_open(const struct kt_inspection *in);
size_t kt_inspection_orders_done(const struct kt_inspection *in);

/* Text names for output: "announced", "open", "findings", "orders open",
 * "closed", "transferred"; "open", "fulfilled", "waived", "annulled";
 * "lovbrudd", "avvik", "merknad", "forbedringspunkt". Static strings. */
const char *kt_inspection_status_name(enum kt_inspection_status s);
const char *kt_order_status_name(enum kt_order_status s);
const char *kt_finding_kind_name(enum kt_finding_kind k);

#endif
