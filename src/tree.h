/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Nodes, inode numbers, kernel lookup counts and the attribute cache.
 *
 * Invariants:
 * - Every node the kernel has heard of stays in the inode table until the
 *   kernel forgets it (tree-life.c), and an inode number is never given
 *   twice while mounted. A node that vanished from its directory's listing is
 *   detached (lookups no longer find it) but still answers getattr and read
 *   with what it last had.
 * - A directory is listed by one thread at a time (its fill_lock); the
 *   listing runs without tree->lock, then is applied under it, so one slow
 *   listing never blocks the rest of the tree.
 * - Attributes come from listings and documents: a stat never costs a
 *   request of its own, except for documents (one GET each per cache_timeout).
 */
#pragma once

#include "api.h"
#include "config.h"
#include "node.h"
#include "sendlog.h"

#include <sys/stat.h>
#include <time.h>

/* What few nodes need, kept aside so that a node of a large listing stays small. */
typedef struct {
	char *error;		   /* the last failure, for the user.ringfs.error xattr */
	char *journal;		   /* outbox files: the send log entry of an unknown outcome */
	char *outcome;		   /* outbox files: what became of the last send (an xattr) */
	struct RfsMedia *download; /* media: the download under way (tree-media.c), or NULL */
	gint64 refresh_started;	   /* monotonic µs */
	gint64 buried_at;	   /* monotonic µs */
	gint64 detached_at;	   /* monotonic µs */
	GHashTable *made;	   /* a new file of several records: the ones it created (keys) */
} RfsNodeRare;

/* A field of @node->rare, or 0 (NULL) if it has none. tree->lock held. */
#define TREE_RARE(node, field) ((node)->rare ? (node)->rare->field : 0)

/* An account id and an extension id, interned (tree_ids): a handful of pairs, many nodes. */
typedef struct {
	const char *aid, *eid; /* NULL: the logged-in one's ("~") */
} RfsIds;

struct RfsNode {
	fuse_ino_t ino;	 /* first: the inode table is a set of nodes, keyed by it */
	RfsNode *parent; /* NULL for the root */
	const RfsKind *kind;
	const RfsIds *ids; /* never NULL */

	/*
	 * Protected by tree->lock. A listing of 100,000 messages holds 200,000
	 * nodes: the flags are bits (every write is under the lock, so bits
	 * sharing a word never race) and the fields are ordered to leave no holes.
	 */
	GBytes *content; /* files made from records or documents */
	off_t size;	 /* media of unknown size: an estimate, never 0 */
	/* the record's time, the server's lastModifiedTime, the time ringfs saw the content
	 * change (times.h), or for directories their newest entry's; {0, 0}: not known yet */
	struct timespec mtime;
	gint64 loaded_at;	/* monotonic µs of the last listing or document load, 0: never */
	GHashTable *children;	/* directories: the names of their nodes (tree_child_locked) */
	GPtrArray *order;	/* directories: RfsNode* in listing order */
	guint64 nlookup;	/* the kernel's count */
	RfsNodeRare *rare;	/* what few nodes need, made at first need (tree_rare_locked) */
	guint refs;		/* ours: open handles, readdir snapshots, background refreshes */
	guint live_children;	/* nodes whose parent this is and that are not freed yet */
	guint epoch;		/* tree->epoch when listed or loaded */
	guint16 compact : 1;	/* content is a packed record (pack.h), shown as render_json() */
	guint16 size_known : 1; /* media: FALSE until the content was fetched once */
	guint16 detached : 1;	/* out of the tree for good (tree_detach_locked) */
	guint16 inval_pending : 1; /* the kernel still has a size we corrected */
	guint16 local : 1;	   /* made here by the user, not by a listing: survives refreshes */
	guint16 committed : 1;	   /* local and sent: the next listing shows the server's name */
	guint16 sent : 1;	   /* an action that may have reached the server: never again */
	guint16 sending : 1;	   /* an action being sent now */
	guint16 buried : 1;    /* its record went with a sibling's, or it was renamed (a recording's
				type): unlisted, still found */
	guint16 filled : 1;    /* listed or loaded at least once: there is a copy to serve */
	guint16 forbidden : 1; /* the server refuses this document or listing to this user (403) */
	guint16 refreshing : 1; /* a background refresh is under way (tree->refreshed) */
	/* where key, target and url start in the block after name (node_key() …), 0: none */
	guint16 key_at, target_at, url_at;
	/*
	 * The bytes a listing gave at creation (a packed record, a rendered text),
	 * kept in the block too, after url: where they start (0: none) and their
	 * size. Bytes that change later go to content, which then comes first.
	 */
	guint16 bytes_at, bytes_size;

	GMutex fill_lock; /* serialises listing a directory or loading a file */
	/* fixed at creation, in the node's own block: the name, then key, target, url, bytes */
	char name[];
};

/* What the kind needs to know (a message id, a day), or NULL. Fixed at creation. */
static inline const char *node_key(const RfsNode *node)
{
	return node->key_at ? node->name + node->key_at : NULL;
}

/* A media content URL or a document's API path, or NULL. Fixed at creation. */
static inline const char *node_url(const RfsNode *node)
{
	return node->url_at ? node->name + node->url_at : NULL;
}

/* A symbolic link's target, or NULL. Fixed at creation. */
static inline const char *node_target(const RfsNode *node)
{
	return node->target_at ? node->name + node->target_at : NULL;
}

/* The node whose name @name is (a key of a directory's children). */
static inline RfsNode *node_of_name(const char *name)
{
	return (RfsNode *)(gpointer)(name - G_STRUCT_OFFSET(RfsNode, name));
}

/* The interned pair @aid, @eid (either may be NULL). (transfer none: lives forever) */
const RfsIds *tree_ids(const char *aid, const char *eid);

/* Called (from any thread, no lock held) when a file's bytes changed under the kernel's cache. */
typedef void (*RfsTreeChanged)(fuse_ino_t ino, gpointer data);

/*
 * What the tree needs of the mapping table without depending on it: the
 * caller (main) hands it over.
 */
typedef struct {
	const RfsKind *root;	/* the kind of the mount's root */
	const RfsKind *scratch; /* files that live only here (editors' swap and backup files) */
	gboolean (*is_scratch_name)(const char *name); /* names no API entry can have */
} RfsTreeRules;

/* tree_new: @config, @api and @rules are borrowed and must outlive the tree. */
RfsTree *tree_new(const RfsConfig *config, RfsApi *api, const RfsTreeRules *rules,
		  const char *account_id, const char *extension_id);
void tree_free(RfsTree *tree);
/* Called (from any thread, no lock held) when the name @name left directory @parent. */
typedef void (*RfsTreeGone)(fuse_ino_t parent, const char *name, gpointer data);

/* @gone (may be NULL) is called with @data too. */
void tree_set_changed_func(RfsTree *tree, RfsTreeChanged func, RfsTreeGone gone, gpointer data);

RfsApi *tree_api(RfsTree *tree);
const RfsConfig *tree_config(RfsTree *tree);
/* The logged-in account and extension ids. (transfer none) */
const char *tree_account_id(RfsTree *tree);
const char *tree_extension_id(RfsTree *tree);
/* Who mounted: every node's owner. */
uid_t tree_owner(RfsTree *tree);
/*
 * The calling code of the logged-in extension's country ("1" for the US and
 * Canada), which completes numbers written without one; NULL when unknown.
 * Set once at mount, before the session starts. (transfer none)
 */
void tree_set_calling_code(RfsTree *tree, const char *code);
const char *tree_calling_code(RfsTree *tree);

RfsNode *tree_root(RfsTree *tree);

/* The node of inode @ino; an unknown inode is a bug (g_error). */
RfsNode *tree_get(RfsTree *tree, fuse_ino_t ino);

/*
 * tree_lookup: the child @name of @dir, listing @dir first when its listing
 * is older than cache_timeout. NULL with ENOENT when there is no such child.
 * (transfer none: nodes live as long as the tree)
 */
RfsNode *tree_lookup(RfsTree *tree, RfsNode *dir, const char *name, GError **error);

/*
 * tree_refresh: makes @node current: lists a stale directory, loads a stale
 * document. Where an older copy exists, the refresh runs in the background
 * and the caller waits for it only a few seconds (not at all while the server
 * is failing): a slow or dead server gets the older copy served at once. A
 * refresh that fails keeps the older copy (the failure is logged and kept in
 * the node). Without a copy the caller waits, within its budget.
 */
gboolean tree_refresh(RfsTree *tree, RfsNode *node, GError **error);

/*
 * tree_get_json: the document at @url (GET in @group), as fetched within
 * cache_timeout with no write since, else fetched now; while one thread
 * fetches it, others asking for the same URL wait for that answer (and share
 * its failure, unless it was the asker's own: interrupted, out of time). For
 * loaders of their own (rows), so that two files showing one document cost
 * one GET. @epoch and @at (either may be NULL) get the write epoch and the
 * monotonic time at which the answer was asked for. (transfer full)
 */
json_t *tree_get_json(RfsTree *tree, RfsGroup group, const char *url, guint *epoch, gint64 *at,
		      GError **error);
/* Forgets the documents tree_get_json keeps: after a write that does not end a write epoch. */
void tree_forget_documents(RfsTree *tree);

/*
 * A document the server refuses to this user (403): not listed, and a lookup
 * by name fails with EACCES, so that rsync, tar and du walk the mount
 * cleanly. The refusal is remembered for cache_timeout.
 */
gboolean tree_is_forbidden(RfsTree *tree, RfsNode *node);

/* FALSE while a media file shows an estimate. */
gboolean tree_size_is_exact(RfsTree *tree, RfsNode *node);

/* Attributes of @node as they are now. */
void tree_stat(RfsTree *tree, RfsNode *node, struct stat *st);
/*
 * Whether @node's bytes changed since its size was last given to the kernel
 * (tree_stat): the kernel's notice is on its way, and until it lands a read
 * through the page cache would stop at the old size.
 */
gboolean tree_size_stale(RfsTree *tree, RfsNode *node);

/* The children of @dir in listing order, each with a reference. Give it back with
 * tree_children_release(). (transfer full) */
GPtrArray *tree_children(RfsTree *tree, RfsNode *dir);
/*
 * Starts loading, several at once in the background, the documents among
 * @children never loaded yet: a folder's entries then wait for their sizes
 * together, not one after another. No request is made twice (a load waits
 * for one under way).
 */
void tree_prefetch(RfsTree *tree, GPtrArray *children);
void tree_children_release(RfsTree *tree, GPtrArray *children);

/*
 * Kernel lookup counts, and our own references. A node lives while it is in
 * the tree, or while the kernel knows it (nlookup > 0), or while something
 * of ours holds a reference; then, after a grace period that outlasts any
 * request that may still hold a bare pointer (request_timeout), it is freed.
 * Inode numbers are never reused.
 */
void tree_remember(RfsTree *tree, RfsNode *node);
void tree_forget(RfsTree *tree, fuse_ino_t ino, guint64 n);
void tree_ref(RfsTree *tree, RfsNode *node);
void tree_unref(RfsTree *tree, RfsNode *node);
/* Nodes allocated now (for tests and the soak benchmark's log). */
guint tree_node_count(RfsTree *tree);
/* Bytes the nodes' content holds now (rendered files, documents, files being written). */
guint64 tree_content_bytes(RfsTree *tree);

/* The bytes of a rendered file or document as they are now. (transfer full) */
GBytes *tree_dup_content(RfsTree *tree, RfsNode *node);

/*
 * Media content (tree-media.c), served as it arrives.
 *
 * tree_media_open: @node's content: at once from the content cache, else from
 * the one download of it (started if need be), once the size is known.
 * @size_changed is set when the size the kernel saw (an estimate) is now
 * known and its attributes must be invalidated. (transfer full: close it)
 */
typedef struct RfsMedia RfsMedia;
RfsMedia *tree_media_open(RfsTree *tree, RfsNode *node, gboolean *size_changed, GError **error);

/*
 * tree_media_wait: waits (within the caller's budget; an interrupt ends it)
 * until bytes [@off, @off + @len) have arrived or the content ends before
 * them. The fd to read them from (borrowed), with @avail set to how many of
 * them there are (0 past the end); -1 with @error when the download failed
 * before them.
 */
int tree_media_wait(RfsMedia *media, off_t off, size_t len, size_t *avail, GError **error);
/* The content type @url was served with (content cache), or NULL if never seen. (transfer full) */
char *tree_media_type(RfsTree *tree, const char *url);
/* Whether all of the content is there (the kernel may keep its pages). */
gboolean tree_media_complete(RfsMedia *media);
void tree_media_close(RfsMedia *media);

/* ---- writes (tree-write.c) ---- */

/* Whether the user may write @node (files) or create in it (directories). */
gboolean tree_is_writable(RfsNode *node);

/*
 * tree_create: a new empty file @name in @dir: an entry the API will create
 * on commit, an action (outbox), or a scratch file for names the API cannot
 * hold. An existing name gives the existing node, unless it is an outbox file
 * already sent: then the name is a new file. EACCES if @dir takes no files.
 */
RfsNode *tree_create(RfsTree *tree, RfsNode *dir, const char *name, GError **error);

/*
 * tree_commit: sends @data as the new bytes of @node (PUT, or POST for new
 * entries and actions). An action is sent at most once in its life. On
 * success the node holds what the server now says, and the listings that
 * changed are refreshed at their next use.
 */
gboolean tree_commit(RfsTree *tree, RfsNode *node, GBytes *data, GError **error);

/*
 * tree_writable_version: the node a new write of @node goes to: @node itself,
 * or, for an outbox file already sent (the kernel may still hold its name for
 * a moment), a new file of the same name. (transfer none)
 */
RfsNode *tree_writable_version(RfsTree *tree, RfsNode *node, GError **error);

/*
 * The extended attributes @node's kind adds (RfsKind.xattrs): tree_get_xattr
 * gives the value (transfer full), or NULL with ENODATA when the kind has no
 * such readable attribute; tree_set_xattr changes it (ENOTSUP when the kind
 * has no such writable one) and makes stale what the change touched;
 * tree_xattr_names appends the readable names, NUL-terminated each.
 */
char *tree_get_xattr(RfsTree *tree, RfsNode *node, const char *name, GError **error);
gboolean tree_set_xattr(RfsTree *tree, RfsNode *node, const char *name, const char *value,
			GError **error);
void tree_xattr_names(RfsNode *node, GString *names);

/* A new mtime for @node: renews what can be renewed (subscriptions); otherwise nothing. */
gboolean tree_touch(RfsTree *tree, RfsNode *node, GError **error);

/*
 * The record @key (in the messages' own space) is back (restored from
 * Deleted): its removal here is forgotten, so that listings show it and a
 * new rm deletes it again.
 */
void tree_forget_removed(RfsTree *tree, const char *key);

/* tree_remove: unlink or rmdir of @name in @dir (DELETE, or dropping a local file). */
gboolean tree_remove(RfsTree *tree, RfsNode *dir, const char *name, GError **error);

/*
 * tree_rename: within writable directories. A scratch file renamed over a
 * file is a save (commit of its bytes); a file renamed to a scratch name
 * leaves a scratch copy and the original in place (editors' backups).
 */
gboolean tree_rename(RfsTree *tree, RfsNode *dir, const char *name, RfsNode *newdir,
		     const char *newname, GError **error);

/* ---- changes a feed reports (tree-feed.c) ---- */

/* The child @name of @dir as the tree holds it now: no listing, no request. (transfer none) */
RfsNode *tree_peek_child(RfsTree *tree, RfsNode *dir, const char *name);

/*
 * tree_apply_record: what a feed (the message store's sync) says of the
 * record @key now: @entries, as @dir's listing would show it (a record in a
 * folder @dir fills, an SMS conversation, comes as that folder's entry with
 * children), replace the nodes of @key in @dir and the folders it fills;
 * no entries: the record is gone. Sends no request; tells the kernel.
 * FALSE (and nothing done) when @dir was never listed: its first listing
 * will show the record.
 */
gboolean tree_apply_record(RfsTree *tree, RfsNode *dir, const char *key, GPtrArray *entries);

/* @dir is as current as a listing now would be (a feed showed every change since). */
void tree_keep_fresh(RfsTree *tree, RfsNode *dir);

/* The next lookup or readdir of @dir lists it again. */
void tree_invalidate(RfsTree *tree, RfsNode *dir);
/* @file changed on the server: read again at its next open, the kernel's copy dropped. */
void tree_file_changed(RfsTree *tree, RfsNode *file);

/*
 * What the rows found out once and keep for the mount (an extension's kind
 * of call handling): @key → a small number, 0 while unknown.
 */
int tree_memo_get(RfsTree *tree, const char *key);
void tree_memo_set(RfsTree *tree, const char *key, int value);

/* The send log of this mount (sendlog.h). (transfer none) */
RfsSendLog *tree_sendlog(RfsTree *tree);

/*
 * The send log entry @id (or NULL) now stands for @node's last send: it is
 * kept while the outcome is unknown and ended when the file is removed or
 * written anew. An entry @node had before is ended.
 */
void tree_set_journal(RfsTree *tree, RfsNode *node, const char *id);

/* What became of @node's last send, for the user.ringfs.outcome xattr. (transfer full) */
void tree_set_outcome(RfsTree *tree, RfsNode *node, const char *outcome);
char *tree_dup_outcome(RfsTree *tree, RfsNode *node);

/*
 * A new file that creates several records (a .vcf of many cards) notes each
 * one it created under a key of its choosing, so that writing the file again
 * after a partial failure creates only the rest. Kept while the node lives.
 */
gboolean tree_has_made(RfsTree *tree, RfsNode *node, const char *key);
void tree_add_made(RfsTree *tree, RfsNode *node, const char *key);

/* The node at @path below the mount ("/accounts/…"), listing what it must; NULL if none. */
RfsNode *tree_find_path(RfsTree *tree, const char *path);

/*
 * An outbox file shown again after a restart: @name in @dir holding @content,
 * sent (so that only writing it anew sends it), with @outcome, and the send
 * log entry @journal (or NULL) that ends when it is removed.
 */
void tree_add_recovered(RfsTree *tree, RfsNode *dir, const char *name, GBytes *content,
			const char *outcome, const char *journal);

/* Marks an action as (possibly) sent, right before its request goes out. */
void tree_mark_sent(RfsTree *tree, RfsNode *node, gboolean sent);

/* Drops a sent outbox file from its outbox (at release). FALSE if there was nothing to drop. */
gboolean tree_retire(RfsTree *tree, RfsNode *node);

/* Records @error as @node's last failure (for the xattr) and logs it. */
void tree_note_error(RfsTree *tree, RfsNode *node, const char *op, const GError *error);
/* (transfer full) NULL if none */
char *tree_dup_error(RfsTree *tree, RfsNode *node);

/* The path of @node below the mount, for messages. (transfer full) */
char *tree_path(RfsTree *tree, RfsNode *node);
