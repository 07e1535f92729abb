/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What tree.c and edit.c share: the tree itself and node making. Not for other modules. */
#pragma once

#include "tree.h"

struct RfsTree {
	const RfsConfig *config; /* borrowed */
	RfsApi *api;		 /* borrowed */
	char *account_id;
	char *extension_id;
	time_t mount_time;
	GMutex lock;
	GPtrArray *inodes; /* RfsNode*, index = inode number; protected by lock */
	RfsTreeChanged changed;
	gpointer changed_data;
	guint epoch;		/* bumped by every successful write: older listings are stale */
	GThreadPool *refresher; /* background refreshes of nodes that have a copy to serve */
	GCond refreshed;	/* signalled with lock when a background refresh ends */
	/* record keys (message ids) whose removal is under way or done; protected by lock */
	GHashTable *removed;
	GCond removed_cond; /* signalled with lock when a removal ends */
};

/* Values of tree->removed. */
#define RECORD_REMOVING GINT_TO_POINTER(1)
#define RECORD_REMOVED	GINT_TO_POINTER(2)

/* A new node for @entry under @parent. Called with tree->lock held. */
RfsNode *tree_node_new_locked(RfsTree *tree, RfsNode *parent, const RfsEntry *entry);

/* Replaces @node's bytes; its inode goes into @changed if they differ. tree->lock held. */
void tree_set_content_locked(RfsTree *tree, RfsNode *node, GBytes *content, GArray *changed);

/* Tells the kernel about the inodes in @changed. No lock held. */
void tree_notify_changed(RfsTree *tree, GArray *changed);
