/*
 * stream.h — the events of one aggregate's stream as the `show` commands
 * (cmd_inspection_views.c, cmd_incident_show.c) read them for the texts the
 * models do not keep and for the timeline: the events recorded by the
 * --known-at moment, each marked visible when it took effect by --as-of,
 * with its id as text; what an event says once its corrections are applied;
 * and the visible events in the order of a timeline.
 *
 * The events are borrowed from the reader they were read with: valid until
 * kt_reader_end of that reader. Nothing here writes.
 */
#ifndef KONTROLL_CLI_STREAM_H
#define KONTROLL_CLI_STREAM_H

#include "inspection_cli.h" /* struct cli_moment */

#include "kontroll/event.h"
#include "kontroll/id.h"

/* One event of the stream. */
struct cli_stream_event {
	struct kt_event ev; /* borrowed from the reader */
	char id[KT_ID_TEXT_LEN + 1];
	int visible; /* effective by the --as-of moment */
};

/* The events of one stream, in stream order. Initialise with
 * CLI_STREAM_INIT; release with cli_stream_free, also after a failed read. */
struct cli_stream {
	struct cli_stream_event *events; /* owned */
	size_t n;
	size_t id_len; /* characters of an id text that tell the events apart */
};

#define CLI_STREAM_INIT                                                                            \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/*
 * Read the events of stream recorded by the moment m->known_at (all of them
 * for KT_TIME_MAX) through r into s, which is empty; each is visible when
 * its effective time is by m->as_of. Stops early, without an error, when
 * cli_interrupted is set: the caller checks it. Sets s->id_len to the
 * characters of the id texts that tell the events apart: at least 8, never
 * ending at a dash. A stream with no events is no error. Returns KT_OK, or
 * the reader's error or KT_ENOMEM with s holding what was read.
 */
int cli_stream_read(kt_reader *r, const struct cli_moment *m, const char *stream,
		    struct cli_stream *s);

/* Free the events of s; it is then empty (CLI_STREAM_INIT). */
void cli_stream_free(struct cli_stream *s);

/* The event of s whose id is id, or NULL. */
const struct cli_stream_event *cli_stream_find(const struct cli_stream *s, const uint8_t id[16]);

/*
 * What the event id of s says as it stands: its payload, replaced by that of
 * the latest visible correction of it, into *data and *len (borrowed as the
 * events are). Returns the event, or NULL (data and len untouched) when it
 * is not in s.
 */
const struct cli_stream_event *cli_stream_current(const struct cli_stream *s, const uint8_t id[16],
						  const uint8_t **data, size_t *len);

/*
 * The visible events of s, sorted by compare (a qsort comparator of two
 * const struct cli_stream_event *const *), in a new array the caller frees;
 * *n of them. NULL when out of memory.
 */
const struct cli_stream_event **cli_stream_timeline(const struct cli_stream *s,
						    int (*compare)(const void *, const void *),
						    size_t *n);

#endif
