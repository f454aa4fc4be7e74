/*
 * mpread.c — bounded msgpack reading. One function, head(), decodes the
 * header of the next element (type, length or value) after checking that the
 * header and any payload it declares lie inside the input; the typed readers
 * and kt_mp_skip are built on it.
 */
#include "kontroll/mpread.h"

#include "kontroll/error.h"

#include <string.h>

/* A decoded element header. For STR/BIN/EXT, len is the payload size and the
 * payload starts at the reader's position after head(); for ARRAY/MAP it is
 * the element count (a map's count is of pairs). */
struct head {
	enum kt_mp_type type;
	uint64_t u; /* UINT value, BOOL value */
	int64_t i;  /* INT value */
	double f;   /* FLOAT value */
	uint64_t len;
};

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int k = 0; k < n; k++)
		v = (v << 8) | p[k];
	return v;
}

static size_t left(const struct kt_mp *r)
{
	return (size_t)(r->end - r->p);
}

/* Consume an n-byte big-endian field after the tag byte. */
static int field(struct kt_mp *r, int n, uint64_t *v)
{
	if (left(r) < (size_t)n)
		return KT_EMALFORMED;
	*v = be(r->p, n);
	r->p += n;
	return KT_OK;
}

/* After a length-prefixed header: the payload must fit in what is left. */
static int payload(struct kt_mp *r, struct head *h, enum kt_mp_type t, uint64_t len)
{
	h->type = t;
	h->len = len;
	return len <= left(r) ? KT_OK : KT_EMALFORMED;
}

/* After a container header: every element takes at least one byte. */
static int container(struct kt_mp *r, struct head *h, enum kt_mp_type t, uint64_t count)
{
	h->type = t;
	h->len = count;
	uint64_t min_bytes = t == KT_MP_MAP ? 2 * count : count;
	return min_bytes <= left(r) ? KT_OK : KT_EMALFORMED;
}

static int head(struct kt_mp *r, struct head *h)
{
	uint64_t v;
	int rc;
	if (r->p >= r->end)
		return KT_EMALFORMED;
	uint8_t tag = *r->p++;

	if (tag <= 0x7f) {
		h->type = KT_MP_UINT;
		h->u = tag;
		return KT_OK;
	}
	if (tag >= 0xe0) {
		h->type = KT_MP_INT;
		h->i = (int8_t)tag;
		return KT_OK;
	}
	if ((tag & 0xf0) == 0x80)
		return container(r, h, KT_MP_MAP, tag & 0x0f);
	if ((tag & 0xf0) == 0x90)
		return container(r, h, KT_MP_ARRAY, tag & 0x0f);
	if ((tag & 0xe0) == 0xa0)
		return payload(r, h, KT_MP_STR, tag & 0x1f);

	switch (tag) {
	case 0xc0:
		h->type = KT_MP_NIL;
		return KT_OK;
	case 0xc2:
	case 0xc3:
		h->type = KT_MP_BOOL;
		h->u = tag == 0xc3;
		return KT_OK;
	case 0xc4:
	case 0xc5:
	case 0xc6: {
		int n = 1 << (tag - 0xc4);
		if ((rc = field(r, n, &v)))
			return rc;
		return payload(r, h, KT_MP_BIN, v);
	}
	case 0xc7:
	case 0xc8:
	case 0xc9: {
		int n = 1 << (tag - 0xc7);
		if ((rc = field(r, n, &v)))
			return rc;
		return payload(r, h, KT_MP_EXT, v + 1); /* the type byte comes first */
	}
	case 0xca:
	case 0xcb: {
		int n = tag == 0xca ? 4 : 8;
		if ((rc = field(r, n, &v)))
			return rc;
		h->type = KT_MP_FLOAT;
		if (n == 4) {
			uint32_t bits = (uint32_t)v;
			float f;
			memcpy(&f, &bits, sizeof f);
			h->f = f;
		} else {
			memcpy(&h->f, &v, sizeof h->f);
		}
		return KT_OK;
	}
	case 0xcc:
	case 0xcd:
	case 0xce:
	case 0xcf:
		if ((rc = field(r, 1 << (tag - 0xcc), &v)))
			return rc;
		h->type = KT_MP_UINT;
		h->u = v;
		return KT_OK;
	case 0xd0:
	case 0xd1:
	case 0xd2:
	case 0xd3: {
		int n = 1 << (tag - 0xd0);
		if ((rc = field(r, n, &v)))
			return rc;
		int64_t s;
		if (n == 8) {
			memcpy(&s, &v, sizeof s);
		} else {
			int shift = 64 - 8 * n; /* sign-extend an n-byte two's complement */
			s = (int64_t)(v << shift) >> shift;
		}
		if (s >= 0) {
			h->type = KT_MP_UINT;
			h->u = (uint64_t)s;
		} else {
			h->type = KT_MP_INT;
			h->i = s;
		}
		return KT_OK;
	}
	case 0xd4:
	case 0xd5:
	case 0xd6:
	case 0xd7:
	case 0xd8:
		return payload(r, h, KT_MP_EXT, (1u << (tag - 0xd4)) + 1);
	case 0xd9:
	case 0xda:
	case 0xdb:
		if ((rc = field(r, 1 << (tag - 0xd9), &v)))
			return rc;
		return payload(r, h, KT_MP_STR, v);
	case 0xdc:
	case 0xdd:
		if ((rc = field(r, tag == 0xdc ? 2 : 4, &v)))
			return rc;
		return container(r, h, KT_MP_ARRAY, v);
	case 0xde:
	case 0xdf:
		if ((rc = field(r, tag == 0xde ? 2 : 4, &v)))
			return rc;
		return container(r, h, KT_MP_MAP, v);
	}
	return KT_EMALFORMED; /* 0xc1 is reserved */
}

enum kt_mp_type kt_mp_peek(const struct kt_mp *r)
{
	struct kt_mp copy = *r;
	struct head h;
	if (head(&copy, &h))
		return KT_MP_INVALID;
	return h.type;
}

/* Read a header and insist on its type. */
static int expect(struct kt_mp *r, struct head *h, enum kt_mp_type t)
{
	int rc = head(r, h);
	if (rc)
		return rc;
	return h->type == t ? KT_OK : KT_EINVAL;
}

int kt_mp_read_nil(struct kt_mp *r)
{
	struct head h;
	return expect(r, &h, KT_MP_NIL);
}

int kt_mp_read_bool(struct kt_mp *r, int *value)
{
	struct head h;
	int rc = expect(r, &h, KT_MP_BOOL);
	if (!rc)
		*value = (int)h.u;
	return rc;
}

int kt_mp_read_uint(struct kt_mp *r, uint64_t *value)
{
	struct head h;
	int rc = expect(r, &h, KT_MP_UINT);
	if (!rc)
		*value = h.u;
	return rc;
}

int kt_mp_read_int(struct kt_mp *r, int64_t *value)
{
	struct head h;
	int rc = head(r, &h);
	if (rc)
		return rc;
	if (h.type == KT_MP_INT) {
		*value = h.i;
		return KT_OK;
	}
	if (h.type == KT_MP_UINT && h.u <= (uint64_t)INT64_MAX) {
		*value = (int64_t)h.u;
		return KT_OK;
	}
	return KT_EINVAL;
}

int kt_mp_read_float(struct kt_mp *r, double *value)
{
	struct head h;
	int rc = expect(r, &h, KT_MP_FLOAT);
	if (!rc)
		*value = h.f;
	return rc;
}

static int read_bytes(struct kt_mp *r, enum kt_mp_type t, const uint8_t **b, size_t *len)
{
	struct head h;
	int rc = expect(r, &h, t);
	if (rc)
		return rc;
	*b = r->p;
	*len = (size_t)h.len;
	r->p += h.len;
	return KT_OK;
}

int kt_mp_read_str(struct kt_mp *r, const char **s, size_t *len)
{
	const uint8_t *b;
	int rc = read_bytes(r, KT_MP_STR, &b, len);
	if (!rc)
		*s = (const char *)b;
	return rc;
}

int kt_mp_read_bin(struct kt_mp *r, const uint8_t **b, size_t *len)
{
	return read_bytes(r, KT_MP_BIN, b, len);
}

int kt_mp_read_array(struct kt_mp *r, uint32_t *count)
{
	struct head h;
	int rc = expect(r, &h, KT_MP_ARRAY);
	if (!rc)
		*count = (uint32_t)h.len;
	return rc;
}

int kt_mp_read_map(struct kt_mp *r, uint32_t *count)
{
	struct head h;
	int rc = expect(r, &h, KT_MP_MAP);
	if (!rc)
		*count = (uint32_t)h.len;
	return rc;
}

static int skip(struct kt_mp *r, int str_keys, int depth)
{
	struct head h;
	int rc = head(r, &h);
	if (rc)
		return rc;
	switch (h.type) {
	case KT_MP_STR:
	case KT_MP_BIN:
	case KT_MP_EXT:
		r->p += h.len;
		return KT_OK;
	case KT_MP_ARRAY:
	case KT_MP_MAP:
		if (depth >= KT_MP_MAX_DEPTH)
			return KT_EMALFORMED;
		for (uint64_t k = 0; k < h.len; k++) {
			if (h.type == KT_MP_MAP) {
				if (str_keys && kt_mp_peek(r) != KT_MP_STR)
					return KT_EMALFORMED;
				if ((rc = skip(r, str_keys, depth + 1)))
					return rc;
			}
			if ((rc = skip(r, str_keys, depth + 1)))
				return rc;
		}
		return KT_OK;
	default:
		return KT_OK;
	}
}

int kt_mp_skip(struct kt_mp *r, int str_keys)
{
	return skip(r, str_keys, 0);
}
