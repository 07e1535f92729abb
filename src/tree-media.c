/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Media files: their content comes from the content cache (cache.h), and is
 * downloaded into it when first opened. See the size policy in tree.c.
 */
#include "tree-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

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

/* Downloads @node's content into the cache. Called with node->fill_lock held. */
static int download(RfsTree *tree, RfsNode *node, off_t *size, GError **error)
{
	g_autofree char *tmp = NULL;
	g_autofree char *type = NULL;
	goffset got = 0;
	int fd = cache_begin(tree->cache, node->url, &tmp, error);

	if (fd < 0)
		return -1;
	if (!api_download(tree->api, node->kind->group, node->url, fd, &got, &type, error) ||
	    !media_type_fits(node, type, error) ||
	    !cache_commit(tree->cache, node->url, tmp, got, error)) {
		/* nothing partial is kept: a later open starts again */
		close(fd);
		cache_abort(tree->cache, tmp);
		return -1;
	}
	*size = (off_t)got;
	return fd;
}

int tree_open_media(RfsTree *tree, RfsNode *node, gboolean *size_changed, GError **error)
{
	off_t size = 0;
	int fd = cache_open(tree->cache, node->url, &size);

	if (fd < 0) {
		if (!http_budget_lock(&node->fill_lock, error))
			return -1;
		fd = cache_open(tree->cache, node->url, &size);
		if (fd < 0)
			fd = download(tree, node, &size, error);
		g_mutex_unlock(&node->fill_lock);
		if (fd < 0)
			return -1;
	}
	g_mutex_lock(&tree->lock);
	*size_changed = !node->size_known || node->size != size;
	node->size = size;
	node->size_known = TRUE;
	g_mutex_unlock(&tree->lock);
	return fd;
}
