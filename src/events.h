/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The events of a mount (the `events` file at its root): lines published by
 * the live refresh (live.h), each copied to every reader that was open when
 * it was published. A reader sees only what happens after it opened.
 *
 * A reader's buffer is bounded (RFS_EVENTS_BUFFER bytes): a reader that does
 * not keep up loses lines rather than holding up the daemon, and reads, where
 * the lost lines would have been, one line saying how many were dropped:
 *   {"time":"…","event":"dropped","count":N}
 * Thread-safe.
 */
#pragma once

#include "rfs.h"

#include <time.h>

#define RFS_EVENTS_BUFFER (64 * 1024) /* bytes one reader may have waiting */

typedef struct RfsEvents RfsEvents;
typedef struct RfsEventReader RfsEventReader;

RfsEvents *events_new(void);
/* Readers still open are freed with it. */
void events_free(RfsEvents *events);

/* @func(@data) is called (no lock held) after each line is published; NULL: none. */
void events_set_notify(RfsEvents *events, void (*func)(gpointer data), gpointer data);

/* Copies @line (one line, without its newline) to every reader. */
void events_publish(RfsEvents *events, const char *line);

/* A new reader, seeing what is published from now on. (transfer full: events_close) */
RfsEventReader *events_open(RfsEvents *events);
void events_close(RfsEventReader *reader);

/*
 * events_read: at most @size bytes of whole lines (a line longer than @size:
 * its first @size bytes). With @wait, waits until there is one: the wait
 * ends with an error only when this thread's request is interrupted or the
 * mount stops (http.h budget), never by request_timeout. Without, gives what
 * there is (maybe nothing) at once. (transfer full)
 */
GBytes *events_read(RfsEventReader *reader, gsize size, gboolean wait, GError **error);

/* Bytes published since the events began, and when the last line was (0: none yet). */
guint64 events_published(RfsEvents *events, struct timespec *last);
