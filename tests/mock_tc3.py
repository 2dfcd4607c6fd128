# SPDX-License-Identifier: GPL-3.0-or-later
"""TC3-HMAC-SHA256 for the mock API (tests/mock_api.py): parsing an Authorization header,
signing and verifying a request, written independently of the C code. Python 3 standard
library only."""

import hashlib
import hmac
import re
import time

SERVICE = "ssl"

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
