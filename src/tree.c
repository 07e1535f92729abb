/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Nodes and the attribute cache.
 *
 * The tree is made lazily from the table: a directory's entries come from its
 * kind's list function, run when the directory is first needed and again
 * once its listing is older than cache_timeout. A listing is applied by name:
 * an entry whose name was there before keeps its node and inode number, so
 * the kernel's view stays valid across refreshes; a name that disappeared is
 * detached. Directories whose kind says parent_fills (SMS conversations, call
 * log days) come whole with their parent's listing, and refreshing one
 * refreshes the parent.
 *
 * Media sizes: the API gives none for voicemail, fax or recording content, and
 * a HEAD per file would spend the rate limit. Until its content has been
 * downloaded once into the content cache, a media file shows an estimate made
 * from the record (never 0: `file` calls a 0-byte file empty without reading
 * it). Opening it waits for the download's Content-Length (tree-media.c),
 * and fs.c invalidates the kernel's attributes before the open returns, so
 * fstat after open is exact and reads are never cut short. From then on the
 * cache file's size is the size, across remounts too (the content at a URL
 * never changes).
 */
#include "tree-private.h"
#include "pack.h"
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

/*
 * The longest key, target or URL a node takes (a signed media URL is a few KiB;
 * ids of 16 KiB are no ids): three of them and a name fit its 16-bit offsets.
 */
#define TREE_STRING_MAX 16000
/* A listing's bytes up to this size are copied into the node (tree_set_record_locked too). */
#define CONTENT_COPY_MAX 4096

G_STATIC_ASSERT(G_STRUCT_OFFSET(RfsNode, ino) == 0);

gboolean tree_entry_fits(const RfsEntry *entry)
{
	const char *strings[] = { entry->key, entry->target, entry->url };

	for (gsize i = 0; i < G_N_ELEMENTS(strings); i++)
		if (strings[i] && strlen(strings[i]) > TREE_STRING_MAX) {
			g_message("%s: skipped: a string of %zu bytes (at most %d)", entry->name,
				  strlen(strings[i]), TREE_STRING_MAX);
			return FALSE;
		}
	return TRUE;
}

/* Called with tree->lock held. */
RfsNode *tree_node_new_locked(RfsTree *tree, RfsNode *parent, const RfsEntry *entry)
{
	const char *key = entry->key ? entry->key : parent ? node_key(parent) : NULL;
	/* the strings fixed at creation live in the node's own block: one allocation, not four */
	const char *strings[] = { key, entry->target, entry->url };
	guint16 *fields[G_N_ELEMENTS(strings)];
	gsize at = strlen(entry->name) + 1;
	gsize size = sizeof(RfsNode) + at;
	/* the listing's bytes too, when small: a large listing's records cost one block each */
	gsize bytes = entry->content ? g_bytes_get_size(entry->content) : 0;
	gboolean inline_bytes = entry->content && bytes <= CONTENT_COPY_MAX;

	for (gsize i = 0; i < G_N_ELEMENTS(strings); i++) {
		/* listings skip such entries (tree_entry_fits); a string past the
		 * offsets' reach is left out rather than wrapped */
		if (strings[i] && strlen(strings[i]) > TREE_STRING_MAX) {
			g_warning("%s: a string of %zu bytes left out", entry->name,
				  strlen(strings[i]));
			strings[i] = NULL;
		}
		size += strings[i] ? strlen(strings[i]) + 1 : 0;
	}
	if (size - sizeof(RfsNode) + bytes > G_MAXUINT16)
		inline_bytes = FALSE; /* a name beyond any the kernel takes: bytes kept aside */
	if (inline_bytes)
		size += bytes;
	RfsNode *node = g_malloc0(size);

	strcpy(node->name, entry->name);
	fields[0] = &node->key_at;
	fields[1] = &node->target_at;
	fields[2] = &node->url_at;
	for (gsize i = 0; i < G_N_ELEMENTS(strings); i++) {
		if (!strings[i])
			continue;
		if (at > G_MAXUINT16)
			break; /* a name beyond any the kernel takes: what follows is left out */
		*fields[i] = (guint16)at;
		strcpy(node->name + at, strings[i]);
		at += strlen(strings[i]) + 1;
	}
	if (inline_bytes) {
		/* as tree_set_record_locked would keep them */
		node->bytes_at = (guint16)at;
		node->bytes_size = (guint16)bytes;
		if (bytes)
			memcpy(node->name + at, g_bytes_get_data(entry->content, NULL), bytes);
		node->compact = entry->pretty_size != 0;
		node->size = (off_t)(entry->pretty_size ? entry->pretty_size : bytes);
		node->size_known = TRUE;
		tree->content_bytes += bytes;
	}
	node->ino = tree->next_ino++;
	node->parent = parent;
	if (parent)
		parent->live_children++;
	node->kind = entry->kind;
	if (parent && !entry->aid && !entry->eid)
		node->ids = parent->ids;
	else
		node->ids = tree_ids(entry->aid ? entry->aid
				     : parent	? parent->ids->aid
						: NULL,
				     entry->eid ? entry->eid
				     : parent	? parent->ids->eid
						: NULL);
	node->mtime.tv_sec = entry->mtime;
	g_mutex_init(&node->fill_lock);
	if (entry->kind->type == RFS_NODE_DIR) {
		/* a set of the names of its nodes (node_of_name): no values kept */
		node->children = g_hash_table_new(g_str_hash, g_str_equal);
		node->order = g_ptr_array_new();
	}
	if (entry->kind->type == RFS_NODE_LINK) {
		node->size = (off_t)strlen(node_target(node) ? node_target(node) : "");
		node->size_known = TRUE;
	}
	g_hash_table_add(tree->inodes, node); /* keyed by node->ino, its first field */
	return node;
}

gconstpointer tree_kept_bytes(const RfsNode *node, gsize *size)
{
	if (node->content)
		return g_bytes_get_data(node->content, size);
	*size = node->bytes_size;
	return node->bytes_at ? node->name + node->bytes_at : NULL;
}

gsize tree_kept_size(const RfsNode *node)
{
	gsize size = 0;

	tree_kept_bytes(node, &size);
	return size;
}

gboolean tree_kept_bytes_equal(const RfsNode *node, GBytes *bytes)
{
	gsize size, other;
	gconstpointer data = tree_kept_bytes(node, &size);
	gconstpointer theirs = g_bytes_get_data(bytes, &other);

	if (!data && !node->content)
		return FALSE; /* nothing kept */
	return size == other && (size == 0 || memcmp(data, theirs, size) == 0);
}

const RfsIds *tree_ids(const char *aid, const char *eid)
{
	static GMutex lock;
	static GHashTable
		*pairs; /* "<len>:aid/<len>:eid" → RfsIds*, never freed, as g_intern_string */
	/* lengths make it one key a pair: NULL (-1) is not "", and a / in an id is no separator */
	g_autofree char *key =
		g_strdup_printf("%d:%s/%d:%s", aid ? (int)strlen(aid) : -1, aid ? aid : "",
				eid ? (int)strlen(eid) : -1, eid ? eid : "");

	g_mutex_lock(&lock);
	if (!pairs)
		pairs = g_hash_table_new(g_str_hash, g_str_equal);
	RfsIds *ids = g_hash_table_lookup(pairs, key);
	if (!ids) {
		ids = g_new0(RfsIds, 1);
		ids->aid = g_intern_string(aid);
		ids->eid = g_intern_string(eid);
		g_hash_table_insert(pairs, g_steal_pointer(&key), ids);
	}
	g_mutex_unlock(&lock);
	return ids;
}

/* The node named @name in the set of names @names, or NULL. */
static RfsNode *named(GHashTable *names, const char *name)
{
	const char *found = g_hash_table_lookup(names, name);

	return found ? node_of_name(found) : NULL;
}

RfsNode *tree_child_locked(RfsNode *dir, const char *name)
{
	return dir && dir->children ? named(dir->children, name) : NULL;
}

void tree_child_put_locked(RfsNode *dir, RfsNode *node)
{
	g_hash_table_add(dir->children, node->name); /* the name of another node goes */
}

void tree_child_drop_locked(RfsNode *dir, RfsNode *node)
{
	if (tree_child_locked(dir, node->name) == node)
		g_hash_table_remove(dir->children, node->name);
}

RfsNodeRare *tree_rare_locked(RfsNode *node)
{
	if (!node->rare)
		node->rare = g_new0(RfsNodeRare, 1);
	return node->rare;
}

void tree_node_free(RfsNode *node)
{
	if (!node)
		return;
	/* name, key, target and url are in the node's block */
	if (node->rare) {
		g_free(node->rare->error);
		g_free(node->rare->journal);
		g_free(node->rare->outcome);
		if (node->rare->made)
			g_hash_table_unref(node->rare->made);
		g_free(node->rare);
	}
	if (node->content)
		g_bytes_unref(node->content);
	if (node->children)
		g_hash_table_unref(node->children);
	if (node->order)
		g_ptr_array_unref(node->order);
	g_mutex_clear(&node->fill_lock);
	g_free(node);
}

static void refresh_job(gpointer data, gpointer user);
typedef struct RecentDocument RecentDocument;
static void recent_document_free(RecentDocument *r);
static void prefetch_job(gpointer data, gpointer user);

#define TRIM_AFTER_ENTRIES 1000 /* list_dir */
#define MAX_PREFETCHES	   4	/* documents of one folder loaded at once (tree_prefetch) */
#define MAX_DOWNLOADS	   8	/* media files downloading at once (8 readers of different files) */

RfsTree *tree_new(const RfsConfig *config, RfsApi *api, const RfsTreeRules *rules,
		  const char *account_id, const char *extension_id)
{
	RfsTree *tree = g_new0(RfsTree, 1);
	g_autoptr(RfsEntry) root = node_entry_new("", rules->root);

	tree->config = config;
	tree->uid = getuid();
	tree->gid = getgid();
	tree->api = api;
	tree->rules = rules;
	tree->account_id = g_strdup(account_id);
	tree->extension_id = g_strdup(extension_id);
	tree->mount_time = time(NULL);
	g_mutex_init(&tree->lock);
	g_mutex_init(&tree->notify_lock);
	g_cond_init(&tree->removed_cond);
	g_cond_init(&tree->refreshed);
	g_cond_init(&tree->landed);
	tree->flights = g_hash_table_new(g_str_hash, g_str_equal);
	tree->refresher = g_thread_pool_new(refresh_job, tree, 2, FALSE, NULL);
	tree->prefetcher = g_thread_pool_new(prefetch_job, tree, MAX_PREFETCHES, FALSE, NULL);
	tree->downloader =
		g_thread_pool_new(tree_media_download_job, tree, MAX_DOWNLOADS, FALSE, NULL);
	tree->cache = cache_new(config->cache_dir, (goffset)config->cache_max * 1024 * 1024);
	tree->times = times_new(config->cache_dir);
	g_autofree char *sends = g_strdup_printf("%s.sends", config->token_file);
	tree->sendlog = sendlog_new(sends);
	tree->removed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	tree->recent = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     (GDestroyNotify)recent_document_free);
	tree->memo = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	tree->inodes = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					     (GDestroyNotify)tree_node_free);
	tree->graveyard = g_ptr_array_new();
	tree->next_ino = FUSE_ROOT_ID;
	tree_node_new_locked(tree, NULL, root);
	return tree;
}

void tree_free(RfsTree *tree)
{
	if (!tree)
		return;
	http_stop(); /* background refreshes and downloads end now */
	g_thread_pool_free(tree->refresher, FALSE, TRUE);
	g_thread_pool_free(tree->prefetcher, FALSE, TRUE);
	g_thread_pool_free(tree->downloader, FALSE, TRUE);
	g_ptr_array_unref(tree->graveyard);
	g_hash_table_unref(tree->inodes);
	sendlog_free(tree->sendlog);
	cache_free(tree->cache);
	times_free(tree->times);
	g_hash_table_unref(tree->removed);
	g_hash_table_unref(tree->recent);
	g_hash_table_unref(tree->memo);
	g_cond_clear(&tree->refreshed);
	g_cond_clear(&tree->landed);
	g_hash_table_unref(tree->flights);
	g_cond_clear(&tree->removed_cond);
	g_mutex_clear(&tree->lock);
	g_mutex_clear(&tree->notify_lock);
	g_free(tree->account_id);
	g_free(tree->extension_id);
	g_free(tree->calling_code);
	g_free(tree);
}

void tree_set_changed_func(RfsTree *tree, RfsTreeChanged func, RfsTreeGone gone, gpointer data)
{
	/* once this returns, no background job calls the old functions (fs_stop frees their data)
	 */
	g_mutex_lock(&tree->notify_lock);
	tree->changed = func;
	tree->gone = gone;
	tree->changed_data = data;
	g_mutex_unlock(&tree->notify_lock);
}

void tree_notify_gone(RfsTree *tree, fuse_ino_t parent, const char *name)
{
	g_mutex_lock(&tree->notify_lock);
	if (tree->gone)
		tree->gone(parent, name, tree->changed_data);
	g_mutex_unlock(&tree->notify_lock);
}

int tree_memo_get(RfsTree *tree, const char *key)
{
	g_mutex_lock(&tree->lock);
	int value = GPOINTER_TO_INT(g_hash_table_lookup(tree->memo, key));
	g_mutex_unlock(&tree->lock);
	return value;
}

void tree_memo_set(RfsTree *tree, const char *key, int value)
{
	g_mutex_lock(&tree->lock);
	g_hash_table_insert(tree->memo, g_strdup(key), GINT_TO_POINTER(value));
	g_mutex_unlock(&tree->lock);
}

RfsSendLog *tree_sendlog(RfsTree *tree)
{
	return tree->sendlog;
}

RfsApi *tree_api(RfsTree *tree)
{
	return tree->api;
}

const RfsConfig *tree_config(RfsTree *tree)
{
	return tree->config;
}

const char *tree_account_id(RfsTree *tree)
{
	return tree->account_id;
}

const char *tree_extension_id(RfsTree *tree)
{
	return tree->extension_id;
}

uid_t tree_owner(RfsTree *tree)
{
	return tree->uid;
}

void tree_set_calling_code(RfsTree *tree, const char *code)
{
	g_free(tree->calling_code);
	tree->calling_code = g_strdup(code);
}

const char *tree_calling_code(RfsTree *tree)
{
	return tree->calling_code;
}

RfsNode *tree_root(RfsTree *tree)
{
	return tree_get(tree, 1);
}

RfsNode *tree_get(RfsTree *tree, fuse_ino_t ino)
{
	RfsNode *node = NULL;

	guint64 key = ino;

	g_mutex_lock(&tree->lock);
	node = g_hash_table_lookup(tree->inodes, &key);
	g_mutex_unlock(&tree->lock);
	if (!node)
		g_error("unknown inode %lu", (unsigned long)ino);
	return node;
}

/* Media: the size is known if the content cache already holds the bytes. */
static void learn_cached_size(RfsTree *tree, RfsNode *node)
{
	off_t size;

	if (node->size_known || node->kind->content != RFS_CONTENT_MEDIA || !node_url(node))
		return;
	if (cache_lookup(tree->cache, node_url(node), &size)) {
		node->size = size;
		node->size_known = TRUE;
	}
}

void tree_set_record_locked(RfsTree *tree, RfsNode *node, GBytes *compact, gsize pretty_size,
			    GArray *changed)
{
	gboolean has = node->content || node->bytes_at;
	gboolean differs = has && (node->compact != (pretty_size != 0) ||
				   !tree_kept_bytes_equal(node, compact));

	/* the same bytes are kept: a refresh of a large listing allocates nothing for them */
	if (!has || differs) {
		tree->content_bytes -= tree_kept_size(node);
		if (node->content)
			g_bytes_unref(node->content);
		node->bytes_at = node->bytes_size = 0; /* the block's copy is left unused */
		/*
		 * Small bytes are copied: the listing's own copies, made among its
		 * entries, are then freed with them, and those pages go back to the
		 * system (list_dir) instead of being pinned by a record here and there.
		 */
		gsize size = g_bytes_get_size(compact);
		node->content = size <= CONTENT_COPY_MAX
					? g_bytes_new(g_bytes_get_data(compact, NULL), size)
					: g_bytes_ref(compact);
		tree->content_bytes += size;
	}
	node->compact = pretty_size != 0;
	node->size = (off_t)(pretty_size ? pretty_size : g_bytes_get_size(compact));
	node->size_known = TRUE;
	if (differs) {
		g_array_append_val(changed, node->ino);
		node->inval_pending = TRUE; /* until the kernel gets the new size */
	}
}

gboolean tree_size_stale(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	gboolean stale = node->inval_pending;
	g_mutex_unlock(&tree->lock);
	return stale;
}

void tree_set_content_locked(RfsTree *tree, RfsNode *node, GBytes *content, GArray *changed)
{
	tree_set_record_locked(tree, node, content, 0, changed);
}

/* @name with _@n before its extension ("a_2.wav"), so that it keeps its type. (transfer full) */
static char *numbered_name(const char *name, int n)
{
	const char *dot = strrchr(name, '.');

	if (!dot || dot == name)
		return g_strdup_printf("%s_%d", name, n);
	return g_strdup_printf("%.*s_%d%s", (int)(dot - name), name, n, dot);
}

char *tree_record_key(const RfsKind *kind, const char *key)
{
	return kind->record_space ? g_strdup_printf("%s/%s", kind->record_space, key)
				  : g_strdup(key);
}

static gboolean record_removed_locked(RfsTree *tree, const RfsEntry *entry)
{
	if (!entry->kind->shares_record || !entry->key)
		return FALSE;
	g_autofree char *key = tree_record_key(entry->kind, entry->key);
	return g_hash_table_lookup(tree->removed, key) == RECORD_REMOVED;
}

/* How long a buried file stays reachable by name: a shell's glob or a file manager's selection. */
#define BURIED_US(tree) ((gint64)MAX((tree)->config->cache_timeout, 60) * G_USEC_PER_SEC)

/* Media, or a link to media (a call's recording): what a type's naming may rename. */
static gboolean shows_media(const RfsNode *node)
{
	return node_url(node) &&
	       (node->kind->content == RFS_CONTENT_MEDIA || node->kind->type == RFS_NODE_LINK);
}

/*
 * Whether media @old (or a link to it), gone from a listing, shows in @order
 * (the new one) under another name: the same URL. *urls is made at the first
 * need (the media URLs of @order, borrowed).
 */
static gboolean renamed_locked(const RfsNode *old, GPtrArray *order, GHashTable **urls)
{
	if (!shows_media(old))
		return FALSE;
	if (!*urls) {
		*urls = g_hash_table_new(g_str_hash, g_str_equal);
		for (guint i = 0; i < order->len; i++) {
			RfsNode *node = order->pdata[i];
			if (shows_media(node))
				g_hash_table_add(*urls, (gpointer)node_url(node));
		}
	}
	return g_hash_table_contains(*urls, node_url(old));
}

/*
 * Applies a listing to @dir. Called with tree->lock held. @epoch: tree->epoch
 * when the listing was asked for (a write since leaves it stale).
 */
static void apply_listing(RfsTree *tree, RfsNode *dir, GPtrArray *entries, guint epoch,
			  GArray *changed)
{
	GHashTable *children = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *order = g_ptr_array_sized_new(entries->len);
	GHashTable *urls = NULL; /* renamed_locked */
	guint before = dir->order->len;
	gboolean moved = FALSE; /* an entry came or went: the folder's views changed */

	for (guint i = 0; i < entries->len; i++) {
		RfsEntry *entry = entries->pdata[i];
		RfsNode *taken = named(children, entry->name);

		if (record_removed_locked(tree, entry))
			continue; /* removed here; a listing that lags behind the server */
		if (!tree_entry_fits(entry))
			continue; /* one bad record costs only itself */

		if (taken && g_strcmp0(node_url(taken), entry->url) == 0 &&
		    (!entry->content || (taken->compact == (entry->pretty_size != 0) &&
					 tree_kept_bytes_equal(taken, entry->content))))
			continue; /* the server listed a record twice (paging shifted): keep one */
		for (int n = 2; taken && n < 1000; n++) {
			/* two records, one name (ids differing only in characters a name
			 * cannot hold): the later one gets a number */
			g_autofree char *alt = numbered_name(entry->name, n);
			if (!g_hash_table_contains(children, alt)) {
				g_free(entry->name);
				entry->name = g_steal_pointer(&alt);
				taken = NULL;
			}
		}
		if (taken)
			continue;
		RfsNode *node = tree_child_locked(dir, entry->name);
		if (!node || node->kind != entry->kind ||
		    g_strcmp0(node_url(node), entry->url) != 0 ||
		    g_strcmp0(node_target(node), entry->target) != 0) {
			node = tree_node_new_locked(tree, dir, entry);
			moved = TRUE;
		}
		node->detached = FALSE;
		if (!node->size_known && entry->estimate > 0)
			node->size = entry->estimate;
		if (entry->mtime) {
			node->mtime.tv_sec = entry->mtime;
			node->mtime.tv_nsec = 0;
		}
		if (entry->content)
			tree_set_record_locked(tree, node, entry->content, entry->pretty_size,
					       changed);
		learn_cached_size(tree, node);
		if (entry->children) {
			apply_listing(tree, node, entry->children, epoch, changed);
		}
		g_hash_table_add(children, node->name);
		g_ptr_array_add(order, node);
	}

	for (guint i = 0; i < dir->order->len; i++) {
		RfsNode *old = dir->order->pdata[i];
		if (named(children, old->name) == old)
			continue;
		if (old->local && !old->committed && !g_hash_table_contains(children, old->name)) {
			/* the user's own file, not sent yet: the server cannot know it */
			g_hash_table_add(children, old->name);
			g_ptr_array_add(order, old);
			continue;
		}
		if (renamed_locked(old, order, &urls)) {
			/*
			 * the same content under a new name (a recording whose type
			 * became known): the old name is still found for a while, so
			 * that a copy listed before (rsync, cp -r) reads it
			 */
			if (!old->buried) {
				old->buried = TRUE;
				tree_rare_locked(old)->buried_at = g_get_monotonic_time();
			}
			continue;
		}
		tree_detach_locked(tree, old);
	}
	if (urls)
		g_hash_table_unref(urls);
	/* files whose record went with a sibling: found by name until unlinked or expired */
	GHashTableIter iter;
	const char *name;
	g_hash_table_iter_init(&iter, dir->children);
	while (g_hash_table_iter_next(&iter, (gpointer *)&name, NULL)) {
		RfsNode *old = node_of_name(name);
		if (named(children, old->name) == old)
			continue;
		if (old->buried && !g_hash_table_contains(children, old->name) &&
		    g_get_monotonic_time() - TREE_RARE(old, buried_at) < BURIED_US(tree))
			g_hash_table_add(children, old->name);
		else
			tree_detach_locked(tree, old); /* a buried file's time is up */
	}
	g_hash_table_unref(dir->children);
	g_ptr_array_unref(dir->order);
	dir->children = children;
	dir->order = order;
	if (moved || order->len != before)
		tree_views_changed_locked(dir, changed);
	/* a directory's time is its newest entry's (one that left takes its time along) */
	if (order->len > 0)
		dir->mtime = (struct timespec){ 0, 0 };
	for (guint i = 0; i < order->len; i++)
		tree_entry_time_locked(dir, &((RfsNode *)order->pdata[i])->mtime);
	dir->loaded_at = g_get_monotonic_time();
	dir->epoch = epoch;
	dir->filled = TRUE;
	dir->forbidden = FALSE;
}

static gboolean later(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

gboolean tree_only_views_locked(RfsNode *dir)
{
	for (guint i = 0; i < dir->order->len; i++)
		if (((RfsNode *)dir->order->pdata[i])->kind->content != RFS_CONTENT_VIEW)
			return FALSE;
	return TRUE;
}

void tree_views_changed_locked(RfsNode *dir, GArray *changed)
{
	for (guint i = 0; i < dir->order->len; i++) {
		RfsNode *node = dir->order->pdata[i];
		if (node->kind->content == RFS_CONTENT_VIEW)
			g_array_append_val(changed, node->ino);
	}
}

gboolean tree_entry_removed_locked(RfsTree *tree, const RfsEntry *entry)
{
	return record_removed_locked(tree, entry);
}

void tree_entry_time_locked(RfsNode *dir, const struct timespec *when)
{
	if (dir && later(when, &dir->mtime))
		dir->mtime = *when;
}

static void document_time(RfsTree *tree, RfsNode *node, const json_t *root, GBytes *bytes,
			  struct timespec *when)
{
	time_t t = 0;

	if (root &&
	    render_parse_time(json_string_value(json_object_get(root, "lastModifiedTime")), &t) &&
	    t > 0) {
		when->tv_sec = t;
		when->tv_nsec = 0;
		return;
	}
	g_autofree char *path = node_url(node) ? NULL : tree_path(tree, node);
	times_seen(tree->times, node_url(node) ? node_url(node) : path, bytes, when);
}

void tree_document_time(RfsTree *tree, RfsNode *node, GBytes *bytes, struct timespec *when)
{
	g_autoptr(json_t) root =
		json_loadb(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), 0, NULL);

	document_time(tree, node, json_is_object(root) ? root : NULL, bytes, when);
}

static gboolean is_stale(RfsTree *tree, RfsNode *node)
{
	gint64 age;

	g_mutex_lock(&tree->lock);
	age = g_get_monotonic_time() - node->loaded_at;
	gboolean stale = node->loaded_at == 0 || node->epoch != tree->epoch ||
			 age > (gint64)(tree->config->cache_timeout * G_USEC_PER_SEC);
	g_mutex_unlock(&tree->lock);
	return stale;
}

void tree_notify_changed(RfsTree *tree, GArray *changed)
{
	g_mutex_lock(&tree->notify_lock);
	if (tree->changed)
		for (guint i = 0; i < changed->len; i++)
			tree->changed(g_array_index(changed, fuse_ino_t, i), tree->changed_data);
	g_mutex_unlock(&tree->notify_lock);
}

/*
 * Files a listing made from records that carry no time of their own (a
 * contact, a directory entry) take the time ringfs first saw their content,
 * kept across remounts, rather than the mount's: rsync and find -newer see
 * only what changed. @path: the folder's.
 */
static void stamp_record_times(RfsTree *tree, const char *path, GPtrArray *entries)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GPtrArray) contents = g_ptr_array_new();
	g_autoptr(GPtrArray) stamped = g_ptr_array_new();

	for (guint i = 0; i < entries->len; i++) {
		RfsEntry *entry = entries->pdata[i];
		if (entry->children) {
			g_autofree char *below = g_build_path("/", path, entry->name, NULL);
			stamp_record_times(tree, below, entry->children);
		}
		if (entry->kind->type == RFS_NODE_DIR && !entry->mtime) {
			/* until it is listed, a folder shows the time it had at its last listing */
			g_autofree char *key = g_strconcat("dir:", path, "/", entry->name, NULL);
			struct timespec kept;
			if (times_get(tree->times, key, &kept))
				entry->mtime = kept.tv_sec;
		}
		if (!entry->content || entry->mtime || entry->kind->type != RFS_NODE_FILE)
			continue;
		g_ptr_array_add(names, entry->name);
		g_ptr_array_add(contents, entry->content);
		g_ptr_array_add(stamped, entry);
	}
	if (!stamped->len)
		return;
	g_autofree struct timespec *whens = g_new0(struct timespec, stamped->len);
	times_seen_folder(tree->times, path, stamped->len, (const char *const *)names->pdata,
			  (GBytes *const *)contents->pdata, whens);
	for (guint i = 0; i < stamped->len; i++)
		((RfsEntry *)stamped->pdata[i])->mtime = whens[i].tv_sec;
}

static gboolean entries_have_times(GPtrArray *entries)
{
	for (guint i = 0; i < entries->len; i++)
		if (((RfsEntry *)entries->pdata[i])->mtime)
			return TRUE;
	return FALSE;
}

/* How many entries @entries holds, those of the folders filled along with them included. */
static guint count_entries(GPtrArray *entries)
{
	guint n = entries->len;

	for (guint i = 0; i < entries->len; i++) {
		RfsEntry *entry = entries->pdata[i];
		if (entry->children)
			n += count_entries(entry->children);
	}
	return n;
}

static gboolean list_dir(RfsTree *tree, RfsNode *dir, GError **error)
{
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func((GDestroyNotify)node_entry_free);
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));

	g_mutex_lock(&tree->lock);
	guint epoch = tree->epoch;
	g_mutex_unlock(&tree->lock);
	if (!dir->kind->list(tree, dir, entries, error))
		return FALSE;
	g_autofree char *path = tree_path(tree, dir);
	struct timespec names_seen = { 0, 0 };
	stamp_record_times(tree, path, entries);
	if (!entries_have_times(entries)) {
		/* a folder of folders: its time is when its names were first seen as they are */
		g_autoptr(GString) names = g_string_new(NULL);
		for (guint i = 0; i < entries->len; i++)
			g_string_append_printf(names, "%s\n",
					       ((RfsEntry *)entries->pdata[i])->name);
		g_autoptr(GBytes) bytes = g_bytes_new(names->str, names->len);
		g_autofree char *key = g_strconcat("names:", path, NULL);
		times_seen(tree->times, key, bytes, &names_seen);
	}
	g_mutex_lock(&tree->lock);
	struct timespec was = dir->mtime;
	gboolean kept = dir->filled; /* its time was kept at an earlier listing of this mount */
	apply_listing(tree, dir, entries, epoch, changed);
	if (!dir->mtime.tv_sec)
		dir->mtime = names_seen;
	struct timespec shown = dir->mtime;
	tree_sweep_locked(tree);
	g_mutex_unlock(&tree->lock);
	if (!kept || shown.tv_sec != was.tv_sec || shown.tv_nsec != was.tv_nsec) {
		g_autofree char *key = g_strconcat("dir:", strcmp(path, "/") ? path : "", NULL);
		times_put(tree->times, key,
			  &shown); /* no file read at a listing that changed nothing */
	}
	tree_notify_changed(tree, changed);
	if (count_entries(entries) >= TRIM_AFTER_ENTRIES) {
		/* the entries of a large listing (SMS: in its conversations) leave whole
		 * pages free: give them back */
		g_ptr_array_set_size(entries, 0);
		malloc_trim(0);
	}
	return TRUE;
}

/*
 * Documents just fetched, by URL: the same document shown in two folders (a
 * blocked number among all caller-blocking numbers, a chat reached by two
 * paths) is asked once per cache_timeout, not once per file. Bounded; a
 * write here (tree->epoch) makes them all stale.
 */
struct RecentDocument {
	json_t *root;
	gint64 at; /* monotonic µs */
	guint epoch;
	gsize size;   /* compact JSON bytes */
	gsize *total; /* tree->recent_bytes, which counts this one's size */
};

/*
 * Bounds, whatever the server sends: at most this many documents, none larger
 * than RECENT_DOCUMENT_BYTES and all together at most RECENT_TOTAL_BYTES (as
 * compact JSON; the parsed tree is a few times that). A larger document is
 * simply asked again.
 */
#define RECENT_DOCUMENTS_MAX  256
#define RECENT_DOCUMENT_BYTES (256 * 1024)
#define RECENT_TOTAL_BYTES    (4 * 1024 * 1024)

static void recent_document_free(RecentDocument *r)
{
	*r->total -= r->size;
	json_decref(r->root);
	g_free(r);
}

static gboolean recent_document_old(gpointer url, gpointer value, gpointer tree)
{
	const RecentDocument *r = value;
	const RfsTree *t = tree;

	return r->epoch != t->epoch ||
	       g_get_monotonic_time() - r->at > (gint64)(t->config->cache_timeout * G_USEC_PER_SEC);
}

/* The document at @url fetched within cache_timeout and no write since, or NULL; when
 * it was fetched in @at. lock held. (transfer full) */
static json_t *recent_document_locked(RfsTree *tree, const char *url, gint64 *at)
{
	RecentDocument *r = g_hash_table_lookup(tree->recent, url);

	if (!r || recent_document_old((gpointer)url, r, tree))
		return NULL;
	*at = r->at;
	return json_incref(r->root);
}

/* @epoch: tree->epoch when the GET was sent (a write since makes the answer old) */
static void remember_document(RfsTree *tree, const char *url, json_t *root, guint epoch, gint64 at)
{
	gsize size = json_dumpb(root, NULL, 0, JSON_COMPACT);

	if (size == 0 || size > RECENT_DOCUMENT_BYTES)
		return;
	g_mutex_lock(&tree->lock);
	if (epoch != tree->epoch) {
		/* written to since it was asked: already old, and no reason to drop a newer copy */
		g_mutex_unlock(&tree->lock);
		return;
	}
	RecentDocument *r = g_new0(RecentDocument, 1);
	r->root = json_incref(root);
	r->at = at;
	r->size = size;
	r->total = &tree->recent_bytes;
	r->epoch = epoch;
	g_hash_table_remove(tree->recent, url); /* an older copy: its bytes leave the count */
	if (g_hash_table_size(tree->recent) >= RECENT_DOCUMENTS_MAX ||
	    tree->recent_bytes + size > RECENT_TOTAL_BYTES)
		g_hash_table_foreach_remove(tree->recent, recent_document_old, tree);
	if (g_hash_table_size(tree->recent) >= RECENT_DOCUMENTS_MAX ||
	    tree->recent_bytes + size > RECENT_TOTAL_BYTES)
		g_hash_table_remove_all(tree->recent);
	tree->recent_bytes += size;
	g_hash_table_insert(tree->recent, g_strdup(url), r);
	g_mutex_unlock(&tree->lock);
}

void tree_forget_documents(RfsTree *tree)
{
	g_mutex_lock(&tree->lock);
	g_hash_table_remove_all(tree->recent);
	g_mutex_unlock(&tree->lock);
}

/*
 * A GET under way: files that show one document (group.json and members.json
 * of a chat), prefetched at once, wait for the one request instead of each
 * sending its own.
 */
typedef struct {
	char *url;
	json_t *root;  /* the answer once landed; NULL if it failed */
	GError *error; /* then why */
	guint epoch;   /* tree->epoch when sent: who wrote since does not wait for it */
	gint64 at;     /* monotonic µs when sent */
	gboolean landed;
	guint waiting; /* threads waiting for it besides the one asking */
} Flight;

static void flight_release_locked(RfsTree *tree, Flight *f)
{
	if (f->waiting)
		return;
	json_decref(f->root);
	g_clear_error(&f->error);
	g_free(f->url);
	g_free(f);
}

/* A failure that belongs to the asker alone (its caller gave up, its time ran out). */
static gboolean askers_own(const GError *error)
{
	return !error || error->code == EINTR || error->code == ETIMEDOUT ||
	       error->code == ESHUTDOWN;
}

json_t *tree_get_json(RfsTree *tree, RfsGroup group, const char *url, guint *epoch, gint64 *at,
		      GError **error)
{
	guint my_epoch;
	gint64 my_at;
	json_t *root;

	g_mutex_lock(&tree->lock);
	my_epoch = tree->epoch;
	root = recent_document_locked(tree, url, &my_at);
	Flight *f = root ? NULL : g_hash_table_lookup(tree->flights, url);
	if (f && f->epoch != tree->epoch)
		f = NULL; /* sent before a write: its answer may be older than the write */
	if (!root && f) {
		/* within the caller's budget */
		gboolean ok = TRUE;
		f->waiting++;
		while (!f->landed && (ok = http_budget_check(error)))
			g_cond_wait_until(&tree->landed, &tree->lock,
					  g_get_monotonic_time() + G_USEC_PER_SEC / 20);
		f->waiting--;
		if (f->landed) {
			root = f->root ? json_incref(f->root) : NULL;
			my_at = f->at;
			if (!root && ok && !askers_own(f->error)) {
				/* the server's answer is everyone's: not asked again at once */
				g_propagate_error(error, g_error_copy(f->error));
				ok = FALSE;
			}
			flight_release_locked(tree, f);
		}
		g_mutex_unlock(&tree->lock);
		if (!root && !ok)
			return NULL;
		if (!root) {
			/* the asker gave up: ask for ourselves */
			my_at = g_get_monotonic_time();
			root = api_get_json(tree->api, group, url, error);
		}
	} else if (!root) {
		f = g_new0(Flight, 1);
		f->url = g_strdup(url);
		f->epoch = my_epoch;
		f->at = my_at = g_get_monotonic_time();
		/* a flight sent before a write may still be in the table: this one replaces it */
		g_hash_table_replace(tree->flights, f->url, f);
		g_mutex_unlock(&tree->lock);

		GError *failed = NULL;
		root = api_get_json(tree->api, group, url, &failed);
		if (root)
			remember_document(tree, url, root, f->epoch, f->at);
		g_mutex_lock(&tree->lock);
		if (g_hash_table_lookup(tree->flights, f->url) == f)
			g_hash_table_remove(tree->flights, f->url);
		f->root = root ? json_incref(root) : NULL;
		f->error = failed ? g_error_copy(failed) : NULL;
		f->landed = TRUE;
		g_cond_broadcast(&tree->landed);
		flight_release_locked(tree, f);
		g_mutex_unlock(&tree->lock);
		if (failed)
			g_propagate_error(error, failed);
	} else {
		g_mutex_unlock(&tree->lock);
	}
	if (root && epoch)
		*epoch = my_epoch;
	if (root && at)
		*at = my_at;
	return root;
}

static gboolean load_document(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(json_t) root = NULL;
	struct timespec when;
	gint64 at = g_get_monotonic_time();

	/* stamped with the epoch it was asked at: a write meanwhile leaves it stale */
	g_mutex_lock(&tree->lock);
	guint epoch = tree->epoch;
	g_mutex_unlock(&tree->lock);
	if (node->kind->load) {
		if (!node->kind->load(tree, node, &bytes, error))
			return FALSE;
	} else {
		root = tree_get_json(tree, node->kind->group, node_url(node), &epoch, &at, error);
		if (!root)
			return FALSE;
		bytes = render_json(root);
	}
	document_time(tree, node, root, bytes, &when);
	g_mutex_lock(&tree->lock);
	tree_set_content_locked(tree, node, bytes, changed);
	node->mtime = when;
	if (!node->detached)
		tree_entry_time_locked(node->parent, &when);
	node->loaded_at = at;
	node->epoch = epoch;
	node->filled = TRUE;
	node->forbidden = FALSE;
	g_mutex_unlock(&tree->lock);
	tree_notify_changed(tree, changed);
	return TRUE;
}

/* Lists or loads @node if it is (still) stale. */
static gboolean fill(RfsTree *tree, RfsNode *node, GError **error)
{
	gboolean is_dir = node->kind->type == RFS_NODE_DIR;
	gboolean ok = TRUE;

	if (!http_budget_lock(&node->fill_lock, error))
		return FALSE;
	if (is_stale(tree, node)) /* another thread may have done it while we waited */
		ok = is_dir ? list_dir(tree, node, error) : load_document(tree, node, error);
	g_mutex_unlock(&node->fill_lock);
	if (!ok && (*error)->code == EACCES) {
		/*
		 * a refusal is an answer: keep it as long as a listing, not asking
		 * again (a folder too: the company call log of a user without it)
		 */
		g_mutex_lock(&tree->lock);
		node->forbidden = TRUE;
		node->loaded_at = g_get_monotonic_time();
		node->epoch = tree->epoch;
		g_mutex_unlock(&tree->lock);
	}
	return ok;
}

static void refresh_job(gpointer data, gpointer user)
{
	RfsTree *tree = user;
	RfsNode *node = data;
	g_autoptr(GError) error = NULL;
	RfsBudget *budget = http_budget_begin(tree->config->request_timeout);

	if (!fill(tree, node, &error))
		tree_note_error(tree, node, node->kind->type == RFS_NODE_DIR ? "list" : "load",
				error);
	http_budget_end(budget);
	g_mutex_lock(&tree->lock);
	node->refreshing = FALSE;
	node->refs--;
	g_cond_broadcast(&tree->refreshed);
	g_mutex_unlock(&tree->lock);
}

/* A document of a folder being listed, loaded ahead of its entry (tree_prefetch). */
static void prefetch_job(gpointer data, gpointer user)
{
	RfsTree *tree = user;
	RfsNode *node = data;
	g_autoptr(GError) error = NULL;
	RfsBudget *budget = http_budget_begin(tree->config->request_timeout);

	/* a failure is the entry's own to report: its refresh asks again, in its budget */
	fill(tree, node, &error);
	http_budget_end(budget);
	tree_unref(tree, node);
}

void tree_prefetch(RfsTree *tree, GPtrArray *children)
{
	g_mutex_lock(&tree->lock);
	for (guint i = 0; i < children->len; i++) {
		RfsNode *node = children->pdata[i];
		if (node->kind->content != RFS_CONTENT_DOCUMENT || node->filled ||
		    node->forbidden || node->detached || node->kind->unlisted)
			continue;
		node->refs++; /* the job's */
		g_thread_pool_push(tree->prefetcher, node, NULL);
	}
	g_mutex_unlock(&tree->lock);
}

/* How long a caller with a copy to fall back on waits for a fresh one. */
#define REFRESH_WAIT_US (5 * G_USEC_PER_SEC)

gboolean tree_refresh(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autoptr(GError) local = NULL;
	gboolean is_dir = node->kind->type == RFS_NODE_DIR;

	if (is_dir && node->kind->parent_fills)
		return node->parent ? tree_refresh(tree, node->parent, error) : TRUE;
	if (!is_dir && node->kind->content != RFS_CONTENT_DOCUMENT)
		return TRUE;
	if (!is_stale(tree, node)) {
		if (!tree_is_forbidden(tree, node))
			return TRUE;
		g_set_error(error, RFS_ERROR, EACCES, "the server refuses %s to this user",
			    node->name);
		return FALSE;
	}

	g_mutex_lock(&tree->lock);
	if (node->detached) {
		/* gone from the tree: nothing to refresh, nothing to hang below it */
		g_mutex_unlock(&tree->lock);
		return TRUE;
	}
	if (node->filled) {
		if (!node->refreshing) {
			node->refreshing = TRUE;
			tree_rare_locked(node)->refresh_started = g_get_monotonic_time();
			node->refs++; /* the job's */
			g_thread_pool_push(tree->refresher, node, NULL);
		}
		/* the first caller waits a little; later ones no longer than it did */
		gint64 wait = api_in_trouble(tree->api) ? 0 : REFRESH_WAIT_US;
		gint64 until = MIN(TREE_RARE(node, refresh_started) + wait,
				   g_get_monotonic_time() + MAX(http_budget_left(), 0));
		while (node->refreshing && g_cond_wait_until(&tree->refreshed, &tree->lock, until))
			;
		if (node->refreshing) {
			g_debug("serving the cached copy while the server is slow");
			api_note_slow(tree->api); /* other stale copies: at once */
		}
		g_mutex_unlock(&tree->lock);
		return TRUE; /* fresh, or what we had: better stale than waiting or an error */
	}
	g_mutex_unlock(&tree->lock);

	if (fill(tree, node, &local))
		return TRUE;
	tree_note_error(tree, node, is_dir ? "list" : "load", local);
	g_propagate_error(error, g_steal_pointer(&local));
	return FALSE;
}

/*
 * A name the listing does not show, reached by its id: a document fetched
 * from its own endpoint, kept in the directory from then on (ls shows the
 * ones already seen).
 */
static RfsNode *fetch_by_name(RfsTree *tree, RfsNode *dir, const char *name, GError **error)
{
	g_autoptr(RfsEntry) entry = dir->kind->fetch(tree, dir, name);
	RfsNode *node;

	if (!entry) {
		g_set_error(error, RFS_ERROR, ENOENT, "no such entry");
		return NULL;
	}
	g_mutex_lock(&tree->lock);
	node = tree_child_locked(dir, name);
	if (!node) {
		node = tree_node_new_locked(tree, dir, entry);
		node->local = TRUE; /* survives listings, which cannot show it */
		tree_child_put_locked(dir, node);
		g_ptr_array_add(dir->order, node);
	}
	g_mutex_unlock(&tree->lock);
	if (!tree_refresh(tree, node, error)) {
		g_mutex_lock(&tree->lock);
		tree_child_drop_locked(dir, node);
		g_ptr_array_remove(dir->order, node);
		tree_detach_locked(tree, node);
		g_mutex_unlock(&tree->lock);
		return NULL;
	}
	return node;
}

RfsNode *tree_lookup(RfsTree *tree, RfsNode *dir, const char *name, GError **error)
{
	RfsNode *node;

	if (dir->kind->type != RFS_NODE_DIR) {
		g_set_error(error, RFS_ERROR, ENOTDIR, "not a directory");
		return NULL;
	}
	/*
	 * A name the listing has is served from it, however old: only a readdir
	 * (or a write here) lists a folder again. So a listing never expires under
	 * the operation using it (an ls -l or find that outlasts cache_timeout
	 * lists each folder once), and a walk does not list again every folder it
	 * passes through. A name it lacks makes a stale listing be read again.
	 */
	g_mutex_lock(&tree->lock);
	node = tree_child_locked(dir, name);
	gboolean current = node && dir->filled && dir->epoch == tree->epoch;
	g_mutex_unlock(&tree->lock);
	if (!current) {
		if (!tree_refresh(tree, dir, error))
			return NULL;
		g_mutex_lock(&tree->lock);
		node = tree_child_locked(dir, name);
		g_mutex_unlock(&tree->lock);
	}
	if (!node && dir->kind->fetch)
		return fetch_by_name(tree, dir, name, error);
	if (!node) {
		g_set_error(error, RFS_ERROR, ENOENT, "no such entry");
		return NULL;
	}
	/* a document's size needs its bytes; a directory is listed only when opened */
	if (node->kind->content == RFS_CONTENT_DOCUMENT && !tree_refresh(tree, node, error))
		return NULL;
	if (tree_is_forbidden(tree, node)) {
		g_set_error(error, RFS_ERROR, EACCES, "the server refuses %s to this user",
			    node->name);
		return NULL;
	}
	return node;
}

gboolean tree_is_writable(RfsNode *node)
{
	if (node->kind->type == RFS_NODE_DIR)
		return node->kind->create != NULL || node->kind->scratch;
	return node->kind->type == RFS_NODE_FILE && node->kind->commit != NULL;
}

void tree_stat(RfsTree *tree, RfsNode *node, struct stat *st)
{
	/* a view's size is its bytes' made now (a conversation.txt): nothing kept for it */
	g_autoptr(GBytes) view = node->kind->content == RFS_CONTENT_VIEW && node->kind->view
					 ? node->kind->view(tree, node)
					 : NULL;

	memset(st, 0, sizeof(*st));
	g_mutex_lock(&tree->lock);
	node->inval_pending = FALSE; /* the kernel is given the size as it is now */
	st->st_ino = node->ino;
	st->st_uid = tree->uid;
	st->st_gid = tree->gid;
	st->st_blksize = 4096;
	switch (node->kind->type) {
	case RFS_NODE_DIR:
		/* rm and mv need w on the folder, file managers offer Delete by it */
		st->st_mode =
			S_IFDIR |
			(tree_is_writable(node) || node->kind->entries_removable ? 0755 : 0555);
		st->st_nlink = 2;
		break;
	case RFS_NODE_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		break;
	case RFS_NODE_FILE:
		st->st_mode = S_IFREG | (tree_is_writable(node) ? 0644 : 0444);
		st->st_nlink = 1;
		break;
	}
	if (node->kind->type != RFS_NODE_LINK)
		st->st_mode &= S_IFMT | tree->config->mode_mask; /* allow_other, others=none */
	if (tree->config->others_may == RFS_OTHERS_WRITE && (st->st_mode & S_IWUSR) &&
	    node->kind->type != RFS_NODE_LINK)
		st->st_mode |= S_IWGRP | S_IWOTH; /* others=write: what the owner may change */
	st->st_size = view ? (off_t)g_bytes_get_size(view) : node->size;
	st->st_blocks = st->st_size / 512 + (st->st_size % 512 != 0); /* no overflow near 2^63 */
	/* what is not known yet (a document not loaded, an empty folder) shows the mount's */
	st->st_mtim = node->mtime.tv_sec ? node->mtime : (struct timespec){ tree->mount_time, 0 };
	if (view && node->parent && node->parent->mtime.tv_sec)
		st->st_mtim = node->parent->mtime; /* its folder's newest entry's */
	st->st_ctim = st->st_atim = st->st_mtim;
	g_mutex_unlock(&tree->lock);
}

gboolean tree_is_forbidden(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	gboolean forbidden = node->forbidden;
	g_mutex_unlock(&tree->lock);
	return forbidden;
}

gboolean tree_size_is_exact(RfsTree *tree, RfsNode *node)
{
	gboolean exact;

	g_mutex_lock(&tree->lock);
	exact = node->size_known || node->kind->content != RFS_CONTENT_MEDIA;
	g_mutex_unlock(&tree->lock);
	return exact;
}

GPtrArray *tree_children(RfsTree *tree, RfsNode *dir)
{
	GPtrArray *out;

	g_mutex_lock(&tree->lock);
	out = g_ptr_array_copy(dir->order, NULL, NULL);
	for (guint i = 0; i < out->len; i++)
		((RfsNode *)out->pdata[i])->refs++;
	g_mutex_unlock(&tree->lock);
	return out;
}

void tree_children_release(RfsTree *tree, GPtrArray *children)
{
	g_mutex_lock(&tree->lock);
	for (guint i = 0; i < children->len; i++) {
		RfsNode *child = children->pdata[i];
		g_assert(child->refs > 0);
		child->refs--;
	}
	g_mutex_unlock(&tree->lock);
	g_ptr_array_unref(children);
}

GBytes *tree_dup_content(RfsTree *tree, RfsNode *node)
{
	GBytes *bytes;

	if (node->kind->content == RFS_CONTENT_VIEW && node->kind->view)
		return node->kind->view(tree, node);

	g_mutex_lock(&tree->lock);
	gsize size;
	gconstpointer in_block = tree_kept_bytes(node, &size);
	bytes = node->content ? g_bytes_ref(node->content) : g_bytes_new(in_block, size);
	gboolean compact = node->compact;
	g_mutex_unlock(&tree->lock);
	if (compact) {
		/* rendered when read: a listing of 100,000 messages keeps only the packed records
		 */
		g_autoptr(GBytes) kept = bytes;
		g_autoptr(GBytes) json = pack_unpack(kept);
		g_autoptr(json_t) record =
			json ? json_loadb(g_bytes_get_data(json, NULL), g_bytes_get_size(json),
					  JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL)
			     : NULL;
		bytes = render_json(record);
	}
	return bytes;
}

void tree_note_error(RfsTree *tree, RfsNode *node, const char *op, const GError *error)
{
	g_autofree char *path = tree_path(tree, node);

	g_message("%s %s: %s (%s)", op, path, error->message, g_strerror(error->code));
	g_mutex_lock(&tree->lock);
	RfsNodeRare *rare = tree_rare_locked(node);
	g_free(rare->error);
	rare->error = g_strdup_printf("%s: %s", g_strerror(error->code), error->message);
	g_mutex_unlock(&tree->lock);
}

char *tree_dup_error(RfsTree *tree, RfsNode *node)
{
	char *text;

	g_mutex_lock(&tree->lock);
	text = g_strdup(TREE_RARE(node, error));
	g_mutex_unlock(&tree->lock);
	return text;
}

char *tree_path(RfsTree *tree, RfsNode *node)
{
	GString *path = g_string_new(NULL);

	g_mutex_lock(&tree->lock);
	for (RfsNode *n = node; n && n->parent; n = n->parent) {
		g_string_prepend(path, n->name);
		g_string_prepend_c(path, '/');
	}
	g_mutex_unlock(&tree->lock);
	if (path->len == 0)
		g_string_append_c(path, '/');
	return g_string_free(path, FALSE);
}
