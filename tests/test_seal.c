/*
 * test_seal.c — seals over the hash chain (seal.h): signing and checking
 * (every field of a seal is covered by its signature), the one-line text
 * form (exact round trip; every malformed text refused), the seal.recorded
 * payload and its catalogue schema, key files, and seals against stores:
 * kt_seals_verify and kt_seal_check_store on a sound store, and on copies
 * rewritten the way an insider would — an event changed and the whole chain
 * after it recomputed, so that kt_store_verify still passes and only the
 * seal can tell.
 *
 * Stores are real LMDB files in a mkdtemp directory (small map, commits not
 * synced); the rewrites are done to a byte copy with raw LMDB, as in
 * test_verify.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/catalogue.h"
#include "kontroll/chain.h"
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/ktime.h"
#include "kontroll/seal.h"
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

/* ---- helpers without a store ------------------------------------------ */

/* Lower-case hex of n bytes, written here rather than by libsodium so the
 * expected texts do not come from the code under test. */
static void to_hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t k = 0; k < n; k++) {
		out[2 * k] = digits[b[k] >> 4];
		out[2 * k + 1] = digits[b[k] & 15];
	}
	out[2 * n] = 0;
}

struct keys {
	uint8_t pk[KT_SEAL_PUBLIC_LEN], sk[KT_SEAL_SECRET_LEN];
};

static void make_keys(struct keys *k)
{
	assert_int_equal(kt_seal_keypair(k->pk, k->sk), KT_OK);
}

/* A seal of position with hash bytes 0x10, 0x11, … and a fixed time. */
static void signed_seal(struct kt_seal *seal, const struct keys *k, uint64_t position)
{
	memset(seal, 0, sizeof *seal);
	seal->position = position;
	for (int i = 0; i < KT_HASH_LEN; i++)
		seal->hash[i] = (uint8_t)(0x10 + i);
	seal->sealed_at = INT64_C(1700000000123456); /* 2023-11-14T22:13:20.123456Z */
	assert_int_equal(kt_seal_sign(seal, k->sk), KT_OK);
}

static void assert_seals_equal(const struct kt_seal *a, const struct kt_seal *b)
{
	assert_true(a->position == b->position);
	assert_memory_equal(a->hash, b->hash, KT_HASH_LEN);
	assert_true(a->sealed_at == b->sealed_at);
	assert_memory_equal(a->public_key, b->public_key, KT_SEAL_PUBLIC_LEN);
	assert_memory_equal(a->signature, b->signature, KT_SEAL_SIG_LEN);
}

/* text with the first occurrence of from replaced by to */
static void replaced(const char *text, const char *from, const char *to, char *out, size_t size)
{
	const char *at = strstr(text, from);
	assert_non_null(at);
	snprintf(out, size, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

/* the value of name= in text, into out */
static void value_of(const char *text, const char *name, char *out, size_t size)
{
	char key[32];
	snprintf(key, sizeof key, " %s=", name);
	const char *at = strstr(text, key);
	assert_non_null(at);
	at += strlen(key);
	size_t n = strcspn(at, " ");
	assert_true(n < size);
	memcpy(out, at, n);
	out[n] = 0;
}

/* ---- signing and checking --------------------------------------------- */

static void test_seal_signed_checks_with_its_own_key_and_the_key_given(void **state)
{
	(void)state;
	struct keys k;
	struct kt_seal seal;
	make_keys(&k);
	signed_seal(&seal, &k, 42);
	/* sign fills in the secret key's own public half */
	assert_memory_equal(seal.public_key, k.pk, KT_SEAL_PUBLIC_LEN);
	assert_int_equal(kt_seal_check(&seal, NULL), KT_OK);
	assert_int_equal(kt_seal_check(&seal, k.pk), KT_OK);
}

static void test_seal_check_refuses_another_public_key(void **state)
{
	(void)state;
	struct keys a, b;
	struct kt_seal seal;
	make_keys(&a);
	make_keys(&b);
	assert_memory_not_equal(a.pk, b.pk, KT_SEAL_PUBLIC_LEN);
	signed_seal(&seal, &a, 42);
	assert_int_equal(kt_seal_check(&seal, b.pk), KT_ESEAL);
	/* a seal signed by b, claiming to be a's: the key carried decides
	 * nothing against the key given */
	struct kt_seal by_b;
	signed_seal(&by_b, &b, 42);
	memcpy(by_b.public_key, a.pk, KT_SEAL_PUBLIC_LEN);
	assert_int_equal(kt_seal_check(&by_b, a.pk), KT_ESEAL);
	assert_int_equal(kt_seal_check(&by_b, NULL), KT_ESEAL);
}

/* Every change to a signed seal must be refused, with and without a key. */
static void assert_refused(const struct kt_seal *changed, const struct keys *k, const char *what,
			   int i)
{
	if (kt_seal_check(changed, NULL) != KT_ESEAL)
		fail_msg("%s %d: accepted against its own key", what, i);
	if (kt_seal_check(changed, k->pk) != KT_ESEAL)
		fail_msg("%s %d: accepted against the public key", what, i);
}

static void test_seal_check_refuses_any_changed_field(void **state)
{
	(void)state;
	struct keys k, other;
	struct kt_seal seal, c;
	make_keys(&k);
	make_keys(&other);
	signed_seal(&seal, &k, 42);

	const uint64_t positions[] = { 41, 43, 0, 42 + (UINT64_C(1) << 32), UINT64_MAX };
	for (size_t i = 0; i < sizeof positions / sizeof positions[0]; i++) {
		c = seal;
		c.position = positions[i];
		assert_refused(&c, &k, "position", (int)i);
	}
	for (int i = 0; i < KT_HASH_LEN; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			c = seal;
			c.hash[i] ^= (uint8_t)(1u << bit);
			assert_refused(&c, &k, "hash byte", i);
		}
	}
	const int64_t times[] = { 1, -1, INT64_C(1000000), INT64_C(1) << 40 };
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		c = seal;
		c.sealed_at += times[i];
		assert_refused(&c, &k, "sealed_at", (int)i);
	}
	c = seal;
	c.sealed_at = -seal.sealed_at;
	assert_refused(&c, &k, "sealed_at negated", 0);
	for (int i = 0; i < KT_SEAL_SIG_LEN; i++) {
		c = seal;
		c.signature[i] ^= 0x01;
		assert_refused(&c, &k, "signature byte", i);
	}
	for (int i = 0; i < KT_SEAL_PUBLIC_LEN; i++) {
		c = seal;
		c.public_key[i] ^= 0x01;
		assert_refused(&c, &k, "carried key byte", i);
	}
	c = seal;
	memcpy(c.public_key, other.pk, KT_SEAL_PUBLIC_LEN);
	assert_refused(&c, &k, "carried key replaced", 0);
	/* and the untouched seal still holds: the loop above changed copies */
	assert_int_equal(kt_seal_check(&seal, k.pk), KT_OK);
}

/* ---- text form -------------------------------------------------------- */

/* The text a seal must have, built here field by field. */
static void expected_text(const struct kt_seal *seal, const char *time, char *out, size_t size)
{
	char hash[2 * KT_HASH_LEN + 1], key[2 * KT_SEAL_PUBLIC_LEN + 1],
	    sig[2 * KT_SEAL_SIG_LEN + 1];
	to_hex(seal->hash, KT_HASH_LEN, hash);
	to_hex(seal->public_key, KT_SEAL_PUBLIC_LEN, key);
	to_hex(seal->signature, KT_SEAL_SIG_LEN, sig);
	snprintf(out, size, "kontroll-seal v1 position=%llu hash=%s sealed=%s key=%s signature=%s",
		 (unsigned long long)seal->position, hash, time, key, sig);
}

static void test_seal_format_parse_round_trip(void **state)
{
	(void)state;
	struct keys k;
	struct kt_seal seal, back;
	char text[KT_SEAL_TEXT_MAX], want[600], again[KT_SEAL_TEXT_MAX];
	make_keys(&k);
	signed_seal(&seal, &k, 1234567);
	kt_seal_format(&seal, text);
	expected_text(&seal, "2023-11-14T22:13:20.123456Z", want, sizeof want);
	assert_string_equal(text, want);
	assert_int_equal(kt_seal_parse(text, &back), KT_OK);
	assert_seals_equal(&seal, &back);
	assert_int_equal(kt_seal_check(&back, k.pk), KT_OK);
	kt_seal_format(&back, again);
	assert_string_equal(again, text);

	/* the largest position the text allows, and position 1 */
	const uint64_t positions[] = { 1, UINT64_C(9223372036854775807) };
	for (size_t i = 0; i < 2; i++) {
		signed_seal(&seal, &k, positions[i]);
		kt_seal_format(&seal, text);
		assert_true(strlen(text) < KT_SEAL_TEXT_MAX - 1);
		assert_int_equal(kt_seal_parse(text, &back), KT_OK);
		assert_seals_equal(&seal, &back);
	}
}

static void test_seal_parse_accepts_blanks_and_a_trailing_newline(void **state)
{
	(void)state;
	struct keys k;
	struct kt_seal seal, back;
	char text[KT_SEAL_TEXT_MAX], v[800];
	make_keys(&k);
	signed_seal(&seal, &k, 77);
	kt_seal_format(&seal, text);
	const char *forms[] = { "%s\n", "%s\r\n", "  %s", "\t%s", " \t %s  \n", "%s \t " };
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		snprintf(v, sizeof v, forms[i], text);
		memset(&back, 0xa5, sizeof back);
		if (kt_seal_parse(v, &back) != KT_OK)
			fail_msg("form %zu refused: \"%s\"", i, v);
		assert_seals_equal(&seal, &back);
	}
	/* several blanks between the fields */
	char *p = v, *q = text;
	for (; *q; q++) {
		*p++ = *q;
		if (*q == ' ' && q > text + 17) /* after the header */
			*p++ = ' ';
	}
	*p = 0;
	assert_int_equal(kt_seal_parse(v, &back), KT_OK);
	assert_seals_equal(&seal, &back);
	/* hex in capitals reads the same */
	char hex[2 * KT_SEAL_SIG_LEN + 1], upper[2 * KT_SEAL_SIG_LEN + 1], step[800];
	snprintf(v, sizeof v, "%s", text);
	const char *names[] = { " hash=", " key=", " signature=" };
	for (int i = 0; i < 3; i++) {
		const char *at = strstr(v, names[i]) + strlen(names[i]);
		size_t n = strcspn(at, " ");
		memcpy(hex, at, n);
		hex[n] = 0;
		for (size_t j = 0; j <= n; j++)
			upper[j] = hex[j] >= 'a' && hex[j] <= 'f' ? (char)(hex[j] - 32) : hex[j];
		replaced(v, hex, upper, step, sizeof step);
		snprintf(v, sizeof v, "%s", step);
	}
	assert_string_not_equal(v, text);
	assert_int_equal(kt_seal_parse(v, &back), KT_OK);
	assert_seals_equal(&seal, &back);
}

static void test_seal_parse_refuses_every_malformed_text(void **state)
{
	(void)state;
	struct keys k;
	struct kt_seal seal, back;
	char text[KT_SEAL_TEXT_MAX], pos[32], hash[80], at[40], key[80], sig[160];
	make_keys(&k);
	signed_seal(&seal, &k, 77);
	kt_seal_format(&seal, text);
	assert_int_equal(kt_seal_parse(text, &back), KT_OK);
	value_of(text, "position", pos, sizeof pos);
	value_of(text, "hash", hash, sizeof hash);
	value_of(text, "sealed", at, sizeof at);
	value_of(text, "key", key, sizeof key);
	value_of(text, "signature", sig, sizeof sig);
	assert_string_equal(pos, "77");

	/* Each bad text built from the good fields with one thing wrong. */
	struct {
		const char *what;
		const char *fmt; /* %1$s…: header-less fields in order */
	} cases[] = {
		/* missing fields */
		{ "no position", "kontroll-seal v1 hash=%2$s sealed=%3$s key=%4$s signature=%5$s" },
		{ "no hash", "kontroll-seal v1 position=%1$s sealed=%3$s key=%4$s signature=%5$s" },
		{ "no sealed", "kontroll-seal v1 position=%1$s hash=%2$s key=%4$s signature=%5$s" },
		{ "no key", "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s signature=%5$s" },
		{ "no signature", "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s key=%4$s" },
		{ "empty position",
		  "kontroll-seal v1 position= hash=%2$s sealed=%3$s key=%4$s signature=%5$s" },
		{ "empty signature",
		  "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s key=%4$s signature=" },
		/* out of order */
		{ "hash first",
		  "kontroll-seal v1 hash=%2$s position=%1$s sealed=%3$s key=%4$s signature=%5$s" },
		{ "signature before key",
		  "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s signature=%5$s key=%4$s" },
		{ "sealed last",
		  "kontroll-seal v1 position=%1$s hash=%2$s key=%4$s signature=%5$s sealed=%3$s" },
		/* wrong names */
		{ "Position", "kontroll-seal v1 Position=%1$s hash=%2$s sealed=%3$s key=%4$s "
			      "signature=%5$s" },
		{ "pos",
		  "kontroll-seal v1 pos=%1$s hash=%2$s sealed=%3$s key=%4$s signature=%5$s" },
		{ "hash:", "kontroll-seal v1 position=%1$s hash:%2$s sealed=%3$s key=%4$s "
			   "signature=%5$s" },
		/* a field twice */
		{ "position twice", "kontroll-seal v1 position=%1$s position=%1$s hash=%2$s "
				    "sealed=%3$s key=%4$s signature=%5$s" },
		/* wrong header */
		{ "v2", "kontroll-seal v2 position=%1$s hash=%2$s sealed=%3$s key=%4$s "
			"signature=%5$s" },
		{ "no header", "position=%1$s hash=%2$s sealed=%3$s key=%4$s signature=%5$s" },
		{ "Kontroll", "Kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s key=%4$s "
			      "signature=%5$s" },
		{ "header glued", "kontroll-seal v1position=%1$s hash=%2$s sealed=%3$s key=%4$s "
				  "signature=%5$s" },
		{ "header without version", "kontroll-seal position=%1$s hash=%2$s sealed=%3$s "
					    "key=%4$s signature=%5$s" },
		{ "a public key header", "kontroll-public-key v1 position=%1$s hash=%2$s "
					 "sealed=%3$s key=%4$s signature=%5$s" },
		/* trailing junk */
		{ "a word after", "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s key=%4$s "
				  "signature=%5$s extra" },
		{ "a field after", "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s key=%4$s "
				   "signature=%5$s note=x" },
		{ "glued junk", "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s key=%4$s "
				"signature=%5$sx" },
		{ "two lines", "kontroll-seal v1 position=%1$s hash=%2$s sealed=%3$s key=%4$s "
			       "signature=%5$s\nkontroll-seal v1" },
		/* values glued to the next field */
		{ "no blank after position",
		  "kontroll-seal v1 position=%1$shash=%2$s sealed=%3$s key=%4$s signature=%5$s" },
	};
	char bad[1200];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(bad, sizeof bad, cases[i].fmt, pos, hash, at, key, sig);
		if (kt_seal_parse(bad, &back) != KT_EINVAL)
			fail_msg("%s: accepted \"%s\"", cases[i].what, bad);
	}

	/* one value wrong at a time */
	char hash63[300], hash65[300], hashg[300], key62[300], keyx[300], sig126[300], sig130[300],
	    sigz[300];
	snprintf(hash63, sizeof hash63, "%.63s", hash);
	snprintf(hash65, sizeof hash65, "%s0", hash);
	snprintf(hashg, sizeof hashg, "g%s", hash + 1);
	snprintf(key62, sizeof key62, "%.62s", key);
	snprintf(keyx, sizeof keyx, "%.31sx%s", key, key + 32);
	snprintf(sig126, sizeof sig126, "%.126s", sig);
	snprintf(sig130, sizeof sig130, "%s00", sig);
	snprintf(sigz, sizeof sigz, "%.127s-", sig);
	char hash_spaced[300];
	snprintf(hash_spaced, sizeof hash_spaced, "%.32s %s", hash, hash + 32);
	struct {
		const char *what, *field, *value;
	} values[] = {
		{ "hash 63 digits", "hash", hash63 },
		{ "hash 65 digits", "hash", hash65 },
		{ "hash split by a blank", "hash", hash_spaced },
		{ "hash not hex", "hash", hashg },
		{ "hash 0x", "hash", "0x00" },
		{ "key 62 digits", "key", key62 },
		{ "key not hex", "key", keyx },
		{ "signature 126 digits", "signature", sig126 },
		{ "signature 130 digits", "signature", sig130 },
		{ "signature not hex", "signature", sigz },
		{ "position leading zero", "position", "077" },
		{ "position zero padded", "position", "0077" },
		{ "position signed", "position", "+77" },
		{ "position negative", "position", "-77" },
		{ "position hex", "position", "0x4d" },
		{ "position with letters", "position", "77a" },
		{ "position decimal point", "position", "77.0" },
		{ "position 20 digits", "position", "18446744073709551615" },
		{ "position beyond 64 bits", "position", "99999999999999999999999" },
		{ "time a day that does not exist", "sealed", "2023-02-29T22:13:20.123456Z" },
		{ "time month 13", "sealed", "2023-13-14T22:13:20.123456Z" },
		{ "time hour 25", "sealed", "2023-11-14T25:13:20.123456Z" },
		{ "time word", "sealed", "yesterday" },
		{ "time number", "sealed", "1700000000123456" },
		{ "time seven digit fraction", "sealed", "2023-11-14T22:13:20.1234567Z" },
		{ "time junk after", "sealed", "2023-11-14T22:13:20.123456Zx" },
		{ "time too long", "sealed", "2023-11-14T22:13:20.123456Z000000000000000000000" },
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char old[200], now[400];
		snprintf(old, sizeof old, " %s=%s", values[i].field,
			 strcmp(values[i].field, "position") == 0 ? pos
			 : strcmp(values[i].field, "hash") == 0	  ? hash
			 : strcmp(values[i].field, "sealed") == 0 ? at
			 : strcmp(values[i].field, "key") == 0	  ? key
								  : sig);
		snprintf(now, sizeof now, " %s=%s", values[i].field, values[i].value);
		replaced(text, old, now, bad, sizeof bad);
		if (kt_seal_parse(bad, &back) != KT_EINVAL)
			fail_msg("%s: accepted \"%s\"", values[i].what, bad);
	}

	const char *others[] = { "",
				 " ",
				 "\n",
				 "kontroll-seal v1",
				 "kontroll-seal v1 ",
				 "kontroll-seal v1 position=1" };
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (kt_seal_parse(others[i], &back) != KT_EINVAL)
			fail_msg("accepted \"%s\"", others[i]);
	/* a NUL inside the text ends it: what follows is not read */
	char cut[KT_SEAL_TEXT_MAX];
	memcpy(cut, text, sizeof cut);
	cut[strlen(text) - 10] = 0;
	assert_int_equal(kt_seal_parse(cut, &back), KT_EINVAL);
	/* and after all that, the good text still parses */
	assert_int_equal(kt_seal_parse(text, &back), KT_OK);
	assert_seals_equal(&seal, &back);
}

/* ---- the event payload ------------------------------------------------ */

static void test_seal_payload_round_trip_and_passes_the_catalogue(void **state)
{
	(void)state;
	struct keys k;
	struct kt_seal seal, back;
	make_keys(&k);
	const uint64_t positions[] = { 1, 300, UINT64_C(1) << 40, UINT64_C(9223372036854775807) };
	for (size_t i = 0; i < sizeof positions / sizeof positions[0]; i++) {
		signed_seal(&seal, &k, positions[i]);
		if (i == 2)
			seal.sealed_at = -INT64_C(5); /* before the epoch: still an integer */
		struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
		assert_int_equal(kt_seal_to_payload(&seal, &buf), KT_OK);
		char why[200] = "x";
		int rc = kt_catalogue_check(KT_EV_SEAL_RECORDED, strlen(KT_EV_SEAL_RECORDED),
					    buf.data, buf.len, why, sizeof why);
		if (rc)
			fail_msg("position %llu: %s", (unsigned long long)positions[i], why);
		assert_string_equal(why, "");
		memset(&back, 0x5a, sizeof back);
		assert_int_equal(kt_seal_from_payload(buf.data, buf.len, &back), KT_OK);
		assert_seals_equal(&seal, &back);
		kt_buf_free(&buf);
	}
}

/* A seal.recorded payload with the given texts (NULL: field left out). */
static void pack_seal(struct kt_buf *out, int64_t position, const char *hash, const char *key,
		      const char *sig)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2 + (hash != NULL) + (key != NULL) + (sig != NULL));
	msgpack_pack_str_with_body(&pk, "position", 8);
	msgpack_pack_int64(&pk, position);
	if (hash) {
		msgpack_pack_str_with_body(&pk, "chain_hash", 10);
		msgpack_pack_str_with_body(&pk, hash, strlen(hash));
	}
	msgpack_pack_str_with_body(&pk, "sealed_at", 9);
	msgpack_pack_int64(&pk, INT64_C(1700000000123456));
	if (key) {
		msgpack_pack_str_with_body(&pk, "public_key", 10);
		msgpack_pack_str_with_body(&pk, key, strlen(key));
	}
	if (sig) {
		msgpack_pack_str_with_body(&pk, "signature", 9);
		msgpack_pack_str_with_body(&pk, sig, strlen(sig));
	}
	kt_buf_reset(out);
	assert_int_equal(kt_buf_append(out, sb.data, sb.size), KT_OK);
	msgpack_sbuffer_destroy(&sb);
}

static void test_seal_payload_refuses_wrong_hex_with_the_schemas_reason(void **state)
{
	(void)state;
	struct keys k;
	struct kt_seal seal, back;
	make_keys(&k);
	signed_seal(&seal, &k, 9);
	char hash[80], key[80], sig[160];
	to_hex(seal.hash, KT_HASH_LEN, hash);
	to_hex(seal.public_key, KT_SEAL_PUBLIC_LEN, key);
	to_hex(seal.signature, KT_SEAL_SIG_LEN, sig);
	struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
	char why[200];

	/* the good one, packed here, passes and reads back */
	pack_seal(&buf, 9, hash, key, sig);
	assert_int_equal(
	    kt_catalogue_check(KT_EV_SEAL_RECORDED, 13, buf.data, buf.len, why, sizeof why), KT_OK);
	assert_int_equal(kt_seal_from_payload(buf.data, buf.len, &back), KT_OK);
	assert_seals_equal(&seal, &back);

	char h62[300], h63[300], h65[300], hz[300], k62[300], kz[300], s126[300], s127[300],
	    s130[300], sz[300];
	snprintf(h62, sizeof h62, "%.62s", hash);
	snprintf(h63, sizeof h63, "%.63s", hash);
	snprintf(h65, sizeof h65, "%s0", hash);
	snprintf(hz, sizeof hz, "%.63sz", hash);
	snprintf(k62, sizeof k62, "%.62s", key);
	snprintf(kz, sizeof kz, "z%s", key + 1);
	snprintf(s126, sizeof s126, "%.126s", sig);
	snprintf(s127, sizeof s127, "%.127s", sig);
	snprintf(s130, sizeof s130, "%s00", sig);
	snprintf(sz, sizeof sz, "%.64s  %s", sig, sig + 66);
	struct {
		const char *field, *hash, *key, *sig;
	} cases[] = {
		{ "chain_hash", h62, key, sig },
		{ "chain_hash", h63, key, sig },
		{ "chain_hash", h65, key, sig },
		{ "chain_hash", hz, key, sig },
		{ "public_key", hash, k62, sig },
		{ "public_key", hash, kz, sig },
		{ "signature", hash, key, s126 },
		{ "signature", hash, key, s127 },
		{ "signature", hash, key, s130 },
		{ "signature", hash, key, sz },
		/* a 64-digit key in the hash's place is fine, but a 64-digit
		 * hash in the signature's is not */
		{ "signature", hash, key, hash },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pack_seal(&buf, 9, cases[i].hash, cases[i].key, cases[i].sig);
		int rc =
		    kt_catalogue_check(KT_EV_SEAL_RECORDED, 13, buf.data, buf.len, why, sizeof why);
		if (rc != KT_EINVAL)
			fail_msg("case %zu (%s): catalogue returned %d", i, cases[i].field, rc);
		/* the schema's reason names the field at fault first */
		char want[40];
		snprintf(want, sizeof want, "%s: ", cases[i].field);
		if (strncmp(why, want, strlen(want)) != 0)
			fail_msg("case %zu: reason \"%s\" does not start \"%s\"", i, why, want);
		if (!strstr(why, "hex digits") && !strstr(why, "long"))
			fail_msg("case %zu: reason \"%s\" says nothing of the length", i, why);
		if (kt_seal_from_payload(buf.data, buf.len, &back) != KT_EINVAL)
			fail_msg("case %zu: kt_seal_from_payload accepted it", i);
	}

	/* the exact wording for a short hash, as `kontroll append` shows it */
	pack_seal(&buf, 9, h62, key, sig);
	kt_catalogue_check(KT_EV_SEAL_RECORDED, 13, buf.data, buf.len, why, sizeof why);
	assert_string_equal(why, "chain_hash: expected 64 hex digits");
	pack_seal(&buf, 9, hash, key, s126);
	kt_catalogue_check(KT_EV_SEAL_RECORDED, 13, buf.data, buf.len, why, sizeof why);
	assert_string_equal(why, "signature: expected 128 hex digits");

	/* a missing field and a negative position: the fields' own reasons */
	pack_seal(&buf, 9, hash, key, NULL);
	assert_int_equal(
	    kt_catalogue_check(KT_EV_SEAL_RECORDED, 13, buf.data, buf.len, why, sizeof why),
	    KT_EINVAL);
	assert_string_equal(why, "signature: required");
	assert_int_equal(kt_seal_from_payload(buf.data, buf.len, &back), KT_EINVAL);
	pack_seal(&buf, -1, hash, key, sig);
	assert_int_equal(
	    kt_catalogue_check(KT_EV_SEAL_RECORDED, 13, buf.data, buf.len, why, sizeof why),
	    KT_EINVAL);
	assert_true(strncmp(why, "position: ", 10) == 0);
	assert_int_equal(kt_seal_from_payload(buf.data, buf.len, &back), KT_EINVAL);
	kt_buf_free(&buf);

	/* another type is none of the seal schema's business */
	assert_null(kt_seal_schema("seal.recorde", 12));
	assert_null(kt_seal_schema("seal.recordedx", 14));
	assert_non_null(kt_seal_schema(KT_EV_SEAL_RECORDED, 13));
}

/* ---- key files -------------------------------------------------------- */

static void test_seal_key_texts_round_trip(void **state)
{
	(void)state;
	struct keys k;
	make_keys(&k);
	char pub[200], sec[200], want[300], hex[2 * KT_SEAL_SECRET_LEN + 1], v[400];
	kt_seal_public_text(k.pk, pub, sizeof pub);
	kt_seal_secret_text(k.sk, sec, sizeof sec);
	to_hex(k.pk, KT_SEAL_PUBLIC_LEN, hex);
	snprintf(want, sizeof want, "kontroll-public-key v1 %s\n", hex);
	assert_string_equal(pub, want);
	to_hex(k.sk, KT_SEAL_SECRET_LEN, hex);
	snprintf(want, sizeof want, "kontroll-secret-key v1 %s\n", hex);
	assert_string_equal(sec, want);

	uint8_t pk[KT_SEAL_PUBLIC_LEN], sk[KT_SEAL_SECRET_LEN];
	assert_int_equal(kt_seal_public_parse(pub, pk), KT_OK);
	assert_memory_equal(pk, k.pk, sizeof pk);
	assert_int_equal(kt_seal_secret_parse(sec, sk), KT_OK);
	assert_memory_equal(sk, k.sk, sizeof sk);
	/* the key read back signs seals the public key checks */
	struct kt_seal seal;
	memset(&seal, 0, sizeof seal);
	seal.position = 5;
	assert_int_equal(kt_seal_sign(&seal, sk), KT_OK);
	assert_int_equal(kt_seal_check(&seal, pk), KT_OK);

	/* blanks around, no newline */
	snprintf(v, sizeof v, "  %.*s \t\r\n", (int)strlen(pub) - 1, pub);
	assert_int_equal(kt_seal_public_parse(v, pk), KT_OK);
	assert_memory_equal(pk, k.pk, sizeof pk);
	snprintf(v, sizeof v, "%.*s", (int)strlen(sec) - 1, sec);
	assert_int_equal(kt_seal_secret_parse(v, sk), KT_OK);

	/* refused: the other kind, short, long, junk after, a second line */
	assert_int_equal(kt_seal_public_parse(sec, pk), KT_EINVAL);
	assert_int_equal(kt_seal_secret_parse(pub, sk), KT_EINVAL);
	snprintf(v, sizeof v, "%.*s\n", (int)strlen(pub) - 2, pub);
	assert_int_equal(kt_seal_public_parse(v, pk), KT_EINVAL);
	snprintf(v, sizeof v, "%.*s00\n", (int)strlen(pub) - 1, pub);
	assert_int_equal(kt_seal_public_parse(v, pk), KT_EINVAL);
	snprintf(v, sizeof v, "%.*s x\n", (int)strlen(pub) - 1, pub);
	assert_int_equal(kt_seal_public_parse(v, pk), KT_EINVAL);
	snprintf(v, sizeof v, "%s%s", pub, pub);
	assert_int_equal(kt_seal_public_parse(v, pk), KT_EINVAL);
	snprintf(v, sizeof v, "%.*s\n", (int)strlen(sec) - 2, sec);
	assert_int_equal(kt_seal_secret_parse(v, sk), KT_EINVAL);
	snprintf(v, sizeof v, "kontroll-public-key v2 %s", pub + 23);
	assert_int_equal(kt_seal_public_parse(v, pk), KT_EINVAL);
	assert_int_equal(kt_seal_public_parse("", pk), KT_EINVAL);
	assert_int_equal(kt_seal_secret_parse("", sk), KT_EINVAL);
}

static void test_seal_secret_key_with_an_altered_public_half_is_refused(void **state)
{
	(void)state;
	struct keys k, other;
	make_keys(&k);
	make_keys(&other);
	char sec[200];
	uint8_t sk[KT_SEAL_SECRET_LEN], bad[KT_SEAL_SECRET_LEN];
	/* every byte of the public half (32..63), one at a time */
	for (int i = 32; i < KT_SEAL_SECRET_LEN; i++) {
		memcpy(bad, k.sk, sizeof bad);
		bad[i] ^= 0x40;
		kt_seal_secret_text(bad, sec, sizeof sec);
		if (kt_seal_secret_parse(sec, sk) != KT_EINVAL)
			fail_msg("public half byte %d altered: accepted", i);
	}
	/* the seed altered: its public half is no longer its own */
	memcpy(bad, k.sk, sizeof bad);
	bad[0] ^= 0x01;
	kt_seal_secret_text(bad, sec, sizeof sec);
	assert_int_equal(kt_seal_secret_parse(sec, sk), KT_EINVAL);
	/* the public half of another key */
	memcpy(bad, k.sk, sizeof bad);
	memcpy(bad + 32, other.pk, KT_SEAL_PUBLIC_LEN);
	kt_seal_secret_text(bad, sec, sizeof sec);
	assert_int_equal(kt_seal_secret_parse(sec, sk), KT_EINVAL);
	/* the sound key still reads */
	kt_seal_secret_text(k.sk, sec, sizeof sec);
	assert_int_equal(kt_seal_secret_parse(sec, sk), KT_OK);
}

/* ---- against a store: fixture ----------------------------------------- */

enum { FIRST = 5, MORE = 4 };

struct fx {
	char dir[256];
	char path[300];
	char copy[300];
	kt_store *s;
	struct keys k, other;
};

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

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-seal-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/kontroll.db", f->dir);
	snprintf(f->copy, sizeof f->copy, "%s/copy.db", f->dir);
	*state = f;
	if (kt_seal_keypair(f->k.pk, f->k.sk) || kt_seal_keypair(f->other.pk, f->other.sk))
		return -1;
	return open_path(&f->s, f->path, KT_OPEN_CREATE);
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

/* {"n": n, "note": text} */
static void pack_note(msgpack_sbuffer *sb, int n, const char *text)
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

/* Append one event of type, data as given, to stream; its position. */
static uint64_t append_data(kt_store *s, const char *stream, const char *type, const uint8_t *data,
			    size_t len)
{
	struct kt_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.type_len = strlen(type);
	ev.effective = KT_TIME_UNSET;
	ev.data = data;
	ev.data_len = len;
	int rc = kt_store_append(s, stream, KT_VERSION_ANY, &ev, 1, NULL);
	if (rc)
		fail_msg("append to %s: %s", stream, kt_strerror(rc));
	return ev.position;
}

/* n events "event number N" in streams alpha and beta. */
static void fill(kt_store *s, int n)
{
	for (int i = 0; i < n; i++) {
		char note[64];
		msgpack_sbuffer sb;
		snprintf(note, sizeof note, "event number %d", i);
		pack_note(&sb, i, note);
		append_data(s, i % 2 ? "beta" : "alpha", "test.noted", (const uint8_t *)sb.data,
			    sb.size);
		msgpack_sbuffer_destroy(&sb);
	}
}

static uint64_t head_of(kt_store *s)
{
	kt_reader *r;
	assert_int_equal(kt_reader_begin(s, &r), KT_OK);
	uint64_t head = kt_reader_head(r);
	kt_reader_end(r);
	return head;
}

/* The chain hash stored at position. */
static void hash_at(kt_store *s, uint64_t position, uint8_t out[KT_HASH_LEN])
{
	kt_reader *r;
	struct kt_event ev;
	struct kt_raw_event raw;
	assert_int_equal(kt_reader_begin(s, &r), KT_OK);
	assert_int_equal(kt_reader_get_raw(r, position, &ev, &raw), KT_OK);
	memcpy(out, raw.hash, KT_HASH_LEN);
	kt_reader_end(r);
}

/* A seal of the head, signed with sk, as `kontroll seal` makes one. */
static void seal_head(kt_store *s, const uint8_t *sk, struct kt_seal *seal)
{
	memset(seal, 0, sizeof *seal);
	seal->position = head_of(s);
	assert_true(seal->position > 0);
	hash_at(s, seal->position, seal->hash);
	seal->sealed_at = kt_time_now();
	assert_int_equal(kt_seal_sign(seal, sk), KT_OK);
}

/* Record seal as a seal.recorded event of the seal stream; its position. */
static uint64_t record_seal(kt_store *s, const struct kt_seal *seal)
{
	struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
	assert_int_equal(kt_seal_to_payload(seal, &buf), KT_OK);
	uint64_t pos = append_data(s, KT_SEAL_STREAM, KT_EV_SEAL_RECORDED, buf.data, buf.len);
	kt_buf_free(&buf);
	return pos;
}

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

static void put_u64(uint8_t out[8], uint64_t v)
{
	for (int k = 0; k < 8; k++)
		out[k] = (uint8_t)(v >> (56 - 8 * k));
}

/*
 * The insider's rewrite, on the closed copy: the event at position gets a
 * new note, and the chain from there to the head is recomputed, every hash
 * stored in front of its envelope. Ids, streams, versions and recorded
 * times stay as they were, so the indexes agree and recorded time never
 * goes back: kt_store_verify cannot tell.
 */
static void rewrite_copy(struct fx *f, uint64_t position, const char *note)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi events;
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
	assert_int_equal(mdb_env_open(env, f->copy, MDB_NOSUBDIR, 0644), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "events", 0, &events), 0);

	uint8_t key[8], hash[KT_HASH_LEN] = { 0 };
	MDB_val k = { 8, key }, v;
	if (position > 1) {
		put_u64(key, position - 1);
		assert_int_equal(mdb_get(txn, events, &k, &v), 0);
		memcpy(hash, v.mv_data, KT_HASH_LEN);
	}
	MDB_cursor *cur;
	assert_int_equal(mdb_cursor_open(txn, events, &cur), 0);
	assert_int_equal(mdb_cursor_get(cur, &k, &v, MDB_LAST), 0);
	uint64_t head = 0;
	for (int b = 0; b < 8; b++)
		head = head << 8 | ((const uint8_t *)k.mv_data)[b];
	mdb_cursor_close(cur);
	assert_true(position <= head);

	struct kt_buf value = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
	msgpack_sbuffer sb;
	pack_note(&sb, 999, note);
	for (uint64_t pos = position; pos <= head; pos++) {
		struct kt_buf old = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
		struct kt_event ev;
		put_u64(key, pos);
		k.mv_size = 8;
		k.mv_data = key;
		assert_int_equal(mdb_get(txn, events, &k, &v), 0);
		assert_int_equal(kt_buf_append(&old, v.mv_data, v.mv_size), KT_OK);
		assert_int_equal(
		    kt_event_decode(old.data + KT_HASH_LEN, old.len - KT_HASH_LEN, &ev), KT_OK);
		if (pos == position) {
			ev.data = (const uint8_t *)sb.data;
			ev.data_len = sb.size;
		}
		kt_buf_reset(&value);
		assert_int_equal(kt_buf_append(&value, hash, KT_HASH_LEN), KT_OK);
		assert_int_equal(kt_event_encode(&ev, &value), KT_OK);
		if (pos != position)
			assert_memory_equal(value.data + KT_HASH_LEN, old.data + KT_HASH_LEN,
					    old.len - KT_HASH_LEN);
		kt_chain_next(hash, pos, value.data + KT_HASH_LEN, value.len - KT_HASH_LEN, hash);
		memcpy(value.data, hash, KT_HASH_LEN);
		MDB_val nv = { value.len, value.data };
		assert_int_equal(mdb_put(txn, events, &k, &nv, 0), 0);
		kt_buf_free(&old);
	}
	msgpack_sbuffer_destroy(&sb);
	kt_buf_free(&value);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	assert_int_equal(open_path(&f->s, f->copy, 0), KT_OK);
}

static void assert_chain_sound(kt_store *s)
{
	struct kt_verify_report rep;
	int rc = kt_store_verify(s, &rep, NULL, NULL);
	if (rc)
		fail_msg("kt_store_verify: %s: %s", kt_strerror(rc), rep.problem);
}

/* kt_seals_verify fails on the seal event at bad_event, naming words. */
static void assert_seals_broken(kt_store *s, const uint8_t *pk, uint64_t bad_event,
				const char *words, const char *more)
{
	struct kt_seal_report rep;
	int rc = kt_seals_verify(s, pk, &rep);
	if (rc != KT_ESEAL)
		fail_msg("kt_seals_verify returned %d (%s), want KT_ESEAL", rc, kt_strerror(rc));
	if (rep.bad_event != bad_event)
		fail_msg("bad_event %llu, want %llu: %s", (unsigned long long)rep.bad_event,
			 (unsigned long long)bad_event, rep.problem);
	if (!strstr(rep.problem, words) || (more && !strstr(rep.problem, more)))
		fail_msg("problem \"%s\" does not say \"%s\" and \"%s\"", rep.problem, words,
			 more ? more : "");
}

/* ---- against a store: sound ------------------------------------------- */

static void test_seals_verify_finds_no_seals_in_a_store_without_any(void **state)
{
	struct fx *f = *state;
	struct kt_seal_report rep;
	memset(&rep, 0x55, sizeof rep);
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &rep), KT_OK);
	assert_true(rep.seals == 0 && rep.last_position == 0 && rep.bad_event == 0);
	assert_string_equal(rep.problem, "");
	fill(f->s, 3);
	assert_int_equal(kt_seals_verify(f->s, NULL, &rep), KT_OK);
	assert_true(rep.seals == 0 && rep.last_position == 0);
}

static void test_seals_verify_holds_after_more_appends(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal, later;
	struct kt_seal_report rep;
	fill(f->s, FIRST);
	seal_head(f->s, f->k.sk, &seal);
	assert_true(seal.position == FIRST);
	assert_int_equal(record_seal(f->s, &seal), FIRST + 1);
	fill(f->s, MORE);

	memset(&rep, 0x55, sizeof rep);
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &rep), KT_OK);
	assert_true(rep.seals == 1);
	assert_true(rep.last_position == FIRST);
	assert_true(rep.last_sealed_at == seal.sealed_at);
	assert_true(rep.bad_event == 0);
	assert_string_equal(rep.problem, "");
	assert_int_equal(kt_seals_verify(f->s, NULL, &rep), KT_OK);
	assert_true(rep.last_position == FIRST);

	char why[200] = "untouched";
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &seal, NULL, NULL, 0), KT_OK);

	/* a second seal moves last_position on; the first still counts */
	seal_head(f->s, f->k.sk, &later);
	assert_true(later.position == FIRST + 1 + MORE);
	record_seal(f->s, &later);
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &rep), KT_OK);
	assert_true(rep.seals == 2);
	assert_true(rep.last_position == FIRST + 1 + MORE);
	assert_true(rep.last_sealed_at == later.sealed_at);
	/* a seal may pin a position that is itself a seal event */
	struct kt_seal of_seal;
	seal_head(f->s, f->k.sk, &of_seal);
	record_seal(f->s, &of_seal);
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &rep), KT_OK);
	assert_true(rep.seals == 3 && rep.last_position == FIRST + 2 + MORE);
	assert_chain_sound(f->s);
}

/* A later seal may pin an earlier position: last_position is the latest
 * position pinned, not the last seal's. */
static void test_seals_verify_reports_the_latest_position_pinned(void **state)
{
	struct fx *f = *state;
	struct kt_seal head, early;
	struct kt_seal_report rep;
	fill(f->s, 6);
	seal_head(f->s, f->k.sk, &head);
	record_seal(f->s, &head);
	early = head;
	early.position = 2;
	hash_at(f->s, 2, early.hash);
	early.sealed_at = head.sealed_at + 1000;
	assert_int_equal(kt_seal_sign(&early, f->k.sk), KT_OK);
	record_seal(f->s, &early);
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &rep), KT_OK);
	assert_true(rep.seals == 2);
	assert_true(rep.last_position == 6);
	assert_true(rep.last_sealed_at == head.sealed_at);
}

/* Seals only among the first up_to events: what verify checked the chain
 * of, while later seals (and bad ones) may have been appended since. */
static void test_seals_verify_until_counts_only_the_seals_up_to_a_position(void **state)
{
	struct fx *f = *state;
	struct kt_seal a, b;
	struct kt_seal_report rep;
	fill(f->s, 3);
	seal_head(f->s, f->k.sk, &a);
	assert_int_equal(record_seal(f->s, &a), 4);
	fill(f->s, 3);
	seal_head(f->s, f->k.sk, &b);
	assert_int_equal(record_seal(f->s, &b), 8);
	msgpack_sbuffer sb;
	pack_note(&sb, 1, "no seal at all");
	assert_int_equal(append_data(f->s, KT_SEAL_STREAM, KT_EV_SEAL_RECORDED,
				     (const uint8_t *)sb.data, sb.size),
			 9);
	msgpack_sbuffer_destroy(&sb);

	assert_int_equal(kt_seals_verify_until(f->s, f->k.pk, 8, &rep), KT_OK);
	assert_true(rep.seals == 2 && rep.last_position == 7);
	assert_int_equal(kt_seals_verify_until(f->s, f->k.pk, 7, &rep), KT_OK);
	assert_true(rep.seals == 1 && rep.last_position == 3);
	assert_true(rep.last_sealed_at == a.sealed_at);
	assert_int_equal(kt_seals_verify_until(f->s, f->k.pk, 4, &rep), KT_OK);
	assert_true(rep.seals == 1);
	assert_int_equal(kt_seals_verify_until(f->s, f->k.pk, 3, &rep), KT_OK);
	assert_true(rep.seals == 0 && rep.last_position == 0);
	assert_int_equal(kt_seals_verify_until(f->s, f->k.pk, 0, &rep), KT_OK);
	assert_true(rep.seals == 0);
	assert_seals_broken(f->s, f->k.pk, 9, "no readable seal", NULL);
	assert_int_equal(kt_seals_verify_until(f->s, f->k.pk, 9, &rep), KT_ESEAL);
	assert_true(rep.bad_event == 9 && rep.seals == 3);
	assert_int_equal(kt_seals_verify_until(f->s, f->k.pk, UINT64_MAX, &rep), KT_ESEAL);
}

/* ---- against a store: the insider's rewrite --------------------------- */

/* FIRST events, a seal of them at FIRST + 1, MORE events after it. */
static void sealed_store(struct fx *f, struct kt_seal *seal)
{
	fill(f->s, FIRST);
	seal_head(f->s, f->k.sk, seal);
	assert_int_equal(record_seal(f->s, seal), FIRST + 1);
	fill(f->s, MORE);
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &(struct kt_seal_report){ 0 }), KT_OK);
}

static void rewrite_and_expect_broken(struct fx *f, uint64_t position)
{
	struct kt_seal seal;
	uint8_t before[KT_HASH_LEN], after[KT_HASH_LEN];
	sealed_store(f, &seal);
	hash_at(f->s, FIRST, before);
	copy_store(f);
	rewrite_copy(f, position, "forged after the fact");

	/* the chain was rebuilt: it verifies, yet the hash at the sealed
	 * position is another one */
	assert_chain_sound(f->s);
	hash_at(f->s, FIRST, after);
	assert_memory_not_equal(before, after, KT_HASH_LEN);
	assert_true(head_of(f->s) == FIRST + 1 + MORE);

	char words[80];
	snprintf(words, sizeof words, "the chain hash at position %d", FIRST);
	assert_seals_broken(f->s, f->k.pk, FIRST + 1, words, "not the one sealed");
	assert_seals_broken(f->s, NULL, FIRST + 1, "seal at position 6", "not the one sealed");

	char why[200] = "";
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_ESEAL);
	if (!strstr(why, words) || !strstr(why, "not the one sealed"))
		fail_msg("why: \"%s\"", why);
	assert_int_equal(kt_seal_check_store(f->s, &seal, NULL, NULL, 0), KT_ESEAL);
}

static void test_seal_breaks_on_a_rewrite_before_the_sealed_position(void **state)
{
	rewrite_and_expect_broken(*state, 2);
}

static void test_seal_breaks_on_a_rewrite_of_the_first_event(void **state)
{
	rewrite_and_expect_broken(*state, 1);
}

static void test_seal_breaks_on_a_rewrite_at_the_sealed_position(void **state)
{
	rewrite_and_expect_broken(*state, FIRST);
}

static void test_seal_holds_after_a_rewrite_after_the_sealed_position(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	struct kt_seal_report rep;
	sealed_store(f, &seal);
	uint8_t tail_before[KT_HASH_LEN], tail_after[KT_HASH_LEN];
	hash_at(f->s, FIRST + 1 + MORE, tail_before);
	copy_store(f);
	rewrite_copy(f, FIRST + 2, "forged after the seal");
	assert_chain_sound(f->s);
	hash_at(f->s, FIRST + 1 + MORE, tail_after);
	assert_memory_not_equal(tail_before, tail_after, KT_HASH_LEN); /* it did rewrite */
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &rep), KT_OK);
	assert_true(rep.seals == 1 && rep.last_position == FIRST);
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, NULL, 0), KT_OK);
}

/* Rewriting the seal event itself (its note field is not there: the
 * forger changes the payload to seal another hash) breaks its signature. */
static void test_seal_event_rewritten_with_another_hash_fails_its_signature(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	sealed_store(f, &seal);
	copy_store(f);
	rewrite_copy(f, 2, "forged");
	/* now the forger replaces the seal's payload with the new hash */
	struct kt_seal forged = seal;
	hash_at(f->s, FIRST, forged.hash);
	kt_store_close(f->s);
	f->s = NULL;

	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi events;
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 8), 0);
	assert_int_equal(mdb_env_open(env, f->copy, MDB_NOSUBDIR, 0644), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "events", 0, &events), 0);
	uint8_t key[8];
	put_u64(key, FIRST);
	MDB_val k = { 8, key }, v;
	uint8_t hash[KT_HASH_LEN];
	assert_int_equal(mdb_get(txn, events, &k, &v), 0);
	memcpy(hash, v.mv_data, KT_HASH_LEN);
	struct kt_buf payload = KT_BUF_INIT(KT_DATA_MAX);
	assert_int_equal(kt_seal_to_payload(&forged, &payload), KT_OK);
	struct kt_buf value = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
	for (uint64_t pos = FIRST + 1; pos <= FIRST + 1 + MORE; pos++) {
		struct kt_buf old = KT_BUF_INIT(KT_HASH_LEN + KT_ENVELOPE_MAX);
		struct kt_event ev;
		put_u64(key, pos);
		assert_int_equal(mdb_get(txn, events, &k, &v), 0);
		assert_int_equal(kt_buf_append(&old, v.mv_data, v.mv_size), KT_OK);
		assert_int_equal(
		    kt_event_decode(old.data + KT_HASH_LEN, old.len - KT_HASH_LEN, &ev), KT_OK);
		if (pos == FIRST + 1) {
			ev.data = payload.data;
			ev.data_len = payload.len;
		}
		kt_buf_reset(&value);
		assert_int_equal(kt_buf_append(&value, hash, KT_HASH_LEN), KT_OK);
		assert_int_equal(kt_event_encode(&ev, &value), KT_OK);
		kt_chain_next(hash, pos, value.data + KT_HASH_LEN, value.len - KT_HASH_LEN, hash);
		memcpy(value.data, hash, KT_HASH_LEN);
		MDB_val nv = { value.len, value.data };
		assert_int_equal(mdb_put(txn, events, &k, &nv, 0), 0);
		kt_buf_free(&old);
	}
	kt_buf_free(&value);
	kt_buf_free(&payload);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	assert_int_equal(open_path(&f->s, f->copy, 0), KT_OK);
	assert_chain_sound(f->s);
	assert_seals_broken(f->s, f->k.pk, FIRST + 1, "signature does not verify", NULL);
	assert_seals_broken(f->s, NULL, FIRST + 1, "signature does not verify", NULL);
	/* the seal written down elsewhere still tells */
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, NULL, 0), KT_ESEAL);
}

/* ---- against a store: bad seals --------------------------------------- */

static void test_seal_signed_with_another_key_is_refused(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	struct kt_seal_report rep;
	char why[200];
	fill(f->s, FIRST);
	seal_head(f->s, f->other.sk, &seal);
	uint64_t at = record_seal(f->s, &seal);
	fill(f->s, 2);

	assert_seals_broken(f->s, f->k.pk, at, "another key", NULL);
	/* without a key it holds: it is signed, just not by us */
	assert_int_equal(kt_seals_verify(f->s, NULL, &rep), KT_OK);
	assert_true(rep.seals == 1 && rep.last_position == FIRST);
	assert_int_equal(kt_seals_verify(f->s, f->other.pk, &rep), KT_OK);

	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_ESEAL);
	assert_non_null(strstr(why, "another key"));
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->other.pk, why, sizeof why), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &seal, NULL, why, sizeof why), KT_OK);

	/* a good seal before the bad one does not hide it, nor a good one
	 * after it */
	struct kt_seal good;
	seal_head(f->s, f->k.sk, &good);
	record_seal(f->s, &good);
	assert_seals_broken(f->s, f->k.pk, at, "another key", NULL);
}

/* A seal whose signature fails (a changed hash) against the store. */
static void test_seal_check_store_refuses_a_changed_seal(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal, c;
	char why[200];
	fill(f->s, FIRST);
	seal_head(f->s, f->k.sk, &seal);
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_OK);
	c = seal;
	c.hash[7] ^= 1;
	assert_int_equal(kt_seal_check_store(f->s, &c, f->k.pk, why, sizeof why), KT_ESEAL);
	assert_non_null(strstr(why, "signature does not verify"));
	c = seal;
	c.position--;
	assert_int_equal(kt_seal_check_store(f->s, &c, NULL, why, sizeof why), KT_ESEAL);
	assert_non_null(strstr(why, "signature does not verify"));
	/* properly signed, but over a hash the store never had */
	c = seal;
	c.hash[0] ^= 0xff;
	assert_int_equal(kt_seal_sign(&c, f->k.sk), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &c, f->k.pk, why, sizeof why), KT_ESEAL);
	assert_non_null(strstr(why, "not the one sealed"));
	/* properly signed hash of position 5 claimed for position 4 */
	c = seal;
	c.position = FIRST - 1;
	assert_int_equal(kt_seal_sign(&c, f->k.sk), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &c, f->k.pk, why, sizeof why), KT_ESEAL);
	assert_non_null(strstr(why, "position 4 is not the one sealed"));
}

static void test_seal_beyond_the_head_is_refused(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	char why[200];
	fill(f->s, FIRST);
	seal_head(f->s, f->k.sk, &seal);
	seal.position = FIRST + 1;
	assert_int_equal(kt_seal_sign(&seal, f->k.sk), KT_OK);
	assert_int_equal(kt_seal_check(&seal, f->k.pk), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_ESEAL);
	assert_non_null(strstr(why, "the seal pins position 6; the store ends at 5"));
	seal.position = UINT64_MAX;
	assert_int_equal(kt_seal_sign(&seal, f->k.sk), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_ESEAL);
	/* position 0 pins nothing */
	seal.position = 0;
	memset(seal.hash, 0, sizeof seal.hash);
	assert_int_equal(kt_seal_sign(&seal, f->k.sk), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_ESEAL);
	/* and on an empty store every seal fails */
	kt_store_close(f->s);
	f->s = NULL;
	assert_int_equal(open_path(&f->s, f->copy, KT_OPEN_CREATE), KT_OK);
	seal.position = 1;
	assert_int_equal(kt_seal_sign(&seal, f->k.sk), KT_OK);
	assert_int_equal(kt_seal_check_store(f->s, &seal, f->k.pk, why, sizeof why), KT_ESEAL);
	assert_non_null(strstr(why, "the store ends at 0"));
}

/* A seal event must pin a position before its own: one that claims its own
 * position or a later one (signed, so only the position is wrong). */
static void seal_event_pinning(struct fx *f, uint64_t ahead)
{
	struct kt_seal seal;
	fill(f->s, FIRST);
	seal_head(f->s, f->k.sk, &seal);
	seal.position = FIRST + ahead; /* the seal event lands at FIRST + 1 */
	assert_int_equal(kt_seal_sign(&seal, f->k.sk), KT_OK);
	uint64_t at = record_seal(f->s, &seal);
	assert_true(at == FIRST + 1);
	fill(f->s, 3); /* so the pinned position exists */
	char words[80];
	snprintf(words, sizeof words, "pins position %llu, not one before it",
		 (unsigned long long)(FIRST + ahead));
	assert_seals_broken(f->s, f->k.pk, at, words, NULL);
}

static void test_seal_event_pinning_its_own_position_is_refused(void **state)
{
	seal_event_pinning(*state, 1);
}

static void test_seal_event_pinning_a_later_position_is_refused(void **state)
{
	seal_event_pinning(*state, 3);
}

static void test_seal_event_pinning_position_zero_is_refused(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	fill(f->s, 2);
	memset(&seal, 0, sizeof seal);
	seal.sealed_at = kt_time_now();
	assert_int_equal(kt_seal_sign(&seal, f->k.sk), KT_OK);
	uint64_t at = record_seal(f->s, &seal);
	assert_seals_broken(f->s, f->k.pk, at, "pins position 0", NULL);
}

static void test_seal_event_that_is_no_seal_is_refused(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	fill(f->s, 3);
	seal_head(f->s, f->k.sk, &seal);
	record_seal(f->s, &seal); /* a good one first: position 4 */
	msgpack_sbuffer sb;
	pack_note(&sb, 1, "no seal at all");
	uint64_t at = append_data(f->s, KT_SEAL_STREAM, KT_EV_SEAL_RECORDED,
				  (const uint8_t *)sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	assert_true(at == 5);
	assert_seals_broken(f->s, f->k.pk, at, "seal at position 5", "no readable seal");
	struct kt_seal_report rep;
	kt_seals_verify(f->s, f->k.pk, &rep);
	assert_true(rep.seals == 2);
	assert_true(rep.last_position == 3); /* the good one before it was counted */
}

static void test_seal_event_with_a_short_hash_is_refused(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	fill(f->s, 3);
	seal_head(f->s, f->k.sk, &seal);
	char hash[80], key[80], sig[160];
	to_hex(seal.hash, KT_HASH_LEN, hash);
	hash[62] = 0;
	to_hex(seal.public_key, KT_SEAL_PUBLIC_LEN, key);
	to_hex(seal.signature, KT_SEAL_SIG_LEN, sig);
	struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
	pack_seal(&buf, 3, hash, key, sig);
	uint64_t at = append_data(f->s, KT_SEAL_STREAM, KT_EV_SEAL_RECORDED, buf.data, buf.len);
	kt_buf_free(&buf);
	assert_seals_broken(f->s, f->k.pk, at, "no readable seal", NULL);
}

static void test_seal_stream_event_of_another_type_is_refused(void **state)
{
	struct fx *f = *state;
	struct kt_seal seal;
	fill(f->s, 3);
	seal_head(f->s, f->k.sk, &seal);
	struct kt_buf buf = KT_BUF_INIT(KT_DATA_MAX);
	assert_int_equal(kt_seal_to_payload(&seal, &buf), KT_OK);
	/* a good seal's payload, under another type */
	uint64_t at = append_data(f->s, KT_SEAL_STREAM, "seal.recordedx", buf.data, buf.len);
	kt_buf_free(&buf);
	assert_seals_broken(f->s, f->k.pk, at, "no readable seal", NULL);
}

/* A seal.recorded event outside the seal stream is not a seal of the log. */
static void test_seal_events_in_other_streams_are_not_checked(void **state)
{
	struct fx *f = *state;
	struct kt_seal_report rep;
	fill(f->s, 3);
	msgpack_sbuffer sb;
	pack_note(&sb, 1, "no seal at all");
	append_data(f->s, "elsewhere", KT_EV_SEAL_RECORDED, (const uint8_t *)sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	assert_int_equal(kt_seals_verify(f->s, f->k.pk, &rep), KT_OK);
	assert_true(rep.seals == 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_signed_checks_with_its_own_key_and_the_key_given),
		cmocka_unit_test(test_seal_check_refuses_another_public_key),
		cmocka_unit_test(test_seal_check_refuses_any_changed_field),
		cmocka_unit_test(test_seal_format_parse_round_trip),
		cmocka_unit_test(test_seal_parse_accepts_blanks_and_a_trailing_newline),
		cmocka_unit_test(test_seal_parse_refuses_every_malformed_text),
		cmocka_unit_test(test_seal_payload_round_trip_and_passes_the_catalogue),
		cmocka_unit_test(test_seal_payload_refuses_wrong_hex_with_the_schemas_reason),
		cmocka_unit_test(test_seal_key_texts_round_trip),
		cmocka_unit_test(test_seal_secret_key_with_an_altered_public_half_is_refused),
		T(test_seals_verify_finds_no_seals_in_a_store_without_any),
		T(test_seals_verify_holds_after_more_appends),
		T(test_seals_verify_reports_the_latest_position_pinned),
		T(test_seals_verify_until_counts_only_the_seals_up_to_a_position),
		T(test_seal_breaks_on_a_rewrite_before_the_sealed_position),
		T(test_seal_breaks_on_a_rewrite_of_the_first_event),
		T(test_seal_breaks_on_a_rewrite_at_the_sealed_position),
		T(test_seal_holds_after_a_rewrite_after_the_sealed_position),
		T(test_seal_event_rewritten_with_another_hash_fails_its_signature),
		T(test_seal_signed_with_another_key_is_refused),
		T(test_seal_check_store_refuses_a_changed_seal),
		T(test_seal_beyond_the_head_is_refused),
		T(test_seal_event_pinning_its_own_position_is_refused),
		T(test_seal_event_pinning_a_later_position_is_refused),
		T(test_seal_event_pinning_position_zero_is_refused),
		T(test_seal_event_that_is_no_seal_is_refused),
		T(test_seal_event_with_a_short_hash_is_refused),
		T(test_seal_stream_event_of_another_type_is_refused),
		T(test_seal_events_in_other_streams_are_not_checked),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
