#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Passwords in URLs never reach stdout or stderr, even at -vvv: --endpoint, --sts-endpoint
and --metadata-url refuse user info without echoing the URL; a proxy from --proxy or from
http_proxy/https_proxy/all_proxy is shown as scheme://user@host:port, and when libcurl
refuses it (unsupported scheme, a space, a '/' in the password, no host) the URL it echoes
has the password redacted. Against tests/mock_api.py and tests/mock_proxy.py."""

import base64
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, Mock, case, closed_port, run_cases, run_plugin  # noqa: E402
from mock_proxy import MockProxy  # noqa: E402

U = r"^TENCENTCLOUD_SSL UNKNOWN - "
# Every password below holds "SEK", "RITpw" or "S?E#K": none of them, nor a piece of one
# cut at a '/', '?' or '#' by a wrong split, may be printed.
PIECES = ("SEK", "RITpw", "S?E#K")

API_URLS = [  # (option, URL with user info)
    ("--endpoint", "http://u:SEKRITpw@127.0.0.1/"),
    ("--endpoint", "https://u:SEKRIT pw@127.0.0.1:1"),
    ("--endpoint", "http://u:SEK/RITpw@127.0.0.1/"),
    ("--endpoint", "ftp://u:SEKRITpw@127.0.0.1/"),
    ("--sts-endpoint", "http://u:SEKRITpw@127.0.0.1:1/"),
    ("--sts-endpoint", "http://SEKRITpw@127.0.0.1:1/"),
]
METADATA_URLS = ["http://u:SEKRITpw@127.0.0.1:1/", "http://u:SEKRIT%20pw@127.0.0.1:1/"]
# working proxies from the environment: (variable, password)
ENV_PROXIES = [("http_proxy", "SEKRIT pw"), ("all_proxy", "SEK/RITpw:x")]


def no_secret(t, text, name):
    t.ok(not any(piece in text for piece in PIECES), name + ": no password printed",
         diag=text)


def sample():
    return Mock("--account", "sample", "--now", str(NOW))


def bad_proxies(m, dead):
    """(variable, endpoint, proxy, what -vv shows) for proxies libcurl refuses or cannot
    reach ("Unsupported proxy syntax in '...'" echoes the URL)."""
    https_url = m.url.replace("http://", "https://")
    return [
        ("http_proxy", m.url, "ftp://alice:SEKRITpw@127.0.0.1:%d" % dead,
         r"proxy ftp://alice@127\.0\.0\.1:%d from \$http_proxy" % dead),
        ("http_proxy", m.url, "http://alice:SEKRIT pw@127.0.0.1:%d" % dead,
         r"proxy http://alice@127\.0\.0\.1:%d from \$http_proxy" % dead),
        ("all_proxy", m.url, "http://alice:SEK/RITpw@127.0.0.1:%d" % dead,
         r"proxy http://alice@127\.0\.0\.1:%d from \$all_proxy" % dead),
        ("https_proxy", https_url, "http://alice:S?E#KRITpw@127.0.0.1:%d" % dead,
         r"proxy http://alice@127\.0\.0\.1:%d from \$https_proxy" % dead),
        ("all_proxy", https_url, "socks5h://alice:SEKRITpw@127.0.0.1:%d" % dead,
         r"proxy socks5h://alice@127\.0\.0\.1:%d from \$all_proxy" % dead),
        # not understood here at all: named by variable only; libcurl still uses it
        ("http_proxy", m.url, "http://alice:SEKRITpw@",
         r"proxy from \$http_proxy, not a proxy URL this plugin understands"),
        ("http_proxy", m.url, "http://alice:SEKRITpw@127.0.0.1:%d\t" % dead,
         r"proxy from \$http_proxy, not a proxy URL this plugin understands"),
        ("https_proxy", https_url, "http://alice:SEKRITpw@127.0.0.1:1/" + "a" * 1100,
         r"proxy from \$https_proxy, not a proxy URL this plugin understands"),
    ]


@case
def api_url_user_info(t):
    """User info in an API URL: refused by name, the URL not echoed."""
    for opt, url in API_URLS:
        code, out, err = run_plugin([opt, url, "--role-arn", "qcs::cam::uin/1:roleName/r",
                                     "-vvv", "-t", 5])
        t.is_(code, 3, "%s %s: UNKNOWN" % (opt, url), diag=out + err)
        t.like(out, U + r"%s must not contain user info \(user:password@\)$" % opt,
               "%s %s: says why" % (opt, url))
        no_secret(t, out + err, "%s %s" % (opt, url))


@case
def metadata_url_user_info(t):
    """User info in --metadata-url: refused, the URL not echoed."""
    for url in METADATA_URLS:
        code, out, err = run_plugin(["--cvm-role", "r", "--metadata-url", url, "-vvv", "-t", 5],
                                    env={"TENCENTCLOUD_SECRET_ID": None,
                                         "TENCENTCLOUD_SECRET_KEY": None})
        t.is_(code, 3, "--metadata-url %s: UNKNOWN" % url, diag=out + err)
        t.like(out, U + r"--metadata-url must be .*without spaces or user info",
               "--metadata-url %s: says why" % url)
        no_secret(t, out + err, "--metadata-url " + url)


@case
def env_proxies_refused(t):
    """Proxies from the environment libcurl refuses or cannot reach: UNKNOWN, the password
    redacted from what libcurl says."""
    with sample() as m:
        for var, endpoint, proxy, shown in bad_proxies(m, closed_port()):
            name = "$%s=%r" % (var, proxy[:60])
            code, out, err = run_plugin(["--endpoint", endpoint, "--now", NOW, "-vvv", "-t", 5],
                                        env={var: proxy})
            t.is_(code, 3, name + ": UNKNOWN", diag=out + err)
            t.like(err, shown, name + ": -vv shows the proxy without its password")
            no_secret(t, out + err, name)


@case
def proxy_option_refused(t):
    """--proxy with an unsupported scheme and a space in the password."""
    dead = closed_port()
    with sample() as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-vvv", "-t", 5,
                                     "--proxy", "ftp://alice:SEKRIT pw@127.0.0.1:%d" % dead])
    t.is_(code, 3, "--proxy ftp://...: UNKNOWN", diag=out + err)
    t.like(err, r"proxy ftp://alice@127\.0\.0\.1:%d \(--proxy\)" % dead, "--proxy ftp: -vv")
    no_secret(t, out + err, "--proxy ftp://")


@case
def env_proxies_working(t):
    """Working proxies from the environment, passwords with a space (percent-encoded) and
    a '/': listed, the password sent, never printed."""
    with sample() as m:
        for var, raw in ENV_PROXIES:
            with MockProxy(auth="alice:" + raw) as p:
                proxy = "http://alice:%s@127.0.0.1:%d" % (urllib.parse.quote(raw, safe=""),
                                                          p.port)
                code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW, "-vvv", "-t", 8],
                                            env={var: proxy})
            name = "$%s with password %r" % (var, raw)
            t.is_(code, 2, name + ": listed through the proxy", diag=out + err)
            want = "Basic " + base64.b64encode(("alice:" + raw).encode()).decode()
            t.ok(want in p.auth_seen, name + ": the password reached the proxy",
                 diag=p.auth_seen)
            t.like(err, r"proxy http://alice@127\.0\.0\.1:%d from \$%s" % (p.port, var),
                   name + ": -vv shows user@host:port")
            no_secret(t, out + err, name)
            t.ok(want[6:] not in out + err, name + ": nor its base64", diag=err)


if __name__ == "__main__":
    run_cases()
