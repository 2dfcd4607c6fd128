/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The --endpoint URL: scheme, host and optional port, nothing else. Parsed and
 * defaulted once (by the plugin); the transport only reads the result. */
#ifndef TC_ENDPOINT_H
#define TC_ENDPOINT_H

#include "msg.h"
#include "tc3.h"

#define ENDPOINT_DEFAULT "https://ssl.tencentcloudapi.com"
#define ENDPOINT_MAX_URL (TC3_MAX_HOST + 16) /* "https://" host[:port] "/" */

struct endpoint {
	int https;
	char host[TC3_MAX_HOST];    /* host[:port]: signed and sent as Host */
	char url[ENDPOINT_MAX_URL]; /* scheme://host[:port]/ */
};

enum endpoint_err { ENDPOINT_OK = 0, ENDPOINT_ERR_BAD };

/* text NULL means ENDPOINT_DEFAULT. On error ep is cleared and why says
 * "bad <opt> URL: <text> (<reason>)", or "<opt> must not contain user info
 * (user:password@)" without the text when it has an '@'. */
enum endpoint_err endpoint_parse_opt(const char *text, const char *opt, struct endpoint *ep,
                                     struct msg *why);

/* endpoint_parse_opt() for --endpoint. */
enum endpoint_err endpoint_parse(const char *text, struct endpoint *ep, struct msg *why);

#endif
