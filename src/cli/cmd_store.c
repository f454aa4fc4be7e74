/*
 * cmd_store.c — the commands that work on the log itself: init, append,
 * log, info and verify.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/seal.h"
#include "kontroll/utf8.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* JSON text read for --data; far above anything KT_DATA_MAX can hold. */
#define DATA_TEXT_MAX (4 * KT_DATA_MAX)

/* ---- init ---- */

static const char init_usage[] =
    "usage: kontroll init [--db PATH]\n"
    "\n"
    "Create a new, empty store in the file PATH (default $KONTROLL_DB, else\n"
    "./kontroll.db; LMDB also keeps PATH-lock beside it) and print its store id.\n"
    "Fails when PATH exists already.\n"
    "\n"
    "  --db PATH   the store file\n";

static int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { 0, 0, 0, 0 } };
	const char *db = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts, init_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	kt_store *s;
	int rc = cli_open_store(cli_db_path(db), KT_OPEN_EXCL, &s);
	if (rc)
		return rc;
	struct kt_store_info info;
	int err = kt_store_info(s, &info);
	kt_store_close(s);
	if (err) {
		cli_error("%s", kt_strerror(err));
		return cli_exit_for(err);
	}
	char id[KT_ID_TEXT_LEN + 1];
	kt_id_format(info.store_id, id);
	puts(id);
	return EXIT_OK;
}

/* ---- append ---- */

static const char append_usage[] =
    "usage: kontroll append --stream S --type T --data JSON [options]\n"
    "\n"
    "Append one event to stream S and print its event id. Nothing is written\n"
    "when any value is invalid or the expected version does not match.\n"
    "\n"
    "  --stream S              the stream (aggregate), e.g. inspection-T-2025-007\n"
    "  --type T                the event type: letters, digits and . _ : -\n"
    "  --data JSON             the payload, one JSON object; @FILE reads it from\n"
    "                          FILE and - from standard input (at most 64 KiB\n"
    "                          once encoded)\n"
    "  --expected-version N    append only if the stream is at version N;\n"
    "                          'none' (or 0): only if the stream does not exist;\n"
    "                          'any' (the default): whatever its version\n"
    "  --effective DATE        when it happened: YYYY-MM-DD or\n"
    "                          YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]; default: now\n"
    "  --id UUID               the event id; appending the same id with the same\n"
    "                          content again is a no-op (default: a new id)\n"
    "  --actor NAME            who records it (default $KONTROLL_ACTOR, else $USER)\n"
    "  --correlation UUID      the id of the command or request this belongs to\n"
    "  --causation UUID        the id of the event that caused this one\n"
    "  --format table|json     json prints {\"id\", \"position\", \"version\", ...}\n"
    "  --db PATH               the store file\n";

/* Names users type must be short, printable, with no control characters. */
static int valid_name(const char *what, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0) {
		cli_error("%s must not be empty", what);
		return 0;
	}
	if (n > max) {
		cli_error("%s is %zu bytes, over the limit of %zu", what, n, max);
		return 0;
	}
	if (!kt_utf8_valid(s, n)) {
		cli_error("%s is not valid UTF-8 text", what);
		return 0;
	}
	for (size_t k = 0; k < n; k++) {
		if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f) {
			cli_error("%s contains a control character", what);
			return 0;
		}
	}
	return 1;
}

static int valid_type(const char *type)
{
	if (!valid_name("--type", type, KT_TYPE_MAX))
		return 0;
	for (const char *p = type; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._:-", *p))) {
			cli_error("--type: '%s' may hold only letters, digits and . _ : -", type);
			return 0;
		}
	}
	return 1;
}

/* Read all of f, at most DATA_TEXT_MAX bytes, into *text and *len. */
static int slurp(FILE *f, const char *name, char **text, size_t *len)
{
	char *buf = malloc(DATA_TEXT_MAX + 1);
	if (!buf) {
		cli_error("out of memory");
		return -1;
	}
	/* One byte more than the limit tells an over-long input from one that
	 * is exactly at it. */
	size_t n = fread(buf, 1, DATA_TEXT_MAX + 1, f);
	if (ferror(f)) {
		cli_error("--data: cannot read %s: %s", name, strerror(errno));
		free(buf);
		return -1;
	}
	if (n > DATA_TEXT_MAX) {
		cli_error("--data: %s is over the limit of %d bytes", name, DATA_TEXT_MAX);
		free(buf);
		return -1;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* The payload text named by --data: literal JSON, @FILE or - (stdin). */
static int data_text(const char *arg, char **text, size_t *len)
{
	if (strcmp(arg, "-") == 0)
		return slurp(stdin, "standard input", text, len);
	if (arg[0] != '@') {
		*len = strlen(arg);
		if (!(*text = strdup(arg))) {
			cli_error("out of memory");
			return -1;
		}
		return 0;
	}
	FILE *f = fopen(arg + 1, "rb");
	if (!f) {
		cli_error("--data: cannot open %s: %s", arg + 1, strerror(errno));
		return -1;
	}
	int rc = slurp(f, arg + 1, text, len);
	fclose(f);
	return rc;
}

static int parse_expected(const char *v, uint64_t *out)
{
	if (strcmp(v, "any") == 0) {
		*out = KT_VERSION_ANY;
		return 0;
	}
	if (strcmp(v, "none") == 0) {
		*out = KT_VERSION_NONE;
		return 0;
	}
	if (cli_parse_u64(v, out) || *out == KT_VERSION_ANY) {
		cli_error("--expected-version: '%s' is not a version (a number, any or none)", v);
		return -1;
	}
	return 0;
}

static int parse_id_option(const char *name, const char *v, uint8_t id[16])
{
	if (kt_id_parse(v, id)) {
		cli_error("%s: '%s' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", name, v);
		return -1;
	}
	if (kt_id_is_nil(id)) {
		cli_error("%s: the nil UUID is not an id", name);
		return -1;
	}
	return 0;
}

struct append_args {
	const char *db, *stream, *type, *data, *actor;
	uint64_t expected;
	struct kt_event ev;
	enum cli_format format;
};

static int parse_append(int argc, char **argv, struct append_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "stream", required_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ "expected-version", required_argument, NULL, 'v' },
		{ "effective", required_argument, NULL, 'e' },
		{ "id", required_argument, NULL, 'i' },
		{ "actor", required_argument, NULL, 'a' },
		{ "correlation", required_argument, NULL, 'c' },
		{ "causation", required_argument, NULL, 'C' },
		{ "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = cli_getopt(argc, argv, opts, append_usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case 's':
			a->stream = optarg;
			break;
		case 't':
			a->type = optarg;
			break;
		case 'd':
			a->data = optarg;
			break;
		case 'a':
			a->actor = optarg;
			break;
		case 'v':
			if (parse_expected(optarg, &a->expected))
				return EXIT_INPUT;
			break;
		case 'e':
			if (kt_time_parse(optarg, &a->ev.effective)) {
				cli_error("--effective: '%s' is not a valid date or time "
					  "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
					  optarg);
				return EXIT_INPUT;
			}
			break;
		case 'i':
			if (parse_id_option("--id", optarg, a->ev.id))
				return EXIT_INPUT;
			break;
		case 'c':
			if (parse_id_option("--correlation", optarg, a->ev.correlation))
				return EXIT_INPUT;
			break;
		case 'C':
			if (parse_id_option("--causation", optarg, a->ev.causation))
				return EXIT_INPUT;
			break;
		case 'f':
			if (cli_parse_format(optarg, 0, &a->format))
				return EXIT_INPUT;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	const char *missing = !a->stream ? "--stream"
			      : !a->type ? "--type"
			      : !a->data ? "--data"
					 : NULL;
	if (missing) {
		cli_error("%s is required (see kontroll append --help)", missing);
		return EXIT_USAGE;
	}
	if (!valid_name("--stream", a->stream, KT_STREAM_MAX) || !valid_type(a->type) ||
	    !valid_name("--actor", a->actor, KT_ACTOR_MAX))
		return EXIT_INPUT;
	return EXIT_OK;
}

static void print_appended(const struct append_args *a, const struct kt_append_result *res)
{
	char id[KT_ID_TEXT_LEN + 1];
	kt_id_format(a->ev.id, id);
	if (a->format == FORMAT_JSON) {
		json_t *o = json_pack("{s:s, s:I, s:s, s:I, s:b}", "id", id, "position",
				      (json_int_t)a->ev.position, "stream", a->stream, "version",
				      (json_int_t)a->ev.version, "duplicate", res->duplicate);
		if (o)
			cli_print_json(o);
		json_decref(o);
	} else {
		puts(id);
	}
	if (res->duplicate)
		cli_error("event %s is stored already at position %llu; nothing written", id,
			  (unsigned long long)a->ev.position);
}

static void report_append_error(int rc, const struct append_args *a,
				const struct kt_append_result *res)
{
	char id[KT_ID_TEXT_LEN + 1];
	switch (rc) {
	case KT_EVERSION:
		if (a->expected == KT_VERSION_NONE)
			cli_error("stream '%s' exists already (version %llu); nothing written",
				  a->stream, (unsigned long long)res->head_version);
		else
			cli_error("stream '%s' is at version %llu, not the expected %llu; "
				  "nothing written",
				  a->stream, (unsigned long long)res->head_version,
				  (unsigned long long)a->expected);
		break;
	case KT_EIDREUSED:
		kt_id_format(a->ev.id, id);
		cli_error("event id %s is stored already with other content; nothing written", id);
		break;
	default:
		cli_error("%s; nothing written", kt_strerror(rc));
	}
}

static int cmd_append(int argc, char **argv)
{
	struct append_args a = { .expected = KT_VERSION_ANY, .format = FORMAT_TABLE };
	a.ev.effective = KT_TIME_UNSET;
	a.actor = cli_actor(NULL);
	int rc = parse_append(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;

	char *text;
	size_t text_len;
	if (data_text(a.data, &text, &text_len))
		return EXIT_INPUT;
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	char why[200];
	int err = kt_json_to_data(text, text_len, &data, why, sizeof why);
	free(text);
	if (err == KT_ETOOBIG) {
		cli_error("--data: payload is over the limit of %d bytes once encoded; "
			  "nothing written",
			  KT_DATA_MAX);
		rc = EXIT_INPUT;
		goto out;
	}
	if (err) {
		cli_error("--data: invalid JSON: %s", why);
		rc = cli_exit_for(err);
		goto out;
	}

	kt_store *s;
	if ((rc = cli_open_store(cli_db_path(a.db), 0, &s)))
		goto out;
	a.ev.type = a.type;
	a.ev.type_len = strlen(a.type);
	a.ev.actor = a.actor;
	a.ev.actor_len = strlen(a.actor);
	a.ev.data = data.data;
	a.ev.data_len = data.len;
	struct kt_append_result res;
	err = kt_store_append(s, a.stream, a.expected, &a.ev, 1, &res);
	if (err) {
		report_append_error(err, &a, &res);
		rc = cli_exit_for(err);
	} else {
		print_appended(&a, &res);
	}
	kt_store_close(s);
out:
	kt_buf_free(&data);
	return rc;
}

/* ---- log ---- */

static const char log_usage[] =
    "usage: kontroll log [--stream S] [--from N] [--limit N] [--reverse]\n"
    "                    [--format table|json|csv] [--include-personal] [--db PATH]\n"
    "\n"
    "List events in log order: every event, or one stream's.\n"
    "\n"
    "  --stream S       only the events of stream S, in version order\n"
    "  --from N         start at log position N (with --stream: at version N)\n"
    "  --limit N        at most N events\n"
    "  --reverse        newest first (the whole log only)\n"
    "  --format F       table (default, for people), json (an array of event\n"
    "                   objects) or csv (a header line, then one row per event;\n"
    "                   data as JSON text)\n"
    "  --include-personal  csv: keep the fields the catalogue marks personal\n"
    "                   (free texts of incidents), which csv leaves out by default\n"
    "  --db PATH        the store file\n";

static const char LOG_CSV_HEADER[] =
    "position,id,stream,version,type,recorded,effective,actor,correlation_id,"
    "causation_id,data\n";

/* redact: a buffer for the payload without personal fields, or NULL to
 * print it whole. */
static int print_event(const struct kt_event *ev, enum cli_format format, uint64_t n,
		       struct kt_buf *redact)
{
	json_t *obj;
	struct kt_event copy;
	int rc = redact ? cli_event_redacted(ev, redact, &copy) : KT_OK;
	if (rc)
		return rc;
	if (redact)
		ev = &copy;
	rc = kt_event_to_json(ev, &obj);
	if (rc)
		return rc;
	if (format == FORMAT_JSON) {
		fputs(n == 0 ? "[\n" : ",\n", stdout);
		json_dumpf(obj, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(obj);
		return KT_OK;
	}
	char *data = json_dumps(json_object_get(obj, "data"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!data) {
		json_decref(obj);
		return KT_ENOMEM;
	}
	if (format == FORMAT_CSV) {
		cli_event_csv_columns(obj);
		cli_csv_field(data, strlen(data), 0);
		fputc('\n', stdout);
	} else {
		cli_event_table_columns(ev);
		cli_print_clipped(data, strlen(data), 60);
		fputc('\n', stdout);
	}
	free(data);
	json_decref(obj);
	return KT_OK;
}

struct log_args {
	const char *db, *stream;
	uint64_t from, limit;
	int reverse, include_personal;
	enum cli_format format;
};

static int parse_log(int argc, char **argv, struct log_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "stream", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'F' },
		{ "limit", required_argument, NULL, 'l' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "include-personal", no_argument, NULL, 'P' },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = cli_getopt(argc, argv, opts, log_usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case 'P':
			a->include_personal = 1;
			break;
		case 's':
			a->stream = optarg;
			break;
		case 'r':
			a->reverse = 1;
			break;
		case 'F':
		case 'l':
			if (cli_parse_u64(optarg, c == 'F' ? &a->from : &a->limit)) {
				cli_error("--%s: '%s' is not a whole number",
					  c == 'F' ? "from" : "limit", optarg);
				return EXIT_INPUT;
			}
			break;
		case 'f':
			if (cli_parse_format(optarg, 1, &a->format))
				return EXIT_INPUT;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (a->stream && a->reverse) {
		cli_error("--reverse lists the whole log only; drop --stream or --reverse");
		return EXIT_USAGE;
	}
	if (a->stream && !valid_name("--stream", a->stream, KT_STREAM_MAX))
		return EXIT_INPUT;
	return EXIT_OK;
}

static int cmd_log(int argc, char **argv)
{
	struct log_args a = { .format = FORMAT_TABLE, .limit = UINT64_MAX };
	int rc = parse_log(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	kt_store *s;
	if ((rc = cli_open_store(cli_db_path(a.db), KT_OPEN_READONLY, &s)))
		return rc;
	kt_reader *r = NULL;
	kt_iter *it = NULL;
	struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
	int err = kt_reader_begin(s, &r);
	if (!err)
		err = a.stream ? kt_iter_stream(r, a.stream, a.from, &it)
			       : kt_iter_log(r, a.from, a.reverse, &it);
	if (err)
		goto out;

	if (a.format == FORMAT_CSV)
		fputs(LOG_CSV_HEADER, stdout);
	else if (a.format == FORMAT_TABLE)
		cli_event_table_header("DATA");
	uint64_t n = 0;
	struct kt_event ev;
	/* CSV leaves out personal data unless asked: it is what gets exported. */
	int redact = a.format == FORMAT_CSV && !a.include_personal;
	while (n < a.limit && !cli_interrupted && (err = kt_iter_next(it, &ev)) == 0) {
		if ((err = print_event(&ev, a.format, n, redact ? &buf : NULL)))
			break;
		n++;
	}
	if (err == KT_ENOTFOUND)
		err = KT_OK;
	if (a.format == FORMAT_JSON)
		fputs(n ? "\n]\n" : "[]\n", stdout);
out:
	if (err)
		cli_error("reading the log: %s", kt_strerror(err));
	else if (cli_interrupted)
		cli_error("interrupted");
	kt_buf_free(&buf);
	kt_iter_free(it);
	kt_reader_end(r);
	kt_store_close(s);
	return err ? cli_exit_for(err) : cli_interrupted ? EXIT_FAILURE_STORE : EXIT_OK;
}

/* ---- info ---- */

static const char info_usage[] =
    "usage: kontroll info [--format table|json] [--db PATH]\n"
    "\n"
    "Show the store's events, streams, head position, chain head hash, size on\n"
    "disk and format version.\n";

static int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "format", required_argument, NULL, 'f' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL;
	enum cli_format format = FORMAT_TABLE;
	int c;
	while ((c = cli_getopt(argc, argv, opts, info_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'f':
			if (cli_parse_format(optarg, 0, &format))
				return EXIT_INPUT;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	kt_store *s;
	const char *path = cli_db_path(db);
	int rc = cli_open_store(path, KT_OPEN_READONLY, &s);
	if (rc)
		return rc;
	struct kt_store_info info;
	int err = kt_store_info(s, &info);
	kt_store_close(s);
	if (err) {
		cli_error("%s", kt_strerror(err));
		return cli_exit_for(err);
	}
	char id[KT_ID_TEXT_LEN + 1], hash[65], last[KT_TIME_TEXT_MAX] = "-";
	kt_id_format(info.store_id, id);
	sodium_bin2hex(hash, sizeof hash, info.head_hash, sizeof info.head_hash);
	if (info.events)
		kt_time_format(info.last_recorded, last);
	if (format == FORMAT_JSON) {
		json_t *o = json_pack(
		    "{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:I}", "store", path, "store_id",
		    id, "format", (json_int_t)info.format, "events", (json_int_t)info.events,
		    "streams", (json_int_t)info.streams, "head", (json_int_t)info.head,
		    "last_recorded", last, "chain_head", hash, "file_bytes",
		    (json_int_t)info.file_bytes, "map_bytes", (json_int_t)info.map_bytes);
		if (o)
			cli_print_json(o);
		json_decref(o);
		return EXIT_OK;
	}
	printf("store          %s\n", path);
	printf("store id       %s\n", id);
	printf("format         %llu\n", (unsigned long long)info.format);
	printf("events         %llu\n", (unsigned long long)info.events);
	printf("streams        %llu\n", (unsigned long long)info.streams);
	printf("head position  %llu\n", (unsigned long long)info.head);
	printf("last recorded  %s\n", last);
	printf("chain head     %s\n", hash);
	printf("size on disk   %.1f MiB (%llu bytes)\n", info.file_bytes / 1048576.0,
	       (unsigned long long)info.file_bytes);
	printf("map size       %.1f MiB\n", info.map_bytes / 1048576.0);
	return EXIT_OK;
}

/* ---- verify ---- */

static const char verify_usage[] =
    "usage: kontroll verify [--pubkey FILE.pub] [--seal TEXT] [--format table|json] [--db PATH]\n"
    "\n"
    "Recompute the hash chain over the whole log and check every index (streams,\n"
    "heads, ids) against it, entry by entry; then check every seal in the log:\n"
    "its signature, and that the chain hash at the position it seals is still\n"
    "the one sealed. Exits 0 when all holds and 6 naming the first bad position\n"
    "when not. Works while others write.\n"
    "\n"
    "  --pubkey FILE.pub  check that the seals were signed with this public key\n"
    "                     (kontroll keygen); without it each seal is checked\n"
    "                     against the key it carries, which proves nothing of\n"
    "                     who made it\n"
    "  --seal TEXT        also check this seal, as kontroll seal printed it (one\n"
    "                     written down or mailed elsewhere), against the store\n"
    "  --format F         table (default) or json\n";

/* What verify found, for the output. */
struct verify_result {
	struct kt_verify_report chain;
	struct kt_seal_report seals;
	int seals_checked; /* the chain held, so the seals were checked */
	int given;	   /* a --seal was given */
	char given_problem[200];
	char hash[2 * KT_HASH_LEN + 1];
	int damaged;
};

static void print_verify_json(const struct verify_result *v)
{
	char at[KT_TIME_TEXT_MAX] = "";
	if (v->seals.last_position)
		kt_time_format(v->seals.last_sealed_at, at);
	json_t *o = json_pack(
	    "{s:b, s:I, s:I, s:I, s:s, s:s, s:I, s:I, s:s?, s:I, s:s, s:o, s:s?}", "ok",
	    !v->damaged, "events", (json_int_t)v->chain.events, "streams",
	    (json_int_t)v->chain.streams, "first_bad", (json_int_t)v->chain.first_bad, "problem",
	    v->chain.problem, "chain_head", v->hash, "seals", (json_int_t)v->seals.seals,
	    "sealed_position", (json_int_t)v->seals.last_position, "sealed_at", *at ? at : NULL,
	    "seal_bad_position", (json_int_t)v->seals.bad_event, "seal_problem", v->seals.problem,
	    "seal_given", v->given ? json_boolean(!v->given_problem[0]) : json_null(),
	    "seal_given_problem", v->given_problem[0] ? v->given_problem : NULL);
	if (o)
		cli_print_json(o);
	json_decref(o);
}

static void print_verify_table(const struct verify_result *v, const char *pubkey)
{
	const struct kt_verify_report *rep = &v->chain;
	printf("ok: %llu event%s in %llu stream%s; hash chain and indexes agree with the "
	       "log\nchain head %s\n",
	       (unsigned long long)rep->events, rep->events == 1 ? "" : "s",
	       (unsigned long long)rep->streams, rep->streams == 1 ? "" : "s", v->hash);
	if (v->seals.seals) {
		char at[KT_TIME_TEXT_MAX];
		kt_time_format(v->seals.last_sealed_at, at);
		printf("seals: %llu verified %s; the last pins position %llu (sealed %s)\n",
		       (unsigned long long)v->seals.seals,
		       pubkey ? "against the public key given"
			      : "against the keys they carry (give --pubkey to check who signed)",
		       (unsigned long long)v->seals.last_position, at);
	} else {
		puts("seals: none (kontroll seal makes one)");
	}
	if (v->given)
		puts("the seal given holds: the log up to its position is the one it sealed");
}

/* The chain hash at position (the last one verified, while others may have
 * appended since) as hex into out; "" for an empty store. */
static int chain_hash_at(kt_store *s, uint64_t position, char out[2 * KT_HASH_LEN + 1])
{
	kt_reader *r;
	struct kt_event ev;
	struct kt_raw_event raw;
	out[0] = 0;
	if (!position)
		return KT_OK;
	int err = kt_reader_begin(s, &r);
	if (err)
		return err;
	if (!(err = kt_reader_get_raw(r, position, &ev, &raw)))
		sodium_bin2hex(out, 2 * KT_HASH_LEN + 1, raw.hash, KT_HASH_LEN);
	kt_reader_end(r);
	return err;
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "format", required_argument, NULL, 'f' },
					      { "pubkey", required_argument, NULL, 'p' },
					      { "seal", required_argument, NULL, 's' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL, *pubkey = NULL, *seal_text = NULL;
	enum cli_format format = FORMAT_TABLE;
	uint8_t key[KT_SEAL_PUBLIC_LEN];
	struct kt_seal given;
	int c, rc;
	while ((c = cli_getopt(argc, argv, opts, verify_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'f':
			if (cli_parse_format(optarg, 0, &format))
				return EXIT_INPUT;
			break;
		case 'p':
			pubkey = optarg;
			break;
		case 's':
			seal_text = optarg;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (pubkey && (rc = cli_read_public_key(pubkey, key)))
		return rc;
	if (seal_text && kt_seal_parse(seal_text, &given)) {
		cli_error("--seal: not a seal as kontroll seal prints it (kontroll-seal v1 "
			  "position=… hash=… sealed=… key=… signature=…)");
		return EXIT_INPUT;
	}
	kt_store *s;
	if ((rc = cli_open_store(cli_db_path(db), KT_OPEN_READONLY, &s)))
		return rc;
	struct verify_result v;
	memset(&v, 0, sizeof v);
	v.given = seal_text != NULL;
	struct cli_progress progress;
	cli_progress_start(&progress, "verifying");
	int err = kt_store_verify(s, &v.chain, cli_progress_fn(&progress), &progress);
	cli_progress_end(&progress);
	if (!err && !(err = chain_hash_at(s, v.chain.events, v.hash))) {
		/* The seals are checked against a sound chain only: the chain's
		 * own damage is named first and is what matters. Only the seals
		 * among the events verified count: others may have appended
		 * (seals too) since the chain's snapshot. */
		v.seals_checked = 1;
		err = kt_seals_verify_until(s, pubkey ? key : NULL, v.chain.events, &v.seals);
		if (!err && v.given)
			err = kt_seal_check_store(s, &given, pubkey ? key : NULL, v.given_problem,
						  sizeof v.given_problem);
	}
	kt_store_close(s);
	if (err && err != KT_ECORRUPT && err != KT_ESEAL) {
		cli_error("%s", kt_strerror(err));
		return cli_exit_for(err);
	}
	v.damaged = err != 0;
	if (format == FORMAT_JSON)
		print_verify_json(&v);
	else if (!v.damaged)
		print_verify_table(&v, pubkey);
	if (!v.damaged)
		return EXIT_OK;
	if (err == KT_ECORRUPT && v.chain.first_bad)
		cli_error("DAMAGED at position %llu: %s", (unsigned long long)v.chain.first_bad,
			  v.chain.problem);
	else if (err == KT_ECORRUPT)
		cli_error("DAMAGED: %s", v.chain.problem);
	else if (v.seals.problem[0])
		cli_error("SEAL BROKEN: %s", v.seals.problem);
	else
		cli_error("SEAL BROKEN: the seal given: %s", v.given_problem);
	return EXIT_DAMAGED;
}

const struct cli_command cli_store_commands[] = {
	{ "init", "create a new, empty store", init_usage, cmd_init },
	{ "append", "append one event to a stream", append_usage, cmd_append },
	{ "log", "list events in log or stream order", log_usage, cmd_log },
	{ "info", "show counts, head, chain hash and size of the store", info_usage, cmd_info },
	{ "verify", "check the hash chain, every index and every seal against the log",
	  verify_usage, cmd_verify },
	{ NULL, NULL, NULL, NULL },
};
