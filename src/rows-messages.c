/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of the message store and the outboxes.
 *
 *   messages/<voicemail|fax|pager>/<time>_…_<id>.<ext>   GET …/message-store?messageType=…
 *   messages/sms/<peer>/<time>_<in|out>_<id>.<ext>       one folder per conversation
 *   messages/sync.json                                   GET …/message-sync?syncType=FSync
 *   outbox/sms/, outbox/pager/, outbox/fax/              a file written there is sent once
 *
 * Every file of a message (.txt, .json, attachments) shows the one record:
 * removing any of them deletes the message once (shares_record).
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"
#include "render.h"

#include <string.h>

#define CONVERSATION_VIEW "conversation.txt"
#define PAGER_VIEW_SUFFIX ".conversation.txt" /* messages/pager/<peer>.conversation.txt */

/* ---- messages/ -------------------------------------------------------------- */

static const struct {
	const char *dir;
	const char *type; /* messageType in the API */
} message_dirs[] = {
	{ "voicemail", "VoiceMail" },
	{ "fax", "Fax" },
	{ "sms", "SMS" },
	{ "pager", "Pager" },
};

static gboolean list_messages(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	for (gsize i = 0; i < G_N_ELEMENTS(message_dirs); i++) {
		const RfsKind *kind = strcmp(message_dirs[i].type, "SMS") == 0
					      ? &table_k_sms
					      : &table_k_message_type;
		RfsEntry *entry = table_add(entries, kind, message_dirs[i].dir);
		entry->key = g_strdup(message_dirs[i].type);
	}
	table_add(entries, &table_k_deleted_messages, "deleted");
	table_add_document(entries, dir, "sync.json", &table_k_document,
			   "/restapi/v1.0/account/{a}/extension/{e}/message-sync?syncType=FSync");
	return TRUE;
}

/* ---- a folder of messages of one type --------------------------------------- */

typedef struct {
	RfsTree *tree;
	GPtrArray *entries;
	GHashTable *peers; /* SMS: peer name → RfsEntry* (a directory in entries); Pager: → NULL */
	gboolean deleted; /* deleted/: every type in one folder, files of the deleted kinds */
} MessageListing;

static const char *message_peer(const json_t *msg)
{
	const char *direction = json_string_value(json_object_get(msg, "direction"));
	if (g_strcmp0(direction, "Outbound") == 0)
		return render_party(json_array_get(json_object_get(msg, "to"), 0));
	return render_party(json_object_get(msg, "from"));
}

/* The folder of @peer's SMS conversation, made at its first message. (transfer none) */
static RfsEntry *sms_conversation(MessageListing *ml, const json_t *msg, const char *peer)
{
	RfsEntry *conversation = g_hash_table_lookup(ml->peers, peer);

	if (!conversation) {
		conversation = table_add(ml->entries, &table_k_sms_conversation, peer);
		conversation->key = render_id(json_object_get(msg, "conversationId"));
		conversation->children =
			g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
		g_hash_table_insert(ml->peers, g_strdup(peer), conversation);
	}
	return conversation;
}

/*
 * The name every file of @msg (of @type, with @id) starts with, and in *into
 * the entries they go to: an SMS goes into its peer's conversation, other
 * types into the folder itself. (transfer full)
 *
 *   SMS      <time>_<in|out>_<id>            (in messages/sms/<peer>/)
 *   Pager    <time>_<in|out>_<peer>_<id>
 *   others   <time>_<peer>_<id>
 */
static char *message_base_name(MessageListing *ml, const json_t *msg, const char *type,
			       const char *id, time_t mtime, GPtrArray **into)
{
	g_autofree char *when = render_time_name(mtime);
	g_autofree char *peer = render_safe_piece(message_peer(msg), 40);
	g_autofree char *safe_id = render_safe_piece(id, 40);

	*into = ml->entries;
	if (strcmp(type, "SMS") == 0 && !ml->deleted) {
		RfsEntry *conversation = sms_conversation(ml, msg, peer);
		conversation->mtime = MAX(conversation->mtime, mtime);
		*into = conversation->children;
		return g_strdup_printf("%s_%s_%s", when, table_direction_piece(msg), safe_id);
	}
	if (strcmp(type, "Pager") == 0 && !ml->deleted && !g_hash_table_contains(ml->peers, peer))
		g_hash_table_insert(ml->peers, g_strdup(peer), NULL); /* a pager conversation */
	if (strcmp(type, "Pager") == 0 || strcmp(type, "SMS") == 0)
		return g_strdup_printf("%s_%s_%s_%s", when, table_direction_piece(msg), peer,
				       safe_id);
	return g_strdup_printf("%s_%s_%s", when, peer, safe_id);
}

/*
 * The name of @att, an attachment of @msg, or NULL for one that is not shown:
 * <base>.<ext> for audio and faxes, <base>.transcript.txt once the
 * transcription is complete, <base>_<attachmentId>.<ext> for MMS. (transfer full)
 */
static char *attachment_name(const json_t *msg, const json_t *att, const char *base)
{
	const char *att_type = json_string_value(json_object_get(att, "type"));
	const char *ctype = json_string_value(json_object_get(att, "contentType"));

	if (g_strcmp0(att_type, "AudioRecording") == 0 ||
	    g_strcmp0(att_type, "RenderedDocument") == 0)
		return g_strdup_printf("%s.%s", base, render_extension_for(ctype));
	if (g_strcmp0(att_type, "AudioTranscription") == 0) {
		const char *status =
			json_string_value(json_object_get(msg, "vmTranscriptionStatus"));
		if (g_strcmp0(status, "Completed") != 0 &&
		    g_strcmp0(status, "CompletedPartially") != 0)
			return NULL; /* still changing */
		return g_strdup_printf("%s.transcript.txt", base);
	}
	if (g_strcmp0(att_type, "MmsAttachment") == 0) {
		g_autofree char *att_id = render_id(json_object_get(att, "id"));
		g_autofree char *safe_att = render_safe_piece(att_id, 40);
		return g_strdup_printf("%s_%s.%s", base, safe_att, render_extension_for(ctype));
	}
	return NULL; /* Text bodies are the .txt; SourceDocument is the sender's copy */
}

/* The media files of @msg's attachments, named from @base. */
static void add_attachments(GPtrArray *into, const json_t *msg, const char *base, const char *id,
			    time_t mtime, const RfsKind *kind)
{
	json_t *att;
	size_t i;

	json_array_foreach (json_object_get(msg, "attachments"), i, att) {
		g_autofree char *name = attachment_name(msg, att, base);
		if (!name)
			continue;
		RfsEntry *e = table_add_media(into, name, att, "uri", msg, mtime, kind);
		if (e)
			e->key = g_strdup(id);
	}
}

static gboolean each_message(json_t *msg, gpointer user, GError **error)
{
	MessageListing *ml = user;
	const char *type = json_string_value(json_object_get(msg, "type"));
	g_autofree char *id = render_id(json_object_get(msg, "id"));
	time_t mtime = table_record_time(msg, "creationTime");
	GPtrArray *into;

	if (!id || !type)
		return TRUE; /* not a message we can name: skip it rather than fail the folder */
	g_autofree char *base = message_base_name(ml, msg, type, id, mtime, &into);
	const RfsKind *record = ml->deleted ? &table_k_deleted_record : &table_k_message_record;
	const RfsKind *media =
		ml->deleted ? &table_k_deleted_attachment : &table_k_message_attachment;

	if (strcmp(type, "SMS") == 0 || strcmp(type, "Pager") == 0) {
		const char *text = json_string_value(json_object_get(msg, "subject"));
		g_autofree char *name = g_strdup_printf("%s.txt", base);
		RfsEntry *e = table_add_rendered(into, name, render_text(text), mtime);
		e->kind = record;
		e->key = g_strdup(id);
	}
	add_attachments(into, msg, base, id, mtime, media);
	g_autofree char *json_name = g_strdup_printf("%s.json", base);
	RfsEntry *e = table_add_record(into, json_name, msg, mtime);
	e->kind = record;
	e->key = g_strdup(id);
	return TRUE;
}

/*
 * Every conversation's view, after its messages (rm -r removes it last): an
 * SMS conversation's conversation.txt in its folder; with @pager, a pager
 * peer's <peer>.conversation.txt in the pager folder (a whole listing's:
 * not with one record a feed brings).
 */
static void add_conversation_views(MessageListing *ml, gboolean pager)
{
	GHashTableIter iter;
	const char *peer;
	RfsEntry *conversation;

	g_hash_table_iter_init(&iter, ml->peers);
	while (g_hash_table_iter_next(&iter, (gpointer *)&peer, (gpointer *)&conversation)) {
		if (conversation) {
			table_add(conversation->children, &table_k_sms_transcript,
				  CONVERSATION_VIEW);
		} else if (pager) {
			g_autofree char *name = g_strconcat(peer, PAGER_VIEW_SUFFIX, NULL);
			table_add(ml->entries, &table_k_pager_transcript, name);
		}
	}
}

static gboolean list_message_type(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(table_k_message_type.endpoint, dir);
	g_autofree char *query = table_history_query(tree);
	g_autofree char *path = g_strdup_printf("%s&%s", base, query);
	g_autoptr(GHashTable) peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	MessageListing ml = { tree, entries, peers, FALSE };

	if (!api_list(tree_api(tree), table_k_message_type.group, path, each_message, &ml, error))
		return FALSE;
	add_conversation_views(&ml, TRUE);
	return TRUE;
}

const char *table_message_folder(const char *type)
{
	for (gsize i = 0; i < G_N_ELEMENTS(message_dirs); i++)
		if (g_strcmp0(message_dirs[i].type, type) == 0)
			return message_dirs[i].dir;
	return NULL;
}

void table_message_entries(RfsTree *tree, const json_t *msg, GPtrArray *entries)
{
	g_autoptr(GHashTable) peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	MessageListing ml = { tree, entries, peers, FALSE };

	each_message((json_t *)msg, &ml, NULL);
	add_conversation_views(&ml, FALSE);
}

/* deleted/: what is in Deleted, every type, in one listing */
static gboolean list_deleted(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(table_k_deleted_messages.endpoint, dir);
	g_autofree char *query = table_history_query(tree);
	g_autofree char *path = g_strdup_printf("%s&%s", base, query);
	g_autoptr(GHashTable) peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	MessageListing ml = { tree, entries, peers, TRUE };

	return api_list(tree_api(tree), table_k_deleted_messages.group, path, each_message, &ml,
			error);
}

static RfsEntry *fetch_message(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, TRUE);
	return id ? table_entry_by_id(dir, name, &table_k_document,
				      API_V1 "/account/{a}/extension/{e}/message-store", id)
		  : NULL;
}

/* ---- conversation.txt --------------------------------------------------------- */

/*
 * messages/sms/<peer>/conversation.txt: the conversation, oldest first, one
 * message a line: "2026-11-20 10:03:11 >> text" (sent; "<<" received),
 * times in UTC. A text's further lines follow, each indented by
 * CONTINUATION spaces (the width of the time and the arrow): a line that
 * starts with a digit starts a message, one that starts with a space
 * continues it. Made when read from the folder's .txt files (their names
 * hold the time and direction, their bytes the text): nothing is kept.
 */
#define CONTINUATION "                       " /* strlen("2026-11-20 10:03:11 >> ") */

static int by_name(gconstpointer a, gconstpointer b)
{
	return strcmp((*(RfsNode *const *)a)->name, (*(RfsNode *const *)b)->name);
}

/* "2026-11-20_10-03-11_out_…" → "2026-11-20 10:03:11 >> ", or FALSE for another name. */
static gboolean line_head(const char *name, GString *out)
{
	static const char shape[] = "dddd-dd-dd_dd-dd-dd_";

	for (gsize i = 0; i + 1 < sizeof(shape); i++)
		if (shape[i] == 'd' ? !g_ascii_isdigit(name[i]) : name[i] != shape[i])
			return FALSE;
	const char *arrow = g_str_has_prefix(name + 20, "out_")	 ? ">>"
			    : g_str_has_prefix(name + 20, "in_") ? "<<"
								 : NULL;
	if (!arrow)
		return FALSE;
	g_string_append_printf(out, "%.10s %.2s:%.2s:%.2s %s ", name, name + 11, name + 14,
			       name + 17, arrow);
	return TRUE;
}

/* Whether @name is a pager message's text with @peer: <time>_<in|out>_<peer>_<id>.txt */
static gboolean pager_text_of(const char *name, const char *peer)
{
	if (strlen(name) < 20 || !g_str_has_suffix(name, ".txt"))
		return FALSE;
	const char *rest = g_str_has_prefix(name + 20, "out_")	? name + 24
			   : g_str_has_prefix(name + 20, "in_") ? name + 23
								: NULL;
	gsize n = strlen(peer);
	if (!rest || strncmp(rest, peer, n) != 0 || rest[n] != '_')
		return FALSE;
	return strchr(rest + n + 1, '_') == NULL; /* the id holds none */
}

static GBytes *lines_of(RfsTree *tree, GPtrArray *texts);

/* The folder's texts (all of them, or @peer's in the pager folder), as lines. */
static GBytes *texts_view(RfsTree *tree, RfsNode *folder, const char *peer)
{
	GPtrArray *children = tree_children(tree, folder);
	g_autoptr(GPtrArray) texts = g_ptr_array_new();

	for (guint i = 0; i < children->len; i++) {
		RfsNode *child = children->pdata[i];
		if (child->kind == &table_k_message_record &&
		    g_str_has_suffix(child->name, ".txt") &&
		    (!peer || pager_text_of(child->name, peer)))
			g_ptr_array_add(texts, child);
	}
	GBytes *view = lines_of(tree, texts);
	tree_children_release(tree, children);
	return view;
}

static GBytes *conversation_view(RfsTree *tree, RfsNode *node)
{
	return texts_view(tree, node->parent, NULL);
}

/* messages/pager/<peer>.conversation.txt: the same lines, of that peer's pager messages */
static GBytes *pager_view(RfsTree *tree, RfsNode *node)
{
	g_autofree char *peer =
		g_strndup(node->name, strlen(node->name) - strlen(PAGER_VIEW_SUFFIX));
	return texts_view(tree, node->parent, peer);
}

/* @texts (message .txt nodes) as a conversation's lines, oldest first. (transfer full) */
static GBytes *lines_of(RfsTree *tree, GPtrArray *texts)
{
	GString *out = g_string_new(NULL);

	g_ptr_array_sort(texts, by_name); /* names start with the time: oldest first */
	for (guint i = 0; i < texts->len; i++) {
		RfsNode *child = texts->pdata[i];
		if (!line_head(child->name, out))
			continue;
		g_autoptr(GBytes) bytes = tree_dup_content(tree, child);
		gsize len;
		const char *text = g_bytes_get_data(bytes, &len);
		if (len > 0 && text[len - 1] == '\n')
			len--; /* every text file ends in one */
		if (len == 0) {
			/* no text (an MMS of a picture alone): no trailing space */
			out->str[out->len - 1] = '\n';
			continue;
		}
		for (gsize at = 0;;) {
			const char *nl = memchr(text + at, '\n', len - at);
			gsize end = nl ? (gsize)(nl - text) : len;
			if (at > 0)
				g_string_append(out, CONTINUATION);
			g_string_append_len(out, text + at, (gssize)(end - at));
			g_string_append_c(out, '\n');
			if (!nl)
				break;
			at = end + 1;
		}
	}
	return g_string_free_to_bytes(out);
}

/* The extension's number in the conversation's newest message (what the peer knows). */
static char *conversation_own_number(RfsTree *tree, RfsNode *conversation)
{
	GPtrArray *children = tree_children(tree, conversation);
	RfsNode *newest = NULL;
	char *number = NULL;

	for (guint i = 0; i < children->len; i++) {
		RfsNode *child = children->pdata[i];
		if (child->kind == &table_k_message_record &&
		    g_str_has_suffix(child->name, ".json") &&
		    (!newest || strcmp(child->name, newest->name) > 0))
			newest = child;
	}
	if (newest) {
		g_autoptr(GBytes) bytes = tree_dup_content(tree, newest);
		g_autoptr(json_t) msg =
			json_loadb(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), 0, NULL);
		const char *direction = json_string_value(json_object_get(msg, "direction"));
		const json_t *own = g_strcmp0(direction, "Outbound") == 0
					    ? json_object_get(msg, "from")
					    : json_array_get(json_object_get(msg, "to"), 0);
		const char *phone = json_string_value(json_object_get(own, "phoneNumber"));
		number = phone && *phone ? g_strdup(phone) : NULL;
	}
	tree_children_release(tree, children);
	return number;
}

/*
 * Where a conversation's send shows after a stop cut it short: the outbox
 * file <extension>/outbox/<box>/<peer> (@folder: the message-type folder).
 * (transfer full)
 */
static char *outbox_path(RfsTree *tree, RfsNode *folder, const char *box, const char *peer)
{
	RfsNode *ext = folder->parent ? folder->parent->parent : NULL;
	g_autofree char *ext_path = ext ? tree_path(tree, ext) : g_strdup("");

	return g_strdup_printf("%s/outbox/%s/%s", ext_path, box, peer);
}

/* The message a send's @answer is, as the store now holds it: into @folder at once, as a feed
 * would. */
static void apply_sent(RfsTree *tree, RfsNode *folder, GBytes *answer)
{
	g_autoptr(json_t) msg = answer ? json_loadb(g_bytes_get_data(answer, NULL),
						    g_bytes_get_size(answer), 0, NULL)
				       : NULL;
	g_autofree char *id = render_id(json_object_get(msg, "id"));

	if (id && json_is_object(msg)) {
		g_autoptr(GPtrArray) entries =
			g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
		table_message_entries(tree, msg, entries);
		tree_apply_record(tree, folder, id, entries);
	}
}

/*
 * An append to conversation.txt is one SMS to the peer, sent once as an
 * outbox file is, from the number the conversation uses; the sent message
 * shows in the folder (and so in the file) from the server's answer.
 */
static gboolean commit_conversation(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				    GError **error)
{
	RfsNode *conversation = node->parent;
	RfsNode *sms = conversation->parent;

	*now = NULL;
	if (g_bytes_get_size(data) == 0)
		return TRUE; /* opened for appending, nothing appended */
	g_autofree char *from = conversation_own_number(tree, conversation);
	g_autofree char *outbox = outbox_path(tree, sms, "sms", conversation->name);
	g_autoptr(GBytes) answer = NULL;

	if (!send_sms_to(tree, node, conversation->name, from, outbox, data, &answer, error))
		return FALSE;
	apply_sent(tree, sms, answer);
	return TRUE;
}

/* An append to <peer>.conversation.txt is one pager message to that extension, sent once. */
static gboolean commit_pager_conversation(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
					  GError **error)
{
	RfsNode *pager = node->parent;
	g_autofree char *peer =
		g_strndup(node->name, strlen(node->name) - strlen(PAGER_VIEW_SUFFIX));

	*now = NULL;
	if (g_bytes_get_size(data) == 0)
		return TRUE; /* opened for appending, nothing appended */
	g_autofree char *outbox = outbox_path(tree, pager, "pager", peer);
	g_autoptr(GBytes) answer = NULL;

	if (!send_pager_to(tree, node, peer, outbox, data, &answer, error))
		return FALSE;
	apply_sent(tree, pager, answer);
	return TRUE;
}

/* ---- outbox/ ---------------------------------------------------------------- */

static gboolean list_outbox(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &table_k_outbox_sms, "sms");
	table_add(entries, &table_k_outbox_pager, "pager");
	table_add(entries, &table_k_outbox_fax, "fax");
	return TRUE;
}

static const RfsKind *create_sms(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &table_k_sms_to_send;
}

/* A new outbox file is refused at once when its name is no recipient: nothing to send. */
static gboolean sms_name(RfsTree *tree, RfsNode *dir, const char *name, GError **error)
{
	return send_takes_name(tree, name, FALSE, error);
}

static gboolean pager_name(RfsTree *tree, RfsNode *dir, const char *name, GError **error)
{
	return send_takes_name(tree, name, TRUE, error);
}

static const RfsKind *create_pager(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &table_k_pager_to_send;
}

static const RfsKind *create_fax(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &table_k_fax_to_send;
}

/* ---- .Trash-<uid> ------------------------------------------------------------ */

static gboolean list_trash(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	RfsEntry *files = table_add(entries, &table_k_link, "files");

	files->target = g_strdup("../accounts/~/extensions/~/messages/deleted");
	table_add(entries, &table_k_trash_info, "info");
	return TRUE;
}

/* info/<name>.trashinfo, and the temporary file gio writes it through */
static const RfsKind *create_trash_info(RfsTree *tree, RfsNode *dir, const char *name)
{
	return table_scratch_kind();
}

/* ---- the rows --------------------------------------------------------------- */

/*
 * What message attachments are (an MMS may carry any of RingCentral's "Sending MMS" types):
 * never an HTML page (a portal's or a proxy's error)
 */
static const char *const message_types[] = { "audio/",
					     "video/",
					     "image/",
					     "application/pdf",
					     "application/octet-stream",
					     "application/zip",
					     "application/gzip",
					     "application/rtf",
					     "text/plain",
					     "text/vcard",
					     "text/x-vcard",
					     "text/calendar",
					     "text/csv",
					     NULL };

const RfsKind table_k_messages = { TABLE_DIR("messages", list_messages), .group = RFS_GROUP_NONE };
const RfsKind table_k_message_type = {
	TABLE_DIR("message-type", list_message_type),
	.group = RFS_GROUP_LIGHT,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/message-store?messageType={key}",
	.fetch = fetch_message,
	.entries_removable = TRUE,
};
const RfsKind table_k_sms = {
	TABLE_DIR("sms", list_message_type),
	.group = RFS_GROUP_LIGHT,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/message-store?messageType={key}",
	.fetch = fetch_message,
	.entries_removable = TRUE,
};
const RfsKind table_k_sms_conversation = {
	TABLE_DIR("sms-conversation", NULL), .parent_fills = TRUE,
	.write_group = RFS_GROUP_MEDIUM,     .remove = write_delete_conversation,
	.entries_removable = TRUE,
};
const RfsKind table_k_sms_transcript = {
	.name = "sms-transcript",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_VIEW,
	.view = conversation_view,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = commit_conversation,
	.appends = TRUE,
	.grows = TRUE,
};
const RfsKind table_k_pager_transcript = {
	.name = "pager-transcript",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_VIEW,
	.view = pager_view,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = commit_pager_conversation,
	.appends = TRUE,
	.grows = TRUE,
};
const RfsKind table_k_message_record = {
	.name = "message-record",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.remove = write_delete_message,
	.shares_record = TRUE,
	.xattrs = write_message_xattrs,
};
const RfsKind table_k_message_attachment = {
	.name = "message-attachment",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_MEDIA,
	.group = RFS_GROUP_MEDIUM,
	.immutable = TRUE,
	.media_types = message_types,
	.endpoint =
		"/restapi/v1.0/account/{a}/extension/{e}/message-store/{id}/content/{attachmentId}",
	.write_group = RFS_GROUP_MEDIUM,
	.remove = write_delete_message,
	.shares_record = TRUE,
	.xattrs = write_message_xattrs,
};

/* deleted/: rm purges, mv into a message folder restores */
const RfsKind table_k_deleted_messages = {
	TABLE_DIR("deleted-messages", list_deleted),
	.group = RFS_GROUP_LIGHT,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/message-store?availability=Deleted",
	.entries_removable = TRUE,
	.takes_removals = TRUE,
};
const RfsKind table_k_deleted_record = {
	.name = "deleted-record",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.remove = write_purge_message,
	.shares_record = TRUE,
	.record_space = "deleted",
	.move = write_restore_message,
};
const RfsKind table_k_deleted_attachment = {
	.name = "deleted-attachment",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_MEDIA,
	.group = RFS_GROUP_MEDIUM,
	.immutable = TRUE,
	.media_types = message_types,
	.endpoint =
		"/restapi/v1.0/account/{a}/extension/{e}/message-store/{id}/content/{attachmentId}",
	.write_group = RFS_GROUP_MEDIUM,
	.remove = write_purge_message,
	.shares_record = TRUE,
	.record_space = "deleted",
	.move = write_restore_message,
};

/*
 * .Trash-<uid> at the mount's root (the freedesktop.org trash of a mounted
 * volume, for its owner): gio trash renames a file into files/, which is a
 * link to the logged-in extension's deleted/, and so is rm's delete; the
 * .trashinfo files it writes into info/ live only here.
 */
const RfsKind table_k_trash = {
	TABLE_DIR("trash", list_trash),
	.group = RFS_GROUP_NONE,
	.unlisted = TRUE,
};
const RfsKind table_k_trash_info = {
	TABLE_DIR("trash-info", table_list_nothing),
	.group = RFS_GROUP_NONE,
	.create = create_trash_info,
	.scratch = TRUE,
};

const RfsKind table_k_outbox = { TABLE_DIR("outbox", list_outbox), .group = RFS_GROUP_NONE };
const RfsKind table_k_outbox_sms = {
	TABLE_DIR("outbox-sms", table_list_nothing),
	.create = create_sms,
	.takes_name = sms_name,
	.scratch = TRUE,
};
const RfsKind table_k_outbox_pager = {
	TABLE_DIR("outbox-pager", table_list_nothing),
	.create = create_pager,
	.takes_name = pager_name,
	.scratch = TRUE,
};
const RfsKind table_k_outbox_fax = {
	TABLE_DIR("outbox-fax", table_list_nothing),
	.create = create_fax,
	.scratch = TRUE,
};
const RfsKind table_k_sms_to_send = {
	.name = "sms-to-send",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = send_sms,
	.sends_once = TRUE,
};
const RfsKind table_k_pager_to_send = {
	.name = "pager-to-send",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = send_pager,
	.sends_once = TRUE,
};
const RfsKind table_k_fax_to_send = {
	.name = "fax-to-send",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = send_fax,
	.sends_once = TRUE,
};
