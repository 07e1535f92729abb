/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JWT grant, refresh grant, and the 0600 token store with its lock. */
#include "auth.h"
#include "errmap.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_AUTH_ATTEMPTS 4

struct RfsAuth {
	RfsHttp *http;		 /* borrowed */
	const RfsConfig *config; /* borrowed */
	int store_lock;		 /* fd holding the flock on <token_file>.lock, or -1 */
	GMutex lock;
	/* protected by lock: */
	char *bearer; /* "Bearer <access token>" */
	char *refresh_token;
	char *owner_id;
	gint64 refresh_at; /* monotonic µs: refresh from then on */
	gint64 expires_at; /* monotonic µs: the access token is dead then */
};

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		g_free(s);
	}
}

void auth_bearer_free(char *bearer)
{
	wipe_free(bearer);
}

RfsAuth *auth_new(RfsHttp *http, const RfsConfig *config)
{
	RfsAuth *auth = g_new0(RfsAuth, 1);

	auth->http = http;
	auth->config = config;
	auth->store_lock = -1;
	g_mutex_init(&auth->lock);
	return auth;
}

void auth_free(RfsAuth *auth)
{
	if (!auth)
		return;
	wipe_free(auth->bearer);
	wipe_free(auth->refresh_token);
	g_free(auth->owner_id);
	if (auth->store_lock >= 0)
		close(auth->store_lock);
	g_mutex_clear(&auth->lock);
	g_free(auth);
}

/* OAuth errors carry error_description; platform ones carry message. */
static char *oauth_message(const GByteArray *body, long status)
{
	g_autoptr(json_t) root = json_loadb((const char *)body->data, body->len, 0, NULL);
	const char *desc = json_string_value(json_object_get(root, "error_description"));
	const char *msg = json_string_value(json_object_get(root, "message"));
	json_t *first = json_array_get(json_object_get(root, "errors"), 0);
	const char *code = json_string_value(json_object_get(first, "errorCode"));

	if (!desc)
		desc = msg;
	if (!desc)
		return g_strdup_printf("HTTP %ld from the token endpoint", status);
	return code ? g_strdup_printf("%s (%s)", desc, code) : g_strdup(desc);
}

static gboolean store_save(RfsAuth *auth, gint64 refresh_expires_in, GError **error)
{
	const char *path = auth->config->token_file;
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(json_t) root = json_pack(
		"{s:s, s:s, s:s, s:I}", "server", auth->config->server, "client_id",
		auth->config->client_id, "refresh_token", auth->refresh_token, "refresh_expires_at",
		(json_int_t)(g_get_real_time() / G_USEC_PER_SEC + refresh_expires_in));
	g_autoptr(GError) local = NULL;

	if (!root) {
		g_set_error(error, RFS_ERROR, EIO, "cannot build the token store");
		return FALSE;
	}
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, RFS_ERROR, errno, "cannot create %s: %s", dir,
			    g_strerror(errno));
		return FALSE;
	}
	char *text = json_dumps(root, JSON_INDENT(2));
	gboolean ok = g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
					       &local);
	explicit_bzero(text, strlen(text));
	free(text);
	if (!ok) {
		g_set_error(error, RFS_ERROR, EIO, "cannot write token file %s: %s", path,
			    local->message);
		return FALSE;
	}
	return TRUE;
}

/* Reads a refresh token from the store if it belongs to this server and app. */
static gboolean store_load(RfsAuth *auth, GError **error)
{
	const char *path = auth->config->token_file;
	struct stat st;
	g_autofree char *text = NULL;
	gsize len = 0;

	if (stat(path, &st) != 0)
		return TRUE; /* nothing stored yet */
	if (st.st_mode & 077) {
		g_set_error(error, RFS_ERROR, EACCES,
			    "token file %s is readable by others (mode %03o): remove it or "
			    "run chmod 600 %s",
			    path, (unsigned)(st.st_mode & 0777), path);
		return FALSE;
	}
	if (!g_file_get_contents(path, &text, &len, NULL))
		return TRUE;
	g_autoptr(json_t) root = json_loadb(text, len, 0, NULL);
	explicit_bzero(text, len);
	const char *server = json_string_value(json_object_get(root, "server"));
	const char *client = json_string_value(json_object_get(root, "client_id"));
	const char *refresh = json_string_value(json_object_get(root, "refresh_token"));
	json_int_t until = json_integer_value(json_object_get(root, "refresh_expires_at"));

	if (refresh && g_strcmp0(server, auth->config->server) == 0 &&
	    g_strcmp0(client, auth->config->client_id) == 0 &&
	    until > g_get_real_time() / G_USEC_PER_SEC + 60)
		auth->refresh_token = g_strdup(refresh);
	json_object_set_new(root, "refresh_token", json_null()); /* drop our copy early */
	return TRUE;
}

/*
 * The lock file holds the holder's mount point, for the message of the next
 * ringfs that finds it locked. flock belongs to the open file description, so
 * fuse_daemonize()'s parent exiting does not release it: the child holds it.
 */
gboolean auth_lock_store(RfsAuth *auth, GError **error)
{
	const RfsConfig *config = auth->config;
	g_autofree char *path = g_strdup_printf("%s.lock", config->token_file);
	g_autofree char *dir = g_path_get_dirname(path);
	char holder[4096] = "";
	int fd;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_message("cannot lock the token store: cannot create %s: %s", dir,
			  g_strerror(errno));
		return TRUE;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_message("cannot lock the token store: cannot open %s: %s", path,
			  g_strerror(errno));
		return TRUE;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		g_autofree char *line = g_strdup_printf("%s\n", config->mountpoint);
		if (ftruncate(fd, 0) != 0 || pwrite(fd, line, strlen(line), 0) < 0)
			g_debug("cannot note the mount point in %s: %s", path, g_strerror(errno));
		auth->store_lock = fd;
		return TRUE;
	}
	if (errno != EWOULDBLOCK) {
		g_message("cannot lock %s: %s", path, g_strerror(errno));
		close(fd);
		return TRUE;
	}
	ssize_t n = pread(fd, holder, sizeof(holder) - 1, 0);
	close(fd);
	holder[MAX(n, 0)] = '\0';
	g_strstrip(holder);
	g_autofree char *where = *holder ? g_strdup_printf(" (mounted at %s)", holder) : NULL;
	g_set_error(error, RFS_ERROR, EBUSY,
		    "another ringfs is already using the session in %s%s; unmount it first, or "
		    "give this mount its own state directory (XDG_STATE_HOME) or token_file",
		    config->token_file, where ? where : "");
	return FALSE;
}

/*
 * How long to wait before the next try of a token request that the server
 * failed (5xx) or timed out (408): its Retry-After if it gave one, else
 * 2, 4, 8 s — RingCentral advises a few retries about 10 s apart.
 */
static gint64 server_error_wait(const RfsHttpResponse *resp, int attempt)
{
	const char *ra = http_response_header(resp, "retry-after");
	gint64 wait = ra ? g_ascii_strtoll(ra, NULL, 10) : 0;

	return wait > 0 && wait <= 3600 ? wait : MIN((gint64)2 << attempt, 10);
}

/* One POST to the token endpoint, waiting out 429s and retrying 5xx and 408. Lock held. */
static gboolean token_request(RfsAuth *auth, const char *form, GError **error)
{
	const RfsConfig *config = auth->config;
	g_autofree char *url = g_strdup_printf("%s/restapi/oauth/token", config->server);
	g_autofree char *pair = g_strdup_printf("%s:%s", config->client_id, config->client_secret);
	g_autofree char *b64 = g_base64_encode((const guchar *)pair, strlen(pair));
	g_autofree char *basic = g_strdup_printf("Basic %s", b64);
	gboolean ok = FALSE;

	explicit_bzero(pair, strlen(pair));
	for (int attempt = 0; attempt < MAX_AUTH_ATTEMPTS && !ok; attempt++) {
		RfsHttpRequest req = RFS_HTTP_REQUEST_INIT;
		RfsHttpResponse resp;
		g_autoptr(GError) local = NULL;

		req.method = "POST";
		req.url = url;
		req.authorization = basic;
		req.content_type = "application/x-www-form-urlencoded";
		req.body = form;
		req.body_len = strlen(form);
		req.timeout = config->request_timeout;
		if (!http_perform(auth->http, &req, &resp, &local)) {
			http_response_clear(&resp);
			if (attempt + 1 < MAX_AUTH_ATTEMPTS &&
			    http_budget_sleep(G_USEC_PER_SEC << attempt, NULL))
				continue;
			g_propagate_prefixed_error(error, g_steal_pointer(&local),
						   "token request to %s failed: ", url);
			break;
		}
		if (resp.status >= 500 || resp.status == 408) {
			gint64 wait = server_error_wait(&resp, attempt);
			g_autofree char *msg = oauth_message(resp.body, resp.status);
			int code = resp.status == 408 ? ETIMEDOUT : EIO;
			http_response_clear(&resp);
			if (attempt + 1 == MAX_AUTH_ATTEMPTS || wait > config->rate_wait) {
				g_set_error(error, RFS_ERROR, code,
					    "the token endpoint failed %d times: %s", attempt + 1,
					    msg);
				break;
			}
			g_message("the token endpoint failed (%s): trying again in "
				  "%" G_GINT64_FORMAT " s",
				  msg, wait);
			if (!http_budget_sleep(wait * G_USEC_PER_SEC, error))
				break;
			continue;
		}
		if (resp.status == 429) {
			const char *ra = http_response_header(&resp, "retry-after");
			gint64 wait = ra ? g_ascii_strtoll(ra, NULL, 10) : 30;
			if (wait <= 0 || wait > 3600)
				wait = 30;
			http_response_clear(&resp);
			if (wait > config->rate_wait || attempt + 1 == MAX_AUTH_ATTEMPTS) {
				g_set_error(error, RFS_ERROR, EAGAIN,
					    "token endpoint is rate limited (retry after "
					    "%" G_GINT64_FORMAT " s)",
					    wait);
				break;
			}
			if (!http_budget_sleep(MAX(wait, 1) * G_USEC_PER_SEC, error))
				break;
			continue;
		}
		if (resp.status != 200) {
			g_autofree char *msg = oauth_message(resp.body, resp.status);
			g_set_error(error, RFS_ERROR, EACCES, "authentication refused: %s", msg);
			http_response_clear(&resp);
			break;
		}

		g_autoptr(json_t) root =
			json_loadb((const char *)resp.body->data, resp.body->len, 0, NULL);
		explicit_bzero(resp.body->data, resp.body->len);
		http_response_clear(&resp);
		const char *access = json_string_value(json_object_get(root, "access_token"));
		const char *refresh = json_string_value(json_object_get(root, "refresh_token"));
		json_int_t expires_in = json_integer_value(json_object_get(root, "expires_in"));
		json_int_t refresh_in =
			json_integer_value(json_object_get(root, "refresh_token_expires_in"));
		if (!access || expires_in <= 0) {
			g_set_error(error, RFS_ERROR, EIO, "token endpoint sent no access token");
			break;
		}
		gint64 now = g_get_monotonic_time();
		wipe_free(auth->bearer);
		auth->bearer = g_strdup_printf("Bearer %s", access);
		/* a lifetime past a year is a server's mistake: no overflow in µs */
		expires_in = MIN(expires_in, (json_int_t)366 * 24 * 3600);
		auth->expires_at = now + expires_in * G_USEC_PER_SEC;
		auth->refresh_at = now + expires_in * G_USEC_PER_SEC * 4 / 5;
		const char *owner = json_string_value(json_object_get(root, "owner_id"));
		if (owner) {
			g_free(auth->owner_id);
			auth->owner_id = g_strdup(owner);
		}
		wipe_free(auth->refresh_token);
		auth->refresh_token = g_strdup(refresh);
		/* scrub the parsed copies before they are freed */
		json_object_set_new(root, "access_token", json_null());
		json_object_set_new(root, "refresh_token", json_null());
		ok = TRUE;
		if (auth->refresh_token) {
			g_autoptr(GError) save_error = NULL;
			if (!store_save(auth, refresh_in > 0 ? MIN(refresh_in, 315360000) : 604800,
					&save_error))
				g_message("cannot keep the refresh token: %s", save_error->message);
		}
	}
	return ok;
}

static gboolean grant_refresh(RfsAuth *auth, GError **error)
{
	g_autofree char *escaped = http_escape(auth->refresh_token);
	g_autofree char *form =
		g_strdup_printf("grant_type=refresh_token&refresh_token=%s", escaped);
	gboolean ok = token_request(auth, form, error);

	explicit_bzero(form, strlen(form));
	explicit_bzero(escaped, strlen(escaped));
	return ok;
}

static gboolean grant_jwt(RfsAuth *auth, GError **error)
{
	if (!auth->config->jwt) {
		g_set_error(error, RFS_ERROR, EACCES,
			    "the stored session ended and no JWT is configured (RC_USER_JWT)");
		return FALSE;
	}
	g_autofree char *escaped = http_escape(auth->config->jwt);
	g_autofree char *form = g_strdup_printf("grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%"
						"3Agrant-type%%3Ajwt-bearer&assertion=%s",
						escaped);
	gboolean ok = token_request(auth, form, error);

	explicit_bzero(form, strlen(form));
	explicit_bzero(escaped, strlen(escaped));
	return ok;
}

/* Refresh grant when we hold a refresh token, JWT grant otherwise or after it fails. */
static gboolean renew_locked(RfsAuth *auth, GError **error)
{
	if (auth->refresh_token) {
		g_autoptr(GError) local = NULL;
		if (grant_refresh(auth, &local))
			return TRUE;
		if (local->code != EACCES && !auth->config->jwt) {
			/* the network or the server failed, not the token: keep it */
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		g_info("refresh grant failed, trying the JWT grant: %s", local->message);
		if (local->code == EACCES) {
			wipe_free(auth->refresh_token);
			auth->refresh_token = NULL;
		}
		if (!auth->config->jwt) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
	}
	return grant_jwt(auth, error);
}

gboolean auth_login(RfsAuth *auth, GError **error)
{
	gboolean ok;

	g_mutex_lock(&auth->lock);
	ok = store_load(auth, error) && renew_locked(auth, error);
	g_mutex_unlock(&auth->lock);
	return ok;
}

char *auth_bearer(RfsAuth *auth, GError **error)
{
	char *bearer = NULL;

	/* another thread may be refreshing against a slow server: wait within our own budget */
	if (!http_budget_lock(&auth->lock, error))
		return NULL;
	gint64 now = g_get_monotonic_time();
	if (now >= auth->refresh_at) {
		g_autoptr(GError) local = NULL;
		if (!renew_locked(auth, &local)) {
			/* not again on every request: try again in 30 s, or at expiry */
			auth->refresh_at =
				MIN(now + 30 * G_USEC_PER_SEC, MAX(auth->expires_at, now));
			if (now >= auth->expires_at || !auth->bearer) {
				g_propagate_error(error, g_steal_pointer(&local));
				g_mutex_unlock(&auth->lock);
				return NULL;
			}
			g_message("cannot refresh the access token yet: %s", local->message);
		}
	}
	bearer = g_strdup(auth->bearer);
	g_mutex_unlock(&auth->lock);
	return bearer;
}

gboolean auth_refresh(RfsAuth *auth, const char *stale, GError **error)
{
	gboolean ok = TRUE;

	if (!http_budget_lock(&auth->lock, error))
		return FALSE;
	if (g_strcmp0(stale, auth->bearer) == 0)
		ok = renew_locked(auth, error);
	g_mutex_unlock(&auth->lock);
	return ok;
}

char *auth_dup_owner_id(RfsAuth *auth)
{
	char *owner;

	g_mutex_lock(&auth->lock);
	owner = g_strdup(auth->owner_id);
	g_mutex_unlock(&auth->lock);
	return owner;
}
