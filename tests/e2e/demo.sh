#!/usr/bin/env bash
# demo.sh — `make demo`'s tour (scripts/demo.sh) runs to its end on a fresh
# store and shows what README.md says it shows: the open orders at the end
# of 2025, the 18 inspections, the refused closure, the Kvaliteket count, the
# goal summary, the report's sentences, and a seal that verify accepts.
DEMO=$(cd "$(dirname "$0")/../../scripts" && pwd)/demo.sh
. "$(dirname "$0")/lib.sh"

run_demo() { "$DEMO" "$KONTROLL" demo.db >"$OUT_FILE" 2>"$ERR_FILE"; }
CMD="scripts/demo.sh"
run_demo
RC=$?
OUT=$(cat "$OUT_FILE") ERR=$(cat "$ERR_FILE")
expect_exit 0
# The one message on stderr: the refused closure.
expect_eq "lines on stderr" 1 "$(wc -l <"$ERR_FILE")"
expect_stdout_match '^  inspections\.jsonl +imported 100 new events'
expect_stdout_match '^4 open orders$'
expect_stdout_match '^T-2025-009/P2 +Krisesenteret i Trondheim +Arbeidstilsynet .* 15\.06\.2026 +innen medio juni 2026'
expect_stdout_match '^18 inspections$'
expect_stderr_match '^kontroll inspection: T-2025-009 has 2 open orders'
expect_stdout_match '^REGISTERED +21 686 +23 752 +−8\.7 %$'
expect_stdout_match '^total +105 +105 +21 +48 +18 +2 +16 +3$'
expect_stdout_match '^I 2025 er det registrert 18 statlige tilsyn'
expect_stdout_match '^40 avvik gjaldt personvern; 7 av dem ble meldt til Datatilsynet\.$'
expect_stdout_match '^ok: 277302 events in 45562 streams'
expect_stdout_match '^seals: 1 verified against the public key given'
expect_true "the report as HTML" grep -q '^<h2>Rapportering av statlige tilsyn</h2>$' demo-report.html

# A second run starts again from nothing and shows the same.
cp "$OUT_FILE" first.out
run_demo
expect_eq "second run, exit" 0 "$?"
expect_eq "second run: the same figures" \
	"$(grep -E '^(4 open|18 insp|REGISTERED|total|ok:)' first.out)" \
	"$(grep -E '^(4 open|18 insp|REGISTERED|total|ok:)' "$OUT_FILE")"

finish
