/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packed records (pack.h). A packed record is one byte naming its dictionary
 * (a class slot, or PACK_STORED for bytes kept as they were), then a raw
 * deflate stream. zlib's streams are kept per thread: making one allocates
 * tens of kilobytes, and a listing packs a thousand records a page.
 */
#include "pack.h"

#include <string.h>
#include <zlib.h>

#define PACK_WINDOW_BITS 13 /* 8 KiB: a dictionary and a record fit in the window */
#define PACK_MEM_LEVEL	 6  /* 32 KiB of hash state per thread */
#define PACK_LEVEL	 6
#define PACK_CLASSES	 16   /* slot 0: the fixed words alone, for classes past the 15th */
#define PACK_LEARNED_MAX 4096 /* bytes of a learned record that go into its dictionary */
#define PACK_STORED	 0xff
#define PACK_OUT_MAX	 RFS_MAX_JSON_BODY

/* Words every record shares, and the values most of them hold. */
static const char pack_words[] =
	"\"uri\":\"id\":\"to\":\"from\":\"type\":\"creationTime\":\"readStatus\":\"priority\":"
	"\"attachments\":\"contentType\":\"direction\":\"availability\":\"subject\":"
	"\"messageStatus\":\"lastModifiedTime\":\"vmTranscriptionStatus\":\"vmDuration\":"
	"\"conversationId\":\"conversation\":\"phoneNumber\":\"extensionNumber\":\"extensionId\":"
	"\"name\":\"location\":\"faxResolution\":\"faxPageCount\":\"coverIndex\":\"startTime\":"
	"\"duration\":\"action\":\"result\":\"reason\":\"reasonDescription\":\"sessionId\":"
	"\"telephonySessionId\":\"recording\":\"legs\":\"firstName\":\"lastName\":\"email\":"
	"\"businessPhone\":\"mobilePhone\":\"homePhone\":\"company\":\"jobTitle\":"
	"\"Inbound\",\"Outbound\",\"Alive\",\"Deleted\",\"Read\",\"Unread\",\"Normal\",\"High\","
	"\"Received\",\"Sent\",\"Delivered\",\"Queued\",\"SendingFailed\",\"DeliveryFailed\","
	"\"VoiceMail\",\"SMS\",\"Fax\",\"Pager\",\"Text\",\"AudioRecording\","
	"\"AudioTranscription\","
	"\"RenderedDocument\",\"MmsAttachment\",\"text/plain\",\"audio/x-wav\",\"audio/mpeg\","
	"\"application/pdf\",\"Completed\",\"Voice\",\"Call connected\",\"Missed\",\"Accepted\","
	"\"PSTN\",\"VoIP\",\"https://platform.ringcentral.com/restapi/v1.0/account/\",\"/extension/"
	"\",\"/message-store/\",\"/content/\",\"/call-log/\",\"/recording/\",\".000Z\",\"2026-";

typedef struct {
	char *name;   /* the class: a record's "type", else its first keys */
	GBytes *dict; /* pack_words, then the class's first record */
} PackClass;

static GMutex pack_lock;
static PackClass pack_classes[PACK_CLASSES]; /* protected by pack_lock; a slot never changes */
static guint pack_count = 1;		     /* slot 0 is pack_words alone */

static void deflater_free(gpointer z)
{
	deflateEnd(z);
	g_free(z);
}

static void inflater_free(gpointer z)
{
	inflateEnd(z);
	g_free(z);
}

static GPrivate deflater_key = G_PRIVATE_INIT(deflater_free);
static GPrivate inflater_key = G_PRIVATE_INIT(inflater_free);

/* This thread's deflate stream, reset; NULL if zlib has no memory. */
static z_stream *deflater(void)
{
	z_stream *z = g_private_get(&deflater_key);

	if (z)
		return deflateReset(z) == Z_OK ? z : NULL;
	z = g_new0(z_stream, 1);
	if (deflateInit2(z, PACK_LEVEL, Z_DEFLATED, -PACK_WINDOW_BITS, PACK_MEM_LEVEL,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		g_free(z);
		return NULL;
	}
	g_private_set(&deflater_key, z);
	return z;
}

static z_stream *inflater(void)
{
	z_stream *z = g_private_get(&inflater_key);

	if (z)
		return inflateReset(z) == Z_OK ? z : NULL;
	z = g_new0(z_stream, 1);
	if (inflateInit2(z, -PACK_WINDOW_BITS) != Z_OK) {
		g_free(z);
		return NULL;
	}
	g_private_set(&inflater_key, z);
	return z;
}

static char *class_name(const json_t *record)
{
	const char *type = json_string_value(json_object_get(record, "type"));
	const char *key;
	json_t *value;
	GString *keys;
	int n = 0;

	if (type)
		return g_strconcat("type:", type, NULL);
	keys = g_string_new("keys:");
	json_object_foreach ((json_t *)record, key, value) {
		if (n++ == 3)
			break;
		g_string_append_printf(keys, "%s,", key);
	}
	return g_string_free(keys, FALSE);
}

/* The slot of @record's class, learning it from @json if it is new; its dictionary in *dict. */
static guint class_slot(const json_t *record, const char *json, gsize len, GBytes **dict)
{
	g_autofree char *name = class_name(record);
	guint slot = 0;

	g_mutex_lock(&pack_lock);
	if (!pack_classes[0].dict)
		pack_classes[0].dict = g_bytes_new_static(pack_words, sizeof(pack_words) - 1);
	for (guint i = 1; i < pack_count && slot == 0; i++)
		if (strcmp(pack_classes[i].name, name) == 0)
			slot = i;
	if (slot == 0 && pack_count < PACK_CLASSES) {
		GByteArray *words = g_byte_array_new();
		g_byte_array_append(words, (const guint8 *)pack_words, sizeof(pack_words) - 1);
		g_byte_array_append(words, (const guint8 *)json, (guint)MIN(len, PACK_LEARNED_MAX));
		slot = pack_count++;
		pack_classes[slot].name = g_steal_pointer(&name);
		pack_classes[slot].dict = g_byte_array_free_to_bytes(words);
	}
	*dict = g_bytes_ref(pack_classes[slot].dict);
	g_mutex_unlock(&pack_lock);
	return slot;
}

static GBytes *dict_of(guint slot)
{
	GBytes *dict = NULL;

	g_mutex_lock(&pack_lock);
	if (slot < pack_count && pack_classes[slot].dict)
		dict = g_bytes_ref(pack_classes[slot].dict);
	g_mutex_unlock(&pack_lock);
	return dict;
}

static GBytes *stored(const char *json, gsize len)
{
	guint8 *out = g_malloc(len + 1);

	out[0] = PACK_STORED;
	memcpy(out + 1, json, len);
	return g_bytes_new_take(out, len + 1);
}

GBytes *pack_record(const json_t *record)
{
	g_autofree char *json = json_dumps(record, JSON_COMPACT | JSON_ENCODE_ANY);
	gsize len = json ? strlen(json) : 0;
	g_autoptr(GBytes) dict = NULL;
	z_stream *z = deflater();

	if (!json)
		return stored("", 0);
	guint slot = class_slot(record, json, len, &dict);
	if (!z || len > UINT_MAX / 2)
		return stored(json, len);

	gsize dict_len;
	const guint8 *dict_data = g_bytes_get_data(dict, &dict_len);
	uLong bound = deflateBound(z, len);
	g_autofree guint8 *out = g_malloc(bound + 1);

	out[0] = (guint8)slot;
	z->next_in = (Bytef *)json;
	z->avail_in = (uInt)len;
	z->next_out = out + 1;
	z->avail_out = (uInt)bound;
	if (deflateSetDictionary(z, dict_data, (uInt)dict_len) != Z_OK ||
	    deflate(z, Z_FINISH) != Z_STREAM_END || z->total_out >= len)
		return stored(json, len);
	/* a block of its own size: a listing keeps 100,000 of them */
	return g_bytes_new(out, z->total_out + 1);
}

GBytes *pack_unpack(GBytes *packed)
{
	gsize size;
	const guint8 *data = g_bytes_get_data(packed, &size);

	if (size == 0)
		return NULL;
	if (data[0] == PACK_STORED)
		return g_bytes_new_from_bytes(packed, 1, size - 1);

	g_autoptr(GBytes) dict = dict_of(data[0]);
	z_stream *z = inflater();
	if (!dict || !z)
		return NULL;

	gsize dict_len;
	const guint8 *dict_data = g_bytes_get_data(dict, &dict_len);
	g_autoptr(GByteArray) out = g_byte_array_sized_new((guint)MIN(size * 8, PACK_OUT_MAX));
	guint8 chunk[16384];
	int rc;

	if (inflateSetDictionary(z, dict_data, (uInt)dict_len) != Z_OK)
		return NULL;
	z->next_in = (Bytef *)data + 1;
	z->avail_in = (uInt)(size - 1);
	do {
		z->next_out = chunk;
		z->avail_out = sizeof(chunk);
		rc = inflate(z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END)
			return NULL;
		g_byte_array_append(out, chunk, (guint)(sizeof(chunk) - z->avail_out));
		if (out->len > PACK_OUT_MAX)
			return NULL;
	} while (rc != Z_STREAM_END);
	return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}
