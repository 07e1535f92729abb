/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The life of nodes: the kernel's lookup counts, our references, and
 * freeing what nothing needs any more.
 */
#include "tree-private.h"

void tree_remember(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	node->nlookup++;
	g_mutex_unlock(&tree->lock);
}

/*
 * Freeing nodes. A node leaves the tree (detached) when a listing no longer
 * shows it or it is removed; from then on only the kernel (nlookup), our
 * references (refs) and its own children keep it. Request handlers also hold
 * bare pointers for the length of a request, which no count records; so a
 * node is freed only a grace period after it left the tree, longer than any
 * request may take. Children go first (they point at their parent).
 */
#define GRACE_US(tree) (((gint64)(tree)->config->request_timeout + 1) * G_USEC_PER_SEC)
#define SWEEP_EVERY_US (G_USEC_PER_SEC)

void tree_detach_locked(RfsTree *tree, RfsNode *node)
{
	if (node->detached)
		return;
	g_assert(node->parent); /* the root never leaves */
	node->detached = TRUE;
	tree_rare_locked(node)->detached_at = g_get_monotonic_time();
	g_ptr_array_add(tree->graveyard, node);
	if (node->kind->type != RFS_NODE_DIR)
		return;
	/* what was below it goes too; a detached node is in no table (sweep relies on it) */
	GHashTableIter iter;
	const char *name;
	g_hash_table_iter_init(&iter, node->children);
	while (g_hash_table_iter_next(&iter, (gpointer *)&name, NULL))
		tree_detach_locked(tree, node_of_name(name));
	for (guint i = 0; i < node->order->len; i++)
		tree_detach_locked(tree, node->order->pdata[i]);
	g_hash_table_remove_all(node->children);
	g_ptr_array_set_size(node->order, 0);
	node->loaded_at = 0; /* opened again (a shell's cwd), it is listed anew */
}

static gboolean freeable(RfsTree *tree, RfsNode *node, gint64 now)
{
	return node->nlookup == 0 && node->refs == 0 && node->live_children == 0 &&
	       now - TREE_RARE(node, detached_at) >= GRACE_US(tree);
}

/* Frees what the graveyard holds that nothing needs any more. tree->lock held. */
void tree_sweep_locked(RfsTree *tree)
{
	gint64 now = g_get_monotonic_time();
	gboolean progress = TRUE;

	if (now - tree->swept_at < SWEEP_EVERY_US)
		return;
	tree->swept_at = now;
	while (progress) { /* children first, then the parents they kept */
		progress = FALSE;
		for (guint i = 0; i < tree->graveyard->len;) {
			RfsNode *node = tree->graveyard->pdata[i];
			if (!freeable(tree, node, now)) {
				i++;
				continue;
			}
			RfsNode *parent = node->parent;
			g_assert(tree_child_locked(parent, node->name) != node);
			g_assert(parent->live_children > 0);
			parent->live_children--;
			g_ptr_array_remove_index_fast(tree->graveyard, i);
			tree->content_bytes -= tree_kept_size(node);
			g_hash_table_remove(tree->inodes, &node->ino); /* frees it */
			progress = TRUE;
		}
	}
}

void tree_forget(RfsTree *tree, fuse_ino_t ino, guint64 n)
{
	RfsNode *node = tree_get(tree, ino);

	g_mutex_lock(&tree->lock);
	if (n > node->nlookup)
		g_error("forget %" G_GUINT64_FORMAT " of inode %lu that has %" G_GUINT64_FORMAT, n,
			(unsigned long)ino, node->nlookup);
	node->nlookup -= n;
	tree_sweep_locked(tree);
	g_mutex_unlock(&tree->lock);
}

void tree_ref(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	node->refs++;
	g_mutex_unlock(&tree->lock);
}

void tree_unref(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	g_assert(node->refs > 0);
	node->refs--;
	g_mutex_unlock(&tree->lock);
}

guint64 tree_content_bytes(RfsTree *tree)
{
	g_mutex_lock(&tree->lock);
	guint64 n = tree->content_bytes;
	g_mutex_unlock(&tree->lock);
	return n;
}

guint tree_node_count(RfsTree *tree)
{
	g_mutex_lock(&tree->lock);
	guint n = g_hash_table_size(tree->inodes);
	g_mutex_unlock(&tree->lock);
	return n;
}
