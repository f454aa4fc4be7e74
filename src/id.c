/*
 * id.c — UUIDv7 generation (libsodium randomness) and libuuid text forms.
 *
 * Layout of a v7 id: unix_ts_ms (48 bits) | ver=7 (4) | rand_a (12) |
 * var=10 (2) | rand_b (62). rand_a is used as a counter within one
 * millisecond (RFC 9562 §6.2, method 1) so ids from one process are strictly
 * increasing; when it overflows, or the clock steps back, the timestamp is
 * advanced past the last one used instead.
 */
#define _POSIX_C_SOURCE 200809L
#include "kontroll/id.h"

#include "kontroll/error.h"

#include <sodium.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

static uint64_t last_ms;
static uint32_t counter; /* 12 bits used */
static int sodium_ready;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int kt_id_generate(uint8_t out[16])
{
	if (!sodium_ready) {
		if (sodium_init() < 0)
			return KT_ENOMEM;
		sodium_ready = 1;
	}
	uint8_t rnd[10];
	randombytes_buf(rnd, sizeof rnd);

	uint64_t ms = now_ms();
	if (ms > last_ms) {
		last_ms = ms;
		counter = (uint32_t)(rnd[0] & 0x07) << 8 | rnd[1]; /* start low: room to count */
	} else if (++counter > 0x0fff) {
		last_ms++;
		counter = 0;
	}
	for (int k = 0; k < 6; k++)
		out[k] = (uint8_t)(last_ms >> (40 - 8 * k));
	out[6] = (uint8_t)(0x70 | (counter >> 8));
	out[7] = (uint8_t)counter;
	out[8] = (uint8_t)(0x80 | (rnd[2] & 0x3f));
	memcpy(out + 9, rnd + 3, 7);
	return KT_OK;
}

int kt_id_parse(const char *text, uint8_t out[16])
{
	uuid_t u;
	if (strlen(text) != KT_ID_TEXT_LEN || uuid_parse(text, u) != 0)
		return KT_EUUID;
	memcpy(out, u, 16);
	return KT_OK;
}

void kt_id_format(const uint8_t id[16], char text[KT_ID_TEXT_LEN + 1])
{
	uuid_unparse_lower(id, text);
}

int kt_id_is_nil(const uint8_t id[16])
{
	static const uint8_t nil[16];
	return memcmp(id, nil, 16) == 0;
}
