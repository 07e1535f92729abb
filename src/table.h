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
	RfsGroup group;	       /* of the request behind it (listing, document or media) */
	const char *endpoint;  /* the API call, as a path template ({a}, {e}, {key}) */
	gboolean immutable;    /* the bytes never change: kernel page cache kept across opens */
	gboolean parent_fills; /* a directory listed together with its parent */
	/* directories: the entries of @dir (static ones need no request) */
	gboolean (*list)(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error);
};

/* The kind of the mount's root. */
const RfsKind *table_root_kind(void);

/* Expands {a}, {e} and {key} in @tmpl for @node. (transfer full) */
char *table_expand(const char *tmpl, const RfsNode *node);

/* Every row, for docs and tests. */
const RfsKind *const *table_kinds(gsize *count);
