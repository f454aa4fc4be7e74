/*
 * inspection_cli.h — what the inspection commands share: the time options,
 * loading the inspections model for a moment, and finding one inspection by
 * what a user types (case number, stream, or a prefix of its id).
 */
#ifndef KONTROLL_INSPECTION_CLI_H
#define KONTROLL_INSPECTION_CLI_H

#include "cli.h"

#include "kontroll/inspections.h"
#include "kontroll/ktime.h"
#include "kontroll/replay.h"

extern const struct cli_command cli_inspection_commands[];

/* The moment a listing shows: --as-of and --known-at (KT_TIME_MAX: now). */
struct cli_moment {
	int64_t as_of;
	int64_t known_at;
	int no_snapshots;
};

#define CLI_MOMENT_NOW                                                                             \
	{                                                                                          \
		KT_TIME_MAX, KT_TIME_MAX, 0                                                        \
	}

/* Parse the value text of option (named for messages, "--from") as a
 * moment: YYYY-MM-DD (its midnight, UTC) or YYYY-MM-DDTHH:MM:SSZ. Prints
 * the error and returns -1 on bad text, *out then untouched. */
int cli_parse_time(const char *option, const char *text, int64_t *out);

/* Parse a moment that ends a span (--as-of, --known-at, history's --to) as
 * cli_parse_time does, but a date alone means the end of that day (UTC), so
 * "as of 2025-06-10" includes what happened on the 10th. Prints the error
 * and returns -1 on bad text. */
int cli_parse_moment(const char *option, const char *text, int64_t *out);

/* The getopt values of the options that set a moment: --as-of, --known-at
 * and --no-snapshots (replay the whole log, trusting no snapshot). A
 * command numbers its own long-only options from CLI_OPT_MOMENT_END. */
enum { CLI_OPT_AS_OF = 256, CLI_OPT_KNOWN_AT, CLI_OPT_NO_SNAPSHOTS, CLI_OPT_MOMENT_END };

/* The long options of the moment: --as-of, --known-at and --no-snapshots,
 * for a command's option table. */
#define CLI_MOMENT_OPTIONS                                                                         \
	{ "as-of", required_argument, NULL, CLI_OPT_AS_OF },                                       \
	    { "known-at", required_argument, NULL, CLI_OPT_KNOWN_AT },                             \
	{                                                                                          \
		"no-snapshots", no_argument, NULL, CLI_OPT_NO_SNAPSHOTS                            \
	}

/* Take option c, when it is one of the moment options, with its value into
 * *m. Returns 0; -1 after printing why the value is bad; 1 when c is none of
 * them (nothing done). */
int cli_moment_option(int c, const char *value, struct cli_moment *m);

/* The moment a view judges by (days left, overdue, the 72 hours): the
 * --as-of time, else the --known-at time (what kontroll showed then), else
 * now. */
int64_t cli_reference_time(const struct cli_moment *m);

/*
 * Fold projection p into state (initialised by the caller) for the moment
 * m from store s (opened by the caller; writable stores also get their
 * snapshots refreshed), with a progress line on a terminal. On failure
 * prints "reading the WHAT: why" and returns the exit code; the caller then
 * frees state.
 */
int cli_replay(kt_store *s, const struct cli_moment *m, const struct kt_projection *p, void *state,
	       const char *what);

/* As cli_replay, with kt_replay's figures of the replay into *stats (the
 * end position it covered, among them). */
int cli_replay_stats(kt_store *s, const struct cli_moment *m, const struct kt_projection *p,
		     void *state, const char *what, struct kt_replay_stats *stats);

/* Fold the inspections model for the moment m from store s (opened by the
 * caller; writable stores also get their snapshots refreshed). Prints the
 * error and returns its exit code on failure; *model is then empty. */
int cli_load_inspections(kt_store *s, const struct cli_moment *m, struct kt_inspections *model);

/* The inspection named by text: a case number ("T-2025-007", any case), its
 * stream ("inspection-T-2025-007"), or a unique prefix (≥ 4 hex digits) of
 * its id, into *out. Returns EXIT_OK, or prints why and returns EXIT_NOTFOUND
 * (none matches) or EXIT_INPUT (several do). */
int cli_find_inspection(const struct kt_inspections *model, const char *text,
			const struct kt_inspection **out);

/* `kontroll inspection show ID …` (argv[0] is "show"): the whole case with its
 * timeline. Returns the exit code. */
int cli_inspection_show(int argc, char **argv);

/* The catalogue's kind of inspection for what a user wrote ("stedlig
 * tilsyn", "egentilsyn", "stedlig_tilsyn"; any case), or NULL when it names
 * none (kind "other", the wording kept). Static. */
const char *cli_inspection_kind(const char *wording);

/* The highest sequence number the model has used in year's case numbers
 * T-YEAR-N, 0 when none. */
unsigned long cli_last_case_number(const struct kt_inspections *m, int year);

/* Case numbers in their natural order, as a comparison (< 0, 0, > 0):
 * "T-2025-999" before "T-2025-1000", years in order; anything that is not
 * T-YYYY-N after them, by its text. NULL sorts as "". */
int cli_compare_case(const char *a, const char *b);

/* Days from today's date (UTC) to the date at us: negative when past. */
int64_t cli_days_until(int64_t us, int64_t today);

/* `kontroll inspections` and `kontroll orders` (cmd_inspection_views.c):
 * the listings of inspections and of open orders. */
extern const struct cli_command cli_inspection_view_commands[];

/*
 * The rows `kontroll inspections` and `kontroll orders` list without a
 * filter for the inspection whose stream is stream, made from model m into
 * the JSON object rows (render.h's CLI_ROWS_TREE) as their --format json
 * writes them: the inspection's row under its case number ("T-2025-001"),
 * and the row of each order listed under case and label ("T-2025-001/P1").
 * None when m has no such inspection or the listing shows none of its
 * orders. Days are counted from the day of ref, as for --as-of. The rows
 * belong to rows; they copy what they hold from m. Returns KT_OK; KT_ENOMEM;
 * KT_EMALFORMED for a text of the row that is not UTF-8 (the row is left
 * out). For kontroll diff.
 */
int cli_inspection_rows(const struct kt_inspections *m, const char *stream, int64_t ref,
			json_t *rows);
int cli_order_rows(const struct kt_inspections *m, const char *stream, int64_t ref, json_t *rows);

/* The usage text of `kontroll inspection show` (cmd_inspection_views.c),
 * for the dispatcher's help. cli_inspection_show, above, resets getopt
 * (optind) itself and takes its options and the ID in any order. */
extern const char cli_inspection_show_usage[];

#endif
