/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of team messaging (Glip).
 *
 *   glip/groups/<groupId>/                            group.json, members.json, transcript.txt,
 *                                                     posts/, webhooks/, files/
 *   glip/posts/<postId>.json                          GET /glip/posts
 *   glip/persons/<id>.json, glip/companies/<id>.json  by id only
 *   glip/webhooks/<id>.json                           setfattr user.ringfs.status activates
 *
 * Posts are sent once (send_once): a lost answer is looked up among
 * the group's newest posts, never posted twice.
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"
#include "render.h"

#include <errno.h>
#include <string.h>

/* ---- glip/ and its groups --------------------------------------------------- */

static gboolean list_glip(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &table_k_glip_groups, "groups");
	table_add(entries, &table_k_glip_posts, "posts");
	table_add(entries, &table_k_glip_persons, "persons");
	table_add(entries, &table_k_glip_companies, "companies");
	table_add(entries, &table_k_glip_webhooks, "webhooks");
	return TRUE;
}

static gboolean list_glip_groups(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return table_list_with(tree, dir, entries, "?recordCount=250",
			       (TableListing){ .kind = &table_k_glip_group, .as_dir = TRUE },
			       error);
}

static gboolean list_glip_group(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add_document(entries, dir, "group.json", &table_k_document,
			   API_V1 "/glip/groups/{key}");
	table_add_document(entries, dir, "members.json", &table_k_glip_members,
			   API_V1 "/glip/groups/{key}");
	table_add_document(entries, dir, "transcript.txt", &table_k_glip_transcript,
			   API_V1 "/glip/groups/{key}/posts?recordCount=250");
	table_add(entries, &table_k_glip_group_posts, "posts");
	table_add(entries, &table_k_glip_group_webhooks, "webhooks");
	table_add(entries, &table_k_glip_files, "files");
	return TRUE;
}

/* ---- posts and the transcript ------------------------------------------------ */

/* posts: <postId>.json, and <postId>.txt holding the text (rewrite = edit) */
static gboolean each_post(json_t *post, gpointer user, GError **error)
{
	TableListing *l = user;
	g_autofree char *id = render_id(json_object_get(post, "id"));
	const char *text = json_string_value(json_object_get(post, "text"));
	time_t t = table_record_time(post, "creationTime");

	if (!id)
		return TRUE;
	g_autofree char *safe = render_safe_piece(id, 80);
	g_autofree char *json = g_strdup_printf("%s.json", safe);
	table_add_record(l->entries, json, post, t);
	if (l->as_dir) { /* a group's own posts: their text can be edited */
		g_autofree char *txt = g_strdup_printf("%s.txt", safe);
		RfsEntry *e = table_add_rendered(l->entries, txt, render_text(text), t);
		e->kind = &table_k_glip_post_text;
		g_autofree char *base = table_expand(API_V1 "/glip/groups/{key}/posts", l->dir);
		g_autofree char *item = table_item_url(base, id);
		e->url = g_strconcat(item, "/text", NULL);
	}
	return TRUE;
}

static gboolean list_glip_group_posts(RfsTree *tree, RfsNode *dir, GPtrArray *entries,
				      GError **error)
{
	g_autofree char *path =
		table_expand(API_V1 "/glip/groups/{key}/posts?recordCount=250", dir);
	TableListing l = { .entries = entries, .dir = dir, .as_dir = TRUE };
	return api_list(tree_api(tree), RFS_GROUP_MEDIUM, path, each_post, &l, error);
}

static gboolean list_glip_posts(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	TableListing l = { .entries = entries, .dir = dir };
	return api_list(tree_api(tree), RFS_GROUP_LIGHT, API_V1 "/glip/posts?recordCount=250",
			each_post, &l, error);
}

/* {"text": @text} as a request body. (transfer full) */
static GBytes *text_body(const char *text)
{
	g_autoptr(json_t) body = json_pack("{s:s}", "text", text);
	return write_compact(body);
}

/* transcript.txt: "2026-11-20 10:03 <creatorId>: text", oldest first (the newest 250 posts) */
static gboolean load_transcript(RfsTree *tree, RfsNode *node, GBytes **bytes, GError **error)
{
	g_autoptr(json_t) page = api_get_json(tree_api(tree), RFS_GROUP_MEDIUM, node->url, error);
	json_t *records = json_object_get(page, "records");
	GString *out;

	if (!page)
		return FALSE;
	out = g_string_new(NULL);
	for (size_t i = json_array_size(records); i-- > 0;) {
		json_t *p = json_array_get(records, i);
		g_autoptr(GDateTime) dt =
			g_date_time_new_from_unix_utc(table_record_time(p, "creationTime"));
		g_autofree char *when =
			dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M") : g_strdup("?");
		const char *who = json_string_value(json_object_get(p, "creatorId"));
		const char *text = json_string_value(json_object_get(p, "text"));
		g_string_append_printf(out, "%s %s: %s\n", when, who ? who : "?", text ? text : "");
	}
	*bytes = g_string_free_to_bytes(out);
	return TRUE;
}

/* A post of @text to @path, once: a lost answer is looked up among its newest posts. */
static gboolean post_text(RfsTree *tree, RfsNode *node, const char *path, const char *text,
			  GBytes **now, GError **error)
{
	g_autoptr(GBytes) wire = text_body(text);
	g_autofree char *recent = g_strdup_printf("%s?recordCount=30", path);
	RfsSendCheck check = { .list = recent, .text = text };

	return send_once(tree, node, path, "application/json", wire, &check, now, error);
}

/* Appending a line to transcript.txt posts it. */
static gboolean commit_transcript(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				  GError **error)
{
	g_autoptr(GBytes) old = tree_dup_content(tree, node);
	gsize len, old_len;
	const char *text = g_bytes_get_data(data, &len);
	const char *prev = g_bytes_get_data(old, &old_len);

	if (old_len > len || (old_len && memcmp(text, prev, old_len) != 0)) {
		/* the transcript changed since it was opened: the new lines are unknown */
		g_set_error(error, RFS_ERROR, EINVAL,
			    "the transcript changed while open; append again: nothing sent");
		return FALSE;
	}
	text += old_len;
	len -= old_len;
	g_autofree char *post = g_strstrip(g_strndup(text ? text : "", len));
	if (!*post) {
		*now = g_bytes_ref(old);
		return TRUE;
	}
	if (!g_utf8_validate(post, -1, NULL)) {
		g_set_error(error, RFS_ERROR, EINVAL, "the post is not UTF-8 text: nothing sent");
		return FALSE;
	}
	g_autoptr(GBytes) answer = NULL;
	g_autofree char *path = table_expand(API_V1 "/glip/groups/{key}/posts", node);
	if (!post_text(tree, node, path, post, &answer, error))
		return FALSE;
	return load_transcript(tree, node, now, error);
}

/* A new .txt in a group's posts/ is a post of its text; a .json is sent as it is. */
static gboolean commit_new_text(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				GError **error)
{
	gsize len;
	const char *text = g_bytes_get_data(data, &len);
	g_autofree char *post = g_strstrip(g_strndup(text ? text : "", len));

	if (!*post || !g_utf8_validate(post, -1, NULL)) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty or not UTF-8: nothing posted");
		return FALSE;
	}
	g_autofree char *path = table_expand(node->parent->kind->endpoint, node->parent);
	return post_text(tree, node, path, post, now, error);
}

/* <postId>.txt rewritten: PUT …/posts/{id}/text */
static gboolean commit_post_text(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				 GError **error)
{
	gsize len;
	const char *text = g_bytes_get_data(data, &len);
	g_autofree char *post = g_strndup(text ? text : "", len);

	g_strchomp(post);
	if (!*post || !g_utf8_validate(post, -1, NULL)) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty or not UTF-8: nothing sent");
		return FALSE;
	}
	g_autoptr(GBytes) wire = text_body(post);
	if (!api_send(tree_api(tree),
		      &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				     .op = RFS_OP_WRITE,
				     .method = "PUT",
				     .path = node->url,
				     .content_type = "application/json",
				     .body = wire },
		      NULL, error))
		return FALSE;
	*now = render_text(post);
	return TRUE;
}

/* ---- members, webhooks, files ------------------------------------------------ */

/* members.json: a bulk-assign body ({"addedPersonIds": [...], ...}) is POSTed */
static gboolean commit_members(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
			       GError **error)
{
	g_autoptr(json_t) body = write_parse_object(data, error);

	if (!body)
		return FALSE;
	if (!json_object_get(body, "addedPersonIds") &&
	    !json_object_get(body, "removedPersonIds") &&
	    !json_object_get(body, "addedPersonEmails")) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "write {\"addedPersonIds\": [...], \"removedPersonIds\": [...]} "
			    "(or addedPersonEmails): nothing sent");
		return FALSE;
	}
	g_autofree char *path = table_expand(API_V1 "/glip/groups/{key}/bulk-assign", node);
	return write_object(tree,
			    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
					   .op = RFS_OP_WRITE,
					   .method = "POST",
					   .path = path },
			    body, now, error);
}

/* a group's webhooks/ and glip/webhooks/: <id>.json, each read by GET /glip/webhooks/{id} */
static gboolean list_webhooks(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return table_list_with(tree, dir, entries, NULL,
			       (TableListing){ .kind = &table_k_glip_webhook,
					       .item_base = API_V1 "/glip/webhooks" },
			       error);
}

/* Any new file in a group's webhooks/ creates a webhook (the call takes no body). */
static gboolean commit_new_webhook(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				   GError **error)
{
	g_autofree char *path = table_expand(API_V1 "/glip/groups/{key}/webhooks", node);

	return write_object(tree,
			    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
					   .op = RFS_OP_CREATE,
					   .method = "POST",
					   .path = path },
			    NULL, now, error);
}

/* files/<name>: uploaded to the group (multipart, part "body"), once */
static gboolean commit_glip_file(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				 GError **error)
{
	if (g_bytes_get_size(data) == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty file: nothing uploaded");
		return FALSE;
	}
	g_autofree char *group = g_uri_escape_string(node->key, NULL, FALSE);
	g_autofree char *name = g_uri_escape_string(node->name, NULL, FALSE);
	g_autofree char *path =
		g_strdup_printf(API_V1 "/glip/files?groupId=%s&name=%s", group, name);
	return send_file(tree, node, path, "body", data, now, error);
}

/* ---- persons, companies, new files ------------------------------------------- */

static RfsEntry *fetch_person(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, FALSE);
	return id ? table_entry_by_id(dir, name, &table_k_document, API_V1 "/glip/persons", id)
		  : NULL;
}

static RfsEntry *fetch_company(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, FALSE);
	return id ? table_entry_by_id(dir, name, &table_k_document, API_V1 "/glip/companies", id)
		  : NULL;
}

static const RfsKind *create_post(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (g_str_has_suffix(name, ".txt"))
		return &table_k_glip_new_post;
	return g_str_has_suffix(name, ".json") ? &table_k_glip_new_post_json : NULL;
}

static const RfsKind *create_webhook(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &table_k_glip_new_webhook;
}

static const RfsKind *create_file(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &table_k_glip_file;
}

/* setfattr -n user.ringfs.status -v Active|Suspended: POST …/activate or …/suspend */
static gboolean set_webhook_status(RfsTree *tree, RfsNode *node, const char *value, GError **error)
{
	const char *verb = strcmp(value, "Active") == 0	     ? "/activate"
			   : strcmp(value, "Suspended") == 0 ? "/suspend"
							     : NULL;
	if (!verb) {
		g_set_error(error, RFS_ERROR, EINVAL, "a webhook's status is Active or Suspended");
		return FALSE;
	}
	return write_post_verb(tree, node, verb, error);
}

static const RfsXattr webhook_xattrs[] = {
	{ "user.ringfs.status", NULL, set_webhook_status, RFS_STALE_NODE },
	{ .name = NULL },
};

/* ---- the rows ---------------------------------------------------------------- */

const RfsKind table_k_glip = { TABLE_DIR("glip", list_glip) };
const RfsKind table_k_glip_groups = { TABLE_DIR("glip-groups", list_glip_groups),
				      .group = RFS_GROUP_MEDIUM, .endpoint = API_V1 "/glip/groups",
				      .create = table_create_entry, .scratch = TRUE };
const RfsKind table_k_glip_group = { TABLE_DIR("glip-group", list_glip_group), .scratch = TRUE };
const RfsKind table_k_glip_members = { TABLE_DOC("glip-members"), .group = RFS_GROUP_LIGHT,
				       .write_group = RFS_GROUP_MEDIUM, .commit = commit_members };
const RfsKind table_k_glip_transcript = {
	TABLE_DOC("glip-transcript"), .group = RFS_GROUP_MEDIUM,   .write_group = RFS_GROUP_MEDIUM,
	.load = load_transcript,      .commit = commit_transcript, .grows = TRUE
};
const RfsKind table_k_glip_group_posts = { TABLE_DIR("glip-group-posts", list_glip_group_posts),
					   .group = RFS_GROUP_MEDIUM,
					   .endpoint = API_V1 "/glip/groups/{key}/posts",
					   .create = create_post, .scratch = TRUE };
const RfsKind table_k_glip_post_text = { .name = "glip-post-text",
					 .type = RFS_NODE_FILE,
					 .content = RFS_CONTENT_RENDERED,
					 .write_group = RFS_GROUP_MEDIUM,
					 .commit = commit_post_text };
const RfsKind table_k_glip_new_post = { .name = "glip-new-post",
					.type = RFS_NODE_FILE,
					.content = RFS_CONTENT_RENDERED,
					.write_group = RFS_GROUP_MEDIUM,
					.commit = commit_new_text };
const RfsKind table_k_glip_new_post_json = { .name = "glip-new-post-json",
					     .type = RFS_NODE_FILE,
					     .content = RFS_CONTENT_RENDERED,
					     .write_group = RFS_GROUP_LIGHT,
					     .commit = write_post_json };
const RfsKind table_k_glip_posts = { TABLE_DIR("glip-posts", list_glip_posts),
				     .group = RFS_GROUP_LIGHT, .endpoint = API_V1 "/glip/posts",
				     .create = create_post, .scratch = TRUE };
const RfsKind table_k_glip_group_webhooks = { TABLE_DIR("glip-group-webhooks", list_webhooks),
					      .group = RFS_GROUP_MEDIUM,
					      .endpoint = API_V1 "/glip/groups/{key}/webhooks",
					      .create = create_webhook, .scratch = TRUE };
const RfsKind table_k_glip_new_webhook = { .name = "glip-new-webhook",
					   .type = RFS_NODE_FILE,
					   .content = RFS_CONTENT_RENDERED,
					   .write_group = RFS_GROUP_MEDIUM,
					   .commit = commit_new_webhook,
					   .send_on_create = TRUE };
const RfsKind table_k_glip_files = { TABLE_DIR("glip-files", table_list_nothing),
				     .create = create_file, .scratch = TRUE };
const RfsKind table_k_glip_file = { .name = "glip-file",
				    .type = RFS_NODE_FILE,
				    .content = RFS_CONTENT_RENDERED,
				    .write_group = RFS_GROUP_HEAVY,
				    .commit = commit_glip_file,
				    .sends_once = TRUE };
const RfsKind table_k_glip_persons = { TABLE_DIR("glip-persons", table_list_nothing),
				       .fetch = fetch_person };
const RfsKind table_k_glip_companies = { TABLE_DIR("glip-companies", table_list_nothing),
					 .fetch = fetch_company };
const RfsKind table_k_glip_webhooks = { TABLE_DIR("glip-webhooks", list_webhooks),
					.group = RFS_GROUP_MEDIUM,
					.endpoint = API_V1 "/glip/webhooks" };
const RfsKind table_k_glip_webhook = { TABLE_DOC("glip-webhook"), .group = RFS_GROUP_MEDIUM,
				       .write_group = RFS_GROUP_MEDIUM, .remove = write_delete_url,
				       .xattrs = webhook_xattrs };
