/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live refresh: every sync_interval seconds, one incremental sync of the
 * logged-in extension's message store (GET …/message-sync, ISync with the
 * last syncToken; FSync at start and whenever the server refuses the
 * token). What changed is applied to the message folders already listed,
 * without listing them again (tree_apply_record), the kernel is told, and
 * one line per change goes to the mount's events file (events.h).
 */
#pragma once

#include "events.h"
#include "tree.h"

typedef struct RfsLive RfsLive;

/* Starts the refresh thread (@interval seconds, above 0). @tree and @events are borrowed. */
RfsLive *live_new(RfsTree *tree, RfsEvents *events, int interval);
/* Stops the thread (a sync under way is cancelled) and frees it. */
void live_free(RfsLive *live);
