/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Content times: when ringfs first saw the content a key (a document's URL)
 * now has, kept on disk under cache_dir/times/<2 hex>/<sha256 of the key> as
 * "<sha256 of the content> <seconds> <nanoseconds>". A document whose record
 * has no time of its own shows this as its mtime: unchanged content keeps its
 * time across remounts (rsync, find -newer), changed content gets the time
 * ringfs saw it change. Thread-safe; a file that cannot be read or written
 * costs only the persistence (the time is then the time of this look).
 */
#pragma once

#include "rfs.h"

#include <time.h>

typedef struct RfsTimes RfsTimes;

/* Times kept under @dir/times. (transfer full) */
RfsTimes *times_new(const char *dir);
void times_free(RfsTimes *times);

/*
 * times_seen: the time @content was first seen at @key: the stored time if
 * the stored digest is @content's, else now (which is stored).
 */
void times_seen(RfsTimes *times, const char *key, GBytes *content, struct timespec *when);

/*
 * times_seen_folder: times_seen for the @n files a listing of the folder
 * @key made from its records (@names, their @contents), kept in one file for
 * the folder: a listing costs one read, and a write only when something in it
 * is new or changed. @whens gets each file's time.
 */
void times_seen_folder(RfsTimes *times, const char *key, guint n, const char *const *names,
		       GBytes *const *contents, struct timespec *whens);

/* times_get: the time last kept at @key by times_put; FALSE if none. */
gboolean times_get(RfsTimes *times, const char *key, struct timespec *when);
/* times_put: keeps @when at @key (a folder's time, for its next mount's first look). */
void times_put(RfsTimes *times, const char *key, const struct timespec *when);
