/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for -w/-c: thr_parse on any text, then thr_alerts of a
 * parsed threshold on values around its ends. A success has a printable
 * perfdata text and start <= end; thr_alerts answers 0 or 1. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thresholds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[2 * THR_MAX_LEN];
	size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	struct thr t;
	if (thr_parse(text, &t) != 0) return 0;
	if (strlen(text) > THR_MAX_LEN || !memchr(t.text, '\0', sizeof t.text)) abort();
	for (const char *c = t.text; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '|' || *c == ' ') abort();
	if (!t.start_inf && !t.end_inf && t.start > t.end) abort();
	if (t.percent && (t.start_inf || t.end_inf || t.inside)) {
		/* a % threshold is "below N" only */
	}
	const double probes[] = {-1e300, -1,  0,       0.5,   1,           7,         29.999, 30,
	                         100,    1e9, t.start, t.end, t.start - 1, t.end + 1, NAN};
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		int a = thr_alerts(&t, probes[i]);
		if (a != 0 && a != 1) abort();
	}
	return 0;
}
