#!/usr/bin/env bash
# goal_rules.sh — every step `kontroll goal …` and `kontroll goals …` must
# refuse: the exact one-line error naming the option or field, its exit code
# (2 usage, 3 invalid input, 4 conflict, 5 not found: docs/cli.md), nothing
# on stdout, and the store unchanged. Missing and unknown options; levels,
# areas, directions and verdict wordings that mean nothing; periods, targets,
# numbers, dates and effective times that are malformed, out of range or in
# the future; which goal and which indicator; retired goals; the rules of
# corrections and retractions; and the options the views refuse.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="refused setup exact stretch_unchanged event_id"

# exact TEXT [COMMAND] — a regex matching exactly the line
# "kontroll COMMAND: TEXT" (COMMAND: goal).
exact() {
	printf '^kontroll %s: %s$' "${2:-goal}" "$(re_escape "$1")"
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
# in the goal's stream.
event_id() {
	"$KONTROLL" log --stream "goal-$1" --format csv | awk -F, -v t="$2" -v n="${3:-1}" \
		'$5 == t && ++k == n { print $2 }'
}

new_store

# ---- the goals the rules are tried on ----
#
# M-2025-001  finans 2025–2028, no indicator
# M-2025-002  finans 2025–2028, I1 (lower, 2025=10.2), measured and assessed
# M-2025-003  finans 2025–2028, I1 and I2
# M-2025-004  retired
# M-2025-005  a measurement retracted

P=(--period 2025-2028)
setup goal define --area finans --level mål --text "Uten indikator" "${P[@]}" >/dev/null
setup goal define --area finans --level mål --text "Én indikator" "${P[@]}" \
	--indicator Sykefravær --unit % --direction lower --target 2025=10.2 >/dev/null
setup goal measure M-2025-002 --value 10.8 --date 2025-12-31 >/dev/null
setup goal assess M-2025-002 --year 2025 --status achieved >/dev/null
setup goal define --area finans --level mål --text "To indikatorer" "${P[@]}" \
	--indicator A --direction lower >/dev/null
setup goal indicator M-2025-003 --name B --direction higher >/dev/null
setup goal define --area finans --level mål --text "Pensjonert" "${P[@]}" \
	--indicator A --direction lower >/dev/null
setup goal retire M-2025-004 --reason "Utgått." >/dev/null
setup goal define --area finans --level mål --text "Trukket måling" "${P[@]}" \
	--indicator A --direction lower >/dev/null
setup goal measure M-2025-005 --value 1 --date 2025-02-01 >/dev/null
gone=$(event_id M-2025-005 goal.measured)
setup goal retract M-2025-005 --event "$gone" --reason "Feil." >/dev/null

# ---- define: required options and usage ----

DEF=(goal define --level mål --area finans --period 2025-2028 --text "Mål")
for o in level area period text; do
	args=("${DEF[@]:2}")
	for ((i = 0; i < ${#args[@]}; i += 2)); do
		if [ "${args[i]}" = "--$o" ]; then
			args=("${args[@]:0:i}" "${args[@]:i+2}")
			break
		fi
	done
	refused 2 "$(exact "--$o is required (see kontroll goal define --help)")" goal define "${args[@]}"
done
refused 2 "$(exact "unknown option --bogus (see kontroll goal --help)")" "${DEF[@]}" --bogus
refused 2 "$(exact "option --text needs a value (see kontroll goal --help)")" \
	goal define --level mål --area finans --period 2025-2028 --text
refused 2 "$(exact "unexpected argument 'M-2025-001'")" "${DEF[@]}" M-2025-001
refused 3 "$(exact "--format: 'csv' is not one of table, json")" "${DEF[@]}" --format csv
refused 5 "$(exact "no store at missing.db (create one with: kontroll init --db missing.db)")" \
	"${DEF[@]}" --db missing.db
expect_true "define created no store" test ! -e missing.db

# ---- define: values that mean nothing ----

LEVELS="overordnet mål, periodemål, fokusområde, mål, resultatmål, undermål, handlingsregel, tiltak"
AREAS="byrådsleder; oppvekst og utdanning; helse og omsorg; sosiale tjenester; kultur, idrett og friluftsliv; byutvikling; miljø, næring og samferdsel; finans"
refused 3 "$(exact "--level: 'hovedmål 1' is not one of $LEVELS")" \
	goal define --level "hovedmål 1" --area finans --period 2025-2028 --text "Mål"
refused 3 "$(exact "--area: 'Midtbyen' is not an area (one of $AREAS)")" \
	goal define --level mål --area Midtbyen --period 2025-2028 --text "Mål"
refused 3 "$(exact "--direction: 'sideways' is not one of lower, higher (which is better)")" \
	"${DEF[@]}" --indicator X --direction sideways
refused 3 "$(exact "text: empty; nothing written")" \
	goal define --level mål --area finans --period 2025-2028 --text ""
refused 3 "$(exact "--parent: 'X-1' is not a goal number (M-2025-012)")" "${DEF[@]}" --parent X-1
refused 5 "$(exact "--parent: no goal M-2025-099; nothing written")" "${DEF[@]}" --parent M-2025-099
refused 5 "$(exact "--parent: no goal M-2024-001; nothing written")" "${DEF[@]}" --parent m-2024-001

# ---- define: periods ----

for bad in 20x5 2025-28 2025/2028 2025-2028-2030 "" 1850-1852; do
	refused 3 "$(exact "--period: '$bad' is not a period (YYYY or YYYY-YYYY)")" \
		goal define --level mål --area finans --period "$bad" --text "Mål"
done
for bad in 2028-2025 2025-2084 2025-2075; do
	refused 3 "$(exact "--period: '$bad' must run forwards, 50 years at most")" \
		goal define --level mål --area finans --period "$bad" --text "Mål"
done

# ---- define: the indicator and its targets ----

IND=("${DEF[@]}" --indicator Sykefravær --direction lower)
refused 2 "$(exact "--direction is required for an indicator (lower or higher is better)")" \
	"${DEF[@]}" --indicator Sykefravær --target 2025=1
refused 2 "$(exact "--indicator is required for an indicator (its name)")" \
	"${DEF[@]}" --unit % --direction lower
refused 2 "$(exact "--indicator is required for an indicator (its name)")" "${DEF[@]}" --target 2025=1
for y in 2024 2029; do
	refused 3 "$(exact "--target: $y is outside the goal's period 2025–2028; nothing written")" \
		"${IND[@]}" --target 2025=1 --target "$y=1"
done
for bad in 2025:10 25=10 2025 =10 20255=1; do
	refused 3 "$(exact "--target: '$bad' is not YEAR=VALUE (e.g. 2025=10.2)")" "${IND[@]}" --target "$bad"
done
for bad in abc 1e999 "" nan 10.2.3; do
	refused 3 "$(exact "--target: '$bad' is not a number (e.g. 10.2 or 10,2)")" \
		"${IND[@]}" --target "2025=$bad"
done
refused 3 "$(exact "--target: 'x025' is not a year (YYYY)")" "${IND[@]}" --target x025=1
refused 3 "$(exact "--target: 2025 given twice")" "${IND[@]}" --target 2025=10.2 --target 2025=9
for bad in 10.2.3 nan NaN inf -inf "" " " 0x10 1,2,3 1e999 10%; do
	refused 3 "$(exact "--baseline: '$bad' is not a number (e.g. 10.2 or 10,2)")" \
		"${IND[@]}" --baseline "$bad"
done
refused 3 "$(exact "baseline_date: given without baseline; nothing written")" \
	"${IND[@]}" --baseline-date 2024-12-31
refused 3 "$(exact "--baseline-date: '2024-02-30' is not a date (YYYY-MM-DD)")" \
	"${IND[@]}" --baseline 11.2 --baseline-date 2024-02-30
refused 3 "$(exact "--baseline-date: '31.12.2024' is not a date (YYYY-MM-DD)")" \
	"${IND[@]}" --baseline 11.2 --baseline-date 31.12.2024
refused 3 "$(exact "--baseline-date: '2999-12-31' is in the future")" \
	"${IND[@]}" --baseline 11.2 --baseline-date 2999-12-31
refused 3 "$(exact "--effective: '2999-01-01' is in the future")" "${DEF[@]}" --effective 2999-01-01
refused 3 "$(exact "--effective: 'i fjor' is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")" \
	"${DEF[@]}" --effective "i fjor"

# ---- which goal ----

refused 5 "$(exact "no goal 'M-2025-099' (give a number such as M-2025-012, or 2025-12)")" \
	goal measure M-2025-099 --value 1 --date 2025-01-01
refused 5 "$(exact "no goal '2025-99' (give a number such as M-2025-012, or 2025-12)")" \
	goal assess 2025-99 --year 2025 --status nådd
refused 5 "$(exact "no goal 'H-2025-00001' (give a number such as M-2025-012, or 2025-12)")" \
	goal retire H-2025-00001 --reason "x"
refused 5 "$(exact "no goal 'M-2024-001' (give a number such as M-2025-012, or 2025-12)")" \
	goal show M-2024-001
refused 5 "$(exact "no goal 'ffffffff' (give a number such as M-2025-012, or 2025-12)")" \
	goal revise ffffffff --reason r --text x
id=$("$KONTROLL" goal show M-2025-001 --format json | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
prefix=${id:0:4}
n=$("$KONTROLL" log --format csv | awk -F, -v p="$prefix" '$5 == "goal.defined" && index($2, p) == 1' | wc -l)
refused 3 "$(exact "'$prefix' names $n goals; give more of the id, or the number")" goal show "$prefix"
refused 2 "$(exact "which goal? (kontroll goal measure ID …)")" goal measure --value 1 --date 2025-01-01
refused 2 "$(exact "which goal? (kontroll goal show ID)")" goal show
refused 2 "$(exact "unexpected argument 'M-2025-003'")" goal assess M-2025-002 M-2025-003 --year 2025 --status nådd
refused 3 "$(exact "'M-2025-002/I1' is not a goal (M-2025-001)")" goal assess M-2025-002/I1 --year 2025 --status nådd
refused 3 "$(exact "'M-2025-002/I1' is not a goal (M-2025-001)")" goal indicator M-2025-002/I1 --name X --direction lower
refused 5 "$(exact "no store at missing.db (create one with: kontroll init --db missing.db)")" \
	goal measure M-2025-002 --value 1 --date 2025-01-01 --db missing.db

# ---- measure ----

refused 5 "$(exact "M-2025-001 has no indicator (add one: kontroll goal indicator M-2025-001 --name …); nothing written")" \
	goal measure M-2025-001 --value 1 --date 2025-01-01
refused 2 "$(exact "M-2025-003 has 2 indicators: name one with --indicator (I1 … I2) or M-2025-003/I1; nothing written")" \
	goal measure M-2025-003 --value 1 --date 2025-01-01
refused 5 "$(exact "M-2025-003 has no indicator I9; nothing written")" \
	goal measure M-2025-003/I9 --value 1 --date 2025-01-01
refused 5 "$(exact "M-2025-003 has no indicator I9; nothing written")" \
	goal measure M-2025-003 --indicator i9 --value 1 --date 2025-01-01
refused 5 "$(exact "M-2025-002 has no indicator I2; nothing written")" \
	goal measure M-2025-002/I2 --value 1 --date 2025-01-01
refused 2 "$(exact "give the indicator once: M-2025-003/I1 or --indicator I2")" \
	goal measure M-2025-003/I1 --indicator I2 --value 1 --date 2025-01-01
refused 3 "$(exact "'M-2025-003/' is not a goal and indicator (M-2025-001/I1)")" \
	goal measure M-2025-003/ --value 1 --date 2025-01-01
refused 3 "$(exact "'M-2025-003/I01' is not a goal and indicator (M-2025-001/I1)")" \
	goal measure M-2025-003/I01 --value 1 --date 2025-01-01
refused 3 "$(exact "--indicator: '1x' is not an indicator label (I1, I2, …)")" \
	goal measure M-2025-003 --indicator 1x --value 1 --date 2025-01-01
refused 2 "$(exact "--value is required (see kontroll goal measure --help)")" \
	goal measure M-2025-002 --date 2025-01-01
refused 2 "$(exact "--date is required (see kontroll goal measure --help)")" \
	goal measure M-2025-002 --value 1
for bad in x 10.2.3 nan inf "" 1e999 "10 %"; do
	refused 3 "$(exact "--value: '$bad' is not a number (e.g. 10.2 or 10,2)")" \
		goal measure M-2025-002 --value "$bad" --date 2025-01-01
done
refused 3 "$(exact "--date: '2999-01-01' is in the future")" goal measure M-2025-002 --value 1 --date 2999-01-01
refused 3 "$(exact "--date: '2025-13-01' is not a date (YYYY-MM-DD)")" goal measure M-2025-002 --value 1 --date 2025-13-01
refused 3 "$(exact "--date: '2025-12-31T00:00:00Z' is not a date (YYYY-MM-DD)")" \
	goal measure M-2025-002 --value 1 --date 2025-12-31T00:00:00Z
refused 3 "$(exact "--effective: '2999-01-01' is in the future")" \
	goal measure M-2025-002 --value 1 --date 2025-01-01 --effective 2999-01-01

# ---- assess ----

for y in 2024 2029; do
	refused 3 "$(exact "--year: $y is outside M-2025-002's period 2025–2028; nothing written")" \
		goal assess M-2025-002 --year "$y" --status nådd
done
for bad in 25 20x5 1800 "" 20250; do
	refused 3 "$(exact "--year: '$bad' is not a year (YYYY)")" goal assess M-2025-002 --year "$bad" --status nådd
done
for bad in "helt fint" "ok" "" "nåddd" "ikke"; do
	refused 3 "$(exact "--status: '$bad' states no verdict (achieved, partly, not_achieved, on_track, or the report's wording: nådd, oppnådd, delvis nådd, ikke nådd, i rute, …)")" \
		goal assess M-2025-002 --year 2025 --status "$bad"
done
refused 2 "$(exact "--status is required (see kontroll goal assess --help)")" goal assess M-2025-002 --year 2025
refused 2 "$(exact "--year is required (see kontroll goal assess --help)")" goal assess M-2025-002 --status nådd
refused 3 "$(exact "--effective: 2024-12-31 is before M-2025-002 was defined (2025-01-01); nothing written")" \
	goal assess M-2025-002 --year 2025 --status nådd --effective 2024-12-31
refused 3 "$(exact "--effective: '2999-01-01' is in the future")" \
	goal assess M-2025-002 --year 2025 --status nådd --effective 2999-01-01
refused 3 "$(exact "wording: must be one line, without control characters; nothing written")" \
	goal assess M-2025-002 --year 2025 --status nådd --wording $'Målet\ner nådd'

# ---- indicator ----

refused 2 "$(exact "--name is required for an indicator (its name)")" goal indicator M-2025-001 --direction lower
refused 2 "$(exact "--direction is required for an indicator (lower or higher is better)")" \
	goal indicator M-2025-001 --name X
refused 3 "$(exact "--direction: 'bedre' is not one of lower, higher (which is better)")" \
	goal indicator M-2025-001 --name X --direction bedre
refused 3 "$(exact "--target: 2030 is outside the goal's period 2025–2028; nothing written")" \
	goal indicator M-2025-001 --name X --direction lower --target 2030=1
refused 3 "$(exact "--effective: 2024-01-01 is before M-2025-001 was defined (2025-01-01); nothing written")" \
	goal indicator M-2025-001 --name X --direction lower --effective 2024-01-01

# ---- revise ----

refused 2 "$(exact "--reason is required (see kontroll goal revise --help)")" goal revise M-2025-002 --text X
refused 3 "$(exact "a revision changes something: give level, period_from, period_to, text, title or source; nothing written")" \
	goal revise M-2025-002 --reason R
refused 3 "$(exact "--effective: 2024-12-31 is before M-2025-002 was defined (2025-01-01); nothing written")" \
	goal revise M-2025-002 --reason R --text X --effective 2024-12-31
refused 3 "$(exact "--effective: '2999-01-01' is in the future")" \
	goal revise M-2025-002 --reason R --text X --effective 2999-01-01
IND_ONLY="--name, --unit, --direction, --baseline, --baseline-date, --target and --part revise an indicator: name it with --indicator I1"
for o in "--target 2025=3" "--name X" "--unit kr" "--direction higher" "--baseline 3" "--part Skole"; do
	read -r -a words <<<"$o"
	refused 2 "$(exact "$IND_ONLY")" goal revise M-2025-002 --reason R "${words[@]}"
done
refused 2 "$(exact "--text, --title, --level, --period and --source revise the goal, not an indicator: revise them apart")" \
	goal revise M-2025-002 --reason R --indicator I1 --text X --target 2025=3
refused 2 "$(exact "--text, --title, --level, --period and --source revise the goal, not an indicator: revise them apart")" \
	goal revise M-2025-002/I1 --reason R --period 2025-2029
refused 3 "$(exact "a revision changes something: give name, direction, unit, part, baseline, baseline_date, targets or source; nothing written")" \
	goal revise M-2025-002 --reason R --indicator I1
refused 3 "$(exact "--target: 2030 is outside the goal's period 2025–2028; nothing written")" \
	goal revise M-2025-002 --reason R --indicator I1 --target 2030=3
refused 5 "$(exact "M-2025-002 has no indicator I9; nothing written")" \
	goal revise M-2025-002 --reason R --indicator I9 --target 2025=3
refused 5 "$(exact "M-2025-001 has no indicator I1; nothing written")" \
	goal revise M-2025-001/I1 --reason R --target 2025=3
refused 3 "$(exact "--effective: 2024-06-01 is before M-2025-002 was defined (2025-01-01); nothing written")" \
	goal revise M-2025-002/I1 --reason R --target 2025=3 --effective 2024-06-01
refused 3 "$(exact "--period: '2028-2025' must run forwards, 50 years at most")" \
	goal revise M-2025-002 --reason R --period 2028-2025
refused 3 "$(exact "--level: 'x' is not one of $LEVELS")" goal revise M-2025-002 --reason R --level x
refused 3 "$(exact "baseline_date: given without baseline; nothing written")" \
	goal revise M-2025-002/I1 --reason R --baseline-date 2024-12-31

# ---- retire, and what a retired goal refuses ----

refused 2 "$(exact "--reason is required (see kontroll goal retire --help)")" goal retire M-2025-002
refused 3 "$(exact "--effective: 2024-06-01 is before M-2025-002 was defined (2025-01-01); nothing written")" \
	goal retire M-2025-002 --reason R --effective 2024-06-01
RETIRED="M-2025-004 is retired; nothing written (only corrections are taken: kontroll goal correct M-2025-004 …)"
refused 4 "$(exact "$RETIRED")" goal retire M-2025-004 --reason "Igjen."
refused 4 "$(exact "$RETIRED")" goal measure M-2025-004 --value 1 --date 2025-01-01
refused 4 "$(exact "$RETIRED")" goal assess M-2025-004 --year 2025 --status nådd
refused 4 "$(exact "$RETIRED")" goal indicator M-2025-004 --name X --direction lower
refused 4 "$(exact "$RETIRED")" goal revise M-2025-004 --reason R --text X

# ---- corrections and retractions ----

def2=$(event_id M-2025-002 goal.defined)
ind2=$(event_id M-2025-002 goal.indicator_defined)
mea2=$(event_id M-2025-002 goal.measured)
ass2=$(event_id M-2025-002 goal.assessed)
retr5=$(event_id M-2025-005 event.retracted)
other=$(event_id M-2025-003 goal.defined)
DEF2='"level":"mal","area":"finans","period_from":2025,"period_to":2028,"text":"Én indikator"'
refused 3 "$(exact "--data: number must stay 'M-2025-002' (a correction cannot renumber; retract it and record it anew instead)")" \
	goal correct M-2025-002 --event "$def2" --reason "Nytt nummer." --data "{\"number\":\"M-2025-009\",$DEF2}"
refused 3 "$(exact "--data: not a valid goal.defined payload: number: required")" \
	goal correct M-2025-002 --event "$def2" --reason "x" --data "{$DEF2}"
refused 3 "$(exact "--data: not a valid goal.defined payload: number: M-2025-002 is not numbered in the year its period starts (2026)")" \
	goal correct M-2025-002 --event "$def2" --reason "x" \
	--data '{"number":"M-2025-002","level":"mal","area":"finans","period_from":2026,"period_to":2028,"text":"x"}'
refused 3 "$(exact "--data: indicator must stay 'I1' (a correction cannot renumber; retract it and record it anew instead)")" \
	goal correct M-2025-002 --event "$ind2" --reason "Nytt navn." \
	--data '{"indicator":"I2","name":"Sykefravær","direction":"lower"}'
refused 3 "$(exact "--data: indicator must stay 'I1' (a correction cannot renumber; retract it and record it anew instead)")" \
	goal correct M-2025-002 --event "$mea2" --reason "Annen indikator." \
	--data '{"indicator":"I2","value":10.8,"date":"2025-12-31"}'
refused 3 "$(exact "--data: not a valid goal.measured payload: value: expected a number, got text")" \
	goal correct M-2025-002 --event "$mea2" --reason "x" --data '{"indicator":"I1","value":"x","date":"2025-12-31"}'
refused 3 "$(exact "--data: not a JSON object (another value)")" \
	goal correct M-2025-002 --event "$mea2" --reason "x" --data '[1]'
for sub in correct retract; do
	data=()
	[ "$sub" = correct ] && data=(--data '{}')
	refused 5 "$(exact "--event: no event '0000ffff' in M-2025-002")" \
		goal "$sub" M-2025-002 --event 0000ffff --reason "x" "${data[@]}"
	refused 5 "$(exact "--event: no event '$other' in M-2025-002")" \
		goal "$sub" M-2025-002 --event "$other" --reason "x" "${data[@]}"
	refused 3 "$(exact "--event: 'I1' is not an event id (4 or more hex digits of it)")" \
		goal "$sub" M-2025-002 --event I1 --reason "x" "${data[@]}"
done
refused 4 "$(exact "--event: $gone is retracted; a retraction is final (record the fact anew instead); nothing written")" \
	goal correct M-2025-005 --event "$gone" --reason "Likevel." --data '{"indicator":"I1","value":2,"date":"2025-02-01"}'
refused 4 "$(exact "--event: $gone is retracted; a retraction is final (record the fact anew instead); nothing written")" \
	goal retract M-2025-005 --event "${gone:0:23}" --reason "Igjen."
refused 3 "$(exact "--event: $retr5 is itself a event.retracted; correct or retract the original instead")" \
	goal retract M-2025-005 --event "$retr5" --reason "Angret."
refused 2 "$(exact "--data is required (see kontroll goal correct --help)")" \
	goal correct M-2025-002 --event "$mea2" --reason "x"
refused 2 "$(exact "--reason is required (see kontroll goal correct --help)")" \
	goal correct M-2025-002 --event "$mea2" --data '{}'
refused 2 "$(exact "--reason is required (see kontroll goal retract --help)")" \
	goal retract M-2025-002 --event "$mea2"
refused 2 "$(exact "--event is required (see kontroll goal retract --help)")" \
	goal retract M-2025-002 --reason "x"
refused 2 "$(exact "unknown option --effective (see kontroll goal --help)")" \
	goal correct M-2025-002 --event "$mea2" --reason "x" --data '{}' --effective 2025-01-01

# A correction is held to the rules the command that wrote the fact keeps:
# a target year inside the period, an assessed year inside it, no date in
# the future, a parent that exists. (Should one be taken, it is written: the
# stretch's fingerprint is then not compared again, each refusal's bytes are.)
stretch_unchanged
refused 3 '^kontroll goal: --data: .*2031.*period' \
	goal correct M-2025-002 --event "$ind2" --reason "Nytt mål." \
	--data '{"indicator":"I1","name":"Sykefravær","direction":"lower","targets":{"2031":9}}'
refused 3 '^kontroll goal: --data: .*2031.*period' \
	goal correct M-2025-002 --event "$ass2" --reason "Feil år." --data '{"year":2031,"status":"achieved"}'
refused 3 '^kontroll goal: --data: .*2999-01-01.*future' \
	goal correct M-2025-002 --event "$mea2" --reason "Feil dag." \
	--data '{"indicator":"I1","value":10.8,"date":"2999-01-01"}'
refused 5 '^kontroll goal: --data: .*M-2025-077' \
	goal correct M-2025-002 --event "$def2" --reason "Overordnet mål." \
	--data "{\"number\":\"M-2025-002\",$DEF2,\"parent\":\"M-2025-077\"}"
STRETCH="" BYTES=""

# ---- goal show ----

refused 3 "$(exact "--format: 'csv' is not one of table, json")" goal show M-2025-002 --format csv
refused 3 "$(exact "--year: '20x' is not a year (1900-9998)")" goal show M-2025-002 --year 20x
refused 5 "$(exact "M-2025-002 was not yet defined at the end of 2024")" goal show M-2025-002 --year 2024
refused 2 "$(exact "no subcommand 'vis' (see kontroll goal --help)")" goal vis M-2025-002

# ---- goals and goals summary ----

refused 2 "$(exact "--year is required (kontroll goals summary --year 2025)" goals)" goals summary
refused 2 "$(exact "--year is required (kontroll goals summary --year 2025)" goals)" goals summary --level mål
SUMMARY_ONLY="summary counts every area and status; --area, --status, --disagree and --include-retired belong to kontroll goals"
refused 2 "$(exact "$SUMMARY_ONLY" goals)" goals summary --year 2025 --area finans
refused 2 "$(exact "$SUMMARY_ONLY" goals)" goals summary --year 2025 --status nådd
refused 2 "$(exact "$SUMMARY_ONLY" goals)" goals summary --year 2025 --disagree
refused 2 "$(exact "$SUMMARY_ONLY" goals)" goals summary --year 2025 --include-retired
refused 2 "$(exact "--include-retired goes without --year (a year shows the goals retired during it anyway)" goals)" \
	goals --include-retired --year 2025
for bad in 25 20x5 1899 9999; do
	refused 3 "$(exact "--year: '$bad' is not a year (1900-9998)" goals)" goals --year "$bad"
	refused 3 "$(exact "--year: '$bad' is not a year (1900-9998)" goals)" goals summary --year "$bad"
done
refused 3 "$(exact "--area: 'Midtbyen' is not an area (a name, key or code such as helse og omsorg, helse_omsorg, BO-HO)" goals)" \
	goals --area Midtbyen
refused 3 "$(exact "--status: 'bra' is not one of achieved, partly, not_achieved, on_track, unassessed (or the report's wording)" goals)" \
	goals --status bra
refused 3 "$(exact "--level: 'topp' is not a level (overordnet, periodemal, fokusomrade, mal, resultatmal, undermal, handlingsregel, tiltak)" goals)" \
	goals --level topp
refused 3 "$(exact "--level: 'topp' is not a level (overordnet, periodemal, fokusomrade, mal, resultatmal, undermal, handlingsregel, tiltak)" goals)" \
	goals summary --year 2025 --level topp
refused 3 "$(exact "--format: 'xml' is not one of table, json, csv" goals)" goals --format xml
refused 3 "$(exact "--format: 'xml' is not one of table, json, csv" goals)" goals summary --year 2025 --format xml
refused 2 "$(exact "unexpected argument 'finans'" goals)" goals finans
refused 2 "$(exact "unknown option --bogus (see kontroll goals --help)" goals)" goals --bogus
refused 5 "$(exact "no store at missing.db (create one with: kontroll init --db missing.db)" goals)" \
	goals --db missing.db
stretch_unchanged

# ---- usage on stdout ----

before=$(fingerprint)
run goal
expect_exit 2
expect_stdout_match '^usage: kontroll goal SUBCOMMAND \[ID\] \[options\]$'
run goal define --help
expect_exit 0
expect_stdout_match '^usage: kontroll goal define --level L --area A --period Y\[-Y\] --text T'
run goals summary --help
expect_exit 0
expect_stdout_match '^usage: kontroll goals summary --year Y'
expect_unchanged "$before"

# ---- the boundaries that are allowed ----

new_store edge.db
run goal define --db edge.db --level mål --area finans --period 2025-2074 --text "Femti år"
expect_exit 0
expect_stdout_is "M-2025-001"
run goal define --db edge.db --level mål --area finans --period 2025 --text "Ett år" \
	--indicator X --direction lower --target 2025=10,2 --baseline -1,5 --baseline-date 2024-12-31
expect_exit 0
expect_stdout_is "M-2025-002"
run goals --db edge.db --year 2025 --format csv
expect_stdout_match '^M-2025-002,.*,2025,2025,false,2025,,unassessed,'

# ---- the store is sound after all of it ----

run verify
expect_exit 0
expect_stdout_match '^ok: '

finish
