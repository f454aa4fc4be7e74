#!/usr/bin/env bash
# Run the end-to-end tests of the kontroll binary and sum their results.
#
# usage: KONTROLL=/abs/path/to/kontroll scripts/run-e2e.sh tests/e2e/*.sh
#
# Each script runs on its own with bash, in a fresh empty directory made by
# mktemp -d (its working directory, removed afterwards; E2E_KEEP=1 keeps it
# and prints where), with $KONTROLL set to the absolute path of the binary and
# KONTROLL_DB / KONTROLL_ACTOR unset. tests/e2e/lib.sh is the helper library
# and is skipped when the glob passes it in.
#
# What is counted: individual checks, not scripts. Every expect_* call of
# lib.sh appends one PASS or FAIL line to a results file; the totals are the
# sums over all scripts. A script that does not reach its closing `finish`
# (a crash of the script itself, an error under `set -u`, a timeout) adds one
# failed check of its own, so a script can never pass by dying early.
#
# Output: per script "PASS name (N checks)" or "FAIL name (F of N checks
# failed)" followed by each failed check's file:line and message; the last
# line is exactly "N passed, N failed". Exit status: 0 when nothing failed,
# 1 when anything failed, 2 on a usage error. KT_E2E_TIMEOUT (seconds,
# default 300) bounds each script when timeout(1) is available.
set -u

if [ "$#" -eq 0 ]; then
	echo "usage: KONTROLL=/abs/path/kontroll $0 tests/e2e/*.sh" >&2
	exit 2
fi
if [ -z "${KONTROLL:-}" ]; then
	echo "$0: set KONTROLL to the absolute path of the kontroll binary" >&2
	exit 2
fi
case "$KONTROLL" in
/*) ;;
*) KONTROLL=$(cd "$(dirname "$KONTROLL")" && pwd)/$(basename "$KONTROLL") ;;
esac
if [ ! -x "$KONTROLL" ]; then
	echo "$0: $KONTROLL is not an executable file" >&2
	exit 2
fi
export KONTROLL

timeout_s=${KT_E2E_TIMEOUT:-300}
work=$(mktemp -d "${TMPDIR:-/tmp}/kt-e2e-run.XXXXXX") || exit 1
testdir=""
cleanup() {
	[ -n "$testdir" ] && [ "${E2E_KEEP:-0}" != 1 ] && rm -rf "$testdir"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

total_passed=0
total_failed=0
ran=0

for script in "$@"; do
	name=$(basename "$script")
	[ "$name" = lib.sh ] && continue
	if [ ! -f "$script" ]; then
		echo "FAIL $name (no such file)"
		total_failed=$((total_failed + 1))
		continue
	fi
	abs=$(cd "$(dirname "$script")" && pwd)/$name
	ran=$((ran + 1))
	testdir=$(mktemp -d "${TMPDIR:-/tmp}/kt-e2e.XXXXXX") || exit 1
	results=$work/$name.results
	log=$work/$name.log
	: >"$results"

	start=$(date +%s)
	(
		cd "$testdir" || exit 1
		unset KONTROLL_DB KONTROLL_ACTOR
		export E2E_RESULTS="$results" E2E_DIR="$testdir"
		if command -v timeout >/dev/null 2>&1; then
			exec timeout "$timeout_s" bash "$abs"
		else
			exec bash "$abs"
		fi
	) >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - start))

	passed=$(grep -ac '^PASS ' "$results")
	failed=$(grep -ac '^FAIL ' "$results")
	aborted=""
	last=$(grep -a '^END ' "$results" | tail -n 1)
	if [ "$rc" -eq 124 ]; then
		aborted="timed out after ${timeout_s}s"
	elif ! grep -aqx DONE "$results"; then
		status=${last#END }
		aborted="stopped before its end (exit status ${status:-$rc})"
	fi
	if [ -n "$aborted" ]; then
		failed=$((failed + 1))
	fi

	if [ "$failed" -eq 0 ]; then
		echo "PASS $name ($passed checks, ${secs}s)"
	else
		echo "FAIL $name ($failed of $((passed + failed)) checks failed, ${secs}s)"
		grep -a '^FAIL ' "$results" | sed 's/^FAIL /   /'
		if [ -n "$aborted" ]; then
			echo "   $name: script $aborted; its last output:"
			tail -n 20 "$log" | sed 's/^/   | /'
		fi
	fi
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "   (kept $testdir)"
	else
		rm -rf "$testdir"
	fi
	testdir=""
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done

if [ "$ran" -eq 0 ]; then
	echo "$0: no test scripts among the arguments" >&2
	total_failed=$((total_failed + 1))
fi

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
