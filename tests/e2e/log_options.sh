#!/usr/bin/env bash
# log_options.sh — log --stream, --from, --limit, --reverse and how the table
# clips long data.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
new_store

# Positions 1..12: stream a gets 1 3 5 7 9, ab gets 2 6 10, "a b" 4 8, z 11 12.
streams=(a ab a 'a b' a ab a 'a b' a ab z z)
for ((p = 1; p <= 12; p++)); do
	add kontroll.db "${streams[p - 1]}" t "{\"p\":$p}" >/dev/null
done

# lists WHAT EXPECTED FIELD ARGS... — `log ARGS --format csv` exits 0 and
# its column FIELD (1: position, 4: version) holds EXPECTED, space-separated.
# shellcheck disable=SC2034 # read by lib.sh
E2E_HELPERS="lists"
lists() {
	local what=$1 want=$2 field=$3
	shift 3
	run log "$@" --format csv
	expect_exit 0
	expect_eq "$what" "$want" "$(tail -n +2 "$OUT_FILE" | cut -d, -f"$field" | tr '\n' ' ' | sed 's/ $//')"
}

lists "log" "1 2 3 4 5 6 7 8 9 10 11 12" 1
lists "log --limit 3" "1 2 3" 1 --limit 3
lists "log --limit 0" "" 1 --limit 0
lists "log --from 5" "5 6 7 8 9 10 11 12" 1 --from 5
lists "log --from 0" "1 2 3 4 5 6 7 8 9 10 11 12" 1 --from 0
lists "log --from 5 --limit 2" "5 6" 1 --from 5 --limit 2
lists "log --from 12" "12" 1 --from 12
lists "log --from 13" "" 1 --from 13
lists "log --reverse" "12 11 10 9 8 7 6 5 4 3 2 1" 1 --reverse
lists "log --reverse --limit 3" "12 11 10" 1 --reverse --limit 3
lists "log --reverse --from 4" "4 3 2 1" 1 --reverse --from 4
lists "log --reverse --from 100" "12 11 10 9 8 7 6 5 4 3 2 1" 1 --reverse --from 100

lists "log --stream a: positions" "1 3 5 7 9" 1 --stream a
lists "log --stream a: versions" "1 2 3 4 5" 4 --stream a
lists "log --stream ab" "2 6 10" 1 --stream ab
lists "log --stream 'a b'" "4 8" 1 --stream 'a b'
lists "log --stream z" "11 12" 1 --stream z
lists "log --stream a --from 3 (a version)" "3 4 5" 4 --stream a --from 3
lists "log --stream a --from 3 --limit 1" "5" 1 --stream a --from 3 --limit 1
lists "log --stream a --from 6" "" 1 --stream a --from 6

# A stream that does not exist, or differs in case, lists no events.
run log --stream b --format csv
expect_stdout_lines 1
run log --stream A --format csv
expect_stdout_lines 1

run log --limit 1 --format json
expect_exit 0
expect_stdout_json
expect_stdout_lines 3
run log --from 13 --format json
expect_exit 0
expect_stdout_is '[]'
run log --stream a --reverse
expect_exit 2
run log --stream a --limit 2
expect_exit 0
expect_stdout_lines 3

# ---- the table clips data to 60 bytes, on a character boundary ----

long='{"text":"'$(printf 'x%.0s' $(seq 80))'"}'
add kontroll.db clip t "$long" >/dev/null
utf='{"t":"x'$(printf 'æ%.0s' $(seq 40))'"}' # 2-byte characters; byte 60 splits one
add kontroll.db clip t "$utf" >/dev/null
run log --stream clip
expect_exit 0
row1=$(sed -n 2p "$OUT_FILE")
row2=$(sed -n 3p "$OUT_FILE")
expect_eq "clipped ASCII data" "{\"text\":\"$(printf 'x%.0s' $(seq 51))…" "${row1##* }"
# shellcheck disable=SC2016 # $1 is bash -c's own
expect_true "clipped UTF-8 data is valid UTF-8" \
	bash -c 'printf "%s" "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null' _ "$row2"
expect_eq "clipped UTF-8 data" "{\"t\":\"x$(printf 'æ%.0s' $(seq 26))…" "${row2##* }"
run log --stream clip --format json
expect_stdout_match "\"data\":$(re_escape "$long")\}"
expect_stdout_match "\"data\":$(re_escape "$utf")\}"

finish
