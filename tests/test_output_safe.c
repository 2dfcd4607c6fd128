/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output is safe for Nagios in one place (out_clean): per place (status line,
 * long output, perfdata label) the forbidden bytes become '_', control
 * characters too, and bytes that are not UTF-8 become U+FFFD, in every text
 * line the plugin prints. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "tap.h"

#define DAY  86400LL
#define NOW  1795823999LL
#define FFFD "\xef\xbf\xbd"

static const struct {
	const char *name, *in;
	enum out_ctx ctx;
	size_t cap;
	const char *out;
} clean_cases[] = {
    {.name = "status: | and ; shown as _",
     .in = "a|b;c",
     .ctx = OUT_CTX_STATUS,
     .cap = 64,
     .out = "a_b_c"},
    {.name = "long: ; kept, | shown as _",
     .in = "a|b;c",
     .ctx = OUT_CTX_LONG,
     .cap = 64,
     .out = "a_b;c"},
    {.name = "label: = ; | space, ' doubled",
     .in = "a=b;c|d e'f",
     .ctx = OUT_CTX_LABEL,
     .cap = 64,
     .out = "a_b_c_d_e''f"},
    {.name = "one line: newline, CR, tab, DEL",
     .in = "a\nb\rc\td\x7f",
     .ctx = OUT_CTX_LONG,
     .cap = 64,
     .out = "a_b_c_d_"},
    {.name = "C1 controls (NEL, U+0080, U+009F) like C0",
     .in = "a\xc2\x85"
           "b\xc2\x80"
           "c\xc2\x9f",
     .ctx = OUT_CTX_STATUS,
     .cap = 64,
     .out = "a_b_c_"},
    {.name = "C1 in a label, U+00A0 kept",
     .in = "x\xc2\x85\xc2\xa0",
     .ctx = OUT_CTX_LABEL,
     .cap = 64,
     .out = "x_\xc2\xa0"},
    {.name = "stray continuation byte",
     .in = "a\x80z",
     .ctx = OUT_CTX_STATUS,
     .cap = 64,
     .out = "a" FFFD "z"},
    {.name = "Latin-1 byte",
     .in = "caf\xe9!",
     .ctx = OUT_CTX_LONG,
     .cap = 64,
     .out = "caf" FFFD "!"},
    {.name = "overlong '/'", .in = "\xc0\xaf", .ctx = OUT_CTX_LABEL, .cap = 64, .out = FFFD FFFD},
    {.name = "UTF-16 surrogate",
     .in = "\xed\xa0\x80",
     .ctx = OUT_CTX_STATUS,
     .cap = 64,
     .out = FFFD FFFD FFFD},
    {.name = "past U+10FFFF",
     .in = "\xf4\x90\x80\x80",
     .ctx = OUT_CTX_STATUS,
     .cap = 64,
     .out = FFFD FFFD FFFD FFFD},
    {.name = "cut sequence at the end",
     .in = "ab\xe6\xb5",
     .ctx = OUT_CTX_STATUS,
     .cap = 64,
     .out = "ab" FFFD FFFD},
    {.name = "valid CJK and emoji kept",
     .in = "测试\xf0\x9f\x94\x92",
     .ctx = OUT_CTX_STATUS,
     .cap = 64,
     .out = "测试\xf0\x9f\x94\x92"},
    {.name = "cap never splits a character",
     .in = "ab\xc3\xa9\xc3\xa9",
     .ctx = OUT_CTX_STATUS,
     .cap = 6,
     .out = "ab\xc3\xa9"},
    {.name = "cap never splits U+FFFD",
     .in = "ab\xff\xff",
     .ctx = OUT_CTX_STATUS,
     .cap = 7,
     .out = "ab" FFFD},
    {.name = "cap never splits a doubled quote",
     .in = "abc'",
     .ctx = OUT_CTX_LABEL,
     .cap = 5,
     .out = "abc"},
    {.name = "NULL is empty", .in = NULL, .ctx = OUT_CTX_STATUS, .cap = 8, .out = ""},
};

static void test_clean(void)
{
	for (size_t i = 0; i < sizeof clean_cases / sizeof clean_cases[0]; i++) {
		char out[64];
		size_t n =
		    out_clean(clean_cases[i].in, clean_cases[i].ctx, out, clean_cases[i].cap);
		is_str(out, clean_cases[i].out, "out_clean: %s", clean_cases[i].name);
		is_int(n, strlen(clean_cases[i].out), "out_clean: %s: length", clean_cases[i].name);
	}
}

/* 1 when s is valid UTF-8 throughout. */
static int valid_utf8(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t k = out_utf8_seq(s + i, n - i);
		if (k == 0) return 0;
		i += k;
	}
	return 1;
}

static char *text_of(const char *id, const char *domain, const char *bound)
{
	static struct select_opts sel;
	static struct eval_opts ev;
	struct out_opts oo = {.perfdata_per_cert = 1, .verbose = 1};
	struct report rep;
	static char *p; /* static: gcc takes open_memstream's buffer for a local */
	static size_t n;
	char end[20];
	p = NULL;
	thr_parse("30", &ev.warn);
	thr_parse("7", &ev.crit);
	ev.now = NOW;
	oo.warn = &ev.warn;
	oo.crit = &ev.crit;
	report_init(&rep, &sel, &ev, 1);
	struct client_sink s = report_sink(&rep);
	struct resp_cert c;
	memset(&c, 0, sizeof c);
	c.id = (struct tc_view){id, strlen(id)};
	c.domain = (struct tc_view){domain, strlen(domain)};
	c.status = 1;
	eval_format_time(NOW + 3 * DAY, ' ', end);
	c.end_time = (struct tc_view){end, 19};
	c.bound[0] = (struct tc_view){bound, strlen(bound)};
	c.n_bound = 1;
	s.cert(s.ctx, 0, &c);
	s.commit(s.ctx, 0);
	report_finish(&rep);
	FILE *f = open_memstream(&p, &n);
	out_report(f, &rep, &oo);
	fclose(f);
	report_free(&rep);
	return p;
}

/* Raw JSON string contents as the API could send them (json_unescape keeps
 * bytes that are not UTF-8 as they are). */
static void test_text_output(void)
{
	char *out = text_of("id\xff", "bad\xc3(\xe9|x;y.example.com", "clb\xfe|");
	ok(out && valid_utf8(out), "text output is valid UTF-8 throughout");
	char *status = out, *nl = strchr(out, '\n');
	*nl = '\0';
	char *longl = nl + 1, *nl2 = strchr(longl, '\n');
	*nl2 = '\0';
	char *perf = nl2 + 1;
	ok(strstr(status, "bad" FFFD "(" FFFD "_x_y.example.com (id id" FFFD ") expires in 3 d") !=
	       NULL,
	   "status line: U+FFFD for the bad bytes, _ for | and ;");
	ok(strstr(longl, "bad" FFFD "(" FFFD "_x;y.example.com (id id" FFFD "): CRITICAL") == longl,
	   "long output: U+FFFD, | shown as _, ; kept");
	ok(strstr(longl, ", bound to clb" FFFD "_") != NULL, "long output: bound resource cleaned");
	ok(strstr(perf, "|'days_id" FFFD "_bad" FFFD "(" FFFD "_x_y.example.com'=3;30:;7:;;") ==
	       perf,
	   "perfdata label: U+FFFD, = ; | as _");
	if (!valid_utf8(perf) || strstr(perf, "'days") == NULL) printf("# %s\n", perf);
	free(out);
}

static void test_error_line(void)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	out_error(f, TC_UNKNOWN, "API error X: caf\xe9 | ok; \xf0\x9f\x94\x92\nnext");
	fclose(f);
	is_str(p,
	       "TENCENTCLOUD_SSL UNKNOWN - API error X: caf" FFFD " _ ok_ \xf0\x9f\x94\x92_next\n",
	       "error line: one line, valid UTF-8, no | or ;");
	free(p);
}

int main(void)
{
	test_clean();
	test_text_output();
	test_error_line();
	return tap_done();
}
