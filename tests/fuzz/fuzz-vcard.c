/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A vCard a user writes into contacts/ → the contacts ringfs sends:
 * vcard_parse_all() (one contact per card) and vcard_parse(), then what a
 * commit does with each contact (compact JSON, vcard_label for messages) and what a listing shows
 * of it again (render_vcard()). Our own vCard must parse back, and a second round trip must change
 * nothing.
 */
#include "fuzz.h"
#include "render.h"
#include "vcard.h"

#include <errno.h>
#include <stdlib.h>

static json_t *parse(GBytes *bytes, GError **error)
{
	return vcard_parse(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), error);
}

/* One card as a commit sends it, then our own vCard of it to a fixed point. */
static void check_card(const json_t *contact)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(json_is_object(contact));
	char *wire = json_dumps(contact, JSON_COMPACT | JSON_PRESERVE_ORDER);
	g_assert_nonnull(wire);
	free(wire);
	g_autofree char *label = vcard_label(contact);
	g_assert_true(*label && g_utf8_validate(label, -1, NULL));

	g_autoptr(GBytes) card = render_vcard(contact);
	g_autoptr(json_t) again = parse(card, &error);
	g_assert_no_error(error);
	g_autoptr(GBytes) card2 = render_vcard(again);
	g_autoptr(json_t) third = parse(card2, &error);
	g_assert_no_error(error);
	if (!json_equal(again, third)) {
		g_autofree char *a = json_dumps(again, JSON_COMPACT | JSON_SORT_KEYS);
		g_autofree char *b = json_dumps(third, JSON_COMPACT | JSON_SORT_KEYS);
		g_error("vCard round trip not stable:\n%s\n%s", a, b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* as actions.c gives it: a file's GBytes, whose data is NULL when it is empty */
	g_autoptr(GBytes) file = g_bytes_new(data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(json_t) cards =
		vcard_parse_all(g_bytes_get_data(file, NULL), g_bytes_get_size(file), &error);
	g_autoptr(GError) one_error = NULL;
	g_autoptr(json_t) one = parse(file, &one_error);
	size_t i;
	json_t *contact;

	if (!cards) {
		g_assert_nonnull(error);
		g_assert_cmpint(error->code, ==, EINVAL);
		g_assert_null(one);
		g_assert_cmpint(one_error->code, ==, EINVAL);
		return 0;
	}
	g_assert_null(error);
	g_assert_cmpuint(json_array_size(cards), >=, 1);
	/* the file of one contact: exactly the one card, else EINVAL */
	if (json_array_size(cards) == 1)
		g_assert_true(one && json_equal(one, json_array_get(cards, 0)));
	else
		g_assert_true(!one && one_error->code == EINVAL);
	json_array_foreach (cards, i, contact)
		check_card(contact);
	return 0;
}
