/* SPDX-License-Identifier: GPL-2.0-or-later */
/* URL templates, editor scratch names and Glip's page tokens. */
#include "api.h"
#include "table.h"
#include "tree.h"

#include <string.h>

/* A node of no name with these ids and key, as tree.c makes them. */
static RfsNode *node_with(const char *aid, const char *eid, const char *key)
{
	RfsNode *node = g_malloc0(sizeof(RfsNode) + 1 + (key ? strlen(key) + 1 : 0));

	node->ids = tree_ids(aid, eid);
	if (key) {
		node->key_at = 1;
		strcpy(node->name + 1, key);
	}
	return node;
}

static void test_expand(void)
{
	g_autofree RfsNode *node = node_with("400131172008", "400131173008", "VoiceMail");
	g_autofree RfsNode *odd_node = node_with("400131172008", "400131173008", "a/b?c=d&e f");
	g_autofree RfsNode *no_ids = node_with(NULL, NULL, NULL);
	g_autofree char *plain = NULL, *odd = NULL, *defaults = NULL;

	plain = table_expand(
		"/restapi/v1.0/account/{a}/extension/{e}/message-store?messageType={key}", node);
	g_assert_cmpstr(plain, ==,
			"/restapi/v1.0/account/400131172008/extension/400131173008/"
			"message-store?messageType=VoiceMail");
	/* what the server says goes into a URL escaped: no path or query injection */
	odd = table_expand("/x/{key}", odd_node);
	g_assert_cmpstr(odd, ==, "/x/a%2Fb%3Fc%3Dd%26e%20f");
	/* no ids: the API's ~ (the caller's own), no key: empty */
	defaults = table_expand("/account/{a}/extension/{e}/{key}", no_ids);
	g_assert_cmpstr(defaults, ==, "/account/~/extension/~/");
}

static void test_scratch_names(void)
{
	static const char *const scratch[] = {
		".presence.json.swp",
		".goutputstream-4XZ2",
		"presence.json~",
		"4913",
		"#presence.json#",
		"sedAbC123",
		"x.tmp",
		"x.bak",
		"x.swx",
		".presence.json.Xy12Ab",
	};
	static const char *const real[] = { "presence.json", "+14155550100", "102",
					    "Voicemail.wav", "seda.json",    "a.swp.json" };

	for (gsize i = 0; i < G_N_ELEMENTS(scratch); i++)
		g_assert_true(table_is_scratch_name(scratch[i]));
	for (gsize i = 0; i < G_N_ELEMENTS(real); i++)
		g_assert_false(table_is_scratch_name(real[i]));
}

static void test_page_tokens(void)
{
	g_autofree char *first = api_with_page_token("https://h/glip/posts?recordCount=250", "t1");
	g_autofree char *again = api_with_page_token(first, "t 2/+");
	g_autofree char *bare = api_with_page_token("https://h/glip/chats", "x");

	g_assert_cmpstr(first, ==, "https://h/glip/posts?recordCount=250&pageToken=t1");
	/* the older token goes, the new one is escaped */
	g_assert_cmpstr(again, ==, "https://h/glip/posts?recordCount=250&pageToken=t%202%2F%2B");
	g_assert_cmpstr(bare, ==, "https://h/glip/chats?pageToken=x");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/names/expand", test_expand);
	g_test_add_func("/names/scratch", test_scratch_names);
	g_test_add_func("/names/page-tokens", test_page_tokens);
	return g_test_run();
}
