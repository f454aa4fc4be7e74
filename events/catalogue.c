/*
 * catalogue.c — lookup across the catalogues, and leaving personal data out
 * of a payload.
 */
#include "kontroll/catalogue.h"

#include "kontroll/error.h"
#include "kontroll/goal_events.h"
#include "kontroll/incident_events.h"
#include "kontroll/inspection_events.h"
#include "kontroll/mpread.h"
#include "kontroll/seal.h"

#include <stdio.h>
#include <string.h>

const struct kt_schema *kt_catalogue_schema(const char *type, size_t len)
{
	const struct kt_schema *s = kt_inspection_schema(type, len);
	if (!s)
		s = kt_incident_schema(type, len);
	if (!s)
		s = kt_goal_schema(type, len);
	return s ? s : kt_seal_schema(type, len);
}

int kt_catalogue_check(const char *type, size_t type_len, const uint8_t *data, size_t len,
		       char *why, size_t why_len)
{
	const struct kt_schema *schema = kt_catalogue_schema(type, type_len);
	char q[KT_SCHEMA_QUOTE_SIZE];
	if (!schema) {
		if (why && why_len)
			snprintf(why, why_len, "type: '%s' is not a catalogued event type",
				 kt_schema_quote(q, type, type_len));
		return KT_EINVAL;
	}
	return kt_schema_check(schema, data, len, why, why_len);
}

static int put_map_header(struct kt_buf *out, uint32_t n)
{
	uint8_t h[5];
	size_t len;
	if (n < 16) {
		h[0] = (uint8_t)(0x80 | n);
		len = 1;
	} else if (n <= 0xffff) {
		h[0] = 0xde;
		h[1] = (uint8_t)(n >> 8);
		h[2] = (uint8_t)n;
		len = 3;
	} else {
		h[0] = 0xdf;
		h[1] = (uint8_t)(n >> 24);
		h[2] = (uint8_t)(n >> 16);
		h[3] = (uint8_t)(n >> 8);
		h[4] = (uint8_t)n;
		len = 5;
	}
	return kt_buf_append(out, h, len);
}

static int is_personal(const struct kt_schema *schema, const char *key, size_t len)
{
	for (size_t k = 0; schema && k < schema->n_fields; k++) {
		const struct kt_field *f = &schema->fields[k];
		if ((f->flags & KT_FIELD_PERSONAL) && strlen(f->name) == len &&
		    memcmp(f->name, key, len) == 0)
			return 1;
	}
	return 0;
}

/* The schema a correction's "data" follows: its target_type's. */
static const struct kt_schema *target_schema(const uint8_t *data, size_t len)
{
	struct kt_mp r = kt_mp_init(data, len);
	uint32_t n;
	if (kt_mp_read_map(&r, &n))
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		const char *k, *v;
		size_t kn, vn;
		if (kt_mp_read_str(&r, &k, &kn))
			return NULL;
		if (kn == 11 && memcmp(k, "target_type", 11) == 0)
			return kt_mp_read_str(&r, &v, &vn) ? NULL : kt_catalogue_schema(v, vn);
		if (kt_mp_skip(&r, 1))
			return NULL;
	}
	return NULL;
}

static int redact_map(const struct kt_schema *schema, const uint8_t *data, size_t len,
		      struct kt_buf *out, size_t *removed)
{
	struct kt_mp r = kt_mp_init(data, len);
	uint32_t n, kept = 0;
	if (kt_mp_read_map(&r, &n))
		return KT_EMALFORMED;
	/* First pass: count what stays, so the header is right. */
	struct kt_mp scan = r;
	for (uint32_t i = 0; i < n; i++) {
		const char *k;
		size_t kn;
		if (kt_mp_read_str(&scan, &k, &kn) || kt_mp_skip(&scan, 1))
			return KT_EMALFORMED;
		if (!is_personal(schema, k, kn))
			kept++;
	}
	if (scan.p != scan.end)
		return KT_EMALFORMED;
	int err = put_map_header(out, kept);
	int corrected = schema && strcmp(schema->type, KT_EV_EVENT_CORRECTED) == 0;
	const struct kt_schema *inner = corrected ? target_schema(data, len) : NULL;
	for (uint32_t i = 0; !err && i < n; i++) {
		const uint8_t *key_start = r.p;
		const char *k;
		size_t kn;
		kt_mp_read_str(&r, &k, &kn);
		const uint8_t *value_start = r.p;
		kt_mp_skip(&r, 1);
		if (is_personal(schema, k, kn)) {
			if (removed)
				(*removed)++;
			continue;
		}
		if (inner && kn == 4 && memcmp(k, "data", 4) == 0 &&
		    kt_mp_peek(&(struct kt_mp){ value_start, r.p }) == KT_MP_MAP) {
			err = kt_buf_append(out, key_start, (size_t)(value_start - key_start));
			if (!err)
				err = redact_map(inner, value_start, (size_t)(r.p - value_start),
						 out, removed);
			continue;
		}
		err = kt_buf_append(out, key_start, (size_t)(r.p - key_start));
	}
	return err;
}

int kt_catalogue_redact(const char *type, size_t type_len, const uint8_t *data, size_t len,
			struct kt_buf *out, size_t *removed)
{
	if (removed)
		*removed = 0;
	return redact_map(kt_catalogue_schema(type, type_len), data, len, out, removed);
}
