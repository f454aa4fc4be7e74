#!/usr/bin/env bash
# The tour of README.md on a fresh demo store: the Trondheim 2025 data set
# (events/data/trondheim-2025: every supervisory inspection and every goal of
# the annual report for 2025, read from the report line by line), two
# generated years of Kvaliteket incidents that reproduce the report's
# figures, then what a manager, a quality adviser and an auditor look at:
# the open orders at the year's end, the inspections of 2025, the incident
# figures, the goal summary, the annual-report chapter, and a signed seal
# checked by verify.
# Usage: scripts/demo.sh KONTROLL_BINARY [STORE]
set -euo pipefail
k=$1
db=${2:-demo.db}
data=$(dirname "$0")/../events/data/trondheim-2025
rm -f "$db" "$db-lock"
export KONTROLL_DB=$db KONTROLL_ACTOR=kvalitetsradgiver

# say ARGS: print the command as one would type it (quoting what has spaces), then run it.
say() {
	local a line="kontroll"
	for a in "$@"; do
		case $a in *[[:space:]]*) line+=" \"$a\"" ;; *) line+=" $a" ;; esac
	done
	printf '\n$ %s\n' "$line"
	"$k" "$@"
}

# say_head N ARGS: as say, showing the first N lines of what it prints.
say_head() {
	local n=$1
	shift
	say "$@" >"$db.out"
	head -n "$n" "$db.out"
	echo "… ($(($(wc -l <"$db.out") - n)) more lines)"
	rm -f "$db.out"
}

"$k" init >/dev/null
echo "created $db; loading the Trondheim 2025 data set (events/data/trondheim-2025) …"
for f in "$data"/*.jsonl; do
	printf '  %-22s ' "$(basename "$f")"
	"$k" import --new-events "$f"
done
echo "generating two years of Kvaliteket incidents (2024 and 2025, docs/generator.md) …"
"$k" generate incidents --year 2024 --year 2025 --seed 1 --quiet

echo
echo "# a manager: the orders still open when 2025 ended"
say orders --as-of 2025-12-31
echo
echo "# the quality adviser: the inspections of 2025 as they stood at the year's end"
say inspections --year 2025 --as-of 2025-12-31
krise=$("$k" inspections --unit Krisesenteret --format csv | sed -n 2p | cut -d, -f1)
say inspection show "$krise" --as-of 2025-12-31
echo
echo "# a step that contradicts the case is refused, and nothing is written:"
say inspection close "$krise" --date 2025-12-31 || true

echo
echo "# Kvaliteket: 21 686 incidents in 2025, 8,7 % fewer than in 2024"
say_head 6 incidents stats --year 2025

echo
echo "# goal achievement (måloppnåelse) of 2025, per area"
say goals summary --year 2025

echo
echo "# the annual report's chapter, from the events (also as demo-report.html)"
"$k" report annual --year 2025 --format html >demo-report.html
"$k" report annual --year 2025 >demo-report.md
printf '\n$ kontroll report annual --year 2025 > demo-report.md\n'
printf '$ grep -E "^(#|I 2025|[0-9]+ (avvik|mål) )" demo-report.md   # headings and key sentences\n'
grep -E '^(#|I 2025|[0-9]+ (avvik|mål) )' demo-report.md

echo
echo "# the auditor's part: a key pair, a signed seal of the log, and verify against the public key"
rm -f demo-seal.key demo-seal.key.pub
"$k" keygen --out demo-seal.key
say seal --key demo-seal.key
say verify --pubkey demo-seal.key.pub
