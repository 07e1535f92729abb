/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Usage-plan pacing arithmetic (see pacer.h). */
#include "pacer.h"
#include "errmap.h"

#include <string.h>

void pacer_init(RfsPacer *p, int limit)
{
	memset(p, 0, sizeof(*p));
	p->done = g_array_new(FALSE, FALSE, sizeof(gint64));
	p->limit = limit;
	p->window_us = 60 * G_USEC_PER_SEC;
}

void pacer_clear(RfsPacer *p)
{
	g_array_unref(p->done);
	p->done = NULL;
}

gint64 pacer_next(RfsPacer *p, gint64 now)
{
	gint64 oldest = G_MAXINT64;

	g_assert(p->in_flight >= 0);
	for (guint i = p->done->len; i-- > 0;) {
		gint64 t = g_array_index(p->done, gint64, i);
		if (t + p->window_us + PACER_MARGIN_US <= now)
			g_array_remove_index_fast(p->done, i);
		else
			oldest = MIN(oldest, t);
	}
	int used = (int)p->done->len + p->in_flight;
	if (p->blocked_until > now)
		return p->blocked_until;
	if (p->limit > 0 && used >= p->limit)
		/* full: the oldest answered request leaves the window first; with only
		 * requests in flight, look again shortly */
		return oldest != G_MAXINT64 ? oldest + p->window_us + PACER_MARGIN_US
					    : now + G_USEC_PER_SEC / 10;
	p->in_flight++;
	return 0;
}

gint64 pacer_answered(RfsPacer *p, gint64 now, const char *limit, const char *window,
		      const char *remaining, const char *retry_after, gboolean throttled)
{
	gint64 blocked = 0;

	g_assert(p->in_flight > 0);
	p->in_flight--;
	g_array_append_val(p->done, now);
	if (limit)
		p->limit = (int)errmap_header_seconds(limit, p->limit, 100000);
	if (window)
		p->window_us = errmap_header_seconds(window, p->window_us / G_USEC_PER_SEC,
						     PACER_MAX_WAIT_S) *
			       G_USEC_PER_SEC;
	if (throttled) {
		blocked = errmap_header_seconds(retry_after, MAX(30, p->window_us / G_USEC_PER_SEC),
						PACER_MAX_WAIT_S);
		p->blocked_until = MAX(p->blocked_until, now + blocked * G_USEC_PER_SEC);
	} else if (remaining && g_ascii_strtoll(remaining, NULL, 10) == 0 &&
		   (int)p->done->len + p->in_flight < p->limit) {
		/* someone else spent this window: wait for it rather than earn a penalty */
		p->blocked_until = MAX(p->blocked_until, now + p->window_us);
	}
	return blocked;
}
