/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mapping table: one row per kind of node, saying what API call is
 * behind it, its usage-plan group, how its entries are listed and named, and
 * how its bytes are made. Adding an endpoint is adding a row here.
 */
#pragma once

#include "tree.h"

typedef enum {
	RFS_CONTENT_NONE,     /* directories and links */
	RFS_CONTENT_RENDERED, /* bytes made from the listing's record: exact size */
	RFS_CONTENT_DOCUMENT, /* GET endpoint → pretty JSON, loaded on lookup */
	RFS_CONTENT_MEDIA,    /* binary at a URL the record gives: cached on disk */
} RfsContent;

struct RfsKind {
	const char *name; /* for logs and docs */
	RfsNodeType type;
	RfsContent content;
	RfsGroup group;	      /* of the request behind it (listing, document or media) */
	const char *endpoint; /* the API call, as a path template ({a}, {e}, {key}) */
	gboolean immutable;   /* the bytes never change: kernel page cache kept across opens */
	/* media: the Content-Types it may have (prefixes; NULL: any); others are not kept */
	const char *const *media_types;
	gboolean parent_fills; /* a directory listed together with its parent */
	/* directories: the entries of @dir (static ones need no request) */
	gboolean (*list)(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error);

	/*
	 * Writes (actions.c). commit sends the whole file as written: PUT for a
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
	/* directories: their entries can be removed (message folders), so they show w */
	gboolean entries_removable;
	/* directories: the kind of a new file @name, or NULL to refuse the name */
	const RfsKind *(*create)(RfsTree *tree, RfsNode *dir, const char *name);
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
	gboolean keep_after_send; /* actions whose file stays after sending (RingOut) */
	gboolean send_on_create;  /* creating the file is the request (touch makes a webhook) */
	/* documents: POST url + this for touch (subscriptions: "/renew") or user.ringfs.verb */
	const char *post_suffix;
	gboolean action;  /* commit sends a message: once, at the first flush, never again */
	gboolean scratch; /* directories: editors may keep temporary files here */
};

/* The kind of files that live only here (editor swap and backup files). */
const RfsKind *table_scratch_kind(void);

/* TRUE for names no API entry can have and that editors and tools make. */
gboolean table_is_scratch_name(const char *name);

/* The kind of the mount's root. */
const RfsKind *table_root_kind(void);

/* Expands {a}, {e} and {key} in @tmpl for @node. (transfer full) */
char *table_expand(const char *tmpl, const RfsNode *node);

/* Every row, for docs and tests. */
const RfsKind *const *table_kinds(gsize *count);
