/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The node contract: what a kind of node is (RfsKind, one per row of the
 * mapping table) and what a listing produces (RfsEntry). The lowest layer
 * the tree and the rows share: tree.c applies entries and calls the hooks of
 * kinds without knowing any of them; the rows (rows-*.c) fill kinds and
 * entries without knowing how the tree keeps them.
 *
 * A kind's hooks run on FUSE worker threads with no lock held; each may
 * send requests (within the calling operation's budget, http.h) and must
 * set its GError exactly when it returns failure.
 */
#pragma once

#include "rfs.h"

#include <sys/types.h>
#include <time.h>

typedef struct RfsTree RfsTree;
typedef struct RfsNode RfsNode;
typedef struct RfsKind RfsKind;

typedef enum {
	RFS_NODE_DIR,
	RFS_NODE_FILE,
	RFS_NODE_LINK
} RfsNodeType;

/*
 * RfsEntry: one name a listing produced, before it becomes a node.
 * Built by the rows (rows-*.c), applied to the tree by tree.c.
 */
typedef struct {
	char *name;
	const RfsKind *kind;
	char *aid, *eid;     /* account and extension ids; NULL: the parent's */
	char *key;	     /* what the kind needs to know (a message type, a day) */
	char *url;	     /* media content URL, or a document's API path */
	GBytes *content;     /* rendered bytes of a file made from the listing */
	gsize pretty_size;   /* not 0: @content is a packed record (pack.h), shown pretty */
	time_t mtime;	     /* the record's own time; 0: the mount's */
	off_t estimate;	     /* media: the size shown until the true size is known */
	char *target;	     /* symlink target */
	GPtrArray *children; /* RfsEntry*: a directory filled along with its parent */
} RfsEntry;

/* A new entry @name of @kind, everything else unset. (transfer full) */
RfsEntry *node_entry_new(const char *name, const RfsKind *kind);
void node_entry_free(RfsEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RfsEntry, node_entry_free)

typedef enum {
	RFS_CONTENT_NONE,     /* directories and links */
	RFS_CONTENT_RENDERED, /* bytes made from the listing's record: exact size */
	RFS_CONTENT_DOCUMENT, /* GET endpoint → pretty JSON, loaded on lookup */
	RFS_CONTENT_MEDIA,    /* binary at a URL the record gives: cached on disk */
	RFS_CONTENT_STREAM,   /* the mount's events: lines as they happen (events.h) */
	RFS_CONTENT_VIEW,     /* made when read from its folder's other nodes (kind->view) */
} RfsContent;

/* What a successful change made stale, to be read again at its next use. */
typedef enum {
	RFS_STALE_NOTHING,
	RFS_STALE_NODE,	  /* the node itself (a document the verb changed) */
	RFS_STALE_FOLDER, /* the folder that lists it (a message purged) */
} RfsStale;

/*
 * An extended attribute of a kind: getfattr calls @get (NULL: write-only),
 * setfattr calls @set with the value, trimmed (NULL: read-only).
 */
typedef struct {
	const char *name; /* "user.ringfs.…" */
	char *(*get)(RfsTree *tree, RfsNode *node, GError **error);
	gboolean (*set)(RfsTree *tree, RfsNode *node, const char *value, GError **error);
	RfsStale stale; /* after a successful set */
} RfsXattr;

struct RfsKind {
	const char *name; /* for logs and docs */
	RfsNodeType type;
	RfsContent content;
	RfsGroup group;	      /* of the request behind it (listing, document or media) */
	const char *endpoint; /* the API call, as a path template ({a}, {e}, {key}) */
	gboolean immutable;   /* the bytes never change: kernel page cache kept across opens */
	/* media: the Content-Types it may have (prefixes; NULL: any); others are not kept */
	const char *const *media_types;
	/*
	 * media whose record gives no type (recordings): the name's extension is
	 * the type the content cache remembers, else a guess; a download that
	 * finds another type makes the folder list again, under the right name.
	 */
	gboolean named_by_type;
	gboolean parent_fills; /* a directory listed together with its parent */
	/* directories: the entries of @dir (static ones need no request) */
	gboolean (*list)(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error);

	/*
	 * Writes (writes.c, send.c). commit sends the whole file as written: PUT for a
	 * document, POST for a new entry or an action; on success it may give the
	 * bytes the file now holds (the server's answer). NULL: read-only.
	 */
	gboolean (*commit)(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now,
			   GError **error);
	/* unlink or rmdir; NULL: refused with EACCES before any request */
	gboolean (*remove)(RfsTree *tree, RfsNode *node, GError **error);
	/*
	 * Files that show one record (node->key: a message's .wav, .json, .txt):
	 * removing any of them removes the record once, and the others go with it
	 * without a request of their own.
	 */
	gboolean shares_record;
	/*
	 * Records removed here are remembered by key within a space: the same
	 * message removed from its folder (to Deleted) and from deleted/ (purged)
	 * is two removals. NULL: the messages' own space.
	 */
	const char *record_space;
	/*
	 * mv of a file of this kind to @newdir is a request (a message restored
	 * from Deleted); the file leaves its folder, siblings and all. NULL:
	 * renames of server entries fail with EXDEV.
	 */
	gboolean (*move)(RfsTree *tree, RfsNode *node, RfsNode *newdir, GError **error);
	/* directories: their entries can be removed (message folders), so they show w */
	gboolean entries_removable;
	/*
	 * directories (messages/deleted/): a message's file moved in from a folder
	 * of entries_removable is removed there, as rm would (one request, once
	 * for all its files): mv into deleted/, and gio trash, whose
	 * .Trash-<uid>/files leads here
	 */
	gboolean takes_removals;
	/* directories: the kind of a new file @name, or NULL to refuse the name */
	const RfsKind *(*create)(RfsTree *tree, RfsNode *dir, const char *name);
	/* directories, optional: checks a new file's @name first, saying why it is refused */
	gboolean (*takes_name)(RfsTree *tree, RfsNode *dir, const char *name, GError **error);
	RfsGroup write_group; /* of commit and remove */
	/*
	 * PUT semantics: NULL sends only the members an edit changed (the API
	 * merges them); a list means the API replaces the whole resource, so the
	 * whole object is sent without these read-only members.
	 */
	const char *const *replace_without;
	const RfsKind *item; /* collections: the kind of their <id>.json entries */
	/*
	 * directories: an entry the listing does not show (an id it cannot list,
	 * or a single record by its own endpoint), made from its name, or NULL.
	 */
	RfsEntry *(*fetch)(RfsTree *tree, RfsNode *dir, const char *name);
	/* documents: bytes from something other than one JSON GET (NULL: GET url, pretty JSON) */
	gboolean (*load)(RfsTree *tree, RfsNode *node, GBytes **bytes, GError **error);
	gboolean keep_after_send; /* sent files that stay after sending (RingOut) */
	gboolean send_on_create;  /* creating the file is the request (touch makes a webhook) */
	/* the extended attributes this kind adds (read status, purge, verbs); ends with {NULL} */
	const RfsXattr *xattrs;
	/* touch (a new mtime) means something: a subscription is renewed. NULL: ignored */
	gboolean (*touch)(RfsTree *tree, RfsNode *node, GError **error);
	gboolean sends_once; /* commit sends a message: once, at the first flush, never again */
	gboolean scratch;    /* directories: editors may keep temporary files here */
	/*
	 * found by name but not listed by readdir: the events file, whose reads
	 * never end, so that rsync, tar and grep -r of the whole mount never wait on it
	 */
	gboolean unlisted;
	/*
	 * documents whose lines are appended to (a Glip transcript): an open
	 * handle reads the bytes as they are now, not as they were at open, and
	 * past the size the kernel last saw, so that tail -f shows new lines
	 */
	gboolean grows;
	/*
	 * RFS_CONTENT_VIEW: the bytes, made from the nodes of the file's folder
	 * (tree_children, tree_dup_content) each time they are needed, size
	 * included: nothing is kept. No lock held. (transfer full)
	 */
	GBytes *(*view)(RfsTree *tree, RfsNode *node);
	/*
	 * files that take appends only (a conversation.txt): an O_TRUNC open, a
	 * truncate or a write before the end the file had at open fails with
	 * EPERM; commit gets only the bytes appended since open (or the last
	 * commit of the handle). Each commit is one new message.
	 */
	gboolean appends;
};
