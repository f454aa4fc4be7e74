/*
 * gen_inspections.c — a deterministic, realistic inspection log for the
 * inspection-query benchmark (scripts/bench.sh, docs/performance.md).
 *
 *   gen_inspections DB EVENTS INSPECTIONS SEED
 *
 * Creates the store DB (it must not exist) and writes exactly EVENTS events
 * over exactly INSPECTIONS inspections, each one a valid payload of the
 * catalogue (events/CATALOGUE.md; every payload passes kt_schema_check before
 * it is appended, and the generator stops on the first that does not).
 * The same arguments give the same log: the same events in the same order with
 * the same ids, recorded times and payloads (only the store id differs).
 *
 * The shape of the log. Each inspection is a row of the 2025 annual report's
 * table (../shared/seed/000_03a7f001322b5f47.txt, l. 2644–2662: authority,
 * unit, law, theme), visited on a day drawn uniformly from March 2016 to
 * September 2026, and goes through the regulator's procedure as the catalogue
 * describes it: notice (varsel) some weeks before the visit, the visit or
 * document review, a preliminary report with two weeks to comment
 * (comment_deadline = date + 14 d), the municipality's comments, the final
 * report, 0–4 findings (or finding.none), 0–3 orders (pålegg tied to
 * findings, or deadlines to answer) whose deadlines are worded as
 * authorities word them ("innen medio juni 2026", "februar 2026",
 * "15.06.2026"), the municipality's action plans and documentation, deadline
 * extensions, appeals and their decisions, a few coercive fines, most orders
 * fulfilled, some waived, and most inspections closed once every order is
 * settled. Statens vegvesen's inspections are mostly transferred to P-Norge AS
 * (as in 2025); self-inspections run a whole year; the teacher-ratio row is
 * opened on a year's figures. A few facts are corrected or retracted days to
 * weeks later. Steps dated after the simulated today (2026-11-15) have not
 * happened: those inspections are still running.
 *
 * Exact counts. The natural lifecycles give some number of events T. When T is
 * below EVENTS, the difference is made up of the municipality's status reports
 * on open orders (response.registered, kind progress_plan or information),
 * dated while the order is open, or letters to the inspection as a whole;
 * when T is above, responses are dropped, then the latest steps of random
 * inspections (which are then still running). Both are printed.
 *
 * Order in the log. A simulated calendar: every step is recorded on its
 * date plus a few days' lag at an office hour (recorded time never goes
 * back within an inspection), and the steps of all inspections are appended
 * in the order of those recorded times, so the inspections interleave as real
 * work does. The store's clock (kt_store_set_clock) returns the recorded time
 * of the step being appended, so --known-at is meaningful. Effective time is
 * the step's date at 00:00 UTC (date_from for inspection.opened; a
 * correction or retraction takes its target's), as the command layer sets it.
 * Every append carries one event with the stream's exact expected version, as
 * the commands do; ids are UUIDv7 made from the recorded time and a counter,
 * so they sort in log order. The store is not durable while it is written
 * (kt_store_set_durable(s, 0)) and closed normally at the end.
 *
 * Output, on stdout: what was written, and one machine-readable line
 *   RESULT gen events=… inspections=… seconds=… events_per_s=… file_bytes=…
 *          middle_date=YYYY-MM-DD …
 * middle_date is the recorded date of the event in the middle of the log,
 * the --as-of date of the benchmark. Exit 0, 1 on a store or payload error,
 * 2 on bad arguments.
 */
#define _POSIX_C_SOURCE 200809L
#include "kontroll/buf.h"
#include "kontroll/deadline.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/id.h"
#include "kontroll/inspection_events.h"
#include "kontroll/inspections.h"
#include "kontroll/ktime.h"
#include "kontroll/schema.h"
#include "kontroll/store.h"

#include <errno.h>
#include <inttypes.h>
#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- the reference data: the 2025 table and what each law looks like ---- */

enum law {
	LAW_AML,
	LAW_OPPL,
	LAW_ARKIV,
	LAW_OKONOMI,
	LAW_LUFT,
	LAW_SOSIAL,
	LAW_HOL,
	LAW_PARK,
	LAW_FORURENS,
	LAW_BV,
	LAWS
};

struct law_text {
	const char *refs[4];	 /* legal_ref of findings */
	const char *findings[5]; /* finding texts */
	const char *basis;	 /* legal_basis of orders */
	const char *appeal_body; /* decided_by */
};

static const struct law_text laws[LAWS] = {
	[LAW_AML] = { { "arbeidsmiljøloven § 3-1", "arbeidsmiljøloven § 4-1",
			"arbeidsmiljøloven § 4-3",
			"forskrift om organisering, ledelse og medvirkning § 7-2" },
		      { "Arbeidsgiver har ikke kartlagt og risikovurdert belastninger som kan gi "
			"muskel- og skjelettplager.",
			"Risikovurderingen omfatter ikke psykososiale og organisatoriske "
			"arbeidsmiljøfaktorer.",
			"Det mangler rutiner for å forebygge og håndtere vold og trusler.",
			"Bedriftshelsetjenesten er ikke brukt i arbeidet med å kartlegge og "
			"forebygge "
			"helseplager.",
			"Arbeidsulykken er ikke gransket, og tiltak for å hindre gjentakelse er "
			"ikke "
			"iverksatt." },
		      "arbeidsmiljøloven § 18-6",
		      "Direktoratet for arbeidstilsynet" },
	[LAW_OPPL] = { { "opplæringsloven § 14-1", "opplæringsloven § 8-1",
			 "opplæringsloven (lærernormen)", "opplæringsloven § 11-6" },
		       { "Skolene oppfyller ikke normen for lærertetthet på alle trinn.",
			 "Vedtak om individuelt tilrettelagt opplæring fattes ikke innen rimelig "
			 "tid.",
			 "Sakkyndig vurdering mangler i flere saker.",
			 "Opplæringen er ikke gitt i samsvar med vedtaket.",
			 "Foreldrene er ikke involvert i utarbeidingen av opplæringsplanen." },
		       "kommuneloven § 30-4",
		       "Utdanningsdirektoratet" },
	[LAW_ARKIV] = { { "arkivloven § 6", "arkivforskriften § 4", "arkivforskriften § 9",
			  "arkivloven § 7" },
			{ "Om lag 46 000 papirdokumenter og 10 000 elektroniske dokumenter står "
			  "med "
			  "feil status.",
			  "Arkivplanen er ikke oppdatert.",
			  "Bevaring og kassasjon er ikke gjennomført etter plan.",
			  "Det mangler oversikt over fagsystemer med arkivverdige opplysninger.",
			  "Tilgangsstyringen i sak- og arkivsystemet er ikke dokumentert." },
			"arkivloven § 7",
			"Kulturdepartementet" },
	[LAW_OKONOMI] = { { "økonomireglementet § 14", "forskrift om produksjonstilskudd § 12",
			    "økonomireglementet § 15", "bestemmelsene om økonomistyring 2.4" },
			  { "Kontrollen av søknader om produksjonstilskudd er ikke dokumentert.",
			    "Kommunen har ikke stedlig kontroll av et tilstrekkelig utvalg "
			    "søknader.",
			    "Vedtak om avkorting mangler begrunnelse.",
			    "Risikovurderingen av tilskuddsforvaltningen er ikke oppdatert.",
			    "Habilitet er ikke vurdert i saksbehandlingen." },
			  "økonomireglementet § 15",
			  "Landbruksdirektoratet" },
	[LAW_LUFT] = { { "forskrift om luftfartøy som ikke har fører om bord mv. § 5",
			 "luftfartsloven § 15-1", "luftfartsloven § 13a-1",
			 "forskrift om luftfartøy som ikke har fører om bord mv. § 12" },
		       { "Kommunens droneoperasjoner er ikke registrert hos Luftfartstilsynet.",
			 "Operatørene mangler dokumentert kompetanse.",
			 "Driftshåndboken for droneoperasjoner er ikke oppdatert.",
			 "Risikovurdering før flyging er ikke dokumentert.",
			 "Hendelser er ikke rapportert." },
		       "luftfartsloven § 13a-1",
		       "Samferdselsdepartementet" },
	[LAW_SOSIAL] = { { "sosialtjenesteloven § 17", "sosialtjenesteloven § 4",
			   "sosialtjenesteloven § 41", "sosialtjenesteloven § 5" },
			 { "Kommunen sikrer ikke at alle som trenger det får tilbud om økonomisk "
			   "rådgivning.",
			   "Kartleggingen av søkernes behov er ikke dokumentert.",
			   "Tjenesten er ikke tilgjengelig innen rimelig tid.",
			   "Veiledningen om retten til økonomisk rådgivning er mangelfull.",
			   "Ledelsen følger ikke opp at rutinene brukes." },
			 "sosialtjenesteloven § 10",
			 "Statens helsetilsyn" },
	[LAW_HOL] = { { "helse- og omsorgstjenesteloven § 4-1",
			"helse- og omsorgstjenesteloven § 3-1",
			"forskrift om ledelse og kvalitetsforbedring § 7",
			"pasient- og brukerrettighetsloven § 3-1" },
		      { "Kommunen mangler et system for å sikre forsvarlige tjenester.",
			"Journalføringen er mangelfull.",
			"Tjenestemottakernes behov kartlegges ikke systematisk.",
			"Pårørendes bekymringer følges ikke opp.",
			"Bruk av tvang er ikke vurdert og dokumentert." },
		      "helsetilsynsloven § 5",
		      "Statens helsetilsyn" },
	[LAW_PARK] = { { "parkeringsforskriften § 11", "parkeringsforskriften § 21",
			 "parkeringsforskriften § 33", "parkeringsforskriften § 8" },
		       { "Skiltingen av vilkårsparkering er mangelfull.",
			 "Gebyrene er ikke kunngjort.",
			 "Kontrollørenes opplæring er ikke dokumentert.",
			 "Klagebehandlingen tar for lang tid.",
			 "Betalingsløsningen er ikke universelt utformet." },
		       "parkeringsforskriften § 65",
		       "Samferdselsdepartementet" },
	[LAW_FORURENS] = { { "forurensningsforskriften kapittel 10 a", "forurensningsloven § 30",
			     "forurensningsloven § 34", "avfallsforskriften § 15-3" },
			   { "Kommunen har ikke kartlagt avfallshåndteringen i egen virksomhet.",
			     "Avfallsgebyret beregnes ikke etter selvkostprinsippet.",
			     "Det mangler rutiner for utsortering av farlig avfall.",
			     "Kommunen fører ikke tilsyn med forsøpling.",
			     "Avfallsplanen er ikke oppdatert." },
			   "forurensningsloven § 51",
			   "Miljødirektoratet" },
	[LAW_BV] = { { "barnevernsloven § 2-2", "barnevernsloven § 2-1", "barnevernsloven § 15-8",
		       "barnevernsloven § 1-4" },
		     { "Barnets medvirkning og dokumentasjon av dette er mangelfull.",
		       "Ventetiden før undersøkelsen starter opp er for lang.",
		       "Undersøkelsene avsluttes ikke innen fristen.",
		       "Vurderingene i undersøkelsesrapportene er ikke dokumentert.",
		       "Samarbeidet med andre tjenester er ikke avklart." },
		     "barnevernsloven § 17-3",
		     "Statens helsetilsyn" },
};

/* How the procedure runs for a row of the table. */
enum shape {
	SHAPE_VISIT,	/* on-site inspection: notice, visit, report, findings, orders */
	SHAPE_DOCUMENT, /* document review or audit: as a visit, more often by letter */
	SHAPE_SELF,	/* self-inspection over a whole year (barnevern) */
	SHAPE_FIGURES,	/* opened on a year's figures (lærernormen) */
	SHAPE_TRANSFER, /* Statens vegvesen: mostly passed on to P-Norge AS */
};

struct row {
	const char *authority, *unit, *law, *theme;
	const char *kind; /* the catalogue's kind, or NULL when the table does not say */
	enum law law_id;
	enum shape shape;
	unsigned weight; /* how often it is drawn */
};

/* The table of "Oversikt over statlige tilsyn i 2025", in its order. */
static const struct row rows[] = {
	{ "Statsforvalteren", "Oppvekst", "Opplæringsloven", "Bemanningsnorm -lærer grunnskole",
	  NULL, LAW_OPPL, SHAPE_FIGURES, 3 },
	{ "Arbeidstilsynet", "Trondheim bydrift", "Arbeidsmiljøloven",
	  "Oppfølging av arbeidsulykker - stedlig tilsyn", "hendelsesbasert", LAW_AML, SHAPE_VISIT,
	  6 },
	{ "Statsforvalteren", "Oppvekst", "Opplæringsloven", "Individuelt tilrettelagt opplæring",
	  "dokumenttilsyn", LAW_OPPL, SHAPE_DOCUMENT, 6 },
	{ "Arkivverket", "Trondheim digital", "Arkivloven", "Tilsyn med arkivholdet", NULL,
	  LAW_ARKIV, SHAPE_DOCUMENT, 4 },
	{ "Statsforvalteren", "Klima- og miljøenheten", "Økonomireglementet",
	  "Forvaltningskontroll landbruk", "forvaltningskontroll", LAW_OKONOMI, SHAPE_DOCUMENT, 5 },
	{ "Arbeidstilsynet", "Barne- og familietjenesten", "Arbeidsmiljøloven",
	  "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn", "stedlig_tilsyn",
	  LAW_AML, SHAPE_VISIT, 8 },
	{ "Luftfartstilsynet", "Trondheim eiendom", "Luftfartsloven",
	  "Forskrift om ubemannede luftfartøyer", NULL, LAW_LUFT, SHAPE_DOCUMENT, 3 },
	{ "Statsforvalteren", "NAV Falkenberg", "Sosialtjenesteloven",
	  "Tilsyn etter sosialtjenesteloven - økonomisk rådgivning", "systemrevisjon", LAW_SOSIAL,
	  SHAPE_DOCUMENT, 5 },
	{ "Arbeidstilsynet", "Krisesenteret i Trondheim", "Arbeidsmiljøloven",
	  "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn", "stedlig_tilsyn",
	  LAW_AML, SHAPE_VISIT, 8 },
	{ "Arbeidstilsynet", "Klæbu helse- og velferdssenter", "Arbeidsmiljøloven",
	  "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn", "stedlig_tilsyn",
	  LAW_AML, SHAPE_VISIT, 8 },
	{ "Arbeidstilsynet", "Charlottenlund helse- og velferdssenter", "Arbeidsmiljøloven",
	  "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn", "stedlig_tilsyn",
	  LAW_AML, SHAPE_VISIT, 8 },
	{ "Statsforvalteren", "Lerkendal BoA", "Helse- og omsorgstjenesteloven", "Systemrevisjon",
	  "systemrevisjon", LAW_HOL, SHAPE_VISIT, 6 },
	{ "Arbeidstilsynet", "Lade bo- og aktivitetstilbud A", "Arbeidsmiljøloven",
	  "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn", "stedlig_tilsyn",
	  LAW_AML, SHAPE_VISIT, 7 },
	{ "Arbeidstilsynet", "Lade bo- og aktivitetstilbud b", "Arbeidsmiljøloven",
	  "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn", "stedlig_tilsyn",
	  LAW_AML, SHAPE_VISIT, 7 },
	{ "Statens vegvesen", "Trondheim parkering", "Parkeringsforskriften", "Vilkårsparkering",
	  NULL, LAW_PARK, SHAPE_TRANSFER, 3 },
	{ "Arbeidstilsynet", "Enhet for Rustjenester", "Arbeidsmiljøloven",
	  "Muskel- og skjelettplager - stedlig tilsyn", "stedlig_tilsyn", LAW_AML, SHAPE_VISIT, 7 },
	{ "Statsforvalteren", "Eierskap", "Forurensningsloven",
	  "Landsomfattende kontroll av avfallshandtering - kapittel 10 a - kommunens plikter",
	  "landsomfattende", LAW_FORURENS, SHAPE_DOCUMENT, 4 },
	{ "Statsforvalteren", "Barne- og familietjenesten", "Barnevernloven",
	  "Landsomfattende tilsyn 2024 - egenkontroll vedr. barneverntjenestens arbeid med "
	  "undersøkelser",
	  "egenkontroll", LAW_BV, SHAPE_SELF, 3 },
};
#define ROWS (sizeof rows / sizeof rows[0])

static const char *const months[12] = { "januar",    "februar", "mars",	    "april",
					"mai",	     "juni",	"juli",	    "august",
					"september", "oktober", "november", "desember" };

static const char *const actors[] = { "kari.nordmann", "ola.hansen",  "ingrid.berg",
				      "lars.johansen", "marit.olsen", "sindre.lie" };

/* ---- the plan: each inspection's steps before anything is written ------- */

enum step_type {
	ST_OPENED,
	ST_NOTIFIED,
	ST_CONDUCTED,
	ST_PRELIMINARY,
	ST_COMMENTS,
	ST_FINAL,
	ST_FINDING,
	ST_NONE,
	ST_ORDER,
	ST_RESPONSE,
	ST_EXTENDED,
	ST_APPEALED,
	ST_DECIDED,
	ST_ESCALATED,
	ST_FULFILLED,
	ST_WAIVED,
	ST_CLOSED,
	ST_TRANSFERRED,
	ST_CORRECTED,
	ST_RETRACTED,
	ST_TYPES
};

/* Event types, in the order above, which is also the order of steps taken on
 * the same day (a finding before the order that remedies it). */
static const char *const type_names[ST_TYPES] = {
	KT_EV_INSPECTION_OPENED,
	KT_EV_INSPECTION_NOTIFIED,
	KT_EV_INSPECTION_CONDUCTED,
	KT_EV_REPORT_PRELIMINARY,
	KT_EV_REPORT_COMMENTS_SENT,
	KT_EV_REPORT_FINAL,
	KT_EV_FINDING_RECORDED,
	KT_EV_FINDING_NONE,
	KT_EV_ORDER_ISSUED,
	KT_EV_RESPONSE_REGISTERED,
	KT_EV_ORDER_DEADLINE_EXTENDED,
	KT_EV_ORDER_APPEALED,
	KT_EV_ORDER_APPEAL_DECIDED,
	KT_EV_ORDER_ESCALATED,
	KT_EV_ORDER_FULFILLED,
	KT_EV_REQUIREMENT_WAIVED,
	KT_EV_INSPECTION_CLOSED,
	KT_EV_INSPECTION_TRANSFERRED,
	KT_EV_EVENT_CORRECTED,
	KT_EV_EVENT_RETRACTED,
};

/* How a deadline is worded. */
enum wording {
	W_NONE,	    /* deadline only, no wording */
	W_DAY_TEXT, /* "innen 15. juni 2026" */
	W_DAY_NUM,  /* "15.06.2026" */
	W_MEDIO,    /* "innen medio juni 2026": the 15th */
	W_MONTH,    /* "februar 2026": the last day */
	W_ULTIMO,   /* "utgangen av mars 2026": the last day */
	W_PRIMO,    /* "primo april 2026": the 10th */
};

enum response_kind {
	R_RESPONSE,
	R_ACTION_PLAN,
	R_PROGRESS_PLAN,
	R_DECLARATION,
	R_ACCOUNT,
	R_INFORMATION,
	R_RISK,
	R_EVALUATION,
	R_KINDS
};
static const char *const response_kinds[R_KINDS] = { "response",	"action_plan",
						     "progress_plan",	"declaration",
						     "account",		"information",
						     "risk_assessment", "evaluation" };

/* Step flags. */
#define F_TARGET 1u  /* a correction or retraction names it: never dropped */
#define F_EXTRA	 2u  /* a status report added to reach EVENTS */
#define F_MONTH	 4u  /* date known to the month (date is the 1st) */
#define F_YEAR	 8u  /* date known to the year (date is 1 January) */
#define F_FORCED 16u /* closed with orders open */
#define F_GONE	 32u /* dropped to reach EVENTS */

struct step {
	int64_t recorded; /* µs; set when the plan is final */
	int32_t day;	  /* the day it happens: orders the plan */
	int32_t date;	  /* the payload's date (≤ day: a month or year start) */
	int32_t day2;	  /* planned visit, comment deadline, date_to, deadline; 0: none */
	uint32_t seq;	  /* creation order within the inspection: ties, targets */
	uint32_t target;  /* corrections, retractions: seq of the step they revise */
	uint32_t text;	  /* picks the wording */
	uint8_t type;	  /* enum step_type */
	uint8_t label;	  /* own number (F<n>, P<n>), or the order answered */
	uint8_t ref;	  /* the finding an order remedies or a response answers */
	uint8_t sub;	  /* kind, mode, outcome, response kind */
	uint8_t wording;  /* enum wording of day2 */
	uint8_t flags;
	uint8_t id[16]; /* set when appended */
};

/* A span of days in which a status report may be dated. */
struct window {
	int32_t from, to;
	uint8_t order; /* 0: the inspection as a whole */
};

struct insp {
	struct step *steps;
	uint32_t n, cap, seqs;
	uint32_t next; /* steps appended so far = the stream's version */
	uint32_t row;
	int32_t date_from, date_to; /* date_to 0: a single day */
	uint32_t number;	    /* case number, given when opened */
	int year;
	struct window windows[4];
	uint8_t n_windows;
};

/* ---- small helpers ------------------------------------------------------ */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("gen_inspections: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

/* splitmix64: small, fast and good enough to vary a benchmark's data. */
struct rng {
	uint64_t s;
};

static uint64_t next64(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((next64(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static int32_t between(struct rng *r, int32_t lo, int32_t hi)
{
	return lo + (int32_t)below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability p/1000. */
static int chance(struct rng *r, unsigned p)
{
	return below(r, 1000) < p;
}

/* Days since 1970-01-01 → year, month (1–12), day (Howard Hinnant's). */
static void civil(int32_t days, int *y, int *m, int *d)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int32_t day_of(int y, int m, int d)
{
	return (int32_t)kt_time_days_from_civil(y, m, d);
}

static int month_days(int y, int m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : n[m - 1];
}

static void date_text(int32_t day, char out[11])
{
	int y, m, d;
	civil(day, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

static int year_of(int32_t day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	return y;
}

static int32_t month_start(int32_t day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	return day_of(y, m, 1);
}

/* The simulated calendar: visits from March 2016; today is 15 November 2026. */
static int32_t cal_start, cal_end;

/* ---- planning one inspection ------------------------------------------- */

static struct step *add(struct insp *in, enum step_type type, int32_t day, uint32_t text)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 16;
		in->steps = xrealloc(in->steps, in->cap * sizeof *in->steps);
	}
	struct step *s = &in->steps[in->n++];
	memset(s, 0, sizeof *s);
	s->type = (uint8_t)type;
	s->day = s->date = day;
	s->seq = in->seqs++;
	s->text = text;
	return s;
}

/* A deadline some months after from, worded as w: a day of that month (the
 * 15th for medio, the 10th for primo, the last for a month), always later
 * than from. */
static int32_t deadline_after(struct rng *r, int32_t from, int months_ahead, enum wording w)
{
	int y, m, d;
	civil(from, &y, &m, &d);
	m += months_ahead;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	switch (w) {
	case W_MEDIO:
		return day_of(y, m, 15);
	case W_PRIMO:
		return day_of(y, m, 10);
	case W_MONTH:
	case W_ULTIMO:
		return day_of(y, m, month_days(y, m));
	default:
		return day_of(y, m, between(r, 1, month_days(y, m)));
	}
}

static enum wording pick_wording(struct rng *r)
{
	static const uint8_t table[20] = { W_NONE,     W_NONE,	   W_NONE,     W_NONE,
					   W_DAY_TEXT, W_DAY_TEXT, W_DAY_TEXT, W_DAY_TEXT,
					   W_DAY_NUM,  W_DAY_NUM,  W_DAY_NUM,  W_DAY_NUM,
					   W_MEDIO,    W_MEDIO,	   W_MEDIO,    W_MONTH,
					   W_MONTH,    W_ULTIMO,   W_ULTIMO,   W_PRIMO };
	return (enum wording)table[below(r, 20)];
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/* Status reports every four to seven weeks while an order runs: the
 * municipality's report on its action plan, up to the day until. */
static void status_reports(struct insp *in, struct rng *r, uint8_t no, int32_t *cur, int32_t until)
{
	for (int32_t day = *cur + between(r, 25, 50); day <= until; day += between(r, 25, 50)) {
		struct step *s = add(in, ST_RESPONSE, day, (uint32_t)next64(r));
		s->label = no;
		s->sub = chance(r, 850) ? R_PROGRESS_PLAN : R_INFORMATION;
		*cur = day;
	}
}

/*
 * One order from its issue to its settlement: the municipality's action plan
 * and documentation, an appeal and its decision or an extension, now and
 * then a coercive fine, and in the end fulfilled, waived, or still open when
 * its deadline is less than a year before today.
 * Returns the day it was settled, or INT32_MAX when it stays open.
 */
static int32_t plan_order(struct insp *in, struct rng *r, uint8_t no, uint8_t finding, uint8_t kind,
			  int32_t issued)
{
	struct step *o = add(in, ST_ORDER, issued, (uint32_t)next64(r));
	enum wording w = W_NONE;
	int32_t deadline = 0;
	o->label = no;
	o->ref = finding;
	o->sub = kind;
	if (chance(r, 900)) {
		w = pick_wording(r);
		deadline = deadline_after(r, issued, between(r, 1, 6), w);
		o->day2 = deadline;
		o->wording = (uint8_t)w;
	}
	int32_t due = deadline ? deadline : issued + between(r, 60, 180);
	int32_t cur = issued;
	struct step *s;

	if (chance(r, 60)) {
		int32_t appealed = cur + between(r, 5, 20);
		s = add(in, ST_APPEALED, appealed, (uint32_t)next64(r));
		s->label = no;
		int32_t decided = appealed + between(r, 30, 120);
		s = add(in, ST_DECIDED, decided, (uint32_t)next64(r));
		s->label = no;
		unsigned outcome = below(r, 100);
		if (outcome < 15) {
			s->sub = 2; /* annulled */
			return decided;
		}
		if (outcome < 45) {
			s->sub = 1; /* changed: a new deadline */
			enum wording w2 = pick_wording(r);
			if (w2 == W_NONE)
				w2 = W_MONTH;
			s->day2 = deadline_after(r, max32(decided, due), between(r, 1, 3), w2);
			s->wording = (uint8_t)w2;
			due = s->day2;
		} else {
			due = max32(due, decided + 30); /* upheld, after a suspended deadline */
		}
		cur = decided;
	}
	if (chance(r, 800)) {
		int32_t day = cur + between(r, 7, 30);
		s = add(in, ST_RESPONSE, day, (uint32_t)next64(r));
		s->label = no;
		s->sub = chance(r, 800) ? R_ACTION_PLAN : R_RESPONSE;
		cur = day;
		due = max32(due, cur + 7);
	}
	status_reports(in, r, no, &cur, due - 20);
	if (cur == issued || !chance(r, 120)) {
		/* no extension: none is asked for before anything was answered */
	} else if (deadline) {
		int32_t day = max32(cur + 1, due - between(r, 1, 20));
		enum wording w2 = pick_wording(r);
		if (w2 == W_NONE)
			w2 = W_DAY_TEXT;
		s = add(in, ST_EXTENDED, day, (uint32_t)next64(r));
		s->label = no;
		s->day2 = deadline_after(r, max32(day, due), between(r, 1, 3), w2);
		s->wording = (uint8_t)w2;
		due = s->day2;
		cur = day;
		status_reports(in, r, no, &cur, due - 20);
	}
	if (chance(r, 700)) {
		int32_t day = max32(cur, due - between(r, 0, 20));
		s = add(in, ST_RESPONSE, day, (uint32_t)next64(r));
		s->label = no;
		s->sub = chance(r, 750) ? R_RESPONSE : R_DECLARATION;
		cur = day;
	}
	if (chance(r, 30)) {
		int32_t day = max32(cur, due) + between(r, 7, 30);
		s = add(in, ST_ESCALATED, day, (uint32_t)next64(r));
		s->label = no;
		cur = day;
	}
	unsigned settle = below(r, 1000);
	if (settle < 880) {
		int32_t day = max32(cur, due - 10 + between(r, 0, 55));
		s = add(in, ST_FULFILLED, day, (uint32_t)next64(r));
		s->label = no;
		return day;
	}
	if (settle < 920) {
		int32_t day = cur + between(r, 10, 60);
		s = add(in, ST_WAIVED, day, (uint32_t)next64(r));
		s->label = no;
		return day;
	}
	if (due > cal_end - 365)
		return INT32_MAX; /* still open: recent orders drag on */
	/* Years-old orders are not left open: fulfilled late, after a fine. */
	int32_t day = max32(cur, due) + between(r, 30, 60);
	s = add(in, ST_ESCALATED, day, (uint32_t)next64(r));
	s->label = no;
	day += between(r, 30, 180);
	s = add(in, ST_FULFILLED, day, (uint32_t)next64(r));
	s->label = no;
	return day;
}

static uint8_t finding_kind(struct rng *r, const struct row *row)
{
	unsigned k = below(r, 100);
	if (row->law_id == LAW_AML)
		return k < 85 ? 0 : 1; /* Arbeidstilsynet: lovbrudd behind each pålegg */
	if (row->shape == SHAPE_SELF)
		return 3; /* forbedringspunkt */
	return k < 45 ? 0 : k < 80 ? 1 : k < 92 ? 2 : 3;
}

/* The regulator's procedure from the notice to the closing letter. */
static void plan_procedure(struct insp *in, struct rng *r, int32_t visit)
{
	const struct row *row = &rows[in->row];
	int self = row->shape == SHAPE_SELF, figures = row->shape == SHAPE_FIGURES;
	int32_t opened_day = visit;
	struct step *s;

	if (self) {
		int y = year_of(visit);
		in->date_from = day_of(y, 1, 1);
		in->date_to = day_of(y, 12, 31);
		opened_day = in->date_from + between(r, 0, 20);
	} else if (figures) {
		in->date_from = day_of(year_of(visit), 1, 1);
	} else {
		in->date_from = visit;
	}
	int notified = !self && !figures && row->kind &&
		       strcmp(row->kind, "hendelsesbasert") != 0 && chance(r, 600);
	if (notified)
		opened_day = visit - between(r, 14, 42);
	s = add(in, ST_OPENED, opened_day, (uint32_t)next64(r));
	s->date = in->date_from;
	if (notified) {
		s = add(in, ST_NOTIFIED, opened_day, (uint32_t)next64(r));
		s->day2 = visit;
		if (chance(r, 700)) { /* the documents the notice asked for */
			s = add(in, ST_RESPONSE, between(r, opened_day, visit),
				(uint32_t)next64(r));
			s->sub = R_INFORMATION;
		}
	}
	int32_t cur = max32(opened_day, visit);
	if (self) {
		s = add(in, ST_CONDUCTED, opened_day, (uint32_t)next64(r));
		s->date = in->date_from;
		s->day2 = in->date_to;
		s->sub = 3;
		cur = in->date_to;
	} else if (!figures && chance(r, 920)) {
		s = add(in, ST_CONDUCTED, visit, (uint32_t)next64(r));
		s->sub =
		    row->shape == SHAPE_VISIT ? (chance(r, 900) ? 0 : 2) : (chance(r, 800) ? 1 : 2);
	}

	static const unsigned finding_odds[5] = { 200, 200, 220, 200, 180 };
	unsigned pick = below(r, 1000), nfind = 0;
	while (nfind < 4 && pick >= finding_odds[nfind])
		pick -= finding_odds[nfind++];
	if (figures && !nfind)
		nfind = 1;

	if (!self && !figures && chance(r, nfind ? 650 : 150)) {
		int32_t day = cur + between(r, 14, 60);
		s = add(in, ST_PRELIMINARY, day, (uint32_t)next64(r));
		s->day2 = day + KT_INSPECTION_COMMENT_DAYS;
		if (chance(r, 550)) {
			s = add(in, ST_COMMENTS, day + between(r, 3, KT_INSPECTION_COMMENT_DAYS),
				(uint32_t)next64(r));
		}
		cur = day + KT_INSPECTION_COMMENT_DAYS;
	}
	int32_t report = self ? cur : cur + between(r, 5, 45);
	if (figures)
		report = opened_day;
	if (!figures && chance(r, 880))
		add(in, ST_FINAL, report, (uint32_t)next64(r));
	cur = report;

	int32_t last = cur;
	int settled = 1;
	if (!nfind) {
		add(in, ST_NONE, report, (uint32_t)next64(r));
	} else {
		uint8_t kinds[4];
		for (unsigned k = 0; k < nfind; k++) {
			s = add(in, ST_FINDING, report, (uint32_t)next64(r));
			s->label = (uint8_t)(k + 1);
			s->sub = kinds[k] = figures ? 1 : finding_kind(r, row);
			if (figures) {
				s->date = in->date_from;
				s->flags |= F_YEAR;
			}
		}
		/* Orders remedy lovbrudd and avvik; 0–3 of them. */
		unsigned want = chance(r, 100)	 ? 0
				: chance(r, 300) ? 1
						 : (unsigned)between(r, 2, 3);
		unsigned norders = 0;
		for (unsigned k = 0; k < nfind && norders < want; k++) {
			if (kinds[k] > 1)
				continue;
			uint8_t kind = row->law_id == LAW_AML || chance(r, 500)
					   ? 0
					   : (uint8_t)between(r, 1, 2);
			int32_t issued = report + (chance(r, 300) ? between(r, 0, 21) : 0);
			norders++;
			int32_t done =
			    plan_order(in, r, (uint8_t)norders, (uint8_t)(k + 1), kind, issued);
			struct window *win = &in->windows[in->n_windows++];
			win->from = issued;
			win->to = done;
			win->order = (uint8_t)norders;
			if (done == INT32_MAX)
				settled = 0;
		}
		for (unsigned k = 0; k < nfind; k++) {
			if (kinds[k] < 2 && norders && chance(r, 700))
				continue;
			if (chance(r, 300) || figures) {
				s = add(in, ST_RESPONSE, report + between(r, 14, 90),
					(uint32_t)next64(r));
				s->ref = (uint8_t)(k + 1);
				s->sub =
				    figures ? R_ACCOUNT : (chance(r, 500) ? R_ACTION_PLAN : R_RISK);
			}
			if (kinds[k] >= 1 && chance(r, 30)) {
				s = add(in, ST_WAIVED, report + between(r, 30, 120),
					(uint32_t)next64(r));
				s->ref = (uint8_t)(k + 1);
			}
		}
	}
	if (chance(r, 250)) {
		s = add(in, ST_RESPONSE, report + between(r, 7, 60), (uint32_t)next64(r));
		s->sub = self ? R_ACTION_PLAN : (chance(r, 500) ? R_INFORMATION : R_EVALUATION);
	}
	for (uint32_t k = 0; k < in->n; k++)
		last = max32(last, in->steps[k].day);
	if (settled && chance(r, self ? 600 : 920)) {
		int32_t day = last + between(r, 7, 60);
		s = add(in, ST_CLOSED, day, (uint32_t)next64(r));
		if (month_start(day) >= last && chance(r, 150)) {
			s->date = month_start(day);
			s->flags |= F_MONTH;
		}
	} else if (!settled && chance(r, 50)) {
		s = add(in, ST_CLOSED, last + between(r, 60, 180), (uint32_t)next64(r));
		s->flags |= F_FORCED;
	}
}

/* The index of the step whose seq is seq, or n. */
static uint32_t step_by_seq(const struct insp *in, uint32_t seq)
{
	for (uint32_t k = 0; k < in->n; k++)
		if (in->steps[k].seq == seq)
			return k;
	return in->n;
}

/* A few facts corrected (inspection.opened, a finding, an order) or a
 * response retracted, some days to weeks after they were recorded. */
static void plan_revisions(struct insp *in, struct rng *r)
{
	if (chance(r, 15)) {
		uint32_t cand[16], nc = 0;
		for (uint32_t k = 0; k < in->n && nc < 16; k++) {
			uint8_t t = in->steps[k].type;
			if (t == ST_OPENED || t == ST_FINDING || t == ST_ORDER)
				cand[nc++] = k;
		}
		struct step *target = &in->steps[cand[below(r, nc)]];
		target->flags |= F_TARGET;
		uint32_t seq = target->seq, text = target->text;
		int32_t day = target->day + between(r, 1, 60);
		struct step *s = add(in, ST_CORRECTED, day, text); /* may move steps */
		s->target = seq;
	}
	if (chance(r, 10)) {
		uint32_t cand[16], nc = 0;
		for (uint32_t k = 0; k < in->n && nc < 16; k++)
			if (in->steps[k].type == ST_RESPONSE && !(in->steps[k].flags & F_TARGET))
				cand[nc++] = k;
		if (nc) {
			struct step *target = &in->steps[cand[below(r, nc)]];
			target->flags |= F_TARGET;
			uint32_t seq = target->seq;
			int32_t day = target->day + between(r, 1, 30);
			struct step *s = add(in, ST_RETRACTED, day, (uint32_t)next64(r));
			s->target = seq;
		}
	}
}

static void plan_inspection(struct insp *in, uint32_t idx, uint64_t seed)
{
	struct rng r = { seed ^ (UINT64_C(0xD1B54A32D192ED03) * (idx + 1)) };
	unsigned total = 0;
	for (size_t k = 0; k < ROWS; k++)
		total += rows[k].weight;
	unsigned pick = below(&r, total);
	in->row = 0;
	while (pick >= rows[in->row].weight)
		pick -= rows[in->row++].weight;
	const struct row *row = &rows[in->row];
	int32_t visit = between(&r, cal_start, cal_end - 50);

	if (row->shape == SHAPE_TRANSFER && chance(&r, 700)) {
		in->date_from = visit;
		add(in, ST_OPENED, visit, (uint32_t)next64(&r));
		struct step *s = add(in, ST_NOTIFIED, visit, (uint32_t)next64(&r));
		s->day2 = visit + between(&r, 14, 40);
		add(in, ST_TRANSFERRED, visit + between(&r, 3, 40), (uint32_t)next64(&r));
	} else {
		plan_procedure(in, &r, visit);
	}
	plan_revisions(in, &r);
	/* What is dated after today has not happened yet. A step's dependencies
	 * are never later than the step, so what is left is a valid record. */
	uint32_t kept = 0;
	for (uint32_t k = 0; k < in->n; k++)
		if (in->steps[k].day <= cal_end)
			in->steps[kept++] = in->steps[k];
	in->n = kept;
}

static int by_day(const void *a, const void *b)
{
	const struct step *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- reaching exactly EVENTS ------------------------------------------- */

/* The span in which a letter to the inspection (order 0) or a status report
 * on one of its orders may be dated: after the order, before it is settled,
 * the inspection closed or today. Returns 0 when empty. */
static int window_of(const struct insp *in, const struct window *w, int32_t *from, int32_t *to)
{
	int32_t end = cal_end;
	for (uint32_t k = 0; k < in->n; k++) {
		uint8_t t = in->steps[k].type;
		if (t == ST_CLOSED || t == ST_TRANSFERRED)
			end = in->steps[k].day < end ? in->steps[k].day : end;
	}
	*from = w->from;
	*to = w->to < end ? w->to : end;
	return *from <= *to;
}

/* Add n status reports (n > 0) to random open orders, or letters to random
 * inspections when no order is open long enough. */
static void add_reports(struct insp *ins, uint32_t count, uint64_t n, struct rng *r)
{
	uint32_t *with = xrealloc(NULL, count * sizeof *with), nwith = 0;
	for (uint32_t k = 0; k < count; k++) {
		struct insp *in = &ins[k];
		in->windows[in->n_windows].from = in->steps[0].day;
		in->windows[in->n_windows].to = INT32_MAX;
		in->windows[in->n_windows].order = 0;
		int32_t f, t;
		for (uint8_t w = 0; w < in->n_windows; w++)
			if (window_of(in, &in->windows[w], &f, &t)) {
				with[nwith++] = k;
				break;
			}
	}
	for (uint64_t added = 0; added < n;) {
		int orders = nwith && chance(r, 850);
		struct insp *in = &ins[orders ? with[below(r, nwith)] : below(r, count)];
		const struct window *w =
		    orders ? &in->windows[below(r, in->n_windows)] : &in->windows[in->n_windows];
		int32_t from, to;
		if (!window_of(in, w, &from, &to)) {
			/* a closed inspection's letters before its closing day */
			if (orders)
				continue;
			from = to = in->steps[in->n - 1].day;
		}
		struct step *s = add(in, ST_RESPONSE, between(r, from, to), (uint32_t)next64(r));
		s->label = w->order;
		s->sub =
		    w->order ? (chance(r, 700) ? R_PROGRESS_PLAN : R_INFORMATION) : R_INFORMATION;
		s->flags |= F_EXTRA;
		added++;
	}
	free(with);
}

/* Drop n steps (n > 0): responses no revision names first, then the latest
 * steps of random inspections, which are then still running. */
static void drop_steps(struct insp *ins, uint32_t count, uint64_t n, struct rng *r)
{
	uint64_t responses = 0;
	for (uint32_t k = 0; k < count; k++)
		for (uint32_t j = 0; j < ins[k].n; j++)
			responses += ins[k].steps[j].type == ST_RESPONSE &&
				     !(ins[k].steps[j].flags & F_TARGET);
	/* Each response goes with probability n / responses, then exactly. */
	uint64_t dropped = 0;
	for (uint32_t k = 0; k < count && dropped < n; k++) {
		struct insp *in = &ins[k];
		for (uint32_t j = 0; j < in->n && dropped < n; j++) {
			struct step *s = &in->steps[j];
			if (s->type != ST_RESPONSE || (s->flags & F_TARGET))
				continue;
			if (responses &&
			    below(r, 1u << 30) < (double)(n - dropped) / responses * (1u << 30)) {
				s->flags |= F_GONE;
				dropped++;
			}
			responses--;
		}
		uint32_t kept = 0;
		for (uint32_t j = 0; j < in->n; j++)
			if (!(in->steps[j].flags & F_GONE))
				in->steps[kept++] = in->steps[j];
		in->n = kept;
	}
	while (dropped < n) {
		struct insp *in = &ins[below(r, count)];
		if (in->n > 1) {
			in->n--;
			dropped++;
		}
	}
}

/* ---- payloads ----------------------------------------------------------- */

/* A msgpack map built field by field; the count goes in front at the end. */
struct map {
	struct kt_buf body;
	struct kt_buf_sink sink;
	msgpack_packer pk;
	uint32_t n;
};

static void map_begin(struct map *m)
{
	kt_buf_reset(&m->body);
	m->sink.out = &m->body;
	m->sink.err = 0;
	m->n = 0;
	msgpack_packer_init(&m->pk, &m->sink, kt_buf_sink_write);
}

static void put_key(struct map *m, const char *key)
{
	size_t n = strlen(key);
	m->n++;
	msgpack_pack_str(&m->pk, n);
	msgpack_pack_str_body(&m->pk, key, n);
}

static void put_str(struct map *m, const char *key, const char *value)
{
	size_t n = strlen(value);
	put_key(m, key);
	msgpack_pack_str(&m->pk, n);
	msgpack_pack_str_body(&m->pk, value, n);
}

static void put_date(struct map *m, const char *key, int32_t day)
{
	char text[11];
	date_text(day, text);
	put_str(m, key, text);
}

static void put_int(struct map *m, const char *key, int64_t v)
{
	put_key(m, key);
	msgpack_pack_int64(&m->pk, v);
}

static void put_bool(struct map *m, const char *key, int v)
{
	put_key(m, key);
	if (v)
		msgpack_pack_true(&m->pk);
	else
		msgpack_pack_false(&m->pk);
}

static void put_texts(struct map *m, const char *key, const char *a, const char *b)
{
	put_key(m, key);
	msgpack_pack_array(&m->pk, b ? 2 : 1);
	msgpack_pack_str(&m->pk, strlen(a));
	msgpack_pack_str_body(&m->pk, a, strlen(a));
	if (b) {
		msgpack_pack_str(&m->pk, strlen(b));
		msgpack_pack_str_body(&m->pk, b, strlen(b));
	}
}

static void put_raw(struct map *m, const char *key, const struct kt_buf *value)
{
	put_key(m, key);
	if (kt_buf_append(&m->body, value->data, value->len))
		m->sink.err = KT_ENOMEM;
}

/* out = the map header followed by the fields. */
static void map_end(struct map *m, struct kt_buf *out)
{
	struct kt_buf_sink sink = { out, 0 };
	msgpack_packer pk;
	kt_buf_reset(out);
	msgpack_packer_init(&pk, &sink, kt_buf_sink_write);
	msgpack_pack_map(&pk, m->n);
	if (m->sink.err || sink.err || kt_buf_append(out, m->body.data, m->body.len))
		die("payload too large or out of memory");
}

static void put_label(struct map *m, const char *key, char prefix, unsigned no)
{
	char label[8];
	snprintf(label, sizeof label, "%c%u", prefix, no % 100);
	put_str(m, key, label);
}

static void case_number(const struct insp *in, char out[24])
{
	snprintf(out, 24, "T-%04d-%05u", in->year % 10000, in->number % 1000000);
}

/* Date fields of every step but the opening: date, with its precision. */
static void put_step_date(struct map *m, const struct step *s)
{
	put_date(m, "date", s->date);
	if (s->flags & F_MONTH) {
		int y, mo, d;
		char text[40];
		civil(s->date, &y, &mo, &d);
		snprintf(text, sizeof text, "i %s %d", months[mo - 1], y % 10000);
		put_str(m, "date_precision", "month");
		put_str(m, "date_text", text);
	} else if (s->flags & F_YEAR) {
		char text[40];
		snprintf(text, sizeof text, "høsten %d", year_of(s->date) % 10000);
		put_str(m, "date_precision", "year");
		put_str(m, "date_text", text);
	}
}

/* deadline, and deadline_text with deadline_precision as kt_deadline_parse
 * reads the wording. */
static void put_deadline(struct map *m, int32_t day, enum wording w)
{
	int y, mo, d;
	char text[64];
	civil(day, &y, &mo, &d);
	y %= 10000;
	switch (w) {
	case W_NONE:
		put_date(m, "deadline", day);
		return;
	case W_DAY_TEXT:
		snprintf(text, sizeof text, "innen %d. %s %d", d, months[mo - 1], y);
		break;
	case W_DAY_NUM:
		snprintf(text, sizeof text, "%02d.%02d.%04d", d % 100, mo % 100, y);
		break;
	case W_MEDIO:
		snprintf(text, sizeof text, "innen medio %s %d", months[mo - 1], y);
		break;
	case W_MONTH:
		snprintf(text, sizeof text, "%s %d", months[mo - 1], y);
		break;
	case W_ULTIMO:
		snprintf(text, sizeof text, "utgangen av %s %d", months[mo - 1], y);
		break;
	case W_PRIMO:
		snprintf(text, sizeof text, "primo %s %d", months[mo - 1], y);
		break;
	}
	struct kt_deadline dl;
	char want[11];
	date_text(day, want);
	if (kt_deadline_parse(text, strlen(text), &dl) || strcmp(dl.date, want) != 0)
		die("deadline wording '%s' does not mean %s", text, want);
	put_date(m, "deadline", day);
	put_str(m, "deadline_text", text);
	put_str(m, "deadline_precision", kt_deadline_precision_name(dl.precision));
}

static const char *pick(const char *const *texts, size_t n, uint32_t text)
{
	return texts[text % n];
}
#define PICK(a, t) pick((a), sizeof(a) / sizeof((a)[0]), (t))

static const char *const order_texts[] = {
	"Kommunen skal iverksette tiltak som retter forholdet, og sende dokumentasjon på dette.",
	"Arbeidsgiver skal sørge for at risikovurderingen gjennomføres i samarbeid med verneombud "
	"og bedriftshelsetjenesten.",
	"Tiltak og plan for å sikre forsvarlige arbeidslokaler.",
	"Kommunen skal sende en skriftlig redegjørelse for hvordan avviket er lukket.",
	"Rutinene skal gjennomgås og gjøres kjent for alle ansatte, og etterlevelsen skal følges "
	"opp av ledelsen.",
};
static const char *const order_titles[] = { "Risikovurdering", "Opplæring", "Rutiner",
					    "Internkontroll", "Dokumentasjon" };
static const char *const response_texts[R_KINDS][2] = {
	[R_RESPONSE] = { "Dokumentasjon på gjennomførte tiltak er sendt.",
			 "Kommunens svar med vedlagt dokumentasjon." },
	[R_ACTION_PLAN] = { "Tiltaksplan med ansvar og frister er sendt tilsynsmyndigheten.",
			    "Konkret tiltaksplan for oppfølging av funnene." },
	[R_PROGRESS_PLAN] = { "Statusrapport: tiltakene følger fremdriftsplanen.",
			      "Statusrapport: to av tre tiltak er gjennomført, det siste er "
			      "forsinket." },
	[R_DECLARATION] = { "Erklæring om at forholdet er rettet.",
			    "Kommunen bekrefter at pålegget er gjennomført." },
	[R_ACCOUNT] = { "Kommunen har redegjort for at normen vil etterleves ved oppstart av neste "
			"skoleår.",
			"Redegjørelse for årsakene til avviket og planlagte tiltak." },
	[R_INFORMATION] = { "Etterspurte opplysninger er oversendt.",
			    "Oversikt over rutiner og organisering er sendt." },
	[R_RISK] = { "Risikovurdering av konsekvensene ved å ikke rette forholdet.",
		     "Byarkivet har risikovurdert forholdet." },
	[R_EVALUATION] = { "Evaluering av tiltakene etter tre måneder.",
			   "Evalueringen viser at tiltakene virker." },
};
static const char *const comments_texts[] = {
	"Ingen merknader.", "Merknader til faktagrunnlaget.",
	"Kommunen har merknader til beskrivelsen av rutinene.",
	"Kommunen ber om at fristen for retting vurderes på nytt."
};
static const char *const closed_texts[] = {
	"Tilsynet er nå avsluttet.", "Saken er lukket.",
	"Tilsynet ble avsluttet uten utestående avvik.",
	"Tilsynsmyndigheten har vurdert påleggene som oppfylt og "
	"avslutter tilsynet."
};
static const char *const modes[] = { "visit", "document_review", "meeting", "self_assessment" };
static const char *const finding_kinds[] = { "lovbrudd", "avvik", "merknad", "forbedringspunkt" };
static const char *const order_kinds[] = { "palegg", "frist_for_retting", "svarfrist" };

/* The payload of step s (a correction's replacement when corrected). */
static void build(struct map *m, const struct insp *in, const struct step *s, int corrected)
{
	const struct row *row = &rows[in->row];
	const struct law_text *law = &laws[row->law_id];
	char text[256], number[24];
	uint32_t t = s->text;
	map_begin(m);
	switch ((enum step_type)s->type) {
	case ST_OPENED:
		case_number(in, number);
		put_str(m, "case_number", number);
		put_str(m, "authority", row->authority);
		put_str(m, "unit", row->unit);
		put_str(m, "law", row->law);
		if (corrected) {
			snprintf(text, sizeof text, "%s (presisert)", row->theme);
			put_str(m, "theme", text);
		} else {
			put_str(m, "theme", row->theme);
		}
		if (row->kind)
			put_str(m, "kind", row->kind);
		if (row->kind && strcmp(row->kind, "stedlig_tilsyn") == 0 && t % 3 == 0)
			put_str(m, "kind_text", "stedlig tilsyn");
		if (row->kind && strcmp(row->kind, "hendelsesbasert") == 0)
			put_str(m, "trigger",
				"Arbeidsulykke med personskade meldt til Arbeidstilsynet.");
		if (row->shape == SHAPE_SELF) {
			snprintf(text, sizeof text,
				 "Landsomfattende tilsyn %d - undersøkelser i barnevernet",
				 year_of(in->date_from) % 10000);
			put_str(m, "programme", text);
		}
		if (t % 4 == 1 || corrected)
			put_str(m, "text",
				"Tilsynet omfatter ledelse, rutiner og etterlevelse i enheten.");
		put_date(m, "date_from", in->date_from);
		if (in->date_to) {
			int y = year_of(in->date_from) % 100;
			put_date(m, "date_to", in->date_to);
			snprintf(text, sizeof text, "01.01.%02d - 31.12.%02d", y, y);
			put_str(m, "date_text", text);
		}
		if (row->shape == SHAPE_FIGURES) {
			int y = year_of(in->date_from) % 10000;
			snprintf(text, sizeof text, "%d (høsten %d)", y, y);
			put_str(m, "date_precision", "year");
			put_str(m, "date_text", text);
			put_int(m, "report_year", y + 1);
		}
		break;
	case ST_NOTIFIED:
		put_step_date(m, s);
		snprintf(text, sizeof text, "%s varslet tilsyn med %s.", row->authority, row->unit);
		put_str(m, "text", text);
		if (t % 2) {
			snprintf(text, sizeof text, "%d/%05u-1", year_of(s->date) % 10000,
				 (unsigned)(t >> 8) % 100000);
			put_str(m, "reference", text);
		}
		put_date(m, "planned_date", s->day2);
		break;
	case ST_CONDUCTED:
		put_step_date(m, s);
		if (s->day2)
			put_date(m, "date_to", s->day2);
		put_str(m, "mode", modes[s->sub]);
		if (t % 3 == 0)
			put_str(m, "text",
				"Intervjuer med leder, verneombud og ansatte, og befaring.");
		break;
	case ST_PRELIMINARY:
		put_step_date(m, s);
		put_date(m, "comment_deadline", s->day2);
		snprintf(text, sizeof text, "%d/%05u-5", year_of(s->date) % 10000,
			 (unsigned)(t >> 8) % 100000);
		put_str(m, "reference", text);
		put_texts(m, "documents", "Foreløpig rapport.pdf", NULL);
		break;
	case ST_COMMENTS:
		put_step_date(m, s);
		put_str(m, "text", PICK(comments_texts, t));
		if (t % 2)
			put_texts(m, "documents", "Merknader.pdf", NULL);
		break;
	case ST_FINAL:
		put_step_date(m, s);
		snprintf(text, sizeof text, "%d/%05u-7", year_of(s->date) % 10000,
			 (unsigned)(t >> 8) % 100000);
		put_str(m, "reference", text);
		put_texts(m, "documents", "Endelig rapport.pdf", NULL);
		break;
	case ST_FINDING:
		put_step_date(m, s);
		put_label(m, "finding", 'F', s->label);
		put_str(m, "kind", finding_kinds[corrected ? (s->sub + 1) % 2 : s->sub]);
		put_str(m, "text", PICK(law->findings, t));
		put_str(m, "legal_ref", PICK(law->refs, t >> 4));
		if (row->shape == SHAPE_FIGURES)
			put_int(m, "count", 3 + t % 18);
		else if (row->shape == SHAPE_SELF)
			put_str(m, "kind_text", "funn i egentilsynet");
		break;
	case ST_NONE:
		put_step_date(m, s);
		snprintf(text, sizeof text,
			 "%s fant ingen brudd på regelverket som det var nødvendig å følge opp med "
			 "pålegg om retting.",
			 row->authority);
		put_str(m, "text", text);
		break;
	case ST_ORDER:
		put_step_date(m, s);
		put_label(m, "order", 'P', s->label);
		if (s->ref)
			put_label(m, "finding", 'F', s->ref);
		if (s->sub || t % 2)
			put_str(m, "kind", order_kinds[s->sub]);
		if (t % 3 == 0)
			put_str(m, "title", PICK(order_titles, t >> 3));
		put_str(m, "text", PICK(order_texts, t >> 6));
		put_str(m, "legal_basis", corrected ? PICK(law->refs, t) : law->basis);
		if (s->day2)
			put_deadline(m, s->day2, (enum wording)s->wording);
		break;
	case ST_RESPONSE:
		put_step_date(m, s);
		put_str(m, "kind", response_kinds[s->sub]);
		if (s->label)
			put_label(m, "order", 'P', s->label);
		else if (s->ref)
			put_label(m, "finding", 'F', s->ref);
		put_str(m, "text", response_texts[s->sub][t % 2]);
		if (s->sub == R_ACTION_PLAN && t % 2)
			put_texts(m, "documents", "Tiltaksplan.pdf", "Risikovurdering.xlsx");
		break;
	case ST_EXTENDED:
		put_step_date(m, s);
		put_label(m, "order", 'P', s->label);
		put_deadline(m, s->day2, (enum wording)s->wording);
		put_str(m, "reason",
			t % 2 ? "Tiltakene krever anskaffelser som tar lengre tid enn "
				"forutsatt."
			      : "Kommunen har bedt om utsatt frist på grunn av "
				"omorganisering.");
		break;
	case ST_APPEALED:
		put_step_date(m, s);
		put_label(m, "order", 'P', s->label);
		put_str(m, "text",
			"Kommunen klager på pålegget og mener fristen er urimelig kort.");
		put_bool(m, "suspensive", t % 2);
		break;
	case ST_DECIDED: {
		static const char *const outcomes[] = { "upheld", "changed", "annulled" };
		static const char *const decisions[] = { "Klagen tas ikke til følge.",
							 "Pålegget opprettholdes med ny frist.",
							 "Pålegget oppheves." };
		put_step_date(m, s);
		put_label(m, "order", 'P', s->label);
		put_str(m, "outcome", outcomes[s->sub]);
		put_str(m, "decided_by", law->appeal_body);
		put_str(m, "text", decisions[s->sub]);
		if (s->day2)
			put_deadline(m, s->day2, (enum wording)s->wording);
		break;
	}
	case ST_ESCALATED: {
		static const int64_t amounts[] = { 2000, 5000, 10000 };
		static const char *const amount_texts[] = { "2 000 kroner per dag",
							    "5 000 kroner per dag",
							    "10 000 kroner per dag" };
		put_step_date(m, s);
		put_label(m, "order", 'P', s->label);
		put_str(m, "measure", "tvangsmulkt");
		put_bool(m, "notice", 1);
		put_str(m, "text", "Varsel om tvangsmulkt.");
		put_int(m, "amount", amounts[t % 3]);
		put_str(m, "amount_text", amount_texts[t % 3]);
		break;
	}
	case ST_FULFILLED:
		put_step_date(m, s);
		put_label(m, "order", 'P', s->label);
		snprintf(text, sizeof text, "Vurdert som oppfylt av %s.", row->authority);
		put_str(m, "text", text);
		break;
	case ST_WAIVED:
		put_step_date(m, s);
		if (s->label)
			put_label(m, "order", 'P', s->label);
		else
			put_label(m, "finding", 'F', s->ref);
		snprintf(text, sizeof text, "%s støttet kommunens vurdering og frafalt kravet.",
			 row->authority);
		put_str(m, "reason", text);
		break;
	case ST_CLOSED:
		put_step_date(m, s);
		put_str(m, "text", PICK(closed_texts, t));
		if (s->flags & F_FORCED) {
			put_bool(m, "forced", 1);
			put_str(m, "reason",
				"Tilsynsmyndigheten har avsluttet saken uten å bekrefte at "
				"pålegget er oppfylt.");
		}
		break;
	case ST_TRANSFERRED:
		put_step_date(m, s);
		put_str(m, "to", "P-Norge AS");
		put_str(m, "text",
			"Tilsynet ble lukket og overført direkte til det ansvarlige "
			"selskapet, P-Norge AS.");
		break;
	case ST_CORRECTED:
	case ST_RETRACTED:
	case ST_TYPES:
		die("build: a revision has no payload of its own here");
	}
}

/* ---- writing ------------------------------------------------------------ */

struct writer {
	kt_store *store;
	int64_t now; /* the store's clock */
	uint64_t counter;
	struct rng rng;
	struct map map, inner;
	struct kt_buf data, inner_data;
	uint64_t per_type[ST_TYPES];
	uint64_t written;
};

static int64_t sim_clock(void *ctx)
{
	return ((const struct writer *)ctx)->now;
}

/* A UUIDv7 of the recorded time and a counter: ids sort in log order. */
static void make_id(struct writer *w, int64_t recorded, uint8_t id[16])
{
	uint64_t ms = (uint64_t)(recorded / 1000), c = ++w->counter;
	uint64_t hi = (ms << 16) | 0x7000u | ((c >> 30) & 0xfffu);
	uint64_t lo = (UINT64_C(2) << 62) | ((c & 0x3fffffffu) << 32) | (next64(&w->rng) >> 32);
	for (int k = 0; k < 8; k++) {
		id[k] = (uint8_t)(hi >> (56 - 8 * k));
		id[8 + k] = (uint8_t)(lo >> (56 - 8 * k));
	}
}

static int64_t effective_of(const struct insp *in, const struct step *s)
{
	if (s->type == ST_CORRECTED || s->type == ST_RETRACTED)
		return effective_of(in, &in->steps[step_by_seq(in, s->target)]);
	return (int64_t)(s->type == ST_OPENED ? in->date_from : s->date) * KT_US_PER_DAY;
}

static void check(const char *type, const struct kt_buf *data)
{
	char why[256];
	const struct kt_schema *schema = kt_inspection_schema(type, strlen(type));
	if (!schema)
		die("%s: not in the catalogue", type);
	if (kt_schema_check(schema, data->data, data->len, why, sizeof why))
		die("%s: payload refused: %s", type, why);
}

static void append(struct writer *w, struct insp *in, struct step *s, unsigned *year_numbers)
{
	const char *type = type_names[s->type];
	if (s->type == ST_OPENED) {
		in->year = year_of(in->date_from);
		if (in->year < 2000 || in->year >= 2200)
			die("year %d out of range", in->year);
		in->number = ++year_numbers[in->year - 2000];
		if (in->number > 999999)
			die("more than 999,999 inspections in %d", in->year);
	}
	if (s->type == ST_CORRECTED || s->type == ST_RETRACTED) {
		const struct step *target = &in->steps[step_by_seq(in, s->target)];
		char id[KT_ID_TEXT_LEN + 1];
		kt_id_format(target->id, id);
		if (s->type == ST_CORRECTED) {
			build(&w->inner, in, target, 1);
			map_end(&w->inner, &w->inner_data);
			check(type_names[target->type], &w->inner_data);
		}
		map_begin(&w->map);
		put_str(&w->map, "target", id);
		put_str(&w->map, "target_type", type_names[target->type]);
		put_str(&w->map, "reason",
			s->type == ST_RETRACTED	     ? "Registrert på feil tilsyn."
			: target->type == ST_OPENED  ? "Tema presisert etter oppstartsmøtet."
			: target->type == ST_FINDING ? "Feil funntype ført."
						     : "Feil hjemmel ført.");
		if (s->type == ST_CORRECTED)
			put_raw(&w->map, "data", &w->inner_data);
	} else {
		build(&w->map, in, s, 0);
	}
	map_end(&w->map, &w->data);
	check(type, &w->data);

	char stream[64], number[24];
	case_number(in, number);
	snprintf(stream, sizeof stream, KT_INSPECTION_STREAM_PREFIX "%s", number);
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	make_id(w, s->recorded, ev.id);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.actor = actors[s->text % (sizeof actors / sizeof actors[0])];
	ev.actor_len = strlen(ev.actor);
	ev.data = w->data.data;
	ev.data_len = w->data.len;
	ev.effective = effective_of(in, s);
	w->now = s->recorded;
	struct kt_append_result res;
	int rc = kt_store_append(w->store, stream, in->next, &ev, 1, &res);
	if (rc)
		die("append %s to %s at version %u: %s", type, stream, in->next, kt_strerror(rc));
	if (res.head_version != in->next + 1u || res.duplicate)
		die("append %s to %s: head version %" PRIu64 ", expected %u", type, stream,
		    res.head_version, in->next + 1);
	memcpy(s->id, ev.id, 16);
	in->next++;
	w->per_type[s->type]++;
	w->written++;
}

/* A min-heap of inspections by the recorded time of their next step. */
struct heap {
	uint32_t *a;
	uint32_t n;
	const struct insp *ins;
};

static int earlier(const struct heap *h, uint32_t x, uint32_t y)
{
	int64_t a = h->ins[x].steps[h->ins[x].next].recorded;
	int64_t b = h->ins[y].steps[h->ins[y].next].recorded;
	return a != b ? a < b : x < y;
}

static void sift_down(struct heap *h, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, best = i;
		if (l < h->n && earlier(h, h->a[l], h->a[best]))
			best = l;
		if (l + 1 < h->n && earlier(h, h->a[l + 1], h->a[best]))
			best = l + 1;
		if (best == i)
			return;
		uint32_t t = h->a[i];
		h->a[i] = h->a[best];
		h->a[best] = t;
		i = best;
	}
}

/* Recorded times: the step's day plus a lag of a few days, at an office
 * hour, and never before the previous step of the same inspection. */
static void set_recorded(struct insp *in, struct rng *r)
{
	int64_t prev = INT64_MIN;
	for (uint32_t k = 0; k < in->n; k++) {
		struct step *s = &in->steps[k];
		int32_t lag = s->type == ST_OPENED || s->type == ST_NOTIFIED ? between(r, 0, 2)
			      : chance(r, 600)				     ? between(r, 0, 2)
									     : between(r, 3, 10);
		int64_t t = (int64_t)(s->day + lag) * KT_US_PER_DAY +
			    (int64_t)between(r, 8 * 3600, 16 * 3600) * KT_US_PER_SEC;
		if (prev != INT64_MIN && t <= prev)
			t = prev + (int64_t)between(r, 60, 1800) * KT_US_PER_SEC;
		s->recorded = prev = t;
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static uint64_t parse_count(const char *what, const char *text, uint64_t max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v > max) {
		fprintf(stderr, "gen_inspections: %s: '%s' is not a number up to %" PRIu64 "\n",
			what, text, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: gen_inspections DB EVENTS INSPECTIONS SEED\n");
		return 2;
	}
	const char *path = argv[1];
	uint64_t events = parse_count("EVENTS", argv[2], UINT64_C(100000000));
	uint32_t count = (uint32_t)parse_count("INSPECTIONS", argv[3], 10000000);
	uint64_t seed = parse_count("SEED", argv[4], UINT64_MAX);
	if (count == 0 || events < count) {
		fprintf(stderr, "gen_inspections: need 1 ≤ INSPECTIONS ≤ EVENTS\n");
		return 2;
	}
	cal_start = day_of(2016, 3, 1);
	cal_end = day_of(2026, 11, 15);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* Plan every inspection, then make the total exact. */
	struct insp *ins = xrealloc(NULL, (size_t)count * sizeof *ins);
	memset(ins, 0, (size_t)count * sizeof *ins);
	uint64_t natural = 0;
	for (uint32_t k = 0; k < count; k++) {
		plan_inspection(&ins[k], k, seed);
		natural += ins[k].n;
	}
	struct rng r = { seed ^ UINT64_C(0x5851F42D4C957F2D) };
	uint64_t added = 0, dropped = 0;
	if (natural < events) {
		added = events - natural;
		add_reports(ins, count, added, &r);
	}
	for (uint32_t k = 0; k < count; k++)
		qsort(ins[k].steps, ins[k].n, sizeof *ins[k].steps, by_day);
	if (natural > events) {
		dropped = natural - events;
		drop_steps(ins, count, dropped, &r);
	}
	uint64_t total = 0;
	for (uint32_t k = 0; k < count; k++) {
		set_recorded(&ins[k], &r);
		total += ins[k].n;
	}
	if (total != events)
		die("planned %" PRIu64 " events instead of %" PRIu64, total, events);
	double plan_s = seconds_since(&t0);

	struct writer w;
	memset(&w, 0, sizeof w);
	w.rng.s = seed ^ UINT64_C(0x2545F4914F6CDD1D);
	w.map.body = (struct kt_buf)KT_BUF_INIT(KT_DATA_MAX);
	w.inner.body = (struct kt_buf)KT_BUF_INIT(KT_DATA_MAX);
	w.data = (struct kt_buf)KT_BUF_INIT(KT_DATA_MAX);
	w.inner_data = (struct kt_buf)KT_BUF_INIT(KT_DATA_MAX);
	int rc = kt_store_create(&w.store);
	if (rc)
		die("%s", kt_strerror(rc));
	if ((rc = kt_store_set_durable(w.store, 0)) ||
	    (rc = kt_store_set_clock(w.store, sim_clock, &w)) ||
	    (rc = kt_store_set_mapsize(w.store, (size_t)1 << 30)) ||
	    (rc = kt_store_open(w.store, path, KT_OPEN_EXCL))) {
		kt_store_close(w.store);
		die("%s: %s", path, kt_strerror(rc));
	}

	struct heap h = { xrealloc(NULL, (size_t)count * sizeof(uint32_t)), count, ins };
	for (uint32_t k = 0; k < count; k++)
		h.a[k] = k;
	for (uint32_t k = count / 2; k-- > 0;)
		sift_down(&h, k);
	unsigned year_numbers[200] = { 0 };
	int64_t first = 0, middle = 0, last = 0;
	uint64_t middle_pos = (events + 1) / 2;
	while (h.n) {
		struct insp *in = &ins[h.a[0]];
		struct step *s = &in->steps[in->next];
		append(&w, in, s, year_numbers);
		if (w.written == 1)
			first = s->recorded;
		if (w.written == middle_pos)
			middle = s->recorded;
		last = s->recorded;
		if (in->next == in->n)
			h.a[0] = h.a[--h.n];
		sift_down(&h, 0);
	}
	kt_store_close(w.store);
	double total_s = seconds_since(&t0);

	struct stat st;
	if (stat(path, &st))
		die("%s: %s", path, strerror(errno));
	uint64_t closed = w.per_type[ST_CLOSED], transferred = w.per_type[ST_TRANSFERRED];
	uint64_t orders = w.per_type[ST_ORDER];

	char d_first[11], d_middle[11], d_last[11];
	date_text((int32_t)(first / KT_US_PER_DAY), d_first);
	date_text((int32_t)(middle / KT_US_PER_DAY), d_middle);
	date_text((int32_t)(last / KT_US_PER_DAY), d_last);
	printf("gen_inspections: %" PRIu64 " events over %u inspections in %.1f s (plan %.1f s), "
	       "%.0f events/s; %s: %.1f MB\n",
	       w.written, count, total_s, plan_s, (double)w.written / (total_s - plan_s), path,
	       (double)st.st_size / 1e6);
	printf("  lifecycles gave %" PRIu64 " events; %" PRIu64 " status reports added, %" PRIu64
	       " steps dropped\n",
	       natural, added, dropped);
	printf("  recorded %s … %s; the middle event (position %" PRIu64 ") on %s\n", d_first,
	       d_last, middle_pos, d_middle);
	printf("  %" PRIu64 " closed, %" PRIu64 " transferred, %" PRIu64 " still running\n", closed,
	       transferred, count - closed - transferred);
	printf("  by type:");
	for (int k = 0; k < ST_TYPES; k++)
		printf("%s %s %" PRIu64, k ? "," : "", type_names[k], w.per_type[k]);
	printf("\n");
	printf("RESULT gen events=%" PRIu64 " inspections=%u seconds=%.2f plan_seconds=%.2f "
	       "events_per_s=%.0f file_bytes=%lld middle_date=%s first_date=%s last_date=%s "
	       "natural=%" PRIu64 " added=%" PRIu64 " dropped=%" PRIu64 " orders=%" PRIu64
	       " findings=%" PRIu64 " closed=%" PRIu64 " transferred=%" PRIu64 "\n",
	       w.written, count, total_s, plan_s, (double)w.written / (total_s - plan_s),
	       (long long)st.st_size, d_middle, d_first, d_last, natural, added, dropped, orders,
	       w.per_type[ST_FINDING], closed, transferred);

	for (uint32_t k = 0; k < count; k++)
		free(ins[k].steps);
	free(ins);
	free(h.a);
	kt_buf_free(&w.map.body);
	kt_buf_free(&w.inner.body);
	kt_buf_free(&w.data);
	kt_buf_free(&w.inner_data);
	return 0;
}
