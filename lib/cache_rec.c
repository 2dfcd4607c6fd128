/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cache_rec.h"

#include "resp_fields.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_FMT    "%screated %020lld\nkey %s\ncount %020llu\nbytes %020llu\ncheck %s\n\n"
#define HDR_SUMMED (CREC_HDR_LEN - 23 - 1) /* the lines before "check" */

/* ---- writing ---- */

struct wr {
	unsigned char *p;
	size_t n, cap;
	int full;
};

static void put_var(struct wr *w, uint64_t v)
{
	do {
		if (w->n == w->cap) {
			w->full = 1;
			return;
		}
		unsigned char b = v & 0x7f;
		v >>= 7;
		w->p[w->n++] = (unsigned char)(b | (v ? 0x80 : 0));
	} while (v);
}

static void put_str(struct wr *w, struct tc_view v)
{
	if (!v.p) {
		put_var(w, 0);
		return;
	}
	put_var(w, (uint64_t)v.n + 1);
	if (w->full || v.n > w->cap - w->n) {
		w->full = 1;
		return;
	}
	memcpy(w->p + w->n, v.p, v.n);
	w->n += v.n;
}

/* resp_problems' index of p (0 for NULL), or RP_N when it is not one of them. */
static unsigned problem_code(const char *p)
{
	unsigned k = 0;
	while (k < RP_N && resp_problems[k] != p)
		k++;
	return p ? k : 0;
}

static void put_fields(struct wr *w, const struct resp_cert *c)
{
	size_t n_san = c->n_san < RESP_MAX_NAMES ? c->n_san : RESP_MAX_NAMES;
	size_t n_bound = c->n_bound < RESP_MAX_BOUND ? c->n_bound : RESP_MAX_BOUND;
	int64_t st = c->status;
	if (w->n == w->cap) {
		w->full = 1;
		return;
	}
	w->p[w->n++] = (unsigned char)((c->is_ignore ? 1 : 0) | (c->is_expiring ? 2 : 0));
	put_var(w, ((uint64_t)st << 1) ^ (uint64_t)(st >> 63)); /* zigzag */
	put_var(w, problem_code(c->problem));
	put_str(w, c->id);
	put_str(w, c->domain);
	put_str(w, c->alias);
	put_str(w, c->begin_time);
	put_str(w, c->end_time);
	put_str(w, c->replaced_by);
	put_var(w, n_san);
	for (size_t i = 0; i < n_san; i++)
		put_str(w, c->san[i]);
	put_var(w, n_bound);
	for (size_t i = 0; i < n_bound; i++)
		put_str(w, c->bound[i]);
}

size_t crec_encode(const struct resp_cert *c, unsigned char *out, size_t cap)
{
	/* the fields after a 3-byte gap for the length, moved up when it is shorter */
	enum { GAP = 3 };
	if (cap < GAP + 1) return 0;
	struct wr w = {out + GAP, 0, cap - GAP, 0};
	put_fields(&w, c);
	if (w.full || w.n >= (1u << 21) || problem_code(c->problem) >= RP_N) return 0;
	struct wr l = {out, 0, GAP, 0};
	put_var(&l, w.n);
	if (l.n < GAP) memmove(out + l.n, out + GAP, w.n);
	return l.n + w.n;
}

/* ---- reading ---- */

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t get_var(struct rd *r)
{
	if (r->p < r->end && *r->p < 0x80) return *r->p++; /* one byte: most lengths and codes */
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p == r->end) break;
		unsigned char b = *r->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (shift == 63 && b > 1) break; /* past 64 bits */
			if (shift > 0 && b == 0) break;  /* overlong: one value, one encoding */
			return v;
		}
	}
	r->bad = 1;
	return 0;
}

static struct tc_view get_str(struct rd *r)
{
	struct tc_view v = {NULL, 0};
	uint64_t n = get_var(r);
	if (r->bad || n == 0) return v;
	n--;
	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return v;
	}
	v.p = (const char *)r->p;
	v.n = (size_t)n;
	r->p += n;
	return v;
}

size_t crec_decode(const unsigned char *p, size_t avail, struct resp_cert *c, size_t *need)
{
	struct rd h = {p, p + (avail < 10 ? avail : 10), 0};
	uint64_t len = get_var(&h);
	if (h.bad) {
		/* an unfinished varint needs more bytes; a long one is corrupt */
		if (avail < 10 && (avail == 0 || (p[avail - 1] & 0x80))) {
			if (need) *need = 0;
			return 0;
		}
		return (size_t)-1;
	}
	size_t head = (size_t)(h.p - p);
	if (len == 0 || len > CREC_MAX) return (size_t)-1;
	if (len > avail - head) {
		if (need) *need = head + (size_t)len;
		return 0;
	}
	struct rd r = {h.p, h.p + len, 0};
	memset(c, 0, offsetof(struct resp_cert, san));
	unsigned flags = *r.p++;
	if (flags > 3) return (size_t)-1;
	c->is_ignore = flags & 1;
	c->is_expiring = (flags >> 1) & 1;
	uint64_t z = get_var(&r);
	c->status = (long)(int64_t)((z >> 1) ^ (~(z & 1) + 1));
	uint64_t problem = get_var(&r);
	if (r.bad || problem >= RP_N) return (size_t)-1;
	c->problem = resp_problems[problem];
	c->id = get_str(&r);
	c->domain = get_str(&r);
	c->alias = get_str(&r);
	c->begin_time = get_str(&r);
	c->end_time = get_str(&r);
	c->replaced_by = get_str(&r);
	uint64_t n = get_var(&r);
	if (r.bad || n > RESP_MAX_NAMES) return (size_t)-1;
	c->n_san = (size_t)n;
	for (size_t i = 0; i < c->n_san; i++)
		c->san[i] = get_str(&r);
	n = get_var(&r);
	if (r.bad || n > RESP_MAX_BOUND) return (size_t)-1;
	c->n_bound = (size_t)n;
	for (size_t i = 0; i < c->n_bound; i++)
		c->bound[i] = get_str(&r);
	if (r.bad || r.p != r.end) return (size_t)-1;
	return head + (size_t)len;
}

/* ---- checksum ---- */

#define K1 0x9E3779B97F4A7C15ull
#define K2 0xC2B2AE3D27D4EB4Full

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t mix(uint64_t h, uint64_t w)
{
	return rotl(h ^ (w * K2), 31) * K1;
}

void csum_init(struct csum *s)
{
	memset(s, 0, sizeof *s);
	s->h[0] = K1;
	s->h[1] = K2;
}

static uint64_t load(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

void csum_add(struct csum *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->len += n;
	while (s->n_tail > 0 && n > 0) {
		s->tail[s->n_tail++] = *p++;
		n--;
		if (s->n_tail == 8) {
			s->h[0] = mix(s->h[0], load(s->tail));
			s->n_tail = 0;
			uint64_t t = s->h[0]; /* keep the lanes in step: words alternate */
			s->h[0] = s->h[1];
			s->h[1] = t;
		}
	}
	if (s->n_tail > 0) return; /* all of it went into the tail */
	uint64_t a = s->h[0], b = s->h[1];
	for (; n >= 16; p += 16, n -= 16) {
		a = mix(a, load(p));
		b = mix(b, load(p + 8));
	}
	if (n >= 8) {
		a = mix(a, load(p));
		uint64_t t = a;
		a = b;
		b = t;
		p += 8;
		n -= 8;
	}
	s->h[0] = a;
	s->h[1] = b;
	memcpy(s->tail, p, n);
	s->n_tail = n;
}

uint64_t csum_final(const struct csum *s)
{
	unsigned char last[8] = {0};
	memcpy(last, s->tail, s->n_tail);
	uint64_t h = mix(s->h[0], load(last)) ^ rotl(s->h[1], 17) ^ (s->len * K2);
	h ^= h >> 33;
	h *= K1;
	h ^= h >> 29;
	return h;
}

/* ---- header and trailer ---- */

/* The check: the header's lines before "check", then the payload's csum in hex. */
static void header_check(const char *hdr, uint64_t payload, char out[17])
{
	char hex[17];
	struct csum s;
	snprintf(hex, sizeof hex, "%016" PRIx64, payload);
	csum_init(&s);
	csum_add(&s, hdr, HDR_SUMMED);
	csum_add(&s, hex, 16);
	snprintf(out, 17, "%016" PRIx64, csum_final(&s));
}

int crec_header_build(char *out, const struct crec_header *h, uint64_t payload_sum)
{
	char check[17] = "0000000000000000";
	int n = snprintf(out, CREC_HDR_LEN + 1, HDR_FMT, CREC_MAGIC, h->created, h->key, h->count,
	                 h->bytes, check);
	if (n != CREC_HDR_LEN) return -1;
	header_check(out, payload_sum, check);
	n = snprintf(out, CREC_HDR_LEN + 1, HDR_FMT, CREC_MAGIC, h->created, h->key, h->count,
	             h->bytes, check);
	return n == CREC_HDR_LEN ? 0 : -1;
}

/* Checks "label" + width chars + "\n" at *off; copies the chars to out. */
static int field(const char *h, size_t *off, const char *label, size_t width, char *out)
{
	size_t l = strlen(label);
	if (memcmp(h + *off, label, l) != 0 || h[*off + l + width] != '\n') return -1;
	memcpy(out, h + *off + l, width);
	out[width] = '\0';
	*off += l + width + 1;
	return 0;
}

/* 1 when s is non-empty and every byte of it up to its NUL, and no NUL before
 * width bytes, is in set (a NUL inside a field must not shorten it). */
static int all_of(const char *s, size_t width, const char *set)
{
	return s[0] && strlen(s) == width && strspn(s, set) == width;
}

static int parse_u(const char *s, unsigned long long *v)
{
	if (!all_of(s, 20, "0123456789")) return -1;
	errno = 0;
	*v = strtoull(s, NULL, 10);
	return errno ? -1 : 0;
}

int crec_header_parse(const char *h, struct crec_header *out)
{
	char num[21];
	size_t off = strlen(CREC_MAGIC);
	unsigned long long created;

	if (memcmp(h, CREC_MAGIC, off) != 0) return -1;
	if (field(h, &off, "created ", 20, num) || parse_u(num, &created) || created > (1ull << 62))
		return -1;
	out->created = (long long)created;
	if (field(h, &off, "key ", 64, out->key) || !all_of(out->key, 64, "0123456789abcdef"))
		return -1;
	if (field(h, &off, "count ", 20, num) || parse_u(num, &out->count)) return -1;
	if (field(h, &off, "bytes ", 20, num) || parse_u(num, &out->bytes)) return -1;
	if (field(h, &off, "check ", 16, out->check) || !all_of(out->check, 16, "0123456789abcdef"))
		return -1;
	return off + 1 == CREC_HDR_LEN && h[off] == '\n' ? 0 : -1;
}

int crec_header_ok(const char *hdr, const struct crec_header *h, uint64_t payload_sum)
{
	char check[17];
	header_check(hdr, payload_sum, check);
	return strcmp(check, h->check) == 0;
}

void crec_trailer(char *out, unsigned long long count)
{
	snprintf(out, CREC_TRL_LEN + 1, "TCSSLEND %020llu\n", count);
}
