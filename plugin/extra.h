/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --extra-opts in the plugin: the options of INI sections go before the
 * command line's, and the command line wins (lib/extraopts.h reads the files). */
#ifndef TC_PLUGIN_EXTRA_H
#define TC_PLUGIN_EXTRA_H

/* Returns the argv to parse (argv itself when no --extra-opts is given). */
char **expand_extra_opts(int *argc, char **argv);
/* "--extra-opts FILE" when the credentials came from an INI file, else "". */
const char *extra_opts_route(void);
/* At -v: which file gave which options (names only: values may be secrets). */
void log_extra_opts(void (*log)(void *ctx, int level, const char *fmt, ...));
/* Wipes and frees what the files held (values may be secrets). */
void extra_opts_free(void);

#endif
