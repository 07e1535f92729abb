/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ringfs: options → token → session → loop; nothing else. */
#include "writes.h"
#include "send.h"
#include "api.h"
#include "auth.h"
#include "config.h"
#include "fs.h"
#include "http.h"
#include "live.h"
#include "render.h"
#include "table.h"
#include "tree.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* The calling code of @ext's country (regionalSettings.homeCountry), or NULL. (transfer full) */
static char *home_calling_code(const json_t *ext)
{
	const json_t *country =
		json_object_get(json_object_get(ext, "regionalSettings"), "homeCountry");
	const char *code = json_string_value(json_object_get(country, "callingCode"));
	const char *iso = json_string_value(json_object_get(country, "isoCode"));
	gboolean digits = code && *code && strspn(code, "0123456789") == strlen(code);

	if (digits && strlen(code) <= 4)
		return g_strdup(code);
	if (g_strcmp0(iso, "US") == 0 || g_strcmp0(iso, "CA") == 0)
		return g_strdup("1");
	return NULL;
}

/*
 * Who we are: one Light request gives the extension, its account and its
 * country.
 */
static gboolean find_identity(RfsApi *api, char **account_id, char **extension_id,
			      char **calling_code, GError **error)
{
	g_autoptr(json_t) ext =
		api_get_json(api, RFS_GROUP_LIGHT, "/restapi/v1.0/account/~/extension/~", error);

	if (!ext)
		return FALSE;
	*calling_code = home_calling_code(ext);
	*extension_id = render_id(json_object_get(ext, "id"));
	*account_id = render_id(json_object_get(json_object_get(ext, "account"), "id"));
	if (!*account_id) {
		g_autoptr(json_t) account =
			api_get_json(api, RFS_GROUP_LIGHT, "/restapi/v1.0/account/~", error);
		if (!account)
			return FALSE;
		*account_id = render_id(json_object_get(account, "id"));
	}
	if (!*account_id || !*extension_id) {
		g_set_error(error, RFS_ERROR, EIO, "the server did not say which account this is");
		return FALSE;
	}
	return TRUE;
}

/*
 * In the background stderr is gone: messages go to the journal, or to syslog
 * where there is no journal. Debug messages only with -d (which stays in the
 * foreground anyway).
 */
static GLogWriterOutput log_to_system(GLogLevelFlags level, const GLogField *fields, gsize n_fields,
				      gpointer data)
{
	if (level & G_LOG_LEVEL_DEBUG)
		return G_LOG_WRITER_HANDLED;
	if (g_log_writer_journald(level, fields, n_fields, data) == G_LOG_WRITER_HANDLED)
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp(fields[i].key, "MESSAGE") == 0) {
			int prio = level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL) ? LOG_ERR
				   : level & G_LOG_LEVEL_WARNING		      ? LOG_WARNING
										      : LOG_INFO;
			syslog(prio, "%s", (const char *)fields[i].value);
		}
	}
	return G_LOG_WRITER_HANDLED;
}

/*
 * The largest read that libfuse can splice from the cache file: the reply's
 * header and data must fit one pipe, and a process without CAP_SYS_RESOURCE
 * cannot grow a pipe past /proc/sys/fs/pipe-max-size (1 MiB by default).
 * libfuse asks for three pages more than the data; a read that does not fit
 * is copied through a fresh buffer instead, page faults and all (cold media
 * reads ran at a third of curl's speed that way).
 */
static unsigned splice_read_size(void)
{
	const long page = sysconf(_SC_PAGESIZE);
	g_autofree char *text = NULL;
	guint64 pipe_max = 1 << 20;

	if (g_file_get_contents("/proc/sys/fs/pipe-max-size", &text, NULL, NULL))
		pipe_max = g_ascii_strtoull(text, NULL, 10);
	pipe_max = CLAMP(pipe_max, (guint64)(8 * page), (guint64)(1 << 20));
	return (unsigned)((pipe_max - 4 * (guint64)page) / (guint64)page * (guint64)page);
}

static int run_session(RfsConfig *config, struct fuse_args *args, RfsTree *tree)
{
	RfsEvents *events = events_new();
	RfsFs *fs = fs_new(tree, config, events);
	RfsLive *live = NULL;
	struct fuse_session *se;
	int ret = 1;

	se = fuse_session_new(args, fs_operations(), sizeof(struct fuse_lowlevel_ops), fs);
	if (!se)
		goto out_fs;
	fs_set_session(fs, se);
	if (fuse_set_signal_handlers(se) != 0)
		goto out_session;
	if (fuse_session_mount(se, config->mountpoint) != 0)
		goto out_signals;
	if (fuse_daemonize(config->foreground) != 0)
		goto out_unmount;
	if (!config->foreground) {
		openlog("ringfs", LOG_PID, LOG_DAEMON);
		g_log_set_writer_func(log_to_system, NULL, NULL);
	}

	if (config->sync_interval > 0)
		live = live_new(tree, events, config->sync_interval);
	if (config->singlethread) {
		ret = fuse_session_loop(se);
	} else {
		struct fuse_loop_config *loop = fuse_loop_cfg_create();
		fuse_loop_cfg_set_max_threads(loop, (unsigned)config->max_threads);
		ret = fuse_session_loop_mt(se, loop);
		fuse_loop_cfg_destroy(loop);
	}
	ret = ret == 0 ? 0 : 1;

	live_free(live); /* before the kernel's side goes: it tells the kernel */

out_unmount:
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fs_stop(fs);
	fuse_session_destroy(se);
out_fs:
	fs_free(fs);
	events_free(events);
	return ret;
}

int main(int argc, char **argv)
{
	/* first of all: /proc/PID/cmdline shows argv to every local user */
	g_auto(GStrv) argv_copy = config_hide_secrets(argc, argv);
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv_copy);
	g_autoptr(GError) error = NULL;
	g_autofree char *account_id = NULL;
	g_autofree char *extension_id = NULL;
	g_autofree char *calling_code = NULL;
	RfsConfig *config = config_parse(argc, argv_copy, &args, &error);
	int ret = 1;

	/*
	 * glibc gives each worker thread an arena of its own, and listings freed
	 * on one thread and made on another fragment them all: RSS grew with every
	 * refresh. One arena keeps a long-lived mount's memory flat (ringfs waits
	 * on the network, not on malloc's lock): 100,000 listed messages hold
	 * 118 MiB with one, 122 MiB with two (tests/bench/bench_soak.py --large).
	 */
	mallopt(M_ARENA_MAX, 1);

	if (!config) {
		fprintf(stderr, "ringfs: %s\n", error->message);
		fuse_opt_free_args(&args);
		return 1;
	}
	if (config->show_help) {
		config_print_help(argv[0]);
		ret = 0;
		goto out_config;
	}
	if (config->show_version) {
		printf("ringfs %s\nFUSE library version %s\n", PACKAGE_VERSION, fuse_pkgversion());
		ret = 0;
		goto out_config;
	}
	if (config->debug)
		g_setenv("G_MESSAGES_DEBUG", "all", FALSE);
	fuse_opt_add_arg(&args, "-ofsname=ringfs,subtype=ringfs");
	if (!config->max_read) {
		config->max_read = splice_read_size();
		g_autofree char *max_read = g_strdup_printf("-omax_read=%u", config->max_read);
		fuse_opt_add_arg(&args, max_read);
	}

	curl_global_init(CURL_GLOBAL_DEFAULT);
	RfsHttp *http = http_new(config->connect_timeout, config->stall_timeout);
	RfsAuth *auth = auth_new(http, config);
	RfsApi *api = api_new(config, http, auth);

	if (!auth_lock_store(auth, &error)) {
		fprintf(stderr, "ringfs: %s\n", error->message);
	} else if (!auth_login(auth, &error) ||
		   !find_identity(api, &account_id, &extension_id, &calling_code, &error)) {
		fprintf(stderr, "ringfs: cannot log in to %s: %s\n", config->server,
			error->message);
	} else {
		RfsTreeRules rules = { .root = table_root_kind(),
				       .scratch = table_scratch_kind(),
				       .is_scratch_name = table_is_scratch_name };
		RfsTree *tree = tree_new(config, api, &rules, account_id, extension_id);
		tree_set_calling_code(tree, calling_code);
		send_recover(tree); /* what a stopped ringfs left unsaid */
		ret = run_session(config, &args, tree);
		tree_free(tree);
	}
	api_free(api);
	auth_free(auth);
	http_free(http);
	curl_global_cleanup();
out_config:
	config_free(config);
	fuse_opt_free_args(&args);
	return ret;
}
