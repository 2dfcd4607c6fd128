#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile servers (issue 9): every case of tests/hostile_server.py against the plugin.

For each: the exit code, the reason on the status line, the wall time within -t + 1 s, the
peak RSS of the plugin (getrusage of that child; relaxed under AddressSanitizer, whose shadow
memory and quarantine are not the plugin's), no `|` on stdout outside the perfdata, and no
secret (key, session token, any 8-byte prefix of either, the request's signature) on stdout or
stderr at -vvv, whatever the server echoed."""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_server  # noqa: E402
from tap import NOW, PLUGIN, SECRET_KEY, TAP, plugin_env, tempdir  # noqa: E402

TOKEN = "hostileTokenSECRET0123456789abcdefXYZ"


ASAN = hostile_server.is_asan(PLUGIN)
RSS_MAX_KIB = (384 if ASAN else 128) * 1024
t = TAP()
if ASAN:
    t.diag("AddressSanitizer build: peak RSS bound relaxed to %d MiB" % (RSS_MAX_KIB // 1024))

U = r"^TENCENTCLOUD_SSL UNKNOWN - "
BASE = (r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: login\.example\.com "
        r"\(id Crit0002\) expires in 5 d \| ")


def Hostile(case, times=0, server_args=()):
    return hostile_server.Hostile(case, tempdir("hostile-"), NOW, times, server_args)


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


class Run:
    """One plugin run: code (None when killed), out and err (bytes), wall (s), rss (KiB, or
    None without GNU time). The peak RSS comes from GNU time (-f %M), a small process
    between this script and the plugin: getrusage of a child forked from this (large)
    Python process would report this process's size instead, as Linux carries the high-water
    mark of the address space a child is spawned from across exec."""

    def __init__(self, args, env=None, timeout=90):
        rss_file = os.path.join(tempdir("rss-"), "time")
        cmd = [PLUGIN] + [str(a) for a in args]
        if GNU_TIME:
            cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=plugin_env(env))
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        self.wall = time.monotonic() - t0
        self.out, self.err, self.rss = out, err, None
        self.code = p.returncode if 0 <= p.returncode < 128 else None
        if GNU_TIME:
            with open(rss_file) as f:
                lines = f.read().split()
            self.rss = int(lines[-1]) if lines and lines[-1].isdigit() else None
            if lines and "signal" in " ".join(lines):
                self.code = None

    @property
    def text(self):
        return self.out.decode("utf-8", "replace")

    @property
    def first(self):
        return self.text.split("\n")[0]


def secrets_absent(label, run, sigs):
    both = (run.out + run.err).decode("utf-8", "replace").lower()
    leaks = [s for s in (SECRET_KEY, TOKEN) if s[:8].lower() in both]
    # any 16 hex digits of a signature: look up the output's hex runs, not every window
    windows = {sig[i:i + 16].lower() for sig in sigs for i in range(len(sig) - 15)}
    for run_hex in set(re.findall(r"[0-9a-f]{16,}", both)):
        hit = [run_hex[i:i + 16] for i in range(len(run_hex) - 15)
               if run_hex[i:i + 16] in windows]
        leaks += hit[:1]
    t.ok(not leaks, "%s: no secret, 8-byte prefix of one, or signature at -vvv" % label,
         diag="leaked: %r" % leaks)


def pipes_only_in_perfdata(label, run):
    lines = run.text.split("\n")
    first, rest = lines[0], lines[1:]
    ok = first.count("|") <= 1 and not any("|" in ln for ln in rest)
    if ok and "|" in first:
        perf = first.split("|", 1)[1]
        ok = re.fullmatch(r"( [^ |=]+=[-0-9.a-zA-Z;:~@]*)+", perf) is not None
    t.ok(ok, "%s: no '|' on stdout but the one before the perfdata" % label, diag=run.text)


def check(label, case, code, line, args=(), times=0, t_s=5, requests=None, more=None,
          json_out=False, server_args=()):
    """Runs the plugin at -vvv against one hostile case and asserts the common properties.
    code: the exit code or a set; line: a regex on the first line of stdout (or a function of
    the run returning (ok, diag)); requests: how many reached the server; more(run, log):
    further assertions."""
    with Hostile(case, times, server_args) as h:
        run = Run(["--endpoint", h.url, "--now", NOW, "-t", t_s, "-vvv"] + list(args),
                  env={"TENCENTCLOUD_SESSION_TOKEN": TOKEN})
        log = h.log()
    reqs = [e for e in log if "n" in e]
    diag = "stdout: %s\nstderr (end): %s" % (run.text[:1500],
                                            run.err[-1500:].decode("utf-8", "replace"))
    codes = code if isinstance(code, set) else {code}
    t.ok(run.code in codes, "%s: exit code %s" % (label, "/".join(map(str, sorted(codes)))),
         diag="got %r\n%s" % (run.code, diag))
    if callable(line):
        good, why = line(run)
        t.ok(good, "%s: status line" % label, diag=why + "\n" + diag)
    else:
        t.like(run.first, line, "%s: status line" % label, diag=diag)
    t.ok(run.wall < t_s + 1, "%s: ends in %.2f s (-t %d)" % (label, run.wall, t_s))
    if run.rss is None:
        t.skip("no GNU time (/usr/bin/time, Debian package time): peak RSS not measured")
    else:
        t.ok(run.rss < RSS_MAX_KIB, "%s: peak RSS %d KiB < %d KiB" % (label, run.rss,
                                                                       RSS_MAX_KIB))
    if requests is not None:
        t.is_(len(reqs), requests, "%s: %d requests reached the server" % (label, requests),
              diag="connections %s" % sorted({e["conn"] for e in reqs}))
    if not json_out:
        pipes_only_in_perfdata(label, run)
    secrets_absent(label, run, [e["sig"] for e in reqs if e.get("sig")])
    if more:
        more(run, log)
    return run


def either(*alternatives):
    """A status-line check: (code, regex) pairs, the run must match one of them."""
    def f(run):
        for c, rx in alternatives:
            if run.code == c and re.search(rx, run.first):
                return True, ""
        return False, "wanted one of %r" % (alternatives,)
    return f


# ---- the control ----

def test_good():
    check("good", "good", 2, BASE, requests=1)


# ---- issue 9, 1: a connection whose response did not end cleanly is never reused ----

def test_poisoned_connection_once():
    check("long-late once", "long-late", 2, BASE, times=1, requests=2)


def test_poisoned_connection_always():
    def more(run, log):
        t.unlike(run.first, r"HTTP/0\.9", "long-late always: the retries are not fed leftovers")
    check("long-late always", "long-late", 3,
          U + r"(malformed response|connection to 127\.0\.0\.1:\d+ failed): ", requests=3,
          more=more)


def test_long_body():
    check("long once", "long", 2, BASE, times=1, requests=2)
    check("long always", "long", 3,
          U + r"(malformed response|connection to 127\.0\.0\.1:\d+ failed): ", requests=3)


def test_trailing_garbage():
    # a complete page, then garbage: the next page must not read the garbage
    for case in ("tail", "tail-late", "tail-linger"):
        check("%s, pages of 1" % case, case, 2, BASE, times=1,
              args=["--page-size", 1, "--parallel", 1])


# ---- issue 9, 2: a well-framed document cut half way is a malformed response ----

def test_truncated_document():
    check("trunc once", "trunc", 2, BASE, times=1, requests=2)
    check("trunc always", "trunc", 3, U + r"malformed response: .*\b\d+ bytes", requests=3)


# ---- issue 9, 3: memory stays bounded whatever the server sends ----

# ':' where the issue wrote ';': the status line cannot carry ';' (Nagios 4 turns it into ':')
MEM_CAP = (r"^TENCENTCLOUD_SSL UNKNOWN - more than \d+ MiB of certificates to print: "
           r"use --max-output or narrow the selection$")


def test_memory_text():
    # 20 pages of 20 MB (the json run below is the 20 pages of 56 MB): enough to
    # go past the bound if everything is kept, in half the time
    kib = 8 if ASAN else 20
    check("memory, text, 20 pages of %d MB" % kib, "memory", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 20000 critical, 0 ok of 20000 certificates"),
                 (3, MEM_CAP)), t_s=60, server_args=["--cert-kib", kib])


def test_memory_json():
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
    check("memory, json", "memory", {2, 3}, status, t_s=60, args=["--output", "json"],
          json_out=True, server_args=["--cert-kib", 8 if ASAN else 56])


FAST = ["--max-rate", 1000, "--parallel", 32]


def test_memory_deadline():
    # the deadline covers the whole run, printing included: 160 MB of JSON to print must
    # not end the check seconds past -t (the cap, or the deadline, stops it)
    check("memory, json, -t 5", "memory", {2, 3},
          either((2, r"^\{"), (3, r"^\{")), t_s=5, args=["--output", "json"], json_out=True,
          server_args=["--cert-kib", 8])


def test_many_small_certificates():
    n = 200000 if ASAN else 500000
    check("%d small expired certificates" % n, "many-expired", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - %d critical, 0 ok of %d certificates" % (n, n)),
                 (3, MEM_CAP)), t_s=30, args=FAST, server_args=["--count", n])


def test_many_ids():
    # past 4,194,304 ids the listing's id set alone grows to 16M slots (128 MiB) while its
    # old 64 MiB array is still held: nothing selected, and still no big process
    n = 2097153 if ASAN else 4194305  # ASan: the growth before, at a third of the cost
    check("%d cancelled certificates" % n, "many-ids", {0, 3},
          either((0, r"^TENCENTCLOUD_SSL OK - no certificates selected \(of %d listed\)" % n),
                 (3, U + r"(too many certificates|more than \d+ certificates)")),
          t_s=40, args=FAST, server_args=["--count", n])


# ---- issue 9, 4: duplicate members the plugin reads are malformed ----

def test_duplicate_members():
    dup_end = U + r"malformed response: duplicate member CertEndTime in certificate Dupl0003$"
    check("CertEndTime twice, OK last", "dup-end-ok-last", 3, dup_end)
    check("CertEndTime twice, OK first", "dup-end-ok-first", 3, dup_end)
    check("CertificateId twice", "dup-id", 3,
          U + r"malformed response: duplicate member CertificateId in certificate ")
    check("TotalCount twice", "dup-total", 3,
          U + r"malformed response: duplicate member TotalCount")
    # "Cert\u0045ndTime" is the same member name as "CertEndTime" once decoded: read both
    # (a duplicate) or neither, never let the order decide between OK and CRITICAL
    for case in ("dup-end-escaped", "dup-end-escaped-first"):
        check(case, case, {2, 3},
              either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "
                      r"dup\.example\.com \(id Dupl0003\) expired 2 d ago"),
                     (3, U + r"malformed response: duplicate member CertEndTime")))
    check("only Cert\\u0045ndTime", "escaped-end-only", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "
                  r"esc\.example\.com \(id Escp0011\) expires in 2 d"),
                 (3, r"^TENCENTCLOUD_SSL UNKNOWN - 1 unknown, 1 ok of 2 certificates: "
                     r"esc\.example\.com \(id Escp0011\) has no valid end time")))


# ---- issue 9, 5: a NUL in a name does not cut it ----

NUL_SHOWN = r"evil\.com\S+\.example\.com \(id Evil0005\)"
NUL_REJECTED = U + r"malformed response: "


def test_nul_in_name():
    def not_cut(run, log):
        t.unlike(run.text, r"evil\.com \(id", "NUL: never shown as plain evil.com")
    check("NUL in a name", "nul-name", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: " +
                  NUL_SHOWN), (3, NUL_REJECTED)), more=not_cut)
    check("NUL, --domain '*.example.com'", "nul-name", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: " +
                  NUL_SHOWN), (3, NUL_REJECTED)), args=["--domain", "*.example.com"],
          more=not_cut)
    check("NUL, --exclude-domain evil.com", "nul-name", {2, 3},
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
    check("NUL, --output json", "nul-name", {2, 3}, json_name, args=["--output", "json"],
          json_out=True)


# ---- issue 9, 6: invalid UTF-8 becomes U+FFFD in text output too ----

def test_invalid_utf8():
    def valid(run, log):
        try:
            text = run.out.decode("utf-8")
        except UnicodeDecodeError as e:
            t.ok(False, "bad UTF-8: stdout is valid UTF-8", diag="%s\n%r" % (e, run.out[:400]))
            return
        t.ok(True, "bad UTF-8: stdout is valid UTF-8")
        t.like(text, "bad\ufffd", "bad UTF-8: shown with U+FFFD")
    check("bad UTF-8, text", "bad-utf8", 2,
          r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: bad", more=valid)
    check("bad UTF-8, text -v", "bad-utf8", 2, r"^TENCENTCLOUD_SSL CRITICAL - ", args=["-v"],
          more=valid)

    def valid_json(run):
        try:
            doc = json.loads(run.out.decode("utf-8"))
        except ValueError as e:
            return False, str(e)
        names = [c.get("domain", "") for c in doc.get("certificates", [])]
        return any("\ufffd" in n for n in names), "domains %r" % names
    check("bad UTF-8, json", "bad-utf8", 2, valid_json, args=["--output", "json"],
          json_out=True)


# ---- issue 9, 7: secrets echoed back in any shape never reach the output ----

def test_echoed_secrets():
    for case in ("echo-whole", "echo-cut", "echo-sig", "echo-sig-upper", "echo-prefix",
                 "echo-escaped"):
        check(case, case, 3, U + r"API error AuthFailure\.SignatureFailure: .*\(RequestId "
              r"hostile-err\)$", requests=1)
    check("echo-fields", "echo-fields", 3, U + r"API error AuthFailure\.", requests=1)
    check("echo-headers", "echo-headers", 2, BASE, requests=1)
    check("echo-http-error", "echo-http-error", 3, U + r"HTTP 500 from 127\.0\.0\.1:\d+$",
          requests=3)


# ---- issue 9, 8: no '|' in the usage text on stdout ----

def test_usage_text():
    for args in (["--no-such-option"], ["-w", "bogus"], ["--page-size", "0"], ["-t"]):
        run = Run(args)
        label = "usage error %s" % " ".join(args)
        t.is_(run.code, 3, "%s: exit 3" % label)
        t.like(run.first, U, "%s: an UNKNOWN line first" % label)
        t.ok("|" not in run.text, "%s: no '|' on stdout" % label, diag=run.text)


# ---- issue 9, 9: a huge header; many SubjectAltName entries ----

def test_huge_header():
    def more(run, log):
        t.unlike(run.first, r"(?i)out of memory", "1 MiB header: not 'Out of memory'")
    check("1 MiB header", "header-1mib", 3, U + r".*[Hh]eader.*(too large|too long|too big|larger)",
          more=more)


def test_many_sans():
    check("513 SubjectAltName entries", "san-513", 0,
          r"^TENCENTCLOUD_SSL OK - 2 ok of 2 certificates")
    check("3000 SubjectAltName entries", "san-3000", {0, 3},
          either((0, r"^TENCENTCLOUD_SSL OK - 2 ok of 2 certificates"),
                 (3, r"^TENCENTCLOUD_SSL UNKNOWN - 1 unknown, 1 ok of 2 certificates: "
                     r"multi\.example\.com \(id Sans0007\) ")))


# ---- the classics ----

def test_json_bombs():
    check("100k nested [", "deep", 3, U + r"malformed response: ")
    check("10M tokens in an unknown member", "tokens-skip", {2, 3},
          either((2, BASE), (3, U + r"malformed response: ")), t_s=10)
    check("10M tokens as Certificates", "tokens-certs", 3, U + r"malformed response: ", t_s=10)
    check("50 MB Domain", "bigstring-domain", 3, U + r"malformed response: ", t_s=10)
    check("50 MB string in an unknown member", "bigstring-skip", {2, 3},
          either((2, BASE), (3, U + r"malformed response: ")), t_s=10)


def test_bad_numbers():
    reason = U + (r"(malformed response: |inconsistent listing: |"
                  r"more than \d+ certificates listed \(TotalCount \d+\))")
    for case in ("total-1e999", "total-neg", "total-2p40", "total-frac", "total-str",
                 "total-bool"):
        check(case, case, 3, reason)
    check("Status 1e999", "status-1e999", 3, U + r"malformed response: certificate Stat0009: ")


def test_impossible_dates():
    def more(run, log):
        t.like(run.text, r"^leap\.example\.com \(id Leap0099\): OK, ",
               "dates: 2028-02-29 is a valid end time")
    check("impossible dates", "dates", 3,
          r"^TENCENTCLOUD_SSL UNKNOWN - 8 unknown, 1 ok of 9 certificates: "
          r"d\d\.example\.com \(id Date000\d\) has no valid end time", args=["-v"], more=more)


def test_gzip():
    check("gzip bomb, 1 GiB of whitespace", "gzip-bomb", 3,
          U + r"(response body larger than \d+ MiB|malformed response: .*(large|big))", t_s=10)
    check("gzip bomb, 1 GiB of NULs", "gzip-zeros", 3, U + r"malformed response: ", t_s=10)
    check("gzip that is not gzip", "gzip-bad", 3,
          U + r"(connection to 127\.0\.0\.1:\d+ failed|malformed response): .*(?i:unencod|gzip|"
          r"inflat|decompress)")


def test_framing():
    for case in ("chunk-bogus", "chunk-huge"):
        check(case, case, 3, U + r"connection to 127\.0\.0\.1:\d+ failed: .*(?i:chunk)",
              requests=3)
    for case in ("http09", "garbage"):
        def says_no_status(run, log, case=case):
            # a reply without a status line has none to log (not bytes of an unset buffer)
            err = run.err.decode("utf-8", "replace")
            lines = [ln for ln in err.split("\n") if "page offset 0 attempt 1:" in ln]
            t.ok(lines and all(re.search(r"attempt 1: no status, 0 bytes", ln) for ln in lines),
                 "%s: -vv logs 'no status'" % case, diag=lines)
        # persistent: retried like any unclean end, 1 + --retries (2) requests in all
        check(case, case, 3, U + r"connection to 127\.0\.0\.1:\d+ failed: ",
              more=says_no_status, requests=3)
        # a framing error is a transport failure: once, it is retried on a fresh connection
        check("%s once" % case, case, 2, BASE, times=1, requests=2)


def test_one_fault_among_parallel_pages():
    # 5 pages of 1000 at --parallel 4, the 3rd request broken: the right answer in 6 requests
    crit = (r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 4999 ok of 5000 certificates: "
            r"login\.example\.com \(id Crit0002\) expires in 5 d \| ")
    for case in ("long-late", "tail-late", "trunc", "chunk-bogus", "http09"):
        check("%s on request 3 of 5 pages" % case, case, 2, crit, requests=None if
              case == "tail-late" else 6, server_args=["--only", 3, "--good-count", 5000])


def test_redirects():
    for case in ("redirect-302", "redirect-307"):
        def more(run, log, case=case):
            t.is_(len([e for e in log if "other" in e]), 0,
                  "%s: nothing connected to the other port" % case)
        check(case, case, 3, U + r"HTTP 30[27] from 127\.0\.0\.1:\d+$", requests=1, more=more)


def test_slow_servers():
    for case in ("endless-1xx", "trickle-head", "trickle-body"):
        run = check(case, case, 3, U + r"timed out after 3 s", t_s=3)
        t.ok(run.wall >= 2.9, "%s: waited for the deadline (%.2f s)" % (case, run.wall))


# ---- bytes meant for the output ----

def no_controls(label):
    def more(run, log):
        text = run.text
        bad = sorted({"U+%04X" % ord(ch) for ch in text
                      if (ord(ch) < 0x20 and ch != "\n") or 0x7f <= ord(ch) <= 0x9f})
        t.ok(not bad, "%s: no control character on stdout but newlines" % label,
             diag="found %s in %r" % (bad, text[:600]))
    return more


def test_output_injection():
    crit = r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "
    check("'|' and ';' in names", "names-pipe", 2,
          crit + r"a_b_c\.example\.com \(id Pipe_01_\) expires in 5 d \| ", args=["-v"],
          more=no_controls("'|' and ';' in names"))

    def one_cert_line(run, log):
        lines = run.text.rstrip("\n").split("\n")
        t.is_(len(lines), 3, "newlines in names: 3 lines at -v (status + 2 certificates)",
              diag=run.text)
    check("newlines in names", "names-newline", 2, crit + r"nl\.example\.com\S* .*\| ",
          args=["-v"], more=one_cert_line)
    check("control characters in a name", "names-control", 2, crit, args=["-v"],
          more=no_controls("control characters in a name"))
    check("'|', ';' and newlines in an API error", "error-pipe", 3,
          U + r"API error InvalidParameter\S*: [^|;]*\(RequestId [^|;]*\)$", requests=1,
          more=no_controls("API error"))
    check("1 MiB API error message", "error-huge", 3, U + r"(malformed response|API error)")
    check("Error next to a listing", "error-and-listing", 3,
          U + r"API error AuthFailure\.UnauthorizedOperation: denied")


def test_not_one_object():
    for case in ("top-array", "top-null", "top-string", "no-response", "response-array",
                 "json-trailing", "json-twice", "long-number"):
        check(case, case, 3, U + r"malformed response: ")
    check("BOM", "json-bom", {2, 3}, either((2, BASE), (3, U + r"malformed response: ")))


def test_legal_framing():
    for case in ("http10-close", "chunked-tiny", "many-headers"):
        check(case, case, 2, BASE, requests=1)
    check("two Content-Length headers", "content-length-conflict", 3,
          U + r"(connection to 127\.0\.0\.1:\d+ failed|malformed response): ")
    check("Content-Length 2^40", "content-length-huge", 3,
          U + r"connection to 127\.0\.0\.1:\d+ failed: ", requests=3)


# ---- odd field values and statuses ----

def test_odd_fields():
    check("far dates", "far-dates", 2,
          r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: old\.example\.com "
          r"\(id Old01970\) expired 20454 d ago \| ")
    check("CertificateId shapes", "id-shapes", 3, U + r"malformed response: ")
    check("Domain shapes", "domain-shapes", 2,
          r"^TENCENTCLOUD_SSL CRITICAL - 4 critical, 0 ok of 4 certificates: ")
    # distinct ids are not duplicates, however long (or too long ones are named as such)
    check("300-byte ids, same prefix", "long-ids-same-prefix", {2, 3},
          either((2, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: "),
                 (3, U + r"malformed response: .*CertificateId")))


def test_statuses():
    check("1xx then 200", "1xx-then-ok", 2, BASE, requests=1)
    check("204", "status-204", 3, U + r"(HTTP 204 from 127\.0\.0\.1:\d+|malformed response: "
          r"empty body)$", requests=1)
    check("401 asking for auth", "status-401", 3, U + r"HTTP 401 from 127\.0\.0\.1:\d+$",
          requests=1)
    check("gzip bomb in a gzip", "gzip-twice", 3,
          U + r"(response body larger than \d+ MiB|malformed response: )", t_s=10)
    run = check("silent server", "silent", 3, U + r"timed out after 3 s", t_s=3)
    t.ok(run.wall >= 2.9, "silent server: waited for the deadline (%.2f s)" % run.wall)


# ---- the cache gives back what the server gave, hostile bytes and all ----

def test_cache_round_trip():
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


for name, fn in list(globals().items()):
    if name.startswith("test_") and callable(fn):
        t0 = time.monotonic()
        fn()
        t.diag("%s: %.1f s" % (name, time.monotonic() - t0))
t.done()
