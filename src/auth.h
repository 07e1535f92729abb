/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OAuth for one session: the JWT bearer grant, the refresh grant before the
 * access token runs out (and once after a 401), and the token store.
 *
 * The store keeps the latest refresh token, written atomically with mode 0600;
 * a store that others can read is refused. Tokens never reach a log message.
 * All functions are thread-safe; at most one refresh runs at a time.
 */
#pragma once

#include "config.h"
#include "http.h"

typedef struct RfsAuth RfsAuth;

/* auth_new: @http and @config are borrowed and must outlive the result. */
RfsAuth *auth_new(RfsHttp *http, const RfsConfig *config);
void auth_free(RfsAuth *auth);

/*
 * auth_lock_store: takes an exclusive lock on "<token_file>.lock" for the
 * process's whole life (auth_free() releases it; a fork's child keeps it), so
 * that two mounts never fight over one single-use refresh token. Sends no
 * request. Fails with EBUSY, and a message that says what to do, when another
 * ringfs holds it; a lock file that cannot be made is only reported.
 */
gboolean auth_lock_store(RfsAuth *auth, GError **error);

/*
 * auth_login: gets the first access token, from the stored refresh token
 * when there is a usable one, else by the JWT grant. Fails with EACCES and
 * the server's OAuth message on bad credentials.
 */
gboolean auth_login(RfsAuth *auth, GError **error);

/*
 * auth_bearer: the Authorization header value ("Bearer …"), refreshed first
 * when the token is in the last fifth of its life. (transfer full; the caller
 * wipes and frees it with auth_bearer_free())
 */
char *auth_bearer(RfsAuth *auth, GError **error);
void auth_bearer_free(char *bearer);
/* A bearer header value, for g_autoptr(RfsBearer): wiped when it goes out of scope. */
typedef char RfsBearer;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RfsBearer, auth_bearer_free)

/*
 * auth_refresh: called after a 401 answered @stale. Refreshes unless another
 * thread already replaced @stale.
 */
gboolean auth_refresh(RfsAuth *auth, const char *stale, GError **error);

/* The owner extension id from the last token response. (transfer full) */
char *auth_dup_owner_id(RfsAuth *auth);
