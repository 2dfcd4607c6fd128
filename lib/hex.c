/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hex.h"

#include <mbedtls/md.h>

void hex_encode(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int hex_sha256(const void *data, size_t n, char out[65])
{
	unsigned char d[32];
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	if (!md || mbedtls_md(md, data, n, d) != 0) return -1;
	hex_encode(d, 32, out);
	return 0;
}
