/*
 * snapshot_info.c — the snapshots a store holds, with their exact sizes, for
 * the inspection-query benchmark (scripts/bench.sh).
 *
 *   snapshot_info DB
 *
 * Opens the store's LMDB environment read-only, without kontroll's API (which
 * has no call that lists snapshots), and prints one line per snapshot of the
 * `snapshots` table and a total:
 *   SNAPSHOT <projection> as_of=<YYYY-MM-DDTHH:MM:SS|now> position=<n> bytes=<value size>
 *   RESULT snapshots count=<n> bytes=<sum of value sizes> pages=<pages of the table>
 * The key layout is src/replay.c's: name ‖ 0x00 ‖ as-of (8 bytes, big-endian,
 * sign bit flipped) ‖ position (8 bytes, big-endian). The value is a 36-byte
 * header (state version, chain hash) and the projection's saved state.
 * Exit 0, 1 when the file cannot be read as a store, 2 on bad arguments.
 */
#define _POSIX_C_SOURCE 200809L
#include "kontroll/ktime.h"

#include <inttypes.h>
#include <lmdb.h>
#include <stdio.h>
#include <string.h>

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = v << 8 | p[k];
	return v;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: snapshot_info DB\n");
		return 2;
	}
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_dbi dbi;
	MDB_stat st;
	MDB_val k, v;
	uint64_t count = 0, bytes = 0;
	int rc = mdb_env_create(&env);
	if (!rc)
		rc = mdb_env_set_maxdbs(env, 8);
	if (!rc)
		rc = mdb_env_open(env, argv[1], MDB_NOSUBDIR | MDB_RDONLY | MDB_NOTLS, 0644);
	if (!rc)
		rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
	if (!rc)
		rc = mdb_dbi_open(txn, "snapshots", 0, &dbi);
	if (!rc)
		rc = mdb_stat(txn, dbi, &st);
	if (!rc)
		rc = mdb_cursor_open(txn, dbi, &cur);
	while (!rc && (rc = mdb_cursor_get(cur, &k, &v, count ? MDB_NEXT : MDB_FIRST)) == 0) {
		const uint8_t *key = k.mv_data;
		const uint8_t *nul = memchr(key, 0, k.mv_size);
		if (!nul || (size_t)(key + k.mv_size - nul) != 17) {
			fprintf(stderr,
				"snapshot_info: a key that is not name ‖ 0 ‖ as-of ‖ position\n");
			rc = 1;
			break;
		}
		int64_t as_of = (int64_t)(get_u64(nul + 1) ^ UINT64_C(0x8000000000000000));
		char when[KT_TIME_TEXT_MAX] = "now";
		if (as_of != INT64_MAX) {
			kt_time_format(as_of, when);
			when[19] = 0; /* to the second */
		}
		printf("SNAPSHOT %.*s as_of=%s position=%" PRIu64 " bytes=%zu\n", (int)(nul - key),
		       (const char *)key, when, get_u64(nul + 9), v.mv_size);
		count++;
		bytes += v.mv_size;
	}
	if (rc == MDB_NOTFOUND) {
		rc = 0;
		printf("RESULT snapshots count=%" PRIu64 " bytes=%" PRIu64 " pages=%zu\n", count,
		       bytes, st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages);
	} else {
		fprintf(stderr, "snapshot_info: %s: %s\n", argv[1], mdb_strerror(rc));
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return rc ? 1 : 0;
}
