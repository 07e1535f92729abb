/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a write sends, built from a user's file and its name: the outbox
 * name's recipients (parse_recipients: numbers however written, in E.164),
 * an SMS or pager text (message_text), a JSON document (write_parse_object,
 * then compact JSON), a vCard (vcard_as_json) and the multipart body of a
 * fax or a Glip file upload (multipart_*). None of these needs a tree, but
 * they are static in send.c and writes.c: the harness compiles both itself,
 * and its copy of their functions takes the place of the core library's.
 *
 * Input: the file's name, a newline, then the file's bytes.
 */
#include "send.c"
#include "writes.c"

#include "fuzz.h"

#include <stdlib.h>

/* @cc: the account's calling code, NULL when unknown; numbers come out in E.164 */
static void check_recipients(const char *name, gboolean extension, const char *cc)
{
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	g_autoptr(GError) error = NULL;

	if (!parse_recipients(name, extension, cc, &to, &from, &error)) {
		g_assert_nonnull(error);
		g_assert_cmpint(error->code, ==, EINVAL);
		g_assert_null(from);
		return;
	}
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(to), >=, 1);
	g_assert_cmpuint(g_strv_length(to), <=, MAX_RECIPIENTS);
	for (guint i = 0; to[i]; i++) {
		g_assert_true(valid_number(to[i], extension));
		g_assert_true(extension || to[i][0] == '+');
	}
	g_assert_true(!from || (!extension && valid_number(from, FALSE)));
}

static void check_text(GBytes *file)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = message_text(file, &error);

	if (!text) {
		g_assert_nonnull(error);
		g_assert_cmpint(error->code, ==, EINVAL);
		return;
	}
	g_assert_no_error(error);
	g_assert_true(*text && g_utf8_validate(text, -1, NULL));
	g_assert_cmpint(g_utf8_strlen(text, -1), <=, MAX_SMS_UNITS);
	/* the SMS body as it goes out */
	g_autoptr(json_t) body = json_pack("{s:s}", "text", text);
	g_assert_nonnull(body);
	g_autoptr(GBytes) wire = write_compact(body);
	g_assert_cmpuint(g_bytes_get_size(wire), >, 0);
}

static void check_json(GBytes *file)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) doc = write_parse_object(file, &error);

	if (!doc) {
		g_assert_nonnull(error);
		g_assert_cmpint(error->code, ==, EINVAL);
	} else {
		g_autoptr(GBytes) wire = write_compact(doc);
		g_assert_cmpuint(g_bytes_get_size(wire), >=, 2);
	}
	g_clear_error(&error);
	g_autoptr(GBytes) contact = vcard_as_json(file, &error);
	g_assert_true(!contact == !!error);
}

/* Reads @body back: each part's head, then its bytes, must be what was put in. */
static void check_multipart(GBytes *body, const char *content_type, const char *name,
			    const char *filename, const char *type, GBytes *file, gboolean clean)
{
	const char *boundary = strstr(content_type, "boundary=") + strlen("boundary=");
	g_autofree char *head = g_strdup_printf("--%s\r\n", boundary);
	g_autofree char *tail = g_strdup_printf("\r\n--%s--\r\n", boundary);
	gsize len, file_len;
	const char *p = g_bytes_get_data(body, &len);
	const char *data = g_bytes_get_data(file, &file_len);

	g_assert_cmpuint(len, >, strlen(head) + strlen(tail));
	g_assert_true(memcmp(p, head, strlen(head)) == 0);
	g_assert_true(memcmp(p + len - strlen(tail), tail, strlen(tail)) == 0);
	/* the file's bytes end the last part, and the boundary is nowhere in them */
	g_assert_true(file_len == 0 ||
		      memcmp(p + len - strlen(tail) - file_len, data, file_len) == 0);
	g_assert_null(memmem(data ? data : "", file_len, boundary, strlen(boundary)));
	if (!clean)
		return;
	g_autofree char *expect = g_strdup_printf(
		"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		"Content-Type: %s\r\n\r\n",
		boundary, name, filename, type);
	g_assert_true(len >= strlen(expect) + file_len + strlen(tail));
	g_assert_true(memcmp(p, expect, strlen(expect)) == 0);
	g_assert_cmpuint(len, ==, strlen(expect) + file_len + strlen(tail));
}

static void check_upload(const char *name, GBytes *file)
{
	const char *dot = strrchr(name, '.');
	const char *type = upload_type(dot ? dot + 1 : NULL);
	g_autofree char *content_type = NULL;
	gsize len;
	const void *bytes = g_bytes_get_data(file, &len);
	Multipart mp;

	if (!type)
		type = "application/octet-stream";
	/* a Glip file upload: the part is named after the file (send_file) */
	multipart_init(&mp, file);
	multipart_part(&mp, "body", name, type, bytes, len);
	g_autoptr(GBytes) wire = multipart_finish(&mp, &content_type);
	/* the file name goes into the part's head with '"', '\\' and line breaks as '_' */
	g_autofree char *shown = g_strdup(name);
	for (char *c = shown; *c; c++)
		if (*c == '"' || *c == '\\' || *c == '\r' || *c == '\n')
			*c = '_';
	check_multipart(wire, content_type, "body", shown, type, file, TRUE);

	/* a fax to the name's recipients: text parts, then the document */
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	g_autoptr(GError) error = NULL;
	if (!parse_recipients(name, FALSE, "1", &to, &from, &error))
		return;
	g_autofree char *fax_type = NULL;
	multipart_init(&mp, file);
	for (guint i = 0; to[i]; i++)
		multipart_text(&mp, "to", to[i]);
	multipart_text(&mp, "faxResolution", "High");
	multipart_part(&mp, "attachment", "document.pdf", "application/pdf", bytes, len);
	g_autoptr(GBytes) fax = multipart_finish(&mp, &fax_type);
	check_multipart(fax, fax_type, NULL, NULL, NULL, file, FALSE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	g_autofree char *name = fuzz_cstring(data, nl ? (size_t)(nl - data) : size);
	gsize skip = nl ? (gsize)(nl - data) + 1 : size;
	/* as fs-write.c gives it: a GBytes, whose data is NULL when it is empty */
	g_autoptr(GBytes) file = g_bytes_new(data + skip, size - skip);

	check_recipients(name, FALSE, "1");
	check_recipients(name, FALSE, "44");
	check_recipients(name, FALSE, NULL);
	check_recipients(name, TRUE, NULL);
	check_text(file);
	check_json(file);
	check_upload(name, file);
	return 0;
}
