/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of team messaging (team-messaging/, and glip, a link to it).
 *
 *   team-messaging/groups/<chatId>/                   group.json, members.json, transcript.txt,
 *                                                     posts/, webhooks/, files/
 *   team-messaging/posts/<postId>.json                GET /glip/posts (no newer call)
 *   team-messaging/persons/<id>.json, companies/<id>.json  by id only
 *   team-messaging/webhooks/<id>.json                 setfattr user.ringfs.status activates
 *
 * Today's API is /team-messaging/v1 (chats, their posts, teams/{id}/add|remove,
 * files, persons, companies, webhooks); /restapi/v1.0/glip is deprecated. The
 * first call that needs to know (the listing of groups/, as a rule) asks
 * /team-messaging/v1/chats: a 404 there is a server without it, asked /glip
 * from then on (one mount per process), as before. The rows' endpoints are
 * today's; LEGACY() names the old one beside it.
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

/* ---- which API: /team-messaging/v1 or the old /glip ------------------------- */

#define TM	     "/team-messaging/v1"
#define LEGACY(path) path /* the old call, used where /team-messaging/v1 is missing */

enum {
	GEN_UNKNOWN,
	GEN_CURRENT,
	GEN_LEGACY
};
static gint glip_generation; /* atomic: GEN_* */

static void set_generation(int gen)
{
	if (g_atomic_int_compare_and_exchange(&glip_generation, GEN_UNKNOWN, gen) &&
	    gen == GEN_LEGACY)
		g_message("the server has no /team-messaging/v1: using the deprecated /glip calls");
}

/* Whether the server has /team-messaging/v1: known, or asked once (one chat). */
static gboolean glip_current(RfsTree *tree, gboolean *current, GError **error)
{
	int gen = g_atomic_int_get(&glip_generation);

	if (gen == GEN_UNKNOWN) {
		g_autoptr(GError) local = NULL;
		g_autoptr(json_t) page = api_get_json(tree_api(tree), RFS_GROUP_MEDIUM,
						      TM "/chats?recordCount=1", &local);
		if (!page && local->code != ENOENT) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		set_generation(page ? GEN_CURRENT : GEN_LEGACY);
		gen = g_atomic_int_get(&glip_generation);
	}
	*current = gen == GEN_CURRENT;
	return TRUE;
}

/* @now or @old expanded for @node, as the server's generation says. (transfer full) */
static char *glip_path(RfsTree *tree, const RfsNode *node, const char *now, const char *old,
		       GError **error)
{
	gboolean current;

	return glip_current(tree, &current, error) ? table_expand(current ? now : old, node) : NULL;
}

/* ---- team-messaging/ and its groups ----------------------------------------- */

static gboolean list_glip(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &table_k_glip_groups, "groups");
	table_add(entries, &table_k_glip_posts, "posts");
	table_add(entries, &table_k_glip_persons, "persons");
	table_add(entries, &table_k_glip_companies, "companies");
	table_add(entries, &table_k_glip_webhooks, "webhooks");
	return TRUE;
}

#define GROUPS_LEGACY LEGACY(API_V1 "/glip/groups")

/* groups/: GET /team-messaging/v1/chats, the first call that finds out which API there is */
static gboolean list_glip_groups(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	TableListing l = { .kind = &table_k_glip_group, .as_dir = TRUE };
	g_autoptr(GError) local = NULL;

	if (g_atomic_int_get(&glip_generation) != GEN_LEGACY) {
		if (table_list_with(tree, dir, entries, "?recordCount=250", l, &local)) {
			set_generation(GEN_CURRENT);
			return TRUE;
		}
		if (local->code != ENOENT || g_atomic_int_get(&glip_generation) == GEN_CURRENT) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		set_generation(GEN_LEGACY);
		g_ptr_array_set_size(entries, 0);
	}
	l.entries = entries;
	l.dir = dir;
	return table_list_at(tree, dir, GROUPS_LEGACY "?recordCount=250", l, error);
}

static gboolean list_glip_group(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	gboolean cur;

	if (!glip_current(tree, &cur, error))
		return FALSE;
	const char *group = cur ? TM "/chats/{key}" : LEGACY(API_V1 "/glip/groups/{key}");
	table_add_document(entries, dir, "group.json", &table_k_document, group);
	table_add_document(entries, dir, "members.json", &table_k_glip_members, group);
	table_add_document(entries, dir, "transcript.txt", &table_k_glip_transcript,
			   cur ? TM "/chats/{key}/posts?recordCount=250"
			       : LEGACY(API_V1 "/glip/groups/{key}/posts?recordCount=250"));
	table_add(entries, &table_k_glip_group_posts, "posts");
	table_add(entries, &table_k_glip_group_webhooks, "webhooks");
	table_add(entries, &table_k_glip_files, "files");
	return TRUE;
}

/* A new <name>.json in groups/: a team ({"type": "Team", "name", "members": [...]}) or a
 * conversation ({"members"}). Today: POST /teams ("isPublic" as "public") or
 * /conversations; the old API: POST /glip/groups as written. */
static gboolean commit_new_group(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				 GError **error)
{
	g_autoptr(json_t) body = write_parse_object(data, error);
	gboolean cur;

	if (!body || !glip_current(tree, &cur, error))
		return FALSE;
	const char *path = GROUPS_LEGACY;
	if (cur) {
		const char *type = json_string_value(json_object_get(body, "type"));
		gboolean team =
			type ? strcmp(type, "Team") == 0 : json_object_get(body, "name") != NULL;
		json_t *pub = json_object_get(body, "isPublic");

		if (pub && !json_object_get(body, "public"))
			json_object_set(body, "public", pub);
		json_object_del(body, "isPublic");
		json_object_del(body, "type");
		path = team ? TM "/teams" : TM "/conversations";
	}
	return write_object(tree,
			    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
					   .op = RFS_OP_CREATE,
					   .method = "POST",
					   .path = path },
			    body, now, error);
}

static const RfsKind *create_group(RfsTree *tree, RfsNode *dir, const char *name)
{
	return g_str_has_suffix(name, ".json") ? &table_k_glip_new_group : NULL;
}

/* ---- posts and the transcript ------------------------------------------------ */

#define POSTS_LEGACY LEGACY(API_V1 "/glip/groups/{key}/posts")

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
		/* the generation is known: the group's posts/ was listed */
		gboolean cur = g_atomic_int_get(&glip_generation) != GEN_LEGACY;
		g_autofree char *base =
			table_expand(cur ? TM "/chats/{key}/posts" : POSTS_LEGACY, l->dir);
		g_autofree char *item = table_item_url(base, id);
		e->url = cur ? g_steal_pointer(&item) : g_strconcat(item, "/text", NULL);
	}
	return TRUE;
}

/* A group's posts/, where new posts go. (transfer full) */
static char *posts_path(RfsTree *tree, const RfsNode *node, GError **error)
{
	return glip_path(tree, node, table_k_glip_group_posts.endpoint, POSTS_LEGACY, error);
}

static gboolean list_glip_group_posts(RfsTree *tree, RfsNode *dir, GPtrArray *entries,
				      GError **error)
{
	g_autofree char *base = posts_path(tree, dir, error);
	if (!base)
		return FALSE;
	g_autofree char *path = g_strconcat(base, "?recordCount=250", NULL);
	TableListing l = { .entries = entries, .dir = dir, .as_dir = TRUE };
	/* the first page is transcript.txt's document: one GET for both */
	g_autoptr(json_t) first = tree_get_json(tree, RFS_GROUP_MEDIUM, path, NULL, NULL, error);
	return first &&
	       api_list_from(tree_api(tree), RFS_GROUP_MEDIUM, path, first, each_post, &l, error);
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
static GBytes *render_transcript(json_t *page)
{
	json_t *records = json_object_get(page, "records");
	GString *out = g_string_new(NULL);

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
	return g_string_free_to_bytes(out);
}

/* The page is posts/'s first too: one GET for both within cache_timeout. */
static gboolean load_transcript(RfsTree *tree, RfsNode *node, GBytes **bytes, GError **error)
{
	g_autoptr(json_t) page =
		tree_get_json(tree, RFS_GROUP_MEDIUM, node_url(node), NULL, NULL, error);

	if (!page)
		return FALSE;
	*bytes = render_transcript(page);
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
	g_autofree char *path = posts_path(tree, node, error);
	if (!path || !post_text(tree, node, path, post, &answer, error))
		return FALSE;
	/* asked again, not from what was fetched before the post */
	g_autoptr(json_t) page =
		api_get_json(tree_api(tree), RFS_GROUP_MEDIUM, node_url(node), error);
	if (!page)
		return FALSE;
	*now = render_transcript(page);
	return TRUE;
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
	g_autofree char *path = posts_path(tree, node->parent, error);
	return path && post_text(tree, node, path, post, now, error);
}

/* A new .json in a group's posts/: POSTed as it is. */
static gboolean commit_new_post_json(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				     GError **error)
{
	g_autoptr(json_t) body = write_parse_object(data, error);
	g_autofree char *path = body ? posts_path(tree, node->parent, error) : NULL;

	return path && write_object(tree,
				    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
						   .op = RFS_OP_CREATE,
						   .method = "POST",
						   .path = path },
				    body, now, error);
}

/* <postId>.txt rewritten: PATCH …/chats/{chatId}/posts/{id} (old API: PUT …/posts/{id}/text) */
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
	if (!api_send(
		    tree_api(tree),
		    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
				   .op = RFS_OP_WRITE,
				   .method = g_str_has_prefix(node_url(node), TM) ? "PATCH" : "PUT",
				   .path = node_url(node),
				   .content_type = "application/json",
				   .body = wire },
		    NULL, error))
		return FALSE;
	*now = render_text(post);
	return TRUE;
}

/* ---- members, webhooks, files ------------------------------------------------ */

/* {"members": [{@key: id}, ...]} of the strings in @ids, or NULL when it is not such a list. */
static json_t *members_of(json_t *ids, const char *key)
{
	json_t *members = json_array(), *id;
	size_t i;

	json_array_foreach (ids, i, id) {
		if (!json_is_string(id) && !json_is_integer(id)) {
			json_decref(members);
			return NULL;
		}
		g_autofree char *text =
			json_is_string(id)
				? g_strdup(json_string_value(id))
				: g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(id));
		json_array_append_new(members, json_pack("{s:s}", key, text));
	}
	return json_pack("{s:o}", "members", members);
}

/* Today: the bulk-assign body as POST /teams/{id}/add and …/remove, then the chat anew. */
static gboolean assign_members(RfsTree *tree, RfsNode *node, json_t *body, GBytes **now,
			       GError **error)
{
	json_t *added = json_object_get(body, "addedPersonIds");
	json_t *emails = json_object_get(body, "addedPersonEmails");
	json_t *removed = json_object_get(body, "removedPersonIds");
	g_autoptr(json_t) list = json_array();

	if ((added && !json_is_array(added)) || (emails && !json_is_array(emails)) ||
	    (removed && !json_is_array(removed))) {
		g_set_error(error, RFS_ERROR, EINVAL, "the person lists are arrays: nothing sent");
		return FALSE;
	}
	if ((json_array_size(added) || json_array_size(emails)) && json_array_size(removed)) {
		/* as the old API: one operation at a time, so that none is done half */
		g_set_error(error, RFS_ERROR, EINVAL,
			    "add or remove members, not both at once: nothing sent");
		return FALSE;
	}
	gboolean adding = !json_array_size(removed);
	g_autoptr(json_t) by_id = members_of(adding ? added : removed, "id");
	g_autoptr(json_t) by_mail = members_of(adding ? emails : NULL, "email");
	if (!by_id || !by_mail) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "person ids and emails are strings: nothing sent");
		return FALSE;
	}
	json_array_extend(list, json_object_get(by_id, "members"));
	json_array_extend(list, json_object_get(by_mail, "members"));
	if (!json_array_size(list)) {
		g_set_error(error, RFS_ERROR, EINVAL, "no person to add or remove: nothing sent");
		return FALSE;
	}
	g_autoptr(json_t) wire = json_pack("{s:O}", "members", list);
	g_autofree char *path =
		table_expand(adding ? TM "/teams/{key}/add" : TM "/teams/{key}/remove", node);
	g_autoptr(GBytes) answer = NULL;
	if (!write_object(tree,
			  &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
					 .op = RFS_OP_WRITE,
					 .method = "POST",
					 .path = path },
			  wire, &answer, error))
		return FALSE;
	g_autoptr(json_t) chat =
		api_get_json(tree_api(tree), RFS_GROUP_LIGHT, node_url(node), error);
	if (!chat)
		return FALSE;
	*now = render_json(chat);
	return TRUE;
}

/* members.json: a bulk-assign body ({"addedPersonIds": [...], ...}): POST …/bulk-assign,
 * today POST /teams/{id}/add or …/remove */
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
	if (g_str_has_prefix(node_url(node), TM))
		return assign_members(tree, node, body, now, error);
	g_autofree char *path = table_expand(LEGACY(API_V1 "/glip/groups/{key}/bulk-assign"), node);
	return write_object(tree,
			    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
					   .op = RFS_OP_WRITE,
					   .method = "POST",
					   .path = path },
			    body, now, error);
}

#define WEBHOOKS_LEGACY	      LEGACY(API_V1 "/glip/webhooks")
#define GROUP_WEBHOOKS_LEGACY LEGACY(API_V1 "/glip/groups/{key}/webhooks")

/* a group's webhooks/ and webhooks/: <id>.json, each read by GET …/webhooks/{id} */
static gboolean list_webhooks(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	gboolean cur;

	if (!glip_current(tree, &cur, error))
		return FALSE;
	const char *group = dir->kind == &table_k_glip_webhooks ? NULL : GROUP_WEBHOOKS_LEGACY;
	g_autofree char *path = cur ? table_expand(dir->kind->endpoint, dir)
				    : table_expand(group ? group : WEBHOOKS_LEGACY, dir);
	TableListing l = { .entries = entries,
			   .dir = dir,
			   .kind = &table_k_glip_webhook,
			   .item_base = cur ? table_k_glip_webhooks.endpoint : WEBHOOKS_LEGACY };
	return table_list_at(tree, dir, path, l, error);
}

/* Any new file in a group's webhooks/ creates a webhook (the call takes no body). */
static gboolean commit_new_webhook(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				   GError **error)
{
	g_autofree char *path = glip_path(tree, node, table_k_glip_group_webhooks.endpoint,
					  GROUP_WEBHOOKS_LEGACY, error);

	return path && write_object(tree,
				    &(RfsApiSend){ .group = RFS_GROUP_MEDIUM,
						   .op = RFS_OP_CREATE,
						   .method = "POST",
						   .path = path },
				    NULL, now, error);
}

/* files/<name>: uploaded to the group (multipart, part "body"), once: POST /team-messaging/v1/files
 * (old API: /glip/files) */
static gboolean commit_glip_file(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				 GError **error)
{
	if (g_bytes_get_size(data) == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty file: nothing uploaded");
		return FALSE;
	}
	g_autofree char *group = g_uri_escape_string(node_key(node), NULL, FALSE);
	g_autofree char *name = g_uri_escape_string(node->name, NULL, FALSE);
	gboolean cur;
	if (!glip_current(tree, &cur, error))
		return FALSE;
	g_autofree char *path =
		g_strdup_printf("%s?groupId=%s&name=%s",
				cur ? TM "/files" : LEGACY(API_V1 "/glip/files"), group, name);
	return send_file(tree, node, path, "body", data, now, error);
}

/* ---- persons, companies, new files ------------------------------------------- */

/* <id>.json of persons/ or companies/: GET …/persons/{id} (@now, else @old) */
static RfsEntry *fetch_by_id(RfsTree *tree, RfsNode *dir, const char *name, const char *now,
			     const char *old)
{
	g_autofree char *id = table_name_id(name, FALSE);
	g_autoptr(GError) error = NULL;
	gboolean cur;

	if (!id)
		return NULL;
	if (!glip_current(tree, &cur, &error)) {
		g_message("%s: %s", name, error->message);
		return NULL;
	}
	return table_entry_by_id(dir, name, &table_k_document, cur ? now : old, id);
}

static RfsEntry *fetch_person(RfsTree *tree, RfsNode *dir, const char *name)
{
	return fetch_by_id(tree, dir, name, TM "/persons", LEGACY(API_V1 "/glip/persons"));
}

static RfsEntry *fetch_company(RfsTree *tree, RfsNode *dir, const char *name)
{
	return fetch_by_id(tree, dir, name, TM "/companies", LEGACY(API_V1 "/glip/companies"));
}

static const RfsKind *create_post(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (g_str_has_suffix(name, ".txt"))
		return &table_k_glip_new_post;
	if (!g_str_has_suffix(name, ".json"))
		return NULL;
	return dir->kind == &table_k_glip_posts ? &table_k_glip_new_post_json
						: &table_k_glip_new_group_post_json;
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
				      .group = RFS_GROUP_MEDIUM, .endpoint = TM "/chats",
				      .create = create_group, .scratch = TRUE };
const RfsKind table_k_glip_new_group = { .name = "glip-new-group",
					 .type = RFS_NODE_FILE,
					 .content = RFS_CONTENT_RENDERED,
					 .write_group = RFS_GROUP_MEDIUM,
					 .commit = commit_new_group };
const RfsKind table_k_glip_group = { TABLE_DIR("glip-group", list_glip_group), .scratch = TRUE };
const RfsKind table_k_glip_members = { TABLE_DOC("glip-members"), .group = RFS_GROUP_LIGHT,
				       .write_group = RFS_GROUP_MEDIUM, .commit = commit_members };
const RfsKind table_k_glip_transcript = {
	TABLE_DOC("glip-transcript"), .group = RFS_GROUP_MEDIUM,   .write_group = RFS_GROUP_MEDIUM,
	.load = load_transcript,      .commit = commit_transcript, .grows = TRUE
};
const RfsKind table_k_glip_group_posts = { TABLE_DIR("glip-group-posts", list_glip_group_posts),
					   .group = RFS_GROUP_MEDIUM,
					   .endpoint = TM "/chats/{key}/posts",
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
const RfsKind table_k_glip_new_group_post_json = { .name = "glip-new-group-post-json",
						   .type = RFS_NODE_FILE,
						   .content = RFS_CONTENT_RENDERED,
						   .write_group = RFS_GROUP_MEDIUM,
						   .commit = commit_new_post_json };
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
					      .endpoint = TM "/groups/{key}/webhooks",
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
					.group = RFS_GROUP_MEDIUM, .endpoint = TM "/webhooks" };
const RfsKind table_k_glip_webhook = { TABLE_DOC("glip-webhook"), .group = RFS_GROUP_MEDIUM,
				       .write_group = RFS_GROUP_MEDIUM, .remove = write_delete_url,
				       .xattrs = webhook_xattrs };
