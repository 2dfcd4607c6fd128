/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plugin's own texts: --help, --version and the usage line of a usage
 * error. Every line fits 80 columns and none has a '|' (Nagios would read
 * what follows as perfdata); tests/it_docs.py holds them to the man page. */
#ifndef TC_HELP_H
#define TC_HELP_H

#include <stdio.h>

#include "endpoint.h"

#define PROGNAME         "check_tencentcloud_ssl"
#define DEFAULT_ENDPOINT ENDPOINT_DEFAULT

extern const char usage_line[];
void print_help(FILE *f);
void print_version(FILE *f);

#endif
