/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The proxy's name and shown form, its password, credentials blanked from an
 * argument, and --proxy-user-file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proxy.h"
#include "tap.h"

static const struct {
	const char *url, *name, *shown, *password; /* name NULL: refused */
} t[] = {
    {.url = "http://127.0.0.1:3128",
     .name = "127.0.0.1:3128",
     .shown = "http://127.0.0.1:3128",
     .password = ""},
    {.url = "127.0.0.1:3128",
     .name = "127.0.0.1:3128",
     .shown = "http://127.0.0.1:3128",
     .password = ""},
    {.url = "http://proxy.example",
     .name = "proxy.example:1080",
     .shown = "http://proxy.example:1080",
     .password = ""},
    {.url = "https://proxy.example/",
     .name = "proxy.example:443",
     .shown = "https://proxy.example:443",
     .password = ""},
    {.url = "http://alice:s3cret@10.0.0.1:8080",
     .name = "10.0.0.1:8080",
     .shown = "http://alice@10.0.0.1:8080",
     .password = "s3cret"},
    {.url = "http://bob@[::1]:3128",
     .name = "[::1]:3128",
     .shown = "http://bob@[::1]:3128",
     .password = ""},
    {.url = "http://[::1]", .name = "[::1]:1080", .shown = "http://[::1]:1080", .password = ""},
    {.url = "socks5://u:p:q@h:1", .name = "h:1", .shown = "socks5://u@h:1", .password = "p:q"},
    /* user info up to the last '@', password from the first ':' */
    {.url = "http://u:SEK/RIT@127.0.0.1:1",
     .name = "127.0.0.1:1",
     .shown = "http://u@127.0.0.1:1",
     .password = "SEK/RIT"},
    {.url = "http://u:S?E#K@h:1", .name = "h:1", .shown = "http://u@h:1", .password = "S?E#K"},
    {.url = "http://u@x:SEKRIT@h:1",
     .name = "h:1",
     .shown = "http://u@x@h:1",
     .password = "SEKRIT"},
    {.url = "http://u:SEK RIT@h:1", .name = "h:1", .shown = "http://u@h:1", .password = "SEK RIT"},
    {.url = "ftp://u:SEKRIT@h:1", .name = "h:1", .shown = "ftp://u@h:1", .password = "SEKRIT"},
    {.url = "", .name = NULL, .password = ""},
    {.url = "http://", .name = NULL, .password = ""},
    {.url = "http://h\n", .name = NULL, .password = ""},
    /* refused, yet the password is found: the caller redacts it */
    {.url = "http://u:SEKRIT@", .name = NULL, .password = "SEKRIT"},
    {.url = "http://u:SEKRIT@h:1\t", .name = NULL, .password = "SEKRIT"},
};

static void test_parse(void)
{
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct proxy p;
		struct msg why = {""};
		enum proxy_err e = proxy_parse(t[i].url, &p, &why);
		if (!t[i].name) {
			is_int(e, PROXY_ERR_BAD, "refused: %zu", i);
			ok(strncmp(why.text, "bad --proxy value", 17) == 0, "says why: %.200s",
			   why.text);
			ok(!strstr(why.text, "SEK"), "%zu: no password in the message", i);
			is_str(p.password, t[i].password, "%zu: the password, to redact", i);
			continue;
		}
		is_int(e, PROXY_OK, "parsed: %s", t[i].url);
		is_str(p.name, t[i].name, "name of %s", t[i].url);
		is_str(p.shown, t[i].shown, "shown form of %s", t[i].url);
		is_str(p.password, t[i].password, "password of %s", t[i].url);
		proxy_wipe(&p);
	}
}

static void test_blank(void)
{
	static const struct {
		const char *in, *out;
	} b[] = {
	    {.in = "http://alice:s3cret@127.0.0.1:3128", .out = "http://127.0.0.1:3128"},
	    {.in = "alice:pw@h:1/", .out = "h:1/"},
	    {.in = "http://127.0.0.1:3128", .out = "http://127.0.0.1:3128"},
	    {.in = "http://u:p/w@h:1", .out = "http://h:1"},
	};
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
		char arg[128];
		size_t n = strlen(b[i].in);
		memcpy(arg, b[i].in, n + 1);
		proxy_blank_credentials(arg);
		is_str(arg, b[i].out, "blanked: %s", b[i].out);
		int clean = 1;
		for (size_t k = strlen(arg); k <= n; k++)
			clean &= arg[k] == '\0';
		ok(clean, "the freed bytes are NUL: %s", b[i].out);
	}
}

static void test_user_file(void)
{
	static const struct {
		const char *content;
		size_t len;       /* 0: strlen(content) */
		const char *want; /* NULL: refused with why */
		const char *why;
	} f[] = {
	    {.content = "alice:s3cret\n", .want = "alice:s3cret"},
	    {.content = "alice:s3cret\r\nmore\n", .want = "alice:s3cret"},
	    {.content = "alice:", .want = "alice:"},
	    {.content = "alice:pw", .want = "alice:pw"}, /* no newline: nothing read past it */
	    {.content = "\n", .why = "the first line is empty"},
	    {.content = "nocolon\n", .why = "the first line must be user:password"},
	    {.content = "a:b\tc\n", .why = "the first line has a control character"},
	    {.content = "alice:s3c\0ret\n", .len = 14, .why = "contains a NUL byte"},
	};
	char path[] = "/tmp/test_proxy_XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0, "a temporary file");
	for (size_t i = 0; fd >= 0 && i < sizeof f / sizeof f[0]; i++) {
		FILE *w = fopen(path, "w");
		fwrite(f[i].content, 1, f[i].len ? f[i].len : strlen(f[i].content), w);
		fclose(w);
		char up[PROXY_MAX_USERPWD];
		struct msg why = {""}, warn = {""};
		enum proxy_err e = proxy_read_user_file(path, up, sizeof up, &why, &warn);
		if (f[i].want) {
			is_int(e, PROXY_OK, "read %zu", i);
			is_str(up, f[i].want, "user:password %zu", i);
		} else {
			is_int(e, PROXY_ERR_FILE, "refused %zu", i);
			is_str(up, "", "%zu: nothing returned", i);
			ok(strstr(why.text, f[i].why) != NULL, "%zu: %.200s", i, why.text);
			ok(!strstr(why.text, "nocolon") && !strstr(why.text, "s3c"),
			   "%zu: the content is not echoed", i);
		}
		is_str(warn.text, "", "%zu: mode 0600: no warning", i);
	}
	if (fd >= 0) {
		/* readable by others: read, with a note for -v */
		FILE *w = fopen(path, "w");
		fputs("alice:s3cret\n", w);
		fclose(w);
		chmod(path, 0644);
		char up[PROXY_MAX_USERPWD];
		struct msg why = {""}, warn = {""};
		is_int(proxy_read_user_file(path, up, sizeof up, &why, &warn), PROXY_OK,
		       "mode 0644: read");
		ok(strstr(warn.text, "readable by group or others") != NULL, "... with a note: %s",
		   warn.text);
		ok(!strstr(warn.text, "s3cret"), "... not showing the password");
		close(fd);
		unlink(path);
	}
	/* a FIFO nobody writes to: refused at once, not waited on until -t */
	char fifo[] = "/tmp/test_proxy_fifo_XXXXXX";
	int tfd = mkstemp(fifo);
	if (tfd >= 0) {
		close(tfd);
		unlink(fifo);
	}
	ok(tfd >= 0 && mkfifo(fifo, 0600) == 0, "a FIFO");
	{
		char up[PROXY_MAX_USERPWD];
		struct msg why = {""};
		alarm(10); /* without O_NONBLOCK open() would block here for ever */
		is_int(proxy_read_user_file(fifo, up, sizeof up, &why, NULL), PROXY_ERR_FILE,
		       "a FIFO is refused");
		alarm(0);
		ok(strstr(why.text, "not a regular file") != NULL, "says so: %.200s", why.text);
		unlink(fifo);
	}
	char up[PROXY_MAX_USERPWD];
	struct msg why;
	is_int(proxy_read_user_file("/nonexistent/x", up, sizeof up, &why, NULL), PROXY_ERR_FILE,
	       "a missing file");
	ok(strncmp(why.text, "--proxy-user-file: ", 19) == 0 && strstr(why.text, "No such file"),
	   "says so: %.200s", why.text);
}

int main(void)
{
	test_parse();
	test_blank();
	test_user_file();
	return tap_done();
}
