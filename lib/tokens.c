/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one file that includes jsmn's code (tokens.h). */
#include "config.h"

#define TOKENS_IMPL
#include "tokens.h"
