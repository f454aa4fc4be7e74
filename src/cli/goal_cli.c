/* goal_cli.c — shared by the goal commands (goal_cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "goal_cli.h"

#include "kontroll/id.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_load_goals(kt_store *s, const struct cli_moment *m, struct kt_goals *model)
{
	kt_goals_init(model);
	int rc = cli_replay(s, m, &kt_goals_projection, model, "goals");
	if (rc)
		kt_goals_free(model);
	return rc;
}

/* "2025-12" → year 2025, seq 12; 0 when text is not that. */
static int short_number(const char *text, int *year, uint32_t *seq)
{
	char *end;
	if (strlen(text) < 6 || text[4] != '-' || !isdigit((unsigned char)text[5]))
		return 0;
	for (int k = 0; k < 4; k++)
		if (!isdigit((unsigned char)text[k]))
			return 0;
	unsigned long n = strtoul(text + 5, &end, 10);
	if (*end || n == 0 || n > 99999)
		return 0;
	*year = atoi(text);
	*seq = (uint32_t)n;
	return 1;
}

/* The goals whose id starts with the hex digits of text (dashes ignored):
 * how many, and the first in *out. -1 when text is no such prefix. */
static int by_id_prefix(const struct kt_goals *model, const char *text, const struct kt_goal **out)
{
	char hex[33];
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '-')
			continue;
		if (!isxdigit((unsigned char)*p) || n == 32)
			return -1;
		hex[n++] = (char)tolower((unsigned char)*p);
	}
	if (n < 4)
		return -1;
	int found = 0;
	for (size_t k = 0; k < model->n; k++) {
		char id[KT_ID_TEXT_LEN + 1], plain[33];
		size_t len = 0;
		kt_id_format(model->items[k].id, id);
		for (const char *p = id; *p; p++)
			if (*p != '-')
				plain[len++] = *p;
		if (memcmp(plain, hex, n) == 0 && found++ == 0)
			*out = &model->items[k];
	}
	return found;
}

int cli_find_goal(const struct kt_goals *model, const char *text, const struct kt_goal **out)
{
	size_t plen = sizeof KT_GOAL_STREAM_PREFIX - 1;
	const char *given = strncmp(text, KT_GOAL_STREAM_PREFIX, plen) == 0 ? text + plen : text;
	char number[KT_GOAL_NUMBER_SIZE];
	int year;
	uint32_t seq;
	size_t n = strlen(given);
	if (n < sizeof number) {
		for (size_t k = 0; k <= n; k++)
			number[k] = (char)toupper((unsigned char)given[k]);
		if (kt_goal_number_parse(number, n, &year, &seq) ||
		    short_number(given, &year, &seq)) {
			kt_goal_number_format(year, seq, number);
			if ((*out = kt_goals_find(model, number, strlen(number))))
				return EXIT_OK;
		}
	}
	int found = by_id_prefix(model, given, out);
	if (found == 1)
		return EXIT_OK;
	if (found > 1) {
		cli_error("'%s' names %d goals; give more of the id, or the number", text, found);
		return EXIT_INPUT;
	}
	cli_error("no goal '%s' (give a number such as M-2025-012, or 2025-12)", text);
	return EXIT_NOTFOUND;
}

int cli_parse_number(const char *option, const char *text, double *out)
{
	char buf[64];
	size_t n = strlen(text);
	int commas = 0;
	if (n == 0 || n >= sizeof buf)
		goto bad;
	for (size_t k = 0; k <= n; k++) {
		buf[k] = text[k] == ',' ? '.' : text[k];
		commas += text[k] == ',';
		/* strtod would take hex, inf and nan too; people write none. */
		if (k < n && !strchr("0123456789.,+-eE", text[k]))
			goto bad;
	}
	char *end;
	double v = strtod(buf, &end);
	if (*end || commas > 1 || !isfinite(v) || end == buf)
		goto bad;
	*out = v;
	return EXIT_OK;
bad:
	cli_error("%s: '%s' is not a number (e.g. 10.2 or 10,2)", option, text);
	return EXIT_INPUT;
}

const char *cli_text_copy(struct kt_text t, char *out, size_t size)
{
	size_t n = t.s ? (t.len < size - 1 ? t.len : size - 1) : 0;
	if (n)
		memcpy(out, t.s, n);
	out[n] = 0;
	return out;
}
