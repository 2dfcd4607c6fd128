#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile stand-in for Tencent Cloud's DescribeCertificates endpoint, for tests/it_hostile.py.

Raw sockets, Python 3 stdlib only, 127.0.0.1. It does not check signatures: it plays one
misbehaviour (--case NAME) the way a broken or malicious server or middlebox would, byte for
byte, so the plugin's transport, parser, report and output meet it. Run with --list for the
cases. --times N plays the case for the first N requests only and a good listing after that
(0, the default: every request). Certificates' dates are relative to --now (default: the real
clock); "good" is two certificates, Good0001 (100 days left, OK) and Crit0002 (5 days, CRITICAL).

Every request is logged to --log as one JSON line: n (request number from 1), conn (connection
number from 1), offset, limit, sig (the Signature hex of its Authorization header), token
(X-TC-Token) and time. A case with a second listener (redirect-*) logs each connection to it
as {"other": PORT}.

The cases are in hostile_cases.py (issue 9, item by item) and hostile_classics.py (the rest),
their building blocks in hostile_http.py.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import hostile_cases  # noqa: F401 (registers its cases)
import hostile_classics  # noqa: F401 (registers its cases)
import hostile_http
from hostile_http import CASES, Ctx
from tap import stop_process, write_port_file  # noqa: E402

HEAD_MAX = 64 * 1024


# ---- the server ----

class Server:
    def __init__(self, cfg):
        self.cfg = cfg
        self.handler = CASES[cfg.case][0]
        self.lock = threading.Lock()
        self.n = 0
        self.conns = 0
        self.mem_tail = None
        self.bomb = None
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", cfg.port))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.other = None
        self.other_port = 0
        if cfg.case.startswith("redirect"):
            self.other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.other.bind(("127.0.0.1", 0))
            self.other.listen(8)
            self.other_port = self.other.getsockname()[1]
            threading.Thread(target=self.other_loop, daemon=True).start()

    def log(self, entry):
        if not self.cfg.log:
            return
        with self.lock, open(self.cfg.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def other_loop(self):
        while True:
            s, _ = self.other.accept()
            self.log({"other": self.other_port, "time": time.time()})
            s.close()

    def serve(self):
        while True:
            s, _ = self.sock.accept()
            with self.lock:
                self.conns += 1
                conn = self.conns
            threading.Thread(target=self.connection, args=(s, conn), daemon=True).start()

    def read_request(self, s, buf):
        """(headers dict, body bytes, rest of buf) or None when the client closed."""
        while b"\r\n\r\n" not in buf:
            if len(buf) > HEAD_MAX:
                return None
            d = s.recv(65536)
            if not d:
                return None
            buf += d
        top, buf = buf.split(b"\r\n\r\n", 1)
        headers = {}
        for line in top.split(b"\r\n")[1:]:
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0") or 0)
        while len(buf) < n:
            d = s.recv(65536)
            if not d:
                return None
            buf += d
        return headers, buf[:n], buf[n:]

    def connection(self, s, conn):
        buf = b""
        try:
            while True:
                r = self.read_request(s, buf)
                if r is None:
                    break
                headers, body, buf = r
                with self.lock:
                    self.n += 1
                    n = self.n
                try:
                    req = json.loads(body or b"{}")
                except ValueError:
                    req = {}
                auth = headers.get("authorization", "")
                sig = auth.rsplit("Signature=", 1)[1] if "Signature=" in auth else ""
                x = Ctx(self, s, n, conn, req)
                x.req_sig, x.req_token = sig, headers.get("x-tc-token", "")
                self.log({"n": n, "conn": conn, "offset": x.offset, "limit": x.limit,
                          "sig": sig, "token": x.req_token, "time": time.time()})
                if self.cfg.only:
                    bad = n == self.cfg.only
                else:
                    bad = self.cfg.times == 0 or n <= self.cfg.times
                keep = self.handler(x) if bad else x.good()
                if not keep:
                    break
        except OSError:
            pass
        finally:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


# ---- for the tests ----

def is_asan(path):
    """True when the program at path is an AddressSanitizer build."""
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


class Hostile:
    """For the tests: this server playing CASE on a free port for a with-block, its files in
    workdir; .url once started, .log() the requests so far."""

    def __init__(self, case, workdir, now, times=0, server_args=()):
        self.dir = workdir
        self.port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "log.jsonl")
        self.cmd = [sys.executable, os.path.abspath(__file__), "--case", case,
                    "--times", str(times),
                    "--now", str(now), "--port", "0", "--port-file", self.port_file,
                    "--log", self.log_path] + [str(a) for a in server_args]

    def __enter__(self):
        self.err = open(os.path.join(self.dir, "stderr"), "wb")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.proc.poll() is None:
            if os.path.exists(self.port_file):
                self.url = "http://127.0.0.1:%d" % int(open(self.port_file).read())
                return self
            time.sleep(0.02)
        self.__exit__()
        raise RuntimeError("hostile server did not start: %s" % " ".join(self.cmd))

    def __exit__(self, *exc):
        stop_process(self.proc)
        self.err.close()
        return False

    def log(self):
        time.sleep(0.05)  # a handler logs before it answers; nothing is in flight now
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as f:
            return [json.loads(ln) for ln in f if ln.endswith("\n")]


def main(argv=None):
    ap = argparse.ArgumentParser(description="Hostile DescribeCertificates server (see the "
                                 "module docstring).")
    ap.add_argument("--case", help="what to play (--list shows all)")
    ap.add_argument("--list", action="store_true", help="print the cases and exit")
    ap.add_argument("--times", type=int, default=0,
                    help="play the case for the first N requests only (0: all)")
    ap.add_argument("--only", type=int, default=0,
                    help="play the case for the N-th request only (wins over --times)")
    ap.add_argument("--good-count", type=int, default=2,
                    help="certificates of the good listing (Good0001, Crit0002, then OK ones)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--now", type=int)
    ap.add_argument("--count", type=int, default=0, help="certificates of the many-* cases")
    ap.add_argument("--cert-kib", type=int, default=0, help="certificate size of the memory case")
    ap.add_argument("--secret-key", default="mockSecretKeyEXAMPLE000000000000",
                    help="the key the echo-* cases echo (the mock's throwaway one)")
    cfg = ap.parse_args(argv)
    if cfg.list:
        for name, (_, doc) in CASES.items():
            print("%-18s %s" % (name, doc))
        return 0
    if cfg.case not in CASES:
        sys.stderr.write("hostile: unknown --case %r (see --list)\n" % cfg.case)
        return 2
    cfg.now = int(time.time()) if cfg.now is None else cfg.now
    hostile_http.GOOD_COUNT = max(2, cfg.good_count)
    srv = Server(cfg)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    if cfg.port_file:
        write_port_file(cfg.port_file, srv.port)
    srv.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
