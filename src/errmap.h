/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one table that turns an HTTP status, an API errorCode and a curl result into an errno,
 * and the readers of what a server says about a failure: error bodies, rate-limit headers.
 */
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

/*
 * errmap_set_error_from_body:
 * @status: HTTP status of the answer (>= 300)
 * @body, @len: its body as received: any bytes (JSON from the API, HTML from a proxy, nothing)
 * @url: named in the message when the body says nothing
 *
 * Sets @error (RFS_ERROR, the errno of errmap_status_errno()) from an API error
 * body: "CODE: message (HTTP status)" from the first of errors[] or the top
 * level, else "HTTP status from @url". Pure: no I/O, @body is only read.
 */
void errmap_set_error_from_body(long status, const void *body, gsize len, const char *url, RfsOp op,
				GError **error);

/*
 * errmap_header_seconds: a positive number from a header value (Retry-After,
 * X-Rate-Limit-Window, X-Rate-Limit-Limit), at most @max; @dflt when @value is
 * NULL, not a number, zero or negative. Never reads past @value's NUL.
 */
gint64 errmap_header_seconds(const char *value, gint64 dflt, gint64 max);
