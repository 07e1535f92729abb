/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commit, remove and create for the table's writable rows. */
#include "actions.h"
#include "render.h"

#include <errno.h>
#include <string.h>

#define MAX_SMS_UNITS  1000 /* UTF-16 code units the API takes in one SMS */
#define MAX_RECIPIENTS 50

json_t *action_parse_object(GBytes *data, GError **error)
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

static GBytes *compact(const json_t *value)
{
	char *text = json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return g_bytes_new_take(text, strlen(text));
}

static gboolean send_json(RfsTree *tree, RfsNode *node, const char *method, const char *path,
			  GBytes *data, GBytes **now, GError **error)
{
	g_autoptr(json_t) body = action_parse_object(data, error);
	g_autoptr(json_t) answer = NULL;
	RfsOp op = strcmp(method, "POST") == 0 ? RFS_OP_CREATE : RFS_OP_WRITE;

	if (!body)
		return FALSE;
	g_autoptr(GBytes) wire = compact(body);
	if (!api_send(tree_api(tree), node->kind->write_group, op, method, path, "application/json",
		      wire, &answer, NULL, error))
		return FALSE;
	if (answer)
		*now = render_json(answer);
	return TRUE;
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

gboolean action_put_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_autoptr(json_t) edited = action_parse_object(data, error);
	g_autoptr(GBytes) current = tree_dup_content(tree, node);
	g_autoptr(json_t) old = NULL;
	g_autoptr(json_t) diff = NULL;
	g_autoptr(json_t) answer = NULL;

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
	g_autoptr(GBytes) wire = compact(diff);
	if (!api_send(tree_api(tree), node->kind->write_group, RFS_OP_WRITE, "PUT", node->url,
		      "application/json", wire, &answer, NULL, error))
		return FALSE;
	if (answer)
		*now = render_json(answer);
	return TRUE;
}

gboolean action_post_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_autofree char *path = table_expand(node->parent->kind->endpoint, node->parent);
	return send_json(tree, node, "POST", path, data, now, error);
}

gboolean action_keep_local(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	*now = g_bytes_ref(data);
	return TRUE;
}

gboolean action_delete_url(RfsTree *tree, RfsNode *node, GError **error)
{
	return api_send(tree_api(tree), node->kind->write_group, RFS_OP_DELETE, "DELETE", node->url,
			NULL, NULL, NULL, NULL, error);
}

static char *message_path(RfsNode *node)
{
	return table_expand("/restapi/v1.0/account/{a}/extension/{e}/message-store/{key}", node);
}

gboolean action_delete_message(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(GError) local = NULL;

	if (api_send(tree_api(tree), RFS_GROUP_MEDIUM, RFS_OP_DELETE, "DELETE", path, NULL, NULL,
		     NULL, NULL, &local))
		return TRUE;
	if (local->code == ENOENT)
		return TRUE; /* another file of the same message took it already */
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

gboolean action_delete_conversation(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *escaped = g_uri_escape_string(node->key ? node->key : "", NULL, FALSE);
	g_autofree char *base =
		table_expand("/restapi/v1.0/account/{a}/extension/{e}/message-store", node);
	g_autofree char *path = g_strdup_printf("%s?conversationId=%s", base, escaped);

	if (!node->key) {
		g_set_error(error, RFS_ERROR, EIO, "this conversation has no id");
		return FALSE;
	}
	return api_send(tree_api(tree), RFS_GROUP_MEDIUM, RFS_OP_DELETE, "DELETE", path, NULL, NULL,
			NULL, NULL, error);
}

char *action_get_read_status(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(json_t) msg = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, path, error);
	const char *status = json_string_value(json_object_get(msg, "readStatus"));

	if (!msg)
		return NULL;
	return g_strdup(status ? status : "Unknown");
}

gboolean action_set_read_status(RfsTree *tree, RfsNode *node, const char *status, GError **error)
{
	g_autofree char *path = message_path(node);
	g_autoptr(json_t) body = json_pack("{s:s}", "readStatus", status);

	if (strcmp(status, "Read") != 0 && strcmp(status, "Unread") != 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "read status is Read or Unread");
		return FALSE;
	}
	g_autoptr(GBytes) wire = compact(body);
	return api_send(tree_api(tree), RFS_GROUP_MEDIUM, RFS_OP_WRITE, "PUT", path,
			"application/json", wire, NULL, NULL, error);
}

/* ---- outboxes ----------------------------------------------------------- */

static gboolean valid_number(const char *s, gboolean extension)
{
	gsize digits = 0;

	if (!extension && *s == '+')
		s++;
	for (; *s; s++, digits++)
		if (!g_ascii_isdigit(*s))
			return FALSE;
	return extension ? digits >= 1 && digits <= 8 : digits >= 7 && digits <= 15;
}

/* The message text: UTF-8, one trailing newline dropped (echo adds it), not empty. */
static char *message_text(GBytes *data, GError **error)
{
	gsize len;
	const char *raw = g_bytes_get_data(data, &len);
	glong units = 0;

	if (len > 0 && raw[len - 1] == '\n')
		len--;
	if (len > 0 && raw[len - 1] == '\r')
		len--;
	if (len == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty message: nothing sent");
		return NULL;
	}
	if (!g_utf8_validate_len(raw, len, NULL)) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "the message is not UTF-8 text: nothing sent");
		return NULL;
	}
	char *text = g_strndup(raw, len);
	for (const char *p = text; *p; p = g_utf8_next_char(p))
		units += g_utf8_get_char(p) > 0xFFFF ? 2 : 1;
	if (units > MAX_SMS_UNITS) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "message too long: %ld characters, at most %d: nothing sent", units,
			    MAX_SMS_UNITS);
		g_free(text);
		return NULL;
	}
	return text;
}

/* "<to>[,<to>…][@<from>]" → recipients and sender. */
static gboolean parse_recipients(const char *name, gboolean extension, GStrv *to, char **from,
				 GError **error)
{
	g_autofree char *copy = g_strdup(name);
	char *at = strchr(copy, '@');

	*from = NULL;
	if (at) {
		*at = '\0';
		if (extension || !valid_number(at + 1, FALSE)) {
			g_set_error(error, RFS_ERROR, EINVAL, "bad sender in %s: nothing sent",
				    name);
			return FALSE;
		}
		*from = g_strdup(at + 1);
	}
	g_auto(GStrv) list = g_strsplit(copy, ",", -1);
	guint n = g_strv_length(list);
	if (n == 0 || n > MAX_RECIPIENTS) {
		g_set_error(error, RFS_ERROR, EINVAL, "1 to %d recipients: nothing sent",
			    MAX_RECIPIENTS);
		g_clear_pointer(from, g_free);
		return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		if (!valid_number(list[i], extension)) {
			g_set_error(error, RFS_ERROR, EINVAL, "%s is not %s: nothing sent", list[i],
				    extension ? "an extension number" : "a phone number");
			g_clear_pointer(from, g_free);
			return FALSE;
		}
	}
	*to = g_steal_pointer(&list);
	return TRUE;
}

/* The extension's SMS sender: a number with the SmsSender feature. (transfer full) */
static char *default_sms_sender(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = table_expand(
		"/restapi/v1.0/account/{a}/extension/{e}/phone-number?perPage=1000", node);
	g_autoptr(json_t) list = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, path, error);
	json_t *rec;
	size_t i;
	char *best = NULL;

	if (!list)
		return NULL;
	json_array_foreach (json_object_get(list, "records"), i, rec) {
		json_t *features = json_object_get(rec, "features");
		json_t *f;
		size_t j;
		gboolean sms = FALSE;
		json_array_foreach (features, j, f)
			sms = sms || g_strcmp0(json_string_value(f), "SmsSender") == 0;
		const char *number = json_string_value(json_object_get(rec, "phoneNumber"));
		if (!sms || !number)
			continue;
		if (!best || g_strcmp0(json_string_value(json_object_get(rec, "usageType")),
				       "DirectNumber") == 0) {
			g_free(best);
			best = g_strdup(number);
		}
	}
	if (!best)
		g_set_error(error, RFS_ERROR, EACCES,
			    "this extension has no SMS-capable number: nothing sent");
	return best;
}

/*
 * The POST of an action, once. When the connection died after the request
 * went out, the message store says whether it was sent: look there rather
 * than send again.
 */
static gboolean post_once(RfsTree *tree, RfsNode *node, const char *path, json_t *body,
			  const char *type, const char *text, GBytes **now, GError **error)
{
	g_autoptr(GBytes) wire = compact(body);
	g_autoptr(json_t) answer = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(GDateTime) started = g_date_time_new_now_utc();
	gboolean unknown = FALSE;

	tree_mark_sent(tree, node, TRUE);
	if (api_send(tree_api(tree), RFS_GROUP_MEDIUM, RFS_OP_CREATE, "POST", path,
		     "application/json", wire, &answer, &unknown, &local)) {
		if (answer)
			*now = render_json(answer);
		return TRUE;
	}
	if (!unknown) {
		g_propagate_prefixed_error(error, g_steal_pointer(&local), "not sent: ");
		return FALSE;
	}

	g_autoptr(GDateTime) from = g_date_time_add_minutes(started, -2);
	g_autofree char *since = g_date_time_format(from, "%Y-%m-%dT%H:%M:%S.000Z");
	g_autofree char *base =
		table_expand("/restapi/v1.0/account/{a}/extension/{e}/message-store", node);
	g_autofree char *query = g_strdup_printf(
		"%s?messageType=%s&direction=Outbound&dateFrom=%s&perPage=100", base, type, since);
	g_autoptr(GError) check = NULL;
	g_autoptr(json_t) recent = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, query, &check);
	json_t *rec;
	size_t i;

	json_array_foreach (json_object_get(recent, "records"), i, rec) {
		if (g_strcmp0(json_string_value(json_object_get(rec, "subject")), text) == 0) {
			g_info("%s: the connection failed after sending, but the message store has "
			       "it: sent once",
			       node->name);
			*now = render_json(rec);
			return TRUE;
		}
	}
	g_set_error(error, RFS_ERROR, EIO,
		    "the connection failed after the message was sent (%s) and the message store "
		    "%s; it was not sent again: check, then rewrite the file to send it anew",
		    local->message, recent ? "does not show it yet" : "could not be read");
	return FALSE;
}

gboolean action_send_sms(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	g_autofree char *text = message_text(data, error);

	if (!text || !parse_recipients(node->name, FALSE, &to, &from, error))
		return FALSE;
	if (!from && !(from = default_sms_sender(tree, node, error)))
		return FALSE;
	g_autoptr(json_t) body =
		json_pack("{s:{s:s}, s:[], s:s}", "from", "phoneNumber", from, "to", "text", text);
	for (guint i = 0; to[i]; i++)
		json_array_append_new(json_object_get(body, "to"),
				      json_pack("{s:s}", "phoneNumber", to[i]));
	g_autofree char *path = table_expand("/restapi/v1.0/account/{a}/extension/{e}/sms", node);
	return post_once(tree, node, path, body, "SMS", text, now, error);
}

gboolean action_send_pager(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	g_autofree char *text = message_text(data, error);

	if (!text || !parse_recipients(node->name, TRUE, &to, &from, error))
		return FALSE;
	g_autoptr(json_t) body = json_pack("{s:{s:s}, s:[], s:s}", "from", "extensionId",
					   node->eid ? node->eid : "", "to", "text", text);
	for (guint i = 0; to[i]; i++)
		json_array_append_new(json_object_get(body, "to"),
				      json_pack("{s:s}", "extensionNumber", to[i]));
	g_autofree char *path =
		table_expand("/restapi/v1.0/account/{a}/extension/{e}/company-pager", node);
	return post_once(tree, node, path, body, "Pager", text, now, error);
}
