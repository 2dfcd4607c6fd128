/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "endpoint.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_alnum(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Host names: labels of letters, digits, '-' and '_' (seen on internal names),
 * no label empty or starting/ending with '-'; an all-numeric name must be an IPv4. */
static const char *check_hostname(const char *h, size_t n)
{
	if (n == 0) return "no host";
	if (n > 253) return "host name too long";
	size_t label = 0;
	int all_num = 1;
	for (size_t i = 0; i <= n; i++) {
		int ch = i < n ? (unsigned char)h[i] : '.';
		if (ch == '.') {
			if (label == 0) return "empty label in host name";
			if (h[i - 1] == '-' || h[i - label] == '-') return "bad host name";
			label = 0;
			continue;
		}
		if (!is_alnum(ch) && ch != '-' && ch != '_') return "bad character in host name";
		if (!(ch >= '0' && ch <= '9')) all_num = 0;
		if (++label > 63) return "host name label too long";
	}
	if (all_num) {
		char tmp[64];
		unsigned char a[4];
		if (n >= sizeof tmp) return "bad IPv4 address";
		memcpy(tmp, h, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET, tmp, a) != 1) return "bad IPv4 address";
	}
	return NULL;
}

static const char *check_ipv6(const char *p, const char **end)
{
	const char *close = strchr(p, ']');
	char tmp[64];
	unsigned char a[16];
	size_t n = close ? (size_t)(close - p - 1) : 0;
	if (!close || n == 0 || n >= sizeof tmp) return "bad IPv6 address";
	memcpy(tmp, p + 1, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET6, tmp, a) != 1) return "bad IPv6 address";
	*end = close + 1;
	return NULL;
}

/* ":port" at *p, if any; advances *p past it. */
static const char *check_port(const char **pp)
{
	const char *p = *pp;
	if (*p != ':') return NULL;
	const char *d = ++p;
	long port = 0;
	while (*p >= '0' && *p <= '9' && p - d < 6)
		port = port * 10 + (*p++ - '0');
	if (p == d || port < 1 || port > 65535 || (*p >= '0' && *p <= '9')) return "bad port";
	*pp = p;
	return NULL;
}

/* The reason text is NULL, or why the URL is bad; *host/n the host[:port] part. */
static const char *split(const char *text, int *https, const char **host, size_t *n)
{
	const char *p, *why;
	if (!*text) return "empty";
	if (strncasecmp(text, "https://", 8) == 0) {
		*https = 1;
		p = text + 8;
	} else if (strncasecmp(text, "http://", 7) == 0) {
		*https = 0;
		p = text + 7;
	} else {
		return "scheme must be http or https";
	}
	*host = p;
	if (*p == '[') {
		if ((why = check_ipv6(p, &p))) return why;
	} else {
		p += strcspn(p, ":/?#@[]");
		if ((why = check_hostname(*host, (size_t)(p - *host)))) return why;
	}
	if ((why = check_port(&p))) return why;
	*n = (size_t)(p - *host);
	if (*p == '/') p++;
	if (*p) return "only scheme, host and port allowed";
	if (*n >= TC3_MAX_HOST) return "host too long";
	return NULL;
}

enum endpoint_err endpoint_parse_opt(const char *text, const char *opt, struct endpoint *ep,
                                     struct msg *why)
{
	const char *host = NULL;
	size_t n = 0;
	int https = 0;
	memset(ep, 0, sizeof *ep);
	if (!text) text = ENDPOINT_DEFAULT;
	/* Any '@' (an endpoint has none): the text may hold a password, not echoed. */
	if (strchr(text, '@')) {
		msg_set(why, "%s must not contain user info (user:password@)", opt);
		return ENDPOINT_ERR_BAD;
	}
	const char *bad = split(text, &https, &host, &n);
	if (bad) {
		msg_set(why, "bad %s URL: %.200s (%s)", opt, text, bad);
		return ENDPOINT_ERR_BAD;
	}
	ep->https = https;
	memcpy(ep->host, host, n);
	ep->host[n] = '\0';
	snprintf(ep->url, sizeof ep->url, "%s://%s/", https ? "https" : "http", ep->host);
	return ENDPOINT_OK;
}

enum endpoint_err endpoint_parse(const char *text, struct endpoint *ep, struct msg *why)
{
	return endpoint_parse_opt(text, "--endpoint", ep, why);
}
