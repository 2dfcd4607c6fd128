#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""-c at or above -w (plain day values or N%): the warning can never fire, so -v says so on
stderr (issue 13 item 9); the check itself is unchanged and stdout carries nothing of it."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, Mock, case, run_cases, run_plugin  # noqa: E402

WARN = "warning: -c %s is not below -w %s: -c is checked first, so no certificate can be WARNING"

CASES = [  # (-w, -c, warned)
    ("5", "10", True),
    ("7", "7", True),
    ("10%", "20%", True),
    ("30", "7", False),
    ("5%", "10", False),
    ("@5:8", "10", False),
]


@case
def thresholds(t, m):
    """Each -w/-c pair: warned at -v exactly when -c >= -w, quiet otherwise, state unchanged."""
    for w, c, warned in CASES:
        base = ["--endpoint", m.url, "--now", NOW, "-w", w, "-c", c]
        code_q, out_q, err_q = run_plugin(base)
        code_v, out_v, err_v = run_plugin(base + ["-v"])
        line = WARN % (c, w)
        t.is_(line in err_v, warned, "-w %s -c %s -v: %s" % (
            w, c, "warns" if warned else "no warning"), err_v)
        t.ok(line not in err_q, "-w %s -c %s without -v: quiet" % (w, c))
        t.ok("not below" not in out_v, "-w %s -c %s: nothing on stdout" % (w, c))
        t.is_(code_v, code_q, "-w %s -c %s: same state with -v" % (w, c))


if __name__ == "__main__":
    with Mock("--account", "sample", "--now", NOW) as m:
        run_cases(m)
