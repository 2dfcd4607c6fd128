/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The --max-rate window, backoff with jitter, and which failures are retried. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "retry.h"
#include "tap.h"

static void test_rate(void)
{
	struct retry_rate r;
	retry_rate_init(&r, 3);
	double now = 100.0;
	/* three starts right away, the fourth waits for the first to be a second old */
	for (int i = 0; i < 3; i++) {
		ok(retry_rate_next(&r, now) == now, "start %d at once", i + 1);
		retry_rate_take(&r, now + 0.1 * i);
	}
	ok(fabs(retry_rate_next(&r, 100.3) - 101.01) < 1e-9, "4th start waits until 101.01");
	retry_rate_take(&r, 101.01);
	ok(fabs(retry_rate_next(&r, 101.01) - 101.11) < 1e-9, "5th start waits until 101.11");
	ok(retry_rate_next(&r, 105.0) == 105.0, "later: no wait");

	/* simulate a greedy caller over 10 s: never more than N starts in any 1 s window */
	for (int n = 1; n <= 1000; n *= 10) {
		retry_rate_init(&r, n);
		static double starts[20000];
		int k = 0;
		double t = 0;
		while (t < 10.0 && k < 20000) {
			t = retry_rate_next(&r, t);
			retry_rate_take(&r, t);
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
	retry_rate_init(&r, 0);
	is_int(r.per_second, 1, "rate below 1 is clamped to 1");
	retry_rate_init(&r, 5000);
	is_int(r.per_second, RETRY_MAX_RATE, "rate above the cap is clamped");
}

static void test_backoff(void)
{
	ok(fabs(retry_backoff(0, 0.5) - 0.25) < 1e-9, "attempt 0 mid jitter: 0.25 s");
	ok(fabs(retry_backoff(1, 0.5) - 0.5) < 1e-9, "attempt 1: 0.5 s");
	ok(fabs(retry_backoff(2, 0.5) - 1.0) < 1e-9, "attempt 2: 1 s");
	ok(fabs(retry_backoff(0, 0.0) - 0.125) < 1e-9, "jitter -50 %%");
	ok(fabs(retry_backoff(0, 1.0) - 0.375) < 1e-9, "jitter +50 %%");
	ok(retry_backoff(1000, 0.5) <= 0.25 * 1024 + 1e-9, "exponent is capped");
	ok(retry_backoff(-3, 0.5) == retry_backoff(0, 0.5), "negative attempt as 0");
	ok(retry_backoff(3, 0.999) > retry_backoff(3, 0.0), "jitter spreads");

	/* the jitter source of the listing and STS */
	uint64_t a = retry_seed(), b = a;
	ok(a != 0, "the seed is not 0 (xorshift would stay there)");
	int in_range = 1, same = 1;
	double lo = 1, hi = 0;
	for (int i = 0; i < 10000; i++) {
		double u = retry_unit(&a);
		in_range &= u >= 0 && u < 1;
		same &= u == retry_unit(&b);
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	ok(in_range, "retry_unit is in [0,1)");
	ok(same, "one seed, one sequence");
	ok(lo < 0.01 && hi > 0.99, "retry_unit spreads over [0,1)");
}

static void test_again(void)
{
	/* --retries 2: attempts 0 and 1 may be followed by another, attempt 2 is the last */
	ok(retry_again(1, 0, 2) && retry_again(1, 1, 2), "retryable, retries left: again");
	ok(!retry_again(1, 2, 2), "retryable, no retry left: done");
	ok(!retry_again(0, 0, 2), "not retryable: done");
	ok(!retry_again(1, 0, 0), "--retries 0: one attempt");
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
	    /* after a request: a reply that was not HTTP (HTTP/0.9, garbage) */
	    {CURLE_UNSUPPORTED_PROTOCOL, 0, NULL, 0, 1},
	    {CURLE_WEIRD_SERVER_REPLY, 0, NULL, 0, 1},
	    {CURLE_URL_MALFORMAT, 0, NULL, 0, 0},
	    {CURLE_BAD_CONTENT_ENCODING, 200, NULL, 0, 0},
	    {CURLE_WRITE_ERROR, 200, NULL, 0, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(retry_should(t[i].cc, t[i].status, t[i].code, t[i].truncated), t[i].want,
		       "retry(curl %d, HTTP %ld, %s, truncated %d)", t[i].cc, t[i].status,
		       t[i].code ? t[i].code : "-", t[i].truncated);
}

int main(void)
{
	test_rate();
	test_backoff();
	test_again();
	test_retry();
	return tap_done();
}
