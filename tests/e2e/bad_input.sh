#!/usr/bin/env bash
# bad_input.sh — every kind of bad input is refused with its exit code and a
# one-line "kontroll COMMAND: ..." message naming the problem, nothing on
# stdout, and the store left exactly as it was (docs/cli.md: "On any non-zero
# exit nothing has been written").
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
# shellcheck disable=SC2034 # read by lib.sh
E2E_HELPERS="bad bad_stdin"
new_store
add kontroll.db s t '{"n":1}' >/dev/null
add kontroll.db s t '{"n":2}' >/dev/null
add kontroll.db other t '{"n":3}' >/dev/null
before=$(fingerprint)
cp kontroll.db "$E2E_SCRATCH/pristine.db"

# After a case that wrote (a failed check), put the store back as it was, so
# one bug does not make every later case fail too.
restore() {
	cp "$E2E_SCRATCH/pristine.db" kontroll.db
	rm -f kontroll.db-lock
}

# bad CODE REGEX ARGS... — run kontroll ARGS; it must fail the documented way
# (expect_error) and leave kontroll.db unchanged. Five checks.
bad() {
	local code=$1 re=$2
	shift 2
	run "$@"
	expect_error "$code" "$re"
	expect_unchanged "$before" || restore
}

# bad_stdin FILE CODE REGEX ARGS... — the same with stdin from FILE.
bad_stdin() {
	local in=$1 code=$2 re=$3
	shift 3
	run_stdin "$in" "$@"
	expect_error "$code" "$re"
	expect_unchanged "$before" || restore
}

A=(append --stream s --type t)

# ---- --data: JSON that does not parse ----

bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data '{"a":'
bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data '{a:1}'
bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data "{'a':1}"
bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data '{"a":1,}'
bad 3 'invalid JSON: line 1, column [0-9]+: .*end of file expected' "${A[@]}" --data '{"a":1} {"b":2}'
bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data '{"a":1e999}'
bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data '{"a":18446744073709551616}'
bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data '{"a":"\u0000"}'
bad 3 'invalid JSON: line 1, column [0-9]+: ' "${A[@]}" --data $'{"a":"\xff"}'
bad 3 'invalid JSON' "${A[@]}" --data ''
printf '{\n  "a": 1,\n  "b": [1, 2,\n  "c": 3\n}\n' >multiline.json
bad 3 'invalid JSON: line 4, column [0-9]+: ' "${A[@]}" --data @multiline.json
bad_stdin multiline.json 3 'invalid JSON: line 4, column [0-9]+: ' "${A[@]}" --data -

# ---- --data: JSON that is not one object ----

bad 3 'invalid JSON: must be a JSON object' "${A[@]}" --data '[1,2]'
bad 3 'invalid JSON: must be a JSON object' "${A[@]}" --data '[{"a":1}]'
bad 3 'invalid JSON' "${A[@]}" --data '"just text"'
bad 3 'invalid JSON' "${A[@]}" --data '42'
bad 3 'invalid JSON' "${A[@]}" --data 'null'

# ---- --data: duplicate keys, at any depth ----

bad 3 'invalid JSON: line 1, column [0-9]+: duplicate object key' "${A[@]}" --data '{"a":1,"a":2}'
bad 3 'duplicate object key' "${A[@]}" --data '{"o":{"k":1,"k":1}}'
bad 3 'duplicate object key' "${A[@]}" --data '{"l":[{"k":1,"k":2}]}'

# ---- --data: nesting deeper than the store reads back (32 levels) ----
# Documented in include/kontroll/json.h: rejected as KT_EJSON, "nested deeper
# than 32 levels", i.e. invalid input, exit 3.
nest() { # an object holding $1 - 1 nested arrays
	local n=$1 open='{"a":' close='}' k
	for ((k = 1; k < n; k++)); do open+='['; close="]$close"; done
	printf '%s1%s' "$open" "$close"
}
nest 33 >deep.json
bad 3 'nested deeper than 32 levels' "${A[@]}" --data @deep.json
nest 40 >deeper.json
bad 3 'nested deeper than 32 levels' "${A[@]}" --data @deeper.json

# ---- --data: bytes after a NUL are not silently dropped ----
printf '{"a":1}\0{"b":2}' >nul.json
bad 3 'invalid JSON|NUL|nul' "${A[@]}" --data @nul.json
bad_stdin nul.json 3 'invalid JSON|NUL|nul' "${A[@]}" --data -

# ---- --data: the 64 KiB limit (65536 bytes once encoded) ----
# {"x": STRING} encodes to 6 + length bytes for strings of 256..65535 bytes.
big() {
	printf '{"x":"'
	head -c "$1" /dev/zero | tr '\0' a
	printf '"}'
}
big 65531 >over.json
bad 3 'payload is over the limit of 65536 bytes once encoded; nothing written' "${A[@]}" --data @over.json
bad_stdin over.json 3 'payload is over the limit of 65536 bytes' "${A[@]}" --data -
bad 3 'payload is over the limit of 65536 bytes' "${A[@]}" --data "$(cat over.json)"
big 600000 >huge.json
bad 3 'huge\.json is over the limit of [0-9]+ bytes' "${A[@]}" --data @huge.json
bad_stdin huge.json 3 'standard input is over the limit of [0-9]+ bytes' "${A[@]}" --data -
bad 3 "cannot open no-such-file\.json: No such file or directory" "${A[@]}" --data @no-such-file.json

# ---- options ----

bad 2 'unknown option --bogus \(see kontroll append --help\)' "${A[@]}" --data '{}' --bogus
bad 2 'unknown option' "${A[@]}" --data '{}' -x
bad 2 'option --data needs a value' "${A[@]}" --data
bad 2 "unexpected argument 'extra'" "${A[@]}" --data '{}' extra
bad 2 '^kontroll append: --stream is required' append --type t --data '{}'
bad 2 '^kontroll append: --type is required' append --stream s --data '{}'
bad 2 '^kontroll append: --data is required' append --stream s --type t

# ---- UUIDs ----

bad 3 "--id: 'nope' is not a UUID" "${A[@]}" --data '{}' --id nope
bad 3 "--id: '0190b5a1-7c00-7abc-8def-0123456789a' is not a UUID" "${A[@]}" --data '{}' --id 0190b5a1-7c00-7abc-8def-0123456789a
bad 3 "--id: '0190b5a1-7c00-7abc-8def-0123456789abc' is not a UUID" "${A[@]}" --data '{}' --id 0190b5a1-7c00-7abc-8def-0123456789abc
bad 3 "--id: '0190b5a1x7c00-7abc-8def-0123456789ab' is not a UUID" "${A[@]}" --data '{}' --id 0190b5a1x7c00-7abc-8def-0123456789ab
bad 3 "--id: '0190b5a1-7c00-7abc-8def-0123456789ag' is not a UUID" "${A[@]}" --data '{}' --id 0190b5a1-7c00-7abc-8def-0123456789ag
bad 3 "--id: '' is not a UUID" "${A[@]}" --data '{}' --id ''
bad 3 '--id: the nil UUID is not an id' "${A[@]}" --data '{}' --id 00000000-0000-0000-0000-000000000000
bad 3 "--correlation: '123' is not a UUID" "${A[@]}" --data '{}' --correlation 123
bad 3 "--causation: 'x' is not a UUID" "${A[@]}" --data '{}' --causation x

# ---- dates ----

for d in 2025-02-29 2025-13-01 2025-06-31 2025-00-10 2025-04-00 1900-02-29 1899-12-31 \
	garbage 2025-6-3 '2025-06-30 ' 2025-06-30T 2025-06-30T24:00 2025-06-30T12:60 \
	2025-06-30T12:00:60 2025-06-30T12:00:00. 2025-06-30T12:00:00.1234567 \
	2025-06-30T12:00+24:00 2025-06-30T12:00+0100 2025-06-30Z 20250630 ''; do
	bad 3 "--effective: '$(re_escape "$d")' is not a valid date or time" "${A[@]}" --data '{}' --effective "$d"
done

# ---- --expected-version ----

for v in abc -1 1.5 ' 1' '1 ' '' 0x1 18446744073709551615 99999999999999999999; do
	bad 3 "--expected-version: '$(re_escape "$v")' is not a version \(a number, any or none\)" \
		"${A[@]}" --data '{}' --expected-version "$v"
done
bad 4 "stream 's' is at version 2, not the expected 1; nothing written" "${A[@]}" --data '{}' --expected-version 1
bad 4 "stream 's' exists already \(version 2\); nothing written" "${A[@]}" --data '{}' --expected-version none

# ---- --format ----

bad 3 "--format: 'xml' is not one of table, json$" "${A[@]}" --data '{}' --format xml
bad 3 "--format: 'csv' is not one of table, json$" "${A[@]}" --data '{}' --format csv
bad 3 "--format: 'JSON' is not one of table, json, csv$" log --format JSON
bad 3 "--format: '' is not one of table, json, csv$" log --format ''
bad 3 "--format: 'csv' is not one of table, json$" info --format csv
bad 3 "--format: 'csv' is not one of table, json$" verify --format csv

# ---- names: --type, --stream, --actor ----

bad 3 "--type: 'has space' may hold only letters, digits and \. _ : -" append --stream s --type 'has space' --data '{}'
bad 3 "--type: 'a/b' may hold only letters, digits and \. _ : -" append --stream s --type a/b --data '{}'
bad 3 "--type: 'tÿpe' may hold only letters, digits" append --stream s --type 'tÿpe' --data '{}'
bad 3 '--type must not be empty' append --stream s --type '' --data '{}'
bad 3 '--type is 101 bytes, over the limit of 100' append --stream s --type "$(printf 't%.0s' $(seq 101))" --data '{}'
bad 3 '--stream must not be empty' append --stream '' --type t --data '{}'
bad 3 '--stream is 201 bytes, over the limit of 200' append --stream "$(printf 's%.0s' $(seq 201))" --type t --data '{}'
bad 3 '--stream contains a control character' append --stream $'a\tb' --type t --data '{}'
bad 3 '--stream contains a control character' append --stream $'a\nb' --type t --data '{}'
bad 3 '--stream contains a control character' append --stream $'a\x7fb' --type t --data '{}'
bad 3 '--actor must not be empty' "${A[@]}" --data '{}' --actor ''
bad 3 '--actor contains a control character' "${A[@]}" --data '{}' --actor $'anne\r'
bad 3 '--actor is 201 bytes, over the limit of 200' "${A[@]}" --data '{}' --actor "$(printf 'a%.0s' $(seq 201))"
# Names are text: bytes that are not UTF-8 must be refused, as every reader
# of the log (log in all formats) turns names into JSON strings.
bad 3 '--stream' append --stream $'bad\xff' --type t --data '{}'
bad 3 '--actor' "${A[@]}" --data '{}' --actor $'an\xfene'
# Whatever append does with such a name, the log must stay readable: in a
# store of its own, an event before and after the attempt are still listed.
new_store utf8.db
add utf8.db before t '{}' >/dev/null
"$KONTROLL" append --db utf8.db --stream $'bad\xff' --type t --data '{}' >/dev/null 2>&1
add utf8.db after t '{}' >/dev/null
for f in table json csv; do
	run log --db utf8.db --format "$f"
	expect_exit 0
	expect_stderr_empty
	expect_stdout_match '(^|[ ",])after([ ",]|$)'
done

# ---- log, info, verify, init: options ----

bad 3 "--from: 'x' is not a whole number" log --from x
bad 3 "--limit: '-1' is not a whole number" log --limit -1
bad 2 '--reverse lists the whole log only' log --stream s --reverse
bad 3 '--stream must not be empty' log --stream ''
bad 2 'unknown option --bogus' log --bogus
bad 2 'option --stream needs a value' log --stream
bad 2 "unexpected argument 'extra'" log extra
bad 2 'unknown option --bogus' info --bogus
bad 2 "unexpected argument 'extra'" info extra
bad 2 'unknown option --bogus' verify --bogus
bad 2 "unexpected argument 'extra'" verify extra
bad 2 'unknown option --bogus' init --bogus
bad 2 "unexpected argument 'extra'" init extra
bad 2 'option --db needs a value' info --db

# ---- no store ----

for c in append log info verify; do
	args=("$c" --db missing.db)
	[ "$c" = append ] && args+=(--stream s --type t --data '{}')
	run "${args[@]}"
	expect_error 5 '^kontroll [a-z]+: no store at missing\.db \(create one with: kontroll init --db missing\.db\)$'
	expect_eq "$c on a missing store creates no file" "" "$(ls -d missing* 2>/dev/null)"
done
mkdir sub
(
	cd sub || exit 1
	run info
	expect_error 5 'no store at \./kontroll\.db \(create one with: kontroll init --db \./kontroll\.db\)'
	expect_eq "info without a store creates no file" "" "$(ls -A)"
)
# An empty --db names no file: refused, and nothing created.
mkdir sub2
(
	cd sub2 || exit 1
	run init --db ''
	expect_true "init --db '' fails" test "$RC" -ne 0
	expect_stdout_empty
	expect_stderr_match '^kontroll init: '
	expect_eq "init --db '' creates no file" "" "$(ls -A)"
)

# ---- a file that is not a store ----

printf 'Notes from the inspection\nline two\n' >notes.txt
notes_sum=$(sha256sum <notes.txt)
for c in info log verify append init; do
	args=("$c" --db notes.txt)
	[ "$c" = append ] && args+=(--stream s --type t --data '{}')
	run "${args[@]}"
	if [ "$c" = init ]; then
		expect_error 4 'notes\.txt exists already; nothing written'
	else
		expect_error 1 'notes\.txt is not a kontroll store'
	fi
	expect_eq "$c leaves notes.txt as it was" "$notes_sum" "$(sha256sum <notes.txt)"
	expect_eq "$c leaves no notes.txt-lock behind" "" "$(ls -d notes.txt-* 2>/dev/null)"
	rm -f notes.txt-lock
done

# A zero-byte file is not a store either, and must stay zero bytes.
: >empty.db
for c in info log verify append; do
	args=("$c" --db empty.db)
	[ "$c" = append ] && args+=(--stream s --type t --data '{}')
	run "${args[@]}"
	expect_error 1 'empty\.db is not a kontroll store'
	expect_eq "$c leaves the empty file empty" 0 "$(stat -c %s empty.db)"
	: >empty.db
done

# After all of that, the store is still sound and as it was.
expect_unchanged "$before"
run verify
expect_exit 0
expect_stdout_match '^ok: 3 events in 2 streams'

finish
