/*
 * test_backup.c — kt_backup_write: a backup of a store that another process
 * is appending to at the same time is a consistent prefix of the store's log
 * and verifies; plain and compacting copies hold the same events and chain
 * head; an existing destination (a file, a dangling link, or one that
 * appears while the copy is verified) is refused and left as it was; an
 * unwritable directory and failing syncs are errors that leave nothing
 * behind; bad arguments.
 *
 * Every test gets a fresh store in its own mkdtemp directory (a small map,
 * so that the writer in another process grows it under the copy), removed
 * afterwards. Real LMDB throughout. Faults are injected at link time
 * (WRAP_test_backup in the Makefile): mkstemp refuses to create a file as
 * the kernel would in a directory without write permission, which root
 * could otherwise always write, and fsync fails with EIO on a chosen call.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/backup.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <msgpack.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SMALL_MAP ((size_t)256 << 10)

/* ---- fault injection -------------------------------------------------- */

int __real_mkstemp(char *template);
int __real_fsync(int fd);

/* mkstemp fails with EACCES for templates under this directory, when set. */
static const char *deny_dir;
/* fsync fails with EIO on this call (1 = the next), when set; counts down. */
static int fail_fsync_at;

int __wrap_mkstemp(char *template)
{
	if (deny_dir && strncmp(template, deny_dir, strlen(deny_dir)) == 0) {
		errno = EACCES;
		return -1;
	}
	return __real_mkstemp(template);
}

int __wrap_fsync(int fd)
{
	if (fail_fsync_at > 0 && --fail_fsync_at == 0) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

/* ---- fixture ---------------------------------------------------------- */

struct fx {
	char dir[256];
	char path[300];
	kt_store *s;
};

static int open_store(const char *path, unsigned flags, kt_store **out)
{
	int rc = kt_store_create(out);
	if (!rc && !(rc = kt_store_set_mapsize(*out, SMALL_MAP)) &&
	    !(rc = kt_store_set_durable(*out, 0)))
		rc = kt_store_open(*out, path, flags);
	return rc;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-backup-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/kontroll.db", f->dir);
	if (open_store(f->path, KT_OPEN_CREATE, &f->s)) {
		kt_store_close(f->s);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* Remove dir and everything in it (one level of subdirectories). */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char p[600];
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			if (unlink(p) != 0) {
				chmod(p, 0700);
				remove_tree(p);
			}
		}
		closedir(d);
	}
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kt_store_close(f->s);
	deny_dir = NULL;
	fail_fsync_at = 0;
	remove_tree(f->dir);
	free(f);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The names in dir, sorted and joined with spaces, into out. */
static void listing(const char *dir, char *out, size_t size)
{
	char names[16][256];
	int n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 16)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			snprintf(names[n++], sizeof names[0], "%s", e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], compare_names);
	out[0] = 0;
	for (int k = 0; k < n; k++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", k ? " " : "", names[k]);
}

static void path_in(const struct fx *f, const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", f->dir, name);
}

/* ---- events ----------------------------------------------------------- */

/* A payload {"n": n, "pad": 200 bytes}, big enough to grow a small map soon. */
struct payload {
	uint8_t bytes[256];
	size_t len;
};

static struct payload payload(int64_t n)
{
	static const char pad[200] = "................................................";
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct payload p;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "n", 1);
	msgpack_pack_int64(&pk, n);
	msgpack_pack_str_with_body(&pk, "pad", 3);
	msgpack_pack_str_with_body(&pk, pad, sizeof pad);
	memset(&p, 0, sizeof p);
	if (sb.size <= sizeof p.bytes) {
		memcpy(p.bytes, sb.data, sb.size);
		p.len = sb.size;
	}
	msgpack_sbuffer_destroy(&sb);
	return p;
}

/* Append a batch of n events to stream. */
static int append_batch(kt_store *s, const char *stream, int64_t first, size_t n)
{
	struct payload p[16];
	struct kt_event ev[16];
	assert_true(n <= 16);
	for (size_t k = 0; k < n; k++) {
		p[k] = payload(first + (int64_t)k);
		memset(&ev[k], 0, sizeof ev[k]);
		ev[k].type = "test.busy";
		ev[k].type_len = 9;
		ev[k].actor = "tester";
		ev[k].actor_len = 6;
		ev[k].effective = KT_TIME_UNSET;
		ev[k].data = p[k].bytes;
		ev[k].data_len = p[k].len;
	}
	return kt_store_append(s, stream, KT_VERSION_ANY, ev, n, NULL);
}

static uint64_t head_of(kt_store *s)
{
	struct kt_store_info info;
	assert_int_equal(kt_store_info(s, &info), KT_OK);
	return info.head;
}

/* The backup at path verifies, and its events are the store's first ones,
 * the same in every byte that counts (kt_event_same_content, positions,
 * versions and recorded times). Returns its head. */
static uint64_t check_prefix(kt_store *store, const char *path)
{
	kt_store *b;
	struct kt_verify_report rep;
	int rc = open_store(path, KT_OPEN_READONLY, &b);
	if (rc)
		fail_msg("open %s: %s", path, kt_strerror(rc));
	rc = kt_store_verify(b, &rep, NULL, NULL);
	if (rc)
		fail_msg("verify %s: %s at %llu", path, rep.problem,
			 (unsigned long long)rep.first_bad);
	kt_reader *rb, *rs;
	assert_int_equal(kt_reader_begin(b, &rb), KT_OK);
	assert_int_equal(kt_reader_begin(store, &rs), KT_OK);
	uint64_t head = kt_reader_head(rb);
	assert_true(head <= kt_reader_head(rs));
	for (uint64_t pos = 1; pos <= head; pos++) {
		struct kt_event eb, es;
		assert_int_equal(kt_reader_get(rb, pos, &eb), KT_OK);
		assert_int_equal(kt_reader_get(rs, pos, &es), KT_OK);
		assert_true(kt_event_same_content(&eb, &es));
		assert_memory_equal(eb.id, es.id, 16);
		assert_true(eb.version == es.version && eb.recorded == es.recorded);
	}
	kt_reader_end(rs);
	kt_reader_end(rb);
	kt_store_close(b);
	return head;
}

/* ---- a writer in another process -------------------------------------- */

/* Append batches of 1 to 16 events until the parent closes stop; then exit
 * with 0, or with a status naming what failed. */
static int busy_writer(const char *path, int stop)
{
	kt_store *s;
	int rc = open_store(path, 0, &s);
	if (rc) {
		fprintf(stderr, "writer: open: %s\n", kt_strerror(rc));
		return 11;
	}
	int64_t n = 0;
	for (size_t k = 0;; k++) {
		struct pollfd pfd = { stop, POLLIN, 0 };
		if (poll(&pfd, 1, 0) != 0)
			break;
		size_t batch = 1 + k % 16;
		if ((rc = append_batch(s, k % 3 ? "busy" : "other", n, batch))) {
			fprintf(stderr, "writer: append: %s\n", kt_strerror(rc));
			kt_store_close(s);
			return 12;
		}
		n += (int64_t)batch;
	}
	kt_store_close(s);
	return 0;
}

static void wait_for_head(kt_store *s, uint64_t at_least)
{
	for (int k = 0; k < 2000 && head_of(s) < at_least; k++) {
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	assert_true(head_of(s) >= at_least);
}

/* ---- tests ------------------------------------------------------------ */

enum { BACKUPS = 6 };

static void test_backup_of_a_store_being_appended_to_is_a_verified_prefix(void **state)
{
	struct fx *f = *state;
	int stop[2];
	assert_int_equal(pipe(stop), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(stop[1]);
		_exit(busy_writer(f->path, stop[0]));
	}
	close(stop[0]);

	char path[BACKUPS][400];
	uint64_t heads[BACKUPS];
	for (int k = 0; k < BACKUPS; k++) {
		/* Each copy starts after the writer has moved on from the last. */
		wait_for_head(f->s, k ? heads[k - 1] + 50 : 50);
		char name[32];
		snprintf(name, sizeof name, "backup-%d.db", k);
		path_in(f, name, path[k], sizeof path[k]);
		struct kt_backup_report rep;
		int rc =
		    kt_backup_write(f->s, path[k], k % 2 ? KT_BACKUP_COMPACT : 0, &rep, NULL, NULL);
		if (rc)
			fail_msg("backup %d: %s (%s)", k, kt_strerror(rc), rep.verify.problem);
		assert_true(rep.head > 0 && rep.head == rep.verify.events);
		heads[k] = rep.head;
	}
	wait_for_head(f->s, heads[BACKUPS - 1] + 50);
	close(stop[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* The writer went on past every copy, and each copy is what the store
	 * held at one moment. */
	uint64_t final = head_of(f->s);
	for (int k = 0; k < BACKUPS; k++) {
		assert_true(heads[k] < final);
		assert_true(check_prefix(f->s, path[k]) == heads[k]);
	}
}

static void test_backup_compact_and_plain_hold_the_same_events_and_chain_head(void **state)
{
	struct fx *f = *state;
	for (int k = 0; k < 40; k++)
		assert_int_equal(append_batch(f->s, k % 2 ? "a" : "b", k * 10, 10), KT_OK);
	char plain[400], compact[400];
	path_in(f, "plain.db", plain, sizeof plain);
	path_in(f, "compact.db", compact, sizeof compact);
	struct kt_backup_report rp, rc;
	assert_int_equal(kt_backup_write(f->s, plain, 0, &rp, NULL, NULL), KT_OK);
	assert_int_equal(kt_backup_write(f->s, compact, KT_BACKUP_COMPACT, &rc, NULL, NULL), KT_OK);
	assert_true(rp.head == 400 && rc.head == 400);
	assert_true(rp.verify.streams == 2 && rc.verify.streams == 2);
	assert_memory_equal(rp.head_hash, rc.head_hash, KT_HASH_LEN);
	struct kt_store_info info;
	assert_int_equal(kt_store_info(f->s, &info), KT_OK);
	assert_memory_equal(rp.head_hash, info.head_hash, KT_HASH_LEN);
	assert_true(rc.bytes <= rp.bytes);
	/* Nothing else is left beside them: no temporary file, no lock file. */
	char names[600];
	listing(f->dir, names, sizeof names);
	assert_string_equal(names, "compact.db kontroll.db kontroll.db-lock plain.db");
	/* A backup is readable by its owner only. */
	struct stat st;
	assert_int_equal(stat(plain, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(check_prefix(f->s, plain) == 400);
	assert_true(check_prefix(f->s, compact) == 400);
}

static void test_backup_of_an_empty_store_has_head_zero(void **state)
{
	struct fx *f = *state;
	char dest[400];
	path_in(f, "empty.db", dest, sizeof dest);
	struct kt_backup_report rep;
	assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, NULL, NULL), KT_OK);
	static const uint8_t zero[KT_HASH_LEN];
	assert_true(rep.head == 0);
	assert_memory_equal(rep.head_hash, zero, KT_HASH_LEN);
	assert_true(check_prefix(f->s, dest) == 0);
}

static void test_backup_refuses_an_existing_destination_and_leaves_it(void **state)
{
	struct fx *f = *state;
	assert_int_equal(append_batch(f->s, "a", 0, 3), KT_OK);
	char dest[400], link_to[400], names[600];
	path_in(f, "precious.txt", dest, sizeof dest);
	FILE *fp = fopen(dest, "w");
	assert_non_null(fp);
	fputs("precious", fp);
	fclose(fp);
	struct kt_backup_report rep;
	assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, NULL, NULL), KT_EEXIST);
	assert_int_equal(kt_backup_write(f->s, dest, KT_BACKUP_COMPACT, &rep, NULL, NULL),
			 KT_EEXIST);
	char text[32] = "";
	fp = fopen(dest, "r");
	assert_non_null(fp);
	assert_non_null(fgets(text, sizeof text, fp));
	fclose(fp);
	assert_string_equal(text, "precious");

	/* The store itself, and a dangling link (nothing is created at its
	 * target). */
	assert_int_equal(kt_backup_write(f->s, f->path, 0, &rep, NULL, NULL), KT_EEXIST);
	path_in(f, "dangling", dest, sizeof dest);
	path_in(f, "target", link_to, sizeof link_to);
	assert_int_equal(symlink(link_to, dest), 0);
	assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, NULL, NULL), KT_EEXIST);
	listing(f->dir, names, sizeof names);
	assert_string_equal(names, "dangling kontroll.db kontroll.db-lock precious.txt");
}

/* A progress callback that puts a file at the destination while the copy is
 * being verified, as another process might. */
static void intrude(void *ctx, uint64_t done, uint64_t total)
{
	(void)done;
	(void)total;
	int fd = open(ctx, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd >= 0) {
		assert_int_equal(write(fd, "theirs", 6), 6);
		close(fd);
	}
}

static void test_backup_never_replaces_a_destination_that_appears_meanwhile(void **state)
{
	struct fx *f = *state;
	assert_int_equal(append_batch(f->s, "a", 0, 5), KT_OK);
	char dest[400], names[600];
	path_in(f, "late.db", dest, sizeof dest);
	struct kt_backup_report rep;
	assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, intrude, dest), KT_EEXIST);
	struct stat st;
	assert_int_equal(stat(dest, &st), 0);
	assert_true(st.st_size == 6);
	listing(f->dir, names, sizeof names);
	assert_string_equal(names, "kontroll.db kontroll.db-lock late.db");
}

static void test_backup_into_an_unwritable_directory_fails_and_leaves_nothing(void **state)
{
	struct fx *f = *state;
	assert_int_equal(append_batch(f->s, "a", 0, 5), KT_OK);
	char sub[400], dest[500], names[600];
	path_in(f, "locked", sub, sizeof sub);
	assert_int_equal(mkdir(sub, 0555), 0);
	snprintf(dest, sizeof dest, "%s/backup.db", sub);
	/* Permission bits do not stop root: make mkstemp answer as the kernel
	 * answers anyone else. */
	if (geteuid() == 0)
		deny_dir = sub;
	struct kt_backup_report rep;
	assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, NULL, NULL), EACCES);
	listing(sub, names, sizeof names);
	assert_string_equal(names, "");
	/* A directory that does not exist. */
	snprintf(dest, sizeof dest, "%s/missing/backup.db", f->dir);
	assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, NULL, NULL), ENOENT);
	listing(f->dir, names, sizeof names);
	assert_string_equal(names, "kontroll.db kontroll.db-lock locked");
}

static void test_backup_sync_failures_leave_nothing(void **state)
{
	struct fx *f = *state;
	assert_int_equal(append_batch(f->s, "a", 0, 5), KT_OK);
	char dest[400], names[600];
	path_in(f, "backup.db", dest, sizeof dest);
	struct kt_backup_report rep;
	/* 1: the copy's own sync; 2: the directory's, after the rename. */
	for (int call = 1; call <= 2; call++) {
		fail_fsync_at = call;
		assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, NULL, NULL), EIO);
		listing(f->dir, names, sizeof names);
		assert_string_equal(names, "kontroll.db kontroll.db-lock");
	}
	fail_fsync_at = 0;
	assert_int_equal(kt_backup_write(f->s, dest, 0, &rep, NULL, NULL), KT_OK);
	assert_true(rep.head == 5);
}

static void test_backup_rejects_bad_arguments(void **state)
{
	struct fx *f = *state;
	char dest[400], names[600];
	path_in(f, "backup.db", dest, sizeof dest);
	struct kt_backup_report rep;
	assert_int_equal(kt_backup_write(f->s, "", 0, &rep, NULL, NULL), KT_EINVAL);
	assert_int_equal(kt_backup_write(f->s, NULL, 0, &rep, NULL, NULL), KT_EINVAL);
	assert_int_equal(kt_backup_write(f->s, dest, 0x80, &rep, NULL, NULL), KT_EINVAL);
	listing(f->dir, names, sizeof names);
	assert_string_equal(names, "kontroll.db kontroll.db-lock");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_backup_of_a_store_being_appended_to_is_a_verified_prefix),
		T(test_backup_compact_and_plain_hold_the_same_events_and_chain_head),
		T(test_backup_of_an_empty_store_has_head_zero),
		T(test_backup_refuses_an_existing_destination_and_leaves_it),
		T(test_backup_never_replaces_a_destination_that_appears_meanwhile),
		T(test_backup_into_an_unwritable_directory_fails_and_leaves_nothing),
		T(test_backup_sync_failures_leave_nothing),
		T(test_backup_rejects_bad_arguments),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
