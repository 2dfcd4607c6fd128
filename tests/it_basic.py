#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: the plugin lists a mock account, evaluates it and prints Nagios output."""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (DATA, NOW, SECRET_KEY, Mock, case, peak_rss_kib, run_cases,  # noqa: E402
                 run_plugin, tempdir)

DAY = 86400


def bj(epoch):
    """A time as the API writes it: Beijing time, UTC+08:00."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + 8 * 3600))


def cert(cid, domain, days, status=1, begin_days=-300, **extra):
    """A certificate ending `days` days (plus an hour) after NOW."""
    end = NOW + days * DAY + 3600 if days is not None else None
    c = {
        "CertificateId": cid, "Domain": domain, "Alias": "", "Status": status,
        "CertBeginTime": bj(NOW + begin_days * DAY) if end else "",
        "CertEndTime": bj(end) if end else "",
        "SubjectAltName": [domain], "BoundResource": [], "IsIgnore": False,
        "IsExpiring": days is not None and 0 <= days < 30,
        "CertificateExtra": {"ReplacedBy": ""}, "ProjectId": "0", "From": "buy",
        "CertificateType": "SVR", "Tags": [],
    }
    c.update(extra)
    return c


def account(*certs):
    path = os.path.join(tempdir("acct-"), "account.json")
    with open(path, "w") as f:
        json.dump(list(certs), f, ensure_ascii=False)
    return path


def acct_ok():
    return account(cert("Ok000045", "b.example.com", 45), cert("Ok000300", "a.example.com", 300))


def acct_bad():
    return account(cert("Good0100", "good.example.com", 100),
                   dict(cert("Bad00000", "bad.example.com", 100), CertEndTime="--"))


# messy end times as real responses carry them
ODD = os.path.join(DATA, "accounts", "odd_dates.json")


def split(out):
    """(status text, perfdata, long-output lines) of the plugin's stdout."""
    lines = out.rstrip("\n").split("\n")
    status, _, perf = lines[0].partition(" | ")
    return status, perf, lines[1:]


def check(args, mock, **kw):
    return run_plugin(["--endpoint", mock.url, "--now", NOW] + list(args), **kw)


def listing(args, mock, **kw):
    """check() with its stdout split: (exit code, status text, perfdata, long-output lines)."""
    code, out, _ = check(args, mock, **kw)
    return (code,) + split(out)


PERF_RE = (r"^certificates=(\d+);;;0; ok=(\d+);;;0; warning=(\d+);;;0; critical=(\d+);;;0; "
           r"unknown=(\d+);;;0;( min_days_left=-?\d+;[^;]*;[^;]*;;)? fetch_time=\d+\.\d{3}s;;;0;$")


@case
def sample_account(t):
    """The sample account: every state for its reasons."""
    with Mock("--account", "sample", "--now", NOW) as m:
        code, out, err = check([], m)
        status, perf, longout = split(out)
        t.is_(code, 2, "sample account: CRITICAL", err)
        t.is_(status,
              "TENCENTCLOUD_SSL CRITICAL - 2 critical, 2 warning, 11 ok of 15 certificates: "
              "old.example.com (id Expd0002) expired 2 d ago, login.example.com (id CritL005) "
              "expires in 5 d, pay.example.com (id WarnP012) expires in 12 d, shop.example.net "
              "(id WarnS020) expires in 20 d", "sample: status line, worst and soonest first")
        t.like(perf, PERF_RE, "sample: perfdata shape")
        t.like(perf, r"^certificates=15;;;0; ok=11;;;0; warning=2;;;0; critical=2;;;0; "
               r"unknown=0;;;0; min_days_left=-2;30:;7:;; ", "sample: perfdata values")
        t.is_(len(longout), 4, "sample: one long-output line per non-OK certificate", out)
        t.like(longout[0] if longout else "", r"^old\.example\.com \(id Expd0002\): CRITICAL, "
               r"expired 2 d ago on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00, bound to clb, cdn$",
               "sample: expired line names the end time and where it is bound")
        t.like(longout[1] if len(longout) > 1 else "", r"^login\.example\.com \(id CritL005\): "
               r"CRITICAL, 5 d left, until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00",
               "sample: critical line")
        t.like(longout[3] if len(longout) > 3 else "", r"^shop\.example\.net \(id WarnS020\): "
               r"WARNING, 20 d left, until ", "sample: warning line")
        logs = m.log_entries()
        t.is_(len(logs), 1, "sample: one request for 20 certificates")
        body = json.loads(logs[0]["body"]) if logs else {}
        t.is_(body, {"Offset": 0, "Limit": 1000}, "sample: request body is Offset/Limit only")
        hdrs = {k.lower(): v for k, v in (logs[0].get("headers", {}) if logs else {}).items()}
        t.is_(hdrs.get("x-tc-action"), "DescribeCertificates", "X-TC-Action sent")
        t.is_(hdrs.get("x-tc-version"), "2019-12-05", "X-TC-Version sent")
        t.is_(hdrs.get("content-type"), "application/json", "Content-Type exactly application/json")
        t.is_(hdrs.get("host"), m.host, "Host is host:port of the endpoint")
        t.ok("x-tc-region" not in hdrs and "x-tc-token" not in hdrs,
             "no region or token unless given")

        # The time zone of the host must not matter: CertEndTime is Beijing time.
        outs = set()
        for tz in ("UTC", "America/New_York", "Asia/Shanghai", "Pacific/Kiritimati"):
            c2, o2, _ = check([], m, env={"TZ": tz})
            outs.add((c2, re.sub(r"fetch_time=[\d.]+s", "", o2)))
        t.is_(len(outs), 1, "same output in four time zones")


@case
def ok_and_warning(t):
    with Mock("--account", acct_ok()) as m:
        code, status, perf, longout = listing([], m)
        t.is_(code, 0, "all far from expiry: OK")
        t.is_(status, "TENCENTCLOUD_SSL OK - 2 ok of 2 certificates: soonest b.example.com "
              "(id Ok000045) expires in 45 d", "OK line names the soonest")
        t.like(perf,
               r"^certificates=2;;;0; ok=2;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; "
               r"min_days_left=45;30:;7:;; fetch_time=", "OK perfdata")
        t.is_(longout, [], "no long output when all is OK")
        code, out, _ = check(["-v"], m)
        t.is_(len(split(out)[2]), 2, "-v: a long-output line per selected certificate")
        t.like(split(out)[2][0] if split(out)[2] else "", r"^b\.example\.com \(id Ok000045\): OK, "
               r"45 d left, until ", "-v: OK line, soonest first")
        code, out, _ = check(["-w", "50"], m)
        t.is_(code, 1, "-w 50 makes 45 days WARNING")
        t.like(out,
               r"^TENCENTCLOUD_SSL WARNING - 1 warning, 1 ok of 2 certificates: b\.example\.com "
               r"\(id Ok000045\) expires in 45 d \| ", "WARNING line")
        code, out, _ = check(["-w", "400", "-c", "50"], m)
        t.is_(code, 2, "-c 50 makes 45 days CRITICAL")


@case
def one_certificate(t):
    acct_one = account(cert("One00010", "one.example.com", 10))
    with Mock("--account", acct_one) as m:
        code, out, _ = check([], m)
        t.like(out, r"^TENCENTCLOUD_SSL WARNING - 1 warning, 0 ok of 1 certificate: ",
               "singular 'certificate' for one")


@case
def no_valid_end_time(t):
    with Mock("--account", acct_bad()) as m:
        code, status, perf, longout = listing([], m)
        t.is_(code, 3, "a selected certificate without a valid end time: UNKNOWN")
        t.is_(status, "TENCENTCLOUD_SSL UNKNOWN - 1 unknown, 1 ok of 2 certificates: "
              "bad.example.com (id Bad00000) has no valid end time", "UNKNOWN line says why")


@case
def critical_outranks_unknown(t):
    acct_crit_unknown = account(dict(cert("Bad00000", "bad.example.com", 100), CertEndTime=""),
                                cert("Crit0001", "crit.example.com", 1))
    with Mock("--account", acct_crit_unknown) as m:
        code, out, _ = check([], m)
        t.is_(code, 2, "CRITICAL outranks UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 unknown, 0 ok of 2 certificates: "
               r"crit\.example\.com \(id Crit0001\) expires in 1 d, "
               r"bad\.example\.com \(id Bad00000\) has no valid end time \| ",
               "critical first, then unknown")


@case
def empty_account(t):
    with Mock("--account", account()) as m:
        code, out, _ = check([], m)
        t.is_(code, 0, "empty account: --empty-state default ok")
        t.like(out, r"^TENCENTCLOUD_SSL OK - no certificates selected \(of 0 listed\)",
               "empty account line")


@case
def odd_dates(t):
    """tests/data/accounts/odd_dates.json: '--', '', zeros, null, short fields, a leap day."""
    with Mock("--account", ODD) as m:
        code, status, perf, longout = listing([], m)
        t.is_(code, 2, "odd dates: CRITICAL")
        t.is_(status, "TENCENTCLOUD_SSL CRITICAL - 2 critical, 1 warning, 4 unknown, 3 ok of 10 "
              "certificates: expired.example.com (id OddExp00) expired 2 d ago, "
              "semi_colon_pipe.example.com (id OddSemi1) expires in 3 d, "
              "dash.example.com (id OddDash0) has no valid end time, "
              "empty.example.com (id OddEmpty) has no valid end time, "
              "null.example.com (id OddNull0) has no valid end time, and 2 more",
              "odd dates: '--', '', zeros and null are UNKNOWN; ';' and '|' shown as '_'; "
              "at most 5")
        t.ok(any(ln.startswith("semi;colon_pipe.example.com (id OddSemi1): CRITICAL, 3 d left")
                 for ln in longout), "long output keeps ';' and replaces '|'")
        t.like(perf, r" min_days_left=-2;30:;7:;; ", "odd dates: min_days_left")
        code, doc_text, _ = check(["--output", "json"], m)
        doc = json.loads(doc_text)
        by = {c["id"]: c for c in doc["certificates"]}
        t.is_((by["OddShort"]["days_left"], by["OddShort"]["state"]), (59, "OK"),
              "a short seconds field ('08:00:0') is read, not UNKNOWN")
        t.is_((by["OddLeap0"]["days_left"], by["OddLeap0"]["not_after"]),
              (789, "2028-02-29T23:59:59+08:00"), "a leap day end time")
        t.is_((by["OddDash0"]["days_left"], by["OddDash0"]["not_after"]), (None, None),
              "json: null for a time and days_left that cannot be known")
        code, out, _ = check(["-w", "25%", "-c", "1%", "--domain", "begin-after-end.*"], m)
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - 1 unknown, 0 ok of 1 certificate: "
               r"begin-after-end\.example\.com \(id OddBegin\) has no valid begin time \| ",
               "% threshold without a valid begin before the end: UNKNOWN")
        t.like(out, r" min_days_left=31;;;; ", "% thresholds leave W;C empty in perfdata")


@case
def json_on_every_account(t):
    """--output json is valid JSON on every test account."""
    for acct in ("sample", "gen:3000:9", ODD, acct_ok(), acct_bad(), account()):
        with Mock("--account", acct, "--now", NOW) as m:
            for extra in ([], ["--all-statuses", "--include-ignored", "--include-replaced"]):
                code, out, err = check(["--output", "json"] + extra, m)
                try:
                    doc = json.loads(out)
                    good = (doc["state"] in ("OK", "WARNING", "CRITICAL", "UNKNOWN") and
                            len(doc["certificates"]) == doc["counts"]["selected"] and
                            code == ["OK", "WARNING", "CRITICAL", "UNKNOWN"].index(doc["state"]))
                except (ValueError, KeyError, TypeError):
                    good = False
                t.ok(good, "json valid and consistent: %s %s" % (os.path.basename(acct),
                                                                 " ".join(extra)),
                     out[:300] + err[:300])


@case
def pagination(t):
    """2,500 certificates: page size 1000 and 7 give the same answer."""
    with Mock("--account", "gen:2500:7", "--now", NOW) as m:
        c1, o1, e1 = check(["--page-size", "1000"], m)
        n1 = len(m.log_entries())
        c2, o2, e2 = check(["--page-size", "7", "--max-rate", "1000", "--parallel", "8"], m,
                           timeout=60)
        strip = lambda s: re.sub(r"fetch_time=[\d.]+s", "", s)  # noqa: E731
        t.ok(c1 in (0, 1, 2), "2500 certificates: a real state (%s)" % c1, e1)
        t.is_(strip(o2), strip(o1), "page size 7 and 1000 give the same output", e2)
        t.is_(c2, c1, "and the same exit code")
        t.like(o1, r"certificates=\d+;;;0;", "2500: perfdata present")
        t.is_(n1, 3, "page size 1000: 3 requests")
        t.is_(len(m.log_entries()) - n1, 358, "page size 7: 358 requests")
        offsets = sorted(json.loads(e["body"])["Offset"] for e in m.log_entries()[n1:])
        t.is_(offsets, list(range(0, 2500, 7)), "every offset asked once")


@case
def session_token(t):
    with Mock("--account", "sample", "--now", NOW, "--token", "tok-EXAMPLE-secret-123") as m:
        code, out, _ = check([], m, env={"TENCENTCLOUD_SESSION_TOKEN": "tok-EXAMPLE-secret-123"})
        t.is_(code, 2, "session token sent as X-TC-Token is accepted")
        code, out, _ = check([], m)
        t.is_(code, 3, "missing token: UNKNOWN")
        t.like(out,
               r"^TENCENTCLOUD_SSL UNKNOWN - API error AuthFailure\.TokenFailure: .* \(RequestId "
               r"[0-9a-f-]+\)\n", "token failure reported with code and RequestId")


@case
def auth_errors(t):
    with Mock("--account", "sample", "--now", NOW) as m:
        code, out, _ = check([], m, env={"TENCENTCLOUD_SECRET_KEY": "wrong" + SECRET_KEY[5:]})
        t.is_(code, 3, "wrong secret key: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - API error AuthFailure\.SignatureFailure: .+ "
               r"\(RequestId [0-9a-f-]+\)\n$",
               "wrong key: the API's error code, message, RequestId")
        t.is_(len(m.log_entries()), 1, "an auth error is not retried")
        code, out, _ = check([], m, env={"TENCENTCLOUD_SECRET_ID": "AKIDother",
                                        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY})
        t.like(out, r"API error AuthFailure\.SecretIdNotFound", "unknown SecretId")
        code, out, _ = check([], m, env={"TENCENTCLOUD_SECRET_KEY": None})
        t.is_(code, 3, "no secret key: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - .*TENCENTCLOUD_SECRET_KEY",
               "names what is missing")
        code, out, _ = check([], m, env={"TENCENTCLOUD_SECRET_KEY": None,
                                        "TENCENTCLOUD_SECRET_ID": None})
        t.is_(code, 3, "no credentials at all: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - no credentials", "says there are none")


@case
def secrets_never_printed(t):
    """Secrets are never printed, even at -vvv."""
    TOKEN = "tok-EXAMPLE-secret-456"
    with Mock("--account", "sample", "--now", NOW, "--token", TOKEN) as m:
        for args in (["-vvv"], ["-vvv", "--output", "json"], ["-vvv", "--perfdata-per-cert"]):
            code, out, err = check(args, m, env={"TENCENTCLOUD_SESSION_TOKEN": TOKEN})
            both = out + err
            t.ok(err.strip() != "", "%s writes detail on stderr" % " ".join(args))
            t.ok(SECRET_KEY not in both, "%s: secret key not in any output" % " ".join(args))
            t.ok(TOKEN not in both, "%s: token not in any output" % " ".join(args))
            t.ok("Signature=" not in both and "TC3-HMAC-SHA256 Credential" not in both,
                 "%s: Authorization value not in any output" % " ".join(args))
        code, out, err = check(["-vvv", "-t", "3"], m, env={"TENCENTCLOUD_SESSION_TOKEN": TOKEN,
                                                           "TENCENTCLOUD_SECRET_KEY": "bad"})
        t.ok(code is not None, "bad key run ends")
        t.ok(TOKEN not in out + err, "-vvv with an auth error: token not printed")


@case
def https(t):
    """HTTPS with a throwaway CA."""
    with Mock("--account", "sample", "--now", NOW, tls=True) as m:
        code, out, err = check(["--cacert", m.ca], m)
        t.is_(code, 2, "HTTPS with --cacert works", err)
        t.like(out, r"^TENCENTCLOUD_SSL CRITICAL - 2 critical, 2 warning, 11 ok of 15 ",
               "HTTPS: same answer as HTTP")
        code, out, err = check([], m)
        t.is_(code, 3, "HTTPS without the CA: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - TLS: ", "says it is TLS", out)
        code, out, err = check(["--insecure", "-v"], m)
        t.is_(code, 2, "--insecure skips verification")
        t.like(err, r"(?i)insecure", "-v says verification is off")


@case
def memory_flat(t):
    """Memory does not grow with the account."""
    rss = {}
    for n in (10, 10000):
        with Mock("--account", "gen:%d:3" % n, "--now", NOW) as m:
            rss[n] = peak_rss_kib(["--endpoint", m.url, "--now", NOW, "--max-rate", "1000"])
    t.diag("peak RSS: 10 certificates %d KiB, 10,000 certificates %d KiB" % (rss[10], rss[10000]))
    t.ok(rss[10000] - rss[10] <= 4096, "peak RSS for 10,000 certificates within 4 MiB of 10 "
         "(%d vs %d KiB)" % (rss[10000], rss[10]))


if __name__ == "__main__":
    run_cases()
