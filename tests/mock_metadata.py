#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A mock of the CVM instance metadata service's CAM role endpoints, for the integration
tests. Python 3 standard library only; listens on 127.0.0.1.

  GET /latest/meta-data/cam/security-credentials/         the bound role's name (text)
  GET /latest/meta-data/cam/security-credentials/<role>   {"TmpSecretId", "TmpSecretKey",
                                                           "ExpiredTime", "Expiration",
                                                           "Token", "Code": "Success"}
Anything else, and any other role, is 404 (as when no role is bound).

Faults (--fault NAME[@K], repeatable; @K = only the K-th request, counted from 1):
  norole    404 for everything (no role bound to the instance)
  http500   HTTP 500 with an HTML page
  garbage   200 with bytes that are neither a role name nor JSON
  badcode   the credentials JSON with "Code": "Failed"
  nokey     the credentials JSON without TmpSecretKey
  slow      the answer after --slow seconds (default 5)
  expired   the credentials JSON with an ExpiredTime a minute ago
"""

import argparse
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tap import on_stop_signals, write_port_file

PREFIX = "/latest/meta-data/cam/security-credentials/"
FAULTS = ("norole", "http500", "garbage", "badcode", "nokey", "slow", "expired")


def parse_fault(spec):
    m = re.fullmatch(r"(%s)(?:@(\d+))?" % "|".join(FAULTS), spec)
    if not m:
        raise argparse.ArgumentTypeError("bad --fault %r" % spec)
    return m.group(1), int(m.group(2)) if m.group(2) else None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, cfg):
        super().__init__(addr, Handler)
        self.cfg = cfg
        self.lock = threading.Lock()
        self.reqno = 0
        self.log = open(cfg.log, "a", encoding="utf-8") if cfg.log else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        srv, cfg = self.server, self.server.cfg
        with srv.lock:
            srv.reqno += 1
            reqno = srv.reqno
        faults = {n for n, at in cfg.fault if at is None or at == reqno}
        if srv.log:
            with srv.lock:
                srv.log.write(json.dumps({"req": reqno, "path": self.path,
                                          "proxy_headers": "Proxy-Authorization" in
                                          self.headers, "faults": sorted(faults)}) + "\n")
                srv.log.flush()
        if "slow" in faults:
            time.sleep(cfg.slow)
        if "norole" in faults or not self.path.startswith(PREFIX):
            return self.reply(404, b"<html><body>404 Not Found</body></html>", "text/html")
        if "http500" in faults:
            return self.reply(500, b"<html><body>500 Internal Server Error</body></html>",
                              "text/html")
        if "garbage" in faults:
            return self.reply(200, b"\x00\xff<<not a role name or JSON>>{{")
        name = self.path[len(PREFIX):]
        if name == "":
            return self.reply(200, cfg.role.encode())
        if name != cfg.role:
            return self.reply(404, b"<html><body>404 Not Found</body></html>", "text/html")
        exp = int(time.time()) + (-60 if "expired" in faults else 7200)
        doc = {"TmpSecretId": cfg.tmp_id, "TmpSecretKey": cfg.tmp_key, "ExpiredTime": exp,
               "Expiration": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(exp)),
               "Token": cfg.token, "Code": "Failed" if "badcode" in faults else "Success"}
        if "nokey" in faults:
            del doc["TmpSecretKey"]
        self.reply(200, json.dumps(doc).encode(), "application/json")

    do_POST = do_PUT = do_GET


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--role", default="ssl-monitor", help="the bound role's name")
    ap.add_argument("--tmp-id", default="AKIDcvmEXAMPLE000000000000000000")
    ap.add_argument("--tmp-key", default="cvmTmpKeyEXAMPLE000000000000000")
    ap.add_argument("--token", default="cvmTokenEXAMPLE" + "0" * 100)
    ap.add_argument("--slow", type=float, default=5.0, help="seconds of the slow fault")
    ap.add_argument("--fault", action="append", type=parse_fault, default=[])
    cfg = ap.parse_args(argv)
    srv = Server(("127.0.0.1", cfg.port), cfg)

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    on_stop_signals(stop)
    if cfg.port_file:
        write_port_file(cfg.port_file, srv.server_address[1])
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
