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

The code: this file is the server's command line (and load_account, ensure_tls); the rest is
in mock_tc3.py (TC3-HMAC-SHA256), mock_certs.py (the certificate object, the sample account),
mock_gen.py (gen: accounts), mock_params.py (parameters, filters, paging order), mock_faults.py
(--fault and the reply writing) and mock_http.py (the server and its request handler). Their
names stay importable from here.
"""

import argparse
import fcntl
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile
import threading
import time

from tap import on_stop_signals, write_port_file

# the parts, re-exported: scripts (tests/it_mock.py, tests/bench/*.py) import them from here
from mock_certs import (BEIJING, DAY, OWNER_UIN, STATUS_NAMES, Account,  # noqa: F401
                        _compact, _hand_written, bj, make_cert, sample_account)
from mock_faults import (ERROR_MESSAGES, FAULT_RE, HTML_STATUS, ReplyWriter,  # noqa: F401
                         active_faults, html_page, parse_fault)
from mock_gen import (B62, GEN_MEMO, GEN_SLOTS, ID_MUL, ID_SPACE, M64, ZONES,  # noqa: F401
                      GenAccount, _gen_hash, _jlist, _jstr, _mix, gen_cert, gen_counts,
                      gen_days, gen_id, gen_params)
from mock_http import (ACTION, MAX_BODY, MAX_SKEW, STS_ACTION, STS_REGION,  # noqa: F401
                       STS_VERSION, VERSION, Handler, MockServer)
from mock_params import (FLAG_PARAMS, INT_PARAMS, KNOWN_PARAMS, STR_PARAMS,  # noqa: F401
                         ApiError, Lister, _filters_of, _is_int, matches, parse_params,
                         required_header)
from mock_tc3 import (AUTH_RE, SERVICE, _hmac, canonical_request,  # noqa: F401
                      parse_authorization, tc3_signature, utc_date, verify_signature)

DEFAULT_SECRET_ID = "AKIDmockEXAMPLE0000000000000000000000"
DEFAULT_SECRET_KEY = "mockSecretKeyEXAMPLE000000000000"
DEFAULT_ROLE_ARN = "qcs::cam::uin/100012345678:roleName/ssl-monitor"


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
