/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for eval_parse_time (CertEndTime/CertBeginTime strings):
 * any bytes give 0 or -1, a success is a real date whose formatted text
 * parses back to the same instant, and nothing reads past the view. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so ASan sees any read past the view */
	char *buf = malloc(size ? size : 1);
	if (!buf) return 0;
	memcpy(buf, data, size);
	struct tc_view v = {size ? buf : NULL, size};
	long long utc = 0;
	int r = eval_parse_time(v, &utc);
	if (r != 0 && r != -1) abort();
	if (r == 0) {
		char back[20];
		long long again = 0;
		eval_format_time(utc, ' ', back);
		struct tc_view b = {back, 19};
		if (size > 19 || eval_parse_time(b, &again) != 0 || again != utc) abort();
	}
	free(buf);
	return 0;
}
