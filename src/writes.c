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
					   .path = node->url },
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

gboolean write_post_vcard(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	return commit_vcard(write_post_json, tree, node, data, now, error);
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
				    .path = node->url },
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

gboolean write_delete_message(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(GError) local = NULL;

	if (api_send(tree_api(tree),
		     &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				    .op = RFS_OP_DELETE,
				    .method = "DELETE",
				    .path = path },
		     NULL, &local))
		return TRUE;
	if (local->code == ENOENT)
		return TRUE; /* another file of the same message took it already */
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

gboolean write_delete_conversation(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *escaped = g_uri_escape_string(node->key ? node->key : "", NULL, FALSE);
	g_autofree char *base =
		table_expand("/restapi/v1.0/account/{a}/extension/{e}/message-store", node);
	g_autofree char *path = g_strdup_printf("%s?conversationId=%s", base, escaped);

	if (!node->key) {
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
	g_autofree char *path = g_strdup_printf("%s%s", node->url, suffix);

	return api_send(tree_api(tree),
			&(RfsApiSend){ .group = node->kind->write_group,
				       .op = RFS_OP_WRITE,
				       .method = "POST",
				       .path = path },
			NULL, error);
}
