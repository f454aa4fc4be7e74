/*
 * cmd_inspection.c — `kontroll inspection SUBCOMMAND`: the commands that
 * record an inspection's steps. Each subcommand is a row of a table: the
 * event type it writes, the options that fill the payload, and the rules it
 * checks against the inspection's current state. One runner does the rest:
 * parse, build the payload, check it against the catalogue's schema and the
 * state, and append it with the stream version it read, so that two advisers
 * editing one case at once cannot overwrite each other.
 */
#define _POSIX_C_SOURCE 200809L
#include "inspection_cli.h"
#include "revision.h"

#include "kontroll/data.h"
#include "kontroll/deadline.h"
#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/json.h"
#include "kontroll/ktime.h"
#include "kontroll/schema.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
	OPT_TEXT,     /* text field */
	OPT_DATE,     /* YYYY-MM-DD field */
	OPT_DEADLINE, /* wording → deadline, deadline_text, deadline_precision */
	OPT_FLAG,     /* true when given */
	OPT_NUMBER,   /* a number */
	OPT_TEXTS,    /* repeatable: an array of texts */
	OPT_JSON,     /* a JSON object */
};

struct sub_option {
	const char *name;  /* the long option */
	const char *field; /* the payload field it fills */
	enum opt_kind kind;
	int required;
	const char *help;
};

struct sub_context; /* below */

struct subcommand {
	const char *name;
	const char *type; /* the event type written */
	const char *summary;
	const struct sub_option *options;
	/* Fill what the state decides (labels, defaults) and check the state
	 * rules; print the error and return an exit code to refuse. */
	int (*prepare)(struct sub_context *c);
};

/* What one run of a subcommand works with. */
struct sub_context {
	const struct subcommand *sub;
	const char *type; /* may differ from sub->type (finding --kind none) */
	json_t *payload;
	const struct kt_inspection *in;
	struct kt_inspections *model;
	kt_store *store;
	char label[KT_LABEL_SIZE]; /* a new finding's or order's label */
	int64_t effective;	   /* the envelope's effective time */
};

/* ---- payload helpers ---------------------------------------------------- */

static int is_day(const char *s)
{
	int64_t us;
	return s && strlen(s) == 10 && kt_data_parse_date(s, 10, &us) == 0;
}

/*
 * A day, or a month (YYYY-MM) or year (YYYY) when only that is known: the
 * catalogue stores those as the period's first day with date_precision.
 * Writes the day into day and its precision ("day", "month", "year").
 */
static int parse_partial_date(const char *text, char day[11], const char **precision)
{
	size_t n = strlen(text);
	*precision = "day";
	if (n == 4 && strspn(text, "0123456789") == 4) {
		snprintf(day, 11, "%s-01-01", text);
		*precision = "year";
	} else if (n == 7 && text[4] == '-') {
		snprintf(day, 11, "%s-01", text);
		*precision = "month";
	} else if (n == 10) {
		memcpy(day, text, 11);
	} else {
		return -1;
	}
	return is_day(day) ? 0 : -1;
}

/* Put a partial date into field (and its precision, unless a day, into
 * precision_field). */
static int set_partial_date(json_t *payload, const char *option, const char *field,
			    const char *precision_field, const char *text)
{
	char day[11];
	const char *precision;
	if (parse_partial_date(text, day, &precision)) {
		cli_error("%s: '%s' is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when only the "
			  "month or year is known)",
			  option, text);
		return EXIT_INPUT;
	}
	int rc = cli_payload_set_text(payload, field, day);
	if (!rc && strcmp(precision, "day") != 0)
		rc = cli_payload_set_text(payload, precision_field, precision);
	return rc;
}

static void today(char out[KT_TIME_TEXT_MAX])
{
	kt_time_format_date(kt_time_now(), out);
}

/* ---- state rules shared by several subcommands ------------------------- */

static int refuse_if_closed(const struct sub_context *c)
{
	enum kt_inspection_status st = kt_inspection_status(c->in);
	if (st == KT_INSPECTION_CLOSED || st == KT_INSPECTION_TRANSFERRED) {
		cli_error("%s is %s; nothing written (retract the closure first to reopen it)",
			  c->in->case_number, kt_inspection_status_name(st));
		return EXIT_CONFLICT;
	}
	return EXIT_OK;
}

static const struct kt_finding *live_finding(const struct kt_inspection *in, const char *label)
{
	for (size_t k = 0; label && k < in->n_findings; k++)
		if (!in->findings[k].retracted && strcmp(in->findings[k].label, label) == 0)
			return &in->findings[k];
	return NULL;
}

static const struct kt_order *live_order(const struct kt_inspection *in, const char *label)
{
	for (size_t k = 0; label && k < in->n_orders; k++)
		if (!in->orders[k].retracted && strcmp(in->orders[k].label, label) == 0)
			return &in->orders[k];
	return NULL;
}

/* The order named by --order, which must exist and (unless any_status) be open. */
static int need_order(const struct sub_context *c, int any_status, const struct kt_order **out)
{
	const char *label = cli_payload_text(c->payload, "order");
	const struct kt_order *o = live_order(c->in, label);
	if (!o) {
		cli_error("%s has no order %s; nothing written", c->in->case_number,
			  label ? label : "(none given)");
		return EXIT_NOTFOUND;
	}
	if (!any_status && o->status != KT_ORDER_OPEN) {
		cli_error("%s/%s is %s already; nothing written", c->in->case_number, o->label,
			  kt_order_status_name(o->status));
		return EXIT_CONFLICT;
	}
	*out = o;
	return EXIT_OK;
}

/* The next free label with this prefix: F1, F2, … counting retracted ones. */
static void next_label(const struct sub_context *c, char prefix, char out[KT_LABEL_SIZE])
{
	size_t n = prefix == 'F' ? c->in->n_findings : c->in->n_orders;
	snprintf(out, KT_LABEL_SIZE, "%c%zu", prefix, n + 1);
}

/* ---- per-subcommand preparation ---------------------------------------- */

static int prepare_step(struct sub_context *c)
{
	return refuse_if_closed(c);
}

static int prepare_preliminary(struct sub_context *c)
{
	int rc = refuse_if_closed(c);
	if (rc || json_object_get(c->payload, "comment_deadline"))
		return rc;
	int64_t day;
	char text[KT_TIME_TEXT_MAX];
	kt_data_parse_date(cli_payload_text(c->payload, "date"), 10, &day);
	kt_time_format_date(day + KT_INSPECTION_COMMENT_DAYS * KT_US_PER_DAY, text);
	return cli_payload_set_text(c->payload, "comment_deadline", text);
}

static int prepare_finding(struct sub_context *c)
{
	int rc = refuse_if_closed(c);
	if (rc)
		return rc;
	const char *kind = cli_payload_text(c->payload, "kind");
	if (kind && strcmp(kind, "none") == 0) {
		if (kt_inspection_findings_of(c->in, KT_FINDING_LOVBRUDD) +
			kt_inspection_findings_of(c->in, KT_FINDING_AVVIK) +
			kt_inspection_findings_of(c->in, KT_FINDING_MERKNAD) +
			kt_inspection_findings_of(c->in, KT_FINDING_FORBEDRINGSPUNKT) >
		    0) {
			cli_error("%s has findings already; retract them before recording none",
				  c->in->case_number);
			return EXIT_CONFLICT;
		}
		c->type = KT_EV_FINDING_NONE;
		json_object_del(c->payload, "kind");
		json_object_del(c->payload, "legal_ref");
		return EXIT_OK;
	}
	if (c->in->steps[KT_STEP_NO_FINDINGS].date != KT_TIME_UNSET) {
		cli_error("%s is recorded as having no findings; retract that first",
			  c->in->case_number);
		return EXIT_CONFLICT;
	}
	next_label(c, 'F', c->label);
	return cli_payload_set_text(c->payload, "finding", c->label);
}

static int prepare_order(struct sub_context *c)
{
	int rc = refuse_if_closed(c);
	if (rc)
		return rc;
	const char *finding = cli_payload_text(c->payload, "finding");
	if (finding && !live_finding(c->in, finding)) {
		cli_error("%s has no finding %s; nothing written", c->in->case_number, finding);
		return EXIT_NOTFOUND;
	}
	next_label(c, 'P', c->label);
	return cli_payload_set_text(c->payload, "order", c->label);
}

static int prepare_open_order(struct sub_context *c)
{
	const struct kt_order *o;
	int rc = refuse_if_closed(c);
	return rc ? rc : need_order(c, 0, &o);
}

static int prepare_extend(struct sub_context *c)
{
	const struct kt_order *o;
	int rc = refuse_if_closed(c);
	if (!rc)
		rc = need_order(c, 0, &o);
	if (rc)
		return rc;
	int64_t old = kt_order_deadline(o), now;
	if (old != KT_TIME_UNSET &&
	    kt_data_parse_date(cli_payload_text(c->payload, "deadline"), 10, &now) == 0 &&
	    now <= old) {
		cli_error("--deadline must be later than the current deadline of %s/%s",
			  c->in->case_number, o->label);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

static int prepare_appeal(struct sub_context *c)
{
	const struct kt_order *o;
	int rc = refuse_if_closed(c);
	if (!rc)
		rc = need_order(c, 0, &o);
	if (!rc && o->appealed) {
		cli_error("%s/%s has an appeal pending already; record its outcome first",
			  c->in->case_number, o->label);
		return EXIT_CONFLICT;
	}
	return rc;
}

static int prepare_decide(struct sub_context *c)
{
	const struct kt_order *o;
	int rc = refuse_if_closed(c);
	if (!rc)
		rc = need_order(c, 1, &o);
	if (!rc && !o->appealed) {
		cli_error("%s/%s has no appeal pending; nothing written", c->in->case_number,
			  o->label);
		return EXIT_CONFLICT;
	}
	return rc;
}

static int prepare_respond(struct sub_context *c)
{
	const struct kt_order *o;
	int rc = refuse_if_closed(c);
	if (!rc && cli_payload_text(c->payload, "order"))
		rc = need_order(c, 1, &o);
	if (!rc && cli_payload_text(c->payload, "finding") &&
	    !live_finding(c->in, cli_payload_text(c->payload, "finding"))) {
		cli_error("%s has no finding %s; nothing written", c->in->case_number,
			  cli_payload_text(c->payload, "finding"));
		rc = EXIT_NOTFOUND;
	}
	if (!rc && !json_object_get(c->payload, "kind"))
		rc = cli_payload_set_text(c->payload, "kind", "response");
	return rc;
}

static int prepare_waive(struct sub_context *c)
{
	const struct kt_order *o;
	int rc = refuse_if_closed(c);
	if (rc)
		return rc;
	const char *finding = cli_payload_text(c->payload, "finding");
	if (!finding && !cli_payload_text(c->payload, "order")) {
		cli_error(
		    "--order or --finding is required (see kontroll inspection waive --help)");
		return EXIT_USAGE;
	}
	if (finding && !cli_payload_text(c->payload, "order")) {
		if (!live_finding(c->in, finding)) {
			cli_error("%s has no finding %s; nothing written", c->in->case_number,
				  finding);
			return EXIT_NOTFOUND;
		}
		return EXIT_OK;
	}
	return need_order(c, 0, &o);
}

/* A transfer closes the case here: what became of each open order must be
 * on record first (fulfilled, or waived with the transfer as the reason). */
static int prepare_transfer(struct sub_context *c)
{
	int rc = refuse_if_closed(c);
	size_t open = rc ? 0 : kt_inspection_orders_open(c->in);
	if (open) {
		cli_error("%s has %zu open order%s: record %s fulfilled or waived (e.g. with the "
			  "transfer as the reason) before the transfer; nothing written",
			  c->in->case_number, open, open == 1 ? "" : "s",
			  open == 1 ? "it" : "them");
		return EXIT_CONFLICT;
	}
	return rc;
}

static int prepare_close(struct sub_context *c)
{
	int rc = refuse_if_closed(c);
	if (rc)
		return rc;
	size_t open = kt_inspection_orders_open(c->in);
	int forced = json_is_true(json_object_get(c->payload, "forced"));
	if (open && !forced) {
		const char *them = open == 1 ? "it" : "them";
		cli_error("%s has %zu open order%s: the authority must confirm %s fulfilled or "
			  "waive %s first, or close with --force --reason; nothing written",
			  c->in->case_number, open, open == 1 ? "" : "s", them, them);
		return EXIT_CONFLICT;
	}
	if (!forced)
		json_object_del(c->payload, "forced");
	return EXIT_OK;
}

/* ---- corrections -------------------------------------------------------- */

/* Find the event of this inspection that --event names (revision.h) and put
 * its id and type into the payload. */
static int resolve_target(struct sub_context *c)
{
	struct cli_target t;
	int rc = cli_find_target(c->store, c->in->stream, c->in->case_number,
				 cli_payload_text(c->payload, "target"), &t);
	if (rc)
		return rc;
	/* A correction states what was true from the start: it takes effect
	 * when the event it corrects did. */
	c->effective = t.effective;
	int err = cli_payload_set_text(c->payload, "target", t.text);
	return err ? err : cli_payload_set_text(c->payload, "target_type", t.type);
}

static int prepare_retract(struct sub_context *c)
{
	int rc = resolve_target(c);
	if (!rc &&
	    strcmp(cli_payload_text(c->payload, "target_type"), KT_EV_INSPECTION_OPENED) == 0) {
		cli_error("an inspection's opening cannot be retracted; correct it instead");
		return EXIT_INPUT;
	}
	return rc;
}

/*
 * A correction changes what a fact says, not which fact it is: the case
 * number of an opening and the label of a finding or order stay, so a label
 * is never reused and the case number keeps naming its stream.
 */
static int keeps_identity(const struct sub_context *c, const json_t *data)
{
	const char *type = cli_payload_text(c->payload, "target_type"), *field = NULL, *want = NULL;
	uint8_t target[16];
	if (kt_id_parse(cli_payload_text(c->payload, "target"), target))
		return EXIT_OK;
	if (strcmp(type, KT_EV_INSPECTION_OPENED) == 0) {
		field = "case_number";
		want = c->in->case_number;
	}
	for (size_t k = 0; strcmp(type, KT_EV_FINDING_RECORDED) == 0 && k < c->in->n_findings; k++)
		if (memcmp(c->in->findings[k].source, target, 16) == 0) {
			field = "finding";
			want = c->in->findings[k].label;
		}
	for (size_t k = 0; strcmp(type, KT_EV_ORDER_ISSUED) == 0 && k < c->in->n_orders; k++)
		if (memcmp(c->in->orders[k].source, target, 16) == 0) {
			field = "order";
			want = c->in->orders[k].label;
		}
	int rc = cli_check_identity(data, field, want);
	if (rc)
		return rc;
	const char *finding = cli_payload_text(data, "finding");
	if (strcmp(type, KT_EV_ORDER_ISSUED) == 0 && finding && !live_finding(c->in, finding)) {
		cli_error("--data: %s has no finding %s; nothing written", c->in->case_number,
			  finding);
		return EXIT_NOTFOUND;
	}
	return EXIT_OK;
}

/* The replacement payload of a correction must itself pass its type's schema. */
static int prepare_correct(struct sub_context *c)
{
	int rc = resolve_target(c);
	if (rc)
		return rc;
	json_t *data = json_object_get(c->payload, "data");
	rc = cli_check_replacement(cli_payload_text(c->payload, "target_type"), data);
	return rc ? rc : keeps_identity(c, data);
}

/* ---- the subcommands ---------------------------------------------------- */

#define DATE_HELP                                                                                  \
	"the day it happened, or YYYY-MM / YYYY when only that is known (default: today); "        \
	"--effective is the same"

static const struct sub_option notify_opts[] = {
	{ "text", "text", OPT_TEXT, 0, "what the notice says" },
	{ "reference", "reference", OPT_TEXT, 0, "the authority's reference" },
	{ "planned-date", "planned_date", OPT_DATE, 0, "when the inspection is planned" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option conduct_opts[] = {
	{ "mode", "mode", OPT_TEXT, 1, "visit, document_review, meeting or self_assessment" },
	{ "date-to", "date_to", OPT_DATE, 0, "last day, when it took several" },
	{ "text", "text", OPT_TEXT, 0, "notes" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option preliminary_opts[] = {
	{ "comment-deadline", "comment_deadline", OPT_DATE, 0,
	  "the municipality's deadline for comments (default: two weeks after --date)" },
	{ "reference", "reference", OPT_TEXT, 0, "the report's reference" },
	{ "text", "text", OPT_TEXT, 0, "summary" },
	{ "document", "documents", OPT_TEXTS, 0, "a document (repeatable)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option comments_opts[] = {
	{ "text", "text", OPT_TEXT, 1, "the municipality's comments" },
	{ "document", "documents", OPT_TEXTS, 0, "a document (repeatable)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option final_opts[] = {
	{ "reference", "reference", OPT_TEXT, 0, "the report's reference" },
	{ "text", "text", OPT_TEXT, 0, "summary" },
	{ "document", "documents", OPT_TEXTS, 0, "a document (repeatable)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option finding_opts[] = {
	{ "kind", "kind", OPT_TEXT, 1, "lovbrudd, avvik, merknad, forbedringspunkt, or none" },
	{ "text", "text", OPT_TEXT, 0, "the finding (required unless --kind none)" },
	{ "legal-ref", "legal_ref", OPT_TEXT, 0, "the provision, e.g. 'arbeidsmiljøloven § 4-1'" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option order_opts[] = {
	{ "finding", "finding", OPT_TEXT, 0, "the finding it rests on, e.g. F1" },
	{ "text", "text", OPT_TEXT, 1, "what the municipality must do" },
	{ "title", "title", OPT_TEXT, 0, "a short title" },
	{ "legal-basis", "legal_basis", OPT_TEXT, 0, "e.g. 'kommuneloven § 30-4'" },
	{ "deadline", "deadline", OPT_DEADLINE, 0,
	  "rettefrist: YYYY-MM-DD, DD.MM.YYYY, 'medio juni 2026', 'februar 2026', …" },
	{ "kind", "kind", OPT_TEXT, 0,
	  "palegg (default), krav_om_opplysninger, frist_for_retting, svarfrist, other" },
	{ "kind-text", "kind_text", OPT_TEXT, 0,
	  "the authority's wording of the kind (required with --kind other)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option respond_opts[] = {
	{ "order", "order", OPT_TEXT, 0, "the order it answers, e.g. P2" },
	{ "finding", "finding", OPT_TEXT, 0, "the finding it answers, e.g. F1" },
	{ "kind", "kind", OPT_TEXT, 0,
	  "response (default), action_plan, progress_plan, declaration, account, information, "
	  "risk_assessment, evaluation, other" },
	{ "text", "text", OPT_TEXT, 1, "the response" },
	{ "document", "documents", OPT_TEXTS, 0, "a document (repeatable)" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option extend_opts[] = {
	{ "order", "order", OPT_TEXT, 1, "the order, e.g. P2" },
	{ "deadline", "deadline", OPT_DEADLINE, 1, "the new deadline (as for order)" },
	{ "reason", "reason", OPT_TEXT, 1, "why it was extended" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option appeal_opts[] = {
	{ "order", "order", OPT_TEXT, 1, "the order appealed, e.g. P2" },
	{ "text", "text", OPT_TEXT, 1, "the appeal (klage)" },
	{ "suspensive", "suspensive", OPT_FLAG, 0, "the appeal suspends the order" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option decide_opts[] = {
	{ "order", "order", OPT_TEXT, 1, "the order appealed" },
	{ "outcome", "outcome", OPT_TEXT, 1, "upheld, changed or annulled" },
	{ "decided-by", "decided_by", OPT_TEXT, 0, "the body that decided the appeal" },
	{ "text", "text", OPT_TEXT, 1, "the decision" },
	{ "deadline", "deadline", OPT_DEADLINE, 0, "a new deadline set by the decision" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option escalate_opts[] = {
	{ "order", "order", OPT_TEXT, 1, "the order" },
	{ "measure", "measure", OPT_TEXT, 1, "tvangsmulkt, stansing or overtredelsesgebyr" },
	{ "notice", "notice", OPT_FLAG, 0, "only notified (varsel om tvangsmulkt), not imposed" },
	{ "text", "text", OPT_TEXT, 1, "what the authority decided" },
	{ "amount", "amount", OPT_NUMBER, 0, "amount in NOK" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option fulfil_opts[] = {
	{ "order", "order", OPT_TEXT, 1, "the order the authority confirmed fulfilled" },
	{ "text", "text", OPT_TEXT, 0, "the authority's confirmation" },
	{ "reference", "reference", OPT_TEXT, 0, "its reference" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option waive_opts[] = {
	{ "order", "order", OPT_TEXT, 0, "the order waived" },
	{ "finding", "finding", OPT_TEXT, 0, "or the finding whose requirement was waived" },
	{ "reason", "reason", OPT_TEXT, 1, "why the authority dropped it" },
	{ "text", "text", OPT_TEXT, 0, "notes" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option close_opts[] = {
	{ "text", "text", OPT_TEXT, 0, "the authority's closing words" },
	{ "force", "forced", OPT_FLAG, 0, "close although orders are open (needs --reason)" },
	{ "reason", "reason", OPT_TEXT, 0, "why it is closed with orders open" },
	{ NULL, NULL, 0, 0, NULL },
};
static const struct sub_option transfer_opts[] = {
	{ "to", "to", OPT_TEXT, 1, "the body that takes it over, e.g. 'P-Norge AS'" },
	{ "text", "text", OPT_TEXT, 0, "notes" },
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

static const struct subcommand subcommands[] = {
	{ "notify", KT_EV_INSPECTION_NOTIFIED, "the authority's notice of inspection (varsel)",
	  notify_opts, prepare_step },
	{ "conduct", KT_EV_INSPECTION_CONDUCTED, "the visit or document review took place",
	  conduct_opts, prepare_step },
	{ "preliminary", KT_EV_REPORT_PRELIMINARY,
	  "preliminary report (foreløpig rapport, fvl. § 16 notice)", preliminary_opts,
	  prepare_preliminary },
	{ "comment", KT_EV_REPORT_COMMENTS_SENT, "the municipality's comments on the report",
	  comments_opts, prepare_step },
	{ "final", KT_EV_REPORT_FINAL, "final report (endelig rapport)", final_opts, prepare_step },
	{ "finding", KT_EV_FINDING_RECORDED, "record a finding, or that there were none",
	  finding_opts, prepare_finding },
	{ "order", KT_EV_ORDER_ISSUED, "an order (pålegg) with its deadline", order_opts,
	  prepare_order },
	{ "respond", KT_EV_RESPONSE_REGISTERED,
	  "the municipality's response, action plan, declaration or account", respond_opts,
	  prepare_respond },
	{ "extend", KT_EV_ORDER_DEADLINE_EXTENDED, "a later deadline for an order", extend_opts,
	  prepare_extend },
	{ "appeal", KT_EV_ORDER_APPEALED, "an appeal (klage) against an order", appeal_opts,
	  prepare_appeal },
	{ "decide", KT_EV_ORDER_APPEAL_DECIDED, "the outcome of an appeal", decide_opts,
	  prepare_decide },
	{ "escalate", KT_EV_ORDER_ESCALATED, "tvangsmulkt or stansing for an order", escalate_opts,
	  prepare_open_order },
	{ "fulfil", KT_EV_ORDER_FULFILLED, "the authority confirmed an order fulfilled",
	  fulfil_opts, prepare_open_order },
	{ "waive", KT_EV_REQUIREMENT_WAIVED, "the authority waived an order or requirement",
	  waive_opts, prepare_waive },
	{ "close", KT_EV_INSPECTION_CLOSED, "the authority closed the inspection (lukket)",
	  close_opts, prepare_close },
	{ "transfer", KT_EV_INSPECTION_TRANSFERRED, "closed and transferred to another body",
	  transfer_opts, prepare_transfer },
	{ "correct", KT_EV_EVENT_CORRECTED, "replace an earlier event's payload, with a reason",
	  correct_opts, prepare_correct },
	{ "retract", KT_EV_EVENT_RETRACTED, "withdraw an earlier event, with a reason",
	  retract_opts, prepare_retract },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- the runner ---------------------------------------------------------- */

static int is_revision(const struct subcommand *sub)
{
	return strcmp(sub->type, KT_EV_EVENT_CORRECTED) == 0 ||
	       strcmp(sub->type, KT_EV_EVENT_RETRACTED) == 0;
}

static void print_sub_usage(const struct subcommand *sub)
{
	printf("usage: kontroll inspection %s ID [options]\n\n%s (event %s).\n"
	       "ID is a case number (T-2025-007) or 4+ hex digits of the inspection's id.\n\n",
	       sub->name, sub->summary, sub->type);
	for (const struct sub_option *o = sub->options; o->name; o++)
		printf("  --%-18s %s%s\n", o->name, o->help, o->required ? " (required)" : "");
	if (!is_revision(sub))
		printf("  --%-18s %s\n  --%-18s %s\n", "date D", DATE_HELP, "date-text T",
		       "the date as the source words it, e.g. 'i august'");
	printf("  --%-18s %s\n  --%-18s %s\n  --%-18s %s\n", "actor NAME",
	       "who records it (default $KONTROLL_ACTOR, else $USER)", "format table|json",
	       "json prints {\"id\", \"case_number\", \"label\", \"position\", \"version\"}",
	       "db PATH", "the store file");
}

/* Turn one option value into payload fields. */
static int take_option(json_t *payload, const struct sub_option *o, const char *value)
{
	switch (o->kind) {
	case OPT_TEXT:
		return cli_payload_set_text(payload, o->field, value);
	case OPT_DATE:
		if (!is_day(value)) {
			cli_error("--%s: '%s' is not a date (YYYY-MM-DD)", o->name, value);
			return EXIT_INPUT;
		}
		return cli_payload_set_text(payload, o->field, value);
	case OPT_DEADLINE: {
		struct kt_deadline d;
		if (kt_deadline_parse(value, strlen(value), &d)) {
			cli_error("--%s: '%s' is not a deadline (YYYY-MM-DD, DD.MM.YYYY, "
				  "'medio juni 2026', 'februar 2026', …)",
				  o->name, value);
			return EXIT_INPUT;
		}
		int rc = cli_payload_set_text(payload, "deadline", d.date);
		if (!rc && strcmp(value, d.date) != 0)
			rc = cli_payload_set_text(payload, "deadline_text", value);
		return rc ? rc
			  : cli_payload_set_text(payload, "deadline_precision",
						 kt_deadline_precision_name(d.precision));
	}
	case OPT_FLAG:
		json_object_set_new(payload, o->field, json_true());
		return EXIT_OK;
	case OPT_NUMBER: {
		char *end;
		errno = 0;
		double v = strtod(value, &end);
		if (errno || end == value || *end) {
			cli_error("--%s: '%s' is not a number", o->name, value);
			return EXIT_INPUT;
		}
		json_object_set_new(payload, o->field, json_real(v));
		return EXIT_OK;
	}
	case OPT_TEXTS: {
		json_t *list = json_object_get(payload, o->field);
		if (!list) {
			list = json_array();
			json_object_set_new(payload, o->field, list);
		}
		json_t *s = json_string(value);
		if (!s) {
			cli_error("--%s: not valid UTF-8 text", o->name);
			return EXIT_INPUT;
		}
		json_array_append_new(list, s);
		return EXIT_OK;
	}
	case OPT_JSON: {
		json_t *v;
		int rc = cli_parse_json_object(o->name, value, &v);
		if (!rc)
			json_object_set_new(payload, o->field, v);
		return rc;
	}
	}
	return EXIT_USAGE;
}

struct common_args {
	const char *db, *actor, *id;
	enum cli_format format;
};

/* Parse argv into the payload and the common options. -1: --help shown. */
static int parse_sub(const struct subcommand *sub, int argc, char **argv, json_t *payload,
		     struct common_args *a)
{
	enum { MAX_OPTS = 16 };
	struct option opts[MAX_OPTS + 8];
	size_t n = 0;
	for (const struct sub_option *o = sub->options; o->name; o++, n++)
		opts[n] =
		    (struct option){ o->name, o->kind == OPT_FLAG ? no_argument : required_argument,
				     NULL, (int)(256 + n) };
	opts[n++] = (struct option){ "db", required_argument, NULL, 'D' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n++] = (struct option){ "actor", required_argument, NULL, 'a' };
	opts[n++] = (struct option){ "format", required_argument, NULL, 'f' };
	opts[n++] = (struct option){ "date", required_argument, NULL, 'd' };
	opts[n++] = (struct option){ "effective", required_argument, NULL, 'd' };
	opts[n++] = (struct option){ "date-text", required_argument, NULL, 'T' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	int c, rc;
	while ((c = cli_getopt(argc, argv, opts, NULL, &a->db)) != -1) {
		switch (c) {
		case 'h':
			print_sub_usage(sub);
			return -1;
		case 'a':
			a->actor = optarg;
			break;
		case 'f':
			if (cli_parse_format(optarg, 0, &a->format))
				return EXIT_INPUT;
			break;
		case 'd':
			if (is_revision(sub)) {
				cli_error("--date: a correction takes effect when the event it "
					  "corrects did; it has no date of its own");
				return EXIT_USAGE;
			}
			if ((rc = set_partial_date(payload, "--date", "date", "date_precision",
						   optarg)))
				return rc;
			break;
		case 'T':
			if (is_revision(sub)) {
				cli_error("--date-text: a correction has no date of its own");
				return EXIT_USAGE;
			}
			if ((rc = cli_payload_set_text(payload, "date_text", optarg)))
				return rc;
			break;
		default:
			if (c >= 256 && (size_t)(c - 256) < n) {
				if ((rc = take_option(payload, &sub->options[c - 256], optarg)))
					return rc;
				break;
			}
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		cli_error("which inspection? (kontroll inspection %s ID …)", sub->name);
		return EXIT_USAGE;
	}
	a->id = argv[optind++];
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	for (const struct sub_option *o = sub->options; o->name; o++) {
		if (o->required && !json_object_get(payload, o->field) &&
		    !(o->kind == OPT_DEADLINE && json_object_get(payload, "deadline"))) {
			cli_error("--%s is required (see kontroll inspection %s --help)", o->name,
				  sub->name);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/* Encode the payload and check it against the catalogue. */
/* Open the store for writing, or say why not. */
static int open_for_writing(const char *db, kt_store **s)
{
	return cli_open_store(cli_db_path(db), 0, s);
}

static void print_written(const struct sub_context *c, const struct kt_event *ev,
			  enum cli_format format)
{
	char id[KT_ID_TEXT_LEN + 1], named[64];
	kt_id_format(ev->id, id);
	if (c->label[0])
		snprintf(named, sizeof named, "%s/%s", c->in->case_number, c->label);
	if (format == FORMAT_JSON) {
		json_t *o = json_pack("{s:s, s:s, s:s?, s:I, s:I}", "id", id, "case_number",
				      c->in->case_number, "label", c->label[0] ? c->label : NULL,
				      "position", (json_int_t)ev->position, "version",
				      (json_int_t)ev->version);
		if (o)
			cli_print_json(o);
		json_decref(o);
		return;
	}
	puts(c->label[0] ? named : id);
}

static int append_event(struct sub_context *c, const struct common_args *a)
{
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	int rc = cli_encode_payload(c->type, c->payload, &data);
	if (rc)
		goto out;
	struct kt_event ev;
	cli_new_event(&ev, c->type, cli_actor(a->actor), &data, c->effective);
	struct kt_append_result res;
	int err = kt_store_append(c->store, c->in->stream, c->in->version, &ev, 1, &res);
	if (err) {
		rc = cli_append_failed(err, c->in->case_number, &res, c->in->version);
	} else {
		print_written(c, &ev, a->format);
	}
out:
	kt_buf_free(&data);
	return rc;
}

static int run_sub(const struct subcommand *sub, int argc, char **argv)
{
	struct common_args a = { NULL, NULL, NULL, FORMAT_TABLE };
	struct sub_context c;
	struct kt_inspections model;
	memset(&c, 0, sizeof c);
	c.sub = sub;
	c.type = sub->type;
	c.payload = json_object();
	c.model = &model;
	kt_inspections_init(&model);
	if (!c.payload) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	int rc = parse_sub(sub, argc, argv, c.payload, &a);
	if (rc) {
		json_decref(c.payload);
		return rc < 0 ? EXIT_OK : rc;
	}
	if (!is_revision(sub) && !json_object_get(c.payload, "date")) {
		char day[KT_TIME_TEXT_MAX];
		today(day);
		cli_payload_set_text(c.payload, "date", day);
	}
	if (!is_revision(sub))
		kt_data_parse_date(cli_payload_text(c.payload, "date"), 10, &c.effective);

	struct cli_moment now = CLI_MOMENT_NOW;
	if ((rc = open_for_writing(a.db, &c.store)))
		goto out_payload;
	if ((rc = cli_load_inspections(c.store, &now, &model)))
		goto out_store;
	if ((rc = cli_find_inspection(&model, a.id, &c.in)))
		goto out_model;
	if ((rc = sub->prepare(&c)))
		goto out_model;
	rc = append_event(&c, &a);
out_model:
	kt_inspections_free(&model);
out_store:
	kt_store_close(c.store);
out_payload:
	json_decref(c.payload);
	return rc;
}

/* ---- open: a new inspection and its case number ------------------------- */

static const char open_usage[] =
    "usage: kontroll inspection open --authority A --unit U --law L --theme T\n"
    "                                --date D[..D2] [--kind K] [options]\n"
    "\n"
    "Register a supervisory inspection (tilsyn) and print its case number\n"
    "(T-YEAR-NNN, numbered within the year of its first day).\n"
    "\n"
    "  --authority A    Arbeidstilsynet, Statsforvalteren, Arkivverket, … (free text)\n"
    "  --unit U         the unit inspected\n"
    "  --law L          the law it is under, e.g. Arbeidsmiljøloven\n"
    "  --theme T        the theme\n"
    "  --date D[..D2]   its day, or first and last day (2025-01-01..2025-12-31);\n"
    "                   YYYY or YYYY-MM when only the year or month is known\n"
    "  --kind K         stedlig tilsyn, systemrevisjon, egenkontroll (egentilsyn),\n"
    "                   hendelsesbasert, landsomfattende, dokumenttilsyn,\n"
    "                   forvaltningskontroll; other wording is kept as written\n"
    "  --text T         description;   --trigger T   what prompted it\n"
    "  --programme P    the national programme it belongs to\n"
    "  --actor NAME     who records it;   --format json;   --db PATH\n";

/* --date: D, D..D2, YYYY or YYYY-MM into date_from, date_to, date_precision. */
static int take_open_date(json_t *payload, const char *value)
{
	char from[16] = "", to[16] = "", day_to[11];
	const char *to_precision, *dots = strstr(value, "..");
	size_t n = dots ? (size_t)(dots - value) : strlen(value);
	if (n >= sizeof from || (dots && strlen(dots + 2) >= sizeof to))
		goto bad;
	memcpy(from, value, n);
	if (dots)
		strcpy(to, dots + 2);
	if (dots &&
	    (parse_partial_date(to, day_to, &to_precision) || strcmp(to_precision, "day") != 0))
		goto bad;
	int rc = set_partial_date(payload, "--date", "date_from", "date_precision", from);
	if (!rc && dots)
		rc = cli_payload_set_text(payload, "date_to", day_to);
	return rc;
bad:
	cli_error("--date: '%s' is not a date, a range D..D2, a year or a month", value);
	return EXIT_INPUT;
}

static int parse_open(int argc, char **argv, json_t *payload, struct common_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "authority", required_argument, NULL, 'A' },
		{ "unit", required_argument, NULL, 'u' },
		{ "law", required_argument, NULL, 'l' },
		{ "theme", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' },
		{ "effective", required_argument, NULL, 'd' },
		{ "kind", required_argument, NULL, 'k' },
		{ "text", required_argument, NULL, 'x' },
		{ "trigger", required_argument, NULL, 'g' },
		{ "programme", required_argument, NULL, 'p' },
		{ "date-text", required_argument, NULL, 'T' },
		{ "report-year", required_argument, NULL, 'y' },
		{ "actor", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ 0, 0, 0, 0 },
	};
	static const char *const fields[128] = {
		['A'] = "authority", ['u'] = "unit",	['l'] = "law",	     ['t'] = "theme",
		['x'] = "text",	     ['g'] = "trigger", ['p'] = "programme", ['T'] = "date_text",
	};
	int c, rc = EXIT_OK;
	while (!rc && (c = cli_getopt(argc, argv, opts, open_usage, &a->db)) != -1) {
		switch (c) {
		case 'h':
			return -1;
		case 'a':
			a->actor = optarg;
			break;
		case 'f':
			rc = cli_parse_format(optarg, 0, &a->format) ? EXIT_INPUT : EXIT_OK;
			break;
		case 'd':
			rc = take_open_date(payload, optarg);
			break;
		case 'y': {
			uint64_t year;
			if (cli_parse_u64(optarg, &year) || year < 1900 || year > 9999) {
				cli_error("--report-year: '%s' is not a year", optarg);
				rc = EXIT_INPUT;
				break;
			}
			json_object_set_new(payload, "report_year", json_integer((json_int_t)year));
			break;
		}
		case 'k': {
			const char *kind = cli_inspection_kind(optarg);
			rc = cli_payload_set_text(payload, "kind", kind ? kind : "other");
			if (!rc && (!kind || strcmp(kind, optarg) != 0))
				rc = cli_payload_set_text(payload, "kind_text", optarg);
			break;
		}
		default:
			if (c > 0 && c < 128 && fields[c]) {
				rc = cli_payload_set_text(payload, fields[c], optarg);
				break;
			}
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (rc || cli_has_operands(argc, argv))
		return rc ? rc : EXIT_USAGE;
	static const char *const required[][2] = { { "authority", "--authority" },
						   { "unit", "--unit" },
						   { "law", "--law" },
						   { "theme", "--theme" },
						   { "date_from", "--date" } };
	for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
		if (!json_object_get(payload, required[k][0])) {
			cli_error("%s is required (see kontroll inspection open --help)",
				  required[k][1]);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

static int cmd_open(int argc, char **argv)
{
	struct common_args a = { NULL, NULL, NULL, FORMAT_TABLE };
	struct kt_inspections model;
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	kt_store *s = NULL;
	json_t *payload = json_object();
	kt_inspections_init(&model);
	int rc = payload ? parse_open(argc, argv, payload, &a) : EXIT_FAILURE_STORE;
	if (rc)
		goto out;
	int64_t from;
	kt_data_parse_date(cli_payload_text(payload, "date_from"), 10, &from);
	char day[KT_TIME_TEXT_MAX];
	kt_time_format_date(from, day);
	int year = atoi(day);
	/* A placeholder number checks the payload before the store is opened. */
	cli_payload_set_text(payload, "case_number", "T-0000-000");
	if ((rc = cli_encode_payload(KT_EV_INSPECTION_OPENED, payload, &data)))
		goto out;
	struct cli_moment now = CLI_MOMENT_NOW;
	if ((rc = open_for_writing(a.db, &s)) || (rc = cli_load_inspections(s, &now, &model)))
		goto out;
	const char *actor = cli_actor(a.actor);
	unsigned long number = cli_last_case_number(&model, year);
	/* Two advisers opening at once race for a number; the stream's
	 * "must not exist" check decides, and the loser takes the next. */
	for (int attempt = 0; attempt < 100; attempt++) {
		char case_number[32], stream[64];
		snprintf(case_number, sizeof case_number, "T-%d-%03lu", year, ++number);
		snprintf(stream, sizeof stream, KT_INSPECTION_STREAM_PREFIX "%s", case_number);
		cli_payload_set_text(payload, "case_number", case_number);
		kt_buf_reset(&data);
		if ((rc = cli_encode_payload(KT_EV_INSPECTION_OPENED, payload, &data)))
			goto out;
		struct kt_event ev;
		cli_new_event(&ev, KT_EV_INSPECTION_OPENED, actor, &data, from);
		int err = kt_store_append(s, stream, KT_VERSION_NONE, &ev, 1, NULL);
		if (err == KT_EVERSION)
			continue;
		if (err) {
			rc = cli_append_failed(err, case_number, NULL, 0);
			goto out;
		}
		char id[KT_ID_TEXT_LEN + 1];
		kt_id_format(ev.id, id);
		if (a.format == FORMAT_JSON) {
			json_t *o =
			    json_pack("{s:s, s:s, s:s, s:I}", "id", id, "case_number", case_number,
				      "stream", stream, "position", (json_int_t)ev.position);
			if (o)
				cli_print_json(o);
			json_decref(o);
		} else {
			puts(case_number);
		}
		goto out;
	}
	cli_error("no free case number for %d after 100 tries; nothing written", year);
	rc = EXIT_CONFLICT;
out:
	kt_buf_free(&data);
	kt_inspections_free(&model);
	kt_store_close(s);
	json_decref(payload);
	return rc < 0 ? EXIT_OK : rc;
}

/* ---- the dispatcher ----------------------------------------------------- */

static const char inspection_usage_head[] =
    "usage: kontroll inspection SUBCOMMAND [ID] [options]\n"
    "\n"
    "Record and show supervisory inspections (tilsyn). Every subcommand that\n"
    "writes takes --actor NAME, --date D (the day it happened; --effective is the\n"
    "same), --format json and --db PATH, and refuses to write when the case\n"
    "changed since it was read (exit 4).\n"
    "\n"
    "  open         register an inspection; prints its case number\n"
    "  show         the whole case with its timeline\n";

static void print_inspection_usage(void)
{
	fputs(inspection_usage_head, stdout);
	for (const struct subcommand *sub = subcommands; sub->name; sub++)
		printf("  %-12s %s\n", sub->name, sub->summary);
	puts("\n`kontroll inspection SUBCOMMAND --help` lists its options.");
}

/* The subcommand name with its arguments (argv[0] is name); -1 when there
 * is none of that name. */
static int run_subcommand(const char *name, int argc, char **argv)
{
	if (strcmp(name, "open") == 0)
		return cmd_open(argc, argv);
	if (strcmp(name, "show") == 0)
		return cli_inspection_show(argc, argv);
	for (const struct subcommand *sub = subcommands; sub->name; sub++)
		if (strcmp(sub->name, name) == 0)
			return run_sub(sub, argc, argv);
	return -1;
}

static int cmd_inspection(int argc, char **argv)
{
	return cli_run_subcommand(argc, argv, print_inspection_usage, run_subcommand);
}

const struct cli_command cli_inspection_commands[] = {
	{ "inspection", "record inspections (tilsyn): open, findings, orders, closure, …",
	  inspection_usage_head, cmd_inspection },
	{ NULL, NULL, NULL, NULL },
};
