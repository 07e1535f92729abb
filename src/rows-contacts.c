/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of contacts: the extension's address book and the company directory.
 * (favorites.json is a setting of the extension's folder: rows-account.c.)
 *
 *   …/{e}/contacts/<Name>_<id>.vcf and .json     GET …/address-book/contact (+ <id>.json by id)
 *   accounts/{a}/directory/<id>_<name>.json      GET …/directory/entries (+ <id>.json by id),
 *                                                or …/directory/contacts where entries are missing
 *
 * A contact shows as a vCard and as JSON; rewriting either PUTs the contact,
 * a new .vcf or .json in contacts/ POSTs one.
 */
#include "table-private.h"
#include "writes.h"
#include "send.h"
#include "render.h"

/* Bytes of a contact's name in its file name: with "_<id>.json" (ids ≤ 40 bytes) and a
 * collision's "_N", within NAME_MAX (255). */
#define CONTACT_NAME_MAX 180

typedef struct {
	GPtrArray *entries;
	char *base; /* the collection's API path */
} ContactListing;

static gboolean each_contact(json_t *contact, gpointer user, GError **error)
{
	ContactListing *cl = user;
	g_autofree char *id = render_id(json_object_get(contact, "id"));
	const char *first = json_string_value(json_object_get(contact, "firstName"));
	const char *last = json_string_value(json_object_get(contact, "lastName"));
	const char *company = json_string_value(json_object_get(contact, "company"));
	g_autofree char *who = NULL;

	if (!id)
		return TRUE;
	if (first || last)
		who = g_strjoin(" ", first ? first : "", last ? last : "", NULL);
	else
		who = g_strdup(company ? company : "contact");
	g_autofree char *piece = render_safe_piece(who, CONTACT_NAME_MAX);
	g_autofree char *safe_id = render_safe_piece(id, 40);
	g_autofree char *vcf = g_strdup_printf("%s_%s.vcf", piece, safe_id);
	g_autofree char *json = g_strdup_printf("%s_%s.json", piece, safe_id);
	time_t mtime = table_record_time(contact, "lastModifiedTime");

	g_autofree char *url = table_item_url(cl->base, id);
	RfsEntry *v = table_add_rendered(cl->entries, vcf, render_vcard(contact), mtime);
	RfsEntry *j = table_add_record(cl->entries, json, contact, mtime);
	v->url = g_strdup(url);
	v->kind = &table_k_contact_vcard; /* deletable; rewriting needs the .json */
	j->url = g_strdup(url);
	j->kind = &table_k_contact;
	return TRUE;
}

static gboolean list_contacts(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *base = table_expand(table_k_contacts.endpoint, dir);
	g_autofree char *path =
		g_strdup_printf("%s?perPage=%d", base, tree_config(tree)->page_size);

	ContactListing cl = { entries, base };

	return api_list(tree_api(tree), table_k_contacts.group, path, each_contact, &cl, error);
}

static const RfsKind *create_contact(RfsTree *tree, RfsNode *dir, const char *name)
{
	if (g_str_has_suffix(name, ".vcf"))
		return &table_k_new_contact_vcard;
	return g_str_has_suffix(name, ".json") ? &table_k_new_contact : NULL;
}

static RfsEntry *fetch_contact(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, TRUE);
	return id ? table_entry_by_id(dir, name, &table_k_document_heavy,
				      API_V1 "/account/{a}/extension/{e}/address-book/contact", id)
		  : NULL;
}

/* ---- company directory ------------------------------------------------------ */

/*
 * directory/entries (API 1.0.37 and later) replaces directory/contacts. The
 * first listing asks for entries; a server without them (404) is asked for
 * contacts from then on (one mount per process).
 */
#define DIRECTORY_LEGACY API_V1 "/account/{a}/directory/contacts"
static gint directory_legacy; /* atomic: the server has no directory/entries */

static gboolean list_directory(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autofree char *q = table_per_page(tree);
	g_autofree char *legacy = table_expand(DIRECTORY_LEGACY, dir);
	TableListing l = { .kind = &table_k_record, .name_key = "name" };
	g_autoptr(GError) local = NULL;

	if (!g_atomic_int_get(&directory_legacy)) {
		if (table_list_with(tree, dir, entries, q, l, &local))
			return TRUE;
		if (local->code != ENOENT) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		g_message("the server has no directory/entries (%s): using directory/contacts",
			  local->message);
		g_atomic_int_set(&directory_legacy, 1);
		g_ptr_array_set_size(entries, 0);
	}
	g_autofree char *path = g_strdup_printf("%s%s", legacy, q);
	l.entries = entries;
	l.dir = dir;
	return table_list_at(tree, dir, path, l, error);
}

static RfsEntry *fetch_directory(RfsTree *tree, RfsNode *dir, const char *name)
{
	g_autofree char *id = table_name_id(name, TRUE);
	const char *base =
		g_atomic_int_get(&directory_legacy) ? DIRECTORY_LEGACY : table_k_directory.endpoint;
	return id ? table_entry_by_id(dir, name, &table_k_document_medium, base, id) : NULL;
}

/* ---- the rows --------------------------------------------------------------- */

static const char *const contact_read_only[] = { "uri", "id", "availability", NULL };

const RfsKind table_k_contacts = {
	TABLE_DIR("contacts", list_contacts),
	.group = RFS_GROUP_HEAVY,
	.endpoint = "/restapi/v1.0/account/{a}/extension/{e}/address-book/contact",
	.create = create_contact,
	.scratch = TRUE,
	.fetch = fetch_contact,
};
const RfsKind table_k_contact = {
	.name = "contact",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.replace_without = contact_read_only,
	.commit = write_put_json,
	.remove = write_delete_url,
};
const RfsKind table_k_contact_vcard = {
	.name = "contact-vcard",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.replace_without = contact_read_only,
	.commit = write_put_vcard,
	.remove = write_delete_url,
};
/* a file the user made in contacts/: POST to the address book on close */
const RfsKind table_k_new_contact = {
	.name = "new-contact",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = write_post_json,
};
const RfsKind table_k_new_contact_vcard = {
	.name = "new-contact-vcard",
	.type = RFS_NODE_FILE,
	.content = RFS_CONTENT_RENDERED,
	.write_group = RFS_GROUP_HEAVY,
	.commit = write_post_vcard,
};

const RfsKind table_k_directory = {
	TABLE_DIR("directory", list_directory),
	.group = RFS_GROUP_MEDIUM,
	.endpoint = API_V1 "/account/{a}/directory/entries", /* else DIRECTORY_LEGACY */
	.fetch = fetch_directory,
};
