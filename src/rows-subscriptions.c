/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of subscriptions (notification channels).
 *
 *   subscriptions/<id>.json      GET /subscription, then GET /subscription/{id} each; a new
 *                                .json creates, rewrite updates, rm deletes, touch renews
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"

static gboolean list_subscriptions(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return table_list_with(tree, dir, entries, NULL,
			       (TableListing){ .kind = &table_k_subscription,
					       .item_base = API_V1 "/subscription" },
			       error);
}

/* touch subscriptions/<id>.json: POST …/renew, in the Light group (unlike PUT and DELETE) */
static gboolean renew_subscription(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = g_strdup_printf("%s/renew", node_url(node));

	return api_send(tree_api(tree),
			&(RfsApiSend){ .group = RFS_GROUP_LIGHT,
				       .op = RFS_OP_WRITE,
				       .method = "POST",
				       .path = path },
			NULL, error);
}

const RfsKind table_k_subscriptions = { TABLE_DIR("subscriptions", list_subscriptions),
					.group = RFS_GROUP_LIGHT,
					.endpoint = API_V1 "/subscription",
					.create = table_create_entry, .scratch = TRUE };
const RfsKind table_k_subscription = {
	TABLE_DOC("subscription"), .group = RFS_GROUP_LIGHT,   .write_group = RFS_GROUP_MEDIUM,
	.commit = write_put_json,  .remove = write_delete_url, .touch = renew_subscription
};
