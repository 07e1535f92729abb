/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON, vCard, names and times; pure functions. */
#include "render.h"

#include <errno.h>
#include <string.h>

GBytes *render_json(const json_t *value)
{
	char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	gsize len;

	if (!text)
		return g_bytes_new("null\n", 5);
	len = strlen(text);
	text = g_realloc(text, len + 2); /* jansson allocates with malloc, as GLib does */
	text[len] = '\n';
	text[len + 1] = '\0';
	return g_bytes_new_take(text, len + 1);
}

GBytes *render_text(const char *text)
{
	gsize len = text ? strlen(text) : 0;

	if (len == 0)
		return g_bytes_new("", 0);
	if (text[len - 1] == '\n')
		return g_bytes_new(text, len);
	return g_bytes_new_take(g_strconcat(text, "\n", NULL), len + 1);
}

static void vcard_escaped(GString *out, const char *text)
{
	for (const char *p = text; p && *p; p++) {
		switch (*p) {
		case '\\':
		case ',':
		case ';':
			g_string_append_c(out, '\\');
			g_string_append_c(out, *p);
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			break;
		default:
			g_string_append_c(out, *p);
		}
	}
}

static const char *field(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void vcard_line(GString *out, const char *prop, const char *value)
{
	if (!value || !*value)
		return;
	g_string_append(out, prop);
	g_string_append_c(out, ':');
	vcard_escaped(out, value);
	g_string_append(out, "\r\n");
}

static void vcard_address(GString *out, const char *type, const json_t *addr)
{
	static const char *const parts[] = { "street", "city", "state", "zip", "country" };
	gboolean any = FALSE;

	if (!json_is_object(addr))
		return;
	gsize start = out->len;
	g_string_append_printf(out, "ADR;TYPE=%s:;;", type);
	for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
		const json_t *v = json_object_get(addr, parts[i]);
		if (i > 0)
			g_string_append_c(out, ';');
		if (json_is_string(v)) {
			vcard_escaped(out, json_string_value(v));
			any = TRUE;
		} else if (json_is_integer(v)) { /* zip codes have been seen as numbers */
			g_string_append_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			any = TRUE;
		}
	}
	g_string_append(out, "\r\n");
	if (!any)
		g_string_truncate(out, start);
}

GBytes *render_vcard(const json_t *c)
{
	static const struct {
		const char *key, *prop;
	} phones[] = {
		{ "mobilePhone", "TEL;TYPE=CELL" },
		{ "businessPhone", "TEL;TYPE=WORK,VOICE" },
		{ "businessPhone2", "TEL;TYPE=WORK,VOICE" },
		{ "homePhone", "TEL;TYPE=HOME,VOICE" },
		{ "homePhone2", "TEL;TYPE=HOME,VOICE" },
		{ "businessFax", "TEL;TYPE=WORK,FAX" },
		{ "otherFax", "TEL;TYPE=FAX" },
		{ "companyPhone", "TEL;TYPE=WORK" },
		{ "assistantPhone", "TEL;TYPE=X-ASSISTANT" },
		{ "carPhone", "TEL;TYPE=CAR" },
		{ "otherPhone", "TEL;TYPE=VOICE" },
		{ "callbackPhone", "TEL;TYPE=X-CALLBACK" },
	};
	static const char *const emails[] = { "email", "email2", "email3" };
	GString *out = g_string_new("BEGIN:VCARD\r\nVERSION:3.0\r\n");
	const char *first = field(c, "firstName"), *last = field(c, "lastName");
	g_autofree char *id = render_id(json_object_get(c, "id"));
	g_autofree char *fn = NULL;

	g_string_append(out, "N:");
	vcard_escaped(out, last);
	g_string_append_c(out, ';');
	vcard_escaped(out, first);
	g_string_append_c(out, ';');
	vcard_escaped(out, field(c, "middleName"));
	g_string_append(out, ";;\r\n");
	if (first || last)
		fn = g_strjoin(" ", first ? first : "", last ? last : "", NULL);
	else
		fn = g_strdup(field(c, "company") ? field(c, "company") : "");
	vcard_line(out, "FN", g_strstrip(fn));
	vcard_line(out, "NICKNAME", field(c, "nickName"));
	vcard_line(out, "ORG", field(c, "company"));
	vcard_line(out, "TITLE", field(c, "jobTitle"));
	for (gsize i = 0; i < G_N_ELEMENTS(emails); i++)
		vcard_line(out, "EMAIL;TYPE=INTERNET", field(c, emails[i]));
	for (gsize i = 0; i < G_N_ELEMENTS(phones); i++)
		vcard_line(out, phones[i].prop, field(c, phones[i].key));
	vcard_address(out, "WORK", json_object_get(c, "businessAddress"));
	vcard_address(out, "HOME", json_object_get(c, "homeAddress"));
	vcard_address(out, "OTHER", json_object_get(c, "otherAddress"));
	const char *birthday = field(c, "birthday");
	if (birthday && strlen(birthday) >= 10) {
		g_autofree char *day = g_strndup(birthday, 10);
		vcard_line(out, "BDAY", day);
	}
	vcard_line(out, "URL", field(c, "webPage"));
	vcard_line(out, "NOTE", field(c, "notes"));
	if (id) {
		g_autofree char *uid = g_strdup_printf("ringcentral-contact-%s", id);
		vcard_line(out, "UID", uid);
	}
	g_string_append(out, "END:VCARD\r\n");
	return g_string_free_to_bytes(out);
}

const char *render_calls_csv_header(void)
{
	return "id,startTime,duration,direction,type,action,result,from,fromName,to,toName,"
	       "recordingId,sessionId\r\n";
}

static void csv_field(GString *out, const char *text, gboolean first)
{
	gsize len = text ? strlen(text) : 0;

	if (!first)
		g_string_append_c(out, ',');
	if (len && (strpbrk(text, ",\"\r\n") || text[0] == ' ' || text[len - 1] == ' ')) {
		g_string_append_c(out, '"');
		for (const char *p = text; *p; p++) {
			if (*p == '"')
				g_string_append_c(out, '"');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	} else if (len) {
		g_string_append(out, text);
	}
}

/* A JSON scalar as CSV text: strings as they are, numbers written out. (transfer full) */
static char *csv_scalar(const json_t *v)
{
	if (json_is_string(v))
		return g_strdup(json_string_value(v));
	if (json_is_integer(v))
		return g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v))
		return g_strdup_printf("%.17g", json_real_value(v));
	if (json_is_boolean(v))
		return g_strdup(json_is_true(v) ? "true" : "false");
	return NULL;
}

static const char *party_number(const json_t *party)
{
	const char *v = field(party, "phoneNumber");

	return v && *v ? v : field(party, "extensionNumber");
}

void render_calls_csv_row(GString *out, const json_t *call)
{
	static const char *const first[] = { "id",   "startTime", "duration", "direction",
					     "type", "action",	  "result" };
	const json_t *from = json_object_get(call, "from"), *to = json_object_get(call, "to");

	for (gsize i = 0; i < G_N_ELEMENTS(first); i++) {
		g_autofree char *v = csv_scalar(json_object_get(call, first[i]));
		csv_field(out, v, i == 0);
	}
	csv_field(out, party_number(from), FALSE);
	csv_field(out, field(from, "name"), FALSE);
	csv_field(out, party_number(to), FALSE);
	csv_field(out, field(to, "name"), FALSE);
	g_autofree char *rec =
		csv_scalar(json_object_get(json_object_get(call, "recording"), "id"));
	csv_field(out, rec, FALSE);
	g_autofree char *session = csv_scalar(json_object_get(call, "sessionId"));
	csv_field(out, session, FALSE);
	g_string_append(out, "\r\n");
}

gboolean render_parse_time(const char *iso, time_t *out)
{
	g_autoptr(GDateTime) dt = NULL;

	if (!iso)
		return FALSE;
	dt = g_date_time_new_from_iso8601(iso, NULL);
	if (!dt)
		return FALSE;
	*out = (time_t)g_date_time_to_unix(dt);
	return TRUE;
}

/* Four-digit years whatever the year (%Y gives "1" for 0001): names sort as times do. */
static char *format_utc(time_t t, gboolean with_time)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc((gint64)t);
	int y, m, d;

	if (!dt)
		return g_strdup(with_time ? "0000-00-00_00-00-00" : "0000-00-00");
	g_date_time_get_ymd(dt, &y, &m, &d);
	if (!with_time)
		return g_strdup_printf("%04d-%02d-%02d", y, m, d);
	return g_strdup_printf("%04d-%02d-%02d_%02d-%02d-%02d", y, m, d, g_date_time_get_hour(dt),
			       g_date_time_get_minute(dt), g_date_time_get_second(dt));
}

char *render_time_name(time_t t)
{
	return format_utc(t, TRUE);
}

char *render_day_name(time_t t)
{
	return format_utc(t, FALSE);
}

/* What a name cannot hold, or should not: '/', controls, line and paragraph separators. */
static gboolean name_refuses(gunichar c)
{
	switch (g_unichar_type(c)) {
	case G_UNICODE_CONTROL:
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
		return TRUE;
	default:
		return c == '/';
	}
}

/* @text (valid UTF-8) cut to at most @max bytes on a character boundary. */
static void cut_utf8(GString *text, gsize max)
{
	if (text->len <= max)
		return;
	const char *end = g_utf8_find_prev_char(text->str, text->str + max + 1);
	g_string_truncate(text, end ? (gsize)(end - text->str) : 0);
}

/* Spaces at either end of a name only hide it. */
static void strip_spaces(GString *text)
{
	gsize lead = strspn(text->str, " ");

	g_string_erase(text, 0, lead);
	while (text->len > 0 && text->str[text->len - 1] == ' ')
		g_string_truncate(text, text->len - 1);
}

char *render_safe_piece(const char *text, gsize max)
{
	g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
	g_autofree char *nfc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFC);
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean gap = FALSE;

	for (const char *p = nfc ? nfc : ""; *p; p = g_utf8_next_char(p)) {
		gsize n = g_utf8_next_char(p) - p;
		if (name_refuses(g_utf8_get_char(p))) {
			gap = TRUE;
			continue;
		}
		if (out->len + n + (gap && out->len > 0) > max)
			break;
		if (gap && out->len > 0)
			g_string_append_c(out, '_');
		gap = FALSE;
		g_string_append_len(out, p, n);
	}
	strip_spaces(out);
	if (out->str[0] == '.')
		out->str[0] = '_'; /* never hidden, never "." or ".." */
	if (out->len == 0)
		g_string_append_c(out, '_');
	/* a piece cut or joined by '_' is normalised again: it stays NFC within @max */
	for (int round = 0; round < 4; round++) {
		g_autofree char *again = g_utf8_normalize(out->str, -1, G_NORMALIZE_NFC);
		if (again && strlen(again) <= MAX(max, 1))
			return g_steal_pointer(&again);
		if (again)
			g_string_assign(out, again);
		cut_utf8(out, MAX(max, 1));
	}
	return g_strdup("_");
}

const char *render_party(const json_t *party)
{
	const char *v;

	if ((v = field(party, "phoneNumber")) && *v)
		return v;
	if ((v = field(party, "extensionNumber")) && *v)
		return v;
	if ((v = field(party, "name")) && *v)
		return v;
	return "unknown";
}

char *render_id(const json_t *id)
{
	if (json_is_string(id))
		return g_strdup(json_string_value(id));
	if (json_is_integer(id))
		return g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(id));
	return NULL;
}

const char *render_extension_for(const char *content_type)
{
	static const struct {
		const char *type, *ext;
	} table[] = {
		{ "audio/x-wav", "wav" },
		{ "audio/wav", "wav" },
		{ "audio/wave", "wav" },
		{ "audio/mpeg", "mp3" },
		{ "audio/mp3", "mp3" },
		{ "audio/ogg", "ogg" },
		{ "application/pdf", "pdf" },
		{ "image/tiff", "tiff" },
		{ "image/png", "png" },
		{ "image/jpeg", "jpg" },
		{ "image/gif", "gif" },
		{ "text/plain", "txt" },
		{ "text/html", "html" },
		{ "video/mp4", "mp4" },
		/* the rest of what an MMS may carry (RingCentral's "Sending MMS") */
		{ "image/bmp", "bmp" },
		{ "image/webp", "webp" },
		{ "image/svg+xml", "svg" },
		{ "video/3gpp", "3gp" },
		{ "video/quicktime", "mov" },
		{ "video/mpeg", "mpg" },
		{ "video/webm", "webm" },
		{ "video/ogg", "ogv" },
		{ "video/avi", "avi" },
		{ "video/x-msvideo", "avi" },
		{ "video/x-flv", "flv" },
		{ "video/x-ms-wmv", "wmv" },
		{ "audio/mp4", "m4a" },
		{ "audio/3gpp", "3gp" },
		{ "audio/arm", "arm" },
		{ "text/vcard", "vcf" },
		{ "text/x-vcard", "vcf" },
		{ "text/calendar", "ics" },
		{ "text/csv", "csv" },
		{ "application/zip", "zip" },
		{ "application/gzip", "gz" },
		{ "application/rtf", "rtf" },
	};

	for (gsize i = 0; content_type && i < G_N_ELEMENTS(table); i++)
		if (g_ascii_strncasecmp(content_type, table[i].type, strlen(table[i].type)) == 0)
			return table[i].ext;
	return "bin";
}
