#!/usr/bin/env bash
# import_csv.sh — `kontroll import-csv inspections FILE`: the overview table
# of the 2025 report saved from a spreadsheet (semicolons, BOM, CRLF, quoted
# fields) imported, listed by `kontroll inspections`, a rerun importing
# nothing, case numbers going on in each year, comma and tab files, --dry-run
# and --format json; every kind of bad row named with its line (all of them,
# up to the limit) with the store unchanged, file-level errors and usage.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="bad_file"

new_store

# The first eight rows of the report's table of tilsyn (the dates as the
# table writes them: a year alone, DD.MM.YY, a range with an en dash).
printf '\xef\xbb\xbf' >overview.csv
cat >>overview.csv <<'EOF'
Tilsynsmyndighet;Enhet;Dato;Lov/hjemmel;Tema;Type
Statsforvalteren;Oppvekst;2024;Opplæringsloven;Bemanningsnorm -lærer grunnskole;
Arbeidstilsynet;Trondheim bydrift;23.01.25;Arbeidsmiljøloven;Oppfølging av arbeidsulykker - stedlig tilsyn;Stedlig tilsyn
Statsforvalteren;Oppvekst;03.03.25;Opplæringsloven;Individuelt tilrettelagt opplæring;
Arkivverket;Trondheim digital;20.03.25;Arkivloven;Tilsyn med arkivholdet;
Statsforvalteren;Klima- og miljøenheten;27.03.25;Økonomireglementet;Forvaltningskontroll landbruk;forvaltningskontroll
Arbeidstilsynet;Barne- og familietjenesten;24.04.25;Arbeidsmiljøloven;"Muskel- og skjelettplager; psykiske plager - stedlig tilsyn";stedlig tilsyn
Statens vegvesen;Trondheim parkering;02.07.25;Parkeringsforskriften;Vilkårsparkering;varslet tilsyn
Statsforvalteren;Barne- og familietjenesten;01.01.25 – 31.12.25;Barnevernloven;"Landsomfattende tilsyn 2024 - egenkontroll vedr. barneverntjenestens arbeid med ""undersøkelser""";egenkontroll / egentilsyn
EOF
sed -i 's/$/\r/' overview.csv

# ---- --dry-run first: shows the numbers, writes nothing -------------------
before=$(fingerprint)
run import-csv inspections overview.csv --dry-run
expect_exit 0
expect_stderr_empty
expect_stdout_match '^ +2  T-2024-001  new +2024 +Statsforvalteren +Oppvekst$'
expect_stdout_match '^ +3  T-2025-001  new +23\.01\.2025 +Arbeidstilsynet +Trondheim bydrift$'
expect_stdout_match '^ +9  T-2025-007  new +01\.01\.2025 +Statsforvalteren'
expect_stdout_match '^would import 8 inspections; 0 skipped, in the store already; nothing written \(--dry-run\)$'
expect_stdout_lines 10
expect_unchanged "$before"
run import-csv inspections overview.csv --dry-run --format json
expect_exit 0
expect_stdout_json
expect_eq "dry run json imported" 0 "$(json_field imported)"
expect_eq "dry run json dry_run" true "$(json_field dry_run)"
expect_unchanged "$before"

# ---- the import ------------------------------------------------------------
run import-csv inspections overview.csv --actor "Rådgiver Ås"
expect_exit 0
expect_stderr_empty
expect_stdout_match '^line  case        status    date        authority         unit$'
expect_stdout_match '^ +2  T-2024-001  imported  2024 +Statsforvalteren +Oppvekst$'
expect_stdout_match '^ +7  T-2025-005  imported  24\.04\.2025  Arbeidstilsynet +Barne- og familietjenesten$'
expect_stdout_match '^imported 8 inspections \(positions 1–8\); 0 skipped, in the store already$'

run inspections --as-of 2025-12-31
expect_exit 0
# A year alone is listed as the year it is.
expect_stdout_match '^T-2024-001  2024 +Statsforvalteren  Oppvekst +Opplæringsloven'
expect_stdout_match '^T-2025-001  23\.01\.2025 +Arbeidstilsynet +Trondheim bydrift +Arbeidsmiljøloven'
expect_stdout_match '^T-2025-002  03\.03\.2025 '
expect_stdout_match '^T-2025-004  27\.03\.2025 +Statsforvalteren +Klima- og miljøenheten +Økonomireglementet'
expect_stdout_match '^T-2025-007  01\.01\.2025–31\.12\.2025  Statsforvalteren'
expect_stdout_match '^8 inspections$'

# What the events hold: precision, range, kinds, quotes, actor, effective.
run log --format json
expect_stdout_match '"stream":"inspection-T-2024-001".*"effective":"2024-01-01T00:00:00.000000Z","actor":"Rådgiver Ås".*"date_from":"2024-01-01","date_precision":"year","case_number":"T-2024-001"'
expect_stdout_match '"stream":"inspection-T-2025-001","version":1,.*"effective":"2025-01-23T00:00:00.000000Z".*"date_from":"2025-01-23","kind":"stedlig_tilsyn","kind_text":"Stedlig tilsyn"'
expect_stdout_match '"theme":"Muskel- og skjelettplager; psykiske plager - stedlig tilsyn","date_from":"2025-04-24","kind":"stedlig_tilsyn",.*"case_number":"T-2025-005"'
expect_stdout_match '"kind":"forvaltningskontroll","case_number":"T-2025-004"'
expect_stdout_match '"kind":"other","kind_text":"varslet tilsyn"'
expect_stdout_match 'arbeid med \\"undersøkelser\\"","date_from":"2025-01-01","date_to":"2025-12-31","kind":"egenkontroll","kind_text":"egenkontroll / egentilsyn","case_number":"T-2025-007"'
# A year and a range keep the date as the table writes it; a day does not need to.
expect_stdout_match '"case_number":"T-2024-001","date_text":"2024"'
expect_stdout_match '"case_number":"T-2025-007","date_text":"01.01.25 – 31.12.25"'
expect_stdout_nomatch '"case_number":"T-2025-001","date_text"'
run verify
expect_exit 0

# ---- a rerun imports nothing -----------------------------------------------
head_before=$("$KONTROLL" info --format json | grep -o '"head":[0-9]*')
run import-csv inspections overview.csv
expect_exit 0
expect_stdout_match '^ +3  T-2025-001  skipped +23\.01\.2025'
expect_stdout_match '^imported 0 inspections; 8 skipped, in the store already$'
expect_eq "head after a rerun" "$head_before" "$("$KONTROLL" info --format json | grep -o '"head":[0-9]*')"
run import-csv inspections overview.csv --format json
expect_exit 0
expect_stdout_json
expect_eq "rerun json imported" 0 "$(json_field imported)"
expect_eq "rerun json skipped" 8 "$(json_field skipped)"
expect_eq "rerun json first row" '"T-2024-001"' "$(json_field case_number)"

# ---- the rest of the table, as a comma file: sequences go on ----------------
# One row is in the store already, written differently (case, blanks, ISO date).
cat >more.csv <<'EOF'
authority,unit,date,law,theme,kind
Luftfartstilsynet,Trondheim eiendom,15.05.25,Luftfartsloven,Forskrift om ubemannede luftfartøyer,
Statsforvalteren,NAV Falkenberg,20.05.2025,Sosialtjenesteloven,"Tilsyn etter sosialtjenesteloven - økonomisk rådgivning",
"  ARBEIDSTILSYNET ","trondheim  bydrift",2025-01-23,Arbeidsmiljøloven,oppfølging av arbeidsulykker - STEDLIG tilsyn,stedlig tilsyn
EOF
run import-csv inspections more.csv
expect_exit 0
expect_stdout_match '^ +2  T-2025-008  imported  15\.05\.2025  Luftfartstilsynet'
expect_stdout_match '^ +3  T-2025-009  imported  20\.05\.2025  Statsforvalteren'
expect_stdout_match '^ +4  T-2025-001  skipped +23\.01\.2025'
expect_stdout_match '^imported 2 inspections \(positions 9–10\); 1 skipped, in the store already$'
# `inspection open` goes on after the imported numbers, and import after it.
run inspection open --authority Arbeidstilsynet --unit "Krisesenteret i Trondheim" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn" \
	--kind "stedlig tilsyn" --date 2025-05-21
expect_stdout_is T-2025-010
printf 'Tilsynsmyndighet\tEnhet\tDato\tLov\tTema\r\nArbeidstilsynet\tKlæbu helse- og velferdssenter\t04.06.25\tArbeidsmiljøloven\tMuskel- og skjelettplager og psykiske plager - stedlig tilsyn\r\nStatsforvalteren\tOppvekst\t2023\tOpplæringsloven\tLærernormen\r\n' >tab.csv
run import-csv inspections tab.csv --format json
expect_exit 0
expect_stdout_json
expect_stdout_match '"imported":2,"skipped":0,"first_position":12,"last_position":13'
expect_stdout_match '\{"line":2,"case_number":"T-2025-011","status":"imported"\},\{"line":3,"case_number":"T-2023-001","status":"imported"\}'
run inspections --as-of 2025-12-31 --format json
expect_stdout_match '"T-2025-011"'

# A month alone, in its three forms: stored as the first day, precision month.
printf 'Tilsynsmyndighet;Enhet;Dato;Lov;Tema\nStatsforvalteren;Eierskap;oktober 2025;Forurensningsloven;Avfall\nArbeidstilsynet;Øya helsehus;09.2025;Arbeidsmiljøloven;Vold\nArkivverket;Byarkivet;2025-08;Arkivloven;Arkiv\n' >months.csv
run import-csv inspections months.csv
expect_exit 0
expect_stdout_match '^ +2  T-2025-012  imported  10\.2025 +Statsforvalteren +Eierskap$'
expect_stdout_match '^ +3  T-2025-013  imported  09\.2025 +Arbeidstilsynet'
expect_stdout_match '^ +4  T-2025-014  imported  08\.2025 +Arkivverket'
run log --stream inspection-T-2025-012 --format json
expect_stdout_match '"date_from":"2025-10-01"'
expect_stdout_match '"date_precision":"month"'
expect_stdout_match '"date_text":"oktober 2025"'
run inspections --as-of 2025-12-31
expect_stdout_match '^T-2025-012  10\.2025 +Statsforvalteren'

# ---- bad rows: every one named with its line, nothing written ---------------
# bad_file FILE ERRORS... — importing FILE fails with exit 3, nothing on
# stdout, stderr exactly the lines ERRORS (each "kontroll import-csv: "
# before it) and then the count, and the store unchanged.
bad_file() {
	local file=$1 before expected
	shift
	before=$(fingerprint)
	expected=$(for e in "$@"; do printf 'kontroll import-csv: %s\n' "$e"; done)
	run import-csv inspections "$file"
	expect_exit 3
	expect_stdout_empty
	expect_eq "stderr of $file" "$expected" "$ERR"
	expect_unchanged "$before"
}

# One good row first: it is not written either.
cat >bad.csv <<'EOF'
Tilsynsmyndighet;Enhet;Dato;Lov;Tema;Type
Statsforvalteren;Lerkendal BoA;16.06.25;Helse- og omsorgstjenesteloven;Systemrevisjon;systemrevisjon

Statsforvalteren;Eierskap;31.02.25;Forurensningsloven;Landsomfattende kontroll av avfallshandtering;
Arbeidstilsynet;;26.08.25;Arbeidsmiljøloven;Muskel- og skjelettplager - stedlig tilsyn;
Arbeidstilsynet;Enhet for Rustjenester;26.08.25;;Muskel- og skjelettplager - stedlig tilsyn;
Arbeidstilsynet;"Lade bo- og
aktivitetstilbud A";13.06.25;Arbeidsmiljøloven;Muskel- og skjelettplager;
Arbeidstilsynet;Lade bo- og aktivitetstilbud b;13.06.25;Arbeidsmiljøloven;Muskel- og skjelettplager;;ekstra
Statsforvalteren;Lerkendal BoA;2025-06-16;Helse- og omsorgstjenesteloven;systemrevisjon;
Statsforvalteren;Eierskap;31.12.25 - 01.01.25;Forurensningsloven;Avfall;
Statsforvalteren;Eierskap;i fjor høst;Forurensningsloven;Avfall;
Statsforvalteren;Oppvekst;T-2025-001;Opplæringsloven;Lærernormen;
EOF
bad_file bad.csv \
	"line 4: dato: '31.02.25' is not a date" \
	"line 5: enhet: required" \
	"line 6: lov: required" \
	"line 7: enhet: must be one line, without control characters" \
	"line 9: 7 fields, the header has 6" \
	"line 10: the same inspection as line 2 (authority, unit, date and theme)" \
	"line 11: dato: '31.12.25 - 01.01.25' is not a date" \
	"line 12: dato: 'i fjor høst' is not a date" \
	"line 13: dato: 'T-2025-001' is not a date" \
	"9 bad rows in bad.csv; nothing written"
run import-csv inspections bad.csv --dry-run
expect_exit 3
expect_stdout_empty
expect_stderr_match '^kontroll import-csv: line 4: dato:'

# A text over the catalogue's limit is named by its column.
{
	echo "authority;unit;date;law;theme"
	printf 'Arkivverket;%0201d;20.03.25;Arkivloven;Arkiv\n' 0
} >long.csv
bad_file long.csv "line 2: unit: longer than 200 bytes" "1 bad row in long.csv; nothing written"

# Past the limit: the first 20 are printed, then how many more.
{
	echo "authority;unit;date;law;theme"
	for i in $(seq 1 25); do echo "Arkivverket;Enhet $i;32.01.25;Arkivloven;Arkiv"; done
} >many.csv
before=$(fingerprint)
run import-csv inspections many.csv
expect_exit 3
expect_stdout_empty
expect_eq "errors printed" 22 "$(wc -l <"$ERR_FILE")"
expect_stderr_match "^kontroll import-csv: line 21: date: '32\.01\.25' is not a date$"
expect_stderr_nomatch "line 22: "
expect_stderr_match '^kontroll import-csv: … and 5 more bad rows$'
expect_stderr_match '^kontroll import-csv: 25 bad rows in many.csv; nothing written$'
expect_unchanged "$before"

# ---- the file itself --------------------------------------------------------
printf 'authority;unit;date;law;theme\nA;"open;2025;L;T\n' >quote.csv
before=$(fingerprint)
run import-csv inspections quote.csv
expect_error 3 '^kontroll import-csv: quote.csv: line 2: a quoted field is not closed; nothing written$'
expect_unchanged "$before"
printf 'authority;unit;law;theme\nA;B;L;T\n' >nodate.csv
run import-csv inspections nodate.csv
expect_error 3 '^kontroll import-csv: nodate.csv: line 1: header: no column dato \(or date\); nothing written$'
printf 'dato;enhet;date;lov;tema;tilsynsmyndighet\n' >twice.csv
run import-csv inspections twice.csv
expect_error 3 'line 1: header: columns 1 and 3 both mean dato; nothing written$'
: >empty.csv
run import-csv inspections empty.csv
expect_error 3 '^kontroll import-csv: empty.csv: no header line; nothing written$'
printf 'authority;unit;date;law;theme\n' >header-only.csv
run import-csv inspections header-only.csv
expect_exit 0
expect_stdout_is "imported 0 inspections; 0 skipped, in the store already"
run import-csv inspections missing.csv
expect_error 5 '^kontroll import-csv: cannot open missing.csv: No such file or directory$'
run import-csv inspections overview.csv --db nowhere.db
expect_error 5 'no store at nowhere.db'
expect_unchanged "$before"

# ---- several imports at once ----------------------------------------------
# Four advisers import the same overview into a fresh store at the same
# moment, and a fifth another table: every row becomes one inspection, once,
# and the case numbers of a year run on without a gap or a repeat.
"$KONTROLL" init --db race.db >/dev/null
printf 'Tilsynsmyndighet,Enhet,Dato,Lov,Tema\nArbeidstilsynet,Øya helsehus,02.02.25,Arbeidsmiljøloven,Vold og trusler\nMattilsynet,Produksjonskjøkkenet,03.02.25,Matloven,Hygiene\n' >other.csv
pids=()
for w in 1 2 3 4; do
	"$KONTROLL" import-csv inspections overview.csv --db race.db >"race$w.out" 2>"race$w.err" &
	pids+=($!)
done
"$KONTROLL" import-csv inspections other.csv --db race.db >race5.out 2>race5.err &
pids+=($!)
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
expect_eq "concurrent imports that failed" 0 "$failed"
expect_eq "concurrent imports: errors" "" "$(cat race*.err)"
expect_eq "rows imported by the four runs of one file, in all" 8 \
	"$(cat race[1-4].out | awk '/^imported [0-9]+ inspections/ { n += $2 } END { print n }')"
expect_true "the other table imported" grep -q '^imported 2 inspections' race5.out
run inspections --db race.db --as-of 2025-12-31 --format csv
expect_eq "inspections in the store" 10 "$(($(wc -l <"$OUT_FILE") - 1))"
expect_eq "case numbers of 2025" "$(seq -f 'T-2025-%03g' 1 9 | paste -sd ' ')" \
	"$(sed 1d "$OUT_FILE" | cut -d, -f1 | grep '^T-2025' | sort | paste -sd ' ')"
expect_eq "inspections of the same row" "" \
	"$(sed 1d "$OUT_FILE" | cut -d, -f3,5,6 | sort | uniq -d)"
run verify --db race.db
expect_exit 0

# ---- usage --------------------------------------------------------------------
run import-csv
expect_error 2 'what to import is missing'
run import-csv incidents overview.csv
expect_error 2 "cannot import 'incidents': only inspections"
run import-csv inspections
expect_error 2 'FILE is missing'
run import-csv inspections a.csv b.csv
expect_error 2 "unexpected argument 'b.csv'"
run import-csv inspections overview.csv --format csv
expect_exit 3
run import-csv inspections overview.csv --frobnicate
expect_error 2 'unknown option --frobnicate'
run import-csv --help
expect_exit 0
expect_stdout_match '^usage: kontroll import-csv inspections FILE'
expect_unchanged "$before"

finish
