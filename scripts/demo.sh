#!/usr/bin/env bash
# A short tour on a fresh demo store: two of the 2025 inspections from the
# annual report (Arkivverket at Trondheim digital; Arbeidstilsynet at
# Krisesenteret i Trondheim), appended as events, then read back and verified.
# Usage: scripts/demo.sh KONTROLL_BINARY [STORE]
set -euo pipefail
k=$1
db=${2:-demo.db}
rm -f "$db" "$db-lock"
export KONTROLL_DB=$db KONTROLL_ACTOR=kvalitetsradgiver

step() { printf '\n$ kontroll %s\n' "$*"; "$k" "$@"; }

step init >/dev/null
echo "created $db"

arkiv=inspection-T-2025-003
"$k" append --stream $arkiv --type inspection.opened --effective 2025-03-20 \
	--expected-version none \
	--data '{"authority":"Arkivverket","unit":"Trondheim digital","law":"Arkivloven",
	         "theme":"Tilsyn med arkivholdet","kind":"dokumenttilsyn"}' >/dev/null
"$k" append --stream $arkiv --type finding.recorded --effective 2025-03-20 \
	--expected-version 1 \
	--data '{"kind":"avvik","text":"Ca 46 000 papir og 10 000 elektroniske dokumenter i ESA stod med feil status"}' >/dev/null
"$k" append --stream $arkiv --type requirement.waived --expected-version 2 \
	--data '{"reason":"Risikovurdering: manuell retting for ressurskrevende og kan svekke arkivets autentisitet; Arkivverket frafalt kravet om opprydding"}' >/dev/null
"$k" append --stream $arkiv --type inspection.closed --expected-version 3 \
	--data '{"note":"Tilsynet er avsluttet"}' >/dev/null

krise=inspection-T-2025-009
"$k" append --stream $krise --type inspection.opened --effective 2025-05-21 \
	--expected-version none \
	--data '{"authority":"Arbeidstilsynet","unit":"Krisesenteret i Trondheim",
	         "law":"Arbeidsmiljøloven","kind":"stedlig tilsyn",
	         "theme":"Muskel- og skjelettplager og psykiske plager"}' >/dev/null
for n in 1 2 3; do
	"$k" append --stream $krise --type order.issued --effective 2025-05-21 \
		--data "{\"order\":\"P$n\",\"deadline\":\"2026-06-15\",\"deadline_text\":\"innen medio juni 2026\"}" \
		>/dev/null
done
"$k" append --stream $krise --type order.fulfilled \
	--data '{"order":"P1","note":"Vurdert som oppfylt av Arbeidstilsynet"}' >/dev/null

step log
step log --stream $krise --format json
echo
echo "# a stale expected version is refused, and nothing is written:"
step append --stream $krise --type order.fulfilled --expected-version 2 --data '{"order":"P2"}' || true
step info
step verify
