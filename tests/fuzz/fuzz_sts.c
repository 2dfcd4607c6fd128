/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the STS AssumeRole answer parser: credentials that are
 * usable in headers, or a message that starts "STS AssumeRole: " and carries
 * neither base secret. Aborts on a broken contract. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sts.h"
#include "usable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE_KEY   "fuzzBaseKey"
#define BASE_TOKEN "fuzzBaseToken"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct creds c;
	struct msg why = {""};
	long long exp = 0;
	int retry = 0;
	memset(&c, 0, sizeof c);
	strcpy(c.secret_id, "AKIDfuzz");
	strcpy(c.secret_key, BASE_KEY);
	strcpy(c.token, BASE_TOKEN);
	enum sts_err rc = sts_parse((const char *)data, size, &c, &exp, &retry, &why);
	if (rc == STS_OK) {
		usable_creds(&c);
	} else {
		if (rc != STS_ERR_API && rc != STS_ERR_FAILED) abort();
		if (strncmp(why.text, "STS AssumeRole: ", 16) != 0) abort();
		if (strstr(why.text, BASE_KEY) || strstr(why.text, BASE_TOKEN)) abort();
		if (strcmp(c.secret_key, BASE_KEY) != 0) abort(); /* kept on failure */
	}
	return 0;
}
