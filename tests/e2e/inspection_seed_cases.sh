#!/usr/bin/env bash
# inspection_seed_cases.sh — the odd cases of the 2025 annual report
# (seed 000_03a7f001322b5f47.txt, "Rapportering av statlige tilsyn", table
# at lines 2644–2662, texts at 2664–2791), recorded with `kontroll
# inspection …` as a quality adviser would, then read back through
# `kontroll inspections` and `kontroll orders`. Authority, unit, law, theme
# and date are the table's; steps the report leaves undated get a date
# chosen here (said where it happens).
. "$(dirname "$0")/lib.sh"

export USER=kvalitetsraadgiver
E2E_HELPERS="q rec state open_orders"

# q ARGS... — kontroll's stdout; a failure is a failed check.
q() {
	"$KONTROLL" "$@" 2>"$E2E_SCRATCH/q-err"
	local rc=$?
	_sanitizer_check "$E2E_SCRATCH/q-err" "kontroll $*"
	[ "$rc" = 0 ] || fail "kontroll $* (helper)" "exit $rc: $(cat "$E2E_SCRATCH/q-err")"
	return 0
}

# rec EXPECTED ARGS... — record one step: exit 0, nothing on stderr, and
# stdout EXPECTED (a case number or label), or an event id when EXPECTED
# is "id". Three checks.
rec() {
	local want=$1
	shift
	run inspection "$@"
	expect_exit 0
	expect_stderr_empty
	if [ "$want" = id ]; then expect_stdout_match "^$UUID_RE$"; else expect_stdout_is "$want"; fi
}

# state CASE [OPTIONS...] — "status|lovbrudd|avvik|merknad|forbedringspunkt|
# orders_open|orders_done" from `kontroll inspections --format csv`, or "absent".
state() {
	local c=$1
	shift
	q inspections --format csv "$@" | awk -F, -v c="$c" '
		$1 == c { print $(NF-6) "|" $(NF-5) "|" $(NF-4) "|" $(NF-3) "|" $(NF-2) "|" $(NF-1) "|" $NF; f = 1 }
		END { if (!f) print "absent" }'
}

# open_orders [OPTIONS...] — every row of `kontroll orders --format csv` as
# "CASE/P deadline wording days_left overdue", joined by "; ".
open_orders() {
	q orders --format csv "$@" | tail -n +2 | awk -F, '
		{ printf "%s%s/%s %s %s %s %s", (NR > 1 ? "; " : ""), $1, $2, $7, $8, $9, $10 }
		END { print "" }'
}

new_store
AT=Arbeidstilsynet
AML=Arbeidsmiljøloven
MSK="Muskel- og skjelettplager og psykiske plager - stedlig tilsyn"

# ---- lærernormen: opened on 2024 figures, followed up in 2025 (l. 2644, 2700–2704) ----

rec T-2024-001 open --authority Statsforvalteren --unit Oppvekst --law Opplæringsloven \
	--theme "Bemanningsnorm -lærer grunnskole" --date 2024 --date-text "høsten 2024" \
	--report-year 2025 --trigger "Tall for lærernormen høsten 2024: 17 skoler i Trondheim hadde avvik fra det lovpålagte forholdstallet mellom elever og lærere."
run log --stream inspection-T-2024-001 --format json
expect_stdout_match '"data":\{.*"date_from":"2024-01-01","date_precision":"year"'
expect_stdout_match '"date_text":"høsten 2024"'
expect_stdout_match '"report_year":2025'
expect_stdout_match '"effective":"2024-01-01T00:00:00\.000000Z"'
# "høsten 2024": a step's --date is a day; the autumn term starts in August.
rec T-2024-001/F1 finding T-2024-001 --kind avvik --date 2024-08-01 --legal-ref "opplæringsloven (lærernormen)" \
	--text "17 skoler hadde avvik fra det lovpålagte forholdstallet mellom elever og lærere."
rec id respond T-2024-001 --finding F1 --kind account --date 2025-03-01 \
	--text "Kommunen har redegjort for at normen vil etterleves ved oppstart av neste skoleår."

# ---- Trondheim bydrift: krav om opplysninger with frist 14.02.25 (l. 2645, 2787–2791) ----

rec T-2025-001 open --authority $AT --unit "Trondheim bydrift" --law $AML \
	--theme "Oppfølging av arbeidsulykker - stedlig tilsyn" --kind hendelsesbasert --date 2025-01-23 \
	--trigger "Arbeidsulykke 7. januar 2025: en tråkkemaskin gikk gjennom isen under løypepreparering."
rec id conduct T-2025-001 --mode meeting --date 2025-01-23 --text "Møte med befaring av tråkkemaskinen."
rec T-2025-001/P1 order T-2025-001 --kind krav_om_opplysninger --date 2025-01-23 --deadline 14.02.25 \
	--text "Krav om opplysninger, inkludert tiltak iverksatt etter ulykken."
run log --stream inspection-T-2025-001 --format json
expect_stdout_match '"deadline":"2025-02-14","deadline_text":"14\.02\.25","deadline_precision":"day"'
rec id respond T-2025-001 --order P1 --kind information --date 2025-02-14 --text "Oversendt innen fristen."
rec id fulfil T-2025-001 --order P1 --date 2025-02-14 --text "Opplysningene er mottatt."
rec id respond T-2025-001 --kind evaluation --date 2025-03-01 --text "Kommunen har svart ut en evaluering av tilsynet."
rec id close T-2025-001 --date 2025-03-01 --text "Saken er lukket."

# ---- Arkivverket: a requirement waived by the authority (l. 2647, 2670–2676) ----
# The report dates none of the steps: they carry the inspection's date.

rec T-2025-002 open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-03-20
rec T-2025-002/F1 finding T-2025-002 --kind avvik --date 2025-03-20 \
	--text "Ca 46 000 papir og 10000 elektroniske dokumenter i det avsluttede arkivsystemet (ESA) stod med feil status."
rec id respond T-2025-002 --finding F1 --kind risk_assessment --date 2025-03-20 \
	--text "Byarkivets risikovurdering: manuell retting av 46 000 feil ville være for ressurskrevende og kunne svekke arkivets autentisitet."
rec id waive T-2025-002 --finding F1 --date 2025-03-20 \
	--reason "Arkivverket støttet kommunens vurdering og frafalt kravet om opprydding." \
	--text "Arkivpersonalet gjør manuelle oppslag i papirarkivene."
rec id respond T-2025-002 --kind action_plan --date 2025-03-20 \
	--text "Fullelektronisk arkivering, ny arkivplan, opplæring; kvalitetssikringen er sentralisert."
rec id close T-2025-002 --date 2025-03-20 --text "Tilsynet er nå avsluttet."
run inspection show T-2025-002 --format json
expect_exit 0
expect_stdout_match '"findings":\[\{"label":"F1","kind":"avvik","waived":true,'
expect_stdout_match '"status":"closed"'

# ---- Luftfartstilsynet: closed "i august" (l. 2650, 2718–2722) ----

rec T-2025-003 open --authority Luftfartstilsynet --unit "Trondheim eiendom" --law Luftfartsloven \
	--theme "Forskrift om ubemannede luftfartøyer" --date 2025-05-15
rec T-2025-003/F1 finding T-2025-003 --kind avvik --date 2025-05-15 --text "Avvik knyttet til operasjonsplanlegging."
rec id respond T-2025-003 --finding F1 --kind risk_assessment --date 2025-05-15 \
	--text "Revidert risikovurdering (SORA), bedre dokumentasjon og opplæring av piloter."
# "i august": known to the month, kept with its wording.
rec id close T-2025-003 --date 2025-08 --date-text "i august" --text "Tilsynet ble offisielt avsluttet i august uten utestående avvik."

run log --stream inspection-T-2025-003 --format json
expect_stdout_match '"type":"inspection.closed".*"data":\{"date":"2025-08-01","date_precision":"month","date_text":"i august"'

# ---- Krisesenteret: three pålegg, P1 fulfilled, P2 and P3 "innen medio juni 2026" (l. 2652, 2763–2765) ----

rec T-2025-004 open --authority $AT --unit "Krisesenteret i Trondheim" --law $AML --theme "$MSK" \
	--kind "stedlig tilsyn" --date 2025-05-21
rec id conduct T-2025-004 --mode visit --date 2025-05-21
# A pålegg rests on a finding: each pålegg answers a breach (events/CATALOGUE.md).
for f in "Arbeidslokalene er ikke forsvarlige." \
	"Arbeidsforholdene under bygging av nytt krisesenter er ikke sikret." \
	"Bedriftshelsetjenesten og ansatte/verneombud er ikke involvert."; do
	run inspection finding T-2025-004 --kind lovbrudd --date 2025-05-21 --text "$f"
	expect_exit 0
done
rec T-2025-004/P1 order T-2025-004 --finding F1 --date 2025-05-21 \
	--text "Tiltak og plan for å sikre forsvarlige arbeidslokaler."
rec T-2025-004/P2 order T-2025-004 --finding F2 --date 2025-05-21 --deadline "innen medio juni 2026" \
	--text "Sikring av arbeidsforhold, i sammenheng med bygging av nytt krisesenter."
rec T-2025-004/P3 order T-2025-004 --finding F3 --date 2025-05-21 --deadline "innen medio juni 2026" \
	--text "Involvering av Bedriftshelsetjenesten i sammenheng med pålegg 2, samt involvering av ansatte/verneombud i sammenheng med pålegg 1 og 2."
run log --stream inspection-T-2025-004 --format json
expect_stdout_match '"order":"P2"\}'
expect_stdout_match '"deadline":"2026-06-15","deadline_text":"innen medio juni 2026","deadline_precision":"mid_month"'
rec id respond T-2025-004 --order P1 --kind response --date 2025-09-01 \
	--text "Tiltakene ble vurdert i samarbeid med yrkeshygieniker (BHT), verneombud og ansattes representanter."
# "er nå vurdert som oppfylt" is undated.
rec id fulfil T-2025-004 --order P1 --date 2025-12-01 --text "Vurdert som oppfylt av Arbeidstilsynet."

# ---- Lerkendal BoA: "Fristen for å svare ut tilsynet … er februar 2026" (l. 2655, 2712–2716) ----

rec T-2025-005 open --authority Statsforvalteren --unit "Lerkendal BoA" --law "Helse- og omsorgstjenesteloven" \
	--theme Systemrevisjon --kind Systemrevisjon --date 2025-06-16 \
	--trigger "Flere bekymringer og klager samt samtaler med pårørende."
rec id conduct T-2025-005 --mode visit --date 2025-09-01 --text "Hendelsesbasert tilsyn i september 2025."
rec T-2025-005/F1 finding T-2025-005 --kind lovbrudd --date 2025-09-01 --legal-ref "helse- og omsorgstjenesteloven § 4-1" \
	--text "Kommunen mangler et system for å sikre forsvarlige tjenester; forsvarlighetskravet vurderes å være brutt."
rec T-2025-005/P1 order T-2025-005 --kind svarfrist --finding F1 --date 2025-09-01 --deadline "februar 2026" \
	--text "Svare ut tilsynet."
rec id respond T-2025-005 --order P1 --kind action_plan --date 2025-11-01 \
	--text "Ledelsen har utarbeidet en konkret tiltaksplan for å sikre forsvarlige tjenester."
run log --stream inspection-T-2025-005 --format json
expect_stdout_match '"kind":"systemrevisjon"'
expect_stdout_match '"deadline":"2026-02-28","deadline_text":"februar 2026","deadline_precision":"month"'

# ---- Statens vegvesen: closed and transferred to P-Norge AS (l. 2658, 2724–2726) ----

rec T-2025-006 open --authority "Statens vegvesen" --unit "Trondheim parkering" --law Parkeringsforskriften \
	--theme Vilkårsparkering --date 2025-07-02
rec id notify T-2025-006 --date 2025-07-02 --text "Statens vegvesen varslet tilsyn med kommunens vilkårsparkering."
rec id transfer T-2025-006 --to "P-Norge AS" --date 2025-07-02 \
	--text "Lukket og overført direkte til det ansvarlige selskapet, et selvstendig rettssubjekt eid av Trondheim Parkering."

# ---- Enhet for rustjenester: no findings (l. 2659, 2773) ----

rec T-2025-007 open --authority $AT --unit "Enhet for Rustjenester" --law $AML \
	--theme "Muskel- og skjelettplager - stedlig tilsyn" --kind "stedlig tilsyn" --date 2025-08-26
rec id conduct T-2025-007 --mode visit --date 2025-08-26
rec id finding T-2025-007 --kind none --date 2025-08-26 \
	--text "Arbeidstilsynet fant ingen brudd på regelverket og ga ingen pålegg om retting."
rec id respond T-2025-007 --kind action_plan --date 2025-10-01 \
	--text "Risikovurderinger per avdeling; emosjonelle krav og tidspress i vernerundene; BHT som strategisk partner."
run log --stream inspection-T-2025-007 --format csv
expect_stdout_match ',finding\.none,'
expect_stdout_nomatch ',finding\.recorded,'

# ---- barnevern: a self-inspection over the whole year (l. 2662, 2690–2692) ----

rec T-2025-008 open --authority Statsforvalteren --unit "Barne- og familietjenesten" --law Barnevernloven \
	--theme "Landsomfattende tilsyn 2024 - egenkontroll vedr. barneverntjenestens arbeid med undersøkelser" \
	--kind egentilsyn --programme "Landsomfattende tilsyn 2024 - undersøkelser i barnevernet (2024 til 2026)" \
	--date 2025-01-01..2025-12-31
run log --stream inspection-T-2025-008 --format json
expect_stdout_match '"kind":"egenkontroll","kind_text":"egentilsyn"'
expect_stdout_match '"date_from":"2025-01-01","date_to":"2025-12-31"'
rec id conduct T-2025-008 --mode self_assessment --date 2025-01-01 --date-to 2025-12-31 \
	--text "BFT Heimdal, BFT Lerkendal, BFT Midtbyen og BFT Østbyen har deltatt ved egentilsyn."
rec T-2025-008/F1 finding T-2025-008 --kind forbedringspunkt --date 2025-12-31 \
	--text "Barnets medvirkning og dokumentasjon av dette."
rec T-2025-008/F2 finding T-2025-008 --kind forbedringspunkt --date 2025-12-31 \
	--text "Ventetid før undersøkelsen starter opp."
rec id respond T-2025-008 --kind action_plan --date 2025-12-31 \
	--text "Kvalitetsforbedring; egentilsynet fortsetter for alle tjenestene videre inn i 2026."

# ---- what the listings show ----

expect_eq "lærernormen" "findings|0|1|0|0|0|0" "$(state T-2024-001)"
expect_eq "Trondheim bydrift" "closed|0|0|0|0|0|1" "$(state T-2025-001)"
expect_eq "Arkivverket" "closed|0|1|0|0|0|0" "$(state T-2025-002)"
expect_eq "Luftfartstilsynet" "closed|0|1|0|0|0|0" "$(state T-2025-003)"
expect_eq "Krisesenteret" "orders open|3|0|0|0|2|1" "$(state T-2025-004)"
expect_eq "Lerkendal BoA" "orders open|1|0|0|0|1|0" "$(state T-2025-005)"
expect_eq "Statens vegvesen" "transferred|0|0|0|0|0|0" "$(state T-2025-006)"
expect_eq "Enhet for Rustjenester" "open|0|0|0|0|0|0" "$(state T-2025-007)"
expect_eq "barnevern" "findings|0|0|0|2|0|0" "$(state T-2025-008)"

run inspections --format csv
expect_exit 0
expect_stderr_empty
expect_stdout_lines 10
expect_stdout_match '^T-2025-006,[0-9a-f-]{36},2025-07-02,,Statens vegvesen,Trondheim parkering,Parkeringsforskriften,Vilkårsparkering,,transferred,0,0,0,0,0,0$'
expect_stdout_match '^T-2025-008,[0-9a-f-]{36},2025-01-01,2025-12-31,Statsforvalteren,Barne- og familietjenesten,Barnevernloven,Landsomfattende tilsyn 2024 - egenkontroll vedr\. barneverntjenestens arbeid med undersøkelser,egenkontroll,findings,0,0,0,2,0,0$'
expect_stdout_match '^T-2024-001,[0-9a-f-]{36},2024-01-01,,Statsforvalteren,Oppvekst,Opplæringsloven,Bemanningsnorm -lærer grunnskole,,findings,0,1,0,0,0,0$'
expect_eq "sorted by date: lærernormen (2024) first" T-2024-001 "$(sed -n 2p "$OUT_FILE" | cut -d, -f1)"

run inspections
expect_exit 0
expect_stdout_match '^T-2025-004 +21\.05\.2025 +Arbeidstilsynet +Krisesenteret i Trondheim +Arbeidsmiljøloven +.* +orders open +3 +0 +0 +0 +2 +1$'
expect_stdout_match '^T-2025-006 +02\.07\.2025 +Statens vegvesen +Trondheim parkering +.* +transferred( +0){6}$'
expect_stdout_match '^9 inspections$'

run inspections --format json
expect_exit 0
expect_stdout_json
expect_stdout_match '^\{"case_number":"T-2025-004",.*"status":"orders open","lovbrudd":3,"avvik":0,"merknad":0,"forbedringspunkt":0,"orders_open":2,"orders_done":1\},?$'

# Filters.
expect_eq "--status transferred" "T-2025-006" "$(q inspections --status transferred --format csv | tail -n +2 | cut -d, -f1)"
expect_eq "--status closed" "T-2025-001 T-2025-002 T-2025-003" \
	"$(q inspections --status closed --format csv | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "--status orders-open" "T-2025-004 T-2025-005" \
	"$(q inspections --status orders-open --format csv | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "--year 2024" "T-2024-001" "$(q inspections --year 2024 --format csv | tail -n +2 | cut -d, -f1)"
expect_eq "--year 2025: the eight opened in 2025" 8 "$(q inspections --year 2025 --format csv | tail -n +2 | grep -c '^T-2025-')"
# The report counts lærernormen among 2025's 18: --year 2025 includes it.
expect_eq "--year 2025 counts lærernormen (report year)" 1 "$(q inspections --year 2025 --format csv | tail -n +2 | grep -c '^T-2024-001,')"
expect_eq "--authority arbeidstilsynet" "T-2025-001 T-2025-004 T-2025-007" \
	"$(q inspections --authority arbeidstilsynet --format csv | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ' | sed 's/ $//')"

# The open orders: exactly Lerkendal's svarfrist and Krisesenteret's P2 and P3.
expect_eq "orders --as-of 2025-12-31" \
	"T-2025-005/P1 2026-02-28 februar 2026 59 false; T-2025-004/P2 2026-06-15 innen medio juni 2026 166 false; T-2025-004/P3 2026-06-15 innen medio juni 2026 166 false" \
	"$(open_orders --as-of 2025-12-31)"
expect_eq "orders --as-of 2026-06-16: Krisesenteret overdue" \
	"T-2025-005/P1 2026-02-28 februar 2026 -108 true; T-2025-004/P2 2026-06-15 innen medio juni 2026 -1 true; T-2025-004/P3 2026-06-15 innen medio juni 2026 -1 true" \
	"$(open_orders --as-of 2026-06-16)"
expect_eq "orders --as-of 2026-06-15: due that day, not overdue" \
	"T-2025-005/P1 2026-02-28 februar 2026 -107 true; T-2025-004/P2 2026-06-15 innen medio juni 2026 0 false; T-2025-004/P3 2026-06-15 innen medio juni 2026 0 false" \
	"$(open_orders --as-of 2026-06-15)"
run orders --format csv
expect_exit 0
expect_stdout_lines 4
expect_stdout_match '^T-2025-005,P1,F1,Lerkendal BoA,Statsforvalteren,2025-09-01,2026-02-28,februar 2026,-?[0-9]+,(true|false),false,false$'
expect_stdout_match '^T-2025-004,P2,F2,Krisesenteret i Trondheim,Arbeidstilsynet,2025-05-21,2026-06-15,innen medio juni 2026,-?[0-9]+,(true|false),false,false$'
expect_stdout_match '^T-2025-004,P3,F3,Krisesenteret i Trondheim,Arbeidstilsynet,2025-05-21,2026-06-15,innen medio juni 2026,-?[0-9]+,(true|false),false,false$'
run orders --as-of 2025-12-31
expect_exit 0
expect_stdout_match '^T-2025-004/P2 +Krisesenteret i Trondheim +Arbeidstilsynet +21\.05\.2025 +15\.06\.2026 +innen medio juni 2026 +166( |$)'
expect_stdout_match '^T-2025-005/P1 +Lerkendal BoA +Statsforvalteren +01\.09\.2025 +28\.02\.2026 +februar 2026 +59( |$)'
expect_stdout_match '^3 open orders$'
expect_eq "orders --due-before 2026-03-01" "T-2025-005/P1 2026-02-28 februar 2026 59 false" \
	"$(open_orders --due-before 2026-03-01 --as-of 2025-12-31)"
expect_eq "orders --unit krisesenteret" 2 "$(q orders --unit krisesenteret --format csv | tail -n +2 | wc -l)"
# As the year 2025 ended: the same three, Trondheim bydrift's krav long done.
expect_eq "orders --as-of 2025-02-01: bydrift's krav open then" \
	"T-2025-001/P1 2025-02-14 14.02.25 13 false" "$(open_orders --as-of 2025-02-01)"

# Krisesenteret before the authority confirmed P1 (dated 2025-12-01 above).
expect_eq "Krisesenteret --as-of 2025-11-30" "orders open|3|0|0|0|3|0" "$(state T-2025-004 --as-of 2025-11-30)"

# Lærernormen: in 2024 the finding, the 2025 account only from 2025.
expect_eq "--as-of 2024-12-31: lærernormen" "findings|0|1|0|0|0|0" "$(state T-2024-001 --as-of 2024-12-31)"
expect_eq "--as-of 2024-12-31: nothing of 2025 yet" 2 "$(q inspections --as-of 2024-12-31 --format csv | wc -l)"
expect_eq "responses as of 2024-12-31" 0 "$(json_field responses "$(q inspection show T-2024-001 --as-of 2024-12-31 --format json)")"
expect_eq "responses now" 1 "$(json_field responses "$(q inspection show T-2024-001 --format json)")"

# Barnevern runs all year: there on 30 June, with its findings only at the end.
expect_eq "barnevern --as-of 2025-06-30" "open|0|0|0|0|0|0" "$(state T-2025-008 --as-of 2025-06-30)"
expect_eq "barnevern: date_to" '"2025-12-31"' "$(json_field date_to "$(q inspection show T-2025-008 --format json)")"

run verify
expect_exit 0
expect_stdout_match '^ok: [0-9]+ events in 9 streams; hash chain and indexes agree with the log$'

finish
