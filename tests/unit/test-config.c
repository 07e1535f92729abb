/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config: secrets leave argv at once; allow_other brings default_permissions and others=. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

static void test_hide_secrets(void)
{
	char *argv[] = {
		g_strdup("ringfs"),    g_strdup("-o"),
		g_strdup("jwt=J.W.T"), g_strdup("-oclient_secret=S3,server=http://x"),
		g_strdup("-o"),	       g_strdup("notjwt=keep,rate_wait=5,jwt=J2"),
		g_strdup("/mnt"),      NULL,
	};
	int argc = G_N_ELEMENTS(argv) - 1;
	g_auto(GStrv) copy = config_hide_secrets(argc, argv);

	g_assert_cmpstr(argv[2], ==, "jwt=xxxxx");
	g_assert_cmpstr(argv[3], ==, "-oclient_secret=xx,server=http://x");
	g_assert_cmpstr(argv[5], ==, "notjwt=keep,rate_wait=5,jwt=xx");
	g_assert_cmpstr(argv[6], ==, "/mnt");
	/* the copy keeps the values, for the parser */
	g_assert_cmpint(g_strv_length(copy), ==, argc);
	g_assert_cmpstr(copy[2], ==, "jwt=J.W.T");
	g_assert_cmpstr(copy[3], ==, "-oclient_secret=S3,server=http://x");
	g_assert_cmpstr(copy[5], ==, "notjwt=keep,rate_wait=5,jwt=J2");
	for (int i = 0; i < argc; i++)
		g_free(argv[i]);
}

/* Parses "-o @opts /" with credentials from an empty config file. */
static RfsConfig *parse(const char *opts, struct fuse_args *args, GError **error)
{
	g_autofree char *dir = g_dir_make_tmp("ringfs-test-config-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "config", NULL);
	g_autofree char *all = g_strdup_printf(
		"config=%s,client_id=id,client_secret=s,jwt=j,server=http://sim%s%s", file,
		*opts ? "," : "", opts);
	char *argv[] = { "ringfs", "-o", all, "/", NULL };
	g_auto(GStrv) copy = config_hide_secrets(4, argv);

	g_assert_true(g_file_set_contents(file, "", 0, NULL));
	args->argc = 4;
	args->argv = copy;
	args->allocated = 0;
	RfsConfig *config = config_parse(4, copy, args, error);
	g_unlink(file);
	g_rmdir(dir);
	return config;
}

static gboolean has_arg(const struct fuse_args *args, const char *text)
{
	for (int i = 0; i < args->argc; i++)
		if (strstr(args->argv[i], text))
			return TRUE;
	return FALSE;
}

static void test_others(void)
{
	static const struct {
		const char *opts;
		RfsOthers may;
		mode_t mask;
		gboolean default_permissions;
	} rows[] = {
		{ "", RFS_OTHERS_NONE, 0777, FALSE },
		{ "others=read", RFS_OTHERS_READ, 0777, FALSE },
		{ "allow_other", RFS_OTHERS_NONE, 0700, TRUE },
		{ "allow_other,others=read", RFS_OTHERS_READ, 0777, TRUE },
		{ "allow_other,others=write", RFS_OTHERS_WRITE, 0777, TRUE },
		{ "allow_other,default_permissions", RFS_OTHERS_NONE, 0700, TRUE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct fuse_args args;
		g_autoptr(GError) error = NULL;
		g_autoptr(RfsConfig) config = parse(rows[i].opts, &args, &error);

		g_assert_no_error(error);
		g_assert_cmpint(config->others_may, ==, rows[i].may);
		g_assert_cmpint(config->mode_mask, ==, rows[i].mask);
		g_assert_cmpint(has_arg(&args, "default_permissions"), ==,
				rows[i].default_permissions);
		g_assert_cmpint(has_arg(&args, "allow_other"), ==, config->allow_other);
		fuse_opt_free_args(&args);
	}
}

static void test_others_bad(void)
{
	struct fuse_args args;
	g_autoptr(GError) error = NULL;
	g_autoptr(RfsConfig) config = parse("others=everyone", &args, &error);

	g_assert_null(config);
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_assert_cmpstr(error->message, ==, "others must be none, read or write: everyone");
	fuse_opt_free_args(&args);
}

/* Loads @text as a config file of @mode into a fresh configuration. */
static gboolean load(const char *text, mode_t mode, RfsConfig **out, GError **error)
{
	g_autofree char *copy = g_strdup(text);
	g_autoptr(RfsConfig) config = config_new();
	gboolean ok = config_load_text(config, copy, strlen(text), "cfg", mode, error);

	if (out)
		*out = g_steal_pointer(&config);
	return ok;
}

static void test_file_text(void)
{
	static const char *const bad[] = {
		"history_days=4294967396\n", /* wrapped to 100 before */
		"page_size=9223372036854775808\n",
		"cache_timeout=nan\n",
		"cache_timeout=inf\n",
		"cache_timeout=\n",
		"colour=blue\n",
		"client_id\n",
	};
	g_autoptr(RfsConfig) config = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(load("# c\r\nRC_APP_CLIENT_ID = 'id'\r\njwt=\"j\"\nhistory_days=30\n", 0600,
			   &config, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(config->client_id, ==, "id");
	g_assert_cmpstr(config->jwt, ==, "j");
	g_assert_cmpint(config->history_days, ==, 30);
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_false(load(bad[i], 0600, NULL, &error));
		g_assert_error(error, RFS_ERROR, EINVAL);
		g_clear_error(&error);
	}
	g_assert_false(load("jwt=j\n", 0644, NULL, &error)); /* a secret others can read */
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_clear_error(&error);

	/* a NUL: the rest of the file would be ignored without a word */
	char nul[] = "client_id=id\0jwt=j\n";
	g_autoptr(RfsConfig) other = config_new();
	g_assert_false(config_load_text(other, nul, sizeof(nul) - 1, "cfg", 0600, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_clear_error(&error);

	/* timeouts the daemon could not turn into microseconds */
	g_autoptr(RfsConfig) huge = NULL;
	g_assert_true(load("client_id=i\nclient_secret=s\njwt=j\ncache_timeout=1e300\n", 0600,
			   &huge, &error));
	huge->mountpoint = strdup("/mnt");
	g_assert_false(config_finish(huge, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_clear_error(&error);

	/* -o takes its numbers with sscanf: NaN must not get past the checks either */
	struct fuse_args args;
	g_autoptr(RfsConfig) nan = parse("cache_timeout=nan", &args, &error);
	g_assert_null(nan);
	g_assert_error(error, RFS_ERROR, EINVAL);
	fuse_opt_free_args(&args);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/config/hide-secrets", test_hide_secrets);
	g_test_add_func("/config/others", test_others);
	g_test_add_func("/config/others-bad", test_others_bad);
	g_test_add_func("/config/file-text", test_file_text);
	return g_test_run();
}
