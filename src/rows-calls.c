/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of calls: the call log by day, recordings, active calls and RingOut.
 *
 *   call-log/<YYYY-MM-DD>/<time>_<in|out>_<peer>_<id>.json    GET …/call-log?view=Detailed
 *   call-log/<YYYY-MM-DD>/<time>_<in|out>_<peer>_<id>.<mp3|wav>
 *                                     → ../../recordings/<its name there> (the call's recording)
 *   call-log/calls.csv                                         the same listing, one row a call
 *   recordings/<time>_<from>_<to>_<recordingId>.<mp3|wav|json> GET …/call-log?recordingType=All
 *     (the account's needs the company call log; a user's own are under {e}/recordings/)
 *   …/{e}/active-calls/<id>.json                              GET …/active-calls
 *   …/{e}/ringout/, ringout-legacy/                           POST …/ring-out (…/ringout)
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"
#include "render.h"

#include <errno.h>
#include <string.h>

/*
 * The name of @call's recording in recordings/, <time>_<from>_<to>_<recordingId>.<ext>, and
 * in *ext its extension; NULL if it has none. Recordings are audio/mpeg or audio/wav, and
 * call-log records do not say which: the type the first download was served with (the
 * content cache keeps it across mounts; @tree NULL: none asked), else WAV, until a download
 * says otherwise. (transfer full; *ext: transfer none)
 */
static char *recording_name(RfsTree *tree, const json_t *call, const char **ext)
{
	const json_t *rec = json_object_get(call, "recording");
	g_autofree char *rec_id = render_id(json_object_get(rec, "id"));
	const char *uri = json_string_value(json_object_get(rec, "contentUri"));

	if (!rec_id || !uri)
		return NULL;
	time_t start = table_record_time(call, "startTime");
	g_autofree char *when = render_time_name(start);
	g_autofree char *from = render_safe_piece(render_party(json_object_get(call, "from")), 40);
	g_autofree char *to = render_safe_piece(render_party(json_object_get(call, "to")), 40);
	g_autofree char *known = tree ? tree_media_type(tree, uri) : NULL;
	const char *ctype = json_string_value(json_object_get(rec, "contentType"));
	*ext = render_extension_for(ctype ? ctype : known);
	if (strcmp(*ext, "bin") == 0)
		*ext = "wav";
	g_autofree char *safe_id = render_safe_piece(rec_id, 60);
	return g_strdup_printf("%s_%s_%s_%s.%s", when, from, to, safe_id, *ext);
}

/* ---- call log --------------------------------------------------------------- */

typedef struct {
	RfsTree *tree; /* NULL: no content cache to ask (the fuzz harness) */
	GPtrArray *entries;
	GHashTable *days; /* "2026-11-20" → RfsEntry* (a directory in entries) */
	GString *csv;	  /* calls.csv: one row per call, in the listing's order */
	time_t newest;
} CallListing;

/* A call's file, <time>_<in|out>_<peer>_<id>.json, in its day's folder *day. (transfer full) */
static char *call_file_name(const json_t *call, const char *id, char **day)
{
	time_t start = table_record_time(call, "startTime");
	g_autofree char *when = render_time_name(start);
	const char *direction = table_direction_piece(call);
	const json_t *party = json_object_get(call, strcmp(direction, "out") == 0 ? "to" : "from");
	g_autofree char *peer = render_safe_piece(render_party(party), 40);
	g_autofree char *safe_id = render_safe_piece(id, 60);

	*day = render_day_name(start);
	return g_strdup_printf("%s_%s_%s_%s.json", when, direction, peer, safe_id);
}

char *table_call_path(const json_t *call)
{
	g_autofree char *id = render_id(json_object_get(call, "id"));
	g_autofree char *day = NULL;

	if (!id)
		return NULL;
	g_autofree char *name = call_file_name(call, id, &day);
	return g_strconcat(day, "/", name, NULL);
}

/*
 * Beside the call's @name (.json), its recording: a link into recordings/, named as the call
 * with the recording's extension, so that the bytes, the cache and the type's naming stay in
 * one place. It carries the recording's URL: when a download finds the type other than the
 * name says, it takes the new extension along with the recording (tree-media.c).
 */
static void add_recording_link(RfsTree *tree, GPtrArray *entries, const json_t *call,
			       const char *name, time_t start)
{
	const char *ext = NULL;
	g_autofree char *target = recording_name(tree, call, &ext);

	if (!target)
		return;
	gsize stem = strlen(name) - strlen(".json");
	g_autofree char *link_name = g_strdup_printf("%.*s.%s", (int)stem, name, ext);
	RfsEntry *link = table_add(entries, &table_k_link, link_name);
	link->target = g_strconcat("../../recordings/", target, NULL);
	link->url = g_strdup(json_string_value(
		json_object_get(json_object_get(call, "recording"), "contentUri")));
	link->mtime = start;
}

static gboolean each_call(json_t *call, gpointer user, GError **error)
{
	CallListing *cl = user;
	g_autofree char *id = render_id(json_object_get(call, "id"));
	time_t start = table_record_time(call, "startTime");
	g_autofree char *day = NULL;

	render_calls_csv_row(cl->csv, call);
	cl->newest = MAX(cl->newest, start);
	if (!id)
		return TRUE;
	g_autofree char *name = call_file_name(call, id, &day);
	RfsEntry *dir = g_hash_table_lookup(cl->days, day);
	if (!dir) {
		dir = table_add(cl->entries, &table_k_call_log_day, day);
		dir->children = g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
		g_hash_table_insert(cl->days, g_strdup(day), dir);
	}
	dir->mtime = MAX(dir->mtime, start);
	table_add_record(dir->children, name, call, start);
	add_recording_link(cl->tree, dir->children, call, name, start);
	return TRUE;
}

static gboolean list_calllog(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	const char *tmpl = dir->ids->eid ? "/restapi/v1.0/account/{a}/extension/{e}/call-log"
					 : "/restapi/v1.0/account/{a}/call-log";
	g_autofree char *base = table_expand(tmpl, dir);
	g_autofree char *query = table_history_query(tree);
	g_autofree char *path = g_strdup_printf("%s?view=Detailed&%s", base, query);
	g_autoptr(GHashTable) days = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GString) csv = g_string_new(render_calls_csv_header());
	CallListing cl = { tree, entries, days, csv, 0 };

	if (!api_list(tree_api(tree), table_k_call_log.group, path, each_call, &cl, error))
		return FALSE;
	/* the same listing as a spreadsheet: no request of its own */
	table_add_rendered(entries, "calls.csv", g_string_free_to_bytes(g_steal_pointer(&csv)),
			   cl.newest);
	return TRUE;
}

static RfsEntry *fetch_call(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, FALSE);
	if (!id || !dir->ids->eid)
		return NULL; /* the API reads one call of an extension's log only */
	return table_entry_by_id(dir, name, &table_k_document_heavy,
				 API_V1 "/account/{a}/extension/{e}/call-log", id);
}

/* ---- recordings ------------------------------------------------------------- */

typedef struct {
	RfsTree *tree; /* NULL: no content cache to ask (the fuzz harness) */
	GPtrArray *entries;
} RecordingListing;

static gboolean each_recording(json_t *call, gpointer user, GError **error)
{
	RecordingListing *rl = user;
	json_t *rec = json_object_get(call, "recording");
	time_t start = table_record_time(call, "startTime");
	const char *ext = NULL;
	g_autofree char *media = recording_name(rl->tree, call, &ext);

	if (!media)
		return TRUE;
	g_autofree char *meta =
		g_strdup_printf("%.*s.json", (int)(strlen(media) - strlen(ext) - 1), media);
	RfsEntry *entry = table_add_media(rl->entries, media, rec, "contentUri", call, start,
					  &table_k_recording);
	json_int_t seconds = json_integer_value(json_object_get(call, "duration"));
	if (strcmp(ext, "mp3") == 0 && seconds > 0)
		entry->estimate = (off_t)MIN(seconds, RFS_MAX_CONTENT / ESTIMATE_MP3_RATE) *
				  ESTIMATE_MP3_RATE;
	table_add_record(rl->entries, meta, call, start);
	return TRUE;
}

static gboolean list_recordings(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	/* the account's call log needs ReadCompanyCallLog (admins); a user reads their own */
	const char *tmpl = dir->ids->eid ? API_V1 "/account/{a}/extension/{e}/call-log"
					 : API_V1 "/account/{a}/call-log";
	g_autofree char *base = table_expand(tmpl, dir);
	g_autofree char *query = table_history_query(tree);
	g_autofree char *path = g_strdup_printf("%s?view=Simple&recordingType=All&%s", base, query);

	RecordingListing rl = { tree, entries };
	return api_list(tree_api(tree), table_k_recordings.group, path, each_recording, &rl, error);
}

static RfsEntry *fetch_recording(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, TRUE);
	return id ? table_entry_by_id(dir, name, &table_k_document_heavy,
				      API_V1 "/account/{a}/recording", id)
		  : NULL;
}

/* ---- active calls ----------------------------------------------------------- */

static gboolean list_active_calls(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *q = table_per_page(tree);
	return table_list_with(tree, dir, entries, q, (TableListing){ .kind = &table_k_record },
			       error);
}

/* ---- RingOut ---------------------------------------------------------------- */

/* one kind: it posts to its folder's endpoint, either spelling */
static const RfsKind *create_ringout(RfsTree *tree, RfsNode *dir, const char *name)
{
	return &table_k_ringout_call;
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
		if (!(body = write_parse_object(data, error)))
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
	g_autoptr(GBytes) wire = write_compact(body);
	g_autofree char *path = table_expand(node->parent->kind->endpoint, node->parent);
	/* a RingOut cannot be looked up without the id its answer gives */
	return send_once(tree, node, path, "application/json", wire, NULL, now, error);
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
	g_autofree char *path = table_item_url(base, id);
	return api_send(tree_api(tree),
			&(RfsApiSend){ .group = RFS_GROUP_HEAVY,
				       .op = RFS_OP_DELETE,
				       .method = "DELETE",
				       .path = path },
			NULL, error);
}

static RfsEntry *fetch_ringout(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, FALSE);
	return id ? table_entry_by_id(dir, name, &table_k_document, dir->kind->endpoint, id) : NULL;
}

/* ---- the rows --------------------------------------------------------------- */

static const char *const recording_types[] = { "audio/", "application/octet-stream", NULL };

const RfsKind table_k_call_log = {
	TABLE_DIR("call-log", list_calllog),
	.group = RFS_GROUP_HEAVY,
	.endpoint = "/restapi/v1.0/account/{a}[/extension/{e}]/call-log",
	.fetch = fetch_call,
};
const RfsKind table_k_call_log_day = { TABLE_DIR("call-log-day", NULL), .parent_fills = TRUE };
const RfsKind table_k_recordings = {
	TABLE_DIR("recordings", list_recordings),
	.group = RFS_GROUP_HEAVY,
	.endpoint = "/restapi/v1.0/account/{a}[/extension/{e}]/call-log",
	.fetch = fetch_recording,
};
const RfsKind table_k_recording = {
	.name = "recording",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_MEDIA,
	.group = RFS_GROUP_HEAVY,
	.immutable = TRUE,
	.media_types = recording_types,
	.named_by_type = TRUE,
	.endpoint = "/restapi/v1.0/account/{a}/recording/{recordingId}/content",
};
const RfsKind table_k_active_calls = {
	TABLE_DIR("active-calls", list_active_calls),
	.group = RFS_GROUP_HEAVY,
	.endpoint = API_V1 "/account/{a}/extension/{e}/active-calls",
};

const RfsKind table_k_ringout = {
	TABLE_DIR("ringout", table_list_nothing),
	.group = RFS_GROUP_LIGHT,
	.endpoint = API_V1 "/account/{a}/extension/{e}/ring-out",
	.create = create_ringout,
	.fetch = fetch_ringout,
	.scratch = TRUE,
};
const RfsKind table_k_ringout_legacy = {
	TABLE_DIR("ringout-legacy", table_list_nothing),
	.group = RFS_GROUP_LIGHT,
	.endpoint = API_V1 "/account/{a}/extension/{e}/ringout",
	.create = create_ringout,
	.fetch = fetch_ringout,
	.scratch = TRUE,
};
const RfsKind table_k_ringout_call = {
	.name = "ringout-call",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = commit_ringout,
	.remove = remove_ringout,
	.sends_once = TRUE,
	.keep_after_send = TRUE,
};
