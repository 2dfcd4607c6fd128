/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The proxy: its name for messages (host:port, never its credentials), the
 * user:password of --proxy-user-file, and credentials blanked from a --proxy
 * URL on the command line once it has been copied. */
#ifndef TC_PROXY_H
#define TC_PROXY_H

#include <stddef.h>

#include "msg.h"

#define PROXY_MAX_URL     1024 /* --proxy */
#define PROXY_MAX_USERPWD 512  /* user:password, from the URL or --proxy-user-file */
#define PROXY_MAX_NAME    300  /* host:port */
#define PROXY_MAX_FILE    4096 /* --proxy-user-file */

struct proxy {
	char url[PROXY_MAX_URL + 1];      /* as given, credentials included: secret */
	char shown[PROXY_MAX_URL + 1];    /* scheme://[user@]host:port, no password */
	char name[PROXY_MAX_NAME];        /* host:port, for messages */
	char password[PROXY_MAX_USERPWD]; /* from the URL, "" when none: secret */
};

enum proxy_err { PROXY_OK = 0, PROXY_ERR_BAD, PROXY_ERR_FILE };

/* Parses a --proxy value (scheme optional, http:// by default as libcurl does;
 * default port 1080, 443 for https://). User info runs to the last '@'. Even
 * when the value is refused, p->password holds its password, to redact. */
enum proxy_err proxy_parse(const char *text, struct proxy *p, struct msg *why);

/* The first line of path, "user:password", into userpwd (cap bytes); the
 * password is never put in why. warn (may be NULL) gets secfile's notes
 * (readable by group or others), for -v. */
enum proxy_err proxy_read_user_file(const char *path, char *userpwd, size_t cap, struct msg *why,
                                    struct msg *warn);

/* Overwrites "user:password@" of a URL in place (a command-line argument):
 * the rest moves left, the freed bytes become NUL. */
void proxy_blank_credentials(char *arg);

void proxy_wipe(struct proxy *p);

#endif
