/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where TLS trust anchors come from when no --cacert is given. libcurl's
 * default reads both its CA bundle (every certificate parsed on every run) and
 * the hashed directory (looked up lazily, by subject hash). When the directory
 * holds as many hashed certificates as the bundle (Debian builds both from one
 * set with update-ca-certificates), the bundle adds nothing and is left out:
 * the trust anchors can only shrink, never grow, so verification is at least
 * as strict, and it stays exactly as strict while the two hold the same set. */
#ifndef TC_CASTORE_H
#define TC_CASTORE_H

#include <stddef.h>

#define CASTORE_MAX_BUNDLE (16u << 20) /* a CA bundle larger than this is not scanned */

/* 1 when capath alone may replace cainfo: both given, the TLS library looks
 * CAs up lazily (OpenSSL), and capath has as many <8 hex>.<digit> entries as
 * cainfo has "-----BEGIN CERTIFICATE-----" lines (a text count, no parse). */
int castore_lazy(const char *ssl_version, const char *cainfo, const char *capath);

#endif
