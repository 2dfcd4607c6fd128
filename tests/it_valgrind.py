#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The plugin under valgrind (memcheck) over a 2,500-certificate listing with -v --output json,
then over a few error paths of tests/hostile_server.py at -vvv (a retry on a fresh connection,
a truncated document, an echoed signature, a giant header, impossible dates): no invalid read
or write, no use of uninitialised memory, no leak of any kind valgrind can prove (definite,
indirect, possible). Skipped with a reason where valgrind is missing or the plugin is an
AddressSanitizer build (the two do not run together)."""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_server  # noqa: E402
from tap import NOW, PLUGIN, TAP, Mock, case, plugin_env, run_cases, tempdir  # noqa: E402

HOSTILE_CASES = [("long-late", 1, 2), ("trunc", 0, 3), ("echo-sig", 0, 3), ("header-1mib", 0, 3),
                 ("dates", 0, 3)]
N = 5 + 2 * len(HOSTILE_CASES)
VALGRIND = shutil.which("valgrind")
ERR = 99


def skip_reason():
    """Why valgrind cannot run the plugin here, or None."""
    if not VALGRIND:
        return "valgrind is not installed (Debian package valgrind)"
    if hostile_server.is_asan(PLUGIN):
        return "the plugin is an AddressSanitizer build; valgrind cannot run it"
    return None


def memcheck(args, env=None):
    """(completed process, memcheck's report) of the plugin run under valgrind."""
    log = os.path.join(tempdir("valgrind-"), "memcheck.log")
    cmd = [VALGRIND, "--error-exitcode=%d" % ERR, "--leak-check=full",
           "--show-leak-kinds=definite,indirect,possible",
           "--errors-for-leak-kinds=definite,indirect,possible", "--track-origins=yes",
           "--log-file=" + log, PLUGIN] + [str(a) for a in args]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=plugin_env(env), timeout=300)
    with open(log, errors="replace") as f:
        return p, f.read()


@case
def big_listing(t):
    """2,500 certificates with -v --output json: no error, no leak."""
    with Mock("--account", "gen:2500", "--now", str(NOW)) as m:
        p, report = memcheck(["--endpoint", m.url, "--now", NOW, "-v", "--output", "json",
                              "-t", 120])
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
    t.unlike(report, r"(indirectly|possibly) lost: [1-9]",
             "memcheck: nothing indirectly or possibly lost")


@case
def hostile_error_paths(t):
    """Error paths of tests/hostile_server.py at -vvv: the exit code, no error, no leak."""
    for name, times, code in HOSTILE_CASES:
        with hostile_server.Hostile(name, tempdir("hostile-"), NOW, times) as h:
            p, report = memcheck(["--endpoint", h.url, "--now", NOW, "-vvv", "-t", 60],
                                 env={"TENCENTCLOUD_SESSION_TOKEN": "valgrindToken0123456789"})
        t.is_(p.returncode, code, "%s: exit code %d under memcheck" % (name, code),
              diag=p.stdout.decode("utf-8", "replace")[:300] + report[-2000:])
        t.ok(re.search(r"ERROR SUMMARY: 0 errors from 0 contexts", report) and
             not re.search(r"(definitely|indirectly|possibly) lost: [1-9]", report),
             "%s: memcheck: no error, no leak" % name, diag=report[-3000:])


if __name__ == "__main__":
    reason = skip_reason()
    if reason:
        t = TAP()
        t.skip(reason, N)
        t.done()
    run_cases()
