#!/usr/bin/env bash
# inspection_lifecycle.sh — every path of an inspection through the
# `kontroll inspection` commands, each step checked where a user sees it:
# what the command prints, the event it wrote (`kontroll log --format json`),
# and the read model (`kontroll inspections`, `kontroll orders`,
# `kontroll inspection show`). Also: findings "none", waivers, a forced
# closure, a transfer, corrections and retractions named by a short id
# prefix, and --as-of against --known-at on a finding recorded late.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="q state open_orders last_event last_data show_json obj unique_prefix event_id"
ID_JSON_RE="^\{\"id\":\"$UUID_RE\",\"case_number\":\"T-[0-9]{4}-[0-9]{3}\",\"label\":(null|\"[FP][0-9]+\"),\"position\":[0-9]+,\"version\":[0-9]+\}$"

# q ARGS... — kontroll's stdout, for the helpers below; a failure or a
# sanitizer report is a failed check.
q() {
	"$KONTROLL" "$@" 2>"$E2E_SCRATCH/q-err"
	local rc=$?
	_sanitizer_check "$E2E_SCRATCH/q-err" "kontroll $*"
	[ "$rc" = 0 ] || fail "kontroll $* (helper)" "exit $rc: $(cat "$E2E_SCRATCH/q-err")"
	return 0
}

# state CASE [OPTIONS...] — the case's row of `kontroll inspections` as
# "status|lovbrudd|avvik|merknad|forbedringspunkt|orders_open|orders_done",
# or "absent".
state() {
	local c=$1
	shift
	q inspections --format csv "$@" | awk -F, -v c="$c" '
		$1 == c { print $(NF-6) "|" $(NF-5) "|" $(NF-4) "|" $(NF-3) "|" $(NF-2) "|" $(NF-1) "|" $NF; f = 1 }
		END { if (!f) print "absent" }'
}

# open_orders CASE [OPTIONS...] — the case's rows of `kontroll orders` as
# "T-2025-001/P2 2026-02-28 februar 2026; …" (deadline, then its wording).
open_orders() {
	local c=$1
	shift
	q orders --format csv "$@" | awk -F, -v c="$c" '
		$1 == c { printf "%s%s/%s %s%s", n++ ? "; " : "", $1, $2, $7, $8 == "" ? "" : " " $8 }
		END { print "" }'
}

# last_event CASE — the last event of the case's stream: EV the whole event
# and DATA its payload (compact JSON). Call it as a statement, not in $(…).
last_event() {
	q log --stream "inspection-$1" --format json >"$E2E_SCRATCH/last"
	EV=$(tail -n 2 "$E2E_SCRATCH/last" | head -n 1)
	DATA=${EV#*\"data\":}
}

# last_data CASE — the payload of the case's last event, for $(…).
last_data() {
	last_event "$1"
	printf '%s' "$DATA"
}

# show_json CASE [OPTIONS...] — `kontroll inspection show CASE --format json`.
show_json() {
	local c=$1
	shift
	q inspection show "$c" --format json "$@"
}

# obj LABEL JSON — the finding's or order's object in show's JSON.
obj() {
	printf '%s' "$2" | grep -o "{\"label\":\"$1\"[^}]*}" | head -n 1
}

# event_id CASE TYPE [N] — the id of the N-th event of TYPE in the case.
event_id() {
	q log --stream "inspection-$1" --format csv | awk -F, -v t="$2" -v n="${3:-1}" \
		'$5 == t && ++k == n { print $2 }'
}

# unique_prefix ID CASE — the shortest prefix of ID (at least 4 hex digits,
# as a user would copy it, dash included) that no other event of the case
# shares, the way git shortens a hash.
unique_prefix() {
	local id=$1 ids n
	ids=$(q log --stream "inspection-$2" --format csv | tail -n +2 | cut -d, -f2)
	for ((n = 4; n <= 36; n++)); do
		[ "$(grep -c "^${id:0:n}" <<<"$ids")" = 1 ] && { printf '%s' "${id:0:n}"; return; }
	done
	printf '%s' "$id"
}

# ---- help ----

run inspection --help
expect_exit 0
expect_stderr_empty
expect_stdout_match '^usage: kontroll inspection SUBCOMMAND \[ID\] \[options\]$'
for s in open show notify conduct preliminary comment final finding order respond extend \
	appeal decide escalate fulfil waive close transfer correct retract; do
	expect_stdout_match "^  $s +[a-zA-Z]"
done
run help inspection
expect_exit 0
expect_stdout_match '^usage: kontroll inspection SUBCOMMAND'

declare -A options=(
	[notify]="--text --reference --planned-date"
	[conduct]="--mode --date-to --text"
	[preliminary]="--comment-deadline --reference --text --document"
	[comment]="--text --document"
	[final]="--reference --text --document"
	[finding]="--kind --text --legal-ref"
	[order]="--finding --text --title --legal-basis --deadline --kind --kind-text"
	[respond]="--order --finding --kind --text --document"
	[extend]="--order --deadline --reason"
	[appeal]="--order --text --suspensive"
	[decide]="--order --outcome --decided-by --text --deadline"
	[escalate]="--order --measure --notice --text --amount"
	[fulfil]="--order --text --reference"
	[waive]="--order --finding --reason --text"
	[close]="--text --force --reason"
	[transfer]="--to --text"
	[correct]="--event --reason --data"
	[retract]="--event --reason"
)
for s in "${!options[@]}"; do
	run inspection "$s" --help
	expect_exit 0
	expect_stderr_empty
	expect_stdout_match "^usage: kontroll inspection $s ID \[options\]$"
	for o in ${options[$s]} --actor --format --db; do
		expect_stdout_match "^  $o( |$)"
	done
	case $s in
	correct | retract) expect_stdout_nomatch '^  --date' ;;
	*) expect_stdout_match '^  --date D +the day it happened, or YYYY-MM / YYYY when only that is known \(default: today\)' ;;
	esac
done
run inspection open --help
expect_exit 0
for o in --authority --unit --law --theme --date --kind --text --trigger --programme --actor --format --db; do
	expect_stdout_match "$o "
done
run inspection show --help
expect_exit 0
for o in --as-of --known-at --no-snapshots --format --db; do
	expect_stdout_match "$o "
done
expect_eq "help wrote no store" "" "$(ls)"

new_store

# ---- the whole path: Lade bo- og aktivitetstilbud A (Arbeidstilsynet) ----

run inspection open --authority Arbeidstilsynet --unit "Lade bo- og aktivitetstilbud A" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn" \
	--kind "stedlig tilsyn" --date 2025-06-13
expect_exit 0
expect_stderr_empty
expect_stdout_is T-2025-001
last_event T-2025-001
expect_eq "opened: stream version" 1 "$(json_field version "$EV")"
expect_eq "opened: type" '"inspection.opened"' "$(json_field type "$EV")"
expect_eq "opened: effective = the inspection's day" '"2025-06-13T00:00:00.000000Z"' "$(json_field effective "$EV")"
expect_eq "opened: case_number" '"T-2025-001"' "$(json_field case_number "$DATA")"
expect_eq "opened: kind normalised" '"stedlig_tilsyn"' "$(json_field kind "$DATA")"
expect_eq "opened: kind as written" '"stedlig tilsyn"' "$(json_field kind_text "$DATA")"
expect_eq "opened: date_from" '"2025-06-13"' "$(json_field date_from "$DATA")"
expect_eq "opened: actor from \$USER" '"e2e-user"' "$(json_field actor "$EV")"
expect_eq "T-2025-001 after open" "open|0|0|0|0|0|0" "$(state T-2025-001)"

run inspection notify T-2025-001 --date 2025-05-20 --reference 2025/12345 \
	--planned-date 2025-06-13 --text "Varsel om tilsyn med HMS-arbeidet."
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
expect_stdout_match "^$UUID_RE$"
notified_id=$OUT
last_event T-2025-001
expect_eq "notify printed the event id" "\"$notified_id\"" "$(json_field id "$EV")"
expect_eq "notified: type" '"inspection.notified"' "$(json_field type "$EV")"
expect_eq "notified: version" 2 "$(json_field version "$EV")"
expect_eq "notified: effective" '"2025-05-20T00:00:00.000000Z"' "$(json_field effective "$EV")"
expect_eq "notified: date" '"2025-05-20"' "$(json_field date "$DATA")"
expect_eq "notified: reference" '"2025/12345"' "$(json_field reference "$DATA")"
expect_eq "notified: planned_date" '"2025-06-13"' "$(json_field planned_date "$DATA")"
expect_eq "T-2025-001 announced" "announced|0|0|0|0|0|0" "$(state T-2025-001)"

run inspection conduct T-2025-001 --mode visit --date 2025-06-13 --text "Stedlig tilsyn."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
expect_eq "conducted: mode" '"visit"' "$(json_field mode "$(last_data T-2025-001)")"
expect_eq "T-2025-001 conducted" "open|0|0|0|0|0|0" "$(state T-2025-001)"

# The preliminary report: without --comment-deadline, two weeks after it.
run inspection preliminary T-2025-001 --date 2025-06-20 --reference 2025/12345-5 \
	--document "Foreløpig rapport.pdf"
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-001
expect_eq "preliminary: type" '"report.preliminary"' "$(json_field type "$EV")"
expect_eq "preliminary: default comment deadline = date + 14 days" '"2025-07-04"' "$(json_field comment_deadline "$DATA")"
expect_true "preliminary: documents" grep -q '"documents":\["Foreløpig rapport.pdf"\]' <<<"$DATA"
show=$(show_json T-2025-001)
expect_eq "show: preliminary_report" '"2025-06-20"' "$(json_field preliminary_report "$show")"
expect_eq "show: comment_deadline" '"2025-07-04"' "$(json_field comment_deadline "$show")"
expect_eq "show: notified" '"2025-05-20"' "$(json_field notified "$show")"
expect_eq "show: conducted" '"2025-06-13"' "$(json_field conducted "$show")"
run inspection show T-2025-001
expect_exit 0
expect_stdout_match '^preliminary +20\.06\.2025 \(comments by 04\.07\.2025\)$'

run inspection comment T-2025-001 --date 2025-07-01 --text "Merknader til faktagrunnlaget." \
	--document Merknader.pdf
expect_exit 0
expect_stdout_match "^$UUID_RE$"
expect_eq "comments: type" '"report.comments_sent"' "$(json_field type "$(last_event T-2025-001; echo "$EV")")"

run inspection final T-2025-001 --date 2025-08-15 --reference 2025/12345-7 \
	--document "Endelig rapport.pdf" --document Vedlegg.pdf --format json
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
expect_stdout_json
expect_stdout_match "$ID_JSON_RE"
expect_eq "final --format json: case_number" '"T-2025-001"' "$(json_field case_number)"
expect_eq "final --format json: no label" null "$(json_field label)"
expect_eq "final --format json: version" 6 "$(json_field version)"
final_json=$OUT
last_event T-2025-001
expect_eq "final --format json: id is the event's" "$(json_field id "$final_json")" "$(json_field id "$EV")"
expect_eq "final --format json: position is the event's" "$(json_field position "$final_json")" "$(json_field position "$EV")"
expect_true "final: two documents, in order" grep -q '"documents":\["Endelig rapport.pdf","Vedlegg.pdf"\]' <<<"$DATA"
expect_eq "show: final_report" '"2025-08-15"' "$(json_field final_report "$(show_json T-2025-001)")"

# Findings: F1, F2, F3, printed as CASE/LABEL.
run inspection finding T-2025-001 --kind lovbrudd --date 2025-08-15 \
	--legal-ref "arbeidsmiljøloven § 3-1" --text "Kartlegging og risikovurdering av arbeidsmiljøfaktorer mangler."
expect_exit 0
expect_stderr_empty
expect_stdout_is T-2025-001/F1
last_event T-2025-001
expect_eq "finding: label" '"F1"' "$(json_field finding "$DATA")"
expect_eq "finding: kind" '"lovbrudd"' "$(json_field kind "$DATA")"
expect_eq "finding: legal_ref" '"arbeidsmiljøloven § 3-1"' "$(json_field legal_ref "$DATA")"
expect_eq "T-2025-001 with a finding" "findings|1|0|0|0|0|0" "$(state T-2025-001)"
run inspection finding T-2025-001 --kind avvik --date 2025-08-15 --format json \
	--text "Risikovurdering for vold og trusler mangler."
expect_exit 0
expect_stdout_match "$ID_JSON_RE"
expect_eq "finding --format json: label" '"F2"' "$(json_field label)"
expect_eq "finding --format json: case_number" '"T-2025-001"' "$(json_field case_number)"
run inspection finding T-2025-001 --kind lovbrudd --date 2025-08-15 \
	--text "Bedriftshelsetjenesten har ikke bistått."
expect_stdout_is T-2025-001/F3
expect_eq "T-2025-001 with three findings" "findings|2|1|0|0|0|0" "$(state T-2025-001)"

# Orders with deadlines as the authorities write them.
run inspection order T-2025-001 --finding F1 --date 2025-08-15 --title "Kartlegging og risikovurdering" \
	--legal-basis "arbeidsmiljøloven § 18-6" --text "Kartlegg og risikovurder arbeidsmiljøfaktorene." \
	--deadline "medio juni 2026"
expect_exit 0
expect_stderr_empty
expect_stdout_is T-2025-001/P1
last_event T-2025-001
expect_eq "order: type" '"order.issued"' "$(json_field type "$EV")"
expect_eq "order: label" '"P1"' "$(json_field order "$DATA")"
expect_eq "order: finding" '"F1"' "$(json_field finding "$DATA")"
expect_eq "order: 'medio juni 2026' is stored as the 15th" '"2026-06-15"' "$(json_field deadline "$DATA")"
expect_eq "order: with the wording" '"medio juni 2026"' "$(json_field deadline_text "$DATA")"
expect_eq "order: and its precision" '"mid_month"' "$(json_field deadline_precision "$DATA")"
expect_eq "order: legal_basis" '"arbeidsmiljøloven § 18-6"' "$(json_field legal_basis "$DATA")"
expect_eq "order: effective = its date" '"2025-08-15T00:00:00.000000Z"' "$(json_field effective "$EV")"
run inspection order T-2025-001 --finding F2 --date 2025-08-15 --deadline "februar 2026" \
	--text "Etabler en risikovurdering for vold og trusler." --format json
expect_stdout_match "$ID_JSON_RE"
expect_eq "order --format json: label" '"P2"' "$(json_field label)"
last_event T-2025-001
expect_eq "order: 'februar 2026' is its last day" '"2026-02-28"' "$(json_field deadline "$DATA")"
expect_eq "order: precision month" '"month"' "$(json_field deadline_precision "$DATA")"
run inspection order T-2025-001 --finding F3 --date 2025-08-15 --deadline 2025-10-15 \
	--text "Sørg for at bedriftshelsetjenesten bistår."
expect_stdout_is T-2025-001/P3
last_event T-2025-001
expect_eq "order: ISO deadline" '"2025-10-15"' "$(json_field deadline "$DATA")"
expect_eq "order: an ISO deadline keeps no wording" "" "$(json_field deadline_text "$DATA")"
expect_eq "order: precision day" '"day"' "$(json_field deadline_precision "$DATA")"
expect_eq "T-2025-001 with three orders" "orders open|2|1|0|0|3|0" "$(state T-2025-001)"
expect_eq "orders: by deadline, with the wording" \
	"T-2025-001/P3 2025-10-15; T-2025-001/P2 2026-02-28 februar 2026; T-2025-001/P1 2026-06-15 medio juni 2026" \
	"$(open_orders T-2025-001)"

# Responses: an action plan for P1, a plain response to F2.
run inspection respond T-2025-001 --order P1 --kind action_plan --date 2025-09-10 \
	--text "Handlingsplan utarbeidet med verneombud og BHT." --document Handlingsplan.pdf
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-001
expect_eq "respond: type" '"response.registered"' "$(json_field type "$EV")"
expect_eq "respond: kind" '"action_plan"' "$(json_field kind "$DATA")"
expect_eq "respond: order" '"P1"' "$(json_field order "$DATA")"
run inspection respond T-2025-001 --finding F2 --date 2025-09-10 --text "Risikovurdering er påbegynt."
expect_exit 0
last_event T-2025-001
expect_eq "respond: default kind" '"response"' "$(json_field kind "$DATA")"
expect_eq "respond: finding" '"F2"' "$(json_field finding "$DATA")"
expect_eq "show: two responses" 2 "$(json_field responses "$(show_json T-2025-001)")"
expect_eq "responses change no order" "orders open|2|1|0|0|3|0" "$(state T-2025-001)"

# Extension.
run inspection extend T-2025-001 --order P3 --deadline "ultimo november 2025" --date 2025-10-01 \
	--reason "Ny kartlegging med BHT tar lengre tid."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-001
expect_eq "extend: type" '"order.deadline_extended"' "$(json_field type "$EV")"
expect_eq "extend: new deadline" '"2025-11-30"' "$(json_field deadline "$DATA")"
expect_eq "extend: wording" '"ultimo november 2025"' "$(json_field deadline_text "$DATA")"
expect_eq "extend: reason" '"Ny kartlegging med BHT tar lengre tid."' "$(json_field reason "$DATA")"
expect_eq "orders: P3 moved" \
	"T-2025-001/P3 2025-11-30 ultimo november 2025; T-2025-001/P2 2026-02-28 februar 2026; T-2025-001/P1 2026-06-15 medio juni 2026" \
	"$(open_orders T-2025-001)"
p3=$(obj P3 "$(show_json T-2025-001)")
expect_eq "show P3: deadline" '"2025-11-30"' "$(json_field deadline "$p3")"
expect_eq "show P3: original_deadline" '"2025-10-15"' "$(json_field original_deadline "$p3")"
expect_eq "show P3: extended" true "$(json_field extended "$p3")"
expect_eq "orders: extended" true "$(q orders --format json | grep '"order":"P3"' | grep -o '"extended":[a-z]*' | cut -d: -f2)"

# Appeals: upheld, then changed with a new deadline, and one annulled.
run inspection appeal T-2025-001 --order P2 --suspensive --date 2025-09-01 --text "Kommunen klager på pålegget."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
expect_eq "appeal: suspensive" true "$(json_field suspensive "$(last_data T-2025-001)")"
expect_eq "show P2: appealed" true "$(json_field appealed "$(obj P2 "$(show_json T-2025-001)")")"
expect_eq "orders: P2 appealed" true "$(q orders --format json | grep '"order":"P2"' | grep -o '"appealed":[a-z]*' | cut -d: -f2)"
run inspection decide T-2025-001 --order P2 --outcome upheld --date 2025-10-15 \
	--decided-by "Direktoratet for arbeidstilsynet" --text "Klagen tas ikke til følge."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-001
expect_eq "decide: type" '"order.appeal_decided"' "$(json_field type "$EV")"
expect_eq "decide: outcome" '"upheld"' "$(json_field outcome "$DATA")"
expect_eq "decide: decided_by" '"Direktoratet for arbeidstilsynet"' "$(json_field decided_by "$DATA")"
p2=$(obj P2 "$(show_json T-2025-001)")
expect_eq "upheld: no appeal pending" false "$(json_field appealed "$p2")"
expect_eq "upheld: still open" '"open"' "$(json_field status "$p2")"
expect_eq "upheld: deadline unchanged" '"2026-02-28"' "$(json_field deadline "$p2")"
run inspection appeal T-2025-001 --order P2 --date 2025-10-20 --text "Ny klage med nye opplysninger."
expect_exit 0
run inspection decide T-2025-001 --order P2 --outcome changed --deadline "medio mars 2026" \
	--date 2025-11-05 --text "Fristen endres."
expect_exit 0
last_event T-2025-001
expect_eq "changed: new deadline stored" '"2026-03-15"' "$(json_field deadline "$DATA")"
expect_eq "changed: its wording" '"medio mars 2026"' "$(json_field deadline_text "$DATA")"
expect_eq "orders: P2 due on the new deadline" \
	"T-2025-001/P3 2025-11-30 ultimo november 2025; T-2025-001/P2 2026-03-15 medio mars 2026; T-2025-001/P1 2026-06-15 medio juni 2026" \
	"$(open_orders T-2025-001)"
run inspection appeal T-2025-001 --order P1 --date 2025-09-20 --text "Kommunen klager på pålegg 1."
expect_exit 0
run inspection decide T-2025-001 --order P1 --outcome annulled --date 2025-11-10 \
	--decided-by "Direktoratet for arbeidstilsynet" --text "Pålegget oppheves."
expect_exit 0
expect_eq "show P1: annulled" '"annulled"' "$(json_field status "$(obj P1 "$(show_json T-2025-001)")")"
expect_eq "an annulled order is done" "orders open|2|1|0|0|2|1" "$(state T-2025-001)"
expect_eq "orders: P1 gone" "T-2025-001/P3 2025-11-30 ultimo november 2025; T-2025-001/P2 2026-03-15 medio mars 2026" "$(open_orders T-2025-001)"

# Escalation: notice of tvangsmulkt.
run inspection escalate T-2025-001 --order P3 --measure tvangsmulkt --notice --amount 5000 \
	--date 2025-12-05 --text "Varsel om tvangsmulkt."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-001
expect_eq "escalate: type" '"order.escalated"' "$(json_field type "$EV")"
expect_eq "escalate: measure" '"tvangsmulkt"' "$(json_field measure "$DATA")"
expect_eq "escalate: notice" true "$(json_field notice "$DATA")"
expect_true "escalate: amount 5000" grep -Eq '"amount":5000(\.0)?[,}]' <<<"$DATA"
expect_eq "show P3: escalated" true "$(json_field escalated "$(obj P3 "$(show_json T-2025-001)")")"
expect_eq "escalation leaves the order open" "orders open|2|1|0|0|2|1" "$(state T-2025-001)"

# Fulfilment, by the authority's confirmation.
run inspection fulfil T-2025-001 --order P3 --date 2025-12-20 --reference 2025/12345-12 \
	--text "Pålegget er oppfylt."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
fulfil_p3=$OUT
p3=$(obj P3 "$(show_json T-2025-001)")
expect_eq "fulfil: P3 fulfilled" '"fulfilled"' "$(json_field status "$p3")"
expect_eq "fulfil: status_date" '"2025-12-20"' "$(json_field status_date "$p3")"
expect_eq "after P3" "orders open|2|1|0|0|1|2" "$(state T-2025-001)"
run inspection fulfil T-2025-001 --order P2 --date 2026-03-01 --text "Pålegget er oppfylt."
expect_exit 0
expect_eq "all orders done" "findings|2|1|0|0|0|3" "$(state T-2025-001)"
expect_eq "orders: none left" "" "$(open_orders T-2025-001)"

# Closure.
run inspection close T-2025-001 --date 2026-03-10 \
	--text "Samtlige pålegg er innfridd, og avvikene er offisielt lukket."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
close_id=$OUT
last_event T-2025-001
expect_eq "close: type" '"inspection.closed"' "$(json_field type "$EV")"
expect_eq "close: not forced" "" "$(json_field forced "$DATA")"
expect_eq "T-2025-001 closed" "closed|2|1|0|0|0|3" "$(state T-2025-001)"
show=$(show_json T-2025-001)
expect_eq "show: closed" '"2026-03-10"' "$(json_field closed "$show")"
expect_eq "show: forced" false "$(json_field forced "$show")"
expect_eq "show: status" '"closed"' "$(json_field status "$show")"
expect_eq "listed as closed" "T-2025-001" "$(q inspections --status closed --format csv | tail -n +2 | cut -d, -f1)"

# Retract the closure, by a short prefix of its id: the inspection reopens.
prefix=$(unique_prefix "$close_id" T-2025-001)
expect_true "the prefix is short (${#prefix} characters)" test "${#prefix}" -lt 36
run inspection retract T-2025-001 --event "$prefix" --reason "Lukket ved en feil."
expect_exit 0
expect_stderr_empty
expect_stdout_match "^$UUID_RE$"
last_event T-2025-001
expect_eq "retract: type" '"event.retracted"' "$(json_field type "$EV")"
expect_eq "retract: the whole target id" "\"$close_id\"" "$(json_field target "$DATA")"
expect_eq "retract: target_type" '"inspection.closed"' "$(json_field target_type "$DATA")"
expect_eq "retract: reason" '"Lukket ved en feil."' "$(json_field reason "$DATA")"
expect_eq "retract: takes effect when the closure did" '"2026-03-10T00:00:00.000000Z"' "$(json_field effective "$EV")"
expect_eq "retract: no date of its own" "" "$(json_field date "$DATA")"
expect_eq "T-2025-001 reopened" "findings|2|1|0|0|0|3" "$(state T-2025-001)"
expect_eq "show: closed is gone" null "$(json_field closed "$(show_json T-2025-001)")"
run inspection show T-2025-001
expect_exit 0
expect_stdout_match "event\.retracted +retracts ${close_id:0:8}[0-9a-f-]* \\(inspection\.closed\\): Lukket ved en feil\\.$"

# Retract a fulfilment (prefix without its dashes): the order is open again.
prefix=$(unique_prefix "$fulfil_p3" T-2025-001)
run inspection retract T-2025-001 --event "${prefix//-/}" --reason "Tilsynet har ikke bekreftet." --format json
expect_exit 0
expect_stdout_match "$ID_JSON_RE"
expect_eq "retract: target_type" '"order.fulfilled"' "$(json_field target_type "$(last_data T-2025-001)")"
expect_eq "P3 open again" "orders open|2|1|0|0|1|2" "$(state T-2025-001)"
expect_eq "orders: P3 back with its extended deadline" "T-2025-001/P3 2025-11-30 ultimo november 2025" "$(open_orders T-2025-001)"
expect_eq "show P3: open" '"open"' "$(json_field status "$(obj P3 "$(show_json T-2025-001)")")"
run inspection fulfil T-2025-001 --order P3 --date 2026-01-15 --text "Bekreftet oppfylt."
expect_exit 0
run inspection close T-2025-001 --date 2026-03-10 --text "Tilsynet er avsluttet."
expect_exit 0
expect_eq "T-2025-001 closed again" "closed|2|1|0|0|0|3" "$(state T-2025-001)"

# Correct a finding's kind, on the closed case: corrections stay possible.
f2=$(event_id T-2025-001 finding.recorded 2)
prefix=$(unique_prefix "$f2" T-2025-001)
run inspection correct T-2025-001 --event "$prefix" --reason "Tilsynet kalte det en merknad." \
	--data '{"date":"2025-08-15","finding":"F2","kind":"merknad","text":"Risikovurdering for vold og trusler bør bli mer spesifikk."}'
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-001
expect_eq "correct: type" '"event.corrected"' "$(json_field type "$EV")"
expect_eq "correct: target" "\"$f2\"" "$(json_field target "$DATA")"
expect_eq "correct: target_type" '"finding.recorded"' "$(json_field target_type "$DATA")"
expect_eq "correct: takes effect when the finding did" '"2025-08-15T00:00:00.000000Z"' "$(json_field effective "$EV")"
expect_true "correct: the replacement payload" grep -q '"data":{"date":"2025-08-15","finding":"F2","kind":"merknad"' <<<"$DATA"
expect_eq "F2 counted as merknad" "closed|2|0|1|0|0|3" "$(state T-2025-001)"
f2obj=$(obj F2 "$(show_json T-2025-001)")
expect_eq "show F2: kind" '"merknad"' "$(json_field kind "$f2obj")"
expect_eq "show F2: text" '"Risikovurdering for vold og trusler bør bli mer spesifikk."' "$(json_field text "$f2obj")"
expect_eq "show F2: the original event" "\"$f2\"" "$(json_field event_id "$f2obj")"
# The original stays in the log, unchanged.
expect_true "the original finding is still in the log" \
	grep -q "\"id\":\"$f2\".*\"kind\":\"avvik\"" <<<"$(q log --stream inspection-T-2025-001 --format json)"
expect_eq "T-2025-001: stream version" 30 "$(json_field version "$(show_json T-2025-001)")"

# ---- no findings: Klæbu helse- og velferdssenter ----

run inspection open --authority Arbeidstilsynet --unit "Klæbu helse- og velferdssenter" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn" \
	--kind stedlig --date 2025-06-04 --format json
expect_exit 0
expect_stdout_lines 1
expect_stdout_json
expect_stdout_match "^\{\"id\":\"$UUID_RE\",\"case_number\":\"T-2025-002\",\"stream\":\"inspection-T-2025-002\",\"position\":[0-9]+\}$"
klaebu_id=$(json_field id | tr -d '"')
run inspection conduct T-2025-002 --mode visit --date 2025-06-04
expect_exit 0
run inspection finding T-2025-002 --kind none --date 2025-06-04 \
	--text "Arbeidstilsynet fant ingen brudd på regelverket som det var nødvendig å følge opp med pålegg om retting."
expect_exit 0
expect_stderr_empty
expect_stdout_match "^$UUID_RE$"
last_event T-2025-002
expect_eq "none: type" '"finding.none"' "$(json_field type "$EV")"
expect_eq "none: no kind field" "" "$(json_field kind "$DATA")"
expect_eq "none: no label" "" "$(json_field finding "$DATA")"
expect_eq "show: no_findings" '"2025-06-04"' "$(json_field no_findings "$(show_json T-2025-002)")"
expect_eq "T-2025-002: no findings" "open|0|0|0|0|0|0" "$(state T-2025-002)"
run inspection close T-2025-002 --date 2025-06-30
expect_exit 0
expect_eq "T-2025-002 closed without findings" "closed|0|0|0|0|0|0" "$(state T-2025-002)"

# ---- waivers: an order, and a finding's requirement ----

run inspection open --authority Statsforvalteren --unit "Klima- og miljøenheten" \
	--law Økonomireglementet --theme "Forvaltningskontroll landbruk" --kind forvaltningskontroll \
	--date 2025-03-27
expect_stdout_is T-2025-003
run inspection finding T-2025-003 --kind avvik --date 2025-03-27 --text "Manglende ferdiggodkjenning av landbruksveier."
expect_stdout_is T-2025-003/F1
run inspection finding T-2025-003 --kind merknad --date 2025-03-27 --text "Ulik praksis for avkorting av tilskudd."
expect_stdout_is T-2025-003/F2
run inspection order T-2025-003 --finding F1 --date 2025-03-27 --deadline 2025-12-31 \
	--text "Innfør ferdiggodkjenning av landbruksveier."
expect_stdout_is T-2025-003/P1
expect_eq "T-2025-003 with an order" "orders open|0|1|1|0|1|0" "$(state T-2025-003)"
run inspection waive T-2025-003 --order P1 --date 2025-06-01 --reason "Innføres i praksis fra 2026."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-003
expect_eq "waive: type" '"requirement.waived"' "$(json_field type "$EV")"
expect_eq "waive: order" '"P1"' "$(json_field order "$DATA")"
expect_eq "show P1: waived" '"waived"' "$(json_field status "$(obj P1 "$(show_json T-2025-003)")")"
expect_eq "a waived order is done" "findings|0|1|1|0|0|1" "$(state T-2025-003)"
expect_eq "orders: none of T-2025-003" "" "$(open_orders T-2025-003)"
run inspection waive T-2025-003 --finding F2 --date 2025-06-01 --reason "Statsforvalteren frafalt kravet."
expect_exit 0
expect_eq "waive: finding" '"F2"' "$(json_field finding "$(last_data T-2025-003)")"
expect_eq "show F2: waived" true "$(json_field waived "$(obj F2 "$(show_json T-2025-003)")")"
expect_eq "show F1: not waived" false "$(json_field waived "$(obj F1 "$(show_json T-2025-003)")")"
# Nothing open: it closes without --force.
run inspection close T-2025-003 --date 2025-06-15
expect_exit 0
expect_eq "T-2025-003 closed" "closed|0|1|1|0|0|1" "$(state T-2025-003)"

# ---- closed by force with orders open ----

run inspection open --authority Statsforvalteren --unit Oppvekst --law Opplæringsloven \
	--theme "Individuelt tilrettelagt opplæring" --date 2025-03-03
expect_stdout_is T-2025-004
run inspection finding T-2025-004 --kind lovbrudd --date 2025-03-03 \
	--text "PPT utarbeider ikke sakkyndige vurderinger uten ugrunnet opphold."
run inspection order T-2025-004 --finding F1 --date 2025-03-03 --deadline "utgangen av 2025" \
	--text "Reduser saksbehandlingstiden."
expect_stdout_is T-2025-004/P1
expect_eq "'utgangen av 2025' is 31 December" '"2025-12-31"' "$(json_field deadline "$(last_data T-2025-004)")"
run inspection order T-2025-004 --finding F1 --date 2025-03-03 --kind frist_for_retting \
	--deadline "innen 31. desember 2025" --text "Bygg ned restansene."
expect_stdout_is T-2025-004/P2
run inspection close T-2025-004 --force --reason "Oppfølgingen videreføres i styringsdialogen." --date 2026-01-20
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-004
expect_eq "forced close: forced" true "$(json_field forced "$DATA")"
expect_eq "forced close: reason" '"Oppfølgingen videreføres i styringsdialogen."' "$(json_field reason "$DATA")"
expect_eq "T-2025-004 closed with 2 orders open" "closed|1|0|0|0|2|0" "$(state T-2025-004)"
expect_eq "show: forced" true "$(json_field forced "$(show_json T-2025-004)")"
expect_eq "orders: a closed case's orders are not listed" "" "$(open_orders T-2025-004)"
run inspection show T-2025-004
expect_exit 0
expect_stdout_match '^ +P1 +F1 +open '

# ---- transferred: Statens vegvesen → P-Norge AS ----

run inspection open --authority "Statens vegvesen" --unit "Trondheim parkering" \
	--law Parkeringsforskriften --theme Vilkårsparkering --date 2025-07-02
expect_stdout_is T-2025-005
run inspection notify T-2025-005 --date 2025-07-02 --text "Statens vegvesen varslet tilsyn med kommunens vilkårsparkering."
expect_exit 0
expect_eq "T-2025-005 announced" "announced|0|0|0|0|0|0" "$(state T-2025-005)"
run inspection transfer T-2025-005 --to "P-Norge AS" --date 2025-08-01 \
	--text "Tilsynet ble lukket og overført direkte til det ansvarlige selskapet."
expect_exit 0
expect_stdout_match "^$UUID_RE$"
last_event T-2025-005
expect_eq "transfer: type" '"inspection.transferred"' "$(json_field type "$EV")"
expect_eq "transfer: to" '"P-Norge AS"' "$(json_field to "$DATA")"
expect_eq "T-2025-005 transferred" "transferred|0|0|0|0|0|0" "$(state T-2025-005)"
show=$(show_json T-2025-005)
expect_eq "show: transferred_to" '"P-Norge AS"' "$(json_field transferred_to "$show")"
expect_eq "show: transfer_date" '"2025-08-01"' "$(json_field transfer_date "$show")"

# ---- naming a case: case number in any case, stream, id prefix ----

run inspection respond t-2025-002 --date 2025-06-10 --text "Funnene brukes i HMS-arbeidet."
expect_exit 4 # closed: found, and refused for its state
run inspection show t-2025-002 --format json
expect_exit 0
expect_eq "lower-case case number" '"T-2025-002"' "$(json_field case_number)"
run inspection show inspection-T-2025-002 --format json
expect_exit 0
expect_eq "stream name" '"T-2025-002"' "$(json_field case_number)"
opened_ids=$(q log --format csv | awk -F, '$5 == "inspection.opened" { print $2 }')
for ((n = 4; n <= 36; n++)); do
	[ "$(grep -c "^${klaebu_id:0:n}" <<<"$opened_ids")" = 1 ] && break
done
run inspection show "${klaebu_id:0:n}" --format json
expect_exit 0
expect_eq "unique id prefix (${klaebu_id:0:n})" '"T-2025-002"' "$(json_field case_number)"
run inspection notify "${klaebu_id:0:n}" --text "x"
expect_error 4 '^kontroll inspection: T-2025-002 is closed; nothing written'

# ---- who and when ----

run inspection open --authority Luftfartstilsynet --unit "Trondheim eiendom" --law Luftfartsloven \
	--theme "Forskrift om ubemannede luftfartøyer" --date 2025-05-15 --actor "kari.nordmann"
expect_stdout_is T-2025-006
expect_eq "--actor on open" '"kari.nordmann"' "$(json_field actor "$(last_event T-2025-006; echo "$EV")")"
KONTROLL_ACTOR=kvalitetsraadgiver run inspection conduct T-2025-006 --mode document_review --effective 2025-05-15
expect_exit 0
last_event T-2025-006
expect_eq "\$KONTROLL_ACTOR" '"kvalitetsraadgiver"' "$(json_field actor "$EV")"
expect_eq "--effective is --date" '"2025-05-15T00:00:00.000000Z"' "$(json_field effective "$EV")"
KONTROLL_ACTOR=kvalitetsraadgiver run inspection finding T-2025-006 --kind avvik --actor ola \
	--text "Avvik knyttet til operasjonsplanlegging."
expect_exit 0
last_event T-2025-006
expect_eq "--actor wins over \$KONTROLL_ACTOR" '"ola"' "$(json_field actor "$EV")"
expect_eq "no --date: today (UTC)" "\"$(date -u +%F)\"" "$(json_field date "$DATA")"
expect_eq "no --date: effective today" "\"$(date -u +%F)T00:00:00.000000Z\"" "$(json_field effective "$EV")"
# A preliminary report on 20 February 2024 (a leap year): comments by 5 March.
run inspection preliminary T-2025-006 --date 2024-02-20
expect_exit 0
expect_eq "date + 14 days over 29 February" '"2024-03-05"' "$(json_field comment_deadline "$(last_data T-2025-006)")"
run inspection preliminary T-2025-006 --date 2025-05-20 --comment-deadline 2025-06-30
expect_exit 0
expect_eq "an explicit comment deadline" '"2025-06-30"' "$(json_field comment_deadline "$(last_data T-2025-006)")"

# ---- as-of against known-at: a finding recorded late ----
#
# Charlottenlund was inspected on 5 June 2025; the finding is recorded only
# after T0 but dated 2025-06-05. As things stood on 10 June it counts; as
# kontroll showed things at T0 it does not.

run inspection open --authority Arbeidstilsynet --unit "Charlottenlund helse- og velferdssenter" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn" \
	--kind "stedlig tilsyn" --date 2025-06-05
expect_stdout_is T-2025-007
sleep 1
t0=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
sleep 1
run inspection finding T-2025-007 --kind forbedringspunkt --date 2025-06-05 --text "Styrke opplæring av nytilsatte."
expect_stdout_is T-2025-007/F1
expect_eq "now" "findings|0|0|0|1|0|0" "$(state T-2025-007)"
expect_eq "--as-of 2025-06-10 counts it" "findings|0|0|0|1|0|0" "$(state T-2025-007 --as-of 2025-06-10)"
expect_eq "--as-of 2025-06-05 (that day) counts it" "findings|0|0|0|1|0|0" "$(state T-2025-007 --as-of 2025-06-05)"
expect_eq "--known-at T0 does not" "open|0|0|0|0|0|0" "$(state T-2025-007 --known-at "$t0")"
expect_eq "--as-of 2025-06-10 --known-at T0 does not" "open|0|0|0|0|0|0" "$(state T-2025-007 --as-of 2025-06-10 --known-at "$t0")"
expect_eq "--known-at T0 without snapshots" "open|0|0|0|0|0|0" "$(state T-2025-007 --known-at "$t0" --no-snapshots)"
expect_eq "--as-of 2025-06-10 without snapshots" "findings|0|0|0|1|0|0" "$(state T-2025-007 --as-of 2025-06-10 --no-snapshots)"
expect_eq "--as-of 2025-06-04: not yet inspected" "absent" "$(state T-2025-007 --as-of 2025-06-04)"
expect_eq "--known-at 2025-06-20: nothing recorded then" "absent" "$(state T-2025-007 --known-at 2025-06-20)"
expect_eq "show --known-at T0: no findings" '"findings":[]' \
	"$(show_json T-2025-007 --known-at "$t0" | grep -o '"findings":\[[^]]*\]')"
expect_eq "show --as-of 2025-06-10: F1" '"F1"' "$(json_field label "$(obj F1 "$(show_json T-2025-007 --as-of 2025-06-10)")")"
run inspection show T-2025-007 --known-at "$t0"
expect_exit 0
expect_stdout_match '^FINDINGS \(0\)$'
expect_stdout_nomatch 'Styrke opplæring'
run inspection show T-2025-007 --as-of 2025-06-10
expect_exit 0
expect_stdout_match '^FINDINGS \(1\)$'
expect_stdout_match '^ +F1 +forbedringspunkt +Styrke opplæring av nytilsatte\.$'
# T-2025-001 as of 2025-09-15: after the appeal, before the decisions.
# (F2's correction counts from the finding's own date.)
expect_eq "T-2025-001 --as-of 2025-09-15" "orders open|2|0|1|0|3|0" "$(state T-2025-001 --as-of 2025-09-15)"
expect_eq "orders --as-of 2025-09-15" \
	"T-2025-001/P3 2025-10-15; T-2025-001/P2 2026-02-28 februar 2026; T-2025-001/P1 2026-06-15 medio juni 2026" \
	"$(open_orders T-2025-001 --as-of 2025-09-15)"

# ---- the listings agree with all of the above ----

run inspections --format csv
expect_exit 0
expect_stdout_lines 8
run inspections --status "orders open" --format csv
expect_eq "no case has orders open" 1 "$(wc -l <"$OUT_FILE")"
run orders --format csv
expect_exit 0
expect_stdout_lines 1
run verify
expect_exit 0
expect_stdout_match '^ok: [0-9]+ events in 7 streams; hash chain and indexes agree with the log$'

finish
