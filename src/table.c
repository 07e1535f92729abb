/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mapping table. Each row is an RfsKind; directories name their entries
 * from the API's records here, so every naming rule lives in this file:
 *
 *   time names    2026-11-20_10-03-11 in UTC (sort order = time order, no ':')
 *   peers         phone number, else extension number, else "unknown"
 *   ids           always last before the extension: names are unique and stable
 *
 * Message and call listings ask for history_days of history (dateFrom), in
 * pages of page_size, because the API's default window is the last 24 hours.
 */
#include "table-private.h"
#include "actions.h"
#include "render.h"

#include <errno.h>
#include <string.h>

static const RfsKind k_doc_rw, k_doc_rw_light, k_outbox, k_outbox_sms, k_outbox_pager,
	k_outbox_sms_item, k_outbox_pager_item, k_scratch, k_message_file, k_contact_file,
	k_new_contact, k_new_rule, k_contact_json, k_blocked, k_blocked_item, k_phone_lists,
	k_phone_list_item, k_forwarding, k_forwarding_item, k_new_item, k_outbox_fax,
	k_outbox_fax_item, k_greetings, k_greetings_account, k_greeting_item,
	k_greeting_account_item, k_new_contact_vcf;
static const RfsKind k_root, k_accounts, k_account, k_extensions, k_extension, k_messages,
	k_msg_dir, k_sms_dir, k_sms_peer, k_calllog, k_calllog_day, k_recordings, k_contacts,
	k_rules, k_company_rules, k_doc, k_rule_doc, k_company_rule_doc, k_rendered,
	k_message_media, k_recording_media, k_link;

/* ---- helpers ---------------------------------------------------------- */

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
			append_escaped(out, node->aid ? node->aid : "~");
			p += 2;
		} else if (g_str_has_prefix(p, "{e}")) {
			append_escaped(out, node->eid ? node->eid : "~");
			p += 2;
		} else if (g_str_has_prefix(p, "{key}")) {
			append_escaped(out, node->key ? node->key : "");
			p += 4;
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

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
	RfsEntry *entry = table_add(entries, &k_rendered, name);
	entry->content = content;
	entry->mtime = mtime;
	return entry;
}

RfsEntry *table_add_record(GPtrArray *entries, const char *name, const json_t *record, time_t mtime)
{
	RfsEntry *entry = table_add(entries, &k_rendered, name);
	char *compact = json_dumps(record, JSON_COMPACT | JSON_ENCODE_ANY);
	g_autoptr(GBytes) pretty = render_json(record);

	/* kept compact (a third smaller for a message), shown pretty: see tree_dup_content */
	entry->content =
		compact ? g_bytes_new_take(compact, strlen(compact)) : g_bytes_new(NULL, 0);
	entry->pretty_size = g_bytes_get_size(pretty);
	entry->mtime = mtime;
	return entry;
}

/* "&dateFrom=…&perPage=…" for history listings. (transfer full) */
static char *history_query(RfsTree *tree)
{
	const RfsConfig *config = tree_config(tree);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) from = g_date_time_add_days(now, -config->history_days);
	g_autofree char *day = g_date_time_format(from, "%Y-%m-%d");

	return g_strdup_printf("dateFrom=%sT00:00:00.000Z&perPage=%d", day, config->page_size);
}

time_t table_record_time(const json_t *record, const char *key)
{
	time_t t = 0;
	render_parse_time(json_string_value(json_object_get(record, key)), &t);
	return t;
}

/* ---- static directories ----------------------------------------------- */

static gboolean list_root(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &k_accounts, "accounts");
	table_add(entries, &table_k_api, "api");
	table_add(entries, &table_k_dictionary, "dictionary");
	table_add(entries, &table_k_glip, "glip");
	table_add(entries, &table_k_subscriptions, "subscriptions");
	return TRUE;
}

static gboolean list_accounts(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *name = render_safe_piece(tree_account_id(tree), RFS_MAX_NAME);
	RfsEntry *link = table_add(entries, &k_link, "~");
	RfsEntry *account = table_add(entries, &k_account, name);

	link->target = g_strdup(name);
	account->aid = g_strdup(tree_account_id(tree));
	return TRUE;
}

static gboolean list_account(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add_document(entries, dir, "account.json", &k_doc, "/restapi/v1.0/account/{a}");
	table_add_document(entries, dir, "business-hours.json", &k_doc_rw,
			   "/restapi/v1.0/account/{a}/business-hours");
	table_add(entries, &k_company_rules, "answering-rules");
	table_add(entries, &k_calllog, "call-log");
	table_add(entries, &k_recordings, "recordings");
	table_add(entries, &k_extensions, "extensions");
	table_add(entries, &k_greetings_account, "greetings");
	table_add(entries, &table_k_directory, "directory");
	return TRUE;
}

static gboolean list_extension(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add_document(entries, dir, "extension.json", &k_doc,
			   "/restapi/v1.0/account/{a}/extension/{e}");
	table_add_document(entries, dir, "presence.json", &k_doc_rw,
			   "/restapi/v1.0/account/{a}/extension/{e}/presence");
	table_add_document(entries, dir, "business-hours.json", &k_doc_rw,
			   "/restapi/v1.0/account/{a}/extension/{e}/business-hours");
	table_add_document(entries, dir, "caller-blocking.json", &k_doc_rw_light,
			   "/restapi/v1.0/account/{a}/extension/{e}/caller-blocking");
	table_add_document(entries, dir, "favorites.json", &k_doc_rw,
			   "/restapi/v1.0/account/{a}/extension/{e}/favorite");
	table_add_document(entries, dir, "phone-numbers.json", &k_doc,
			   "/restapi/v1.0/account/{a}/extension/{e}/phone-number?perPage=1000");
	table_add(entries, &k_rules, "answering-rules");
	table_add(entries, &k_calllog, "call-log");
	table_add(entries, &k_contacts, "contacts");
	table_add(entries, &k_messages, "messages");
	table_add(entries, &k_outbox, "outbox");
	table_add(entries, &k_blocked, "blocked-numbers");
	table_add(entries, &k_phone_lists, "caller-blocking-numbers");
	table_add(entries, &k_forwarding, "forwarding-numbers");
	table_add(entries, &k_greetings, "greetings");
	table_add(entries, &table_k_meetings, "meetings");
	table_add_document(entries, dir, "meetings-service-info.json", &table_k_doc_light,
			   "/restapi/v1.0/account/{a}/extension/{e}/meeting/service-info");
	table_add(entries, &table_k_ringout, "ringout");
	table_add(entries, &table_k_ringout_legacy, "ringout-legacy");
	table_add_document(entries, dir, "authz-profile.json", &table_k_doc_medium,
			   "/restapi/v1.0/account/{a}/extension/{e}/authz-profile");
	table_add(entries, &table_k_authz_check, "authz-check");
	table_add(entries, &table_k_active_calls, "active-calls");
	return TRUE;
}

/* ---- collections: <id>.json per record, rewritten with PUT, made with POST -- */

typedef struct {
	GPtrArray *entries;
	char *base;
	const RfsKind *item;
} ItemListing;

static gboolean each_item(json_t *record, gpointer user, GError **error)
{
	ItemListing *il = user;
	g_autofree char *id = render_id(json_object_get(record, "id"));

	if (!id)
		return TRUE;
	g_autofree char *piece = render_safe_piece(id, 80);
	g_autofree char *name = g_strdup_printf("%s.json", piece);
	g_autofree char *escaped = g_uri_escape_string(id, NULL, FALSE);
	RfsEntry *entry = table_add(il->entries, il->item, name);
	entry->url = g_strdup_printf("%s/%s", il->base, escaped); /* read by its own GET */
	entry->mtime = table_record_time(record, "lastModifiedTime");
	return TRUE;
}

static gboolean list_collection(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(dir->kind->endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);
	ItemListing il = { entries, base, dir->kind->item };

	return api_list(tree_api(tree), dir->kind->group, path, each_item, &il, error);
}

static gboolean list_outbox(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	table_add(entries, &k_outbox_sms, "sms");
	table_add(entries, &k_outbox_pager, "pager");
	table_add(entries, &k_outbox_fax, "fax");
	return TRUE;
}

static const RfsKind *create_fax(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &k_outbox_fax_item;
}

static const RfsKind *create_greeting(RfsTree *tree, RfsNode *dir, const char *name)
{
	return dir->kind == &k_greetings ? &k_greeting_item : &k_greeting_account_item;
}

/* Outboxes list only what the user wrote and has not sent: local files. */
gboolean table_list_nothing(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	return TRUE;
}

static const RfsKind *create_sms(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &k_outbox_sms_item;
}

static const RfsKind *create_pager(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &k_outbox_pager_item;
}

static const RfsKind *create_json(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (dir->kind == &k_contacts && g_str_has_suffix(name, ".vcf"))
		return &k_new_contact_vcf;
	if (!g_str_has_suffix(name, ".json"))
		return NULL;
	if (dir->kind == &k_contacts)
		return &k_new_contact;
	return dir->kind == &k_rules || dir->kind == &k_company_rules ? &k_new_rule : &k_new_item;
}

const RfsKind *table_scratch_kind(void)
{
	return &k_scratch;
}

gboolean table_is_scratch_name(const char *name)
{
	gsize len = strlen(name);

	if (name[0] == '.' || name[len - 1] == '~' || strcmp(name, "4913") == 0)
		return TRUE; /* hidden (.swp, .goutputstream-*, rsync's .name.XXXXXX), backups,
				vim's probe */
	if (name[0] == '#' && name[len - 1] == '#')
		return TRUE; /* emacs autosave */
	if (len == 9 && g_str_has_prefix(name, "sed"))
		return TRUE; /* sed -i */
	return g_str_has_suffix(name, ".swp") || g_str_has_suffix(name, ".swx") ||
	       g_str_has_suffix(name, ".tmp") || g_str_has_suffix(name, ".bak");
}

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
		const RfsKind *kind =
			strcmp(message_dirs[i].type, "SMS") == 0 ? &k_sms_dir : &k_msg_dir;
		RfsEntry *entry = table_add(entries, kind, message_dirs[i].dir);
		entry->key = g_strdup(message_dirs[i].type);
	}
	table_add_document(entries, dir, "sync.json", &table_k_doc_light,
			   "/restapi/v1.0/account/{a}/extension/{e}/message-sync?syncType=FSync");
	return TRUE;
}

/* ---- extensions --------------------------------------------------------- */

static gboolean each_extension(json_t *record, gpointer user, GError **error)
{
	GPtrArray *entries = user;
	g_autofree char *id = render_id(json_object_get(record, "id"));

	if (id) {
		g_autofree char *name = render_safe_piece(id, RFS_MAX_NAME);
		RfsEntry *entry = table_add(entries, &k_extension, name);
		entry->eid = g_strdup(id);
	}
	return TRUE;
}

static gboolean list_extensions(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(k_extensions.endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);
	RfsEntry *link = table_add(entries, &k_link, "~");

	link->target = render_safe_piece(tree_extension_id(tree), RFS_MAX_NAME);
	return api_list(tree_api(tree), k_extensions.group, path, each_extension, entries, error);
}

/* ---- message store ------------------------------------------------------ */

typedef struct {
	RfsTree *tree;
	GPtrArray *entries;
	GHashTable *peers; /* SMS: peer name → RfsEntry* (a directory in entries) */
} MessageListing;

static const char *message_peer(const json_t *msg)
{
	const char *direction = json_string_value(json_object_get(msg, "direction"));
	if (g_strcmp0(direction, "Outbound") == 0)
		return render_party(json_array_get(json_object_get(msg, "to"), 0));
	return render_party(json_object_get(msg, "from"));
}

static const char *direction_piece(const json_t *record)
{
	const char *direction = json_string_value(json_object_get(record, "direction"));
	return g_strcmp0(direction, "Outbound") == 0 ? "out" : "in";
}

/*
 * The size a media file shows until it is read once: from its duration where
 * the record gives one (8 kHz 16-bit audio, as RingCentral's WAV is), from
 * the page count of a fax, else one page. Only a hint: see tree.c.
 */
#define ESTIMATE_AUDIO_RATE 16000 /* bytes per second */
#define ESTIMATE_PAGE	    4096

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

/* @url_key: "uri" for message attachments, "contentUri" for recordings (whose "uri" is metadata).
 */
static RfsEntry *add_media(GPtrArray *entries, const char *name, const json_t *attachment,
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

static gboolean each_message(json_t *msg, gpointer user, GError **error)
{
	MessageListing *ml = user;
	const char *type = json_string_value(json_object_get(msg, "type"));
	g_autofree char *id = render_id(json_object_get(msg, "id"));
	time_t mtime = table_record_time(msg, "creationTime");
	g_autofree char *when = render_time_name(mtime);
	g_autofree char *peer = render_safe_piece(message_peer(msg), 40);
	g_autofree char *base = NULL;
	GPtrArray *into = ml->entries;
	json_t *attachments = json_object_get(msg, "attachments");
	json_t *att;
	size_t i;

	if (!id || !type)
		return TRUE; /* not a message we can name: skip it rather than fail the folder */
	g_autofree char *safe_id = render_safe_piece(id, 40);

	if (strcmp(type, "SMS") == 0) {
		RfsEntry *conversation = g_hash_table_lookup(ml->peers, peer);
		if (!conversation) {
			conversation = table_add(ml->entries, &k_sms_peer, peer);
			conversation->key = render_id(json_object_get(msg, "conversationId"));
			conversation->children =
				g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
			g_hash_table_insert(ml->peers, g_strdup(peer), conversation);
		}
		conversation->mtime = MAX(conversation->mtime, mtime);
		into = conversation->children;
		base = g_strdup_printf("%s_%s_%s", when, direction_piece(msg), safe_id);
	} else if (strcmp(type, "Pager") == 0) {
		base = g_strdup_printf("%s_%s_%s_%s", when, direction_piece(msg), peer, safe_id);
	} else {
		base = g_strdup_printf("%s_%s_%s", when, peer, safe_id);
	}

	if (strcmp(type, "SMS") == 0 || strcmp(type, "Pager") == 0) {
		const char *text = json_string_value(json_object_get(msg, "subject"));
		g_autofree char *name = g_strdup_printf("%s.txt", base);
		RfsEntry *e = table_add_rendered(
			into, name, g_bytes_new(text ? text : "", text ? strlen(text) : 0), mtime);
		e->kind = &k_message_file;
		e->key = g_strdup(id);
	}
	json_array_foreach (attachments, i, att) {
		const char *att_type = json_string_value(json_object_get(att, "type"));
		const char *ctype = json_string_value(json_object_get(att, "contentType"));
		g_autofree char *name = NULL;

		if (g_strcmp0(att_type, "AudioRecording") == 0 ||
		    g_strcmp0(att_type, "RenderedDocument") == 0) {
			name = g_strdup_printf("%s.%s", base, render_extension_for(ctype));
		} else if (g_strcmp0(att_type, "AudioTranscription") == 0) {
			const char *status =
				json_string_value(json_object_get(msg, "vmTranscriptionStatus"));
			if (g_strcmp0(status, "Completed") != 0 &&
			    g_strcmp0(status, "CompletedPartially") != 0)
				continue; /* still changing */
			name = g_strdup_printf("%s.transcript.txt", base);
		} else if (g_strcmp0(att_type, "MmsAttachment") == 0) {
			g_autofree char *att_id = render_id(json_object_get(att, "id"));
			g_autofree char *safe_att = render_safe_piece(att_id, 40);
			name = g_strdup_printf("%s_%s.%s", base, safe_att,
					       render_extension_for(ctype));
		} else {
			continue; /* Text bodies are the .txt above; SourceDocument is the sender's
				     copy */
		}
		RfsEntry *e = add_media(into, name, att, "uri", msg, mtime, &k_message_media);
		if (e)
			e->key = g_strdup(id);
	}
	g_autofree char *json_name = g_strdup_printf("%s.json", base);
	RfsEntry *e = table_add_record(into, json_name, msg, mtime);
	e->kind = &k_message_file;
	e->key = g_strdup(id);
	return TRUE;
}

static gboolean list_message_type(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(k_msg_dir.endpoint, dir);
	g_autofree char *query = history_query(tree);
	g_autofree char *path = g_strdup_printf("%s&%s", base, query);
	g_autoptr(GHashTable) peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	MessageListing ml = { tree, entries, peers };

	return api_list(tree_api(tree), k_msg_dir.group, path, each_message, &ml, error);
}

/* ---- call log and recordings ------------------------------------------- */

typedef struct {
	GPtrArray *entries;
	GHashTable *days; /* "2026-11-20" → RfsEntry* (a directory in entries) */
} CallListing;

static gboolean each_call(json_t *call, gpointer user, GError **error)
{
	CallListing *cl = user;
	g_autofree char *id = render_id(json_object_get(call, "id"));
	time_t start = table_record_time(call, "startTime");
	g_autofree char *day = render_day_name(start);
	g_autofree char *when = render_time_name(start);
	const char *direction = direction_piece(call);
	const json_t *party = json_object_get(call, strcmp(direction, "out") == 0 ? "to" : "from");
	g_autofree char *peer = render_safe_piece(render_party(party), 40);

	if (!id)
		return TRUE;
	g_autofree char *safe_id = render_safe_piece(id, 60);
	RfsEntry *dir = g_hash_table_lookup(cl->days, day);
	if (!dir) {
		dir = table_add(cl->entries, &k_calllog_day, day);
		dir->children = g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
		g_hash_table_insert(cl->days, g_strdup(day), dir);
	}
	dir->mtime = MAX(dir->mtime, start);
	g_autofree char *name = g_strdup_printf("%s_%s_%s_%s.json", when, direction, peer, safe_id);
	table_add_record(dir->children, name, call, start);
	return TRUE;
}

static gboolean list_calllog(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	const char *tmpl = dir->eid ? "/restapi/v1.0/account/{a}/extension/{e}/call-log"
				    : "/restapi/v1.0/account/{a}/call-log";
	g_autofree char *base = table_expand(tmpl, dir);
	g_autofree char *query = history_query(tree);
	g_autofree char *path = g_strdup_printf("%s?view=Detailed&%s", base, query);
	g_autoptr(GHashTable) days = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	CallListing cl = { entries, days };

	return api_list(tree_api(tree), k_calllog.group, path, each_call, &cl, error);
}

static gboolean each_recording(json_t *call, gpointer user, GError **error)
{
	GPtrArray *entries = user;
	json_t *rec = json_object_get(call, "recording");
	g_autofree char *rec_id = render_id(json_object_get(rec, "id"));
	time_t start = table_record_time(call, "startTime");
	g_autofree char *when = render_time_name(start);
	g_autofree char *from = render_safe_piece(render_party(json_object_get(call, "from")), 40);
	g_autofree char *to = render_safe_piece(render_party(json_object_get(call, "to")), 40);
	const char *ctype = json_string_value(json_object_get(rec, "contentType"));

	if (!rec_id || !json_string_value(json_object_get(rec, "contentUri")))
		return TRUE;
	g_autofree char *safe_id = render_safe_piece(rec_id, 60);
	g_autofree char *base = g_strdup_printf("%s_%s_%s_%s", when, from, to, safe_id);
	/* call-log records give no contentType: RingCentral records WAV unless told otherwise */
	g_autofree char *media =
		g_strdup_printf("%s.%s", base, ctype ? render_extension_for(ctype) : "wav");
	g_autofree char *meta = g_strdup_printf("%s.json", base);

	add_media(entries, media, rec, "contentUri", call, start, &k_recording_media);
	table_add_record(entries, meta, call, start);
	return TRUE;
}

static gboolean list_recordings(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(k_recordings.endpoint, dir);
	g_autofree char *query = history_query(tree);
	g_autofree char *path = g_strdup_printf("%s?view=Simple&recordingType=All&%s", base, query);

	return api_list(tree_api(tree), k_recordings.group, path, each_recording, entries, error);
}

/* ---- contacts and rules ------------------------------------------------- */

typedef struct {
	GPtrArray *entries;
	char *base; /* the collection's API path */
} ContactListing;

static gboolean each_contact(json_t *contact, gpointer user, GError **error)
{
	ContactListing *cl = user;
	g_autofree char *id = render_id(json_object_get(contact, "id"));
	const char *first = json_string_value(json_object_get(contact, "firstName"));
	const char *last = json_string_value(json_object_get(contact, "lastName"));
	const char *company = json_string_value(json_object_get(contact, "company"));
	g_autofree char *who = NULL;

	if (!id)
		return TRUE;
	if (first || last)
		who = g_strjoin(" ", first ? first : "", last ? last : "", NULL);
	else
		who = g_strdup(company ? company : "contact");
	g_autofree char *piece = render_safe_piece(who, 80);
	g_autofree char *safe_id = render_safe_piece(id, 40);
	g_autofree char *vcf = g_strdup_printf("%s_%s.vcf", piece, safe_id);
	g_autofree char *json = g_strdup_printf("%s_%s.json", piece, safe_id);
	time_t mtime = table_record_time(contact, "lastModifiedTime");

	g_autofree char *escaped = g_uri_escape_string(id, NULL, FALSE);
	g_autofree char *url = g_strdup_printf("%s/%s", cl->base, escaped);
	RfsEntry *v = table_add_rendered(cl->entries, vcf, render_vcard(contact), mtime);
	RfsEntry *j = table_add_record(cl->entries, json, contact, mtime);
	v->url = g_strdup(url);
	v->kind = &k_contact_file; /* deletable; rewriting needs the .json */
	j->url = g_strdup(url);
	j->kind = &k_contact_json;
	return TRUE;
}

static gboolean list_contacts(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(k_contacts.endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);

	ContactListing cl = { entries, base };

	return api_list(tree_api(tree), k_contacts.group, path, each_contact, &cl, error);
}

typedef struct {
	GPtrArray *entries;
	const RfsNode *dir;
	const RfsKind *doc_kind;
} RuleListing;

static gboolean each_rule(json_t *rule, gpointer user, GError **error)
{
	RuleListing *rl = user;
	g_autofree char *id = render_id(json_object_get(rule, "id"));

	if (!id)
		return TRUE;
	g_autofree char *piece = render_safe_piece(id, 80);
	g_autofree char *name = g_strdup_printf("%s.json", piece);
	g_autofree char *base = table_expand(rl->doc_kind->endpoint, rl->dir);
	g_autofree char *escaped = g_uri_escape_string(id, NULL, FALSE);
	RfsEntry *entry = table_add(rl->entries, rl->doc_kind, name);

	entry->url = g_strdup_printf("%s/%s", base, escaped);
	return TRUE;
}

static gboolean list_rules(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	const RfsKind *kind = dir->kind;
	g_autofree char *base = table_expand(kind->endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);
	RuleListing rl = { entries, dir, kind == &k_rules ? &k_rule_doc : &k_company_rule_doc };

	return api_list(tree_api(tree), kind->group, path, each_rule, &rl, error);
}

/* ---- the table ---------------------------------------------------------- */

#define DIR_ROW(n, fn) .name = n, .type = RFS_NODE_DIR, .content = RFS_CONTENT_NONE, .list = fn

static const RfsKind k_root = { DIR_ROW("root", list_root), .group = RFS_GROUP_NONE };
static const RfsKind k_accounts = { DIR_ROW("accounts", list_accounts), .group = RFS_GROUP_NONE };
static const RfsKind k_account = {
	DIR_ROW("account", list_account),
	.group = RFS_GROUP_NONE,
	.scratch = TRUE,
};
static const RfsKind k_extensions = {
	DIR_ROW("extensions", list_extensions),
	.group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/extension",
};
static const RfsKind k_extension = {
	DIR_ROW("extension", list_extension),
	.group = RFS_GROUP_NONE,
	.scratch = TRUE,
};
static const RfsKind k_messages = { DIR_ROW("messages", list_messages), .group = RFS_GROUP_NONE };
static const RfsKind k_msg_dir = {
	DIR_ROW("message-type", list_message_type),
	.group = RFS_GROUP_LIGHT,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/message-store?messageType={key}",
	.fetch = table_fetch_message,
	.entries_removable = TRUE,
};
static const RfsKind k_sms_dir = {
	DIR_ROW("sms", list_message_type),
	.group = RFS_GROUP_LIGHT,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/message-store?messageType={key}",
	.fetch = table_fetch_message,
	.entries_removable = TRUE,
};
static const RfsKind k_sms_peer = {
	DIR_ROW("sms-conversation", NULL), .parent_fills = TRUE,
	.write_group = RFS_GROUP_MEDIUM,   .remove = action_delete_conversation,
	.entries_removable = TRUE,
};
static const RfsKind k_calllog = {
	DIR_ROW("call-log", list_calllog),
	.group = RFS_GROUP_HEAVY,
	.endpoint = "/restapi/v1.0/account/{a}[/extension/{e}]/call-log",
	.fetch = table_fetch_call,
};
static const RfsKind k_calllog_day = { DIR_ROW("call-log-day", NULL), .parent_fills = TRUE };
static const RfsKind k_recordings = {
	DIR_ROW("recordings", list_recordings),
	.group = RFS_GROUP_HEAVY,
	.endpoint = "/restapi/v1.0/account/{a}/call-log",
	.fetch = table_fetch_recording,
};
static const RfsKind k_contacts = {
	DIR_ROW("contacts", list_contacts),
	.group = RFS_GROUP_HEAVY,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/address-book/contact",
	.create = create_json,
	.scratch = TRUE,
	.fetch = table_fetch_contact,
};
static const RfsKind k_rules = {
	DIR_ROW("answering-rules", list_rules),
	.group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/answering-rule",
	.create = create_json,
	.scratch = TRUE,
};
static const RfsKind k_company_rules = {
	DIR_ROW("company-answering-rules", list_rules),
	.group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/answering-rule",
	.create = create_json,
	.scratch = TRUE,
};
static const RfsKind k_doc = {
	.name = "document",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_DOCUMENT,
	.group = RFS_GROUP_LIGHT,
};
/* settings: read = GET, write = PUT of the same URL */
static const RfsKind k_doc_rw = {
	.name = "setting",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_DOCUMENT,
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = action_put_json,
};
static const RfsKind k_doc_rw_light = {
	.name = "setting-light",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_DOCUMENT,
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_LIGHT,
	.commit = action_put_json,
};
static const RfsKind k_rule_doc = {
	.name = "answering-rule",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_DOCUMENT,
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/answering-rule",
	.commit = action_put_json,
	.remove = action_delete_url,
};
static const RfsKind k_company_rule_doc = {
	.name = "company-answering-rule",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_DOCUMENT,
	.group = RFS_GROUP_LIGHT,
	.write_group = RFS_GROUP_MEDIUM,
	.endpoint = "/restapi/v1.0/account/{a}/answering-rule",
	.commit = action_put_json, /* the API has no DELETE of company rules */
};
/* a file the user made in a collection: POST to the directory's endpoint on close */
static const RfsKind k_new_rule = {
	.name = "new-answering-rule",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = action_post_json,
};
static const RfsKind k_new_contact = {
	.name = "new-contact",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = action_post_json,
};
static const char *const contact_read_only[] = { "uri", "id", "availability", NULL };
static const RfsKind k_contact_json = {
	.name = "contact",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.replace_without = contact_read_only,
	.commit = action_put_json,
	.remove = action_delete_url,
};
static const RfsKind k_contact_file = {
	.name = "contact-vcard",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.replace_without = contact_read_only,
	.commit = action_put_vcard,
	.remove = action_delete_url,
};
static const RfsKind k_new_contact_vcf = {
	.name = "new-contact-vcard",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = action_post_vcard,
};
static const RfsKind k_message_file = {
	.name = "message-record",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.remove = action_delete_message,
	.shares_record = TRUE,
	.xattrs = action_message_xattrs,
};
#define COLLECTION_ROW(n, path, item_kind)                                                         \
	DIR_ROW(n, list_collection), .group = RFS_GROUP_LIGHT,                                     \
				     .endpoint = "/restapi/v1.0/account/{a}/extension/{e}/" path,  \
				     .item = item_kind, .create = create_json, .scratch = TRUE
#define ITEM_ROW(n)                                                                                \
	.name = n, .type = RFS_NODE_FILE, .content = RFS_CONTENT_DOCUMENT,                         \
	.group = RFS_GROUP_LIGHT, .write_group = RFS_GROUP_MEDIUM, .commit = action_put_json,      \
	.remove = action_delete_url

static const RfsKind k_blocked = { COLLECTION_ROW("blocked-numbers", "blocked-number",
						  &k_blocked_item) };
static const RfsKind k_blocked_item = { ITEM_ROW("blocked-number") };
static const RfsKind k_phone_lists = { COLLECTION_ROW(
	"caller-blocking-numbers", "caller-blocking/phone-numbers", &k_phone_list_item) };
static const RfsKind k_phone_list_item = { ITEM_ROW("caller-blocking-number") };
static const RfsKind k_forwarding = { COLLECTION_ROW("forwarding-numbers", "forwarding-number",
						     &k_forwarding_item) };
static const RfsKind k_forwarding_item = { ITEM_ROW("forwarding-number") };
static const RfsKind k_new_item = {
	.name = "new-item",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = action_post_json,
};
static const RfsKind k_outbox_fax = {
	DIR_ROW("outbox-fax", table_list_nothing),
	.create = create_fax,
	.scratch = TRUE,
};
static const RfsKind k_outbox_fax_item = {
	.name = "fax-to-send",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = action_send_fax,
	.action = TRUE,
};
static const RfsKind k_greetings = {
	DIR_ROW("greetings", table_list_nothing),
	.create = create_greeting,
	.scratch = TRUE,
};
static const RfsKind k_greetings_account = {
	DIR_ROW("company-greetings", table_list_nothing),
	.create = create_greeting,
	.scratch = TRUE,
};
static const RfsKind k_greeting_item = {
	.name = "greeting-to-upload",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = action_upload_greeting,
	.action = TRUE,
};
static const RfsKind k_greeting_account_item = {
	.name = "company-greeting-to-upload",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = action_upload_greeting,
	.action = TRUE,
};
static const RfsKind k_outbox = { DIR_ROW("outbox", list_outbox), .group = RFS_GROUP_NONE };
static const RfsKind k_outbox_sms = {
	DIR_ROW("outbox-sms", table_list_nothing),
	.create = create_sms,
	.scratch = TRUE,
};
static const RfsKind k_outbox_pager = {
	DIR_ROW("outbox-pager", table_list_nothing),
	.create = create_pager,
	.scratch = TRUE,
};
static const RfsKind k_outbox_sms_item = {
	.name = "sms-to-send",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = action_send_sms,
	.action = TRUE,
};
static const RfsKind k_outbox_pager_item = {
	.name = "pager-to-send",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_MEDIUM,
	.commit = action_send_pager,
	.action = TRUE,
};
static const RfsKind k_scratch = {
	.name = "scratch",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.commit = action_keep_local,
	.remove = NULL,
};
static const RfsKind k_rendered = {
	.name = "record",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.group = RFS_GROUP_NONE,
};
/* What message attachments are: never an HTML page (a portal's or a proxy's error) */
static const char *const message_types[] = {
	"audio/",     "video/",	    "image/",	    "application/pdf", "application/octet-stream",
	"text/plain", "text/vcard", "text/x-vcard", "text/calendar",   NULL
};
static const char *const recording_types[] = { "audio/", "application/octet-stream", NULL };

static const RfsKind k_message_media = {
	.name = "message-attachment",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_MEDIA,
	.group = RFS_GROUP_MEDIUM,
	.immutable = TRUE,
	.media_types = message_types,
	.endpoint =
		"/restapi/v1.0/account/{a}/extension/{e}/message-store/{id}/content/{attachmentId}",
	.write_group = RFS_GROUP_MEDIUM,
	.remove = action_delete_message,
	.shares_record = TRUE,
	.xattrs = action_message_xattrs,
};
static const RfsKind k_recording_media = {
	.name = "recording",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_MEDIA,
	.group = RFS_GROUP_HEAVY,
	.immutable = TRUE,
	.media_types = recording_types,
	.endpoint = "/restapi/v1.0/account/{a}/recording/{recordingId}/content",
};
static const RfsKind k_link = { .name = "link", .type = RFS_NODE_LINK };

/* clang-format off */
static const RfsKind *const all_kinds[] = {
	&k_root, &k_accounts, &k_account, &k_extensions, &k_extension, &k_messages,
	&k_msg_dir, &k_sms_dir, &k_sms_peer, &k_calllog, &k_calllog_day, &k_recordings,
	&k_contacts, &k_rules, &k_company_rules, &k_doc, &k_rule_doc, &k_company_rule_doc,
	&k_rendered, &k_message_media, &k_recording_media, &k_link, &k_doc_rw, &k_doc_rw_light,
	&k_outbox, &k_outbox_sms, &k_outbox_pager, &k_outbox_sms_item, &k_outbox_pager_item,
	&k_scratch, &k_message_file, &k_contact_file, &k_contact_json, &k_new_contact,
	&k_new_rule, &k_blocked, &k_blocked_item, &k_phone_lists, &k_phone_list_item,
	&k_forwarding, &k_forwarding_item, &k_new_item, &k_outbox_fax, &k_outbox_fax_item,
	&k_greetings, &k_greetings_account, &k_greeting_item, &k_greeting_account_item,
	&k_new_contact_vcf,
};
/* clang-format on */

const RfsKind *table_root_kind(void)
{
	return &k_root;
}

const RfsKind *const *table_kinds(gsize *count)
{
	*count = G_N_ELEMENTS(all_kinds);
	return all_kinds;
}
