/*
 * organisation.h — Trondheim kommune's areas (byrådsområder) and the units
 * the annual report for 2025 names under them.
 *
 * The eight areas are fixed by the parliamentary form of government the
 * report describes; every incident is counted under one of them. The unit
 * list holds the units the report names (chapter tables, inspections, goals):
 * it is how `kontroll incident report --unit` finds the area of a unit
 * without being told. A unit the list does not know is still accepted when
 * its area is given — the report names a fraction of the municipality's
 * units, and an employee must never be stopped from reporting.
 *
 * Everything here is static data: valid for the life of the process, never
 * to be freed. Matching ignores ASCII case and treats "ø"/"o", "æ"/"ae",
 * "å"/"a" and runs of spaces, '-' and '_' alike, so "helse-og-omsorg",
 * "Helse og omsorg" and "helse_omsorg" name one area.
 */
#ifndef KONTROLL_ORGANISATION_H
#define KONTROLL_ORGANISATION_H

#include <stddef.h>

/* The number of areas (byrådsområder). */
#define KT_AREAS 8

struct kt_area {
	const char *key;  /* catalogue value, lower-case ASCII: "helse_omsorg" */
	const char *name; /* as the report writes it: "helse og omsorg" */
	const char *code; /* the reference extraction's id: "BO-HO" */
};

/* Other spellings a unit may have. */
#define KT_UNIT_ALIASES 2

struct kt_unit {
	const char *name; /* as the report writes it */
	size_t area;	  /* index into the areas */
	/* other spellings the report uses ("NAV Falkeborg"; the two rows "Lade
	 * bo- og aktivitetstilbud A" and "… b"), the unused ones NULL */
	const char *aliases[KT_UNIT_ALIASES];
};

/* Number of areas, and the i-th (i < kt_area_count()), in the order of the
 * report's chapters. */
size_t kt_area_count(void);
const struct kt_area *kt_area_at(size_t i);

/* The index of the area whose key, name or code matches text (see above),
 * or -1. */
int kt_area_find(const char *text);

/* The index of the area whose key is exactly key (a stored value), or -1. */
int kt_area_by_key(const char *key, size_t len);

/* Number of known units, and the i-th. */
size_t kt_unit_count(void);
const struct kt_unit *kt_unit_at(size_t i);

/* The known unit whose name or alias matches text, or NULL. */
const struct kt_unit *kt_unit_find(const char *text);

/* Non-zero when text names u: its name or one of its aliases, compared as
 * kt_unit_find compares them. */
int kt_unit_is(const struct kt_unit *u, const char *text);

/* The NULL-terminated list of area keys, for the catalogue's enum. */
extern const char *const kt_area_keys[];

#endif
