/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The byte level of jscan.c: which bytes end a string run, start a value or
 * make up a number or literal, and the searches that skip runs of them (SSE2
 * where it is there, else a word at a time). Included by jscan.c alone. */
#ifndef TC_JSCAN_BYTES_H
#define TC_JSCAN_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* SSE2 pays (1.44 against 1.14 GB/s parse + evaluate on a gen:1000 page); the
 * word-at-a-time fallback is what other machines, and -DJSCAN_NO_SIMD, get. */
#if defined(__SSE2__) && defined(__GNUC__) && !defined(JSCAN_NO_SIMD)
#include <emmintrin.h>
#define JSCAN_SSE2 1
#endif

/* 1 for the bytes that end a run of plain string bytes: quote, backslash, controls. */
static const unsigned char str_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1,
};
/* what the first byte of a value makes it: '"', '{', '[', 'p' (number or literal), 0 (bad) */
static const unsigned char start_kind[256] = {
    ['"'] = '"', ['{'] = '{', ['['] = '[', ['-'] = 'p', ['0'] = 'p', ['1'] = 'p',
    ['2'] = 'p', ['3'] = 'p', ['4'] = 'p', ['5'] = 'p', ['6'] = 'p', ['7'] = 'p',
    ['8'] = 'p', ['9'] = 'p', ['t'] = 'p', ['f'] = 'p', ['n'] = 'p',
};
static const unsigned char ws[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};
/* bytes a number or literal may hold (checked whole at its end) */
static const unsigned char prim_char[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['-'] = 1, ['+'] = 1, ['.'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
    ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
    ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['A'] = 1,
    ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1,
    ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1,
    ['Z'] = 1,
};
static const unsigned char hex[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
};

/* The first index at or after i whose byte ends a plain string run; n if none.
 * Most strings are short: one 16-byte step finds their end. */
static inline size_t str_run(const unsigned char *s, size_t i, size_t n)
{
#ifdef JSCAN_SSE2
	const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), c1f = _mm_set1_epi8(0x1f);
	while (n - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
		                         _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);
		if (mask) return i + (size_t)__builtin_ctz(mask);
		i += 16;
	}
#else
	/* word at a time: a byte is '"', '\\' or below 0x20 when one of these has its
	 * high bit set; the byte loop below then finds which */
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	while (n - i >= 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t xq = w ^ (ones * '"'), xb = w ^ (ones * '\\');
		uint64_t hit = ((xq - ones) & ~xq) | ((xb - ones) & ~xb) | ((w - ones * 0x20) & ~w);
		if (hit & high) break;
		i += 8;
	}
#endif
	while (i < n && !str_stop[s[i]])
		i++;
	return i;
}

/* The first index at or after i that is not whitespace; n if none. */
static inline size_t ws_run(const unsigned char *s, size_t i, size_t n)
{
	if (i < n && !ws[s[i]]) return i; /* the common case: none */
	/* indentation: runs of spaces, 8 at a time */
	while (n - i >= 8 && s[i] == ' ') {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w != 0x2020202020202020u) break;
		i += 8;
	}
	while (i < n && ws[s[i]])
		i++;
	return i;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-') i++;
	if (i >= n) return 0;
	if (s[i] == '0') {
		i++;
	} else if (s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return 0;
	}
	if (i < n && s[i] == '.') {
		size_t d = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d) return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-')) i++;
		size_t d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d) return 0;
	}
	return i == n;
}

static inline int lit4(const unsigned char *p, const char *lit)
{
	uint32_t a, b;
	memcpy(&a, p, 4);
	memcpy(&b, lit, 4);
	return a == b;
}

/* s[i] is 't', 'f' or 'n': the length of the literal true, false or null there when it
 * is whole in s[0..n) and a byte no number or literal holds follows it; else 0. */
static inline size_t lit_len(const unsigned char *s, size_t i, size_t n)
{
	if (n - i <= 5) return 0;
	if (s[i] == 'f') return lit4(s + i + 1, "alse") && !prim_char[s[i + 5]] ? 5 : 0;
	return lit4(s + i, s[i] == 't' ? "true" : "null") && !prim_char[s[i + 4]] ? 4 : 0;
}

static inline int prim_ok(const char *s, size_t n)
{
	switch (s[0]) {
	case 't':
		return n == 4 && s[1] == 'r' && s[2] == 'u' && s[3] == 'e';
	case 'f':
		return n == 5 && s[1] == 'a' && s[2] == 'l' && s[3] == 's' && s[4] == 'e';
	case 'n':
		return n == 4 && s[1] == 'u' && s[2] == 'l' && s[3] == 'l';
	default:
		if (n == 1) return s[0] >= '0' && s[0] <= '9';
		return is_number(s, n);
	}
}

#endif
