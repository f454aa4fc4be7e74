# tests/e2e/lib.sh — helpers sourced by every end-to-end test of kontroll.
#
# A test script starts with
#     . "$(dirname "$0")/lib.sh"
# and then runs the binary through `run` and states what must hold with the
# expect_* functions. Every expect_* call is one check: it is counted, and a
# failing check records file:line, the command it looked at and why it
# failed. A failing check does not stop the script; later checks still run.
#
# Environment (set by scripts/run-e2e.sh):
#   KONTROLL     absolute path of the binary under test (required)
#   E2E_RESULTS  file where each check appends one line:
#                  PASS <file>:<line> <what>
#                  FAIL <file>:<line> <what>: <why>
#                and where `finish` appends "DONE" and the script's exit
#                "END <status>"
#   E2E_DIR      the script's own fresh directory (also its cwd)
# Every script ends with `finish`: a script that stops before it (an error
# under set -u, a crash, a timeout) counts as one more failed check.
# Run standalone (no E2E_RESULTS), a script gets a fresh temporary directory
# of its own, prints its checks as it goes and a summary at the end.
#
# After `run`: RC (exit status), OUT and ERR (stdout and stderr, trailing
# newlines stripped), OUT_FILE and ERR_FILE (the exact bytes), CMD (the
# command line, for messages). Matching is grep -E, line by line.
#
# Sanitizer builds: a command whose stderr carries an AddressSanitizer,
# LeakSanitizer or UBSan report adds one extra failed check (it adds no
# passed check when clean, so counts match between plain and sanitizer runs).

set -u

if [ -z "${KONTROLL:-}" ] || [ ! -x "$KONTROLL" ]; then
	echo "lib.sh: \$KONTROLL must name the kontroll binary (got '${KONTROLL:-}')" >&2
	exit 2
fi

if [ -z "${E2E_RESULTS:-}" ]; then
	E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kt-e2e-solo.XXXXXX") || exit 1
	E2E_RESULTS=$E2E_DIR/.results
	E2E_SOLO=1
	cd "$E2E_DIR" || exit 1
else
	E2E_SOLO=0
	E2E_DIR=${E2E_DIR:-$PWD}
fi
: >>"$E2E_RESULTS"
# Private scratch space beside the test's files.
E2E_SCRATCH=$E2E_DIR/.e2e
mkdir -p "$E2E_SCRATCH"
OUT_FILE=$E2E_SCRATCH/out
ERR_FILE=$E2E_SCRATCH/err
RC=0 OUT="" ERR="" CMD=""

# Tests must not pick up the caller's store or identity.
unset KONTROLL_DB KONTROLL_ACTOR

_e2e_on_exit() {
	local status=$?
	echo "END $status" >>"$E2E_RESULTS"
	if [ "$E2E_SOLO" = 1 ]; then
		local p f
		p=$(grep -ac '^PASS ' "$E2E_RESULTS")
		f=$(grep -ac '^FAIL ' "$E2E_RESULTS")
		grep -q '^DONE$' "$E2E_RESULTS" || { echo "FAIL: the script stopped before finish (exit $status)"; f=$((f + 1)); }
		echo "$p passed, $f failed"
		rm -rf "$E2E_DIR"
	fi
}
trap _e2e_on_exit EXIT

# finish — the last line of every test script.
finish() {
	echo DONE >>"$E2E_RESULTS"
	exit 0
}

# file:line where the test script called into the helpers: the first call
# site outside lib.sh and outside the script's own helper functions, which a
# script lists in E2E_HELPERS (e.g. E2E_HELPERS="bad bad_stdin").
_where() {
	local i n=${#FUNCNAME[@]} f src
	for ((i = 1; i < n - 1; i++)); do
		f=${FUNCNAME[i + 1]} src=${BASH_SOURCE[i + 1]}
		if [ "${src##*/}" = lib.sh ] || [[ " ${E2E_HELPERS:-} " == *" $f "* ]]; then
			continue
		fi
		echo "${src##*/}:${BASH_LINENO[i]}"
		return
	done
	echo "${BASH_SOURCE[n - 1]##*/}:${BASH_LINENO[n - 2]}"
}

# re_escape TEXT — TEXT with the characters special to grep -E escaped.
re_escape() {
	printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g'
}

# Text shortened to one line of at most 300 characters, for messages.
_short() {
	local s=${1//$'\n'/⏎}
	# Bytes that are not UTF-8 are shown as bash $'\ooo' escapes.
	if ! printf '%s' "$s" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then
		s=$(printf '%q' "$s")
	fi
	[ "${#s}" -gt 300 ] && s="${s:0:300}…"
	printf '%s' "$s"
}

pass() {
	echo "PASS $(_where) $1" >>"$E2E_RESULTS"
	[ "$E2E_SOLO" = 1 ] && echo "ok   $(_where) $1"
	return 0
}

# fail WHAT WHY
fail() {
	local line
	line="FAIL $(_where) $1: $(_short "$2")"
	echo "$line" >>"$E2E_RESULTS"
	echo "$line" >&2
	return 1
}

# The context of the last run, for failure messages.
_ctx() {
	printf '[%s] exit %s; stdout: %s; stderr: %s' "$(_short "$CMD")" "$RC" \
		"$(_short "$OUT")" "$(_short "$ERR")"
}

_sanitizer_check() {
	local file=$1 what=$2
	if grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$file"; then
		fail "no sanitizer report from $what" "$(grep -E -m 3 'ERROR:|runtime error:|SUMMARY:' "$file")"
	fi
}

_timeout() {
	if command -v timeout >/dev/null 2>&1; then
		timeout 60 "$@"
	else
		"$@"
	fi
}

# run ARGS... — run kontroll with ARGS, stdin from /dev/null.
run() {
	run_stdin /dev/null "$@"
}

# run_stdin FILE ARGS... — run kontroll with ARGS, stdin from FILE.
run_stdin() {
	local in=$1
	shift
	CMD="kontroll $*"
	_timeout "$KONTROLL" "$@" <"$in" >"$OUT_FILE" 2>"$ERR_FILE"
	RC=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
	_sanitizer_check "$ERR_FILE" "$CMD"
	return 0
}

# ---- checks on the last run ----

expect_exit() {
	if [ "$RC" = "$1" ]; then pass "exit $1 from $(_short "$CMD")"; else
		fail "exit $1 expected" "$(_ctx)"; fi
}

expect_stdout_match() {
	if grep -Eq -- "$1" "$OUT_FILE"; then pass "stdout matches /$1/"; else
		fail "stdout should match /$1/" "$(_ctx)"; fi
}

expect_stdout_nomatch() {
	if ! grep -Eq -- "$1" "$OUT_FILE"; then pass "stdout does not match /$1/"; else
		fail "stdout should not match /$1/" "$(_ctx)"; fi
}

expect_stderr_match() {
	if grep -Eq -- "$1" "$ERR_FILE"; then pass "stderr matches /$1/"; else
		fail "stderr should match /$1/" "$(_ctx)"; fi
}

expect_stderr_nomatch() {
	if ! grep -Eq -- "$1" "$ERR_FILE"; then pass "stderr does not match /$1/"; else
		fail "stderr should not match /$1/" "$(_ctx)"; fi
}

expect_stdout_empty() {
	if [ ! -s "$OUT_FILE" ]; then pass "stdout empty"; else
		fail "stdout should be empty" "$(_ctx)"; fi
}

expect_stderr_empty() {
	if [ ! -s "$ERR_FILE" ]; then pass "stderr empty"; else
		fail "stderr should be empty" "$(_ctx)"; fi
}

# expect_stdout_lines N — stdout is exactly N newline-terminated lines.
expect_stdout_lines() {
	local n
	n=$(wc -l <"$OUT_FILE")
	if [ "$n" -eq "$1" ] && { [ ! -s "$OUT_FILE" ] || [ "$(tail -c 1 "$OUT_FILE" | od -An -c | tr -d ' ')" = '\n' ]; }; then
		pass "stdout has $1 lines"
	else
		fail "stdout should be exactly $1 lines (has $n)" "$(_ctx)"
	fi
}

# expect_stdout_is TEXT — stdout is exactly TEXT plus one newline.
expect_stdout_is() {
	if [ "$(cat "$OUT_FILE"; echo x)" = "$1"$'\n'"x" ]; then pass "stdout is '$(_short "$1")'"; else
		fail "stdout should be exactly '$(_short "$1")'" "$(_ctx)"; fi
}

# expect_error CODE REGEX — a failed command the way docs/cli.md promises:
# exit CODE, nothing on stdout, and stderr exactly one line of the form
# "kontroll COMMAND: ..." (COMMAND taken from the command line) that
# matches REGEX. Four checks.
expect_error() {
	local code=$1 re=$2 sub
	sub=$(printf '%s\n' "$CMD" | awk '{print $2}')
	expect_exit "$code"
	expect_stdout_empty
	local n
	n=$(wc -l <"$ERR_FILE")
	if [ "$n" -eq 1 ] && [ "$(tail -c 1 "$ERR_FILE" | od -An -c | tr -d ' ')" = '\n' ] &&
		grep -q "^kontroll $sub: " "$ERR_FILE"; then
		pass "stderr is one line 'kontroll $sub: ...'"
	else
		fail "stderr should be one line starting 'kontroll $sub: '" "$(_ctx)"
	fi
	expect_stderr_match "$re"
}

# ---- general checks ----

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1 = '$(_short "$2")'"; else
		fail "$1" "expected '$(_short "$2")', got '$(_short "$3")'"; fi
}

# expect_true WHAT COMMAND... — the command succeeds.
expect_true() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what" "'$*' failed"; fi
}

# expect_file_match WHAT FILE REGEX — some line of FILE matches.
expect_file_match() {
	if grep -Eq -- "$3" "$2"; then pass "$1"; else
		fail "$1" "no line of $2 matches /$3/: $(_short "$(head -c 400 "$2")")"; fi
}

# ---- store helpers ----

# fingerprint [DB] — one line that changes when anything in the store does:
# the SHA-256 of the data file's bytes, of `log --format json` and of
# `info --format json` (with their exit statuses). The lock file is not
# part of the store's content and is left out. Runs the binary directly, so
# it leaves RC/OUT/ERR of the last `run` alone.
fingerprint() {
	local db=${1:-kontroll.db} file log info lrc irc
	if [ -f "$db" ]; then
		file=$(sha256sum <"$db" | cut -c1-16)
	else
		file=missing
	fi
	"$KONTROLL" log --db "$db" --format json >"$E2E_SCRATCH/fp-log" 2>"$E2E_SCRATCH/fp-err"
	lrc=$?
	log=$(sha256sum <"$E2E_SCRATCH/fp-log" | cut -c1-16)
	_sanitizer_check "$E2E_SCRATCH/fp-err" "kontroll log (fingerprint)"
	info=$("$KONTROLL" info --db "$db" --format json 2>"$E2E_SCRATCH/fp-err")
	irc=$?
	_sanitizer_check "$E2E_SCRATCH/fp-err" "kontroll info (fingerprint)"
	echo "bytes=$file log=$log/$lrc info=$(printf '%s' "$info" | sha256sum | cut -c1-16)/$irc head=$(printf '%s' "$info" | grep -o '"head":[0-9]*')"
}

# expect_unchanged BEFORE [DB] — the store's fingerprint is still BEFORE.
expect_unchanged() {
	local now
	now=$(fingerprint "${2:-kontroll.db}")
	if [ "$now" = "$1" ]; then pass "store unchanged by $(_short "$CMD")"; else
		fail "store should be unchanged by $(_short "$CMD")" "before $1, after $now"; fi
}

# json_field NAME [TEXT] — the raw value of "NAME": in compact JSON TEXT
# (default: $OUT), first occurrence: a number, true/false/null or a quoted
# string with its quotes.
json_field() {
	printf '%s' "${2-$OUT}" | grep -o "\"$1\":\(\"[^\"]*\"\|[^,}\"]*\)" | head -n 1 | cut -d: -f2-
}

# json_valid FILE — FILE holds one well-formed JSON value. There is no jq or
# python on the machines this runs on, so the check is done by jansson, the
# JSON parser kontroll links: the value is wrapped as {"v": VALUE} and
# appended as an event's data to a scratch store (which refuses malformed
# JSON, trailing text and duplicate keys with exit 3). Values must stay under
# the 64 KiB payload limit.
json_valid() {
	local db=$E2E_SCRATCH/json-check.db
	[ -f "$db" ] || "$KONTROLL" init --db "$db" >/dev/null 2>&1 || return 1
	{ printf '{"v":'; cat "$1"; printf '}'; } >"$E2E_SCRATCH/json-wrapped"
	"$KONTROLL" append --db "$db" --stream json-check --type check \
		--data "@$E2E_SCRATCH/json-wrapped" >/dev/null 2>"$E2E_SCRATCH/json-err"
}

# expect_stdout_json — stdout of the last run is well-formed JSON.
expect_stdout_json() {
	if json_valid "$OUT_FILE"; then pass "stdout is well-formed JSON"; else
		fail "stdout should be well-formed JSON" "$(cat "$E2E_SCRATCH/json-err"); $(_ctx)"; fi
}

# new_store [DB] — init a store quietly; aborts the script when that fails,
# since nothing after it could mean anything.
new_store() {
	local db=${1:-kontroll.db}
	if ! "$KONTROLL" init --db "$db" >/dev/null 2>"$E2E_SCRATCH/init-err"; then
		fail "init --db $db (setup)" "$(cat "$E2E_SCRATCH/init-err")"
		exit 1
	fi
}

# add DB STREAM TYPE JSON [OPTIONS...] — append quietly (setup, not a check);
# prints the event id. A failure is recorded as a failed check.
add() {
	local db=$1 stream=$2 type=$3 data=$4 id
	shift 4
	if ! id=$("$KONTROLL" append --db "$db" --stream "$stream" --type "$type" --data "$data" "$@" 2>"$E2E_SCRATCH/add-err"); then
		fail "append to $stream (setup)" "$(cat "$E2E_SCRATCH/add-err")"
		return 1
	fi
	printf '%s\n' "$id"
}

# shellcheck disable=SC2034 # used by the test scripts
UUID_RE='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
