#!/usr/bin/env bash
# incident_lifecycle.sh — every path of an incident through the `kontroll
# incident` commands, each step checked where a user sees it: what the
# command prints, the event it wrote (`kontroll log`), and `kontroll incident
# show`. Paths: report → triage → assign → action → complete → external →
# close; reopen → close; a forbedringsforslag of a unit kontroll does not
# know; back-dated registration and numbering by year; the 72-hour rule at
# its boundary; concurrent reports getting distinct numbers; corrections and
# retractions (a retracted triage brings back the earlier one); personal
# data hidden from `show` unless asked for.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="q event_id show_json field report"
WRITE_JSON_RE="^\{\"id\":\"$UUID_RE\",\"number\":\"H-[0-9]{4}-[0-9]{5}\",\"label\":(null|\"T[0-9]+\"),\"position\":[0-9]+,\"version\":[0-9]+\}$"
HIDDEN='(personal data hidden; --include-personal)'

# q ARGS... — kontroll's stdout; a failure is a failed check.
q() {
	"$KONTROLL" "$@" 2>"$E2E_SCRATCH/q-err"
	local rc=$?
	_sanitizer_check "$E2E_SCRATCH/q-err" "kontroll $*"
	[ "$rc" = 0 ] || fail "kontroll $* (helper)" "exit $rc: $(cat "$E2E_SCRATCH/q-err")"
	return 0
}

# event_id NUMBER TYPE [N] — the id of the N-th (default 1st) event of TYPE
# in the incident's stream.
event_id() {
	q log --stream "incident-$1" --format csv | awk -F, -v t="$2" -v n="${3:-1}" \
		'$5 == t && ++k == n { print $2 }'
}

# show_json NUMBER [OPTIONS...] — `incident show --format json`.
show_json() {
	local n=$1
	shift
	q incident show "$n" --format json "$@"
}

# field NAME NUMBER [OPTIONS...] — one header field of show's JSON.
field() {
	local name=$1 n=$2
	shift 2
	json_field "$name" "$(show_json "$n" "$@")"
}

# report ARGS... — `incident report` quietly; prints the number.
report() {
	q incident report "$@"
}

new_store

# ---- report → triage → assign → action → complete → external → close ----

run incident report --category avvik --unit "Klæbu helse- og velferdssenter" \
	--occurred 2025-03-02 --registered 2025-03-03T10:00:00Z \
	--text "Journalnotat om Ola Nordmann sendt til feil fastlege."
expect_exit 0
expect_stdout_is "H-2025-00001"
expect_stderr_empty
run log --stream incident-H-2025-00001 --format json
expect_stdout_match '"type":"incident\.reported"'
expect_stdout_match '"effective":"2025-03-03T10:00:00\.000000Z"'
expect_stdout_match '"actor":"e2e-user"'
# The area comes from the known unit.
expect_eq "area of a known unit" '"helse_omsorg"' "$(field area H-2025-00001)"
expect_eq "status after report" '"open"' "$(field status H-2025-00001)"
expect_eq "not triaged yet" 'null' "$(field type H-2025-00001)"
expect_eq "registered" '"2025-03-03T10:00:00.000000Z"' "$(field registered H-2025-00001)"
expect_eq "occurred" '"2025-03-02"' "$(field occurred H-2025-00001)"

run incident triage H-2025-00001 --type personvern --severity 3 --note "Gjelder Ola."
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_stderr_empty
expect_eq "type after triage" '"personvern"' "$(field type H-2025-00001)"
expect_eq "severity after triage" '3' "$(field severity H-2025-00001)"
# Within 72 hours of 2025-03-03 is long past: the verdict is overdue.
expect_eq "72 hours, not reported" '"overdue"' "$(field notify H-2025-00001)"

run incident assign 2025-1 --handler "Kari Nordmann" --format json
expect_exit 0
expect_stdout_match "$WRITE_JSON_RE"
expect_stdout_match '"number":"H-2025-00001","label":null'
expect_eq "handler" '"Kari Nordmann"' "$(field handler H-2025-00001)"

run incident action H-2025-00001 --text "Innskjerpe rutine for utsending." --due 2025-04-01 \
	--responsible "Enhetsleder"
expect_exit 0
expect_stdout_is "H-2025-00001/T1"
run incident action incident-H-2025-00001 --text "Opplæring i journalsystemet." --due 2025-05-01 \
	--format json
expect_exit 0
expect_stdout_match "$WRITE_JSON_RE"
expect_stdout_match '"label":"T2"'
run incident complete H-2025-00001/T1 --note "Rutinen er oppdatert."
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
run incident complete h-2025-00001 --action t2 --format json
expect_exit 0
expect_stdout_match '"label":"T2"'
run incident show H-2025-00001
expect_exit 0
expect_stdout_match '^ACTIONS \(2\)$'
expect_stdout_match '^  T1 +01\.04\.2025 +done [0-9]{2}\.[0-9]{2}\.[0-9]{4} +Enhetsleder +'
expect_stdout_match '^  T2 +01\.05\.2025 +done '

run incident external H-2025-00001 --to Datatilsynet --reference "25/01234" \
	--at 2025-03-05T09:00:00Z
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_stderr_empty
run log --stream incident-H-2025-00001 --format csv
expect_stdout_match ',incident\.reported_externally,[^,]*,2025-03-05T09:00:00\.000000Z,'
expect_eq "72 hours, reported in time" '"in time"' "$(field notify H-2025-00001)"
run incident show H-2025-00001
expect_stdout_match '^72 hours +in time \(Datatilsynet 47:00:00 after registration\)$'
expect_stdout_match '^EXTERNAL \(1\)$'
expect_stdout_match '^  Datatilsynet +05\.03\.2025 09:00 +25/01234'

run incident close H-2025-00001 --conclusion "Avviket er lukket etter tiltak." \
	--at 2025-05-10T12:00:00Z
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_eq "status after close" '"closed"' "$(field status H-2025-00001)"
expect_eq "closed at" '"2025-05-10T12:00:00.000000Z"' "$(field closed_at H-2025-00001)"
run incident show H-2025-00001
expect_stdout_match '^status +closed 10\.05\.2025 12:00$'
expect_stdout_match "^conclusion +$(re_escape "$HIDDEN")\$"
expect_stdout_match '^stream +incident-H-2025-00001, version 9$'
expect_stdout_match '^TIMELINE \(9 events\)$'

# ---- reopen → close ----

run incident reopen H-2025-00001 --reason "Samme feil skjedde igjen." --at 2025-06-01
expect_exit 0
expect_eq "status after reopen" '"open"' "$(field status H-2025-00001)"
expect_eq "no closure in force" 'null' "$(field closed_at H-2025-00001)"
run incident action H-2025-00001 --text "Ny gjennomgang med legekontorene." --due 2025-07-01
expect_stdout_is "H-2025-00001/T3"
run incident close H-2025-00001 --conclusion "Lukket" --force
expect_exit 0
expect_eq "status after forced close" '"closed"' "$(field status H-2025-00001)"
run incident show H-2025-00001 --include-personal
expect_stdout_match '^conclusion +Lukket$'
expect_stdout_match '^  T3 +01\.07\.2025 +OVERDUE '
run incident reopen H-2025-00001 --reason "Feil lukket."
expect_exit 0
run incident complete H-2025-00001/T3
expect_exit 0
run incident close H-2025-00001 --conclusion "Alle tiltak er gjennomført."
expect_exit 0
expect_stderr_empty
expect_eq "closed once more" '"closed"' "$(field status H-2025-00001)"
run incident show H-2025-00001 --include-personal
expect_stdout_match '^conclusion +Alle tiltak er gjennomført\.$'

# ---- a forbedringsforslag of a unit kontroll does not know ----

run incident report --category Forbedringsforslag --unit "Lilleby skolefritidsordning" \
	--area "oppvekst og utdanning" --occurred 2025-03-04 --registered 2025-03-04 \
	--text "Felles kalender for foreldre." --format json
expect_exit 0
expect_stdout_match "^\{\"number\":\"H-2025-00002\",\"id\":\"$UUID_RE\",\"position\":[0-9]+\}$"
expect_eq "category" '"forbedring"' "$(field category H-2025-00002)"
expect_eq "category name" '"Forbedringsforslag"' "$(field category_name H-2025-00002)"
expect_eq "area as given" '"oppvekst_utdanning"' "$(field area H-2025-00002)"
expect_eq "unit as given" '"Lilleby skolefritidsordning"' "$(field unit H-2025-00002)"
expect_eq "a forbedring has no 72-hour rule" 'null' "$(field notify H-2025-00002)"
run incident close H-2025-00002 --conclusion "Innført fra høsten."
expect_exit 0
expect_eq "forbedring closed" '"closed"' "$(field status H-2025-00002)"
# A known unit by its alias is stored under its name; the area may be given
# when it agrees, in any of its spellings.
run incident report --category "Avvik (inkl. skade)" --unit "lerkendal boa" --area BO-SOS \
	--occurred 2025-03-04 --registered 2025-03-04 --text "Fall i trapp."
expect_stdout_is "H-2025-00003"
expect_eq "unit by its name" '"Lerkendal bo- og aktivitetstilbud"' "$(field unit H-2025-00003)"
expect_eq "area of the known unit" '"sosiale_tjenester"' "$(field area H-2025-00003)"

# ---- numbers are per year of registration ----

run incident report --category avvik --unit "Øya helsehus" --occurred 2024-12-31 \
	--registered 2024-12-31T23:59:59Z --text "Stikkskade."
expect_stdout_is "H-2024-00001"
run incident report --category avvik --unit "Øya helsehus" --occurred 2024-12-31 \
	--registered 2025-01-01 --text "Stikkskade, meldt dagen etter."
expect_stdout_is "H-2025-00004"
run incident show 2024-1 --format json
expect_exit 0
expect_stdout_json

# ---- not required, other bodies ----

run incident not-required H-2025-00003 --to arbeidstilsynet --reason "Ingen alvorlig skade."
expect_exit 0
run incident external H-2025-00003 --to other --to-text "Politiet" --reference "PO-1"
expect_exit 0
run incident show H-2025-00003 --format json
expect_stdout_match '"external":\[\{"recipient":"arbeidstilsynet","recipient_name":"Arbeidstilsynet","recipient_text":null,"not_required":true,"at":"[^"]+","reference":null,"reason":null,'
expect_stdout_match '\{"recipient":"other","recipient_name":"other","recipient_text":"Politiet","not_required":false,'
run incident show H-2025-00003
expect_stdout_match '^  Arbeidstilsynet +not required +— +\(personal data hidden; --include-personal\)$'
expect_stdout_match '^  Politiet +[0-9.]+ [0-9:]+ +PO-1 *$'

# ---- the 72-hour rule at its boundary ----

# Registered 2025-03-03T10:00:00Z: a report at 2025-03-06T10:00:00Z is within
# the 72 hours, one second later is not. Late is a warning, not a refusal.
for at in 10:00:00 10:00:01; do
	report --category avvik --unit "Øya helsehus" --occurred 2025-03-03 \
		--registered 2025-03-03T10:00:00Z --text "Feilsendt epikrise." >/dev/null
done
q incident triage H-2025-00005 --type personvern --severity 2 >/dev/null
q incident triage H-2025-00006 --type personvern --severity 2 >/dev/null
run incident external H-2025-00005 --to datatilsynet --at 2025-03-06T10:00:00Z
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_stderr_empty
expect_eq "72:00:00 is in time" '"in time"' "$(field notify H-2025-00005)"
run incident show H-2025-00005
expect_stdout_match '^72 hours +in time \(Datatilsynet 72:00:00 after registration\)$'
run incident external H-2025-00006 --to datatilsynet --at 2025-03-06T10:00:01Z
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_stderr_match '^kontroll incident: warning: H-2025-00006 is a personvern incident reported to Datatilsynet 72:00:01 after it was registered, later than the 72 hours of GDPR art\. 33$'
expect_eq "72:00:01 is late" '"late"' "$(field notify H-2025-00006)"
run incident show H-2025-00006
expect_stdout_match '^72 hours +late \(Datatilsynet 72:00:01 after registration\)$'
# A follow-up report to Datatilsynet is not the notification: no warning.
run incident external H-2025-00005 --to datatilsynet --at 2025-03-20 --note "Oppfølging."
expect_exit 0
expect_stderr_empty
# Only personvern incidents have the rule.
report --category avvik --unit "Øya helsehus" --occurred 2025-03-03 \
	--registered 2025-03-03T10:00:00Z --text "Feil medisin." >/dev/null
q incident triage H-2025-00007 --type "pasient- og brukersikkerhet" --severity 4 >/dev/null
run incident external H-2025-00007 --to datatilsynet --at 2025-03-10
expect_exit 0
expect_stderr_empty
expect_eq "no rule for pasientsikkerhet" 'null' "$(field notify H-2025-00007)"
# Judged not required: the verdict says so.
report --category avvik --unit "Øya helsehus" --occurred 2025-03-03 \
	--registered 2025-03-03T10:00:00Z --text "Brev åpnet av feil person." >/dev/null
q incident triage H-2025-00008 --type personvern --severity 1 >/dev/null
run incident not-required H-2025-00008 --to Datatilsynet --reason "Lav risiko for den registrerte."
expect_exit 0
expect_eq "not required" '"not required"' "$(field notify H-2025-00008)"

# ---- a retracted triage brings back the earlier one ----

report --category avvik --unit "Heimdal helse- og velferdssenter" --occurred 2025-04-01 \
	--registered 2025-04-01 --text "Trussel mot ansatt." >/dev/null
q incident triage H-2025-00009 --type HMS/arbeidsmiljø --severity 2 >/dev/null
q incident triage H-2025-00009 --type "vold og trusler" --severity 4 >/dev/null
expect_eq "the later triage wins" '"vold_trusler"' "$(field type H-2025-00009)"
expect_eq "its severity" '4' "$(field severity H-2025-00009)"
second=$(event_id H-2025-00009 incident.triaged 2)
first=$(event_id H-2025-00009 incident.triaged 1)
run incident retract H-2025-00009 --event "${second:0:23}" --reason "Feil sak."
expect_exit 0
expect_stdout_match "^$UUID_RE\$"
expect_eq "the earlier triage is back" '"hms"' "$(field type H-2025-00009)"
expect_eq "with its severity" '2' "$(field severity H-2025-00009)"
run incident correct H-2025-00009 --event "$first" --reason "Alvorligere enn først antatt." \
	--data '{"type":"hms","severity":3}'
expect_exit 0
expect_eq "the corrected severity" '3' "$(field severity H-2025-00009)"
# The revisions take effect when the triages did, and show names them.
run log --stream incident-H-2025-00009 --format csv
expect_stdout_match ',event\.retracted,'
run incident show H-2025-00009
expect_stdout_match 'incident\.triaged +HMS/arbeidsmiljø, severity 2$'
# A revision's reason is free text about the incident: hidden unless asked.
expect_stdout_match "event\\.retracted +retracts ${second:0:8}[0-9a-f-]* \\(incident\\.triaged\\): \\(personal data hidden; --include-personal\\)\$"
expect_stdout_nomatch 'Feil sak'
run incident show H-2025-00009 --include-personal
expect_stdout_match "event\\.retracted +retracts ${second:0:8}[0-9a-f-]* \\(incident\\.triaged\\): Feil sak\\.\$"
expect_stdout_match "event\\.corrected +corrects ${first:0:8}[0-9a-f-]* \\(incident\\.triaged\\): Alvorligere enn først antatt\\.\$"
# A corrected report keeps its number; its description is what show shows.
rep=$(event_id H-2025-00009 incident.reported)
run incident correct H-2025-00009 --event "$rep" --reason "Presisert." \
	--data '{"number":"H-2025-00009","category":"avvik","unit":"Heimdal helse- og velferdssenter","area":"helse_omsorg","occurred":"2025-03-31","text":"Trussel mot ansatt på kveldsvakt."}'
expect_exit 0
expect_eq "corrected occurred" '"2025-03-31"' "$(field occurred H-2025-00009)"
run incident show H-2025-00009 --include-personal
expect_stdout_match '^description +Trussel mot ansatt på kveldsvakt\.$'

# ---- action labels are never given twice ----

q incident action H-2025-00009 --text "Kartlegge risiko." --due 2025-05-01 >/dev/null
q incident action H-2025-00009 --text "Alarm." --due 2025-05-01 >/dev/null
t2=$(event_id H-2025-00009 incident.action_added 2)
q incident retract H-2025-00009 --event "$t2" --reason "Dobbeltregistrert." >/dev/null
run incident action H-2025-00009 --text "Alarm til alle." --due 2025-06-01
expect_stdout_is "H-2025-00009/T3"
run incident show H-2025-00009 --format json
expect_stdout_match '"label":"T2","due":"2025-05-01","state":"retracted"'
expect_stdout_match '"label":"T3","due":"2025-06-01","state":"open"'

# ---- personal data in show ----

run incident show H-2025-00009
expect_exit 0
expect_stdout_match "^description +$(re_escape "$HIDDEN")\$"
expect_stdout_nomatch 'Trussel mot ansatt'
expect_stdout_nomatch 'Kartlegge risiko'
run incident show H-2025-00009 --format json
expect_stdout_json
expect_stdout_match '"personal_included":false,"text":null,'
expect_stdout_match '"type":"incident\.reported",[^{]*"data":\{[^}]*\},"hidden_fields":1\}'
expect_stdout_nomatch 'Trussel'
run incident show H-2025-00009 --format json --include-personal
expect_stdout_json
expect_stdout_match '"personal_included":true,"text":"Trussel mot ansatt på kveldsvakt\.",'
expect_stdout_match '"hidden_fields":0'
expect_stdout_nomatch '"hidden_fields":[1-9]'

# ---- as of a moment ----

# The triage took effect when it was recorded, long after 2025-03-04.
run incident show H-2025-00001 --as-of 2025-03-04 --format json
expect_exit 0
expect_stdout_match '^\{"number":"H-2025-00001","stream":"incident-H-2025-00001","version":1,"status":"open",'
expect_stdout_match '"type":null,'
expect_stdout_match '"timeline":\[\{"version":1,[^]]*\]\}$'
run incident show H-2025-00001 --as-of 2025-03-02
expect_error 5 "^kontroll incident: no incident 'H-2025-00001' \(give a number such as H-2025-00042, or 2025-42\)\$"

# ---- two people reporting at once get distinct numbers ----

new_store race.db
for i in 1 2 3 4 5 6; do
	"$KONTROLL" incident report --db race.db --category avvik --unit "Øya helsehus" \
		--occurred 2025-05-05 --registered 2025-05-05 --text "Samtidig $i." \
		>"$E2E_SCRATCH/race.$i.out" 2>"$E2E_SCRATCH/race.$i.err" &
done
wait
for i in 1 2 3 4 5 6; do
	_sanitizer_check "$E2E_SCRATCH/race.$i.err" "concurrent report $i"
done
numbers=$(cat "$E2E_SCRATCH"/race.*.out | sort)
expect_eq "six reports, six distinct numbers" \
	"H-2025-00001 H-2025-00002 H-2025-00003 H-2025-00004 H-2025-00005 H-2025-00006" \
	"$(printf '%s' "$numbers" | sort -u | tr '\n' ' ' | sed 's/ $//')"
expect_eq "no report failed" "" "$(cat "$E2E_SCRATCH"/race.*.err)"
run info --db race.db --format json
expect_stdout_match '"events":6,'
expect_stdout_match '"streams":6,'

# ---- --effective, as on every command that writes, is --at / --registered ----

n=$(report --category avvik --unit "Øya helsehus" --occurred 2025-06-01 \
	--effective 2025-06-02T08:00:00Z --text "Fall i korridor.")
expect_eq "--effective sets the registration" '"2025-06-02T08:00:00.000000Z"' \
	"$(field registered "$n")"
run incident triage "$n" --type hms --severity 1 --effective 2025-06-02T09:30:00Z
expect_exit 0
run log --stream "incident-$n" --format csv
expect_stdout_match ',incident\.triaged,[^,]*,2025-06-02T09:30:00\.000000Z,'
run incident triage "$n" --type hms --severity 1 --effective 2025-06-02 --at 2025-06-03
expect_exit 0
run log --stream "incident-$n" --format csv
expect_stdout_match ',incident\.triaged,[^,]*,2025-06-03T00:00:00\.000000Z,'
run incident correct "$n" --event 0000 --reason r --data '{}' --effective 2025-06-02
expect_error 2 'unknown option --effective'

# ---- the store is sound after all of it ----

run verify
expect_exit 0
expect_stdout_match '^ok: '

finish
