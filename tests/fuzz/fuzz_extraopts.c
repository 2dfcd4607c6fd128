/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the --extra-opts INI reader: any text gives either
 * arguments that are well-formed, or one message that quotes no line. Aborts on
 * a broken contract. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extraopts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct extraopts x;
	struct msg why = {""};
	memset(&x, 0, sizeof x);
	strcpy(x.path, "fuzz.ini");
	/* the first byte chooses the section: the plugin's name or a one-letter one */
	strcpy(x.section, size && (data[0] & 1) ? "s" : "check_tencentcloud_ssl");
	enum extraopts_err rc = extraopts_parse((const char *)data, size, &x, &why);
	if (rc == EXTRAOPTS_OK) {
		if (x.argc < 0 || x.argc > EXTRAOPTS_MAX_ARGS) abort();
		for (int i = 0; i < x.argc; i++) {
			const char *a = x.argv[i];
			if (!a) abort();
			for (const char *p = a; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f) abort();
			/* one argument per INI line: "-wVALUE", "--name=value" or "--name" */
			if (a[0] != '-' || !a[1]) abort();
			if (a[1] == '-' && (!a[2] || a[2] == '=')) abort();
		}
	} else if (rc != EXTRAOPTS_ERR || !why.text[0] || strchr(why.text, '\n')) {
		abort();
	}
	extraopts_free(&x);
	return 0;
}
