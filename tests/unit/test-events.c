/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The events hub (events.h): every reader sees every line from its open on, bounded. */
#include "events.h"
#include "http.h"

#include <string.h>

static char *read_all(RfsEventReader *r)
{
	GString *out = g_string_new(NULL);

	for (;;) {
		g_autoptr(GBytes) b = events_read(r, 4096, FALSE, NULL);
		if (g_bytes_get_size(b) == 0)
			break;
		g_string_append_len(out, g_bytes_get_data(b, NULL), (gssize)g_bytes_get_size(b));
	}
	return g_string_free(out, FALSE);
}

static void test_readers_see_lines_from_their_open_on(void)
{
	RfsEvents *events = events_new();
	RfsEventReader *early = events_open(events);
	struct timespec last;

	events_publish(events, "{\"n\":1}");
	RfsEventReader *late = events_open(events);
	events_publish(events, "{\"n\":2}");
	g_autofree char *a = read_all(early);
	g_autofree char *b = read_all(late);
	g_assert_cmpstr(a, ==, "{\"n\":1}\n{\"n\":2}\n");
	g_assert_cmpstr(b, ==, "{\"n\":2}\n");
	g_assert_cmpuint(events_published(events, &last), ==, 16);
	g_assert_cmpint(last.tv_sec, >, 0);
	events_close(early);
	events_close(late);
	events_free(events);
}

static void test_reads_are_whole_lines(void)
{
	RfsEvents *events = events_new();
	RfsEventReader *r = events_open(events);

	events_publish(events, "aaaa");
	events_publish(events, "bbbb");
	g_autoptr(GBytes) first = events_read(r, 7, TRUE, NULL); /* room for one line and a bit */
	g_assert_cmpmem(g_bytes_get_data(first, NULL), g_bytes_get_size(first), "aaaa\n", 5);
	g_autoptr(GBytes) cut = events_read(r, 3, TRUE, NULL); /* a line longer than the read */
	g_assert_cmpmem(g_bytes_get_data(cut, NULL), g_bytes_get_size(cut), "bbb", 3);
	events_close(r);
	events_free(events);
}

static void test_slow_reader_loses_lines_and_is_told(void)
{
	RfsEvents *events = events_new();
	RfsEventReader *slow = events_open(events);
	RfsEventReader *fast = events_open(events);
	char line[100];
	const gsize len = 51; /* each line below, its newline included */
	guint n = 2 * RFS_EVENTS_BUFFER / len;
	gsize fast_got = 0;

	for (guint i = 0; i < n; i++) {
		g_snprintf(line, sizeof(line), "{\"n\":%05u,\"pad\":\"%030d\"}", i, 0);
		g_assert_cmpuint(strlen(line) + 1, ==, len);
		events_publish(events, line);
		g_autofree char *got = read_all(fast); /* a reader that keeps up loses nothing */
		fast_got += strlen(got);
	}
	g_assert_cmpuint(fast_got, ==, (gsize)n * len);
	g_autofree char *all = read_all(slow);
	g_auto(GStrv) lines = g_strsplit(all, "\n", -1);
	guint kept = RFS_EVENTS_BUFFER / len;
	g_assert_cmpuint(g_strv_length(lines), ==, kept + 2); /* kept, dropped, "" */
	g_snprintf(line, sizeof(line), "{\"n\":%05u,", kept - 1);
	g_assert_true(g_str_has_prefix(lines[kept - 1], line));
	g_autofree char *count = g_strdup_printf(",\"event\":\"dropped\",\"count\":%u}", n - kept);
	g_assert_true(g_str_has_prefix(lines[kept], "{\"time\":\""));
	g_assert_true(g_str_has_suffix(lines[kept], count));
	/* after the gap, lines come again */
	events_publish(events, "{\"n\":\"after\"}");
	g_autofree char *after = read_all(slow);
	g_assert_cmpstr(after, ==, "{\"n\":\"after\"}\n");
	events_close(slow);
	events_close(fast);
	events_free(events);
}

static void test_waiting_read_ends_when_interrupted(void)
{
	RfsEvents *events = events_new();
	RfsEventReader *r = events_open(events);
	RfsBudget *budget = http_budget_begin(1);
	g_autoptr(GError) error = NULL;

	http_budget_cancel(http_budget_id(budget));
	g_assert_null(events_read(r, 100, TRUE, &error));
	g_assert_error(error, RFS_ERROR, EINTR);
	http_budget_end(budget);
	events_close(r);
	events_free(events);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/events/from-open-on", test_readers_see_lines_from_their_open_on);
	g_test_add_func("/events/whole-lines", test_reads_are_whole_lines);
	g_test_add_func("/events/slow-reader", test_slow_reader_loses_lines_and_is_told);
	g_test_add_func("/events/interrupt", test_waiting_read_ends_when_interrupted);
	return g_test_run();
}
