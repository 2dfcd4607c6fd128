# SPDX-License-Identifier: GPL-3.0-or-later
"""The mock API's HTTP server (tests/mock_api.py): MockServer, the request counter, the
credentials AssumeRole handed out and the log; Handler, which reads and verifies each
request (DescribeCertificates or STS AssumeRole), applies the faults and answers."""

import json
import re
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mock_certs import _compact
from mock_faults import ERROR_MESSAGES, HTML_STATUS, ReplyWriter, active_faults, html_page
from mock_params import ApiError, Lister, _is_int, parse_params, required_header
from mock_tc3 import SERVICE, parse_authorization, utc_date, verify_signature

STS_ACTION = "AssumeRole"
STS_VERSION = "2018-08-13"
STS_REGION = "ap-guangzhou"
ACTION = "DescribeCertificates"
VERSION = "2019-12-05"
MAX_SKEW = 300
MAX_BODY = 1 << 20


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


class Handler(ReplyWriter, BaseHTTPRequestHandler):
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
