#!/usr/bin/env bash
# concurrent_init.sh — init is "create, or fail when PATH exists" (exit 4),
# also when several processes try at once: exactly one of them creates the
# store and prints its id; every other one exits 4. A race has to be caught
# in the act, so this tries 20 rounds of 8 simultaneous inits.
. "$(dirname "$0")/lib.sh"

rounds=20 procs=8
bad_rounds=""
for ((r = 1; r <= rounds; r++)); do
	rm -f race.db race.db-lock "$E2E_SCRATCH"/init.*
	for ((k = 1; k <= procs; k++)); do
		("$KONTROLL" init --db race.db >"$E2E_SCRATCH/init.$k.out" 2>"$E2E_SCRATCH/init.$k.err"
		echo $? >"$E2E_SCRATCH/init.$k.rc") &
	done
	wait
	for ((k = 1; k <= procs; k++)); do
		_sanitizer_check "$E2E_SCRATCH/init.$k.err" "init round $r"
	done
	statuses=$(cat "$E2E_SCRATCH"/init.*.rc | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
	if [ "$statuses" != "1×0 $((procs - 1))×4 " ]; then
		bad_rounds+="round $r: exit statuses $statuses; "
	fi
done
expect_eq "rounds where not exactly one of $procs simultaneous inits succeeded" "" "$bad_rounds"

# The store the last round left is a sound, empty store.
run verify --db race.db
expect_exit 0
expect_stdout_match '^ok: 0 events in 0 streams'

finish
