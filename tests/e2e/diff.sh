#!/usr/bin/env bash
# diff.sh — `kontroll diff`: the rows of the four listings added, removed
# and changed between two --known-at moments, field by field, each with the
# events that caused it; the exact table and JSON on a fixture, every row
# the row its listing shows (a goal's parts assessed apart replacing its
# whole row), no personal text, --view, --as-of (an event effective after
# it is no cause), the errors, and that the store is never written — also
# on a store where a listing would save a snapshot.
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
E2E_HELPERS="q cause ev_json section listing_row"
new_store
export KONTROLL_DB=kontroll.db KONTROLL_ACTOR=anne

# q ARGS... — run a command quietly (setup), print its stdout.
q() {
	local out
	if ! out=$("$KONTROLL" "$@" 2>"$E2E_SCRATCH/q-err"); then
		fail "$* (setup)" "$(cat "$E2E_SCRATCH/q-err")"
		return 1
	fi
	printf '%s\n' "$out"
}

# ---- before T1 ----
#
# T-2025-001  Krisesenteret: F1, F2; P1 due 01.09.2025, P2 due medio juni 2026
# T-2025-002  Kjøkkenet: F1 avvik, F2 merknad (retracted after T1)
# T-2025-003  Heimdal skole: F1 (a response after T1 changes no row)
# H-2025-00001 (triaged after T1), H-2025-00002 (retracted after T1)
# M-2025-001 with one indicator and a measurement (assessed after T1)
# M-2025-002 without indicators (its two parts assessed apart after T1)

q inspection open --authority Arbeidstilsynet --unit "Krisesenteret i Trondheim" \
	--law Arbeidsmiljøloven --theme "Vold og trusler" --date 2025-05-21 >/dev/null
q inspection finding T-2025-001 --kind lovbrudd --date 2025-05-21 --text "Risikoen er ikke kartlagt" >/dev/null
q inspection finding T-2025-001 --kind avvik --date 2025-05-21 --text "Opplæringen er ikke dokumentert" >/dev/null
q inspection order T-2025-001 --finding F1 --date 2025-06-10 --deadline 2025-09-01 --text "Kartlegg risikoen" >/dev/null
q inspection order T-2025-001 --finding F2 --date 2025-06-10 --deadline "innen medio juni 2026" \
	--text "Dokumenter opplæringen" >/dev/null
q inspection open --authority Mattilsynet --unit "Trondheim kommunale kjøkken" --law Matloven \
	--theme "Hygiene og internkontroll" --date 2025-08-26 >/dev/null
q inspection finding T-2025-002 --kind avvik --date 2025-08-26 --text "Temperaturlogg mangler" >/dev/null
merknad=$(json_field id "$(q inspection finding T-2025-002 --kind merknad --date 2025-08-26 \
	--text "Rutinen er gammel" --format json)" | tr -d '"')
q inspection open --authority Arbeidstilsynet --unit "Heimdal skole" --law Arbeidsmiljøloven \
	--theme "Organisatorisk arbeidsmiljø" --date 2025-09-10 >/dev/null
q inspection finding T-2025-003 --kind avvik --date 2025-09-10 --text "Mangler plan" >/dev/null
q incident report --category avvik --unit "Øya helsehus" --occurred 2025-03-01 \
	--text "Ola Nordmann fikk feil medisin" --registered 2025-03-01T10:00:00Z >/dev/null
double=$(json_field id "$(q incident report --category avvik --unit "Søbstad helsehus" \
	--occurred 2025-04-02 --text "Kari Nordmann falt i gangen" \
	--registered 2025-04-02T09:00:00Z --format json)" | tr -d '"')
q goal define --level mål --area finans --period 2025-2028 --text "Redusere sykefraværet" \
	--title "Mål 1" --indicator Sykefravær --unit % --direction lower --target 2025=10.2 >/dev/null
q goal measure M-2025-001 --value 10.8 --date 2025-06-30 >/dev/null
goal2=$(json_field id "$(q goal define --level mål --area sosiale_tjenester --period 2025-2028 \
	--text "Ventetiden skal ned" --format json)" | tr -d '"')
expect_true "the ids of the events retracted later are known" test -n "$merknad" -a -n "$double" -a -n "$goal2"

# T1 is the recorded time of the last event so far (position 16): exact,
# and every later event is recorded after it.
t1=$("$KONTROLL" log --reverse --limit 1 --format csv | sed -n 2p | cut -d, -f6)
expect_eq "16 events before T1" 16 "$("$KONTROLL" log --reverse --limit 1 --format csv | sed -n 2p | cut -d, -f1)"
sleep 0.05

# ---- after T1, by another actor ----

export KONTROLL_ACTOR=revisor
q inspection fulfil T-2025-001 --order P1 --date 2025-08-30 >/dev/null                   # 17
q inspection extend T-2025-001 --order P2 --deadline 2026-09-01 \
	--reason "Nytt bygg er forsinket" --date 2025-11-15 >/dev/null                    # 18
q inspection order T-2025-002 --finding F1 --date 2025-09-01 --deadline 2025-12-15 \
	--text "Innfør temperaturlogg" >/dev/null                                         # 19
q inspection retract T-2025-002 --event "$merknad" --reason "Registrert ved en feil" >/dev/null # 20
q inspection respond T-2025-003 --kind action_plan --date 2025-10-01 --text "Plan kommer" >/dev/null # 21
q incident triage H-2025-00001 --type personvern --severity 2 --at 2025-03-01T12:00:00Z >/dev/null # 22
q incident retract H-2025-00002 --event "$double" --reason "Dobbeltregistrert" >/dev/null # 23
q incident report --category forbedring --unit "Øya helsehus" --occurred 2025-10-01 \
	--text "Per Hansen foreslår bedre skilting" --registered 2025-10-01T08:00:00Z >/dev/null # 24
# Effective after the --as-of used below: no cause there, and no row.
q incident report --category avvik --unit "Øya helsehus" --occurred 2025-12-15 \
	--text "Lise Berg ble truet" --registered 2025-12-15T08:00:00Z >/dev/null        # 25
q goal assess M-2025-001 --year 2025 --status "ikke nådd" --effective 2025-11-30 >/dev/null # 26
# The whole goal's row gives way to a row per part.
q goal assess M-2025-002 --year 2025 --part "bo- og aktivitetstilbudet" --status "delvis nådd" \
	--effective 2025-11-30 >/dev/null                                                # 27
q goal assess M-2025-002 --year 2025 --part "psykisk helse" --status nådd \
	--effective 2025-11-30 >/dev/null                                                # 28
t2=$("$KONTROLL" log --reverse --limit 1 --format csv | sed -n 2p | cut -d, -f6)
expect_eq "28 events by T2" 28 "$("$KONTROLL" log --reverse --limit 1 --format csv | sed -n 2p | cut -d, -f1)"
"$KONTROLL" log --format csv >"$E2E_SCRATCH/log.csv"

# cause N — the table's line for the event at position N.
cause() {
	awk -F, -v p="$1" '$1 == p { printf "  caused by: %s %sZ %s %s (%s)\n", $1, substr($6, 1, 19), $5, substr($2, 1, 13), $8 }' \
		"$E2E_SCRATCH/log.csv"
}

# ev_json N — the JSON object of the event at position N.
ev_json() {
	awk -F, -v p="$1" '$1 == p { printf "{\"position\":%s,\"recorded\":\"%s\",\"type\":\"%s\",\"id\":\"%s\",\"actor\":\"%s\"}", $1, $6, $5, $2, $8 }' \
		"$E2E_SCRATCH/log.csv"
}

before=$(fingerprint)

# ---- the table ----

run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30
expect_exit 0
expect_stderr_empty
expect_stdout_is "from position 16 (known at $t1) to position 28 (known at $t2), as of 2025-11-30T23:59:59.999999Z

INSPECTIONS: 0 added, 0 removed, 2 changed
~ T-2025-001  orders_open: 2 → 1; orders_done: 0 → 1
$(cause 17)
$(cause 18)
~ T-2025-002  status: findings → orders open; merknad: 1 → 0; orders_open: 0 → 1
$(cause 19)
$(cause 20)

ORDERS: 1 added, 1 removed, 1 changed
+ T-2025-002/P1  case_number T-2025-002, order P1, finding F1, unit Trondheim kommunale kjøkken, authority Mattilsynet, issued 2025-09-01, deadline 2025-12-15, deadline_text —, days_left 15, overdue false, extended false, appealed false
$(cause 19)
$(cause 20)
- T-2025-001/P1  case_number T-2025-001, order P1, finding F1, unit Krisesenteret i Trondheim, authority Arbeidstilsynet, issued 2025-06-10, deadline 2025-09-01, deadline_text —, days_left -90, overdue true, extended false, appealed false
$(cause 17)
$(cause 18)
~ T-2025-001/P2  deadline: 2026-06-15 → 2026-09-01; deadline_text: innen medio juni 2026 → —; days_left: 197 → 275; extended: false → true
$(cause 17)
$(cause 18)

INCIDENTS: 1 added, 1 removed, 1 changed
+ H-2025-00003  number H-2025-00003, registered 2025-10-01T08:00:00.000000Z, occurred 2025-10-01, category forbedring, area helse_omsorg, unit Øya helsehus, type —, severity —, status open, closed —, handler —, actions 0, actions_open 0, next_due —, overdue false, datatilsynet —, datatilsynet_reported —
$(cause 24)
- H-2025-00002  number H-2025-00002, registered 2025-04-02T09:00:00.000000Z, occurred 2025-04-02, category avvik, area helse_omsorg, unit Søbstad helsehus, type —, severity —, status open, closed —, handler —, actions 0, actions_open 0, next_due —, overdue false, datatilsynet —, datatilsynet_reported —
$(cause 23)
~ H-2025-00001  type: — → personvern; severity: — → 2; datatilsynet: — → overdue
$(cause 22)

GOALS: 2 added, 1 removed, 1 changed
+ M-2025-002 (bo- og aktivitetstilbudet)  number M-2025-002, id $goal2, level mal, area sosiale_tjenester, parent —, title —, text Ventetiden skal ned, period_from 2025, period_to 2028, retired false, year 2025, part bo- og aktivitetstilbudet, status partly, wording delvis nådd, computed —, indicators_counted 0, indicators_met 0, disagrees false, indicator —, measured —, target —, unit —, direction —
$(cause 27)
$(cause 28)
+ M-2025-002 (psykisk helse)  number M-2025-002, id $goal2, level mal, area sosiale_tjenester, parent —, title —, text Ventetiden skal ned, period_from 2025, period_to 2028, retired false, year 2025, part psykisk helse, status achieved, wording nådd, computed —, indicators_counted 0, indicators_met 0, disagrees false, indicator —, measured —, target —, unit —, direction —
$(cause 27)
$(cause 28)
- M-2025-002  number M-2025-002, id $goal2, level mal, area sosiale_tjenester, parent —, title —, text Ventetiden skal ned, period_from 2025, period_to 2028, retired false, year —, part —, status unassessed, wording —, computed —, indicators_counted 0, indicators_met 0, disagrees false, indicator —, measured —, target —, unit —, direction —
$(cause 27)
$(cause 28)
~ M-2025-001  year: — → 2025; status: unassessed → not_achieved; wording: — → ikke nådd; computed: — → not_achieved; indicators_counted: 0 → 1; indicator: — → I1; measured: — → 10.8; target: — → 10.2; unit: — → %; direction: — → lower
$(cause 26)"
expect_stdout_nomatch 'Nordmann|Per Hansen|Lise Berg|H-2025-00004'
expect_stdout_nomatch 'T-2025-003|response\.registered'
expect_unchanged "$before"

# T2 in whole seconds: the next second after the last event.
t2s=$(date -u -d "${t2:0:19}Z + 1 second" +%Y-%m-%dT%H:%M:%SZ)
run diff --known-at "$t1" --known-at "$t2s" --as-of 2025-11-30 --view goals
expect_exit 0
expect_stdout_is "$(printf '%s\n' "from position 16 (known at $t1) to position 28 (known at ${t2s%Z}.000000Z), as of 2025-11-30T23:59:59.999999Z" "" \
	"GOALS: 2 added, 1 removed, 1 changed" \
	"+ M-2025-002 (bo- og aktivitetstilbudet)  number M-2025-002, id $goal2, level mal, area sosiale_tjenester, parent —, title —, text Ventetiden skal ned, period_from 2025, period_to 2028, retired false, year 2025, part bo- og aktivitetstilbudet, status partly, wording delvis nådd, computed —, indicators_counted 0, indicators_met 0, disagrees false, indicator —, measured —, target —, unit —, direction —" "$(cause 27)" "$(cause 28)" \
	"+ M-2025-002 (psykisk helse)  number M-2025-002, id $goal2, level mal, area sosiale_tjenester, parent —, title —, text Ventetiden skal ned, period_from 2025, period_to 2028, retired false, year 2025, part psykisk helse, status achieved, wording nådd, computed —, indicators_counted 0, indicators_met 0, disagrees false, indicator —, measured —, target —, unit —, direction —" "$(cause 27)" "$(cause 28)" \
	"- M-2025-002  number M-2025-002, id $goal2, level mal, area sosiale_tjenester, parent —, title —, text Ventetiden skal ned, period_from 2025, period_to 2028, retired false, year —, part —, status unassessed, wording —, computed —, indicators_counted 0, indicators_met 0, disagrees false, indicator —, measured —, target —, unit —, direction —" "$(cause 27)" "$(cause 28)" \
	"~ M-2025-001  year: — → 2025; status: unassessed → not_achieved; wording: — → ikke nådd; computed: — → not_achieved; indicators_counted: 0 → 1; indicator: — → I1; measured: — → 10.8; target: — → 10.2; unit: — → %; direction: — → lower" \
	"$(cause 26)")"

# ---- JSON, view by view ----

run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --format json --view inspections
expect_exit 0
expect_stderr_empty
expect_stdout_json
expect_stdout_lines 1
start='{"from_position":16,"to_position":28,"from_known_at":"'"$t1"'","to_known_at":"'"$t2"'","as_of":"2025-11-30T23:59:59.999999Z","views":{'
inspections='"inspections":{"added":[],"removed":[],"changed":[{"key":"T-2025-001","stream":"inspection-T-2025-001","fields":[{"field":"orders_open","old":2,"new":1},{"field":"orders_done","old":0,"new":1}],"events":['"$(ev_json 17),$(ev_json 18)"']},{"key":"T-2025-002","stream":"inspection-T-2025-002","fields":[{"field":"status","old":"findings","new":"orders open"},{"field":"merknad","old":1,"new":0},{"field":"orders_open","old":0,"new":1}],"events":['"$(ev_json 19),$(ev_json 20)"']}]}'
expect_stdout_is "$start$inspections}}"

run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --format json --view orders
expect_exit 0
expect_stdout_json
orders='"orders":{"added":[{"key":"T-2025-002/P1","stream":"inspection-T-2025-002","row":{"case_number":"T-2025-002","order":"P1","finding":"F1","unit":"Trondheim kommunale kjøkken","authority":"Mattilsynet","issued":"2025-09-01","deadline":"2025-12-15","deadline_text":null,"days_left":15,"overdue":false,"extended":false,"appealed":false},"events":['"$(ev_json 19),$(ev_json 20)"']}],"removed":[{"key":"T-2025-001/P1","stream":"inspection-T-2025-001","row":{"case_number":"T-2025-001","order":"P1","finding":"F1","unit":"Krisesenteret i Trondheim","authority":"Arbeidstilsynet","issued":"2025-06-10","deadline":"2025-09-01","deadline_text":null,"days_left":-90,"overdue":true,"extended":false,"appealed":false},"events":['"$(ev_json 17),$(ev_json 18)"']}],"changed":[{"key":"T-2025-001/P2","stream":"inspection-T-2025-001","fields":[{"field":"deadline","old":"2026-06-15","new":"2026-09-01"},{"field":"deadline_text","old":"innen medio juni 2026","new":null},{"field":"days_left","old":197,"new":275},{"field":"extended","old":false,"new":true}],"events":['"$(ev_json 17),$(ev_json 18)"']}]}'
expect_stdout_is "$start$orders}}"

run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --format json --view incidents
expect_exit 0
expect_stdout_json
incidents='"incidents":{"added":[{"key":"H-2025-00003","stream":"incident-H-2025-00003","row":{"number":"H-2025-00003","registered":"2025-10-01T08:00:00.000000Z","occurred":"2025-10-01","category":"forbedring","area":"helse_omsorg","unit":"Øya helsehus","type":null,"severity":null,"status":"open","closed":null,"handler":null,"actions":0,"actions_open":0,"next_due":null,"overdue":false,"datatilsynet":null,"datatilsynet_reported":null},"events":['"$(ev_json 24)"']}],"removed":[{"key":"H-2025-00002","stream":"incident-H-2025-00002","row":{"number":"H-2025-00002","registered":"2025-04-02T09:00:00.000000Z","occurred":"2025-04-02","category":"avvik","area":"helse_omsorg","unit":"Søbstad helsehus","type":null,"severity":null,"status":"open","closed":null,"handler":null,"actions":0,"actions_open":0,"next_due":null,"overdue":false,"datatilsynet":null,"datatilsynet_reported":null},"events":['"$(ev_json 23)"']}],"changed":[{"key":"H-2025-00001","stream":"incident-H-2025-00001","fields":[{"field":"type","old":null,"new":"personvern"},{"field":"severity","old":null,"new":2},{"field":"datatilsynet","old":null,"new":"overdue"}],"events":['"$(ev_json 22)"']}]}'
expect_stdout_is "$start$incidents}}"
# Never the description, the personal text of an incident.
expect_stdout_nomatch '"text"|Nordmann|Per Hansen|Lise Berg'

run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --format json --view goals
expect_exit 0
expect_stdout_json
goals='"goals":{"added":[{"key":"M-2025-002 (bo- og aktivitetstilbudet)","stream":"goal-M-2025-002","row":{"number":"M-2025-002","id":"'"$goal2"'","level":"mal","area":"sosiale_tjenester","parent":null,"title":null,"text":"Ventetiden skal ned","period_from":2025,"period_to":2028,"retired":false,"year":2025,"part":"bo- og aktivitetstilbudet","status":"partly","wording":"delvis nådd","computed":null,"indicators_counted":0,"indicators_met":0,"disagrees":false,"indicator":null,"measured":null,"target":null,"unit":null,"direction":null},"events":['"$(ev_json 27),$(ev_json 28)"']},{"key":"M-2025-002 (psykisk helse)","stream":"goal-M-2025-002","row":{"number":"M-2025-002","id":"'"$goal2"'","level":"mal","area":"sosiale_tjenester","parent":null,"title":null,"text":"Ventetiden skal ned","period_from":2025,"period_to":2028,"retired":false,"year":2025,"part":"psykisk helse","status":"achieved","wording":"nådd","computed":null,"indicators_counted":0,"indicators_met":0,"disagrees":false,"indicator":null,"measured":null,"target":null,"unit":null,"direction":null},"events":['"$(ev_json 27),$(ev_json 28)"']}],"removed":[{"key":"M-2025-002","stream":"goal-M-2025-002","row":{"number":"M-2025-002","id":"'"$goal2"'","level":"mal","area":"sosiale_tjenester","parent":null,"title":null,"text":"Ventetiden skal ned","period_from":2025,"period_to":2028,"retired":false,"year":null,"part":null,"status":"unassessed","wording":null,"computed":null,"indicators_counted":0,"indicators_met":0,"disagrees":false,"indicator":null,"measured":null,"target":null,"unit":null,"direction":null},"events":['"$(ev_json 27),$(ev_json 28)"']}],"changed":[{"key":"M-2025-001","stream":"goal-M-2025-001","fields":[{"field":"year","old":null,"new":2025},{"field":"status","old":"unassessed","new":"not_achieved"},{"field":"wording","old":null,"new":"ikke nådd"},{"field":"computed","old":null,"new":"not_achieved"},{"field":"indicators_counted","old":0,"new":1},{"field":"indicator","old":null,"new":"I1"},{"field":"measured","old":null,"new":10.8},{"field":"target","old":null,"new":10.2},{"field":"unit","old":null,"new":"%"},{"field":"direction","old":null,"new":"lower"}],"events":['"$(ev_json 26)"']}]}'
expect_stdout_is "$start$goals}}"

# All four: the sections above, in the order of the listings.
run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --format json
expect_exit 0
expect_stdout_json
expect_stdout_is "$start$inspections,$orders,$incidents,$goals}}"
expect_stdout_nomatch 'Nordmann|Per Hansen|Lise Berg'

# --view in any order and twice: the sections still go in that order.
run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --format json --view goals --view orders --view goals
expect_exit 0
expect_stdout_is "$start$orders,$goals}}"
run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --view goals --view orders
expect_exit 0
expect_stdout_match '^ORDERS: 1 added, 1 removed, 1 changed$'
expect_eq "sections of --view goals --view orders" "ORDERS GOALS" \
	"$(grep -E '^[A-Z]+: ' "$OUT_FILE" | cut -d: -f1 | paste -sd ' ')"

# ---- every row is the row its listing shows ----

# listing_row VIEW KNOWN_AT KEY_REGEX — the line of `kontroll VIEW --format
# json` (as of 2025-11-30, known at KNOWN_AT) matching KEY_REGEX, without
# the comma between rows.
listing_row() {
	"$KONTROLL" "$1" --known-at "$2" --as-of 2025-11-30 --format json | grep -E "$3" | sed 's/,$//'
}

run diff --known-at "$t1" --known-at "$t2" --as-of 2025-11-30 --format json
added_order=$(listing_row orders "$t2" '"case_number":"T-2025-002","order":"P1"')
removed_order=$(listing_row orders "$t1" '"case_number":"T-2025-001","order":"P1"')
added_incident=$(listing_row incidents "$t2" '"number":"H-2025-00003"')
removed_incident=$(listing_row incidents "$t1" '"number":"H-2025-00002"')
expect_true "the listings have the rows" test -n "$added_order" -a -n "$removed_order" -a \
	-n "$added_incident" -a -n "$removed_incident"
expect_true "the order added is the row kontroll orders shows at T2" grep -qF "\"row\":$added_order," "$OUT_FILE"
expect_true "the order removed is the row kontroll orders showed at T1" grep -qF "\"row\":$removed_order," "$OUT_FILE"
expect_true "the incident added is the row kontroll incidents shows at T2" grep -qF "\"row\":$added_incident," "$OUT_FILE"
expect_true "the incident removed is the row kontroll incidents showed at T1" grep -qF "\"row\":$removed_incident," "$OUT_FILE"
# Every row of a listing is added when T1 is before the first event.
run diff --known-at 2000-01-01 --known-at "$t2" --as-of 2025-11-30 --format json --view inspections
while IFS= read -r row; do
	expect_true "added: ${row:0:40}…" grep -qF "\"row\":$row," "$OUT_FILE"
done < <(listing_row inspections "$t2" '^\{')
expect_eq "inspections added from the start" 3 "$(grep -o '"row":' "$OUT_FILE" | wc -l)"

# ---- without --as-of: days at T2, and the event effective later counts ----

run diff --known-at "$t1" --known-at "$t2"
expect_exit 0
expect_stderr_empty
expect_stdout_match "^from position 16 \\(known at $t1\\) to position 28 \\(known at $t2\\)\$"
expect_stdout_match '^INCIDENTS: 2 added, 1 removed, 1 changed$'
expect_stdout_match '^\+ H-2025-00004  number H-2025-00004, registered 2025-12-15T08:00:00\.000000Z, '
expect_stdout_match "^$(re_escape "$(cause 25)")\$"
expect_stdout_match '^ORDERS: 1 added, 1 removed, 1 changed$'
expect_stdout_nomatch 'Nordmann|Per Hansen|Lise Berg'

# ---- no change ----

run diff --known-at "$t2" --known-at "$t2"
expect_exit 0
expect_stdout_is "from position 28 (known at $t2) to position 28 (known at $t2)

INSPECTIONS: 0 added, 0 removed, 0 changed

ORDERS: 0 added, 0 removed, 0 changed

INCIDENTS: 0 added, 0 removed, 0 changed

GOALS: 0 added, 0 removed, 0 changed"
run diff --known-at 2099-01-01 --known-at 2099-12-31 --format json --view incidents
expect_exit 0
expect_stdout_is '{"from_position":28,"to_position":28,"from_known_at":"2099-01-01T23:59:59.999999Z","to_known_at":"2099-12-31T23:59:59.999999Z","as_of":null,"views":{"incidents":{"added":[],"removed":[],"changed":[]}}}'
run diff --known-at 2000-01-01 --known-at 2000-01-02 --view goals
expect_exit 0
expect_stdout_match '^from position 0 \(known at 2000-01-01T23:59:59\.999999Z\) to position 0 '
expect_unchanged "$before"

# ---- errors ----

run diff --known-at "$t1"
expect_error 2 'give --known-at twice.*got it 1 time$'
run diff
expect_error 2 'give --known-at twice.*got it 0 times$'
run diff --known-at 2025-01-01 --known-at 2025-02-01 --known-at 2025-03-01
expect_error 2 'got it 3 times$'
run diff --known-at "$t2" --known-at "$t1"
expect_error 3 "--known-at: '$t2' is after '$t1'; give the earlier moment first"
# A date is the end of its day: the same day's later time is before it.
run diff --known-at 2025-06-01 --known-at 2025-06-01T12:00:00Z
expect_error 3 "is after"
run diff --known-at 2025-06-01 --known-at 2025-13-01
expect_error 3 "--known-at: '2025-13-01' is not a valid date or time"
run diff --known-at 2025-06-01 --known-at 2025-06-02 --view order
expect_error 3 "--view: 'order' is not one of inspections, orders, incidents, goals"
run diff --known-at 2025-06-01 --known-at 2025-06-02 --format csv
expect_error 3 "--format: 'csv' is not one of table, json"
run diff --known-at 2025-06-01 --known-at 2025-06-02 --as-of 2025-02-30
expect_error 3 "--as-of: '2025-02-30' is not a valid date or time"
run diff --known-at 2025-06-01 --known-at 2025-06-02 extra
expect_error 2 "unexpected argument 'extra'"
run diff --known-at 2025-06-01 --known-at 2025-06-02 --since 2025-01-01
expect_error 2 "unknown option --since"
run diff --known-at 2025-06-01 --known-at 2025-06-02 --view
expect_error 2 "option --view needs a value"
run diff --known-at 2025-06-01 --known-at 2025-06-02 --db missing.db
expect_error 5 "no store at missing.db"
expect_true "no store was created" test ! -e missing.db
expect_unchanged "$before"

# ---- help ----

run diff --help
expect_exit 0
expect_stdout_match '^usage: kontroll diff --known-at T1 --known-at T2 '
expect_stdout_match '--view V +inspections, orders, incidents or goals'
expect_stdout_match 'T-2025-001/P1'
expect_stdout_match '"from_position", "to_position"'
expect_stdout_match 'never holds its description'
run help diff
expect_exit 0
expect_stdout_match '^usage: kontroll diff '
run help
expect_stdout_match '^  diff +what changed in the listings between two --known-at moments'

# ---- never written, also where a listing would save a snapshot ----

new_store big.db
q generate incidents --year 2023 --count 2500 --quiet --db big.db >/dev/null
big=$(fingerprint big.db)
run diff --known-at 2000-01-01 --known-at 2099-12-31 --db big.db --view incidents
expect_exit 0
expect_stdout_match '^INCIDENTS: 2500 added, 0 removed, 0 changed$'
expect_unchanged "$big" big.db
run diff --known-at 2000-01-01 --known-at 2099-12-31 --db big.db --format json --no-snapshots
expect_exit 0
expect_unchanged "$big" big.db
# The control: the listing itself saves its snapshot on this store.
run incidents --db big.db --limit 1
expect_exit 0
expect_true "kontroll incidents saved a snapshot (the store changed)" test "$(fingerprint big.db)" != "$big"

finish
