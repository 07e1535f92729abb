/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live refresh (see live.h). The classification of a change needs the state
 * a message had: what the syncs so far said of it (the FSync gives the
 * recent ones), kept by id. A message unknown to them is "new" if it was
 * made after the first sync, else "changed" (its state is in the line).
 *
 * Cost: one Light request per interval (120 an hour at the default 30 s,
 * of the 3000 an hour the Light group allows), and no listing while the
 * syncs keep the folders current; presence adds one Light request every
 * CALLS_EVERY-th round (30 an hour).
 */
#include "live.h"
#include "render.h"
#include "table-private.h"

#include <errno.h>
#include <string.h>

#define OVERLAP_S 5 /* the server repeats the last 5 s of changes in an ISync */
/*
 * Calls: the call log has no cheap feed (its sync is in the Heavy group, 10
 * requests a minute), so it is read every CALLS_EVERY-th round (every 2
 * minutes at the default interval: 30 Heavy requests an hour), from a little
 * before the newest call seen; calls made since the first sync are new.
 */
#define CALLS_EVERY	4
#define CALLS_OVERLAP_S 120

typedef struct {
	char *read;	/* readStatus */
	char *avail;	/* availability */
	char *modified; /* lastModifiedTime */
	char *path;	/* of its main file in the mount */
	char *type, *direction;
} Known;

struct RfsLive {
	RfsTree *tree;
	RfsEvents *events;
	int interval;
	GThread *thread;
	GMutex lock;
	GCond wake;
	/* protected by lock: */
	gboolean stopping;
	guint64 budget; /* of the sync under way, 0 if none */
	/* the thread's own: */
	char *token;	   /* the last syncToken, NULL: FSync next */
	time_t since;	   /* syncTime of the first FSync */
	GHashTable *known; /* message id → Known* */
	guint rounds;
	time_t calls_since;	/* the newest call's start seen, 0: the call log not read yet */
	char *presence;		/* the last presence's statuses (JSON), NULL: not read yet */
	GHashTable *calls_seen; /* call id → its start (time_t) within CALLS_OVERLAP_S of it */
};

static void known_free(Known *k)
{
	g_free(k->read);
	g_free(k->avail);
	g_free(k->modified);
	g_free(k->path);
	g_free(k->type);
	g_free(k->direction);
	g_free(k);
}

static const char *member(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

/* The folder node of messages of @type, if it exists already (no listing). */
/* The logged-in extension's @name/@below (@below may be NULL), if the kernel saw it. */
static RfsNode *extension_node(RfsLive *live, const char *name, const char *below)
{
	RfsTree *tree = live->tree;
	const char *steps[] = { "accounts",   tree_account_id(tree),
				"extensions", tree_extension_id(tree),
				name,	      below };
	RfsNode *node = tree_root(tree);

	for (gsize i = 0; node && i < G_N_ELEMENTS(steps) && steps[i]; i++)
		node = tree_peek_child(tree, node, steps[i]);
	return node;
}

static RfsNode *folder_node(RfsLive *live, const char *folder)
{
	return extension_node(live, "messages", folder);
}

/* The path of the message's main file (audio, fax, text, else its record). (transfer full) */
static char *main_path(RfsLive *live, const char *folder, GPtrArray *entries)
{
	RfsTree *tree = live->tree;
	const char *sub = NULL, *name = NULL;

	for (guint i = 0; i < entries->len && !name; i++) {
		RfsEntry *e = entries->pdata[i];
		if (e->children) {
			for (guint j = 0; j < e->children->len && !name; j++) {
				sub = e->name;
				name = ((RfsEntry *)e->children->pdata[j])->name;
			}
		} else {
			name = e->name;
		}
	}
	if (!name)
		return NULL;
	return g_strjoin("/", "accounts", tree_account_id(tree), "extensions",
			 tree_extension_id(tree), "messages", folder, sub ? sub : name,
			 sub ? name : NULL, NULL);
}

static void publish(RfsLive *live, const char *event, const char *id, const Known *k)
{
	g_autoptr(json_t) line = json_object();
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *when = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");

	json_object_set_new(line, "time", json_string(when));
	json_object_set_new(line, "event", json_string(event));
	if (k->type)
		json_object_set_new(line, "type", json_string(k->type));
	if (k->direction)
		json_object_set_new(line, "direction", json_string(k->direction));
	json_object_set_new(line, "id", json_string(id));
	if (k->read)
		json_object_set_new(line, "readStatus", json_string(k->read));
	if (k->path)
		json_object_set_new(line, "path", json_string(k->path));
	g_autofree char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text)
		events_publish(live->events, text);
}

/* What changed of @rec since the state @was (NULL: unknown), as an event name, or NULL. */
static const char *classify(RfsLive *live, const json_t *rec, const Known *was)
{
	const char *avail = member(rec, "availability");
	const char *read = member(rec, "readStatus");

	if (!was) {
		time_t created = 0;
		if (g_strcmp0(avail, "Purged") == 0)
			return "purged";
		if (g_strcmp0(avail, "Deleted") == 0)
			return "deleted";
		render_parse_time(member(rec, "creationTime"), &created);
		return created >= live->since - OVERLAP_S ? "new" : "changed";
	}
	if (g_strcmp0(avail, was->avail) != 0)
		return g_strcmp0(avail, "Purged") == 0	  ? "purged"
		       : g_strcmp0(avail, "Deleted") == 0 ? "deleted"
							  : "restored";
	if (g_strcmp0(member(rec, "lastModifiedTime"), was->modified) == 0)
		return NULL; /* the overlap repeated it */
	if (read && g_strcmp0(read, was->read) != 0)
		return strcmp(read, "Read") == 0 ? "read" : "unread";
	return "changed";
}

/* One record of a sync: into the tree, the known states and the events. */
static void apply(RfsLive *live, const json_t *rec, gboolean tell, GHashTable *touched)
{
	g_autofree char *id = render_id(json_object_get(rec, "id"));
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
	g_autoptr(GPtrArray) none = g_ptr_array_new();

	if (!id)
		return;
	Known *was = g_hash_table_lookup(live->known, id);
	const char *event = tell ? classify(live, rec, was) : NULL;
	const char *type = member(rec, "type");
	if (!type && was)
		type = was->type; /* a purged record carries only its id */
	const char *folder = table_message_folder(type);
	gboolean alive = g_strcmp0(member(rec, "availability"), "Alive") == 0;

	Known *now = g_new0(Known, 1);
	now->read = g_strdup(member(rec, "readStatus"));
	now->avail = g_strdup(member(rec, "availability"));
	now->modified = g_strdup(member(rec, "lastModifiedTime"));
	now->type = g_strdup(type);
	now->direction = g_strdup(member(rec, "direction"));
	if (!now->direction && was)
		now->direction = g_strdup(was->direction);
	if (folder && member(rec, "type"))
		table_message_entries(live->tree, rec, entries);
	if (folder)
		now->path = main_path(live, folder, entries);
	if (!now->path && was)
		now->path = g_strdup(was->path);

	RfsNode *dir = folder ? folder_node(live, folder) : NULL;
	if (dir && tree_apply_record(live->tree, dir, id, alive ? entries : none))
		g_hash_table_add(touched, dir);
	if (!alive || (was && g_strcmp0(was->avail, "Alive") != 0)) {
		RfsNode *deleted = folder_node(live, "deleted"); /* in or out of Deleted */
		if (deleted)
			tree_invalidate(live->tree, deleted);
	}
	if (event)
		publish(live, event, id, now);
	g_hash_table_replace(live->known, g_strdup(id), now);
}

/* One sync (FSync without a token): TRUE when the folders are current after it. */
static gboolean sync_once(RfsLive *live, GError **error)
{
	RfsTree *tree = live->tree;
	g_autofree char *base =
		g_strdup_printf("/restapi/v1.0/account/%s/extension/%s/message-sync",
				tree_account_id(tree), tree_extension_id(tree));
	g_autofree char *escaped =
		live->token ? g_uri_escape_string(live->token, NULL, FALSE) : NULL;
	g_autofree char *path =
		escaped ? g_strdup_printf("%s?syncType=ISync&syncToken=%s", base, escaped)
			: g_strdup_printf("%s?syncType=FSync", base);
	g_autoptr(json_t) answer = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, path, error);

	if (!answer)
		return FALSE;
	json_t *info = json_object_get(answer, "syncInfo");
	const char *token = member(info, "syncToken");
	if (!token) {
		g_set_error(error, RFS_ERROR, EIO, "the sync answer has no syncToken");
		return FALSE;
	}
	gboolean first = live->token == NULL;
	if (first && live->since == 0)
		render_parse_time(member(info, "syncTime"), &live->since);
	g_autoptr(GHashTable) touched = g_hash_table_new(g_direct_hash, g_direct_equal);
	json_t *rec;
	size_t i;
	json_array_foreach (json_object_get(answer, "records"), i, rec)
		apply(live, rec, !first, touched); /* an FSync only tells what there is */
	g_free(live->token);
	live->token = g_strdup(token);
	return !first;
}

/* A call that the call log shows for the first time: an event line. */
static void publish_call(RfsLive *live, const json_t *call, const char *id)
{
	RfsTree *tree = live->tree;
	g_autoptr(json_t) line = json_object();
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *when = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	const char *result = member(call, "result");
	g_autofree char *where = table_call_path(call);

	json_object_set_new(line, "time", json_string(when));
	json_object_set_new(line, "event",
			    json_string(g_strcmp0(result, "Missed") == 0 ? "missed" : "call"));
	json_object_set_new(line, "type", json_string("Call"));
	if (member(call, "direction"))
		json_object_set_new(line, "direction", json_string(member(call, "direction")));
	json_object_set_new(line, "id", json_string(id));
	if (result)
		json_object_set_new(line, "result", json_string(result));
	if (where) {
		g_autofree char *path =
			g_strjoin("/", "accounts", tree_account_id(tree), "extensions",
				  tree_extension_id(tree), "call-log", where, NULL);
		json_object_set_new(line, "path", json_string(path));
	}
	g_autofree char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text)
		events_publish(live->events, text);
}

static gboolean before_horizon(gpointer id, gpointer start, gpointer horizon)
{
	return (time_t)GPOINTER_TO_SIZE(start) < *(time_t *)horizon;
}

/* The extension's newest calls: new ones are told, and the call-log folder read again. */
static void follow_calls(RfsLive *live)
{
	RfsTree *tree = live->tree;
	/* calls made since the first sync are new; the first read reaches back to it */
	time_t mounted = live->since ? live->since : time(NULL);
	time_t from = (live->calls_since ? live->calls_since : mounted) - CALLS_OVERLAP_S;
	g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(from);
	g_autofree char *iso = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S.000Z");
	g_autofree char *path =
		g_strdup_printf("/restapi/v1.0/account/%s/extension/%s/"
				"call-log?view=Simple&dateFrom=%s&perPage=100",
				tree_account_id(tree), tree_extension_id(tree), iso);
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) answer = api_get_json(tree_api(tree), RFS_GROUP_HEAVY, path, &error);
	gboolean any = FALSE;
	g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func((GDestroyNotify)json_decref);
	json_t *call;
	size_t i;

	if (!answer) {
		g_debug("call log: %s", error->message);
		return;
	}
	live->calls_since = MAX(live->calls_since, mounted);
	json_array_foreach (json_object_get(answer, "records"), i, call) {
		g_autofree char *id = render_id(json_object_get(call, "id"));
		time_t start = table_record_time(call, "startTime");
		if (!id || g_hash_table_contains(live->calls_seen, id))
			continue;
		if (start >= mounted - OVERLAP_S)
			g_ptr_array_add(fresh, json_incref(call));
		g_hash_table_insert(live->calls_seen, g_steal_pointer(&id),
				    GSIZE_TO_POINTER((gsize)MAX(start, 0)));
		live->calls_since = MAX(live->calls_since, start);
		any = TRUE;
	}
	/* what the next read's overlap cannot show again is forgotten */
	time_t horizon = live->calls_since - 2 * CALLS_OVERLAP_S;
	g_hash_table_foreach_remove(live->calls_seen, before_horizon, &horizon);
	if (any) {
		RfsNode *dir = extension_node(live, "call-log", NULL);
		if (dir)
			tree_invalidate(tree, dir); /* its next readdir shows them */
	}
	/* told once the folder is stale: a reader of the line finds the call's file */
	for (guint k = 0; k < fresh->len; k++) {
		g_autofree char *id = render_id(json_object_get(fresh->pdata[k], "id"));
		publish_call(live, fresh->pdata[k], id);
	}
}

static const char *const presence_statuses[] = { "presenceStatus", "userStatus", "dndStatus",
						 "telephonyStatus" };

/*
 * The extension's presence (no feed either; one Light request with the call
 * log's): a change is an event line, and presence.json is read again at its
 * next open.
 */
static void follow_presence(RfsLive *live)
{
	RfsTree *tree = live->tree;
	g_autofree char *path = g_strdup_printf("/restapi/v1.0/account/%s/extension/%s/presence",
						tree_account_id(tree), tree_extension_id(tree));
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) answer = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, path, &error);
	g_autoptr(json_t) line = json_object();

	if (!answer) {
		g_debug("presence: %s", error->message);
		return;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(presence_statuses); i++)
		if (member(answer, presence_statuses[i]))
			json_object_set_new(line, presence_statuses[i],
					    json_string(member(answer, presence_statuses[i])));
	g_autofree char *now = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	gboolean changed = now && live->presence && strcmp(now, live->presence) != 0;
	if (now) {
		g_free(live->presence);
		live->presence = g_strdup(now);
	}
	if (!changed)
		return;
	RfsNode *node = extension_node(live, "presence.json", NULL);
	if (node)
		tree_file_changed(tree, node);
	g_autoptr(GDateTime) t = g_date_time_new_now_utc();
	g_autofree char *when = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *where = g_strjoin("/", "accounts", tree_account_id(tree), "extensions",
					   tree_extension_id(tree), "presence.json", NULL);
	g_autoptr(json_t) event =
		json_pack("{s:s, s:s, s:s}", "time", when, "event", "presence", "type", "Presence");
	json_object_update(event, line);
	json_object_set_new(event, "path", json_string(where));
	g_autofree char *text = json_dumps(event, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text)
		events_publish(live->events, text);
}

static const char *const folders[] = { "voicemail", "fax", "sms", "pager" };

static void sync_round(RfsLive *live)
{
	g_autoptr(GError) error = NULL;
	RfsBudget *budget = http_budget_begin(tree_config(live->tree)->request_timeout);

	g_mutex_lock(&live->lock);
	live->budget = http_budget_id(budget);
	if (live->stopping)
		http_budget_cancel(live->budget);
	g_mutex_unlock(&live->lock);

	gboolean had_token = live->token != NULL;
	gboolean current = sync_once(live, &error);
	if (!current && had_token && error && error->code == EINVAL) {
		/* the token expired or is unknown: start over; what changed meanwhile
		 * is not known, so the folders are listed again at their next use */
		g_debug("sync token refused (%s): full sync", error->message);
		g_clear_error(&error);
		g_clear_pointer(&live->token, g_free);
		for (gsize i = 0; i < G_N_ELEMENTS(folders); i++) {
			RfsNode *dir = folder_node(live, folders[i]);
			if (dir)
				tree_invalidate(live->tree, dir);
		}
		sync_once(live, &error);
	} else if (current) {
		for (gsize i = 0; i < G_N_ELEMENTS(folders); i++) {
			RfsNode *dir = folder_node(live, folders[i]);
			if (dir)
				tree_keep_fresh(live->tree, dir);
		}
	}
	if (error)
		g_debug("message sync: %s", error->message);
	if (++live->rounds % CALLS_EVERY == 0) {
		follow_calls(live); /* not at mount: a mount's own requests come first */
		follow_presence(live);
	}
	g_mutex_lock(&live->lock);
	live->budget = 0;
	g_mutex_unlock(&live->lock);
	http_budget_end(budget);
}

static gpointer live_main(gpointer data)
{
	RfsLive *live = data;
	gint64 next = g_get_monotonic_time(); /* the FSync at once */

	g_mutex_lock(&live->lock);
	while (!live->stopping) {
		if (g_get_monotonic_time() < next) {
			g_cond_wait_until(&live->wake, &live->lock, next);
			continue;
		}
		g_mutex_unlock(&live->lock);
		sync_round(live);
		next = g_get_monotonic_time() + (gint64)live->interval * G_USEC_PER_SEC;
		g_mutex_lock(&live->lock);
	}
	g_mutex_unlock(&live->lock);
	return NULL;
}

RfsLive *live_new(RfsTree *tree, RfsEvents *events, int interval)
{
	RfsLive *live = g_new0(RfsLive, 1);

	live->tree = tree;
	live->events = events;
	live->interval = interval;
	live->known =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)known_free);
	live->calls_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_mutex_init(&live->lock);
	g_cond_init(&live->wake);
	live->thread = g_thread_new("ringfs-live", live_main, live);
	return live;
}

void live_free(RfsLive *live)
{
	if (!live)
		return;
	g_mutex_lock(&live->lock);
	live->stopping = TRUE;
	if (live->budget)
		http_budget_cancel(live->budget);
	g_cond_signal(&live->wake);
	g_mutex_unlock(&live->lock);
	g_thread_join(live->thread);
	g_hash_table_unref(live->known);
	g_hash_table_unref(live->calls_seen);
	g_free(live->token);
	g_free(live->presence);
	g_cond_clear(&live->wake);
	g_mutex_clear(&live->lock);
	g_free(live);
}
