/* incident_cli.c — shared by the incident commands (incident_cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "incident_cli.h"

#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int cli_load_incidents(kt_store *s, const struct cli_moment *m, struct kt_incidents *model)
{
	kt_incidents_init(model);
	int rc = cli_replay(s, m, &kt_incidents_projection, model, "incidents");
	if (rc)
		kt_incidents_free(model);
	return rc;
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

int64_t cli_day_us(int32_t day)
{
	return day == KT_DAY_NONE ? KT_TIME_UNSET : (int64_t)day * KT_US_PER_DAY;
}

void cli_hours_text(int64_t us, char *out, size_t size)
{
	int64_t s = (us + KT_US_PER_SEC - 1) / KT_US_PER_SEC;
	snprintf(out, size, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
		 (long long)(s % 60));
}
