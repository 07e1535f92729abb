/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FUSE low-level operations. Each handler resolves its node, asks the tree,
 * and replies; errors go through reply_error(), which keeps them readable in
 * the user.ringfs.error xattr.
 *
 * Kernel caching: entries and attributes live entry_timeout/attr_timeout
 * (never 0). Media open once their exact size is known (the kernel's
 * estimate is invalidated before open returns); while their content is
 * still arriving they are read with direct_io, each read waiting for its own
 * bytes, and once complete they keep the page cache across opens.
 */
#include "fs-private.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

RfsFs *fs_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

void fs_reply_error(fuse_req_t req, RfsNode *node, const char *op, const GError *err)
{
	RfsFs *fs = fs_of(req);

	if (node && err->code != ENOENT)
		tree_note_error(fs->tree, node, op, err);
	else
		g_debug("%s: %s (%s)", op, g_strerror(err->code), err->message);
	fuse_reply_err(req, err->code);
}

/*
 * The kernel's mode check (default_permissions) is the first guard; this is
 * the second, for callers it lets through (CAP_DAC_OVERRIDE): whatever the
 * modes say, only the account's owner sends messages and changes settings.
 */
gboolean fs_may_change(fuse_req_t req)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	if (ctx->uid == getuid() || fs_of(req)->config->others_may == RFS_OTHERS_WRITE)
		return TRUE;
	g_debug("change refused: uid %u does not own this mount", (unsigned)ctx->uid);
	fuse_reply_err(req, EACCES);
	return FALSE;
}

static void notice_free(Notice *n)
{
	g_free(n->name);
	g_free(n);
}

static gpointer notifier_main(gpointer data)
{
	RfsFs *fs = data;

	for (;;) {
		Notice *n = g_async_queue_timeout_pop(fs->inval, G_USEC_PER_SEC / 10);
		if (fs->se && fuse_session_exited(fs->se))
			http_stop(); /* unmounted or signalled: nothing may keep the exit waiting */
		if ((gpointer)n == STOP)
			return NULL;
		if (!n)
			continue;
		if (fs->se && n->name)
			fuse_lowlevel_notify_inval_entry(fs->se, n->parent, n->name,
							 strlen(n->name));
		else if (fs->se)
			fuse_lowlevel_notify_inval_inode(fs->se, n->ino, 0, 0);
		notice_free(n);
	}
}

static void on_tree_changed(fuse_ino_t ino, gpointer data)
{
	RfsFs *fs = data;
	Notice *n = g_new0(Notice, 1);

	n->ino = ino;
	g_async_queue_push(fs->inval, n);
}

static void on_tree_gone(fuse_ino_t parent, const char *name, gpointer data)
{
	RfsFs *fs = data;
	Notice *n = g_new0(Notice, 1);

	n->parent = parent;
	n->name = g_strdup(name);
	g_async_queue_push(fs->inval, n);
}

void fs_forget_name(RfsFs *fs, RfsNode *node)
{
	Notice *n = g_new0(Notice, 1);

	n->parent = node->parent->ino;
	n->name = g_strdup(node->name);
	g_async_queue_push(fs->inval, n);
}

static void on_events(gpointer data)
{
	fs_events_changed(data);
}

RfsFs *fs_new(RfsTree *tree, const RfsConfig *config, RfsEvents *events)
{
	RfsFs *fs = g_new0(RfsFs, 1);

	fs->tree = tree;
	fs->config = config;
	fs->events = events;
	if (events)
		events_set_notify(events, on_events, fs);
	fs->inval = g_async_queue_new_full((GDestroyNotify)notice_free);
	g_mutex_init(&fs->streams_lock);

	tree_set_changed_func(tree, on_tree_changed, on_tree_gone, fs);
	return fs;
}

void fs_set_session(RfsFs *fs, struct fuse_session *se)
{
	fs->se = se;
}

void fs_stop(RfsFs *fs)
{
	tree_set_changed_func(fs->tree, NULL, NULL, NULL);
	if (fs->events)
		events_set_notify(fs->events, NULL, NULL);
	if (fs->notifier) {
		g_async_queue_push_front(fs->inval, STOP);
		g_thread_join(fs->notifier);
		fs->notifier = NULL;
	}
	fs->se = NULL;
}

void fs_free(RfsFs *fs)
{
	if (!fs)
		return;
	fs_stop(fs);
	/* the session ended with the events file open (a reader stopped by the signal) */
	while (fs->streams)
		fs_handle_free(fs, fs->streams->data);
	g_mutex_clear(&fs->streams_lock);
	g_async_queue_unref(fs->inval);

	g_free(fs);
}

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	RfsFs *fs = userdata;

	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	/* every listing carries the attributes: always hand them over */
	conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
	/* the ~ links never change: the kernel may keep what READLINK said (ls -l of
	 * accounts/~/extensions/~/… resolved both links for every name) */
	if (conn->capable & FUSE_CAP_CACHE_SYMLINKS)
		conn->want |= FUSE_CAP_CACHE_SYMLINKS;
	/* media reads are spliced from the cache file to the kernel, not copied through
	 * us: each read no larger than a pipe holds (main.c: splice_read_size) */
	conn->max_read = fs->config->max_read;
	if (conn->capable & FUSE_CAP_SPLICE_WRITE)
		conn->want |= FUSE_CAP_SPLICE_WRITE;
	if (conn->capable & FUSE_CAP_SPLICE_MOVE)
		conn->want |= FUSE_CAP_SPLICE_MOVE;
	/* O_TRUNC reaches open(), so "echo > file" is one write, not truncate + write */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	fs->notifier = g_thread_new("ringfs-notify", notifier_main, fs);
}

/*
 * The events file's size: EVENTS_BASE plus the bytes published since the
 * mount, its time the last line's. It grows with every line, so that tail -f
 * (which polls the size and reads only when it changed) reads again; the base
 * keeps tail's first look back from the end off offset 0, which is where a
 * reader that waits (cat, read) starts (see fs_read_events).
 */
#define EVENTS_BASE (1 << 20)

void fs_stat(RfsFs *fs, RfsNode *node, struct stat *st)
{
	tree_stat(fs->tree, node, st);
	if (node->kind->content == RFS_CONTENT_STREAM && fs->events) {
		struct timespec last;
		st->st_size = EVENTS_BASE + (off_t)events_published(fs->events, &last);
		st->st_blocks = 0;
		if (last.tv_sec)
			st->st_mtim = st->st_ctim = last;
		g_atomic_pointer_set(&fs->events_ino, (gsize)node->ino);
	}
}

void fs_events_changed(RfsFs *fs)
{
	gsize ino = g_atomic_pointer_get(&fs->events_ino);

	if (ino)
		on_tree_changed(ino, fs);
}

void fs_fill_entry(RfsFs *fs, RfsNode *node, struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = node->ino;
	e->attr_timeout = fs->config->attr_timeout;
	e->entry_timeout = fs->config->entry_timeout;
	fs_stat(fs, node, &e->attr);
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	RfsFs *fs = fs_of(req);
	RfsNode *dir = tree_get(fs->tree, parent);
	g_autoptr(GError) error = NULL;
	struct fuse_entry_param e;
	RfsNode *node = tree_lookup(fs->tree, dir, name, &error);

	if (!node) {
		fs_reply_error(req, error->code == ENOENT ? NULL : dir, "lookup", error);
		return;
	}
	fs_fill_entry(fs, node, &e);
	tree_remember(fs->tree, node);
	if (fuse_reply_entry(req, &e) != 0)
		tree_forget(fs->tree, node->ino, 1); /* the kernel never got it */
}

static void fs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	tree_forget(fs_of(req)->tree, ino, nlookup);
	fuse_reply_none(req);
}

static void fs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		tree_forget(fs_of(req)->tree, forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	RfsFs *fs = fs_of(req);
	RfsNode *node = tree_get(fs->tree, ino);
	g_autoptr(GError) error = NULL;
	struct stat st;

	/* documents are the only files whose attributes need a request of their own */
	if (node->kind->content == RFS_CONTENT_DOCUMENT && !tree_refresh(fs->tree, node, &error)) {
		fs_reply_error(req, node, "getattr", error);
		return;
	}
	fs_stat(fs, node, &st);
	fuse_reply_attr(req, &st, fs->config->attr_timeout);
}

static void fs_readlink(fuse_req_t req, fuse_ino_t ino)
{
	RfsNode *node = tree_get(fs_of(req)->tree, ino);

	if (node->kind->type != RFS_NODE_LINK)
		fuse_reply_err(req, EINVAL);
	else
		fuse_reply_readlink(req, node_target(node) ? node_target(node) : "");
}

static void fs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	RfsFs *fs = fs_of(req);
	RfsNode *node = tree_get(fs->tree, ino);
	g_autoptr(GError) error = NULL;

	if (node->kind->type != RFS_NODE_DIR) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (!tree_refresh(fs->tree, node, &error)) {
		fs_reply_error(req, node, "opendir", error);
		return;
	}
	/* a snapshot, so that offsets stay valid while the listing refreshes */
	fi->fh = (uintptr_t)tree_children(fs->tree, node);
	if (fuse_reply_open(req, fi) != 0)
		tree_children_release(fs->tree, (GPtrArray *)fi->fh);
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi, gboolean plus)
{
	RfsFs *fs = fs_of(req);
	GPtrArray *children = (GPtrArray *)fi->fh;
	g_autofree char *buf = g_malloc(size);
	size_t pos = 0;

	if (plus && off == 0)
		tree_prefetch(fs->tree, children); /* their sizes need their bytes: ask at once */
	for (off_t i = off; i >= 0 && (guint)i < children->len; i++) {
		RfsNode *child = children->pdata[i];
		size_t used;

		if (plus) {
			struct fuse_entry_param e;
			g_autoptr(GError) error = NULL;
			/* a document that cannot be loaded is listed without attributes */
			gboolean usable = child->kind->content != RFS_CONTENT_DOCUMENT ||
					  tree_refresh(fs->tree, child, &error);
			if (tree_is_forbidden(fs->tree, child) || child->kind->unlisted)
				continue; /* what the server refuses is not listed (rsync, tar) */
			fs_fill_entry(fs, child, &e);
			if (!usable)
				e.ino = 0; /* the name without attributes: a lookup will say why */
			used = fuse_add_direntry_plus(req, buf + pos, size - pos, child->name, &e,
						      i + 1);
			if (used > size - pos)
				break;
			if (usable)
				tree_remember(fs->tree, child);
		} else {
			struct stat st;
			if (tree_is_forbidden(fs->tree, child) || child->kind->unlisted)
				continue;
			fs_stat(fs, child, &st);
			used = fuse_add_direntry(req, buf + pos, size - pos, child->name, &st,
						 i + 1);
			if (used > size - pos)
				break;
		}
		pos += used;
	}
	fuse_reply_buf(req, buf, pos);
}

static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, FALSE);
}

static void fs_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, TRUE);
}

static void fs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	tree_children_release(fs_of(req)->tree, (GPtrArray *)fi->fh);
	fuse_reply_err(req, 0);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	RfsFs *fs = fs_of(req);
	RfsNode *node = tree_get(fs->tree, ino);
	g_autoptr(GError) error = NULL;
	Handle *h;
	gboolean size_changed = FALSE;

	if (node->kind->type != RFS_NODE_FILE) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) {
		fs_open_for_write(req, node, fi);
		return;
	}
	h = g_new0(Handle, 1);
	if (node->kind->content == RFS_CONTENT_STREAM) {
		/* what happens from now on; never from the page cache */
		h->events = events_open(fs->events);
		fi->direct_io = 1;
		g_mutex_lock(&fs->streams_lock);
		fs->streams = g_list_prepend(fs->streams, h);
		g_mutex_unlock(&fs->streams_lock);
	} else if (node->kind->content == RFS_CONTENT_MEDIA) {
		/* returns once the size is known; reads wait for their own bytes */
		h->media = tree_media_open(fs->tree, node, &size_changed, &error);
		if (!h->media) {
			g_free(h);
			fs_reply_error(req, node, "open", error);
			return;
		}
		/*
		 * The size is exact from here on. If the kernel held an estimate, its
		 * attributes go stale now, before open returns, so that an fstat (cp,
		 * rsync) or copy_file_range after open sees the true size, and a read
		 * past the old size asks again. While the content is still arriving,
		 * reads come straight to us (direct_io), each on behalf of its reader,
		 * so that an interrupt ends it (a page cache readahead would wait on
		 * nobody's behalf). Complete content never changes: the page cache
		 * keeps it across opens.
		 */
		gboolean complete = tree_media_complete(h->media);
		fi->direct_io = !complete;
		fi->keep_cache = complete && node->kind->immutable;
		if (size_changed && fs->se)
			fuse_lowlevel_notify_inval_inode(fs->se, ino, -1, 0);
	} else {
		/*
		 * A file made from its folder's listing is as fresh as that listing:
		 * after a write elsewhere (a .vcf saved, a message deleted) the kernel
		 * may open it without a lookup, so refresh here. If its bytes changed,
		 * the kernel's size is old: read directly and forget that size now.
		 */
		g_autoptr(GBytes) before = tree_dup_content(fs->tree, node);
		if ((node->kind->content == RFS_CONTENT_RENDERED ||
		     node->kind->content == RFS_CONTENT_VIEW) &&
		    node->parent && !node->local)
			tree_refresh(fs->tree, node->parent, NULL);
		else if (node->kind->content == RFS_CONTENT_DOCUMENT)
			tree_refresh(fs->tree, node, NULL); /* stale after a write elsewhere */
		h->bytes = tree_dup_content(fs->tree, node);
		fi->keep_cache = node->kind->immutable;
		if (node->kind->grows) {
			/* reads reach us past the size the kernel saw: what is there now */
			h->growing = node;
			tree_ref(fs->tree, node);
			fi->direct_io = 1;
		}
		if (!g_bytes_equal(before, h->bytes) || tree_size_stale(fs->tree, node)) {
			fi->direct_io = 1;
			if (fs->se)
				fuse_lowlevel_notify_inval_inode(fs->se, ino, -1, 0);
		}
	}
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		fs_handle_free(fs, h);
}

enum {
	READ_WAITS = 1,
	READ_FOLLOWS
};

/*
 * The events file is read in one of two ways, chosen by the handle's first
 * read. From offset 0 (cat, a shell's read, Python): each read waits until
 * there is a line. From elsewhere (tail -f looks back from the end, then
 * polls the size): each read gives what there is, or end of file at once,
 * and tail reads again once the size moved on. A waiting read holds a
 * worker thread: at most max_threads - 2 wait at once, further ones fail
 * with EAGAIN, so that the mount keeps serving.
 */
static void fs_read_events(fuse_req_t req, Handle *h, size_t size, off_t off)
{
	RfsFs *fs = fs_of(req);
	g_autoptr(GError) error = NULL;

	if (!h->stream_mode)
		h->stream_mode = off == 0 ? READ_WAITS : READ_FOLLOWS;
	gboolean wait = h->stream_mode == READ_WAITS;
	if (wait && g_atomic_int_add(&fs->waiting, 1) >= MAX(fs->config->max_threads - 2, 1)) {
		g_atomic_int_add(&fs->waiting, -1);
		fuse_reply_err(req, EAGAIN);
		return;
	}
	g_autoptr(GBytes) lines = events_read(h->events, size, wait, &error);
	if (wait)
		g_atomic_int_add(&fs->waiting, -1);
	if (!lines)
		fuse_reply_err(req, error->code);
	else
		fuse_reply_buf(req, g_bytes_get_data(lines, NULL), g_bytes_get_size(lines));
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	Handle *h = (Handle *)fi->fh;

	if (h->events) {
		fs_read_events(req, h, size, off);
		return;
	}

	/*
	 * Once the reply is out the kernel may release the handle at once, on
	 * another thread: nothing of @h is touched after it, and the bytes sent
	 * are held by a reference (or a copy) of our own.
	 */
	if (h->buf) {
		g_mutex_lock(&h->lock);
		g_autoptr(GBytes) part = NULL;
		if (off >= 0 && (gsize)off < h->buf->len)
			part = g_bytes_new(h->buf->data + off, MIN(size, h->buf->len - (gsize)off));
		g_mutex_unlock(&h->lock);
		if (part)
			fuse_reply_buf(req, g_bytes_get_data(part, NULL), g_bytes_get_size(part));
		else
			fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (h->bytes) {
		gsize len;
		/* a file that grows: what it holds now (tail -f's fstat refreshed it) */
		g_autoptr(GBytes) held = h->growing ? tree_dup_content(fs_of(req)->tree, h->growing)
						    : g_bytes_ref(h->bytes);
		const char *data = g_bytes_get_data(held, &len);
		if (off < 0 || (gsize)off >= len) {
			fuse_reply_buf(req, NULL, 0);
			return;
		}
		fuse_reply_buf(req, data + off, MIN(size, len - (gsize)off));
		return;
	}
	if (!h->media) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	g_autoptr(GError) error = NULL;
	size_t avail = 0;
	int fd = tree_media_wait(h->media, off, size, &avail, &error);
	if (fd < 0) {
		fs_reply_error(req, NULL, "read", error);
		return;
	}
	if (avail == 0) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	struct fuse_bufvec buf = FUSE_BUFVEC_INIT(avail);
	buf.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	buf.buf[0].fd = fd;
	buf.buf[0].pos = off;
	fuse_reply_data(req, &buf, FUSE_BUF_SPLICE_MOVE);
}

void fs_handle_free(RfsFs *fs, Handle *h)
{
	if (h->node)
		tree_unref(fs->tree, h->node);
	if (h->growing)
		tree_unref(fs->tree, h->growing);
	if (h->buf)
		g_mutex_clear(&h->lock);
	tree_media_close(h->media);
	if (h->events) {
		g_mutex_lock(&fs->streams_lock);
		fs->streams = g_list_remove(fs->streams, h);
		g_mutex_unlock(&fs->streams_lock);
		events_close(h->events);
	}
	if (h->bytes)
		g_bytes_unref(h->bytes);
	if (h->buf)
		g_byte_array_unref(h->buf);
	g_free(h);
}

static void fs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	Handle *h = (Handle *)fi->fh;

	if (h->buf)
		fs_release_writer(fs_of(req), h);
	fs_handle_free(fs_of(req), h);
	fuse_reply_err(req, 0);
}

static void fs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs st = {
		.f_bsize = 4096,
		.f_frsize = 4096,
		.f_namemax = 255,
	};
	fuse_reply_statfs(req, &st);
}

static void reply_xattr_value(fuse_req_t req, const char *value, size_t size)
{
	size_t len = strlen(value);

	if (size == 0)
		fuse_reply_xattr(req, len);
	else if (size < len)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, value, len);
}

#define XATTR_ERROR   "user.ringfs.error"
#define XATTR_URL     "user.ringfs.url"
#define XATTR_SIZE    "user.ringfs.size"    /* "exact" or "estimate" */
#define XATTR_OUTCOME "user.ringfs.outcome" /* outbox files: what became of the last send */
#define XATTR_STATS   "user.ringfs.stats"   /* the root: nodes, content bytes, requests */

static void fs_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	RfsFs *fs = fs_of(req);
	RfsNode *node = tree_get(fs->tree, ino);
	g_autofree char *outcome = NULL;

	if (strcmp(name, XATTR_ERROR) == 0) {
		g_autofree char *text = tree_dup_error(fs->tree, node);
		if (text)
			reply_xattr_value(req, text, size);
		else
			fuse_reply_err(req, ENODATA);
	} else if (strcmp(name, XATTR_SIZE) == 0 && node->kind->type == RFS_NODE_FILE) {
		reply_xattr_value(req, tree_size_is_exact(fs->tree, node) ? "exact" : "estimate",
				  size);
	} else if (strcmp(name, XATTR_STATS) == 0 && ino == FUSE_ROOT_ID) {
		struct mallinfo2 heap = mallinfo2(); /* bytes in use, beside RSS's pages */
		g_autofree char *stats = g_strdup_printf(
			"{\"nodes\": %u, \"content_bytes\": %" G_GUINT64_FORMAT
			", \"requests\": %" G_GUINT64_FORMAT ", \"heap_bytes\": %zu}\n",
			tree_node_count(fs->tree), tree_content_bytes(fs->tree),
			api_request_count(tree_api(fs->tree)), heap.uordblks + heap.hblkhd);
		reply_xattr_value(req, stats, size);
	} else if (strcmp(name, XATTR_OUTCOME) == 0 &&
		   (outcome = tree_dup_outcome(fs->tree, node))) {
		reply_xattr_value(req, outcome, size);
	} else if (strcmp(name, XATTR_URL) == 0 && node_url(node)) {
		g_autofree char *url = api_url(tree_api(fs->tree), node_url(node));
		reply_xattr_value(req, url, size);
	} else {
		/* what the node's kind adds (a message's read status) */
		g_autoptr(GError) error = NULL;
		g_autofree char *value = tree_get_xattr(fs->tree, node, name, &error);
		if (value)
			reply_xattr_value(req, value, size);
		else if (error->code == ENODATA)
			fuse_reply_err(req, ENODATA);
		else
			fs_reply_error(req, node, "getxattr", error);
	}
}

static void fs_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	RfsFs *fs = fs_of(req);
	RfsNode *node = tree_get(fs->tree, ino);
	g_autofree char *error = tree_dup_error(fs->tree, node);
	GString *names = g_string_new(NULL);

	if (node_url(node))
		g_string_append_len(names, XATTR_URL, sizeof(XATTR_URL));
	if (ino == FUSE_ROOT_ID)
		g_string_append_len(names, XATTR_STATS, sizeof(XATTR_STATS));
	if (node->kind->type == RFS_NODE_FILE)
		g_string_append_len(names, XATTR_SIZE, sizeof(XATTR_SIZE));
	tree_xattr_names(node, names);
	if (error)
		g_string_append_len(names, XATTR_ERROR, sizeof(XATTR_ERROR));
	g_autofree char *outcome = tree_dup_outcome(fs->tree, node);
	if (outcome)
		g_string_append_len(names, XATTR_OUTCOME, sizeof(XATTR_OUTCOME));
	if (size == 0)
		fuse_reply_xattr(req, names->len);
	else if (size < names->len)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, names->str, names->len);
	g_string_free(names, TRUE);
}

static void fs_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	RfsNode *node = tree_get(fs_of(req)->tree, ino);

	gboolean writable = tree_is_writable(node) || node->kind->entries_removable;

	fuse_reply_err(req, (mask & W_OK) && !writable ? EACCES : 0);
}

/* What the API has no counterpart for: refused before any request is sent. */

static void fs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	if (fs_may_change(req))
		fuse_reply_err(req, EPERM);
}

static void fs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	if (fs_may_change(req))
		fuse_reply_err(req, EPERM);
}

static void fs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	if (fs_may_change(req))
		fuse_reply_err(req, EPERM);
}

static void fs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	if (fs_may_change(req))
		fuse_reply_err(req, EPERM);
}

static void fs_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	if (fs_may_change(req))
		fuse_reply_err(req, ENOTSUP);
}

/*
 * Every request that may reach the server runs within a budget of
 * request_timeout (http.h): retries, rate-limit waits and token refreshes
 * included. An interrupt from the kernel (the caller was killed or ^C'd)
 * cancels it, so that no caller waits in D state for a slow server.
 */
static void on_interrupt(fuse_req_t req, void *data)
{
	http_budget_cancel((guint64)GPOINTER_TO_SIZE(data));
}

static RfsBudget *budget_begin(fuse_req_t req)
{
	RfsBudget *b = http_budget_begin(fs_of(req)->config->request_timeout);

	/* by id, not pointer: libfuse may call this after the request was answered */
	fuse_req_interrupt_func(req, on_interrupt, GSIZE_TO_POINTER((gsize)http_budget_id(b)));
	return b;
}

#define BUDGETED(op, params, args)                                                                 \
	static void budgeted_##op params                                                           \
	{                                                                                          \
		RfsBudget *b = budget_begin(req);                                                  \
		fs_##op args;                                                                      \
		http_budget_end(b);                                                                \
	}

BUDGETED(lookup, (fuse_req_t req, fuse_ino_t parent, const char *name), (req, parent, name))
BUDGETED(getattr, (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi), (req, ino, fi))
BUDGETED(setattr,
	 (fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, struct fuse_file_info *fi),
	 (req, ino, attr, to_set, fi))
BUDGETED(unlink, (fuse_req_t req, fuse_ino_t parent, const char *name), (req, parent, name))
BUDGETED(rename,
	 (fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
	  const char *newname, unsigned int flags),
	 (req, parent, name, newparent, newname, flags))
BUDGETED(open, (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi), (req, ino, fi))

/*
 * A read of media may wait for its bytes to arrive: bounded, and ended by an
 * interrupt. A read of the events file waits for a line, ended by an interrupt.
 */
static void budgeted_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			  struct fuse_file_info *fi)
{
	if (!((Handle *)fi->fh)->media && !((Handle *)fi->fh)->events) {
		fs_read(req, ino, size, off, fi);
		return;
	}
	RfsBudget *b = budget_begin(req);
	fs_read(req, ino, size, off, fi);
	http_budget_end(b);
}
BUDGETED(flush, (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi), (req, ino, fi))
BUDGETED(fsync, (fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi),
	 (req, ino, datasync, fi))
BUDGETED(release, (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi), (req, ino, fi))
BUDGETED(opendir, (fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi), (req, ino, fi))
BUDGETED(readdirplus,
	 (fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi),
	 (req, ino, size, off, fi))
BUDGETED(setxattr,
	 (fuse_req_t req, fuse_ino_t ino, const char *name, const char *value, size_t size,
	  int flags),
	 (req, ino, name, value, size, flags))
/*
 * ls -l asks every file for its ACL (system.posix_acl_access) and security
 * label (security.selinux). ringfs has neither: outside the user namespace
 * the answer is "not supported", which ls, cp and rsync remember for the
 * whole device and stop asking (ENODATA would be asked again for every name:
 * two round trips per entry, most of a warm ls -l).
 */
static void budgeted_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	if (!g_str_has_prefix(name, "user.")) {
		fuse_reply_err(req, EOPNOTSUPP);
		return;
	}
	if (!g_str_has_prefix(name, "user.ringfs.")) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	RfsBudget *b = budget_begin(req);
	fs_getxattr(req, ino, name, size);
	http_budget_end(b);
}
BUDGETED(create,
	 (fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
	  struct fuse_file_info *fi),
	 (req, parent, name, mode, fi))

static const struct fuse_lowlevel_ops operations = {
	.init = fs_init,
	.lookup = budgeted_lookup,
	.forget = fs_forget,
	.forget_multi = fs_forget_multi,
	.getattr = budgeted_getattr,
	.setattr = budgeted_setattr,
	.readlink = fs_readlink,
	.mknod = fs_mknod,
	.mkdir = fs_mkdir,
	.unlink = budgeted_unlink,
	.rmdir = budgeted_unlink,
	.symlink = fs_symlink,
	.rename = budgeted_rename,
	.link = fs_link,
	.open = budgeted_open,
	.read = budgeted_read,
	.write = fs_write,
	.flush = budgeted_flush,
	.fsync = budgeted_fsync,
	.release = budgeted_release,
	.opendir = budgeted_opendir,
	.readdir = fs_readdir,
	.readdirplus = budgeted_readdirplus,
	.releasedir = fs_releasedir,
	.statfs = fs_statfs,
	.setxattr = budgeted_setxattr,
	.getxattr = budgeted_getxattr,
	.listxattr = fs_listxattr,
	.removexattr = fs_removexattr,
	.access = fs_access,
	.create = budgeted_create,
};

const struct fuse_lowlevel_ops *fs_operations(void)
{
	return &operations;
}
