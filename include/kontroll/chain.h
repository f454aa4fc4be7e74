/*
 * chain.h — the hash chain over the log.
 *
 * h(0) is 32 zero bytes; h(n) = SHA-256(h(n-1) ‖ n as 8 bytes big-endian ‖
 * envelope bytes of position n). Changing, removing, inserting or reordering
 * any event changes every hash from that position on, so a hash published
 * once (a seal) pins the whole log before it.
 */
#ifndef KONTROLL_CHAIN_H
#define KONTROLL_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#define KT_HASH_LEN 32

/* Compute h(position) from prev = h(position - 1) and the envelope bytes.
 * out may alias prev. Cannot fail. */
void kt_chain_next(const uint8_t prev[KT_HASH_LEN], uint64_t position, const void *envelope,
		   size_t len, uint8_t out[KT_HASH_LEN]);

#endif
