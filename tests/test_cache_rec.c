/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a cache file is made of (cache_rec.h): records encoded and decoded field for field, cut
 * short, with unknown flags or a bad varint; the header, and a NUL inside it; the checksum over
 * any chunking; and the key (cache_key): what changes it, the identity cap. The file itself,
 * written, replayed, refused and locked, is test_cache.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cache_harness.h"
#include "cache_rec.h"
#include "tap.h"

/* ---- records, checksum, key ---- */

static void test_records(void)
{
	static unsigned char buf[CREC_MAX];
	static struct resp_cert back;
	char a[DESC], b[DESC];
	for (size_t i = 0; i < NCERT; i++) {
		struct resp_cert c = mk(&certs[i]);
		size_t n = crec_encode(&c, buf, sizeof buf);
		ok(n > 0, "record %zu encoded (%zu bytes)", i, n);
		is_int(crec_decode(buf, n, &back, NULL), n, "record %zu decodes whole", i);
		describe(&c, a);
		describe(&back, b);
		is_str(b, a, "record %zu: every field back", i);
		size_t need = 0, short_by_one = crec_decode(buf, n - 1, &back, &need);
		is_int(short_by_one, 0, "record %zu cut by one byte: needs more", i);
		is_int(need, n, "record %zu: says how many", i);
		is_int(crec_decode(buf, 1, &back, NULL), 0, "record %zu: 1 byte needs more", i);
	}
	struct resp_cert c = mk(&certs[0]);
	size_t n = crec_encode(&c, buf, sizeof buf);
	buf[1] = 7; /* flags past the two known bits */
	is_int(crec_decode(buf, n, &back, NULL), (size_t)-1, "unknown flags are corrupt");
	ok(crec_encode(&c, buf, 20) == 0, "a record that does not fit is refused");
	static const unsigned char long_var[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                         0xff, 0xff, 0xff, 0xff, 0x01};
	is_int(crec_decode(long_var, sizeof long_var, &back, NULL), (size_t)-1,
	       "a length varint past 64 bits is corrupt");
	n = crec_encode(&c, buf + 1, sizeof buf - 1);
	buf[0] = (unsigned char)(buf[1] | 0x80); /* the same length in one byte more */
	buf[1] = 0;
	ok(buf[2] < 0x80 && crec_decode(buf, n + 1, &back, NULL) == (size_t)-1,
	   "an overlong varint is corrupt (one record, one encoding)");

	/* the header: built, parsed back, and a NUL inside a field (found by fuzz_cache) */
	struct crec_header h = {.created = T0, .count = 3, .bytes = 300}, back_h;
	memset(h.key, 'a', 64);
	char hdr[CREC_HDR_LEN + 1];
	is_int(crec_header_build(hdr, &h, 42), 0, "header built");
	ok(crec_header_parse(hdr, &back_h) == 0 && back_h.count == 3 && back_h.bytes == 300 &&
	       back_h.created == T0 && crec_header_ok(hdr, &back_h, 42) &&
	       !crec_header_ok(hdr, &back_h, 43),
	   "header parsed back; its check follows the payload's");
	static const size_t nul_at[] = {13 + 29 + 4 + 10, 13 + 8 + 5, 13 + 29 + 69 + 6 + 3,
	                                13 + 29 + 69 + 27 + 27 + 6 + 2};
	for (size_t i = 0; i < sizeof nul_at / sizeof *nul_at; i++) {
		char bad_hdr[CREC_HDR_LEN + 1];
		memcpy(bad_hdr, hdr, sizeof bad_hdr);
		bad_hdr[nul_at[i]] = '\0';
		ok(crec_header_parse(bad_hdr, &back_h) != 0, "a NUL at header byte %zu: refused",
		   nul_at[i]);
	}

	/* a certificate as the mock's gen accounts have it: well under 400 bytes */
	struct spec typical = {.id = "gen1x00004711",
	                       .domain = "svc-04711.example.com",
	                       .alias = "",
	                       .begin = "2026-01-01 09:00:00",
	                       .end = "2027-01-01 08:59:59",
	                       .replaced_by = "",
	                       .status = 1,
	                       .san = {"svc-04711.example.com", "www.svc-04711.example.com"}};
	c = mk(&typical);
	n = crec_encode(&c, buf, sizeof buf);
	ok(n > 0 && n < 200, "a typical certificate is a %zu-byte record", n);

	/* the checksum does not depend on how the bytes are split */
	static unsigned char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 37 + 11);
	struct csum whole, parts;
	csum_init(&whole);
	csum_add(&whole, data, sizeof data);
	static const size_t cuts[] = {1, 3, 7, 8, 9, 15, 16, 17, 100, 333};
	int same = 1;
	for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
		csum_init(&parts);
		for (size_t off = 0; off < sizeof data; off += cuts[k])
			csum_add(&parts, data + off,
			         off + cuts[k] <= sizeof data ? cuts[k] : sizeof data - off);
		same &= csum_final(&parts) == csum_final(&whole);
	}
	ok(same, "checksum is the same for every chunking");
	int differ = 1;
	for (size_t i = 0; i < sizeof data; i += 13) {
		data[i] ^= 1;
		csum_init(&parts);
		csum_add(&parts, data, sizeof data);
		differ &= csum_final(&parts) != csum_final(&whole);
		data[i] ^= 1;
	}
	ok(differ, "checksum changes with any flipped bit");
	csum_init(&parts);
	csum_add(&parts, data, sizeof data - 1);
	ok(csum_final(&parts) != csum_final(&whole), "checksum changes with the length");
}

static void test_key(void)
{
	struct api_filters f, g;
	struct cache_key a, b;
	struct msg m;
	req_filters_init(&f);
	req_filters_init(&g);
	g.statuses[g.n_statuses++] = 1;
	is_int(cache_key(&a, "https://ssl.tencentcloudapi.com", "AKIDexample", &f, &m), CACHE_OK,
	       "key built");
	is_int(strlen(a.hex), CACHE_KEY_HEX, "key is %d hex digits", CACHE_KEY_HEX);
	cache_key(&b, "https://ssl.tencentcloudapi.com", "AKIDexample", &f, &m);
	is_str(b.hex, a.hex, "same inputs, same key");
	static const struct {
		const char *name, *endpoint, *identity;
		int filters;
	} rows[] = {
	    {.name = "another endpoint",
	     .endpoint = "http://127.0.0.1:1",
	     .identity = "AKIDexample"},
	    {.name = "another identity",
	     .endpoint = "https://ssl.tencentcloudapi.com",
	     .identity = "AKIDother"},
	    {.name = "a role identity",
	     .endpoint = "https://ssl.tencentcloudapi.com",
	     .identity = "qcs::cam::uin/1:roleName/r\nAKIDexample"},
	    {.name = "other filters",
	     .endpoint = "https://ssl.tencentcloudapi.com",
	     .identity = "AKIDexample",
	     .filters = 1},
	    {.name = "parts are length-prefixed",
	     .endpoint = "https://ssl.tencentcloudapi.comA",
	     .identity = "KIDexample"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		cache_key(&b, rows[i].endpoint, rows[i].identity, rows[i].filters ? &g : &f, &m);
		ok(strcmp(a.hex, b.hex) != 0, "key: %s", rows[i].name);
	}
	static char huge[CACHE_MAX_IDENTITY + 2];
	memset(huge, 'a', sizeof huge - 1);
	is_int(cache_key(&b, "https://x", huge, &f, &m), CACHE_ERR, "identity too long: refused");
	ok(m.text[0] != '\0', "and says why");
	printf("# %s\n", m.text);
}
int main(void)
{
	test_records();
	test_key();
	return tap_done();
}
