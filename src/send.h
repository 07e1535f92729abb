/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sending once: the commit functions of outbox files, greetings and file
 * uploads (send.c). Each validates locally first (bad input fails with
 * EINVAL before any request), then POSTs at most once in the file's life.
 */
#pragma once

#include "table.h"

/*
 * Whether an outbox file may have @name: recipients (and a sender) that are
 * phone numbers, however written, or, with @extension, extension numbers.
 * EINVAL saying why when not.
 */
gboolean send_takes_name(RfsTree *tree, const char *name, gboolean extension, GError **error);
/* outbox/sms/<to>[,<to>…][@<from>]: phone numbers as E.164 or written forms (e164_number) */
gboolean send_sms(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/*
 * One SMS of @data's text (one trailing newline dropped) to @peer, a phone
 * number however written, from @from (NULL: the extension's SMS sender),
 * sent once as an outbox file is; a send cut short by a stop shows after the
 * next mount at @log_path (an outbox file). EINVAL before any request when
 * the text or the number will not do.
 */
gboolean send_sms_to(RfsTree *tree, RfsNode *node, const char *peer, const char *from,
		     const char *log_path, GBytes *data, GBytes **now, GError **error);
/* A phone number as written → E.164 (calling code @cc completes national forms), or NULL. */
char *send_e164(const char *written, const char *cc);
/* outbox/pager/<extensionNumber>[,…] */
gboolean send_pager(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* One pager message to @recipients (extension numbers), as send_sms_to sends an SMS. */
gboolean send_pager_to(RfsTree *tree, RfsNode *node, const char *recipients, const char *log_path,
		       GBytes *data, GBytes **now, GError **error);

/* outbox/fax/<to>[,<to>…][.low|.high][.cover<N>].<ext>: multipart POST */
gboolean send_fax(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/* greetings/<Type>[.<ruleId>].<wav|mp3>: multipart POST of a custom greeting */
gboolean send_greeting(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error);
/*
 * The same, naming the rule of the name's middle piece by @rule_member:
 * "answeringRule" ({"id": …}, the v1.0 rules), or "stateId" or
 * "interactionRuleId" (the rules of the new call handling: the id as it is).
 */
gboolean send_greeting_for(RfsTree *tree, RfsNode *node, GBytes *data, const char *rule_member,
			   GBytes **now, GError **error);

/*
 * Where a message shows once sent, to find it when the server's answer is
 * lost: the message store (@type: "SMS", "Pager", "Fax"), or @list, a GET of
 * recent records with "text" (Glip posts). @text and @to narrow the match.
 */
typedef struct {
	const char *type;
	const char *list;
	const char *text;
	const char *to;	 /* the first recipient's phoneNumber */
	gint64 mms_size; /* an MMS: the bytes of its one attachment; 0: none */
	/* where the send shows if ringfs stops before it knows (send_recover); NULL: the file */
	const char *log_path;
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
