/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "state.h"

#include <strings.h>

int tc_state_rank(enum tc_state s)
{
	switch (s) {
	case TC_OK:
		return 0;
	case TC_WARNING:
		return 1;
	case TC_UNKNOWN:
		return 2;
	case TC_CRITICAL:
		return 3;
	}
	return 2;
}

enum tc_state tc_state_worst(enum tc_state a, enum tc_state b)
{
	return tc_state_rank(a) >= tc_state_rank(b) ? a : b;
}

const char *tc_state_name(enum tc_state s)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
	return (unsigned)s < 4 ? names[s] : "UNKNOWN";
}

int tc_state_parse(const char *s, enum tc_state *out)
{
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(s, tc_state_name((enum tc_state)i)) == 0) {
			*out = (enum tc_state)i;
			return 0;
		}
	}
	return -1;
}
