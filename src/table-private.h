/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the table's files share (table.c: telephony; table-extra.c: the rest). */
#pragma once

#include "table.h"

RfsEntry *table_add(GPtrArray *entries, const RfsKind *kind, const char *name);
RfsEntry *table_add_document(GPtrArray *entries, const RfsNode *dir, const char *name,
			     const RfsKind *kind, const char *endpoint);
/* A file showing @record as pretty JSON (render_json), kept compact until read. */
RfsEntry *table_add_record(GPtrArray *entries, const char *name, const json_t *record,
			   time_t mtime);
RfsEntry *table_add_rendered(GPtrArray *entries, const char *name,
			     GBytes *content /* takes ownership */, time_t mtime);
time_t table_record_time(const json_t *record, const char *key);
gboolean table_list_nothing(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error);

/* table-extra.c: rows the telephony folders link to */
extern const RfsKind table_k_api, table_k_dictionary, table_k_glip, table_k_subscriptions,
	table_k_meetings, table_k_ringout, table_k_ringout_legacy, table_k_authz_check,
	table_k_directory, table_k_active_calls, table_k_doc_medium, table_k_doc_light,
	table_k_doc_heavy;

/* table-extra.c: fetch a record by its id, for folders of table.c */
RfsEntry *table_fetch_contact(RfsTree *tree, RfsNode *dir, const char *name);
RfsEntry *table_fetch_message(RfsTree *tree, RfsNode *dir, const char *name);
RfsEntry *table_fetch_call(RfsTree *tree, RfsNode *dir, const char *name);
RfsEntry *table_fetch_recording(RfsTree *tree, RfsNode *dir, const char *name);
