#!/usr/bin/env bash
# report.sh — `kontroll report annual`: the chapters on state inspections,
# Kvaliteket and goals, computed from a small store loaded with `import
# --new-events`. The counts per authority (and which year's report counts
# an inspection), each inspection's status and orders as of the year's end
# and as of a later --as-of, the precision of undated steps, the Kvaliteket
# change and personvern figures, the goal rows per area; the three formats
# with their escaping; the same bytes on every run; bad options.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user KONTROLL_ACTOR=anne

new_store

# e STREAM TYPE EFFECTIVE DATA — one line of the data file.
e() {
	printf '{"stream":"%s","type":"%s","effective":"%s","data":%s}\n' "$1" "$2" "$3" "$4"
}
opened() { # CASE AUTHORITY DATE [EXTRA]
	e "inspection-$1" inspection.opened "$3" \
		"{\"case_number\":\"$1\",\"authority\":\"$2\",\"unit\":\"Enhet $1\",\"law\":\"Lov\",\"theme\":\"Tema $1\",\"date_from\":\"$3\"${4:-}}"
}
{
	# T-2025-001 Arbeidstilsynet: F1, F2 (three merknader), P1 fulfilled 01.12.2025, P2 due
	# 01.09.2025 still open at the year's end.
	opened T-2025-001 Arbeidstilsynet 2025-05-21
	e inspection-T-2025-001 finding.recorded 2025-05-21 \
		'{"date":"2025-05-21","finding":"F1","kind":"lovbrudd","text":"Lokalene er ikke forsvarlige"}'
	e inspection-T-2025-001 finding.recorded 2025-05-21 \
		'{"date":"2025-05-21","finding":"F2","kind":"merknad","count":3,"text":"Tre merknader"}'
	e inspection-T-2025-001 order.issued 2025-05-21 \
		'{"date":"2025-05-21","order":"P1","finding":"F1","text":"Lag en plan","deadline":"2026-06-15","deadline_text":"innen medio juni 2026","deadline_precision":"mid_month"}'
	e inspection-T-2025-001 order.issued 2025-05-21 \
		'{"date":"2025-05-21","order":"P2","kind":"svarfrist","text":"Svar på tilsynet","deadline":"2025-09-01"}'
	e inspection-T-2025-001 order.fulfilled 2025-12-01 \
		'{"date":"2025-12-01","order":"P1","text":"Vurdert som oppfylt"}'
	# T-2025-002 Statsforvalteren, in September, closed by the year's end on
	# a day not given; its theme holds characters the formats must escape.
	e inspection-T-2025-002 inspection.opened 2025-09-01 \
		'{"case_number":"T-2025-002","authority":"Statsforvalteren","unit":"Enhet T-2025-002","law":"Lov","theme":"Tema <b> & \"sitat\" | rør","date_from":"2025-09-01","date_precision":"month","date_text":"i september 2025"}'
	e inspection-T-2025-002 finding.none 2025-09-01 '{"date":"2025-09-01"}'
	e inspection-T-2025-002 inspection.closed 2025-12-31 \
		'{"date":"2025-12-31","date_precision":"on_or_before","date_text":"lukket (ikke datert)"}'
	# T-2025-003 Arbeidstilsynet, closed 01.06.2025.
	opened T-2025-003 Arbeidstilsynet 2025-03-10
	e inspection-T-2025-003 inspection.closed 2025-06-01 '{"date":"2025-06-01"}'
	# T-2025-004 Statens vegvesen, transferred 01.10.2025.
	opened T-2025-004 "Statens vegvesen" 2025-07-02
	e inspection-T-2025-004 inspection.transferred 2025-10-01 '{"date":"2025-10-01","to":"P-Norge AS"}'
	# T-2025-005 Arkivverket, closed only in January 2026.
	opened T-2025-005 Arkivverket 2025-03-20
	e inspection-T-2025-005 inspection.closed 2026-01-20 '{"date":"2026-01-20"}'
	# Of 2024: one in the 2024 report, one in the 2025 report.
	opened T-2024-010 Arbeidstilsynet 2024-11-01
	opened T-2024-011 Statsforvalteren 2024-10-01 ',"report_year":2025'

	# Kvaliteket: 2 incidents in 2024, 3 in 2025 (one personvern, sent to
	# Datatilsynet within the 72 hours; one closed).
	n=0
	for when in 2024-03-01 2024-04-01 2025-02-01 2025-03-01 2025-04-01; do
		n=$((n + 1))
		num=$(printf 'H-%s-%05d' "${when:0:4}" $n)
		e "incident-$num" incident.reported "${when}T08:00:00Z" \
			"{\"number\":\"$num\",\"category\":\"avvik\",\"unit\":\"Øya helsehus\",\"area\":\"helse_omsorg\",\"occurred\":\"$when\",\"text\":\"Hendelse $n\"}"
	done
	e incident-H-2025-00003 incident.triaged 2025-02-01T09:00:00Z '{"type":"personvern","severity":2}'
	e incident-H-2025-00003 incident.reported_externally 2025-02-02T07:00:00Z \
		'{"recipient":"datatilsynet","reference":"DT-1"}'
	e incident-H-2025-00004 incident.closed 2025-03-05T08:00:00Z '{"conclusion":"Fulgt opp"}'

	# Goals: one achieved (helse og omsorg), one unassessed and one assessed
	# in two parts (finans).
	e goal-M-2025-001 goal.defined 2025-01-01 \
		'{"number":"M-2025-001","level":"periodemal","area":"helse_omsorg","period_from":2025,"period_to":2025,"title":"Periodemål 1","text":"Flere skal bo hjemme"}'
	e goal-M-2025-001 goal.assessed 2025-12-31 \
		'{"year":2025,"status":"achieved","wording":"Målet er nådd"}'
	e goal-M-2025-002 goal.defined 2025-01-01 \
		'{"number":"M-2025-002","level":"handlingsregel","area":"finans","period_from":2025,"period_to":2025,"text":"Disposisjonsfond"}'
	e goal-M-2025-003 goal.defined 2025-01-01 \
		'{"number":"M-2025-003","level":"mal","area":"finans","period_from":2025,"period_to":2025,"text":"Lavere gjeld"}'
	e goal-M-2025-003 goal.assessed 2025-12-31 '{"year":2025,"status":"partly","part":"BOA"}'
	e goal-M-2025-003 goal.assessed 2025-12-31 '{"year":2025,"status":"not_achieved","part":"PHR"}'
} >data.jsonl

run import --new-events data.jsonl
expect_exit 0
expect_stdout_match '^imported 31 new events'

# ---- the inspections, as of 31.12.2025 (the default) ----
run report annual --year 2025
expect_exit 0
expect_stderr_empty
expect_stdout_match '^# Årsberetning 2025: internkontroll og måloppnåelse$'
expect_stdout_match '^Beregnet fra hendelsene i loggen til og med posisjon 31, slik de gjaldt per 31\.12\.2025\.$'
expect_stdout_match '^I 2025 er det registrert 6 statlige tilsyn: 2 fra Arbeidstilsynet, 2 fra Statsforvalteren, 1 fra Arkivverket og 1 fra Statens vegvesen\.$'
expect_stdout_match '^\| Arbeidstilsynet \| 2 \| 1 \| 1 \| 1 \| 1 \|$'
expect_stdout_match '^\| Statsforvalteren \| 2 \| 0 \| 0 \| 1 \| 0 \|$'
expect_stdout_match '^\| Arkivverket \| 1 \| 0 \| 0 \| 0 \| 0 \|$'
expect_stdout_match '^\| Statens vegvesen \| 1 \| 0 \| 0 \| 1 \| 0 \|$'
expect_stdout_match '^\| I alt \| 6 \| 1 \| 1 \| 3 \| 1 \|$'
expect_stdout_nomatch 'T-2024-010'
expect_stdout_match '^\| T-2024-011 \| Statsforvalteren \| Enhet T-2024-011 \| 01\.10\.2024 \|'
expect_stdout_match '^\| T-2025-001 \| .* \| 1 lovbrudd, 3 merknader \| 1 av 2 pålegg og frister åpne \|$'
expect_stdout_match '^\| T-2025-002 \| Statsforvalteren \| .* \| i september 2025 \| Lov \| Tema <b> & "sitat" \\\| rør \| ingen funn \| lukket senest 31\.12\.2025 \|$'
expect_stdout_match '^\| T-2025-003 \| .* \| lukket 01\.06\.2025 \|$'
expect_stdout_match '^\| T-2025-004 \| .* \| lukket 01\.10\.2025, overført til P-Norge AS \|$'
expect_stdout_match '^\| T-2025-005 \| .* \| — \| åpent \|$'
expect_stdout_match '^\| T-2025-001/F1 \| lovbrudd \| 1 \| Lokalene er ikke forsvarlige \|  \|$'
expect_stdout_match '^\| T-2025-001/F2 \| merknad \| 3 \| Tre merknader \|  \|$'
expect_stdout_match '^\| T-2025-001/P1 \| pålegg \| Lag en plan \| innen medio juni 2026 \(15\.06\.2026\) \| oppfylt 01\.12\.2025 \|$'
expect_stdout_match '^\| T-2025-001/P2 \| svarfrist \| Svar på tilsynet \| 01\.09\.2025 \| åpen, fristen er passert \|$'
# Table rows are in case-number order: the year, then the number.
expect_eq "inspection rows" \
	"| T-2024-011 | | T-2025-001 | | T-2025-002 | | T-2025-003 | | T-2025-004 | | T-2025-005 |" \
	"$(grep -o '^| T-20[0-9-]* |' "$OUT_FILE" | paste -sd ' ')"

# ---- Kvaliteket and goals ----
expect_stdout_match '^I 2025 ble det registrert 3 hendelser i Kvaliteket, 50,0 % flere enn i 2024 \(2\)\. Ved periodens slutt var 4 meldinger ikke formelt lukket\.$'
expect_stdout_match '^\| helse og omsorg \| 3 \| 2 \| 50,0 % \| 4 \|$'
expect_stdout_match '^1 avvik gjaldt personvern; 1 av dem ble meldt til Datatilsynet\.$'
expect_stdout_match '^\| personvern \| 1 \| 1 \| 1 \| 0 \| 0 \| 0 \| 0 \|$'
expect_stdout_match '^3 mål rapporteres for 2025, i 4 rader .* 3 rader er vurdert: 1 nådd, 1 delvis nådd, 1 ikke nådd og 0 i rute\.$'
expect_stdout_match '^\| helse og omsorg \| 1 \| 1 \| 1 \| 0 \| 0 \| 0 \| 0 \|$'
expect_stdout_match '^\| finans \| 2 \| 3 \| 0 \| 1 \| 1 \| 0 \| 1 \|$'
expect_stdout_match '^\| M-2025-001 \| helse og omsorg \| periodemål \| Periodemål 1: Flere skal bo hjemme \|  \| nådd \| Målet er nådd \|$'
expect_stdout_match '^\| M-2025-003/BOA \| finans \| mål \| Lavere gjeld \| BOA \| delvis nådd \|  \|$'
expect_stdout_match '^\| M-2025-002 \| finans \| handlingsregel \| Disposisjonsfond \|  \| ikke vurdert \|  \|$'
# Goals go by area (helse og omsorg before finans), then number.
expect_eq "goal rows" "| M-2025-001 | | M-2025-002 | | M-2025-003/BOA | | M-2025-003/PHR |" \
	"$(grep -o '^| M-2025-[0-9A-Z/]* |' "$OUT_FILE" | paste -sd ' ')"

# ---- the same bytes every run, with or without snapshots ----
for f in md html csv; do
	"$KONTROLL" report annual --year 2025 --format $f >"r1.$f"
	"$KONTROLL" report annual --year 2025 --format $f --no-snapshots >"r2.$f"
	"$KONTROLL" report annual --year 2025 --format $f >"r3.$f"
	expect_true "report --format $f: the same bytes three times" cmp -s "r1.$f" "r2.$f"
	expect_true "report --format $f: the same bytes after snapshots" cmp -s "r1.$f" "r3.$f"
done
run report annual --year 2025 --format md
expect_true "md is the default" cmp -s "$OUT_FILE" r1.md

# ---- --as-of: a closure of January 2026 counts, and the heading says so ----
run report annual --year 2025 --as-of 2026-01-31
expect_exit 0
expect_stdout_match 'per 31\.01\.2026\.$'
expect_stdout_match '^\| T-2025-005 \| .* \| lukket 20\.01\.2026 \|$'
expect_stdout_match '\| Lukket per 31\.01\.2026 \|'
expect_stdout_match '^\| I alt \| 6 \| 1 \| 1 \| 4 \| 1 \|$'
# An earlier --as-of: T-2025-003 still open, P1 not yet fulfilled, and the
# Kvaliteket year so far compared with the same days of the year before
# (both 2024 incidents, none of 2025 after May).
run report annual --year 2025 --as-of 2025-05-31
expect_exit 0
expect_stdout_match '^\| T-2025-003 \| .* \| åpent \|$'
expect_stdout_match '^\| T-2025-001/P1 \| .* \| åpen \|$'
expect_stdout_nomatch 'T-2025-002'
expect_stdout_match '^\| Byrådsområde \| 2025 \| 01\.01\.2024–31\.05\.2024 \| Endring \|'
expect_stdout_match '^\| I alt \| 3 \| 2 \| 50,0 % \| 4 \|$'
# --known-at before anything was recorded: nothing known.
run report annual --year 2025 --known-at 2000-01-01
expect_exit 0
expect_stdout_match 'posisjon 0, slik de gjaldt per 31\.12\.2025, slik kontroll viste dem 01\.01\.2000 23:59:59 UTC\.$'
expect_stdout_match '^Ingen statlige tilsyn er registrert for året\.$'
expect_stdout_match '^Ingen mål er registrert for året\.$'

# ---- HTML: one page, text escaped ----
run report annual --year 2025 --format html
expect_exit 0
expect_stdout_match '^<!DOCTYPE html>$'
expect_stdout_match '^</html>$'
expect_stdout_match '<td>Tema &lt;b&gt; &amp; &quot;sitat&quot; \| rør</td>'
expect_stdout_match '^<h2>Rapportering av statlige tilsyn</h2>$'
expect_stdout_match '<tr><td>Arbeidstilsynet</td><td class="r">2</td>'
expect_stdout_nomatch '<b>'

# ---- CSV: one line per cell ----
run report annual --year 2025 --format csv
expect_exit 0
expect_stdout_match '^section,key,field,value$'
expect_stdout_match '^tilsyn_per_myndighet,Arbeidstilsynet,inspections,2$'
expect_stdout_match '^tilsyn_per_myndighet,I alt,closed,3$'
expect_stdout_match '^tilsyn,T-2025-002,theme,"Tema <b> & ""sitat"" \| rør"$'
expect_stdout_match '^tilsyn,T-2025-002,date,2025-09-01$'
expect_stdout_match '^tilsyn,T-2025-002,status,lukket 2025-12-31$'
expect_stdout_match '^funn,T-2025-001/F2,count,3$'
expect_stdout_match '^palegg,T-2025-001/P1,deadline,2026-06-15$'
expect_stdout_match '^palegg,T-2025-001/P1,status,oppfylt 2025-12-01$'
expect_stdout_match '^kvaliteket,I alt,registered,3$'
expect_stdout_match '^kvaliteket,I alt,change_percent,50\.0$'
expect_stdout_match '^personvern,personvern,reported,1$'
expect_stdout_match '^mal_per_omrade,I alt,rows,4$'
expect_stdout_match '^mal,M-2025-003/PHR,status,ikke nådd$'
expect_stdout_nomatch '^(Beregnet|I 2025)'

# ---- bad options: named, non-zero, nothing printed on stdout ----
run report annual
expect_error 2 '--year is required'
run report annual --year 20x5
expect_error 3 "--year: '20x5' is not a year"
run report annual --year 2025 --format pdf
expect_error 2 "--format: 'pdf' is not one of md, html, csv"
run report annual --year 2025 --as-of 2025-13-01
expect_exit 3
expect_stdout_empty
run report yearly --year 2025
expect_error 2 "no subcommand 'yearly'"
run report annual --year 2025 extra
expect_exit 2
run report
expect_exit 2
run report annual --year 2025 --db missing.db
expect_exit 5
expect_stdout_empty
run report --help
expect_exit 0
expect_stdout_match '^usage: kontroll report annual --year Y'

finish
