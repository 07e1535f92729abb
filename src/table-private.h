/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the rows' files share. One file of rows per API area, each filling
 * RfsKinds (node.h) and naming entries for them; table.c is the registry
 * that lists every row once and holds what more than one area uses:
 *
 *   table.c                root, scratch files, documents, records, the helpers below
 *   rows-account.c         accounts, extensions, their documents, api, dictionary, authz
 *   rows-messages.c        message store, outboxes
 *   rows-calls.c           call log, recordings, active calls, RingOut
 *   rows-contacts.c        address book, company directory
 *   rows-rules.c           answering rules, greetings, blocked and forwarding numbers
 *   rows-blocked.c         blocked numbers (caller blocking today, blocked-number before)
 *   rows-glip.c            team messaging
 *   rows-meetings.c        meetings
 *   rows-subscriptions.c   subscriptions
 *
 * A row is exported as table_k_<its name, '-' as '_'> so that table.c can
 * list it; a new row is added to its area's file, declared here, and listed
 * in table.c's all_kinds (tests/unit/test-table.c and docs/operations.md
 * check the list).
 */
#pragma once

#include "table.h"

#define API_V1 "/restapi/v1.0"

/* How rows are spelled: a directory listed by @fn, a document (GET, pretty JSON). */
#define TABLE_DIR(n, fn) .name = n, .type = RFS_NODE_DIR, .content = RFS_CONTENT_NONE, .list = fn
#define TABLE_DOC(n)	 .name = n, .type = RFS_NODE_FILE, .content = RFS_CONTENT_DOCUMENT

/* ---- entries ---------------------------------------------------------------- */

/* A new entry @name of @kind at the end of @entries. (transfer none: @entries owns it) */
RfsEntry *table_add(GPtrArray *entries, const RfsKind *kind, const char *name);
/* A document @name of @kind, read from @endpoint expanded for @dir. */
RfsEntry *table_add_document(GPtrArray *entries, const RfsNode *dir, const char *name,
			     const RfsKind *kind, const char *endpoint);
/* A file showing @record as pretty JSON (render_json), kept compact until read. */
RfsEntry *table_add_record(GPtrArray *entries, const char *name, const json_t *record,
			   time_t mtime);
RfsEntry *table_add_rendered(GPtrArray *entries, const char *name,
			     GBytes *content /* takes ownership */, time_t mtime);

/*
 * A media file @name of @kind at the URL @attachment gives under @url_key
 * ("uri" for message attachments, "contentUri" for recordings, whose "uri"
 * is metadata), or NULL when it gives none. Its size shows an estimate until
 * it is read once: from the duration where the record gives one (8 kHz
 * 16-bit audio, as RingCentral's WAV is), from a fax's page count, else one
 * page; only a hint (see tree.c).
 */
#define ESTIMATE_AUDIO_RATE 16000 /* bytes per second */
#define ESTIMATE_MP3_RATE   4000  /* bytes per second of MP3 (32 kbit/s) */
#define ESTIMATE_PAGE	    4096
RfsEntry *table_add_media(GPtrArray *entries, const char *name, const json_t *attachment,
			  const char *url_key, const json_t *record, time_t mtime,
			  const RfsKind *kind);

/* The time @record gives under @key, or 0. */
time_t table_record_time(const json_t *record, const char *key);
/* "out" for an Outbound record, else "in". (transfer none) */
const char *table_direction_piece(const json_t *record);
/*
 * "dateFrom=…&perPage=…": message and call listings ask for history_days of
 * history, because the API's default window is the last 24 hours. (transfer full)
 */
char *table_history_query(RfsTree *tree);

/* ---- listings and lookups shared by areas ----------------------------------- */

/* Folders that list nothing from the server (outboxes, upload folders, by-id folders). */
/* The folder of messages of API type @type ("VoiceMail" → "voicemail"), or NULL. */
const char *table_message_folder(const char *type);
/* What the listing of @msg's folder shows of it (SMS: its conversation with them). */
void table_message_entries(RfsTree *tree, const json_t *msg, GPtrArray *entries);
/* Where a call-log record shows in a call-log folder: "<day>/<file>". NULL: it has no id. (transfer
 * full) */
char *table_call_path(const json_t *call);

gboolean table_list_nothing(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error);

/* How table_list_with() makes an entry of each record. */
typedef struct {
	GPtrArray *entries;
	RfsNode *dir;
	const RfsKind *kind;   /* of each entry */
	const char *item_base; /* documents: their URL is item_base/<id> */
	const char *name_key;  /* also in the name: <id>_<value>.json */
	gboolean as_dir;       /* entries are directories (key = id) */
} TableListing;

/* Lists @dir's endpoint + @query (or nothing) into @entries as @l says. */
gboolean table_list_with(RfsTree *tree, RfsNode *dir, GPtrArray *entries, const char *query,
			 TableListing l, GError **error);
/* Lists @path (expanded, with its query) as @l says (@l.entries and @l.dir set). */
gboolean table_list_at(RfsTree *tree, RfsNode *dir, const char *path, TableListing l,
		       GError **error);
/* "?perPage=<page_size>". (transfer full) */
char *table_per_page(RfsTree *tree);
/* Records as <id>_<name>.json, made from the listing (dictionary greetings, directory). */
gboolean table_list_named(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error);

/* The id in a name "<id>.json" of [A-Za-z0-9_-] (or digits) only, else NULL. (transfer full) */
char *table_name_id(const char *name, gboolean digits_only);
/* A document @name of @kind at the item @id of @tmpl expanded for @dir. (transfer full) */
RfsEntry *table_entry_by_id(RfsNode *dir, const char *name, const RfsKind *kind, const char *tmpl,
			    const char *id);

/* A new <name>.json in a collection (POSTed to its endpoint: table_k_new_entry); else NULL. */
const RfsKind *table_create_entry(RfsTree *tree, RfsNode *dir, const char *name);

/* ---- the rows, by file ------------------------------------------------------ */

/* table.c */
extern const RfsKind table_k_root, table_k_scratch, table_k_record, table_k_events,
	table_k_document, table_k_document_medium, table_k_document_heavy, table_k_setting,
	table_k_setting_light, table_k_new_entry;

/* rows-account.c */
extern const RfsKind table_k_accounts, table_k_account, table_k_extensions, table_k_extension,
	table_k_link, table_k_api, table_k_api_info, table_k_api_status, table_k_dictionary,
	table_k_dictionary_greetings, table_k_authz_check;

/* rows-messages.c */
extern const RfsKind table_k_messages, table_k_message_type, table_k_sms, table_k_sms_conversation,
	table_k_message_record, table_k_message_attachment, table_k_outbox, table_k_outbox_sms,
	table_k_outbox_pager, table_k_outbox_fax, table_k_sms_to_send, table_k_pager_to_send,
	table_k_fax_to_send, table_k_deleted_messages, table_k_deleted_record,
	table_k_deleted_attachment, table_k_sms_transcript, table_k_pager_transcript, table_k_trash,
	table_k_trash_info;

/* rows-people.c */
extern const RfsKind table_k_people, table_k_person;

/* rows-calls.c */
extern const RfsKind table_k_call_log, table_k_call_log_day, table_k_recordings, table_k_recording,
	table_k_active_calls, table_k_ringout, table_k_ringout_legacy, table_k_ringout_call;

/* rows-contacts.c */
extern const RfsKind table_k_contacts, table_k_contact, table_k_contact_vcard, table_k_new_contact,
	table_k_new_contact_vcard, table_k_directory;

/* rows-rules.c */
extern const RfsKind table_k_answering_rules, table_k_company_answering_rules,
	table_k_answering_rule, table_k_company_answering_rule, table_k_new_answering_rule,
	table_k_blocked_numbers, table_k_blocked_number, table_k_caller_blocking_numbers,
	table_k_caller_blocking_number, table_k_forwarding_numbers, table_k_forwarding_number,
	table_k_new_item, table_k_greetings, table_k_company_greetings, table_k_greeting_to_upload,
	table_k_company_greeting_to_upload, table_k_state_rule, table_k_interaction_rule,
	table_k_new_interaction_rule, table_k_forwarding_target, table_k_call_flip_numbers;

/*
 * Which call handling the extension of @node has: TABLE_CALLS_V1 (the
 * answering-rule and forwarding-number calls) or TABLE_CALLS_V2 (RingCentral's
 * new call handling, the v2 comm-handling calls). Asked once per extension and
 * mount (GET …/features; a 403 or 404 there means V1), then remembered; -1
 * with @error when the server could not say (asked again at the next use).
 * table_call_handling_known gives what is remembered, 0 if nothing, with no
 * request. (rows-rules.c)
 */
#define TABLE_CALLS_V1 1
#define TABLE_CALLS_V2 2
int table_call_handling(RfsTree *tree, RfsNode *node, GError **error);
int table_call_handling_known(RfsTree *tree, const RfsNode *node);

/* rows-glip.c */
extern const RfsKind table_k_glip, table_k_glip_groups, table_k_glip_group, table_k_glip_members,
	table_k_glip_transcript, table_k_glip_group_posts, table_k_glip_post_text,
	table_k_glip_new_post, table_k_glip_new_post_json, table_k_glip_posts,
	table_k_glip_group_webhooks, table_k_glip_new_webhook, table_k_glip_files,
	table_k_glip_file, table_k_glip_persons, table_k_glip_companies, table_k_glip_webhooks,
	table_k_glip_webhook, table_k_glip_new_group, table_k_glip_new_group_post_json;

/* rows-blocked.c (and table_k_blocked_numbers, with rows-rules.c's above) */
extern const RfsKind table_k_new_blocked_number;

/* rows-meetings.c */
extern const RfsKind table_k_meetings, table_k_meeting, table_k_video, table_k_video_meetings;

/*
 * Whether the server still has the seed's meetings API (…/meeting), which
 * today's service has retired. Asked once per mount, by GET
 * TABLE_MEETINGS_SERVICE_INFO (the answer is kept for that document's own
 * load), then remembered: an answer or a 403 means there, a 404 gone (as does
 * a 404 from meetings/ later). table_meetings_ask asks for the user's own
 * extension while @extensions (the folder of extensions) is listed;
 * table_meetings_served says for the extension folder @ext, asking there if
 * the answer is not known: TRUE while the server could not say.
 */
#define TABLE_MEETINGS_SERVICE_INFO API_V1 "/account/{a}/extension/{e}/meeting/service-info"
void table_meetings_ask(RfsTree *tree, RfsNode *extensions);
gboolean table_meetings_served(RfsTree *tree, RfsNode *ext);

/* rows-subscriptions.c */
extern const RfsKind table_k_subscriptions, table_k_subscription;
