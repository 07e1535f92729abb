/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What tree.c and tree-write.c share: the tree itself and node making. Not for other modules. */
#pragma once

#include "cache.h"
#include "times.h"
#include "tree.h"

struct RfsTree {
	const RfsConfig *config;   /* borrowed */
	RfsApi *api;		   /* borrowed */
	const RfsTreeRules *rules; /* borrowed */
	char *account_id;
	char *extension_id;
	char *calling_code; /* the logged-in extension's country's ("1"), or NULL */
	uid_t uid;	    /* every node's owner: who mounted */
	gid_t gid;
	time_t mount_time;
	/*
	 * Lock order: a node's fill_lock (held while its listing is fetched),
	 * then tree->lock (held only to read or change nodes, never across a
	 * request, a wait or a call into a kind's hook); the content cache's and
	 * the API's locks are leaves taken with neither held for long.
	 */
	GMutex lock;
	GHashTable *inodes;    /* a set of every live node, keyed by node->ino; protected by lock */
	fuse_ino_t next_ino;   /* never reused: a freed node's number is not given again */
	GPtrArray *graveyard;  /* detached nodes waiting to be freed; protected by lock */
	gint64 swept_at;       /* monotonic µs of the last sweep */
	guint64 content_bytes; /* bytes all nodes' content holds (stats); protected by lock */
	/*
	 * The kernel-notice functions (fs.c), called from background jobs too:
	 * under notify_lock (a leaf: the functions only queue a notice), so that
	 * once the FUSE layer stops, none runs.
	 */
	GMutex notify_lock;
	RfsTreeChanged changed;
	RfsTreeGone gone;
	gpointer changed_data;
	guint epoch; /* bumped by every successful write: older listings are stale */
	RfsSendLog *sendlog;
	RfsCache *cache;	 /* media content on disk */
	RfsTimes *times;	 /* when document content was first seen, across mounts */
	GThreadPool *downloader; /* media downloads (tree-media.c), several at once */
	GThreadPool *refresher;	 /* background refreshes of nodes that have a copy to serve */
	GThreadPool *prefetcher; /* documents loaded ahead of a listing's entries (tree_prefetch) */
	GCond refreshed;	 /* signalled with lock when a background refresh ends */
	/* record keys (message ids) whose removal is under way or done; protected by lock */
	GHashTable *removed;
	GCond removed_cond;  /* signalled with lock when a removal ends */
	GHashTable *recent;  /* URL → documents just fetched (tree.c); protected by lock */
	gsize recent_bytes;  /* their compact JSON bytes; protected by lock */
	GHashTable *flights; /* URL → a GET of it under way (tree.c: Flight); protected by lock */
	GCond landed;	     /* signalled with lock when a flight ends */
	GHashTable *memo;    /* key → GINT: what rows found out once (tree_memo_get); lock */
};

/* The key of @key's record in tree->removed: within @kind's record_space. (transfer full) */
char *tree_record_key(const RfsKind *kind, const char *key);

/* Values of tree->removed. */
#define RECORD_REMOVING GINT_TO_POINTER(1)
#define RECORD_REMOVED	GINT_TO_POINTER(2)

/*
 * Takes @node (and everything below it) out of the tree for good: lookups no
 * longer find it; it is freed once the kernel has forgotten it, nothing holds
 * a reference, and a grace period has passed (see tree.c). tree->lock held.
 */
void tree_detach_locked(RfsTree *tree, RfsNode *node);

/* The download job of tree-media.c (tree->downloader's function). */
void tree_media_download_job(gpointer media, gpointer tree);

/* Frees what the graveyard holds that nothing needs any more (tree-life.c). tree->lock held. */
void tree_sweep_locked(RfsTree *tree);
/* @node's rare fields, made if it had none. tree->lock held. (transfer none) */
RfsNodeRare *tree_rare_locked(RfsNode *node);

/* @dir's child @name, or NULL. tree->lock held. */
RfsNode *tree_child_locked(RfsNode *dir, const char *name);
/* @node is @dir's child of its name (in place of any other of that name). tree->lock held. */
void tree_child_put_locked(RfsNode *dir, RfsNode *node);
/* @node is no longer @dir's child, if it was. tree->lock held. */
void tree_child_drop_locked(RfsNode *dir, RfsNode *node);

/*
 * The bytes @node keeps (content, else those in its block), or NULL; their
 * size (0 without). tree->lock held. (transfer none)
 */
gconstpointer tree_kept_bytes(const RfsNode *node, gsize *size);
gsize tree_kept_size(const RfsNode *node);
/* Whether @node keeps bytes, and they are @bytes. tree->lock held. */
gboolean tree_kept_bytes_equal(const RfsNode *node, GBytes *bytes);

/* Frees @node's own memory (the inode table's destroy function). */
void tree_node_free(RfsNode *node);

/*
 * Whether @entry's strings fit a node (none over TREE_STRING_MAX bytes): a
 * listing skips, and logs, a file that does not (the record's other files stay).
 */
gboolean tree_entry_fits(const RfsEntry *entry);

/* A new node for @entry under @parent. Called with tree->lock held. */
RfsNode *tree_node_new_locked(RfsTree *tree, RfsNode *parent, const RfsEntry *entry);

/* Replaces @node's bytes; its inode goes into @changed if they differ. tree->lock held. */
void tree_set_content_locked(RfsTree *tree, RfsNode *node, GBytes *content, GArray *changed);
/* The same for a compact JSON record shown pretty, @pretty_size bytes. */
void tree_set_record_locked(RfsTree *tree, RfsNode *node, GBytes *compact, gsize pretty_size,
			    GArray *changed);

/* Whether @entry's record was removed here (a listing or feed that lags behind). lock held. */
gboolean tree_entry_removed_locked(RfsTree *tree, const RfsEntry *entry);

/* Whether @dir shows nothing but views (a conversation whose last message left). lock held. */
gboolean tree_only_views_locked(RfsNode *dir);

/* @dir's entries came or went: its views (RFS_CONTENT_VIEW) go into @changed. lock held. */
void tree_views_changed_locked(RfsNode *dir, GArray *changed);

/* A newer known time of one of @dir's entries: @dir's own time moves up to it. lock held. */
void tree_entry_time_locked(RfsNode *dir, const struct timespec *when);

/*
 * A document's time from its bytes (pretty JSON, or text): the server's
 * lastModifiedTime where the record has one, else when ringfs first saw these
 * bytes at its URL (times.h). No lock held.
 */
void tree_document_time(RfsTree *tree, RfsNode *node, GBytes *bytes, struct timespec *when);

/* Tells the kernel that @name left @parent. No lock held. */
void tree_notify_gone(RfsTree *tree, fuse_ino_t parent, const char *name);

/* Tells the kernel about the inodes in @changed. No lock held. */
void tree_notify_changed(RfsTree *tree, GArray *changed);
