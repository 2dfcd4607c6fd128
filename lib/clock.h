/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monotonic clock every deadline of a run is measured on. */
#ifndef TC_CLOCK_H
#define TC_CLOCK_H

/* Monotonic seconds (CLOCK_MONOTONIC). */
double clock_mono(void);

#endif
