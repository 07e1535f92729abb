/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sending once: SMS, pager messages, faxes, greetings and files, each a POST
 * that goes out at most once in its file's life. The send is logged
 * (sendlog.h) before it goes; a lost answer is looked up, never resent.
 */
#define _GNU_SOURCE /* memmem */
#include "send.h"
#include "render.h"
#include "sendlog.h"
#include "writes.h"

#include <errno.h>
#include <string.h>

#define MAX_SMS_UNITS  1000 /* UTF-16 code units the API takes in one SMS */
#define MAX_RECIPIENTS 50

/* ---- outboxes ----------------------------------------------------------- */

static gboolean valid_number(const char *s, gboolean extension)
{
	gsize digits = 0;

	if (!extension && *s == '+')
		s++;
	for (; *s; s++, digits++)
		if (!g_ascii_isdigit(*s))
			return FALSE;
	return extension ? digits >= 1 && digits <= 8 : digits >= 7 && digits <= 15;
}

/*
 * A phone number as written → E.164 ("+14155550100"): with its '+'
 * ("+1 (415) 555-0100"), without it ("14155550100"), or national
 * ("(415) 555-0100", "415-555-0100", "415.555.0100"), which @cc, the calling
 * code of the account's country, completes: in the NANP ("1") ten digits, or
 * eleven starting with 1, or 011 and an international number; elsewhere a
 * trunk 0 or the international 00. Spaces, '-', '.', '(' and ')' are
 * visual separators. NULL when it is none of these. (transfer full)
 */
static char *e164_number(const char *written, const char *cc)
{
	g_autoptr(GString) d = g_string_new(NULL);
	g_autofree char *out = NULL;
	const char *p = written;
	gboolean plus = *p == '+';

	for (p += plus; *p; p++) {
		if (g_ascii_isdigit(*p))
			g_string_append_c(d, *p);
		else if (!strchr(" -.()", *p))
			return NULL;
	}
	if (plus)
		out = g_strconcat("+", d->str, NULL);
	else if (g_strcmp0(cc, "1") == 0) {
		if (d->len == 10 && d->str[0] >= '2')
			out = g_strconcat("+1", d->str, NULL);
		else if (d->len == 11 && d->str[0] == '1' && d->str[1] >= '2')
			out = g_strconcat("+", d->str, NULL);
		else if (g_str_has_prefix(d->str, "011"))
			out = g_strconcat("+", d->str + 3, NULL);
	} else if (cc && g_str_has_prefix(d->str, "00")) {
		out = g_strconcat("+", d->str + 2, NULL);
	} else if (cc && d->str[0] == '0') {
		out = g_strconcat("+", cc, d->str + 1, NULL);
	} else if (d->len >= 11) {
		out = g_strconcat("+", d->str, NULL); /* a full number without its '+' */
	}
	if (!out || !valid_number(out, FALSE))
		return NULL;
	return g_steal_pointer(&out);
}

/* The message text: UTF-8, one trailing newline dropped (echo adds it), not empty. */
static char *message_text(GBytes *data, GError **error)
{
	gsize len;
	const char *raw = g_bytes_get_data(data, &len);
	glong units = 0;

	if (len > 0 && raw[len - 1] == '\n')
		len--;
	if (len > 0 && raw[len - 1] == '\r')
		len--;
	if (len == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty message: nothing sent");
		return NULL;
	}
	if (!g_utf8_validate_len(raw, len, NULL)) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "the message is not UTF-8 text: nothing sent");
		return NULL;
	}
	char *text = g_strndup(raw, len);
	for (const char *p = text; *p; p = g_utf8_next_char(p))
		units += g_utf8_get_char(p) > 0xFFFF ? 2 : 1;
	if (units > MAX_SMS_UNITS) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "message too long: %ld characters, at most %d: nothing sent", units,
			    MAX_SMS_UNITS);
		g_free(text);
		return NULL;
	}
	return text;
}

/*
 * "<to>[,<to>…][@<from>]" → recipients and sender: extension numbers, or
 * phone numbers in E.164, however written (e164_number, with @cc).
 */
static gboolean parse_recipients(const char *name, gboolean extension, const char *cc, GStrv *to,
				 char **from, GError **error)
{
	g_autofree char *copy = g_strdup(name);
	char *at = strchr(copy, '@');

	*from = NULL;
	if (at) {
		*at = '\0';
		*from = extension ? NULL : e164_number(at + 1, cc);
		if (!*from) {
			g_set_error(error, RFS_ERROR, EINVAL, "bad sender in %s: nothing sent",
				    name);
			return FALSE;
		}
	}
	g_auto(GStrv) list = g_strsplit(copy, ",", -1);
	guint n = g_strv_length(list);
	if (n == 0 || n > MAX_RECIPIENTS) {
		g_set_error(error, RFS_ERROR, EINVAL, "1 to %d recipients: nothing sent",
			    MAX_RECIPIENTS);
		g_clear_pointer(from, g_free);
		return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		char *number = extension ? NULL : e164_number(list[i], cc);
		if (extension ? !valid_number(list[i], TRUE) : !number) {
			g_set_error(
				error, RFS_ERROR, EINVAL,
				extension ? "%s is not an extension number: nothing sent"
					  : "%s is not a phone number (write +14155550100, or "
					    "415-555-0100 in the account's country): nothing sent",
				list[i]);
			g_clear_pointer(from, g_free);
			return FALSE;
		}
		if (number) {
			g_free(list[i]);
			list[i] = number;
		}
	}
	*to = g_steal_pointer(&list);
	return TRUE;
}

/* The extension's SMS sender: a number with the SmsSender feature. (transfer full) */
static char *default_sms_sender(RfsTree *tree, RfsNode *node, GError **error)
{
	g_autofree char *path = table_expand(
		"/restapi/v1.0/account/{a}/extension/{e}/phone-number?perPage=1000", node);
	g_autoptr(json_t) list = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, path, error);
	json_t *rec;
	size_t i;
	char *best = NULL;

	if (!list)
		return NULL;
	json_array_foreach (json_object_get(list, "records"), i, rec) {
		json_t *features = json_object_get(rec, "features");
		json_t *f;
		size_t j;
		gboolean sms = FALSE;
		json_array_foreach (features, j, f)
			sms = sms || g_strcmp0(json_string_value(f), "SmsSender") == 0;
		const char *number = json_string_value(json_object_get(rec, "phoneNumber"));
		if (!sms || !number)
			continue;
		if (!best || g_strcmp0(json_string_value(json_object_get(rec, "usageType")),
				       "DirectNumber") == 0) {
			g_free(best);
			best = g_strdup(number);
		}
	}
	if (!best)
		g_set_error(error, RFS_ERROR, EACCES,
			    "this extension has no SMS-capable number: nothing sent");
	return best;
}

/* ---- sending once ----------------------------------------------------------- */

#define VERIFY_FIRST_US (G_USEC_PER_SEC) /* the first look, then twice as long each time */
#define VERIFY_SLACK_S	5		 /* our clock and the server's */
#define VERIFY_PAST_S	120		 /* the listing reaches this far before the send */

/* The recent records where a sent message shows. (transfer full) */
static char *check_list_path(RfsTree *tree, RfsNode *node, const RfsSendCheck *check,
			     gint64 started)
{
	if (check->list)
		return g_strdup(check->list);
	g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc(started - VERIFY_PAST_S);
	g_autofree char *since = g_date_time_format(from, "%Y-%m-%dT%H:%M:%S.000Z");
	g_autofree char *base =
		table_expand("/restapi/v1.0/account/{a}/extension/{e}/message-store", node);
	return g_strdup_printf("%s?messageType=%s&direction=Outbound&dateFrom=%s&perPage=100", base,
			       check->type, since);
}

/* Whether @rec carries an MMS attachment of @size bytes. */
static gboolean has_mms_of_size(const json_t *rec, gint64 size)
{
	json_t *att;
	size_t i;

	json_array_foreach (json_object_get(rec, "attachments"), i, att)
		if (g_strcmp0(json_string_value(json_object_get(att, "type")), "MmsAttachment") ==
			    0 &&
		    json_integer_value(json_object_get(att, "size")) == size)
			return TRUE;
	return FALSE;
}

/*
 * The record of the message sent at @started (Unix s) as @check describes
 * it, or NULL: not there (error unset) or the look failed (error set).
 * (transfer full)
 */
static json_t *find_sent(RfsTree *tree, RfsNode *node, const RfsSendCheck *check, gint64 started,
			 GError **error)
{
	g_autofree char *path = check_list_path(tree, node, check, started);
	g_autoptr(json_t) recent = api_get_json(tree_api(tree), RFS_GROUP_LIGHT, path, error);
	const char *text_key = check->list ? "text" : "subject";
	json_t *rec;
	size_t i;

	json_array_foreach (json_object_get(recent, "records"), i, rec) {
		const char *first_to = json_string_value(json_object_get(
			json_array_get(json_object_get(rec, "to"), 0), "phoneNumber"));
		time_t created = 0;
		render_parse_time(json_string_value(json_object_get(rec, "creationTime")),
				  &created);
		if (created < started - VERIFY_SLACK_S)
			continue;
		if (check->text &&
		    g_strcmp0(json_string_value(json_object_get(rec, text_key)), check->text) != 0)
			continue;
		if (check->to && g_strcmp0(first_to, check->to) != 0)
			continue;
		if (check->mms_size > 0 && !has_mms_of_size(rec, check->mms_size))
			continue;
		return json_incref(rec);
	}
	return NULL;
}

/* The send log entry for @node's message. (transfer full) */
static json_t *log_entry(RfsTree *tree, RfsNode *node, const RfsSendCheck *check)
{
	g_autofree char *where =
		check && check->log_path ? g_strdup(check->log_path) : tree_path(tree, node);
	json_t *entry = json_pack("{s:s}", "path", where);

	if (check && check->type)
		json_object_set_new(entry, "type", json_string(check->type));
	if (check && check->list)
		json_object_set_new(entry, "list", json_string(check->list));
	if (check && check->text)
		json_object_set_new(entry, "text", json_string(check->text));
	if (check && check->to)
		json_object_set_new(entry, "to", json_string(check->to));
	if (check && check->mms_size > 0)
		json_object_set_new(entry, "mms_size", json_integer(check->mms_size));
	return entry;
}

/*
 * After an unknown outcome: looks for the message in its listing, at growing
 * intervals for verify_timeout at most (and within the budget). The record,
 * or NULL with @error saying what was seen. (transfer full)
 */
static json_t *verify(RfsTree *tree, RfsNode *node, const RfsSendCheck *check, gint64 started,
		      const GError *cause, GError **error)
{
	gint64 span = (gint64)tree_config(tree)->verify_timeout * G_USEC_PER_SEC;
	gint64 until = g_get_monotonic_time() + span;
	gint64 wait = VERIFY_FIRST_US;
	int looks = 0, answered = 0;
	g_autoptr(GError) last = NULL;

	for (;;) {
		g_clear_error(&last);
		json_t *rec = find_sent(tree, node, check, started, &last);
		looks++;
		if (rec) {
			g_info("%s: the server's answer was lost (%s), but the message is there: "
			       "sent once",
			       node->name, cause->message);
			return rec;
		}
		answered += last == NULL;
		if (g_get_monotonic_time() + wait > until || !http_budget_sleep(wait, NULL))
			break;
		wait *= 2;
	}
	if (answered == 0)
		g_set_error(error, RFS_ERROR, cause->code,
			    "outcome unknown: the server did not answer (%s), and %d looks for "
			    "the message failed (%s); it was not sent again: look for it before "
			    "writing this file again",
			    cause->message, looks, last ? last->message : "?");
	else
		g_set_error(error, RFS_ERROR, cause->code,
			    "outcome unknown: the server did not answer (%s), and %d looks over "
			    "%d s did not find the message, so it was most likely not sent; it was "
			    "not sent again: look for it before writing this file again",
			    cause->message, looks, (int)(span / G_USEC_PER_SEC));
	return NULL;
}

gboolean send_once(RfsTree *tree, RfsNode *node, const char *path, const char *content_type,
		   GBytes *wire, const RfsSendCheck *check, GBytes **now, GError **error)
{
	g_autoptr(json_t) answer = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(json_t) entry = log_entry(tree, node, check);
	gint64 started = g_get_real_time() / G_USEC_PER_SEC;
	gboolean unknown = FALSE;

	tree_set_journal(tree, node, NULL); /* a new version: the old attempt is history */
	g_autofree char *logged = sendlog_begin(tree_sendlog(tree), entry);
	tree_mark_sent(tree, node, TRUE);
	if (api_send(tree_api(tree),
		     &(RfsApiSend){ .group = node->kind->write_group,
				    .op = RFS_OP_CREATE,
				    .method = "POST",
				    .path = path,
				    .content_type = content_type,
				    .body = wire,
				    .unknown = &unknown },
		     &answer, &local)) {
		sendlog_end(tree_sendlog(tree), logged);
		*now = answer ? render_json(answer) : g_bytes_new(NULL, 0);
		return TRUE;
	}
	if (!unknown) {
		sendlog_end(tree_sendlog(tree), logged);
		tree_mark_sent(tree, node, FALSE); /* surely not sent: a later flush may try */
		g_propagate_prefixed_error(error, g_steal_pointer(&local), "not sent: ");
		return FALSE;
	}
	if (!check) {
		tree_set_journal(tree, node, logged);
		tree_set_outcome(tree, node, "outcome unknown: the server did not answer");
		g_set_error(error, RFS_ERROR, local->code,
			    "outcome unknown: the server did not answer (%s) and this request "
			    "cannot be looked up; it was not sent again: check before writing this "
			    "file again",
			    local->message);
		return FALSE;
	}
	g_autoptr(json_t) rec = verify(tree, node, check, started, local, error);
	if (!rec) {
		tree_set_journal(tree, node, logged); /* the next mount looks again */
		tree_set_outcome(tree, node, (*error)->message);
		return FALSE;
	}
	sendlog_end(tree_sendlog(tree), logged);
	*now = render_json(rec);
	return TRUE;
}

static gboolean post_once(RfsTree *tree, RfsNode *node, const char *path, GBytes *wire,
			  const char *content_type, const char *type, const char *text,
			  const char *to, GBytes **now, GError **error)
{
	RfsSendCheck check = { .type = type, .text = text, .to = to };

	return send_once(tree, node, path, content_type, wire, &check, now, error);
}

/*
 * What became of a message whose send ringfs did not see through (it was
 * stopped): asked of the server, and shown as the outbox file again.
 */
void send_recover(RfsTree *tree)
{
	g_autoptr(GPtrArray) pending = sendlog_pending(tree_sendlog(tree));

	for (guint i = 0; i < pending->len; i++) {
		json_t *entry = pending->pdata[i];
		const char *id = json_string_value(json_object_get(entry, "id"));
		const char *where = json_string_value(json_object_get(entry, "path"));
		const char *text = json_string_value(json_object_get(entry, "text"));
		RfsSendCheck check = {
			.type = json_string_value(json_object_get(entry, "type")),
			.list = json_string_value(json_object_get(entry, "list")),
			.text = text,
			.to = json_string_value(json_object_get(entry, "to")),
			.mms_size = json_integer_value(json_object_get(entry, "mms_size")),
		};
		gint64 started = json_integer_value(json_object_get(entry, "started"));
		g_autoptr(GError) error = NULL;
		g_autoptr(json_t) rec = NULL;
		g_autofree char *outcome = NULL;
		g_autofree char *folder = g_path_get_dirname(where);
		g_autofree char *name = g_path_get_basename(where);
		RfsNode *node = tree_find_path(tree, folder);

		if (!node || node->kind->type != RFS_NODE_DIR)
			continue; /* its folder is gone (another account): keep the entry */
		if (check.type || check.list)
			rec = find_sent(tree, node, &check, started, &error);
		if (rec) {
			g_autofree char *msg_id = render_id(json_object_get(rec, "id"));
			outcome = g_strdup_printf(
				"sent: the server has it (id %s); nothing to resend",
				msg_id ? msg_id : "?");
			sendlog_end(tree_sendlog(tree), id);
			id = NULL;
		} else if (error) {
			outcome = g_strdup_printf("outcome unknown: ringfs stopped while sending, "
						  "and the look for it failed (%s)",
						  error->message);
		} else if (check.type || check.list) {
			outcome =
				g_strdup("outcome unknown: ringfs stopped while sending, and the "
					 "server does not show it: most likely not sent; look for "
					 "it before writing this file again");
		} else {
			outcome =
				g_strdup("outcome unknown: ringfs stopped while sending, and this "
					 "request cannot be looked up: check before writing this "
					 "file again");
		}
		g_message("%s: %s", where, outcome);
		g_autoptr(GBytes) content = render_text(text);
		tree_add_recovered(tree, node, name, content, outcome, id);
	}
}

/* What an outbox SMS file named <recipients>.<ext> sends as an MMS: the type of its one file. */
static const struct {
	const char *ext, *type;
} mms_types[] = {
	{ "jpg", "image/jpeg" },      { "jpeg", "image/jpeg" }, { "png", "image/png" },
	{ "gif", "image/gif" },	      { "bmp", "image/bmp" },	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },     { "webp", "image/webp" }, { "mp4", "video/mp4" },
	{ "m4v", "video/mp4" },	      { "3gp", "video/3gpp" },	{ "mov", "video/quicktime" },
	{ "mpg", "video/mpeg" },      { "mpeg", "video/mpeg" }, { "webm", "video/webm" },
	{ "mp3", "audio/mpeg" },      { "m4a", "audio/mp4" },	{ "ogg", "audio/ogg" },
	{ "wav", "audio/wav" },	      { "vcf", "text/vcard" },	{ "ics", "text/calendar" },
	{ "pdf", "application/pdf" },
};

#define MMS_MAX_BYTES 1500000 /* RingCentral's limit for the files of one MMS */

/*
 * An outbox SMS file's name → its recipients part, and in *mms_type the type
 * of the file when the name ends in a picture's, video's or sound's
 * extension (an MMS), else NULL: "<to>.txt" and "<to>" are texts, and in
 * "415.555.0100" the dots are the number's. (transfer full)
 */
static char *sms_recipients(const char *name, const char **mms_type)
{
	const char *dot = strrchr(name, '.');

	*mms_type = NULL;
	if (!dot)
		return g_strdup(name);
	if (g_ascii_strcasecmp(dot + 1, "txt") == 0)
		return g_strndup(name, dot - name);
	for (gsize i = 0; i < G_N_ELEMENTS(mms_types); i++)
		if (g_ascii_strcasecmp(dot + 1, mms_types[i].ext) == 0) {
			*mms_type = mms_types[i].type;
			return g_strndup(name, dot - name);
		}
	return g_strdup(name);
}

gboolean send_takes_name(RfsTree *tree, const char *name, gboolean extension, GError **error)
{
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	const char *mms_type;
	g_autofree char *who = extension ? g_strdup(name) : sms_recipients(name, &mms_type);

	return parse_recipients(who, extension, tree_calling_code(tree), &to, &from, error);
}

static gboolean send_mms(RfsTree *tree, RfsNode *node, const char *who, const char *type,
			 GBytes *data, GBytes **now, GError **error);

gboolean send_sms(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	const char *mms_type;
	g_autofree char *who = sms_recipients(node->name, &mms_type);

	if (mms_type)
		return send_mms(tree, node, who, mms_type, data, now, error);
	g_autofree char *text = message_text(data, error);
	if (!text || !parse_recipients(who, FALSE, tree_calling_code(tree), &to, &from, error))
		return FALSE;
	if (!from && !(from = default_sms_sender(tree, node, error)))
		return FALSE;
	g_autoptr(json_t) body =
		json_pack("{s:{s:s}, s:[], s:s}", "from", "phoneNumber", from, "to", "text", text);
	for (guint i = 0; to[i]; i++)
		json_array_append_new(json_object_get(body, "to"),
				      json_pack("{s:s}", "phoneNumber", to[i]));
	g_autofree char *path = table_expand("/restapi/v1.0/account/{a}/extension/{e}/sms", node);
	g_autoptr(GBytes) wire = write_compact(body);
	return post_once(tree, node, path, wire, "application/json", "SMS", text, to[0], now,
			 error);
}

char *send_e164(const char *written, const char *cc)
{
	return written ? e164_number(written, cc) : NULL;
}

gboolean send_sms_to(RfsTree *tree, RfsNode *node, const char *peer, const char *from,
		     const char *log_path, GBytes *data, GBytes **now, GError **error)
{
	g_autofree char *text = message_text(data, error);
	g_autofree char *to = NULL;
	g_autofree char *sender = g_strdup(from);

	if (!text)
		return FALSE;
	to = e164_number(peer, tree_calling_code(tree));
	if (!to) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "%s is not a phone number an SMS can go to: nothing sent", peer);
		return FALSE;
	}
	if (!sender && !(sender = default_sms_sender(tree, node, error)))
		return FALSE;
	g_autoptr(json_t) body = json_pack("{s:{s:s}, s:[{s:s}], s:s}", "from", "phoneNumber",
					   sender, "to", "phoneNumber", to, "text", text);
	g_autofree char *path = table_expand("/restapi/v1.0/account/{a}/extension/{e}/sms", node);
	g_autoptr(GBytes) wire = write_compact(body);
	RfsSendCheck check = { .type = "SMS", .text = text, .to = to, .log_path = log_path };

	return send_once(tree, node, path, "application/json", wire, &check, now, error);
}

gboolean send_pager(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	return send_pager_to(tree, node, node->name, NULL, data, now, error);
}

gboolean send_pager_to(RfsTree *tree, RfsNode *node, const char *recipients, const char *log_path,
		       GBytes *data, GBytes **now, GError **error)
{
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	g_autofree char *text = message_text(data, error);

	if (!text || !parse_recipients(recipients, TRUE, NULL, &to, &from, error))
		return FALSE;
	g_autoptr(json_t) body =
		json_pack("{s:{s:s}, s:[], s:s}", "from", "extensionId",
			  node->ids->eid ? node->ids->eid : "", "to", "text", text);
	for (guint i = 0; to[i]; i++)
		json_array_append_new(json_object_get(body, "to"),
				      json_pack("{s:s}", "extensionNumber", to[i]));
	g_autofree char *path =
		table_expand("/restapi/v1.0/account/{a}/extension/{e}/company-pager", node);
	g_autoptr(GBytes) wire = write_compact(body);
	RfsSendCheck check = { .type = "Pager", .text = text, .log_path = log_path };
	return send_once(tree, node, path, "application/json", wire, &check, now, error);
}

/* ---- multipart uploads: fax, MMS and greetings --------------------------- */

typedef struct {
	GByteArray *body;
	char boundary[48];
} Multipart;

static void multipart_init(Multipart *mp, GBytes *file)
{
	gsize len;
	const void *data = g_bytes_get_data(file, &len);

	do { /* a boundary that the file does not hold */
		g_snprintf(mp->boundary, sizeof(mp->boundary), "ringfs-%08x%08x%08x",
			   g_random_int(), g_random_int(), g_random_int());
	} while (data && memmem(data, len, mp->boundary, strlen(mp->boundary)));
	mp->body = g_byte_array_new();
}

static void multipart_part(Multipart *mp, const char *name, const char *filename, const char *type,
			   const void *data, gsize len)
{
	g_autoptr(GString) head = g_string_new(NULL);

	g_string_append_printf(head, "--%s\r\nContent-Disposition: form-data; name=\"%s\"",
			       mp->boundary, name);
	if (filename) {
		/* the user's file name: no quote, backslash or line break can leave the value */
		g_autofree char *safe = g_strdup(filename);
		for (char *p = safe; *p; p++)
			if (*p == '"' || *p == '\\' || *p == '\r' || *p == '\n')
				*p = '_';
		g_string_append_printf(head, "; filename=\"%s\"", safe);
	}
	g_string_append(head, "\r\n");
	if (type)
		g_string_append_printf(head, "Content-Type: %s\r\n", type);
	g_string_append(head, "\r\n");
	g_byte_array_append(mp->body, (const guint8 *)head->str, (guint)head->len);
	g_byte_array_append(mp->body, data, (guint)len);
	g_byte_array_append(mp->body, (const guint8 *)"\r\n", 2);
}

static void multipart_text(Multipart *mp, const char *name, const char *value)
{
	multipart_part(mp, name, NULL, NULL, value, strlen(value));
}

/* (transfer full) the body; @content_type gets the header value */
static GBytes *multipart_finish(Multipart *mp, char **content_type)
{
	g_autofree char *end = g_strdup_printf("--%s--\r\n", mp->boundary);

	g_byte_array_append(mp->body, (const guint8 *)end, (guint)strlen(end));
	*content_type = g_strdup_printf("multipart/form-data; boundary=%s", mp->boundary);
	return g_byte_array_free_to_bytes(mp->body);
}

static const struct {
	const char *ext, *type;
} upload_types[] = {
	{ "pdf", "application/pdf" },
	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },
	{ "txt", "text/plain" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "html", "text/html" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "rtf", "application/rtf" },
	{ "wav", "audio/wav" },
	{ "mp3", "audio/mpeg" },
};

static const char *upload_type(const char *ext)
{
	for (gsize i = 0; ext && i < G_N_ELEMENTS(upload_types); i++)
		if (g_ascii_strcasecmp(ext, upload_types[i].ext) == 0)
			return upload_types[i].type;
	return NULL;
}

/*
 * outbox/fax/<to>[,<to>…][.low|.high][.cover<N>].<ext>: the file is the
 * document, its name the recipients and options.
 */
gboolean send_fax(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(node->name, ".", -1);
	guint n = g_strv_length(parts);
	const char *type = n >= 2 ? upload_type(parts[n - 1]) : NULL;
	const char *resolution = "High";
	const char *cover = NULL;
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;

	if (!type) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "name a fax <number>.pdf (or .tiff, .txt, .png, .jpg, .doc, .docx, "
			    ".rtf, .html): nothing sent");
		return FALSE;
	}
	for (guint i = 1; i + 1 < n; i++) {
		if (g_ascii_strcasecmp(parts[i], "low") == 0 ||
		    g_ascii_strcasecmp(parts[i], "high") == 0)
			resolution = g_ascii_strcasecmp(parts[i], "low") == 0 ? "Low" : "High";
		else if (g_str_has_prefix(parts[i], "cover") && valid_number(parts[i] + 5, TRUE))
			cover = parts[i] + 5;
		else {
			g_set_error(error, RFS_ERROR, EINVAL,
				    "unknown fax option .%s: nothing sent", parts[i]);
			return FALSE;
		}
	}
	if (g_bytes_get_size(data) == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty document: nothing sent");
		return FALSE;
	}
	if (!parse_recipients(parts[0], FALSE, tree_calling_code(tree), &to, &from, error))
		return FALSE;
	if (from) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "a fax has no sender in its name: nothing sent");
		return FALSE;
	}

	Multipart mp;
	g_autofree char *content_type = NULL;
	g_autofree char *filename = g_strdup_printf("document.%s", parts[n - 1]);
	gsize len;
	const void *bytes = g_bytes_get_data(data, &len);

	multipart_init(&mp, data);
	for (guint i = 0; to[i]; i++)
		multipart_text(&mp, "to", to[i]);
	multipart_text(&mp, "faxResolution", resolution);
	if (cover)
		multipart_text(&mp, "coverIndex", cover);
	multipart_part(&mp, "attachment", filename, type, bytes, len);
	g_autoptr(GBytes) wire = multipart_finish(&mp, &content_type);
	g_autofree char *path = table_expand("/restapi/v1.0/account/{a}/extension/{e}/fax", node);
	return post_once(tree, node, path, wire, content_type, "Fax", NULL, to[0], now, error);
}

/*
 * outbox/sms/<to>[,<to>…][@<from>].<jpg|png|mp4|…>: the file is sent as an
 * MMS, one POST of …/sms as multipart/form-data: the message as a request.json
 * part, then the file. Once, as a text is: a lost answer is looked for (an
 * SMS to the first recipient carrying an attachment of the file's size).
 */
static gboolean send_mms(RfsTree *tree, RfsNode *node, const char *who, const char *type,
			 GBytes *data, GBytes **now, GError **error)
{
	g_auto(GStrv) to = NULL;
	g_autofree char *from = NULL;
	gsize len;
	const void *bytes = g_bytes_get_data(data, &len);

	if (len == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty file: no MMS sent");
		return FALSE;
	}
	if (len > MMS_MAX_BYTES) {
		g_set_error(error, RFS_ERROR, EFBIG,
			    "%zu bytes: an MMS holds at most %d bytes (RingCentral's limit): "
			    "nothing sent",
			    len, MMS_MAX_BYTES);
		return FALSE;
	}
	if (!parse_recipients(who, FALSE, tree_calling_code(tree), &to, &from, error))
		return FALSE;
	if (!from && !(from = default_sms_sender(tree, node, error)))
		return FALSE;
	g_autoptr(json_t) body = json_pack("{s:{s:s}, s:[]}", "from", "phoneNumber", from, "to");
	for (guint i = 0; to[i]; i++)
		json_array_append_new(json_object_get(body, "to"),
				      json_pack("{s:s}", "phoneNumber", to[i]));
	g_autoptr(GBytes) request = write_compact(body);
	gsize request_len;
	const void *request_data = g_bytes_get_data(request, &request_len);

	Multipart mp;
	g_autofree char *content_type = NULL;
	g_autofree char *filename = g_strdup_printf("attachment%s", strrchr(node->name, '.'));
	multipart_init(&mp, data);
	multipart_part(&mp, "json", "request.json", "application/json", request_data, request_len);
	multipart_part(&mp, "attachment", filename, type, bytes, len);
	g_autoptr(GBytes) wire = multipart_finish(&mp, &content_type);
	g_autofree char *path = table_expand("/restapi/v1.0/account/{a}/extension/{e}/sms", node);
	RfsSendCheck check = { .type = "SMS", .to = to[0], .mms_size = (gint64)len };
	return send_once(tree, node, path, content_type, wire, &check, now, error);
}

static const char *const greeting_types[] = {
	"Introductory", "Announcement", "ConnectingMessage", "ConnectingAudio",
	"Voicemail",	"Unavailable",	"HoldMusic",	     "Company",
};

/*
 * greetings/<Type>[.<answeringRuleId>].<wav|mp3>: a custom greeting of that
 * type, for that rule if named. Sent once, like an outbox file.
 */
gboolean send_greeting(RfsTree *tree, RfsNode *node, GBytes *data, GBytes **now, GError **error)
{
	return send_greeting_for(tree, node, data, "answeringRule", now, error);
}

gboolean send_greeting_for(RfsTree *tree, RfsNode *node, GBytes *data, const char *rule_member,
			   GBytes **now, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(node->name, ".", -1);
	guint n = g_strv_length(parts);
	const char *type = n >= 2 ? upload_type(parts[n - 1]) : NULL;
	const char *greeting = NULL;
	gboolean company = node->ids->eid == NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(greeting_types); i++)
		if (g_ascii_strcasecmp(parts[0], greeting_types[i]) == 0)
			greeting = greeting_types[i];
	if (!greeting || !type || !g_str_has_prefix(type, "audio/") || n > 3) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "name a greeting <Type>[.<ruleId or stateId>].wav or .mp3, Type one of "
			    "Introductory, Announcement, ConnectingMessage, ConnectingAudio, "
			    "Voicemail, Unavailable, HoldMusic%s: nothing sent",
			    company ? ", Company" : "");
		return FALSE;
	}
	if (g_bytes_get_size(data) == 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "empty audio file: nothing sent");
		return FALSE;
	}
	g_autoptr(json_t) meta = json_pack("{s:s}", "type", greeting);
	if (n == 3 && strcmp(rule_member, "answeringRule") == 0)
		json_object_set_new(meta, rule_member, json_pack("{s:s}", "id", parts[1]));
	else if (n == 3)
		json_object_set_new(meta, rule_member, json_string(parts[1]));
	g_autofree char *meta_text = json_dumps(meta, JSON_COMPACT);
	g_autofree char *filename = g_strdup_printf("greeting.%s", parts[n - 1]);
	g_autofree char *content_type = NULL;
	Multipart mp;
	gsize len;
	const void *bytes = g_bytes_get_data(data, &len);

	multipart_init(&mp, data);
	multipart_part(&mp, "json", "request.json", "application/json", meta_text,
		       strlen(meta_text));
	multipart_part(&mp, "binary", filename, type, bytes, len);
	g_autoptr(GBytes) wire = multipart_finish(&mp, &content_type);
	g_autofree char *path =
		table_expand(company ? "/restapi/v1.0/account/{a}/greeting"
				     : "/restapi/v1.0/account/{a}/extension/{e}/greeting",
			     node);

	return send_once(tree, node, path, content_type, wire, NULL, now, error);
}

gboolean send_file(RfsTree *tree, RfsNode *node, const char *path, const char *field, GBytes *data,
		   GBytes **now, GError **error)
{
	g_autofree char *content_type = NULL;
	const char *dot = strrchr(node->name, '.');
	const char *type = upload_type(dot ? dot + 1 : NULL);
	Multipart mp;
	gsize len;
	const void *bytes = g_bytes_get_data(data, &len);

	multipart_init(&mp, data);
	multipart_part(&mp, field, node->name, type ? type : "application/octet-stream", bytes,
		       len);
	g_autoptr(GBytes) wire = multipart_finish(&mp, &content_type);
	return send_once(tree, node, path, content_type, wire, NULL, now, error);
}
