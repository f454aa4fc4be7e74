/*
 * data.c — zero-copy reads of one payload field by name: find the key in the
 * top-level map with the bounded reader, then read its value in place.
 */
#include "kontroll/data.h"

#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <string.h>

int kt_data_find(const uint8_t *data, size_t len, const char *field, struct kt_mp *value)
{
	struct kt_mp r = kt_mp_init(data, len);
	size_t want = strlen(field);
	uint32_t count;
	if (kt_mp_read_map(&r, &count))
		return KT_EMALFORMED;
	for (uint32_t k = 0; k < count; k++) {
		const char *key;
		size_t n;
		if (kt_mp_read_str(&r, &key, &n))
			return KT_EMALFORMED;
		if (n == want && memcmp(key, field, n) == 0) {
			*value = r;
			return KT_OK;
		}
		if (kt_mp_skip(&r, 1))
			return KT_EMALFORMED;
	}
	return KT_ENOTFOUND;
}

int kt_data_get_str(const uint8_t *data, size_t len, const char *field, const char **s, size_t *n)
{
	struct kt_mp r;
	int rc = kt_data_find(data, len, field, &r);
	if (rc)
		return rc;
	return kt_mp_read_str(&r, s, n);
}

int kt_data_get_bool(const uint8_t *data, size_t len, const char *field, int *value)
{
	struct kt_mp r;
	int rc = kt_data_find(data, len, field, &r);
	if (rc)
		return rc;
	return kt_mp_read_bool(&r, value);
}

int kt_data_get_int(const uint8_t *data, size_t len, const char *field, int64_t *value)
{
	struct kt_mp r;
	int rc = kt_data_find(data, len, field, &r);
	if (rc)
		return rc;
	enum kt_mp_type t = kt_mp_peek(&r);
	if (t == KT_MP_INVALID)
		return KT_EMALFORMED;
	if (t != KT_MP_UINT && t != KT_MP_INT)
		return KT_EINVAL;
	return kt_mp_read_int(&r, value);
}

int kt_data_get_number(const uint8_t *data, size_t len, const char *field, double *value)
{
	struct kt_mp r;
	int rc = kt_data_find(data, len, field, &r);
	if (rc)
		return rc;
	switch (kt_mp_peek(&r)) {
	case KT_MP_UINT: {
		uint64_t u;
		if ((rc = kt_mp_read_uint(&r, &u)))
			return rc;
		*value = (double)u;
		return KT_OK;
	}
	case KT_MP_INT: {
		int64_t i;
		if ((rc = kt_mp_read_int(&r, &i)))
			return rc;
		*value = (double)i;
		return KT_OK;
	}
	case KT_MP_FLOAT:
		return kt_mp_read_float(&r, value);
	case KT_MP_INVALID:
		return KT_EMALFORMED;
	default:
		return KT_EINVAL;
	}
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

int kt_data_parse_date(const char *s, size_t n, int64_t *us)
{
	/* kt_time_parse also takes times and zones; a date field is the bare
	 * day, so the shape is checked here and the calendar there. */
	static const char shape[] = "dddd-dd-dd";
	char text[sizeof shape];
	if (n != sizeof shape - 1)
		return KT_EDATE;
	for (size_t k = 0; k < n; k++) {
		if (shape[k] == 'd' ? !digit(s[k]) : s[k] != shape[k])
			return KT_EDATE;
		text[k] = s[k];
	}
	text[n] = '\0';
	return kt_time_parse(text, us);
}

int kt_data_get_date(const uint8_t *data, size_t len, const char *field, int64_t *us)
{
	const char *s;
	size_t n;
	int rc = kt_data_get_str(data, len, field, &s, &n);
	if (rc)
		return rc;
	return kt_data_parse_date(s, n, us);
}

int kt_data_get_map(const uint8_t *data, size_t len, const char *field, const uint8_t **map,
		    size_t *n)
{
	struct kt_mp r;
	int rc = kt_data_find(data, len, field, &r);
	if (rc)
		return rc;
	enum kt_mp_type t = kt_mp_peek(&r);
	if (t == KT_MP_INVALID)
		return KT_EMALFORMED;
	if (t != KT_MP_MAP)
		return KT_EINVAL;
	const uint8_t *start = r.p;
	if (kt_mp_skip(&r, 1))
		return KT_EMALFORMED;
	*map = start;
	*n = (size_t)(r.p - start);
	return KT_OK;
}

int kt_data_get_array(const uint8_t *data, size_t len, const char *field, struct kt_mp *items,
		      uint32_t *count)
{
	struct kt_mp r;
	int rc = kt_data_find(data, len, field, &r);
	if (rc)
		return rc;
	if ((rc = kt_mp_read_array(&r, count)))
		return rc;
	*items = r;
	return KT_OK;
}

enum kt_date_precision kt_date_precision_of(const uint8_t *data, size_t len)
{
	const char *s;
	size_t n;
	if (kt_data_get_str(data, len, "date_precision", &s, &n))
		return KT_DATE_DAY;
	if (n == 5 && memcmp(s, "month", 5) == 0)
		return KT_DATE_MONTH;
	if (n == 4 && memcmp(s, "year", 4) == 0)
		return KT_DATE_YEAR;
	if (n == 12 && memcmp(s, "on_or_before", 12) == 0)
		return KT_DATE_ON_OR_BEFORE;
	return KT_DATE_DAY;
}
