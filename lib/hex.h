/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lowercase hex, and the hex SHA-256 of bytes (mbedTLS): what the signer,
 * the cache and the credential code share. */
#ifndef TC_HEX_H
#define TC_HEX_H

#include <stddef.h>

/* n bytes as 2n lowercase hex digits and a NUL: out holds 2n+1 bytes. */
void hex_encode(const unsigned char *d, size_t n, char *out);
/* 0 on success, -1 when mbedTLS fails. */
int hex_sha256(const void *data, size_t n, char out[65]);

#endif
