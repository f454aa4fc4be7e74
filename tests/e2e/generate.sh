#!/usr/bin/env bash
# generate.sh — `kontroll generate incidents`: a year written with the
# figures it promises, the same events from the same seed, the refusal to
# write a year the store has already (nothing written), and every bad option.
. "$(dirname "$0")/lib.sh"

new_store
export KONTROLL_DB=kontroll.db

# ---- a year, scaled down -------------------------------------------------

# 3,000 incidents of 2025: the report's shares give 1,382 under helse og
# omsorg, 364 open at the end of the year, 6 personvern, 1 to Datatilsynet.
run generate incidents --year 2025 --count 3000 --seed 3
expect_exit 0
expect_stderr_empty
expect_stdout_match '^2025 \(seed 3\): 3000 incidents H-2025-00001 … H-2025-03000, [0-9]+ events at positions 1–[0-9]+$'
expect_stdout_match '^  registered in the year +3000$'
expect_stdout_match '^  under helse og omsorg +1382$'
expect_stdout_match '^  open at the end of the year +364   each closed during 2026$'
expect_stdout_match '^  personvern \(latest triage\) +6$'
expect_stdout_match '^    reported to Datatilsynet +1   0 of them after 72 hours$'
expect_stdout_match '^  written in [0-9.]+ s \([0-9]+ events/s\)$'
events=$(printf '%s\n' "$OUT" | sed -n 's/.*, \([0-9]*\) events at positions.*/\1/p')

# The store agrees: as many events, and as many incidents open at the end
# of 2025 in the listing.
run info --format json
expect_eq "events in the store" "$events" "$(json_field events)"
run incidents --status open --as-of 2025-12-31 --format csv
expect_exit 0
expect_stdout_lines 365
run incidents --year 2025 --type personvern --format csv
expect_stdout_lines 7
run verify
expect_exit 0

# ---- refused: the year is there already ------------------------------------

before=$(fingerprint)
run generate incidents --year 2025 --count 3000 --seed 3
expect_error 4 'holds incidents of 2025 already \(H-2025-00001\); nothing written'
expect_unchanged "$before"
# With another year that is not there: nothing of that one either.
run generate incidents --year 2019 --year 2025 --count 500
expect_error 4 'holds incidents of 2025 already'
expect_unchanged "$before"

# Another year goes in beside it; --quiet prints nothing.
run generate incidents --year 2019 --count 500 --quiet
expect_exit 0
expect_stdout_empty
expect_stderr_empty
run incidents --year 2019 --format csv
expect_stdout_lines 501

# ---- the same seed, the same events ---------------------------------------

new_store a.db
new_store b.db
run generate incidents --db a.db --year 2024 --count 800 --seed 11 --quiet
expect_exit 0
run generate incidents --db b.db --year 2024 --count 800 --seed 11 --quiet
expect_exit 0
# Everything but the recorded time (column 6) is the same; another seed
# gives other events (ids, column 2).
for db in a b; do
	"$KONTROLL" log --db $db.db --format csv | cut -d, -f1-5,7- >"$db.log"
done
expect_true "same seed, same log" cmp -s a.log b.log
expect_eq "800 incidents" 800 "$(grep -c ',incident.reported,' a.log)"
new_store c.db
run generate incidents --db c.db --year 2024 --count 800 --seed 12 --quiet
expect_exit 0
"$KONTROLL" log --db c.db --format csv | cut -d, -f1-5,7- >c.log
expect_true "another seed, other ids" test "$(cut -d, -f2 a.log | sha256sum)" != "$(cut -d, -f2 c.log | sha256sum)"

# ---- bad options -------------------------------------------------------------

before=$(fingerprint)
run generate incidents
expect_error 2 '--year is required'
run generate
expect_error 2 'generate incidents --year'
run generate events --year 2025
expect_error 2 "no subcommand 'events'"
run generate incidents --year 2025 --colour red
expect_error 2 'unknown option --colour'
run generate incidents --year
expect_error 2 'option --year needs a value'
run generate incidents --year 2025 extra
expect_error 2 "unexpected argument 'extra'"
run generate incidents --year 1970
expect_error 3 "--year: '1970' is not a year from 1971 to 9998"
run generate incidents --year twenty
expect_error 3 "--year: 'twenty' is not a year"
run generate incidents --year 2023 --year 2023 --count 10
expect_error 3 '--year: 2023 is given twice'
run generate incidents --year 2023
expect_error 3 '2023: count: no figures are known for 2023'
run generate incidents --year 2025 --count 0
expect_error 3 "--count: '0' is not a number from 1 to 1000000"
run generate incidents --year 2025 --count 1000001
expect_error 3 "--count: '1000001' is not a number"
run generate incidents --year 2025 --count -5
expect_error 3 "--count: '-5' is not a number"
run generate incidents --year 2025 --seed x
expect_error 3 "--seed: 'x' is not a non-negative integer"
expect_unchanged "$before"
run generate incidents --year 2023 --count 10 --db missing.db
expect_error 5 'no store at missing.db'
expect_true "no file made" test ! -e missing.db

run generate --help
expect_exit 0
expect_stdout_match '^usage: kontroll generate incidents --year Y'
run generate incidents --help
expect_exit 0
expect_stdout_match '^  --seed N '
run help generate
expect_exit 0
expect_stdout_match 'docs/generator.md'

finish
