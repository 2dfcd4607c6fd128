#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Renewed but still deployed (issue 11): a replaced certificate that is still bound is
evaluated by default; --exclude-replaced drops every replaced one, --include-replaced keeps
every one. Against tests/data/accounts/replaced.json (see its README), in text, JSON,
per-certificate perfdata and through the cache."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import DATA, NOW, Mock, case, run_cases, run_plugin, tempdir  # noqa: E402

ACCOUNT = os.path.join(DATA, "accounts", "replaced.json")

# (flags, selected ids, exit code, counts as the status line says them)
CASES = [
    ([], ["RplBnd05", "RplBnd60", "NewBnd01", "PlnBnd90", "PlnFre25"], 2,
     "1 critical, 1 warning, 3 ok of 5 certificates"),
    (["--exclude-replaced"], ["NewBnd01", "PlnBnd90", "PlnFre25"], 1,
     "1 warning, 2 ok of 3 certificates"),
    (["--include-replaced"], ["RplBnd05", "RplBnd60", "RplFre03", "RplNul20", "RplEmp10",
                              "NewBnd01", "PlnBnd90", "PlnFre25"], 2,
     "2 critical, 3 warning, 3 ok of 8 certificates"),
    (["--bound-only"], ["RplBnd05", "RplBnd60", "PlnBnd90"], 2,
     "1 critical, 2 ok of 3 certificates"),
    (["--bound-only", "--include-replaced"], ["RplBnd05", "RplBnd60", "PlnBnd90"], 2,
     "1 critical, 2 ok of 3 certificates"),
    (["--bound-only", "--exclude-replaced"], ["PlnBnd90"], 0, "1 ok of 1 certificate"),
]


def account_by_id():
    with open(ACCOUNT, encoding="utf-8") as f:
        return {c["CertificateId"]: c for c in json.load(f)}


BYID = account_by_id()


def replaced_by(cid):
    return (BYID[cid].get("CertificateExtra") or {}).get("ReplacedBy") or None


def check(mock, *args):
    return run_plugin(["--endpoint", mock.url, "--now", NOW] + list(args))


def long_lines(out):
    """Long-output lines by certificate id."""
    res = {}
    for ln in out.split("\n")[1:]:
        m = re.search(r"\(id (\w+)\): ", ln)
        if m:
            res[m.group(1)] = ln
    return res


@case
def text(t, m):
    """Text: counts, the -v lines and what they say of replacement, per selection."""
    for flags, ids, code, counts in CASES:
        what = " ".join(flags) or "default"
        rc, out, err = check(m, "-v", *flags)
        t.is_(rc, code, "%s: exit code" % what, err)
        t.like(out, r"^TENCENTCLOUD_SSL \w+ - %s" % re.escape(counts), "%s: counts" % what)
        lines = long_lines(out)
        t.is_(sorted(lines), sorted(ids), "%s: -v lists the selected certificates" % what)
        # the still-bound replaced one says what to do
        if "RplBnd05" in lines:
            t.like(lines["RplBnd05"], r"^app\.example\.com \(id RplBnd05\): CRITICAL, 5 d left, "
                   r"until 2026-01-06 09:00:00 \+08:00, replaced by NewBnd01 but still bound "
                   r"to clb-x1, cdn$", "%s: bound replaced line says redeploy" % what)
        if "RplFre03" in lines:
            t.like(lines["RplFre03"], r", replaced by NewOld01$",
                   "%s: unbound replaced line (--include-replaced)" % what)
        if "RplEmp10" in lines:
            t.unlike(lines["RplEmp10"], r"bound to", "%s: an empty BoundResource entry is "
                     "not a binding" % what)
        for cid in ("PlnBnd90", "NewBnd01", "PlnFre25"):
            if cid in lines:
                t.unlike(lines[cid], r"replaced", "%s: %s is not replaced" % (what, cid))


@case
def status_line(t, m):
    """Without -v only non-OK lines: the bound replaced one is among them by default."""
    rc, out, _ = check(m)
    t.like(out.split("\n")[0], r"app\.example\.com \(id RplBnd05\) expires in 5 d",
           "default: status line names it")


@case
def json_output(t, m):
    """JSON: the selection and replaced_by on every certificate."""
    for flags, ids, code, _ in CASES:
        what = " ".join(flags) or "default"
        rc, out, err = check(m, "--output", "json", *flags)
        t.is_(rc, code, "json %s: exit code" % what)
        try:
            doc = json.loads(out)
        except ValueError as e:
            t.ok(False, "json %s: valid (%s)" % (what, e), out)
            continue
        certs = doc["certificates"]
        t.is_(sorted(c["id"] for c in certs), sorted(ids), "json %s: selected" % what)
        t.ok(all("replaced_by" in c for c in certs), "json %s: replaced_by on every "
             "certificate" % what)
        t.is_({c["id"]: c["replaced_by"] for c in certs}, {i: replaced_by(i) for i in ids},
              "json %s: replaced_by is the ReplacedBy id or null" % what)


@case
def perfdata(t, m):
    """Per-certificate perfdata: one item per selected certificate."""
    for flags, ids, _, _ in CASES:
        what = " ".join(flags) or "default"
        _, out, _ = check(m, "--perfdata-per-cert", "--max-output", "0", *flags)
        labels = re.findall(r"'days_(\w+?)_[^']*'=(-?\d+);", out)
        t.is_(sorted(i for i, _ in labels), sorted(ids), "perfdata %s: one item per selected "
              "certificate" % what)
        if "RplBnd05" in ids:
            t.ok(("RplBnd05", "5") in labels, "perfdata %s: the bound replaced one has 5 "
                 "days" % what)


@case
def through_cache(t, m):
    """Every selection from one cached listing."""
    cfile = os.path.join(tempdir("cache-"), "listing")
    cache = ["--cache-file", cfile, "--cache-ttl", "300"]
    n0 = len(m.log_entries())
    rc, out, _ = check(m, *cache)
    t.is_(rc, 2, "cache: first run lists (default selection)")
    t.is_(len(m.log_entries()), n0 + 1, "cache: one request")
    # the selection is local, so every mode reads the same cached listing
    for flags, ids, code, counts in CASES:
        what = " ".join(flags) or "default"
        rc, out, _ = check(m, "-v", *(cache + flags))
        t.is_((rc, sorted(long_lines(out))), (code, sorted(ids)),
              "cache %s: same selection and state from the cache" % what)
    rc, out, _ = check(m, "--output", "json", *cache)
    t.is_({c["id"]: c["replaced_by"] for c in json.loads(out)["certificates"]}["RplBnd05"],
          "NewBnd01", "cache: replaced_by survives the cache")
    t.like(long_lines(check(m, *cache)[1]).get("RplBnd05", ""),
           r"replaced by NewBnd01 but still bound to clb-x1, cdn$",
           "cache: long line from the cached listing")
    t.is_(len(m.log_entries()), n0 + 1, "cache: no request after the first")


@case
def both_flags(t, m):
    """--include-replaced with --exclude-replaced: a usage error, no request."""
    n0 = len(m.log_entries())
    rc, out, _ = check(m, "--include-replaced", "--exclude-replaced")
    t.is_(rc, 3, "both flags: usage error")
    t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - give --include-replaced or --exclude-replaced, "
           r"not both$", "both flags: says why")
    t.is_(len(m.log_entries()), n0, "both flags: no request")


if __name__ == "__main__":
    with Mock("--account", ACCOUNT, "--now", NOW) as m:
        run_cases(m)
