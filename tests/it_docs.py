#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The docs cannot drift from the binary: --help, the man page and the options the plugin
accepts (its long_options table and getopt string, and the binary itself, probed option by
option) name the same options; --help and the usage line fit 80 columns; nothing the plugin
prints for --help or a usage error contains a '|' (Nagios would read what follows as
perfdata)."""

import functools
import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import PLUGIN, TOP_SRCDIR, case, run_cases, run_plugin, tempdir  # noqa: E402

SECTIONS = ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "THRESHOLDS", "EXIT STATUS",
            "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO")
ENV_WORDS = ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN",
             "TENCENTCLOUD_CREDENTIALS_FILE", "HOME", "https_proxy", "no_proxy")
USAGE_ERRORS = (["--bogus"], ["-w", "abc"], ["-t", "0"], ["--zz"])
MAN_PAGE = os.path.join(TOP_SRCDIR, "check_tencentcloud_ssl.1")
# read once, used by several cases
once = functools.lru_cache(maxsize=None)


def fmt(s):
    return " ".join(sorted(s)) or "none"


def read(*path):
    with open(os.path.join(TOP_SRCDIR, *path), encoding="utf-8") as f:
        return f.read()


def bare_env():
    """PATH and a fresh HOME, nothing else."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempdir()}


@once
def accepted_options():
    """What the plugin accepts: its long_options tables and getopt string."""
    src = "".join(open(p, encoding="utf-8").read()
                  for p in sorted(glob.glob(os.path.join(TOP_SRCDIR, "plugin", "*.c"))))
    accepted = set("--" + m for m in re.findall(
        r'\{\s*"([a-z][a-z0-9-]*)"\s*,\s*(?:no|required|optional)_argument', src))
    shorts = re.search(r'getopt_long\s*\([^,]+,[^,]+,\s*"([^"]*)"', src)
    accepted |= set("-" + c for c in re.findall(r"[A-Za-z]", shorts.group(1) if shorts else ""))
    return accepted


@once
def plugin_help():
    """(exit code, lines, stderr) of --help."""
    code, helptext, err = run_plugin(["--help"])
    return code, helptext.split("\n"), err


@once
def help_options():
    in_help = set()
    for ln in plugin_help()[1]:
        if re.match(r"^ {1,2}-", ln):  # an option heading: " -w, --warning=THRESHOLD"
            in_help |= set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", ln))
            in_help |= set(re.findall(r"(?<![\w-])-[A-Za-z](?![\w-])", ln))
    return in_help


@once
def man_options_section():
    """The text of the man page's OPTIONS section, or None."""
    m = re.search(r"^\.SH OPTIONS\n(.*?)^\.SH ", read("check_tencentcloud_ssl.1"), re.S | re.M)
    return m.group(1) if m else None


@once
def man_options():
    """The options named in the headings (.TP) of the man page's OPTIONS section."""
    in_man = set()
    if man_options_section() is not None:
        man_lines = man_options_section().split("\n")
        for prev, ln in zip(man_lines, man_lines[1:]):
            if prev.startswith(".TP"):
                plain = re.sub(r"\\f[BIRP]", "", ln).replace("\\-", "-")
                in_man |= set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", plain))
                in_man |= set(re.findall(r"(?<![\w-])-[A-Za-z](?![\w-])", plain))
    return in_man


def defaults_of(items):
    """{option: default} of (options, text) items: "(default: X" or "(default X"."""
    out = {}
    for opts, text in items:
        m = re.search(r"\(default:?\s+([^;,)\s]+)", text)
        if m and not m.group(1).endswith(":"):
            for o in opts:
                out[o] = m.group(1).rstrip(".")
    return out


def man_plain(x):
    return re.sub(r"\\\(lq|\\\(rq|\\f[BIRP]", "", x).replace("\\-", "-")


def icinga_arguments():
    """(option, body) of every argument of the Icinga 2 CheckCommand, and the command's text."""
    icinga = read("contrib", "icinga2-check_tencentcloud_ssl.conf")
    command = icinga.split("/* Below:")[0]
    return re.findall(r'^\t\t"(-[A-Za-z]|--[a-z][a-z0-9-]*)" = \{(.*?)^\t\t\}', command,
                      re.S | re.M), command


@case
def source_tables(t):
    """The plugin's option tables are found in its source."""
    t.ok(len(accepted_options()) > 50,
         "the plugin's option tables found (%d options)" % len(accepted_options()))


@case
def help_text(t):
    """--help exits 0, fits 80 columns, has no '|', and its option headings are found."""
    code, lines, err = plugin_help()
    t.is_(code, 0, "--help exits 0", err)
    wide = ["%d: %s" % (len(ln), ln) for ln in lines if len(ln) > 80]
    t.ok(not wide, "every --help line fits 80 columns (%d lines)" % len(lines), "\n".join(wide))
    t.ok(not any("|" in ln for ln in lines), "--help has no '|'",
         "\n".join(ln for ln in lines if "|" in ln))
    t.ok(len(help_options()) > 50, "--help option headings found (%d)" % len(help_options()))


@case
def man_page(t):
    """The man page: an OPTIONS section, every section, the environment, the examples."""
    man_src = read("check_tencentcloud_ssl.1")
    t.ok(man_options_section() is not None, "the man page has an OPTIONS section")
    for sec in SECTIONS:
        t.ok(re.search(r"^\.SH %s$" % sec, man_src, re.M) is not None,
             "man page section %s" % sec)
    for word in ENV_WORDS:
        env = re.search(r"^\.SH ENVIRONMENT\n(.*?)^\.SH ", man_src, re.S | re.M)
        t.ok(env is not None and word in env.group(1), "man page ENVIRONMENT names %s" % word)
    t.ok(re.search(r"define command", man_src) and
         re.search(r"CheckCommand|check_command", man_src) and "$USER3$" in man_src,
         "man page EXAMPLES for Nagios ($USER3$) and Icinga 2")


@case
def three_sets_agree(t):
    """--help, the man page and the plugin's tables name the same options."""
    in_help, in_man, accepted = help_options(), man_options(), accepted_options()
    t.is_(fmt(in_help - in_man), "none", "every --help option is in the man page")
    t.is_(fmt(in_man - in_help), "none", "every man page option is in --help")
    t.is_(fmt(accepted - in_help), "none", "every option the plugin accepts is documented")
    t.is_(fmt(in_help - accepted), "none", "every documented option is in the plugin's tables")


@case
def defaults_agree(t):
    """The defaults agree: "(default: X" in --help, "(default X" in the man page."""
    help_items, cur = [], None
    for ln in plugin_help()[1]:
        if re.match(r"^ {1,2}-", ln):
            cur = [re.findall(r"--[a-z][a-z0-9-]*", ln), ""]
            help_items.append(cur)
        elif cur and ln.startswith("    "):
            cur[1] += " " + ln.strip()
        else:
            cur = None
    man_items = []
    opts_sec = man_options_section()
    for item in (opts_sec.split(".TP\n")[1:] if opts_sec is not None else []):
        head, _, body = item.partition("\n")
        man_items.append((re.findall(r"--[a-z][a-z0-9-]*", man_plain(head)),
                          man_plain(body).replace("\n", " ")))
    hdef, mdef = defaults_of(help_items), defaults_of(man_items)
    t.ok(len(hdef) > 15, "defaults found in --help (%d)" % len(hdef))
    t.is_(sorted("%s %s/%s" % (o, hdef[o], mdef.get(o)) for o in hdef if mdef.get(o) != hdef[o]),
          [], "the man page gives each default --help gives, the same")


@case
def icinga_command(t):
    """The Icinga 2 CheckCommand: an argument for every option (secrets only through env)."""
    in_help = help_options()
    args, command = icinga_arguments()
    arg_names = set(a for a, _ in args)
    no_arg = {"-h", "--help", "-V", "--version", "--secret-key"}
    pairs = {"-v": "--verbose", "-w": "--warning", "-c": "--critical", "-t": "--timeout"}
    have = arg_names | set(pairs[a] for a in arg_names if a in pairs)
    t.is_(fmt(in_help - no_arg - have - set(pairs)), "none",
          "the CheckCommand has an argument for every option")
    t.is_(fmt(arg_names - in_help), "none", "every CheckCommand argument is a plugin option")
    t.is_(fmt(set(a for a, body in args if "description = " not in body)), "none",
          "every CheckCommand argument has a description")
    t.ok("--secret-key" not in arg_names and re.search(
        r'env = \{[^}]*TENCENTCLOUD_SECRET_ID[^}]*TENCENTCLOUD_SECRET_KEY', command, re.S),
         "the CheckCommand passes secrets only through env")
    flags = [a for a, body in args if "set_if" in body]
    t.ok(len(flags) >= 10 and all("value" not in body for a, body in args if a in flags),
         "flags are set_if (%d)" % len(flags))
    t.is_(fmt(set(a for a, body in args if "repeat_key = true" in body)),
          "--domain --exclude-domain --exclude-id --status --tag",
          "the repeatable options have repeat_key")


@case
def nagios_sample(t):
    """The Nagios sample uses only plugin options, and the secrets from resource.cfg."""
    nagios = read("contrib", "nagios-check_tencentcloud_ssl.cfg")
    used = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", " ".join(
        ln for ln in nagios.split("\n") if "command_line" in ln)))
    t.is_(fmt(used - help_options()), "none", "the Nagios sample uses only plugin options")
    t.ok("$USER3$" in nagios and "resource.cfg" in nagios, "the Nagios sample takes $USER3$ from "
         "resource.cfg")


@case
def binary_accepts(t):
    """The binary itself knows each documented option (probed, no request made)."""
    env = bare_env()
    unknown = []
    for opt in sorted(help_options()):
        if opt in ("-h", "--help", "-V", "--version"):
            continue
        # A last unknown option makes getopt stop there, before anything is read or sent.
        p = subprocess.run([PLUGIN, opt + ("=" if opt.startswith("--") else ""), "x",
                            "--zz-not-an-option"], capture_output=True, text=True, env=env,
                           timeout=20)
        first = p.stdout.split("\n")[0]
        if re.search(r"(unknown|ambiguous) option %s\b" % re.escape(opt), first) or \
                (opt.startswith("-") and not opt.startswith("--") and
                 "unknown option " + opt in first):
            unknown.append(opt)
    t.is_(fmt(unknown), "none", "the binary accepts every documented option")
    for opt in ("--help", "--version", "-h", "-V"):
        p = subprocess.run([PLUGIN, opt], capture_output=True, text=True, env=env, timeout=20)
        t.ok(p.returncode == 0 and p.stdout, "%s exits 0 and prints" % opt)


@case
def usage_errors(t):
    """Usage errors: the reason, the usage line, no '|', 80 columns."""
    for args in USAGE_ERRORS:
        code, out, err = run_plugin(args)
        ls = out.rstrip("\n").split("\n")
        t.ok(code == 3 and ls[0].startswith("TENCENTCLOUD_SSL UNKNOWN - ") and
             len(ls) > 1 and ls[1].startswith("Usage: "),
             "usage error %s: reason and usage" % args, out)
        t.ok("|" not in out, "usage error %s: no '|' on stdout" % args, out)
        t.ok(all(len(x) <= 80 for x in ls[1:]),
             "usage error %s: the usage fits 80 columns" % args, out)


@case
def man_renders(t):
    """The man page renders without warnings at 80 columns."""
    if not shutil.which("man"):
        t.skip("man is not installed: the page's rendering is not checked")
        return
    p = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", MAN_PAGE],
                       capture_output=True, text=True,
                       env=dict(bare_env(), MANWIDTH="80", LC_ALL="C.UTF-8"))
    t.ok(p.returncode == 0 and not p.stderr.strip(), "the man page renders without warnings",
         p.stderr)


if __name__ == "__main__":
    run_cases()
