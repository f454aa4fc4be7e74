/*
 * scan_raw.c — the baseline of the evidence benchmark (scripts/bench.sh):
 * read every envelope of a store as export reads it, with no JSON work.
 *
 *   scan_raw DB [--chain]
 *
 * Opens the store read-only and walks the log with kt_iter_next_raw (which
 * decodes each envelope, as export's loop does), adding up the envelope
 * bytes so none of them goes unread; with --chain it also recomputes the
 * hash chain from the envelopes (kt_chain_next), the part of verify-export
 * that is not JSON. Prints
 *   RESULT scan chain=<0|1> events=<n> envelope_bytes=<sum> check=<byte sum mod 2^32> head=<hex|->
 * Exit 0, 1 when the store cannot be read, 2 on bad arguments.
 */
#define _POSIX_C_SOURCE 200809L
#include "kontroll/chain.h"
#include "kontroll/error.h"
#include "kontroll/store.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int chain = argc == 3 && strcmp(argv[2], "--chain") == 0;
	if (argc != 2 && !chain) {
		fprintf(stderr, "usage: scan_raw DB [--chain]\n");
		return 2;
	}
	kt_store *s = NULL;
	kt_reader *r = NULL;
	kt_iter *it = NULL;
	struct kt_event ev;
	struct kt_raw_event raw;
	uint8_t h[KT_HASH_LEN] = { 0 };
	uint64_t events = 0, bytes = 0;
	uint32_t check = 0;
	int rc = kt_store_create(&s);
	if (!rc)
		rc = kt_store_open(s, argv[1], KT_OPEN_READONLY);
	if (!rc)
		rc = kt_reader_begin(s, &r);
	if (!rc)
		rc = kt_iter_log(r, 1, 0, &it);
	while (!rc && (rc = kt_iter_next_raw(it, &ev, &raw)) == 0) {
		for (size_t k = 0; k < raw.len; k++)
			check += raw.envelope[k];
		if (chain)
			kt_chain_next(h, ev.position, raw.envelope, raw.len, h);
		bytes += raw.len;
		events++;
	}
	kt_iter_free(it);
	kt_reader_end(r);
	kt_store_close(s);
	if (rc != KT_ENOTFOUND) {
		fprintf(stderr, "scan_raw: %s: %s\n", argv[1], kt_strerror(rc));
		return 1;
	}
	printf("RESULT scan chain=%d events=%llu envelope_bytes=%llu check=%u head=", chain,
	       (unsigned long long)events, (unsigned long long)bytes, check);
	for (int k = 0; chain && k < KT_HASH_LEN; k++)
		printf("%02x", h[k]);
	puts(chain ? "" : "-");
	return 0;
}
