/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What writes send: the commit, remove and create functions of the table's
 * rows. Each validates locally first, so that bad input fails with EINVAL
 * before any request; each sends exactly one request for the user's write.
 */
#pragma once

#include "table.h"

/* documents: PUT of a JSON object to the node's own URL */
gboolean write_put_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* a new entry of a collection: POST of a JSON object to the directory's endpoint */
gboolean write_post_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* contacts as vCard: converted to the contact JSON, then as above */
gboolean write_put_vcard(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
gboolean write_post_vcard(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* scratch files: kept here, never sent */
gboolean write_keep_local(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* outbox/sms/<to>[,<to>…][@<from>] */
gboolean send_sms(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* outbox/pager/<extensionNumber>[,…] */
gboolean send_pager(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);

/* outbox/fax/<to>[,<to>…][.low|.high][.cover<N>].<ext>: multipart POST */
gboolean send_fax(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* greetings/<Type>[.<ruleId>].<wav|mp3>: multipart POST of a custom greeting */
gboolean send_greeting(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);

/*
 * Where a message shows once sent, to find it when the server's answer is
 * lost: the message store (@type: "SMS", "Pager", "Fax"), or @list, a GET of
 * recent records with "text" (Glip posts). @text and @to narrow the match.
 */
typedef struct {
	const char *type;
	const char *list;
	const char *text;
	const char *to; /* the first recipient's phoneNumber */
} RfsSendCheck;

/*
 * The POST of an action at most once: logged (sendlog.h) and marked sent
 * before it goes, unmarked only when it surely did not reach the server.
 * When the answer is lost, @check (if any) finds out, for a bounded time,
 * whether the server has it; an outcome that stays unknown is an error that
 * says so, and the message is never sent again. @now gets the answer.
 */
gboolean send_once(RfsTree *tree, RfsNode *node, const char *path, const char *content_type,
		   GBytes *wire, const RfsSendCheck *check, GBytes **now, GError **error);
/* At mount: messages whose send was cut short (ringfs stopped) are looked up and shown. */
void send_recover(RfsTree *tree);
/* one file as a multipart part @field, POSTed once to @path */
gboolean send_file(RfsTree *tree, RfsNode *node, const char *path, const char *field, GBytes *data,
		   GBytes **now, GError **error);
/* POST of the node's URL + @suffix with no body (renew, end, activate, suspend) */
gboolean write_post_verb(RfsTree *tree, RfsNode *node, const char *suffix, GError **error);

/* DELETE of the node's URL (documents of collections) */
gboolean write_delete_url(RfsTree *tree, RfsNode *node, GError **error);
/* DELETE of the message a file belongs to (node->key is its id) */
gboolean write_delete_message(RfsTree *tree, RfsNode *node, GError **error);
/* DELETE …?purge=true: gone for good, not to the Deleted state */
gboolean write_purge_message(RfsTree *tree, RfsNode *node, GError **error);
/* DELETE of every message of an SMS conversation (node->key is its conversationId) */
gboolean write_delete_conversation(RfsTree *tree, RfsNode *node, GError **error);

/* Read status of the message a file belongs to: "Read" or "Unread". (transfer full) */
char *write_get_read_status(RfsTree *tree, RfsNode *node, GError **error);
gboolean write_set_read_status(RfsTree *tree, RfsNode *node, const char *status, GError **error);

/* The xattrs of every file of a message: user.ringfs.read_status and user.ringfs.purge. */
extern const RfsXattr write_message_xattrs[];

/* Parses @data as a JSON object, with a message a person can act on. (transfer full) */
json_t *write_parse_object(GBytes *data, GError **error);
