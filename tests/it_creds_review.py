#!/usr/bin/env python3
"""Review fixes of the credential paths (STS, CVM, --extra-opts) against the mocks: proxy
passwords and echoed signatures kept out of STS messages, --extra-opts values and precedence."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, SECRET_KEY, TAP, Mock, run_plugin, tempdir  # noqa: E402

t = TAP()
ARN = "qcs::cam::uin/100012345678:roleName/ssl-monitor"
PROXY_ENV = {"http_proxy": None, "https_proxy": None, "HTTPS_PROXY": None, "all_proxy": None,
             "ALL_PROXY": None, "no_proxy": None, "NO_PROXY": None}
outputs = []


def run(args, env=None):
    e = dict(PROXY_ENV)
    e.update(env or {})
    code, out, err = run_plugin([str(a) for a in args], env=e)
    outputs.append(out + err)
    return code, out, err


# 1. a proxy the STS call cannot use: its password in no output, and no retries
BASE = ["--endpoint", "http://127.0.0.1:1/", "--sts-endpoint", "http://127.0.0.1:2/",
        "--role-arn", ARN, "-vvv", "-t", "5"]
for name, args, env in [
        ("--proxy ftp://", ["--proxy", "ftp://u:SEKRITpw@h:1"], {}),
        ("--proxy with a space", ["--proxy", "http://u:SEKRIT pw@h:1"], {}),
        ("$http_proxy ftp://", [], {"http_proxy": "ftp://u:SEKRITpw@h:1"}),
        ("$http_proxy with a space", [], {"http_proxy": "http://u:SEKRIT pw@h:1"})]:
    code, out, err = run(BASE + args, env)
    t.is_(code, 3, name + ": UNKNOWN", out + err)
    t.unlike(out + err, r"SEKRIT", name + ": no proxy password in any output")
    t.unlike(err, r"attempt 2", name + ": a configuration error is not retried")
    if env:
        t.like(out, r"proxy from \$http_proxy", name + ": named as the listing names it")

# 2. an STS error echoing the request's signature
with Mock("--account", "sample", "--now", NOW, "--fault", "echo-sig") as m:
    code, out, err = run(["--endpoint", m.url, "--sts-endpoint", m.url, "--now", NOW, "-vvv",
                          "--role-arn", ARN, "--retries", "1"])
    t.is_(code, 3, "echo-sig on STS: UNKNOWN", out + err)
    t.like(out, r"STS AssumeRole: API error InternalError", "echo-sig: the STS error line")
    t.unlike(out + err, r"(?i)sig [0-9a-f]{8}|SIGNATURE=[0-9A-F]{8}",
             "echo-sig: no signature hex of any attempt in any output")

for text in outputs:
    t.ok(SECRET_KEY not in text, "no secret key in any output")
t.done()
