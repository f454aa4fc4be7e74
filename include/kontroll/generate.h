/*
 * generate.h — a deterministic, realistic year of Kvaliteket incidents with
 * full lifecycles, written into a store: for demonstrations, tests and the
 * benchmark (docs/generator.md).
 *
 * What it reproduces exactly, for the year Y generated (as the incidents
 * read model counts them as of the last microsecond of Y): the incidents
 * registered in Y; of those, the ones under helse og omsorg; the incidents
 * still open at the end of Y; the incidents whose latest triage says
 * personvern, and of those the ones reported to Datatilsynet (the others are
 * judged not to require it). Everything else — units, categories, types,
 * severities, days and times, lags, actions, other external reports,
 * reopenings, texts — is invented from documented distributions.
 *
 * Years do not disturb each other: an incident of Y that is open at the end
 * of Y is closed during Y + 1 (before its December 31), every other one is
 * closed within Y, and every fact the exact figures depend on (triage,
 * reports to Datatilsynet) of a personvern incident lies within Y. So the
 * figures of Y hold whatever other years the store holds.
 *
 * Determinism: the same parameters (seed included) give the same events —
 * streams, types, actors, payloads, effective times and event ids (UUIDv7
 * whose time is the effective time's millisecond and whose other bits come
 * from the generator) — in the same order. Only the recorded time (the
 * store's clock) and the positions differ between stores. The random numbers
 * come from xoshiro256** seeded by splitmix64, never from rand(), and the
 * arithmetic uses no libm, so the output does not depend on the platform's
 * math library.
 *
 * Writing: one append per incident (its stream "incident-H-YYYY-NNNNN" must
 * not exist), in the order of registration. A store used for bulk loads is
 * best opened with kt_store_set_durable(s, 0). What it does not do: check
 * whether other incidents of the year exist (kt_generate_existing does), or
 * make the load all-or-nothing: an interrupted or failed load leaves the
 * incidents written so far.
 */
#ifndef KONTROLL_GENERATE_H
#define KONTROLL_GENERATE_H

#include "kontroll/incident_events.h"
#include "kontroll/organisation.h"
#include "kontroll/store.h"

#include <stddef.h>
#include <stdint.h>

/* Years the generator accepts: ids need times after 1970, numbers four
 * digits, and the year after must be writable too. */
#define KT_GENERATE_YEAR_MIN 1971
#define KT_GENERATE_YEAR_MAX 9998
/* Most incidents one year may have (the plan takes ~100 bytes each). */
#define KT_GENERATE_COUNT_MAX 1000000

struct kt_generate_params {
	int year;
	uint64_t seed;
	uint32_t count;	       /* incidents registered in the year */
	uint32_t helse_omsorg; /* of those, under helse og omsorg */
	uint32_t open_at_end;  /* of those, open at the end of the year */
	uint32_t personvern;   /* of those, type personvern by their latest triage */
	uint32_t datatilsynet; /* of those, reported to Datatilsynet */
};

/*
 * Fill *p with the figures for year and seed. count 0 asks for the year's
 * own count, known for 2025 (the annual report: 21,686 incidents, 9,993
 * under helse og omsorg, 2,631 open at the end of the year, 40 personvern,
 * 7 of them reported to Datatilsynet) and 2024 (23,752, derived from the
 * report's −8.7 %, and 9,440 under helse og omsorg; the other figures
 * invented by 2025's shares). Another count scales the year's figures to it
 * (rounding to the nearest); for a year without figures of its own, count
 * must be given and 2025's shares are used. Returns 0, or KT_EINVAL (why
 * filled) for a year out of range, a count of 0 for a year without figures,
 * or a count over KT_GENERATE_COUNT_MAX. why as in kt_schema_check (may be
 * NULL).
 */
int kt_generate_defaults(int year, uint32_t count, uint64_t seed, struct kt_generate_params *p,
			 char *why, size_t why_len);

/*
 * Check that the figures can all hold at once: the year in range, 1 ≤ count
 * ≤ KT_GENERATE_COUNT_MAX, helse_omsorg and open_at_end ≤ count,
 * personvern ≤ count − open_at_end (they are settled within the year),
 * datatilsynet ≤ personvern. Returns 0 or KT_EINVAL with why naming the
 * figure. (kt_generate_incidents can still refuse a personvern figure that
 * the incidents registered before December cannot hold.)
 */
int kt_generate_check(const struct kt_generate_params *p, char *why, size_t why_len);

/*
 * Whether the store already holds an incident of year: any incident the
 * read model knows (replayed with snapshots, none saved), or any stream
 * named by the numbers 1…count of the year (which the load would write).
 * Returns 0 when there is none; KT_EEXIST with the first such number in
 * number (may be NULL); or a read error.
 */
int kt_generate_existing(kt_store *s, int year, uint32_t count,
			 char number[KT_INCIDENT_NUMBER_SIZE]);

/* What a load wrote, computed from its plan (the read model's figures for
 * the year must agree; tests/test_generate.c checks it). */
struct kt_generate_result {
	uint64_t incidents; /* written; numbers H-Y-00001 … in order of registration */
	uint64_t events;
	uint64_t first_position, last_position;
	uint64_t helse_omsorg;
	uint64_t open_at_end;
	uint64_t personvern;
	uint64_t datatilsynet;
	uint64_t datatilsynet_late; /* of those, later than 72 hours after registration */
	uint64_t forbedring;	    /* improvement suggestions; the rest are avvik */
	uint64_t area[KT_AREAS];    /* by organisation.h's areas */
	uint64_t type[KT_TYPES];    /* by latest triage */
	uint64_t external[KT_RECIPIENTS];
	uint64_t not_required; /* incident.external_not_required events */
	uint64_t actions;
	uint64_t actions_late; /* completed after their due day */
	uint64_t reopened;
	double close_days_median; /* of those closed within the year (nearest rank) */
	double close_days_p90;
};

/* Called after every 1,000 incidents with those written and the total;
 * non-zero stops the load (kt_generate_incidents returns EINTR). */
typedef int (*kt_generate_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Plan the year p describes (kt_generate_check first) and append every
 * incident with its whole lifecycle to s, one append per incident with
 * expected version KT_VERSION_NONE, actor the person who did each step.
 * Every payload passes kt_catalogue_check before it is appended. res (may
 * be NULL) gets what was written, also after a failure (as far as it got).
 * progress may be NULL. Returns 0; KT_EINVAL (why filled) for figures that
 * cannot hold; KT_EVERSION when an incident's stream exists already (nothing
 * of that incident is written); EINTR when progress asked to stop;
 * KT_ENOMEM; or the store's errors. Incidents written before a failure stay.
 */
int kt_generate_incidents(kt_store *s, const struct kt_generate_params *p,
			  struct kt_generate_result *res, kt_generate_progress_fn progress,
			  void *ctx, char *why, size_t why_len);

#endif
