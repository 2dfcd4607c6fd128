# SPDX-License-Identifier: GPL-3.0-or-later
"""Request parameters and filtering for the mock API (tests/mock_api.py): the API's errors
(ApiError), the checks on DescribeCertificates parameters, the filters (matches) and Lister,
which selects and orders an account's certificates for a request."""

import json
import threading


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
