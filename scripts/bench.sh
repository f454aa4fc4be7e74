#!/usr/bin/env bash
# bench.sh — kontroll's benchmarks, in one run: the storage benchmark against
# raw LMDB and SQLite, and the inspection and incident queries as whole
# processes.
#
#   scripts/bench.sh [BUILD_DIR]        (make bench passes the build dir)
#
# Every part works in a fresh temp directory under BUILD_DIR that is removed
# afterwards, and each prints a summary with the targets of its issue, met or
# not (docs/performance.md explains the method and keeps the figures).
#
# Storage. Runs tests/bench/bench_store.c's cases one process each, and prints
# a summary table with the ratios and whether each target of the storage issue
# is met.
# Every case runs BENCH_ROUNDS times, the implementations interleaved within
# a round, and the summary shows the median, so a slow minute of the shared
# disk does not favour one side. Within a round the order rotates (round r
# starts with the r-th implementation), and every append starts in an empty
# data directory: its replay and scan follow it, then its files are deleted.
# On this VM a case that ran after ~1 GB of other cases' files had been
# written (and were still cached) was up to 2x slower than the same case run
# first, so a fixed order with all files kept favoured whoever ran first.
# Raw RESULT lines go to BUILD_DIR/bench-results.txt.
#
# Inspection queries. tests/bench/gen_inspections.c writes a realistic log
# (BENCH_INSPECTION_EVENTS events over BENCH_INSPECTIONS inspections, once),
# then `kontroll orders`, `kontroll orders --as-of` the recorded date of the
# log's middle event, and `kontroll inspections`, all with --format csv and
# stdout to /dev/null, are timed as whole processes: with snapshots, the run
# that saves the snapshot and then BENCH_QUERY_RUNS runs that start from it;
# with --no-snapshots (the full replay), one warm-up and BENCH_FULL_RUNS runs.
# The summary gives medians, the ratio full replay / snapshot, the target
# (≤ 100 ms with snapshots), the snapshots' exact sizes
# (tests/bench/snapshot_info.c) and whether the three listings print the same
# with and without snapshots. Runs are timed by hyperfine when the Debian
# package is installed or can be (as root), else by `date +%s%N` around each
# run (BENCH_TIMER=date forces that). Raw RESULT lines go to
# BUILD_DIR/bench-inspections.txt.
#
# Incident queries. `kontroll generate incidents` writes BENCH_INCIDENTS
# incidents with full lifecycles for each of BENCH_INCIDENT_YEARS (one
# process, timed: the generation rate) into a fresh store; then `kontroll
# incidents stats --year 2025` (table) and `kontroll incidents --status open
# --as-of 2025-12-31 --format csv` are timed as whole processes with stdout to
# /dev/null, as the inspection queries are: the run that saves the snapshot
# (stats saves it; the listing, folded for the same as-of, starts from it),
# BENCH_QUERY_RUNS runs with it, and BENCH_FULL_RUNS runs with --no-snapshots
# after a warm-up. The target is ≤ 150 ms with snapshots. Raw RESULT lines go
# to BUILD_DIR/bench-incidents.txt.
#
# Evidence. `kontroll generate incidents` writes BENCH_EVIDENCE_INCIDENTS
# incidents for each of BENCH_EVIDENCE_YEARS into a fresh store; then
# `kontroll export > FILE`, `kontroll verify-export FILE` and `kontroll
# import FILE` (each time into a freshly made empty store, not timed) are
# timed as whole processes, BENCH_EVIDENCE_RUNS runs each, by date +%s%N
# around each run (the runs take seconds; hyperfine would add nothing but
# the empty store it cannot prepare). The baseline is tests/bench/scan_raw.c:
# the same envelopes read from LMDB with kt_iter_next_raw and no JSON work,
# alone and with the hash chain recomputed; `kontroll verify` is shown
# beside it. The summary gives events/s, µs per event and each command's
# time as a multiple of the raw scan's, and checks that export → import →
# export gives the same bytes and that every head hash agrees. Raw RESULT
# lines go to BUILD_DIR/bench-evidence.txt.
#
# Environment:
#   BENCH_PARTS   which parts to run                (default "storage inspections incidents evidence")
#   BENCH_EVENTS  events for (a) and (c)            (default 1000000)
#   BENCH_SINGLE  synced single appends for (b)     (default 2000)
#   BENCH_ROUNDS  repetitions of every case         (default 5)
#   BENCH_IDS     calls per id generator            (default 300000)
#   BENCH_INSPECTION_EVENTS, BENCH_INSPECTIONS      the generated log (default 1000000, 50000)
#   BENCH_QUERY_RUNS  timed runs with snapshots     (default 10)
#   BENCH_FULL_RUNS   timed runs without            (default 5)
#   BENCH_INCIDENT_YEARS, BENCH_INCIDENTS           years generated, incidents each
#                                                   (default 2016 … 2025, 21686)
#   BENCH_EVIDENCE_YEARS, BENCH_EVIDENCE_INCIDENTS  the evidence part's log
#                                                   (default 2016 … 2025, 21686)
#   BENCH_EVIDENCE_RUNS  timed runs of each evidence command (default 3)
#   BENCH_SEED    the generators' seed              (default 1)
set -euo pipefail

build=${1:-build}
parts=${BENCH_PARTS:-storage inspections incidents evidence}
bin="$build/bench/bench_store"
events=${BENCH_EVENTS:-1000000}
single=${BENCH_SINGLE:-2000}
rounds=${BENCH_ROUNDS:-5}
idcalls=${BENCH_IDS:-300000}
small=$((events / 4))
[ "$small" -ge 1000 ] || small=1000
ins_events=${BENCH_INSPECTION_EVENTS:-1000000}
ins_count=${BENCH_INSPECTIONS:-50000}
qruns=${BENCH_QUERY_RUNS:-10}
fruns=${BENCH_FULL_RUNS:-5}
seed=${BENCH_SEED:-1}
inc_years=${BENCH_INCIDENT_YEARS:-2016 2017 2018 2019 2020 2021 2022 2023 2024 2025}
inc_count=${BENCH_INCIDENTS:-21686}
ev_years=${BENCH_EVIDENCE_YEARS:-2016 2017 2018 2019 2020 2021 2022 2023 2024 2025}
ev_count=${BENCH_EVIDENCE_INCIDENTS:-21686}
ev_runs=${BENCH_EVIDENCE_RUNS:-3}

want() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }

work=$(mktemp -d "$build/bench-data.XXXXXX")
trap 'rm -rf "$work"' EXIT
results="$build/bench-results.txt"
qresults="$build/bench-inspections.txt"
iresults="$build/bench-incidents.txt"
eresults="$build/bench-evidence.txt"
bench_start=$(date +%s)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

log() { printf '%s\n' "$*" >&2; }

# run CASE ARGS… : one measurement in its own process; its RESULT line is
# tagged with the round and kept.
run() {
	local out
	out=$("$bin" "$@") || { log "bench.sh: $bin $* failed"; exit 1; }
	printf '%s\n' "$out" | sed "s/\$/ round=$round/" >>"$results"
}

clean_data() { rm -rf "${work:?}"/data; mkdir -p "$work/data"; sync; }

# rotate N WORD… : the words, starting with the (N mod count)-th (0-based).
rotate() {
	local n=$1
	shift
	local w=("$@") i
	for ((i = 0; i < ${#w[@]}; i++)); do
		printf '%s\n' "${w[(i + n) % ${#w[@]}]}"
	done
}

# ================================================================= storage
storage_bench() {
	if [ ! -x "$bin" ]; then
		echo "bench.sh: $bin not built (make $bin)" >&2
		exit 1
	fi
	: >"$results"
	t_start=$(date +%s)
	load_start=$(cut -d' ' -f1-3 /proc/loadavg)
	log "bench: $events events (a)+(c), $single single appends (b), $rounds rounds, data in $work"
	for round in $(seq 1 "$rounds"); do
		log "bench: round $round/$rounds: (a) append, (c) replay"
		for impl in $(rotate "$((round - 1))" api lmdb sqlite layout layout5); do
			clean_data
			run "append-$impl" "$work/data" "$events"
			case $impl in
			api | lmdb | sqlite)
				run "replay-$impl" "$work/data" "$events"
				run "scan-$impl" "$work/data" "$events"
				;;
			esac
		done
		log "bench: round $round/$rounds: (b) single durable appends"
		clean_data
		for impl in $(rotate "$((round - 1))" api lmdb sqlite fsync layout layout5); do
			sync
			run "single-$impl" "$work/data" "$single"
		done
	done

	round=rss
	log "bench: memory flatness at $small events"
	clean_data
	run append-api "$work/data" "$small"
	run replay-api "$work/data" "$small"
	clean_data
	log "bench: id generators ($idcalls calls each)"
	round=ids
	run uuid "$idcalls"
	fstype=$(df -T "$work" | awk 'NR == 2 { print $1 " (" $2 ")" }')
	rm -rf "${work:?}"/data
	elapsed=$(( $(date +%s) - t_start ))
	load_end=$(cut -d' ' -f1-3 /proc/loadavg)
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	machine="$(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), data on $fstype"
	versions=$("$bin" info | sed 's/^RESULT info versions //')
	load="load average at start $load_start, at end $load_end"

	# ------------------------------------------------------------------ summary
	# The summary is computed by one awk program over the RESULT lines:
	#   RESULT <case> <impl> key=value … round=<r>
	awk -v events="$events" -v small="$small" -v single="$single" -v rounds="$rounds" \
	    -v elapsed="$elapsed" -v machine="$machine" -v versions="$versions" -v load="$load" '
	function median(key,    n, i, j, t, a) {
		n = cnt[key]
		if (n == 0) return -1
		for (i = 1; i <= n; i++) a[i] = vals[key, i]
		for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function maxof(key,    n, i, m) {
		n = cnt[key]; m = -1
		for (i = 1; i <= n; i++) if (vals[key, i] > m) m = vals[key, i]
		return m
	}
	function rng(key,    n, i, lo, hi) {
		n = cnt[key]; if (n < 2) return ""
		lo = hi = vals[key, 1]
		for (i = 2; i <= n; i++) { if (vals[key, i] < lo) lo = vals[key, i]; if (vals[key, i] > hi) hi = vals[key, i] }
		return k(lo) "–" k(hi)
	}
	function yn(ok) { return ok ? "yes" : "NO" }
	function k(v,    s, r) {
		s = sprintf("%.0f", v); r = ""
		while (length(s) > 3 && substr(s, length(s) - 3, 1) ~ /[0-9]/) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
		return s r
	}
	$1 == "RESULT" {
		round = ""; delete kv
		for (i = 4; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
		round = kv["round"]
		tag = $2 SUBSEP $3 SUBSEP (round == "rss" ? "small" : (round == "ids" ? "ids" : "full"))
		for (f in kv) if (f != "round") { key = tag SUBSEP f; vals[key, ++cnt[key]] = kv[f] }
	}
	END {
		F = SUBSEP "full" SUBSEP; S = SUBSEP "small" SUBSEP
		a_api = median("append" SUBSEP "api" F "events_per_s")
		a_lmdb = median("append" SUBSEP "lmdb" F "events_per_s")
		a_sql = median("append" SUBSEP "sqlite" F "events_per_s")
		printf "\nkontroll storage benchmark — %s events, 1,000 per transaction, %d rounds (median; range in brackets)\n", k(events), rounds
		printf "durable everywhere: LMDB synced commits (kontroll default), SQLite WAL + synchronous=FULL\n"
		printf "machine: %s\nlibraries: %s\n%s\n\n", machine, versions, load

		printf "(a) batched append                 events/s   [range]               share of raw  vs SQLite  batch p50/p99 ms\n"
		split("api lmdb sqlite", im, " ")
		nm["api"] = "kontroll kt_store_append"; nm["lmdb"] = "raw LMDB, MDB_APPEND"; nm["sqlite"] = "SQLite, 2 unique indexes"
		for (i = 1; i <= 3; i++) {
			x = "append" SUBSEP im[i] F
			v = median(x "events_per_s")
			printf "    %-30s %10s   [%-21s] %9.0f%%  %8.2fx   %.2f / %.2f\n", nm[im[i]], k(v), rng(x "events_per_s"),
			       100 * v / a_lmdb, v / a_sql, median(x "batch_p50_ms"), median(x "batch_p99_ms")
		}
		okA1 = a_api >= 500000; okA2 = a_api >= 3 * a_sql
		# Diagnostics: a layout written by raw LMDB from prepared bytes, no kontroll code.
		split("layout layout5", dm, " ")
		dn["layout"] = "[diag] kontroll layout, raw"; dn["layout5"] = "[diag] DESIGN.md 5 tables, raw"
		for (i = 1; i <= 2; i++) {
			x = "append" SUBSEP dm[i] F; v = median(x "events_per_s")
			printf "    %-30s %10s   [%-21s] %9.0f%%  %8.2fx   %.2f / %.2f\n", dn[dm[i]], k(v), rng(x "events_per_s"),
			       100 * v / a_lmdb, v / a_sql, median(x "batch_p50_ms"), median(x "batch_p99_ms")
		}
		printf "    target ≥ 500,000 events/s: %s (%s);  ≥ 3x SQLite: %s (%.2fx);  share of raw LMDB: %.0f%%\n", yn(okA1), k(a_api), yn(okA2), a_api / a_sql, 100 * a_api / a_lmdb
		printf "    (peers get pre-encoded envelopes; preparing them costs %.2f µs/event, not counted)\n", median("append" SUBSEP "lmdb" F "prep_us_per_event")
		printf "    file size at %s events, MB: kontroll %.0f, kontroll layout raw %.0f, 5 tables raw %.0f, raw LMDB %.0f, SQLite %.0f (incl. WAL)\n\n", k(events),
		       median("append" SUBSEP "api" F "file_bytes") / 1e6, median("append" SUBSEP "layout" F "file_bytes") / 1e6,
		       median("append" SUBSEP "layout5" F "file_bytes") / 1e6, median("append" SUBSEP "lmdb" F "file_bytes") / 1e6,
		       median("append" SUBSEP "sqlite" F "file_bytes") / 1e6

		printf "(b) single durable append (%s each)  p50 µs    p99 µs    p50 / raw LMDB   p99 / raw LMDB\n", k(single)
		split("api lmdb sqlite fsync", sm, " ")
		sn["api"] = "kontroll, 1 event, synced"; sn["lmdb"] = "raw LMDB synced commit"; sn["sqlite"] = "SQLite commit (reference)"; sn["fsync"] = "write(2) + fsync(2)"
		b50 = median("single" SUBSEP "lmdb" F "p50_us"); b99 = median("single" SUBSEP "lmdb" F "p99_us")
		for (i = 1; i <= 4; i++) {
			x = "single" SUBSEP sm[i] F
			printf "    %-32s %8.1f  %8.1f     %8.2fx        %8.2fx\n", sn[sm[i]], median(x "p50_us"), median(x "p99_us"),
			       median(x "p50_us") / b50, median(x "p99_us") / b99
		}
		r50 = median("single" SUBSEP "api" F "p50_us") / b50; r99 = median("single" SUBSEP "api" F "p99_us") / b99
		dn["layout"] = "[diag] kontroll layout, raw LMDB"; dn["layout5"] = "[diag] DESIGN.md 5 tables, raw"
		for (i = 1; i <= 2; i++) {
			x = "single" SUBSEP dm[i] F
			printf "    %-32s %8.1f  %8.1f     %8.2fx        %8.2fx\n", dn[dm[i]], median(x "p50_us"), median(x "p99_us"),
			       median(x "p50_us") / b50, median(x "p99_us") / b99
		}
		printf "    target within 1.25x of the raw LMDB commit: p50 %s (%.3fx), p99 %s (%.3fx)\n\n", yn(r50 <= 1.25), r50, yn(r99 <= 1.25), r99

		c_api = median("replay" SUBSEP "api" F "events_per_s")
		c_lmdb = median("replay" SUBSEP "lmdb" F "events_per_s")
		c_sql = median("replay" SUBSEP "sqlite" F "events_per_s")
		printf "(c) full replay, every envelope decoded  events/s   [range]               share of raw  vs SQLite\n"
		rn["api"] = "kontroll kt_iter_log"; rn["lmdb"] = "raw LMDB cursor + msgpack unpack"; rn["sqlite"] = "SQLite ORDER BY + kt_event_decode"
		for (i = 1; i <= 3; i++) {
			x = "replay" SUBSEP im[i] F
			v = median(x "events_per_s")
			printf "    %-36s %10s   [%-21s] %9.0f%%  %8.2fx\n", rn[im[i]], k(v), rng(x "events_per_s"), 100 * v / c_lmdb, v / c_sql
		}
		printf "    target ≥ 70%% of raw: %s (%.0f%%);  ≥ 3x SQLite: %s (%.2fx)\n", yn(c_api >= 0.7 * c_lmdb), 100 * c_api / c_lmdb, yn(c_api >= 3 * c_sql), c_api / c_sql
		printf "    storage read alone, no decode (diagnostic): kontroll log %s/s, raw LMDB %s/s, SQLite %s/s\n\n",
		       k(median("scan" SUBSEP "lmdb:api.kontroll" F "events_per_s")), k(median("scan" SUBSEP "lmdb:raw.lmdb" F "events_per_s")),
		       k(median("scan" SUBSEP "sqlite" F "events_per_s"))

		printf "Memory: RssAnon peak in KiB (must stay flat), at %s and %s events\n", k(small), k(events)
		printf "    %-28s %10s %10s   %-6s  maxrss incl. mapped file at %s\n", "", k(small), k(events), "flat?", k(events)
		for (c = 1; c <= 2; c++) {
			cs = c == 1 ? "append" : "replay"
			lo = maxof(cs SUBSEP "api" S "rss_anon_peak_kb"); hi = maxof(cs SUBSEP "api" F "rss_anon_peak_kb")
			grow = hi - lo; flat = grow <= 1024 || grow <= 0.10 * lo
			allflat = (c == 1 ? flat : allflat && flat)
			printf "    %-28s %10s %10s   %-6s  %s KiB\n", "kontroll " cs, k(lo), k(hi), yn(flat), k(maxof(cs SUBSEP "api" F "maxrss_kb"))
		}
		for (i = 2; i <= 3; i++)
			printf "    %-28s %10s %10s           %s / %s KiB (append / replay)\n", "peer " im[i] " append / replay", k(maxof("append" SUBSEP im[i] F "rss_anon_peak_kb")),
			       k(maxof("replay" SUBSEP im[i] F "rss_anon_peak_kb")), k(maxof("append" SUBSEP im[i] F "maxrss_kb")), k(maxof("replay" SUBSEP im[i] F "maxrss_kb"))
		printf "    (flat: grows by at most 1 MiB or 10%%; maxrss counts touched pages of the mapped file and grows with it)\n\n"

		printf "Ids: cost per call (ns)\n"
		split("libuuid_generate libuuid_generate_random libuuid_generate_time kt_id_generate sodium_randombytes_10", g, " ")
		for (i = 1; i <= 5; i++) printf "    %-26s %8.1f\n", g[i], median("uuid" SUBSEP g[i] SUBSEP "ids" SUBSEP "ns_per_call")
		per = 1e9 / a_api; idk = median("uuid" SUBSEP "kt_id_generate" SUBSEP "ids" SUBSEP "ns_per_call")
		idu = median("uuid" SUBSEP "libuuid_generate" SUBSEP "ids" SUBSEP "ns_per_call")
		printf "    per appended event kontroll spends %.0f ns; kt_id_generate is %.0f%% of it; libuuid_generate instead would add %.0f ns (+%.0f%%)\n",
		       per, 100 * idk / per, idu - idk, 100 * (idu - idk) / per
		printf "    (sodium_randombytes_10: one getrandom(2) per id, the randomness of kt_id_generate before it drew 4000-byte blocks)\n\n"

		printf "Targets: (a) 500k/s %s, 3x SQLite %s | (b) p50 %s, p99 %s | (c) 70%% raw %s, 3x SQLite %s | RSS flat %s\n",
		       yn(okA1), yn(okA2), yn(r50 <= 1.25), yn(r99 <= 1.25), yn(c_api >= 0.7 * c_lmdb), yn(c_api >= 3 * c_sql), yn(allflat)
		printf "bench: storage benchmark %d s\n", elapsed
	}' "$results"
	log "bench: raw results in $results"
}

# ====================================================== inspection queries
kontroll="$build/kontroll"
gen="$build/bench/gen_inspections"
snapinfo="$build/bench/snapshot_info"
timer="date"

# The timer: hyperfine when the Debian package is installed, or can be (as
# root, as scripts/install-deps.sh installs the build's packages); else
# date +%s%N around each run.
pick_timer() {
	[ "${BENCH_TIMER:-}" != date ] || return 0
	if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] &&
		command -v apt-get >/dev/null 2>&1; then
		log "bench: installing the Debian package hyperfine to time the queries"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			hyperfine >"$work/apt.log" 2>&1 ||
			log "bench: hyperfine is not installable here; timing with date +%s%N"
	fi
	if command -v hyperfine >/dev/null 2>&1; then
		timer=hyperfine
	fi
}

# qcmd NAME : the command line of query NAME, into the array cmd.
qcmd() {
	case $1 in
	orders) cmd=("$kontroll" orders --db "$db" --format csv) ;;
	asof) cmd=("$kontroll" orders --db "$db" --as-of "$middle" --format csv) ;;
	inspections) cmd=("$kontroll" inspections --db "$db" --format csv) ;;
	floor) cmd=("$kontroll" orders --db "$empty" --format csv) ;;
	esac
}

# measure NAME RUNS WARMUP CMD… : WARMUP untimed runs, then RUNS timed runs of
# CMD, each a whole process with stdout to /dev/null; a RESULT line per run.
measure() {
	local name=$1 runs=$2 warmup=$3 i t0 t1
	shift 3
	if [ "$timer" = hyperfine ]; then
		hyperfine -N --style none --warmup "$warmup" --runs "$runs" \
			--export-json "$work/hf.json" -- "$(printf '%q ' "$@")" >"$work/hf.log" 2>&1 ||
			{ cat "$work/hf.log" >&2; log "bench.sh: $* failed"; exit 1; }
		awk -v name="$name" '/"times": \[/ { on = 1; next } on && /\]/ { on = 0 }
			on { gsub(/[ ,]/, ""); printf "RESULT run %s ms=%.3f\n", name, $0 * 1000 }' \
			"$work/hf.json" >>"$qresults"
		return
	fi
	for ((i = 0; i < warmup + runs; i++)); do
		t0=$(date +%s%N)
		"$@" >/dev/null || { log "bench.sh: $* failed"; exit 1; }
		t1=$(date +%s%N)
		[ "$i" -lt "$warmup" ] || awk -v name="$name" -v ns=$((t1 - t0)) \
			'BEGIN { printf "RESULT run %s ms=%.3f\n", name, ns / 1e6 }' >>"$qresults"
	done
}

# first NAME OUT CMD… : one run timed by date +%s%N, its output kept in OUT.
first() {
	local name=$1 out=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	"$@" >"$out" || { log "bench.sh: $* failed"; exit 1; }
	t1=$(date +%s%N)
	awk -v name="$name" -v ns=$((t1 - t0)) -v rows=$(($(wc -l <"$out") - 1)) \
		'BEGIN { printf "RESULT first %s ms=%.3f rows=%d\n", name, ns / 1e6, rows }' >>"$qresults"
}

size_of() { "$kontroll" info --db "$1" | sed -n 's/^size on disk.*(\([0-9]*\) bytes)$/\1/p'; }

inspection_bench() {
	local f out name q_start load_start load_end fstype
	local db="$work/inspections.db" empty="$work/empty.db" middle
	for f in "$kontroll" "$gen" "$snapinfo"; do
		[ -x "$f" ] || { log "bench.sh: $f not built (make $f)"; exit 1; }
	done
	: >"$qresults"
	pick_timer
	q_start=$(date +%s)
	load_start=$(cut -d' ' -f1-3 /proc/loadavg)
	log "bench: inspection queries: generating $ins_events events over $ins_count inspections (seed $seed)"
	out=$("$gen" "$db" "$ins_events" "$ins_count" "$seed") || { log "bench.sh: $gen failed"; exit 1; }
	printf '%s\n' "$out" | grep -v '^RESULT' >&2 || true
	printf '%s\n' "$out" | grep '^RESULT' >>"$qresults"
	middle=$(printf '%s\n' "$out" | sed -n 's/^RESULT gen .* middle_date=\([0-9-]*\) .*/\1/p')
	[ -n "$middle" ] || { log "bench.sh: $gen printed no middle_date"; exit 1; }
	"$kontroll" init --db "$empty" >/dev/null
	echo "RESULT size before bytes=$(size_of "$db")" >>"$qresults"

	# With snapshots: the first run replays and saves one (inspections uses
	# the one orders saved: same projection, same as-of), the others start
	# from it and read no event of the log.
	for name in orders asof inspections; do
		qcmd "$name"
		log "bench: $name: the run that saves the snapshot, then $qruns runs with it ($timer)"
		first "$name" "$work/$name-first.csv" "${cmd[@]}"
		measure "$name/snapshot" "$qruns" 0 "${cmd[@]}"
		"${cmd[@]}" >"$work/$name-snapshot.csv"
	done
	# Without: the full replay, after one warm-up run.
	for name in orders asof inspections; do
		qcmd "$name"
		log "bench: $name --no-snapshots: $fruns runs after a warm-up ($timer)"
		measure "$name/full" "$fruns" 1 "${cmd[@]}" --no-snapshots
		"${cmd[@]}" --no-snapshots >"$work/$name-full.csv"
		if cmp -s "$work/$name-full.csv" "$work/$name-snapshot.csv"; then
			echo "RESULT same $name ok=1" >>"$qresults"
		else
			echo "RESULT same $name ok=0" >>"$qresults"
		fi
	done
	qcmd floor
	log "bench: process floor: kontroll orders on an empty store, $qruns runs ($timer)"
	measure floor "$qruns" 1 "${cmd[@]}"
	echo "RESULT size after bytes=$(size_of "$db")" >>"$qresults"
	"$snapinfo" "$db" | sed 's/^SNAPSHOT /RESULT snapshot /' >>"$qresults"

	fstype=$(df -T "$work" | awk 'NR == 2 { print $1 " (" $2 ")" }')
	load_end=$(cut -d' ' -f1-3 /proc/loadavg)
	local timer_text="date +%s%N around each run"
	[ "$timer" != hyperfine ] || timer_text="$(hyperfine --version) (-N: no shell; output to /dev/null)"
	awk -v qruns="$qruns" -v fruns="$fruns" -v middle="$middle" -v timer="$timer_text" \
	    -v elapsed=$(($(date +%s) - q_start)) \
	    -v machine="$(nproc) cores ($cpu), Linux $(uname -r), data on $fstype" \
	    -v load="load average at start $load_start, at end $load_end" '
function median(key,    n, i, j, t, a) {
	n = cnt[key]
	if (n == 0) return -1
	for (i = 1; i <= n; i++) a[i] = vals[key, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function ms(v) { return v < 100 ? sprintf("%.1f", v) : k(v) }
function rng(key,    n, i, lo, hi) {
	n = cnt[key]; if (n < 2) return ""
	lo = hi = vals[key, 1]
	for (i = 2; i <= n; i++) { if (vals[key, i] < lo) lo = vals[key, i]; if (vals[key, i] > hi) hi = vals[key, i] }
	return ms(lo) "–" ms(hi)
}
function yn(ok) { return ok ? "yes" : "NO" }
function k(v,    s, r) {
	s = sprintf("%.0f", v); r = ""
	while (length(s) > 3 && substr(s, length(s) - 3, 1) ~ /[0-9]/) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return s r
}
function kv(from,    i, p) { delete f; for (i = from; i <= NF; i++) { split($i, p, "="); f[p[1]] = p[2] } }
$1 != "RESULT" { next }
$2 == "gen" { kv(3); for (x in f) gen[x] = f[x] }
$2 == "run" { kv(4); vals[$3, ++cnt[$3]] = f["ms"] }
$2 == "first" { kv(4); first[$3] = f["ms"]; rows[$3] = f["rows"] }
$2 == "size" { kv(4); size[$3] = f["bytes"] }
$2 == "same" { kv(4); same[$3] = f["ok"] }
$2 == "snapshot" { kv(4); snap[f["as_of"] == "now" ? "now" : "asof"] = f["bytes"] }
$2 == "snapshots" { kv(3); snaps = f["bytes"]; pages = f["pages"] }
END {
	printf "\nkontroll inspection queries — %s events over %s inspections, each query a whole process, --format csv > /dev/null\n",
	       k(gen["events"]), k(gen["inspections"])
	printf "log: written by gen_inspections in %.1f s (%s events/s), %.0f MB; recorded %s … %s; the middle event (%s) recorded %s\n",
	       gen["seconds"], k(gen["events_per_s"]), gen["file_bytes"] / 1e6, gen["first_date"], gen["last_date"],
	       k(int((gen["events"] + 1) / 2)), gen["middle_date"]
	printf "     lifecycles gave %s events, %s status reports added, %s steps dropped; %s findings, %s orders; %s inspections closed, %s transferred\n",
	       k(gen["natural"]), k(gen["added"]), k(gen["dropped"]), k(gen["findings"]), k(gen["orders"]), k(gen["closed"]), k(gen["transferred"])
	printf "timer: %s; with snapshots: median of %d runs after the run that saves the snapshot; full replay (--no-snapshots): median of %d runs after a warm-up\n",
	       timer, qruns, fruns
	printf "machine: %s\n%s\n\n", machine, load

	printf "    %-36s %7s  %9s  %-22s %-22s %8s  %s\n", "query", "rows", "first run", "with snapshot, ms", "full replay, ms", "full /", "≤ 100 ms with"
	printf "    %-36s %7s  %9s  %-22s %-22s %8s  %s\n", "", "", "ms", "median [range]", "median [range]", "snapshot", "snapshot?"
	split("orders asof inspections", q, " ")
	label["orders"] = "kontroll orders"; label["asof"] = "kontroll orders --as-of " middle; label["inspections"] = "kontroll inspections"
	for (i = 1; i <= 3; i++) {
		s = median(q[i] "/snapshot"); u = median(q[i] "/full")
		ratio[q[i]] = u / s; ok[q[i]] = s <= 100; med[q[i]] = s
		printf "    %-36s %7s  %9s  %-22s %-22s %7.1fx  %s\n", label[q[i]], k(rows[q[i]]), k(first[q[i]]),
		       ms(s) " [" rng(q[i] "/snapshot") "]", ms(u) " [" rng(q[i] "/full") "]", ratio[q[i]], yn(ok[q[i]])
	}
	printf "    %-36s %7s  %9s  %-22s\n", "process floor: orders, empty store", "0", "", ms(median("floor")) " [" rng("floor") "]"
	printf "    (first run: replays the whole log and saves the snapshot; inspections starts from the one orders saved)\n"
	printf "    same output with and without snapshots: orders %s, --as-of %s, inspections %s\n\n",
	       yn(same["orders"]), yn(same["asof"]), yn(same["inspections"])
	printf "Snapshots (exact value sizes): current view %.1f MB, as of %s %.1f MB; %s pages in the snapshots table\n",
	       snap["now"] / 1e6, middle, snap["asof"] / 1e6, k(pages)
	printf "Store file (kontroll info): %.1f MB before the queries, %.1f MB after (+%.1f MB)\n\n",
	       size["before"] / 1e6, size["after"] / 1e6, (size["after"] - size["before"]) / 1e6
	printf "Targets: ≤ 100 ms with snapshots: orders %s (%s ms), --as-of %s (%s ms), inspections %s (%s ms) | full replay / snapshot: %.1fx, %.1fx, %.1fx\n",
	       yn(ok["orders"]), ms(med["orders"]), yn(ok["asof"]), ms(med["asof"]), yn(ok["inspections"]), ms(med["inspections"]),
	       ratio["orders"], ratio["asof"], ratio["inspections"]
	printf "bench: inspection queries %d s\n", elapsed
}' "$qresults"
	log "bench: raw results in $qresults"
}

# ======================================================== incident queries

# icmd NAME : the command line of incident query NAME, into the array cmd.
icmd() {
	case $1 in
	stats) cmd=("$kontroll" incidents stats --db "$idb" --year 2025) ;;
	open) cmd=("$kontroll" incidents --db "$idb" --status open --as-of 2025-12-31 --format csv) ;;
	floor) cmd=("$kontroll" incidents stats --db "$iempty" --year 2025) ;;
	esac
}

incident_bench() {
	# measure and first write their RESULT lines to $qresults.
	local qresults=$iresults idb="$work/incidents.db" iempty="$work/incidents-empty.db"
	local f name q_start load_start load_end fstype t0 t1 events y n_years=0
	local year_args=()
	for f in "$kontroll" "$snapinfo"; do
		[ -x "$f" ] || { log "bench.sh: $f not built (make $f)"; exit 1; }
	done
	: >"$qresults"
	pick_timer
	q_start=$(date +%s)
	load_start=$(cut -d' ' -f1-3 /proc/loadavg)
	for y in $inc_years; do
		year_args+=(--year "$y")
		n_years=$((n_years + 1))
	done
	"$kontroll" init --db "$idb" >/dev/null
	"$kontroll" init --db "$iempty" >/dev/null
	log "bench: incident queries: generating $n_years years × $inc_count incidents (seed $seed)"
	t0=$(date +%s%N)
	"$kontroll" generate incidents --db "$idb" "${year_args[@]}" --count "$inc_count" \
		--seed "$seed" >"$work/generate.out" || { log "bench.sh: kontroll generate failed"; exit 1; }
	t1=$(date +%s%N)
	events=$("$kontroll" info --db "$idb" --format json | sed -n 's/.*"events":\([0-9]*\).*/\1/p')
	awk -v ns=$((t1 - t0)) -v events="$events" -v incidents=$((n_years * inc_count)) \
	    -v years="$n_years" -v bytes="$(size_of "$idb")" '
		/written in/ { gsub(/[()]/, ""); r = $5; if (lo == "" || r < lo) lo = r; if (r > hi) hi = r }
		END { printf "RESULT igen events=%d incidents=%d years=%d seconds=%.3f events_per_s=%.0f year_lo=%s year_hi=%s file_bytes=%s\n",
		      events, incidents, years, ns / 1e9, events / (ns / 1e9), lo, hi, bytes }' \
		"$work/generate.out" >>"$qresults"
	grep -E '^[0-9]{4} |open at the end|personvern|Datatilsynet' "$work/generate.out" | tail -n 5 >&2

	# With snapshots: stats saves the one for as of the end of 2025; the
	# listing (--as-of 2025-12-31 is the end of that day) starts from it.
	for name in stats open; do
		icmd "$name"
		log "bench: incidents $name: the first run, then $qruns runs with the snapshot ($timer)"
		first "$name" "$work/$name-first.out" "${cmd[@]}"
		measure "$name/snapshot" "$qruns" 0 "${cmd[@]}"
		"${cmd[@]}" >"$work/$name-snapshot.out"
	done
	for name in stats open; do
		icmd "$name"
		log "bench: incidents $name --no-snapshots: $fruns runs after a warm-up ($timer)"
		measure "$name/full" "$fruns" 1 "${cmd[@]}" --no-snapshots
		"${cmd[@]}" --no-snapshots >"$work/$name-full.out"
		if cmp -s "$work/$name-full.out" "$work/$name-snapshot.out"; then
			echo "RESULT same $name ok=1" >>"$qresults"
		else
			echo "RESULT same $name ok=0" >>"$qresults"
		fi
	done
	icmd floor
	log "bench: process floor: kontroll incidents stats on an empty store, $qruns runs ($timer)"
	measure floor "$qruns" 1 "${cmd[@]}"
	"$snapinfo" "$idb" | sed 's/^SNAPSHOT /RESULT snapshot /' >>"$qresults"

	fstype=$(df -T "$work" | awk 'NR == 2 { print $1 " (" $2 ")" }')
	load_end=$(cut -d' ' -f1-3 /proc/loadavg)
	local timer_text="date +%s%N around each run"
	[ "$timer" != hyperfine ] || timer_text="$(hyperfine --version) (-N: no shell; output to /dev/null)"
	awk -v qruns="$qruns" -v fruns="$fruns" -v timer="$timer_text" -v yrs="$inc_years" \
	    -v elapsed=$(($(date +%s) - q_start)) \
	    -v machine="$(nproc) cores ($cpu), Linux $(uname -r), data on $fstype" \
	    -v load="load average at start $load_start, at end $load_end" '
function median(key,    n, i, j, t, a) {
	n = cnt[key]
	if (n == 0) return -1
	for (i = 1; i <= n; i++) a[i] = vals[key, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function ms(v) { return v < 100 ? sprintf("%.1f", v) : k(v) }
function rng(key,    n, i, lo, hi) {
	n = cnt[key]; if (n < 2) return ""
	lo = hi = vals[key, 1]
	for (i = 2; i <= n; i++) { if (vals[key, i] < lo) lo = vals[key, i]; if (vals[key, i] > hi) hi = vals[key, i] }
	return ms(lo) "–" ms(hi)
}
function yn(ok) { return ok ? "yes" : "NO" }
function k(v,    s, r) {
	s = sprintf("%.0f", v); r = ""
	while (length(s) > 3 && substr(s, length(s) - 3, 1) ~ /[0-9]/) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return s r
}
function kv(from,    i, p) { delete f; for (i = from; i <= NF; i++) { split($i, p, "="); f[p[1]] = p[2] } }
$1 != "RESULT" { next }
$2 == "igen" { kv(3); for (x in f) gen[x] = f[x] }
$2 == "run" { kv(4); vals[$3, ++cnt[$3]] = f["ms"] }
$2 == "first" { kv(4); first[$3] = f["ms"]; rows[$3] = f["rows"] }
$2 == "same" { kv(4); same[$3] = f["ok"] }
$2 == "snapshot" { kv(4); snap[$3] += f["bytes"]; nsnap[$3]++ }
END {
	n = split(yrs, y, " ")
	printf "\nkontroll incident queries — %s incidents (%s years, %s … %s) in %s events, each query a whole process, stdout > /dev/null\n",
	       k(gen["incidents"]), gen["years"], y[1], y[n], k(gen["events"])
	printf "log: written by kontroll generate incidents in %.1f s (%s events/s; the years %s–%s events/s each), %.0f MB\n",
	       gen["seconds"], k(gen["events_per_s"]), k(gen["year_lo"]), k(gen["year_hi"]), gen["file_bytes"] / 1e6
	printf "timer: %s; with snapshots: median of %d runs after the run that saves the snapshot; full replay (--no-snapshots): median of %d runs after a warm-up\n",
	       timer, qruns, fruns
	printf "machine: %s\n%s\n\n", machine, load

	printf "    %-58s %7s  %9s  %-22s %-22s %8s  %s\n", "query", "rows", "first run", "with snapshot, ms", "full replay, ms", "full /", "≤ 150 ms with"
	printf "    %-58s %7s  %9s  %-22s %-22s %8s  %s\n", "", "", "ms", "median [range]", "median [range]", "snapshot", "snapshot?"
	split("stats open", q, " ")
	label["stats"] = "kontroll incidents stats --year 2025"
	label["open"] = "kontroll incidents --status open --as-of 2025-12-31 --format csv"
	for (i = 1; i <= 2; i++) {
		s = median(q[i] "/snapshot"); u = median(q[i] "/full")
		ratio[q[i]] = u / s; ok[q[i]] = s <= 150; med[q[i]] = s
		printf "    %-58s %7s  %9s  %-22s %-22s %7.1fx  %s\n", label[q[i]], q[i] == "open" ? k(rows[q[i]]) : "", k(first[q[i]]),
		       ms(s) " [" rng(q[i] "/snapshot") "]", ms(u) " [" rng(q[i] "/full") "]", ratio[q[i]], yn(ok[q[i]])
	}
	printf "    %-58s %7s  %9s  %-22s\n", "process floor: incidents stats, empty store", "", "", ms(median("floor")) " [" rng("floor") "]"
	printf "    (first run: replays the whole log as of the end of 2025 and saves the snapshot; the listing starts from it)\n"
	printf "    same output with and without snapshots: stats %s, open %s\n\n", yn(same["stats"]), yn(same["open"])
	printf "Snapshots (exact value sizes): incidents %.1f MB in %d\n\n", snap["incidents"] / 1e6, nsnap["incidents"]
	printf "Targets: ≤ 150 ms with snapshots: stats %s (%s ms), open %s (%s ms) | full replay / snapshot: %.1fx, %.1fx\n",
	       yn(ok["stats"]), ms(med["stats"]), yn(ok["open"]), ms(med["open"]), ratio["stats"], ratio["open"]
	printf "bench: incident queries %d s\n", elapsed
}' "$qresults"
	log "bench: raw results in $qresults"
}

# ================================================================ evidence

# etime NAME CMD… : one whole process timed by date +%s%N; stdout to
# $eout, a RESULT line with its seconds.
etime() {
	local name=$1 t0 t1
	shift
	t0=$(date +%s%N)
	"$@" >"$eout" || { log "bench.sh: $* failed"; exit 1; }
	t1=$(date +%s%N)
	awk -v name="$name" -v ns=$((t1 - t0)) 'BEGIN { printf "RESULT time %s s=%.3f\n", name, ns / 1e9 }' >>"$eresults"
}

evidence_bench() {
	local edb="$work/evidence.db" efile="$work/evidence.jsonl" eimp="$work/evidence-import.db"
	local eout="$work/evidence.out" scan="$build/bench/scan_raw"
	local f y i q_start load_start load_end fstype year_args=() n_years=0 events head
	for f in "$kontroll" "$scan"; do
		[ -x "$f" ] || { log "bench.sh: $f not built (make $f)"; exit 1; }
	done
	: >"$eresults"
	q_start=$(date +%s)
	load_start=$(cut -d' ' -f1-3 /proc/loadavg)
	for y in $ev_years; do
		year_args+=(--year "$y")
		n_years=$((n_years + 1))
	done
	"$kontroll" init --db "$edb" >/dev/null
	log "bench: evidence: generating $n_years years × $ev_count incidents (seed $seed)"
	"$kontroll" generate incidents --db "$edb" "${year_args[@]}" --count "$ev_count" \
		--seed "$seed" --quiet || { log "bench.sh: kontroll generate failed"; exit 1; }
	events=$("$kontroll" info --db "$edb" --format json | sed -n 's/.*"events":\([0-9]*\).*/\1/p')
	head=$("$kontroll" info --db "$edb" --format json | sed -n 's/.*"chain_head":"\([0-9a-f]*\)".*/\1/p')
	echo "RESULT log events=$events years=$n_years bytes=$(size_of "$edb")" >>"$eresults"

	for ((i = 1; i <= ev_runs; i++)); do
		log "bench: evidence: round $i/$ev_runs: raw scans, verify, export, verify-export, import"
		etime scan "$scan" "$edb"
		[ "$i" -gt 1 ] || sed 's/^RESULT scan /RESULT scanned /' "$eout" >>"$eresults"
		etime chain "$scan" "$edb" --chain
		grep -q "head=$head\$" "$eout" || { log "bench.sh: scan_raw --chain gave another head"; exit 1; }
		etime verify "$kontroll" verify --db "$edb"
		etime export sh -c '"$1" export --db "$2" >"$3"' sh "$kontroll" "$edb" "$efile"
		etime verify-export "$kontroll" verify-export "$efile"
		grep -q "chain head $head;" "$eout" || { log "bench.sh: verify-export gave another head"; exit 1; }
		rm -f "$eimp" "$eimp-lock"
		"$kontroll" init --db "$eimp" >/dev/null
		sync
		etime import "$kontroll" import "$efile" --db "$eimp"
	done
	echo "RESULT file bytes=$(stat -c %s "$efile")" >>"$eresults"
	if "$kontroll" export --db "$eimp" | cmp -s - "$efile"; then
		echo "RESULT same ok=1" >>"$eresults"
	else
		echo "RESULT same ok=0" >>"$eresults"
	fi
	rm -f "$efile" "$eimp" "$eimp-lock"

	fstype=$(df -T "$work" | awk 'NR == 2 { print $1 " (" $2 ")" }')
	load_end=$(cut -d' ' -f1-3 /proc/loadavg)
	awk -v runs="$ev_runs" -v yrs="$ev_years" -v elapsed=$(($(date +%s) - q_start)) \
	    -v machine="$(nproc) cores ($cpu), Linux $(uname -r), data on $fstype" \
	    -v load="load average at start $load_start, at end $load_end" '
function median(key,    n, i, j, t, a) {
	n = cnt[key]
	if (n == 0) return -1
	for (i = 1; i <= n; i++) a[i] = vals[key, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function rng(key,    n, i, lo, hi) {
	n = cnt[key]; if (n < 2) return ""
	lo = hi = vals[key, 1]
	for (i = 2; i <= n; i++) { if (vals[key, i] < lo) lo = vals[key, i]; if (vals[key, i] > hi) hi = vals[key, i] }
	return sprintf("%.2f–%.2f", lo, hi)
}
function yn(ok) { return ok ? "yes" : "NO" }
function k(v,    s, r) {
	s = sprintf("%.0f", v); r = ""
	while (length(s) > 3 && substr(s, length(s) - 3, 1) ~ /[0-9]/) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return s r
}
function kv(from,    i, p) { delete f; for (i = from; i <= NF; i++) { split($i, p, "="); f[p[1]] = p[2] } }
$1 != "RESULT" { next }
$2 == "log" { kv(3); events = f["events"]; years = f["years"]; store = f["bytes"] }
$2 == "scanned" { kv(3); env = f["envelope_bytes"] }
$2 == "time" { kv(4); vals[$3, ++cnt[$3]] = f["s"] }
$2 == "file" { kv(3); file = f["bytes"] }
$2 == "same" { kv(3); same = f["ok"] }
END {
	n = split(yrs, y, " ")
	printf "\nkontroll evidence — export, verify-export and import of %s events (%s years of generated incidents, %s … %s), each a whole process\n",
	       k(events), years, y[1], y[n]
	printf "store %.0f MB, envelopes %.0f MB (%.0f bytes each on average), export file %.0f MB (%.0f bytes a line)\n",
	       store / 1e6, env / 1e6, env / events, file / 1e6, file / (events + 1)
	printf "timer: date +%%s%%N around each run, median of %d runs [range]; export writes its file to the same disk, the others print a line\n", runs
	printf "machine: %s\n%s\n\n", machine, load
	printf "    %-52s %-21s %10s %9s %11s\n", "", "seconds [range]", "events/s", "µs/event", "× raw scan"
	split("scan chain verify export verify-export import", c, " ")
	label["scan"] = "raw scan: kt_iter_next_raw, no JSON (the baseline)"
	label["chain"] = "raw scan + hash chain (scan_raw --chain)"
	label["verify"] = "kontroll verify (chain and every index)"
	label["export"] = "kontroll export > FILE"
	label["verify-export"] = "kontroll verify-export FILE"
	label["import"] = "kontroll import FILE (into an empty store)"
	base = median("scan")
	for (i = 1; i <= 6; i++) {
		t = median(c[i])
		printf "    %-52s %-21s %10s %9.2f %10.1fx\n", label[c[i]], sprintf("%.2f%s", t, runs > 1 ? " [" rng(c[i]) "]" : ""),
		       k(events / t), 1e6 * t / events, t / base
	}
	printf "\n    export → import → export gives the same bytes: %s\n", yn(same)
	printf "bench: evidence %d s\n", elapsed
}' "$eresults"
	log "bench: raw results in $eresults"
}

if want storage; then
	storage_bench
fi
if want inspections; then
	inspection_bench
fi
if want incidents; then
	incident_bench
fi
if want evidence; then
	evidence_bench
fi
log "bench: $(($(date +%s) - bench_start)) s in all"
