/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CertificateIds seen in one listing, so a duplicate (an inconsistent
 * listing) is noticed without keeping the ids themselves. */
#ifndef TC_IDSET_H
#define TC_IDSET_H

#include <stddef.h>
#include <stdint.h>

/* Certificates one listing may hold: far beyond any real account, and the set
 * at its largest (4M slots of 8 B, plus the 2M it grows from) stays at 48 MiB,
 * so a hostile TotalCount cannot make the process big. */
#define IDSET_MAX (2u << 20)

/* The set of CertificateIds seen in a listing, as 64-bit FNV-1a hashes (open
 * addressing), capped at IDSET_MAX. Reserved for the listing's TotalCount it is
 * at most 4/5 full and never grows (10..20 bytes per id); without a count it
 * doubles at half full (16..32). */
struct idset {
	uint64_t *slot; /* 0 = empty */
	size_t cap, n;
	size_t fill; /* n past which it grows */
};
uint64_t idset_hash(const char *id, size_t len);
void idset_init(struct idset *s);
/* Room for n ids (at most IDSET_MAX) in one allocation: 0, -1 out of memory.
 * The pages of a slot array only count once an id lands in them, so a
 * TotalCount that lies costs address space, not memory. */
int idset_reserve(struct idset *s, size_t n);
/* 1 added, 0 already present, -1 over the cap or out of memory. */
int idset_add(struct idset *s, uint64_t h);
void idset_clear(struct idset *s);
void idset_free(struct idset *s);

#endif
