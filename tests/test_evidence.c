/*
 * test_evidence.c — evidence files: export → import → export gives the same
 * bytes on randomised logs of several streams, and the imported store
 * verifies with the same head hash; every kind of damage to an export is
 * found and named with its line (a changed envelope, a changed readable
 * field, a line deleted, two lines swapped, a tail cut at a line or inside
 * one, a wrong header, malformed lines, and a rewrite with a recomputed
 * chain, which only a seal made before it can catch); an import of a bad
 * file, or into a store that is not empty, writes nothing; --to exports a
 * prefix.
 *
 * Every test gets two fresh stores (a source and an empty target) in its own
 * mkdtemp directory, removed afterwards. Files are edited as text with
 * jansson, independently of the code under test, the way a forger would.
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
#include "kontroll/evidence.h"
#include "kontroll/id.h"
#include "kontroll/json.h"
#include "kontroll/seal.h"
#include "kontroll/store.h"

#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SMALL_MAP ((size_t)1 << 20)

/* ---- fixture ------------------------------------------------------------ */

struct fx {
	char dir[256];
	char a_path[300], b_path[300], file[300];
	kt_store *a, *b;
};

static int open_at(const char *path, kt_store **out)
{
	int rc = kt_store_create(out);
	if (!rc)
		rc = kt_store_set_mapsize(*out, SMALL_MAP);
	if (!rc)
		rc = kt_store_set_durable(*out, 0);
	if (!rc)
		rc = kt_store_open(*out, path, KT_OPEN_CREATE);
	return rc;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/kt-evidence-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->a_path, sizeof f->a_path, "%s/a.db", f->dir);
	snprintf(f->b_path, sizeof f->b_path, "%s/b.db", f->dir);
	snprintf(f->file, sizeof f->file, "%s/evidence.jsonl", f->dir);
	if (open_at(f->a_path, &f->a) || open_at(f->b_path, &f->b))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	kt_store_close(f->a);
	kt_store_close(f->b);
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

/* ---- a random log ------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic per seed, so a failure can be replayed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static size_t pick(size_t n)
{
	return (size_t)(rnd() % n);
}

/* A random payload as JSON text: texts with quotes, escapes, control
 * characters and letters beyond ASCII, integers at the edges, reals,
 * booleans, null, nested arrays and objects. */
static void random_payload(char *out, size_t size)
{
	static const char *const texts[] = {
		"Fall i trapp",
		"Åse Ørnulf på Æsøya",
		"sitat: \\\"nei\\\"",
		"linje 1\\nlinje 2",
		"tab\\there",
		"kontroll \\u0001 tegn",
		"☃ snø",
		"",
	};
	static const char *const numbers[] = {
		"0",	   "-1", "9223372036854775807", "-9223372036854775808", "0.1", "1e300",
		"-2.5e-7", "42"
	};
	int n = snprintf(out, size, "{\"text\":\"%s\",\"n\":%s,\"ok\":%s,\"none\":null",
			 texts[pick(8)], numbers[pick(8)], pick(2) ? "true" : "false");
	if (pick(2))
		n += snprintf(out + n, size - (size_t)n, ",\"list\":[%s,\"%s\",{\"deep\":[[%s]]}]",
			      numbers[pick(8)], texts[pick(8)], numbers[pick(8)]);
	snprintf(out + n, size - (size_t)n, ",\"seq\":%llu}", (unsigned long long)rnd() % 100000);
}

/* Append count random events to a in random batches over 6 streams. */
static void random_log(kt_store *a, size_t count, uint64_t seed)
{
	static const char *const actors[] = { "saksbehandler", "Åse Ørn", "system", "" };
	static const char *const types[] = { "check.done", "finding.noted", "order.issued" };
	struct kt_buf data[5];
	struct kt_event ev[5];
	char json[600], why[200], stream[32];
	rng_state = seed;
	for (size_t done = 0; done < count;) {
		size_t n = 1 + pick(5);
		if (n > count - done)
			n = count - done;
		snprintf(stream, sizeof stream, "unit-%zu", pick(6));
		for (size_t k = 0; k < n; k++) {
			data[k] = (struct kt_buf)KT_BUF_INIT(KT_DATA_MAX);
			random_payload(json, sizeof json);
			assert_int_equal(
			    kt_json_to_data(json, strlen(json), &data[k], why, sizeof why), 0);
			memset(&ev[k], 0, sizeof ev[k]);
			ev[k].type = types[pick(3)];
			ev[k].type_len = strlen(ev[k].type);
			ev[k].actor = actors[pick(4)];
			ev[k].actor_len = strlen(ev[k].actor);
			ev[k].data = data[k].data;
			ev[k].data_len = data[k].len;
			ev[k].effective =
			    pick(2) ? KT_TIME_UNSET
				    : (int64_t)(rnd() % (UINT64_C(60) * 365 * 86400000000));
			if (pick(3) == 0)
				assert_int_equal(kt_id_generate(ev[k].correlation), 0);
			if (pick(3) == 0)
				assert_int_equal(kt_id_generate(ev[k].causation), 0);
		}
		assert_int_equal(kt_store_append(a, stream, KT_VERSION_ANY, ev, n, NULL), 0);
		for (size_t k = 0; k < n; k++)
			kt_buf_free(&data[k]);
		done += n;
	}
}

/* Seal a's head with sk and append the seal event. */
static void seal_head(kt_store *a, const uint8_t sk[KT_SEAL_SECRET_LEN])
{
	struct kt_store_info info;
	struct kt_seal seal;
	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	struct kt_event ev;
	assert_int_equal(kt_store_info(a, &info), 0);
	memset(&seal, 0, sizeof seal);
	seal.position = info.head;
	memcpy(seal.hash, info.head_hash, KT_HASH_LEN);
	seal.sealed_at = INT64_C(1764000000000000);
	assert_int_equal(kt_seal_sign(&seal, sk), 0);
	assert_int_equal(kt_seal_to_payload(&seal, &data), 0);
	memset(&ev, 0, sizeof ev);
	ev.type = KT_EV_SEAL_RECORDED;
	ev.type_len = strlen(KT_EV_SEAL_RECORDED);
	ev.actor = "revisor";
	ev.actor_len = 7;
	ev.data = data.data;
	ev.data_len = data.len;
	ev.effective = KT_TIME_UNSET;
	assert_int_equal(kt_store_append(a, KT_SEAL_STREAM, KT_VERSION_ANY, &ev, 1, NULL), 0);
	kt_buf_free(&data);
}

/* ---- files -------------------------------------------------------------- */

/* The export of s up to to (UINT64_MAX: its head) into f->file, and its
 * bytes into a new string (*len bytes). */
static char *export_store(struct fx *f, kt_store *s, uint64_t to, size_t *len)
{
	kt_reader *r;
	assert_int_equal(kt_reader_begin(s, &r), 0);
	FILE *out = fopen(f->file, "wb");
	assert_non_null(out);
	assert_int_equal(
	    kt_evidence_export(r, to == UINT64_MAX ? kt_reader_head(r) : to, out, NULL, NULL), 0);
	assert_int_equal(fclose(out), 0);
	kt_reader_end(r);
	FILE *in = fopen(f->file, "rb");
	assert_non_null(in);
	struct stat st;
	assert_int_equal(fstat(fileno(in), &st), 0);
	char *text = malloc((size_t)st.st_size + 1);
	assert_non_null(text);
	*len = fread(text, 1, (size_t)st.st_size, in);
	assert_int_equal(*len, (size_t)st.st_size);
	text[*len] = 0;
	fclose(in);
	return text;
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(text, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
}

/* kt_evidence_verify of text (written to f->file first). */
static int verify_text(struct fx *f, const char *text, size_t len, const uint8_t *pk,
		       struct kt_evidence_report *rep)
{
	write_file(f->file, text, len);
	FILE *in = fopen(f->file, "rb");
	assert_non_null(in);
	int rc = kt_evidence_verify(in, pk, NULL, NULL, rep);
	fclose(in);
	return rc;
}

static int import_text(struct fx *f, kt_store *s, const char *text, size_t len,
		       struct kt_evidence_report *rep)
{
	write_file(f->file, text, len);
	FILE *in = fopen(f->file, "rb");
	assert_non_null(in);
	int rc = kt_evidence_import(s, in, NULL, NULL, rep);
	fclose(in);
	return rc;
}

/* An export split into lines (newlines dropped), to edit and join again. */
struct lines {
	char **line;
	size_t n;
};

static struct lines split(const char *text)
{
	struct lines l = { NULL, 0 };
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		l.line = realloc(l.line, (l.n + 1) * sizeof *l.line);
		assert_non_null(l.line);
		l.line[l.n] = strndup(p, (size_t)(nl - p));
		l.n++;
		p = nl + 1;
	}
	return l;
}

static char *join(const struct lines *l, size_t *len)
{
	size_t n = 0;
	for (size_t k = 0; k < l->n; k++)
		n += strlen(l->line[k]) + 1;
	char *text = malloc(n + 1), *p = text;
	assert_non_null(text);
	for (size_t k = 0; k < l->n; k++) {
		size_t m = strlen(l->line[k]);
		memcpy(p, l->line[k], m);
		p[m] = '\n';
		p += m + 1;
	}
	*p = 0;
	*len = n;
	return text;
}

static void free_lines(struct lines *l)
{
	for (size_t k = 0; k < l->n; k++)
		free(l->line[k]);
	free(l->line);
}

static void set_line(struct lines *l, size_t k, json_t *obj)
{
	free(l->line[k]);
	l->line[k] = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(l->line[k]);
	json_decref(obj);
}

static json_t *line_json(const struct lines *l, size_t k)
{
	json_error_t err;
	json_t *o = json_loads(l->line[k], 0, &err);
	assert_non_null(o);
	return o;
}

/* The envelope of line k, decoded from its base64, into env (*n bytes). */
static void line_envelope(const struct lines *l, size_t k, uint8_t *env, size_t *n)
{
	json_t *o = line_json(l, k);
	const char *b64 = json_string_value(json_object_get(o, "envelope"));
	assert_int_equal(sodium_base642bin(env, KT_ENVELOPE_MAX, b64, strlen(b64), NULL, n, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	json_decref(o);
}

static void set_envelope(struct lines *l, size_t k, const uint8_t *env, size_t n)
{
	char b64[sodium_base64_ENCODED_LEN(KT_ENVELOPE_MAX, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, env, n, sodium_base64_VARIANT_ORIGINAL);
	json_t *o = line_json(l, k);
	json_object_set_new(o, "envelope", json_string(b64));
	set_line(l, k, o);
}

/* Recompute every line's chain hash from line from on, and the header, as
 * a forger with the file and the format would. */
static void rechain(struct lines *l, size_t from)
{
	uint8_t h[KT_HASH_LEN] = { 0 }, env[KT_ENVELOPE_MAX];
	char hex[2 * KT_HASH_LEN + 1];
	size_t n;
	for (size_t k = 1; k < l->n; k++) {
		json_t *o = line_json(l, k);
		if (k < from) {
			sodium_hex2bin(h, KT_HASH_LEN,
				       json_string_value(json_object_get(o, "hash")),
				       2 * KT_HASH_LEN, NULL, NULL, NULL);
			json_decref(o);
			continue;
		}
		line_envelope(l, k, env, &n);
		kt_chain_next(h, k, env, n, h);
		sodium_bin2hex(hex, sizeof hex, h, KT_HASH_LEN);
		json_object_set_new(o, "hash", json_string(hex));
		set_line(l, k, o);
	}
	json_t *head = line_json(l, 0);
	sodium_bin2hex(hex, sizeof hex, h, KT_HASH_LEN);
	json_object_set_new(head, "events", json_integer((json_int_t)(l->n - 1)));
	json_object_set_new(head, "head_hash", json_string(hex));
	set_line(l, 0, head);
}

/* Replace the actor of the event on line k, in its envelope and its
 * readable field alike: a consistent rewrite of one event. */
static void rewrite_actor(struct lines *l, size_t k, const char *actor)
{
	uint8_t env[KT_ENVELOPE_MAX];
	size_t n;
	struct kt_event ev;
	struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
	line_envelope(l, k, env, &n);
	assert_int_equal(kt_event_decode(env, n, &ev), 0);
	ev.actor = actor;
	ev.actor_len = strlen(actor);
	assert_int_equal(kt_event_encode(&ev, &out), 0);
	set_envelope(l, k, out.data, out.len);
	json_t *o = line_json(l, k);
	json_object_set_new(o, "actor", json_string(actor));
	set_line(l, k, o);
	kt_buf_free(&out);
}

/* The text of l with verify_text's result and report. */
static int verify_lines(struct fx *f, struct lines *l, const uint8_t *pk,
			struct kt_evidence_report *rep)
{
	size_t len;
	char *text = join(l, &len);
	int rc = verify_text(f, text, len, pk, rep);
	free(text);
	return rc;
}

/* rep names line and a problem starting with what. */
static void expect_problem(const struct kt_evidence_report *rep, uint64_t line, const char *what)
{
	if (rep->line != line || strncmp(rep->problem, what, strlen(what)) != 0)
		fail_msg("expected line %llu: '%s…', got line %llu: '%s'", (unsigned long long)line,
			 what, (unsigned long long)rep->line, rep->problem);
}

/* A bad export text with its expected result; the store is left unchanged
 * by an import of it. */
static void expect_damage(struct fx *f, struct lines *l, int rc, uint64_t line, const char *what)
{
	struct kt_evidence_report rep;
	assert_int_equal(verify_lines(f, l, NULL, &rep), rc);
	expect_problem(&rep, line, what);
}

/* ---- export and import -------------------------------------------------- */

static void test_evidence_export_import_export_is_identical(void **state)
{
	struct fx *f = *state;
	static const uint64_t seeds[] = { 1, 77, 20251203 };
	for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
		struct kt_store_info ia, ib;
		struct kt_verify_report vr;
		struct kt_evidence_report rep;
		size_t len1, len2, len3;
		if (k) { /* a fresh pair of stores for each seed */
			kt_store_close(f->a);
			kt_store_close(f->b);
			unlink(f->a_path);
			unlink(f->b_path);
			assert_int_equal(open_at(f->a_path, &f->a), 0);
			assert_int_equal(open_at(f->b_path, &f->b), 0);
		}
		random_log(f->a, 400 + 100 * k, seeds[k]);
		char *one = export_store(f, f->a, UINT64_MAX, &len1);
		char *again = export_store(f, f->a, UINT64_MAX, &len2);
		assert_int_equal(len1, len2);
		assert_memory_equal(one, again, len1);

		assert_int_equal(import_text(f, f->b, one, len1, &rep), 0);
		assert_int_equal(rep.events, 400 + 100 * k);
		char *three = export_store(f, f->b, UINT64_MAX, &len3);
		assert_int_equal(len1, len3);
		assert_memory_equal(one, three, len1);

		assert_int_equal(kt_store_verify(f->b, &vr, NULL, NULL), 0);
		assert_int_equal(kt_store_info(f->a, &ia), 0);
		assert_int_equal(kt_store_info(f->b, &ib), 0);
		assert_int_equal(ib.events, ia.events);
		assert_int_equal(ib.streams, ia.streams);
		assert_memory_equal(ib.head_hash, ia.head_hash, KT_HASH_LEN);
		assert_memory_equal(rep.head_hash, ia.head_hash, KT_HASH_LEN);
		free(one);
		free(again);
		free(three);
	}
}

static void test_evidence_verify_accepts_an_export_with_seals(void **state)
{
	struct fx *f = *state;
	uint8_t pk[KT_SEAL_PUBLIC_LEN], sk[KT_SEAL_SECRET_LEN], other[KT_SEAL_PUBLIC_LEN],
	    other_sk[KT_SEAL_SECRET_LEN];
	struct kt_evidence_report rep;
	struct kt_store_info info;
	size_t len;
	assert_int_equal(kt_seal_keypair(pk, sk), 0);
	assert_int_equal(kt_seal_keypair(other, other_sk), 0);
	random_log(f->a, 120, 5);
	seal_head(f->a, sk);
	random_log(f->a, 30, 6);
	seal_head(f->a, sk);
	char *text = export_store(f, f->a, UINT64_MAX, &len);
	assert_int_equal(kt_store_info(f->a, &info), 0);

	assert_int_equal(verify_text(f, text, len, pk, &rep), 0);
	assert_int_equal(rep.events, 152);
	assert_int_equal(rep.declared, 152);
	assert_int_equal(rep.seals, 2);
	assert_int_equal(rep.sealed_position, 151);
	assert_int_equal(rep.sealed_at, INT64_C(1764000000000000));
	assert_int_equal(rep.line, 0);
	assert_memory_equal(rep.head_hash, info.head_hash, KT_HASH_LEN);
	assert_int_equal(verify_text(f, text, len, NULL, &rep), 0);

	/* Against another public key, the first seal (on line 122) fails. */
	assert_int_equal(verify_text(f, text, len, other, &rep), KT_ESEAL);
	expect_problem(&rep, 122, "seal at position 121: the seal is signed with another key");
	free(text);
}

static void test_evidence_export_to_is_a_prefix(void **state)
{
	struct fx *f = *state;
	struct kt_evidence_report rep;
	size_t len_all, len_part;
	random_log(f->a, 60, 9);
	char *all = export_store(f, f->a, UINT64_MAX, &len_all);
	char *part = export_store(f, f->a, 25, &len_part);
	struct lines la = split(all), lp = split(part);
	assert_int_equal(lp.n, 26);
	for (size_t k = 1; k < lp.n; k++)
		assert_string_equal(lp.line[k], la.line[k]);
	json_t *h = line_json(&lp, 0), *e25 = line_json(&la, 25);
	assert_int_equal(json_integer_value(json_object_get(h, "events")), 25);
	assert_string_equal(json_string_value(json_object_get(h, "head_hash")),
			    json_string_value(json_object_get(e25, "hash")));
	json_decref(h);
	json_decref(e25);
	assert_int_equal(verify_text(f, part, len_part, NULL, &rep), 0);
	assert_int_equal(rep.events, 25);

	/* Beyond the head: nothing to export. */
	kt_reader *r;
	assert_int_equal(kt_reader_begin(f->a, &r), 0);
	FILE *out = fopen(f->file, "wb");
	assert_non_null(out);
	assert_int_equal(kt_evidence_export(r, 61, out, NULL, NULL), KT_ENOTFOUND);
	fclose(out);
	kt_reader_end(r);
	free_lines(&la);
	free_lines(&lp);
	free(all);
	free(part);
}

static void test_evidence_empty_store_exports_a_header_only(void **state)
{
	struct fx *f = *state;
	struct kt_evidence_report rep;
	size_t len;
	char *text = export_store(f, f->a, UINT64_MAX, &len);
	assert_string_equal(text,
			    "{\"format\":\"kontroll-evidence\",\"version\":1,\"events\":0,"
			    "\"head_hash\":\"00000000000000000000000000000000000000000000000000"
			    "00000000000000\"}\n");
	assert_int_equal(verify_text(f, text, len, NULL, &rep), 0);
	assert_int_equal(rep.events, 0);
	assert_int_equal(import_text(f, f->b, text, len, &rep), 0);
	assert_int_equal(rep.events, 0);
	free(text);
}

static void test_evidence_line_format_is_documented_order(void **state)
{
	struct fx *f = *state;
	static const char *const keys[] = { "position",	      "hash",	      "id",
					    "stream",	      "version",      "type",
					    "recorded",	      "effective",    "actor",
					    "correlation_id", "causation_id", "data",
					    "envelope" };
	struct kt_evidence_line line;
	uint8_t *env = malloc(KT_ENVELOPE_MAX);
	char why[240];
	size_t len;
	assert_non_null(env);
	random_log(f->a, 3, 11);
	char *text = export_store(f, f->a, UINT64_MAX, &len);
	struct lines l = split(text);
	json_t *o = line_json(&l, 2);
	size_t k = 0;
	const char *key;
	json_t *v;
	json_object_foreach (o, key, v)
		assert_string_equal(key, keys[k++]);
	assert_int_equal(k, 13);
	json_decref(o);

	assert_int_equal(
	    kt_evidence_parse_event(l.line[2], strlen(l.line[2]), env, &line, why, sizeof why), 0);
	assert_int_equal(line.position, 2);
	assert_int_equal(line.ev.position, 2);
	assert_int_equal(line.ev.version >= 1, 1);
	uint64_t events;
	uint8_t head[KT_HASH_LEN];
	assert_int_equal(
	    kt_evidence_parse_header(l.line[0], strlen(l.line[0]), &events, head, why, sizeof why),
	    0);
	assert_int_equal(events, 3);
	assert_int_equal(
	    kt_evidence_parse_event(l.line[0], strlen(l.line[0]), env, &line, why, sizeof why),
	    KT_EJSON);
	assert_string_equal(why, "position: missing");
	free_lines(&l);
	free(text);
	free(env);
}

/* ---- damage ------------------------------------------------------------- */

static char *damage_fixture(struct fx *f, struct lines *l, size_t count)
{
	size_t len;
	random_log(f->a, count, 3);
	char *text = export_store(f, f->a, UINT64_MAX, &len);
	*l = split(text);
	return text;
}

static void test_evidence_finds_a_changed_envelope_byte(void **state)
{
	struct fx *f = *state;
	struct lines l;
	uint8_t env[KT_ENVELOPE_MAX];
	size_t n;
	char *text = damage_fixture(f, &l, 50);
	/* One byte of the stream name inside the envelope of event 20: still an
	 * envelope, but not the one the chain hashed. */
	line_envelope(&l, 20, env, &n);
	size_t at = 0;
	while (at + 5 <= n && memcmp(env + at, "unit-", 5) != 0)
		at++;
	assert_true(at + 5 <= n);
	env[at] = 'U';
	set_envelope(&l, 20, env, n);
	expect_damage(f, &l, KT_ECORRUPT, 21, "hash: not the chain hash recomputed");
	/* An envelope that no longer decodes. */
	free_lines(&l);
	l = split(text);
	line_envelope(&l, 20, env, &n);
	env[0] = 0x01;
	set_envelope(&l, 20, env, n);
	expect_damage(f, &l, KT_ECORRUPT, 21, "envelope: does not decode");
	free_lines(&l);
	free(text);
}

static void test_evidence_finds_a_changed_readable_field(void **state)
{
	struct fx *f = *state;
	struct lines l;
	char *text = damage_fixture(f, &l, 50);
	json_t *o = line_json(&l, 30);
	json_object_set_new(o, "actor", json_string("someone else"));
	set_line(&l, 30, o);
	expect_damage(f, &l, KT_ECORRUPT, 31, "actor: 'someone else' but the envelope says");

	free_lines(&l);
	l = split(text);
	o = line_json(&l, 7);
	json_object_set_new(json_object_get(o, "data"), "seq", json_integer(-5));
	set_line(&l, 7, o);
	expect_damage(f, &l, KT_ECORRUPT, 8, "data: not the envelope's payload");

	free_lines(&l);
	l = split(text);
	o = line_json(&l, 12);
	json_object_set_new(o, "effective", json_string("2020-01-01T00:00:00.000000Z"));
	set_line(&l, 12, o);
	expect_damage(f, &l, KT_ECORRUPT, 13, "effective: '2020-01-01T00:00:00.000000Z' but");
	free_lines(&l);
	free(text);
}

static void test_evidence_finds_deleted_and_swapped_lines(void **state)
{
	struct fx *f = *state;
	struct lines l;
	char *text = damage_fixture(f, &l, 50);
	/* Line 11 (event 10) deleted: line 11 now holds position 11. */
	free(l.line[10]);
	memmove(&l.line[10], &l.line[11], (l.n - 11) * sizeof *l.line);
	l.n--;
	expect_damage(f, &l, KT_ECORRUPT, 11, "position: 11 where 10 was expected");
	free_lines(&l);

	l = split(text);
	char *t = l.line[40];
	l.line[40] = l.line[41];
	l.line[41] = t;
	expect_damage(f, &l, KT_ECORRUPT, 41, "position: 41 where 40 was expected");
	free_lines(&l);
	free(text);
}

static void test_evidence_finds_a_truncated_tail(void **state)
{
	struct fx *f = *state;
	struct lines l;
	struct kt_evidence_report rep;
	char *text = damage_fixture(f, &l, 50);
	size_t len = strlen(text);
	/* Cut at a line's end: the header counts more events than are left. */
	l.n -= 5;
	expect_damage(f, &l, KT_ECORRUPT, 1,
		      "events: the header declares 50 events; the file holds 45");
	/* Cut inside the last line. */
	assert_int_equal(verify_text(f, text, len - 20, NULL, &rep), KT_ECORRUPT);
	expect_problem(&rep, 51, "cut off");
	/* Only the newline missing counts the same: a file must end whole. */
	assert_int_equal(verify_text(f, text, len - 1, NULL, &rep), KT_ECORRUPT);
	expect_problem(&rep, 51, "cut off");
	l.n += 5;
	free_lines(&l);
	free(text);
}

static void test_evidence_finds_a_wrong_header(void **state)
{
	struct fx *f = *state;
	struct lines l;
	char *text = damage_fixture(f, &l, 20);
	json_t *h = line_json(&l, 0);
	json_object_set_new(h, "events", json_integer(21));
	set_line(&l, 0, h);
	expect_damage(f, &l, KT_ECORRUPT, 1, "events: the header declares 21 events");

	free_lines(&l);
	l = split(text);
	h = line_json(&l, 0);
	json_object_set_new(h, "head_hash",
			    json_string("00000000000000000000000000000000000000"
					"00000000000000000000000000"));
	set_line(&l, 0, h);
	expect_damage(f, &l, KT_ECORRUPT, 1, "head_hash: not the chain hash recomputed");

	free_lines(&l);
	l = split(text);
	h = line_json(&l, 0);
	json_object_set_new(h, "format", json_string("something-else"));
	set_line(&l, 0, h);
	expect_damage(f, &l, KT_EJSON, 1, "format: 'something-else' is not kontroll-evidence");

	free_lines(&l);
	l = split(text);
	h = line_json(&l, 0);
	json_object_set_new(h, "version", json_integer(2));
	set_line(&l, 0, h);
	expect_damage(f, &l, KT_EJSON, 1, "version: 2 is not supported");

	/* No header at all: the first event line stands in its place. */
	free_lines(&l);
	l = split(text);
	free(l.line[0]);
	memmove(&l.line[0], &l.line[1], (l.n - 1) * sizeof *l.line);
	l.n--;
	expect_damage(f, &l, KT_EJSON, 1, "format: missing");
	free_lines(&l);
	free(text);
}

static void test_evidence_names_malformed_lines(void **state)
{
	struct fx *f = *state;
	struct lines l;
	struct kt_evidence_report rep;
	char *text = damage_fixture(f, &l, 10);
	static const struct {
		const char *field, *value; /* value as JSON text; NULL: delete */
		const char *problem;
	} cases[] = {
		{ "hash", "\"xyz\"", "hash: not 64 hex digits" },
		{ "envelope", "\"not*base64\"", "envelope: not base64" },
		{ "version", "\"3\"", "version: not a whole number" },
		{ "id", "\"not-a-uuid\"", "id: not a UUID" },
		{ "data", "[]", "data: not a JSON object" },
		{ "position", "0", "position: not a position" },
		{ "stream", NULL, "stream: missing" },
		{ "colour", "\"red\"", "colour: unknown field" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		free_lines(&l);
		l = split(text);
		json_t *o = line_json(&l, 5);
		if (cases[k].value)
			json_object_set_new(o, cases[k].field,
					    json_loads(cases[k].value, JSON_DECODE_ANY, NULL));
		else
			json_object_del(o, cases[k].field);
		set_line(&l, 5, o);
		expect_damage(f, &l, KT_EJSON, 6, cases[k].problem);
	}
	free_lines(&l);
	l = split(text);
	free(l.line[3]);
	l.line[3] = strdup("{\"position\":3,");
	expect_damage(f, &l, KT_EJSON, 4, "not JSON");
	free(l.line[3]);
	l.line[3] = strdup("");
	expect_damage(f, &l, KT_EJSON, 4, "an empty line");
	free(l.line[3]);
	l.line[3] = strdup("[1,2]");
	expect_damage(f, &l, KT_EJSON, 4, "not a JSON object");
	assert_int_equal(verify_text(f, "", 0, NULL, &rep), KT_EJSON);
	expect_problem(&rep, 1, "the file is empty");
	free_lines(&l);
	free(text);
}

/*
 * The forger's rewrite: an event before the last seal changed, envelope and
 * readable fields alike, and every hash after it recomputed. The chain
 * holds again; the seal, which signed the old hash at its position, does
 * not. A forger who also re-signs the seal with a key of their own is found
 * by the public key only.
 */
static void test_evidence_seal_finds_a_recomputed_rewrite(void **state)
{
	struct fx *f = *state;
	uint8_t pk[KT_SEAL_PUBLIC_LEN], sk[KT_SEAL_SECRET_LEN], fpk[KT_SEAL_PUBLIC_LEN],
	    fsk[KT_SEAL_SECRET_LEN], env[KT_ENVELOPE_MAX];
	struct kt_evidence_report rep;
	struct kt_seal seal;
	struct kt_event ev;
	struct kt_buf payload = KT_BUF_INIT(KT_DATA_MAX), out = KT_BUF_INIT(KT_ENVELOPE_MAX);
	struct lines l;
	size_t len, n;
	assert_int_equal(kt_seal_keypair(pk, sk), 0);
	assert_int_equal(kt_seal_keypair(fpk, fsk), 0);
	random_log(f->a, 80, 21);
	seal_head(f->a, sk); /* position 81 seals 80 */
	random_log(f->a, 20, 22);
	char *text = export_store(f, f->a, UINT64_MAX, &len);
	l = split(text);
	rewrite_actor(&l, 40, "ingen");
	rechain(&l, 40);
	assert_int_equal(verify_lines(f, &l, pk, &rep), KT_ESEAL);
	expect_problem(&rep, 82,
		       "seal at position 81: the chain hash at position 80 is not the "
		       "one sealed");
	/* Without the key too: the seal is intact, its hash is not there. */
	assert_int_equal(verify_lines(f, &l, NULL, &rep), KT_ESEAL);
	expect_problem(&rep, 82, "seal at position 81: the chain hash at position 80");

	/* The seal re-made over the new hash at 80 with the forger's key. */
	json_t *o = line_json(&l, 80);
	memset(&seal, 0, sizeof seal);
	seal.position = 80;
	seal.sealed_at = INT64_C(1764000000000000);
	sodium_hex2bin(seal.hash, KT_HASH_LEN, json_string_value(json_object_get(o, "hash")),
		       2 * KT_HASH_LEN, NULL, NULL, NULL);
	json_decref(o);
	assert_int_equal(kt_seal_sign(&seal, fsk), 0);
	assert_int_equal(kt_seal_to_payload(&seal, &payload), 0);
	line_envelope(&l, 81, env, &n);
	assert_int_equal(kt_event_decode(env, n, &ev), 0);
	ev.data = payload.data;
	ev.data_len = payload.len;
	assert_int_equal(kt_event_encode(&ev, &out), 0);
	set_envelope(&l, 81, out.data, out.len);
	json_t *data;
	assert_int_equal(kt_data_to_json(payload.data, payload.len, &data), 0);
	o = line_json(&l, 81);
	json_object_set_new(o, "data", data);
	set_line(&l, 81, o);
	rechain(&l, 81);
	assert_int_equal(verify_lines(f, &l, NULL, &rep), 0);
	assert_int_equal(verify_lines(f, &l, pk, &rep), KT_ESEAL);
	expect_problem(&rep, 82, "seal at position 81: the seal is signed with another key");
	kt_buf_free(&payload);
	kt_buf_free(&out);
	free_lines(&l);
	free(text);
}

/*
 * What a seal cannot do: a rewrite after the last seal, with the chain
 * recomputed, leaves every check intact. Only a later seal (or the head
 * hash written down elsewhere) pins those events.
 */
static void test_evidence_rewrite_after_the_last_seal_passes(void **state)
{
	struct fx *f = *state;
	uint8_t pk[KT_SEAL_PUBLIC_LEN], sk[KT_SEAL_SECRET_LEN];
	struct kt_evidence_report rep;
	struct lines l;
	size_t len;
	assert_int_equal(kt_seal_keypair(pk, sk), 0);
	random_log(f->a, 30, 31);
	seal_head(f->a, sk);
	random_log(f->a, 10, 32);
	char *text = export_store(f, f->a, UINT64_MAX, &len);
	l = split(text);
	rewrite_actor(&l, 35, "ingen");
	rechain(&l, 35);
	assert_int_equal(verify_lines(f, &l, pk, &rep), 0);
	assert_int_equal(rep.sealed_position, 30);
	free_lines(&l);
	free(text);
}

/* ---- import writes nothing on failure ----------------------------------- */

static char *file_bytes(const char *path, size_t *len)
{
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	struct stat st;
	assert_int_equal(fstat(fileno(in), &st), 0);
	char *b = malloc((size_t)st.st_size + 1);
	assert_non_null(b);
	*len = fread(b, 1, (size_t)st.st_size, in);
	fclose(in);
	return b;
}

static void expect_nothing_written(struct fx *f, const char *before, size_t before_len)
{
	struct kt_store_info info;
	size_t len;
	assert_int_equal(kt_store_info(f->b, &info), 0);
	assert_int_equal(info.events, 0);
	char *after = file_bytes(f->b_path, &len);
	assert_int_equal(len, before_len);
	assert_memory_equal(after, before, len);
	free(after);
}

static void test_evidence_import_of_a_bad_file_writes_nothing(void **state)
{
	struct fx *f = *state;
	struct kt_evidence_report rep;
	struct lines l;
	size_t len, before_len;
	char *before = file_bytes(f->b_path, &before_len);
	char *text = damage_fixture(f, &l, 300);

	json_t *o = line_json(&l, 299);
	json_object_set_new(o, "type", json_string("forged"));
	set_line(&l, 299, o);
	char *bad = join(&l, &len);
	assert_int_equal(import_text(f, f->b, bad, len, &rep), KT_ECORRUPT);
	expect_problem(&rep, 300, "type: 'forged' but the envelope says");
	expect_nothing_written(f, before, before_len);
	free(bad);

	/* Malformed, on the very last line. */
	free_lines(&l);
	l = split(text);
	free(l.line[300]);
	l.line[300] = strdup("{}");
	bad = join(&l, &len);
	assert_int_equal(import_text(f, f->b, bad, len, &rep), KT_EJSON);
	expect_problem(&rep, 301, "position: missing");
	expect_nothing_written(f, before, before_len);
	free(bad);
	free_lines(&l);
	free(text);
	free(before);
}

static void test_evidence_import_refuses_a_store_that_is_not_empty(void **state)
{
	struct fx *f = *state;
	struct kt_evidence_report rep;
	struct kt_store_info before, after;
	size_t len;
	random_log(f->a, 20, 41);
	char *text = export_store(f, f->a, UINT64_MAX, &len);
	assert_int_equal(kt_store_info(f->a, &before), 0);
	assert_int_equal(import_text(f, f->a, text, len, &rep), KT_EEXIST);
	assert_non_null(strstr(rep.problem, "the store holds 20 events"));
	assert_int_equal(kt_store_info(f->a, &after), 0);
	assert_int_equal(after.events, before.events);
	free(text);
}

/*
 * A file whose chain holds but that breaks a rule of the store (here a
 * stream version skipped): verify-export does not check stream versions,
 * kt_store_import does, and the refusal names the line.
 */
static void test_evidence_import_names_a_line_the_store_refuses(void **state)
{
	struct fx *f = *state;
	struct kt_evidence_report rep;
	struct lines l;
	uint8_t env[KT_ENVELOPE_MAX];
	size_t n, len, before_len;
	struct kt_event ev;
	struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
	char *before = file_bytes(f->b_path, &before_len);
	char *text = damage_fixture(f, &l, 40);
	line_envelope(&l, 33, env, &n);
	assert_int_equal(kt_event_decode(env, n, &ev), 0);
	ev.version += 7;
	assert_int_equal(kt_event_encode(&ev, &out), 0);
	set_envelope(&l, 33, out.data, out.len);
	json_t *o = line_json(&l, 33);
	json_object_set_new(o, "version", json_integer((json_int_t)ev.version));
	set_line(&l, 33, o);
	rechain(&l, 33);
	assert_int_equal(verify_lines(f, &l, NULL, &rep), 0);
	char *bad = join(&l, &len);
	assert_int_equal(import_text(f, f->b, bad, len, &rep), KT_EVERSION);
	expect_problem(&rep, 34, "version ");
	expect_nothing_written(f, before, before_len);
	kt_buf_free(&out);
	free(bad);
	free_lines(&l);
	free(text);
	free(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_evidence_export_import_export_is_identical,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_verify_accepts_an_export_with_seals,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_export_to_is_a_prefix, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evidence_empty_store_exports_a_header_only,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_line_format_is_documented_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_finds_a_changed_envelope_byte, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evidence_finds_a_changed_readable_field, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evidence_finds_deleted_and_swapped_lines,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_finds_a_truncated_tail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evidence_finds_a_wrong_header, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evidence_names_malformed_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_evidence_seal_finds_a_recomputed_rewrite,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_rewrite_after_the_last_seal_passes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_import_of_a_bad_file_writes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_evidence_import_refuses_a_store_that_is_not_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_import_names_a_line_the_store_refuses,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
