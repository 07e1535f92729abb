/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rate-limit headers (Retry-After, X-Rate-Limit-Window, X-Rate-Limit-Limit)
 * → seconds or counts: errmap_header_seconds(), with the bounds pacer.c and api.c use,
 * and the arithmetic they then do with the result.
 */
#include "errmap.h"
#include "fuzz.h"

#include <string.h>

static const struct {
	gint64 dflt, max;
} uses[] = {
	{ 60, 3600 },	/* Retry-After of a 429, default the window */
	{ 0, 30 },	/* Retry-After of a 5xx */
	{ 60, 3600 },	/* X-Rate-Limit-Window */
	{ 40, 100000 }, /* X-Rate-Limit-Limit */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *value = fuzz_cstring(data, size);
	gsize digits = 0;
	gint64 n = 0;

	while (g_ascii_isdigit(value[digits]) && digits <= 12)
		n = n * 10 + (value[digits++] - '0');

	for (gsize i = 0; i < G_N_ELEMENTS(uses); i++) {
		gint64 v = errmap_header_seconds(value, uses[i].dflt, uses[i].max);

		g_assert_true(v == uses[i].dflt || (v >= 1 && v <= uses[i].max));
		/* a number from the server never overflows the µs api.c makes of it */
		g_assert_cmpint(v, <=, G_MAXINT64 / G_USEC_PER_SEC);
		if (digits > 0 && digits == strlen(value) && digits <= 12 && n > 0)
			g_assert_cmpint(v, ==, MIN(n, uses[i].max)); /* a plain number, as it is */
	}
	g_assert_cmpint(errmap_header_seconds(NULL, 7, 30), ==, 7);
	return 0;
}
