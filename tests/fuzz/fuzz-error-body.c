/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The body of a failed request (any bytes: API JSON, a proxy's HTML, nothing)
 * → the errno and message the user sees: errmap_set_error_from_body(), which
 * api.c calls for every answer of 300 or more.
 */
#include "errmap.h"
#include "fuzz.h"

#include <errno.h>

static const struct {
	long status;
	RfsOp op;
} answers[] = {
	{ 400, RFS_OP_WRITE }, { 404, RFS_OP_READ },   { 409, RFS_OP_CREATE },
	{ 429, RFS_OP_READ },  { 503, RFS_OP_DELETE }, { 302, RFS_OP_READ },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* as api.c holds it: a GByteArray, whose data is NULL while it is empty */
	g_autoptr(GByteArray) body = g_byte_array_new();

	g_byte_array_append(body, data, (guint)size);
	for (gsize i = 0; i < G_N_ELEMENTS(answers); i++) {
		g_autoptr(GError) error = NULL;

		errmap_set_error_from_body(answers[i].status, body->data, body->len,
					   "https://platform.example/restapi/v1.0/x", answers[i].op,
					   &error);
		g_assert_nonnull(error);
		g_assert_true(error->domain == RFS_ERROR);
		g_assert_true(error->code == EINVAL || error->code == EACCES ||
			      error->code == ENOENT || error->code == EPERM ||
			      error->code == EEXIST || error->code == EBUSY ||
			      error->code == EFBIG || error->code == EAGAIN || error->code == EIO);
		/* it ends in the user.ringfs.error xattr and the log: text */
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
	}
	return 0;
}
