#!/usr/bin/env bash
# goal_views.sh — the read side of goal achievement: `kontroll goals` and
# `kontroll goals summary`. The verdict the measurements give (COMPUTED)
# beside the assessed one, for indicators where lower is better and where
# higher is, at and beside the boundary; which rows --disagree lists (and
# that on_track agrees with achieved and partly but not with a miss); the
# filters --area (name, key, code), --year, --status (key, the report's
# wording, unassessed), --level; the csv header and json keys of
# `kontroll goals --help`; and the per-area summary, counted by hand on a
# fixture of goals over three areas with an unassessed goal, a goal
# assessed in two parts, and goals retired before and during the year.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="q define numbers keys_of"

# q ARGS... — kontroll's stdout; a failure is a failed check.
q() {
	"$KONTROLL" "$@" 2>"$E2E_SCRATCH/q-err"
	local rc=$?
	_sanitizer_check "$E2E_SCRATCH/q-err" "kontroll $*"
	[ "$rc" = 0 ] || fail "kontroll $* (helper)" "exit $rc: $(cat "$E2E_SCRATCH/q-err")"
	return 0
}

# define EXPECTED ARGS... — `goal define ARGS` quietly; it must print the
# number EXPECTED (a failed check otherwise).
define() {
	local want=$1 got
	shift
	got=$(q goal define "$@")
	[ "$got" = "$want" ] || fail "define $want (setup)" "printed '$got'"
	return 0
}

# numbers — the goal numbers of the last run's csv, in order, on one line.
numbers() {
	tail -n +2 "$OUT_FILE" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//'
}

# keys_of LINE — the keys of one compact JSON object, comma-separated.
keys_of() {
	printf '%s' "$1" | grep -o '"[a-z_]*":' | tr -d '":' | tr '\n' ',' | sed 's/,$//'
}

GOAL_HEADER="number,id,level,area,parent,title,text,period_from,period_to,retired,year,part,status,wording,computed,indicators_counted,indicators_met,disagrees,indicator,measured,target,unit,direction"
SUMMARY_HEADER="area,area_name,goals,rows,achieved,partly,not_achieved,on_track,unassessed,disagree"

new_store

# ---- the goals the verdicts and filters are tried on ----
#
# oppvekst og utdanning
#   M-2025-003 resultatmål  higher 5.9 vs 3 meets, assessed "ikke nådd": disagrees
#   M-2025-004 resultatmål  higher 3 vs 3 (boundary) meets, assessed "i rute": agrees
# helse og omsorg
#   M-2025-005 periodemål   lower 13 vs 12.5 misses, assessed "i rute": disagrees
#   M-2025-006 periodemål   lower 7.5 vs 8 meets, higher 4.5 vs 5 misses: partly,
#                           assessed "delvis nådd": agrees
#   M-2025-007 mål          lower 3 vs 2 misses, never assessed
# byutvikling
#   M-2025-008 tiltak       one met, one missed: partly; assessed "i positiv
#                           utvikling" (on_track): agrees
# finans
#   M-2023-001 mål          2023–2024, no indicator, assessed 2024 "nådd"
#   M-2025-001 mål          lower 10.8 vs 10.2 misses, assessed achieved: disagrees
#   M-2025-002 mål          lower 10.2 vs 10.2 (boundary) meets, assessed achieved

P=(--period 2025-2028)
define M-2025-001 --area finans --level mål --text "Redusere sykefraværet" "${P[@]}" \
	--indicator Sykefravær --unit % --direction lower --target 2025=10.2
define M-2025-002 --area finans --level mål --text "Sykefravær i staben" "${P[@]}" \
	--indicator Sykefravær --unit % --direction lower --target 2025=10.2
define M-2025-003 --area oppvekst_utdanning --level resultatmål --text "Flere lærlinger" "${P[@]}" \
	--indicator "Andel lærlinger" --unit % --direction higher --target 2025=3
define M-2025-004 --area BO-OU --level resultatmal --text "Flere fagarbeidere" "${P[@]}" \
	--indicator "Andel fagarbeidere" --unit % --direction høyere --target 2025=3
define M-2025-005 --area "helse og omsorg" --level periodemål --text "Kortere ventetid" "${P[@]}" \
	--indicator Ventetid --unit dager --direction lower --target 2025=12.5
define M-2025-006 --area helse_omsorg --level Periodemål --text "Bedre tjenester" "${P[@]}" \
	--indicator Avvik --direction lower --target 2025=8
q goal indicator M-2025-006 --name Tilfredshet --direction higher --target 2025=5 >/dev/null
define M-2025-007 --area BO-HO --level mål --text "Færre fall" "${P[@]}" \
	--indicator Fall --direction ned --target 2025=2
define M-2025-008 --area byutvikling --level tiltak --text "Raskere byggesak" "${P[@]}" \
	--indicator Saksbehandlingstid --direction lower --target 2025=21
q goal indicator M-2025-008 --name Klager --direction lower --target 2025=4 >/dev/null
define M-2023-001 --area finans --level mål --text "Balanse i 2024" --period 2023-2024

q goal measure M-2025-001 --value 10.8 --date 2025-12-31 >/dev/null
q goal measure M-2025-002 --value 10.2 --date 2025-12-31 >/dev/null
q goal measure M-2025-003 --value 5.9 --date 2025-12-31 >/dev/null
q goal measure M-2025-004 --value 3 --date 2025-12-31 >/dev/null
q goal measure M-2025-005 --value 13 --date 2025-12-31 >/dev/null
q goal measure M-2025-006/I1 --value 7.5 --date 2025-12-31 >/dev/null
q goal measure M-2025-006/I2 --value 4.5 --date 2025-12-31 >/dev/null
q goal measure M-2025-007 --value 3 --date 2025-12-31 >/dev/null
q goal measure M-2025-008/I1 --value 19.5 --date 2025-12-31 >/dev/null
q goal measure M-2025-008/I2 --value 5 --date 2025-12-31 >/dev/null
# An earlier measurement of the year does not count when a later one exists.
q goal measure M-2025-002 --value 11.5 --date 2025-06-30 >/dev/null

q goal assess M-2025-001 --year 2025 --status achieved >/dev/null
q goal assess M-2025-002 --year 2025 --status achieved >/dev/null
q goal assess M-2025-003 --year 2025 --status "ikke nådd" >/dev/null
q goal assess M-2025-004 --year 2025 --status "i rute" >/dev/null
q goal assess M-2025-005 --year 2025 --status "Resultatmålet er i rute" >/dev/null
q goal assess M-2025-006 --year 2025 --status "delvis nådd" >/dev/null
q goal assess M-2025-008 --year 2025 --status "i positiv utvikling" >/dev/null
q goal assess M-2023-001 --year 2024 --status "nådd" >/dev/null

# ---- computed beside assessed, every row ----

run goals --year 2025 --format csv
expect_exit 0
expect_stderr_empty
expect_stdout_lines 9
expect_eq "rows by area, then number" \
	"M-2025-003 M-2025-004 M-2025-005 M-2025-006 M-2025-007 M-2025-008 M-2025-001 M-2025-002" "$(numbers)"
# lower: 10.8 misses 10.2; 10.2 meets 10.2 (the later of two measurements).
expect_stdout_match '^M-2025-001,[^,]+,mal,finans,,,Redusere sykefraværet,2025,2028,false,2025,,achieved,,not_achieved,1,0,true,I1,10\.8,10\.2,%,lower$'
expect_stdout_match '^M-2025-002,[^,]+,mal,finans,,,Sykefravær i staben,2025,2028,false,2025,,achieved,,achieved,1,1,false,I1,10\.2,10\.2,%,lower$'
# higher: 5.9 meets 3; 3 meets 3.
expect_stdout_match '^M-2025-003,[^,]+,resultatmal,oppvekst_utdanning,,,Flere lærlinger,2025,2028,false,2025,,not_achieved,ikke nådd,achieved,1,1,true,I1,5\.9,3,%,higher$'
expect_stdout_match '^M-2025-004,[^,]+,resultatmal,oppvekst_utdanning,,,Flere fagarbeidere,2025,2028,false,2025,,on_track,i rute,achieved,1,1,false,I1,3,3,%,higher$'
# on_track against a miss disagrees; on_track against partly does not.
expect_stdout_match '^M-2025-005,[^,]+,periodemal,helse_omsorg,,,Kortere ventetid,2025,2028,false,2025,,on_track,Resultatmålet er i rute,not_achieved,1,0,true,I1,13,12\.5,dager,lower$'
expect_stdout_match '^M-2025-006,[^,]+,periodemal,helse_omsorg,,,Bedre tjenester,2025,2028,false,2025,,partly,delvis nådd,partly,2,1,false,I1,7\.5,8,,lower$'
expect_stdout_match '^M-2025-007,[^,]+,mal,helse_omsorg,,,Færre fall,2025,2028,false,2025,,unassessed,,not_achieved,1,0,false,I1,3,2,,lower$'
expect_stdout_match '^M-2025-008,[^,]+,tiltak,byutvikling,,,Raskere byggesak,2025,2028,false,2025,,on_track,i positiv utvikling,partly,2,1,false,I1,19\.5,21,,lower$'

run goals --year 2025
expect_exit 0
expect_stdout_match '^GOAL +LEVEL +AREA +YEAR +PART +ASSESSED +COMPUTED +MEASURED +TARGET +CHECK +TEXT$'
expect_stdout_match '^M-2025-001 +mål +finans +2025 +— +achieved +not_achieved 0/1 +10,8 % +10,2 % +disagrees +Redusere sykefraværet$'
expect_stdout_match '^M-2025-002 +mål +finans +2025 +— +achieved +achieved 1/1 +10,2 % +10,2 % +Sykefravær i staben$'
expect_stdout_match '^M-2025-003 +resultatmål +oppvekst og utdanning +2025 +— +not_achieved +achieved 1/1 +5,9 % +3 % +disagrees +Flere lærlinger$'
expect_stdout_match '^M-2025-004 +resultatmål +oppvekst og utdanning +2025 +— +on_track +achieved 1/1 +3 % +3 % +Flere fagarbeidere$'
expect_stdout_match '^M-2025-005 +periodemål +helse og omsorg +2025 +— +on_track +not_achieved 0/1 +13 dager +12,5 dager +disagrees +Kortere ventetid$'
expect_stdout_match '^M-2025-006 +periodemål +helse og omsorg +2025 +— +partly +partly 1/2 +7,5 +8 +Bedre tjenester$'
expect_stdout_match '^M-2025-007 +mål +helse og omsorg +2025 +— +unassessed +not_achieved 0/1 +3 +2 +Færre fall$'
expect_stdout_match '^8 rows$'
run goal show M-2025-006
expect_stdout_match '^  2025  — +partly +delvis nådd +partly 1/2 *$'
expect_stdout_match '^  2025 +8 +7,5 +31\.12\.2025 +yes$'
expect_stdout_match '^  2025 +5 +4,5 +31\.12\.2025 +no$'
run goal show M-2025-004 --format json
expect_stdout_match '"met":true\}'
expect_stdout_match '"computed":"achieved","indicators_counted":1,"indicators_met":1,"disagrees":false\}'

# ---- --disagree: exactly the contradicting rows ----

run goals --year 2025 --disagree --format csv
expect_exit 0
expect_eq "--disagree" "M-2025-003 M-2025-005 M-2025-001" "$(numbers)"
expect_stdout_nomatch ',false,I[0-9]'
run goals --disagree
expect_stdout_match '^3 rows$'
run goals --disagree --area finans --format csv
expect_eq "--disagree --area finans" "M-2025-001" "$(numbers)"
run goals --year 2024 --disagree --format csv
expect_stdout_is "$GOAL_HEADER"

# ---- without --year: each goal in force with its latest assessed year ----

run goals --format csv
expect_exit 0
expect_eq "every goal in force" \
	"M-2025-003 M-2025-004 M-2025-005 M-2025-006 M-2025-007 M-2025-008 M-2023-001 M-2025-001 M-2025-002" "$(numbers)"
expect_stdout_match '^M-2023-001,[^,]+,mal,finans,,,Balanse i 2024,2023,2024,false,2024,,achieved,nådd,,0,0,false,,,,,$'
expect_stdout_match '^M-2025-007,[^,]+,mal,helse_omsorg,,,Færre fall,2025,2028,false,,,unassessed,,,0,0,false,,,,,$'
run goals
expect_stdout_match '^M-2025-007 +mål +helse og omsorg +— +— +unassessed +— +— +— +Færre fall$'
expect_stdout_match '^M-2023-001 +mål +finans +2024 +— +achieved +— +— +— +Balanse i 2024$'

# ---- filters ----

for area in finans Finans BO-FIN bo-fin; do
	run goals --area "$area" --format csv
	expect_exit 0
	expect_eq "--area $area" "M-2023-001 M-2025-001 M-2025-002" "$(numbers)"
done
for area in "helse og omsorg" "Helse og omsorg" helse_omsorg BO-HO; do
	run goals --year 2025 --area "$area" --format csv
	expect_eq "--area $area" "M-2025-005 M-2025-006 M-2025-007" "$(numbers)"
done
run goals --area sosiale_tjenester --format csv
expect_stdout_is "$GOAL_HEADER"
run goals --area sosiale_tjenester
expect_stdout_is "0 rows"
run goals --year 2024 --format csv
expect_eq "--year 2024" "M-2023-001" "$(numbers)"
run goals --year 2026 --format csv
expect_eq "--year 2026" \
	"M-2025-003 M-2025-004 M-2025-005 M-2025-006 M-2025-007 M-2025-008 M-2025-001 M-2025-002" "$(numbers)"
expect_eq "nothing assessed for 2026" 8 "$(grep -c ',2026,,unassessed,,,0,0,false,,,,,$' "$OUT_FILE")"
run goals --year 2022 --format csv
expect_stdout_is "$GOAL_HEADER"
for status in achieved nådd Nådd "Målet er nådd" oppnådd; do
	run goals --year 2025 --status "$status" --format csv
	expect_exit 0
	expect_eq "--status $status" "M-2025-001 M-2025-002" "$(numbers)"
done
for status in not_achieved "ikke nådd" "Målet er ikke nådd"; do
	run goals --year 2025 --status "$status" --format csv
	expect_eq "--status $status" "M-2025-003" "$(numbers)"
done
for status in on_track "i rute"; do
	run goals --year 2025 --status "$status" --format csv
	expect_eq "--status $status" "M-2025-004 M-2025-005 M-2025-008" "$(numbers)"
done
for status in partly "delvis nådd" "Målet er delvis nådd"; do
	run goals --year 2025 --status "$status" --format csv
	expect_eq "--status $status" "M-2025-006" "$(numbers)"
done
for status in unassessed "ikke vurdert"; do
	run goals --year 2025 --status "$status" --format csv
	expect_eq "--status $status" "M-2025-007" "$(numbers)"
done
run goals --status achieved --format csv
expect_eq "--status achieved, latest years" "M-2023-001 M-2025-001 M-2025-002" "$(numbers)"
for level in periodemål periodemal Periodemål; do
	run goals --level "$level" --format csv
	expect_eq "--level $level" "M-2025-005 M-2025-006" "$(numbers)"
done
run goals --level resultatmål --format csv
expect_eq "--level resultatmål" "M-2025-003 M-2025-004" "$(numbers)"
run goals --level tiltak --year 2025 --format csv
expect_eq "--level tiltak" "M-2025-008" "$(numbers)"
run goals --level mål --format csv
expect_eq "--level mål" "M-2025-007 M-2023-001 M-2025-001 M-2025-002" "$(numbers)"
run goals --year 2025 --area helse_omsorg --status on_track --format csv
expect_eq "--area --status" "M-2025-005" "$(numbers)"
run goals --year 2025 --area finans --level periodemål --format csv
expect_stdout_is "$GOAL_HEADER"

# ---- formats ----

run goals --format csv
expect_eq "csv header" "$GOAL_HEADER" "$(head -n 1 "$OUT_FILE")"
expect_eq "csv header = the keys of --help" "$GOAL_HEADER" \
	"$(q goals --help | sed -n '/^json\/csv keys:/,$p' | sed 's/^json\/csv keys: //' | tr -d '\n' | tr -d ' ')"
run goals --year 2025 --format json
expect_exit 0
expect_stdout_json
expect_stdout_lines 10
expect_eq "json opens an array" "[" "$(head -n 1 "$OUT_FILE")"
expect_eq "json closes it" "]" "$(tail -n 1 "$OUT_FILE")"
bad=""
while IFS= read -r line; do
	[ "$(keys_of "$line")" = "$GOAL_HEADER" ] || bad="$bad $line"
done < <(sed -n '2,$p' "$OUT_FILE" | sed '$d')
expect_eq "every object has the documented keys, in order" "" "$bad"
expect_stdout_match "^\\{\"number\":\"M-2025-001\",\"id\":\"$UUID_RE\",\"level\":\"mal\",\"area\":\"finans\",\"parent\":null,\"title\":null,\"text\":\"Redusere sykefraværet\",\"period_from\":2025,\"period_to\":2028,\"retired\":false,\"year\":2025,\"part\":null,\"status\":\"achieved\",\"wording\":null,\"computed\":\"not_achieved\",\"indicators_counted\":1,\"indicators_met\":0,\"disagrees\":true,\"indicator\":\"I1\",\"measured\":10\\.8,\"target\":10\\.2,\"unit\":\"%\",\"direction\":\"lower\"\\},\$"
expect_stdout_match '^\{"number":"M-2025-002",.*"direction":"lower"\}$'
run goals --format json
expect_stdout_match '^\{"number":"M-2025-007",.*"year":null,"part":null,"status":"unassessed","wording":null,"computed":null,"indicators_counted":0,"indicators_met":0,"disagrees":false,"indicator":null,"measured":null,"target":null,"unit":null,"direction":null\},$'
run goals --area sosiale_tjenester --format json
expect_exit 0
expect_stdout_is "[]"

# Round numbers print as numbers: 30, not 3e+01.
new_store round.db
define M-2025-001 --db round.db --area finans --level mål --text "Runde tall" "${P[@]}" \
	--indicator Antall --direction higher --baseline 100 --target 2025=30
q goal measure M-2025-001 --db round.db --value 20 --date 2025-12-31 >/dev/null
q goal assess M-2025-001 --db round.db --year 2025 --status "ikke nådd" >/dev/null
run goals --db round.db --format csv
expect_stdout_match '^M-2025-001,.*,not_achieved,ikke nådd,not_achieved,1,0,false,I1,20,30,,higher$'
run goal show M-2025-001 --db round.db
expect_stdout_match '^  baseline     100 \(—\)$'
expect_stdout_match '^  2025 +30 +20 +31\.12\.2025 +no$'

# ---- goals summary, counted by hand ----
#
# summary.db, year 2025:
#   finans        M-2025-001 achieved, measured misses: disagrees
#                 M-2025-002 not assessed (its measurement meets)
#                 M-2026-001 period 2026–2028: not in 2025
#   helse og omsorg
#                 M-2025-003 two parts: A partly (not measured), B not_achieved
#                 while B's measurement meets: disagrees; no row for the whole
#                 M-2024-001 2024–2027, retired 2024-06-30: not in 2025
#   oppvekst og utdanning
#                 M-2025-004 on_track, measurement meets; retired 2025-06-30:
#                 in 2025
#                 M-2025-005 periodemål, "ikke nådd" while 5.9 meets 3: disagrees
#
#   area                   goals rows ach part not on_tr unass disagree
#   oppvekst og utdanning      2    2   0    0   1     1     0        1
#   helse og omsorg            1    2   0    1   1     0     0        1
#   finans                     2    2   1    0   0     0     1        1
#   total                      5    6   1    1   2     1     1        3

S=(--db summary.db)
new_store summary.db
define M-2025-001 "${S[@]}" --area finans --level mål --text "S1" "${P[@]}" \
	--indicator A --direction lower --target 2025=10.2
define M-2025-002 "${S[@]}" --area finans --level mål --text "S2" "${P[@]}" \
	--indicator A --direction lower --target 2025=10.2
define M-2025-003 "${S[@]}" --area helse_omsorg --level mål --text "S3" "${P[@]}" \
	--indicator A --direction lower --target 2025=20 --part Sykehjem
q goal indicator M-2025-003 "${S[@]}" --name B --direction higher --target 2025=4 \
	--part Hjemmetjeneste >/dev/null
define M-2024-001 "${S[@]}" --area helse_omsorg --level mål --text "S4" --period 2024-2027
define M-2025-004 "${S[@]}" --area oppvekst_utdanning --level mål --text "S5" "${P[@]}" \
	--indicator A --direction higher --target 2025=3
define M-2025-005 "${S[@]}" --area oppvekst_utdanning --level periodemål --text "S6" "${P[@]}" \
	--indicator A --direction higher --target 2025=3
define M-2026-001 "${S[@]}" --area finans --level mål --text "S7" --period 2026-2028
q goal measure M-2025-001 "${S[@]}" --value 10.8 --date 2025-12-31 >/dev/null
q goal measure M-2025-002 "${S[@]}" --value 9.5 --date 2025-12-31 >/dev/null
q goal measure M-2025-003/I2 "${S[@]}" --value 4 --date 2025-12-31 >/dev/null
q goal measure M-2025-004 "${S[@]}" --value 5 --date 2025-05-31 >/dev/null
q goal measure M-2025-005 "${S[@]}" --value 5.9 --date 2025-12-31 >/dev/null
q goal assess M-2025-001 "${S[@]}" --year 2025 --status achieved >/dev/null
q goal assess M-2025-003 "${S[@]}" --year 2025 --part Sykehjem --status "delvis nådd" >/dev/null
q goal assess M-2025-003 "${S[@]}" --year 2025 --part Hjemmetjeneste --status "ikke nådd" >/dev/null
q goal assess M-2024-001 "${S[@]}" --year 2024 --status nådd >/dev/null
q goal assess M-2025-004 "${S[@]}" --year 2025 --status "i rute" >/dev/null
q goal assess M-2025-005 "${S[@]}" --year 2025 --status "ikke nådd" >/dev/null
q goal assess M-2026-001 "${S[@]}" --year 2026 --status nådd >/dev/null
q goal retire M-2024-001 "${S[@]}" --reason "Slått sammen." --effective 2024-06-30 >/dev/null
q goal retire M-2025-004 "${S[@]}" --reason "Nådd tidlig." --effective 2025-06-30 >/dev/null

run goals summary --year 2025 "${S[@]}"
expect_exit 0
expect_stderr_empty
expect_stdout_lines 7
expect_eq "the title" "Goal achievement 2025: rows by status, per area" "$(head -n 1 "$OUT_FILE")"
expect_stdout_match '^AREA +GOALS +ROWS +ACHIEVED +PARTLY +NOT ACH\. +ON TRACK +UNASSESSED +DISAGREE$'
expect_stdout_match '^oppvekst og utdanning +2 +2 +0 +0 +1 +1 +0 +1$'
expect_stdout_match '^helse og omsorg +1 +2 +0 +1 +1 +0 +0 +1$'
expect_stdout_match '^finans +2 +2 +1 +0 +0 +0 +1 +1$'
expect_stdout_match '^total +5 +6 +1 +1 +2 +1 +1 +3$'
expect_eq "areas in order, total last" "oppvekst helse finans total" \
	"$(tail -n 4 "$OUT_FILE" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
run goals summary --year 2025 --format json "${S[@]}"
expect_exit 0
expect_stdout_json
expect_stdout_is '[
{"area":"oppvekst_utdanning","area_name":"oppvekst og utdanning","goals":2,"rows":2,"achieved":0,"partly":0,"not_achieved":1,"on_track":1,"unassessed":0,"disagree":1},
{"area":"helse_omsorg","area_name":"helse og omsorg","goals":1,"rows":2,"achieved":0,"partly":1,"not_achieved":1,"on_track":0,"unassessed":0,"disagree":1},
{"area":"finans","area_name":"finans","goals":2,"rows":2,"achieved":1,"partly":0,"not_achieved":0,"on_track":0,"unassessed":1,"disagree":1},
{"area":"total","area_name":"total","goals":5,"rows":6,"achieved":1,"partly":1,"not_achieved":2,"on_track":1,"unassessed":1,"disagree":3}
]'
run goals summary --year 2025 --format csv "${S[@]}"
expect_exit 0
expect_stdout_is "$SUMMARY_HEADER
oppvekst_utdanning,oppvekst og utdanning,2,2,0,0,1,1,0,1
helse_omsorg,helse og omsorg,1,2,0,1,1,0,0,1
finans,finans,2,2,1,0,0,0,1,1
total,total,5,6,1,1,2,1,1,3"
expect_eq "summary csv header = the keys of --help" "$SUMMARY_HEADER" \
	"$(q goals summary --help | sed -n '/^json\/csv keys:/,/^on_track/p' | sed 's/^json\/csv keys: //; s/ (json:.*//' | tr -d '\n' | tr -d ' ')"
# The rows the summary counts are the rows `goals` lists.
run goals --year 2025 --format csv "${S[@]}"
expect_eq "the listing of summary.db" "M-2025-004 M-2025-005 M-2025-003 M-2025-003 M-2025-001 M-2025-002" "$(numbers)"
expect_stdout_match '^M-2025-004,.*,true,2025,,on_track,i rute,achieved,1,1,false,'
expect_stdout_match '^M-2025-003,.*,2025,Sykehjem,partly,delvis nådd,,0,0,false,,,,,$'
expect_stdout_match '^M-2025-003,.*,2025,Hjemmetjeneste,not_achieved,ikke nådd,achieved,1,1,true,I2,4,4,,higher$'
# --level counts only goals of that level.
run goals summary --year 2025 --level periodemål --format csv "${S[@]}"
expect_exit 0
expect_stdout_is "$SUMMARY_HEADER
oppvekst_utdanning,oppvekst og utdanning,1,1,0,0,1,0,0,1
total,total,1,1,0,0,1,0,0,1"
run goals summary --year 2025 --level mål --format csv "${S[@]}"
expect_stdout_is "$SUMMARY_HEADER
oppvekst_utdanning,oppvekst og utdanning,1,1,0,0,0,1,0,0
helse_omsorg,helse og omsorg,1,2,0,1,1,0,0,1
finans,finans,2,2,1,0,0,0,1,1
total,total,4,5,1,1,1,1,1,2"
run goals summary --year 2025 --level periodemål "${S[@]}"
expect_stdout_lines 5
expect_stdout_match '^total +1 +1 +0 +0 +1 +0 +0 +1$'
# 2024: the goal retired during 2024 counts; 2026: the goal retired in 2025
# does not, the one whose period starts in 2026 does.
run goals summary --year 2024 --format csv "${S[@]}"
expect_stdout_is "$SUMMARY_HEADER
helse_omsorg,helse og omsorg,1,1,1,0,0,0,0,0
total,total,1,1,1,0,0,0,0,0"
run goals summary --year 2026 --format csv "${S[@]}"
expect_stdout_is "$SUMMARY_HEADER
oppvekst_utdanning,oppvekst og utdanning,1,1,0,0,0,0,1,0
helse_omsorg,helse og omsorg,1,1,0,0,0,0,1,0
finans,finans,3,3,1,0,0,0,2,0
total,total,5,5,1,0,0,0,4,0"
run goals summary --year 2030 "${S[@]}"
expect_stdout_match '^total +0 +0 +0 +0 +0 +0 +0 +0$'
expect_stdout_lines 4
# As known before the retirements: M-2024-001 is counted in 2025 too.
at=$(q log "${S[@]}" --format csv | awk -F, '$5 == "goal.retired" { print prev; exit } { prev = $6 }')
run goals summary --year 2025 --known-at "$at" --format csv "${S[@]}"
expect_exit 0
expect_stdout_match '^helse_omsorg,helse og omsorg,2,3,0,1,1,0,1,1$'
expect_stdout_match '^total,total,6,7,1,1,2,1,2,3$'
# The fixture's verdicts in kontroll.db, summed the same way.
run goals summary --year 2025 --format csv
expect_stdout_is "$SUMMARY_HEADER
oppvekst_utdanning,oppvekst og utdanning,2,2,0,0,1,1,0,1
helse_omsorg,helse og omsorg,3,3,0,1,0,1,1,1
byutvikling,byutvikling,1,1,0,0,0,1,0,0
finans,finans,2,2,2,0,0,0,0,1
total,total,8,8,2,1,1,3,1,3"

finish
