/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vCards a user writes into contacts/, read as RingCentral address-book contacts. */
#pragma once

#include "rfs.h"

/*
 * vcard_parse: a vCard (3.0 or 4.0) as an address-book contact object, the
 * inverse of render_vcard() for the fields both know. (transfer full)
 * NULL with EINVAL when @text is not a vCard (or not UTF-8 text: a NUL included).
 */
json_t *vcard_parse(const char *text, gsize len, GError **error);
