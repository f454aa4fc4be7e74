/* chain.c — one link of the SHA-256 hash chain (libsodium). */
#include "kontroll/chain.h"

#include <sodium.h>

void kt_chain_next(const uint8_t prev[KT_HASH_LEN], uint64_t position, const void *envelope,
		   size_t len, uint8_t out[KT_HASH_LEN])
{
	uint8_t pos_be[8];
	for (int k = 0; k < 8; k++)
		pos_be[k] = (uint8_t)(position >> (56 - 8 * k));
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, prev, KT_HASH_LEN);
	crypto_hash_sha256_update(&st, pos_be, sizeof pos_be);
	crypto_hash_sha256_update(&st, envelope, len);
	crypto_hash_sha256_final(&st, out);
}
