#!/usr/bin/env bash
# history.sh — `kontroll history`: both time axes, corrections and
# retractions shown against their targets, the three formats, each filter
# (one inspection's, incident's or goal's events among others) and the
# errors.
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
E2E_HELPERS="positions setup"
new_store
export KONTROLL_DB=kontroll.db

# setup WHAT ARGS... — run an inspection command quietly, print its stdout.
setup() {
	local out
	if ! out=$("$KONTROLL" "$@" 2>"$E2E_SCRATCH/setup-err"); then
		fail "$* (setup)" "$(cat "$E2E_SCRATCH/setup-err")"
		return 1
	fi
	printf '%s\n' "$out"
}

# Positions 1..6 in inspection-T-2025-001, each a second after the last so
# recorded times differ; position 7 another inspection.
setup inspection open --authority Arbeidstilsynet --unit Lade --law Arbeidsmiljøloven \
	--theme Tilsyn --date 2025-05-21 --actor anne >/dev/null
sleep 1
setup inspection finding T-2025-001 --kind avvik --text "Mangler risikovurdering" \
	--date 2025-05-21 --actor anne >/dev/null
sleep 1
setup inspection order T-2025-001 --finding F1 --text "Lag risikovurdering" \
	--date 2025-05-22 --deadline 2026-06-15 --actor anne >/dev/null
sleep 1
setup inspection fulfil T-2025-001 --order P1 --date 2025-12-01 --text "Oppfylt" \
	--actor bob >/dev/null
sleep 1
# The ids of the finding (2) and the fulfilment (4).
finding_id=$("$KONTROLL" log --format csv | sed -n 3p | cut -d, -f2)
fulfil_id=$("$KONTROLL" log --format csv | sed -n 5p | cut -d, -f2)
setup inspection correct T-2025-001 --event "$finding_id" --actor bob \
	--reason "Det er en merknad." \
	--data '{"date":"2025-05-21","finding":"F1","kind":"merknad","text":"Mangler risikovurdering"}' >/dev/null
sleep 1
setup inspection retract T-2025-001 --event "$fulfil_id" --actor bob \
	--reason "Feil sak." >/dev/null
setup inspection open --authority Statsforvalteren --unit Byarkivet --law Arkivloven \
	--theme Arkiv --date 2025-03-01 --actor carl >/dev/null
correct_id=$("$KONTROLL" log --format csv | sed -n 6p | cut -d, -f2)
retract_id=$("$KONTROLL" log --format csv | sed -n 7p | cut -d, -f2)
t2=$("$KONTROLL" log --format csv | sed -n 3p | cut -d, -f6)
t4=$("$KONTROLL" log --format csv | sed -n 5p | cut -d, -f6)
t6=$("$KONTROLL" log --format csv | sed -n 7p | cut -d, -f6)
day=${t2:0:10}

# ---- table ----

run history
expect_exit 0
expect_stderr_empty
expect_stdout_lines 8
expect_stdout_match '^POS|^ +POS +RECORDED \(UTC\) +EFFECTIVE +STREAM +VER +TYPE +ACTOR +SUMMARY$'
expect_stdout_match "^ +2  .* 2025-05-21 +inspection-T-2025-001 +2  finding\.recorded +anne +F1: Mangler risikovurdering  \[corrected at 5\]$"
expect_stdout_match "^ +3  .* order\.issued +anne +P1 F1: Lag risikovurdering$"
expect_stdout_match "^ +4  .* 2025-12-01 .* order\.fulfilled +bob +P1: Oppfylt  \[retracted at 6\]$"
expect_stdout_match "^ +5  .* 2025-05-21 .* event\.corrected +bob +corrects ${finding_id:0:13} \(finding\.recorded, position 2\): Det er en merknad\.$"
expect_stdout_match "^ +6  .* 2025-12-01 .* event\.retracted +bob +retracts ${fulfil_id:0:13} \(order\.fulfilled, position 4\): Feil sak\.$"
expect_stdout_match "^ +7  .* inspection-T-2025-002 +1  inspection\.opened +carl +Arkiv$"

# ---- json ----

run history --format json
expect_exit 0
expect_stdout_json
expect_stdout_lines 9
row() { grep "^{\"position\":$1," "$OUT_FILE"; }
expect_eq "json: finding corrected_by" '"corrects":null,"retracts":null,"corrected_by":[5],"retracted_by":[]}' \
	"$(row 2 | grep -o '"corrects".*$' | sed 's/,$//')"
expect_eq "json: correction" "\"corrects\":{\"id\":\"$finding_id\",\"type\":\"finding.recorded\",\"position\":2,\"reason\":\"Det er en merknad.\"},\"retracts\":null,\"corrected_by\":[],\"retracted_by\":[]}" \
	"$(row 5 | grep -o '"corrects".*$' | sed 's/,$//')"
expect_eq "json: retraction" "\"corrects\":null,\"retracts\":{\"id\":\"$fulfil_id\",\"type\":\"order.fulfilled\",\"position\":4,\"reason\":\"Feil sak.\"},\"corrected_by\":[],\"retracted_by\":[]}" \
	"$(row 6 | grep -o '"corrects".*$' | sed 's/,$//')"
expect_eq "json: fulfilment retracted_by" '"corrects":null,"retracts":null,"corrected_by":[],"retracted_by":[6]}' \
	"$(row 4 | grep -o '"corrects".*$' | sed 's/,$//')"
expect_eq "json: event keys" "\"position\":5,\"id\":\"$correct_id\",\"stream\":\"inspection-T-2025-001\",\"version\":5,\"type\":\"event.corrected\"" \
	"$(row 5 | grep -o '^{"position".*"type":"event.corrected"' | sed 's/^{//')"
expect_eq "json: recorded" "\"$t2\"" "$(json_field recorded "$(row 2)")"
expect_eq "json: effective" '"2025-05-21T00:00:00.000000Z"' "$(json_field effective "$(row 2)")"

# ---- csv ----

run history --format csv
expect_exit 0
expect_stdout_lines 8
expect_eq "csv header" "position,id,stream,version,type,recorded,effective,actor,correlation_id,causation_id,data,corrects_id,retracts_id,corrected_by,retracted_by" \
	"$(head -n 1 "$OUT_FILE")"
csv_tail() { sed -n "$(($1 + 1))p" "$OUT_FILE" | rev | cut -d, -f1-4 | rev; }
expect_eq "csv finding" ",,5," "$(csv_tail 2)"
expect_eq "csv fulfilment" ",,,6" "$(csv_tail 4)"
expect_eq "csv correction" "$finding_id,,," "$(csv_tail 5)"
expect_eq "csv retraction" ",$fulfil_id,," "$(csv_tail 6)"
expect_eq "csv first columns" "6,$retract_id,inspection-T-2025-001,6,event.retracted,$t6,2025-12-01T00:00:00.000000Z,bob,," \
	"$(sed -n 7p "$OUT_FILE" | cut -d, -f1-10)"

# ---- filters ----

# positions WHAT EXPECTED ARGS... — `history ARGS --format csv` lists the
# positions EXPECTED (space-separated).
positions() {
	local what=$1 want=$2
	shift 2
	run history "$@" --format csv
	expect_exit 0
	expect_eq "$what" "$want" "$(tail -n +2 "$OUT_FILE" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
}

positions "all" "1 2 3 4 5 6 7"
positions "--inspection T-2025-001" "1 2 3 4 5 6" --inspection T-2025-001
positions "--inspection t-2025-002" "7" --inspection t-2025-002
positions "--inspection by stream name" "7" --inspection inspection-T-2025-002
positions "--stream" "7" --stream inspection-T-2025-002
positions "--stream none such" "" --stream nothing
positions "--type order." "3 4" --type order.
positions "--type order.issued" "3" --type order.issued
positions "--type order (no family without the dot)" "" --type order
positions "--type event." "5 6" --type event.
positions "--actor bob" "4 5 6" --actor bob
positions "--actor bo (exact)" "" --actor bo
positions "--actor anne --type order." "3" --actor anne --type order.
positions "--from t4" "4 5 6 7" --from "$t4"
positions "--to t4" "1 2 3 4" --to "$t4"
positions "--from t2 --to t4" "2 3 4" --from "$t2" --to "$t4"
positions "--from t2 --to t4 --inspection" "2 3 4" --from "$t2" --to "$t4" --inspection T-2025-001
positions "--from day --to day" "1 2 3 4 5 6 7" --from "$day" --to "$day"
positions "--to the day before" "" --to 2000-01-01
positions "--from the future" "" --from 2999-01-01
positions "--to before --from" "" --from "$t4" --to "$t2"

# A correction in range marks its target even when --type hides the correction.
run history --type finding.
expect_stdout_match "F1: Mangler risikovurdering  \[corrected at 5\]$"
# A target before --from still has its position.
run history --from "$t6" --format json
expect_stdout_match "\"retracts\":\{\"id\":\"$fulfil_id\",\"type\":\"order.fulfilled\",\"position\":4,"
# A correction outside the range marks nothing.
run history --to "$t4"
expect_stdout_nomatch 'corrected at|retracted at'
run history --from "$t4" --to "$t2" --format json
expect_exit 0
expect_stdout_is '[]'

# ---- errors ----

run history --inspection T-2025-099
expect_error 5 "no inspection 'T-2025-099'"
run history --from yesterday
expect_error 3 "--from: 'yesterday' is not a valid date or time"
run history --to 2025-02-30
expect_error 3 "--to: '2025-02-30' is not a valid date or time"
run history --stream inspection-T-2025-001 --inspection T-2025-001
expect_error 2 "--stream and --inspection"
run history --inspection T-2025-001 --incident H-2025-00001
expect_error 2 "--inspection and --incident both choose the stream"
run history --incident H-2025-00001 --goal M-2025-001
expect_error 2 "--incident and --goal both choose the stream"
run history --goal M-2025-001 --stream x
expect_error 2 "--stream and --goal both choose the stream"
run history --incident H-2025-00001
expect_error 5 "no incident 'H-2025-00001'"
run history --goal M-2025-001
expect_error 5 "no goal 'M-2025-001'"
run history extra
expect_error 2 "extra"
run history --format xml
expect_error 3 "xml"
run history --help
expect_exit 0
expect_stdout_match '^  --incident ID +only the events of one incident'
expect_stdout_match '^  --goal ID +only the events of one goal'
expect_stdout_match '^--stream, --inspection, --incident and --goal exclude each other'

# ---- an incident's and a goal's events among others ----

# 8: an incident; 9, 10: a goal and its indicator; 11: the incident's
# triage; 12: a correction of the goal's text; 13: another incident.
setup incident report --category avvik --unit "Klæbu helse- og velferdssenter" \
	--occurred 2025-03-02 --registered 2025-03-03T10:00:00Z --text "Feil fastlege." \
	--actor dina >/dev/null
setup goal define --area Finans --level mål --text "Redusere sykefraværet" --period 2025-2028 \
	--indicator Sykefravær --unit % --direction lower --baseline 11.2 --target 2025=10.2 \
	--actor erik >/dev/null
setup incident triage H-2025-00001 --type annet --severity 2 --actor dina >/dev/null
goal_id=$("$KONTROLL" log --format csv | sed -n 10p | cut -d, -f2)
setup goal correct M-2025-001 --event "$goal_id" --reason "Presisert." --actor erik \
	--data '{"area":"finans","level":"mal","text":"Redusere sykefraværet i kommunen","period_from":2025,"period_to":2028,"number":"M-2025-001"}' >/dev/null
setup incident report --category forbedringsforslag --unit "Klæbu helse- og velferdssenter" \
	--occurred 2025-04-01 --registered 2025-04-01T09:00:00Z --text "Bedre skilting." \
	--actor dina >/dev/null

positions "--incident H-2025-00001" "8 11" --incident H-2025-00001
positions "--incident 2025-1 (short number)" "8 11" --incident 2025-1
positions "--incident by stream name" "13" --incident incident-H-2025-00002
positions "--goal M-2025-001" "9 10 12" --goal M-2025-001
positions "--goal m-2025-001" "9 10 12" --goal m-2025-001
positions "--goal 2025-1 (short number)" "9 10 12" --goal 2025-1
positions "--goal by stream name" "9 10 12" --goal goal-M-2025-001
positions "--goal --type goal." "9 10" --goal M-2025-001 --type goal.
positions "--incident --actor erik" "" --incident H-2025-00001 --actor erik
positions "--inspection still only the inspection's" "7" --inspection T-2025-002
run history --goal M-2025-001
expect_exit 0
expect_stderr_empty
expect_stdout_lines 4
expect_stdout_match "^ +9  .* goal-M-2025-001 +1  goal\.defined +erik +Redusere sykefraværet  \[corrected at 12\]$"
expect_stdout_match "^ +12  .* goal-M-2025-001 +3  event\.corrected +erik +corrects ${goal_id:0:13} \(goal\.defined, position 9\): Presisert\.$"
run history --incident H-2025-00001 --format json
expect_exit 0
expect_stdout_json
expect_stdout_lines 4
expect_stdout_match '^\{"position":11,.*"stream":"incident-H-2025-00001","version":2,"type":"incident\.triaged"'
run history --incident H-2025-00003
expect_error 5 "no incident 'H-2025-00003'"
run history --goal M-2024-001
expect_error 5 "no goal 'M-2024-001'"

# Read-only: nothing changes.
before=$(fingerprint)
run history --format json
expect_unchanged "$before"

finish
