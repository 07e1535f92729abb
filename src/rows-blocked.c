/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * blocked-numbers/: the extension's blocked numbers, <id>.json each.
 *
 *   blocked-numbers/<id>.json    GET …/caller-blocking/phone-numbers?status=Blocked
 *                                (+ GET …/phone-numbers/{id} each), rewrite PUTs, rm DELETEs,
 *                                a new <name>.json POSTs (status Blocked unless it says)
 *
 * caller-blocking/phone-numbers replaces the old …/blocked-number list (the
 * same ids). The first listing asks for the new one; a server that answers
 * 404 is asked for …/blocked-number from then on (one mount per process).
 * caller-blocking-numbers/ (rows-rules.c) lists blocked and allowed numbers.
 */
#include "table-private.h"
#include "writes.h"

#include <errno.h>

#define BLOCKED_LEGACY API_V1 "/account/{a}/extension/{e}/blocked-number"
static gint blocked_legacy; /* atomic: the server has no caller-blocking/phone-numbers */

static gboolean list_blocked_numbers(RfsTree *tree, RfsNode *dir, GPtrArray *entries,
				     GError **error)
{
	g_autofree char *per = g_strdup_printf("perPage=%d", tree_config(tree)->page_size);
	TableListing l = { .entries = entries, .dir = dir, .kind = &table_k_blocked_number };
	g_autoptr(GError) local = NULL;

	if (!g_atomic_int_get(&blocked_legacy)) {
		g_autofree char *base = table_expand(table_k_blocked_numbers.endpoint, dir);
		g_autofree char *path = g_strdup_printf("%s?status=Blocked&%s", base, per);

		l.item_base = table_k_blocked_numbers.endpoint;
		if (table_list_at(tree, dir, path, l, &local))
			return TRUE;
		if (local->code != ENOENT) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		g_message("the server has no caller-blocking/phone-numbers (%s): using "
			  "blocked-number",
			  local->message);
		g_atomic_int_set(&blocked_legacy, 1);
		g_ptr_array_set_size(entries, 0);
	}
	g_autofree char *base = table_expand(BLOCKED_LEGACY, dir);
	g_autofree char *path = g_strdup_printf("%s?%s", base, per);
	l.item_base = BLOCKED_LEGACY;
	return table_list_at(tree, dir, path, l, error);
}

/*
 * A new <name>.json: {"phoneNumber", "label"} (or the old "name") blocks a number:
 * POST …/caller-blocking/phone-numbers with "status": "Blocked" unless it says;
 * the old API: POST …/blocked-number with "name".
 */
static gboolean commit_new_blocked(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				   GError **error)
{
	g_autoptr(json_t) body = write_parse_object(data, error);
	gboolean legacy = g_atomic_int_get(&blocked_legacy);

	if (!body)
		return FALSE;
	const char *from = legacy ? "label" : "name", *to = legacy ? "name" : "label";
	json_t *label = json_object_get(body, from);
	if (label && !json_object_get(body, to))
		json_object_set(body, to, label);
	json_object_del(body, from);
	if (!legacy && !json_object_get(body, "status"))
		json_object_set_new(body, "status", json_string("Blocked"));
	g_autofree char *path = table_expand(
		legacy ? BLOCKED_LEGACY : table_k_blocked_numbers.endpoint, node->parent);
	return write_object(tree,
			    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
					   .op = RFS_OP_CREATE,
					   .method = "POST",
					   .path = path },
			    body, now, error);
}

static const RfsKind *create_blocked(RfsTree *tree, RfsNode *dir, const char *name)
{
	return g_str_has_suffix(name, ".json") ? &table_k_new_blocked_number : NULL;
}

const RfsKind table_k_blocked_numbers = {
	TABLE_DIR("blocked-numbers", list_blocked_numbers),
	.group = RFS_GROUP_LIGHT,
	.endpoint = API_V1 "/account/{a}/extension/{e}/caller-blocking/phone-numbers",
	.item = &table_k_blocked_number,
	.create = create_blocked,
	.scratch = TRUE,
};
const RfsKind table_k_new_blocked_number = {
	.name = "new-blocked-number",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = commit_new_blocked,
};
