/* libFuzzer target for the cache file reader's parsing (cache_rec.h): the
 * header, then records decoded one after another from what follows, as the
 * reader does. Aborts on a broken contract: a record size past the input, a
 * view outside the record, counts past the caps. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache_rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct resp_cert rc;

static void inside(struct tc_view v, const uint8_t *lo, const uint8_t *hi)
{
	if (v.p && ((const uint8_t *)v.p < lo || (const uint8_t *)v.p + v.n > hi)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crec_header h;
	if (size >= CREC_HDR_LEN && crec_header_parse((const char *)data, &h) == 0) {
		if (strlen(h.key) != 64 || strlen(h.check) != 16) abort();
		(void)crec_header_ok((const char *)data, &h, 0);
	}
	size_t off = size >= CREC_HDR_LEN ? CREC_HDR_LEN : 0;
	while (off < size) {
		size_t need = 0;
		size_t n = crec_decode(data + off, size - off, &rc, &need);
		if (n == 0) {
			if (need && need <= size - off) abort(); /* says it needs what it has */
			break;
		}
		if (n == (size_t)-1) break;
		if (n > size - off) abort();
		const uint8_t *lo = data + off, *hi = data + off + n;
		if (rc.n_san > RESP_MAX_NAMES || rc.n_bound > RESP_MAX_BOUND) abort();
		inside(rc.id, lo, hi);
		inside(rc.domain, lo, hi);
		inside(rc.alias, lo, hi);
		inside(rc.begin_time, lo, hi);
		inside(rc.end_time, lo, hi);
		inside(rc.replaced_by, lo, hi);
		for (size_t i = 0; i < rc.n_san; i++)
			inside(rc.san[i], lo, hi);
		for (size_t i = 0; i < rc.n_bound; i++)
			inside(rc.bound[i], lo, hi);
		/* what decodes re-encodes to the same bytes: one meaning per record */
		static unsigned char again[CREC_MAX];
		size_t m = crec_encode(&rc, again, sizeof again);
		if (m != n || memcmp(again, lo, n) != 0) abort();
		off += n;
	}
	return 0;
}
