/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mapping table's registry: the root, the kinds every area shares
 * (documents, settings, records, scratch files), the helpers the rows make
 * entries with, and all_kinds, every row of every area once. The rows are
 * in one file per API area (table-private.h); the naming rules they follow:
 *
 *   time names    2026-11-20_10-03-11 in UTC (sort order = time order, no ':')
 *   peers         phone number, else extension number, else "unknown"
 *   ids           always last before the extension: names are unique and stable
 *   ids in URLs   always escaped (table_expand, table_item_url)
 *
 * Message and call listings ask for history_days of history (dateFrom), in
 * pages of page_size, because the API's default window is the last 24 hours.
 */
#include "table-private.h"
#include "pack.h"
#include "writes.h"
#include "send.h"
#include "render.h"

#include <string.h>

/* ---- URLs ------------------------------------------------------------------- */

/* Ids from the server go into URLs escaped: "a/b" must not become a path. */
static void append_escaped(GString *out, const char *value)
{
	g_autofree char *escaped = g_uri_escape_string(value, NULL, FALSE);
	g_string_append(out, escaped);
}

char *table_expand(const char *tmpl, const RfsNode *node)
{
	GString *out = g_string_new(NULL);

	for (const char *p = tmpl; *p; p++) {
		if (g_str_has_prefix(p, "{a}")) {
			append_escaped(out, node->ids->aid ? node->ids->aid : "~");
			p += 2;
		} else if (g_str_has_prefix(p, "{e}")) {
			append_escaped(out, node->ids->eid ? node->ids->eid : "~");
			p += 2;
		} else if (g_str_has_prefix(p, "{key}")) {
			append_escaped(out, node_key(node) ? node_key(node) : "");
			p += 4;
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

char *table_item_url(const char *base, const char *id)
{
	GString *out = g_string_new(base);

	g_string_append_c(out, '/');
	append_escaped(out, id);
	return g_string_free(out, FALSE);
}

/* ---- entries ---------------------------------------------------------------- */

RfsEntry *table_add(GPtrArray *entries, const RfsKind *kind, const char *name)
{
	RfsEntry *entry = node_entry_new(name, kind);
	g_ptr_array_add(entries, entry);
	return entry;
}

RfsEntry *table_add_document(GPtrArray *entries, const RfsNode *dir, const char *name,
			     const RfsKind *kind, const char *endpoint)
{
	RfsEntry *entry = table_add(entries, kind, name);
	entry->url = table_expand(endpoint, dir);
	return entry;
}

RfsEntry *table_add_rendered(GPtrArray *entries, const char *name,
			     GBytes *content /* takes ownership */, time_t mtime)
{
	RfsEntry *entry = table_add(entries, &table_k_record, name);
	entry->content = content;
	entry->mtime = mtime;
	return entry;
}

RfsEntry *table_add_record(GPtrArray *entries, const char *name, const json_t *record, time_t mtime)
{
	RfsEntry *entry = table_add(entries, &table_k_record, name);
	g_autoptr(GBytes) pretty = render_json(record);

	/* kept packed (pack.h: a sixth of the pretty size), shown pretty: see tree_dup_content */
	entry->content = pack_record(record);
	entry->pretty_size = g_bytes_get_size(pretty);
	entry->mtime = mtime;
	return entry;
}

static off_t estimate_size(const json_t *attachment, const json_t *record)
{
	json_int_t seconds = json_integer_value(json_object_get(attachment, "vmDuration"));
	json_int_t pages = json_integer_value(json_object_get(record, "faxPageCount"));
	json_int_t size = json_integer_value(json_object_get(attachment, "size"));

	/* whatever the server says, an estimate stays between one page and RFS_MAX_CONTENT */
	if (size > 0)
		return (off_t)MIN(size, RFS_MAX_CONTENT); /* MMS attachments carry their size */
	if (seconds <= 0)
		seconds = json_integer_value(json_object_get(attachment, "duration"));
	if (seconds <= 0)
		seconds = json_integer_value(json_object_get(record, "duration"));
	if (seconds > 0)
		return (off_t)MIN(seconds, RFS_MAX_CONTENT / ESTIMATE_AUDIO_RATE) *
			       ESTIMATE_AUDIO_RATE +
		       44;
	return ESTIMATE_PAGE * (off_t)CLAMP(pages, 1, RFS_MAX_CONTENT / ESTIMATE_PAGE);
}

RfsEntry *table_add_media(GPtrArray *entries, const char *name, const json_t *attachment,
			  const char *url_key, const json_t *record, time_t mtime,
			  const RfsKind *kind)
{
	const char *uri = json_string_value(json_object_get(attachment, url_key));

	if (!uri)
		return NULL;
	RfsEntry *entry = table_add(entries, kind, name);
	entry->url = g_strdup(uri);
	entry->mtime = mtime;
	entry->estimate = estimate_size(attachment, record);
	return entry;
}

time_t table_record_time(const json_t *record, const char *key)
{
	time_t t = 0;
	render_parse_time(json_string_value(json_object_get(record, key)), &t);
	return t;
}

const char *table_direction_piece(const json_t *record)
{
	const char *direction = json_string_value(json_object_get(record, "direction"));
	return g_strcmp0(direction, "Outbound") == 0 ? "out" : "in";
}

char *table_history_query(RfsTree *tree)
{
	const RfsConfig *config = tree_config(tree);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) from = g_date_time_add_days(now, -config->history_days);
	g_autofree char *day = g_date_time_format(from, "%Y-%m-%d");

	return g_strdup_printf("dateFrom=%sT00:00:00.000Z&perPage=%d", day, config->page_size);
}

/* ---- listings and lookups shared by areas ----------------------------------- */

/* Outboxes list only what the user wrote and has not sent: local files. */
gboolean table_list_nothing(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return TRUE;
}

static gboolean each_record(json_t *rec, gpointer user, GError **error)
{
	TableListing *l = user;
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
		e->url = table_item_url(base, id);
	} else {
		e->content = render_json(rec);
	}
	return TRUE;
}

gboolean table_list_with(RfsTree *tree, RfsNode *dir, GPtrArray *entries, const char *query,
			 TableListing l, GError **error)
{
	g_autofree char *base = table_expand(dir->kind->endpoint, dir);
	g_autofree char *path = g_strdup_printf("%s%s", base, query ? query : "");

	l.entries = entries;
	l.dir = dir;
	return table_list_at(tree, dir, path, l, error);
}

gboolean table_list_at(RfsTree *tree, RfsNode *dir, const char *path, TableListing l,
		       GError **error)
{
	return api_list(tree_api(tree), dir->kind->group, path, each_record, &l, error);
}

char *table_per_page(RfsTree *tree)
{
	return g_strdup_printf("?perPage=%d", tree_config(tree)->page_size);
}

gboolean table_list_named(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *q = table_per_page(tree);
	return table_list_with(tree, dir, entries, q,
			       (TableListing){ .kind = &table_k_record, .name_key = "name" },
			       error);
}

char *table_name_id(const char *name, gboolean digits_only)
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

RfsEntry *table_entry_by_id(RfsNode *dir, const char *name, const RfsKind *kind, const char *tmpl,
			    const char *id)
{
	g_autofree char *base = table_expand(tmpl, dir);
	RfsEntry *entry = node_entry_new(name, kind);

	entry->url = table_item_url(base, id);
	return entry;
}

const RfsKind *table_create_entry(RfsTree *tree, RfsNode *dir, const char *name)
{
	return g_str_has_suffix(name, ".json") ? &table_k_new_entry : NULL;
}

/* ---- scratch files and the root --------------------------------------------- */

const RfsKind *table_scratch_kind(void)
{
	return &table_k_scratch;
}

static gboolean alnum(const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isalnum(*s))
			return FALSE;
	return TRUE;
}

gboolean table_is_scratch_name(const char *name)
{
	gsize len = strlen(name);

	if (name[0] == '.' || name[len - 1] == '~' || strcmp(name, "4913") == 0)
		return TRUE; /* hidden (.swp, .goutputstream-*, rsync's .name.XXXXXX), backups,
				vim's probe */
	if (name[0] == '#' && name[len - 1] == '#')
		return TRUE; /* emacs autosave */
	if (len == 9 && g_str_has_prefix(name, "sed") && alnum(name + 3))
		return TRUE; /* sed -i: "sed" and six letters or digits */
	return g_str_has_suffix(name, ".swp") || g_str_has_suffix(name, ".swx") ||
	       g_str_has_suffix(name, ".tmp") || g_str_has_suffix(name, ".bak");
}

static gboolean list_root(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &table_k_accounts, "accounts");
	table_add(entries, &table_k_api, "api");
	table_add(entries, &table_k_dictionary, "dictionary");
	RfsEntry *glip = table_add(entries, &table_k_link, "glip");
	glip->target = g_strdup("team-messaging");
	table_add(entries, &table_k_glip, "team-messaging");
	table_add(entries, &table_k_subscriptions, "subscriptions");
	table_add(entries, &table_k_events, "events");
	g_autofree char *trash = g_strdup_printf(".Trash-%lu", (unsigned long)tree_owner(tree));
	table_add(entries, &table_k_trash, trash); /* unlisted: found by gio trash */
	return TRUE;
}

const RfsKind *table_root_kind(void)
{
	return &table_k_root;
}

/* ---- the shared rows -------------------------------------------------------- */

const RfsKind table_k_root = { TABLE_DIR("root", list_root), .group = RFS_GROUP_NONE };
/* the mount's events, one JSON object a line as they happen (live.h, events.h) */
const RfsKind table_k_events = {
	.name = "events",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_STREAM,
	.group = RFS_GROUP_NONE,
	.unlisted = TRUE,
};
const RfsKind table_k_document = { TABLE_DOC("document"), .group = RFS_GROUP_LIGHT };
const RfsKind table_k_document_medium = { TABLE_DOC("document-medium"), .group = RFS_GROUP_MEDIUM };
const RfsKind table_k_document_heavy = { TABLE_DOC("document-heavy"), .group = RFS_GROUP_HEAVY };
/* settings: read = GET, write = PUT of the same URL */
const RfsKind table_k_setting = {
	TABLE_DOC("setting"),
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = write_put_json,
};
const RfsKind table_k_setting_light = {
	TABLE_DOC("setting-light"),
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_LIGHT,
	.commit = write_put_json,
};
/* a file made from a listing's record (or a record's text) */
const RfsKind table_k_record = {
	.name = "record",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.group = RFS_GROUP_NONE,
};
/* a file the user made in a collection: POST to the directory's endpoint on close */
const RfsKind table_k_new_entry = {
	.name = "new-entry",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = write_post_json,
};
const RfsKind table_k_scratch = {
	.name = "scratch",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.commit = write_keep_local,
	.remove = NULL,
};

/* ---- every row, once -------------------------------------------------------- */

/* clang-format off */
static const RfsKind *const all_kinds[] = {
	/* table.c */
	&table_k_root, &table_k_scratch, &table_k_record, &table_k_events, &table_k_document,
	&table_k_document_medium, &table_k_document_heavy, &table_k_setting,
	&table_k_setting_light, &table_k_new_entry,
	/* rows-account.c */
	&table_k_accounts, &table_k_account, &table_k_extensions, &table_k_extension,
	&table_k_link, &table_k_api, &table_k_api_info, &table_k_api_status, &table_k_dictionary,
	&table_k_dictionary_greetings, &table_k_authz_check,
	/* rows-messages.c */
	&table_k_messages, &table_k_message_type, &table_k_sms, &table_k_sms_conversation,
	&table_k_message_record, &table_k_message_attachment, &table_k_outbox,
	&table_k_outbox_sms, &table_k_outbox_pager, &table_k_outbox_fax, &table_k_sms_to_send,
	&table_k_pager_to_send, &table_k_fax_to_send, &table_k_deleted_messages,
	&table_k_deleted_record, &table_k_deleted_attachment, &table_k_sms_transcript,
	&table_k_pager_transcript, &table_k_trash, &table_k_trash_info,
	/* rows-people.c */
	&table_k_people, &table_k_person,
	/* rows-calls.c */
	&table_k_call_log, &table_k_call_log_day, &table_k_recordings, &table_k_recording,
	&table_k_active_calls, &table_k_ringout, &table_k_ringout_legacy, &table_k_ringout_call,
	/* rows-contacts.c */
	&table_k_contacts, &table_k_contact, &table_k_contact_vcard, &table_k_new_contact,
	&table_k_new_contact_vcard, &table_k_directory,
	/* rows-rules.c */
	&table_k_answering_rules, &table_k_company_answering_rules, &table_k_answering_rule,
	&table_k_company_answering_rule, &table_k_new_answering_rule, &table_k_blocked_numbers,
	&table_k_blocked_number, &table_k_caller_blocking_numbers,
	&table_k_caller_blocking_number, &table_k_forwarding_numbers,
	&table_k_forwarding_number, &table_k_new_item, &table_k_greetings,
	&table_k_company_greetings, &table_k_greeting_to_upload,
	&table_k_company_greeting_to_upload, &table_k_state_rule, &table_k_interaction_rule,
	&table_k_new_interaction_rule, &table_k_forwarding_target, &table_k_call_flip_numbers,
	/* rows-glip.c */
	&table_k_glip, &table_k_glip_groups, &table_k_glip_group, &table_k_glip_members,
	&table_k_glip_transcript, &table_k_glip_group_posts, &table_k_glip_post_text,
	&table_k_glip_new_post, &table_k_glip_new_post_json, &table_k_glip_posts,
	&table_k_glip_group_webhooks, &table_k_glip_new_webhook, &table_k_glip_files,
	&table_k_glip_file, &table_k_glip_persons, &table_k_glip_companies,
	&table_k_glip_webhooks, &table_k_glip_webhook, &table_k_glip_new_group,
	&table_k_glip_new_group_post_json,
	/* rows-blocked.c */
	&table_k_new_blocked_number,
	/* rows-meetings.c */
	&table_k_meetings, &table_k_meeting, &table_k_video, &table_k_video_meetings,
	/* rows-subscriptions.c */
	&table_k_subscriptions, &table_k_subscription,
};
/* clang-format on */

const RfsKind *const *table_kinds(gsize *count)
{
	*count = G_N_ELEMENTS(all_kinds);
	return all_kinds;
}
