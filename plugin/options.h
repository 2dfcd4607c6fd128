/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plugin's options: every option of SPEC.md parsed, checked and defaulted
 * once into a struct config that the rest of the plugin only reads. A usage
 * error prints one line and the usage text on stdout and exits UNKNOWN. */
#ifndef TC_PLUGIN_OPTIONS_H
#define TC_PLUGIN_OPTIONS_H

#include <getopt.h>

#include "client.h"
#include "creds.h"
#include "evaluate.h"
#include "output.h"
#include "request.h"
#include "state.h"

struct config {
	struct creds_opts creds;
	struct client_opts client;
	struct api_filters filters;
	struct select_opts select;
	struct eval_opts eval;
	struct out_opts out;
	const char *warn_text, *crit_text;
	long timeout;
	enum tc_state timeout_state;
	int now_given;
	const char *cache_file;
	long cache_ttl;
	const char *proxy_user_file;
	int verbose;
	/* credentials beyond keys (issue 12) */
	long role_duration;       /* --role-duration */
	const char *sts_endpoint; /* --sts-endpoint, NULL = STS_DEFAULT_ENDPOINT */
	struct creds *cr;         /* loaded in main() */
	int cr_fetched;           /* CVM role / AssumeRole keys fetched */
	int role_duration_given;  /* --role-duration on the command line */
};

enum {
	OPT_SECRET_ID = 256,
	OPT_SECRET_KEY,
	OPT_SECRET_KEY_FILE,
	OPT_SESSION_TOKEN_FILE,
	OPT_PROFILE,
	OPT_CREDENTIALS_FILE,
	OPT_ENDPOINT,
	OPT_REGION,
	OPT_LANGUAGE,
	OPT_CACERT,
	OPT_INSECURE,
	OPT_PROXY,
	OPT_PROXY_USER_FILE,
	OPT_RETRIES,
	OPT_PAGE_SIZE,
	OPT_MAX_RATE,
	OPT_PARALLEL,
	OPT_SEARCH_KEY,
	OPT_CERTIFICATE_TYPE,
	OPT_PROJECT_ID,
	OPT_STATUS,
	OPT_DEPLOYABLE,
	OPT_UPLOAD,
	OPT_RENEW,
	OPT_FILTER_SOURCE,
	OPT_IS_SM,
	OPT_HOSTABLE,
	OPT_TAG,
	OPT_IS_PENDING_ISSUE,
	OPT_EXPIRATION_SORT,
	OPT_FILTER_EXPIRING,
	OPT_ALL_STATUSES,
	OPT_INCLUDE_IGNORED,
	OPT_INCLUDE_REPLACED,
	OPT_EXCLUDE_REPLACED,
	OPT_BOUND_ONLY,
	OPT_DOMAIN,
	OPT_EXCLUDE_DOMAIN,
	OPT_EXCLUDE_ID,
	OPT_EMPTY_STATE,
	OPT_NOW,
	OPT_MAX_OUTPUT,
	OPT_PERFDATA_PER_CERT,
	OPT_OUTPUT,
	OPT_CACHE_FILE,
	OPT_CACHE_TTL,
	OPT_CVM_ROLE,
	OPT_METADATA_URL,
	OPT_ROLE_ARN,
	OPT_ROLE_SESSION_NAME,
	OPT_ROLE_DURATION,
	OPT_STS_ENDPOINT,
	OPT_EXTRA_OPTS,
};

extern const struct option long_options[];

_Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void parse_args(int argc, char **argv, struct config *c);
/* Wipes the copy of a --proxy URL that held user:password (once the listing is done). */
void options_wipe(void);

#endif
