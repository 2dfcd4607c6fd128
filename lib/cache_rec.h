/* The cache file's records (format version 2): per certificate only what
 * selection, evaluation and output read, as the raw JSON string contents the
 * parser's views hold, so a replayed resp_cert is the live one field for field
 * (raw stays empty: no object is stored). And the file's cheap checksum.
 *
 * A record: varint length of the rest, then
 *   flags (bit 0 IsIgnore, bit 1 IsExpiring), zigzag varint Status,
 *   6 strings: CertificateId, Domain, Alias, CertBeginTime, CertEndTime,
 *   CertificateExtra.ReplacedBy,
 *   varint n, n strings of SubjectAltName; varint n, n strings of BoundResource.
 * A string is varint (length + 1) then its bytes; 0 means null or missing.
 * Varints are LEB128 (7 bits a byte, low first), at most 10 bytes. */
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

#endif
