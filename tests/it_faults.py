#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile replies at the transport (issue 9): a connection whose reply did not end cleanly
is never reused, a well-framed but unfinished JSON document is "malformed response", secrets
echoed in other shapes are redacted, and a giant response header is named as such."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, SECRET_KEY, Mock, case, run_cases, run_plugin  # noqa: E402

U = r"^TENCENTCLOUD_SSL UNKNOWN - "
CRIT = r"^TENCENTCLOUD_SSL CRITICAL - 2 critical, 2 warning, 11 ok of 15 certificates"
TOKEN = "tok-ECHO-secret-789-abcdefghijklmnop"


def check(faults, *args, mock_args=(), env=None):
    margs = ["--account", "sample", "--now", str(NOW)] + list(mock_args)
    for f in faults:
        margs += ["--fault", f]
    with Mock(*margs) as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-t", 8] +
                                    [str(a) for a in args], env=env)
        log = m.log_entries()
    return code, out, err, log


UNFINISHED = U + r"malformed response: the JSON ends unfinished after \d+ bytes$"
# (fault, --retries, exit code, status line, requests): the whole account in one page, so a
# one-off fault costs one retry, a lasting one 1 + --retries
ONE_PAGE = [
    ("overlong@1", 2, 2, CRIT, 2),
    ("overlong", 2, 3, UNFINISHED, 3),
    ("overlong", 4, 3, UNFINISHED, 5),
    ("overlong-open@1", 2, 2, CRIT, 2),
    ("overlong-open", 1, 3, U + r"malformed response: ", 2),
    ("halfjson@1", 2, 2, CRIT, 2),
    ("halfjson", 2, 3, UNFINISHED, 3),
    ("halfjson", 0, 3, UNFINISHED, 1),
]


@case
def one_page(t):
    """Each row of ONE_PAGE: the result, and every retry on a connection of its own."""
    for fault, retries, want_code, want_re, want_n in ONE_PAGE:
        code, out, err, log = check([fault], "--retries", retries)
        label = "%s --retries %d" % (fault, retries)
        t.is_(code, want_code, "%s: exit code" % label, diag=out + err)
        t.like(out.split("\n")[0], want_re, "%s: status line" % label)
        t.is_(len(log), want_n, "%s: %d requests reached the server" % (label, want_n))
        # each retry came on a connection of its own: nothing read from the poisoned one
        t.is_(len({e["conn"] for e in log}), len(log),
              "%s: every request on a new connection" % label, diag=[e["conn"] for e in log])


@case
def several_pages(t):
    """After a fault on one page the listing goes on, on other connections."""
    for fault in ("overlong@2", "overlong-open@2"):
        code, out, err, log = check([fault], "--page-size", 5, "--parallel", 1)
        t.is_(code, 2, "%s, 4 pages: the right result" % fault, diag=out + err)
        t.is_(len(log), 5, "%s, 4 pages: one retry (5 requests)" % fault, diag=out + err)
    # junk after a clean reply: libcurl may notice it before reuse (4 requests) or fail on it (5)
    code, out, err, log = check(["trailing@1"], "--page-size", 5, "--parallel", 1)
    t.is_(code, 2, "trailing@1, 4 pages: the right result", diag=out + err)
    t.ok(len(log) in (4, 5), "trailing@1, 4 pages: at most one retry (%d requests)" % len(log))


@case
def cut(t):
    """A 200 cut by the connection closing is still the network's fault."""
    code, out, err, log = check(["cut"])
    t.like(out, U + r"connection to 127\.0\.0\.1:\d+ failed: ", "cut: a transport failure")


@case
def no_reply(t):
    """A transfer without any reply: -vv says "no status"."""
    with Mock("--account", "sample") as m:
        port = m.port
    code, out, err = run_plugin(["--endpoint", "http://127.0.0.1:%d" % port, "-vv",
                                 "--retries", 0])
    t.like(err, r"page offset 0 attempt 1: no status, 0 bytes, \d+\.\d{3} s, failed: "
           r"cannot connect", "-vv: a refused connection has no status", diag=err)


@case
def big_header(t):
    """A 1 MiB response header: named, not libcurl's "Out of memory"."""
    code, out, err, log = check(["bighead"])
    t.is_(code, 3, "bighead: UNKNOWN")
    t.like(out, U + r"response header from 127\.0\.0\.1:\d+ too large \(over 100 KiB\)$",
           "bighead: says the header was too large")
    t.unlike(out, r"(?i)out of memory", "bighead: not 'Out of memory'")


@case
def echoed_secrets(t):
    """Secrets echoed in other shapes: the signature as 'sig <hex>' and 'SIGNATURE=<HEX>', a
    token cut where the API message is cut (383 bytes)."""
    env = {"TENCENTCLOUD_SESSION_TOKEN": TOKEN}
    code, out, err, log = check(["echo-sig"], "-vvv", "--retries", 1,
                                mock_args=("--token", TOKEN), env=env)
    both = out + err
    t.like(out, U + r"API error InternalError: gateway: sig <redacted>, SIGNATURE=<redacted>",
           "echo-sig: both shapes of the signature redacted", diag=out)
    t.unlike(both, r"[0-9a-fA-F]{40}", "echo-sig: no signature-like run of hex anywhere at -vvv")
    code, out, err, log = check(["echo-cut"], "-vvv", "--retries", 1,
                                mock_args=("--token", TOKEN), env=env)
    both = out + err
    t.like(out, U + r"API error InternalError: p+<redacted>",
           "echo-cut: the cut token is redacted", diag=out)
    t.ok(TOKEN[:8] not in both and SECRET_KEY[:8] not in both,
         "echo-cut: not even the token's first 8 bytes anywhere")


if __name__ == "__main__":
    run_cases()
