/*
 * seal.c — seals over the hash chain: signing and checking (libsodium's
 * Ed25519), their text form, their event payload, and key files (seal.h).
 */
#include "kontroll/seal.h"

#include "kontroll/data.h"
#include "kontroll/error.h"
#include "kontroll/ktime.h"

#include <msgpack.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char DOMAIN[] = "kontroll seal v1";
/* The signed message: the domain text, position, hash, time. */
#define MESSAGE_LEN (sizeof DOMAIN - 1 + 8 + KT_HASH_LEN + 8)

static void put_be(uint8_t *p, uint64_t v)
{
	for (int k = 7; k >= 0; k--, v >>= 8)
		p[k] = (uint8_t)v;
}

static void message(const struct kt_seal *seal, uint8_t out[MESSAGE_LEN])
{
	memcpy(out, DOMAIN, sizeof DOMAIN - 1);
	put_be(out + sizeof DOMAIN - 1, seal->position);
	memcpy(out + sizeof DOMAIN - 1 + 8, seal->hash, KT_HASH_LEN);
	put_be(out + sizeof DOMAIN - 1 + 8 + KT_HASH_LEN, (uint64_t)seal->sealed_at);
}

int kt_seal_keypair(uint8_t public_key[KT_SEAL_PUBLIC_LEN], uint8_t secret_key[KT_SEAL_SECRET_LEN])
{
	if (sodium_init() < 0)
		return KT_EINVAL;
	crypto_sign_keypair(public_key, secret_key);
	return KT_OK;
}

int kt_seal_sign(struct kt_seal *seal, const uint8_t secret_key[KT_SEAL_SECRET_LEN])
{
	uint8_t m[MESSAGE_LEN];
	if (sodium_init() < 0)
		return KT_EINVAL;
	message(seal, m);
	crypto_sign_ed25519_sk_to_pk(seal->public_key, secret_key);
	crypto_sign_detached(seal->signature, NULL, m, sizeof m, secret_key);
	return KT_OK;
}

int kt_seal_check(const struct kt_seal *seal, const uint8_t public_key[KT_SEAL_PUBLIC_LEN])
{
	uint8_t m[MESSAGE_LEN];
	if (sodium_init() < 0)
		return KT_ESEAL;
	if (public_key && sodium_memcmp(public_key, seal->public_key, KT_SEAL_PUBLIC_LEN) != 0)
		return KT_ESEAL;
	message(seal, m);
	return crypto_sign_verify_detached(seal->signature, m, sizeof m, seal->public_key) == 0
		   ? KT_OK
		   : KT_ESEAL;
}

/* ---- hex ---------------------------------------------------------------- */

/* Exactly 2n hex digits (either case) at s, n bytes into out. */
static int unhex(const char *s, size_t len, uint8_t *out, size_t n)
{
	size_t got;
	const char *end;
	if (len != 2 * n || sodium_hex2bin(out, n, s, len, NULL, &got, &end) != 0 || got != n ||
	    end != s + len)
		return KT_EINVAL;
	return KT_OK;
}

/* ---- text --------------------------------------------------------------- */

void kt_seal_format(const struct kt_seal *seal, char out[KT_SEAL_TEXT_MAX])
{
	char hash[2 * KT_HASH_LEN + 1], key[2 * KT_SEAL_PUBLIC_LEN + 1],
	    sig[2 * KT_SEAL_SIG_LEN + 1], at[KT_TIME_TEXT_MAX];
	sodium_bin2hex(hash, sizeof hash, seal->hash, KT_HASH_LEN);
	sodium_bin2hex(key, sizeof key, seal->public_key, KT_SEAL_PUBLIC_LEN);
	sodium_bin2hex(sig, sizeof sig, seal->signature, KT_SEAL_SIG_LEN);
	kt_time_format(seal->sealed_at, at);
	snprintf(out, KT_SEAL_TEXT_MAX,
		 "kontroll-seal v1 position=%llu hash=%s sealed=%s key=%s signature=%s",
		 (unsigned long long)seal->position, hash, at, key, sig);
}

/* The value of "name=" at *p, up to the next blank; advances *p past it. */
static int field(const char **p, const char *name, const char **value, size_t *len)
{
	size_t n = strlen(name);
	while (**p == ' ')
		(*p)++;
	if (strncmp(*p, name, n) != 0 || (*p)[n] != '=')
		return KT_EINVAL;
	*value = *p + n + 1;
	*len = strcspn(*value, " \t\r\n");
	*p = *value + *len;
	return *len ? KT_OK : KT_EINVAL;
}

int kt_seal_parse(const char *text, struct kt_seal *seal)
{
	static const char head[] = "kontroll-seal v1 ";
	const char *p = text, *v;
	size_t len;
	char buf[KT_TIME_TEXT_MAX];
	memset(seal, 0, sizeof *seal);
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, head, sizeof head - 1) != 0)
		return KT_EINVAL;
	p += sizeof head - 1;
	/* position: decimal, no sign, no leading zeros */
	if (field(&p, "position", &v, &len) || len > 19 || (len > 1 && v[0] == '0'))
		return KT_EINVAL;
	for (size_t k = 0; k < len; k++) {
		if (v[k] < '0' || v[k] > '9')
			return KT_EINVAL;
		seal->position = seal->position * 10 + (uint64_t)(v[k] - '0');
	}
	if (field(&p, "hash", &v, &len) || unhex(v, len, seal->hash, KT_HASH_LEN))
		return KT_EINVAL;
	if (field(&p, "sealed", &v, &len) || len >= sizeof buf)
		return KT_EINVAL;
	memcpy(buf, v, len);
	buf[len] = 0;
	if (kt_time_parse(buf, &seal->sealed_at))
		return KT_EINVAL;
	if (field(&p, "key", &v, &len) || unhex(v, len, seal->public_key, KT_SEAL_PUBLIC_LEN) ||
	    field(&p, "signature", &v, &len) || unhex(v, len, seal->signature, KT_SEAL_SIG_LEN))
		return KT_EINVAL;
	p += strspn(p, " \t\r\n");
	return *p ? KT_EINVAL : KT_OK;
}

/* ---- the event ---------------------------------------------------------- */

static int pack_hex(msgpack_packer *pk, const char *key, const uint8_t *bytes, size_t n)
{
	char text[2 * KT_SEAL_SIG_LEN + 1];
	sodium_bin2hex(text, sizeof text, bytes, n);
	return msgpack_pack_str_with_body(pk, key, strlen(key)) ||
	       msgpack_pack_str_with_body(pk, text, 2 * n);
}

int kt_seal_to_payload(const struct kt_seal *seal, struct kt_buf *out)
{
	struct kt_buf_sink sink = { out, 0 };
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sink, kt_buf_sink_write);
	int failed = msgpack_pack_map(&pk, 5) || msgpack_pack_str_with_body(&pk, "position", 8) ||
		     msgpack_pack_uint64(&pk, seal->position) ||
		     pack_hex(&pk, "chain_hash", seal->hash, KT_HASH_LEN) ||
		     msgpack_pack_str_with_body(&pk, "sealed_at", 9) ||
		     msgpack_pack_int64(&pk, seal->sealed_at) ||
		     pack_hex(&pk, "public_key", seal->public_key, KT_SEAL_PUBLIC_LEN) ||
		     pack_hex(&pk, "signature", seal->signature, KT_SEAL_SIG_LEN);
	return failed ? (sink.err ? sink.err : KT_ENOMEM) : KT_OK;
}

static int hex_field(const uint8_t *data, size_t len, const char *name, uint8_t *out, size_t n)
{
	const char *s;
	size_t sn;
	return kt_data_get_str(data, len, name, &s, &sn) || unhex(s, sn, out, n) ? KT_EINVAL : KT_OK;
}

int kt_seal_from_payload(const uint8_t *data, size_t len, struct kt_seal *seal)
{
	int64_t position;
	memset(seal, 0, sizeof *seal);
	if (kt_data_get_int(data, len, "position", &position) || position < 0 ||
	    kt_data_get_int(data, len, "sealed_at", &seal->sealed_at) ||
	    hex_field(data, len, "chain_hash", seal->hash, KT_HASH_LEN) ||
	    hex_field(data, len, "public_key", seal->public_key, KT_SEAL_PUBLIC_LEN) ||
	    hex_field(data, len, "signature", seal->signature, KT_SEAL_SIG_LEN))
		return KT_EINVAL;
	seal->position = (uint64_t)position;
	return KT_OK;
}

/* ---- key files ---------------------------------------------------------- */

static const char PUBLIC_HEAD[] = "kontroll-public-key v1 ";
static const char SECRET_HEAD[] = "kontroll-secret-key v1 ";

static void key_text(const char *head, const uint8_t *key, size_t n, char *out, size_t size)
{
	char hex[2 * KT_SEAL_SECRET_LEN + 1];
	sodium_bin2hex(hex, sizeof hex, key, n);
	snprintf(out, size, "%s%s\n", head, hex);
}

void kt_seal_public_text(const uint8_t key[KT_SEAL_PUBLIC_LEN], char *out, size_t size)
{
	key_text(PUBLIC_HEAD, key, KT_SEAL_PUBLIC_LEN, out, size);
}

void kt_seal_secret_text(const uint8_t key[KT_SEAL_SECRET_LEN], char *out, size_t size)
{
	key_text(SECRET_HEAD, key, KT_SEAL_SECRET_LEN, out, size);
}

static int key_parse(const char *text, const char *head, uint8_t *key, size_t n)
{
	const char *p = text + strspn(text, " \t");
	size_t h = strlen(head);
	if (strncmp(p, head, h) != 0)
		return KT_EINVAL;
	p += h;
	size_t len = strcspn(p, " \t\r\n");
	if (unhex(p, len, key, n))
		return KT_EINVAL;
	p += len;
	p += strspn(p, " \t\r\n");
	return *p ? KT_EINVAL : KT_OK;
}

int kt_seal_public_parse(const char *text, uint8_t key[KT_SEAL_PUBLIC_LEN])
{
	return key_parse(text, PUBLIC_HEAD, key, KT_SEAL_PUBLIC_LEN);
}

int kt_seal_secret_parse(const char *text, uint8_t key[KT_SEAL_SECRET_LEN])
{
	uint8_t derived[KT_SEAL_PUBLIC_LEN], seed[crypto_sign_SEEDBYTES];
	uint8_t pk[KT_SEAL_PUBLIC_LEN], sk[KT_SEAL_SECRET_LEN];
	if (key_parse(text, SECRET_HEAD, key, KT_SEAL_SECRET_LEN) || sodium_init() < 0)
		return KT_EINVAL;
	/* An Ed25519 secret key is its seed and its public key: both halves
	 * must belong together, or a damaged file signs nonsense. */
	crypto_sign_ed25519_sk_to_seed(seed, key);
	crypto_sign_seed_keypair(pk, sk, seed);
	crypto_sign_ed25519_sk_to_pk(derived, key);
	int ok = sodium_memcmp(pk, derived, sizeof pk) == 0;
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(sk, sizeof sk);
	return ok ? KT_OK : KT_EINVAL;
}

/* ---- seals against a store ---------------------------------------------- */

/* The problem with seal (pinning a position before limit, when limit is not
 * 0) in reader r, into why; 0 when it holds. */
static int seal_against(kt_reader *r, const struct kt_seal *seal, const uint8_t *public_key,
			uint64_t limit, char *why, size_t why_len)
{
	struct kt_event ev;
	struct kt_raw_event raw;
	int rc;
	if (kt_seal_check(seal, public_key)) {
		snprintf(why, why_len, "%s",
			 public_key && sodium_memcmp(public_key, seal->public_key,
						     KT_SEAL_PUBLIC_LEN) != 0
			     ? "the seal is signed with another key than the one given"
			     : "the seal's signature does not verify");
		return KT_ESEAL;
	}
	if (seal->position == 0 || (limit && seal->position >= limit)) {
		snprintf(why, why_len, "the seal pins position %llu, not one before it",
			 (unsigned long long)seal->position);
		return KT_ESEAL;
	}
	if (seal->position > kt_reader_head(r)) {
		snprintf(why, why_len, "the seal pins position %llu; the store ends at %llu",
			 (unsigned long long)seal->position, (unsigned long long)kt_reader_head(r));
		return KT_ESEAL;
	}
	if ((rc = kt_reader_get_raw(r, seal->position, &ev, &raw)))
		return rc;
	if (sodium_memcmp(raw.hash, seal->hash, KT_HASH_LEN) != 0) {
		snprintf(why, why_len,
			 "the chain hash at position %llu is not the one sealed: the log up to "
			 "there was changed",
			 (unsigned long long)seal->position);
		return KT_ESEAL;
	}
	return KT_OK;
}

int kt_seal_check_store(kt_store *s, const struct kt_seal *seal, const uint8_t *public_key,
			char *why, size_t why_len)
{
	kt_reader *r;
	char scratch[200];
	int rc = kt_reader_begin(s, &r);
	if (rc)
		return rc;
	rc = seal_against(r, seal, public_key, 0, why && why_len ? why : scratch,
			  why && why_len ? why_len : sizeof scratch);
	kt_reader_end(r);
	return rc;
}

int kt_seals_verify(kt_store *s, const uint8_t *public_key, struct kt_seal_report *rep)
{
	return kt_seals_verify_until(s, public_key, UINT64_MAX, rep);
}

int kt_seals_verify_until(kt_store *s, const uint8_t *public_key, uint64_t up_to,
			  struct kt_seal_report *rep)
{
	kt_reader *r;
	kt_iter *it = NULL;
	struct kt_event ev;
	memset(rep, 0, sizeof *rep);
	int rc = kt_reader_begin(s, &r);
	if (rc)
		return rc;
	if ((rc = kt_iter_stream(r, KT_SEAL_STREAM, 1, &it)))
		goto out;
	while ((rc = kt_iter_next(it, &ev)) == KT_OK) {
		struct kt_seal seal;
		char why[160];
		if (ev.position > up_to)
			break;
		rep->seals++;
		if (ev.type_len != sizeof KT_EV_SEAL_RECORDED - 1 ||
		    memcmp(ev.type, KT_EV_SEAL_RECORDED, ev.type_len) != 0 ||
		    kt_seal_from_payload(ev.data, ev.data_len, &seal)) {
			snprintf(why, sizeof why, "the event is no readable seal");
			rc = KT_ESEAL;
		} else {
			rc = seal_against(r, &seal, public_key, ev.position, why, sizeof why);
		}
		if (rc == KT_ESEAL) {
			rep->bad_event = ev.position;
			snprintf(rep->problem, sizeof rep->problem, "seal at position %llu: %s",
				 (unsigned long long)ev.position, why);
		}
		if (rc)
			break;
		if (seal.position > rep->last_position) {
			rep->last_position = seal.position;
			rep->last_sealed_at = seal.sealed_at;
		}
	}
	if (rc == KT_ENOTFOUND)
		rc = KT_OK;
out:
	kt_iter_free(it);
	kt_reader_end(r);
	return rc;
}
