/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Options: the -o table, the environment, the config file and their checks.
 *
 * Precedence: -o on the command line, then the environment (RingCentral's
 * sample names), then $XDG_CONFIG_HOME/ringfs/config (or -o config=FILE).
 * Secrets (client secret, JWT) are wiped from argv as main() starts, so that `ps`
 * shows them only for that instant. With -o allow_other, -o others= says what
 * other local users may do.
 */
#pragma once

#include "rfs.h"

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

/* What other local users may do when the mount has -o allow_other (-o others=). */
typedef enum {
	RFS_OTHERS_NONE,  /* nothing: modes 0600/0700, changes refused */
	RFS_OTHERS_READ,  /* read: modes 0644/0755, changes refused */
	RFS_OTHERS_WRITE, /* read, and changes are not refused by ringfs */
} RfsOthers;

typedef struct {
	/* credentials and server */
	char *server; /* API base URL, no trailing slash */
	char *client_id;
	char *client_secret; /* secret: wiped on free */
	char *jwt;	     /* secret: wiped on free */
	char *config_file;
	char *token_file; /* where the rotated refresh token is kept (0600) */
	char *cache_dir;  /* immutable content and the sizes it proves */
	int cache_max;	  /* MiB the content cache may hold before the least recently used goes */

	/* caching */
	double entry_timeout; /* kernel dentry lifetime, seconds (never 0) */
	double attr_timeout;  /* kernel attribute lifetime, seconds (never 0) */
	double cache_timeout; /* our listings and documents, seconds */
	int sync_interval;    /* seconds between message-store syncs (live refresh); 0: none */

	/* requests */
	int history_days;     /* how far back message and call listings reach */
	int page_size;	      /* perPage asked for (the API caps it at 1000) */
	int connect_timeout;  /* seconds */
	int stall_timeout;    /* seconds without a byte before a transfer fails */
	int request_timeout;  /* seconds for one file operation: requests, retries, waits */
	int download_timeout; /* seconds for one media download */
	int verify_timeout;   /* seconds to look for a message whose send went unanswered */
	int rate_wait;	      /* longest wait for a rate-limit window, seconds */
	int max_threads;

	/* other local users */
	char *others;	      /* none, read or write, as given */
	RfsOthers others_may; /* the same, checked */
	int allow_other;      /* -o allow_other given: default_permissions is added */
	int default_permissions;
	unsigned max_read; /* -o max_read as given, else what main chose (fits a pipe) */
	mode_t mode_mask;  /* for file and directory modes: 0700 when others may not read */

	/* what fuse_parse_cmdline found */
	char *mountpoint;
	int foreground;
	int debug;
	int singlethread;
	int show_help;
	int show_version;
} RfsConfig;

/*
 * config_hide_secrets: the first thing main() does. Returns a copy of @argv
 * (NULL-terminated, transfer full: g_strfreev) for config_parse(), and
 * overwrites the values of client_secret= and jwt= in @argv itself, which is
 * what /proc/PID/cmdline shows to every local user.
 */
char **config_hide_secrets(int argc, char **argv);

/*
 * config_parse:
 * @argc, @argv: the copy from config_hide_secrets(); its secret values are
 * overwritten in place once parsed
 * @args: (in, out): made from @argc and @argv; left with the arguments for
 * fuse_session_new() (default_permissions added when allow_other is given)
 *
 * Reads the command line, the environment and the config file, and checks
 * them. --help and --version set show_help/show_version and succeed without
 * checking credentials.
 *
 * Returns: (transfer full): the configuration, or NULL with @error set
 * (code EINVAL; the message is ready for "ringfs: %s").
 */
RfsConfig *config_parse(int argc, char **argv, struct fuse_args *args, GError **error);

/*
 * The steps of config_parse() after the command line, for tests and fuzzing:
 * config_new() gives a configuration with every option unset (transfer full:
 * config_free); config_load_text() fills the unset options from the text of
 * a config file; config_finish() applies defaults and checks the whole.
 */
RfsConfig *config_new(void);

/*
 * config_load_text:
 * @text: (inout): the file's @len bytes and a NUL after them (as
 * g_file_get_contents() gives); lines are cut in place, so that the caller can
 * wipe the secrets by wiping @text
 * @path: named in messages
 * @mode: the file's st_mode: a secret is refused when group or others may read it
 *
 * Returns: FALSE with @error (EINVAL, ready for "ringfs: %s") on a line that is
 * not NAME=value, an unknown name, a number that is not one or out of range, a
 * NUL byte or a line longer than RFS_MAX_CONFIG_LINE.
 */
gboolean config_load_text(RfsConfig *config, char *text, gsize len, const char *path, mode_t mode,
			  GError **error);

/* config_finish: defaults for what is still unset, then the checks of config_parse(). */
gboolean config_finish(RfsConfig *config, GError **error);

/* config_print_help: the ringfs options, then libfuse's. */
void config_print_help(const char *progname);

void config_free(RfsConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RfsConfig, config_free)
