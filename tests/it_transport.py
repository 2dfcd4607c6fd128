#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration tests of the transport (lib/client.c) through the plugin and the mock API:
every fault mode of tests/mock_api.py (exit code, message, requests made, and that the
plugin ends within its deadline + 1 s), retries of transient faults, keep-alive, TLS,
the request headers, the 20,000-certificates figure, --max-rate, and -vv / -vvv logging."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (NOW, SECRET_KEY, Mock, case, peak_rss_kib, run_cases,  # noqa: E402
                 run_plugin)

CRIT_SAMPLE = r"^TENCENTCLOUD_SSL CRITICAL - 2 critical, 2 warning, 11 ok of 15 certificates"


def timed(args, env=None, timeout=30):
    t0 = time.monotonic()
    code, out, err = run_plugin(args, env=env, timeout=timeout)
    return code, out, err, time.monotonic() - t0


def sample(fault, *extra, mock_args=(), plugin_args=(), tls=False):
    """The sample account (20 certificates) in pages of 5 with --fault fault."""
    args = ["--account", "sample", "--now", str(NOW)] + list(mock_args)
    for f in ([fault] if isinstance(fault, str) else list(fault)):
        args += ["--fault", f]
    return Mock(*args, tls=tls)


def plugin(m, *args, timeout_s=5):
    return timed(["--endpoint", m.url, "--now", NOW, "--page-size", 5, "-t", timeout_s] +
                 [str(a) for a in args])


# How late the mock may stamp a request's arrival: its threads take the GIL after the
# bytes came, on a 2-core machine that the ASan run keeps busy (50 ms was once too little).
# A limiter letting 6 a second through still fails the "at least 5 s" check.
RATE_NOISE = 0.2


def max_open(spans):
    """The most (start, end) spans open at one time."""
    edges = sorted([(a, 1) for a, b in spans] + [(b, -1) for a, b in spans])
    worst = now = 0
    for _, d in edges:
        now += d
        worst = max(worst, now)
    return worst


def max_in_window(times, width=1.0):
    worst, j = 0, 0
    for i in range(len(times)):
        while times[i] - times[j] >= width:
            j += 1
        worst = max(worst, i - j + 1)
    return worst


# ---- faults: (fault, exit code, status-line regex, requests made or None) ----
# Pages of 5: the sample account is 4 pages; --retries 2 (the default) allows 3 tries.
U = r"^TENCENTCLOUD_SSL UNKNOWN - "
FAULTS = [
    ("reset", 3, U + r"connection to 127\.0\.0\.1:\d+ failed: ", 3),
    ("reset@1", 2, CRIT_SAMPLE, 5),
    ("resetx2", 2, CRIT_SAMPLE, 6),
    ("resetx3", 3, U + r"connection to 127\.0\.0\.1:\d+ failed: ", 3),
    ("http:502", 3, U + r"HTTP 502 from 127\.0\.0\.1:\d+$", 3),
    ("http:502x2", 2, CRIT_SAMPLE, 6),
    ("http:503@1", 2, CRIT_SAMPLE, 5),
    ("http:429@1", 2, CRIT_SAMPLE, 5),
    ("http:429", 3, U + r"HTTP 429 from 127\.0\.0\.1:\d+$", 3),
    ("http:403", 3, U + r"HTTP 403 from 127\.0\.0\.1:\d+$", 1),
    ("http:404", 3, U + r"HTTP 404 from 127\.0\.0\.1:\d+$", 1),
    ("http:502@3", 2, CRIT_SAMPLE, 5),
    ("html200", 3, U + r"malformed response: ", 1),
    ("empty200", 3, U + r"malformed response: empty body$", 1),
    ("throttle", 3, U + r"API error RequestLimitExceeded: .* \(RequestId [-0-9a-f]+\)$", 3),
    ("throttlex2", 2, CRIT_SAMPLE, 6),
    ("ratelimit@1", 2, CRIT_SAMPLE, 5),
    ("ratelimit", 3, U + r"API error LimitExceeded\.RateLimitExceeded: ", 3),
    ("internal@2", 2, CRIT_SAMPLE, 5),
    ("internal", 3, U + r"API error InternalError: ", 3),
    ("error:ServiceUnavailable@1", 2, CRIT_SAMPLE, 5),
    ("error:FailedOperation.NetworkError@1", 2, CRIT_SAMPLE, 5),
    ("error:FailedOperation.CertificateNotFound", 3,
     U + r"API error FailedOperation\.CertificateNotFound: ", 1),
    ("error:AuthFailure.SignatureFailure", 3,
     U + r"API error AuthFailure\.SignatureFailure: .* \(RequestId [-0-9a-f]+\)$", 1),
    ("error:InvalidParameter", 3, U + r"API error InvalidParameter: ", 1),
    ("total-changes", 3, U + r"inconsistent listing: TotalCount changed", None),
    ("total-changes@2", 2, CRIT_SAMPLE, None),  # pages in flight at the restart may not count
    ("dup-id", 3, U + r"inconsistent listing: duplicate CertificateId", None),
    ("dup-id-escaped", 3, U + r"inconsistent listing: duplicate CertificateId", None),
    ("extra-cert", 3, U + r"malformed response: 6 certificates in a page of Limit 5$", 1),
    ("short-page", 3, U + r"inconsistent listing: short page", None),
    ("null-total", 2, CRIT_SAMPLE, 5),
    ("null-certs", 3, U + r"response has no certificate list$", 1),
    ("missing-certs", 3, U + r"response has no certificate list$", 1),
    ("cut", 3, U + r"connection to 127\.0\.0\.1:\d+ failed: ", 3),
    ("cut@1", 2, CRIT_SAMPLE, 5),
    ("cutx2", 2, CRIT_SAMPLE, 6),
    ("long", 3, U + r"malformed response: the JSON ends unfinished after \d+ bytes$", 3),
    ("long@2", 2, CRIT_SAMPLE, 5),
]


@case
def faults(t):
    """Every row of FAULTS against its own mock."""
    for fault, want_code, want_re, want_requests in FAULTS:
        with sample(fault) as m:
            code, out, err, took = plugin(m)
            n = len(m.log_entries())
        first = out.split("\n")[0]
        t.is_(code, want_code, "%s: exit code" % fault, diag=out + err)
        t.like(first, want_re, "%s: status line" % fault)
        if want_requests is not None:
            t.is_(n, want_requests, "%s: %d requests" % (fault, want_requests))
        t.ok(took < 5 + 1, "%s: ends in %.2f s (deadline 5 s)" % (fault, took))


@case
def echo_auth(t):
    """An error message that echoes the request (a leaky gateway): no token, no signature shown."""
    env_token = {"TENCENTCLOUD_SESSION_TOKEN": "tok-ECHO-secret-789"}
    with sample("echo-auth", mock_args=("--token", "tok-ECHO-secret-789")) as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-vv", "--retries", "1"],
                                    env=env_token)
    t.is_(code, 3, "echo-auth: UNKNOWN")
    t.like(out, U + r"API error InternalError: gateway saw Authorization: TC3-HMAC-SHA256 ",
           "echo-auth: the API's message is shown", out)
    t.ok("tok-ECHO-secret-789" not in out + err, "echo-auth: the echoed token is redacted",
         out + err)
    t.ok(not re.search(r"Signature=[0-9a-f]{8}", out + err),
         "echo-auth: the echoed signature is redacted")


@case
def restart_once(t):
    """Inconsistencies restart exactly once from the start: requests = listing + restart."""
    with sample("dup-id") as m:
        code, out, err, took = plugin(m, "-v")
        log = m.log_entries()
    offs = [e.get("offset") for e in log]
    t.is_(offs.count(0), 2, "dup-id: the listing starts over once (Offset 0 twice)", diag=offs)
    t.like(err, r"inconsistent listing .*restarting", "dup-id: -v says it restarts")


@case
def null_total_short_page(t):
    """TotalCount null and a short page: without a total the short page is the end."""
    with sample(["null-total", "short-page"]) as m:
        code, out, err, took = plugin(m)
        n = len(m.log_entries())
    t.is_(n, 2, "null-total + short-page: the short second page ends the listing")
    t.like(out, r"^TENCENTCLOUD_SSL \w+ - ", "null-total + short-page: a status line")


@case
def deadline(t):
    """The deadline: a server that never answers, or trickles."""
    for fault, extra, want_code in (("hang", [], 3), ("hang@2", [], 3), ("trickle", [], 3),
                                    ("hang", ["-t", "3:critical"], 2),
                                    ("trickle", ["-t", "3:warning"], 1)):
        with sample(fault) as m:
            code, out, err, took = timed(["--endpoint", m.url, "--now", NOW, "--page-size", 5,
                                          "-t", 3] + extra)
        label = "%s %s" % (fault, " ".join(extra))
        t.is_(code, want_code, "%s: exit code" % label, diag=out + err)
        t.like(out, r"^TENCENTCLOUD_SSL \w+ - timed out after 3 s",
               "%s: timed out after 3 s" % label)
        t.ok(2.9 <= took < 4.0, "%s: ends in %.2f s (deadline 3 s + 1)" % (label, took))


@case
def backoff_within_deadline(t):
    """Backoff never sleeps past the deadline: a failing server and many retries."""
    with sample("http:503") as m:
        code, out, err, took = timed(["--endpoint", m.url, "--now", NOW, "-t", 2,
                                      "--retries", 50])
    t.ok(took < 3.0, "503 with --retries 50: ends in %.2f s (deadline 2 s + 1)" % took)
    t.is_(code, 3, "503 with --retries 50: UNKNOWN")


@case
def connection_refused(t):
    """A port nobody listens on: connect errors are retried, then named."""
    with Mock("--account", "sample") as m:
        port = m.port
    code, out, err, took = timed(["--endpoint", "http://127.0.0.1:%d" % port, "-t", 5, "-vv"])
    t.is_(code, 3, "refused: UNKNOWN")
    t.like(out, U + r"cannot connect to 127\.0\.0\.1:%d: " % port, "refused: cannot connect to")
    t.is_(len(re.findall(r"attempt \d", err)), 3, "refused: 3 attempts logged", diag=err)


@case
def huge_body(t):
    """A body past the 64 MiB cap: stopped by the parser, memory stays small."""
    with sample("huge") as m:
        code, out, err, took = plugin(m, timeout_s=20)
        rss = peak_rss_kib(["--endpoint", m.url, "--now", NOW, "-t", 20])
    t.is_(code, 3, "huge: UNKNOWN")
    t.like(out, U + r".*(64 MiB|too big|too large|larger)", "huge: names the cap")
    t.ok(rss < 40 * 1024, "huge: peak RSS %d KiB < 40 MiB" % rss)


@case
def tls(t):
    """TLS: an unknown CA, --cacert, --insecure, a missing --cacert file."""
    with sample([], tls=True) as m:
        code, out, err, took = plugin(m)
        t.is_(code, 3, "TLS, unknown CA: UNKNOWN")
        t.like(out, U + r"TLS: ", "TLS, unknown CA: message starts with TLS:")
        t.is_(len(m.log_entries()), 0, "TLS, unknown CA: no request reached the server")
        code, out, err, took = plugin(m, "--cacert", m.ca)
        t.is_(code, 2, "TLS with --cacert: listed", diag=out + err)
        code, out, err, took = plugin(m, "--insecure", "-v")
        t.is_(code, 2, "TLS with --insecure: listed", diag=out + err)
        t.like(err, r"(?i)insecure", "--insecure: -v says verification is off")
        code, out, err, took = plugin(m, "--cacert", os.path.join(m.dir, "no-such-ca.pem"))
        t.is_(code, 3, "TLS with a missing --cacert file: UNKNOWN")


@case
def request_headers(t):
    """The request itself: headers, keep-alive, gzip."""
    with sample([], mock_args=["--gzip"]) as m:
        code, out, err, took = plugin(m, "--parallel", 1, "--region", "ap-guangzhou",
                                      "--language", "en-US")
        log = m.log_entries()
    t.is_(code, 2, "gzip: listed", diag=out + err)
    t.ok(log and all(e.get("gzip") for e in log), "gzip: every reply was compressed")
    h = log[0]["headers"] if log else {}
    t.is_(h.get("content-type"), "application/json", "Content-Type: application/json exactly")
    t.is_(h.get("host"), m.host, "Host is host:port of the endpoint")
    t.is_(h.get("x-tc-action"), "DescribeCertificates", "X-TC-Action")
    t.is_(h.get("x-tc-version"), "2019-12-05", "X-TC-Version")
    t.is_(h.get("x-tc-region"), "ap-guangzhou", "X-TC-Region")
    t.is_(h.get("x-tc-language"), "en-US", "X-TC-Language")
    t.like(h.get("user-agent", ""), r"^check_tencentcloud_ssl/\d", "User-Agent")
    t.like(h.get("accept-encoding", ""), r"gzip", "Accept-Encoding offers gzip")
    t.ok("expect" not in h, "no Expect: 100-continue")
    t.ok(abs(int(h.get("x-tc-timestamp", 0)) - time.time()) < 60,
         "X-TC-Timestamp is the real clock")
    t.is_([e.get("offset") for e in log], [0, 5, 10, 15], "Offsets 0, 5, 10, 15")
    t.is_(len({e["conn"] for e in log}), 1, "keep-alive: 4 sequential pages on one connection",
          diag=[e["conn"] for e in log])


@case
def keepalive_null_total(t):
    """Keep-alive while the pages come one after another."""
    with sample("null-total") as m:
        plugin(m)
        log = m.log_entries()
    t.is_(len({e["conn"] for e in log}), 1,
          "keep-alive: TotalCount null, %d pages on one connection"
          % len(log))


@case
def keepalive_after_502(t):
    """Keep-alive across a 502 reply."""
    with sample("http:502@2") as m:
        plugin(m, "--parallel", 1)
        log = m.log_entries()
    t.is_(len({e["conn"] for e in log}), 1, "keep-alive: a 502 reply does not cost the connection")


@case
def performance_20000(t):
    """Performance: 20,000 certificates, 300 ms per response, defaults."""
    with Mock("--account", "gen:20000", "--delay", "0.3") as m:
        code, out, err, took = timed(["--endpoint", m.url, "-t", 30])
        log = m.log_entries()
    t.like(out, r"of 20000 certificates", "20000 certificates listed", diag=out[:300] + err)
    # pages overlap: one at a time takes at least 20 x 0.3 = 6 s, and the mock's log shows
    # requests open at once. How fast it is (about 2.6 s, the floor 2.2 s) is the
    # benchmark's to say (tests/bench/bench.sh), not a timed test's: under ASan on a busy
    # 2-core machine it has taken 4.7 s.
    t.ok(took < 6.0, "20000 certificates at 300 ms per response in %.2f s: less than one "
         "at a time (6 s)" % took)
    spans = [(e["time"], e["time"] + (e.get("duration") or 0)) for e in log]
    most = max_open(spans)
    t.ok(most >= 2, "pages overlap: %d requests open at once (--parallel 4)" % most)
    t.is_(len(log), 20, "20 requests of 1000")
    times = sorted(e["time"] for e in log)
    t.ok(max_in_window(times, 1.0 - RATE_NOISE) <= 10,
         "default --max-rate 10: at most 10 requests in any second",
         diag=["%.3f" % (x - times[0]) for x in times])
    t.ok(max(e["conn"] for e in log) <= 5, "connections reused across pages (%d connections)" %
         len({e["conn"] for e in log}))


@case
def max_rate(t):
    """--max-rate 5 over 30 pages."""
    with Mock("--account", "gen:3000") as m:
        code, out, err, took = timed(["--endpoint", m.url, "-t", 30, "--page-size", 100,
                                      "--max-rate", 5, "--parallel", 8])
        log = m.log_entries()
    times = sorted(e["time"] for e in log)
    t.is_(len(log), 30, "--max-rate 5: 30 pages", diag=out + err)
    worst = max_in_window(times, 1.0 - RATE_NOISE)
    t.ok(worst <= 5, "--max-rate 5: at most 5 requests in any second (%d)" % worst,
         diag=["%.3f" % (x - times[0]) for x in times])
    t.ok(took >= 5.0, "--max-rate 5: 30 requests take at least 5 s (%.2f s)" % took)


@case
def logging_vv(t):
    """Logging at -vv: a line per request, with its status, duration and retry reason."""
    with sample("http:502@2") as m:
        code, out, err, took = plugin(m, "-vv", "--parallel", 1)
    t.like(err, r"page offset 0 attempt 1: HTTP 200, \d+ bytes, .*\d\.\d+ s",
           "-vv: a line per request")
    t.like(err,
           r"page offset 5 attempt 1: HTTP 502, .*\d\.\d+ s, retry in \d\.\d+ s: HTTP 502 from",
           "-vv: status, duration and the retry reason")
    t.like(err, r"page offset 5 attempt 2: HTTP 200", "-vv: the retry succeeds")
    t.like(err, r"listed 20 certificates .* 4 pages, 5 requests", "-v summary: pages and requests")


@case
def logging_vvv(t):
    """-vvv shows headers and bodies, and never a secret."""
    TOKEN = "mockSessionTokenEXAMPLE0000000000000000000000"
    with sample("throttle@2", mock_args=["--token", TOKEN]) as m:
        code, out, err, took = timed(["--endpoint", m.url, "--now", NOW, "-vvv", "--page-size", 5],
                                     env={"TENCENTCLOUD_SESSION_TOKEN": TOKEN})
    t.is_(code, 2, "-vvv with a session token: listed", diag=out + err)
    t.like(err, r"Authorization: <redacted>", "-vvv: Authorization redacted")
    t.like(err, r"X-TC-Token: <redacted>", "-vvv: X-TC-Token redacted")
    t.like(err, r'\{"Offset":5,"Limit":5\}', "-vvv: request body shown")
    both = out + err
    t.ok(SECRET_KEY not in both, "-vvv: no secret key anywhere")
    t.ok(TOKEN not in both, "-vvv: no session token anywhere")
    t.unlike(both, r"Signature=[0-9a-f]{8}", "-vvv: no signature anywhere")


if __name__ == "__main__":
    run_cases()
