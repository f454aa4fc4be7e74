#!/usr/bin/env bash
# goal_lifecycle.sh — a goal (måloppnåelse) through every `kontroll goal`
# command that writes, each step checked where a user sees it: what the
# command prints (plain and --format json), the event it wrote (`kontroll
# log`, `kontroll history`), `kontroll goal show` (table and json) and
# `kontroll goals`. Paths: the issue's example as written; numbering per
# year of the period's start; the ways of naming a goal; a second indicator
# and measurements that must name theirs; the report's verdict wordings;
# parts assessed apart; a later assessment replacing an earlier; revisions
# that leave earlier years as they were; --as-of and --known-at; corrections
# and retractions; retirement.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="q event_id show_json sfield goal_line write_re recorded"

# q ARGS... — kontroll's stdout; a failure is a failed check.
q() {
	"$KONTROLL" "$@" 2>"$E2E_SCRATCH/q-err"
	local rc=$?
	_sanitizer_check "$E2E_SCRATCH/q-err" "kontroll $*"
	[ "$rc" = 0 ] || fail "kontroll $* (helper)" "exit $rc: $(cat "$E2E_SCRATCH/q-err")"
	return 0
}

# event_id NUMBER TYPE [N] — the id of the N-th (default 1st) event of TYPE
# in the goal's stream.
event_id() {
	q log --stream "goal-$1" --format csv | awk -F, -v t="$2" -v n="${3:-1}" \
		'$5 == t && ++k == n { print $2 }'
}

# recorded NUMBER VERSION — the recorded time of that event of the goal.
recorded() {
	q log --stream "goal-$1" --format csv | awk -F, -v v="$2" '$4 == v { print $6 }'
}

# show_json ID [OPTIONS...] — `goal show --format json`.
show_json() {
	local n=$1
	shift
	q goal show "$n" --format json "$@"
}

# sfield NAME ID [OPTIONS...] — the first NAME of show's JSON.
sfield() {
	local name=$1 n=$2
	shift 2
	json_field "$name" "$(show_json "$n" "$@")"
}

# goal_line NUMBER [OPTIONS...] — the csv lines of `goals` for NUMBER.
goal_line() {
	local n=$1
	shift
	q goals --format csv "$@" | grep "^$n,"
}

# write_re NUMBER LABEL VERSION — what a writing command prints with
# --format json (LABEL null or "I1").
write_re() {
	printf '^\\{"id":"%s","number":"%s","label":%s,"position":[0-9]+,"version":%s\\}$' \
		"$UUID_RE" "$1" "$2" "$3"
}

THIS_YEAR=$(date -u +%Y)
PREV_YEAR=$((THIS_YEAR - 1))

new_store

# ---- the issue's example, as written ----

run goal define --area Finans --level mål --text "Redusere sykefraværet" --period 2025-2028 \
	--indicator Sykefravær --unit % --direction lower --baseline 11.2 \
	--target 2025=10.2 --target 2026=9.2
expect_exit 0
expect_stdout_is "M-2025-001"
expect_stderr_empty
run log --stream goal-M-2025-001 --format json
expect_exit 0
expect_stdout_json
expect_stdout_match '"version":1,"type":"goal\.defined",[^{]*"effective":"2025-01-01T00:00:00\.000000Z","actor":"e2e-user",[^{]*"data":\{"area":"finans","level":"mal","text":"Redusere sykefraværet","period_from":2025,"period_to":2028,"number":"M-2025-001"\}'
expect_stdout_match '"version":2,"type":"goal\.indicator_defined",[^{]*"effective":"2025-01-01T00:00:00\.000000Z",[^{]*"data":\{"name":"Sykefravær","unit":"%","direction":"lower","baseline":[0-9.]+,"targets":\{"2025":[0-9.]+,"2026":[0-9.]+\},"indicator":"I1"\}'
run goal show M-2025-001
expect_exit 0
expect_stderr_empty
expect_stdout_match '^M-2025-001  mål · finans · 2025–2028$'
expect_stdout_match '^Redusere sykefraværet$'
expect_stdout_match '^  defined      01\.01\.2025$'
expect_stdout_match '^INDICATOR I1  Sykefravær \(%\), lower is better$'
expect_stdout_match '^  baseline     11,2 % \(—\)$'
expect_stdout_match '^  2025  10,2 % +— +— +—$'
expect_stdout_match '^  2026  +9,2 % +— +— +—$'
expect_stdout_match '^  no measurements$'
expect_stdout_match '^  none$'
expect_stdout_match '^EVENTS \(2; kontroll history --stream goal-M-2025-001\)$'
run goal show M-2025-001 --format json
expect_exit 0
expect_stdout_json
expect_eq "level" '"mal"' "$(json_field level)"
expect_eq "area" '"finans"' "$(json_field area)"
expect_eq "period_from" '2025' "$(json_field period_from)"
expect_eq "period_to" '2028' "$(json_field period_to)"
expect_eq "text" '"Redusere sykefraværet"' "$(json_field text)"
expect_eq "defined" '"2025-01-01"' "$(json_field defined)"
expect_eq "not revised" '0' "$(json_field revisions)"
expect_eq "not retired" 'null' "$(json_field retired)"
expect_eq "as_of_year" 'null' "$(json_field as_of_year)"
expect_stdout_match '"indicators":\[\{"label":"I1","name":"Sykefravær","unit":"%","direction":"lower","part":null,"source":null,'
# Numbers for programs are printed as given (the shortest form that reads
# back as the same double), as `goals --format json` prints them.
expect_stdout_match '"baseline":11\.2,"baseline_date":null,'
expect_stdout_match '"targets":\[\{"year":2025,"target":10\.2,"measured":null,"measured_date":null,"met":null\}'

run goal measure M-2025-001 --value 10.8 --date 2025-12-31
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_stderr_empty
measured1=$OUT
run log --stream goal-M-2025-001 --format csv
expect_stdout_match "^3,$measured1,goal-M-2025-001,3,goal\\.measured,[^,]*,2025-12-31T00:00:00\\.000000Z,e2e-user,"
expect_stdout_match '"date"":""2025-12-31"",""indicator"":""I1""'
run goal show M-2025-001
expect_stdout_match '^  2025  10,2 % +10,8 % +31\.12\.2025 +no$'
expect_stdout_match '^  series \(1\)$'
expect_stdout_match '^    31\.12\.2025 +10,8 % *$'
run goal show M-2025-001 --format json
expect_stdout_match '"measured_date":"2025-12-31","met":false\}'
expect_stdout_match '"series":\[\{"date":"2025-12-31","value":10\.8,"source":null,"note":null\}\]'

run goal assess M-2025-001 --year 2025 --status achieved --text "Sykefraværet gikk ned i 2025."
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_stderr_empty
run log --stream goal-M-2025-001 --format json
expect_stdout_match '"version":4,"type":"goal\.assessed",[^{]*"data":\{"year":2025,"status":"achieved","text":"Sykefraværet gikk ned i 2025\."\}'
run goal show M-2025-001 --format json
expect_stdout_match '"assessments":\[\{"year":2025,"part":null,"status":"achieved","wording":null,"text":"Sykefraværet gikk ned i 2025\.","source":null,"effective":"[0-9-]+","computed":"not_achieved","indicators_counted":1,"indicators_met":0,"disagrees":true\}\]'
run goal show M-2025-001
expect_stdout_match '^  2025  — +achieved +not_achieved 0/1 +disagrees +Sykefraværet gikk ned i 2025\.$'
run goals
expect_exit 0
expect_stderr_empty
expect_stdout_match '^M-2025-001 +mål +finans +2025 +— +achieved +not_achieved 0/1 +10,8 % +10,2 % +disagrees +Redusere sykefraværet$'
expect_stdout_match '^1 row$'
run goals --format csv
expect_stdout_match '^M-2025-001,[^,]+,mal,finans,,,Redusere sykefraværet,2025,2028,false,2025,,achieved,,not_achieved,1,0,true,I1,10\.8,10\.2,%,lower$'

# The same with the report's wording: it replaces the year's assessment.
run goal assess M-2025-001 --year 2025 --status "Målet er ikke nådd" --text "Målet på 10,2 % ble ikke nådd."
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_stderr_empty
run log --stream goal-M-2025-001 --format json
expect_stdout_match '"version":5,"type":"goal\.assessed",[^{]*"data":\{"year":2025,"status":"not_achieved","text":"Målet på 10,2 % ble ikke nådd\.","wording":"Målet er ikke nådd"\}'
run goals --year 2025 --format csv
expect_stdout_lines 2
expect_stdout_match '^M-2025-001,.*,2025,,not_achieved,Målet er ikke nådd,not_achieved,1,0,false,I1,'
run goal show M-2025-001
expect_stdout_match '^  2025  — +not_achieved +Målet er ikke nådd +not_achieved 0/1 +Målet på 10,2 % ble ikke nådd\.$'
expect_stdout_nomatch '^  2025  — +achieved'
run goal show M-2025-001 --format json
expect_eq "one assessment row for 2025" 1 "$(grep -o '{"year":2025,"part"' "$OUT_FILE" | wc -l)"

# ---- numbering: per year of the period's start ----

run goal define --area BO-FIN --level periodemål --text "Økonomisk handlingsrom" --period 2025-2028 \
	--title "Periodemål 1" --source "Handlingsprogram 2025–2028, s. 12"
expect_exit 0
expect_stdout_is "M-2025-002"
run goal define --area "helse og omsorg" --level resultatmål --text "Kortere ventetid" \
	--period 2023-2026 --indicator Ventetid --unit dager --direction lower \
	--target 2024=5.5 --target 2025=5
expect_exit 0
expect_stdout_is "M-2023-001"
expect_eq "a period from 2023 takes effect 2023-01-01" '"2023-01-01"' "$(sfield defined M-2023-001)"
run goal define --area finans --level mål --text "Ordtak" --period "2025–2026" \
	--parent m-2025-002 --format json
expect_exit 0
expect_stdout_match "$(write_re M-2025-003 null 1)"
run goal define --area finans --level undermål --text "Med indikator" --period 2025 \
	--indicator Andel --direction higher --format json
expect_exit 0
expect_stdout_match "$(write_re M-2025-004 '"I1"' 1)"
run log --stream goal-M-2025-004 --format csv
expect_stdout_match ',goal-M-2025-004,1,goal\.defined,'
expect_stdout_match ',goal-M-2025-004,2,goal\.indicator_defined,'
expect_eq "the en dash period" '2026' "$(sfield period_to M-2025-003)"
expect_eq "the one-year period" '2025' "$(sfield period_to M-2025-004)"
expect_eq "the parent" '"M-2025-002"' "$(sfield parent M-2025-003)"
run goal show M-2025-002 --format json
expect_stdout_match '"title":"Periodemål 1","text":"Økonomisk handlingsrom","source":"Handlingsprogram 2025–2028, s\. 12","parent":null,"children":\["M-2025-003"\],'
run goal show M-2025-002
expect_stdout_match '^  sub-goals    M-2025-003$'
expect_stdout_match '^  title        Periodemål 1$'
expect_stdout_match '^no indicators$'

# ---- the ways of naming a goal ----

gid=$(sfield id M-2025-001 | tr -d '"')
for id in M-2025-001 m-2025-001 goal-M-2025-001 2025-1 2025-001 "${gid:0:18}" "$gid"; do
	run goal show "$id" --format json
	expect_exit 0
	expect_eq "goal show $id" '"M-2025-001"' "$(json_field number)"
done
run goal measure 2025-1 --value 10.9 --date 2025-03-31 --note "Første kvartal" --source "HR-portalen"
expect_exit 0
run goal show goal-M-2025-001
expect_stdout_match '^    31\.03\.2025 +10,9 % +HR-portalen +Første kvartal$'
expect_stdout_match '^  series \(2\)$'

# ---- a second indicator; measurements must say which ----

run goal indicator m-2025-001 --name "Andel friskmeldte" --unit % --direction higher \
	--target 2025=3 --source "KOSTRA"
expect_exit 0
expect_stdout_is "M-2025-001/I2"
expect_stderr_empty
run log --stream goal-M-2025-001 --format json
expect_stdout_match '"type":"goal\.indicator_defined",[^{]*"effective":"2025-01-01T00:00:00\.000000Z",[^{]*"data":\{"name":"Andel friskmeldte","unit":"%","direction":"higher","targets":\{"2025":3(\.0)?\},"source":"KOSTRA","indicator":"I2"\}'
run goal measure M-2025-001 --value 5.5 --date 2025-06-30
expect_error 2 '^kontroll goal: M-2025-001 has 2 indicators: name one with --indicator \(I1 … I2\) or M-2025-001/I1; nothing written$'
run goal measure M-2025-001/I2 --value 5.5 --date 2025-06-30 --format json
expect_exit 0
expect_stdout_match "$(write_re M-2025-001 '"I2"' 8)"
run goal measure M-2025-001 --indicator i2 --value 6.25 --date 2025-09-30
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
run goal measure m-2025-001/i1 --value 10,85 --date 2025-06-30
expect_exit 0
run goal show M-2025-001
expect_stdout_match '^INDICATOR I2  Andel friskmeldte \(%\), higher is better$'
expect_stdout_match '^  2025  +3 % +6,25 % +30\.09\.2025 +yes$'
expect_stdout_match '^    30\.06\.2025 +10,85 % *$'
expect_stdout_match '^  series \(3\)$'
expect_stdout_match '^  series \(2\)$'
run goal show M-2025-001 --format json
expect_stdout_match '"label":"I2","name":"Andel friskmeldte","unit":"%","direction":"higher","part":null,"source":"KOSTRA",'
expect_stdout_match '"series":\[\{"date":"2025-06-30","value":5\.5,"source":null,"note":null\},\{"date":"2025-09-30","value":6\.25,"source":null,"note":null\}\]'
# One indicator meets its target, one does not.
run goals --year 2025 --format csv
expect_stdout_match '^M-2025-001,.*,2025,,not_achieved,Målet er ikke nådd,partly,2,1,true,I1,10\.8,10\.2,%,lower$'

# ---- the report's wordings ----

check_wording() {
	local wording=$1 status=$2 kept=$3
	run goal assess M-2025-003 --year 2025 --status "$wording"
	expect_exit 0
	expect_eq "'$wording' states $status" "M-2025-003,$status,$kept" \
		"$(goal_line M-2025-003 --year 2025 | awk -F, '{print $1 "," $13 "," $14}')"
}
E2E_HELPERS="$E2E_HELPERS check_wording"
check_wording "nådd" achieved "nådd"
check_wording "Oppnådd" achieved "Oppnådd"
check_wording "delvis nådd" partly "delvis nådd"
check_wording "Målet er delvis nådd" partly "Målet er delvis nådd"
check_wording "I hovedsak nådd" partly "I hovedsak nådd"
check_wording "ikke nådd" not_achieved "ikke nådd"
check_wording "Resultatmålet nådde nesten målene" not_achieved "Resultatmålet nådde nesten målene"
check_wording "i rute" on_track "i rute"
check_wording "Resultatmålet er i rute" on_track "Resultatmålet er i rute"
check_wording "not_achieved" not_achieved ""
check_wording "partly" partly ""
run goal assess M-2025-003 --year 2025 --status partly --wording "Delvis i mål" --format json
expect_exit 0
expect_stdout_match "$(write_re M-2025-003 null 13)"
expect_eq "--wording is kept" "partly,Delvis i mål" \
	"$(goal_line M-2025-003 --year 2025 | awk -F, '{print $13 "," $14}')"
# Each later assessment replaced the one before: one row, one in show.
expect_eq "one row for M-2025-003" 1 "$(goal_line M-2025-003 --year 2025 | wc -l)"
run goal show M-2025-003 --format json
expect_eq "one assessment in show" 1 "$(grep -o '{"year":2025,"part"' "$OUT_FILE" | wc -l)"

# ---- parts assessed apart ----

run goal define --area "oppvekst og utdanning" --level mål --text "Bedre skolemiljø" \
	--period 2025-2028 --indicator Mobbing --unit % --direction lower --target 2025=6.5 \
	--part Barneskole
expect_stdout_is "M-2025-005"
run goal indicator M-2025-005 --name Trivsel --direction higher --target 2025=4.2 --part Ungdomsskole
expect_stdout_is "M-2025-005/I2"
q goal measure M-2025-005/I1 --value 6.1 --date 2025-11-01 >/dev/null
q goal measure M-2025-005/I2 --value 4.0 --date 2025-11-01 >/dev/null
run goal assess M-2025-005 --year 2025 --part Barneskole --status nådd
expect_exit 0
run goal assess M-2025-005 --year 2025 --part Ungdomsskole --status "Målet er nådd" --text "Først."
expect_exit 0
run goals --year 2025 --format csv
expect_eq "two rows for a goal assessed in two parts" 2 "$(grep -c '^M-2025-005,' "$OUT_FILE")"
expect_stdout_match '^M-2025-005,.*,2025,Barneskole,achieved,nådd,achieved,1,1,false,I1,6\.1,6\.5,%,lower$'
expect_stdout_match '^M-2025-005,.*,2025,Ungdomsskole,achieved,Målet er nådd,not_achieved,1,0,true,I2,4,4\.2,,higher$'
expect_stdout_nomatch '^M-2025-005,([^,]*,){9}2025,,'
# A later assessment of the same year and part replaces the earlier.
run goal assess M-2025-005 --year 2025 --part Ungdomsskole --status "ikke nådd" --text "Rettet."
expect_exit 0
run goals --year 2025 --format csv
expect_eq "still two rows" 2 "$(grep -c '^M-2025-005,' "$OUT_FILE")"
expect_stdout_match '^M-2025-005,.*,2025,Ungdomsskole,not_achieved,ikke nådd,not_achieved,1,0,false,I2,'
run goal show M-2025-005
expect_stdout_match '^  2025  Barneskole +achieved +nådd +achieved 1/1 *$'
expect_stdout_match '^  2025  Ungdomsskole +not_achieved +ikke nådd +not_achieved 0/1 +Rettet\.$'
expect_stdout_nomatch 'Først\.'
expect_stdout_match '^  part         Barneskole$'
run goals --year 2025
expect_stdout_match '^M-2025-005 +mål +oppvekst og utdanning +2025 +Barneskole +achieved +achieved 1/1 +6,1 % +6,5 % +Bedre skolemiljø$'
expect_stdout_match '^M-2025-005 +mål +oppvekst og utdanning +2025 +Ungdomsskole +not_achieved +not_achieved 0/1 +4 +4,2 +Bedre skolemiljø$'

# ---- revisions leave earlier years as they were ----

q goal measure M-2023-001 --value 5.25 --date 2024-12-31 >/dev/null
q goal assess M-2023-001 --year 2024 --status nådd >/dev/null
run goal revise M-2023-001 --indicator I1 --target 2024=4.5 --effective 2025-03-01 \
	--reason "Skjerpet mål etter budsjettvedtaket." --format json
expect_exit 0
expect_stdout_match "$(write_re M-2023-001 '"I1"' 5)"
run log --stream goal-M-2023-001 --format json
expect_stdout_match '"version":5,"type":"goal\.indicator_revised",[^{]*"effective":"2025-03-01T00:00:00\.000000Z",[^{]*"data":\{"reason":"Skjerpet mål etter budsjettvedtaket\.","targets":\{"2024":4\.5\},"indicator":"I1"\}'
run goals --year 2024 --format csv
expect_stdout_match '^M-2023-001,.*,2024,,achieved,nådd,achieved,1,1,false,I1,5\.25,5\.5,dager,lower$'
run goal show M-2023-001 --year 2024
expect_exit 0
expect_stdout_match '^\(as defined at the end of 2024\)$'
expect_stdout_match '^  2024  +5,5 dager +5,25 dager +31\.12\.2024 +yes$'
run goal show M-2023-001 --year 2024 --format json
expect_stdout_match '"as_of_year":2024,'
expect_stdout_match '\{"year":2024,"target":5\.5,"measured":5\.25,"measured_date":"2024-12-31","met":true\}'
run goal show M-2023-001
expect_stdout_match '^  2024  +4,5 dager +5,25 dager +31\.12\.2024 +no$'
expect_stdout_match '^  2025  +5 dager +— +— +—$'
run goal show M-2023-001 --format json
expect_stdout_match '\{"year":2024,"target":4\.5,"measured":5\.25,"measured_date":"2024-12-31","met":false\}'
# A revision of the goal itself, back-dated: level and title from 2025 on.
run goal revise M-2023-001 --level periodemål --title "Periodemål 3" --effective 2025-01-01 \
	--reason "Løftet i planen."
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_eq "level in 2024" '"resultatmal"' "$(sfield level M-2023-001 --year 2024)"
expect_eq "level in 2025" '"periodemal"' "$(sfield level M-2023-001 --year 2025)"
expect_eq "no title in 2024" 'null' "$(sfield title M-2023-001 --year 2024)"
expect_eq "title from 2025" '"Periodemål 3"' "$(sfield title M-2023-001)"
run goals --year 2024 --format csv
expect_stdout_match '^M-2023-001,[^,]*,resultatmal,helse_omsorg,,,Kortere ventetid,'
# A text revision effective now leaves last year's text alone.
run goal revise goal-M-2023-001 --text "Kortere ventetid på sykehjemsplass" --reason "Presisert."
expect_exit 0
expect_eq "the text of $PREV_YEAR" '"Kortere ventetid"' "$(sfield text M-2023-001 --year "$PREV_YEAR")"
expect_eq "the text of $THIS_YEAR" '"Kortere ventetid på sykehjemsplass"' \
	"$(sfield text M-2023-001 --year "$THIS_YEAR")"
expect_eq "the text now" '"Kortere ventetid på sykehjemsplass"' "$(sfield text M-2023-001)"
expect_eq "two revisions of the goal" '2' "$(sfield revisions M-2023-001)"
run goal show M-2023-001
expect_stdout_match '^Kortere ventetid på sykehjemsplass$'
expect_stdout_match '^  defined      01\.01\.2023 \(revised 2 times\)$'
expect_stdout_match '^ +[0-9]+  01\.03\.2025 +goal\.indicator_revised +[0-9a-f-]+ *$'
expect_stdout_match '^ +[0-9]+  01\.01\.2025 +goal\.revised +[0-9a-f-]+ *$'
run history --stream goal-M-2023-001
expect_exit 0
expect_stdout_match ' goal\.indicator_revised +e2e-user +Skjerpet mål etter budsjettvedtaket\.$'
# A revision's summary is its new text when it has one, else its reason.
expect_stdout_match ' goal\.revised +e2e-user +Kortere ventetid på sykehjemsplass$'
expect_stdout_match ' goal\.revised +e2e-user +Løftet i planen\.$'
run goal revise M-2023-001 --period 2023-2027 --reason "Forlenget." --format json
expect_exit 0
expect_stdout_match "$(write_re M-2023-001 null 8)"
expect_eq "the longer period" '2027' "$(sfield period_to M-2023-001)"
expect_eq "the period of 2024" '2026' "$(sfield period_to M-2023-001 --year 2024)"

# ---- as of a moment; as known at a moment ----

run goal show M-2025-001 --as-of 2025-12-30 --format json
expect_exit 0
expect_stdout_nomatch '"date":"2025-12-31"'
expect_stdout_match '"date":"2025-09-30"'
expect_stdout_match '"assessments":\[\],'
run goal show M-2025-001 --as-of 2025-12-31 --format json
expect_stdout_match '"series":\[\{"date":"2025-03-31",[^]]*\{"date":"2025-12-31","value":'
run goals --year 2025 --as-of 2025-12-30 --format csv
expect_stdout_match '^M-2025-001,.*,2025,,unassessed,,partly,2,1,false,I1,10\.85,10\.2,%,lower$'
run goal show M-2025-001 --as-of 2024-12-31
expect_error 5 "^kontroll goal: no goal 'M-2025-001'"
# Known at the moment the first measurement was recorded: nothing after.
at=$(recorded M-2025-001 3)
run goal show M-2025-001 --known-at "$at" --format json
expect_exit 0
expect_stdout_match '"series":\[\{"date":"2025-12-31","value":[^]]*\]'
expect_stdout_nomatch '"label":"I2"'
expect_stdout_match '"assessments":\[\],'
expect_stdout_match '"events":\[(\{[^}]*\},){2}\{[^}]*\}\]\}$'
at=$(recorded M-2025-001 4)
run goals --known-at "$at" --format csv
expect_stdout_match '^M-2025-001,.*,2025,,achieved,,not_achieved,1,0,true,I1,10\.8,10\.2,%,lower$'
expect_stdout_nomatch '^M-2025-002,'
run goals --known-at 2020-01-01 --format csv
expect_stdout_lines 1

# ---- corrections and retractions ----

run goal correct M-2025-001 --event "$measured1" --reason "Feil i uttrekket." \
	--data '{"indicator":"I1","value":10.1,"date":"2025-12-31"}' --format json
expect_exit 0
expect_stdout_match "$(write_re M-2025-001 null 11)"
run log --stream goal-M-2025-001 --format csv
expect_stdout_match ",goal-M-2025-001,11,event\\.corrected,[^,]*,2025-12-31T00:00:00\\.000000Z,"
# Both indicators now meet their targets: the verdict changes.
run goals --year 2025 --format csv
expect_stdout_match '^M-2025-001,.*,2025,,not_achieved,Målet er ikke nådd,achieved,2,2,true,I1,10\.1,10\.2,%,lower$'
run goal show M-2025-001
expect_stdout_match '^  2025  10,2 % +10,1 % +31\.12\.2025 +yes$'
expect_stdout_match "^ +3  31\\.12\\.2025 +goal\\.measured +${measured1:0:8}[0-9a-f-]* +corrected at [0-9]+\$"
run history --stream goal-M-2025-001
expect_stdout_match "corrects ${measured1:0:13} \\(goal\\.measured, position 3\\): Feil i uttrekket\\.\$"
later=$(event_id M-2025-001 goal.assessed 2)
earlier=$(event_id M-2025-001 goal.assessed 1)
run goal retract M-2025-001 --event "${later:0:23}" --reason "Vurderingen var for et annet mål."
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
run goals --year 2025 --format csv
expect_stdout_match '^M-2025-001,.*,2025,,achieved,,achieved,2,2,false,'
run goal retract M-2025-001 --event "$earlier" --reason "Ikke vedtatt." --format json
expect_exit 0
expect_stdout_match "$(write_re M-2025-001 null 13)"
run goals --year 2025 --format csv
expect_stdout_match '^M-2025-001,.*,2025,,unassessed,,achieved,2,2,false,I1,10\.1,'
run goal show M-2025-001 --format json
expect_stdout_match '"assessments":\[\],'
expect_stdout_match "\"id\":\"$later\",\"type\":\"goal\\.assessed\",\"effective\":\"[^\"]+\",\"retracted\":true,"
run goal show M-2025-001
expect_stdout_match "goal\\.assessed +${later:0:8}[0-9a-f-]* +retracted\$"
run history --stream goal-M-2025-001 --format csv
expect_stdout_match ',event\.retracted,'
expect_eq "two retractions" 2 "$(grep -c ',event\.retracted,' "$OUT_FILE")"

# ---- retirement ----

q goal assess M-2025-001 --year 2025 --status nådd >/dev/null
run goal retire M-2025-001 --reason "Erstattet av nytt mål for nærvær." --format json
expect_exit 0
expect_stdout_match "$(write_re M-2025-001 null 15)"
run log --stream goal-M-2025-001 --format json
expect_stdout_match '"version":15,"type":"goal\.retired",[^{]*"data":\{"reason":"Erstattet av nytt mål for nærvær\."\}'
run goals --format csv
expect_stdout_nomatch '^M-2025-001,'
expect_stdout_match '^M-2025-002,'
run goals --include-retired --format csv
expect_stdout_match '^M-2025-001,.*,2025,2028,true,2025,,achieved,nådd,achieved,'
run goals --include-retired
expect_stdout_match '^M-2025-001 .* retired +Redusere sykefraværet$'
# A year before the retirement still lists it, as not retired then.
run goals --year "$PREV_YEAR" --format csv
expect_stdout_match '^M-2025-001,([^,]*,){8}false,'
run goals --year "$THIS_YEAR" --format csv
expect_stdout_match '^M-2025-001,([^,]*,){8}true,'
run goal show M-2025-001
expect_stdout_match '^  retired      [0-9]{2}\.[0-9]{2}\.[0-9]{4}: Erstattet av nytt mål for nærvær\.$'
expect_stdout_match ' goal\.retired '
expect_eq "retired reason" '"Erstattet av nytt mål for nærvær."' "$(sfield retired_reason M-2025-001)"
RETIRED_MSG="^kontroll goal: M-2025-001 is retired; nothing written \\(only corrections are taken: kontroll goal correct M-2025-001 …\\)\$"
before=$(fingerprint)
run goal measure M-2025-001/I1 --value 9 --date 2025-12-31
expect_error 4 "$RETIRED_MSG"
run goal assess M-2025-001 --year 2026 --status nådd
expect_error 4 "$RETIRED_MSG"
expect_unchanged "$before"
# Corrections and retractions are still taken.
m2=$(event_id M-2025-001 goal.measured 2)
run goal correct M-2025-001 --event "$m2" --reason "Rettet." \
	--data '{"indicator":"I1","value":10.95,"date":"2025-03-31","note":"Første kvartal"}'
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
run goal show M-2025-001
expect_stdout_match '^    31\.03\.2025 +10,95 % +Første kvartal$'
run goal retract M-2025-001 --event "$(event_id M-2025-001 goal.measured 3)" --reason "Dobbelt."
expect_exit 0

# ---- every event type, in the log and in show ----

run log --format csv
for type in goal.defined goal.indicator_defined goal.measured goal.assessed goal.revised \
	goal.indicator_revised goal.retired event.corrected event.retracted; do
	expect_stdout_match ",goal-M-20[0-9]{2}-00[0-9],[0-9]+,$(re_escape "$type"),"
done
run goal show M-2025-001 --format json
for type in goal.defined goal.indicator_defined goal.measured goal.assessed goal.retired; do
	expect_stdout_match "\"type\":\"$(re_escape "$type")\""
done
expect_stdout_match '"corrected_by":[0-9]+'
expect_stdout_match '"retracted":true'

# ---- the store is sound after all of it ----

run verify
expect_exit 0
expect_stdout_match '^ok: '

finish
