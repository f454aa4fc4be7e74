#!/usr/bin/env bash
# seal.sh — kontroll keygen, kontroll seal and kontroll verify --pubkey/--seal
# as a user drives them: key files (modes, never overwritten), a seal printed
# as one line that verify accepts, every refusal with its exit code and an
# unchanged store, the verify output in table and JSON, a seal checked
# against another key and against a store whose log differs before the
# sealed position, and seal and verify while another process appends.
#
# The insider's rewrite of a store with the chain recomputed needs raw LMDB
# and is tested in tests/test_seal.c; here stores diverge through the CLI:
# copies taken at one point and given different appends afterwards.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
HEX64='[0-9a-f]{64}'
TIME_RE='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z'

# ---- keygen ----

run keygen --out key
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
expect_stdout_match "^kontroll-public-key v1 $HEX64\$"
PUB=$(sed -n 's/^kontroll-public-key v1 //p' "$OUT_FILE")
expect_eq "key.pub holds the line printed" "$OUT" "$(cat key.pub)"
expect_eq "key.pub is one line" 1 "$(wc -l <key.pub | tr -d ' ')"
expect_eq "the secret key is mode 600" 600 "$(stat -c %a key)"
expect_eq "the public key is mode 644" 644 "$(stat -c %a key.pub)"
expect_file_match "key holds a secret key" key '^kontroll-secret-key v1 [0-9a-f]{128}$'
expect_eq "key is one line" 1 "$(wc -l <key | tr -d ' ')"
# An Ed25519 secret key ends in its public half.
expect_eq "the secret key's public half is key.pub's" "$PUB" "$(sed -n 's/^kontroll-secret-key v1 [0-9a-f]\{64\}//p' key)"

# 0600 whatever the umask says
old_umask=$(umask)
umask 000
run keygen --out loose
umask "$old_umask"
expect_exit 0
expect_eq "secret key mode under umask 000" 600 "$(stat -c %a loose)"

run keygen --out other
expect_exit 0
OTHER_PUB=$(sed -n 's/^kontroll-public-key v1 //p' "$OUT_FILE")
expect_true "two keygens make two keys" test "$PUB" != "$OTHER_PUB"

# never overwritten: both files there, only FILE, only FILE.pub
sums=$(sha256sum key key.pub)
run keygen --out key
expect_error 4 'key\.pub: File exists \(a key is never overwritten; choose another name\)$'
expect_eq "key and key.pub unchanged" "$sums" "$(sha256sum key key.pub)"

cp key lone
run keygen --out lone
expect_error 4 '^kontroll keygen: lone: File exists'
expect_eq "lone unchanged" "$(sha256sum <key)" "$(sha256sum <lone)"
expect_true "no lone.pub left behind" test ! -e lone.pub

cp key.pub lone2.pub
run keygen --out lone2
expect_error 4 'lone2\.pub: File exists'
expect_true "no secret key lone2 made" test ! -e lone2
expect_eq "lone2.pub unchanged" "$(sha256sum <key.pub)" "$(sha256sum <lone2.pub)"

run keygen
expect_error 2 '--out FILE is required'
run keygen --out
expect_error 2 'option --out needs a value'
run keygen --out ""
expect_error 2 '--out FILE is required'
run keygen --out k2 extra
expect_error 2 "unexpected argument 'extra'"
expect_true "no k2 made by a usage error" test ! -e k2 -a ! -e k2.pub
run keygen --out nodir/key
expect_exit 1
expect_stderr_match 'nodir/key\.pub: No such file or directory'
run keygen --help
expect_exit 0
expect_stdout_match '^usage: kontroll keygen --out FILE'

# ---- seal: refusals ----

run seal --key key
expect_error 5 '^kontroll seal: no store at \./kontroll\.db'

new_store
before=$(fingerprint)
run seal --key key
expect_error 5 '^kontroll seal: the store is empty: nothing to seal$'
expect_unchanged "$before"

run seal --key missing-key
expect_error 5 'missing-key: No such file or directory'
run seal
expect_error 2 '--key FILE is required'

add kontroll.db unit-1 check.done '{"n":1}' >/dev/null
add kontroll.db unit-2 check.done '{"n":2}' >/dev/null
add kontroll.db unit-1 check.done '{"n":3}' >/dev/null
before=$(fingerprint)

# (the public file is 0644, so a warning about that comes first)
run seal --key key.pub
expect_exit 3
expect_stdout_empty
expect_stderr_match '^kontroll seal: key\.pub: not a kontroll secret key \(kontroll keygen makes one\)$'
expect_unchanged "$before"

# damaged keys: a digit of the public half changed, one of the seed, cut short,
# the public half of another key, a file far too long, an empty one
sed 's/.$/x/' key >damaged-x
last=$(tail -c 2 key | head -c 1)
if [ "$last" = 0 ]; then repl=1; else repl=0; fi
sed "s/.\$/$repl/" key >damaged-pub
sed 's/^\(kontroll-secret-key v1 \)./\1f/' key >damaged-seed
[ "$(head -c 24 key | tail -c 1)" = f ] && sed 's/^\(kontroll-secret-key v1 \)./\1e/' key >damaged-seed
head -c 100 key >damaged-short
{ head -c 87 key; printf '%s\n' "$OTHER_PUB"; } >damaged-other
{ cat key; head -c 600 /dev/zero | tr '\0' a; } >damaged-long
: >damaged-empty
chmod 600 damaged-*
for k in damaged-x damaged-pub damaged-seed damaged-short damaged-other damaged-long damaged-empty; do
	expect_true "$k differs from key" test "$(sha256sum <"$k")" != "$(sha256sum <key)"
	run seal --key "$k"
	expect_error 3 "$k: not a kontroll secret key"
	expect_unchanged "$before"
done

# ---- seal and verify ----

run info --format json
head_hash=$(json_field chain_head | tr -d '"')
run seal --key key
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
expect_stdout_match "^kontroll-seal v1 position=3 hash=$head_hash sealed=$TIME_RE key=$PUB signature=[0-9a-f]{128}\$"
SEAL=$OUT

# the seal is the event after the sealed head
run log --stream kontroll-seals --format json
expect_exit 0
expect_eq "seal event position" 4 "$(json_field position)"
expect_eq "seal event type" '"seal.recorded"' "$(json_field type)"
expect_eq "seal event's chain_hash" "\"$head_hash\"" "$(json_field chain_hash)"
expect_eq "seal event's public_key" "\"$PUB\"" "$(json_field public_key)"

run verify --seal "$SEAL" --pubkey key.pub
expect_exit 0
expect_stderr_empty
expect_stdout_lines 4
expect_stdout_match '^ok: 4 events in 3 streams; hash chain and indexes agree with the log$'
sealed_at=$(printf '%s' "$SEAL" | sed 's/.* sealed=\([^ ]*\) .*/\1/')
expect_stdout_match "^seals: 1 verified against the public key given; the last pins position 3 \\(sealed $(re_escape "$sealed_at")\\)\$"
expect_stdout_match '^the seal given holds: the log up to its position is the one it sealed$'

run verify
expect_exit 0
expect_stdout_lines 3
expect_stdout_match '^seals: 1 verified against the keys they carry \(give --pubkey to check who signed\); the last pins position 3 '
expect_stdout_nomatch 'seal given'

# the seal's text as people pass it on: with a newline, blanks around
run verify --seal "  $SEAL"$'\n' --pubkey key.pub
expect_exit 0
expect_stdout_match '^the seal given holds'

# a secret key others can read still seals, with a warning
cp key shared-key
chmod 644 shared-key
run seal --key shared-key --format json
expect_exit 0
expect_stderr_match '^kontroll seal: warning: shared-key can be read by others \(mode 644\); keep a secret key 0600$'
expect_stdout_json
expect_eq "seal json: position of the seal event" 5 "$(json_field position)"
expect_eq "seal json: sealed_position" 4 "$(json_field sealed_position)"
expect_stdout_match "\"id\":\"$UUID_RE\""
json_hash=$(json_field chain_hash | tr -d '"')
expect_stdout_match "^\\{.*\"chain_hash\":\"$HEX64\""
SEAL2=$(json_field seal | tr -d '"')
expect_true "seal json: the seal text carries the chain_hash" test "${SEAL2#*hash=$json_hash }" != "$SEAL2"
expect_eq "seal json: the seal text pins 4" 4 "$(printf '%s' "$SEAL2" | sed 's/.*position=\([0-9]*\) .*/\1/')"
run verify --seal "$SEAL2" --pubkey key.pub
expect_exit 0
expect_stdout_match '^seals: 2 verified against the public key given; the last pins position 4 '

run verify --format json --pubkey key.pub --seal "$SEAL"
expect_exit 0
expect_stdout_json
expect_eq "verify json: ok" true "$(json_field ok)"
expect_eq "verify json: events" 5 "$(json_field events)"
expect_eq "verify json: seals" 2 "$(json_field seals)"
expect_eq "verify json: sealed_position" 4 "$(json_field sealed_position)"
expect_eq "verify json: sealed_at" "\"$(printf '%s' "$SEAL2" | sed 's/.* sealed=\([^ ]*\) .*/\1/')\"" "$(json_field sealed_at)"
expect_eq "verify json: seal_bad_position" 0 "$(json_field seal_bad_position)"
expect_eq "verify json: seal_problem" '""' "$(json_field seal_problem)"
expect_eq "verify json: seal_given" true "$(json_field seal_given)"
expect_eq "verify json: seal_given_problem" null "$(json_field seal_given_problem)"
run verify --format json
expect_eq "verify json without --seal: seal_given" null "$(json_field seal_given)"

# ---- seals that do not hold ----

before=$(fingerprint)
run verify --pubkey other.pub
expect_error 6 '^kontroll verify: SEAL BROKEN: seal at position 4: the seal is signed with another key than the one given$'
run verify --pubkey other.pub --format json
expect_exit 6
expect_stdout_json
expect_eq "verify json: ok on another key" false "$(json_field ok)"
expect_eq "verify json: seal_bad_position" 4 "$(json_field seal_bad_position)"
expect_stdout_match '"seal_problem":"seal at position 4: the seal is signed with another key'
expect_stderr_match 'SEAL BROKEN'

run verify --pubkey key
expect_error 3 'key is not a kontroll public key'
run verify --pubkey no-such.pub
expect_error 5 'no-such\.pub: No such file or directory'
run verify --pubkey
expect_error 2 'option --pubkey needs a value'

for bad in "" "kontroll-seal v1" "${SEAL/position=3/position=03}" "${SEAL/ key=/ kee=}" \
	"$SEAL trailing" "${SEAL/kontroll-seal v1/kontroll-seal v2}" "${SEAL%??}"; do
	run verify --seal "$bad"
	expect_error 3 '^kontroll verify: --seal: not a seal as kontroll seal prints it'
done

# the hash of the seal changed: its signature no longer holds
h=${SEAL#*hash=}
h=${h%% *}
first=${h:0:1}
if [ "$first" = a ]; then swap=b; else swap=a; fi
run verify --seal "${SEAL/hash=$first/hash=$swap}" --pubkey key.pub
expect_error 6 "^kontroll verify: SEAL BROKEN: the seal given: the seal's signature does not verify\$"
run verify --seal "${SEAL/hash=$first/hash=$swap}" --format json
expect_exit 6
expect_eq "verify json: seal_given false" false "$(json_field seal_given)"
expect_stdout_match '"seal_given_problem":"the seal.s signature does not verify"'
# another key's seal given, its own key or ours
run keygen --out third
cp kontroll.db third.db
run seal --db third.db --key third --actor revisjonen
expect_exit 0
THIRD=$OUT
run log --db third.db --stream kontroll-seals --from 3 --format json
expect_eq "the seal event's actor" '"revisjonen"' "$(json_field actor)"
run verify --seal "$THIRD"
expect_exit 0
run verify --seal "$THIRD" --pubkey key.pub
expect_error 6 'SEAL BROKEN: the seal given: the seal is signed with another key than the one given'
expect_unchanged "$before"

# ---- a log that differs before the sealed position ----
# A and B share positions 1..5; B then gets another event 6 than A. A's
# seal of 7 must fail on B, naming position 7; A's seal of 4 still holds on B.

cp kontroll.db b.db
add kontroll.db unit-1 check.done '{"n":7}' >/dev/null
add b.db unit-1 check.done '{"n":7,"note":"not the same"}' >/dev/null
add kontroll.db unit-2 check.done '{"n":8}' >/dev/null
add b.db unit-2 check.done '{"n":8}' >/dev/null
run seal --key key
expect_exit 0
expect_stdout_match '^kontroll-seal v1 position=7 '
SEAL7=$OUT
run verify --db b.db --seal "$SEAL7" --pubkey key.pub
expect_error 6 '^kontroll verify: SEAL BROKEN: the seal given: the chain hash at position 7 is not the one sealed: the log up to there was changed$'
run verify --db b.db --seal "$SEAL2" --pubkey key.pub
expect_exit 0
expect_stdout_match '^the seal given holds'
# A seal of a position B does not have yet
cp kontroll.db c.db
run seal --key key
SEAL8=$OUT
run verify --db b.db --seal "$SEAL8" --pubkey key.pub
expect_error 6 'the seal given: the seal pins position 8; the store ends at 7$'
# A's seal of 7 against a copy with the same 8 events as A (c.db): holds
run verify --db c.db --seal "$SEAL7" --pubkey key.pub
expect_exit 0

# A store rebuilt from the same commands has other ids and times, so none of
# A's seals holds on it, from the first position on.
new_store replay.db
add replay.db unit-1 check.done '{"n":1}' >/dev/null
add replay.db unit-2 check.done '{"n":2}' >/dev/null
add replay.db unit-1 check.done '{"n":3}' >/dev/null
run verify --db replay.db --seal "$SEAL" --pubkey key.pub
expect_error 6 'the chain hash at position 3 is not the one sealed'

# ---- seal and verify while others append and seal ----
# On a store big enough that verify takes a while (a generated year), one
# process appends in a loop and another seals in a loop, while seal and
# verify run here. verify must never report damage, and what it reports must
# hang together: the seals it counts pin positions among the events whose
# chain it verified.

new_store busy.db
"$KONTROLL" generate incidents --year 2025 --quiet --db busy.db >/dev/null 2>generate.err
expect_eq "generate a year into busy.db" "" "$(cat generate.err)"
"$KONTROLL" seal --db busy.db --key key >seal-0.out 2>>busy.err

appender() {
	local i=0
	while [ ! -e stop-appending ]; do
		"$KONTROLL" append --db busy.db --stream busy --type check.done --data "{\"i\":$i}" \
			>/dev/null 2>>appender.err || echo "append $i exit $?" >>appender.fail
		i=$((i + 1))
	done
	echo "$i" >appender.count
}
sealer() {
	local i=0
	while [ ! -e stop-appending ]; do
		"$KONTROLL" seal --db busy.db --key key >/dev/null 2>>sealer.err ||
			echo "seal $i exit $?" >>sealer.fail
		i=$((i + 1))
	done
	echo "$i" >sealer.count
}
appender &
appender_pid=$!
sealer &
sealer_pid=$!
sleep 0.2
ROUNDS=6
for ((round = 1; round <= ROUNDS; round++)); do
	"$KONTROLL" seal --db busy.db --key key >"seal-$round.out" 2>>busy.err ||
		echo "seal $round exit $?" >>busy.fail
	"$KONTROLL" verify --db busy.db --pubkey key.pub --seal "$(cat "seal-$round.out")" \
		>"verify-$round.out" 2>>busy.err || echo "verify $round exit $?" >>busy.fail
	"$KONTROLL" verify --db busy.db --format json --pubkey key.pub >"verify-$round.json" \
		2>>busy.err || echo "verify json $round exit $?" >>busy.fail
done
touch stop-appending
wait "$appender_pid"
wait "$sealer_pid"
_sanitizer_check appender.err "the appender"
_sanitizer_check sealer.err "the sealer"
_sanitizer_check busy.err "seal and verify while others write"
expect_eq "appends that failed" "" "$(cat appender.fail 2>/dev/null)"
expect_eq "background seals that failed" "" "$(cat sealer.fail 2>/dev/null)"
expect_eq "sealer stderr" "" "$(cat sealer.err)"
expect_eq "seal/verify runs that failed while others wrote" "" "$(cat busy.fail 2>/dev/null)"
expect_eq "stderr of seal/verify while others wrote" "" "$(cat busy.err)"
expect_true "the appender appended" test "$(cat appender.count)" -ge 1
expect_true "the sealer sealed" test "$(cat sealer.count)" -ge 1
for ((round = 1; round <= ROUNDS; round++)); do
	expect_file_match "seal $round printed a seal" "seal-$round.out" '^kontroll-seal v1 position=[0-9]+ '
	expect_file_match "verify $round: the seal given holds" "verify-$round.out" '^the seal given holds'
	expect_file_match "verify json $round: ok" "verify-$round.json" '"ok":true'
	events=$(json_field events "$(cat "verify-$round.json")")
	pinned=$(json_field sealed_position "$(cat "verify-$round.json")")
	expect_true "verify json $round: sealed_position $pinned < events verified $events" \
		test "$pinned" -lt "$events"
done
run verify --db busy.db --pubkey key.pub --format json
expect_exit 0
expect_eq "busy.db: every seal counted" $((1 + ROUNDS + $(cat sealer.count))) "$(json_field seals)"
for ((round = 0; round <= ROUNDS; round++)); do
	run verify --db busy.db --pubkey key.pub --seal "$(cat "seal-$round.out")"
	expect_exit 0
	expect_stdout_match '^the seal given holds'
done

finish
