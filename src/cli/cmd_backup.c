/*
 * cmd_backup.c — `kontroll backup DEST`: a hot, verified copy of the store
 * (kt_backup_write), made while others go on writing.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "kontroll/backup.h"
#include "kontroll/error.h"

#include <sodium.h>

static const char backup_usage[] =
    "usage: kontroll backup DEST [--compact] [--format table|json] [--db PATH]\n"
    "\n"
    "Copy one consistent snapshot of the store to the new file DEST while others\n"
    "go on writing, verify the copy as `kontroll verify` would, and print DEST,\n"
    "its events and its chain head hash. DEST must not exist (exit 4); the copy\n"
    "is written beside it as DEST.tmp-XXXXXX and renamed to DEST only once it\n"
    "verified, so DEST is never a partial copy. The file has mode 0600.\n"
    "\n"
    "To restore, copy DEST into place while no process has the store open and\n"
    "run `kontroll verify` (docs/operations.md).\n"
    "\n"
    "  --compact    leave out free pages: a smaller file, a little slower\n"
    "  --format F   table (default) or json ({\"backup\", \"events\", \"chain_head\",\n"
    "               \"bytes\"})\n"
    "  --db PATH    the store file\n";

/* Say why the backup to dest failed with err; returns the exit code. */
static int backup_failed(const char *dest, int err, const struct kt_backup_report *rep)
{
	switch (err) {
	case KT_EEXIST:
		cli_error("%s exists already; nothing written", dest);
		return EXIT_CONFLICT;
	case KT_ECORRUPT:
		if (rep->verify.first_bad)
			cli_error("the copy does not verify (position %llu: %s): is the store "
				  "damaged? run kontroll verify; nothing written",
				  (unsigned long long)rep->verify.first_bad, rep->verify.problem);
		else
			cli_error("the copy does not verify (%s): is the store damaged? run "
				  "kontroll verify; nothing written",
				  rep->verify.problem);
		return EXIT_DAMAGED;
	default:
		cli_error("cannot write the backup %s: %s; nothing written", dest,
			  kt_strerror(err));
		return EXIT_FAILURE_STORE;
	}
}

static int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "compact", no_argument, NULL, 'c' },
					      { "format", required_argument, NULL, 'f' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL;
	enum cli_format format = FORMAT_TABLE;
	unsigned flags = 0;
	int c;
	while ((c = cli_getopt(argc, argv, opts, backup_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'c':
			flags |= KT_BACKUP_COMPACT;
			break;
		case 'f':
			if (cli_parse_format(optarg, 0, &format))
				return EXIT_INPUT;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		cli_error("DEST is required: the file to write the backup to (see kontroll "
			  "backup --help)");
		return EXIT_USAGE;
	}
	const char *dest = argv[optind++];
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (!*dest) {
		cli_error("DEST is empty");
		return EXIT_USAGE;
	}
	kt_store *s;
	int rc = cli_open_store(cli_db_path(db), KT_OPEN_READONLY, &s);
	if (rc)
		return rc;
	struct kt_backup_report rep;
	struct cli_progress progress;
	cli_progress_start(&progress, "verifying the copy");
	int err = kt_backup_write(s, dest, flags, &rep, cli_progress_fn(&progress), &progress);
	cli_progress_end(&progress);
	kt_store_close(s);
	if (err)
		return backup_failed(dest, err, &rep);

	char hash[2 * KT_HASH_LEN + 1];
	sodium_bin2hex(hash, sizeof hash, rep.head_hash, KT_HASH_LEN);
	if (format == FORMAT_JSON) {
		json_t *o = json_pack("{s:s, s:I, s:s, s:I}", "backup", dest, "events",
				      (json_int_t)rep.head, "chain_head", hash, "bytes",
				      (json_int_t)rep.bytes);
		if (o)
			cli_print_json(o);
		json_decref(o);
		return EXIT_OK;
	}
	printf("backup         %s\n", dest);
	printf("events         %llu\n", (unsigned long long)rep.head);
	printf("chain head     %s\n", hash);
	printf("size on disk   %.1f MiB (%llu bytes)\n", rep.bytes / 1048576.0,
	       (unsigned long long)rep.bytes);
	return EXIT_OK;
}

const struct cli_command cli_backup_commands[] = {
	{ "backup", "copy the store while others write, and verify the copy", backup_usage,
	  cmd_backup },
	{ NULL, NULL, NULL, NULL },
};
