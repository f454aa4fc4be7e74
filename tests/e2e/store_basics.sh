#!/usr/bin/env bash
# store_basics.sh — help texts, init, append, log in its three formats, info,
# verify, and how the store path is chosen (--db, $KONTROLL_DB, ./kontroll.db).
. "$(dirname "$0")/lib.sh"

export USER=e2e-user

# ---- help ----

run help
expect_exit 0
expect_stderr_empty
for c in init append log info verify help; do
	expect_stdout_match "^  $c +[a-z]"
done
expect_stdout_match 'Exit codes: 0 ok, 1 failure, 2 usage, 3 invalid input,'
main_help=$OUT

run --help
expect_exit 0
expect_eq "kontroll --help prints the same text as kontroll help" "$main_help" "$OUT"

# No command at all: usage on stderr, exit 2.
run
expect_exit 2
expect_stdout_empty
expect_stderr_match '^usage: kontroll COMMAND'

run frobnicate
expect_exit 2
expect_stdout_empty
expect_stderr_match "^kontroll: no command 'frobnicate' \(see kontroll help\)$"
expect_eq "unknown command: stderr is one line" 1 "$(wc -l <"$ERR_FILE")"

run help frobnicate
expect_exit 2
expect_stdout_empty
expect_stderr_match "no command 'frobnicate'"

# Every option each command accepts, as the sources declare them.
declare -A options=(
	[init]="--db"
	[append]="--stream --type --data --expected-version --effective --id --actor --correlation --causation --format --db"
	[log]="--stream --from --limit --reverse --format --db"
	[info]="--format --db"
	[verify]="--format --db"
)
for c in init append log info verify; do
	run "$c" --help
	expect_exit 0
	expect_stderr_empty
	expect_stdout_match "^usage: kontroll $c( |$)"
	for o in ${options[$c]}; do
		expect_stdout_match "$o( |$|\]|,)"
	done
	cmd_help=$OUT
	run help "$c"
	expect_exit 0
	expect_eq "kontroll help $c = kontroll $c --help" "$cmd_help" "$OUT"
done
# --help needs no store and creates none.
expect_eq "help created no file" "" "$(ls)"

# ---- init (default path ./kontroll.db) ----

run init
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
expect_stdout_match "^$UUID_RE$"
store_id=$OUT
expect_true "init created ./kontroll.db" test -f kontroll.db
expect_true "init created ./kontroll.db-lock" test -f kontroll.db-lock

before=$(fingerprint)
run init
expect_error 4 'kontroll\.db exists already'
expect_unchanged "$before"

# ---- the empty store ----

run info
expect_exit 0
expect_stderr_empty
expect_stdout_match '^store +\./kontroll\.db$'
expect_stdout_match "^store id +$store_id$"
expect_stdout_match '^format +2$'
expect_stdout_match '^events +0$'
expect_stdout_match '^streams +0$'
expect_stdout_match '^head position +0$'

run verify
expect_exit 0
expect_stdout_match '^ok: 0 events in 0 streams'

run log
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
run log --format json
expect_exit 0
expect_stdout_is '[]'
run log --format csv
expect_exit 0
expect_stdout_is 'position,id,stream,version,type,recorded,effective,actor,correlation_id,causation_id,data'

# ---- append ----

run append --stream inspection-T-2025-007 --type inspection.opened \
	--data '{"authority":"Arbeidstilsynet","unit":"Krisesenteret","n":7}'
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
expect_stdout_match "^$UUID_RE$"
id1=$OUT
run append --stream inspection-T-2025-007 --type order.given \
	--data '{"order":"P1","text":"a, \"quoted\" comma","ok":true,"none":null,"list":[1,2.5,"æøå"]}'
expect_exit 0
expect_stdout_match "^$UUID_RE$"
id2=$OUT
run append --stream goal-2025 --type goal.set --actor anne --data '{}'
expect_exit 0
expect_stdout_match "^$UUID_RE$"
id3=$OUT
expect_true "three different event ids" test "$id1" != "$id2" -a "$id2" != "$id3" -a "$id1" != "$id3"
expect_true "event id differs from the store id" test "$id1" != "$store_id"

# ---- log: table ----

run log
expect_exit 0
expect_stderr_empty
expect_stdout_lines 4
expect_stdout_match '^ +POS +RECORDED \(UTC\) +EFFECTIVE +STREAM +VER +TYPE +ACTOR +DATA$'
expect_stdout_match '^ +1 +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} +inspection-T-2025-007 +1 +inspection\.opened +e2e-user +\{"authority":"Arbeidstilsynet","unit":"Krisesenteret","n":7\}$'
expect_stdout_match '^ +2 .* inspection-T-2025-007 +2 +order\.given +e2e-user +\{"order":"P1"'
expect_stdout_match '^ +3 .* goal-2025 +1 +goal\.set +anne +\{\}$'

# ---- log: json ----

run log --format json
expect_exit 0
expect_stderr_empty
expect_stdout_json
expect_stdout_lines 5
expect_eq "json: first line" "[" "$(sed -n 1p "$OUT_FILE")"
expect_eq "json: last line" "]" "$(tail -n 1 "$OUT_FILE")"
expect_stdout_match "^\{\"position\":1,\"id\":\"$id1\",\"stream\":\"inspection-T-2025-007\",\"version\":1,\"type\":\"inspection\.opened\",\"recorded\":\"[0-9-]{10}T[0-9:]{8}\.[0-9]{6}Z\",\"effective\":\"[0-9-]{10}T[0-9:]{8}\.[0-9]{6}Z\",\"actor\":\"e2e-user\",\"correlation_id\":null,\"causation_id\":null,\"data\":\{\"authority\":\"Arbeidstilsynet\",\"unit\":\"Krisesenteret\",\"n\":7\}\},$"
expect_stdout_match "^\{\"position\":2,\"id\":\"$id2\",.*\"data\":\{\"order\":\"P1\",\"text\":\"a, \\\\\"quoted\\\\\" comma\",\"ok\":true,\"none\":null,\"list\":\[1,2\.5,\"æøå\"\]\}\},$"
expect_stdout_match "^\{\"position\":3,\"id\":\"$id3\",\"stream\":\"goal-2025\",\"version\":1,.*\"actor\":\"anne\",.*\"data\":\{\}\}$"

# ---- log: csv ----

run log --format csv
expect_exit 0
expect_stderr_empty
expect_stdout_lines 4
expect_eq "csv header" 'position,id,stream,version,type,recorded,effective,actor,correlation_id,causation_id,data' "$(sed -n 1p "$OUT_FILE")"
expect_stdout_match "^1,$id1,inspection-T-2025-007,1,inspection\.opened,[0-9-]{10}T[0-9:.]{15}Z,[0-9-]{10}T[0-9:.]{15}Z,e2e-user,,,\"\{\"\"authority\"\":\"\"Arbeidstilsynet\"\",\"\"unit\"\":\"\"Krisesenteret\"\",\"\"n\"\":7\}\"$"
expect_stdout_match "^2,$id2,.*,\"\{\"\"order\"\":\"\"P1\"\",\"\"text\"\":\"\"a, \\\\\"\"quoted\\\\\"\" comma\"\",.*\}\"$"
expect_stdout_match "^3,$id3,goal-2025,1,goal\.set,.*,anne,,,\{\}$"

# ---- info ----

run info
expect_exit 0
expect_stderr_empty
expect_stdout_match "^store id +$store_id$"
expect_stdout_match '^events +3$'
expect_stdout_match '^streams +2$'
expect_stdout_match '^head position +3$'
expect_stdout_match '^format +2$'
expect_stdout_match '^last recorded +[0-9-]{10}T[0-9:]{8}\.[0-9]{6}Z$'
expect_stdout_match '^chain head +[0-9a-f]{64}$'
expect_stdout_nomatch '^chain head +0{64}$'
size=$(stat -c %s kontroll.db)
expect_stdout_match "^size on disk +[0-9.]+ MiB \($size bytes\)$"
expect_stdout_match '^map size +[0-9.]+ MiB$'
chain_head=$(sed -n 's/^chain head *//p' "$OUT_FILE")

run info --format json
expect_exit 0
expect_stderr_empty
expect_stdout_lines 1
expect_stdout_json
expect_eq "info json: store_id" "\"$store_id\"" "$(json_field store_id)"
expect_eq "info json: events" 3 "$(json_field events)"
expect_eq "info json: streams" 2 "$(json_field streams)"
expect_eq "info json: head" 3 "$(json_field head)"
expect_eq "info json: format" 2 "$(json_field format)"
expect_eq "info json: chain_head" "\"$chain_head\"" "$(json_field chain_head)"
expect_eq "info json: file_bytes" "$size" "$(json_field file_bytes)"

# ---- verify ----

run verify
expect_exit 0
expect_stderr_empty
expect_stdout_match '^ok: 3 events in 2 streams; hash chain and indexes agree with the log$'
expect_stdout_match "^chain head $chain_head$"

run verify --format json
expect_exit 0
expect_stdout_json
expect_eq "verify json: ok" true "$(json_field ok)"
expect_eq "verify json: events" 3 "$(json_field events)"
expect_eq "verify json: streams" 2 "$(json_field streams)"
expect_eq "verify json: first_bad" 0 "$(json_field first_bad)"
expect_eq "verify json: chain_head" "\"$chain_head\"" "$(json_field chain_head)"

# ---- choosing the store: --db, $KONTROLL_DB, ./kontroll.db ----

default_before=$(fingerprint kontroll.db)

run init --db other.db
expect_exit 0
expect_stdout_match "^$UUID_RE$"
other_id=$OUT
expect_true "init --db other.db created other.db" test -f other.db
run append --db other.db --stream s --type t --data '{"where":"other"}'
expect_exit 0
run log --db other.db --format csv
expect_stdout_lines 2
expect_stdout_match '^1,.*,s,1,t,.*"where"'
run info --db other.db
expect_stdout_match "^store +other\.db$"
expect_stdout_match "^store id +$other_id$"

KONTROLL_DB=env.db run init
expect_exit 0
expect_true "init with \$KONTROLL_DB created env.db" test -f env.db
KONTROLL_DB=env.db run append --stream from-env --type t --data '{"where":"env"}'
expect_exit 0
run log --db env.db --format csv
expect_stdout_lines 2
expect_stdout_match '^1,.*,from-env,1,t,'
KONTROLL_DB=env.db run info
expect_stdout_match '^store +env\.db$'
expect_stdout_match '^events +1$'
KONTROLL_DB=env.db run verify
expect_exit 0
expect_stdout_match '^ok: 1 event in 1 stream; hash chain and indexes agree with the log$'
# --db wins over $KONTROLL_DB.
KONTROLL_DB=env.db run info --db other.db
expect_stdout_match "^store id +$other_id$"
# An empty $KONTROLL_DB means the default.
KONTROLL_DB='' run info
expect_stdout_match "^store id +$store_id$"

expect_unchanged "$default_before" kontroll.db

finish
