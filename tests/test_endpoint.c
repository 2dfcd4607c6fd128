/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --endpoint parsing: every accepted form and its host[:port], every rejected
 * one with its message. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "tap.h"

static void test_endpoint(void)
{
	static const struct {
		const char *url, *host; /* host NULL: rejected */
	} t[] = {
	    {"https://ssl.tencentcloudapi.com", "ssl.tencentcloudapi.com"},
	    {"https://ssl.tencentcloudapi.com/", "ssl.tencentcloudapi.com"},
	    {"https://ssl.intl.tencentcloudapi.com", "ssl.intl.tencentcloudapi.com"},
	    {"HTTPS://Ssl.Example.COM", "Ssl.Example.COM"},
	    {"http://127.0.0.1:8080", "127.0.0.1:8080"},
	    {"http://127.0.0.1:8080/", "127.0.0.1:8080"},
	    {"http://localhost:1", "localhost:1"},
	    {"https://h:65535", "h:65535"},
	    {"https://[::1]", "[::1]"},
	    {"https://[::1]:8443/", "[::1]:8443"},
	    {"https://[2001:db8::1]:443", "[2001:db8::1]:443"},
	    {"http://my_host.internal", "my_host.internal"},
	    {"https://a-b.c-d.example", "a-b.c-d.example"},
	    {"ftp://ssl.tencentcloudapi.com", NULL},
	    {"ssl.tencentcloudapi.com", NULL},
	    {"https://", NULL},
	    {"https:///", NULL},
	    {"", NULL},
	    {"https://host/path", NULL},
	    {"https://host//", NULL},
	    {"https://host?x=1", NULL},
	    {"https://host/?x=1", NULL},
	    {"https://host#frag", NULL},
	    {"https://host:0", NULL},
	    {"https://host:65536", NULL},
	    {"https://host:", NULL},
	    {"https://host:80a", NULL},
	    {"https://host:+80", NULL},
	    {"https://host:1234567", NULL},
	    {"https://[::1", NULL},
	    {"https://[]", NULL},
	    {"https://[zz::1]", NULL},
	    {"https://[::1]x", NULL},
	    {"https://ho st", NULL},
	    {"https://host\r\nX: y", NULL},
	    {"https://-host.example", NULL},
	    {"https://host-.example", NULL},
	    {"https://a..b", NULL},
	    {"https://.host", NULL},
	    {"https://999.1.1.1", NULL},
	    {"https://1.2.3", NULL},
	    {"https://1.2.3.4", "1.2.3.4"},
	    {"http://h|x", NULL},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct endpoint ep;
		struct msg why = {"junk"};
		char name[64];
		snprintf(name, sizeof name, "%s", t[i].url);
		for (char *q = name; *q; q++)
			if (*q == '\r' || *q == '\n') *q = '?';
		enum endpoint_err rc = endpoint_parse(t[i].url, &ep, &why);
		if (t[i].host) {
			is_int(rc, ENDPOINT_OK, "endpoint accepted: %s", name);
			is_str(ep.host, t[i].host, "endpoint host: %s", name);
		} else {
			is_int(rc, ENDPOINT_ERR_BAD, "endpoint rejected: %s", name);
			ok(strncmp(why.text, "bad --endpoint URL: ", 20) == 0 && !ep.host[0],
			   "message for %s: %.300s", name, why.text);
		}
	}
}

static void test_default_and_url(void)
{
	static const struct {
		const char *text, *url;
		int https;
	} t[] = {
	    {.text = NULL, .url = "https://ssl.tencentcloudapi.com/", .https = 1},
	    {.text = "HTTP://127.0.0.1:8080", .url = "http://127.0.0.1:8080/", .https = 0},
	    {.text = "https://[::1]:8443/", .url = "https://[::1]:8443/", .https = 1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct endpoint ep;
		is_int(endpoint_parse(t[i].text, &ep, NULL), ENDPOINT_OK, "parsed: %s",
		       t[i].text ? t[i].text : "(default)");
		is_str(ep.url, t[i].url, "url of %s", t[i].text ? t[i].text : "(default)");
		is_int(ep.https, t[i].https, "scheme of %s", t[i].text ? t[i].text : "(default)");
	}
	char big[600];
	memset(big, 'a', sizeof big);
	memcpy(big, "https://", 8);
	big[sizeof big - 1] = '\0';
	struct endpoint ep;
	struct msg why;
	ok(endpoint_parse(big, &ep, &why) == ENDPOINT_ERR_BAD, "overlong host refused");
	ok(strlen(why.text) < MSG_MAX && strstr(why.text, "too long"), "and says so: %.80s",
	   why.text);
}

/* user info: refused by name, the URL (it may hold a password) never echoed */
static void test_user_info(void)
{
	static const struct {
		const char *url, *opt;
	} t[] = {
	    {.url = "http://u:SEKRITpw@127.0.0.1/", .opt = "--endpoint"},
	    {.url = "https://u:SEKRITpw@host", .opt = "--endpoint"},
	    {.url = "https://SEKRITpw@host:443/", .opt = "--endpoint"},
	    {.url = "https://u:SEKRIT pw@[::1]:8443", .opt = "--endpoint"},
	    {.url = "http://u:SEK/RITpw@host/", .opt = "--endpoint"}, /* '@' past a '/' */
	    {.url = "ftp://u:SEKRITpw@host", .opt = "--endpoint"},    /* before the scheme check */
	    {.url = "u:SEKRITpw@host", .opt = "--endpoint"},
	    {.url = "http://u:SEKRITpw@127.0.0.1:1/", .opt = "--sts-endpoint"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct endpoint ep;
		struct msg why = {"junk"}, want;
		msg_set(&want, "%s must not contain user info (user:password@)", t[i].opt);
		is_int(endpoint_parse_opt(t[i].url, t[i].opt, &ep, &why), ENDPOINT_ERR_BAD,
		       "user info refused: %zu", i);
		is_str(why.text, want.text, "%zu: says so", i);
		ok(!strstr(why.text, "SEK") && !ep.host[0], "%zu: the URL is not echoed", i);
	}
	struct endpoint ep;
	struct msg why;
	is_int(endpoint_parse_opt("https://host/x", "--sts-endpoint", &ep, &why), ENDPOINT_ERR_BAD,
	       "--sts-endpoint: a path refused");
	is_str(why.text,
	       "bad --sts-endpoint URL: https://host/x (only scheme, host and port allowed)",
	       "... named as --sts-endpoint's");
}

int main(void)
{
	test_endpoint();
	test_default_and_url();
	test_user_info();
	return tap_done();
}
