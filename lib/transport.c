/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "client.h"
#include "clock.h"
#include "curlload.h"
#include "listing.h"
#include "redact.h"
#include "retry.h"
#include "secret.h"
#include "signreq.h"
#include "tc3.h"
#include "text.h"
#include "xfer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "transport.h"

/* ---- one request ---- */

static void slot_reset(struct slot *s, double now)
{
	resp_init(&s->parser, cert_cb, s);
	s->status = 0;
	s->bytes = 0;
	s->drain_abort = s->sink_abort = s->prereq_abort = 0;
	s->feed_err = RESP_OK;
	s->n_certs = s->n_ids = 0;
	s->errbuf[0] = '\0';
	s->started = now;
}

/* Signs and queues one attempt of the slot's page. */
static enum client_err slot_start(struct client *c, struct slot *s, double now)
{
	enum client_err e = signreq_build(&s->req, c->o, offset_of(c, s), c->why);
	if (e != CLIENT_OK) return e;
	arm_easy(c, s, now);
	slot_reset(s, now);
	log_request(c, s);
	if (curl_multi_add_handle(c->multi, s->easy) != CURLM_OK) {
		signreq_free(&s->req);
		msg_set(c->why, "cannot start a request");
		return CLIENT_ERR_FAILED;
	}
	retry_rate_take(&c->rate, now);
	c->r->requests++;
	s->state = SLOT_RUN;
	return CLIENT_OK;
}

static void slot_stop(struct client *c, struct slot *s)
{
	if (s->state == SLOT_RUN) curl_multi_remove_handle(c->multi, s->easy);
	signreq_free(&s->req);
	s->state = SLOT_IDLE;
}

static int slots_busy(const struct client *c)
{
	int n = 0;
	for (int i = 0; i < c->n_slots; i++)
		n += c->slots[i].state != SLOT_IDLE;
	return n;
}

/* Hands pages to idle slots; returns the number of slots busy afterwards. */
static int schedule(struct client *c, double now)
{
	int busy = slots_busy(c);
	for (int i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		if (s->state != SLOT_IDLE) continue;
		long long page = listing_next(&c->listing, busy);
		if (page < 0) break;
		s->page = page;
		s->attempt = 0;
		s->not_before = now;
		s->state = SLOT_WAIT;
		busy++;
	}
	return busy;
}

static void restart(struct client *c)
{
	for (int i = 0; i < c->n_slots; i++)
		slot_stop(c, &c->slots[i]);
	if (c->sink && c->sink->reset) c->sink->reset(c->sink->ctx);
}

/* ---- the end of a transfer: facts, verdict, action ---- */

enum done_rc { DONE_OK, DONE_RETRY, DONE_FAILED, DONE_TIMEOUT, DONE_INCONSISTENT };

static void gather(struct client *c, struct slot *s, CURLcode cc, double now, struct xfer_facts *f)
{
	const struct resp_summary *sum = resp_get_summary(&s->parser);
	long status = 0, connects = 1, connect_code = 0, os_errno = 0;
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &connects);
	curl_easy_getinfo(s->easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
	curl_easy_getinfo(s->easy, CURLINFO_OS_ERRNO, &os_errno);
	*f = (struct xfer_facts){
	    .curl_code = (int)cc,
	    .curl_text = s->errbuf[0] ? s->errbuf : curl_easy_strerror(cc),
	    .status = status,
	    .bytes = s->bytes,
	    .sink_abort = s->sink_abort,
	    .drain_abort = s->drain_abort,
	    .feed_err = (int)s->feed_err,
	    .api_code = sum->error_code,
	    .deadline_hit = now >= c->o->deadline - 0.05,
	    .reused = cc != CURLE_OK && connects == 0,
	    .host = c->o->ep.host,
	    .proxy = c->proxy.name[0] ? c->proxy.name : NULL,
	    .connect_code = connect_code,
	    .os_errno = (int)os_errno,
	};
	/* the body is checked whole only when it all arrived */
	if (!f->sink_abort && f->feed_err == RESP_OK && (cc == CURLE_OK || f->drain_abort) &&
	    status == 200 && s->bytes > 0)
		f->finish_err = (int)resp_finish(&s->parser);
	f->truncated = sum->truncated;
	f->resp_msg = resp_message(&s->parser);
}

static const char *status_text(long status, char *buf, size_t cap)
{
	if (status)
		snprintf(buf, cap, "HTTP %ld", status);
	else
		snprintf(buf, cap, "no status");
	return buf;
}

/* -v: a line per page as it completes, so a long listing is not silent. */
static void progress(struct client *c, double now)
{
	const struct listing *l = &c->listing;
	char of[40] = "";
	if (l->total >= 0) snprintf(of, sizeof of, " of %lld", l->n_pages);
	say(c, 1, "page %lld%s listed, %lld certificate%s so far, %.3f s", l->pages, of, l->listed,
	    l->listed == 1 ? "" : "s", now - c->started);
}

/* A whole page: the listing decides whether it fits. */
static enum done_rc page_done(struct client *c, struct slot *s, long status, double now)
{
	struct listing_page p = {
	    .page = s->page,
	    .has_total = resp_get_summary(&s->parser)->has_total,
	    .total_count = resp_get_summary(&s->parser)->total_count,
	    .count = s->n_certs,
	    .ids = s->ids,
	    .n_ids = s->n_ids,
	};
	struct msg why;
	msg_clear(&why);
	char st[16];
	if (s->n_certs <= (size_t)c->o->page_size)
		say(c, 2,
		    "page offset %lld attempt %d: HTTP %ld, %zu bytes, %zu certificates, %.3f s",
		    offset_of(c, s), s->attempt + 1, status, s->bytes, s->n_certs,
		    now - s->started);
	switch (listing_page(&c->listing, &p, &why)) {
	case LISTING_COMMIT:
		if (c->sink && c->sink->commit) c->sink->commit(c->sink->ctx, (unsigned)s->page);
		progress(c, now);
		return DONE_OK;
	case LISTING_INCONSISTENT:
		msg_set(&c->incons, "%s", why.text);
		msg_set(c->why, "inconsistent listing: %s", why.text);
		return DONE_INCONSISTENT;
	case LISTING_FAILED:
		break;
	}
	msg_set(c->why, "%s", why.text);
	if (s->n_certs > (size_t)c->o->page_size)
		say(c, 2, "page offset %lld attempt %d: %s, %zu bytes, %.3f s, failed: %s",
		    offset_of(c, s), s->attempt + 1, status_text(status, st, sizeof st), s->bytes,
		    now - s->started, why.text);
	return DONE_FAILED;
}

static enum done_rc slot_done(struct client *c, struct slot *s, CURLcode cc, double now)
{
	const struct client_opts *o = c->o;
	struct xfer_facts f;
	struct xfer_verdict v;

	curl_multi_remove_handle(c->multi, s->easy);
	signreq_free(&s->req);
	s->state = SLOT_IDLE;
	if (s->prereq_abort && cc != CURLE_OK) {
		/* never sent: the same attempt again, on a new connection */
		c->r->requests--;
		s->fresh = 1;
		s->not_before = now;
		s->state = SLOT_WAIT;
		say(c, 3,
		    "page offset %lld: not sent on a connection unfit for reuse, on a new one now",
		    offset_of(c, s));
		return DONE_RETRY;
	}
	gather(c, s, cc, now, &f);
	xfer_classify(&f, &v);
	if (v.fresh) poison(c, s);
	if (v.outcome == XFER_PAGE) return page_done(c, s, f.status, now);

	/* redacted whole, before anything cuts it */
	redact_text(&c->redact, v.why, sizeof v.why);
	char st[16];
	status_text(f.status, st, sizeof st);
	if (v.outcome == XFER_TIMEOUT) {
		say(c, 2, "page offset %lld attempt %d: %s, %zu bytes, %.3f s: deadline reached",
		    offset_of(c, s), s->attempt + 1, st, s->bytes, now - s->started);
		return DONE_TIMEOUT;
	}
	msg_set(c->why, "%s", v.why);
	if (retry_again(v.retry, s->attempt, o->retries)) {
		double d = retry_backoff(s->attempt, retry_unit(&c->rng));
		say(c, 2, "page offset %lld attempt %d: %s, %zu bytes, %.3f s, retry in %.2f s: %s",
		    offset_of(c, s), s->attempt + 1, st, s->bytes, now - s->started, d, v.why);
		if (c->sink && c->sink->discard) c->sink->discard(c->sink->ctx, (unsigned)s->page);
		s->attempt++;
		s->not_before = now + d; /* past the deadline, the loop ends with a timeout */
		s->state = SLOT_WAIT;
		return DONE_RETRY;
	}
	say(c, 2, "page offset %lld attempt %d: %s, %zu bytes, %.3f s, failed: %s", offset_of(c, s),
	    s->attempt + 1, st, s->bytes, now - s->started, v.why);
	return DONE_FAILED;
}

/* ---- the loop ---- */

enum step { STEP_ON, STEP_RESTARTED, STEP_END };

/* Starts every waiting slot whose time has come; *wake gets the next time one will. */
static enum client_err start_due(struct client *c, double now, double *wake)
{
	for (int i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		if (s->state != SLOT_WAIT) continue;
		double t = retry_rate_next(&c->rate, now);
		if (s->not_before > t) t = s->not_before;
		if (t <= now) {
			enum client_err e = slot_start(c, s, now);
			if (e != CLIENT_OK) return e;
		} else if (t < *wake) {
			*wake = t;
		}
	}
	return CLIENT_OK;
}

/* Acts on every finished transfer. STEP_END with *rc set ends the listing. */
static enum step finish_done(struct client *c, int *progressed, enum client_err *rc)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(c->multi, &left))) {
		if (m->msg != CURLMSG_DONE) continue;
		char *priv = NULL;
		CURLcode cc = m->data.result;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		struct slot *s = (struct slot *)priv;
		if (!s || s->state != SLOT_RUN) continue;
		*progressed = 1;
		switch (slot_done(c, s, cc, clock_mono())) {
		case DONE_OK:
		case DONE_RETRY:
			break;
		case DONE_TIMEOUT:
			*rc = CLIENT_ERR_TIMEOUT;
			return STEP_END;
		case DONE_FAILED:
			*rc = CLIENT_ERR_FAILED;
			return STEP_END;
		case DONE_INCONSISTENT:
			if (listing_restart(&c->listing) != 0) {
				*rc = CLIENT_ERR_FAILED;
				return STEP_END;
			}
			say(c, 1, "inconsistent listing (%s): restarting from the start",
			    c->incons.text);
			restart(c);
			/* messages left in the queue belong to stopped transfers */
			while (curl_multi_info_read(c->multi, &left))
				;
			return STEP_RESTARTED;
		}
	}
	return STEP_ON;
}

static int poll_ms(double wake, double now)
{
	double wait = (wake - now) * 1000.0;
	return wait <= 0 ? 0 : wait >= CLIENT_POLL_MAX_MS ? CLIENT_POLL_MAX_MS : (int)ceil(wait);
}

static enum client_err run(struct client *c)
{
	const struct client_opts *o = c->o;
	for (;;) {
		double now = clock_mono();
		if (now >= o->deadline) return CLIENT_ERR_TIMEOUT;
		if (listing_done(&c->listing, schedule(c, now))) return CLIENT_OK;
		double wake = o->deadline;
		enum client_err rc = start_due(c, now, &wake);
		if (rc != CLIENT_OK) return rc;
		int running = 0, progressed = 0;
		if (curl_multi_perform(c->multi, &running) != CURLM_OK) {
			msg_set(c->why, "libcurl multi interface failed");
			return CLIENT_ERR_FAILED;
		}
		enum step st = finish_done(c, &progressed, &rc);
		if (st == STEP_END) return rc;
		if (st == STEP_RESTARTED || progressed) continue;
		if (wake > o->deadline) wake = o->deadline;
		if (curl_multi_poll(c->multi, NULL, 0, poll_ms(wake, clock_mono()), NULL) !=
		    CURLM_OK) {
			msg_set(c->why, "libcurl multi interface failed");
			return CLIENT_ERR_FAILED;
		}
	}
}

/* ---- set-up ---- */

static enum client_err check_opts(const struct client_opts *o, struct msg *why)
{
	const char *bad = NULL;
	char range[96];
	if (o->page_size < 1 || o->page_size > CLIENT_MAX_PAGE)
		snprintf(range, sizeof range, "--page-size must be 1..%d", CLIENT_MAX_PAGE);
	else if (o->max_rate < 1 || o->max_rate > RETRY_MAX_RATE)
		snprintf(range, sizeof range, "--max-rate must be 1..%d", RETRY_MAX_RATE);
	else if (o->parallel < 1 || o->parallel > CLIENT_MAX_PARALLEL)
		snprintf(range, sizeof range, "--parallel must be 1..%d", CLIENT_MAX_PARALLEL);
	else if (o->retries < 0 || o->retries > CLIENT_MAX_RETRIES)
		snprintf(range, sizeof range, "--retries must be 0..%d", CLIENT_MAX_RETRIES);
	else
		range[0] = '\0';
	if (range[0])
		bad = range;
	else if (!o->ep.host[0])
		bad = "no endpoint (endpoint_parse was not called)";
	else if (!text_printable(o->creds.secret_id, TC3_MAX_FIELD - 1))
		bad = "bad or missing secret id";
	else if (!text_printable(o->creds.secret_key, TC3_MAX_FIELD - 1))
		bad = "bad or missing secret key";
	else if (o->creds.token && !text_printable(o->creds.token, CREDS_MAX_TOKEN - 1))
		bad = "bad session token";
	else if (o->region && !text_printable(o->region, CLIENT_MAX_HEADER - 1))
		bad = "bad --region value";
	else if (o->language && !text_printable(o->language, CLIENT_MAX_HEADER - 1))
		bad = "bad --language value";
	else if (o->proxy && !text_printable(o->proxy, PROXY_MAX_URL))
		bad = "bad --proxy value";
	if (!bad) return CLIENT_OK;
	msg_set(why, "%s", bad);
	return CLIENT_ERR_USAGE;
}

static void cleanup(struct client *c)
{
	if (c->slots) {
		for (int i = 0; i < c->n_slots; i++) {
			struct slot *s = &c->slots[i];
			if (s->state != SLOT_IDLE && c->sink && c->sink->discard)
				c->sink->discard(c->sink->ctx, (unsigned)s->page);
			slot_stop(c, s);
			if (s->easy) curl_easy_cleanup(s->easy);
		}
		free(c->slots);
	}
	if (c->multi) curl_multi_cleanup(c->multi);
	listing_free(&c->listing);
}

static enum client_err set_up(struct client *c)
{
	const struct client_opts *o = c->o;
	choose_ca(c);
	/* struct resp_parser is large: all slots once, up front, fixed memory */
	c->n_slots = o->parallel;
	c->slots = calloc((size_t)c->n_slots, sizeof *c->slots);
	c->multi = curl_multi_init();
	if (!c->slots || !c->multi) return CLIENT_ERR_FAILED;
	for (int i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		s->c = c;
		s->easy = curl_easy_init();
		if (!s->easy || setup_easy(c, s) != 0) return CLIENT_ERR_FAILED;
		redact_add(&c->redact, s->req.sig); /* filled per request */
	}
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)o->parallel);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->parallel);
	return CLIENT_OK;
}

static void summary(struct client *c, enum client_err rc)
{
	const struct client_result *r = c->r;
	if (rc == CLIENT_OK) {
		char tot[32] = "none";
		if (c->listing.total >= 0) snprintf(tot, sizeof tot, "%lld", c->listing.total);
		say(c, 1,
		    "listed %lld certificates (TotalCount %s) in %lld page%s, %d request%s, %.3f s",
		    r->listed, tot, r->pages, r->pages == 1 ? "" : "s", r->requests,
		    r->requests == 1 ? "" : "s", r->fetch_time);
	} else if (rc == CLIENT_ERR_TIMEOUT) {
		say(c, 1, "listing failed after %d request%s, %.3f s: timed out%s%s%s", r->requests,
		    r->requests == 1 ? "" : "s", r->fetch_time,
		    c->why->text[0] ? " (last error: " : "", c->why->text,
		    c->why->text[0] ? ")" : "");
	} else {
		say(c, 1, "listing failed after %d request%s, %.3f s: %s", r->requests,
		    r->requests == 1 ? "" : "s", r->fetch_time, c->why->text);
	}
}

enum client_err client_list(const struct client_opts *o, const struct client_sink *sink,
                            struct client_result *r, struct msg *why)
{
	double start = clock_mono();
	struct msg own;
	if (!why) why = &own;
	msg_clear(why);
	memset(r, 0, sizeof *r);
	r->total = r->n_pages = -1;
	enum client_err rc = check_opts(o, why);
	if (rc != CLIENT_OK) return rc;
	if (curlload(why) != 0) return CLIENT_ERR_FAILED;
	struct client *c = calloc(1, sizeof *c);
	if (!c) {
		msg_set(why, "out of memory");
		return CLIENT_ERR_FAILED;
	}
	c->o = o;
	c->sink = sink;
	c->r = r;
	c->why = why;
	c->started = start;
	retry_rate_init(&c->rate, o->max_rate);
	listing_init(&c->listing, o->page_size);
	redact_init(&c->redact);
	redact_add(&c->redact, o->creds.secret_key);
	redact_add(&c->redact, o->creds.token);
	if (name_proxy(c, why) != CLIENT_OK) {
		cleanup(c);
		free(c);
		return CLIENT_ERR_USAGE;
	}
	c->rng = retry_seed();
	if (o->insecure) say(c, 1, "--insecure: TLS certificate verification is off");

	rc = set_up(c);
	if (rc == CLIENT_OK)
		rc = run(c);
	else
		msg_set(why, "cannot set up libcurl");
	if (rc == CLIENT_OK) msg_clear(why); /* no stale retry reason */
	r->listed = c->listing.listed;
	r->pages = c->listing.pages;
	r->total = c->listing.total;
	r->n_pages = c->listing.total >= 0 ? c->listing.n_pages : -1;
	r->fetch_time = clock_mono() - start;
	summary(c, rc);
	cleanup(c);
	proxy_wipe(&c->proxy);
	free(c);
	return rc;
}
