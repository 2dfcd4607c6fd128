/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --extra-opts in the plugin (extra.h). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extra.h"
#include "extraopts.h"
#include "help.h"
#include "msg.h"
#include "options.h"
#include "output.h"
#include "secret.h"
#include "state.h"

/* --extra-opts: the options of INI sections (each --extra-opts in order, as
 * Monitoring Plugins do) go before the command line's. The command line wins:
 * an INI option is dropped when the command line gives it, or an option that
 * excludes it (a credential route is taken whole). Found by a first getopt
 * pass over a copy of argv, so a value that looks like an option is not one. */
#define MAX_EXTRA 8
#define OPT_CODES (OPT_EXTRA_OPTS + 1)
static struct extraopts extra[MAX_EXTRA];
static int n_extra;
static struct msg extra_warn[MAX_EXTRA];
static char extra_dropped[512]; /* names of the INI options the command line overrode */
static char extra_route[EXTRAOPTS_MAX_PATH + 16]; /* "--extra-opts FILE" of the credentials */
static char **volatile extra_argv; /* the new argv, kept reachable for the process's life */

/* Options that exclude each other: giving one on the command line drops all. */
static int opt_group(int code)
{
	switch (code) {
	case OPT_SECRET_ID:
	case OPT_SECRET_KEY:
	case OPT_SECRET_KEY_FILE:
	case OPT_PROFILE:
	case OPT_CREDENTIALS_FILE:
	case OPT_CVM_ROLE:
		return 1;
	case OPT_INCLUDE_REPLACED:
	case OPT_EXCLUDE_REPLACED:
		return 2;
	default:
		return 0;
	}
}

/* The long_options entry of one INI argument ("--name[=v]" or "-Xv"), or NULL. */
static const struct option *extra_option(const char *arg)
{
	if (arg[0] == '-' && arg[1] && arg[1] != '-') {
		for (const struct option *o = long_options; o->name; o++)
			if (o->val == (unsigned char)arg[1]) return o;
		return NULL;
	}
	const char *n = arg + 2;
	size_t len = strcspn(n, "=");
	for (const struct option *o = long_options; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, n, len) == 0) return o;
	return NULL;
}

static void extra_fail(const struct extraopts *x, const char *fmt, const char *name)
{
	char text[MSG_MAX];
	snprintf(text, sizeof text, fmt, name);
	usage_error("--extra-opts: [%s] in %s: %s", x->section, x->path, text);
}

char **expand_extra_opts(int *argc, char **argv)
{
	char **copy = calloc((size_t)*argc + 1, sizeof *copy);
	const char *loc[MAX_EXTRA];
	unsigned char given[OPT_CODES] = {0}, group_given[3] = {0};
	int n = 0, opt;
	if (!copy) return argv;
	memcpy(copy, argv, (size_t)*argc * sizeof *copy);
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(*argc, copy, ":hVvw:c:t:", long_options, NULL)) != -1) {
		if (opt == OPT_EXTRA_OPTS) {
			if (n >= MAX_EXTRA)
				usage_error("--extra-opts given more than %d times", MAX_EXTRA);
			loc[n++] = optarg;
		} else if (opt > 0 && opt < OPT_CODES) {
			given[opt] = 1;
			group_given[opt_group(opt)] = 1;
		}
	}
	free(copy);
	optind = 0;
	if (n == 0) return argv;
	int total = 0;
	for (int i = 0; i < n; i++) {
		struct msg why = {""};
		if (extraopts_read(loc[i], PROGNAME, &extra[i], &why, &extra_warn[i]) !=
		    EXTRAOPTS_OK) {
			out_error(stdout, TC_UNKNOWN, why.text);
			exit(TC_UNKNOWN);
		}
		n_extra = i + 1;
		total += extra[i].argc;
	}
	char **nv = calloc((size_t)(*argc + total + 1), sizeof *nv);
	if (!nv) {
		out_error(stdout, TC_UNKNOWN, "out of memory");
		exit(TC_UNKNOWN);
	}
	int k = 0;
	nv[k++] = argv[0];
	for (int i = 0; i < n_extra; i++) {
		struct extraopts *x = &extra[i];
		for (int j = 0; j < x->argc; j++) {
			char *arg = x->argv[j];
			const struct option *o = extra_option(arg);
			int sh = arg[1] != '-';
			const char *name = o ? o->name : "";
			if (o && (o->val == 'h' || o->val == 'V' || o->val == OPT_EXTRA_OPTS))
				extra_fail(x, "%s is not allowed in an INI file", name);
			if (!o) { /* getopt says why, naming only the option */
				nv[k++] = arg;
				continue;
			}
			int code = o->val, g = opt_group(code);
			if ((code > 0 && code < OPT_CODES && given[code]) ||
			    (g && group_given[g])) {
				size_t len = strlen(extra_dropped);
				if (!strstr(extra_dropped, name))
					snprintf(extra_dropped + len, sizeof extra_dropped - len,
					         "%s%s", len ? " " : "", name);
				continue;
			}
			if (g == 1)
				snprintf(extra_route, sizeof extra_route, "--extra-opts %s",
				         x->path);
			/* an empty value stays empty: "--domain=" must not take the next argument
			 */
			int empty = sh ? arg[2] == '\0' : strchr(arg, '=') == NULL;
			if (o->has_arg == required_argument && empty) {
				size_t len = strlen(name) + 4;
				char *s = malloc(len);
				if (!s) {
					out_error(stdout, TC_UNKNOWN, "out of memory");
					exit(TC_UNKNOWN);
				}
				snprintf(s, len, "--%s=", name);
				secret_wipe(arg, strlen(arg));
				free(arg);
				x->argv[j] = arg = s;
			}
			nv[k++] = arg;
		}
	}
	memcpy(nv + k, argv + 1, (size_t)(*argc - 1) * sizeof *nv);
	*argc = k + *argc - 1;
	nv[*argc] = NULL;
	extra_argv = nv;
	return nv;
}

void log_extra_opts(void (*log_stderr)(void *ctx, int level, const char *fmt, ...))
{
	for (int f = 0; f < n_extra; f++) {
		const struct extraopts *x = &extra[f];
		char names[512] = "";
		for (int i = 0; i < x->argc; i++) {
			size_t len = strlen(names);
			int nl = x->argv[i][1] == '-' ? (int)strcspn(x->argv[i], "=") : 2;
			snprintf(names + len, sizeof names - len, "%s%.*s", len ? " " : "", nl,
			         x->argv[i]);
		}
		log_stderr(NULL, 1, "--extra-opts: [%s] in %s: %s", x->section, x->path,
		           names[0] ? names : "no options");
		if (extra_warn[f].text[0])
			log_stderr(NULL, 1, "warning: --extra-opts: %s", extra_warn[f].text);
	}
	if (extra_dropped[0])
		log_stderr(NULL, 1, "--extra-opts: overridden by the command line: %s",
		           extra_dropped);
}

const char *extra_opts_route(void)
{
	return extra_route;
}

void extra_opts_free(void)
{
	for (int i = 0; i < n_extra; i++)
		extraopts_free(&extra[i]);
}
