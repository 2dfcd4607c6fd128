# SPDX-License-Identifier: GPL-3.0-or-later
"""The cases of tests/hostile_server.py beyond issue 9: JSON bombs, bad numbers and dates,
gzip bombs, bad framing, redirects, slow servers, output injection, odd fields, big listings."""

import time
import zlib

from hostile_http import DAY, bj, case, cert, dumps, error_body, good_certs, head, listing_body


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
    big = dumps(cert(x.now, "Bigs0008", "BIG", 5)).replace(
        b'"BIG"', b'"' + b"b" * (50 << 20) + b'"')
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


@case("long-ids-same-prefix",
      "two certificates whose 300-byte CertificateIds differ in the last byte")
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
