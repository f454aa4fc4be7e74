/*
 * goals.h — the goals read model: every goal (måloppnåelse) with its
 * definition, indicators, measurements and yearly assessments, folded from
 * the goal streams (events/GOALS.md); and what the views compute from it:
 * the definition in force at a moment, an indicator's targets and series,
 * the verdict its measurements give beside the assessed one, and the
 * per-area summary a city council reads.
 *
 * It is a projection for the replay engine (replay.h): kt_goals_projection
 * folds events into a struct kt_goals. It does no I/O.
 *
 * What it keeps: for each goal, every event of its stream as a fact — the
 * event's id, effective time and position, and a copy of its payload as it
 * stands (an event.corrected replaces the copy, an event.retracted marks the
 * fact withdrawn). Goals are few (hundreds in a municipality) and their
 * events fewer than a thousand each, so the views read the facts each time
 * rather than keep derived state.
 *
 * Time. A definition has a history: goal.defined states every field,
 * goal.revised some of them, each from its effective time. The definition
 * "at" a moment takes each field from the latest live fact (by effective
 * time, then log order) that states it and took effect by then; an
 * indicator's fields and each year's target likewise. A view of year Y reads
 * definitions at the end of Y, so a revision made in 2025 leaves the 2024
 * view as it was. Measurements and assessments are not revisions: every live
 * one counts, and for a year and part the latest assessment stands.
 *
 * Events of other streams, of unknown types, or whose payload does not pass
 * its schema, are skipped, as are events of a goal that was never defined.
 */
#ifndef KONTROLL_GOALS_H
#define KONTROLL_GOALS_H

#include "kontroll/goal_events.h"
#include "kontroll/organisation.h"
#include "kontroll/replay.h"

#include <stddef.h>
#include <stdint.h>

/* Most indicators one goal has (the command layer refuses more). */
#define KT_GOAL_INDICATORS_MAX 16
/* Most parts of a goal assessed separately in one year (the command layer
 * refuses more), and so most rows a goal has in a year. */
#define KT_GOAL_PARTS_MAX 15
#define KT_GOAL_ROWS_MAX  (KT_GOAL_PARTS_MAX + 1)
/* Longest indicator label, NUL included ("ABC9999"). */
#define KT_GOAL_LABEL_SIZE 8

enum kt_goal_fact_kind {
	KT_GFACT_DEFINED,
	KT_GFACT_REVISED,
	KT_GFACT_INDICATOR_DEFINED,
	KT_GFACT_INDICATOR_REVISED,
	KT_GFACT_MEASURED,
	KT_GFACT_ASSESSED,
	KT_GFACT_RETIRED,
};

/* One event of a goal as it stands. */
struct kt_goal_fact {
	uint8_t id[16];
	int64_t at;	       /* effective time, µs */
	uint64_t position;     /* log position of the event */
	uint64_t corrected_by; /* position of the correction in force; 0: none */
	uint8_t kind;	       /* enum kt_goal_fact_kind */
	uint8_t retracted;
	uint8_t *data; /* the payload in force (msgpack map), owned */
	uint32_t len;
};

struct kt_goal {
	char number[KT_GOAL_NUMBER_SIZE]; /* "M-2025-012" */
	int year;			  /* of the number: the period's first year */
	uint32_t seq;
	uint8_t id[16];		    /* of its goal.defined: the goal's id */
	uint64_t version;	    /* stream version seen */
	struct kt_goal_fact *facts; /* in log order; facts[0] is goal.defined */
	uint32_t n_facts;
	uint32_t cap_facts;
};

struct kt_goals {
	struct kt_goal *items; /* in the order they were defined */
	size_t n;
	size_t cap;
};

/* The projection for kt_replay; its state is a struct kt_goals. */
extern const struct kt_projection kt_goals_projection;

/* Make an empty model; kt_goals_free when done, also after a failed replay. */
void kt_goals_init(struct kt_goals *m);

/* Free everything the model holds; it is empty and reusable afterwards. */
void kt_goals_free(struct kt_goals *m);

/* The goal numbered number (the len bytes), or NULL. Borrowed. */
const struct kt_goal *kt_goals_find(const struct kt_goals *m, const char *number, size_t len);

/* The highest sequence number used in year, 0 when none. */
uint32_t kt_goals_last_seq(const struct kt_goals *m, int year);

/* The fact of g whose event id is id, live or retracted, or NULL. */
const struct kt_goal_fact *kt_goal_fact_by_id(const struct kt_goal *g, const uint8_t id[16]);

/* A text of a payload, borrowed from the model: s is NULL when absent. */
struct kt_text {
	const char *s;
	size_t len;
};

/* The definition of a goal as it stood at a moment. Texts borrowed from the
 * model. */
struct kt_goal_definition {
	enum kt_goal_level level;
	int area; /* index into organisation.h's areas */
	int period_from, period_to;
	struct kt_text text, title, parent, source;
	int64_t defined_at; /* effective time of goal.defined */
	uint32_t revisions; /* live revisions in force */
	int retired;	    /* a live goal.retired took effect by then (the
			       earliest counts, should there be two) */
	int64_t retired_at; /* its effective time; KT_TIME_UNSET when not retired */
	struct kt_text retired_reason;
};

/* The definition of g at moment at (µs; KT_TIME_MAX: everything folded).
 * Returns 1 with *out filled, or 0 when g was not yet defined then (its
 * goal.defined took effect later, or was retracted). */
int kt_goal_definition(const struct kt_goal *g, int64_t at, struct kt_goal_definition *out);

struct kt_goal_target {
	int year;
	double value;
};

/* One indicator as it stood at a moment. */
struct kt_goal_indicator {
	char label[KT_GOAL_LABEL_SIZE]; /* "I1" */
	struct kt_text name, unit, part, source;
	enum kt_goal_direction direction;
	int has_baseline;
	double baseline;
	int64_t baseline_date; /* µs at midnight UTC, or KT_TIME_UNSET */
	int64_t defined_at;
	uint32_t n_targets; /* sorted by year */
	struct kt_goal_target targets[KT_GOAL_TARGETS_MAX];
};

/* The indicators of g defined by moment at, in the order they were defined:
 * at most max into out, *n gets how many there are (may exceed max). */
void kt_goal_indicators(const struct kt_goal *g, int64_t at, struct kt_goal_indicator *out,
			size_t max, size_t *n);

/* The target of year in ind: 1 with *value set, or 0 when it has none. */
int kt_goal_target_of(const struct kt_goal_indicator *ind, int year, double *value);

/* One measurement of an indicator. */
struct kt_goal_measurement {
	const struct kt_goal_fact *fact;
	int64_t date; /* the day it is for, µs at midnight UTC */
	double value;
	struct kt_text source, note;
};

/*
 * The live measurements of indicator label (NUL-terminated) of g, sorted by
 * date, then log order, in a new array (*out, the caller frees; NULL when
 * there are none) of *n. Returns 0 or KT_ENOMEM.
 */
int kt_goal_series(const struct kt_goal *g, const char *label, struct kt_goal_measurement **out,
		   size_t *n);

/* The measurement that counts for a year: the latest-dated live one whose
 * date falls in year (later log order wins a tie). 1 with *out, else 0. */
int kt_goal_measurement_in(const struct kt_goal *g, const char *label, int year,
			   struct kt_goal_measurement *out);

/* Non-zero when value meets target in direction: at most the target for
 * lower, at least it for higher. */
int kt_goal_meets(enum kt_goal_direction direction, double value, double target);

/* One yearly assessment. Texts borrowed. */
struct kt_goal_assessment {
	const struct kt_goal_fact *fact;
	int year;
	enum kt_goal_status status;
	struct kt_text wording, text, part, source;
};

/* The assessment in force for year and part (part.s NULL: the goal as a
 * whole): the live goal.assessed of that year and part with the latest
 * effective time (then log order). 1 with *out filled, or 0. */
int kt_goal_assessment(const struct kt_goal *g, int year, struct kt_text part,
		       struct kt_goal_assessment *out);

/* The latest year g has a live assessment for, or 0. */
int kt_goal_last_assessed_year(const struct kt_goal *g);

/*
 * What the measurements say for year and part (part.s NULL: every
 * indicator; else those whose part is that text): each indicator in force
 * at the end of year with a target for year and a measurement in it counts;
 * status is achieved when every one counted meets its target, not_achieved
 * when none does, partly otherwise, and -1 when none counts.
 */
struct kt_goal_verdict {
	int status; /* enum kt_goal_status, or -1 */
	uint32_t counted, met;
};
void kt_goal_verdict(const struct kt_goal *g, int year, struct kt_text part,
		     struct kt_goal_verdict *out);

/*
 * Non-zero when an assessed status contradicts a computed one: they differ,
 * except that on_track agrees with achieved and partly (it speaks of the
 * way to a later target). Zero when computed is -1.
 */
int kt_goal_disagrees(enum kt_goal_status assessed, int computed);

/*
 * The rows in which g is reported for year — what the listings show and the
 * summary counts: one for each part assessed that year, and one for the
 * goal as a whole unless only parts were assessed. At most max into out, *n
 * of them in all (parts in the order first assessed).
 */
struct kt_goal_row {
	struct kt_text part; /* s NULL: the goal as a whole */
	int assessed;
	struct kt_goal_assessment assessment; /* when assessed */
	struct kt_goal_verdict verdict;
	int disagrees;
};
void kt_goal_rows(const struct kt_goal *g, int year, struct kt_goal_row *out, size_t max,
		  size_t *n);

/*
 * Non-zero when g takes part in year: defined by the end of year (and
 * *def set to that definition), its period covering year, and not retired
 * before year began.
 */
int kt_goal_in_year(const struct kt_goal *g, int year, struct kt_goal_definition *def);

/* The per-area count of rows by status for one year: the overview of
 * `kontroll goals summary`. */
struct kt_goal_summary {
	int year;
	uint64_t rows[KT_AREAS];
	uint64_t status[KT_AREAS][KT_STATUSES + 1]; /* [KT_STATUSES]: not assessed */
	uint64_t disagree[KT_AREAS];
	uint64_t goals[KT_AREAS]; /* goals taking part */
};

/* Count the rows of every goal taking part in year, limited to level (or
 * any level when level is -1). */
void kt_goal_summary(const struct kt_goals *m, int year, int level, struct kt_goal_summary *out);

/* The end of year Y: 31 December Y, 23:59:59.999999 UTC, in µs. */
int64_t kt_goal_year_end(int year);

#endif
