/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What fs.c (reads) and fs-write.c (writes) share. Not for other modules. */
#pragma once

#include "fs.h"

#define STOP GSIZE_TO_POINTER(G_MAXSIZE) /* GAsyncQueue takes no NULL */

struct RfsFs {
	RfsTree *tree;		 /* borrowed */
	const RfsConfig *config; /* borrowed */
	struct fuse_session *se;
	GThread *notifier;
	GAsyncQueue *inval; /* Notice*: what the kernel must forget; STOP ends the thread */
	RfsEvents *events;  /* borrowed */
	gsize events_ino;   /* the events file once looked up, else 0 (atomic) */
	gint waiting;	    /* reads of the events file waiting now (atomic) */
	GMutex streams_lock;
	/* Handle*s of the events file open now, freed with fs if the session ends with them
	 * open; protected by streams_lock */
	GList *streams;
};

/*
 * What the notifier thread tells the kernel. Notifications go through a
 * thread of their own: sent from a handler, they could deadlock on a lock the
 * kernel holds for that very request.
 */
typedef struct {
	fuse_ino_t ino;	   /* an inode whose attributes and pages are stale, or */
	fuse_ino_t parent; /* a name in @parent that is gone */
	char *name;
} Notice;

/* An open file: rendered bytes, media as it arrives, or a file being written. */
typedef struct {
	GBytes *bytes;	 /* reading rendered bytes */
	RfsMedia *media; /* reading media */
	RfsNode *node;	 /* writing: the file written (a reference) */
	GMutex lock;	 /* writing: the kernel does not serialise reads and writes */
	GByteArray *buf; /* writing: the whole file as the user is making it; protected by lock */
	gboolean dirty;	 /* written (or truncated by setattr) since open or the last commit */
	pid_t opener;	 /* only its close commits: a child's close comes before the last write */
	gsize base;	 /* appends-only files: bytes before this are not the writer's to change */
	gboolean append; /* appends-only files opened O_APPEND: every write goes at the end */
	RfsEventReader *events; /* reading the events file */
	RfsNode *growing;	/* reading a file that grows: its bytes as they are now (a ref) */
	int stream_mode; /* events: 0 until the first read, then READ_WAITS or READ_FOLLOWS */
} Handle;

RfsFs *fs_of(fuse_req_t req);
void fs_reply_error(fuse_req_t req, RfsNode *node, const char *op, const GError *err);
/*
 * Called first by every handler that changes anything: FALSE, having replied
 * EACCES, when the caller is another user than the daemon's and others=write
 * was not given (with allow_other; without it the kernel lets nobody else in).
 */
gboolean fs_may_change(fuse_req_t req);
void fs_fill_entry(RfsFs *fs, RfsNode *node, struct fuse_entry_param *e);
/* @node's attributes (tree_stat, and the events file's running size and time). */
void fs_stat(RfsFs *fs, RfsNode *node, struct stat *st);
/* Frees @h and drops its reference on its node. */
void fs_handle_free(RfsFs *fs, Handle *h);
/* Tells the kernel (soon, from the notifier thread) that @node's name is gone. */
void fs_forget_name(RfsFs *fs, RfsNode *node);

/* fs-write.c */
void fs_open_for_write(fuse_req_t req, RfsNode *node, struct fuse_file_info *fi);
void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
	      struct fuse_file_info *fi);
void fs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void fs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi);
void fs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
	       struct fuse_file_info *fi);
void fs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		struct fuse_file_info *fi);
void fs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name);
void fs_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
	       const char *newname, unsigned int flags);
void fs_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value, size_t size,
		 int flags);
void fs_release_writer(RfsFs *fs, Handle *h);
