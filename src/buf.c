/* buf.c — the bounded growable byte buffer. */
#include "kontroll/buf.h"

#include "kontroll/error.h"

#include <stdlib.h>
#include <string.h>

int kt_buf_append(struct kt_buf *b, const void *bytes, size_t n)
{
	if (n > b->max - b->len)
		return KT_ETOOBIG;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		if (cap > b->max)
			cap = b->max;
		uint8_t *grown = realloc(b->data, cap);
		if (!grown)
			return KT_ENOMEM;
		b->data = grown;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, bytes, n);
	b->len += n;
	return KT_OK;
}

void kt_buf_reset(struct kt_buf *b)
{
	b->len = 0;
}

void kt_buf_free(struct kt_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int kt_buf_sink_write(void *sink, const char *bytes, size_t n)
{
	struct kt_buf_sink *s = sink;
	int rc = kt_buf_append(s->out, bytes, n);
	if (rc)
		s->err = rc;
	return rc ? -1 : 0;
}
