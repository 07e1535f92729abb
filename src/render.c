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

char *render_safe_piece(const char *text, gsize max)
{
	GString *out = g_string_new(NULL);
	gboolean gap = FALSE;

	for (const char *p = text ? text : ""; *p && out->len < max; p++) {
		if (g_ascii_isalnum(*p) || strchr("+@._-", *p)) {
			if (gap && out->len > 0)
				g_string_append_c(out, '_');
			gap = FALSE;
			g_string_append_c(out, *p);
		} else {
			gap = TRUE;
		}
	}
	if (out->len == 0 || strcmp(out->str, ".") == 0 || strcmp(out->str, "..") == 0)
		g_string_prepend_c(out, '_');
	g_string_truncate(out, MIN(out->len, max));
	return g_string_free(out, FALSE);
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
		{ "audio/x-wav", "wav" },     { "audio/wav", "wav" },	{ "audio/wave", "wav" },
		{ "audio/mpeg", "mp3" },      { "audio/mp3", "mp3" },	{ "audio/ogg", "ogg" },
		{ "application/pdf", "pdf" }, { "image/tiff", "tiff" }, { "image/png", "png" },
		{ "image/jpeg", "jpg" },      { "image/gif", "gif" },	{ "text/plain", "txt" },
		{ "text/html", "html" },      { "video/mp4", "mp4" },
	};

	for (gsize i = 0; content_type && i < G_N_ELEMENTS(table); i++)
		if (g_ascii_strncasecmp(content_type, table[i].type, strlen(table[i].type)) == 0)
			return table[i].ext;
	return "bin";
}

/* ---- vCard in --------------------------------------------------------- */

static char *vcard_unescape(const char *s)
{
	GString *out = g_string_new(NULL);

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			g_string_append_c(out, (*s == 'n' || *s == 'N') ? '\n' : *s);
		} else {
			g_string_append_c(out, *s);
		}
	}
	return g_string_free(out, FALSE);
}

/* Splits a structured value at unescaped ';'. (transfer full) */
static GStrv vcard_fields(const char *value)
{
	GPtrArray *fields = g_ptr_array_new();
	GString *cur = g_string_new(NULL);

	for (const char *p = value;; p++) {
		if (*p == '\\' && p[1]) {
			g_string_append_c(cur, *p++);
			g_string_append_c(cur, *p);
		} else if (*p == ';' || *p == '\0') {
			g_ptr_array_add(fields, vcard_unescape(cur->str));
			g_string_truncate(cur, 0);
			if (*p == '\0')
				break;
		} else {
			g_string_append_c(cur, *p);
		}
	}
	g_string_free(cur, TRUE);
	g_ptr_array_add(fields, NULL);
	return (GStrv)g_ptr_array_free(fields, FALSE);
}

static void set_if(json_t *obj, const char *key, const char *value)
{
	if (value && *value && !json_object_get(obj, key))
		json_object_set_new(obj, key, json_string(value));
}

/* The first free key of @keys (email, email2, email3). */
static void set_first_free(json_t *obj, const char *const *keys, const char *value)
{
	for (; *keys; keys++) {
		if (!json_object_get(obj, *keys)) {
			json_object_set_new(obj, *keys, json_string(value));
			return;
		}
	}
}

static const char *tel_keys(const char *types, const char *const **keys)
{
	static const char *const cell[] = { "mobilePhone", NULL };
	static const char *const work_fax[] = { "businessFax", NULL };
	static const char *const fax[] = { "otherFax", NULL };
	static const char *const home[] = { "homePhone", "homePhone2", NULL };
	static const char *const work[] = { "businessPhone", "businessPhone2", "companyPhone",
					    NULL };
	static const char *const car[] = { "carPhone", NULL };
	static const char *const other[] = { "otherPhone", "callbackPhone", NULL };

	if (strstr(types, "CELL"))
		*keys = cell;
	else if (strstr(types, "FAX"))
		*keys = strstr(types, "WORK") ? work_fax : fax;
	else if (strstr(types, "HOME"))
		*keys = home;
	else if (strstr(types, "WORK"))
		*keys = work;
	else if (strstr(types, "CAR"))
		*keys = car;
	else
		*keys = other;
	return types;
}

json_t *render_parse_vcard(const char *text, gsize len, GError **error)
{
	g_autofree char *copy = NULL;
	g_autoptr(GString) unfolded = g_string_new(NULL);
	g_autoptr(json_t) c = json_object();
	gboolean begun = FALSE, ended = FALSE;
	g_autofree char *fn = NULL;

	if (!text)
		text = ""; /* an empty file's bytes */
	/* jansson would drop a value that is not UTF-8 without a word, and a NUL ends the text */
	if (!g_utf8_validate_len(text, len, NULL)) {
		g_set_error(error, RFS_ERROR, EINVAL, "vCard is not UTF-8 text");
		return NULL;
	}
	copy = g_strndup(text, len);
	/* unfold: a line break followed by a space or a tab continues the line */
	for (const char *p = copy; *p; p++) {
		if ((*p == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t')) ||
		    (*p == '\n' && (p[1] == ' ' || p[1] == '\t'))) {
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		if (*p != '\r')
			g_string_append_c(unfolded, *p);
	}
	g_auto(GStrv) lines = g_strsplit(unfolded->str, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		char *line = lines[i];
		char *colon = strchr(line, ':');
		if (!*line)
			continue;
		if (!colon) {
			g_set_error(error, RFS_ERROR, EINVAL, "vCard line %d has no ':'", i + 1);
			return NULL;
		}
		*colon = '\0';
		g_autofree char *head = g_ascii_strup(line, -1);
		const char *value = colon + 1;
		char *semi = strchr(head, ';');
		const char *params = semi ? semi + 1 : "";
		if (semi)
			*semi = '\0';
		char *dot = strrchr(head, '.'); /* item1.TEL */
		const char *prop = dot ? dot + 1 : head;

		if (strcmp(prop, "BEGIN") == 0) {
			begun = g_ascii_strcasecmp(value, "VCARD") == 0;
		} else if (strcmp(prop, "END") == 0) {
			ended = TRUE;
			break;
		} else if (strcmp(prop, "N") == 0) {
			g_auto(GStrv) f = vcard_fields(value);
			guint n = g_strv_length(f);
			set_if(c, "lastName", n > 0 ? f[0] : NULL);
			set_if(c, "firstName", n > 1 ? f[1] : NULL);
			set_if(c, "middleName", n > 2 ? f[2] : NULL);
		} else if (strcmp(prop, "FN") == 0) {
			g_free(fn);
			fn = vcard_unescape(value);
		} else if (strcmp(prop, "ADR") == 0) {
			static const char *const keys[] = { "street", "city", "state", "zip",
							    "country" };
			g_auto(GStrv) f = vcard_fields(value);
			guint n = g_strv_length(f);
			json_t *addr = json_object();
			for (guint k = 0; k < G_N_ELEMENTS(keys) && k + 2 < n; k++)
				set_if(addr, keys[k], f[k + 2]);
			const char *key = strstr(params, "WORK")   ? "businessAddress"
					  : strstr(params, "HOME") ? "homeAddress"
								   : "otherAddress";
			if (json_object_size(addr) && !json_object_get(c, key))
				json_object_set_new(c, key, addr);
			else
				json_decref(addr);
		} else {
			g_autofree char *v = vcard_unescape(value);
			if (strcmp(prop, "EMAIL") == 0) {
				static const char *const keys[] = { "email", "email2", "email3",
								    NULL };
				set_first_free(c, keys, v);
			} else if (strcmp(prop, "TEL") == 0) {
				const char *const *keys;
				tel_keys(params, &keys);
				set_first_free(c, keys, v);
			} else if (strcmp(prop, "ORG") == 0) {
				g_auto(GStrv) f = vcard_fields(value);
				set_if(c, "company", f[0]);
			} else if (strcmp(prop, "NICKNAME") == 0) {
				set_if(c, "nickName", v);
			} else if (strcmp(prop, "TITLE") == 0) {
				set_if(c, "jobTitle", v);
			} else if (strcmp(prop, "URL") == 0) {
				set_if(c, "webPage", v);
			} else if (strcmp(prop, "NOTE") == 0) {
				set_if(c, "notes", v);
			} else if (strcmp(prop, "BDAY") == 0 && strlen(v) >= 10) {
				g_autofree char *day = g_strdup_printf("%.10sT00:00:00.000Z", v);
				set_if(c, "birthday", day);
			}
		}
	}
	if (!begun || !ended) {
		g_set_error(error, RFS_ERROR, EINVAL, "not a vCard (BEGIN:VCARD … END:VCARD)");
		return NULL;
	}
	if (fn && !json_object_get(c, "firstName") && !json_object_get(c, "lastName")) {
		char *space = strrchr(fn, ' ');
		if (space) {
			*space = '\0';
			set_if(c, "firstName", fn);
			set_if(c, "lastName", space + 1);
		} else {
			set_if(c, "firstName", fn);
		}
	}
	return g_steal_pointer(&c);
}
