/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jsmn, configured in one place: strict JSON, parent links. Include this,
 * never <jsmn.h>; tokens.c is the one file that holds jsmn's code. */
#ifndef TC_TOKENS_H
#define TC_TOKENS_H

#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#ifndef TOKENS_IMPL
#define JSMN_HEADER /* declarations only: the code is in tokens.c */
#endif
#include <jsmn.h>

#endif
