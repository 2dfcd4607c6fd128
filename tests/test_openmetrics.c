/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --output openmetrics: the exposition of a report and of an error, byte for
 * byte, and label values made safe (escapes, control characters, bytes that
 * are not UTF-8). The real parser's verdict is in it_openmetrics.py. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs.h"
#include "openmetrics.h"
#include "tap.h"

#define DAY 86400LL
#define NOW 1795823999LL /* Beijing 2026-11-28 07:59:59 */

struct cert_row {
	const char *id, *domain;
	long long end_delta; /* from NOW; 0 = no CertEndTime */
};

static char *capture(void (*fn)(FILE *, void *), void *arg)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	fn(f, arg);
	fclose(f);
	return p;
}

struct run {
	const struct cert_row *rows;
	size_t n;
	struct out_opts *oo;
};

static struct select_opts sel;
static struct eval_opts ev;

static void run_report(FILE *f, void *arg)
{
	struct run *r = arg;
	struct report rep;
	char ends[16][20];
	report_init(&rep, &sel, &ev, 1);
	struct client_sink s = report_sink(&rep);
	for (size_t i = 0; i < r->n; i++) {
		struct cert_spec c = {
		    .id = r->rows[i].id, .domain = r->rows[i].domain, .status = 1};
		if (r->rows[i].end_delta) {
			eval_format_time(NOW + r->rows[i].end_delta, ' ', ends[i]);
			c.end = ends[i];
		}
		s.cert(s.ctx, 0, mk(&c));
	}
	s.commit(s.ctx, 0);
	report_finish(&rep);
	out_report(f, &rep, r->oo);
	report_free(&rep);
}

static void run_error(FILE *f, void *arg)
{
	om_error(f, TC_UNKNOWN, arg);
}

static void test_report(void)
{
	static const struct cert_row rows[] = {
	    {.id = "Ok000001", .domain = "www.example.com", .end_delta = 60 * DAY},
	    {.id = "Exp00002", .domain = "old.example.com", .end_delta = -2 * DAY + 1},
	    {.id = "Nul00003", .domain = NULL, .end_delta = 0},
	};
	struct out_opts oo = {.openmetrics = 1, .fetch_time = 0.25, .empty_state = TC_OK};
	memset(&sel, 0, sizeof sel);
	memset(&ev, 0, sizeof ev);
	thr_parse("30", &ev.warn);
	thr_parse("7", &ev.crit);
	ev.now = NOW;
	oo.warn = &ev.warn;
	oo.crit = &ev.crit;
	struct run r = {rows, 3, &oo};
	char *got = capture(run_report, &r);
	char want[4096];
	snprintf(
	    want, sizeof want,
	    "# HELP tencentcloud_ssl_certificate_days_left Whole days left until the "
	    "certificate expires, rounded down (negative once expired).\n"
	    "# TYPE tencentcloud_ssl_certificate_days_left gauge\n"
	    "tencentcloud_ssl_certificate_days_left{id=\"Exp00002\",domain=\"old.example.com\"} "
	    "-2\n"
	    "tencentcloud_ssl_certificate_days_left{id=\"Ok000001\",domain=\"www.example.com\"} "
	    "60\n"
	    "# HELP tencentcloud_ssl_certificate_not_after_timestamp_seconds End of the "
	    "certificate's validity (CertEndTime) as Unix time.\n"
	    "# TYPE tencentcloud_ssl_certificate_not_after_timestamp_seconds gauge\n"
	    "# UNIT tencentcloud_ssl_certificate_not_after_timestamp_seconds seconds\n"
	    "tencentcloud_ssl_certificate_not_after_timestamp_seconds{id=\"Exp00002\","
	    "domain=\"old.example.com\"} %lld\n"
	    "tencentcloud_ssl_certificate_not_after_timestamp_seconds{id=\"Ok000001\","
	    "domain=\"www.example.com\"} %lld\n"
	    "# HELP tencentcloud_ssl_certificate_state State of the certificate: 0 OK, 1 "
	    "WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	    "# TYPE tencentcloud_ssl_certificate_state gauge\n"
	    "tencentcloud_ssl_certificate_state{id=\"Exp00002\",domain=\"old.example.com\"} 2\n"
	    "tencentcloud_ssl_certificate_state{id=\"Nul00003\",domain=\"\"} 3\n"
	    "tencentcloud_ssl_certificate_state{id=\"Ok000001\",domain=\"www.example.com\"} 0\n"
	    "# HELP tencentcloud_ssl_check_certificates Selected certificates per state.\n"
	    "# TYPE tencentcloud_ssl_check_certificates gauge\n"
	    "tencentcloud_ssl_check_certificates{state=\"ok\"} 1\n"
	    "tencentcloud_ssl_check_certificates{state=\"warning\"} 0\n"
	    "tencentcloud_ssl_check_certificates{state=\"critical\"} 1\n"
	    "tencentcloud_ssl_check_certificates{state=\"unknown\"} 1\n"
	    "# HELP tencentcloud_ssl_check_certificates_selected Certificates evaluated after "
	    "the local selection.\n"
	    "# TYPE tencentcloud_ssl_check_certificates_selected gauge\n"
	    "tencentcloud_ssl_check_certificates_selected 3\n"
	    "# HELP tencentcloud_ssl_check_certificates_listed Certificates the API listed.\n"
	    "# TYPE tencentcloud_ssl_check_certificates_listed gauge\n"
	    "tencentcloud_ssl_check_certificates_listed 3\n"
	    "# HELP tencentcloud_ssl_check_min_days_left Fewest days left of the selected "
	    "certificates.\n"
	    "# TYPE tencentcloud_ssl_check_min_days_left gauge\n"
	    "tencentcloud_ssl_check_min_days_left -2\n"
	    "# HELP tencentcloud_ssl_check_fetch_duration_seconds Time spent listing the "
	    "certificates.\n"
	    "# TYPE tencentcloud_ssl_check_fetch_duration_seconds gauge\n"
	    "# UNIT tencentcloud_ssl_check_fetch_duration_seconds seconds\n"
	    "tencentcloud_ssl_check_fetch_duration_seconds 0.250\n"
	    "# HELP tencentcloud_ssl_check_state State of the check as its exit code: 0 OK, 1 "
	    "WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	    "# TYPE tencentcloud_ssl_check_state gauge\n"
	    "tencentcloud_ssl_check_state 2\n"
	    "# HELP tencentcloud_ssl_check_success 1 when every certificate was listed and "
	    "evaluated, 0 when the check failed.\n"
	    "# TYPE tencentcloud_ssl_check_success gauge\n"
	    "tencentcloud_ssl_check_success 1\n"
	    "# EOF\n",
	    NOW - 2 * DAY + 1, NOW + 60 * DAY);
	is_str(got, want, "report exposition, byte for byte");
	free(got);
}

static void test_error(void)
{
	char *got = capture(run_error, "API error X: bad \"quote\" \\ back|slash;\n\x01");
	is_str(got,
	       "# HELP tencentcloud_ssl_check_state State of the check as its exit code: 0 OK, 1 "
	       "WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	       "# TYPE tencentcloud_ssl_check_state gauge\n"
	       "tencentcloud_ssl_check_state 3\n"
	       "# HELP tencentcloud_ssl_check_success 1 when every certificate was listed and "
	       "evaluated, 0 when the check failed.\n"
	       "# TYPE tencentcloud_ssl_check_success gauge\n"
	       "tencentcloud_ssl_check_success 0\n"
	       "# HELP tencentcloud_ssl_check_error 1, with why the check failed as its message "
	       "label.\n"
	       "# TYPE tencentcloud_ssl_check_error gauge\n"
	       "tencentcloud_ssl_check_error{message=\"API error X: bad \\\"quote\\\" \\\\ "
	       "back_slash___\"} 1\n"
	       "# EOF\n",
	       "error exposition: state 3, success 0, the status-line message as a label");
	free(got);
}

/* Label values as they come out, for hostile names. */
static void test_labels(void)
{
	static const struct {
		const char *name, *domain, *label;
	} cases[] = {
	    /* domains are raw JSON string contents, decoded by the report */
	    {.name = "quote", .domain = "a\\\"b", .label = "a\\\"b"},
	    {.name = "backslash", .domain = "a\\\\b", .label = "a\\\\b"},
	    {.name = "newline", .domain = "a\\nb", .label = "a\\nb"},
	    {.name = "raw newline byte", .domain = "a\nb", .label = "a\\nb"},
	    {.name = "other control characters", .domain = "a\rb\tc\x7f", .label = "a_b_c_"},
	    {.name = "C1 controls, raw and escaped",
	     .domain = "a\xc2\x85"
	               "b\\u009fc",
	     .label = "a_b_c"},
	    {.name = "invalid UTF-8",
	     .domain = "a\xff\xc3(b",
	     .label = "a\xef\xbf\xbd\xef\xbf\xbd(b"},
	    {.name = "truncated sequence at the end",
	     .domain = "ab\xe6\xb5",
	     .label = "ab\xef\xbf\xbd\xef\xbf\xbd"},
	    {.name = "valid UTF-8 kept", .domain = "测试.example.com", .label = "测试.example.com"},
	    {.name = "| ; = and braces kept", .domain = "a|b;c=d}{,", .label = "a|b;c=d}{,"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cert_row row = {.id = "L1", .domain = cases[i].domain, .end_delta = DAY};
		struct out_opts oo = {.openmetrics = 1};
		memset(&sel, 0, sizeof sel);
		memset(&ev, 0, sizeof ev);
		thr_parse("30", &ev.warn);
		thr_parse("7", &ev.crit);
		ev.now = NOW;
		struct run r = {&row, 1, &oo};
		char *got = capture(run_report, &r);
		char want[512];
		snprintf(want, sizeof want,
		         "tencentcloud_ssl_certificate_state{id=\"L1\",domain=\"%s\"} 2\n",
		         cases[i].label);
		ok(got && strstr(got, want) != NULL, "label: %s", cases[i].name);
		if (!got || !strstr(got, want)) printf("# want %s# in %s\n", want, got);
		free(got);
	}
}

static void test_prebuild(void)
{
	char buf[2048], small[16];
	struct out_opts om = {.openmetrics = 1}, js = {.json = 1}, tx = {0};
	size_t n = out_fail_prebuild(&om, TC_CRITICAL, "timed out after 3 s", buf, sizeof buf);
	ok(n > 0 && n == strlen(buf), "prebuild openmetrics fits");
	ok(strstr(buf, "tencentcloud_ssl_check_state 2\n") &&
	       strstr(buf, "message=\"timed out after 3 s\"") &&
	       strcmp(buf + n - 6, "# EOF\n") == 0,
	   "prebuild openmetrics: the timeout state and # EOF");
	n = out_fail_prebuild(&js, TC_UNKNOWN, "timed out after 3 s", buf, sizeof buf);
	is_str(buf,
	       "{\"state\":\"UNKNOWN\",\"summary\":\"TENCENTCLOUD_SSL UNKNOWN - timed out after 3 "
	       "s\",\"error\":\"timed out after 3 s\",\"counts\":null,\"certificates\":[]}\n",
	       "prebuild json: as the timeout line always was");
	n = out_fail_prebuild(&tx, TC_WARNING, "timed out after 3 s", buf, sizeof buf);
	is_str(buf, "TENCENTCLOUD_SSL WARNING - timed out after 3 s\n", "prebuild text");
	is_int(n, strlen(buf), "prebuild returns the length");
	is_int(out_fail_prebuild(&tx, TC_WARNING, "timed out after 3 s", small, sizeof small), 0,
	       "prebuild: 0 when it does not fit");
}

int main(void)
{
	test_report();
	test_error();
	test_labels();
	test_prebuild();
	return tap_done();
}
