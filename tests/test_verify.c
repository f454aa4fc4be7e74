/*
 * test_verify.c — kt_store_verify on a sound store and on damaged copies of
 * one: a changed payload byte, an envelope that no longer decodes, a changed
 * chain hash, deleted, altered or stray entries of every index (ids,
 * streams), a wrong stream count, and deleted or rewritten log entries. Each must be reported as
 * KT_ECORRUPT naming the first damaged position (or 0 where the damage belongs to no position).
 *
 * The damage is done to a copy of the data file, made with plain read/write
 * while the store is closed: payload bytes by searching the file for a marker
 * string, index entries by opening the copy with raw LMDB.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/chain.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <lmdb.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EVENTS = 10, MARKED = 4 };

/* A string found nowhere in a store but in the data of event MARKED. */
static const char MARKER[] = "MARKER-5f1d3c9e-payload";

/* What the tests need to know about each event to find its index entries. */
struct known {
	uint8_t id[16];
	char stream[16];
	uint64_t version;
};

struct fx {
	char dir[256];
	char path[300];
	char copy[300];
	kt_store *s;
	struct known ev[EVENTS + 1]; /* by position */
};

/* ---- fixture ---------------------------------------------------------- */

static int open_path(kt_store **s, const char *path, unsigned flags)
{
	int rc = kt_store_create(s);
	if (rc)
		return rc;
	if ((rc = kt_store_set_mapsize(*s, (size_t)256 << 10)) ||
	    (rc = kt_store_set_durable(*s, 0)))
		return rc;
	return kt_store_open(*s, path, flags);
}

/* {"n": n, "note": text} */
static void pack_data(msgpack_sbuffer *sb, int n, const char *text)
{
	msgpack_packer pk;
	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "n", 1);
	msgpack_pack_int(&pk, n);
	msgpack_pack_str_with_body(&pk, "note", 4);
	msgpack_pack_str_with_body(&pk, text, strlen(text));
}

/* EVENTS events in two streams, one append each, so that later appends
 * rewrite the pages of earlier ones. Positions 1, 3, 5, … are "alpha". */
static void fill(struct fx *f)
{
	for (int pos = 1; pos <= EVENTS; pos++) {
		char note[64];
		snprintf(note, sizeof note, "event number %d", pos);
		msgpack_sbuffer sb;
		pack_data(&sb, pos, pos == MARKED ? MARKER : note);
		struct kt_event ev;
		memset(&ev, 0, sizeof ev);
		ev.type = "test.verified";
		ev.type_len = strlen(ev.type);
		ev.effective = KT_TIME_UNSET;
		ev.data = (const uint8_t *)sb.data;
		ev.data_len = sb.size;
		const char *stream = pos % 2 ? "alpha" : "beta";
		int rc = kt_store_append(f->s, stream, KT_VERSION_ANY, &ev, 1, NULL);
		msgpack_sbuffer_destroy(&sb);
		if (rc)
			fail_msg("append: %s", kt_strerror(rc));
		assert_true(ev.position == (uint64_t)pos);
		memcpy(f->ev[pos].id, ev.id, 16);
		snprintf(f->ev[pos].stream, sizeof f->ev[pos].stream, "%s", stream);
		f->ev[pos].version = ev.version;
	}
}

static int setup_empty(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-verify-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/kontroll.db", f->dir);
	snprintf(f->copy, sizeof f->copy, "%s/copy.db", f->dir);
	*state = f;
	return open_path(&f->s, f->path, KT_OPEN_CREATE);
}

static int setup(void **state)
{
	int rc = setup_empty(state);
	if (rc == 0)
		fill(*state);
	return rc;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kt_store_close(f->s);
	DIR *d = opendir(f->dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[600];
			snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	int rc = rmdir(f->dir);
	free(f);
	return rc;
}

/* ---- damage ----------------------------------------------------------- */

/* Close the store and copy its data file byte for byte. */
static void copy_store(struct fx *f)
{
	kt_store_close(f->s);
	f->s = NULL;
	int in = open(f->path, O_RDONLY);
	int out = open(f->copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(in >= 0 && out >= 0);
	char buf[8192];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	assert_int_equal(n, 0);
	close(in);
	assert_int_equal(close(out), 0);
}

/* Apply fn to every occurrence of MARKER in the copy; returns how many.
 * Stale copies of a page (LMDB writes copy-on-write) may hold it too, so
 * all are changed: the live one is among them. */
static int damage_marker(struct fx *f, void (*fn)(uint8_t *at))
{
	int fd = open(f->copy, O_RDWR);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	size_t size = (size_t)st.st_size;
	uint8_t *bytes = malloc(size);
	assert_non_null(bytes);
	assert_int_equal(pread(fd, bytes, size, 0), (ssize_t)size);
	int found = 0;
	size_t mlen = strlen(MARKER);
	for (size_t k = 1; k + mlen <= size; k++) {
		if (memcmp(bytes + k, MARKER, mlen) == 0) {
			fn(bytes + k);
			found++;
		}
	}
	assert_int_equal(pwrite(fd, bytes, size, 0), (ssize_t)size);
	close(fd);
	free(bytes);
	return found;
}

static void change_payload_byte(uint8_t *at)
{
	at[3] ^= 0x01; /* "MARKER" becomes "MARJER": still a valid string */
}

static void break_string_header(uint8_t *at)
{
	at[-1] = 0xc1; /* the string's own header: now the reserved byte */
}

/* The copy opened with raw LMDB, one write transaction. */
struct raw {
	MDB_env *env;
	MDB_txn *txn;
};

static struct raw raw_open(const struct fx *f)
{
	struct raw r;
	assert_int_equal(mdb_env_create(&r.env), 0);
	assert_int_equal(mdb_env_set_maxdbs(r.env, 8), 0);
	assert_int_equal(mdb_env_open(r.env, f->copy, MDB_NOSUBDIR, 0644), 0);
	assert_int_equal(mdb_txn_begin(r.env, NULL, 0, &r.txn), 0);
	return r;
}

static MDB_dbi raw_dbi(struct raw *r, const char *name)
{
	MDB_dbi dbi;
	assert_int_equal(mdb_dbi_open(r->txn, name, 0, &dbi), 0);
	return dbi;
}

static void raw_commit(struct raw *r)
{
	assert_int_equal(mdb_txn_commit(r->txn), 0);
	mdb_env_close(r->env);
}

static void put_u64(uint8_t out[8], uint64_t v)
{
	for (int k = 0; k < 8; k++)
		out[k] = (uint8_t)(v >> (56 - 8 * k));
}

static size_t stream_key(uint8_t *key, const struct known *ev)
{
	size_t len = strlen(ev->stream);
	memcpy(key, ev->stream, len);
	key[len] = 0;
	put_u64(key + len + 1, ev->version);
	return len + 9;
}

static void raw_del(struct raw *r, const char *db, const void *key, size_t len)
{
	MDB_val k = { len, (void *)key };
	assert_int_equal(mdb_del(r->txn, raw_dbi(r, db), &k, NULL), 0);
}

static void raw_put(struct raw *r, const char *db, const void *key, size_t len, const void *val,
		    size_t vlen)
{
	MDB_val k = { len, (void *)key }, v = { vlen, (void *)val };
	assert_int_equal(mdb_put(r->txn, raw_dbi(r, db), &k, &v, 0), 0);
}

/* Open the damaged copy and verify it: KT_ECORRUPT naming first_bad. */
static void assert_verify_finds(struct fx *f, uint64_t first_bad, const char *words)
{
	assert_int_equal(open_path(&f->s, f->copy, 0), KT_OK);
	struct kt_verify_report rep;
	int rc = kt_store_verify(f->s, &rep, NULL, NULL);
	if (rc != KT_ECORRUPT)
		fail_msg("verify returned %d (%s), want KT_ECORRUPT", rc, kt_strerror(rc));
	if (rep.first_bad != first_bad)
		fail_msg("first_bad %llu, want %llu: %s", (unsigned long long)rep.first_bad,
			 (unsigned long long)first_bad, rep.problem);
	assert_true(rep.problem[0] != '\0');
	if (words && !strstr(rep.problem, words))
		fail_msg("problem \"%s\" does not mention \"%s\"", rep.problem, words);
}

/* ---- sound stores ----------------------------------------------------- */

struct progress {
	uint64_t calls, done, total;
};

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	p->calls++;
	p->done = done;
	p->total = total;
}

static void test_verify_passes_a_sound_store(void **state)
{
	struct fx *f = *state;
	struct kt_verify_report rep;
	struct progress prog = { 0, 0, 0 };
	memset(&rep, 0x55, sizeof rep);
	assert_int_equal(kt_store_verify(f->s, &rep, on_progress, &prog), KT_OK);
	assert_true(rep.events == EVENTS);
	assert_true(rep.streams == 2);
	assert_true(rep.first_bad == 0);
	assert_string_equal(rep.problem, "");
	assert_true(prog.calls >= 1);
	assert_true(prog.done == EVENTS && prog.total == EVENTS);
}

static void test_verify_passes_an_empty_store(void **state)
{
	struct fx *f = *state;
	struct kt_verify_report rep;
	assert_int_equal(kt_store_verify(f->s, &rep, NULL, NULL), KT_OK);
	assert_true(rep.events == 0);
	assert_true(rep.streams == 0);
	assert_true(rep.first_bad == 0);
}

static void test_verify_passes_an_undamaged_copy(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	assert_int_equal(open_path(&f->s, f->copy, 0), KT_OK);
	struct kt_verify_report rep;
	assert_int_equal(kt_store_verify(f->s, &rep, NULL, NULL), KT_OK);
	assert_true(rep.events == EVENTS);
}

/* ---- damaged copies --------------------------------------------------- */

static void test_verify_detects_a_changed_payload_byte(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	assert_true(damage_marker(f, change_payload_byte) >= 1);
	assert_verify_finds(f, MARKED, NULL);
	/* The event still reads: only the chain can tell it was altered. */
	kt_reader *r;
	struct kt_event ev;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_reader_get(r, MARKED, &ev), KT_OK);
	kt_reader_end(r);
}

static void test_verify_detects_an_envelope_that_no_longer_decodes(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	assert_true(damage_marker(f, break_string_header) >= 1);
	assert_verify_finds(f, MARKED, "decode");
	kt_reader *r;
	struct kt_event ev;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_reader_get(r, MARKED, &ev), KT_EMALFORMED);
	assert_int_equal(kt_reader_get(r, MARKED - 1, &ev), KT_OK);
	kt_reader_end(r);
}

static void test_verify_detects_a_deleted_id_index_entry(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	raw_del(&r, "ids", f->ev[5].id, 16);
	raw_commit(&r);
	assert_verify_finds(f, 5, "id index");
}

static void test_verify_detects_an_id_index_entry_pointing_elsewhere(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t pos[8];
	put_u64(pos, 7);
	raw_put(&r, "ids", f->ev[6].id, 16, pos, 8);
	raw_commit(&r);
	assert_verify_finds(f, 6, "id index");
}

static void test_verify_detects_a_deleted_streams_index_entry(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t key[32];
	raw_del(&r, "streams", key, stream_key(key, &f->ev[6]));
	raw_commit(&r);
	assert_verify_finds(f, 6, "stream index");
}

static void test_verify_detects_a_streams_index_entry_pointing_elsewhere(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t key[32], pos[8];
	put_u64(pos, 2);
	raw_put(&r, "streams", key, stream_key(key, &f->ev[8]), pos, 8);
	raw_commit(&r);
	assert_verify_finds(f, 8, "stream index");
}

/* The stream count belongs to no position: first_bad is 0. */
static void test_verify_detects_a_wrong_stream_count(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t v[8];
	put_u64(v, 3); /* the store holds alpha and beta */
	raw_put(&r, "meta", "streams", 7, v, 8);
	raw_commit(&r);
	assert_verify_finds(f, 0, "stream count");
}

static void test_verify_detects_a_streams_index_entry_for_no_event(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	struct known gamma = { { 0 }, "gamma", 1 };
	uint8_t key[32], pos[8];
	put_u64(pos, 1);
	raw_put(&r, "streams", key, stream_key(key, &gamma), pos, 8);
	raw_commit(&r);
	assert_verify_finds(f, 0, "stream index");
}

/* A log value is the chain hash at its position, then the envelope. */
static void test_verify_detects_a_changed_chain_hash(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	MDB_dbi events = raw_dbi(&r, "events");
	uint8_t pos[8];
	put_u64(pos, 3);
	MDB_val k = { 8, pos }, v;
	assert_int_equal(mdb_get(r.txn, events, &k, &v), 0);
	uint8_t *copy = malloc(v.mv_size);
	assert_non_null(copy);
	memcpy(copy, v.mv_data, v.mv_size);
	copy[31] ^= 0x80;
	raw_put(&r, "events", pos, 8, copy, v.mv_size);
	free(copy);
	raw_commit(&r);
	assert_verify_finds(f, 3, "chain");
}

static void test_verify_detects_a_log_value_too_short_for_its_hash(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t pos[8], stub[16] = { 0 };
	put_u64(pos, 7);
	raw_put(&r, "events", pos, 8, stub, sizeof stub);
	raw_commit(&r);
	assert_verify_finds(f, 7, "decode");
}

static void test_verify_detects_a_deleted_event(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t pos[8];
	put_u64(pos, 3);
	raw_del(&r, "events", pos, 8);
	raw_commit(&r);
	assert_verify_finds(f, 3, "missing");
}

/* Two events swapped, each keeping the chain hash stored with it: the chain
 * no longer recomputes at the first of them. */
static void test_verify_detects_two_events_swapped(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	MDB_dbi events = raw_dbi(&r, "events");
	uint8_t p4[8], p5[8];
	put_u64(p4, 4);
	put_u64(p5, 5);
	MDB_val k4 = { 8, p4 }, k5 = { 8, p5 }, v4, v5;
	assert_int_equal(mdb_get(r.txn, events, &k4, &v4), 0);
	assert_int_equal(mdb_get(r.txn, events, &k5, &v5), 0);
	struct kt_buf a = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
	struct kt_buf b = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
	assert_int_equal(kt_buf_append(&a, v4.mv_data, v4.mv_size), KT_OK);
	assert_int_equal(kt_buf_append(&b, v5.mv_data, v5.mv_size), KT_OK);
	raw_put(&r, "events", p4, 8, b.data, b.len);
	raw_put(&r, "events", p5, 8, a.data, a.len);
	kt_buf_free(&a);
	kt_buf_free(&b);
	raw_commit(&r);
	assert_verify_finds(f, 4, "chain");
}

static void test_verify_detects_a_stray_id_index_entry(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t id[16], pos[8];
	memcpy(id, f->ev[2].id, 16);
	id[15] ^= 0xff;
	put_u64(pos, 2);
	raw_put(&r, "ids", id, 16, pos, 8);
	raw_commit(&r);
	assert_verify_finds(f, 0, "id index");
}

/* A forger who rewrites an event and rebuilds the chain after it keeps every
 * hash consistent (only a published seal would show it); a recorded time
 * that goes backwards still gives the rewrite away. */
static void test_verify_detects_recorded_time_going_backwards(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	MDB_dbi events = raw_dbi(&r, "events");
	uint8_t key[8], hash[KT_HASH_LEN];
	MDB_val k = { 8, key }, v;
	struct kt_event ev;

	put_u64(key, 5);
	assert_int_equal(mdb_get(r.txn, events, &k, &v), 0);
	assert_int_equal(
	    kt_event_decode((const uint8_t *)v.mv_data + KT_HASH_LEN, v.mv_size - KT_HASH_LEN, &ev),
	    KT_OK);
	int64_t fifth = ev.recorded;
	memcpy(hash, v.mv_data, KT_HASH_LEN);

	/* Rebuild positions 6..EVENTS as hash ‖ envelope, with 6 backdated. */
	struct kt_buf value = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
	for (uint64_t pos = 6; pos <= EVENTS; pos++) {
		put_u64(key, pos);
		assert_int_equal(mdb_get(r.txn, events, &k, &v), 0);
		struct kt_buf old = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
		assert_int_equal(kt_buf_append(&old, v.mv_data, v.mv_size), KT_OK);
		assert_int_equal(
		    kt_event_decode(old.data + KT_HASH_LEN, old.len - KT_HASH_LEN, &ev), KT_OK);
		if (pos == 6)
			ev.recorded = fifth - 1;
		kt_buf_reset(&value);
		assert_int_equal(kt_buf_append(&value, hash, KT_HASH_LEN), KT_OK);
		assert_int_equal(kt_event_encode(&ev, &value), KT_OK);
		kt_chain_next(hash, pos, value.data + KT_HASH_LEN, value.len - KT_HASH_LEN, hash);
		memcpy(value.data, hash, KT_HASH_LEN);
		MDB_val nv = { value.len, value.data };
		assert_int_equal(mdb_put(r.txn, events, &k, &nv, 0), 0);
		kt_buf_free(&old);
	}
	kt_buf_free(&value);
	raw_commit(&r);
	assert_verify_finds(f, 6, "backwards");
}

/* Damage at the tail also stops appends, which would extend a broken chain. */
static void test_verify_detects_a_damaged_tail_and_append_refuses(void **state)
{
	struct fx *f = *state;
	copy_store(f);
	struct raw r = raw_open(f);
	uint8_t pos[8], stub[8] = { 0 };
	put_u64(pos, EVENTS);
	raw_put(&r, "events", pos, 8, stub, sizeof stub);
	raw_commit(&r);
	assert_verify_finds(f, EVENTS, "decode");

	msgpack_sbuffer sb;
	pack_data(&sb, 11, "after the damage");
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = "test.verified";
	ev.type_len = strlen(ev.type);
	ev.effective = KT_TIME_UNSET;
	ev.data = (const uint8_t *)sb.data;
	ev.data_len = sb.size;
	assert_int_equal(kt_store_append(f->s, "alpha", KT_VERSION_ANY, &ev, 1, NULL), KT_ECORRUPT);
	msgpack_sbuffer_destroy(&sb);
	kt_reader *rd;
	assert_int_equal(kt_reader_begin(f->s, &rd), KT_OK);
	assert_true(kt_reader_head(rd) == EVENTS);
	kt_reader_end(rd);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_verify_passes_a_sound_store),
		cmocka_unit_test_setup_teardown(test_verify_passes_an_empty_store, setup_empty,
						teardown),
		T(test_verify_passes_an_undamaged_copy),
		T(test_verify_detects_a_changed_payload_byte),
		T(test_verify_detects_an_envelope_that_no_longer_decodes),
		T(test_verify_detects_a_deleted_id_index_entry),
		T(test_verify_detects_an_id_index_entry_pointing_elsewhere),
		T(test_verify_detects_a_deleted_streams_index_entry),
		T(test_verify_detects_a_streams_index_entry_pointing_elsewhere),
		T(test_verify_detects_a_wrong_stream_count),
		T(test_verify_detects_a_streams_index_entry_for_no_event),
		T(test_verify_detects_a_changed_chain_hash),
		T(test_verify_detects_a_log_value_too_short_for_its_hash),
		T(test_verify_detects_a_deleted_event),
		T(test_verify_detects_two_events_swapped),
		T(test_verify_detects_a_stray_id_index_entry),
		T(test_verify_detects_recorded_time_going_backwards),
		T(test_verify_detects_a_damaged_tail_and_append_refuses),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
