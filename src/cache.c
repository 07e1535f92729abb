/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The content cache (see cache.h): files on disk, an LRU index in memory. */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	char *path; /* the key of files */
	goffset size;
	GList link; /* in lru; data = this */
} CacheFile;

struct RfsCache {
	char *root; /* cache_dir/content */
	goffset max_bytes;
	GMutex lock;
	/* protected by lock: */
	gboolean indexed;  /* the disk was read once */
	GHashTable *files; /* path → CacheFile* */
	GQueue lru;	   /* CacheFile links, least recently used first */
	goffset total;	   /* bytes of all files */
	GHashTable *types; /* sha256 of a URL → its content type; NULL until read */
};

static void cache_file_free(CacheFile *f)
{
	g_free(f->path);
	g_free(f);
}

RfsCache *cache_new(const char *dir, goffset max_bytes)
{
	RfsCache *cache = g_new0(RfsCache, 1);

	cache->root = g_build_filename(dir, "content", NULL);
	cache->max_bytes = max_bytes;
	g_mutex_init(&cache->lock);
	cache->files = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					     (GDestroyNotify)cache_file_free);
	g_queue_init(&cache->lru);
	return cache;
}

void cache_free(RfsCache *cache)
{
	if (!cache)
		return;
	/* the links live in the CacheFiles, which files frees: g_queue_clear would hand
	 * them to GSlice as if it had made them, and a thread's exit then crashed on it */
	g_hash_table_unref(cache->files);
	if (cache->types)
		g_hash_table_unref(cache->types);
	g_mutex_clear(&cache->lock);
	g_free(cache->root);
	g_free(cache);
}

char *cache_path(RfsCache *cache, const char *url)
{
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, url, -1);
	char shard[3] = { hash[0], hash[1], '\0' };

	return g_build_filename(cache->root, shard, hash, NULL);
}

/* Adds @path (@size bytes) as the most recently used file. lock held. */
static void add_locked(RfsCache *cache, char *path /* takes ownership */, goffset size)
{
	CacheFile *old = g_hash_table_lookup(cache->files, path);

	if (old) {
		cache->total -= old->size;
		g_queue_unlink(&cache->lru, &old->link);
		g_hash_table_remove(cache->files, path);
	}
	CacheFile *f = g_new0(CacheFile, 1);
	f->path = path;
	f->size = size;
	f->link.data = f;
	g_hash_table_insert(cache->files, f->path, f);
	g_queue_push_tail_link(&cache->lru, &f->link);
	cache->total += size;
}

static gint by_time(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)((const char *const *)a)[0];
	gint64 y = *(const gint64 *)((const char *const *)b)[0];
	return x < y ? -1 : x > y;
}

/* Reads the disk once: what earlier mounts left, in the order of their last use. lock held. */
static void index_locked(RfsCache *cache)
{
	g_autoptr(GDir) top = g_dir_open(cache->root, 0, NULL);
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	const char *shard;

	if (cache->indexed)
		return;
	cache->indexed = TRUE;
	while (top && (shard = g_dir_read_name(top))) {
		g_autofree char *dir_path = g_build_filename(cache->root, shard, NULL);
		g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
		const char *name;
		while (dir && (name = g_dir_read_name(dir))) {
			struct stat st;
			g_autofree char *path = g_build_filename(dir_path, name, NULL);
			if (strstr(name, ".part."))
				continue; /* a download under way (another mount may share the
					     cache) */
			if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
			/* [used µs][size][path] in one block, sorted by use */
			gsize len = strlen(path) + 1;
			char *rec = g_malloc(2 * sizeof(gint64) + len);
			gint64 used = MAX((gint64)st.st_atim.tv_sec, (gint64)st.st_mtim.tv_sec) *
					      G_USEC_PER_SEC +
				      st.st_atim.tv_nsec / 1000;
			gint64 size = st.st_size;
			memcpy(rec, &used, sizeof(used));
			memcpy(rec + sizeof(gint64), &size, sizeof(size));
			memcpy(rec + 2 * sizeof(gint64), path, len);
			g_ptr_array_add(found, rec);
		}
	}
	g_ptr_array_sort(found, by_time);
	for (guint i = 0; i < found->len; i++) {
		const char *rec = found->pdata[i];
		gint64 size;
		memcpy(&size, rec + sizeof(gint64), sizeof(size));
		add_locked(cache, g_strdup(rec + 2 * sizeof(gint64)), size);
	}
}

gboolean cache_lookup(RfsCache *cache, const char *url, off_t *size)
{
	g_autofree char *path = cache_path(cache, url);

	g_mutex_lock(&cache->lock);
	index_locked(cache);
	CacheFile *f = g_hash_table_lookup(cache->files, path);
	if (f)
		*size = (off_t)f->size;
	g_mutex_unlock(&cache->lock);
	return f != NULL;
}

int cache_open(RfsCache *cache, const char *url, off_t *size)
{
	g_autofree char *path = cache_path(cache, url);
	struct stat st;

	g_mutex_lock(&cache->lock);
	index_locked(cache);
	CacheFile *f = g_hash_table_lookup(cache->files, path);
	int fd = f ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size == f->size) {
		g_queue_unlink(&cache->lru, &f->link); /* the most recently used now */
		g_queue_push_tail_link(&cache->lru, &f->link);
		*size = st.st_size;
	} else {
		if (fd >= 0)
			close(fd);
		fd = -1;
		if (f) { /* removed or changed behind our back: forget it */
			cache->total -= f->size;
			g_queue_unlink(&cache->lru, &f->link);
			g_hash_table_remove(cache->files, path);
		}
	}
	g_mutex_unlock(&cache->lock);
	return fd;
}

int cache_begin(RfsCache *cache, const char *url, char **tmp, GError **error)
{
	g_autofree char *path = cache_path(cache, url);
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *name = g_strdup_printf("%s.part.XXXXXX", path);

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, RFS_ERROR, errno, "cannot create cache directory %s: %s", dir,
			    g_strerror(errno));
		return -1;
	}
	int fd = g_mkstemp_full(name, O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, RFS_ERROR, errno, "cannot create cache file in %s: %s", dir,
			    g_strerror(errno));
		return -1;
	}
	*tmp = g_steal_pointer(&name);
	return fd;
}

void cache_abort(RfsCache *cache, const char *tmp)
{
	unlink(tmp);
}

gboolean cache_commit(RfsCache *cache, const char *url, const char *tmp, goffset size,
		      GError **error)
{
	char *path = cache_path(cache, url);

	if (rename(tmp, path) != 0) {
		g_set_error(error, RFS_ERROR, errno, "cannot keep cache file %s: %s", path,
			    g_strerror(errno));
		unlink(tmp);
		g_free(path);
		return FALSE;
	}
	g_mutex_lock(&cache->lock);
	index_locked(cache); /* reads the new file too: add_locked replaces that entry */
	add_locked(cache, path, size);
	/* over the limit: the least recently used go, never the one just kept */
	while (cache->total > cache->max_bytes && cache->lru.length > 1) {
		CacheFile *old = cache->lru.head->data;
		if (unlink(old->path) != 0 && errno != ENOENT)
			g_message("cannot remove %s from the cache: %s", old->path,
				  g_strerror(errno));
		cache->total -= old->size;
		g_queue_unlink(&cache->lru, &old->link);
		g_hash_table_remove(cache->files, old->path);
	}
	g_mutex_unlock(&cache->lock);
	return TRUE;
}

/* ---- content types ------------------------------------------------------------ */

#define TYPES_FILE "types"
#define TYPE_MAX   127 /* longer types are not kept */

/* Whether @type is worth keeping on a line of its own: short, printable, no space. */
static gboolean type_ok(const char *type)
{
	gsize n = type ? strlen(type) : 0;

	if (n == 0 || n > TYPE_MAX)
		return FALSE;
	for (const char *p = type; *p; p++)
		if (!g_ascii_isgraph(*p))
			return FALSE;
	return TRUE;
}

/* Reads the types file once (later lines win: a URL's type never changes anyway). lock held. */
static void types_locked(RfsCache *cache)
{
	g_autofree char *path = g_build_filename(cache->root, TYPES_FILE, NULL);
	g_autofree char *text = NULL;

	if (cache->types)
		return;
	cache->types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		char *space = strchr(lines[i], ' ');
		if (!space || space - lines[i] != 64 || !type_ok(space + 1))
			continue; /* a torn or foreign line */
		*space = '\0';
		g_hash_table_replace(cache->types, g_strdup(lines[i]), g_strdup(space + 1));
	}
}

char *cache_type(RfsCache *cache, const char *url)
{
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, url, -1);

	g_mutex_lock(&cache->lock);
	types_locked(cache);
	char *type = g_strdup(g_hash_table_lookup(cache->types, hash));
	g_mutex_unlock(&cache->lock);
	return type;
}

void cache_set_type(RfsCache *cache, const char *url, const char *type)
{
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, url, -1);
	g_autofree char *path = g_build_filename(cache->root, TYPES_FILE, NULL);

	if (!type_ok(type))
		return;
	g_mutex_lock(&cache->lock);
	types_locked(cache);
	if (g_strcmp0(g_hash_table_lookup(cache->types, hash), type) != 0) {
		g_hash_table_replace(cache->types, g_strdup(hash), g_strdup(type));
		/* one write of one line with O_APPEND: mounts sharing the cache do not tear it */
		g_autofree char *line = g_strdup_printf("%s %s\n", hash, type);
		int fd = g_mkdir_with_parents(cache->root, 0700) == 0
				 ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)
				 : -1;
		if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line))
			g_message("cannot remember a content type in %s: %s", path,
				  g_strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	g_mutex_unlock(&cache->lock);
}
