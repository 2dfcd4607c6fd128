#!/usr/bin/env python3
"""The plugin under valgrind (memcheck) over a 2,500-certificate listing with -v --output json:
no invalid read or write, no use of uninitialised memory, no leak of any kind valgrind can
prove (definite, indirect, possible). Skipped with a reason where valgrind is missing or the
plugin is an AddressSanitizer build (the two do not run together)."""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, PLUGIN, TAP, Mock, plugin_env, tempdir  # noqa: E402

t = TAP()
N = 5


def is_asan(path):
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


valgrind = shutil.which("valgrind")
if not valgrind:
    t.skip("valgrind is not installed (Debian package valgrind)", N)
    t.done()
if is_asan(PLUGIN):
    t.skip("the plugin is an AddressSanitizer build; valgrind cannot run it", N)
    t.done()

ERR = 99
log = os.path.join(tempdir("valgrind-"), "memcheck.log")
with Mock("--account", "gen:2500", "--now", str(NOW)) as m:
    cmd = [valgrind, "--error-exitcode=%d" % ERR, "--leak-check=full",
           "--show-leak-kinds=definite,indirect,possible",
           "--errors-for-leak-kinds=definite,indirect,possible", "--track-origins=yes",
           "--log-file=" + log, PLUGIN, "--endpoint", m.url, "--now", str(NOW), "-v",
           "--output", "json", "-t", "120"]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=plugin_env(), timeout=300)
with open(log, errors="replace") as f:
    report = f.read()

t.ok(p.returncode in (0, 1, 2), "exit code %d is a check result, not valgrind's %d"
     % (p.returncode, ERR), diag=report[-3000:])
try:
    doc = json.loads(p.stdout)
except ValueError as e:
    doc = {}
    t.diag("stdout is not JSON: %s" % e)
t.is_((doc.get("counts") or {}).get("listed"), 2500, "2500 certificates listed",
      diag=p.stdout[:500])
t.like(report, r"ERROR SUMMARY: 0 errors from 0 contexts", "memcheck: no error",
       diag=report[-3000:])
t.ok(re.search(r"All heap blocks were freed|definitely lost: 0 bytes", report) is not None,
     "memcheck: nothing definitely lost", diag=report[-3000:])
t.unlike(report, r"(indirectly|possibly) lost: [1-9]", "memcheck: nothing indirectly or possibly lost")
t.done()
