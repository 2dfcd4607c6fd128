/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the output tests share (test_output.c, test_report_pages.c): certificates given by their
 * times relative to NOW, the options set up for thresholds, pages fed into a report, and the
 * report rendered and compared. Static inline, so a program that uses a part builds without
 * warnings about the rest. */
#ifndef TC_OUTPUT_HARNESS_H
#define TC_OUTPUT_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs.h"
#include "output.h"
#include "tap.h"

#define DAY     86400LL
#define NO_TIME 0x7fffffffLL
/* Beijing 2026-11-28 07:59:59: SPEC's example certificates are then 2 d
 * expired (2026-11-26 07:59:59) and 5 d left (2026-12-03 23:59:59). */
#define NOW 1795823999LL

/* A certificate with its times relative to NOW, issued unless .status says otherwise. */
struct spec {
	const char *id, *domain, *alias;
	long long end;        /* CertEndTime, seconds from NOW, or NO_TIME: none */
	const char *end_text; /* a literal CertEndTime instead of end */
	long long begin;      /* CertBeginTime, seconds from NOW; 0: none */
	long status;          /* 0 in a table means 1 (issued) */
	const char *bound[3];
	const char *san[3];
};

static inline const struct resp_cert *cert_of(const struct spec *s)
{
	static char end_buf[20], begin_buf[20];
	struct cert_spec c = {.id = s->id,
	                      .domain = s->domain,
	                      .alias = s->alias,
	                      .status = s->status ? s->status : 1,
	                      .end = s->end_text};
	if (!s->end_text && s->end != NO_TIME) {
		eval_format_time(NOW + s->end, ' ', end_buf);
		c.end = end_buf;
	}
	if (s->begin) {
		eval_format_time(NOW + s->begin, ' ', begin_buf);
		c.begin = begin_buf;
	}
	for (int i = 0; i < 3; i++) {
		c.bound[i] = s->bound[i];
		c.san[i] = s->san[i];
	}
	return mk(&c);
}

static struct select_opts sel;
static struct eval_opts ev;
static struct out_opts oo;

static inline void setup(const char *w, const char *c)
{
	memset(&sel, 0, sizeof sel);
	memset(&ev, 0, sizeof ev);
	memset(&oo, 0, sizeof oo);
	thr_parse(w, &ev.warn);
	thr_parse(c, &ev.crit);
	ev.now = NOW;
	oo.warn = &ev.warn;
	oo.crit = &ev.crit;
	oo.max_output = 0;
	oo.empty_state = TC_OK;
}

/* Feeds n certificates under one page and commits it. */
static inline void feed(struct report *r, unsigned page, const struct spec *s, size_t n, int commit)
{
	struct client_sink k = report_sink(r);
	for (size_t i = 0; i < n; i++)
		k.cert(k.ctx, page, cert_of(&s[i]));
	if (commit) k.commit(k.ctx, page);
}

static inline char *render(const struct report *r, enum tc_state *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	enum tc_state s = out_report(f, r, &oo);
	if (st) *st = s;
	fclose(f);
	return buf;
}

static inline void check(const struct report *r, const char *want, enum tc_state want_st,
                         const char *name)
{
	enum tc_state st;
	char *got = render(r, &st);
	is_str(got, want, "%s: output", name);
	is_str(tc_state_name(st), tc_state_name(want_st), "%s: state", name);
	free(got);
}

#endif
