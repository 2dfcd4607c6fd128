#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark helper (not a test): a curl config (curl -K FILE) that downloads the pages of a
listing from the mock API, each request signed TC3 with the mock's test credentials, so the
curl CLI can stand for the floor: the same bytes from the same server with no parsing.
Usage: sign_pages.py URL TOTAL PAGE_SIZE OUTPUT_DIR > CONFIG
Page i is written to OUTPUT_DIR/page<i>.json (OUTPUT_DIR "-": to /dev/null). Signatures are
valid for 300 s."""

import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mock_api  # noqa: E402


def main():
    url, total, size, outdir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    host = urllib.parse.urlsplit(url).netloc
    ts = int(time.time())
    date = mock_api.utc_date(ts)
    signed = ["content-type", "host"]
    for i, offset in enumerate(range(0, max(total, 1), size)):
        if i:
            print("next")
        body = ('{"Offset":%d,"Limit":%d}' % (offset, size)).encode()
        canon = mock_api.canonical_request(
            signed, {"content-type": "application/json", "host": host}, body)
        sig = mock_api.tc3_signature(mock_api.DEFAULT_SECRET_KEY, date, mock_api.SERVICE, ts,
                                     canon)
        auth = ("TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, SignedHeaders=%s, "
                "Signature=%s" % (mock_api.DEFAULT_SECRET_ID, date, mock_api.SERVICE,
                                  ";".join(signed), sig))
        print('url = "%s/"' % url)
        print('output = "%s"' % ("/dev/null" if outdir == "-" else
                                  "%s/page%d.json" % (outdir, i)))
        for h in ("Content-Type: application/json", "X-TC-Action: " + mock_api.ACTION,
                  "X-TC-Version: " + mock_api.VERSION, "X-TC-Timestamp: %d" % ts,
                  "Authorization: " + auth):
            print('header = "%s"' % h)
        print("data-binary = \"%s\"" % body.decode().replace('"', '\\"'))


if __name__ == "__main__":
    main()
