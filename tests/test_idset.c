/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CertificateId set: hashes, duplicates, growth, clear. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "tap.h"

static void test_idset(void)
{
	struct idset s;
	idset_init(&s);
	ok(idset_hash("", 0) != 0, "hash is never 0 (the empty mark)");
	/* FNV-1a 64 reference values */
	ok(idset_hash("a", 1) == 0xaf63dc4c8601ec8cull, "FNV-1a of \"a\"");
	ok(idset_hash("foobar", 6) == 0x85944171f73967e8ull, "FNV-1a of \"foobar\"");

	char id[32];
	int fails = 0;
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(id, sizeof id, "Cert%08d", i);
		if (idset_add(&s, idset_hash(id, (size_t)n)) != 1) fails++;
	}
	is_int(fails, 0, "100000 distinct ids all added");
	is_int(s.n, 100000, "set counts them");
	ok(s.cap <= 2 * 131072 + 1 && s.cap >= 2 * s.n, "at most half full, %zu slots (%zu B/id)",
	   s.cap, s.cap * 8 / s.n);
	int dups = 0;
	for (int i = 0; i < 100000; i += 7) {
		int n = snprintf(id, sizeof id, "Cert%08d", i);
		if (idset_add(&s, idset_hash(id, (size_t)n)) == 0) dups++;
	}
	is_int(dups, (100000 + 6) / 7, "every id seen again is a duplicate");
	is_int(idset_add(&s, 0), 1, "hash 0 is stored (as 1)");
	is_int(idset_add(&s, 1), 0, "... and then 1 is a duplicate");
	idset_clear(&s);
	is_int(s.n, 0, "clear empties the set");
	is_int(idset_add(&s, idset_hash("Cert00000001", 12)), 1, "after clear: new again");
	idset_free(&s);
	ok(s.slot == NULL && s.cap == 0, "free releases");
}

/* The cap: IDSET_MAX ids fit, one more does not, and the set stays small. */
static void test_cap(void)
{
	struct idset s;
	idset_init(&s);
	int fails = 0;
	for (uint64_t i = 1; i <= IDSET_MAX; i++)
		if (idset_add(&s, i * 0x9e3779b97f4a7c15ull) != 1) fails++;
	is_int(fails, 0, "IDSET_MAX (%u) distinct ids all added", IDSET_MAX);
	is_int(idset_add(&s, 0x1234567ull), -1, "one more is over the cap");
	is_int(idset_add(&s, 5 * 0x9e3779b97f4a7c15ull), 0, "a duplicate when full is one");
	is_int(s.n, IDSET_MAX, "the count stops at the cap");
	ok(s.cap * sizeof *s.slot <= (32u << 20), "the full set is %zu MiB (<= 32 MiB)",
	   s.cap * sizeof *s.slot >> 20);
	idset_free(&s);
}

/* Reserved for a TotalCount: one allocation of at most 4/5 fill, no growth. */
static void test_reserve(void)
{
	struct idset s;
	idset_init(&s);
	is_int(idset_reserve(&s, 100000), 0, "reserve 100000");
	is_int((int)s.cap, 131072, "131072 slots: 1 MiB, not the 2 MiB of doubling at half");
	uint64_t *slots = s.slot;
	int fails = 0;
	char id[32];
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(id, sizeof id, "Cert%08d", i);
		if (idset_add(&s, idset_hash(id, (size_t)n)) != 1) fails++;
	}
	is_int(fails, 0, "100000 distinct ids all added");
	ok(s.slot == slots && s.cap == 131072, "the reserved set never grew");
	is_int(idset_add(&s, idset_hash("Cert00000007", 12)), 0,
	       "a duplicate is found at 76%% full");
	for (int i = 100000; i < 104858; i++) {
		int n = snprintf(id, sizeof id, "Cert%08d", i);
		idset_add(&s, idset_hash(id, (size_t)n));
	}
	ok(s.cap == 262144, "past 4/5 full it grows (listing drift)");
	is_int((int)s.n, 104858, "and keeps every id");
	is_int(idset_reserve(&s, 10), 0, "a smaller reserve keeps what is there");
	is_int((int)s.cap, 262144, "... at its size");
	idset_clear(&s);
	ok(s.n == 0 && s.cap == 0, "clear releases the reserved slots");
	is_int(idset_reserve(&s, (size_t)1 << 40), 0,
	       "a TotalCount of 2^40 reserves only up to the cap");
	ok(s.cap * sizeof *s.slot <= (32u << 20), "%zu MiB", s.cap * sizeof *s.slot >> 20);
	idset_free(&s);
}

int main(void)
{
	test_idset();
	test_reserve();
	test_cap();
	return tap_done();
}
