#!/usr/bin/env bash
# incident_stats.sh — `kontroll incidents stats` on a hand-counted store
# written with `kontroll append`: 23 incidents registered in 2024 and 21 in
# 2025 (the report's −8.7 %, on a small scale), with per-category, per-area,
# per-unit and per-type counts, open at the end of the year (also incidents
# registered years before, and one closed only in January after), the median
# and 90th percentile of days to close (one closed, reopened and closed
# again), external reports and the personvern incidents against the 72-hour
# rule at the end of the period; the year boundaries (1 January 00:00:00 and
# 31 December 23:59:59), a retracted incident, --known-at, --from/--to, the
# three formats and usage errors.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user KONTROLL_ACTOR=kari
E2E_HELPERS="ev inc"

new_store

declare -A seq=()
# inc REGISTERED UNIT AREA CATEGORY [TYPE] — report the next incident of the
# year of REGISTERED, triaged as TYPE when given (setup); sets NUM.
inc() {
	local y=${1:0:4}
	seq[$y]=$((${seq[$y]:-0} + 1))
	NUM=$(printf 'H-%s-%05d' "$y" "${seq[$y]}")
	REPORTED=$(add kontroll.db "incident-$NUM" incident.reported \
		"{\"number\":\"$NUM\",\"category\":\"$4\",\"unit\":\"$2\",\"area\":\"$3\",\"occurred\":\"${1:0:10}\",\"text\":\"Hendelse $NUM\"}" \
		--effective "$1")
	if [ -n "${5:-}" ]; then
		add kontroll.db "incident-$NUM" incident.triaged "{\"type\":\"$5\",\"severity\":2}" \
			--effective "$1" >/dev/null
	fi
}

# ev TYPE EFFECTIVE JSON — one more event of the incident NUM (setup).
ev() {
	add kontroll.db "incident-$NUM" "$1" "$3" --effective "$2" >/dev/null
}

OYA="Øya helsehus" SOB="Søbstad helsehus" HAR="Hårstad skole" KRI="Krisesenteret i Trondheim"
HO=helse_omsorg OU=oppvekst_utdanning ST=sosiale_tjenester
CLOSED='{"conclusion":"Fulgt opp"}'

# ---- 2023: one incident, open ever since ----
inc 2023-12-31T23:59:59Z "$OYA" $HO avvik

# ---- 2024: 23 incidents, all avvik, untriaged ----
# Øya 6 (the first at 1 January 00:00:00), Søbstad 4, Hårstad 8 (two of
# them closed in 2024), Krisesenteret 5 (the last at 31 December 23:59:59).
inc 2024-01-01T00:00:00Z "$OYA" $HO avvik
for m in 02 03 04 05 06; do inc 2024-$m-10T10:00:00Z "$OYA" $HO avvik; done
for m in 02 03 04 05; do inc 2024-$m-11T10:00:00Z "$SOB" $HO avvik; done
for m in 01 02 03 04 05 06 07 08; do
	inc 2024-$m-12T10:00:00Z "$HAR" $OU avvik
	case $m in 07 | 08) ev incident.closed 2024-$m-20T10:00:00Z "$CLOSED" ;; esac
done
for m in 03 04 05 06; do inc 2024-$m-13T10:00:00Z "$KRI" $ST avvik; done
inc 2024-12-31T23:59:59Z "$KRI" $ST avvik

# ---- 2025: 21 incidents ----
# Øya helsehus (7): three closed after 1, 2 and 3 days; personvern sent to
# Datatilsynet after exactly 72 hours (in time) and after 72:00:01 (late);
# one reported to Statsforvalteren and Helseplattformen; one untriaged.
inc 2025-01-10T10:00:00Z "$OYA" $HO avvik hms
ev incident.closed 2025-01-11T10:00:00Z "$CLOSED"
inc 2025-02-10T10:00:00Z "$OYA" $HO avvik hms
ev incident.closed 2025-02-12T10:00:00Z "$CLOSED"
inc 2025-03-10T10:00:00Z "$OYA" $HO avvik pasient_brukersikkerhet
ev incident.closed 2025-03-13T10:00:00Z "$CLOSED"
inc 2025-02-03T08:00:00Z "$OYA" $HO avvik personvern
ev incident.reported_externally 2025-02-06T08:00:00Z '{"recipient":"datatilsynet"}'
inc 2025-03-03T08:00:00Z "$OYA" $HO avvik personvern
ev incident.reported_externally 2025-03-06T08:00:01Z '{"recipient":"datatilsynet"}'
inc 2025-04-10T10:00:00Z "$OYA" $HO avvik pasient_brukersikkerhet
ev incident.reported_externally 2025-04-15T10:00:00Z '{"recipient":"statsforvalteren"}'
ev incident.reported_externally 2025-04-16T10:00:00Z '{"recipient":"helseplattformen"}'
inc 2025-05-10T10:00:00Z "$OYA" $HO avvik

# Søbstad helsehus (5): personvern judged not required, and one registered
# on 30 December (pending at the end of the year); one closed after 4 days,
# reopened, and closed again 10 days after registration.
inc 2025-04-01T12:00:00Z "$SOB" $HO avvik personvern
ev incident.external_not_required 2025-04-02T12:00:00Z '{"recipient":"datatilsynet","reason":"Ingen risiko"}'
inc 2025-12-30T12:00:00Z "$SOB" $HO avvik personvern
inc 2025-05-05T10:00:00Z "$SOB" $HO avvik hms
ev incident.closed 2025-05-09T10:00:00Z "$CLOSED"
ev incident.reopened 2025-05-11T10:00:00Z '{"reason":"Ikke fulgt opp"}'
ev incident.closed 2025-05-15T10:00:00Z "$CLOSED"
inc 2025-06-10T10:00:00Z "$SOB" $HO avvik pasient_brukersikkerhet
inc 2025-07-10T10:00:00Z "$SOB" $HO avvik

# Hårstad skole (5): three improvement suggestions (the first at 1 January
# 00:00:00), one closed after 40 days and reported to Arbeidstilsynet.
inc 2025-01-01T00:00:00Z "$HAR" $OU forbedring
inc 2025-03-15T10:00:00Z "$HAR" $OU forbedring
inc 2025-09-15T10:00:00Z "$HAR" $OU forbedring
inc 2025-08-01T10:00:00Z "$HAR" $OU avvik hms
ev incident.reported_externally 2025-08-02T10:00:00Z '{"recipient":"arbeidstilsynet"}'
ev incident.closed 2025-09-10T10:00:00Z "$CLOSED"
inc 2025-10-01T10:00:00Z "$HAR" $OU avvik hms

# Krisesenteret i Trondheim (4, one recorded last of all): personvern never
# reported (overdue); one closed only on 5 January 2026 (open at the end of
# 2025); one at 31 December 23:59:59.
inc 2025-06-01T10:00:00Z "$KRI" $ST avvik personvern
inc 2025-11-01T10:00:00Z "$KRI" $ST avvik pasient_brukersikkerhet
ev incident.closed 2026-01-05T10:00:00Z "$CLOSED"
inc 2025-12-31T23:59:59Z "$KRI" $ST avvik

# Counted nowhere: a retracted incident, and one of 2026.
inc 2025-06-20T10:00:00Z "$OYA" $HO avvik hms
ev event.retracted 2025-06-20T10:00:00Z "{\"target\":\"$REPORTED\",\"target_type\":\"incident.reported\",\"reason\":\"feilregistrert\"}"
inc 2026-01-02T10:00:00Z "$OYA" $HO avvik hms

# The 21st of 2025 is recorded after $before.
"$KONTROLL" log --reverse --limit 1 --format json >"$E2E_SCRATCH/last" 2>/dev/null
before=$(json_field recorded "$(cat "$E2E_SCRATCH/last")" | tr -d '"')
expect_true "recorded time of the last event is known" test -n "$before"
sleep 0.01
inc 2025-10-20T10:00:00Z "$KRI" $ST avvik

# ---- help and usage ----

run incidents stats --help
expect_exit 0
expect_stderr_empty
expect_stdout_match '^usage: kontroll incidents stats '
for o in --year --from --to --known-at --no-snapshots --format --db; do
	expect_stdout_match "$o( |$|\]|,)"
done
run incidents stats
expect_error 2 'give --year Y, or --from D and --to D'
run incidents stats --from 2025-01-01
expect_error 2 'give --year Y, or --from D and --to D'
run incidents stats --year 2025 --to 2025-06-30
expect_error 2 'give one'
run incidents stats --from 2025-06-01 --to 2025-05-31
expect_error 3 'before --from'
run incidents stats --year 2025 --as-of 2025-06-30
expect_error 2 'as-of'
run incidents stats --year 2025 --format xml
expect_error 3 "--format: 'xml'"
run incidents stats --year 2025 extra
expect_error 2 'extra'

# ---- 2025 compared with 2024, as CSV (the hand count) ----

run incidents stats --year 2025 --format csv
expect_exit 0
expect_stderr_empty
expect_stdout_match '^section,key,area,value,previous,change_percent$'
expect_stdout_match '^period,from,,2025-01-01,,$'
expect_stdout_match '^period,to,,2025-12-31,,$'
expect_stdout_match '^period,previous_from,,2024-01-01,,$'
expect_stdout_match '^period,previous_to,,2024-12-31,,$'
expect_stdout_match '^registered,total,,21,23,-8\.7$'
expect_stdout_match '^category,avvik,,18,23,-21\.7$'
expect_stdout_match '^category,forbedring,,3,0,$'
expect_stdout_match '^area,helse_omsorg,,12,10,20\.0$'
expect_stdout_match '^area,oppvekst_utdanning,,5,8,-37\.5$'
expect_stdout_match '^area,sosiale_tjenester,,4,5,-20\.0$'
expect_stdout_match '^area,finans,,0,0,$'
expect_stdout_match '^unit,Øya helsehus,helse_omsorg,7,6,16\.7$'
expect_stdout_match '^unit,Søbstad helsehus,helse_omsorg,5,4,25\.0$'
expect_stdout_match '^unit,Hårstad skole,oppvekst_utdanning,5,8,-37\.5$'
expect_stdout_match '^unit,Krisesenteret i Trondheim,sosiale_tjenester,4,5,-20\.0$'
expect_eq "units follow their area, largest first" \
	"area,helse_omsorg unit,Øya helsehus unit,Søbstad helsehus area,sosiale_tjenester unit,Krisesenteret" \
	"$(grep -E '^(area,(helse|sosiale)|unit,(Øya|Søbstad|Krise))' "$OUT_FILE" | cut -d, -f1,2 | sed 's/ i Trondheim//' | paste -sd ' ')"
expect_stdout_match '^type,hms,,5,0,$'
expect_stdout_match '^type,pasient_brukersikkerhet,,4,0,$'
expect_stdout_match '^type,personvern,,5,0,$'
expect_stdout_match '^type,untriaged,,7,23,-69\.6$'
expect_stdout_match '^open_at_end,total,,38,,$'
expect_stdout_match '^open_at_end,helse_omsorg,,19,,$'
expect_stdout_match '^open_at_end,oppvekst_utdanning,,10,,$'
expect_stdout_match '^open_at_end,sosiale_tjenester,,9,,$'
expect_stdout_match '^closed,total,,5,,$'
expect_stdout_match '^close_days,median,,3\.0,,$'
expect_stdout_match '^close_days,p90,,40\.0,,$'
expect_stdout_match '^reported_externally,datatilsynet,,2,,$'
expect_stdout_match '^reported_externally,arbeidstilsynet,,1,,$'
expect_stdout_match '^reported_externally,statsforvalteren,,1,,$'
expect_stdout_match '^reported_externally,helseplattformen,,1,,$'
expect_stdout_match '^reported_externally,other,,0,,$'
expect_stdout_match '^reported_externally,any,,4,,$'
expect_stdout_match '^personvern,count,,5,,$'
expect_stdout_match '^personvern,datatilsynet,,2,,$'
expect_stdout_match '^personvern,in_time,,1,,$'
expect_stdout_match '^personvern,late,,1,,$'
expect_stdout_match '^personvern,not_required,,1,,$'
expect_stdout_match '^personvern,pending,,1,,$'
expect_stdout_match '^personvern,overdue,,1,,$'
# No personal data in the figures.
expect_stdout_nomatch 'Hendelse|Fulgt opp|Ingen risiko'
csv_year=$OUT

# The same period given as days; the same answer without snapshots.
run incidents stats --from 2025-01-01 --to 2025-12-31 --format csv --no-snapshots
expect_eq "--from/--to of a whole year = --year" "$csv_year" "$OUT"

# ---- as a table ----

run incidents stats --year 2025
expect_exit 0
expect_stderr_empty
expect_stdout_match '^Registered 01\.01\.2025–31\.12\.2025, compared with 01\.01\.2024–31\.12\.2024; as of 31\.12\.2025\.$'
expect_stdout_match '^ +2025 +2024 +CHANGE$'
expect_stdout_match '^REGISTERED +21 +23 +−8\.7 %$'
expect_stdout_match '^  Avvik \(inkl\. skade\) +18 +23 +−21\.7 %$'
expect_stdout_match '^  Forbedringsforslag +3 +0 +—$'
expect_stdout_match '^  helse og omsorg +12 +10 +\+20\.0 %$'
expect_stdout_match '^    Øya helsehus +7 +6 +\+16\.7 %$'
expect_stdout_match '^  finans +0 +0 +—$'
expect_stdout_match '^  not triaged +7 +23 +−69\.6 %$'
expect_stdout_match '^OPEN AT END OF PERIOD +38$'
expect_stdout_match '^  helse og omsorg +19$'
expect_stdout_match '^CLOSED BY END OF PERIOD +5$'
expect_stdout_match '^  median days to close +3\.0$'
expect_stdout_match '^  90th percentile, days +40\.0$'
expect_stdout_match '^REPORTED EXTERNALLY +4$'
expect_stdout_match '^  Datatilsynet +2$'
expect_stdout_match '^PERSONVERN +5$'
expect_stdout_match '^  reported to Datatilsynet +2$'
expect_stdout_match '^    in time \(72 hours\) +1$'
expect_stdout_match '^    late +1$'
expect_stdout_match '^  not required +1$'
expect_stdout_match '^  pending \(within 72 hours\) +1$'
expect_stdout_match '^  overdue \(72 hours over\) +1$'

# ---- as JSON ----

run incidents stats --year 2025 --format json
expect_exit 0
expect_stdout_json
expect_stdout_lines 1
expect_stdout_match "^$(re_escape '{"period":{"from":"2025-01-01","to":"2025-12-31"},"previous_period":{"from":"2024-01-01","to":"2024-12-31"},"registered":{"count":21,"previous":23,"change_percent":-8.7},"categories":[{"category":"avvik","count":18,"previous":23,"change_percent":-21.7},{"category":"forbedring","count":3,"previous":0,"change_percent":null}],"areas":[')"
expect_stdout_match "$(re_escape '{"area":"helse_omsorg","name":"helse og omsorg","count":12,"previous":10,"change_percent":20.0,"open_at_end":19,"units":[{"unit":"Øya helsehus","count":7,"previous":6,"change_percent":16.7},{"unit":"Søbstad helsehus","count":5,"previous":4,"change_percent":25.0}]}')"
expect_stdout_match "$(re_escape '{"type":"untriaged","count":7,"previous":23,"change_percent":-69.6}],"open_at_end":38,"closed":5,"close_days_median":3.0,"close_days_p90":40.0,"reported_externally":{"datatilsynet":2,"arbeidstilsynet":1,"statsforvalteren":1,"helseplattformen":1,"other":0,"any":4},"personvern":{"count":5,"datatilsynet":2,"in_time":1,"late":1,"not_required":1,"pending":1,"overdue":1}}')$"

# ---- --known-at: before the 21st incident of 2025 was recorded ----

run incidents stats --year 2025 --known-at "$before" --format csv
expect_stdout_match '^registered,total,,20,23,-13\.0$'
expect_stdout_match '^unit,Krisesenteret i Trondheim,sosiale_tjenester,3,5,-40\.0$'
expect_stdout_match '^open_at_end,total,,37,,$'

# ---- a half year: compared with as many days before, as of its end ----

run incidents stats --from 2025-01-01 --to 2025-06-30 --format csv
expect_exit 0
expect_stdout_match '^period,previous_from,,2024-07-04,,$'
expect_stdout_match '^period,previous_to,,2024-12-31,,$'
expect_stdout_match '^registered,total,,13,3,333\.3$'
# Open at 30 June 2025: 1 of 2023, 21 of 2024, 13 of 2025 less 4 closed.
expect_stdout_match '^open_at_end,total,,31,,$'
expect_stdout_match '^closed,total,,4,,$'
expect_stdout_match '^close_days,median,,2\.0,,$'
expect_stdout_match '^close_days,p90,,10\.0,,$'
# At 30 June the one registered 30 December is not there.
expect_stdout_match '^personvern,count,,4,,$'
expect_stdout_match '^personvern,pending,,0,,$'

# ---- 2024 compared with 2023 ----

run incidents stats --year 2024
expect_stdout_match '^REGISTERED +23 +1 +\+2200\.0 %$'
expect_stdout_match '^OPEN AT END OF PERIOD +22$'

finish
