#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The proxy (issue 13): --proxy-user-file, credentials in a --proxy URL blanked from the
command line, proxy failures named as the proxy's (refused, 407, a refused CONNECT), a 407
never retried, -vv naming the proxy without its password. Against tests/mock_proxy.py."""

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (NOW, PLUGIN, TAP, Mock, closed_port, plugin_env, run_plugin,  # noqa: E402
                 tempdir)
from mock_proxy import MockProxy  # noqa: E402

t = TAP()
U = r"^TENCENTCLOUD_SSL UNKNOWN - "
PW = "s3cret-proxy-pw"


def check(m, *args, env=None):
    return run_plugin(["--endpoint", m.url, "--now", NOW, "-t", 8] + [str(a) for a in args],
                      env=env)


d = tempdir("proxy-")
userfile = os.path.join(d, "proxy-user")
with open(userfile, "w") as f:
    f.write("alice:%s\nsecond line ignored\n" % PW)
os.chmod(userfile, 0o600)
wrongfile = os.path.join(d, "proxy-wrong")
with open(wrongfile, "w") as f:
    f.write("alice:nope-nope-nope\n")

with Mock("--account", "sample", "--now", str(NOW)) as m:
    # a plain proxy: used, and named at -vv
    with MockProxy() as p:
        code, out, err = check(m, "--proxy", p.url, "-vv")
    t.is_(code, 2, "through a proxy: listed", diag=out + err)
    t.ok(p.seen and p.seen[0].startswith(m.url), "the proxy saw the request", diag=p.seen)
    t.like(err, r"proxy http://127\.0\.0\.1:%d \(--proxy\)" % p.port, "-vv names the proxy")

    # a proxy that wants a password: from --proxy-user-file, never printed
    with MockProxy(auth="alice:" + PW) as p:
        code, out, err = check(m, "--proxy", p.url, "--proxy-user-file", userfile, "-vvv")
    t.is_(code, 2, "--proxy-user-file: listed through an authenticating proxy", diag=out + err)
    t.ok(p.auth_seen and p.auth_seen[0].startswith("Basic "), "the proxy got Basic credentials")
    t.like(err, r"user and password from --proxy-user-file", "-vv says where they came from")
    t.ok(PW not in out + err, "-vvv: the proxy password appears nowhere")

    # 407: named as the proxy's, not retried
    for label, extra in (("no credentials", []), ("wrong credentials",
                                                 ["--proxy-user-file", wrongfile])):
        with MockProxy(auth="alice:" + PW) as p:
            code, out, err = check(m, "--proxy", p.url, "-v", *extra)
        t.is_(code, 3, "407, %s: UNKNOWN" % label)
        t.like(out, U + r"proxy authentication required \(HTTP 407 from proxy 127\.0\.0\.1:%d\)$"
               % p.port, "407, %s: named as the proxy's" % label)
        t.is_(len(p.seen), 1, "407, %s: not retried" % label, diag=p.seen)
        t.like(err, r"listing failed after 1 request,", "407, %s: '1 request'" % label)

    # credentials in the URL: work, are blanked from the command line, never printed
    with MockProxy(auth="alice:" + PW) as p:
        url = "http://alice:%s@127.0.0.1:%d" % (PW, p.port)
        with Mock("--account", "sample", "--now", str(NOW), "--delay", "1") as slow:
            env = plugin_env()
            proc = subprocess.Popen([PLUGIN, "--endpoint", slow.url, "--now", str(NOW),
                                     "--proxy", url, "-vv"], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            time.sleep(0.5)
            with open("/proc/%d/cmdline" % proc.pid, "rb") as f:
                cmdline = f.read()
            out, err = (x.decode() for x in proc.communicate(timeout=20))
    t.is_(proc.returncode, 2, "credentials in --proxy: listed", diag=out + err)
    t.ok(PW.encode() not in cmdline, "credentials in --proxy: blanked from the command line")
    t.ok(b"127.0.0.1:%d" % p.port in cmdline, "... the proxy's address stays visible")
    t.like(err, r"proxy http://alice@127\.0\.0\.1:%d \(--proxy\)" % p.port,
           "-vv shows the proxy with its user, without the password")
    t.ok(PW not in out + err, "credentials in --proxy: the password appears nowhere")

    # a proxy nobody listens on: named, retried like any connect error
    port = closed_port()
    code, out, err = check(m, "--proxy", "http://127.0.0.1:%d" % port, "--retries", 1, "-vv")
    t.is_(code, 3, "refused proxy: UNKNOWN")
    t.like(out, U + r"proxy 127\.0\.0\.1:%d refused the connection$" % port,
           "refused proxy: named as the proxy's")
    t.is_(err.count("retry in"), 1, "refused proxy: retried as a connect error", diag=err)
    code, out, err = check(m, "--proxy", "127.0.0.1:%d" % port, "--retries", 0)
    t.like(out, U + r"proxy 127\.0\.0\.1:%d refused the connection$" % port,
           "a proxy given without scheme is named the same")

    # an https endpoint: the CONNECT tunnel is refused with 407 (not retried) or 403
    https_url = m.url.replace("http://", "https://")
    with MockProxy(auth="alice:" + PW) as p:
        code, out, err = run_plugin(["--endpoint", https_url, "--now", NOW, "-t", 8,
                                     "--proxy", p.url])
    t.like(out, U + r"proxy authentication required \(HTTP 407 from proxy 127\.0\.0\.1:%d\)$"
           % p.port, "CONNECT 407: named as the proxy's", diag=out)
    t.is_(len(p.seen), 1, "CONNECT 407: not retried", diag=p.seen)
    with MockProxy() as p:
        code, out, err = run_plugin(["--endpoint", https_url, "--now", NOW, "-t", 8,
                                     "--proxy", p.url])
    t.like(out, U + r"proxy 127\.0\.0\.1:%d refused the tunnel to 127\.0\.0\.1:%d \(HTTP 403\)$"
           % (p.port, m.port), "CONNECT 403: the proxy refused the tunnel", diag=out)

# --proxy-user-file problems: one clear line, no request
code, out, err = run_plugin(["--endpoint", "http://127.0.0.1:1", "--proxy", "http://127.0.0.1:1",
                             "--proxy-user-file", os.path.join(d, "missing")])
t.is_(code, 3, "a missing --proxy-user-file: UNKNOWN")
t.like(out, U + r"--proxy-user-file: cannot open .*missing: No such file", "names the file")
nocolon = os.path.join(d, "nocolon")
with open(nocolon, "w") as f:
    f.write("just-a-password-" + PW + "\n")
code, out, err = run_plugin(["--endpoint", "http://127.0.0.1:1", "--proxy", "http://127.0.0.1:1",
                             "--proxy-user-file", nocolon])
t.like(out, U + r"bad --proxy-user-file .*: the first line must be user:password$",
       "a first line without ':' is refused")
t.ok(PW not in out + err, "... without echoing it")

# the first line without a newline: nothing past what was read is looked at (valgrind
# once saw strcspn run into uninitialised bytes); skipped where valgrind is missing or
# the build is sanitized (the two do not mix)
nonl = os.path.join(d, "no-newline")
with open(nonl, "w") as f:
    f.write("alice:" + PW)
os.chmod(nonl, 0o600)
valgrind = shutil.which("valgrind")
sanitized = b"__asan_init" in open(PLUGIN, "rb").read()
if not valgrind or sanitized:
    t.skip("valgrind: %s" % ("not installed" if not valgrind else "sanitized build"), 2)
else:
    r = subprocess.run([valgrind, "-q", "--error-exitcode=99", "--track-origins=yes", PLUGIN,
                        "--endpoint", "http://127.0.0.1:1", "--proxy", "http://127.0.0.1:1",
                        "--proxy-user-file", nonl, "--secret-id", "AKIDvalgrind",
                        "--secret-key-file", nonl, "-t", "20"],
                       capture_output=True, text=True, timeout=120, env=plugin_env())
    t.is_(r.returncode, 3, "valgrind: no error reading a file without a newline",
          diag=r.stdout + r.stderr)
    t.ok("uninitialised" not in r.stderr, "... no uninitialised read", diag=r.stderr)
t.done()
