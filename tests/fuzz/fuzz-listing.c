/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A page of a listing, read as api_get_json() reads it (lenient_parse) and
 * handed on record by record as api_list() does → the next page's URL of a
 * token (api_with_page_token) and the entries and names the rows make: messages of
 * every type (rows-messages.c), the call log by day and recordings
 * (rows-calls.c), contacts (rows-contacts.c). The per-record functions are
 * static there and need no tree: the harness compiles those files itself, and
 * its copies of their functions take the place of the core library's.
 */
#include "rows-messages.c"
#include "rows-calls.c"
#include "rows-contacts.c"

#include "api.h"
#include "fuzz.h"
#include "lenient.h"
#include "pack.h"

static void check_entries(GPtrArray *entries, int depth)
{
	g_assert_cmpint(depth, <=, 2);
	for (guint i = 0; i < entries->len; i++) {
		RfsEntry *e = g_ptr_array_index(entries, i);

		fuzz_check_file_name(e->name);
		g_assert_nonnull(e->kind);
		if (e->kind->content == RFS_CONTENT_MEDIA) {
			g_assert_nonnull(e->url);
			/* media never shows size 0, nor more than a download may hold */
			g_assert_cmpint(e->estimate, >, 0);
			g_assert_cmpint(e->estimate, <=, RFS_MAX_CONTENT + 44);
		}
		if (e->kind->type == RFS_NODE_LINK) /* a call's recording: relative, one name */
			g_assert_true(e->target &&
				      g_str_has_prefix(e->target, "../../recordings/") &&
				      !strchr(e->target + strlen("../../recordings/"), '/'));
		if (e->pretty_size) { /* a packed record unpacks to JSON that renders to its size */
			g_autoptr(GBytes) json = pack_unpack(e->content);
			g_assert_nonnull(json);
			g_autoptr(json_t) record =
				json_loadb(g_bytes_get_data(json, NULL), g_bytes_get_size(json),
					   JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL);
			g_assert_nonnull(record);
			g_autoptr(GBytes) pretty = render_json(record);
			g_assert_cmpuint(g_bytes_get_size(pretty), ==, e->pretty_size);
		}
		if (e->children)
			check_entries(e->children, depth + 1);
	}
}

static GPtrArray *entries_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
}

static void list(json_t *records)
{
	g_autoptr(GPtrArray) messages = entries_new();
	g_autoptr(GPtrArray) calls = entries_new();
	g_autoptr(GPtrArray) recordings = entries_new();
	g_autoptr(GPtrArray) contacts = entries_new();
	g_autoptr(GHashTable) peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) days = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	MessageListing ml = { NULL, messages, peers, FALSE };
	g_autoptr(GString) csv = g_string_new(render_calls_csv_header());
	CallListing cl = { NULL, calls, days, csv, 0 };
	RecordingListing rl = { NULL, recordings };
	ContactListing col = { contacts,
			       "/restapi/v1.0/account/1/extension/2/address-book/contact" };
	json_t *record;
	size_t i;

	json_array_foreach (records, i, record) {
		if (!json_is_object(record))
			continue; /* as api_list() does */
		g_assert_true(each_message(record, &ml, NULL));
		g_assert_true(each_call(record, &cl, NULL));
		g_assert_true(each_recording(record, &rl, NULL));
		g_assert_true(each_contact(record, &col, NULL));
	}
	check_entries(messages, 0);
	check_entries(calls, 0);
	/* calls.csv: the header, then one CRLF-ended row per call */
	g_assert_true(g_str_has_suffix(csv->str, "\r\n"));
	check_entries(recordings, 0);
	check_entries(contacts, 0);
}

/* Glip pages by token: the next page's URL keeps the query and holds one pageToken. */
static void check_page_token(const json_t *root)
{
	const json_t *nav = json_object_get(root, "navigation");
	const char *token = json_string_value(json_object_get(nav, "nextPageToken"));

	if (!token)
		return;
	g_autofree char *next = api_with_page_token(
		"https://x/restapi/v1.0/glip/posts?recordCount=250&pageToken=a&", token);
	g_autofree char *escaped = g_uri_escape_string(token, NULL, FALSE);
	g_autofree char *expect = g_strconcat(
		"https://x/restapi/v1.0/glip/posts?recordCount=250&pageToken=", escaped, NULL);
	g_assert_cmpstr(next, ==, expect);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* as api_get_json() reads a page: strict JSON, else repaired (lenient.c) */
	json_error_t jerr;
	g_autoptr(json_t) root = lenient_parse((const char *)data, size, NULL, &jerr);

	if (!json_is_object(root))
		return 0;
	check_page_token(root);
	if (json_is_array(json_object_get(root, "records"))) {
		list(json_object_get(root, "records"));
	} else {
		g_autoptr(json_t) one = json_pack("[O]", root); /* a single record */
		list(one);
	}
	return 0;
}
