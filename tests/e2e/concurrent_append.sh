#!/usr/bin/env bash
# concurrent_append.sh — several processes appending to one store at once.
#
# Four writers run in the background; each appends 50 events to a stream of
# its own (with the exact --expected-version, so its versions must come out
# 1..50) interleaved with 50 events to one shared stream (--expected-version
# any): 400 events in all. A reader runs verify and log over and over while
# they write. Then: races on --expected-version, where exactly one of several
# simultaneous appends may win.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
new_store
W=4 N=50

writer() {
	local w=$1 i
	for ((i = 1; i <= N; i++)); do
		"$KONTROLL" append --stream "own-$w" --type t --expected-version $((i - 1)) \
			--data "{\"w\":$w,\"i\":$i}" >>"w$w.ids" 2>>"w$w.err" || echo "own-$w $i exit $?" >>"w$w.fail"
		"$KONTROLL" append --stream shared --type t --expected-version any \
			--data "{\"w\":$w,\"i\":$i}" >>"w$w.ids" 2>>"w$w.err" || echo "shared $i exit $?" >>"w$w.fail"
	done
}

reader() {
	local n=0
	while [ ! -e writers.done ]; do
		"$KONTROLL" verify >/dev/null 2>>reader.err || echo "verify exit $?" >>reader.fail
		"$KONTROLL" log --format csv >/dev/null 2>>reader.err || echo "log exit $?" >>reader.fail
		n=$((n + 1))
	done
	echo "$n" >reader.rounds
}

reader &
reader_pid=$!
pids=()
for ((w = 1; w <= W; w++)); do
	writer "$w" &
	pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
touch writers.done
wait "$reader_pid"

for ((w = 1; w <= W; w++)); do
	_sanitizer_check "w$w.err" "writer $w"
	expect_eq "writer $w: failed appends" "" "$(cat "w$w.fail" 2>/dev/null)"
	expect_eq "writer $w: stderr" "" "$(cat "w$w.err")"
done
_sanitizer_check reader.err "the reader"
expect_eq "concurrent verify/log runs that failed" "" "$(cat reader.fail 2>/dev/null)"
expect_eq "reader stderr" "" "$(cat reader.err)"
expect_true "the reader ran at least once while writers wrote" test "$(cat reader.rounds)" -ge 1

expect_eq "distinct event ids printed" 400 "$(cat w*.ids | grep -Ec "^$UUID_RE$" | tr -d ' ')"
expect_eq "no id printed twice" 400 "$(cat w*.ids | sort -u | wc -l | tr -d ' ')"

run info
expect_exit 0
expect_stdout_match '^events +400$'
expect_stdout_match '^streams +5$'
expect_stdout_match '^head position +400$'

# The log: positions 1..400 without gaps, recorded time never going back.
run log --format csv
expect_exit 0
expect_stdout_lines 401
expect_eq "positions are 1..400" "$(seq 1 400 | tr '\n' ' ')" "$(tail -n +2 "$OUT_FILE" | cut -d, -f1 | tr '\n' ' ')"
recorded=$(tail -n +2 "$OUT_FILE" | cut -d, -f6)
expect_eq "recorded time never decreases along the log" "$recorded" "$(printf '%s\n' "$recorded" | sort)"

# Each own stream: versions 1..50, and version v holds the writer's event i = v.
for ((w = 1; w <= W; w++)); do
	run log --stream "own-$w" --format csv
	expect_exit 0
	expect_stdout_lines $((N + 1))
	expect_eq "own-$w: versions" "$(seq 1 $N | tr '\n' ' ')" "$(tail -n +2 "$OUT_FILE" | cut -d, -f4 | tr '\n' ' ')"
	expect_eq "own-$w: payloads in order" "$(for ((i = 1; i <= N; i++)); do printf '"{""w"":%d,""i"":%d}" ' "$w" "$i"; done)" \
		"$(tail -n +2 "$OUT_FILE" | cut -d, -f11- | tr '\n' ' ')"
done

# The shared stream: versions 1..200, every writer's 50 events once each and
# in the order that writer appended them.
run log --stream shared --format csv
expect_exit 0
expect_stdout_lines $((W * N + 1))
expect_eq "shared: versions" "$(seq 1 $((W * N)) | tr '\n' ' ')" "$(tail -n +2 "$OUT_FILE" | cut -d, -f4 | tr '\n' ' ')"
for ((w = 1; w <= W; w++)); do
	expect_eq "shared: writer $w's events, in its order" \
		"$(for ((i = 1; i <= N; i++)); do printf '%d ' "$i"; done)" \
		"$(grep -o "\"\"w\"\":$w,\"\"i\"\":[0-9]*" "$OUT_FILE" | sed 's/.*://' | tr '\n' ' ')"
done

run verify
expect_exit 0
expect_stdout_match '^ok: 400 events in 5 streams'

# ---- races on --expected-version: exactly one of 4 wins ----

# race NAME ARGS... — 4 appends with ARGS started at once; prints their exit
# statuses sorted, one line.
race() {
	local name=$1 k
	shift
	for ((k = 1; k <= 4; k++)); do
		("$KONTROLL" append "$@" --data "{\"k\":$k}" >"$name.$k.out" 2>"$name.$k.err"
		echo $? >"$name.$k.rc") &
	done
	wait
	for ((k = 1; k <= 4; k++)); do _sanitizer_check "$name.$k.err" "race $name"; done
	cat "$name".*.rc | sort | tr '\n' ' '
}

for r in 1 2 3 4 5; do
	expect_eq "race $r on --expected-version none: exit statuses" "0 4 4 4 " \
		"$(race new$r --stream "new-$r" --type t --expected-version none)"
	expect_eq "race $r: losers say the stream exists" 3 \
		"$(cat new$r.*.err | grep -c "^kontroll append: stream 'new-$r' exists already (version 1); nothing written$")"
	run log --stream "new-$r" --format csv
	expect_stdout_lines 2
done

add kontroll.db at-one t '{}' >/dev/null
for r in 1 2 3; do
	expect_eq "race $r on --expected-version $r: exit statuses" "0 4 4 4 " \
		"$(race exact$r --stream at-one --type t --expected-version "$r")"
done
run log --stream at-one --format csv
expect_eq "at-one: versions" "1 2 3 4 " "$(tail -n +2 "$OUT_FILE" | cut -d, -f4 | tr '\n' ' ')"

run verify
expect_exit 0
expect_stdout_match '^ok: 409 events in 11 streams'

finish
