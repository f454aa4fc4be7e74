/* wording.c — matching people's words against a catalogue's lists (wording.h). */
#include "kontroll/wording.h"

#include <string.h>

unsigned char kt_word_fold(const char *s, size_t k)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[k];
	if (c == '-' || c == ' ')
		return '_';
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A' + 'a');
	/* U+00C0–U+00DE are C3 80–9E; their small letters are C3 A0–BE.
	 * C3 97 is ×, which has none. */
	if (k > 0 && u[k - 1] == 0xc3 && c >= 0x80 && c <= 0x9e && c != 0x97)
		return (unsigned char)(c + 0x20);
	return c;
}

int kt_words_equal(const char *a, const char *b)
{
	size_t k = 0;
	for (; a[k] && b[k]; k++)
		if (kt_word_fold(a, k) != kt_word_fold(b, k))
			return 0;
	return a[k] == b[k];
}

int kt_wording_by_key(const struct kt_wording *w, int n, const char *key, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(w[i].key) == len && memcmp(w[i].key, key, len) == 0)
			return i;
	return -1;
}

int kt_wording_parse(const struct kt_wording *w, int n, const char *text)
{
	if (!text)
		return -1;
	for (int i = 0; i < n; i++)
		if (kt_words_equal(text, w[i].key) || kt_words_equal(text, w[i].name) ||
		    (w[i].other && kt_words_equal(text, w[i].other)))
			return i;
	return -1;
}
