#include "config.h"

#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "secret.h"
#include "text.h"

/* Where host[:port] starts in a URL, and the length of user info before it. */
static const char *authority(const char *s, size_t *scheme_len, size_t *userinfo_len)
{
	const char *p = strstr(s, "://");
	*scheme_len = p ? (size_t)(p + 3 - s) : 0;
	const char *a = s + *scheme_len;
	size_t end = strcspn(a, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < end; i++)
		if (a[i] == '@') at = a + i;
	*userinfo_len = at ? (size_t)(at + 1 - a) : 0;
	return a + *userinfo_len;
}

enum proxy_err proxy_parse(const char *text, struct proxy *p, struct msg *why)
{
	memset(p, 0, sizeof *p);
	if (!text_printable(text, PROXY_MAX_URL)) {
		msg_set(why, "bad --proxy value (1 to %d bytes, no control characters)",
		        PROXY_MAX_URL);
		return PROXY_ERR_BAD;
	}
	snprintf(p->url, sizeof p->url, "%s", text);
	size_t sl, ul;
	const char *host = authority(text, &sl, &ul);
	size_t hl = strcspn(host, "/?#");
	if (hl == 0) {
		msg_set(why, "bad --proxy value (no host)");
		return PROXY_ERR_BAD;
	}
	/* the port is what follows the last ':' outside [IPv6] brackets */
	const char *close = memchr(host, ']', hl);
	const char *colon = NULL;
	for (const char *q = close ? close : host; q < host + hl; q++)
		if (*q == ':') colon = q;
	int https = sl == 8 && strncasecmp(text, "https://", 8) == 0;
	if (colon)
		snprintf(p->name, sizeof p->name, "%.*s", (int)hl, host);
	else
		snprintf(p->name, sizeof p->name, "%.*s:%d", (int)hl, host, https ? 443 : 1080);
	const char *user = text + sl;
	size_t uname = ul ? strcspn(user, ":@") : 0;
	if (ul > uname + 1 && user[uname] == ':')
		snprintf(p->password, sizeof p->password, "%.*s", (int)(ul - uname - 2),
		         user + uname + 1);
	snprintf(p->shown, sizeof p->shown, "%.*s%.*s%s%s", (int)(sl ? sl : 7),
	         sl ? text : "http://", (int)uname, user, uname ? "@" : "", p->name);
	return PROXY_OK;
}

enum proxy_err proxy_read_user_file(const char *path, char *userpwd, size_t cap, struct msg *why)
{
	char buf[PROXY_MAX_FILE + 1];
	userpwd[0] = '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		msg_set(why, "cannot read --proxy-user-file %.300s: %s", path, strerror(errno));
		return PROXY_ERR_FILE;
	}
	ssize_t n = read(fd, buf, sizeof buf);
	int err = errno;
	close(fd);
	if (n < 0 || n > PROXY_MAX_FILE) {
		secret_wipe(buf, sizeof buf);
		msg_set(why, "cannot read --proxy-user-file %.300s: %s", path,
		        n < 0 ? strerror(err) : "larger than 4 KiB");
		return PROXY_ERR_FILE;
	}
	size_t len = strcspn(buf, "\n");
	if ((size_t)n < len) len = (size_t)n;
	if (len && buf[len - 1] == '\r') len--;
	buf[len] = '\0';
	const char *bad = NULL;
	if (len == 0)
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
