#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small HTTP forward proxy for the tests (Python 3 stdlib), on 127.0.0.1.

    from mock_proxy import MockProxy
    with MockProxy(auth="alice:s3cret") as p:      # p.port, p.url, p.seen, p.auth_seen
        ...

Plain http:// requests in absolute form are forwarded to their origin (one upstream
connection per request; the reply is relayed as it arrives). auth="user:password" answers
407 to a request without that Proxy-Authorization: Basic. CONNECT (for https://) is refused
with 407 when auth is set and missing, else with 403 (no tunnels here)."""

import base64
import socket
import threading

from tap import accept_loop


class MockProxy:
    def __init__(self, auth=None):
        self.auth = auth
        self.seen = []       # request targets, in order
        self.auth_seen = []  # the Proxy-Authorization values received
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()

    def _accept(self):
        accept_loop(self.sock, self._serve)

    def _authorized(self, headers):
        if not self.auth:
            return True
        want = "Basic " + base64.b64encode(self.auth.encode()).decode()
        got = headers.get("proxy-authorization")
        if got is not None:
            self.auth_seen.append(got)
        return got == want

    @staticmethod
    def _reply(c, code, reason, extra=b""):
        body = b"<html><body>%d %s</body></html>" % (code, reason.encode())
        c.sendall(b"HTTP/1.1 %d %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n%s\r\n"
                  % (code, reason.encode(), len(body), extra) + body)

    def _serve(self, c):
        try:
            f = c.makefile("rb")
            while True:
                line = f.readline()
                if not line:
                    return
                raw, headers = [], {}
                while True:
                    h = f.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    raw.append(h)
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                method, target, ver = line.decode("latin-1").split(" ", 2)
                self.seen.append(target)
                body = f.read(int(headers.get("content-length", "0") or 0))
                if not self._authorized(headers):
                    self._reply(c, 407, "Proxy Authentication Required",
                                b'Proxy-Authenticate: Basic realm="mock"\r\n')
                    continue
                if method == "CONNECT":
                    self._reply(c, 403, "Forbidden")
                    return
                hostport = target.split("/")[2]
                host, _, port = hostport.rpartition(":")
                up = socket.create_connection((host, int(port)))
                fwd = [h for h in raw if not h.lower().startswith(b"proxy-")]
                up.sendall(("%s /%s %s" % (method, target.split("/", 3)[3] if target.count("/") > 2
                                           else "", ver)).encode() + b"".join(fwd) + b"\r\n" + body)
                uf = up.makefile("rb")
                status = uf.readline()
                head, length = [status], 0
                while True:
                    h = uf.readline()
                    head.append(h)
                    if h.lower().startswith(b"content-length:"):
                        length = int(h.split(b":")[1])
                    if h in (b"\r\n", b"\n", b""):
                        break
                c.sendall(b"".join(head) + uf.read(length))
                up.close()
        except (OSError, ValueError, IndexError):
            pass
        finally:
            c.close()
