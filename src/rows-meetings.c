/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of meetings (meetings-service-info.json is a document of the
 * extension's folder: rows-account.c).
 *
 *   …/{e}/meetings/<id>.json     GET …/meeting, then GET …/meeting/{id} each; a new .json
 *                                creates, rewrite updates, rm deletes, user.ringfs.end ends
 *   …/{e}/video/bridge.json      GET /rcvideo/v2/account/{a}/extension/{e}/bridges/default
 *   …/{e}/video/meetings/        GET /rcvideo/v1/history/meetings (all pages): read only,
 *     <YYYY-MM-DD_HH-MM>_<name>.json  each file the meeting's record
 *
 * RingCentral Video (/rcvideo) replaces the meetings API of the seed
 * (…/meeting). video/meetings/ asks /rcvideo first; a server that answers 404
 * is asked …/meeting from then on (one mount per process), and video/ then
 * shows no bridge.json.
 *
 * Today's service has retired …/meeting. Whether it is still there is asked
 * once per mount, when extensions/ is listed (every path to an extension's
 * folder passes there, so a lookup in one costs nothing more), by the document
 * the user's own folder shows anyway (GET …/{e}/meeting/service-info, kept for
 * its load): a 404 there, or later from meetings/, and the extension folders
 * show neither meetings/ nor meetings-service-info.json for the rest of the
 * mount.
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"
#include "render.h"

#include <errno.h>
#include <string.h>

/* ---- is the seed's meetings API still there? ------------------------------- */

#define MEETINGS_MEMO  "meetings-v1" /* the server's, not an extension's */
#define MEETINGS_THERE 1
#define MEETINGS_GONE  2

static void meetings_gone(RfsTree *tree, const char *why)
{
	g_message("the server has no meetings API of the seed (%s): meetings/ and "
		  "meetings-service-info.json are not shown",
		  why);
	tree_memo_set(tree, MEETINGS_MEMO, MEETINGS_GONE);
}

/* Asks GET @url, an extension's service info, unless the answer is known. */
static gboolean meetings_ask(RfsTree *tree, const char *url)
{
	int known = tree_memo_get(tree, MEETINGS_MEMO);

	if (known)
		return known == MEETINGS_THERE;
	g_autoptr(GError) local = NULL;
	g_autoptr(json_t) answer =
		tree_get_json(tree, table_k_document.group, url, NULL, NULL, &local);

	if (answer || local->code == EACCES) {
		/* refused to this user is still there */
		tree_memo_set(tree, MEETINGS_MEMO, MEETINGS_THERE);
		return TRUE;
	}
	if (local->code == ENOENT) {
		meetings_gone(tree, local->message);
		return FALSE;
	}
	/* not known yet: shown (the document says why it fails), asked at the next listing */
	g_debug("meetings API: %s", local->message);
	return TRUE;
}

void table_meetings_ask(RfsTree *tree, RfsNode *extensions)
{
	g_autofree char *base = table_expand(table_k_extensions.endpoint, extensions);
	g_autofree char *me = table_item_url(base, tree_extension_id(tree));
	g_autofree char *url = g_strconcat(me, "/meeting/service-info", NULL);

	meetings_ask(tree, url);
}

gboolean table_meetings_served(RfsTree *tree, RfsNode *ext)
{
	g_autofree char *url = table_expand(TABLE_MEETINGS_SERVICE_INFO, ext);
	return meetings_ask(tree, url);
}

static gboolean list_meetings(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (table_list_with(
		    tree, dir, entries, NULL,
		    (TableListing){ .kind = &table_k_meeting,
				    .item_base = API_V1 "/account/{a}/extension/{e}/meeting" },
		    &local))
		return TRUE;
	if (local->code == ENOENT) {
		/* retired since the extension's folder was listed: it shows meetings/ no more */
		meetings_gone(tree, local->message);
		tree_invalidate(tree, dir->parent);
	}
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

/* setfattr -n user.ringfs.end: POST …/end */
static gboolean set_meeting_end(RfsTree *tree, RfsNode *node, const char *value, GError **error)
{
	return write_post_verb(tree, node, "/end", error);
}

static const RfsXattr meeting_xattrs[] = {
	{ "user.ringfs.end", NULL, set_meeting_end, RFS_STALE_NODE },
	{ .name = NULL },
};

/* ---- RingCentral Video ------------------------------------------------------ */

#define MEETINGS_LEGACY API_V1 "/account/{a}/extension/{e}/meeting"
#define VIDEO_PAGES	50 /* pages of one listing, at most */
static gint video_legacy;  /* atomic: the server has no /rcvideo */

static gboolean list_video(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	if (!g_atomic_int_get(&video_legacy))
		table_add_document(entries, dir, "bridge.json", &table_k_document_medium,
				   "/rcvideo/v2/account/{a}/extension/{e}/bridges/default");
	table_add(entries, &table_k_video_meetings, "meetings");
	return TRUE;
}

/* <YYYY-MM-DD_HH-MM>_<displayName>.json, "_<n>" added when that name is taken */
static void add_video_meeting(GPtrArray *entries, json_t *m)
{
	time_t t = table_record_time(m, "startTime");
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);
	g_autofree char *when = dt ? g_date_time_format(dt, "%Y-%m-%d_%H-%M") : g_strdup("unknown");
	const char *shown = json_string_value(json_object_get(m, "displayName"));
	g_autofree char *piece = render_safe_piece(shown && *shown ? shown : "meeting", 60);
	g_autofree char *stem = g_strdup_printf("%s_%s", when, piece);
	g_autofree char *name = g_strdup_printf("%s.json", stem);

	for (int n = 2;; n++) {
		gboolean taken = FALSE;
		for (guint i = 0; i < entries->len && !taken; i++)
			taken = strcmp(((RfsEntry *)entries->pdata[i])->name, name) == 0;
		if (!taken)
			break;
		g_free(name);
		name = g_strdup_printf("%s_%d.json", stem, n);
	}
	table_add_record(entries, name, m, t);
}

/* GET /rcvideo/v1/history/meetings, every page ({meetings, paging.nextPageToken}) */
static gboolean list_video_history(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *token = NULL;

	for (int page = 0; page < VIDEO_PAGES; page++) {
		g_autofree char *q = token ? g_uri_escape_string(token, NULL, FALSE) : NULL;
		g_autofree char *path =
			g_strdup_printf("%s?perPage=100%s%s", table_k_video_meetings.endpoint,
					q ? "&pageToken=" : "", q ? q : "");
		g_autoptr(json_t) root =
			api_get_json(tree_api(tree), table_k_video_meetings.group, path, error);
		if (!root)
			return FALSE;
		json_t *meetings = json_object_get(root, "meetings"), *m;
		size_t i;
		if (!json_is_array(meetings)) {
			g_set_error(error, RFS_ERROR, EIO, "GET %s: the answer has no meetings",
				    path);
			return FALSE;
		}
		json_array_foreach (meetings, i, m)
			if (json_is_object(m))
				add_video_meeting(entries, m);
		const char *next = json_string_value(
			json_object_get(json_object_get(root, "paging"), "nextPageToken"));
		if (!next || !*next || json_array_size(meetings) == 0 ||
		    (token && strcmp(next, token) == 0))
			return TRUE;
		g_free(token);
		token = g_strdup(next);
	}
	g_message("%s: more than %d pages of meetings; showing those", dir->name, VIDEO_PAGES);
	return TRUE;
}

static gboolean list_video_meetings(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (!g_atomic_int_get(&video_legacy)) {
		if (list_video_history(tree, dir, entries, &local))
			return TRUE;
		if (local->code != ENOENT) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		g_message(
			"the server has no RingCentral Video (%s): video/meetings/ lists …/meeting",
			local->message);
		g_atomic_int_set(&video_legacy, 1);
		g_ptr_array_set_size(entries, 0);
	}
	g_autofree char *path = table_expand(MEETINGS_LEGACY, dir);
	TableListing l = { .entries = entries, .dir = dir, .kind = &table_k_record };
	return table_list_at(tree, dir, path, l, error);
}

const RfsKind table_k_video = { TABLE_DIR("video", list_video), .group = RFS_GROUP_NONE };
const RfsKind table_k_video_meetings = { TABLE_DIR("video-meetings", list_video_meetings),
					 .group = RFS_GROUP_MEDIUM,
					 .endpoint = "/rcvideo/v1/history/meetings" };

/* ---- the seed's meetings ---------------------------------------------------- */

const RfsKind table_k_meetings = { TABLE_DIR("meetings", list_meetings), .group = RFS_GROUP_LIGHT,
				   .endpoint = API_V1 "/account/{a}/extension/{e}/meeting",
				   .create = table_create_entry, .scratch = TRUE };
const RfsKind table_k_meeting = {
	TABLE_DOC("meeting"),	  .group = RFS_GROUP_LIGHT,   .write_group = RFS_GROUP_MEDIUM,
	.commit = write_put_json, .remove = write_delete_url, .xattrs = meeting_xattrs
};
