#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Progress and guidance (issue 13): -v prints a line per page as it completes, a timeout
says how far the listing got and what to do, counts of one are singular."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, Mock, case, run_cases, run_plugin, tempdir  # noqa: E402

def sample(*mock_args):
    return Mock("--account", "sample", "--now", str(NOW), *mock_args)


@case
def page_lines(t):
    """-v: a line per page as it completes, with the total when the API gives one."""
    with sample() as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "--page-size", 5,
                                     "--parallel", 1, "-v"])
    lines = re.findall(r"^check_tencentcloud_ssl: page (\d+) of 4 listed, (\d+) certificates so "
                       r"far, \d+\.\d{3} s$", err, re.M)
    t.is_(lines, [("1", "5"), ("2", "10"), ("3", "15"), ("4", "20")],
          "-v: a line per page as it completes", diag=err)


@case
def page_lines_without_total(t):
    """-v without TotalCount: 'page N listed'."""
    with sample("--fault", "null-total") as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "--page-size", 15, "-v"])
    t.like(err, r"^check_tencentcloud_ssl: page 1 listed, 15 certificates so far, ", "-v without "
           "TotalCount: 'page 1'", diag=err)
    t.like(err, r"^check_tencentcloud_ssl: page 2 listed, 20 certificates so far, ", "-v without "
           "TotalCount: 'page 2'")


@case
def singular(t):
    """One page, one request: singular."""
    with sample() as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-v"])
    t.like(err, r"in 1 page, 1 request, ", "-v summary: '1 page, 1 request'", diag=err)
    t.like(err, r"selected, 1 request in ", "-v plugin summary: '1 request in'")
    t.unlike(err, r"\b1 requests\b|\b1 pages\b", "no '1 requests' anywhere")


@case
def timeout_slow_pages(t):
    """A timeout says how far the listing got and what to do."""
    with sample("--delay", "0.4") as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "--page-size", 5,
                                     "--parallel", 1, "-t", 1])
    t.is_(code, 3, "slow pages, -t 1: UNKNOWN", diag=out)
    t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - timed out after 1 s, [12] of 4 pages listed, raise "
           r"-t or use --cache-file\n", "the timeout says how far it got and what to do")


@case
def timeout_no_page(t):
    """No page at all: '0 pages listed'."""
    with sample("--fault", "hang") as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-t", 1])
    t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - timed out after 1 s, 0 pages listed, raise -t or "
           r"use --cache-file\n", "no page at all: '0 pages listed'")


@case
def timeout_last_error(t):
    """With the last error; with a cache the advice is just to raise -t."""
    with sample("--fault", "http:503") as m:
        cache = os.path.join(tempdir("cache-"), "c")
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-t", 1, "--retries",
                                     10, "--cache-file", cache])
    t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - timed out after 1 s, 0 pages listed, raise -t "
           r"\(last error: HTTP 503 from 127\.0\.0\.1:\d+\)\n", "with the last error; with a "
           "cache, just raise -t", diag=out)


if __name__ == "__main__":
    run_cases()
