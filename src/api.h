/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RingCentral semantics over http.c: URLs, paging, pacing per usage-plan
 * group, Retry-After, one token refresh after a 401, retries of reads, and
 * error bodies turned into GErrors (errno from errmap.c, the server's
 * errorCode and message as the text).
 *
 * Only reads are retried here; nothing in this file sends a write twice.
 */
#pragma once

#include "auth.h"
#include "config.h"
#include "errmap.h"
#include "http.h"

typedef struct RfsApi RfsApi;

/* api_new: all three are borrowed and must outlive the result. */
RfsApi *api_new(const RfsConfig *config, RfsHttp *http, RfsAuth *auth);
void api_free(RfsApi *api);

/* The absolute URL of @path ("/restapi/…"), or a copy of @path if it is absolute. (transfer full)
 */
char *api_url(RfsApi *api, const char *path);

/* api_get_json: GET a JSON object. (transfer full) NULL with @error set on failure. */
json_t *api_get_json(RfsApi *api, RfsGroup group, const char *path, GError **error);

/*
 * api_list: GETs @path and every following page (navigation.nextPage), calling
 * @each for every record (borrowed: valid during the call only). Stops at the
 * first error, from the server or from @each.
 */
typedef gboolean (*RfsRecordFunc)(json_t *record, gpointer user, GError **error);
gboolean api_list(RfsApi *api, RfsGroup group, const char *path, RfsRecordFunc each, gpointer user,
		  GError **error);
/* api_list_from: the same, with @first (borrowed; NULL: GET it) as the answer to @path. */
gboolean api_list_from(RfsApi *api, RfsGroup group, const char *path, json_t *first,
		       RfsRecordFunc each, gpointer user, GError **error);

/* @url with its pageToken parameter set to @token, any older one dropped (Glip paging). (transfer
 * full) */
char *api_with_page_token(const char *url, const char *token);

/*
 * api_download: GET binary content at @url into @fd, written at offsets from
 * 0 (a retry writes the same bytes again over what an earlier attempt left).
 * @watch (may be NULL) hears of every piece as it lands, for readers of a
 * download in progress. @size gets the byte count (the file is trimmed to
 * it), @content_type (if not NULL) the answer's Content-Type or NULL.
 * (transfer full)
 */
typedef struct {
	void (*on_data)(gpointer user, const RfsHttpResponse *resp);
	gpointer user;
} RfsDownloadWatch;
gboolean api_download(RfsApi *api, RfsGroup group, const char *url, int fd,
		      const RfsDownloadWatch *watch, goffset *size, char **content_type,
		      GError **error);

/*
 * api_send: a PUT, POST or DELETE (@send says which, where and what).
 * @answer gets the JSON object answered (NULL for an empty answer; may be
 * NULL). A POST is never sent twice once it may have reached the server;
 * when it may have been acted on without an answer (connection lost, 5xx),
 * *@send->unknown is set and the caller must find out before telling the user
 * anything. Errors carry errmap's errno for @send->op.
 */
typedef struct {
	RfsGroup group;		  /* usage-plan group */
	RfsOp op;		  /* for the errno of a refusal */
	const char *method;	  /* "PUT", "POST", "DELETE" */
	const char *path;	  /* "/restapi/…" or an absolute URL */
	const char *content_type; /* of @body, or NULL */
	GBytes *body;		  /* or NULL */
	gboolean *unknown;	  /* out, may be NULL: the outcome of a POST is unknown */
} RfsApiSend;
gboolean api_send(RfsApi *api, const RfsApiSend *send, json_t **answer, GError **error);

/* TRUE while the server is failing (no connection, timeouts, 5xx) and has not answered since. */
gboolean api_in_trouble(RfsApi *api);
/* A caller gave up waiting for an answer that is still coming: the server is slow. */
void api_note_slow(RfsApi *api);

/* Requests sent since the mount, all groups (for the statistics file and tests). */
guint64 api_request_count(RfsApi *api);
