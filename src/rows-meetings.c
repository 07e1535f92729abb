/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of meetings (meetings-service-info.json is a document of the
 * extension's folder: rows-account.c).
 *
 *   …/{e}/meetings/<id>.json     GET …/meeting, then GET …/meeting/{id} each; a new .json
 *                                creates, rewrite updates, rm deletes, user.ringfs.end ends
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"

static gboolean list_meetings(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return table_list_with(
		tree, dir, entries, NULL,
		(TableListing){ .kind = &table_k_meeting,
				.item_base = API_V1 "/account/{a}/extension/{e}/meeting" },
		error);
}

/* setfattr -n user.ringfs.end: POST …/end */
static gboolean set_meeting_end(RfsTree *tree, RfsNode *node, const char *value, GError **error)
{
	return write_post_verb(tree, node, "/end", error);
}

static const RfsXattr meeting_xattrs[] = {
	{ "user.ringfs.end", NULL, set_meeting_end, RFS_STALE_NODE },
	{ .name = NULL },
};

const RfsKind table_k_meetings = { TABLE_DIR("meetings", list_meetings), .group = RFS_GROUP_LIGHT,
				   .endpoint = API_V1 "/account/{a}/extension/{e}/meeting",
				   .create = table_create_entry, .scratch = TRUE };
const RfsKind table_k_meeting = {
	TABLE_DOC("meeting"),	  .group = RFS_GROUP_LIGHT,   .write_group = RFS_GROUP_MEDIUM,
	.commit = write_put_json, .remove = write_delete_url, .xattrs = meeting_xattrs
};
