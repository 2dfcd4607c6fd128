/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The curl options every request of the plugin shares, whichever path
 * (the API client or a single call) sends it. */
#ifndef TC_CURLOPTS_H
#define TC_CURLOPTS_H

#include <curl/curl.h>

/* Sets no signals, no curl verbose output (it would show Authorization), no
 * redirects, http/https only, any encoding and the User-Agent. Non-zero when
 * curl refused one of them. */
int curlopts_common(CURL *e);

#endif
