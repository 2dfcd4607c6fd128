/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cache file's format, version 2, apart from the I/O (cache.c). A fixed-
 * width text header (written last, over a placeholder, once the count and
 * check are known), the records, then a trailer that repeats the count:
 *
 *   TCSSLCACHE 2\n
 *   created <20 digits>\n      epoch seconds
 *   key <64 hex>\n             cache_key()
 *   count <20 digits>\n        records
 *   bytes <20 digits>\n        records' length
 *   check <16 hex>\n           csum of the header lines above it followed by the
 *                              16 hex digits of the csum of records + trailer
 *   \n
 *   <records>
 *   TCSSLEND <20 digits>\n     the count again
 * The check covers the header too: a flipped digit in "created" must not make
 * an old listing look fresh. Version 1 (raw objects, SHA-256) is not read.
 *
 * A record holds per certificate only what selection, evaluation and output
 * read, as the raw JSON string contents the parser's views hold, so a
 * replayed resp_cert is the live one field for field (raw stays empty: no
 * object is stored): varint length of the rest, then
 *   flags (bit 0 IsIgnore, bit 1 IsExpiring), zigzag varint Status,
 *   varint problem (resp_problems' index, 0 = none: why the parser could not
 *   keep the certificate whole, which makes it UNKNOWN),
 *   6 strings: CertificateId, Domain, Alias, CertBeginTime, CertEndTime,
 *   CertificateExtra.ReplacedBy,
 *   varint n, n strings of SubjectAltName; varint n, n strings of BoundResource.
 * A string is varint (length + 1) then its bytes; 0 means null or missing.
 * Varints are LEB128 (7 bits a byte, low first), at most 10 bytes.
 * A field added to resp_cert that a sink reads must be added here (and the
 * version raised). */
#ifndef TC_CACHE_REC_H
#define TC_CACHE_REC_H

#include <stddef.h>
#include <stdint.h>

#include "response.h"

/* The largest record: a certificate object's bytes plus the length prefixes. */
#define CREC_MAX (RESP_MAX_CERT_BYTES + 10 * (8 + RESP_MAX_NAMES + RESP_MAX_BOUND) + 16)

/* Encodes c into out (cap >= CREC_MAX); returns the bytes written, 0 when it
 * does not fit. */
size_t crec_encode(const struct resp_cert *c, unsigned char *out, size_t cap);

/* Decodes the record at p (at most avail bytes) into *c, views into p.
 * Returns its size; 0 when more bytes are needed (and *need, when not NULL,
 * says how many in all, if known); (size_t)-1 when it is malformed. */
size_t crec_decode(const unsigned char *p, size_t avail, struct resp_cert *c, size_t *need);

/* A 64-bit checksum against truncation and random corruption (not an
 * adversary: the file is the owner's, 0600), word at a time. */
struct csum {
	uint64_t h[2];
	uint64_t len;
	unsigned char tail[8];
	size_t n_tail;
};
void csum_init(struct csum *s);
void csum_add(struct csum *s, const void *p, size_t n);
uint64_t csum_final(const struct csum *s);

/* ---- header and trailer ---- */
#define CREC_MAGIC    "TCSSLCACHE 2\n"
#define CREC_MAGIC_V1 "TCSSLCACHE 1\n"
#define CREC_HDR_LEN  (13 + 29 + 69 + 27 + 27 + 23 + 1)
#define CREC_TRL_LEN  30

struct crec_header {
	long long created;
	char key[65];   /* cache_key()'s hex */
	char check[17]; /* filled by crec_header_parse */
	unsigned long long count, bytes;
};
/* The header of h, its check made from payload_sum (csum of records and
 * trailer), into out (CREC_HDR_LEN + 1 bytes); 0 on success. */
int crec_header_build(char *out, const struct crec_header *h, uint64_t payload_sum);
/* 0 when hdr (CREC_HDR_LEN bytes) is a well-formed version 2 header. */
int crec_header_parse(const char *hdr, struct crec_header *out);
/* 1 when the check of hdr (parsed into h) matches payload_sum. */
int crec_header_ok(const char *hdr, const struct crec_header *h, uint64_t payload_sum);
/* "TCSSLEND <20 digits>\n" into out (CREC_TRL_LEN + 1 bytes). */
void crec_trailer(char *out, unsigned long long count);

#endif
