/*
 * test_store.c — the LMDB event log: open and reopen; exclusive creation;
 * empty, text, foreign-LMDB and truncated files, which are refused and left
 * untouched; failed creation, which leaves nothing behind; append with
 * optimistic concurrency and idempotence (retries in another order or with
 * an id twice are refused, and a failed append leaves the caller's events as
 * given); reads of streams and of the log, the binary search on recorded
 * time, map growth, a faked clock that steps back, read snapshots, appends
 * from several processes at once, and bad input.
 *
 * Every test gets a fresh store in its own mkdtemp directory (a small map,
 * commits not synced: the tests are about logic, not about the disk), and the
 * directory is removed afterwards. Real LMDB throughout, no mocks.
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
#include "kontroll/id.h"
#include "kontroll/mpread.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <msgpack.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SMALL_MAP ((size_t)256 << 10)

/* ---- a clock the tests control ---------------------------------------- */

/* Returns steps[0], steps[1], … and then keeps counting up from the last. */
struct fake_clock {
	const int64_t *steps;
	size_t n, next;
	int64_t last;
};

static int64_t fake_now(void *ctx)
{
	struct fake_clock *c = ctx;
	c->last = c->next < c->n ? c->steps[c->next] : c->last + 1;
	c->next++;
	return c->last;
}

/* ---- fixture ---------------------------------------------------------- */

struct fx {
	char dir[256];
	char path[300];
	kt_store *s;
	struct fake_clock clock;
};

static int open_store(struct fx *f, unsigned flags, size_t mapsize, struct fake_clock *clock)
{
	int rc = kt_store_create(&f->s);
	if (rc)
		return rc;
	if ((rc = kt_store_set_mapsize(f->s, mapsize)) || (rc = kt_store_set_durable(f->s, 0)))
		return rc;
	if (clock && (rc = kt_store_set_clock(f->s, fake_now, clock)))
		return rc;
	return kt_store_open(f->s, f->path, flags);
}

static void close_store(struct fx *f)
{
	kt_store_close(f->s);
	f->s = NULL;
}

static void reopen(struct fx *f, unsigned flags)
{
	close_store(f);
	int rc = open_store(f, flags, SMALL_MAP, NULL);
	if (rc)
		fail_msg("reopen: %s", kt_strerror(rc));
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/kontroll.db", f->dir);
	if (open_store(f, KT_OPEN_CREATE, SMALL_MAP, NULL)) {
		kt_store_close(f->s);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* A fixture whose clock is faked; the test installs the steps. */
static int setup_unopened(void **state)
{
	int rc = setup(state);
	if (rc == 0)
		close_store(*state);
	return rc;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kt_store_close(f->s);
	/* The store is FILE and FILE-lock; some tests leave copies next to it,
	 * or an empty directory when they fail half-way. */
	DIR *d = opendir(f->dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[600];
			snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
			if (unlink(p) != 0)
				rmdir(p);
		}
		closedir(d);
	}
	int rc = rmdir(f->dir);
	free(f);
	return rc;
}

/* ---- events and payloads ---------------------------------------------- */

/* A payload {"child": c, "n": n}, stored inline so arrays of them work. */
struct payload {
	uint8_t bytes[48];
	size_t len;
};

static struct payload payload(int64_t child, int64_t n)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "child", 5);
	msgpack_pack_int64(&pk, child);
	msgpack_pack_str_with_body(&pk, "n", 1);
	msgpack_pack_int64(&pk, n);
	struct payload p;
	memset(&p, 0, sizeof p);
	if (sb.size <= sizeof p.bytes) {
		memcpy(p.bytes, sb.data, sb.size);
		p.len = sb.size;
	}
	msgpack_sbuffer_destroy(&sb);
	return p;
}

/* Read back what payload() wrote; -1 fields when the data is not that. */
static void payload_values(const struct kt_event *ev, int64_t *child, int64_t *n)
{
	struct kt_mp r = kt_mp_init(ev->data, ev->data_len);
	uint32_t count;
	*child = *n = -1;
	if (kt_mp_read_map(&r, &count) || count != 2)
		return;
	for (uint32_t k = 0; k < count; k++) {
		const char *key;
		size_t len;
		int64_t v;
		if (kt_mp_read_str(&r, &key, &len) || kt_mp_read_int(&r, &v))
			return;
		if (len == 5 && memcmp(key, "child", 5) == 0)
			*child = v;
		else if (len == 1 && key[0] == 'n')
			*n = v;
	}
}

static int64_t payload_n(const struct kt_event *ev)
{
	int64_t child, n;
	payload_values(ev, &child, &n);
	return n;
}

static struct kt_event event(const char *type, const struct payload *p)
{
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.actor = "tester";
	ev.actor_len = 6;
	ev.effective = KT_TIME_UNSET;
	ev.data = p->bytes;
	ev.data_len = p->len;
	return ev;
}

/* Append one event {"child": 0, "n": n}; returns the code. */
static int append_n(struct fx *f, const char *stream, uint64_t expected, int64_t n,
		    struct kt_append_result *res)
{
	struct payload p = payload(0, n);
	struct kt_event ev = event("test.counted", &p);
	return kt_store_append(f->s, stream, expected, &ev, 1, res);
}

static void append_n_ok(struct fx *f, const char *stream, int64_t n)
{
	int rc = append_n(f, stream, KT_VERSION_ANY, n, NULL);
	if (rc)
		fail_msg("append to %s: %s", stream, kt_strerror(rc));
}

static uint64_t head_of(struct fx *f)
{
	kt_reader *r;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	uint64_t head = kt_reader_head(r);
	kt_reader_end(r);
	return head;
}

static uint64_t version_of(struct fx *f, const char *stream)
{
	kt_reader *r;
	uint64_t v = 12345;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_reader_stream_version(r, stream, &v), KT_OK);
	kt_reader_end(r);
	return v;
}

/* The positions of one stream's events, checking versions run 1, 2, 3, … */
static size_t stream_positions(kt_reader *r, const char *stream, uint64_t from, uint64_t *positions,
			       size_t max)
{
	kt_iter *it;
	struct kt_event ev;
	size_t n = 0;
	int rc;
	assert_int_equal(kt_iter_stream(r, stream, from, &it), KT_OK);
	uint64_t want = from ? from : 1;
	while ((rc = kt_iter_next(it, &ev)) == 0) {
		if (ev.version != want)
			fail_msg("%s: version %llu where %llu belongs", stream,
				 (unsigned long long)ev.version, (unsigned long long)want);
		if (ev.stream_len != strlen(stream) || memcmp(ev.stream, stream, ev.stream_len))
			fail_msg("%s: iterator returned an event of another stream", stream);
		want++;
		if (n < max)
			positions[n] = ev.position;
		n++;
	}
	assert_int_equal(rc, KT_ENOTFOUND);
	kt_iter_free(it);
	return n;
}

/* ---- open, create, reopen --------------------------------------------- */

static void test_store_create_makes_an_empty_stamped_store(void **state)
{
	struct fx *f = *state;
	struct kt_store_info info;
	static const uint8_t zero[32];
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_true(info.events == 0);
	assert_true(info.streams == 0);
	assert_true(info.head == 0);
	assert_true(info.last_recorded == 0);
	assert_true(info.format == KT_STORE_FORMAT);
	assert_false(kt_id_is_nil(info.store_id));
	assert_memory_equal(info.head_hash, zero, 32);
	assert_true(info.file_bytes > 0);
	assert_true(info.map_bytes >= SMALL_MAP);

	/* One data file plus FILE-lock, no directory. */
	struct stat st;
	char lock[400];
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	snprintf(lock, sizeof lock, "%s-lock", f->path);
	assert_int_equal(stat(lock, &st), 0);
}

static void test_store_reopen_keeps_events_and_identity(void **state)
{
	struct fx *f = *state;
	struct kt_store_info before, after;
	for (int k = 0; k < 3; k++)
		append_n_ok(f, "inspection-1", k);
	append_n_ok(f, "incident-1", 3);
	assert_int_equal(kt_store_info(f->s, &before), KT_OK);
	reopen(f, 0);
	assert_int_equal(kt_store_info(f->s, &after), KT_OK);
	assert_true(after.events == 4);
	assert_true(after.streams == 2);
	assert_memory_equal(after.store_id, before.store_id, 16);
	assert_memory_equal(after.head_hash, before.head_hash, 32);
	assert_true(after.last_recorded == before.last_recorded);

	kt_reader *r;
	struct kt_event ev;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	for (uint64_t pos = 1; pos <= 4; pos++) {
		assert_int_equal(kt_reader_get(r, pos, &ev), KT_OK);
		assert_true(ev.position == pos);
		assert_int_equal(payload_n(&ev), (int64_t)pos - 1);
	}
	kt_reader_end(r);
	/* Appending after a reopen continues the log and the stream. */
	struct kt_append_result res;
	assert_int_equal(append_n(f, "inspection-1", 3, 9, &res), KT_OK);
	assert_true(res.first_position == 5);
	assert_true(res.head_version == 4);
}

static void test_store_open_missing_file_without_create_is_not_found(void **state)
{
	struct fx *f = *state;
	close_store(f);
	char missing[400];
	snprintf(missing, sizeof missing, "%s/missing.db", f->dir);
	kt_store *s;
	assert_int_equal(kt_store_create(&s), KT_OK);
	assert_int_equal(kt_store_open(s, missing, 0), KT_ENOTFOUND);
	assert_int_equal(kt_store_open(s, missing, KT_OPEN_READONLY), KT_ENOTFOUND);
	kt_store_close(s);
	/* Nothing was created on the way. */
	struct stat st;
	assert_int_equal(stat(missing, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_store_open_rejects_bad_flags_and_double_open(void **state)
{
	struct fx *f = *state;
	/* Already open. */
	assert_int_equal(kt_store_open(f->s, f->path, 0), KT_EINVAL);
	/* Settings only before open. */
	assert_int_equal(kt_store_set_mapsize(f->s, SMALL_MAP), KT_EINVAL);
	assert_int_equal(kt_store_set_durable(f->s, 1), KT_EINVAL);
	assert_int_equal(kt_store_set_clock(f->s, fake_now, &f->clock), KT_EINVAL);
	close_store(f);
	kt_store *s;
	assert_int_equal(kt_store_create(&s), KT_OK);
	assert_int_equal(kt_store_set_mapsize(s, 0), KT_EINVAL);
	assert_int_equal(kt_store_set_clock(s, NULL, NULL), KT_EINVAL);
	assert_int_equal(kt_store_open(s, f->path, KT_OPEN_CREATE | KT_OPEN_READONLY), KT_EINVAL);
	assert_int_equal(kt_store_open(s, f->dir, 0), KT_EINVAL); /* a directory */
	/* The handle is still usable after those failures. */
	assert_int_equal(kt_store_open(s, f->path, 0), KT_OK);
	kt_store_close(s);
}

static void test_store_open_rejects_files_that_are_not_stores(void **state)
{
	struct fx *f = *state;
	char junk[400], bare[400];

	/* Text, not LMDB at all. */
	snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
	FILE *fp = fopen(junk, "w");
	assert_non_null(fp);
	for (int k = 0; k < 1000; k++)
		fputs("not a database\n", fp);
	fclose(fp);
	kt_store *s;
	assert_int_equal(kt_store_create(&s), KT_OK);
	assert_int_equal(kt_store_open(s, junk, 0), KT_EFORMAT);
	kt_store_close(s);

	/* LMDB, but without kontroll's databases. */
	snprintf(bare, sizeof bare, "%s/bare.db", f->dir);
	MDB_env *env;
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_open(env, bare, MDB_NOSUBDIR, 0644), 0);
	mdb_env_close(env);
	assert_int_equal(kt_store_create(&s), KT_OK);
	assert_int_equal(kt_store_open(s, bare, 0), KT_EFORMAT);
	kt_store_close(s);
}

static void test_store_open_rejects_a_store_of_another_format(void **state)
{
	struct fx *f = *state;
	close_store(f);
	/* Restamp the store as format 2 with raw LMDB. */
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi meta;
	uint8_t v[8] = { 0, 0, 0, 0, 0, 0, 0, KT_STORE_FORMAT + 1 };
	MDB_val k = { 6, "format" }, val = { 8, v };
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
	assert_int_equal(mdb_env_open(env, f->path, MDB_NOSUBDIR, 0644), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	assert_int_equal(mdb_put(txn, meta, &k, &val, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	assert_int_equal(open_store(f, 0, SMALL_MAP, NULL), KT_EFORMAT);
	kt_store_close(f->s);
	assert_int_equal(open_store(f, KT_OPEN_READONLY, SMALL_MAP, NULL), KT_EFORMAT);
	kt_store_close(f->s);
	/* Not even KT_OPEN_CREATE restamps it. */
	assert_int_equal(open_store(f, KT_OPEN_CREATE, SMALL_MAP, NULL), KT_EFORMAT);
}

static void test_store_readonly_reads_but_refuses_append(void **state)
{
	struct fx *f = *state;
	for (int k = 0; k < 3; k++)
		append_n_ok(f, "inspection-1", k);
	close_store(f);
	assert_int_equal(open_store(f, KT_OPEN_READONLY, SMALL_MAP, NULL), KT_OK);

	struct payload p = payload(0, 99);
	struct kt_event ev = event("test.counted", &p);
	struct kt_append_result res;
	assert_int_equal(kt_store_append(f->s, "inspection-1", KT_VERSION_ANY, &ev, 1, &res),
			 KT_EREADONLY);
	assert_true(kt_id_is_nil(ev.id));

	/* Everything reads as in a writable store. */
	kt_reader *r;
	struct kt_event got;
	uint64_t v = 0;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_true(kt_reader_head(r) == 3);
	assert_int_equal(kt_reader_get(r, 2, &got), KT_OK);
	assert_int_equal(payload_n(&got), 1);
	assert_int_equal(kt_reader_stream_version(r, "inspection-1", &v), KT_OK);
	assert_true(v == 3);
	uint64_t pos[4];
	assert_int_equal(stream_positions(r, "inspection-1", 0, pos, 4), 3);
	kt_reader_end(r);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_true(info.events == 3);
	struct kt_verify_report rep;
	assert_int_equal(kt_store_verify(f->s, &rep, NULL, NULL), KT_OK);
	assert_true(rep.events == 3);
}

/* ---- files that are not stores, and failed creation ------------------- */

/* The whole file at path in *len bytes (malloc'd), or NULL when unreadable. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	*len = 0;
	if (!fp)
		return NULL;
	uint8_t *data = NULL;
	size_t cap = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? 2 * cap : 4096;
			uint8_t *grown = realloc(data, cap);
			assert_non_null(grown);
			data = grown;
		}
		size_t n = fread(data + *len, 1, cap - *len, fp);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(fp);
	return data;
}

static void write_file(const char *path, const void *bytes, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	if (len)
		assert_int_equal(fwrite(bytes, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Non-zero when path-lock exists. */
static int has_lock_file(const char *path)
{
	char lock[600];
	snprintf(lock, sizeof lock, "%s-lock", path);
	return exists(lock);
}

/* The file at path still holds exactly len bytes equal to want. */
static void assert_file_is(const char *path, const uint8_t *want, size_t len)
{
	size_t now_len;
	uint8_t *now = read_file(path, &now_len);
	assert_non_null(now);
	assert_int_equal(now_len, len);
	if (len)
		assert_memory_equal(now, want, len);
	free(now);
}

/* The names in dir, sorted and joined by spaces, into out. */
static void list_dir(const char *dir, char *out, size_t max)
{
	char names[16][128];
	size_t n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_true(n < 16 && strlen(e->d_name) < sizeof names[0]);
		memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
	}
	closedir(d);
	for (size_t i = 1; i < n; i++) /* insertion sort: a handful of names */
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[128];
			memcpy(t, names[j], sizeof t);
			memcpy(names[j], names[j - 1], sizeof t);
			memcpy(names[j - 1], t, sizeof t);
		}
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strncat(out, " ", max - strlen(out) - 1);
		strncat(out, names[i], max - strlen(out) - 1);
	}
}

/* Open path with a handle of its own and close it again; returns the code. */
static int try_open(const char *path, unsigned flags)
{
	kt_store *s;
	int rc = kt_store_create(&s);
	if (rc)
		return rc;
	if (!(rc = kt_store_set_mapsize(s, SMALL_MAP)) && !(rc = kt_store_set_durable(s, 0)))
		rc = kt_store_open(s, path, flags);
	kt_store_close(s);
	return rc;
}

static void test_store_open_excl_creates_a_store_and_refuses_an_existing_file(void **state)
{
	struct fx *f = *state;
	close_store(f);
	char path[400];
	snprintf(path, sizeof path, "%s/excl.db", f->dir);

	/* A new file becomes a stamped, usable store. */
	kt_store *s;
	struct kt_store_info info;
	assert_int_equal(kt_store_create(&s), KT_OK);
	assert_int_equal(kt_store_set_mapsize(s, SMALL_MAP), KT_OK);
	assert_int_equal(kt_store_open(s, path, KT_OPEN_EXCL), KT_OK);
	assert_int_equal(kt_store_info(s, &info), KT_OK);
	assert_true(info.format == KT_STORE_FORMAT);
	assert_true(info.events == 0);
	assert_false(kt_id_is_nil(info.store_id));
	struct payload p = payload(0, 1);
	struct kt_event ev = event("t", &p);
	assert_int_equal(kt_store_append(s, "s", KT_VERSION_NONE, &ev, 1, NULL), KT_OK);
	kt_store_close(s);

	/* Every kind of existing file is refused, and left as it was: that
	 * store, the fixture's store, an empty file, a text file. */
	char empty[400], text[400];
	snprintf(empty, sizeof empty, "%s/empty.db", f->dir);
	snprintf(text, sizeof text, "%s/text.db", f->dir);
	write_file(empty, "", 0);
	write_file(text, "not a store\n", 12);
	const char *const paths[] = { path, f->path, empty, text };
	for (size_t k = 0; k < 4; k++) {
		size_t len;
		uint8_t *before = read_file(paths[k], &len);
		assert_non_null(before);
		int lock_before = has_lock_file(paths[k]);
		for (int also_create = 0; also_create < 2; also_create++) {
			unsigned flags = KT_OPEN_EXCL | (also_create ? KT_OPEN_CREATE : 0);
			int rc = try_open(paths[k], flags);
			if (rc != KT_EEXIST)
				fail_msg("%s: got %d, want KT_EEXIST", paths[k], rc);
		}
		assert_file_is(paths[k], before, len);
		assert_int_equal(has_lock_file(paths[k]), lock_before);
		free(before);
	}
	/* The store made with KT_OPEN_EXCL still holds its event. */
	assert_int_equal(kt_store_create(&s), KT_OK);
	assert_int_equal(kt_store_open(s, path, 0), KT_OK);
	assert_int_equal(kt_store_info(s, &info), KT_OK);
	assert_true(info.events == 1);
	kt_store_close(s);
	/* A create flag with read-only is refused before the file is looked at. */
	char other[400];
	snprintf(other, sizeof other, "%s/other.db", f->dir);
	assert_int_equal(try_open(other, KT_OPEN_EXCL | KT_OPEN_READONLY), KT_EINVAL);
	assert_false(exists(other));
}

static void test_store_open_empty_file_without_create_is_not_a_store(void **state)
{
	struct fx *f = *state;
	char path[400];
	snprintf(path, sizeof path, "%s/empty.db", f->dir);
	write_file(path, "", 0);
	assert_int_equal(try_open(path, 0), KT_EFORMAT);
	assert_int_equal(try_open(path, KT_OPEN_READONLY), KT_EFORMAT);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size == 0);
	assert_false(has_lock_file(path));
}

static void test_store_open_text_file_is_not_a_store_and_gets_no_lock_file(void **state)
{
	struct fx *f = *state;
	char path[400];
	/* Long text, text shorter than LMDB's header, and one binary byte. */
	static const char *const contents[] = { NULL, "hi\n", "\xde" };
	for (size_t k = 0; k < 3; k++) {
		snprintf(path, sizeof path, "%s/text-%zu.db", f->dir, k);
		if (contents[k]) {
			write_file(path, contents[k], strlen(contents[k]));
		} else {
			FILE *fp = fopen(path, "w");
			assert_non_null(fp);
			for (int n = 0; n < 1000; n++)
				fputs("inspection,2025-01-01,Helse\n", fp);
			fclose(fp);
		}
		size_t len;
		uint8_t *before = read_file(path, &len);
		assert_non_null(before);
		static const unsigned flags[] = { 0, KT_OPEN_READONLY, KT_OPEN_CREATE };
		for (size_t i = 0; i < 3; i++) {
			int rc = try_open(path, flags[i]);
			if (rc != KT_EFORMAT)
				fail_msg("text file %zu, flags %u: got %d, want KT_EFORMAT", k,
					 flags[i], rc);
			if (has_lock_file(path))
				fail_msg("text file %zu, flags %u: a lock file appeared", k,
					 flags[i]);
		}
		assert_file_is(path, before, len);
		free(before);
	}
}

/* A plain LMDB environment in one file, with one key in its unnamed
 * database: LMDB, but not a kontroll store. */
static void make_foreign_lmdb(const char *path, const char *key)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { strlen(key), (void *)key }, v = { 5, "value" };
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR, 0644), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
	assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

static void test_store_open_create_refuses_a_foreign_lmdb_file_untouched(void **state)
{
	struct fx *f = *state;
	/* An ordinary key, and keys named like kontroll's databases. */
	static const char *const keys[] = { "some-key", "events", "meta" };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		char path[400];
		snprintf(path, sizeof path, "%s/foreign-%zu.db", f->dir, k);
		make_foreign_lmdb(path, keys[k]);
		size_t len;
		uint8_t *before = read_file(path, &len);
		assert_non_null(before);
		static const unsigned flags[] = { KT_OPEN_CREATE, 0, KT_OPEN_READONLY };
		for (size_t i = 0; i < 3; i++) {
			int rc = try_open(path, flags[i]);
			if (rc != KT_EFORMAT)
				fail_msg("key \"%s\", flags %u: got %d (%s), want KT_EFORMAT",
					 keys[k], flags[i], rc, kt_strerror(rc));
		}
		assert_file_is(path, before, len);
		free(before);
		/* And its key is still there for its owner. */
		MDB_env *env;
		MDB_txn *txn;
		MDB_dbi dbi;
		MDB_val key = { strlen(keys[k]), (void *)keys[k] }, v;
		assert_int_equal(mdb_env_create(&env), 0);
		assert_int_equal(mdb_env_open(env, path, MDB_NOSUBDIR | MDB_RDONLY, 0644), 0);
		assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
		assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
		assert_int_equal(mdb_get(txn, dbi, &key, &v), 0);
		assert_int_equal(v.mv_size, 5);
		assert_memory_equal(v.mv_data, "value", 5);
		mdb_txn_abort(txn);
		mdb_env_close(env);
	}
}

static void test_store_open_create_on_an_empty_file_makes_a_store(void **state)
{
	struct fx *f = *state;
	close_store(f);
	/* Left by a creation that did not finish. */
	write_file(f->path, "", 0);
	char lock[400];
	snprintf(lock, sizeof lock, "%s-lock", f->path);
	unlink(lock);
	assert_int_equal(open_store(f, KT_OPEN_CREATE, SMALL_MAP, NULL), KT_OK);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_true(info.format == KT_STORE_FORMAT);
	assert_true(info.events == 0);
	assert_false(kt_id_is_nil(info.store_id));
	assert_true(info.file_bytes > 0);
	append_n_ok(f, "s", 5);
	reopen(f, 0);
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_true(info.events == 1);
	assert_true(info.format == KT_STORE_FORMAT);
}

static void test_store_open_truncated_copy_is_corrupt(void **state)
{
	struct fx *f = *state;
	char filler[64];
	for (int k = 0; k < 200; k++) {
		snprintf(filler, sizeof filler, "stream-%d", k % 17);
		append_n_ok(f, filler, k);
	}
	close_store(f);
	size_t len;
	uint8_t *whole = read_file(f->path, &len);
	assert_non_null(whole);
	assert_true(len >= 4 * 4096); /* both meta pages survive the cut */

	char copy[400];
	snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
	/* The whole copy opens; half of it, or all but one byte, do not. */
	write_file(copy, whole, len);
	assert_int_equal(try_open(copy, 0), KT_OK);
	static const unsigned flags[] = { 0, KT_OPEN_READONLY, KT_OPEN_CREATE };
	const size_t cuts[] = { len / 2, len - 1 };
	for (size_t c = 0; c < 2; c++) {
		char lock[420];
		snprintf(lock, sizeof lock, "%s-lock", copy);
		unlink(lock);
		write_file(copy, whole, cuts[c]);
		for (size_t i = 0; i < 3; i++) {
			int rc = try_open(copy, flags[i]);
			if (rc != KT_ECORRUPT)
				fail_msg(
				    "cut to %zu of %zu bytes, flags %u: got %d, want KT_ECORRUPT",
				    cuts[c], len, flags[i], rc);
		}
		assert_file_is(copy, whole, cuts[c]); /* never "repaired" */
	}
	free(whole);
}

static void test_store_failed_create_leaves_no_files_behind(void **state)
{
	struct fx *f = *state;
	char before[1024], after[1024], path[400];
	list_dir(f->dir, before, sizeof before);
	assert_string_equal(before, "kontroll.db kontroll.db-lock");

	/* The parent directory does not exist. */
	snprintf(path, sizeof path, "%s/missing/new.db", f->dir);
	assert_int_equal(try_open(path, KT_OPEN_EXCL), ENOENT);
	assert_int_equal(try_open(path, KT_OPEN_CREATE), ENOENT);
	list_dir(f->dir, after, sizeof after);
	assert_string_equal(after, before);

	/* The lock file cannot be made (a directory stands in its way): with
	 * KT_OPEN_EXCL the data file exists by then and must go again. */
	char lockdir[420];
	snprintf(path, sizeof path, "%s/new.db", f->dir);
	snprintf(lockdir, sizeof lockdir, "%s-lock", path);
	assert_int_equal(mkdir(lockdir, 0755), 0);
	assert_int_equal(try_open(path, KT_OPEN_EXCL), EISDIR);
	assert_false(exists(path));
	assert_int_equal(try_open(path, KT_OPEN_CREATE), EISDIR);
	assert_false(exists(path));
	list_dir(f->dir, after, sizeof after);
	assert_string_equal(after, "kontroll.db kontroll.db-lock new.db-lock");
	assert_int_equal(rmdir(lockdir), 0);
	/* Nothing was left to stop a later creation. */
	assert_int_equal(try_open(path, KT_OPEN_EXCL), KT_OK);
}

/* ---- append ----------------------------------------------------------- */

static void test_store_append_writes_back_ids_versions_positions_and_times(void **state)
{
	struct fx *f = *state;
	/* The store exists already: only appends ask the clock. */
	static const int64_t steps[] = { 1000000, 2000000 };
	f->clock = (struct fake_clock){ steps, 2, 0, 0 };
	assert_int_equal(open_store(f, 0, SMALL_MAP, &f->clock), KT_OK);

	append_n_ok(f, "other", 0); /* position 1, recorded 1000000 */
	struct payload p[3] = { payload(0, 1), payload(0, 2), payload(0, 3) };
	struct kt_event ev[3] = { event("a.one", &p[0]), event("a.two", &p[1]),
				  event("a.three", &p[2]) };
	static const uint8_t given[16] = { 0x01, 0x93, 0, 0, 0, 0, 0x70, 0,
					   0x80, 0,    0, 0, 0, 0, 0,	 7 };
	memcpy(ev[1].id, given, 16);
	ev[2].effective = -INT64_C(5000000);
	char stream[] = "inspection-T-2025-007";
	struct kt_append_result res;
	memset(&res, 0xff, sizeof res);
	assert_int_equal(kt_store_append(f->s, stream, KT_VERSION_NONE, ev, 3, &res), KT_OK);
	assert_true(res.first_position == 2);
	assert_true(res.last_position == 4);
	assert_true(res.head_version == 3);
	assert_int_equal(res.duplicate, 0);

	assert_false(kt_id_is_nil(ev[0].id));
	assert_int_equal(ev[0].id[6] >> 4, 7);
	assert_memory_equal(ev[1].id, given, 16);
	assert_false(kt_id_is_nil(ev[2].id));
	assert_true(memcmp(ev[0].id, ev[2].id, 16) != 0);
	for (int k = 0; k < 3; k++) {
		assert_ptr_equal(ev[k].stream, stream);
		assert_int_equal(ev[k].stream_len, strlen(stream));
		assert_true(ev[k].version == (uint64_t)k + 1);
		assert_true(ev[k].position == (uint64_t)k + 2);
		assert_true(ev[k].recorded == 2000000); /* one batch, one time */
	}
	assert_true(ev[0].effective == 2000000);
	assert_true(ev[1].effective == 2000000);
	assert_true(ev[2].effective == -5000000);

	/* What was written back is what was stored. */
	kt_reader *r;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	for (int k = 0; k < 3; k++) {
		struct kt_event got;
		assert_int_equal(kt_reader_get_by_id(r, ev[k].id, &got), KT_OK);
		assert_true(got.position == ev[k].position);
		assert_true(got.version == ev[k].version);
		assert_true(got.recorded == ev[k].recorded);
		assert_true(got.effective == ev[k].effective);
		assert_int_equal(got.type_len, ev[k].type_len);
		assert_memory_equal(got.type, ev[k].type, got.type_len);
		assert_int_equal(got.actor_len, 6);
		assert_memory_equal(got.actor, "tester", 6);
		assert_int_equal(payload_n(&got), k + 1);
		assert_true(kt_event_same_content(&got, &ev[k]));
	}
	kt_reader_end(r);
}

static void test_store_append_with_expected_none_requires_a_new_stream(void **state)
{
	struct fx *f = *state;
	struct kt_append_result res;
	assert_int_equal(append_n(f, "incident-1", KT_VERSION_NONE, 0, &res), KT_OK);
	assert_true(res.head_version == 1);
	assert_int_equal(append_n(f, "incident-1", KT_VERSION_NONE, 1, &res), KT_EVERSION);
	assert_true(res.head_version == 1);
	assert_true(head_of(f) == 1);
	/* Another stream is new, whatever else is in the log. */
	assert_int_equal(append_n(f, "incident-2", KT_VERSION_NONE, 2, &res), KT_OK);
	assert_true(res.head_version == 1);
	assert_true(res.first_position == 2);
}

static void test_store_append_with_exact_version_checks_the_head(void **state)
{
	struct fx *f = *state;
	struct kt_append_result res;
	assert_int_equal(append_n(f, "goal-1", KT_VERSION_ANY, 0, &res), KT_OK);
	assert_true(res.head_version == 1);
	assert_int_equal(append_n(f, "goal-1", 1, 1, &res), KT_OK);
	assert_true(res.head_version == 2);
	assert_int_equal(append_n(f, "goal-1", 2, 2, &res), KT_OK);
	assert_true(res.head_version == 3);
	assert_int_equal(append_n(f, "goal-1", KT_VERSION_ANY, 3, &res), KT_OK);
	assert_true(res.head_version == 4);
	assert_true(version_of(f, "goal-1") == 4);
}

static void test_store_append_rejects_wrong_version_and_writes_nothing(void **state)
{
	struct fx *f = *state;
	append_n_ok(f, "order-1", 0);
	append_n_ok(f, "order-1", 1);
	struct kt_store_info before, after;
	assert_int_equal(kt_store_info(f->s, &before), KT_OK);

	static const uint64_t wrong[] = { 1, 3, 100, KT_VERSION_NONE, KT_VERSION_ANY - 1 };
	for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++) {
		struct payload p[2] = { payload(0, 7), payload(0, 8) };
		struct kt_event ev[2] = { event("t", &p[0]), event("t", &p[1]) };
		struct kt_append_result res;
		assert_int_equal(kt_store_append(f->s, "order-1", wrong[k], ev, 2, &res),
				 KT_EVERSION);
		assert_true(res.head_version == 2);
		assert_int_equal(res.duplicate, 0);
		/* The caller's events are as they were given. */
		for (int e = 0; e < 2; e++) {
			assert_true(kt_id_is_nil(ev[e].id));
			assert_true(ev[e].effective == KT_TIME_UNSET);
			assert_true(ev[e].position == 0);
		}
	}
	assert_int_equal(kt_store_info(f->s, &after), KT_OK);
	assert_true(after.events == before.events);
	assert_memory_equal(after.head_hash, before.head_hash, 32);
	assert_true(version_of(f, "order-1") == 2);
	/* A version check on a stream that does not exist reports head 0. */
	struct kt_append_result res;
	assert_int_equal(append_n(f, "order-2", 1, 0, &res), KT_EVERSION);
	assert_true(res.head_version == 0);
	assert_true(version_of(f, "order-2") == 0);
}

static void test_store_append_retry_of_a_stored_batch_is_a_duplicate(void **state)
{
	struct fx *f = *state;
	append_n_ok(f, "before", 0);
	struct payload p[2] = { payload(0, 1), payload(0, 2) };
	struct kt_event ev[2] = { event("t.one", &p[0]), event("t.two", &p[1]) };
	ev[1].effective = 123456;
	struct kt_append_result first;
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_NONE, ev, 2, &first), KT_OK);
	assert_true(first.first_position == 2 && first.last_position == 3);
	/* The stream moves on, so the retry's expected version is now stale. */
	append_n_ok(f, "case-1", 3);
	struct kt_store_info before, after;
	assert_int_equal(kt_store_info(f->s, &before), KT_OK);

	/* The retry: the same inputs with the ids the first attempt got. */
	struct kt_event again[2] = { event("t.one", &p[0]), event("t.two", &p[1]) };
	again[1].effective = 123456;
	memcpy(again[0].id, ev[0].id, 16);
	memcpy(again[1].id, ev[1].id, 16);
	struct kt_append_result res;
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_NONE, again, 2, &res), KT_OK);
	assert_int_equal(res.duplicate, 1);
	assert_true(res.first_position == 2);
	assert_true(res.last_position == 3);
	assert_true(res.head_version == 3);
	for (int k = 0; k < 2; k++) {
		assert_true(again[k].position == ev[k].position);
		assert_true(again[k].version == ev[k].version);
		assert_true(again[k].recorded == ev[k].recorded);
		assert_true(again[k].effective == ev[k].effective);
	}
	assert_int_equal(kt_store_info(f->s, &after), KT_OK);
	assert_true(after.events == before.events);
	assert_memory_equal(after.head_hash, before.head_hash, 32);

	/* An exact expected version and ANY are no different for a retry. */
	assert_int_equal(kt_store_append(f->s, "case-1", 1, again, 2, &res), KT_OK);
	assert_int_equal(res.duplicate, 1);
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, again, 2, &res), KT_OK);
	assert_int_equal(res.duplicate, 1);
	/* So is a retry of one event of the batch. */
	assert_int_equal(kt_store_append(f->s, "case-1", 99, &again[1], 1, &res), KT_OK);
	assert_int_equal(res.duplicate, 1);
	assert_true(res.first_position == 3 && res.last_position == 3);
	assert_true(head_of(f) == 4);
}

static void test_store_append_rejects_reused_id_with_other_content(void **state)
{
	struct fx *f = *state;
	struct payload p = payload(0, 1), other = payload(0, 2);
	struct kt_event ev = event("t.one", &p);
	ev.effective = 1000;
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, &ev, 1, NULL), KT_OK);
	append_n_ok(f, "case-2", 0);
	uint64_t head = head_of(f);

	for (int variant = 0; variant < 6; variant++) {
		struct kt_event again = event("t.one", &p);
		const char *stream = "case-1";
		again.effective = 1000;
		memcpy(again.id, ev.id, 16);
		switch (variant) {
		case 0:
			again.data = other.bytes;
			again.data_len = other.len;
			break;
		case 1:
			again.type = "t.two";
			break;
		case 2:
			stream = "case-2";
			break;
		case 3:
			again.effective = 1001;
			break;
		case 4:
			again.actor = "someone";
			again.actor_len = 7;
			break;
		case 5:
			again.correlation[0] = 1;
			break;
		}
		struct kt_append_result res;
		int rc = kt_store_append(f->s, stream, KT_VERSION_ANY, &again, 1, &res);
		if (rc != KT_EIDREUSED)
			fail_msg("variant %d: got %d, want KT_EIDREUSED", variant, rc);
		assert_int_equal(res.duplicate, 0);
	}
	assert_true(head_of(f) == head);
}

static void test_store_append_rejects_partially_stored_batch(void **state)
{
	struct fx *f = *state;
	struct payload p[2] = { payload(0, 1), payload(0, 2) };
	struct kt_event stored = event("t", &p[0]);
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, &stored, 1, NULL), KT_OK);
	uint64_t head = head_of(f);

	/* Stored event first, then a new one; and the other way round. */
	for (int order = 0; order < 2; order++) {
		struct kt_event batch[2];
		struct kt_event *old = &batch[order], *fresh = &batch[1 - order];
		*old = event("t", &p[0]);
		memcpy(old->id, stored.id, 16);
		*fresh = event("t", &p[1]);
		struct kt_append_result res;
		assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, batch, 2, &res),
				 KT_EIDREUSED);
		assert_int_equal(res.duplicate, 0);
		assert_true(kt_id_is_nil(fresh->id)); /* the generated id was taken back */
		assert_true(fresh->position == 0);
		assert_true(head_of(f) == head);
	}
	/* The stored event, then a new one with an id of its own. */
	struct kt_event own_id[2] = { event("t", &p[0]), event("t", &p[1]) };
	memcpy(own_id[0].id, stored.id, 16);
	assert_int_equal(kt_id_generate(own_id[1].id), KT_OK);
	struct kt_append_result res;
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, own_id, 2, &res),
			 KT_EIDREUSED);
	assert_int_equal(res.duplicate, 0);
	assert_true(head_of(f) == head);
	/* A new event with an id of its own, then the stored one. */
	struct kt_event batch[2] = { event("t", &p[1]), event("t", &p[0]) };
	assert_int_equal(kt_id_generate(batch[0].id), KT_OK);
	memcpy(batch[1].id, stored.id, 16);
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, batch, 2, NULL),
			 KT_EIDREUSED);
	assert_true(head_of(f) == head);
	assert_true(version_of(f, "case-1") == 1);
}

static void test_store_append_rejects_one_id_twice_in_a_batch(void **state)
{
	struct fx *f = *state;
	append_n_ok(f, "before", 0);
	struct payload p = payload(0, 1);
	struct kt_event batch[3] = { event("t", &p), event("t", &p), event("t", &p) };
	assert_int_equal(kt_id_generate(batch[0].id), KT_OK);
	memcpy(batch[2].id, batch[0].id, 16);
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, batch, 3, NULL),
			 KT_EIDREUSED);
	assert_true(head_of(f) == 1);
	assert_true(version_of(f, "case-1") == 0);
	assert_true(kt_id_is_nil(batch[1].id));

	/* Also when that id is stored already: a batch never repeats an id. */
	struct kt_event one = event("t", &p);
	memcpy(one.id, batch[0].id, 16);
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, &one, 1, NULL), KT_OK);
	struct kt_event twice[2] = { event("t", &p), event("t", &p) };
	memcpy(twice[0].id, one.id, 16);
	memcpy(twice[1].id, one.id, 16);
	struct kt_append_result res;
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, twice, 2, &res),
			 KT_EIDREUSED);
	assert_int_equal(res.duplicate, 0);
	assert_true(head_of(f) == 2);
}

static void test_store_append_batch_is_all_or_nothing(void **state)
{
	struct fx *f = *state;
	append_n_ok(f, "before", 0);
	struct payload p[3] = { payload(0, 1), payload(0, 2), payload(0, 3) };
	struct kt_event batch[3] = { event("t", &p[0]), event("t", &p[1]), event("t", &p[2]) };
	/* The third event's data is not a map: found only while writing. */
	batch[2].data = (const uint8_t *)"\x92\x01\x02";
	batch[2].data_len = 3;
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, batch, 3, NULL),
			 KT_EMALFORMED);
	assert_true(head_of(f) == 1);
	assert_true(version_of(f, "case-1") == 0);
	for (int k = 0; k < 3; k++) {
		assert_true(kt_id_is_nil(batch[k].id));
		assert_true(batch[k].effective == KT_TIME_UNSET);
	}
	/* Fixed, the same batch goes in whole. */
	batch[2].data = p[2].bytes;
	batch[2].data_len = p[2].len;
	struct kt_append_result res;
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_NONE, batch, 3, &res), KT_OK);
	assert_true(res.first_position == 2 && res.last_position == 4);
}

static void test_store_append_rejects_bad_input_and_leaves_the_head(void **state)
{
	struct fx *f = *state;
	append_n_ok(f, "before", 0);
	struct kt_store_info before, after;
	assert_int_equal(kt_store_info(f->s, &before), KT_OK);
	struct payload p = payload(0, 1);
	struct kt_event ev;

	/* A payload one byte over KT_DATA_MAX. */
	size_t big_len = KT_DATA_MAX + 1;
	uint8_t *big = malloc(big_len);
	assert_non_null(big);
	size_t body = big_len - 6;
	big[0] = 0x81;
	big[1] = 0xa1;
	big[2] = 'd';
	big[3] = 0xda;
	big[4] = (uint8_t)(body >> 8);
	big[5] = (uint8_t)body;
	memset(big + 6, 'x', body);
	ev = event("t", &p);
	ev.data = big;
	ev.data_len = big_len;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_ETOOBIG);
	/* Exactly KT_DATA_MAX is fine (checked last, after the failures). */

	ev = event("t", &p);
	ev.type = "";
	ev.type_len = 0;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_EINVAL);
	ev = event("t", &p);
	ev.type = NULL;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_EINVAL);
	ev = event("t", &p);
	ev.type_len = KT_TYPE_MAX + 1;
	char long_type[KT_TYPE_MAX + 1];
	memset(long_type, 't', sizeof long_type);
	ev.type = long_type;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_ETOOBIG);
	ev = event("t", &p);
	ev.data = NULL;
	ev.data_len = 0;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_EINVAL);
	ev = event("t", &p);
	ev.data = (const uint8_t *)"\x81\x01\x02"; /* an integer key */
	ev.data_len = 3;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_EMALFORMED);
	ev = event("t", &p);
	ev.actor = NULL; /* a length without the bytes */
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_EINVAL);

	/* Streams: empty, missing, over-long. */
	ev = event("t", &p);
	assert_int_equal(kt_store_append(f->s, "", KT_VERSION_ANY, &ev, 1, NULL), KT_EINVAL);
	assert_int_equal(kt_store_append(f->s, NULL, KT_VERSION_ANY, &ev, 1, NULL), KT_EINVAL);
	char long_stream[KT_STREAM_MAX + 2];
	memset(long_stream, 's', KT_STREAM_MAX + 1);
	long_stream[KT_STREAM_MAX + 1] = '\0';
	assert_int_equal(kt_store_append(f->s, long_stream, KT_VERSION_ANY, &ev, 1, NULL),
			 KT_ETOOBIG);

	/* Batch sizes: none, and one over the maximum. */
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 0, NULL), KT_EINVAL);
	struct kt_event *many = calloc(KT_BATCH_MAX + 1, sizeof *many);
	assert_non_null(many);
	for (size_t k = 0; k < KT_BATCH_MAX + 1; k++)
		many[k] = event("t", &p);
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, many, KT_BATCH_MAX + 1, NULL),
			 KT_EINVAL);
	free(many);

	assert_int_equal(kt_store_info(f->s, &after), KT_OK);
	assert_true(after.events == before.events);
	assert_true(after.streams == before.streams);
	assert_memory_equal(after.head_hash, before.head_hash, 32);
	assert_true(version_of(f, "s") == 0);

	/* A stream name at its limit is fine. */
	long_stream[KT_STREAM_MAX] = '\0';
	assert_int_equal(kt_store_append(f->s, long_stream, KT_VERSION_NONE, &ev, 1, NULL), KT_OK);
	/* And so is data of exactly KT_DATA_MAX bytes. */
	body = KT_DATA_MAX - 6;
	big[4] = (uint8_t)(body >> 8);
	big[5] = (uint8_t)body;
	ev = event("t", &p);
	ev.data = big;
	ev.data_len = KT_DATA_MAX;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_NONE, &ev, 1, NULL), KT_OK);
	free(big);
	kt_reader *r;
	struct kt_event got;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_reader_get(r, 3, &got), KT_OK);
	assert_int_equal(got.data_len, KT_DATA_MAX);
	kt_reader_end(r);
}

/* ---- append: failed retries and untouched events ---------------------- */

/* Events whose store-written fields hold values the store must overwrite on
 * success — and leave alone on failure. */
static void fill_junk(struct kt_event *ev, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		ev[k].stream = "junk";
		ev[k].stream_len = 4;
		ev[k].version = 777 + k;
		ev[k].recorded = 555;
		ev[k].position = 999 + k;
	}
}

/* The events are byte for byte as copied before the call, field by field
 * first for a readable failure. */
static void assert_events_as_given(const struct kt_event *ev, const struct kt_event *given,
				   size_t n)
{
	for (size_t k = 0; k < n; k++) {
		assert_memory_equal(ev[k].id, given[k].id, 16);
		assert_ptr_equal(ev[k].stream, given[k].stream);
		assert_int_equal(ev[k].stream_len, given[k].stream_len);
		assert_true(ev[k].version == given[k].version);
		assert_true(ev[k].recorded == given[k].recorded);
		assert_true(ev[k].effective == given[k].effective);
		assert_true(ev[k].position == given[k].position);
		assert_ptr_equal(ev[k].type, given[k].type);
		assert_ptr_equal(ev[k].data, given[k].data);
		assert_int_equal(ev[k].data_len, given[k].data_len);
	}
	assert_memory_equal(ev, given, n * sizeof *ev);
}

/* Append n events expecting rc; the store and the events stay as they were. */
static void append_fails(struct fx *f, const char *stream, uint64_t expected, struct kt_event *ev,
			 size_t n, int want, const char *what)
{
	struct kt_event given[4];
	struct kt_store_info before, after;
	assert_true(n <= 4);
	memcpy(given, ev, n * sizeof *ev);
	assert_int_equal(kt_store_info(f->s, &before), KT_OK);
	struct kt_append_result res;
	int rc = kt_store_append(f->s, stream, expected, ev, n, &res);
	if (rc != want)
		fail_msg("%s: got %d (%s), want %d", what, rc, kt_strerror(rc), want);
	assert_int_equal(res.duplicate, 0);
	assert_events_as_given(ev, given, n);
	assert_int_equal(kt_store_info(f->s, &after), KT_OK);
	assert_true(after.events == before.events);
	assert_true(after.streams == before.streams);
	assert_memory_equal(after.head_hash, before.head_hash, 32);
}

static void test_store_append_retry_in_another_order_is_id_reused(void **state)
{
	struct fx *f = *state;
	struct payload p[2] = { payload(0, 1), payload(0, 2) };
	struct kt_event ab[2] = { event("t.a", &p[0]), event("t.b", &p[1]) };
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_NONE, ab, 2, NULL), KT_OK);

	/* Each event with its own id and content, but B first. */
	struct kt_event ba[2] = { event("t.b", &p[1]), event("t.a", &p[0]) };
	memcpy(ba[0].id, ab[1].id, 16);
	memcpy(ba[1].id, ab[0].id, 16);
	fill_junk(ba, 2);
	append_fails(f, "case-1", KT_VERSION_ANY, ba, 2, KT_EIDREUSED, "[B, A] after [A, B]");
	append_fails(f, "case-1", 2, ba, 2, KT_EIDREUSED, "[B, A] at the head version");

	/* Each alone, and both in order, are the retries they look like. */
	struct kt_append_result res;
	for (int k = 0; k < 2; k++) {
		struct kt_event one = ba[k];
		assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, &one, 1, &res),
				 KT_OK);
		assert_int_equal(res.duplicate, 1);
		assert_true(one.position == (uint64_t)(2 - k));
	}
	struct kt_event again[2] = { ba[1], ba[0] };
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_ANY, again, 2, &res), KT_OK);
	assert_int_equal(res.duplicate, 1);
	assert_true(res.first_position == 1 && res.last_position == 2);
	assert_true(head_of(f) == 2);
}

static void test_store_append_batch_naming_a_stored_id_twice_is_id_reused(void **state)
{
	struct fx *f = *state;
	struct payload p[2] = { payload(0, 1), payload(0, 2) };
	struct kt_event ab[2] = { event("t.a", &p[0]), event("t.b", &p[1]) };
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_NONE, ab, 2, NULL), KT_OK);

	/* [A, A], [B, B], [A, B, A], [A, B, B]: each event as stored. */
	static const int shapes[][3] = { { 0, 0, -1 }, { 1, 1, -1 }, { 0, 1, 0 }, { 0, 1, 1 } };
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		struct kt_event batch[3];
		size_t n = 0;
		for (int k = 0; k < 3 && shapes[s][k] >= 0; k++) {
			int which = shapes[s][k];
			batch[n] = event(which ? "t.b" : "t.a", &p[which]);
			memcpy(batch[n].id, ab[which].id, 16);
			n++;
		}
		fill_junk(batch, n);
		char what[32];
		snprintf(what, sizeof what, "shape %zu", s);
		append_fails(f, "case-1", KT_VERSION_ANY, batch, n, KT_EIDREUSED, what);
	}
	assert_true(head_of(f) == 2);
	assert_true(version_of(f, "case-1") == 2);
}

/* A payload one byte over KT_DATA_MAX; the caller frees it. */
static uint8_t *oversized_payload(size_t *len)
{
	*len = KT_DATA_MAX + 1;
	uint8_t *big = malloc(*len);
	assert_non_null(big);
	size_t body = *len - 6;
	big[0] = 0x81;
	big[1] = 0xa1;
	big[2] = 'd';
	big[3] = 0xda;
	big[4] = (uint8_t)(body >> 8);
	big[5] = (uint8_t)body;
	memset(big + 6, 'x', body);
	return big;
}

static void test_store_failed_append_leaves_the_callers_events_as_given(void **state)
{
	struct fx *f = *state;
	struct payload p[3] = { payload(0, 1), payload(0, 2), payload(0, 3) };
	struct kt_event stored = event("t.stored", &p[0]);
	assert_int_equal(kt_store_append(f->s, "case-1", KT_VERSION_NONE, &stored, 1, NULL), KT_OK);
	struct kt_event batch[2];

	/* Each batch: a nil id with effective left to the store, then one with
	 * an id and an effective time of its own — unless the case needs other. */
#define BATCH()                                                                                    \
	do {                                                                                       \
		batch[0] = event("t.one", &p[1]);                                                  \
		batch[1] = event("t.two", &p[2]);                                                  \
		assert_int_equal(kt_id_generate(batch[1].id), KT_OK);                              \
		batch[1].effective = 123456;                                                       \
		fill_junk(batch, 2);                                                               \
	} while (0)

	BATCH();
	append_fails(f, "case-1", 5, batch, 2, KT_EVERSION, "a wrong version");
	BATCH();
	append_fails(f, "case-1", KT_VERSION_NONE, batch, 2, KT_EVERSION, "a stream that exists");

	/* The first id stored (the retry check fills event 0), the second new. */
	BATCH();
	batch[0] = event("t.stored", &p[0]);
	memcpy(batch[0].id, stored.id, 16);
	fill_junk(batch, 2);
	append_fails(f, "case-1", KT_VERSION_ANY, batch, 2, KT_EIDREUSED, "stored, then new");
	/* The first new (written before the clash), the second stored. */
	BATCH();
	memcpy(batch[1].id, stored.id, 16);
	append_fails(f, "case-1", KT_VERSION_ANY, batch, 2, KT_EIDREUSED, "new, then stored");
	/* The first stored with other content. */
	BATCH();
	memcpy(batch[0].id, stored.id, 16);
	append_fails(f, "case-1", KT_VERSION_ANY, batch, 2, KT_EIDREUSED, "other content");

	/* The second event is too big: the first was encoded and put by then. */
	size_t big_len;
	uint8_t *big = oversized_payload(&big_len);
	BATCH();
	batch[1].data = big;
	batch[1].data_len = big_len;
	append_fails(f, "case-1", KT_VERSION_ANY, batch, 2, KT_ETOOBIG, "data over the limit");
	free(big);
	char long_type[KT_TYPE_MAX + 1];
	memset(long_type, 't', sizeof long_type);
	BATCH();
	batch[1].type = long_type;
	batch[1].type_len = sizeof long_type;
	append_fails(f, "case-1", KT_VERSION_ANY, batch, 2, KT_ETOOBIG, "a type over the limit");
	BATCH();
	batch[1].data = (const uint8_t *)"\x92\x01\x02";
	batch[1].data_len = 3;
	append_fails(f, "case-1", KT_VERSION_ANY, batch, 2, KT_EMALFORMED, "data not a map");
	BATCH();
	batch[1].actor = "bad\xff";
	batch[1].actor_len = 4;
	append_fails(f, "case-1", KT_VERSION_ANY, batch, 2, KT_EINVAL, "an actor not UTF-8");
#undef BATCH
	assert_true(head_of(f) == 1);
	assert_true(version_of(f, "case-1") == 1);
}

static void test_store_append_rejects_stream_names_over_stream_max_bytes(void **state)
{
	struct fx *f = *state;
	struct payload p = payload(0, 1);
	/* The limit is in bytes: 100 two-byte letters fit, 101 do not. */
	char name[2 * (KT_STREAM_MAX / 2 + 1) + 1];
	for (size_t k = 0; k < KT_STREAM_MAX / 2 + 1; k++)
		memcpy(name + 2 * k, "\xc3\xa6", 2); /* æ */
	name[sizeof name - 1] = 0;
	assert_int_equal(strlen(name), KT_STREAM_MAX + 2);
	struct kt_event ev[1] = { event("t", &p) };
	fill_junk(ev, 1);
	append_fails(f, name, KT_VERSION_ANY, ev, 1, KT_ETOOBIG, "101 letters æ");

	/* Far over the limit, and one byte over in ASCII. */
	size_t huge_len = 100000;
	char *huge = malloc(huge_len + 1);
	assert_non_null(huge);
	memset(huge, 's', huge_len);
	huge[huge_len] = 0;
	append_fails(f, huge, KT_VERSION_ANY, ev, 1, KT_ETOOBIG, "100000 bytes");
	huge[KT_STREAM_MAX + 1] = 0;
	append_fails(f, huge, KT_VERSION_ANY, ev, 1, KT_ETOOBIG, "one byte over");
	kt_reader *r;
	kt_iter *it = NULL;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_iter_stream(r, name, 0, &it), KT_ETOOBIG);
	assert_null(it);
	kt_reader_end(r);

	/* A name that is not UTF-8 is refused too. */
	append_fails(f, "case-\xff", KT_VERSION_ANY, ev, 1, KT_EINVAL, "not UTF-8");

	/* At the limit, in letters and in bytes, the name is fine. */
	name[KT_STREAM_MAX] = 0;
	ev[0] = event("t", &p);
	struct kt_append_result res;
	assert_int_equal(kt_store_append(f->s, name, KT_VERSION_NONE, ev, 1, &res), KT_OK);
	assert_int_equal(ev[0].stream_len, KT_STREAM_MAX);
	huge[KT_STREAM_MAX] = 0;
	ev[0] = event("t", &p);
	assert_int_equal(kt_store_append(f->s, huge, KT_VERSION_NONE, ev, 1, &res), KT_OK);
	assert_true(version_of(f, name) == 1);
	assert_true(version_of(f, huge) == 1);
	assert_true(head_of(f) == 2);
	free(huge);
}

/* ---- reads ------------------------------------------------------------ */

static void test_store_reads_a_stream_from_a_version(void **state)
{
	struct fx *f = *state;
	/* Interleaved, with names that are prefixes of one another. */
	static const char *const order[] = { "a", "ab", "a", "b", "a", "ab", "a", "a" };
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
		append_n_ok(f, order[k], (int64_t)k);
	kt_reader *r;
	uint64_t pos[16];
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);

	assert_int_equal(stream_positions(r, "a", 0, pos, 16), 5);
	static const uint64_t a_pos[] = { 1, 3, 5, 7, 8 };
	assert_memory_equal(pos, a_pos, sizeof a_pos);
	assert_int_equal(stream_positions(r, "a", 1, pos, 16), 5);
	assert_int_equal(stream_positions(r, "a", 3, pos, 16), 3);
	assert_true(pos[0] == 5 && pos[1] == 7 && pos[2] == 8);
	assert_int_equal(stream_positions(r, "a", 5, pos, 16), 1);
	assert_true(pos[0] == 8);
	assert_int_equal(stream_positions(r, "a", 6, pos, 16), 0);
	assert_int_equal(stream_positions(r, "ab", 0, pos, 16), 2);
	assert_true(pos[0] == 2 && pos[1] == 6);
	assert_int_equal(stream_positions(r, "b", 0, pos, 16), 1);
	assert_int_equal(stream_positions(r, "missing", 0, pos, 16), 0);
	kt_reader_end(r);
}

static void test_store_iter_stream_rejects_bad_names(void **state)
{
	struct fx *f = *state;
	kt_reader *r;
	kt_iter *it = NULL;
	char long_stream[KT_STREAM_MAX + 2];
	memset(long_stream, 's', KT_STREAM_MAX + 1);
	long_stream[KT_STREAM_MAX + 1] = '\0';
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_iter_stream(r, "", 0, &it), KT_EINVAL);
	assert_int_equal(kt_iter_stream(r, long_stream, 0, &it), KT_ETOOBIG);
	assert_null(it);
	kt_reader_end(r);
}

/* Collect n64 values of a log iteration. */
static size_t log_values(kt_reader *r, uint64_t from, int backward, int64_t *out, size_t max)
{
	kt_iter *it;
	struct kt_event ev;
	size_t n = 0;
	int rc;
	assert_int_equal(kt_iter_log(r, from, backward, &it), KT_OK);
	while ((rc = kt_iter_next(it, &ev)) == 0) {
		if (n < max)
			out[n] = (int64_t)ev.position;
		assert_int_equal(payload_n(&ev), (int64_t)ev.position * 10);
		n++;
	}
	assert_int_equal(rc, KT_ENOTFOUND);
	/* At the end it stays at the end. */
	assert_int_equal(kt_iter_next(it, &ev), KT_ENOTFOUND);
	kt_iter_free(it);
	return n;
}

static void test_store_reads_the_log_forward_and_backward_from_a_position(void **state)
{
	struct fx *f = *state;
	kt_reader *r;
	int64_t got[16];

	/* An empty log yields nothing either way. */
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(log_values(r, 0, 0, got, 16), 0);
	assert_int_equal(log_values(r, 0, 1, got, 16), 0);
	assert_int_equal(log_values(r, 5, 1, got, 16), 0);
	kt_reader_end(r);

	for (int64_t k = 1; k <= 6; k++)
		append_n_ok(f, k % 2 ? "odd" : "even", k * 10);
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(log_values(r, 0, 0, got, 16), 6);
	for (int k = 0; k < 6; k++)
		assert_int_equal(got[k], k + 1);
	assert_int_equal(log_values(r, 1, 0, got, 16), 6);
	assert_int_equal(log_values(r, 4, 0, got, 16), 3);
	assert_true(got[0] == 4 && got[2] == 6);
	assert_int_equal(log_values(r, 6, 0, got, 16), 1);
	assert_int_equal(log_values(r, 7, 0, got, 16), 0);

	assert_int_equal(log_values(r, 0, 1, got, 16), 6);
	for (int k = 0; k < 6; k++)
		assert_int_equal(got[k], 6 - k);
	assert_int_equal(log_values(r, 4, 1, got, 16), 4);
	assert_true(got[0] == 4 && got[3] == 1);
	assert_int_equal(log_values(r, 1, 1, got, 16), 1);
	assert_int_equal(log_values(r, 1000, 1, got, 16), 6);
	assert_true(got[0] == 6);
	assert_int_equal(log_values(r, UINT64_MAX, 1, got, 16), 6);
	kt_reader_end(r);
}

static void test_store_point_reads_find_events_by_position_and_id(void **state)
{
	struct fx *f = *state;
	struct payload p = payload(0, 20);
	struct kt_event ev = event("t", &p);
	append_n_ok(f, "s", 10);
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev, 1, NULL), KT_OK);
	kt_reader *r;
	struct kt_event got;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_reader_get(r, 0, &got), KT_ENOTFOUND);
	assert_int_equal(kt_reader_get(r, 3, &got), KT_ENOTFOUND);
	assert_int_equal(kt_reader_get(r, UINT64_MAX, &got), KT_ENOTFOUND);
	assert_int_equal(kt_reader_get(r, 1, &got), KT_OK);
	assert_int_equal(payload_n(&got), 10);
	assert_int_equal(kt_reader_get_by_id(r, ev.id, &got), KT_OK);
	assert_true(got.position == 2);
	assert_memory_equal(got.id, ev.id, 16);
	uint8_t unknown[16];
	assert_int_equal(kt_id_generate(unknown), KT_OK);
	assert_int_equal(kt_reader_get_by_id(r, unknown, &got), KT_ENOTFOUND);
	kt_reader_end(r);
}

static void test_store_stream_version_of_missing_stream_is_zero(void **state)
{
	struct fx *f = *state;
	assert_true(version_of(f, "nothing") == 0);
	append_n_ok(f, "something", 0);
	append_n_ok(f, "something", 1);
	assert_true(version_of(f, "nothing") == 0);
	assert_true(version_of(f, "some") == 0); /* a prefix is another stream */
	assert_true(version_of(f, "something") == 2);
}

static void test_store_position_at_finds_the_last_event_recorded_by_then(void **state)
{
	struct fx *f = *state;
	/* appends at 1000, 2000, 1500 (held at 2000), 3000 */
	static const int64_t steps[] = { 1000, 2000, 1500, 3000 };
	f->clock = (struct fake_clock){ steps, 4, 0, 0 };
	assert_int_equal(open_store(f, 0, SMALL_MAP, &f->clock), KT_OK);
	kt_reader *r;
	uint64_t pos = 99;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_reader_position_at(r, 5000, &pos), KT_OK);
	assert_true(pos == 0);
	kt_reader_end(r);

	for (int k = 1; k <= 4; k++)
		append_n_ok(f, "s", k);
	static const struct {
		int64_t at;
		uint64_t pos;
	} cases[] = {
		{ INT64_MIN, 0 }, { 0, 0 },    { 999, 0 },	 { 1000, 1 },
		{ 1001, 1 },	  { 1999, 1 }, { 2000, 3 },	 { 2999, 3 },
		{ 3000, 4 },	  { 3001, 4 }, { INT64_MAX, 4 },
	};
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		assert_int_equal(kt_reader_position_at(r, cases[k].at, &pos), KT_OK);
		if (pos != cases[k].pos)
			fail_msg("position_at(%lld) = %llu, want %llu", (long long)cases[k].at,
				 (unsigned long long)pos, (unsigned long long)cases[k].pos);
	}
	kt_reader_end(r);
}

static void test_store_position_at_agrees_with_a_scan_on_a_long_log(void **state)
{
	struct fx *f = *state;
	/* 300 appends whose clock stalls, jumps and steps back at random. */
	static int64_t steps[300];
	uint64_t x = 12345;
	for (int k = 0; k < 300; k++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		steps[k] = 1000 + (int64_t)((x >> 33) % 400) * 10;
	}
	f->clock = (struct fake_clock){ steps, 300, 0, 0 };
	assert_int_equal(open_store(f, 0, SMALL_MAP, &f->clock), KT_OK);
	for (int k = 1; k <= 300; k++)
		append_n_ok(f, "s", k);
	kt_reader *r;
	int64_t rec[301];
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	for (uint64_t p = 1; p <= 300; p++) {
		struct kt_event ev;
		assert_int_equal(kt_reader_get(r, p, &ev), KT_OK);
		rec[p] = ev.recorded;
		if (p > 1)
			assert_true(rec[p] >= rec[p - 1]);
	}
	for (int64_t at = 990; at <= 5010; at += 5) {
		uint64_t want = 0, got = 0;
		for (uint64_t p = 1; p <= 300; p++)
			if (rec[p] <= at)
				want = p;
		assert_int_equal(kt_reader_position_at(r, at, &got), KT_OK);
		assert_true(got == want);
	}
	kt_reader_end(r);
}

/* ---- recorded time ---------------------------------------------------- */

static void test_store_recorded_time_never_decreases_when_the_clock_steps_back(void **state)
{
	struct fx *f = *state;
	static const int64_t steps[] = { 5000, 4000, 3000, 6000, 1000 };
	f->clock = (struct fake_clock){ steps, 5, 0, 0 };
	assert_int_equal(open_store(f, 0, SMALL_MAP, &f->clock), KT_OK);
	struct payload p = payload(0, 1);
	struct kt_event ev[5];
	static const int64_t want[] = { 5000, 5000, 5000, 6000, 6000 };
	for (int k = 0; k < 5; k++) {
		ev[k] = event("t", &p);
		assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &ev[k], 1, NULL),
				 KT_OK);
		assert_true(ev[k].recorded == want[k]);
		assert_true(ev[k].effective == want[k]);
	}
	/* Also across a reopen with a clock that is further behind. */
	close_store(f);
	static const int64_t early[] = { 10, 20 };
	f->clock = (struct fake_clock){ early, 2, 0, 0 };
	assert_int_equal(open_store(f, 0, SMALL_MAP, &f->clock), KT_OK);
	struct kt_event late = event("t", &p);
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &late, 1, NULL), KT_OK);
	assert_true(late.recorded == 6000);
	/* An explicit effective time is the caller's, even far in the past. */
	struct kt_event backdated = event("t", &p);
	backdated.effective = -1;
	assert_int_equal(kt_store_append(f->s, "s", KT_VERSION_ANY, &backdated, 1, NULL), KT_OK);
	assert_true(backdated.recorded == 6000);
	assert_true(backdated.effective == -1);
	struct kt_verify_report rep;
	assert_int_equal(kt_store_verify(f->s, &rep, NULL, NULL), KT_OK);
}

/* ---- map growth ------------------------------------------------------- */

/* A map too small even for the tables and the format stamp grows at
 * creation, as it does on append. */
static void test_store_create_grows_a_map_too_small_for_the_stamp(void **state)
{
	struct fx *f = *state;
	close_store(f);
	unlink(f->path);
	assert_int_equal(open_store(f, KT_OPEN_CREATE, 1, NULL), KT_OK);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_true(info.format == KT_STORE_FORMAT);
	assert_false(kt_id_is_nil(info.store_id));
	assert_true(info.events == 0);
}

static void test_store_map_grows_from_a_tiny_initial_map(void **state)
{
	struct fx *f = *state;
	enum { SINGLE = 2000, BATCH = 1000 };
	assert_int_equal(open_store(f, 0, (size_t)64 << 10, NULL), KT_OK);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	uint64_t initial_map = info.map_bytes;
	assert_true(initial_map < ((size_t)128 << 10));

	char stream[32];
	for (int k = 0; k < SINGLE; k++) {
		snprintf(stream, sizeof stream, "stream-%d", k % 37);
		append_n_ok(f, stream, k);
	}
	/* One large batch must also fit in one transaction after growing. */
	struct payload *p = calloc(BATCH, sizeof *p);
	struct kt_event *batch = calloc(BATCH, sizeof *batch);
	assert_non_null(p);
	assert_non_null(batch);
	for (int k = 0; k < BATCH; k++) {
		p[k] = payload(0, SINGLE + k);
		batch[k] = event("test.counted", &p[k]);
	}
	struct kt_append_result res;
	assert_int_equal(kt_store_append(f->s, "big", KT_VERSION_NONE, batch, BATCH, &res), KT_OK);
	assert_true(res.first_position == SINGLE + 1);
	assert_true(res.last_position == SINGLE + BATCH);
	free(batch);
	free(p);

	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_true(info.events == SINGLE + BATCH);
	assert_true(info.map_bytes > initial_map);

	/* Everything reads back, also after a reopen with the tiny map. */
	for (int round = 0; round < 2; round++) {
		kt_reader *r;
		kt_iter *it;
		struct kt_event ev;
		int64_t n = 0;
		int rc;
		assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
		assert_int_equal(kt_iter_log(r, 0, 0, &it), KT_OK);
		while ((rc = kt_iter_next(it, &ev)) == 0) {
			assert_int_equal(payload_n(&ev), n);
			n++;
		}
		assert_int_equal(rc, KT_ENOTFOUND);
		assert_int_equal(n, SINGLE + BATCH);
		kt_iter_free(it);
		kt_reader_end(r);
		struct kt_verify_report rep;
		assert_int_equal(kt_store_verify(f->s, &rep, NULL, NULL), KT_OK);
		assert_true(rep.events == SINGLE + BATCH);
		assert_true(rep.streams == 38);
		close_store(f);
		assert_int_equal(open_store(f, 0, (size_t)64 << 10, NULL), KT_OK);
	}
}

static void test_store_append_cannot_grow_the_map_while_a_reader_is_open(void **state)
{
	struct fx *f = *state;
	assert_int_equal(open_store(f, 0, (size_t)64 << 10, NULL), KT_OK);
	kt_reader *r;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	int rc = KT_OK;
	int k;
	for (k = 0; k < 100000 && rc == KT_OK; k++)
		rc = append_n(f, "s", KT_VERSION_ANY, k, NULL);
	assert_int_equal(rc, MDB_MAP_FULL);
	uint64_t stored = (uint64_t)k - 1;
	kt_reader_end(r);
	/* With the reader gone the map grows and the append goes through. */
	assert_int_equal(append_n(f, "s", KT_VERSION_ANY, k, NULL), KT_OK);
	assert_true(head_of(f) == stored + 1);
	assert_true(version_of(f, "s") == stored + 1);
}

/* ---- snapshots and other processes ------------------------------------ */

static void test_store_reader_sees_the_snapshot_it_began_with(void **state)
{
	struct fx *f = *state;
	append_n_ok(f, "s", 0);
	kt_reader *old;
	assert_int_equal(kt_reader_begin(f->s, &old), KT_OK);
	append_n_ok(f, "s", 1);
	append_n_ok(f, "t", 2);
	struct kt_event ev;
	uint64_t v = 0, pos = 0;
	assert_true(kt_reader_head(old) == 1);
	assert_int_equal(kt_reader_get(old, 2, &ev), KT_ENOTFOUND);
	assert_int_equal(kt_reader_stream_version(old, "s", &v), KT_OK);
	assert_true(v == 1);
	assert_int_equal(kt_reader_stream_version(old, "t", &v), KT_OK);
	assert_true(v == 0);
	assert_int_equal(kt_reader_position_at(old, INT64_MAX, &pos), KT_OK);
	assert_true(pos == 1);
	kt_iter *it;
	assert_int_equal(kt_iter_log(old, 0, 1, &it), KT_OK);
	assert_int_equal(kt_iter_next(it, &ev), KT_OK);
	assert_true(ev.position == 1);
	assert_int_equal(kt_iter_next(it, &ev), KT_ENOTFOUND);
	kt_iter_free(it);
	assert_int_equal(kt_iter_log(old, 2, 0, &it), KT_OK);
	assert_int_equal(kt_iter_next(it, &ev), KT_ENOTFOUND);
	kt_iter_free(it);

	kt_reader *now;
	assert_int_equal(kt_reader_begin(f->s, &now), KT_OK);
	assert_true(kt_reader_head(now) == 3);
	assert_int_equal(kt_reader_get(now, 3, &ev), KT_OK);
	kt_reader_end(now);
	kt_reader_end(old);
}

/* Wait for a child for at most seconds; kill it when it hangs. Returns its
 * wait status, or -1 after a kill. */
static int wait_child(pid_t pid, int seconds)
{
	int status;
	for (int k = 0; k < seconds * 100; k++) {
		pid_t got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			return status;
		if (got < 0)
			return -1;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* In a child: open the store with a handle of its own and append one event. */
static int child_append_one(const char *path, int64_t n)
{
	kt_store *s;
	if (kt_store_create(&s) || kt_store_set_durable(s, 0))
		return 10;
	int rc = kt_store_open(s, path, 0);
	if (rc) {
		fprintf(stderr, "child: open: %s\n", kt_strerror(rc));
		kt_store_close(s);
		return 11;
	}
	struct payload p = payload(1, n);
	struct kt_event ev = event("test.counted", &p);
	rc = kt_store_append(s, "from-child", KT_VERSION_ANY, &ev, 1, NULL);
	kt_store_close(s);
	if (rc) {
		fprintf(stderr, "child: append: %s\n", kt_strerror(rc));
		return 12;
	}
	return 0;
}

static void test_store_append_completes_while_another_process_reads(void **state)
{
	struct fx *f = *state;
	append_n_ok(f, "s", 0);
	kt_reader *r;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);

	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_append_one(f->path, 7));
	int status = wait_child(pid, 20);
	assert_true(status != -1); /* the writer did not wait for our reader */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* Our snapshot is as it was ... */
	struct kt_event ev;
	assert_true(kt_reader_head(r) == 1);
	assert_int_equal(kt_reader_get(r, 2, &ev), KT_ENOTFOUND);
	kt_reader_end(r);
	/* ... and a new one sees the child's event. */
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_true(kt_reader_head(r) == 2);
	assert_int_equal(kt_reader_get(r, 2, &ev), KT_OK);
	int64_t child, n;
	payload_values(&ev, &child, &n);
	assert_int_equal(child, 1);
	assert_int_equal(n, 7);
	kt_reader_end(r);
	/* And this process can still append after it. */
	append_n_ok(f, "s", 1);
	assert_true(head_of(f) == 3);
}

/* ---- several writers -------------------------------------------------- */

enum { CHILDREN = 4, ROUNDS = 200 };

static const char *const shared_streams[] = { "shared-even", "shared-odd" };

/* One writer process: per round, one event to a shared stream (any version),
 * one to its own stream (exact version), one to a contended stream (exact
 * version read first, retried on KT_EVERSION). Returns an exit status. */
static int writer(const char *path, int child, int start)
{
	kt_store *s;
	struct kt_append_result res;
	char own[32];
	char go;
	int rc;
	/* Wait for the starting shot (the pipe closing) so that all writers
	 * really run at once. */
	if (read(start, &go, 1) != 0)
		return 9;
	close(start);
	snprintf(own, sizeof own, "own-%d", child);
	if (kt_store_create(&s) || kt_store_set_durable(s, 0) ||
	    kt_store_set_mapsize(s, (size_t)64 << 10))
		return 10;
	if ((rc = kt_store_open(s, path, 0))) {
		fprintf(stderr, "writer %d: open: %s\n", child, kt_strerror(rc));
		kt_store_close(s);
		return 11;
	}
	for (int k = 0; k < ROUNDS; k++) {
		struct payload p = payload(child, k);
		struct kt_event ev = event("test.shared", &p);
		rc = kt_store_append(s, shared_streams[k % 2], KT_VERSION_ANY, &ev, 1, &res);
		if (rc) {
			fprintf(stderr, "writer %d: shared: %s\n", child, kt_strerror(rc));
			return 12;
		}
		ev = event("test.own", &p);
		if ((rc = kt_store_append(s, own, (uint64_t)k, &ev, 1, &res)) ||
		    res.head_version != (uint64_t)k + 1) {
			fprintf(stderr, "writer %d: own: %s\n", child, kt_strerror(rc));
			return 13;
		}
		kt_reader *r;
		uint64_t expected;
		if ((rc = kt_reader_begin(s, &r)))
			return 14;
		rc = kt_reader_stream_version(r, "contended", &expected);
		kt_reader_end(r);
		if (rc)
			return 15;
		for (int tries = 0;; tries++) {
			ev = event("test.contended", &p);
			rc = kt_store_append(s, "contended", expected, &ev, 1, &res);
			if (rc != KT_EVERSION)
				break;
			if (res.head_version <= expected || tries > 10000)
				return 16;
			expected = res.head_version; /* someone else got there: retry */
		}
		if (rc || res.head_version != expected + 1) {
			fprintf(stderr, "writer %d: contended: %s\n", child, kt_strerror(rc));
			return 17;
		}
	}
	kt_store_close(s);
	return 0;
}

/* Check a stream holds each (child, round) exactly once; returns its length. */
static uint64_t check_each_once(kt_reader *r, const char *const *streams, size_t nstreams,
				int own_child)
{
	static unsigned char seen[CHILDREN][ROUNDS];
	memset(seen, 0, sizeof seen);
	uint64_t total = 0;
	for (size_t k = 0; k < nstreams; k++) {
		kt_iter *it;
		struct kt_event ev;
		uint64_t want = 1, last_pos = 0;
		int rc;
		assert_int_equal(kt_iter_stream(r, streams[k], 0, &it), KT_OK);
		while ((rc = kt_iter_next(it, &ev)) == 0) {
			int64_t child, n;
			payload_values(&ev, &child, &n);
			assert_true(child >= 0 && child < CHILDREN && n >= 0 && n < ROUNDS);
			if (own_child >= 0) {
				assert_int_equal(child, own_child);
				assert_int_equal(n, (int64_t)want - 1); /* in order */
			}
			assert_int_equal(seen[child][n], 0);
			seen[child][n] = 1;
			assert_true(ev.version == want); /* gapless 1..n */
			assert_true(ev.position > last_pos);
			last_pos = ev.position;
			want++;
		}
		assert_int_equal(rc, KT_ENOTFOUND);
		kt_iter_free(it);
		total += want - 1;
		uint64_t head;
		assert_int_equal(kt_reader_stream_version(r, streams[k], &head), KT_OK);
		assert_true(head == want - 1);
	}
	for (int c = 0; c < CHILDREN; c++)
		for (int n = 0; n < ROUNDS; n++)
			if (own_child < 0 || c == own_child)
				assert_int_equal(seen[c][n], 1);
	return total;
}

static void test_store_concurrent_appends_from_four_processes_lose_nothing(void **state)
{
	struct fx *f = *state;
	/* The writers' maps start tiny, so the map also grows under contention;
	 * this process keeps its handle open (no transaction) and must adopt
	 * the grown map afterwards. */
	pid_t pids[CHILDREN];
	int start[2];
	assert_int_equal(pipe(start), 0);
	fflush(NULL);
	for (int c = 0; c < CHILDREN; c++) {
		pids[c] = fork();
		assert_true(pids[c] >= 0);
		if (pids[c] == 0) {
			close(start[1]);
			_exit(writer(f->path, c, start[0]));
		}
	}
	close(start[0]);
	close(start[1]); /* go */
	int failed = 0;
	for (int c = 0; c < CHILDREN; c++) {
		int status = wait_child(pids[c], 60);
		if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "writer %d: status %d\n", c, status);
			failed++;
		}
	}
	assert_int_equal(failed, 0);

	kt_reader *r;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	uint64_t total = kt_reader_head(r);
	assert_true(total == (uint64_t)CHILDREN * ROUNDS * 3);
	assert_true(check_each_once(r, shared_streams, 2, -1) == (uint64_t)CHILDREN * ROUNDS);
	static const char *const contended[] = { "contended" };
	assert_true(check_each_once(r, contended, 1, -1) == (uint64_t)CHILDREN * ROUNDS);
	for (int c = 0; c < CHILDREN; c++) {
		char own[32];
		snprintf(own, sizeof own, "own-%d", c);
		const char *const one[] = { own };
		assert_true(check_each_once(r, one, 1, c) == ROUNDS);
	}
	kt_reader_end(r);

	struct kt_verify_report rep;
	int rc = kt_store_verify(f->s, &rep, NULL, NULL);
	if (rc)
		fail_msg("verify: %s: %s", kt_strerror(rc), rep.problem);
	assert_true(rep.events == total);
	assert_true(rep.streams == 3 + CHILDREN);
}

/* ---- a random log against a naive model ------------------------------- */

enum { MODEL_OPS = 1500, MODEL_STREAMS = 5, MODEL_BATCH = 4 };

static const char *const model_names[MODEL_STREAMS] = { "s", "s1", "s10", "t", "u" };

struct model_batch {
	int stream;
	size_t n;
	uint64_t first_position, first_version;
	uint8_t ids[MODEL_BATCH][16];
	int64_t values[MODEL_BATCH];
};

struct model {
	struct model_batch batches[MODEL_OPS];
	size_t nbatches;
	uint64_t heads[MODEL_STREAMS];
	uint64_t positions; /* the log's head */
	int stream_of[MODEL_OPS * MODEL_BATCH + 1];
	int64_t value_of[MODEL_OPS * MODEL_BATCH + 1];
};

static uint64_t model_rng(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* One random operation: a new batch with a right, wrong or any expected
 * version, the retry of an earlier batch, or an earlier id with other
 * content. The model says what the store must answer. */
static void model_step(struct fx *f, struct model *m, uint64_t *x, int64_t *next_value)
{
	unsigned kind = (unsigned)(model_rng(x) % 100);
	struct payload p[MODEL_BATCH];
	struct kt_event ev[MODEL_BATCH];
	struct kt_append_result res;

	if (kind < 10 && m->nbatches > 0) { /* retry: a duplicate, whatever expected says */
		struct model_batch *b = &m->batches[model_rng(x) % m->nbatches];
		for (size_t k = 0; k < b->n; k++) {
			p[k] = payload(0, b->values[k]);
			ev[k] = event("test.model", &p[k]);
			memcpy(ev[k].id, b->ids[k], 16);
		}
		uint64_t expected = model_rng(x) % 3 ? KT_VERSION_ANY : model_rng(x) % 50;
		int rc = kt_store_append(f->s, model_names[b->stream], expected, ev, b->n, &res);
		assert_int_equal(rc, KT_OK);
		assert_int_equal(res.duplicate, 1);
		assert_true(res.first_position == b->first_position);
		assert_true(res.last_position == b->first_position + b->n - 1);
		assert_true(res.head_version == m->heads[b->stream]);
		assert_true(ev[0].version == b->first_version);
		return;
	}
	if (kind < 15 && m->nbatches > 0) { /* an old id, other content */
		struct model_batch *b = &m->batches[model_rng(x) % m->nbatches];
		p[0] = payload(1, b->values[0]);
		ev[0] = event("test.model", &p[0]);
		memcpy(ev[0].id, b->ids[0], 16);
		int rc = kt_store_append(f->s, model_names[b->stream], KT_VERSION_ANY, ev, 1, &res);
		assert_int_equal(rc, KT_EIDREUSED);
		return;
	}
	int stream = (int)(model_rng(x) % MODEL_STREAMS);
	size_t n = 1 + (size_t)(model_rng(x) % MODEL_BATCH);
	uint64_t head = m->heads[stream], expected;
	unsigned how = (unsigned)(model_rng(x) % 10);
	if (how < 3)
		expected = KT_VERSION_ANY;
	else if (how < 7)
		expected = head;
	else if (how < 8)
		expected = KT_VERSION_NONE;
	else
		expected = head + 1 + model_rng(x) % 3;
	for (size_t k = 0; k < n; k++) {
		p[k] = payload(0, *next_value + (int64_t)k);
		ev[k] = event("test.model", &p[k]);
	}
	int rc = kt_store_append(f->s, model_names[stream], expected, ev, n, &res);
	if (expected != KT_VERSION_ANY && expected != head) {
		assert_int_equal(rc, KT_EVERSION);
		assert_true(res.head_version == head);
		return;
	}
	assert_int_equal(rc, KT_OK);
	assert_int_equal(res.duplicate, 0);
	assert_true(res.first_position == m->positions + 1);
	struct model_batch *b = &m->batches[m->nbatches++];
	b->stream = stream;
	b->n = n;
	b->first_position = res.first_position;
	b->first_version = head + 1;
	for (size_t k = 0; k < n; k++) {
		memcpy(b->ids[k], ev[k].id, 16);
		b->values[k] = *next_value + (int64_t)k;
		m->positions++;
		m->stream_of[m->positions] = stream;
		m->value_of[m->positions] = b->values[k];
	}
	m->heads[stream] += n;
	assert_true(res.head_version == m->heads[stream]);
	*next_value += (int64_t)n;
}

static void test_store_random_appends_match_a_naive_model(void **state)
{
	struct fx *f = *state;
	struct model *m = calloc(1, sizeof *m);
	assert_non_null(m);
	uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
	int64_t next_value = 0;
	for (int op = 0; op < MODEL_OPS; op++)
		model_step(f, m, &x, &next_value);
	assert_true(m->positions > MODEL_OPS / 2);

	/* The log, in order, is the model's. */
	kt_reader *r;
	kt_iter *it;
	struct kt_event ev;
	uint64_t pos = 0;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_true(kt_reader_head(r) == m->positions);
	assert_int_equal(kt_iter_log(r, 0, 0, &it), KT_OK);
	while (kt_iter_next(it, &ev) == 0) {
		pos++;
		assert_true(ev.position == pos);
		const char *name = model_names[m->stream_of[pos]];
		assert_int_equal(ev.stream_len, strlen(name));
		assert_memory_equal(ev.stream, name, ev.stream_len);
		assert_int_equal(payload_n(&ev), m->value_of[pos]);
	}
	kt_iter_free(it);
	assert_true(pos == m->positions);
	/* Each stream: versions 1..head at the model's positions. */
	for (int sidx = 0; sidx < MODEL_STREAMS; sidx++) {
		uint64_t *positions = calloc(m->positions + 1, sizeof *positions);
		assert_non_null(positions);
		size_t n = stream_positions(r, model_names[sidx], 0, positions, m->positions + 1);
		assert_true(n == m->heads[sidx]);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(m->stream_of[positions[k]], sidx);
		uint64_t v;
		assert_int_equal(kt_reader_stream_version(r, model_names[sidx], &v), KT_OK);
		assert_true(v == m->heads[sidx]);
		free(positions);
	}
	/* Every id finds its event. */
	for (size_t b = 0; b < m->nbatches; b++) {
		for (size_t k = 0; k < m->batches[b].n; k++) {
			assert_int_equal(kt_reader_get_by_id(r, m->batches[b].ids[k], &ev), KT_OK);
			assert_true(ev.position == m->batches[b].first_position + k);
			assert_true(ev.version == m->batches[b].first_version + k);
		}
	}
	kt_reader_end(r);
	struct kt_verify_report rep;
	assert_int_equal(kt_store_verify(f->s, &rep, NULL, NULL), KT_OK);
	assert_true(rep.events == m->positions);
	free(m);
}

/* ---- info and the chain ----------------------------------------------- */

static void test_store_info_head_hash_is_the_chain_over_the_envelopes(void **state)
{
	struct fx *f = *state;
	for (int k = 0; k < 20; k++)
		append_n_ok(f, k % 3 ? "x" : "y", k);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_true(info.events == 20 && info.head == 20 && info.streams == 2);

	/* Recompute h(n) = SHA256(h(n-1) ‖ n ‖ envelope) from re-encoded events. */
	uint8_t hash[KT_HASH_LEN] = { 0 };
	kt_reader *r;
	kt_iter *it;
	struct kt_event ev;
	struct kt_buf env = KT_BUF_INIT(KT_ENVELOPE_MAX);
	int64_t last = 0;
	assert_int_equal(kt_reader_begin(f->s, &r), KT_OK);
	assert_int_equal(kt_iter_log(r, 0, 0, &it), KT_OK);
	while (kt_iter_next(it, &ev) == 0) {
		kt_buf_reset(&env);
		assert_int_equal(kt_event_encode(&ev, &env), KT_OK);
		kt_chain_next(hash, ev.position, env.data, env.len, hash);
		last = ev.recorded;
	}
	kt_iter_free(it);
	kt_reader_end(r);
	kt_buf_free(&env);
	assert_memory_equal(info.head_hash, hash, KT_HASH_LEN);
	assert_true(info.last_recorded == last);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define U(name) cmocka_unit_test_setup_teardown(name, setup_unopened, teardown)
	const struct CMUnitTest tests[] = {
		T(test_store_create_makes_an_empty_stamped_store),
		T(test_store_reopen_keeps_events_and_identity),
		T(test_store_open_missing_file_without_create_is_not_found),
		T(test_store_open_rejects_bad_flags_and_double_open),
		T(test_store_open_rejects_files_that_are_not_stores),
		T(test_store_open_rejects_a_store_of_another_format),
		T(test_store_readonly_reads_but_refuses_append),
		T(test_store_open_excl_creates_a_store_and_refuses_an_existing_file),
		T(test_store_open_empty_file_without_create_is_not_a_store),
		T(test_store_open_text_file_is_not_a_store_and_gets_no_lock_file),
		T(test_store_open_create_refuses_a_foreign_lmdb_file_untouched),
		T(test_store_open_create_on_an_empty_file_makes_a_store),
		T(test_store_open_truncated_copy_is_corrupt),
		T(test_store_failed_create_leaves_no_files_behind),
		U(test_store_append_writes_back_ids_versions_positions_and_times),
		T(test_store_append_with_expected_none_requires_a_new_stream),
		T(test_store_append_with_exact_version_checks_the_head),
		T(test_store_append_rejects_wrong_version_and_writes_nothing),
		T(test_store_append_retry_of_a_stored_batch_is_a_duplicate),
		T(test_store_append_rejects_reused_id_with_other_content),
		T(test_store_append_rejects_partially_stored_batch),
		T(test_store_append_rejects_one_id_twice_in_a_batch),
		T(test_store_append_batch_is_all_or_nothing),
		T(test_store_append_rejects_bad_input_and_leaves_the_head),
		T(test_store_append_retry_in_another_order_is_id_reused),
		T(test_store_append_batch_naming_a_stored_id_twice_is_id_reused),
		T(test_store_failed_append_leaves_the_callers_events_as_given),
		T(test_store_append_rejects_stream_names_over_stream_max_bytes),
		T(test_store_reads_a_stream_from_a_version),
		T(test_store_iter_stream_rejects_bad_names),
		T(test_store_reads_the_log_forward_and_backward_from_a_position),
		T(test_store_point_reads_find_events_by_position_and_id),
		T(test_store_stream_version_of_missing_stream_is_zero),
		U(test_store_position_at_finds_the_last_event_recorded_by_then),
		U(test_store_position_at_agrees_with_a_scan_on_a_long_log),
		U(test_store_recorded_time_never_decreases_when_the_clock_steps_back),
		U(test_store_map_grows_from_a_tiny_initial_map),
		U(test_store_create_grows_a_map_too_small_for_the_stamp),
		U(test_store_append_cannot_grow_the_map_while_a_reader_is_open),
		T(test_store_reader_sees_the_snapshot_it_began_with),
		T(test_store_append_completes_while_another_process_reads),
		T(test_store_concurrent_appends_from_four_processes_lose_nothing),
		T(test_store_random_appends_match_a_naive_model),
		T(test_store_info_head_hash_is_the_chain_over_the_envelopes),
	};
#undef T
#undef U
	return cmocka_run_group_tests(tests, NULL, NULL);
}
