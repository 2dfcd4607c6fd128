/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CVM metadata answers: the role name, the credentials JSON (what the SDKs
 * expect, and everything else refused with a reason), and --metadata-url. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cvm.h"
#include "tap.h"

static const struct {
	const char *body;
	const char *role; /* NULL: refused */
} roles[] = {
    {.body = "ssl-monitor", .role = "ssl-monitor"},
    {.body = "ssl-monitor\n", .role = "ssl-monitor"},
    {.body = "  ssl-monitor \r\nsecond\n", .role = "ssl-monitor"},
    {.body = "a+=,.@_-9", .role = "a+=,.@_-9"},
    {.body = "", .role = NULL},
    {.body = "\nssl-monitor", .role = NULL},
    {.body = "two words", .role = NULL},
    {.body = "<html>404</html>", .role = NULL},
    {.body = "../../etc", .role = NULL},
    {.body = "..", .role = NULL},
    {.body = ".", .role = NULL},
    {.body = "a/b", .role = NULL},
    {.body = "...", .role = "..."},
    {.body = "r\x01", .role = NULL},
};

#define GOOD                                                                                       \
	"{\"TmpSecretId\":\"AKIDtmp1\",\"TmpSecretKey\":\"k3y\\/1\",\"ExpiredTime\":1700000000,"   \
	"\"Expiration\":\"2023-11-14T22:13:20Z\",\"Token\":\"t0k\",\"Code\":\"Success\"}"

static const struct {
	const char *name, *body;
	enum cvm_err rc;
	const char *msg; /* substring on error */
} answers[] = {
    {.name = "the SDK's answer", .body = GOOD, .rc = CVM_OK},
    {.name = "white space around", .body = " \n" GOOD "\n ", .rc = CVM_OK},
    {.name = "Code Failed",
     .body = "{\"Code\":\"Failed\",\"TmpSecretId\":\"a\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "Code is \"Failed\", not \"Success\""},
    {.name = "no Code",
     .body = "{\"TmpSecretId\":\"a\",\"TmpSecretKey\":\"b\",\"Token\":\"c\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "no Code \"Success\""},
    {.name = "no key",
     .body = "{\"TmpSecretId\":\"a\",\"Token\":\"c\",\"Code\":\"Success\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "TmpSecretKey is missing"},
    {.name = "key not a string",
     .body = "{\"TmpSecretId\":\"a\",\"TmpSecretKey\":7,\"Token\":\"c\",\"Code\":\"Success\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "TmpSecretKey"},
    {.name = "empty token",
     .body = "{\"TmpSecretId\":\"a\",\"TmpSecretKey\":\"b\",\"Token\":\"\",\"Code\":\"Success\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "Token"},
    {.name = "key with a space",
     .body =
         "{\"TmpSecretId\":\"a\",\"TmpSecretKey\":\"b c\",\"Token\":\"t\",\"Code\":\"Success\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "TmpSecretKey"},
    {.name = "key with an escaped newline",
     .body =
         "{\"TmpSecretId\":\"a\",\"TmpSecretKey\":\"b\\n\",\"Token\":\"t\",\"Code\":\"Success\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "TmpSecretKey"},
    {.name = "duplicate key",
     .body = "{\"TmpSecretId\":\"a\",\"TmpSecretId\":\"b\",\"TmpSecretKey\":\"b\",\"Token\":\"t\","
             "\"Code\":\"Success\"}",
     .rc = CVM_ERR_FAILED,
     .msg = "appears twice"},
    {.name = "an array", .body = "[" GOOD "]", .rc = CVM_ERR_FAILED, .msg = "not a JSON object"},
    {.name = "two objects", .body = GOOD GOOD, .rc = CVM_ERR_FAILED, .msg = "not a JSON object"},
    {.name = "cut short",
     .body = "{\"TmpSecretId\":\"a\",\"Tmp",
     .rc = CVM_ERR_FAILED,
     .msg = "not a JSON object"},
    {.name = "HTML", .body = "<html>500</html>", .rc = CVM_ERR_FAILED, .msg = "not a JSON object"},
    {.name = "empty", .body = "", .rc = CVM_ERR_FAILED, .msg = "not a JSON object"},
};

static const struct {
	const char *url;
	int ok;
} urls[] = {
    {.url = CVM_DEFAULT_URL, .ok = 1},
    {.url = "http://127.0.0.1:8080/latest/meta-data/", .ok = 1},
    {.url = "https://proxy.example/cvm", .ok = 1},
    {.url = "ftp://127.0.0.1/", .ok = 0},
    {.url = "http://", .ok = 0},
    {.url = "http://user:pw@127.0.0.1/", .ok = 0},
    {.url = "http://u:SEK/RITpw@127.0.0.1:1/", .ok = 0}, /* '/' in the password */
    {.url = "http://u:SEK?RIT@127.0.0.1/", .ok = 0},
    {.url = "http://127.0.0.1/a b", .ok = 0},
    {.url = "127.0.0.1/", .ok = 0},
    {.url = "", .ok = 0},
};

int main(void)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		char role[CREDS_MAX_ROLE];
		int rc = cvm_parse_role(roles[i].body, strlen(roles[i].body), role);
		if (roles[i].role)
			ok(rc == 0 && strcmp(role, roles[i].role) == 0, "role answer %zu: '%s'", i,
			   role);
		else
			ok(rc != 0 && role[0] == '\0', "role answer %zu refused", i);
	}
	char long_role[200];
	memset(long_role, 'r', sizeof long_role);
	char role[CREDS_MAX_ROLE];
	ok(cvm_parse_role(long_role, 129, role) != 0, "a role name of 129 bytes is refused");
	ok(cvm_parse_role(long_role, 128, role) == 0, "128 bytes is fine");

	for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		static struct creds c;
		struct msg why = {""};
		long long exp = -1;
		memset(&c, 0, sizeof c);
		enum cvm_err rc =
		    cvm_parse_creds(answers[i].body, strlen(answers[i].body), &c, &exp, &why);
		is_int(rc, answers[i].rc, "%s: result (%s)", answers[i].name, why.text);
		if (answers[i].rc == CVM_OK) {
			is_str(c.secret_id, "AKIDtmp1", "%s: TmpSecretId", answers[i].name);
			is_str(c.secret_key, "k3y/1", "%s: TmpSecretKey, escapes decoded",
			       answers[i].name);
			is_str(c.token, "t0k", "%s: Token", answers[i].name);
			is_int(exp, 1700000000, "%s: ExpiredTime", answers[i].name);
		} else {
			ok(strstr(why.text, answers[i].msg) != NULL, "%s: says '%s'",
			   answers[i].name, answers[i].msg);
			ok(!c.secret_id[0] && !c.secret_key[0] && !c.token[0],
			   "%s: nothing half-filled", answers[i].name);
		}
	}

	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
		is_int(cvm_url_ok(urls[i].url), urls[i].ok, "--metadata-url '%s'", urls[i].url);
	return tap_done();
}
