#!/usr/bin/env bash
# The tour of README.md on a fresh demo store: six of the 2025 supervisory
# inspections of the annual report (chapter "Rapportering av statlige
# tilsyn"), recorded step by step with the inspection commands as a quality
# adviser would, then the views a manager and an auditor use; then two
# generated years of Kvaliteket incidents (2024 and 2025, which reproduce the
# report's figures), the statistics the report prints, and one incident
# handled by hand; then four goals with their indicators, measurements and
# assessments, the goal listing and summary, and a plot; last a key pair,
# a seal of the log and a verify of the chain and the seal.
# Dates the report does not give (most closures) are left to the command's
# default, today's date; the report's own wording is kept in the texts.
# Usage: scripts/demo.sh KONTROLL_BINARY [STORE]
set -euo pipefail
k=$1
db=${2:-demo.db}
rm -f "$db" "$db-lock"
export KONTROLL_DB=$db KONTROLL_ACTOR=kvalitetsradgiver

# say ARGS: print the command as one would type it (quoting what has spaces), then run it.
say() {
	local a line="kontroll"
	for a in "$@"; do
		case $a in *[[:space:]]*) line+=" \"$a\"" ;; *) line+=" $a" ;; esac
	done
	printf '\n$ %s\n' "$line"
	"$k" "$@"
}
quiet() { "$k" "$@" >/dev/null; }
open() { "$k" inspection open "$@"; }

"$k" init >/dev/null
echo "created $db; recording six inspections of 2025 …"

# Arkivverket: deviation found, the requirement waived, closed.
arkiv=$(open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --kind dokumenttilsyn --date 2025-03-20)
quiet inspection finding "$arkiv" --kind avvik --date 2025-03-20 \
	--text "Ca 46 000 papir- og 10 000 elektroniske dokumenter i ESA stod med feil status"
quiet inspection waive "$arkiv" --finding F1 \
	--reason "Arkivverket støttet kommunens risikovurdering og frafalt kravet om opprydding"
quiet inspection close "$arkiv" --text "Tilsynet er nå avsluttet"

# Luftfartstilsynet: deviations followed up at once, closed in August.
luft=$(open --authority Luftfartstilsynet --unit "Trondheim eiendom" --law Luftfartsloven \
	--theme "Forskrift om ubemannede luftfartøyer" --kind "stedlig tilsyn" --date 2025-05-15)
quiet inspection finding "$luft" --kind avvik --date 2025-05-15 \
	--text "Avvik knyttet til operasjonsplanlegging av droneoperasjoner"
quiet inspection respond "$luft" --kind action_plan --date 2025-06-01 \
	--text "Revidert risikovurdering (SORA), bedre dokumentasjon og opplæring av piloter"
quiet inspection close "$luft" --date 2025-08-01 --text "Avsluttet uten utestående avvik"

# Arbeidstilsynet at Krisesenteret: three pålegg, the first fulfilled.
krise=$(open --authority Arbeidstilsynet --unit "Krisesenteret i Trondheim" \
	--law Arbeidsmiljøloven --kind "stedlig tilsyn" --date 2025-05-21 \
	--theme "Muskel- og skjelettplager og psykiske plager")
for text in "Tiltak og plan for å sikre forsvarlige arbeidslokaler" \
	"Sikring av arbeidsforhold i sammenheng med bygging av nytt krisesenter" \
	"Involvering av BHT, ansatte og verneombud i pålegg 1 og 2"; do
	f=$("$k" inspection finding "$krise" --kind lovbrudd --date 2025-05-21 --text "$text" \
		--legal-ref Arbeidsmiljøloven)
	quiet inspection order "$krise" --finding "${f##*/}" --date 2025-05-21 --text "$text" \
		--deadline "innen medio juni 2026"
done
quiet inspection fulfil "$krise" --order P1 --date 2025-12-01 \
	--text "Vurdert som oppfylt av Arbeidstilsynet"

# Statsforvalteren at Lerkendal: lovbrudd, a response due February 2026.
lerk=$(open --authority Statsforvalteren --unit "Lerkendal BoA" \
	--law "Helse- og omsorgstjenesteloven" --theme "Systemrevisjon" \
	--kind "hendelsesbasert tilsyn" --date 2025-09-01)
quiet inspection finding "$lerk" --kind lovbrudd --date 2025-09-01 \
	--text "Mangler system for å sikre forsvarlige tjenester til personer med utviklingshemming"
quiet inspection order "$lerk" --kind svarfrist --finding F1 --date 2025-09-01 \
	--text "Svare ut tilsynet" --deadline "februar 2026"

# Statens vegvesen: closed and transferred to P-Norge AS.
park=$(open --authority "Statens vegvesen" --unit "Trondheim parkering" \
	--law Parkeringsforskriften --theme Vilkårsparkering --date 2025-07-02)
quiet inspection notify "$park" --date 2025-07-02 --text "Varslet tilsyn med vilkårsparkering"
quiet inspection transfer "$park" --to "P-Norge AS" \
	--text "Lukket og overført til det ansvarlige selskapet"

# Barnevern: a self-inspection running over the whole year.
quiet inspection open --authority Statsforvalteren --unit "Barne- og familietjenesten" \
	--law Barnevernloven --kind egentilsyn --date 2025-01-01..2025-12-31 \
	--theme "Landsomfattende tilsyn 2024 - egenkontroll, undersøkelser"

say inspections
say orders --as-of 2025-12-31
say inspection show "$krise"
echo
echo "# a step that contradicts the case is refused, and nothing is written:"
say inspection close "$krise" || true

echo
echo "# two years of Kvaliteket incidents, generated with full lifecycles (docs/generator.md) …"
"$k" generate incidents --year 2024 --year 2025 --seed 1 --quiet
say incidents stats --year 2025
say incidents --late-external --as-of 2025-12-31
say incidents --unit "Klæbu helse- og velferdssenter" --overdue --as-of 2025-12-31 --limit 5

echo
echo "# one incident by hand: a personvern deviation reported to Datatilsynet after 80 hours"
h=$("$k" incident report --category avvik --unit "Klæbu helse- og velferdssenter" \
	--occurred 2026-01-12 --registered 2026-01-12T09:00:00Z \
	--text "Pasientliste sendt til feil mottaker på e-post")
echo "$h"
quiet incident triage "$h" --type personvern --severity 3 --at 2026-01-12T11:00:00Z
quiet incident assign "$h" --handler "Personvernombud" --at 2026-01-12T11:05:00Z
quiet incident action "$h" --text "Gjennomgå rutinen for utsending" --due 2026-02-15 \
	--at 2026-01-13T08:00:00Z
"$k" incident external "$h" --to datatilsynet --reference 26/00112 \
	--at 2026-01-15T17:00:00Z >/dev/null
say incident show "$h"

echo
echo "# goal achievement (måloppnåelse): four goals of chapters 1, 9 and 10, measured and assessed"
# Chapter 10, Mål 1 (lines 2172-2178): 11,2 % in 2024, one point down a year towards 2028.
syk=$("$k" goal define --area finans --level mål --title "Mål 1" --text "Redusere sykefraværet" \
	--period 2025-2028 --indicator Sykefravær --unit % --direction lower \
	--baseline 11.2 --baseline-date 2024-12-31 --target 2025=10.2 --target 2026=9.2 \
	--target 2027=8.2 --target 2028=7.2 --source "Årsberetning 2025, kapittel 10")
quiet goal measure "$syk" --value 10.8 --date 2025-12-31 --source "Årsberetning 2025"
quiet goal assess "$syk" --year 2025 --status "Målet er ikke oppnådd" \
	--text "I 2025 sank fraværet fra 11,2 % til 10,8 %; målet på 10,2 % ble ikke nådd"
# Chapter 9 (lines 2057-2064): housing with services, at most six months (taken as 183
# days), assessed apart for the two services; the report gives median and mean waits.
bolig=$("$k" goal define --area "sosiale tjenester" --level mål --period 2025 \
	--text "Ventetiden for bolig med tjenester skal ikke være over seks måneder")
for part in "bo- og aktivitetstilbudet" "psykisk helse og rustjenester"; do
	for what in Median Gjennomsnittlig; do
		quiet goal indicator "$bolig" --name "$what ventetid, $part" --unit dager \
			--direction lower --target 2025=183 --part "$part"
	done
done
quiet goal measure "$bolig/I1" --value 116 --date 2025-12-31
quiet goal measure "$bolig/I2" --value 281 --date 2025-12-31
quiet goal measure "$bolig/I3" --value 159 --date 2025-12-31
quiet goal measure "$bolig/I4" --value 241 --date 2025-12-31
for part in "bo- og aktivitetstilbudet" "psykisk helse og rustjenester"; do
	quiet goal assess "$bolig" --year 2025 --part "$part" --status "Målet er delvis nådd"
done
# Chapter 9 (lines 2045-2049): start within seven working days; 21 and 8 were measured,
# and the report calls it partly met since the figures ignore patients' own wishes.
lav=$("$k" goal define --area "sosiale tjenester" --level mål --period 2025 \
	--text "Innbyggerne skal få starte på tilbudet i løpet av sju virkedager" \
	--indicator "Ventetid Rask psykisk helsehjelp" --unit virkedager --direction lower \
	--target 2025=7)
quiet goal indicator "$lav" --name "Ventetid MO-senteret" --unit virkedager --direction lower \
	--target 2025=7
quiet goal measure "$lav/I1" --value 21 --date 2025-12-31
quiet goal measure "$lav/I2" --value 8 --date 2025-12-31
quiet goal assess "$lav" --year 2025 --status "Målet er delvis nådd" \
	--text "Målet settes som delvis nådd da målingene ikke hensyntar pasientens eget ønske"
# Chapter 1 (lines 506-508): a rule the report measures but does not assess.
gjeld=$("$k" goal define --area finans --level handlingsregel --period 2025 \
	--title "Handlingsregel for gjeldsgrad" \
	--text "Gjeldsgraden skal utgjøre maksimalt 80 prosent av brutto driftsinntekter" \
	--indicator Gjeldsgrad --unit % --direction lower --target 2025=80)
quiet goal measure "$gjeld" --value 76.3 --date 2025-12-31
say goals --year 2025
say goals summary --year 2025
say goals --year 2025 --disagree
say goal show "$syk"
say goal plot "$syk" --out sykefravaer.svg

echo
echo "# the auditor's part: a key pair, a signed seal of the log, and verify against the public key"
rm -f demo-seal.key demo-seal.key.pub
"$k" keygen --out demo-seal.key
say seal --key demo-seal.key
say verify --pubkey demo-seal.key.pub
