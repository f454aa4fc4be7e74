/*
 * cli.h — what the commands of the kontroll binary share: exit codes, error
 * reporting, subcommand dispatch, store opening, option parsing, the
 * payloads the writing commands build, events as `log` and `history` print
 * them, and output formats. How the views render tables and rows is in
 * render.h.
 */
#ifndef KONTROLL_CLI_H
#define KONTROLL_CLI_H

#include "kontroll/buf.h"
#include "kontroll/event.h"
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
/* `kontroll export`, `import` and `verify-export` (cmd_export.c). */
extern const struct cli_command cli_export_commands[];
/* `kontroll import-csv` (cmd_import_csv.c). */
extern const struct cli_command cli_import_csv_commands[];
extern const struct cli_command cli_backup_commands[];
/* `kontroll report annual` (cmd_report.c). */
extern const struct cli_command cli_report_commands[];
/* `kontroll keygen` and `kontroll seal` (cmd_seal.c). */
extern const struct cli_command cli_seal_commands[];

/* Set by SIGINT; long loops check it and leave through their cleanup path. */
extern volatile sig_atomic_t cli_interrupted;

/* The command being run, for messages ("kontroll append: ..."). */
extern const char *cli_command_name;

/* Print "kontroll CMD: message" and a newline to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Map a library error code to the exit code users see. */
int cli_exit_for(int err);

/* Non-zero when arg asks a command with subcommands for its help: "--help",
 * "-h" or "help". */
int cli_is_help(const char *arg);

/*
 * Run `kontroll COMMAND SUB ARGS…` (argv[0] is COMMAND) for a command made
 * of subcommands: without SUB, usage() and EXIT_USAGE; with a help word
 * (cli_is_help), usage() and EXIT_OK; else run(SUB, argc - 1, argv + 1),
 * which returns the subcommand's exit code, or -1 when it knows no SUB: that
 * is reported ("no subcommand 'SUB' (see kontroll COMMAND --help)", COMMAND
 * being cli_command_name) as EXIT_USAGE. usage prints to stdout.
 */
int cli_run_subcommand(int argc, char **argv, void (*usage)(void),
		       int (*run)(const char *name, int argc, char **argv));

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

/* As cli_open_store, for a bulk load: commits are not synced one by one
 * (kt_store_set_durable 0), so the caller syncs the file once at the end. */
int cli_open_bulk_store(const char *path, unsigned flags, kt_store **out);

/*
 * Open the store of a view (the --db value db, as cli_db_path reads it):
 * writable when the file allows it, so that the replay can save its
 * snapshots, and read-only when the file or its directory may not be written
 * (EACCES, EROFS). Any other failure is reported as cli_open_store reports
 * it. Returns EXIT_OK with *out open (close it with kt_store_close), or the
 * exit code.
 */
int cli_open_view_store(const char *db, kt_store **out);

/* Parse value strictly as a non-negative integer (decimal). 0 or -1. */
int cli_parse_u64(const char *value, uint64_t *out);

/* Parse --format; on error print why and return -1. */
int cli_parse_format(const char *value, int allow_csv, enum cli_format *out);

/* Print one JSON value on its own line (compact, keys in insertion order). */
void cli_print_json(json_t *value);

/* Turn a command's payload (a JSON object) into msgpack in data and check it
 * against the catalogue's schema of type. EXIT_OK; EXIT_INPUT (printed: the
 * schema's reason, or the size limit); EXIT_FAILURE_STORE when out of
 * memory (printed). Nothing is written either way; data is the caller's. */
int cli_encode_payload(const char *type, json_t *payload, struct kt_buf *data);

/* Fill *ev as a new event for kt_store_append: everything zero (the store
 * assigns id, stream, version and recorded time) but type, actor, the
 * payload in data and effective (KT_TIME_UNSET: when recorded). ev borrows
 * the strings and data, which must outlive the append. */
void cli_new_event(struct kt_event *ev, const char *type, const char *actor,
		   const struct kt_buf *data, int64_t effective);

/* Parse value, the text of option --NAME (name without the dashes), as a
 * JSON object into *out (a new reference the caller owns). On anything else
 * print why and return EXIT_INPUT; *out is then untouched. */
int cli_parse_json_object(const char *name, const char *value, json_t **out);

/* The text of field in a payload being built; NULL when it is absent or no
 * string. Borrowed from payload. */
const char *cli_payload_text(const json_t *payload, const char *field);

/* Set field of payload to the text value. EXIT_OK, or EXIT_INPUT (printed:
 * "FIELD: not valid UTF-8 text") when jansson refuses it. */
int cli_payload_set_text(json_t *payload, const char *field, const char *value);

/*
 * Report an append to the stream of name ("T-2025-001", "H-2025-00042")
 * that failed with err, and return the exit code: the version conflict
 * (KT_EVERSION; res is kt_store_append's result, read the version the
 * command read) as EXIT_CONFLICT, anything else as cli_exit_for(err); res
 * may be NULL when err is never KT_EVERSION (the caller took that). Both
 * messages end "nothing written".
 */
int cli_append_failed(int err, const char *name, const struct kt_append_result *res, uint64_t read);

/* Print one CSV field (RFC 4180 quoting when needed), then sep if non-zero. */
void cli_csv_field(const char *s, size_t len, char sep);

/* The long options every command has: --db (returned as 'D') and --help ('h'). */
#define CLI_COMMON_OPTIONS                                                                         \
	{ "db", required_argument, NULL, 'D' },                                                    \
	{                                                                                          \
		"help", no_argument, NULL, 'h'                                                     \
	}

/*
 * getopt_long over argv with opts (which hold CLI_COMMON_OPTIONS) and the
 * optstring every command uses, ":h" (an option lacking its value comes back
 * as ':'). The common options are taken here: --db sets *db to its value and
 * is not returned; --help prints usage to stdout, unless usage is NULL (the
 * caller prints its own), and returns 'h', on which the caller leaves.
 * Anything else returns as getopt_long returns it, -1 at the end.
 */
int cli_getopt(int argc, char **argv, const struct option *opts, const char *usage,
	       const char **db);

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

/* The envelope columns of a CSV line of `log` and `history` from obj, the
 * event as kt_event_to_json made it: position, id, stream, version, type,
 * recorded, effective, actor, correlation_id, causation_id, each followed by
 * a comma (an absent or null value is empty). */
void cli_event_csv_columns(const json_t *obj);

/* Non-zero when ev is of type. */
int cli_is_type(const struct kt_event *ev, const char *type);

/*
 * ev with its payload's personal fields left out (kt_catalogue_redact),
 * into *copy: the envelope is ev's, the data lives in buf (emptied first)
 * until buf's next use. Returns kt_catalogue_redact's error (0 on success).
 */
int cli_event_redacted(const struct kt_event *ev, struct kt_buf *buf, struct kt_event *copy);

/* The UTC midnight at or before us, in µs. */
int64_t cli_day_start(int64_t us);

/* Print at most max bytes of the n bytes at s to stdout, cut at a UTF-8
 * character boundary and marked "…" when cut; control characters as spaces. */
void cli_print_clipped(const char *s, size_t n, size_t max);

/* Read the public key file of --pubkey (kontroll keygen's FILE.pub) into
 * key (KT_SEAL_PUBLIC_LEN bytes, seal.h). Returns EXIT_OK, or prints why and
 * returns EXIT_NOTFOUND (no such file), EXIT_INPUT (not a public key) or
 * EXIT_FAILURE_STORE. */
int cli_read_public_key(const char *path, uint8_t *key);

/* Print the usage of cmd to stdout. */
void cli_print_usage(const struct cli_command *cmd);

#endif
