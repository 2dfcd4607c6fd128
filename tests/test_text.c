/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/text: the blank trimmer and the INI line reader creds.c and extraopts.c share. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "text.h"

static const struct {
	const char *in, *want;
} trims[] = {
    {.in = "", .want = ""},
    {.in = " \t\r\v\f", .want = ""},
    {.in = "  a b \t", .want = "a b"},
    {.in = "\nx\n", .want = "\nx\n"}, /* a newline is not a blank */
    {.in = "abc", .want = "abc"},
};

int main(void)
{
	for (size_t i = 0; i < sizeof trims / sizeof trims[0]; i++) {
		const char *p = trims[i].in;
		size_t n = strlen(p);
		text_trim(&p, &n);
		char got[64];
		snprintf(got, sizeof got, "%.*s", (int)n, p);
		is_str(got, trims[i].want, "trim %zu", i);
	}

	/* blank lines and both comment marks are passed over, yet counted */
	const char ini[] = "\n# c\n  ; c\n [a] \r\n\t k = v\nlast";
	const char *want[] = {"[a]", "k = v", "last"};
	const int want_line[] = {4, 5, 6};
	size_t pos = 0, n, k = 0;
	int line = 0;
	const char *l;
	while (text_ini_line(ini, sizeof ini - 1, &pos, &line, &l, &n)) {
		char got[64];
		snprintf(got, sizeof got, "%.*s", (int)n, l);
		if (k < 3) {
			is_str(got, want[k], "ini line %zu", k);
			is_int(line, want_line[k], "ini line %zu's number", k);
		}
		k++;
	}
	is_int((int)k, 3, "ini lines read");
	is_int(line, 6, "every line counted");
	is_int((int)pos, (int)(sizeof ini - 1), "at the end");
	return tap_done();
}
