/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libcurl underneath: a pool of easy handles sharing connections, DNS and TLS
 * sessions, and one call that performs one request with deadlines.
 *
 * Every transfer has a connect timeout and a stall timeout (no byte for N
 * seconds); JSON requests also have a total deadline. Nothing here retries:
 * api.c decides what may be sent again.
 */
#pragma once

#include "rfs.h"

typedef struct RfsHttp RfsHttp;

typedef struct {
	const char *method;	   /* "GET" (default), "POST", "PUT", "DELETE" */
	const char *url;	   /* absolute */
	const char *authorization; /* full header value, or NULL */
	const char *content_type;  /* of the request body */
	const void *body;
	gsize body_len;
	const char *range; /* "bytes=0-99", or NULL */
	int out_fd;	   /* >= 0: the response body goes to this fd, not to memory */
	gsize max_body;	   /* cap for an in-memory body (0: RFS_MAX_JSON_BODY) */
	int timeout;	   /* total seconds, 0: none (downloads rely on the stall timeout) */
} RfsHttpRequest;

typedef struct {
	long status;
	GByteArray *body;	/* in-memory body (empty when out_fd was used) */
	goffset body_written;	/* bytes received */
	GHashTable *headers;	/* lower-case name → value */
	gboolean may_have_sent; /* the request may have reached the server */
} RfsHttpResponse;

#define RFS_HTTP_REQUEST_INIT                                                                      \
	{                                                                                          \
		.method = "GET", .out_fd = -1                                                      \
	}

RfsHttp *http_new(int connect_timeout, int stall_timeout);
void http_free(RfsHttp *http);

/*
 * http_perform:
 * Performs @req. Any HTTP status counts as success (the caller judges it);
 * failure means no complete response arrived, with @error set to the errno of
 * errmap_curl_errno() and curl's message. @resp is filled in either case and
 * must be cleared with http_response_clear().
 */
gboolean http_perform(RfsHttp *http, const RfsHttpRequest *req, RfsHttpResponse *resp,
		      GError **error);

void http_response_clear(RfsHttpResponse *resp);

/* The value of a response header, or NULL. (transfer none) */
const char *http_response_header(const RfsHttpResponse *resp, const char *lower_name);

/* Escapes a query value. (transfer full) */
char *http_escape(const char *value);
