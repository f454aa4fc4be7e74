/*
 * ktime.h — kontroll's time values: signed microseconds since the Unix epoch,
 * UTC, on both time axes (recorded and effective).
 *
 * Parsing is strict: a date that does not exist (2025-02-29, 2025-13-01) or
 * trailing text is an error, never normalised into another date. Accepted
 * forms: YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS with
 * optional .fraction (1–6 digits), each optionally followed by Z or ±HH:MM;
 * a space may stand for the T. Years 1900–9999.
 */
#ifndef KONTROLL_KTIME_H
#define KONTROLL_KTIME_H

#include <stddef.h>
#include <stdint.h>

#define KT_US_PER_SEC INT64_C(1000000)
#define KT_US_PER_DAY (INT64_C(86400) * KT_US_PER_SEC)
/* Room for the longest form kt_time_format writes, with its NUL. */
#define KT_TIME_TEXT_MAX 32

/* The current wall-clock time. */
int64_t kt_time_now(void);

/* Parse text into *us. Returns 0 or KT_EDATE; *us is untouched on error. */
int kt_time_parse(const char *text, int64_t *us);

/* Days since 1970-01-01 of a proleptic Gregorian date; no range check. */
int64_t kt_time_days_from_civil(int year, int month, int day);

/* Write "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" for us into text. */
void kt_time_format(int64_t us, char text[KT_TIME_TEXT_MAX]);

/* Write "YYYY-MM-DD", the UTC date of us, into text. */
void kt_time_format_date(int64_t us, char text[KT_TIME_TEXT_MAX]);

#endif
