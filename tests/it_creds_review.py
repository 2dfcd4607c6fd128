#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Review fixes of the credential paths (STS, CVM, --extra-opts) against the mocks: proxy
passwords and echoed signatures kept out of STS messages, --extra-opts values and precedence."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (NOW, SECRET_ID, SECRET_KEY, TOP_SRCDIR, Mock, case, run_cases,  # noqa: E402
                 run_plugin, tempdir)

ARN = "qcs::cam::uin/100012345678:roleName/ssl-monitor"
PROXY_ENV = {"http_proxy": None, "https_proxy": None, "HTTPS_PROXY": None, "all_proxy": None,
             "ALL_PROXY": None, "no_proxy": None, "NO_PROXY": None}
NOENV = {"TENCENTCLOUD_SECRET_ID": None, "TENCENTCLOUD_SECRET_KEY": None}
outputs = []  # of every run, for the secret key check at the end

# (name, arguments, environment): proxies the STS call cannot use
BAD_PROXIES = [
    ("--proxy ftp://", ["--proxy", "ftp://u:SEKRITpw@h:1"], {}),
    ("--proxy with a space", ["--proxy", "http://u:SEKRIT pw@h:1"], {}),
    ("$http_proxy ftp://", [], {"http_proxy": "ftp://u:SEKRITpw@h:1"}),
    ("$http_proxy with a space", [], {"http_proxy": "http://u:SEKRIT pw@h:1"}),
]


def run(args, env=None):
    e = dict(PROXY_ENV)
    e.update(env or {})
    code, out, err = run_plugin([str(a) for a in args], env=e)
    outputs.append(out + err)
    return code, out, err


def ini(name, *lines):
    """An INI file of section check_tencentcloud_ssl, in a directory of its own."""
    path = os.path.join(tempdir("extra-"), name)
    with open(path, "w") as f:
        f.write("[check_tencentcloud_ssl]\n" + "".join(ln + "\n" for ln in lines))
    os.chmod(path, 0o600)
    return path


def key_file():
    path = os.path.join(tempdir("extra-"), "key")
    with open(path, "w") as f:
        f.write(SECRET_KEY + "\n")
    os.chmod(path, 0o600)
    return path


def meta(*args):
    md = tempdir("meta-")
    pf = os.path.join(md, "port")
    p = subprocess.Popen([sys.executable, os.path.join(TOP_SRCDIR, "tests", "mock_metadata.py"),
                          "--port", "0", "--port-file", pf] + list(args),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (os.path.exists(pf) and open(pf).read()):
        time.sleep(0.02)
    return p, "http://127.0.0.1:%s/latest/meta-data/" % open(pf).read().strip()


@case
def sts_bad_proxy(t):
    """1. A proxy the STS call cannot use: its password in no output, and no retries."""
    base = ["--endpoint", "http://127.0.0.1:1/", "--sts-endpoint", "http://127.0.0.1:2/",
            "--role-arn", ARN, "-vvv", "-t", "5"]
    for name, args, env in BAD_PROXIES:
        code, out, err = run(base + args, env)
        t.is_(code, 3, name + ": UNKNOWN", out + err)
        t.unlike(out + err, r"SEKRIT", name + ": no proxy password in any output")
        t.unlike(err, r"attempt 2", name + ": a configuration error is not retried")
        if env:
            t.like(out, r"proxy from \$http_proxy", name + ": named as the listing names it")


@case
def sts_echo_sig(t):
    """2. An STS error echoing the request's signature."""
    with Mock("--account", "sample", "--now", NOW, "--fault", "echo-sig") as m:
        code, out, err = run(["--endpoint", m.url, "--sts-endpoint", m.url, "--now", NOW,
                              "-vvv", "--role-arn", ARN, "--retries", "1"])
        t.is_(code, 3, "echo-sig on STS: UNKNOWN", out + err)
        t.like(out, r"STS AssumeRole: API error InternalError", "echo-sig: the STS error line")
        t.unlike(out + err, r"(?i)sig [0-9a-f]{8}|SIGNATURE=[0-9A-F]{8}",
                 "echo-sig: no signature hex of any attempt in any output")


@case
def extra_opts_refused(t):
    """3-4. --extra-opts: an empty value is the option's own error, never the next argument;
    --version and --help are not allowed in a file."""
    creds = ["--secret-id", SECRET_ID, "--secret-key-file", key_file()]
    with Mock("--account", "sample", "--now", NOW) as m:
        base = ["--endpoint", m.url, "--now", NOW]
        for name, line in [("domain =", "domain ="), ("w =", "w ="),
                           ("cache-file =", "cache-file =")]:
            code, out, err = run(["--extra-opts=@" + ini("empty.ini", line)] + base + creds)
            t.is_(code, 3, "INI '%s': a usage error, not a check" % name, out + err)
        code, out, err = run(["--extra-opts=@" + ini("empty.ini", "domain =")] + base + creds)
        t.like(out + err, r"--domain", "INI 'domain =': the option's own message")
        for key in ["version", "help", "V", "h"]:
            code, out, err = run(["--extra-opts=@" + ini("v.ini", key + " =")] + base + creds)
            t.is_(code, 3, "INI '%s =': refused" % key, out + err)
            t.like(out + err, r"not allowed in an INI file", "INI '%s =': says why" % key)


@case
def extra_opts_precedence(t):
    """5. Several --extra-opts apply in order; the command line wins, over a whole credential
    route; a secret key from a file is named so, and not in ps."""
    keyfile = key_file()
    creds = ["--secret-id", SECRET_ID, "--secret-key-file", keyfile]
    with Mock("--account", "sample", "--now", NOW) as m:
        base = ["--endpoint", m.url, "--now", NOW]
        a = ini("a.ini", "secret-id = " + SECRET_ID)
        b = ini("b.ini", "secret-key-file = " + keyfile)
        code, out, err = run(["--extra-opts=@" + a, "--extra-opts=@" + b, "-v"] + base, NOENV)
        t.is_(code, 2, "two --extra-opts: both files apply (the sample account lists)",
              out + err)
        t.like(err, r"a\.ini: --secret-id\n.*b\.ini: --secret-key-file", "-v names both files")
        c = ini("c.ini", "cvm-role = auto", "metadata-url = http://127.0.0.1:9/")
        code, out, err = run(["--extra-opts=@" + c, "-v"] + base + creds, NOENV)
        t.is_(code, 2, "INI cvm-role, command line --secret-id: the command line's route",
              out + err)
        t.like(err, r"overridden by the command line: cvm-role", "-v names the overridden option")
        e = ini("e.ini", "include-replaced =", "domain = nosuch.example")
        code, out, err = run(["--extra-opts=@" + e, "--exclude-replaced", "--domain", "*"] +
                             base + creds + ["-v"], NOENV)
        t.is_(code, 2, "INI include-replaced, command line --exclude-replaced: no conflict",
              out + err)
        t.like(err, r"overridden by the command line: include-replaced domain",
               "-v: both overridden")
        k = ini("k.ini", "secret-id = " + SECRET_ID, "secret-key = " + SECRET_KEY)
        code, out, err = run(["--extra-opts=@" + k, "-v"] + base, NOENV)
        t.is_(code, 2, "credentials from the INI file list", out + err)
        t.like(err, r"credentials from --extra-opts .*k\.ini", "-v: credentials from the file")
        t.unlike(err, r"visible in ps", "no ps warning for a key from the file")


@case
def ignored_options(t):
    """7. Options that matter only with another: a -v note."""
    creds = ["--secret-id", SECRET_ID, "--secret-key-file", key_file()]
    with Mock("--account", "sample", "--now", NOW) as m:
        base = ["--endpoint", m.url, "--now", NOW]
        code, out, err = run(base + creds + ["-v", "--role-duration", "60",
                                             "--role-session-name", "abc", "--sts-endpoint",
                                             m.url, "--metadata-url", "http://127.0.0.1:9/"])
        t.is_(code, 2, "ignored options: the check still runs", out + err)
        for opt in ["--role-duration", "--role-session-name", "--sts-endpoint"]:
            t.like(err, re.escape(opt) + r" is ignored without --role-arn",
                   opt + ": -v says ignored")
        t.like(err, r"--metadata-url is ignored without --cvm-role",
               "--metadata-url: -v says ignored")


@case
def cvm_expired(t):
    """8. CVM credentials that have already expired."""
    with Mock("--account", "sample", "--now", NOW) as m:
        p, url = meta("--fault", "expired")
        try:
            code, out, err = run(["--endpoint", m.url, "--now", NOW, "--cvm-role", "auto",
                                  "--metadata-url", url, "-vvv"], NOENV)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait()
        t.is_(code, 3, "CVM credentials already expired: UNKNOWN", out + err)
        t.like(out, r"CVM role ssl-monitor: .*expired at \d+", "names the role and the expiry")
        t.ok("cvmTmpKeyEXAMPLE" not in out + err, "no CVM key in any output")


@case
def sts_silent(t):
    """8. An STS endpoint that never answers: one "timed out", one "last error"."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    code, out, err = run(["--endpoint", "http://127.0.0.1:1/", "--sts-endpoint",
                          "http://127.0.0.1:%d/" % silent.getsockname()[1], "--role-arn", ARN,
                          "-t", "2"], {"TENCENTCLOUD_SECRET_ID": SECRET_ID,
                                       "TENCENTCLOUD_SECRET_KEY": SECRET_KEY})
    silent.close()
    t.is_(code, 3, "a silent STS endpoint: the -t state", out + err)
    t.like(out, r"timed out after 2 s \(last error: STS AssumeRole: no answer from "
           r"127\.0\.0\.1:\d+ within [\d.]+ s\)\n", "one level of 'last error'")
    t.is_(out.count("last error"), 1, "'last error' once")


@case
def no_secret_key(t):
    """The outputs of every run above: no secret key in any."""
    for text in outputs:
        t.ok(SECRET_KEY not in text, "no secret key in any output")


if __name__ == "__main__":
    run_cases()
