/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mapping table: one row per kind of node, saying what API call is
 * behind it, its usage-plan group, how its entries are listed and named, and
 * how its bytes are made. The rows are in one file per API area (rows-*.c);
 * table.c is their registry. Adding an endpoint is adding a row to its area
 * and to table.c's list of every row.
 */
#pragma once

#include "tree.h"

/* The kind of files that live only here (editor swap and backup files). */
const RfsKind *table_scratch_kind(void);

/* TRUE for names no API entry can have and that editors and tools make. */
gboolean table_is_scratch_name(const char *name);

/* The kind of the mount's root. */
const RfsKind *table_root_kind(void);

/* Expands {a}, {e} and {key} in @tmpl for @node, each escaped. (transfer full) */
char *table_expand(const char *tmpl, const RfsNode *node);

/*
 * The URL of the item @id of the collection at @base (an API path, already
 * expanded): "@base/<id escaped>", so that an id "a/b" never becomes a path.
 * (transfer full)
 */
char *table_item_url(const char *base, const char *id);

/* Every row, each once, for docs and tests. (transfer none) */
const RfsKind *const *table_kinds(gsize *count);
