#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every option of SPEC.md against the mock: each test asserts the option's effect."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (NOW, PLUGIN, SECRET_ID, SECRET_KEY, Mock, accept_loop, case, diag,  # noqa: E402
                 plugin_env, run_cases, run_plugin, tempdir)


def check(m, *args, **kw):
    return run_plugin(["--endpoint", m.url, "--now", NOW] + [str(a) for a in args], **kw)


def jcheck(m, *args, **kw):
    """Runs with --output json; returns (exit code, document or None, stderr)."""
    code, out, err = check(m, "--output", "json", *args, **kw)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
        diag("not JSON: %r %s" % (out[:300], err[:300]))
    return code, doc, err


def ids(doc):
    return sorted(c["id"] for c in doc["certificates"]) if doc else None


def last_body(m):
    logs = m.log_entries()
    return json.loads(logs[-1]["body"]) if logs else {}


def last_headers(m):
    logs = m.log_entries()
    return {k.lower(): v for k, v in logs[-1]["headers"].items()} if logs else {}


def profile_home():
    """A fresh HOME with ~/.tencentcloud/credentials holding [default] (unknown to the mock)
    and [prod] (the mock's key); returns the env for run_plugin without TENCENTCLOUD_*."""
    home = tempdir("home-")
    os.makedirs(os.path.join(home, ".tencentcloud"))
    ini = os.path.join(home, ".tencentcloud", "credentials")
    with open(ini, "w") as f:
        f.write("# accounts\n\n[default]\nsecret_id = AKIDnope\nsecret_key = nope\n\n"
                "; production\n[prod]\n  secret_id=%s\nsecret_key =   %s  \r\n" %
                (SECRET_ID, SECRET_KEY))
    os.chmod(ini, 0o600)
    return {"TENCENTCLOUD_SECRET_ID": None, "TENCENTCLOUD_SECRET_KEY": None, "HOME": home}


# a tiny forwarding proxy that records what passed through it
class Proxy(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.seen = []

    def run(self):
        accept_loop(self.sock, self.serve)

    def serve(self, c):
        f = c.makefile("rb")
        while True:
            line = f.readline()
            if not line:
                break
            head = [line]
            while True:
                h = f.readline()
                head.append(h)
                if h in (b"\r\n", b"\n", b""):
                    break
            length = 0
            for h in head[1:]:
                if h.lower().startswith(b"content-length:"):
                    length = int(h.split(b":")[1])
            body = f.read(length)
            method, url, ver = line.split(b" ", 2)
            self.seen.append(url.decode())
            hostport = url.split(b"/")[2]
            host, port = hostport.split(b":")
            up = socket.create_connection((host.decode(), int(port)))
            up.sendall(b" ".join([method, b"/", ver]) + b"".join(head[1:]) + body)
            uf = up.makefile("rb")
            status = uf.readline()
            rhead = [status]
            rlen = 0
            while True:
                h = uf.readline()
                rhead.append(h)
                if h.lower().startswith(b"content-length:"):
                    rlen = int(h.split(b":")[1])
                if h in (b"\r\n", b"\n", b""):
                    break
            c.sendall(b"".join(rhead) + uf.read(rlen))
            up.close()


DEFAULT_SELECTED = ["CritL005", "Expd0002", "NewR0365", "NullS250", "OkApi090", "OkBlg045",
                    "OkCAc300", "OkCdn200", "OkMal400", "OkShp120", "OkWld365", "OkWww060",
                    "OkZh0180", "WarnP012", "WarnS020"]


@case
def json_default_run(t, m):
    """--output json on the default run."""
    code, doc, err = jcheck(m)
    t.is_(code, 2, "json: exit code unchanged (CRITICAL)", err)
    t.ok(doc is not None, "json: one valid JSON document")
    if doc:
        t.is_(doc["state"], "CRITICAL", "json: state")
        t.like(doc["summary"], r"^TENCENTCLOUD_SSL CRITICAL - 2 critical, 2 warning, 11 ok of 15 "
               r"certificates: ", "json: summary is the status line")
        t.ok("|" not in doc["summary"], "json: summary has no perfdata")
        t.is_(doc["counts"], {"selected": 15, "listed": 20, "ok": 11, "warning": 2, "critical": 2,
                              "unknown": 0}, "json: counts")
        t.is_(ids(doc), DEFAULT_SELECTED, "json: the selected certificates only")
        by = {c["id"]: c for c in doc["certificates"]}
        p = by.get("WarnP012", {})
        t.is_(p.get("alias"), "支付网关 / pay \U0001f512",
              "json: alias decoded from \\u escapes, surrogate pair and raw UTF-8")
        t.is_(p.get("san"), ["pay.example.com", "pay-api.example.com"], "json: san list")
        t.is_(p.get("days_left"), 12, "json: days_left")
        t.is_(p.get("state"), "WARNING", "json: per-certificate state")
        t.is_(p.get("status"), 1, "json: status")
        t.like(p.get("not_after", ""), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$",
               "json: not_after")
        t.is_(by.get("Expd0002", {}).get("bound_resource"), ["clb", "cdn"], "json: bound_resource")
        n = by.get("NullS250", {})
        t.is_((n.get("san"), n.get("bound_resource")), ([], []), "json: [] for null lists")
        t.is_(by.get("OkZh0180", {}).get("domain"), "测试.example.com",
              "json: escaped domain decoded")


@case
def api_filters(t, m):
    """API filters: sent with the API's names and types, and the server's effect seen."""
    filters = [
        (["--search-key", "shop"], {"SearchKey": "shop"}, ["OkShp120", "WarnS020"]),
        (["--certificate-type", "CA"], {"CertificateType": "CA"}, ["OkCAc300"]),
        (["--project-id", "1001"], {"ProjectId": 1001}, ["OkShp120", "WarnS020"]),
        (["--status", "3"], {"CertificateStatus": [3]}, ["Expd0002"]),
        (["--status", "1", "--status", "3"], {"CertificateStatus": [1, 3]}, DEFAULT_SELECTED),
        (["--deployable", "0"], {"Deployable": 0}, ["Expd0002"]),
        (["--upload", "1"], {"Upload": 1}, ["NullS250", "OkApi090", "OkCAc300"]),
        (["--renew", "1"], {"Renew": 1}, ["CritL005", "Expd0002", "OkBlg045", "WarnS020"]),
        (["--filter-source", "upload"], {"FilterSource": "upload"}, ["NullS250", "OkApi090",
                                                                     "OkCAc300"]),
        (["--is-sm", "1"], {"IsSM": 1}, ["OkMal400"]),
        (["--hostable", "1"], {"Hostable": 1}, ["CritL005", "OkApi090", "OkWww060"]),
        (["--tag", "env=prod"], {"Tags": [{"TagKey": "env", "TagValue": "prod"}]},
         ["CritL005", "OkApi090", "OkWww060"]),
        (["--tag", "env=prod", "--tag", "team=pay"],
         {"Tags": [{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": "pay"}]},
         ["CritL005"]),
        (["--is-pending-issue"], {"IsPendingIssue": 1}, []),
        (["--expiration-sort", "ASC"], {"ExpirationSort": "ASC"}, DEFAULT_SELECTED),
        (["--filter-expiring"], {"FilterExpiring": 1}, ["CritL005", "WarnP012", "WarnS020"]),
    ]
    for args, want_body, want_ids in filters:
        code, doc, err = jcheck(m, *args)
        body = last_body(m)
        got = {k: body.get(k) for k in want_body}
        t.is_(got, want_body, "%s: sent as %s" % (" ".join(args), json.dumps(want_body)))
        t.is_(ids(doc), sorted(want_ids),
              "%s: the server's selection is what is checked" % " ".join(args))

    code, doc, _ = jcheck(m, "--is-pending-issue")
    t.is_(doc and doc["counts"]["listed"], 2,
          "--is-pending-issue: 2 listed, none selected by default")
    code, out, _ = check(m, "--filter-expiring", "-w", "5", "-c", "2")
    t.is_(code, 1, "--filter-expiring: a returned certificate is at least WARNING even past -w")
    t.like(out, r"^TENCENTCLOUD_SSL WARNING - 3 warning, 0 ok of 3 certificates",
           "--filter-expiring line")


@case
def local_selection(t, m):
    """Local selection: each option selects what it says, with the exit code that follows."""
    selections = [
        (["--all-statuses"], DEFAULT_SELECTED + ["Cncl0150", "Pend0000", "Revw0000"], 2),
        (["--include-ignored"], DEFAULT_SELECTED + ["Ignr0003"], 2),
        (["--include-replaced"], DEFAULT_SELECTED + ["Repl0004"], 2),
        (["--bound-only"], ["Expd0002", "OkApi090", "OkCdn200", "OkWww060"], 2),
        (["--domain", "*.EXAMPLE.net"], ["WarnS020"], 1),
        (["--domain", "example.com"], ["OkWww060"], 0),
        (["--domain", "pay-api.*"], ["WarnP012"], 1),
        (["--domain", "*.example.org", "--domain", "mail.*"], ["OkMal400", "OkWld365"], 0),
        (["--domain", "*.api.example.org"], ["OkWld365"], 0),
        (["--exclude-domain", "*.example.com"], ["OkCdn200", "OkWld365", "WarnS020"], 1),
        (["--exclude-domain", "pay-api.example.com"], sorted(set(DEFAULT_SELECTED) - {"WarnP012"}),
         2),
        (["--exclude-id", "Expd0002", "--exclude-id", "CritL005"],
         sorted(set(DEFAULT_SELECTED) - {"Expd0002", "CritL005"}), 1),
        (["--domain", "*.example.com", "--exclude-domain", "shop.*"],
         sorted(set(DEFAULT_SELECTED) - {"OkShp120", "WarnS020", "OkCdn200", "OkWld365"}), 2),
    ]
    for args, want_ids, want_code in selections:
        code, doc, err = jcheck(m, *args)
        t.is_(ids(doc), sorted(want_ids), "%s selects what it says" % " ".join(args))
        t.is_(code, want_code, "%s: exit code" % " ".join(args), err)
    code, out, _ = check(m, "--all-statuses")
    t.like(out, r"^TENCENTCLOUD_SSL CRITICAL - 2 critical, 2 warning, 2 unknown, 12 ok of 18 ",
           "--all-statuses: unknown for certificates without times")


@case
def thresholds(t, m):
    """Thresholds: days, % of the validity period, ranges, --empty-state, --now."""
    code, doc, _ = jcheck(m, "-w", "25%", "-c", "10%")
    by = {c["id"]: c["state"] for c in (doc or {}).get("certificates", [])}
    t.is_([by.get(i) for i in ("CritL005", "WarnS020", "OkBlg045", "WarnP012", "OkWww060")],
          ["CRITICAL", "WARNING", "OK", "CRITICAL", "WARNING"],
          "-w 25% -c 10%: share of the validity period left (5/90, 20/90, 45/90, 12/365, 60/365)")
    code, out, _ = check(m, "-w", "25%", "-c", "10%")
    t.like(out, r" min_days_left=-2;;;; ", "% thresholds: empty W;C in perfdata")
    ranges = [
        (["-w", "100:", "-c", "0"], {"OkWww060": "WARNING", "OkApi090": "WARNING",
                                     "OkShp120": "OK"}),
        (["-w", "~:400", "-c", "7"], {"OkWww060": "OK", "OkMal400": "OK"}),
        (["-w", "10:20", "-c", "0"], {"WarnS020": "OK", "WarnP012": "OK", "OkBlg045": "WARNING",
                                       "CritL005": "WARNING"}),
        (["-w", "0", "-c", "@0:5"], {"CritL005": "CRITICAL", "WarnP012": "OK"}),
        (["-w", "@50:100", "-c", "0"], {"OkWww060": "WARNING", "OkBlg045": "OK",
                                        "OkApi090": "WARNING"}),
    ]
    for args, want in ranges:
        code, doc, _ = jcheck(m, *args)
        by = {c["id"]: c["state"] for c in (doc or {}).get("certificates", [])}
        t.is_({k: by.get(k) for k in want}, want, "range %s" % " ".join(args))
    code, out, _ = check(m, "-w", "100:", "-c", "@0:5")
    t.like(out, r" min_days_left=-2;100:;@0:5;; ", "ranges shown as given in perfdata")
    t.is_(by.get("Expd0002"), "CRITICAL", "expired is CRITICAL whatever the thresholds")
    code, out, _ = check(m, "--domain", "nothing.invalid", "--empty-state", "critical")
    t.is_(code, 2, "--empty-state critical when nothing is selected")
    t.like(out, r"^TENCENTCLOUD_SSL CRITICAL - no certificates selected \(of 20 listed\)",
           "--empty-state line")
    code, out, _ = check(m, "--domain", "nothing.invalid")
    t.is_(code, 0, "empty selection defaults to OK")
    code, out, _ = run_plugin(["--endpoint", m.url, "--now", NOW + 30 * 86400])
    t.like(out, r"^TENCENTCLOUD_SSL CRITICAL - 4 critical, 1 warning, 10 ok of 15 certificates: "
           r"old\.example\.com \(id Expd0002\) expired 32 d ago, ",
           "--now shifts the evaluation 30 days on")


@case
def output_options(t, m):
    """Output options: per-certificate perfdata, -v, -vv, --region and --language."""
    code, out, _ = check(m, "--perfdata-per-cert")
    t.like(out, r"'days_CritL005_login\.example\.com'=5;30:;7:;; ",
           "--perfdata-per-cert label and value")
    t.like(out, r"'days_Expd0002_old\.example\.com'=-2;30:;7:;; ",
           "--perfdata-per-cert negative days")
    t.is_(len(re.findall(r"'days_", out)), 15, "--perfdata-per-cert: one per selected certificate")
    t.like(out, r"\n\|'days_", "per-cert perfdata after the long output, '|' then the first label "
           "(no space: Icinga 2 would garble the label)")
    code, out, err = check(m, "-vv")
    t.like(err, r"(?i)offset[ =]0", "-vv: a line per request naming the page")
    t.like(err, r"\b200\b", "-vv: HTTP status")
    code, out, err = check(m, "-v")
    t.is_(len(out.rstrip("\n").split("\n")), 16, "-v: a long-output line per selected certificate")
    code, out, _ = check(m, "--region", "ap-guangzhou", "--language", "en-US")
    h = last_headers(m)
    t.is_((h.get("x-tc-region"), h.get("x-tc-language")), ("ap-guangzhou", "en-US"),
          "--region and --language sent as X-TC-Region and X-TC-Language")


@case
def max_output(t, m):
    """--max-output on an account with many non-OK certificates."""
    with Mock("--account", "gen:600:5", "--now", NOW) as big:
        code, out, _ = check(big, "-w", "800")
        lines = out.rstrip("\n").split("\n")
        t.ok(len(out.encode()) <= 4000,
             "--max-output default: stdout within 4000 bytes (%d)" % len(out.encode()))
        t.like(lines[-1], r"^\.\.\. \d+ more not shown \(--max-output 0 shows all\)$",
               "says what was left out")
        shown = len(lines) - 2
        more = int(re.search(r"(\d+) more", lines[-1]).group(1)) if re.search(r"(\d+) more",
                                                                              lines[-1]) else -1
        code, out0, _ = check(big, "-w", "800", "--max-output", "0")
        t.is_(len(out0.rstrip("\n").split("\n")) - 1, shown + more,
              "--max-output 0 shows all lines")
        code, out2, _ = check(big, "-w", "800", "--max-output", "1500")
        t.ok(len(out2.encode()) <= 1500, "--max-output 1500 respected (%d)" % len(out2.encode()))


@case
def secret_key_options(t, m):
    """--secret-id with --secret-key-file or --secret-key."""
    d = tempdir("creds-")
    keyfile = os.path.join(d, "key")
    with open(keyfile, "w") as f:
        f.write(SECRET_KEY + "\n")
    os.chmod(keyfile, 0o600)
    code, out, err = check(m, "--secret-id", SECRET_ID, "--secret-key-file", keyfile, "-v",
                           env={"TENCENTCLOUD_SECRET_KEY": "wrong"})
    t.is_(code, 2, "--secret-id with --secret-key-file wins over the environment", out)
    t.unlike(err, r"readable by group", "mode 600 key file: no warning")
    os.chmod(keyfile, 0o644)
    code, out, err = check(m, "--secret-id", SECRET_ID, "--secret-key-file", keyfile, "-v")
    t.like(err, r"readable by group or others", "-v warns about a key file readable by others")
    code, out, _ = check(m, "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY,
                         env={"TENCENTCLOUD_SECRET_ID": None, "TENCENTCLOUD_SECRET_KEY": None})
    t.is_(code, 2, "--secret-key works too")
    code, out, _ = check(m, "--secret-id", SECRET_ID)
    t.is_(code, 3, "--secret-id without a key: UNKNOWN, no mixing with the environment")
    t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - .*--secret-key", "and says what is missing")
    t.is_(len(m.log_entries()) and m.log_entries()[-1]["body"] != "", True, "log readable")


@case
def secret_key_hidden_from_ps(t, m):
    """--secret-key is hidden from ps once read (a hanging API keeps the process alive to look)."""
    with Mock("--fault", "hang") as mh:
        p = subprocess.Popen([PLUGIN, "--endpoint", mh.url, "-t", "3", "--secret-id", SECRET_ID,
                              "--secret-key", SECRET_KEY], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=plugin_env())
        time.sleep(1.0)
        with open("/proc/%d/cmdline" % p.pid, "rb") as f:
            cmdline = f.read()
        p.communicate(timeout=10)
        t.ok(SECRET_KEY.encode() not in cmdline and SECRET_ID.encode() in cmdline,
             "--secret-key is wiped from the process's command line once read")


@case
def profiles(t, m):
    """--profile and --credentials-file: which file, which section, and what wins."""
    noenv = profile_home()
    code, out, _ = check(m, "--profile", "prod", env=noenv)
    t.is_(code, 2, "--profile prod from ~/.tencentcloud/credentials (comments, spaces, CRLF)", out)
    code, out, _ = check(m, env=noenv)
    t.like(out, r"AuthFailure\.SecretIdNotFound", "the default profile is 'default'")
    code, out, _ = check(m, "--profile", "staging", env=noenv)
    t.is_(code, 3, "a missing profile: UNKNOWN")
    t.like(out, r"staging", "names the profile")
    code, out, _ = check(m, "--profile", "prod", env=dict(noenv, HOME=tempdir("home-")))
    t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - no credentials: --profile prod, but there is no "
           r"/.*/\.tencentcloud/credentials\n",
           "a named profile without a credentials file says where it looked")
    other = os.path.join(tempdir("creds-"), "other.ini")
    with open(other, "w") as f:
        f.write("[x]\nsecret_id=%s\nsecret_key=%s\n" % (SECRET_ID, SECRET_KEY))
    code, out, _ = check(m, "--credentials-file", other, "--profile", "x", env=noenv)
    t.is_(code, 2, "--credentials-file overrides the path")
    code, out, _ = check(m, "--profile", "prod", env=dict(noenv, TENCENTCLOUD_SECRET_ID=SECRET_ID,
                                                         TENCENTCLOUD_SECRET_KEY="wrong"))
    t.like(out, r"SignatureFailure", "the environment comes before a profile")


@case
def session_token_file(t, m):
    """--session-token-file, alone and with a profile."""
    noenv = profile_home()
    with Mock("--account", "sample", "--now", NOW, "--token", "STS-token-EXAMPLE") as mt:
        tokfile = os.path.join(tempdir("creds-"), "token")
        with open(tokfile, "w") as f:
            f.write("STS-token-EXAMPLE\n")
        code, out, _ = check(mt, "--session-token-file", tokfile,
                             env={"TENCENTCLOUD_SESSION_TOKEN": "stale-token"})
        t.is_(code, 2, "--session-token-file wins over the route's token", out)
        code, out, _ = check(mt, "--profile", "prod", "--session-token-file", tokfile, env=noenv)
        t.is_(code, 2, "--session-token-file with a profile")


@case
def cache_file(t, m):
    """--cache-file / --cache-ttl."""
    cdir = tempdir("cache-")
    cfile = os.path.join(cdir, "listing.cache")
    n0 = len(m.log_entries())
    code1, out1, _ = check(m, "--cache-file", cfile, "--cache-ttl", "60")
    n1 = len(m.log_entries())
    code2, out2, err2 = check(m, "--cache-file", cfile, "--cache-ttl", "60")
    _, _, err2v = check(m, "--cache-file", cfile, "--cache-ttl", "60", "-v")
    n2 = len(m.log_entries())
    strip_ft = lambda s: re.sub(r"fetch_time=[\d.]+s", "", s)  # noqa: E731
    t.is_((code1, n1 - n0), (2, 1), "cache: the first run lists from the API")
    t.is_(n2, n1, "cache: a second run within the TTL makes no request")
    t.is_(strip_ft(out2), strip_ft(out1), "cache: same output from the cached listing")
    t.like(err2v, r"from the cache", "cache: -v says the listing came from the cache")
    t.is_(os.stat(cfile).st_mode & 0o777, 0o600, "cache file is mode 0600")
    t.ok(SECRET_KEY not in open(cfile, encoding="utf-8", errors="replace").read(),
         "cache file holds no secret key")
    check(m, "--cache-file", cfile, "--cache-ttl", "60", "--status", "1")
    t.is_(len(m.log_entries()), n2 + 1, "cache: other API filters are another listing")
    with open(cfile, "r+b") as f:
        f.seek(os.path.getsize(cfile) // 2)
        f.write(b"#garbage#")
    n3 = len(m.log_entries())
    code3, out3, _ = check(m, "--cache-file", cfile, "--cache-ttl", "60")
    t.is_((code3, len(m.log_entries()) - n3), (2, 1),
          "cache: a corrupt file is ignored, listed again")
    check(m, "--cache-file", cfile, "--cache-ttl", "60")
    t.is_(len(m.log_entries()), n3 + 1, "cache: and replaced by a good one")
    code4, out4, _ = check(m, "--cache-file", cfile, "--cache-ttl", "60",
                           env={"TENCENTCLOUD_SECRET_ID": "AKIDother"})
    t.like(out4, r"AuthFailure\.SecretIdNotFound",
           "cache: another SecretId does not reuse the listing")
    link = os.path.join(cdir, "link.cache")
    os.symlink(cfile, link)
    n5 = len(m.log_entries())
    code5, _, _ = check(m, "--cache-file", link, "--cache-ttl", "60")
    t.is_((code5, len(m.log_entries()) - n5), (2, 1),
          "cache: a symlinked cache file is not trusted")


@case
def cache_after_retry(t, m):
    """A page retried after a 503 (nothing of it arrived) still leaves a cache behind."""
    with Mock("--account", "sample", "--now", NOW, "--fault", "http:503@2") as m5:
        cfile5 = os.path.join(tempdir("cache-"), "retried.cache")
        code, out, _ = check(m5, "--cache-file", cfile5, "--page-size", "5")
        n5 = len(m5.log_entries())
        code2, _, _ = check(m5, "--cache-file", cfile5, "--page-size", "5")
        t.is_((code, n5, code2, len(m5.log_entries())), (2, 5, 2, 5),
              "cache: written even when a page was retried after a 503 (5 requests, then none)")


@case
def through_proxy(t, m):
    """--proxy: through a proxy that records what passed, and to a closed port."""
    proxy = Proxy()
    proxy.start()
    code, out, err = check(m, "--proxy", "http://127.0.0.1:%d" % proxy.port)
    t.is_(code, 2, "--proxy: the listing goes through the proxy", out + err)
    t.ok(any(u.startswith(m.url) for u in proxy.seen), "--proxy: the proxy saw the request")
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    dead.close()
    code, out, _ = check(m, "--proxy", "http://127.0.0.1:%d" % dead_port, "--retries", "0")
    t.is_(code, 3, "--proxy to a closed port: UNKNOWN (so the option is used)")


@case
def timeout_state(t, m):
    """-t SECONDS[:STATE]: the exit code past the deadline, and its message."""
    with Mock("--account", "sample", "--now", NOW, "--fault", "hang") as mh:
        for arg, want in (("1", 3), ("1:critical", 2), ("1:ok", 0), ("1:warning", 1)):
            code, out, _ = check(mh, "-t", arg, timeout=10)
            t.is_(code, want, "-t %s: exit %d past the deadline" % (arg, want))
        t.like(out, r"^TENCENTCLOUD_SSL WARNING - timed out after 1 s, ", "timeout message")


@case
def help_and_version(t, m):
    """--help documents every option; -V prints the version."""
    code, out, _ = run_plugin(["--help"])
    t.is_(code, 0, "--help exits 0")
    opts = re.findall(r"\{\"([a-z-]+)\", (?:no|required)_argument", open(os.path.join(
        os.environ.get("top_srcdir", os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        "plugin", "options.c")).read())
    missing = [o for o in opts if "--" + o not in out]
    t.ok(len(opts) > 40 and not missing,
         "--help documents every option (%d; missing %s)" % (len(opts), missing))
    t.like(out, r"(?s)Usage:.*Examples:.*Icinga 2.*Notes:.*UTC\+08:00",
           "--help: usage, examples, notes")
    code, out, _ = run_plugin(["-V"])
    t.is_(code, 0, "-V exits 0")
    t.like(out, r"^check_tencentcloud_ssl v\d+\.\d+\.\d+\n(.+\n)*.*GNU General Public License",
           "-V prints the version and the licence")


@case
def usage_errors(t, m):
    """Usage errors: exit 3, one line naming the option, the usage line, no request."""
    before = len(m.log_entries())
    bad = [
        ["--bogus"], ["-x"], ["-w", "3O"], ["-w", ""], ["-c", "1:2:3"], ["-w", "abc%"],
        ["-w", "101%"], ["--page-size", "0"], ["--page-size", "1001"], ["--page-size", "ten"],
        ["--certificate-type", "XYZ"], ["--certificate-type", "svr"], ["--project-id", "-1"],
        ["--project-id", "1x"], ["--status", "16"], ["--status", "a"], ["--deployable", "2"],
        ["--upload", "yes"], ["--renew", ""], ["--is-sm", "-1"], ["--hostable", "01"],
        ["--filter-source", "stolen"], ["--tag", "novalue"], ["--tag", "=v"],
        ["--expiration-sort", "UP"], ["--empty-state", "fine"], ["-t", "0"], ["-t", "5:maybe"],
        ["-t", "x"], ["--retries", "-1"], ["--retries", "11"], ["--max-rate", "0"],
        ["--parallel", "33"], ["--parallel", "0"], ["--max-output", "-5"], ["--now", "yesterday"],
        ["--output", "xml"], ["--language", "fr-FR"], ["--endpoint", "ftp://x"],
        ["--endpoint", "https://"], ["--endpoint", "http://h:99999"], ["--endpoint",
                                                                       "http://h/path"],
        ["--secret-key-file", "/dev/null"], ["--secret-key", "k"], ["--cache-ttl", "60"],
        ["extra-argument"], ["--region", "ap\nx"], ["--search-key", ""], ["--warning"],
    ]
    for args in bad:
        code, out, err = run_plugin(["--endpoint", m.url] + args
                                    if not args[0].startswith("--endpoint") else args)
        lines = out.split("\n")
        t.ok(code == 3 and lines[0].startswith("TENCENTCLOUD_SSL UNKNOWN - ") and
             len(lines) >= 2 and lines[1].startswith("Usage:"),
             "usage error %r: exit 3, one-line reason, usage line" % (args,), out + err)
    many_tags = []
    for i in range(64):
        many_tags += ["--tag", "k%d=%s" % (i, '"' * 500)]
    for args, what in ((["--secret-id", SECRET_ID, "--secret-k=TOPSECRETVALUE"],
                        "an ambiguous option"),
                       (["--secret-id", SECRET_ID, "TOPSECRETVALUE"], "a stray argument"),
                       (many_tags, "filters over the request body cap")):
        code, out, err = run_plugin(["--endpoint", m.url] + args)
        t.ok(code == 3 and out.startswith("TENCENTCLOUD_SSL UNKNOWN - ") and "\nUsage:" in out,
             "usage error for %s" % what, out[:300])
        t.ok("TOPSECRETVALUE" not in out + err, "%s: the value is not echoed" % what)
    for args, want in ((["--insecure=1"], "option --insecure takes no value"),
                       (["--version=1"], "option --version takes no value"),
                       (["--ex", "1"],
                        "ambiguous option --ex (--expiration-sort, --exclude-domain, "
                        "--exclude-id, --exclude-replaced, --extra-opts)"),
                       (["--bogus=x"], "unknown option --bogus")):
        code, out, _ = run_plugin(["--endpoint", m.url] + args)
        t.is_((code, out.split("\n")[0]), (3, "TENCENTCLOUD_SSL UNKNOWN - " + want),
              "usage error names the option: %s" % " ".join(args))
    t.is_(len(m.log_entries()), before, "no usage error made a request")


if __name__ == "__main__":
    with Mock("--account", "sample", "--now", NOW) as m:
        run_cases(m)
