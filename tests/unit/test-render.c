/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names, times, JSON and vCard from records. */
#include "render.h"
#include "vcard.h"

#include <errno.h>
#include <string.h>

static void test_safe_piece(void)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "+16505550123", "+16505550123" },
		{ "a/b", "a_b" },
		{ "..", "_." },
		{ ".", "_" },
		{ ".hidden", "_hidden" },
		{ "", "_" },
		{ NULL, "_" },
		{ "John Smith", "John Smith" },
		{ "  padded  ", "padded" },
		{ "x:y:z", "x:y:z" },
		{ "tab\there\nnl", "tab_here_nl" },
		{ "line\u2028sep", "line_sep" },
		{ "del\x7f\xc2\x80"
		  "c1",
		  "del_c1" },
		{ "ünïcode", "ünïcode" },
		{ "Zoë Łukasiewicz", "Zoë Łukasiewicz" },
		{ "Ju\xcc\x88rgen Mu\xcc\x88ller", "Jürgen Müller" }, /* NFD in, NFC out */
		{ "bad \xff\xfe text", "bad \xef\xbf\xbd\xef\xbf\xbd text" },
		{ "/leading", "leading" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = render_safe_piece(rows[i].in, 200);
		g_assert_cmpstr(got, ==, rows[i].out);
		g_assert_null(strchr(got, '/'));
	}
	g_autofree char *capped = render_safe_piece("abcdefghij", 4);
	g_assert_cmpstr(capped, ==, "abcd");
	/* cut in bytes, on a character boundary: "ł" is two bytes */
	g_autoptr(GString) long_name = g_string_new(NULL);
	for (int i = 0; i < 150; i++)
		g_string_append(long_name, "ł");
	g_autofree char *cut = render_safe_piece(long_name->str, 255);
	g_assert_cmpuint(strlen(cut), ==, 254);
	g_assert_true(g_utf8_validate(cut, -1, NULL));
	g_autofree char *odd = render_safe_piece(long_name->str, 5);
	g_assert_cmpstr(odd, ==, "łł");
	g_autofree char *tiny = render_safe_piece("ł", 1);
	g_assert_cmpstr(tiny, ==, "_");
}

static void test_times(void)
{
	time_t t = 0;

	g_assert_true(render_parse_time("2026-11-20T10:03:11.000Z", &t));
	g_autofree char *name = render_time_name(t);
	g_autofree char *day = render_day_name(t);
	g_assert_cmpstr(name, ==, "2026-11-20_10-03-11");
	g_assert_cmpstr(day, ==, "2026-11-20");
	g_assert_false(render_parse_time("yesterday", &t));
	g_assert_false(render_parse_time(NULL, &t));

	/* found by tests/fuzz/fuzz-record: years before 1000 keep four digits */
	g_assert_true(render_parse_time("0001-01-01T00:00:00Z", &t));
	g_autofree char *early = render_time_name(t);
	g_autofree char *early_day = render_day_name(t);
	g_assert_cmpstr(early, ==, "0001-01-01_00-00-00");
	g_assert_cmpstr(early_day, ==, "0001-01-01");
}

static void test_ids(void)
{
	g_autoptr(json_t) big = json_integer(8234962969801171948LL);
	g_autoptr(json_t) str = json_string("IWvNToLkbo-7zUA");
	g_autofree char *a = render_id(big);
	g_autofree char *b = render_id(str);

	g_assert_cmpstr(a, ==, "8234962969801171948");
	g_assert_cmpstr(b, ==, "IWvNToLkbo-7zUA");
	g_assert_null(render_id(NULL));
}

static void test_json(void)
{
	g_autoptr(json_t) v =
		json_pack("{s:I, s:s}", "id", (json_int_t)402406986008LL, "type", "VoiceMail");
	g_autoptr(GBytes) bytes = render_json(v);
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);

	static const char want[] = "{\n  \"id\": 402406986008,\n  \"type\": \"VoiceMail\"\n}\n";

	g_assert_cmpmem(data, len, want, sizeof(want) - 1);
}

static void test_vcard(void)
{
	g_autoptr(json_t) c =
		json_pack("{s:I, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:I}}", "id", (json_int_t)42,
			  "firstName", "Ann", "lastName", "Lee; Jr", "mobilePhone", "+16505550100",
			  "email", "ann@example.com", "businessAddress", "street", "1 Main St",
			  "city", "Belmont", "zip", (json_int_t)94002);
	g_autoptr(GBytes) bytes = render_vcard(c);
	g_autofree char *text = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));

	g_assert_true(g_str_has_prefix(text, "BEGIN:VCARD\r\nVERSION:3.0\r\n"));
	g_assert_true(g_str_has_suffix(text, "END:VCARD\r\n"));
	g_assert_nonnull(strstr(text, "N:Lee\\; Jr;Ann;;;\r\n"));
	g_assert_nonnull(strstr(text, "FN:Ann Lee\\; Jr\r\n"));
	g_assert_nonnull(strstr(text, "TEL;TYPE=CELL:+16505550100\r\n"));
	g_assert_nonnull(strstr(text, "EMAIL;TYPE=INTERNET:ann@example.com\r\n"));
	g_assert_nonnull(strstr(text, "ADR;TYPE=WORK:;;1 Main St;Belmont;;94002;\r\n"));
	g_assert_nonnull(strstr(text, "UID:ringcentral-contact-42\r\n"));
	g_assert_null(strstr(text, "ADR;TYPE=HOME"));
}

static void test_vcard_round_trip(void)
{
	g_autoptr(json_t) c =
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "firstName", "Ann",
			  "lastName", "Lee; Jr", "mobilePhone", "+16505550100", "businessPhone",
			  "+16505550101", "email", "ann@example.com", "notes", "line one\nline two",
			  "homeAddress", "street", "1 Main St", "city", "Belmont", "country", "US");
	g_autoptr(GBytes) card = render_vcard(c);
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) back =
		vcard_parse(g_bytes_get_data(card, NULL), g_bytes_get_size(card), &error);

	g_assert_no_error(error);
	g_assert_true(json_equal(back, c));
}

static void test_vcard_parse(void)
{
	static const char card[] = "BEGIN:VCARD\nVERSION:4.0\nFN:Grace Hopper\n"
				   "TEL;TYPE=work,fax:+1 555 0100\nEMAIL:g@navy.mil\n"
				   "EMAIL:grace@example.org\nNOTE:folded\r\n  line\nEND:VCARD\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) c = vcard_parse(card, sizeof(card) - 1, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(json_string_value(json_object_get(c, "firstName")), ==, "Grace");
	g_assert_cmpstr(json_string_value(json_object_get(c, "lastName")), ==, "Hopper");
	g_assert_cmpstr(json_string_value(json_object_get(c, "businessFax")), ==, "+1 555 0100");
	g_assert_cmpstr(json_string_value(json_object_get(c, "email2")), ==, "grace@example.org");
	g_assert_cmpstr(json_string_value(json_object_get(c, "notes")), ==, "folded line");

	g_assert_null(vcard_parse("hello", 5, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
}

static const char *member(const json_t *c, const char *key)
{
	return json_string_value(json_object_get(c, key));
}

/* 4.0 tel: URIs and quoted types, 2.1 bare types and quoted-printable, Apple's groups */
static void test_vcard_versions(void)
{
	static const char v4[] = "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Łukasiewicz;Zoë;;;\r\n"
				 "TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+1-415-555-0100\r\n"
				 "TEL;VALUE=uri;TYPE=work:tel:+1.415.555.0101;ext=12\r\n"
				 "TEL;VALUE=uri:sip:zoe@example.org\r\n"
				 "EMAIL;TYPE=home:zoe@exam\r\n ple.org\r\nBDAY:19850415\r\n"
				 "END:VCARD\r\n";
	static const char v21[] =
		"BEGIN:VCARD\nVERSION:2.1\nN:M=C3=BCller;J=C3=BCrgen\n"
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\n"
		"TEL;HOME;VOICE:+49 30 1234567\nTEL;CELL:+49 170 1234567\n"
		"NOTE;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Gr=FC=DFe aus =\nBerlin\n"
		"END:VCARD\n";
	static const char apple[] = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\n"
				    "item1.TEL;type=pref:+44 20 7946 0000\n"
				    "item1.X-ABLabel:_$!<Mobile>!$_\n"
				    "item2.TEL:+44 20 7946 0001\nitem2.X-ABLabel:HomeFAX\n"
				    "END:VCARD\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) a = vcard_parse(v4, sizeof(v4) - 1, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(member(a, "firstName"), ==, "Zoë");
	g_assert_cmpstr(member(a, "lastName"), ==, "Łukasiewicz");
	g_assert_cmpstr(member(a, "mobilePhone"), ==, "+14155550100");
	g_assert_cmpstr(member(a, "businessPhone"), ==, "+14155550101x12");
	g_assert_null(json_object_get(a, "otherPhone")); /* a sip: URI is no number */
	g_assert_cmpstr(member(a, "email"), ==, "zoe@example.org");
	g_assert_cmpstr(member(a, "birthday"), ==, "1985-04-15T00:00:00.000Z");

	g_autoptr(json_t) b = vcard_parse(v21, sizeof(v21) - 1, &error);
	g_assert_no_error(error);
	/* the first N (not quoted-printable, so "M=C3=BCller" as written) wins, as in 3.0 */
	g_assert_cmpstr(member(b, "lastName"), ==, "M=C3=BCller");
	g_assert_cmpstr(member(b, "homePhone"), ==, "+49 30 1234567");
	g_assert_cmpstr(member(b, "mobilePhone"), ==, "+49 170 1234567");
	g_assert_cmpstr(member(b, "notes"), ==, "Grüße aus Berlin");

	static const char qp_name[] =
		"BEGIN:VCARD\nVERSION:2.1\n"
		"N;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BCller;J=C3=BCrgen\n"
		"END:VCARD\n";
	g_autoptr(json_t) q = vcard_parse(qp_name, sizeof(qp_name) - 1, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(member(q, "lastName"), ==, "Müller");
	g_assert_cmpstr(member(q, "firstName"), ==, "Jürgen");

	g_autoptr(json_t) c = vcard_parse(apple, sizeof(apple) - 1, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(member(c, "mobilePhone"), ==, "+44 20 7946 0000");
	g_assert_cmpstr(member(c, "otherFax"), ==, "+44 20 7946 0001");
}

static void test_vcard_several(void)
{
	static const char three[] = "BEGIN:VCARD\nFN:One\nEND:VCARD\n\n"
				    "begin:vcard\nFN:Two\nend:vcard\r\n"
				    "BEGIN:VCARD\nFN:Three\nEND:VCARD\n";
	static const char broken[] = "BEGIN:VCARD\nFN:One\nEND:VCARD\n"
				     "BEGIN:VCARD\nFN:Two\nno colon here\nEND:VCARD\n";
	static const char unended[] = "BEGIN:VCARD\nFN:One\nBEGIN:VCARD\nFN:Two\nEND:VCARD\n";
	static const char outside[] = "BEGIN:VCARD\nFN:One\nEND:VCARD\nFN:stray\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) all = vcard_parse_all(three, sizeof(three) - 1, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(json_array_size(all), ==, 3);
	g_assert_cmpstr(member(json_array_get(all, 1), "firstName"), ==, "Two");
	g_autofree char *label = vcard_label(json_array_get(all, 2));
	g_assert_cmpstr(label, ==, "Three");
	/* the file of one contact holds one card */
	g_assert_null(vcard_parse(three, sizeof(three) - 1, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_clear_error(&error);
	g_assert_null(vcard_parse_all(broken, sizeof(broken) - 1, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_assert_true(g_str_has_prefix(error->message, "card 2: line 6"));
	g_clear_error(&error);
	g_assert_null(vcard_parse_all(unended, sizeof(unended) - 1, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_assert_true(g_str_has_prefix(error->message, "card 1 (line 1) has no END"));
	g_clear_error(&error);
	g_assert_null(vcard_parse_all(outside, sizeof(outside) - 1, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
}

/* Found by tests/fuzz/fuzz-vcard: bytes that are no vCard fail with EINVAL, never crash. */
static void test_vcard_bad(void)
{
	static const char nul[] = "BEGIN:VCARD\nFN:A\0B\nEND:VCARD\n";
	static const char latin1[] = "BEGIN:VCARD\nFN:Ren\xe9\nEND:VCARD\n";
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	GError *error = NULL;

	g_assert_null(vcard_parse(g_bytes_get_data(empty, NULL), 0, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_clear_error(&error);
	g_assert_null(vcard_parse(nul, sizeof(nul) - 1, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_clear_error(&error);
	g_assert_null(vcard_parse(latin1, sizeof(latin1) - 1, &error));
	g_assert_error(error, RFS_ERROR, EINVAL);
	g_clear_error(&error);
}

static void test_calls_csv(void)
{
	g_autoptr(json_t) call = json_pack(
		"{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s}, s:{s:s}, s:s}", "id",
		"IWvN", "startTime", "2026-11-20T10:03:11.000Z", "duration", 42, "direction",
		"Inbound", "type", "Voice", "action", "Phone Call", "result", "Said \"hi\", left",
		"from", "phoneNumber", "+14155550100", "name", "Zoë, Ł.", "to", "extensionNumber",
		"101", "recording", "id", "77", "sessionId", "4091");
	g_autoptr(json_t) bare = json_object();
	g_autoptr(GString) out = g_string_new(render_calls_csv_header());

	render_calls_csv_row(out, call);
	render_calls_csv_row(out, bare);
	g_assert_cmpstr(out->str, ==,
			"id,startTime,duration,direction,type,action,result,from,fromName,to,"
			"toName,recordingId,sessionId\r\n"
			"IWvN,2026-11-20T10:03:11.000Z,42,Inbound,Voice,Phone Call,"
			"\"Said \"\"hi\"\", left\",+14155550100,\"Zoë, Ł.\",101,,77,4091\r\n"
			",,,,,,,,,,,,\r\n");
}

static void test_text(void)
{
	g_autoptr(GBytes) plain = render_text("hi");
	g_autoptr(GBytes) ended = render_text("hi\n");
	g_autoptr(GBytes) empty = render_text("");
	g_autoptr(GBytes) none = render_text(NULL);

	g_assert_cmpmem(g_bytes_get_data(plain, NULL), g_bytes_get_size(plain), "hi\n", 3);
	g_assert_cmpmem(g_bytes_get_data(ended, NULL), g_bytes_get_size(ended), "hi\n", 3);
	g_assert_cmpuint(g_bytes_get_size(empty), ==, 0);
	g_assert_cmpuint(g_bytes_get_size(none), ==, 0);
}

static void test_extensions(void)
{
	g_assert_cmpstr(render_extension_for("audio/x-wav"), ==, "wav");
	g_assert_cmpstr(render_extension_for("audio/mpeg"), ==, "mp3");
	g_assert_cmpstr(render_extension_for("application/pdf"), ==, "pdf");
	g_assert_cmpstr(render_extension_for("text/plain; charset=UTF-8"), ==, "txt");
	g_assert_cmpstr(render_extension_for(NULL), ==, "bin");
	/* what an MMS may carry */
	g_assert_cmpstr(render_extension_for("video/quicktime"), ==, "mov");
	g_assert_cmpstr(render_extension_for("image/webp"), ==, "webp");
	g_assert_cmpstr(render_extension_for("audio/mp4"), ==, "m4a");
	g_assert_cmpstr(render_extension_for("text/vcard"), ==, "vcf");
	g_assert_cmpstr(render_extension_for("image/svg+xml"), ==, "svg");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/render/safe-piece", test_safe_piece);
	g_test_add_func("/render/times", test_times);
	g_test_add_func("/render/ids", test_ids);
	g_test_add_func("/render/json", test_json);
	g_test_add_func("/render/vcard", test_vcard);
	g_test_add_func("/render/extensions", test_extensions);
	g_test_add_func("/render/vcard-round-trip", test_vcard_round_trip);
	g_test_add_func("/render/vcard-parse", test_vcard_parse);
	g_test_add_func("/render/vcard-bad", test_vcard_bad);
	g_test_add_func("/render/vcard-versions", test_vcard_versions);
	g_test_add_func("/render/calls-csv", test_calls_csv);
	g_test_add_func("/render/text", test_text);
	g_test_add_func("/render/vcard-several", test_vcard_several);
	return g_test_run();
}
