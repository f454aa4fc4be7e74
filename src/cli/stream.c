/* stream.c — one stream's events for the `show` commands (stream.h). */
#define _POSIX_C_SOURCE 200809L
#include "stream.h"
#include "revision.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/inspection_events.h" /* event.corrected */

#include <stdlib.h>
#include <string.h>

/* Characters of the id text that tell the events of s apart: at least 8,
 * never ending at a dash. */
static size_t id_prefix_len(const struct cli_stream *s)
{
	size_t len = 8;
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = i + 1; j < s->n; j++) {
			size_t k = 0;
			while (k < KT_ID_TEXT_LEN && s->events[i].id[k] == s->events[j].id[k])
				k++;
			if (k + 1 > len)
				len = k + 1;
		}
	}
	if (len < KT_ID_TEXT_LEN && s->n && s->events[0].id[len - 1] == '-')
		len++;
	return len > KT_ID_TEXT_LEN ? KT_ID_TEXT_LEN : len;
}

int cli_stream_read(kt_reader *r, const struct cli_moment *m, const char *stream,
		    struct cli_stream *s)
{
	uint64_t last = kt_reader_head(r);
	kt_iter *it = NULL;
	size_t cap = 0;
	int err = KT_OK;
	if (m->known_at != KT_TIME_MAX)
		err = kt_reader_position_at(r, m->known_at, &last);
	if (!err)
		err = kt_iter_stream(r, stream, 0, &it);
	struct kt_event ev;
	while (!err && !cli_interrupted && (err = kt_iter_next(it, &ev)) == 0) {
		if (ev.position > last)
			break; /* a stream's versions follow the log's order */
		if (s->n == cap) {
			cap = cap ? 2 * cap : 32;
			struct cli_stream_event *grown = realloc(s->events, cap * sizeof *grown);
			if (!grown) {
				err = KT_ENOMEM;
				break;
			}
			s->events = grown;
		}
		struct cli_stream_event *e = &s->events[s->n++];
		e->ev = ev;
		e->visible = ev.effective <= m->as_of;
		kt_id_format(ev.id, e->id);
	}
	if (err == KT_ENOTFOUND)
		err = KT_OK;
	kt_iter_free(it);
	if (!err)
		s->id_len = id_prefix_len(s);
	return err;
}

void cli_stream_free(struct cli_stream *s)
{
	free(s->events);
	s->events = NULL;
	s->n = s->id_len = 0;
}

const struct cli_stream_event *cli_stream_find(const struct cli_stream *s, const uint8_t id[16])
{
	for (size_t k = 0; k < s->n; k++)
		if (memcmp(s->events[k].ev.id, id, 16) == 0)
			return &s->events[k];
	return NULL;
}

const struct cli_stream_event *cli_stream_current(const struct cli_stream *s, const uint8_t id[16],
						  const uint8_t **data, size_t *len)
{
	const struct cli_stream_event *e = cli_stream_find(s, id);
	if (!e)
		return NULL;
	*data = e->ev.data;
	*len = e->ev.data_len;
	for (size_t k = 0; k < s->n; k++) {
		const struct kt_event *ev = &s->events[k].ev;
		uint8_t target[16];
		const uint8_t *map;
		size_t map_len;
		if (s->events[k].visible && cli_is_type(ev, KT_EV_EVENT_CORRECTED) &&
		    !cli_revision_target(ev, target, NULL) && memcmp(target, id, 16) == 0 &&
		    !kt_data_get_map(ev->data, ev->data_len, "data", &map, &map_len)) {
			*data = map;
			*len = map_len;
		}
	}
	return e;
}

const struct cli_stream_event **cli_stream_timeline(const struct cli_stream *s,
						    int (*compare)(const void *, const void *),
						    size_t *n)
{
	const struct cli_stream_event **t = malloc((s->n ? s->n : 1) * sizeof *t);
	*n = 0;
	if (!t)
		return NULL;
	for (size_t k = 0; k < s->n; k++)
		if (s->events[k].visible)
			t[(*n)++] = &s->events[k];
	if (*n)
		qsort(t, *n, sizeof *t, compare);
	return t;
}
