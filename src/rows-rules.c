/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of how calls are answered: answering rules (the extension's and the
 * company's), greetings to upload, and the collections of blocked, allowed
 * and forwarding numbers. (The settings documents next to them, presence,
 * business hours and caller blocking, are listed with the extension's
 * folder: rows-account.c.)
 *
 *   answering-rules/<ruleId>.json                  GET …/answering-rule (+ GET …/{ruleId} each)
 *   caller-blocking-numbers/, forwarding-numbers/  GET …/caller-blocking/phone-numbers,
 *   <id>.json                                      …/forwarding-number (blocked-numbers/:
 *                                                  rows-blocked.c)
 *   greetings/<Type>[.<ruleId>].<wav|mp3>          POST …/greeting (multipart), once
 *
 * In every collection a record is <id>.json, read by its own GET, rewritten
 * with PUT, removed with DELETE; a new <name>.json is POSTed.
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"
#include "render.h"

/* ---- answering rules -------------------------------------------------------- */

typedef struct {
	GPtrArray *entries;
	const RfsNode *dir;
	const RfsKind *doc_kind;
} RuleListing;

static gboolean each_rule(json_t *rule, gpointer user, GError **error)
{
	RuleListing *rl = user;
	g_autofree char *id = render_id(json_object_get(rule, "id"));

	if (!id)
		return TRUE;
	g_autofree char *piece = render_safe_piece(id, 80);
	g_autofree char *name = g_strdup_printf("%s.json", piece);
	g_autofree char *base = table_expand(rl->doc_kind->endpoint, rl->dir);
	RfsEntry *entry = table_add(rl->entries, rl->doc_kind, name);

	entry->url = table_item_url(base, id);
	return TRUE;
}

static gboolean list_rules(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	const RfsKind *kind = dir->kind;
	g_autofree char *base = table_expand(kind->endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);
	RuleListing rl = { entries, dir,
			   kind == &table_k_answering_rules ? &table_k_answering_rule
							    : &table_k_company_answering_rule };

	return api_list(tree_api(tree), kind->group, path, each_rule, &rl, error);
}

/* ---- collections: <id>.json per record -------------------------------------- */

typedef struct {
	GPtrArray *entries;
	char *base;
	const RfsKind *item;
} ItemListing;

static gboolean each_item(json_t *record, gpointer user, GError **error)
{
	ItemListing *il = user;
	g_autofree char *id = render_id(json_object_get(record, "id"));

	if (!id)
		return TRUE;
	g_autofree char *piece = render_safe_piece(id, 80);
	g_autofree char *name = g_strdup_printf("%s.json", piece);
	RfsEntry *entry = table_add(il->entries, il->item, name);
	entry->url = table_item_url(il->base, id); /* read by its own GET */
	entry->mtime = table_record_time(record, "lastModifiedTime");
	return TRUE;
}

static gboolean list_collection(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(dir->kind->endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);
	ItemListing il = { entries, base, dir->kind->item };

	return api_list(tree_api(tree), dir->kind->group, path, each_item, &il, error);
}

/* A new <name>.json: a rule in a rules folder, an item in a collection. */
static const RfsKind *create_json(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (!g_str_has_suffix(name, ".json"))
		return NULL;
	return dir->kind == &table_k_answering_rules ||
			       dir->kind == &table_k_company_answering_rules
		       ? &table_k_new_answering_rule
		       : &table_k_new_item;
}

/* ---- greetings -------------------------------------------------------------- */

static const RfsKind *create_greeting(RfsTree *tree, RfsNode *dir, const char *name)
{
	return dir->kind == &table_k_greetings ? &table_k_greeting_to_upload
					       : &table_k_company_greeting_to_upload;
}

/* ---- the rows --------------------------------------------------------------- */

const RfsKind table_k_answering_rules = {
	TABLE_DIR("answering-rules", list_rules),
	.group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/answering-rule",
	.create = create_json,
	.scratch = TRUE,
};
const RfsKind table_k_company_answering_rules = {
	TABLE_DIR("company-answering-rules", list_rules),
	.group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/answering-rule",
	.create = create_json,
	.scratch = TRUE,
};
const RfsKind table_k_answering_rule = {
	TABLE_DOC("answering-rule"),
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/answering-rule",
	.commit = write_put_json,
	.remove = write_delete_url,
};
const RfsKind table_k_company_answering_rule = {
	TABLE_DOC("company-answering-rule"),
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/answering-rule",
	.commit = write_put_json, /* the API has no DELETE of company rules */
};
/* a file the user made in a collection: POST to the directory's endpoint on close */
const RfsKind table_k_new_answering_rule = {
	.name = "new-answering-rule",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = write_post_json,
};

#define COLLECTION_ROW(n, path, item_kind)                                                         \
	TABLE_DIR(n, list_collection),                                                             \
		.group = RFS_GROUP_LIGHT,                                                          \
		.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/" path, .item = item_kind,    \
		.create = create_json, .scratch = TRUE
#define ITEM_ROW(n)                                                                                \
	TABLE_DOC(n), .group = RFS_GROUP_LIGHT, .write_group = RFS_GROUP_MEDIUM,                   \
		      .commit = write_put_json, .remove = write_delete_url

/* blocked-numbers/ itself: rows-blocked.c (today's caller-blocking list, or the old one) */
const RfsKind table_k_blocked_number = { ITEM_ROW("blocked-number") };
const RfsKind table_k_caller_blocking_numbers = { COLLECTION_ROW("caller-blocking-numbers",
								 "caller-blocking/phone-numbers",
								 &table_k_caller_blocking_number) };
const RfsKind table_k_caller_blocking_number = { ITEM_ROW("caller-blocking-number") };
const RfsKind table_k_forwarding_numbers = { COLLECTION_ROW(
	"forwarding-numbers", "forwarding-number", &table_k_forwarding_number) };
const RfsKind table_k_forwarding_number = { ITEM_ROW("forwarding-number") };
const RfsKind table_k_new_item = {
	.name = "new-item",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = write_post_json,
};

const RfsKind table_k_greetings = {
	TABLE_DIR("greetings", table_list_nothing),
	.create = create_greeting,
	.scratch = TRUE,
};
const RfsKind table_k_company_greetings = {
	TABLE_DIR("company-greetings", table_list_nothing),
	.create = create_greeting,
	.scratch = TRUE,
};
const RfsKind table_k_greeting_to_upload = {
	.name = "greeting-to-upload",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = send_greeting,
	.sends_once = TRUE,
};
const RfsKind table_k_company_greeting_to_upload = {
	.name = "company-greeting-to-upload",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = send_greeting,
	.sends_once = TRUE,
};
