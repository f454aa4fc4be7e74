/*
 * evidence.h — the log as a file of evidence: export, verification without a
 * store, and import that rebuilds the same chain.
 *
 * An evidence file is JSON Lines, one object per line, each line ended by a
 * newline. Line 1 is the header, then one line per event in log order, the
 * event at position p on line p + 1:
 *
 *   {"format":"kontroll-evidence","version":1,"events":N,"head_hash":"HEX"}
 *   {"position":1,"hash":"HEX","id":…,"stream":…,"version":…,"type":…,
 *    "recorded":…,"effective":…,"actor":…,"correlation_id":…,
 *    "causation_id":…,"data":{…},"envelope":"BASE64"}
 *
 * The readable fields (id … data) are kt_event_to_json's rendering of the
 * envelope, for people and for tools; the envelope (standard base64 with
 * padding, of the exact stored bytes) is what the chain hashes, and hash is
 * the chain hash at the position (chain.h, lower-case hex). docs/cli.md
 * describes every field.
 *
 * Invariants: an export is a pure function of the log up to its last
 * position — nothing time-dependent, no store id, keys in this fixed order,
 * compact JSON — so the same log gives the same bytes, also after an import
 * into another store. A line is at most KT_EVIDENCE_LINE_MAX bytes, which no
 * valid event reaches (its data is at most 64 KiB of msgpack, and JSON
 * spends at most six bytes on one byte of it).
 *
 * Checking a file distinguishes a malformed line (KT_EJSON: not JSON, a
 * field missing, unknown or of the wrong kind, hex or base64 that is not)
 * from a damaged one (KT_ECORRUPT: well-formed but not the log it claims —
 * a readable field that differs from the envelope, an envelope that does not
 * decode, a position out of order, a chain hash that does not recompute, a
 * header that does not match the lines) and from a seal that does not hold
 * (KT_ESEAL). Every problem names the line (1 is the header) and the field.
 *
 * What it does not do: check the store's own invariants over the lines
 * (stream versions without gaps, ids stored once, recorded time never going
 * back). Those are kt_store_import's, which refuses an event that breaks
 * them, naming it, and writes nothing.
 */
#ifndef KONTROLL_EVIDENCE_H
#define KONTROLL_EVIDENCE_H

#include "kontroll/buf.h"
#include "kontroll/chain.h"
#include "kontroll/event.h"
#include "kontroll/store.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KT_EVIDENCE_FORMAT  "kontroll-evidence"
#define KT_EVIDENCE_VERSION 1
/* Longest line, newline excluded, that is read or written. */
#define KT_EVIDENCE_LINE_MAX (1024 * 1024)

/*
 * Append the header line (newline included) of an export of events events
 * whose last chain hash is head_hash (all zero for none) to out. Returns 0,
 * KT_ENOMEM, or KT_ETOOBIG from out's maximum.
 */
int kt_evidence_header(uint64_t events, const uint8_t head_hash[KT_HASH_LEN], struct kt_buf *out);

/*
 * Append the line (newline included) of one stored event to out: ev as a
 * reader decoded it (its position is the line's position) and raw its
 * stored bytes and chain hash (kt_iter_next_raw). Returns 0; KT_EMALFORMED
 * when the envelope's data or names cannot be rendered as JSON (damage the
 * store's verify would name); KT_ETOOBIG when the line would exceed
 * KT_EVIDENCE_LINE_MAX or out's maximum; KT_ENOMEM. On error out may hold
 * part of the line: reset it before reuse.
 */
int kt_evidence_event(const struct kt_event *ev, const struct kt_raw_event *raw,
		      struct kt_buf *out);

/*
 * Parse the header line, the len bytes at text without the newline, into
 * *events and head_hash. Returns 0, or KT_EJSON with why (why_len bytes,
 * NUL included) naming the field: not JSON, not the kontroll-evidence
 * format, a version this build does not read, a field missing or unknown.
 */
int kt_evidence_parse_header(const char *text, size_t len, uint64_t *events,
			     uint8_t head_hash[KT_HASH_LEN], char *why, size_t why_len);

/* One event line, parsed and checked against itself. */
struct kt_evidence_line {
	uint64_t position;	   /* the line's "position" */
	uint8_t hash[KT_HASH_LEN]; /* its "hash", as written: the chain is the
				      caller's to recompute */
	struct kt_event ev;	   /* the envelope decoded, position set; its
				      strings and data point into envelope */
	const uint8_t *envelope;   /* the envelope bytes (in the caller's buffer) */
	size_t len;
};

/*
 * Parse the event line at text (len bytes, without the newline) into *out:
 * every field present, none unknown, each of its kind; the envelope decoded
 * from base64 into envelope (the caller's KT_ENVELOPE_MAX bytes) and then
 * as an envelope; and every readable field equal to the envelope's, as
 * kt_evidence_event would render it. out borrows envelope until its next
 * use. Returns 0; KT_EJSON (malformed) or KT_ECORRUPT (the envelope does
 * not decode, or a readable field differs from it) with why naming the
 * field, e.g. "actor: 'x' but the envelope says 'y'"; KT_ENOMEM.
 */
int kt_evidence_parse_event(const char *text, size_t len, uint8_t envelope[KT_ENVELOPE_MAX],
			    struct kt_evidence_line *out, char *why, size_t why_len);

/* Called after each event line written or checked, with the events done
 * and the total (the export's, or the count the header declares). A
 * non-zero return stops the work, which then returns that value. */
typedef int (*kt_evidence_tick_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Write the evidence of the log up to position to (0: only the header) as
 * r's snapshot has it to out: the header and one line per event, streamed,
 * in constant memory. tick may be NULL. Returns 0; KT_ENOTFOUND when to is
 * beyond r's head; a read error for a damaged log; kt_evidence_event's
 * errors; errno when writing to out fails (out is flushed at the end); or
 * tick's value. On error out holds part of the export.
 */
int kt_evidence_export(kt_reader *r, uint64_t to, FILE *out, kt_evidence_tick_fn tick, void *ctx);

/* What checking an evidence file found. */
struct kt_evidence_report {
	uint64_t declared;		/* events the header declares */
	uint64_t events;		/* event lines checked and found sound */
	uint8_t head_hash[KT_HASH_LEN]; /* the chain hash recomputed at the last of them */
	uint64_t seals;			/* seals among them that hold */
	uint64_t sealed_position;	/* the latest position a seal pins; 0: none */
	int64_t sealed_at;		/* when that seal was made */
	uint64_t line;			/* line of the problem (1: the header); 0 when sound */
	char problem[240];		/* "field: what is wrong"; empty when sound */
};

/*
 * Check the evidence file read from in, with no store: every line parses and
 * agrees with itself (kt_evidence_parse_event); positions run 1, 2, 3, …;
 * the chain recomputed from the envelopes (kt_chain_next) gives each line's
 * hash; the header's count and head hash match the lines; the file ends with
 * a newline (else it was cut off). Every event of the stream kontroll-seals
 * must be a seal (seal.h) whose signature holds — against public_key, or
 * against the key each seal carries when public_key is NULL — and that pins
 * an earlier position with the hash recomputed there, so a rewrite of the
 * log before a seal is found even when the whole chain was recomputed. It
 * keeps 32 bytes per event in memory for that; otherwise it streams. tick
 * may be NULL. Returns 0 with rep filled; KT_EJSON, KT_ECORRUPT or KT_ESEAL
 * with rep->line and rep->problem naming the first problem; KT_ENOMEM;
 * errno on a read error; or tick's value.
 */
int kt_evidence_verify(FILE *in, const uint8_t *public_key, kt_evidence_tick_fn tick, void *ctx,
		       struct kt_evidence_report *rep);

/*
 * Import the evidence file read from in into the empty store s: check the
 * whole file first as kt_evidence_verify does (seals against their own
 * keys), keeping every envelope in memory, then write them all with one
 * kt_store_import, checking each chain hash, so the store gets the same
 * positions, envelopes and chain and writes nothing unless the whole file
 * is sound. Returns 0 with rep filled (rep->events imported; none for an
 * export of no events); KT_EEXIST when the store is not empty, or another
 * process wrote to it meanwhile; kt_evidence_verify's errors; on a refusal
 * of kt_store_import its error (KT_EVERSION, KT_EIDREUSED, KT_EDATE, …)
 * with rep->line and rep->problem naming the event's line; KT_EREADONLY;
 * an LMDB code.
 */
int kt_evidence_import(kt_store *s, FILE *in, kt_evidence_tick_fn tick, void *ctx,
		       struct kt_evidence_report *rep);

#endif
