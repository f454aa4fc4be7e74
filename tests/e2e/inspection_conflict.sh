#!/usr/bin/env bash
# inspection_conflict.sh — two advisers editing one case at once. Every
# `kontroll inspection` command appends with the stream version it read, so
# of two commands that read the same version one wins and the other fails
# with exit 4 and "changed by someone else meanwhile", writing nothing; it
# can simply be run again. Checked: no lost update, no duplicated label,
# and concurrent `inspection open` never hands out a case number twice.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
CONFLICT_RE='^kontroll inspection: T-2025-001 was changed by someone else meanwhile \(now at version [0-9]+, read at [0-9]+\); nothing written: look again and retry$'

# adviser NAME N RETRY ARGS... — run `kontroll inspection ARGS…` N times
# (%i in ARGS becomes the attempt's number); with RETRY=1 an attempt that
# lost a conflict is run again until it succeeds (at most 100 times). Each
# run leaves NAME.I.J.{out,err} and a line "I J EXIT" in NAME.rc.
adviser() {
	local name=$1 n=$2 retry=$3 i j rc
	shift 3
	for ((i = 1; i <= n; i++)); do
		for ((j = 1; j <= 100; j++)); do
			"$KONTROLL" inspection "${@//%i/$name.$i}" >"$E2E_SCRATCH/$name.$i.$j.out" \
				2>"$E2E_SCRATCH/$name.$i.$j.err"
			rc=$?
			echo "$i $j $rc" >>"$E2E_SCRATCH/$name.rc"
			[ "$retry" = 1 ] && [ "$rc" = 4 ] || break
		done
	done
}

# outcomes NAME... — sort every run of the advisers NAME…: exit 0 with one
# line on stdout matching $OK_RE and nothing on stderr (WON), or exit 4 with
# the conflict message and nothing on stdout (LOST), or neither (BAD, the
# last of them described in WHY).
outcomes() {
	local name i j rc
	WON=0 LOST=0 BAD=0 WHY=""
	for name in "$@"; do
		while read -r i j rc; do
			local out=$E2E_SCRATCH/$name.$i.$j.out err=$E2E_SCRATCH/$name.$i.$j.err
			_sanitizer_check "$err" "inspection run $name.$i.$j"
			if [ "$rc" = 0 ] && [ ! -s "$err" ] && [ "$(wc -l <"$out")" = 1 ] && grep -Eq "$OK_RE" "$out"; then
				WON=$((WON + 1))
			elif [ "$rc" = 4 ] && [ ! -s "$out" ] && [ "$(wc -l <"$err")" = 1 ] && grep -Eq "$CONFLICT_RE" "$err"; then
				LOST=$((LOST + 1))
			else
				BAD=$((BAD + 1))
				WHY="$name.$i.$j: exit $rc, stdout '$(head -c 200 "$out")', stderr '$(head -c 200 "$err")'"
			fi
		done <"$E2E_SCRATCH/$name.rc"
	done
}

# expect_clean — the last outcomes had no run that was neither.
expect_clean() {
	expect_eq "every run either won or lost the conflict cleanly${WHY:+ ($WHY)}" 0 "$BAD"
}

# count TYPE — events of TYPE in T-2025-001's stream.
count() {
	"$KONTROLL" log --stream inspection-T-2025-001 --format csv | awk -F, -v t="$1" '$5 == t' | wc -l
}

new_store
run inspection open --authority Arbeidstilsynet --unit "Krisesenteret i Trondheim" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager og psykiske plager - stedlig tilsyn" \
	--date 2025-05-21
expect_stdout_is T-2025-001
run inspection finding T-2025-001 --kind lovbrudd --date 2025-05-21 --text "Arbeidslokalene er ikke forsvarlige."
expect_stdout_is T-2025-001/F1
run inspection order T-2025-001 --finding F1 --date 2025-05-21 --deadline "innen medio juni 2026" \
	--text "Tiltak og plan for å sikre forsvarlige arbeidslokaler."
expect_stdout_is T-2025-001/P1

# ---- two advisers, 30 responses each, at the same time ----

OK_RE="^$UUID_RE$"
adviser anne 30 0 respond T-2025-001 --order P1 --date 2025-09-01 --text "Svar %i" &
adviser per 30 0 respond T-2025-001 --order P1 --date 2025-09-01 --text "Svar %i" &
wait
outcomes anne per
expect_clean
expect_eq "60 attempts" 60 "$((WON + LOST))"
echo "# round 1: $WON won, $LOST lost" >&2
expect_eq "responses recorded = commands that succeeded (no lost update)" "$WON" "$(count response.registered)"
expect_eq "show counts the same responses" "$WON" \
	"$(json_field responses "$("$KONTROLL" inspection show T-2025-001 --format json)")"
# Exactly the winners' texts are in the log, each once; no loser's text is.
"$KONTROLL" log --stream inspection-T-2025-001 --format json >"$E2E_SCRATCH/log.json"
missing=0 extra=0
for name in anne per; do
	while read -r i j rc; do
		n=$(grep -c "\"text\":\"Svar $name\.$i\"" "$E2E_SCRATCH/log.json")
		if [ "$rc" = 0 ]; then [ "$n" = 1 ] || missing=$((missing + 1)); else [ "$n" = 0 ] || extra=$((extra + 1)); fi
		if [ "$rc" = 0 ]; then
			grep -q "\"id\":\"$(cat "$E2E_SCRATCH/$name.$i.$j.out")\"" "$E2E_SCRATCH/log.json" || missing=$((missing + 1))
		fi
	done <"$E2E_SCRATCH/$name.rc"
done
expect_eq "every winner's response is in the log once, under the id it printed" 0 "$missing"
expect_eq "no loser's response is in the log" 0 "$extra"
expect_eq "stream versions are 1..N without gaps" "$(seq 1 $((WON + 3)) | tr '\n' ' ')" \
	"$("$KONTROLL" log --stream inspection-T-2025-001 --format csv | tail -n +2 | cut -d, -f4 | tr '\n' ' ')"

# ---- losers retry: every response lands, exactly once ----

before=$(count response.registered)
rm -f "$E2E_SCRATCH"/*.rc
adviser kari 30 1 respond T-2025-001 --finding F1 --date 2025-09-02 --text "Svar %i" &
adviser ola 30 1 respond T-2025-001 --finding F1 --date 2025-09-02 --text "Svar %i" &
wait
outcomes kari ola
expect_clean
echo "# round 2 (retrying): $WON won, $LOST lost" >&2
expect_eq "with retries all 60 succeed" 60 "$WON"
expect_eq "60 more responses recorded" $((before + 60)) "$(count response.registered)"
"$KONTROLL" log --stream inspection-T-2025-001 --format json >"$E2E_SCRATCH/log.json"
dups=0
for name in kari ola; do
	for ((i = 1; i <= 30; i++)); do
		[ "$(grep -c "\"text\":\"Svar $name\.$i\"" "$E2E_SCRATCH/log.json")" = 1 ] || dups=$((dups + 1))
	done
done
expect_eq "each retried response recorded exactly once" 0 "$dups"

# ---- the conflict message is seen ----
#
# Two processes on two cores collide only now and then; four advisers at
# once collide every round. Run rounds until a conflict has been seen (the
# rounds above count), at most 10.
seen=$(cat "$E2E_SCRATCH"/*.err 2>/dev/null | grep -Ec "$CONFLICT_RE")
bad=0 lost_updates=0
for ((round = 1; round <= 10 && seen == 0; round++)); do
	rm -f "$E2E_SCRATCH"/*.rc
	before=$(count response.registered)
	for a in a1 a2 a3 a4; do
		adviser "$a.$round" 10 0 respond T-2025-001 --date 2025-09-03 --text "Svar %i" &
	done
	wait
	outcomes a1.$round a2.$round a3.$round a4.$round
	bad=$((bad + BAD))
	[ $((before + WON)) = "$(count response.registered)" ] || lost_updates=$((lost_updates + 1))
	seen=$LOST
done
expect_eq "four at once: every run won or lost cleanly${WHY:+ ($WHY)}" 0 "$bad"
expect_eq "four at once: responses recorded = successes, every round" 0 "$lost_updates"
expect_true "a conflict was seen and reported with its message" test "$seen" -gt 0

# ---- two advisers recording findings at once: labels are never shared ----

rm -f "$E2E_SCRATCH"/*.rc
OK_RE='^T-2025-001/F[0-9]+$'
adviser siri 15 1 finding T-2025-001 --kind avvik --date 2025-09-04 --text "Funn %i" &
adviser jon 15 1 finding T-2025-001 --kind avvik --date 2025-09-04 --text "Funn %i" &
wait
outcomes siri jon
expect_clean
expect_eq "all 30 findings recorded" 30 "$WON"
labels=$(for name in siri jon; do
	while read -r i j rc; do [ "$rc" = 0 ] && cat "$E2E_SCRATCH/$name.$i.$j.out"; done <"$E2E_SCRATCH/$name.rc"
done | sort -t F -k 2n | tr '\n' ' ')
expect_eq "labels printed: F2..F31, each once" "$(seq 2 31 | sed 's|^|T-2025-001/F|' | tr '\n' ' ')" "$labels"
expect_eq "findings in the model" 31 \
	"$("$KONTROLL" inspections --format csv | awk -F, '$1 == "T-2025-001" { print $(NF-5) + $(NF-4) }')"
expect_eq "distinct labels in the log" 31 \
	"$("$KONTROLL" log --stream inspection-T-2025-001 --format json | grep -o '"finding":"F[0-9]*"}' | sort -u | wc -l)"

# ---- eight advisers open an inspection of 2025 at once ----

for k in 1 2 3 4 5 6 7 8; do
	"$KONTROLL" inspection open --authority Arbeidstilsynet --unit "Enhet $k" --law Arbeidsmiljøloven \
		--theme "Stedlig tilsyn" --date 2025-06-0$k >"$E2E_SCRATCH/open.$k.out" 2>"$E2E_SCRATCH/open.$k.err" &
done
wait
ok=0
for k in 1 2 3 4 5 6 7 8; do
	_sanitizer_check "$E2E_SCRATCH/open.$k.err" "inspection open $k"
	[ ! -s "$E2E_SCRATCH/open.$k.err" ] && grep -Eqx 'T-2025-[0-9]{3}' "$E2E_SCRATCH/open.$k.out" && ok=$((ok + 1))
done
expect_eq "all 8 opens succeeded, each printing a case number" 8 "$ok"
expect_eq "8 distinct case numbers, T-2025-002..T-2025-009" \
	"T-2025-002 T-2025-003 T-2025-004 T-2025-005 T-2025-006 T-2025-007 T-2025-008 T-2025-009" \
	"$(cat "$E2E_SCRATCH"/open.*.out | sort | tr '\n' ' ' | sed 's/ $//')"
# Each case number names the unit its adviser opened.
match=0
for k in 1 2 3 4 5 6 7 8; do
	c=$(cat "$E2E_SCRATCH/open.$k.out")
	"$KONTROLL" inspections --format csv | grep -q "^$c,[^,]*,[^,]*,,Arbeidstilsynet,Enhet $k," && match=$((match + 1))
done
expect_eq "each case holds its own adviser's inspection" 8 "$match"
# And 2024 numbers its own: eight at once there too.
for k in 1 2 3 4 5 6 7 8; do
	"$KONTROLL" inspection open --authority Statsforvalteren --unit "Skole $k" --law Opplæringsloven \
		--theme Lærernormen --date 2024 >"$E2E_SCRATCH/open24.$k.out" 2>"$E2E_SCRATCH/open24.$k.err" &
done
wait
expect_eq "8 distinct 2024 case numbers" "$(seq -f 'T-2024-%03g' 1 8 | tr '\n' ' ' | sed 's/ $//')" \
	"$(cat "$E2E_SCRATCH"/open24.*.out | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "no errors from the 2024 opens" "" "$(cat "$E2E_SCRATCH"/open24.*.err)"

run verify
expect_exit 0
expect_stdout_match '^ok: [0-9]+ events in 17 streams; hash chain and indexes agree with the log$'

finish
