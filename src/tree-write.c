/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes on the tree: new files, commits, removals and renames.
 *
 * Three kinds of writable file (the table says which): documents, sent with
 * PUT; new entries of a collection, sent with POST; and actions (outboxes),
 * sent with POST once in their life. Names the API cannot hold (editor swap,
 * backup and temporary files) become scratch files that live only here;
 * renaming one over a real file is a save. A file the user made stays under
 * the name the user gave it until it is sent and the listing is refreshed.
 *
 * After any successful write every listing and document is refreshed at its
 * next use (the write epoch), so the next ls or cat shows the server's state.
 */
#include "tree-private.h"

#include <errno.h>
#include <string.h>

void tree_invalidate(RfsTree *tree, RfsNode *dir)
{
	g_mutex_lock(&tree->lock);
	dir->loaded_at = 0;
	g_mutex_unlock(&tree->lock);
	/* something was written (an xattr set, a touch): what was fetched before is old */
	tree_forget_documents(tree);
}

void tree_file_changed(RfsTree *tree, RfsNode *file)
{
	g_autoptr(GArray) inos = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));

	g_array_append_val(inos, file->ino);
	tree_invalidate(tree, file);
	tree_notify_changed(tree, inos);
}

/* Every listing and document is stale from now on. */
static void bump_epoch(RfsTree *tree)
{
	g_mutex_lock(&tree->lock);
	tree->epoch++;
	g_mutex_unlock(&tree->lock);
}

static RfsNode *child(RfsTree *tree, RfsNode *dir, const char *name)
{
	RfsNode *node;

	g_mutex_lock(&tree->lock);
	node = tree_child_locked(dir, name);
	g_mutex_unlock(&tree->lock);
	return node;
}

/* Takes @node out of its directory. Called with tree->lock held. */
static void unlink_locked(RfsTree *tree, RfsNode *node)
{
	RfsNode *dir = node->parent;

	tree_child_drop_locked(dir, node);
	g_ptr_array_remove(dir->order, node);
	tree_detach_locked(tree, node);
}

/* A new local file @name in @dir holding @content. */
static RfsNode *add_local(RfsTree *tree, RfsNode *dir, const char *name, const RfsKind *kind,
			  GBytes *content)
{
	g_autoptr(RfsEntry) entry = node_entry_new(name, kind);
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));
	RfsNode *node;

	entry->mtime = time(NULL);
	g_mutex_lock(&tree->lock);
	RfsNode *old = tree_child_locked(dir, name);
	if (old)
		unlink_locked(tree, old);
	node = tree_node_new_locked(tree, dir, entry);
	node->local = TRUE;
	tree_set_content_locked(tree, node, content, changed);
	tree_child_put_locked(dir, node);
	g_ptr_array_add(dir->order, node);
	g_mutex_unlock(&tree->lock);
	return node;
}

/* An outbox file whose message went out: its name is free for the next message. */
static gboolean is_spent(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	gboolean spent = node->kind->sends_once && !node->kind->keep_after_send &&
			 (node->committed || node->detached);
	g_mutex_unlock(&tree->lock);
	return spent;
}

RfsNode *tree_writable_version(RfsTree *tree, RfsNode *node, GError **error)
{
	if (!is_spent(tree, node))
		return node;
	return tree_create(tree, node->parent, node->name, error);
}

RfsNode *tree_create(RfsTree *tree, RfsNode *dir, const char *name, GError **error)
{
	const RfsKind *kind = NULL;
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	RfsNode *existing;

	if (!tree_is_writable(dir)) {
		g_set_error(error, RFS_ERROR, EACCES, "nothing can be created here");
		return NULL;
	}
	if (!tree_refresh(tree, dir, error))
		return NULL;
	g_mutex_lock(&tree->lock);
	gboolean gone = dir->detached;
	g_mutex_unlock(&tree->lock);
	if (gone) {
		g_set_error(error, RFS_ERROR, ENOENT, "this folder is gone");
		return NULL;
	}
	existing = child(tree, dir, name);
	if (existing && !is_spent(tree, existing))
		return existing; /* editors re-create the file they just renamed away */
	if (tree->rules->is_scratch_name(name))
		kind = tree->rules->scratch;
	else if (dir->kind->takes_name && !dir->kind->takes_name(tree, dir, name, error))
		return NULL;
	else if (dir->kind->create)
		kind = dir->kind->create(tree, dir, name);
	if (!kind) {
		g_set_error(error, RFS_ERROR, dir->kind->create ? EINVAL : EACCES,
			    "%s cannot be created here", name);
		return NULL;
	}
	return add_local(tree, dir, name, kind, empty);
}

/* Files sent once and then gone (outboxes, uploads): while empty, a draft. */
static gboolean is_draft_kind(const RfsKind *kind)
{
	return kind->sends_once && !kind->keep_after_send;
}

gboolean tree_commit(RfsTree *tree, RfsNode *node, GBytes *data, GError **error)
{
	g_autoptr(GBytes) now = NULL;
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));

	if (!node->kind->commit) {
		g_set_error(error, RFS_ERROR, EACCES, "read-only file");
		return FALSE;
	}
	g_mutex_lock(&tree->lock);
	gboolean gone = node->detached;
	gboolean created = node->local && node->committed && !node->kind->sends_once;
	g_mutex_unlock(&tree->lock);
	if (gone) {
		g_set_error(error, RFS_ERROR, ENOENT, "removed while open: nothing sent");
		return FALSE;
	}
	if (created) {
		g_set_error(error, RFS_ERROR, EALREADY,
			    "already created; edit it under the name the folder now shows");
		return FALSE;
	}
	if (is_draft_kind(node->kind) && g_bytes_get_size(data) == 0) {
		/* an emptied outbox file is a draft: nothing to send, and it stays */
		g_mutex_lock(&tree->lock);
		tree_set_content_locked(tree, node, data, changed);
		g_mutex_unlock(&tree->lock);
		tree_notify_changed(tree, changed);
		return TRUE;
	}
	if (node->kind->sends_once) {
		/* test and set at once: two descriptors flushing together send once */
		g_mutex_lock(&tree->lock);
		gboolean busy = node->sent || node->sending;
		node->sending = TRUE;
		g_mutex_unlock(&tree->lock);
		if (busy) {
			g_set_error(error, RFS_ERROR, EALREADY,
				    "already sent once; write the file anew to send again");
			return FALSE;
		}
	}
	gboolean ok = node->kind->commit(tree, node, data, &now, error);
	if (node->kind->sends_once) {
		g_mutex_lock(&tree->lock);
		node->sending = FALSE;
		g_mutex_unlock(&tree->lock);
	}
	if (!ok) {
		/* a file only here keeps what the user wrote; a server's keeps the server's */
		g_mutex_lock(&tree->lock);
		if (node->local && !node->committed)
			tree_set_content_locked(tree, node, data, changed);
		g_mutex_unlock(&tree->lock);
		tree_notify_changed(tree, changed);
		return FALSE;
	}

	struct timespec when = { 0, 0 };
	if (node->kind->content == RFS_CONTENT_DOCUMENT && now)
		tree_document_time(tree, node, now, &when); /* the server's new document */
	g_mutex_lock(&tree->lock);
	if (node->kind->content == RFS_CONTENT_VIEW)
		g_array_append_val(changed, node->ino); /* made from its folder: nothing kept */
	else
		tree_set_content_locked(tree, node, now ? now : data, changed);
	if (when.tv_sec) {
		node->mtime = when;
		tree_entry_time_locked(node->parent, &when);
	}
	node->loaded_at = g_get_monotonic_time();
	node->epoch = tree->epoch + (node->kind != tree->rules->scratch);
	if (node->rare)
		g_clear_pointer(&node->rare->error, g_free);
	if (node->local && node->kind != tree->rules->scratch && !node->kind->keep_after_send)
		node->committed = TRUE;
	g_mutex_unlock(&tree->lock);
	if (node->kind != tree->rules->scratch)
		bump_epoch(tree);
	tree_notify_changed(tree, changed);
	return TRUE;
}

void tree_mark_sent(RfsTree *tree, RfsNode *node, gboolean sent)
{
	g_mutex_lock(&tree->lock);
	node->sent = sent;
	g_mutex_unlock(&tree->lock);
}

/*
 * The files of one record go together: @node's siblings with the same key
 * leave the listing but stay reachable by name (a shell expanded them before
 * rm began), and unlinking one of them later costs no request.
 * Called with tree->lock held.
 */
static void bury_siblings_locked(RfsNode *node)
{
	RfsNode *dir = node->parent;
	GPtrArray *keep = g_ptr_array_sized_new(dir->order->len);

	for (guint i = 0; i < dir->order->len; i++) {
		RfsNode *other = dir->order->pdata[i];
		if (other != node && other->kind->shares_record &&
		    g_strcmp0(node_key(other), node_key(node)) == 0) {
			other->buried = TRUE;
			tree_rare_locked(other)->buried_at = g_get_monotonic_time();
		} else {
			g_ptr_array_add(keep, other);
		}
	}
	g_ptr_array_unref(dir->order);
	dir->order = keep;
}

/*
 * Removes the record behind @node exactly once, however many of its files
 * are removed, in whatever order and from however many threads: RingCentral
 * purges a message for good when it is deleted a second time.
 */
static gboolean remove_record(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *key = tree_record_key(node->kind, node_key(node));

	g_mutex_lock(&tree->lock);
	gpointer state;
	while ((state = g_hash_table_lookup(tree->removed, key)) == RECORD_REMOVING)
		g_cond_wait(&tree->removed_cond, &tree->lock);
	if (state == RECORD_REMOVED) {
		bury_siblings_locked(node);
		g_mutex_unlock(&tree->lock);
		return TRUE;
	}
	g_hash_table_insert(tree->removed, g_strdup(key), RECORD_REMOVING);
	g_mutex_unlock(&tree->lock);

	gboolean ok = node->kind->remove(tree, node, error);

	g_mutex_lock(&tree->lock);
	if (ok) {
		g_hash_table_insert(tree->removed, g_strdup(key), RECORD_REMOVED);
		bury_siblings_locked(node);
	} else {
		g_hash_table_remove(tree->removed, key);
	}
	g_cond_broadcast(&tree->removed_cond);
	g_mutex_unlock(&tree->lock);
	return ok;
}

/* A directory that shows nothing any more (its files were removed one by one). */
static gboolean dir_is_empty(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	gboolean empty = node->kind->type == RFS_NODE_DIR && node->loaded_at != 0 &&
			 tree_only_views_locked(node);
	g_mutex_unlock(&tree->lock);
	return empty;
}

gboolean tree_remove(RfsTree *tree, RfsNode *dir, const char *name, GError **error)
{
	RfsNode *node = child(tree, dir, name);

	if (!node) {
		g_set_error(error, RFS_ERROR, ENOENT, "no such entry");
		return FALSE;
	}
	g_mutex_lock(&tree->lock);
	gboolean only_here = node->local && !node->committed &&
			     (!node->sent || !node->kind->remove); /* a failed outbox file too */
	gboolean view = node->kind->content == RFS_CONTENT_VIEW;
	gboolean view_alone = view && tree_only_views_locked(dir);
	g_mutex_unlock(&tree->lock);
	if (view && !view_alone) {
		/* made from the folder's messages: it goes with them (rm -r), not alone */
		g_set_error(error, RFS_ERROR, EPERM,
			    "%s shows the messages of its folder: remove them, or the folder",
			    name);
		return FALSE;
	}
	if (!only_here && !view && !node->kind->remove) {
		g_set_error(error, RFS_ERROR, EACCES, "%s cannot be deleted", name);
		return FALSE;
	}
	if (only_here || view || dir_is_empty(tree, node)) {
		/* nothing on the server to remove (an emptied conversation: rm -r) */
	} else if (node->kind->shares_record && node_key(node)) {
		if (!remove_record(tree, node, error))
			return FALSE;
	} else {
		if (!node->kind->remove(tree, node, error))
			return FALSE;
		bump_epoch(tree);
	}
	g_mutex_lock(&tree->lock);
	unlink_locked(tree, node);
	if (node->local && node->content) {
		/* removed: the bytes the user wrote go now (open handles hold their own) */
		tree->content_bytes -= tree_kept_size(node);
		g_bytes_unref(node->content);
		node->content = NULL;
		node->bytes_at = node->bytes_size = 0;
		node->size = 0;
	}
	g_mutex_unlock(&tree->lock);
	tree_set_journal(tree, node, NULL); /* the user has seen to it */
	return TRUE;
}

static const RfsXattr *find_xattr(RfsNode *node, const char *name)
{
	for (const RfsXattr *x = node->kind->xattrs; x && x->name; x++)
		if (strcmp(x->name, name) == 0)
			return x;
	return NULL;
}

char *tree_get_xattr(RfsTree *tree, RfsNode *node, const char *name, GError **error)
{
	const RfsXattr *x = find_xattr(node, name);

	if (!x || !x->get) {
		g_set_error(error, RFS_ERROR, ENODATA, "no attribute %s", name);
		return NULL;
	}
	return x->get(tree, node, error);
}

gboolean tree_set_xattr(RfsTree *tree, RfsNode *node, const char *name, const char *value,
			GError **error)
{
	const RfsXattr *x = find_xattr(node, name);
	g_autofree char *trimmed = g_strstrip(g_strdup(value));

	if (!x || !x->set) {
		g_set_error(error, RFS_ERROR, ENOTSUP, "%s cannot be set here", name);
		return FALSE;
	}
	if (!x->set(tree, node, trimmed, error))
		return FALSE;
	if (x->stale == RFS_STALE_NODE) {
		tree_invalidate(tree, node);
	} else if (x->stale == RFS_STALE_FOLDER) {
		RfsNode *dir = node->parent;
		tree_invalidate(tree, dir->kind->parent_fills ? dir->parent : dir);
	}
	return TRUE;
}

void tree_xattr_names(RfsNode *node, GString *names)
{
	for (const RfsXattr *x = node->kind->xattrs; x && x->name; x++)
		if (x->get)
			g_string_append_len(names, x->name, (gssize)strlen(x->name) + 1);
}

gboolean tree_touch(RfsTree *tree, RfsNode *node, GError **error)
{
	if (!node->kind->touch)
		return TRUE; /* times are the server's: accepted and ignored (cp -p, touch) */
	if (!node->kind->touch(tree, node, error))
		return FALSE;
	tree_invalidate(tree, node);
	return TRUE;
}

void tree_set_journal(RfsTree *tree, RfsNode *node, const char *id)
{
	g_mutex_lock(&tree->lock);
	RfsNodeRare *rare = tree_rare_locked(node);
	char *old = rare->journal;
	rare->journal = g_strdup(id);
	g_mutex_unlock(&tree->lock);
	if (old && g_strcmp0(old, id) != 0)
		sendlog_end(tree->sendlog, old);
	g_free(old);
}

void tree_set_outcome(RfsTree *tree, RfsNode *node, const char *outcome)
{
	g_mutex_lock(&tree->lock);
	RfsNodeRare *rare = tree_rare_locked(node);
	g_free(rare->outcome);
	rare->outcome = g_strdup(outcome);
	g_mutex_unlock(&tree->lock);
}

gboolean tree_has_made(RfsTree *tree, RfsNode *node, const char *key)
{
	g_mutex_lock(&tree->lock);
	GHashTable *keys = TREE_RARE(node, made);
	gboolean made = keys && g_hash_table_contains(keys, key);
	g_mutex_unlock(&tree->lock);
	return made;
}

void tree_add_made(RfsTree *tree, RfsNode *node, const char *key)
{
	g_mutex_lock(&tree->lock);
	RfsNodeRare *rare = tree_rare_locked(node);
	if (!rare->made)
		rare->made = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_add(rare->made, g_strdup(key));
	g_mutex_unlock(&tree->lock);
}

char *tree_dup_outcome(RfsTree *tree, RfsNode *node)
{
	g_mutex_lock(&tree->lock);
	char *outcome = g_strdup(TREE_RARE(node, outcome));
	if (!outcome && is_draft_kind(node->kind) && node->local && !node->sent && !node->sending &&
	    !node->committed && (!node->content || g_bytes_get_size(node->content) == 0))
		outcome = g_strdup("not sent: the file is empty (a draft); what is written into "
				   "it is sent once, at close");
	g_mutex_unlock(&tree->lock);
	return outcome;
}

RfsNode *tree_find_path(RfsTree *tree, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	RfsNode *node = tree_root(tree);

	for (int i = 0; node && parts[i]; i++) {
		if (*parts[i])
			node = tree_lookup(tree, node, parts[i], NULL);
	}
	return node;
}

void tree_add_recovered(RfsTree *tree, RfsNode *dir, const char *name, GBytes *content,
			const char *outcome, const char *journal)
{
	const RfsKind *kind = dir->kind->create ? dir->kind->create(tree, dir, name) : NULL;

	if (!kind)
		return;
	RfsNode *node = add_local(tree, dir, name, kind, content);
	tree_mark_sent(tree, node, TRUE);
	tree_set_outcome(tree, node, outcome);
	tree_set_journal(tree, node, journal);
}

gboolean tree_retire(RfsTree *tree, RfsNode *node)
{
	if (!node->kind->sends_once || node->kind->keep_after_send)
		return FALSE; /* only an outbox file leaves once sent */
	g_mutex_lock(&tree->lock);
	gboolean retire = node->committed && !node->detached;
	if (retire)
		unlink_locked(tree, node);
	g_mutex_unlock(&tree->lock);
	return retire;
}

/*
 * A local file under a new name. Names and parents of nodes never change
 * (other threads read them without a lock): the file becomes a new node, of
 * the kind its new folder gives that name, and the old one is detached.
 */
static gboolean move_local(RfsTree *tree, RfsNode *node, RfsNode *newdir, const char *newname,
			   GError **error)
{
	const RfsKind *kind = NULL;
	g_autoptr(GBytes) data = tree_dup_content(tree, node);

	if (tree->rules->is_scratch_name(newname))
		kind = tree->rules->scratch;
	else if (newdir->kind->takes_name &&
		 !newdir->kind->takes_name(tree, newdir, newname, error))
		return FALSE;
	else if (newdir->kind->create)
		kind = newdir->kind->create(tree, newdir, newname);
	if (!kind) {
		g_set_error(error, RFS_ERROR, EACCES, "%s cannot be created here", newname);
		return FALSE;
	}
	add_local(tree, newdir, newname, kind, data);
	g_mutex_lock(&tree->lock);
	unlink_locked(tree, node);
	g_mutex_unlock(&tree->lock);
	return TRUE;
}

/*
 * mv of a file whose kind moves records (a message out of deleted/): one
 * request, once for all the files of the record; they leave the folder, and
 * every listing is read again at its next use.
 */
static gboolean move_record(RfsTree *tree, RfsNode *src, RfsNode *newdir, GError **error)
{
	g_mutex_lock(&tree->lock);
	gboolean gone = src->buried; /* moved with a sibling: mv deleted/NAME.* */
	g_mutex_unlock(&tree->lock);
	if (!gone && !src->kind->move(tree, src, newdir, error))
		return FALSE;
	g_mutex_lock(&tree->lock);
	if (!gone)
		bury_siblings_locked(src);
	unlink_locked(tree, src);
	g_mutex_unlock(&tree->lock);
	bump_epoch(tree);
	return TRUE;
}

void tree_forget_removed(RfsTree *tree, const char *key)
{
	g_mutex_lock(&tree->lock);
	g_hash_table_remove(tree->removed, key);
	g_mutex_unlock(&tree->lock);
}

gboolean tree_rename(RfsTree *tree, RfsNode *dir, const char *name, RfsNode *newdir,
		     const char *newname, GError **error)
{
	RfsNode *src = child(tree, dir, name);
	RfsNode *dst;

	if (!src) {
		g_set_error(error, RFS_ERROR, ENOENT, "no such entry");
		return FALSE;
	}
	if (src->kind->move && !src->local && dir->kind->entries_removable &&
	    newdir->kind->entries_removable)
		return move_record(tree, src, newdir, error);
	if (newdir->kind->takes_removals && dir->kind->entries_removable &&
	    src->kind->shares_record && src->kind->remove && !src->local) {
		/* into deleted/ (gio trash): what rm of the file does, and nothing more */
		if (!tree_remove(tree, dir, name, error))
			return FALSE;
		/* the kernel now thinks @newname is this file: the listing says what it is */
		tree_notify_gone(tree, newdir->ino, newname);
		return TRUE;
	}
	if (!tree_is_writable(dir) || !tree_is_writable(newdir)) {
		g_set_error(error, RFS_ERROR, EACCES, "read-only directory");
		return FALSE;
	}
	dst = child(tree, newdir, newname);
	g_mutex_lock(&tree->lock);
	gboolean src_local = src->local && !src->committed;
	g_mutex_unlock(&tree->lock);
	gboolean src_scratch = src->kind == tree->rules->scratch;

	if (src_scratch && !tree->rules->is_scratch_name(newname)) {
		/* an editor's save: the temporary file's bytes become the file's */
		g_autoptr(GBytes) data = tree_dup_content(tree, src);
		if (!dst && !(dst = tree_create(tree, newdir, newname, error)))
			return FALSE;
		if (!tree_commit(tree, dst, data, error))
			return FALSE;
		g_mutex_lock(&tree->lock);
		unlink_locked(tree, src);
		g_mutex_unlock(&tree->lock);
		return TRUE;
	}
	if (src_local && (tree->rules->is_scratch_name(newname) || !dst))
		return move_local(tree, src, newdir, newname, error);
	if (tree->rules->is_scratch_name(newname)) {
		/* a backup copy (vim's file~): the original stays on the server */
		g_autoptr(GBytes) data = tree_dup_content(tree, src);
		add_local(tree, newdir, newname, tree->rules->scratch, data);
		return TRUE;
	}
	g_set_error(error, RFS_ERROR, EXDEV,
		    "server entries cannot be renamed (copy, then delete)");
	return FALSE;
}
