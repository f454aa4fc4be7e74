/*
 * cmd_goal.c — `kontroll goal SUBCOMMAND`: the commands that record goal
 * achievement (måloppnåelse): a goal's definition with its first indicator,
 * more indicators, measurements, yearly assessments, revisions of the goal
 * or an indicator, retirement, and corrections.
 *
 * As for incidents (cmd_incident.c), each subcommand is a row of a table:
 * the options that fill its payloads, and the rules it checks against the
 * goal as it stands. One runner does the rest: parse, fold the goals model,
 * check, build and validate every payload against the catalogue, and append
 * with the stream version it read, so two advisers recording on one goal at
 * once cannot overwrite each other. `define` claims a new number instead
 * (by appending to a stream that must not exist yet). `show` and `plot` are
 * in cmd_goal_show.c and cmd_goal_plot.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "goal_cli.h"
#include "revision.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h" /* event.corrected, event.retracted */
#include "kontroll/ktime.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
	OPT_TEXT,      /* a text field */
	OPT_DAY,       /* a YYYY-MM-DD field */
	OPT_EFFECTIVE, /* the event's effective time */
	OPT_LEVEL,     /* wording → level key */
	OPT_AREA,      /* wording → area key */
	OPT_PERIOD,    /* YYYY or YYYY-YYYY → period_from, period_to */
	OPT_NUMBER,    /* a number field */
	OPT_TARGET,    /* YEAR=VALUE into the targets object; repeatable */
	OPT_DIRECTION, /* wording → direction key */
	OPT_STATUS,    /* wording → status key, the wording kept */
	OPT_YEAR,      /* a year field */
	OPT_PARENT,    /* a goal number */
	OPT_LABEL,     /* the indicator a step is about */
	OPT_JSON,      /* a JSON object */
};

/* Which payload an option fills. */
enum opt_payload { TO_GOAL, TO_INDICATOR };

struct sub_option {
	const char *name;  /* the long option */
	const char *field; /* the payload field it fills, or NULL */
	enum opt_kind kind;
	enum opt_payload to;
	int required;
	const char *help;
};

struct sub_context;

/* Subcommand flags. */
#define SUB_NO_ID      1u /* takes no ID (define) */
#define SUB_RETIRED_OK 2u /* allowed on a retired goal */
#define SUB_REVISION   4u /* correct, retract: effective when the target was */

struct subcommand {
	const char *name;
	const char *type; /* the event type written; revise decides its own */
	const char *synopsis;
	const char *summary;
	const struct sub_option *options;
	unsigned flags;
	/* Fill what the state decides and check the state rules; print the
	 * error and return an exit code to refuse. */
	int (*prepare)(struct sub_context *c);
};

/* What one run of a subcommand works with. */
struct sub_context {
	const struct subcommand *sub;
	const char *type;  /* the event type to write */
	json_t *payload;   /* the goal event's payload */
	json_t *indicator; /* an indicator's fields (define, indicator, revise) */
	struct kt_goals *model;
	const struct kt_goal *goal;
	struct kt_goal_definition def; /* the goal as it stands now */
	kt_store *store;
	char stream[sizeof KT_GOAL_STREAM_PREFIX + KT_GOAL_NUMBER_SIZE];
	char label[KT_GOAL_LABEL_SIZE]; /* the indicator written or named */
	const char *status_text;	/* --status as given */
	int64_t effective;		/* KT_TIME_UNSET: when recorded */
	int has_effective;
	const char *db, *actor, *id;
	enum cli_format format;
};

/* ---- options ------------------------------------------------------------ */

static void list_keys(const char *(*key)(int), int n, char *out, size_t size)
{
	size_t len = 0;
	out[0] = 0;
	for (int k = 0; k < n && len < size; k++) {
		int w = snprintf(out + len, size - len, "%s%s", k ? ", " : "", key(k));
		if (w > 0)
			len += (size_t)w;
	}
}
static const char *level_name_at(int k)
{
	return kt_goal_level_name((enum kt_goal_level)k);
}
static const char *area_name_at(int k)
{
	return kt_area_at((size_t)k)->name;
}

/* A four-digit year; a bad one is reported as --OPTION's, or not at all
 * when option is NULL (the caller reports it). */
static int parse_year(const char *option, const char *text, int *out)
{
	uint64_t y;
	if (cli_parse_u64(text, &y) || strlen(text) != 4 || y < 1900) {
		if (!option)
			return EXIT_INPUT;
		cli_error("--%s: '%s' is not a year (YYYY)", option, text);
		return EXIT_INPUT;
	}
	*out = (int)y;
	return EXIT_OK;
}

/* "2025-2028", "2025–2028" or "2025". */
static int take_period(json_t *payload, const char *text)
{
	char from[5] = "", to[5] = "";
	size_t n = strlen(text);
	int ok = n == 4 || n == 9 || n == 11;
	if (ok) {
		memcpy(from, text, 4);
		if (n == 4)
			memcpy(to, text, 4);
		else if (n == 9 && text[4] == '-')
			memcpy(to, text + 5, 4);
		else if (n == 11 && memcmp(text + 4, "\xe2\x80\x93", 3) == 0)
			memcpy(to, text + 7, 4);
		else
			ok = 0;
	}
	int a, b;
	if (!ok || parse_year(NULL, from, &a) || parse_year(NULL, to, &b)) {
		cli_error("--period: '%s' is not a period (YYYY or YYYY-YYYY)", text);
		return EXIT_INPUT;
	}
	if (b < a || b - a >= KT_GOAL_PERIOD_MAX) {
		cli_error("--period: '%s' must run forwards, %d years at most", text,
			  KT_GOAL_PERIOD_MAX);
		return EXIT_INPUT;
	}
	json_object_set_new(payload, "period_from", json_integer(a));
	json_object_set_new(payload, "period_to", json_integer(b));
	return EXIT_OK;
}

static int take_target(json_t *payload, const char *text)
{
	const char *eq = strchr(text, '=');
	char year[8];
	double v;
	int y;
	if (!eq || eq - text != 4) {
		cli_error("--target: '%s' is not YEAR=VALUE (e.g. 2025=10.2)", text);
		return EXIT_INPUT;
	}
	memcpy(year, text, 4);
	year[4] = 0;
	if (parse_year("target", year, &y) || cli_parse_number("--target", eq + 1, &v))
		return EXIT_INPUT;
	json_t *targets = json_object_get(payload, "targets");
	if (!targets) {
		targets = json_object();
		json_object_set_new(payload, "targets", targets);
	}
	if (json_object_get(targets, year)) {
		cli_error("--target: %s given twice", year);
		return EXIT_INPUT;
	}
	json_object_set_new(targets, year, json_real(v));
	return EXIT_OK;
}

/* Turn one option value into a payload field or a setting of c. */
static int take_option(struct sub_context *c, const struct sub_option *o, const char *value)
{
	json_t *p = o->to == TO_INDICATOR ? c->indicator : c->payload;
	char names[400];
	int k;
	double v;
	int64_t us;
	switch (o->kind) {
	case OPT_TEXT:
		return cli_payload_set_text(p, o->field, value);
	case OPT_DAY:
		if (strlen(value) != 10 || kt_data_parse_date(value, 10, &us)) {
			cli_error("--%s: '%s' is not a date (YYYY-MM-DD)", o->name, value);
			return EXIT_INPUT;
		}
		if (us > kt_time_now()) {
			cli_error("--%s: '%s' is in the future", o->name, value);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(p, o->field, value);
	case OPT_EFFECTIVE:
		if (kt_time_parse(value, &c->effective)) {
			cli_error("--%s: '%s' is not a date or time (YYYY-MM-DD or "
				  "YYYY-MM-DDTHH:MM:SSZ)",
				  o->name, value);
			return EXIT_INPUT;
		}
		if (c->effective > kt_time_now()) {
			cli_error("--%s: '%s' is in the future", o->name, value);
			return EXIT_INPUT;
		}
		c->has_effective = 1;
		return EXIT_OK;
	case OPT_LEVEL:
		if ((k = kt_goal_level_parse(value)) < 0) {
			list_keys(level_name_at, KT_LEVELS, names, sizeof names);
			cli_error("--%s: '%s' is not one of %s", o->name, value, names);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(p, o->field, kt_goal_level_key((enum kt_goal_level)k));
	case OPT_AREA:
		if ((k = kt_area_find(value)) < 0) {
			size_t len = 0;
			for (size_t a = 0; a < KT_AREAS; a++)
				len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
							a ? "; " : "", area_name_at((int)a));
			cli_error("--%s: '%s' is not an area (one of %s)", o->name, value, names);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(p, o->field, kt_area_at((size_t)k)->key);
	case OPT_PERIOD:
		return take_period(p, value);
	case OPT_NUMBER:
		snprintf(names, sizeof names, "--%s", o->name);
		if (cli_parse_number(names, value, &v))
			return EXIT_INPUT;
		json_object_set_new(p, o->field, json_real(v));
		return EXIT_OK;
	case OPT_TARGET:
		return take_target(p, value);
	case OPT_DIRECTION:
		if ((k = kt_goal_direction_parse(value)) < 0) {
			cli_error("--%s: '%s' is not one of lower, higher (which is better)",
				  o->name, value);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(p, o->field,
					    kt_goal_direction_key((enum kt_goal_direction)k));
	case OPT_STATUS:
		if ((k = kt_goal_status_parse(value)) < 0) {
			cli_error("--%s: '%s' states no verdict (achieved, partly, not_achieved, "
				  "on_track, or the report's wording: nådd, oppnådd, delvis "
				  "nådd, ikke nådd, i rute, …)",
				  o->name, value);
			return EXIT_INPUT;
		}
		c->status_text = value;
		return cli_payload_set_text(p, o->field,
					    kt_goal_status_key((enum kt_goal_status)k));
	case OPT_YEAR:
		if (parse_year(o->name, value, &k))
			return EXIT_INPUT;
		json_object_set_new(p, o->field, json_integer(k));
		return EXIT_OK;
	case OPT_PARENT: {
		char number[KT_GOAL_NUMBER_SIZE];
		size_t n = strlen(value);
		for (size_t j = 0; j <= n && j < sizeof number; j++)
			number[j] = (char)toupper((unsigned char)value[j]);
		if (n >= sizeof number || !kt_goal_number_parse(number, n, NULL, NULL)) {
			cli_error("--%s: '%s' is not a goal number (M-2025-012)", o->name, value);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(p, o->field, number);
	}
	case OPT_LABEL: {
		size_t n = strlen(value);
		for (size_t j = 0; j <= n && j < sizeof c->label; j++)
			c->label[j] = (char)toupper((unsigned char)value[j]);
		if (n >= sizeof c->label || !kt_goal_label_ok(c->label, n)) {
			cli_error("--%s: '%s' is not an indicator label (I1, I2, …)", o->name,
				  value);
			return EXIT_INPUT;
		}
		return EXIT_OK;
	}
	case OPT_JSON: {
		json_t *obj;
		int rc = cli_parse_json_object(o->name, value, &obj);
		if (!rc)
			json_object_set_new(p, o->field, obj);
		return rc;
	}
	}
	return EXIT_USAGE;
}

/* ---- state rules -------------------------------------------------------- */

static void date_text(int64_t us, char out[KT_TIME_TEXT_MAX])
{
	kt_time_format_date(us, out);
}

static int64_t year_start(int year)
{
	return kt_time_days_from_civil(year, 1, 1) * KT_US_PER_DAY;
}

/* What a retired or withdrawn goal refuses. */
static int check_state(const struct sub_context *c)
{
	const char *nr = c->goal->number;
	if (c->goal->facts[0].retracted) {
		cli_error("%s is retracted; nothing written (a retraction is final: define the "
			  "goal anew)",
			  nr);
		return EXIT_CONFLICT;
	}
	if (c->def.retired && !(c->sub->flags & SUB_RETIRED_OK)) {
		cli_error("%s is retired; nothing written (only corrections are taken: kontroll "
			  "goal correct %s …)",
			  nr, nr);
		return EXIT_CONFLICT;
	}
	return EXIT_OK;
}

/* An effective time given must not be before the goal was defined. */
static int check_after_definition(const struct sub_context *c)
{
	char at[KT_TIME_TEXT_MAX], then[KT_TIME_TEXT_MAX];
	if (!c->has_effective || c->effective >= c->def.defined_at)
		return EXIT_OK;
	date_text(c->effective, at);
	date_text(c->def.defined_at, then);
	cli_error("--effective: %s is before %s was defined (%s); nothing written", at,
		  c->goal->number, then);
	return EXIT_INPUT;
}

/* Every year of the targets in payload lies in the period [from, to]. */
static int check_target_years(const json_t *payload, int from, int to, const char *where)
{
	const char *year;
	json_t *v;
	json_object_foreach ((json_t *)payload, year, v) {
		(void)v;
		int y = atoi(year);
		if (y < from || y > to) {
			cli_error("%s: %s is outside the goal's period %d–%d; nothing written",
				  where, year, from, to);
			return EXIT_INPUT;
		}
	}
	return EXIT_OK;
}

/* The indicators of the goal as it stands now. */
static size_t indicators_now(const struct sub_context *c,
			     struct kt_goal_indicator out[KT_GOAL_INDICATORS_MAX])
{
	size_t n;
	kt_goal_indicators(c->goal, KT_TIME_MAX, out, KT_GOAL_INDICATORS_MAX, &n);
	return n;
}

/* The indicator labelled c->label, or, when none is named, the goal's only
 * one (whose label then goes into c->label). */
static int resolve_indicator(struct sub_context *c, struct kt_goal_indicator *out)
{
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n = indicators_now(c, ind);
	if (!c->label[0]) {
		if (n == 1) {
			*out = ind[0];
			memcpy(c->label, ind[0].label, sizeof c->label);
			return EXIT_OK;
		}
		if (n == 0)
			cli_error("%s has no indicator (add one: kontroll goal indicator %s "
				  "--name …); nothing written",
				  c->goal->number, c->goal->number);
		else
			cli_error("%s has %zu indicators: name one with --indicator (I1 … I%zu) "
				  "or %s/I1; nothing written",
				  c->goal->number, n, n, c->goal->number);
		return n ? EXIT_USAGE : EXIT_NOTFOUND;
	}
	for (size_t k = 0; k < n && k < KT_GOAL_INDICATORS_MAX; k++)
		if (strcmp(ind[k].label, c->label) == 0) {
			*out = ind[k];
			return EXIT_OK;
		}
	cli_error("%s has no indicator %s; nothing written", c->goal->number, c->label);
	return EXIT_NOTFOUND;
}

/* ---- per-subcommand preparation ---------------------------------------- */

static int prepare_indicator(struct sub_context *c)
{
	struct kt_goal_indicator ind[KT_GOAL_INDICATORS_MAX];
	size_t n = indicators_now(c, ind);
	unsigned long last = 0;
	if (n >= KT_GOAL_INDICATORS_MAX) {
		cli_error("%s has %d indicators, the most one goal takes; nothing written",
			  c->goal->number, KT_GOAL_INDICATORS_MAX);
		return EXIT_CONFLICT;
	}
	for (size_t k = 0; k < n; k++)
		if (ind[k].label[0] == 'I' && strtoul(ind[k].label + 1, NULL, 10) > last)
			last = strtoul(ind[k].label + 1, NULL, 10);
	snprintf(c->label, sizeof c->label, "I%lu", last + 1);
	json_t *targets = json_object_get(c->indicator, "targets");
	int rc = targets
		     ? check_target_years(targets, c->def.period_from, c->def.period_to, "--target")
		     : 0;
	if (rc || (rc = cli_payload_set_text(c->indicator, "indicator", c->label)))
		return rc;
	json_object_update(c->payload, c->indicator);
	/* An indicator belongs to the goal from its start unless told. */
	if (!c->has_effective)
		c->effective = c->def.defined_at;
	return check_after_definition(c);
}

static int prepare_measure(struct sub_context *c)
{
	struct kt_goal_indicator ind;
	int rc = resolve_indicator(c, &ind);
	if (rc || (rc = cli_payload_set_text(c->payload, "indicator", c->label)))
		return rc;
	/* A measurement takes effect on the day it is for. */
	if (!c->has_effective)
		kt_data_parse_date(cli_payload_text(c->payload, "date"), 10, &c->effective);
	return EXIT_OK;
}

static int prepare_assess(struct sub_context *c)
{
	int year = (int)json_integer_value(json_object_get(c->payload, "year"));
	const char *part = cli_payload_text(c->payload, "part");
	if (year < c->def.period_from || year > c->def.period_to) {
		cli_error("--year: %d is outside %s's period %d–%d; nothing written", year,
			  c->goal->number, c->def.period_from, c->def.period_to);
		return EXIT_INPUT;
	}
	if (part) {
		struct kt_goal_row rows[KT_GOAL_ROWS_MAX];
		size_t n, parts = 0;
		int known = 0;
		kt_goal_rows(c->goal, year, rows, KT_GOAL_ROWS_MAX, &n);
		for (size_t k = 0; k < n && k < KT_GOAL_ROWS_MAX; k++) {
			if (!rows[k].part.s)
				continue;
			parts++;
			known |= rows[k].part.len == strlen(part) &&
				 memcmp(rows[k].part.s, part, rows[k].part.len) == 0;
		}
		if (!known && parts >= KT_GOAL_PARTS_MAX) {
			cli_error("%s has %d parts assessed for %d, the most one year takes; "
				  "nothing written",
				  c->goal->number, KT_GOAL_PARTS_MAX, year);
			return EXIT_CONFLICT;
		}
	}
	/* Keep the words the verdict was given in, unless they were a key. */
	const char *key = cli_payload_text(c->payload, "status");
	int rc = EXIT_OK;
	if (!json_object_get(c->payload, "wording") && strcmp(c->status_text, key) != 0)
		rc = cli_payload_set_text(c->payload, "wording", c->status_text);
	return rc ? rc : check_after_definition(c);
}

static int prepare_revise(struct sub_context *c)
{
	int rc;
	if (c->label[0]) {
		struct kt_goal_indicator ind;
		if ((rc = resolve_indicator(c, &ind)))
			return rc;
		if (json_object_size(c->payload) > 1) {
			cli_error(
			    "--text, --title, --level, --period and --source revise the goal, "
			    "not an indicator: revise them apart");
			return EXIT_USAGE;
		}
		json_t *targets = json_object_get(c->indicator, "targets");
		if (targets && (rc = check_target_years(targets, c->def.period_from,
							c->def.period_to, "--target")))
			return rc;
		if ((rc = cli_payload_set_text(c->indicator, "indicator", c->label)))
			return rc;
		json_object_update(c->payload, c->indicator);
		c->type = KT_EV_GOAL_INDICATOR_REVISED;
	} else if (json_object_size(c->indicator)) {
		cli_error("--name, --unit, --direction, --baseline, --baseline-date, --target and "
			  "--part revise an indicator: name it with --indicator I1");
		return EXIT_USAGE;
	} else {
		c->type = KT_EV_GOAL_REVISED;
	}
	return check_after_definition(c);
}

static int prepare_plain(struct sub_context *c)
{
	return check_after_definition(c);
}

/* ---- corrections -------------------------------------------------------- */

/* Find the event --event names in this goal's stream and put its id and
 * type into the payload; a retracted event takes no more revisions. */
static int resolve_target(struct sub_context *c)
{
	struct cli_target t;
	int rc = cli_find_target(c->store, c->stream, c->goal->number,
				 cli_payload_text(c->payload, "target"), &t);
	if (rc)
		return rc;
	const struct kt_goal_fact *f = kt_goal_fact_by_id(c->goal, t.id);
	if (f && f->retracted) {
		cli_error("--event: %s is retracted; a retraction is final (record the fact anew "
			  "instead); nothing written",
			  t.text);
		return EXIT_CONFLICT;
	}
	/* A correction states what was true from the start: it takes effect
	 * when the event it corrects did. */
	c->effective = t.effective;
	rc = cli_payload_set_text(c->payload, "target", t.text);
	return rc ? rc : cli_payload_set_text(c->payload, "target_type", t.type);
}

/* A day of a replacement payload (field of data) may not be in the future,
 * as the commands that record it refuse. */
static int check_past_day(const json_t *data, const char *field)
{
	const char *day = cli_payload_text(data, field);
	int64_t us;
	if (!day || kt_data_parse_date(day, strlen(day), &us) || us <= kt_time_now())
		return EXIT_OK;
	cli_error("--data: %s: %s is in the future; nothing written", field, day);
	return EXIT_INPUT;
}

/* What the command that records a fact checks against the goal, checked
 * on a correction's replacement payload too: years inside the period, days
 * not in the future, a parent that exists. */
static int check_corrected_rules(const struct sub_context *c, const char *type, const json_t *data)
{
	int from = c->def.period_from, to = c->def.period_to, rc;
	const json_t *targets = json_object_get(data, "targets");
	if (targets && (rc = check_target_years(targets, from, to, "--data: targets")))
		return rc;
	if ((rc = check_past_day(data, "date")) || (rc = check_past_day(data, "baseline_date")))
		return rc;
	if (strcmp(type, KT_EV_GOAL_ASSESSED) == 0) {
		json_int_t year = json_integer_value(json_object_get(data, "year"));
		if (year < from || year > to) {
			cli_error(
			    "--data: year: %lld is outside %s's period %d–%d; nothing written",
			    (long long)year, c->goal->number, from, to);
			return EXIT_INPUT;
		}
	}
	const char *parent = cli_payload_text(data, "parent");
	if (parent && !kt_goals_find(c->model, parent, strlen(parent))) {
		cli_error("--data: parent: no goal %s; nothing written", parent);
		return EXIT_NOTFOUND;
	}
	return EXIT_OK;
}

/* A correction changes what a fact says, not which fact it is: the goal's
 * number and an indicator's label stay. */
static int prepare_correct(struct sub_context *c)
{
	int rc = resolve_target(c);
	if (rc)
		return rc;
	uint8_t target[16];
	json_t *data = json_object_get(c->payload, "data");
	const char *type = cli_payload_text(c->payload, "target_type");
	kt_id_parse(cli_payload_text(c->payload, "target"), target);
	if ((rc = cli_check_replacement(type, data)) || (rc = check_corrected_rules(c, type, data)))
		return rc;
	const struct kt_goal_fact *f = kt_goal_fact_by_id(c->goal, target);
	if (f && f->kind == KT_GFACT_DEFINED)
		return cli_check_identity(data, "number", c->goal->number);
	if (f && f->kind != KT_GFACT_ASSESSED && f->kind != KT_GFACT_RETIRED &&
	    f->kind != KT_GFACT_REVISED) {
		char label[KT_GOAL_LABEL_SIZE];
		struct kt_text was = { NULL, 0 };
		kt_data_get_str(f->data, f->len, "indicator", &was.s, &was.len);
		return cli_check_identity(data, "indicator",
					  cli_text_copy(was, label, sizeof label));
	}
	return EXIT_OK;
}

static int prepare_retract(struct sub_context *c)
{
	return resolve_target(c);
}

/* ---- the subcommands ---------------------------------------------------- */

#define EFFECTIVE(help)                                                                            \
	{                                                                                          \
		"effective", NULL, OPT_EFFECTIVE, TO_GOAL, 0, help                                 \
	}
#define END                                                                                        \
	{                                                                                          \
		NULL, NULL, 0, 0, 0, NULL                                                          \
	}

/* The indicator's options, shared by define, indicator and revise. */
#define INDICATOR_OPTIONS(name_option)                                                             \
	{ name_option, "name", OPT_TEXT, TO_INDICATOR, 0, "the indicator's name" },                \
	    { "unit", "unit", OPT_TEXT, TO_INDICATOR, 0, "its unit (%, dager, kWh, …)" },          \
	    { "direction",  "direction", OPT_DIRECTION,                                            \
	      TO_INDICATOR, 0,		 "which is better: lower or higher" },                     \
	    { "baseline", "baseline", OPT_NUMBER, TO_INDICATOR, 0, "the value it starts from" },   \
	    { "baseline-date",                                                                     \
	      "baseline_date",                                                                     \
	      OPT_DAY,                                                                             \
	      TO_INDICATOR,                                                                        \
	      0,                                                                                   \
	      "the day of the baseline (YYYY-MM-DD)" },                                            \
	    { "target",	    NULL, OPT_TARGET,                                                      \
	      TO_INDICATOR, 0,	  "YEAR=VALUE, the target of a year; repeat for more years" },     \
	{                                                                                          \
		"part", "part", OPT_TEXT, TO_INDICATOR, 0,                                         \
		    "the part of the goal it measures, when parts are assessed apart"              \
	}

static const struct sub_option define_opts[] = {
	{ "level", "level", OPT_LEVEL, TO_GOAL, 1,
	  "overordnet mål, periodemål, fokusområde, mål, resultatmål, undermål,\n"
	  "                       handlingsregel or tiltak" },
	{ "area", "area", OPT_AREA, TO_GOAL, 1, "the area (byrådsområde): name, key or code" },
	{ "period", NULL, OPT_PERIOD, TO_GOAL, 1, "the years it runs: 2025-2028, or 2025" },
	{ "text", "text", OPT_TEXT, TO_GOAL, 1, "the goal as worded" },
	{ "title", "title", OPT_TEXT, TO_GOAL, 0, "a short name (\"Mål 1\", \"Periodemål 2\")" },
	{ "parent", "parent", OPT_PARENT, TO_GOAL, 0, "the goal above it (M-2025-001)" },
	{ "source", "source", OPT_TEXT, TO_GOAL, 0, "where it is written (a document, its page)" },
	INDICATOR_OPTIONS("indicator"),
	EFFECTIVE("when it took effect (default: the period's first day, or now if later)"),
	END,
};
static const struct sub_option indicator_opts[] = {
	INDICATOR_OPTIONS("name"),
	{ "source", "source", OPT_TEXT, TO_INDICATOR, 0, "where the indicator is defined" },
	EFFECTIVE("when it took effect (default: when the goal did)"),
	END,
};
static const struct sub_option measure_opts[] = {
	{ "indicator", NULL, OPT_LABEL, TO_GOAL, 0,
	  "the indicator (I1; needed when the goal has several), or give ID/I1" },
	{ "value", "value", OPT_NUMBER, TO_GOAL, 1, "the value measured (10.8 or 10,8)" },
	{ "date", "date", OPT_DAY, TO_GOAL, 1, "the day it is for (YYYY-MM-DD)" },
	{ "source", "source", OPT_TEXT, TO_GOAL, 0, "where it comes from" },
	{ "note", "note", OPT_TEXT, TO_GOAL, 0, "a note" },
	EFFECTIVE("when it took effect (default: --date)"),
	END,
};
static const struct sub_option assess_opts[] = {
	{ "year", "year", OPT_YEAR, TO_GOAL, 1, "the year assessed" },
	{ "status", "status", OPT_STATUS, TO_GOAL, 1,
	  "achieved, partly, not_achieved, on_track, or the report's words\n"
	  "                       (nådd, oppnådd, delvis nådd, ikke nådd, i rute, \"Målet er "
	  "…\")" },
	{ "wording", "wording", OPT_TEXT, TO_GOAL, 0,
	  "the verdict's words as written (default: --status when worded)" },
	{ "text", "text", OPT_TEXT, TO_GOAL, 0, "the rationale" },
	{ "part", "part", OPT_TEXT, TO_GOAL, 0,
	  "the part assessed, when parts are assessed apart" },
	{ "source", "source", OPT_TEXT, TO_GOAL, 0, "where the assessment is written" },
	EFFECTIVE("when it was made (default now)"),
	END,
};
static const struct sub_option revise_opts[] = {
	{ "reason", "reason", OPT_TEXT, TO_GOAL, 1, "why" },
	{ "text", "text", OPT_TEXT, TO_GOAL, 0, "the goal's new wording" },
	{ "title", "title", OPT_TEXT, TO_GOAL, 0, "a new short name" },
	{ "level", "level", OPT_LEVEL, TO_GOAL, 0, "a new level" },
	{ "period", NULL, OPT_PERIOD, TO_GOAL, 0, "a new period" },
	{ "source", "source", OPT_TEXT, TO_GOAL, 0, "a new source" },
	{ "indicator", NULL, OPT_LABEL, TO_GOAL, 0,
	  "revise this indicator (I1) instead, with the options below" },
	INDICATOR_OPTIONS("name"),
	EFFECTIVE("from when it holds (default now; earlier years keep what they had)"),
	END,
};
static const struct sub_option retire_opts[] = {
	{ "reason", "reason", OPT_TEXT, TO_GOAL, 1, "why" },
	EFFECTIVE("from when (default now)"),
	END,
};
static const struct sub_option correct_opts[] = {
	{ "event", "target", OPT_TEXT, TO_GOAL, 1,
	  "the event corrected: its id, or 4+ hex digits of it" },
	{ "reason", "reason", OPT_TEXT, TO_GOAL, 1, "why" },
	{ "data", "data", OPT_JSON, TO_GOAL, 1, "the corrected payload, whole, as a JSON object" },
	END,
};
static const struct sub_option retract_opts[] = {
	{ "event", "target", OPT_TEXT, TO_GOAL, 1,
	  "the event withdrawn: its id, or 4+ hex digits of it" },
	{ "reason", "reason", OPT_TEXT, TO_GOAL, 1, "why" },
	END,
};

static const struct subcommand define_sub = {
	"define",
	KT_EV_GOAL_DEFINED,
	"--level L --area A --period Y[-Y] --text T [--title T] [--parent M-…]\n"
	"       [--indicator NAME --direction lower|higher [--unit U] [--baseline V]\n"
	"        [--baseline-date D] [--target YEAR=V …] [--part P]]",
	"define a goal, with its first indicator when --indicator names one, and print\n"
	"its number (M-YEAR-NNN, numbered within the period's first year)",
	define_opts,
	SUB_NO_ID,
	NULL,
};

static const struct subcommand subcommands[] = {
	{ "indicator", KT_EV_GOAL_INDICATOR_DEFINED,
	  "ID --name N --direction lower|higher [--unit U] [--baseline V] [--target Y=V …]",
	  "add an indicator; prints its label, M-2025-001/I2", indicator_opts, 0,
	  prepare_indicator },
	{ "measure", KT_EV_GOAL_MEASURED, "ID[/I1] --value V --date D [--source S] [--note T]",
	  "record a measurement of an indicator", measure_opts, 0, prepare_measure },
	{ "assess", KT_EV_GOAL_ASSESSED, "ID --year Y --status S [--text T] [--part P]",
	  "record the year's assessment (a later one of the same year and part replaces it)",
	  assess_opts, 0, prepare_assess },
	{ "revise", NULL, "ID --reason R [--text T …] or ID --indicator I1 --reason R [--target …]",
	  "change the goal or an indicator from a moment on, with a reason", revise_opts, 0,
	  prepare_revise },
	{ "retire", KT_EV_GOAL_RETIRED, "ID --reason R [--effective TIME]",
	  "retire the goal: it takes part in no year after", retire_opts, 0, prepare_plain },
	{ "correct", KT_EV_EVENT_CORRECTED, "ID --event EVENT --reason T --data JSON",
	  "replace an earlier event's payload, with a reason", correct_opts,
	  SUB_RETIRED_OK | SUB_REVISION, prepare_correct },
	{ "retract", KT_EV_EVENT_RETRACTED, "ID --event EVENT --reason T",
	  "withdraw an earlier event, with a reason", retract_opts, SUB_RETIRED_OK | SUB_REVISION,
	  prepare_retract },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

/* ---- parsing ------------------------------------------------------------ */

static void print_sub_usage(const struct subcommand *sub)
{
	printf("usage: kontroll goal %s %s\n\n%c%s", sub->name, sub->synopsis,
	       toupper((unsigned char)sub->summary[0]), sub->summary + 1);
	if (sub->type)
		printf(" (event %s)", sub->type);
	puts(".");
	if (!(sub->flags & SUB_NO_ID))
		puts("ID is a goal number (M-2025-012, any case), its stream (goal-M-2025-012),\n"
		     "year and number (2025-12), or 4+ hex digits of its id.");
	putchar('\n');
	for (const struct sub_option *o = sub->options; o->name; o++)
		printf("  --%-18s %s%s\n", o->name, o->help, o->required ? " (required)" : "");
	printf("  --%-18s %s\n  --%-18s %s\n  --%-18s %s\n", "actor NAME",
	       "who records it (default $KONTROLL_ACTOR, else $USER)", "format table|json",
	       "json prints {\"id\", \"number\", \"label\", \"position\", \"version\"}", "db PATH",
	       "the store file");
}

/* Parse argv into c. Returns 0, -1 when --help was shown, or an exit code. */
static int parse_sub(const struct subcommand *sub, int argc, char **argv, struct sub_context *c)
{
	enum { MAX_OPTS = 24 };
	struct option opts[MAX_OPTS + 5];
	size_t n = 0;
	for (const struct sub_option *o = sub->options; o->name; o++, n++) {
		assert(n < MAX_OPTS);
		opts[n] = (struct option){ o->name, required_argument, NULL, (int)(256 + n) };
	}
	size_t n_sub = n;
	opts[n++] = (struct option){ "db", required_argument, NULL, 'D' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n++] = (struct option){ "actor", required_argument, NULL, 'a' };
	opts[n++] = (struct option){ "format", required_argument, NULL, 'f' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	int ch, rc;
	while ((ch = cli_getopt(argc, argv, opts, NULL, &c->db)) != -1) {
		switch (ch) {
		case 'h':
			print_sub_usage(sub);
			return -1;
		case 'a':
			c->actor = optarg;
			break;
		case 'f':
			if (cli_parse_format(optarg, 0, &c->format))
				return EXIT_INPUT;
			break;
		default:
			if (ch >= 256 && (size_t)(ch - 256) < n_sub) {
				if ((rc = take_option(c, &sub->options[ch - 256], optarg)))
					return rc;
				break;
			}
			return cli_usage_error(ch, argv[optind - 1]);
		}
	}
	if (!(sub->flags & SUB_NO_ID)) {
		if (optind >= argc) {
			cli_error("which goal? (kontroll goal %s ID …)", sub->name);
			return EXIT_USAGE;
		}
		c->id = argv[optind++];
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	for (const struct sub_option *o = sub->options; o->name; o++) {
		json_t *p = o->to == TO_INDICATOR ? c->indicator : c->payload;
		const char *field = o->kind == OPT_PERIOD ? "period_from" : o->field;
		if (o->required && field && !json_object_get(p, field)) {
			cli_error("--%s is required (see kontroll goal %s --help)", o->name,
				  sub->name);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/* An indicator needs a name and a direction; the other fields only with
 * them. */
static int check_indicator_complete(const struct sub_context *c, const char *name_option,
				    int required)
{
	if (!required && !json_object_size(c->indicator))
		return EXIT_OK;
	if (!json_object_get(c->indicator, "name")) {
		cli_error("--%s is required for an indicator (its name)", name_option);
		return EXIT_USAGE;
	}
	if (!json_object_get(c->indicator, "direction")) {
		cli_error("--direction is required for an indicator (lower or higher is better)");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- writing ------------------------------------------------------------ */

static void print_written(const struct sub_context *c, const char *number,
			  const struct kt_event *ev, int labelled)
{
	char id[KT_ID_TEXT_LEN + 1];
	kt_id_format(ev->id, id);
	if (c->format == FORMAT_JSON) {
		json_t *o = json_pack("{s:s, s:s, s:s?, s:I, s:I}", "id", id, "number", number,
				      "label", c->label[0] ? c->label : NULL, "position",
				      (json_int_t)ev->position, "version", (json_int_t)ev->version);
		if (o)
			cli_print_json(o);
		json_decref(o);
	} else if (labelled) {
		printf("%s/%s\n", number, c->label);
	} else {
		puts(c->sub->flags & SUB_NO_ID ? number : id);
	}
}

static int append_event(struct sub_context *c)
{
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	int rc = cli_encode_payload(c->type, c->payload, &data);
	if (!rc) {
		struct kt_event ev;
		struct kt_append_result res;
		cli_new_event(&ev, c->type, cli_actor(c->actor), &data, c->effective);
		int err = kt_store_append(c->store, c->stream, c->goal->version, &ev, 1, &res);
		if (err)
			rc = cli_append_failed(err, c->goal->number, &res, c->goal->version);
		else
			print_written(c, c->goal->number, &ev,
				      strcmp(c->type, KT_EV_GOAL_INDICATOR_DEFINED) == 0);
	}
	kt_buf_free(&data);
	return rc;
}

/* measure's and revise's ID may carry the indicator: "M-2025-001/I1". */
static int split_label(struct sub_context *c, char *number, size_t size)
{
	const char *slash = strchr(c->id, '/');
	if (!slash)
		return EXIT_OK;
	char label[KT_GOAL_LABEL_SIZE];
	size_t n = strlen(slash + 1);
	if ((size_t)(slash - c->id) >= size || n == 0 || n >= sizeof label) {
		cli_error("'%s' is not a goal and indicator (M-2025-001/I1)", c->id);
		return EXIT_INPUT;
	}
	for (size_t k = 0; k <= n; k++)
		label[k] = (char)toupper((unsigned char)slash[1 + k]);
	if (!kt_goal_label_ok(label, n)) {
		cli_error("'%s' is not a goal and indicator (M-2025-001/I1)", c->id);
		return EXIT_INPUT;
	}
	if (c->label[0] && strcmp(c->label, label) != 0) {
		cli_error("give the indicator once: %s or --indicator %s", c->id, c->label);
		return EXIT_USAGE;
	}
	memcpy(number, c->id, (size_t)(slash - c->id));
	number[slash - c->id] = 0;
	c->id = number;
	memcpy(c->label, label, n + 1);
	return EXIT_OK;
}

static void init_context(struct sub_context *c, const struct subcommand *sub,
			 struct kt_goals *model)
{
	memset(c, 0, sizeof *c);
	c->sub = sub;
	c->type = sub->type;
	c->payload = json_object();
	c->indicator = json_object();
	c->model = model;
	c->effective = KT_TIME_UNSET;
	c->format = FORMAT_TABLE;
	kt_goals_init(model);
}

static void free_context(struct sub_context *c)
{
	kt_goals_free(c->model);
	kt_store_close(c->store);
	json_decref(c->payload);
	json_decref(c->indicator);
}

static int run_sub(const struct subcommand *sub, int argc, char **argv)
{
	struct sub_context c;
	struct kt_goals model;
	char number[64];
	init_context(&c, sub, &model);
	int rc = c.payload && c.indicator ? parse_sub(sub, argc, argv, &c) : EXIT_FAILURE_STORE;
	if (!rc && strcmp(sub->name, "measure") != 0 && strcmp(sub->name, "revise") != 0 &&
	    strchr(c.id, '/')) {
		cli_error("'%s' is not a goal (M-2025-001)", c.id);
		rc = EXIT_INPUT;
	}
	if (!rc)
		rc = split_label(&c, number, sizeof number);
	if (!rc && sub->options == indicator_opts)
		rc = check_indicator_complete(&c, "name", 1);
	struct cli_moment now = CLI_MOMENT_NOW;
	if (!rc)
		rc = cli_open_store(cli_db_path(c.db), 0, &c.store);
	if (!rc)
		rc = cli_load_goals(c.store, &now, &model);
	if (!rc)
		rc = cli_find_goal(&model, c.id, &c.goal);
	if (!rc) {
		snprintf(c.stream, sizeof c.stream, KT_GOAL_STREAM_PREFIX "%s", c.goal->number);
		kt_goal_definition(c.goal, KT_TIME_MAX, &c.def);
		if (!(rc = check_state(&c)))
			rc = sub->prepare(&c);
	}
	if (!rc)
		rc = append_event(&c);
	free_context(&c);
	return rc < 0 ? EXIT_OK : rc;
}

/* ---- define: a new goal and its number ----------------------------------- */

/* The parent named must be a goal the store holds. */
static int check_parent(const struct sub_context *c)
{
	const char *parent = cli_payload_text(c->payload, "parent");
	if (!parent || kt_goals_find(c->model, parent, strlen(parent)))
		return EXIT_OK;
	cli_error("--parent: no goal %s; nothing written", parent);
	return EXIT_NOTFOUND;
}

/* Encode both payloads of a definition into data[0] and data[1] (the second
 * only when an indicator is given). */
static int encode_definition(struct sub_context *c, struct kt_buf data[2])
{
	kt_buf_reset(&data[0]);
	kt_buf_reset(&data[1]);
	int rc = cli_encode_payload(KT_EV_GOAL_DEFINED, c->payload, &data[0]);
	if (!rc && json_object_size(c->indicator))
		rc = cli_encode_payload(KT_EV_GOAL_INDICATOR_DEFINED, c->indicator, &data[1]);
	return rc;
}

static int cmd_define(int argc, char **argv)
{
	struct sub_context c;
	struct kt_goals model;
	struct kt_buf data[2] = { KT_BUF_INIT(KT_DATA_MAX), KT_BUF_INIT(KT_DATA_MAX) };
	init_context(&c, &define_sub, &model);
	int rc = c.payload && c.indicator ? parse_sub(c.sub, argc, argv, &c) : EXIT_FAILURE_STORE;
	if (rc || (rc = check_indicator_complete(&c, "indicator", 0)))
		goto out;
	int from = (int)json_integer_value(json_object_get(c.payload, "period_from"));
	int to = (int)json_integer_value(json_object_get(c.payload, "period_to"));
	json_t *targets = json_object_get(c.indicator, "targets");
	if (targets && (rc = check_target_years(targets, from, to, "--target")))
		goto out;
	if (json_object_size(c.indicator) &&
	    (rc = cli_payload_set_text(c.indicator, "indicator", "I1")))
		goto out;
	if (!c.has_effective) {
		int64_t start = year_start(from), now = kt_time_now();
		c.effective = start < now ? start : now;
	}
	/* A placeholder number checks the payloads before the store is opened. */
	char number[KT_GOAL_NUMBER_SIZE];
	kt_goal_number_format(from, 1, number);
	cli_payload_set_text(c.payload, "number", number);
	if ((rc = encode_definition(&c, data)))
		goto out;
	struct cli_moment now = CLI_MOMENT_NOW;
	if ((rc = cli_open_store(cli_db_path(c.db), 0, &c.store)) ||
	    (rc = cli_load_goals(c.store, &now, &model)) || (rc = check_parent(&c)))
		goto out;
	const char *actor = cli_actor(c.actor);
	uint32_t seq = kt_goals_last_seq(&model, from);
	/* Two advisers defining at once race for a number; the stream's "must
	 * not exist" check decides, and the loser takes the next. */
	for (int attempt = 0; attempt < 100; attempt++) {
		kt_goal_number_format(from, ++seq, number);
		snprintf(c.stream, sizeof c.stream, KT_GOAL_STREAM_PREFIX "%s", number);
		cli_payload_set_text(c.payload, "number", number);
		if ((rc = encode_definition(&c, data)))
			goto out;
		struct kt_event ev[2];
		size_t n = data[1].len ? 2 : 1;
		cli_new_event(&ev[0], KT_EV_GOAL_DEFINED, actor, &data[0], c.effective);
		cli_new_event(&ev[1], KT_EV_GOAL_INDICATOR_DEFINED, actor, &data[1], c.effective);
		int err = kt_store_append(c.store, c.stream, KT_VERSION_NONE, ev, n, NULL);
		if (err == KT_EVERSION)
			continue;
		if (err) {
			rc = cli_append_failed(err, number, NULL, 0);
			goto out;
		}
		if (n == 2)
			memcpy(c.label, "I1", 3);
		print_written(&c, number, &ev[0], 0);
		goto out;
	}
	cli_error("no free goal number for %d after 100 tries; nothing written", from);
	rc = EXIT_CONFLICT;
out:
	kt_buf_free(&data[0]);
	kt_buf_free(&data[1]);
	free_context(&c);
	return rc < 0 ? EXIT_OK : rc;
}

/* ---- the dispatcher ----------------------------------------------------- */

static const char goal_usage_head[] =
    "usage: kontroll goal SUBCOMMAND [ID] [options]\n"
    "\n"
    "Record and show goal achievement (måloppnåelse): goals in a hierarchy with\n"
    "indicators, baselines and yearly targets, measurements, and the yearly\n"
    "assessment. Every subcommand that writes takes --actor NAME, --format json\n"
    "and --db PATH, and refuses to write when the goal changed since it was read\n"
    "(exit 4).\n"
    "\n"
    "  define       define a goal; prints its number (M-2025-001)\n"
    "  show         the goal whole: definition, indicators and their series,\n"
    "               assessments against the computed verdict, history\n"
    "  plot         draw an indicator's series with baseline and targets (SVG)\n";

static void print_goal_usage(void)
{
	fputs(goal_usage_head, stdout);
	for (const struct subcommand *sub = subcommands; sub->name; sub++) {
		const char *nl = strchr(sub->summary, '\n');
		printf("  %-12s %.*s\n", sub->name,
		       (int)(nl ? (size_t)(nl - sub->summary) : strlen(sub->summary)),
		       sub->summary);
	}
	puts("\n`kontroll goal SUBCOMMAND --help` lists its options.");
}

static int run_subcommand(const char *name, int argc, char **argv)
{
	if (strcmp(name, "define") == 0)
		return cmd_define(argc, argv);
	if (strcmp(name, "show") == 0)
		return cli_goal_show(argc, argv);
	if (strcmp(name, "plot") == 0)
		return cli_goal_plot(argc, argv);
	for (const struct subcommand *sub = subcommands; sub->name; sub++)
		if (strcmp(sub->name, name) == 0)
			return run_sub(sub, argc, argv);
	return -1;
}

static int cmd_goal(int argc, char **argv)
{
	return cli_run_subcommand(argc, argv, print_goal_usage, run_subcommand);
}

const struct cli_command cli_goal_commands[] = {
	{ "goal", "record goal achievement: define, measure, assess, revise, retire, show, plot",
	  goal_usage_head, cmd_goal },
	{ NULL, NULL, NULL, NULL },
};
