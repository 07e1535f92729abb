/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The registry of rows (table_kinds) and the item-URL builder.
 *
 * Run as `test-table --rows`, it prints every row as "<name>\t<endpoint>"
 * (endpoint empty when the row names none) and exits: contrib/gen-operations.py
 * reads that list to check docs/operations.md against the C rows
 * (tests/test_operations_doc.py runs it), so the docs need no C parser.
 */
#include "table.h"

#include <stdio.h>
#include <string.h>

static GHashTable *kind_set(void)
{
	gsize n;
	const RfsKind *const *kinds = table_kinds(&n);
	GHashTable *set = g_hash_table_new(NULL, NULL);

	for (gsize i = 0; i < n; i++)
		g_hash_table_add(set, (gpointer)kinds[i]);
	return set;
}

/* Every row listed once, under a name of its own (logs and docs name rows by it). */
static void test_rows_once(void)
{
	gsize n;
	const RfsKind *const *kinds = table_kinds(&n);
	g_autoptr(GHashTable) set = kind_set();
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);

	g_assert_cmpuint(n, >, 50);
	g_assert_cmpuint(g_hash_table_size(set), ==, n);
	for (gsize i = 0; i < n; i++) {
		g_assert_nonnull(kinds[i]->name);
		g_assert_cmpstr(kinds[i]->name, !=, "");
		if (!g_hash_table_add(names, (gpointer)kinds[i]->name))
			g_error("two rows are named %s", kinds[i]->name);
	}
	g_assert_true(g_hash_table_contains(set, table_root_kind()));
	g_assert_true(g_hash_table_contains(set, table_scratch_kind()));
}

/* What the tree relies on of each row. */
static void test_rows_consistent(void)
{
	gsize n;
	const RfsKind *const *kinds = table_kinds(&n);
	g_autoptr(GHashTable) set = kind_set();

	for (gsize i = 0; i < n; i++) {
		const RfsKind *k = kinds[i];

		g_test_message("row %s", k->name);
		if (k->type == RFS_NODE_DIR) {
			g_assert_cmpint(k->content, ==, RFS_CONTENT_NONE);
			g_assert_true(k->list || k->parent_fills);
		} else if (k->type == RFS_NODE_FILE) {
			g_assert_cmpint(k->content, !=, RFS_CONTENT_NONE);
			g_assert_null(k->list);
			g_assert_null(k->create);
		} else {
			g_assert_cmpint(k->content, ==, RFS_CONTENT_NONE);
		}
		if (k->item)
			g_assert_true(g_hash_table_contains(set, k->item));
		if (k->sends_once || k->send_on_create || k->keep_after_send)
			g_assert_nonnull(k->commit);
		if (k->shares_record)
			g_assert_nonnull(k->remove);
		if (k->content == RFS_CONTENT_MEDIA)
			g_assert_true(k->immutable);
		if (k->endpoint)
			g_assert_true(g_str_has_prefix(k->endpoint, "/restapi/") ||
				      g_str_has_prefix(k->endpoint, "/team-messaging/v1/") ||
				      g_str_has_prefix(k->endpoint, "/rcvideo/"));
	}
	g_assert_cmpint(table_root_kind()->type, ==, RFS_NODE_DIR);
	g_assert_cmpint(table_scratch_kind()->type, ==, RFS_NODE_FILE);
}

static void test_item_url(void)
{
	g_autofree char *plain = table_item_url("/restapi/v1.0/subscription", "42");
	g_autofree char *odd = table_item_url("/x", "a/b?c=d&e f");

	g_assert_cmpstr(plain, ==, "/restapi/v1.0/subscription/42");
	/* an id from the server never becomes a path or a query */
	g_assert_cmpstr(odd, ==, "/x/a%2Fb%3Fc%3Dd%26e%20f");
}

static int print_rows(void)
{
	gsize n;
	const RfsKind *const *kinds = table_kinds(&n);

	for (gsize i = 0; i < n; i++)
		printf("%s\t%s\n", kinds[i]->name, kinds[i]->endpoint ? kinds[i]->endpoint : "");
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--rows") == 0)
		return print_rows();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/table/rows-once", test_rows_once);
	g_test_add_func("/table/rows-consistent", test_rows_consistent);
	g_test_add_func("/table/item-url", test_item_url);
	return g_test_run();
}
