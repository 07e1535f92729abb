/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FUSE operations that change things. A file opened for writing is buffered
 * whole in its handle and committed at flush or fsync, so that the error of
 * the request comes back from close(); release commits nothing (its errors
 * reach nobody). A file that the user truncates or rewrites from the start
 * is a new version: an outbox file that failed to send may then be sent again.
 */
#include "fs-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#define MAX_WRITE (16 * 1024 * 1024) /* bytes one writable file may hold */

static Handle *new_writer(RfsFs *fs, RfsNode *node, gboolean truncate)
{
	Handle *h = g_new0(Handle, 1);
	g_autoptr(GBytes) now = truncate ? NULL : tree_dup_content(fs->tree, node);

	h->node = node;
	tree_ref(fs->tree, node);
	g_mutex_init(&h->lock);
	h->buf = g_byte_array_new();
	if (now)
		g_byte_array_append(h->buf, g_bytes_get_data(now, NULL),
				    (guint)g_bytes_get_size(now));
	/* a truncating open alone sends nothing (shells open, dup and close before
	 * writing); it does make a failed outbox file sendable again */
	if (truncate)
		tree_mark_sent(fs->tree, node, FALSE);
	return h;
}

void fs_release_writer(RfsFs *fs, Handle *h)
{
	if (h->dirty) {
		g_autoptr(GError) error = NULL;
		gsize from = h->node->kind->appends ? MIN(h->base, h->buf->len) : 0;
		g_autoptr(GBytes) data = g_bytes_new(h->buf->data + from, h->buf->len - from);
		h->dirty = FALSE;
		if (!tree_commit(fs->tree, h->node, data, &error))
			tree_note_error(fs->tree, h->node, "release", error);
	}
	if (tree_retire(fs->tree, h->node))
		fs_forget_name(fs,
			       h->node); /* sent: the outbox forgets it, and so does the kernel */
}

static void set_opener(fuse_req_t req, Handle *h)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	h->opener = ctx ? ctx->pid : 0;
}

void fs_open_for_write(fuse_req_t req, RfsNode *node, struct fuse_file_info *fi)
{
	RfsFs *fs = fs_of(req);
	g_autoptr(GError) error = NULL;
	gboolean truncate = (fi->flags & O_TRUNC) != 0;

	if (!fs_may_change(req))
		return;
	if (!tree_is_writable(node)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	if (truncate && node->kind->appends) {
		/* a conversation takes new messages at its end; what was said stays */
		g_set_error(&error, RFS_ERROR, EPERM,
			    "this file takes appends only (>>): nothing sent");
		fs_reply_error(req, node, "open", error);
		return;
	}
	/* the kernel may still hold the name of an outbox file just sent: a new message */
	node = tree_writable_version(fs->tree, node, &error);
	if (!node) {
		fs_reply_error(req, NULL, "open", error);
		return;
	}
	/* an edit starts from what the server says now */
	if (!truncate && !tree_refresh(fs->tree, node, &error)) {
		fs_reply_error(req, node, "open", error);
		return;
	}
	Handle *h = new_writer(fs, node, truncate);
	set_opener(req, h);
	if (node->kind->appends) {
		h->base = h->buf->len;
		h->append = (fi->flags & O_APPEND) != 0;
	}
	fi->fh = (uintptr_t)h;
	fi->direct_io = 1; /* reads in this open see the buffer, not the page cache */
	if (fuse_reply_open(req, fi) != 0) {
		fs_release_writer(fs, h);
		fs_handle_free(fs, h);
	}
}

void fs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
	       struct fuse_file_info *fi)
{
	RfsFs *fs = fs_of(req);
	RfsNode *dir = tree_get(fs->tree, parent);
	g_autoptr(GError) error = NULL;
	struct fuse_entry_param e;
	RfsNode *node;

	if (!fs_may_change(req))
		return;
	node = tree_create(fs->tree, dir, name, &error);
	if (!node) {
		fs_reply_error(req, dir, "create", error);
		return;
	}
	if (!tree_is_writable(node)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	Handle *h = new_writer(fs, node, TRUE);
	set_opener(req, h);
	h->dirty = node->kind->send_on_create;
	fi->fh = (uintptr_t)h;
	fi->direct_io = 1;
	fs_fill_entry(fs, node, &e);
	tree_remember(fs->tree, node);
	if (fuse_reply_create(req, &e, fi) != 0) {
		tree_forget(fs->tree, node->ino, 1);
		fs_release_writer(fs, h);
		fs_handle_free(fs, h);
	}
}

void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
	      struct fuse_file_info *fi)
{
	Handle *h = (Handle *)fi->fh;

	if (!fs_may_change(req))
		return;
	if (!h->buf) {
		fuse_reply_err(req, EBADF);
		return;
	}
	if (off < 0 || (guint64)off + size > MAX_WRITE) {
		fuse_reply_err(req, EFBIG);
		return;
	}
	g_mutex_lock(&h->lock);
	if (h->node->kind->appends) {
		/*
		 * O_APPEND: at the end, wherever the kernel thinks that is (its size
		 * may be older than the bytes held: a message came in since). Others
		 * may not change what the file held when opened.
		 */
		if (h->append)
			off = (off_t)h->buf->len;
		if ((gsize)off < h->base) {
			g_mutex_unlock(&h->lock);
			fuse_reply_err(req, EPERM);
			return;
		}
	}
	if ((gsize)off + size > h->buf->len) {
		guint old = h->buf->len;
		g_byte_array_set_size(h->buf, (guint)(off + size));
		memset(h->buf->data + old, 0, h->buf->len - old); /* a hole reads as zeros */
	}
	memcpy(h->buf->data + off, buf, size);
	h->dirty = TRUE;
	g_mutex_unlock(&h->lock);
	fuse_reply_write(req, size);
}

/* Sends what the handle holds, once per change. */
static void commit(fuse_req_t req, Handle *h, const char *op)
{
	RfsFs *fs = fs_of(req);
	g_autoptr(GError) error = NULL;

	if (!h->buf) {
		fuse_reply_err(req, 0);
		return;
	}
	g_mutex_lock(&h->lock);
	gboolean dirty = h->dirty;
	h->dirty = FALSE; /* one attempt per change: a later close does not send it again */
	/* appends-only files: the commit is what was appended, once */
	gsize from = h->node->kind->appends ? MIN(h->base, h->buf->len) : 0;
	g_autoptr(GBytes) data = g_bytes_new(h->buf->data + from, h->buf->len - from);
	if (h->node->kind->appends)
		h->base = h->buf->len;
	g_mutex_unlock(&h->lock);
	if (!dirty) {
		fuse_reply_err(req, 0);
		return;
	}
	if (!tree_commit(fs->tree, h->node, data, &error)) {
		fs_reply_error(req, h->node, op, error);
		return;
	}
	/*
	 * The file now holds the server's answer, whose size is not what was
	 * written: the kernel must forget its size and pages before close returns.
	 * It holds no lock of this inode while it waits for FLUSH or FSYNC.
	 */
	g_autoptr(GBytes) now = tree_dup_content(fs->tree, h->node);
	g_mutex_lock(&h->lock);
	g_byte_array_set_size(h->buf, 0);
	g_byte_array_append(h->buf, g_bytes_get_data(now, NULL), (guint)g_bytes_get_size(now));
	h->base = h->buf->len;
	g_mutex_unlock(&h->lock);
	if (fs->se)
		fuse_lowlevel_notify_inval_inode(fs->se, h->node->ino, 0, 0);
	fuse_reply_err(req, 0);
}

void fs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	Handle *h = (Handle *)fi->fh;
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	/* a forked child closing its copy (a shell's { a; b; } > file): not yet */
	if (h->buf && ctx && h->opener && ctx->pid != h->opener) {
		fuse_reply_err(req, 0);
		return;
	}
	commit(req, h, "close");
}

void fs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	commit(req, (Handle *)fi->fh, "fsync");
}

void fs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		struct fuse_file_info *fi)
{
	RfsFs *fs = fs_of(req);
	RfsNode *node = tree_get(fs->tree, ino);
	struct stat st;

	if (!fs_may_change(req))
		return;
	if (!tree_is_writable(node)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	Handle *h = fi ? (Handle *)fi->fh : NULL;
	if ((to_set & FUSE_SET_ATTR_SIZE) && node->kind->appends) {
		/* appends only: a size other than what the file holds would cut or pad it */
		gsize held;
		if (h && h->buf) {
			g_mutex_lock(&h->lock);
			held = h->buf->len;
			g_mutex_unlock(&h->lock);
		} else {
			fs_stat(fs, node, &st);
			held = (gsize)st.st_size;
		}
		if ((gsize)attr->st_size != held) {
			fuse_reply_err(req, EPERM);
			return;
		}
		to_set &= ~FUSE_SET_ATTR_SIZE;
	}
	if (to_set & FUSE_SET_ATTR_SIZE) {
		if (!h || !h->buf) {
			/* truncate(1) without an open file: only to what it is already */
			fs_stat(fs, node, &st);
			if (attr->st_size != st.st_size) {
				fuse_reply_err(req, EINVAL);
				return;
			}
		} else {
			if (attr->st_size < 0 || attr->st_size > MAX_WRITE) {
				fuse_reply_err(req, EFBIG);
				return;
			}
			g_mutex_lock(&h->lock);
			guint old = h->buf->len;
			g_byte_array_set_size(h->buf, (guint)attr->st_size);
			if (h->buf->len > old)
				memset(h->buf->data + old, 0, h->buf->len - old);
			h->dirty = TRUE;
			g_mutex_unlock(&h->lock);
			if (attr->st_size == 0)
				tree_mark_sent(fs->tree, node, FALSE);
		}
	}
	if (to_set & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW)) {
		g_autoptr(GError) error = NULL;
		if (!tree_touch(fs->tree, node, &error)) {
			fs_reply_error(req, node, "touch", error);
			return;
		}
	}
	/* modes, owners and times are the server's: accepted and ignored (cp -p, touch) */
	fs_stat(fs, node, &st);
	if (h && h->buf) {
		g_mutex_lock(&h->lock);
		st.st_size = h->buf->len;
		g_mutex_unlock(&h->lock);
	}
	fuse_reply_attr(req, &st, fs->config->attr_timeout);
}

void fs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	RfsFs *fs = fs_of(req);
	RfsNode *dir = tree_get(fs->tree, parent);
	g_autoptr(GError) error = NULL;

	if (!fs_may_change(req))
		return;
	if (!tree_remove(fs->tree, dir, name, &error))
		fs_reply_error(req, dir, "unlink", error);
	else
		fuse_reply_err(req, 0);
}

void fs_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
	       const char *newname, unsigned int flags)
{
	RfsFs *fs = fs_of(req);
	RfsNode *dir = tree_get(fs->tree, parent);
	RfsNode *newdir = tree_get(fs->tree, newparent);
	g_autoptr(GError) error = NULL;

	if (!fs_may_change(req))
		return;
	if (flags) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (!tree_rename(fs->tree, dir, name, newdir, newname, &error))
		fs_reply_error(req, dir, "rename", error);
	else
		fuse_reply_err(req, 0);
}

void fs_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value, size_t size,
		 int flags)
{
	RfsFs *fs = fs_of(req);
	RfsNode *node = tree_get(fs->tree, ino);
	g_autoptr(GError) error = NULL;
	g_autofree char *text = g_strndup(value, size);

	if (!fs_may_change(req))
		return;
	if (!tree_set_xattr(fs->tree, node, name, text, &error)) {
		if (error->code == ENOTSUP)
			fuse_reply_err(req, ENOTSUP); /* ACLs and others: nothing to keep them in */
		else
			fs_reply_error(req, node, "setxattr", error);
		return;
	}
	fuse_reply_err(req, 0);
}
