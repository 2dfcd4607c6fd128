#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes one DescribeCertificates page of the mock's gen:N account to a file, as the mock
serves it (the same bytes, with a fixed RequestId), for tests/bench/bench_parse.
Usage: gen_page.py N OUT [NOW]   (NOW: epoch the dates are relative to, default 1767225600)"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mock_api  # noqa: E402


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    n, out = int(argv[1]), argv[2]
    now = int(argv[3]) if len(argv) == 4 else 1767225600
    acct = mock_api.load_account("gen:%d" % n, now)
    body = (b'{"Response":{"TotalCount":%d,"Certificates":[' % n +
            b",".join(acct.raw(i) for i in range(n)) +
            b'],"RequestId":"00000000-0000-4000-8000-000000000000"}}')
    with open(out, "wb") as f:
        f.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
