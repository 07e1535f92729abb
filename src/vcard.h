/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vCards a user writes into contacts/, read as RingCentral address-book contacts. */
#pragma once

#include "rfs.h"

/*
 * vcard_parse_all: every card of a .vcf (vCard 2.1, 3.0 or 4.0; an address
 * book's export holds many), in order, as address-book contact objects: a
 * JSON array of at least one. The inverse of render_vcard() for the fields
 * both know. (transfer full)
 * NULL with EINVAL when @text is not vCards (or not UTF-8 text: a NUL
 * included); the message names the card ("card 3: line 17 has no ':'").
 */
json_t *vcard_parse_all(const char *text, gsize len, GError **error);

/* vcard_parse: the one card of @text, as above; EINVAL also when it holds several. */
json_t *vcard_parse(const char *text, gsize len, GError **error);

/* A contact as a person names it in a message: "Ada Lovelace", else its company, email or
 * number. (transfer full) */
char *vcard_label(const json_t *contact);
