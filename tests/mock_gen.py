# SPDX-License-Identifier: GPL-3.0-or-later
"""The mock API's generated accounts, "gen:N[:SEED]" (see tests/mock_api.py): N synthetic
certificates made on demand from (SEED, index), deterministic for (N, SEED, --now)."""

import json
import re
import threading

from mock_certs import DAY, _compact, bj, make_cert

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
            b = self._make(i)  # outside the lock: one request's page waits on no other's
            with self.lock:
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
