/*
 * wording.h — the words people use for the values of a catalogue's lists:
 * each value has its stored key ("vold_trusler"), the name a person reads
 * ("vold og trusler") and perhaps another common form ("vold"). The
 * catalogues in events/ hold the tables; this module matches text against
 * them. It keeps no state and never allocates.
 */
#ifndef KONTROLL_WORDING_H
#define KONTROLL_WORDING_H

#include <stddef.h>

struct kt_wording {
	const char *key;   /* the catalogue value */
	const char *name;  /* as a person reads it */
	const char *other; /* another wording people use, or NULL */
};

/* The index in w (n entries) whose key is exactly the len bytes at key (a
 * stored value), or -1. */
int kt_wording_by_key(const struct kt_wording *w, int n, const char *key, size_t len);

/* The index in w whose key, name or other form equals text, NUL-terminated,
 * as kt_words_equal compares; -1 when none does or text is NULL. */
int kt_wording_parse(const struct kt_wording *w, int n, const char *text);

/* Non-zero when the NUL-terminated a and b are the same words: ASCII letters
 * and the Latin-1 capitals of UTF-8 (Æ Ø Å É …) without regard to case, and
 * '-', ' ' and '_' all alike ("Pasient- og brukersikkerhet" is
 * "pasient__og_brukersikkerhet"). */
int kt_words_equal(const char *a, const char *b);

/* The byte s[k] as kt_words_equal compares it (s[k - 1] is read for the
 * capitals of two bytes), for matching words within a text. */
unsigned char kt_word_fold(const char *s, size_t k);

#endif
