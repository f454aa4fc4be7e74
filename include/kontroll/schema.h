/*
 * schema.h — table-driven validation of event payloads.
 *
 * An event's data is one msgpack map with text keys (struct kt_event.data).
 * A schema describes the map an event type carries: a static const table of
 * fields, each with a name, a kind, whether it is required, and the limits of
 * its kind; plus an optional check function for rules that tie fields
 * together ("exactly one of order and finding", "date_to not before
 * date_from"). The catalogues in events/ define the schemas; this module only
 * applies them.
 *
 * What a payload that passes kt_schema_check satisfies:
 * - it is exactly one map, nothing after it, every key text and given once;
 * - every key is a field of the schema (unknown fields are errors, so a typo
 *   is caught at the edge instead of being stored and ignored forever);
 * - every required field is present; nil is never a value (leave an optional
 *   field out instead), so there is one way to say "absent";
 * - every value has its field's kind and keeps to its limits (below);
 * - the schema's check function, if any, accepted the whole map.
 *
 * What it does not do: rules that need the state of an aggregate (an order on
 * a closed inspection, a finding that must exist) belong to the command
 * layer. It never allocates and reads msgpack only through the bounded reader
 * (mpread.h), so any bytes are safe to give it.
 */
#ifndef KONTROLL_SCHEMA_H
#define KONTROLL_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

/* Most fields one schema may have (a bit set tracks which were seen). */
#define KT_SCHEMA_FIELDS_MAX 64
/* Defaults where a field leaves max_len or max_items at 0. */
#define KT_SCHEMA_TEXT_MAX  4000
#define KT_SCHEMA_ITEMS_MAX 100
/* Longest value quoted back in a why message; longer ones are cut with "…".
 * KT_SCHEMA_QUOTE_SIZE is the room kt_schema_quote needs, NUL included. */
#define KT_SCHEMA_QUOTE_MAX  40
#define KT_SCHEMA_QUOTE_SIZE (KT_SCHEMA_QUOTE_MAX + 4)

enum kt_field_kind {
	/* msgpack str, valid UTF-8 (kt_utf8_valid: no NUL), not blank, at
	 * most max_len bytes; no control characters except tab, line feed and
	 * carriage return (none at all with KT_FIELD_LINE). */
	KT_FIELD_TEXT,
	/* msgpack str "YYYY-MM-DD" naming a day that exists (kt_time_parse's
	 * rules: years 1900–9999, leap years right). */
	KT_FIELD_DATE,
	/* msgpack str equal to one of values (byte for byte, case matters). */
	KT_FIELD_ENUM,
	/* msgpack true or false. */
	KT_FIELD_BOOL,
	/* msgpack integer that fits int64_t; within [min, max] with
	 * KT_FIELD_RANGE. A float is not an integer, not even 3.0. */
	KT_FIELD_INTEGER,
	/* msgpack integer or finite float; within [min, max] with
	 * KT_FIELD_RANGE. */
	KT_FIELD_NUMBER,
	/* msgpack array of at most max_items texts, each one as KT_FIELD_TEXT
	 * with max_len; the array may be empty. */
	KT_FIELD_TEXTS,
	/* msgpack array of at most max_items integers, each one as
	 * KT_FIELD_INTEGER within [min, max] with KT_FIELD_RANGE; the array
	 * may not be empty (the seed's line numbers an event comes from). */
	KT_FIELD_INTEGERS,
	/* msgpack str holding a UUID in its canonical 36-character form
	 * (either case), as kt_id_parse reads it. */
	KT_FIELD_ID,
	/* any msgpack map with text keys, nested no deeper than
	 * KT_MP_MAX_DEPTH; its contents are the check function's business
	 * (a correction's replacement payload). */
	KT_FIELD_OBJECT,
};

/* Field flags. */
#define KT_FIELD_REQUIRED 1u /* absent is an error: "<name>: required" */
#define KT_FIELD_LINE	  2u /* text: one line, no control characters at all */
#define KT_FIELD_RANGE	  4u /* integer, number: min <= value <= max */
/* May hold personal data (names, health details): listings leave the field
 * out unless asked to include it (catalogue.h, kt_catalogue_redact). The
 * validator ignores the flag. */
#define KT_FIELD_PERSONAL 8u

struct kt_field {
	const char *name; /* the map key, NUL-terminated */
	enum kt_field_kind kind;
	unsigned flags;		   /* KT_FIELD_* */
	size_t max_len;		   /* text, texts (each item): most bytes; 0: the default */
	uint32_t max_items;	   /* texts, integers: most items; 0: the default */
	const char *const *values; /* enum: the allowed values, NULL-terminated */
	int64_t min;		   /* integer(s), number with KT_FIELD_RANGE */
	int64_t max;
};

/*
 * A cross-field rule, called by kt_schema_check only after every field passed
 * its own checks, so it may read fields with data.h and trust their kinds.
 * Returns 0, or KT_EINVAL with a one-line reason in why (which may be NULL
 * when why_len is 0) naming the field at fault.
 */
typedef int (*kt_schema_check_fn)(const uint8_t *data, size_t len, char *why, size_t why_len);

struct kt_schema {
	const char *type; /* the event type it validates, e.g. "finding.recorded" */
	const struct kt_field *fields;
	size_t n_fields;	  /* at most KT_SCHEMA_FIELDS_MAX */
	kt_schema_check_fn check; /* NULL: no cross-field rules */
};

/*
 * Validate the len bytes at data against schema. Returns 0 (and sets why to
 * ""); KT_EINVAL when the bytes are well-formed msgpack that the schema
 * refuses; KT_EMALFORMED when they are not well-formed msgpack (truncated,
 * a reserved byte, nesting too deep, trailing bytes after the map). On error
 * why receives one line naming the field, as a user would see it:
 *   "deadline: '2026-02-30' is not a date (YYYY-MM-DD)"
 *   "kind: 'foo' is not one of lovbrudd, avvik, merknad, forbedringspunkt"
 *   "text: required"            "colour: unknown field"
 *   "amount: expected a number, got text"
 * Values quoted back are cut at KT_SCHEMA_QUOTE_MAX bytes, and bytes that
 * would break the line or are not UTF-8 are shown as '?'. Problems are
 * reported in a fixed order: fields in the order they occur in the map, then
 * missing required fields in schema order, then the check function. why is
 * truncated to why_len (NUL included); it may be NULL when why_len is 0.
 * Never reads outside [data, data + len); never allocates.
 */
int kt_schema_check(const struct kt_schema *schema, const uint8_t *data, size_t len, char *why,
		    size_t why_len);

/*
 * Write a printable copy of the n bytes at s into out, for quoting a value in
 * a one-line message: at most KT_SCHEMA_QUOTE_MAX bytes, cut on a character
 * boundary and then followed by "…"; control characters and bytes that are not
 * UTF-8 become '?'. Returns out. s need not be NUL-terminated.
 */
const char *kt_schema_quote(char out[KT_SCHEMA_QUOTE_SIZE], const char *s, size_t n);

/* The field called name (NUL-terminated) in schema, or NULL. */
const struct kt_field *kt_schema_field(const struct kt_schema *schema, const char *name);

#endif
