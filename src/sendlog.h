/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The send log: what was being sent when ringfs last stopped.
 *
 * An entry is a JSON object written (0600, atomically) before a message's
 * POST and removed when its outcome is known: answered, surely not sent, or
 * found in the message store. Entries left over at the next mount are
 * messages whose outcome nobody learnt; the mount looks them up.
 * Entry members: "path" (the outbox file below the mount), "content" (its
 * text, for text messages), and what the check needs ("type", "to",
 * "text"); sendlog_begin adds "id" and "started" (Unix seconds).
 */
#pragma once

#include "rfs.h"

typedef struct RfsSendLog RfsSendLog;

/* A send log kept in @dir (made on first use, 0700). (transfer full) */
RfsSendLog *sendlog_new(const char *dir);
void sendlog_free(RfsSendLog *log);

/* Writes @entry (adding "id" and "started"). The entry's id, or NULL if it
 * could not be written (logged; the send goes on). (transfer full) */
char *sendlog_begin(RfsSendLog *log, json_t *entry);

/* The outcome of entry @id is known: forget it. NULL is ignored. */
void sendlog_end(RfsSendLog *log, const char *id);

/* Every entry left, as JSON objects. (transfer full) */
GPtrArray *sendlog_pending(RfsSendLog *log);
