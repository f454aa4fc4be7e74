/*
 * evidence.c — evidence files (evidence.h): the line format, both ways; the
 * export loop; the check of a whole file without a store, chain and seals;
 * and the import that checks a file whole before one kt_store_import.
 */
#define _POSIX_C_SOURCE 200809L
#include "kontroll/evidence.h"

#include "kontroll/error.h"
#include "kontroll/id.h"
#include "kontroll/json.h"
#include "kontroll/schema.h"
#include "kontroll/seal.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define B64 sodium_base64_VARIANT_ORIGINAL
/* Base64 text of the largest envelope, NUL excluded. */
#define ENVELOPE_B64_MAX (sodium_base64_ENCODED_LEN(KT_ENVELOPE_MAX, B64) - 1)
#define HEX_LEN		 (2 * KT_HASH_LEN)

/* The fields of an event line, in the order they are written. */
enum kind { K_POSITION, K_HASH, K_UUID, K_UUID_OR_NULL, K_TEXT, K_COUNT, K_OBJECT, K_BASE64 };

static const struct field {
	const char *name;
	enum kind kind;
	int readable; /* rendered from the envelope, so compared with it */
} FIELDS[] = {
	{ "position", K_POSITION, 0 },
	{ "hash", K_HASH, 0 },
	{ "id", K_UUID, 1 },
	{ "stream", K_TEXT, 1 },
	{ "version", K_COUNT, 1 },
	{ "type", K_TEXT, 1 },
	{ "recorded", K_TEXT, 1 },
	{ "effective", K_TEXT, 1 },
	{ "actor", K_TEXT, 1 },
	{ "correlation_id", K_UUID_OR_NULL, 1 },
	{ "causation_id", K_UUID_OR_NULL, 1 },
	{ "data", K_OBJECT, 1 },
	{ "envelope", K_BASE64, 0 },
};
#define NFIELDS (sizeof FIELDS / sizeof FIELDS[0])

static int say(char *why, size_t why_len, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int say(char *why, size_t why_len, int rc, const char *fmt, ...)
{
	va_list ap;
	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* ---- writing ------------------------------------------------------------ */

/* Where json_dump_callback writes a line: out, at most left more bytes. */
struct sink {
	struct kt_buf *out;
	size_t left;
	int err;
};

static int dump_to_sink(const char *text, size_t n, void *ctx)
{
	struct sink *s = ctx;
	s->err = n > s->left ? KT_ETOOBIG : kt_buf_append(s->out, text, n);
	s->left -= s->err ? 0 : n;
	return s->err ? -1 : 0;
}

/* Append obj as compact JSON and a newline to out; KT_ETOOBIG when the
 * line would exceed KT_EVIDENCE_LINE_MAX. */
static int put_line(json_t *obj, struct kt_buf *out)
{
	struct sink s = { out, KT_EVIDENCE_LINE_MAX, 0 };
	if (json_dump_callback(obj, dump_to_sink, &s, JSON_COMPACT | JSON_PRESERVE_ORDER))
		return s.err ? s.err : KT_ENOMEM;
	return kt_buf_append(out, "\n", 1);
}

int kt_evidence_header(uint64_t events, const uint8_t head_hash[KT_HASH_LEN], struct kt_buf *out)
{
	char hex[HEX_LEN + 1];
	sodium_bin2hex(hex, sizeof hex, head_hash, KT_HASH_LEN);
	json_t *h = json_pack("{s:s, s:i, s:I, s:s}", "format", KT_EVIDENCE_FORMAT, "version",
			      KT_EVIDENCE_VERSION, "events", (json_int_t)events, "head_hash", hex);
	if (!h)
		return KT_ENOMEM;
	int rc = put_line(h, out);
	json_decref(h);
	return rc;
}

/* The JSON text of the chain hash and the envelope needs no escaping, and
 * is half of a line: it is written here, and jansson renders the rest. */
int kt_evidence_event(const struct kt_event *ev, const struct kt_raw_event *raw, struct kt_buf *out)
{
	char head[64 + HEX_LEN], hex[HEX_LEN + 1];
	json_t *e;
	size_t start = out->len;
	if (raw->len > KT_ENVELOPE_MAX)
		return KT_ETOOBIG;
	int rc = kt_event_to_json(ev, &e);
	if (rc)
		return rc;
	size_t b64_size = sodium_base64_ENCODED_LEN(raw->len, B64);
	char *b64 = malloc(b64_size);
	if (!b64) {
		json_decref(e);
		return KT_ENOMEM;
	}
	sodium_bin2base64(b64, b64_size, raw->envelope, raw->len, B64);
	sodium_bin2hex(hex, sizeof hex, raw->hash, KT_HASH_LEN);
	int n = snprintf(head, sizeof head, "{\"position\":%llu,\"hash\":\"%s\"",
			 (unsigned long long)ev->position, hex);
	/* kt_event_to_json's object without its position is {"id":…,"data":{…}}:
	 * its braces give way to the fields around it. */
	json_object_del(e, "position");
	struct sink sink = { out, KT_EVIDENCE_LINE_MAX, 0 };
	if ((rc = kt_buf_append(out, head, (size_t)n)))
		goto out;
	if (json_dump_callback(e, dump_to_sink, &sink, JSON_COMPACT | JSON_PRESERVE_ORDER)) {
		rc = sink.err ? sink.err : KT_ENOMEM;
		goto out;
	}
	out->data[start + (size_t)n] = ',';
	out->len--;
	if ((rc = kt_buf_append(out, ",\"envelope\":\"", 13)) ||
	    (rc = kt_buf_append(out, b64, b64_size - 1)) || (rc = kt_buf_append(out, "\"}\n", 3)))
		goto out;
	if (out->len - start - 1 > KT_EVIDENCE_LINE_MAX)
		rc = KT_ETOOBIG;
out:
	json_decref(e);
	free(b64);
	return rc;
}

/* ---- reading one line --------------------------------------------------- */

/* Exactly 2 × KT_HASH_LEN hex digits. */
static int unhex_hash(const char *s, size_t n, uint8_t out[KT_HASH_LEN])
{
	size_t got;
	const char *end;
	return n == HEX_LEN && sodium_hex2bin(out, KT_HASH_LEN, s, n, NULL, &got, &end) == 0 &&
		       got == KT_HASH_LEN && end == s + n
		   ? KT_OK
		   : KT_EJSON;
}

/* Parse text as one JSON object into *out (a new reference). */
static int load_object(const char *text, size_t len, json_t **out, char *why, size_t why_len)
{
	json_error_t jerr;
	if (len == 0)
		return say(why, why_len, KT_EJSON, "an empty line");
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return say(why, why_len, KT_EJSON, "not JSON: %s (column %d)", jerr.text,
			   jerr.column);
	if (!json_is_object(o)) {
		json_decref(o);
		return say(why, why_len, KT_EJSON, "not a JSON object");
	}
	*out = o;
	return KT_OK;
}

/* The first key of o that is none of the n fields, or NULL. */
static const char *unknown_key(json_t *o, const struct field *fields, size_t n)
{
	const char *key;
	json_t *v;
	json_object_foreach (o, key, v) {
		size_t k = 0;
		while (k < n && strcmp(fields[k].name, key) != 0)
			k++;
		if (k == n)
			return key;
	}
	return NULL;
}

int kt_evidence_parse_header(const char *text, size_t len, uint64_t *events,
			     uint8_t head_hash[KT_HASH_LEN], char *why, size_t why_len)
{
	static const struct field header[] = {
		{ "format", K_TEXT, 0 },
		{ "version", K_COUNT, 0 },
		{ "events", K_COUNT, 0 },
		{ "head_hash", K_HASH, 0 },
	};
	char q[KT_SCHEMA_QUOTE_SIZE];
	json_t *h;
	int rc = load_object(text, len, &h, why, why_len);
	if (rc)
		return rc;
	json_t *format = json_object_get(h, "format"), *version = json_object_get(h, "version"),
	       *count = json_object_get(h, "events"), *hash = json_object_get(h, "head_hash");
	const char *unknown = unknown_key(h, header, sizeof header / sizeof header[0]);
	rc = KT_EJSON;
	if (!json_is_string(format))
		say(why, why_len, rc, "format: missing: the first line must be the %s header",
		    KT_EVIDENCE_FORMAT);
	else if (strcmp(json_string_value(format), KT_EVIDENCE_FORMAT) != 0)
		say(why, why_len, rc, "format: '%s' is not %s",
		    kt_schema_quote(q, json_string_value(format), json_string_length(format)),
		    KT_EVIDENCE_FORMAT);
	else if (!json_is_integer(version))
		say(why, why_len, rc, "version: %s", version ? "not a whole number" : "missing");
	else if (json_integer_value(version) != KT_EVIDENCE_VERSION)
		say(why, why_len, rc, "version: %lld is not supported (this kontroll reads %d)",
		    (long long)json_integer_value(version), KT_EVIDENCE_VERSION);
	else if (!json_is_integer(count) || json_integer_value(count) < 0)
		say(why, why_len, rc, "events: %s", count ? "not a whole number" : "missing");
	else if (!json_is_string(hash) ||
		 unhex_hash(json_string_value(hash), json_string_length(hash), head_hash))
		say(why, why_len, rc, "head_hash: %s", hash ? "not 64 hex digits" : "missing");
	else if (unknown)
		say(why, why_len, rc, "%s: unknown field",
		    kt_schema_quote(q, unknown, strlen(unknown)));
	else {
		*events = (uint64_t)json_integer_value(count);
		rc = KT_OK;
	}
	json_decref(h);
	return rc;
}

/* Whether v is of kind k (syntax only; values are compared later). */
static int of_kind(const json_t *v, enum kind k)
{
	uint8_t id[16];
	switch (k) {
	case K_POSITION:
		return json_is_integer(v) && json_integer_value(v) >= 1;
	case K_COUNT:
		return json_is_integer(v) && json_integer_value(v) >= 0;
	case K_UUID_OR_NULL:
		if (json_is_null(v))
			return 1;
		/* fall through */
	case K_UUID:
		return json_is_string(v) && json_string_length(v) == KT_ID_TEXT_LEN &&
		       kt_id_parse(json_string_value(v), id) == 0;
	case K_OBJECT:
		return json_is_object(v);
	default: /* K_TEXT, K_HASH, K_BASE64: their syntax is checked as they
		    are decoded */
		return json_is_string(v);
	}
}

static const char *kind_text(enum kind k)
{
	switch (k) {
	case K_POSITION:
		return "a position (a whole number from 1)";
	case K_COUNT:
		return "a whole number";
	case K_UUID:
		return "a UUID";
	case K_UUID_OR_NULL:
		return "a UUID or null";
	case K_OBJECT:
		return "a JSON object";
	default:
		return "a string";
	}
}

/* A short, one-line rendering of v for a message. */
static const char *show(char out[KT_SCHEMA_QUOTE_SIZE + 2], const json_t *v)
{
	char q[KT_SCHEMA_QUOTE_SIZE];
	if (json_is_string(v))
		snprintf(out, KT_SCHEMA_QUOTE_SIZE + 2, "'%s'",
			 kt_schema_quote(q, json_string_value(v), json_string_length(v)));
	else if (json_is_integer(v))
		snprintf(out, KT_SCHEMA_QUOTE_SIZE + 2, "%lld", (long long)json_integer_value(v));
	else if (json_is_null(v))
		snprintf(out, KT_SCHEMA_QUOTE_SIZE + 2, "null");
	else
		snprintf(out, KT_SCHEMA_QUOTE_SIZE + 2, "another value");
	return out;
}

/*
 * The envelope as export writes it: the line's last field,
 * ,"envelope":"BASE64"}. Its text is a third of the line and needs no JSON
 * decoding, so such a line is parsed without it. Returns the length of the
 * line before the field with *b64 and *b64_len set, or 0 when the line does
 * not end so. Base64 has no '"', and the '"' before the field's value ends
 * its key, so a string value that merely contains these characters (a '"'
 * in it is escaped) never matches.
 */
static size_t split_envelope(const char *text, size_t len, const char **b64, size_t *b64_len)
{
	static const char key[] = ",\"envelope\":\"";
	const size_t klen = sizeof key - 1;
	if (len < klen + 3 || text[len - 1] != '}' || text[len - 2] != '"')
		return 0;
	const char *close = text + len - 2, *open = close;
	while (open > text && open[-1] != '"')
		open--;
	if ((size_t)(open - text) < klen + 1 || memcmp(open - klen, key, klen) != 0)
		return 0;
	*b64 = open;
	*b64_len = (size_t)(close - open);
	return (size_t)(open - klen - text);
}

/* Feeds jansson a line's first part and then the '}' that closes it. */
struct prefix {
	const char *text;
	size_t len, done;
	int closed;
};

static size_t feed_prefix(void *buf, size_t size, void *ctx)
{
	struct prefix *p = ctx;
	size_t n = p->len - p->done < size ? p->len - p->done : size;
	memcpy(buf, p->text + p->done, n);
	p->done += n;
	if (n == 0 && !p->closed && size) {
		*(char *)buf = '}';
		p->closed = 1;
		n = 1;
	}
	return n;
}

/* Parse the event line at text as one JSON object into *out, and point
 * *b64 at the envelope's text. */
static int load_line(const char *text, size_t len, json_t **out, const char **b64, size_t *b64_len,
		     char *why, size_t why_len)
{
	struct prefix p = { text, split_envelope(text, len, b64, b64_len), 0, 0 };
	if (p.len == 0) {
		int rc = load_object(text, len, out, why, why_len);
		json_t *v = rc ? NULL : json_object_get(*out, "envelope");
		*b64 = json_string_value(v);
		*b64_len = json_string_length(v);
		return rc;
	}
	json_error_t jerr;
	json_t *o = json_load_callback(feed_prefix, &p, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return say(why, why_len, KT_EJSON, "not JSON: %s (column %d)", jerr.text,
			   jerr.column);
	if (json_object_get(o, "envelope")) {
		json_decref(o);
		return say(why, why_len, KT_EJSON,
			   "not JSON: duplicate object key near 'envelope'");
	}
	*out = o;
	return KT_OK;
}

/* Syntax of one event line into *out, the envelope decoded; *obj keeps the
 * parsed line for compare_readable (the caller's reference). */
static int parse_syntax(const char *text, size_t len, uint8_t envelope[KT_ENVELOPE_MAX],
			struct kt_evidence_line *out, json_t **obj, char *why, size_t why_len)
{
	char q[KT_SCHEMA_QUOTE_SIZE];
	const char *b64, *end;
	size_t n;
	json_t *o;
	int rc = load_line(text, len, &o, &b64, &n, why, why_len);
	if (rc)
		return rc;
	for (size_t k = 0; k < NFIELDS; k++) {
		json_t *v = json_object_get(o, FIELDS[k].name);
		if (FIELDS[k].kind == K_BASE64 && !v && b64)
			continue; /* split off by load_line */
		if (!v || !of_kind(v, FIELDS[k].kind)) {
			rc = say(why, why_len, KT_EJSON, "%s: %s%s", FIELDS[k].name,
				 v ? "not " : "missing", v ? kind_text(FIELDS[k].kind) : "");
			goto fail;
		}
	}
	const char *unknown = unknown_key(o, FIELDS, NFIELDS);
	if (unknown) {
		rc = say(why, why_len, KT_EJSON, "%s: unknown field",
			 kt_schema_quote(q, unknown, strlen(unknown)));
		goto fail;
	}
	json_t *hash = json_object_get(o, "hash");
	if (unhex_hash(json_string_value(hash), json_string_length(hash), out->hash)) {
		rc = say(why, why_len, KT_EJSON, "hash: not 64 hex digits");
		goto fail;
	}
	if (n > ENVELOPE_B64_MAX) {
		rc = say(why, why_len, KT_ECORRUPT,
			 "envelope: %zu bytes of base64, more than an envelope may have", n);
		goto fail;
	}
	if (sodium_base642bin(envelope, KT_ENVELOPE_MAX, b64, n, NULL, &out->len, &end, B64) != 0 ||
	    end != b64 + n) {
		rc = say(why, why_len, KT_EJSON, "envelope: not base64 (with padding)");
		goto fail;
	}
	out->envelope = envelope;
	out->position = (uint64_t)json_integer_value(json_object_get(o, "position"));
	if ((rc = kt_event_decode(envelope, out->len, &out->ev))) {
		rc = say(why, why_len, KT_ECORRUPT, "envelope: does not decode as an envelope (%s)",
			 kt_strerror(rc));
		goto fail;
	}
	out->ev.position = out->position;
	*obj = o;
	return KT_OK;
fail:
	json_decref(o);
	return rc;
}

/* Every readable field of the parsed line o equal to the envelope's
 * rendering in line->ev. */
static int compare_readable(json_t *o, const struct kt_evidence_line *line, char *why,
			    size_t why_len)
{
	char a[KT_SCHEMA_QUOTE_SIZE + 2], b[KT_SCHEMA_QUOTE_SIZE + 2];
	json_t *e;
	int rc = kt_event_to_json(&line->ev, &e);
	if (rc)
		return say(why, why_len, KT_ECORRUPT, "envelope: cannot be rendered as JSON (%s)",
			   kt_strerror(rc));
	for (size_t k = 0; k < NFIELDS && !rc; k++) {
		const char *name = FIELDS[k].name;
		json_t *have = json_object_get(o, name), *want = json_object_get(e, name);
		if (!FIELDS[k].readable || json_equal(have, want))
			continue;
		if (json_is_object(want))
			rc = say(why, why_len, KT_ECORRUPT, "%s: not the envelope's payload", name);
		else
			rc = say(why, why_len, KT_ECORRUPT, "%s: %s but the envelope says %s", name,
				 show(a, have), show(b, want));
	}
	json_decref(e);
	return rc;
}

int kt_evidence_parse_event(const char *text, size_t len, uint8_t envelope[KT_ENVELOPE_MAX],
			    struct kt_evidence_line *out, char *why, size_t why_len)
{
	json_t *o;
	int rc = parse_syntax(text, len, envelope, out, &o, why, why_len);
	if (rc)
		return rc;
	rc = compare_readable(o, out, why, why_len);
	json_decref(o);
	return rc;
}

/* ---- export ------------------------------------------------------------- */

static int write_buf(FILE *out, const struct kt_buf *b)
{
	if (fwrite(b->data, 1, b->len, out) == b->len)
		return KT_OK;
	return errno ? errno : EIO;
}

int kt_evidence_export(kt_reader *r, uint64_t to, FILE *out, kt_evidence_tick_fn tick, void *ctx)
{
	uint8_t head[KT_HASH_LEN] = { 0 };
	struct kt_buf line = KT_BUF_INIT(KT_EVIDENCE_LINE_MAX + 1);
	struct kt_event ev;
	struct kt_raw_event raw;
	kt_iter *it = NULL;
	uint64_t done = 0;
	int rc;
	if (to > kt_reader_head(r))
		return KT_ENOTFOUND;
	if (to && (rc = kt_reader_get_raw(r, to, &ev, &raw)))
		return rc;
	if (to)
		memcpy(head, raw.hash, KT_HASH_LEN);
	errno = 0;
	if ((rc = kt_evidence_header(to, head, &line)) || (rc = write_buf(out, &line)) ||
	    (rc = kt_iter_log(r, 1, 0, &it)))
		goto out;
	while (done < to) {
		if ((rc = kt_iter_next_raw(it, &ev, &raw))) {
			if (rc == KT_ENOTFOUND) /* the log ends before its head */
				rc = KT_ECORRUPT;
			break;
		}
		kt_buf_reset(&line);
		done++;
		if ((rc = kt_evidence_event(&ev, &raw, &line)) || (rc = write_buf(out, &line)) ||
		    (tick && (rc = tick(ctx, done, to))))
			break;
	}
	if (!rc && fflush(out) != 0)
		rc = errno ? errno : EIO;
out:
	kt_iter_free(it);
	kt_buf_free(&line);
	return rc;
}

/* ---- checking a file ---------------------------------------------------- */

#define BLOCK (64 * 1024)

/* Lines of a file, read in blocks; a line is at most KT_EVIDENCE_LINE_MAX
 * bytes, so nothing in the input can make this allocate more. */
struct lines {
	FILE *in;
	char *block;
	size_t pos, end;
	struct kt_buf line;
	uint64_t number;
};

enum { LINE_END = 0, LINE_FULL = 1, LINE_CUT = 2 };

/* The next line into l->line, its newline dropped: LINE_FULL, LINE_CUT (the
 * file ends inside it), LINE_END (nothing left); KT_ETOOBIG, KT_ENOMEM or
 * errno on a read error. */
static int next_line(struct lines *l)
{
	kt_buf_reset(&l->line);
	l->number++;
	for (;;) {
		if (l->pos == l->end) {
			l->pos = 0;
			l->end = fread(l->block, 1, BLOCK, l->in);
			if (l->end == 0 && ferror(l->in))
				return errno ? errno : EIO;
			if (l->end == 0)
				return l->line.len ? LINE_CUT : LINE_END;
		}
		const char *p = l->block + l->pos;
		const char *nl = memchr(p, '\n', l->end - l->pos);
		size_t n = nl ? (size_t)(nl - p) : l->end - l->pos;
		int rc = kt_buf_append(&l->line, p, n);
		if (rc)
			return rc;
		l->pos += n + (nl != NULL);
		if (nl)
			return LINE_FULL;
	}
}

/* Gets each sound event line of a file being checked (import collects the
 * envelopes); a non-zero return stops the check with that value. */
typedef int (*collect_fn)(void *ctx, const struct kt_evidence_line *line);

struct check {
	const uint8_t *public_key;
	kt_evidence_tick_fn tick;
	void *tick_ctx;
	collect_fn collect;
	void *collect_ctx;
	struct kt_evidence_report *rep;
	uint8_t *hashes; /* h(1) … h(rep->events), for the seals */
	size_t cap;	 /* hashes' room, in hashes */
	uint8_t *envelope;
	struct lines lines;
};

static int problem(struct check *c, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int problem(struct check *c, int rc, const char *fmt, ...)
{
	va_list ap;
	c->rep->line = c->lines.number;
	va_start(ap, fmt);
	vsnprintf(c->rep->problem, sizeof c->rep->problem, fmt, ap);
	va_end(ap);
	return rc;
}

static int keep_hash(struct check *c, const uint8_t hash[KT_HASH_LEN])
{
	uint64_t n = c->rep->events;
	if (n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 4096;
		uint8_t *grown = realloc(c->hashes, cap * KT_HASH_LEN);
		if (!grown)
			return KT_ENOMEM;
		c->hashes = grown;
		c->cap = cap;
	}
	memcpy(c->hashes + n * KT_HASH_LEN, hash, KT_HASH_LEN);
	return KT_OK;
}

/* The seal event ev, at position ev->position, whose hash is kept already. */
static int check_seal(struct check *c, const struct kt_event *ev)
{
	struct kt_seal seal;
	unsigned long long at = (unsigned long long)ev->position;
	if (ev->type_len != sizeof KT_EV_SEAL_RECORDED - 1 ||
	    memcmp(ev->type, KT_EV_SEAL_RECORDED, ev->type_len) != 0 ||
	    kt_seal_from_payload(ev->data, ev->data_len, &seal))
		return problem(c, KT_ESEAL, "seal at position %llu: the event is no readable seal",
			       at);
	if (kt_seal_check(&seal, c->public_key))
		return problem(c, KT_ESEAL, "seal at position %llu: %s", at,
			       c->public_key && sodium_memcmp(c->public_key, seal.public_key,
							      KT_SEAL_PUBLIC_LEN) != 0
				   ? "the seal is signed with another key than the one given"
				   : "the seal's signature does not verify");
	if (seal.position == 0 || seal.position >= ev->position)
		return problem(c, KT_ESEAL,
			       "seal at position %llu: the seal pins position %llu, not one "
			       "before it",
			       at, (unsigned long long)seal.position);
	if (sodium_memcmp(c->hashes + (seal.position - 1) * KT_HASH_LEN, seal.hash, KT_HASH_LEN) !=
	    0)
		return problem(c, KT_ESEAL,
			       "seal at position %llu: the chain hash at position %llu is not the "
			       "one sealed: the log up to there was changed",
			       at, (unsigned long long)seal.position);
	c->rep->seals++;
	if (seal.position > c->rep->sealed_position) {
		c->rep->sealed_position = seal.position;
		c->rep->sealed_at = seal.sealed_at;
	}
	return KT_OK;
}

/* The event line in c->lines.line, the one after rep->events sound ones. */
static int check_event(struct check *c)
{
	struct kt_evidence_report *rep = c->rep;
	struct kt_evidence_line line;
	uint8_t hash[KT_HASH_LEN];
	char hex[HEX_LEN + 1];
	json_t *o = NULL;
	int rc = parse_syntax((const char *)c->lines.line.data, c->lines.line.len, c->envelope,
			      &line, &o, rep->problem, sizeof rep->problem);
	if (rc) {
		rep->line = c->lines.number;
		return rc;
	}
	/* Order and chain before the readable fields: a changed envelope is
	 * then named as such, not as a readable field that disagrees. */
	if (line.position != rep->events + 1) {
		rc = problem(c, KT_ECORRUPT,
			     "position: %llu where %llu was expected (a line is missing, added "
			     "or moved)",
			     (unsigned long long)line.position,
			     (unsigned long long)(rep->events + 1));
		goto out;
	}
	kt_chain_next(rep->head_hash, line.position, line.envelope, line.len, hash);
	if (memcmp(hash, line.hash, KT_HASH_LEN) != 0) {
		sodium_bin2hex(hex, sizeof hex, hash, KT_HASH_LEN);
		rc = problem(c, KT_ECORRUPT,
			     "hash: not the chain hash recomputed from the envelopes (%.16s…): "
			     "this envelope or one before it was changed",
			     hex);
		goto out;
	}
	if ((rc = compare_readable(o, &line, rep->problem, sizeof rep->problem))) {
		rep->line = c->lines.number;
		goto out;
	}
	if ((rc = keep_hash(c, hash)))
		goto out;
	if (line.ev.stream_len == sizeof KT_SEAL_STREAM - 1 &&
	    memcmp(line.ev.stream, KT_SEAL_STREAM, line.ev.stream_len) == 0 &&
	    (rc = check_seal(c, &line.ev)))
		goto out;
	if (c->collect && (rc = c->collect(c->collect_ctx, &line)))
		goto out;
	rep->events++;
	memcpy(rep->head_hash, hash, KT_HASH_LEN);
	if (c->tick)
		rc = c->tick(c->tick_ctx, rep->events, rep->declared);
out:
	json_decref(o);
	return rc;
}

/* The line just read (kind from next_line): its problems of form. */
static int line_problem(struct check *c, int kind)
{
	if (kind == LINE_CUT)
		return problem(c, KT_ECORRUPT,
			       "cut off: the file ends inside this line (no newline after it)");
	if (kind == KT_ETOOBIG)
		return problem(c, KT_EJSON, "longer than %d bytes, more than any event's line",
			       KT_EVIDENCE_LINE_MAX);
	return kind; /* KT_ENOMEM, a read error */
}

static int check_file(struct check *c)
{
	struct kt_evidence_report *rep = c->rep;
	char hex[HEX_LEN + 1];
	uint8_t declared_hash[KT_HASH_LEN];
	int kind = next_line(&c->lines), rc;
	if (kind == LINE_END)
		return problem(c, KT_EJSON, "the file is empty: no %s header", KT_EVIDENCE_FORMAT);
	if (kind != LINE_FULL)
		return line_problem(c, kind);
	if ((rc = kt_evidence_parse_header((const char *)c->lines.line.data, c->lines.line.len,
					   &rep->declared, declared_hash, rep->problem,
					   sizeof rep->problem))) {
		rep->line = 1;
		return rc;
	}
	while ((kind = next_line(&c->lines)) == LINE_FULL)
		if ((rc = check_event(c)))
			return rc;
	if (kind != LINE_END)
		return line_problem(c, kind);
	c->lines.number = 1; /* what is left to say is about the header */
	if (rep->declared != rep->events)
		return problem(c, KT_ECORRUPT,
			       "events: the header declares %llu events; the file holds %llu",
			       (unsigned long long)rep->declared, (unsigned long long)rep->events);
	if (memcmp(declared_hash, rep->head_hash, KT_HASH_LEN) != 0) {
		sodium_bin2hex(hex, sizeof hex, rep->head_hash, KT_HASH_LEN);
		return problem(c, KT_ECORRUPT,
			       "head_hash: not the chain hash recomputed at the last event "
			       "(%.16s…)",
			       hex);
	}
	rep->line = 0;
	return KT_OK;
}

static int check_init(struct check *c, FILE *in, const uint8_t *public_key,
		      kt_evidence_tick_fn tick, void *ctx, struct kt_evidence_report *rep)
{
	memset(c, 0, sizeof *c);
	memset(rep, 0, sizeof *rep);
	c->public_key = public_key;
	c->tick = tick;
	c->tick_ctx = ctx;
	c->rep = rep;
	c->lines.in = in;
	c->lines.line = (struct kt_buf)KT_BUF_INIT(KT_EVIDENCE_LINE_MAX);
	c->envelope = malloc(KT_ENVELOPE_MAX);
	c->lines.block = malloc(BLOCK);
	return c->envelope && c->lines.block ? KT_OK : KT_ENOMEM;
}

static void check_free(struct check *c)
{
	free(c->hashes);
	free(c->envelope);
	free(c->lines.block);
	kt_buf_free(&c->lines.line);
}

int kt_evidence_verify(FILE *in, const uint8_t *public_key, kt_evidence_tick_fn tick, void *ctx,
		       struct kt_evidence_report *rep)
{
	struct check c;
	int rc = check_init(&c, in, public_key, tick, ctx, rep);
	if (!rc)
		rc = check_file(&c);
	check_free(&c);
	return rc;
}

/* ---- import ------------------------------------------------------------- */

/* The envelopes of a file being imported, one after another in bytes. */
struct collected {
	struct kt_buf bytes;
	size_t *ends; /* envelope k ends at ends[k] */
	size_t n, cap;
};

static int collect(void *ctx, const struct kt_evidence_line *line)
{
	struct collected *all = ctx;
	if (all->n == all->cap) {
		size_t cap = all->cap ? 2 * all->cap : 4096;
		size_t *grown = realloc(all->ends, cap * sizeof *grown);
		if (!grown)
			return KT_ENOMEM;
		all->ends = grown;
		all->cap = cap;
	}
	int rc = kt_buf_append(&all->bytes, line->envelope, line->len);
	if (rc)
		return rc;
	all->ends[all->n++] = all->bytes.len;
	return KT_OK;
}

/* Write what the check collected (c->hashes, all) with one kt_store_import. */
static int import_collected(kt_store *s, const struct check *c, const struct collected *all)
{
	struct kt_import_result res;
	struct kt_store_info info;
	struct kt_import_event *events = malloc(all->n * sizeof *events);
	if (!events)
		return KT_ENOMEM;
	for (size_t k = 0; k < all->n; k++) {
		size_t start = k ? all->ends[k - 1] : 0;
		events[k].envelope = all->bytes.data + start;
		events[k].len = all->ends[k] - start;
		events[k].hash = c->hashes + k * KT_HASH_LEN;
	}
	int rc = kt_store_import(s, events, all->n, &res);
	free(events);
	if (!rc || res.problem[0] == 0)
		return rc;
	/* A refusal: the first event refused only because another process
	 * wrote first, or an event that breaks the store's own rules. */
	if (!kt_store_info(s, &info) && info.events) {
		c->rep->line = 0;
		snprintf(c->rep->problem, sizeof c->rep->problem,
			 "the store is no longer empty: another process wrote %llu events to it "
			 "meanwhile",
			 (unsigned long long)info.events);
		return KT_EEXIST;
	}
	c->rep->line = res.failed + 2;
	snprintf(c->rep->problem, sizeof c->rep->problem, "%s", res.problem);
	return rc;
}

int kt_evidence_import(kt_store *s, FILE *in, kt_evidence_tick_fn tick, void *ctx,
		       struct kt_evidence_report *rep)
{
	struct check c;
	struct collected all = { KT_BUF_INIT(SIZE_MAX), NULL, 0, 0 };
	struct kt_store_info info;
	int rc = check_init(&c, in, NULL, tick, ctx, rep);
	if (rc || (rc = kt_store_info(s, &info)))
		goto out;
	if (info.events) {
		snprintf(rep->problem, sizeof rep->problem,
			 "the store holds %llu events; evidence is imported into an empty store "
			 "only",
			 (unsigned long long)info.events);
		rc = KT_EEXIST;
		goto out;
	}
	c.collect = collect;
	c.collect_ctx = &all;
	if (!(rc = check_file(&c)) && all.n)
		rc = import_collected(s, &c, &all);
out:
	kt_buf_free(&all.bytes);
	free(all.ends);
	check_free(&c);
	return rc;
}
