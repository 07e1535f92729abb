/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A config file ($XDG_CONFIG_HOME/ringfs/config or -o config=) → the checked
 * configuration: config_load_text(), then config_finish() and the arithmetic
 * the daemon does with the timeouts it gives.
 */
#include "config.h"
#include "fuzz.h"

#include <errno.h>
#include <string.h>

static void check(const uint8_t *data, size_t size, mode_t mode)
{
	/* as load_file() has it: the bytes and a NUL after them */
	char *text = g_malloc(size + 1);
	g_autoptr(RfsConfig) config = config_new();
	g_autoptr(GError) error = NULL;

	memcpy(text, data, size);
	text[size] = '\0';
	config->mountpoint = strdup("/mnt"); /* what the command line gives */
	gboolean ok = config_load_text(config, text, size, "/fuzz/config", mode, &error);
	g_free(text);
	if (!ok) {
		g_assert_nonnull(error);
		g_assert_cmpint(error->code, ==, EINVAL);
		return;
	}
	g_assert_no_error(error);
	if (!config_finish(config, &error)) {
		g_assert_nonnull(error);
		g_assert_cmpint(error->code, ==, EINVAL);
		return;
	}
	/* what tree.c, api.c and http.c compute from a configuration that passed */
	gint64 cache_us = (gint64)(config->cache_timeout * G_USEC_PER_SEC);
	gint64 entry_us = (gint64)(config->entry_timeout * G_USEC_PER_SEC);
	gint64 attr_us = (gint64)(config->attr_timeout * G_USEC_PER_SEC);
	gint64 rate_us = (gint64)config->rate_wait * G_USEC_PER_SEC;
	g_assert_true(cache_us >= 0 && entry_us >= 0 && attr_us >= 0 && rate_us >= 0);
	g_assert_true(config->entry_timeout > 0 && config->attr_timeout > 0);
	g_assert_cmpint(config->page_size, >=, 1);
	g_assert_cmpint(config->page_size, <=, 1000);
	g_assert_cmpint(config->history_days, >=, 1);
	g_assert_true(g_str_has_prefix(config->server, "http"));
	g_assert_false(g_str_has_suffix(config->server, "/"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, 0100600); /* a private file: secrets allowed */
	check(data, size, 0100644); /* others may read it: secrets refused */
	return 0;
}
