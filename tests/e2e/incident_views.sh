#!/usr/bin/env bash
# incident_views.sh — `kontroll incidents`, the listing of incidents, on a
# store written with `kontroll append` alone: rows and sort order, every
# filter (--unit with a unit and with an area, --category, --type incl.
# untriaged, --status, --overdue, --late-external at the 72-hour boundary,
# --year, --from/--to, --limit), --as-of and --known-at, the three formats,
# personal data (the description) only with --include-personal, and the same
# rule for `kontroll log` and `kontroll history` in CSV.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user KONTROLL_ACTOR=kari
E2E_HELPERS="ev report column"

# ev NUMBER TYPE EFFECTIVE JSON — append one event to the incident's stream
# (setup); prints its id.
ev() {
	add kontroll.db "incident-$1" "$2" "$4" --effective "$3"
}

# report NUMBER REGISTERED UNIT AREA CATEGORY OCCURRED TEXT — incident.reported
# (setup); prints its id.
report() {
	ev "$1" incident.reported "$2" \
		"{\"number\":\"$1\",\"category\":\"$5\",\"unit\":\"$3\",\"area\":\"$4\",\"occurred\":\"$6\",\"text\":\"$7\"}"
}

# column N — the N-th column of the table rows of the last run (every line
# but the header and the count line).
column() {
	sed '1d;$d' "$OUT_FILE" | awk -F '  +' -v n="$1" '{ print $n }' | paste -sd ' '
}

new_store

# ---- the incidents ----
#
# H-2024-00001  Øya helsehus, vold og trusler, open
# H-2025-00001  Øya helsehus, personvern, Datatilsynet after exactly 72:00:00
#               (in time), closed 20.03.2025; handler Kari Hansen
# H-2025-00002  Søbstad helsehus, personvern, Datatilsynet after 72:00:01
#               (late); its description corrected
# H-2025-00003  Heimdal helse- og velferdssenter, personvern, registered
#               01.05.2025 08:00, never reported: pending to 04.05 08:00:00,
#               overdue from 08:00:01
# H-2025-00004  Krisesenteret i Trondheim, personvern, not required
# H-2025-00005  Hårstad skole, forbedring, untriaged
# H-2025-00006  Hårstad skole, hms: T1 due 01.07.2025 open, T2 done
# H-2025-00007  retracted: listed nowhere
# H-2025-00008  Øya helsehus, registered 01.02.2025 but recorded last

report H-2024-00001 2024-11-01T09:00:00Z "Øya helsehus" helse_omsorg avvik 2024-11-01 "Pleier truet av besøkende" >/dev/null
ev H-2024-00001 incident.triaged 2024-11-02 '{"type":"vold_trusler","severity":3}' >/dev/null

report H-2025-00001 2025-03-01T10:00:00Z "Øya helsehus" helse_omsorg avvik 2025-02-28 "Journal til Ola Nordmann sendt feil" >/dev/null
ev H-2025-00001 incident.triaged 2025-03-01T11:00:00Z '{"type":"personvern","severity":2,"note":"Gjelder Ola Nordmann"}' >/dev/null
ev H-2025-00001 incident.assigned 2025-03-01T11:00:00Z '{"handler":"Kari Hansen"}' >/dev/null
ev H-2025-00001 incident.reported_externally 2025-03-04T10:00:00Z '{"recipient":"datatilsynet","reference":"DT-25-1"}' >/dev/null
ev H-2025-00001 incident.closed 2025-03-20T10:00:00Z '{"conclusion":"Ola Nordmann er informert"}' >/dev/null

r2=$(report H-2025-00002 2025-03-01T10:00:00Z "Søbstad helsehus" helse_omsorg avvik 2025-03-01 "Brev til Per Hansen sendt til feil adresse")
ev H-2025-00002 incident.triaged 2025-03-01T12:00:00Z '{"type":"personvern","severity":2}' >/dev/null
ev H-2025-00002 incident.reported_externally 2025-03-04T10:00:01Z '{"recipient":"datatilsynet"}' >/dev/null
ev H-2025-00002 event.corrected 2025-03-01T10:00:00Z "{\"target\":\"$r2\",\"target_type\":\"incident.reported\",\"reason\":\"presisert\",\"data\":{\"number\":\"H-2025-00002\",\"category\":\"avvik\",\"unit\":\"Søbstad helsehus\",\"area\":\"helse_omsorg\",\"occurred\":\"2025-03-01\",\"text\":\"Brev til Per Hansen, sendt til \\\"feil\\\" adresse\"}}" >/dev/null

report H-2025-00003 2025-05-01T08:00:00Z "Heimdal helse- og velferdssenter" helse_omsorg avvik 2025-05-01 "Pasientliste funnet på gangen" >/dev/null
ev H-2025-00003 incident.triaged 2025-05-01T09:00:00Z '{"type":"personvern","severity":3}' >/dev/null

report H-2025-00004 2025-05-02T09:00:00Z "Krisesenteret i Trondheim" sosiale_tjenester avvik 2025-05-02 "E-post med navn til feil kollega" >/dev/null
ev H-2025-00004 incident.triaged 2025-05-02T10:00:00Z '{"type":"personvern","severity":1}' >/dev/null
ev H-2025-00004 incident.external_not_required 2025-05-03 '{"recipient":"datatilsynet","reason":"Lav risiko for den registrerte"}' >/dev/null

report H-2025-00005 2025-06-01T07:00:00Z "Hårstad skole" oppvekst_utdanning forbedring 2025-06-01 "Bedre skilting ved inngangen" >/dev/null

report H-2025-00006 2025-06-10T07:00:00Z "Hårstad skole" oppvekst_utdanning avvik 2025-06-09 "Elev skadet seg i gymsalen" >/dev/null
ev H-2025-00006 incident.triaged 2025-06-10T08:00:00Z '{"type":"hms","severity":3}' >/dev/null
ev H-2025-00006 incident.action_added 2025-06-11 '{"action":"T1","text":"Reparer ribbeveggen","due":"2025-07-01"}' >/dev/null
ev H-2025-00006 incident.action_added 2025-06-11 '{"action":"T2","text":"Informer foreldrene","due":"2025-06-20"}' >/dev/null
ev H-2025-00006 incident.action_completed 2025-06-15 '{"action":"T2"}' >/dev/null

r7=$(report H-2025-00007 2025-06-15T07:00:00Z "Hårstad skole" oppvekst_utdanning avvik 2025-06-15 "Registrert ved en feil")
ev H-2025-00007 event.retracted 2025-06-15T07:00:00Z "{\"target\":\"$r7\",\"target_type\":\"incident.reported\",\"reason\":\"feil\"}" >/dev/null

# Everything so far was recorded by $before; H-2025-00008 only after.
"$KONTROLL" log --reverse --limit 1 --format json >"$E2E_SCRATCH/last" 2>/dev/null
before=$(json_field recorded "$(cat "$E2E_SCRATCH/last")" | tr -d '"')
expect_true "recorded time of the last event is known" test -n "$before"
sleep 0.01
report H-2025-00008 2025-02-01T12:00:00Z "Øya helsehus" helse_omsorg avvik 2025-02-01 "Fall på badet" >/dev/null

# ---- help ----

run help
expect_stdout_match '^  incidents +list incidents'
run incidents --help
expect_exit 0
expect_stderr_empty
expect_stdout_match '^usage: kontroll incidents '
for o in --unit --category --type --status --overdue --late-external --year --from --to \
	--as-of --known-at --no-snapshots --include-personal --limit --format --db; do
	expect_stdout_match "$o( |$|\]|,)"
done
expect_stdout_match 'kontroll incidents stats'
cmd_help=$OUT
run help incidents
expect_eq "kontroll help incidents = kontroll incidents --help" "$cmd_help" "$OUT"

# ---- the listing ----

run incidents --as-of 2025-12-31
expect_exit 0
expect_stderr_empty
expect_stdout_lines 10
expect_stdout_match '^NUMBER +REGISTERED +OCCURRED +CATEGORY +AREA +UNIT +TYPE +SEV +STATUS +HANDLER +ACTIONS +NEXT DUE +DATATILSYNET$'
expect_eq "sorted by registration, then number" \
	"H-2024-00001 H-2025-00008 H-2025-00001 H-2025-00002 H-2025-00003 H-2025-00004 H-2025-00005 H-2025-00006" \
	"$(column 1)"
expect_stdout_match '^H-2025-00001  01\.03\.2025  28\.02\.2025  avvik +helse og omsorg +Øya helsehus +personvern +2  closed  Kari Hansen +— +— +in time$'
expect_stdout_match '^H-2025-00002 .* Søbstad helsehus .* personvern +2  open +— +— +— +late$'
expect_stdout_match '^H-2025-00003 .* overdue$'
expect_stdout_match '^H-2025-00004 .*sosiale tjenester +Krisesenteret i Trondheim .* not required$'
expect_stdout_match '^H-2025-00005  01\.06\.2025  01\.06\.2025  forbedring  oppvekst og utdanning  Hårstad skole +— +—  open +— +— +—$'
expect_stdout_match '^H-2025-00006 .* HMS/arbeidsmiljø +3  open +— +1/2  01\.07\.2025 OVERDUE$'
expect_stdout_match '^8 incidents$'
expect_stdout_nomatch 'H-2025-00007'
# No personal data in the table either without --include-personal.
expect_stdout_nomatch 'TEXT|Ola Nordmann|Per Hansen|gymsalen'

# ---- --unit ----

run incidents --unit "øya HELSEHUS"
expect_eq "--unit: a unit, any case" "H-2024-00001 H-2025-00008 H-2025-00001" "$(column 1)"
for area in helse_omsorg "Helse og omsorg" BO-HO helse-og-omsorg; do
	run incidents --unit "$area"
	expect_eq "--unit '$area': every unit of the area" \
		"H-2024-00001 H-2025-00008 H-2025-00001 H-2025-00002 H-2025-00003" "$(column 1)"
done
run incidents --unit "sosiale tjenester"
expect_eq "--unit: another area" "H-2025-00004" "$(column 1)"
run incidents --unit "Hårstad"
expect_stdout_is "0 incidents"
run incidents --unit ""
expect_error 3 'unit'

# ---- --category, --type, --status ----

run incidents --category forbedring
expect_eq "--category forbedring" "H-2025-00005" "$(column 1)"
run incidents --category Forbedringsforslag
expect_eq "--category by its Norwegian name" "H-2025-00005" "$(column 1)"
run incidents --category avvik
expect_stdout_match '^7 incidents$'
run incidents --category skade
expect_error 3 "--category: 'skade' is not one of avvik, forbedring"

run incidents --type personvern
expect_eq "--type personvern" "H-2025-00001 H-2025-00002 H-2025-00003 H-2025-00004" "$(column 1)"
run incidents --type untriaged
expect_eq "--type untriaged" "H-2025-00008 H-2025-00005" "$(column 1)"
run incidents --type "vold og trusler"
expect_eq "--type by its Norwegian name" "H-2024-00001" "$(column 1)"
run incidents --type brann
expect_error 3 "--type: 'brann' is not one of"

run incidents --status closed
expect_eq "--status closed" "H-2025-00001" "$(column 1)"
run incidents --status open
expect_stdout_match '^7 incidents$'
expect_stdout_nomatch '^H-2025-00001 '
run incidents --status lukket
expect_error 3 "--status: 'lukket' is not one of open, closed"

# ---- --overdue: an open action past its due day ----

run incidents --overdue --as-of 2025-07-01
expect_stdout_is "0 incidents"
run incidents --overdue --as-of 2025-07-02
expect_eq "--overdue from the day after the due day" "H-2025-00006" "$(column 1)"
run incidents --as-of 2025-06-30
expect_stdout_match '^H-2025-00006 .* 1/2  01\.07\.2025$'

# ---- --late-external: the 72-hour boundary ----

# H-2025-00001 was reported after exactly 72:00:00 (in time), H-2025-00002
# one second later (late).
run incidents --late-external --as-of 2025-05-04T08:00:00Z
expect_eq "72:00:00 exactly is in time, 72:00:01 late; undecided at 72:00:00 is pending" \
	"H-2025-00002" "$(column 1)"
run incidents --as-of 2025-05-04T08:00:00Z --type personvern --format csv
expect_stdout_match '^H-2025-00001,.*,in_time,2025-03-04T10:00:00\.000000Z$'
expect_stdout_match '^H-2025-00002,.*,late,2025-03-04T10:00:01\.000000Z$'
expect_stdout_match '^H-2025-00003,.*,pending,$'
expect_stdout_match '^H-2025-00004,.*,not_required,$'
run incidents --late-external --as-of 2025-05-04T08:00:01Z
expect_eq "undecided one second past 72 hours is listed" "H-2025-00002 H-2025-00003" "$(column 1)"
expect_stdout_match '^H-2025-00003 .* overdue$'
run incidents --late-external
expect_eq "--late-external now" "H-2025-00002 H-2025-00003" "$(column 1)"
# Half a second before H-2025-00002 was sent it was already overdue; at
# 72:00:00 exactly it was pending.
run incidents --late-external --as-of 2025-03-04T10:00:00.5Z
expect_eq "--late-external before the late report was sent" "H-2025-00002" "$(column 1)"
expect_stdout_match '^H-2025-00002 .* overdue$'
run incidents --late-external --as-of 2025-03-04T10:00:00Z
expect_stdout_is "0 incidents"

# ---- periods: --year, --from, --to ----

run incidents --year 2024
expect_eq "--year 2024" "H-2024-00001" "$(column 1)"
run incidents --year 2025 --type untriaged
expect_eq "--year 2025 and --type" "H-2025-00008 H-2025-00005" "$(column 1)"
run incidents --from 2025-03-01 --to 2025-03-01
expect_eq "--from/--to: whole days" "H-2025-00001 H-2025-00002" "$(column 1)"
run incidents --from 2025-05-02
expect_eq "--from alone" "H-2025-00004 H-2025-00005 H-2025-00006" "$(column 1)"
run incidents --to 2025-02-28
expect_eq "--to alone" "H-2024-00001 H-2025-00008" "$(column 1)"
run incidents --year 2025 --from 2025-01-01
expect_error 2 'give one'
run incidents --year 25
expect_error 3 "--year: '25' is not a year"
run incidents --from 2025-02-30
expect_error 3 "--from: '2025-02-30' is not a date"

run incidents --limit 2
expect_eq "--limit 2: the first two" "H-2024-00001 H-2025-00008" "$(column 1)"
expect_stdout_match '^2 of 8 incidents$'
run incidents --limit 2 --format csv
expect_stdout_lines 3
run incidents --limit x
expect_error 3 "--limit: 'x' is not a whole number"

# ---- --as-of and --known-at ----

run incidents --as-of 2025-03-15
expect_eq "--as-of: only what had happened" \
	"H-2024-00001 H-2025-00008 H-2025-00001 H-2025-00002" "$(column 1)"
expect_stdout_match '^H-2025-00001 .* open +Kari Hansen +— +— +in time$'
run incidents --as-of 2025-03-01T10:00:00Z
expect_stdout_match '^H-2025-00001 .* avvik +helse og omsorg +Øya helsehus +— +— +open'
run incidents --known-at "$before"
expect_stdout_match '^7 incidents$'
expect_stdout_nomatch 'H-2025-00008'
run incidents --known-at "$before" --as-of 2025-03-15 --no-snapshots
expect_eq "--known-at with --as-of" "H-2024-00001 H-2025-00001 H-2025-00002" "$(column 1)"
run incidents --as-of 2025-13-01
expect_error 3 "--as-of: '2025-13-01' is not a valid date"

# ---- formats ----

run incidents --format json
expect_exit 0
expect_stdout_json
expect_stdout_lines 10
expect_stdout_match "^$(re_escape '{"number":"H-2025-00001","registered":"2025-03-01T10:00:00.000000Z","occurred":"2025-02-28","category":"avvik","area":"helse_omsorg","unit":"Øya helsehus","type":"personvern","severity":2,"status":"closed","closed":"2025-03-20","handler":"Kari Hansen","actions":0,"actions_open":0,"next_due":null,"overdue":false,"datatilsynet":"in_time","datatilsynet_reported":"2025-03-04T10:00:00.000000Z"},')$"
expect_stdout_match "$(re_escape '{"number":"H-2025-00005","registered":"2025-06-01T07:00:00.000000Z","occurred":"2025-06-01","category":"forbedring","area":"oppvekst_utdanning","unit":"Hårstad skole","type":null,"severity":null,"status":"open","closed":null,"handler":null,"actions":0,"actions_open":0,"next_due":null,"overdue":false,"datatilsynet":null,"datatilsynet_reported":null}')"
expect_stdout_match "$(re_escape '"number":"H-2025-00006",').*$(re_escape '"actions":2,"actions_open":1,"next_due":"2025-07-01","overdue":true,')"
expect_stdout_nomatch '"text"|Ola Nordmann'
run incidents --unit nowhere --format json
expect_stdout_is "[]"
run incidents --format xml
expect_error 3 "--format: 'xml' is not one of table, json, csv"
run incidents stats2
expect_error 2 "stats2"
run incidents --bogus
expect_error 2 'bogus'

# ---- personal data: the description only with --include-personal ----

run incidents --format csv
expect_exit 0
expect_stdout_lines 9
expect_stdout_match '^number,registered,occurred,category,area,unit,type,severity,status,closed,handler,actions,actions_open,next_due,overdue,datatilsynet,datatilsynet_reported$'
expect_stdout_match '^H-2025-00005,2025-06-01T07:00:00\.000000Z,2025-06-01,forbedring,oppvekst_utdanning,Hårstad skole,,,open,,,0,0,,false,,$'
expect_stdout_nomatch 'text|Ola Nordmann|Per Hansen|gymsalen|Fall på badet'

run incidents --format csv --include-personal
expect_exit 0
expect_stdout_match '^number,.*,datatilsynet_reported,text$'
expect_stdout_match '^H-2025-00001,.*,Journal til Ola Nordmann sendt feil$'
expect_stdout_match "^H-2025-00002,.*,$(re_escape '"Brev til Per Hansen, sendt til ""feil"" adresse"')$"
expect_stdout_match '^H-2025-00005,.*,Bedre skilting ved inngangen$'

run incidents --format json --include-personal --unit "Søbstad helsehus"
expect_stdout_json
expect_stdout_match "$(re_escape '"datatilsynet_reported":"2025-03-04T10:00:01.000000Z","text":"Brev til Per Hansen, sendt til \"feil\" adresse"}')"

run incidents --include-personal --unit BO-HO
expect_exit 0
expect_stdout_match '^NUMBER .* DATATILSYNET +TEXT$'
expect_stdout_match '^H-2025-00001 .* in time +Journal til Ola Nordmann sendt feil$'
expect_stdout_match '^H-2025-00002 .* late +Brev til Per Hansen, sendt til "feil" adresse$'
expect_stdout_match '^H-2024-00001 .* Pleier truet av besøkende$'
run incidents --include-personal --as-of 2025-03-01T10:30:00Z --unit Søbstad\ helsehus
expect_stdout_match '^H-2025-00002 .* Brev til Per Hansen, sendt til "feil" adresse$'

# log and history: CSV without the personal fields unless asked.
for cmd in log history; do
	run $cmd --format csv
	expect_exit 0
	expect_stdout_match 'Øya helsehus'
	expect_stdout_match 'DT-25-1'
	expect_stdout_nomatch 'Ola Nordmann|Per Hansen|gymsalen|Lav risiko|Reparer ribbeveggen'
	expect_stdout_nomatch '""text""|""note""|""conclusion""|""reason"":""Lav'
	run $cmd --format csv --include-personal
	expect_exit 0
	expect_stdout_match 'Ola Nordmann'
	expect_stdout_match 'Per Hansen, sendt til'
	expect_stdout_match 'Lav risiko'
	run $cmd --help
	expect_stdout_match '--include-personal'
done
# The correction's replacement payload is redacted too, and its reason
# (free text about the incident) with it.
run history --stream incident-H-2025-00002 --format csv
expect_stdout_match "$(re_escape '""target_type"":""incident.reported"",""data"":{""number"":""H-2025-00002""')"
expect_stdout_nomatch 'Per Hansen|presisert'
run history --stream incident-H-2025-00002 --format csv --include-personal
expect_stdout_match "$(re_escape '""reason"":""presisert""')"

finish
