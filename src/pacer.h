/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The arithmetic of pacing one usage-plan group: a sliding window of our own
 * request times. A request counts as in flight from when it is sent until its
 * answer, and then by the time its answer arrived, which is never before the
 * server counted it. The server's headers correct the limit and the window,
 * and a 429 blocks the whole group for Retry-After (RingCentral restarts its
 * penalty on every request made during it).
 *
 * Pure: times are passed in (monotonic µs), nothing sleeps and nothing locks;
 * api.c holds a lock around each call and does the waiting.
 */
#pragma once

#include "rfs.h"

#define PACER_MARGIN_US	 100000 /* our clock and the server's disagree a little */
#define PACER_MAX_WAIT_S 3600	/* the longest wait a server header can ask for */

typedef struct {
	GArray *done;  /* gint64 µs of answered requests still inside the window */
	int in_flight; /* sent, not answered */
	int limit;     /* requests per window; 0: no limit */
	gint64 window_us;
	gint64 blocked_until;
} RfsPacer;

void pacer_init(RfsPacer *p, int limit);
void pacer_clear(RfsPacer *p);

/*
 * pacer_next: 0 if a request may go at @now (it is then counted in flight),
 * else the time to look again.
 */
gint64 pacer_next(RfsPacer *p, gint64 now);

/*
 * pacer_answered: a request in flight ended at @now (answered or failed).
 * @limit, @window, @remaining, @retry_after are the answer's X-Rate-Limit-*
 * and Retry-After header values (NULL when absent); @throttled: it was a 429.
 * Returns the seconds the group is now blocked for after a 429, else 0.
 */
gint64 pacer_answered(RfsPacer *p, gint64 now, const char *limit, const char *window,
		      const char *remaining, const char *retry_after, gboolean throttled);
