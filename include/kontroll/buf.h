/*
 * buf.h — a growable byte buffer with a hard maximum.
 *
 * Invariants: data is NULL or points to cap bytes of which len are used;
 * len <= cap; len never exceeds max. Appending past max fails with
 * KT_ETOOBIG and leaves the buffer as it was, so a size limit is enforced
 * while bytes are produced, not checked afterwards. The buffer does not
 * NUL-terminate. Zero-initialise with KT_BUF_INIT(max).
 */
#ifndef KONTROLL_BUF_H
#define KONTROLL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct kt_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	size_t max;
};

#define KT_BUF_INIT(maximum)                                                                       \
	{                                                                                          \
		NULL, 0, 0, (maximum)                                                              \
	}

/*
 * Append n bytes. Returns 0, KT_ETOOBIG when len + n would exceed max, or
 * KT_ENOMEM; on error the buffer is unchanged.
 */
int kt_buf_append(struct kt_buf *b, const void *bytes, size_t n);

/* Empty the buffer but keep its allocation for reuse. */
void kt_buf_reset(struct kt_buf *b);

/* Release the allocation; the buffer is empty and reusable afterwards. */
void kt_buf_free(struct kt_buf *b);

/*
 * A writer callback over a buffer for encoders that report failure only as
 * non-zero (msgpack-c's packer): kt_buf_sink_write appends to sink->out and
 * keeps the real error code in sink->err. Initialise with { out, 0 }.
 */
struct kt_buf_sink {
	struct kt_buf *out;
	int err;
};

/* Append n bytes to ((struct kt_buf_sink *)sink)->out; 0, or -1 with the
 * error (KT_ETOOBIG, KT_ENOMEM) kept in the sink. */
int kt_buf_sink_write(void *sink, const char *bytes, size_t n);

#endif
