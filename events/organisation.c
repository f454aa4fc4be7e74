/*
 * organisation.c — the areas and units of the annual report for 2025
 * (chapters 3–10 and the inspection table), checked against the document.
 */
#include "kontroll/organisation.h"

#include <string.h>

enum {
	BYRADSLEDER,
	OPPVEKST,
	HELSE,
	SOSIALE,
	KULTUR,
	BYUTVIKLING,
	MILJO,
	FINANS,
	AREAS_END /* = KT_AREAS */
};

static const struct kt_area areas[KT_AREAS] = {
	[BYRADSLEDER] = { "byradsleder", "byrådsleder", "BO-BRL" },
	[OPPVEKST] = { "oppvekst_utdanning", "oppvekst og utdanning", "BO-OU" },
	[HELSE] = { "helse_omsorg", "helse og omsorg", "BO-HO" },
	[SOSIALE] = { "sosiale_tjenester", "sosiale tjenester", "BO-SOS" },
	[KULTUR] = { "kultur_idrett_friluftsliv", "kultur, idrett og friluftsliv", "BO-KIF" },
	[BYUTVIKLING] = { "byutvikling", "byutvikling", "BO-BU" },
	[MILJO] = { "miljo_naring_samferdsel", "miljø, næring og samferdsel", "BO-MNS" },
	[FINANS] = { "finans", "finans", "BO-FIN" },
};

const char *const kt_area_keys[] = {
	"byradsleder",
	"oppvekst_utdanning",
	"helse_omsorg",
	"sosiale_tjenester",
	"kultur_idrett_friluftsliv",
	"byutvikling",
	"miljo_naring_samferdsel",
	"finans",
	NULL,
};

static const struct kt_unit units[] = {
	{ "Administrasjon og lederstøtte", BYRADSLEDER, { NULL } },
	{ "Kommunadvokaten", BYRADSLEDER, { "Kommuneadvokaten" } },
	{ "Enhet for samfunnssikkerhet og beredskap", BYRADSLEDER, { NULL } },
	{ "Kommunikasjonsenheten", BYRADSLEDER, { NULL } },
	{ "Arbeidsgiveriet", BYRADSLEDER, { NULL } },

	{ "PP-tjenesten", OPPVEKST, { "PPT" } },
	{ "PPT voksne", OPPVEKST, { NULL } },
	{ "Trondheim voksenopplæring", OPPVEKST, { "TroVo" } },
	{ "Strinda barnehager", OPPVEKST, { NULL } },
	{ "Ilabekken barnehager", OPPVEKST, { NULL } },
	{ "Ringen barnehage", OPPVEKST, { NULL } },
	{ "Stabbursmoen skole", OPPVEKST, { NULL } },
	{ "Hårstad skole", OPPVEKST, { NULL } },

	{ "Klæbu helse- og velferdssenter", HELSE, { NULL } },
	{ "Charlottenlund helse- og velferdssenter", HELSE, { NULL } },
	{ "Heimdal helse- og velferdssenter", HELSE, { NULL } },
	{ "Høyset helse- og velferdssenter", HELSE, { NULL } },
	{ "Øya helsehus", HELSE, { NULL } },
	{ "Søbstad helsehus", HELSE, { NULL } },
	{ "Trondheim rehabiliteringssenter", HELSE, { NULL } },
	{ "Enhet for legevakt, legetjenester og smittevern", HELSE, { NULL } },
	{ "Trygghetspatruljen", HELSE, { NULL } },
	{ "Produksjonskjøkkenet", HELSE, { NULL } },
	{ "Hukommelsesteamet", HELSE, { NULL } },
	{ "Helsestasjon for eldre", HELSE, { NULL } },

	{ "Lerkendal bo- og aktivitetstilbud", SOSIALE, { "Lerkendal BoA" } },
	{ "Lade bo- og aktivitetstilbud",
	  SOSIALE,
	  { "Lade bo- og aktivitetstilbud A", "Lade bo- og aktivitetstilbud b" } },
	{ "BFT Heimdal", SOSIALE, { NULL } },
	{ "BFT Lerkendal", SOSIALE, { NULL } },
	{ "BFT Midtbyen", SOSIALE, { NULL } },
	{ "BFT Østbyen", SOSIALE, { NULL } },
	{ "Helse- og avlastningstjenesten", SOSIALE, { "HOA" } },
	{ "BFT Omsorgsenheten", SOSIALE, { NULL } },
	{ "Enhet for rustjenester", SOSIALE, { NULL } },
	{ "MO-senteret", SOSIALE, { NULL } },
	{ "Rask psykisk helsehjelp", SOSIALE, { NULL } },
	{ "NAV Falkenberg", SOSIALE, { "NAV Falkeborg" } },
	{ "Krisesenteret i Trondheim", SOSIALE, { NULL } },
	{ "Flyktningehelseteamet", SOSIALE, { NULL } },
	{ "Tolketjenesten", SOSIALE, { NULL } },
	{ "Flyktningeenheten", SOSIALE, { "Flyktningsenheten" } },

	{ "Enhet for idrett og friluftsliv", KULTUR, { NULL } },
	{ "Kultursenteret ISAK", KULTUR, { NULL } },
	{ "Trondheim kulturskole", KULTUR, { NULL } },
	{ "Folkebiblioteket", KULTUR, { NULL } },
	{ "Urban fritidsklubb", KULTUR, { NULL } },
	{ "Sunnland fritidsklubb", KULTUR, { NULL } },

	{ "Byggesakskontoret", BYUTVIKLING, { NULL } },
	{ "Byplankontoret", BYUTVIKLING, { NULL } },
	{ "Enhet for kart og arkitektur", BYUTVIKLING, { NULL } },
	{ "Kommunalteknikk", BYUTVIKLING, { NULL } },
	{ "Trondheim bydrift", BYUTVIKLING, { NULL } },

	{ "Mobilitets- og samferdselsenheten", MILJO, { NULL } },
	{ "Enhet for næring og samfunnsutvikling", MILJO, { "ENS" } },
	{ "Klima- og miljøenheten", MILJO, { NULL } },
	{ "Innkjøpstjenesten", MILJO, { NULL } },
	{ "Trondheim parkering", MILJO, { NULL } },

	{ "Bedriftshelsetjenesten", FINANS, { NULL } },
	{ "Trondheim Digital", FINANS, { NULL } },
	{ "Økonomitjenesten", FINANS, { NULL } },
	{ "Regnskapstjenesten", FINANS, { NULL } },
	{ "HR-enheten", FINANS, { NULL } },
	{ "Trondheim Eiendom", FINANS, { NULL } },
	{ "Eierskapsenheten", FINANS, { "Eierskap" } },
};

#define UNITS (sizeof units / sizeof units[0])

/*
 * Fold text for matching into out: ASCII lower case, the Norwegian letters
 * to their ASCII stand-ins, and every run of spaces, '-' and '_' to one
 * space, trimmed. Returns 0, or -1 when it does not fit.
 */
static int fold(const char *text, char *out, size_t size)
{
	static const struct {
		const char *utf8;
		const char *ascii;
	} letters[] = {
		{ "\xc3\xb8", "o" },  { "\xc3\x98", "o" }, { "\xc3\xa6", "ae" },
		{ "\xc3\x86", "ae" }, { "\xc3\xa5", "a" }, { "\xc3\x85", "a" },
	};
	size_t n = 0;
	int gap = 0;
	for (const char *p = text; *p;) {
		if (*p == ' ' || *p == '-' || *p == '_') {
			gap = n > 0;
			p++;
			continue;
		}
		const char *rep = NULL;
		size_t skip = 1;
		for (size_t k = 0; k < sizeof letters / sizeof letters[0]; k++)
			if (strncmp(p, letters[k].utf8, 2) == 0) {
				rep = letters[k].ascii;
				skip = 2;
			}
		char one[2] = { *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p, 0 };
		if (!rep)
			rep = one;
		size_t len = strlen(rep);
		if (n + gap + len + 1 > size)
			return -1;
		if (gap)
			out[n++] = ' ';
		gap = 0;
		memcpy(out + n, rep, len);
		n += len;
		p += skip;
	}
	out[n] = 0;
	return 0;
}

static int same(const char *a, const char *folded_b)
{
	char fa[256];
	return a && fold(a, fa, sizeof fa) == 0 && strcmp(fa, folded_b) == 0;
}

size_t kt_area_count(void)
{
	return KT_AREAS;
}

const struct kt_area *kt_area_at(size_t i)
{
	return i < KT_AREAS ? &areas[i] : NULL;
}

int kt_area_find(const char *text)
{
	char f[256];
	if (!text || fold(text, f, sizeof f))
		return -1;
	for (size_t i = 0; i < KT_AREAS; i++)
		if (same(areas[i].key, f) || same(areas[i].name, f) || same(areas[i].code, f))
			return (int)i;
	return -1;
}

int kt_area_by_key(const char *key, size_t len)
{
	for (size_t i = 0; i < KT_AREAS; i++)
		if (strlen(areas[i].key) == len && memcmp(areas[i].key, key, len) == 0)
			return (int)i;
	return -1;
}

size_t kt_unit_count(void)
{
	return UNITS;
}

const struct kt_unit *kt_unit_at(size_t i)
{
	return i < UNITS ? &units[i] : NULL;
}

/* u is named folded: its name or one of its aliases, folded. */
static int names(const struct kt_unit *u, const char *folded)
{
	if (same(u->name, folded))
		return 1;
	for (size_t k = 0; k < KT_UNIT_ALIASES && u->aliases[k]; k++)
		if (same(u->aliases[k], folded))
			return 1;
	return 0;
}

const struct kt_unit *kt_unit_find(const char *text)
{
	char f[256];
	if (!text || fold(text, f, sizeof f))
		return NULL;
	for (size_t i = 0; i < UNITS; i++)
		if (names(&units[i], f))
			return &units[i];
	return NULL;
}

int kt_unit_is(const struct kt_unit *u, const char *text)
{
	char f[256];
	return text && fold(text, f, sizeof f) == 0 && names(u, f);
}

_Static_assert(AREAS_END == KT_AREAS, "KT_AREAS must count the areas");
