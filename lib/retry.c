/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "retry.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "clock.h"

void retry_rate_init(struct retry_rate *r, int per_second)
{
	memset(r, 0, sizeof *r);
	if (per_second < 1) per_second = 1;
	if (per_second > RETRY_MAX_RATE) per_second = RETRY_MAX_RATE;
	r->per_second = per_second;
}

double retry_rate_next(const struct retry_rate *r, double now)
{
	if (r->n < r->per_second) return now;
	/* the oldest of the last per_second starts must be a full second old; 10 ms
	 * more keeps rounding and the server's view of it (network jitter) on the safe side */
	double next = r->t[r->head] + 1.01;
	return next > now ? next : now;
}

void retry_rate_take(struct retry_rate *r, double now)
{
	if (r->n < r->per_second) {
		r->t[(r->head + r->n) % r->per_second] = now;
		r->n++;
	} else {
		r->t[r->head] = now;
		r->head = (r->head + 1) % r->per_second;
	}
}

double retry_backoff(int attempt, double u)
{
	if (attempt < 0) attempt = 0;
	if (attempt > 10) attempt = 10;
	if (u < 0) u = 0;
	if (u > 1) u = 1;
	return 0.25 * (double)(1 << attempt) * (0.5 + u);
}

double retry_unit(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return (double)((*state * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}

uint64_t retry_seed(void)
{
	/* the constant keeps the state off 0, where xorshift would stay */
	return ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)(clock_mono() * 1e9) ^
	       0x9E3779B97F4A7C15ull;
}

int retry_again(int worth, int attempt, int retries)
{
	return worth && attempt < retries;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int retry_is_tls_error(int cc)
{
	switch (cc) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return 1;
	default:
		return 0;
	}
}

int retry_is_connect_error(int cc)
{
	return cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
	       cc == CURLE_COULDNT_RESOLVE_PROXY;
}

int retry_should(int curl_code, long http_status, const char *api_code, int truncated)
{
	if (curl_code != CURLE_OK) {
		if (retry_is_tls_error(curl_code)) return 0;
		switch (curl_code) {
		/* our own setup, or a verdict on the content: the same again next time
		 * (CURLE_UNSUPPORTED_PROTOCOL is not: a bad scheme is refused before any
		 * request, so after one it is a reply that was not HTTP, a server fault) */
		case CURLE_FAILED_INIT:
		case CURLE_URL_MALFORMAT:
		case CURLE_NOT_BUILT_IN:
		case CURLE_OUT_OF_MEMORY:
		case CURLE_BAD_FUNCTION_ARGUMENT:
		case CURLE_UNKNOWN_OPTION:
		case CURLE_TOO_MANY_REDIRECTS:
		case CURLE_FILESIZE_EXCEEDED:
		case CURLE_BAD_CONTENT_ENCODING:
		case CURLE_WRITE_ERROR:
		case CURLE_ABORTED_BY_CALLBACK:
		case CURLE_LOGIN_DENIED:
		case CURLE_REMOTE_ACCESS_DENIED:
			return 0;
		default:
			/* refused, reset, no reply, cut short, connect timeout, ... */
			return 1;
		}
	}
	if (http_status != 200)
		return http_status == 429 || (http_status >= 500 && http_status <= 599);
	if (truncated) return 1;
	if (!api_code || !*api_code) return 0;
	return starts_with(api_code, "RequestLimitExceeded") ||
	       strcmp(api_code, "LimitExceeded.RateLimitExceeded") == 0 ||
	       starts_with(api_code, "InternalError") ||
	       strcmp(api_code, "ServiceUnavailable") == 0 ||
	       strcmp(api_code, "FailedOperation.NetworkError") == 0;
}
