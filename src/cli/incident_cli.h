/*
 * incident_cli.h — what the incident commands share: loading the incidents
 * model for a moment and finding one incident by what a user types.
 */
#ifndef KONTROLL_INCIDENT_CLI_H
#define KONTROLL_INCIDENT_CLI_H

#include "cli.h"
#include "inspection_cli.h" /* struct cli_moment, cli_parse_moment */

#include "kontroll/incidents.h"

/* `kontroll incident SUBCOMMAND` (cmd_incident.c). */
extern const struct cli_command cli_incident_commands[];
/* `kontroll incidents [stats]` (cmd_incident_views.c). */
extern const struct cli_command cli_incident_view_commands[];
/* `kontroll generate incidents` (cmd_generate.c). */
extern const struct cli_command cli_generate_commands[];

/* Fold the incidents model for the moment m from store s (opened by the
 * caller; writable stores also get their snapshots refreshed). Prints the
 * error and returns its exit code on failure; *model is then empty. */
int cli_load_incidents(kt_store *s, const struct cli_moment *m, struct kt_incidents *model);

/* The incident named by text: its number ("H-2025-00042", any case), its
 * stream ("incident-H-2025-00042"), or year and sequence number without
 * padding ("2025-42"). Returns EXIT_OK with *out set, or prints why and
 * returns EXIT_NOTFOUND. */
int cli_find_incident(const struct kt_incidents *model, const char *text,
		      const struct kt_incident **out);

/*
 * The row `kontroll incidents` lists without a filter for the incident
 * whose stream is stream ("incident-H-2025-00042"), made from model m into
 * the JSON object rows (render.h's CLI_ROWS_TREE) under its number, as
 * --format json writes it without --include-personal: never the
 * description. None when m has no such incident or it was retracted.
 * Overdue actions and the 72 hours are judged at ref. The row belongs to
 * rows. Returns KT_OK; KT_ENOMEM; KT_EMALFORMED for a name that is not
 * UTF-8 (the row is left out). For kontroll diff.
 */
int cli_incident_rows(const struct kt_incidents *m, const char *stream, int64_t ref, json_t *rows);

/* µs of a model day (days since 1970-01-01, incidents.h), or KT_TIME_UNSET
 * for KT_DAY_NONE. */
int64_t cli_day_us(int32_t day);

/* "72:00:01": hours, minutes and seconds of the duration us into out (size
 * bytes), seconds rounded up so that anything past 72 hours never reads as
 * 72:00:00. */
void cli_hours_text(int64_t us, char *out, size_t size);

/* `kontroll incident show ID …` (cmd_incident_show.c; argv[0] is "show"):
 * one incident whole with its timeline. Resets getopt (optind) itself.
 * Returns the exit code. */
int cli_incident_show(int argc, char **argv);

#endif
