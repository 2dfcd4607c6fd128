/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --extra-opts[=[SECTION][@FILE]] as in Monitoring Plugins: long options read
 * from a section of an INI file ("option = value", "flag ="), put before the
 * command line's own so those win. Without @FILE the file is $MP_CONFIG_FILE,
 * else the first monitoring-plugins.ini, plugins.ini or nagios-plugins.ini in
 * $NAGIOS_CONFIG_PATH, else the first of Monitoring Plugins' standard paths. */
#ifndef TC_EXTRAOPTS_H
#define TC_EXTRAOPTS_H

#include <stddef.h>

#include "msg.h"

#define EXTRAOPTS_MAX_ARGS    256
#define EXTRAOPTS_MAX_SECTION 128
#define EXTRAOPTS_MAX_PATH    4096

struct extraopts {
	char *argv[EXTRAOPTS_MAX_ARGS]; /* malloc'd "--name=value", "--flag", "-w30": one per option
	                                 */
	int argc;
	char path[EXTRAOPTS_MAX_PATH];
	char section[EXTRAOPTS_MAX_SECTION];
};

enum extraopts_err {
	EXTRAOPTS_OK = 0,
	EXTRAOPTS_ERR, /* why names the file and line; a line is never quoted (secrets) */
};

/* The file that a locator without @FILE means; "" when none exists. */
void extraopts_default_file(char *out, size_t cap);

/* locator: the option's value, NULL or "" for --extra-opts alone.
 * default_section: the plugin's name. warn (may be NULL) gets the file-mode note. */
enum extraopts_err extraopts_read(const char *locator, const char *default_section,
                                  struct extraopts *x, struct msg *why, struct msg *warn);

/* The INI text alone (x->path and x->section set by the caller). */
enum extraopts_err extraopts_parse(const char *text, size_t len, struct extraopts *x,
                                   struct msg *why);

/* Wipes and frees the arguments (they may hold secrets). */
void extraopts_free(struct extraopts *x);

#endif
