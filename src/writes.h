/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes of documents (writes.c): the commit and remove functions of the
 * rows whose files are documents and messages. Each validates locally first,
 * so that bad input fails with EINVAL before any request; each sends exactly
 * one request for the user's write.
 */
#pragma once

#include "table.h"

/* documents: PUT of a JSON object to the node's own URL */
gboolean write_put_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* documents the API changes by PATCH (the v2 call handling rules): the members that changed */
gboolean write_patch_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* a new entry of a collection: POST of a JSON object to the directory's endpoint */
gboolean write_post_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* contacts as vCard: converted to the contact JSON, then as above */
gboolean write_put_vcard(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
gboolean write_post_vcard(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* scratch files: kept here, never sent */
gboolean write_keep_local(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* POST of the node's URL + @suffix with no body (renew, end, activate, suspend) */
gboolean write_post_verb(RfsTree *tree, RfsNode *node, const char *suffix, GError **error);

/* DELETE of the node's URL (documents of collections) */
gboolean write_delete_url(RfsTree *tree, RfsNode *node, GError **error);
/* DELETE of the message a file belongs to (node->key is its id) */
gboolean write_delete_message(RfsTree *tree, RfsNode *node, GError **error);
/* DELETE …?purge=true: gone for good, not to the Deleted state */
gboolean write_purge_message(RfsTree *tree, RfsNode *node, GError **error);
/*
 * PATCH …/message-store/{id} {"availability": "Alive"}: a message in Deleted
 * restored (mv out of deleted/ into a message folder; EXDEV elsewhere)
 */
gboolean write_restore_message(RfsTree *tree, RfsNode *node, RfsNode *newdir, GError **error);
/* DELETE of every message of an SMS conversation (node->key is its conversationId) */
gboolean write_delete_conversation(RfsTree *tree, RfsNode *node, GError **error);

/* Read status of the message a file belongs to: "Read" or "Unread". (transfer full) */
char *write_get_read_status(RfsTree *tree, RfsNode *node, GError **error);
gboolean write_set_read_status(RfsTree *tree, RfsNode *node, const char *status, GError **error);

/* The xattrs of every file of a message: user.ringfs.read_status and user.ringfs.purge. */
extern const RfsXattr write_message_xattrs[];

/* @value as compact JSON, the body of a request. (transfer full) */
GBytes *write_compact(const json_t *value);

/*
 * write_object: the request @send with @body (or none, when NULL) as its
 * JSON; @now gets the answer rendered, and is left alone for an empty one.
 */
gboolean write_object(RfsTree *tree, const RfsApiSend *send, const json_t *body, GBytes **now,
		      GError **error);

/* Parses @data as a JSON object, with a message a person can act on. (transfer full) */
json_t *write_parse_object(GBytes *data, GError **error);
