/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Secrets in echoed text: whole, cut, in another case, and signatures. */
#include "config.h"

#include <string.h>

#include "redact.h"
#include "tap.h"

#define KEY   "mockSecretKeyEXAMPLE000000000000"
#define TOKEN "tokABCDEFGH0123456789"
#define SIG   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct {
	const char *in, *want;
} t[] = {
    {.in = "nothing here", .want = "nothing here"},
    {.in = "key " KEY " end", .want = "key <redacted> end"},
    {.in = "KEY MOCKSECRETKEYEXAMPLE000000000000!", .want = "KEY <redacted>!"},
    {.in = "cut "
           "mockSecr",
     .want = "cut <redacted>"},
    {.in = "cut mockSec", .want = "cut mockSec"}, /* 7 bytes: too short to tell */
    {.in = "token " TOKEN ", again tokABCDEFGH", .want = "token <redacted>, again <redacted>"},
    {.in = "Signature=" SIG ", x", .want = "Signature=<redacted>, x"},
    {.in = "SIGNATURE=0123456789ABCDEF", .want = "SIGNATURE=<redacted>"},
    {.in = "sig " SIG, .want = "sig <redacted>"},
    {.in = "sig 0123456789ABCDEF", .want = "sig <redacted>"},
    {.in = "short pw: abc and abc", .want = "short pw: <redacted> and <redacted>"},
};

int main(void)
{
	struct redact r;
	redact_init(&r);
	redact_add(&r, KEY);
	redact_add(&r, TOKEN);
	redact_add(&r, SIG);
	redact_add(&r, "abc");
	redact_add(&r, NULL);
	redact_add(&r, "");
	is_int(r.n, 5, "NULL is ignored, an empty buffer kept for later");
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s", t[i].in);
		redact_text(&r, buf, sizeof buf);
		is_str(buf, t[i].want, "%zu: %s", i, t[i].want);
	}
	/* the mark is longer than a short secret: never past the buffer */
	char small[12] = "abcabcabca";
	redact_text(&r, small, sizeof small);
	ok(strlen(small) < sizeof small && strncmp(small, "<redacted>", 10) == 0, "cut to fit: %s",
	   small);
	char line[64] = "a\nb\r" KEY;
	redact_line(&r, line, sizeof line);
	is_str(line, "a b <redacted>", "a log line: one line, redacted");
	return tap_done();
}
