/* incident_cli.c — shared by the incident commands (incident_cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "incident_cli.h"

#include "kontroll/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* As for inspections (inspection_cli.c): a save rewrites the whole state. */
#define CLI_SNAPSHOT_EVERY 10000

int cli_load_incidents(kt_store *s, const struct cli_moment *m, struct kt_incidents *model)
{
	struct cli_progress progress;
	cli_progress_start(&progress, "replaying the log");
	struct kt_replay_query q = { m->known_at,
				     m->as_of,
				     !m->no_snapshots,
				     m->no_snapshots ? 0 : CLI_SNAPSHOT_EVERY,
				     cli_progress_fn(&progress),
				     &progress };
	kt_incidents_init(model);
	int rc = kt_replay(s, &kt_incidents_projection, model, &q, NULL);
	cli_progress_end(&progress);
	if (rc) {
		cli_error("reading the incidents: %s", kt_strerror(rc));
		kt_incidents_free(model);
		return cli_exit_for(rc);
	}
	return EXIT_OK;
}

/* "2025-42" → year 2025, seq 42; 0 when text is not that. */
static int short_number(const char *text, int *year, uint32_t *seq)
{
	char *end;
	if (strlen(text) < 6 || text[4] != '-')
		return 0;
	for (int k = 0; k < 4; k++)
		if (!isdigit((unsigned char)text[k]))
			return 0;
	if (!isdigit((unsigned char)text[5]))
		return 0;
	unsigned long n = strtoul(text + 5, &end, 10);
	if (*end || n == 0 || n > 9999999)
		return 0;
	*year = atoi(text);
	*seq = (uint32_t)n;
	return 1;
}

int cli_find_incident(const struct kt_incidents *model, const char *text,
		      const struct kt_incident **out)
{
	size_t plen = sizeof KT_INCIDENT_STREAM_PREFIX - 1;
	const char *given =
	    strncmp(text, KT_INCIDENT_STREAM_PREFIX, plen) == 0 ? text + plen : text;
	char number[KT_INCIDENT_NUMBER_SIZE];
	int year;
	uint32_t seq;
	size_t n = strlen(given);
	if (n < sizeof number) {
		for (size_t k = 0; k <= n; k++)
			number[k] = (char)toupper((unsigned char)given[k]);
		if (kt_incident_number_parse(number, n, &year, &seq) ||
		    short_number(given, &year, &seq)) {
			kt_incident_number_format(year, seq, number);
			*out = kt_incidents_find(model, number, strlen(number));
			if (*out)
				return EXIT_OK;
		}
	}
	cli_error("no incident '%s' (give a number such as H-2025-00042, or 2025-42)", text);
	return EXIT_NOTFOUND;
}
