/*
 * chain.c — one link of the SHA-256 hash chain.
 *
 * The hash is computed with nettle rather than libsodium: nettle uses the
 * CPU's SHA instructions where present (detected at run time), which makes
 * this, the largest CPU cost of an append, about four times faster (see
 * docs/performance.md). The digest is the same SHA-256 either way.
 */
#include "kontroll/chain.h"

#include <nettle/sha2.h>

void kt_chain_next(const uint8_t prev[KT_HASH_LEN], uint64_t position, const void *envelope,
		   size_t len, uint8_t out[KT_HASH_LEN])
{
	uint8_t pos_be[8];
	for (int k = 0; k < 8; k++)
		pos_be[k] = (uint8_t)(position >> (56 - 8 * k));
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, KT_HASH_LEN, prev);
	sha256_update(&ctx, sizeof pos_be, pos_be);
	sha256_update(&ctx, len, envelope);
	sha256_digest(&ctx, KT_HASH_LEN, out);
}
