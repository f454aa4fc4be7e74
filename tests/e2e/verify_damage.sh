#!/usr/bin/env bash
# verify_damage.sh — verify finds a changed byte in a copy of a store of a few
# hundred events, names the first bad position, and leaves the original (which
# still verifies) alone. Also: a truncated copy is reported, not crashed on.
. "$(dirname "$0")/lib.sh"

export USER=e2e-user
new_store

# 300 events in 6 streams; events 40, 150 and 250 carry unique markers.
printf '{"finding":"routine check, nothing to note","score":3}\n' >filler.json
failures=0
for ((p = 1; p <= 300; p++)); do
	case $p in
	40 | 150 | 250) data="{\"finding\":\"MARKER-$p-7f3a9c\",\"score\":$p}" ;;
	*) data=@filler.json ;;
	esac
	"$KONTROLL" append --stream "unit-$((p % 6))" --type check.done --data "$data" \
		>/dev/null 2>>"$E2E_SCRATCH/setup-err" || failures=$((failures + 1))
done
_sanitizer_check "$E2E_SCRATCH/setup-err" "the 300 setup appends"
expect_eq "300 setup appends failed" 0 "$failures"

run verify
expect_exit 0
expect_stderr_empty
expect_stdout_match '^ok: 300 events in 6 streams; hash chain and indexes agree with the log$'
chain_head=$(sed -n 's/^chain head //p' "$OUT_FILE")
original_sum=$(sha256sum <kontroll.db)

# The events at 40, 150 and 250 are the marked ones.
for p in 40 150 250; do
	run log --from "$p" --limit 1 --format csv
	expect_stdout_match "^$p,.*MARKER-$p-7f3a9c"
done

# flip FILE MARKER — overwrite the first byte of every copy of MARKER in FILE
# ('M' becomes 'W', so the envelope still decodes); prints how many. LMDB
# writes pages copy-on-write, so stale copies of a page may sit in free pages
# beside the live one: changing them all is sure to hit the live one.
flip() {
	local file=$1 marker=$2 n=0 off
	for off in $(grep -obUa -- "$marker" "$file" | cut -d: -f1); do
		printf 'W' | dd of="$file" bs=1 seek="$off" count=1 conv=notrunc status=none
		n=$((n + 1))
	done
	echo "$n"
}

# ---- one changed byte ----

cp kontroll.db copy.db
run verify --db copy.db
expect_exit 0
expect_stdout_match "^chain head $chain_head$"

n=$(flip copy.db MARKER-150-7f3a9c)
expect_true "marker 150 found in the copy" test "$n" -ge 1
expect_eq "the copy keeps its size" "$(stat -c %s kontroll.db)" "$(stat -c %s copy.db)"
expect_eq "bytes changed in the copy" "$n" "$(cmp -l kontroll.db copy.db | wc -l)"
# The change landed in the live event: log shows it.
run log --db copy.db --from 150 --limit 1 --format csv
expect_stdout_match '^150,.*WARKER-150-7f3a9c'

run verify --db copy.db
expect_error 6 '^kontroll verify: DAMAGED at position 150: chain hash does not match the log$'

run verify --db copy.db --format json
expect_exit 6
expect_stdout_json
expect_eq "verify json: ok" false "$(json_field ok)"
expect_eq "verify json: first_bad" 150 "$(json_field first_bad)"
expect_eq "verify json: problem" '"chain hash does not match the log"' "$(json_field problem)"
expect_stderr_match 'DAMAGED at position 150'

# ---- two changed bytes: the first one is named ----

cp kontroll.db copy2.db
flip copy2.db MARKER-250-7f3a9c >/dev/null
flip copy2.db MARKER-40-7f3a9c >/dev/null
run verify --db copy2.db
expect_error 6 'DAMAGED at position 40: '

# ---- a truncated copy (a backup cut short) ----

cp kontroll.db short.db
truncate -s $(($(stat -c %s kontroll.db) / 2)) short.db
run verify --db short.db
expect_error 6 '^kontroll verify: '

# ---- the original is untouched and sound ----

expect_eq "the original's bytes" "$original_sum" "$(sha256sum <kontroll.db)"
run verify
expect_exit 0
expect_stdout_match '^ok: 300 events in 6 streams'
expect_stdout_match "^chain head $chain_head$"
run log --from 150 --limit 1 --format csv
expect_stdout_match '^150,.*MARKER-150-7f3a9c'

finish
