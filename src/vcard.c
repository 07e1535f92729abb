/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading vCards (2.1, 3.0 and 4.0): lines unfolded, the file cut into its
 * cards, then each property by the table below, which says which member of
 * the contact it fills. Parameters are read as a set of types, whether
 * written TYPE=WORK,VOICE (3.0), TYPE="work,voice" (4.0) or ;WORK;VOICE
 * (2.1); a group's X-ABLabel (item1.TEL with item1.X-ABLabel, Apple's way)
 * adds its type. 2.1's quoted-printable values are decoded (UTF-8 or
 * ISO-8859-1), 4.0's tel: URIs become plain numbers. What the address book
 * has no member for is left out.
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

/* Splits @s at @sep outside double quotes. (transfer full) */
static GStrv split_unquoted(const char *s, char sep)
{
	GPtrArray *out = g_ptr_array_new();
	gboolean quoted = FALSE;
	const char *start = s;

	for (const char *p = s;; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (*p == '\0' || (*p == sep && !quoted)) {
			g_ptr_array_add(out, g_strndup(start, p - start));
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
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
	if (!value || !*value)
		return;
	for (; *keys; keys++) {
		if (!json_object_get(obj, *keys)) {
			json_object_set_new(obj, *keys, json_string(value));
			return;
		}
	}
}

/* What one property line gives: the contact, its types, its value (decoded, still escaped). */
typedef struct {
	json_t *contact;
	GHashTable *types; /* upper case: TYPE= values, 2.1's bare parameters, the group's label */
	gboolean uri;	   /* VALUE=uri */
	const char *value;
	char **fn; /* FN, for when there is no N */
} Property;

static gboolean has_type(const Property *p, const char *type)
{
	return g_hash_table_contains(p->types, type);
}

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
	const char *key = has_type(p, "WORK")	? "businessAddress"
			  : has_type(p, "HOME") ? "homeAddress"
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

	if (p->uri && g_ascii_strncasecmp(v, "mailto:", 7) == 0)
		memmove(v, v + 7, strlen(v + 7) + 1);
	set_first_free(p->contact, keys, v);
}

/*
 * A tel: URI (RFC 3966) as the number the address book takes:
 * "tel:+1-415-555-0100;ext=12" → "+14155550100x12". Visual separators go;
 * anything else is kept for the server to judge. NULL for another scheme. (transfer full)
 */
static char *tel_uri_number(const char *uri)
{
	const char *p = uri;

	while (g_ascii_strncasecmp(p, "tel:", 4) == 0)
		p += 4;
	if (p == uri && strchr(uri, ':'))
		return NULL; /* sip:, mailto: … */
	g_auto(GStrv) parts = g_strsplit(p, ";", -1);
	GString *out = g_string_new(NULL);
	if (!parts[0]) /* "tel:" alone: g_strsplit gives no part at all */
		return g_string_free(out, FALSE);
	for (const char *c = parts[0]; *c; c++)
		if (!strchr("-.() \t", *c))
			g_string_append_c(out, *c);
	/* "tel:-tel:5": what the separators hid is a scheme too */
	while (g_ascii_strncasecmp(out->str, "tel:", 4) == 0)
		g_string_erase(out, 0, 4);
	for (guint i = 1; parts[i]; i++) {
		if (g_ascii_strncasecmp(parts[i], "ext=", 4) == 0 && parts[i][4]) {
			g_string_append_c(out, 'x');
			for (const char *c = parts[i] + 4; *c; c++)
				if (!strchr("-.() \t", *c))
					g_string_append_c(out, *c);
		}
	}
	return g_string_free(out, FALSE);
}

static void read_phone(const Property *p)
{
	static const char *const cell[] = { "mobilePhone", NULL };
	static const char *const fax[] = { "otherFax", NULL };
	static const char *const work_fax[] = { "businessFax", NULL };
	static const char *const home[] = { "homePhone", "homePhone2", NULL };
	static const char *const work[] = { "businessPhone", "businessPhone2", "companyPhone",
					    NULL };
	static const char *const car[] = { "carPhone", NULL };
	static const char *const other[] = { "otherPhone", "callbackPhone", NULL };
	const char *const *keys = other;
	g_autofree char *v = NULL;

	/* unescaped first, so that "\TEL:…" and our own "TEL:…" read alike */
	g_autofree char *text = unescape(p->value);
	if (p->uri || g_ascii_strncasecmp(text, "tel:", 4) == 0) {
		v = tel_uri_number(text);
		if (!v)
			return; /* not a phone number: the address book has no member for it */
	} else {
		v = g_steal_pointer(&text);
	}
	if (has_type(p, "CELL") || has_type(p, "MOBILE") || has_type(p, "IPHONE"))
		keys = cell;
	else if (has_type(p, "FAX"))
		keys = has_type(p, "WORK") ? work_fax : fax;
	else if (has_type(p, "HOME"))
		keys = home;
	else if (has_type(p, "WORK"))
		keys = work;
	else if (has_type(p, "CAR"))
		keys = car;
	set_first_free(p->contact, keys, v);
}

static void read_org(const Property *p)
{
	g_auto(GStrv) f = fields(p->value);

	set_if(p->contact, "company", f[0]);
}

/* 1906-12-09, 19061209 or 1906-12-09T…; 4.0's --1209 (no year) has no place. */
static void read_birthday(const Property *p)
{
	g_autofree char *v = unescape(p->value);
	g_autofree char *day = NULL;
	gboolean digits = TRUE;

	for (int i = 0; i < 8 && digits; i++)
		digits = g_ascii_isdigit(v[i]);
	if (digits)
		day = g_strdup_printf("%.4s-%.2s-%.2sT00:00:00.000Z", v, v + 4, v + 6);
	else if (strlen(v) >= 10)
		day = g_strdup_printf("%.10sT00:00:00.000Z", v);
	set_if(p->contact, "birthday", day);
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

/* One content line, cut up: group.NAME;params:value. */
typedef struct {
	char *group; /* upper case, NULL when none */
	char *name;  /* upper case */
	GStrv params;
	char *value;
} Line;

static void line_clear(Line *l)
{
	g_free(l->group);
	g_free(l->name);
	g_strfreev(l->params);
	g_free(l->value);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Line, line_clear)

/* FALSE when @text has no ':' outside quotes (4.0 parameters may quote one). */
static gboolean line_parse(const char *text, Line *l)
{
	gboolean quoted = FALSE;
	const char *colon = NULL;

	for (const char *p = text; *p && !colon; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ':' && !quoted)
			colon = p;
	}
	if (!colon)
		return FALSE;
	g_autofree char *head = g_strndup(text, colon - text);
	g_auto(GStrv) parts = split_unquoted(head, ';');
	char *dot = strrchr(parts[0], '.'); /* item1.TEL */
	if (dot) {
		l->group = g_ascii_strup(parts[0], dot - parts[0]);
		l->name = g_ascii_strup(dot + 1, -1);
	} else {
		l->name = g_ascii_strup(parts[0], -1);
	}
	l->params = g_strdupv(parts + 1);
	l->value = g_strdup(colon + 1);
	return TRUE;
}

/* What a line's parameters say about its value. */
typedef struct {
	gboolean qp, base64, uri;
	char *charset;
} Encoding;

static char *unquote(const char *s)
{
	gsize n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return g_strndup(s + 1, n - 2);
	return g_strdup(s);
}

/* Reads @params into @types (upper case) and @enc. */
static void read_params(GStrv params, GHashTable *types, Encoding *enc)
{
	for (guint i = 0; params[i]; i++) {
		char *eq = strchr(params[i], '=');
		if (!eq) { /* 2.1: ;HOME;VOICE;QUOTED-PRINTABLE */
			g_autofree char *bare = g_ascii_strup(params[i], -1);
			if (strcmp(bare, "QUOTED-PRINTABLE") == 0)
				enc->qp = TRUE;
			else if (strcmp(bare, "BASE64") == 0)
				enc->base64 = TRUE;
			else if (*bare)
				g_hash_table_add(types, g_steal_pointer(&bare));
			continue;
		}
		g_autofree char *pname = g_ascii_strup(params[i], eq - params[i]);
		g_autofree char *pvalue = unquote(eq + 1);
		if (strcmp(pname, "TYPE") == 0) {
			g_auto(GStrv) each = g_strsplit(pvalue, ",", -1);
			for (guint k = 0; each[k]; k++) {
				g_autofree char *t = unquote(g_strstrip(each[k]));
				if (*t)
					g_hash_table_add(types, g_ascii_strup(t, -1));
			}
		} else if (strcmp(pname, "VALUE") == 0) {
			enc->uri = g_ascii_strcasecmp(pvalue, "uri") == 0;
		} else if (strcmp(pname, "ENCODING") == 0) {
			enc->qp = g_ascii_strcasecmp(pvalue, "QUOTED-PRINTABLE") == 0;
			enc->base64 = g_ascii_strcasecmp(pvalue, "B") == 0 ||
				      g_ascii_strcasecmp(pvalue, "BASE64") == 0;
		} else if (strcmp(pname, "CHARSET") == 0) {
			g_free(enc->charset);
			enc->charset = g_steal_pointer(&pvalue);
		}
	}
}

/* The types an Apple label names ("_$!<Mobile>!$_", "work", "HomeFAX"). */
static void label_types(const char *label, GHashTable *types)
{
	static const struct {
		const char *word, *type;
	} words[] = {
		{ "MOBILE", "CELL" }, { "CELL", "CELL" }, { "IPHONE", "CELL" }, { "FAX", "FAX" },
		{ "HOME", "HOME" },   { "WORK", "WORK" }, { "CAR", "CAR" },
	};
	g_autofree char *up = g_ascii_strup(label, -1);

	for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
		if (strstr(up, words[i].word))
			g_hash_table_add(types, g_strdup(words[i].type));
}

static int hex_value(char c)
{
	return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* Quoted-printable decoded ("=C3=A9" → "é"; a '=' that is no escape stays). (transfer full) */
static GString *qp_decode(const char *s)
{
	GString *out = g_string_new(NULL);

	for (const char *p = s; *p; p++) {
		if (*p == '=' && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0) {
			g_string_append_c(out, (char)(hex_value(p[1]) * 16 + hex_value(p[2])));
			p += 2;
		} else if (*p != '\r') {
			g_string_append_c(out, *p);
		}
	}
	return out;
}

/*
 * The value of a quoted-printable line as UTF-8, in @charset (UTF-8 when
 * none). NULL when it is not text in that charset. (transfer full)
 */
static char *qp_text(const char *value, const char *charset)
{
	g_autoptr(GString) bytes = qp_decode(value);
	g_autofree char *text = NULL;

	if (charset && g_ascii_strcasecmp(charset, "UTF-8") != 0 &&
	    g_ascii_strcasecmp(charset, "UTF8") != 0) {
		gsize written = 0;
		text = g_convert(bytes->str, bytes->len, "UTF-8", charset, NULL, &written, NULL);
		if (!text || strlen(text) != written)
			return NULL;
	} else {
		if (!g_utf8_validate_len(bytes->str, bytes->len, NULL))
			return NULL;
		text = g_strndup(bytes->str, bytes->len);
	}
	/* no CR in a value: our own vCard could not say it again */
	GString *out = g_string_new(NULL);
	for (const char *p = text; *p; p++)
		if (*p != '\r')
			g_string_append_c(out, *p);
	return g_string_free(out, FALSE);
}

/* One card: @lines (borrowed) from BEGIN to END exclusive, @at their line numbers. */
static json_t *read_card(GPtrArray *lines, GArray *at, guint number, GError **error)
{
	g_autoptr(json_t) c = json_object();
	g_autoptr(GHashTable) labels =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *fn = NULL;

	for (guint i = 0; i < lines->len; i++) { /* labels first: they follow what they name */
		g_auto(Line) l = { .group = NULL };
		if (line_parse(lines->pdata[i], &l) && l.group && strcmp(l.name, "X-ABLABEL") == 0)
			g_hash_table_replace(labels, g_strdup(l.group), g_strdup(l.value));
	}
	for (guint i = 0; i < lines->len; i++) {
		int line_no = g_array_index(at, int, i);
		g_auto(Line) l = { .group = NULL };
		if (!line_parse(lines->pdata[i], &l)) {
			g_set_error(error, RFS_ERROR, EINVAL, "card %u: line %d has no ':'", number,
				    line_no);
			return NULL;
		}
		g_autoptr(GHashTable) types =
			g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		Encoding enc = { .qp = FALSE };
		read_params(l.params, types, &enc);
		g_autofree char *charset = enc.charset;
		const char *label = l.group ? g_hash_table_lookup(labels, l.group) : NULL;
		if (label)
			label_types(label, types);
		g_autofree char *value = NULL;
		if (enc.qp) {
			/* 2.1: a value ending in '=' goes on at the next line */
			g_autoptr(GString) joined = g_string_new(l.value);
			while (joined->len && joined->str[joined->len - 1] == '=' &&
			       i + 1 < lines->len) {
				g_string_truncate(joined, joined->len - 1);
				g_string_append(joined, lines->pdata[++i]);
			}
			value = qp_text(joined->str, charset);
			if (!value) {
				g_set_error(error, RFS_ERROR, EINVAL,
					    "card %u: line %d (%s) is not %s text", number, line_no,
					    l.name, charset ? charset : "UTF-8");
				return NULL;
			}
		} else {
			value = g_strdup(l.value);
		}
		if (enc.base64)
			continue; /* photos, sounds, keys: the address book has none */
		Property p = { c, types, enc.uri, value, &fn };
		for (gsize k = 0; k < G_N_ELEMENTS(properties); k++) {
			if (strcmp(l.name, properties[k].name) != 0)
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

/* Is @line "BEGIN:VCARD" (or END), whatever the case and the spaces around? */
static gboolean is_marker(const char *line, const char *marker)
{
	g_autofree char *t = g_strstrip(g_strdup(line));

	return g_ascii_strcasecmp(t, marker) == 0;
}

json_t *vcard_parse_all(const char *text, gsize len, GError **error)
{
	g_autoptr(json_t) cards = json_array();
	g_autoptr(GPtrArray) card = NULL;
	g_autoptr(GArray) at = NULL;
	int begun_at = 0;

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
	for (int i = 0; lines[i]; i++) {
		char *line = lines[i];
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if (is_marker(line, "BEGIN:VCARD")) {
			if (card) {
				g_set_error(error, RFS_ERROR, EINVAL,
					    "card %zu (line %d) has no END:VCARD",
					    json_array_size(cards) + 1, begun_at);
				return NULL;
			}
			card = g_ptr_array_new();
			at = g_array_new(FALSE, FALSE, sizeof(int));
			begun_at = i + 1;
		} else if (is_marker(line, "END:VCARD")) {
			if (!card) {
				g_set_error(error, RFS_ERROR, EINVAL,
					    "line %d: END:VCARD without BEGIN:VCARD", i + 1);
				return NULL;
			}
			json_t *contact = read_card(card, at, json_array_size(cards) + 1, error);
			if (!contact)
				return NULL;
			json_array_append_new(cards, contact);
			g_clear_pointer(&card, g_ptr_array_unref);
			g_clear_pointer(&at, g_array_unref);
		} else if (card) {
			g_ptr_array_add(card, line);
			int no = i + 1;
			g_array_append_val(at, no);
		} else {
			g_set_error(error, RFS_ERROR, EINVAL,
				    "line %d is outside BEGIN:VCARD … END:VCARD", i + 1);
			return NULL;
		}
	}
	if (card) {
		g_set_error(error, RFS_ERROR, EINVAL, "card %zu (line %d) has no END:VCARD",
			    json_array_size(cards) + 1, begun_at);
		return NULL;
	}
	if (json_array_size(cards) == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "not a vCard (BEGIN:VCARD … END:VCARD)");
		return NULL;
	}
	return g_steal_pointer(&cards);
}

json_t *vcard_parse(const char *text, gsize len, GError **error)
{
	g_autoptr(json_t) cards = vcard_parse_all(text, len, error);

	if (!cards)
		return NULL;
	if (json_array_size(cards) != 1) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "%zu cards in the file of one contact: write one (new cards go into "
			    "a new .vcf)",
			    json_array_size(cards));
		return NULL;
	}
	return json_incref(json_array_get(cards, 0));
}

char *vcard_label(const json_t *contact)
{
	static const char *const keys[] = { "company",	   "nickName",	    "email",
					    "mobilePhone", "businessPhone", "homePhone" };
	const char *first = json_string_value(json_object_get(contact, "firstName"));
	const char *last = json_string_value(json_object_get(contact, "lastName"));

	if (first || last) {
		char *name = g_strstrip(g_strjoin(" ", first ? first : "", last ? last : "", NULL));
		if (*name)
			return name;
		g_free(name); /* a name of blanks and line breaks names nobody */
	}
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *v = json_string_value(json_object_get(contact, keys[i]));
		if (v && *v)
			return g_strdup(v);
	}
	return g_strdup("no name");
}
