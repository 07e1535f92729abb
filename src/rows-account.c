/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of the account and what describes it: accounts/ and extensions/ (with
 * their ~ links), the account's and each extension's folder of documents and
 * areas, API info and status, dictionaries, and authorization.
 *
 *   accounts/{a}/account.json, business-hours.json    GET /account/{a}[/business-hours]
 *   accounts/{a}/extensions/{e}/extension.json, …     GET /account/{a}/extension/{e}[/…]
 *   api/versions.json, api/v1.0.json, api/status      GET /restapi/, /restapi/v1.0, /status
 *   dictionary/greetings/<id>_<name>.json             GET /dictionary/greeting (+ <id>.json by id)
 *   dictionary/fax-cover-pages.json                   GET /dictionary/fax-cover-page
 *   …/{e}/authz-profile.json, authz-check/<permission>.json
 */
#include "table-private.h"
#include "render.h"

#include <string.h>

/* ---- accounts and extensions ------------------------------------------------ */

static gboolean list_accounts(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *name = render_safe_piece(tree_account_id(tree), RFS_MAX_NAME);
	RfsEntry *link = table_add(entries, &table_k_link, "~");
	RfsEntry *account = table_add(entries, &table_k_account, name);

	link->target = g_strdup(name);
	account->aid = g_strdup(tree_account_id(tree));
	return TRUE;
}

static gboolean list_account(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add_document(entries, dir, "account.json", &table_k_document,
			   "/restapi/v1.0/account/{a}");
	table_add_document(entries, dir, "business-hours.json", &table_k_setting,
			   "/restapi/v1.0/account/{a}/business-hours");
	table_add(entries, &table_k_company_answering_rules, "answering-rules");
	table_add(entries, &table_k_call_log, "call-log");
	table_add(entries, &table_k_recordings, "recordings");
	table_add(entries, &table_k_extensions, "extensions");
	table_add(entries, &table_k_company_greetings, "greetings");
	table_add(entries, &table_k_directory, "directory");
	return TRUE;
}

static gboolean list_extension(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	gboolean meetings = table_meetings_served(tree, dir); /* the seed's, retired today */

	table_add_document(entries, dir, "extension.json", &table_k_document,
			   "/restapi/v1.0/account/{a}/extension/{e}");
	table_add_document(entries, dir, "presence.json", &table_k_setting,
			   "/restapi/v1.0/account/{a}/extension/{e}/presence");
	table_add_document(entries, dir, "business-hours.json", &table_k_setting,
			   "/restapi/v1.0/account/{a}/extension/{e}/business-hours");
	table_add_document(entries, dir, "caller-blocking.json", &table_k_setting_light,
			   "/restapi/v1.0/account/{a}/extension/{e}/caller-blocking");
	table_add_document(entries, dir, "favorites.json", &table_k_setting,
			   "/restapi/v1.0/account/{a}/extension/{e}/favorite");
	table_add_document(entries, dir, "phone-numbers.json", &table_k_document,
			   "/restapi/v1.0/account/{a}/extension/{e}/phone-number?perPage=1000");
	table_add(entries, &table_k_answering_rules, "answering-rules");
	table_add(entries, &table_k_call_log, "call-log");
	table_add(entries, &table_k_recordings, "recordings");
	table_add(entries, &table_k_contacts, "contacts");
	table_add(entries, &table_k_messages, "messages");
	table_add(entries, &table_k_people, "people");
	table_add(entries, &table_k_outbox, "outbox");
	table_add(entries, &table_k_blocked_numbers, "blocked-numbers");
	table_add(entries, &table_k_caller_blocking_numbers, "caller-blocking-numbers");
	table_add(entries, &table_k_forwarding_numbers, "forwarding-numbers");
	table_add(entries, &table_k_greetings, "greetings");
	if (meetings)
		table_add(entries, &table_k_meetings, "meetings");
	if (g_strcmp0(dir->ids->eid, tree_extension_id(tree)) == 0)
		table_add(entries, &table_k_video, "video"); /* RingCentral Video: one's own only */
	if (meetings)
		table_add_document(entries, dir, "meetings-service-info.json", &table_k_document,
				   TABLE_MEETINGS_SERVICE_INFO);
	table_add(entries, &table_k_ringout, "ringout");
	table_add(entries, &table_k_ringout_legacy, "ringout-legacy");
	table_add_document(entries, dir, "authz-profile.json", &table_k_document_medium,
			   "/restapi/v1.0/account/{a}/extension/{e}/authz-profile");
	table_add(entries, &table_k_authz_check, "authz-check");
	table_add(entries, &table_k_active_calls, "active-calls");
	/* known only once answering-rules/ or the like asked (no request of its own) */
	if (table_call_handling_known(tree, dir) == TABLE_CALLS_V2)
		table_add_document(entries, dir, "call-flip-numbers.json",
				   &table_k_call_flip_numbers, table_k_call_flip_numbers.endpoint);
	return TRUE;
}

/* call-flip-numbers.json asked for by name before the folder knew to show it */
static RfsEntry *fetch_in_extension(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (strcmp(name, "call-flip-numbers.json") != 0 ||
	    table_call_handling(tree, dir, NULL) != TABLE_CALLS_V2)
		return NULL;
	RfsEntry *entry = node_entry_new(name, &table_k_call_flip_numbers);
	entry->url = table_expand(table_k_call_flip_numbers.endpoint, dir);
	return entry;
}

static gboolean each_extension(json_t *record, gpointer user, GError **error)
{
	GPtrArray *entries = user;
	g_autofree char *id = render_id(json_object_get(record, "id"));

	if (id) {
		g_autofree char *name = render_safe_piece(id, RFS_MAX_NAME);
		RfsEntry *entry = table_add(entries, &table_k_extension, name);
		entry->eid = g_strdup(id);
	}
	return TRUE;
}

static gboolean list_extensions(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(table_k_extensions.endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);
	RfsEntry *link = table_add(entries, &table_k_link, "~");

	link->target = render_safe_piece(tree_extension_id(tree), RFS_MAX_NAME);
	if (!api_list(tree_api(tree), table_k_extensions.group, path, each_extension, entries,
		      error))
		return FALSE;
	table_meetings_ask(tree, dir); /* what the folders listed here show */
	return TRUE;
}

/* ---- api, dictionary -------------------------------------------------------- */

static gboolean list_api(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add_document(entries, dir, "versions.json", &table_k_api_info, "/restapi/");
	table_add_document(entries, dir, "v1.0.json", &table_k_api_info, "/restapi/v1.0");
	table_add_document(entries, dir, "status", &table_k_api_status, API_V1 "/status");
	return TRUE;
}

/* The status call answers 200 with no body while the API works. */
static gboolean load_status(RfsTree *tree, RfsNode *node, GBytes **bytes, GError **error)
{
	if (!api_send(tree_api(tree),
		      &(RfsApiSend){ .group = RFS_GROUP_NONE,
				     .op = RFS_OP_READ,
				     .method = "GET",
				     .path = node_url(node) },
		      NULL, error))
		return FALSE;
	*bytes = g_bytes_new_static("available\n", 10);
	return TRUE;
}

static gboolean list_dictionary(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &table_k_dictionary_greetings, "greetings");
	table_add_document(entries, dir, "fax-cover-pages.json", &table_k_document,
			   API_V1 "/dictionary/fax-cover-page");
	return TRUE;
}

static RfsEntry *fetch_greeting(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, TRUE);
	return id ? table_entry_by_id(dir, name, &table_k_document_medium,
				      API_V1 "/dictionary/greeting", id)
		  : NULL;
}

/* ---- authorization ---------------------------------------------------------- */

static RfsEntry *fetch_permission(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, FALSE);
	if (!id)
		return NULL;
	g_autofree char *base =
		table_expand(API_V1 "/account/{a}/extension/{e}/authz-profile/check", dir);
	RfsEntry *entry = node_entry_new(name, &table_k_document);
	entry->url = g_strdup_printf("%s?permissionId=%s", base, id);
	return entry;
}

/* ---- the rows --------------------------------------------------------------- */

const RfsKind table_k_accounts = { TABLE_DIR("accounts", list_accounts), .group = RFS_GROUP_NONE };
const RfsKind table_k_account = {
	TABLE_DIR("account", list_account),
	.group = RFS_GROUP_NONE,
	.scratch = TRUE,
};
const RfsKind table_k_extensions = {
	TABLE_DIR("extensions", list_extensions),
	.group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/extension",
};
const RfsKind table_k_extension = {
	TABLE_DIR("extension", list_extension),
	.group = RFS_GROUP_NONE,
	.scratch = TRUE,
	.fetch = fetch_in_extension,
};
const RfsKind table_k_link = { .name = "link", .type = RFS_NODE_LINK };

const RfsKind table_k_api = { TABLE_DIR("api", list_api) };
const RfsKind table_k_api_info = { TABLE_DOC("api-info"), .group = RFS_GROUP_NONE };
const RfsKind table_k_api_status = { TABLE_DOC("api-status"), .group = RFS_GROUP_NONE,
				     .load = load_status };
const RfsKind table_k_dictionary = { TABLE_DIR("dictionary", list_dictionary) };
const RfsKind table_k_dictionary_greetings = { TABLE_DIR("dictionary-greetings", table_list_named),
					       .group = RFS_GROUP_MEDIUM,
					       .endpoint = API_V1 "/dictionary/greeting",
					       .fetch = fetch_greeting };

const RfsKind table_k_authz_check = { TABLE_DIR("authz-check", table_list_nothing),
				      .fetch = fetch_permission };
