/*
 * utf8.h — UTF-8 validation for the names kontroll stores (streams, types,
 * actors): what is written must be readable back as text by every consumer,
 * JSON included.
 */
#ifndef KONTROLL_UTF8_H
#define KONTROLL_UTF8_H

#include <stddef.h>

/* Non-zero when the n bytes at s are well-formed UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) with no NUL byte. */
int kt_utf8_valid(const char *s, size_t n);

#endif
