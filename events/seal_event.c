/*
 * seal_event.c — the catalogue entry of seal.recorded (seal.h): a seal of the
 * hash chain as an event of the log.
 */
#include "kontroll/seal.h"

#include "kontroll/data.h"
#include "kontroll/error.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REQ  KT_FIELD_REQUIRED
#define LINE KT_FIELD_LINE

static const struct kt_field seal_fields[] = {
	{ .name = "position", .kind = KT_FIELD_INTEGER, .flags = REQ | KT_FIELD_RANGE, .min = 0,
	  .max = INT64_MAX },
	{ .name = "chain_hash", .kind = KT_FIELD_TEXT, .flags = REQ | LINE,
	  .max_len = 2 * KT_HASH_LEN },
	{ .name = "sealed_at", .kind = KT_FIELD_INTEGER, .flags = REQ },
	{ .name = "public_key", .kind = KT_FIELD_TEXT, .flags = REQ | LINE,
	  .max_len = 2 * KT_SEAL_PUBLIC_LEN },
	{ .name = "signature", .kind = KT_FIELD_TEXT, .flags = REQ | LINE,
	  .max_len = 2 * KT_SEAL_SIG_LEN },
};

/* The hex fields hold exactly their bytes; the reason names the field at
 * fault (schema.h). The signature itself is checked by verify, not here: a
 * payload with a wrong signature is well-formed, and is what verify must be
 * able to find and name. */
static int check_seal(const uint8_t *d, size_t n, char *why, size_t why_len)
{
	static const struct {
		const char *name;
		size_t bytes;
	} hex[] = { { "chain_hash", KT_HASH_LEN },
		    { "public_key", KT_SEAL_PUBLIC_LEN },
		    { "signature", KT_SEAL_SIG_LEN } };
	struct kt_seal seal;
	if (kt_seal_from_payload(d, n, &seal) == KT_OK)
		return KT_OK;
	size_t k = 0;
	for (; k < sizeof hex / sizeof hex[0]; k++) {
		const char *s;
		size_t len = 0, i = 0;
		if (kt_data_get_str(d, n, hex[k].name, &s, &len) == KT_OK)
			while (i < len && isxdigit((unsigned char)s[i]))
				i++;
		if (len != 2 * hex[k].bytes || i != len)
			break;
	}
	if (why && why_len) {
		if (k < sizeof hex / sizeof hex[0])
			snprintf(why, why_len, "%s: expected %zu hex digits", hex[k].name,
				 2 * hex[k].bytes);
		else
			snprintf(why, why_len, "not a readable seal");
	}
	return KT_EINVAL;
}

static const struct kt_schema seal_schema = {
	.type = KT_EV_SEAL_RECORDED,
	.fields = seal_fields,
	.n_fields = sizeof seal_fields / sizeof seal_fields[0],
	.check = check_seal,
};

const struct kt_schema *kt_seal_schema(const char *type, size_t len)
{
	return len == sizeof KT_EV_SEAL_RECORDED - 1 && memcmp(type, KT_EV_SEAL_RECORDED, len) == 0
		   ? &seal_schema
		   : NULL;
}
