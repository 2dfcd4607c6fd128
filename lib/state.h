/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Nagios states. The exit code is the state; "worst of" ranks
 * CRITICAL > UNKNOWN > WARNING > OK (SPEC.md), which is not numeric order. */
#ifndef TC_STATE_H
#define TC_STATE_H

enum tc_state { TC_OK = 0, TC_WARNING = 1, TC_CRITICAL = 2, TC_UNKNOWN = 3 };
#define TC_NSTATES 4 /* arrays indexed by enum tc_state */

int tc_state_rank(enum tc_state s);
enum tc_state tc_state_worst(enum tc_state a, enum tc_state b);
const char *tc_state_name(enum tc_state s); /* "OK", "WARNING", ... */
/* "ok", "warning", "critical", "unknown" (any case); 0 on success. */
int tc_state_parse(const char *s, enum tc_state *out);

#endif
