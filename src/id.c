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

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

/*
 * Random bytes come from libsodium in blocks: its generator makes one
 * getrandom() system call per request, which would otherwise be most of the
 * cost of an id. A forked child must never reuse the parent's bytes or
 * counter — its ids would repeat the parent's — so a fork handler empties
 * the pool and restarts the counter in the child.
 */
enum { RANDOM_PER_ID = 10, POOL_SIZE = 4000 };

static uint8_t pool[POOL_SIZE];
static size_t pool_left;
static uint64_t last_ms;
static uint32_t counter; /* 12 bits used */
static int ready;

static void forget_in_child(void)
{
	pool_left = 0;
	last_ms = 0;
}

static int init_once(void)
{
	if (ready)
		return KT_OK;
	if (sodium_init() < 0 || pthread_atfork(NULL, NULL, forget_in_child) != 0)
		return KT_ENOMEM;
	ready = 1;
	return KT_OK;
}

static const uint8_t *take_random(void)
{
	if (pool_left < RANDOM_PER_ID) {
		randombytes_buf(pool, sizeof pool);
		pool_left = sizeof pool;
	}
	const uint8_t *r = pool + sizeof pool - pool_left;
	pool_left -= RANDOM_PER_ID;
	return r;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int kt_id_generate(uint8_t out[16])
{
	int rc = init_once();
	if (rc)
		return rc;
	const uint8_t *rnd = take_random();

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
