/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of the transport, shared by transport.c (the multi loop, the end
 * of a transfer and what follows) and easy.c (one easy handle: its curl
 * options, receiving, the connections it must not reuse, the log path).
 * Nothing outside these two includes it. */
#ifndef TC_TRANSPORT_H
#define TC_TRANSPORT_H

#include <curl/curl.h>

#include "client.h"
#include "listing.h"
#include "proxy.h"
#include "redact.h"
#include "retry.h"
#include "signreq.h"

#define CLIENT_DRAIN_MAX       (256 * 1024) /* body of a non-200 reply read to keep the connection */
#define CLIENT_CONNECT_TIMEOUT 10.0         /* seconds, capped by the deadline */
#define CLIENT_POLL_MAX_MS     1000
#define CLIENT_MAX_LOG_LINE    (REQ_MAX_BODY + 256) /* the -vvv body line is the longest */
#define CLIENT_MAX_POISONED    64                   /* connections remembered as unfit for reuse */

enum slot_state { SLOT_IDLE, SLOT_WAIT, SLOT_RUN };

struct client;

/* One request in flight at a time; the easy handle is reused for keep-alive. */
struct slot {
	struct client *c;
	CURL *easy;
	enum slot_state state;
	long long page;
	int attempt; /* 0 = first try */
	double not_before, started;
	struct signreq req;
	long status;
	size_t bytes;
	int drain_abort, sink_abort;
	int fresh;        /* the next attempt must not reuse a connection */
	int prereq_abort; /* stopped before sending: its connection was unfit */
	enum resp_err feed_err;
	size_t n_certs, n_ids;
	char errbuf[CURL_ERROR_SIZE];
	uint64_t ids[CLIENT_MAX_PAGE];
	struct resp_parser parser;
};

struct client {
	const struct client_opts *o;
	const struct client_sink *sink;
	struct client_result *r;
	struct msg *why;
	CURLM *multi;
	struct slot *slots;
	int n_slots;
	struct retry_rate rate;
	struct listing listing;
	struct redact redact;
	struct proxy proxy; /* parsed --proxy; name "" when none */
	const char *capath; /* no --cacert: the hashed CA directory alone, or NULL */
	struct msg incons;  /* what made the listing inconsistent */
	double started;
	/* connections whose reply did not end cleanly, by local address: a
	 * request that finds itself on one is stopped before it is sent */
	struct {
		char ip[64];
		long port;
	} poisoned[CLIENT_MAX_POISONED];
	int n_poisoned;
	uint64_t rng;
	char line[CLIENT_MAX_LOG_LINE];
};

static inline long long offset_of(const struct client *c, const struct slot *s)
{
	return s->page * c->o->page_size;
}

/* The one log path of the client (easy.c). */
void say(struct client *c, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int logging(const struct client *c, int level);

void log_request(struct client *c, const struct slot *s);
/* resp_init's callback for a slot's parser: ids for the listing, the cert to the sink. */
int cert_cb(void *ctx, const struct resp_cert *cert);
/* Options every request of the slot shares, set once; -1 when libcurl refuses one. */
int setup_easy(struct client *c, struct slot *s);
/* Options of this one request: its headers, body and time left. */
void arm_easy(struct client *c, struct slot *s, double now);
/* The slot's connection must not serve another request. */
void poison(struct client *c, struct slot *s);
/* No --cacert: the hashed CA directory alone when castore_lazy says it may. */
void choose_ca(struct client *c);
/* -vv names the proxy; its passwords join the redaction list. */
enum client_err name_proxy(struct client *c, struct msg *why);

#endif
