#!/usr/bin/env python3
"""Pagoda test runner (`make test`, `make unit`).

    python3 tools/harness.py [--unit-dir build/host/tests] [tests/boot/*.test]
                             [--jobs N] [-k SUBSTRING] [--arch A] [--firmware F]

1. Unit tests: every executable in --unit-dir runs with a timeout; its TAP
   lines become results named "<binary>: <desc>".  A crash or a non-zero exit
   with no `not ok` line is one more failure.  Output: build/test-logs/unit/.
2. Boot tests: each tests/boot/*.test file is one scenario (format in
   tests/boot/README.md), run once per arch/firmware of its matrix, each run in
   its own QEMU (TCG, -no-reboot, serial on a pipe, QMP on a unix socket).
   Every checking step is one result named "<file> [<arch>/<fw>]: <step>".
   Serial logs: build/test-logs/<test>-<arch>-<fw>.log.

Output is TAP-like: `ok N - desc`, or `not ok N - desc` followed by `# ...`
diagnostic lines; then `1..N`; the last line is exactly `N passed, N failed`.
Exit status is 1 if anything failed.
"""
import argparse
import codecs
import concurrent.futures
import copy
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
from qmp import QMP, QMPClosed, QMPError  # noqa: E402

LOG_DIR = os.path.join("build", "test-logs")
IMAGE_CACHE = os.path.join("build", "test-images")
PROMPT = "pagoda> "
# Kernel output starts at the banner kmain prints; before it is firmware and
# GRUB text (OVMF/AAVMF escape codes, "error: no suitable video mode").
BANNER_RE = re.compile(r"^Pagoda (x86_64|arm64) ", re.MULTILINE)
# pagoda.run= echoes each boot command as "pagoda> CMD": the interactive
# prompt is the one that stays last in the output for this long.
PROMPT_QUIET = 1.0
LIVE_QUIET = 0.3      # after live output: the prompt the kernel redraws must stay this long
DEFAULT_TIMEOUT = 120
UNIT_TIMEOUT = 120


# QEMUs running now, killed if the harness itself is interrupted.
LIVE = set()
LIVE_LOCK = threading.Lock()


def kill_live_qemus(signum=None, frame=None):
    """Kill every QEMU this harness started that is still running; when
    called as a signal handler, exit (status 128 + signal)."""
    with LIVE_LOCK:
        for p in list(LIVE):
            if p.poll() is None:
                p.kill()
    if signum is not None:
        print("harness: interrupted (signal %d); QEMUs killed" % signum, file=sys.stderr)
        os._exit(128 + signum)


class Result:
    """One TAP result: ok flag, description, diagnostic lines."""

    def __init__(self, ok, desc, diag=()):
        self.ok, self.desc, self.diag = ok, desc, list(diag)


# ====================================================================== unit
TAP_LINE = re.compile(r"^(not )?ok\b\s*(\d+)?\s*(?:-\s*)?(.*)$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)")


def parse_tap(name, text):
    """Turn a TAP stream into Results named "<name>: <desc>"; `#` lines after
    a `not ok` become its diagnostics.  Returns (results, planned or None)."""
    results, planned, last = [], None, None
    for line in text.splitlines():
        m = TAP_LINE.match(line)
        if m:
            desc = m.group(3).strip() or "test %s" % (m.group(2) or len(results) + 1)
            last = Result(m.group(1) is None, "%s: %s" % (name, desc))
            results.append(last)
            continue
        m = TAP_PLAN.match(line)
        if m:
            planned = int(m.group(1))
        elif line.startswith("#") and last is not None and not last.ok:
            last.diag.append(line.lstrip("# ").rstrip())
    return results, planned


def run_unit_binary(path, timeout):
    """Run one unit-test binary; return its Results (plus one failure for a
    crash, a timeout, a short plan or a non-zero exit nothing explains)."""
    name = os.path.basename(path)
    logdir = os.path.join(LOG_DIR, "unit")
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, name + ".log")
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    try:
        p = subprocess.run([os.path.abspath(path)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                           timeout=timeout, env=env)
        out, status = p.stdout.decode("utf-8", "replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, status = (e.stdout or b"").decode("utf-8", "replace"), None
    with open(log, "w") as f:
        f.write(out)
    results, planned = parse_tap(name, out)
    tail = ["  " + l for l in out.splitlines()[-15:]] + ["log: %s" % log]
    if status is None:
        results.append(Result(False, "%s: finished" % name,
                              ["timed out after %d s" % timeout] + tail))
    elif status != 0 and all(r.ok for r in results):
        what = "killed by signal %d" % -status if status < 0 else "exit status %d" % status
        results.append(Result(False, "%s: exit status" % name, [what] + tail))
    elif not results:
        results.append(Result(False, "%s: produced TAP results" % name,
                              ["no `ok`/`not ok` lines"] + tail))
    elif planned is not None and planned != len(results) and status == 0:
        results.append(Result(False, "%s: plan" % name,
                              ["planned %d tests, saw %d" % (planned, len(results))] + tail))
    return results


def unit_results(unit_dir, kfilter, timeout):
    """Results of every executable in unit_dir whose name contains kfilter."""
    if not os.path.isdir(unit_dir):
        return [Result(False, "unit tests: %s exists" % unit_dir, ["run `make unit-build`"])]
    out = []
    for n in sorted(os.listdir(unit_dir)):
        p = os.path.join(unit_dir, n)
        if os.path.isfile(p) and os.access(p, os.X_OK) and (not kfilter or kfilter in n):
            out += run_unit_binary(p, timeout)
    return out


# ================================================================ test files
HEADER_KEYS = {"name", "arch", "firmware", "mem", "machine", "smp", "dimm", "cmdline", "timeout"}
STEP_KEYS = {"send", "expect", "expect-not", "capture", "capture-all", "check",
             "qmp", "qmp-fail", "qmp-expect-event", "expect-exit", "sleep"}
SILENT_STEPS = {"send", "sleep"}          # steps that are not results themselves
LINE_RE = re.compile(r"^([a-z][a-z-]*)(?:@([A-Za-z0-9_/]+))?\s*:\s?(.*)$")
CAPTURE_RE = re.compile(r"^([A-Za-z_]\w*)(?::(int|hex|str))?\s*=\s*(.*)$")
RESERVED_NAMES = {"reply", "event", "abs", "min", "max", "int", "sum", "len", "enumerate", "range", "all", "any", "zip"}
REPEAT_RE = re.compile(r"^(\d+)(?:\s+([A-Za-z_]\w*))?$")   # `repeat: N [NAME]`
REPEAT_MAX = 100000


class ParseError(Exception):
    pass


class Step:
    """One step line: kind, argument text, line number, optional guard."""

    def __init__(self, kind, arg, lineno, guard, text):
        self.kind, self.arg, self.lineno, self.guard, self.text = kind, arg, lineno, guard, text
        self.compiled = None      # kind-specific parsed form
        self.bindings = {}        # loop variables of enclosing repeat blocks: {name: value}

    def where(self):
        """`LINE` or, inside repeat blocks, `LINE i=3 j=0` (for result names)."""
        return "%d%s" % (self.lineno, "".join(" %s=%d" % kv for kv in self.bindings.items()))

    def applies(self, arch, fw):
        """True unless a guard `@arch` or `@arch/fw` excludes this run."""
        if not self.guard:
            return True
        parts = self.guard.split("/")
        return parts[0] == arch and (len(parts) == 1 or parts[1] == fw)


class TestFile:
    """A parsed tests/boot/*.test file."""

    def __init__(self, path):
        self.path = path
        self.file = os.path.basename(path)
        self.stem = os.path.splitext(self.file)[0]
        self.name = self.stem
        self.arches = list(qemu.ARCHES)
        self.firmwares = None           # None: every firmware of the arch
        self.mem = "1G"
        self.machine = ""               # extra -M properties, e.g. "gic-version=3"
        self.smp = 1                    # CPUs (-smp N)
        self.dimms = []                 # sizes of pc-dimms plugged before boot
        self.cmdline = ""
        self.timeout = DEFAULT_TIMEOUT
        self.steps = []

    def matrix(self):
        """[(arch, firmware)] this test runs on."""
        out = []
        for a in self.arches:
            for fw in qemu.FIRMWARES[a]:
                if self.firmwares is None or fw in self.firmwares or a != "x86_64":
                    out.append((a, fw))
        return out


def _compile_regex(arg, lineno):
    try:
        return re.compile(arg, re.MULTILINE)
    except re.error as e:
        raise ParseError("line %d: bad regex %r: %s" % (lineno, arg, e))


def _compile_step(st):
    """Check and pre-parse one step's argument; raise ParseError if bad."""
    k, a, n = st.kind, st.arg, st.lineno
    if k in ("expect", "expect-not"):
        st.compiled = _compile_regex(a, n)
    elif k in ("capture", "capture-all"):
        m = CAPTURE_RE.match(a)
        if not m:
            raise ParseError("line %d: want `%s: NAME[:int|hex|str] = REGEX`" % (n, k))
        if m.group(1) in RESERVED_NAMES:
            raise ParseError("line %d: %r is a reserved name" % (n, m.group(1)))
        st.compiled = (m.group(1), m.group(2) or "int", _compile_regex(m.group(3), n))
    elif k == "check":
        try:
            st.compiled = compile(a, "%s:%d" % ("check", n), "eval")
        except SyntaxError as e:
            raise ParseError("line %d: bad expression %r: %s" % (n, a, e.msg))
    elif k in ("qmp", "qmp-fail", "qmp-expect-event"):
        parts = a.split(None, 1)
        if not parts:
            raise ParseError("line %d: %s needs a command or event name" % (n, k))
        try:
            args = json.loads(parts[1]) if len(parts) > 1 else None
        except ValueError as e:
            raise ParseError("line %d: bad JSON: %s" % (n, e))
        if args is not None and not isinstance(args, dict):
            raise ParseError("line %d: JSON arguments must be an object" % n)
        st.compiled = (parts[0], args)
    elif k == "expect-exit":
        parts = a.split()
        if not parts or not re.fullmatch(r"-?\d+", parts[0]) or len(parts) > 2:
            raise ParseError("line %d: want `expect-exit: STATUS [SHUTDOWN-REASON]`" % n)
        st.compiled = (int(parts[0]), parts[1] if len(parts) > 1 else None)
    elif k == "sleep":
        try:
            st.compiled = float(a)
        except ValueError:
            raise ParseError("line %d: sleep wants seconds" % n)


def _set_header(t, key, val, lineno):
    """Apply one header line to t."""
    if key == "name":
        t.name = val
    elif key == "arch":
        t.arches = val.split()
        for a in t.arches:
            if a not in qemu.ARCHES:
                raise ParseError("line %d: unknown arch %r" % (lineno, a))
    elif key == "firmware":
        t.firmwares = val.split()
        for fw in t.firmwares:
            if fw not in ("bios", "uefi"):
                raise ParseError("line %d: unknown firmware %r" % (lineno, fw))
    elif key == "mem":
        if not re.fullmatch(r"\d+[KMGT]?", val):
            raise ParseError("line %d: bad mem %r" % (lineno, val))
        t.mem = val
    elif key == "machine":
        if not re.fullmatch(r"[A-Za-z0-9_.-]+=[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+=[A-Za-z0-9_.-]+)*", val):
            raise ParseError("line %d: bad machine %r (want PROP=VALUE[,PROP=VALUE...])"
                             % (lineno, val))
        t.machine = val
    elif key == "smp":
        if not re.fullmatch(r"[1-8]", val):
            raise ParseError("line %d: bad smp %r (want 1..8)" % (lineno, val))
        t.smp = int(val)
    elif key == "dimm":
        t.dimms = val.split()
        if not t.dimms or not all(re.fullmatch(r"\d+[KMG]", d) for d in t.dimms):
            raise ParseError("line %d: bad dimm %r (want SIZE [SIZE...], e.g. 128M)"
                             % (lineno, val))
    elif key == "cmdline":
        t.cmdline = val
    elif key == "timeout":
        try:
            t.timeout = float(val)
        except ValueError:
            raise ParseError("line %d: bad timeout %r" % (lineno, val))


def _repeat_open(stack, val, guard, n):
    """A `repeat: N [NAME]` line: push a new block onto stack."""
    m = REPEAT_RE.match(val)
    if guard or not m:
        raise ParseError("line %d: want `repeat: N [NAME]` (no @guard)" % n)
    count, name = int(m.group(1)), m.group(2) or "i"
    if not 1 <= count <= REPEAT_MAX:
        raise ParseError("line %d: repeat count %d not in 1..%d" % (n, count, REPEAT_MAX))
    if name in RESERVED_NAMES or any(name == b[1] for b in stack):
        raise ParseError("line %d: loop variable %r is reserved or already in use" % (n, name))
    stack.append((count, name, n, []))


def _repeat_close(stack, n):
    """An `end` line: the innermost block's steps, unrolled, with its
    variable bound to 0 .. N-1 in each copy."""
    if not stack:
        raise ParseError("line %d: end without repeat" % n)
    count, name, start, body = stack.pop()
    if not body:
        raise ParseError("line %d: repeat block of line %d is empty" % (n, start))
    out = []
    for k in range(count):
        for st in body:
            c = copy.copy(st)
            c.bindings = dict({name: k}, **st.bindings)     # outer variables first
            out.append(c)
    return out


def parse_test_file(path):
    """Parse a .test file into a TestFile; raise ParseError on any bad line.
    repeat blocks are unrolled here: t.steps is the flat list to run."""
    t = TestFile(path)
    stack = []                  # open repeat blocks: (count, name, lineno, steps)
    with open(path) as f:
        lines = f.read().splitlines()
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("end", "end:"):
            steps = _repeat_close(stack, n)
            (stack[-1][3] if stack else t.steps).extend(steps)
            continue
        m = LINE_RE.match(line)
        if not m:
            raise ParseError("line %d: not `key: value`: %r" % (n, line))
        key, guard, val = m.group(1), m.group(2), m.group(3).strip()
        if key in HEADER_KEYS:
            if guard:
                raise ParseError("line %d: header %s takes no @guard" % (n, key))
            _set_header(t, key, val, n)
        elif key == "repeat":
            _repeat_open(stack, val, guard, n)
        elif key in STEP_KEYS:
            st = Step(key, val, n, guard, line)
            _compile_step(st)
            (stack[-1][3] if stack else t.steps).append(st)
        else:
            raise ParseError("line %d: unknown key %r" % (n, key))
    if stack:
        raise ParseError("line %d: repeat without end" % stack[-1][2])
    if not any(s.kind not in SILENT_STEPS for s in t.steps):
        raise ParseError("no checking steps")
    return t


# =================================================================== console
ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_])")
CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_serial(text):
    """Drop terminal escape sequences, CRs and other control bytes."""
    return CTRL_RE.sub("", ANSI_RE.sub("", text))


class Console:
    """The guest's serial port: a thread copies QEMU's stdout to the log and
    to `text` (cleaned); waiters are woken on every chunk and at EOF."""

    def __init__(self, proc, logpath):
        self.proc = proc
        self.text = ""
        self.eof = False
        self.cond = threading.Condition()
        self._log = open(logpath, "wb")
        self._dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self.last_output = time.monotonic()
        self._thread = threading.Thread(target=self._reader, daemon=True)
        self._thread.start()

    def _reader(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if data:
                self._log.write(data)
                self._log.flush()
            self._append(self._dec.decode(data, final=not data))
            if not data:
                break
        with self.cond:
            self.eof = True
            self.cond.notify_all()
        self._log.close()

    def _append(self, s):
        """Clean complete text; hold back a possibly unfinished escape."""
        s = self._pending + s
        self._pending = ""
        i = s.rfind("\x1b")
        if i >= 0 and len(s) - i < 40 and not ANSI_RE.match(s, i):
            s, self._pending = s[:i], s[i:]
        if s:
            with self.cond:
                self.text += clean_serial(s)
                self.last_output = time.monotonic()
                self.cond.notify_all()

    def wait_for(self, regex, start, deadline):
        """Wait until regex matches text[start:]; return the match (positions
        relative to text), or None at EOF or deadline."""
        with self.cond:
            while True:
                m = regex.search(self.text, start)
                if m or self.eof:
                    return m
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 1.0))

    def wait_idle_prompt(self, deadline, quiet):
        """Wait until the text ends with a prompt at the start of a line and
        nothing more has come for quiet seconds; return the prompt's offset,
        or None at EOF or deadline."""
        with self.cond:
            while True:
                idle = time.monotonic() - self.last_output
                at = len(self.text) - len(PROMPT)
                if self.text.endswith(PROMPT) and (at == 0 or self.text[at - 1] == "\n") \
                        and idle >= quiet:
                    return at
                if self.eof:
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(min(left, max(0.05, quiet - idle)))

    def send(self, line):
        """Type line + CR into the serial port."""
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()

    def tail(self, start=0, n=20):
        """Last n lines of text[start:], indented, for diagnostics."""
        with self.cond:
            lines = self.text[start:].splitlines()
        return ["  | " + l for l in lines[-n:]] or ["  (no output)"]


PROMPT_RE = re.compile(r"(?:^|\n)" + re.escape(PROMPT))


class Fatal(Exception):
    """The run cannot go on (timeout, QEMU gone); remaining steps fail."""


# ================================================================== scenario
class Run:
    """One boot of one test on one arch/firmware: QEMU, console, QMP, and
    the state steps share (current output segment, captures)."""

    def __init__(self, test, arch, fw, iso, verbose):
        self.t, self.arch, self.fw, self.iso, self.verbose = test, arch, fw, iso, verbose
        self.tag = "%s [%s/%s]" % (test.file, arch, fw)
        base = "%s-%s-%s" % (test.stem, arch, fw)
        self.log = os.path.join(LOG_DIR, base + ".log")
        self.qemu_log = os.path.join(LOG_DIR, base + ".qemu.log")
        self.vars = {}
        self.seg_start, self.seg_text, self.seg_kind = 0, None, "boot"
        self.seg_cmd = None
        self.proc = self.qmp = None
        self.console = None
        self.deadline = None
        self.prompt_end = None    # end of the last prompt seen; None: QEMU exited

    # ---------------------------------------------------------- lifecycle
    def start(self):
        """Launch QEMU (serial on pipes, QMP socket) and connect QMP."""
        os.makedirs(LOG_DIR, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="pagoda-")
        sock = os.path.join(self.tmp, "qmp.sock")
        extra = ["-monitor", "none"]
        for i, size in enumerate(self.t.dimms):   # cold-plugged: ids cm0/cd0, cm1/cd1 ...
            extra += ["-object", "memory-backend-ram,id=cm%d,size=%s" % (i, size),
                      "-device", "pc-dimm,id=cd%d,memdev=cm%d" % (i, i)]
        cmd = qemu.build_command(self.arch, self.fw, self.iso, self.tmp, mem=self.t.mem,
                                 machine_opts=self.t.machine, smp=self.t.smp,
                                 serial="stdio", qmp=sock,
                                 extra=extra)
        self.qerr = open(self.qemu_log, "w")
        self.qerr.write("$ %s\n" % qemu.format_command(cmd))
        self.qerr.flush()
        self.deadline = time.monotonic() + self.t.timeout
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.qerr)
        with LIVE_LOCK:
            LIVE.add(self.proc)
        self.console = Console(self.proc, self.log)
        try:
            self.qmp = QMP(sock, connect_timeout=15)
        except (QMPClosed, OSError) as e:
            raise Fatal("QMP: %s" % e)

    def stop(self):
        """Make sure QEMU is gone; close everything; remove the temp dir."""
        if self.proc and self.proc.poll() is None:
            try:
                if self.qmp:
                    self.qmp.execute("quit", timeout=3)
            except (QMPClosed, QMPError, OSError):
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.qmp:
            self.qmp.close()
        with LIVE_LOCK:
            LIVE.discard(self.proc)
        if self.proc:
            for f in (self.proc.stdin,):
                try:
                    f.close()
                except OSError:
                    pass
            self.console._thread.join(5)
            self.proc.stdout.close()
        self.qerr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def diag_tail(self):
        """Diagnostics common to failures: serial tail and log paths."""
        qerr = ""
        try:
            with open(self.qemu_log) as f:
                qerr = "".join(f.readlines()[1:]).strip()
        except OSError:
            pass
        out = ["serial (last lines):"] + self.console.tail() if self.console else []
        if qerr:
            out += ["qemu stderr:"] + ["  | " + l for l in qerr.splitlines()[-10:]]
        return out + ["log: %s" % self.log]

    # ---------------------------------------------------------- segments
    def _end_segment(self):
        """Wait for the current boot/command segment to end (next prompt or
        QEMU's exit) and set seg_text. Raise Fatal on timeout."""
        if self.seg_text is not None or self.seg_kind == "live":
            return
        if self.seg_kind == "boot":
            at = self.console.wait_idle_prompt(self.deadline, PROMPT_QUIET)
            b = BANNER_RE.search(self.console.text)
            self.seg_start = b.start() if b else 0
        else:
            m = self.console.wait_for(PROMPT_RE, self.seg_start, self.deadline)
            at = None if m is None else m.end() - len(PROMPT)
        with self.console.cond:
            if at is not None:
                end, self.prompt_end = at, at + len(PROMPT)
            elif self.console.eof:
                end, self.prompt_end = len(self.console.text), None
            else:
                raise Fatal("timeout (%g s) waiting for the prompt `%s`" % (self.t.timeout, PROMPT))
            text = self.console.text[self.seg_start:end]
        if self.seg_kind == "cmd":
            first, _, rest = text.partition("\n")
            if first.strip().endswith(self.seg_cmd.strip()):
                text = rest
        self.seg_text = text

    def segment(self):
        """Text of the current segment (live segments: what has arrived)."""
        if self.seg_kind == "live":
            with self.console.cond:
                return self.console.text[self.seg_start:]
        self._end_segment()
        return self.seg_text

    def _new_segment(self, kind, cmd=None):
        with self.console.cond:
            self.seg_start = len(self.console.text)
        self.seg_kind, self.seg_text, self.seg_cmd = kind, None, cmd

    def seg_diag(self, text):
        """The text a step looked at (its last 25 lines), saying whose it is."""
        lines = text.splitlines()
        whose = {"boot": "boot output", "live": "output since the last QMP step"}.get(
            self.seg_kind, "output of `%s`" % self.seg_cmd)
        return [whose + " was:"] + (["  | " + l for l in lines[-25:]] or ["  (empty)"])

    # ---------------------------------------------------------- steps
    def do_send(self, st):
        """Wait for the prompt, type the line; its output is the new segment."""
        self._end_segment()
        if self.seg_kind == "live":
            # Hotplug lines arrive on their own and the kernel redraws the
            # prompt after them: type only once that prompt is the last thing
            # printed, else this command's output would start at the redraw.
            at = self.console.wait_idle_prompt(self.deadline, LIVE_QUIET)
            self.prompt_end = None if at is None else at + len(PROMPT)
        if self.prompt_end is None:
            raise Fatal("cannot send %r: QEMU exited (status %s) before a prompt"
                        % (st.arg, self.proc.poll()))
        line = st.arg
        if "{" in line:                       # {name} / {name:#x}: a captured value
            try:
                line = line.format_map(self.vars)
            except (KeyError, ValueError, IndexError) as e:
                raise Fatal("cannot fill in %r: %s (capture failed?)" % (st.arg, e))
        self._new_segment("cmd", line)        # before sending: replies can be fast
        try:
            self.console.send(line)
        except OSError as e:
            raise Fatal("cannot send %r: %s" % (line, e))

    def do_expect(self, st):
        if self.seg_kind == "live":
            m = self.console.wait_for(st.compiled, self.seg_start, self.deadline)
            if m:
                return True, []
            return False, ["no match for /%s/ in output since the last step" % st.arg] + \
                self.seg_diag(self.segment())
        text = self.segment()
        if st.compiled.search(text):
            return True, []
        return False, ["no match for /%s/" % st.arg] + self.seg_diag(text)

    def do_expect_not(self, st):
        text = self.segment()
        m = st.compiled.search(text)
        if not m:
            return True, []
        line = text[text.rfind("\n", 0, m.start()) + 1:].split("\n", 1)[0]
        return False, ["unexpected match for /%s/ in line:" % st.arg, "  | " + line]

    @staticmethod
    def _convert(s, how):
        if s is None:
            return None
        if how == "str":
            return s
        if how == "hex":
            return int(s, 16)
        try:
            return int(s, 0)
        except ValueError:
            try:
                return int(s, 10)
            except ValueError:
                return s

    def _groups(self, m, how):
        g = m.groups() or (m.group(0),)
        vals = tuple(self._convert(x, how) for x in g)
        return vals[0] if len(vals) == 1 else vals

    def do_capture(self, st):
        name, how, rx = st.compiled
        text = self.segment()
        if st.kind == "capture-all":
            try:
                self.vars[name] = [self._groups(m, how) for m in rx.finditer(text)]
            except ValueError as e:
                return False, ["cannot convert: %s" % e]
            return True, ["%s = %r" % (name, self.vars[name])]
        m = rx.search(text)
        if not m:
            self.vars.pop(name, None)
            return False, ["no match for /%s/" % rx.pattern] + self.seg_diag(text)
        try:
            self.vars[name] = self._groups(m, how)
        except ValueError as e:
            return False, ["cannot convert %r: %s" % (m.group(0), e)]
        return True, []

    def do_check(self, st):
        names = {"abs": abs, "min": min, "max": max, "int": int, "sum": sum, "len": len,
                 "enumerate": enumerate, "range": range, "all": all, "any": any, "zip": zip}
        g = {"__builtins__": names}
        g.update(self.vars)
        try:
            ok = bool(eval(st.compiled, g))
            err = None
        except NameError as e:
            ok, err = False, "%s (a capture before it failed or is misspelt)" % e
        except Exception as e:  # any error in the test's own expression
            ok, err = False, "%s: %s" % (type(e).__name__, e)
        used = [n for n in st.compiled.co_names if n in self.vars]
        diag = ["%s = %r" % (n, self.vars[n]) for n in used]
        return ok, ([err] if err else []) + diag

    def _fill(self, obj, what):
        """obj with `{name}` filled in in every JSON string (as in send:)."""
        if isinstance(obj, str) and ("{" in obj or "}" in obj):
            try:
                return obj.format_map(self.vars)
            except (KeyError, ValueError, IndexError) as e:
                raise Fatal("cannot fill in %r: %s (capture failed?)" % (what, e))
        if isinstance(obj, dict):
            return {k: self._fill(v, what) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._fill(v, what) for v in obj]
        return obj

    def do_qmp(self, st):
        cmd, args = st.compiled
        args = self._fill(args, st.arg)
        self._new_segment("live")
        try:
            self.vars["reply"] = self.qmp.execute(cmd, args)
        except QMPError as e:
            self.vars["reply"] = None
            if st.kind == "qmp-fail":
                return True, []
            return False, ["QMP error: %s: %s" % (e.cls, e.desc)]
        except QMPClosed as e:
            raise Fatal("QMP: %s" % e)
        if st.kind == "qmp-fail":
            return False, ["command succeeded: %s" % json.dumps(self.vars["reply"])]
        return True, []

    def do_qmp_event(self, st):
        name, match = st.compiled
        match = self._fill(match, st.arg)
        try:
            self.vars["event"] = self.qmp.wait_event(
                name, max(0.0, self.deadline - time.monotonic()), match)
            return True, []
        except QMPClosed as e:
            seen = [ev.get("event") for ev in self.qmp.all_events]
            return False, [str(e), "events seen: %s" % (", ".join(seen) or "none")]

    def do_expect_exit(self, st):
        want_status, want_reason = st.compiled
        try:
            status = self.proc.wait(max(0.1, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise Fatal("timeout (%g s) waiting for QEMU to exit" % self.t.timeout)
        self.qmp.drain()
        reasons = [ev.get("data", {}).get("reason") for ev in self.qmp.all_events
                   if ev.get("event") == "SHUTDOWN"]
        reason = reasons[-1] if reasons else None
        diag = ["QEMU exit status %d, SHUTDOWN reason %s" % (status, reason or "(no SHUTDOWN event)")]
        ok = status == want_status and (want_reason is None or reason == want_reason)
        return ok, diag if not ok else []

    def run_step(self, st):
        """Run one step; return (ok, diag) or None for silent steps."""
        self.vars.update(st.bindings)
        if st.kind == "send":
            return self.do_send(st)
        if st.kind == "sleep":
            time.sleep(st.compiled)
            return None
        if st.kind == "expect":
            return self.do_expect(st)
        if st.kind == "expect-not":
            return self.do_expect_not(st)
        if st.kind in ("capture", "capture-all"):
            return self.do_capture(st)
        if st.kind == "check":
            return self.do_check(st)
        if st.kind in ("qmp", "qmp-fail"):
            return self.do_qmp(st)
        if st.kind == "qmp-expect-event":
            return self.do_qmp_event(st)
        if st.kind == "expect-exit":
            return self.do_expect_exit(st)
        raise AssertionError(st.kind)


def run_scenario(test, arch, fw, iso, verbose=False):
    """Boot test on arch/fw and run its steps; return the Results."""
    steps = [s for s in test.steps if s.applies(arch, fw)]
    r = Run(test, arch, fw, iso, verbose)
    results = []

    def desc(st):
        return "%s:%s [%s/%s]: %s" % (test.file, st.where(), arch, fw, st.text)

    if not os.path.exists(iso):
        return [Result(False, desc(s), ["image %s missing (image build failed?)" % iso])
                for s in steps if s.kind not in SILENT_STEPS]
    fatal, pending = None, None    # pending: diagnostics owed to the next result
    try:
        r.start()
    except (Fatal, OSError) as e:
        fatal = str(e)
        pending = [fatal] + r.diag_tail()
    try:
        for st in steps:
            if fatal:
                if st.kind not in SILENT_STEPS:
                    results.append(Result(False, desc(st), pending or ["not run: " + fatal]))
                    pending = None
                continue
            if verbose:
                print("harness: %s: %s" % (r.tag, st.text), file=sys.stderr)
            try:
                res = r.run_step(st)
            except Fatal as e:
                fatal = str(e)
                pending = [fatal] + r.diag_tail()
                if st.kind not in SILENT_STEPS:
                    results.append(Result(False, desc(st), pending))
                    pending = None
                continue
            if res is not None:
                ok, diag = res
                if not ok:
                    diag = diag + ["log: %s" % r.log]
                results.append(Result(ok, desc(st), diag))
    finally:
        if r.proc is not None:
            r.stop()
    return results


# ==================================================================== images
def image_for(arch, cmdline, build):
    """The ISO to boot for arch with kernel parameters cmdline: the plain
    build/<arch>/pagoda.iso, or a cached copy with cmdline in its grub.cfg
    (build/test-images/<arch>-<hash>.iso, made by `make test-image`, rebuilt
    when the ELF or the grub.cfg template is newer).  Returns (path, error
    or None)."""
    base = os.path.join("build", arch, "pagoda.iso")
    if not cmdline:
        return base, None
    h = hashlib.sha1(cmdline.encode()).hexdigest()[:12]
    path = os.path.join(IMAGE_CACHE, "%s-%s.iso" % (arch, h))
    inputs = [os.path.join("build", arch, "pagoda.elf"),
              os.path.join("boot", "grub-%s.cfg.in" % arch)]
    fresh = os.path.exists(path) and all(
        os.path.getmtime(path) >= os.path.getmtime(i) for i in inputs if os.path.exists(i))
    if fresh or not build:
        return path, None
    os.makedirs(IMAGE_CACHE, exist_ok=True)
    cmd = ["make", "-s", "ARCH=" + arch, "test-image", "CMDLINE=" + cmdline,
           "TEST_ISO=" + path]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with open(path + ".txt", "w") as f:
        f.write("cmdline: %s\n$ %s\n%s" % (cmdline, " ".join(cmd),
                                          p.stdout.decode("utf-8", "replace")))
    if p.returncode != 0 or not os.path.exists(path):
        return path, "building %s failed:\n%s" % (path, p.stdout.decode("utf-8", "replace"))
    return path, None


# ==================================================================== output
class Reporter:
    """Prints results as TAP lines, numbering them, and keeps the counts."""

    def __init__(self):
        self.n = self.failed = 0
        self.lock = threading.Lock()

    def emit(self, results):
        with self.lock:
            for r in results:
                self.n += 1
                d = r.desc.replace("#", "\\#")
                if r.ok:
                    print("ok %d - %s" % (self.n, d))
                else:
                    self.failed += 1
                    print("not ok %d - %s" % (self.n, d))
                    for line in r.diag:
                        for sub in str(line).splitlines() or [""]:
                            print("# " + sub)
            sys.stdout.flush()

    def finish(self):
        print("1..%d" % self.n)
        print("%d passed, %d failed" % (self.n - self.failed, self.failed))
        sys.stdout.flush()
        return 1 if self.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tests", nargs="*", help="boot test files (tests/boot/*.test)")
    ap.add_argument("--unit-dir", help="directory of unit-test executables")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="parallel QEMUs (default 2)")
    ap.add_argument("-k", dest="kfilter", default="",
                    help="only tests whose file, name or unit binary contains this")
    ap.add_argument("--arch", action="append", choices=qemu.ARCHES,
                    help="only this arch (repeatable)")
    ap.add_argument("--firmware", action="append", choices=("bios", "uefi"),
                    help="only this firmware (repeatable)")
    ap.add_argument("--no-build", action="store_true",
                    help="do not build missing/stale per-cmdline images")
    ap.add_argument("--list", action="store_true", help="list boot scenarios and exit")
    ap.add_argument("-v", "--verbose", action="store_true", help="trace steps on stderr")
    a = ap.parse_args()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, kill_live_qemus)      # e.g. `harness.py ... | head`
    rep = Reporter()
    if a.unit_dir:
        rep.emit(unit_results(a.unit_dir, a.kfilter, UNIT_TIMEOUT))

    # Parse every file; a bad file is one failure, never silently skipped.
    scenarios = []
    for path in a.tests:
        try:
            t = parse_test_file(path)
        except (ParseError, OSError) as e:
            rep.emit([Result(False, "%s: parse" % os.path.basename(path), [str(e)])])
            continue
        if a.kfilter and a.kfilter not in t.file and a.kfilter not in t.name:
            continue
        for arch, fw in t.matrix():
            if (a.arch and arch not in a.arch) or (a.firmware and fw not in a.firmware):
                continue
            scenarios.append((t, arch, fw))
    if a.list:
        for t, arch, fw in scenarios:
            print("%s [%s/%s] %s%s" % (t.file, arch, fw, t.name,
                                       " cmdline=%r" % t.cmdline if t.cmdline else ""))
        return 0

    # Per-cmdline images, built one at a time before any QEMU starts.
    isos, errors = {}, {}
    for t, arch, fw in scenarios:
        key = (arch, t.cmdline)
        if key not in isos:
            isos[key], errors[key] = image_for(arch, t.cmdline, not a.no_build)

    def job(t, arch, fw):
        err = errors[(arch, t.cmdline)]
        if err:
            return [Result(False, "%s:%s [%s/%s]: %s" % (t.file, s.where(), arch, fw, s.text), [err])
                    for s in t.steps if s.kind not in SILENT_STEPS and s.applies(arch, fw)]
        return run_scenario(t, arch, fw, isos[(arch, t.cmdline)], a.verbose)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        futs = [ex.submit(job, *s) for s in scenarios]
        for f in futs:           # print in a stable order
            rep.emit(f.result())
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
