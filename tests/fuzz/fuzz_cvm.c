/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the CVM metadata answers: a role name that is a valid
 * CAM role name, credentials usable in headers, or a refusal with a reason.
 * Aborts on a broken contract. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cvm.h"
#include "usable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct creds c;
	char role[CREDS_MAX_ROLE];
	struct msg why = {""};
	long long exp = 0;
	if (cvm_parse_role((const char *)data, size, role) == 0) {
		if (!creds_role_name_ok(role)) abort();
	} else if (role[0]) {
		abort();
	}
	memset(&c, 0, sizeof c);
	enum cvm_err rc = cvm_parse_creds((const char *)data, size, &c, &exp, &why);
	if (rc == CVM_OK) {
		usable_creds(&c);
	} else if (rc != CVM_ERR_FAILED || !why.text[0]) {
		abort();
	} else if (c.secret_id[0] || c.secret_key[0] || c.token[0]) {
		abort(); /* nothing half-filled */
	}
	return 0;
}
