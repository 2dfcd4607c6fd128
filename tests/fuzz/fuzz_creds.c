/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the credentials INI reader: the input is written as
 * the --credentials-file and read through creds_load (profile "default", or
 * "prod" when the first byte is odd). Any result is fine but a crash, a
 * message with a newline, or a secret that is not a printable line. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "creds.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static struct creds out; /* 8 KiB of token: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		char dir[] = "/tmp/fuzz_creds.XXXXXX";
		if (!mkdtemp(dir)) abort();
		snprintf(path, sizeof path, "%s/credentials", dir);
		unsetenv("TENCENTCLOUD_SECRET_ID");
		unsetenv("TENCENTCLOUD_SECRET_KEY");
		unsetenv("TENCENTCLOUD_SESSION_TOKEN");
		unsetenv("TENCENTCLOUD_CREDENTIALS_FILE");
		unsetenv("TENCENTCLOUD_PROFILE");
	}
	FILE *f = fopen(path, "wb");
	if (!f) abort();
	if (size && fwrite(data, 1, size, f) != size) abort();
	fclose(f);

	struct creds_opts o = {0};
	o.credentials_file = path;
	o.profile = size && (data[0] & 1) ? "prod" : NULL;
	struct msg why, warn;
	msg_clear(&why);
	msg_clear(&warn);
	enum creds_err e = creds_load(&o, &out, &why, &warn);
	if (e != CREDS_OK && e != CREDS_ERR_USAGE && e != CREDS_ERR_MISSING && e != CREDS_ERR_FILE)
		abort();
	if (e != CREDS_OK && (!why.text[0] || strchr(why.text, '\n'))) abort();
	if (strchr(warn.text, '\n')) abort();
	/* keys read from the file are printable lines (a role profile may have none) */
	if (e == CREDS_OK &&
	    ((out.secret_id[0] && !text_printable(out.secret_id, CREDS_MAX_ID - 1)) ||
	     (out.secret_key[0] && !text_printable(out.secret_key, CREDS_MAX_KEY - 1))))
		abort();
	creds_wipe(&out);
	return 0;
}
