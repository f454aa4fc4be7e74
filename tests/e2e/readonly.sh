#!/usr/bin/env bash
# readonly.sh — the read-only commands (log, history, info, verify, backup,
# and a view) open the store read-only: they work on a store that nobody can
# write, while `append` there fails.
#
# Permission bits alone prove nothing as root, who may write any file, and
# CI runs as root. So the store's directory is bind-mounted read-only, which
# refuses writes to root too (EROFS), in a mount namespace of this script's
# own (unshare(1): as root a mount namespace, otherwise also a user
# namespace), so the mount is gone when the script ends. The file is made
# 0444 and its directory 0555 as well, which is what matters to anyone else.
# Where no namespace can be made, the script fails saying so rather than
# pass without having tested anything.
if [ "${KT_E2E_NAMESPACE:-}" != 1 ]; then
	if [ "$(id -u)" = 0 ]; then
		ns=(unshare --mount --propagation private)
	else
		ns=(unshare --map-root-user --mount --propagation private)
	fi
	if "${ns[@]}" true 2>/dev/null; then
		KT_E2E_NAMESPACE=1 exec "${ns[@]}" bash "$0" "$@"
	fi
fi
. "$(dirname "$0")/lib.sh"

mkdir data ro
new_store data/kontroll.db
"$KONTROLL" inspection open --db data/kontroll.db --authority Arbeidstilsynet --unit Lade \
	--law Arbeidsmiljøloven --theme Tilsyn --date 2025-05-21 --actor anne >/dev/null
add data/kontroll.db notes test.note '{"n":1}' >/dev/null
chmod 0444 data/kontroll.db
chmod 0555 data
if [ "${KT_E2E_NAMESPACE:-}" != 1 ] || ! mount --bind data ro 2>"$E2E_SCRATCH/mount-err" ||
	! mount -o remount,bind,ro ro 2>>"$E2E_SCRATCH/mount-err"; then
	fail "a read-only bind mount of the store (needs unshare and mount: root, or user namespaces)" \
		"$(cat "$E2E_SCRATCH/mount-err" 2>/dev/null)"
	chmod 0755 data
	finish
fi
db=ro/kontroll.db
before=$(fingerprint "$db")

# The mount refuses writes, to root too: a command that opens the store for
# writing fails here, so the read-only commands passing below means something.
expect_true "root cannot write on the mount" sh -c '! touch ro/x 2>/dev/null'
run append --db "$db" --stream notes --type test.note --data '{"n":2}'
expect_error 1 "cannot open ro/kontroll\.db: Read-only file system"

run log --db "$db"
expect_exit 0
expect_stderr_empty
expect_stdout_lines 3
run history --db "$db" --format csv
expect_exit 0
expect_stderr_empty
expect_stdout_lines 3
run history --db "$db" --inspection T-2025-001
expect_exit 0
expect_stderr_empty
expect_stdout_match 'inspection-T-2025-001 +1  inspection\.opened'
run info --db "$db"
expect_exit 0
expect_stdout_match '^events +2$'
run verify --db "$db"
expect_exit 0
expect_stdout_match '^ok: 2 events in 2 streams'
run backup --db "$db" backup.db
expect_exit 0
expect_stdout_match '^events +2$'
run backup --db "$db" --compact compact.db
expect_exit 0
run verify --db backup.db
expect_exit 0
# A view falls back to read-only when it cannot save its snapshots.
run inspections --db "$db"
expect_exit 0
expect_stdout_match 'T-2025-001'
expect_unchanged "$before" "$db"

umount ro
chmod 0755 data
finish
