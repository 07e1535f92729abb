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

void times_seen(RfsTimes *times, const char *key, GBytes *content, struct timespec *when)
{
	g_autofree char *digest = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, content);
	g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
	char shard[3] = { hash[0], hash[1], '\0' };
	g_autofree char *dir = g_build_filename(times->root, shard, NULL);
	g_autofree char *path = g_build_filename(dir, hash, NULL);
	g_autoptr(GError) error = NULL;

	g_mutex_lock(&times->lock);
	if (read_time(path, digest, when)) {
		g_mutex_unlock(&times->lock);
		return;
	}
	clock_gettime(CLOCK_REALTIME, when);
	g_autofree char *line = g_strdup_printf("%s %lld %ld\n", digest, (long long)when->tv_sec,
						(long)when->tv_nsec);
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    !g_file_set_contents_full(path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
		g_debug("cannot keep the time of %s: %s", key,
			error ? error->message : g_strerror(errno));
	g_mutex_unlock(&times->lock);
}
