/* revision.c — shared by the correct and retract subcommands (revision.h). */
#define _POSIX_C_SOURCE 200809L
#include "revision.h"

#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The 32 hex digits of id text without its dashes. */
static void plain_hex(const char text[KT_ID_TEXT_LEN + 1], char out[33])
{
	size_t k = 0;
	for (const char *p = text; *p; p++)
		if (*p != '-')
			out[k++] = *p;
	out[k] = 0;
}

int cli_find_target(kt_store *s, const char *stream, const char *name, const char *want,
		    struct cli_target *out)
{
	char hex[33];
	size_t n = 0;
	for (const char *p = want; p && *p && n < 32; p++)
		if (*p != '-')
			hex[n++] = (char)tolower((unsigned char)*p);
	hex[n] = 0;
	if (n < 4 || strspn(hex, "0123456789abcdef") != n) {
		cli_error("--event: '%s' is not an event id (4 or more hex digits of it)",
			  want ? want : "");
		return EXIT_INPUT;
	}
	kt_reader *r;
	kt_iter *it = NULL;
	struct kt_event ev;
	int matches = 0, rc = kt_reader_begin(s, &r);
	if (!rc)
		rc = kt_iter_stream(r, stream, 1, &it);
	while (!rc && (rc = kt_iter_next(it, &ev)) == 0) {
		char text[KT_ID_TEXT_LEN + 1], plain[33];
		kt_id_format(ev.id, text);
		plain_hex(text, plain);
		if (strncmp(plain, hex, n) == 0) {
			matches++;
			memcpy(out->id, ev.id, 16);
			memcpy(out->text, text, sizeof text);
			snprintf(out->type, sizeof out->type, "%.*s", (int)ev.type_len, ev.type);
			out->effective = ev.effective;
		}
	}
	kt_iter_free(it);
	kt_reader_end(r);
	if (rc && rc != KT_ENOTFOUND) {
		cli_error("reading %s: %s", stream, kt_strerror(rc));
		return cli_exit_for(rc);
	}
	if (matches == 0) {
		cli_error("--event: no event '%s' in %s", want, name);
		return EXIT_NOTFOUND;
	}
	if (matches > 1) {
		cli_error("--event: '%s' matches %d events of %s; give more of the id", want,
			  matches, name);
		return EXIT_INPUT;
	}
	if (strcmp(out->type, KT_EV_EVENT_CORRECTED) == 0 ||
	    strcmp(out->type, KT_EV_EVENT_RETRACTED) == 0) {
		cli_error("--event: %s is itself a %s; correct or retract the original instead",
			  out->text, out->type);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cli_check_replacement(const char *type, const json_t *data)
{
	if (!json_is_object(data)) {
		cli_error("--data: must be a JSON object (the corrected payload of %s)", type);
		return EXIT_INPUT;
	}
	char *text = json_dumps(data, JSON_COMPACT);
	struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
	char why[300] = "";
	int err = text ? kt_json_to_data(text, strlen(text), &buf, why, sizeof why) : KT_ENOMEM;
	if (err == KT_ETOOBIG)
		snprintf(why, sizeof why, "over the limit of %d bytes", KT_DATA_MAX);
	else if (err == KT_ENOMEM)
		snprintf(why, sizeof why, "%s", kt_strerror(err));
	if (!err)
		err = kt_catalogue_check(type, strlen(type), buf.data, buf.len, why, sizeof why);
	if (err)
		cli_error("--data: not a valid %s payload: %s", type, why);
	free(text);
	kt_buf_free(&buf);
	return err ? EXIT_INPUT : EXIT_OK;
}

int cli_check_identity(const json_t *data, const char *field, const char *want)
{
	const char *have = field ? cli_payload_text(data, field) : NULL;
	if (want && have && strcmp(have, want) != 0) {
		cli_error("--data: %s must stay '%s' (a correction cannot renumber; retract it and "
			  "record it anew instead)",
			  field, want);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cli_revision_target(const struct kt_event *ev, uint8_t id[16], char *text)
{
	const char *s;
	size_t n;
	char own[KT_ID_TEXT_LEN + 1];
	char *t = text ? text : own;
	if (kt_data_get_str(ev->data, ev->data_len, "target", &s, &n) || n != KT_ID_TEXT_LEN)
		return -1;
	memcpy(t, s, n);
	t[n] = 0;
	return kt_id_parse(t, id) ? -1 : 0;
}
