#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""--output openmetrics, read back by a real parser: prometheus_client's OpenMetrics parser
(and its Prometheus text-format parser, what node_exporter's textfile collector speaks), from
Debian's python3-prometheus-client. Installed with apt when missing and possible, else the
parser checks are skipped with the reason. Also: hostile bytes in names (invalid UTF-8, quotes,
backslashes, newlines) from a raw server, in every output format."""

import contextlib
import datetime
import glob
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import NOW, PLUGIN, Mock, case, diag, plugin_env, run_cases, run_plugin  # noqa: E402

P = "tencentcloud_ssl_"
STATES = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}


def load_parsers():
    """(openmetrics parser, prometheus text parser) or (None, reason)."""
    def attempt():
        try:
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            from prometheus_client.parser import text_string_to_metric_families as prom
            return text_string_to_metric_families, prom
        except ImportError:
            return None
    got = attempt()
    if got:
        return got
    # Debian's package lives in the system Python's dist-packages; the test may run under
    # another interpreter of the same major version (pure Python, so it imports there too)
    def from_dist_packages():
        for d in glob.glob("/usr/lib/python3/dist-packages"):
            if os.path.isdir(os.path.join(d, "prometheus_client")) and d not in sys.path:
                sys.path.append(d)
        return attempt()
    got = from_dist_packages()
    if got:
        return got
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        r = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                            "python3-prometheus-client"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=300)
        got = from_dist_packages() if r.returncode == 0 else None
        if got:
            return got
        return None, "apt-get install python3-prometheus-client failed (rc %d)" % r.returncode
    return None, "python3-prometheus-client is not installed (and cannot be: not root/no apt)"


OM, PROM = load_parsers()


def parse(t, text, what):
    """{family name: family} as the OpenMetrics parser reads text; also checks the Prometheus
    text parser reads the same families. None (and a failed test) when a parser refuses it."""
    if OM is None:
        t.skip(PROM, 2)
        return None
    try:
        fams = {f.name: f for f in OM(text)}
        t.ok(True, "%s: the OpenMetrics parser reads it" % what)
    except Exception as e:  # the parser's verdict is the test
        t.ok(False, "%s: the OpenMetrics parser reads it (%s)" % (what, e), text)
        return None
    try:
        names = sorted(f.name for f in PROM(text))
        t.is_(names, sorted(fams), "%s: the Prometheus text parser reads the same families" %
              what)
    except Exception as e:
        t.ok(False, "%s: the Prometheus text parser reads it (%s)" % (what, e), text)
    return fams


def samples(fams, name):
    f = fams.get(P + name)
    return [] if f is None else f.samples


def check(mock, *args, **kw):
    return run_plugin(["--endpoint", mock.url, "--now", NOW] + list(args), **kw)


def sample_mock():
    return Mock("--account", "sample", "--now", NOW)


@case
def sample(t):
    """The sample account's exposition: families, labels and values as in the JSON output."""
    with sample_mock() as m:
        code_t, _, _ = check(m)
        code, out, err = check(m, "--output", "openmetrics")
        _, js, _ = check(m, "--output", "json")
    t.is_(code, code_t, "exit code unchanged (%s)" % code_t, err)
    t.ok(out.endswith("\n# EOF\n"), "ends with # EOF")
    t.unlike(out, r"\n\n", "no blank line")
    fams = parse(t, out, "sample")
    doc = json.loads(js)
    if fams is None:
        return
    t.ok(all(f.type == "gauge" for f in fams.values()), "every family is a gauge")
    t.ok(all(f.documentation for f in fams.values()), "every family has HELP")
    t.is_(fams[P + "certificate_not_after_timestamp_seconds"].unit, "seconds",
          "not-after has the unit seconds")
    by = {}
    for name in ("certificate_days_left", "certificate_not_after_timestamp_seconds",
                 "certificate_state"):
        by[name] = {s.labels["id"]: s for s in samples(fams, name)}
    certs = doc["certificates"]
    t.is_(sorted(by["certificate_state"]), sorted(c["id"] for c in certs),
          "a state series per selected certificate")
    t.ok(all(set(s.labels) == {"id", "domain"} for n in by for s in by[n].values()),
         "labels are id and domain")
    t.is_({i: s.labels["domain"] for i, s in by["certificate_state"].items()},
          {c["id"]: c["domain"] for c in certs}, "domain labels are the decoded domains")
    t.is_({i: s.value for i, s in by["certificate_days_left"].items()},
          {c["id"]: c["days_left"] for c in certs}, "days_left as in the JSON output")
    t.is_({i: s.value for i, s in by["certificate_state"].items()},
          {c["id"]: STATES[c["state"]] for c in certs}, "state 0..3 as in the JSON output")
    # not-after: Unix seconds of the JSON's +08:00 time
    want = {c["id"]: int(datetime.datetime.fromisoformat(c["not_after"]).timestamp())
            for c in certs}
    t.is_({i: int(s.value) for i, s in by["certificate_not_after_timestamp_seconds"].items()},
          want, "not_after as Unix seconds")
    counts = {s.labels["state"]: s.value for s in samples(fams, "check_certificates")}
    t.is_(counts, {k: doc["counts"][k] for k in ("ok", "warning", "critical", "unknown")},
          "counts per state")
    t.is_(samples(fams, "check_certificates_selected")[0].value, doc["counts"]["selected"],
          "selected")
    t.is_(samples(fams, "check_certificates_listed")[0].value, doc["counts"]["listed"],
          "listed")
    t.is_(samples(fams, "check_min_days_left")[0].value, -2, "min days left")
    t.is_(samples(fams, "check_state")[0].value, code, "check state is the exit code")
    t.is_(samples(fams, "check_success")[0].value, 1, "success 1")
    t.ok(samples(fams, "check_fetch_duration_seconds")[0].value >= 0, "fetch duration")
    t.is_(samples(fams, "check_error"), [], "no error series")


@case
def selection(t):
    """The selection flags apply as in text output."""
    if OM is None:
        return  # the sample case has skipped the parser checks
    with sample_mock() as m:
        _, out2, _ = check(m, "--output", "openmetrics", "--include-replaced", "--domain",
                           "app.example.com")
    f2 = parse(t, out2, "--domain app.example.com --include-replaced")
    if f2:
        t.is_(sorted(s.labels["id"] for s in samples(f2, "certificate_state")),
              ["NewR0365", "Repl0004"], "selection applies")


@case
def nothing_selected(t):
    """Nothing selected: a valid exposition with zero counts and the empty state."""
    if OM is None:
        return  # as above
    with sample_mock() as m:
        code3, out3, _ = check(m, "--output", "openmetrics", "--domain", "nomatch.invalid",
                               "--empty-state", "warning")
    f3 = parse(t, out3, "nothing selected")
    t.is_(code3, 1, "nothing selected: --empty-state")
    if f3:
        t.is_(samples(f3, "certificate_state"), [], "nothing selected: no certificate series")
        t.is_(samples(f3, "check_state")[0].value, 1, "nothing selected: state warning")
        t.is_(samples(f3, "check_certificates_selected")[0].value, 0, "nothing selected: 0")
        t.is_(samples(f3, "check_min_days_left"), [], "nothing selected: no min days left")


def expect_error(t, text, state, message_re, what):
    fams = parse(t, text, what)
    if fams is None:
        return
    t.is_(samples(fams, "check_state")[0].value, state, "%s: state %d" % (what, state))
    t.is_(samples(fams, "check_success")[0].value, 0, "%s: success 0" % what)
    err = samples(fams, "check_error")
    t.ok(len(err) == 1 and re.search(message_re, err[0].labels.get("message", "")),
         "%s: the message says why" % what, err)
    t.is_([n for n in fams if n.startswith(P + "certificate_")], [],
          "%s: no certificate series" % what)
    t.is_(samples(fams, "check_certificates"), [], "%s: no counts" % what)


@case
def api_error(t):
    """An API error: state UNKNOWN, success 0 and the message."""
    with sample_mock() as m:
        code, out, _ = check(m, "--output", "openmetrics",
                             env={"TENCENTCLOUD_SECRET_KEY": "wrong" * 6})
    t.is_(code, 3, "API error: UNKNOWN")
    expect_error(t, out, 3, r"^API error AuthFailure\.SignatureFailure", "API error")


@case
def no_credentials(t):
    """No credentials: an error exposition too."""
    with sample_mock() as m:
        code, out, _ = check(m, "--output", "openmetrics",
                             env={"TENCENTCLOUD_SECRET_ID": None,
                                  "TENCENTCLOUD_SECRET_KEY": None})
    t.is_(code, 3, "no credentials: UNKNOWN")
    expect_error(t, out, 3, r"credentials", "no credentials")


@case
def bogus_output(t):
    """--output bogus: a usage error naming the choices."""
    code, out, _ = run_plugin(["--output", "bogus"])
    t.is_(code, 3, "--output bogus: usage error")
    t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - --output must be text, json or openmetrics, "
           r"not 'bogus'$", "--output bogus: says the choices")


@case
def timeout(t):
    """A hanging server: -t 2 is UNKNOWN, -t 2:critical CRITICAL, both with the message."""
    with Mock("--account", "sample", "--now", NOW, "--fault", "hang") as h:
        for tflag, state in (("2", 3), ("2:critical", 2)):
            code, out, _ = check(h, "--output", "openmetrics", "-t", tflag)
            t.is_(code, state, "timeout -t %s: exit code" % tflag)
            expect_error(t, out, state, r"^timed out after 2 s", "timeout -t %s" % tflag)


# ---- hostile bytes: a server that answers with fixed bytes, whatever the request ----

def hostile_body():
    def cert(cid, domain, end=b"2026-01-04 09:00:00"):
        return (b'{"CertificateId":"' + cid + b'","Domain":"' + domain + b'","Alias":"",'
                b'"Status":1,"CertBeginTime":"2025-01-01 08:00:00","CertEndTime":"' + end +
                b'","SubjectAltName":[],"BoundResource":["clb\xff|x"],'
                b'"CertificateExtra":{"ReplacedBy":""},"IsIgnore":false}')
    certs = [cert(b"Bad0utf8", b"bad\xff\xfe\xc3(\xe6\xb5.example.com"),
             cert(b"Quote001", b'q\\"uote\\\\back\\nnew|pipe;semi=eq.example.com'),
             cert(b"Latin001", b"caf\xe9.example.com"),
             cert(b"Ctl00001", b"ctl\\u0001\\t\x7f.example.com"),
             # distinct ids that read the same once not-UTF-8 bytes are U+FFFD; apart in
             # the sort order, so a repeated series would be out of its group
             cert(b"Dup\xff", b"dup.example.com"),
             cert(b"Dup\xfe", b"dup.example.com", b"2026-06-01 09:00:00")]
    return (b'{"Response":{"TotalCount":%d,"Certificates":[' % len(certs) + b",".join(certs) +
            b'],"RequestId":"hostile"}}')


class Raw(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = hostile_body()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def run_raw(args):
    p = subprocess.run([PLUGIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=plugin_env(), timeout=30)
    return p.returncode, p.stdout


@contextlib.contextmanager
def hostile_args():
    """The plugin's arguments against a Raw server, running for the with-block."""
    srv = http.server.HTTPServer(("127.0.0.1", 0), Raw)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d" % srv.server_address[1]
    try:
        yield ["--endpoint", url, "--now", str(NOW), "--retries", "0"]
    finally:
        srv.shutdown()
        srv.server_close()


@case
def hostile_openmetrics(t):
    """Hostile names in openmetrics: valid UTF-8, read back as the parser sees them."""
    with hostile_args() as base:
        code, out = run_raw(base + ["--output", "openmetrics"])
    t.is_(code, 2, "hostile names: listed and CRITICAL (3 d left)")
    t.ok(valid_utf8(out), "openmetrics: valid UTF-8 whatever the names", out)
    fams = parse(t, out.decode("utf-8", "replace"), "hostile names")
    if fams:
        dom = {s.labels["id"]: s.labels["domain"] for s in samples(fams, "certificate_state")}
        t.is_(dom.get("Bad0utf8"), "bad\ufffd\ufffd\ufffd(\ufffd\ufffd.example.com",
              "invalid UTF-8 reads back as U+FFFD")
        t.is_(dom.get("Quote001"), 'q"uote\\back\nnew|pipe;semi=eq.example.com',
              "quote, backslash and newline read back as they were")
        t.is_(dom.get("Latin001"), "caf\ufffd.example.com", "a Latin-1 byte is U+FFFD")
        t.is_(dom.get("Ctl00001"), "ctl___.example.com", "control characters as _")
        t.is_([s.labels["id"] for s in samples(fams, "certificate_state")].count(
            "Dup\ufffd"), 1, "ids equal once cleaned: one series (no repeated series)")
        t.is_(samples(fams, "check_certificates_selected")[0].value, 6,
              "ids equal once cleaned: both still counted")


@case
def hostile_text(t):
    """The same names in text output (issue 9 item 6 and the Nagios rules)."""
    with hostile_args() as base:
        code, out = run_raw(base + ["-v", "--perfdata-per-cert", "--max-output", "0"])
    t.ok(valid_utf8(out), "text: valid UTF-8 whatever the names", out)
    text = out.decode("utf-8", "replace")
    lines = text.rstrip("\n").split("\n")
    status = lines[0].split(" | ")[0]
    t.unlike(status, r";", "text: no ';' of its own in the status line")
    t.is_(lines[0].count("|"), 1, "text: the status line's only '|' starts perfdata")
    t.ok(all("|" not in ln for ln in lines[1:-1]), "text: no '|' in long output")
    t.ok(lines[-1].startswith("|") and lines[-1].count("|") == 1,
         "text: per-cert perfdata line has only its leading '|'")
    t.like(status, "bad\ufffd\ufffd\ufffd\\(\ufffd\ufffd\\.example\\.com \\(id Bad0utf8\\)",
           "text: U+FFFD in the status line")
    t.like(text, "(?m)^bad\ufffd\ufffd\ufffd\\(\ufffd\ufffd\\.example\\.com \\(id Bad0utf8\\): "
           "CRITICAL, .*, bound to clb\ufffd_x$", "text: U+FFFD in long output")
    t.like(lines[-1], "'days_Bad0utf8_bad\ufffd\ufffd\ufffd\\(\ufffd\ufffd\\.example\\.com'=3;",
           "text: U+FFFD in the perfdata label")
    t.like(lines[-1], "'days_Quote001_q\"uote\\\\back_new_pipe_semi_eq\\.example\\.com'=3;",
           "text: perfdata label without newline, '|', ';', '='")


@case
def hostile_json(t):
    """The same names in JSON output."""
    with hostile_args() as base:
        code, out = run_raw(base + ["--output", "json"])
    t.ok(valid_utf8(out), "json: valid UTF-8")
    doc = json.loads(out.decode("utf-8"))
    t.is_({c["id"]: c["domain"] for c in doc["certificates"]}["Bad0utf8"],
          "bad\ufffd\ufffd\ufffd(\ufffd\ufffd.example.com", "json: U+FFFD as before")


if __name__ == "__main__":
    if OM is None:
        diag("parser checks skipped: %s" % PROM)
    run_cases()
