/*
 * backup.c — kt_backup_write: copy one snapshot of a store to a temporary
 * file beside the destination, sync it, verify it as a store, check that it
 * holds this store's history, then rename it into place without replacing
 * anything and sync the directory. backup.h states the contract.
 */
#define _GNU_SOURCE /* renameat2 and RENAME_NOREPLACE (Linux, glibc ≥ 2.28) */
#include "store_internal.h"

#include "kontroll/backup.h"
#include "kontroll/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file is DEST plus this (mkstemp fills in the X's), so one
 * left behind by a killed process is recognisable beside its destination. */
static const char TMP_SUFFIX[] = ".tmp-XXXXXX";

/* The files a backup to one destination touches. */
struct paths {
	char *tmp;  /* DEST.tmp-XXXXXX, the temporary copy */
	char *lock; /* tmp + "-lock": LMDB creates it when the copy is opened */
	char *dir;  /* DEST's directory, synced after the rename */
};

static void free_paths(struct paths *p)
{
	free(p->tmp);
	free(p->lock);
	free(p->dir);
}

static int make_paths(const char *dest, struct paths *p)
{
	size_t n = strlen(dest);
	const char *slash = strrchr(dest, '/');
	size_t dir_len = !slash ? 1 : slash == dest ? 1 : (size_t)(slash - dest);
	memset(p, 0, sizeof *p);
	p->tmp = malloc(n + sizeof TMP_SUFFIX);
	p->lock = malloc(n + sizeof TMP_SUFFIX + sizeof "-lock" - 1);
	p->dir = malloc(dir_len + 1);
	if (!p->tmp || !p->lock || !p->dir) {
		free_paths(p);
		return KT_ENOMEM;
	}
	memcpy(p->tmp, dest, n);
	memcpy(p->tmp + n, TMP_SUFFIX, sizeof TMP_SUFFIX);
	memcpy(p->dir, slash ? dest : ".", dir_len);
	p->dir[dir_len] = 0;
	return KT_OK;
}

/*
 * Write one snapshot of s into fd. A copy begins a read transaction, which
 * fails with MDB_MAP_RESIZED when another process has grown the map since
 * this one last looked; the grown map is then adopted (kt_txn_begin does
 * that) and the copy starts over on an emptied file. This ends: every
 * growth doubles the map.
 */
static int copy_snapshot(kt_store *s, int fd, unsigned flags)
{
	unsigned cp = flags & KT_BACKUP_COMPACT ? MDB_CP_COMPACT : 0;
	for (;;) {
		MDB_txn *txn;
		int rc = mdb_env_copyfd2(s->env, fd, cp);
		if (rc != MDB_MAP_RESIZED)
			return rc;
		if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
			return errno;
		if ((rc = kt_txn_begin(s, MDB_RDONLY, &txn)))
			return rc;
		mdb_txn_abort(txn);
	}
}

/* The store's chain hash at position (all zero for 0) into hash. */
static int hash_at(kt_store *s, uint64_t position, uint8_t hash[KT_HASH_LEN])
{
	kt_reader *r;
	uint8_t key[8];
	MDB_val k = { 8, key }, v;
	struct kt_event ev;
	const uint8_t *stored;
	memset(hash, 0, KT_HASH_LEN);
	if (position == 0)
		return KT_OK;
	int rc = kt_reader_begin(s, &r);
	if (rc)
		return rc;
	kt_put_u64(key, position);
	rc = mdb_get(r->txn, s->events, &k, &v);
	if (rc == MDB_NOTFOUND)
		rc = KT_ECORRUPT; /* a copy cannot be ahead of its store */
	if (!rc && !(rc = kt_log_entry(&k, &v, &ev, &stored)))
		memcpy(hash, stored, KT_HASH_LEN);
	kt_reader_end(r);
	return rc;
}

/* Say in the report why the copy is refused, and refuse it. */
static int refuse(struct kt_backup_report *rep, uint64_t position, const char *problem)
{
	rep->verify.first_bad = position;
	snprintf(rep->verify.problem, sizeof rep->verify.problem, "%s", problem);
	return KT_ECORRUPT;
}

/* Open the copy at path as a store, verify it, and check it against s. */
static int check_copy(kt_store *s, const char *path, struct kt_backup_report *rep,
		      kt_progress_fn progress, void *ctx)
{
	kt_store *copy = NULL;
	struct kt_store_info ours, its;
	uint8_t hash[KT_HASH_LEN];
	int rc = kt_store_create(&copy);
	if (rc)
		return rc;
	rc = kt_store_open(copy, path, KT_OPEN_READONLY);
	if (rc == KT_ECORRUPT || rc == KT_EFORMAT)
		rc = refuse(rep, 0, "the copy does not open as a store");
	if (rc || (rc = kt_store_verify(copy, &rep->verify, progress, ctx)) ||
	    (rc = kt_store_info(copy, &its)) || (rc = kt_store_info(s, &ours)) ||
	    (rc = hash_at(s, its.head, hash)))
		goto out;
	if (memcmp(ours.store_id, its.store_id, sizeof ours.store_id) != 0)
		rc = refuse(rep, 0, "the copy has another store id than the store");
	else if (memcmp(hash, its.head_hash, KT_HASH_LEN) != 0)
		rc = refuse(rep, its.head, "the copy's chain hash differs from the store's");
	rep->head = its.head;
	memcpy(rep->head_hash, its.head_hash, KT_HASH_LEN);
	rep->bytes = its.file_bytes;
out:
	kt_store_close(copy);
	return rc;
}

/* Make a rename in dir durable. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return errno;
	int rc = fsync(fd) != 0 ? errno : KT_OK;
	close(fd);
	return rc;
}

/* Rename the copy to dest, refusing to replace anything there, and make
 * the rename durable. *placed is set once dest is the copy. */
static int place(const struct paths *p, const char *dest, int *placed)
{
	if (renameat2(AT_FDCWD, p->tmp, AT_FDCWD, dest, RENAME_NOREPLACE) != 0)
		return errno == EEXIST ? KT_EEXIST : errno;
	*placed = 1;
	return sync_dir(p->dir);
}

int kt_backup_write(kt_store *s, const char *dest, unsigned flags, struct kt_backup_report *report,
		    kt_progress_fn progress, void *ctx)
{
	struct paths p;
	struct stat st;
	int placed = 0;
	memset(report, 0, sizeof *report);
	if (!dest || !*dest || (flags & ~(unsigned)KT_BACKUP_COMPACT))
		return KT_EINVAL;
	/* A dangling symbolic link exists too: nothing is written through it. */
	if (lstat(dest, &st) == 0)
		return KT_EEXIST;
	if (errno != ENOENT)
		return errno;
	int rc = make_paths(dest, &p);
	if (rc)
		return rc;
	int fd = mkstemp(p.tmp);
	if (fd < 0) {
		rc = errno;
		goto out;
	}
	sprintf(p.lock, "%s-lock", p.tmp);
	rc = copy_snapshot(s, fd, flags);
	if (!rc && fsync(fd) != 0)
		rc = errno;
	if (close(fd) != 0 && !rc)
		rc = errno;
	if (!rc) {
		rc = check_copy(s, p.tmp, report, progress, ctx);
		unlink(p.lock);
	}
	if (!rc)
		rc = place(&p, dest, &placed);
	if (rc)
		unlink(placed ? dest : p.tmp);
out:
	free_paths(&p);
	return rc;
}
