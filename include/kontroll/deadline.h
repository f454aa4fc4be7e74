/*
 * deadline.h — Norwegian deadline wording (frist) → the day it means.
 *
 * Authorities give deadlines as dates ("14.02.25", "31. desember 2025") and
 * as parts of months ("innen medio juni 2026", "februar 2026"). kontroll
 * stores both: the day the wording means, to compute with (overdue orders,
 * as-of queries), and the wording itself, because that is what the authority
 * wrote. This module turns the wording into the day plus a precision saying
 * how the day was derived. It keeps nothing: the caller stores the original
 * text beside the result (order.issued's deadline, deadline_text and
 * deadline_precision).
 *
 * The day a period means is the last day it allows, so that "overdue" never
 * comes early:
 *   "februar 2026", "ultimo mars 2026", "utgangen av mars 2026"
 *                              → the month's last day (2026-02-28, 2026-03-31),
 *                                precision month; leap years right
 *   "medio juni 2026", "midten av juni 2026"
 *                              → the 15th, precision mid_month (the middle of
 *                                the month, as the municipality reads "medio")
 *   "primo april 2026", "begynnelsen av april 2026"
 *                              → the 10th, precision early_month: "primo" is
 *                                the first third of a month, and a deadline
 *                                given as a period means by its end
 *   "2026", "utgangen av 2026" → 31 December, precision year
 * An exact day has precision day: "2026-06-15", "15.06.2026", "15.6.2026",
 * "15.06.26" (two-digit years are 20YY), "15. juni 2026", "15 juni 2026".
 *
 * Accepted around these: any number of leading "innen", "frist", "frist:",
 * "fristen", "senest", "den", "within", "by" (in any order: "frist innen
 * den 15. juni 2026"); "i løpet av" before a month, meaning its end;
 * ASCII case is ignored; words are separated by any ASCII white space; one
 * full stop may end the text ("innen 31. desember 2025."). Month names
 * are bokmål, in full (januar … desember) or as jan, feb, mar, apr, mai, jun,
 * jul, aug, sep, sept, okt, nov, des with or without a full stop. A year is
 * always required (a deadline without one is ambiguous) and lies in
 * 1900–9999, as in ktime.h. Anything else — seasons ("våren 2026"), weeks,
 * relative wording ("innen tre uker", "ved oppstart av neste skoleår"),
 * days that do not exist ("30.02.2026", "29. februar 2025") — is KT_EDATE.
 */
#ifndef KONTROLL_DEADLINE_H
#define KONTROLL_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

/* Longest wording looked at; longer text is KT_EDATE. */
#define KT_DEADLINE_TEXT_MAX 200

enum kt_deadline_precision {
	KT_DEADLINE_DAY,	 /* an exact day */
	KT_DEADLINE_EARLY_MONTH, /* primo: stored as the 10th */
	KT_DEADLINE_MID_MONTH,	 /* medio: stored as the 15th */
	KT_DEADLINE_MONTH,	 /* a month, or ultimo: stored as its last day */
	KT_DEADLINE_YEAR,	 /* a year: stored as 31 December */
};

struct kt_deadline {
	int year, month, day; /* the day the wording means */
	enum kt_deadline_precision precision;
	int64_t us;    /* 00:00 UTC of that day, µs since the epoch (ktime.h) */
	char date[11]; /* "YYYY-MM-DD", NUL-terminated */
};

/*
 * Parse the len bytes at text (need not be NUL-terminated) as deadline
 * wording. Returns 0 with *out filled, or KT_EDATE when the text is none of
 * the forms above or names a day that does not exist; *out is untouched on
 * error. The day is the deadline itself: an order is overdue on the day
 * after it.
 */
int kt_deadline_parse(const char *text, size_t len, struct kt_deadline *out);

/* The stored name of a precision: "day", "early_month", "mid_month",
 * "month", "year" (the values of deadline_precision in the catalogue). */
const char *kt_deadline_precision_name(enum kt_deadline_precision p);

/* The precision whose name is the n bytes at s. Returns 0 or KT_EINVAL;
 * *p is untouched on error. */
int kt_deadline_precision_parse(const char *s, size_t n, enum kt_deadline_precision *p);

/*
 * Non-zero when year-month-day exists and is the day a deadline of precision
 * p is stored as (the 10th, the 15th, the last of the month, 31 December; any
 * day for KT_DEADLINE_DAY). The catalogue uses it to refuse a payload whose
 * deadline and deadline_precision disagree.
 */
int kt_deadline_fits(int year, int month, int day, enum kt_deadline_precision p);

#endif
