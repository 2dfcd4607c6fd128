/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STS AssumeRole (--role-arn): exchanges the base credentials for a role's
 * temporary ones. POST to sts.tencentcloudapi.com, action AssumeRole, version
 * 2018-08-13, region ap-guangzhou, TC3-signed with service "sts" by the base
 * key (and its token). Retries only what retry.h calls retryable. */
#ifndef TC_STS_H
#define TC_STS_H

#include <stddef.h>

#include "creds.h"
#include "msg.h"

#define STS_DEFAULT_ENDPOINT "https://sts.tencentcloudapi.com"
#define STS_VERSION          "2018-08-13"
#define STS_REGION           "ap-guangzhou"
#define STS_MAX_BODY         2048
#define STS_MAX_ANSWER       (64 * 1024)

typedef void (*sts_log_fn)(void *ctx, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct sts_opts {
	const char *endpoint; /* scheme://host[:port], NULL: STS_DEFAULT_ENDPOINT */
	const char *role_arn, *session_name;
	long duration;   /* DurationSeconds, 1..CREDS_MAX_DURATION */
	double deadline; /* absolute, on clock_mono()'s clock */
	int retries;
	const char *cacert, *proxy; /* as for the API endpoint; NULL when not given */
	const char *proxy_userpwd;  /* --proxy-user-file's user:password, or NULL */
	int insecure;
	sts_log_fn log; /* may be NULL; never given a secret */
	void *log_ctx;
};

enum sts_err {
	STS_OK = 0,
	STS_ERR_API,     /* Response.Error: "STS AssumeRole: API error CODE: MSG (RequestId ID)" */
	STS_ERR_FAILED,  /* transport, HTTP status, malformed answer */
	STS_ERR_TIMEOUT, /* the deadline passed */
	STS_ERR_USAGE,   /* bad endpoint or parameters */
};

/* The request body: {"RoleArn":..,"RoleSessionName":..,"DurationSeconds":N}. */
int sts_body(const struct sts_opts *o, char *out, size_t cap, size_t *len);

/* Reads an answer. On success c's id, key and token become the role's. On an
 * API error *retryable says whether retry.h would try again. The base secrets
 * in c are redacted from any message. */
enum sts_err sts_parse(const char *body, size_t len, struct creds *c, long long *expires,
                       int *retryable, struct msg *why);

/* The whole exchange, with retries inside the deadline. */
enum sts_err sts_assume_role(const struct sts_opts *o, struct creds *c, long long *expires,
                             struct msg *why);

#endif
