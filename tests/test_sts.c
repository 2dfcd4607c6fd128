/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STS AssumeRole without a network: the request body, and the answer parser
 * (credentials, the API error line, which errors retry, redaction of the base
 * secrets a server may echo; redact.h has its own test). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sts.h"
#include "tap.h"

#define BASE_KEY   "BaseK3yS3cret"
#define P10        "PPPPPPPPPP"
#define P50        P10 P10 P10 P10 P10
#define P290       P50 P50 P50 P50 P50 P10 P10 P10 P10
#define BASE_TOKEN "BaseT0kenS3cret"

#define OK_ANSWER                                                                                  \
	"{\"Response\":{\"Credentials\":{\"Token\":\"tmpT0k\",\"TmpSecretId\":\"AKIDtmp\","        \
	"\"TmpSecretKey\":\"tmpK3y\"},\"ExpiredTime\":1543914376,\"Expiration\":"                  \
	"\"2018-12-04T09:06:16Z\",\"RequestId\":\"4daec797-9cd2-4f09-9e7a-7d4c43b2a74c\"}}"

static const struct {
	const char *name, *body;
	enum sts_err rc;
	int retryable;
	const char *msg; /* exact message on error */
} answers[] = {
    {.name = "credentials", .body = OK_ANSWER, .rc = STS_OK},
    {.name = "a wrong role",
     .body = "{\"Response\":{\"Error\":{\"Code\":\"ResourceNotFound.RoleNotExist\",\"Message\":"
             "\"role not exist\"},\"RequestId\":\"r-1\"}}",
     .rc = STS_ERR_API,
     .retryable = 0,
     .msg = "STS AssumeRole: API error ResourceNotFound.RoleNotExist: role not exist "
            "(RequestId r-1)"},
    {.name = "InternalError retries",
     .body = "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"oops\"},"
             "\"RequestId\":\"r-2\"}}",
     .rc = STS_ERR_API,
     .retryable = 1,
     .msg = "STS AssumeRole: API error InternalError: oops (RequestId r-2)"},
    {.name = "RequestLimitExceeded retries",
     .body = "{\"Response\":{\"Error\":{\"Code\":\"RequestLimitExceeded\",\"Message\":\"slow\"},"
             "\"RequestId\":\"r-3\"}}",
     .rc = STS_ERR_API,
     .retryable = 1,
     .msg = "STS AssumeRole: API error RequestLimitExceeded: slow (RequestId r-3)"},
    {.name = "an echo of the base secrets is redacted",
     .body = "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure\",\"Message\":\"key " BASE_KEY
             " token " BASE_TOKEN " Signature=0123abcd\"},\"RequestId\":\"r-4\"}}",
     .rc = STS_ERR_API,
     .msg = "STS AssumeRole: API error AuthFailure: key <redacted> token <redacted> "
            "Signature=<redacted> (RequestId r-4)"},
    {.name = "a message cut at 300 bytes keeps no half marker",
     .body = "{\"Response\":{\"Error\":{\"Code\":\"X\",\"Message\":\"" P290 "PPPPP" BASE_KEY
             "\"},\"RequestId\":\"r\"}}",
     .rc = STS_ERR_API,
     .msg = "STS AssumeRole: API error X: " P290 "PPPPP (RequestId r)"},
    {.name = "a message cut at 300 bytes keeps whole characters",
     .body = "{\"Response\":{\"Error\":{\"Code\":\"X\",\"Message\":\"" P290
             "PPPPPPPP\u00e9\"},\"RequestId\":\"r\"}}",
     .rc = STS_ERR_API,
     .msg = "STS AssumeRole: API error X: " P290 "PPPPPPPP (RequestId r)"},
    {.name = "an error without RequestId or Message",
     .body = "{\"Response\":{\"Error\":{\"Code\":\"X\"}}}",
     .rc = STS_ERR_API,
     .msg = "STS AssumeRole: API error X: (no message) (RequestId none)"},
    {.name = "no Credentials",
     .body = "{\"Response\":{\"RequestId\":\"r\"}}",
     .rc = STS_ERR_FAILED,
     .msg = "STS AssumeRole: malformed response: Credentials.TmpSecretId is missing, not a "
            "string, too long or not printable"},
    {.name = "token not a string",
     .body = "{\"Response\":{\"Credentials\":{\"Token\":1,\"TmpSecretId\":\"a\",\"TmpSecretKey\":"
             "\"b\"}}}",
     .rc = STS_ERR_FAILED,
     .msg = "STS AssumeRole: malformed response: Credentials.Token is missing, not a string, "
            "too long or not printable"},
    {.name = "not JSON",
     .body = "<html>",
     .rc = STS_ERR_FAILED,
     .retryable = 1,
     .msg = "STS AssumeRole: malformed response: not a JSON object"},
    {.name = "half an answer (cut on the way) is retried like a page",
     .body = "{\"Response\":{\"Credentials\":{\"TmpSecretId\":\"tmp",
     .rc = STS_ERR_FAILED,
     .retryable = 1,
     .msg = "STS AssumeRole: malformed response: not a JSON object"},
    {.name = "empty",
     .body = "",
     .rc = STS_ERR_FAILED,
     .retryable = 1,
     .msg = "STS AssumeRole: malformed response: empty body"},
    {.name = "duplicate Credentials",
     .body = "{\"Response\":{\"Credentials\":{},\"Credentials\":{}}}",
     .rc = STS_ERR_FAILED,
     .msg = "STS AssumeRole: malformed response: a key appears twice"},
};

int main(void)
{
	/* the body */
	struct sts_opts o = {
	    .role_arn = "qcs::cam::uin/1:roleName/r", .session_name = "s-1", .duration = 900};
	char body[STS_MAX_BODY];
	size_t len = 0;
	is_int(sts_body(&o, body, sizeof body, &len), 0, "body built");
	is_str(body,
	       "{\"RoleArn\":\"qcs::cam::uin/1:roleName/r\",\"RoleSessionName\":\"s-1\","
	       "\"DurationSeconds\":900}",
	       "body: RoleArn, RoleSessionName, DurationSeconds");
	is_int(len, strlen(body), "body length");
	char tiny[20];
	is_int(sts_body(&o, tiny, sizeof tiny, &len), -1, "a body past its cap is an error");

	for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		static struct creds c;
		struct msg why = {""};
		long long exp = 0;
		int retry = -1;
		memset(&c, 0, sizeof c);
		strcpy(c.secret_id, "AKIDbase");
		strcpy(c.secret_key, BASE_KEY);
		strcpy(c.token, BASE_TOKEN);
		enum sts_err rc =
		    sts_parse(answers[i].body, strlen(answers[i].body), &c, &exp, &retry, &why);
		is_int(rc, answers[i].rc, "%s: result (%s)", answers[i].name, why.text);
		if (rc == STS_OK) {
			is_str(c.secret_id, "AKIDtmp", "%s: TmpSecretId", answers[i].name);
			is_str(c.secret_key, "tmpK3y", "%s: TmpSecretKey", answers[i].name);
			is_str(c.token, "tmpT0k", "%s: Token", answers[i].name);
			is_int(exp, 1543914376, "%s: ExpiredTime", answers[i].name);
		} else {
			is_str(why.text, answers[i].msg, "%s: message", answers[i].name);
			is_str(c.secret_key, BASE_KEY, "%s: the base key is kept", answers[i].name);
			ok(!strstr(why.text, BASE_KEY) && !strstr(why.text, BASE_TOKEN),
			   "%s: no base secret in the message", answers[i].name);
		}
		if (rc != STS_OK)
			is_int(retry, answers[i].retryable, "%s: retryable", answers[i].name);
	}

	return tap_done();
}
