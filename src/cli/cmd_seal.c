/*
 * cmd_seal.c — `kontroll keygen` and `kontroll seal`: the key pair a
 * municipality signs its seals with, and a signed seal of the log's head
 * (seal.h). `kontroll verify` (cmd_store.c) checks them.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/ktime.h"
#include "kontroll/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- key files ---------------------------------------------------------- */

/* Create path with mode, failing when it exists, and write text to it,
 * synced. On failure nothing is left behind. Returns EXIT_OK or prints why. */
static int write_new_file(const char *path, mode_t mode, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd < 0) {
		cli_error("%s: %s%s", path, strerror(errno),
			  errno == EEXIST ? " (a key is never overwritten; choose another name)"
					  : "");
		return errno == EEXIST ? EXIT_CONFLICT : EXIT_FAILURE_STORE;
	}
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	/* open's mode is masked by the umask; the secret key must be 0600
	 * whatever the umask says. */
	int ok = done == len && fchmod(fd, mode) == 0 && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		saved = errno;
	}
	if (!ok) {
		unlink(path);
		cli_error("%s: %s", path, strerror(saved));
		return EXIT_FAILURE_STORE;
	}
	return EXIT_OK;
}

/* Read a key file as text into text (size bytes, NUL-terminated); secret
 * says which kind, for messages. EXIT_OK, or prints why and returns the
 * exit code. The caller parses the text and wipes it. */
static int read_key_file(const char *path, char *text, size_t size, int secret)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		cli_error("%s: %s", path, strerror(errno));
		return errno == ENOENT ? EXIT_NOTFOUND : EXIT_FAILURE_STORE;
	}
	size_t n = fread(text, 1, size - 1, f);
	int bad = ferror(f) || (n == size - 1 && fgetc(f) != EOF);
	fclose(f);
	text[n] = 0;
	if (bad) {
		cli_error("%s: not a kontroll %s key file", path, secret ? "secret" : "public");
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cli_read_public_key(const char *path, uint8_t *key)
{
	char text[400];
	int rc = read_key_file(path, text, sizeof text, 0);
	if (!rc && kt_seal_public_parse(text, key)) {
		cli_error("--pubkey: %s is not a kontroll public key (kontroll keygen makes one)",
			  path);
		rc = EXIT_INPUT;
	}
	return rc;
}

/* ---- keygen ------------------------------------------------------------- */

static const char keygen_usage[] =
    "usage: kontroll keygen --out FILE\n"
    "\n"
    "Make an Ed25519 key pair for sealing the log: the secret key in FILE (mode\n"
    "0600) and the public key in FILE.pub. Neither file may exist. Prints the\n"
    "public key, to be published (in the annual report, to the control\n"
    "committee) so anyone can check the seals. Keep FILE away from the store's\n"
    "machine, and never in the store's directory (docs/operations.md).\n";

static int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "out", required_argument, NULL, 'o' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL, *out = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts, keygen_usage, &db)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c != 'o')
			return cli_usage_error(c, argv[optind - 1]);
		out = optarg;
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (!out || !*out) {
		cli_error("--out FILE is required (the secret key; FILE.pub gets the public key)");
		return EXIT_USAGE;
	}
	size_t n = strlen(out);
	char *pub_path = malloc(n + 5);
	if (!pub_path) {
		cli_error("out of memory");
		return EXIT_FAILURE_STORE;
	}
	memcpy(pub_path, out, n);
	memcpy(pub_path + n, ".pub", 5);
	uint8_t pk[KT_SEAL_PUBLIC_LEN], sk[KT_SEAL_SECRET_LEN];
	char secret_text[200], public_text[200];
	int rc = EXIT_OK;
	if (kt_seal_keypair(pk, sk)) {
		cli_error("libsodium could not be initialised");
		rc = EXIT_FAILURE_STORE;
		goto out;
	}
	kt_seal_secret_text(sk, secret_text, sizeof secret_text);
	kt_seal_public_text(pk, public_text, sizeof public_text);
	/* The public file first: if it cannot be made, no secret key exists
	 * without its public half. */
	if ((rc = write_new_file(pub_path, 0644, public_text)))
		goto out;
	if ((rc = write_new_file(out, 0600, secret_text))) {
		unlink(pub_path);
		goto out;
	}
	fputs(public_text, stdout);
out:
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(secret_text, sizeof secret_text);
	free(pub_path);
	return rc;
}

/* ---- seal --------------------------------------------------------------- */

static const char seal_usage[] =
    "usage: kontroll seal --key FILE [--format table|json] [--actor NAME] [--db PATH]\n"
    "\n"
    "Seal the log: sign the head position and its chain hash, now, with the\n"
    "secret key in FILE (kontroll keygen), and append the seal as an event\n"
    "(seal.recorded in stream kontroll-seals). Prints the seal as one line of\n"
    "text: write it down or mail it to the control committee, and check it\n"
    "later with `kontroll verify --seal TEXT --pubkey FILE.pub`. A store\n"
    "rewritten at or before the sealed position fails that check, even when\n"
    "its hash chain was recomputed.\n"
    "\n"
    "json prints {\"id\", \"position\", \"sealed_position\", \"chain_hash\", \"seal\"}\n";

/* Sign the head of s with sk and append the seal. */
static int write_seal(kt_store *s, const uint8_t sk[KT_SEAL_SECRET_LEN], const char *actor,
		      enum cli_format format)
{
	kt_reader *r;
	struct kt_seal seal;
	struct kt_event ev;
	struct kt_raw_event raw;
	int err = kt_reader_begin(s, &r);
	if (err)
		goto failed;
	memset(&seal, 0, sizeof seal);
	seal.position = kt_reader_head(r);
	if (seal.position && !(err = kt_reader_get_raw(r, seal.position, &ev, &raw)))
		memcpy(seal.hash, raw.hash, KT_HASH_LEN);
	kt_reader_end(r);
	if (err)
		goto failed;
	if (!seal.position) {
		cli_error("the store is empty: nothing to seal");
		return EXIT_NOTFOUND;
	}
	seal.sealed_at = kt_time_now();
	if ((err = kt_seal_sign(&seal, sk)))
		goto failed;
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	if (!(err = kt_seal_to_payload(&seal, &data))) {
		cli_new_event(&ev, KT_EV_SEAL_RECORDED, actor, &data, seal.sealed_at);
		err = kt_store_append(s, KT_SEAL_STREAM, KT_VERSION_ANY, &ev, 1, NULL);
	}
	kt_buf_free(&data);
	if (err)
		goto failed;
	char text[KT_SEAL_TEXT_MAX], id[KT_ID_TEXT_LEN + 1], hash[2 * KT_HASH_LEN + 1];
	kt_seal_format(&seal, text);
	if (format != FORMAT_JSON) {
		puts(text);
		return EXIT_OK;
	}
	kt_id_format(ev.id, id);
	sodium_bin2hex(hash, sizeof hash, seal.hash, KT_HASH_LEN);
	json_t *o = json_pack("{s:s, s:I, s:I, s:s, s:s}", "id", id, "position",
			      (json_int_t)ev.position, "sealed_position", (json_int_t)seal.position,
			      "chain_hash", hash, "seal", text);
	if (o)
		cli_print_json(o);
	json_decref(o);
	return EXIT_OK;
failed:
	cli_error("%s; nothing written", kt_strerror(err));
	return cli_exit_for(err);
}

static int cmd_seal(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { "key", required_argument, NULL, 'k' },
					      { "actor", required_argument, NULL, 'a' },
					      { "format", required_argument, NULL, 'f' },
					      { 0, 0, 0, 0 } };
	const char *db = NULL, *key = NULL, *actor = NULL;
	enum cli_format format = FORMAT_TABLE;
	int c;
	while ((c = cli_getopt(argc, argv, opts, seal_usage, &db)) != -1) {
		switch (c) {
		case 'h':
			return EXIT_OK;
		case 'k':
			key = optarg;
			break;
		case 'a':
			actor = optarg;
			break;
		case 'f':
			if (cli_parse_format(optarg, 0, &format))
				return EXIT_INPUT;
			break;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (!key) {
		cli_error("--key FILE is required (the secret key of kontroll keygen)");
		return EXIT_USAGE;
	}
	char text[400];
	uint8_t sk[KT_SEAL_SECRET_LEN];
	struct stat st;
	int rc = read_key_file(key, text, sizeof text, 1);
	if (!rc && kt_seal_secret_parse(text, sk)) {
		cli_error("%s: not a kontroll secret key (kontroll keygen makes one)", key);
		rc = EXIT_INPUT;
	}
	/* Only a file that is a secret key is worth the warning. */
	if (!rc && stat(key, &st) == 0 && (st.st_mode & 077))
		cli_error("warning: %s can be read by others (mode %03o); keep a secret key "
			  "0600",
			  key, (unsigned)(st.st_mode & 0777));
	sodium_memzero(text, sizeof text);
	kt_store *s = NULL;
	if (!rc)
		rc = cli_open_store(cli_db_path(db), 0, &s);
	if (!rc)
		rc = write_seal(s, sk, cli_actor(actor), format);
	sodium_memzero(sk, sizeof sk);
	kt_store_close(s);
	return rc;
}

const struct cli_command cli_seal_commands[] = {
	{ "keygen", "make the Ed25519 key pair that signs seals", keygen_usage, cmd_keygen },
	{ "seal", "sign the log's head and chain hash, and record the seal", seal_usage, cmd_seal },
	{ NULL, NULL, NULL, NULL },
};
