# SPDX-License-Identifier: GPL-3.0-or-later
"""Certificates for the mock API (tests/mock_api.py): the API's certificate object with its
full field set (make_cert), the "sample" account documented in mock_api.py, and Account, a
fixed list of certificates (sample, or a JSON file)."""

import json
import time

BEIJING = 8 * 3600
DAY = 86400

STATUS_NAMES = {
    0: "审核中", 1: "已通过", 2: "审核失败", 3: "已过期", 4: "已添加DNS记录",
    5: "企业证书，待提交", 6: "订单取消中", 7: "已取消", 8: "已提交资料，待上传确认函",
    9: "证书吊销中", 10: "已吊销", 11: "重颁发中", 12: "待上传吊销确认函",
    13: "免费证书待提交资料", 14: "已退款", 15: "迁移中",
}
OWNER_UIN = 100012345678


def bj(epoch):
    """Epoch seconds as the API's Beijing-time string."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + BEIJING))


def make_cert(now, cid, domain, days, validity=365, status=1, alias="", sans=None,
              source="buy", extra=None, **over):
    """A certificate with the API's full field set. days None: no begin/end times."""
    if days is None:
        begin = end = ""
        end_e = None
        insert = bj(now - 2 * DAY)
    else:
        end_e = now + days * DAY + 3600
        beg_e = end_e - validity * DAY
        begin, end = bj(beg_e), bj(end_e)
        insert = bj(beg_e - 3600)
    expiring = end_e is not None and 0 < end_e - now <= 30 * DAY
    sans = [domain] if sans is None else sans
    bought = source != "upload"
    cx = {"DomainNumber": str(len(sans)), "OriginCertificateId": "", "ReplacedBy": "",
          "ReplacedFor": "", "RenewOrder": "", "SMCert": 0, "CompanyType": 0}
    cx.update(extra or {})
    c = {
        "OwnerUin": str(OWNER_UIN),
        "ProjectId": "0",
        "From": source,
        "PackageType": "83" if bought else "",
        "CertificateType": "SVR",
        "ProductZhName": "TrustAsia 域名型免费版" if bought else "上传证书",
        "Domain": domain,
        "Alias": alias,
        "Status": status,
        "CertificateExtra": cx,
        "VulnerabilityStatus": "INACTIVE",
        "StatusMsg": "",
        "VerifyType": "DNS" if bought else "",
        "CertBeginTime": begin,
        "CertEndTime": end,
        "ValidityPeriod": str(max(1, round(validity / 30.4))) if days is not None else "3",
        "InsertTime": insert,
        "CertificateId": cid,
        "SubjectAltName": list(sans),
        "PackageTypeName": "TrustAsia C1 DV Free" if bought else "",
        "StatusName": STATUS_NAMES.get(status, ""),
        "IsVip": False,
        "IsDv": bought,
        "IsWildcard": domain.startswith("*."),
        "IsVulnerability": False,
        "RenewAble": False,
        "ProjectInfo": {"ProjectName": "默认项目", "ProjectCreatorUin": OWNER_UIN,
                        "ProjectCreateTime": "2019-01-01 00:00:00", "ProjectResume": "",
                        "OwnerUin": OWNER_UIN, "ProjectId": "0"},
        "BoundResource": [],
        "Deployable": status == 1,
        "Tags": [],
        "IsIgnore": False,
        "IsSM": False,
        "EncryptAlgorithm": "RSA 2048",
        "CAEncryptAlgorithms": ["RSA 2048"],
        "CAEndTimes": ["2029-12-31 23:59:59"],
        "CACommonNames": ["TrustAsia RSA DV TLS CA G2"],
        "PreAuditInfo": None,
        "AutoRenewFlag": 0,
        "HostingStatus": None,
        "HostingCompleteTime": None,
        "HostingRenewCertId": None,
        "HasRenewOrder": "",
        "ReplaceOriCertIsDelete": False,
        "IsExpiring": expiring,
        "DVAuthDeadline": None,
        "ValidationPassedTime": begin,
        "CertSANs": list(sans),
        "AwaitingValidationMsg": None,
        "AllowDownload": True,
        "IsDNSPODResolve": False,
        "IsPackage": False,
        "KeyPasswordCustomFlag": False,
        "SupportDownloadType": {"NGINX": True, "APACHE": True, "TOMCAT": True, "IIS": True,
                                "JKS": True, "OTHER": True, "ROOT": True},
    }
    for k, v in over.items():
        c[k] = v
    return c


def _compact(obj, ascii_only=False):
    return json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":")).encode()


def _hand_written(c):
    """WarnP012's JSON text, written by hand: keys reordered, whitespace, raw UTF-8 next to
    \\u escapes, a surrogate pair and an escaped solidus."""
    head = ('{\n  "CertificateId" : "WarnP012",\n'
            '  "Domain":"pay.example.com",\t'
            '"Alias": "\\u652f\\u4ed8网关 \\/ pay \\ud83d\\udd12",\n'
            '  "Status": 1, "StatusName": "已通过",\n'
            '  "CertBeginTime": "%s", "CertEndTime": "%s",\n'
            '  "SubjectAltName": [ "pay.example.com" , "pay-api.example.com" ],\n'
            '  "Tags": [ { "TagKey": "team", "TagValue": "pay" } ]' % (
                c["CertBeginTime"], c["CertEndTime"]))
    skip = {"CertificateId", "Domain", "Alias", "Status", "StatusName", "CertBeginTime",
            "CertEndTime", "SubjectAltName", "Tags"}
    rest = ",\n  ".join("%s: %s" % (json.dumps(k), json.dumps(v, ensure_ascii=False))
                        for k, v in c.items() if k not in skip)
    return (head + ",\n  " + rest + "\n}").encode()


def sample_account(now):
    """[(dict, serialized bytes)] for the demo account documented at the top."""
    m = lambda *a, **k: make_cert(now, *a, **k)  # noqa: E731
    prod = {"TagKey": "env", "TagValue": "prod"}
    certs = [
        m("OkWww060", "www.example.com", 60, sans=["www.example.com", "example.com"],
          BoundResource=["clb"], Tags=[prod], HostingStatus=1, alias="官网"),
        m("OkApi090", "api.example.com", 90, source="upload", BoundResource=["cdn"],
          Tags=[prod, {"TagKey": "team", "TagValue": "core"}], HostingStatus=0),
        m("OkShp120", "shop.example.com", 120, ProjectId="1001",
          Tags=[{"TagKey": "env", "TagValue": "staging"}]),
        m("OkCdn200", "static.example.cn", 200, BoundResource=["cdn", "waf"]),
        m("OkWld365", "*.example.org", 365, validity=396,
          sans=["*.example.org", "example.org", "*.api.example.org", "*.cdn.example.org"]),
        m("OkMal400", "mail.example.com", 400, validity=730, IsSM=True, EncryptAlgorithm="SM2",
          CAEncryptAlgorithms=["SM2"], extra={"SMCert": 1}),
        m("OkZh0180", "测试.example.com", 180, alias="测试站点"),
        m("OkCAc300", "client.example.com", 300, validity=730, source="upload",
          CertificateType="CA"),
        m("OkBlg045", "blog.example.com", 45, validity=90, RenewAble=True),
        m("WarnS020", "shop.example.net", 20, validity=90, ProjectId="1001", RenewAble=True),
        m("WarnP012", "pay.example.com", 12, sans=["pay.example.com", "pay-api.example.com"],
          alias="支付网关 / pay \U0001f512", Tags=[{"TagKey": "team", "TagValue": "pay"}]),
        m("CritL005", "login.example.com", 5, validity=90, RenewAble=True, HostingStatus=0,
          Tags=[prod, {"TagKey": "team", "TagValue": "pay"}]),
        m("Expd0002", "old.example.com", -2, status=3, BoundResource=["clb", "cdn"],
          RenewAble=True),
        m("Ignr0003", "legacy.example.com", 3, IsIgnore=True),
        m("Repl0004", "app.example.com", 4, extra={"ReplacedBy": "NewR0365"},
          HasRenewOrder="NewR0365"),
        m("NewR0365", "app.example.com", 365, validity=366,
          extra={"ReplacedFor": "Repl0004", "OriginCertificateId": "Repl0004"}),
        m("Revw0000", "review.example.com", None, status=0, AllowDownload=False),
        m("Pend0000", "pending.example.com", None, status=4, AllowDownload=False),
        m("NullS250", "nulls.example.com", 250, source="upload", SubjectAltName=None,
          BoundResource=None, CertificateExtra=None, Tags=None, CertSANs=None),
        m("Cncl0150", "cancel.example.com", 150, status=7, AllowDownload=False),
    ]
    out = []
    for c in certs:
        if c["CertificateId"] == "WarnP012":
            raw = _hand_written(c)
            parsed = json.loads(raw)
            assert parsed == c, "hand-written WarnP012 drifted from its dict"
        else:
            raw = _compact(c, ascii_only=c["CertificateId"] == "OkZh0180")
        out.append((c, raw))
    return out


class Account:
    """A fixed list of certificates (sample, or a JSON file)."""

    def __init__(self, items):
        self.items = items  # [(dict, bytes)]
        self.n = len(items)

    def cert(self, i):
        return self.items[i][0]

    def raw(self, i):
        return self.items[i][1]

    def end_key(self, i):
        v = self.items[i][0].get("CertEndTime")
        return str(v) if v else ""
