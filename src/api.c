/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pacing, retries, paging and error bodies for RingCentral requests. */
#include "api.h"
#include "errmap.h"
#include "lenient.h"
#include "pacer.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define MAX_READ_ATTEMPTS 4 /* network faults and 5xx on a GET */
#define MAX_THROTTLES	  8 /* 429s in a row before giving up */

/* One pacer per usage-plan group (pacer.h), each under its own lock. */
typedef struct {
	GMutex lock;
	RfsPacer pacer; /* protected by lock */
} Pacer;

struct RfsApi {
	const RfsConfig *config;
	RfsHttp *http;
	RfsAuth *auth;
	Pacer pacers[RFS_GROUP_COUNT];
	gint requests;	      /* atomic */
	gint64 trouble_since; /* monotonic µs of the first failure since the last answer, 0: none;
				 atomic (__atomic builtins) */
};

static const int default_limits[RFS_GROUP_COUNT] = {
	[RFS_GROUP_LIGHT] = 50, [RFS_GROUP_MEDIUM] = 40, [RFS_GROUP_HEAVY] = 10,
	[RFS_GROUP_AUTH] = 5,	[RFS_GROUP_NONE] = 0,
};

RfsApi *api_new(const RfsConfig *config, RfsHttp *http, RfsAuth *auth)
{
	RfsApi *api = g_new0(RfsApi, 1);

	api->config = config;
	api->http = http;
	api->auth = auth;
	for (int g = 0; g < RFS_GROUP_COUNT; g++) {
		g_mutex_init(&api->pacers[g].lock);
		pacer_init(&api->pacers[g].pacer, default_limits[g]);
	}
	return api;
}

void api_free(RfsApi *api)
{
	if (!api)
		return;
	for (int g = 0; g < RFS_GROUP_COUNT; g++) {
		pacer_clear(&api->pacers[g].pacer);
		g_mutex_clear(&api->pacers[g].lock);
	}
	g_free(api);
}

#define TROUBLE_MEMORY_US (60 * G_USEC_PER_SEC) /* a failure this old says nothing any more */

gboolean api_in_trouble(RfsApi *api)
{
	gint64 since = __atomic_load_n(&api->trouble_since, __ATOMIC_RELAXED);

	return since && g_get_monotonic_time() - since < TROUBLE_MEMORY_US;
}

void api_note_slow(RfsApi *api)
{
	gint64 expected = 0;

	__atomic_compare_exchange_n(&api->trouble_since, &expected, g_get_monotonic_time(), FALSE,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* What the last request said of the server: answering (@ok), or failing since now. */
static void note_health(RfsApi *api, gboolean ok)
{
	if (ok)
		__atomic_store_n(&api->trouble_since, 0, __ATOMIC_RELAXED);
	else
		api_note_slow(api);
}

guint64 api_request_count(RfsApi *api)
{
	return (guint64)(guint)g_atomic_int_get(&api->requests);
}

char *api_url(RfsApi *api, const char *path)
{
	if (g_str_has_prefix(path, "http://") || g_str_has_prefix(path, "https://"))
		return g_strdup(path);
	return g_strconcat(api->config->server, path, NULL);
}

/*
 * The bearer token goes only where the API is: the server's own host (any
 * port: the media host of a test server), or RingCentral's hosts over https.
 * A URL in a response that points elsewhere gets the request without it.
 */
static gboolean trusted_host(RfsApi *api, const char *url)
{
	g_autoptr(GUri) target = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	g_autoptr(GUri) server = g_uri_parse(api->config->server, G_URI_FLAGS_NONE, NULL);
	const char *host = target ? g_uri_get_host(target) : NULL;

	if (!host || !server)
		return FALSE;
	if (g_ascii_strcasecmp(host, g_uri_get_host(server)) == 0 &&
	    g_strcmp0(g_uri_get_scheme(target), g_uri_get_scheme(server)) == 0)
		return TRUE;
	return g_strcmp0(g_uri_get_scheme(target), "https") == 0 &&
	       (g_str_has_suffix(host, ".ringcentral.com") ||
		g_str_has_suffix(host, ".ringcentral.biz"));
}

/* A number of seconds from a header: positive and at most @max, else @dflt. */
static gint64 header_seconds(const char *value, gint64 dflt, gint64 max)
{
	return errmap_header_seconds(value, dflt, max);
}

/* Waits for room in @group's window and counts the request as in flight. */
static gboolean pace(RfsApi *api, RfsGroup group, GError **error)
{
	Pacer *p = &api->pacers[group];

	if (group == RFS_GROUP_NONE)
		return TRUE;
	for (;;) {
		gint64 now = g_get_monotonic_time();
		g_mutex_lock(&p->lock);
		gint64 until = pacer_next(&p->pacer, now);
		g_mutex_unlock(&p->lock);
		if (!until)
			return TRUE;
		if (until - now > (gint64)api->config->rate_wait * G_USEC_PER_SEC) {
			g_set_error(error, RFS_ERROR, EAGAIN,
				    "rate limit of the %s group: next request allowed in "
				    "%" G_GINT64_FORMAT " s, more than rate_wait",
				    rfs_group_name(group), (until - now) / G_USEC_PER_SEC);
			return FALSE;
		}
		g_debug("pacing %s group for %" G_GINT64_FORMAT " ms", rfs_group_name(group),
			(until - now) / 1000);
		if (!http_budget_sleep(until - now, error)) {
			g_prefix_error(error,
				       "rate limit of the %s group: ", rfs_group_name(group));
			return FALSE;
		}
	}
}

/*
 * After an answer (or a failure, @resp with status 0): the request leaves
 * flight; learn the server's limits; honour a 429 (@throttled).
 */
static void pace_done(RfsApi *api, RfsGroup group, const RfsHttpResponse *resp, gboolean throttled)
{
	Pacer *p = &api->pacers[group];

	if (group == RFS_GROUP_NONE)
		return;
	g_mutex_lock(&p->lock);
	gint64 blocked = pacer_answered(&p->pacer, g_get_monotonic_time(),
					http_response_header(resp, "x-rate-limit-limit"),
					http_response_header(resp, "x-rate-limit-window"),
					http_response_header(resp, "x-rate-limit-remaining"),
					http_response_header(resp, "retry-after"), throttled);
	g_mutex_unlock(&p->lock);
	if (blocked)
		g_info("%s group rate limited by the server: waiting %" G_GINT64_FORMAT " s",
		       rfs_group_name(group), blocked);
}

/* Sets @error from an API error body: errno by errmap, text "CODE: message". */
static void set_error_from_body(const RfsHttpResponse *resp, const char *url, RfsOp op,
				GError **error)
{
	errmap_set_error_from_body(resp->status, resp->body->data, resp->body->len, url, op, error);
}

/*
 * Media throttling has been seen to come back as HTTP 200 with a CMN-301
 * body: a download (to @fd) that brought a small JSON error body instead of
 * content. Only downloads: a JSON answer that merely mentions the code (an
 * SMS saying "CMN-301") is an answer.
 */
static gboolean is_throttle_body(const RfsHttpResponse *resp, int fd)
{
	const char *type = http_response_header(resp, "content-type");
	char buf[4096];
	ssize_t n;

	if (fd < 0 || !type || !g_str_has_prefix(type, "application/json") ||
	    resp->body_written > (goffset)sizeof(buf))
		return FALSE;
	n = pread(fd, buf, sizeof(buf), 0);
	if (n <= 0)
		return FALSE;
	g_autoptr(json_t) root = json_loadb(buf, (size_t)n, 0, NULL);
	json_t *first = json_array_get(json_object_get(root, "errors"), 0);
	const char *code = json_string_value(json_object_get(root, "errorCode"));
	if (!code)
		code = json_string_value(json_object_get(first, "errorCode"));
	return g_strcmp0(code, "CMN-301") == 0;
}

/* What one attempt brought, and so what perform() does next. */
typedef enum {
	VERDICT_ANSWER,	   /* a 2xx: done */
	VERDICT_REFUSED,   /* a status to report: its error body gives the errno */
	VERDICT_RETRY,	   /* a fault or a 5xx worth another attempt */
	VERDICT_REFRESH,   /* the first 401: refresh the token, then again */
	VERDICT_THROTTLED, /* a 429 (or a throttle body): pace() waits, then again */
	VERDICT_FAILED,	   /* no answer, and no retry: the transport's error */
} Verdict;

/*
 * The classification step: pure, from the attempt's outcome. @answered: a
 * whole response arrived (else @fault is the transport's errno and @sent
 * whether the request may have reached the server).
 */
static Verdict classify(gboolean answered, long status, gboolean throttled, int fault,
			gboolean sent, gboolean idempotent, gboolean refreshed, int faults)
{
	if (!answered) {
		/* a request that surely never arrived may go again, even a POST */
		gboolean again = (idempotent || !sent) && faults < MAX_READ_ATTEMPTS &&
				 fault != EFBIG && fault != EINTR && fault != ESHUTDOWN;
		return again ? VERDICT_RETRY : VERDICT_FAILED;
	}
	if (status == 401 && !refreshed)
		return VERDICT_REFRESH;
	if (throttled)
		return VERDICT_THROTTLED;
	if (status >= 500 && idempotent && faults < MAX_READ_ATTEMPTS)
		return VERDICT_RETRY;
	return status >= 300 ? VERDICT_REFUSED : VERDICT_ANSWER;
}

/* One attempt: paced, with the bearer token where it may go. FALSE: no attempt was made. */
static gboolean attempt(RfsApi *api, RfsGroup group, RfsHttpRequest *req, RfsHttpResponse *resp,
			char **bearer, gboolean *answered, gboolean *throttled, GError **fault,
			GError **error)
{
	if (!pace(api, group, error))
		return FALSE;
	if (!(*bearer = auth_bearer(api->auth, error))) {
		RfsHttpResponse none = { 0 };
		pace_done(api, group, &none, FALSE);
		return FALSE;
	}
	req->authorization = trusted_host(api, req->url) ? *bearer : NULL;
	g_atomic_int_inc(&api->requests);
	*answered = http_perform(api->http, req, resp, fault);
	req->authorization = NULL;
	*throttled = *answered && (resp->status == 429 ||
				   (resp->status == 200 && is_throttle_body(resp, req->out_fd)));
	pace_done(api, group, resp, *throttled);
	if (*answered || ((*fault)->code != EINTR && (*fault)->code != ESHUTDOWN))
		note_health(api, *answered && resp->status < 500);
	return TRUE;
}

/* The wait before attempt @faults + 1 after a 5xx or a fault: Retry-After, else backoff. */
static gint64 retry_wait(const RfsHttpResponse *resp, gboolean answered, int faults)
{
	gint64 wait = answered ? header_seconds(http_response_header(resp, "retry-after"), 0, 30) *
					 G_USEC_PER_SEC
			       : 0;
	return wait ? wait : (G_USEC_PER_SEC / 4) << faults;
}

/*
 * One request with everything it deserves: pacing, one refresh after a 401,
 * waits on 429. An idempotent request (GET, PUT, DELETE) is also retried with
 * backoff on 5xx and network faults; a non-idempotent one (POST) is sent again
 * only when the server surely did not act on it (401, 429, no connection),
 * and *@unknown tells when it may have acted although we got no answer.
 * Every wait stays within the operation's budget (http.h).
 * On success @resp holds a 2xx answer.
 */
static gboolean perform(RfsApi *api, RfsGroup group, RfsOp op, gboolean idempotent,
			RfsHttpRequest *req, RfsHttpResponse *resp, gboolean *unknown,
			GError **error)
{
	const char *method = req->method ? req->method : "GET";
	gboolean refreshed = FALSE;
	int faults = 0;
	int throttles = 0;

	if (unknown)
		*unknown = FALSE;
	for (;;) {
		g_autoptr(GError) fault = NULL;
		g_autoptr(RfsBearer) bearer = NULL;
		gboolean answered = FALSE, throttled = FALSE;

		if (!attempt(api, group, req, resp, &bearer, &answered, &throttled, &fault, error))
			return FALSE;
		gboolean sent = answered || resp->may_have_sent;
		Verdict verdict =
			classify(answered, resp->status, throttled, fault ? fault->code : 0, sent,
				 idempotent, refreshed, faults + 1);
		if (verdict == VERDICT_RETRY) {
			faults++;
			if (http_budget_sleep(retry_wait(resp, answered, faults), NULL)) {
				g_info("%s %s: %s, retrying", method, req->url,
				       fault ? fault->message : "server error");
				http_response_clear(resp);
				continue;
			}
			/* no time left to try again: what came is the answer */
			verdict = answered ? VERDICT_REFUSED : VERDICT_FAILED;
		}
		switch (verdict) {
		case VERDICT_ANSWER:
			return TRUE;
		case VERDICT_REFRESH:
			refreshed = TRUE;
			http_response_clear(resp);
			if (!auth_refresh(api->auth, bearer, error))
				return FALSE;
			continue;
		case VERDICT_THROTTLED:
			http_response_clear(resp);
			if (++throttles > MAX_THROTTLES) {
				g_set_error(error, RFS_ERROR, EAGAIN,
					    "%s %s: still rate limited after %d waits", method,
					    req->url, MAX_THROTTLES);
				return FALSE;
			}
			continue; /* pace() waits out the block, or fails past rate_wait */
		case VERDICT_FAILED:
			http_response_clear(resp);
			if (!idempotent && sent && unknown)
				*unknown = TRUE;
			g_propagate_prefixed_error(error, g_steal_pointer(&fault),
						   "%s %s: ", method, req->url);
			return FALSE;
		case VERDICT_REFUSED:
		case VERDICT_RETRY:
			break;
		}
		if (!idempotent && resp->status >= 500 && unknown)
			*unknown = TRUE; /* a 5xx may come after the work was done */
		set_error_from_body(resp, req->url, op, error);
		http_response_clear(resp);
		return FALSE;
	}
}

static gboolean get(RfsApi *api, RfsGroup group, RfsHttpRequest *req, RfsHttpResponse *resp,
		    GError **error)
{
	return perform(api, group, RFS_OP_READ, TRUE, req, resp, NULL, error);
}

/* Parses a JSON object answer; an empty body (204) gives NULL without error. */
static json_t *parse_object(const RfsHttpResponse *resp, const char *url, GError **error)
{
	json_error_t jerr;
	json_t *root;

	if (resp->body->len == 0)
		return NULL;
	root = json_loadb((const char *)resp->body->data, resp->body->len, 0, &jerr);
	if (!root || !json_is_object(root)) {
		g_set_error(error, RFS_ERROR, EIO, "%s: the server sent no JSON object (%s)", url,
			    root ? "not an object" : jerr.text);
		json_decref(root);
		return NULL;
	}
	return root;
}

gboolean api_send(RfsApi *api, const RfsApiSend *send, json_t **answer, GError **error)
{
	g_autofree char *url = api_url(api, send->path);
	RfsHttpRequest req = RFS_HTTP_REQUEST_INIT;
	RfsHttpResponse resp;
	gboolean idempotent = strcmp(send->method, "POST") != 0;
	g_autoptr(GError) local = NULL;
	gsize len = 0;

	g_assert(send->method && send->path);
	req.method = send->method;
	req.url = url;
	req.content_type = send->content_type;
	req.body = send->body ? g_bytes_get_data(send->body, &len) : NULL;
	req.body_len = len;
	req.timeout = api->config->request_timeout;
	if (answer)
		*answer = NULL;
	if (!perform(api, send->group, send->op, idempotent, &req, &resp, send->unknown, error))
		return FALSE;
	json_t *root = parse_object(&resp, url, &local);
	http_response_clear(&resp);
	if (local) {
		/* the request succeeded; only its answer is odd */
		g_info("%s %s: %s", send->method, url, local->message);
	}
	if (answer)
		*answer = root;
	else
		json_decref(root);
	return TRUE;
}

json_t *api_get_json(RfsApi *api, RfsGroup group, const char *path, GError **error)
{
	g_autofree char *url = api_url(api, path);
	RfsHttpRequest req = RFS_HTTP_REQUEST_INIT;
	RfsHttpResponse resp;
	json_error_t jerr;

	req.url = url;
	req.timeout = api->config->request_timeout;
	if (!get(api, group, &req, &resp, error))
		return NULL;
	gboolean repaired = FALSE;
	json_t *root =
		lenient_parse((const char *)resp.body->data, resp.body->len, &repaired, &jerr);
	http_response_clear(&resp);
	if (repaired)
		g_message("GET %s: the answer was not clean JSON (%s): repaired (invalid UTF-8 "
			  "replaced, integers past 64 bits as strings)",
			  url, jerr.text);
	if (!root || !json_is_object(root)) {
		g_set_error(error, RFS_ERROR, EIO, "GET %s: the server sent no JSON object (%s)",
			    url, root ? "not an object" : jerr.text);
		json_decref(root);
		return NULL;
	}
	return root;
}

/* @url with its query's @name set to @value (escaped), every other parameter kept. */
static char *with_param(const char *url, const char *name, const char *value)
{
	g_autofree char *escaped = g_uri_escape_string(value, NULL, FALSE);
	g_autofree char *prefix = g_strdup_printf("%s=", name);
	GString *out = g_string_new(NULL);
	const char *query = strchr(url, '?');

	g_string_append_len(out, url, query ? query - url : (gssize)strlen(url));
	char sep = '?';
	if (query) {
		g_auto(GStrv) params = g_strsplit(query + 1, "&", -1);
		for (int i = 0; params[i]; i++) {
			if (!*params[i] || g_str_has_prefix(params[i], prefix))
				continue;
			g_string_append_printf(out, "%c%s", sep, params[i]);
			sep = '&';
		}
	}
	g_string_append_printf(out, "%c%s=%s", sep, name, escaped);
	return g_string_free(out, FALSE);
}

char *api_with_page_token(const char *url, const char *token)
{
	return with_param(url, "pageToken", token);
}

/*
 * The next page of an answer that has no navigation, only numbered paging
 * (the company directory's entries: {page, totalPages}), or NULL.
 */
static char *next_numbered_page(const char *url, const json_t *root)
{
	const json_t *paging = json_object_get(root, "paging");
	json_int_t page = json_integer_value(json_object_get(paging, "page"));
	json_int_t pages = json_integer_value(json_object_get(paging, "totalPages"));

	if (json_object_get(root, "navigation") || page < 1 || page >= pages)
		return NULL;
	g_autofree char *next = g_strdup_printf("%" JSON_INTEGER_FORMAT, page + 1);
	return with_param(url, "page", next);
}

gboolean api_list(RfsApi *api, RfsGroup group, const char *path, RfsRecordFunc each, gpointer user,
		  GError **error)
{
	return api_list_from(api, group, path, NULL, each, user, error);
}

gboolean api_list_from(RfsApi *api, RfsGroup group, const char *path, json_t *first,
		       RfsRecordFunc each, gpointer user, GError **error)
{
	g_autofree char *url = api_url(api, path);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	gsize count = 0;

	for (int page = 0; url; page++) {
		if (page >= RFS_MAX_LISTING_PAGES || !g_hash_table_add(seen, g_strdup(url))) {
			g_set_error(error, RFS_ERROR, EIO,
				    "GET %s: the server's pages do not end (page %d; ringfs reads "
				    "at most %d pages of one listing)",
				    path, page, RFS_MAX_LISTING_PAGES);
			return FALSE;
		}
		g_autoptr(json_t) root = page == 0 && first ? json_incref(first)
							    : api_get_json(api, group, url, error);
		if (!root)
			return FALSE;
		json_t *records = json_object_get(root, "records");
		size_t i;
		json_t *record;

		if (!json_is_array(records)) {
			g_set_error(error, RFS_ERROR, EIO, "GET %s: the answer has no records",
				    url);
			return FALSE;
		}
		if (count + json_array_size(records) > RFS_MAX_LISTING_RECORDS) {
			g_set_error(error, RFS_ERROR, EIO,
				    "GET %s: more than %d records, ringfs's limit for one listing",
				    path, RFS_MAX_LISTING_RECORDS);
			return FALSE;
		}
		count += json_array_size(records);
		json_array_foreach (records, i, record) {
			if (json_is_object(record) && !each(record, user, error))
				return FALSE;
		}
		json_t *nav = json_object_get(root, "navigation");
		const char *next =
			json_string_value(json_object_get(json_object_get(nav, "nextPage"), "uri"));
		const char *token = json_string_value(json_object_get(nav, "nextPageToken"));
		g_autofree char *next_url = NULL;
		if (next && json_array_size(records) > 0)
			next_url = api_url(api, next);
		else if (token && *token && json_array_size(records) > 0)
			next_url = api_with_page_token(url, token); /* Glip pages by token */
		else if (json_array_size(records) > 0)
			next_url = next_numbered_page(url, root);
		g_free(url);
		url = g_steal_pointer(&next_url);
	}
	return TRUE;
}

gboolean api_download(RfsApi *api, RfsGroup group, const char *url, int fd,
		      const RfsDownloadWatch *watch, goffset *size, char **content_type,
		      GError **error)
{
	g_autofree char *abs = api_url(api, url);
	RfsHttpRequest req = RFS_HTTP_REQUEST_INIT;
	RfsHttpResponse resp;

	req.url = abs;
	req.out_fd = fd;
	if (watch) {
		req.on_data = watch->on_data;
		req.on_data_user = watch->user;
	}
	if (!get(api, group, &req, &resp, error))
		return FALSE;
	*size = resp.body_written;
	if (content_type)
		*content_type = g_strdup(http_response_header(&resp, "content-type"));
	http_response_clear(&resp);
	/* an earlier attempt may have written further (the content is the same) */
	if (ftruncate(fd, (off_t)*size) != 0) {
		g_set_error(error, RFS_ERROR, errno, "cannot trim the downloaded file: %s",
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
