#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No --cacert (issue 10 item 6): the hashed CA directory alone replaces libcurl's bundle only
when it holds as many certificates, and verification stays as strict: a CA in the directory is
trusted, one missing from it is not. Run through tests/tls_probe against the HTTPS mock, with a
copy of the system store standing in for /etc/ssl/certs (the mock's CA cannot go there)."""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import TAP, TOP_BUILDDIR, Mock, case, run_cases, tempdir  # noqa: E402

PROBE = os.path.join(TOP_BUILDDIR, "tests", "tls_probe")
SYS_DIR, SYS_BUNDLE = "/etc/ssl/certs", "/etc/ssl/certs/ca-certificates.crt"


def store(d, with_ca, ca, extra_in_dir=False):
    """A hashed directory and a bundle with the same certificates (optionally one more in
    the directory only)."""
    os.makedirs(d)
    n = 0
    for name in os.listdir(SYS_DIR):
        if len(name) == 10 and name[8] == ".":
            shutil.copy(os.path.join(SYS_DIR, name), os.path.join(d, name))
            n += 1
    bundle = os.path.join(d + ".pem")
    with open(bundle, "wb") as out:
        out.write(open(SYS_BUNDLE, "rb").read())
        if with_ca:
            out.write(open(ca, "rb").read())
    if with_ca or extra_in_dir:
        h = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", ca], check=True,
                           capture_output=True, text=True).stdout.strip()
        shutil.copy(ca, os.path.join(d, h + ".0"))
    return bundle


def probe_run(*args):
    r = subprocess.run([PROBE] + list(args), capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout.strip(), r.stderr


@case
def directory_alone(t, m):
    """A CA in the hashed directory is trusted, one missing from it is refused."""
    base = tempdir("castore-")
    good = os.path.join(base, "good")
    b_good = store(good, True, m.ca)
    code, out, err = probe_run(m.url, "lazy", b_good, good)
    t.is_(code, 0, "the CA in the hashed directory: verified and listed", diag=out + err)
    t.like(err, r"CA certificates: looked up in %s" % good, "-vv: the directory alone is used")

    bad = os.path.join(base, "bad")
    b_bad = store(bad, False, m.ca)
    code, out, err = probe_run(m.url, "lazy", b_bad, bad)
    t.is_(code, 1, "a CA in neither: refused", diag=out + err)
    t.like(out, r"^error: TLS: ", "... with a TLS error")
    t.like(err, r"CA certificates: looked up in ", "... by the directory alone")
    t.is_(len(m.log_entries()), 1, "no request reached the server but the good one")


@case
def counts_differ(t, m):
    """The directory holds a CA the bundle lacks: counts differ, the bundle is used as before."""
    odd = os.path.join(tempdir("castore-"), "odd")
    b_odd = store(odd, False, m.ca, extra_in_dir=True)
    code, out, err = probe_run(m.url, "lazy", b_odd, odd)
    t.like(err, r"CA certificates: the bundle ", "the two disagree: the bundle is kept",
           diag=err)


@case
def cacert(t, m):
    """--cacert alone: the system store is not consulted."""
    code, out, err = probe_run(m.url, "cacert", m.ca)
    t.is_(code, 0, "--cacert works as before", diag=out + err)
    t.unlike(err, r"CA certificates:", "--cacert: the system store is not consulted for it")


if __name__ == "__main__":
    if not (os.path.exists(PROBE) and shutil.which("openssl") and os.path.exists(SYS_BUNDLE)):
        t = TAP()
        t.skip("needs tests/tls_probe, openssl and %s" % SYS_BUNDLE, 9)
        t.done()
    with Mock("--account", "sample", tls=True) as m:
        run_cases(m)
