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

typedef struct RfsHttpResponse RfsHttpResponse;

typedef struct {
	const char *method;	   /* "GET" (default), "POST", "PUT", "DELETE" */
	const char *url;	   /* absolute */
	const char *authorization; /* full header value, or NULL */
	const char *content_type;  /* of the request body */
	const void *body;
	gsize body_len;
	const char *range; /* "bytes=0-99", or NULL */
	int out_fd; /* >= 0: a 2xx body goes to this fd (pwrite from offset 0), not to memory */
	/* with out_fd: called on the transfer's thread after each piece is in the file */
	void (*on_data)(gpointer user, const RfsHttpResponse *resp);
	gpointer on_data_user;
	gsize max_body; /* cap for an in-memory body (0: RFS_MAX_JSON_BODY) */
	int timeout;	/* total seconds, 0: none (downloads rely on the stall timeout) */
} RfsHttpRequest;

struct RfsHttpResponse {
	long status;
	GByteArray *body;	/* in-memory body (empty when out_fd took it) */
	goffset body_written;	/* bytes received */
	GHashTable *headers;	/* lower-case name → value */
	gboolean may_have_sent; /* the request may have reached the server */
};

#define RFS_HTTP_REQUEST_INIT                                                                      \
	{                                                                                          \
		.method = "GET", .out_fd = -1                                                      \
	}

/*
 * The budget of one file operation. Everything a FUSE request makes the
 * server do (requests, retries, rate-limit and Retry-After waits, a token
 * refresh) runs on the thread that serves it, so the budget is thread-local:
 * begun by fs.c when a request arrives, ended when it is answered. Every
 * transfer and every wait stops at the deadline (ETIMEDOUT), when the
 * request is interrupted (a killed or ^C'd reader: EINTR), and when the
 * mount goes away (ESHUTDOWN). Threads without a budget (startup, background
 * work) get one of request_timeout per request.
 */
typedef struct RfsBudget RfsBudget;

/* Starts a budget of @seconds for this thread. (transfer full: end it with http_budget_end) */
RfsBudget *http_budget_begin(int seconds);
/* Gives the current budget at least @seconds from now (a download's own deadline). */
void http_budget_extend(int seconds);
void http_budget_end(RfsBudget *budget);
/*
 * The operation behind @budget was interrupted. Safe from any thread, and at
 * any time, even after the budget ended (@id is http_budget_id's, not a pointer).
 */
void http_budget_cancel(guint64 id);
guint64 http_budget_id(RfsBudget *budget);
/* FALSE with @error set when this thread's budget is spent, cancelled or the mount stopping. */
gboolean http_budget_check(GError **error);
/* Sleeps @us, or less with FALSE and @error set when the budget cannot wait that long. */
gboolean http_budget_sleep(gint64 us, GError **error);
/* Locks @mutex, waiting no longer than the budget allows. */
gboolean http_budget_lock(GMutex *mutex, GError **error);
/* Microseconds left of this thread's budget (G_MAXINT64: none). */
gint64 http_budget_left(void);

RfsHttp *http_new(int connect_timeout, int stall_timeout);
/* Ends every transfer and wait, now and from now on (the mount is going away). */
void http_stop(void);
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
