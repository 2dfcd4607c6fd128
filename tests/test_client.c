/* Unit tests of the client's pure parts: --endpoint parsing, the rate limiter,
 * backoff, retry classification and the CertificateId set. The transfers
 * themselves are tested end to end against tests/mock_api.py (it_transport.py). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "client.h"
#include "tap.h"

static void test_endpoint(void)
{
	static const struct {
		const char *url, *host; /* host NULL: rejected */
	} t[] = {
	    {"https://ssl.tencentcloudapi.com", "ssl.tencentcloudapi.com"},
	    {"https://ssl.tencentcloudapi.com/", "ssl.tencentcloudapi.com"},
	    {"https://ssl.intl.tencentcloudapi.com", "ssl.intl.tencentcloudapi.com"},
	    {"HTTPS://Ssl.Example.COM", "Ssl.Example.COM"},
	    {"http://127.0.0.1:8080", "127.0.0.1:8080"},
	    {"http://127.0.0.1:8080/", "127.0.0.1:8080"},
	    {"http://localhost:1", "localhost:1"},
	    {"https://h:65535", "h:65535"},
	    {"https://[::1]", "[::1]"},
	    {"https://[::1]:8443/", "[::1]:8443"},
	    {"https://[2001:db8::1]:443", "[2001:db8::1]:443"},
	    {"http://my_host.internal", "my_host.internal"},
	    {"https://a-b.c-d.example", "a-b.c-d.example"},
	    {"ftp://ssl.tencentcloudapi.com", NULL},
	    {"ssl.tencentcloudapi.com", NULL},
	    {"https://", NULL},
	    {"https:///", NULL},
	    {"", NULL},
	    {"https://host/path", NULL},
	    {"https://host//", NULL},
	    {"https://host?x=1", NULL},
	    {"https://host/?x=1", NULL},
	    {"https://host#frag", NULL},
	    {"https://user:pw@host", NULL},
	    {"https://host:0", NULL},
	    {"https://host:65536", NULL},
	    {"https://host:", NULL},
	    {"https://host:80a", NULL},
	    {"https://host:+80", NULL},
	    {"https://host:1234567", NULL},
	    {"https://[::1", NULL},
	    {"https://[]", NULL},
	    {"https://[zz::1]", NULL},
	    {"https://[::1]x", NULL},
	    {"https://ho st", NULL},
	    {"https://host\r\nX: y", NULL},
	    {"https://-host.example", NULL},
	    {"https://host-.example", NULL},
	    {"https://a..b", NULL},
	    {"https://.host", NULL},
	    {"https://999.1.1.1", NULL},
	    {"https://1.2.3", NULL},
	    {"https://1.2.3.4", "1.2.3.4"},
	    {"http://h|x", NULL},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char hp[400] = "junk", msg[512] = "", name[64];
		snprintf(name, sizeof name, "%s", t[i].url);
		for (char *q = name; *q; q++)
			if (*q == '\r' || *q == '\n') *q = '?';
		int rc = client_endpoint_host(t[i].url, hp, sizeof hp, msg, sizeof msg);
		if (t[i].host) {
			is_int(rc, 0, "endpoint accepted: %s", name);
			is_str(hp, t[i].host, "endpoint host: %s", name);
		} else {
			is_int(rc, -1, "endpoint rejected: %s", name);
			ok(strncmp(msg, "bad --endpoint URL: ", 20) == 0 && !strpbrk(msg, "\r\n|"),
			   "one-line message for %s: %.300s", name, msg);
		}
	}
	char msg[512] = "";
	char small[8];
	ok(client_endpoint_host(NULL, small, sizeof small, msg, sizeof msg) == -1, "NULL endpoint");
	ok(client_endpoint_host("https://a-long-host.example", small, sizeof small, msg,
	                        sizeof msg) == -1,
	   "host longer than the caller's buffer is refused");
	char big[600];
	memset(big, 'a', sizeof big);
	memcpy(big, "https://", 8);
	big[sizeof big - 1] = '\0';
	char hp[1024];
	ok(client_endpoint_host(big, hp, sizeof hp, msg, sizeof msg) == -1,
	   "overlong host refused");
}

static void test_rate(void)
{
	struct client_rate r;
	client_rate_init(&r, 3);
	double now = 100.0;
	/* three starts right away, the fourth waits for the first to be a second old */
	for (int i = 0; i < 3; i++) {
		ok(client_rate_next(&r, now) == now, "start %d at once", i + 1);
		client_rate_take(&r, now + 0.1 * i);
	}
	ok(fabs(client_rate_next(&r, 100.3) - 101.01) < 1e-9, "4th start waits until 101.01");
	client_rate_take(&r, 101.01);
	ok(fabs(client_rate_next(&r, 101.01) - 101.11) < 1e-9, "5th start waits until 101.11");
	ok(client_rate_next(&r, 105.0) == 105.0, "later: no wait");

	/* simulate a greedy caller over 10 s: never more than N starts in any 1 s window */
	for (int n = 1; n <= 1000; n *= 10) {
		client_rate_init(&r, n);
		static double starts[20000];
		int k = 0;
		double t = 0;
		while (t < 10.0 && k < 20000) {
			t = client_rate_next(&r, t);
			client_rate_take(&r, t);
			starts[k++] = t;
			t += 0.0001;
		}
		int worst = 0;
		for (int i = 0, j = 0; i < k; i++) {
			while (starts[i] - starts[j] >= 1.0)
				j++;
			if (i - j + 1 > worst) worst = i - j + 1;
		}
		is_int(worst, n, "rate %d/s: at most %d starts in any 1 s window", n, n);
		ok(k >= 10 * n - 1 && k <= 11 * n, "rate %d/s: %d starts in 10 s", n, k);
	}
	client_rate_init(&r, 0);
	is_int(r.per_second, 1, "rate below 1 is clamped to 1");
	client_rate_init(&r, 5000);
	is_int(r.per_second, CLIENT_MAX_RATE, "rate above the cap is clamped");
}

static void test_backoff(void)
{
	ok(fabs(client_backoff(0, 0.5) - 0.25) < 1e-9, "attempt 0 mid jitter: 0.25 s");
	ok(fabs(client_backoff(1, 0.5) - 0.5) < 1e-9, "attempt 1: 0.5 s");
	ok(fabs(client_backoff(2, 0.5) - 1.0) < 1e-9, "attempt 2: 1 s");
	ok(fabs(client_backoff(0, 0.0) - 0.125) < 1e-9, "jitter -50 %%");
	ok(fabs(client_backoff(0, 1.0) - 0.375) < 1e-9, "jitter +50 %%");
	ok(client_backoff(1000, 0.5) <= 0.25 * 1024 + 1e-9, "exponent is capped");
	ok(client_backoff(-3, 0.5) == client_backoff(0, 0.5), "negative attempt as 0");
	ok(client_backoff(3, 0.999) > client_backoff(3, 0.0), "jitter spreads");
}

static void test_retry(void)
{
	static const struct {
		int cc;
		long status;
		const char *code;
		int truncated, want;
	} t[] = {
	    {CURLE_OK, 200, "", 0, 0},
	    {CURLE_OK, 200, NULL, 1, 1},
	    {CURLE_OK, 429, NULL, 0, 1},
	    {CURLE_OK, 500, NULL, 0, 1},
	    {CURLE_OK, 502, NULL, 0, 1},
	    {CURLE_OK, 503, NULL, 0, 1},
	    {CURLE_OK, 599, NULL, 0, 1},
	    {CURLE_OK, 400, NULL, 0, 0},
	    {CURLE_OK, 401, NULL, 0, 0},
	    {CURLE_OK, 403, NULL, 0, 0},
	    {CURLE_OK, 404, NULL, 0, 0},
	    {CURLE_OK, 301, NULL, 0, 0},
	    {CURLE_OK, 200, "RequestLimitExceeded", 0, 1},
	    {CURLE_OK, 200, "RequestLimitExceeded.UinLimitExceeded", 0, 1},
	    {CURLE_OK, 200, "RequestLimitExceeded.IPLimitExceeded", 0, 1},
	    {CURLE_OK, 200, "RequestLimitExceeded.GlobalRegionUinLimitExceeded", 0, 1},
	    {CURLE_OK, 200, "LimitExceeded.RateLimitExceeded", 0, 1},
	    {CURLE_OK, 200, "LimitExceeded", 0, 0},
	    {CURLE_OK, 200, "InternalError", 0, 1},
	    {CURLE_OK, 200, "InternalError.BackendResponseEmpty", 0, 1},
	    {CURLE_OK, 200, "ServiceUnavailable", 0, 1},
	    {CURLE_OK, 200, "FailedOperation.NetworkError", 0, 1},
	    {CURLE_OK, 200, "FailedOperation.AuthFailed", 0, 0},
	    {CURLE_OK, 200, "FailedOperation", 0, 0},
	    {CURLE_OK, 200, "AuthFailure.SignatureFailure", 0, 0},
	    {CURLE_OK, 200, "AuthFailure.SignatureExpire", 0, 0},
	    {CURLE_OK, 200, "AuthFailure.TokenFailure", 0, 0},
	    {CURLE_OK, 200, "InvalidParameter", 0, 0},
	    {CURLE_OK, 200, "InvalidParameterValue", 0, 0},
	    {CURLE_OK, 200, "MissingParameter", 0, 0},
	    {CURLE_OK, 200, "UnauthorizedOperation", 0, 0},
	    {CURLE_OK, 200, "InvalidAction", 0, 0},
	    {CURLE_OK, 200, "Internal", 0, 0},
	    {CURLE_COULDNT_CONNECT, 0, NULL, 0, 1},
	    {CURLE_COULDNT_RESOLVE_HOST, 0, NULL, 0, 1},
	    {CURLE_GOT_NOTHING, 0, NULL, 0, 1},
	    {CURLE_RECV_ERROR, 0, NULL, 0, 1},
	    {CURLE_SEND_ERROR, 0, NULL, 0, 1},
	    {CURLE_PARTIAL_FILE, 200, NULL, 0, 1},
	    {CURLE_OPERATION_TIMEDOUT, 0, NULL, 0, 1},
	    {CURLE_PEER_FAILED_VERIFICATION, 0, NULL, 0, 0},
	    {CURLE_SSL_CONNECT_ERROR, 0, NULL, 0, 0},
	    {CURLE_SSL_CACERT_BADFILE, 0, NULL, 0, 0},
	    {CURLE_UNSUPPORTED_PROTOCOL, 0, NULL, 0, 0},
	    {CURLE_BAD_CONTENT_ENCODING, 200, NULL, 0, 0},
	    {CURLE_WRITE_ERROR, 200, NULL, 0, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(client_should_retry(t[i].cc, t[i].status, t[i].code, t[i].truncated),
		       t[i].want, "retry(curl %d, HTTP %ld, %s, truncated %d)", t[i].cc,
		       t[i].status, t[i].code ? t[i].code : "-", t[i].truncated);
}

static void test_idset(void)
{
	struct client_idset s;
	client_idset_init(&s);
	ok(client_id_hash("", 0) != 0, "hash is never 0 (the empty mark)");
	/* FNV-1a 64 reference values */
	ok(client_id_hash("a", 1) == 0xaf63dc4c8601ec8cull, "FNV-1a of \"a\"");
	ok(client_id_hash("foobar", 6) == 0x85944171f73967e8ull, "FNV-1a of \"foobar\"");

	char id[32];
	int fails = 0;
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(id, sizeof id, "Cert%08d", i);
		if (client_idset_add(&s, client_id_hash(id, (size_t)n)) != 1) fails++;
	}
	is_int(fails, 0, "100000 distinct ids all added");
	is_int(s.n, 100000, "set counts them");
	ok(s.cap <= 2 * 131072 + 1 && s.cap >= 2 * s.n, "at most half full, %zu slots (%zu B/id)",
	   s.cap, s.cap * 8 / s.n);
	int dups = 0;
	for (int i = 0; i < 100000; i += 7) {
		int n = snprintf(id, sizeof id, "Cert%08d", i);
		if (client_idset_add(&s, client_id_hash(id, (size_t)n)) == 0) dups++;
	}
	is_int(dups, (100000 + 6) / 7, "every id seen again is a duplicate");
	is_int(client_idset_add(&s, 0), 1, "hash 0 is stored (as 1)");
	is_int(client_idset_add(&s, 1), 0, "... and then 1 is a duplicate");
	client_idset_clear(&s);
	is_int(s.n, 0, "clear empties the set");
	is_int(client_idset_add(&s, client_id_hash("Cert00000001", 12)), 1,
	       "after clear: new again");
	client_idset_free(&s);
	ok(s.slot == NULL && s.cap == 0, "free releases");
}

int main(void)
{
	test_endpoint();
	test_rate();
	test_backoff();
	test_retry();
	test_idset();
	return tap_done();
}
