/*
 * mpread.h — a bounded, zero-copy reader of msgpack bytes.
 *
 * kontroll encodes with msgpack-c's packer but reads with this reader: it
 * never allocates, never reads outside [p, end), and checks every declared
 * length and element count against the bytes that remain before trusting it.
 * (msgpack-c's unpacker allocates a container's elements as declared before
 * reading them, so five hostile bytes can make it ask for 64 GiB.)
 *
 * Strings and binaries come back as pointers into the input: borrowed, valid
 * as long as the input is. Every function returns 0 and advances the reader
 * on success; on error it returns KT_EMALFORMED (truncated or ill-formed
 * bytes) or KT_EINVAL (well-formed, but not the type asked for) and the
 * reader's position is unspecified.
 */
#ifndef KONTROLL_MPREAD_H
#define KONTROLL_MPREAD_H

#include <stddef.h>
#include <stdint.h>

/* Deepest nesting of arrays and maps accepted anywhere. */
#define KT_MP_MAX_DEPTH 32

struct kt_mp {
	const uint8_t *p;
	const uint8_t *end;
};

enum kt_mp_type {
	KT_MP_NIL,
	KT_MP_BOOL,
	KT_MP_UINT,  /* non-negative integer */
	KT_MP_INT,   /* negative integer */
	KT_MP_FLOAT, /* float 32 or 64 */
	KT_MP_STR,
	KT_MP_BIN,
	KT_MP_ARRAY,
	KT_MP_MAP,
	KT_MP_EXT,
	KT_MP_INVALID /* the reader is at the end, or at a reserved byte (0xc1) */
};

/* Start reading n bytes at p. */
static inline struct kt_mp kt_mp_init(const void *p, size_t n)
{
	struct kt_mp r = { (const uint8_t *)p, (const uint8_t *)p + n };
	return r;
}

/* The type of the next element, without consuming it. */
enum kt_mp_type kt_mp_peek(const struct kt_mp *r);

int kt_mp_read_nil(struct kt_mp *r);
int kt_mp_read_bool(struct kt_mp *r, int *value);
/* Accepts any integer encoding whose value fits; a negative value is KT_EINVAL. */
int kt_mp_read_uint(struct kt_mp *r, uint64_t *value);
/* Accepts any integer encoding whose value fits an int64_t. */
int kt_mp_read_int(struct kt_mp *r, int64_t *value);
int kt_mp_read_float(struct kt_mp *r, double *value);
int kt_mp_read_str(struct kt_mp *r, const char **s, size_t *len);
int kt_mp_read_bin(struct kt_mp *r, const uint8_t **b, size_t *len);
/* Read an array or map header. The count is checked to be plausible: each
 * element needs at least one byte, so count <= bytes remaining. */
int kt_mp_read_array(struct kt_mp *r, uint32_t *count);
int kt_mp_read_map(struct kt_mp *r, uint32_t *count);

/*
 * Validate and step over exactly one complete element, nested containers
 * included, no deeper than KT_MP_MAX_DEPTH. Map keys must be strings when
 * str_keys is non-zero (kontroll's payload maps).
 */
int kt_mp_skip(struct kt_mp *r, int str_keys);

#endif
