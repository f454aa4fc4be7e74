/*
 * backup.h — a hot, verified copy of a store in a file of its own.
 *
 * A backup is one consistent snapshot of the store, taken while other
 * processes go on appending (LMDB's mdb_env_copyfd2), written to a temporary
 * file beside the destination, synced, opened and verified like a store
 * (kt_store_verify), checked to hold this store's history (same store id, and
 * the store's chain hash at the copy's head equals the copy's), and only then
 * renamed to the destination, whose directory is synced last. So a
 * destination that exists is always a whole, verified backup: an interrupted
 * or failed backup leaves no destination, and the temporary file (named
 * DEST.tmp-XXXXXX) is removed on every failure this process lives through.
 *
 * Invariants: an existing file is never overwritten or modified, also when
 * one appears at the destination while the copy is being made (the rename
 * refuses to replace it: Linux's renameat2 with RENAME_NOREPLACE); the copy
 * is a file of mode 0600, since it holds the same personal data as the store.
 *
 * What it does not do: restore. A backup file is a store; restoring is
 * copying it into place while no process has the store open (docs/
 * operations.md). Nor does it ever wait for readers; a plain copy waits only
 * for a write transaction in progress to commit (LMDB takes the writer lock
 * while it copies the two meta pages), a compacting copy not even that.
 */
#ifndef KONTROLL_BACKUP_H
#define KONTROLL_BACKUP_H

#include "kontroll/chain.h"
#include "kontroll/store.h"

#include <stdint.h>

/* Flags of kt_backup_write. KT_BACKUP_COMPACT: leave out free pages and
 * renumber the rest (MDB_CP_COMPACT): a smaller file, a little slower. */
#define KT_BACKUP_COMPACT 0x1

/* What a backup holds, as verifying the copy found it. */
struct kt_backup_report {
	struct kt_verify_report verify; /* the copy's verification; on KT_ECORRUPT
					   its problem says what is wrong */
	uint64_t head;			/* the copy's head position: its events */
	uint8_t head_hash[KT_HASH_LEN]; /* the copy's chain hash at head */
	uint64_t bytes;			/* size of the backup file */
};

/*
 * Copy the open store s (opened read-only or writable) to a new file at
 * dest, as described above, and fill *report (may not be NULL). progress
 * (may be NULL) is called with ctx while the copy is verified, as
 * kt_store_verify calls it. No reader of s may be open (kt_reader_end):
 * another process may grow the map meanwhile, which the copy must adopt.
 *
 * Returns 0 when dest holds the verified backup. Errors, after which dest
 * does not exist (unless it existed before, untouched) and no temporary file
 * is left: KT_EINVAL for an empty dest or invalid flags; KT_EEXIST when dest
 * exists (checked first, so nothing at all is written, and again at the
 * rename); KT_ECORRUPT when the copy does not verify or is not of this
 * store's history (report->verify says where and why; the store itself is
 * then likely damaged: verify it); KT_ENOMEM; errno codes of creating,
 * writing, syncing or renaming the file (EACCES, ENOENT, ENOSPC, EIO, …) and
 * LMDB codes.
 */
int kt_backup_write(kt_store *s, const char *dest, unsigned flags, struct kt_backup_report *report,
		    kt_progress_fn progress, void *ctx);

#endif
