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
 *
 * Upgraded extensions (RingCentral's "new call handling": the v1.0 rule and
 * forwarding-number calls are refused to them) are told apart once per
 * extension and mount, by GET …/features?featureId=NewCallHandlingAndForwarding
 * at the first use of answering-rules/, forwarding-numbers/ or a greeting for
 * a rule; then, on the v2 API (/restapi/v2/accounts/{a}/extensions/{e}/…):
 *
 *   answering-rules/<stateId>.json    …/comm-handling/voice/state-rules/{stateId}: GET, PATCH
 *   answering-rules/<ruleId>.json     …/comm-handling/voice/interaction-rules/{ruleId}: GET,
 *                                     PATCH, DELETE; a new <name>.json is POSTed
 *   forwarding-numbers/<target>.json  GET …/comm-handling/voice/forwarding-targets (read-only)
 *   call-flip-numbers.json            GET, PUT …/call-flip-numbers (rows-account.c lists it)
 *   greetings/<Type>.<stateId|ruleId>.<wav|mp3>   stateId / interactionRuleId in the POST
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"
#include "render.h"

#include <errno.h>
#include <string.h>

/* ---- which call handling ---------------------------------------------------- */

#define V2_VOICE "/restapi/v2/accounts/{a}/extensions/{e}/comm-handling/voice"

static const char *const state_ids[] = { "work-hours",	      "after-hours", "dnd",
					 "forward-all-calls", "agent",	     NULL };

static gboolean is_state_id(const char *id)
{
	return g_strv_contains(state_ids, id);
}

static char *memo_key(const RfsNode *node)
{
	return g_strdup_printf("call-handling/%s", node->ids->eid ? node->ids->eid : "~");
}

/* The features list says the new call handling: isNewBackendAvailable "true". */
static gboolean features_say_new(const json_t *answer)
{
	size_t i, j;
	json_t *feature, *param;

	json_array_foreach (json_object_get(answer, "records"), i, feature) {
		if (g_strcmp0(json_string_value(json_object_get(feature, "id")),
			      "NewCallHandlingAndForwarding") != 0 ||
		    !json_is_true(json_object_get(feature, "available")))
			continue;
		json_array_foreach (json_object_get(feature, "params"), j, param) {
			json_t *value = json_object_get(param, "value");
			if (g_strcmp0(json_string_value(json_object_get(param, "name")),
				      "isNewBackendAvailable") == 0)
				return json_is_true(value) ||
				       g_strcmp0(json_string_value(value), "true") == 0;
		}
	}
	return FALSE;
}

int table_call_handling_known(RfsTree *tree, const RfsNode *node)
{
	g_autofree char *key = memo_key(node);
	return tree_memo_get(tree, key);
}

int table_call_handling(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *key = memo_key(node);
	int known = tree_memo_get(tree, key);

	if (known)
		return known;
	g_autofree char *base = table_expand(API_V1 "/account/{a}/extension/{e}/features", node);
	g_autofree char *path = g_strdup_printf("%s?featureId=NewCallHandlingAndForwarding", base);
	g_autoptr(GError) local = NULL;
	g_autoptr(json_t) answer = api_get_json(tree_api(tree), RFS_GROUP_MEDIUM, path, &local);

	if (!answer && local->code != EACCES && local->code != ENOENT) {
		g_propagate_error(error, g_steal_pointer(&local));
		return -1; /* not known yet: asked again at the next use */
	}
	/* refused or unknown to the server: the call handling every account had */
	known = answer && features_say_new(answer) ? TABLE_CALLS_V2 : TABLE_CALLS_V1;
	tree_memo_set(tree, key, known);
	if (known == TABLE_CALLS_V2) {
		/* the extension's folder shows call-flip-numbers.json from now on */
		for (RfsNode *up = node; up; up = up->parent)
			if (up->kind == &table_k_extension) {
				tree_invalidate(tree, up);
				break;
			}
	}
	return known;
}

/* GET @base?page=…&perPage=… until paging.totalPages: v2 lists have no navigation links. */
static gboolean list_v2(RfsTree *tree, RfsGroup group, const char *base, RfsRecordFunc each,
			gpointer user, GError **error)
{
	int per = tree_config(tree)->page_size;

	for (int page = 1;; page++) {
		if (page > RFS_MAX_LISTING_PAGES) {
			g_set_error(error, RFS_ERROR, EIO, "GET %s: the server's pages do not end",
				    base);
			return FALSE;
		}
		g_autofree char *path = g_strdup_printf("%s?page=%d&perPage=%d", base, page, per);
		g_autoptr(json_t) root = api_get_json(tree_api(tree), group, path, error);
		json_t *records = json_object_get(root, "records");
		size_t i;
		json_t *record;

		if (!root)
			return FALSE;
		if (!json_is_array(records)) {
			g_set_error(error, RFS_ERROR, EIO, "GET %s: the answer has no records",
				    path);
			return FALSE;
		}
		json_array_foreach (records, i, record) {
			if (json_is_object(record) && !each(record, user, error))
				return FALSE;
		}
		json_int_t pages = json_integer_value(
			json_object_get(json_object_get(root, "paging"), "totalPages"));
		if (json_array_size(records) == 0 || page >= pages)
			return TRUE;
	}
}

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

/* answering-rules/ of an upgraded extension: its state rules, then its interaction rules */
static gboolean list_v2_rules(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	RuleListing states = { entries, dir, &table_k_state_rule };
	RuleListing custom = { entries, dir, &table_k_interaction_rule };
	g_autofree char *states_url = table_expand(table_k_state_rule.endpoint, dir);
	g_autofree char *custom_url = table_expand(table_k_interaction_rule.endpoint, dir);

	return list_v2(tree, RFS_GROUP_MEDIUM, states_url, each_rule, &states, error) &&
	       list_v2(tree, RFS_GROUP_MEDIUM, custom_url, each_rule, &custom, error);
}

static gboolean list_rules(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	const RfsKind *kind = dir->kind;

	if (kind == &table_k_answering_rules) {
		int calls = table_call_handling(tree, dir, error);
		if (calls < 0)
			return FALSE;
		if (calls == TABLE_CALLS_V2)
			return list_v2_rules(tree, dir, entries, error);
	}
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

/* forwarding-numbers/ of an upgraded extension: the targets its rules ring, read-only */
typedef struct {
	GPtrArray *entries;
	GHashTable *names;
} TargetListing;

static gboolean each_target(json_t *target, gpointer user, GError **error)
{
	TargetListing *tl = user;
	const char *type = json_string_value(json_object_get(target, "type"));
	const char *number = json_string_value(
		json_object_get(json_object_get(target, "destination"), "phoneNumber"));
	g_autofree char *device =
		render_id(json_object_get(json_object_get(target, "device"), "id"));
	g_autofree char *ext =
		render_id(json_object_get(json_object_get(target, "extension"), "id"));
	g_autofree char *stem = number	 ? g_strdup(number)
				: device ? g_strdup_printf("device-%s", device)
				: ext	 ? g_strdup_printf("coworker-%s", ext)
					 : g_strdup(type ? type : "target");
	g_autofree char *piece = render_safe_piece(stem, 80);
	char *name = g_strdup_printf("%s.json", piece);

	/* the same number in two rules' ring groups, told apart by a count */
	for (int n = 2; g_hash_table_contains(tl->names, name); n++) {
		g_free(name);
		name = g_strdup_printf("%s-%d.json", piece, n);
	}
	g_hash_table_add(tl->names, name);
	table_add_record(tl->entries, name, target, 0)->kind = &table_k_forwarding_target;
	return TRUE;
}

static gboolean list_forwarding(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	int calls = table_call_handling(tree, dir, error);

	if (calls < 0)
		return FALSE;
	if (calls != TABLE_CALLS_V2)
		return list_collection(tree, dir, entries, error);
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	TargetListing tl = { entries, names };
	g_autofree char *url = table_expand(table_k_forwarding_target.endpoint, dir);
	return list_v2(tree, RFS_GROUP_MEDIUM, url, each_target, &tl, error);
}

static gboolean refuse_target(RfsTree *tree, RfsNode *node, GError **error)
{
	g_set_error(error, RFS_ERROR, EPERM,
		    "this extension has the new call handling: its forwarding targets are the ring "
		    "targets of the rules in answering-rules/ (change them there); call flip "
		    "numbers are in call-flip-numbers.json");
	return FALSE;
}

static gboolean refuse_target_write(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				    GError **error)
{
	return refuse_target(tree, node, error);
}

static gboolean refuse_state_rule_removal(RfsTree *tree, RfsNode *node, GError **error)
{
	g_set_error(error, RFS_ERROR, EPERM,
		    "%s is a state rule of the new call handling: it exists as long as its state "
		    "does; change what it does by writing its dispatching",
		    node->name);
	return FALSE;
}

/* A new custom rule of an upgraded extension: POST …/interaction-rules. */
static gboolean post_interaction_rule(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				      GError **error)
{
	g_autoptr(json_t) body = write_parse_object(data, error);
	g_autofree char *path = table_expand(node->kind->endpoint, node->parent);

	if (!body)
		return FALSE;
	return write_object(tree,
			    &(RfsApiSend){ .group = node->kind->write_group,
					   .op = RFS_OP_CREATE,
					   .method = "POST",
					   .path = path },
			    body, now, error);
}

/* A new <name>.json: a rule in a rules folder, an item in a collection. */
static const RfsKind *create_json(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (!g_str_has_suffix(name, ".json"))
		return NULL;
	if ((dir->kind == &table_k_answering_rules || dir->kind == &table_k_forwarding_numbers) &&
	    table_call_handling(tree, dir, NULL) == TABLE_CALLS_V2)
		return dir->kind == &table_k_answering_rules ? &table_k_new_interaction_rule
							     : &table_k_forwarding_target;
	return dir->kind == &table_k_answering_rules ||
			       dir->kind == &table_k_company_answering_rules
		       ? &table_k_new_answering_rule
		       : &table_k_new_item;
}

/* ---- greetings -------------------------------------------------------------- */

/*
 * greetings/<Type>.<id>.<ext>: the id is an answering rule's, or, on an
 * upgraded extension, a state's (work-hours, …) or an interaction rule's.
 */
static gboolean commit_greeting(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				GError **error)
{
	g_auto(GStrv) parts = g_strsplit(node->name, ".", -1);
	const char *member = "answeringRule";

	if (g_strv_length(parts) == 3) {
		int calls = table_call_handling(tree, node, error);
		if (calls < 0)
			return FALSE;
		if (calls == TABLE_CALLS_V2)
			member = is_state_id(parts[1]) ? "stateId" : "interactionRuleId";
	}
	return send_greeting_for(tree, node, data, member, now, error);
}

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
/* as COLLECTION_ROW, listed by list_forwarding: forwarding targets on upgraded extensions */
const RfsKind table_k_forwarding_numbers = {
	TABLE_DIR("forwarding-numbers", list_forwarding),
	.group = RFS_GROUP_LIGHT,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/forwarding-number",
	.item = &table_k_forwarding_number,
	.create = create_json,
	.scratch = TRUE,
};
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
	.commit = commit_greeting,
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

/* the new call handling (upgraded extensions) */
const RfsKind table_k_state_rule = {
	TABLE_DOC("state-rule"),	 .group = RFS_GROUP_MEDIUM,
	.write_group = RFS_GROUP_MEDIUM, .endpoint = V2_VOICE "/state-rules",
	.commit = write_patch_json,	 .remove = refuse_state_rule_removal,
};
const RfsKind table_k_interaction_rule = {
	TABLE_DOC("interaction-rule"),	 .group = RFS_GROUP_MEDIUM,
	.write_group = RFS_GROUP_MEDIUM, .endpoint = V2_VOICE "/interaction-rules",
	.commit = write_patch_json,	 .remove = write_delete_url,
};
const RfsKind table_k_new_interaction_rule = {
	.name = "new-interaction-rule",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.endpoint = V2_VOICE "/interaction-rules",
	.commit = post_interaction_rule,
};
/* a record of GET …/forwarding-targets: shown, never written (EPERM, with the reason) */
const RfsKind table_k_forwarding_target = {
	.name = "forwarding-target",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.group = RFS_GROUP_MEDIUM,
	.endpoint = V2_VOICE "/forwarding-targets",
	.commit = refuse_target_write,
	.remove = refuse_target,
};
/* PUT replaces the list: all of it is sent */
static const char *const flip_read_only[] = { "uri", NULL };
const RfsKind table_k_call_flip_numbers = {
	TABLE_DOC("call-flip-numbers"),
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v2/accounts/{a}/extensions/{e}/call-flip-numbers",
	.commit = write_put_json,
	.replace_without = flip_read_only,
};
