/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The content cache's memory of content types (cache.h): kept across instances, on disk. */
#include "cache.h"

#include <glib/gstdio.h>
#include <string.h>

#define URL_A "https://media.example/restapi/v1.0/account/1/recording/7/content"
#define URL_B "https://media.example/restapi/v1.0/account/1/recording/8/content"

static char *types_file(const char *dir)
{
	return g_build_filename(dir, "content", "types", NULL);
}

static void test_types_kept_across_instances(void)
{
	g_autofree char *dir = g_dir_make_tmp("ringfs-cache-XXXXXX", NULL);
	RfsCache *cache = cache_new(dir, 1 << 20);

	g_assert_null(cache_type(cache, URL_A));
	cache_set_type(cache, URL_A, "audio/mpeg");
	cache_set_type(cache, URL_A, "audio/mpeg"); /* known: not written again */
	cache_set_type(cache, URL_B, "audio/wav");
	cache_set_type(cache, URL_B, "bad type"); /* not one token: not kept */
	g_autofree char *a = cache_type(cache, URL_A);
	g_assert_cmpstr(a, ==, "audio/mpeg");
	cache_free(cache);

	/* a later mount reads them from the file: two lines, nothing else */
	g_autofree char *path = types_file(dir);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 3); /* two lines and the empty rest */
	cache = cache_new(dir, 1 << 20);
	g_autofree char *a2 = cache_type(cache, URL_A);
	g_autofree char *b2 = cache_type(cache, URL_B);
	g_assert_cmpstr(a2, ==, "audio/mpeg");
	g_assert_cmpstr(b2, ==, "audio/wav");
	cache_free(cache);
	g_unlink(path);
	g_autofree char *content = g_build_filename(dir, "content", NULL);
	g_rmdir(content);
	g_rmdir(dir);
}

static void test_torn_and_foreign_lines_are_ignored(void)
{
	g_autofree char *dir = g_dir_make_tmp("ringfs-cache-XXXXXX", NULL);
	g_autofree char *content = g_build_filename(dir, "content", NULL);
	g_autofree char *path = types_file(dir);
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, URL_A, -1);
	g_autofree char *text =
		g_strdup_printf("garbage\n%.20s audio/mpeg\n%s audio/wav\n%s", hash, hash, hash);

	g_assert_cmpint(g_mkdir_with_parents(content, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	RfsCache *cache = cache_new(dir, 1 << 20);
	g_autofree char *a = cache_type(cache, URL_A);
	g_autofree char *b = cache_type(cache, URL_B);
	g_assert_cmpstr(a, ==, "audio/wav"); /* the whole line; the torn last one is not a type */
	g_assert_null(b);
	cache_free(cache);
	g_unlink(path);
	g_rmdir(content);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cache/types-kept-across-instances", test_types_kept_across_instances);
	g_test_add_func("/cache/torn-and-foreign-lines", test_torn_and_foreign_lines_are_ignored);
	return g_test_run();
}
