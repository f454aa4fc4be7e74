/*
 * generate.c — a year of Kvaliteket incidents, planned as a whole and then
 * written incident by incident (generate.h; docs/generator.md gives every
 * distribution and why).
 *
 * Two stages. The plan draws, for every incident of the year, its area,
 * unit, category, registration moment and natural days to close, and then
 * decides the exact figures: which incidents are open at the end of the
 * year, which are personvern and which of those go to Datatilsynet, and the
 * types and severities of the rest. The plan uses one random stream in a
 * fixed order. Writing then builds each incident's lifecycle from a random
 * stream of its own (seeded by seed, year and number), so an incident's
 * events depend only on the plan's line for it.
 */
#include "kontroll/generate.h"

#include "kontroll/buf.h"
#include "kontroll/catalogue.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/incidents.h"
#include "kontroll/ktime.h"
#include "kontroll/organisation.h"
#include "kontroll/replay.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers: splitmix64 seeds xoshiro256** ----------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A stream for (seed, a, b): the plan of a year uses (seed, year, 0), the
 * lifecycle of incident n (seed, year, n). */
static void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t x = seed;
	x = splitmix(&x) ^ a;
	x = splitmix(&x) ^ b;
	for (int k = 0; k < 4; k++)
		r->s[k] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in (0, 1), never 0 (ln is taken of it). */
static double uniform(struct rng *r)
{
	return ((double)(next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double between(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * uniform(r);
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply; the bias at these
 * sizes is below 2^-40). */
static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((next(r) >> 32) * (uint64_t)n) >> 32);
}

static int chance(struct rng *r, double p)
{
	return uniform(r) < p;
}

/* Index drawn with the given integer weights (sum > 0). */
static size_t pick(struct rng *r, const unsigned *w, size_t n)
{
	unsigned total = 0;
	for (size_t k = 0; k < n; k++)
		total += w[k];
	unsigned x = below(r, total);
	for (size_t k = 0; k < n; k++) {
		if (x < w[k])
			return k;
		x -= w[k];
	}
	return n - 1;
}

/*
 * e^x and ln x without libm: the library links none, and our own keep the
 * numbers the same on every platform. e^x: x = k·ln 2 + r with |r| ≤ ln 2 / 2,
 * a Taylor series for e^r, 2^k from the exponent bits. ln x: x = m·2^e with
 * m in [√½, √2), ln m = 2·atanh((m − 1)/(m + 1)). Both to ~1e-15.
 */
#define LN2   0.69314718055994530942
#define SQRT2 1.41421356237309504880

static double expo(double x)
{
	if (x > 700)
		x = 700;
	if (x < -700)
		x = -700;
	long k = (long)(x / LN2 + (x >= 0 ? 0.5 : -0.5));
	double r = x - (double)k * LN2, term = 1, sum = 1;
	for (int n = 1; n < 20; n++) {
		term *= r / n;
		sum += term;
	}
	uint64_t bits = (uint64_t)(k + 1023) << 52;
	double two;
	memcpy(&two, &bits, sizeof two);
	return sum * two;
}

/* x > 0 and normal (every value uniform() returns is). */
static double ln(double x)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof bits);
	int e = (int)((bits >> 52) & 0x7ff) - 1023;
	bits = (bits & UINT64_C(0x000fffffffffffff)) | UINT64_C(0x3ff0000000000000);
	double m;
	memcpy(&m, &bits, sizeof m);
	if (m > SQRT2) {
		m /= 2;
		e++;
	}
	double s = (m - 1) / (m + 1), s2 = s * s, term = s, sum = 0;
	for (int n = 1; n < 41; n += 2) {
		sum += term / n;
		term *= s2;
	}
	return 2 * sum + e * LN2;
}

/* A standard normal, approximated by the sum of twelve uniforms less six
 * (Irwin–Hall: mean 0, variance 1, bounded by ±6, which keeps tails sane). */
static double normal(struct rng *r)
{
	double z = -6;
	for (int k = 0; k < 12; k++)
		z += uniform(r);
	return z;
}

/* Log-normal with the given median and shape. */
static double lognormal(struct rng *r, double median, double sigma)
{
	return median * expo(sigma * normal(r));
}

/* ---- the calendar: days, Norwegian holidays, local time ----------------- */

#define US_HOUR (INT64_C(3600) * KT_US_PER_SEC)

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (*month <= 2));
}

/* 0 Monday … 6 Sunday (1970-01-01 was a Thursday). */
static int weekday(int64_t day)
{
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int64_t easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
	int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
	return kt_time_days_from_civil(y, month, day);
}

/* Norwegian public holidays (helligdager and 1 and 17 May). */
static int holiday(int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	if ((m == 1 && d == 1) || (m == 5 && (d == 1 || d == 17)) ||
	    (m == 12 && (d == 25 || d == 26)))
		return 1;
	int64_t e = day - easter(y);
	return e == -3 || e == -2 || e == 0 || e == 1 || e == 39 || e == 49 || e == 50;
}

/* The Monday of ISO week w of year y. */
static int64_t iso_week_monday(int y, int w)
{
	int64_t jan4 = kt_time_days_from_civil(y, 1, 4);
	return jan4 - weekday(jan4) + 7 * (w - 1);
}

/* School holidays in Trondheim, roughly: winter break (week 9), Easter
 * week, summer (21 June – 17 August), autumn break (week 40), Christmas. */
static int school_holiday(int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	int64_t w9 = iso_week_monday(y, 9), w40 = iso_week_monday(y, 40), e = easter(y);
	if ((day >= w9 && day < w9 + 7) || (day >= w40 && day < w40 + 7))
		return 1;
	if (day >= e - 6 && day <= e + 1)
		return 1;
	if ((m == 6 && d >= 21) || m == 7 || (m == 8 && d <= 17))
		return 1;
	return (m == 12 && d >= 21) || (m == 1 && d <= 2);
}

/* Central European time: UTC+1, and UTC+2 from the last Sunday of March to
 * the last Sunday of October, 01:00 UTC. */
static int64_t last_sunday(int y, int month)
{
	int64_t last = kt_time_days_from_civil(y, month + 1, 1) - 1;
	return last - (weekday(last) + 1) % 7;
}

static int64_t utc_offset(int64_t utc)
{
	int y, m, d;
	civil_from_days(utc / KT_US_PER_DAY, &y, &m, &d);
	int64_t start = last_sunday(y, 3) * KT_US_PER_DAY + US_HOUR;
	int64_t end = last_sunday(y, 10) * KT_US_PER_DAY + US_HOUR;
	return utc >= start && utc < end ? 2 * US_HOUR : US_HOUR;
}

/* The UTC moment of a local time (in the hour the clocks go back, the
 * later of the two). */
static int64_t utc_from_local(int64_t local)
{
	return local - utc_offset(local - US_HOUR);
}

/* The local (Norwegian) day of a UTC moment. */
static int64_t local_day(int64_t utc)
{
	return (utc + utc_offset(utc)) / KT_US_PER_DAY;
}

static void put_digits(char *p, int v, int n)
{
	for (int j = n - 1; j >= 0; j--) {
		p[j] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* "YYYY-MM-DD" and a NUL. */
static void format_day(int64_t day, char out[11])
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 0;
}

/* ---- the reference data ------------------------------------------------- */

/* How a service works over the day, the week and the year. */
enum kind {
	KIND_CARE,   /* round the clock, all week: nursing homes, homes, home care */
	KIND_SCHOOL, /* schools and kindergartens: term time, weekdays */
	KIND_OFFICE, /* weekday services and offices */
	KINDS
};

struct area_profile {
	const char *key;
	unsigned employees; /* organisation.json, employees_2025.antall */
	enum kind kind;
	unsigned forbedring_permille;
	unsigned types[KT_TYPES]; /* avvik by type; personvern is decided apart */
	unsigned personvern;	  /* tenths: how likely an avvik here is personvern */
};

/* Weights by type, in enum kt_incident_type order: hms, pasient, personvern,
 * informasjonssikkerhet, vold, miljø, annet. */
static const struct area_profile profiles[] = {
	{ "byradsleder", 53, KIND_OFFICE, 120, { 30, 0, 0, 30, 5, 2, 33 }, 15 },
	{ "oppvekst_utdanning", 5484, KIND_SCHOOL, 70, { 30, 8, 0, 4, 45, 3, 10 }, 10 },
	{ "helse_omsorg", 4002, KIND_CARE, 50, { 14, 56, 0, 3, 17, 2, 8 }, 10 },
	{ "sosiale_tjenester", 3367, KIND_CARE, 60, { 18, 30, 0, 5, 34, 2, 11 }, 15 },
	{ "kultur_idrett_friluftsliv", 489, KIND_OFFICE, 120, { 42, 5, 0, 4, 18, 8, 23 }, 5 },
	{ "byutvikling", 637, KIND_OFFICE, 120, { 58, 0, 0, 4, 5, 18, 15 }, 7 },
	{ "miljo_naring_samferdsel", 180, KIND_OFFICE, 120, { 35, 0, 0, 8, 7, 30, 20 }, 7 },
	{ "finans", 974, KIND_OFFICE, 120, { 33, 0, 0, 34, 3, 5, 25 }, 15 },
};
#define PROFILES (sizeof profiles / sizeof profiles[0])

/* Improvement suggestions by type (pasient only where the area has it). */
static const unsigned forbedring_types[KT_TYPES] = { 30, 20, 0, 8, 0, 7, 35 };

/* Severity 1–4 by type; improvement suggestions are 1 or 2. */
static const unsigned severities[KT_TYPES][4] = {
	[KT_TYPE_HMS] = { 40, 35, 18, 7 },	  [KT_TYPE_PASIENT] = { 45, 35, 15, 5 },
	[KT_TYPE_PERSONVERN] = { 30, 45, 20, 5 }, [KT_TYPE_INFOSIKKERHET] = { 45, 35, 15, 5 },
	[KT_TYPE_VOLD] = { 35, 40, 20, 5 },	  [KT_TYPE_MILJO] = { 50, 35, 12, 3 },
	[KT_TYPE_ANNET] = { 60, 30, 8, 2 },
};

/* By month, January first (per mille). */
static const unsigned month_factor[KINDS][12] = {
	[KIND_CARE] = { 1050, 1030, 1020, 1000, 1000, 950, 850, 950, 1030, 1050, 1050, 920 },
	[KIND_SCHOOL] = { 1000, 1050, 1050, 1000, 1050, 950, 700, 1000, 1100, 1050, 1050, 900 },
	[KIND_OFFICE] = { 1000, 1000, 1000, 1000, 1000, 950, 550, 950, 1050, 1050, 1050, 850 },
};

/* Weekday (Monday–Friday), Saturday, Sunday or holiday, school holiday. */
static const unsigned day_factor[KINDS][4] = {
	[KIND_CARE] = { 1000, 800, 770, 1000 },
	[KIND_SCHOOL] = { 1000, 60, 50, 250 },
	[KIND_OFFICE] = { 1000, 120, 100, 1000 },
};

/* Registrations by local hour: in care many at the end of a shift (07,
 * 14–15, 21–22), elsewhere in working hours. */
static const unsigned hour_weight[KINDS][24] = {
	[KIND_CARE] = { 4,  3,	3,  3,	3,  4, 6, 14, 12, 12, 11, 11,
			11, 12, 20, 18, 10, 9, 9, 9,  10, 15, 14, 7 },
	[KIND_SCHOOL] = { 0,  0,  0,  0, 0, 0, 1, 6, 14, 16, 16, 15,
			  16, 16, 14, 9, 5, 2, 1, 1, 1,	 1,  0,	 0 },
	[KIND_OFFICE] = { 0,  0,  0,  0,  0, 0, 1, 5, 14, 16, 16, 13,
			  12, 14, 13, 10, 5, 2, 1, 1, 1,  1,  0,  0 },
};

/* A unit's weight within its area, from its name: the big round-the-clock
 * units, schools and kindergartens report the most. */
static unsigned unit_weight(const char *name)
{
	static const struct {
		const char *part;
		unsigned weight;
	} rules[] = {
		{ "helse- og velferdssenter", 50 },
		{ "helsehus", 40 },
		{ "legevakt", 30 },
		{ "rehabilitering", 20 },
		{ "bo- og aktivitetstilbud", 60 },
		{ "avlastning", 30 },
		{ "rustjenester", 30 },
		{ "barnehage", 55 },
		{ "skole", 60 },
		{ "voksenopplæring", 20 },
		{ "bydrift", 60 },
		{ "Kommunalteknikk", 30 },
		{ "Eiendom", 40 },
		{ "Digital", 20 },
		{ "parkering", 30 },
		{ "idrett", 30 },
		{ "BFT", 20 },
		{ "NAV", 20 },
		{ "senter", 20 },
	};
	for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++)
		if (strstr(name, rules[k].part))
			return rules[k].weight;
	return 10;
}

/* People: handlers are drawn per unit from these, so every unit has a
 * handful of its own (fictional) leaders. ASCII only, so an actor name is
 * the lower-case "first.last". */
static const char *const first_names[] = { "Kari",  "Ola",  "Ingrid", "Lars", "Marit", "Sindre",
					   "Hanne", "Jon",  "Silje",  "Erik", "Nina",  "Per",
					   "Anne",  "Tor",  "Eva",    "Knut", "Heidi", "Arne",
					   "Lise",  "Geir", "Tone",   "Rune", "Mona",  "Stian" };
static const char *const last_names[] = { "Hansen",   "Johansen", "Olsen",   "Larsen", "Andersen",
					  "Pedersen", "Nilsen",	  "Berg",    "Haugen", "Hagen",
					  "Lund",     "Moen",	  "Strand",  "Eide",   "Dahl",
					  "Lie",      "Solberg",  "Aune",    "Bakken", "Holm",
					  "Vik",      "Rye",	  "Sandvik", "Hoff",   "Kvam" };
#define FIRST_NAMES	  (sizeof first_names / sizeof first_names[0])
#define LAST_NAMES	  (sizeof last_names / sizeof last_names[0])
#define HANDLERS_PER_UNIT 3
/* The person who judges whether a personvern breach is reported. */
#define PRIVACY_ACTOR "personvernombudet"

/* Texts, by type. CARE lists are used in round-the-clock services, SCHOOL
 * in schools and kindergartens, the general list elsewhere and as well. */
#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

struct texts {
	const char *const *care, *const *school, *const *general;
};

static const struct texts reported_texts[KT_TYPES] = {
	[KT_TYPE_HMS] = {
	    LIST("Stikkskade fra brukt kanyle ved stell.",
		 "Tungt løft uten hjelpemiddel; ansatt fikk vondt i ryggen.",
		 "Lav bemanning på vakt; pauser ble ikke avviklet.",
		 "Ansatt skled på vått gulv på badet."),
	    LIST("Ansatt falt på isete uteområde i hentetiden.",
		 "Klemskade i dør til garderoben.",
		 "Høyt støynivå i avdelingen gjennom dagen."),
	    LIST("Ansatt skled på isete gangvei ved inngangen.",
		 "Kuttskade ved bruk av kniv på kjøkkenet.",
		 "Dårlig inneklima i møterommet; hodepine blant ansatte.",
		 "Ansatt falt fra gardintrapp.", "Arbeidsmaskin veltet; fører uskadd.",
		 "Støy over grenseverdi ved bruk av verktøy."),
	},
	[KT_TYPE_PASIENT] = {
	    LIST("Legemiddel ikke gitt til riktig tid; oppdaget ved vaktskifte.",
		 "Bruker falt på badet, ingen synlige skader. Lege varslet.",
		 "Mangelfull innleggelsesrapport ved overføring til St. Olavs hospital.",
		 "Feil dose gitt etter endring i legemiddellisten.",
		 "Trykksår oppdaget ved stell; ikke dokumentert tidligere.",
		 "Avtalt tilsyn ble ikke gjennomført.",
		 "Bruker fikk kost som ikke passet med dietten.",
		 "Mangelfull dokumentasjon av vitale målinger.",
		 "Medisinrommet sto ulåst.",
		 "Personløfter sviktet under forflytning."),
	    LIST("Barn skadet seg på lekeapparat i utetiden.",
		 "Barn forlot området uten at det ble oppdaget med en gang.",
		 "Elev fikk allergisk reaksjon; rutinen for allergier ble ikke fulgt.",
		 "Mangelfullt tilsyn under svømmeopplæringen."),
	    LIST("Deltaker skadet seg under aktivitet.",
		 "Førstehjelpsutstyret var ikke etterfylt."),
	},
	[KT_TYPE_PERSONVERN] = {
	    LIST("Oppslag i journal uten tjenstlig behov.",
		 "Dokumentasjon om bruker sendt til feil fastlege."),
	    LIST("Elevliste med helseopplysninger lagt ut på åpent område.",
		 "Bilde av barn publisert uten samtykke."),
	    LIST("E-post med personopplysninger sendt til feil mottaker.",
		 "Brev med sensitive opplysninger levert til feil adresse.",
		 "Personopplysninger delt i feil Teams-kanal.",
		 "Dokument med fødselsnumre skrevet ut på feil skriver."),
	},
	[KT_TYPE_INFOSIKKERHET] = {
	    LIST("Påloggingskort delt mellom ansatte på vaktrommet.",
		 "Fagsystemet var utilgjengelig i to timer; reserverutiner brukt."),
	    LIST("Elev fikk tilgang til lærerens konto."),
	    LIST("Klikket på lenke i phishing-e-post; passordet er byttet.",
		 "PC sto ulåst i fellesareal.",
		 "Tjenestetelefon mistet; fjernsletting bestilt.",
		 "Passord skrevet på lapp ved skjermen."),
	},
	[KT_TYPE_VOLD] = {
	    LIST("Ansatt ble slått av bruker under morgenstell.",
		 "Bruker kom med verbale trusler mot ansatt.",
		 "Ansatt ble klort og lugget under forflytning.",
		 "Utagerende atferd i fellesarealet; ansatt trakk seg unna.",
		 "Spytting og slag mot ansatt ved medisinutdeling."),
	    LIST("Elev slo ansatt i friminuttet.",
		 "Elev truet medelev og ansatt i klasserommet.",
		 "Barn bet ansatt under påkledning.",
		 "Ansatt ble sparket under konflikthåndtering.",
		 "Foresatt truet ansatt i hentesituasjonen."),
	    LIST("Truende oppførsel fra publikum i skranken.",
		 "Trusler mot saksbehandler på e-post.",
		 "Ansatt ble dyttet av besøkende."),
	},
	[KT_TYPE_MILJO] = {
	    LIST("Feil sortering av smittefarlig avfall."),
	    LIST("Søppel spredt fra overfylte containere ved skolen."),
	    LIST("Oljesøl fra arbeidsmaskin på uteområdet.",
		 "Farlig avfall sortert feil.", "Lekkasje fra avløp i kjeller.",
		 "Utslipp til bekk ved anleggsarbeid."),
	},
	[KT_TYPE_ANNET] = {
	    LIST("Feil i turnusen førte til underbemanning på kveldsvakt.",
		 "Nøkkel til medisinrommet kom på avveie."),
	    LIST("Vikar fikk ikke nødvendig informasjon ved oppstart.",
		 "Brannalarm utløst av matlaging."),
	    LIST("Nøkkel kom på avveie.", "Bestilt utstyr ble ikke levert som avtalt.",
		 "Rutinen for mottak av nye ansatte ble ikke fulgt.",
		 "Strømbrudd i bygget i en time."),
	},
};

static const struct texts forbedring_texts = {
	LIST("Forslag: felles sjekkliste ved vaktskifte.",
	     "Forslag: opplæring i legemiddelhåndtering for vikarer.",
	     "Forslag: digital oversikt over ledige hjelpemidler."),
	LIST("Forslag: fast gjennomgang av avvik på personalmøtet.",
	     "Forslag: bedre merking av nødutganger."),
	LIST("Forslag: strøing av gangveier før klokken sju.",
	     "Forslag: kortere vei fra melding til tiltak.",
	     "Forslag: felles mal for risikovurderinger."),
};

static const char *const action_texts[] = {
	"Gjennomgå rutinen med personalgruppen.",
	"Oppdatere risikovurderingen.",
	"Bestille og ta i bruk nytt utstyr.",
	"Gi opplæring til berørte ansatte.",
	"Justere bemanningsplanen.",
	"Melde behov for utbedring til Trondheim eiendom.",
	"Oppfølgingssamtale med berørt ansatt.",
	"Følge opp med bedriftshelsetjenesten.",
	"Oppdatere tiltaksplanen for brukeren.",
	NULL,
};

static const char *const conclusions[] = {
	"Tiltak gjennomført og evaluert; avviket lukkes.",
	"Gjennomgått med de involverte. Rutinen er oppdatert.",
	"Fulgt opp i personalmøte; ingen videre tiltak.",
	"Risikovurderingen er revidert; avviket lukkes.",
	"Meldingen er tatt til orientering.",
	NULL,
};

static const char *const reopen_reasons[] = {
	"Samme hendelse gjentok seg; tiltaket virket ikke.",
	"Ny informasjon i saken.",
	"Lukket ved en feil før tiltaket var gjennomført.",
	NULL,
};

static const char *const dt_not_required[] = {
	"Lav risiko for de registrertes rettigheter og friheter; ikke meldepliktig etter "
	"personvernforordningen art. 33.",
	"Mottakeren slettet opplysningene straks; liten risiko for de registrerte.",
	"Ingen sensitive opplysninger; avviket er lukket internt.",
	NULL,
};

static const char at_not_required[] =
    "Ikke alvorlig personskade; ikke meldepliktig etter arbeidsmiljøloven § 5-2.";

static size_t list_len(const char *const *l)
{
	size_t n = 0;
	while (l[n])
		n++;
	return n;
}

static const char *one_of(struct rng *r, const char *const *l)
{
	return l[below(r, (uint32_t)list_len(l))];
}

static const char *text_for(struct rng *r, const struct texts *t, enum kind kind)
{
	const char *const *own = kind == KIND_CARE     ? t->care
				 : kind == KIND_SCHOOL ? t->school
						       : NULL;
	if (own && chance(r, 0.7))
		return one_of(r, own);
	return one_of(r, t->general);
}

/* ---- the figures of known years ------------------------------------------ */

struct year_figures {
	int year;
	uint32_t count, helse_omsorg, open_at_end, personvern, datatilsynet;
};

/* 2025: the annual report (seed lines 2614–2616, 2821). 2024: the total
 * derived from −8.7 % (21,686 / 0.913), helse og omsorg from line 2616, the
 * rest 2025's shares of 23,752. */
static const struct year_figures known[] = {
	{ 2025, 21686, 9993, 2631, 40, 7 },
	{ 2024, 23752, 9440, 2882, 44, 8 },
};

static uint32_t scale(uint32_t v, uint32_t num, uint32_t den)
{
	return (uint32_t)(((uint64_t)v * num + den / 2) / den);
}

static int failf(char *why, size_t why_len, const char *fmt, ...)
{
	if (why && why_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return KT_EINVAL;
}

int kt_generate_defaults(int year, uint32_t count, uint64_t seed, struct kt_generate_params *p,
			 char *why, size_t why_len)
{
	memset(p, 0, sizeof *p);
	if (year < KT_GENERATE_YEAR_MIN || year > KT_GENERATE_YEAR_MAX)
		return failf(why, why_len, "year: %d is outside %d–%d", year, KT_GENERATE_YEAR_MIN,
			     KT_GENERATE_YEAR_MAX);
	if (count > KT_GENERATE_COUNT_MAX)
		return failf(why, why_len, "count: %u is more than %u", count,
			     KT_GENERATE_COUNT_MAX);
	const struct year_figures *f = &known[0];
	int own = 0;
	for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
		if (known[k].year == year) {
			f = &known[k];
			own = 1;
		}
	if (!own && count == 0)
		return failf(why, why_len,
			     "count: no figures are known for %d; give the number of incidents",
			     year);
	p->year = year;
	p->seed = seed;
	p->count = count ? count : f->count;
	p->helse_omsorg = scale(f->helse_omsorg, p->count, f->count);
	p->open_at_end = scale(f->open_at_end, p->count, f->count);
	p->personvern = scale(f->personvern, p->count, f->count);
	p->datatilsynet = scale(f->datatilsynet, p->count, f->count);
	if (p->datatilsynet > p->personvern)
		p->datatilsynet = p->personvern;
	return KT_OK;
}

int kt_generate_check(const struct kt_generate_params *p, char *why, size_t why_len)
{
	if (p->year < KT_GENERATE_YEAR_MIN || p->year > KT_GENERATE_YEAR_MAX)
		return failf(why, why_len, "year: %d is outside %d–%d", p->year,
			     KT_GENERATE_YEAR_MIN, KT_GENERATE_YEAR_MAX);
	if (p->count < 1 || p->count > KT_GENERATE_COUNT_MAX)
		return failf(why, why_len, "count: %u is not within 1–%u", p->count,
			     KT_GENERATE_COUNT_MAX);
	if (p->helse_omsorg > p->count)
		return failf(why, why_len, "helse og omsorg: %u is more than the %u incidents",
			     p->helse_omsorg, p->count);
	if (p->open_at_end > p->count)
		return failf(why, why_len, "open at the end: %u is more than the %u incidents",
			     p->open_at_end, p->count);
	if (p->personvern > p->count - p->open_at_end)
		return failf(why, why_len,
			     "personvern: %u is more than the %u incidents closed within the year",
			     p->personvern, p->count - p->open_at_end);
	if (p->datatilsynet > p->personvern)
		return failf(why, why_len,
			     "datatilsynet: %u is more than the %u personvern incidents",
			     p->datatilsynet, p->personvern);
	return KT_OK;
}

/* ---- the plan ----------------------------------------------------------- */

enum {
	F_OPEN = 1,	    /* open at the end of the year */
	F_PERSONVERN = 2,   /* type personvern */
	F_DATATILSYNET = 4, /* reported to Datatilsynet */
	F_LATE = 8,	    /* … more than 72 hours after registration */
};

struct plan {
	int64_t registered; /* µs, UTC, whole seconds */
	int64_t closed;	    /* the final closure, µs */
	double days;	    /* natural days to close */
	uint32_t draw;	    /* order of drawing, breaks ties */
	uint16_t unit;	    /* index into organisation.h's units */
	uint8_t area;	    /* index into profiles */
	uint8_t category;
	uint8_t type;
	uint8_t severity;
	uint8_t flags;
	uint8_t lag; /* days from occurrence to registration */
};

struct year {
	const struct kt_generate_params *p;
	int64_t start, end;	    /* the year: [start, end], µs */
	struct plan *plans;	    /* count, in order of registration */
	int areas[PROFILES];	    /* profile → organisation.h's area index */
	uint16_t *units[PROFILES];  /* the units of each area */
	unsigned *unit_w[PROFILES]; /* and their weights */
	size_t n_units[PROFILES];
	double *day_cdf[KINDS]; /* cumulative weight by day of the year */
	int64_t days;		/* days in the year */
	int64_t first_day;
};

static void year_free(struct year *y)
{
	free(y->plans);
	for (size_t a = 0; a < PROFILES; a++) {
		free(y->units[a]);
		free(y->unit_w[a]);
	}
	for (int k = 0; k < KINDS; k++)
		free(y->day_cdf[k]);
}

static int setup_units(struct year *y)
{
	for (size_t a = 0; a < PROFILES; a++) {
		int area = kt_area_by_key(profiles[a].key, strlen(profiles[a].key));
		if (area < 0)
			return KT_EINVAL; /* organisation.c and this table disagree */
		y->areas[a] = area;
		size_t n = 0;
		for (size_t u = 0; u < kt_unit_count(); u++)
			n += kt_unit_at(u)->area == (size_t)area;
		if (n == 0)
			return KT_EINVAL;
		y->units[a] = malloc(n * sizeof *y->units[a]);
		y->unit_w[a] = malloc(n * sizeof *y->unit_w[a]);
		if (!y->units[a] || !y->unit_w[a])
			return KT_ENOMEM;
		for (size_t u = 0; u < kt_unit_count(); u++)
			if (kt_unit_at(u)->area == (size_t)area) {
				y->units[a][y->n_units[a]] = (uint16_t)u;
				y->unit_w[a][y->n_units[a]++] = unit_weight(kt_unit_at(u)->name);
			}
	}
	return KT_OK;
}

static double day_weight(enum kind kind, int64_t day)
{
	int yy, m, d;
	civil_from_days(day, &yy, &m, &d);
	int w = weekday(day);
	unsigned f = day_factor[kind][0];
	if (holiday(day) || w == 6)
		f = day_factor[kind][2];
	else if (w == 5)
		f = day_factor[kind][1];
	double x = (double)f * month_factor[kind][m - 1];
	if (kind == KIND_SCHOOL && school_holiday(day))
		x = x * day_factor[kind][3] / 1000;
	return x;
}

static int setup_days(struct year *y)
{
	y->first_day = kt_time_days_from_civil(y->p->year, 1, 1);
	y->days = kt_time_days_from_civil(y->p->year + 1, 1, 1) - y->first_day;
	for (int k = 0; k < KINDS; k++) {
		double *cdf = malloc((size_t)y->days * sizeof *cdf), sum = 0;
		if (!cdf)
			return KT_ENOMEM;
		for (int64_t d = 0; d < y->days; d++) {
			sum += day_weight((enum kind)k, y->first_day + d);
			cdf[d] = sum;
		}
		y->day_cdf[k] = cdf;
	}
	return KT_OK;
}

static int64_t draw_day(struct year *y, struct rng *r, enum kind kind)
{
	const double *cdf = y->day_cdf[kind];
	double x = uniform(r) * cdf[y->days - 1];
	int64_t lo = 0, hi = y->days - 1;
	while (lo < hi) {
		int64_t mid = (lo + hi) / 2;
		if (cdf[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return y->first_day + lo;
}

/* A registration moment on a local day, at an hour typical of the kind,
 * within the year in UTC (the first and last local hours of the year can
 * fall outside it: those are drawn again). */
static int64_t draw_moment(struct year *y, struct rng *r, enum kind kind, int64_t day)
{
	int64_t utc = 0;
	for (int tries = 0; tries < 50; tries++) {
		int64_t hour = (int64_t)pick(r, hour_weight[kind], 24);
		int64_t sec = below(r, 3600);
		utc = utc_from_local(day * KT_US_PER_DAY + hour * US_HOUR + sec * KT_US_PER_SEC);
		if (utc >= y->start && utc <= y->end)
			return utc;
	}
	return utc < y->start ? y->start : y->end - (y->end % KT_US_PER_SEC);
}

/* Days from occurrence to registration: mostly the same or the next day. */
static uint8_t draw_lag(struct rng *r)
{
	double u = uniform(r);
	if (u < 0.55)
		return 0;
	if (u < 0.80)
		return 1;
	if (u < 0.92)
		return (uint8_t)(2 + below(r, 5));
	return (uint8_t)(7 + below(r, 24));
}

/* Natural days to close: 15 % are settled within three days (log-uniform
 * from an hour), the rest log-normal with a median of 24 days. */
static double draw_days(struct rng *r)
{
	if (chance(r, 0.15))
		return expo(between(r, ln(1.0 / 24), ln(3.0)));
	return lognormal(r, 24, 1.3);
}

/* The profile of helse og omsorg, whose count is given. */
static size_t helse_omsorg(void)
{
	size_t a = 0;
	while (a + 1 < PROFILES && strcmp(profiles[a].key, "helse_omsorg") != 0)
		a++;
	return a;
}

/* Exact counts per area: helse og omsorg as given, the rest in proportion
 * to the areas' employees (largest remainder, ties to the earlier area). */
static void area_counts(const struct kt_generate_params *p, uint32_t counts[PROFILES])
{
	uint32_t rest = p->count - p->helse_omsorg, given = 0;
	uint64_t staff = 0, rem[PROFILES];
	size_t ho = helse_omsorg();
	for (size_t a = 0; a < PROFILES; a++)
		if (a != ho)
			staff += profiles[a].employees;
	for (size_t a = 0; a < PROFILES; a++) {
		if (a == ho) {
			counts[a] = p->helse_omsorg;
			rem[a] = 0;
			continue;
		}
		uint64_t x = (uint64_t)rest * profiles[a].employees;
		counts[a] = (uint32_t)(x / staff);
		rem[a] = x % staff;
		given += counts[a];
	}
	while (given < rest) {
		size_t best = ho == 0 ? 1 : 0;
		for (size_t a = 0; a < PROFILES; a++)
			if (a != ho && rem[a] > rem[best])
				best = a;
		counts[best]++;
		rem[best] = 0;
		given++;
	}
}

static int by_registration(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;
	if (x->registered != y->registered)
		return x->registered < y->registered ? -1 : 1;
	return (x->draw > y->draw) - (x->draw < y->draw);
}

struct ranked {
	double key;
	uint32_t index;
};

static int by_key(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Draw every incident's area, unit, category, registration and natural
 * days to close; sort by registration. */
static int draw_incidents(struct year *y, struct rng *r)
{
	const struct kt_generate_params *p = y->p;
	uint32_t counts[PROFILES];
	area_counts(p, counts);
	uint8_t *areas = malloc(p->count);
	if (!areas)
		return KT_ENOMEM;
	uint32_t n = 0;
	for (size_t a = 0; a < PROFILES; a++)
		for (uint32_t k = 0; k < counts[a]; k++)
			areas[n++] = (uint8_t)a;
	for (uint32_t k = n; k > 1; k--) {
		uint32_t j = below(r, k);
		uint8_t t = areas[k - 1];
		areas[k - 1] = areas[j];
		areas[j] = t;
	}
	for (uint32_t i = 0; i < p->count; i++) {
		struct plan *pl = &y->plans[i];
		const struct area_profile *prof = &profiles[areas[i]];
		memset(pl, 0, sizeof *pl);
		pl->draw = i;
		pl->area = areas[i];
		pl->unit = y->units[areas[i]][pick(r, y->unit_w[areas[i]], y->n_units[areas[i]])];
		pl->category = below(r, 1000) < prof->forbedring_permille ? KT_CATEGORY_FORBEDRING
									  : KT_CATEGORY_AVVIK;
		pl->registered = draw_moment(y, r, prof->kind, draw_day(y, r, prof->kind));
		pl->lag = pl->category == KT_CATEGORY_FORBEDRING ? 0 : draw_lag(r);
		pl->days = draw_days(r);
	}
	free(areas);
	qsort(y->plans, p->count, sizeof *y->plans, by_registration);
	return KT_OK;
}

static int64_t whole_seconds(double us)
{
	int64_t v = (int64_t)us;
	return v - v % KT_US_PER_SEC;
}

/*
 * Which incidents are open at the end of the year: those whose natural
 * closure lies furthest beyond it relative to their days to close — the
 * smallest (end − registered) / days — exactly open_at_end of them. Each is
 * closed during the next year; the others within this one (an incident
 * that would naturally close later is closed within the time left).
 */
static int decide_closures(struct year *y, struct rng *r)
{
	const struct kt_generate_params *p = y->p;
	struct ranked *rank = malloc((size_t)p->count * sizeof *rank);
	if (!rank)
		return KT_ENOMEM;
	for (uint32_t i = 0; i < p->count; i++) {
		double left = (double)(y->end - y->plans[i].registered) / (double)KT_US_PER_DAY;
		rank[i] = (struct ranked){ left / y->plans[i].days, i };
	}
	qsort(rank, p->count, sizeof *rank, by_key);
	for (uint32_t k = 0; k < p->open_at_end; k++)
		y->plans[rank[k].index].flags |= F_OPEN;
	free(rank);

	/* Latest closure for the open ones: a day before the end of next year. */
	int64_t next_end = y->end + 365 * KT_US_PER_DAY - KT_US_PER_DAY;
	for (uint32_t i = 0; i < p->count; i++) {
		struct plan *pl = &y->plans[i];
		double natural = (double)pl->registered + pl->days * (double)KT_US_PER_DAY;
		int64_t c;
		if (pl->flags & F_OPEN) {
			if (natural <= (double)y->end)
				natural =
				    (double)y->end + lognormal(r, 30, 1.0) * (double)KT_US_PER_DAY;
			if (natural >= (double)next_end)
				natural =
				    (double)y->end + between(r, 120, 360) * (double)KT_US_PER_DAY;
			c = whole_seconds(natural);
			if (c <= y->end)
				c = y->end + 1;
		} else {
			if (natural > (double)y->end)
				natural = (double)pl->registered +
					  (double)(y->end - pl->registered) * between(r, 0.5, 0.95);
			c = whole_seconds(natural);
			if (c < pl->registered)
				c = pl->registered;
		}
		pl->closed = c;
	}
	return KT_OK;
}

/*
 * The personvern incidents: drawn among the avvik closed within the year and
 * registered before December, weighted by area (weighted sampling without
 * replacement: the largest u^(1/w), compared as ln(u)/w). The first
 * `datatilsynet` of them, in the order drawn, are reported, a sixth of those
 * (rounded down) more than 72 hours after registration. Each is closed at least twelve days after
 * registration, within the year.
 */
static int decide_personvern(struct year *y, struct rng *r, char *why, size_t why_len)
{
	const struct kt_generate_params *p = y->p;
	if (p->personvern == 0)
		return KT_OK;
	struct ranked *rank = malloc((size_t)p->count * sizeof *rank);
	if (!rank)
		return KT_ENOMEM;
	uint32_t n = 0;
	int64_t last = y->end - 30 * KT_US_PER_DAY;
	for (uint32_t i = 0; i < p->count; i++) {
		struct plan *pl = &y->plans[i];
		if ((pl->flags & F_OPEN) || pl->category != KT_CATEGORY_AVVIK ||
		    pl->registered > last)
			continue;
		double w = profiles[pl->area].personvern;
		rank[n++] = (struct ranked){ ln(uniform(r)) / -w, i }; /* smallest first */
	}
	if (n < p->personvern) {
		free(rank);
		return failf(why, why_len,
			     "personvern: %u is more than the %u avvik closed within the year and "
			     "registered before December can hold",
			     p->personvern, n);
	}
	qsort(rank, n, sizeof *rank, by_key);
	for (uint32_t k = 0; k < p->personvern; k++) {
		struct plan *pl = &y->plans[rank[k].index];
		pl->flags |= F_PERSONVERN;
		pl->type = KT_TYPE_PERSONVERN;
		if (k < p->datatilsynet) {
			pl->flags |= F_DATATILSYNET;
			if (k < p->datatilsynet / 6)
				pl->flags |= F_LATE;
		}
		int64_t least = pl->registered + 12 * KT_US_PER_DAY;
		if (pl->closed < least)
			pl->closed = least;
	}
	free(rank);
	return KT_OK;
}

/* Type and severity of every incident that is not personvern. */
static void decide_types(struct year *y, struct rng *r)
{
	for (uint32_t i = 0; i < y->p->count; i++) {
		struct plan *pl = &y->plans[i];
		const struct area_profile *prof = &profiles[pl->area];
		if (pl->flags & F_PERSONVERN) {
			/* Reported ones are the serious ones. */
			pl->severity = (pl->flags & F_DATATILSYNET) ? (uint8_t)(3 + below(r, 2))
								    : (uint8_t)(1 + below(r, 2));
			continue;
		}
		if (pl->category == KT_CATEGORY_FORBEDRING) {
			unsigned w[KT_TYPES];
			memcpy(w, forbedring_types, sizeof w);
			if (prof->types[KT_TYPE_PASIENT] == 0)
				w[KT_TYPE_PASIENT] = 0;
			pl->type = (uint8_t)pick(r, w, KT_TYPES);
			pl->severity = chance(r, 0.7) ? 1 : 2;
			continue;
		}
		pl->type = (uint8_t)pick(r, prof->types, KT_TYPES);
		pl->severity = (uint8_t)(1 + pick(r, severities[pl->type], 4));
	}
}

/* ---- msgpack payloads ----------------------------------------------------- */

/* A tiny writer for the payloads' maps of strings and small integers. */
static int mp_bytes(struct kt_buf *b, const void *bytes, size_t n)
{
	return kt_buf_append(b, bytes, n);
}

static int mp_map(struct kt_buf *b, unsigned n)
{
	uint8_t h = (uint8_t)(0x80 | n); /* every payload has < 16 fields */
	return mp_bytes(b, &h, 1);
}

static int mp_str(struct kt_buf *b, const char *s)
{
	size_t n = strlen(s);
	uint8_t h[3];
	size_t hl;
	if (n < 32) {
		h[0] = (uint8_t)(0xa0 | n);
		hl = 1;
	} else if (n < 256) {
		h[0] = 0xd9;
		h[1] = (uint8_t)n;
		hl = 2;
	} else {
		h[0] = 0xda;
		h[1] = (uint8_t)(n >> 8);
		h[2] = (uint8_t)n;
		hl = 3;
	}
	int rc = mp_bytes(b, h, hl);
	return rc ? rc : mp_bytes(b, s, n);
}

static int mp_kv(struct kt_buf *b, const char *key, const char *value)
{
	int rc = mp_str(b, key);
	return rc ? rc : mp_str(b, value);
}

static int mp_kint(struct kt_buf *b, const char *key, unsigned v)
{
	uint8_t x = (uint8_t)v; /* a positive fixint: severity 1–4 */
	int rc = mp_str(b, key);
	return rc ? rc : mp_bytes(b, &x, 1);
}

/* ---- one incident's lifecycle ------------------------------------------- */

enum step_kind {
	S_REPORTED,
	S_TRIAGED,
	S_ASSIGNED,
	S_ACTION_ADDED,
	S_ACTION_COMPLETED,
	S_EXTERNAL,
	S_NOT_REQUIRED,
	S_CLOSED,
	S_REOPENED,
};

static const char *const step_types[] = {
	[S_REPORTED] = KT_EV_INCIDENT_REPORTED,
	[S_TRIAGED] = KT_EV_INCIDENT_TRIAGED,
	[S_ASSIGNED] = KT_EV_INCIDENT_ASSIGNED,
	[S_ACTION_ADDED] = KT_EV_INCIDENT_ACTION_ADDED,
	[S_ACTION_COMPLETED] = KT_EV_INCIDENT_ACTION_COMPLETED,
	[S_EXTERNAL] = KT_EV_INCIDENT_REPORTED_EXTERNAL,
	[S_NOT_REQUIRED] = KT_EV_INCIDENT_EXTERNAL_NOT_REQ,
	[S_CLOSED] = KT_EV_INCIDENT_CLOSED,
	[S_REOPENED] = KT_EV_INCIDENT_REOPENED,
};

/* Most steps one incident has: report, two triages, assignment, four actions
 * added and completed, three outside bodies, two closures, a reopening. */
#define STEPS_MAX 24

struct step {
	int64_t at;
	enum step_kind kind;
	unsigned order; /* insertion order: ties keep it */
	int a, b;	/* triaged: type, severity; action: number; external: recipient */
	int64_t due;	/* action_added: the due day */
	const char *text;
	const char *actor;
};

struct life {
	struct step steps[STEPS_MAX];
	unsigned n;
	char handler[64], handler_actor[64], reporter[24];
};

static struct step *add_step(struct life *l, enum step_kind kind, int64_t at, const char *actor)
{
	struct step *s = &l->steps[l->n];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->at = whole_seconds((double)at);
	s->order = l->n++;
	s->actor = actor;
	return s;
}

static int by_time(const void *a, const void *b)
{
	const struct step *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static void set_handler(struct life *l, const struct plan *pl, struct rng *r)
{
	unsigned k = below(r, HANDLERS_PER_UNIT);
	const char *first = first_names[(pl->unit * 7u + k * 13u) % FIRST_NAMES];
	const char *last = last_names[(pl->unit * 11u + k * 5u) % LAST_NAMES];
	snprintf(l->handler, sizeof l->handler, "%s %s", first, last);
	size_t n = 0;
	for (const char *s = first; *s && n + 1 < sizeof l->handler_actor; s++)
		l->handler_actor[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
	l->handler_actor[n++] = '.';
	for (const char *s = last; *s && n + 1 < sizeof l->handler_actor; s++)
		l->handler_actor[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
	l->handler_actor[n] = 0;
}

/* Actions added in [from, until), each completed before until. Returns how
 * many were late. */
static unsigned add_actions(struct life *l, struct rng *r, unsigned n, unsigned first_label,
			    int64_t from, int64_t until)
{
	double at[4];
	unsigned late = 0;
	for (unsigned k = 0; k < n; k++)
		at[k] = between(r, 0.02, 0.5);
	for (unsigned k = 1; k < n; k++) /* in order, so T1 is added first */
		for (unsigned j = k; j > 0 && at[j] < at[j - 1]; j--) {
			double t = at[j];
			at[j] = at[j - 1];
			at[j - 1] = t;
		}
	for (unsigned k = 0; k < n; k++) {
		int64_t added = from + (int64_t)((double)(until - from) * at[k]);
		int64_t done = added + (int64_t)((double)(until - added) * between(r, 0.3, 0.97));
		/* The due day allows 0.6–2.5 times what completion took: a fifth
		 * are completed late. */
		double took = (double)(done - added) / (double)KT_US_PER_DAY;
		int64_t due = local_day(added) + 1 + (int64_t)(took * between(r, 0.6, 2.5));
		struct step *s = add_step(l, S_ACTION_ADDED, added, l->handler_actor);
		s->a = (int)(first_label + k);
		s->due = due;
		s->text = one_of(r, action_texts);
		s = add_step(l, S_ACTION_COMPLETED, done, l->handler_actor);
		s->a = (int)(first_label + k);
		late += local_day(s->at) > due;
	}
	return late;
}

static unsigned action_count(struct rng *r, const struct plan *pl, int64_t span)
{
	static const unsigned avvik[4] = { 30, 42, 20, 8 }, serious[4] = { 10, 40, 32, 18 },
			      forbedring[4] = { 45, 45, 10, 0 };
	if (span < 2 * KT_US_PER_DAY)
		return 0;
	if (pl->category == KT_CATEGORY_FORBEDRING)
		return (unsigned)pick(r, forbedring, 4);
	return (unsigned)pick(r, pl->severity >= 3 ? serious : avvik, 4);
}

/* Counts the lifecycle adds to the result. */
struct life_counts {
	uint64_t actions, actions_late, external[KT_RECIPIENTS], not_required, reopened;
};

/*
 * The steps of one incident between its registration and its final
 * closure: triage (sometimes twice), assignment, 0–3 actions, reports to
 * outside bodies or the judgement that none is required, closure, and for a
 * few closed within the year a reopening with one more action.
 */
static void plan_life(struct life *l, const struct plan *pl, struct rng *r, struct life_counts *c)
{
	int64_t R = pl->registered, C = pl->closed;
	enum kind kind = profiles[pl->area].kind;
	const struct texts *t =
	    pl->category == KT_CATEGORY_FORBEDRING ? &forbedring_texts : &reported_texts[pl->type];
	l->n = 0;
	snprintf(l->reporter, sizeof l->reporter, "ansatt-%05u", 1 + below(r, 15136));
	set_handler(l, pl, r);
	struct step *s = add_step(l, S_REPORTED, R, l->reporter);
	s->text = text_for(r, t, kind);

	/* A reopening: 3.5 % of those closed within the year, not personvern. */
	int reopen =
	    !(pl->flags & (F_OPEN | F_PERSONVERN)) && C - R > 4 * KT_US_PER_DAY && chance(r, 0.035);
	int64_t end1 = reopen ? R + (int64_t)((double)(C - R) * between(r, 0.45, 0.7)) : C;
	int64_t span = end1 - R;

	int64_t tri, asg;
	if (pl->flags & F_PERSONVERN) {
		tri = R + (int64_t)(between(r, 0.5, 12) * (double)US_HOUR);
		if (chance(r, 0.25)) { /* first seen as an information security matter */
			s = add_step(l, S_TRIAGED, tri, l->handler_actor);
			s->a = KT_TYPE_INFOSIKKERHET;
			s->b = pl->severity;
			tri += (int64_t)(between(r, 0.5, 6) * (double)US_HOUR);
		}
	} else {
		double h = lognormal(r, 18, 1.0) * (double)US_HOUR;
		tri = R + (int64_t)(h < 0.25 * (double)span ? h : 0.25 * (double)span);
	}
	struct step *triage = add_step(l, S_TRIAGED, tri, l->handler_actor);
	triage->a = pl->type;
	triage->b = pl->severity;
	double h = chance(r, 0.5) ? 60.0 * KT_US_PER_SEC : lognormal(r, 2, 1.0) * (double)US_HOUR;
	asg = tri + (int64_t)(h < 0.05 * (double)span ? h : 0.05 * (double)span);
	add_step(l, S_ASSIGNED, asg, l->handler_actor);

	/* A later triage with another severity (same type): 3 %. */
	if (!(pl->flags & F_PERSONVERN) && span > 2 * KT_US_PER_DAY && chance(r, 0.03)) {
		s = add_step(l, S_TRIAGED,
			     asg + (int64_t)((double)(end1 - asg) * between(r, 0.05, 0.3)),
			     l->handler_actor);
		s->a = pl->type;
		s->b = pl->severity;
		triage->b = pl->severity > 1 ? pl->severity - 1 : 2; /* it said otherwise */
	}

	unsigned n_actions = action_count(r, pl, span);
	c->actions += n_actions;
	c->actions_late += add_actions(l, r, n_actions, 1, asg, end1);

	/* Outside bodies. */
	if (pl->flags & F_PERSONVERN) {
		if (pl->flags & F_DATATILSYNET) {
			double hours =
			    (pl->flags & F_LATE) ? between(r, 76, 240) : between(r, 4, 70);
			int64_t at = R + (int64_t)(hours * (double)US_HOUR);
			if (at <= tri)
				at = tri + US_HOUR;
			s = add_step(l, S_EXTERNAL, at, PRIVACY_ACTOR);
			s->a = KT_RECIPIENT_DATATILSYNET;
			c->external[KT_RECIPIENT_DATATILSYNET]++;
		} else {
			s = add_step(l, S_NOT_REQUIRED,
				     tri + (int64_t)(between(r, 1, 48) * (double)US_HOUR),
				     PRIVACY_ACTOR);
			s->a = KT_RECIPIENT_DATATILSYNET;
			s->text = one_of(r, dt_not_required);
			c->not_required++;
		}
	} else if (pl->category == KT_CATEGORY_AVVIK) {
		int at_report = (pl->type == KT_TYPE_HMS &&
				 (pl->severity == 4 || (pl->severity == 3 && chance(r, 0.2)))) ||
				(pl->type == KT_TYPE_VOLD && pl->severity == 4 && chance(r, 0.5));
		int sf_report =
		    pl->type == KT_TYPE_PASIENT && ((pl->severity == 4 && chance(r, 0.4)) ||
						    (pl->severity == 3 && chance(r, 0.05)));
		int hp_report =
		    pl->type == KT_TYPE_INFOSIKKERHET && kind == KIND_CARE && chance(r, 0.15);
		int64_t room = end1 - tri;
		if (at_report) {
			double x = between(r, 2, 72) * (double)US_HOUR;
			s = add_step(l, S_EXTERNAL,
				     tri + (int64_t)(x < 0.3 * room ? x : 0.3 * room),
				     l->handler_actor);
			s->a = KT_RECIPIENT_ARBEIDSTILSYNET;
			c->external[KT_RECIPIENT_ARBEIDSTILSYNET]++;
		} else if (pl->type == KT_TYPE_HMS && pl->severity == 3 && chance(r, 0.4)) {
			s = add_step(l, S_NOT_REQUIRED, tri + room / 10, l->handler_actor);
			s->a = KT_RECIPIENT_ARBEIDSTILSYNET;
			s->text = at_not_required;
			c->not_required++;
		}
		if (sf_report) {
			double x = between(r, 1, 14) * (double)KT_US_PER_DAY;
			s = add_step(l, S_EXTERNAL,
				     tri + (int64_t)(x < 0.5 * room ? x : 0.5 * room),
				     l->handler_actor);
			s->a = KT_RECIPIENT_STATSFORVALTEREN;
			c->external[KT_RECIPIENT_STATSFORVALTEREN]++;
		}
		if (hp_report) {
			double x = between(r, 1, 48) * (double)US_HOUR;
			s = add_step(l, S_EXTERNAL,
				     tri + (int64_t)(x < 0.3 * room ? x : 0.3 * room),
				     l->handler_actor);
			s->a = KT_RECIPIENT_HELSEPLATTFORMEN;
			c->external[KT_RECIPIENT_HELSEPLATTFORMEN]++;
		}
	}

	if (reopen) {
		s = add_step(l, S_CLOSED, end1, l->handler_actor);
		s->text = one_of(r, conclusions);
		int64_t again = end1 + (int64_t)((double)(C - end1) * between(r, 0.05, 0.3));
		s = add_step(l, S_REOPENED, again, l->handler_actor);
		s->text = one_of(r, reopen_reasons);
		c->actions++;
		c->actions_late += add_actions(l, r, 1, n_actions + 1, again, C);
		c->reopened++;
	}
	s = add_step(l, S_CLOSED, C, l->handler_actor);
	s->text = pl->category == KT_CATEGORY_FORBEDRING
		      ? "Forslaget er tatt inn i enhetens forbedringsarbeid."
		      : one_of(r, conclusions);
	qsort(l->steps, l->n, sizeof l->steps[0], by_time);
}

/* The payload of one step. */
static int payload(struct kt_buf *b, const struct step *s, const struct plan *pl,
		   const struct year *y, const char *number, const struct life *l)
{
	char day[11], label[16];
	int rc = 0;
	switch (s->kind) {
	case S_REPORTED:
		format_day(local_day(pl->registered) - pl->lag, day);
		if ((rc = mp_map(b, 6)) || (rc = mp_kv(b, "number", number)) ||
		    (rc = mp_kv(b, "category", kt_category_key(pl->category))) ||
		    (rc = mp_kv(b, "unit", kt_unit_at(pl->unit)->name)) ||
		    (rc = mp_kv(b, "area", kt_area_at((size_t)y->areas[pl->area])->key)) ||
		    (rc = mp_kv(b, "occurred", day)))
			return rc;
		return mp_kv(b, "text", s->text);
	case S_TRIAGED:
		if ((rc = mp_map(b, 2)) ||
		    (rc = mp_kv(b, "type", kt_incident_type_key((enum kt_incident_type)s->a))))
			return rc;
		return mp_kint(b, "severity", (unsigned)s->b);
	case S_ASSIGNED:
		return (rc = mp_map(b, 1)) ? rc : mp_kv(b, "handler", l->handler);
	case S_ACTION_ADDED:
		snprintf(label, sizeof label, "T%d", s->a);
		format_day(s->due, day);
		if ((rc = mp_map(b, 4)) || (rc = mp_kv(b, "action", label)) ||
		    (rc = mp_kv(b, "text", s->text)) || (rc = mp_kv(b, "due", day)))
			return rc;
		return mp_kv(b, "responsible", l->handler);
	case S_ACTION_COMPLETED:
		snprintf(label, sizeof label, "T%d", s->a);
		return (rc = mp_map(b, 1)) ? rc : mp_kv(b, "action", label);
	case S_EXTERNAL:
		return (rc = mp_map(b, 1))
			   ? rc
			   : mp_kv(b, "recipient", kt_recipient_key((enum kt_recipient)s->a));
	case S_NOT_REQUIRED:
		if ((rc = mp_map(b, 2)) ||
		    (rc = mp_kv(b, "recipient", kt_recipient_key((enum kt_recipient)s->a))))
			return rc;
		return mp_kv(b, "reason", s->text);
	case S_CLOSED:
		return (rc = mp_map(b, 1)) ? rc : mp_kv(b, "conclusion", s->text);
	case S_REOPENED:
		return (rc = mp_map(b, 1)) ? rc : mp_kv(b, "reason", s->text);
	}
	return KT_EINVAL;
}

/* A UUIDv7 for a step: its effective millisecond and 74 bits from r. */
static void make_id(struct rng *r, int64_t at, uint8_t id[16])
{
	uint64_t ms = (uint64_t)(at / 1000), a = next(r), b = next(r);
	for (int k = 0; k < 6; k++)
		id[k] = (uint8_t)(ms >> (40 - 8 * k));
	id[6] = (uint8_t)(0x70 | (a & 0x0f));
	id[7] = (uint8_t)(a >> 8);
	id[8] = (uint8_t)(0x80 | ((a >> 16) & 0x3f));
	for (int k = 0; k < 7; k++)
		id[9 + k] = (uint8_t)(b >> (8 * k));
}

/* ---- writing -------------------------------------------------------------- */

static double nearest_rank(double *v, size_t n, unsigned percent)
{
	if (!n)
		return 0;
	size_t rank = (n * percent + 99) / 100;
	return v[rank ? rank - 1 : 0];
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The result's figures that follow from the plan alone. */
static int count_plan(const struct year *y, struct kt_generate_result *res)
{
	double *days = malloc((size_t)y->p->count * sizeof *days);
	size_t n = 0;
	if (!days)
		return KT_ENOMEM;
	for (uint32_t i = 0; i < y->p->count; i++) {
		const struct plan *pl = &y->plans[i];
		res->area[y->areas[pl->area]]++;
		res->type[pl->type]++;
		res->forbedring += pl->category == KT_CATEGORY_FORBEDRING;
		res->open_at_end += (pl->flags & F_OPEN) != 0;
		res->personvern += (pl->flags & F_PERSONVERN) != 0;
		res->datatilsynet += (pl->flags & F_DATATILSYNET) != 0;
		res->datatilsynet_late += (pl->flags & F_LATE) != 0;
		if (!(pl->flags & F_OPEN))
			days[n++] = (double)(pl->closed - pl->registered) / (double)KT_US_PER_DAY;
	}
	res->helse_omsorg = res->area[y->areas[helse_omsorg()]];
	qsort(days, n, sizeof *days, cmp_double);
	res->close_days_median = nearest_rank(days, n, 50);
	res->close_days_p90 = nearest_rank(days, n, 90);
	free(days);
	return KT_OK;
}

/* Build and append the events of incident i (number i + 1). */
static int write_incident(kt_store *s, const struct year *y, uint32_t i, struct kt_buf *arena,
			  struct kt_generate_result *res, struct life_counts *lc, char *why,
			  size_t why_len)
{
	const struct plan *pl = &y->plans[i];
	struct rng r;
	struct life l;
	struct kt_event ev[STEPS_MAX];
	size_t off[STEPS_MAX + 1];
	char number[KT_INCIDENT_NUMBER_SIZE];
	char stream[sizeof KT_INCIDENT_STREAM_PREFIX + KT_INCIDENT_NUMBER_SIZE];
	int rc;

	kt_incident_number_format(y->p->year, i + 1, number);
	snprintf(stream, sizeof stream, "%s%s", KT_INCIDENT_STREAM_PREFIX, number);
	rng_seed(&r, y->p->seed, (uint64_t)y->p->year, (uint64_t)i + 1);
	plan_life(&l, pl, &r, lc);

	kt_buf_reset(arena);
	for (unsigned k = 0; k < l.n; k++) {
		off[k] = arena->len;
		if ((rc = payload(arena, &l.steps[k], pl, y, number, &l)))
			return rc;
	}
	off[l.n] = arena->len;
	for (unsigned k = 0; k < l.n; k++) {
		const struct step *st = &l.steps[k];
		const char *type = step_types[st->kind];
		memset(&ev[k], 0, sizeof ev[k]);
		make_id(&r, st->at, ev[k].id);
		ev[k].type = type;
		ev[k].type_len = strlen(type);
		ev[k].effective = st->at;
		ev[k].actor = st->actor;
		ev[k].actor_len = strlen(st->actor);
		ev[k].data = arena->data + off[k];
		ev[k].data_len = off[k + 1] - off[k];
		if ((rc = kt_catalogue_check(type, ev[k].type_len, ev[k].data, ev[k].data_len, why,
					     why_len)))
			return rc; /* a bug in this file: every payload must pass */
	}
	struct kt_append_result ar;
	if ((rc = kt_store_append(s, stream, KT_VERSION_NONE, ev, l.n, &ar))) {
		if (rc == KT_EVERSION)
			failf(why, why_len, "%s exists already", number);
		return rc;
	}
	if (!res->first_position)
		res->first_position = ar.first_position;
	res->last_position = ar.last_position;
	res->incidents++;
	res->events += l.n;
	return KT_OK;
}

int kt_generate_incidents(kt_store *s, const struct kt_generate_params *p,
			  struct kt_generate_result *res, kt_generate_progress_fn progress,
			  void *ctx, char *why, size_t why_len)
{
	struct kt_generate_result scratch;
	struct year y;
	struct rng r;
	struct kt_buf arena = KT_BUF_INIT(STEPS_MAX * (size_t)KT_DATA_MAX);
	struct life_counts lc;
	int rc;

	if (!res)
		res = &scratch;
	memset(res, 0, sizeof *res);
	memset(&lc, 0, sizeof lc);
	if ((rc = kt_generate_check(p, why, why_len)))
		return rc;
	memset(&y, 0, sizeof y);
	y.p = p;
	y.start = kt_time_days_from_civil(p->year, 1, 1) * KT_US_PER_DAY;
	y.end = kt_time_days_from_civil(p->year + 1, 1, 1) * KT_US_PER_DAY - 1;
	y.plans = malloc((size_t)p->count * sizeof *y.plans);
	if (!y.plans) {
		rc = KT_ENOMEM;
		goto out;
	}
	rng_seed(&r, p->seed, (uint64_t)p->year, 0);
	if ((rc = setup_units(&y)) || (rc = setup_days(&y)) || (rc = draw_incidents(&y, &r)) ||
	    (rc = decide_closures(&y, &r)) || (rc = decide_personvern(&y, &r, why, why_len)))
		goto out;
	decide_types(&y, &r);
	if ((rc = count_plan(&y, res)))
		goto out;
	for (uint32_t i = 0; i < p->count; i++) {
		if ((rc = write_incident(s, &y, i, &arena, res, &lc, why, why_len)))
			goto out;
		if (progress && (i + 1) % 1000 == 0 && progress(ctx, i + 1, p->count)) {
			rc = EINTR;
			goto out;
		}
	}
	if (progress)
		progress(ctx, p->count, p->count);
out:
	res->actions = lc.actions;
	res->actions_late = lc.actions_late;
	memcpy(res->external, lc.external, sizeof res->external);
	res->not_required = lc.not_required;
	res->reopened = lc.reopened;
	kt_buf_free(&arena);
	year_free(&y);
	return rc;
}

/* ---- what the store holds already ---------------------------------------- */

int kt_generate_existing(kt_store *s, int year, uint32_t count,
			 char number[KT_INCIDENT_NUMBER_SIZE])
{
	struct kt_incidents m;
	struct kt_replay_query q = { KT_TIME_MAX, KT_TIME_MAX, 1, 0, NULL, NULL };
	char found[KT_INCIDENT_NUMBER_SIZE] = "";
	kt_incidents_init(&m);
	int rc = kt_replay(s, &kt_incidents_projection, &m, &q, NULL);
	for (size_t k = 0; !rc && k < m.n && !*found; k++)
		if (m.items[k].year == year)
			memcpy(found, m.items[k].number, sizeof found);
	kt_incidents_free(&m);
	if (rc)
		return rc;

	kt_reader *reader;
	if (!*found && (rc = kt_reader_begin(s, &reader)) == 0) {
		char stream[sizeof KT_INCIDENT_STREAM_PREFIX + KT_INCIDENT_NUMBER_SIZE];
		for (uint32_t seq = 1; !rc && seq <= count && !*found; seq++) {
			uint64_t version;
			char n[KT_INCIDENT_NUMBER_SIZE];
			kt_incident_number_format(year, seq, n);
			snprintf(stream, sizeof stream, "%s%s", KT_INCIDENT_STREAM_PREFIX, n);
			rc = kt_reader_stream_version(reader, stream, &version);
			if (!rc && version)
				memcpy(found, n, sizeof found);
		}
		kt_reader_end(reader);
	}
	if (rc)
		return rc;
	if (!*found)
		return KT_OK;
	if (number)
		memcpy(number, found, KT_INCIDENT_NUMBER_SIZE);
	return KT_EEXIST;
}
