#!/usr/bin/env bash
# inspection_views.sh — the read side of inspections: `kontroll orders`,
# `kontroll inspections` and `kontroll inspection show`, on a store written
# with `kontroll append` alone. Rows, sort order, filters, the three formats,
# --as-of / --known-at (a finding recorded late), OVERDUE (made deterministic
# with --as-of), bad values and usage errors, and the read-only fallback.
# The checks of `inspection show` run when `kontroll inspection show --help`
# succeeds.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user KONTROLL_ACTOR=anne
E2E_HELPERS="ev column"

# ev CASE TYPE EFFECTIVE JSON — append one event to the case's stream
# (setup); prints its id.
ev() {
	add kontroll.db "inspection-$1" "$2" "$4" --effective "$3"
}

# column N — the N-th column (space-aligned table, two or more spaces
# between columns) of the table rows of the last run: every line but the
# header and the count line.
column() {
	sed '1d;$d' "$OUT_FILE" | awk -F '  +' -v n="$1" '{ print $n }' | paste -sd ' '
}

new_store

# ---- the cases ----
#
# T-2024-020  Ørland barnehage, 10.11.2024–15.01.2025: F1, P1 (due 01.02.2025)
#             still open when the inspection was closed with forced
# T-2025-004  Ørland barnehage: F1, P1 fulfilled, closed
# T-2025-013  Bydrift: F1, P1 due 01.05.2025, transferred on 15.04.2025
# T-2025-009  Krisesenteret i Trondheim: F1 lovbrudd, F2 avvik corrected to
#             merknad, P1 due 01.09.2025, P2 due 15.06.2026 (medio juni),
#             P3 without deadline retracted on 20.06.2025, and F3 (effective
#             05.06.2025) recorded last of all
# T-2025-011  Trondheim kommunale kjøkken (Mattilsynet): F1, P1 due
#             30.09.2025 extended to 31.10.2025
# T-2025-012  Heimdal skole: notified 15.08.2025, opened for 10.09.2025

ev T-2024-020 inspection.opened 2024-11-10 '{"case_number":"T-2024-020","authority":"Arbeidstilsynet","unit":"Ørland barnehage","law":"Arbeidsmiljøloven","theme":"Inneklima","date_from":"2024-11-10","date_to":"2025-01-15"}' >/dev/null
ev T-2024-020 finding.recorded 2024-11-20 '{"date":"2024-11-20","finding":"F1","kind":"forbedringspunkt","text":"Ventilasjonen bør måles."}' >/dev/null
ev T-2024-020 order.issued 2024-11-20 '{"date":"2024-11-20","order":"P1","finding":"F1","text":"Mål ventilasjonen.","deadline":"2025-02-01"}' >/dev/null
ev T-2024-020 inspection.closed 2025-01-20 '{"date":"2025-01-20","forced":true,"reason":"Følges opp i HMS-systemet"}' >/dev/null

ev T-2025-004 inspection.opened 2025-03-04 '{"case_number":"T-2025-004","authority":"Statsforvalteren i Trøndelag","unit":"Ørland barnehage","law":"Barnehageloven","theme":"Barnehagemyndighetens tilsyn","date_from":"2025-03-04","date_to":"2025-03-05"}' >/dev/null
ev T-2025-004 finding.recorded 2025-03-20 '{"date":"2025-03-20","finding":"F1","kind":"lovbrudd","text":"Tilsynsplanen mangler."}' >/dev/null
ev T-2025-004 order.issued 2025-03-20 '{"date":"2025-03-20","order":"P1","finding":"F1","text":"Utarbeid en tilsynsplan.","deadline":"2025-05-01"}' >/dev/null
ev T-2025-004 order.fulfilled 2025-04-28 '{"date":"2025-04-28","order":"P1"}' >/dev/null
ev T-2025-004 inspection.closed 2025-04-30 '{"date":"2025-04-30"}' >/dev/null

ev T-2025-013 inspection.opened 2025-04-01 '{"case_number":"T-2025-013","authority":"Statens vegvesen","unit":"Bydrift","law":"Vegtrafikkloven","theme":"Skilting, merking og \"oppmerking\"","date_from":"2025-04-01"}' >/dev/null
ev T-2025-013 finding.recorded 2025-04-01 '{"date":"2025-04-01","finding":"F1","kind":"avvik","text":"Skilt mangler."}' >/dev/null
ev T-2025-013 order.issued 2025-04-01 '{"date":"2025-04-01","order":"P1","finding":"F1","text":"Sett opp skilt.","deadline":"2025-05-01"}' >/dev/null
ev T-2025-013 inspection.transferred 2025-04-15 '{"date":"2025-04-15","to":"Statsforvalteren i Trøndelag"}' >/dev/null

ev T-2025-009 inspection.opened 2025-05-21 '{"case_number":"T-2025-009","authority":"Arbeidstilsynet","unit":"Krisesenteret i Trondheim","law":"Arbeidsmiljøloven","theme":"Vold og trusler","kind":"stedlig_tilsyn","date_from":"2025-05-21"}' >/dev/null
ev T-2025-009 finding.recorded 2025-06-02 '{"date":"2025-06-02","finding":"F1","kind":"lovbrudd","text":"Risikoen for vold og trusler er ikke kartlagt.","legal_ref":"aml. § 4-3 (4)"}' >/dev/null
f2=$(ev T-2025-009 finding.recorded 2025-06-02 '{"date":"2025-06-02","finding":"F2","kind":"avvik","text":"Opplæringen er ikke dokumentert."}')
ev T-2025-009 order.issued 2025-06-10 '{"date":"2025-06-10","order":"P1","finding":"F1","text":"Kartlegg og risikovurder vold og trusler.","deadline":"2025-09-01","deadline_text":"innen 1. september 2025"}' >/dev/null
ev T-2025-009 order.issued 2025-06-10 '{"date":"2025-06-10","order":"P2","finding":"F2","text":"Dokumenter opplæringen.","deadline":"2026-06-15","deadline_text":"innen medio juni 2026","deadline_precision":"mid_month"}' >/dev/null
p3=$(ev T-2025-009 order.issued 2025-06-10 '{"date":"2025-06-10","order":"P3","finding":"F2","text":"Lag en rutine, med \"sitat\", komma\nog linjeskift."}')
ev T-2025-009 event.corrected 2025-06-02 "{\"target\":\"$f2\",\"target_type\":\"finding.recorded\",\"reason\":\"feil kategori\",\"data\":{\"date\":\"2025-06-02\",\"finding\":\"F2\",\"kind\":\"merknad\",\"text\":\"Opplæringen er mangelfullt dokumentert.\"}}" >/dev/null
ev T-2025-009 event.retracted 2025-06-20 "{\"target\":\"$p3\",\"target_type\":\"order.issued\",\"reason\":\"registrert ved en feil\"}" >/dev/null

ev T-2025-011 inspection.opened 2025-08-26 '{"case_number":"T-2025-011","authority":"Mattilsynet","unit":"Trondheim kommunale kjøkken","law":"Matloven","theme":"Hygiene og internkontroll","date_from":"2025-08-26"}' >/dev/null
ev T-2025-011 finding.recorded 2025-08-26 '{"date":"2025-08-26","finding":"F1","kind":"avvik","text":"Temperaturlogg mangler."}' >/dev/null
ev T-2025-011 order.issued 2025-08-28 '{"date":"2025-08-28","order":"P1","finding":"F1","text":"Innfør temperaturlogg.","deadline":"2025-09-30","deadline_text":"innen 30.09.2025"}' >/dev/null
ev T-2025-011 order.deadline_extended 2025-09-20 '{"date":"2025-09-20","order":"P1","deadline":"2025-10-31","deadline_text":"ultimo oktober 2025","deadline_precision":"month","reason":"Nytt utstyr er forsinket"}' >/dev/null

ev T-2025-012 inspection.opened 2025-09-10 '{"case_number":"T-2025-012","authority":"Arbeidstilsynet","unit":"Heimdal skole","law":"Arbeidsmiljøloven","theme":"Organisatorisk arbeidsmiljø","date_from":"2025-09-10"}' >/dev/null
ev T-2025-012 inspection.notified 2025-08-15 '{"date":"2025-08-15","planned_date":"2025-09-10"}' >/dev/null

# Everything so far was recorded by $before; the finding below only after.
"$KONTROLL" log --reverse --limit 1 --format json >"$E2E_SCRATCH/last" 2>/dev/null
before=$(json_field recorded "$(cat "$E2E_SCRATCH/last")" | tr -d '"')
expect_true "recorded time of the last event is known" test -n "$before"
sleep 0.01
f3=$(ev T-2025-009 finding.recorded 2025-06-05 '{"date":"2025-06-05","finding":"F3","kind":"forbedringspunkt","text":"Avviksmeldinger bør følges opp raskere."}')
log_before=$("$KONTROLL" log --format json | sha256sum)

# ---- help ----

run help
expect_stdout_match '^  inspections +list inspections'
expect_stdout_match '^  orders +list open orders'

declare -A options=(
	[orders]="--unit --authority --overdue --due-before --as-of --known-at --no-snapshots --format --db"
	[inspections]="--unit --authority --status --year --overdue --due-before --as-of --known-at --no-snapshots --format --db"
)
for c in orders inspections; do
	run "$c" --help
	expect_exit 0
	expect_stderr_empty
	expect_stdout_match "^usage: kontroll $c( |$)"
	for o in ${options[$c]}; do
		expect_stdout_match "$o( |$|\]|,)"
	done
	cmd_help=$OUT
	run help "$c"
	expect_eq "kontroll help $c = kontroll $c --help" "$cmd_help" "$OUT"
done
run orders --help
expect_stdout_match 'left open when its inspection was closed is not listed'

# ---- orders ----

run orders --as-of 2025-10-01
expect_exit 0
expect_stderr_empty
expect_stdout_lines 5
expect_stdout_match '^ORDER +UNIT +AUTHORITY +ISSUED +DEADLINE +WORDING +DAYS +NOTE$'
expect_eq "orders sorted by deadline" "T-2025-009/P1 T-2025-011/P1 T-2025-009/P2" "$(column 1)"
expect_stdout_match '^T-2025-009/P1  Krisesenteret i Trondheim    Arbeidstilsynet  10\.06\.2025  01\.09\.2025  innen 1\. september 2025   -30  OVERDUE$'
expect_stdout_match '^T-2025-011/P1  Trondheim kommunale kjøkken  Mattilsynet      28\.08\.2025  31\.10\.2025  ultimo oktober 2025 +30  extended$'
expect_stdout_match '^T-2025-009/P2 .* 15\.06\.2026  innen medio juni 2026 +257$'
expect_stdout_match '^3 open orders$'
# Fulfilled, retracted, and open orders of closed or transferred cases.
expect_stdout_nomatch 'T-2025-004|T-2024-020|T-2025-013|/P3'

# P3 was retracted only on 20.06.2025; it has no deadline and sorts last.
run orders --as-of 2025-06-15
expect_exit 0
expect_eq "orders as of 15.06.2025" "T-2025-009/P1 T-2025-009/P2 T-2025-009/P3" "$(column 1)"
expect_stdout_match '^T-2025-009/P1 .* 01\.09\.2025 .* 78$'
expect_stdout_match '^T-2025-009/P2 .* 365$'
expect_stdout_match '^T-2025-009/P3  Krisesenteret i Trondheim  Arbeidstilsynet  10\.06\.2025  — +—$'

# Overdue from the day after the deadline.
run orders --overdue --as-of 2025-09-01
expect_exit 0
expect_stdout_is "0 open orders"
run orders --overdue --as-of 2025-09-02
expect_stdout_match '^T-2025-009/P1 .* -1  OVERDUE$'
expect_stdout_lines 3
run orders --overdue --as-of 2025-10-01 --format csv
expect_stdout_lines 2
expect_stdout_match '^T-2025-009,P1,'

run orders --due-before 2025-10-31 --as-of 2025-10-01
expect_eq "--due-before is strict" "T-2025-009/P1" "$(column 1)"
run orders --due-before 2025-11-01 --as-of 2025-10-01
expect_eq "--due-before 2025-11-01" "T-2025-009/P1 T-2025-011/P1" "$(column 1)"

run orders --unit KRISE --as-of 2025-10-01
expect_eq "--unit in any case" "T-2025-009/P1 T-2025-009/P2" "$(column 1)"
run orders --authority mattilsynet --as-of 2025-10-01
expect_eq "--authority in any case" "T-2025-011/P1" "$(column 1)"
run orders --unit ØRLAND
expect_stdout_is "0 open orders"

# json: an array of objects, one per line, keys in the documented order.
run orders --as-of 2025-10-01 --format json
expect_exit 0
expect_stdout_json
expect_stdout_lines 5
expect_stdout_match '^\[$'
expect_stdout_match "^$(re_escape '{"case_number":"T-2025-009","order":"P1","finding":"F1","unit":"Krisesenteret i Trondheim","authority":"Arbeidstilsynet","issued":"2025-06-10","deadline":"2025-09-01","deadline_text":"innen 1. september 2025","days_left":-30,"overdue":true,"extended":false,"appealed":false},')$"
expect_stdout_match "$(re_escape '"order":"P1","finding":"F1","unit":"Trondheim kommunale kjøkken","authority":"Mattilsynet","issued":"2025-08-28","deadline":"2025-10-31","deadline_text":"ultimo oktober 2025","days_left":30,"overdue":false,"extended":true,')"
run orders --as-of 2025-06-15 --format json
expect_stdout_match "$(re_escape '"order":"P3","finding":"F2",')"
expect_stdout_match "$(re_escape '"deadline":null,"deadline_text":null,"days_left":null,"overdue":false')"
run orders --unit nowhere --format json
expect_stdout_is "[]"

run orders --as-of 2025-10-01 --format csv
expect_exit 0
expect_stdout_lines 4
expect_stdout_match '^case_number,order,finding,unit,authority,issued,deadline,deadline_text,days_left,overdue,extended,appealed$'
expect_stdout_match '^T-2025-009,P1,F1,Krisesenteret i Trondheim,Arbeidstilsynet,2025-06-10,2025-09-01,innen 1\. september 2025,-30,true,false,false$'
expect_stdout_match '^T-2025-011,P1,F1,Trondheim kommunale kjøkken,Mattilsynet,2025-08-28,2025-10-31,ultimo oktober 2025,30,false,true,false$'
run orders --unit nowhere --format csv
expect_stdout_lines 1

# ---- inspections ----

run inspections
expect_exit 0
expect_stderr_empty
expect_stdout_lines 8
expect_stdout_match '^CASE +DATE +AUTHORITY +UNIT +LAW +THEME +STATUS +LOVBRUDD +AVVIK +MERKNAD +FORB\.PKT +ORDERS OPEN +DONE$'
expect_eq "inspections sorted by date" \
	"T-2024-020 T-2025-004 T-2025-013 T-2025-009 T-2025-011 T-2025-012" "$(column 1)"
expect_eq "their status" "closed closed transferred orders open orders open announced" \
	"$(column 7)"
expect_stdout_match '^T-2024-020  10\.11\.2024–15\.01\.2025  Arbeidstilsynet '
expect_stdout_match '^T-2025-009  21\.05\.2025 +Arbeidstilsynet +Krisesenteret i Trondheim +Arbeidsmiljøloven +Vold og trusler +orders open +1 +0 +1 +1 +2 +0$'
expect_stdout_match '^T-2024-020 .* closed +0 +0 +0 +1 +1 +0$'
expect_stdout_match '^6 inspections$'

run inspections --format json
expect_exit 0
expect_stdout_json
id009=$(grep '"T-2025-009"' "$OUT_FILE" | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
expect_stdout_match "^$(re_escape "{\"case_number\":\"T-2025-009\",\"id\":\"$id009\",\"date_from\":\"2025-05-21\",\"date_to\":null,\"authority\":\"Arbeidstilsynet\",\"unit\":\"Krisesenteret i Trondheim\",\"law\":\"Arbeidsmiljøloven\",\"theme\":\"Vold og trusler\",\"kind\":\"stedlig_tilsyn\",\"status\":\"orders open\",\"lovbrudd\":1,\"avvik\":0,\"merknad\":1,\"forbedringspunkt\":1,\"orders_open\":2,\"orders_done\":0},")$"
expect_stdout_match "$(re_escape '"case_number":"T-2024-020",').*$(re_escape '"date_from":"2024-11-10","date_to":"2025-01-15",')"

run inspections --format csv
expect_exit 0
expect_stdout_lines 7
expect_stdout_match '^case_number,id,date_from,date_to,authority,unit,law,theme,kind,status,lovbrudd,avvik,merknad,forbedringspunkt,orders_open,orders_done$'
expect_stdout_match "^T-2025-009,$id009,2025-05-21,,Arbeidstilsynet,Krisesenteret i Trondheim,Arbeidsmiljøloven,Vold og trusler,stedlig_tilsyn,orders open,1,0,1,1,2,0$"

run inspections --year 2024
expect_eq "--year 2024" "T-2024-020" "$(column 1)"
run inspections --year 2025
expect_stdout_match '^6 inspections$'
run inspections --year 2026
expect_stdout_is "0 inspections"

run inspections --status closed
expect_eq "--status closed" "T-2024-020 T-2025-004" "$(column 1)"
for s in orders-open "orders open" ORDERS_OPEN; do
	run inspections --status "$s"
	expect_eq "--status $s" "T-2025-009 T-2025-011" "$(column 1)"
done
run inspections --status announced
expect_eq "--status announced" "T-2025-012" "$(column 1)"
run inspections --status transferred --format csv
expect_stdout_lines 2
# RFC 4180: a field with a comma or quotes is quoted, its quotes doubled.
expect_stdout_match '^T-2025-013,.*,Vegtrafikkloven,"Skilting, merking og ""oppmerking""",,transferred,0,1,0,0,1,0$'

run inspections --unit ØRLAND
expect_eq "--unit folds Ø" "T-2024-020 T-2025-004" "$(column 1)"
run inspections --authority 'statsforvalteren i trøndelag'
expect_eq "--authority" "T-2025-004" "$(column 1)"
run inspections --overdue --as-of 2025-10-01
expect_eq "inspections --overdue" "T-2025-009" "$(column 1)"
run inspections --due-before 2025-11-01 --as-of 2025-10-01
expect_eq "inspections --due-before" "T-2025-009 T-2025-011" "$(column 1)"

# ---- as-of and known-at: the finding recorded late ----

run inspections --as-of 2025-06-10 --format csv
expect_exit 0
expect_stdout_match '^T-2025-009,.*,orders open,1,0,1,1,3,0$'
run inspections --as-of 2025-06-04 --format csv
expect_stdout_match '^T-2025-009,.*,findings,1,0,1,0,0,0$'
run inspections --as-of 2025-06-10 --known-at "$before" --format csv
expect_stdout_match '^T-2025-009,.*,orders open,1,0,1,0,3,0$'
run inspections --known-at "$before" --format csv --no-snapshots
expect_stdout_match '^T-2025-009,.*,orders open,1,0,1,0,2,0$'
run inspections --known-at "$before" --format csv
expect_stdout_match '^T-2025-009,.*,orders open,1,0,1,0,2,0$'
# Nothing of T-2025-009 had happened on 20.05.2025; T-2025-012 was only notified.
run inspections --as-of 2025-05-20
expect_eq "inspections as of 20.05.2025" "T-2024-020 T-2025-004 T-2025-013" "$(column 1)"
# Known before anything was recorded: nothing.
run inspections --known-at 2000-01-01
expect_stdout_is "0 inspections"

# Snapshots change no answer.
for c in orders inspections; do
	run "$c" --as-of 2025-10-01 --format json
	with=$OUT
	run "$c" --as-of 2025-10-01 --format json --no-snapshots
	expect_eq "$c: the same with --no-snapshots" "$with" "$OUT"
done

# The views append nothing.
expect_eq "the log is unchanged by the views" "$log_before" \
	"$("$KONTROLL" log --format json | sha256sum)"

# ---- bad values and usage ----

run orders --bogus
expect_error 2 'unknown option --bogus'
run orders --unit
expect_error 2 'option --unit needs a value'
run orders --status closed
expect_error 2 'unknown option --status'
run orders extra
expect_error 2 "unexpected argument 'extra'"
run orders --format xml
expect_error 3 "--format: 'xml' is not one of table, json, csv"
run orders --due-before 2025-02-30
expect_error 3 "--due-before: '2025-02-30' is not a date"
run orders --as-of yesterday
expect_error 3 "--as-of: 'yesterday' is not a valid date"
run inspections --known-at 2025-13-01
expect_error 3 "--known-at: '2025-13-01' is not a valid date"
run inspections --status nope
expect_error 3 "--status: 'nope' is not one of announced, open, findings, orders-open"
run inspections --year 25
expect_error 3 "--year: '25' is not a year"
run orders --unit ''
expect_error 3 '--unit: give part of a name'
run orders --db missing.db
expect_error 5 'no store at missing\.db'
expect_true "a view creates no store" test ! -e missing.db

# ---- a store the user may not write: read-only fallback ----

mkdir -p ro
cp kontroll.db ro/kontroll.db
cp kontroll.db-lock ro/kontroll.db-lock
run orders --as-of 2025-10-01 --db ro/kontroll.db
writable=$OUT
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	# root writes any file; run as nobody on a file nobody may not write
	# (LMDB readers still need the lock file writable).
	chmod 755 "$E2E_DIR" ro
	chmod 644 ro/kontroll.db
	chmod 666 ro/kontroll.db-lock
	printf '#!/bin/sh\nexec runuser -u nobody -- "%s" "$@"\n' "$KONTROLL" >"$E2E_SCRATCH/as-nobody"
	chmod 755 "$E2E_SCRATCH/as-nobody"
	real=$KONTROLL
	KONTROLL=$E2E_SCRATCH/as-nobody
	run orders --as-of 2025-10-01 --db ro/kontroll.db
	KONTROLL=$real
	expect_exit 0
	expect_eq "orders on a read-only store" "$writable" "$OUT"
elif [ "$(id -u)" != 0 ]; then
	chmod 444 ro/kontroll.db
	run orders --as-of 2025-10-01 --db ro/kontroll.db
	expect_exit 0
	expect_eq "orders on a read-only store" "$writable" "$OUT"
fi

# ---- inspection show (once `kontroll inspection` dispatches to it) ----

if "$KONTROLL" inspection show --help >/dev/null 2>&1; then
	run inspection show --help
	expect_exit 0
	expect_stdout_match '^usage: kontroll inspection show ID'
	for o in --as-of --known-at --no-snapshots --format --db; do
		expect_stdout_match "$o( |$|\]|,)"
	done

	run inspection show T-2025-009 --as-of 2025-10-01
	expect_exit 0
	expect_stderr_empty
	expect_stdout_match '^T-2025-009  Arbeidstilsynet, Krisesenteret i Trondheim$'
	expect_stdout_match '^status +orders open$'
	expect_stdout_match '^date +21\.05\.2025$'
	expect_stdout_match '^stream +inspection-T-2025-009, version '
	expect_stdout_match '^FINDINGS \(3\)$'
	expect_stdout_match '^  F2 +merknad +Opplæringen er mangelfullt dokumentert\.$'
	expect_stdout_match '^  F3 +forbedringspunkt +Avviksmeldinger bør følges opp raskere\.$'
	expect_stdout_match '^ORDERS \(3\)$'
	expect_stdout_match '^  P1 +F1 +open +10\.06\.2025 +01\.09\.2025 +innen 1\. september 2025 +-30 +OVERDUE +Kartlegg'
	expect_stdout_match '^  P2 +F2 +open +10\.06\.2025 +15\.06\.2026 +innen medio juni 2026 +257 +Dokumenter'
	expect_stdout_match '^  P3 +F2 +retracted +10\.06\.2025 +— +Lag en rutine, med "sitat", kom…$'
	expect_stdout_match '^TIMELINE \(9 events\)$'
	expect_stdout_match '^ +[0-9]+ +[0-9a-f-]+ +02\.06\.2025 +[0-9.]+ [0-9:]+ +anne +event\.corrected +corrects [0-9a-f]{8}[0-9a-f-]* \(finding\.recorded F2\): feil kategori$'
	expect_stdout_match 'event\.retracted +retracts [0-9a-f]{8}[0-9a-f-]* \(order\.issued P3\): registrert ved en feil$'
	expect_stdout_match '05\.06\.2025 .* finding\.recorded +F3 forbedringspunkt: Avviksmeldinger'
	expect_eq "timeline in date order" \
		"21.05.2025 02.06.2025 02.06.2025 02.06.2025 05.06.2025 10.06.2025 10.06.2025 10.06.2025 20.06.2025" \
		"$(sed -n '/^TIMELINE/,$p' "$OUT_FILE" | sed '1,2d' | awk -F '  +' '{ print $4 }' | paste -sd ' ')"
	# The correction's prefix names F2's event, as the timeline shows it.
	prefix=$(grep -o 'corrects [0-9a-f-]*' "$OUT_FILE" | cut -d' ' -f2)
	expect_eq "the correction names F2's event" "$prefix" "${f2:0:${#prefix}}"

	run inspection show t-2025-009 --as-of 2025-10-01 --known-at "$before"
	expect_exit 0
	expect_stdout_match '^FINDINGS \(2\)$'
	expect_stdout_nomatch 'F3|forbedringspunkt'
	expect_stdout_match '^TIMELINE \(8 events\)$'

	run inspection show inspection-T-2025-009 --as-of 2025-06-04
	expect_exit 0
	expect_stdout_match '^status +findings$'
	expect_stdout_match '^ORDERS \(0\)$'
	expect_stdout_nomatch 'F3'

	run inspection show "$id009" --format json --as-of 2025-10-01
	expect_exit 0
	expect_stdout_json
	expect_stdout_lines 1
	expect_stdout_match "^$(re_escape "{\"case_number\":\"T-2025-009\",\"id\":\"$id009\",\"stream\":\"inspection-T-2025-009\",")"
	expect_stdout_match "$(re_escape '"status":"orders open","notified":null,"conducted":null,')"
	expect_stdout_match "$(re_escape '{"label":"F2","kind":"merknad","waived":false,"retracted":false,"text":"Opplæringen er mangelfullt dokumentert.","legal_ref":null,')"
	expect_stdout_match "$(re_escape '{"label":"P1","finding":"F1","status":"open","retracted":false,"issued":"2025-06-10","deadline":"2025-09-01","deadline_text":"innen 1. september 2025","original_deadline":"2025-09-01","extended":false,"days_left":-30,"overdue":true,')"
	expect_stdout_match "$(re_escape "\"target\":{\"id\":\"$f2\",\"type\":\"finding.recorded\",\"label\":\"F2\"}")"
	expect_stdout_match "$(re_escape "\"id\":\"$f3\",\"type\":\"finding.recorded\",\"date\":\"2025-06-05\",")"
	expect_stdout_match "$(re_escape '"timeline":[{"version":1,')"

	# The wording of an extended deadline comes from the extension.
	run inspection show T-2025-011 --as-of 2025-10-01
	expect_stdout_match '^  P1 +F1 +open +28\.08\.2025 +31\.10\.2025 +ultimo oktober 2025 +30 +extended '
	expect_stdout_match 'order\.deadline_extended +P1, new deadline 31\.10\.2025: Nytt utstyr'

	# An order left open by a forced closure: shown, but without days left.
	run inspection show T-2024-020
	expect_stdout_match '^closed +20\.01\.2025 \(forced, orders left open\)$'
	expect_stdout_match '^  P1 +F1 +open +20\.11\.2024 +01\.02\.2025 +Mål ventilasjonen\.$'
	run inspection show T-2025-013
	expect_stdout_match '^status +transferred$'
	expect_stdout_match '^transferred +to Statsforvalteren i Trøndelag, 15\.04\.2025$'
	run inspection show T-2025-012
	expect_stdout_match '^notified +15\.08\.2025$'

	# Dates as exactly as they are known: a month, a year, a bound.
	ev T-2026-001 inspection.opened 2026-03-01 \
		'{"case_number":"T-2026-001","authority":"Arkivverket","unit":"Byarkivet","law":"Arkivloven","theme":"Arkiv","date_from":"2026-03-01","date_precision":"month","date_text":"i mars 2026"}' >/dev/null
	ev T-2026-001 finding.recorded 2026-03-01 \
		'{"date":"2026-03-01","date_precision":"month","finding":"F1","kind":"avvik","text":"Feil status."}' >/dev/null
	ev T-2026-001 order.issued 2026-06-30 \
		'{"date":"2026-06-30","date_precision":"on_or_before","date_text":"før sommeren","order":"P1","finding":"F1","text":"Rydd.","deadline":"2026-12-31"}' >/dev/null
	ev T-2026-001 order.fulfilled 2026-08-01 \
		'{"date":"2026-08-01","date_precision":"month","order":"P1","text":"Ryddet."}' >/dev/null
	ev T-2026-001 inspection.closed 2027-01-01 \
		'{"date":"2027-01-01","date_precision":"year","date_text":"i 2027"}' >/dev/null
	run inspection show T-2026-001
	expect_stdout_match '^date +03\.2026$'
	expect_stdout_match '^closed +2027$'
	expect_stdout_match '^  P1 +F1 +fulfilled +≤30\.06\.2026 +31\.12\.2026 '
	expect_stdout_match '^ +3  [0-9a-f-]+  ≤30\.06\.2026 .* order\.issued '
	expect_stdout_match '^ +2  [0-9a-f-]+  03\.2026 .* finding\.recorded '
	run inspections --year 2026
	expect_stdout_match '^T-2026-001  03\.2026 +Arkivverket '
	run orders --as-of 2026-08-01
	expect_stdout_nomatch 'T-2026-001'
	run orders --as-of 2026-06-30
	expect_stdout_match '^T-2026-001/P1 +Byarkivet +Arkivverket +≤30\.06\.2026 +31\.12\.2026 '
	# Programs get the day itself.
	run orders --as-of 2026-06-30 --format csv
	expect_stdout_match '^T-2026-001,P1,F1,Byarkivet,Arkivverket,2026-06-30,2026-12-31,'

	run inspection show T-2099-001
	expect_error 5 "no inspection 'T-2099-001'"
	run inspection show T-2025-011 --as-of 2025-08-01
	expect_error 5 "no inspection 'T-2025-011'"
	run inspection show
	expect_error 2 'which inspection\?'
	run inspection show T-2025-009 T-2025-011
	expect_error 2 "unexpected argument 'T-2025-011'"
	run inspection show T-2025-009 --format csv
	expect_error 3 "--format: 'csv' is not one of table, json"
	run inspection show T-2025-009 --bogus
	expect_error 2 'unknown option --bogus'
fi

finish
