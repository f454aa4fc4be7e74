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

#endif
