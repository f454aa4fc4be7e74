/* utf8.c — strict UTF-8 validation (RFC 3629, table 3-7 of Unicode). */
#include "kontroll/utf8.h"

#include <stdint.h>

int kt_utf8_valid(const char *text, size_t n)
{
	const uint8_t *s = (const uint8_t *)text;
	size_t k = 0;
	while (k < n) {
		uint8_t c = s[k];
		size_t len;
		uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
		if (c == 0)
			return 0;
		if (c < 0x80) {
			k++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0; /* no overlong forms */
			if (c == 0xed)
				hi = 0x9f; /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;
			if (c == 0xf4)
				hi = 0x8f; /* nothing above U+10FFFF */
		} else {
			return 0;
		}
		if (n - k < len || s[k + 1] < lo || s[k + 1] > hi)
			return 0;
		for (size_t j = 2; j < len; j++)
			if (s[k + j] < 0x80 || s[k + j] > 0xbf)
				return 0;
		k += len;
	}
	return 1;
}
