/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rest of the API as files: API info and status, dictionaries, Glip,
 * subscriptions, meetings, RingOut, authorization, the company directory,
 * active calls, and records reached by their id.
 *
 *   api/versions.json, api/v1.0.json, api/status      GET /restapi/, /restapi/v1.0, /status
 *   dictionary/greetings/<id>_<name>.json             GET /dictionary/greeting (+ <id>.json by id)
 *   dictionary/fax-cover-pages.json                   GET /dictionary/fax-cover-page
 *   glip/groups/<groupId>/                            group.json, members.json, transcript.txt,
 *                                                     posts/, webhooks/, files/
 *   glip/posts/, glip/persons/<id>.json, glip/companies/<id>.json, glip/webhooks/
 *   subscriptions/<id>.json                           touch renews
 *   …/{e}/meetings/<id>.json, meetings-service-info.json, ringout/, ringout-legacy/,
 *   authz-profile.json, authz-check/<permission>.json, active-calls/
 *   accounts/{a}/directory/
 */
#define _GNU_SOURCE
#include "actions.h"
#include "render.h"
#include "table-private.h"

#include <errno.h>
#include <string.h>

#define API "/restapi/v1.0"

static const RfsKind k_doc_none, k_status, k_dict_greetings, k_glip_groups, k_glip_group,
	k_glip_members, k_glip_transcript, k_glip_posts, k_glip_group_posts, k_glip_post_text,
	k_glip_new_text, k_glip_group_webhooks, k_glip_new_webhook, k_glip_files, k_glip_file,
	k_glip_persons, k_glip_companies, k_glip_webhooks, k_glip_webhook, k_new_post,
	k_subscription, k_meeting, k_ringout_item, k_new_entry, k_rendered_x;

/* ---- small helpers -------------------------------------------------------- */

/* "<id>.json" with an id of [A-Za-z0-9_-] only; NULL for any other name. (transfer full) */
static char *id_of(const char *name, gboolean digits_only)
{
	if (!g_str_has_suffix(name, ".json") || strlen(name) <= 5)
		return NULL;
	g_autofree char *id = g_strndup(name, strlen(name) - 5);
	for (const char *p = id; *p; p++)
		if (digits_only ? !g_ascii_isdigit(*p)
				: !(g_ascii_isalnum(*p) || *p == '-' || *p == '_'))
			return NULL;
	return g_steal_pointer(&id);
}

/* A document entry for @name at @tmpl + "/" + id. */
static RfsEntry *fetched(RfsNode *dir, const char *name, const RfsKind *kind, const char *tmpl,
			 const char *id)
{
	g_autofree char *base = table_expand(tmpl, dir);
	g_autofree char *escaped = g_uri_escape_string(id, NULL, FALSE);
	RfsEntry *entry = node_entry_new(name, kind);

	entry->url = g_strdup_printf("%s/%s", base, escaped);
	return entry;
}

RfsEntry *table_fetch_contact(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, TRUE);
	return id ? fetched(dir, name, &table_k_doc_heavy,
			    API "/account/{a}/extension/{e}/address-book/contact", id)
		  : NULL;
}

RfsEntry *table_fetch_message(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, TRUE);
	return id ? fetched(dir, name, &table_k_doc_light,
			    API "/account/{a}/extension/{e}/message-store", id)
		  : NULL;
}

RfsEntry *table_fetch_call(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, FALSE);
	if (!id || !dir->eid)
		return NULL; /* the API reads one call of an extension's log only */
	return fetched(dir, name, &table_k_doc_heavy, API "/account/{a}/extension/{e}/call-log",
		       id);
}

RfsEntry *table_fetch_recording(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, TRUE);
	return id ? fetched(dir, name, &table_k_doc_heavy, API "/account/{a}/recording", id) : NULL;
}

/* ---- listings ----------------------------------------------------------------- */

typedef struct {
	GPtrArray *entries;
	RfsNode *dir;
	const RfsKind *kind;   /* of each entry */
	const char *item_base; /* documents: their URL is item_base/<id> */
	const char *name_key;  /* also in the name: <id>_<value>.json */
	gboolean as_dir;       /* entries are directories (key = id) */
} Listing;

static gboolean each_record(json_t *rec, gpointer user, GError **error)
{
	Listing *l = user;
	g_autofree char *id = render_id(json_object_get(rec, "id"));
	const char *extra =
		l->name_key ? json_string_value(json_object_get(rec, l->name_key)) : NULL;

	if (!id)
		return TRUE;
	g_autofree char *safe = render_safe_piece(id, 80);
	g_autofree char *piece = extra ? render_safe_piece(extra, 60) : NULL;
	g_autofree char *name = l->as_dir ? g_strdup(safe)
				: piece	  ? g_strdup_printf("%s_%s.json", safe, piece)
					  : g_strdup_printf("%s.json", safe);
	RfsEntry *e = table_add(l->entries, l->kind, name);
	time_t t = table_record_time(rec, "lastModifiedTime");
	e->mtime = t ? t : table_record_time(rec, "creationTime");
	if (l->as_dir) {
		e->key = g_strdup(id);
	} else if (l->item_base) {
		g_autofree char *base = table_expand(l->item_base, l->dir);
		g_autofree char *escaped = g_uri_escape_string(id, NULL, FALSE);
		e->url = g_strdup_printf("%s/%s", base, escaped);
	} else {
		e->content = render_json(rec);
	}
	return TRUE;
}

static gboolean list_with(RfsTree *tree, RfsNode *dir, GPtrArray *entries, const char *query,
			  Listing l, GError **error)
{
	g_autofree char *base = table_expand(dir->kind->endpoint, dir);
	g_autofree char *path = g_strdup_printf("%s%s", base, query ? query : "");

	l.entries = entries;
	l.dir = dir;
	return api_list(tree_api(tree), dir->kind->group, path, each_record, &l, error);
}

static char *per_page(RfsTree *tree)
{
	return g_strdup_printf("?perPage=%d", tree_config(tree)->page_size);
}

/* ---- api, dictionary ------------------------------------------------------------ */

static gboolean list_api(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add_document(entries, dir, "versions.json", &k_doc_none, "/restapi/");
	table_add_document(entries, dir, "v1.0.json", &k_doc_none, "/restapi/v1.0");
	table_add_document(entries, dir, "status", &k_status, API "/status");
	return TRUE;
}

/* The status call answers 200 with no body while the API works. */
static gboolean load_status(RfsTree *tree, RfsNode *node, GBytes **bytes, GError **error)
{
	if (!api_send(tree_api(tree), RFS_GROUP_NONE, RFS_OP_READ, "GET", node->url, NULL, NULL,
		      NULL, NULL, error))
		return FALSE;
	*bytes = g_bytes_new_static("available\n", 10);
	return TRUE;
}

static gboolean list_dictionary(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &k_dict_greetings, "greetings");
	table_add_document(entries, dir, "fax-cover-pages.json", &table_k_doc_light,
			   API "/dictionary/fax-cover-page");
	return TRUE;
}

/* records as <id>_<name>.json, made from the listing (dictionary greetings, directory) */
static gboolean list_named(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *q = per_page(tree);
	return list_with(tree, dir, entries, q,
			 (Listing){ .kind = &k_rendered_x, .name_key = "name" }, error);
}

static RfsEntry *fetch_greeting(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, TRUE);
	return id ? fetched(dir, name, &table_k_doc_medium, API "/dictionary/greeting", id) : NULL;
}

/* ---- Glip ----------------------------------------------------------------------- */

static gboolean list_glip(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &k_glip_groups, "groups");
	table_add(entries, &k_glip_posts, "posts");
	table_add(entries, &k_glip_persons, "persons");
	table_add(entries, &k_glip_companies, "companies");
	table_add(entries, &k_glip_webhooks, "webhooks");
	return TRUE;
}

static gboolean list_glip_groups(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return list_with(tree, dir, entries, "?recordCount=250",
			 (Listing){ .kind = &k_glip_group, .as_dir = TRUE }, error);
}

static gboolean list_glip_group(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add_document(entries, dir, "group.json", &table_k_doc_light,
			   API "/glip/groups/{key}");
	table_add_document(entries, dir, "members.json", &k_glip_members, API "/glip/groups/{key}");
	table_add_document(entries, dir, "transcript.txt", &k_glip_transcript,
			   API "/glip/groups/{key}/posts?recordCount=250");
	table_add(entries, &k_glip_group_posts, "posts");
	table_add(entries, &k_glip_group_webhooks, "webhooks");
	table_add(entries, &k_glip_files, "files");
	return TRUE;
}

/* posts: <postId>.json, and <postId>.txt holding the text (rewrite = edit) */
static gboolean each_post(json_t *post, gpointer user, GError **error)
{
	Listing *l = user;
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
		RfsEntry *e = table_add_rendered(
			l->entries, txt, g_bytes_new(text ? text : "", text ? strlen(text) : 0), t);
		e->kind = &k_glip_post_text;
		g_autofree char *base = table_expand(API "/glip/groups/{key}/posts", l->dir);
		e->url = g_strdup_printf("%s/%s/text", base, id);
	}
	return TRUE;
}

static gboolean list_glip_group_posts(RfsTree *tree, RfsNode *dir, GPtrArray *entries,
				      GError **error)
{
	g_autofree char *path = table_expand(API "/glip/groups/{key}/posts?recordCount=250", dir);
	Listing l = { .entries = entries, .dir = dir, .as_dir = TRUE };
	return api_list(tree_api(tree), RFS_GROUP_MEDIUM, path, each_post, &l, error);
}

static gboolean list_glip_posts(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	Listing l = { .entries = entries, .dir = dir };
	return api_list(tree_api(tree), RFS_GROUP_LIGHT, API "/glip/posts?recordCount=250",
			each_post, &l, error);
}

/* {"text": @text} as a request body. (transfer full) */
static GBytes *text_body(const char *text)
{
	g_autoptr(json_t) body = json_pack("{s:s}", "text", text);
	char *wire = json_dumps(body, JSON_COMPACT);
	return g_bytes_new_take(wire, strlen(wire));
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

	return action_send_once(tree, node, path, "application/json", wire, &check, now, error);
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
	g_autofree char *path = table_expand(API "/glip/groups/{key}/posts", node);
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
	if (!api_send(tree_api(tree), RFS_GROUP_MEDIUM, RFS_OP_WRITE, "PUT", node->url,
		      "application/json", wire, NULL, NULL, error))
		return FALSE;
	*now = g_bytes_new(post, strlen(post));
	return TRUE;
}

/* members.json: a bulk-assign body ({"addedPersonIds": [...], ...}) is POSTed */
static gboolean commit_members(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
			       GError **error)
{
	g_autoptr(json_t) body = action_parse_object(data, error);
	g_autoptr(json_t) answer = NULL;

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
	g_autofree char *wire_text = json_dumps(body, JSON_COMPACT);
	g_autoptr(GBytes) wire = g_bytes_new(wire_text, strlen(wire_text));
	g_autofree char *path = table_expand(API "/glip/groups/{key}/bulk-assign", node);
	if (!api_send(tree_api(tree), RFS_GROUP_MEDIUM, RFS_OP_WRITE, "POST", path,
		      "application/json", wire, &answer, NULL, error))
		return FALSE;
	if (answer)
		*now = render_json(answer);
	return TRUE;
}

static gboolean list_group_webhooks(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return list_with(tree, dir, entries, NULL,
			 (Listing){ .kind = &k_glip_webhook, .item_base = API "/glip/webhooks" },
			 error);
}

static gboolean list_glip_webhooks(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return list_with(tree, dir, entries, NULL,
			 (Listing){ .kind = &k_glip_webhook, .item_base = API "/glip/webhooks" },
			 error);
}

/* Any new file in a group's webhooks/ creates a webhook (the call takes no body). */
static gboolean commit_new_webhook(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
				   GError **error)
{
	g_autoptr(json_t) answer = NULL;
	g_autofree char *path = table_expand(API "/glip/groups/{key}/webhooks", node);

	if (!api_send(tree_api(tree), RFS_GROUP_MEDIUM, RFS_OP_CREATE, "POST", path, NULL, NULL,
		      &answer, NULL, error))
		return FALSE;
	if (answer)
		*now = render_json(answer);
	return TRUE;
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
	g_autofree char *path = g_strdup_printf(API "/glip/files?groupId=%s&name=%s", group, name);
	return action_upload_file(tree, node, path, "body", data, now, error);
}

static RfsEntry *fetch_person(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, FALSE);
	return id ? fetched(dir, name, &table_k_doc_light, API "/glip/persons", id) : NULL;
}

static RfsEntry *fetch_company(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, FALSE);
	return id ? fetched(dir, name, &table_k_doc_light, API "/glip/companies", id) : NULL;
}

static const RfsKind *create_post(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (g_str_has_suffix(name, ".txt"))
		return &k_glip_new_text;
	return g_str_has_suffix(name, ".json") ? &k_new_post : NULL;
}

static const RfsKind *create_webhook(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &k_glip_new_webhook;
}

static const RfsKind *create_file(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &k_glip_file;
}

static const RfsKind *create_entry(RfsTree *tree, RfsNode *dir, const char *name)
{
	return g_str_has_suffix(name, ".json") ? &k_new_entry : NULL;
}

/* ---- subscriptions, meetings, RingOut ------------------------------------------- */

static gboolean list_subscriptions(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return list_with(tree, dir, entries, NULL,
			 (Listing){ .kind = &k_subscription, .item_base = API "/subscription" },
			 error);
}

static gboolean list_meetings(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return list_with(tree, dir, entries, NULL,
			 (Listing){ .kind = &k_meeting,
				    .item_base = API "/account/{a}/extension/{e}/meeting" },
			 error);
}

static const RfsKind *create_ringout(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &k_ringout_item; /* one kind: it posts to its folder's endpoint, either spelling */
}

/*
 * ringout/<name>: "FROM TO" (or a JSON body) starts a call; the file then
 * holds the answer, with the call's id; <id>.json in the folder reads its
 * status; rm of either cancels it.
 */
static gboolean commit_ringout(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
			       GError **error)
{
	gsize len;
	const char *text = g_bytes_get_data(data, &len);
	g_autofree char *copy = g_strstrip(g_strndup(text ? text : "", len));
	g_autoptr(json_t) body = NULL;

	if (*copy == '{') {
		if (!(body = action_parse_object(data, error)))
			return FALSE;
	} else {
		g_auto(GStrv) words = g_strsplit_set(copy, " \t\n", -1);
		GPtrArray *nums = g_ptr_array_new();
		for (int i = 0; words[i]; i++)
			if (*words[i])
				g_ptr_array_add(nums, words[i]);
		if (nums->len != 2) {
			g_ptr_array_unref(nums);
			g_set_error(error, RFS_ERROR, EINVAL,
				    "write \"FROM TO\" (two phone numbers) or a JSON body: nothing "
				    "sent");
			return FALSE;
		}
		body = json_pack("{s:{s:s}, s:{s:s}, s:b}", "from", "phoneNumber", nums->pdata[0],
				 "to", "phoneNumber", nums->pdata[1], "playPrompt", 0);
		g_ptr_array_unref(nums);
	}
	g_autofree char *wire_text = json_dumps(body, JSON_COMPACT);
	g_autoptr(GBytes) wire = g_bytes_new(wire_text, strlen(wire_text));
	g_autofree char *path = table_expand(node->parent->kind->endpoint, node->parent);
	/* a RingOut cannot be looked up without the id its answer gives */
	return action_send_once(tree, node, path, "application/json", wire, NULL, now, error);
}

/* rm of a started call's file: DELETE of the call its answer names */
static gboolean remove_ringout(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autoptr(GBytes) content = tree_dup_content(tree, node);
	g_autoptr(json_t) answer =
		json_loadb(g_bytes_get_data(content, NULL), g_bytes_get_size(content), 0, NULL);
	g_autofree char *id = render_id(json_object_get(answer, "id"));

	if (!id)
		return TRUE; /* never started: nothing to cancel */
	g_autofree char *base = table_expand(node->parent->kind->endpoint, node->parent);
	g_autofree char *escaped = g_uri_escape_string(id, NULL, FALSE);
	g_autofree char *path = g_strdup_printf("%s/%s", base, escaped);
	return api_send(tree_api(tree), RFS_GROUP_HEAVY, RFS_OP_DELETE, "DELETE", path, NULL, NULL,
			NULL, NULL, error);
}

static RfsEntry *fetch_ringout(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, FALSE);
	return id ? fetched(dir, name, &table_k_doc_light, dir->kind->endpoint, id) : NULL;
}

/* ---- authorization, directory, active calls ----------------------------------- */

static RfsEntry *fetch_permission(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, FALSE);
	if (!id)
		return NULL;
	g_autofree char *base =
		table_expand(API "/account/{a}/extension/{e}/authz-profile/check", dir);
	RfsEntry *entry = node_entry_new(name, &table_k_doc_light);
	entry->url = g_strdup_printf("%s?permissionId=%s", base, id);
	return entry;
}

static RfsEntry *fetch_directory(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = id_of(name, TRUE);
	return id ? fetched(dir, name, &table_k_doc_medium, API "/account/{a}/directory/contacts",
			    id)
		  : NULL;
}

static gboolean list_active_calls(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *q = per_page(tree);
	return list_with(tree, dir, entries, q, (Listing){ .kind = &k_rendered_x }, error);
}

/* ---- the rows ------------------------------------------------------------------ */

#define DIR(n, fn) .name = n, .type = RFS_NODE_DIR, .list = fn
#define DOC(n)	   .name = n, .type = RFS_NODE_FILE, .content = RFS_CONTENT_DOCUMENT

const RfsKind table_k_doc_light = { DOC("document"), .group = RFS_GROUP_LIGHT };
const RfsKind table_k_doc_medium = { DOC("document-medium"), .group = RFS_GROUP_MEDIUM };
const RfsKind table_k_doc_heavy = { DOC("document-heavy"), .group = RFS_GROUP_HEAVY };
static const RfsKind k_doc_none = { DOC("api-info"), .group = RFS_GROUP_NONE };
static const RfsKind k_status = { DOC("api-status"), .group = RFS_GROUP_NONE, .load = load_status };
static const RfsKind k_rendered_x = { .name = "record",
				      .type = RFS_NODE_FILE,
				      .content = RFS_CONTENT_RENDERED };

const RfsKind table_k_api = { DIR("api", list_api) };
const RfsKind table_k_dictionary = { DIR("dictionary", list_dictionary) };
static const RfsKind k_dict_greetings = { DIR("dictionary-greetings", list_named),
					  .group = RFS_GROUP_MEDIUM,
					  .endpoint = API "/dictionary/greeting",
					  .fetch = fetch_greeting };

const RfsKind table_k_glip = { DIR("glip", list_glip) };
static const RfsKind k_glip_groups = { DIR("glip-groups", list_glip_groups),
				       .group = RFS_GROUP_MEDIUM, .endpoint = API "/glip/groups",
				       .create = create_entry, .scratch = TRUE };
static const RfsKind k_new_entry = { .name = "new-entry",
				     .type = RFS_NODE_FILE,
				     .content = RFS_CONTENT_RENDERED,
				     .write_group = RFS_GROUP_MEDIUM,
				     .commit = action_post_json };
static const RfsKind k_glip_group = { DIR("glip-group", list_glip_group), .scratch = TRUE };
static const RfsKind k_glip_members = { DOC("glip-members"), .group = RFS_GROUP_LIGHT,
					.write_group = RFS_GROUP_MEDIUM, .commit = commit_members };
static const RfsKind k_glip_transcript = { DOC("glip-transcript"), .group = RFS_GROUP_MEDIUM,
					   .write_group = RFS_GROUP_MEDIUM, .load = load_transcript,
					   .commit = commit_transcript };
static const RfsKind k_glip_group_posts = { DIR("glip-group-posts", list_glip_group_posts),
					    .group = RFS_GROUP_MEDIUM,
					    .endpoint = API "/glip/groups/{key}/posts",
					    .create = create_post, .scratch = TRUE };
static const RfsKind k_glip_post_text = { .name = "glip-post-text",
					  .type = RFS_NODE_FILE,
					  .content = RFS_CONTENT_RENDERED,
					  .write_group = RFS_GROUP_MEDIUM,
					  .commit = commit_post_text };
static const RfsKind k_glip_new_text = { .name = "glip-new-post",
					 .type = RFS_NODE_FILE,
					 .content = RFS_CONTENT_RENDERED,
					 .write_group = RFS_GROUP_MEDIUM,
					 .commit = commit_new_text };
static const RfsKind k_new_post = { .name = "glip-new-post-json",
				    .type = RFS_NODE_FILE,
				    .content = RFS_CONTENT_RENDERED,
				    .write_group = RFS_GROUP_LIGHT,
				    .commit = action_post_json };
static const RfsKind k_glip_posts = { DIR("glip-posts", list_glip_posts), .group = RFS_GROUP_LIGHT,
				      .endpoint = API "/glip/posts", .create = create_post,
				      .scratch = TRUE };
static const RfsKind k_glip_group_webhooks = { DIR("glip-group-webhooks", list_group_webhooks),
					       .group = RFS_GROUP_MEDIUM,
					       .endpoint = API "/glip/groups/{key}/webhooks",
					       .create = create_webhook, .scratch = TRUE };
static const RfsKind k_glip_new_webhook = { .name = "glip-new-webhook",
					    .type = RFS_NODE_FILE,
					    .content = RFS_CONTENT_RENDERED,
					    .write_group = RFS_GROUP_MEDIUM,
					    .commit = commit_new_webhook,
					    .send_on_create = TRUE };
static const RfsKind k_glip_files = { DIR("glip-files", table_list_nothing), .create = create_file,
				      .scratch = TRUE };
static const RfsKind k_glip_file = { .name = "glip-file",
				     .type = RFS_NODE_FILE,
				     .content = RFS_CONTENT_RENDERED,
				     .write_group = RFS_GROUP_HEAVY,
				     .commit = commit_glip_file,
				     .action = TRUE };
static const RfsKind k_glip_persons = { DIR("glip-persons", table_list_nothing),
					.fetch = fetch_person };
static const RfsKind k_glip_companies = { DIR("glip-companies", table_list_nothing),
					  .fetch = fetch_company };
static const RfsKind k_glip_webhooks = { DIR("glip-webhooks", list_glip_webhooks),
					 .group = RFS_GROUP_MEDIUM,
					 .endpoint = API "/glip/webhooks" };
static gboolean set_webhook_status(RfsTree *tree, RfsNode *node, const char *value, GError **error)
{
	const char *verb = strcmp(value, "Active") == 0	     ? "/activate"
			   : strcmp(value, "Suspended") == 0 ? "/suspend"
							     : NULL;
	if (!verb) {
		g_set_error(error, RFS_ERROR, EINVAL, "a webhook's status is Active or Suspended");
		return FALSE;
	}
	return action_post_verb(tree, node, verb, error);
}

static const RfsXattr webhook_xattrs[] = {
	{ "user.ringfs.status", NULL, set_webhook_status, RFS_STALE_NODE },
	{ NULL },
};

static const RfsKind k_glip_webhook = { DOC("glip-webhook"), .group = RFS_GROUP_MEDIUM,
					.write_group = RFS_GROUP_MEDIUM,
					.remove = action_delete_url, .xattrs = webhook_xattrs };

/* touch subscriptions/<id>.json: POST …/renew */
static gboolean renew_subscription(RfsTree *tree, RfsNode *node, GError **error)
{
	return action_post_verb(tree, node, "/renew", error);
}

/* setfattr -n user.ringfs.end: POST …/end */
static gboolean set_meeting_end(RfsTree *tree, RfsNode *node, const char *value, GError **error)
{
	return action_post_verb(tree, node, "/end", error);
}

static const RfsXattr meeting_xattrs[] = {
	{ "user.ringfs.end", NULL, set_meeting_end, RFS_STALE_NODE },
	{ NULL },
};

const RfsKind table_k_subscriptions = { DIR("subscriptions", list_subscriptions),
					.group = RFS_GROUP_LIGHT, .endpoint = API "/subscription",
					.create = create_entry, .scratch = TRUE };
static const RfsKind k_subscription = {
	DOC("subscription"),	   .group = RFS_GROUP_LIGHT,	.write_group = RFS_GROUP_MEDIUM,
	.commit = action_put_json, .remove = action_delete_url, .touch = renew_subscription
};

const RfsKind table_k_meetings = { DIR("meetings", list_meetings), .group = RFS_GROUP_LIGHT,
				   .endpoint = API "/account/{a}/extension/{e}/meeting",
				   .create = create_entry, .scratch = TRUE };
static const RfsKind k_meeting = { DOC("meeting"),
				   .group = RFS_GROUP_LIGHT,
				   .write_group = RFS_GROUP_MEDIUM,
				   .commit = action_put_json,
				   .remove = action_delete_url,
				   .xattrs = meeting_xattrs };

const RfsKind table_k_ringout = { DIR("ringout", table_list_nothing),
				  .group = RFS_GROUP_LIGHT,
				  .endpoint = API "/account/{a}/extension/{e}/ring-out",
				  .create = create_ringout,
				  .fetch = fetch_ringout,
				  .scratch = TRUE };
const RfsKind table_k_ringout_legacy = { DIR("ringout-legacy", table_list_nothing),
					 .group = RFS_GROUP_LIGHT,
					 .endpoint = API "/account/{a}/extension/{e}/ringout",
					 .create = create_ringout,
					 .fetch = fetch_ringout,
					 .scratch = TRUE };
static const RfsKind k_ringout_item = { .name = "ringout-call",
					.type = RFS_NODE_FILE,
					.content = RFS_CONTENT_RENDERED,
					.write_group = RFS_GROUP_HEAVY,
					.commit = commit_ringout,
					.remove = remove_ringout,
					.action = TRUE,
					.keep_after_send = TRUE };

const RfsKind table_k_authz_check = { DIR("authz-check", table_list_nothing),
				      .fetch = fetch_permission };
const RfsKind table_k_directory = { DIR("directory", list_named), .group = RFS_GROUP_MEDIUM,
				    .endpoint = API "/account/{a}/directory/contacts",
				    .fetch = fetch_directory };
const RfsKind table_k_active_calls = { DIR("active-calls", list_active_calls),
				       .group = RFS_GROUP_HEAVY,
				       .endpoint = API "/account/{a}/extension/{e}/active-calls" };
