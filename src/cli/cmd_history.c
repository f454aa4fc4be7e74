/*
 * cmd_history.c — `kontroll history`: every event of the log or of one
 * stream, in log order, with both time axes, and each correction or
 * retraction shown against the event it concerns.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "goal_cli.h"
#include "incident_cli.h"
#include "inspection_cli.h"
#include "revision.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"

#include <stdlib.h>
#include <string.h>

static const char history_usage[] =
    "usage: kontroll history [--stream S | --inspection ID | --incident ID |\n"
    "                         --goal ID] [--from TIME] [--to TIME] [--actor A]\n"
    "                        [--type T] [--format table|json|csv]\n"
    "                        [--include-personal] [--db PATH]\n"
    "\n"
    "Every event in log order with its recorded and effective time, actor and\n"
    "data; a correction or retraction is shown against the event it concerns,\n"
    "and an event corrected or retracted later is marked.\n"
    "\n"
    "  --stream S        only the events of stream S\n"
    "  --inspection ID   only the events of one inspection: its case number\n"
    "                    (T-2025-007), stream, or a prefix of its id\n"
    "  --incident ID     only the events of one incident: its number\n"
    "                    (H-2025-00042, or 2025-42) or stream\n"
    "  --goal ID         only the events of one goal: its number (M-2025-012, or\n"
    "                    2025-12), stream, or a prefix of its id\n"
    "  --from TIME       recorded at or after TIME (YYYY-MM-DD: from the start of\n"
    "                    that day, UTC; or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])\n"
    "  --to TIME         recorded at or before TIME (a date alone: to the end of\n"
    "                    that day)\n"
    "  --actor A         only events recorded by A (exact)\n"
    "  --type T          only events of type T (exact), or of a family when T\n"
    "                    ends in '.' (order. lists order.issued, order.fulfilled …)\n"
    "  --format F        table (default), json (an array of event objects with\n"
    "                    corrects, retracts, corrected_by, retracted_by) or csv\n"
    "  --include-personal  csv: keep the fields the catalogue marks personal (free\n"
    "                    texts of incidents), which csv leaves out by default\n"
    "  --db PATH         the store file\n"
    "\n"
    "Corrections and retractions found in the selected range mark their targets.\n"
    "--stream, --inspection, --incident and --goal exclude each other.\n";

static const char HISTORY_CSV_HEADER[] =
    "position,id,stream,version,type,recorded,effective,actor,correlation_id,"
    "causation_id,data,corrects_id,retracts_id,corrected_by,retracted_by\n";

static const char CORRECTED[] = "event.corrected";
static const char RETRACTED[] = "event.retracted";

/* Table clipping of one summary, in bytes. */
#define SUMMARY_MAX 60

struct history_args {
	const char *db, *stream, *inspection, *incident, *goal, *actor, *type;
	int64_t from, to;
	int has_from, has_to;
	int include_personal;
	enum cli_format format;
};

/* One correction or retraction seen in the range: what it concerns. */
struct mark {
	uint8_t target[16];
	uint64_t position; /* of the correction or retraction */
	int retract;
};

struct marks {
	struct mark *items;
	size_t n, cap;
};

/* What a correction or retraction says about its target. */
struct target_info {
	int is_correction, is_retraction;
	char id[KT_ID_TEXT_LEN + 1];
	const char *type, *reason;
	size_t type_len, reason_len;
	uint64_t position; /* 0 when not found */
};

static int parse_history(int argc, char **argv, struct history_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "stream", required_argument, NULL, 's' },
		{ "inspection", required_argument, NULL, 'i' },
		{ "incident", required_argument, NULL, 'I' },
		{ "goal", required_argument, NULL, 'g' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "actor", required_argument, NULL, 'a' },
		{ "type", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "include-personal", no_argument, NULL, 'P' },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = cli_getopt(argc, argv, opts, history_usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case 's':
			a->stream = optarg;
			break;
		case 'i':
			a->inspection = optarg;
			break;
		case 'I':
			a->incident = optarg;
			break;
		case 'g':
			a->goal = optarg;
			break;
		case 'a':
			a->actor = optarg;
			break;
		case 't':
			a->type = optarg;
			break;
		case 'F':
			if (cli_parse_time("--from", optarg, &a->from))
				return EXIT_INPUT;
			a->has_from = 1;
			break;
		case 'T':
			if (cli_parse_moment("--to", optarg, &a->to))
				return EXIT_INPUT;
			a->has_to = 1;
			break;
		case 'f':
			if (cli_parse_format(optarg, 1, &a->format))
				return EXIT_INPUT;
			break;
		case 'P':
			a->include_personal = 1;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	const char *const given[] = { a->stream, a->inspection, a->incident, a->goal };
	static const char *const names[] = { "--stream", "--inspection", "--incident", "--goal" };
	const char *first = NULL;
	for (size_t k = 0; k < sizeof given / sizeof given[0]; k++) {
		if (!given[k])
			continue;
		if (first) {
			cli_error("%s and %s both choose the stream; give one", first, names[k]);
			return EXIT_USAGE;
		}
		first = names[k];
	}
	if (a->stream && !*a->stream) {
		cli_error("--stream must not be empty");
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* prefix ‖ name as a new string in *out; EXIT_OK or EXIT_FAILURE_STORE
 * (printed). */
static int stream_name(const char *prefix, const char *name, char **out)
{
	size_t p = strlen(prefix), n = strlen(name);
	if (!(*out = malloc(p + n + 1))) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	memcpy(*out, prefix, p);
	memcpy(*out + p, name, n + 1);
	return EXIT_OK;
}

/* The stream of the inspection named by text, as a new string in *out. */
static int inspection_stream(kt_store *s, const char *text, char **out)
{
	struct cli_moment now = CLI_MOMENT_NOW;
	struct kt_inspections model;
	int rc = cli_load_inspections(s, &now, &model);
	if (rc)
		return rc;
	const struct kt_inspection *in;
	rc = cli_find_inspection(&model, text, &in);
	if (!rc)
		rc = stream_name("", in->stream, out);
	kt_inspections_free(&model);
	return rc;
}

/* The stream of the incident named by text, as a new string in *out. */
static int incident_stream(kt_store *s, const char *text, char **out)
{
	struct cli_moment now = CLI_MOMENT_NOW;
	struct kt_incidents model;
	int rc = cli_load_incidents(s, &now, &model);
	if (rc)
		return rc;
	const struct kt_incident *in;
	rc = cli_find_incident(&model, text, &in);
	if (!rc)
		rc = stream_name(KT_INCIDENT_STREAM_PREFIX, in->number, out);
	kt_incidents_free(&model);
	return rc;
}

/* The stream of the goal named by text, as a new string in *out. */
static int goal_stream(kt_store *s, const char *text, char **out)
{
	struct cli_moment now = CLI_MOMENT_NOW;
	struct kt_goals model;
	int rc = cli_load_goals(s, &now, &model);
	if (rc)
		return rc;
	const struct kt_goal *g;
	rc = cli_find_goal(&model, text, &g);
	if (!rc)
		rc = stream_name(KT_GOAL_STREAM_PREFIX, g->number, out);
	kt_goals_free(&model);
	return rc;
}

/* The stream an aggregate option names, into *out (NULL when none does). */
static int chosen_stream(kt_store *s, const struct history_args *a, char **out)
{
	*out = NULL;
	if (a->inspection)
		return inspection_stream(s, a->inspection, out);
	if (a->incident)
		return incident_stream(s, a->incident, out);
	if (a->goal)
		return goal_stream(s, a->goal, out);
	return EXIT_OK;
}

/* The positions [*lo, *hi] recorded within --from and --to; *lo > *hi when
 * none are. */
static int position_range(kt_reader *r, const struct history_args *a, uint64_t *lo, uint64_t *hi)
{
	int err = KT_OK;
	*lo = 1;
	*hi = kt_reader_head(r);
	if (a->has_from && (err = kt_reader_position_at(r, a->from - 1, lo)) == KT_OK)
		++*lo;
	if (!err && a->has_to)
		err = kt_reader_position_at(r, a->to, hi);
	return err;
}

static int open_range(kt_reader *r, const char *stream, uint64_t lo, kt_iter **it)
{
	return stream ? kt_iter_stream(r, stream, 0, it) : kt_iter_log(r, lo, 0, it);
}

/* The next event of the iterator within [lo, hi]; KT_ENOTFOUND past it. */
static int range_next(kt_iter *it, uint64_t lo, uint64_t hi, struct kt_event *ev)
{
	int err;
	while ((err = kt_iter_next(it, ev)) == KT_OK && ev->position < lo)
		;
	if (!err && ev->position > hi)
		err = KT_ENOTFOUND;
	return err;
}

static int add_mark(struct marks *m, const uint8_t target[16], uint64_t position, int retract)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		struct mark *items = realloc(m->items, cap * sizeof *items);
		if (!items)
			return KT_ENOMEM;
		m->items = items;
		m->cap = cap;
	}
	memcpy(m->items[m->n].target, target, 16);
	m->items[m->n].position = position;
	m->items[m->n].retract = retract;
	m->n++;
	return KT_OK;
}

static int compare_marks(const void *pa, const void *pb)
{
	const struct mark *a = pa, *b = pb;
	int c = memcmp(a->target, b->target, 16);
	if (c)
		return c;
	return a->position < b->position ? -1 : a->position > b->position;
}

/* Pass one: every correction and retraction in the range, sorted by target. */
static int collect_marks(kt_reader *r, const char *stream, uint64_t lo, uint64_t hi,
			 struct marks *m)
{
	kt_iter *it = NULL;
	int err = open_range(r, stream, lo, &it);
	struct kt_event ev;
	while (!err && !cli_interrupted && (err = range_next(it, lo, hi, &ev)) == KT_OK) {
		int retract = cli_is_type(&ev, RETRACTED);
		uint8_t id[16];
		char text[KT_ID_TEXT_LEN + 1];
		if ((retract || cli_is_type(&ev, CORRECTED)) &&
		    cli_revision_target(&ev, id, text) == 0)
			err = add_mark(m, id, ev.position, retract);
	}
	if (err == KT_ENOTFOUND)
		err = KT_OK;
	kt_iter_free(it);
	if (!err && m->n)
		qsort(m->items, m->n, sizeof *m->items, compare_marks);
	return err;
}

/* The first mark whose target is id, or m->n. */
static size_t first_mark(const struct marks *m, const uint8_t id[16])
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(m->items[mid].target, id, 16) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Fill *t when ev is a correction or retraction: its target, resolved to a
 * position by id (also when it lies outside the range). */
static int describe_target(kt_reader *r, const struct kt_event *ev, struct target_info *t)
{
	memset(t, 0, sizeof *t);
	t->is_retraction = cli_is_type(ev, RETRACTED);
	t->is_correction = cli_is_type(ev, CORRECTED);
	if (!t->is_correction && !t->is_retraction)
		return KT_OK;
	uint8_t id[16];
	if (cli_revision_target(ev, id, t->id) == 0) {
		struct kt_event target;
		int err = kt_reader_get_by_id(r, id, &target);
		if (err && err != KT_ENOTFOUND)
			return err;
		if (!err)
			t->position = target.position;
	}
	if (kt_data_get_str(ev->data, ev->data_len, "target_type", &t->type, &t->type_len))
		t->type_len = 0;
	if (kt_data_get_str(ev->data, ev->data_len, "reason", &t->reason, &t->reason_len))
		t->reason_len = 0;
	return KT_OK;
}

/* The table's summary of an ordinary payload: its labels and its text, or
 * its JSON. */
static void print_payload_summary(const struct kt_event *ev, const char *json)
{
	static const char *const labels[] = { "order", "finding" };
	/* theme: an inspection.opened has no text of its own */
	static const char *const texts[] = { "text", "reason", "to", "theme" };
	const char *s, *text = NULL;
	size_t n, text_len = 0, shown = 0;
	for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
		if (kt_data_get_str(ev->data, ev->data_len, labels[k], &s, &n) == KT_OK) {
			fputs(shown ? " " : "", stdout);
			cli_print_clipped(s, n, 16);
			shown++;
		}
	}
	for (size_t k = 0; !text && k < sizeof texts / sizeof texts[0]; k++)
		if (kt_data_get_str(ev->data, ev->data_len, texts[k], &s, &n) == KT_OK) {
			text = s;
			text_len = n;
		}
	if (text) {
		fputs(shown ? ": " : "", stdout);
		cli_print_clipped(text, text_len, SUMMARY_MAX);
	} else if (!shown) {
		cli_print_clipped(json, strlen(json), SUMMARY_MAX);
	}
}

/* " [corrected at 7, 9; retracted at 12]" for the marks on ev, if any. */
static void print_marks(const struct marks *m, size_t first, const struct kt_event *ev)
{
	int opened = 0;
	for (int retract = 0; retract < 2; retract++) {
		int listed = 0;
		for (size_t k = first; k < m->n && memcmp(m->items[k].target, ev->id, 16) == 0;
		     k++) {
			if (m->items[k].retract != retract)
				continue;
			if (!listed)
				printf("%s%s at ", opened ? "; " : "  [",
				       retract ? "retracted" : "corrected");
			else
				fputs(", ", stdout);
			printf("%llu", (unsigned long long)m->items[k].position);
			listed = opened = 1;
		}
	}
	if (opened)
		fputc(']', stdout);
}

static void print_table_row(const struct kt_event *ev, const struct target_info *t,
			    const struct marks *m, size_t first, const char *json)
{
	cli_event_table_columns(ev);
	if (t->is_correction || t->is_retraction) {
		printf("%s %.13s (%.*s, ", t->is_correction ? "corrects" : "retracts",
		       t->id[0] ? t->id : "?", (int)t->type_len, t->type);
		if (t->position)
			printf("position %llu): ", (unsigned long long)t->position);
		else
			fputs("not found): ", stdout);
		cli_print_clipped(t->reason, t->reason_len, SUMMARY_MAX);
	} else {
		print_payload_summary(ev, json);
	}
	print_marks(m, first, ev);
	fputc('\n', stdout);
}

/* {"id","type","position","reason"} of t, or null when ev is not of that kind. */
static json_t *target_json(const struct target_info *t, int kind)
{
	if (!kind)
		return json_null();
	return json_pack("{s:s, s:s%, s:o, s:s%}", "id", t->id, "type", t->type ? t->type : "",
			 t->type_len, "position",
			 t->position ? json_integer((json_int_t)t->position) : json_null(),
			 "reason", t->reason ? t->reason : "", t->reason_len);
}

static json_t *marks_json(const struct marks *m, size_t first, const uint8_t id[16], int retract)
{
	json_t *a = json_array();
	for (size_t k = first; a && k < m->n && memcmp(m->items[k].target, id, 16) == 0; k++)
		if (m->items[k].retract == retract &&
		    json_array_append_new(a, json_integer((json_int_t)m->items[k].position))) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

/* Positions joined with ';'. */
static void print_marks_csv(const struct marks *m, size_t first, const uint8_t id[16], int retract,
			    char sep)
{
	char text[400];
	size_t len = 0;
	text[0] = 0;
	for (size_t k = first; k < m->n && memcmp(m->items[k].target, id, 16) == 0; k++) {
		if (m->items[k].retract != retract || len + 22 >= sizeof text)
			continue;
		len += (size_t)snprintf(text + len, sizeof text - len, "%s%llu", len ? ";" : "",
					(unsigned long long)m->items[k].position);
	}
	cli_csv_field(text, len, sep);
}

static int print_csv_row(json_t *obj, const struct target_info *t, const struct marks *m,
			 size_t first, const uint8_t id[16], const char *json)
{
	cli_event_csv_columns(obj);
	cli_csv_field(json, strlen(json), ',');
	const char *cid = t->is_correction ? t->id : "";
	const char *rid = t->is_retraction ? t->id : "";
	cli_csv_field(cid, strlen(cid), ',');
	cli_csv_field(rid, strlen(rid), ',');
	print_marks_csv(m, first, id, 0, ',');
	print_marks_csv(m, first, id, 1, 0);
	fputc('\n', stdout);
	return KT_OK;
}

static int print_json_row(json_t *obj, const struct target_info *t, const struct marks *m,
			  size_t first, const uint8_t id[16], uint64_t n)
{
	if (json_object_set_new(obj, "corrects", target_json(t, t->is_correction)) ||
	    json_object_set_new(obj, "retracts", target_json(t, t->is_retraction)) ||
	    json_object_set_new(obj, "corrected_by", marks_json(m, first, id, 0)) ||
	    json_object_set_new(obj, "retracted_by", marks_json(m, first, id, 1)))
		return KT_ENOMEM;
	fputs(n == 0 ? "[\n" : ",\n", stdout);
	json_dumpf(obj, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return KT_OK;
}

/* redact: a buffer for the payload without personal fields, or NULL to
 * print it whole. */
static int print_event(kt_reader *r, const struct kt_event *ev, const struct marks *m,
		       enum cli_format format, uint64_t n, struct kt_buf *redact)
{
	struct target_info t;
	struct kt_event copy;
	json_t *obj = NULL;
	char *data = NULL;
	size_t first = first_mark(m, ev->id);
	int err = describe_target(r, ev, &t);
	if (!err && redact) {
		err = cli_event_redacted(ev, redact, &copy);
		ev = &copy;
	}
	if (!err)
		err = kt_event_to_json(ev, &obj);
	if (!err && format != FORMAT_JSON &&
	    !(data = json_dumps(json_object_get(obj, "data"), JSON_COMPACT | JSON_PRESERVE_ORDER)))
		err = KT_ENOMEM;
	if (err)
		goto out;
	if (format == FORMAT_JSON)
		err = print_json_row(obj, &t, m, first, ev->id, n);
	else if (format == FORMAT_CSV)
		err = print_csv_row(obj, &t, m, first, ev->id, data);
	else
		print_table_row(ev, &t, m, first, data);
out:
	free(data);
	json_decref(obj);
	return err;
}

static int selected(const struct history_args *a, const struct kt_event *ev)
{
	if (a->actor &&
	    (ev->actor_len != strlen(a->actor) || memcmp(ev->actor, a->actor, ev->actor_len) != 0))
		return 0;
	if (!a->type)
		return 1;
	size_t n = strlen(a->type);
	if (n > 0 && a->type[n - 1] == '.')
		return ev->type_len > n && memcmp(ev->type, a->type, n) == 0;
	return cli_is_type(ev, a->type);
}

/* Pass two: print the selected events of the range. */
static int print_range(kt_reader *r, const struct history_args *a, const char *stream, uint64_t lo,
		       uint64_t hi, const struct marks *m)
{
	kt_iter *it = NULL;
	int err = lo <= hi ? open_range(r, stream, lo, &it) : KT_OK;
	if (a->format == FORMAT_CSV)
		fputs(HISTORY_CSV_HEADER, stdout);
	else if (a->format == FORMAT_TABLE)
		cli_event_table_header("SUMMARY");
	uint64_t n = 0;
	struct kt_event ev;
	/* CSV leaves out personal data unless asked: it is what gets exported. */
	struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
	int redact = a->format == FORMAT_CSV && !a->include_personal;
	while (!err && it && !cli_interrupted && (err = range_next(it, lo, hi, &ev)) == KT_OK) {
		if (!selected(a, &ev))
			continue;
		if ((err = print_event(r, &ev, m, a->format, n, redact ? &buf : NULL)) == KT_OK)
			n++;
	}
	kt_buf_free(&buf);
	if (err == KT_ENOTFOUND)
		err = KT_OK;
	if (a->format == FORMAT_JSON)
		fputs(n ? "\n]\n" : "[]\n", stdout);
	kt_iter_free(it);
	return err;
}

static int cmd_history(int argc, char **argv)
{
	struct history_args a = { .format = FORMAT_TABLE };
	int rc = parse_history(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	kt_store *s;
	if ((rc = cli_open_store(cli_db_path(a.db), KT_OPEN_READONLY, &s)))
		return rc;
	char *stream = NULL;
	kt_reader *r = NULL;
	struct marks m = { NULL, 0, 0 };
	uint64_t lo = 0, hi = 0;
	int err = KT_OK;
	if ((rc = chosen_stream(s, &a, &stream)))
		goto out;
	err = kt_reader_begin(s, &r);
	if (!err)
		err = position_range(r, &a, &lo, &hi);
	if (!err && lo <= hi)
		err = collect_marks(r, stream ? stream : a.stream, lo, hi, &m);
	if (!err)
		err = print_range(r, &a, stream ? stream : a.stream, lo, hi, &m);
	if (err) {
		cli_error("reading the log: %s", kt_strerror(err));
		rc = cli_exit_for(err);
	} else if (cli_interrupted) {
		cli_error("interrupted");
		rc = EXIT_FAILURE_STORE;
	}
out:
	free(m.items);
	free(stream);
	kt_reader_end(r);
	kt_store_close(s);
	return rc;
}

const struct cli_command cli_history_commands[] = {
	{ "history", "every event with both times, corrections shown against their targets",
	  history_usage, cmd_history },
	{ NULL, NULL, NULL, NULL },
};
