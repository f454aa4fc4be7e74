#!/usr/bin/env bash
# incident_rules.sh — every step `kontroll incident …` must refuse: the exact
# one-line error, its exit code, nothing on stdout, and the store unchanged.
# State rules (closed and retracted incidents, the closure gate, reopening
# an open incident, actions that do not exist or are done or retracted,
# reports to a body already reported to or judged not required), bad values
# (categories, units and areas, types, severities, recipients, days and
# times), usage errors, the rules of corrections and retractions, and two
# people adding actions to one incident at once.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="refused setup exact stretch_unchanged event_id"

# exact TEXT — a regex matching exactly the line "kontroll incident: TEXT".
exact() {
	printf '^kontroll incident: %s$' "$(re_escape "$1")"
}

# refused CODE REGEX ARGS... — `kontroll ARGS` fails the documented way (exit
# CODE, stdout empty, one stderr line matching REGEX) and writes nothing:
# every byte of the store file is as it was. The full fingerprint (log and
# info too) is compared over each stretch of refusals (stretch_unchanged).
BYTES="" STRETCH=""
refused() {
	local code=$1 re=$2 now
	shift 2
	[ -n "$STRETCH" ] || STRETCH=$(fingerprint)
	[ -n "$BYTES" ] || BYTES=$(sha256sum <kontroll.db)
	run "$@"
	expect_error "$code" "$re"
	now=$(sha256sum <kontroll.db)
	if [ "$now" = "$BYTES" ]; then
		pass "store unchanged by $(_short "$CMD")"
	else
		fail "store should be unchanged by $(_short "$CMD")" "its bytes changed"
		BYTES=$now
	fi
}

stretch_unchanged() {
	if [ -n "$STRETCH" ]; then
		CMD="the refusals since the last setup"
		expect_unchanged "$STRETCH"
	fi
	STRETCH="" BYTES=""
}

# setup ARGS... — run kontroll quietly to build the state the checks need;
# prints its stdout. A failure is a failed check.
setup() {
	local out
	stretch_unchanged
	if ! out=$("$KONTROLL" "$@" 2>"$E2E_SCRATCH/setup-err"); then
		fail "setup: kontroll $*" "$(cat "$E2E_SCRATCH/setup-err")"
		return 1
	fi
	printf '%s\n' "$out"
}

# event_id NUMBER TYPE [N] — the id of the N-th (default 1st) event of TYPE
# in the incident's stream.
event_id() {
	"$KONTROLL" log --stream "incident-$1" --format csv | awk -F, -v t="$2" -v n="${3:-1}" \
		'$5 == t && ++k == n { print $2 }'
}

new_store

# ---- the incidents the rules are tried on ----
#
# H-2025-00001  open personvern avvik at Klæbu, registered 2025-03-03T10:00:00Z:
#               T1 open, T2 completed, T3 retracted; reported to Datatilsynet
#               2025-03-05T09:00:00Z; Arbeidstilsynet judged not required
# H-2025-00002  closed forbedringsforslag
# H-2025-00003  retracted (its report withdrawn)
# H-2025-00004  open, with two open actions

UNIT="Klæbu helse- og velferdssenter"
setup incident report --category avvik --unit "$UNIT" --occurred 2025-03-02 \
	--registered 2025-03-03T10:00:00Z --text "Journal sendt feil." >/dev/null
setup incident triage H-2025-00001 --type personvern --severity 3 >/dev/null
setup incident action H-2025-00001 --text "Rutine." --due 2025-04-01 >/dev/null
setup incident action H-2025-00001 --text "Opplæring." --due 2025-04-01 >/dev/null
setup incident action H-2025-00001 --text "Dobbel." --due 2025-04-01 >/dev/null
setup incident complete H-2025-00001/T2 >/dev/null
setup incident retract H-2025-00001 --event "$(event_id H-2025-00001 incident.action_added 3)" \
	--reason "Dobbeltregistrert." >/dev/null
setup incident external H-2025-00001 --to datatilsynet --at 2025-03-05T09:00:00Z >/dev/null
setup incident not-required H-2025-00001 --to arbeidstilsynet --reason "Ingen skade." >/dev/null

setup incident report --category forbedring --unit "Øya helsehus" --occurred 2025-03-10 \
	--registered 2025-03-10 --text "Bedre skilting." >/dev/null
setup incident close H-2025-00002 --conclusion "Innført." --at 2025-04-01 >/dev/null

setup incident report --category avvik --unit "Øya helsehus" --occurred 2025-03-11 \
	--registered 2025-03-11 --text "Feilregistrert." >/dev/null
setup incident triage H-2025-00003 --type annet --severity 1 >/dev/null
setup incident retract H-2025-00003 --event "$(event_id H-2025-00003 incident.reported)" \
	--reason "Meldt på feil sted." >/dev/null

setup incident report --category avvik --unit "Øya helsehus" --occurred 2025-03-12 \
	--registered 2025-03-12 --text "Fall." >/dev/null
setup incident action H-2025-00004 --text "Sklisikre gulv." --due 2025-05-01 >/dev/null
setup incident action H-2025-00004 --text "Bedre lys." --due 2025-05-01 >/dev/null

run log --format csv
expect_exit 0
expect_stdout_lines 18 # header + 17 events: the state above was built

# ---- nothing but reopen, correct and retract on a closed incident (exit 4) ----

steps=(
	"triage --type hms --severity 1"
	"assign --handler Per"
	"action --text Tiltak --due 2025-12-01"
	"complete --action T1"
	"external --to datatilsynet"
	"not-required --to statsforvalteren --reason Nei"
)
for step in "${steps[@]}"; do
	read -r -a words <<<"$step"
	refused 4 "$(exact "H-2025-00002 is closed; nothing written (reopen it first: kontroll incident reopen H-2025-00002 --reason …)")" \
		incident "${words[0]}" H-2025-00002 "${words[@]:1}"
done
refused 4 "$(exact "H-2025-00002 is closed; nothing written (reopen it first: kontroll incident reopen H-2025-00002 --reason …)")" \
	incident complete h-2025-00002/T1
refused 4 "$(exact "H-2025-00002 is closed already; nothing written")" \
	incident close H-2025-00002 --conclusion "Igjen."
refused 4 "$(exact "H-2025-00002 is closed already; nothing written")" \
	incident close 2025-2 --conclusion "Igjen." --force
refused 4 "$(exact "H-2025-00001 is open, not closed; nothing written")" \
	incident reopen H-2025-00001 --reason "Igjen."
refused 3 "$(exact "--at: 2025-03-31T23:59:59Z is before H-2025-00002 was closed (2025-04-01T00:00:00Z); nothing written")" \
	incident reopen H-2025-00002 --reason "Igjen." --at 2025-03-31T23:59:59Z

# ---- a retracted incident accepts nothing (exit 4) ----

retracted_msg=$(exact "H-2025-00003 is retracted; nothing written (a retraction is final: report the incident anew)")
tri3=$(event_id H-2025-00003 incident.triaged)
for step in "${steps[@]}" "close --conclusion Lukket" "reopen --reason Igjen" \
	"correct --event $tri3 --reason x --data {\"type\":\"hms\",\"severity\":1}" \
	"retract --event $tri3 --reason x"; do
	read -r -a words <<<"$step"
	refused 4 "$retracted_msg" incident "${words[0]}" H-2025-00003 "${words[@]:1}"
done

# ---- the closure gate ----

refused 4 "$(exact "H-2025-00001 has 1 open action: complete it first, or close with --force; nothing written")" \
	incident close H-2025-00001 --conclusion "Lukket."
refused 4 "$(exact "H-2025-00004 has 2 open actions: complete them first, or close with --force; nothing written")" \
	incident close H-2025-00004 --conclusion "Lukket."
refused 2 "$(exact "--conclusion is required (see kontroll incident close --help)")" \
	incident close H-2025-00004 --force
refused 3 "$(exact "--at: 2025-03-03T09:59:59Z is before H-2025-00001 was registered (2025-03-03T10:00:00Z); nothing written")" \
	incident close H-2025-00001 --conclusion "Lukket." --force --at 2025-03-03T09:59:59Z

# ---- actions that must exist, be live and be open ----

refused 5 "$(exact "H-2025-00001 has no action T9; nothing written")" \
	incident complete H-2025-00001/T9
refused 5 "$(exact "H-2025-00001 has no action P1; nothing written")" \
	incident complete H-2025-00001 --action P1
refused 4 "$(exact "H-2025-00001/T3 is retracted; nothing written")" \
	incident complete H-2025-00001/T3
refused 4 "$(exact "H-2025-00001/T2 is completed already; nothing written")" \
	incident complete H-2025-00001/t2 --note "Igjen."
refused 2 "$(exact "which action? give ID/T1 or --action T1 (see kontroll incident complete --help)")" \
	incident complete H-2025-00001
refused 2 "$(exact "give the action once: H-2025-00001/T1 or --action T2")" \
	incident complete H-2025-00001/T1 --action T2
refused 3 "$(exact "'H-2025-00001/' is not an incident and action (H-2025-00042/T1)")" \
	incident complete H-2025-00001/
refused 2 "$(exact "--due is required (see kontroll incident action --help)")" \
	incident action H-2025-00001 --text "Tiltak."
refused 2 "$(exact "--text is required (see kontroll incident action --help)")" \
	incident action H-2025-00001 --due 2025-06-01
refused 3 "$(exact "--due: '01.06.2025' is not a date (YYYY-MM-DD)")" \
	incident action H-2025-00001 --text "Tiltak." --due 01.06.2025
refused 3 "$(exact "text: empty; nothing written")" \
	incident action H-2025-00001 --text "" --due 2025-06-01

# ---- outside bodies ----

refused 3 "$(exact "--to: 'politiet' is not one of datatilsynet, arbeidstilsynet, statsforvalteren, helseplattformen, other (other with --to-text NAME)")" \
	incident external H-2025-00001 --to politiet
refused 3 "$(exact "recipient_text: required when recipient is other; nothing written")" \
	incident external H-2025-00001 --to other
refused 3 "$(exact "--at: 2025-03-03T09:59:59Z is before H-2025-00001 was registered (2025-03-03T10:00:00Z); nothing written")" \
	incident external H-2025-00001 --to datatilsynet --at 2025-03-03T09:59:59Z
refused 3 "$(exact "--at: '2999-01-01' is in the future")" \
	incident external H-2025-00001 --to datatilsynet --at 2999-01-01
refused 3 "$(exact "--at: '06.03.2025' is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")" \
	incident external H-2025-00001 --to datatilsynet --at 06.03.2025
refused 4 "$(exact "H-2025-00001 was reported to Datatilsynet already (2025-03-05T09:00:00Z); nothing written (retract that report first)")" \
	incident not-required H-2025-00001 --to Datatilsynet --reason "Lav risiko."
refused 4 "$(exact "reporting H-2025-00001 to Arbeidstilsynet is recorded as not required already; nothing written")" \
	incident not-required H-2025-00001 --to arbeidstilsynet --reason "Igjen."
refused 2 "$(exact "--reason is required (see kontroll incident not-required --help)")" \
	incident not-required H-2025-00001 --to statsforvalteren
refused 2 "$(exact "--to is required (see kontroll incident external --help)")" \
	incident external H-2025-00001 --reference R

# ---- reports ----

report=(incident report --category avvik --unit "$UNIT" --occurred 2025-03-02 --text "Fall.")
refused 3 "$(exact "--category: 'skade' is not one of avvik (Avvik (inkl. skade)), forbedring (Forbedringsforslag)")" \
	incident report --category skade --unit "$UNIT" --occurred 2025-03-02 --text "Fall."
refused 3 "$(exact "--unit: kontroll does not know 'Ukjent enhet'; give --area, one of byrådsleder; oppvekst og utdanning; helse og omsorg; sosiale tjenester; kultur, idrett og friluftsliv; byutvikling; miljø, næring og samferdsel; finans")" \
	incident report --category avvik --unit "Ukjent enhet" --occurred 2025-03-02 --text "Fall."
refused 3 "$(exact "--area: Klæbu helse- og velferdssenter belongs to helse og omsorg, not finans")" \
	"${report[@]}" --area finans
refused 3 "$(exact "--area: 'Midtbyen' is not an area (one of byrådsleder; oppvekst og utdanning; helse og omsorg; sosiale tjenester; kultur, idrett og friluftsliv; byutvikling; miljø, næring og samferdsel; finans)")" \
	incident report --category avvik --unit "Ukjent enhet" --area Midtbyen --occurred 2025-03-02 --text "Fall."
refused 3 "$(exact "--occurred: 2025-03-04 is after the day it was registered (2025-03-03); nothing written")" \
	incident report --category avvik --unit "$UNIT" --occurred 2025-03-04 \
	--registered 2025-03-03T23:59:59Z --text "Fall."
refused 3 "$(exact "--occurred: '2025-02-29' is not a date (YYYY-MM-DD)")" \
	incident report --category avvik --unit "$UNIT" --occurred 2025-02-29 --text "Fall."
refused 3 "$(exact "--registered: '2999-01-01' is in the future")" \
	"${report[@]}" --registered 2999-01-01
refused 3 "$(exact "--registered: 'i går' is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")" \
	"${report[@]}" --registered "i går"
refused 3 "$(exact "text: empty; nothing written")" \
	incident report --category avvik --unit "$UNIT" --occurred 2025-03-02 --text ""
for o in category unit occurred text; do
	args=(--category avvik --unit "$UNIT" --occurred 2025-03-02 --text "Fall.")
	for ((i = 0; i < ${#args[@]}; i += 2)); do
		if [ "${args[i]}" = "--$o" ]; then
			args=("${args[@]:0:i}" "${args[@]:i+2}")
			break
		fi
	done
	refused 2 "$(exact "--$o is required (see kontroll incident report --help)")" incident report "${args[@]}"
done
refused 2 "$(exact "unexpected argument 'H-2025-00001'")" "${report[@]}" H-2025-00001
refused 5 "$(exact "no store at missing.db (create one with: kontroll init --db missing.db)")" \
	"${report[@]}" --db missing.db
expect_true "report created no store" test ! -e missing.db

# ---- triage and assignment ----

refused 3 "$(exact "--type: 'brann' is not one of HMS/arbeidsmiljø, pasient- og brukersikkerhet, personvern, informasjonssikkerhet, vold og trusler, miljø, annet")" \
	incident triage H-2025-00001 --type brann --severity 1
for bad in 0 5 tre -1 2.5; do
	refused 3 "$(exact "--severity: '$bad' is not one of 1, 2, 3, 4")" \
		incident triage H-2025-00001 --type hms --severity "$bad"
done
refused 2 "$(exact "--severity is required (see kontroll incident triage --help)")" \
	incident triage H-2025-00001 --type hms
refused 2 "$(exact "--handler is required (see kontroll incident assign --help)")" \
	incident assign H-2025-00001
refused 3 "$(exact "handler: must be one line, without control characters; nothing written")" \
	incident assign H-2025-00001 --handler $'Per\nHansen'

# ---- which incident ----

refused 5 "$(exact "no incident 'H-2025-00099' (give a number such as H-2025-00042, or 2025-42)")" \
	incident triage H-2025-00099 --type hms --severity 1
refused 5 "$(exact "no incident 'T-2025-001' (give a number such as H-2025-00042, or 2025-42)")" \
	incident assign T-2025-001 --handler Per
refused 5 "$(exact "no incident 'H-2024-00001' (give a number such as H-2025-00042, or 2025-42)")" \
	incident show H-2024-00001
refused 2 "$(exact "which incident? (kontroll incident triage ID …)")" \
	incident triage --type hms --severity 1
refused 2 "$(exact "which incident? give its number (see kontroll incident show --help)")" \
	incident show
refused 2 "$(exact "unexpected argument 'H-2025-00002'")" \
	incident assign H-2025-00001 H-2025-00002 --handler Per
refused 5 "$(exact "no store at missing.db (create one with: kontroll init --db missing.db)")" \
	incident assign H-2025-00001 --handler Per --db missing.db

# ---- usage ----

refused 2 "$(exact "unknown option --bogus (see kontroll incident --help)")" \
	incident assign H-2025-00001 --handler Per --bogus
refused 2 "$(exact "option --handler needs a value (see kontroll incident --help)")" \
	incident assign H-2025-00001 --handler
refused 2 "$(exact "no subcommand 'lukk' (see kontroll incident --help)")" \
	incident lukk H-2025-00001
refused 3 "$(exact "--format: 'csv' is not one of table, json")" \
	incident assign H-2025-00001 --handler Per --format csv
refused 3 "$(exact "--format: 'xml' is not one of table, json")" \
	incident show H-2025-00001 --format xml
before=$(fingerprint)
run incident
expect_exit 2
expect_stdout_match '^usage: kontroll incident SUBCOMMAND'
expect_unchanged "$before"
run incident report --help
expect_exit 0
expect_stdout_match '^usage: kontroll incident report '

# ---- corrections and retractions ----

rep1=$(event_id H-2025-00001 incident.reported)
tri1=$(event_id H-2025-00001 incident.triaged)
t1=$(event_id H-2025-00001 incident.action_added 1)
t3=$(event_id H-2025-00001 incident.action_added 3)
done2=$(event_id H-2025-00001 incident.action_completed)
retr=$(event_id H-2025-00001 event.retracted)
refused 3 "$(exact "--data: number must stay 'H-2025-00001' (a correction cannot renumber; retract it and record it anew instead)")" \
	incident correct H-2025-00001 --event "$rep1" --reason "Nytt nummer." \
	--data "{\"number\":\"H-2025-00042\",\"category\":\"avvik\",\"unit\":\"$UNIT\",\"area\":\"helse_omsorg\",\"occurred\":\"2025-03-02\",\"text\":\"x\"}"
refused 3 "$(exact "--data: unit Klæbu helse- og velferdssenter belongs to helse og omsorg, not finans; nothing written")" \
	incident correct H-2025-00001 --event "$rep1" --reason "Feil område." \
	--data "{\"number\":\"H-2025-00001\",\"category\":\"avvik\",\"unit\":\"$UNIT\",\"area\":\"finans\",\"occurred\":\"2025-03-02\",\"text\":\"x\"}"
refused 3 "$(exact "--data: occurred 2025-03-04 is after the day it was registered (2025-03-03); nothing written")" \
	incident correct H-2025-00001 --event "$rep1" --reason "Feil dag." \
	--data "{\"number\":\"H-2025-00001\",\"category\":\"avvik\",\"unit\":\"$UNIT\",\"area\":\"helse_omsorg\",\"occurred\":\"2025-03-04\",\"text\":\"x\"}"
refused 3 "$(exact "--data: action must stay 'T1' (a correction cannot renumber; retract it and record it anew instead)")" \
	incident correct H-2025-00001 --event "$t1" --reason "Nytt nummer." \
	--data '{"action":"T7","text":"Rutine.","due":"2025-04-01"}'
refused 3 "$(exact "--data: action must stay 'T2' (a correction cannot renumber; retract it and record it anew instead)")" \
	incident correct H-2025-00001 --event "$done2" --reason "Annet tiltak." --data '{"action":"T1"}'
refused 3 "$(exact "--data: not a valid incident.triaged payload: severity: 5 is more than 4")" \
	incident correct H-2025-00001 --event "$tri1" --reason "x" --data '{"type":"hms","severity":5}'
refused 3 "$(exact "--data: not a valid incident.triaged payload: severity: required")" \
	incident correct H-2025-00001 --event "$tri1" --reason "x" --data '{"type":"hms"}'
refused 3 "$(exact "--data: not a JSON object (another value)")" \
	incident correct H-2025-00001 --event "$tri1" --reason "x" --data '[1]'
refused 4 "$(exact "--event: $t3 is retracted; a retraction is final (record the fact anew instead); nothing written")" \
	incident retract H-2025-00001 --event "$t3" --reason "Igjen."
refused 4 "$(exact "--event: $t3 is retracted; a retraction is final (record the fact anew instead); nothing written")" \
	incident correct H-2025-00001 --event "$t3" --reason "Igjen." \
	--data '{"action":"T3","text":"Dobbel.","due":"2025-04-01"}'
refused 3 "$(exact "--event: $retr is itself a event.retracted; correct or retract the original instead")" \
	incident retract H-2025-00001 --event "$retr" --reason "Angret."
setup incident correct H-2025-00001 --event "$tri1" --reason "Alvorligere." \
	--data '{"type":"personvern","severity":4}' >/dev/null
corr=$(event_id H-2025-00001 event.corrected)
refused 3 "$(exact "--event: $corr is itself a event.corrected; correct or retract the original instead")" \
	incident correct H-2025-00001 --event "${corr:0:23}" --reason "Igjen." \
	--data '{"type":"personvern","severity":2}'
other=$(event_id H-2025-00004 incident.action_added)
refused 5 "$(exact "--event: no event '$other' in H-2025-00001")" \
	incident retract H-2025-00001 --event "$other" --reason "x"
refused 3 "$(exact "--event: 'T1' is not an event id (4 or more hex digits of it)")" \
	incident retract H-2025-00001 --event T1 --reason "x"
refused 2 "$(exact "--reason is required (see kontroll incident retract --help)")" \
	incident retract H-2025-00001 --event "$t1"
refused 2 "$(exact "--data is required (see kontroll incident correct --help)")" \
	incident correct H-2025-00001 --event "$t1" --reason "x"
# Closed incidents take corrections; retracting the closure reopens.
close2=$(event_id H-2025-00002 incident.closed)
setup incident retract H-2025-00002 --event "$close2" --reason "Ikke ferdig." >/dev/null
run incident show H-2025-00002 --format json
expect_stdout_match '"status":"open"'

# ---- two people adding actions to one incident at once ----

CONFLICT_RE='^kontroll incident: H-2025-00004 was changed by someone else meanwhile \(now at version [0-9]+, read at [0-9]+\); nothing written: look again and retry$'
stretch_unchanged
for i in 1 2 3 4 5 6; do
	"$KONTROLL" incident action H-2025-00004 --text "Samtidig $i." --due 2025-06-01 \
		>"$E2E_SCRATCH/act.$i.out" 2>"$E2E_SCRATCH/act.$i.err" &
	echo $! >"$E2E_SCRATCH/act.$i.pid"
done
won=0 bad=""
for i in 1 2 3 4 5 6; do
	wait "$(cat "$E2E_SCRATCH/act.$i.pid")"
	rc=$?
	_sanitizer_check "$E2E_SCRATCH/act.$i.err" "concurrent action $i"
	if [ "$rc" = 0 ] && grep -Eq '^H-2025-00004/T[0-9]+$' "$E2E_SCRATCH/act.$i.out" &&
		[ ! -s "$E2E_SCRATCH/act.$i.err" ]; then
		won=$((won + 1))
	elif [ "$rc" = 4 ] && [ ! -s "$E2E_SCRATCH/act.$i.out" ] &&
		grep -Eq "$CONFLICT_RE" "$E2E_SCRATCH/act.$i.err"; then
		:
	else
		bad="run $i: exit $rc, $(cat "$E2E_SCRATCH/act.$i.out" "$E2E_SCRATCH/act.$i.err")"
	fi
done
expect_eq "every concurrent action won or lost cleanly" "" "$bad"
expect_true "at least one concurrent action won" test "$won" -ge 1
labels=$(cat "$E2E_SCRATCH"/act.*.out | sort)
expect_eq "no label given twice" "$(printf '%s\n' "$labels" | sort -u)" "$labels"
n=$("$KONTROLL" log --stream incident-H-2025-00004 --format csv | grep -c ',incident\.action_added,')
expect_eq "one event per winner" "$((won + 2))" "$n"

# ---- the store is sound after all of it ----

run verify
expect_exit 0
expect_stdout_match '^ok: '

finish
