/*
 * cmd_goal_views.c — the read side of goal achievement: `kontroll goals`
 * (one row per goal, or per part of a goal assessed apart, with its
 * assessment beside the verdict its measurements give) and `kontroll goals
 * summary` (per area, the count of each status in a year: the overview a
 * city council reads).
 *
 * Both fold the goals model (goals.h) for a moment and render it as a table
 * for people or as JSON or CSV for programs (render.h). Nothing here appends
 * an event; a listing on a writable store may save a replay snapshot.
 */
#define _POSIX_C_SOURCE 200809L
#include "goal_cli.h"
#include "render.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"

#include <stdlib.h>
#include <string.h>

/* Characters of a text cell of the listing. */
#define CELL_MAX 28
#define TEXT_MAX 48

/* ---- the options ------------------------------------------------------ */

enum {
	OPT_FORMAT = 'f',
	OPT_AREA = CLI_OPT_MOMENT_END,
	OPT_YEAR,
	OPT_STATUS,
	OPT_LEVEL,
	OPT_DISAGREE,
	OPT_INCLUDE_RETIRED,
};

/* --status unassessed */
#define STATUS_UNASSESSED KT_STATUSES

struct view_args {
	const char *db;
	struct cli_moment moment;
	enum cli_format format;
	int area;   /* -1: any */
	int year;   /* 0: each goal's latest assessed year */
	int status; /* enum kt_goal_status, STATUS_UNASSESSED; -1: any */
	int level;  /* enum kt_goal_level; -1: any */
	int disagree, include_retired;
};

#define VIEW_ARGS_INIT                                                                             \
	{                                                                                          \
		NULL, CLI_MOMENT_NOW, FORMAT_TABLE, -1, 0, -1, -1, 0, 0                            \
	}

static int view_option(int c, const char *value, struct view_args *a)
{
	uint64_t n;
	switch (c) {
	case OPT_FORMAT:
		return cli_parse_format(value, 1, &a->format);
	case OPT_AREA:
		if ((a->area = kt_area_find(value)) < 0) {
			cli_error("--area: '%s' is not an area (a name, key or code such as "
				  "helse og omsorg, helse_omsorg, BO-HO)",
				  value);
			return -1;
		}
		return 0;
	case OPT_YEAR:
		if (cli_parse_u64(value, &n) || n < 1900 || n > 9998) {
			cli_error("--year: '%s' is not a year (1900-9998)", value);
			return -1;
		}
		a->year = (int)n;
		return 0;
	case OPT_STATUS:
		if (strcmp(value, "unassessed") == 0 || strcmp(value, "ikke vurdert") == 0)
			a->status = STATUS_UNASSESSED;
		else if ((a->status = kt_goal_status_parse(value)) < 0) {
			cli_error("--status: '%s' is not one of achieved, partly, not_achieved, "
				  "on_track, unassessed (or the report's wording)",
				  value);
			return -1;
		}
		return 0;
	case OPT_LEVEL:
		if ((a->level = kt_goal_level_parse(value)) < 0) {
			cli_error(
			    "--level: '%s' is not a level (overordnet, periodemal, "
			    "fokusomrade, mal, resultatmal, undermal, handlingsregel, tiltak)",
			    value);
			return -1;
		}
		return 0;
	case OPT_DISAGREE:
		a->disagree = 1;
		return 0;
	case OPT_INCLUDE_RETIRED:
		a->include_retired = 1;
		return 0;
	}
	return cli_moment_option(c, value, &a->moment) < 0 ? -1 : 0;
}

/* Parse the options of a view. Returns 0, -1 when --help was printed, or
 * the exit code of a bad option or operand. */
static int parse_view(int argc, char **argv, const struct option *opts, const char *usage,
		      struct view_args *a)
{
	int c;
	while ((c = cli_getopt(argc, argv, opts, usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case ':':
		case '?':
			return cli_usage_error(c, argv[optind - 1]);
		default:
			if (view_option(c, optarg, a))
				return EXIT_INPUT;
		}
	}
	return cli_has_operands(argc, argv) ? EXIT_USAGE : EXIT_OK;
}

/* ---- kontroll goals ----------------------------------------------------- */

static const char goals_usage[] =
    "usage: kontroll goals [--area A] [--year Y] [--status S] [--level L]\n"
    "                      [--disagree] [--include-retired] [--as-of DATE]\n"
    "                      [--known-at TIME] [--no-snapshots]\n"
    "                      [--format table|json|csv] [--db PATH]\n"
    "       kontroll goals summary --year Y [--level L] [--as-of DATE]\n"
    "                      [--known-at TIME] [--format table|json|csv] [--db PATH]\n"
    "\n"
    "List the goals, one row each — or one row for each part of a goal that is\n"
    "assessed apart — with the year's assessment beside the verdict its\n"
    "measurements give against the targets (COMPUTED), and CHECK saying where\n"
    "the two disagree. Rows go by area, then number.\n"
    "\n"
    "  --area A            only goals of area A (name, key or code)\n"
    "  --year Y            the goals taking part in year Y (defined by its end,\n"
    "                      their period covering it, not retired before it),\n"
    "                      with Y's assessment and the definitions in force at\n"
    "                      the end of Y; default: every goal in force now, with\n"
    "                      its latest assessed year\n"
    "  --status S          achieved, partly, not_achieved, on_track or unassessed\n"
    "                      (the report's wording is accepted too: delvis nådd)\n"
    "  --level L           overordnet, periodemal, fokusomrade, mal, resultatmal,\n"
    "                      undermal, handlingsregel or tiltak (or periodemål, …)\n"
    "  --disagree          only rows whose assessment contradicts the computed\n"
    "                      verdict\n"
    "  --include-retired   also goals retired by now (without --year)\n"
    "  --as-of DATE        as things stood at DATE, by all that is known now\n"
    "  --known-at TIME     as kontroll showed them at TIME: only events recorded by\n"
    "                      then (YYYY-MM-DD means the end of that day, UTC)\n"
    "  --no-snapshots      replay the whole log, trusting no snapshot\n"
    "  --format F          table (default), json (an array of objects) or csv\n"
    "  --db PATH           the store file\n"
    "\n"
    "COMPUTED counts each indicator with a target for the year and a measurement\n"
    "in it: achieved when every one meets its target, not_achieved when none\n"
    "does, partly otherwise, — when none counts. MEASURED and TARGET are the\n"
    "first such indicator's. An assessment disagrees when it differs from the\n"
    "computed verdict, except that on_track agrees with achieved and partly.\n"
    "\n"
    "json/csv keys: number, id, level, area, parent, title, text, period_from,\n"
    "period_to, retired, year, part, status, wording, computed,\n"
    "indicators_counted, indicators_met, disagrees, indicator, measured,\n"
    "target, unit, direction\n";

static const char *const goal_keys[] = {
	"number",	  "id",	       "level",	    "area",
	"parent",	  "title",     "text",	    "period_from",
	"period_to",	  "retired",   "year",	    "part",
	"status",	  "wording",   "computed",  "indicators_counted",
	"indicators_met", "disagrees", "indicator", "measured",
	"target",	  "unit",      "direction",
};
#define GOAL_KEYS (sizeof goal_keys / sizeof goal_keys[0])

/* The first indicator that counted for a row's verdict, with its values. */
struct shown_indicator {
	int has;
	struct kt_goal_indicator ind;
	double measured, target;
};

/* One listed row. */
struct row {
	const struct kt_goal *goal;
	struct kt_goal_definition def;
	int year; /* 0: never assessed */
	struct kt_goal_row r;
	struct shown_indicator shown;
};

static void find_shown(const struct kt_goal *g, int year, struct kt_text part,
		       struct shown_indicator *out)
{
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n;
	memset(out, 0, sizeof *out);
	if (!year)
		return;
	kt_goal_indicators(g, kt_goal_year_end(year), ind, KT_GOAL_INDICATORS_MAX, &n);
	for (size_t k = 0; k < n && k < KT_GOAL_INDICATORS_MAX; k++) {
		struct kt_goal_measurement m;
		if (part.s && (!ind[k].part.s || ind[k].part.len != part.len ||
			       memcmp(ind[k].part.s, part.s, part.len) != 0))
			continue;
		if (kt_goal_target_of(&ind[k], year, &out->target) &&
		    kt_goal_measurement_in(g, ind[k].label, year, &m)) {
			out->has = 1;
			out->ind = ind[k];
			out->measured = m.value;
			return;
		}
	}
}

static int row_wanted(const struct row *r, const struct view_args *a)
{
	if (a->status >= 0) {
		int status = r->r.assessed ? (int)r->r.assessment.status : STATUS_UNASSESSED;
		if (status != a->status)
			return 0;
	}
	return !a->disagree || r->r.disagrees;
}

static int compare_rows(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	if (a->def.area != b->def.area)
		return a->def.area < b->def.area ? -1 : 1;
	if (a->goal != b->goal) {
		if (a->goal->year != b->goal->year)
			return a->goal->year < b->goal->year ? -1 : 1;
		return a->goal->seq < b->goal->seq ? -1 : 1;
	}
	/* Rows of one goal keep the order kt_goal_rows gave (whole first). */
	return a < b ? -1 : a > b;
}

/* The goal's rows for the listing into *rows (grown as needed). */
static int add_goal_rows(const struct kt_goal *g, const struct view_args *a, struct row **rows,
			 size_t *n, size_t *cap)
{
	struct row base;
	memset(&base, 0, sizeof base);
	base.goal = g;
	if (a->year) {
		if (!kt_goal_in_year(g, a->year, &base.def))
			return KT_OK;
		base.year = a->year;
	} else {
		if (!kt_goal_definition(g, KT_TIME_MAX, &base.def) ||
		    (base.def.retired && !a->include_retired))
			return KT_OK;
		base.year = kt_goal_last_assessed_year(g);
	}
	if ((a->area >= 0 && base.def.area != a->area) ||
	    (a->level >= 0 && (int)base.def.level != a->level) || base.def.area < 0)
		return KT_OK;
	struct kt_goal_row found[KT_GOAL_ROWS_MAX];
	size_t count = 1;
	if (base.year) {
		kt_goal_rows(g, base.year, found, KT_GOAL_ROWS_MAX, &count);
	} else {
		/* Never assessed: one row, with no year to compute a verdict for. */
		memset(&found[0], 0, sizeof found[0]);
		found[0].verdict.status = -1;
	}
	for (size_t k = 0; k < count && k < KT_GOAL_ROWS_MAX; k++) {
		struct row r = base;
		r.r = found[k];
		find_shown(g, r.year, r.r.part, &r.shown);
		if (!row_wanted(&r, a))
			continue;
		if (*n == *cap) {
			size_t grown = *cap ? *cap * 2 : 64;
			struct row *more = realloc(*rows, grown * sizeof *more);
			if (!more)
				return KT_ENOMEM;
			*rows = more;
			*cap = grown;
		}
		(*rows)[(*n)++] = r;
	}
	return KT_OK;
}

static int collect(const struct kt_goals *m, const struct view_args *a, struct row **rows,
		   size_t *n)
{
	size_t cap = 0;
	*rows = NULL;
	*n = 0;
	for (size_t k = 0; k < m->n; k++) {
		int err = add_goal_rows(&m->items[k], a, rows, n, &cap);
		if (err)
			return err;
	}
	if (*n)
		qsort(*rows, *n, sizeof **rows, compare_rows);
	return KT_OK;
}

static const char *computed_key(const struct kt_goal_verdict *v)
{
	return v->status >= 0 ? kt_goal_status_key((enum kt_goal_status)v->status) : NULL;
}

/* A text of the model as a clipped cell, "—" when absent. */
static void text_cell(struct kt_text t, size_t max, char *out)
{
	if (t.s && t.len)
		cli_cell_text(t.s, t.len, max, out);
	else
		strcpy(out, "—");
}

static void value_cell(int has, double v, struct kt_text unit, char *out, size_t size)
{
	char num[32];
	if (!has) {
		snprintf(out, size, "—");
		return;
	}
	cli_number_text(v, num);
	snprintf(out, size, "%s%s%.*s", num, unit.s ? " " : "", unit.s ? (int)unit.len : 0,
		 unit.s ? unit.s : "");
}

static int print_table(const struct row *rows, size_t n)
{
	static const char *const headers[] = { "GOAL",	 "LEVEL",    "AREA",	 "YEAR",
					       "PART",	 "ASSESSED", "COMPUTED", "MEASURED",
					       "TARGET", "CHECK",    "TEXT" };
	struct cli_table t = CLI_TABLE_INIT(headers, "lllllllrrll");
	int err = KT_OK;
	for (size_t k = 0; k < n && !err; k++) {
		const struct row *r = &rows[k];
		char year[8] = "—", part[CLI_CELL_BYTES(CELL_MAX)], text[CLI_CELL_BYTES(TEXT_MAX)];
		char computed[48] = "—", measured[96], target[96];
		if (r->year)
			snprintf(year, sizeof year, "%d", r->year);
		text_cell(r->r.part, CELL_MAX, part);
		text_cell(r->def.text, TEXT_MAX, text);
		if (r->r.verdict.status >= 0)
			snprintf(computed, sizeof computed, "%s %u/%u", computed_key(&r->r.verdict),
				 r->r.verdict.met, r->r.verdict.counted);
		value_cell(r->shown.has, r->shown.measured, r->shown.ind.unit, measured,
			   sizeof measured);
		value_cell(r->shown.has, r->shown.target, r->shown.ind.unit, target, sizeof target);
		const char *cells[] = {
			r->goal->number,
			kt_goal_level_name(r->def.level),
			kt_area_at((size_t)r->def.area)->name,
			year,
			part,
			r->r.assessed ? kt_goal_status_key(r->r.assessment.status) : "unassessed",
			computed,
			measured,
			target,
			r->r.disagrees ? "disagrees" : (r->def.retired ? "retired" : ""),
			text,
		};
		err = cli_table_add(&t, cells);
	}
	if (!err) {
		if (n)
			cli_table_print(&t, "");
		printf("%zu %s\n", n, n == 1 ? "row" : "rows");
	}
	cli_table_free(&t);
	return err;
}

/* A model text for a row, NUL-terminated in a scratch buffer. */
static const char *row_text(struct kt_text t, char *buf, size_t size)
{
	return t.s ? cli_text_copy(t, buf, size) : NULL;
}

static void goal_out(struct cli_rows *w, const struct row *r)
{
	char id[KT_ID_TEXT_LEN + 1], buf[8][8192];
	const struct kt_goal_definition *d = &r->def;
	const struct shown_indicator *s = &r->shown;
	kt_id_format(r->goal->id, id);
	cli_row_begin(w);
	cli_row_text(w, "number", r->goal->number);
	cli_row_text(w, "id", id);
	cli_row_text(w, "level", kt_goal_level_key(d->level));
	cli_row_text(w, "area", kt_area_at((size_t)d->area)->key);
	cli_row_text(w, "parent", row_text(d->parent, buf[0], sizeof buf[0]));
	cli_row_text(w, "title", row_text(d->title, buf[1], sizeof buf[1]));
	cli_row_text(w, "text", row_text(d->text, buf[2], sizeof buf[2]));
	cli_row_int(w, "period_from", 1, d->period_from);
	cli_row_int(w, "period_to", 1, d->period_to);
	cli_row_bool(w, "retired", d->retired);
	cli_row_int(w, "year", r->year != 0, r->year);
	cli_row_text(w, "part", row_text(r->r.part, buf[3], sizeof buf[3]));
	cli_row_text(w, "status",
		     r->r.assessed ? kt_goal_status_key(r->r.assessment.status) : "unassessed");
	cli_row_text(w, "wording",
		     r->r.assessed ? row_text(r->r.assessment.wording, buf[4], sizeof buf[4])
				   : NULL);
	cli_row_text(w, "computed", computed_key(&r->r.verdict));
	cli_row_int(w, "indicators_counted", 1, r->r.verdict.counted);
	cli_row_int(w, "indicators_met", 1, r->r.verdict.met);
	cli_row_bool(w, "disagrees", r->r.disagrees);
	cli_row_text(w, "indicator", s->has ? s->ind.label : NULL);
	cli_row_number(w, "measured", s->has, s->measured);
	cli_row_number(w, "target", s->has, s->target);
	cli_row_text(w, "unit", s->has ? row_text(s->ind.unit, buf[5], sizeof buf[5]) : NULL);
	cli_row_text(w, "direction", s->has ? kt_goal_direction_key(s->ind.direction) : NULL);
	cli_row_end(w);
}

static int print_rows(const struct row *rows, size_t n, enum cli_format format)
{
	struct cli_rows w = CLI_ROWS_INIT(format);
	cli_rows_begin(&w, goal_keys, GOAL_KEYS);
	for (size_t k = 0; k < n && !cli_interrupted; k++)
		goal_out(&w, &rows[k]);
	cli_rows_end(&w);
	return KT_OK;
}

int cli_goal_rows(const struct kt_goals *m, const char *stream, json_t *rows)
{
	static const struct view_args all = VIEW_ARGS_INIT;
	size_t plen = strlen(KT_GOAL_STREAM_PREFIX), n = 0, cap = 0;
	const struct kt_goal *g = NULL;
	struct row *found = NULL;
	struct cli_rows w = CLI_ROWS_TREE(rows);
	if (strncmp(stream, KT_GOAL_STREAM_PREFIX, plen) == 0)
		g = kt_goals_find(m, stream + plen, strlen(stream + plen));
	int err = g ? add_goal_rows(g, &all, &found, &n, &cap) : KT_OK;
	for (size_t k = 0; k < n; k++) {
		/* The goal as a whole is its number, a part "M-2025-002 (part)". */
		char part[1024], key[sizeof part + KT_GOAL_NUMBER_SIZE + 4];
		if (found[k].r.part.s)
			snprintf(key, sizeof key, "%s (%s)", g->number,
				 cli_text_copy(found[k].r.part, part, sizeof part));
		else
			snprintf(key, sizeof key, "%s", g->number);
		cli_rows_key(&w, key);
		goal_out(&w, &found[k]);
	}
	free(found);
	return err ? err : cli_rows_status(&w);
}

static int cmd_summary(int argc, char **argv);

static const struct option goals_options[] = {
	CLI_COMMON_OPTIONS,
	{ "area", required_argument, NULL, OPT_AREA },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "disagree", no_argument, NULL, OPT_DISAGREE },
	{ "include-retired", no_argument, NULL, OPT_INCLUDE_RETIRED },
	CLI_MOMENT_OPTIONS,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ 0, 0, 0, 0 },
};

static int cmd_goals(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "summary") == 0)
		return cmd_summary(argc - 1, argv + 1);
	struct view_args a = VIEW_ARGS_INIT;
	int rc = parse_view(argc, argv, goals_options, goals_usage, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (a.include_retired && a.year) {
		cli_error("--include-retired goes without --year (a year shows the goals retired "
			  "during it anyway)");
		return EXIT_USAGE;
	}
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_goals model;
	struct row *rows = NULL;
	size_t n = 0;
	if ((rc = cli_load_goals(s, &a.moment, &model)))
		goto close;
	int err = collect(&model, &a, &rows, &n);
	if (!err)
		err =
		    a.format == FORMAT_TABLE ? print_table(rows, n) : print_rows(rows, n, a.format);
	if (err) {
		cli_error("%s", kt_strerror(err));
		rc = cli_exit_for(err);
	}
	free(rows);
	kt_goals_free(&model);
close:
	kt_store_close(s);
	return rc;
}

/* ---- kontroll goals summary --------------------------------------------- */

static const char summary_usage[] =
    "usage: kontroll goals summary --year Y [--level L] [--as-of DATE]\n"
    "                      [--known-at TIME] [--no-snapshots]\n"
    "                      [--format table|json|csv] [--db PATH]\n"
    "\n"
    "For each area, how the goals taking part in year Y stand: the number of\n"
    "rows (a goal, or each part of one assessed apart) of each status, those\n"
    "not assessed, and those whose assessment disagrees with the verdict its\n"
    "measurements give. The overview the city council reads.\n"
    "\n"
    "  --year Y            the year (required)\n"
    "  --level L           count only goals of level L\n"
    "  --as-of, --known-at, --no-snapshots, --format, --db as for kontroll goals\n"
    "\n"
    "json/csv keys: area, area_name, goals, rows, achieved, partly, not_achieved,\n"
    "on_track, unassessed, disagree (json: one object per area, then one whose\n"
    "area is \"total\")\n";

static const char *const summary_keys[] = { "area",	  "area_name", "goals",	       "rows",
					    "achieved",	  "partly",    "not_achieved", "on_track",
					    "unassessed", "disagree" };
#define SUMMARY_KEYS (sizeof summary_keys / sizeof summary_keys[0])

/* The figures of one line: an area's, or the total's (area -1). */
struct line {
	uint64_t goals, rows, status[KT_STATUSES + 1], disagree;
};

static struct line line_of(const struct kt_goal_summary *sum, int area)
{
	struct line l;
	memset(&l, 0, sizeof l);
	for (int a = 0; a < KT_AREAS; a++) {
		if (area >= 0 && a != area)
			continue;
		l.goals += sum->goals[a];
		l.rows += sum->rows[a];
		l.disagree += sum->disagree[a];
		for (int s = 0; s <= KT_STATUSES; s++)
			l.status[s] += sum->status[a][s];
	}
	return l;
}

static int summary_table(const struct kt_goal_summary *sum)
{
	static const char *const headers[] = { "AREA",	   "GOALS",	 "ROWS",
					       "ACHIEVED", "PARTLY",	 "NOT ACH.",
					       "ON TRACK", "UNASSESSED", "DISAGREE" };
	struct cli_table t = CLI_TABLE_INIT(headers, "lrrrrrrrr");
	int err = KT_OK;
	printf("Goal achievement %d: rows by status, per area\n\n", sum->year);
	/* One line per area with goals, then the total (a == KT_AREAS). */
	for (int a = 0; a <= KT_AREAS && !err; a++) {
		int total = a == KT_AREAS;
		struct line l = line_of(sum, total ? -1 : a);
		if (!total && !l.goals)
			continue;
		char v[9][24];
		const char *cells[9];
		cells[0] = total ? "total" : kt_area_at((size_t)a)->name;
		uint64_t figures[8] = { l.goals,
					l.rows,
					l.status[KT_STATUS_ACHIEVED],
					l.status[KT_STATUS_PARTLY],
					l.status[KT_STATUS_NOT_ACHIEVED],
					l.status[KT_STATUS_ON_TRACK],
					l.status[KT_STATUSES],
					l.disagree };
		for (int k = 0; k < 8; k++) {
			snprintf(v[k], sizeof v[k], "%llu", (unsigned long long)figures[k]);
			cells[k + 1] = v[k];
		}
		err = cli_table_add(&t, cells);
	}
	if (!err)
		cli_table_print(&t, "");
	cli_table_free(&t);
	return err;
}

static void summary_row(struct cli_rows *w, const char *key, const char *name, const struct line *l)
{
	cli_row_begin(w);
	cli_row_text(w, "area", key);
	cli_row_text(w, "area_name", name);
	cli_row_int(w, "goals", 1, (long long)l->goals);
	cli_row_int(w, "rows", 1, (long long)l->rows);
	cli_row_int(w, "achieved", 1, (long long)l->status[KT_STATUS_ACHIEVED]);
	cli_row_int(w, "partly", 1, (long long)l->status[KT_STATUS_PARTLY]);
	cli_row_int(w, "not_achieved", 1, (long long)l->status[KT_STATUS_NOT_ACHIEVED]);
	cli_row_int(w, "on_track", 1, (long long)l->status[KT_STATUS_ON_TRACK]);
	cli_row_int(w, "unassessed", 1, (long long)l->status[KT_STATUSES]);
	cli_row_int(w, "disagree", 1, (long long)l->disagree);
	cli_row_end(w);
}

static void summary_rows(const struct kt_goal_summary *sum, enum cli_format format)
{
	struct cli_rows w = CLI_ROWS_INIT(format);
	cli_rows_begin(&w, summary_keys, SUMMARY_KEYS);
	for (int a = 0; a < KT_AREAS; a++) {
		struct line l = line_of(sum, a);
		if (l.goals)
			summary_row(&w, kt_area_at((size_t)a)->key, kt_area_at((size_t)a)->name,
				    &l);
	}
	struct line total = line_of(sum, -1);
	summary_row(&w, "total", "total", &total);
	cli_rows_end(&w);
}

static int cmd_summary(int argc, char **argv)
{
	struct view_args a = VIEW_ARGS_INIT;
	int rc = parse_view(argc, argv, goals_options, summary_usage, &a);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (!a.year) {
		cli_error("--year is required (kontroll goals summary --year 2025)");
		return EXIT_USAGE;
	}
	if (a.area >= 0 || a.status >= 0 || a.disagree || a.include_retired) {
		cli_error("summary counts every area and status; --area, --status, --disagree "
			  "and --include-retired belong to kontroll goals");
		return EXIT_USAGE;
	}
	kt_store *s;
	if ((rc = cli_open_view_store(a.db, &s)))
		return rc;
	struct kt_goals model;
	if (!(rc = cli_load_goals(s, &a.moment, &model))) {
		struct kt_goal_summary sum;
		kt_goal_summary(&model, a.year, a.level, &sum);
		int err = KT_OK;
		if (a.format == FORMAT_TABLE)
			err = summary_table(&sum);
		else
			summary_rows(&sum, a.format);
		if (err) {
			cli_error("%s", kt_strerror(err));
			rc = cli_exit_for(err);
		}
		kt_goals_free(&model);
	}
	kt_store_close(s);
	return rc;
}

const struct cli_command cli_goal_view_commands[] = {
	{ "goals", "list goals with assessed and computed verdicts; summary per area", goals_usage,
	  cmd_goals },
	{ NULL, NULL, NULL, NULL },
};
