/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Packed records (pack.h): what goes in comes out, the same record packs the same, small. */
#include "pack.h"

#include <string.h>

static json_t *voicemail(json_int_t id, const char *from)
{
	return json_pack("{s:I, s:s, s:s, s:{s:s, s:s}, s:[{s:I, s:s, s:s, s:i}], s:s, s:s}", "id",
			 id, "uri",
			 "https://platform.ringcentral.com/restapi/v1.0/account/1/extension/2/"
			 "message-store/600000003196",
			 "type", "VoiceMail", "from", "phoneNumber", from, "name", "Ava Jensen",
			 "attachments", "id", id, "type", "AudioRecording", "contentType",
			 "audio/x-wav", "vmDuration", 9, "readStatus", "Unread", "availability",
			 "Alive");
}

static char *unpacked(GBytes *packed)
{
	g_autoptr(GBytes) json = pack_unpack(packed);
	g_assert_nonnull(json);
	return g_strndup(g_bytes_get_data(json, NULL), g_bytes_get_size(json));
}

static void test_round_trip_and_size(void)
{
	for (int i = 0; i < 50; i++) {
		g_autofree char *from = g_strdup_printf("+1650555%04d", i);
		g_autoptr(json_t) record = voicemail(600000003196 + i, from);
		g_autofree char *compact = json_dumps(record, JSON_COMPACT);
		g_autoptr(GBytes) packed = pack_record(record);
		g_autofree char *back = unpacked(packed);

		g_assert_cmpstr(back, ==, compact);
		if (i >
		    0) /* the class's first record taught the dictionary: the others are small */
			g_assert_cmpuint(g_bytes_get_size(packed), <, strlen(compact) / 3);
	}
}

static void test_same_record_same_bytes(void)
{
	g_autoptr(json_t) record = voicemail(7, "+14155550100");
	g_autoptr(GBytes) one = pack_record(record);
	g_autoptr(GBytes) two = pack_record(record);
	g_autoptr(json_t) other = voicemail(8, "+14155550100");
	g_autoptr(GBytes) three = pack_record(other);

	g_assert_true(g_bytes_equal(one, two));
	g_assert_false(g_bytes_equal(one, three));
}

static void test_any_json_and_many_classes(void)
{
	/* records of more classes than there are dictionaries, and values that are not objects */
	for (int i = 0; i < 40; i++) {
		g_autofree char *type = g_strdup_printf("Kind%d", i);
		g_autoptr(json_t) record =
			json_pack("{s:s, s:s%}", "type", type, "text", "a\0b", 3);
		g_autofree char *compact = json_dumps(record, JSON_COMPACT);
		g_autoptr(GBytes) packed = pack_record(record);
		g_autofree char *back = unpacked(packed);
		g_assert_cmpstr(back, ==, compact);
	}
	g_autoptr(json_t) number = json_integer(42);
	g_autoptr(GBytes) packed = pack_record(number);
	g_autofree char *back = unpacked(packed);
	g_assert_cmpstr(back, ==, "42");
}

static void test_not_packed_is_refused(void)
{
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(GBytes) unknown_slot = g_bytes_new("\x0e\x01\x02", 3);
	g_autoptr(GBytes) garbage = g_bytes_new("\x00garbage that is no deflate stream", 35);

	g_assert_null(pack_unpack(empty));
	g_assert_null(pack_unpack(unknown_slot));
	g_assert_null(pack_unpack(garbage));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pack/round-trip", test_round_trip_and_size);
	g_test_add_func("/pack/deterministic", test_same_record_same_bytes);
	g_test_add_func("/pack/classes", test_any_json_and_many_classes);
	g_test_add_func("/pack/refused", test_not_packed_is_refused);
	return g_test_run();
}
