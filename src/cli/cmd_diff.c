/*
 * cmd_diff.c — `kontroll diff`: what changed in the listings between two
 * moments of knowledge (--known-at T1 and T2, at one --as-of): the rows
 * added, removed and changed, field by field, each with the events of its
 * aggregate's stream recorded in between.
 *
 * The rows are made by the listings' own code (cli_inspection_rows and its
 * siblings write them with the calls their --format json uses), so a row
 * here is always the row the listing shows. A row of a listing depends on
 * nothing but its own aggregate's stream, the as-of filter and the moment
 * days are judged at; diff shares the last two between both sides, so only
 * the aggregates whose streams gained an event between the two end
 * positions can differ. It folds each model twice, reads that stretch of
 * the log once, and compares the rows of those aggregates alone: the cost
 * follows the change, not the size of the store.
 *
 * The store is opened read-only, so the replays save no snapshot and
 * nothing is written, whoever else is appending meanwhile.
 */
#define _POSIX_C_SOURCE 200809L
#include "diff_cli.h"
#include "goal_cli.h"
#include "incident_cli.h"
#include "inspection_cli.h"
#include "render.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- the models and the views ------------------------------------------ */

enum { MODEL_INSPECTIONS, MODEL_INCIDENTS, MODEL_GOALS, MODELS };

/* The models folded for one moment (those no view asked for stay empty). */
struct models {
	struct kt_inspections inspections;
	struct kt_incidents incidents;
	struct kt_goals goals;
};

static const struct {
	const struct kt_projection *p;
	const char *what; /* for "reading the WHAT: …" */
} projections[MODELS] = {
	[MODEL_INSPECTIONS] = { &kt_inspections_projection, "inspections" },
	[MODEL_INCIDENTS] = { &kt_incidents_projection, "incidents" },
	[MODEL_GOALS] = { &kt_goals_projection, "goals" },
};

static void *model_state(struct models *m, int model)
{
	switch (model) {
	case MODEL_INSPECTIONS:
		return &m->inspections;
	case MODEL_INCIDENTS:
		return &m->incidents;
	default:
		return &m->goals;
	}
}

static void models_init(struct models *m)
{
	kt_inspections_init(&m->inspections);
	kt_incidents_init(&m->incidents);
	kt_goals_init(&m->goals);
}

static void models_free(struct models *m)
{
	kt_inspections_free(&m->inspections);
	kt_incidents_free(&m->incidents);
	kt_goals_free(&m->goals);
}

/* The rows of one listing for one aggregate (the cli_*_rows of its file). */
typedef int (*rows_fn)(const struct models *m, const char *stream, int64_t ref, json_t *rows);

static int inspection_rows(const struct models *m, const char *stream, int64_t ref, json_t *rows)
{
	return cli_inspection_rows(&m->inspections, stream, ref, rows);
}

static int order_rows(const struct models *m, const char *stream, int64_t ref, json_t *rows)
{
	return cli_order_rows(&m->inspections, stream, ref, rows);
}

static int incident_rows(const struct models *m, const char *stream, int64_t ref, json_t *rows)
{
	return cli_incident_rows(&m->incidents, stream, ref, rows);
}

static int goal_rows(const struct models *m, const char *stream, int64_t ref, json_t *rows)
{
	(void)ref; /* the goals listing judges nothing by the day */
	return cli_goal_rows(&m->goals, stream, rows);
}

static const struct view {
	const char *name;    /* as --view takes it and the JSON names it */
	const char *heading; /* of its section in the table */
	const char *prefix;  /* of the streams of its aggregates */
	int model;
	rows_fn rows;
} views[] = {
	{ "inspections", "INSPECTIONS", KT_INSPECTION_STREAM_PREFIX, MODEL_INSPECTIONS,
	  inspection_rows },
	{ "orders", "ORDERS", KT_INSPECTION_STREAM_PREFIX, MODEL_INSPECTIONS, order_rows },
	{ "incidents", "INCIDENTS", KT_INCIDENT_STREAM_PREFIX, MODEL_INCIDENTS, incident_rows },
	{ "goals", "GOALS", KT_GOAL_STREAM_PREFIX, MODEL_GOALS, goal_rows },
};
#define VIEWS (sizeof views / sizeof views[0])

/* Non-zero when the n bytes of stream begin with prefix. */
static int has_prefix(const char *stream, size_t n, const char *prefix)
{
	size_t len = strlen(prefix);
	return n >= len && memcmp(stream, prefix, len) == 0;
}

/* ---- the options -------------------------------------------------------- */

static const char diff_usage[] =
    "usage: kontroll diff --known-at T1 --known-at T2 [--view V]... [--as-of DATE]\n"
    "                     [--no-snapshots] [--format table|json] [--db PATH]\n"
    "\n"
    "What changed in the listings between two moments: the rows that\n"
    "kontroll inspections, orders, incidents and goals (without filters) show\n"
    "as known at T2 but not at T1 (added), at T1 but not at T2 (removed), and\n"
    "in both with other values (changed, field by field), each with the events\n"
    "that caused it: those of its aggregate's stream recorded after T1 and up\n"
    "to T2 (and, with --as-of, effective by then). Read-only: the store is\n"
    "opened read-only and nothing is written, also while others append.\n"
    "\n"
    "  --known-at T    give it twice: T1, then T2, not before T1. YYYY-MM-DD is\n"
    "                  the end of that day (UTC), or YYYY-MM-DDTHH:MM[:SS[.ffffff]]\n"
    "                  optionally with Z or +HH:MM. Each side is the listing as\n"
    "                  kontroll showed it then: the events recorded by that time\n"
    "  --view V        inspections, orders, incidents or goals; again for more;\n"
    "                  default: all four, each in its own section\n"
    "  --as-of DATE    both sides as things stood on DATE (effective time)\n"
    "  --no-snapshots  replay the whole log, trusting no snapshot\n"
    "  --format F      table (default, for people) or json (one object)\n"
    "  --db PATH       the store file\n"
    "\n"
    "Rows are matched by key: an inspection by its case number (T-2025-001), an\n"
    "order by case and label (T-2025-001/P1), an incident by its number\n"
    "(H-2025-00042), a goal by its number (M-2025-012) or, for a part assessed\n"
    "apart, number and part (M-2025-012 (part)). A row holds the keys of the\n"
    "listing's --format json; an incident's never holds its description (the\n"
    "personal text). Days left, overdue and the 72 hours are judged at one\n"
    "moment for both sides, the --as-of time, else T2, so that a row changes\n"
    "only by an event. Within each view the rows added, removed and changed\n"
    "each go in the order of their keys, numbers by value (P2 before P10).\n"
    "\n"
    "table: a line naming both end positions, then per view a heading with the\n"
    "counts and a line per row: '+ KEY  field value, …' added, '- KEY  field\n"
    "value, …' removed (the row as it was), '~ KEY  field: old → new; …'\n"
    "changed (— is null); under each, '  caused by: POSITION RECORDED TYPE ID\n"
    "(ACTOR)' per event, the time to the second and the id's first 13\n"
    "characters.\n"
    "\n"
    "json: {\"from_position\", \"to_position\", \"from_known_at\", \"to_known_at\",\n"
    "\"as_of\" (null without), \"views\": {VIEW: {\"added\": [{\"key\", \"stream\", \"row\",\n"
    "\"events\"}], \"removed\": [the same, row as it was], \"changed\": [{\"key\",\n"
    "\"stream\", \"fields\": [{\"field\", \"old\", \"new\"}], \"events\"}]}}}; each event\n"
    "{\"position\", \"recorded\", \"type\", \"id\", \"actor\"}.\n"
    "\n"
    "Exit 2 unless --known-at is given exactly twice; 3 for a time that does not\n"
    "parse, T1 after T2, or an unknown view or format.\n";

enum { OPT_VIEW = CLI_OPT_MOMENT_END, OPT_FORMAT };

struct diff_args {
	const char *db;
	const char *known_at[2]; /* as given */
	size_t n_known;		 /* --known-at given this often */
	struct cli_moment from, to;
	unsigned views; /* bit k: views[k] asked for; 0: all */
	enum cli_format format;
};

static int parse_view_name(const char *value, unsigned *mask)
{
	for (size_t k = 0; k < VIEWS; k++) {
		if (strcmp(value, views[k].name) == 0) {
			*mask |= 1u << k;
			return 0;
		}
	}
	cli_error("--view: '%s' is not one of inspections, orders, incidents, goals", value);
	return -1;
}

/* Parse the options into *a. Returns EXIT_OK, -1 when --help was printed,
 * or the exit code of a bad option. */
static int parse_args(int argc, char **argv, struct diff_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		CLI_MOMENT_OPTIONS,
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = cli_getopt(argc, argv, opts, diff_usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case ':':
		case '?':
			return cli_usage_error(c, argv[optind - 1]);
		case CLI_OPT_KNOWN_AT:
			if (a->n_known < 2)
				a->known_at[a->n_known] = optarg;
			a->n_known++;
			break;
		case OPT_VIEW:
			if (parse_view_name(optarg, &a->views))
				return EXIT_INPUT;
			break;
		case OPT_FORMAT:
			if (cli_parse_format(optarg, 0, &a->format))
				return EXIT_INPUT;
			break;
		default: /* --as-of, --no-snapshots: the same for both sides */
			if (cli_moment_option(c, optarg, &a->from) < 0)
				return EXIT_INPUT;
			a->to = a->from;
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (a->n_known != 2) {
		cli_error("give --known-at twice, the earlier moment first (--known-at T1 "
			  "--known-at T2); got it %zu time%s",
			  a->n_known, a->n_known == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	if (cli_parse_moment("--known-at", a->known_at[0], &a->from.known_at) ||
	    cli_parse_moment("--known-at", a->known_at[1], &a->to.known_at))
		return EXIT_INPUT;
	if (a->from.known_at > a->to.known_at) {
		cli_error("--known-at: '%s' is after '%s'; give the earlier moment first",
			  a->known_at[0], a->known_at[1]);
		return EXIT_INPUT;
	}
	if (!a->views)
		a->views = (1u << VIEWS) - 1;
	return EXIT_OK;
}

/* ---- the two folds ------------------------------------------------------ */

/*
 * The recorded time of the last event now into *last (KT_TIME_MAX for an
 * empty store). A moment past it is folded as of it: events appended while
 * diff runs are recorded no earlier, so each fold of that moment ends at
 * the same position however long the folds take.
 */
static int last_recorded(kt_store *s, int64_t *last)
{
	kt_reader *r;
	struct kt_event ev;
	int err = kt_reader_begin(s, &r);
	if (err)
		return err;
	*last = KT_TIME_MAX;
	uint64_t head = kt_reader_head(r);
	if (head && !(err = kt_reader_get(r, head, &ev)))
		*last = ev.recorded;
	kt_reader_end(r);
	return err;
}

/*
 * Fold the models the views ask for (mask) for moment m into *out, and the
 * log position they end at into *end. Prints why and returns the exit code
 * on failure.
 */
static int fold(kt_store *s, const struct cli_moment *m, unsigned mask, struct models *out,
		uint64_t *end)
{
	int wanted[MODELS] = { 0 }, folded = 0;
	for (size_t k = 0; k < VIEWS; k++)
		if (mask & (1u << k))
			wanted[views[k].model] = 1;
	for (int k = 0; k < MODELS; k++) {
		struct kt_replay_stats st;
		if (!wanted[k])
			continue;
		int rc = cli_replay_stats(s, m, projections[k].p, model_state(out, k),
					  projections[k].what, &st);
		if (rc)
			return rc;
		if (folded++ && st.end_position != *end) {
			/* Only a writer whose clock went back can record at the
			 * moment folded, after the first fold of it. */
			cli_error("events were recorded at the moment asked for while diff read "
				  "the log; run it again");
			return EXIT_FAILURE_STORE;
		}
		*end = st.end_position;
	}
	return EXIT_OK;
}

/* ---- the events between the two positions ------------------------------- */

/* An event between the positions, of a stream of a view asked for. */
struct touch {
	char *stream;
	uint64_t position;
};

struct touches {
	struct touch *items;
	size_t n, cap;
};

static void touches_free(struct touches *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->items[k].stream);
	free(t->items);
}

static int compare_touches(const void *pa, const void *pb)
{
	const struct touch *a = pa, *b = pb;
	int c = strcmp(a->stream, b->stream);
	return c ? c : (a->position > b->position) - (a->position < b->position);
}

static int touch_add(struct touches *t, const struct kt_event *ev)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct touch *more = realloc(t->items, cap * sizeof *more);
		if (!more)
			return KT_ENOMEM;
		t->items = more;
		t->cap = cap;
	}
	char *stream = malloc(ev->stream_len + 1);
	if (!stream)
		return KT_ENOMEM;
	memcpy(stream, ev->stream, ev->stream_len);
	stream[ev->stream_len] = 0;
	t->items[t->n].stream = stream;
	t->items[t->n++].position = ev->position;
	return KT_OK;
}

/*
 * The events at positions (from, to] that the as-of filter lets through and
 * that belong to a stream of a view in mask, sorted by stream, then
 * position. Returns KT_OK, KT_ENOMEM, a read error, or KT_EINVAL when
 * interrupted.
 */
static int read_touches(kt_reader *r, uint64_t from, uint64_t to, int64_t as_of, unsigned mask,
			struct touches *out)
{
	kt_iter *it;
	struct kt_event ev;
	if (from >= to)
		return KT_OK;
	int err = kt_iter_log(r, from + 1, 0, &it);
	if (err)
		return err;
	while ((err = kt_iter_next(it, &ev)) == 0 && ev.position <= to) {
		int wanted = 0;
		if (cli_interrupted) {
			err = KT_EINVAL;
			break;
		}
		for (size_t k = 0; k < VIEWS; k++)
			wanted |= (mask & (1u << k)) &&
				  has_prefix(ev.stream, ev.stream_len, views[k].prefix);
		if (wanted && ev.effective <= as_of && (err = touch_add(out, &ev)))
			break;
	}
	kt_iter_free(it);
	if (err == KT_ENOTFOUND)
		err = KT_OK;
	if (!err && out->n)
		qsort(out->items, out->n, sizeof *out->items, compare_touches);
	return err;
}

/* The event as a cause: {"position", "recorded", "type", "id", "actor"}. */
static json_t *event_json(const struct kt_event *ev)
{
	char recorded[KT_TIME_TEXT_MAX], id[KT_ID_TEXT_LEN + 1];
	struct cli_jobj b = { json_object(), 0 };
	kt_time_format(ev->recorded, recorded);
	kt_id_format(ev->id, id);
	cli_jobj_put(&b, "position", json_integer((json_int_t)ev->position));
	cli_jobj_put(&b, "recorded", json_string(recorded));
	cli_jobj_put(&b, "type", json_stringn(ev->type, ev->type_len));
	cli_jobj_put(&b, "id", json_string(id));
	cli_jobj_put(&b, "actor", json_stringn(ev->actor, ev->actor_len));
	return cli_jobj_done(&b);
}

/* The events of the n touches t (one stream's) as a new JSON array into
 * *out. Returns KT_OK, KT_ENOMEM or a read error. */
static int events_json(kt_reader *r, const struct touch *t, size_t n, json_t **out)
{
	json_t *events = json_array();
	int err = events ? KT_OK : KT_ENOMEM;
	for (size_t k = 0; k < n && !err; k++) {
		struct kt_event ev;
		if (!(err = kt_reader_get(r, t[k].position, &ev)) &&
		    json_array_append_new(events, event_json(&ev)))
			err = KT_ENOMEM;
	}
	if (err) {
		json_decref(events);
		return err;
	}
	*out = events;
	return KT_OK;
}

/* ---- comparing rows ----------------------------------------------------- */

enum { ADDED, REMOVED, CHANGED, KINDS };
static const char *const kind_names[KINDS] = { "added", "removed", "changed" };

/*
 * A row added, removed or changed, by its key. Only the key is kept: the
 * output makes the row again from both folds, so memory follows the number
 * of rows found, not their size or their events'.
 */
struct entry {
	char *key;
	const struct touch *events; /* its stream's, borrowed from the touches */
	size_t n_events;
};

struct entries {
	struct entry *items;
	size_t n, cap;
};

/* What one view found, of each kind; sorted by key once complete. */
struct found {
	struct entries of[KINDS];
};

static void entries_free(struct entries *e)
{
	for (size_t k = 0; k < e->n; k++)
		free(e->items[k].key);
	free(e->items);
}

static int entry_add(struct entries *e, const char *key, const struct touch *events, size_t n)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 16;
		struct entry *more = realloc(e->items, cap * sizeof *more);
		if (!more)
			return KT_ENOMEM;
		e->items = more;
		e->cap = cap;
	}
	struct entry *new = &e->items[e->n];
	if (!(new->key = strdup(key)))
		return KT_ENOMEM;
	new->events = events;
	new->n_events = n;
	e->n++;
	return KT_OK;
}

/* Keys in the order people count: the digits of a key as a number, so
 * that T-2025-999 goes before T-2025-1000 and P2 before P10; text otherwise
 * byte by byte, and a tie of numbers of other spelling by the text. */
static int compare_keys(const char *a, const char *b)
{
	const char *p = a, *q = b;
	while (*p && *q) {
		if (isdigit((unsigned char)*p) && isdigit((unsigned char)*q)) {
			while (*p == '0')
				p++;
			while (*q == '0')
				q++;
			size_t i = 0, j = 0;
			while (isdigit((unsigned char)p[i]))
				i++;
			while (isdigit((unsigned char)q[j]))
				j++;
			int c = i != j ? (i < j ? -1 : 1) : memcmp(p, q, i);
			if (c)
				return c;
			p += i;
			q += j;
		} else if (*p != *q) {
			return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
		} else {
			p++;
			q++;
		}
	}
	if (*p || *q)
		return *p ? 1 : -1;
	return strcmp(a, b);
}

static int compare_entries(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = compare_keys(a->key, b->key);
	return c ? c : strcmp(a->events[0].stream, b->events[0].stream);
}

/* The rows of view v for stream in both folds (m[0] at T1, m[1] at T2),
 * as new JSON objects by key into rows[0] and rows[1]. */
static int both_rows(const struct view *v, const struct models m[2], const char *stream,
		     int64_t ref, json_t *rows[2])
{
	int err = KT_OK;
	for (int k = 0; k < 2; k++)
		if (!(rows[k] = json_object()))
			err = KT_ENOMEM;
	for (int k = 0; k < 2 && !err; k++)
		err = v->rows(&m[k], stream, ref, rows[k]);
	return err;
}

/*
 * Compare the rows of view v for the aggregate whose stream's events are
 * the n touches t, and add what differs to *f. Returns KT_OK, KT_ENOMEM or
 * the error of a row maker.
 */
static int compare_stream(const struct view *v, const struct models m[2], const struct touch *t,
			  size_t n, int64_t ref, struct found *f)
{
	json_t *rows[2], *row;
	const char *key;
	int err = both_rows(v, m, t[0].stream, ref, rows);
	json_object_foreach (rows[0], key, row) {
		json_t *now = json_object_get(rows[1], key);
		if (err)
			break;
		if (!now)
			err = entry_add(&f->of[REMOVED], key, t, n);
		else if (!json_equal(row, now))
			err = entry_add(&f->of[CHANGED], key, t, n);
	}
	json_object_foreach (rows[1], key, row) {
		if (err)
			break;
		if (!json_object_get(rows[0], key))
			err = entry_add(&f->of[ADDED], key, t, n);
	}
	json_decref(rows[0]);
	json_decref(rows[1]);
	return err;
}

/*
 * Compare every view asked for over every stream touched (the runs of t, one
 * per stream) and sort what was found. Returns KT_OK; KT_EINVAL when
 * interrupted; or an error, with *where set to the stream it concerns.
 */
static int compare_all(const struct diff_args *a, const struct models m[2], const struct touches *t,
		       struct found *f, const char **where)
{
	int64_t ref = cli_reference_time(&a->to);
	int err = KT_OK;
	for (size_t i = 0, j; i < t->n && !err; i = j) {
		const char *stream = t->items[i].stream;
		for (j = i; j < t->n && strcmp(t->items[j].stream, stream) == 0; j++)
			;
		if (cli_interrupted)
			return KT_EINVAL;
		for (size_t k = 0; k < VIEWS && !err; k++)
			if ((a->views & (1u << k)) &&
			    has_prefix(stream, strlen(stream), views[k].prefix))
				err = compare_stream(&views[k], m, t->items + i, j - i, ref, &f[k]);
		if (err)
			*where = stream;
	}
	for (size_t k = 0; k < VIEWS && !err; k++)
		for (int kind = 0; kind < KINDS; kind++)
			if (f[k].of[kind].n)
				qsort(f[k].of[kind].items, f[k].of[kind].n,
				      sizeof *f[k].of[kind].items, compare_entries);
	return err;
}

/* ---- what is shown of a row --------------------------------------------- */

/* {"field", "old", "new"}; an absent value is null. */
static int field_add(json_t *fields, const char *field, json_t *was, json_t *now)
{
	struct cli_jobj b = { json_object(), 0 };
	cli_jobj_put(&b, "field", json_string(field));
	cli_jobj_put(&b, "old", was ? json_incref(was) : json_null());
	cli_jobj_put(&b, "new", now ? json_incref(now) : json_null());
	return json_array_append_new(fields, cli_jobj_done(&b)) ? KT_ENOMEM : KT_OK;
}

/* The fields whose values differ, in the row's order (the keys of one
 * listing are always the same; a key of one side only would come last). */
static json_t *changed_fields(json_t *was, json_t *now)
{
	json_t *fields = json_array(), *v;
	const char *field;
	int err = fields ? KT_OK : KT_ENOMEM;
	json_object_foreach (was, field, v) {
		json_t *w = json_object_get(now, field);
		if (!err && !json_equal(v, w))
			err = field_add(fields, field, v, w);
	}
	json_object_foreach (now, field, v) {
		if (!err && !json_object_get(was, field))
			err = field_add(fields, field, NULL, v);
	}
	if (err) {
		json_decref(fields);
		return NULL;
	}
	return fields;
}

/*
 * The object the output shows for entry e of view v and kind into *out:
 * {"key", "stream", "row", "events"} for a row added (the row at T2) or
 * removed (the row as it was at T1), {"key", "stream", "fields", "events"}
 * for one changed. The rows are made again from both folds. Returns KT_OK,
 * KT_ENOMEM, a read error or a row maker's.
 */
static int entry_item(const struct view *v, const struct models m[2], int64_t ref, kt_reader *r,
		      int kind, const struct entry *e, json_t **out)
{
	const char *stream = e->events[0].stream;
	struct cli_jobj b = { json_object(), 0 };
	json_t *rows[2], *events = NULL;
	int err = both_rows(v, m, stream, ref, rows);
	if (!err)
		err = events_json(r, e->events, e->n_events, &events);
	if (!err) {
		json_t *was = json_object_get(rows[0], e->key),
		       *now = json_object_get(rows[1], e->key);
		cli_jobj_put(&b, "key", json_string(e->key));
		cli_jobj_put(&b, "stream", json_string(stream));
		if (kind == CHANGED)
			cli_jobj_put(&b, "fields", changed_fields(was, now));
		else
			cli_jobj_put(&b, "row", json_incref(kind == ADDED ? now : was));
		cli_jobj_put(&b, "events", events);
		if (!(*out = cli_jobj_done(&b)))
			err = KT_ENOMEM;
	} else {
		json_decref(b.obj);
	}
	json_decref(rows[0]);
	json_decref(rows[1]);
	return err;
}

/* ---- output ------------------------------------------------------------- */

/* Text for people: whole, control characters as spaces. */
static void print_text(const char *s)
{
	size_t n = strlen(s);
	cli_print_clipped(s, n, n);
}

/* A value of a row for people: text as it is, null as —. */
static void print_value(const json_t *v)
{
	char num[32];
	switch (json_typeof(v)) {
	case JSON_STRING:
		print_text(json_string_value(v));
		break;
	case JSON_INTEGER:
		printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		cli_number_json_text(json_real_value(v), num);
		fputs(num, stdout);
		break;
	case JSON_TRUE:
		fputs("true", stdout);
		break;
	case JSON_FALSE:
		fputs("false", stdout);
		break;
	default: /* null; rows hold no arrays or objects */
		fputs("—", stdout);
	}
}

/* "  caused by: 14 2026-01-12T10:00:01Z order.fulfilled 01a21c21-6572 (anne)" */
static void print_causes(const json_t *item)
{
	const json_t *ev;
	size_t k;
	json_array_foreach (json_object_get(item, "events"), k, ev) {
		const char *recorded = json_string_value(json_object_get(ev, "recorded"));
		const char *id = json_string_value(json_object_get(ev, "id"));
		printf("  caused by: %" JSON_INTEGER_FORMAT " %.19sZ ",
		       json_integer_value(json_object_get(ev, "position")), recorded);
		print_text(json_string_value(json_object_get(ev, "type")));
		printf(" %.13s (", id);
		print_text(json_string_value(json_object_get(ev, "actor")));
		fputs(")\n", stdout);
	}
}

/* "+ KEY  field value, field value, …", "- KEY  …" (the row as it was), or
 * "~ KEY  field: old → new; field: old → new"; then its causes. */
static void print_item(int kind, const json_t *item)
{
	const json_t *change, *v;
	const char *field;
	size_t k = 0;
	printf("%c ", "+-~"[kind]);
	print_text(json_string_value(json_object_get(item, "key")));
	fputs("  ", stdout);
	json_object_foreach ((json_t *)json_object_get(item, "row"), field, v) {
		printf("%s%s ", k++ ? ", " : "", field);
		print_value(v);
	}
	json_array_foreach (json_object_get(item, "fields"), k, change) {
		printf("%s%s: ", k ? "; " : "",
		       json_string_value(json_object_get(change, "field")));
		print_value(json_object_get(change, "old"));
		fputs(" → ", stdout);
		print_value(json_object_get(change, "new"));
	}
	fputc('\n', stdout);
	print_causes(item);
}

/* The opening of the output, before the first view. */
static void print_start(const struct diff_args *a, const uint64_t end[2])
{
	char t1[KT_TIME_TEXT_MAX], t2[KT_TIME_TEXT_MAX], as_of[KT_TIME_TEXT_MAX] = "";
	kt_time_format(a->from.known_at, t1);
	kt_time_format(a->to.known_at, t2);
	if (a->from.as_of != KT_TIME_MAX)
		kt_time_format(a->from.as_of, as_of);
	if (a->format == FORMAT_JSON) {
		printf("{\"from_position\":%llu,\"to_position\":%llu,\"from_known_at\":\"%s\","
		       "\"to_known_at\":\"%s\",\"as_of\":",
		       (unsigned long long)end[0], (unsigned long long)end[1], t1, t2);
		printf(*as_of ? "\"%s\",\"views\":{" : "null,\"views\":{", as_of);
		return;
	}
	printf("from position %llu (known at %s) to position %llu (known at %s)%s%s\n",
	       (unsigned long long)end[0], t1, (unsigned long long)end[1], t2,
	       *as_of ? ", as of " : "", as_of);
}

/*
 * Write what was found, view by view, kind by kind, in the order of the
 * keys: one JSON object on one line, or the table for people. Each row is
 * made, written and freed in turn. Returns KT_OK, an error (with *where the
 * stream it concerns; what was written so far stays), or KT_EINVAL when
 * interrupted.
 */
static int print_all(const struct diff_args *a, const struct models m[2], kt_reader *r,
		     const uint64_t end[2], const struct found *f, const char **where)
{
	int64_t ref = cli_reference_time(&a->to);
	int json = a->format == FORMAT_JSON, views_written = 0;
	print_start(a, end);
	for (size_t k = 0; k < VIEWS; k++) {
		if (!(a->views & (1u << k)))
			continue;
		if (json)
			printf("%s\"%s\":{", views_written++ ? "," : "", views[k].name);
		else
			printf("\n%s: %zu added, %zu removed, %zu changed\n", views[k].heading,
			       f[k].of[ADDED].n, f[k].of[REMOVED].n, f[k].of[CHANGED].n);
		for (int kind = 0; kind < KINDS; kind++) {
			const struct entries *e = &f[k].of[kind];
			if (json)
				printf("%s\"%s\":[", kind ? "," : "", kind_names[kind]);
			for (size_t i = 0; i < e->n; i++) {
				json_t *item = NULL;
				int err = cli_interrupted ? KT_EINVAL
							  : entry_item(&views[k], m, ref, r, kind,
								       &e->items[i], &item);
				if (err) {
					*where = e->items[i].events[0].stream;
					return err;
				}
				if (json) {
					fputs(i ? "," : "", stdout);
					json_dumpf(item, stdout,
						   JSON_COMPACT | JSON_PRESERVE_ORDER |
						       JSON_REAL_PRECISION(15));
				} else {
					print_item(kind, item);
				}
				json_decref(item);
			}
			if (json)
				fputc(']', stdout);
		}
		if (json)
			fputc('}', stdout);
	}
	if (json)
		fputs("}}\n", stdout);
	return KT_OK;
}

/* ---- the command -------------------------------------------------------- */

static int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { NULL, { NULL, NULL }, 0, CLI_MOMENT_NOW, CLI_MOMENT_NOW,
			       0,    FORMAT_TABLE };
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	kt_store *s;
	if ((rc = cli_open_store(cli_db_path(a.db), KT_OPEN_READONLY, &s)))
		return rc;
	struct models m[2];
	struct cli_moment at[2] = { a.from, a.to };
	struct touches t = { NULL, 0, 0 };
	struct found f[VIEWS];
	uint64_t end[2] = { 0, 0 };
	kt_reader *r = NULL;
	const char *where = NULL;
	int64_t last;
	memset(f, 0, sizeof f);
	models_init(&m[0]);
	models_init(&m[1]);
	int err = last_recorded(s, &last);
	for (int k = 0; k < 2 && !err && !rc; k++) {
		if (at[k].known_at > last)
			at[k].known_at = last;
		rc = fold(s, &at[k], a.views, &m[k], &end[k]);
	}
	if (rc)
		goto out; /* the replay said why */
	/* Begun after the replays: positions up to end[1] never change, so
	 * this reader sees what the folds saw. */
	if (!err && !(err = kt_reader_begin(s, &r)) &&
	    !(err = read_touches(r, end[0], end[1], a.to.as_of, a.views, &t)) &&
	    !(err = compare_all(&a, m, &t, f, &where)))
		err = print_all(&a, m, r, end, f, &where);
	if (err && cli_interrupted) {
		cli_error("interrupted");
		rc = EXIT_FAILURE_STORE;
	} else if (err) {
		if (where)
			cli_error("reading %s: %s", where, kt_strerror(err));
		else
			cli_error("%s", kt_strerror(err));
		rc = cli_exit_for(err);
	}
out:
	for (size_t k = 0; k < VIEWS; k++)
		for (int kind = 0; kind < KINDS; kind++)
			entries_free(&f[k].of[kind]);
	touches_free(&t);
	kt_reader_end(r);
	models_free(&m[0]);
	models_free(&m[1]);
	kt_store_close(s);
	return rc;
}

const struct cli_command cli_diff_commands[] = {
	{ "diff", "what changed in the listings between two --known-at moments, and why",
	  diff_usage, cmd_diff },
	{ NULL, NULL, NULL, NULL },
};
