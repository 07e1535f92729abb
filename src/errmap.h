/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one table that turns an HTTP status, an API errorCode and a curl result into an errno. */
#pragma once

#include "rfs.h"

/* What the user was doing: the same status can mean different errnos. */
typedef enum {
	RFS_OP_READ,   /* GET of a listing, a document or content */
	RFS_OP_WRITE,  /* PUT or POST of a document or an action */
	RFS_OP_CREATE, /* POST that creates a new entry */
	RFS_OP_DELETE, /* DELETE */
} RfsOp;

/*
 * errmap_status_errno:
 * @status: HTTP status (>= 400)
 * @error_code: the API's errorCode ("CMN-102"), or NULL
 *
 * Returns: the errno for a failed request. Never 0.
 */
int errmap_status_errno(long status, const char *error_code, RfsOp op);

/*
 * errmap_curl_errno: the errno for a transfer that failed before an HTTP
 * status arrived (timeouts, refused connections, resets).
 */
int errmap_curl_errno(CURLcode code);
