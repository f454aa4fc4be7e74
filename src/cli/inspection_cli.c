/* inspection_cli.c — shared by the inspection commands (inspection_cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "inspection_cli.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_time(const char *option, const char *text, int64_t *out)
{
	int64_t us;
	if (kt_time_parse(text, &us)) {
		cli_error("%s: '%s' is not a valid date or time (YYYY-MM-DD or "
			  "YYYY-MM-DDTHH:MM:SSZ)",
			  option, text);
		return -1;
	}
	*out = us;
	return 0;
}

int cli_parse_moment(const char *option, const char *text, int64_t *out)
{
	int64_t us;
	if (cli_parse_time(option, text, &us))
		return -1;
	*out = strlen(text) == 10 ? us + KT_US_PER_DAY - 1 : us;
	return 0;
}

int cli_moment_option(int c, const char *value, struct cli_moment *m)
{
	switch (c) {
	case CLI_OPT_AS_OF:
		return cli_parse_moment("--as-of", value, &m->as_of);
	case CLI_OPT_KNOWN_AT:
		return cli_parse_moment("--known-at", value, &m->known_at);
	case CLI_OPT_NO_SNAPSHOTS:
		m->no_snapshots = 1;
		return 0;
	}
	return 1;
}

int64_t cli_reference_time(const struct cli_moment *m)
{
	if (m->as_of != KT_TIME_MAX)
		return m->as_of;
	if (m->known_at != KT_TIME_MAX)
		return m->known_at;
	return kt_time_now();
}

/*
 * A query saves a snapshot when it read this many events past the one it
 * started from. Saving rewrites the whole state (tens of MB for 50,000
 * inspections), so it must be rare enough to pay for itself in the queries
 * it speeds up (docs/performance.md).
 */
#define CLI_SNAPSHOT_EVERY 10000

int cli_replay(kt_store *s, const struct cli_moment *m, const struct kt_projection *p, void *state,
	       const char *what)
{
	return cli_replay_stats(s, m, p, state, what, NULL);
}

int cli_replay_stats(kt_store *s, const struct cli_moment *m, const struct kt_projection *p,
		     void *state, const char *what, struct kt_replay_stats *stats)
{
	struct cli_progress progress;
	cli_progress_start(&progress, "replaying the log");
	struct kt_replay_query q = { m->known_at,
				     m->as_of,
				     !m->no_snapshots,
				     m->no_snapshots ? 0 : CLI_SNAPSHOT_EVERY,
				     cli_progress_fn(&progress),
				     &progress };
	int rc = kt_replay(s, p, state, &q, stats);
	cli_progress_end(&progress);
	if (rc) {
		cli_error("reading the %s: %s", what, kt_strerror(rc));
		return cli_exit_for(rc);
	}
	return EXIT_OK;
}

int cli_load_inspections(kt_store *s, const struct cli_moment *m, struct kt_inspections *model)
{
	kt_inspections_init(model);
	int rc = cli_replay(s, m, &kt_inspections_projection, model, "inspections");
	if (rc)
		kt_inspections_free(model);
	return rc;
}

/* Lower-case hex digits of text without dashes into hex (≤ 32); 0 if text
 * is anything but hex digits and dashes. */
static int hex_digits(const char *text, char hex[33])
{
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '-')
			continue;
		if (!isxdigit((unsigned char)*p) || n == 32)
			return 0;
		hex[n++] = (char)tolower((unsigned char)*p);
	}
	hex[n] = 0;
	return n > 0;
}

static int has_id_prefix(const struct kt_inspection *in, const char *hex)
{
	char text[KT_ID_TEXT_LEN + 1], plain[33];
	kt_id_format(in->id, text);
	hex_digits(text, plain);
	return strncmp(plain, hex, strlen(hex)) == 0;
}

int cli_find_inspection(const struct kt_inspections *model, const char *text,
			const struct kt_inspection **out)
{
	size_t plen = sizeof KT_INSPECTION_STREAM_PREFIX - 1;
	const char *number =
	    strncmp(text, KT_INSPECTION_STREAM_PREFIX, plen) == 0 ? text + plen : text;
	for (size_t k = 0; k < model->n; k++) {
		const char *cn = model->items[k].case_number;
		if (cn && strlen(cn) == strlen(number)) {
			size_t i = 0;
			while (cn[i] &&
			       toupper((unsigned char)cn[i]) == toupper((unsigned char)number[i]))
				i++;
			if (!cn[i]) {
				*out = &model->items[k];
				return EXIT_OK;
			}
		}
	}
	char hex[33];
	const struct kt_inspection *found = NULL;
	size_t matches = 0;
	if (hex_digits(text, hex) && strlen(hex) >= 4) {
		for (size_t k = 0; k < model->n; k++) {
			if (has_id_prefix(&model->items[k], hex)) {
				found = &model->items[k];
				matches++;
			}
		}
	}
	if (matches == 1) {
		*out = found;
		return EXIT_OK;
	}
	if (matches > 1) {
		cli_error("'%s' matches %zu inspections; give more of the id or the case number",
			  text, matches);
		return EXIT_INPUT;
	}
	cli_error("no inspection '%s' (give a case number such as T-2025-007, or an id)", text);
	return EXIT_NOTFOUND;
}

/* The year and number of a case number T-YYYY-N; -1 when s is not one. */
static int case_key(const char *s, long *year, long *number)
{
	char *end;
	if (!s || s[0] != 'T' || s[1] != '-')
		return -1;
	*year = strtol(s + 2, &end, 10);
	if (*end != '-')
		return -1;
	*number = strtol(end + 1, &end, 10);
	return *end ? -1 : 0;
}

int cli_compare_case(const char *a, const char *b)
{
	long ya, na, yb, nb;
	int ka = case_key(a, &ya, &na), kb = case_key(b, &yb, &nb);
	if (ka || kb)
		return ka != kb ? (ka ? 1 : -1) : strcmp(a ? a : "", b ? b : "");
	if (ya != yb)
		return ya < yb ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

int64_t cli_days_until(int64_t us, int64_t today)
{
	int64_t a = us / KT_US_PER_DAY - (us % KT_US_PER_DAY < 0);
	int64_t b = today / KT_US_PER_DAY - (today % KT_US_PER_DAY < 0);
	return a - b;
}

const char *cli_inspection_kind(const char *wording)
{
	static const struct {
		const char *word;
		const char *kind;
	} kinds[] = {
		{ "stedlig tilsyn", "stedlig_tilsyn" },
		{ "stedlig", "stedlig_tilsyn" },
		{ "systemrevisjon", "systemrevisjon" },
		{ "egenkontroll", "egenkontroll" },
		{ "egentilsyn", "egenkontroll" },
		{ "egenkontroll/egentilsyn", "egenkontroll" },
		{ "hendelsesbasert", "hendelsesbasert" },
		{ "hendelsesbasert tilsyn", "hendelsesbasert" },
		{ "landsomfattende", "landsomfattende" },
		{ "landsomfattende tilsyn", "landsomfattende" },
		{ "landsomfattende kontroll", "landsomfattende" },
		{ "dokumenttilsyn", "dokumenttilsyn" },
		{ "forvaltningskontroll", "forvaltningskontroll" },
	};
	char norm[64];
	size_t n = 0;
	for (const char *p = wording; *p && n + 1 < sizeof norm; p++)
		norm[n++] = *p == '_' ? ' ' : (char)tolower((unsigned char)*p);
	norm[n] = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(norm, kinds[k].word) == 0 || strcmp(wording, kinds[k].kind) == 0)
			return kinds[k].kind;
	return NULL;
}

unsigned long cli_last_case_number(const struct kt_inspections *m, int year)
{
	char prefix[16];
	unsigned long last = 0;
	snprintf(prefix, sizeof prefix, "T-%d-", year);
	for (size_t k = 0; k < m->n; k++) {
		const char *cn = m->items[k].case_number;
		if (cn && strncmp(cn, prefix, strlen(prefix)) == 0) {
			unsigned long n = strtoul(cn + strlen(prefix), NULL, 10);
			if (n > last)
				last = n;
		}
	}
	return last;
}
