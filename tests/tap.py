# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the integration tests, which are Python scripts printing TAP: one function per
case, registered with @case and run in the order defined by run_cases().

    from tap import NOW, Mock, case, run_cases, run_plugin

    @case
    def sample_account(t):
        with Mock("--account", "sample", "--now", NOW) as m:
            code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW])
            t.is_(code, 2, "sample account is CRITICAL")
            t.like(out, r"^TENCENTCLOUD_SSL CRITICAL - ", "status line")
            t.is_(len(m.log_entries()), 1, "one request")

    if __name__ == "__main__":
        run_cases()

Paths come from the environment: top_srcdir and top_builddir (default: the directory above
tests/), PLUGIN (default: $top_builddir/plugin/check_tencentcloud_ssl). Python 3 stdlib only.
"""

import atexit
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
TOP_SRCDIR = os.environ.get("top_srcdir") or os.path.dirname(HERE)
TOP_BUILDDIR = os.environ.get("top_builddir") or os.path.dirname(HERE)
PLUGIN = os.environ.get("PLUGIN") or os.path.join(TOP_BUILDDIR, "plugin",
                                                  "check_tencentcloud_ssl")
MOCK = os.path.join(TOP_SRCDIR, "tests", "mock_api.py")
DATA = os.path.join(TOP_SRCDIR, "tests", "data")

# The mock's default credentials (run_plugin passes them unless told otherwise).
SECRET_ID = "AKIDmockEXAMPLE0000000000000000000000"
SECRET_KEY = "mockSecretKeyEXAMPLE000000000000"

# A fixed "now" for --now on both sides: 2026-01-01 00:00:00 UTC.
NOW = 1767225600

_tmp_root = None


def tempdir(prefix="it-"):
    """A fresh directory, removed when the test script exits."""
    global _tmp_root
    if _tmp_root is None:
        _tmp_root = tempfile.mkdtemp(prefix="tc-ssl-tests-")
        atexit.register(shutil.rmtree, _tmp_root, True)
    return tempfile.mkdtemp(prefix=prefix, dir=_tmp_root)


_shared_tls = None


def shared_tls_dir():
    """One CA and server certificate for all mocks of this test script."""
    global _shared_tls
    if _shared_tls is None:
        _shared_tls = tempdir("tls-")
    return _shared_tls


def diag(msg):
    """Prints msg as TAP comment lines."""
    for line in str(msg).splitlines() or [""]:
        sys.stdout.write("# " + line + "\n")
    sys.stdout.flush()


class TAP:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def _out(self, line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def diag(self, msg):
        diag(msg)

    def ok(self, cond, name, diag=None):
        self.n += 1
        cond = bool(cond)
        if not cond:
            self.failed += 1
        name = str(name).replace("\n", " ").replace("#", "\\#")
        self._out("%sok %d - %s" % ("" if cond else "not ", self.n, name))
        if not cond and diag is not None:
            self.diag(diag)
        return cond

    def is_(self, got, want, name, diag=None):
        extra = "     got: %r\n  wanted: %r" % (got, want)
        if diag is not None:
            extra += "\n" + str(diag)
        return self.ok(got == want, name, extra)

    def like(self, text, regex, name, diag=None):
        good = isinstance(text, str) and re.search(regex, text, re.M) is not None
        extra = "  %r\n  doesn't match %r" % (text, regex)
        if diag is not None:
            extra += "\n" + str(diag)
        return self.ok(good, name, extra)

    def unlike(self, text, regex, name, diag=None):
        good = isinstance(text, str) and re.search(regex, text, re.M) is None
        return self.ok(good, name, "  %r\n  matches %r" % (text, regex))

    def skip(self, reason, count=1):
        for _ in range(count):
            self.n += 1
            self._out("ok %d # SKIP %s" % (self.n, reason))

    def done(self):
        """Prints the plan and exits: 0 when every test passed."""
        self._out("1..%d" % self.n)
        if self.failed:
            self.diag("failed %d of %d" % (self.failed, self.n))
        sys.exit(1 if self.failed else 0)


_cases = []


def case(fn):
    """Registers fn as a case of this script: run_cases calls fn(t, *args)."""
    _cases.append(fn)
    return fn


def run_cases(*args):
    """Runs every registered case in the order defined, then prints the plan and exits. A case
    that raises counts as one failed result, and the cases after it still run."""
    t = TAP()
    for fn in _cases:
        try:
            fn(t, *args)
        except Exception:
            t.ok(False, "%s: ends without an exception" % fn.__name__, traceback.format_exc())
    t.done()


def stop_process(proc, wait=5):
    """SIGTERM, then SIGKILL when it has not gone after `wait` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def write_port_file(path, port):
    """A server's port for its starter, written whole or not at all (rename)."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def on_stop_signals(stop):
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def closed_port():
    """A 127.0.0.1 port nothing listens on (bound once, then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def accept_loop(sock, serve):
    """Hands every connection of a listening socket to serve(conn) in its own thread,
    until the socket is closed."""
    while True:
        try:
            c, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(c,), daemon=True).start()


class Mock:
    """Runs tests/mock_api.py on a free port for the duration of a with-block.

    Mock(*args, tls=False): args go to the mock as given (e.g. "--account", "gen:100",
    "--fault", "throttle@1"); --port 0, --port-file and --log are added. tls=True adds
    --tls-dir with a CA shared by the mocks of this script (or pass --tls-dir yourself).
    Attributes: port, url, ca (ca.pem path when TLS, else None), log_path, dir."""

    def __init__(self, *args, tls=False, timeout=10):
        self.args = [str(a) for a in args]
        self.dir = tempdir("mock-")
        self.port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "requests.jsonl")
        self.tls_dir = None
        if "--tls-dir" in self.args:
            self.tls_dir = self.args[self.args.index("--tls-dir") + 1]
        elif tls:
            self.tls_dir = shared_tls_dir()
            self.args += ["--tls-dir", self.tls_dir]
        self.timeout = timeout
        self.proc = None
        self.port = None

    @property
    def ca(self):
        return os.path.join(self.tls_dir, "ca.pem") if self.tls_dir else None

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls_dir else "http", self.port)

    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    def start(self):
        self.stdout = open(os.path.join(self.dir, "stdout"), "wb")
        self.stderr = open(os.path.join(self.dir, "stderr"), "wb")
        cmd = [sys.executable, MOCK, "--port", "0", "--port-file", self.port_file,
               "--log", self.log_path] + self.args
        self.proc = subprocess.Popen(cmd, stdout=self.stdout, stderr=self.stderr,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        err = self.stderr_text()
        self.stop()
        raise RuntimeError("mock did not start (%s): %s" % (" ".join(self.args), err))

    def stop(self):
        if self.proc:
            stop_process(self.proc)
        for f in (getattr(self, "stdout", None), getattr(self, "stderr", None)):
            if f:
                f.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def stdout_text(self):
        with open(os.path.join(self.dir, "stdout"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def stderr_text(self):
        with open(os.path.join(self.dir, "stderr"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def log_entries(self, wait=0.2):
        """The requests logged so far, one dict each (see mock_api.py). A reply is logged just
        after it is sent, so this waits up to `wait` s for the file to stop growing."""
        last, size, deadline = None, -1, time.monotonic() + wait
        while True:
            size = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
            if size == last or time.monotonic() >= deadline:
                break
            last = size
            time.sleep(0.05)
        out = []
        if os.path.exists(self.log_path):
            with open(self.log_path, encoding="utf-8") as f:
                for line in f:
                    if line.endswith("\n"):
                        out.append(json.loads(line))
        return out


def plugin_env(env=None):
    """The environment run_plugin uses: no TENCENTCLOUD_* from outside, the mock's
    credentials, a fresh HOME; env entries override (None removes a variable)."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("TENCENTCLOUD_")}
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY"):
        e.pop(k, None)  # the mock is on 127.0.0.1; a CI proxy must not get in the way
    e["TENCENTCLOUD_SECRET_ID"] = SECRET_ID
    e["TENCENTCLOUD_SECRET_KEY"] = SECRET_KEY
    e["HOME"] = tempdir("home-")
    e["LC_ALL"] = e.get("LC_ALL", "C.UTF-8")
    for k, v in (env or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = str(v)
    return e


def run_plugin(args, env=None, timeout=30, stdin=None):
    """Runs the plugin; returns (exit code, stdout, stderr) as text. On a timeout the
    plugin is killed and the exit code is None."""
    cmd = [PLUGIN] + [str(a) for a in args]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                         env=plugin_env(env))
    try:
        out, err = p.communicate(stdin.encode() if isinstance(stdin, str) else stdin,
                                 timeout=timeout)
        code = p.returncode
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        code = None
        err += b"\n[run_plugin: killed after %d s]" % timeout
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def peak_rss_kib(args, env=None, timeout=60):
    """Peak RSS of one plugin run in KiB, measured by GNU time (/usr/bin/time -f %M)."""
    out_file = os.path.join(tempdir("rss-"), "time")
    cmd = ["/usr/bin/time", "-f", "%M", "-o", out_file, PLUGIN] + [str(a) for a in args]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL, env=plugin_env(env), timeout=timeout)
    with open(out_file) as f:
        lines = [ln for ln in f.read().split("\n") if ln.strip()]
    return int(lines[-1])  # earlier lines may say "Command exited with non-zero status"
