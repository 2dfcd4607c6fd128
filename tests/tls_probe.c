/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One HTTPS listing through the client with a chosen CA store; for
 * it_castore.py (verification stays as strict) and tests/bench/tls_cost.py
 * (what the store costs). Not a test by itself.
 *   tls_probe URL cacert FILE        --cacert FILE
 *   tls_probe URL lazy BUNDLE DIR    no --cacert, with BUNDLE and DIR standing in
 *                                    for libcurl's built-in ones
 * Logs at -vv to stderr; prints the certificates listed, or the error; exit 0
 * when listed. Credentials: the mock's defaults. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "client.h"
#include "clock.h"

static void log_line(void *ctx, int level, const char *fmt, ...)
{
	(void)ctx;
	(void)level;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int main(int argc, char **argv)
{
	static const struct client_log lg = {.fn = log_line, .level = 2};
	struct client_opts o = {
	    .retries = 0,
	    .page_size = 1000,
	    .max_rate = 1000,
	    .parallel = 4,
	    .deadline = clock_mono() + 60,
	    .creds = {.secret_id = "AKIDmockEXAMPLE0000000000000000000000",
	              .secret_key = "mockSecretKeyEXAMPLE000000000000"},
	    .log = &lg,
	};
	if (argc < 4 || endpoint_parse(argv[1], &o.ep, NULL) != ENDPOINT_OK) return 2;
	if (strcmp(argv[2], "cacert") == 0) {
		o.cacert = argv[3];
	} else if (strcmp(argv[2], "lazy") == 0 && argc >= 5) {
		o.ca_bundle = argv[3];
		o.capath = argv[4];
	} else {
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct client_result r;
	struct msg why;
	enum client_err e = client_list(&o, NULL, &r, &why);
	curl_global_cleanup();
	if (e != CLIENT_OK) {
		printf("error: %s\n", why.text);
		return 1;
	}
	printf("%lld\n", r.listed);
	return 0;
}
