/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * people/: one folder per person the extension talks to, made from the
 * listings of its parts, with no request of its own.
 *
 *   people/<person>/                         a contact's name, else the number
 *   people/<person>/<inv>_<time>_<what>      → ../../<the file or folder>
 *
 * A person is an address-book contact (all its numbers, compared in E.164)
 * or a number no contact has. Their calls (call log), voicemails, faxes and
 * SMS conversation are symbolic links into the extension's own folders,
 * named so that ls lists the newest first: <inv> is 9999999999 minus the
 * Unix time, then the time as in the folders' names. The contact's card is
 * contact.vcf. Links are made when a person's folder is listed, from the
 * nodes the parts' listings made: people/ holds one node per person.
 */
#include "table-private.h"
#include "send.h"
#include "render.h"

#include <errno.h>
#include <string.h>

#define INVERTED_FROM 9999999999LL

/* One thing a person has: a link @name (without the inverted time) to @target. */
typedef void (*PeopleVisit)(const char *person, const char *display, time_t when, const char *what,
			    const char *target, gpointer user);

typedef struct {
	RfsTree *tree;
	GHashTable *numbers; /* E.164 → contact key "c:<id>" */
	GHashTable *names;   /* contact key → display name */
	GHashTable *cards;   /* contact key → the .vcf's name */
	PeopleVisit visit;
	gpointer user;
} Walk;

/* "2026-11-20_10-03-11…" → its Unix time, or 0. */
static time_t name_time(const char *name)
{
	int y, mo, d, h, mi, s;

	if (strlen(name) < 19 ||
	    sscanf(name, "%4d-%2d-%2d_%2d-%2d-%2d", &y, &mo, &d, &h, &mi, &s) != 6)
		return 0;
	g_autoptr(GDateTime) dt = g_date_time_new_utc(y, mo, d, h, mi, s);
	return dt ? (time_t)g_date_time_to_unix(dt) : 0;
}

/* A folder of @from's tree by path, listed (its listing costs what it costs anyway). */
static RfsNode *part(RfsTree *tree, RfsNode *from, const char *const *path, GError **error)
{
	RfsNode *node = from;

	for (; *path && node; path++)
		node = tree_lookup(tree, node, *path, error);
	if (node && !tree_refresh(tree, node, error))
		return NULL;
	return node;
}

/* A part the server refuses to this user is left out; other failures fail the folder. */
static gboolean part_missing(GError **error)
{
	if (*error && ((*error)->code == EACCES || (*error)->code == ENOENT)) {
		g_clear_error(error);
		return TRUE;
	}
	return FALSE;
}

/* The person @peer (as a name shows it) is: a contact's key, else "n:<number>". */
static char *person_of(Walk *w, const char *peer, const char **display)
{
	g_autofree char *e164 = send_e164(peer, tree_calling_code(w->tree));
	const char *contact = e164 ? g_hash_table_lookup(w->numbers, e164) : NULL;

	if (contact) {
		*display = g_hash_table_lookup(w->names, contact);
		return g_strdup(contact);
	}
	char *key = g_strconcat("n:", e164 ? e164 : peer, NULL);
	*display = key + 2;
	return key;
}

static void learn_contacts(Walk *w, GPtrArray *children)
{
	for (guint i = 0; i < children->len; i++) {
		RfsNode *node = children->pdata[i];
		if (node->kind != &table_k_contact || !g_str_has_suffix(node->name, ".json"))
			continue;
		g_autoptr(GBytes) bytes = tree_dup_content(w->tree, node);
		g_autoptr(json_t) contact =
			json_loadb(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), 0, NULL);
		g_autofree char *id = render_id(json_object_get(contact, "id"));
		if (!id)
			continue;
		char *key = g_strconcat("c:", id, NULL);
		/* "<name>_<id>.json": the name is what the contacts folder shows */
		gsize stem = strlen(node->name) - strlen(".json");
		const char *sep = g_strrstr_len(node->name, (gssize)stem, "_");
		g_hash_table_insert(w->names, key,
				    g_strndup(node->name, sep ? (gsize)(sep - node->name) : stem));
		g_hash_table_insert(w->cards, g_strdup(key),
				    g_strdup_printf("%.*s.vcf", (int)stem, node->name));
		const char *member;
		json_t *value;
		json_object_foreach (contact, member, value) {
			if (!json_is_string(value) || !(g_str_has_suffix(member, "Phone") ||
							g_str_has_suffix(member, "Phone2")))
				continue;
			char *e164 =
				send_e164(json_string_value(value), tree_calling_code(w->tree));
			if (e164 && !g_hash_table_contains(w->numbers, e164))
				g_hash_table_insert(w->numbers, e164, g_strdup(key));
			else
				g_free(e164);
		}
	}
}

static void visit(Walk *w, const char *peer, time_t when, const char *what, const char *target)
{
	const char *display = NULL;
	g_autofree char *person = person_of(w, peer, &display);

	w->visit(person, display, when, what, target, w->user);
}

/*
 * "<time>_<peer>_<id>.<ext>" (voicemail, fax: numeric ids) → the peer, or
 * NULL. With @direction, "<time>_<in|out>_<peer>_<id>.json" (calls, whose
 * ids may hold '_'; a peer is a number, or a name whose '_' stood for what a
 * name cannot hold): the peer ends at the next '_'. (transfer full)
 */
static char *peer_of_name(const char *name, gboolean direction)
{
	const char *p = name + 20;
	const char *end;

	if (strlen(name) < 21 || name[19] != '_')
		return NULL;
	if (direction) {
		const char *u = strchr(p, '_');
		if (!u)
			return NULL;
		p = u + 1;
		end = strchr(p, '_');
	} else {
		const char *dot = strchr(p, '.');
		end = g_strrstr_len(p, dot ? dot - p : -1, "_");
	}
	return end ? g_strndup(p, (gsize)(end - p)) : NULL;
}

/* voicemail/ and fax/: their audio and documents (a message without one is left out) */
static void walk_messages(Walk *w, RfsNode *dir, const char *folder, const char *what)
{
	GPtrArray *children = tree_children(w->tree, dir);

	for (guint i = 0; i < children->len; i++) {
		RfsNode *node = children->pdata[i];
		if (node->kind != &table_k_message_attachment ||
		    g_str_has_suffix(node->name, ".transcript.txt"))
			continue;
		g_autofree char *peer = peer_of_name(node->name, FALSE);
		const char *ext = strrchr(node->name, '.');
		if (!peer)
			continue;
		g_autofree char *kind = g_strconcat(what, ext, NULL);
		g_autofree char *target =
			g_strdup_printf("../../messages/%s/%s", folder, node->name);
		visit(w, peer, name_time(node->name), kind, target);
	}
	tree_children_release(w->tree, children);
}

static void walk_sms(Walk *w, RfsNode *dir)
{
	GPtrArray *children = tree_children(w->tree, dir);

	for (guint i = 0; i < children->len; i++) {
		RfsNode *node = children->pdata[i];
		struct stat st;
		if (node->kind != &table_k_sms_conversation)
			continue;
		tree_stat(w->tree, node, &st); /* its newest message's time */
		g_autofree char *target = g_strdup_printf("../../messages/sms/%s", node->name);
		visit(w, node->name, st.st_mtime, "sms", target);
	}
	tree_children_release(w->tree, children);
}

static void walk_calls(Walk *w, RfsNode *dir)
{
	GPtrArray *days = tree_children(w->tree, dir);

	for (guint d = 0; d < days->len; d++) {
		RfsNode *day = days->pdata[d];
		if (day->kind != &table_k_call_log_day)
			continue;
		GPtrArray *calls = tree_children(w->tree, day);
		for (guint i = 0; i < calls->len; i++) {
			RfsNode *node = calls->pdata[i];
			g_autofree char *peer = peer_of_name(node->name, TRUE);
			if (!peer || node->kind->type != RFS_NODE_FILE)
				continue;
			const char *what = strncmp(node->name + 20, "out_", 4) == 0
						   ? "call-out.json"
						   : "call-in.json";
			g_autofree char *target =
				g_strdup_printf("../../call-log/%s/%s", day->name, node->name);
			visit(w, peer, name_time(node->name), what, target);
		}
		tree_children_release(w->tree, calls);
	}
	tree_children_release(w->tree, days);
}

/* Everything the extension @ext has from anyone, to @fn. */
static gboolean walk(RfsTree *tree, RfsNode *ext, PeopleVisit fn, gpointer user, Walk *w,
		     GError **error)
{
	static const char *const contacts[] = { "contacts", NULL };
	static const char *const voicemail[] = { "messages", "voicemail", NULL };
	static const char *const fax[] = { "messages", "fax", NULL };
	static const char *const sms[] = { "messages", "sms", NULL };
	static const char *const calls[] = { "call-log", NULL };
	RfsNode *dir;

	*w = (Walk){ tree,
		     g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		     g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		     g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		     fn,
		     user };
	if ((dir = part(tree, ext, contacts, error))) {
		GPtrArray *children = tree_children(tree, dir);
		learn_contacts(w, children);
		tree_children_release(tree, children);
	} else if (!part_missing(error))
		return FALSE;
	if ((dir = part(tree, ext, voicemail, error)))
		walk_messages(w, dir, "voicemail", "voicemail");
	else if (!part_missing(error))
		return FALSE;
	if ((dir = part(tree, ext, fax, error)))
		walk_messages(w, dir, "fax", "fax");
	else if (!part_missing(error))
		return FALSE;
	if ((dir = part(tree, ext, sms, error)))
		walk_sms(w, dir);
	else if (!part_missing(error))
		return FALSE;
	if ((dir = part(tree, ext, calls, error)))
		walk_calls(w, dir);
	else if (!part_missing(error))
		return FALSE;
	return TRUE;
}

static void walk_clear(Walk *w)
{
	g_clear_pointer(&w->numbers, g_hash_table_unref);
	g_clear_pointer(&w->names, g_hash_table_unref);
	g_clear_pointer(&w->cards, g_hash_table_unref);
}

/* ---- people/ ------------------------------------------------------------------ */

typedef struct {
	GPtrArray *entries;
	GHashTable *people; /* person key → RfsEntry* */
	GHashTable *taken;  /* folder names given */
} PeopleListing;

static void person_seen(const char *person, const char *display, time_t when, const char *what,
			const char *target, gpointer user)
{
	PeopleListing *pl = user;
	RfsEntry *entry = g_hash_table_lookup(pl->people, person);

	if (!entry) {
		g_autofree char *piece = render_safe_piece(display, 120);
		g_autofree char *name = g_strdup(piece);
		if (g_hash_table_contains(pl->taken, name)) {
			/* two contacts of one name: the later one with its id */
			g_free(name);
			name = g_strdup_printf("%s_%s", piece, person + 2);
		}
		entry = table_add(pl->entries, &table_k_person, name);
		entry->key = g_strdup(person);
		g_hash_table_add(pl->taken, g_strdup(name));
		g_hash_table_insert(pl->people, g_strdup(person), entry);
	}
	entry->mtime = MAX(entry->mtime, when);
}

/* The extension folder above @dir (people/ or a person's folder). */
static RfsNode *extension_of(RfsNode *dir)
{
	return dir->kind == &table_k_person ? dir->parent->parent : dir->parent;
}

static gboolean list_people(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autoptr(GHashTable) people = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	PeopleListing pl = { entries, people, taken };
	Walk w;

	gboolean ok = walk(tree, extension_of(dir), person_seen, &pl, &w, error);
	walk_clear(&w);
	return ok;
}

/* ---- people/<person>/ ----------------------------------------------------------- */

typedef struct {
	const char *person;
	GPtrArray *entries;
	GHashTable *taken;
} PersonListing;

static void thing_seen(const char *person, const char *display, time_t when, const char *what,
		       const char *target, gpointer user)
{
	PersonListing *pl = user;

	if (strcmp(person, pl->person) != 0)
		return;
	g_autofree char *stamp = render_time_name(when);
	g_autofree char *name =
		g_strdup_printf("%010lld_%s_%s", INVERTED_FROM - (long long)when, stamp, what);
	for (int n = 2; g_hash_table_contains(pl->taken, name) && n < 1000; n++) {
		/* two at one second: the later one numbered, keeping its extension */
		const char *dot = strrchr(what, '.');
		g_free(name);
		name = g_strdup_printf("%010lld_%s_%.*s_%d%s", INVERTED_FROM - (long long)when,
				       stamp, (int)(dot ? dot - what : (long)strlen(what)), what, n,
				       dot ? dot : "");
	}
	RfsEntry *entry = table_add(pl->entries, &table_k_link, name);
	entry->target = g_strdup(target);
	entry->mtime = when;
	g_hash_table_add(pl->taken, g_strdup(name));
}

static gboolean list_person(RfsTree *tree, RfsNode *dir, GPtrArray *entries, GError **error)
{
	g_autoptr(GHashTable) taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	PersonListing pl = { node_key(dir), entries, taken };
	Walk w;

	if (!node_key(dir)) {
		g_set_error(error, RFS_ERROR, ENOENT, "no such person");
		return FALSE;
	}
	if (!walk(tree, extension_of(dir), thing_seen, &pl, &w, error)) {
		walk_clear(&w);
		return FALSE;
	}
	const char *card = g_hash_table_lookup(w.cards, node_key(dir));
	if (card) {
		RfsEntry *entry = table_add(entries, &table_k_link, "contact.vcf");
		entry->target = g_strdup_printf("../../contacts/%s", card);
	}
	walk_clear(&w);
	return TRUE;
}

/* ---- the rows ------------------------------------------------------------------- */

const RfsKind table_k_people = { TABLE_DIR("people", list_people), .group = RFS_GROUP_NONE };
const RfsKind table_k_person = { TABLE_DIR("person", list_person), .group = RFS_GROUP_NONE };
