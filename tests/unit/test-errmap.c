/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One row of errmap's table per test case. */
#include "errmap.h"

#include <errno.h>

static void test_status(void)
{
	static const struct {
		long status;
		const char *code;
		RfsOp op;
		int err;
	} rows[] = {
		{ 400, "CMN-101", RFS_OP_READ, EINVAL }, { 422, NULL, RFS_OP_WRITE, EINVAL },
		{ 401, "OAU-213", RFS_OP_READ, EACCES }, { 403, "CMN-408", RFS_OP_READ, EACCES },
		{ 404, "CMN-102", RFS_OP_READ, ENOENT }, { 404, "CMN-120", RFS_OP_READ, ENOENT },
		{ 400, "CMN-102", RFS_OP_READ, ENOENT }, { 409, NULL, RFS_OP_CREATE, EEXIST },
		{ 409, NULL, RFS_OP_WRITE, EBUSY },	 { 413, NULL, RFS_OP_WRITE, EFBIG },
		{ 416, "CMN-107", RFS_OP_READ, EINVAL }, { 429, "CMN-301", RFS_OP_READ, EAGAIN },
		{ 500, "CMN-201", RFS_OP_READ, EIO },	 { 503, NULL, RFS_OP_READ, EIO },
		{ 405, NULL, RFS_OP_DELETE, EPERM },	 { 418, NULL, RFS_OP_READ, EIO },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
		g_assert_cmpint(errmap_status_errno(rows[i].status, rows[i].code, rows[i].op), ==,
				rows[i].err);
}

static void test_curl(void)
{
	g_assert_cmpint(errmap_curl_errno(CURLE_OPERATION_TIMEDOUT), ==, ETIMEDOUT);
	g_assert_cmpint(errmap_curl_errno(CURLE_COULDNT_CONNECT), ==, EHOSTUNREACH);
	g_assert_cmpint(errmap_curl_errno(CURLE_COULDNT_RESOLVE_HOST), ==, EHOSTUNREACH);
	g_assert_cmpint(errmap_curl_errno(CURLE_ABORTED_BY_CALLBACK), ==, EINTR);
	g_assert_cmpint(errmap_curl_errno(CURLE_RECV_ERROR), ==, EIO);
	g_assert_cmpint(errmap_curl_errno(CURLE_PARTIAL_FILE), ==, EIO);
	g_assert_cmpint(errmap_curl_errno(CURLE_GOT_NOTHING), ==, EIO);
}

static void test_body(void)
{
	static const char api[] = "{\"errorCode\":\"CMN-102\",\"message\":\"Resource not found\","
				  "\"errors\":[{\"errorCode\":\"CMN-102\",\"message\":\"inner\"}]}";
	static const char html[] = "<html>502 Bad Gateway</html>";
	GError *error = NULL;

	errmap_set_error_from_body(400, api, sizeof(api) - 1, "http://x/a", RFS_OP_READ, &error);
	g_assert_error(error, RFS_ERROR, ENOENT);
	g_assert_cmpstr(error->message, ==, "CMN-102: inner (HTTP 400)");
	g_clear_error(&error);
	errmap_set_error_from_body(502, html, sizeof(html) - 1, "http://x/a", RFS_OP_READ, &error);
	g_assert_error(error, RFS_ERROR, EIO);
	g_assert_cmpstr(error->message, ==, "HTTP 502 from http://x/a");
	g_clear_error(&error);
	errmap_set_error_from_body(409, NULL, 0, "http://x/a", RFS_OP_CREATE, &error);
	g_assert_error(error, RFS_ERROR, EEXIST);
	g_clear_error(&error);
}

static void test_header_seconds(void)
{
	g_assert_cmpint(errmap_header_seconds("60", 30, 3600), ==, 60);
	g_assert_cmpint(errmap_header_seconds("7200", 30, 3600), ==, 3600);
	g_assert_cmpint(errmap_header_seconds("99999999999999999999", 30, 3600), ==, 3600);
	g_assert_cmpint(errmap_header_seconds("0", 30, 3600), ==, 30);
	g_assert_cmpint(errmap_header_seconds("-5", 30, 3600), ==, 30);
	g_assert_cmpint(errmap_header_seconds("Wed, 21 Oct 2015 07:28:00 GMT", 30, 3600), ==, 30);
	g_assert_cmpint(errmap_header_seconds(NULL, 30, 3600), ==, 30);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/errmap/status", test_status);
	g_test_add_func("/errmap/curl", test_curl);
	g_test_add_func("/errmap/body", test_body);
	g_test_add_func("/errmap/header-seconds", test_header_seconds);
	return g_test_run();
}
