/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Reads 4 hex digits at s (n bytes available); -1 when not 4 hex digits. */
static long hex4(const char *s, size_t n)
{
	long v = 0;
	if (n < 4) return -1;
	for (int i = 0; i < 4; i++) {
		int h = hexval(s[i]);
		if (h < 0) return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t utf8_encode(unsigned long cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t json_unescape(struct tc_view raw, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	if (cap == 0) return 0;
	while (raw.p && i < raw.n) {
		char enc[6];
		size_t k = 1;
		char c = raw.p[i++];
		enc[0] = c;
		if ((unsigned char)c >= 0xC0) {
			/* A raw UTF-8 sequence is copied whole so the cap never splits it. */
			size_t len = (unsigned char)c >= 0xF0   ? 4
			             : (unsigned char)c >= 0xE0 ? 3
			                                        : 2;
			while (k < len && i < raw.n && ((unsigned char)raw.p[i] & 0xC0) == 0x80)
				enc[k++] = raw.p[i++];
		} else if (c == '\\' && i < raw.n) {
			char e = raw.p[i++];
			switch (e) {
			case 'n':
				enc[0] = '\n';
				break;
			case 't':
				enc[0] = '\t';
				break;
			case 'r':
				enc[0] = '\r';
				break;
			case 'b':
				enc[0] = '\b';
				break;
			case 'f':
				enc[0] = '\f';
				break;
			case 'u': {
				long cp = hex4(raw.p + i, raw.n - i);
				if (cp < 0) {
					cp = 0xFFFD;
				} else {
					i += 4;
					if (cp >= 0xD800 && cp <= 0xDBFF) {
						long lo = (i + 6 <= raw.n && raw.p[i] == '\\' &&
						           raw.p[i + 1] == 'u')
						              ? hex4(raw.p + i + 2, raw.n - i - 2)
						              : -1;
						if (lo >= 0xDC00 && lo <= 0xDFFF) {
							cp = 0x10000 + ((cp - 0xD800) << 10) +
							     (lo - 0xDC00);
							i += 6;
						} else {
							cp = 0xFFFD;
						}
					} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
						cp = 0xFFFD;
					}
				}
				if (cp == 0) { /* shown as the escape: a NUL would end the name */
					memcpy(enc, "\\u0000", 6);
					k = 6;
					break;
				}
				k = utf8_encode((unsigned long)cp, enc);
				break;
			}
			default:
				enc[0] = e;
				break; /* \" \\ \/ */
			}
		}
		if (o + k >= cap) break;
		memcpy(out + o, enc, k);
		o += k;
	}
	out[o] = '\0';
	return o;
}

void jbuf_init(struct jbuf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->overflow = 0;
}

void jbuf_free(struct jbuf *b)
{
	free(b->p);
	jbuf_init(b, b->max);
}

/* Makes room for n more bytes plus a NUL; 0 when the cap or memory forbids. */
static int reserve(struct jbuf *b, size_t n)
{
	if (b->overflow) return 0;
	if (n > b->max || b->len + n + 1 > b->max) {
		b->overflow = 1;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		size_t want = b->cap ? b->cap : 256;
		while (want < b->len + n + 1)
			want *= 2;
		if (want > b->max) want = b->max;
		char *np = realloc(b->p, want);
		if (!np) {
			b->overflow = 1;
			return 0;
		}
		b->p = np;
		b->cap = want;
	}
	return 1;
}

void jbuf_putn(struct jbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n)) return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void jbuf_puts(struct jbuf *b, const char *s)
{
	jbuf_putn(b, s, strlen(s));
}

void jbuf_printf(struct jbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		b->overflow = 1;
		return;
	}
	jbuf_putn(b, tmp, (size_t)n);
}

void jbuf_string(struct jbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0;
	jbuf_putn(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];
		size_t k = 2;
		int w = 0; /* bytes past s[i] the escape stands for */
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
		} else if (c == '\n') {
			memcpy(esc, "\\n", 2);
		} else if (c == '\r') {
			memcpy(esc, "\\r", 2);
		} else if (c == '\t') {
			memcpy(esc, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f ||
		           (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] < 0xA0 &&
		            (unsigned char)s[i + 1] >= 0x80)) {
			/* C0, DEL and C1 (U+0080..U+009F, two bytes in UTF-8) escaped */
			if (c == 0xC2) {
				w = 1;
				c = (unsigned char)s[i + 1];
			}
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			k = 6;
		} else {
			continue;
		}
		jbuf_putn(b, s + start, i - start);
		jbuf_putn(b, esc, k);
		i += (size_t)w;
		start = i + 1;
	}
	jbuf_putn(b, s + start, n - start);
	jbuf_putn(b, "\"", 1);
}
