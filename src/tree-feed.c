/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Changes a feed reports (the message store's sync), applied to folders
 * already listed without listing them again: the nodes of one record are
 * replaced by what its folder's listing would now show of it, and the kernel
 * is told what changed (attributes of changed files and folders, names gone).
 */
#include "tree-private.h"

#include <string.h>

RfsNode *tree_peek_child(RfsTree *tree, RfsNode *dir, const char *name)
{
	RfsNode *node = NULL;

	g_mutex_lock(&tree->lock);
	if (dir && !dir->detached)
		node = tree_child_locked(dir, name);
	if (node && node->buried)
		node = NULL;
	g_mutex_unlock(&tree->lock);
	return node;
}

/* A name gone from @dir: the kernel is told once the lock is dropped. */
typedef struct {
	fuse_ino_t parent;
	char *name;
} Gone;

static void gone_free(Gone *g)
{
	g_free(g->name);
	g_free(g);
}

static void take_out_locked(RfsTree *tree, RfsNode *dir, RfsNode *node, GPtrArray *gone)
{
	Gone *g = g_new0(Gone, 1);

	g->parent = dir->ino;
	g->name = g_strdup(node->name);
	g_ptr_array_add(gone, g);
	tree_child_drop_locked(dir, node);
	g_ptr_array_remove(dir->order, node);
	tree_detach_locked(tree, node);
}

/* Adds or updates the nodes of @entries in @dir; @kept gets them. lock held. */
static void merge_locked(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GHashTable *kept,
			 GArray *changed)
{
	for (guint i = 0; i < entries->len; i++) {
		RfsEntry *entry = entries->pdata[i];
		RfsNode *node = tree_child_locked(dir, entry->name);

		if (tree_entry_removed_locked(tree, entry))
			continue; /* removed here: the feed lags behind */
		if (!tree_entry_fits(entry))
			continue; /* one bad record costs only itself */
		if (node && (node->local || node->kind != entry->kind ||
			     g_strcmp0(node_url(node), entry->url) != 0))
			continue; /* the name is another file's */
		if (!node) {
			node = tree_node_new_locked(tree, dir, entry);
			tree_child_put_locked(dir, node);
			/* the newest first, as listed; views (conversation.txt) last */
			g_ptr_array_insert(dir->order,
					   node->kind->content == RFS_CONTENT_VIEW ? -1 : 0, node);
			if (entry->children) {
				node->filled = TRUE;
				node->loaded_at = dir->loaded_at;
				node->epoch = dir->epoch;
			}
		} else if (node->buried) {
			node->buried = FALSE; /* back from Deleted */
			g_ptr_array_insert(dir->order, 0, node);
		}
		if (!node->size_known && entry->estimate > 0)
			node->size = entry->estimate;
		if (entry->mtime)
			node->mtime = (struct timespec){ entry->mtime, 0 };
		if (entry->content)
			tree_set_record_locked(tree, node, entry->content, entry->pretty_size,
					       changed);
		if (node->kind->content == RFS_CONTENT_MEDIA && !node->size_known &&
		    node_url(node)) {
			off_t size;
			if (cache_lookup(tree->cache, node_url(node), &size)) {
				node->size = size;
				node->size_known = TRUE;
			}
		}
		if (entry->children) {
			guint had = node->order->len;
			merge_locked(tree, node, entry->children, kept, changed);
			if (node->order->len != had)
				tree_views_changed_locked(node, changed);
		}
		tree_entry_time_locked(dir, &node->mtime);
		g_hash_table_add(kept, node);
	}
}

/* Takes out of @dir (and the folders it fills) the nodes of @key not in @kept. lock held. */
static void drop_locked(RfsTree *tree, RfsNode *dir, const char *key, GHashTable *kept,
			GPtrArray *gone, GArray *changed)
{
	for (guint i = dir->order->len; i-- > 0;) {
		RfsNode *child = dir->order->pdata[i];
		if (child->kind->type == RFS_NODE_DIR && child->kind->parent_fills) {
			guint had = child->order->len;
			drop_locked(tree, child, key, kept, gone, changed);
			if (child->order->len != had)
				tree_views_changed_locked(child, changed);
			if (tree_only_views_locked(child) && !g_hash_table_contains(kept, child))
				take_out_locked(tree, dir, child, gone); /* its last message left */
		} else if (!child->local && !g_hash_table_contains(kept, child) &&
			   g_strcmp0(node_key(child), key) == 0) {
			take_out_locked(tree, dir, child, gone);
		}
	}
}

gboolean tree_apply_record(RfsTree *tree, RfsNode *dir, const char *key, GPtrArray *entries)
{
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));
	g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func((GDestroyNotify)gone_free);
	g_autoptr(GHashTable) kept = g_hash_table_new(g_direct_hash, g_direct_equal);

	g_mutex_lock(&tree->lock);
	if (dir->detached || !dir->filled) {
		g_mutex_unlock(&tree->lock);
		return FALSE; /* its first listing will show the record */
	}
	guint before = dir->order->len;
	merge_locked(tree, dir, entries, kept, changed);
	drop_locked(tree, dir, key, kept, gone, changed);
	if (dir->order->len != before || gone->len)
		g_array_append_val(changed, dir->ino);
	g_mutex_unlock(&tree->lock);
	tree_notify_changed(tree, changed);
	for (guint i = 0; i < gone->len; i++) {
		Gone *g = gone->pdata[i];
		tree_notify_gone(tree, g->parent, g->name);
	}
	return TRUE;
}

void tree_keep_fresh(RfsTree *tree, RfsNode *dir)
{
	g_mutex_lock(&tree->lock);
	/* a write since its listing still makes it stale: the feed may not show it yet */
	if (dir->filled && !dir->detached && dir->epoch == tree->epoch)
		dir->loaded_at = g_get_monotonic_time();
	g_mutex_unlock(&tree->lock);
}
