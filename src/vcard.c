/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading vCards: lines unfolded, then each property by the table below,
 * which says which member of the contact it fills. Groups (item1.TEL) and
 * parameters are read; what the address book has no member for is left out.
 */
#include "vcard.h"

#include <errno.h>
#include <string.h>

static char *unescape(const char *s)
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
static GStrv fields(const char *value)
{
	GPtrArray *out = g_ptr_array_new();
	GString *cur = g_string_new(NULL);

	for (const char *p = value;; p++) {
		if (*p == '\\' && p[1]) {
			g_string_append_c(cur, *p++);
			g_string_append_c(cur, *p);
		} else if (*p == ';' || *p == '\0') {
			g_ptr_array_add(out, unescape(cur->str));
			g_string_truncate(cur, 0);
			if (*p == '\0')
				break;
		} else {
			g_string_append_c(cur, *p);
		}
	}
	g_string_free(cur, TRUE);
	g_ptr_array_add(out, NULL);
	return (GStrv)g_ptr_array_free(out, FALSE);
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

/* What one property line gives: the contact, its parameters (upper case), its raw value. */
typedef struct {
	json_t *contact;
	const char *params;
	const char *value;
	char **fn; /* FN, for when there is no N */
} Property;

static void read_name(const Property *p)
{
	g_auto(GStrv) f = fields(p->value);
	guint n = g_strv_length(f);

	set_if(p->contact, "lastName", n > 0 ? f[0] : NULL);
	set_if(p->contact, "firstName", n > 1 ? f[1] : NULL);
	set_if(p->contact, "middleName", n > 2 ? f[2] : NULL);
}

static void read_full_name(const Property *p)
{
	g_free(*p->fn);
	*p->fn = unescape(p->value);
}

static void read_address(const Property *p)
{
	static const char *const keys[] = { "street", "city", "state", "zip", "country" };
	g_auto(GStrv) f = fields(p->value);
	guint n = g_strv_length(f);
	json_t *addr = json_object();

	for (guint k = 0; k < G_N_ELEMENTS(keys) && k + 2 < n; k++)
		set_if(addr, keys[k], f[k + 2]);
	const char *key = strstr(p->params, "WORK")   ? "businessAddress"
			  : strstr(p->params, "HOME") ? "homeAddress"
						      : "otherAddress";
	if (json_object_size(addr) && !json_object_get(p->contact, key))
		json_object_set_new(p->contact, key, addr);
	else
		json_decref(addr);
}

static void read_email(const Property *p)
{
	static const char *const keys[] = { "email", "email2", "email3", NULL };
	g_autofree char *v = unescape(p->value);

	set_first_free(p->contact, keys, v);
}

static void read_phone(const Property *p)
{
	static const struct {
		const char *type; /* the first of these in TYPE= decides */
		const char *const keys[4];
	} by_type[] = {
		{ "CELL", { "mobilePhone" } },
		{ "FAX", { "otherFax" } },
		{ "HOME", { "homePhone", "homePhone2" } },
		{ "WORK", { "businessPhone", "businessPhone2", "companyPhone" } },
		{ "CAR", { "carPhone" } },
	};
	static const char *const work_fax[] = { "businessFax", NULL };
	static const char *const other[] = { "otherPhone", "callbackPhone", NULL };
	const char *const *keys = other;
	g_autofree char *v = unescape(p->value);

	for (gsize i = 0; i < G_N_ELEMENTS(by_type); i++) {
		if (strstr(p->params, by_type[i].type)) {
			keys = by_type[i].keys;
			break;
		}
	}
	if (keys == by_type[1].keys && strstr(p->params, "WORK"))
		keys = work_fax;
	set_first_free(p->contact, keys, v);
}

static void read_org(const Property *p)
{
	g_auto(GStrv) f = fields(p->value);

	set_if(p->contact, "company", f[0]);
}

static void read_birthday(const Property *p)
{
	g_autofree char *v = unescape(p->value);

	if (strlen(v) >= 10) {
		g_autofree char *day = g_strdup_printf("%.10sT00:00:00.000Z", v);
		set_if(p->contact, "birthday", day);
	}
}

/* Each property the address book has a member for: read by @read, or as text into @key. */
static const struct {
	const char *name;
	void (*read)(const Property *p);
	const char *key;
} properties[] = {
	{ "N", read_name, NULL },	 { "FN", read_full_name, NULL },
	{ "ADR", read_address, NULL },	 { "EMAIL", read_email, NULL },
	{ "TEL", read_phone, NULL },	 { "ORG", read_org, NULL },
	{ "BDAY", read_birthday, NULL }, { "NICKNAME", NULL, "nickName" },
	{ "TITLE", NULL, "jobTitle" },	 { "URL", NULL, "webPage" },
	{ "NOTE", NULL, "notes" },
};

/* The text with folded lines joined ("\r\n " or "\n\t" continue a line). (transfer full) */
static GString *unfold(const char *text)
{
	GString *out = g_string_new(NULL);

	for (const char *p = text; *p; p++) {
		if ((*p == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t')) ||
		    (*p == '\n' && (p[1] == ' ' || p[1] == '\t'))) {
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		if (*p != '\r')
			g_string_append_c(out, *p);
	}
	return out;
}

json_t *vcard_parse(const char *text, gsize len, GError **error)
{
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
	g_autofree char *copy = g_strndup(text, len);
	g_autoptr(GString) unfolded = unfold(copy);
	g_auto(GStrv) lines = g_strsplit(unfolded->str, "\n", -1);
	for (int i = 0; lines[i] && !ended; i++) {
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
		char *semi = strchr(head, ';');
		if (semi)
			*semi = '\0';
		char *dot = strrchr(head, '.'); /* item1.TEL */
		const char *name = dot ? dot + 1 : head;
		Property p = { c, semi ? semi + 1 : "", colon + 1, &fn };

		if (strcmp(name, "BEGIN") == 0) {
			begun = g_ascii_strcasecmp(p.value, "VCARD") == 0;
			continue;
		}
		if (strcmp(name, "END") == 0) {
			ended = TRUE;
			continue;
		}
		for (gsize k = 0; k < G_N_ELEMENTS(properties); k++) {
			if (strcmp(name, properties[k].name) != 0)
				continue;
			if (properties[k].read) {
				properties[k].read(&p);
			} else {
				g_autofree char *v = unescape(p.value);
				set_if(c, properties[k].key, v);
			}
			break;
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
