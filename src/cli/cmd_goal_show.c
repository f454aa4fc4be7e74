/*
 * cmd_goal_show.c — `kontroll goal show ID`: one goal whole — its
 * definition with parent and sub-goals, each indicator with baseline,
 * yearly targets against the measurements and the whole series, every
 * year's assessments beside the computed verdict, and the goal's events —
 * as a page for people or one JSON object for programs.
 */
#define _POSIX_C_SOURCE 200809L
#include "goal_cli.h"
#include "render.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 60

static const char show_usage[] =
    "usage: kontroll goal show ID [--year Y] [--as-of DATE] [--known-at TIME]\n"
    "                          [--no-snapshots] [--format table|json] [--db PATH]\n"
    "\n"
    "The goal whole: its definition, parent and sub-goals; each indicator with\n"
    "its baseline, its targets year by year against the measurement of that\n"
    "year, and the whole series; every year's assessment beside the verdict\n"
    "the measurements give; and its events (kontroll history --stream\n"
    "goal-ID gives them in full).\n"
    "\n"
    "  --year Y            read the definition, indicators and targets as they\n"
    "                      stood at the end of year Y (default: as they stand)\n"
    "  --as-of DATE        as things stood at DATE, by all that is known now\n"
    "  --known-at TIME     as kontroll showed it at TIME\n"
    "  --no-snapshots      replay the whole log, trusting no snapshot\n"
    "  --format F          table (default) or json (one object)\n"
    "  --db PATH           the store file\n";

enum { OPT_YEAR = CLI_OPT_MOMENT_END };

static const char *const kind_types[] = {
	[KT_GFACT_DEFINED] = KT_EV_GOAL_DEFINED,
	[KT_GFACT_REVISED] = KT_EV_GOAL_REVISED,
	[KT_GFACT_INDICATOR_DEFINED] = KT_EV_GOAL_INDICATOR_DEFINED,
	[KT_GFACT_INDICATOR_REVISED] = KT_EV_GOAL_INDICATOR_REVISED,
	[KT_GFACT_MEASURED] = KT_EV_GOAL_MEASURED,
	[KT_GFACT_ASSESSED] = KT_EV_GOAL_ASSESSED,
	[KT_GFACT_RETIRED] = KT_EV_GOAL_RETIRED,
};

/* What the page shows, read once from the model. */
struct page {
	const struct kt_goals *model;
	const struct kt_goal *goal;
	int year; /* 0: as things stand */
	int64_t at;
	struct kt_goal_definition def;
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n_ind;
	int years[KT_GOAL_PERIOD_MAX * 2]; /* the years assessed, ascending */
	size_t n_years;
};

static void read_page(struct page *p)
{
	kt_goal_indicators(p->goal, p->at, p->ind, KT_GOAL_INDICATORS_MAX, &p->n_ind);
	if (p->n_ind > KT_GOAL_INDICATORS_MAX)
		p->n_ind = KT_GOAL_INDICATORS_MAX;
	for (uint32_t k = 0; k < p->goal->n_facts; k++) {
		const struct kt_goal_fact *f = &p->goal->facts[k];
		int64_t year;
		if (f->kind != KT_GFACT_ASSESSED || f->retracted ||
		    kt_data_get_int(f->data, f->len, "year", &year))
			continue;
		size_t i = 0;
		while (i < p->n_years && p->years[i] < year)
			i++;
		if ((i < p->n_years && p->years[i] == year) ||
		    p->n_years == sizeof p->years / sizeof p->years[0])
			continue;
		memmove(p->years + i + 1, p->years + i, (p->n_years - i) * sizeof p->years[0]);
		p->years[i] = (int)year;
		p->n_years++;
	}
}

static int is_child(const struct kt_goal *child, const struct kt_goal *parent)
{
	struct kt_goal_definition d;
	return kt_goal_definition(child, KT_TIME_MAX, &d) && d.parent.s &&
	       d.parent.len == strlen(parent->number) &&
	       memcmp(d.parent.s, parent->number, d.parent.len) == 0;
}

/* ---- for people --------------------------------------------------------- */

static void print_text(const char *label, struct kt_text t)
{
	printf("  %-12s ", label);
	if (t.s)
		cli_print_clipped(t.s, t.len, 400);
	else
		fputs("—", stdout);
	putchar('\n');
}

static void value_text(double v, struct kt_text unit, char *out, size_t size)
{
	char num[32];
	cli_number_text(v, num);
	snprintf(out, size, "%s%s%.*s", num, unit.s ? " " : "", unit.s ? (int)unit.len : 0,
		 unit.s ? unit.s : "");
}

static void print_head(const struct page *p)
{
	const struct kt_goal_definition *d = &p->def;
	char id[KT_ID_TEXT_LEN + 1], date[KT_TIME_TEXT_MAX];
	kt_id_format(p->goal->id, id);
	printf("%s  %s · %s · %d–%d\n", p->goal->number, kt_goal_level_name(d->level),
	       kt_area_at((size_t)d->area)->name, d->period_from, d->period_to);
	if (p->year)
		printf("(as defined at the end of %d)\n", p->year);
	cli_print_clipped(d->text.s, d->text.len, 2000);
	puts("\n");
	print_text("title", d->title);
	print_text("parent", d->parent);
	printf("  %-12s ", "sub-goals");
	int any = 0;
	for (size_t k = 0; k < p->model->n; k++)
		if (is_child(&p->model->items[k], p->goal)) {
			printf("%s%s", any ? ", " : "", p->model->items[k].number);
			any = 1;
		}
	puts(any ? "" : "—");
	print_text("source", d->source);
	cli_people_date(d->defined_at, date);
	printf("  %-12s %s", "defined", date);
	if (d->revisions)
		printf(" (revised %u %s)", d->revisions, d->revisions == 1 ? "time" : "times");
	putchar('\n');
	if (d->retired) {
		cli_people_date(d->retired_at, date);
		printf("  %-12s %s: ", "retired", date);
		cli_print_clipped(d->retired_reason.s, d->retired_reason.len, 300);
		putchar('\n');
	}
	printf("  %-12s %s\n", "id", id);
}

static int print_indicator(const struct page *p, const struct kt_goal_indicator *ind)
{
	static const char *const target_headers[] = { "YEAR", "TARGET", "MEASURED", "DATE", "MET" };
	static const char *const series_headers[] = { "DATE", "VALUE", "SOURCE", "NOTE" };
	struct cli_table targets = CLI_TABLE_INIT(target_headers, "lrrll");
	struct cli_table series = CLI_TABLE_INIT(series_headers, "lrll");
	struct kt_goal_measurement *m = NULL;
	size_t n = 0;
	char buf[96], date[KT_TIME_TEXT_MAX];
	printf("\nINDICATOR %s  ", ind->label);
	cli_print_clipped(ind->name.s, ind->name.len, 200);
	if (ind->unit.s)
		printf(" (%.*s)", (int)ind->unit.len, ind->unit.s);
	printf(", %s\n", kt_goal_direction_name(ind->direction));
	if (ind->part.s)
		print_text("part", ind->part);
	if (ind->has_baseline) {
		value_text(ind->baseline, ind->unit, buf, sizeof buf);
		cli_people_date(ind->baseline_date, date);
		printf("  %-12s %s (%s)\n", "baseline", buf, date);
	}
	int err = kt_goal_series(p->goal, ind->label, &m, &n);
	for (uint32_t k = 0; !err && k < ind->n_targets; k++) {
		struct kt_goal_measurement in;
		char year[8], target[96], measured[96] = "—", day[KT_TIME_TEXT_MAX] = "—";
		const char *met = "—";
		snprintf(year, sizeof year, "%d", ind->targets[k].year);
		value_text(ind->targets[k].value, ind->unit, target, sizeof target);
		if (kt_goal_measurement_in(p->goal, ind->label, ind->targets[k].year, &in)) {
			value_text(in.value, ind->unit, measured, sizeof measured);
			cli_people_date_as(in.date,
					   kt_date_precision_of(in.fact->data, in.fact->len), day);
			met = kt_goal_meets(ind->direction, in.value, ind->targets[k].value) ? "yes"
											     : "no";
		}
		const char *cells[] = { year, target, measured, day, met };
		err = cli_table_add(&targets, cells);
	}
	for (size_t k = 0; !err && k < n; k++) {
		char value[96], source[CLI_CELL_BYTES(40)] = "", note[CLI_CELL_BYTES(40)] = "";
		cli_people_date_as(m[k].date, kt_date_precision_of(m[k].fact->data, m[k].fact->len),
				   date);
		value_text(m[k].value, ind->unit, value, sizeof value);
		if (m[k].source.s)
			cli_cell_text(m[k].source.s, m[k].source.len, 40, source);
		if (m[k].note.s)
			cli_cell_text(m[k].note.s, m[k].note.len, 40, note);
		const char *cells[] = { date, value, source, note };
		err = cli_table_add(&series, cells);
	}
	if (!err) {
		if (ind->n_targets)
			cli_table_print(&targets, "  ");
		else
			puts("  no targets");
		if (n) {
			printf("  series (%zu)\n", n);
			cli_table_print(&series, "    ");
		} else {
			puts("  no measurements");
		}
	}
	free(m);
	cli_table_free(&targets);
	cli_table_free(&series);
	return err;
}

static int print_assessments(const struct page *p)
{
	static const char *const headers[] = { "YEAR",	   "PART",  "STATUS", "WORDING",
					       "COMPUTED", "CHECK", "TEXT" };
	struct cli_table t = CLI_TABLE_INIT(headers, "lllllll");
	int err = KT_OK;
	puts("\nASSESSMENTS");
	for (size_t y = 0; y < p->n_years && !err; y++) {
		struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
		size_t n;
		kt_goal_rows(p->goal, p->years[y], rows, KT_GOAL_ROWS_MAX, &n);
		for (size_t k = 0; k < n && k < KT_GOAL_ROWS_MAX && !err; k++) {
			const struct kt_goal_row *r = &rows[k];
			char year[8], part[CLI_CELL_BYTES(30)] = "—",
				      wording[CLI_CELL_BYTES(40)] = "";
			char text[CLI_CELL_BYTES(TEXT_MAX)] = "", computed[48] = "—";
			snprintf(year, sizeof year, "%d", p->years[y]);
			if (r->part.s)
				cli_cell_text(r->part.s, r->part.len, 30, part);
			if (r->assessed && r->assessment.wording.s)
				cli_cell_text(r->assessment.wording.s, r->assessment.wording.len,
					      40, wording);
			if (r->assessed && r->assessment.text.s)
				cli_cell_text(r->assessment.text.s, r->assessment.text.len,
					      TEXT_MAX, text);
			if (r->verdict.status >= 0)
				snprintf(computed, sizeof computed, "%s %u/%u",
					 kt_goal_status_key((enum kt_goal_status)r->verdict.status),
					 r->verdict.met, r->verdict.counted);
			const char *cells[] = {
				year,
				part,
				r->assessed ? kt_goal_status_key(r->assessment.status) : "unassessed",
				wording,
				computed,
				r->disagrees ? "disagrees" : "",
				text
			};
			err = cli_table_add(&t, cells);
		}
	}
	if (!err) {
		if (t.rows)
			cli_table_print(&t, "  ");
		else
			puts("  none");
	}
	cli_table_free(&t);
	return err;
}

/* Characters of an event id that tell the goal's events apart: at least 8,
 * never ending at a dash. UUIDv7 ids share their leading (time) digits. */
static size_t id_chars(const struct kt_goal *g)
{
	size_t len = 8;
	for (uint32_t a = 0; a < g->n_facts; a++)
		for (uint32_t b = a + 1; b < g->n_facts; b++) {
			char x[KT_ID_TEXT_LEN + 1], y[KT_ID_TEXT_LEN + 1];
			size_t k = 0;
			kt_id_format(g->facts[a].id, x);
			kt_id_format(g->facts[b].id, y);
			while (k < KT_ID_TEXT_LEN && x[k] == y[k])
				k++;
			if (k + 1 > len)
				len = k + 1;
		}
	/* Dashes stand at 8, 13, 18 and 23: show the digit after one. */
	if (len == 9 || len == 14 || len == 19 || len == 24)
		len++;
	return len > KT_ID_TEXT_LEN ? KT_ID_TEXT_LEN : len;
}

static int print_history(const struct page *p)
{
	size_t shown = id_chars(p->goal);
	static const char *const headers[] = { "POSITION", "EFFECTIVE", "TYPE", "EVENT", "STATE" };
	struct cli_table t = CLI_TABLE_INIT(headers, "rllll");
	int err = KT_OK;
	printf("\nEVENTS (%u; kontroll history --stream %s%s)\n", p->goal->n_facts,
	       KT_GOAL_STREAM_PREFIX, p->goal->number);
	for (uint32_t k = 0; k < p->goal->n_facts && !err; k++) {
		const struct kt_goal_fact *f = &p->goal->facts[k];
		char pos[24], eff[KT_TIME_TEXT_MAX], id[KT_ID_TEXT_LEN + 1], state[48] = "";
		snprintf(pos, sizeof pos, "%llu", (unsigned long long)f->position);
		cli_people_date(f->at, eff);
		kt_id_format(f->id, id);
		id[shown] = 0;
		if (f->retracted)
			snprintf(state, sizeof state, "retracted");
		else if (f->corrected_by)
			snprintf(state, sizeof state, "corrected at %llu",
				 (unsigned long long)f->corrected_by);
		const char *cells[] = { pos, eff, kind_types[f->kind], id, state };
		err = cli_table_add(&t, cells);
	}
	if (!err)
		cli_table_print(&t, "  ");
	cli_table_free(&t);
	return err;
}

static int print_page(const struct page *p)
{
	print_head(p);
	int err = KT_OK;
	for (size_t k = 0; k < p->n_ind && !err; k++)
		err = print_indicator(p, &p->ind[k]);
	if (!err && !p->n_ind)
		puts("\nno indicators");
	if (!err)
		err = print_assessments(p);
	return err ? err : print_history(p);
}

/* ---- for programs ------------------------------------------------------- */

static json_t *jtext(struct kt_text t)
{
	return t.s ? json_stringn(t.s, t.len) : json_null();
}

static json_t *jnumber(int has, double v)
{
	return has ? json_real(v) : json_null();
}

static json_t *jindicator(const struct page *p, const struct kt_goal_indicator *ind)
{
	struct cli_jobj o = { json_object(), 0 };
	json_t *targets = json_array(), *series = json_array();
	struct kt_goal_measurement *m = NULL;
	size_t n = 0;
	cli_jobj_put(&o, "label", json_string(ind->label));
	cli_jobj_put(&o, "name", jtext(ind->name));
	cli_jobj_put(&o, "unit", jtext(ind->unit));
	cli_jobj_put(&o, "direction", json_string(kt_goal_direction_key(ind->direction)));
	cli_jobj_put(&o, "part", jtext(ind->part));
	cli_jobj_put(&o, "source", jtext(ind->source));
	cli_jobj_put(&o, "baseline", jnumber(ind->has_baseline, ind->baseline));
	cli_jobj_put(&o, "baseline_date", cli_json_date(ind->baseline_date));
	for (uint32_t k = 0; targets && k < ind->n_targets; k++) {
		struct kt_goal_measurement in;
		int has = kt_goal_measurement_in(p->goal, ind->label, ind->targets[k].year, &in);
		struct cli_jobj t = { json_object(), 0 };
		cli_jobj_put(&t, "year", json_integer(ind->targets[k].year));
		cli_jobj_put(&t, "target", json_real(ind->targets[k].value));
		cli_jobj_put(&t, "measured", jnumber(has, in.value));
		cli_jobj_put(&t, "measured_date", cli_json_date(has ? in.date : KT_TIME_UNSET));
		cli_jobj_put(&t, "met",
			     has ? json_boolean(kt_goal_meets(ind->direction, in.value,
							      ind->targets[k].value))
				 : json_null());
		json_t *done = cli_jobj_done(&t);
		if (!done || json_array_append_new(targets, done))
			o.failed = 1;
	}
	if (kt_goal_series(p->goal, ind->label, &m, &n))
		o.failed = 1;
	for (size_t k = 0; series && k < n; k++) {
		struct cli_jobj s = { json_object(), 0 };
		cli_jobj_put(&s, "date", cli_json_date(m[k].date));
		cli_jobj_put(&s, "value", json_real(m[k].value));
		cli_jobj_put(&s, "source", jtext(m[k].source));
		cli_jobj_put(&s, "note", jtext(m[k].note));
		json_t *done = cli_jobj_done(&s);
		if (!done || json_array_append_new(series, done))
			o.failed = 1;
	}
	free(m);
	cli_jobj_put(&o, "targets", targets);
	cli_jobj_put(&o, "series", series);
	return cli_jobj_done(&o);
}

static json_t *jassessments(const struct page *p)
{
	json_t *list = json_array();
	for (size_t y = 0; list && y < p->n_years; y++) {
		struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
		size_t n;
		kt_goal_rows(p->goal, p->years[y], rows, KT_GOAL_ROWS_MAX, &n);
		for (size_t k = 0; k < n && k < KT_GOAL_ROWS_MAX; k++) {
			const struct kt_goal_row *r = &rows[k];
			const struct kt_goal_assessment *a = &r->assessment;
			struct cli_jobj o = { json_object(), 0 };
			cli_jobj_put(&o, "year", json_integer(p->years[y]));
			cli_jobj_put(&o, "part", jtext(r->part));
			cli_jobj_put(&o, "status",
				     json_string(r->assessed ? kt_goal_status_key(a->status)
							     : "unassessed"));
			cli_jobj_put(&o, "wording", r->assessed ? jtext(a->wording) : json_null());
			cli_jobj_put(&o, "text", r->assessed ? jtext(a->text) : json_null());
			cli_jobj_put(&o, "source", r->assessed ? jtext(a->source) : json_null());
			cli_jobj_put(&o, "effective",
				     r->assessed ? cli_json_date(a->fact->at) : json_null());
			cli_jobj_put(&o, "computed",
				     r->verdict.status >= 0
					 ? json_string(kt_goal_status_key(
					       (enum kt_goal_status)r->verdict.status))
					 : json_null());
			cli_jobj_put(&o, "indicators_counted", json_integer(r->verdict.counted));
			cli_jobj_put(&o, "indicators_met", json_integer(r->verdict.met));
			cli_jobj_put(&o, "disagrees", json_boolean(r->disagrees));
			json_t *done = cli_jobj_done(&o);
			if (!done || json_array_append_new(list, done)) {
				json_decref(list);
				return NULL;
			}
		}
	}
	return list;
}

static json_t *jevents(const struct page *p)
{
	json_t *list = json_array();
	for (uint32_t k = 0; list && k < p->goal->n_facts; k++) {
		const struct kt_goal_fact *f = &p->goal->facts[k];
		char id[KT_ID_TEXT_LEN + 1], at[KT_TIME_TEXT_MAX];
		kt_id_format(f->id, id);
		kt_time_format(f->at, at);
		struct cli_jobj o = { json_object(), 0 };
		cli_jobj_put(&o, "position", json_integer((json_int_t)f->position));
		cli_jobj_put(&o, "id", json_string(id));
		cli_jobj_put(&o, "type", json_string(kind_types[f->kind]));
		cli_jobj_put(&o, "effective", json_string(at));
		cli_jobj_put(&o, "retracted", json_boolean(f->retracted));
		cli_jobj_put(&o, "corrected_by",
			     f->corrected_by ? json_integer((json_int_t)f->corrected_by)
					     : json_null());
		json_t *done = cli_jobj_done(&o);
		if (!done || json_array_append_new(list, done)) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

static int print_json(const struct page *p)
{
	const struct kt_goal_definition *d = &p->def;
	char id[KT_ID_TEXT_LEN + 1];
	struct cli_jobj o = { json_object(), 0 };
	json_t *children = json_array(), *indicators = json_array();
	kt_id_format(p->goal->id, id);
	for (size_t k = 0; children && k < p->model->n; k++)
		if (is_child(&p->model->items[k], p->goal) &&
		    json_array_append_new(children, json_string(p->model->items[k].number)))
			o.failed = 1;
	for (size_t k = 0; indicators && k < p->n_ind; k++) {
		json_t *ind = jindicator(p, &p->ind[k]);
		if (!ind || json_array_append_new(indicators, ind))
			o.failed = 1;
	}
	cli_jobj_put(&o, "number", json_string(p->goal->number));
	cli_jobj_put(&o, "id", json_string(id));
	cli_jobj_put(&o, "as_of_year", p->year ? json_integer(p->year) : json_null());
	cli_jobj_put(&o, "level", json_string(kt_goal_level_key(d->level)));
	cli_jobj_put(&o, "area", json_string(kt_area_at((size_t)d->area)->key));
	cli_jobj_put(&o, "period_from", json_integer(d->period_from));
	cli_jobj_put(&o, "period_to", json_integer(d->period_to));
	cli_jobj_put(&o, "title", jtext(d->title));
	cli_jobj_put(&o, "text", jtext(d->text));
	cli_jobj_put(&o, "source", jtext(d->source));
	cli_jobj_put(&o, "parent", jtext(d->parent));
	cli_jobj_put(&o, "children", children);
	cli_jobj_put(&o, "defined", cli_json_date(d->defined_at));
	cli_jobj_put(&o, "revisions", json_integer(d->revisions));
	cli_jobj_put(&o, "retired", cli_json_date(d->retired ? d->retired_at : KT_TIME_UNSET));
	cli_jobj_put(&o, "retired_reason", jtext(d->retired_reason));
	cli_jobj_put(&o, "indicators", indicators);
	cli_jobj_put(&o, "assessments", jassessments(p));
	cli_jobj_put(&o, "events", jevents(p));
	json_t *done = cli_jobj_done(&o);
	if (!done)
		return KT_ENOMEM;
	/* Fifteen digits give back every number as it was typed (10.2, not
	 * 10.199999999999999), as the listings print it. */
	json_dumpf(done, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	putchar('\n');
	json_decref(done);
	return KT_OK;
}

/* ---- the command -------------------------------------------------------- */

int cli_goal_show(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS, { "year", required_argument, NULL, OPT_YEAR },
		CLI_MOMENT_OPTIONS, { "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	struct cli_moment moment = CLI_MOMENT_NOW;
	enum cli_format format = FORMAT_TABLE;
	const char *db = NULL;
	uint64_t year = 0;
	int c;
	optind = 1;
	while ((c = cli_getopt(argc, argv, opts, show_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'f':
			if (cli_parse_format(optarg, 0, &format))
				return EXIT_INPUT;
			break;
		case OPT_YEAR:
			if (cli_parse_u64(optarg, &year) || year < 1900 || year > 9998) {
				cli_error("--year: '%s' is not a year (1900-9998)", optarg);
				return EXIT_INPUT;
			}
			break;
		case ':':
		case '?':
			return cli_usage_error(c, argv[optind - 1]);
		default:
			if (cli_moment_option(c, optarg, &moment))
				return EXIT_INPUT;
		}
	}
	if (optind >= argc) {
		cli_error("which goal? (kontroll goal show ID)");
		return EXIT_USAGE;
	}
	const char *want = argv[optind++];
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	kt_store *s;
	int rc = cli_open_view_store(db, &s);
	if (rc)
		return rc;
	struct kt_goals model;
	struct page *p = calloc(1, sizeof *p);
	if (!p) {
		cli_error("out of memory");
		kt_store_close(s);
		return EXIT_FAILURE_STORE;
	}
	if ((rc = cli_load_goals(s, &moment, &model)))
		goto out;
	p->model = &model;
	p->year = (int)year;
	p->at = year ? kt_goal_year_end((int)year) : KT_TIME_MAX;
	if ((rc = cli_find_goal(&model, want, &p->goal)))
		goto out_model;
	if (!kt_goal_definition(p->goal, p->at, &p->def)) {
		if (year)
			cli_error("%s was not yet defined at the end of %d", p->goal->number,
				  (int)year);
		else
			cli_error("%s is retracted", p->goal->number);
		rc = EXIT_NOTFOUND;
		goto out_model;
	}
	read_page(p);
	int err = format == FORMAT_JSON ? print_json(p) : print_page(p);
	if (err) {
		cli_error("%s", kt_strerror(err));
		rc = cli_exit_for(err);
	}
out_model:
	kt_goals_free(&model);
out:
	free(p);
	kt_store_close(s);
	return rc;
}
