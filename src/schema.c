/*
 * schema.c — the payload validator. One pass over the map: each key is looked
 * up in the schema and its value checked by the field's kind; then the
 * required fields are counted off; then the schema's own cross-field check
 * runs. The first problem ends the pass with a one-line reason.
 */
#include "kontroll/schema.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/mpread.h"
#include "kontroll/utf8.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- messages ---------------------------------------------------------- */

/* Write a reason into why (when there is room for one) and return rc. */
static int fail(char *why, size_t why_len, int rc, const char *fmt, ...)
{
	if (why && why_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Bytes in the UTF-8 sequence that lead starts, or 0 when lead cannot start one. */
static size_t seq_len(uint8_t lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xc2 && lead <= 0xdf)
		return 2;
	if (lead >= 0xe0 && lead <= 0xef)
		return 3;
	if (lead >= 0xf0 && lead <= 0xf4)
		return 4;
	return 0;
}

const char *kt_schema_quote(char out[KT_SCHEMA_QUOTE_SIZE], const char *s, size_t n)
{
	const uint8_t *b = (const uint8_t *)s;
	size_t i = 0, o = 0;
	while (i < n) {
		size_t k = seq_len(b[i]);
		int ok = k > 0 && i + k <= n && kt_utf8_valid(s + i, k) &&
			 !(k == 1 && (b[i] < 0x20 || b[i] == 0x7f));
		if (!ok)
			k = 1;
		if (o + k > KT_SCHEMA_QUOTE_MAX) {
			memcpy(out + o, "\xe2\x80\xa6", 3);
			o += 3;
			break;
		}
		if (ok)
			memcpy(out + o, s + i, k);
		else
			out[o] = '?';
		o += ok ? k : 1;
		i += k;
	}
	out[o] = '\0';
	return out;
}

/* What a msgpack type is called in a message. */
static const char *type_name(enum kt_mp_type t)
{
	switch (t) {
	case KT_MP_NIL:
		return "null";
	case KT_MP_BOOL:
		return "a boolean";
	case KT_MP_UINT:
	case KT_MP_INT:
		return "an integer";
	case KT_MP_FLOAT:
		return "a decimal number";
	case KT_MP_STR:
		return "text";
	case KT_MP_BIN:
		return "binary data";
	case KT_MP_ARRAY:
		return "an array";
	case KT_MP_MAP:
		return "an object";
	case KT_MP_EXT:
		return "a msgpack extension";
	default:
		return "malformed msgpack";
	}
}

/* "a, b, c": an enum's values for a message. */
static const char *value_list(char *out, size_t out_len, const char *const *values)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t k = 0; values[k] && o < out_len; k++) {
		int w = snprintf(out + o, out_len - o, "%s%s", k ? ", " : "", values[k]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
	return out;
}

static int expected(const struct kt_field *f, const char *name, enum kt_mp_type got, char *why,
		    size_t why_len)
{
	static const char *const what[] = {
		[KT_FIELD_TEXT] = "text",
		[KT_FIELD_DATE] = "a date (YYYY-MM-DD)",
		[KT_FIELD_ENUM] = "text",
		[KT_FIELD_BOOL] = "true or false",
		[KT_FIELD_INTEGER] = "an integer",
		[KT_FIELD_NUMBER] = "a number",
		[KT_FIELD_TEXTS] = "an array of text",
		[KT_FIELD_INTEGERS] = "an array of integers",
		[KT_FIELD_ID] = "a UUID",
		[KT_FIELD_OBJECT] = "an object",
	};
	if (got == KT_MP_INVALID)
		return fail(why, why_len, KT_EMALFORMED, "%s: malformed msgpack", name);
	if (f->kind == KT_FIELD_ENUM) {
		char list[256];
		return fail(why, why_len, KT_EINVAL, "%s: expected one of %s, got %s", name,
			    value_list(list, sizeof list, f->values), type_name(got));
	}
	return fail(why, why_len, KT_EINVAL, "%s: expected %s, got %s", name, what[f->kind],
		    type_name(got));
}

/* Turn a reader error on a value whose type was right into a reason. */
static int unreadable(int rc, const char *name, char *why, size_t why_len)
{
	if (rc == KT_EMALFORMED)
		return fail(why, why_len, rc, "%s: malformed msgpack", name);
	return fail(why, why_len, rc, "%s: unreadable value", name);
}

/* ---- one value per kind ------------------------------------------------ */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int check_text(const struct kt_field *f, const char *name, const char *s, size_t n,
		      char *why, size_t why_len)
{
	size_t max = f->max_len ? f->max_len : KT_SCHEMA_TEXT_MAX;
	if (n > max)
		return fail(why, why_len, KT_EINVAL, "%s: longer than %zu bytes", name, max);
	if (!kt_utf8_valid(s, n))
		return fail(why, why_len, KT_EINVAL, "%s: not valid UTF-8 text", name);
	int blank = 1;
	for (size_t k = 0; k < n; k++) {
		uint8_t c = (uint8_t)s[k];
		int control = c < 0x20 || c == 0x7f;
		if (control && (f->flags & KT_FIELD_LINE))
			return fail(why, why_len, KT_EINVAL,
				    "%s: must be one line, without control characters", name);
		if (control && !is_space(s[k]))
			return fail(why, why_len, KT_EINVAL, "%s: contains a control character",
				    name);
		if (!is_space(s[k]))
			blank = 0;
	}
	if (blank)
		return fail(why, why_len, KT_EINVAL, "%s: empty", name);
	return KT_OK;
}

static int check_str_kind(const struct kt_field *f, const char *s, size_t n, char *why,
			  size_t why_len)
{
	char q[KT_SCHEMA_QUOTE_SIZE];
	int64_t us;
	uint8_t id[16];
	switch (f->kind) {
	case KT_FIELD_TEXT:
		return check_text(f, f->name, s, n, why, why_len);
	case KT_FIELD_DATE:
		if (kt_data_parse_date(s, n, &us))
			return fail(why, why_len, KT_EINVAL, "%s: '%s' is not a date (YYYY-MM-DD)",
				    f->name, kt_schema_quote(q, s, n));
		return KT_OK;
	case KT_FIELD_ENUM: {
		char list[256];
		for (size_t k = 0; f->values[k]; k++)
			if (strlen(f->values[k]) == n && memcmp(f->values[k], s, n) == 0)
				return KT_OK;
		return fail(why, why_len, KT_EINVAL, "%s: '%s' is not one of %s", f->name,
			    kt_schema_quote(q, s, n), value_list(list, sizeof list, f->values));
	}
	default: { /* KT_FIELD_ID */
		char text[KT_ID_TEXT_LEN + 1];
		if (n == KT_ID_TEXT_LEN) {
			memcpy(text, s, n);
			text[n] = '\0';
			if (kt_id_parse(text, id) == 0)
				return KT_OK;
		}
		return fail(why, why_len, KT_EINVAL, "%s: '%s' is not a UUID", f->name,
			    kt_schema_quote(q, s, n));
	}
	}
}

static int check_range(const struct kt_field *f, double v, const char *shown, char *why,
		       size_t why_len)
{
	if (!(f->flags & KT_FIELD_RANGE))
		return KT_OK;
	if (v < (double)f->min)
		return fail(why, why_len, KT_EINVAL, "%s: %s is less than %" PRId64, f->name, shown,
			    f->min);
	if (v > (double)f->max)
		return fail(why, why_len, KT_EINVAL, "%s: %s is more than %" PRId64, f->name, shown,
			    f->max);
	return KT_OK;
}

/* The integer at r, named name in messages (the field, or "field[k]"). */
static int check_integer(const struct kt_field *f, const char *name, struct kt_mp *r, char *why,
			 size_t why_len)
{
	int64_t v;
	int rc = kt_mp_read_int(r, &v);
	if (rc == KT_EINVAL) /* an unsigned value beyond int64_t */
		return fail(why, why_len, rc, "%s: too large", name);
	if (rc)
		return unreadable(rc, name, why, why_len);
	if (f->flags & KT_FIELD_RANGE) {
		/* Compared as integers: a double cannot hold every int64_t. */
		char shown[24];
		snprintf(shown, sizeof shown, "%" PRId64, v);
		if (v < f->min)
			return fail(why, why_len, KT_EINVAL, "%s: %s is less than %" PRId64, name,
				    shown, f->min);
		if (v > f->max)
			return fail(why, why_len, KT_EINVAL, "%s: %s is more than %" PRId64, name,
				    shown, f->max);
	}
	return KT_OK;
}

static int check_number(const struct kt_field *f, struct kt_mp *r, enum kt_mp_type t, char *why,
			size_t why_len)
{
	double v;
	int rc;
	if (t == KT_MP_FLOAT) {
		rc = kt_mp_read_float(r, &v);
	} else if (t == KT_MP_UINT) {
		uint64_t u;
		rc = kt_mp_read_uint(r, &u);
		v = (double)u;
	} else {
		int64_t i;
		rc = kt_mp_read_int(r, &i);
		v = (double)i;
	}
	if (rc)
		return unreadable(rc, f->name, why, why_len);
	if (!isfinite(v))
		return fail(why, why_len, KT_EINVAL, "%s: not a finite number", f->name);
	char shown[32];
	snprintf(shown, sizeof shown, "%.15g", v);
	return check_range(f, v, shown, why, why_len);
}

static int check_texts(const struct kt_field *f, struct kt_mp *r, char *why, size_t why_len)
{
	uint32_t count, max = f->max_items ? f->max_items : KT_SCHEMA_ITEMS_MAX;
	int rc = kt_mp_read_array(r, &count);
	if (rc)
		return unreadable(rc, f->name, why, why_len);
	if (count > max)
		return fail(why, why_len, KT_EINVAL, "%s: more than %" PRIu32 " items", f->name,
			    max);
	for (uint32_t k = 0; k < count; k++) {
		char name[96];
		const char *s;
		size_t n;
		snprintf(name, sizeof name, "%s[%" PRIu32 "]", f->name, k);
		enum kt_mp_type t = kt_mp_peek(r);
		if (t != KT_MP_STR) {
			if (t == KT_MP_INVALID)
				return fail(why, why_len, KT_EMALFORMED, "%s: malformed msgpack",
					    name);
			return fail(why, why_len, KT_EINVAL, "%s: expected text, got %s", name,
				    type_name(t));
		}
		if ((rc = kt_mp_read_str(r, &s, &n)))
			return unreadable(rc, name, why, why_len);
		if ((rc = check_text(f, name, s, n, why, why_len)))
			return rc;
	}
	return KT_OK;
}

static int check_integers(const struct kt_field *f, struct kt_mp *r, char *why, size_t why_len)
{
	uint32_t count, max = f->max_items ? f->max_items : KT_SCHEMA_ITEMS_MAX;
	int rc = kt_mp_read_array(r, &count);
	if (rc)
		return unreadable(rc, f->name, why, why_len);
	if (count == 0)
		return fail(why, why_len, KT_EINVAL, "%s: empty", f->name);
	if (count > max)
		return fail(why, why_len, KT_EINVAL, "%s: more than %" PRIu32 " items", f->name,
			    max);
	for (uint32_t k = 0; k < count; k++) {
		char name[96];
		snprintf(name, sizeof name, "%s[%" PRIu32 "]", f->name, k);
		enum kt_mp_type t = kt_mp_peek(r);
		if (t != KT_MP_UINT && t != KT_MP_INT) {
			if (t == KT_MP_INVALID)
				return fail(why, why_len, KT_EMALFORMED, "%s: malformed msgpack",
					    name);
			return fail(why, why_len, KT_EINVAL, "%s: expected an integer, got %s",
				    name, type_name(t));
		}
		if ((rc = check_integer(f, name, r, why, why_len)))
			return rc;
	}
	return KT_OK;
}

static int check_object(const struct kt_field *f, struct kt_mp *r, char *why, size_t why_len)
{
	/* Well-formed first (KT_EMALFORMED), then text keys (KT_EINVAL). */
	struct kt_mp any = *r;
	if (kt_mp_skip(&any, 0))
		return fail(why, why_len, KT_EMALFORMED, "%s: malformed msgpack", f->name);
	if (kt_mp_skip(r, 1))
		return fail(why, why_len, KT_EINVAL, "%s: a key is not text", f->name);
	return KT_OK;
}

/* Which msgpack types each kind takes. */
static int type_fits(enum kt_field_kind kind, enum kt_mp_type t)
{
	switch (kind) {
	case KT_FIELD_BOOL:
		return t == KT_MP_BOOL;
	case KT_FIELD_INTEGER:
		return t == KT_MP_UINT || t == KT_MP_INT;
	case KT_FIELD_NUMBER:
		return t == KT_MP_UINT || t == KT_MP_INT || t == KT_MP_FLOAT;
	case KT_FIELD_TEXTS:
	case KT_FIELD_INTEGERS:
		return t == KT_MP_ARRAY;
	case KT_FIELD_OBJECT:
		return t == KT_MP_MAP;
	default:
		return t == KT_MP_STR;
	}
}

/* Check the value at r against f and step over it. */
static int check_value(const struct kt_field *f, struct kt_mp *r, char *why, size_t why_len)
{
	enum kt_mp_type t = kt_mp_peek(r);
	int rc;
	if (!type_fits(f->kind, t))
		return expected(f, f->name, t, why, why_len);
	switch (f->kind) {
	case KT_FIELD_BOOL: {
		int b;
		if ((rc = kt_mp_read_bool(r, &b)))
			return unreadable(rc, f->name, why, why_len);
		return KT_OK;
	}
	case KT_FIELD_INTEGER:
		return check_integer(f, f->name, r, why, why_len);
	case KT_FIELD_NUMBER:
		return check_number(f, r, t, why, why_len);
	case KT_FIELD_TEXTS:
		return check_texts(f, r, why, why_len);
	case KT_FIELD_INTEGERS:
		return check_integers(f, r, why, why_len);
	case KT_FIELD_OBJECT:
		return check_object(f, r, why, why_len);
	default: {
		const char *s;
		size_t n;
		if ((rc = kt_mp_read_str(r, &s, &n)))
			return unreadable(rc, f->name, why, why_len);
		return check_str_kind(f, s, n, why, why_len);
	}
	}
}

/* ---- the map ------------------------------------------------------------ */

const struct kt_field *kt_schema_field(const struct kt_schema *schema, const char *name)
{
	for (size_t k = 0; k < schema->n_fields; k++)
		if (strcmp(schema->fields[k].name, name) == 0)
			return &schema->fields[k];
	return NULL;
}

/* The field whose name is the n bytes at key, or -1. */
static long field_index(const struct kt_schema *schema, const char *key, size_t n)
{
	for (size_t k = 0; k < schema->n_fields; k++) {
		const char *name = schema->fields[k].name;
		if (strlen(name) == n && memcmp(name, key, n) == 0)
			return (long)k;
	}
	return -1;
}

int kt_schema_check(const struct kt_schema *schema, const uint8_t *data, size_t len, char *why,
		    size_t why_len)
{
	assert(schema->n_fields <= KT_SCHEMA_FIELDS_MAX);
	struct kt_mp r = kt_mp_init(data, len);
	uint64_t seen = 0;
	uint32_t count;
	int rc;

	enum kt_mp_type t = kt_mp_peek(&r);
	if (t == KT_MP_INVALID)
		return fail(why, why_len, KT_EMALFORMED, "payload: malformed msgpack");
	if (t != KT_MP_MAP)
		return fail(why, why_len, KT_EINVAL, "payload: expected an object, got %s",
			    type_name(t));
	if ((rc = kt_mp_read_map(&r, &count)))
		return fail(why, why_len, KT_EMALFORMED, "payload: malformed msgpack");

	for (uint32_t k = 0; k < count; k++) {
		const char *key;
		size_t n;
		char q[KT_SCHEMA_QUOTE_SIZE];
		t = kt_mp_peek(&r);
		if (t == KT_MP_INVALID)
			return fail(why, why_len, KT_EMALFORMED, "payload: malformed msgpack");
		if (t != KT_MP_STR)
			return fail(why, why_len, KT_EINVAL,
				    "payload: a field name is %s, not text", type_name(t));
		if ((rc = kt_mp_read_str(&r, &key, &n)))
			return fail(why, why_len, KT_EMALFORMED, "payload: malformed msgpack");
		long i = field_index(schema, key, n);
		if (i < 0)
			return fail(why, why_len, KT_EINVAL, "%s: unknown field",
				    kt_schema_quote(q, key, n));
		if (seen & (UINT64_C(1) << i))
			return fail(why, why_len, KT_EINVAL, "%s: given twice",
				    schema->fields[i].name);
		seen |= UINT64_C(1) << i;
		if ((rc = check_value(&schema->fields[i], &r, why, why_len)))
			return rc;
	}
	if (r.p != r.end)
		return fail(why, why_len, KT_EMALFORMED, "payload: trailing bytes after the map");

	for (size_t k = 0; k < schema->n_fields; k++)
		if ((schema->fields[k].flags & KT_FIELD_REQUIRED) && !(seen & (UINT64_C(1) << k)))
			return fail(why, why_len, KT_EINVAL, "%s: required",
				    schema->fields[k].name);

	if (schema->check) {
		rc = schema->check(data, len, why, why_len);
		if (rc)
			return rc;
	}
	if (why && why_len)
		why[0] = '\0';
	return KT_OK;
}
