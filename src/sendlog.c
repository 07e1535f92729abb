/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The send log: one small file per message on its way out, written before
 * its POST and removed once its fate is known. If ringfs dies in between
 * (kill -9, a crash, a power cut), the next mount finds the file and asks the
 * server instead of letting the user guess, and so resend, a message the
 * server already has.
 */
#include "sendlog.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct RfsSendLog {
	char *dir;
};

RfsSendLog *sendlog_new(const char *dir)
{
	RfsSendLog *log = g_new0(RfsSendLog, 1);

	log->dir = g_strdup(dir);
	return log;
}

void sendlog_free(RfsSendLog *log)
{
	if (!log)
		return;
	g_free(log->dir);
	g_free(log);
}

static char *entry_path(RfsSendLog *log, const char *id)
{
	g_autofree char *name = g_strdup_printf("%s.json", id);
	return g_build_filename(log->dir, name, NULL);
}

char *sendlog_begin(RfsSendLog *log, json_t *entry)
{
	g_autofree char *id = g_uuid_string_random();
	g_autofree char *path = entry_path(log, id);
	g_autoptr(GError) error = NULL;

	json_object_set_new(entry, "id", json_string(id));
	json_object_set_new(entry, "started", json_integer((json_int_t)time(NULL)));
	g_autofree char *text = json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS);
	if (g_mkdir_with_parents(log->dir, 0700) != 0 ||
	    !g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
				      &error)) {
		/* the send still goes: the log only makes a crash easier to explain */
		g_message("cannot write the send log in %s: %s", log->dir,
			  error ? error->message : g_strerror(errno));
		return NULL;
	}
	return g_steal_pointer(&id);
}

void sendlog_end(RfsSendLog *log, const char *id)
{
	if (!id)
		return;
	g_autofree char *path = entry_path(log, id);
	if (unlink(path) != 0 && errno != ENOENT)
		g_message("cannot remove %s: %s", path, g_strerror(errno));
}

GPtrArray *sendlog_pending(RfsSendLog *log)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_decref);
	g_autoptr(GDir) dir = g_dir_open(log->dir, 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		if (!g_str_has_suffix(name, ".json"))
			continue;
		g_autofree char *path = g_build_filename(log->dir, name, NULL);
		json_t *entry = json_load_file(path, 0, NULL);
		if (!json_is_object(entry) || !json_is_string(json_object_get(entry, "id")) ||
		    !json_is_string(json_object_get(entry, "path"))) {
			g_message("ignoring a damaged send log entry %s", path);
			json_decref(entry);
			continue;
		}
		g_ptr_array_add(out, entry);
	}
	return out;
}
