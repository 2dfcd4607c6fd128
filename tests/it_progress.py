#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Progress and guidance (issue 13): -v prints a line per page as it completes, a timeout
says how far the listing got and what to do, counts of one are singular."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, TAP, Mock, run_plugin, tempdir  # noqa: E402

t = TAP()


def sample(*mock_args):
    return Mock("--account", "sample", "--now", str(NOW), *mock_args)


with sample() as m:
    code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "--page-size", 5,
                                 "--parallel", 1, "-v"])
lines = re.findall(r"^check_tencentcloud_ssl: page (\d+) of 4 listed, (\d+) certificates so far, "
                   r"\d+\.\d{3} s$", err, re.M)
t.is_(lines, [("1", "5"), ("2", "10"), ("3", "15"), ("4", "20")],
      "-v: a line per page as it completes", diag=err)

with sample("--fault", "null-total") as m:
    code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "--page-size", 15, "-v"])
t.like(err, r"^check_tencentcloud_ssl: page 1 listed, 15 certificates so far, ", "-v without "
       "TotalCount: 'page 1'", diag=err)
t.like(err, r"^check_tencentcloud_ssl: page 2 listed, 20 certificates so far, ", "-v without "
       "TotalCount: 'page 2'")

# one page, one request: singular
with sample() as m:
    code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-v"])
t.like(err, r"in 1 page, 1 request, ", "-v summary: '1 page, 1 request'", diag=err)
t.like(err, r"selected, 1 request in ", "-v plugin summary: '1 request in'")
t.unlike(err, r"\b1 requests\b|\b1 pages\b", "no '1 requests' anywhere")

# a timeout says how far the listing got
with sample("--delay", "0.4") as m:
    code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "--page-size", 5,
                                 "--parallel", 1, "-t", 1])
t.is_(code, 3, "slow pages, -t 1: UNKNOWN", diag=out)
t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - timed out after 1 s, [12] of 4 pages listed, raise -t "
       r"or use --cache-file\n", "the timeout says how far it got and what to do")
with sample("--fault", "hang") as m:
    code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-t", 1])
t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - timed out after 1 s, 0 pages listed, raise -t or use "
       r"--cache-file\n", "no page at all: '0 pages listed'")
with sample("--fault", "http:503") as m:
    cache = os.path.join(tempdir("cache-"), "c")
    code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-t", 1, "--retries", 10,
                                 "--cache-file", cache])
t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - timed out after 1 s, 0 pages listed, raise -t \(last "
       r"error: HTTP 503 from 127\.0\.0\.1:\d+\)\n", "with the last error; with a cache, just raise -t",
       diag=out)
t.done()
