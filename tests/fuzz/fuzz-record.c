/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * API records (a message, a call, a recording, a contact, or a page of them
 * in "records") → the bytes and name pieces ringfs makes of them with
 * render.c: render_json, render_id, render_party, render_safe_piece,
 * render_calls_csv_row, render_text,
 * render_parse_time, render_time_name, render_day_name, render_extension_for
 * and render_vcard, on JSON read as api_get_json() reads it (lenient_parse).
 * Input that is not JSON even repaired goes to the text functions as it is.
 */
#include "fuzz.h"
#include "lenient.h"
#include "render.h"
#include "vcard.h"

#include <string.h>

static void check_json(const json_t *value)
{
	g_autoptr(GBytes) bytes = render_json(value);
	gsize len;
	const char *text = g_bytes_get_data(bytes, &len);

	g_assert_cmpuint(len, >=, 2);
	g_assert_true(text[len - 1] == '\n');
	/* the .json file a user reads is the record, exactly */
	g_autoptr(json_t) back = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	g_assert_nonnull(back);
	g_assert_true(json_equal(back, value));
}

static void check_text(const char *text)
{
	static const gsize maxes[] = { 1, 2, 40, 60, 80, RFS_MAX_NAME };
	time_t t;

	for (gsize i = 0; i < G_N_ELEMENTS(maxes); i++) {
		g_autofree char *piece = render_safe_piece(text, maxes[i]);
		fuzz_check_piece(piece, maxes[i]);
	}
	if (render_parse_time(text, &t)) {
		g_autofree char *when = render_time_name(t);
		g_autofree char *day = render_day_name(t);
		/* 2026-11-20_10-03-11: sorts as the time does, holds no ':' */
		g_assert_cmpuint(strlen(when), ==, 19);
		g_assert_cmpuint(strlen(day), ==, 10);
		g_assert_true(g_str_has_prefix(when, day));
		fuzz_check_piece(when, 19);
	}
	const char *ext = render_extension_for(text);
	g_assert_nonnull(ext);
	fuzz_check_piece(ext, 8);
}

static void check_id(const json_t *id, gsize max)
{
	g_autofree char *text = render_id(id);

	g_assert_true(!text == !(json_is_string(id) || json_is_integer(id)));
	g_autofree char *piece = render_safe_piece(text, max);
	fuzz_check_piece(piece, max);
}

static void check_party(const json_t *party)
{
	const char *who = render_party(party);

	g_assert_nonnull(who);
	g_autofree char *piece = render_safe_piece(who, 40);
	fuzz_check_piece(piece, 40);
}

/* A row of calls.csv (RFC 4180): 13 fields, quotes balanced, CRLF only at its end. */
static void check_csv_row(const json_t *call)
{
	g_autoptr(GString) row = g_string_new(NULL);
	gboolean quoted = FALSE;
	guint commas = 0;

	render_calls_csv_row(row, call);
	g_assert_true(g_str_has_suffix(row->str, "\r\n"));
	for (gsize i = 0; i + 2 < row->len; i++) {
		char c = row->str[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && c == ',')
			commas++;
		else if (!quoted)
			g_assert_true(c != '\r' && c != '\n');
	}
	g_assert_false(quoted);
	g_assert_cmpuint(commas, ==, 12);
}

static void check_record(const json_t *record)
{
	static const char *const times[] = { "creationTime", "lastModifiedTime", "startTime",
					     "birthday" };
	const json_t *att;
	size_t i;

	check_json(record);
	if (!json_is_object(record))
		return;
	check_id(json_object_get(record, "id"), 40);
	check_id(json_object_get(record, "conversationId"), 60);
	check_party(json_object_get(record, "from"));
	check_party(json_array_get(json_object_get(record, "to"), 0));
	check_party(json_object_get(record, "to"));
	for (gsize k = 0; k < G_N_ELEMENTS(times); k++) {
		const char *iso = json_string_value(json_object_get(record, times[k]));
		if (iso)
			check_text(iso);
	}
	json_array_foreach (json_object_get(record, "attachments"), i, att) {
		check_id(json_object_get(att, "id"), 40);
		g_assert_nonnull(render_extension_for(
			json_string_value(json_object_get(att, "contentType"))));
	}
	const json_t *rec = json_object_get(record, "recording");
	check_id(json_object_get(rec, "id"), 60);
	g_assert_nonnull(
		render_extension_for(json_string_value(json_object_get(rec, "contentType"))));
	check_csv_row(record);
	/* SMS and pager texts: the text and one final newline */
	const char *subject = json_string_value(json_object_get(record, "subject"));
	g_autoptr(GBytes) text = render_text(subject);
	gsize text_len = g_bytes_get_size(text);
	g_assert_true(text_len == 0 ||
		      ((const char *)g_bytes_get_data(text, NULL))[text_len - 1] == '\n');
	g_assert_cmpuint(text_len, <=, (subject ? strlen(subject) : 0) + 1);
	/* contacts show as vCards too, and our vCard parses back */
	g_autoptr(GBytes) card = render_vcard(record);
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) back =
		vcard_parse(g_bytes_get_data(card, NULL), g_bytes_get_size(card), &error);
	g_assert_no_error(error);
	g_assert_nonnull(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* as api_get_json() reads an answer: strict JSON, else repaired (lenient.c) */
	json_error_t jerr;
	gboolean repaired;
	g_autoptr(json_t) root = lenient_parse((const char *)data, size, &repaired, &jerr);
	const json_t *record;
	size_t i;

	if (!root) {
		g_autofree char *text = fuzz_cstring(data, size);
		check_text(text);
		return 0;
	}
	check_record(root);
	json_array_foreach (json_object_get(root, "records"), i, record)
		check_record(record);
	return 0;
}
