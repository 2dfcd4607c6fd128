#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
r"""A mock of Tencent Cloud's SSL API action DescribeCertificates (2019-12-05), for the
integration tests and the README demo. Python 3 standard library only.

It verifies every request the way the service does (TC3-HMAC-SHA256, own code, nothing
imported from the C side), serves an account of certificates with the API's filters and
paging, and can misbehave on demand (--fault). Run with --help for the options.

Dates of "sample" and "gen:" accounts are relative to --now (default: the real clock at
start). A certificate said to have "D days left" ends at now + D*86400 + 3600 s, so
floor((CertEndTime - now) / 86400) == D exactly, and an hour of clock drift changes nothing;
"expired 2 days ago" means D = -2 (it ended 47 h ago). Times are served as
"YYYY-MM-DD HH:MM:SS" in Beijing time (UTC+08:00), like the API.

The "sample" account: 20 certificates, in this order. "state" is what the plugin should give
with its defaults (-w 30 -c 7, Status 1|3 only, ignored and replaced ones left out):

  id        Domain               days  Status       state          notes
  OkWww060  www.example.com        60  1 issued     OK             SANs www + apex, bound clb,
                                                                   Tags env=prod, HostingStatus 1
  OkApi090  api.example.com        90  1            OK             From upload, bound cdn, Tags
                                                                   env=prod + team=core,
                                                                   HostingStatus 0
  OkShp120  shop.example.com      120  1            OK             ProjectId "1001", env=staging
  OkCdn200  static.example.cn     200  1            OK             bound cdn, waf
  OkWld365  *.example.org         365  1            OK             wildcard, 4 SANs
  OkMal400  mail.example.com      400  1            OK             IsSM true (SM2)
  OkZh0180  测试.example.com      180  1            OK             alias 测试站点; the whole
                                                                   object uses \uXXXX escapes
  OkCAc300  client.example.com    300  1            OK             CertificateType CA, upload
  OkBlg045  blog.example.com       45  1            OK (soonest)   90-day cert, RenewAble
  WarnS020  shop.example.net       20  1            WARNING        ProjectId "1001", RenewAble
  WarnP012  pay.example.com        12  1            WARNING        alias "支付网关 / pay 🔒" in a
                                                                   hand-written object (raw
                                                                   UTF-8 next to \u escapes, a
                                                                   surrogate pair, "\/",
                                                                   whitespace); Tags team=pay
  CritL005  login.example.com       5  1            CRITICAL       RenewAble, HostingStatus 0,
                                                                   Tags env=prod + team=pay
  Expd0002  old.example.com        -2  3 expired    CRITICAL       bound clb, cdn
  Ignr0003  legacy.example.com      3  1            -              IsIgnore true
                                                                   (CRITICAL: --include-ignored)
  Repl0004  app.example.com         4  1            -              ReplacedBy NewR0365
                                                                   (CRITICAL: --include-replaced)
  NewR0365  app.example.com       365  1            OK             ReplacedFor Repl0004
  Revw0000  review.example.com      -  0 reviewing  -              empty begin/end times
                                                                   (UNKNOWN: --all-statuses)
  Pend0000  pending.example.com     -  4 DNS added  -              empty begin/end times
                                                                   (UNKNOWN: --all-statuses)
  NullS250  nulls.example.com     250  1            OK             From upload; SubjectAltName,
                                                                   BoundResource, Tags,
                                                                   CertificateExtra all null
  Cncl0150  cancel.example.com    150  7 cancelled  -              (OK: --all-statuses)

IsExpiring is true for the 5 that end within 30 days and have not ended: WarnS020,
WarnP012, CritL005, Ignr0003, Repl0004.

So with the defaults: 20 listed, 15 selected: 2 critical, 2 warning, 11 ok, min_days_left=-2:
  TENCENTCLOUD_SSL CRITICAL - 2 critical, 2 warning, 11 ok of 15 certificates: old.example.com
  (id Expd0002) expired 2 d ago, login.example.com (id CritL005) expires in 5 d,
  pay.example.com (id WarnP012) expires in 12 d, shop.example.net (id WarnS020) expires in 20 d
Validity periods (for % thresholds): 90 days for OkBlg045, WarnS020, CritL005; 730 for
OkMal400, OkCAc300; 396 for OkWld365; 366 for NewR0365; 365 for the rest with times.
Deployable is true for Status 1 and false otherwise (Expd0002, Revw0000, Pend0000,
Cncl0150).

Filter semantics (server side, on the account above):
  SearchKey        case-insensitive substring of CertificateId, Alias or Domain
  CertificateType  equals CertificateType ("CA" | "SVR")
  ProjectId        equals the certificate's ProjectId (a string in responses)
  CertificateStatus  Status is one of the array (an empty array filters nothing)
  Deployable       0|1 against the boolean Deployable
  Upload, FilterSource=upload   From == "upload"; FilterSource=buy: From != "upload"
                   (certificates here have From "upload" or "buy")
  Renew            1: RenewAble true          IsSM 1: IsSM true
  Hostable         1: HostingStatus is not null (OkWww060, OkApi090, CritL005 in the sample);
                   0: HostingStatus is null
  Tags             every given {TagKey, TagValue} pair is among the certificate's Tags
  IsPendingIssue   1: Status 0 or 4          FilterExpiring 1: IsExpiring true (ends within
                   30 days, not yet ended: WarnS020, WarnP012, CritL005, Ignr0003, Repl0004)
  ExpirationSort   ASC|DESC by CertEndTime; certificates without one come last either way
  Flags given as 0 (Upload, Renew, IsSM, IsPendingIssue, FilterExpiring) filter nothing.
Without ExpirationSort the account order above is kept.

"gen:N[:SEED]" (SEED default 1): N synthetic certificates, deterministic for (N, SEED, --now),
unique 8-character CertificateIds, Status 1 except the expired ones (Status 3), none ignored
or replaced, so all are selected by default. Per certificate, by a hash of (SEED, index):
0.6 % expired 1..60 days ago, 1 % with 1..6 days left (CRITICAL), 2.4 % with 8..28 days left
(WARNING), the rest 31..730 days left (OK). gen_counts(N, SEED) returns the exact numbers.

Faults (--fault SPEC, repeatable; SPEC@K = only the K-th request, SPECxN = the first N
requests, no suffix = every request; requests are numbered from 1 in arrival order):
  reset, hang, http:CODE, html200, empty200     answered instead of any verification
  throttle, ratelimit, internal, error:CODE     API errors, after a request passed verification
  total-changes  TotalCount = real + (request number - 1): grows by 1 with every request
  dup-id         the page at Offset == Limit has its first CertificateId replaced by the
                 first CertificateId of the listing (the page at Offset 0)
  dup-id-escaped as dup-id, with the repeated CertificateId's first letter written as \\u00XX
  short-page     the page at Offset == Limit lacks its last certificate; TotalCount unchanged
  extra-cert     every page but the last carries one certificate more than Limit
  echo-auth      an InternalError whose Message echoes the Authorization and X-TC-Token
                 headers (a gateway that leaks the request into its error)
  null-total, null-certs, missing-certs   as named, on a successful listing
  huge           a 200 reply of about 70 MiB (a giant Certificates array), streamed, never
                 compressed
  cut            the Content-Length of the full body, half the body, then the connection closes
  long           a Content-Length of half the body, the full body, then the connection closes
  trickle        the body at one byte per second
  overlong       a Content-Length of half the body, the full body, no "Connection: close",
                 then the connection closes (the surplus is left for a client that reuses it)
  overlong-open  as overlong, but the connection stays open for the next request
  trailing       the right Content-Length and body, then junk bytes; the connection stays open
  halfjson       a well-framed 200 (Content-Length matches) of the first half of the body
  bighead        a response header line of 1 MiB
  echo-sig       an InternalError whose Message echoes the request's signature as
                 "sig <hex>" and "SIGNATURE=<HEX>"
  echo-cut       an InternalError whose Message is 371 bytes of padding, then the
                 X-TC-Token (the plugin keeps 383 bytes of a Message: the token is cut)
Faults combine: e.g. null-total with short-page.

STS AssumeRole (X-TC-Action AssumeRole, version 2018-08-13, region ap-guangzhou, service sts):
verified on its own with the base credentials --sts-secret-id/--sts-secret-key/--sts-token
(default: --secret-id/--secret-key/--token); RoleArn must be one of --role-arn (repeatable),
else ResourceNotFound.RoleNotExist. Every answer hands out fresh temporary credentials, and once
any were handed out, the listing accepts only those (each with its own token). Request numbers
and faults count STS requests like any other; the log's "auth_id" is the SecretId that signed.
"""

import argparse
import contextlib
import fcntl
import gzip
import hashlib
import hmac
import json
import os
import re
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tap import on_stop_signals, write_port_file

DEFAULT_SECRET_ID = "AKIDmockEXAMPLE0000000000000000000000"
DEFAULT_SECRET_KEY = "mockSecretKeyEXAMPLE000000000000"
DEFAULT_ROLE_ARN = "qcs::cam::uin/100012345678:roleName/ssl-monitor"
STS_ACTION = "AssumeRole"
STS_VERSION = "2018-08-13"
STS_REGION = "ap-guangzhou"
ACTION = "DescribeCertificates"
VERSION = "2019-12-05"
SERVICE = "ssl"
MAX_SKEW = 300
MAX_BODY = 1 << 20
BEIJING = 8 * 3600
DAY = 86400

# ---------------------------------------------------------------------------------------
# TC3-HMAC-SHA256 verification (independent of the C code)

AUTH_RE = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/\s,]+)/(?P<date>\d{4}-\d{2}-\d{2})/"
    r"(?P<service>[a-z0-9-]+)/(?P<term>[a-z0-9_]+), SignedHeaders=(?P<signed>[a-z0-9;-]+), "
    r"Signature=(?P<sig>[0-9a-f]{64})$")


def parse_authorization(value):
    """The parts of a TC3 Authorization header as a dict, or None when malformed."""
    m = AUTH_RE.match(value or "")
    return m.groupdict() if m else None


def utc_date(timestamp):
    return time.strftime("%Y-%m-%d", time.gmtime(int(timestamp)))


def _hmac(key, msg):
    return hmac.new(key, msg.encode() if isinstance(msg, str) else msg, hashlib.sha256).digest()


def tc3_signature(secret_key, date, service, timestamp, canonical_request):
    string_to_sign = "TC3-HMAC-SHA256\n%d\n%s/%s/tc3_request\n%s" % (
        int(timestamp), date, service, hashlib.sha256(canonical_request.encode()).hexdigest())
    k = _hmac(("TC3" + secret_key).encode(), date)
    k = _hmac(k, service)
    k = _hmac(k, "tc3_request")
    return hmac.new(k, string_to_sign.encode(), hashlib.sha256).hexdigest()


def canonical_request(signed_headers, header_values, body_bytes):
    """signed_headers: list of lowercase names; header_values: lowercase name -> value.
    content-type and host are used as received (as the SDKs sign them); other headers are
    lowercased (as the documentation's example does). None when a signed header is absent."""
    lines = []
    for name in signed_headers:
        if name not in header_values or header_values[name] is None:
            return None
        v = header_values[name].strip()
        if name not in ("content-type", "host"):
            v = v.lower()
        lines.append("%s:%s\n" % (name, v))
    return "POST\n/\n\n%s\n%s\n%s" % ("".join(lines), ";".join(signed_headers),
                                     hashlib.sha256(body_bytes).hexdigest())


def verify_signature(secret_key, host, content_type, body_bytes, timestamp, authorization,
                     service=SERVICE, extra_headers=None):
    """True when authorization is a valid TC3-HMAC-SHA256 signature of a POST / request with
    this Host, Content-Type, body and X-TC-Timestamp made with secret_key. The credential date
    must be the UTC date of timestamp. extra_headers (name -> value) supplies the values of
    signed headers other than content-type and host."""
    a = parse_authorization(authorization)
    if a is None or a["term"] != "tc3_request" or a["service"] != service:
        return False
    if a["date"] != utc_date(timestamp):
        return False
    values = {"content-type": content_type, "host": host}
    for k, v in (extra_headers or {}).items():
        values[k.lower()] = v
    names = a["signed"].split(";")
    if "content-type" not in names or "host" not in names:
        return False
    if isinstance(body_bytes, str):
        body_bytes = body_bytes.encode()
    canon = canonical_request(names, values, body_bytes)
    if canon is None:
        return False
    want = tc3_signature(secret_key, a["date"], service, timestamp, canon)
    return hmac.compare_digest(want, a["sig"])


# ---------------------------------------------------------------------------------------
# Certificates

STATUS_NAMES = {
    0: "审核中", 1: "已通过", 2: "审核失败", 3: "已过期", 4: "已添加DNS记录",
    5: "企业证书，待提交", 6: "订单取消中", 7: "已取消", 8: "已提交资料，待上传确认函",
    9: "证书吊销中", 10: "已吊销", 11: "重颁发中", 12: "待上传吊销确认函",
    13: "免费证书待提交资料", 14: "已退款", 15: "迁移中",
}
OWNER_UIN = 100012345678


def bj(epoch):
    """Epoch seconds as the API's Beijing-time string."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + BEIJING))


def make_cert(now, cid, domain, days, validity=365, status=1, alias="", sans=None,
              source="buy", extra=None, **over):
    """A certificate with the API's full field set. days None: no begin/end times."""
    if days is None:
        begin = end = ""
        end_e = None
        insert = bj(now - 2 * DAY)
    else:
        end_e = now + days * DAY + 3600
        beg_e = end_e - validity * DAY
        begin, end = bj(beg_e), bj(end_e)
        insert = bj(beg_e - 3600)
    expiring = end_e is not None and 0 < end_e - now <= 30 * DAY
    sans = [domain] if sans is None else sans
    bought = source != "upload"
    cx = {"DomainNumber": str(len(sans)), "OriginCertificateId": "", "ReplacedBy": "",
          "ReplacedFor": "", "RenewOrder": "", "SMCert": 0, "CompanyType": 0}
    cx.update(extra or {})
    c = {
        "OwnerUin": str(OWNER_UIN),
        "ProjectId": "0",
        "From": source,
        "PackageType": "83" if bought else "",
        "CertificateType": "SVR",
        "ProductZhName": "TrustAsia 域名型免费版" if bought else "上传证书",
        "Domain": domain,
        "Alias": alias,
        "Status": status,
        "CertificateExtra": cx,
        "VulnerabilityStatus": "INACTIVE",
        "StatusMsg": "",
        "VerifyType": "DNS" if bought else "",
        "CertBeginTime": begin,
        "CertEndTime": end,
        "ValidityPeriod": str(max(1, round(validity / 30.4))) if days is not None else "3",
        "InsertTime": insert,
        "CertificateId": cid,
        "SubjectAltName": list(sans),
        "PackageTypeName": "TrustAsia C1 DV Free" if bought else "",
        "StatusName": STATUS_NAMES.get(status, ""),
        "IsVip": False,
        "IsDv": bought,
        "IsWildcard": domain.startswith("*."),
        "IsVulnerability": False,
        "RenewAble": False,
        "ProjectInfo": {"ProjectName": "默认项目", "ProjectCreatorUin": OWNER_UIN,
                        "ProjectCreateTime": "2019-01-01 00:00:00", "ProjectResume": "",
                        "OwnerUin": OWNER_UIN, "ProjectId": "0"},
        "BoundResource": [],
        "Deployable": status == 1,
        "Tags": [],
        "IsIgnore": False,
        "IsSM": False,
        "EncryptAlgorithm": "RSA 2048",
        "CAEncryptAlgorithms": ["RSA 2048"],
        "CAEndTimes": ["2029-12-31 23:59:59"],
        "CACommonNames": ["TrustAsia RSA DV TLS CA G2"],
        "PreAuditInfo": None,
        "AutoRenewFlag": 0,
        "HostingStatus": None,
        "HostingCompleteTime": None,
        "HostingRenewCertId": None,
        "HasRenewOrder": "",
        "ReplaceOriCertIsDelete": False,
        "IsExpiring": expiring,
        "DVAuthDeadline": None,
        "ValidationPassedTime": begin,
        "CertSANs": list(sans),
        "AwaitingValidationMsg": None,
        "AllowDownload": True,
        "IsDNSPODResolve": False,
        "IsPackage": False,
        "KeyPasswordCustomFlag": False,
        "SupportDownloadType": {"NGINX": True, "APACHE": True, "TOMCAT": True, "IIS": True,
                                "JKS": True, "OTHER": True, "ROOT": True},
    }
    for k, v in over.items():
        c[k] = v
    return c


def _compact(obj, ascii_only=False):
    return json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":")).encode()


def _hand_written(c):
    """WarnP012's JSON text, written by hand: keys reordered, whitespace, raw UTF-8 next to
    \\u escapes, a surrogate pair and an escaped solidus."""
    head = ('{\n  "CertificateId" : "WarnP012",\n'
            '  "Domain":"pay.example.com",\t'
            '"Alias": "\\u652f\\u4ed8网关 \\/ pay \\ud83d\\udd12",\n'
            '  "Status": 1, "StatusName": "已通过",\n'
            '  "CertBeginTime": "%s", "CertEndTime": "%s",\n'
            '  "SubjectAltName": [ "pay.example.com" , "pay-api.example.com" ],\n'
            '  "Tags": [ { "TagKey": "team", "TagValue": "pay" } ]' % (
                c["CertBeginTime"], c["CertEndTime"]))
    skip = {"CertificateId", "Domain", "Alias", "Status", "StatusName", "CertBeginTime",
            "CertEndTime", "SubjectAltName", "Tags"}
    rest = ",\n  ".join("%s: %s" % (json.dumps(k), json.dumps(v, ensure_ascii=False))
                        for k, v in c.items() if k not in skip)
    return (head + ",\n  " + rest + "\n}").encode()


def sample_account(now):
    """[(dict, serialized bytes)] for the demo account documented at the top."""
    m = lambda *a, **k: make_cert(now, *a, **k)  # noqa: E731
    prod = {"TagKey": "env", "TagValue": "prod"}
    certs = [
        m("OkWww060", "www.example.com", 60, sans=["www.example.com", "example.com"],
          BoundResource=["clb"], Tags=[prod], HostingStatus=1, alias="官网"),
        m("OkApi090", "api.example.com", 90, source="upload", BoundResource=["cdn"],
          Tags=[prod, {"TagKey": "team", "TagValue": "core"}], HostingStatus=0),
        m("OkShp120", "shop.example.com", 120, ProjectId="1001",
          Tags=[{"TagKey": "env", "TagValue": "staging"}]),
        m("OkCdn200", "static.example.cn", 200, BoundResource=["cdn", "waf"]),
        m("OkWld365", "*.example.org", 365, validity=396,
          sans=["*.example.org", "example.org", "*.api.example.org", "*.cdn.example.org"]),
        m("OkMal400", "mail.example.com", 400, validity=730, IsSM=True, EncryptAlgorithm="SM2",
          CAEncryptAlgorithms=["SM2"], extra={"SMCert": 1}),
        m("OkZh0180", "测试.example.com", 180, alias="测试站点"),
        m("OkCAc300", "client.example.com", 300, validity=730, source="upload",
          CertificateType="CA"),
        m("OkBlg045", "blog.example.com", 45, validity=90, RenewAble=True),
        m("WarnS020", "shop.example.net", 20, validity=90, ProjectId="1001", RenewAble=True),
        m("WarnP012", "pay.example.com", 12, sans=["pay.example.com", "pay-api.example.com"],
          alias="支付网关 / pay \U0001f512", Tags=[{"TagKey": "team", "TagValue": "pay"}]),
        m("CritL005", "login.example.com", 5, validity=90, RenewAble=True, HostingStatus=0,
          Tags=[prod, {"TagKey": "team", "TagValue": "pay"}]),
        m("Expd0002", "old.example.com", -2, status=3, BoundResource=["clb", "cdn"],
          RenewAble=True),
        m("Ignr0003", "legacy.example.com", 3, IsIgnore=True),
        m("Repl0004", "app.example.com", 4, extra={"ReplacedBy": "NewR0365"},
          HasRenewOrder="NewR0365"),
        m("NewR0365", "app.example.com", 365, validity=366,
          extra={"ReplacedFor": "Repl0004", "OriginCertificateId": "Repl0004"}),
        m("Revw0000", "review.example.com", None, status=0, AllowDownload=False),
        m("Pend0000", "pending.example.com", None, status=4, AllowDownload=False),
        m("NullS250", "nulls.example.com", 250, source="upload", SubjectAltName=None,
          BoundResource=None, CertificateExtra=None, Tags=None, CertSANs=None),
        m("Cncl0150", "cancel.example.com", 150, status=7, AllowDownload=False),
    ]
    out = []
    for c in certs:
        if c["CertificateId"] == "WarnP012":
            raw = _hand_written(c)
            parsed = json.loads(raw)
            assert parsed == c, "hand-written WarnP012 drifted from its dict"
        else:
            raw = _compact(c, ascii_only=c["CertificateId"] == "OkZh0180")
        out.append((c, raw))
    return out


# ---- gen:N[:SEED] -----------------------------------------------------------------------

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ID_SPACE = 62 ** 8
ID_MUL = 0x2545F4914F6CDD1D % ID_SPACE | 1  # odd and not a multiple of 31: a bijection
M64 = (1 << 64) - 1
assert ID_MUL % 31 != 0


def _mix(x):
    """splitmix64 finaliser: a cheap, well-spread hash of an integer."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def _gen_hash(seed, i):
    return _mix((_mix(seed) ^ i) & M64)


def gen_days(seed, i):
    """(days left, category) of certificate i: category ok|warning|critical|expired."""
    h = _gen_hash(seed, i)
    r = h % 1000
    v = (h >> 12) % 100000
    if r < 6:
        return -(1 + v % 60), "expired"
    if r < 16:
        return 1 + v % 6, "critical"
    if r < 40:
        return 8 + v % 21, "warning"
    return 31 + v % 700, "ok"


def gen_counts(n, seed=1):
    """How many certificates of gen:n:seed fall in each category (default thresholds)."""
    counts = {"ok": 0, "warning": 0, "critical": 0, "expired": 0}
    for i in range(n):
        counts[gen_days(seed, i)[1]] += 1
    return counts


def gen_id(seed, i):
    x = (i * ID_MUL + _mix(seed ^ 0x5EED)) % ID_SPACE
    s = []
    for _ in range(8):
        x, d = divmod(x, 62)
        s.append(B62[d])
    return "".join(s)


ZONES = ["example.com", "example.net", "example.org", "example.cn", "corp.example"]


def gen_params(now, seed, i):
    """The values that vary between gen certificates (plain Python values)."""
    days, cat = gen_days(seed, i)
    h = _gen_hash(seed ^ 0xABCDEF, i)
    zone = ZONES[h % len(ZONES)]
    validity = 90 if (h >> 8) % 3 == 0 else 365
    if validity <= days:
        validity = days + 1 + (h >> 16) % 60
    wild = (h >> 24) % 20 == 0
    domain = ("*.s%d.%s" if wild else "host%d.%s") % (i, zone)
    return {
        "cid": gen_id(seed, i), "domain": domain, "days": days, "validity": validity,
        "status": 3 if cat == "expired" else 1,
        "sans": [domain, "s%d.%s" % (i, zone)] if wild else [domain],
        "source": "upload" if (h >> 32) % 5 == 0 else "buy",
        "bound": [["clb"], ["cdn"], ["clb", "cdn"], [], []][(h >> 40) % 5],
        "tags": [{"TagKey": "env", "TagValue": ["prod", "staging", "dev"][(h >> 44) % 3]}],
        "alias": "gen %d" % i, "project": str((h >> 48) % 3), "renew": cat != "ok",
    }


def gen_cert(now, seed, i):
    """Certificate i of gen:N:seed as a dict (the reference GenAccount.raw must match)."""
    g = gen_params(now, seed, i)
    return make_cert(now, g["cid"], g["domain"], g["days"], validity=g["validity"],
                     status=g["status"], sans=g["sans"], source=g["source"],
                     BoundResource=g["bound"], Tags=g["tags"], alias=g["alias"],
                     ProjectId=g["project"], RenewAble=g["renew"])


# Fields of a gen certificate filled into a per-(From, Status) template: serializing the
# whole dict costs ~30 us a certificate, far too slow for pages of 1000 out of 100,000.
GEN_SLOTS = ("CertificateId", "Domain", "Alias", "ProjectId", "CertBeginTime", "CertEndTime",
             "InsertTime", "ValidityPeriod", "ValidationPassedTime", "SubjectAltName",
             "CertSANs", "IsWildcard", "RenewAble", "BoundResource", "Tags", "IsExpiring",
             "DomainNumber")


def _jstr(s):
    return '"' + s + '"'  # gen strings are plain ASCII: no escaping needed


def _jlist(xs):
    return "[" + ",".join('"' + x + '"' for x in xs) + "]"


GEN_MEMO = 20000  # certificates of a gen account kept once made (1.7 KB each)


class GenAccount:
    """gen:N[:SEED]: certificates made on demand from (seed, index); only the first
    GEN_MEMO made are kept."""

    def __init__(self, n, seed, now):
        self.n, self.seed, self.now = n, seed, now
        self.templates = {}
        self.lock = threading.Lock()
        # with the GIL, four requests making pages at once would measure the mock, not
        # its client (the benchmark's latency run asks for the same pages again)
        self.made = {}

    def _template(self, source, status):
        key = (source, status)
        t = self.templates.get(key)
        if t is None:
            c = make_cert(self.now, "x", "x.example", 100, status=status, source=source,
                          extra={"DomainNumber": "@@DomainNumber@@"},
                          **{k: "@@%s@@" % k for k in GEN_SLOTS if k != "DomainNumber"})
            text = _compact(c)
            # the template as [literal, slot, literal, slot, ..., literal]
            t = re.split(rb'"@@([A-Za-z]+)@@"', text)
            assert len(t) == 2 * len(GEN_SLOTS) + 1
            t = (t[0::2], [x.decode() for x in t[1::2]])
            with self.lock:
                self.templates[key] = t
        return t

    def cert(self, i):
        return gen_cert(self.now, self.seed, i)

    def raw(self, i):
        b = self.made.get(i)
        if b is None:
            b = self._make(i)
            if len(self.made) < GEN_MEMO:
                self.made[i] = b
        return b

    def _make(self, i):
        g = gen_params(self.now, self.seed, i)
        if g["days"] is None:
            return _compact(self.cert(i))
        end_e = self.now + g["days"] * DAY + 3600
        beg_e = end_e - g["validity"] * DAY
        begin = _jstr(bj(beg_e))
        v = {
            "CertificateId": _jstr(g["cid"]), "Domain": _jstr(g["domain"]),
            "Alias": _jstr(g["alias"]), "ProjectId": _jstr(g["project"]),
            "CertBeginTime": begin, "CertEndTime": _jstr(bj(end_e)),
            "InsertTime": _jstr(bj(beg_e - 3600)),
            "ValidityPeriod": _jstr(str(max(1, round(g["validity"] / 30.4)))),
            "ValidationPassedTime": begin, "SubjectAltName": _jlist(g["sans"]),
            "CertSANs": _jlist(g["sans"]),
            "IsWildcard": "true" if g["domain"].startswith("*.") else "false",
            "RenewAble": "true" if g["renew"] else "false",
            "BoundResource": _jlist(g["bound"]),
            "Tags": json.dumps(g["tags"], separators=(",", ":")),
            "IsExpiring": "true" if 0 < end_e - self.now <= 30 * DAY else "false",
            "DomainNumber": _jstr(str(len(g["sans"]))),
        }
        lits, slots = self._template(g["source"], g["status"])
        out = [lits[0]]
        for k, lit in zip(slots, lits[1:]):
            out.append(v[k].encode())
            out.append(lit)
        return b"".join(out)

    def end_key(self, i):
        return self.now + gen_days(self.seed, i)[0] * DAY


class Account:
    """A fixed list of certificates (sample, or a JSON file)."""

    def __init__(self, items):
        self.items = items  # [(dict, bytes)]
        self.n = len(items)

    def cert(self, i):
        return self.items[i][0]

    def raw(self, i):
        return self.items[i][1]

    def end_key(self, i):
        v = self.items[i][0].get("CertEndTime")
        return str(v) if v else ""


def load_account(spec, now):
    if spec == "sample":
        return Account(sample_account(now))
    m = re.fullmatch(r"gen:(\d+)(?::(\d+))?", spec)
    if m:
        return GenAccount(int(m.group(1)), int(m.group(2) or 1), now)
    with open(spec, "rb") as f:
        data = json.load(f)
    if isinstance(data, dict):  # also take a saved response
        data = (data.get("Response") or data).get("Certificates")
    if not isinstance(data, list):
        raise ValueError("%s: expected a JSON list of certificate objects" % spec)
    return Account([(c, _compact(c)) for c in data])


# ---------------------------------------------------------------------------------------
# Request parameters and filtering

class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def required_header(h, name, param, want, code, wrong):
    """The value of header name, which must be want: the API's errors otherwise."""
    value = h.get(name)
    if not value:
        raise ApiError("MissingParameter", "The request is missing a required parameter "
                       "`%s`." % param)
    if value != want:
        raise ApiError(code, wrong % value)
    return value


INT_PARAMS = ("Offset", "Limit", "ProjectId", "Deployable", "Upload", "Renew", "IsSM",
              "FilterExpiring", "Hostable", "IsPendingIssue")
STR_PARAMS = ("SearchKey", "CertificateType", "ExpirationSort", "FilterSource")
KNOWN_PARAMS = set(INT_PARAMS) | set(STR_PARAMS) | {"CertificateStatus", "Tags"}
FLAG_PARAMS = ("Deployable", "Upload", "Renew", "IsSM", "FilterExpiring", "Hostable",
               "IsPendingIssue")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def parse_params(body):
    try:
        p = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ApiError("InvalidParameter", "The request body is not valid JSON: %s" % e)
    if not isinstance(p, dict):
        raise ApiError("InvalidParameter", "The request body must be a JSON object.")
    for k in p:
        if k not in KNOWN_PARAMS:
            raise ApiError("UnknownParameter", "The parameter `%s` is not recognized." % k)
    p = {k: v for k, v in p.items() if v is not None}  # the SDKs drop nulls
    for k in INT_PARAMS:
        if k in p and not _is_int(p[k]):
            raise ApiError("InvalidParameter", "The type of parameter `%s` should be Integer." % k)
    for k in STR_PARAMS:
        if k in p and not isinstance(p[k], str):
            raise ApiError("InvalidParameter", "The type of parameter `%s` should be String." % k)
    cs = p.get("CertificateStatus")
    if cs is not None and (not isinstance(cs, list) or not all(_is_int(x) for x in cs)):
        raise ApiError("InvalidParameter",
                       "The type of parameter `CertificateStatus` should be Array of Integer.")
    tags = p.get("Tags")
    if tags is not None:
        if not isinstance(tags, list) or not all(
                isinstance(t, dict) and set(t) <= {"TagKey", "TagValue"}
                and isinstance(t.get("TagKey"), str) and isinstance(t.get("TagValue"), str)
                for t in tags):
            raise ApiError("InvalidParameter",
                           "The type of parameter `Tags` should be Array of Tags "
                           "({\"TagKey\":String,\"TagValue\":String}).")
    if p.get("Offset", 0) < 0:
        raise ApiError("InvalidParameterValue", "The value of `Offset` must be >= 0.")
    if "Limit" in p and p["Limit"] < 1:
        raise ApiError("InvalidParameterValue", "The value of `Limit` must be >= 1.")
    for k in FLAG_PARAMS:
        if k in p and p[k] not in (0, 1):
            raise ApiError("InvalidParameterValue", "The value of `%s` must be 0 or 1." % k)
    for k, allowed in (("CertificateType", ("CA", "SVR")), ("ExpirationSort", ("ASC", "DESC")),
                       ("FilterSource", ("upload", "buy"))):
        if k in p and p[k] not in allowed:
            raise ApiError("InvalidParameterValue", "The value of `%s` must be one of %s." %
                           (k, ", ".join(allowed)))
    return p


def _filters_of(p):
    return {k: v for k, v in p.items() if k not in ("Offset", "Limit", "ExpirationSort")}


def matches(c, f):
    """Does certificate dict c pass filters f (a parse_params result without paging)."""
    sk = f.get("SearchKey")
    if sk:
        s = sk.lower()
        if not any(s in (c.get(k) or "").lower()
                   for k in ("CertificateId", "Alias", "Domain")):
            return False
    if "CertificateType" in f and c.get("CertificateType") != f["CertificateType"]:
        return False
    if "ProjectId" in f and str(c.get("ProjectId")) != str(f["ProjectId"]):
        return False
    cs = f.get("CertificateStatus")
    if cs and c.get("Status") not in cs:
        return False
    if "Deployable" in f and bool(c.get("Deployable")) != bool(f["Deployable"]):
        return False
    if f.get("Upload") == 1 and c.get("From") != "upload":
        return False
    if f.get("Renew") == 1 and c.get("RenewAble") is not True:
        return False
    fs = f.get("FilterSource")
    if fs == "upload" and c.get("From") != "upload":
        return False
    if fs == "buy" and c.get("From") == "upload":
        return False
    if f.get("IsSM") == 1 and c.get("IsSM") is not True:
        return False
    if "Hostable" in f and (c.get("HostingStatus") is not None) != bool(f["Hostable"]):
        return False
    for t in f.get("Tags") or []:
        if not any(isinstance(ct, dict) and ct.get("TagKey") == t["TagKey"]
                   and ct.get("TagValue") == t["TagValue"] for ct in (c.get("Tags") or [])):
            return False
    if f.get("IsPendingIssue") == 1 and c.get("Status") not in (0, 4):
        return False
    if f.get("FilterExpiring") == 1 and c.get("IsExpiring") is not True:
        return False
    return True


class Lister:
    """Selects and orders an account's certificates for a request; caches the index lists
    of recent filter sets so paging a filtered gen account stays fast."""

    def __init__(self, account):
        self.account = account
        self.lock = threading.Lock()
        self.cache = {}

    def indices(self, p):
        f = _filters_of(p)
        sort = p.get("ExpirationSort")
        if not f and not sort:
            return range(self.account.n)
        key = json.dumps([f, sort], sort_keys=True)
        with self.lock:
            hit = self.cache.get(key)
        if hit is not None:
            return hit
        a = self.account
        idx = [i for i in range(a.n) if matches(a.cert(i), f)] if f else list(range(a.n))
        if sort:
            have = [i for i in idx if a.end_key(i) not in ("", None)]
            none = [i for i in idx if a.end_key(i) in ("", None)]
            have.sort(key=a.end_key, reverse=sort == "DESC")
            idx = have + none
        with self.lock:
            if len(self.cache) > 16:
                self.cache.clear()
            self.cache[key] = idx
        return idx


# ---------------------------------------------------------------------------------------
# Faults

FAULT_RE = re.compile(r"^(?P<name>throttle|ratelimit|internal|http:\d{3}|html200|empty200|cut|"
                      r"long|hang|trickle|huge|overlong-open|overlong|trailing|halfjson|bighead|echo-sig|echo-cut|total-changes|dup-id-escaped|dup-id|short-page|"
                      r"extra-cert|echo-auth|null-total|"
                      r"null-certs|missing-certs|error:[A-Za-z0-9_.]+|reset)"
                      r"(?:@(?P<at>\d+)|x(?P<first>\d+))?$")


def parse_fault(spec):
    m = FAULT_RE.match(spec)
    if not m:
        raise argparse.ArgumentTypeError("bad --fault %r" % spec)
    at = int(m.group("at")) if m.group("at") else None
    first = int(m.group("first")) if m.group("first") else None
    return (m.group("name"), at, first)


def active_faults(faults, reqno):
    out = {}
    for name, at, first in faults:
        if at is not None and reqno != at:
            continue
        if first is not None and reqno > first:
            continue
        base, _, arg = name.partition(":")
        out[base] = arg
    return out


HTML_STATUS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
               500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
               504: "Gateway Timeout"}


def html_page(code, reason):
    return ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1>"
            "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" %
            (code, reason, code, reason)).encode()


ERROR_MESSAGES = {
    "RequestLimitExceeded": "Your current request times equals to `11` in a second, which "
                            "exceeds the frequency limit `10` for a second. Please reduce "
                            "the frequency of calls.",
    "LimitExceeded.RateLimitExceeded": "The request rate has reached the limit.",
    "InternalError": "An internal error has occurred. Retry your request, but if the problem "
                     "persists, contact us.",
}


# ---------------------------------------------------------------------------------------
# HTTP

class MockServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, handler, cfg):
        super().__init__(addr, handler)
        self.cfg = cfg
        self.lock = threading.Lock()
        self.reqno = 0
        self.connno = 0
        self.stopping = threading.Event()
        self.log_file = open(cfg.log, "a", encoding="utf-8") if cfg.log else None
        self.lister = Lister(cfg.account_obj)
        self.issued = {}  # temporary SecretId -> (key, token), from AssumeRole

    def listing_keys(self, secret_id):
        """(id, key, token) the listing accepts for secret_id: the configured ones until
        AssumeRole has handed out any, then only those."""
        with self.lock:
            if not self.issued:
                return self.cfg.secret_id, self.cfg.secret_key, self.cfg.token
            if secret_id in self.issued:
                return (secret_id,) + self.issued[secret_id]
            return None, None, None

    def issue(self):
        tmp = ("AKIDtmp" + uuid.uuid4().hex[:24], "tmpKey" + uuid.uuid4().hex,
               "tmpToken" + uuid.uuid4().hex * 6)
        with self.lock:
            self.issued[tmp[0]] = (tmp[1], tmp[2])
        return tmp

    def next_request(self):
        with self.lock:
            self.reqno += 1
            return self.reqno

    def next_conn(self):
        with self.lock:
            self.connno += 1
            return self.connno

    def write_log(self, entry):
        if not self.log_file:
            return
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.lock:
            self.log_file.write(line)
            self.log_file.flush()

    def handle_error(self, request, client_address):
        e = sys.exc_info()[1]
        if isinstance(e, (ConnectionError, socket.timeout, ssl.SSLError, TimeoutError)):
            return  # clients that go away (or never finish TLS) are expected in fault tests
        sys.stderr.write("mock: error on a connection from %s: %r\n" % (client_address, e))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mock-tencentcloud-ssl/1.0"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is dropped after this

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
        super().setup()
        try:
            # replies are written whole; Nagle plus delayed ACKs would add 40 ms to each
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.conn_id = self.server.next_conn()

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        self.handle_api()

    do_GET = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_POST

    # ---- reading -----------------------------------------------------------------------

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
                if len(out) > MAX_BODY:
                    raise ApiError("InvalidParameter", "The request body is too large.")
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_BODY:
            self.close_connection = True
            raise ApiError("InvalidParameter", "The request body is too large.")
        return self.rfile.read(n) if n > 0 else b""

    # ---- verification --------------------------------------------------------------------

    def verify(self, body):
        cfg = self.server.cfg
        h = self.headers
        if self.command != "POST":
            raise ApiError("InvalidParameter", "The mock accepts POST only, got %s." %
                           self.command)
        if self.path != "/":
            raise ApiError("InvalidParameter", "The request path must be /, got %s." %
                           self.path)
        ct = h.get("Content-Type")
        if ct != "application/json":
            raise ApiError("InvalidParameter",
                           "Content-Type must be exactly application/json, got %r." % ct)
        required_header(h, "X-TC-Action", "Action", ACTION, "InvalidAction",
                        "The action `%s` is not found.")
        required_header(h, "X-TC-Version", "Version", VERSION, "NoSuchVersion",
                        "The API version `%s` does not exist.")
        lang = h.get("X-TC-Language")
        if lang is not None and lang not in ("zh-CN", "en-US"):
            raise ApiError("InvalidParameterValue", "The value of `Language` must be zh-CN or "
                           "en-US.")
        ts_s = h.get("X-TC-Timestamp")
        if not ts_s:
            raise ApiError("MissingParameter", "The request is missing a required parameter "
                           "`Timestamp`.")
        if not re.fullmatch(r"[0-9]{1,12}", ts_s):
            raise ApiError("InvalidParameter", "`Timestamp` must be an integer, got %r." % ts_s)
        ts = int(ts_s)
        now = int(time.time())
        if abs(now - ts) > MAX_SKEW:
            raise ApiError("AuthFailure.SignatureExpire",
                           "Signature expired, timestamp is %d, server time is %d (the "
                           "difference must be within 300 s)." % (ts, now))
        auth = h.get("Authorization")
        a = parse_authorization(auth)
        if a is None or a["term"] != "tc3_request":
            raise ApiError("AuthFailure.InvalidAuthorization",
                           "The Authorization header is missing or malformed.")
        want_id, want_key, want_token = self.server.listing_keys(a["id"])
        if a["id"] != want_id:
            raise ApiError("AuthFailure.SecretIdNotFound",
                           "The SecretId is not found, please ensure that your SecretId "
                           "is correct.")
        if a["service"] != SERVICE:
            raise ApiError("AuthFailure.SignatureFailure", "The credential scope names "
                           "service `%s`, expected `ssl`." % a["service"])
        if a["date"] != utc_date(ts):
            raise ApiError("AuthFailure.SignatureFailure", "The credential date %s is not the "
                           "UTC date of X-TC-Timestamp (%s)." % (a["date"], utc_date(ts)))
        if want_token is not None and h.get("X-TC-Token") != want_token:
            raise ApiError("AuthFailure.TokenFailure", "The token is invalid or missing.")
        extra = {k: v for k, v in h.items()}
        host = h.get("Host")
        if host is None or not verify_signature(want_key, host, ct, body, ts, auth,
                                                extra_headers=extra):
            raise ApiError("AuthFailure.SignatureFailure",
                           "The provided credentials could not be validated. Please check "
                           "your signature is correct.")
        return a

    # ---- replying ------------------------------------------------------------------------

    def handle_api(self):
        srv, cfg = self.server, self.server.cfg
        t0 = time.time()
        reqno = srv.next_request()
        faults = active_faults(cfg.fault, reqno)
        hdrs = {}
        for k, v in self.headers.items():
            lk = k.lower()
            hdrs[lk] = "<redacted>" if lk in ("authorization", "x-tc-token") else v
        entry = {"time": t0, "req": reqno, "conn": self.conn_id,
                 "peer_port": self.client_address[1], "method": self.command,
                 "path": self.path, "headers": hdrs,
                 "header_names": [k for k in self.headers.keys()],
                 "body": None, "status": None, "error": None,
                 "faults": sorted(faults)}
        try:
            body = self.read_body()
        except ApiError as e:
            body = None
            entry["error"] = e.code
            self.reply_error(e, entry, faults, t0)
            return
        except (ValueError, OSError):
            self.close_connection = True
            entry["error"] = "unreadable request"
            srv.write_log(entry)
            return
        entry["body"] = body.decode("utf-8", "replace")
        a = parse_authorization(self.headers.get("Authorization"))
        entry["signed_headers"] = a["signed"] if a else None
        entry["auth_id"] = a["id"] if a else None
        entry["action"] = self.headers.get("X-TC-Action")
        if cfg.delay:
            time.sleep(cfg.delay)

        # transport-level faults: answered before any verification
        if "reset" in faults:
            entry["status"] = None
            srv.write_log(entry)
            self.close_connection = True
            try:
                self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                        struct.pack("ii", 1, 0))
                self.request.close()
            except OSError:
                pass
            return
        if "hang" in faults:
            srv.write_log(entry)
            self.close_connection = True
            srv.stopping.wait()
            return
        if "http" in faults:
            code = int(faults["http"])
            reason = HTML_STATUS.get(code, "Error")
            self.send_bytes(code, html_page(code, reason), "text/html", faults, entry, t0,
                            reason=reason)
            return
        if "html200" in faults:
            self.send_bytes(200, html_page(200, "OK").replace(b"200 OK", b"Welcome to nginx!"),
                            "text/html", faults, entry, t0)
            return
        if "empty200" in faults:
            self.send_bytes(200, b"", "application/json", faults, entry, t0)
            return

        try:
            if self.headers.get("X-TC-Action") == STS_ACTION:
                p = self.verify_sts(body)
            else:
                self.verify(body)
                p = parse_params(body)
            for name, code in (("throttle", "RequestLimitExceeded"),
                               ("ratelimit", "LimitExceeded.RateLimitExceeded"),
                               ("internal", "InternalError")):
                if name in faults:
                    raise ApiError(code, ERROR_MESSAGES[code])
            if "error" in faults:
                raise ApiError(faults["error"], "Mock fault: %s." % faults["error"])
            if "echo-sig" in faults:
                sig = (parse_authorization(self.headers.get("Authorization")) or {}).get("sig", "")
                raise ApiError("InternalError", "gateway: sig %s, SIGNATURE=%s" %
                               (sig, sig.upper()))
            if "echo-cut" in faults:
                raise ApiError("InternalError", "p" * 371 + str(self.headers.get("X-TC-Token")))
            if "echo-auth" in faults:
                raise ApiError("InternalError", "gateway saw Authorization: %s, X-TC-Token: %s" %
                               (self.headers.get("Authorization"),
                                self.headers.get("X-TC-Token")))
        except ApiError as e:
            entry["error"] = e.code
            self.reply_error(e, entry, faults, t0)
            return

        if p.get("_sts"):
            self.send_bytes(200, self.assume_role(p), "application/json", faults, entry, t0)
            return
        if "huge" in faults:
            self.send_huge(entry, t0)
            return
        page = self.listing(p, faults, reqno, entry)
        if cfg.latency > 0:
            time.sleep(max(0.0, t0 + cfg.latency - time.time()))
        self.send_bytes(200, page, "application/json", faults, entry, t0)

    # ---- STS AssumeRole: a separate check, with service "sts" --------------------------

    def verify_sts(self, body):
        cfg, h = self.server.cfg, self.headers
        if self.command != "POST" or self.path != "/":
            raise ApiError("InvalidParameter", "POST / only.")
        ct = h.get("Content-Type")
        if ct != "application/json":
            raise ApiError("InvalidParameter", "Content-Type must be application/json.")
        if h.get("X-TC-Version") != STS_VERSION:
            raise ApiError("NoSuchVersion", "The API version `%s` does not exist." %
                           h.get("X-TC-Version"))
        if h.get("X-TC-Region") != STS_REGION:
            raise ApiError("InvalidParameterValue", "STS wants region %s, got %r." %
                           (STS_REGION, h.get("X-TC-Region")))
        ts_s = h.get("X-TC-Timestamp") or ""
        if not re.fullmatch(r"[0-9]{1,12}", ts_s) or abs(int(ts_s) - time.time()) > MAX_SKEW:
            raise ApiError("AuthFailure.SignatureExpire", "Bad or expired X-TC-Timestamp.")
        auth = h.get("Authorization")
        a = parse_authorization(auth)
        if a is None or a["id"] != cfg.sts_secret_id:
            raise ApiError("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        if cfg.sts_token is not None and h.get("X-TC-Token") != cfg.sts_token:
            raise ApiError("AuthFailure.TokenFailure", "The token is invalid or missing.")
        if cfg.sts_token is None and h.get("X-TC-Token") is not None:
            raise ApiError("AuthFailure.TokenFailure", "Unexpected X-TC-Token.")
        if not verify_signature(cfg.sts_secret_key, h.get("Host"), ct, body, int(ts_s), auth,
                                service="sts", extra_headers=dict(h.items())):
            raise ApiError("AuthFailure.SignatureFailure", "The provided credentials could "
                           "not be validated (service sts).")
        try:
            p = json.loads(body)
        except ValueError:
            raise ApiError("InvalidParameter", "The request body is not JSON.")
        if not isinstance(p, dict) or set(p) - {"RoleArn", "RoleSessionName",
                                                 "DurationSeconds"}:
            raise ApiError("UnknownParameter", "Unknown parameters in %r." % sorted(p))
        d = p.get("DurationSeconds")
        if not _is_int(d) or not 1 <= d <= 43200:
            raise ApiError("InvalidParameter.OverTimeError", "DurationSeconds %r." % d)
        if not re.fullmatch(r"[\w+=,.@-]{2,128}", str(p.get("RoleSessionName"))):
            raise ApiError("InvalidParameter", "RoleSessionName %r." % p.get("RoleSessionName"))
        if p.get("RoleArn") not in cfg.role_arn:
            raise ApiError("ResourceNotFound.RoleNotExist", "role not exist")
        p["_sts"] = True
        return p

    def assume_role(self, p):
        tmp_id, tmp_key, tmp_token = self.server.issue()
        exp = int(time.time()) + p["DurationSeconds"]
        return _compact({"Response": {
            "Credentials": {"Token": tmp_token, "TmpSecretId": tmp_id, "TmpSecretKey": tmp_key},
            "ExpiredTime": exp,
            "Expiration": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(exp)),
            "RequestId": str(uuid.uuid4())}})

    def listing(self, p, faults, reqno, entry):
        srv = self.server
        acct = srv.lister.account
        idx = srv.lister.indices(p)
        offset = p.get("Offset", 0)
        limit = min(p.get("Limit", 10), 1000)
        total = len(idx)
        page = list(idx[offset:offset + limit])
        items = [acct.raw(i) for i in page]
        second = offset == limit and offset > 0
        if "short-page" in faults and second and items:
            items.pop()
        if "dup-id" in faults and second and items and total:
            c = json.loads(items[0])
            c["CertificateId"] = acct.cert(idx[0])["CertificateId"]
            items[0] = _compact(c)
        if "dup-id-escaped" in faults and second and items and total:
            c = json.loads(items[0])
            cid = acct.cert(idx[0])["CertificateId"]
            c["CertificateId"] = cid
            # the same id with its first letter as a \u escape: a duplicate all the same
            items[0] = _compact(c).replace(('"CertificateId":"%s' % cid).encode(),
                                           ('"CertificateId":"\\u%04x%s' %
                                            (ord(cid[0]), cid[1:])).encode(), 1)
        if "extra-cert" in faults and offset + limit < total:
            items.append(acct.raw(idx[offset + limit]))
        if "total-changes" in faults:
            total += reqno - 1
        entry.update(offset=offset, limit=limit, returned=len(items))
        rid = str(uuid.uuid4()).encode()
        out = [b'{"Response":{']
        if "null-total" in faults:
            out.append(b'"TotalCount":null,')
            entry["total_count"] = None
        else:
            out.append(b'"TotalCount":%d,' % total)
            entry["total_count"] = total
        if "null-certs" in faults:
            out.append(b'"Certificates":null,')
        elif "missing-certs" not in faults:
            out.append(b'"Certificates":[' + b",".join(items) + b"],")
        out.append(b'"RequestId":"' + rid + b'"}}')
        return b"".join(out)

    def reply_error(self, e, entry, faults, t0):
        body = json.dumps({"Response": {"Error": {"Code": e.code, "Message": e.message},
                                        "RequestId": str(uuid.uuid4())}},
                          ensure_ascii=False, separators=(",", ":")).encode()
        self.send_bytes(200, body, "application/json", faults, entry, t0)

    def wants_gzip(self):
        if not self.server.cfg.gzip:
            return False
        for part in (self.headers.get("Accept-Encoding") or "").split(","):
            bits = [b.strip() for b in part.split(";")]
            if bits[0].lower() not in ("gzip", "x-gzip", "*"):
                continue
            q = 1.0
            for b in bits[1:]:
                if b.startswith("q="):
                    try:
                        q = float(b[2:])
                    except ValueError:
                        q = 0.0
            if q > 0:
                return True
        return False

    @contextlib.contextmanager
    def logged_send(self, entry, t0):
        """Around a reply's writes: a failed one (the client went away) is noted in entry,
        which is logged with the time taken either way."""
        try:
            yield
            self.wfile.flush()
        except OSError as e:
            entry["send_error"] = str(e)
            self.close_connection = True
        entry["duration"] = round(time.time() - t0, 6)
        self.server.write_log(entry)

    def send_bytes(self, status, body, ctype, faults, entry, t0, reason=None):
        srv = self.server
        gz = bool(body) and self.wants_gzip()
        if gz:
            body = gzip.compress(body, compresslevel=5, mtime=0)
        entry["status"] = status
        entry["gzip"] = gz
        entry["bytes"] = len(body)
        if "halfjson" in faults:
            body = body[:len(body) // 2]
        length = len(body)
        if "long" in faults or "overlong" in faults or "overlong-open" in faults:
            length = len(body) // 2
        with self.logged_send(entry, t0):
            self.send_response_only(status, reason)
            self.send_header("Date", self.date_time_string())
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(length))
            if gz:
                self.send_header("Content-Encoding", "gzip")
            if "bighead" in faults:
                self.send_header("X-Big", "a" * (1 << 20))
            if "cut" in faults or "long" in faults or self.close_connection:
                self.send_header("Connection", "close")
            if "cut" not in faults and "trickle" not in faults:
                # headers and body in one write
                self._headers_buffer.append(b"\r\n")
                head = b"".join(self._headers_buffer)
                self._headers_buffer = []
                junk = b"junk-after-the-body\r\n" if "trailing" in faults else b""
                self.wfile.write(head + (body + junk if self.command != "HEAD" else b""))
            else:
                self.end_headers()
            if self.command == "HEAD" or ("cut" not in faults and "trickle" not in faults):
                pass
            elif "cut" in faults:
                self.wfile.write(body[:len(body) // 2])
                self.close_connection = True
            elif "trickle" in faults:
                self.wfile.flush()
                for i in range(len(body)):
                    if srv.stopping.wait(1.0):
                        break
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
            if "long" in faults or "overlong" in faults:
                self.close_connection = True

    def send_huge(self, entry, t0):
        """About 70 MiB of a plausible listing, generated as it is sent."""
        srv = self.server
        item = srv.lister.account.raw(0) if srv.lister.account.n else _compact(
            make_cert(srv.cfg.now, "HUGE0000", "huge.example.com", 100))
        cid = json.loads(item)["CertificateId"].encode()
        pre, _, post = item.partition(b'"CertificateId":"' + cid + b'"')
        if not _:
            pre, post = b'{"CertificateId":"', b'"}'
            unit_len = len(pre) + 8 + len(post)
        else:
            pre += b'"CertificateId":"'
            post = b'"' + post
            unit_len = len(pre) + 8 + len(post)
        count = (70 << 20) // (unit_len + 1) + 1
        head = b'{"Response":{"TotalCount":%d,"Certificates":[' % count
        tail = b'],"RequestId":"' + str(uuid.uuid4()).encode() + b'"}}'
        length = len(head) + count * unit_len + (count - 1) + len(tail)
        entry.update(status=200, gzip=False, bytes=length, total_count=count)
        with self.logged_send(entry, t0):
            self.send_response_only(200)
            self.send_header("Date", self.date_time_string())
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(head)
            buf = []
            size = 0
            for i in range(count):
                buf.append((b"," if i else b"") + pre + b"H%07d" % i + post)
                size += len(buf[-1])
                if size >= 1 << 18:
                    self.wfile.write(b"".join(buf))
                    buf, size = [], 0
            self.wfile.write(b"".join(buf) + tail)


# ---------------------------------------------------------------------------------------
# TLS material

def ensure_tls(d):
    """ca.pem, server.pem, server.key in d, made with the openssl CLI when absent."""
    os.makedirs(d, exist_ok=True)
    names = ("ca.pem", "server.pem", "server.key")
    with open(os.path.join(d, ".lock"), "w") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)  # two mocks starting on one dir make one CA
        if all(os.path.exists(os.path.join(d, n)) for n in names):
            return
        with tempfile.TemporaryDirectory(dir=d) as t:
            def run(*args):
                r = subprocess.run(["openssl"] + list(args), cwd=t, capture_output=True)
                if r.returncode:
                    raise RuntimeError("openssl %s failed: %s" %
                                       (args[0], r.stderr.decode(errors="replace")))
            ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
                "-subj", "/CN=check_tencentcloud_ssl test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
            with open(os.path.join(t, "ext.cnf"), "w") as f:
                f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                        "extendedKeyUsage=serverAuth\n"
                        "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
            run("req", *ec, "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1")
            run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "825", "-extfile", "ext.cnf")
            for n in ("ca.key",) + names:
                os.replace(os.path.join(t, n), os.path.join(d, n))


# ---------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Mock of Tencent Cloud's SSL API DescribeCertificates (see the module "
                    "docstring for the accounts and faults).")
    ap.add_argument("--bind", default="127.0.0.1", help="address (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=0, help="port, 0 = any free one")
    ap.add_argument("--port-file", help="write the bound port here once listening")
    ap.add_argument("--tls-dir", help="serve HTTPS with DIR/server.pem, made with DIR/ca.pem "
                    "by openssl when absent")
    ap.add_argument("--secret-id", default=DEFAULT_SECRET_ID)
    ap.add_argument("--secret-key", default=DEFAULT_SECRET_KEY)
    ap.add_argument("--token", help="require this X-TC-Token")
    ap.add_argument("--sts-secret-id", help="base SecretId AssumeRole accepts "
                    "(default: --secret-id)")
    ap.add_argument("--sts-secret-key", help="its key (default: --secret-key)")
    ap.add_argument("--sts-token", help="its token (default: --token)")
    ap.add_argument("--role-arn", action="append", help="a role AssumeRole knows, repeatable "
                    "(default: %s)" % DEFAULT_ROLE_ARN)
    ap.add_argument("--account", default="sample", help="sample | gen:N[:SEED] | PATH.json")
    ap.add_argument("--now", type=int, help="epoch the sample/gen dates are relative to "
                    "(default: now)")
    ap.add_argument("--delay", type=float, default=0.0, help="seconds before every reply")
    ap.add_argument("--latency", type=float, default=0.0,
                    help="a listing page is answered this many seconds after its request came, "
                    "the time to make it included (the benchmark's server latency)")
    ap.add_argument("--gzip", action="store_true", help="gzip replies when the client offers")
    ap.add_argument("--fault", action="append", type=parse_fault, default=[],
                    help="NAME[@K|xN], repeatable")
    ap.add_argument("--log", help="append one JSON line per request here")
    cfg = ap.parse_args(argv)
    cfg.now = int(time.time()) if cfg.now is None else cfg.now
    cfg.sts_secret_id = cfg.sts_secret_id or cfg.secret_id
    cfg.sts_secret_key = cfg.sts_secret_key or cfg.secret_key
    cfg.sts_token = cfg.sts_token if cfg.sts_token is not None else cfg.token
    cfg.role_arn = cfg.role_arn or [DEFAULT_ROLE_ARN]
    try:
        cfg.account_obj = load_account(cfg.account, cfg.now)
    except (OSError, ValueError) as e:
        sys.stderr.write("mock: --account %s: %s\n" % (cfg.account, e))
        return 2
    try:
        srv = MockServer((cfg.bind, cfg.port), Handler, cfg)
    except OSError as e:
        sys.stderr.write("mock: cannot listen on %s:%d: %s\n" % (cfg.bind, cfg.port, e))
        return 2
    scheme = "http"
    if cfg.tls_dir:
        try:
            ensure_tls(cfg.tls_dir)
        except (OSError, RuntimeError) as e:
            sys.stderr.write("mock: TLS setup: %s\n" % e)
            return 2
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(cfg.tls_dir, "server.pem"),
                            os.path.join(cfg.tls_dir, "server.key"))
        # the handshake runs in the connection's thread (Handler.setup), so one silent
        # client cannot stall accept()
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=False)
        scheme = "https"
    port = srv.server_address[1]

    def stop(signum, frame):
        srv.stopping.set()
        threading.Thread(target=srv.shutdown, daemon=True).start()

    on_stop_signals(stop)
    if cfg.port_file:
        write_port_file(cfg.port_file, port)
    print("mock listening on %s://%s:%d" % (scheme, cfg.bind, port), flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.stopping.set()
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
