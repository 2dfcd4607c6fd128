/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks of text that comes from outside (options, files, environment) before
 * it goes into a request header, a body or a file name: the one "printable"
 * rule of lib/ and the plugin. */
#ifndef TC_TEXT_H
#define TC_TEXT_H

#include <stddef.h>

/* 1 when s is non-NULL, 1..max bytes long (before its NUL) and holds no
 * control character (bytes < 0x20 and 0x7f); else 0. */
int text_printable(const char *s, size_t max);

/* Narrows the span (*p, *n) past leading and trailing blanks (space, \t, \r,
 * \v, \f; not \n, which ends a line in the files we read). */
void text_trim(const char **p, size_t *n);

/* The next line of an INI text from *pos that is not blank or a comment ('#',
 * ';'), trimmed, as (*l, *n); *pos past it and *line counting every line read.
 * 0 at the end of the text. */
int text_ini_line(const char *buf, size_t len, size_t *pos, int *line, const char **l, size_t *n);

#endif
