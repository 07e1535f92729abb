/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes of documents: the commit and remove hooks of the rows whose files
 * are settings, rules, contacts and collection items (PUT, POST, DELETE),
 * and of messages (delete, purge, read status). Sending a message once is
 * send.c's.
 */
#include "writes.h"
#include "render.h"
#include "vcard.h"

#include <errno.h>
#include <string.h>

json_t *write_parse_object(GBytes *data, GError **error)
{
	gsize len;
	const char *text = g_bytes_get_data(data, &len);
	json_error_t jerr;
	json_t *root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);

	if (!root) {
		g_set_error(error, RFS_ERROR, EINVAL, "not valid JSON: %s (line %d, column %d)",
			    jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		g_set_error(error, RFS_ERROR, EINVAL, "expected a JSON object { … }");
		return NULL;
	}
	return root;
}

GBytes *write_compact(const json_t *value)
{
	char *text = json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return g_bytes_new_take(text, strlen(text));
}

gboolean write_object(RfsTree *tree, const RfsApiSend *send, const json_t *body, GBytes **now,
		      GError **error)
{
	RfsApiSend with_body = *send;
	g_autoptr(GBytes) wire = body ? write_compact(body) : NULL;
	g_autoptr(json_t) answer = NULL;

	if (wire) {
		with_body.content_type = "application/json";
		with_body.body = wire;
	}
	if (!api_send(tree_api(tree), &with_body, &answer, error))
		return FALSE;
	if (answer)
		*now = render_json(answer);
	return TRUE;
}

static gboolean send_json(RfsTree *tree, RfsNode *node, const char *method, const char *path,
			  GBytes *data, GBytes **now, GError **error)
{
	g_autoptr(json_t) body = write_parse_object(data, error);
	RfsOp op = strcmp(method, "POST") == 0 ? RFS_OP_CREATE : RFS_OP_WRITE;

	if (!body)
		return FALSE;
	return write_object(tree,
			    &(RfsApiSend){ .group = node->kind->write_group,
					   .op = op,
					   .method = method,
					   .path = path },
			    body, now, error);
}

/*
 * What an edit changed: the top-level members whose value differs from what
 * the server last said. An editor saves the whole document, read-only fields
 * (uri, id, computed ones) included, and the API refuses those; a partial
 * object written by hand passes through as it is.
 */
static json_t *changed_members(const json_t *old, const json_t *new)
{
	json_t *diff = json_object();
	const char *key;
	json_t *value;

	json_object_foreach ((json_t *)new, key, value) {
		if (!json_equal(json_object_get(old, key), value))
			json_object_set(diff, key, value);
	}
	return diff;
}

static gboolean send_changes(RfsTree *tree, RfsNode *node, const char *method, GBytes *data,
			     GBytes **now, GError **error)
{
	g_autoptr(json_t) edited = write_parse_object(data, error);
	g_autoptr(GBytes) current = tree_dup_content(tree, node);
	g_autoptr(json_t) old = NULL;
	g_autoptr(json_t) diff = NULL;

	if (!edited)
		return FALSE;
	old = json_loadb(g_bytes_get_data(current, NULL), g_bytes_get_size(current), 0, NULL);
	diff = json_is_object(old) ? changed_members(old, edited) : json_incref(edited);
	if (json_object_size(diff) > 0 && node->kind->replace_without) {
		/* a whole-resource PUT: all of it, less what only the server sets */
		json_decref(diff);
		diff = json_deep_copy(edited);
		for (const char *const *k = node->kind->replace_without; *k; k++)
			json_object_del(diff, *k);
	}
	if (json_object_size(diff) == 0) {
		*now = g_bytes_ref(current); /* nothing changed: nothing to send */
		return TRUE;
	}
	return write_object(tree,
			    &(RfsApiSend){ .group = node->kind->write_group,
					   .op = RFS_OP_WRITE,
					   .method = method,
					   .path = node_url(node) },
			    diff, now, error);
}

gboolean write_put_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	return send_changes(tree, node, "PUT", data, now, error);
}

gboolean write_patch_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	return send_changes(tree, node, "PATCH", data, now, error);
}

gboolean write_post_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_autofree char *path = table_expand(node->parent->kind->endpoint, node->parent);
	return send_json(tree, node, "POST", path, data, now, error);
}

/* A vCard as the contact JSON the API takes. */
static GBytes *vcard_as_json(GBytes *data, GError **error)
{
	g_autoptr(json_t) contact =
		vcard_parse(g_bytes_get_data(data, NULL), g_bytes_get_size(data), error);
	return contact ? write_compact(contact) : NULL;
}

typedef gboolean (*CommitFunc)(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
			       GError **error);

/* The vCard converted, then committed as JSON; the file stays a vCard (its .json is refreshed). */
static gboolean commit_vcard(CommitFunc commit, RfsTree *tree, RfsNode *node, GBytes *data,
			     GBytes **now, GError **error)
{
	g_autoptr(GBytes) json = vcard_as_json(data, error);
	g_autoptr(GBytes) answer = NULL;

	if (!json || !commit(tree, node, json, &answer, error))
		return FALSE;
	*now = g_bytes_ref(data);
	return TRUE;
}

gboolean write_put_vcard(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	return commit_vcard(write_put_json, tree, node, data, now, error);
}

/* "1 (Ada Lovelace, id 8001)": a card of a .vcf as messages name it. (transfer full) */
static char *card_said(size_t index, const json_t *card, const char *id)
{
	g_autofree char *who = vcard_label(card);

	if (id)
		return g_strdup_printf("%zu (%s, id %s)", index + 1, who, id);
	return g_strdup_printf("%zu (%s)", index + 1, who);
}

/* What close says when card @said of @total failed; cards @first… were not sent. */
static char *card_failure(const char *said, size_t total, gboolean unknown, const char *why,
			  const char *made, size_t earlier, size_t first)
{
	GString *out = g_string_new(NULL);

	g_string_append_printf(
		out, "card %s of %zu %s: %s; created: %s", said, total,
		unknown ? "has an unknown outcome (look for it before adding it again)"
			: "was refused",
		why, *made ? made : "none");
	if (earlier)
		g_string_append_printf(out, " (and %zu by an earlier write of this file)", earlier);
	if (first <= total)
		g_string_append_printf(out, "; not created: cards %zu to %zu", first, total);
	g_string_append(out, ". Writing the file again sends only the cards not sent yet");
	return g_string_free(out, FALSE);
}

/*
 * A new .vcf: one POST per card, in order, each card once in the file's life
 * (tree_has_made). The first refusal stops it: close fails with its errno,
 * and the error (and user.ringfs.outcome) names the refused card, the cards
 * created and those not sent; writing the file again sends only the cards
 * not created yet.
 */
gboolean write_post_vcard(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_autoptr(json_t) cards =
		vcard_parse_all(g_bytes_get_data(data, NULL), g_bytes_get_size(data), error);
	g_autoptr(GString) made = g_string_new(NULL);
	size_t i, total = json_array_size(cards), earlier = 0;
	json_t *card;

	if (!cards)
		return FALSE;
	g_autofree char *path = table_expand(node->parent->kind->endpoint, node->parent);
	json_array_foreach (cards, i, card) {
		g_autoptr(GBytes) wire = write_compact(card);
		g_autofree char *key =
			g_strndup(g_bytes_get_data(wire, NULL), g_bytes_get_size(wire));
		g_autoptr(json_t) answer = NULL;
		g_autoptr(GError) local = NULL;
		gboolean unknown = FALSE;

		if (tree_has_made(tree, node, key)) {
			earlier++; /* created by an earlier write of this file */
			continue;
		}
		if (!api_send(tree_api(tree),
			      &(RfsApiSend){ .group = node->kind->write_group,
					     .op = RFS_OP_CREATE,
					     .method = "POST",
					     .path = path,
					     .content_type = "application/json",
					     .body = wire,
					     .unknown = &unknown },
			      &answer, &local)) {
			if (unknown) /* it may be there: never sent again */
				tree_add_made(tree, node, key);
			if (total == 1) {
				g_propagate_error(error, g_steal_pointer(&local));
				return FALSE;
			}
			g_autofree char *said = card_said(i, card, NULL);
			g_autofree char *outcome =
				card_failure(said, total, unknown, local->message, made->str,
					     earlier, unknown ? i + 2 : i + 1);
			g_message("%s: %s", node->name, outcome);
			tree_set_outcome(tree, node, outcome);
			g_set_error_literal(error, RFS_ERROR, local->code, outcome);
			return FALSE;
		}
		tree_add_made(tree, node, key);
		g_autofree char *id = render_id(json_object_get(answer, "id"));
		g_autofree char *said = card_said(i, card, id);
		g_string_append_printf(made, "%scard %s", made->len ? ", " : "", said);
	}
	if (total > 1) {
		g_autofree char *outcome = g_strdup_printf("created %zu cards: %s", total - earlier,
							   made->len ? made->str : "none");
		tree_set_outcome(tree, node, outcome);
	}
	*now = g_bytes_ref(data);
	return TRUE;
}

gboolean write_keep_local(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	*now = g_bytes_ref(data);
	return TRUE;
}

gboolean write_delete_url(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (api_send(tree_api(tree),
		     &(RfsApiSend){ .group = node->kind->write_group,
				    .op = RFS_OP_DELETE,
				    .method = "DELETE",
				    .path = node_url(node) },
		     NULL, &local))
		return TRUE;
	if (local->code == ENOENT)
		return TRUE; /* gone already: a retried DELETE whose first answer was lost */
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

static char *message_path(RfsNode *node)
{
	return table_expand("/restapi/v1.0/account/{a}/extension/{e}/message-store/{key}", node);
}

gboolean write_purge_message(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *base = message_path(node);
	g_autofree char *path = g_strdup_printf("%s?purge=true", base);

	return api_send(tree_api(tree),
			&(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				       .op = RFS_OP_DELETE,
				       .method = "DELETE",
				       .path = path },
			NULL, error);
}

/* messages/deleted/ shows what went to Deleted at its next use (no other listing is read again). */
static void deleted_folder_is_stale(RfsTree *tree, RfsNode *node)
{
	RfsNode *messages = node->parent;

	while (messages && messages->kind->entries_removable)
		messages = messages->parent; /* sms/<peer>/ → sms/ → messages/ */
	RfsNode *deleted = messages ? tree_peek_child(tree, messages, "deleted") : NULL;
	if (deleted)
		tree_invalidate(tree, deleted);
}

gboolean write_delete_message(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(GError) local = NULL;

	if (api_send(tree_api(tree),
		     &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				    .op = RFS_OP_DELETE,
				    .method = "DELETE",
				    .path = path },
		     NULL, &local)) {
		deleted_folder_is_stale(tree, node);
		return TRUE;
	}
	if (local->code == ENOENT)
		return TRUE; /* another file of the same message took it already */
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

gboolean write_delete_conversation(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *escaped =
		g_uri_escape_string(node_key(node) ? node_key(node) : "", NULL, FALSE);
	g_autofree char *base =
		table_expand("/restapi/v1.0/account/{a}/extension/{e}/message-store", node);
	g_autofree char *path = g_strdup_printf("%s?conversationId=%s", base, escaped);

	if (!node_key(node)) {
		g_set_error(error, RFS_ERROR, EIO, "this conversation has no id");
		return FALSE;
	}
	return api_send(tree_api(tree),
			&(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				       .op = RFS_OP_DELETE,
				       .method = "DELETE",
				       .path = path },
			NULL, error);
}

char *write_get_read_status(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(json_t) msg = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, path, error);
	const char *status = json_string_value(json_object_get(msg, "readStatus"));

	if (!msg)
		return NULL;
	return g_strdup(status ? status : "Unknown");
}

gboolean write_set_read_status(RfsTree *tree, RfsNode *node, const char *status, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(json_t) body = json_pack("{s:s}", "readStatus", status);

	if (strcmp(status, "Read") != 0 && strcmp(status, "Unread") != 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "read status is Read or Unread");
		return FALSE;
	}
	g_autoptr(GBytes) wire = write_compact(body);
	return api_send(tree_api(tree),
			&(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				       .op = RFS_OP_WRITE,
				       .method = "PUT",
				       .path = path,
				       .content_type = "application/json",
				       .body = wire },
			NULL, error);
}

gboolean write_restore_message(RfsTree *tree, RfsNode *node, RfsNode *newdir, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(json_t) body = json_pack("{s:s}", "availability", "Alive");

	if (newdir->kind == node->parent->kind || !newdir->kind->entries_removable) {
		g_set_error(error, RFS_ERROR, EXDEV,
			    "a deleted message is restored by moving it into a message folder");
		return FALSE;
	}
	g_autoptr(GBytes) wire = write_compact(body);
	if (!api_send(tree_api(tree),
		      &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				     .op = RFS_OP_WRITE,
				     .method = "PATCH",
				     .path = path,
				     .content_type = "application/json",
				     .body = wire },
		      NULL, error))
		return FALSE;
	tree_forget_removed(tree, node_key(node)); /* back: listed again, and rm deletes it again */
	return TRUE;
}

static gboolean set_purge(RfsTree *tree, RfsNode *node, const char *value, GError **error)
{
	return write_purge_message(tree, node, error); /* any value: it is the act that counts */
}

const RfsXattr write_message_xattrs[] = {
	{ "user.ringfs.read_status", write_get_read_status, write_set_read_status,
	  RFS_STALE_NOTHING },
	{ "user.ringfs.purge", NULL, set_purge, RFS_STALE_FOLDER },
	{ .name = NULL },
};

gboolean write_post_verb(RfsTree *tree, RfsNode *node, const char *suffix, GError **error)
{
	g_autofree char *path = g_strdup_printf("%s%s", node_url(node), suffix);

	return api_send(tree_api(tree),
			&(RfsApiSend){ .group = node->kind->write_group,
				       .op = RFS_OP_WRITE,
				       .method = "POST",
				       .path = path },
			NULL, error);
}
