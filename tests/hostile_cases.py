# SPDX-License-Identifier: GPL-3.0-or-later
"""The cases of tests/hostile_server.py that replay issue 9, item by item."""

import time

from hostile_http import DAY, bj, case, cert, dumps, error_body, good_certs, head, listing_body


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
    evil = dumps(cert(x.now, "Evil0005", "EVIL", 5)).replace(
        b'"EVIL"', b'"evil.com\\u0000.example.com"')
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
