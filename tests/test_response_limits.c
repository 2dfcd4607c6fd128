/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The response parser's limits: a NUL in a name and a certificate past the name cap as selection
 * and evaluation see them, the SubjectAltName and BoundResource caps, a kept member too large,
 * huge skipped members, a long API message and RequestId, the 64 MiB body cap, and a page of
 * 1,000 real-sized certificates (timed). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evaluate.h"
#include "json.h"
#include "resp_fields.h"
#include "resp_harness.h"
#include "response.h"
#include "thresholds.h"
#include "tap.h"

/* What the selection and evaluation make of what the parser hands over. */
static struct select_opts sel;
static struct eval_opts ev;
static struct {
	int n, selected;
	struct cert_eval e;
	char domain[256];
} judged;

static int judge(void *ctx, const struct resp_cert *c)
{
	(void)ctx;
	judged.n++;
	judged.selected = eval_selected(&sel, c);
	eval_cert(&ev, c, &judged.e);
	json_unescape(c->domain, judged.domain, sizeof judged.domain);
	return 0;
}

static enum resp_err run_judge(const char *body)
{
	memset(&judged, 0, sizeof judged);
	resp_init(&parser, judge, NULL);
	enum resp_err e = resp_feed(&parser, body, strlen(body));
	return e ? e : resp_finish(&parser);
}

static void names(void)
{
	int keys_ok = 1; /* resp_fields.c reads a kept key as the field's index */
	for (int f = 0; f < RF_N; f++) {
		char want[8];
		snprintf(want, sizeof want, "%d", f);
		keys_ok &= strcmp(resp_fields[f].key, want) == 0;
	}
	ok(keys_ok, "each field's kept key is its index");

	static char b[1 << 16];
	thr_parse("30", &ev.warn);
	thr_parse("7", &ev.crit);
	ev.now = 1767225600; /* 2026-01-01 */

	/* a NUL in a name: matched and shown whole, the NUL as its escape */
	const char *nul =
	    PAGE("{\"CertificateId\":\"n\",\"Status\":1,\"Domain\":\"evil.com\\u0000.example.com\","
	         "\"CertEndTime\":\"2027-01-01 00:00:00\"}");
	memset(&sel, 0, sizeof sel);
	sel.domains[0] = "*.example.com";
	sel.n_domains = 1;
	is_int(run_judge(nul), RESP_OK, "NUL in Domain: parsed");
	is_str(judged.domain, "evil.com\\u0000.example.com",
	       "NUL in Domain: the whole name, escaped");
	ok(judged.selected, "NUL in Domain: --domain '*.example.com' matches");
	memset(&sel, 0, sizeof sel);
	sel.exclude_domains[0] = "evil.com";
	sel.n_exclude_domains = 1;
	run_judge(nul);
	ok(judged.selected, "NUL in Domain: --exclude-domain evil.com does not drop it");

	/* past the name cap: that certificate alone is UNKNOWN, with the reason */
	memset(&sel, 0, sizeof sel);
	int n = snprintf(b, sizeof b,
	                 R "\"Certificates\":[{\"CertificateId\":\"ok\","
	                   "\"CertEndTime\":\"2027-01-01 00:00:00\"},"
	                   "{\"CertificateId\":\"many\",\"Status\":1,\"SubjectAltName\":[");
	for (int i = 0; i <= RESP_MAX_NAMES; i++)
		n += snprintf(b + n, sizeof b - (size_t)n, "%s\"n%d\"", i ? "," : "", i);
	snprintf(b + n, sizeof b - (size_t)n, "],\"CertEndTime\":\"2027-01-01 00:00:00\"}]}}");
	is_int(run_judge(b), RESP_OK, "2049 names: the response is fine");
	is_int(judged.n, 2, "2049 names: both certificates handed over");
	is_int(judged.e.state, TC_UNKNOWN, "2049 names: that certificate is UNKNOWN");
	is_str(judged.e.problem ? judged.e.problem : "(none)",
	       "has more than 2048 SubjectAltName entries", "2049 names: the reason");
	sel.domains[0] = "nothing.example";
	sel.n_domains = 1;
	run_judge(b);
	ok(judged.selected, "2049 names: not dropped by --domain on the names it could not keep");
	memset(&sel, 0, sizeof sel);
}

/* The one certificate of the last run, for the cap tests. */
static struct cap_seen {
	size_t n, n_san, n_bound;
	const char *problem;
	char end[64], last_san[64];
} cs;

static int cap_cert(void *ctx, const struct resp_cert *c)
{
	(void)ctx;
	cs.n++;
	cs.n_san = c->n_san;
	cs.n_bound = c->n_bound;
	cs.problem = c->problem;
	json_unescape(c->end_time, cs.end, sizeof cs.end);
	cs.last_san[0] = '\0';
	if (c->n_san) json_unescape(c->san[c->n_san - 1], cs.last_san, sizeof cs.last_san);
	return 0;
}

static enum resp_err run_caps(const char *body, long chunk)
{
	size_t len = strlen(body), off = 0;
	enum resp_err e = RESP_OK;
	memset(&cs, 0, sizeof cs);
	resp_init(&parser, cap_cert, NULL);
	while (off < len && !e) {
		size_t n = chunk > 0 && (size_t)chunk < len - off ? (size_t)chunk : len - off;
		e = resp_feed(&parser, body + off, n);
		off += n;
	}
	return e ? e : resp_finish(&parser);
}

#define BIG (2u << 20)

/* body = head, then count entries "<prefix><i><fill>" separated by commas, then tail */
static char *list_body(char *b, const char *head, int count, const char *prefix, size_t fill,
                       const char *tail)
{
	size_t n = (size_t)snprintf(b, BIG, "%s", head);
	for (int i = 0; i < count; i++) {
		n += (size_t)snprintf(b + n, BIG - n, "%s\"%s%d", i ? "," : "", prefix, i);
		memset(b + n, 'x', fill);
		n += fill;
		b[n++] = '"';
	}
	snprintf(b + n, BIG - n, "%s", tail);
	return b;
}

static void caps(void)
{
	static char b[BIG];
	const char *head = R "\"Certificates\":[{\"CertificateId\":\"c\",\"SubjectAltName\":[";
	const char *tail = "],\"CertEndTime\":\"2030-01-01 00:00:00\"}]}}";

	/* RESP_MAX_NAMES names: fine; one more: only that certificate has a problem */
	for (int want = RESP_MAX_NAMES; want <= RESP_MAX_NAMES + 1; want++) {
		list_body(b, head, want, "n", 0, tail);
		enum resp_err e = run_caps(b, want == RESP_MAX_NAMES ? 0 : 1000);
		is_int(e, RESP_OK, "%d SubjectAltName entries: the response is fine", want);
		is_int(cs.n, 1, "%d SubjectAltName entries: the certificate is handed over", want);
		is_int(cs.n_san, RESP_MAX_NAMES, "%d SubjectAltName entries: %d kept", want,
		       RESP_MAX_NAMES);
		is_str(cs.last_san, "n2047", "%d SubjectAltName entries: the last kept", want);
		is_str(cs.end, "2030-01-01 00:00:00",
		       "%d SubjectAltName entries: CertEndTime after", want);
		if (want == RESP_MAX_NAMES)
			ok(cs.problem == NULL, "%d SubjectAltName entries: no problem", want);
		else
			is_str(cs.problem ? cs.problem : "(none)",
			       "has more than 2048 SubjectAltName entries",
			       "%d SubjectAltName entries: the problem", want);
	}
	/* names too large in all: the list ends before the one that does not fit */
	list_body(b, head, 1500, "n", 250, tail);
	is_int(run_caps(b, 4096), RESP_OK, "1500 names of 256 bytes: the response is fine");
	ok(cs.n_san > 900 && cs.n_san < 1000, "1500 names of 256 bytes: %zu kept", cs.n_san);
	is_str(cs.problem ? cs.problem : "(none)",
	       "has SubjectAltName or BoundResource entries over 240 KiB",
	       "1500 names of 256 bytes: the problem");
	is_str(cs.end, "2030-01-01 00:00:00", "1500 names of 256 bytes: CertEndTime after");

	list_body(b, R "\"Certificates\":[{\"CertificateId\":\"c\",\"BoundResource\":[", 65, "r", 0,
	          "]}]}}");
	is_int(run_caps(b, 0), RESP_OK, "65 BoundResource entries: the response is fine");
	ok(cs.n_bound == 64 && cs.problem &&
	       !strcmp(cs.problem, "has more than 64 BoundResource "
	                           "entries"),
	   "65 BoundResource entries: 64 kept, the problem said");

	/* a kept member too large for the kept object fails the response */
	list_body(b, R "\"Certificates\":[{\"CertificateId\":\"c\",\"Domain\":", 1, "d",
	          RESP_MAX_CERT_BYTES, "}]}}");
	is_int(run_caps(b, 7000), RESP_ERR_TOO_BIG, "a 256 KiB Domain: too big");
	is_str(resp_message(&parser),
	       "malformed response: certificate 1: kept members larger than 256 KiB",
	       "a 256 KiB Domain: message");

	/* skipped members cost nothing: a 1 MiB string, 100,000 numbers */
	list_body(b, R "\"Certificates\":[{\"CertificateId\":\"c\",\"Description\":", 1, "d",
	          1u << 20, ",\"X\":[");
	size_t n = strlen(b);
	for (int i = 0; i < 100000; i++)
		n += (size_t)snprintf(b + n, BIG - n, "%s1", i ? "," : "");
	snprintf(b + n, BIG - n, "],\"CertEndTime\":\"2030-01-01 00:00:00\"}]}}");
	is_int(run_caps(b, 65536), RESP_OK, "huge skipped members: fine");
	is_str(cs.end, "2030-01-01 00:00:00", "huge skipped members: the kept member after them");

	/* a long API message is cut, not refused */
	n = (size_t)snprintf(b, BIG, R "\"Error\":{\"Code\":\"X\",\"Message\":\"");
	memset(b + n, 'm', 17000);
	snprintf(b + n + 17000, BIG - n - 17000, "\"}}}");
	is_int(run_caps(b, 0), RESP_ERR_API, "Error Message of 17000 bytes: an API error");
	ok(strncmp(resp_message(&parser), "API error X: mmmm", 17) == 0 &&
	       strlen(resp_message(&parser)) == 13 + 383,
	   "Error Message of 17000 bytes: cut to a line");

	/* a long RequestId is cut, not refused */
	n = (size_t)snprintf(b, BIG, R "\"Certificates\":[],\"RequestId\":\"");
	memset(b + n, 'q', 5000);
	snprintf(b + n + 5000, BIG - n - 5000, "\"}}");
	is_int(run_caps(b, 3), RESP_OK, "long RequestId: fine");
	is_int(strlen(resp_get_summary(&parser)->request_id), 127, "long RequestId: cut");

	/* the body cap: whitespace between tokens is valid JSON, 64 MiB of it is not accepted */
	size_t chunk = 1 << 20;
	char *ws = malloc(chunk);
	memset(ws, ' ', chunk);
	resp_init(&parser, NULL, NULL);
	enum resp_err e = resp_feed(&parser, R, strlen(R));
	size_t fed = strlen(R);
	while (!e && fed < RESP_MAX_BODY + chunk) {
		e = resp_feed(&parser, ws, chunk);
		fed += chunk;
	}
	is_int(e, RESP_ERR_TOO_BIG, "64 MiB body: too big");
	is_str(resp_message(&parser), "response body larger than 64 MiB", "64 MiB body: message");
	ok(fed > RESP_MAX_BODY && fed <= RESP_MAX_BODY + chunk + strlen(R),
	   "64 MiB body: stops at the cap");
	free(ws);
}

static const char big_cert[] =
    "{\"OwnerUin\":\"100012345678\",\"ProjectId\":\"0\",\"From\":\"trustasia\",\"PackageType\":"
    "\"2\","
    "\"CertificateType\":\"SVR\",\"ProductZhName\":"
    "\"\xe4\xba\x9a\xe6\xb4\xb2\xe8\xaf\x9a\xe4\xbf\xa1 "
    "DV SSL\",\"Domain\":\"www%05d.example.com\",\"Alias\":\"prod\",\"Status\":1,"
    "\"CertificateExtra\":{\"DomainNumber\":\"1\",\"OriginCertificateId\":\"\",\"ReplacedBy\":null,"
    "\"ReplacedFrom\":null,\"RenewOrder\":null,\"SMCert\":null,\"CompanyType\":0},"
    "\"VulnerabilityStatus\":\"INACTIVE\",\"StatusMsg\":null,\"VerifyType\":\"DNS_AUTO\","
    "\"CertBeginTime\":\"2024-06-01 08:00:00\",\"CertEndTime\":\"2025-06-01 07:59:59\","
    "\"ValidityPeriod\":\"12\",\"InsertTime\":\"2024-06-01 10:11:12\",\"CertificateId\":\"Id%05d\","
    "\"SubjectAltName\":[\"www%05d.example.com\",\"example.com\"],\"PackageTypeName\":\"TrustAsia "
    "TLS RSA CA\",\"StatusName\":\"\\u8bc1\\u4e66\\u5df2\\u9881\\u53d1\",\"IsVip\":false,"
    "\"IsDv\":true,\"IsWildcard\":false,\"IsVulnerability\":false,\"RenewAble\":false,"
    "\"ProjectInfo\":{\"ProjectName\":\"default\",\"ProjectCreatorUin\":100012345678,"
    "\"ProjectCreateTime\":\"2019-01-01 "
    "00:00:00\",\"ProjectResume\":\"\",\"OwnerUin\":100012345678,"
    "\"ProjectId\":\"0\"},\"BoundResource\":[\"clb\",\"cdn\"],\"Deployable\":true,"
    "\"Tags\":[{\"TagKey\":\"env\",\"TagValue\":\"prod\"},{\"TagKey\":\"team\",\"TagValue\":"
    "\"web\"}],"
    "\"IsIgnore\":false,\"IsSM\":false,\"EncryptAlgorithm\":\"RSA 2048\","
    "\"CAEncryptAlgorithms\":[\"RSA 2048\"],\"CAEndTimes\":[\"2030-11-10 07:59:59\"],"
    "\"CACommonNames\":[\"TrustAsia RSA DV TLS CA G2\"],\"PreAuditInfo\":null,\"AutoRenewFlag\":0,"
    "\"HostingStatus\":null,\"HostingCompleteTime\":null,\"HostingRenewCertId\":null,"
    "\"HasRenewOrder\":\"\",\"ReplaceOriginCertificate\":false,\"IsExpiring\":false,"
    "\"DNSPodTagsInfo\":null,\"SupportDownloadType\":{\"NGINX\":true,\"APACHE\":true,\"IIS\":true,"
    "\"TOMCAT\":true,\"JKS\":true,\"OTHER\":true,\"ROOT\":false},\"CertRevokedTime\":null,"
    "\"KeyPassword\":\"\",\"Description\":\"a longer free-text description of this certificate, "
    "as some accounts keep notes here about who owns it and where it is deployed, to make the "
    "object about as large as the real ones seen in the field (around 1.7 KB)\"}";

/* A 1,000-certificate page built here; also times the parse. */
static char *build_page(size_t count, size_t *len)
{
	size_t cap = count * (sizeof big_cert + 64) + 256, n = 0;
	char *b = malloc(cap);
	n +=
	    (size_t)snprintf(b, cap, "{\"Response\":{\"TotalCount\":%zu,\"Certificates\":[", count);
	for (size_t i = 0; i < count; i++) {
		if (i) b[n++] = ',';
		n += (size_t)snprintf(b + n, cap - n, big_cert, (int)i, (int)i, (int)i);
	}
	n += (size_t)snprintf(b + n, cap - n, "],\"RequestId\":\"big-page\"}}");
	*len = n;
	return b;
}

static int count_only(void *ctx, const struct resp_cert *c)
{
	(*(size_t *)ctx) += c->n_san + c->n_bound + (c->id.n > 0);
	return 0;
}

static void page1000(void)
{
	size_t len, sum = 0;
	char *body = build_page(1000, &len);
	struct timespec t0, t1;
	ok(len > 1500000, "page1000: %zu bytes", len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	resp_init(&parser, count_only, &sum);
	enum resp_err e = RESP_OK;
	for (size_t off = 0; off < len && !e; off += 16384)
		e = resp_feed(&parser, body + off, len - off < 16384 ? len - off : 16384);
	if (!e) e = resp_finish(&parser);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	is_int(e, RESP_OK, "page1000: parse");
	is_int(resp_get_summary(&parser)->n_certs, 1000, "page1000: 1000 certificates");
	is_int(sum, 5000, "page1000: every id, name and resource seen");
	printf("# page1000: %.1f MB in %.2f ms, %.0f MB/s (16 KiB chunks)\n", (double)len / 1e6,
	       s * 1e3, (double)len / 1e6 / s);
	free(body);
}

int main(void)
{
	names();
	caps();
	page1000();
	return tap_done();
}
