/* SPDX-License-Identifier: GPL-2.0-or-later */
/* FUSE low-level operations: resolve the node, ask the tree, reply. No HTTP here. */
#pragma once

#include "events.h"
#include "tree.h"

typedef struct RfsFs RfsFs;

/*
 * fs_new: @tree, @config and @events (what the events file shows) are
 * borrowed. Starts the kernel-notification thread.
 */
RfsFs *fs_new(RfsTree *tree, const RfsConfig *config, RfsEvents *events);

/* The events file changed (a line was published): its size and time move on. */
void fs_events_changed(RfsFs *fs);
/* Stops the notification thread and frees. Call after the session loop ended. */
void fs_free(RfsFs *fs);

/* The operations; userdata for fuse_session_new() is the RfsFs. */
const struct fuse_lowlevel_ops *fs_operations(void);

/* Stops the notification thread; call before fuse_session_destroy(). */
void fs_stop(RfsFs *fs);

/* Needed for notifications; set before the loop starts. */
void fs_set_session(RfsFs *fs, struct fuse_session *se);
