/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The content cache's memory of content types (cache.h): kept across instances, on disk. */
#include "cache.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

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

static void put(RfsCache *cache, const char *url, const char *bytes)
{
	g_autofree char *tmp = NULL;
	g_autoptr(GError) error = NULL;
	int fd = cache_begin(cache, url, &tmp, &error);

	g_assert_no_error(error);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, bytes, strlen(bytes)), ==, (gssize)strlen(bytes));
	close(fd);
	g_assert_true(cache_commit(cache, url, tmp, (goffset)strlen(bytes), &error));
	g_assert_no_error(error);
}

static void remove_tree(const char *path)
{
	GDir *dir = g_dir_open(path, 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		g_autofree char *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			remove_tree(child);
		else
			g_unlink(child);
	}
	if (dir)
		g_dir_close(dir);
	g_rmdir(path);
}

/*
 * Files go in, the least recently used goes when the cache is full, and the
 * cache is freed holding files. tests/meson.build runs this with
 * G_SLICE=always-malloc: freeing the index once handed the links, which live
 * inside each file's record, to GSlice, and glibc aborts on that at once.
 */
static void test_least_recently_used_goes_first(void)
{
	g_autofree char *dir = g_dir_make_tmp("ringfs-cache-XXXXXX", NULL);
	RfsCache *cache = cache_new(dir, 10);
	off_t size = 0;

	put(cache, URL_A, "aaaa");
	put(cache, URL_B, "bbbb");
	int fd = cache_open(cache, URL_A, &size); /* A is now the most recently used */
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(size, ==, 4);
	close(fd);
	put(cache, URL_A "?again", "cccc"); /* 12 bytes: over 10, B goes */
	g_assert_true(cache_lookup(cache, URL_A, &size));
	g_assert_false(cache_lookup(cache, URL_B, &size));
	g_assert_true(cache_lookup(cache, URL_A "?again", &size));
	cache_free(cache);

	cache = cache_new(dir, 10); /* a later mount finds what is on disk */
	g_assert_true(cache_lookup(cache, URL_A, &size));
	g_assert_cmpint(size, ==, 4);
	g_assert_false(cache_lookup(cache, URL_B, &size));
	cache_free(cache);
	remove_tree(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cache/types-kept-across-instances", test_types_kept_across_instances);
	g_test_add_func("/cache/torn-and-foreign-lines", test_torn_and_foreign_lines_are_ignored);
	g_test_add_func("/cache/least-recently-used-goes-first",
			test_least_recently_used_goes_first);
	return g_test_run();
}
