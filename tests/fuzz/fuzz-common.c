/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linked into every harness: libFuzzer's initialisation and the shared checks. */
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
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
	for (const char *p = piece; *p; p++)
		g_assert_true(g_ascii_isalnum(*p) || strchr("+@._-", *p));
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
