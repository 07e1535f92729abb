/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The events hub (see events.h): one bounded buffer per reader. */
#include "events.h"
#include "http.h"

#include <string.h>

struct RfsEvents {
	GMutex lock;
	GCond arrived;		       /* signalled with lock when a line was published */
	GList *readers;		       /* RfsEventReader*; protected by lock */
	guint64 published;	       /* bytes; protected by lock */
	void (*notify)(gpointer data); /* protected by lock */
	gpointer notify_data;
	struct timespec last; /* of the last line; protected by lock */
};

struct RfsEventReader {
	RfsEvents *events;
	/* protected by events->lock: */
	GString *pending; /* whole lines not read yet */
	guint64 dropped;  /* lines lost since the buffer filled */
};

RfsEvents *events_new(void)
{
	RfsEvents *events = g_new0(RfsEvents, 1);

	g_mutex_init(&events->lock);
	g_cond_init(&events->arrived);
	return events;
}

void events_free(RfsEvents *events)
{
	if (!events)
		return;
	/* handles the kernel never released (the session ended with files open) */
	for (GList *l = events->readers; l; l = l->next) {
		RfsEventReader *r = l->data;
		g_string_free(r->pending, TRUE);
		g_free(r);
	}
	g_list_free(events->readers);
	g_cond_clear(&events->arrived);
	g_mutex_clear(&events->lock);
	g_free(events);
}

static char *now_iso(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	return g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
}

/* The line that stands for what @r lost, if it fits now. lock held. */
static void tell_dropped_locked(RfsEventReader *r, gsize room_after)
{
	g_autofree char *when = now_iso();
	g_autofree char *line = g_strdup_printf(
		"{\"time\":\"%s\",\"event\":\"dropped\",\"count\":%" G_GUINT64_FORMAT "}\n", when,
		r->dropped);
	gsize len = strlen(line);

	if (r->pending->len + len + room_after > RFS_EVENTS_BUFFER)
		return;
	g_string_append_len(r->pending, line, (gssize)len);
	r->dropped = 0;
}

void events_publish(RfsEvents *events, const char *line)
{
	gsize len = strlen(line) + 1;

	g_mutex_lock(&events->lock);
	events->published += len;
	clock_gettime(CLOCK_REALTIME, &events->last);
	for (GList *l = events->readers; l; l = l->next) {
		RfsEventReader *r = l->data;
		if (r->dropped)
			tell_dropped_locked(r, len);
		if (r->dropped || r->pending->len + len > RFS_EVENTS_BUFFER) {
			r->dropped++;
			continue;
		}
		g_string_append(r->pending, line);
		g_string_append_c(r->pending, '\n');
	}
	g_cond_broadcast(&events->arrived);
	void (*notify)(gpointer) = events->notify;
	gpointer data = events->notify_data;
	g_mutex_unlock(&events->lock);
	if (notify)
		notify(data);
}

void events_set_notify(RfsEvents *events, void (*func)(gpointer data), gpointer data)
{
	g_mutex_lock(&events->lock);
	events->notify = func;
	events->notify_data = data;
	g_mutex_unlock(&events->lock);
}

RfsEventReader *events_open(RfsEvents *events)
{
	RfsEventReader *r = g_new0(RfsEventReader, 1);

	r->events = events;
	r->pending = g_string_new(NULL);
	g_mutex_lock(&events->lock);
	events->readers = g_list_prepend(events->readers, r);
	g_mutex_unlock(&events->lock);
	return r;
}

void events_close(RfsEventReader *r)
{
	if (!r)
		return;
	g_mutex_lock(&r->events->lock);
	r->events->readers = g_list_remove(r->events->readers, r);
	g_mutex_unlock(&r->events->lock);
	g_string_free(r->pending, TRUE);
	g_free(r);
}

guint64 events_published(RfsEvents *events, struct timespec *last)
{
	g_mutex_lock(&events->lock);
	guint64 n = events->published;
	*last = events->last;
	g_mutex_unlock(&events->lock);
	return n;
}

GBytes *events_read(RfsEventReader *r, gsize size, gboolean wait, GError **error)
{
	RfsEvents *events = r->events;

	g_mutex_lock(&events->lock);
	for (;;) {
		if (r->pending->len == 0 && r->dropped)
			tell_dropped_locked(r, 0);
		if (r->pending->len > 0)
			break;
		if (!wait) {
			g_mutex_unlock(&events->lock);
			return g_bytes_new(NULL, 0);
		}
		/* no deadline: only an interrupt or the mount's end stops the wait */
		http_budget_extend(60);
		if (!http_budget_check(error)) {
			g_mutex_unlock(&events->lock);
			return NULL;
		}
		g_cond_wait_until(&events->arrived, &events->lock,
				  g_get_monotonic_time() + G_USEC_PER_SEC / 20);
	}
	gsize n = r->pending->len;
	if (n > size) {
		/* whole lines where they fit */
		const char *end = g_strrstr_len(r->pending->str, (gssize)size, "\n");
		n = end ? (gsize)(end - r->pending->str) + 1 : size;
	}
	GBytes *out = g_bytes_new(r->pending->str, n);
	g_string_erase(r->pending, 0, (gssize)n);
	g_mutex_unlock(&events->lock);
	return out;
}
