/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CVM instance role (--cvm-role): temporary credentials from the instance
 * metadata service, asked for only when the user chose this route.
 * GET <base>cam/security-credentials/ names the bound role ("auto");
 * GET <base>cam/security-credentials/<role> gives TmpSecretId, TmpSecretKey,
 * Token, ExpiredTime and Code "Success". */
#ifndef TC_CVM_H
#define TC_CVM_H

#include <stddef.h>

#include "creds.h"
#include "msg.h"

#define CVM_DEFAULT_URL  "http://metadata.tencentyun.com/latest/meta-data/"
#define CVM_MAX_URL      1024
#define CVM_CALL_TIMEOUT 2.0 /* seconds per metadata request, inside -t */
#define CVM_MAX_ANSWER   (16 * 1024)

typedef void (*cvm_log_fn)(void *ctx, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct cvm_opts {
	const char *base_url; /* NULL: CVM_DEFAULT_URL */
	const char *role;     /* a role name or "auto" */
	double deadline;      /* absolute, on clock_mono()'s clock */
	cvm_log_fn log;       /* -vv: one line per request; may be NULL */
	void *log_ctx;
};

enum cvm_err {
	CVM_OK = 0,
	CVM_ERR_NOROLE,  /* HTTP 404: no role bound, or not that one */
	CVM_ERR_FAILED,  /* HTTP error, no answer, an answer that is not what the SDKs expect */
	CVM_ERR_TIMEOUT, /* the run's deadline passed */
};

/* 1 when url can be a --metadata-url: http:// or https://, printable, no
 * spaces and no user info (it is named in messages), at most CVM_MAX_URL. */
int cvm_url_ok(const char *url);

/* The role name in the answer to GET cam/security-credentials/ (its first line). */
int cvm_parse_role(const char *body, size_t len, char role[CREDS_MAX_ROLE]);

/* The credentials in the answer for a role into c->secret_id, secret_key, token;
 * *expires (may be NULL) gets ExpiredTime or 0. why says what is wrong. */
enum cvm_err cvm_parse_creds(const char *body, size_t len, struct creds *c, long long *expires,
                             struct msg *why);

/* Both requests; role_out gets the role used. Messages start "CVM role NAME: ". */
enum cvm_err cvm_fetch(const struct cvm_opts *o, struct creds *c, char role_out[CREDS_MAX_ROLE],
                       long long *expires, struct msg *why);

#endif
