/*
 * ktime.c — strict ISO 8601 parsing and formatting in UTC, with the civil
 * calendar computed here (days from civil and back) rather than through
 * timegm/gmtime, which are not in C11 and normalise impossible dates.
 */
#define _POSIX_C_SOURCE 200809L
#include "kontroll/ktime.h"

#include "kontroll/error.h"

#include <stdio.h>
#include <time.h>

int64_t kt_time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * KT_US_PER_SEC + ts.tv_nsec / 1000;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Howard Hinnant's days_from_civil: exact over the proleptic Gregorian calendar. */
int64_t kt_time_days_from_civil(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (*month <= 2));
}

/* Read exactly n decimal digits. */
static int digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int k = 0; k < n; k++) {
		char c = (*s)[k];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

static int expect_char(const char **s, char c)
{
	if (**s != c)
		return -1;
	(*s)++;
	return 0;
}

/* Optional "Z" or "±HH:MM"; returns the offset east of UTC in seconds. */
static int parse_zone(const char **s, int64_t *offset)
{
	*offset = 0;
	if (**s == 'Z') {
		(*s)++;
		return 0;
	}
	if (**s != '+' && **s != '-')
		return 0;
	int sign = **s == '-' ? -1 : 1;
	int hh, mm;
	(*s)++;
	if (digits(s, 2, &hh) || expect_char(s, ':') || digits(s, 2, &mm) || hh > 23 || mm > 59)
		return -1;
	*offset = sign * (int64_t)(hh * 3600 + mm * 60);
	return 0;
}

int kt_time_parse(const char *text, int64_t *us)
{
	const char *s = text;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t frac_us = 0, offset = 0;

	if (digits(&s, 4, &y) || expect_char(&s, '-') || digits(&s, 2, &mo) ||
	    expect_char(&s, '-') || digits(&s, 2, &d))
		return KT_EDATE;
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return KT_EDATE;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (digits(&s, 2, &h) || expect_char(&s, ':') || digits(&s, 2, &mi))
			return KT_EDATE;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, &sec))
				return KT_EDATE;
			if (*s == '.') {
				int n = 0;
				s++;
				while (*s >= '0' && *s <= '9' && n < 6) {
					frac_us = frac_us * 10 + (*s++ - '0');
					n++;
				}
				if (n == 0 || (*s >= '0' && *s <= '9'))
					return KT_EDATE;
				while (n++ < 6)
					frac_us *= 10;
			}
		}
		if (h > 23 || mi > 59 || sec > 59)
			return KT_EDATE;
		if (parse_zone(&s, &offset))
			return KT_EDATE;
	}
	if (*s != '\0')
		return KT_EDATE;

	int64_t secs =
	    kt_time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	*us = secs * KT_US_PER_SEC + frac_us;
	return KT_OK;
}

/* Floor division, so times before 1970 land on the right day. */
static void split(int64_t us, int64_t *days, int64_t *us_of_day)
{
	*days = us / KT_US_PER_DAY;
	*us_of_day = us % KT_US_PER_DAY;
	if (*us_of_day < 0) {
		*us_of_day += KT_US_PER_DAY;
		(*days)--;
	}
}

void kt_time_format(int64_t us, char text[KT_TIME_TEXT_MAX])
{
	int64_t days, rest;
	int y, mo, d;
	split(us, &days, &rest);
	civil_from_days(days, &y, &mo, &d);
	int64_t secs = rest / KT_US_PER_SEC;
	snprintf(text, KT_TIME_TEXT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", y, mo, d,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
		 (int)(rest % KT_US_PER_SEC));
}

void kt_time_format_date(int64_t us, char text[KT_TIME_TEXT_MAX])
{
	int64_t days, rest;
	int y, mo, d;
	split(us, &days, &rest);
	civil_from_days(days, &y, &mo, &d);
	snprintf(text, KT_TIME_TEXT_MAX, "%04d-%02d-%02d", y, mo, d);
}
