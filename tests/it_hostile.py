#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile servers (issue 9): every case of tests/hostile_server.py against the plugin.

For each: the exit code, the reason on the status line, the wall time within -t + 1 s, the
peak RSS of the plugin (getrusage of that child; relaxed under AddressSanitizer, whose shadow
memory and quarantine are not the plugin's), no `|` on stdout outside the perfdata, and no
secret (key, session token, any 8-byte prefix of either, the request's signature) on stdout or
stderr at -vvv, whatever the server echoed.
The harness (Run, check) is in tests/hostile_check.py."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile_check import (ASAN, BASE, RSS_MAX_KIB, U, Hostile, Run, check, either,  # noqa: E402
                           timed)
from tap import NOW, diag, run_cases  # noqa: E402


@timed
def good(t):
    """The control: a well-behaved server, CRITICAL as listed."""
    check(t, "good", "good", 2, BASE, requests=1)


# ---- issue 9, 1: a connection whose response did not end cleanly is never reused ----

@timed
def poisoned_connection_once(t):
    """Content-Length of half the body, the rest 50 ms later, once: retried on a new connection."""
    check(t, "long-late once", "long-late", 2, BASE, times=1, requests=2)


@timed
def poisoned_connection_always(t):
    """The same on every request: UNKNOWN, and the retries are not fed leftovers."""
    def more(run, log):
        t.unlike(run.first, r"HTTP/0\.9", "long-late always: the retries are not fed leftovers")
    check(t, "long-late always", "long-late", 3,
          U + r"(malformed response|connection to 127\.0\.0\.1:\d+ failed): ", requests=3,
          more=more)


@timed
def long_body(t):
    """A body longer than its Content-Length at once, one time and every time."""
    check(t, "long once", "long", 2, BASE, times=1, requests=2)
    check(t, "long always", "long", 3,
          U + r"(malformed response|connection to 127\.0\.0\.1:\d+ failed): ", requests=3)


@timed
def trailing_garbage(t):
    """A complete page, then garbage: the next page must not read the garbage."""
    for case in ("tail", "tail-late", "tail-linger"):
        check(t, "%s, pages of 1" % case, case, 2, BASE, times=1,
              args=["--page-size", 1, "--parallel", 1])


@timed
def truncated_document(t):
    """Issue 9, 2: a well-framed document cut half way is a malformed response."""
    check(t, "trunc once", "trunc", 2, BASE, times=1, requests=2)
    check(t, "trunc always", "trunc", 3, U + r"malformed response: .*\b\d+ bytes", requests=3)


# ---- issue 9, 3: memory stays bounded whatever the server sends ----

# ':' where the issue wrote ';': the status line cannot carry ';' (Nagios 4 turns it into ':')
MEM_CAP = (r"^TENCENTCLOUD_SSL UNKNOWN - more than \d+ MiB of certificates to print: "
           r"use --max-output or narrow the selection$")


@timed
def memory_text(t):
    """Text output of 20 pages of big certificates: the result or the memory cap."""
    # 20 pages of 20 MB (the json run below is the 20 pages of 56 MB): enough to
    # go past the bound if everything is kept, in half the time
    kib = 8 if ASAN else 20
    check(t, "memory, text, 20 pages of %d MB" % kib, "memory", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 20000 critical, 0 ok of 20000 certificates"),
                 (3, MEM_CAP)), t_s=60, server_args=["--cert-kib", kib])


@timed
def memory_json(t):
    """JSON output of 20 pages of big certificates: the result or the memory cap."""
    def status(run):
        try:
            doc = json.loads(run.out)
        except ValueError as e:
            return False, "not JSON: %s" % e
        if doc.get("state") == "CRITICAL":
            return (doc.get("counts") or {}).get("selected") == 20000, "counts %r" % doc.get(
                "counts")
        return re.search(MEM_CAP, doc.get("summary", "")) is not None, "summary %r" % doc.get(
            "summary")
    # ASan: the same 20 pages, of 8 MB (the plugin is 2-3 times slower there)
    check(t, "memory, json", "memory", {2, 3}, status, t_s=60, args=["--output", "json"],
          json_out=True, server_args=["--cert-kib", 8 if ASAN else 56])


FAST = ["--max-rate", 1000, "--parallel", 32]


@timed
def memory_deadline(t):
    """The deadline covers printing: 160 MB of JSON to print stops at -t (cap or deadline)."""
    check(t, "memory, json, -t 5", "memory", {2, 3},
          either((2, r"^\{"), (3, r"^\{")), t_s=5, args=["--output", "json"], json_out=True,
          server_args=["--cert-kib", 8])


@timed
def many_small_certificates(t):
    """Many small expired certificates: the result or the memory cap."""
    n = 200000 if ASAN else 500000
    check(t, "%d small expired certificates" % n, "many-expired", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - %d critical, 0 ok of %d certificates" % (n, n)),
                 (3, MEM_CAP)), t_s=30, args=FAST, server_args=["--count", n])


@timed
def many_ids(t):
    """Past 4,194,304 ids the id set grows to 16M slots, the old array held: no big process."""
    n = 2097153 if ASAN else 4194305  # ASan: the growth before, at a third of the cost
    check(t, "%d cancelled certificates" % n, "many-ids", {0, 3},
          either((0, r"^TENCENTCLOUD_SSL OK - no certificates selected \(of %d listed\)" % n),
                 (3, U + r"(too many certificates|more than \d+ certificates)")),
          t_s=40, args=FAST, server_args=["--count", n])


@timed
def duplicate_members(t):
    """Issue 9, 4: duplicate members the plugin reads are malformed."""
    dup_end = U + r"malformed response: duplicate member CertEndTime in certificate Dupl0003$"
    check(t, "CertEndTime twice, OK last", "dup-end-ok-last", 3, dup_end)
    check(t, "CertEndTime twice, OK first", "dup-end-ok-first", 3, dup_end)
    check(t, "CertificateId twice", "dup-id", 3,
          U + r"malformed response: duplicate member CertificateId in certificate ")
    check(t, "TotalCount twice", "dup-total", 3,
          U + r"malformed response: duplicate member TotalCount")
    # "Cert\u0045ndTime" is the same member name as "CertEndTime" once decoded: read both
    # (a duplicate) or neither, never let the order decide between OK and CRITICAL
    for case in ("dup-end-escaped", "dup-end-escaped-first"):
        check(t, case, case, {2, 3},
              either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "
                      r"dup\.example\.com \(id Dupl0003\) expired 2 d ago"),
                     (3, U + r"malformed response: duplicate member CertEndTime")))
    check(t, "only Cert\\u0045ndTime", "escaped-end-only", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "
                  r"esc\.example\.com \(id Escp0011\) expires in 2 d"),
                 (3, r"^TENCENTCLOUD_SSL UNKNOWN - 1 unknown, 1 ok of 2 certificates: "
                     r"esc\.example\.com \(id Escp0011\) has no valid end time")))


# ---- issue 9, 5: a NUL in a name does not cut it ----

NUL_SHOWN = r"evil\.com\S+\.example\.com \(id Evil0005\)"
NUL_REJECTED = U + r"malformed response: "


@timed
def nul_in_name(t):
    """A NUL in a name: never shown cut, in text, selections or JSON."""
    def not_cut(run, log):
        t.unlike(run.text, r"evil\.com \(id", "NUL: never shown as plain evil.com")
    check(t, "NUL in a name", "nul-name", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: " +
                  NUL_SHOWN), (3, NUL_REJECTED)), more=not_cut)
    check(t, "NUL, --domain '*.example.com'", "nul-name", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: " +
                  NUL_SHOWN), (3, NUL_REJECTED)), args=["--domain", "*.example.com"],
          more=not_cut)
    check(t, "NUL, --exclude-domain evil.com", "nul-name", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: " +
                  NUL_SHOWN), (3, NUL_REJECTED)), args=["--exclude-domain", "evil.com"],
          more=not_cut)

    def json_name(run):
        try:
            doc = json.loads(run.out)
        except ValueError as e:
            return False, "not JSON: %s" % e
        if run.code == 3:
            return re.search(NUL_REJECTED, doc.get("summary", "")) is not None, doc.get(
                "summary", "")
        names = [c.get("domain") for c in doc.get("certificates", []) if c.get("id") == "Evil0005"]
        whole = [n for n in names if n and n.startswith("evil.com") and
                 n.endswith(".example.com") and len(n) > len("evil.com.example.com")]
        return len(whole) == 1 and len(names) == 1, "domain %r" % names
    check(t, "NUL, --output json", "nul-name", {2, 3}, json_name, args=["--output", "json"],
          json_out=True)


@timed
def invalid_utf8(t):
    """Issue 9, 6: invalid UTF-8 becomes U+FFFD in text output too."""
    def valid(run, log):
        try:
            text = run.out.decode("utf-8")
        except UnicodeDecodeError as e:
            t.ok(False, "bad UTF-8: stdout is valid UTF-8", diag="%s\n%r" % (e, run.out[:400]))
            return
        t.ok(True, "bad UTF-8: stdout is valid UTF-8")
        t.like(text, "bad\ufffd", "bad UTF-8: shown with U+FFFD")
    check(t, "bad UTF-8, text", "bad-utf8", 2,
          r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: bad", more=valid)
    check(t, "bad UTF-8, text -v", "bad-utf8", 2, r"^TENCENTCLOUD_SSL CRITICAL - ", args=["-v"],
          more=valid)

    def valid_json(run):
        try:
            doc = json.loads(run.out.decode("utf-8"))
        except ValueError as e:
            return False, str(e)
        names = [c.get("domain", "") for c in doc.get("certificates", [])]
        return any("\ufffd" in n for n in names), "domains %r" % names
    check(t, "bad UTF-8, json", "bad-utf8", 2, valid_json, args=["--output", "json"],
          json_out=True)


@timed
def echoed_secrets(t):
    """Issue 9, 7: secrets echoed back in any shape never reach the output."""
    for case in ("echo-whole", "echo-cut", "echo-sig", "echo-sig-upper", "echo-prefix",
                 "echo-escaped"):
        check(t, case, case, 3, U + r"API error AuthFailure\.SignatureFailure: .*\(RequestId "
              r"hostile-err\)$", requests=1)
    check(t, "echo-fields", "echo-fields", 3, U + r"API error AuthFailure\.", requests=1)
    check(t, "echo-headers", "echo-headers", 2, BASE, requests=1)
    check(t, "echo-http-error", "echo-http-error", 3, U + r"HTTP 500 from 127\.0\.0\.1:\d+$",
          requests=3)


@timed
def usage_text(t):
    """Issue 9, 8: no '|' in the usage text on stdout."""
    for args in (["--no-such-option"], ["-w", "bogus"], ["--page-size", "0"], ["-t"]):
        run = Run(args)
        label = "usage error %s" % " ".join(args)
        t.is_(run.code, 3, "%s: exit 3" % label)
        t.like(run.first, U, "%s: an UNKNOWN line first" % label)
        t.ok("|" not in run.text, "%s: no '|' on stdout" % label, diag=run.text)


# ---- issue 9, 9: a huge header; many SubjectAltName entries ----

@timed
def huge_header(t):
    """A 1 MiB response header: named, not 'Out of memory'."""
    def more(run, log):
        t.unlike(run.first, r"(?i)out of memory", "1 MiB header: not 'Out of memory'")
    check(t, "1 MiB header", "header-1mib", 3,
          U + r".*[Hh]eader.*(too large|too long|too big|larger)", more=more)


@timed
def many_sans(t):
    """513 and 3000 SubjectAltName entries."""
    check(t, "513 SubjectAltName entries", "san-513", 0,
          r"^TENCENTCLOUD_SSL OK - 2 ok of 2 certificates")
    check(t, "3000 SubjectAltName entries", "san-3000", {0, 3},
          either((0, r"^TENCENTCLOUD_SSL OK - 2 ok of 2 certificates"),
                 (3, r"^TENCENTCLOUD_SSL UNKNOWN - 1 unknown, 1 ok of 2 certificates: "
                     r"multi\.example\.com \(id Sans0007\) ")))


# ---- the classics ----

@timed
def json_bombs(t):
    """Deep nesting, 10M tokens, 50 MB strings."""
    check(t, "100k nested [", "deep", 3, U + r"malformed response: ")
    check(t, "10M tokens in an unknown member", "tokens-skip", {2, 3},
          either((2, BASE), (3, U + r"malformed response: ")), t_s=10)
    check(t, "10M tokens as Certificates", "tokens-certs", 3, U + r"malformed response: ", t_s=10)
    check(t, "50 MB Domain", "bigstring-domain", 3, U + r"malformed response: ", t_s=10)
    check(t, "50 MB string in an unknown member", "bigstring-skip", {2, 3},
          either((2, BASE), (3, U + r"malformed response: ")), t_s=10)


@timed
def bad_numbers(t):
    """TotalCount and Status numbers that are not counts."""
    reason = U + (r"(malformed response: |inconsistent listing: |"
                  r"more than \d+ certificates listed \(TotalCount \d+\))")
    for case in ("total-1e999", "total-neg", "total-2p40", "total-frac", "total-str",
                 "total-bool"):
        check(t, case, case, 3, reason)
    check(t, "Status 1e999", "status-1e999", 3, U + r"malformed response: certificate Stat0009: ")


@timed
def impossible_dates(t):
    """Dates that do not exist have no valid end time; 2028-02-29 does exist."""
    def more(run, log):
        t.like(run.text, r"^leap\.example\.com \(id Leap0099\): OK, ",
               "dates: 2028-02-29 is a valid end time")
    check(t, "impossible dates", "dates", 3,
          r"^TENCENTCLOUD_SSL UNKNOWN - 8 unknown, 1 ok of 9 certificates: "
          r"d\d\.example\.com \(id Date000\d\) has no valid end time", args=["-v"], more=more)


@timed
def gzip(t):
    """gzip bombs and gzip that is not gzip."""
    check(t, "gzip bomb, 1 GiB of whitespace", "gzip-bomb", 3,
          U + r"(response body larger than \d+ MiB|malformed response: .*(large|big))", t_s=10)
    check(t, "gzip bomb, 1 GiB of NULs", "gzip-zeros", 3, U + r"malformed response: ", t_s=10)
    check(t, "gzip that is not gzip", "gzip-bad", 3,
          U + r"(connection to 127\.0\.0\.1:\d+ failed|malformed response): .*(?i:unencod|gzip|"
          r"inflat|decompress)")


@timed
def framing(t):
    """Bad chunking, HTTP/0.9 and garbage replies: transport failures, retried."""
    for case in ("chunk-bogus", "chunk-huge"):
        check(t, case, case, 3, U + r"connection to 127\.0\.0\.1:\d+ failed: .*(?i:chunk)",
              requests=3)
    for case in ("http09", "garbage"):
        def says_no_status(run, log, case=case):
            # a reply without a status line has none to log (not bytes of an unset buffer)
            err = run.err.decode("utf-8", "replace")
            lines = [ln for ln in err.split("\n") if "page offset 0 attempt 1:" in ln]
            t.ok(lines and all(re.search(r"attempt 1: no status, 0 bytes", ln) for ln in lines),
                 "%s: -vv logs 'no status'" % case, diag=lines)
        # persistent: retried like any unclean end, 1 + --retries (2) requests in all
        check(t, case, case, 3, U + r"connection to 127\.0\.0\.1:\d+ failed: ",
              more=says_no_status, requests=3)
        # a framing error is a transport failure: once, it is retried on a fresh connection
        check(t, "%s once" % case, case, 2, BASE, times=1, requests=2)


@timed
def one_fault_among_parallel_pages(t):
    """5 pages of 1000 at --parallel 4, the 3rd request broken: the right answer in 6 requests."""
    crit = (r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 4999 ok of 5000 certificates: "
            r"login\.example\.com \(id Crit0002\) expires in 5 d \| ")
    for case in ("long-late", "tail-late", "trunc", "chunk-bogus", "http09"):
        check(t, "%s on request 3 of 5 pages" % case, case, 2, crit, requests=None if
              case == "tail-late" else 6, server_args=["--only", 3, "--good-count", 5000])


@timed
def redirects(t):
    """A 302 or 307 to another port is not followed."""
    for case in ("redirect-302", "redirect-307"):
        def more(run, log, case=case):
            t.is_(len([e for e in log if "other" in e]), 0,
                  "%s: nothing connected to the other port" % case)
        check(t, case, case, 3, U + r"HTTP 30[27] from 127\.0\.0\.1:\d+$", requests=1, more=more)


@timed
def slow_servers(t):
    """Endless 1xx, trickled headers or body: the deadline ends it."""
    for case in ("endless-1xx", "trickle-head", "trickle-body"):
        run = check(t, case, case, 3, U + r"timed out after 3 s", t_s=3)
        t.ok(run.wall >= 2.9, "%s: waited for the deadline (%.2f s)" % (case, run.wall))


# ---- bytes meant for the output ----

def no_controls(t, label):
    def more(run, log):
        text = run.text
        bad = sorted({"U+%04X" % ord(ch) for ch in text
                      if (ord(ch) < 0x20 and ch != "\n") or 0x7f <= ord(ch) <= 0x9f})
        t.ok(not bad, "%s: no control character on stdout but newlines" % label,
             diag="found %s in %r" % (bad, text[:600]))
    return more


@timed
def output_injection(t):
    """'|', ';', newlines and control characters in names and API errors."""
    crit = r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "
    check(t, "'|' and ';' in names", "names-pipe", 2,
          crit + r"a_b_c\.example\.com \(id Pipe_01_\) expires in 5 d \| ", args=["-v"],
          more=no_controls(t, "'|' and ';' in names"))

    def one_cert_line(run, log):
        lines = run.text.rstrip("\n").split("\n")
        t.is_(len(lines), 3, "newlines in names: 3 lines at -v (status + 2 certificates)",
              diag=run.text)
    check(t, "newlines in names", "names-newline", 2, crit + r"nl\.example\.com\S* .*\| ",
          args=["-v"], more=one_cert_line)
    check(t, "control characters in a name", "names-control", 2, crit, args=["-v"],
          more=no_controls(t, "control characters in a name"))
    check(t, "'|', ';' and newlines in an API error", "error-pipe", 3,
          U + r"API error InvalidParameter\S*: [^|;]*\(RequestId [^|;]*\)$", requests=1,
          more=no_controls(t, "API error"))
    check(t, "1 MiB API error message", "error-huge", 3, U + r"(malformed response|API error)")
    check(t, "Error next to a listing", "error-and-listing", 3,
          U + r"API error AuthFailure\.UnauthorizedOperation: denied")


@timed
def not_one_object(t):
    """A body that is not one JSON object with a Response is malformed (a BOM may be accepted)."""
    for case in ("top-array", "top-null", "top-string", "no-response", "response-array",
                 "json-trailing", "json-twice", "long-number"):
        check(t, case, case, 3, U + r"malformed response: ")
    check(t, "BOM", "json-bom", {2, 3}, either((2, BASE), (3, U + r"malformed response: ")))


@timed
def legal_framing(t):
    """Legal but unusual framing works; conflicting or huge Content-Length fails."""
    for case in ("http10-close", "chunked-tiny", "many-headers"):
        check(t, case, case, 2, BASE, requests=1)
    check(t, "two Content-Length headers", "content-length-conflict", 3,
          U + r"(connection to 127\.0\.0\.1:\d+ failed|malformed response): ")
    check(t, "Content-Length 2^40", "content-length-huge", 3,
          U + r"connection to 127\.0\.0\.1:\d+ failed: ", requests=3)


# ---- odd field values and statuses ----

@timed
def odd_fields(t):
    """Far dates, odd id and domain shapes, long ids."""
    check(t, "far dates", "far-dates", 2,
          r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: old\.example\.com "
          r"\(id Old01970\) expired 20454 d ago \| ")
    check(t, "CertificateId shapes", "id-shapes", 3, U + r"malformed response: ")
    check(t, "Domain shapes", "domain-shapes", 2,
          r"^TENCENTCLOUD_SSL CRITICAL - 4 critical, 0 ok of 4 certificates: ")
    # distinct ids are not duplicates, however long (or too long ones are named as such)
    check(t, "300-byte ids, same prefix", "long-ids-same-prefix", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "),
                 (3, U + r"malformed response: .*CertificateId")))


@timed
def statuses(t):
    """1xx then 200, 204, 401, gzip in gzip, a silent server."""
    check(t, "1xx then 200", "1xx-then-ok", 2, BASE, requests=1)
    check(t, "204", "status-204", 3, U + r"(HTTP 204 from 127\.0\.0\.1:\d+|malformed response: "
          r"empty body)$", requests=1)
    check(t, "401 asking for auth", "status-401", 3, U + r"HTTP 401 from 127\.0\.0\.1:\d+$",
          requests=1)
    check(t, "gzip bomb in a gzip", "gzip-twice", 3,
          U + r"(response body larger than \d+ MiB|malformed response: )", t_s=10)
    run = check(t, "silent server", "silent", 3, U + r"timed out after 3 s", t_s=3)
    t.ok(run.wall >= 2.9, "silent server: waited for the deadline (%.2f s)" % run.wall)


@timed
def cache_round_trip(t):
    """The cache gives back what the server gave, hostile bytes and all."""
    for case in ("names-newline", "nul-name", "bad-utf8", "names-control", "dates",
                 "domain-shapes"):
        with Hostile(case) as h:
            cache = os.path.join(h.dir, "cache")
            args = ["--endpoint", h.url, "--now", NOW, "-t", 5, "-v", "--cache-file", cache,
                    "--cache-ttl", 300]
            first, second = Run(args), Run(args)
            n = len([e for e in h.log() if "n" in e])
        t.is_(n, 1, "%s, cached: one request for two runs" % case)
        same = [re.sub(rb"fetch_time=[0-9.]+s", b"", r.out) for r in (first, second)]
        t.ok(first.code == second.code and same[0] == same[1],
             "%s, cached: the same exit code and output from the cache" % case,
             diag="%r\n%r" % (first.out[:300], second.out[:300]))


if __name__ == "__main__":
    if ASAN:
        diag("AddressSanitizer build: peak RSS bound relaxed to %d MiB" % (RSS_MAX_KIB // 1024))
    run_cases()
