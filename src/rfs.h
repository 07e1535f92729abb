/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by every module: the error domain, size caps and cleanup functions. */
#pragma once

#include "build-config.h"

#include <glib.h>
#include <jansson.h>
#include <curl/curl.h>

/*
 * Errors between modules are GErrors in RFS_ERROR: the code is the errno the
 * user will see, the message is the server's own text (or curl's).
 */
#define RFS_ERROR (rfs_error_quark())
GQuark rfs_error_quark(void);

/* Size caps, named in one place (curl's DYN_* habit). Going over one is an error. */
#define RFS_MAX_JSON_BODY   (64 * 1024 * 1024)	       /* one API response */
#define RFS_MAX_CONTENT	    (2LL * 1024 * 1024 * 1024) /* one media download */
#define RFS_MAX_NAME	    200			       /* bytes of one file name we build */
#define RFS_MAX_CONFIG_LINE 8192
/* One listing (a folder): a server that pages forever is a bug, not data. */
#define RFS_MAX_LISTING_PAGES	5000
#define RFS_MAX_LISTING_RECORDS 200000

/* Usage-plan groups of the RingCentral API, each paced on its own. */
typedef enum {
	RFS_GROUP_LIGHT,
	RFS_GROUP_MEDIUM,
	RFS_GROUP_HEAVY,
	RFS_GROUP_AUTH,
	RFS_GROUP_NONE, /* NoThrottling */
	RFS_GROUP_COUNT
} RfsGroup;

const char *rfs_group_name(RfsGroup group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_t, json_decref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CURL, curl_easy_cleanup)
