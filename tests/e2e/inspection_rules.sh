#!/usr/bin/env bash
# inspection_rules.sh — every step `kontroll inspection …` must refuse: the
# exact one-line error, its exit code, nothing on stdout, and the store
# unchanged (fingerprint). State rules (closed or transferred inspections,
# the closure gate, orders and findings that do not exist or are done
# already, appeals), bad values (dates, deadlines, kinds), usage errors, and
# the rules of corrections and retractions.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="refused setup exact stretch_unchanged"

# exact TEXT — a regex matching exactly the line "kontroll inspection: TEXT".
exact() {
	printf '^kontroll inspection: %s$' "$(re_escape "$1")"
}

# refused CODE REGEX ARGS... — `kontroll ARGS` fails the documented way
# (exit CODE, stdout empty, one stderr line matching REGEX) and writes
# nothing: every byte of the store file is as it was. Five checks.
#
# Identical bytes imply an identical log and info, so this is lib.sh's
# fingerprint at a fraction of its cost (it runs no kontroll); the full
# fingerprint is also compared over each stretch of refusals, by `setup`
# and at the end (stretch_unchanged).
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

# stretch_unchanged — the fingerprint is what it was before the refusals
# since the last setup.
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

# event_id CASE TYPE [N] — the id of the N-th (default 1st) event of TYPE
# in the case's stream.
event_id() {
	"$KONTROLL" log --stream "inspection-$1" --format csv | awk -F, -v t="$2" -v n="${3:-1}" \
		'$5 == t && ++k == n { print $2 }'
}

new_store

# ---- the cases the rules are tried on ----
#
# T-2025-001  Krisesenteret i Trondheim: F1, F2 (lovbrudd); P1 on F1 due
#             "innen medio juni 2026" (open), P2 on F2 fulfilled, P3 on F2
#             waived, P4 on F2 annulled on appeal
# T-2025-002  Charlottenlund: F1, P1 open, closed with --force
# T-2025-003  Trondheim parkering: transferred to P-Norge AS
# T-2025-004  Lerkendal BoA: nothing recorded but the opening

setup inspection open --authority Arbeidstilsynet --unit "Krisesenteret i Trondheim" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn" \
	--kind "stedlig tilsyn" --date 2025-05-21 >/dev/null
setup inspection finding T-2025-001 --kind lovbrudd --date 2025-05-21 \
	--text "Arbeidslokalene er ikke forsvarlige." >/dev/null
setup inspection finding T-2025-001 --kind lovbrudd --date 2025-05-21 \
	--text "Arbeidsforholdene under bygging av nytt krisesenter er ikke sikret." >/dev/null
setup inspection order T-2025-001 --finding F1 --date 2025-05-21 \
	--text "Tiltak og plan for å sikre forsvarlige arbeidslokaler." \
	--deadline "innen medio juni 2026" >/dev/null
setup inspection order T-2025-001 --finding F2 --date 2025-05-21 --text "Sikring av arbeidsforhold." >/dev/null
setup inspection fulfil T-2025-001 --order P2 --date 2025-09-01 --text "Vurdert som oppfylt." >/dev/null
setup inspection order T-2025-001 --finding F2 --date 2025-05-21 --text "Involvering av BHT." >/dev/null
setup inspection waive T-2025-001 --order P3 --date 2025-09-01 --reason "Frafalt." >/dev/null
setup inspection order T-2025-001 --finding F2 --date 2025-05-21 --text "Ny risikovurdering." >/dev/null
setup inspection appeal T-2025-001 --order P4 --date 2025-06-01 --text "Klage." >/dev/null
setup inspection decide T-2025-001 --order P4 --date 2025-08-01 --outcome annulled \
	--decided-by "Direktoratet for arbeidstilsynet" --text "Pålegget oppheves." >/dev/null

setup inspection open --authority Arbeidstilsynet --unit "Charlottenlund helse- og velferdssenter" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn" \
	--date 2025-06-05 >/dev/null
setup inspection finding T-2025-002 --kind lovbrudd --date 2025-06-05 --text "Psykososiale risikofaktorer." >/dev/null
setup inspection order T-2025-002 --finding F1 --date 2025-06-05 --text "Plan og tiltak." >/dev/null
setup inspection close T-2025-002 --force --reason "Følges opp i ny sak." --date 2025-12-01 >/dev/null

setup inspection open --authority "Statens vegvesen" --unit "Trondheim parkering" \
	--law Parkeringsforskriften --theme Vilkårsparkering --date 2025-07-02 >/dev/null
setup inspection transfer T-2025-003 --to "P-Norge AS" --date 2025-07-02 >/dev/null

setup inspection open --authority Statsforvalteren --unit "Lerkendal BoA" \
	--law "Helse- og omsorgstjenesteloven" --theme Systemrevisjon --kind systemrevisjon \
	--date 2025-06-16 >/dev/null

run log --format csv
expect_exit 0
expect_stdout_lines 19 # header + 18 events: the state above was built

# ---- nothing is recorded on a closed or transferred inspection (exit 4) ----

# One valid call of every subcommand that records a step; each would be
# accepted on an open inspection with an open P1.
steps=(
	"notify --text Varsel"
	"conduct --mode visit"
	"preliminary"
	"comment --text Merknader"
	"final"
	"finding --kind avvik --text Funn"
	"finding --kind none"
	"order --finding F1 --text Pålegg"
	"respond --text Svar"
	"extend --order P1 --deadline 2027-01-01 --reason Utsatt"
	"appeal --order P1 --text Klage"
	"decide --order P1 --outcome upheld --text Stadfestet"
	"escalate --order P1 --measure tvangsmulkt --text Tvangsmulkt"
	"fulfil --order P1"
	"waive --order P1 --reason Frafalt"
	"close"
	"close --force --reason Igjen"
	"transfer --to Et-annet-organ"
)
for step in "${steps[@]}"; do
	read -r -a words <<<"$step"
	refused 4 "$(exact "T-2025-002 is closed; nothing written (retract the closure first to reopen it)")" \
		inspection "${words[0]}" T-2025-002 "${words[@]:1}" --date 2025-12-02
done
for step in "${steps[@]}"; do
	read -r -a words <<<"$step"
	refused 4 "$(exact "T-2025-003 is transferred; nothing written (retract the closure first to reopen it)")" \
		inspection "${words[0]}" T-2025-003 "${words[@]:1}" --date 2025-12-02
done
# Lower case and the stream name find the same case.
refused 4 "$(exact "T-2025-002 is closed; nothing written (retract the closure first to reopen it)")" \
	inspection order t-2025-002 --finding F1 --text Pålegg
refused 4 "$(exact "T-2025-003 is transferred; nothing written (retract the closure first to reopen it)")" \
	inspection finding inspection-T-2025-003 --kind avvik --text Funn

# ---- the closure gate ----

refused 4 "$(exact "T-2025-001 has 1 open order: the authority must confirm it fulfilled or waive it first, or close with --force --reason; nothing written")" \
	inspection close T-2025-001 --date 2025-12-01
setup inspection order T-2025-001 --finding F1 --date 2025-05-21 --text "Midlertidig pålegg." >/dev/null
refused 4 "$(exact "T-2025-001 has 2 open orders: the authority must confirm them fulfilled or waive them first, or close with --force --reason; nothing written")" \
	inspection close T-2025-001 --date 2025-12-01 --text "Tilsynet er avsluttet."
# --force needs a reason: a schema rule of inspection.closed (exit 3).
refused 3 "$(exact "reason: required when forced; nothing written")" \
	inspection close T-2025-001 --force --date 2025-12-01
refused 2 "$(exact "option --reason needs a value (see kontroll inspection --help)")" \
	inspection close T-2025-001 --force --reason

# ---- findings and orders that must exist ----

refused 5 "$(exact "T-2025-001 has no finding F9; nothing written")" \
	inspection order T-2025-001 --finding F9 --text "Pålegg om retting." --deadline "medio juni 2026"
refused 5 "$(exact "T-2025-004 has no finding F1; nothing written")" \
	inspection order T-2025-004 --finding F1 --text "Pålegg om retting."
# A pålegg (the default kind) must rest on a finding: schema rule (exit 3).
refused 3 "$(exact "finding: required for a pålegg (kind palegg); nothing written")" \
	inspection order T-2025-001 --text "Pålegg om retting."
refused 3 "$(exact "finding: required for a pålegg (kind palegg); nothing written")" \
	inspection order T-2025-001 --kind palegg --text "Pålegg om retting."
for sub in "fulfil" "extend --deadline 2027-01-01 --reason Utsatt" "appeal --text Klage" \
	"escalate --measure tvangsmulkt --text Varsel" "waive --reason Frafalt" \
	"decide --outcome upheld --text Stadfestet" "respond --text Svar"; do
	read -r -a words <<<"$sub"
	refused 5 "$(exact "T-2025-001 has no order P9; nothing written")" \
		inspection "${words[0]}" T-2025-001 --order P9 "${words[@]:1}"
done
refused 5 "$(exact "T-2025-001 has no finding F9; nothing written")" \
	inspection waive T-2025-001 --finding F9 --reason Frafalt
refused 5 "$(exact "T-2025-001 has no finding F9; nothing written")" \
	inspection respond T-2025-001 --finding F9 --text "Redegjørelse."
refused 2 "$(exact "--order or --finding is required (see kontroll inspection waive --help)")" \
	inspection waive T-2025-001 --reason Frafalt
refused 3 "$(exact "order: give exactly one of order and finding; nothing written")" \
	inspection waive T-2025-001 --order P1 --finding F1 --reason Frafalt

# ---- orders that are done already (exit 4) ----

for p in "P2 fulfilled" "P3 waived" "P4 annulled"; do
	read -r label status <<<"$p"
	for sub in "fulfil" "extend --deadline 2027-01-01 --reason Utsatt" "appeal --text Klage" \
		"escalate --measure tvangsmulkt --text Varsel" "waive --reason Frafalt"; do
		read -r -a words <<<"$sub"
		refused 4 "$(exact "T-2025-001/$label is $status already; nothing written")" \
			inspection "${words[0]}" T-2025-001 --order "$label" "${words[@]:1}"
	done
done

# ---- extensions must move the deadline later (exit 3) ----

msg=$(exact "--deadline must be later than the current deadline of T-2025-001/P1")
refused 3 "$msg" inspection extend T-2025-001 --order P1 --deadline 2026-06-01 --reason "Tidligere"
refused 3 "$msg" inspection extend T-2025-001 --order P1 --deadline "medio juni 2026" --reason "Samme dag"
refused 3 "$msg" inspection extend T-2025-001 --order P1 --deadline 15.06.2026 --reason "Samme dag"
# After an extension, the extended deadline is the one to beat.
setup inspection extend T-2025-001 --order P1 --deadline "ultimo september 2026" --reason "Byggestart utsatt" \
	--date 2025-10-01 >/dev/null
refused 3 "$msg" inspection extend T-2025-001 --order P1 --deadline "medio september 2026" --reason "Tidligere"
refused 2 "$(exact "--deadline is required (see kontroll inspection extend --help)")" \
	inspection extend T-2025-001 --order P1 --reason "Uten frist"
refused 2 "$(exact "--reason is required (see kontroll inspection extend --help)")" \
	inspection extend T-2025-001 --order P1 --deadline 2027-01-01

# ---- appeals ----

refused 4 "$(exact "T-2025-001/P1 has no appeal pending; nothing written")" \
	inspection decide T-2025-001 --order P1 --outcome upheld --text Stadfestet
refused 4 "$(exact "T-2025-001/P4 has no appeal pending; nothing written")" \
	inspection decide T-2025-001 --order P4 --outcome changed --text Endret --deadline 2027-01-01
setup inspection appeal T-2025-001 --order P1 --date 2025-10-02 --text "Klage på pålegget." >/dev/null
refused 3 "$(exact "outcome: 'stadfestet' is not one of upheld, changed, annulled; nothing written")" \
	inspection decide T-2025-001 --order P1 --outcome stadfestet --text Stadfestet
refused 2 "$(exact "--outcome is required (see kontroll inspection decide --help)")" \
	inspection decide T-2025-001 --order P1 --text Stadfestet

# ---- "none" is only for an inspection without findings (exit 4) ----

refused 4 "$(exact "T-2025-001 has findings already; retract them before recording none")" \
	inspection finding T-2025-001 --kind none --text "Ingen funn."
refused 4 "$(exact "T-2025-002 is closed; nothing written (retract the closure first to reopen it)")" \
	inspection finding T-2025-002 --kind none

# ---- which inspection ----

refused 5 "$(exact "no inspection 'T-2025-099' (give a case number such as T-2025-007, or an id)")" \
	inspection order T-2025-099 --finding F1 --text Pålegg
refused 5 "$(exact "no inspection 'T-2025-1' (give a case number such as T-2025-007, or an id)")" \
	inspection notify T-2025-1 --text Varsel
refused 5 "$(exact "no inspection 'ffffffff' (give a case number such as T-2025-007, or an id)")" \
	inspection notify ffffffff --text Varsel
refused 5 "$(exact "no inspection 'T-2026-001' (give a case number such as T-2025-007, or an id)")" \
	inspection fulfil T-2026-001 --order P1
# Fewer than 4 hex digits is no id prefix at all.
id1=$(event_id T-2025-001 inspection.opened)
refused 5 "$(exact "no inspection '${id1:0:3}' (give a case number such as T-2025-007, or an id)")" \
	inspection notify "${id1:0:3}" --text Varsel
# Four hex digits of a UUIDv7 are its time, shared by every case opened here.
refused 3 "$(exact "'${id1:0:4}' matches 4 inspections; give more of the id or the case number")" \
	inspection notify "${id1:0:4}" --text Varsel
refused 2 "$(exact "which inspection? (kontroll inspection order ID …)")" \
	inspection order --finding F1 --text Pålegg
refused 5 "$(exact "no store at missing.db (create one with: kontroll init --db missing.db)")" \
	inspection notify T-2025-001 --db missing.db
expect_true "no store was created for a refused command" test ! -e missing.db
refused 5 "$(exact "no store at missing.db (create one with: kontroll init --db missing.db)")" \
	inspection open --db missing.db --authority Arkivverket --unit "Trondheim digital" \
	--law Arkivloven --theme "Tilsyn med arkivholdet" --date 2025-03-20
expect_true "open created no store" test ! -e missing.db

# ---- dates and deadlines (exit 3) ----

refused 3 "$(exact "--date: '2025-02-30' is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known)")" \
	inspection notify T-2025-001 --date 2025-02-30
refused 3 "$(exact "--date: '2025-02-29' is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known)")" \
	inspection finding T-2025-001 --kind avvik --text Funn --effective 2025-02-29
refused 3 "$(exact "--date: '21.05.25' is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known)")" \
	inspection conduct T-2025-001 --mode visit --date 21.05.25
refused 3 "$(exact "--date: '2025-02-30' is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known)")" \
	inspection open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-02-30
refused 3 "$(exact "--date: '2025-13' is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known)")" \
	inspection open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-13
refused 3 "$(exact "--date: '01.01.25 - 31.12.25' is not a date, a range D..D2, a year or a month")" \
	inspection open --authority Statsforvalteren --unit "Barne- og familietjenesten" \
	--law Barnevernloven --theme Egenkontroll --date "01.01.25 - 31.12.25"
refused 3 "$(exact "date_to: '2025-01-01' is before date_from '2025-12-31'; nothing written")" \
	inspection open --authority Statsforvalteren --unit "Barne- og familietjenesten" \
	--law Barnevernloven --theme Egenkontroll --date 2025-12-31..2025-01-01
deadline_msg() {
	exact "--deadline: '$1' is not a deadline (YYYY-MM-DD, DD.MM.YYYY, 'medio juni 2026', 'februar 2026', …)"
}
for bad in "medio juni" "2025-02-30" "29. februar 2025" "våren 2026" "ved oppstart av neste skoleår" "juni"; do
	refused 3 "$(deadline_msg "$bad")" \
		inspection order T-2025-001 --finding F1 --text Pålegg --deadline "$bad"
done
refused 3 "$(deadline_msg "medio juni")" \
	inspection extend T-2025-001 --order P1 --deadline "medio juni" --reason Utsatt
refused 3 "$(exact "deadline: '2025-05-01' is before date '2025-05-21'; nothing written")" \
	inspection order T-2025-001 --finding F1 --text Pålegg --deadline 2025-05-01 --date 2025-05-21
refused 3 "$(exact "comment_deadline: '2025-06-01' is before date '2025-06-10'; nothing written")" \
	inspection preliminary T-2025-001 --date 2025-06-10 --comment-deadline 2025-06-01
refused 3 "$(exact "--comment-deadline: '24.06.2025' is not a date (YYYY-MM-DD)")" \
	inspection preliminary T-2025-001 --date 2025-06-10 --comment-deadline 24.06.2025
refused 3 "$(exact "--planned-date: '2025-13-01' is not a date (YYYY-MM-DD)")" \
	inspection notify T-2025-001 --planned-date 2025-13-01
refused 3 "$(exact "--date-to: '2025-12-32' is not a date (YYYY-MM-DD)")" \
	inspection conduct T-2025-001 --mode self_assessment --date-to 2025-12-32

# ---- kinds and other enumerations (exit 3) ----

refused 3 "$(exact "kind: 'brudd' is not one of lovbrudd, avvik, merknad, forbedringspunkt; nothing written")" \
	inspection finding T-2025-004 --kind brudd --text Funn
refused 3 "$(exact "kind: 'Lovbrudd' is not one of lovbrudd, avvik, merknad, forbedringspunkt; nothing written")" \
	inspection finding T-2025-004 --kind Lovbrudd --text Funn
refused 3 "$(exact "kind: 'pålegg' is not one of palegg, krav_om_opplysninger, frist_for_retting, svarfrist, other; nothing written")" \
	inspection order T-2025-001 --finding F1 --kind pålegg --text Pålegg
refused 3 "$(exact "kind_text: required when kind is other; nothing written")" \
	inspection order T-2025-001 --kind other --text "Krav om redegjørelse."
refused 3 "$(exact "kind: 'svar' is not one of response, action_plan, progress_plan, declaration, account, information, risk_assessment, evaluation, other; nothing written")" \
	inspection respond T-2025-001 --kind svar --text Svar
refused 3 "$(exact "mode: 'stedlig' is not one of visit, document_review, meeting, self_assessment, other; nothing written")" \
	inspection conduct T-2025-001 --mode stedlig
refused 3 "$(exact "text: required when mode is other; nothing written")" \
	inspection conduct T-2025-001 --mode other
refused 3 "$(exact "measure: 'bot' is not one of tvangsmulkt, stansing, overtredelsesgebyr; nothing written")" \
	inspection escalate T-2025-001 --order P1 --measure bot --text Bot
refused 3 "$(exact "--amount: '5 000' is not a number")" \
	inspection escalate T-2025-001 --order P1 --measure tvangsmulkt --text Tvangsmulkt --amount "5 000"
refused 3 "$(exact "kind_text: empty; nothing written")" \
	inspection open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-03-20 --kind ""
refused 3 "$(exact "authority: empty; nothing written")" \
	inspection open --authority "" --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-03-20
refused 3 "$(exact "text: empty; nothing written")" \
	inspection notify T-2025-001 --text ""
refused 3 "$(exact "text: required; nothing written")" \
	inspection finding T-2025-001 --kind avvik
refused 3 "$(exact "--format: 'xml' is not one of table, json")" \
	inspection notify T-2025-001 --format xml
refused 3 "$(exact "--format: 'csv' is not one of table, json")" \
	inspection open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-03-20 --format csv

# ---- usage errors (exit 2) ----

refused 2 "$(exact "unknown option --bogus (see kontroll inspection --help)")" \
	inspection order T-2025-001 --finding F1 --text Pålegg --bogus
refused 2 "$(exact "unknown option --frist (see kontroll inspection --help)")" \
	inspection order T-2025-001 --finding F1 --text Pålegg --frist 2026-06-15
refused 2 "$(exact "unknown option --bogus (see kontroll inspection --help)")" \
	inspection open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-03-20 --bogus
refused 2 "$(exact "--text is required (see kontroll inspection order --help)")" \
	inspection order T-2025-001 --finding F1
refused 2 "$(exact "--kind is required (see kontroll inspection finding --help)")" \
	inspection finding T-2025-001 --text Funn
refused 2 "$(exact "--mode is required (see kontroll inspection conduct --help)")" \
	inspection conduct T-2025-001
refused 2 "$(exact "--order is required (see kontroll inspection fulfil --help)")" \
	inspection fulfil T-2025-001
refused 2 "$(exact "--to is required (see kontroll inspection transfer --help)")" \
	inspection transfer T-2025-001
refused 2 "$(exact "--measure is required (see kontroll inspection escalate --help)")" \
	inspection escalate T-2025-001 --order P1 --text Tvangsmulkt
for o in authority unit law theme date; do
	args=(--authority Arkivverket --unit "Trondheim digital" --law Arkivloven
		--theme "Tilsyn med arkivholdet" --date 2025-03-20)
	for ((i = 0; i < ${#args[@]}; i += 2)); do
		if [ "${args[i]}" = "--$o" ]; then
			args=("${args[@]:0:i}" "${args[@]:i+2}")
			break
		fi
	done
	refused 2 "$(exact "--$o is required (see kontroll inspection open --help)")" inspection open "${args[@]}"
done
refused 2 "$(exact "option --text needs a value (see kontroll inspection --help)")" \
	inspection notify T-2025-001 --text
refused 2 "$(exact "unexpected argument 'T-2025-004'")" \
	inspection notify T-2025-001 T-2025-004 --text Varsel
refused 2 "$(exact "unexpected argument 'ekstra'")" \
	inspection open --authority Arkivverket --unit "Trondheim digital" --law Arkivloven \
	--theme "Tilsyn med arkivholdet" --date 2025-03-20 ekstra
refused 2 "$(exact "no subcommand 'lukk' (see kontroll inspection --help)")" \
	inspection lukk T-2025-001
before=$(fingerprint)
run inspection
expect_exit 2
expect_stdout_match '^usage: kontroll inspection SUBCOMMAND'
expect_unchanged "$before"

# ---- corrections and retractions ----

opened=$(event_id T-2025-001 inspection.opened)
f1=$(event_id T-2025-001 finding.recorded 1)
p1=$(event_id T-2025-001 order.issued 1)
refused 3 "$(exact "an inspection's opening cannot be retracted; correct it instead")" \
	inspection retract T-2025-001 --event "$opened" --reason "Feil sak"
refused 3 "$(exact "--data: not a valid finding.recorded payload: kind: 'brudd' is not one of lovbrudd, avvik, merknad, forbedringspunkt")" \
	inspection correct T-2025-001 --event "$f1" --reason "Feil funntype" \
	--data '{"date":"2025-05-21","finding":"F1","kind":"brudd","text":"Arbeidslokalene er ikke forsvarlige."}'
refused 3 "$(exact "--data: not a valid finding.recorded payload: text: required")" \
	inspection correct T-2025-001 --event "$f1" --reason "Feil funntype" \
	--data '{"date":"2025-05-21","finding":"F1","kind":"avvik"}'
refused 3 "$(exact "--data: not a valid order.issued payload: deadline: '2025-01-01' is before date '2025-05-21'")" \
	inspection correct T-2025-001 --event "$p1" --reason "Feil frist" \
	--data '{"date":"2025-05-21","order":"P1","finding":"F1","text":"Tiltak.","deadline":"2025-01-01"}'
refused 3 "$(exact "--data: not a valid order.issued payload: deadline: '2026-06-30' does not fit deadline_precision mid_month (the 15th)")" \
	inspection correct T-2025-001 --event "$p1" --reason "Feil frist" \
	--data '{"date":"2025-05-21","order":"P1","finding":"F1","text":"Tiltak.","deadline":"2026-06-30","deadline_precision":"mid_month"}'
refused 3 "$(exact "--data: not a valid inspection.opened payload: authority: required")" \
	inspection correct T-2025-001 --event "$opened" --reason "Feil" --data '{"case_number":"T-2025-001"}'
refused 3 "$(exact "--data: not a JSON object (another value)")" \
	inspection correct T-2025-001 --event "$f1" --reason "Feil" --data '["F1"]'
refused 3 "^kontroll inspection: --data: not a JSON object \(.+\)$" \
	inspection correct T-2025-001 --event "$f1" --reason "Feil" --data '{"kind":'
# A correction cannot renumber: labels and case numbers are never reused.
refused 3 "$(exact "--data: finding must stay 'F1' (a correction cannot renumber; retract it and record it anew instead)")" \
	inspection correct T-2025-001 --event "$f1" --reason "Feil nummer" \
	--data '{"date":"2025-05-21","finding":"F2","kind":"avvik","text":"Arbeidslokalene er ikke forsvarlige."}'
refused 3 "$(exact "--data: order must stay 'P1' (a correction cannot renumber; retract it and record it anew instead)")" \
	inspection correct T-2025-001 --event "$p1" --reason "Feil nummer" \
	--data '{"date":"2025-05-21","order":"P2","finding":"F1","text":"Tiltak."}'
refused 3 "$(exact "--data: case_number must stay 'T-2025-001' (a correction cannot renumber; retract it and record it anew instead)")" \
	inspection correct T-2025-001 --event "$opened" --reason "Feil nummer" \
	--data '{"case_number":"T-2025-009","authority":"Arbeidstilsynet","unit":"Krisesenteret i Trondheim","law":"Arbeidsmiljøloven","theme":"Tema","date_from":"2025-05-21"}'
refused 5 "$(exact "--data: T-2025-001 has no finding F9; nothing written")" \
	inspection correct T-2025-001 --event "$p1" --reason "Feil funn" \
	--data '{"date":"2025-05-21","order":"P1","finding":"F9","text":"Tiltak."}'
# A correction of a correction, or of a retraction: correct the original.
setup inspection correct T-2025-001 --event "$f1" --reason "Avvik, ikke lovbrudd" \
	--data '{"date":"2025-05-21","finding":"F1","kind":"avvik","text":"Arbeidslokalene er ikke forsvarlige."}' >/dev/null
corr=$(event_id T-2025-001 event.corrected)
refused 3 "$(exact "--event: $corr is itself a event.corrected; correct or retract the original instead")" \
	inspection correct T-2025-001 --event "$corr" --reason "Igjen" \
	--data '{"date":"2025-05-21","finding":"F1","kind":"merknad","text":"x"}'
refused 3 "$(exact "--event: $corr is itself a event.corrected; correct or retract the original instead")" \
	inspection retract T-2025-001 --event "${corr:0:23}" --reason "Angret"
fulfilled=$(event_id T-2025-001 order.fulfilled)
setup inspection retract T-2025-001 --event "$fulfilled" --reason "Ikke bekreftet" >/dev/null
retr=$(event_id T-2025-001 event.retracted)
refused 3 "$(exact "--event: $retr is itself a event.retracted; correct or retract the original instead")" \
	inspection retract T-2025-001 --event "$retr" --reason "Angret"
# Naming the event: four hex digits of a UUIDv7 are its time, shared by all.
n=$("$KONTROLL" log --stream inspection-T-2025-001 --format csv | tail -n +2 | wc -l)
expect_eq "events of T-2025-001" 16 "$n"
refused 3 "$(exact "--event: '${opened:0:4}' matches $n events of T-2025-001; give more of the id")" \
	inspection retract T-2025-001 --event "${opened:0:4}" --reason "x"
refused 3 "$(exact "--event: 'P1' is not an event id (4 or more hex digits of it)")" \
	inspection retract T-2025-001 --event P1 --reason "x"
refused 3 "$(exact "--event: '01a' is not an event id (4 or more hex digits of it)")" \
	inspection retract T-2025-001 --event 01a --reason "x"
refused 5 "$(exact "--event: no event 'ffffffff' in T-2025-001")" \
	inspection retract T-2025-001 --event ffffffff --reason "x"
# An event of another case is not found in this one.
other=$(event_id T-2025-002 finding.recorded)
refused 5 "$(exact "--event: no event '$other' in T-2025-001")" \
	inspection retract T-2025-001 --event "$other" --reason "x"
refused 2 "$(exact "--date: a correction takes effect when the event it corrects did; it has no date of its own")" \
	inspection retract T-2025-001 --event "$f1" --reason "x" --date 2025-06-01
refused 2 "$(exact "--reason is required (see kontroll inspection retract --help)")" \
	inspection retract T-2025-001 --event "$f1"
refused 2 "$(exact "--data is required (see kontroll inspection correct --help)")" \
	inspection correct T-2025-001 --event "$f1" --reason "x"
refused 2 "$(exact "--event is required (see kontroll inspection correct --help)")" \
	inspection correct T-2025-001 --reason "x" --data '{}'

# ---- a second appeal, a transfer with orders open, a finding after "none" ----

setup inspection open --authority Arbeidstilsynet --unit "Lade bo- og aktivitetstilbud" \
	--law Arbeidsmiljøloven --theme MSK --date 2025-06-13 >/dev/null
setup inspection finding T-2025-005 --kind lovbrudd --date 2025-06-13 --text "Mangler kartlegging" >/dev/null
setup inspection order T-2025-005 --finding F1 --date 2025-06-13 --text "Kartlegge" \
	--deadline 2025-12-01 >/dev/null
setup inspection appeal T-2025-005 --order P1 --date 2025-06-20 --text "Klage" >/dev/null
refused 4 "$(exact "T-2025-005/P1 has an appeal pending already; record its outcome first")" \
	inspection appeal T-2025-005 --order P1 --date 2025-06-21 --text "Klage igjen"
refused 4 "$(exact "T-2025-005 has 1 open order: record it fulfilled or waived (e.g. with the transfer as the reason) before the transfer; nothing written")" \
	inspection transfer T-2025-005 --to "P-Norge AS"
setup inspection open --authority Luftfartstilsynet --unit "Trondheim eiendom" \
	--law Luftfartsloven --theme Droner --date 2025-05-15 >/dev/null
setup inspection finding T-2025-006 --kind none --date 2025-05-15 >/dev/null
refused 4 "$(exact "T-2025-006 is recorded as having no findings; retract that first")" \
	inspection finding T-2025-006 --kind avvik --date 2025-05-16 --text "Avvik"

# ---- the store is sound after all of it ----

stretch_unchanged

run verify
expect_exit 0
expect_stdout_match '^ok: 29 events in 6 streams; hash chain and indexes agree with the log$'

finish
