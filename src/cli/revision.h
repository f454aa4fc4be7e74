/*
 * revision.h — what the `correct` and `retract` subcommands of every
 * aggregate (inspections, incidents) share: finding the event a revision
 * names within the aggregate's own stream, and checking a correction's
 * replacement payload against the catalogue; and, for the commands that
 * read revisions back, the event one names.
 *
 * The rules of what may be revised beyond these (an opening that cannot be
 * retracted, which number or label must stay) belong to each aggregate's
 * commands.
 */
#ifndef KONTROLL_CLI_REVISION_H
#define KONTROLL_CLI_REVISION_H

#include "cli.h"

#include "kontroll/event.h"
#include "kontroll/id.h"

/* The event a revision names. */
struct cli_target {
	uint8_t id[16];
	char text[KT_ID_TEXT_LEN + 1]; /* the id, canonical form */
	char type[KT_TYPE_MAX + 1];
	int64_t effective;
};

/*
 * Find the event of stream that want names: its full id or a prefix of at
 * least 4 hex digits of it, dashes ignored. name is how messages call the
 * aggregate ("T-2025-001"). Revisions themselves (event.corrected,
 * event.retracted) are refused: the original is to be revised again.
 * Returns EXIT_OK with *out filled; or prints why and returns EXIT_INPUT (not
 * an id, several events match, a revision), EXIT_NOTFOUND (no such event in
 * the stream) or the exit code of a read error. Begins and ends a reader of
 * its own, so no reader of the caller's may be open on s.
 */
int cli_find_target(kt_store *s, const char *stream, const char *name, const char *want,
		    struct cli_target *out);

/*
 * Check data, the replacement payload of a correction of an event of type,
 * against the catalogue's schema of that type (catalogue.h). Returns EXIT_OK;
 * or prints "--data: must be a JSON object …" or "--data: not a valid TYPE
 * payload: WHY" and returns EXIT_INPUT.
 */
int cli_check_replacement(const char *type, const json_t *data);

/*
 * A correction changes what a fact says, not which fact it is: the field of
 * data (the replacement payload) that names the fact — a number, a label —
 * must stay want. Returns EXIT_OK when it does, or when field or want is
 * NULL or data has no such text; else prints "--data: FIELD must stay
 * 'WANT' …" and returns EXIT_INPUT.
 */
int cli_check_identity(const json_t *data, const char *field, const char *want);

/*
 * The event a revision ev (event.corrected, event.retracted) names: its
 * "target" field, an id in canonical form, parsed into id; the text is
 * also copied into text unless that is NULL (also when it does not parse).
 * Returns 0, or -1 when ev has no such field or it is no id.
 */
int cli_revision_target(const struct kt_event *ev, uint8_t id[16], char *text);

#endif
