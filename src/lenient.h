/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lenient JSON: what a server answers is parsed so that one bad record costs
 * only itself. Strict JSON first; when that fails, the text is repaired and
 * parsed again: invalid UTF-8 becomes U+FFFD, an integer too large for 64
 * bits becomes a string (ids stay ids, sizes are dropped by their readers),
 * and "\u0000" in a string is kept (JSON_ALLOW_NUL; C readers see the string
 * end there).
 */
#pragma once

#include "rfs.h"

/*
 * lenient_parse: the JSON value in @data, or NULL with @jerr set when even
 * the repaired text is no JSON. @repaired (may be NULL) tells whether a
 * repair was needed. (transfer full)
 */
json_t *lenient_parse(const char *data, gsize len, gboolean *repaired, json_error_t *jerr);
