/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure functions from API records to bytes and names: pretty JSON, vCard,
 * safe file-name pieces, times. No I/O, no locks, no globals.
 */
#pragma once

#include "rfs.h"

#include <time.h>

/* Pretty JSON (2-space indent, key order kept) ending in a newline. (transfer full) */
GBytes *render_json(const json_t *value);

/*
 * A text file's bytes: @text with a final newline, so that `cat` of several
 * files keeps them apart and `wc -l` counts them. Empty text stays empty;
 * text already ending in a newline gets no second one. (transfer full)
 */
GBytes *render_text(const char *text);

/* A vCard 3.0 of an address-book contact, CRLF lines. (transfer full) */
GBytes *render_vcard(const json_t *contact);

/* (vCard in: vcard.h) */

/*
 * The call log as CSV (RFC 4180): render_calls_csv_header() is the header
 * row; render_calls_csv_row() appends one call-log record's row to @out.
 * Fields holding a comma, a quote, a line break or spaces at an end are
 * quoted, quotes doubled; every row ends in CRLF. Columns: id, startTime,
 * duration, direction, type, action, result, from, fromName, to, toName,
 * recordingId, sessionId (a party is its phone number, else its extension
 * number).
 */
const char *render_calls_csv_header(void);
void render_calls_csv_row(GString *out, const json_t *call);

/* Parses "2026-11-20T10:03:11.000Z" (any ISO 8601 with zone). FALSE if it is not one. */
gboolean render_parse_time(const char *iso, time_t *out);

/* "2026-11-20_10-03-11" in UTC: sorts chronologically, holds no ':'. (transfer full) */
char *render_time_name(time_t t);

/* "2026-11-20" in UTC. (transfer full) */
char *render_day_name(time_t t);

/*
 * A piece of a file name made from server text. Letters stay: the text is
 * made valid UTF-8 (bad bytes become U+FFFD) and normalised to NFC; only what
 * a name cannot hold is replaced: '/', control characters and line separators
 * (a run of them becomes one '_', none at either end), a leading '.' (so never
 * hidden, never "." or ".."). Spaces at either end go. Never empty; at most
 * @max bytes (@max >= 1), cut on a character boundary. (transfer full)
 */
char *render_safe_piece(const char *text, gsize max);

/* Who a party is, for a name: phone number, else extension number, else name. (transfer none) */
const char *render_party(const json_t *party);

/* A JSON id (number or string) as text. NULL if absent. (transfer full) */
char *render_id(const json_t *id);

/* The file extension for a content type ("audio/x-wav" → "wav"). (transfer none) */
const char *render_extension_for(const char *content_type);
