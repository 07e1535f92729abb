/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pacer's arithmetic (pacer.h) on made-up clocks: no sleeping, no server. */
#include "pacer.h"

#define S G_USEC_PER_SEC

static void test_window_fills_then_frees(void)
{
	RfsPacer p;
	gint64 now = 1000 * S;

	pacer_init(&p, 3);
	for (int i = 0; i < 3; i++) {
		g_assert_cmpint(pacer_next(&p, now + i), ==, 0);
		pacer_answered(&p, now + i, NULL, NULL, NULL, NULL, FALSE);
	}
	/* full: the oldest answer leaves the window first, plus the margin */
	g_assert_cmpint(pacer_next(&p, now + 10), ==, now + 60 * S + PACER_MARGIN_US);
	g_assert_cmpint(pacer_next(&p, now + 60 * S + PACER_MARGIN_US), ==, 0);
	pacer_clear(&p);
}

static void test_in_flight_counts(void)
{
	RfsPacer p;
	gint64 now = 5 * S;

	pacer_init(&p, 2);
	g_assert_cmpint(pacer_next(&p, now), ==, 0);
	g_assert_cmpint(pacer_next(&p, now), ==, 0);
	/* two in flight, none answered: look again shortly */
	g_assert_cmpint(pacer_next(&p, now), ==, now + S / 10);
	g_assert_cmpint(p.in_flight, ==, 2);
	pacer_clear(&p);
}

static void test_headers_teach_limit_and_window(void)
{
	RfsPacer p;
	gint64 now = 7 * S;

	pacer_init(&p, 50);
	g_assert_cmpint(pacer_next(&p, now), ==, 0);
	pacer_answered(&p, now, "1", "30", "0", NULL, FALSE);
	g_assert_cmpint(p.limit, ==, 1);
	g_assert_cmpint(p.window_us, ==, 30 * S);
	g_assert_cmpint(pacer_next(&p, now + 1), ==, now + 30 * S + PACER_MARGIN_US);
	pacer_clear(&p);

	/* nonsense headers change nothing */
	RfsPacer q;
	pacer_init(&q, 50);
	g_assert_cmpint(pacer_next(&q, now), ==, 0);
	pacer_answered(&q, now, "-4", "zero", NULL, NULL, FALSE);
	g_assert_cmpint(q.limit, ==, 50);
	g_assert_cmpint(q.window_us, ==, 60 * S);
	pacer_clear(&q);
}

static void test_429_blocks_for_retry_after(void)
{
	RfsPacer p;
	gint64 now = 9 * S;

	pacer_init(&p, 40);
	g_assert_cmpint(pacer_next(&p, now), ==, 0);
	g_assert_cmpint(pacer_answered(&p, now, NULL, NULL, "0", "17", TRUE), ==, 17);
	g_assert_cmpint(pacer_next(&p, now + S), ==, now + 17 * S);
	/* a Retry-After beyond reason is capped; a negative one falls back to the window */
	g_assert_cmpint(pacer_next(&p, now + 17 * S), ==, 0);
	g_assert_cmpint(pacer_answered(&p, now + 17 * S, NULL, NULL, NULL, "999999", TRUE), ==,
			PACER_MAX_WAIT_S);
	RfsPacer q;
	pacer_init(&q, 40);
	g_assert_cmpint(pacer_next(&q, now), ==, 0);
	g_assert_cmpint(pacer_answered(&q, now, NULL, NULL, NULL, "-5", TRUE), ==, 60);
	pacer_clear(&q);
	pacer_clear(&p);
}

static void test_someone_else_spent_the_window(void)
{
	RfsPacer p;
	gint64 now = 11 * S;

	pacer_init(&p, 10);
	g_assert_cmpint(pacer_next(&p, now), ==, 0);
	/* remaining 0 while we used 1 of 10: another client spent it; wait a window */
	pacer_answered(&p, now, NULL, NULL, "0", NULL, FALSE);
	g_assert_cmpint(pacer_next(&p, now + 1), ==, now + 60 * S);
	pacer_clear(&p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pacer/window", test_window_fills_then_frees);
	g_test_add_func("/pacer/in-flight", test_in_flight_counts);
	g_test_add_func("/pacer/headers", test_headers_teach_limit_and_window);
	g_test_add_func("/pacer/429", test_429_blocks_for_retry_after);
	g_test_add_func("/pacer/others", test_someone_else_spent_the_window);
	return g_test_run();
}
