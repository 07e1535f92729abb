/* SPDX-License-Identifier: GPL-2.0-or-later */
/* HTTP status × errorCode × operation → errno, curl failures → errno, error bodies and headers. */
#include "errmap.h"

#include <errno.h>
#include <string.h>

G_DEFINE_QUARK(ringfs - error - quark, rfs_error)

const char *rfs_group_name(RfsGroup group)
{
	static const char *const names[RFS_GROUP_COUNT] = {
		[RFS_GROUP_LIGHT] = "Light",	   [RFS_GROUP_MEDIUM] = "Medium",
		[RFS_GROUP_HEAVY] = "Heavy",	   [RFS_GROUP_AUTH] = "Auth",
		[RFS_GROUP_NONE] = "NoThrottling",
	};
	return group < RFS_GROUP_COUNT ? names[group] : "?";
}

/* errorCodes whose meaning beats the status they come with. */
static const struct {
	const char *code;
	int err;
} code_table[] = {
	{ "CMN-102", ENOENT }, /* "Resource for parameter [x] is not found", sometimes with 400 */
	{ "CMN-107", EINVAL }, /* requested range not satisfiable */
	{ "CMN-109", EPERM },  /* feature not available for this account */
	{ "MSG-337", EFBIG },  /* message too large */
	{ "MSG-338", EFBIG },
};

int errmap_status_errno(long status, const char *error_code, RfsOp op)
{
	if (error_code) {
		for (gsize i = 0; i < G_N_ELEMENTS(code_table); i++)
			if (strcmp(code_table[i].code, error_code) == 0)
				return code_table[i].err;
	}
	switch (status) {
	case 400:
	case 415:
	case 416:
	case 422:
		return EINVAL;
	case 401:
	case 403:
		return EACCES;
	case 404:
	case 410:
		return ENOENT;
	case 405:
		return EPERM;
	case 409:
		return op == RFS_OP_CREATE ? EEXIST : EBUSY;
	case 413:
		return EFBIG;
	case 429:
		return EAGAIN;
	default:
		return EIO;
	}
}

int errmap_curl_errno(CURLcode code)
{
	switch (code) {
	case CURLE_OPERATION_TIMEDOUT:
		return ETIMEDOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		/* not ENOTCONN: "Transport endpoint is not connected" reads as a dead mount */
		return EHOSTUNREACH;
	case CURLE_ABORTED_BY_CALLBACK:
		return EINTR;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		return EFBIG;
	case CURLE_OUT_OF_MEMORY:
		return ENOMEM;
	default:
		return EIO; /* resets, truncated bodies, TLS failures */
	}
}

void errmap_set_error_from_body(long status, const void *body, gsize len, const char *url, RfsOp op,
				GError **error)
{
	g_autoptr(json_t) root = json_loadb(body, len, 0, NULL);
	json_t *first = json_array_get(json_object_get(root, "errors"), 0);
	const char *code = json_string_value(json_object_get(first, "errorCode"));
	const char *msg = json_string_value(json_object_get(first, "message"));

	if (!code)
		code = json_string_value(json_object_get(root, "errorCode"));
	if (!msg)
		msg = json_string_value(json_object_get(root, "message"));
	int err = errmap_status_errno(status, code, op);
	if (code || msg)
		g_set_error(error, RFS_ERROR, err, "%s%s%s (HTTP %ld)", code ? code : "",
			    code && msg ? ": " : "", msg ? msg : "", status);
	else
		g_set_error(error, RFS_ERROR, err, "HTTP %ld from %s", status, url);
}

gint64 errmap_header_seconds(const char *value, gint64 dflt, gint64 max)
{
	gint64 v = value ? g_ascii_strtoll(value, NULL, 10) : 0;
	return v > 0 ? MIN(v, max) : dflt;
}
