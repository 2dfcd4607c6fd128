/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libcurl, loaded with dlopen when the first request is about to be made, not
 * at exec: a run that makes none (a cache hit, --help, a bad option) does not
 * pay for mapping and relocating libcurl and the 30 libraries under it, which
 * is most of such a run's cost. curlload.c defines the curl_* functions the
 * plugin calls, forwarding each to the loaded library, so callers use
 * <curl/curl.h> as usual and the plugin is not linked with -lcurl. */
#ifndef TC_CURLLOAD_H
#define TC_CURLLOAD_H

#include "msg.h"

/* Loads libcurl (CURL_SONAME) once. 0, or -1 with why it cannot: the library
 * is missing, lacks a function, or is older than the headers it was built with. */
int curlload(struct msg *why);

#endif
