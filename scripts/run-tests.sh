#!/bin/sh
# Run cmocka unit-test binaries and sum their results.
#
# usage: scripts/run-tests.sh BINARY...
#
# Each binary runs on its own; its name is printed with its count of passed
# and failed test cases, and its whole output follows when anything failed.
# Counts come from cmocka 1.1.5's summary lines on stderr:
#   [  PASSED  ] N test(s).
#   [  FAILED  ] N test(s), listed below:
# A binary that crashes, is killed, times out, or exits non-zero without a
# failure summary (a sanitizer report) counts every case that started and did
# not pass as failed, and at least one.
# The last line is exactly "N passed, N failed"; the exit status is 1 when any
# binary failed or crashed, 2 on a usage error. KT_TEST_TIMEOUT (seconds,
# default 600) bounds each binary when timeout(1) is available.
set -u

if [ "$#" -eq 0 ]; then
    echo "usage: $0 BINARY..." >&2
    exit 2
fi

timeout_s=${KT_TEST_TIMEOUT:-600}
# The summary lines parsed below are those of cmocka's default output.
CMOCKA_MESSAGE_OUTPUT=STDOUT
export CMOCKA_MESSAGE_OUTPUT
out=$(mktemp "${TMPDIR:-/tmp}/kt-run-tests.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
# Leave through exit so the EXIT trap removes the file on a signal too.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

# The first number on the first line of $out that starts with $1.
count() {
    sed -n "s/^$1 *\([0-9][0-9]*\) test.*/\1/p" "$out" | head -n 1
}

# Lines of $out that start with $1.
lines() {
    grep -c "^$1" "$out"
}

total_passed=0
total_failed=0
bad=0

for bin in "$@"; do
    echo "== $bin"
    if [ ! -x "$bin" ]; then
        echo "   0 passed, 1 failed (not an executable file)"
        total_failed=$((total_failed + 1))
        bad=1
        continue
    fi
    if command -v timeout >/dev/null 2>&1; then
        timeout "$timeout_s" "$bin" >"$out" 2>&1
    else
        "$bin" >"$out" 2>&1
    fi
    rc=$?

    passed=$(count '\[  PASSED  \]')
    failed=$(count '\[  FAILED  \]')
    passed=${passed:-0}
    failed=${failed:-0}
    why=""
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        # No failure summary from cmocka: a crash, a kill, a timeout, or an
        # error after the summary (a sanitizer's leak report). Cases that
        # started and did not pass count as failed, and at least one does.
        passed=$(lines '\[       OK \]')
        failed=$(($(lines '\[ RUN      \]') - passed - $(lines '\[  SKIPPED \]')))
        [ "$failed" -lt 1 ] && failed=1
        if [ "$rc" -eq 124 ]; then
            why=" (timed out after ${timeout_s}s)"
        elif [ "$rc" -gt 128 ]; then
            why=" (killed by signal $((rc - 128)))"
        else
            why=" (exit status $rc)"
        fi
    elif [ "$rc" -eq 0 ] && ! grep -q '^\[  PASSED  \]' "$out"; then
        failed=1
        why=" (no cmocka summary)"
    fi

    echo "   $passed passed, $failed failed$why"
    if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
        sed 's/^/   | /' "$out"
        bad=1
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
done

echo "$total_passed passed, $total_failed failed"
[ "$bad" -eq 0 ]
