#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Memory that does not grow with what a server sends (issue 9 item 3, issue 10 item 3): 1,000
CRITICAL certificates of ~50 KB each (500 long SubjectAltName entries), about 55 MB in all.
Text output under a cap keeps only what it can print; --output json would keep it all and
stops at the named cap with a clear reason; peak RSS stays under 128 MiB either way."""

import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, Mock, case, peak_rss_kib, run_cases, run_plugin, tempdir  # noqa: E402

N = 1000
CAP_LINE = ("UNKNOWN - more than 48 MiB of certificates to print: use --max-output or narrow "
            "the selection")


def account_file():
    path = os.path.join(tempdir("acct-"), "big.json")
    certs = []
    for i in range(N):
        d = "host%04d.example.com" % i
        certs.append({"CertificateId": "Big%05d" % i, "Domain": d, "Alias": "", "Status": 1,
                      "CertBeginTime": "2024-01-01 00:00:00",
                      "CertEndTime": "2025-01-%02d 00:00:00" % (1 + i % 28),
                      "SubjectAltName": ["n%03d-%s.%s" % (k, "x" * 80, d) for k in range(500)],
                      "BoundResource": [], "IsIgnore": False, "IsExpiring": False,
                      "CertificateExtra": {"ReplacedBy": ""}})
    with open(path, "w") as f:
        json.dump(certs, f)
    return path


def args(m, *more):
    return ["--endpoint", m.url, "--now", NOW, "-t", "60", "--page-size", "200",
            "--max-rate", "1000"] + list(more)


@case
def text_default_cap(t, m):
    """Text under the default cap: exact counts, the lines that fit and 'K more not shown'."""
    code, out, err = run_plugin(args(m), timeout=90)
    lines = out.rstrip("\n").split("\n")
    t.is_(code, 2, "text, default cap: CRITICAL", err[-500:])
    t.like(lines[0], r"^TENCENTCLOUD_SSL CRITICAL - %d critical, 0 ok of %d " % (N, N),
           "text: exact counts")
    more = re.match(r"^\.\.\. (\d+) more not shown", lines[-1])
    t.ok(more and int(more.group(1)) + len(lines) - 2 == N,
         "text: shown + 'K more not shown' = %d" % N, lines[-1])
    t.ok(len(out.encode()) <= 4000, "text: within --max-output")


@case
def max_output_zero(t, m):
    """--max-output 0: every line (names only are kept, not the SANs)."""
    code, out, err = run_plugin(args(m, "--max-output", "0"), timeout=90)
    t.is_((code, len(out.rstrip("\n").split("\n"))), (2, N + 1),
          "--max-output 0: every line (names only are kept, not the SANs)", err[-500:])


@case
def json_cap(t, m):
    """--output json stops at the named cap with a clear reason."""
    code, out, err = run_plugin(args(m, "--output", "json"), timeout=90)
    doc = json.loads(out) if out.startswith("{") else None
    t.is_((code, doc and doc.get("summary")), (3, "TENCENTCLOUD_SSL " + CAP_LINE),
          "json: UNKNOWN naming the cap, not 'out of memory'", out[:300])


@case
def peak_rss(t, m):
    """Peak RSS under 128 MiB in text, json and json -v --max-output 0."""
    if not (shutil.which("time") or os.path.exists("/usr/bin/time")):
        t.skip("GNU time (/usr/bin/time) not found", 3)
        return
    for opts, name in (([], "text"), (["--output", "json"], "json"),
                       (["--output", "json", "-v", "--max-output", "0"],
                        "json -v --max-output 0")):
        kib = peak_rss_kib(args(m, *opts), timeout=90)
        t.ok(kib < 128 * 1024, "%s: peak RSS %d KiB < 128 MiB" % (name, kib))


if __name__ == "__main__":
    with Mock("--account", account_file(), "--now", NOW) as m:
        run_cases(m)
