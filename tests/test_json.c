/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json_unescape and the capped JSON writer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

static void test_unescape(void)
{
	static const struct {
		const char *raw, *want;
	} cases[] = {
	    {"plain", "plain"},
	    {"a\\\"b\\\\c\\/d", "a\"b\\c/d"},
	    {"\\n\\t\\r\\b\\f", "\n\t\r\b\f"},
	    {"\\u6d4b\\u8bd5", "\xe6\xb5\x8b\xe8\xaf\x95"}, /* 测试 */
	    {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},         /* surrogate pair */
	    {"\\ud83d", "\xef\xbf\xbd"},                    /* lone high surrogate */
	    {"\\ude00x", "\xef\xbf\xbd"
	                 "x"}, /* lone low surrogate */
	    {"\\u00e9", "\xc3\xa9"},
	    {"\\u12", "\xef\xbf\xbd"
	              "12"},                          /* short \u */
	    {"raw \xe7\x94\x9f", "raw \xe7\x94\x9f"}, /* raw UTF-8 kept */
	    /* a NUL does not cut the name: it stays the escape */
	    {"evil.com\\u0000.example.com", "evil.com\\u0000.example.com"},
	    {"\\u0000", "\\u0000"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[64];
		struct tc_view v = {cases[i].raw, strlen(cases[i].raw)};
		json_unescape(v, out, sizeof out);
		is_str(out, cases[i].want, "unescape \"%s\"", cases[i].raw);
	}
	char small[4];
	struct tc_view v = {"\\u6d4b\\u8bd5", 12};
	is_int(json_unescape(v, small, sizeof small), 3, "a cap never splits a UTF-8 sequence");
	struct tc_view rawzh = {"\xe6\xb5\x8b\xe8\xaf\x95", 6};
	is_int(json_unescape(rawzh, small, sizeof small), 3, "nor does it split raw UTF-8");
	char six[7];
	struct tc_view nul = {"a\\u0000", 7};
	is_int(json_unescape(nul, six, sizeof six), 1, "a cap never splits the \\u0000 escape");
	struct tc_view absent = {NULL, 0};
	is_int(json_unescape(absent, small, sizeof small), 0, "absent view decodes to \"\"");
}

static void test_writer(void)
{
	struct jbuf b;
	jbuf_init(&b, 1024);
	jbuf_string(&b, "a\"b\\c\n\x01\xe6\xb5\x8b", 10);
	is_str(b.p, "\"a\\\"b\\\\c\\n\\u0001\xe6\xb5\x8b\"",
	       "escapes quotes, controls; keeps UTF-8");
	jbuf_free(&b);
	jbuf_init(&b, 1024);
	jbuf_string(&b,
	            "a\xc2\x85"
	            "b\xc2\x9f\xc2\xa0",
	            8);
	is_str(b.p, "\"a\\u0085b\\u009f\xc2\xa0\"", "escapes C1 (NEL, U+009F); keeps U+00A0");
	jbuf_free(&b);

	jbuf_init(&b, 8);
	jbuf_puts(&b, "1234567");
	ok(!b.overflow, "fits up to the cap less the NUL");
	jbuf_puts(&b, "8");
	ok(b.overflow, "one byte past the cap overflows");
	is_str(b.p, "1234567", "content kept as it was before the overflow");
	jbuf_free(&b);

	jbuf_init(&b, 1 << 20);
	for (int i = 0; i < 10000; i++)
		jbuf_printf(&b, "%d,", i);
	ok(!b.overflow && b.len == 48890, "grows across many appends (%zu bytes)", b.len);
	jbuf_free(&b);
}

int main(void)
{
	test_unescape();
	test_writer();
	return tap_done();
}
