/* cli.c — helpers shared by every command of the kontroll binary. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "kontroll/catalogue.h"
#include "kontroll/error.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile sig_atomic_t cli_interrupted;
const char *cli_command_name = "";

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kontroll%s%s: ", *cli_command_name ? " " : "", cli_command_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_for(int err)
{
	switch (err) {
	case KT_OK:
		return EXIT_OK;
	case KT_EINVAL:
	case KT_ETOOBIG:
	case KT_EMALFORMED:
	case KT_EJSON:
	case KT_EDATE:
	case KT_EUUID:
		return EXIT_INPUT;
	case KT_EVERSION:
	case KT_EIDREUSED:
	case KT_EEXIST:
		return EXIT_CONFLICT;
	case KT_ENOTFOUND:
		return EXIT_NOTFOUND;
	case KT_ECORRUPT:
		return EXIT_DAMAGED;
	default:
		return EXIT_FAILURE_STORE;
	}
}

int cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

int cli_run_subcommand(int argc, char **argv, void (*usage)(void),
		       int (*run)(const char *name, int argc, char **argv))
{
	if (argc < 2) {
		usage();
		return EXIT_USAGE;
	}
	if (cli_is_help(argv[1])) {
		usage();
		return EXIT_OK;
	}
	int rc = run(argv[1], argc - 1, argv + 1);
	if (rc >= 0)
		return rc;
	cli_error("no subcommand '%s' (see kontroll %s --help)", argv[1], cli_command_name);
	return EXIT_USAGE;
}

int cli_getopt(int argc, char **argv, const struct option *opts, const char *usage, const char **db)
{
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) == 'D')
		*db = optarg;
	if (c == 'h' && usage)
		fputs(usage, stdout);
	return c;
}

int cli_usage_error(int optopt_char, const char *arg)
{
	const char *what = arg ? arg : "?";
	if (optopt_char == ':')
		cli_error("option %s needs a value (see kontroll %s --help)", what,
			  cli_command_name);
	else
		cli_error("unknown option %s (see kontroll %s --help)", what, cli_command_name);
	return EXIT_USAGE;
}

int cli_has_operands(int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	cli_error("unexpected argument '%s'", argv[optind]);
	return 1;
}

const char *cli_actor(const char *given)
{
	const char *a = given;
	if (!a || !*a)
		a = getenv("KONTROLL_ACTOR");
	if (!a || !*a)
		a = getenv("USER");
	return a && *a ? a : "unknown";
}

const char *cli_db_path(const char *option_value)
{
	if (option_value)
		return option_value;
	const char *env = getenv("KONTROLL_DB");
	return env && *env ? env : "./kontroll.db";
}

/* Why the store at path could not be opened (err), for the user; returns
 * the exit code. */
static int open_failed(const char *path, int err)
{
	if (err == KT_ENOTFOUND)
		cli_error("no store at %s (create one with: kontroll init --db %s)", path, path);
	else if (err == KT_EEXIST)
		cli_error("%s exists already; nothing written", path);
	else if (err == KT_ECORRUPT)
		cli_error("%s is damaged: the file is shorter than the data it holds "
			  "(a truncated copy?)",
			  path);
	else if (err == KT_EFORMAT)
		cli_error("%s is not a kontroll store of format %d", path, KT_STORE_FORMAT);
	else
		cli_error("cannot open %s: %s", path, kt_strerror(err));
	return cli_exit_for(err);
}

/* cli_open_store, and with durable 0 cli_open_bulk_store. */
static int open_store(const char *path, unsigned flags, int durable, kt_store **out)
{
	kt_store *s;
	if (!*path) {
		cli_error("--db: the store path is empty");
		return EXIT_INPUT;
	}
	int rc = kt_store_create(&s);
	if (!rc && !durable)
		rc = kt_store_set_durable(s, 0);
	if (!rc)
		rc = kt_store_open(s, path, flags);
	if (rc) {
		rc = open_failed(path, rc);
		kt_store_close(s);
		return rc;
	}
	*out = s;
	return EXIT_OK;
}

int cli_open_store(const char *path, unsigned flags, kt_store **out)
{
	return open_store(path, flags, 1, out);
}

int cli_open_bulk_store(const char *path, unsigned flags, kt_store **out)
{
	return open_store(path, flags, 0, out);
}

int cli_open_view_store(const char *db, kt_store **out)
{
	const char *path = cli_db_path(db);
	kt_store *s = NULL;
	int err = kt_store_create(&s);
	if (!err)
		err = kt_store_open(s, path, 0);
	if (!err) {
		*out = s;
		return EXIT_OK;
	}
	kt_store_close(s);
	if (err == EACCES || err == EROFS)
		return cli_open_store(path, KT_OPEN_READONLY, out);
	return cli_open_store(path, 0, out); /* fails again, with the message */
}

int cli_parse_u64(const char *value, uint64_t *out)
{
	if (!value || *value < '0' || *value > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(value, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_format(const char *value, int allow_csv, enum cli_format *out)
{
	if (strcmp(value, "table") == 0)
		*out = FORMAT_TABLE;
	else if (strcmp(value, "json") == 0)
		*out = FORMAT_JSON;
	else if (allow_csv && strcmp(value, "csv") == 0)
		*out = FORMAT_CSV;
	else {
		cli_error("--format: '%s' is not one of table, json%s", value,
			  allow_csv ? ", csv" : "");
		return -1;
	}
	return 0;
}

void cli_print_json(json_t *value)
{
	json_dumpf(value, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

void cli_new_event(struct kt_event *ev, const char *type, const char *actor,
		   const struct kt_buf *data, int64_t effective)
{
	memset(ev, 0, sizeof *ev);
	ev->type = type;
	ev->type_len = strlen(type);
	ev->actor = actor;
	ev->actor_len = strlen(actor);
	ev->data = data->data;
	ev->data_len = data->len;
	ev->effective = effective;
}

int cli_parse_json_object(const char *name, const char *value, json_t **out)
{
	json_error_t jerr;
	json_t *v = json_loads(value, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(v)) {
		cli_error("--%s: not a JSON object (%s)", name, v ? "another value" : jerr.text);
		json_decref(v);
		return EXIT_INPUT;
	}
	*out = v;
	return EXIT_OK;
}

const char *cli_payload_text(const json_t *payload, const char *field)
{
	return json_string_value(json_object_get(payload, field));
}

int cli_payload_set_text(json_t *payload, const char *field, const char *value)
{
	json_t *s = json_string(value);
	if (!s) {
		cli_error("%s: not valid UTF-8 text", field);
		return EXIT_INPUT;
	}
	json_object_set_new(payload, field, s);
	return EXIT_OK;
}

int cli_append_failed(int err, const char *name, const struct kt_append_result *res, uint64_t read)
{
	if (err == KT_EVERSION) {
		cli_error("%s was changed by someone else meanwhile (now at version %llu, read at "
			  "%llu); nothing written: look again and retry",
			  name, (unsigned long long)res->head_version, (unsigned long long)read);
		return EXIT_CONFLICT;
	}
	cli_error("%s; nothing written", kt_strerror(err));
	return cli_exit_for(err);
}

static int needs_quotes(const char *s, size_t len)
{
	for (size_t k = 0; k < len; k++)
		if (s[k] == ',' || s[k] == '"' || s[k] == '\r' || s[k] == '\n')
			return 1;
	return 0;
}

void cli_csv_field(const char *s, size_t len, char sep)
{
	if (needs_quotes(s, len)) {
		fputc('"', stdout);
		for (size_t k = 0; k < len; k++) {
			if (s[k] == '"')
				fputc('"', stdout);
			fputc(s[k], stdout);
		}
		fputc('"', stdout);
	} else {
		fwrite(s, 1, len, stdout);
	}
	if (sep)
		fputc(sep, stdout);
}

void cli_print_usage(const struct cli_command *cmd)
{
	fputs(cmd->usage, stdout);
}

void cli_progress_start(struct cli_progress *p, const char *what)
{
	p->what = what;
	p->start = kt_time_now();
	p->tty = isatty(STDERR_FILENO);
	p->shown = 0;
}

void cli_progress_report(void *ctx, uint64_t done, uint64_t total)
{
	struct cli_progress *p = ctx;
	if (!p->tty || !total || (!p->shown && kt_time_now() - p->start < KT_US_PER_SEC))
		return;
	p->shown = 1;
	fprintf(stderr, "\r%s: %3d%% (%llu of %llu events)", p->what, (int)(done * 100 / total),
		(unsigned long long)done, (unsigned long long)total);
}

kt_progress_fn cli_progress_fn(const struct cli_progress *p)
{
	return p->tty ? cli_progress_report : NULL;
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

void cli_event_table_header(const char *last)
{
	printf("%8s  %-19s  %-19s  %-24s %4s  %-24s %-18s %s\n", "POS", "RECORDED (UTC)",
	       "EFFECTIVE", "STREAM", "VER", "TYPE", "ACTOR", last);
}

/* A date alone when the time is midnight UTC, else to the second. */
static void table_time(int64_t us, char out[KT_TIME_TEXT_MAX])
{
	if (us % KT_US_PER_DAY == 0) {
		kt_time_format_date(us, out);
		return;
	}
	kt_time_format(us, out);
	out[10] = ' ';
	out[19] = 0;
}

void cli_event_table_columns(const struct kt_event *ev)
{
	char rec[KT_TIME_TEXT_MAX], eff[KT_TIME_TEXT_MAX];
	table_time(ev->recorded, rec);
	rec[19] = 0; /* recorded: always to the second */
	table_time(ev->effective, eff);
	printf("%8llu  %-19s  %-19s  %-24.*s %4llu  %-24.*s %-18.*s ",
	       (unsigned long long)ev->position, rec, eff, (int)ev->stream_len, ev->stream,
	       (unsigned long long)ev->version, (int)ev->type_len, ev->type, (int)ev->actor_len,
	       ev->actor);
}

void cli_event_csv_columns(const json_t *obj)
{
	static const char *const cols[] = { "position",	      "id",	     "stream",	  "version",
					    "type",	      "recorded",    "effective", "actor",
					    "correlation_id", "causation_id" };
	for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
		json_t *v = json_object_get(obj, cols[k]);
		char num[24];
		const char *text = json_is_string(v) ? json_string_value(v) : "";
		if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
			text = num;
		}
		cli_csv_field(text, strlen(text), ',');
	}
}

int cli_is_type(const struct kt_event *ev, const char *type)
{
	return ev->type_len == strlen(type) && memcmp(ev->type, type, ev->type_len) == 0;
}

int cli_event_redacted(const struct kt_event *ev, struct kt_buf *buf, struct kt_event *copy)
{
	kt_buf_reset(buf);
	int rc = kt_catalogue_redact(ev->type, ev->type_len, ev->data, ev->data_len, buf, NULL);
	*copy = *ev;
	copy->data = buf->data;
	copy->data_len = buf->len;
	return rc;
}

int64_t cli_day_start(int64_t us)
{
	return (us / KT_US_PER_DAY - (us % KT_US_PER_DAY < 0)) * KT_US_PER_DAY;
}

void cli_print_clipped(const char *s, size_t n, size_t max)
{
	int clipped = n > max;
	if (clipped) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t k = 0; k < n; k++)
		fputc((unsigned char)s[k] < 0x20 || s[k] == 0x7f ? ' ' : s[k], stdout);
	if (clipped)
		fputs("…", stdout);
}

int cli_encode_payload(const char *type, json_t *payload, struct kt_buf *data)
{
	char why[300];
	char *text = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int err = text ? kt_json_to_data(text, strlen(text), data, why, sizeof why) : KT_ENOMEM;
	free(text);
	if (err == KT_ETOOBIG) {
		cli_error("the payload is over the limit of %d bytes; nothing written",
			  KT_DATA_MAX);
		return EXIT_INPUT;
	}
	if (err == KT_ENOMEM) {
		cli_error("%s; nothing written", kt_strerror(err));
		return EXIT_FAILURE_STORE;
	}
	if (!err)
		err =
		    kt_catalogue_check(type, strlen(type), data->data, data->len, why, sizeof why);
	if (err) {
		cli_error("%s; nothing written", why);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}
