# SPDX-License-Identifier: GPL-3.0-or-later
"""Building blocks of tests/hostile_server.py: certificates, listings, raw HTTP responses,
the per-request context its cases answer through, and the case registry. Stdlib only."""

import json
import time

DAY = 86400
BEIJING = 8 * 3600


def bj(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + BEIJING))


def cert(now, cid, domain, days, **over):
    """A certificate object with the fields the plugin reads (dict, for json.dumps)."""
    end = now + days * DAY + 3600
    c = {"CertificateId": cid, "Domain": domain, "Alias": "", "Status": 1 if days >= 0 else 3,
         "CertBeginTime": bj(end - 365 * DAY), "CertEndTime": bj(end),
         "SubjectAltName": [domain], "IsIgnore": False, "BoundResource": [],
         "CertificateExtra": {"ReplacedBy": "", "ReplacedFor": ""}}
    c.update(over)
    return c


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


GOOD_COUNT = 2  # --good-count
_good = {}


def good_certs(now):
    """Good0001 (100 days left), Crit0002 (5 days), then OK ones up to GOOD_COUNT."""
    if now not in _good:
        _good[now] = ([cert(now, "Good0001", "www.example.com", 100),
                       cert(now, "Crit0002", "login.example.com", 5)] +
                      [dumps(cert(now, "G%07d" % i, "g%d.example.com" % i, 200))
                       for i in range(2, GOOD_COUNT)])
    return _good[now]


def listing_body(certs, offset=0, limit=1000, total=None):
    """A successful DescribeCertificates response with certs[offset:offset+limit]; certs
    are dicts or raw JSON bytes."""
    page = certs[offset:offset + limit]
    raw = [c if isinstance(c, bytes) else dumps(c) for c in page]
    total = len(certs) if total is None else total
    tot = total if isinstance(total, bytes) else dumps(total)
    return (b'{"Response":{"TotalCount":' + tot + b',"Certificates":[' + b",".join(raw) +
            b'],"RequestId":"hostile-%d"}}' % offset)


def error_body(code, message):
    return dumps({"Response": {"Error": {"Code": code, "Message": message},
                               "RequestId": "hostile-err"}})


def head(status=200, reason="OK", headers=(), length=None):
    h = ["HTTP/1.1 %d %s" % (status, reason), "Content-Type: application/json"]
    if length is not None:
        h.append("Content-Length: %d" % length)
    h += list(headers)
    return ("\r\n".join(h) + "\r\n\r\n").encode("latin-1")


class Ctx:
    """One request: what the case handler needs."""

    def __init__(self, srv, sock, n, conn, req):
        self.srv, self.sock, self.n, self.conn, self.req = srv, sock, n, conn, req
        self.now = srv.cfg.now
        self.offset = int(req.get("Offset", 0) or 0)
        self.limit = int(req.get("Limit", 1000) or 1000)

    def send(self, data):
        self.sock.sendall(data)

    def reply(self, body, status=200, reason="OK", headers=()):
        self.send(head(status, reason, headers, len(body)) + body)
        return True

    def good(self):
        return self.reply(listing_body(good_certs(self.now), self.offset, self.limit))

    def trickle(self, data, every, until=60.0):
        """data one byte at a time, every `every` s; stops when the client has gone."""
        end = time.monotonic() + until
        for i in range(len(data)):
            if time.monotonic() > end:
                break
            self.send(data[i:i + 1])
            time.sleep(every)
        return False


CASES = {}


def case(name, doc):
    def reg(f):
        CASES[name] = (f, doc)
        return f
    return reg
