#!/usr/bin/env bash
# backup.sh — `kontroll backup DEST`: what it prints, that the copy verifies
# and holds the store's log, plain and --compact alike; copies taken while
# another process keeps appending; an existing destination (file, the store
# itself, a dangling link) refused and untouched; a missing directory and
# usage errors leaving nothing behind; the store unchanged; and a restore
# by copying the backup into place.
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
E2E_HELPERS="leftovers log_of"

# leftovers — the temporary files of backups in the working directory.
leftovers() {
	find . -maxdepth 2 -name '*.tmp-*' | sort | tr '\n' ' '
}

# log_of DB [N] — `log --format json` of DB (its first N events).
log_of() {
	"$KONTROLL" log --db "$1" --format json ${2:+--limit "$2"} 2>&1
}

new_store
export KONTROLL_DB=kontroll.db
for n in 1 2 3 4 5; do
	add kontroll.db "stream-$((n % 2))" test.counted "{\"n\":$n}" >/dev/null
done
head_hash=$(json_field chain_head "$("$KONTROLL" info --format json)")

# ---- a backup ----

before=$(fingerprint)
run backup b.db
expect_exit 0
expect_stderr_empty
expect_stdout_lines 4
expect_stdout_match '^backup +b\.db$'
expect_stdout_match '^events +5$'
expect_stdout_match "^chain head +${head_hash//\"/}$"
expect_stdout_match '^size on disk +[0-9.]+ MiB \([0-9]+ bytes\)$'
expect_unchanged "$before"
expect_eq "backup: mode 0600" "600" "$(stat -c %a b.db)"
expect_eq "backup: no temporary file left" "" "$(leftovers)"
run verify --db b.db
expect_exit 0
expect_stdout_match "^chain head ${head_hash//\"/}$"
expect_eq "backup: the store's log" "$(log_of kontroll.db)" "$(log_of b.db)"

run backup --compact c.db --format json
expect_exit 0
expect_stderr_empty
expect_stdout_json
expect_eq "compact: backup" '"c.db"' "$(json_field backup)"
expect_eq "compact: events" "5" "$(json_field events)"
expect_eq "compact: chain head" "$head_hash" "$(json_field chain_head)"
expect_eq "compact: bytes" "$(stat -c %s c.db)" "$(json_field bytes)"
expect_eq "compact: the store's log" "$(log_of kontroll.db)" "$(log_of c.db)"
expect_true "compact: not larger than plain" [ "$(stat -c %s c.db)" -le "$(stat -c %s b.db)" ]

# A path in another directory, and the --db option.
mkdir -p sub
run backup sub/b.db --db kontroll.db
expect_exit 0
expect_stdout_match '^backup +sub/b\.db$'

# ---- an existing destination is refused and left as it was ----

printf 'precious\n' >precious.txt
before=$(fingerprint)
run backup precious.txt
expect_error 4 "precious\.txt exists already; nothing written"
expect_eq "existing file untouched" "precious" "$(cat precious.txt)"
run backup --compact precious.txt
expect_error 4 "exists already"
run backup kontroll.db
expect_error 4 "kontroll\.db exists already; nothing written"
expect_unchanged "$before"
ln -s nowhere.db dangling.db
run backup dangling.db
expect_error 4 "dangling\.db exists already"
expect_true "nothing created at a dangling link's target" [ ! -e nowhere.db ]
expect_eq "no temporary file left" "" "$(leftovers)"

# ---- errors that leave nothing behind ----

run backup missing/b.db
expect_error 1 "cannot write the backup missing/b\.db: No such file or directory; nothing written"
expect_true "no directory made" [ ! -e missing ]
run backup
expect_error 2 "DEST is required"
run backup x.db y.db
expect_error 2 "unexpected argument 'y\.db'"
run backup ""
expect_error 2 "DEST is empty"
run backup x.db --format csv
expect_error 3 "--format: 'csv' is not one of table, json"
run backup x.db --quick
expect_error 2 "unknown option --quick"
run backup x.db --db none.db
expect_error 5 "no store at none\.db"
expect_true "no backup of a missing store" [ ! -e x.db ]
expect_true "no store made" [ ! -e none.db ]
expect_eq "no temporary file left" "" "$(leftovers)"
run backup --help
expect_exit 0
expect_stdout_match '^usage: kontroll backup DEST'
run help
expect_stdout_match '^  backup +copy the store while others write'

# ---- copies taken while another process appends ----

rm -f stop
(
	n=0
	while [ ! -e stop ] && [ "$n" -lt 3000 ]; do
		"$KONTROLL" append --stream busy --type test.busy --data "{\"n\":$n}" \
			>/dev/null 2>>writer-errors || break
		n=$((n + 1))
	done
) &
writer=$!
for k in 1 2 3 4; do
	# Wait for the writer to move on before each copy.
	until [ "$(json_field events "$("$KONTROLL" info --format json)")" -ge $((5 + 10 * k)) ]; do
		sleep 0.05
	done
	flag=""
	[ $((k % 2)) = 0 ] && flag=--compact
	run backup hot-$k.db $flag --format json
	expect_exit 0
	eval "hot_events_$k=$(json_field events)"
done
touch stop
wait "$writer"
expect_eq "the writer had no errors" "" "$(cat writer-errors 2>/dev/null)"
final=$(json_field events "$("$KONTROLL" info --format json)")
for k in 1 2 3 4; do
	n=$(eval echo "\$hot_events_$k")
	run verify --db hot-$k.db
	expect_exit 0
	expect_true "hot copy $k ($n events) taken while the log grew (to $final)" [ "$n" -lt "$final" ]
	expect_eq "hot copy $k: the store's first $n events" "$(log_of kontroll.db "$n")" "$(log_of hot-$k.db)"
done
expect_eq "no temporary file left" "" "$(leftovers)"

# ---- restore: copy the backup into place while no process has it open ----

cp b.db restored.db
run verify --db restored.db
expect_exit 0
expect_stdout_match "^chain head ${head_hash//\"/}$"
run append --db restored.db --stream after --type test.after --data '{}'
expect_exit 0
run verify --db restored.db
expect_exit 0
expect_stdout_match '^ok: 6 events in 3 streams'

finish
