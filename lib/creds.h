/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Credentials: the routes of SPEC.md, first found wins and is taken whole:
 * --cvm-role (an explicit route, the metadata service is asked later), then
 * --secret-id with --secret-key[-file], then the TENCENTCLOUD_* environment,
 * then a profile of the SDK-style INI file. --session-token-file wins over any
 * route's token. On top, --role-arn (or a profile's role_arn) asks for
 * AssumeRole. No network here: cvm.h and sts.h fetch temporary keys. Secrets
 * live in fixed buffers; creds_wipe() clears them. */
#ifndef TC_CREDS_H
#define TC_CREDS_H

#include <stddef.h>

#include "msg.h"

#define CREDS_MAX_ID           256
#define CREDS_MAX_KEY          256
#define CREDS_MAX_TOKEN        8192
#define CREDS_MAX_ROLE         129  /* CVM role name, NUL included */
#define CREDS_MAX_ARN          513  /* --role-arn, NUL included */
#define CREDS_MAX_SESSION      129  /* --role-session-name, NUL included */
#define CREDS_MAX_IDENTITY     2048 /* what the cache key names the account by */
#define CREDS_DEFAULT_SESSION  "check_tencentcloud_ssl"
#define CREDS_DEFAULT_DURATION 900   /* --role-duration */
#define CREDS_MAX_DURATION     43200 /* the API's limit */

struct creds_opts {
	const char *secret_id;          /* --secret-id */
	const char *secret_key;         /* --secret-key (visible in ps) */
	const char *secret_key_file;    /* --secret-key-file */
	const char *session_token_file; /* --session-token-file */
	const char *profile;            /* --profile, NULL = "default" */
	const char *credentials_file;   /* --credentials-file */
	const char *cvm_role;           /* --cvm-role NAME|auto */
	const char *metadata_url;       /* --metadata-url, NULL = CVM_DEFAULT_URL */
	const char *role_arn;           /* --role-arn, wins over a profile's role_arn */
	const char *role_session_name;  /* --role-session-name, wins over the profile's */
	const char *route_from;         /* where --secret-id/--secret-key came from, when not
	                                   the command line (an INI file: not in ps) */
};

struct creds {
	/* The base credentials: after creds_load() those of routes 1-3; empty for a
	 * CVM role until cvm.h fills them; sts.h then swaps in the role's keys. */
	char secret_id[CREDS_MAX_ID];
	char secret_key[CREDS_MAX_KEY];
	char token[CREDS_MAX_TOKEN]; /* "" when none */
	const char *source; /* "command line", "environment", "profile NAME in FILE", ... */
	char source_buf[512];
	char cvm_role[CREDS_MAX_ROLE];             /* "" unless --cvm-role: a name or "auto" */
	char role_arn[CREDS_MAX_ARN];              /* "" unless AssumeRole */
	char role_session_name[CREDS_MAX_SESSION]; /* set with role_arn */
	/* The account as the cache key names it: the SecretId for routes 1-3, the CVM
	 * role, or the role ARN on top of either: it does not change when the
	 * temporary keys do, so runs share one cache. Never a secret. */
	char identity[CREDS_MAX_IDENTITY];
};

enum creds_err {
	CREDS_OK = 0,
	CREDS_ERR_USAGE,   /* e.g. --secret-key without --secret-id */
	CREDS_ERR_MISSING, /* message names what is missing */
	CREDS_ERR_FILE,    /* unreadable, too big, bad syntax; message names the file */
};

/* The rules between credential options, checked before anything is read; the
 * plugin calls it while parsing options, creds_load() again. */
enum creds_err creds_check_usage(const struct creds_opts *o, struct msg *why);

/* Reads the environment with getenv(); with HOME unset or empty the passwd
 * entry of the effective uid gives the home directory. warn (may be NULL)
 * receives notes for -v, e.g. a key file readable by group or others. */
enum creds_err creds_load(const struct creds_opts *o, struct creds *out, struct msg *why,
                          struct msg *warn);
void creds_wipe(struct creds *c);

/* 1 when s can be a CAM role name (CVM role, the end of a role ARN): 1..128 of
 * letters, digits and +=,.@_- */
int creds_role_name_ok(const char *s);

#endif
