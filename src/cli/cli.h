/*
 * cli.h — what the commands of the kontroll binary share: exit codes, error
 * reporting, store opening, option value parsing and output formats.
 */
#ifndef KONTROLL_CLI_H
#define KONTROLL_CLI_H

#include "kontroll/store.h"

#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes; docs/cli.md lists them for users. */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_FAILURE_STORE = 1, /* I/O, LMDB or other failure of the system */
	EXIT_USAGE = 2,		/* unknown command or option, missing argument */
	EXIT_INPUT = 3,		/* a value given is invalid: JSON, UUID, date, size */
	EXIT_CONFLICT = 4,	/* expected version mismatch, event id reused, exists */
	EXIT_NOTFOUND = 5,	/* no such store */
	EXIT_DAMAGED = 6,	/* verify found the store inconsistent */
};

enum cli_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

/* One subcommand. usage is printed for `kontroll NAME --help`. */
struct cli_command {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cli_store_commands[];
extern const struct cli_command cli_history_commands[];

/* Set by SIGINT; long loops check it and leave through their cleanup path. */
extern volatile sig_atomic_t cli_interrupted;

/* The command being run, for messages ("kontroll append: ..."). */
extern const char *cli_command_name;

/* Print "kontroll CMD: message" and a newline to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Map a library error code to the exit code users see. */
int cli_exit_for(int err);

/* Report a failed option parse for the current command and return
 * EXIT_USAGE: unknown option, or an option lacking its argument. */
int cli_usage_error(int optopt_char, const char *arg);

/* After option parsing: non-zero (with the error printed) when operands
 * remain that the command does not take. */
int cli_has_operands(int argc, char **argv);

/* Who records an event: given when it is set, else $KONTROLL_ACTOR, else
 * $USER, else "unknown". */
const char *cli_actor(const char *given);

/* The store path: the --db value when given, else $KONTROLL_DB, else
 * ./kontroll.db. */
const char *cli_db_path(const char *option_value);

/* Open the store at path for the current command; on failure print why and
 * return the exit code (the handle is already closed). */
int cli_open_store(const char *path, unsigned flags, kt_store **out);

/* Parse value strictly as a non-negative integer (decimal). 0 or -1. */
int cli_parse_u64(const char *value, uint64_t *out);

/* Parse --format; on error print why and return -1. */
int cli_parse_format(const char *value, int allow_csv, enum cli_format *out);

/* Print one JSON value on its own line (compact, keys in insertion order). */
void cli_print_json(json_t *value);

/* Print one CSV field (RFC 4180 quoting when needed), then sep if non-zero. */
void cli_csv_field(const char *s, size_t len, char sep);

/* The long options every command has: --db (returned as 'D') and --help ('h'). */
#define CLI_COMMON_OPTIONS                                                                         \
	{ "db", required_argument, NULL, 'D' },                                                    \
	{                                                                                          \
		"help", no_argument, NULL, 'h'                                                     \
	}

/*
 * A progress line on stderr for long work: shown only when stderr is a
 * terminal and the work has taken more than a second, then kept up to date
 * and erased by cli_progress_end. Initialise with cli_progress_start.
 */
struct cli_progress {
	const char *what; /* "verifying", "replaying" */
	int64_t start;
	int tty;
	int shown;
};

void cli_progress_start(struct cli_progress *p, const char *what);
/* A kt_progress_fn: ctx is the struct cli_progress. */
void cli_progress_report(void *ctx, uint64_t done, uint64_t total);
/* The callback to hand to the library: NULL when stderr is no terminal. */
kt_progress_fn cli_progress_fn(const struct cli_progress *p);
void cli_progress_end(struct cli_progress *p);

/*
 * The event table of `log` and `history`: a header line whose last column is
 * named last, and for each event its fixed columns (position, recorded time
 * to the second, effective time — a date alone at midnight UTC —, stream,
 * version, type, actor) followed by a space; the caller prints the last
 * column and the newline.
 */
void cli_event_table_header(const char *last);
void cli_event_table_columns(const struct kt_event *ev);

/* Print at most max bytes of the n bytes at s to stdout, cut at a UTF-8
 * character boundary and marked "…" when cut; control characters as spaces. */
void cli_print_clipped(const char *s, size_t n, size_t max);

/* Print the usage of cmd to stdout. */
void cli_print_usage(const struct cli_command *cmd);

#endif
