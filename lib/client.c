#include "config.h"

#include "client.h"
#include "clock.h"
#include "json.h"
#include "idset.h"
#include "retry.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "secret.h"
#include "tc3.h"

#define CLIENT_MAX_TOKEN       8192         /* X-TC-Token value */
#define CLIENT_MAX_HDR_VALUE   128          /* X-TC-Region, X-TC-Language */
#define CLIENT_DRAIN_MAX       (256 * 1024) /* body of a non-200 reply read to keep the connection */
#define CLIENT_CONNECT_TIMEOUT 10.0         /* seconds, capped by the deadline */
#define CLIENT_POLL_MAX_MS     1000

static void fmt(char *buf, size_t cap, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t cap, const char *f, ...)
{
	va_list ap;
	if (!cap) return;
	va_start(ap, f);
	int n = vsnprintf(buf, cap, f, ap);
	va_end(ap);
	if (n < 0) buf[0] = '\0';
}

/* A message is one status-line fragment: no control characters, no '|'. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
		else if (*s == '|')
			*s = '_';
}

/* ---- --endpoint ---- */

static int is_alnum(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Host names: labels of letters, digits, '-' and '_' (seen on internal names),
 * no label empty or starting/ending with '-'; an all-numeric name must be an IPv4. */
static const char *check_hostname(const char *h, size_t n)
{
	if (n == 0) return "no host";
	if (n > 253) return "host name too long";
	size_t label = 0;
	int all_num = 1;
	for (size_t i = 0; i <= n; i++) {
		int ch = i < n ? (unsigned char)h[i] : '.';
		if (ch == '.') {
			if (label == 0) return "empty label in host name";
			if (h[i - 1] == '-' || h[i - label] == '-') return "bad host name";
			label = 0;
			continue;
		}
		if (!is_alnum(ch) && ch != '-' && ch != '_') return "bad character in host name";
		if (!(ch >= '0' && ch <= '9')) all_num = 0;
		if (++label > 63) return "host name label too long";
	}
	if (all_num) {
		char tmp[64];
		unsigned char a[4];
		if (n >= sizeof tmp) return "bad IPv4 address";
		memcpy(tmp, h, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET, tmp, a) != 1) return "bad IPv4 address";
	}
	return NULL;
}

int client_endpoint_host(const char *endpoint, char *host_port, size_t cap, char *message,
                         size_t msgcap)
{
	const char *why = NULL, *p;
	if (host_port && cap) host_port[0] = '\0';
	if (!endpoint || !*endpoint) {
		why = "empty";
		goto bad;
	}
	if (strncasecmp(endpoint, "https://", 8) == 0)
		p = endpoint + 8;
	else if (strncasecmp(endpoint, "http://", 7) == 0)
		p = endpoint + 7;
	else {
		why = "scheme must be http or https";
		goto bad;
	}
	const char *host = p;
	if (*p == '[') {
		const char *end = strchr(p, ']');
		char tmp[64];
		unsigned char a[16];
		size_t n = end ? (size_t)(end - p - 1) : 0;
		if (!end || n == 0 || n >= sizeof tmp) {
			why = "bad IPv6 address";
			goto bad;
		}
		memcpy(tmp, p + 1, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET6, tmp, a) != 1) {
			why = "bad IPv6 address";
			goto bad;
		}
		p = end + 1;
	} else {
		p += strcspn(p, ":/?#@[]");
		if ((why = check_hostname(host, (size_t)(p - host)))) goto bad;
	}
	if (*p == ':') {
		const char *d = ++p;
		long port = 0;
		while (*p >= '0' && *p <= '9' && p - d < 6)
			port = port * 10 + (*p++ - '0');
		if (p == d || port < 1 || port > 65535 || (*p >= '0' && *p <= '9')) {
			why = "bad port";
			goto bad;
		}
	}
	if (*p == '/') p++;
	if (*p) {
		why = *p == '@' ? "user info not allowed" : "only scheme, host and port allowed";
		goto bad;
	}
	size_t n = (size_t)(p - host);
	if (n && host[n - 1] == '/') n--;
	if (n >= cap || n >= TC3_MAX_HOST) {
		why = "host too long";
		goto bad;
	}
	memcpy(host_port, host, n);
	host_port[n] = '\0';
	return 0;
bad:
	if (message && msgcap) {
		fmt(message, msgcap, "bad --endpoint URL: %.200s (%s)", endpoint ? endpoint : "",
		    why);
		one_line(message);
	}
	return -1;
}

/* ---- the listing ---- */

enum slot_state { SLOT_IDLE, SLOT_WAIT, SLOT_RUN };
enum abort_reason { ABORT_NONE, ABORT_SINK };
enum phase { PHASE_FIRST, PHASE_SEQ, PHASE_PAR };

struct client;

/* One request in flight at a time; the easy handle is reused for keep-alive. */
struct slot {
	struct client *c;
	CURL *easy;
	enum slot_state state;
	long long page;
	int attempt; /* 0 = first try */
	double not_before, started;
	struct curl_slist *hdr;
	long status;
	size_t bytes;
	int drain_abort;
	enum resp_err feed_err;
	enum abort_reason abort;
	size_t n_certs, n_ids;
	char errbuf[CURL_ERROR_SIZE];
	size_t body_len;
	char body[REQ_MAX_BODY];
	uint64_t ids[CLIENT_MAX_PAGE];
	struct resp_parser parser;
};

struct client {
	const struct client_opts *o;
	const struct client_sink *sink;
	struct client_result *r;
	CURLM *multi;
	struct slot *slots;
	int n_slots;
	int https;
	char host[TC3_MAX_HOST];
	char url[TC3_MAX_HOST + 16];
	struct retry_rate rate;
	struct idset ids;
	uint64_t rng;
	enum phase phase;
	long long next_page, n_pages, total, listed, pages;
	int total_known, seq_done, restarts;
	char why[512]; /* reason of an inconsistency */
};

#define LOG(c, lvl, ...)                                                                           \
	do {                                                                                       \
		if ((c)->o->log && (c)->o->verbose >= (lvl))                                       \
			(c)->o->log((c)->o->log_ctx, (lvl), __VA_ARGS__);                          \
	} while (0)

static double rand_unit(struct client *c)
{
	/* xorshift64*: jitter only needs to spread clients apart, not be secret */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}

static int cert_cb(void *ctx, const struct resp_cert *cert)
{
	struct slot *s = ctx;
	struct client *c = s->c;
	/* more than Limit: counted but kept from the sink (its memory is per page);
	 * the parse goes on so that a giant body meets the parser's cap */
	if (s->n_certs++ >= (size_t)c->o->page_size) return 0;
	if (cert->id.p) {
		/* decoded, so "AB" and "\u0041B" are the same certificate */
		char id[256];
		size_t n = json_unescape(cert->id, id, sizeof id);
		s->ids[s->n_ids++] = idset_hash(id, n);
	}
	if (c->sink && c->sink->cert && c->sink->cert(c->sink->ctx, (unsigned)s->page, cert)) {
		s->abort = ABORT_SINK;
		return 1;
	}
	return 0;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *ud)
{
	struct slot *s = ud;
	size_t n = size * nmemb;
	if (s->status == 0) curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &s->status);
	s->bytes += n;
	if (s->status != 200) {
		/* read an error page to keep the connection, up to a point */
		if (s->bytes > CLIENT_DRAIN_MAX) {
			s->drain_abort = 1;
			return 0;
		}
		return n;
	}
	enum resp_err e = resp_feed(&s->parser, data, n);
	if (e != RESP_OK) {
		s->feed_err = e;
		return 0; /* stops the transfer */
	}
	return n;
}

static void free_headers(struct slot *s)
{
	/* the list holds the Authorization and X-TC-Token values */
	for (struct curl_slist *h = s->hdr; h; h = h->next)
		secret_wipe(h->data, strlen(h->data));
	curl_slist_free_all(s->hdr);
	s->hdr = NULL;
}

static int add_header(struct slot *s, const char *line)
{
	struct curl_slist *n = curl_slist_append(s->hdr, line);
	if (!n) return -1;
	s->hdr = n;
	return 0;
}

static void log_request(struct client *c, struct slot *s)
{
	LOG(c, 3, "> POST %s (page offset %lld, attempt %d)", c->url, s->page * c->o->page_size,
	    s->attempt + 1);
	for (struct curl_slist *h = s->hdr; h; h = h->next) {
		if (strncasecmp(h->data, "Authorization:", 14) == 0)
			LOG(c, 3, "> Authorization: <redacted>");
		else if (strncasecmp(h->data, "X-TC-Token:", 11) == 0)
			LOG(c, 3, "> X-TC-Token: <redacted>");
		else
			LOG(c, 3, "> %s", h->data);
	}
	LOG(c, 3, "> %.*s", (int)s->body_len, s->body);
}

/* Signs and queues one attempt of the slot's page. */
static enum client_err slot_start(struct client *c, struct slot *s, double now)
{
	const struct client_opts *o = c->o;
	struct api_filters nofilters;
	const struct api_filters *f = o->filters;
	if (!f) {
		req_filters_init(&nofilters);
		f = &nofilters;
	}
	if (req_body(f, s->page * o->page_size, o->page_size, s->body, sizeof s->body,
	             &s->body_len) != 0) {
		fmt(c->r->message, sizeof c->r->message, "request body too large");
		return CLIENT_ERR_USAGE;
	}

	struct tc3_output sig;
	long long ts = (long long)time(NULL);
	struct tc3_input in = {
	    .secret_id = o->creds.secret_id,
	    .secret_key = o->creds.secret_key,
	    .timestamp = ts,
	    .host = c->host,
	    .service = "ssl",
	    .content_type = "application/json",
	    .body = (const unsigned char *)s->body,
	    .body_len = s->body_len,
	};
	if (tc3_sign(&in, &sig) != TC3_OK) {
		secret_wipe(&sig, sizeof sig);
		fmt(c->r->message, sizeof c->r->message, "cannot sign the request");
		return CLIENT_ERR_FAILED;
	}

	char line[CLIENT_MAX_TOKEN + 64];
	int bad = 0;
	free_headers(s);
	bad |= add_header(s, "Content-Type: application/json");
	fmt(line, sizeof line, "Host: %s", c->host);
	bad |= add_header(s, line);
	bad |= add_header(s, "X-TC-Action: DescribeCertificates");
	bad |= add_header(s, "X-TC-Version: 2019-12-05");
	fmt(line, sizeof line, "X-TC-Timestamp: %lld", ts);
	bad |= add_header(s, line);
	if (o->creds.token) {
		fmt(line, sizeof line, "X-TC-Token: %s", o->creds.token);
		bad |= add_header(s, line);
	}
	if (o->region) {
		fmt(line, sizeof line, "X-TC-Region: %s", o->region);
		bad |= add_header(s, line);
	}
	if (o->language) {
		fmt(line, sizeof line, "X-TC-Language: %s", o->language);
		bad |= add_header(s, line);
	}
	fmt(line, sizeof line, "Authorization: %s", sig.authorization);
	bad |= add_header(s, line);
	bad |= add_header(s, "Expect:");
	secret_wipe(line, sizeof line);
	secret_wipe(&sig, sizeof sig);
	if (bad) {
		free_headers(s);
		fmt(c->r->message, sizeof c->r->message, "out of memory");
		return CLIENT_ERR_FAILED;
	}

	double remain = o->deadline - now;
	long ms = (long)ceil(remain * 1000.0);
	if (ms < 1) ms = 1;
	long cms = remain < CLIENT_CONNECT_TIMEOUT ? ms : (long)(CLIENT_CONNECT_TIMEOUT * 1000);
	curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->hdr);
	curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->body);
	curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE, (long)s->body_len);
	curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT_MS, cms);

	resp_init(&s->parser, cert_cb, s);
	s->status = 0;
	s->bytes = 0;
	s->drain_abort = 0;
	s->feed_err = RESP_OK;
	s->abort = ABORT_NONE;
	s->n_certs = s->n_ids = 0;
	s->errbuf[0] = '\0';
	s->started = now;
	log_request(c, s);
	if (curl_multi_add_handle(c->multi, s->easy) != CURLM_OK) {
		free_headers(s);
		fmt(c->r->message, sizeof c->r->message, "cannot start a request");
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
	free_headers(s);
	s->state = SLOT_IDLE;
}

static int slots_busy(const struct client *c)
{
	int n = 0;
	for (int i = 0; i < c->n_slots; i++)
		n += c->slots[i].state != SLOT_IDLE;
	return n;
}

static void assign(struct slot *s, long long page, double now)
{
	s->page = page;
	s->attempt = 0;
	s->not_before = now;
	s->state = SLOT_WAIT;
}

/* Hands pages to idle slots; returns the number of slots busy afterwards. */
static int schedule(struct client *c, double now)
{
	int busy = slots_busy(c);
	for (int i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		if (s->state != SLOT_IDLE) continue;
		if (c->phase == PHASE_FIRST || c->phase == PHASE_SEQ) {
			/* one page at a time until TotalCount says how many there are */
			if (busy || (c->phase == PHASE_FIRST && c->next_page > 0) || c->seq_done)
				break;
		} else if (c->next_page >= c->n_pages) {
			break;
		}
		assign(s, c->next_page++, now);
		busy++;
	}
	return busy;
}

static void restart(struct client *c)
{
	for (int i = 0; i < c->n_slots; i++)
		slot_stop(c, &c->slots[i]);
	if (c->sink && c->sink->reset) c->sink->reset(c->sink->ctx);
	idset_clear(&c->ids);
	c->phase = PHASE_FIRST;
	c->next_page = c->n_pages = c->listed = c->pages = 0;
	c->total = -1;
	c->total_known = c->seq_done = 0;
}

/* A page came back whole: check it against the listing so far, then commit.
 * 0 committed, 1 inconsistent (c->why), -1 failed (message set). */
static int page_ok(struct client *c, struct slot *s)
{
	const struct resp_summary *sum = resp_get_summary(&s->parser);
	long ps = c->o->page_size;
	long long off = s->page * ps;
	size_t count = s->n_certs;

	if (c->phase == PHASE_FIRST) {
		if (sum->has_total) {
			if (sum->total_count < 0) {
				fmt(c->r->message, sizeof c->r->message,
				    "malformed response: negative TotalCount");
				return -1;
			}
			if (sum->total_count > (long long)IDSET_MAX) {
				fmt(c->r->message, sizeof c->r->message,
				    "TotalCount %lld is more than the %u certificates one check "
				    "lists",
				    sum->total_count, IDSET_MAX);
				return -1;
			}
			c->total_known = 1;
			c->total = sum->total_count;
			c->n_pages = c->total ? (c->total + ps - 1) / ps : 1;
			c->phase = PHASE_PAR;
		} else {
			c->phase = PHASE_SEQ;
		}
	}
	if (c->total_known) {
		if (!sum->has_total) {
			fmt(c->why, sizeof c->why,
			    "TotalCount changed from %lld to null at offset %lld", c->total, off);
			return 1;
		}
		if (sum->total_count != c->total) {
			fmt(c->why, sizeof c->why,
			    "TotalCount changed from %lld to %lld at offset %lld", c->total,
			    sum->total_count, off);
			return 1;
		}
		long long left = c->total - off;
		long long expect = left < ps ? (left > 0 ? left : 0) : ps;
		if ((long long)count > expect) {
			fmt(c->why, sizeof c->why,
			    "more certificates than TotalCount %lld (page at offset %lld has %zu)",
			    c->total, off, count);
			return 1;
		}
		if ((long long)count < expect) {
			fmt(c->why, sizeof c->why,
			    "short page at offset %lld (%zu of %lld) before TotalCount %lld", off,
			    count, expect, c->total);
			return 1;
		}
	} else {
		if (sum->has_total) {
			fmt(c->why, sizeof c->why,
			    "TotalCount changed from null to %lld at offset %lld", sum->total_count,
			    off);
			return 1;
		}
		if (count < (size_t)ps) c->seq_done = 1;
	}
	for (size_t i = 0; i < s->n_ids; i++) {
		int rc = idset_add(&c->ids, s->ids[i]);
		if (rc == 0) {
			fmt(c->why, sizeof c->why, "duplicate CertificateId at offset %lld", off);
			return 1;
		}
		if (rc < 0) {
			fmt(c->r->message, sizeof c->r->message,
			    "too many certificates (more than %u)", IDSET_MAX);
			return -1;
		}
	}
	if (c->sink && c->sink->commit) c->sink->commit(c->sink->ctx, (unsigned)s->page);
	c->listed += (long long)count;
	c->pages++;
	return 0;
}

enum done_rc { DONE_OK, DONE_RETRY, DONE_FAILED, DONE_TIMEOUT, DONE_INCONSISTENT };

/* Replaces every occurrence of needle in s (a buffer of cap bytes) by "<redacted>". */
static void scrub(char *s, size_t cap, const char *needle)
{
	size_t n = needle ? strlen(needle) : 0;
	char *from = s, *hit, rest[512];
	if (n == 0) return;
	while ((hit = strstr(from, needle)) != NULL) {
		fmt(rest, sizeof rest, "%s", hit + n);
		fmt(hit, cap - (size_t)(hit - s), "<redacted>%s", rest);
		from = hit + strlen("<redacted>"); /* never inside what was put in */
		if (from >= s + strlen(s)) break;
	}
}

/* A server or proxy may echo the request in its error message: no secret, and
 * no signature, may reach a message or a log line through it. */
static void redact(const struct client *c, char *why, size_t cap)
{
	scrub(why, cap, c->o->creds.secret_key);
	scrub(why, cap, c->o->creds.token);
	for (char *v = strstr(why, "Signature="); v; v = strstr(v, "Signature=")) {
		v += 10;
		size_t k = strspn(v, "0123456789abcdef");
		if (k > 0) memmove(v, v + k, strlen(v + k) + 1);
	}
}

static const char *curl_text(const struct slot *s, CURLcode cc)
{
	return s->errbuf[0] ? s->errbuf : curl_easy_strerror(cc);
}

/* A transfer ended: classify it, and either commit the page, schedule a retry,
 * or end the listing. */
static enum done_rc slot_done(struct client *c, struct slot *s, CURLcode cc, double now)
{
	const struct client_opts *o = c->o;
	char why[512] = "";
	int retry = 0, timeout = 0;
	long status = 0;

	curl_multi_remove_handle(c->multi, s->easy);
	free_headers(s);
	s->state = SLOT_IDLE;
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	const struct resp_summary *sum = resp_get_summary(&s->parser);

	if (s->abort == ABORT_SINK) {
		fmt(why, sizeof why, "listing aborted: a certificate was refused");
	} else if (s->feed_err != RESP_OK) {
		fmt(why, sizeof why, "%s", resp_message(&s->parser));
		retry = s->feed_err == RESP_ERR_API && retry_should(0, 200, sum->error_code, 0);
	} else if (cc != CURLE_OK && !s->drain_abort) {
		const char *t = curl_text(s, cc);
		if (cc == CURLE_OPERATION_TIMEDOUT && now >= o->deadline - 0.05) timeout = 1;
		if (retry_is_tls_error(cc))
			fmt(why, sizeof why, "TLS: %s", t);
		else if (retry_is_connect_error(cc) || strncmp(t, "Connection timed out", 20) == 0)
			fmt(why, sizeof why, "cannot connect to %s: %s", c->host, t);
		else
			fmt(why, sizeof why, "connection to %s failed: %s", c->host, t);
		retry = retry_should(cc, status, NULL, 0);
	} else if (status != 200) {
		fmt(why, sizeof why, "HTTP %ld from %s", status, c->host);
		retry = retry_should(0, status, NULL, 0);
	} else if (s->bytes == 0) {
		fmt(why, sizeof why, "malformed response: empty body");
	} else {
		enum resp_err e = resp_finish(&s->parser);
		if (e == RESP_OK && s->n_certs > (size_t)o->page_size) {
			fmt(why, sizeof why,
			    "malformed response: %zu certificates in a page of Limit %ld",
			    s->n_certs, o->page_size);
		} else if (e == RESP_OK) {
			LOG(c, 2,
			    "page offset %lld attempt %d: HTTP %ld, %zu bytes, %zu certificates, "
			    "%.3f s",
			    s->page * o->page_size, s->attempt + 1, status, s->bytes, s->n_certs,
			    now - s->started);
			int rc = page_ok(c, s);
			return rc == 0 ? DONE_OK : rc > 0 ? DONE_INCONSISTENT : DONE_FAILED;
		}
		if (e == RESP_OK) {
			/* the Limit message above stands */
		} else if (sum->truncated) {
			fmt(why, sizeof why,
			    "connection to %s failed: response cut short after %zu bytes", c->host,
			    s->bytes);
			retry = retry_should(0, 200, NULL, 1);
		} else {
			fmt(why, sizeof why, "%s", resp_message(&s->parser));
			retry = e == RESP_ERR_API && retry_should(0, 200, sum->error_code, 0);
		}
	}
	one_line(why);
	redact(c, why, sizeof why);
	fmt(c->r->message, sizeof c->r->message, "%s", why);

	char st[16] = "no status";
	if (status) fmt(st, sizeof st, "HTTP %ld", status);
	if (timeout) {
		LOG(c, 2, "page offset %lld attempt %d: %s, %zu bytes, %.3f s: deadline reached",
		    s->page * o->page_size, s->attempt + 1, st, s->bytes, now - s->started);
		return DONE_TIMEOUT;
	}
	if (retry && s->attempt < o->retries) {
		double d = retry_backoff(s->attempt, rand_unit(c));
		LOG(c, 2, "page offset %lld attempt %d: %s, %zu bytes, %.3f s, retry in %.2f s: %s",
		    s->page * o->page_size, s->attempt + 1, st, s->bytes, now - s->started, d, why);
		if (c->sink && c->sink->discard) c->sink->discard(c->sink->ctx, (unsigned)s->page);
		s->attempt++;
		s->not_before = now + d; /* past the deadline, the loop ends with a timeout */
		s->state = SLOT_WAIT;
		return DONE_RETRY;
	}
	LOG(c, 2, "page offset %lld attempt %d: %s, %zu bytes, %.3f s, failed: %s",
	    s->page * o->page_size, s->attempt + 1, st, s->bytes, now - s->started, why);
	return DONE_FAILED;
}

static int printable(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	if (n == 0 || n >= max) return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
	return 1;
}

static enum client_err check_opts(const struct client_opts *o, char *msg, size_t cap)
{
	const char *bad = NULL;
	if (o->page_size < 1 || o->page_size > CLIENT_MAX_PAGE)
		bad = "--page-size must be 1..1000";
	else if (o->max_rate < 1 || o->max_rate > RETRY_MAX_RATE)
		bad = "--max-rate must be 1..1000";
	else if (o->parallel < 1 || o->parallel > CLIENT_MAX_PARALLEL)
		bad = "--parallel must be 1..32";
	else if (o->retries < 0 || o->retries > CLIENT_MAX_RETRIES)
		bad = "--retries must be 0..100";
	else if (!o->creds.secret_id || !printable(o->creds.secret_id, TC3_MAX_FIELD))
		bad = "bad or missing secret id";
	else if (!o->creds.secret_key || !printable(o->creds.secret_key, TC3_MAX_FIELD))
		bad = "bad or missing secret key";
	else if (o->creds.token && !printable(o->creds.token, CLIENT_MAX_TOKEN))
		bad = "bad session token";
	else if (o->region && !printable(o->region, CLIENT_MAX_HDR_VALUE))
		bad = "bad --region value";
	else if (o->language && !printable(o->language, CLIENT_MAX_HDR_VALUE))
		bad = "bad --language value";
	else if (o->proxy && !printable(o->proxy, 2048))
		bad = "bad --proxy value";
	if (!bad) return CLIENT_OK;
	fmt(msg, cap, "%s", bad);
	return CLIENT_ERR_USAGE;
}

static int setup_easy(struct client *c, struct slot *s)
{
	const struct client_opts *o = c->o;
	CURL *e = s->easy;
	int bad = 0;
	char ua[64];
	fmt(ua, sizeof ua, "check_tencentcloud_ssl/%s", PACKAGE_VERSION);
	bad |= curl_easy_setopt(e, CURLOPT_URL, c->url) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |=
	    curl_easy_setopt(e, CURLOPT_VERBOSE, 0L) != CURLE_OK; /* it would show Authorization */
	bad |= curl_easy_setopt(e, CURLOPT_POST, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, ua) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
#else
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) !=
	       CURLE_OK;
#endif
	bad |= curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, s) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, s) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf) != CURLE_OK;
	if (c->https) {
		long v = o->insecure ? 0L : 1L;
		bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, v) != CURLE_OK;
		bad |=
		    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L) != CURLE_OK;
		if (o->cacert) bad |= curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert) != CURLE_OK;
	}
	if (o->proxy) bad |= curl_easy_setopt(e, CURLOPT_PROXY, o->proxy) != CURLE_OK;
	return bad ? -1 : 0;
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
	idset_free(&c->ids);
}

static enum client_err run(struct client *c)
{
	const struct client_opts *o = c->o;
	for (;;) {
		double now = clock_mono();
		if (now >= o->deadline) return CLIENT_ERR_TIMEOUT;
		if (schedule(c, now) == 0) return CLIENT_OK;

		double wake = o->deadline;
		for (int i = 0; i < c->n_slots; i++) {
			struct slot *s = &c->slots[i];
			if (s->state != SLOT_WAIT) continue;
			double t = retry_rate_next(&c->rate, now);
			if (s->not_before > t) t = s->not_before;
			if (t <= now) {
				enum client_err e = slot_start(c, s, now);
				if (e != CLIENT_OK) return e;
			} else if (t < wake) {
				wake = t;
			}
		}

		int running = 0, progressed = 0;
		if (curl_multi_perform(c->multi, &running) != CURLM_OK) {
			fmt(c->r->message, sizeof c->r->message, "libcurl multi interface failed");
			return CLIENT_ERR_FAILED;
		}
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(c->multi, &left))) {
			if (m->msg != CURLMSG_DONE) continue;
			char *priv = NULL;
			CURLcode cc = m->data.result;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
			struct slot *s = (struct slot *)priv;
			if (!s || s->state != SLOT_RUN) continue;
			progressed = 1;
			switch (slot_done(c, s, cc, clock_mono())) {
			case DONE_OK:
			case DONE_RETRY:
				break;
			case DONE_TIMEOUT:
				return CLIENT_ERR_TIMEOUT;
			case DONE_FAILED:
				return CLIENT_ERR_FAILED;
			case DONE_INCONSISTENT:
				if (c->restarts++ > 0) {
					fmt(c->r->message, sizeof c->r->message,
					    "inconsistent listing: %s", c->why);
					one_line(c->r->message);
					return CLIENT_ERR_FAILED;
				}
				LOG(c, 1, "inconsistent listing (%s): restarting from the start",
				    c->why);
				restart(c);
				/* messages left in the queue belong to stopped transfers */
				while (curl_multi_info_read(c->multi, &left))
					;
				goto next;
			}
		}
		if (progressed) continue;
		now = clock_mono();
		if (wake > o->deadline) wake = o->deadline;
		double wait = (wake - now) * 1000.0;
		int ms = wait <= 0                    ? 0
		         : wait >= CLIENT_POLL_MAX_MS ? CLIENT_POLL_MAX_MS
		                                      : (int)ceil(wait);
		if (curl_multi_poll(c->multi, NULL, 0, ms, NULL) != CURLM_OK) {
			fmt(c->r->message, sizeof c->r->message, "libcurl multi interface failed");
			return CLIENT_ERR_FAILED;
		}
	next:;
	}
}

enum client_err client_list(const struct client_opts *o, const struct client_sink *sink,
                            struct client_result *r)
{
	double start = clock_mono();
	struct client *c;
	enum client_err rc;

	memset(r, 0, sizeof *r);
	r->total = -1;
	rc = check_opts(o, r->message, sizeof r->message);
	if (rc != CLIENT_OK) return rc;
	c = calloc(1, sizeof *c);
	if (!c) {
		fmt(r->message, sizeof r->message, "out of memory");
		return CLIENT_ERR_FAILED;
	}
	c->o = o;
	c->sink = sink;
	c->r = r;
	c->total = -1;
	if (client_endpoint_host(o->endpoint ? o->endpoint : "https://ssl.tencentcloudapi.com",
	                         c->host, sizeof c->host, r->message, sizeof r->message) != 0) {
		free(c);
		return CLIENT_ERR_USAGE;
	}
	c->https = o->endpoint == NULL || strncasecmp(o->endpoint, "https:", 6) == 0;
	fmt(c->url, sizeof c->url, "%s://%s/", c->https ? "https" : "http", c->host);
	retry_rate_init(&c->rate, o->max_rate);
	idset_init(&c->ids);
	c->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^
	         (uint64_t)(clock_mono() * 1e9) ^ 0x9E3779B97F4A7C15ull;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(c);
		fmt(r->message, sizeof r->message, "cannot initialise libcurl");
		return CLIENT_ERR_FAILED;
	}
	if (o->insecure) LOG(c, 1, "--insecure: TLS certificate verification is off");

	/* struct resp_parser is large: all slots once, up front, fixed memory */
	c->n_slots = o->parallel;
	c->slots = calloc((size_t)c->n_slots, sizeof *c->slots);
	c->multi = curl_multi_init();
	rc = CLIENT_OK;
	if (!c->slots || !c->multi) rc = CLIENT_ERR_FAILED;
	for (int i = 0; rc == CLIENT_OK && i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		s->c = c;
		s->easy = curl_easy_init();
		if (!s->easy || setup_easy(c, s) != 0) rc = CLIENT_ERR_FAILED;
	}
	if (rc == CLIENT_OK) {
		curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)o->parallel);
		curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->parallel);
		rc = run(c);
	} else {
		fmt(r->message, sizeof r->message, "cannot set up libcurl");
	}

	if (rc == CLIENT_ERR_TIMEOUT) {
		char last[sizeof r->message];
		fmt(last, sizeof last, "%s", r->message);
		if (last[0])
			fmt(r->message, sizeof r->message, "timed out (last error: %.400s)", last);
		else
			fmt(r->message, sizeof r->message, "timed out");
	}
	if (rc == CLIENT_OK) r->message[0] = '\0'; /* no stale retry reason */
	r->listed = c->listed;
	r->total = c->total_known ? c->total : -1;
	r->fetch_time = clock_mono() - start;
	if (rc == CLIENT_OK) {
		char tot[32] = "none";
		if (c->total_known) fmt(tot, sizeof tot, "%lld", c->total);
		LOG(c, 1,
		    "listed %lld certificates (TotalCount %s) in %lld page%s, %d request%s, %.3f s",
		    c->listed, tot, c->pages, c->pages == 1 ? "" : "s", r->requests,
		    r->requests == 1 ? "" : "s", r->fetch_time);
	} else {
		LOG(c, 1, "listing failed after %d requests, %.3f s: %s", r->requests,
		    r->fetch_time, r->message);
	}
	cleanup(c);
	free(c);
	curl_global_cleanup();
	return rc;
}
