/*
 * catalogue.h — every event type kontroll knows, across its catalogues
 * (inspections, incidents, goals, seals), for the code that must accept any of
 * them: the shared correction and retraction types, `kontroll append`'s
 * validation, and the listings that hide personal data.
 */
#ifndef KONTROLL_CATALOGUE_H
#define KONTROLL_CATALOGUE_H

#include "kontroll/buf.h"
#include "kontroll/schema.h"

#include <stddef.h>
#include <stdint.h>

/* The schema of the event type named by the len bytes at type, from any
 * catalogue, or NULL when no catalogue has it. Static. */
const struct kt_schema *kt_catalogue_schema(const char *type, size_t len);

/* Validate one payload of any catalogued type. Returns 0; KT_EINVAL with why
 * "type: 'x' is not a catalogued event type" or the schema's reason;
 * KT_EMALFORMED. why as in kt_schema_check. */
int kt_catalogue_check(const char *type, size_t type_len, const uint8_t *data, size_t len,
		       char *why, size_t why_len);

/*
 * Copy the payload of an event of the given type to out with every field its
 * schema marks KT_FIELD_PERSONAL left out; inside event.corrected the
 * replacement payload ("data") is treated the same way by its target_type.
 * *removed (may be NULL) gets the number of fields left out. A type no
 * catalogue knows is copied whole. Returns 0; KT_EMALFORMED for a payload
 * that is not one map; KT_ENOMEM or KT_ETOOBIG from out.
 */
int kt_catalogue_redact(const char *type, size_t type_len, const uint8_t *data, size_t len,
			struct kt_buf *out, size_t *removed);

#endif
