/*
 * cmd_export.c — the auditor's evidence: `kontroll export` writes the log as
 * an evidence file, `kontroll verify-export` checks one with no store at
 * all, and `kontroll import` rebuilds a store from one (the same chain) or
 * takes in events from another system (--new-events). The line format and
 * the checks are evidence.h's; the new events are read here.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "kontroll/catalogue.h"
#include "kontroll/error.h"
#include "kontroll/evidence.h"
#include "kontroll/id.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/schema.h"
#include "kontroll/seal.h"
#include "kontroll/utf8.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Progress and Ctrl-C are looked at every this many events. */
#define TICK_EVERY 4096

/* A kt_evidence_tick_fn for the commands: the progress line, and EINTR
 * once Ctrl-C was pressed. */
static int tick(void *ctx, uint64_t done, uint64_t total)
{
	if (done % TICK_EVERY)
		return 0;
	if (cli_interrupted)
		return EINTR;
	cli_progress_report(ctx, done, total);
	return 0;
}

/* path opened for reading ("-": standard input) into *out; EXIT_OK or the
 * exit code, printed. */
static int open_input(const char *path, FILE **out)
{
	if (strcmp(path, "-") == 0) {
		*out = stdin;
		return EXIT_OK;
	}
	if (!(*out = fopen(path, "rb"))) {
		cli_error("cannot open %s: %s", path, strerror(errno));
		return errno == ENOENT ? EXIT_NOTFOUND : EXIT_FAILURE_STORE;
	}
	return EXIT_OK;
}

static void close_input(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
}

static const char *input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : path;
}

/* The exit code of a failed check of the evidence file path, printed with
 * the line and problem of rep; tail ends the message ("" or "; nothing
 * written"). */
static int evidence_failed(int rc, const char *path, const struct kt_evidence_report *rep,
			   const char *tail)
{
	const char *tag = rc == KT_ECORRUPT ? "DAMAGED: " : rc == KT_ESEAL ? "SEAL BROKEN: " : "";
	if (rc == EINTR)
		cli_error("interrupted%s", tail);
	else if (rep->line)
		cli_error("%s%s line %llu: %s%s", tag, input_name(path),
			  (unsigned long long)rep->line, rep->problem, tail);
	else if (rep->problem[0])
		cli_error("%s%s%s", tag, rep->problem, tail);
	else
		cli_error("%s: %s%s", input_name(path), kt_strerror(rc), tail);
	if (rc == KT_ECORRUPT || rc == KT_ESEAL)
		return EXIT_DAMAGED;
	return rc == EINTR ? EXIT_FAILURE_STORE : cli_exit_for(rc);
}

/* ---- export ------------------------------------------------------------- */

static const char export_usage[] =
    "usage: kontroll export [--to POS] [--db PATH] > evidence.jsonl\n"
    "\n"
    "Write the log, every event up to position POS (default: the head), as\n"
    "evidence to standard output: one JSON object per line, a header first,\n"
    "then each event with its position, chain hash, readable fields and its\n"
    "exact envelope bytes (base64). The same log always gives the same bytes,\n"
    "so two exports can be compared with cmp. Seals are events and are\n"
    "exported with the rest. The store is opened read-only; the export is one\n"
    "snapshot, taken while others go on writing. docs/cli.md describes the\n"
    "line format; kontroll verify-export checks a file, kontroll import\n"
    "rebuilds a store from it.\n"
    "\n"
    "  --to POS    the last position to export (0: only the header)\n"
    "  --db PATH   the store file\n";

static int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "to", required_argument, NULL, 't' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL;
	uint64_t to = 0;
	int has_to = 0, c, rc;
	while ((c = cli_getopt(argc, argv, opts, export_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 't':
			if (cli_parse_u64(optarg, &to)) {
				cli_error("--to: '%s' is not a position (a whole number)", optarg);
				return EXIT_INPUT;
			}
			has_to = 1;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	kt_store *s;
	kt_reader *r = NULL;
	if ((rc = cli_open_store(cli_db_path(db), KT_OPEN_READONLY, &s)))
		return rc;
	int err = kt_reader_begin(s, &r);
	if (err) {
		cli_error("reading the log: %s", kt_strerror(err));
		rc = cli_exit_for(err);
		goto out;
	}
	if (!has_to)
		to = kt_reader_head(r);
	if (to > kt_reader_head(r)) {
		cli_error("--to: the log ends at position %llu; there is no position %llu",
			  (unsigned long long)kt_reader_head(r), (unsigned long long)to);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	static char outbuf[1 << 20];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	struct cli_progress progress;
	cli_progress_start(&progress, "exporting");
	err = kt_evidence_export(r, to, stdout, tick, &progress);
	cli_progress_end(&progress);
	if (err == EINTR)
		cli_error("interrupted; the output is cut off");
	else if (err == KT_ECORRUPT || err == KT_EMALFORMED)
		cli_error("an event of the log cannot be exported (%s); the output is cut off: "
			  "kontroll verify names damage",
			  kt_strerror(err));
	else if (err)
		cli_error("exporting: %s; the output is cut off", kt_strerror(err));
	rc = err == KT_ECORRUPT || err == KT_EMALFORMED ? EXIT_DAMAGED
	     : err					? EXIT_FAILURE_STORE
							: EXIT_OK;
out:
	kt_reader_end(r);
	kt_store_close(s);
	return rc;
}

/* ---- verify-export ------------------------------------------------------ */

static const char verify_export_usage[] =
    "usage: kontroll verify-export FILE [--pubkey FILE.pub]\n"
    "\n"
    "Check an evidence file of kontroll export with no store at all: every\n"
    "line well-formed, its readable fields those of its envelope, positions\n"
    "1, 2, 3, … without a gap, the hash chain recomputed from the envelopes\n"
    "equal to every line's hash, the header's count and head hash; and every\n"
    "seal in it: its signature, and that the position it pins, before its\n"
    "own, has the hash it sealed (which a rewrite with a recomputed chain\n"
    "cannot keep). FILE - reads standard input. Exits 0 when all holds, 3 for\n"
    "a malformed line and 6 for a damaged file or a broken seal, naming the\n"
    "line and the field.\n"
    "\n"
    "  --pubkey FILE.pub  the seals must be signed with this public key\n"
    "                     (kontroll keygen); without it each seal is checked\n"
    "                     against the key it carries, which proves nothing of\n"
    "                     who made it\n";

static int cmd_verify_export(int argc, char **argv)
{
	/* No --db: there is no store here. */
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' },
					      { "pubkey", required_argument, NULL, 'p' },
					      { 0, 0, 0, 0 } };
	const char *pubkey = NULL, *unused = NULL;
	uint8_t key[KT_SEAL_PUBLIC_LEN];
	int c, rc;
	while ((c = cli_getopt(argc, argv, opts, verify_export_usage, &unused)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'p':
			pubkey = optarg;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (optind + 1 != argc) {
		if (optind == argc)
			cli_error("FILE is required (see kontroll verify-export --help)");
		else
			cli_error("unexpected argument '%s'", argv[optind + 1]);
		return EXIT_USAGE;
	}
	const char *path = argv[optind];
	if (pubkey && (rc = cli_read_public_key(pubkey, key)))
		return rc;
	FILE *in;
	if ((rc = open_input(path, &in)))
		return rc;
	struct kt_evidence_report rep;
	struct cli_progress progress;
	cli_progress_start(&progress, "verifying");
	int err = kt_evidence_verify(in, pubkey ? key : NULL, tick, &progress, &rep);
	cli_progress_end(&progress);
	close_input(in);
	if (err)
		return evidence_failed(err, path, &rep, "");
	char hash[2 * KT_HASH_LEN + 1], at[KT_TIME_TEXT_MAX];
	sodium_bin2hex(hash, sizeof hash, rep.head_hash, KT_HASH_LEN);
	printf("ok: %llu event%s, chain head %s; ", (unsigned long long)rep.events,
	       rep.events == 1 ? "" : "s", hash);
	if (!rep.seals) {
		puts("no seals (nothing pins the log: a rewrite with a recomputed chain would "
		     "pass)");
		return EXIT_OK;
	}
	kt_time_format(rep.sealed_at, at);
	printf("%llu seal%s verified %s, the last pins position %llu (sealed %s)\n",
	       (unsigned long long)rep.seals, rep.seals == 1 ? "" : "s",
	       pubkey ? "against the public key given"
		      : "against the keys they carry (give --pubkey to check who signed)",
	       (unsigned long long)rep.sealed_position, at);
	return EXIT_OK;
}

/* ---- import of evidence ------------------------------------------------- */

/*
 * The store at db for the import of the file in: its map made at least as
 * large as the file, which is more than twice what its envelopes take in
 * the store, so that the one write transaction is not aborted and run
 * again each time the map doubles (docs/design.md, Growth). A larger map
 * is address space, not disk. When that open fails, the plain one reports
 * why.
 */
#define IMPORT_MAP_MIN (64 << 20) /* the map a store starts with */

static int open_for_import(const char *db, FILE *in, kt_store **out)
{
	struct stat st;
	kt_store *s;
	const char *path = cli_db_path(db);
	int rc = kt_store_create(&s);
	if (!rc && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > IMPORT_MAP_MIN)
		rc = kt_store_set_mapsize(s, (size_t)st.st_size);
	if (!rc && *path)
		rc = kt_store_open(s, path, 0);
	if (!rc && *path) {
		*out = s;
		return EXIT_OK;
	}
	kt_store_close(s);
	return cli_open_store(path, 0, out);
}

static int import_evidence(const char *path, const char *db)
{
	FILE *in;
	kt_store *s = NULL;
	int rc = open_input(path, &in);
	if (rc)
		return rc;
	if ((rc = open_for_import(db, in, &s)))
		goto out;
	struct kt_evidence_report rep;
	struct cli_progress progress;
	cli_progress_start(&progress, "checking");
	int err = kt_evidence_import(s, in, tick, &progress, &rep);
	cli_progress_end(&progress);
	if (err) {
		rc = evidence_failed(err, path, &rep, "; nothing written");
		goto out;
	}
	char hash[2 * KT_HASH_LEN + 1];
	sodium_bin2hex(hash, sizeof hash, rep.head_hash, KT_HASH_LEN);
	if (rep.events)
		printf("imported %llu event%s (positions 1–%llu), chain head %s\n",
		       (unsigned long long)rep.events, rep.events == 1 ? "" : "s",
		       (unsigned long long)rep.events, hash);
	else
		puts("imported 0 events: the export holds none");
	if (rep.seals)
		printf("%llu seal%s against the keys they carry (kontroll verify --pubkey "
		       "checks who signed)\n",
		       (unsigned long long)rep.seals, rep.seals == 1 ? " holds" : "s hold");
out:
	kt_store_close(s);
	close_input(in);
	return rc;
}

/* ---- import of new events ----------------------------------------------- */

/* Attempts of the whole import when other writers get in between. */
#define NEW_ATTEMPTS 5

/* One line of a --new-events file. Its texts (NUL-terminated) and its data
 * live in the file's arena: offsets while it is read, pointers after. */
struct new_event {
	uint64_t line;
	uint8_t id[16];
	int64_t effective; /* KT_TIME_UNSET when not given */
	size_t off[4], len[4];
	const char *text[3]; /* stream, type, actor */
	const uint8_t *data;
	uint64_t version;
	uint64_t stored_at; /* a stored event with this id and content; 0 */
};

enum { STREAM, TYPE, ACTOR, DATA };

struct new_events {
	struct new_event *ev;
	size_t n, cap;
	struct kt_buf arena;
	const char *path;
};

/* Print "PATH line N: message; nothing written" and return code. */
static int line_error(const struct new_events *all, uint64_t line, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int line_error(const struct new_events *all, uint64_t line, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cli_error("%s line %llu: %s; nothing written", input_name(all->path),
		  (unsigned long long)line, msg);
	return code;
}

/* Keep the n bytes at p (and a NUL) in the arena as part k of ev. */
static int keep(struct new_events *all, struct new_event *ev, int k, const void *p, size_t n)
{
	ev->off[k] = all->arena.len;
	ev->len[k] = n;
	if (kt_buf_append(&all->arena, p, n) || kt_buf_append(&all->arena, "", 1)) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	return EXIT_OK;
}

/* What is wrong with the stream or actor name of n bytes at s, into why:
 * empty, over max bytes, not UTF-8, or with a control character. 0 when
 * nothing is. */
static int name_problem(const char *s, size_t n, size_t max, char *why, size_t why_len)
{
	if (n == 0)
		return snprintf(why, why_len, "empty");
	if (n > max)
		return snprintf(why, why_len, "%zu bytes, over the limit of %zu", n, max);
	if (!kt_utf8_valid(s, n))
		return snprintf(why, why_len, "not valid UTF-8 text");
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
			return snprintf(why, why_len, "contains a control character");
	return 0;
}

/* The name v of field on line is a good stream or actor name. */
static int check_name(const struct new_events *all, uint64_t line, const char *field,
		      const json_t *v, size_t max)
{
	char why[80];
	if (name_problem(json_string_value(v), json_string_length(v), max, why, sizeof why))
		return line_error(all, line, EXIT_INPUT, "%s: %s", field, why);
	return EXIT_OK;
}

/* The payload of line, data, as msgpack checked against the catalogue's
 * schema of type, into the arena as part DATA of ev. */
static int keep_data(struct new_events *all, struct new_event *ev, const char *type,
		     const json_t *data, struct kt_buf *scratch)
{
	char why[300];
	char *text = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	kt_buf_reset(scratch);
	int err = text ? kt_json_to_data(text, strlen(text), scratch, why, sizeof why) : KT_ENOMEM;
	free(text);
	if (err == KT_ETOOBIG)
		return line_error(all, ev->line, EXIT_INPUT, "data: over the limit of %d bytes",
				  KT_DATA_MAX);
	if (err == KT_ENOMEM) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	if (err)
		return line_error(all, ev->line, EXIT_INPUT, "data: %s", why);
	size_t type_len = strlen(type);
	if (kt_catalogue_check(type, type_len, scratch->data, scratch->len, why, sizeof why))
		return line_error(all, ev->line, EXIT_INPUT, "%s%s",
				  kt_catalogue_schema(type, type_len) ? "data." : "", why);
	return keep(all, ev, DATA, scratch->data, scratch->len);
}

static int is_text(const char *s, size_t n, const char *text)
{
	return n == strlen(text) && memcmp(s, text, n) == 0;
}

/* The fields of the JSON object o, line number ev->line, into ev. */
static int read_new_event(struct new_events *all, struct new_event *ev, json_t *o,
			  const char *actor, struct kt_buf *scratch)
{
	static const char *const names[] = { "id", "stream", "type", "effective", "actor", "data" };
	json_t *id = json_object_get(o, "id"), *stream = json_object_get(o, "stream"),
	       *type = json_object_get(o, "type"), *eff = json_object_get(o, "effective"),
	       *who = json_object_get(o, "actor"), *data = json_object_get(o, "data");
	const char *key;
	json_t *v;
	char q[KT_SCHEMA_QUOTE_SIZE];
	int rc;
	json_object_foreach (o, key, v) {
		size_t k = 0;
		while (k < sizeof names / sizeof names[0] && strcmp(key, names[k]) != 0)
			k++;
		if (k == sizeof names / sizeof names[0])
			return line_error(all, ev->line, EXIT_INPUT,
					  "%s: unknown field (known: id, stream, type, effective, "
					  "actor, data)",
					  kt_schema_quote(q, key, strlen(key)));
	}
	if (id && (!json_is_string(id) || kt_id_parse(json_string_value(id), ev->id) ||
		   kt_id_is_nil(ev->id)))
		return line_error(all, ev->line, EXIT_INPUT, "id: not a UUID");
	if (!id && kt_id_generate(ev->id)) {
		cli_error("cannot make an event id");
		return EXIT_FAILURE_STORE;
	}
	if (!json_is_string(stream) || !json_is_string(type) || !json_is_object(data))
		return line_error(all, ev->line, EXIT_INPUT, "%s: %s",
				  !json_is_string(stream) ? "stream"
				  : !json_is_string(type) ? "type"
							  : "data",
				  !json_is_string(stream) || !json_is_string(type)
				      ? "required, a string"
				      : "required, a JSON object");
	if ((rc = check_name(all, ev->line, "stream", stream, KT_STREAM_MAX)))
		return rc;
	if (is_text(json_string_value(stream), json_string_length(stream), KT_SEAL_STREAM) ||
	    is_text(json_string_value(type), json_string_length(type), KT_EV_SEAL_RECORDED))
		return line_error(all, ev->line, EXIT_INPUT,
				  "seals are made by kontroll seal, not imported");
	ev->effective = KT_TIME_UNSET;
	if (eff && (!json_is_string(eff) || kt_time_parse(json_string_value(eff), &ev->effective)))
		return line_error(all, ev->line, EXIT_INPUT,
				  "effective: not a date or time (YYYY-MM-DD or "
				  "YYYY-MM-DDTHH:MM:SSZ)");
	if (who && !json_is_string(who))
		return line_error(all, ev->line, EXIT_INPUT, "actor: not a string");
	if (who && (rc = check_name(all, ev->line, "actor", who, KT_ACTOR_MAX)))
		return rc;
	const char *actor_text = who ? json_string_value(who) : actor;
	if ((rc = keep_data(all, ev, json_string_value(type), data, scratch)) ||
	    (rc = keep(all, ev, STREAM, json_string_value(stream), json_string_length(stream))) ||
	    (rc = keep(all, ev, TYPE, json_string_value(type), json_string_length(type))))
		return rc;
	return keep(all, ev, ACTOR, actor_text, strlen(actor_text));
}

/* The next line of in into line, its newline dropped: 1; 0 at the end;
 * KT_ETOOBIG past KT_EVIDENCE_LINE_MAX bytes (line's maximum). A last line
 * may lack its newline: other systems write files so. */
static int next_line(FILE *in, struct kt_buf *line)
{
	int ch;
	kt_buf_reset(line);
	while ((ch = getc(in)) != EOF && ch != '\n') {
		char byte = (char)ch;
		int err = kt_buf_append(line, &byte, 1);
		if (err)
			return err;
	}
	return ch != EOF || line->len;
}

/* Read every line of in into all; EXIT_OK or the exit code, printed. */
static int read_new_events(FILE *in, struct new_events *all, const char *actor)
{
	struct kt_buf scratch = KT_BUF_INIT(KT_DATA_MAX), line = KT_BUF_INIT(KT_EVIDENCE_LINE_MAX);
	uint64_t number = 0;
	int rc = EXIT_OK, got;
	while (!rc && (got = next_line(in, &line)) != 0) {
		number++;
		if (got < 0) {
			rc = got == KT_ETOOBIG
				 ? line_error(all, number, EXIT_INPUT, "longer than %d bytes",
					      KT_EVIDENCE_LINE_MAX)
				 : (cli_error("out of memory"), EXIT_FAILURE_STORE);
			break;
		}
		json_error_t jerr;
		json_t *o =
		    json_loadb((const char *)line.data, line.len, JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(o)) {
			rc = o ? line_error(all, number, EXIT_INPUT, "not a JSON object")
			       : line_error(all, number, EXIT_INPUT, "not JSON: %s (column %d)",
					    jerr.text, jerr.column);
			json_decref(o);
			break;
		}
		if (all->n == all->cap) {
			size_t ncap = all->cap ? 2 * all->cap : 1024;
			struct new_event *grown = realloc(all->ev, ncap * sizeof *grown);
			if (!grown) {
				json_decref(o);
				cli_error("out of memory");
				rc = EXIT_FAILURE_STORE;
				break;
			}
			all->ev = grown;
			all->cap = ncap;
		}
		struct new_event *ev = &all->ev[all->n++];
		memset(ev, 0, sizeof *ev);
		ev->line = number;
		rc = read_new_event(all, ev, o, actor, &scratch);
		json_decref(o);
	}
	if (!rc && ferror(in)) {
		cli_error("reading %s: %s", input_name(all->path), strerror(errno));
		rc = EXIT_FAILURE_STORE;
	}
	kt_buf_free(&line);
	kt_buf_free(&scratch);
	return rc;
}

static int by_id(const void *a, const void *b)
{
	const struct new_event *x = *(struct new_event *const *)a,
			       *y = *(struct new_event *const *)b;
	int c = memcmp(x->id, y->id, 16);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int by_stream(const void *a, const void *b)
{
	const struct new_event *x = *(struct new_event *const *)a,
			       *y = *(struct new_event *const *)b;
	int c = strcmp(x->text[STREAM], y->text[STREAM]);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Point every event at its texts in the arena; refuse an id given on two
 * lines. order gets the events sorted by stream, then line. */
static int settle(struct new_events *all, struct new_event **order)
{
	char id[KT_ID_TEXT_LEN + 1];
	for (size_t k = 0; k < all->n; k++) {
		struct new_event *ev = &all->ev[k];
		for (int t = STREAM; t <= ACTOR; t++)
			ev->text[t] = (const char *)all->arena.data + ev->off[t];
		ev->data = all->arena.data + ev->off[DATA];
		order[k] = ev;
	}
	qsort(order, all->n, sizeof *order, by_id);
	for (size_t k = 1; k < all->n; k++) {
		if (memcmp(order[k]->id, order[k - 1]->id, 16) == 0) {
			kt_id_format(order[k]->id, id);
			return line_error(all, order[k]->line, EXIT_INPUT,
					  "id: %s is on line %llu too", id,
					  (unsigned long long)order[k - 1]->line);
		}
	}
	qsort(order, all->n, sizeof *order, by_stream);
	return EXIT_OK;
}

/* ev as an event to compare with or to encode. */
static void to_event(const struct new_event *ev, struct kt_event *out)
{
	memset(out, 0, sizeof *out);
	memcpy(out->id, ev->id, 16);
	out->stream = ev->text[STREAM];
	out->stream_len = ev->len[STREAM];
	out->type = ev->text[TYPE];
	out->type_len = ev->len[TYPE];
	out->actor = ev->text[ACTOR];
	out->actor_len = ev->len[ACTOR];
	out->data = ev->data;
	out->data_len = ev->len[DATA];
	out->effective = ev->effective;
	out->version = ev->version;
}

/* From reader r: which events are stored already (same content: skipped;
 * other content: refused, printed), and each other one's stream version.
 * order is settle's. EXIT_OK or the exit code. */
static int plan(kt_reader *r, struct new_events *all, struct new_event **order)
{
	struct kt_event stored, mine;
	char id[KT_ID_TEXT_LEN + 1];
	int err;
	for (size_t k = 0; k < all->n; k++) {
		struct new_event *ev = &all->ev[k];
		ev->stored_at = 0;
		err = kt_reader_get_by_id(r, ev->id, &stored);
		if (err == KT_ENOTFOUND)
			continue;
		if (err)
			goto failed;
		to_event(ev, &mine);
		if (!kt_event_same_content(&stored, &mine)) {
			kt_id_format(ev->id, id);
			return line_error(all, ev->line, EXIT_CONFLICT,
					  "id: %s is stored already (position %llu) with other "
					  "content",
					  id, (unsigned long long)stored.position);
		}
		ev->stored_at = stored.position;
	}
	uint64_t version = 0;
	for (size_t k = 0; k < all->n; k++) {
		struct new_event *ev = order[k];
		if (k == 0 || strcmp(ev->text[STREAM], order[k - 1]->text[STREAM]) != 0)
			if ((err = kt_reader_stream_version(r, ev->text[STREAM], &version)))
				goto failed;
		if (!ev->stored_at)
			ev->version = ++version;
	}
	return EXIT_OK;
failed:
	cli_error("reading the store: %s; nothing written", kt_strerror(err));
	return cli_exit_for(err);
}

/* The envelopes of the events plan left to write, in file order, into
 * bytes (ends[k]: where the k-th ends; which[k]: its event), recorded at
 * recorded. Returns how many, or -1 (printed). */
static long encode_new(const struct new_events *all, int64_t recorded, struct kt_buf *bytes,
		       size_t *ends, const struct new_event **which)
{
	size_t n = 0;
	kt_buf_reset(bytes);
	for (size_t k = 0; k < all->n; k++) {
		const struct new_event *ev = &all->ev[k];
		struct kt_event e;
		if (ev->stored_at)
			continue;
		to_event(ev, &e);
		e.recorded = recorded;
		if (e.effective == KT_TIME_UNSET)
			e.effective = recorded;
		int err = kt_event_encode(&e, bytes);
		if (err) {
			line_error(all, ev->line, cli_exit_for(err), "%s", kt_strerror(err));
			return -1;
		}
		ends[n] = bytes->len;
		which[n++] = ev;
	}
	return (long)n;
}

/* The head's recorded time, or INT64_MIN for an empty log. */
static int head_recorded(kt_reader *r, int64_t *out)
{
	struct kt_event head;
	*out = INT64_MIN;
	if (!kt_reader_head(r))
		return KT_OK;
	int err = kt_reader_get(r, kt_reader_head(r), &head);
	if (!err)
		*out = head.recorded;
	return err;
}

/* One attempt: plan and encode from a fresh snapshot, then import. *again
 * is set when another writer got in between. EXIT_OK or the exit code. */
static int attempt(kt_store *s, struct new_events *all, struct new_event **order,
		   struct kt_buf *bytes, size_t *ends, const struct new_event **which,
		   struct kt_import_event *imp, int *again, struct kt_import_result *res)
{
	kt_reader *r;
	int64_t recorded;
	long n = 0;
	int err = kt_reader_begin(s, &r), rc;
	if (!err)
		err = head_recorded(r, &recorded);
	if (err) {
		kt_reader_end(r);
		cli_error("reading the store: %s; nothing written", kt_strerror(err));
		return cli_exit_for(err);
	}
	int64_t now = kt_time_now();
	rc = plan(r, all, order);
	if (!rc && (n = encode_new(all, now > recorded ? now : recorded, bytes, ends, which)) < 0)
		rc = EXIT_INPUT;
	kt_reader_end(r);
	memset(res, 0, sizeof *res);
	if (rc || n == 0)
		return rc;
	for (long k = 0; k < n; k++) {
		imp[k].envelope = bytes->data + (k ? ends[k - 1] : 0);
		imp[k].len = ends[k] - (k ? ends[k - 1] : 0);
		imp[k].hash = NULL;
	}
	err = kt_store_import(s, imp, (size_t)n, res);
	*again = err == KT_EVERSION || err == KT_EIDREUSED || err == KT_EDATE;
	if (!err || *again)
		return err ? EXIT_CONFLICT : EXIT_OK;
	if (res->problem[0])
		return line_error(all, which[res->failed]->line, cli_exit_for(err), "%s",
				  res->problem);
	cli_error("%s; nothing written", kt_strerror(err));
	return cli_exit_for(err);
}

static int import_new(const char *path, const char *db, const char *actor)
{
	struct new_events all = { NULL, 0, 0, KT_BUF_INIT(SIZE_MAX), path };
	struct kt_buf bytes = KT_BUF_INIT(SIZE_MAX);
	struct new_event **order = NULL;
	size_t *ends = NULL;
	const struct new_event **which = NULL;
	struct kt_import_event *imp = NULL;
	struct kt_import_result res;
	kt_store *s = NULL;
	FILE *in;
	int rc = open_input(path, &in);
	if (rc)
		return rc;
	if ((rc = read_new_events(in, &all, actor)))
		goto out;
	size_t n = all.n ? all.n : 1;
	order = malloc(n * sizeof *order);
	ends = malloc(n * sizeof *ends);
	which = malloc(n * sizeof *which);
	imp = malloc(n * sizeof *imp);
	if (!order || !ends || !which || !imp) {
		cli_error("out of memory");
		rc = EXIT_FAILURE_STORE;
		goto out;
	}
	if ((rc = settle(&all, order)) || (rc = cli_open_store(cli_db_path(db), 0, &s)))
		goto out;
	int again = 1;
	for (int k = 0; k < NEW_ATTEMPTS && again; k++) {
		again = 0;
		rc = attempt(s, &all, order, &bytes, ends, which, imp, &again, &res);
	}
	if (again) {
		cli_error("other writers kept changing the streams; tried %d times; nothing "
			  "written: run it again",
			  NEW_ATTEMPTS);
		goto out;
	}
	if (rc)
		goto out;
	size_t skipped = 0;
	for (size_t k = 0; k < all.n; k++)
		skipped += all.ev[k].stored_at != 0;
	if (res.last_position)
		printf("imported %llu new event%s (positions %llu–%llu); %zu skipped, stored "
		       "already with the same content\n",
		       (unsigned long long)(all.n - skipped), all.n - skipped == 1 ? "" : "s",
		       (unsigned long long)res.first_position,
		       (unsigned long long)res.last_position, skipped);
	else
		printf("imported 0 new events; %zu skipped, stored already with the same "
		       "content\n",
		       skipped);
out:
	kt_store_close(s);
	close_input(in);
	free(order);
	free(ends);
	free(which);
	free(imp);
	free(all.ev);
	kt_buf_free(&all.arena);
	kt_buf_free(&bytes);
	return rc;
}

/* ---- import ------------------------------------------------------------- */

static const char import_usage[] =
    "usage: kontroll import FILE [--db PATH]\n"
    "       kontroll import --new-events FILE [--actor NAME] [--db PATH]\n"
    "\n"
    "Rebuild a store from an evidence file of kontroll export: into an empty\n"
    "store (kontroll init), the same events at the same positions with the\n"
    "same envelopes, so the chain and its head hash are the export's and the\n"
    "seals still hold. The whole file is checked first, as verify-export\n"
    "checks it (seals against the keys they carry), and written in one\n"
    "transaction: a bad line is named with its field and nothing is written.\n"
    "\n"
    "With --new-events, take in events from another system instead, one JSON\n"
    "object per line: {\"id\" (optional UUID; a new one when absent), \"stream\",\n"
    "\"type\", \"effective\" (optional date or time; default: when recorded),\n"
    "\"actor\" (optional; default --actor), \"data\" (the payload)}. Every\n"
    "payload must pass the catalogue; the events get the next positions and\n"
    "stream versions, all in one transaction. A line whose id is stored\n"
    "already with the same content is skipped (so a rerun writes nothing\n"
    "again); with other content it is refused. FILE - reads standard input.\n"
    "\n"
    "  --new-events     FILE holds new events, not an export\n"
    "  --actor NAME     who records new events whose line names nobody\n"
    "                   (default $KONTROLL_ACTOR, else $USER)\n"
    "  --db PATH        the store file\n";

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "new-events", no_argument, NULL, 'n' },
					      { "actor", required_argument, NULL, 'a' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL, *actor = NULL;
	int new_events = 0, c;
	while ((c = cli_getopt(argc, argv, opts, import_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'n':
			new_events = 1;
			break;
		case 'a':
			actor = optarg;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (optind + 1 != argc) {
		if (optind == argc)
			cli_error("FILE is required (see kontroll import --help)");
		else
			cli_error("unexpected argument '%s'", argv[optind + 1]);
		return EXIT_USAGE;
	}
	if (actor && !new_events) {
		cli_error("--actor names who records new events: it needs --new-events (an "
			  "export keeps its own actors)");
		return EXIT_USAGE;
	}
	char why[80];
	actor = cli_actor(actor);
	if (name_problem(actor, strlen(actor), KT_ACTOR_MAX, why, sizeof why)) {
		cli_error("--actor: %s", why);
		return EXIT_INPUT;
	}
	return new_events ? import_new(argv[optind], db, actor) : import_evidence(argv[optind], db);
}

const struct cli_command cli_export_commands[] = {
	{ "export", "write the log as evidence: one JSON line per event, reproducible",
	  export_usage, cmd_export },
	{ "import", "rebuild a store from an export, or take in new events", import_usage,
	  cmd_import },
	{ "verify-export", "check an export's chain and seals with no store", verify_export_usage,
	  cmd_verify_export },
	{ NULL, NULL, NULL, NULL },
};
