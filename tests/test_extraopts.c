/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --extra-opts: the INI section into arguments (flags, short options, values
 * with '=' and spaces, comments, errors that never quote a line), and the
 * locator: [SECTION][@FILE], MP_CONFIG_FILE, NAGIOS_CONFIG_PATH, file hygiene. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extraopts.h"
#include "tap.h"

#define SECRET "S3cretVa1ue"

static const struct {
	const char *name, *section, *text;
	int ok;
	const char *args; /* the arguments joined by '|', or a substring of the error */
} cases[] = {
    {.name = "options, flag, short option, comments",
     .section = "check_x",
     .text = "# c\n; c\n[check_x]\nsecret-id = AKID\n  secret-key=" SECRET "\nbound-only =\n"
             "w = 10\nv=\n",
     .ok = 1,
     .args = "--secret-id=AKID|--secret-key=" SECRET "|--bound-only|-w10|-v"},
    {.name = "only the wanted section, repeated keys kept",
     .section = "b",
     .text = "[a]\nx = 1\n[b]\ndomain = *.a\n[a]\ny = 2\n[ b ]\ndomain = *.b\n",
     .ok = 1,
     .args = "--domain=*.a|--domain=*.b"},
    {.name = "values keep '=', inner spaces; CRLF",
     .section = "s",
     .text = "[s]\r\ntag = env=prod\r\nsearch-key =  a b  \r\n",
     .ok = 1,
     .args = "--tag=env=prod|--search-key=a b"},
    {.name = "an empty section is fine",
     .section = "s",
     .text = "[s]\n[t]\nx=1\n",
     .ok = 1,
     .args = ""},
    {.name = "section missing",
     .section = "nope",
     .text = "[s]\nx=1\n",
     .ok = 0,
     .args = "no section [nope] in f.ini"},
    {.name = "a line without '=' is not quoted",
     .section = "s",
     .text = "[s]\n" SECRET "\n",
     .ok = 0,
     .args = "f.ini line 2: expected option = value"},
    {.name = "option before any section",
     .section = "s",
     .text = "x = 1\n[s]\n",
     .ok = 0,
     .args = "line 1: an option before any [section]"},
    {.name = "bad option name",
     .section = "s",
     .text = "[s]\n--x = 1\n",
     .ok = 0,
     .args = "line 2: expected [section] or option = value"},
    {.name = "option name with a space",
     .section = "s",
     .text = "[s]\na b = 1\n",
     .ok = 0,
     .args = "line 2:"},
    {.name = "unterminated section",
     .section = "s",
     .text = "[s\nx=1\n",
     .ok = 0,
     .args = "line 1:"},
    {.name = "nested --extra-opts",
     .section = "s",
     .text = "[s]\nextra-opts = t@x\n",
     .ok = 0,
     .args = "extra-opts cannot be nested"},
    {.name = "a control character in a value",
     .section = "s",
     .text = "[s]\nx = a\x01\n",
     .ok = 0,
     .args = "line 2:"},
    {.name = "other sections are other plugins' business (as in Monitoring Plugins)",
     .section = "s",
     .text = "[t]\n" SECRET "\n[s]\nxy=1\n",
     .ok = 1,
     .args = "--xy=1"},
};

static void join(const struct extraopts *x, char *out, size_t cap)
{
	out[0] = '\0';
	for (int i = 0; i < x->argc; i++) {
		size_t n = strlen(out);
		snprintf(out + n, cap - n, "%s%s", i ? "|" : "", x->argv[i]);
	}
}

static void put(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct extraopts x = {.argc = 0};
		struct msg why = {""};
		char got[1024];
		snprintf(x.path, sizeof x.path, "f.ini");
		snprintf(x.section, sizeof x.section, "%s", cases[i].section);
		enum extraopts_err rc =
		    extraopts_parse(cases[i].text, strlen(cases[i].text), &x, &why);
		is_int(rc == EXTRAOPTS_OK, cases[i].ok, "%s: result (%s)", cases[i].name, why.text);
		if (cases[i].ok) {
			join(&x, got, sizeof got);
			is_str(got, cases[i].args, "%s: arguments", cases[i].name);
		} else {
			ok(strstr(why.text, cases[i].args) != NULL, "%s: '%s' has '%s'",
			   cases[i].name, why.text, cases[i].args);
			ok(!strstr(why.text, SECRET), "%s: no line quoted", cases[i].name);
		}
		extraopts_free(&x);
		is_int(x.argc, 0, "%s: freed", cases[i].name);
	}

	/* too many arguments */
	{
		static char text[16 * (EXTRAOPTS_MAX_ARGS + 2)];
		struct extraopts x = {.section = "s", .path = "f"};
		struct msg why;
		size_t n = (size_t)snprintf(text, sizeof text, "[s]\n");
		for (int i = 0; i <= EXTRAOPTS_MAX_ARGS; i++)
			n += (size_t)snprintf(text + n, sizeof text - n, "domain=%d\n", i);
		is_int(extraopts_parse(text, n, &x, &why), EXTRAOPTS_ERR, "more than %d arguments",
		       EXTRAOPTS_MAX_ARGS);
		ok(strstr(why.text, "more than") != NULL, "says so: %.200s", why.text);
		extraopts_free(&x);
	}

	/* the locator and the default files */
	char dir[] = "/tmp/test_extraopts.XXXXXX";
	if (!mkdtemp(dir)) return 2;
	char a[100], b[200], sub[100], loc[400];
	snprintf(a, sizeof a, "%s/a.ini", dir);
	snprintf(sub, sizeof sub, "%s/etc", dir);
	mkdir(sub, 0700);
	snprintf(b, sizeof b, "%s/plugins.ini", sub);
	put(a, "[check_x]\nwarning = 1\n[other]\nwarning = 2\n", 0600);
	put(b, "[check_x]\nwarning = 3\n", 0644);
	static const struct {
		const char *name, *loc, *mp, *ncp; /* "@A" = a.ini, "@D" = dir/etc */
		int ok;
		const char *want; /* first argument, or a substring of the error */
		int warns;
	} locs[] = {
	    {.name = "@FILE: default section", .loc = "@A", .ok = 1, .want = "--warning=1"},
	    {.name = "SECTION@FILE", .loc = "other@A", .ok = 1, .want = "--warning=2"},
	    {.name = "SECTION: MP_CONFIG_FILE",
	     .loc = "other",
	     .mp = "@A",
	     .ok = 1,
	     .want = "--warning=2"},
	    {.name = "alone: NAGIOS_CONFIG_PATH's plugins.ini, readable by others",
	     .loc = NULL,
	     .ncp = "/nonexistent::@D",
	     .ok = 1,
	     .want = "--warning=3",
	     .warns = 1},
	    {.name = "MP_CONFIG_FILE before NAGIOS_CONFIG_PATH",
	     .loc = "",
	     .mp = "@A",
	     .ncp = "@D",
	     .ok = 1,
	     .want = "--warning=1"},
	    {.name = "missing file", .loc = "@/nonexistent/x.ini", .ok = 0, .want = "cannot open"},
	    {.name = "'@' without a file", .loc = "s@", .ok = 0, .want = "no file after '@'"},
	    {.name = "standard input", .loc = "@-", .ok = 0, .want = "not supported"},
	    {.name = "a directory", .loc = "@D", .ok = 0, .want = "not a regular file"},
	};
	for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++) {
		struct extraopts x;
		struct msg why = {""}, warn = {""};
		char mp[400], ncp[400];
		const char *l = locs[i].loc;
		if (l) {
			const char *at = strchr(l, '@');
			if (at && (at[1] == 'A' || at[1] == 'D') && !at[2])
				snprintf(loc, sizeof loc, "%.*s@%s", (int)(at - l), l,
				         at[1] == 'A' ? a : sub);
			else
				snprintf(loc, sizeof loc, "%s", l);
			l = loc;
		}
		if (locs[i].mp) {
			snprintf(mp, sizeof mp, "%s", a);
			setenv("MP_CONFIG_FILE", mp, 1);
		} else {
			unsetenv("MP_CONFIG_FILE");
		}
		if (locs[i].ncp) {
			const char *d = strstr(locs[i].ncp, "@D");
			snprintf(ncp, sizeof ncp, "%.*s%s", (int)(d - locs[i].ncp), locs[i].ncp,
			         sub);
			setenv("NAGIOS_CONFIG_PATH", ncp, 1);
		} else {
			unsetenv("NAGIOS_CONFIG_PATH");
		}
		enum extraopts_err rc = extraopts_read(l, "check_x", &x, &why, &warn);
		is_int(rc == EXTRAOPTS_OK, locs[i].ok, "%s: result (%s)", locs[i].name, why.text);
		if (locs[i].ok)
			is_str(x.argc ? x.argv[0] : "", locs[i].want, "%s: options", locs[i].name);
		else
			ok(strstr(why.text, locs[i].want) != NULL, "%s: '%s'", locs[i].name,
			   why.text);
		is_int(strstr(warn.text, "readable by group or others") != NULL, locs[i].warns,
		       "%s: warning '%s'", locs[i].name, warn.text);
		extraopts_free(&x);
	}
	unlink(a);
	unlink(b);
	rmdir(sub);
	rmdir(dir);
	return tap_done();
}
