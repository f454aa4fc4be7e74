/*
 * goal_cli.h — what the goal commands share: loading the goals model for a
 * moment, finding one goal by what a user types, and reading and writing
 * the numbers of indicators as people write them.
 */
#ifndef KONTROLL_GOAL_CLI_H
#define KONTROLL_GOAL_CLI_H

#include "cli.h"
#include "inspection_cli.h" /* struct cli_moment */

#include "kontroll/goals.h"

/* `kontroll goal SUBCOMMAND` (cmd_goal.c). */
extern const struct cli_command cli_goal_commands[];
/* `kontroll goals [summary]` (cmd_goal_views.c). */
extern const struct cli_command cli_goal_view_commands[];

/* Fold the goals model for the moment m from store s (opened by the caller;
 * writable stores also get their snapshots refreshed). Prints the error and
 * returns its exit code on failure; *model is then empty. */
int cli_load_goals(kt_store *s, const struct cli_moment *m, struct kt_goals *model);

/* The goal named by text: its number ("M-2025-012", any case), its stream
 * ("goal-M-2025-012"), year and number without padding ("2025-12"), or a
 * unique prefix (≥ 4 hex digits) of its id. Returns EXIT_OK with *out set,
 * or prints why and returns EXIT_NOTFOUND (none) or EXIT_INPUT (several). */
int cli_find_goal(const struct kt_goals *model, const char *text, const struct kt_goal **out);

/*
 * The rows `kontroll goals` lists without a filter (every goal in force
 * now, with its latest assessed year) for the goal whose stream is stream
 * ("goal-M-2025-012"), made from model m into the JSON object rows
 * (render.h's CLI_ROWS_TREE) as its --format json writes them: the goal as
 * a whole under its number, a part assessed apart under "M-2025-012
 * (part)". None when m has no such goal or the listing leaves it out. The
 * rows belong to rows. Returns KT_OK or KT_ENOMEM (also for a text jansson
 * refuses). For kontroll diff.
 */
int cli_goal_rows(const struct kt_goals *m, const char *stream, json_t *rows);

/* Parse text as a finite number, with a decimal point or comma ("10.2",
 * "10,2", "-3"). Returns 0, or prints "OPTION: 'text' is not a number" and
 * returns EXIT_INPUT. */
int cli_parse_number(const char *option, const char *text, double *out);

/* A borrowed payload text as a new NUL-terminated string into out (size ≥ 1
 * bytes, cut to fit), "" when absent. Returns out. */
const char *cli_text_copy(struct kt_text t, char *out, size_t size);

/* `kontroll goal show ID …` and `kontroll goal plot ID …`
 * (cmd_goal_show.c, cmd_goal_plot.c; argv[0] is the subcommand). Each resets
 * getopt itself. Return the exit code. */
int cli_goal_show(int argc, char **argv);
int cli_goal_plot(int argc, char **argv);

#endif
