#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""libcurl is loaded with dlopen when a request is about to be made (lib/curlload.h): a cache
hit, --version and a bad option never load it; a live listing does; a library that is not a
usable libcurl is a clear UNKNOWN. The loader's own trace (LD_DEBUG=files) is the witness."""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, PLUGIN, Mock, case, run_cases, run_plugin, tempdir  # noqa: E402

LOADED = r"file=libcurl\.so\.4 \[0\];\s+dynamically loaded by"
TRACE = {"LD_DEBUG": "files"}


def loads_curl(err):
    return re.search(LOADED, err) is not None


@case
def no_request_no_libcurl(t):
    """--version and a bad option exit before any request: libcurl stays unloaded."""
    code, out, err = run_plugin(["--version"], env=TRACE)
    t.is_(code, 0, "--version: exit 0", err[-2000:])
    t.ok("file=libcurl" not in err, "--version: libcurl never loaded")
    code, out, err = run_plugin(["--no-such-option"], env=TRACE)
    t.is_(code, 3, "a bad option: UNKNOWN")
    t.ok("file=libcurl" not in err, "a bad option: libcurl never loaded")


@case
def cache_hit_no_libcurl(t):
    """The first run lists live and loads libcurl; the cache hit after it does not."""
    d = tempdir("curlload-")
    cache = os.path.join(d, "cache")
    with Mock("--account", "sample", "--now", NOW) as m:
        args = ["--endpoint", m.url, "--now", NOW, "--cache-file", cache, "--cache-ttl", 600]
        code1, out1, err1 = run_plugin(args, env=TRACE)
        t.is_(code1, 2, "live run: CRITICAL (the sample account)", out1)
        t.ok(loads_curl(err1), "live run: libcurl loaded with dlopen", err1[-2000:])
        code2, out2, err2 = run_plugin(args, env=TRACE)
        t.is_(len(m.log_entries()), 1, "one request in all: the second run is a cache hit")
    t.is_(code2, code1, "cache hit: the same state")
    t.is_(out2.split(" | ")[0], out1.split(" | ")[0], "cache hit: the same status line")
    t.ok("file=libcurl" not in err2, "cache hit: libcurl never loaded", err2[-2000:])


@case
def no_curl_symbol_exported(t):
    """The curl_* forwarders stay inside the binary: libcurl's own calls never reach them."""
    nm = shutil.which("nm")
    if not nm:
        t.skip("no nm", 2)
        return
    dyn = subprocess.run([nm, "-D", PLUGIN], capture_output=True, text=True)
    t.is_(dyn.returncode, 0, "nm -D reads the plugin", dyn.stderr)
    t.unlike(dyn.stdout, r"\bcurl_", "no curl_* symbol in its dynamic symbol table")


@case
def not_a_libcurl(t):
    """A libcurl.so.4 first in the search path that lacks libcurl's functions: UNKNOWN, why."""
    cc = shutil.which(os.environ.get("CC_FOR_TESTS", "cc"))
    if not cc:
        t.skip("no C compiler to build a fake libcurl.so.4", 3)
        return
    d = tempdir("fakecurl-")
    src = os.path.join(d, "fake.c")
    with open(src, "w") as f:
        f.write("int not_curl_at_all(void) { return 0; }\n")
    subprocess.run([cc, "-shared", "-fPIC", "-o", os.path.join(d, "libcurl.so.4"), src],
                   check=True)
    with Mock("--account", "sample", "--now", NOW) as m:
        code, out, err = run_plugin(["--endpoint", m.url, "--now", NOW],
                                    env={"LD_LIBRARY_PATH": d})
        t.is_(len(m.log_entries()), 0, "fake libcurl: no request was made")
    t.is_(code, 3, "fake libcurl: UNKNOWN", out + err)
    t.like(out.split("\n")[0], r"^TENCENTCLOUD_SSL UNKNOWN - .*libcurl\.so\.4 has no "
           r"curl_global_init", "fake libcurl: the status line says what is missing")


run_cases()
