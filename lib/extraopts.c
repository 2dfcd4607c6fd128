/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "extraopts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secfile.h"
#include "secret.h"
#include "text.h"

static const char *const ini_names[] = {"monitoring-plugins.ini", "plugins.ini",
                                        "nagios-plugins.ini"};
static const char *const ini_paths[] = {
    "/usr/local/etc/monitoring-plugins/monitoring-plugins.ini",
    "/usr/local/etc/monitoring-plugins.ini",
    "/etc/monitoring-plugins/monitoring-plugins.ini",
    "/etc/monitoring-plugins.ini",
    "/etc/nagios/plugins.ini",
    "/usr/local/nagios/etc/plugins.ini",
    "/usr/local/etc/nagios/plugins.ini",
    "/etc/opt/nagios/plugins.ini",
    "/etc/nagios-plugins.ini",
    "/usr/local/etc/nagios-plugins.ini",
    "/etc/opt/nagios-plugins.ini",
};

void extraopts_default_file(char *out, size_t cap)
{
	const char *env = getenv("MP_CONFIG_FILE");
	out[0] = '\0';
	if (env && env[0]) {
		snprintf(out, cap, "%s", env);
		return;
	}
	const char *dirs = getenv("NAGIOS_CONFIG_PATH");
	while (dirs && *dirs) {
		size_t n = strcspn(dirs, ":");
		for (size_t i = 0; n > 0 && i < sizeof ini_names / sizeof ini_names[0]; i++) {
			int w = snprintf(out, cap, "%.*s/%s", (int)n, dirs, ini_names[i]);
			if (w > 0 && (size_t)w < cap && access(out, F_OK) == 0) return;
		}
		dirs += n;
		if (*dirs == ':') dirs++;
	}
	for (size_t i = 0; i < sizeof ini_paths / sizeof ini_paths[0]; i++) {
		if (access(ini_paths[i], F_OK) == 0) {
			snprintf(out, cap, "%s", ini_paths[i]);
			return;
		}
	}
	out[0] = '\0';
}

static int push(struct extraopts *x, const char *a, size_t an, const char *b, size_t bn)
{
	if (x->argc >= EXTRAOPTS_MAX_ARGS) return -1;
	char *s = malloc(an + bn + 1);
	if (!s) return -1;
	memcpy(s, a, an);
	memcpy(s + an, b, bn);
	s[an + bn] = '\0';
	x->argv[x->argc++] = s;
	return 0;
}

static int name_ok(const char *k, size_t n)
{
	if (n == 0 || k[0] == '-') return 0;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
	}
	return 1;
}

enum extraopts_err extraopts_parse(const char *text, size_t len, struct extraopts *x,
                                   struct msg *why)
{
	size_t slen = strlen(x->section), pos = 0;
	int line = 0, in = 0, seen = 0, any_section = 0;

	const char *l;
	size_t n;
	while (text_ini_line(text, len, &pos, &line, &l, &n)) {
		if (l[0] == '[') {
			if (l[n - 1] != ']') goto syntax;
			const char *s = l + 1;
			size_t sn = n - 2;
			text_trim(&s, &sn);
			any_section = 1;
			in = sn == slen && memcmp(s, x->section, slen) == 0;
			seen |= in;
			continue;
		}
		if (!any_section) {
			msg_set(why, "--extra-opts: %s line %d: an option before any [section]",
			        x->path, line);
			return EXTRAOPTS_ERR;
		}
		if (!in) continue;
		const char *eq = memchr(l, '=', n);
		if (!eq) {
			msg_set(why,
			        "--extra-opts: %s line %d: expected option = value (a flag is "
			        "written 'flag =')",
			        x->path, line);
			return EXTRAOPTS_ERR;
		}
		const char *k = l, *v = eq + 1;
		size_t kn = (size_t)(eq - l), vn = n - kn - 1;
		text_trim(&k, &kn);
		text_trim(&v, &vn);
		if (!name_ok(k, kn)) goto syntax;
		if (kn == 10 && memcmp(k, "extra-opts", 10) == 0) {
			msg_set(why, "--extra-opts: %s line %d: extra-opts cannot be nested",
			        x->path, line);
			return EXTRAOPTS_ERR;
		}
		for (size_t i = 0; i < vn; i++)
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) goto syntax;
		int bad;
		char dash[3] = "--";
		if (kn == 1) {
			dash[1] = k[0];
			/* one element, "-w30": one argument per INI option */
			bad = push(x, dash, 2, v, vn);
		} else {
			char opt[EXTRAOPTS_MAX_SECTION + 3];
			if (kn > EXTRAOPTS_MAX_SECTION) goto syntax;
			snprintf(opt, sizeof opt, "--%.*s%s", (int)kn, k, vn ? "=" : "");
			bad = push(x, opt, strlen(opt), v, vn);
		}
		if (bad) {
			msg_set(why, "--extra-opts: more than %d arguments from %s",
			        EXTRAOPTS_MAX_ARGS, x->path);
			return EXTRAOPTS_ERR;
		}
	}
	if (!seen) {
		msg_set(why, "--extra-opts: no section [%s] in %s", x->section, x->path);
		return EXTRAOPTS_ERR;
	}
	return EXTRAOPTS_OK;
syntax:
	/* The line itself is not quoted: it may hold a secret. */
	msg_set(why, "--extra-opts: %s line %d: expected [section] or option = value", x->path,
	        line);
	return EXTRAOPTS_ERR;
}

enum extraopts_err extraopts_read(const char *locator, const char *default_section,
                                  struct extraopts *x, struct msg *why, struct msg *warn)
{
	memset(x, 0, sizeof *x);
	const char *loc = locator ? locator : "";
	size_t sn = strcspn(loc, "@");
	if (sn >= sizeof x->section) {
		msg_set(why, "--extra-opts: the section name is longer than %d bytes",
		        EXTRAOPTS_MAX_SECTION - 1);
		return EXTRAOPTS_ERR;
	}
	if (sn)
		snprintf(x->section, sizeof x->section, "%.*s", (int)sn, loc);
	else
		snprintf(x->section, sizeof x->section, "%s", default_section);
	for (const char *c = x->section; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '[' || *c == ']') {
			msg_set(why, "--extra-opts: bad section name");
			return EXTRAOPTS_ERR;
		}
	if (loc[sn] == '@') {
		if (!loc[sn + 1]) {
			msg_set(why, "--extra-opts: no file after '@'");
			return EXTRAOPTS_ERR;
		}
		if (strcmp(loc + sn + 1, "-") == 0) {
			msg_set(why, "--extra-opts: reading standard input (@-) is not supported");
			return EXTRAOPTS_ERR;
		}
		if (strlen(loc + sn + 1) >= sizeof x->path) {
			msg_set(why, "--extra-opts: the file name is too long");
			return EXTRAOPTS_ERR;
		}
		snprintf(x->path, sizeof x->path, "%s", loc + sn + 1);
	} else {
		extraopts_default_file(x->path, sizeof x->path);
		if (!x->path[0]) {
			msg_set(why, "--extra-opts: no INI file in any standard location (set "
			             "MP_CONFIG_FILE or give @FILE)");
			return EXTRAOPTS_ERR;
		}
	}
	char *buf = malloc((size_t)SECFILE_MAX + 1);
	if (!buf) {
		msg_set(why, "out of memory");
		return EXTRAOPTS_ERR;
	}
	size_t len = 0;
	struct msg m;
	enum extraopts_err rc = EXTRAOPTS_OK;
	if (secfile_read(x->path, buf, &len, &m, warn) != SECFILE_OK) {
		msg_set(why, "--extra-opts: %s", m.text);
		rc = EXTRAOPTS_ERR;
	} else {
		rc = extraopts_parse(buf, len, x, why);
	}
	secret_wipe(buf, (size_t)SECFILE_MAX + 1);
	free(buf);
	if (rc != EXTRAOPTS_OK) extraopts_free(x);
	return rc;
}

void extraopts_free(struct extraopts *x)
{
	for (int i = 0; i < x->argc; i++) {
		secret_wipe(x->argv[i], strlen(x->argv[i]));
		free(x->argv[i]);
		x->argv[i] = NULL;
	}
	x->argc = 0;
}
