/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "proxy.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "secfile.h"
#include "secret.h"
#include "text.h"

/* Where host[:port] starts in a URL, and the length of user info before it:
 * up to the last '@' anywhere, not just before the first '/', '?' or '#', so
 * that a password holding those is still taken as one (and kept secret). */
static const char *authority(const char *s, size_t *scheme_len, size_t *userinfo_len)
{
	const char *p = strstr(s, "://");
	*scheme_len = p ? (size_t)(p + 3 - s) : 0;
	const char *a = s + *scheme_len;
	const char *at = strrchr(a, '@');
	*userinfo_len = at ? (size_t)(at + 1 - a) : 0;
	return a + *userinfo_len;
}

enum proxy_err proxy_parse(const char *text, struct proxy *p, struct msg *why)
{
	memset(p, 0, sizeof *p);
	/* The password first, even from a URL refused below: the caller redacts it
	 * (libcurl may still use an environment proxy, and echo it in its errors).
	 * The user name ends at the first ':', the password is all after it. */
	size_t sl, ul;
	const char *host = authority(text, &sl, &ul);
	const char *user = text + sl;
	const char *colon = ul ? memchr(user, ':', ul - 1) : NULL;
	size_t uname = colon ? (size_t)(colon - user) : ul ? ul - 1 : 0;
	if (colon)
		snprintf(p->password, sizeof p->password, "%.*s", (int)(ul - uname - 2), colon + 1);
	if (!text_printable(text, PROXY_MAX_URL)) {
		msg_set(why, "bad --proxy value (1 to %d bytes, no control characters)",
		        PROXY_MAX_URL);
		return PROXY_ERR_BAD;
	}
	snprintf(p->url, sizeof p->url, "%s", text);
	size_t hl = strcspn(host, "/?#");
	if (hl == 0) {
		msg_set(why, "bad --proxy value (no host)");
		return PROXY_ERR_BAD;
	}
	/* the port is what follows the last ':' outside [IPv6] brackets */
	const char *close = memchr(host, ']', hl);
	const char *pc = NULL;
	for (const char *q = close ? close : host; q < host + hl; q++)
		if (*q == ':') pc = q;
	int https = sl == 8 && strncasecmp(text, "https://", 8) == 0;
	if (pc)
		snprintf(p->name, sizeof p->name, "%.*s", (int)hl, host);
	else
		snprintf(p->name, sizeof p->name, "%.*s:%d", (int)hl, host, https ? 443 : 1080);
	snprintf(p->shown, sizeof p->shown, "%.*s%.*s%s%s", (int)(sl ? sl : 7),
	         sl ? text : "http://", (int)uname, user, uname ? "@" : "", p->name);
	return PROXY_OK;
}

enum proxy_err proxy_read_user_file(const char *path, char *userpwd, size_t cap, struct msg *why,
                                    struct msg *warn)
{
	/* static: SECFILE_MAX is too big for the stack; wiped before returning */
	static char buf[SECFILE_MAX + 1];
	size_t n;
	struct msg m;
	userpwd[0] = '\0';
	/* a regular file opened without blocking (a FIFO is refused), no NUL byte,
	 * a note when group or others may read it: as the key file */
	if (secfile_read(path, buf, &n, &m, warn) != SECFILE_OK) {
		secret_wipe(buf, sizeof buf);
		msg_set(why, "--proxy-user-file: %s", m.text);
		return PROXY_ERR_FILE;
	}
	const char *bad = NULL;
	const char *nl = memchr(buf, '\n', n);
	size_t len = nl ? (size_t)(nl - buf) : n;
	if (len && buf[len - 1] == '\r') len--;
	buf[len] = '\0'; /* len <= n <= SECFILE_MAX */
	if (n > PROXY_MAX_FILE)
		bad = "larger than 4 KiB";
	else if (len == 0)
		bad = "the first line is empty";
	else if (len >= cap || len > PROXY_MAX_USERPWD - 1)
		bad = "the first line is too long";
	else if (!text_printable(buf, len))
		bad = "the first line has a control character";
	else if (!strchr(buf, ':'))
		bad = "the first line must be user:password";
	if (!bad) memcpy(userpwd, buf, len + 1);
	secret_wipe(buf, sizeof buf);
	if (!bad) return PROXY_OK;
	msg_set(why, "bad --proxy-user-file %.300s: %s", path, bad);
	return PROXY_ERR_FILE;
}

void proxy_blank_credentials(char *arg)
{
	size_t sl, ul;
	char *host = (char *)authority(arg, &sl, &ul);
	if (!ul) return;
	size_t rest = strlen(host);
	memmove(arg + sl, host, rest + 1);
	secret_wipe(arg + sl + rest + 1, ul - 1);
}

void proxy_wipe(struct proxy *p)
{
	secret_wipe(p, sizeof *p);
}
