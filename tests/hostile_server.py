#!/usr/bin/env python3
"""A hostile stand-in for Tencent Cloud's DescribeCertificates endpoint, for tests/it_hostile.py.

Raw sockets, Python 3 stdlib only, 127.0.0.1. It does not check signatures: it plays one
misbehaviour (--case NAME) the way a broken or malicious server or middlebox would, byte for
byte, so the plugin's transport, parser, report and output meet it. Run with --list for the
cases. --times N plays the case for the first N requests only and a good listing after that
(0, the default: every request). Certificates' dates are relative to --now (default: the real
clock); "good" is two certificates, Good0001 (100 days left, OK) and Crit0002 (5 days, CRITICAL).

Every request is logged to --log as one JSON line: n (request number from 1), conn (connection
number from 1), offset, limit, sig (the Signature hex of its Authorization header), token
(X-TC-Token) and time. A case with a second listener (redirect-*) logs each connection to it
as {"other": PORT}.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib

DAY = 86400
BEIJING = 8 * 3600
HEAD_MAX = 64 * 1024


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


# ---- issue 9, item by item ----

@case("good", "the two-certificate listing, well framed (control)")
def c_good(x):
    return x.good()


@case("long", "Content-Length of half the body, the whole body, then close")
def c_long(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body) // 2) + body)
    return False


@case("long-linger", "as long, but the connection is closed only 1 s later")
def c_long_linger(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body) // 2) + body)
    time.sleep(1)
    return False


@case("tail-linger", "as tail, but the connection is closed only 1 s later")
def c_tail_linger(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body)) + body + b'HTTP/0.9 garbage {"Response":')
    time.sleep(1)
    return False


@case("tail-late", "a complete, well-framed page; 50 ms later garbage bytes, then close")
def c_tail_late(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body)) + body)
    time.sleep(0.05)
    x.send(b'HTTP/0.9 garbage {"Response":')
    return False


@case("long-late", "Content-Length of half the body, the rest 50 ms later, then close")
def c_long_late(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    half = len(body) // 2
    x.send(head(length=half) + body[:half])
    time.sleep(0.05)
    x.send(body[half:])
    return False


@case("tail", "a complete, well-framed page followed by garbage bytes, then close")
def c_tail(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body)) + body + b'HTTP/0.9 garbage {"Response":')
    return False


@case("trunc", "a well-framed 200 whose JSON stops half way (connection kept)")
def c_trunc(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    return x.reply(body[:len(body) // 2])


@case("memory", "20 pages of 1000 expired certificates of about --cert-kib (default 56) KiB "
      "each (20000 in all)")
def c_memory(x):
    if x.srv.mem_tail is None:
        n = max(0, ((x.srv.cfg.cert_kib or 56) * 1024 - 4300) // 108)
        sans = ",".join('"%s.n%03d.example.com"' % ("s" * 90, i) for i in range(n))
        x.srv.mem_tail = ('","Alias":"%s","Status":3,"CertBeginTime":"%s","CertEndTime":"%s",'
                          '"SubjectAltName":[%s],"IsIgnore":false,"BoundResource":["clb"],'
                          '"CertificateExtra":{"ReplacedBy":""}}'
                          % ("a" * 4000, bj(x.now - 400 * DAY), bj(x.now - 10 * DAY),
                             sans)).encode()
    total = 20000
    parts = []
    for i in range(x.offset, min(total, x.offset + x.limit)):
        parts.append(b'{"CertificateId":"M%07d","Domain":"m%07d.example.com' % (i, i) +
                     x.srv.mem_tail)
    body = (b'{"Response":{"TotalCount":20000,"Certificates":[' + b",".join(parts) +
            b'],"RequestId":"mem"}}')
    return x.reply(body)


def _dup(x, first, second, member):
    """Good0001 with `member` twice: first value, then second."""
    c = dumps(cert(x.now, "Dupl0003", "dup.example.com", 100))
    key = b'"%s":' % member.encode()
    i = c.index(key)
    j = c.index(b",", i)
    c = c[:i] + key + dumps(first) + b"," + key + dumps(second) + c[j:]
    return x.reply(listing_body([c, good_certs(x.now)[0]], x.offset, x.limit))


@case("dup-end-ok-last", "CertEndTime twice: expired first, 100 days left second")
def c_dup_end_a(x):
    return _dup(x, bj(x.now - 2 * DAY), bj(x.now + 100 * DAY), "CertEndTime")


@case("dup-end-ok-first", "CertEndTime twice: 100 days left first, expired second")
def c_dup_end_b(x):
    return _dup(x, bj(x.now + 100 * DAY), bj(x.now - 2 * DAY), "CertEndTime")


def _dup_escaped(x, first_escaped):
    """CertEndTime expired and Cert\\u0045ndTime (the same name, escaped) 100 days left."""
    c = dumps(cert(x.now, "Dupl0003", "dup.example.com", 100))
    i = c.index(b'"CertEndTime":')
    j = c.index(b",", i)
    plain = b'"CertEndTime":' + dumps(bj(x.now - 2 * DAY))
    escaped = b'"Cert\\u0045ndTime":' + dumps(bj(x.now + 100 * DAY))
    pair = escaped + b"," + plain if first_escaped else plain + b"," + escaped
    c = c[:i] + pair + c[j:]
    return x.reply(listing_body([c, good_certs(x.now)[0]], x.offset, x.limit))


@case("dup-end-escaped", "CertEndTime expired, then Cert\\u0045ndTime 100 days left")
def c_dup_end_esc(x):
    return _dup_escaped(x, False)


@case("dup-end-escaped-first", "Cert\\u0045ndTime 100 days left, then CertEndTime expired")
def c_dup_end_esc_first(x):
    return _dup_escaped(x, True)


@case("escaped-end-only", "a certificate whose only end time is named Cert\\u0045ndTime "
      "(2 days left)")
def c_escaped_end(x):
    c = dumps(cert(x.now, "Escp0011", "esc.example.com", 2)).replace(
        b'"CertEndTime":', b'"Cert\\u0045ndTime":')
    return x.reply(listing_body([c, good_certs(x.now)[0]], x.offset, x.limit))


@case("dup-id", "CertificateId twice in one certificate")
def c_dup_id(x):
    return _dup(x, "Dupl0003", "Othr0004", "CertificateId")


@case("dup-total", "TotalCount twice in the Response object: 1, then 2")
def c_dup_total(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit, total=b"1,\"TotalCount\":2")
    return x.reply(body)


@case("nul-name", 'a CRITICAL certificate named "evil.com\\u0000.example.com" next to an OK one')
def c_nul(x):
    evil = dumps(cert(x.now, "Evil0005", "EVIL", 5)).replace(b'"EVIL"', b'"evil.com\\u0000.example.com"')
    return x.reply(listing_body([good_certs(x.now)[0], evil], x.offset, x.limit))


@case("bad-utf8", "a CRITICAL certificate whose Domain holds invalid UTF-8 bytes")
def c_utf8(x):
    bad = dumps(cert(x.now, "Utf80006", "BAD", 5)).replace(
        b'"BAD"', b'"bad\xff\xfe\xc3(\xed\xa0\x80.example.com"')
    return x.reply(listing_body([good_certs(x.now)[0], bad], x.offset, x.limit))


def _echo(x, message):
    return x.reply(error_body("AuthFailure.SignatureFailure", message))


@case("echo-whole", "an API error echoing the session token and the secret key whole")
def c_echo_whole(x):
    return _echo(x, "token %s key %s rejected" % (x.req_token, x.srv.cfg.secret_key))


@case("echo-cut", "an API error echoing the token where the message is cut at 383 bytes")
def c_echo_cut(x):
    return _echo(x, "x" * 370 + " " + x.req_token + " tail")


@case("echo-sig", "an API error echoing the request's signature as 'sig <hex>'")
def c_echo_sig(x):
    return _echo(x, "bad request, sig %s expected something else" % x.req_sig)


@case("echo-sig-upper", "an API error echoing the signature as 'SIGNATURE=<HEX>' uppercase")
def c_echo_sig_upper(x):
    return _echo(x, "SIGNATURE=%s MISMATCH" % x.req_sig.upper())


@case("echo-prefix", "an API error echoing 12-byte prefixes of the key and token, case changed")
def c_echo_prefix(x):
    return _echo(x, "key=%s... tok=%s..." % (x.srv.cfg.secret_key[:12].upper(),
                                             x.req_token[:12].lower()))


def _u_escaped(text):
    return "".join("\\u%04x" % ord(ch) for ch in text)


@case("echo-escaped", "an API error echoing the key and the token written as \\u escapes")
def c_echo_escaped(x):
    msg = "key %s tok %s" % (_u_escaped(x.srv.cfg.secret_key), _u_escaped(x.req_token))
    return x.reply(b'{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"' +
                   msg.encode() + b'"},"RequestId":"hostile-err"}}')


@case("echo-fields", "the key, token and signature echoed in Code and RequestId, not Message")
def c_echo_fields(x):
    return x.reply(dumps({"Response": {"Error": {"Code": "AuthFailure.%s" % x.srv.cfg.secret_key,
                                                 "Message": "see code"},
                                       "RequestId": "%s-%s" % (x.req_token, x.req_sig)}}))


@case("echo-headers", "a good listing whose response headers echo the request's secrets")
def c_echo_headers(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body), headers=[
        "X-Echo-Auth: TC3-HMAC-SHA256 Signature=%s" % x.req_sig,
        "X-Echo-Token: %s" % x.req_token, "X-Echo-Key: %s" % x.srv.cfg.secret_key]) + body)
    return True


@case("echo-http-error", "HTTP 500 whose body and headers echo the request's secrets")
def c_echo_http_error(x):
    body = ("token %s key %s sig %s" % (x.req_token, x.srv.cfg.secret_key, x.req_sig)).encode()
    x.send(head(500, "Internal %s" % x.req_token, ["X-Echo-Token: %s" % x.req_token],
                len(body)) + body)
    return True


@case("header-1mib", "a 200 whose headers hold a 1 MiB header line")
def c_header(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body), headers=["X-Junk: " + "j" * (1 << 20)]) + body)
    return True


def _sans(x, n):
    big = cert(x.now, "Sans0007", "multi.example.com", 100,
               SubjectAltName=["d%d.example.cn" % i for i in range(n)])
    return x.reply(listing_body([big, good_certs(x.now)[0]], x.offset, x.limit))


@case("san-513", "a certificate with 513 SubjectAltName entries (100 days left)")
def c_san513(x):
    return _sans(x, 513)


@case("san-3000", "a certificate with 3000 SubjectAltName entries (100 days left)")
def c_san3000(x):
    return _sans(x, 3000)


# ---- the classics ----

@case("deep", "Certificates holding 100,000 nested '['")
def c_deep(x):
    return x.reply(b'{"Response":{"TotalCount":1,"Certificates":' + b"[" * 100000 +
                   b"]" * 100000 + b"}}")


@case("tokens-skip", "10 million tiny tokens in an unknown member next to the good listing")
def c_tokens_skip(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    junk = b'"Junk":[' + b"0," * (10 ** 7 - 1) + b'0],'
    return x.reply(body.replace(b'{"Response":{', b'{"Response":{' + junk, 1))


@case("tokens-certs", "Certificates: an array of 10 million zeros")
def c_tokens_certs(x):
    return x.reply(b'{"Response":{"TotalCount":10000000,"Certificates":[' +
                   b"0," * (10 ** 7 - 1) + b"0]}}")


@case("bigstring-domain", "a certificate whose Domain is a 50 MB string")
def c_bigstr(x):
    big = dumps(cert(x.now, "Bigs0008", "BIG", 5)).replace(b'"BIG"', b'"' + b"b" * (50 << 20) + b'"')
    return x.reply(listing_body([big], x.offset, x.limit))


@case("bigstring-skip", "a 50 MB string in an unknown member next to the good listing")
def c_bigstr_skip(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    junk = b'"Junk":"' + b"j" * (50 << 20) + b'",'
    return x.reply(body.replace(b'{"Response":{', b'{"Response":{' + junk, 1))


def _total(x, raw):
    return x.reply(listing_body(good_certs(x.now), x.offset, x.limit, total=raw))


for _name, _raw in (("total-1e999", b"1e999"), ("total-neg", b"-1"),
                    ("total-2p40", b"1099511627776"), ("total-frac", b"1.5"),
                    ("total-str", b'"10"'), ("total-bool", b"true")):
    case(_name, "TotalCount %s" % _raw.decode())(
        lambda x, raw=_raw: _total(x, raw))


@case("status-1e999", "a certificate whose Status is 1e999")
def c_status(x):
    c = dumps(cert(x.now, "Stat0009", "status.example.com", 100)).replace(
        b'"Status":1', b'"Status":1e999')
    return x.reply(listing_body([c], x.offset, x.limit))


IMPOSSIBLE = ["2026-02-30 12:00:00", "2026-13-01 00:00:00", "9999-99-99 99:99:99",
              "2026-06-01 25:61:61", "2027-02-29 00:00:00", "-001-01-01 00:00:00",
              "2026-06-01T00:00:00Z", "99999999999-01-01 00:00:00"]


@case("dates", "8 certificates with impossible CertEndTime values, one valid 2028-02-29")
def c_dates(x):
    certs = [cert(x.now, "Date%04d" % i, "d%d.example.com" % i, 100, CertEndTime=v)
             for i, v in enumerate(IMPOSSIBLE)]
    certs.append(cert(x.now, "Leap0099", "leap.example.com", 100,
                      CertEndTime="2028-02-29 12:00:00"))
    return x.reply(listing_body(certs, x.offset, x.limit))


def _gzip_stream(prefix, chunk, count, suffix):
    """A gzip member of prefix + chunk*count + suffix, made in O(len(chunk)) time: after a
    full flush deflate starts afresh, so every copy of chunk compresses to the same bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    p = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    a = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    s = c.compress(suffix) + c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + len(chunk) * count + len(suffix)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + p + a * count + s +
            crc.to_bytes(4, "little") + (size & 0xffffffff).to_bytes(4, "little"))


@case("gzip-bomb", "gzip: 1 GiB of whitespace inside a valid listing (about 1 MB sent)")
def c_gzip_bomb(x):
    if x.srv.bomb is None:
        x.srv.bomb = _gzip_stream(b'{"Response":{"TotalCount":0,"Certificates":[', b" " * (1 << 20),
                                  1024, b'],"RequestId":"bomb"}}')
    return x.reply(x.srv.bomb, headers=["Content-Encoding: gzip"])


@case("gzip-zeros", "gzip: 1 GiB of NUL bytes (about 1 MB sent)")
def c_gzip_zeros(x):
    if x.srv.bomb is None:
        x.srv.bomb = _gzip_stream(b"", b"\0" * (1 << 20), 1024, b"")
    return x.reply(x.srv.bomb, headers=["Content-Encoding: gzip"])


@case("gzip-bad", "Content-Encoding: gzip on a body that is not gzip")
def c_gzip_bad(x):
    return x.reply(b"\x1f\x8b\x08\x00garbage, not deflate data at all" * 10,
                   headers=["Content-Encoding: gzip"])


@case("chunk-bogus", "Transfer-Encoding: chunked with a chunk size of 'zz'")
def c_chunk_bogus(x):
    x.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
           b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
    return False


@case("chunk-huge", "Transfer-Encoding: chunked with a chunk size of 2^80")
def c_chunk_huge(x):
    x.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n100000000000000000000\r\n{\"Response\":{")
    return False


@case("endless-1xx", "'HTTP/1.1 100 Continue' every 5 ms, for ever")
def c_1xx(x):
    end = time.monotonic() + 60
    while time.monotonic() < end:
        x.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        time.sleep(0.005)
    return False


@case("redirect-302", "302 to the same path on another port (which listens and logs)")
def c_redirect_302(x):
    return x.reply(b"", 302, "Found", ["Location: http://127.0.0.1:%d/" % x.srv.other_port])


@case("redirect-307", "307 to another port")
def c_redirect_307(x):
    return x.reply(b"", 307, "Temporary Redirect",
                   ["Location: http://127.0.0.1:%d/" % x.srv.other_port])


@case("trickle-head", "the response headers at one byte per 0.5 s")
def c_trickle_head(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    return x.trickle(head(length=len(body)) + body, 0.5)


@case("trickle-body", "headers at once, then the body at one byte per 0.2 s")
def c_trickle_body(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body)))
    return x.trickle(body, 0.2)


@case("http09", "the JSON listing with no status line or headers at all, then close")
def c_http09(x):
    x.send(listing_body(good_certs(x.now), x.offset, x.limit))
    return False


@case("garbage", "binary garbage instead of a response, then close")
def c_garbage(x):
    x.send(bytes(range(256)) * 16)
    return False


# ---- bytes meant for the output: '|', newlines, control characters ----

@case("names-pipe", "'|' and ';' in Domain, CertificateId, SubjectAltName and Alias")
def c_names_pipe(x):
    c = cert(x.now, "Pipe|01;", "a|b;c.example.com", 5, Alias="x|y;z",
             SubjectAltName=["a|b;c.example.com", "p|q.example.com"])
    return x.reply(listing_body([c, good_certs(x.now)[0]], x.offset, x.limit))


@case("names-newline", "newlines and '| fake=1' perfdata in Domain and CertificateId")
def c_names_newline(x):
    c = cert(x.now, "Nl\n|id=1", "nl.example.com\n| fake=1;2;3\r\nNEXT", 5,
             SubjectAltName=["nl.example.com\n|x=1"])
    return x.reply(listing_body([c, good_certs(x.now)[0]], x.offset, x.limit))


@case("names-control", "ANSI escapes, NUL-free control characters and U+2028 in Domain")
def c_names_control(x):
    c = cert(x.now, "Ctrl0010", "\x1b[31mred\x1b[0m\x07\x08\x7f\u2028\u0085.example.com", 5)
    return x.reply(listing_body([c, good_certs(x.now)[0]], x.offset, x.limit))


@case("error-pipe", "an API error whose Code, Message and RequestId hold '|', ';' and newlines")
def c_error_pipe(x):
    return x.reply(dumps({"Response": {"Error": {"Code": "InvalidParameter|x=1",
                                                 "Message": "bad | value=1;2\nsecond | line"},
                                       "RequestId": "req|id\n=1"}}))


@case("error-huge", "an API error with a 1 MiB Message")
def c_error_huge(x):
    return x.reply(error_body("InvalidParameter", "m" * (1 << 20)))


@case("error-and-listing", "an Error object next to a complete, OK listing")
def c_error_listing(x):
    certs = [good_certs(x.now)[0]]
    body = listing_body(certs, x.offset, x.limit)
    err = b'"Error":{"Code":"AuthFailure.UnauthorizedOperation","Message":"denied"},'
    return x.reply(body.replace(b'{"Response":{', b'{"Response":{' + err, 1))


# ---- documents that are not one JSON object ----

for _name, _raw in (("top-array", b"[]"), ("top-null", b"null"), ("top-string", b'"ok"'),
                    ("no-response", b'{"TotalCount":2,"Certificates":[]}'),
                    ("response-array", b'{"Response":[]}')):
    case(_name, "the body %s" % _raw.decode())(lambda x, raw=_raw: x.reply(raw))


@case("json-trailing", "the good listing followed by 'xyz' inside the Content-Length")
def c_json_trailing(x):
    return x.reply(listing_body(good_certs(x.now), x.offset, x.limit) + b"xyz")


@case("json-twice", "the good listing twice in one body")
def c_json_twice(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    return x.reply(body + body)


@case("json-bom", "the good listing after a UTF-8 byte order mark")
def c_json_bom(x):
    return x.reply(b"\xef\xbb\xbf" + listing_body(good_certs(x.now), x.offset, x.limit))


@case("long-number", "TotalCount of 10,000 digits")
def c_long_number(x):
    return _total(x, b"9" * 10000)


# ---- odd but legal framing: must work ----

@case("http10-close", "HTTP/1.0, no Content-Length: the body ends when the connection closes")
def c_http10(x):
    x.send(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" +
           listing_body(good_certs(x.now), x.offset, x.limit))
    return False


@case("chunked-tiny", "chunked, one byte per chunk, with chunk extensions and a trailer")
def c_chunked_tiny(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    out = [b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n"]
    out += [b"1;ext=1\r\n" + body[i:i + 1] + b"\r\n" for i in range(len(body))]
    out.append(b"0\r\nX-Trailer: 1\r\n\r\n")
    x.send(b"".join(out))
    return True


@case("many-headers", "10,000 small response headers")
def c_many_headers(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body), headers=["X-H%d: v" % i for i in range(10000)]) + body)
    return True


@case("content-length-conflict", "two different Content-Length headers")
def c_cl_conflict(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=len(body), headers=["Content-Length: %d" % (len(body) + 100)]) + body)
    return False


@case("content-length-huge", "Content-Length: 2^40, a short body, then close")
def c_cl_huge(x):
    body = listing_body(good_certs(x.now), x.offset, x.limit)
    x.send(head(length=1 << 40) + body)
    return False


# ---- odd field values ----

@case("far-dates", "CertEndTime 9999-12-31 23:59:59 and 1970-01-01 08:00:00 (epoch 0)")
def c_far_dates(x):
    certs = [cert(x.now, "Far09999", "far.example.com", 100, CertEndTime="9999-12-31 23:59:59"),
             cert(x.now, "Old01970", "old.example.com", 100, Status=3,
                  CertBeginTime="1969-01-01 08:00:00", CertEndTime="1970-01-01 08:00:00")]
    return x.reply(listing_body(certs, x.offset, x.limit))


@case("id-shapes", "CertificateId missing, empty, null, a number and 10 KB long, one each")
def c_id_shapes(x):
    a = cert(x.now, "X", "missing.example.com", 5)
    del a["CertificateId"]
    certs = [a, cert(x.now, "", "empty.example.com", 5), cert(x.now, None, "null.example.com", 5),
             cert(x.now, 12345, "number.example.com", 5),
             cert(x.now, "L" * 10000, "long.example.com", 5)]
    return x.reply(listing_body(certs, x.offset, x.limit))


@case("long-ids-same-prefix", "two certificates whose 300-byte CertificateIds differ in the last byte")
def c_long_ids(x):
    certs = [cert(x.now, "L" * 299 + "a", "a.example.com", 100),
             cert(x.now, "L" * 299 + "b", "b.example.com", 5)]
    return x.reply(listing_body(certs, x.offset, x.limit))


@case("domain-shapes", "Domain missing, empty, null and 10 KB long, one each, no SubjectAltName")
def c_domain_shapes(x):
    a = cert(x.now, "DomMiss1", "x", 5)
    del a["Domain"]
    certs = [a] + [cert(x.now, cid, d, 5, SubjectAltName=[])
                   for cid, d in (("DomEmpt2", ""), ("DomNull3", None), ("DomLong5", "d" * 10000))]
    return x.reply(listing_body(certs, x.offset, x.limit))


@case("1xx-then-ok", "100 Continue, 102 Processing, 103 Early Hints, then the good listing")
def c_1xx_ok(x):
    x.send(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
           b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n")
    return x.good()


@case("status-204", "204 No Content")
def c_204(x):
    x.send(b"HTTP/1.1 204 No Content\r\n\r\n")
    return True


@case("status-401", "401 with WWW-Authenticate: Basic and Negotiate")
def c_401(x):
    return x.reply(b"{}", 401, "Unauthorized", ["WWW-Authenticate: Basic realm=x",
                                                 "WWW-Authenticate: Negotiate"])


@case("gzip-twice", "Content-Encoding: gzip, gzip: a gzip bomb inside a gzip")
def c_gzip_twice(x):
    if x.srv.bomb is None:
        inner = _gzip_stream(b'{"Response":{"TotalCount":0,"Certificates":[', b" " * (1 << 20),
                             1024, b'],"RequestId":"bomb"}}')
        x.srv.bomb = _gzip_stream(b"", inner, 1, b"")
    return x.reply(x.srv.bomb, headers=["Content-Encoding: gzip, gzip"])


@case("silent", "reads the request, then sends nothing, keeping the connection open")
def c_silent(x):
    time.sleep(60)
    return False


# ---- many certificates ----

def _many(x, total, tail):
    end = min(total, x.offset + x.limit)
    body = (b'{"Response":{"TotalCount":%d,"Certificates":[' % total +
            b",".join(b'{"CertificateId":"%08x"' % i + tail for i in range(x.offset, end)) +
            b'],"RequestId":"many"}}')
    return x.reply(body)


@case("many-ids", "--count (default 8388608) cancelled certificates (never selected): only "
      "the listing's id set grows")
def c_many_ids(x):
    return _many(x, x.srv.cfg.count or 8388608, b',"Status":7}')


@case("many-expired", "--count (default 200000) small expired certificates, all selected")
def c_many_expired(x):
    if x.srv.mem_tail is None:
        x.srv.mem_tail = (',"Domain":"e.example.com","Status":3,"CertEndTime":"%s"}'
                          % bj(x.now - 10 * DAY)).encode()
    return _many(x, x.srv.cfg.count or 200000, x.srv.mem_tail)


# ---- the server ----

class Server:
    def __init__(self, cfg):
        self.cfg = cfg
        self.handler = CASES[cfg.case][0]
        self.lock = threading.Lock()
        self.n = 0
        self.conns = 0
        self.mem_tail = None
        self.bomb = None
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", cfg.port))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.other = None
        self.other_port = 0
        if cfg.case.startswith("redirect"):
            self.other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.other.bind(("127.0.0.1", 0))
            self.other.listen(8)
            self.other_port = self.other.getsockname()[1]
            threading.Thread(target=self.other_loop, daemon=True).start()

    def log(self, entry):
        if not self.cfg.log:
            return
        with self.lock, open(self.cfg.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def other_loop(self):
        while True:
            s, _ = self.other.accept()
            self.log({"other": self.other_port, "time": time.time()})
            s.close()

    def serve(self):
        while True:
            s, _ = self.sock.accept()
            with self.lock:
                self.conns += 1
                conn = self.conns
            threading.Thread(target=self.connection, args=(s, conn), daemon=True).start()

    def read_request(self, s, buf):
        """(headers dict, body bytes, rest of buf) or None when the client closed."""
        while b"\r\n\r\n" not in buf:
            if len(buf) > HEAD_MAX:
                return None
            d = s.recv(65536)
            if not d:
                return None
            buf += d
        top, buf = buf.split(b"\r\n\r\n", 1)
        headers = {}
        for line in top.split(b"\r\n")[1:]:
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0") or 0)
        while len(buf) < n:
            d = s.recv(65536)
            if not d:
                return None
            buf += d
        return headers, buf[:n], buf[n:]

    def connection(self, s, conn):
        buf = b""
        try:
            while True:
                r = self.read_request(s, buf)
                if r is None:
                    break
                headers, body, buf = r
                with self.lock:
                    self.n += 1
                    n = self.n
                try:
                    req = json.loads(body or b"{}")
                except ValueError:
                    req = {}
                auth = headers.get("authorization", "")
                sig = auth.rsplit("Signature=", 1)[1] if "Signature=" in auth else ""
                x = Ctx(self, s, n, conn, req)
                x.req_sig, x.req_token = sig, headers.get("x-tc-token", "")
                self.log({"n": n, "conn": conn, "offset": x.offset, "limit": x.limit,
                          "sig": sig, "token": x.req_token, "time": time.time()})
                if self.cfg.only:
                    bad = n == self.cfg.only
                else:
                    bad = self.cfg.times == 0 or n <= self.cfg.times
                keep = self.handler(x) if bad else x.good()
                if not keep:
                    break
        except OSError:
            pass
        finally:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


# ---- for the tests ----

def is_asan(path):
    """True when the program at path is an AddressSanitizer build."""
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


class Hostile:
    """For the tests: this server playing CASE on a free port for a with-block, its files in
    workdir; .url once started, .log() the requests so far."""

    def __init__(self, case, workdir, now, times=0, server_args=()):
        self.dir = workdir
        self.port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "log.jsonl")
        self.cmd = [sys.executable, os.path.abspath(__file__), "--case", case, "--times", str(times),
                    "--now", str(now), "--port", "0", "--port-file", self.port_file,
                    "--log", self.log_path] + [str(a) for a in server_args]

    def __enter__(self):
        self.err = open(os.path.join(self.dir, "stderr"), "wb")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.proc.poll() is None:
            if os.path.exists(self.port_file):
                self.url = "http://127.0.0.1:%d" % int(open(self.port_file).read())
                return self
            time.sleep(0.02)
        self.__exit__()
        raise RuntimeError("hostile server did not start: %s" % " ".join(self.cmd))

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()
        return False

    def log(self):
        time.sleep(0.05)  # a handler logs before it answers; nothing is in flight now
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as f:
            return [json.loads(ln) for ln in f if ln.endswith("\n")]


def main(argv=None):
    ap = argparse.ArgumentParser(description="Hostile DescribeCertificates server (see the "
                                 "module docstring).")
    ap.add_argument("--case", help="what to play (--list shows all)")
    ap.add_argument("--list", action="store_true", help="print the cases and exit")
    ap.add_argument("--times", type=int, default=0,
                    help="play the case for the first N requests only (0: all)")
    ap.add_argument("--only", type=int, default=0,
                    help="play the case for the N-th request only (wins over --times)")
    ap.add_argument("--good-count", type=int, default=2,
                    help="certificates of the good listing (Good0001, Crit0002, then OK ones)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--now", type=int)
    ap.add_argument("--count", type=int, default=0, help="certificates of the many-* cases")
    ap.add_argument("--cert-kib", type=int, default=0, help="certificate size of the memory case")
    ap.add_argument("--secret-key", default="mockSecretKeyEXAMPLE000000000000",
                    help="the key the echo-* cases echo (the mock's throwaway one)")
    cfg = ap.parse_args(argv)
    if cfg.list:
        for name, (_, doc) in CASES.items():
            print("%-18s %s" % (name, doc))
        return 0
    if cfg.case not in CASES:
        sys.stderr.write("hostile: unknown --case %r (see --list)\n" % cfg.case)
        return 2
    cfg.now = int(time.time()) if cfg.now is None else cfg.now
    global GOOD_COUNT
    GOOD_COUNT = max(2, cfg.good_count)
    srv = Server(cfg)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    if cfg.port_file:
        tmp = "%s.%d.tmp" % (cfg.port_file, os.getpid())
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.port)
        os.replace(tmp, cfg.port_file)
    srv.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
