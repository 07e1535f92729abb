/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Media files (voicemail, fax, recordings), served as they arrive.
 *
 * A media file's content comes from the content cache (cache.h). When the
 * cache lacks it, one download per file runs in the background into a
 * temporary file, and every reader of the file shares it: open returns as
 * soon as the answer's headers say how long the content is (so that fstat
 * after open is exact, for cp and rsync), and a read waits only until the
 * bytes it asks for have arrived, not for the end. The temporary file becomes
 * the cache's only when the download is complete and its type fits the file;
 * an interrupted download leaves nothing that looks whole, and the next open
 * starts it again. Without a Content-Length, open waits for the whole
 * download, as the size must be exact before the kernel reads.
 *
 * A reader that is interrupted stops waiting at once; the download goes on
 * for the other readers, within download_timeout.
 */
#include "tree-private.h"
#include "render.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct RfsMedia {
	gint refs; /* atomic: readers, and the download while it runs */
	RfsTree *tree;
	RfsNode *node; /* a reference (tree_ref) */
	int fd;	       /* the content: the cache file, or the download's temporary file */
	char *tmp;     /* the temporary file while downloading */
	GMutex lock;
	GCond moved; /* signalled when got, length or done changed */
	/* protected by lock: */
	goffset got;	     /* bytes of content in fd */
	goffset length;	     /* the content's length once known (Content-Length), else -1 */
	gboolean headers_ok; /* a 2xx answer of a fitting type is arriving */
	gboolean done;	     /* the download is over (or there was none: from the cache) */
	guint64 budget;	     /* the download's budget (http_budget_id), 0 before it starts */
	GError *error;	     /* how it failed */
	guint waiting;	     /* readers in wait_locked: a piece with none wakes nobody */
};

static RfsMedia *media_new(RfsTree *tree, RfsNode *node, int fd)
{
	RfsMedia *m = g_new0(RfsMedia, 1);

	m->refs = 1;
	m->tree = tree;
	m->node = node;
	tree_ref(tree, node);
	m->fd = fd;
	m->length = -1;
	g_mutex_init(&m->lock);
	g_cond_init(&m->moved);
	return m;
}

static void media_unref(RfsMedia *m)
{
	RfsTree *tree = m->tree;
	guint64 cancel = 0;

	/*
	 * The last reader of a download under way (ours and the job's are the only
	 * references left): nobody reads; stop it. Decided under tree->lock, which
	 * a new reader takes to join, and while our reference still holds @m.
	 */
	g_mutex_lock(&tree->lock);
	if (g_atomic_int_get(&m->refs) == 2 && TREE_RARE(m->node, download) == m) {
		g_mutex_lock(&m->lock);
		gboolean all_in = m->length >= 0 && m->got >= m->length; /* let it land */
		if (!m->done && m->budget && !all_in) {
			cancel = m->budget;
			m->node->rare->download = NULL; /* the next open starts afresh */
		}
		g_mutex_unlock(&m->lock);
	}
	g_mutex_unlock(&tree->lock);
	if (cancel)
		http_budget_cancel(cancel);
	if (!g_atomic_int_dec_and_test(&m->refs))
		return;
	if (m->fd >= 0)
		close(m->fd);
	g_free(m->tmp);
	g_clear_error(&m->error);
	tree_unref(m->tree, m->node);
	g_cond_clear(&m->moved);
	g_mutex_clear(&m->lock);
	g_free(m);
}

/* Whether content of @type may be @node's (an HTML error page answered 200 may not). */
static gboolean media_type_fits(RfsNode *node, const char *type, GError **error)
{
	const char *const *ok = node->kind->media_types;

	if (!ok || !type)
		return TRUE;
	for (; *ok; ok++)
		if (g_ascii_strncasecmp(type, *ok, strlen(*ok)) == 0)
			return TRUE;
	g_set_error(error, RFS_ERROR, EIO,
		    "the server answered %s, which is no %s: not kept (try again later)", type,
		    node->kind->name);
	return FALSE;
}

/* Whether @name's extension says @type (a type with no extension of its own fits any). */
static gboolean name_fits_type(const char *name, const char *type)
{
	const char *want = render_extension_for(type);
	const char *dot = strrchr(name, '.');

	return !type || strcmp(want, "bin") == 0 || (dot && g_ascii_strcasecmp(dot + 1, want) == 0);
}

/*
 * Text the server keeps (a voicemail's transcript, named .txt) is shown, like
 * every text ringfs makes, ending in a newline: its size is known, and its
 * bytes are read, only once the whole (small) text is there.
 */
static gboolean is_text(const RfsNode *node)
{
	return g_str_has_suffix(node->name, ".txt");
}

/* The content in @fd (@got bytes) ends in a newline, added if need be. FALSE: a write failed. */
static gboolean end_with_newline(int fd, goffset *got, GError **error)
{
	char last = 0;

	if (*got > 0 && pread(fd, &last, 1, *got - 1) != 1)
		last = 0;
	if (*got == 0 || last == '\n')
		return TRUE;
	if (pwrite(fd, "\n", 1, *got) != 1) {
		g_set_error(error, RFS_ERROR, errno ? errno : EIO, "the content cache: %s",
			    g_strerror(errno));
		return FALSE;
	}
	(*got)++;
	return TRUE;
}

/* A piece of the content landed in the file (the download's thread). */
static void on_data(gpointer user, const RfsHttpResponse *resp)
{
	RfsMedia *m = user;
	const char *type = http_response_header(resp, "content-type");
	const char *length = http_response_header(resp, "content-length");

	if (is_text(m->node))
		return; /* readers wait for the whole text (is_text) */
	g_mutex_lock(&m->lock);
	if (!m->headers_ok) {
		/* readers get bytes only of an answer that is the content (not JSON, not HTML) */
		m->headers_ok = media_type_fits(m->node, type, NULL) &&
				!g_str_has_prefix(type ? type : "", "application/json");
		gint64 n = length ? g_ascii_strtoll(length, NULL, 10) : -1;
		if (m->headers_ok && n >= 0 && n <= RFS_MAX_CONTENT)
			m->length = n;
	}
	if (m->headers_ok)
		m->got = MAX(m->got, resp->body_written); /* a retry rewrites the same bytes */
	/* curl hands over 16 KiB at a time: no futex call for each when nobody waits */
	if (m->waiting)
		g_cond_broadcast(&m->moved);
	g_mutex_unlock(&m->lock);
}

/* The node a relative link's target names, as the tree holds it now (nothing is listed). */
static RfsNode *link_target_locked(const RfsNode *link)
{
	if (!node_target(link))
		return NULL;
	g_auto(GStrv) parts = g_strsplit(node_target(link), "/", -1);
	RfsNode *at = node_target(link)[0] == '/' ? NULL : link->parent;

	for (int i = 0; parts[i] && at; i++) {
		if (!*parts[i] || strcmp(parts[i], ".") == 0)
			continue;
		if (strcmp(parts[i], "..") == 0)
			at = at->parent;
		else
			at = tree_child_locked(at, parts[i]);
	}
	return at;
}

/* @name with its extension replaced by @ext. (transfer full) */
static char *with_extension(const char *name, const char *ext)
{
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');
	gsize stem = dot && (!slash || dot > slash) ? (gsize)(dot - name) : strlen(name);

	return g_strdup_printf("%.*s.%s", (int)stem, name, ext);
}

/*
 * @media was named by a type it turned out not to have: the links that carry
 * its URL and point at it (a call's recording in call-log/) take the new
 * extension at once, in name and target, with no listing. The old link stays
 * found by name a while, as the old name of @media does. tree->lock held.
 */
static void rename_links_locked(RfsTree *tree, RfsNode *media, const char *ext)
{
	g_autoptr(GPtrArray) links = g_ptr_array_new();
	GHashTableIter iter;
	RfsNode *link;

	g_hash_table_iter_init(&iter, tree->inodes);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&link))
		if (link->kind->type == RFS_NODE_LINK && node_url(link) && link->parent &&
		    !link->detached && !link->buried &&
		    strcmp(node_url(link), node_url(media)) == 0 &&
		    link_target_locked(link) == media)
			g_ptr_array_add(links, link);
	for (guint i = 0; i < links->len; i++) {
		link = links->pdata[i];
		RfsNode *dir = link->parent;
		g_autoptr(RfsEntry) entry = node_entry_new(NULL, link->kind);
		entry->name = with_extension(link->name, ext);
		entry->target = with_extension(node_target(link), ext);
		entry->url = g_strdup(node_url(link));
		guint at;
		if (tree_child_locked(dir, entry->name) || !g_ptr_array_find(dir->order, link, &at))
			continue;
		RfsNode *renamed = tree_node_new_locked(tree, dir, entry);
		renamed->mtime = link->mtime;
		tree_child_put_locked(dir, renamed);
		dir->order->pdata[at] = renamed;
		link->buried = TRUE;
		tree_rare_locked(link)->buried_at = g_get_monotonic_time();
	}
}

/* Forgets the download under way for @node (it ended). */
static void detach_download(RfsTree *tree, RfsMedia *m)
{
	g_mutex_lock(&tree->lock);
	if (TREE_RARE(m->node, download) == m)
		m->node->rare->download = NULL;
	g_mutex_unlock(&tree->lock);
}

/* The download job (tree->downloader's threads): one GET, then into the cache. */
void tree_media_download_job(gpointer data, gpointer user)
{
	RfsMedia *m = data;
	RfsTree *tree = user;
	RfsNode *node = m->node;
	RfsBudget *budget = http_budget_begin(tree->config->download_timeout);
	RfsDownloadWatch watch = { on_data, m };

	g_mutex_lock(&m->lock);
	m->budget = http_budget_id(budget);
	g_mutex_unlock(&m->lock);
	g_autofree char *type = NULL;
	g_autoptr(GError) error = NULL;
	goffset got = 0;

	gboolean ok = api_download(tree->api, node->kind->group, node_url(node), m->fd, &watch,
				   &got, &type, &error) &&
		      media_type_fits(node, type, &error) &&
		      (!is_text(node) || end_with_newline(m->fd, &got, &error)) &&
		      cache_commit(tree->cache, node_url(node), m->tmp, got, &error);
	http_budget_end(budget);
	if (!ok) {
		cache_abort(tree->cache, m->tmp); /* nothing partial is kept */
		tree_note_error(tree, node, "download", error);
	} else {
		if (type && node->kind->named_by_type)
			cache_set_type(tree->cache, node_url(node), type);
		gboolean misnamed = node->kind->named_by_type && !name_fits_type(node->name, type);
		g_mutex_lock(&tree->lock);
		node->size = (off_t)got;
		node->size_known = TRUE;
		if (misnamed && node->parent) {
			/*
			 * its folder's next use lists it under its right name; this
			 * one stays reachable for a while (cp's stat after the read)
			 */
			node->parent->loaded_at = 0;
			node->buried = TRUE;
			tree_rare_locked(node)->buried_at = g_get_monotonic_time();
			rename_links_locked(tree, node, render_extension_for(type));
		}
		g_mutex_unlock(&tree->lock);
		if (misnamed)
			g_debug("%s is %s: renamed at the next listing", node->name, type);
	}
	detach_download(tree, m);
	g_mutex_lock(&m->lock);
	m->done = TRUE;
	if (ok) {
		m->got = got;
		m->length = got;
		m->headers_ok = TRUE;
	} else {
		m->error = g_steal_pointer(&error);
	}
	g_cond_broadcast(&m->moved);
	g_mutex_unlock(&m->lock);
	media_unref(m); /* the download's reference */
}

/* The download of @node under way, or a new one. (transfer full) */
static RfsMedia *join_download(RfsTree *tree, RfsNode *node, GError **error)
{
	g_mutex_lock(&tree->lock);
	RfsMedia *m = TREE_RARE(node, download);
	if (m)
		g_atomic_int_inc(&m->refs);
	g_mutex_unlock(&tree->lock);
	if (m)
		return m;

	g_autofree char *tmp = NULL;
	int fd = cache_begin(tree->cache, node_url(node), &tmp, error);
	if (fd < 0)
		return NULL;
	m = media_new(tree, node, fd);
	m->tmp = g_steal_pointer(&tmp);
	g_mutex_lock(&tree->lock);
	if (TREE_RARE(node, download)) { /* another reader started it meanwhile: join that one */
		RfsMedia *other = node->rare->download;
		g_atomic_int_inc(&other->refs);
		g_mutex_unlock(&tree->lock);
		cache_abort(tree->cache, m->tmp);
		media_unref(m);
		return other;
	}
	tree_rare_locked(node)->download = m;
	g_atomic_int_inc(&m->refs); /* the job's */
	g_mutex_unlock(&tree->lock);
	g_thread_pool_push(tree->downloader, m, NULL);
	return m;
}

/* Waits, within the caller's budget, until @ready(@m) holds. lock held. */
static gboolean wait_locked(RfsMedia *m, gboolean (*ready)(RfsMedia *m, goffset end), goffset end,
			    GError **error)
{
	while (!ready(m, end)) {
		if (!http_budget_check(error))
			return FALSE;
		gint64 until = g_get_monotonic_time() + G_USEC_PER_SEC / 20;
		m->waiting++;
		g_cond_wait_until(&m->moved, &m->lock, until);
		m->waiting--;
	}
	return TRUE;
}

static gboolean size_known(RfsMedia *m, goffset end)
{
	return m->done || m->length >= 0;
}

static gboolean bytes_there(RfsMedia *m, goffset end)
{
	if (m->done)
		return TRUE;
	/*
	 * the read that takes the last byte waits for the download's end: once a
	 * reader (cp) has the whole file, it is in the cache and a misnamed
	 * recording's folder knows its right name
	 */
	if (m->length >= 0 && end >= m->length)
		return FALSE;
	return m->headers_ok && m->got >= end;
}

RfsMedia *tree_media_open(RfsTree *tree, RfsNode *node, gboolean *size_changed, GError **error)
{
	off_t size = 0;
	RfsMedia *m;

	/* what the kernel may hold: a download ending meanwhile changes the node, not the kernel */
	g_mutex_lock(&tree->lock);
	gboolean was_exact = node->size_known;
	off_t was_size = node->size;
	g_mutex_unlock(&tree->lock);

	int fd = cache_open(tree->cache, node_url(node), &size);
	if (fd >= 0) {
		m = media_new(tree, node, fd);
		m->done = m->headers_ok = TRUE;
		m->got = m->length = size;
	} else if (!(m = join_download(tree, node, error))) {
		return NULL;
	}
	g_mutex_lock(&m->lock);
	gboolean ok = wait_locked(m, size_known, 0, error);
	if (ok && m->done && m->error) {
		g_set_error_literal(error, RFS_ERROR, m->error->code, m->error->message);
		ok = FALSE;
	}
	goffset length = m->length;
	g_mutex_unlock(&m->lock);
	if (!ok) {
		media_unref(m);
		return NULL;
	}
	g_mutex_lock(&tree->lock);
	*size_changed = !was_exact || was_size != length;
	node->size = (off_t)length;
	node->size_known = TRUE;
	g_mutex_unlock(&tree->lock);
	return m;
}

int tree_media_wait(RfsMedia *m, off_t off, size_t len, size_t *avail, GError **error)
{
	goffset end = (goffset)off + (goffset)len;

	g_mutex_lock(&m->lock);
	gboolean ok = wait_locked(m, bytes_there, end, error);
	goffset got = m->got;
	if (ok && m->done && m->error && got < end && (m->length < 0 || got < m->length)) {
		/* it failed before these bytes came */
		g_set_error_literal(error, RFS_ERROR, m->error->code, m->error->message);
		ok = FALSE;
	}
	g_mutex_unlock(&m->lock);
	if (!ok)
		return -1;
	*avail = off >= got ? 0 : (size_t)MIN((goffset)len, got - (goffset)off);
	return m->fd;
}

gboolean tree_media_complete(RfsMedia *m)
{
	g_mutex_lock(&m->lock);
	gboolean complete = m->done && !m->error;
	g_mutex_unlock(&m->lock);
	return complete;
}

void tree_media_close(RfsMedia *m)
{
	if (m)
		media_unref(m);
}

char *tree_media_type(RfsTree *tree, const char *url)
{
	return url ? cache_type(tree->cache, url) : NULL;
}
