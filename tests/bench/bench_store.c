/*
 * bench_store.c — the storage benchmark of kontroll against its baselines.
 *
 * One program, one measurement per process, so that the peak memory each
 * case reports (getrusage ru_maxrss, and RssAnon from /proc/self/status) is
 * its own. scripts/bench.sh runs the cases in sequence and prints the summary.
 *
 *   bench_store append-api    DIR N      (a) batched append through kt_store_append
 *   bench_store append-lmdb   DIR N      (a) raw LMDB MDB_APPEND puts, same bytes
 *   bench_store append-sqlite DIR N      (a) SQLite, same rows, WAL, synchronous=FULL
 *   bench_store single-api    DIR COUNT  (b) one event per synced append
 *   bench_store single-lmdb   DIR COUNT  (b) one raw LMDB synced commit per event
 *   bench_store single-sqlite DIR COUNT  (b) one SQLite commit per event (reference)
 *   bench_store single-fsync  DIR COUNT  (b) write(2) + fsync(2) of the same bytes
 *   bench_store append-layout DIR N, single-layout DIR COUNT   diagnostics for (a)
 *                                        and (b): kontroll's layout (events, streams,
 *                                        ids, meta) written by raw LMDB from prepared
 *                                        bytes, no kontroll code in the timed region
 *   bench_store append-layout5 DIR N, single-layout5 DIR COUNT   the same for the
 *                                        five-table layout of DESIGN.md (events, chain,
 *                                        streams, heads, ids), which kontroll used before
 *   bench_store replay-api    DIR N      (c) kt_iter_log over the log, every envelope decoded
 *   bench_store replay-lmdb   DIR N      (c) raw cursor scan + msgpack_unpack_next
 *   bench_store replay-sqlite DIR N      (c) SELECT … ORDER BY position + kt_event_decode
 *   bench_store scan-api|scan-lmdb|scan-sqlite DIR N   diagnostics for (c): the
 *                                        storage read alone, values touched, no decode
 *   bench_store uuid          COUNT      per-call cost of id generators
 *   bench_store info                     library versions
 *
 * The replay cases read the files the append cases of the same DIR wrote.
 *
 * Workload. Event i (0-based, global) carries a msgpack map shaped like an
 * inspection finding — kind, finding number, unit, law, theme, deadline,
 * text — picked deterministically from i: 175–267 bytes, 217 on average
 * (~300-byte envelopes; both printed). Batch k holds events k*1000 …
 * k*1000+999 and goes to the new stream "inspection-<k>" with expected
 * version KT_VERSION_NONE, so a million events make 1,000 streams of 1,000
 * versions each (one append carries one stream, so a batch is a stream).
 * Event type "inspection.finding", actor "bench", no correlation/causation,
 * effective time left to the store, ids left nil so the store generates them.
 * Single appends (b): event j goes to stream "inspection-<j % 100>" with its
 * exact expected version, as a command adding to an existing case would; the
 * first 50 commits are warm-up and not counted.
 *
 * Fairness. Only the storage call is timed: building the payloads is the
 * caller's work and is excluded for every implementation. The API is timed
 * around kt_store_append, which includes generating the ids, encoding and
 * validating the envelopes, the hash chain, the writes to the log and its two
 * indexes (streams, ids), the stream count of a new stream, and the commit.
 * The peers get the same envelope bytes pre-encoded (ids from kt_id_generate,
 * kt_event_encode) outside the timed region, so they measure storage only —
 * the strictest comparison for kontroll; the cost of that preparation is
 * printed separately (prep_us_per_event). All three commit durably: LMDB
 * with its default sync (no MDB_NOSYNC/NOMETASYNC, as kontroll's default
 * durable mode), SQLite in WAL mode with synchronous=FULL (the WAL is
 * fsynced at every commit; NORMAL would not be durable).
 *
 * Replay (c) runs on a warm page cache (the files were just written) in a
 * fresh process, so the mapped file's pages are faulted in during the run.
 *
 * Memory. ru_maxrss counts the mapped file's pages the process touched, so it
 * grows with the file by design; RssAnon (sampled from /proc/self/status
 * every 50,000 events and at the end; LMDB and malloc keep freed memory
 * resident, so the sample after a commit sees the transaction's peak) is the
 * heap and must stay flat. Both are printed.
 *
 * BENCH_NOSYNC=1 turns every commit unsynced (a diagnostic, see nosync).
 *
 * Output: one machine-readable line per case,
 *   RESULT <case> <impl> key=value …
 * rates in events per second, latencies in microseconds, memory in KiB.
 */
#define _POSIX_C_SOURCE 200809L
#include "kontroll/buf.h"
#include "kontroll/chain.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"
#include "kontroll/store.h"

#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <msgpack.h>
#include <nettle/version.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#define BATCH	       1000
#define RAW_MAPSIZE    ((size_t)16 << 30) /* raw LMDB: never grows during a run */
#define RSS_EVERY      50000		  /* sample /proc/self/status every … events */
#define SINGLE_WARMUP  50
#define SINGLE_STREAMS 100

static const char EV_TYPE[] = "inspection.finding";
static const char EV_ACTOR[] = "bench";

/* BENCH_NOSYNC=1: a diagnostic, never the comparison — no commit is synced
 * (kontroll durable=0, MDB_NOSYNC, synchronous=OFF), which separates the CPU
 * cost of a case from the time it waits for the disk. */
static int nosync;

/* ---------------------------------------------------------------- helpers */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_store: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void check_kt(int rc, const char *what)
{
	if (rc)
		die("%s: %s (%d)", what, kt_strerror(rc), rc);
}

static void check_mdb(int rc, const char *what)
{
	if (rc)
		die("%s: %s", what, mdb_strerror(rc));
}

static void check_sql(sqlite3 *db, int rc, int want, const char *what)
{
	if (rc != want)
		die("%s: %s", what, sqlite3_errmsg(db));
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void path_join(char *out, size_t n, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, n, "%s/%s", dir, name) >= n)
		die("path too long: %s/%s", dir, name);
}

static uint64_t file_bytes(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static uint64_t splitmix(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* -------------------------------------------------------------- memory */

struct mem {
	long anon_kb, file_kb, hwm_kb; /* current RssAnon, RssFile; VmHWM */
	long anon_peak_kb;	       /* largest RssAnon seen by sampling */
};

static long status_field(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static void mem_sample(struct mem *m)
{
	char text[4096];
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = 0;
	m->anon_kb = status_field(text, "RssAnon:");
	m->file_kb = status_field(text, "RssFile:");
	m->hwm_kb = status_field(text, "VmHWM:");
	if (m->anon_kb > m->anon_peak_kb)
		m->anon_peak_kb = m->anon_kb;
}

static void print_mem(struct mem *m)
{
	struct rusage ru;
	mem_sample(m);
	getrusage(RUSAGE_SELF, &ru);
	printf(" maxrss_kb=%ld rss_anon_kb=%ld rss_anon_peak_kb=%ld rss_file_kb=%ld", ru.ru_maxrss,
	       m->anon_kb, m->anon_peak_kb, m->file_kb);
}

/* ------------------------------------------------------------- workload */

static const char *const KINDS[] = { "lovbrudd", "avvik", "merknad", "forbedringspunkt" };
static const char *const UNITS[] = {
	"Hjemmetjenesten sone nord",
	"Sykehjem avdeling 2",
	"Barneskolen i sentrum",
	"NAV kommune",
	"Legevakten",
	"Barnehagen Solsikken",
	"Teknisk drift, vann og avløp",
	"Psykisk helse og rus",
};
static const char *const LAWS[] = {
	"helse- og omsorgstjenesteloven § 4-1",
	"forskrift om ledelse og kvalitetsforbedring § 6",
	"opplæringsloven § 9 A-4",
	"arbeidsmiljøloven § 3-1",
	"personopplysningsloven art. 32",
	"forurensningsforskriften § 15-6",
};
static const char *const THEMES[] = { "internkontroll", "legemiddelhåndtering", "skolemiljø",
				      "informasjonssikkerhet", "HMS" };
static const char *const TEXTS[] = {
	"Kommunen sikrer ikke at ansatte har nødvendig opplæring i rutinene",
	"Avvik blir ikke systematisk fulgt opp og brukt til forbedring",
	"Det mangler skriftlig risikovurdering for tjenesten",
	"Journalføringen er mangelfull for flere av brukerne i utvalget",
	"Tilgangsstyringen til fagsystemet er ikke dokumentert",
};

static void pack_cstr(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* A batch: payloads packed back to back in one buffer, events pointing at them,
 * and (for the peers) the encoded envelopes back to back in another. */
struct batch {
	msgpack_sbuffer payloads;
	size_t pay_off[BATCH], pay_len[BATCH];
	struct kt_event ev[BATCH];
	uint8_t *env; /* encoded envelopes */
	size_t env_cap;
	size_t env_off[BATCH], env_len[BATCH];
	/* For the layout diagnostics only: the chain hashes (the five-table
	 * layout's chain table), and the log values kontroll writes, each the
	 * chain hash followed by the envelope, back to back. */
	uint8_t prev[KT_HASH_LEN]; /* the chain hash before the first event */
	uint8_t hash[BATCH][KT_HASH_LEN];
	uint8_t *val;
	size_t val_cap;
	size_t val_off[BATCH], val_len[BATCH];
	char stream[64];
	size_t n;
};

static void batch_init(struct batch *b)
{
	memset(b, 0, sizeof *b);
	msgpack_sbuffer_init(&b->payloads);
	b->env_cap = b->val_cap = (size_t)BATCH * 512;
	if (!(b->env = malloc(b->env_cap)) || !(b->val = malloc(b->val_cap)))
		die("out of memory");
}

static void batch_free(struct batch *b)
{
	msgpack_sbuffer_destroy(&b->payloads);
	free(b->env);
	free(b->val);
}

/* Make room for need bytes in *buf of capacity *cap. */
static void reserve(uint8_t **buf, size_t *cap, size_t need)
{
	while (need > *cap) {
		*cap *= 2;
		if (!(*buf = realloc(*buf, *cap)))
			die("out of memory");
	}
}

/* Fill b with events first … first+n-1 of the workload, as the API wants them:
 * ids nil, effective unset, stream and version left to the store. */
static void batch_make(struct batch *b, uint64_t first, size_t n, const char *stream)
{
	msgpack_sbuffer_clear(&b->payloads);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &b->payloads, msgpack_sbuffer_write);
	char text[256], deadline[16];
	for (size_t i = 0; i < n; i++) {
		uint64_t gi = first + i, h = splitmix(gi);
		b->pay_off[i] = b->payloads.size;
		snprintf(text, sizeof text, "%s (sak %llu, punkt %u).", TEXTS[h % 5],
			 (unsigned long long)(gi / 7 + 1), (unsigned)(h >> 8) % 12 + 1);
		snprintf(deadline, sizeof deadline, "2026-%02u-%02u", (unsigned)(h >> 16) % 12 + 1,
			 (unsigned)(h >> 24) % 28 + 1);
		msgpack_pack_map(&pk, 7);
		pack_cstr(&pk, "kind");
		pack_cstr(&pk, KINDS[(h >> 32) % 4]);
		pack_cstr(&pk, "finding");
		msgpack_pack_uint64(&pk, gi % 50 + 1);
		pack_cstr(&pk, "unit");
		pack_cstr(&pk, UNITS[(h >> 36) % 8]);
		pack_cstr(&pk, "law");
		pack_cstr(&pk, LAWS[(h >> 40) % 6]);
		pack_cstr(&pk, "theme");
		pack_cstr(&pk, THEMES[(h >> 44) % 5]);
		pack_cstr(&pk, "deadline");
		pack_cstr(&pk, deadline);
		pack_cstr(&pk, "text");
		pack_cstr(&pk, text);
		b->pay_len[i] = b->payloads.size - b->pay_off[i];
	}
	for (size_t i = 0; i < n; i++) {
		struct kt_event *ev = &b->ev[i];
		memset(ev, 0, sizeof *ev);
		ev->type = EV_TYPE;
		ev->type_len = sizeof EV_TYPE - 1;
		ev->actor = EV_ACTOR;
		ev->actor_len = sizeof EV_ACTOR - 1;
		ev->effective = KT_TIME_UNSET;
		ev->data = (const uint8_t *)b->payloads.data + b->pay_off[i];
		ev->data_len = b->pay_len[i];
	}
	snprintf(b->stream, sizeof b->stream, "%s", stream);
	b->n = n;
}

/* What the store would write: give every event an id, stream, version
 * (first_version …), recorded and effective time, and encode the envelopes;
 * with_hash: also extend a hash chain over them (one chain per process, as
 * every case writes one log) and build the log values hash ‖ envelope. */
static void batch_encode(struct batch *b, uint64_t first_version, uint64_t first_position,
			 int with_hash)
{
	static uint8_t prev[KT_HASH_LEN];
	struct kt_buf scratch = KT_BUF_INIT(KT_ENVELOPE_MAX);
	int64_t now = kt_time_now();
	size_t used = 0, vused = 0;
	memcpy(b->prev, prev, KT_HASH_LEN);
	for (size_t i = 0; i < b->n; i++) {
		struct kt_event *ev = &b->ev[i];
		check_kt(kt_id_generate(ev->id), "kt_id_generate");
		ev->stream = b->stream;
		ev->stream_len = strlen(b->stream);
		ev->version = first_version + i;
		ev->recorded = now;
		ev->effective = now;
		ev->position = first_position + i;
		kt_buf_reset(&scratch);
		check_kt(kt_event_encode(ev, &scratch), "kt_event_encode");
		reserve(&b->env, &b->env_cap, used + scratch.len);
		memcpy(b->env + used, scratch.data, scratch.len);
		if (with_hash) {
			kt_chain_next(prev, ev->position, scratch.data, scratch.len, b->hash[i]);
			memcpy(prev, b->hash[i], KT_HASH_LEN);
			reserve(&b->val, &b->val_cap, vused + KT_HASH_LEN + scratch.len);
			memcpy(b->val + vused, b->hash[i], KT_HASH_LEN);
			memcpy(b->val + vused + KT_HASH_LEN, scratch.data, scratch.len);
			b->val_off[i] = vused;
			b->val_len[i] = KT_HASH_LEN + scratch.len;
			vused += b->val_len[i];
		}
		b->env_off[i] = used;
		b->env_len[i] = scratch.len;
		used += scratch.len;
	}
	kt_buf_free(&scratch);
}

static void stream_name(char *out, size_t n, uint64_t k)
{
	snprintf(out, n, "inspection-%llu", (unsigned long long)k);
}

/* ------------------------------------------------------ raw LMDB helpers */

static MDB_env *raw_open(const char *path, int readonly, MDB_dbi *dbi)
{
	MDB_env *env;
	MDB_txn *txn;
	check_mdb(mdb_env_create(&env), "mdb_env_create");
	check_mdb(mdb_env_set_maxdbs(env, 2), "mdb_env_set_maxdbs");
	check_mdb(mdb_env_set_mapsize(env, RAW_MAPSIZE), "mdb_env_set_mapsize");
	/* Same flags as kontroll's durable store: synced commits. */
	unsigned flags =
	    MDB_NOSUBDIR | MDB_NOTLS | (readonly ? MDB_RDONLY : 0) | (nosync ? MDB_NOSYNC : 0);
	check_mdb(mdb_env_open(env, path, flags, 0644), path);
	check_mdb(mdb_txn_begin(env, NULL, readonly ? MDB_RDONLY : 0, &txn), "mdb_txn_begin");
	check_mdb(mdb_dbi_open(txn, "events", readonly ? 0 : MDB_CREATE, dbi), "mdb_dbi_open");
	check_mdb(mdb_txn_commit(txn), "mdb_txn_commit");
	return env;
}

static void put_u64(uint8_t out[8], uint64_t v)
{
	for (int k = 0; k < 8; k++)
		out[k] = (uint8_t)(v >> (56 - 8 * k));
}

static uint64_t get_u64(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = (v << 8) | b[k];
	return v;
}

/*
 * Layout diagnostics: a store layout written with raw LMDB from bytes prepared
 * outside the timed region (ids, envelopes, chain hashes), with the same reads
 * per transaction as kontroll (the stream's head, the log's tail) and the
 * same put flags, but none of kontroll's code. Each is the storage limit of
 * its layout, as "lmdb" is the limit of a bare log: the gap from "layout" to
 * "lmdb" is what the layout costs, the gap from "api" to "layout" what
 * kontroll's code costs. "layout" also checks the head, tail and previous
 * chain hash it reads, so it writes exactly what kontroll would.
 */

static void raw_env_open(MDB_env **env, const char *path)
{
	check_mdb(mdb_env_create(env), "mdb_env_create");
	check_mdb(mdb_env_set_maxdbs(*env, 8), "mdb_env_set_maxdbs");
	check_mdb(mdb_env_set_mapsize(*env, RAW_MAPSIZE), "mdb_env_set_mapsize");
	check_mdb(
	    mdb_env_open(*env, path, MDB_NOSUBDIR | MDB_NOTLS | (nosync ? MDB_NOSYNC : 0), 0644),
	    path);
}

static void raw_dbs_open(MDB_env *env, const char *const *names, MDB_dbi *const *dbis, size_t n)
{
	MDB_txn *txn;
	check_mdb(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
	for (size_t k = 0; k < n; k++)
		check_mdb(mdb_dbi_open(txn, names[k], MDB_CREATE, dbis[k]), names[k]);
	check_mdb(mdb_txn_commit(txn), "mdb_txn_commit");
}

/*
 * "layout": kontroll's layout as src/store.c writes it — events (position →
 * chain hash ‖ envelope, MDB_APPEND), streams (stream ‖ 0x00 ‖ version →
 * position, a plain insert), ids (id → position, MDB_APPEND when the id sorts
 * last, else a plain insert), and the stream count in meta when a stream is
 * created. The head version is read from the stream's last key in streams,
 * the previous chain hash from the log's last value.
 */
static const char META_STREAMS[] = "streams";

struct layout {
	MDB_env *env;
	MDB_dbi events, streams, ids, snapshots, meta;
};

/* Open, and stamp a new file as kontroll does, so that `kontroll verify`
 * can check what the diagnostic wrote. */
static void layout_open(struct layout *r, const char *path)
{
	static const char *const names[] = { "events", "streams", "ids", "snapshots", "meta" };
	MDB_dbi *const dbis[] = { &r->events, &r->streams, &r->ids, &r->snapshots, &r->meta };
	static const char *const keys[] = { "format", "store_id", "created", META_STREAMS };
	uint8_t format[8], id[16], created[8], zero[8] = { 0 };
	const MDB_val vals[] = { { 8, format }, { 16, id }, { 8, created }, { 8, zero } };
	MDB_txn *txn;
	MDB_val k, v;
	raw_env_open(&r->env, path);
	raw_dbs_open(r->env, names, dbis, 5);
	check_mdb(mdb_txn_begin(r->env, NULL, 0, &txn), "mdb_txn_begin");
	k.mv_size = strlen(keys[0]);
	k.mv_data = (void *)keys[0];
	int rc = mdb_get(txn, r->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		put_u64(format, KT_STORE_FORMAT);
		put_u64(created, (uint64_t)kt_time_now());
		check_kt(kt_id_generate(id), "kt_id_generate");
		for (size_t i = 0; i < 4; i++) {
			k.mv_size = strlen(keys[i]);
			k.mv_data = (void *)keys[i];
			v = vals[i];
			check_mdb(mdb_put(txn, r->meta, &k, &v, 0), "put meta");
		}
	} else {
		check_mdb(rc, "mdb_get meta");
	}
	check_mdb(mdb_txn_commit(txn), "mdb_txn_commit");
}

/* The stream's head version: the version of its last key in streams. */
static uint64_t layout_head(struct layout *r, MDB_txn *txn, const char *stream, size_t slen)
{
	uint8_t key[KT_STREAM_MAX + 9];
	MDB_cursor *cur;
	MDB_val k, v;
	memcpy(key, stream, slen);
	key[slen] = 0;
	put_u64(key + slen + 1, UINT64_MAX);
	k.mv_size = slen + 9;
	k.mv_data = key;
	check_mdb(mdb_cursor_open(txn, r->streams, &cur), "mdb_cursor_open");
	int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_PREV);
	else if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return 0;
	check_mdb(rc, "mdb_cursor_get streams");
	if (k.mv_size == slen + 9 && memcmp(k.mv_data, key, slen + 1) == 0)
		return get_u64((const uint8_t *)k.mv_data + slen + 1);
	return 0;
}

static void layout_write(struct layout *r, const struct batch *b)
{
	MDB_txn *txn;
	MDB_cursor *log, *ids;
	MDB_val k, v;
	uint8_t skey[KT_STREAM_MAX + 9], prev[KT_HASH_LEN] = { 0 };
	size_t slen = strlen(b->stream);
	uint64_t tail = 0;
	int rc;

	check_mdb(mdb_txn_begin(r->env, NULL, 0, &txn), "mdb_txn_begin");
	uint64_t head = layout_head(r, txn, b->stream, slen);
	if (head + 1 != b->ev[0].version)
		die("layout: stream %s at version %llu, batch starts at %llu", b->stream,
		    (unsigned long long)head, (unsigned long long)b->ev[0].version);
	check_mdb(mdb_cursor_open(txn, r->events, &log), "mdb_cursor_open");
	check_mdb(mdb_cursor_open(txn, r->ids, &ids), "mdb_cursor_open");
	if ((rc = mdb_cursor_get(log, &k, &v, MDB_LAST)) == 0) {
		if (k.mv_size != 8 || v.mv_size < KT_HASH_LEN)
			die("layout: bad log entry");
		tail = get_u64(k.mv_data);
		memcpy(prev, v.mv_data, KT_HASH_LEN);
	} else if (rc != MDB_NOTFOUND) {
		check_mdb(rc, "mdb_cursor_get");
	}
	if (tail + 1 != b->ev[0].position || memcmp(prev, b->prev, KT_HASH_LEN) != 0)
		die("layout: log at %llu, batch starts at %llu, or another chain",
		    (unsigned long long)tail, (unsigned long long)b->ev[0].position);
	for (size_t i = 0; i < b->n; i++) {
		const struct kt_event *ev = &b->ev[i];
		uint8_t key[8];
		put_u64(key, ev->position);
		MDB_val pk = { 8, key }, lv = { b->val_len[i], b->val + b->val_off[i] };
		check_mdb(mdb_cursor_put(log, &pk, &lv, MDB_APPEND), "put events");
		memcpy(skey, b->stream, slen);
		skey[slen] = 0;
		put_u64(skey + slen + 1, ev->version);
		MDB_val sk = { slen + 9, skey }, ik = { 16, (void *)ev->id };
		check_mdb(mdb_put(txn, r->streams, &sk, &pk, MDB_NOOVERWRITE), "put streams");
		rc = mdb_cursor_put(ids, &ik, &pk, MDB_APPEND);
		if (rc == MDB_KEYEXIST)
			rc = mdb_put(txn, r->ids, &ik, &pk, MDB_NOOVERWRITE);
		check_mdb(rc, "put ids");
	}
	if (head == 0) {
		uint8_t count[8];
		MDB_val mk = { sizeof META_STREAMS - 1, (void *)META_STREAMS }, mv;
		rc = mdb_get(txn, r->meta, &mk, &mv);
		if (rc && rc != MDB_NOTFOUND)
			check_mdb(rc, "mdb_get meta");
		put_u64(count, (rc == 0 && mv.mv_size == 8 ? get_u64(mv.mv_data) : 0) + 1);
		mv.mv_size = 8;
		mv.mv_data = count;
		check_mdb(mdb_put(txn, r->meta, &mk, &mv, 0), "put meta");
	}
	mdb_cursor_close(ids);
	mdb_cursor_close(log);
	check_mdb(mdb_txn_commit(txn), "mdb_txn_commit");
}

/*
 * "layout5": the five-table layout of DESIGN.md, which kontroll wrote until
 * the layout above replaced it — the log and chain appended, the streams,
 * ids and heads indexes inserted, the tail's chain hash and the stream's
 * heads entry read per transaction.
 */
struct layout5 {
	MDB_env *env;
	MDB_dbi events, chain, streams, heads, ids;
};

static void layout5_open(struct layout5 *r, const char *path)
{
	static const char *const names[] = { "events", "chain", "streams", "heads", "ids" };
	MDB_dbi *const dbis[] = { &r->events, &r->chain, &r->streams, &r->heads, &r->ids };
	raw_env_open(&r->env, path);
	raw_dbs_open(r->env, names, dbis, 5);
}

static void layout5_write(struct layout5 *r, const struct batch *b)
{
	MDB_txn *txn;
	MDB_cursor *log, *chain;
	MDB_val k, v;
	uint8_t skey[KT_STREAM_MAX + 9], hv_bytes[8];
	size_t slen = strlen(b->stream);
	int rc;

	check_mdb(mdb_txn_begin(r->env, NULL, 0, &txn), "mdb_txn_begin");
	k.mv_size = slen;
	k.mv_data = (void *)b->stream;
	if ((rc = mdb_get(txn, r->heads, &k, &v)) && rc != MDB_NOTFOUND)
		check_mdb(rc, "mdb_get heads");
	check_mdb(mdb_cursor_open(txn, r->events, &log), "mdb_cursor_open");
	check_mdb(mdb_cursor_open(txn, r->chain, &chain), "mdb_cursor_open");
	if ((rc = mdb_cursor_get(log, &k, &v, MDB_LAST)) == 0)
		check_mdb(mdb_get(txn, r->chain, &k, &v), "mdb_get chain");
	else if (rc != MDB_NOTFOUND)
		check_mdb(rc, "mdb_cursor_get");
	for (size_t i = 0; i < b->n; i++) {
		const struct kt_event *ev = &b->ev[i];
		uint8_t key[8];
		put_u64(key, ev->position);
		MDB_val pk = { 8, key }, ev_v = { b->env_len[i], b->env + b->env_off[i] };
		MDB_val hv = { KT_HASH_LEN, (void *)b->hash[i] };
		check_mdb(mdb_cursor_put(log, &pk, &ev_v, MDB_APPEND), "put events");
		check_mdb(mdb_cursor_put(chain, &pk, &hv, MDB_APPEND), "put chain");
		memcpy(skey, b->stream, slen);
		skey[slen] = 0;
		put_u64(skey + slen + 1, ev->version);
		MDB_val sk = { slen + 9, skey }, ik = { 16, (void *)ev->id };
		check_mdb(mdb_put(txn, r->streams, &sk, &pk, MDB_NOOVERWRITE), "put streams");
		check_mdb(mdb_put(txn, r->ids, &ik, &pk, MDB_NOOVERWRITE), "put ids");
	}
	put_u64(hv_bytes, b->ev[b->n - 1].version);
	MDB_val hk = { slen, (void *)b->stream }, hv = { 8, hv_bytes };
	check_mdb(mdb_put(txn, r->heads, &hk, &hv, 0), "put heads");
	mdb_cursor_close(chain);
	mdb_cursor_close(log);
	check_mdb(mdb_txn_commit(txn), "mdb_txn_commit");
}

/* --------------------------------------------------------- SQLite helpers */

static sqlite3 *sql_open(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("sqlite3_open %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
	const char *setup = "PRAGMA journal_mode=WAL;"
			    "PRAGMA synchronous=FULL;"
			    "CREATE TABLE IF NOT EXISTS events("
			    " position INTEGER PRIMARY KEY,"
			    " id BLOB NOT NULL UNIQUE,"
			    " stream TEXT NOT NULL,"
			    " version INTEGER NOT NULL,"
			    " envelope BLOB NOT NULL,"
			    " UNIQUE(stream, version));";
	char *err = NULL;
	if (sqlite3_exec(db, setup, NULL, NULL, &err) != SQLITE_OK)
		die("sqlite setup: %s", err ? err : "?");
	if (nosync && sqlite3_exec(db, "PRAGMA synchronous=OFF;", NULL, NULL, &err) != SQLITE_OK)
		die("sqlite setup: %s", err ? err : "?");
	return db;
}

static sqlite3_stmt *sql_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	check_sql(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, sql);
	return st;
}

static void sql_run(sqlite3 *db, sqlite3_stmt *st)
{
	check_sql(db, sqlite3_step(st), SQLITE_DONE, sqlite3_sql(st));
	sqlite3_reset(st);
}

static void sql_insert(sqlite3 *db, sqlite3_stmt *ins, const struct batch *b, size_t i)
{
	const struct kt_event *ev = &b->ev[i];
	sqlite3_bind_int64(ins, 1, (sqlite3_int64)ev->position);
	sqlite3_bind_blob(ins, 2, ev->id, 16, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, ev->stream, (int)ev->stream_len, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, (sqlite3_int64)ev->version);
	sqlite3_bind_blob(ins, 5, b->env + b->env_off[i], (int)b->env_len[i], SQLITE_STATIC);
	sql_run(db, ins);
}

/* ------------------------------------------------------------ (a) append */

enum impl { IMPL_API, IMPL_LMDB, IMPL_SQLITE, IMPL_LAYOUT, IMPL_LAYOUT5 };
static const char *const IMPL_NAME[] = { "api", "lmdb", "sqlite", "layout", "layout5" };

static void append_case(enum impl impl, const char *dir, uint64_t n)
{
	char path[4096];
	kt_store *s = NULL;
	MDB_env *env = NULL;
	MDB_dbi dbi = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *begin = NULL, *commit = NULL;
	struct layout r3 = { 0 };
	struct layout5 r5 = { 0 };

	switch (impl) {
	case IMPL_LAYOUT:
		path_join(path, sizeof path, dir, "layout.lmdb");
		layout_open(&r3, path);
		break;
	case IMPL_LAYOUT5:
		path_join(path, sizeof path, dir, "layout5.lmdb");
		layout5_open(&r5, path);
		break;
	case IMPL_API:
		path_join(path, sizeof path, dir, "api.kontroll");
		check_kt(kt_store_create(&s), "kt_store_create");
		check_kt(kt_store_set_durable(s, !nosync), "kt_store_set_durable");
		check_kt(kt_store_open(s, path, KT_OPEN_CREATE), path);
		break;
	case IMPL_LMDB:
		path_join(path, sizeof path, dir, "raw.lmdb");
		env = raw_open(path, 0, &dbi);
		break;
	case IMPL_SQLITE:
		path_join(path, sizeof path, dir, "events.sqlite");
		db = sql_open(path);
		ins = sql_prepare(db, "INSERT INTO events(position, id, stream, version, envelope)"
				      " VALUES (?, ?, ?, ?, ?)");
		begin = sql_prepare(db, "BEGIN");
		commit = sql_prepare(db, "COMMIT");
		break;
	}

	struct batch *b = malloc(sizeof *b);
	if (!b)
		die("out of memory");
	batch_init(b);
	struct mem m = { 0 };
	mem_sample(&m);
	size_t nbatches = (size_t)((n + BATCH - 1) / BATCH);
	double *lat = malloc(nbatches * sizeof *lat);
	if (!lat)
		die("out of memory");
	double timed = 0, prep = 0, wall0 = now_s();
	uint64_t pay_bytes = 0, env_bytes = 0, done = 0, next_sample = RSS_EVERY;
	size_t pay_min = SIZE_MAX, pay_max = 0;

	for (size_t k = 0; k < nbatches; k++) {
		size_t cnt = (size_t)(n - done < BATCH ? n - done : BATCH);
		char stream[64];
		stream_name(stream, sizeof stream, k);
		batch_make(b, done, cnt, stream);
		for (size_t i = 0; i < cnt; i++) {
			pay_bytes += b->pay_len[i];
			pay_min = b->pay_len[i] < pay_min ? b->pay_len[i] : pay_min;
			pay_max = b->pay_len[i] > pay_max ? b->pay_len[i] : pay_max;
		}
		if (impl != IMPL_API) {
			double p0 = now_s();
			batch_encode(b, 1, done + 1, impl == IMPL_LAYOUT || impl == IMPL_LAYOUT5);
			prep += now_s() - p0;
			for (size_t i = 0; i < cnt; i++)
				env_bytes += b->env_len[i];
		}

		double t0 = now_s();
		if (impl == IMPL_API) {
			struct kt_append_result res;
			check_kt(kt_store_append(s, stream, KT_VERSION_NONE, b->ev, cnt, &res),
				 "kt_store_append");
		} else if (impl == IMPL_LAYOUT) {
			layout_write(&r3, b);
		} else if (impl == IMPL_LAYOUT5) {
			layout5_write(&r5, b);
		} else if (impl == IMPL_LMDB) {
			MDB_txn *txn;
			MDB_cursor *cur;
			check_mdb(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
			check_mdb(mdb_cursor_open(txn, dbi, &cur), "mdb_cursor_open");
			for (size_t i = 0; i < cnt; i++) {
				uint8_t key[8];
				put_u64(key, b->ev[i].position);
				MDB_val kv = { 8, key },
					vv = { b->env_len[i], b->env + b->env_off[i] };
				check_mdb(mdb_cursor_put(cur, &kv, &vv, MDB_APPEND),
					  "mdb_cursor_put");
			}
			mdb_cursor_close(cur);
			check_mdb(mdb_txn_commit(txn), "mdb_txn_commit");
		} else {
			sql_run(db, begin);
			for (size_t i = 0; i < cnt; i++)
				sql_insert(db, ins, b, i);
			sql_run(db, commit);
		}
		double dt = now_s() - t0;
		timed += dt;
		lat[k] = dt;

		if (impl == IMPL_API) {
			/* The store wrote back what it assigned; measure the bytes. */
			struct kt_buf sb = KT_BUF_INIT(KT_ENVELOPE_MAX);
			for (size_t i = 0; i < cnt; i++) {
				kt_buf_reset(&sb);
				check_kt(kt_event_encode(&b->ev[i], &sb), "kt_event_encode");
				env_bytes += sb.len;
			}
			kt_buf_free(&sb);
		}
		done += cnt;
		if (done >= next_sample) {
			mem_sample(&m);
			next_sample += RSS_EVERY;
		}
	}
	double wall = now_s() - wall0;

	uint64_t fbytes = file_bytes(path);
	if (impl == IMPL_SQLITE) {
		char wal[4200];
		snprintf(wal, sizeof wal, "%s-wal", path);
		fbytes += file_bytes(wal);
	}
	qsort(lat, nbatches, sizeof *lat, cmp_double);
	printf("RESULT append %s durable=%d events=%llu seconds=%.3f events_per_s=%.0f wall_s=%.3f"
	       " prep_us_per_event=%.3f batch_p50_ms=%.2f batch_p99_ms=%.2f"
	       " payload_bytes_avg=%.1f payload_bytes_min=%zu payload_bytes_max=%zu"
	       " envelope_bytes_avg=%.1f file_bytes=%llu",
	       IMPL_NAME[impl], !nosync, (unsigned long long)n, timed, (double)n / timed, wall,
	       n ? prep * 1e6 / (double)n : 0.0, lat[nbatches / 2] * 1e3,
	       lat[nbatches * 99 / 100] * 1e3, (double)pay_bytes / (double)n, pay_min, pay_max,
	       (double)env_bytes / (double)n, (unsigned long long)fbytes);
	print_mem(&m);
	putchar('\n');

	free(lat);
	batch_free(b);
	free(b);
	if (s)
		kt_store_close(s);
	if (env)
		mdb_env_close(env);
	if (r3.env)
		mdb_env_close(r3.env);
	if (r5.env)
		mdb_env_close(r5.env);
	if (db) {
		sqlite3_finalize(ins);
		sqlite3_finalize(begin);
		sqlite3_finalize(commit);
		sqlite3_close(db);
	}
}

/* ---------------------------------------------------- (b) single appends */

enum single { SINGLE_API, SINGLE_LMDB, SINGLE_SQLITE, SINGLE_FSYNC, SINGLE_LAYOUT, SINGLE_LAYOUT5 };
static const char *const SINGLE_NAME[] = { "api", "lmdb", "sqlite", "fsync", "layout", "layout5" };

static void single_case(enum single impl, const char *dir, size_t count)
{
	char path[4096];
	kt_store *s = NULL;
	MDB_env *env = NULL;
	MDB_dbi dbi = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *begin = NULL, *commit = NULL;
	int fd = -1;
	static const char *const FILES[] = { "single-api.kontroll", "single-raw.lmdb",
					     "single.sqlite",	    "single.log",
					     "single-layout.lmdb",  "single-layout5.lmdb" };
	struct layout r3 = { 0 };
	struct layout5 r5 = { 0 };
	path_join(path, sizeof path, dir, FILES[impl]);

	switch (impl) {
	case SINGLE_LAYOUT:
		layout_open(&r3, path);
		break;
	case SINGLE_LAYOUT5:
		layout5_open(&r5, path);
		break;
	case SINGLE_API:
		check_kt(kt_store_create(&s), "kt_store_create");
		check_kt(kt_store_set_durable(s, !nosync), "kt_store_set_durable");
		check_kt(kt_store_open(s, path, KT_OPEN_CREATE), path);
		break;
	case SINGLE_LMDB:
		env = raw_open(path, 0, &dbi);
		break;
	case SINGLE_SQLITE:
		db = sql_open(path);
		ins = sql_prepare(db, "INSERT INTO events(position, id, stream, version, envelope)"
				      " VALUES (?, ?, ?, ?, ?)");
		begin = sql_prepare(db, "BEGIN");
		commit = sql_prepare(db, "COMMIT");
		break;
	case SINGLE_FSYNC:
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
		if (fd < 0)
			die("%s: %s", path, strerror(errno));
		break;
	}

	struct batch *b = malloc(sizeof *b);
	double *lat = malloc(count * sizeof *lat);
	if (!b || !lat)
		die("out of memory");
	batch_init(b);
	uint64_t heads[SINGLE_STREAMS] = { 0 };
	size_t total = count + SINGLE_WARMUP;
	double sum = 0;
	uint64_t env_bytes = 0;

	for (size_t j = 0; j < total; j++) {
		/* Event j goes to stream j % 100 with its exact expected version, as a
		 * command appending to an existing inspection would. */
		char stream[64];
		size_t st = j % SINGLE_STREAMS;
		stream_name(stream, sizeof stream, st);
		batch_make(b, j, 1, stream);
		if (impl != SINGLE_API) {
			batch_encode(b, heads[st] + 1, j + 1,
				     impl == SINGLE_LAYOUT || impl == SINGLE_LAYOUT5);
			env_bytes += b->env_len[0];
		}

		double t0 = now_s();
		switch (impl) {
		case SINGLE_API:
			check_kt(kt_store_append(s, stream, heads[st], b->ev, 1, NULL),
				 "kt_store_append");
			break;
		case SINGLE_LMDB: {
			MDB_txn *txn;
			uint8_t key[8];
			put_u64(key, b->ev[0].position);
			MDB_val kv = { 8, key }, vv = { b->env_len[0], b->env };
			check_mdb(mdb_txn_begin(env, NULL, 0, &txn), "mdb_txn_begin");
			check_mdb(mdb_put(txn, dbi, &kv, &vv, MDB_APPEND), "mdb_put");
			check_mdb(mdb_txn_commit(txn), "mdb_txn_commit");
			break;
		}
		case SINGLE_LAYOUT:
			layout_write(&r3, b);
			break;
		case SINGLE_LAYOUT5:
			layout5_write(&r5, b);
			break;
		case SINGLE_SQLITE:
			sql_run(db, begin);
			sql_insert(db, ins, b, 0);
			sql_run(db, commit);
			break;
		case SINGLE_FSYNC:
			if (write(fd, b->env, b->env_len[0]) != (ssize_t)b->env_len[0])
				die("write: %s", strerror(errno));
			if (fsync(fd) != 0)
				die("fsync: %s", strerror(errno));
			break;
		}
		double dt = now_s() - t0;
		heads[st]++;
		if (j >= SINGLE_WARMUP) {
			lat[j - SINGLE_WARMUP] = dt;
			sum += dt;
		}
	}
	qsort(lat, count, sizeof *lat, cmp_double);
	printf(
	    "RESULT single %s durable=%d count=%zu p50_us=%.1f p90_us=%.1f p99_us=%.1f mean_us=%.1f"
	    " max_us=%.1f commits_per_s=%.0f\n",
	    SINGLE_NAME[impl], !nosync, count, lat[count / 2] * 1e6, lat[count * 9 / 10] * 1e6,
	    lat[count * 99 / 100] * 1e6, sum / (double)count * 1e6, lat[count - 1] * 1e6,
	    (double)count / sum);

	free(lat);
	batch_free(b);
	free(b);
	if (s)
		kt_store_close(s);
	if (env)
		mdb_env_close(env);
	if (db) {
		sqlite3_finalize(ins);
		sqlite3_finalize(begin);
		sqlite3_finalize(commit);
		sqlite3_close(db);
	}
	if (fd >= 0)
		close(fd);
	if (r3.env)
		mdb_env_close(r3.env);
	if (r5.env)
		mdb_env_close(r5.env);
}

/* ------------------------------------------------------------ (c) replay */

static void replay_result(const char *impl, uint64_t n, uint64_t expect, double secs, uint64_t sum,
			  struct mem *m)
{
	if (expect && n != expect)
		die("replay %s: read %llu events, expected %llu", impl, (unsigned long long)n,
		    (unsigned long long)expect);
	printf("RESULT replay %s events=%llu seconds=%.3f events_per_s=%.0f checksum=%llu", impl,
	       (unsigned long long)n, secs, (double)n / secs, (unsigned long long)sum);
	print_mem(m);
	putchar('\n');
}

/* What every replay folds over each event, so no decode is optimised away. */
#define FOLD(sum, version, data_len, last_id_byte)                                                 \
	((sum) += (uint64_t)(version)*31u + (uint64_t)(data_len) + (uint64_t)(last_id_byte))

static void replay_api(const char *dir, uint64_t expect)
{
	char path[4096];
	path_join(path, sizeof path, dir, "api.kontroll");
	kt_store *s;
	kt_reader *r;
	kt_iter *it;
	struct kt_event ev;
	struct mem m = { 0 };
	uint64_t n = 0, sum = 0;
	int rc;

	check_kt(kt_store_create(&s), "kt_store_create");
	check_kt(kt_store_open(s, path, KT_OPEN_READONLY), path);
	mem_sample(&m);
	double t0 = now_s();
	check_kt(kt_reader_begin(s, &r), "kt_reader_begin");
	check_kt(kt_iter_log(r, 0, 0, &it), "kt_iter_log");
	while ((rc = kt_iter_next(it, &ev)) == 0) {
		FOLD(sum, ev.version, ev.data_len, ev.id[15]);
		if (++n % RSS_EVERY == 0)
			mem_sample(&m);
	}
	if (rc != KT_ENOTFOUND)
		check_kt(rc, "kt_iter_next");
	kt_iter_free(it);
	kt_reader_end(r);
	double secs = now_s() - t0;
	replay_result("api", n, expect, secs, sum, &m);
	kt_store_close(s);
}

static void replay_lmdb(const char *dir, uint64_t expect)
{
	char path[4096];
	path_join(path, sizeof path, dir, "raw.lmdb");
	MDB_dbi dbi;
	MDB_env *env = raw_open(path, 1, &dbi);
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	struct mem m = { 0 };
	uint64_t n = 0, sum = 0;
	int rc;
	msgpack_unpacked up;

	mem_sample(&m);
	msgpack_unpacked_init(&up);
	double t0 = now_s();
	check_mdb(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "mdb_txn_begin");
	check_mdb(mdb_cursor_open(txn, dbi, &cur), "mdb_cursor_open");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		size_t off = 0;
		if (msgpack_unpack_next(&up, v.mv_data, v.mv_size, &off) !=
			MSGPACK_UNPACK_SUCCESS ||
		    up.data.type != MSGPACK_OBJECT_ARRAY || up.data.via.array.size != 11)
			die("replay lmdb: bad envelope at entry %llu", (unsigned long long)n);
		const msgpack_object *f = up.data.via.array.ptr;
		if (f[1].type != MSGPACK_OBJECT_BIN || f[1].via.bin.size != 16 ||
		    f[10].type != MSGPACK_OBJECT_MAP)
			die("replay lmdb: bad envelope fields at entry %llu",
			    (unsigned long long)n);
		FOLD(sum, f[3].via.u64, f[10].via.map.size, (uint8_t)f[1].via.bin.ptr[15]);
		if (++n % RSS_EVERY == 0)
			mem_sample(&m);
	}
	if (rc != MDB_NOTFOUND)
		check_mdb(rc, "mdb_cursor_get");
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	double secs = now_s() - t0;
	msgpack_unpacked_destroy(&up);
	replay_result("lmdb", n, expect, secs, sum, &m);
	mdb_env_close(env);
}

static void replay_sqlite(const char *dir, uint64_t expect)
{
	char path[4096];
	path_join(path, sizeof path, dir, "events.sqlite");
	sqlite3 *db = sql_open(path);
	struct mem m = { 0 };
	uint64_t n = 0, sum = 0;
	int rc;

	mem_sample(&m);
	double t0 = now_s();
	sqlite3_stmt *sel =
	    sql_prepare(db, "SELECT position, envelope FROM events ORDER BY position");
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		struct kt_event ev;
		const void *bytes = sqlite3_column_blob(sel, 1);
		int len = sqlite3_column_bytes(sel, 1);
		check_kt(kt_event_decode(bytes, (size_t)len, &ev), "kt_event_decode");
		ev.position = (uint64_t)sqlite3_column_int64(sel, 0);
		FOLD(sum, ev.version, ev.data_len, ev.id[15]);
		if (++n % RSS_EVERY == 0)
			mem_sample(&m);
	}
	check_sql(db, rc, SQLITE_DONE, "SELECT");
	sqlite3_finalize(sel);
	double secs = now_s() - t0;
	replay_result("sqlite", n, expect, secs, sum, &m);
	sqlite3_close(db);
}

/*
 * Diagnostics for (c): the storage read alone, no decoding — every value is
 * read once (an XOR over its 8-byte words) so its bytes are really fetched.
 * They bound what any decoder can reach on top of each store.
 */
static uint64_t touch(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t x = n, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, b + i, 8);
		x ^= w;
	}
	for (; i < n; i++)
		x ^= b[i];
	return x;
}

static void scan_lmdb(const char *dir, const char *file, uint64_t expect)
{
	char path[4096];
	path_join(path, sizeof path, dir, file);
	MDB_dbi dbi;
	MDB_env *env = raw_open(path, 1, &dbi);
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	struct mem m = { 0 };
	uint64_t n = 0, sum = 0;
	int rc;

	mem_sample(&m);
	double t0 = now_s();
	check_mdb(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), "mdb_txn_begin");
	check_mdb(mdb_cursor_open(txn, dbi, &cur), "mdb_cursor_open");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		sum += touch(v.mv_data, v.mv_size);
		n++;
	}
	if (rc != MDB_NOTFOUND)
		check_mdb(rc, "mdb_cursor_get");
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	double secs = now_s() - t0;
	printf("RESULT scan lmdb:%s events=%llu seconds=%.3f events_per_s=%.0f checksum=%llu\n",
	       file, (unsigned long long)n, secs, (double)n / secs, (unsigned long long)sum);
	if (expect && n != expect)
		die("scan: read %llu events, expected %llu", (unsigned long long)n,
		    (unsigned long long)expect);
	mdb_env_close(env);
}

static void scan_sqlite(const char *dir, uint64_t expect)
{
	char path[4096];
	path_join(path, sizeof path, dir, "events.sqlite");
	sqlite3 *db = sql_open(path);
	uint64_t n = 0, sum = 0;
	int rc;
	double t0 = now_s();
	sqlite3_stmt *sel =
	    sql_prepare(db, "SELECT position, envelope FROM events ORDER BY position");
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const void *bytes = sqlite3_column_blob(sel, 1);
		int len = sqlite3_column_bytes(sel, 1);
		sum += touch(bytes, (size_t)len) + (uint64_t)sqlite3_column_int64(sel, 0);
		n++;
	}
	check_sql(db, rc, SQLITE_DONE, "SELECT");
	sqlite3_finalize(sel);
	double secs = now_s() - t0;
	printf("RESULT scan sqlite events=%llu seconds=%.3f events_per_s=%.0f checksum=%llu\n",
	       (unsigned long long)n, secs, (double)n / secs, (unsigned long long)sum);
	if (expect && n != expect)
		die("scan: read %llu events, expected %llu", (unsigned long long)n,
		    (unsigned long long)expect);
	sqlite3_close(db);
}

/* ------------------------------------------------------------------ ids */

static void gen_uuid(uint8_t out[16])
{
	uuid_generate(out);
}
static void gen_uuid_random(uint8_t out[16])
{
	uuid_generate_random(out);
}
static void gen_uuid_time(uint8_t out[16])
{
	uuid_generate_time(out);
}
static void gen_kt(uint8_t out[16])
{
	check_kt(kt_id_generate(out), "kt_id_generate");
}
/* One libsodium request (one getrandom(2)) per id: the randomness of
 * kt_id_generate before it drew its bytes in blocks. */
static void gen_sodium10(uint8_t out[16])
{
	randombytes_buf(out, 10);
}

static void uuid_case(size_t count)
{
	static const struct {
		const char *name;
		void (*fn)(uint8_t out[16]);
	} gens[] = {
		{ "libuuid_generate", gen_uuid },
		{ "libuuid_generate_random", gen_uuid_random },
		{ "libuuid_generate_time", gen_uuid_time },
		{ "kt_id_generate", gen_kt },
		{ "sodium_randombytes_10", gen_sodium10 },
	};
	if (sodium_init() < 0)
		die("sodium_init failed");
	for (size_t g = 0; g < sizeof gens / sizeof gens[0]; g++) {
		uint8_t id[16], acc = 0;
		for (size_t i = 0; i < 1000; i++) /* warm up: first calls open files, seed */
			gens[g].fn(id);
		double t0 = now_s();
		for (size_t i = 0; i < count; i++) {
			gens[g].fn(id);
			acc ^= id[15];
		}
		double secs = now_s() - t0;
		printf("RESULT uuid %s calls=%zu ns_per_call=%.1f ids_per_s=%.0f acc=%u\n",
		       gens[g].name, count, secs * 1e9 / (double)count, (double)count / secs,
		       (unsigned)acc);
	}
}

/* ----------------------------------------------------------------- main */

static uint64_t parse_count(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v == 0)
		die("not a positive count: %s", s);
	return v;
}

static void usage(void)
{
	fputs("usage: bench_store CASE DIR N\n"
	      "  CASE: append-api|append-lmdb|append-sqlite  (N events, 1000 per batch)\n"
	      "        single-api|single-lmdb|single-sqlite|single-fsync  (N synced commits)\n"
	      "        append-layout|single-layout  (diagnostic: kontroll's layout, raw LMDB)\n"
	      "        append-layout5|single-layout5  (diagnostic: DESIGN.md's five tables)\n"
	      "        replay-api|replay-lmdb|replay-sqlite  (N: events expected, 0 = any)\n"
	      "        scan-api|scan-lmdb|scan-sqlite  (diagnostic: storage read, no decode)\n"
	      "  bench_store uuid N   (N calls of each id generator)\n"
	      "  bench_store info     (library versions)\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "info") == 0) {
		int ma, mi, pa;
		mdb_version(&ma, &mi, &pa);
		printf("RESULT info versions lmdb=%d.%d.%d sqlite=%s msgpack-c=%s libsodium=%s"
		       " nettle=%d.%d\n",
		       ma, mi, pa, sqlite3_libversion(), msgpack_version(), sodium_version_string(),
		       nettle_version_major(), nettle_version_minor());
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "uuid") == 0) {
		uuid_case((size_t)parse_count(argv[2]));
		return 0;
	}
	if (argc != 4)
		usage();
	const char *c = argv[1], *dir = argv[2];
	const char *ns = getenv("BENCH_NOSYNC");
	nosync = ns && *ns && strcmp(ns, "0") != 0;
	if (sodium_init() < 0)
		die("sodium_init failed");
	if (strncmp(c, "scan-", 5) == 0) {
		uint64_t expect = strcmp(argv[3], "0") == 0 ? 0 : parse_count(argv[3]);
		if (strcmp(c + 5, "api") == 0) /* the log of the store, read as raw LMDB */
			scan_lmdb(dir, "api.kontroll", expect);
		else if (strcmp(c + 5, "lmdb") == 0)
			scan_lmdb(dir, "raw.lmdb", expect);
		else if (strcmp(c + 5, "sqlite") == 0)
			scan_sqlite(dir, expect);
		else
			usage();
		return 0;
	}
	if (strncmp(c, "replay-", 7) == 0) {
		uint64_t expect = strcmp(argv[3], "0") == 0 ? 0 : parse_count(argv[3]);
		if (strcmp(c + 7, "api") == 0)
			replay_api(dir, expect);
		else if (strcmp(c + 7, "lmdb") == 0)
			replay_lmdb(dir, expect);
		else if (strcmp(c + 7, "sqlite") == 0)
			replay_sqlite(dir, expect);
		else
			usage();
		return 0;
	}
	uint64_t n = parse_count(argv[3]);
	if (strcmp(c, "append-api") == 0)
		append_case(IMPL_API, dir, n);
	else if (strcmp(c, "append-lmdb") == 0)
		append_case(IMPL_LMDB, dir, n);
	else if (strcmp(c, "append-sqlite") == 0)
		append_case(IMPL_SQLITE, dir, n);
	else if (strcmp(c, "append-layout") == 0)
		append_case(IMPL_LAYOUT, dir, n);
	else if (strcmp(c, "append-layout5") == 0)
		append_case(IMPL_LAYOUT5, dir, n);
	else if (strcmp(c, "single-layout") == 0)
		single_case(SINGLE_LAYOUT, dir, (size_t)n);
	else if (strcmp(c, "single-layout5") == 0)
		single_case(SINGLE_LAYOUT5, dir, (size_t)n);
	else if (strcmp(c, "single-api") == 0)
		single_case(SINGLE_API, dir, (size_t)n);
	else if (strcmp(c, "single-lmdb") == 0)
		single_case(SINGLE_LMDB, dir, (size_t)n);
	else if (strcmp(c, "single-sqlite") == 0)
		single_case(SINGLE_SQLITE, dir, (size_t)n);
	else if (strcmp(c, "single-fsync") == 0)
		single_case(SINGLE_FSYNC, dir, (size_t)n);
	else
		usage();
	return 0;
}
