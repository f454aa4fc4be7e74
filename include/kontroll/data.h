/*
 * data.h — read one field of an event payload by name, without copying.
 *
 * Projections and the command layer read payloads (one msgpack map with text
 * keys, struct kt_event.data) field by field. These functions find the first
 * top-level key equal to the field name and read its value with the bounded
 * reader (mpread.h): they never allocate and never read outside
 * [data, data + len), whatever the bytes. A payload that passed
 * kt_schema_check (schema.h) has every key once and every value of its
 * field's kind, so for such data the only error left is KT_ENOTFOUND for an
 * optional field that is absent.
 *
 * Common errors of every function: KT_ENOTFOUND when the map has no such key;
 * KT_EINVAL when the value is there but of another type (nil included);
 * KT_EMALFORMED when the bytes are not one well-formed map with text keys up
 * to the field. Outputs are written only on success.
 *
 * Text comes back as a pointer into data with its length, not NUL-terminated:
 * borrowed, valid as long as data is (for an event read from the store, until
 * the end of the read transaction).
 */
#ifndef KONTROLL_DATA_H
#define KONTROLL_DATA_H

#include "kontroll/mpread.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Position *value at the value of field (NUL-terminated) in the map at data,
 * so the caller can read it with the kt_mp_* functions; the reader ends at
 * data + len. The building block of the functions below.
 */
int kt_data_find(const uint8_t *data, size_t len, const char *field, struct kt_mp *value);

/* The text value of field: *s points into data, *n bytes. */
int kt_data_get_str(const uint8_t *data, size_t len, const char *field, const char **s, size_t *n);

/* The boolean value of field: *value is 0 or 1. */
int kt_data_get_bool(const uint8_t *data, size_t len, const char *field, int *value);

/* The integer value of field; KT_EINVAL also for an integer beyond int64_t
 * and for a float, even a whole one. */
int kt_data_get_int(const uint8_t *data, size_t len, const char *field, int64_t *value);

/* The numeric value of field, integer or float, as a double. */
int kt_data_get_number(const uint8_t *data, size_t len, const char *field, double *value);

/*
 * The date value of field ("YYYY-MM-DD" text) as µs since the epoch at 00:00
 * UTC of that day (ktime.h). KT_EDATE when the text is not exactly
 * YYYY-MM-DD naming a day that exists.
 */
int kt_data_get_date(const uint8_t *data, size_t len, const char *field, int64_t *us);

/*
 * Parse the n bytes at s, which must be exactly "YYYY-MM-DD" naming a day
 * that exists (kt_time_parse's rules), into µs at 00:00 UTC of that day.
 * Returns 0 or KT_EDATE; *us is untouched on error. s need not be
 * NUL-terminated. The date kind of schema.h uses this same rule.
 */
int kt_data_parse_date(const char *s, size_t n, int64_t *us);

/*
 * The map value of field, whole: *map points into data, *n bytes, ready for
 * another kt_data_* call or kt_schema_check (a correction's replacement
 * payload). The nested map is validated with kt_mp_skip (text keys, depth).
 */
int kt_data_get_map(const uint8_t *data, size_t len, const char *field, const uint8_t **map,
		    size_t *n);

/*
 * The array value of field: *items is a reader positioned at its first
 * element and *count the number of elements, to be read in turn with
 * kt_mp_read_str (or the reader matching the element type).
 */
int kt_data_get_array(const uint8_t *data, size_t len, const char *field, struct kt_mp *items,
		      uint32_t *count);

/* How exactly a date of the catalogues is known (a payload's
 * date_precision): the day; the month or the year (an inspection's step is
 * stored as the period's first day, a goal's measurement as its last); or
 * only a bound, the step having happened on that day or earlier. */
enum kt_date_precision { KT_DATE_DAY, KT_DATE_MONTH, KT_DATE_YEAR, KT_DATE_ON_OR_BEFORE };

/* The date_precision of the payload (len bytes at data); KT_DATE_DAY when
 * it has none. */
enum kt_date_precision kt_date_precision_of(const uint8_t *data, size_t len);

#endif
