/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lenient JSON parsing of server answers (see lenient.h). */
#include "lenient.h"

#include <string.h>

#define INT64_DIGITS 19 /* 9223372036854775807 */

/* An integer token that does not fit in 64 bits (jansson refuses the whole text). */
static gboolean too_big(const char *p, gsize len)
{
	gsize digits = len - (*p == '-');
	const char *d = p + (*p == '-');

	if (digits < INT64_DIGITS)
		return FALSE;
	if (digits > INT64_DIGITS)
		return TRUE;
	return strncmp(d, *p == '-' ? "9223372036854775808" : "9223372036854775807", digits) > 0;
}

/* @text with over-large integers outside strings quoted. (transfer full) */
static GString *quote_big_integers(const char *text, gsize len)
{
	GString *out = g_string_sized_new(len + 16);
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len;) {
		char c = text[i];
		if (in_string) {
			g_string_append_c(out, c);
			if (c == '\\' && i + 1 < len)
				g_string_append_c(out, text[++i]);
			else if (c == '"')
				in_string = FALSE;
			i++;
			continue;
		}
		if (c == '"') {
			in_string = TRUE;
			g_string_append_c(out, c);
			i++;
			continue;
		}
		if (c == '-' || g_ascii_isdigit(c)) {
			gsize end = i + 1;
			while (end < len && g_ascii_isdigit(text[end]))
				end++;
			gboolean integer = end >= len || !strchr(".eE", text[end]);
			if (integer && too_big(text + i, end - i)) {
				g_string_append_c(out, '"');
				g_string_append_len(out, text + i, (gssize)(end - i));
				g_string_append_c(out, '"');
			} else {
				g_string_append_len(out, text + i, (gssize)(end - i));
			}
			i = end;
			continue;
		}
		g_string_append_c(out, c);
		i++;
	}
	return out;
}

json_t *lenient_parse(const char *data, gsize len, gboolean *repaired, json_error_t *jerr)
{
	json_t *root = json_loadb(data ? data : "", len, JSON_ALLOW_NUL, jerr);

	if (repaired)
		*repaired = FALSE;
	if (root || !data)
		return root;
	/* g_utf8_make_valid stops at nothing: NUL bytes (invalid in JSON text) become U+FFFD */
	g_autofree char *valid = g_utf8_make_valid(data, (gssize)len);
	g_autoptr(GString) fixed = quote_big_integers(valid, strlen(valid));
	json_error_t second;
	root = json_loadb(fixed->str, fixed->len, JSON_ALLOW_NUL, &second);
	if (root && repaired)
		*repaired = TRUE;
	return root;
}
