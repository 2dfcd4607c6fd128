# SPDX-License-Identifier: GPL-3.0-or-later
"""The harness of tests/it_hostile.py: one plugin run at -vvv against one case of
tests/hostile_server.py (Run, check), and the properties every case asserts: the exit code,
the status line, the wall time within -t + 1 s, the peak RSS, no `|` outside the perfdata,
no secret on stdout or stderr."""

import functools
import os
import re
import subprocess
import time

import hostile_server
import tap
from tap import NOW, PLUGIN, SECRET_KEY, diag, plugin_env, tempdir

TOKEN = "hostileTokenSECRET0123456789abcdefXYZ"


ASAN = hostile_server.is_asan(PLUGIN)
RSS_MAX_KIB = (384 if ASAN else 128) * 1024

U = r"^TENCENTCLOUD_SSL UNKNOWN - "
BASE = (r"^TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: login\.example\.com "
        r"\(id Crit0002\) expires in 5 d \| ")


def Hostile(case, times=0, server_args=()):
    return hostile_server.Hostile(case, tempdir("hostile-"), NOW, times, server_args)


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


class Run:
    """One plugin run: code (None when killed), out and err (bytes), wall (s), rss (KiB, or
    None without GNU time). The peak RSS comes from GNU time (-f %M), a small process
    between this script and the plugin: getrusage of a child forked from this (large)
    Python process would report this process's size instead, as Linux carries the high-water
    mark of the address space a child is spawned from across exec."""

    def __init__(self, args, env=None, timeout=90):
        rss_file = os.path.join(tempdir("rss-"), "time")
        cmd = [PLUGIN] + [str(a) for a in args]
        if GNU_TIME:
            cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=plugin_env(env))
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        self.wall = time.monotonic() - t0
        self.out, self.err, self.rss = out, err, None
        self.code = p.returncode if 0 <= p.returncode < 128 else None
        if GNU_TIME:
            with open(rss_file) as f:
                lines = f.read().split()
            self.rss = int(lines[-1]) if lines and lines[-1].isdigit() else None
            if lines and "signal" in " ".join(lines):
                self.code = None

    @property
    def text(self):
        return self.out.decode("utf-8", "replace")

    @property
    def first(self):
        return self.text.split("\n")[0]


def secrets_absent(t, label, run, sigs):
    both = (run.out + run.err).decode("utf-8", "replace").lower()
    leaks = [s for s in (SECRET_KEY, TOKEN) if s[:8].lower() in both]
    # any 16 hex digits of a signature: look up the output's hex runs, not every window
    windows = {sig[i:i + 16].lower() for sig in sigs for i in range(len(sig) - 15)}
    for run_hex in set(re.findall(r"[0-9a-f]{16,}", both)):
        hit = [run_hex[i:i + 16] for i in range(len(run_hex) - 15)
               if run_hex[i:i + 16] in windows]
        leaks += hit[:1]
    t.ok(not leaks, "%s: no secret, 8-byte prefix of one, or signature at -vvv" % label,
         diag="leaked: %r" % leaks)


def pipes_only_in_perfdata(t, label, run):
    lines = run.text.split("\n")
    first, rest = lines[0], lines[1:]
    ok = first.count("|") <= 1 and not any("|" in ln for ln in rest)
    if ok and "|" in first:
        perf = first.split("|", 1)[1]
        ok = re.fullmatch(r"( [^ |=]+=[-0-9.a-zA-Z;:~@]*)+", perf) is not None
    t.ok(ok, "%s: no '|' on stdout but the one before the perfdata" % label, diag=run.text)


def check(t, label, case, code, line, args=(), times=0, t_s=5, requests=None, more=None,
          json_out=False, server_args=()):
    """Runs the plugin at -vvv against one hostile case and asserts the common properties.
    code: the exit code or a set; line: a regex on the first line of stdout (or a function of
    the run returning (ok, diag)); requests: how many reached the server; more(run, log):
    further assertions."""
    with Hostile(case, times, server_args) as h:
        run = Run(["--endpoint", h.url, "--now", NOW, "-t", t_s, "-vvv"] + list(args),
                  env={"TENCENTCLOUD_SESSION_TOKEN": TOKEN})
        log = h.log()
    reqs = [e for e in log if "n" in e]
    shown = "stdout: %s\nstderr (end): %s" % (
        run.text[:1500], run.err[-1500:].decode("utf-8", "replace"))
    codes = code if isinstance(code, set) else {code}
    t.ok(run.code in codes, "%s: exit code %s" % (label, "/".join(map(str, sorted(codes)))),
         diag="got %r\n%s" % (run.code, shown))
    if callable(line):
        good, why = line(run)
        t.ok(good, "%s: status line" % label, diag=why + "\n" + shown)
    else:
        t.like(run.first, line, "%s: status line" % label, diag=shown)
    t.ok(run.wall < t_s + 1, "%s: ends in %.2f s (-t %d)" % (label, run.wall, t_s))
    if run.rss is None:
        t.skip("no GNU time (/usr/bin/time, Debian package time): peak RSS not measured")
    else:
        t.ok(run.rss < RSS_MAX_KIB,
             "%s: peak RSS %d KiB < %d KiB" % (label, run.rss, RSS_MAX_KIB))
    if requests is not None:
        t.is_(len(reqs), requests, "%s: %d requests reached the server" % (label, requests),
              diag="connections %s" % sorted({e["conn"] for e in reqs}))
    if not json_out:
        pipes_only_in_perfdata(t, label, run)
    secrets_absent(t, label, run, [e["sig"] for e in reqs if e.get("sig")])
    if more:
        more(run, log)
    return run


def timed(fn):
    """Registers fn as a case (tap.case) that prints how long it took: this script is slow."""
    @functools.wraps(fn)
    def timed_case(t):
        t0 = time.monotonic()
        fn(t)
        diag("%s: %.1f s" % (fn.__name__, time.monotonic() - t0))
    return tap.case(timed_case)


def either(*alternatives):
    """A status-line check: (code, regex) pairs, the run must match one of them."""
    def f(run):
        for c, rx in alternatives:
            if run.code == c and re.search(rx, run.first):
                return True, ""
        return False, "wanted one of %r" % (alternatives,)
    return f
