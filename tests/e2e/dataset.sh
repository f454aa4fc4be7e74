#!/usr/bin/env bash
# dataset.sh — the Trondheim 2025 data set (events/data/trondheim-2025,
# docs/dataset.md) loads, verifies and reloads as nothing; every event
# cites lines of the seed; and the projections reproduce the annual
# report's own figures: the 2025 inspections per authority, which had
# orders and which were closed by the year's end, the open orders, the goal
# rows by status in every chapter, and — with the two generated years of
# incidents — the Kvaliteket figures. The annual report is the same bytes
# on every run.
DATA=$(cd "$(dirname "$0")/../../events/data/trondheim-2025" && pwd)
. "$(dirname "$0")/lib.sh"

SEED_LINES=2821
export KONTROLL_DB=$E2E_DIR/data.db

run init
expect_exit 0

# ---- loading: each file once, then again as nothing ----
declare -A events=([goals-ch01-05.jsonl]=121 [goals-ch06.jsonl]=73 [goals-ch07-10.jsonl]=223
	[inspections.jsonl]=100)
files=0
for f in "$DATA"/*.jsonl; do
	name=$(basename "$f")
	files=$((files + 1))
	expect_eq "$name: lines" "${events[$name]:-?}" "$(grep -c . "$f")"
	run import --new-events "$f"
	expect_exit 0
	expect_stdout_match "^imported ${events[$name]:-?} new events"
done
expect_eq "files in the data set" 4 "$files"
for f in "$DATA"/*.jsonl; do
	run import --new-events "$f"
	expect_exit 0
	expect_stdout_match "^imported 0 new events; ${events[$(basename "$f")]:-?} skipped"
done
run verify
expect_exit 0
expect_stdout_match '^ok: 517 events in 123 streams'

# ---- every event cites the report, by lines that exist ----
all=$(cat "$DATA"/*.jsonl | grep -c .)
expect_eq "events citing Årsberetning 2025" "$all" \
	"$(cat "$DATA"/*.jsonl | grep -c '"source": "Årsberetning 2025"')"
expect_eq "events with source_lines" "$all" "$(cat "$DATA"/*.jsonl | grep -c '"source_lines": \[[0-9]')"
bad=$(cat "$DATA"/*.jsonl | grep -o '"source_lines": \[[0-9, ]*\]' | grep -o '[0-9]\+' |
	awk -v max=$SEED_LINES '$1 < 1 || $1 > max' | head -3 | paste -sd ' ')
expect_eq "source lines outside the seed" "" "$bad"
# Every id is a fixed one: no line leaves it to the import.
expect_eq "events with an id" "$all" "$(cat "$DATA"/*.jsonl | grep -c '^{"id": "')"

# ---- the chapter "Rapportering av statlige tilsyn" (l. 2633–2791) ----
"$KONTROLL" report annual --year 2025 --format csv >report.csv
expect_true "report annual --format csv" test -s report.csv
# cells SECTION — "key<TAB>field<TAB>value" of each cell of the section: the
# key and field hold no comma, the value is the rest of the line, unquoted.
cells() {
	awk -v s="$1" 'index($0, s ",") == 1 {
		rest = substr($0, length(s) + 2)
		k = index(rest, ","); key = substr(rest, 1, k - 1); rest = substr(rest, k + 1)
		k = index(rest, ","); f = substr(rest, 1, k - 1); v = substr(rest, k + 1)
		if (v ~ /^".*"$/) { v = substr(v, 2, length(v) - 2); gsub(/""/, "\"", v) }
		print key "\t" f "\t" v
	}' report.csv
}
field() { # SECTION FIELD VALUE-REGEX — the keys of the cells whose value matches
	cells "$1" | awk -F '\t' -v f="$2" -v v="^$3\$" '$2 == f && $3 ~ v { print $1 }' | paste -sd ' '
}
value() { # SECTION KEY FIELD
	cells "$1" | awk -F '\t' -v k="$2" -v f="$3" '$1 == k && $2 == f { print $3 }'
}
# The table of l. 2644–2662 (the text of l. 2639 says Statsforvalteren did five).
for pair in Arbeidstilsynet:8 Statsforvalteren:7 Arkivverket:1 Luftfartstilsynet:1 \
	"Statens vegvesen:1" "I alt:18"; do
	expect_eq "2025 inspections of ${pair%%:*}" "${pair##*:}" \
		"$(value tilsyn_per_myndighet "${pair%%:*}" inspections)"
done
run inspections --year 2025 --as-of 2025-12-31 --format csv
expect_eq "inspections --year 2025" 18 "$(($(wc -l <"$OUT_FILE") - 1))"
expect_eq "case numbers in table order" "$(seq -f 'T-2025-%03g' 1 18 | paste -sd ' ')" \
	"$(awk -F, '$1 == "tilsyn" && $3 == "authority" { print $2 }' report.csv | paste -sd ' ')"
# Orders: three pålegg at Krisesenteret (l. 2763–2765), one at Charlottenlund
# (l. 2746), three at Lade (l. 2781–2785); deadlines at bydrift (l. 2791),
# NAV (l. 2682) and Lerkendal (l. 2716).
expect_eq "pålegg" "T-2025-009/P1 T-2025-009/P2 T-2025-009/P3 T-2025-011/P1 T-2025-013/P1 T-2025-013/P2 T-2025-013/P3" \
	"$(field palegg kind pålegg)"
expect_eq "inspections with orders or deadlines" \
	"T-2025-002 T-2025-008 T-2025-009 T-2025-011 T-2025-012 T-2025-013" \
	"$(awk -F, '$1 == "palegg" && $3 == "kind" { sub("/.*", "", $2); print $2 }' report.csv |
		uniq | paste -sd ' ')"
expect_eq "closed by 31.12.2025" \
	"T-2025-002 T-2025-004 T-2025-006 T-2025-007 T-2025-010 T-2025-011 T-2025-013 T-2025-014 T-2025-015 T-2025-016" \
	"$(field tilsyn status 'lukket.*')"
expect_eq "transferred" "T-2025-015" "$(field tilsyn status '.*overført til P-Norge AS')"
expect_eq "with findings" 12 "$(value tilsyn_per_myndighet 'I alt' with_findings)"
expect_eq "lærernormen: 17 schools (l. 2702)" "17 avvik" "$(value tilsyn T-2025-001 findings)"
expect_eq "landbruk: 8 avvik and 3 merknader (l. 2686)" "8 avvik, 3 merknader" \
	"$(value tilsyn T-2025-005 findings)"
run orders --as-of 2025-12-31 --format csv
expect_exit 0
expect_eq "open orders at 31.12.2025" "T-2025-008/P1 T-2025-009/P2 T-2025-009/P3 T-2025-012/P1" \
	"$(sed 1d "$OUT_FILE" | cut -d, -f1,2 | tr , / | sort | paste -sd ' ')"
expect_eq "Krisesenteret P2 deadline (innen medio juni 2026)" 2026-06-15 \
	"$(value palegg T-2025-009/P2 deadline)"
# The rules of the command layer hold for the loaded cases: Krisesenteret
# cannot be closed with two pålegg open.
run inspection close T-2025-009 --date 2025-12-31
expect_exit 4
expect_stderr_match 'T-2025-009 has 2 open orders'

# ---- the units inspected are units kontroll knows ----
# (by name or by the report's other spelling), but for the two the table
# names by their area and service area: "Oppvekst" (oppvekst og utdanning)
# and "Barne- og familietjenesten" (the BFT units of sosiale tjenester).
"$KONTROLL" init --db units.db >/dev/null
unknown=""
while read -r unit; do
	if ! "$KONTROLL" incident report --db units.db --category avvik --unit "$unit" \
		--occurred 2025-01-01 --text "Enhetsprøve" >/dev/null 2>&1; then
		unknown+="$unit; "
	fi
done < <(grep '"type": "inspection.opened"' "$DATA"/inspections.jsonl |
	sed -E 's/.*"unit": "([^"]+)".*/\1/' | sort -u)
expect_eq "units kontroll does not know" "Barne- og familietjenesten; Oppvekst; " "$unknown"

# ---- goal achievement: the rows of each chapter by status ----
# The chapter of a goal is its number's block (docs/dataset.md); its
# goal.defined cites lines inside that chapter (headings: l. 76, 627, 719,
# 829, 1143, 1395, 1532, 1605, 1725, 1917, 2138).
chapter() { # NUMBER → the chapter of its block
	local n=$((10#${1##*-}))
	if [ $n -ge 1000 ]; then echo 10
	elif [ $n -ge 740 ] && [ $n -lt 800 ]; then echo 7.3
	elif [ $n -ge 720 ] && [ $n -lt 800 ]; then echo 7.2
	elif [ $n -ge 700 ] && [ $n -lt 800 ]; then echo 7.1
	else echo $((n / 100)); fi
}
declare -A first=([1]=76 [2]=627 [4]=719 [5]=829 [6]=1143 [7.1]=1395 [7.2]=1532 [7.3]=1605
	[8]=1725 [9]=1917 [10]=2138)
declare -A last=([1]=626 [2]=718 [4]=828 [5]=1142 [6]=1394 [7.1]=1531 [7.2]=1604 [7.3]=1724
	[8]=1916 [9]=2137 [10]=2632)
outside="" defined=0
while read -r number line; do
	defined=$((defined + 1))
	c=$(chapter "$number")
	if [ -z "${first[$c]:-}" ] || [ "$line" -lt "${first[$c]}" ] || [ "$line" -gt "${last[$c]}" ]; then
		outside+="$number:$line "
	fi
done < <(grep -h '"type": "goal.defined"' "$DATA"/goals-*.jsonl |
	sed -E 's/.*"number": "([^"]+)".*"source_lines": \[([0-9]+).*/\1 \2/')
expect_eq "goal.defined events read" 105 "$defined"
expect_eq "goals defined outside their chapter's lines" "" "$outside"
statuses=$(cells mal | awk -F '\t' '$2 == "status" { print $1 "\t" $3 }' |
	while IFS=$'\t' read -r key status; do printf '%s\t%s\n' "$(chapter "${key%%/*}")" "$status"; done)
counts() { # CHAPTER → the rows of its goals, and of each status
	awk -F '\t' -v c="$1" '$1 == c { n++; s[$2]++ }
		END { printf "rows=%d nådd=%d delvis=%d ikke=%d i_rute=%d ikke_vurdert=%d", n,
			s["nådd"], s["delvis nådd"], s["ikke nådd"], s["i rute"], s["ikke vurdert"] }' <<<"$statuses"
}
# The reference's per-chapter aggregates (goals.json), each checked against the seed.
expect_eq "chapter 1 (handlingsregler)" "rows=3 nådd=0 delvis=0 ikke=0 i_rute=0 ikke_vurdert=3" "$(counts 1)"
expect_eq "chapter 2 (klimabudsjettet)" "rows=5 nådd=0 delvis=0 ikke=3 i_rute=0 ikke_vurdert=2" "$(counts 2)"
expect_eq "chapter 4" "rows=5 nådd=0 delvis=4 ikke=0 i_rute=0 ikke_vurdert=1" "$(counts 4)"
expect_eq "chapter 5" "rows=11 nådd=5 delvis=2 ikke=1 i_rute=2 ikke_vurdert=1" "$(counts 5)"
expect_eq "chapter 6" "rows=39 nådd=9 delvis=19 ikke=6 i_rute=0 ikke_vurdert=5" "$(counts 6)"
expect_eq "chapter 7.1" "rows=3 nådd=1 delvis=2 ikke=0 i_rute=0 ikke_vurdert=0" "$(counts 7.1)"
expect_eq "chapter 7.2" "rows=4 nådd=2 delvis=2 ikke=0 i_rute=0 ikke_vurdert=0" "$(counts 7.2)"
expect_eq "chapter 7.3" "rows=3 nådd=0 delvis=3 ikke=0 i_rute=0 ikke_vurdert=0" "$(counts 7.3)"
expect_eq "chapter 8" "rows=8 nådd=0 delvis=7 ikke=0 i_rute=0 ikke_vurdert=1" "$(counts 8)"
expect_eq "chapter 9" "rows=15 nådd=2 delvis=7 ikke=6 i_rute=0 ikke_vurdert=0" "$(counts 9)"
expect_eq "chapter 10" "rows=9 nådd=2 delvis=2 ikke=2 i_rute=0 ikke_vurdert=3" "$(counts 10)"
expect_eq "goals in all" 105 "$(value mal_per_omrade 'I alt' goals)"
expect_eq "rows assessed in chapters 4–10 (reference: 86)" 86 \
	"$(awk -F '\t' '$1 !~ /^[12]$/ && $2 != "ikke vurdert"' <<<"$statuses" | wc -l)"

# Measurements show the period they cover: a year's figure as the year
# (sykefravær 10,8 % in 2025, l. 2174), a month's as the month (l. 921).
run goal show M-2025-1001
expect_stdout_match '^  2025  10,2 % +10,8 %  2025  no$'
expect_stdout_match '^    2025  10,8 %  Årsberetning 2025 '
run goal show M-2025-503
expect_stdout_match '^    10\.2025 +0,95 '

# ---- Kvaliteket (l. 2616, 2821), from the two generated years ----
run generate incidents --year 2024 --year 2025 --quiet
expect_exit 0
"$KONTROLL" report annual --year 2025 --format csv >report.csv
expect_eq "registered 2025" 21686 "$(value kvaliteket 'I alt' registered)"
expect_eq "registered 2024" 23752 "$(value kvaliteket 'I alt' registered_before)"
expect_eq "change" -8.7 "$(value kvaliteket 'I alt' change_percent)"
expect_eq "not closed at the year's end" 2631 "$(value kvaliteket 'I alt' open_at_end)"
expect_eq "helse og omsorg 2025" 9993 "$(value kvaliteket 'helse og omsorg' registered)"
expect_eq "helse og omsorg 2024" 9440 "$(value kvaliteket 'helse og omsorg' registered_before)"
expect_eq "personvern" 40 "$(value personvern personvern registered)"
expect_eq "personvern reported to Datatilsynet" 7 "$(value personvern personvern reported)"
# The inspections and goals do not move when incidents come in.
expect_eq "2025 inspections, still" 18 "$(value tilsyn_per_myndighet 'I alt' inspections)"

# ---- the report is the same bytes for the same store ----
for f in md html csv; do
	"$KONTROLL" report annual --year 2025 --format $f >"a.$f"
	"$KONTROLL" report annual --year 2025 --format $f --no-snapshots >"b.$f"
	expect_true "report --format $f twice: the same bytes" cmp -s "a.$f" "b.$f"
done
expect_file_match "the Markdown opens the chapter with the table's count" a.md \
	'^I 2025 er det registrert 18 statlige tilsyn: 8 fra Arbeidstilsynet, 7 fra Statsforvalteren, 1 fra Arkivverket, 1 fra Luftfartstilsynet og 1 fra Statens vegvesen\.$'
expect_file_match "the Kvaliteket sentence" a.md \
	'^I 2025 ble det registrert 21 686 hendelser i Kvaliteket, 8,7 % færre enn i 2024 \(23 752\)\. Ved periodens slutt var 2 631 meldinger ikke formelt lukket\.$'
expect_file_match "personvern" a.md '^40 avvik gjaldt personvern; 7 av dem ble meldt til Datatilsynet\.$'

finish
