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
from tap import (NOW, PLUGIN, Mock, case, closed_port, plugin_env, run_cases,  # noqa: E402
                 run_plugin, tempdir)
from mock_proxy import MockProxy  # noqa: E402

U = r"^TENCENTCLOUD_SSL UNKNOWN - "
PW = "s3cret-proxy-pw"


def check(m, *args, env=None):
    return run_plugin(["--endpoint", m.url, "--now", NOW, "-t", 8] + [str(a) for a in args],
                      env=env)


def sample():
    return Mock("--account", "sample", "--now", str(NOW))


def write_file(name, text, private=False):
    """text in a fresh directory's file name (mode 0600 when private)."""
    path = os.path.join(tempdir("proxy-"), name)
    with open(path, "w") as f:
        f.write(text)
    if private:
        os.chmod(path, 0o600)
    return path


def user_file():
    return write_file("proxy-user", "alice:%s\nsecond line ignored\n" % PW, private=True)


@case
def plain_proxy(t):
    """A plain proxy: used, and named at -vv."""
    with sample() as m, MockProxy() as p:
        code, out, err = check(m, "--proxy", p.url, "-vv")
    t.is_(code, 2, "through a proxy: listed", diag=out + err)
    t.ok(p.seen and p.seen[0].startswith(m.url), "the proxy saw the request", diag=p.seen)
    t.like(err, r"proxy http://127\.0\.0\.1:%d \(--proxy\)" % p.port, "-vv names the proxy")


@case
def proxy_user_file(t):
    """A proxy that wants a password: from --proxy-user-file, never printed."""
    with sample() as m, MockProxy(auth="alice:" + PW) as p:
        code, out, err = check(m, "--proxy", p.url, "--proxy-user-file", user_file(), "-vvv")
    t.is_(code, 2, "--proxy-user-file: listed through an authenticating proxy", diag=out + err)
    t.ok(p.auth_seen and p.auth_seen[0].startswith("Basic "), "the proxy got Basic credentials")
    t.like(err, r"user and password from --proxy-user-file", "-vv says where they came from")
    t.ok(PW not in out + err, "-vvv: the proxy password appears nowhere")


@case
def proxy_407(t):
    """407: named as the proxy's, not retried."""
    wrongfile = write_file("proxy-wrong", "alice:nope-nope-nope\n")
    with sample() as m:
        for label, extra in (("no credentials", []), ("wrong credentials",
                                                     ["--proxy-user-file", wrongfile])):
            with MockProxy(auth="alice:" + PW) as p:
                code, out, err = check(m, "--proxy", p.url, "-v", *extra)
            t.is_(code, 3, "407, %s: UNKNOWN" % label)
            t.like(out, U + r"proxy authentication required \(HTTP 407 from proxy "
                   r"127\.0\.0\.1:%d\)$" % p.port, "407, %s: named as the proxy's" % label)
            t.is_(len(p.seen), 1, "407, %s: not retried" % label, diag=p.seen)
            t.like(err, r"listing failed after 1 request,", "407, %s: '1 request'" % label)


@case
def credentials_in_url(t):
    """Credentials in the --proxy URL: work, are blanked from the command line, never
    printed."""
    with MockProxy(auth="alice:" + PW) as p:
        url = "http://alice:%s@127.0.0.1:%d" % (PW, p.port)
        with Mock("--account", "sample", "--now", str(NOW), "--delay", "1") as slow:
            env = plugin_env()
            proc = subprocess.Popen([PLUGIN, "--endpoint", slow.url, "--now", str(NOW),
                                     "--proxy", url, "-vv"], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            time.sleep(0.5)  # past option parsing, while the slow mock keeps it running
            with open("/proc/%d/cmdline" % proc.pid, "rb") as f:
                cmdline = f.read()
            out, err = (x.decode() for x in proc.communicate(timeout=20))
    t.is_(proc.returncode, 2, "credentials in --proxy: listed", diag=out + err)
    t.ok(PW.encode() not in cmdline, "credentials in --proxy: blanked from the command line")
    t.ok(b"127.0.0.1:%d" % p.port in cmdline, "... the proxy's address stays visible")
    t.like(err, r"proxy http://alice@127\.0\.0\.1:%d \(--proxy\)" % p.port,
           "-vv shows the proxy with its user, without the password")
    t.ok(PW not in out + err, "credentials in --proxy: the password appears nowhere")


@case
def refused_proxy(t):
    """A proxy nobody listens on: named, retried like any connect error."""
    port = closed_port()
    with sample() as m:
        code, out, err = check(m, "--proxy", "http://127.0.0.1:%d" % port, "--retries", 1,
                               "-vv")
        t.is_(code, 3, "refused proxy: UNKNOWN")
        t.like(out, U + r"proxy 127\.0\.0\.1:%d refused the connection$" % port,
               "refused proxy: named as the proxy's")
        t.is_(err.count("retry in"), 1, "refused proxy: retried as a connect error", diag=err)
        code, out, err = check(m, "--proxy", "127.0.0.1:%d" % port, "--retries", 0)
    t.like(out, U + r"proxy 127\.0\.0\.1:%d refused the connection$" % port,
           "a proxy given without scheme is named the same")


@case
def connect_refused(t):
    """An https endpoint: the CONNECT tunnel is refused with 407 (not retried) or 403."""
    with sample() as m:
        https_url = m.url.replace("http://", "https://")
        with MockProxy(auth="alice:" + PW) as p:
            code, out, err = run_plugin(["--endpoint", https_url, "--now", NOW, "-t", 8,
                                         "--proxy", p.url])
        t.like(out, U + r"proxy authentication required \(HTTP 407 from proxy "
               r"127\.0\.0\.1:%d\)$" % p.port, "CONNECT 407: named as the proxy's", diag=out)
        t.is_(len(p.seen), 1, "CONNECT 407: not retried", diag=p.seen)
        with MockProxy() as p:
            code, out, err = run_plugin(["--endpoint", https_url, "--now", NOW, "-t", 8,
                                         "--proxy", p.url])
        t.like(out, U + r"proxy 127\.0\.0\.1:%d refused the tunnel to 127\.0\.0\.1:%d "
               r"\(HTTP 403\)$" % (p.port, m.port), "CONNECT 403: the proxy refused the tunnel",
               diag=out)


@case
def user_file_missing(t):
    """A missing --proxy-user-file: one clear line, no request."""
    missing = os.path.join(tempdir("proxy-"), "missing")
    code, out, err = run_plugin(["--endpoint", "http://127.0.0.1:1", "--proxy",
                                 "http://127.0.0.1:1", "--proxy-user-file", missing])
    t.is_(code, 3, "a missing --proxy-user-file: UNKNOWN")
    t.like(out, U + r"--proxy-user-file: cannot open .*missing: No such file", "names the file")


@case
def user_file_without_colon(t):
    """A first line without ':' is refused without echoing it."""
    nocolon = write_file("nocolon", "just-a-password-" + PW + "\n")
    code, out, err = run_plugin(["--endpoint", "http://127.0.0.1:1", "--proxy",
                                 "http://127.0.0.1:1", "--proxy-user-file", nocolon])
    t.like(out, U + r"bad --proxy-user-file .*: the first line must be user:password$",
           "a first line without ':' is refused")
    t.ok(PW not in out + err, "... without echoing it")


@case
def user_file_without_newline(t):
    """The first line without a newline: nothing past what was read is looked at."""
    # valgrind once saw strcspn run into uninitialised bytes; skipped where valgrind is
    # missing or the build is sanitized (the two do not mix)
    nonl = write_file("no-newline", "alice:" + PW, private=True)
    valgrind = shutil.which("valgrind")
    sanitized = b"__asan_init" in open(PLUGIN, "rb").read()
    if not valgrind or sanitized:
        t.skip("valgrind: %s" % ("not installed" if not valgrind else "sanitized build"), 2)
        return
    r = subprocess.run([valgrind, "-q", "--error-exitcode=99", "--track-origins=yes", PLUGIN,
                        "--endpoint", "http://127.0.0.1:1", "--proxy", "http://127.0.0.1:1",
                        "--proxy-user-file", nonl, "--secret-id", "AKIDvalgrind",
                        "--secret-key-file", nonl, "-t", "20"],
                       capture_output=True, text=True, timeout=120, env=plugin_env())
    t.is_(r.returncode, 3, "valgrind: no error reading a file without a newline",
          diag=r.stdout + r.stderr)
    t.ok("uninitialised" not in r.stderr, "... no uninitialised read", diag=r.stderr)


if __name__ == "__main__":
    run_cases()
