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

int main(void)
{
	test_idset();
	return tap_done();
}
