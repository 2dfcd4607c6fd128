#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cache, format 2, end to end: a cached run prints exactly what the live run printed
(the records carry every field selection and output read), a version 1 file is ignored and
replaced, and the file stays small per certificate."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, Mock, case, run_cases, run_plugin, tempdir  # noqa: E402

# Options that read every field a record keeps: SubjectAltName (--domain, JSON), Alias and
# Status (JSON), IsIgnore, CertificateExtra.ReplacedBy, BoundResource, begin/end times (%).
RUNS = [
    [],
    ["-v"],
    ["--output", "json"],
    ["--output", "json", "--all-statuses", "--include-ignored", "--include-replaced"],
    ["--bound-only", "-v", "--perfdata-per-cert", "--max-output", "0"],
    ["--domain", "*.example.com", "-w", "20%", "-c", "5%", "-v"],
    ["--max-output", "300"],
]


def strip_ft(s):
    return re.sub(r"fetch_time=[\d.]+s", "fetch_time=X", s)


def check(m, *args):
    return run_plugin(["--endpoint", m.url, "--now", NOW, "-t", "60"] + [str(a) for a in args])


def replay_is_the_listing(t, account):
    with Mock("--account", account, "--now", NOW) as m:
        for opts in RUNS:
            cfile = os.path.join(tempdir("cache-"), "c")
            code1, out1, err1 = check(m, "--cache-file", cfile, *opts)
            n1 = len(m.log_entries())
            code2, out2, err2 = check(m, "--cache-file", cfile, *opts)
            n2 = len(m.log_entries())
            name = "%s %s" % (account, " ".join(opts) or "(defaults)")
            t.ok(n1 > 0 and n2 == n1, "%s: the second run makes no request" % name)
            t.is_((code2, strip_ft(out2)), (code1, strip_ft(out1)),
                  "%s: same exit code and output as the live run" % name, err1)


@case
def replay_sample(t):
    """The sample account: each run of RUNS replayed from the cache prints the same."""
    replay_is_the_listing(t, "sample")


@case
def replay_gen3000(t):
    """3000 generated certificates (several pages): each run of RUNS replayed the same."""
    replay_is_the_listing(t, "gen:3000")


@case
def version1_replaced(t):
    """A version 1 file is ignored, replaced by a version 2 file, which is then replayed."""
    with Mock("--account", "sample", "--now", NOW) as m:
        cfile = os.path.join(tempdir("cache-"), "c")
        with open(cfile, "w") as f:
            f.write("TCSSLCACHE 1\ncreated %020d\n" % int(NOW))
        os.chmod(cfile, 0o600)
        code, out, err = check(m, "--cache-file", cfile, "-vv")
        t.is_((code, len(m.log_entries())), (2, 1), "a version 1 file is not read: listed live")
        t.like(err, r"older format 1", "-vv says why", err)
        with open(cfile, "rb") as f:
            t.is_(f.read(13), b"TCSSLCACHE 2\n", "and it is replaced by a version 2 file")
        code, _, _ = check(m, "--cache-file", cfile)
        t.is_((code, len(m.log_entries())), (2, 1), "which the next run replays")


@case
def size_per_certificate(t):
    """10000 certificates: at most 400 bytes of cache file each."""
    n = 10000
    with Mock("--account", "gen:%d" % n, "--now", NOW) as m:
        cfile = os.path.join(tempdir("cache-"), "c")
        code, out, err = check(m, "--cache-file", cfile, "--max-rate", "1000")
        size = os.path.getsize(cfile)
        t.ok(code in (0, 1, 2) and size <= 400 * n,
             "gen:%d: %d bytes, %.0f per certificate (at most 400)" % (n, size, size / n),
             out + err)


if __name__ == "__main__":
    run_cases()
