/* SPDX-License-Identifier: GPL-3.0-or-later */
/* thr_parse and thr_alerts: the threshold grammar and Nagios range semantics. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tap.h"
#include "thresholds.h"

struct parse_case {
	const char *in;
	int percent, inside, start_inf, end_inf;
	double start, end;
	const char *text;
};

/* accepted: what each form means, and its perfdata text (none for %) */
static const struct parse_case parse_cases[] = {
    {.in = "30", .end_inf = 1, .start = 30, .text = "30:"},
    {.in = "0", .end_inf = 1, .text = "0:"},
    {.in = "7.5", .end_inf = 1, .start = 7.5, .text = "7.5:"},
    {.in = "10:", .end_inf = 1, .start = 10, .text = "10:"},
    {.in = "~:10", .start_inf = 1, .end = 10, .text = "~:10"},
    {.in = "10:20", .start = 10, .end = 20, .text = "10:20"},
    {.in = "@10:20", .inside = 1, .start = 10, .end = 20, .text = "@10:20"},
    {.in = "@10", .inside = 1, .end = 10, .text = "@10"},
    {.in = ":10", .end = 10, .text = ":10"},
    {.in = "-5:", .end_inf = 1, .start = -5, .text = "-5:"},
    {.in = "-10:-5", .start = -10, .end = -5, .text = "-10:-5"},
    {.in = "~:", .start_inf = 1, .end_inf = 1, .text = "~:"},
    {.in = "20:20", .start = 20, .end = 20, .text = "20:20"},
    {.in = "25%", .percent = 1, .end_inf = 1, .start = 25, .text = ""},
    {.in = "0%", .percent = 1, .end_inf = 1, .text = ""},
    {.in = "100%", .percent = 1, .end_inf = 1, .start = 100, .text = ""},
    {.in = "12.5%", .percent = 1, .end_inf = 1, .start = 12.5, .text = ""},
    {.in = "123456789012", .end_inf = 1, .start = 123456789012.0, .text = "123456789012:"},
};

/* refused: thr_parse returns -1 */
static const char *const rejects[] = {
    /* garbage */
    "3O", "", "1:2:3", "%", "-", "abc",
    /* percent out of range */
    "-5%", "101%", "100.5%",
    /* only plain non-negative decimals */
    "NaN", "nan%", "inf", "1e3", "0x10", "-5", "+5", " 5", "5 ", "5.", ".5", "1.2.3",
    /* not a range */
    "20:10", ":", "@:", "@", "~", "~10", "10:~", "@@10", "10@", "25%:", "~:25%", "10;20",
    /* too many digits, a control character */
    "1234567890123", "000000000000000000000000000000001", "5\t"};

struct alert_case {
	const char *thr;
	double value;
	int alerts;
};

static const struct alert_case alert_cases[] = {
    {"30", 29, 1},     {"30", 29.9, 1},   {"30", 30, 0},    {"30", 31, 0},     {"30", -3, 1},
    {"0", 0, 0},       {"0", -1, 1},      {"7.5", 7, 1},    {"7.5", 8, 0},     {"10:", 9, 1},
    {"10:", 10, 0},    {"~:10", 10, 0},   {"~:10", 11, 1},  {"~:10", -999, 0}, {"10:20", 9, 1},
    {"10:20", 10, 0},  {"10:20", 20, 0},  {"10:20", 21, 1}, {"@10:20", 9, 0},  {"@10:20", 10, 1},
    {"@10:20", 20, 1}, {"@10:20", 21, 0}, {"@10", 0, 1},    {"@10", 10, 1},    {"@10", 11, 0},
    {"@10", -1, 0},    {":10", -1, 1},    {":10", 5, 0},    {"-5:", -6, 1},    {"-5:", -5, 0},
    {"~:", -1e9, 0},   {"25%", 24.99, 1}, {"25%", 25, 0},   {"0%", 0, 0},      {"100%", 99.9, 1},
    {"100%", 100, 0},  {"30", NAN, 1},
};

int main(void)
{
	for (size_t i = 0; i < sizeof parse_cases / sizeof *parse_cases; i++) {
		const struct parse_case *c = &parse_cases[i];
		struct thr t;
		int rc = thr_parse(c->in, &t);
		is_int(rc, 0, "thr_parse(\"%s\") returns 0", c->in);
		if (rc != 0) continue;
		ok(t.percent == c->percent && t.inside == c->inside &&
		       t.start_inf == c->start_inf && t.end_inf == c->end_inf,
		   "thr_parse(\"%s\") flags", c->in);
		if (!c->start_inf) ok(t.start == c->start, "thr_parse(\"%s\") start", c->in);
		if (!c->end_inf) ok(t.end == c->end, "thr_parse(\"%s\") end", c->in);
		is_str(t.text, c->text, "thr_parse(\"%s\") perfdata text", c->in);
	}
	for (size_t i = 0; i < sizeof rejects / sizeof *rejects; i++) {
		struct thr t;
		is_int(thr_parse(rejects[i], &t), -1, "thr_parse(\"%s\") returns -1", rejects[i]);
	}

	/* a value too long for the struct's text, and NULL */
	char longv[200];
	memset(longv, '1', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	struct thr t;
	is_int(thr_parse(longv, &t), -1, "a 199-byte value is refused");
	is_int(thr_parse(NULL, &t), -1, "NULL is refused");
	memcpy(longv, "10:", 3);
	memset(longv + 3, '2', 40);
	longv[43] = '\0';
	is_int(thr_parse(longv, &t), -1, "a range longer than THR_MAX_LEN is refused");

	for (size_t i = 0; i < sizeof alert_cases / sizeof *alert_cases; i++) {
		const struct alert_case *c = &alert_cases[i];
		struct thr th;
		if (thr_parse(c->thr, &th) != 0) {
			ok(0, "thr_parse(\"%s\") for alert case", c->thr);
			continue;
		}
		is_int(thr_alerts(&th, c->value), c->alerts, "\"%s\" at %g alerts: %d", c->thr,
		       c->value, c->alerts);
	}
	return tap_done();
}
