#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the CA store costs a 1,000-certificate HTTPS run (issue 10 item 6): --cacert with one CA,
--cacert with a bundle the size of the system store (the system bundle + the mock's CA: what
libcurl parses on every run by default), and no --cacert with the hashed directory alone
(castore.c: the same anchors, looked up lazily). The mock's CA cannot go into /etc/ssl/certs,
so the last two use a copy of the system store with the mock's CA added, hashed by openssl. CPU (user+sys, 0.01 s resolution) and peak RSS by GNU
/usr/bin/time, as bench.sh measures.

    make tests/tls_probe && python3 tests/bench/tls_cost.py tests/tls_probe [RUNS]
                                                  (default 7 runs each, medians)"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Mock  # noqa: E402

prog = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
SYS_DIR, SYS_BUNDLE = "/etc/ssl/certs", "/etc/ssl/certs/ca-certificates.crt"

with Mock("--account", "gen:1000", tls=True) as m:
    d = tempfile.mkdtemp(prefix="tls-cost-")
    store = os.path.join(d, "certs")
    os.mkdir(store)
    for name in os.listdir(SYS_DIR):
        if len(name) == 10 and name[8] == ".":
            shutil.copy(os.path.join(SYS_DIR, name), os.path.join(store, name))
    h = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", m.ca], check=True,
                       capture_output=True, text=True).stdout.strip()
    shutil.copy(m.ca, os.path.join(store, h + ".0"))
    bundle = os.path.join(d, "bundle.pem")
    with open(bundle, "wb") as out:
        for p in (SYS_BUNDLE, m.ca):
            with open(p, "rb") as f:
                out.write(f.read())
    n_bundle = open(bundle).read().count("BEGIN CERTIFICATE")
    url = m.url
    modes = [("--cacert: the mock's CA only", ["cacert", m.ca]),
             ("--cacert: bundle of %d (libcurl's default way)" % n_bundle, ["cacert", bundle]),
             ("no --cacert: hashed directory, lazy", ["lazy", bundle, store])]
    print("1,000 certificates over HTTPS from the mock, %d runs each, medians" % runs)
    print("%-48s %10s %12s" % ("CA store", "CPU", "peak RSS"))
    for label, args in modes:
        cpu, rss = [], []
        for _ in range(runs):
            r = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", prog, url] + args,
                               capture_output=True, text=True)
            if r.returncode != 0 or r.stdout.strip() != "1000":
                print("%-48s failed: %s %s" % (label, r.stdout.strip(), r.stderr.strip()))
                break
            t = r.stderr.strip().splitlines()[-1].split()
            cpu.append(float(t[1]) + float(t[2]))
            rss.append(int(t[3]))
        else:
            print("%-48s %8.4f s %8d KiB" % (label, statistics.median(cpu),
                                                statistics.median(rss)))
    shutil.rmtree(d, True)
