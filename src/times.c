/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Content times (see times.h): one small file per key, replaced whole by rename. */
#include "times.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

struct RfsTimes {
	char *root;  /* cache_dir/times */
	GMutex lock; /* one writer of a key's file at a time */
};

RfsTimes *times_new(const char *dir)
{
	RfsTimes *times = g_new0(RfsTimes, 1);

	times->root = g_build_filename(dir, "times", NULL);
	g_mutex_init(&times->lock);
	return times;
}

void times_free(RfsTimes *times)
{
	if (!times)
		return;
	g_mutex_clear(&times->lock);
	g_free(times->root);
	g_free(times);
}

/* What the file says: @digest's time, if it holds @digest. */
static gboolean read_time(const char *path, const char *digest, struct timespec *when)
{
	g_autofree char *text = NULL;
	gsize len;
	char stored[65];
	long long sec;
	long nsec;

	if (!g_file_get_contents(path, &text, &len, NULL) || len > 200)
		return FALSE;
	if (sscanf(text, "%64s %lld %ld", stored, &sec, &nsec) != 3 ||
	    strcmp(stored, digest) != 0 || sec <= 0 || nsec < 0 || nsec >= 1000000000L)
		return FALSE;
	when->tv_sec = (time_t)sec;
	when->tv_nsec = nsec;
	return TRUE;
}

/* The file of @key: @dir/<sha256 of @key>, @dir its shard. (transfer full) */
static char *key_path(RfsTimes *times, const char *key, char **dir)
{
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
	char shard[3] = { hash[0], hash[1], '\0' };

	*dir = g_build_filename(times->root, shard, NULL);
	return g_build_filename(*dir, hash, NULL);
}

/* Replaces @path's content (in @dir) with @text; a failure costs only the persistence. */
static void write_key(const char *dir, const char *path, const char *text, gssize len,
		      const char *key)
{
	g_autoptr(GError) error = NULL;

	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    !g_file_set_contents_full(path, text, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
				      &error))
		g_debug("cannot keep the time of %s: %s", key,
			error ? error->message : g_strerror(errno));
}

void times_seen(RfsTimes *times, const char *key, GBytes *content, struct timespec *when)
{
	g_autofree char *digest = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, content);
	g_autofree char *dir = NULL;
	g_autofree char *path = key_path(times, key, &dir);

	g_mutex_lock(&times->lock);
	if (read_time(path, digest, when)) {
		g_mutex_unlock(&times->lock);
		return;
	}
	clock_gettime(CLOCK_REALTIME, when);
	g_autofree char *line = g_strdup_printf("%s %lld %ld\n", digest, (long long)when->tv_sec,
						(long)when->tv_nsec);
	write_key(dir, path, line, -1, key);
	g_mutex_unlock(&times->lock);
}

#define FOLDER_HASH 32 /* hex digits kept of a name's and a content's sha256 */

static char *short_digest(GChecksumType type, const void *data, gsize len)
{
	g_autofree char *full = g_compute_checksum_for_data(type, data, len);

	return g_strndup(full, FOLDER_HASH);
}

/* The folder's file: "<name digest> <content digest> <seconds> <nanoseconds>" lines. */
static GHashTable *read_folder(const char *path)
{
	GHashTable *kept = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return kept;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		char name[FOLDER_HASH + 1], digest[FOLDER_HASH + 1];
		long long sec;
		long nsec;
		if (sscanf(*l, "%32s %32s %lld %ld", name, digest, &sec, &nsec) == 4 && sec > 0 &&
		    nsec >= 0 && nsec < 1000000000L)
			g_hash_table_replace(kept, g_strdup(name), g_strdup(*l));
	}
	return kept;
}

void times_seen_folder(RfsTimes *times, const char *key, guint n, const char *const *names,
		       GBytes *const *contents, struct timespec *whens)
{
	g_autofree char *folder_key = g_strconcat("folder:", key, NULL);
	g_autofree char *dir = NULL;
	g_autofree char *path = key_path(times, folder_key, &dir);
	g_autoptr(GString) out = g_string_new(NULL);
	struct timespec now;
	gboolean dirty;

	clock_gettime(CLOCK_REALTIME, &now);
	g_mutex_lock(&times->lock);
	g_autoptr(GHashTable) kept = read_folder(path);
	dirty = g_hash_table_size(kept) != n; /* names gone (or repeated) */
	for (guint i = 0; i < n; i++) {
		g_autofree char *name = short_digest(G_CHECKSUM_SHA256, names[i], strlen(names[i]));
		g_autofree char *digest =
			short_digest(G_CHECKSUM_SHA256, g_bytes_get_data(contents[i], NULL),
				     g_bytes_get_size(contents[i]));
		const char *line = g_hash_table_lookup(kept, name);
		long long sec;
		long nsec;
		char stored[FOLDER_HASH + 1];

		if (line &&
		    sscanf(line + FOLDER_HASH + 1, "%32s %lld %ld", stored, &sec, &nsec) == 3 &&
		    strcmp(stored, digest) == 0) {
			whens[i] = (struct timespec){ (time_t)sec, nsec };
		} else {
			whens[i] = now;
			dirty = TRUE;
		}
		g_string_append_printf(out, "%s %s %lld %ld\n", name, digest,
				       (long long)whens[i].tv_sec, (long)whens[i].tv_nsec);
	}
	if (dirty)
		write_key(dir, path, out->str, (gssize)out->len, key);
	g_mutex_unlock(&times->lock);
}

#define PUT_DIGEST "time" /* what stands for a content digest in a kept time's file */

gboolean times_get(RfsTimes *times, const char *key, struct timespec *when)
{
	g_autofree char *dir = NULL;
	g_autofree char *path = key_path(times, key, &dir);

	g_mutex_lock(&times->lock);
	gboolean found = read_time(path, PUT_DIGEST, when);
	g_mutex_unlock(&times->lock);
	return found;
}

void times_put(RfsTimes *times, const char *key, const struct timespec *when)
{
	g_autofree char *dir = NULL;
	g_autofree char *path = key_path(times, key, &dir);
	struct timespec kept;

	if (when->tv_sec <= 0)
		return;
	g_mutex_lock(&times->lock);
	if (!read_time(path, PUT_DIGEST, &kept) || kept.tv_sec != when->tv_sec ||
	    kept.tv_nsec != when->tv_nsec) {
		g_autofree char *line = g_strdup_printf(
			PUT_DIGEST " %lld %ld\n", (long long)when->tv_sec, (long)when->tv_nsec);
		write_key(dir, path, line, -1, key);
	}
	g_mutex_unlock(&times->lock);
}
