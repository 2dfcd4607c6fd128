# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults of the mock API (--fault, documented in tests/mock_api.py): parsing the specs, the
canned error bodies, and ReplyWriter, the request handler's reply writing, which carries out
the transport-level faults (cut, long, trickle, huge, ...)."""

import argparse
import contextlib
import gzip
import json
import re
import time
import uuid

from mock_certs import _compact, make_cert

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


class ReplyWriter:
    """The replying half of mock_http.Handler (a BaseHTTPRequestHandler): errors, gzip,
    the log entry of each reply, and the faults that break a reply's framing."""

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
