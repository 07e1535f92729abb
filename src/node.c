/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entries: what a listing produces (node.h). */
#include "node.h"

RfsEntry *node_entry_new(const char *name, const RfsKind *kind)
{
	RfsEntry *entry = g_new0(RfsEntry, 1);

	entry->name = g_strdup(name);
	entry->kind = kind;
	return entry;
}

void node_entry_free(RfsEntry *entry)
{
	if (!entry)
		return;
	g_free(entry->name);
	g_free(entry->aid);
	g_free(entry->eid);
	g_free(entry->key);
	g_free(entry->url);
	g_free(entry->target);
	if (entry->content)
		g_bytes_unref(entry->content);
	if (entry->children)
		g_ptr_array_unref(entry->children);
	g_free(entry);
}
