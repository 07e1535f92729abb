/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linked into every harness: libFuzzer's initialisation and the shared checks. */
#include "fuzz.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* A fatal GLib message (g_error, a warning made fatal) ends in SIGTRAP, which
 * libFuzzer does not catch: made an abort, so that the input is saved. */
static void trap_to_abort(int sig)
{
	(void)sig;
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	signal(SIGTRAP, trap_to_abort);
	return 0;
}

char *fuzz_cstring(const uint8_t *data, size_t size)
{
	return g_strndup((const char *)data, size);
}

void fuzz_check_piece(const char *piece, gsize max)
{
	gsize len = strlen(piece);

	g_assert_cmpuint(len, >=, 1);
	g_assert_cmpuint(len, <=, max);
	g_assert_cmpstr(piece, !=, ".");
	g_assert_cmpstr(piece, !=, "..");
	g_assert_true(piece[0] != '.');
	/* letters stay: valid UTF-8 in NFC, holding nothing a name cannot */
	g_assert_true(g_utf8_validate(piece, -1, NULL));
	g_autofree char *nfc = g_utf8_normalize(piece, -1, G_NORMALIZE_NFC);
	g_assert_cmpstr(nfc, ==, piece);
	for (const char *p = piece; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		g_assert_true(c != '/');
		g_assert_false(g_unichar_iscntrl(c));
		g_assert_true(g_unichar_type(c) != G_UNICODE_LINE_SEPARATOR &&
			      g_unichar_type(c) != G_UNICODE_PARAGRAPH_SEPARATOR);
	}
}

void fuzz_check_file_name(const char *name)
{
	gsize len = strlen(name);

	g_assert_cmpuint(len, >=, 1);
	g_assert_cmpuint(len, <=, 255);
	g_assert_cmpstr(name, !=, ".");
	g_assert_cmpstr(name, !=, "..");
	g_assert_null(strchr(name, '/'));
}
