/*
 * incidents.h — the incidents read model: every incident reported in
 * Kvaliteket with its triage, handler, actions, external reports and state,
 * folded from the incident streams (events/INCIDENTS.md); and the statistics
 * the annual report prints, computed from it.
 *
 * It is a projection for the replay engine (replay.h): kt_incidents_projection
 * folds events into a struct kt_incidents, which the listings (kontroll
 * incidents, kontroll incidents stats) and the commands read. It does no I/O.
 *
 * What it keeps: for each incident the facts its events stated, one small
 * record per event (the event's id, effective time and the values the views
 * need), and the incident's current values derived from them: category,
 * area, unit, occurred day, registration time, type and severity of the
 * latest triage, handler, actions open and the earliest due day among them,
 * the first report to each outside body, closed or open. Free texts are not
 * kept: text_position names the event whose description is current, for
 * views that must show it. event.corrected replaces a fact's values,
 * event.retracted withdraws it, and the current values are derived again,
 * so retracting the latest triage brings back the one before.
 *
 * Events of other streams, of unknown types, or whose payload lacks what the
 * fold needs, are skipped, as are events of an incident that was never
 * reported. Units and handlers are interned: an incident holds an index into
 * the model's names.
 */
#ifndef KONTROLL_INCIDENTS_H
#define KONTROLL_INCIDENTS_H

#include "kontroll/incident_events.h"
#include "kontroll/organisation.h"
#include "kontroll/replay.h"

#include <stddef.h>
#include <stdint.h>

/* "None" for an interned name, a day, a type or a severity. */
#define KT_NAME_NONE UINT32_MAX
#define KT_DAY_NONE  INT32_MAX

enum kt_fact_kind {
	KT_FACT_REPORTED,
	KT_FACT_TRIAGED,
	KT_FACT_ASSIGNED,
	KT_FACT_ACTION_ADDED,
	KT_FACT_ACTION_COMPLETED,
	KT_FACT_EXTERNAL,
	KT_FACT_NOT_REQUIRED,
	KT_FACT_CLOSED,
	KT_FACT_REOPENED,
};

/* One event of an incident, reduced to what the views need:
 *   reported:   a = category, b = area, name = unit, day = occurred
 *   triaged:    a = type, b = severity
 *   assigned:   name = handler
 *   action_added / action_completed: name = the action's label, day = due
 *   reported_externally / external_not_required: a = recipient
 * at is the event's effective time. */
struct kt_incident_fact {
	uint8_t id[16];
	int64_t at;
	uint8_t kind; /* enum kt_fact_kind */
	uint8_t retracted;
	uint8_t a, b;
	uint32_t name; /* interned, or KT_NAME_NONE */
	int32_t day;   /* days since 1970-01-01, or KT_DAY_NONE */
};

struct kt_incident {
	char number[KT_INCIDENT_NUMBER_SIZE]; /* "H-2025-00042" */
	int year;			      /* of the number */
	uint32_t seq;			      /* of the number */
	uint64_t version;		      /* stream version seen */
	uint64_t text_position;		      /* event holding the current description */
	/* derived from the facts */
	int retracted; /* the report was retracted: count it nowhere */
	enum kt_incident_category category;
	int area;	    /* index into organisation.h's areas */
	uint32_t unit;	    /* interned */
	int32_t occurred;   /* day */
	int64_t registered; /* effective time of incident.reported */
	int type;	    /* enum kt_incident_type, or -1: not triaged */
	int severity;	    /* 1–4, or 0: not triaged */
	uint32_t handler;   /* interned, or KT_NAME_NONE */
	int closed;
	int64_t closed_at;		 /* of the closure in force; KT_TIME_UNSET when open */
	int64_t first_closed_at;	 /* of the first closure, even if reopened since */
	uint32_t actions;		 /* not retracted */
	uint32_t actions_open;		 /* of those, not completed */
	int32_t next_due;		 /* earliest due day of an open action, or KT_DAY_NONE */
	int64_t external[KT_RECIPIENTS]; /* first report to each; KT_TIME_UNSET: none */
	unsigned not_required;		 /* bit r: reporting to recipient r judged not required */
	/* the facts, in log order */
	struct kt_incident_fact *facts;
	uint32_t n_facts;
	uint32_t cap_facts; /* 0: facts is borrowed from the model's pool */
};

struct kt_incidents {
	struct kt_incident *items; /* in the order they were reported */
	size_t n;
	size_t cap;
	size_t *slots; /* open-addressing index of items by number */
	size_t n_slots;
	char **names; /* interned units, handlers and action labels */
	uint32_t n_names;
	uint32_t cap_names;
	uint32_t *name_slots;
	uint32_t n_name_slots;
	struct kt_incident_fact *pool; /* facts of a loaded snapshot */
};

/* The projection for kt_replay; its state is a struct kt_incidents. */
extern const struct kt_projection kt_incidents_projection;

/* Make an empty model; kt_incidents_free when done, also after a failed
 * replay. */
void kt_incidents_init(struct kt_incidents *m);

/* Free everything the model holds; it is empty and reusable afterwards. */
void kt_incidents_free(struct kt_incidents *m);

/* The incident numbered number (the len bytes), or NULL. Borrowed. */
const struct kt_incident *kt_incidents_find(const struct kt_incidents *m, const char *number,
					    size_t len);

/* An interned name (unit, handler, label), or "" for KT_NAME_NONE. Borrowed. */
const char *kt_incidents_name(const struct kt_incidents *m, uint32_t name);

/* The highest sequence number used in year, 0 when none. */
uint32_t kt_incidents_last_seq(const struct kt_incidents *m, int year);

/* The live fact that stated action label (not retracted), or NULL. *done
 * (may be NULL) gets whether a live completion names it. */
const struct kt_incident_fact *kt_incident_action(const struct kt_incidents *m,
						  const struct kt_incident *in, const char *label,
						  int *done);

/* The live fact whose event id is id, or NULL. */
const struct kt_incident_fact *kt_incident_fact_by_id(const struct kt_incident *in,
						      const uint8_t id[16]);

/* Non-zero when an open action's due day is before the day of moment (µs):
 * the incident has an action past due at that moment. */
int kt_incident_overdue(const struct kt_incident *in, int64_t moment);

/*
 * Where a personvern incident stands against the 72-hour rule at moment (µs),
 * counting from its registration to its first report to Datatilsynet.
 */
enum kt_notify_status {
	KT_NOTIFY_NA,		/* not a personvern incident (or retracted) */
	KT_NOTIFY_IN_TIME,	/* reported within 72 hours (72:00:00 exactly is in time) */
	KT_NOTIFY_LATE,		/* reported, later than that */
	KT_NOTIFY_NOT_REQUIRED, /* judged not required, and not reported */
	KT_NOTIFY_PENDING,	/* neither yet, and the 72 hours are not over */
	KT_NOTIFY_OVERDUE,	/* neither yet, and the 72 hours are over */
};
enum kt_notify_status kt_incident_notify_status(const struct kt_incident *in, int64_t moment);

/* "-", "in time", "late", "not required", "pending", "overdue". Static. */
const char *kt_notify_status_name(enum kt_notify_status s);

/* ---- statistics -------------------------------------------------------- */

/* Counts of incidents registered in one period. */
struct kt_incident_counts {
	uint64_t total;
	uint64_t category[KT_CATEGORIES];
	uint64_t area[KT_AREAS];
	uint64_t type[KT_TYPES + 1]; /* [KT_TYPES]: not triaged */
	uint64_t *unit;		     /* by interned name; n_units entries */
};

struct kt_incident_stats {
	int64_t from, to;		  /* the period: [from, to], µs */
	int64_t prev_from, prev_to;	  /* the period compared with */
	struct kt_incident_counts now;	  /* registered in the period */
	struct kt_incident_counts before; /* registered in the period before */
	uint32_t n_units;
	uint64_t open_at_end; /* registered ≤ to and open at to */
	uint64_t open_at_end_area[KT_AREAS];
	uint64_t closed;	  /* registered in the period, closed by to */
	double close_days_median; /* over those, days from registration to the
				     closure in force; NAN when none */
	double close_days_p90;
	uint64_t external[KT_RECIPIENTS]; /* registered in the period, reported to each */
	uint64_t external_any;
	/* personvern incidents registered in the period, by the 72-hour rule at to */
	uint64_t personvern;
	uint64_t notify[KT_NOTIFY_OVERDUE + 1];
	uint64_t to_datatilsynet; /* in time + late */
};

/*
 * The period a period is compared with: when [from, to] is whole calendar
 * years (January 1 to the end of December 31), as many calendar years before
 * it; otherwise the same length of time ending just before from.
 */
void kt_incident_period_before(int64_t from, int64_t to, int64_t *prev_from, int64_t *prev_to);

/*
 * Compute the statistics for the period [from, to] (µs, inclusive), compared
 * with [prev_from, prev_to], from a model folded as of `to` (the caller
 * replays with as_of = to): what the system showed when the period ended.
 * Retracted incidents count nowhere. Percentiles use the nearest rank (the
 * smallest value with at least p % of the values at or below it). Returns 0
 * or KT_ENOMEM; free with kt_incident_stats_free (also after an error).
 */
int kt_incident_stats(const struct kt_incidents *m, int64_t from, int64_t to, int64_t prev_from,
		      int64_t prev_to, struct kt_incident_stats *out);
void kt_incident_stats_free(struct kt_incident_stats *st);

/* Change from before to now in percent (−8.7 for 23,752 → 21,686); NAN when
 * before is 0. */
double kt_change_percent(uint64_t before, uint64_t now);

#endif
