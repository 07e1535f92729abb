/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libcurl handle pool, shared connection cache, deadlines. */
#include "http.h"
#include "errmap.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct RfsHttp {
	CURLSH *share;
	GMutex share_locks[CURL_LOCK_DATA_LAST];
	GMutex pool_lock;
	GPtrArray *idle; /* CURL*, protected by pool_lock */
	int connect_timeout;
	int stall_timeout;
};

/* ---- budgets ---------------------------------------------------------------- */

struct RfsBudget {
	guint64 id;
	gint64 deadline; /* monotonic µs */
	gint cancelled;	 /* atomic */
};

static GMutex budgets_lock;
static GHashTable *budgets; /* id → RfsBudget*, live ones only; protected by budgets_lock */
static guint64 next_budget_id = 1;
static gint stopping; /* atomic: http_stop was called */
static GPrivate current_budget;

RfsBudget *http_budget_begin(int seconds)
{
	RfsBudget *b = g_new0(RfsBudget, 1);

	b->deadline = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
	g_mutex_lock(&budgets_lock);
	if (!budgets)
		budgets = g_hash_table_new(g_int64_hash, g_int64_equal);
	b->id = next_budget_id++;
	g_hash_table_insert(budgets, &b->id, b);
	g_mutex_unlock(&budgets_lock);
	g_private_set(&current_budget, b);
	return b;
}

void http_budget_extend(int seconds)
{
	RfsBudget *b = g_private_get(&current_budget);
	gint64 until = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;

	if (b)
		b->deadline = MAX(b->deadline, until);
}

void http_budget_end(RfsBudget *budget)
{
	if (!budget)
		return;
	g_mutex_lock(&budgets_lock);
	g_hash_table_remove(budgets, &budget->id);
	g_mutex_unlock(&budgets_lock);
	if (g_private_get(&current_budget) == budget)
		g_private_set(&current_budget, NULL);
	g_free(budget);
}

guint64 http_budget_id(RfsBudget *budget)
{
	return budget->id;
}

void http_budget_cancel(guint64 id)
{
	g_mutex_lock(&budgets_lock);
	RfsBudget *b = budgets ? g_hash_table_lookup(budgets, &id) : NULL;
	if (b)
		g_atomic_int_set(&b->cancelled, 1);
	g_mutex_unlock(&budgets_lock);
}

gint64 http_budget_left(void)
{
	RfsBudget *b = g_private_get(&current_budget);
	return b ? b->deadline - g_get_monotonic_time() : G_MAXINT64;
}

gboolean http_budget_check(GError **error)
{
	RfsBudget *b = g_private_get(&current_budget);

	if (g_atomic_int_get(&stopping)) {
		g_set_error(error, RFS_ERROR, ESHUTDOWN, "the mount is going away");
		return FALSE;
	}
	if (b && g_atomic_int_get(&b->cancelled)) {
		g_set_error(error, RFS_ERROR, EINTR, "interrupted");
		return FALSE;
	}
	if (b && g_get_monotonic_time() >= b->deadline) {
		g_set_error(error, RFS_ERROR, ETIMEDOUT,
			    "no answer within request_timeout (the whole operation's limit)");
		return FALSE;
	}
	return TRUE;
}

#define BUDGET_TICK_US (G_USEC_PER_SEC / 20) /* how often a wait looks at its budget */
#define DOWNLOAD_PIECE (256 * 1024L)	     /* CURLOPT_BUFFERSIZE of a download to a file */

gboolean http_budget_sleep(gint64 us, GError **error)
{
	gint64 until = g_get_monotonic_time() + us;

	if (us > http_budget_left()) {
		g_set_error(error, RFS_ERROR, ETIMEDOUT,
			    "a wait of %" G_GINT64_FORMAT " s would pass request_timeout",
			    us / G_USEC_PER_SEC);
		return FALSE;
	}
	for (gint64 now = g_get_monotonic_time(); now < until; now = g_get_monotonic_time()) {
		if (!http_budget_check(error))
			return FALSE;
		g_usleep((gulong)MIN(until - now, BUDGET_TICK_US));
	}
	return TRUE;
}

gboolean http_budget_lock(GMutex *mutex, GError **error)
{
	while (!g_mutex_trylock(mutex)) {
		if (!http_budget_check(error))
			return FALSE;
		g_usleep(BUDGET_TICK_US / 5);
	}
	return TRUE;
}

/* curl's progress callback: a transfer ends when its operation does. */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	return http_budget_check(NULL) ? 0 : 1;
}

void http_stop(void)
{
	g_atomic_int_set(&stopping, 1);
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *user)
{
	RfsHttp *http = user;
	g_mutex_lock(&http->share_locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *user)
{
	RfsHttp *http = user;
	g_mutex_unlock(&http->share_locks[data]);
}

RfsHttp *http_new(int connect_timeout, int stall_timeout)
{
	RfsHttp *http = g_new0(RfsHttp, 1);

	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		g_mutex_init(&http->share_locks[i]);
	g_mutex_init(&http->pool_lock);
	http->idle = g_ptr_array_new();
	http->connect_timeout = connect_timeout;
	http->stall_timeout = stall_timeout;
	http->share = curl_share_init();
	curl_share_setopt(http->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(http->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(http->share, CURLSHOPT_USERDATA, http);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	return http;
}

void http_free(RfsHttp *http)
{
	if (!http)
		return;
	for (guint i = 0; i < http->idle->len; i++)
		curl_easy_cleanup(http->idle->pdata[i]);
	g_ptr_array_unref(http->idle);
	curl_share_cleanup(http->share);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		g_mutex_clear(&http->share_locks[i]);
	g_mutex_clear(&http->pool_lock);
	g_free(http);
}

static CURL *pool_take(RfsHttp *http)
{
	CURL *curl = NULL;

	g_mutex_lock(&http->pool_lock);
	if (http->idle->len > 0)
		curl = g_ptr_array_steal_index_fast(http->idle, http->idle->len - 1);
	g_mutex_unlock(&http->pool_lock);
	if (!curl)
		curl = curl_easy_init();
	else
		curl_easy_reset(curl);
	return curl;
}

static void pool_give(RfsHttp *http, CURL *curl)
{
	g_mutex_lock(&http->pool_lock);
	g_ptr_array_add(http->idle, curl);
	g_mutex_unlock(&http->pool_lock);
}

typedef struct {
	const RfsHttpRequest *req;
	RfsHttpResponse *resp;
	CURL *curl;
	gboolean to_fd; /* a 2xx answer of a request with out_fd: its body goes there */
	gboolean too_big;
	int write_errno;
	guint8 *pending; /* to_fd: bytes received, not yet in the file (DOWNLOAD_PIECE) */
	gsize pending_len;
} Transfer;

/* The body's first bytes: the status and headers are in. Where does the body go? */
static void body_starts(Transfer *t)
{
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->resp->status);
	/* an error body stays in memory: the file holds content only */
	t->to_fd = t->req->out_fd >= 0 && t->resp->status >= 200 && t->resp->status < 300;
}

/*
 * Writes the pending bytes to the file at their own offset from 0, whatever an
 * earlier attempt left: the bytes at a URL never change, so readers of a file
 * being downloaded never see anything but the content (http.h: on_data).
 */
static gboolean flush_pending(Transfer *t)
{
	for (gsize done = 0; done < t->pending_len;) {
		ssize_t n = pwrite(t->req->out_fd, t->pending + done, t->pending_len - done,
				   (off_t)(t->resp->body_written + (goffset)done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			t->write_errno = n < 0 ? errno : EIO;
			return FALSE;
		}
		done += (gsize)n;
	}
	t->resp->body_written += (goffset)t->pending_len;
	t->pending_len = 0;
	if (t->req->on_data)
		t->req->on_data(t->req->on_data_user, t->resp);
	return TRUE;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	Transfer *t = user;
	size_t len = size * nmemb;

	if (t->resp->body_written == 0 && t->resp->body->len == 0 && t->pending_len == 0)
		body_starts(t);
	if (t->to_fd) {
		if (t->resp->body_written + (goffset)(t->pending_len + len) > RFS_MAX_CONTENT) {
			t->too_big = TRUE;
			return 0;
		}
		/*
		 * curl hands over at most CURL_MAX_WRITE_SIZE (16 KiB) at a time, and
		 * each write to the file costs the file system as much as the copy
		 * (ext4: a journalled time update, a delayed allocation per call).
		 * Pieces are gathered into writes of up to DOWNLOAD_PIECE, but never
		 * held back from a reader: the first piece (open waits for it), and a
		 * piece shorter than curl's largest (the socket had no more for now: a
		 * slow link) go to the file at once.
		 */
		if (!t->pending)
			t->pending = g_malloc(DOWNLOAD_PIECE);
		if (t->pending_len + len > DOWNLOAD_PIECE && !flush_pending(t))
			return 0;
		if (len > DOWNLOAD_PIECE) { /* more than curl hands over: straight through */
			t->pending_len = 0;
			guint8 *held = t->pending;
			t->pending = (guint8 *)data;
			t->pending_len = len;
			gboolean ok = flush_pending(t);
			t->pending = held;
			return ok ? len : 0;
		}
		memcpy(t->pending + t->pending_len, data, len);
		t->pending_len += len;
		if ((t->resp->body_written == 0 || len < CURL_MAX_WRITE_SIZE ||
		     t->pending_len + CURL_MAX_WRITE_SIZE > DOWNLOAD_PIECE) &&
		    !flush_pending(t))
			return 0;
		return len;
	} else {
		gsize cap = t->req->max_body ? t->req->max_body : RFS_MAX_JSON_BODY;
		if (t->resp->body->len + len > cap) {
			t->too_big = TRUE;
			return 0;
		}
		g_byte_array_append(t->resp->body, (const guint8 *)data, (guint)len);
	}
	t->resp->body_written += (goffset)len;
	return len;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	Transfer *t = user;
	size_t len = size * nmemb;
	const char *colon = memchr(data, ':', len);

	if (g_str_has_prefix(data, "HTTP/")) {
		/* a new response (after a redirect or 100-continue): forget older headers */
		g_hash_table_remove_all(t->resp->headers);
		return len;
	}
	if (!colon)
		return len;
	g_autofree char *name = g_ascii_strdown(data, colon - data);
	g_autofree char *value = g_strndup(colon + 1, len - (gsize)(colon + 1 - data));
	g_hash_table_replace(t->resp->headers, g_steal_pointer(&name), g_strdup(g_strstrip(value)));
	return len;
}

gboolean http_perform(RfsHttp *http, const RfsHttpRequest *req, RfsHttpResponse *resp,
		      GError **error)
{
	Transfer t = { .req = req, .resp = resp };
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *curl = pool_take(http);

	t.curl = curl;
	memset(resp, 0, sizeof(*resp));
	resp->body = g_byte_array_new();
	resp->headers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (!http_budget_check(error)) {
		if (curl)
			pool_give(http, curl);
		return FALSE;
	}
	if (!curl) {
		g_set_error(error, RFS_ERROR, ENOMEM, "cannot create a curl handle");
		return FALSE;
	}

	curl_easy_setopt(curl, CURLOPT_URL, req->url);
	curl_easy_setopt(curl, CURLOPT_SHARE, http->share);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)http->connect_timeout);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, (long)http->stall_timeout);
	gint64 left_ms = http_budget_left() / 1000;
	if (req->timeout > 0)
		left_ms = MIN(left_ms, (gint64)req->timeout * 1000);
	if (left_ms != G_MAXINT64 / 1000)
		curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)MAX(left_ms, 1));
	/* downloads to a file take larger pieces: fewer writes and fewer wake-ups of readers */
	curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, req->out_fd >= 0 ? DOWNLOAD_PIECE : 16384L);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "ringfs/" PACKAGE_VERSION);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");

	if (req->authorization) {
		g_autofree char *h = g_strdup_printf("Authorization: %s", req->authorization);
		headers = curl_slist_append(headers, h);
		explicit_bzero(h, strlen(h));
	}
	if (req->content_type) {
		g_autofree char *h = g_strdup_printf("Content-Type: %s", req->content_type);
		headers = curl_slist_append(headers, h);
	}
	headers = curl_slist_append(headers, "Accept: application/json, */*");
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	if (req->range)
		curl_easy_setopt(curl, CURLOPT_RANGE, req->range + strlen("bytes="));

	const char *method = req->method ? req->method : "GET";
	/*
	 * libcurl silently sends a request again when a reused connection turns
	 * out dead: a POST must never be sent twice, so it gets a new connection.
	 */
	if (strcmp(method, "POST") == 0)
		curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
	if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
		if (req->body || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
			curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body ? req->body : "");
			curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)req->body_len);
		}
	}

	CURLcode rc = curl_easy_perform(curl);
	/* what was gathered and not yet written (the last pieces, or those before a failure) */
	if (t.pending_len && !t.write_errno && !flush_pending(&t) && rc == CURLE_OK)
		rc = CURLE_WRITE_ERROR;
	g_free(t.pending);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
	long sent = 0;
	curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &sent);
	resp->may_have_sent = rc == CURLE_OK || sent > 0 || resp->status > 0;

	/* the authorization header lives on in the slist: wipe it */
	for (struct curl_slist *h = headers; h; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(headers);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);

	if (rc != CURLE_OK) {
		int err = errmap_curl_errno(rc);
		g_autoptr(GError) ended = NULL;
		if (t.too_big)
			err = EFBIG;
		else if (t.write_errno)
			err = t.write_errno;
		if ((rc == CURLE_ABORTED_BY_CALLBACK || rc == CURLE_OPERATION_TIMEDOUT) &&
		    !http_budget_check(&ended)) {
			/* the operation's budget ended it: say which way */
			g_propagate_error(error, g_steal_pointer(&ended));
			curl_easy_cleanup(curl);
			return FALSE;
		}
		g_set_error(error, RFS_ERROR, err, "%s",
			    t.too_big ? "response too large"
			    : *errbuf ? errbuf
				      : curl_easy_strerror(rc));
		/* a handle that failed mid-transfer is not worth keeping */
		curl_easy_cleanup(curl);
		return FALSE;
	}
	pool_give(http, curl);
	return TRUE;
}

void http_response_clear(RfsHttpResponse *resp)
{
	if (resp->body)
		g_byte_array_unref(resp->body);
	if (resp->headers)
		g_hash_table_unref(resp->headers);
	memset(resp, 0, sizeof(*resp));
}

const char *http_response_header(const RfsHttpResponse *resp, const char *lower_name)
{
	return resp->headers ? g_hash_table_lookup(resp->headers, lower_name) : NULL;
}

char *http_escape(const char *value)
{
	return g_uri_escape_string(value, NULL, FALSE);
}
