#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""TAP test of the mock API itself: its TC3 verifier against the SDK's vectors, and what it
serves to a correctly (and incorrectly) signed client written here, independently of both
the mock and the C code."""

import calendar
import gzip
import hashlib
import hmac
import http.client
import json
import os
import re
import ssl
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import DATA, NOW, SECRET_ID, SECRET_KEY, Mock, case, run_cases  # noqa: E402
import mock_api  # noqa: E402

UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


# ---- an independent signer and client --------------------------------------------------------
def sha256hex(b):
    return hashlib.sha256(b if isinstance(b, bytes) else b.encode()).hexdigest()


def sign(secret_id, secret_key, host, body, ts):
    date = time.strftime("%Y-%m-%d", time.gmtime(ts))
    canon = ("POST\n/\n\ncontent-type:application/json\nhost:" + host +
             "\n\ncontent-type;host\n" + sha256hex(body))
    sts = "TC3-HMAC-SHA256\n%d\n%s/ssl/tc3_request\n%s" % (ts, date, sha256hex(canon))
    k = ("TC3" + secret_key).encode()
    for part in (date, "ssl", "tc3_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return ("TC3-HMAC-SHA256 Credential=%s/%s/ssl/tc3_request, "
            "SignedHeaders=content-type;host, Signature=%s" % (secret_id, date, sig))


class Client:
    def __init__(self, mock, context=None):
        self.mock = mock
        if context is not None:
            self.conn = http.client.HTTPSConnection("127.0.0.1", mock.port, timeout=20,
                                                    context=context)
        else:
            self.conn = http.client.HTTPConnection("127.0.0.1", mock.port, timeout=20)

    def call(self, params=None, key=SECRET_KEY, sid=SECRET_ID, ts=None, headers=None,
             raw_body=None):
        body = raw_body if raw_body is not None else json.dumps(
            params or {}, ensure_ascii=False, separators=(",", ":")).encode()
        ts = int(time.time()) if ts is None else ts
        h = {"Host": self.mock.host, "Content-Type": "application/json",
             "X-TC-Action": "DescribeCertificates", "X-TC-Version": "2019-12-05",
             "X-TC-Timestamp": str(ts), "Authorization": sign(sid, key, self.mock.host, body, ts)}
        h.update(headers or {})
        self.conn.request("POST", "/", body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        self.status, self.headers, self.raw = r.status, r.headers, data
        if r.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        self.data = data
        try:
            return json.loads(data)["Response"]
        except (ValueError, KeyError, TypeError):
            return None

    def close(self):
        self.conn.close()


def ids(resp):
    return [c["CertificateId"] for c in (resp or {}).get("Certificates") or []]


def list_all(client, limit, extra=None):
    seen, offset, total, pages = [], 0, None, 0
    while True:
        r = client.call(dict(extra or {}, Offset=offset, Limit=limit))
        pages += 1
        total = r["TotalCount"]
        seen += ids(r)
        offset += limit
        if offset >= total or pages > 10000:
            return seen, total, pages


def _bj_epoch(s):
    """Beijing-time "YYYY-MM-DD HH:MM:SS" to epoch seconds."""
    return calendar.timegm(time.strptime(s, "%Y-%m-%d %H:%M:%S")) - 8 * 3600


@case
def sdk_vectors(t):
    """The verifier against the official SDK's vectors."""
    with open(os.path.join(DATA, "tc3_vectors.json"), encoding="utf-8") as f:
        vectors = json.load(f)["vectors"]
    t.ok(len(vectors) >= 5, "tc3_vectors.json has vectors")
    for v in vectors:
        body = bytes.fromhex(v["body_hex"])
        args = (v["host"], v["content_type"], body, v["timestamp"], v["authorization"])
        t.ok(mock_api.verify_signature(v["secret_key"], *args),
             "SDK vector %s verifies" % v["name"])
        flipped = bytes([body[0] ^ 1]) + body[1:]
        t.ok(not mock_api.verify_signature(v["secret_key"], v["host"], v["content_type"], flipped,
                                           v["timestamp"], v["authorization"]),
             "%s: one bit off in the body fails" % v["name"])
        key = v["secret_key"]
        badkey = key[:-1] + chr(ord(key[-1]) ^ 1)
        t.ok(not mock_api.verify_signature(badkey, *args), "%s: one bit off in the key fails" %
             v["name"])
    v0 = vectors[0]
    t.ok(not mock_api.verify_signature(v0["secret_key"], v0["host"], v0["content_type"],
                                       bytes.fromhex(v0["body_hex"]), v0["timestamp"] + 86400,
                                       v0["authorization"]),
         "a timestamp on another UTC date fails")


def sample_listing(t, m, c):
    """Listing the sample account with a client written here."""
    r = c.call({})
    t.is_(c.status, 200, "signed request: HTTP 200")
    t.is_(r and r.get("TotalCount"), 20, "sample account: TotalCount 20")
    t.is_(len(ids(r)), 10, "default Limit is 10")
    t.like(r and r.get("RequestId"), UUID_RE, "RequestId is a uuid")
    t.is_(c.headers.get("Content-Length"), str(len(c.raw)), "Content-Length matches the body")
    seen, total, pages = list_all(c, 7)
    t.is_((len(seen), len(set(seen)), total, pages), (20, 20, 20, 3),
          "Limit 7: 3 pages cover 20 distinct certificates")
    r = c.call({"Offset": 0, "Limit": 1000})
    certs = r["Certificates"]
    byid = {x["CertificateId"]: x for x in certs}
    t.is_(sorted(len(i) for i in byid), [8] * 20, "ids are 8 characters")
    t.is_(byid["CritL005"]["CertEndTime"], time.strftime(
        "%Y-%m-%d %H:%M:%S", time.gmtime(NOW + 5 * 86400 + 3600 + 8 * 3600)),
        "CertEndTime is Beijing time, now + 5 d + 1 h")
    states = {}
    for x in certs:
        if x["Status"] in (1, 3) and not x["IsIgnore"] and \
                not (x.get("CertificateExtra") or {}).get("ReplacedBy"):
            days = (_bj_epoch(x["CertEndTime"]) - NOW) // 86400
            s = "CRITICAL" if days < 7 else "WARNING" if days < 30 else "OK"
            states[x["CertificateId"]] = (s, days)
    count = {k: sum(1 for v in states.values() if v[0] == k) for k in ("CRITICAL", "WARNING", "OK")}
    t.is_((len(states), count), (15, {"CRITICAL": 2, "WARNING": 2, "OK": 11}),
          "documented default outcome: 15 selected, 2 critical, 2 warning, 11 ok")
    t.is_((states["Expd0002"], states["CritL005"], states["WarnP012"], states["WarnS020"],
           states["OkBlg045"]),
          (("CRITICAL", -2), ("CRITICAL", 5), ("WARNING", 12), ("WARNING", 20), ("OK", 45)),
          "days left of the documented certificates")
    t.is_(byid["WarnP012"]["Alias"], "支付网关 / pay \U0001f512", "hand-written alias decodes")
    t.ok(b'"\\u652f\\u4ed8\xe7\xbd\x91' in c.raw and b"\\ud83d\\udd12" in c.raw,
         "raw bytes mix \\u escapes, raw UTF-8 and a surrogate pair")
    t.ok(b"\\u6d4b\\u8bd5.example.com" in c.raw, "OkZh0180's domain is served \\u-escaped")
    t.ok("测试站点".encode() not in c.raw and "官网".encode() in c.raw,
         "escaped and raw UTF-8 aliases both present")
    t.is_([byid["NullS250"][k] for k in ("SubjectAltName", "BoundResource", "CertificateExtra",
                                         "Tags")], [None] * 4, "NullS250 carries nulls")
    t.is_((byid["Revw0000"]["CertEndTime"], byid["Revw0000"]["Status"]), ("", 0),
          "reviewing certificate has empty times")
    t.is_(byid["Repl0004"]["CertificateExtra"]["ReplacedBy"], "NewR0365", "replaced certificate")
    t.is_(byid["Expd0002"]["BoundResource"], ["clb", "cdn"], "expired one bound to clb, cdn")
    t.is_(byid["OkShp120"]["ProjectId"], "1001", "ProjectId is a string")
    conns = {e["conn"] for e in m.log_entries()}
    t.is_(len(conns), 1, "http.client's requests all reused one connection (keep-alive)")


def sample_filters(t, c):
    """The API's filters as the mock applies them."""
    def fids(params):
        return ids(c.call(dict(params, Limit=1000)))
    t.is_(fids({"CertificateStatus": [0, 4]}), ["Revw0000", "Pend0000"], "CertificateStatus")
    t.is_(fids({"CertificateStatus": [3]}), ["Expd0002"], "CertificateStatus 3")
    t.is_(fids({"SearchKey": "example.org"}), ["OkWld365"], "SearchKey on Domain")
    t.is_(fids({"SearchKey": "测试"}), ["OkZh0180"], "SearchKey with UTF-8 (alias/domain)")
    t.is_(fids({"SearchKey": "warnp"}), ["WarnP012"], "SearchKey on the id, any case")
    t.is_(fids({"FilterExpiring": 1}),
          ["WarnS020", "WarnP012", "CritL005", "Ignr0003", "Repl0004"], "FilterExpiring")
    r = c.call({"Tags": [{"TagKey": "env", "TagValue": "prod"}]})
    t.is_((r["TotalCount"], ids(r)), (3, ["OkWww060", "OkApi090", "CritL005"]),
          "Tags env=prod (TotalCount after filtering)")
    t.is_(fids({"Tags": [{"TagKey": "env", "TagValue": "prod"},
                         {"TagKey": "team", "TagValue": "core"}]}), ["OkApi090"],
          "two Tags must both match")
    asc = fids({"ExpirationSort": "ASC"})
    desc = fids({"ExpirationSort": "DESC"})
    t.is_(asc[:4], ["Expd0002", "Ignr0003", "Repl0004", "CritL005"], "ExpirationSort ASC")
    t.is_(desc[:2], ["OkMal400", "OkWld365"], "ExpirationSort DESC")
    t.is_(sorted(asc[-2:]) == sorted(desc[-2:]) == ["Pend0000", "Revw0000"], True,
          "no end time sorts last both ways")
    t.is_(fids({"CertificateType": "CA"}), ["OkCAc300"], "CertificateType CA")
    t.is_(fids({"ProjectId": 1001}), ["OkShp120", "WarnS020"], "ProjectId")
    t.is_(fids({"FilterSource": "upload"}), ["OkApi090", "OkCAc300", "NullS250"],
          "FilterSource upload")
    t.is_(fids({"Upload": 1}), fids({"FilterSource": "upload"}), "Upload 1 = FilterSource upload")
    t.is_(len(fids({"FilterSource": "buy"})), 17, "FilterSource buy")
    t.is_(fids({"IsSM": 1}), ["OkMal400"], "IsSM")
    t.is_(fids({"Hostable": 1}), ["OkWww060", "OkApi090", "CritL005"], "Hostable")
    t.is_(fids({"IsPendingIssue": 1}), ["Revw0000", "Pend0000"], "IsPendingIssue")
    t.is_(fids({"Deployable": 0}), ["Expd0002", "Revw0000", "Pend0000", "Cncl0150"],
          "Deployable 0")
    t.is_(fids({"Renew": 1}), ["OkBlg045", "WarnS020", "CritL005", "Expd0002"], "Renew")
    t.is_(c.call({"Limit": 5000})["Certificates"].__len__(), 20, "Limit > 1000 is accepted")


def sample_errors(t, c):
    """The API's error replies."""
    def err(params=None, **kw):
        r = c.call(params, **kw)
        return c.status, (r or {}).get("Error", {}).get("Code")
    r = c.call({}, key=SECRET_KEY[:-1] + "X")
    t.is_((c.status, sorted(r), sorted(r["Error"])), (200, ["Error", "RequestId"],
                                                       ["Code", "Message"]),
          "wrong key: HTTP 200 with the real error shape")
    t.is_(r["Error"]["Code"], "AuthFailure.SignatureFailure", "wrong key: SignatureFailure")
    t.like(r["RequestId"], UUID_RE, "error has a RequestId")
    t.is_(err({}, ts=int(time.time()) - 400), (200, "AuthFailure.SignatureExpire"),
          "stale timestamp: SignatureExpire")
    t.is_(err({}, ts=int(time.time()) + 400), (200, "AuthFailure.SignatureExpire"),
          "future timestamp: SignatureExpire")
    t.is_(err({}, sid="AKIDother"), (200, "AuthFailure.SecretIdNotFound"), "unknown SecretId")
    t.is_(err({}, headers={"Content-Type": "application/json; charset=utf-8"}),
          (200, "InvalidParameter"), "Content-Type must be exactly application/json")
    t.is_(err({}, headers={"X-TC-Version": "2017-03-12"}), (200, "NoSuchVersion"), "version")
    t.is_(err({}, headers={"X-TC-Action": "DescribeFoo"}), (200, "InvalidAction"), "action")
    t.is_(err(raw_body=b"{not json"), (200, "InvalidParameter"), "bad JSON")
    t.is_(err({"Limit": "10"}), (200, "InvalidParameter"), "Limit as a string")
    t.is_(err({"CertificateStatus": 1}), (200, "InvalidParameter"), "status not an array")
    t.is_(err({"Limit": 0}), (200, "InvalidParameterValue"), "Limit 0")
    t.is_(err({"ExpirationSort": "UP"}), (200, "InvalidParameterValue"), "bad ExpirationSort")
    t.is_(err({"Bogus": 1}), (200, "UnknownParameter"), "unknown parameter")
    r = c.call({}, headers={"Host": "ssl.tencentcloudapi.com"})
    t.is_(r["Error"]["Code"], "AuthFailure.SignatureFailure",
          "signature covers the Host received")


def sample_log(t, m):
    """The mock's request log."""
    log_text = open(m.log_path, encoding="utf-8").read()
    entries = m.log_entries()
    t.ok(SECRET_KEY not in log_text and "Signature=" not in log_text,
         "the log holds no key and no Authorization value")
    e = entries[0]
    t.ok(all(k in e for k in ("time", "conn", "peer_port", "headers", "body", "status",
                              "error")), "log entries carry the documented fields", e)
    t.is_(e["headers"].get("authorization"), "<redacted>", "Authorization is redacted")
    t.is_(m.stderr_text(), "", "nothing on the mock's stderr")


@case
def sample_account(t):
    """The sample account as documented: listing, filters, errors, the request log."""
    with Mock("--account", "sample", "--now", NOW) as m:
        t.like(m.stdout_text(), r"^mock listening on http://127\.0\.0\.1:%d\n$" % m.port,
               "the mock prints one line on start")
        c = Client(m)
        sample_listing(t, m, c)
        sample_filters(t, c)
        sample_errors(t, c)
        c.close()
        sample_log(t, m)


@case
def token_and_gzip(t):
    """--token and --gzip."""
    with Mock("--token", "sts-TOKEN", "--gzip", "--now", NOW) as m:
        c = Client(m)
        r = c.call({})
        t.is_(r["Error"]["Code"], "AuthFailure.TokenFailure", "--token: missing X-TC-Token fails")
        r = c.call({}, headers={"X-TC-Token": "sts-TOKEN"})
        t.is_(r.get("TotalCount"), 20, "--token: the right token passes")
        t.ok(c.headers.get("Content-Encoding") is None, "no gzip unless asked for")
        r = c.call({"Limit": 100}, headers={"X-TC-Token": "sts-TOKEN", "Accept-Encoding": "gzip"})
        t.is_((c.headers.get("Content-Encoding"), len(ids(r))), ("gzip", 20),
              "--gzip: gzip-encoded when offered")
        t.is_(int(c.headers["Content-Length"]), len(c.raw),
              "gzip Content-Length is the encoded size")
        c.close()
        t.ok("sts-TOKEN" not in open(m.log_path).read(), "the token is not logged")


@case
def gen_account(t):
    """A gen: account lists every id once, in agreement with gen_counts."""
    with Mock("--account", "gen:2500:42", "--now", NOW) as m:
        c = Client(m)
        seen, total, pages = list_all(c, 1000)
        t.is_((total, pages, len(seen), len(set(seen))), (2500, 3, 2500, 2500),
              "gen:2500 Limit 1000: every id once")
        seen7, total, pages = list_all(c, 7)
        t.is_((pages, len(seen7), set(seen7) == set(seen)), (358, 2500, True),
              "gen:2500 Limit 7: every id once, same ids")
        t.ok(all(re.fullmatch(r"[0-9A-Za-z]{8}", i) for i in seen), "gen ids are 8 alphanumerics")
        r = c.call({"Limit": 1000, "CertificateStatus": [3]})
        want = mock_api.gen_counts(2500, 42)
        t.is_(r["TotalCount"], want["expired"], "gen: expired count matches gen_counts")
        r2 = c.call({"Limit": 1000, "FilterExpiring": 1})
        t.is_(r2["TotalCount"], want["warning"] + want["critical"], "gen: expiring = warn + crit")
        t.ok(0 < want["expired"] and 0 < want["critical"] and 0 < want["warning"] <
             want["ok"], "gen: a sprinkling of each state", want)
        c.close()


@case
def gen_100000(t):
    with Mock("--account", "gen:100000", "--now", NOW) as m:
        c = Client(m)
        c.call({"Limit": 1000})
        t0 = time.monotonic()
        r = c.call({"Offset": 50000, "Limit": 1000})
        dt = time.monotonic() - t0
        t.is_((r["TotalCount"], len(ids(r))), (100000, 1000), "gen:100000 serves a page of 1000")
        t.ok(dt < 0.5, "... quickly (%.0f ms)" % (dt * 1000))
        c.close()


@case
def fault_502_null_certs(t):
    """Faults: one mock each, its requests numbered from 1."""
    with Mock("--fault", "http:502x1", "--fault", "null-certs@3", "--now", NOW) as m:
        c = Client(m)
        c.call({})
        t.is_((c.status, c.headers.get("Content-Type"), b"502" in c.raw), (502, "text/html", True),
              "http:502x1: first request gets 502 HTML")
        r = c.call({})
        t.is_((c.status, r["TotalCount"]), (200, 20), "http:502x1: second request succeeds")
        r = c.call({})
        t.is_((r["TotalCount"], r["Certificates"]), (20, None), "null-certs@3: Certificates null")
        t.is_(ids(c.call({})), ids(c.call({})), "later requests are normal")
        c.close()


@case
def fault_short_page(t):
    with Mock("--fault", "short-page", "--fault", "missing-certs@4", "--now", NOW) as m:
        c = Client(m)
        a, b, d = c.call({"Limit": 5}), c.call({"Offset": 5, "Limit": 5}), c.call(
            {"Offset": 10, "Limit": 5})
        t.is_((len(ids(a)), len(ids(b)), b["TotalCount"], len(ids(d))), (5, 4, 20, 5),
              "short-page: the second page has Limit-1, TotalCount unchanged")
        r = c.call({"Limit": 5})
        t.is_(("Certificates" in r, r.get("TotalCount")), (False, 20), "missing-certs@4")
        c.close()


@case
def fault_dup_id_totals(t):
    with Mock("--fault", "dup-id", "--fault", "total-changes", "--fault", "null-total@1",
              "--now", NOW) as m:
        c = Client(m)
        a, b = c.call({"Limit": 5}), c.call({"Offset": 5, "Limit": 5})
        t.is_((a["TotalCount"], b["TotalCount"]), (None, 21), "null-total@1, total-changes")
        t.is_(ids(b)[0], ids(a)[0], "dup-id: second page repeats the first id")
        c.close()


@case
def fault_errors_and_cuts(t):
    with Mock("--fault", "throttle@1", "--fault", "error:FailedOperation.Foo@2", "--fault",
              "empty200@3", "--fault", "cut@4", "--fault", "reset@5", "--now", NOW) as m:
        c = Client(m)
        t.is_(c.call({})["Error"]["Code"], "RequestLimitExceeded", "throttle@1")
        t.is_(c.call({})["Error"]["Code"], "FailedOperation.Foo", "error:CODE@2")
        c.call({})
        t.is_((c.status, c.raw, c.headers.get("Content-Length")), (200, b"", "0"), "empty200@3")
        try:
            c.call({})
            t.ok(False, "cut@4: the body is cut short")
        except http.client.IncompleteRead as e:
            t.ok(len(e.partial) > 0 and (e.expected or 0) > 0, "cut@4: the body is cut short",
                 "partial %d, expected %r more" % (len(e.partial), e.expected))
        c.close()
        c = Client(m)
        try:
            c.call({})
            t.ok(False, "reset@5: no reply")
        except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
            t.ok(True, "reset@5: no reply")
        c.close()
        c = Client(m)
        t.is_(c.call({}).get("TotalCount"), 20, "request 6 is normal")
        c.close()
        t.is_(m.stderr_text(), "", "faults leave nothing on the mock's stderr")


@case
def fault_huge(t):
    with Mock("--fault", "huge", "--now", NOW) as m:
        c = Client(m)
        body = b"{}"
        ts = int(time.time())
        c.conn.request("POST", "/", body=body, headers={
            "Host": m.host, "Content-Type": "application/json",
            "X-TC-Action": "DescribeCertificates", "X-TC-Version": "2019-12-05",
            "X-TC-Timestamp": str(ts), "Authorization": sign(SECRET_ID, SECRET_KEY, m.host, body,
                                                             ts)})
        resp = c.conn.getresponse()
        n = int(resp.headers["Content-Length"])
        head = resp.read(200)
        t.ok(65 << 20 < n < 80 << 20 and head.startswith(b'{"Response":{"TotalCount":'),
             "huge: about 70 MiB of JSON (%d bytes)" % n)
        c.close()


@case
def https(t):
    """HTTPS with the generated CA."""
    with Mock("--now", NOW, tls=True) as m:
        t.like(m.url, r"^https://127\.0\.0\.1:\d+$", "TLS mock has an https URL")
        t.ok(os.path.exists(m.ca), "ca.pem was generated")
        ctx = ssl.create_default_context(cafile=m.ca)
        c = Client(m, context=ctx)
        r = c.call({"Limit": 3})
        t.is_((r["TotalCount"], len(ids(r))), (20, 3), "HTTPS with the generated CA works")
        c.close()
        try:
            c2 = Client(m, context=ssl.create_default_context())
            c2.call({})
            t.ok(False, "the system store does not trust the mock CA")
        except ssl.SSLError:
            t.ok(True, "the system store does not trust the mock CA")


@case
def concurrency(t):
    """Concurrency, --delay, a JSON account."""
    with Mock("--delay", "0.5", "--account", os.path.join(DATA, "accounts", "odd_dates.json"),
              "--now", NOW) as m:
        results = []

        def one():
            cl = Client(m)
            results.append(cl.call({"Limit": 100}))
            cl.close()
        t0 = time.monotonic()
        threads = [threading.Thread(target=one) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        dt = time.monotonic() - t0
        t.is_([r and r.get("TotalCount") for r in results], [10] * 4, "JSON account file served")
        t.ok(0.5 <= dt < 1.5, "4 parallel requests with --delay 0.5 are served concurrently "
             "(%.2f s)" % dt)
        entries = m.log_entries()
        starts = sorted(e["time"] for e in entries)
        t.ok(len(entries) == 4 and starts[-1] - starts[0] < 0.4 and
             len({e["conn"] for e in entries}) == 4, "log: 4 connections, start times together")


@case
def latency(t):
    """--latency: a page is answered that long after its request, the making included."""
    with Mock("--latency", "0.4", "--account", "gen:3000", "--now", NOW) as m:
        cl = Client(m)
        times = []
        for limit in (1, 1000):
            t0 = time.monotonic()
            r = cl.call({"Limit": limit})
            times.append(time.monotonic() - t0)
            t.is_(len((r or {}).get("Certificates") or []), limit,
                  "--latency 0.4: a page of %d served" % limit)
        cl.close()
        t.ok(all(0.4 <= x < 0.4 + 0.25 for x in times),
             "--latency 0.4: each page answered 0.4 s after its request (%s s)"
             % ", ".join("%.3f" % x for x in times))


@case
def tap_helpers(t):
    """The helpers of tap.py themselves."""
    import tap  # noqa: E402
    saved = tap.PLUGIN
    tap.PLUGIN = "/usr/bin/env"
    os.environ["TENCENTCLOUD_SESSION_TOKEN"] = "from-outside"
    code, out, err = tap.run_plugin([])
    env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    t.is_((code, env.get("TENCENTCLOUD_SECRET_ID"), env.get("TENCENTCLOUD_SECRET_KEY")),
          (0, SECRET_ID, SECRET_KEY), "run_plugin passes the mock's credentials")
    t.ok("TENCENTCLOUD_SESSION_TOKEN" not in env, "run_plugin drops TENCENTCLOUD_* from outside")
    t.ok(env.get("HOME", "").startswith(tempfile.gettempdir()) and os.path.isdir(env["HOME"]) and
         not os.listdir(env["HOME"]), "run_plugin sets HOME to an empty temp dir")
    code, out, err = tap.run_plugin([], env={"TENCENTCLOUD_SECRET_KEY": None, "X_TEST": "1"})
    t.ok("TENCENTCLOUD_SECRET_KEY=" not in out and "X_TEST=1" in out,
         "run_plugin env: None removes, a value sets")
    tap.PLUGIN = "/bin/sleep"
    code, out, err = tap.run_plugin(["5"], timeout=0.5)
    t.is_(code, None, "run_plugin: a timeout kills and returns None")
    tap.PLUGIN = "/bin/true"
    rss = tap.peak_rss_kib([])
    t.ok(isinstance(rss, int) and 0 < rss < 100000, "peak_rss_kib measures (%s KiB)" % rss)
    tap.PLUGIN = saved


if __name__ == "__main__":
    run_cases()
