/*
 * seal.h — signed seals over the hash chain, and the key pairs that make
 * them (Ed25519, libsodium).
 *
 * A seal states "at this moment the log's head was position P and the chain
 * hash there was H", signed with a secret key whose public half is
 * published (in the annual report, to the control committee). Since h(P)
 * depends on every event up to P (chain.h), a seal pins the whole log
 * before it: a store rewritten from any position ≤ P on — even with the
 * chain recomputed — no longer has H at P, and the seal says so.
 *
 * The signature covers the domain text "kontroll seal v1", then P (8 bytes
 * big-endian), H (32 bytes) and the sealing time (µs since the epoch, 8
 * bytes big-endian, two's complement). It does not cover the store's id, so
 * a log exported and imported elsewhere keeps its seals.
 *
 * A seal lives in the log as an event of type seal.recorded in the stream
 * "kontroll-seals" (written after P, so it is itself pinned by later
 * seals), and as one line of text people can write down or mail:
 *   kontroll-seal v1 position=P hash=HEX sealed=YYYY-MM-DDTHH:MM:SS.ffffffZ key=HEX signature=HEX
 *
 * Key files are one line of text each: the secret key
 * "kontroll-secret-key v1 HEX" (64 bytes; kept mode 0600) and the public
 * key "kontroll-public-key v1 HEX" (32 bytes).
 */
#ifndef KONTROLL_SEAL_H
#define KONTROLL_SEAL_H

#include "kontroll/buf.h"
#include "kontroll/chain.h"
#include "kontroll/schema.h"
#include "kontroll/store.h"

#include <stddef.h>
#include <stdint.h>

#define KT_SEAL_STREAM	   "kontroll-seals"
#define KT_EV_SEAL_RECORDED "seal.recorded"

#define KT_SEAL_PUBLIC_LEN 32
#define KT_SEAL_SECRET_LEN 64
#define KT_SEAL_SIG_LEN	   64
/* Room for the text form of a seal, NUL included. */
#define KT_SEAL_TEXT_MAX 400

struct kt_seal {
	uint64_t position; /* the head sealed */
	uint8_t hash[KT_HASH_LEN];
	int64_t sealed_at; /* µs since the epoch, UTC */
	uint8_t public_key[KT_SEAL_PUBLIC_LEN];
	uint8_t signature[KT_SEAL_SIG_LEN];
};

/* Make a new key pair. Returns 0, or KT_EINVAL when libsodium cannot be
 * initialised. */
int kt_seal_keypair(uint8_t public_key[KT_SEAL_PUBLIC_LEN], uint8_t secret_key[KT_SEAL_SECRET_LEN]);

/* Sign seal (position, hash and sealed_at set by the caller) with
 * secret_key: fills public_key (the secret key's own) and signature.
 * Returns 0 or KT_EINVAL (libsodium unavailable). */
int kt_seal_sign(struct kt_seal *seal, const uint8_t secret_key[KT_SEAL_SECRET_LEN]);

/* Check seal's signature against public_key, or against the key the seal
 * carries when public_key is NULL. With a public_key, a seal carrying
 * another key is refused: the question is who signed. Returns 0 or
 * KT_ESEAL. */
int kt_seal_check(const struct kt_seal *seal, const uint8_t public_key[KT_SEAL_PUBLIC_LEN]);

/* The one-line text form of seal into out. */
void kt_seal_format(const struct kt_seal *seal, char out[KT_SEAL_TEXT_MAX]);

/* Parse the text form (surrounding blanks and a trailing newline allowed)
 * into *seal. Returns 0 or KT_EINVAL; *seal is then unspecified. */
int kt_seal_parse(const char *text, struct kt_seal *seal);

/* The msgpack payload of a seal.recorded event for seal, appended to out.
 * Returns 0, KT_ENOMEM or KT_ETOOBIG. */
int kt_seal_to_payload(const struct kt_seal *seal, struct kt_buf *out);

/* Read a seal.recorded payload (len bytes at data, as kt_seal_schema
 * validates it) into *seal. Returns 0 or KT_EINVAL. */
int kt_seal_from_payload(const uint8_t *data, size_t len, struct kt_seal *seal);

/* The schema of seal.recorded (for the catalogue), or NULL for another
 * type. Static. */
const struct kt_schema *kt_seal_schema(const char *type, size_t len);

/* What kt_seals_verify found. */
struct kt_seal_report {
	uint64_t seals;		 /* seal events checked */
	uint64_t last_position;	 /* the latest position a sound seal pins; 0: none */
	int64_t last_sealed_at;	 /* when it was sealed */
	uint64_t bad_event;	 /* position of the first seal event that fails; 0 */
	char problem[200];	 /* one line naming what is wrong; empty when sound */
};

/*
 * Check every seal.recorded event of the store's seal stream from one read
 * snapshot: its payload reads as a seal, it pins a position before its own,
 * its signature holds (against public_key, or each seal's own key when
 * public_key is NULL), and the chain hash stored at the sealed position is
 * the sealed hash. The chain itself is kt_store_verify's to check; together
 * they prove the log up to the last seal is the one that was sealed.
 * Returns 0 when every seal holds; KT_ESEAL with rep filled when one does
 * not; or a read error.
 */
int kt_seals_verify(kt_store *s, const uint8_t *public_key, struct kt_seal_report *rep);

/* As kt_seals_verify, for the seal events at positions ≤ up_to only. Give
 * the events kt_store_verify checked (its report's events): the seals are
 * then checked against the chain it verified, although others appended
 * (seals too) between its snapshot and this one. */
int kt_seals_verify_until(kt_store *s, const uint8_t *public_key, uint64_t up_to,
			  struct kt_seal_report *rep);

/*
 * Check one seal (from its text, say) against the store: its signature
 * (against public_key, or its own key when NULL), then that the store holds
 * position seal->position with the sealed chain hash. Returns 0; KT_ESEAL
 * with why (why_len bytes, may be NULL when 0) naming what failed; or a
 * read error.
 */
int kt_seal_check_store(kt_store *s, const struct kt_seal *seal, const uint8_t *public_key,
			char *why, size_t why_len);

/* Write the key file text of a public or secret key into out (size ≥ 200). */
void kt_seal_public_text(const uint8_t key[KT_SEAL_PUBLIC_LEN], char *out, size_t size);
void kt_seal_secret_text(const uint8_t key[KT_SEAL_SECRET_LEN], char *out, size_t size);

/* Parse a key file's text (one line, blanks around allowed). Returns 0 or
 * KT_EINVAL (not such a key). A secret key is also checked to hold its own
 * public half. */
int kt_seal_public_parse(const char *text, uint8_t key[KT_SEAL_PUBLIC_LEN]);
int kt_seal_secret_parse(const char *text, uint8_t key[KT_SEAL_SECRET_LEN]);

#endif
