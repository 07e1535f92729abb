/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The content cache: media bytes (voicemail, fax, recordings) on disk under
 * cache_dir/content/<2 hex>/<sha256 of the URL>, at most a given size, the
 * least recently used content going first. The content at a URL never
 * changes, so a cached file is the content (and its size the size) across
 * remounts. Only complete downloads are ever given a cache name: a download
 * writes a temporary file that cache_commit renames.
 *
 * The cache keeps its index (files, sizes, order of use) in memory, read
 * from the disk once; a lookup, a use and an eviction cost no scan.
 * Thread-safe.
 *
 * It also remembers the content type of URLs whose file name depends on
 * it, a recording's .mp3 or .wav (in cache_dir/content/types, one
 * "<sha256 of the URL> <type>" line each, appended), so that the name is
 * right at later mounts without a request, even after the bytes were
 * evicted.
 */
#pragma once

#include "rfs.h"

#include <sys/types.h>

typedef struct RfsCache RfsCache;

/* A cache in @dir holding at most @max_bytes. (transfer full) */
RfsCache *cache_new(const char *dir, goffset max_bytes);
void cache_free(RfsCache *cache);

/* The file that holds, or will hold, @url's content. (transfer full) */
char *cache_path(RfsCache *cache, const char *url);

/* Whether @url's content is cached; @size gets its size. No use is counted. */
gboolean cache_lookup(RfsCache *cache, const char *url, off_t *size);

/* A read-only fd on @url's cached content and its @size, or -1. Counts as a use. */
int cache_open(RfsCache *cache, const char *url, off_t *size);

/*
 * cache_begin: a new temporary file (read-write fd) for @url's content; @tmp
 * gets its path. End it with cache_commit (the download is complete) or
 * cache_abort (it is not: nothing of it is kept).
 */
int cache_begin(RfsCache *cache, const char *url, char **tmp, GError **error);
gboolean cache_commit(RfsCache *cache, const char *url, const char *tmp, goffset size,
		      GError **error);
void cache_abort(RfsCache *cache, const char *tmp);

/* The content type @url's content was served with, or NULL if never seen. (transfer full) */
char *cache_type(RfsCache *cache, const char *url);
/* Remembers @type for @url (on disk, for later mounts too). */
void cache_set_type(RfsCache *cache, const char *url, const char *type);
