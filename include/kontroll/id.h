/*
 * id.h — event and aggregate identifiers: 16-byte UUIDs.
 *
 * New ids are UUID version 7 (RFC 9562): 48 bits of Unix time in
 * milliseconds, then a counter and random bits from libsodium's CSPRNG. They
 * sort in creation order, which keeps inserts into the store's id index at
 * the right edge of its B-tree instead of scattered across it. Random bytes
 * are drawn in blocks, so an id costs a fraction of libuuid's several system
 * calls. Within one process ids are strictly increasing even when the clock
 * steps back; a forked child starts afresh and never repeats its parent's.
 * Parsing and formatting use libuuid.
 */
#ifndef KONTROLL_ID_H
#define KONTROLL_ID_H

#include <stdint.h>

#define KT_ID_TEXT_LEN 36 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */

/* Fill out with a new UUIDv7. Returns 0, or KT_ENOMEM if libsodium or the
 * fork handler cannot be set up. Not thread-safe: one generator state per
 * process. */
int kt_id_generate(uint8_t out[16]);

/* Parse the canonical 36-character form (either case). Returns 0 or KT_EUUID;
 * out is untouched on error. */
int kt_id_parse(const char *text, uint8_t out[16]);

/* Write the lower-case canonical form and a terminating NUL into text. */
void kt_id_format(const uint8_t id[16], char text[KT_ID_TEXT_LEN + 1]);

/* Non-zero when all 16 bytes of id are zero (the nil UUID: "no id"). */
int kt_id_is_nil(const uint8_t id[16]);

#endif
