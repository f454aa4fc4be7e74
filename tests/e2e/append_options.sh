#!/usr/bin/env bash
# append_options.sh — every option of append: --effective, --actor, --id
# (idempotent retries), --expected-version, --data @FILE and -, --correlation,
# --causation, --format json.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
new_store

# The JSON object of the event at log position $1.
event_json() {
	"$KONTROLL" log --from "$1" --limit 1 --format json | sed -n 2p
}

# ---- --effective ----

run append --stream eff --type t --data '{}' --effective 2025-05-21
expect_exit 0
expect_stderr_empty
ev=$(event_json 1)
expect_eq "date alone: effective is midnight UTC" '"2025-05-21T00:00:00.000000Z"' "$(json_field effective "$ev")"
expect_true "recorded is the store's clock, not --effective" test "$(json_field recorded "$ev")" != '"2025-05-21T00:00:00.000000Z"'
run log --stream eff
expect_stdout_match '^ +1 +[0-9-]{10} [0-9:]{8} +2025-05-21 +eff +1 '

i=1
for pair in \
	'2025-05-21T13:45|2025-05-21T13:45:00.000000Z' \
	'2025-05-21T13:45:30Z|2025-05-21T13:45:30.000000Z' \
	'2025-05-21T13:45:30+02:00|2025-05-21T11:45:30.000000Z' \
	'2025-05-21T23:30:00.25-01:30|2025-05-22T01:00:00.250000Z' \
	'2025-05-21 08:00:07.123456|2025-05-21T08:00:07.123456Z' \
	'2024-02-29|2024-02-29T00:00:00.000000Z' \
	'2000-02-29T00:00Z|2000-02-29T00:00:00.000000Z' \
	'1999-12-31T23:59:59|1999-12-31T23:59:59.000000Z'; do
	given=${pair%%|*} want=${pair#*|}
	i=$((i + 1))
	run append --stream eff --type t --data '{}' --effective "$given"
	expect_exit 0
	expect_eq "--effective '$given'" "\"$want\"" "$(json_field effective "$(event_json $i)")"
done
run log --stream eff --from 2 --limit 1
expect_stdout_match '^ +2 +[0-9-]{10} [0-9:]{8} +2025-05-21 13:45:00 +eff +2 '

# No --effective: it is the recorded time.
run append --stream eff --type t --data '{}'
i=$((i + 1))
ev=$(event_json $i)
expect_eq "default effective = recorded" "$(json_field recorded "$ev")" "$(json_field effective "$ev")"

# ---- --actor, $KONTROLL_ACTOR, $USER ----

run append --stream act --type t --data '{}' --actor 'Anne Ås'
expect_exit 0
run append --stream act --type t --data '{}'
KONTROLL_ACTOR=kari run append --stream act --type t --data '{}'
KONTROLL_ACTOR=kari run append --stream act --type t --data '{}' --actor ola
USER=bob run append --stream act --type t --data '{}'
run log --stream act --format csv
expect_stdout_lines 6
expect_eq "--actor" "Anne Ås" "$(sed -n 2p "$OUT_FILE" | cut -d, -f8)"
expect_eq "default actor: \$USER" "e2e-user" "$(sed -n 3p "$OUT_FILE" | cut -d, -f8)"
expect_eq "default actor: \$KONTROLL_ACTOR" "kari" "$(sed -n 4p "$OUT_FILE" | cut -d, -f8)"
expect_eq "--actor wins over \$KONTROLL_ACTOR" "ola" "$(sed -n 5p "$OUT_FILE" | cut -d, -f8)"
expect_eq "default actor follows \$USER" "bob" "$(sed -n 6p "$OUT_FILE" | cut -d, -f8)"

# ---- --id and idempotent retries ----

ID=0190b5a1-7c00-7abc-8def-0123456789ab
run append --stream case-1 --type case.opened --data '{"n":1}' --id "$ID" --effective 2025-01-02
expect_exit 0
expect_stderr_empty
expect_stdout_is "$ID"
id_pos=$(json_field head "$("$KONTROLL" info --format json)")
expect_eq "the event carries the given id" "\"$ID\"" "$(json_field id "$(event_json "$id_pos")")"

before=$(fingerprint)
run append --stream case-1 --type case.opened --data '{"n":1}' --id "$ID" --effective 2025-01-02
expect_exit 0
expect_stdout_is "$ID"
expect_stderr_match "^kontroll append: event $ID is stored already at position $id_pos; nothing written$"
expect_unchanged "$before"

# A retry need not repeat --effective; key order and spacing of the JSON may
# differ as long as the content is the same.
run append --stream case-1 --type case.opened --data ' { "n" : 1 } ' --id "$ID"
expect_exit 0
expect_stdout_is "$ID"
expect_unchanged "$before"

# Upper-case UUID text is the same id.
run append --stream case-1 --type case.opened --data '{"n":1}' --id "${ID^^}"
expect_exit 0
expect_stdout_is "$ID"
expect_unchanged "$before"

# The retry succeeds whatever --expected-version says: it landed already.
run append --stream case-1 --type case.opened --data '{"n":1}' --id "$ID" --expected-version none
expect_exit 0
expect_stdout_is "$ID"
expect_unchanged "$before"

run append --stream case-1 --type case.opened --data '{"n":1}' --id "$ID" --format json
expect_exit 0
expect_stdout_json
expect_stdout_is "{\"id\":\"$ID\",\"position\":$id_pos,\"stream\":\"case-1\",\"version\":1,\"duplicate\":true}"
expect_unchanged "$before"

# The same id with other content: a conflict, nothing written. (The quotes
# in the variants are JSON's, meant literally.)
# shellcheck disable=SC2089,SC2090
for variant in \
	"--stream case-1 --type case.opened --data {\"n\":2}" \
	"--stream case-2 --type case.opened --data {\"n\":1}" \
	"--stream case-1 --type case.closed --data {\"n\":1}" \
	"--stream case-1 --type case.opened --data {\"n\":1} --actor someone-else" \
	"--stream case-1 --type case.opened --data {\"n\":1} --effective 2025-01-03" \
	"--stream case-1 --type case.opened --data {\"n\":1} --correlation 0190b5a1-7c00-7abc-8def-000000000001"; do
	# shellcheck disable=SC2086,SC2090 # the variants are split into options on purpose
	run append $variant --id "$ID"
	expect_error 4 "^kontroll append: event id $ID is stored already with other content; nothing written$"
	expect_unchanged "$before"
done

# ---- --expected-version ----

run append --stream ev --type t --data '{"v":1}' --expected-version none --format json
expect_exit 0
expect_stdout_json
expect_eq "none on a new stream: version" 1 "$(json_field version)"
expect_eq "--format json: duplicate" false "$(json_field duplicate)"
expect_eq "--format json: stream" '"ev"' "$(json_field stream)"
pos=$(json_field position)
expect_eq "--format json: position is the head" "$(json_field head "$("$KONTROLL" info --format json)")" "$pos"

before=$(fingerprint)
run append --stream ev --type t --data '{"v":2}' --expected-version none
expect_error 4 "^kontroll append: stream 'ev' exists already \(version 1\); nothing written$"
expect_unchanged "$before"
run append --stream ev --type t --data '{"v":2}' --expected-version 0
expect_error 4 "stream 'ev' exists already \(version 1\)"
expect_unchanged "$before"

run append --stream ev --type t --data '{"v":2}' --expected-version 1 --format json
expect_exit 0
expect_eq "exact 1 → version 2" 2 "$(json_field version)"

before=$(fingerprint)
run append --stream ev --type t --data '{"v":3}' --expected-version 1
expect_error 4 "^kontroll append: stream 'ev' is at version 2, not the expected 1; nothing written$"
expect_unchanged "$before"
run append --stream ev --type t --data '{"v":3}' --expected-version 7
expect_error 4 "stream 'ev' is at version 2, not the expected 7"
expect_unchanged "$before"
run append --stream never-seen --type t --data '{}' --expected-version 3
expect_error 4 "stream 'never-seen' is at version 0, not the expected 3"
expect_unchanged "$before"

run append --stream ev --type t --data '{"v":3}' --expected-version 2 --format json
expect_exit 0
expect_eq "exact 2 → version 3" 3 "$(json_field version)"
run append --stream ev --type t --data '{"v":4}' --expected-version any --format json
expect_exit 0
expect_eq "any → version 4" 4 "$(json_field version)"
run append --stream ev --type t --data '{"v":5}' --format json
expect_exit 0
expect_eq "default (any) → version 5" 5 "$(json_field version)"
run log --stream ev --format csv
expect_stdout_lines 6
expect_eq "stream ev: versions" "1 2 3 4 5" "$(tail -n +2 "$OUT_FILE" | cut -d, -f4 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "stream ev: payloads in order" '"{""v"":1}" "{""v"":2}" "{""v"":3}" "{""v"":4}" "{""v"":5}"' \
	"$(tail -n +2 "$OUT_FILE" | cut -d, -f11- | tr '\n' ' ' | sed 's/ $//')"

# ---- --data @FILE and --data - ----

cat >payload.json <<'EOF'
{
  "finding": "Fire door\twedged open",
  "nested": {"a": [1, {"b": null}], "e": 1.5e3},
  "unicode": "Tromsø — “quoted” \u00e6",
  "empty": {}
}
EOF
want='{"finding":"Fire door\twedged open","nested":{"a":[1,{"b":null}],"e":1500.0},"unicode":"Tromsø — “quoted” æ","empty":{}}'

run append --stream data --type t --data @payload.json
expect_exit 0
expect_stdout_match "^$UUID_RE$"
file_id=$OUT
run_stdin payload.json append --stream data --type t --data -
expect_exit 0
expect_stdout_match "^$UUID_RE$"
stdin_id=$OUT
run log --stream data --format json
expect_stdout_json
expect_eq "@FILE: payload round-trips" "$want" \
	"$(grep "\"id\":\"$file_id\"" "$OUT_FILE" | sed 's/.*"data"://; s/},\{0,1\}$//')"
expect_eq "stdin: payload round-trips" "$want" \
	"$(grep "\"id\":\"$stdin_id\"" "$OUT_FILE" | sed 's/.*"data"://; s/},\{0,1\}$//')"

# ---- --correlation and --causation ----

CORR=0190b5a1-7c00-7abc-8def-00000000c0de
run append --stream corr --type t --data '{}' --correlation "$CORR" --causation "$ID"
expect_exit 0
run append --stream corr --type t --data '{}' --correlation "${CORR^^}"
expect_exit 0
run log --stream corr --format json
expect_stdout_json
expect_stdout_match "^\{\"position\":[0-9]+,.*\"version\":1,.*\"correlation_id\":\"$CORR\",\"causation_id\":\"$ID\",\"data\":\{\}\},$"
expect_stdout_match "^\{\"position\":[0-9]+,.*\"version\":2,.*\"correlation_id\":\"$CORR\",\"causation_id\":null,\"data\":\{\}\}$"
run log --stream corr --format csv
expect_stdout_match ",$CORR,$ID,\{\}$"
expect_stdout_match ",$CORR,,\{\}$"

# ---- names: what --stream and --type accept ----

odd='Krisesenteret i Trondheim, avvik "7" / 2025 ✓'
run append --stream "$odd" --type 'a.B_c:d-9' --data '{}'
expect_exit 0
run log --stream "$odd" --format json
expect_stdout_json
expect_stdout_match '"stream":"Krisesenteret i Trondheim, avvik \\"7\\" / 2025 ✓","version":1,"type":"a\.B_c:d-9"'
run log --stream "$odd" --format csv
expect_stdout_match '^[0-9]+,[^,]+,"Krisesenteret i Trondheim, avvik ""7"" / 2025 ✓",1,a\.B_c:d-9,'

long=$(printf 's%.0s' $(seq 200))
run append --stream "$long" --type t --data '{}'
expect_exit 0
run log --stream "$long" --format csv
expect_stdout_lines 2

run verify
expect_exit 0
expect_stdout_match '^ok: '

finish
