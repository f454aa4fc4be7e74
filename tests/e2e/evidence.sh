#!/usr/bin/env bash
# evidence.sh — kontroll export, import and verify-export as an auditor drives
# them: a store of inspections, incidents and goals with a seal is exported,
# imported into a new store and exported again, byte for byte the same; the
# import verifies with the same chain head and shows the same listings;
# export --to; every kind of bad line refused with its line and field and
# nothing written; damaged copies named by verify-export, a rewrite with the
# chain recomputed caught by the seal; import --new-events checked against
# the catalogue and idempotent on a rerun.
#
# Files are edited with sed, base64, sha256sum and printf only (no jq or
# python where this runs).
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
E2E_HELPERS="q bad damaged envelope_of set_envelope unhex rechain"
HEX64='[0-9a-f]{64}'

# q ARGS... — kontroll's stdout; a failure is a failed check.
q() {
	"$KONTROLL" "$@" 2>"$E2E_SCRATCH/q-err"
	local rc=$?
	_sanitizer_check "$E2E_SCRATCH/q-err" "kontroll $*"
	[ "$rc" = 0 ] || fail "kontroll $* (helper)" "exit $rc: $(cat "$E2E_SCRATCH/q-err")"
	return 0
}

# ---- a store with a bit of everything, and a seal ----

new_store
q inspection open --authority Arbeidstilsynet --unit "Krisesenteret i Trondheim" \
	--law Arbeidsmiljøloven --theme "Muskel- og skjelettplager - stedlig tilsyn" \
	--kind "stedlig tilsyn" --date 2025-05-21 >/dev/null
q inspection open --authority Statsforvalteren --unit Oppvekst --law Opplæringsloven \
	--theme "Bemanningsnorm -lærer grunnskole" --date 2024 >/dev/null
q incident report --category avvik --unit "Øya helsehus" --occurred 2025-03-01 \
	--registered 2025-03-02 --text "Fall i trapp, \"glatt\" etter vask" >/dev/null
q incident triage H-2025-00001 --type hms --severity 2 >/dev/null
q goal define --area Finans --level mål --title "Mål 1" --text "Redusere sykefraværet" \
	--period 2025-2028 --indicator Sykefravær --unit % --direction lower \
	--baseline 11.2 --baseline-date 2024-12-31 --target 2025=10.2 --target 2026=9.2 >/dev/null
q goal measure M-2025-001 --value 10.8 --date 2025-12-31 --source "Årsberetning 2025" >/dev/null
q keygen --out key >/dev/null
q seal --key key >/dev/null # position 8 seals 7
q incident report --category forbedring --unit "Øya helsehus" --occurred 2025-04-01 \
	--registered 2025-04-02 --text "Bedre skilting" >/dev/null
events=$(json_field events "$(q info --format json)")
head_hash=$(json_field chain_head "$(q info --format json)" | tr -d '"')
expect_eq "events in the store" 9 "$events"

# ---- export ----

for cmd in export import verify-export; do
	run "$cmd" --help
	expect_exit 0
	expect_stdout_match "^usage: kontroll $cmd "
	run help
	expect_stdout_match "^  $cmd +[a-z]"
done

run export
expect_exit 0
expect_stderr_empty
expect_stdout_lines 10
cp "$OUT_FILE" export.jsonl
expect_file_match "the header line" export.jsonl \
	"^\{\"format\":\"kontroll-evidence\",\"version\":1,\"events\":9,\"head_hash\":\"$head_hash\"\}\$"
expect_file_match "an event line, fields in order" export.jsonl \
	"^\{\"position\":1,\"hash\":\"$HEX64\",\"id\":\"$UUID_RE\",\"stream\":\"inspection-T-2025-001\",\"version\":1,\"type\":\"inspection.opened\",\"recorded\":\"[0-9T:.-]+Z\",\"effective\":\"2025-05-21T00:00:00.000000Z\",\"actor\":\"e2e-user\",\"correlation_id\":null,\"causation_id\":null,\"data\":\{.*\},\"envelope\":\"[A-Za-z0-9+/]+=*\"\}\$"
expect_file_match "the seal is exported as an event" export.jsonl \
	'^\{"position":8,.*"stream":"kontroll-seals","version":1,"type":"seal.recorded",.*"data":\{"position":7,'
run export
expect_exit 0
expect_true "a second export is byte for byte the same" cmp -s "$OUT_FILE" export.jsonl

# ---- verify-export ----

run verify-export export.jsonl
expect_exit 0
expect_stderr_empty
expect_stdout_is "ok: 9 events, chain head $head_hash; 1 seal verified against the keys they carry (give --pubkey to check who signed), the last pins position 7 (sealed $(q log --from 8 --limit 1 --format csv | sed -n 2p | cut -d, -f7))"
run verify-export export.jsonl --pubkey key.pub
expect_exit 0
expect_stdout_match "^ok: 9 events, chain head $head_hash; 1 seal verified against the public key given, the last pins position 7 "
q keygen --out other >/dev/null
run verify-export export.jsonl --pubkey other.pub
expect_error 6 '^kontroll verify-export: SEAL BROKEN: export\.jsonl line 9: seal at position 8: the seal is signed with another key than the one given$'
run_stdin export.jsonl verify-export -
expect_exit 0
expect_stdout_match '^ok: 9 events'
run verify-export
expect_error 2 'FILE is required'
run verify-export export.jsonl --db kontroll.db
expect_error 2 'unknown option --db'
run verify-export nosuch.jsonl
expect_error 5 '^kontroll verify-export: cannot open nosuch\.jsonl: No such file or directory$'

# ---- import into a new store, export again ----

new_store b.db
run import export.jsonl --db b.db
expect_exit 0
expect_stderr_empty
expect_stdout_match "^imported 9 events \(positions 1–9\), chain head $head_hash\$"
expect_stdout_match '^1 seal holds against the keys they carry'
run verify --db b.db --pubkey key.pub
expect_exit 0
expect_stdout_match "^chain head $head_hash\$"
expect_stdout_match '^seals: 1 verified against the public key given; the last pins position 7 '
run export --db b.db
expect_exit 0
expect_true "export → import → export is byte for byte the same" cmp -s "$OUT_FILE" export.jsonl
for view in inspections incidents goals; do
	q "$view" --format csv >"$view-a.csv"
	q "$view" --db b.db --format csv >"$view-b.csv"
	expect_true "kontroll $view shows the same in the imported store" cmp -s "$view-a.csv" "$view-b.csv"
done
run_stdin export.jsonl import - --db b.db
expect_error 4 '^kontroll import: the store holds 9 events; evidence is imported into an empty store only; nothing written$'
new_store d.db
run_stdin export.jsonl import - --db d.db
expect_exit 0
expect_stdout_match '^imported 9 events'

fp_b=$(fingerprint b.db)
run import export.jsonl --db b.db
expect_error 4 'the store holds 9 events'
expect_unchanged "$fp_b" b.db
run import export.jsonl --db missing.db
expect_error 5 '^kontroll import: no store at missing\.db \(create one with: kontroll init --db missing\.db\)$'
expect_true "no store made by a failed import" test ! -e missing.db
run import nosuch.jsonl --db b.db
expect_error 5 'cannot open nosuch\.jsonl'
run import --db b.db
expect_error 2 'FILE is required'
run import export.jsonl --actor x --db b.db
expect_error 2 'needs --new-events'

# ---- export --to ----

run export --to 3
expect_exit 0
expect_stdout_lines 4
cp "$OUT_FILE" part.jsonl
expect_eq "--to 3: the first three event lines" "$(sed -n '2,4p' export.jsonl)" "$(sed -n '2,4p' part.jsonl)"
expect_eq "--to 3: the header's head hash is position 3's" \
	"$(sed -n '4p' export.jsonl | grep -o '"hash":"[0-9a-f]*"' | cut -d'"' -f4)" \
	"$(sed -n '1p' part.jsonl | grep -o '"head_hash":"[0-9a-f]*"' | cut -d'"' -f4)"
run verify-export part.jsonl
expect_exit 0
expect_stdout_match '^ok: 3 events, chain head [0-9a-f]{64}; no seals'
run export --to 0
expect_exit 0
expect_stdout_is '{"format":"kontroll-evidence","version":1,"events":0,"head_hash":"0000000000000000000000000000000000000000000000000000000000000000"}'
run export --to 10
expect_error 5 '^kontroll export: --to: the log ends at position 9; there is no position 10$'
run export --to three
expect_error 3 "^kontroll export: --to: 'three' is not a position"
run export --db missing.db
expect_error 5 'no store at missing\.db'

# ---- bad lines: named with line and field, nothing written ----

new_store c.db
fp_c=$(fingerprint c.db)

# bad NAME CODE REGEX — NAME.jsonl is refused by import (nothing written)
# and by verify-export, with the same message.
bad() {
	local name=$1 code=$2 re=$3
	run import "$name.jsonl" --db c.db
	expect_error "$code" "^kontroll import: (DAMAGED: )?$name\\.jsonl line $re; nothing written\$"
	expect_unchanged "$fp_c" c.db
	run verify-export "$name.jsonl"
	expect_error "$code" "^kontroll verify-export: (DAMAGED: )?$name\\.jsonl line $re\$"
}

sed '4s/"actor":"e2e-user"/"actor":"mallory"/' export.jsonl >actor.jsonl
bad actor 6 "4: actor: 'mallory' but the envelope says 'e2e-user'"
sed '5s/"severity":2/"severity":4/' export.jsonl >data.jsonl
bad data 6 "5: data: not the envelope's payload"
sed '3s/}$//' export.jsonl >json.jsonl
bad json 3 '3: not JSON: .*'
sed '5s/^{/{"colour":"red",/' export.jsonl >unknown.jsonl
bad unknown 3 '5: colour: unknown field'
sed '5s/"hash":"[0-9a-f]*",//' export.jsonl >nohash.jsonl
bad nohash 3 '5: hash: missing'
sed '7s/"version":[0-9]*/"version":"1"/' export.jsonl >version.jsonl
bad version 3 '7: version: not a whole number'
sed '5d' export.jsonl >deleted.jsonl
bad deleted 6 '5: position: 5 where 4 was expected \(a line is missing, added or moved\)'
sed '4{h;d};5G' export.jsonl >swapped.jsonl
bad swapped 6 '4: position: 4 where 3 was expected \(a line is missing, added or moved\)'
head -n 8 export.jsonl >short.jsonl
bad short 6 '1: events: the header declares 9 events; the file holds 7'
head -c -40 export.jsonl >cut.jsonl
bad cut 6 '10: cut off: the file ends inside this line \(no newline after it\)'
sed '1s/"events":9/"events":10/' export.jsonl >header.jsonl
bad header 6 '1: events: the header declares 10 events; the file holds 9'
sed "1s/\"head_hash\":\"[0-9a-f]*\"/\"head_hash\":\"$(printf '0%.0s' {1..64})\"/" export.jsonl >headhash.jsonl
bad headhash 6 '1: head_hash: not the chain hash recomputed at the last event \([0-9a-f]{16}…\)'
sed '1s/kontroll-evidence/kontroll-beviser/' export.jsonl >format.jsonl
bad format 3 "1: format: 'kontroll-beviser' is not kontroll-evidence"
printf '\n' >empty.jsonl
bad empty 3 '1: an empty line'

# envelope_of N — the envelope bytes of line N of export.jsonl into env.bin.
envelope_of() {
	sed -n "$1p" export.jsonl | grep -o '"envelope":"[^"]*"' | cut -d'"' -f4 | base64 -d >env.bin
}

# set_envelope IN N OUT — IN with line N's envelope replaced by env.bin.
set_envelope() {
	local b64
	b64=$(base64 -w0 <env.bin)
	sed "$2s|\"envelope\":\"[^\"]*\"|\"envelope\":\"$b64\"|" "$1" >"$3"
}

# One byte of the envelope of line 3 changed (the 'i' of its stream name):
# still an envelope, but not the one the chain hashed.
envelope_of 3
off=$(grep -obUa 'inspection-T-2024' env.bin | head -n 1 | cut -d: -f1)
printf 'I' | dd of=env.bin bs=1 seek="$off" count=1 conv=notrunc status=none
set_envelope export.jsonl 3 envelope.jsonl
bad envelope 6 '3: hash: not the chain hash recomputed from the envelopes \([0-9a-f]{16}…\): this envelope or one before it was changed'

# ---- a rewrite with the chain recomputed, caught by the seal ----

# unhex HEX — the bytes of HEX on stdout.
unhex() {
	printf '%b' "$(printf '%s' "$1" | sed 's/../\\x&/g')"
}

# rechain IN FROM OUT — IN with every hash from line FROM on recomputed from
# the envelopes (h(n) = SHA-256(h(n-1) ‖ n as 8 bytes big-endian ‖
# envelope)), and the header's head hash: what a forger with the format
# can do.
rechain() {
	local in=$1 from=$2 out=$3 n line pos h prev
	cp "$in" "$out"
	n=$(wc -l <"$out")
	prev=$(sed -n "$((from - 1))p" "$out" | grep -o '"hash":"[0-9a-f]*"' | cut -d'"' -f4)
	for ((line = from; line <= n; line++)); do
		pos=$((line - 1))
		h=$({
			unhex "$prev"
			unhex "$(printf '%016x' "$pos")"
			sed -n "${line}p" "$out" | grep -o '"envelope":"[^"]*"' | cut -d'"' -f4 | base64 -d
		} | sha256sum | cut -c1-64)
		sed -i "${line}s/\"hash\":\"[0-9a-f]*\"/\"hash\":\"$h\"/" "$out"
		prev=$h
	done
	sed -i "1s/\"head_hash\":\"[0-9a-f]*\"/\"head_hash\":\"$prev\"/" "$out"
}

# Event 4 (line 5, the triage) gets another actor, in its
# envelope and its readable field alike; every hash after is recomputed.
envelope_of 5
off=$(grep -obUa 'e2e-user' env.bin | head -n 1 | cut -d: -f1)
printf 'X' | dd of=env.bin bs=1 seek="$off" count=1 conv=notrunc status=none
set_envelope export.jsonl 5 forged0.jsonl
sed -i '5s/"actor":"e2e-user"/"actor":"X2e-user"/' forged0.jsonl
run verify-export forged0.jsonl
expect_error 6 'line 5: hash: not the chain hash recomputed'
rechain forged0.jsonl 5 forged.jsonl
run verify-export forged.jsonl --pubkey key.pub
expect_error 6 '^kontroll verify-export: SEAL BROKEN: forged\.jsonl line 9: seal at position 8: the chain hash at position 7 is not the one sealed: the log up to there was changed$'
run import forged.jsonl --db c.db
expect_error 6 'SEAL BROKEN: forged\.jsonl line 9: seal at position 8: .*; nothing written$'
expect_unchanged "$fp_c" c.db
# The same rewrite after the seal (event 9, line 10) passes: a seal pins
# only what came before it.
envelope_of 10
off=$(grep -obUa 'e2e-user' env.bin | head -n 1 | cut -d: -f1)
printf 'X' | dd of=env.bin bs=1 seek="$off" count=1 conv=notrunc status=none
set_envelope export.jsonl 10 late0.jsonl
sed -i '10s/"actor":"e2e-user"/"actor":"X2e-user"/' late0.jsonl
rechain late0.jsonl 10 late.jsonl
run verify-export late.jsonl --pubkey key.pub
expect_exit 0
expect_stdout_match 'the last pins position 7 '

# ---- import --new-events ----

fp_a=$(fingerprint)
cat >new.jsonl <<'EOF'
{"id":"0196a000-0000-7000-8000-000000000001","stream":"goal-M-2025-001","type":"goal.measured","effective":"2026-06-30","actor":"hr-system","data":{"value":9.9,"date":"2026-06-30","source":"HR-systemet","indicator":"I1"}}
{"id":"0196a000-0000-7000-8000-000000000002","stream":"incident-H-2025-00001","type":"incident.assigned","data":{"handler":"Kari Nordmann"}}
{"id":"0196a000-0000-7000-8000-000000000003","stream":"goal-M-2025-001","type":"goal.measured","effective":"2026-09-30","actor":"hr-system","data":{"value":9.5,"date":"2026-09-30","source":"HR-systemet","indicator":"I1"}}
EOF
run import --new-events new.jsonl
expect_exit 0
expect_stderr_empty
expect_stdout_is 'imported 3 new events (positions 10–12); 0 skipped, stored already with the same content'
run log --from 10 --format csv
expect_stdout_match '^10,0196a000-0000-7000-8000-000000000001,goal-M-2025-001,4,goal.measured,[^,]*,2026-06-30T00:00:00.000000Z,hr-system,'
expect_stdout_match '^11,0196a000-0000-7000-8000-000000000002,incident-H-2025-00001,3,incident.assigned,[^,]*,[^,]*,e2e-user,'
expect_stdout_match '^12,0196a000-0000-7000-8000-000000000003,goal-M-2025-001,5,goal.measured,'
run verify
expect_exit 0
fp_a=$(fingerprint)
run import --new-events new.jsonl
expect_exit 0
expect_stdout_is 'imported 0 new events; 3 skipped, stored already with the same content'
expect_unchanged "$fp_a"
{
	cat new.jsonl
	echo '{"stream":"goal-M-2025-001","type":"goal.measured","effective":"2026-12-31","data":{"value":9.1,"date":"2026-12-31","indicator":"I1"}}'
} >more.jsonl
run import --new-events more.jsonl
expect_exit 0
expect_stdout_is 'imported 1 new event (positions 13–13); 3 skipped, stored already with the same content'
run log --from 13 --format csv
expect_stdout_match '^13,[^,]*,goal-M-2025-001,6,goal.measured,[^,]*,2026-12-31T00:00:00.000000Z,e2e-user,'
# --actor names who records a line that names nobody; the actor is part of
# an event's content, so a rerun under another name is a conflict.
echo '{"stream":"goal-M-2025-001","type":"goal.measured","data":{"value":9.0,"date":"2027-01-31","indicator":"I1"}}' >actor.jsonl
run import --new-events actor.jsonl --actor importer
expect_exit 0
run log --from 14 --format csv
expect_stdout_match '^14,[^,]*,goal-M-2025-001,7,goal.measured,[^,]*,[^,]*,importer,'
fp_a=$(fingerprint)
run import --new-events new.jsonl --actor importer
expect_error 4 '^kontroll import: new\.jsonl line 2: id: 0196a000-0000-7000-8000-000000000002 is stored already \(position 11\) with other content; nothing written$'
expect_unchanged "$fp_a"
fp_a=$(fingerprint)

# bad_new NAME CODE REGEX LINE — the --new-events file NAME.jsonl (the line
# given) is refused with REGEX and nothing written.
bad_new() {
	printf '%s\n' "$4" >"$1.jsonl"
	run import --new-events "$1.jsonl"
	expect_error "$2" "^kontroll import: $1\\.jsonl line $3; nothing written\$"
	expect_unchanged "$fp_a"
}
E2E_HELPERS="$E2E_HELPERS bad_new"
bad_new other 4 '1: id: 0196a000-0000-7000-8000-000000000002 is stored already \(position 11\) with other content' \
	'{"id":"0196a000-0000-7000-8000-000000000002","stream":"incident-H-2025-00001","type":"incident.assigned","data":{"handler":"Ola"}}'
bad_new type 3 "1: type: 'goal.guessed' is not a catalogued event type" \
	'{"stream":"goal-M-2025-001","type":"goal.guessed","data":{}}'
bad_new payload 3 '1: data\.[a-z_]+: .*' \
	'{"stream":"goal-M-2025-001","type":"goal.measured","data":{"value":"many","date":"2026-12-31","indicator":"I1"}}'
bad_new field 3 '1: colour: unknown field \(known: id, stream, type, effective, actor, data\)' \
	'{"stream":"s","type":"goal.measured","colour":"red","data":{}}'
bad_new nojson 3 '1: not JSON: .*' '{"stream":'
bad_new when 3 '1: effective: not a date or time.*' \
	'{"stream":"goal-M-2025-001","type":"goal.measured","effective":"2026-02-30","data":{"value":1,"date":"2026-01-31","indicator":"I1"}}'
bad_new seal 3 '1: seals are made by kontroll seal, not imported' \
	'{"stream":"kontroll-seals","type":"goal.measured","data":{}}'
bad_new nostream 3 '1: stream: required, a string' '{"type":"goal.measured","data":{}}'
# A good line before a bad one: nothing of either is written.
{
	echo '{"id":"0196a000-0000-7000-8000-000000000009","stream":"goal-M-2025-001","type":"goal.measured","data":{"value":8.0,"date":"2027-01-31","indicator":"I1"}}'
	echo '{"stream":"goal-M-2025-001","type":"goal.measured","data":{"value":8.0,"date":"2027-01-31","indicator":"I9","extra":1}}'
} >half.jsonl
run import --new-events half.jsonl
expect_error 3 '^kontroll import: half\.jsonl line 2: data\.extra: .*; nothing written$'
expect_unchanged "$fp_a"
printf '%s\n%s\n' "$(sed -n 1p new.jsonl)" "$(sed -n 1p new.jsonl)" >twice.jsonl
run import --new-events twice.jsonl
expect_error 3 'twice\.jsonl line 2: id: 0196a000-0000-7000-8000-000000000001 is on line 1 too; nothing written$'
expect_unchanged "$fp_a"
run import --new-events new.jsonl --actor "$(printf 'a\tb')"
expect_error 3 '^kontroll import: --actor: contains a control character$'
expect_unchanged "$fp_a"
run import --new-events new.jsonl --db missing.db
expect_error 5 'no store at missing\.db'

# The store with new events still exports, imports and verifies.
run export
expect_exit 0
cp "$OUT_FILE" export2.jsonl
new_store e.db
run import export2.jsonl --db e.db
expect_exit 0
expect_stdout_match '^imported 14 events \(positions 1–14\)'
run verify --db e.db --pubkey key.pub
expect_exit 0

finish
