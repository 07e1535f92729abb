/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The -o table, environment names, the config file, defaults and checks. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_SERVER "https://platform.ringcentral.com"
#define MAX_TIMEOUT_S  (1000 * 1000 * 1000) /* seconds: still far from overflowing in µs */

/* Sentinels: "not given", so that the environment and the file can fill in. */
#define UNSET_D -1.0
#define UNSET_I -1

/* libfuse's own options that ringfs looks at (and passes on) */
enum {
	KEY_ALLOW_OTHER,
	KEY_DEFAULT_PERMISSIONS,
	KEY_MAX_READ,
};

/* One row per option: its names in the environment and in the config file. */
typedef enum {
	KIND_STR,
	KIND_DOUBLE,
	KIND_INT
} OptKind;

static const struct {
	const char *name; /* -o name, also accepted in the config file */
	OptKind kind;
	size_t offset;
	const char *env[4]; /* environment names, first wins */
	gboolean secret;
	const char *help;
	const char *dflt; /* the default as it would be written; NULL: none, or computed */
} option_rows[] = {
	{ "server",
	  KIND_STR,
	  offsetof(RfsConfig, server),
	  { "RC_SERVER_URL", "RINGCENTRAL_SERVER_URL" },
	  FALSE,
	  "API server URL",
	  DEFAULT_SERVER },
	{ "client_id",
	  KIND_STR,
	  offsetof(RfsConfig, client_id),
	  { "RC_APP_CLIENT_ID", "RC_CLIENT_ID", "RINGCENTRAL_CLIENT_ID" },
	  FALSE,
	  "app client id",
	  NULL },
	{ "client_secret",
	  KIND_STR,
	  offsetof(RfsConfig, client_secret),
	  { "RC_APP_CLIENT_SECRET", "RC_CLIENT_SECRET", "RINGCENTRAL_CLIENT_SECRET" },
	  TRUE,
	  "app client secret (prefer the environment or the config file)",
	  NULL },
	{ "jwt",
	  KIND_STR,
	  offsetof(RfsConfig, jwt),
	  { "RC_USER_JWT", "RC_JWT", "RINGCENTRAL_JWT_TOKEN" },
	  TRUE,
	  "user JWT credential (prefer the environment or the config file)",
	  NULL },
	{ "config",
	  KIND_STR,
	  offsetof(RfsConfig, config_file),
	  { "RINGFS_CONFIG" },
	  FALSE,
	  "config file (default $XDG_CONFIG_HOME/ringfs/config)",
	  NULL },
	{ "token_file",
	  KIND_STR,
	  offsetof(RfsConfig, token_file),
	  { NULL },
	  FALSE,
	  "refresh token store (default $XDG_STATE_HOME/ringfs/token-*.json)",
	  NULL },
	{ "cache_dir",
	  KIND_STR,
	  offsetof(RfsConfig, cache_dir),
	  { NULL },
	  FALSE,
	  "content cache (default $XDG_CACHE_HOME/ringfs)",
	  NULL },
	{ "cache_max",
	  KIND_INT,
	  offsetof(RfsConfig, cache_max),
	  { NULL },
	  FALSE,
	  "content cache size in MiB",
	  "1024" },
	{ "entry_timeout",
	  KIND_DOUBLE,
	  offsetof(RfsConfig, entry_timeout),
	  { NULL },
	  FALSE,
	  "kernel name cache, seconds",
	  "1" },
	{ "attr_timeout",
	  KIND_DOUBLE,
	  offsetof(RfsConfig, attr_timeout),
	  { NULL },
	  FALSE,
	  "kernel attribute cache, seconds",
	  "1" },
	{ "cache_timeout",
	  KIND_DOUBLE,
	  offsetof(RfsConfig, cache_timeout),
	  { NULL },
	  FALSE,
	  "lifetime of listings and documents, seconds",
	  "60" },
	{ "sync_interval",
	  KIND_INT,
	  offsetof(RfsConfig, sync_interval),
	  { NULL },
	  FALSE,
	  "seconds between message-store syncs (live refresh, the events file); 0: none",
	  "30" },
	{ "history_days",
	  KIND_INT,
	  offsetof(RfsConfig, history_days),
	  { NULL },
	  FALSE,
	  "days of messages and calls to list",
	  "365" },
	{ "page_size",
	  KIND_INT,
	  offsetof(RfsConfig, page_size),
	  { NULL },
	  FALSE,
	  "records per listing request",
	  "1000" },
	{ "connect_timeout",
	  KIND_INT,
	  offsetof(RfsConfig, connect_timeout),
	  { NULL },
	  FALSE,
	  "seconds to connect",
	  "10" },
	{ "stall_timeout",
	  KIND_INT,
	  offsetof(RfsConfig, stall_timeout),
	  { NULL },
	  FALSE,
	  "seconds a transfer may stall",
	  "30" },
	{ "request_timeout",
	  KIND_INT,
	  offsetof(RfsConfig, request_timeout),
	  { NULL },
	  FALSE,
	  "seconds one file operation may take, its retries, waits and token refresh "
	  "included",
	  "120" },
	{ "download_timeout",
	  KIND_INT,
	  offsetof(RfsConfig, download_timeout),
	  { NULL },
	  FALSE,
	  "seconds the download of one media file may take",
	  "600" },
	{ "verify_timeout",
	  KIND_INT,
	  offsetof(RfsConfig, verify_timeout),
	  { NULL },
	  FALSE,
	  "seconds to look for a message whose send went unanswered",
	  "30" },
	{ "rate_wait",
	  KIND_INT,
	  offsetof(RfsConfig, rate_wait),
	  { NULL },
	  FALSE,
	  "longest wait for a rate-limit window, seconds",
	  "300" },
	{ "max_threads",
	  KIND_INT,
	  offsetof(RfsConfig, max_threads),
	  { NULL },
	  FALSE,
	  "worker threads",
	  "10" },
	{ "others",
	  KIND_STR,
	  offsetof(RfsConfig, others),
	  { NULL },
	  FALSE,
	  "with allow_other, what other users may do: none, read or write",
	  "none" },
};

/* The fuse_opt table of the rows ("name=%s" at the field's offset), plus libfuse's own
 * options ringfs looks at. (transfer full) */
static void clear_template(struct fuse_opt *opt)
{
	g_free((char *)opt->templ);
}

static GArray *fuse_option_table(void)
{
	GArray *table = g_array_new(TRUE, TRUE, sizeof(struct fuse_opt)); /* zero-ended: END */

	g_array_set_clear_func(table, (GDestroyNotify)clear_template);
	for (gsize i = 0; i < G_N_ELEMENTS(option_rows); i++) {
		static const char *const formats[] = {
			[KIND_STR] = "%s", [KIND_DOUBLE] = "%lf", [KIND_INT] = "%d"
		};
		struct fuse_opt opt = {
			.templ = g_strdup_printf("%s=%s", option_rows[i].name,
						 formats[option_rows[i].kind]),
			.offset = option_rows[i].offset,
			.value = 1,
		};
		g_array_append_val(table, opt);
	}
	struct fuse_opt keys[] = { FUSE_OPT_KEY("allow_other", KEY_ALLOW_OTHER),
				   FUSE_OPT_KEY("default_permissions", KEY_DEFAULT_PERMISSIONS),
				   FUSE_OPT_KEY("max_read=", KEY_MAX_READ) };
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		keys[i].templ = g_strdup(keys[i].templ);
		g_array_append_val(table, keys[i]);
	}
	return table;
}

void config_print_help(const char *progname)
{
	printf("usage: %s [options] MOUNTPOINT\n\n"
	       "Mounts a RingCentral account as a directory tree.\n"
	       "Unmount with: fusermount3 -u MOUNTPOINT\n\n"
	       "general options:\n"
	       "    -h   --help            print this help\n"
	       "    -V   --version         print the version\n"
	       "    -f                     stay in the foreground\n"
	       "    -d                     debug output (implies -f)\n"
	       "    -s                     single-threaded\n\n"
	       "ringfs options (give client_secret and jwt by the environment or the config\n"
	       "file, mode 0600: a command line is visible to other users for a moment):\n",
	       progname);
	for (gsize i = 0; i < G_N_ELEMENTS(option_rows); i++) {
		g_autofree char *left =
			g_strdup_printf("-o %s=%s", option_rows[i].name,
					option_rows[i].kind == KIND_STR ? "S" : "N");
		if (option_rows[i].dflt)
			printf("    %-26s %s (default %s)\n", left, option_rows[i].help,
			       option_rows[i].dflt);
		else
			printf("    %-26s %s\n", left, option_rows[i].help);
		if (option_rows[i].env[0]) {
			g_autofree char *envs = g_strjoinv(", ", (char **)option_rows[i].env);
			printf("    %-26s   environment: %s\n", "", envs);
		}
	}
	printf("\nFUSE options:\n");
	fuse_lowlevel_help();
}

static char **str_field(RfsConfig *config, gsize row)
{
	return (char **)((char *)config + option_rows[row].offset);
}

/* Sets a field from text unless the command line already did. */
static gboolean set_field(RfsConfig *config, gsize row, const char *value, const char *origin,
			  GError **error)
{
	char *end = NULL;
	void *field = (char *)config + option_rows[row].offset;
	double d = 0;
	gint64 i = 0;

	switch (option_rows[row].kind) {
	case KIND_STR:
		if (*(char **)field)
			return TRUE;
		*(char **)field = g_strdup(value);
		return TRUE;
	case KIND_DOUBLE:
		if (*(double *)field != UNSET_D)
			return TRUE;
		d = g_ascii_strtod(value, &end);
		break;
	case KIND_INT:
		if (*(int *)field != UNSET_I)
			return TRUE;
		i = g_ascii_strtoll(value, &end, 10);
		break;
	}
	if (end == value || *end || !isfinite(d)) {
		g_set_error(error, RFS_ERROR, EINVAL, "%s: %s is not a number: %s", origin,
			    option_rows[row].name, value);
		return FALSE;
	}
	if (i < G_MININT || i > G_MAXINT) {
		g_set_error(error, RFS_ERROR, EINVAL, "%s: %s is out of range: %s", origin,
			    option_rows[row].name, value);
		return FALSE;
	}
	if (option_rows[row].kind == KIND_DOUBLE)
		*(double *)field = d;
	else
		*(int *)field = (int)i;
	return TRUE;
}

static void load_environment(RfsConfig *config)
{
	for (gsize i = 0; i < G_N_ELEMENTS(option_rows); i++) {
		for (gsize j = 0; j < G_N_ELEMENTS(option_rows[i].env) && option_rows[i].env[j];
		     j++) {
			const char *value = g_getenv(option_rows[i].env[j]);
			if (value && *value) {
				/* environment values are strings or numbers we check later */
				set_field(config, i, value, option_rows[i].env[j], NULL);
				break;
			}
		}
	}
}

static gssize find_row(const char *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS(option_rows); i++) {
		if (strcmp(option_rows[i].name, key) == 0)
			return (gssize)i;
		for (gsize j = 0; j < G_N_ELEMENTS(option_rows[i].env) && option_rows[i].env[j];
		     j++)
			if (strcmp(option_rows[i].env[j], key) == 0)
				return (gssize)i;
	}
	return -1;
}

/*
 * The config file holds NAME=value lines, NAME being an option name or one of
 * its environment names; '#' starts a comment. A file that holds a secret
 * must not be readable by group or others. Lines are cut in place, without
 * copies, so that wiping the text wipes every secret it held.
 */
gboolean config_load_text(RfsConfig *config, char *text, gsize len, const char *path, mode_t mode,
			  GError **error)
{
	char *next;

	if (memchr(text, '\0', len)) {
		g_set_error(error, RFS_ERROR, EINVAL, "config file %s is not text (it holds a NUL)",
			    path);
		return FALSE;
	}
	for (int n = 1; text; text = next, n++) {
		next = strchr(text, '\n');
		if (next)
			*next++ = '\0';
		if (strlen(text) > RFS_MAX_CONFIG_LINE) {
			g_set_error(error, RFS_ERROR, EINVAL,
				    "config file %s line %d is longer than %d bytes", path, n,
				    RFS_MAX_CONFIG_LINE);
			return FALSE;
		}
		char *line = g_strstrip(text);
		if (!*line || *line == '#')
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			g_set_error(error, RFS_ERROR, EINVAL,
				    "config file %s line %d: expected NAME=value", path, n);
			return FALSE;
		}
		*eq = '\0';
		char *key = g_strstrip(line);
		char *value = g_strstrip(eq + 1);
		gsize vlen = strlen(value);
		if (vlen >= 2 && (value[0] == '"' || value[0] == '\'') &&
		    value[vlen - 1] == value[0]) {
			value[vlen - 1] = '\0';
			value++;
		}
		gssize row = find_row(key);
		if (row < 0) {
			g_set_error(error, RFS_ERROR, EINVAL,
				    "config file %s line %d: unknown name %s", path, n, key);
			return FALSE;
		}
		if (option_rows[row].secret && (mode & 077)) {
			g_set_error(error, RFS_ERROR, EINVAL,
				    "config file %s holds %s but others can read it (mode %03o): "
				    "run chmod 600 %s",
				    path, key, (unsigned)(mode & 0777), path);
			return FALSE;
		}
		g_autofree char *origin = g_strdup_printf("%s line %d", path, n);
		if (!set_field(config, (gsize)row, value, origin, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean load_file(RfsConfig *config, const char *path, gboolean must_exist, GError **error)
{
	g_autoptr(GError) local = NULL;
	char *text = NULL;
	gsize len = 0;
	struct stat st;

	if (stat(path, &st) != 0) {
		if (!must_exist && errno == ENOENT)
			return TRUE;
		g_set_error(error, RFS_ERROR, EINVAL, "cannot read config file %s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	if (!g_file_get_contents(path, &text, &len, &local)) {
		g_set_error(error, RFS_ERROR, EINVAL, "cannot read config file %s: %s", path,
			    local->message);
		return FALSE;
	}
	gboolean ok = config_load_text(config, text, len, path, st.st_mode, error);
	explicit_bzero(text, len); /* failed or not */
	g_free(text);
	return ok;
}

/* Overwrites the value of "name=" options in argv, so `ps` shows no secret. */
static void wipe_argv_secrets(int argc, char **argv)
{
	static const char *const secret_keys[] = { "client_secret=", "jwt=" };

	for (int i = 1; i < argc; i++) {
		for (gsize k = 0; k < G_N_ELEMENTS(secret_keys); k++) {
			char *p = argv[i];
			while ((p = strstr(p, secret_keys[k]))) {
				gboolean at_start = p == argv[i] || p[-1] == ',' || p[-1] == 'o';
				p += strlen(secret_keys[k]);
				if (!at_start)
					continue;
				for (; *p && *p != ','; p++)
					*p = 'x';
			}
		}
	}
}

char **config_hide_secrets(int argc, char **argv)
{
	char **copy = g_new0(char *, argc + 1);

	for (int i = 0; i < argc; i++)
		copy[i] = g_strdup(argv[i]);
	wipe_argv_secrets(argc, argv);
	return copy;
}

/* Notes the libfuse options ringfs depends on; every one is kept for libfuse. */
static int note_fuse_option(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	RfsConfig *config = data;

	if (key == KEY_ALLOW_OTHER)
		config->allow_other = 1;
	else if (key == KEY_DEFAULT_PERMISSIONS)
		config->default_permissions = 1;
	else if (key == KEY_MAX_READ)
		config->max_read = (unsigned)g_ascii_strtoull(arg + strlen("max_read="), NULL, 10);
	return 1;
}

static void apply_defaults(RfsConfig *config)
{
	/* every option's default, from its row (what is still unset after -o, env and file) */
	for (gsize i = 0; i < G_N_ELEMENTS(option_rows); i++) {
		if (option_rows[i].dflt &&
		    !set_field(config, i, option_rows[i].dflt, "default", NULL))
			g_error("the default of %s is no %s", option_rows[i].name,
				option_rows[i].kind == KIND_STR ? "string" : "number");
	}
	g_strchomp(config->server);
	for (gsize len = strlen(config->server); len > 0 && config->server[len - 1] == '/'; len--)
		config->server[len - 1] = '\0';

	if (!config->cache_dir)
		config->cache_dir = g_build_filename(g_get_user_cache_dir(), "ringfs", NULL);
	if (!config->token_file) {
		g_autofree char *key = g_strdup_printf("%s\n%s", config->server,
						       config->client_id ? config->client_id : "");
		g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
		g_autofree char *base = g_strdup_printf("token-%.16s.json", hash);
		config->token_file = g_build_filename(g_get_user_state_dir(), "ringfs", base, NULL);
	}
}

/* Above 0 and at most MAX_TIMEOUT_S; not NaN (-o cache_timeout=nan gets past "<= 0"). */
static gboolean timeout_ok(double seconds)
{
	return seconds > 0 && seconds <= MAX_TIMEOUT_S;
}

static gboolean check(RfsConfig *config, GError **error)
{
	if (!timeout_ok(config->entry_timeout) || !timeout_ok(config->attr_timeout) ||
	    !timeout_ok(config->cache_timeout)) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "entry_timeout, attr_timeout and cache_timeout must be above 0 "
			    "(a zero kernel timeout causes lookup storms) and at most %d",
			    MAX_TIMEOUT_S);
		return FALSE;
	}
	if (config->sync_interval < 0 || config->sync_interval > 86400) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "sync_interval must be between 0 (no live refresh) and 86400");
		return FALSE;
	}
	if (config->history_days < 1 || config->history_days > 3650) {
		g_set_error(error, RFS_ERROR, EINVAL, "history_days must be between 1 and 3650");
		return FALSE;
	}
	if (config->page_size < 1 || config->page_size > 1000) {
		g_set_error(error, RFS_ERROR, EINVAL, "page_size must be between 1 and 1000");
		return FALSE;
	}
	if (config->connect_timeout < 1 || config->stall_timeout < 1 ||
	    config->request_timeout < 1 || config->download_timeout < 1 ||
	    config->verify_timeout < 0 || config->rate_wait < 0 || config->max_threads < 1 ||
	    config->cache_max < 1) {
		g_set_error(error, RFS_ERROR, EINVAL, "timeouts and max_threads must be positive");
		return FALSE;
	}
	if (strcmp(config->others, "none") == 0) {
		config->others_may = RFS_OTHERS_NONE;
	} else if (strcmp(config->others, "read") == 0) {
		config->others_may = RFS_OTHERS_READ;
	} else if (strcmp(config->others, "write") == 0) {
		config->others_may = RFS_OTHERS_WRITE;
	} else {
		g_set_error(error, RFS_ERROR, EINVAL, "others must be none, read or write: %s",
			    config->others);
		return FALSE;
	}
	/* without allow_other nobody else gets in: the modes stay as they always were */
	config->mode_mask =
		config->allow_other && config->others_may == RFS_OTHERS_NONE ? 0700 : 0777;
	if (!g_str_has_prefix(config->server, "https://") &&
	    !g_str_has_prefix(config->server, "http://")) {
		g_set_error(error, RFS_ERROR, EINVAL, "server must be an http(s) URL: %s",
			    config->server);
		return FALSE;
	}
	if (!config->mountpoint) {
		g_set_error(error, RFS_ERROR, EINVAL, "no mountpoint given (see ringfs --help)");
		return FALSE;
	}
	if (!config->client_id || !config->client_secret) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "no client credentials: set RC_APP_CLIENT_ID and RC_APP_CLIENT_SECRET, "
			    "or client_id and client_secret in %s",
			    config->config_file);
		return FALSE;
	}
	if (!config->jwt && !g_file_test(config->token_file, G_FILE_TEST_EXISTS)) {
		g_set_error(error, RFS_ERROR, EINVAL,
			    "no user credential: set RC_USER_JWT, or jwt in %s",
			    config->config_file);
		return FALSE;
	}
	return TRUE;
}

RfsConfig *config_new(void)
{
	RfsConfig *config = g_new0(RfsConfig, 1);

	/* "not given" for every number, so that the environment and the file fill in */
	for (gsize i = 0; i < G_N_ELEMENTS(option_rows); i++) {
		void *field = (char *)config + option_rows[i].offset;
		if (option_rows[i].kind == KIND_DOUBLE)
			*(double *)field = UNSET_D;
		else if (option_rows[i].kind == KIND_INT)
			*(int *)field = UNSET_I;
	}
	return config;
}

gboolean config_finish(RfsConfig *config, GError **error)
{
	apply_defaults(config);
	return check(config, error);
}

RfsConfig *config_parse(int argc, char **argv, struct fuse_args *args, GError **error)
{
	g_autoptr(RfsConfig) config = config_new();
	struct fuse_cmdline_opts opts = { 0 };

	g_autoptr(GArray) option_table = fuse_option_table();
	if (fuse_opt_parse(args, config, (struct fuse_opt *)option_table->data, note_fuse_option) !=
	    0) {
		g_set_error(error, RFS_ERROR, EINVAL, "invalid options (see ringfs --help)");
		return NULL;
	}
	wipe_argv_secrets(argc, argv);
	/* other users get in: the kernel enforces the modes that others= chose */
	if (config->allow_other && !config->default_permissions)
		fuse_opt_add_arg(args, "-odefault_permissions");

	if (fuse_parse_cmdline(args, &opts) != 0) {
		g_set_error(error, RFS_ERROR, EINVAL, "invalid options (see ringfs --help)");
		return NULL;
	}
	config->mountpoint = opts.mountpoint; /* malloc'd by libfuse */
	config->foreground = opts.foreground;
	config->debug = opts.debug;
	config->singlethread = opts.singlethread;
	config->show_help = opts.show_help;
	config->show_version = opts.show_version;
	if (opts.max_threads > 0 && config->max_threads == UNSET_I)
		config->max_threads = (int)opts.max_threads;
	if (config->show_help || config->show_version)
		return g_steal_pointer(&config);

	load_environment(config);
	gboolean explicit_file = config->config_file != NULL;
	if (!explicit_file)
		config->config_file =
			g_build_filename(g_get_user_config_dir(), "ringfs", "config", NULL);
	if (!load_file(config, config->config_file, explicit_file, error))
		return NULL;
	if (!config_finish(config, error))
		return NULL;
	return g_steal_pointer(&config);
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void config_free(RfsConfig *config)
{
	if (!config)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(option_rows); i++) {
		if (option_rows[i].kind != KIND_STR)
			continue;
		char **field = str_field(config, i);
		if (option_rows[i].secret)
			free_secret(*field);
		else
			free(*field); /* fuse_opt and g_strdup both use malloc */
		*field = NULL;
	}
	free(config->mountpoint);
	g_free(config);
}
