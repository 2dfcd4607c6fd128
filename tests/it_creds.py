#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials beyond keys (issue 12) against the mocks: the CVM instance role (mock_metadata.py),
STS AssumeRole (mock_api.py), the cache keyed by identity, --extra-opts, and HOME unset.
Every run that can reach the credential chain has --metadata-url on 127.0.0.1 or no --cvm-role.
Nearly every run is at -vvv, and no secret of any route may appear in any output."""

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mock_proxy import MockProxy  # noqa: E402
from tap import (NOW, PLUGIN, SECRET_ID, SECRET_KEY, TOP_SRCDIR, Mock, case,  # noqa: E402
                 run_cases, run_plugin, stop_process, tempdir)

META = os.path.join(TOP_SRCDIR, "tests", "mock_metadata.py")
ARN = "qcs::cam::uin/100012345678:roleName/ssl-monitor"
CVM_ID = "AKIDcvmEXAMPLE000000000000000000"
CVM_KEY = "cvmTmpKeyEXAMPLE000000000000000"
CVM_TOKEN = "cvmTokenEXAMPLE" + "0" * 100
ENV_TOKEN = "envSessionTokenEXAMPLE0001"
PROXY_PASSWORD = "pr0xyS3cret"
# Secrets of every route: none may appear in any output. The mock's temporary STS keys and
# tokens are random; their shapes are matched instead.
SECRETS = [SECRET_KEY, CVM_KEY, CVM_TOKEN, ENV_TOKEN, "cvmTmpKey2EXAMPLE00000000000000",
           "cvmToken2EXAMPLE", PROXY_PASSWORD]
SECRET_RE = re.compile(r"tmpKey[0-9a-f]{6}|tmpToken[0-9a-f]{6}")
outputs = []  # (what, text) of every run


class Meta:
    """tests/mock_metadata.py on a free port of 127.0.0.1 for a with-block."""

    def __init__(self, *args):
        self.args = [str(a) for a in args]
        self.dir = tempdir("meta-")
        self.log_path = os.path.join(self.dir, "log.jsonl")

    def __enter__(self):
        pf = os.path.join(self.dir, "port")
        self.err = open(os.path.join(self.dir, "stderr"), "wb")
        self.proc = subprocess.Popen([sys.executable, META, "--port", "0", "--port-file", pf,
                                      "--log", self.log_path] + self.args,
                                     stdout=subprocess.DEVNULL, stderr=self.err,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (os.path.exists(pf) and open(pf).read()):
            time.sleep(0.02)
        self.port = int(open(pf).read())
        self.url = "http://127.0.0.1:%d/latest/meta-data/" % self.port
        return self

    def __exit__(self, *exc):
        stop_process(self.proc)
        self.err.close()
        return False

    def paths(self):
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as f:
            return [json.loads(line)["path"] for line in f if line.endswith("\n")]


NOENV = {"TENCENTCLOUD_SECRET_ID": None, "TENCENTCLOUD_SECRET_KEY": None}


def check(m, *args, env=None, verbose=True, what=None):
    """The plugin against mock m at -vvv; every output is kept for the secrets check."""
    # STS on the mock too: no test may reach for a host that is not 127.0.0.1
    argv = ["--endpoint", m.url, "--sts-endpoint", m.url, "--now", NOW] + \
        (["-vvv"] if verbose else []) + list(args)
    code, out, err = run_plugin(argv, env=env)
    outputs.append((what or " ".join(str(a) for a in args), out + err))
    return code, out, err


def no_secret(t, text, name):
    leaked = [s for s in SECRETS if s in text] + SECRET_RE.findall(text)
    t.ok(not leaked, "no secret in any output: " + name, "leaked: %r" % leaked[:3])


def actions(m):
    """(action, SecretId) of every request, in the order they arrived."""
    return [(e.get("action"), e.get("auth_id"))
            for e in sorted(m.log_entries(), key=lambda e: e["req"])]


def sts_bodies(m):
    return [json.loads(e["body"]) for e in sorted(m.log_entries(), key=lambda e: e["req"])
            if e.get("action") == "AssumeRole"]


CVM_MOCK = ["--secret-id", CVM_ID, "--secret-key", CVM_KEY, "--token", CVM_TOKEN,
            "--account", "sample", "--now", NOW]

# (fault, reason): UNKNOWN naming the CVM role, never a crash or a hang
METADATA_FAULTS = [
    ("norole", r"CVM role auto: no role is bound to this instance \(HTTP 404"),
    ("http500", r"CVM role auto: HTTP 500 from the metadata service 127\.0\.0\.1:\d+$"),
    ("garbage", r"CVM role auto: the metadata service 127\.0\.0\.1:\d+ did not answer with a "
                r"role name$"),
    ("garbage@2", r"CVM role ssl-monitor: unexpected answer from the metadata service "
                  r"127\.0\.0\.1:\d+: the answer is not a JSON object$"),
    ("badcode", r"CVM role ssl-monitor: unexpected answer .*Code is \"Failed\", not \"Success\""),
    ("nokey", r"CVM role ssl-monitor: unexpected answer .*TmpSecretKey is missing"),
    ("slow", r"CVM role auto: metadata service: no answer from 127\.0\.0\.1:\d+ within 2\.0 s$"),
]
# (arguments, reason): usage errors make no request
USAGE_ERRORS = [
    (["--cvm-role", "auto", "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY],
     r"--cvm-role and --secret-id exclude each other"),
    (["--cvm-role", "a b"], r"--cvm-role must be auto or a role name"),
    (["--cvm-role", "auto", "--metadata-url", "ftp://127.0.0.1/"], r"--metadata-url must be"),
    (["--metadata-url", "http://user:pw@127.0.0.1/"], r"--metadata-url must be"),
    (["--role-arn", "arn:aws:iam::1:role/x"], r"--role-arn must look like qcs::cam::"),
    (["--role-arn", ARN, "--role-duration", "0"], r"--role-duration must be an integer from 1 "
                                                  r"to 43200"),
    (["--role-arn", ARN, "--role-duration", "43201"], r"--role-duration must be"),
    (["--role-arn", ARN, "--role-session-name", "a"], r"--role-session-name must be 2 to 128"),
    (["--role-arn", ARN, "--sts-endpoint", "sts.example"], r"bad --sts-endpoint URL"),
    (["--secret-key", SECRET_KEY], r"--secret-key needs --secret-id"),
]


def key_file():
    """The mock's secret key in a file of mode 0600."""
    path = os.path.join(tempdir("creds-"), "key")
    with open(path, "w") as f:
        f.write(SECRET_KEY + "\n")
    os.chmod(path, 0o600)
    return path


def profile_home():
    """A HOME whose credentials file has a default profile and one with a role_arn."""
    home = tempdir("home-")
    os.makedirs(os.path.join(home, ".tencentcloud"))
    with open(os.path.join(home, ".tencentcloud", "credentials"), "w") as f:
        f.write("[default]\nsecret_id = %s\nsecret_key = %s\n\n[assume]\nsecret_id = %s\n"
                "secret_key = %s\nrole_arn = %s\nrole_session_name = from-profile\n" %
                (SECRET_ID, SECRET_KEY, SECRET_ID, SECRET_KEY, ARN))
    os.chmod(os.path.join(home, ".tencentcloud", "credentials"), 0o600)
    return home


def proxy_user_file():
    path = os.path.join(tempdir("proxy-"), "user")
    with open(path, "w") as f:
        f.write("alice:%s\n" % PROXY_PASSWORD)
    os.chmod(path, 0o600)
    return path


@case
def cvm_role(t):
    """The CVM role: explicit, wins over the environment, never asked without it."""
    with Meta() as md, Mock(*CVM_MOCK) as m:
        code, out, err = check(m, "--cvm-role", "auto", "--metadata-url", md.url)
        t.is_(code, 2, "--cvm-role auto: the sample account lists (CRITICAL)", out + err)
        t.is_(md.paths(), ["/latest/meta-data/cam/security-credentials/",
                           "/latest/meta-data/cam/security-credentials/ssl-monitor"],
              "auto: the role's name, then its credentials")
        t.is_(actions(m), [("DescribeCertificates", CVM_ID)],
              "--cvm-role wins over TENCENTCLOUD_SECRET_ID in the environment")
        t.like(err, r"TENCENTCLOUD_SECRET_ID and the profile are ignored: --cvm-role wins",
               "-v says the environment was ignored")
        t.like(err, r"CVM role ssl-monitor: temporary SecretId " + CVM_ID, "-v names the role")
        t.like(err, r"CVM metadata: GET http://127\.0\.0\.1:\d+/latest/meta-data/cam/security-"
               r"credentials/ssl-monitor: HTTP 200, \d+ bytes",
               "-vv: one line per metadata request")
        hdrs = m.log_entries()[-1]["headers"]
        t.is_(hdrs.get("x-tc-token"), "<redacted>", "the role's token is sent as X-TC-Token")

        code, out, err = check(m, "--cvm-role", "ssl-monitor", "--metadata-url", md.url, env=NOENV)
        t.is_(code, 2, "--cvm-role NAME alone, no other credentials", out + err)
        t.is_(md.paths()[-1:], ["/latest/meta-data/cam/security-credentials/ssl-monitor"],
              "a named role asks for its credentials only")
        t.is_(len(md.paths()), 3, "one request for a named role")

        n = len(md.paths())
        code, out, err = check(m, "--metadata-url", md.url,
                               env={"TENCENTCLOUD_SECRET_ID": CVM_ID,
                                    "TENCENTCLOUD_SECRET_KEY": CVM_KEY,
                                    "TENCENTCLOUD_SESSION_TOKEN": CVM_TOKEN})
        t.is_(code, 2, "without --cvm-role the environment is used", out)
        t.is_(len(md.paths()), n, "without --cvm-role the metadata service is never contacted")
        code, out, err = check(m, env=NOENV)
        t.is_(code, 3, "no credentials at all: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - no credentials: .*--cvm-role",
               "the 'no credentials' message mentions --cvm-role")
        t.is_(len(md.paths()), n, "and still no metadata request")

        code, out, err = check(m, "--cvm-role", "other", "--metadata-url", md.url)
        t.is_(code, 3, "a role that is not bound: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - CVM role other: no such role is bound to this "
               r"instance \(HTTP 404 from the metadata service 127\.0\.0\.1:\d+\)\n",
               "named in the line")


@case
def metadata_faults(t):
    """Each row of METADATA_FAULTS against its own metadata service."""
    for fault, want in METADATA_FAULTS:
        with Meta("--fault", fault) as md, Mock(*CVM_MOCK) as m:
            t0 = time.monotonic()
            code, out, err = check(m, "--cvm-role", "auto", "--metadata-url", md.url)
            took = time.monotonic() - t0
            t.is_(code, 3, "metadata fault %s: UNKNOWN" % fault, out + err)
            t.like(out.split("\n")[0], r"^TENCENTCLOUD_SSL UNKNOWN - " + want,
                   "fault %s: why" % fault)
            t.is_(actions(m), [], "fault %s: no listing request" % fault)
            if fault == "slow":
                t.ok(took < 4.5, "a slow metadata service is given 2 s, inside -t (%.1f s)" % took)


@case
def metadata_deadline(t):
    """A metadata call cut by -t ends with the -t state."""
    with Meta("--fault", "slow", "--slow", "5") as md, Mock(*CVM_MOCK) as m:
        code, out, err = check(m, "--cvm-role", "auto", "--metadata-url", md.url, "-t", "1:warning")
        t.is_(code, 1, "a metadata call cut by -t ends with the -t state")
        t.like(out, r"^TENCENTCLOUD_SSL WARNING - timed out after 1 s \(last error: CVM role auto: "
               r"metadata service: no answer from 127\.0\.0\.1:\d+ within 1\.\d s\)\n",
               "and says what was waited for")


@case
def metadata_not_listening(t):
    """No metadata service listening: UNKNOWN, cannot connect."""
    with Mock(*CVM_MOCK) as m:
        code, out, err = check(m, "--cvm-role", "auto", "--metadata-url", "http://127.0.0.1:9/x/")
        t.is_(code, 3, "no metadata service listening: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - CVM role auto: metadata service: cannot "
               r"connect to 127\.0\.0\.1:9", "says it cannot connect")


@case
def usage_errors(t):
    """Each row of USAGE_ERRORS: UNKNOWN, the usage line, no request."""
    with Mock() as m:
        for args, want in USAGE_ERRORS:
            code, out, err = check(m, *args)
            t.is_(code, 3, "usage error: %s" % want)
            t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - " + want + r".*\nUsage: ",
                   "%s, then the usage line" % want)
        t.is_(m.log_entries(), [], "usage errors make no request")


@case
def assume_role_routes(t):
    """AssumeRole over each base route; the STS request; a wrong role is not retried."""
    keyfile, home = key_file(), profile_home()
    with Mock("--account", "sample", "--now", NOW) as m:
        routes = [
            ("command line", ["--secret-id", SECRET_ID, "--secret-key-file", keyfile, "--role-arn",
                              ARN], NOENV, "check_tencentcloud_ssl"),
            ("environment", ["--role-arn", ARN], None, "check_tencentcloud_ssl"),
            ("profile role_arn", ["--profile", "assume"], dict(NOENV, HOME=home), "from-profile"),
            ("default profile with --role-arn", ["--role-arn", ARN, "--role-session-name", "cli.x"],
             dict(NOENV, HOME=home), "cli.x"),
        ]
        for name, args, env, session in routes:
            before = len(m.log_entries())
            code, out, err = check(m, *args, env=env)
            got = actions(m)[before:]
            t.is_(code, 2, "AssumeRole over the %s: the listing works" % name, out + err)
            t.is_([a for a, _ in got], ["AssumeRole", "DescribeCertificates"],
                  "%s: AssumeRole first, then the listing" % name)
            t.ok(len(got) == 2 and got[0][1] == SECRET_ID and got[1][1].startswith("AKIDtmp"),
                 "%s: STS signed by the base key, the listing by the role's" % name, got)
            t.is_(sts_bodies(m)[-1], {"RoleArn": ARN, "RoleSessionName": session,
                                      "DurationSeconds": 900}, "%s: the request body" % name)
            t.like(err, r"assumed role " + re.escape(ARN), "%s: -v says so" % name)
        e = [x for x in m.log_entries() if x.get("action") == "AssumeRole"][-1]
        t.is_((e["headers"].get("x-tc-version"), e["headers"].get("x-tc-region"),
               e["signed_headers"]), ("2018-08-13", "ap-guangzhou", "content-type;host"),
              "STS: version, region, signed headers")
        code, out, err = check(m, "--role-arn", ARN, "--role-duration", "43200")
        t.is_(sts_bodies(m)[-1]["DurationSeconds"], 43200, "--role-duration is DurationSeconds")

        # a wrong role: the STS error line, not retried
        before = len(m.log_entries())
        code, out, err = check(m, "--role-arn", "qcs::cam::uin/100012345678:roleName/nope")
        t.is_(code, 3, "a wrong role ARN: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - STS AssumeRole: API error "
               r"ResourceNotFound\.RoleNotExist: role not exist \(RequestId [0-9a-f-]{36}\)\n",
               "the STS error line")
        t.is_(len(m.log_entries()) - before, 1, "a non-retryable STS error is not retried")


@case
def sts_retried(t):
    """A retryable STS error (InternalError) is retried."""
    with Mock("--account", "sample", "--now", NOW, "--fault", "internal@1") as m:
        code, out, err = check(m, "--role-arn", ARN)
        t.is_(code, 2, "a retryable STS error (InternalError) is retried", out + err)
        t.is_([a for a, _ in actions(m)], ["AssumeRole", "AssumeRole", "DescribeCertificates"],
              "the second AssumeRole succeeds")


@case
def sts_http_503(t):
    """STS HTTP 503 past --retries: UNKNOWN."""
    with Mock("--account", "sample", "--now", NOW, "--fault", "http:503x3") as m:
        code, out, err = check(m, "--role-arn", ARN, "--retries", "2")
        t.is_(code, 3, "STS HTTP 503 past --retries: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - STS AssumeRole: HTTP 503 from 127\.0\.0\.1:\d+\n",
               "says so")
        t.is_(len(m.log_entries()), 3, "one try and 2 retries")


@case
def sts_echo_auth(t):
    """An STS error echoing our headers is redacted."""
    with Mock("--account", "sample", "--now", NOW, "--token", ENV_TOKEN,
              "--fault", "echo-auth@1") as m:
        code, out, err = check(m, "--role-arn", ARN, "--retries", "0",
                               env={"TENCENTCLOUD_SESSION_TOKEN": ENV_TOKEN}, what="echo-auth")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - STS AssumeRole: API error InternalError: gateway "
               r"saw Authorization: .*X-TC-Token: <redacted>", "an STS error echoing our headers "
               "is redacted")


@case
def sts_session_token(t):
    """A base session token goes to STS too."""
    with Mock("--account", "sample", "--now", NOW, "--token", ENV_TOKEN) as m:
        code, out, err = check(m, "--role-arn", ARN, env={"TENCENTCLOUD_SESSION_TOKEN": ENV_TOKEN})
        t.is_((code, [a for a, _ in actions(m)]), (2, ["AssumeRole", "DescribeCertificates"]),
              "AssumeRole over the environment with a session token", out + err)


@case
def sts_https(t):
    """STS over HTTPS trusts --cacert like the listing."""
    with Mock("--account", "sample", "--now", NOW, tls=True) as m:
        code, out, err = check(m, "--role-arn", ARN, "--cacert", m.ca)
        t.is_((code, [a for a, _ in actions(m)]), (2, ["AssumeRole", "DescribeCertificates"]),
              "STS over HTTPS with --cacert", out + err)
        code, out, err = check(m, "--role-arn", ARN)
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - STS AssumeRole: TLS: ", "an STS endpoint whose "
               "certificate is not trusted: UNKNOWN, TLS named")


@case
def sts_proxy(t):
    """STS through an authenticating proxy (--proxy-user-file), like the listing."""
    pfile = proxy_user_file()
    with Mock("--account", "sample", "--now", NOW) as m, MockProxy(auth="alice:pr0xyS3cret") as p:
        code, out, err = check(m, "--role-arn", ARN, "--proxy", p.url, "--proxy-user-file", pfile)
        t.is_((code, [a for a, _ in actions(m)]), (2, ["AssumeRole", "DescribeCertificates"]),
              "AssumeRole and the listing through an authenticating proxy", out + err)
        t.is_(len(p.seen), 2, "both went through the proxy")
    with Mock("--account", "sample", "--now", NOW) as m, MockProxy(auth="alice:other") as p:
        code, out, err = check(m, "--role-arn", ARN, "--proxy", p.url, "--proxy-user-file", pfile)
        t.is_(code, 3, "a proxy that refuses the STS call: UNKNOWN")
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - STS AssumeRole: proxy authentication required "
               r"\(HTTP 407 from proxy 127\.0\.0\.1:\d+\)\n", "named as the proxy's", out + err)
        t.is_(len(p.seen), 1, "a 407 is not retried")


@case
def listing_retry_role_keys(t):
    """The listing retried after a page fails, with the temporary credentials."""
    with Mock("--account", "gen:2500", "--now", NOW, "--fault", "internal@3") as m:
        code, out, err = check(m, "--role-arn", ARN, "--page-size", "1000", "--parallel", "1")
        got = actions(m)
        t.is_(code in (0, 1, 2), True, "a page that fails is retried with the role's keys",
              out + err)
        t.is_([a for a, _ in got], ["AssumeRole"] + ["DescribeCertificates"] * 4,
              "one AssumeRole, 3 pages and one retry")
        t.is_(len({i for a, i in got[1:]}), 1,
              "every page and the retry use the same temporary key")
        t.ok(got[1][1] != SECRET_ID, "and it is not the base key")


@case
def assume_over_cvm(t):
    """AssumeRole over a CVM role (the metadata keys sign the STS call)."""
    with Meta() as md, Mock("--account", "sample", "--now", NOW, "--sts-secret-id", CVM_ID,
                            "--sts-secret-key", CVM_KEY, "--sts-token", CVM_TOKEN) as m:
        code, out, err = check(m, "--cvm-role", "auto", "--metadata-url", md.url, "--role-arn", ARN)
        got = actions(m)
        t.is_(code, 2, "AssumeRole over a CVM role", out + err)
        t.ok([a for a, _ in got] == ["AssumeRole", "DescribeCertificates"] and got[0][1] == CVM_ID,
             "STS signed by the CVM role's key (with its token)", got)


@case
def cache_role(t):
    """The cache follows the identity: another role ARN is another identity."""
    cache = os.path.join(tempdir("cache-"), "listing.cache")
    with Mock("--account", "sample", "--now", NOW) as m:
        args = ("--role-arn", ARN, "--cache-file", cache, "--cache-ttl", "300")
        code1, out1, _ = check(m, *args)
        code2, out2, err2 = check(m, *args)
        t.is_(code1, 2, "AssumeRole with a cache: first run lists")
        t.is_([a for a, _ in actions(m)], ["AssumeRole", "DescribeCertificates"],
              "a cache hit needs no STS request")
        t.is_((code2, out2.split("|")[0]), (code1, out1.split("|")[0]),
              "same result from the cache")
        t.like(err2, r"certificates from the cache", "-v says it came from the cache")
        code, out, _ = check(m, "--role-arn", "qcs::cam::uin/1:roleName/other", "--cache-file",
                             cache)
        t.is_(actions(m)[-1][0], "AssumeRole", "another role ARN is another identity: no hit")


@case
def cache_cvm(t):
    """A CVM role's temporary keys differ from run to run: the cache is shared."""
    cache = os.path.join(tempdir("cache-"), "listing.cache")
    k2, t2 = "cvmTmpKey2EXAMPLE00000000000000", "cvmToken2EXAMPLE" + "1" * 90
    with Mock(*CVM_MOCK) as m:
        with Meta() as md1:
            code1, out1, _ = check(m, "--cvm-role", "auto", "--metadata-url", md1.url,
                                   "--cache-file", cache)
        t.is_(code1, 2, "CVM role with a cache: first run lists")
        n = len(m.log_entries())
        # the same metadata URL (the identity names it), a new service handing out other keys,
        # which the API would refuse: only a cache hit can give the same answer
        with Meta("--port", md1.port, "--tmp-id", "AKIDcvm2", "--tmp-key", k2,
                  "--token", t2) as md2:
            code2, out2, err2 = check(m, "--cvm-role", "auto", "--metadata-url", md2.url,
                                      "--cache-file", cache)
            t.is_((code2, out2.split("|")[0]), (code1, out1.split("|")[0]),
                  "a later run (other temporary keys) shares the cache")
            t.is_((md2.paths(), len(m.log_entries())), ([], n),
                  "a cache hit makes no metadata or API request")


@case
def extra_opts(t):
    """--extra-opts: sections, files, precedence, errors, permissions."""
    keyfile = key_file()
    xd = tempdir("extra-")
    ini = os.path.join(xd, "plugins.ini")
    with open(ini, "w") as f:
        f.write("# options for check_tencentcloud_ssl\n[check_tencentcloud_ssl]\nsecret-id = %s\n"
                "secret-key-file = %s\nwarning = 100\n\n[prod]\n  secret-id=%s\n"
                "secret-key = %s\nbound-only =\n; comment\n[broken]\n%s\n" %
                (SECRET_ID, keyfile, SECRET_ID, SECRET_KEY, SECRET_KEY))
    os.chmod(ini, 0o600)
    with Mock("--account", "sample", "--now", NOW, "--secret-id", SECRET_ID) as m:
        code, out, err = check(m, "--extra-opts=@" + ini, "--output", "json", env=NOENV)
        doc = json.loads(out) if out.startswith("{") else {}
        t.is_((code, doc.get("counts", {}).get("warning")), (2, 5),
              "--extra-opts=@FILE: section check_tencentcloud_ssl (credentials, -w 100)")
        t.like(err, r"--extra-opts: \[check_tencentcloud_ssl\] in .*plugins\.ini: --secret-id "
               r"--secret-key-file --warning", "-v names the options, not their values")
        code, out, err = check(m, "-w", "30", "--extra-opts=@" + ini, "--output", "json", env=NOENV)
        doc = json.loads(out) if out.startswith("{") else {}
        t.is_(doc.get("counts", {}).get("warning"), 2, "the command line wins over the file")
        code, out, err = check(m, "--extra-opts=prod@" + ini, "--output", "json", env=NOENV)
        doc = json.loads(out) if out.startswith("{") else {}
        t.is_((code, doc.get("counts", {}).get("selected")), (2, 4),
              "--extra-opts=SECTION@FILE: a flag written 'bound-only ='")
        code, out, err = check(m, "--extra-opts=prod", env=dict(NOENV, MP_CONFIG_FILE=ini))
        t.is_(code, 2, "--extra-opts=SECTION: the file from MP_CONFIG_FILE", out + err)
        code, out, err = check(m, "--extra-opts",
                               env=dict(NOENV, NAGIOS_CONFIG_PATH="/nonexistent:" + xd))
        t.is_(code, 2, "--extra-opts alone: plugins.ini in NAGIOS_CONFIG_PATH, section "
              "check_tencentcloud_ssl", out + err)
        code, out, err = check(m, "--extra-opts=nosuch@" + ini, env=NOENV)
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - --extra-opts: no section \[nosuch\] in .*plugins"
               r"\.ini\n", "a missing section: UNKNOWN")
        code, out, err = check(m, "--extra-opts=broken@" + ini, env=NOENV)
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - --extra-opts: .*plugins\.ini line 13: expected "
               r"option = value", "a bad line: UNKNOWN naming the line, not quoting it")
        code, out, err = check(m, "--extra-opts=@" + ini + ".missing", env=NOENV)
        t.is_(code, 3, "a missing file: UNKNOWN")
        t.like(out, r"--extra-opts: cannot open .*missing", "says which")
        code, out, err = check(m, "--search-key", "--extra-opts=@/nonexistent", env=NOENV)
        t.unlike(out, r"extra-opts", "a value that looks like --extra-opts is only a value")
        os.chmod(ini, 0o644)
        code, out, err = check(m, "--extra-opts=@" + ini, env=NOENV)
        t.like(err, r"warning: --extra-opts: .*plugins\.ini is readable by group or others",
               "-v warns when group or others can read the file")
        t.is_(m.log_entries() and m.log_entries()[0]["auth_id"], SECRET_ID, "log readable")
        bad = os.path.join(xd, "bad.ini")
        with open(bad, "w") as f:
            f.write("[check_tencentcloud_ssl]\nbogus-option = 1\n")
        code, out, err = check(m, "--extra-opts=@" + bad, env=NOENV)
        t.like(out, r"^TENCENTCLOUD_SSL UNKNOWN - unknown option --bogus-option\n", "an unknown "
               "option in the file is a usage error")


@case
def home_unset(t):
    """HOME unset (env -i) with a profile: the passwd entry's home."""
    home = profile_home()
    with Mock("--account", "sample", "--now", NOW) as m:
        env = {"PATH": "/usr/bin:/bin"}
        pw_home = pwd.getpwuid(os.geteuid()).pw_dir
        p = subprocess.run(["env", "-i", PLUGIN, "--endpoint", m.url, "--now", str(NOW),
                            "--profile", "x-" + str(os.getpid())], capture_output=True,
                           text=True, env=env)
        ini_path = re.escape(pw_home + "/.tencentcloud/credentials")
        t.like(p.stdout, r"^TENCENTCLOUD_SSL UNKNOWN - (no credentials: --profile x-\d+, but "
               r"there is no " + ini_path + r" \(HOME is not set|profile x-\d+ not found in " +
               ini_path + ")",
               "env -i: the profile is looked for in the passwd entry's home")
        # run with a private mount namespace where a temp dir is that home (needs unshare)
        fake = tempdir("pwhome-")
        os.makedirs(os.path.join(fake, ".tencentcloud"))
        shutil.copy(os.path.join(home, ".tencentcloud", "credentials"),
                    os.path.join(fake, ".tencentcloud", "credentials"))
        os.chmod(os.path.join(fake, ".tencentcloud", "credentials"), 0o600)
        unshare = shutil.which("unshare")
        script = ('h=$(getent passwd "$(id -u)" | cut -d: -f6) && mount --bind "$1" "$h" && '
                  'shift && exec env -i "$@"')
        probe = subprocess.run([unshare or "false", "-rm", "sh", "-c", "true"], capture_output=True)
        if not unshare or probe.returncode != 0:
            t.skip("unshare -rm is not available here", 2)
        else:
            p = subprocess.run([unshare, "-rm", "sh", "-c", script, "sh", fake, PLUGIN,
                                "--endpoint", m.url, "--now", str(NOW), "-vvv"],
                               capture_output=True, text=True, env=env, timeout=30)
            outputs.append(("env -i profile", p.stdout + p.stderr))
            t.is_(p.returncode, 2, "env -i: the default profile in the passwd home lists",
                  p.stdout + p.stderr)
            t.like(p.stderr, r"credentials from profile default in /.*/\.tencentcloud/credentials",
                   "-v names the file")


@case
def no_secret_anywhere(t):
    """Every output of every run above: no secret of any route."""
    for what, text in outputs:
        no_secret(t, text, what)


if __name__ == "__main__":
    run_cases()
