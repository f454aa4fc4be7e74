/*
 * cmd_incident.c — `kontroll incident SUBCOMMAND`: the commands that record
 * an incident's (Kvaliteket's avvik and forbedringsforslag) steps: its report,
 * triage, handler, actions (tiltak), reports to outside bodies, closure and
 * reopening, and corrections.
 *
 * As for inspections (cmd_inspection.c), each subcommand is a row of a table:
 * the event type it writes, the options that fill its payload, and the rules
 * it checks against the incident's current state. One runner does the rest:
 * parse, fold the incidents model, check the state, build and validate the
 * payload against the catalogue, and append it with the stream version it
 * read, so that two people handling one incident at once cannot overwrite
 * each other. `report` claims a new number instead (race-free, by appending
 * to a stream that must not exist yet). `show` is in cmd_incident_show.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "incident_cli.h"
#include "revision.h"

#include "kontroll/catalogue.h"
#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/incident_events.h"
#include "kontroll/inspection_events.h" /* event.corrected, event.retracted */
#include "kontroll/json.h"
#include "kontroll/ktime.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
	OPT_TEXT,      /* text field */
	OPT_DAY,       /* YYYY-MM-DD field */
	OPT_TIME,      /* --at, --registered: the event's effective time */
	OPT_SEVERITY,  /* 1–4 */
	OPT_CATEGORY,  /* wording → category key */
	OPT_TYPE,      /* wording → incident type key */
	OPT_RECIPIENT, /* wording → recipient key */
	OPT_AREA,      /* kept as given; resolved with the unit */
	OPT_FLAG,      /* --force */
	OPT_JSON,      /* a JSON object */
};

struct sub_option {
	const char *name;  /* the long option */
	const char *field; /* the payload field it fills, or NULL */
	enum opt_kind kind;
	int required;
	const char *help;
};

struct sub_context;

/* Subcommand flags. */
#define SUB_NO_ID     1u /* takes no ID (report) */
#define SUB_CLOSED_OK 2u /* allowed on a closed incident */
#define SUB_REVISION  4u /* correct, retract: effective when the target was */

struct subcommand {
	const char *name;
	const char *type; /* the event type written */
	const char *synopsis;
	const char *summary;
	const struct sub_option *options;
	unsigned flags;
	/* Fill what the state decides (labels) and check the state rules;
	 * print the error and return an exit code to refuse. */
	int (*prepare)(struct sub_context *c);
};

/* What one run of a subcommand works with. */
struct sub_context {
	const struct subcommand *sub;
	json_t *payload;
	struct kt_incidents *model;
	const struct kt_incident *in;
	kt_store *store;
	char stream[sizeof KT_INCIDENT_STREAM_PREFIX + KT_INCIDENT_NUMBER_SIZE];
	char label[16];	   /* a new action's label, or the one completed */
	int64_t at;	   /* --at or --registered; KT_TIME_UNSET when not given */
	int64_t effective; /* the envelope's; KT_TIME_UNSET: when recorded */
	const char *area;  /* --area as given */
	int force;
	const char *db, *actor, *id;
	enum cli_format format;
};

/* ---- payload and time helpers ----------------------------------------- */

/* "2025-03-03T10:00:00Z": a moment to the second, for messages. */
static void iso_seconds(int64_t us, char out[KT_TIME_TEXT_MAX])
{
	kt_time_format(us, out);
	out[19] = 'Z';
	out[20] = 0;
}

/* The list "a, b, c" of the names f gives for 0 … n-1, joined by sep, into
 * out. */
static void list_names(const char *(*f)(int), int n, const char *sep, char *out, size_t size)
{
	size_t len = 0;
	out[0] = 0;
	for (int k = 0; k < n && len < size; k++) {
		int w = snprintf(out + len, size - len, "%s%s", k ? sep : "", f(k));
		if (w > 0)
			len += (size_t)w;
	}
}

static const char *type_name_at(int k)
{
	return kt_incident_type_name((enum kt_incident_type)k);
}
static const char *recipient_key_at(int k)
{
	return kt_recipient_key((enum kt_recipient)k);
}
static const char *area_name_at(int k)
{
	return kt_area_at((size_t)k)->name;
}

/* ---- options ------------------------------------------------------------ */

/* A moment given as YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ; not
 * in the future. */
static int parse_time(const char *option, const char *text, int64_t *out)
{
	int64_t us;
	if (kt_time_parse(text, &us)) {
		cli_error("--%s: '%s' is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)",
			  option, text);
		return EXIT_INPUT;
	}
	if (us > kt_time_now()) {
		cli_error("--%s: '%s' is in the future", option, text);
		return EXIT_INPUT;
	}
	*out = us;
	return EXIT_OK;
}

/* Turn one option value into a payload field or a setting of c. */
static int take_option(struct sub_context *c, const struct sub_option *o, const char *value)
{
	char names[400];
	int k;
	uint64_t severity;
	int64_t us;
	switch (o->kind) {
	case OPT_TEXT:
		return cli_payload_set_text(c->payload, o->field, value);
	case OPT_DAY:
		if (strlen(value) != 10 || kt_data_parse_date(value, 10, &us)) {
			cli_error("--%s: '%s' is not a date (YYYY-MM-DD)", o->name, value);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(c->payload, o->field, value);
	case OPT_TIME:
		return parse_time(o->name, value, &c->at);
	case OPT_SEVERITY:
		if (cli_parse_u64(value, &severity) || severity < 1 || severity > 4) {
			cli_error("--%s: '%s' is not one of 1, 2, 3, 4", o->name, value);
			return EXIT_INPUT;
		}
		json_object_set_new(c->payload, o->field, json_integer((json_int_t)severity));
		return EXIT_OK;
	case OPT_CATEGORY:
		k = kt_category_parse(value);
		if (k < 0) {
			cli_error("--%s: '%s' is not one of avvik (%s), forbedring (%s)", o->name,
				  value, kt_category_name(KT_CATEGORY_AVVIK),
				  kt_category_name(KT_CATEGORY_FORBEDRING));
			return EXIT_INPUT;
		}
		return cli_payload_set_text(c->payload, o->field,
					    kt_category_key((enum kt_incident_category)k));
	case OPT_TYPE:
		k = kt_incident_type_parse(value);
		if (k < 0) {
			list_names(type_name_at, KT_TYPES, ", ", names, sizeof names);
			cli_error("--%s: '%s' is not one of %s", o->name, value, names);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(c->payload, o->field,
					    kt_incident_type_key((enum kt_incident_type)k));
	case OPT_RECIPIENT:
		k = kt_recipient_parse(value);
		if (k < 0) {
			list_names(recipient_key_at, KT_RECIPIENTS, ", ", names, sizeof names);
			cli_error("--%s: '%s' is not one of %s (other with --to-text NAME)",
				  o->name, value, names);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(c->payload, o->field,
					    kt_recipient_key((enum kt_recipient)k));
	case OPT_AREA:
		c->area = value;
		return EXIT_OK;
	case OPT_FLAG:
		c->force = 1;
		return EXIT_OK;
	case OPT_JSON: {
		json_t *v;
		int rc = cli_parse_json_object(o->name, value, &v);
		if (!rc)
			json_object_set_new(c->payload, o->field, v);
		return rc;
	}
	}
	return EXIT_USAGE;
}

/* The option that sets the event's effective time (--at, --registered), or
 * NULL when the subcommand takes it from its target (corrections). */
static const struct sub_option *time_option(const struct subcommand *sub)
{
	for (const struct sub_option *o = sub->options; o->name; o++)
		if (o->kind == OPT_TIME)
			return o;
	return NULL;
}

static void print_sub_usage(const struct subcommand *sub)
{
	const struct sub_option *time_opt = time_option(sub);
	printf("usage: kontroll incident %s %s\n\n%c%s (event %s).\n", sub->name, sub->synopsis,
	       toupper((unsigned char)sub->summary[0]), sub->summary + 1, sub->type);
	if (!(sub->flags & SUB_NO_ID))
		puts("ID is an incident number (H-2025-00042, any case), its stream\n"
		     "(incident-H-2025-00042) or year and number (2025-42).");
	putchar('\n');
	for (const struct sub_option *o = sub->options; o->name; o++)
		printf("  --%-18s %s%s\n", o->name, o->help, o->required ? " (required)" : "");
	if (time_opt)
		printf("  --%-18s the same as --%s\n", "effective TIME", time_opt->name);
	printf("  --%-18s %s\n  --%-18s %s\n  --%-18s %s\n", "actor NAME",
	       "who records it (default $KONTROLL_ACTOR, else $USER)", "format table|json",
	       sub->flags & SUB_NO_ID ? "json prints {\"number\", \"id\", \"position\"}"
				      : "json prints {\"id\", \"number\", \"label\", \"position\", "
					"\"version\"}",
	       "db PATH", "the store file");
}

/* Parse argv into c. Returns 0, -1 when --help was shown, or an exit code. */
static int parse_sub(const struct subcommand *sub, int argc, char **argv, struct sub_context *c)
{
	enum { MAX_OPTS = 12 };
	struct option opts[MAX_OPTS + 6];
	size_t n = 0, n_sub;
	const struct sub_option *time_opt = time_option(sub);
	for (const struct sub_option *o = sub->options; o->name; o++, n++) {
		assert(n < MAX_OPTS);
		opts[n] =
		    (struct option){ o->name, o->kind == OPT_FLAG ? no_argument : required_argument,
				     NULL, (int)(256 + n) };
	}
	n_sub = n;
	/* --effective works on every command that writes (DESIGN.md). */
	if (time_opt)
		opts[n++] = (struct option){ "effective", required_argument, NULL,
					     (int)(256 + (time_opt - sub->options)) };
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
			cli_error("which incident? (kontroll incident %s ID …)", sub->name);
			return EXIT_USAGE;
		}
		c->id = argv[optind++];
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	for (const struct sub_option *o = sub->options; o->name; o++) {
		if (o->required && o->field && !json_object_get(c->payload, o->field)) {
			cli_error("--%s is required (see kontroll incident %s --help)", o->name,
				  sub->name);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/* ---- state rules -------------------------------------------------------- */

/* What no incident in that state accepts; correct, retract, close and
 * reopen are left to their own rules on a closed one. */
static int check_state(const struct sub_context *c)
{
	const char *nr = c->in->number;
	if (c->in->retracted) {
		cli_error("%s is retracted; nothing written (a retraction is final: report the "
			  "incident anew)",
			  nr);
		return EXIT_CONFLICT;
	}
	if (c->in->closed && !(c->sub->flags & SUB_CLOSED_OK)) {
		cli_error("%s is closed; nothing written (reopen it first: kontroll incident "
			  "reopen %s --reason …)",
			  nr, nr);
		return EXIT_CONFLICT;
	}
	return EXIT_OK;
}

/* --at must not be before since (the registration, a closure). */
static int check_not_before(const struct sub_context *c, int64_t since, const char *what)
{
	char at[KT_TIME_TEXT_MAX], then[KT_TIME_TEXT_MAX];
	if (c->at == KT_TIME_UNSET || c->at >= since)
		return EXIT_OK;
	iso_seconds(c->at, at);
	iso_seconds(since, then);
	cli_error("--at: %s is before %s was %s (%s); nothing written", at, c->in->number, what,
		  then);
	return EXIT_INPUT;
}

/* The fact of this incident whose event is id, live or retracted, or NULL. */
static const struct kt_incident_fact *any_fact(const struct kt_incident *in, const uint8_t id[16])
{
	for (uint32_t k = 0; k < in->n_facts; k++)
		if (memcmp(in->facts[k].id, id, 16) == 0)
			return &in->facts[k];
	return NULL;
}

/* ---- per-subcommand preparation ---------------------------------------- */

static int prepare_plain(struct sub_context *c)
{
	(void)c;
	return EXIT_OK;
}

/* The number of an action label "T12", or 0 when it is no T label. */
static unsigned long t_number(const char *label)
{
	if (label[0] != 'T' || !isdigit((unsigned char)label[1]))
		return 0;
	char *end;
	unsigned long n = strtoul(label + 1, &end, 10);
	return *end ? 0 : n;
}

/* The next free label T1, T2, …: retracted actions keep theirs, so a label
 * is never given twice. */
static int prepare_action(struct sub_context *c)
{
	unsigned long last = 0;
	for (uint32_t k = 0; k < c->in->n_facts; k++) {
		const struct kt_incident_fact *f = &c->in->facts[k];
		if (f->kind != KT_FACT_ACTION_ADDED)
			continue;
		unsigned long n = t_number(kt_incidents_name(c->model, f->name));
		if (n > last)
			last = n;
	}
	if (last >= 9999) {
		cli_error("%s has action T%lu; no label is left; nothing written", c->in->number,
			  last);
		return EXIT_CONFLICT;
	}
	snprintf(c->label, sizeof c->label, "T%lu", last + 1);
	return cli_payload_set_text(c->payload, "action", c->label);
}

/* Whether the action label was given and retracted (no live fact names it). */
static int action_retracted(const struct sub_context *c, const char *label)
{
	for (uint32_t k = 0; k < c->in->n_facts; k++) {
		const struct kt_incident_fact *f = &c->in->facts[k];
		if (f->kind == KT_FACT_ACTION_ADDED && f->retracted &&
		    strcmp(kt_incidents_name(c->model, f->name), label) == 0)
			return 1;
	}
	return 0;
}

/* The action of `complete` comes as ID/T1 or --action T1. */
static int prepare_complete(struct sub_context *c)
{
	const char *given = cli_payload_text(c->payload, "action");
	char label[16];
	size_t n = given ? strlen(given) : 0;
	if (!given) {
		cli_error("which action? give ID/T1 or --action T1 (see kontroll incident complete "
			  "--help)");
		return EXIT_USAGE;
	}
	if (n >= sizeof label) {
		cli_error("%s has no action %s; nothing written", c->in->number, given);
		return EXIT_NOTFOUND;
	}
	for (size_t k = 0; k <= n; k++)
		label[k] = (char)toupper((unsigned char)given[k]);
	int rc = cli_payload_set_text(c->payload, "action", label);
	if (rc)
		return rc;
	int done = 0;
	if (!kt_incident_action(c->model, c->in, label, &done)) {
		if (action_retracted(c, label)) {
			cli_error("%s/%s is retracted; nothing written", c->in->number, label);
			return EXIT_CONFLICT;
		}
		cli_error("%s has no action %s; nothing written", c->in->number, label);
		return EXIT_NOTFOUND;
	}
	if (done) {
		cli_error("%s/%s is completed already; nothing written", c->in->number, label);
		return EXIT_CONFLICT;
	}
	snprintf(c->label, sizeof c->label, "%s", label);
	return EXIT_OK;
}

static int prepare_external(struct sub_context *c)
{
	c->effective = c->at;
	return check_not_before(c, c->in->registered, "registered");
}

static int prepare_not_required(struct sub_context *c)
{
	const char *key = cli_payload_text(c->payload, "recipient");
	int r = key ? kt_recipient_by_key(key, strlen(key)) : -1;
	if (r < 0 || r == KT_RECIPIENT_OTHER)
		return EXIT_OK; /* "other" names many bodies: no rule to apply */
	if (c->in->external[r] != KT_TIME_UNSET) {
		char when[KT_TIME_TEXT_MAX];
		iso_seconds(c->in->external[r], when);
		cli_error(
		    "%s was reported to %s already (%s); nothing written (retract that report "
		    "first)",
		    c->in->number, kt_recipient_name((enum kt_recipient)r), when);
		return EXIT_CONFLICT;
	}
	if (c->in->not_required & (1u << r)) {
		cli_error("reporting %s to %s is recorded as not required already; nothing written",
			  c->in->number, kt_recipient_name((enum kt_recipient)r));
		return EXIT_CONFLICT;
	}
	return EXIT_OK;
}

static int prepare_close(struct sub_context *c)
{
	if (c->in->closed) {
		cli_error("%s is closed already; nothing written", c->in->number);
		return EXIT_CONFLICT;
	}
	uint32_t open = c->in->actions_open;
	if (open && !c->force) {
		cli_error("%s has %u open action%s: complete %s first, or close with --force; "
			  "nothing written",
			  c->in->number, open, open == 1 ? "" : "s", open == 1 ? "it" : "them");
		return EXIT_CONFLICT;
	}
	c->effective = c->at;
	return check_not_before(c, c->in->registered, "registered");
}

static int prepare_reopen(struct sub_context *c)
{
	if (!c->in->closed) {
		cli_error("%s is open, not closed; nothing written", c->in->number);
		return EXIT_CONFLICT;
	}
	c->effective = c->at;
	return check_not_before(c, c->in->closed_at, "closed");
}

/* ---- corrections -------------------------------------------------------- */

/* Find the event --event names in this incident's stream and put its id and
 * type into the payload; a retracted event takes no more revisions. */
static int resolve_target(struct sub_context *c)
{
	struct cli_target t;
	int rc = cli_find_target(c->store, c->stream, c->in->number,
				 cli_payload_text(c->payload, "target"), &t);
	if (rc)
		return rc;
	const struct kt_incident_fact *f = any_fact(c->in, t.id);
	if (f && f->retracted) {
		cli_error("--event: %s is retracted; a retraction is final (record the fact anew "
			  "instead); nothing written",
			  t.text);
		return EXIT_CONFLICT;
	}
	/* A correction states what was true from the start: it takes effect
	 * when the event it corrects did. */
	c->effective = t.effective;
	int err = cli_payload_set_text(c->payload, "target", t.text);
	return err ? err : cli_payload_set_text(c->payload, "target_type", t.type);
}

static int prepare_retract(struct sub_context *c)
{
	return resolve_target(c);
}

/*
 * The rules of report, also for a corrected report: the area of a known unit
 * (area_key given), and no occurrence after the registration day. in_data
 * says whether the values come from a correction's --data, for messages.
 */
static int check_place_and_day(int in_data, const char *unit, const char *area_key,
			       const char *occurred, int64_t registered)
{
	const struct kt_unit *known = unit ? kt_unit_find(unit) : NULL;
	int area = area_key ? kt_area_by_key(area_key, strlen(area_key)) : -1;
	if (known && area >= 0 && (size_t)area != known->area) {
		cli_error("--data: unit %s belongs to %s, not %s; nothing written", known->name,
			  kt_area_at(known->area)->name, kt_area_at((size_t)area)->name);
		return EXIT_INPUT;
	}
	int64_t day;
	char reg[KT_TIME_TEXT_MAX];
	if (occurred && !kt_data_parse_date(occurred, strlen(occurred), &day) &&
	    day > cli_day_start(registered)) {
		kt_time_format_date(registered, reg);
		cli_error("%s %s is after the day it was registered (%s); nothing written",
			  in_data ? "--data: occurred" : "--occurred:", occurred, reg);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/*
 * A correction changes what a fact says, not which fact it is: a report's
 * number and an action's label stay, so a number keeps naming its stream and
 * a label is never reused.
 */
static int keeps_identity(const struct sub_context *c, const uint8_t target[16], const json_t *data)
{
	const char *type = cli_payload_text(c->payload, "target_type"), *field = NULL, *want = NULL;
	const struct kt_incident_fact *f = any_fact(c->in, target);
	if (strcmp(type, KT_EV_INCIDENT_REPORTED) == 0) {
		field = "number";
		want = c->in->number;
	} else if (f && (strcmp(type, KT_EV_INCIDENT_ACTION_ADDED) == 0 ||
			 strcmp(type, KT_EV_INCIDENT_ACTION_COMPLETED) == 0)) {
		field = "action";
		want = kt_incidents_name(c->model, f->name);
	}
	int rc = cli_check_identity(data, field, want);
	if (!rc && strcmp(type, KT_EV_INCIDENT_REPORTED) == 0)
		return check_place_and_day(1, cli_payload_text(data, "unit"),
					   cli_payload_text(data, "area"),
					   cli_payload_text(data, "occurred"), c->effective);
	return rc;
}

/* The replacement payload must pass its type's schema and keep identity. */
static int prepare_correct(struct sub_context *c)
{
	int rc = resolve_target(c);
	if (rc)
		return rc;
	uint8_t target[16];
	json_t *data = json_object_get(c->payload, "data");
	kt_id_parse(cli_payload_text(c->payload, "target"), target);
	rc = cli_check_replacement(cli_payload_text(c->payload, "target_type"), data);
	return rc ? rc : keeps_identity(c, target, data);
}

/* ---- the subcommands ---------------------------------------------------- */

static const struct sub_option report_opts[] = {
	{ "category", "category", OPT_CATEGORY, 1,
	  "avvik (\"Avvik (inkl. skade)\") or forbedring (\"Forbedringsforslag\")" },
	{ "unit", "unit", OPT_TEXT, 1, "the unit (enhet) it happened in" },
	{ "area", NULL, OPT_AREA, 0,
	  "its area (byrådsområde); required when kontroll does not know the unit" },
	{ "occurred", "occurred", OPT_DAY, 1, "the day it happened (YYYY-MM-DD)" },
	{ "text", "text", OPT_TEXT, 1, "what happened (personal data)" },
	{ "registered", NULL, OPT_TIME, 0,
	  "when it was registered, for back-dated entry (YYYY-MM-DD or "
	  "YYYY-MM-DDTHH:MM:SSZ; default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option triage_opts[] = {
	{ "type", "type", OPT_TYPE, 1,
	  "HMS/arbeidsmiljø, pasient- og brukersikkerhet, personvern,\n"
	  "                       informasjonssikkerhet, vold og trusler, miljø or annet" },
	{ "severity", "severity", OPT_SEVERITY, 1, "1 (least) to 4 (most serious)" },
	{ "note", "note", OPT_TEXT, 0, "why (personal data)" },
	{ "at", NULL, OPT_TIME, 0, "when it happened (default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option assign_opts[] = {
	{ "handler", "handler", OPT_TEXT, 1, "who handles it (saksbehandler)" },
	{ "note", "note", OPT_TEXT, 0, "a note (personal data)" },
	{ "at", NULL, OPT_TIME, 0, "when it happened (default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option action_opts[] = {
	{ "text", "text", OPT_TEXT, 1, "what is to be done (personal data)" },
	{ "due", "due", OPT_DAY, 1, "by when (YYYY-MM-DD)" },
	{ "responsible", "responsible", OPT_TEXT, 0, "who is responsible" },
	{ "at", NULL, OPT_TIME, 0, "when it happened (default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option complete_opts[] = {
	{ "action", "action", OPT_TEXT, 0, "the action, e.g. T1 (or give ID/T1)" },
	{ "note", "note", OPT_TEXT, 0, "a note (personal data)" },
	{ "at", NULL, OPT_TIME, 0, "when it happened (default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option external_opts[] = {
	{ "to", "recipient", OPT_RECIPIENT, 1,
	  "datatilsynet, arbeidstilsynet, statsforvalteren, helseplattformen or other" },
	{ "to-text", "recipient_text", OPT_TEXT, 0, "the body's name (required with --to other)" },
	{ "reference", "reference", OPT_TEXT, 0, "the body's reference" },
	{ "note", "note", OPT_TEXT, 0, "a note (personal data)" },
	{ "at", NULL, OPT_TIME, 0,
	  "when it was sent (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option not_required_opts[] = {
	{ "to", "recipient", OPT_RECIPIENT, 1, "the body (as for external)" },
	{ "to-text", "recipient_text", OPT_TEXT, 0, "the body's name (required with --to other)" },
	{ "reason", "reason", OPT_TEXT, 1, "why reporting is not required (personal data)" },
	{ "at", NULL, OPT_TIME, 0, "when it happened (default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option close_opts[] = {
	{ "conclusion", "conclusion", OPT_TEXT, 1, "the conclusion (personal data)" },
	{ "force", NULL, OPT_FLAG, 0, "close although actions are open" },
	{ "at", NULL, OPT_TIME, 0, "when it was closed (default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option reopen_opts[] = {
	{ "reason", "reason", OPT_TEXT, 1, "why it is reopened (personal data)" },
	{ "at", NULL, OPT_TIME, 0, "when it was reopened (default now)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option correct_opts[] = {
	{ "event", "target", OPT_TEXT, 1, "the event corrected: its id, or 4+ hex digits of it" },
	{ "reason", "reason", OPT_TEXT, 1, "why" },
	{ "data", "data", OPT_JSON, 1, "the corrected payload, whole, as a JSON object" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option retract_opts[] = {
	{ "event", "target", OPT_TEXT, 1, "the event withdrawn: its id, or 4+ hex digits of it" },
	{ "reason", "reason", OPT_TEXT, 1, "why" },
	{ NULL, NULL, 0, 0, NULL },
};

static const struct subcommand report_sub = {
	"report",
	KT_EV_INCIDENT_REPORTED,
	"--category C --unit U [--area A] --occurred D --text T [--registered TIME]",
	"report an avvik or forbedringsforslag and print its number (H-YEAR-NNNNN, numbered\n"
	"within the year of registration)",
	report_opts,
	SUB_NO_ID,
	prepare_plain,
};

static const struct subcommand subcommands[] = {
	{ "triage", KT_EV_INCIDENT_TRIAGED, "ID --type T --severity 1-4 [--note T] [--at TIME]",
	  "classify it: type and severity (a later triage replaces an earlier one)", triage_opts, 0,
	  prepare_plain },
	{ "assign", KT_EV_INCIDENT_ASSIGNED, "ID --handler NAME [--note T] [--at TIME]",
	  "give it a handler (saksbehandler)", assign_opts, 0, prepare_plain },
	{ "action", KT_EV_INCIDENT_ACTION_ADDED,
	  "ID --text T --due D [--responsible NAME] [--at TIME]",
	  "add an action (tiltak); prints its label, H-2025-00042/T1", action_opts, 0,
	  prepare_action },
	{ "complete", KT_EV_INCIDENT_ACTION_COMPLETED,
	  "ID/ACTION [--note T] [--at TIME], or ID --action T1", "an action was carried out",
	  complete_opts, 0, prepare_complete },
	{ "external", KT_EV_INCIDENT_REPORTED_EXTERNAL,
	  "ID --to BODY [--to-text NAME] [--reference R] [--note T] [--at TIME]",
	  "it was reported to an outside body (Datatilsynet, Arbeidstilsynet, …)", external_opts, 0,
	  prepare_external },
	{ "not-required", KT_EV_INCIDENT_EXTERNAL_NOT_REQ, "ID --to BODY --reason T [--at TIME]",
	  "reporting it to an outside body was judged not required", not_required_opts, 0,
	  prepare_not_required },
	{ "close", KT_EV_INCIDENT_CLOSED, "ID --conclusion T [--force] [--at TIME]",
	  "close it (every action completed, unless --force)", close_opts, SUB_CLOSED_OK,
	  prepare_close },
	{ "reopen", KT_EV_INCIDENT_REOPENED, "ID --reason T [--at TIME]",
	  "reopen a closed incident", reopen_opts, SUB_CLOSED_OK, prepare_reopen },
	{ "correct", KT_EV_EVENT_CORRECTED, "ID --event EVENT --reason T --data JSON",
	  "replace an earlier event's payload, with a reason", correct_opts,
	  SUB_CLOSED_OK | SUB_REVISION, prepare_correct },
	{ "retract", KT_EV_EVENT_RETRACTED, "ID --event EVENT --reason T",
	  "withdraw an earlier event, with a reason", retract_opts, SUB_CLOSED_OK | SUB_REVISION,
	  prepare_retract },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

/* ---- the runner ---------------------------------------------------------- */

static void print_written(const struct sub_context *c, const struct kt_event *ev)
{
	char id[KT_ID_TEXT_LEN + 1];
	int labelled = c->label[0] && strcmp(c->sub->type, KT_EV_INCIDENT_ACTION_ADDED) == 0;
	kt_id_format(ev->id, id);
	if (c->format == FORMAT_JSON) {
		/* label: the action added or completed, else null. */
		json_t *o =
		    json_pack("{s:s, s:s, s:s?, s:I, s:I}", "id", id, "number", c->in->number,
			      "label", c->label[0] ? c->label : NULL, "position",
			      (json_int_t)ev->position, "version", (json_int_t)ev->version);
		if (o)
			cli_print_json(o);
		json_decref(o);
	} else if (labelled) {
		printf("%s/%s\n", c->in->number, c->label);
	} else {
		puts(id);
	}
}

/* GDPR art. 33: warn (not refuse) when the first report of a personvern
 * incident to Datatilsynet comes later than 72 hours after registration. */
static void warn_if_late(const struct sub_context *c, const struct kt_event *ev)
{
	const struct kt_incident *in = c->in;
	const char *to = cli_payload_text(c->payload, "recipient");
	if (strcmp(c->sub->type, KT_EV_INCIDENT_REPORTED_EXTERNAL) != 0 || !to ||
	    kt_recipient_by_key(to, strlen(to)) != KT_RECIPIENT_DATATILSYNET ||
	    in->type != KT_TYPE_PERSONVERN)
		return;
	int64_t earlier = in->external[KT_RECIPIENT_DATATILSYNET];
	int64_t after = ev->effective - in->registered;
	if ((earlier != KT_TIME_UNSET && earlier <= ev->effective) || after <= KT_NOTIFY_US)
		return;
	char hours[32];
	cli_hours_text(after, hours, sizeof hours);
	cli_error("warning: %s is a personvern incident reported to Datatilsynet %s after it was "
		  "registered, later than the %d hours of GDPR art. 33",
		  in->number, hours, KT_NOTIFY_HOURS);
}

static int append_event(struct sub_context *c)
{
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	int rc = cli_encode_payload(c->sub->type, c->payload, &data);
	if (rc)
		goto out;
	struct kt_event ev;
	struct kt_append_result res;
	cli_new_event(&ev, c->sub->type, cli_actor(c->actor), &data, c->effective);
	int err = kt_store_append(c->store, c->stream, c->in->version, &ev, 1, &res);
	if (err) {
		rc = cli_append_failed(err, c->in->number, &res, c->in->version);
	} else {
		print_written(c, &ev);
		warn_if_late(c, &ev);
	}
out:
	kt_buf_free(&data);
	return rc;
}

/* complete's ID may carry the action: "H-2025-00042/T1". Splits it into
 * number (size bytes) and the payload's action. */
static int split_action(struct sub_context *c, char *number, size_t size)
{
	const char *slash = strchr(c->id, '/');
	if (!slash || strcmp(c->sub->name, "complete") != 0)
		return EXIT_OK;
	char label[16];
	size_t n = strlen(slash + 1), k;
	if ((size_t)(slash - c->id) >= size || n == 0 || n >= sizeof label) {
		cli_error("'%s' is not an incident and action (H-2025-00042/T1)", c->id);
		return EXIT_INPUT;
	}
	for (k = 0; k <= n; k++)
		label[k] = (char)toupper((unsigned char)slash[1 + k]);
	const char *given = cli_payload_text(c->payload, "action");
	if (given && strcmp(given, label) != 0) {
		cli_error("give the action once: %s or --action %s", c->id, given);
		return EXIT_USAGE;
	}
	memcpy(number, c->id, (size_t)(slash - c->id));
	number[slash - c->id] = 0;
	c->id = number;
	return cli_payload_set_text(c->payload, "action", label);
}

static int run_sub(const struct subcommand *sub, int argc, char **argv)
{
	struct sub_context c;
	struct kt_incidents model;
	char number[64];
	memset(&c, 0, sizeof c);
	c.sub = sub;
	c.payload = json_object();
	c.model = &model;
	c.at = KT_TIME_UNSET;
	c.effective = KT_TIME_UNSET;
	c.format = FORMAT_TABLE;
	kt_incidents_init(&model);
	if (!c.payload) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	int rc = parse_sub(sub, argc, argv, &c);
	if (!rc)
		rc = split_action(&c, number, sizeof number);
	if (rc)
		goto out_payload;
	struct cli_moment now = CLI_MOMENT_NOW;
	if ((rc = cli_open_store(cli_db_path(c.db), 0, &c.store)))
		goto out_payload;
	if ((rc = cli_load_incidents(c.store, &now, &model)))
		goto out_store;
	if ((rc = cli_find_incident(&model, c.id, &c.in)))
		goto out_model;
	snprintf(c.stream, sizeof c.stream, KT_INCIDENT_STREAM_PREFIX "%s", c.in->number);
	if ((rc = check_state(&c)) || (rc = sub->prepare(&c)))
		goto out_model;
	/* Every other fact takes effect when it happened: --at, else now. */
	if (!(sub->flags & SUB_REVISION) && c.effective == KT_TIME_UNSET) {
		c.effective = c.at;
		if ((rc = check_not_before(&c, c.in->registered, "registered")))
			goto out_model;
	}
	rc = append_event(&c);
out_model:
	kt_incidents_free(&model);
out_store:
	kt_store_close(c.store);
out_payload:
	json_decref(c.payload);
	return rc < 0 ? EXIT_OK : rc;
}

/* ---- report: a new incident and its number ------------------------------ */

/* The unit's area: the known unit's, which a given --area must not
 * contradict; else --area, which is then required. Writes the unit (as the
 * organisation names it, when known) and the area key into the payload. */
static int place_report(struct sub_context *c)
{
	const char *unit = cli_payload_text(c->payload, "unit");
	const struct kt_unit *known = kt_unit_find(unit);
	int area = c->area ? kt_area_find(c->area) : -1;
	char names[400];
	/* Area names hold commas ("kultur, idrett og friluftsliv"). */
	list_names(area_name_at, KT_AREAS, "; ", names, sizeof names);
	if (c->area && area < 0) {
		cli_error("--area: '%s' is not an area (one of %s)", c->area, names);
		return EXIT_INPUT;
	}
	if (known && area >= 0 && (size_t)area != known->area) {
		cli_error("--area: %s belongs to %s, not %s", known->name,
			  kt_area_at(known->area)->name, kt_area_at((size_t)area)->name);
		return EXIT_INPUT;
	}
	if (!known && area < 0) {
		cli_error("--unit: kontroll does not know '%s'; give --area, one of %s", unit,
			  names);
		return EXIT_INPUT;
	}
	if (known) {
		area = (int)known->area;
		int rc = cli_payload_set_text(c->payload, "unit", known->name);
		if (rc)
			return rc;
	}
	return cli_payload_set_text(c->payload, "area", kt_area_at((size_t)area)->key);
}

static void print_reported(const struct sub_context *c, const char *number,
			   const struct kt_event *ev)
{
	char id[KT_ID_TEXT_LEN + 1];
	kt_id_format(ev->id, id);
	if (c->format != FORMAT_JSON) {
		puts(number);
		return;
	}
	json_t *o = json_pack("{s:s, s:s, s:I}", "number", number, "id", id, "position",
			      (json_int_t)ev->position);
	if (o)
		cli_print_json(o);
	json_decref(o);
}

static int cmd_report(int argc, char **argv)
{
	struct sub_context c;
	struct kt_incidents model;
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	memset(&c, 0, sizeof c);
	c.sub = &report_sub;
	c.payload = json_object();
	c.at = KT_TIME_UNSET;
	c.format = FORMAT_TABLE;
	kt_incidents_init(&model);
	int rc = c.payload ? parse_sub(c.sub, argc, argv, &c) : EXIT_FAILURE_STORE;
	if (rc || (rc = place_report(&c)))
		goto out;
	c.effective = c.at != KT_TIME_UNSET ? c.at : kt_time_now();
	if ((rc = check_place_and_day(0, NULL, NULL, cli_payload_text(c.payload, "occurred"),
				      c.effective)))
		goto out;
	char day[KT_TIME_TEXT_MAX];
	kt_time_format_date(c.effective, day);
	int year = atoi(day);
	/* A placeholder number checks the payload before the store is opened. */
	char number[KT_INCIDENT_NUMBER_SIZE];
	kt_incident_number_format(year, 1, number);
	cli_payload_set_text(c.payload, "number", number);
	if ((rc = cli_encode_payload(KT_EV_INCIDENT_REPORTED, c.payload, &data)))
		goto out;
	struct cli_moment now = CLI_MOMENT_NOW;
	if ((rc = cli_open_store(cli_db_path(c.db), 0, &c.store)) ||
	    (rc = cli_load_incidents(c.store, &now, &model)))
		goto out;
	const char *actor = cli_actor(c.actor);
	uint32_t seq = kt_incidents_last_seq(&model, year);
	/* Two people reporting at once race for a number; the stream's "must
	 * not exist" check decides, and the loser takes the next. */
	for (int attempt = 0; attempt < 100; attempt++) {
		kt_incident_number_format(year, ++seq, number);
		snprintf(c.stream, sizeof c.stream, KT_INCIDENT_STREAM_PREFIX "%s", number);
		cli_payload_set_text(c.payload, "number", number);
		kt_buf_reset(&data);
		if ((rc = cli_encode_payload(KT_EV_INCIDENT_REPORTED, c.payload, &data)))
			goto out;
		struct kt_event ev;
		cli_new_event(&ev, KT_EV_INCIDENT_REPORTED, actor, &data, c.effective);
		int err = kt_store_append(c.store, c.stream, KT_VERSION_NONE, &ev, 1, NULL);
		if (err == KT_EVERSION)
			continue;
		if (err) {
			rc = cli_append_failed(err, number, NULL, 0);
			goto out;
		}
		print_reported(&c, number, &ev);
		goto out;
	}
	cli_error("no free incident number for %d after 100 tries; nothing written", year);
	rc = EXIT_CONFLICT;
out:
	kt_buf_free(&data);
	kt_incidents_free(&model);
	kt_store_close(c.store);
	json_decref(c.payload);
	return rc < 0 ? EXIT_OK : rc;
}

/* ---- the dispatcher ----------------------------------------------------- */

static const char incident_usage_head[] =
    "usage: kontroll incident SUBCOMMAND [ID] [options]\n"
    "\n"
    "Record and show incidents reported in Kvaliteket: avvik (deviations,\n"
    "injuries included) and forbedringsforslag. Every subcommand that writes\n"
    "takes --actor NAME, --format json and --db PATH, and refuses to write when\n"
    "the incident changed since it was read (exit 4).\n"
    "\n"
    "  report       report an incident; prints its number (H-2025-00042)\n"
    "  show         the whole incident with its timeline\n";

static void print_incident_usage(void)
{
	fputs(incident_usage_head, stdout);
	for (const struct subcommand *sub = subcommands; sub->name; sub++) {
		const char *nl = strchr(sub->summary, '\n');
		printf("  %-12s %.*s\n", sub->name,
		       (int)(nl ? (size_t)(nl - sub->summary) : strlen(sub->summary)),
		       sub->summary);
	}
	puts("\n`kontroll incident SUBCOMMAND --help` lists its options.");
}

/* The subcommand name with its arguments (argv[0] is name); -1 when there
 * is none of that name. */
static int run_subcommand(const char *name, int argc, char **argv)
{
	if (strcmp(name, "report") == 0)
		return cmd_report(argc, argv);
	if (strcmp(name, "show") == 0)
		return cli_incident_show(argc, argv);
	for (const struct subcommand *sub = subcommands; sub->name; sub++)
		if (strcmp(sub->name, name) == 0)
			return run_sub(sub, argc, argv);
	return -1;
}

static int cmd_incident(int argc, char **argv)
{
	return cli_run_subcommand(argc, argv, print_incident_usage, run_subcommand);
}

const struct cli_command cli_incident_commands[] = {
	{ "incident", "record incidents (avvik, forbedringsforslag): report, triage, actions, …",
	  incident_usage_head, cmd_incident },
	{ NULL, NULL, NULL, NULL },
};
