#!/usr/bin/env python3
"""Memory hot-add benchmark (issue 7, "Numbers"): what a hot-add costs old
memory and how long add + online takes, per GiB.

    python3 tools/bench_hotplug.py [--arch x86_64|arm64]... [--firmware bios|uefi]
        [--sizes 128M,1G,8G,64G] [--memmap on,off] [--path auto|dimm|probe]
        [--mem 1G] [--maxmem 80G]

One boot per memmap_on_memory setting (`on`: the default image; `off`: an
image with memory_hotplug.memmap_on_memory=0, built by `make test-image`,
because /sys/module/memory_hotplug/parameters/memmap_on_memory is read-only
at run time).  QEMU runs with `-m MEM,slots=4,maxmem=MAXMEM` (TCG, never
KVM); every size is one DIMM, plugged in ascending order in the same boot
through QMP: object-add memory-backend-ram (reserve=off: lazily allocated by
the host, no swap reservation) + device_add pc-dimm.  Then, per DIMM:

  dimm   the kernel's ACPI memory-hotplug driver adds and onlines it on its
         own; the time is from its `hotplug: slot N: insert` line to its
         `online` line (printed as they happen: the kernel's add + online),
         host clock, serial arrival times; "wall" is from the device_add.
  probe  the kernel ignores the DIMM (no driver yet): the tool writes every
         128 MiB block's address to /sys/devices/system/memory/probe (add +
         online per auto_online_blocks, one shell command per block) and
         times each command to its prompt.  Right before each, a no-op write
         of the same length (`echo online > .../auto_online_blocks`) is
         timed; the median of the (probe - no-op) differences times the
         number of blocks is the kernel's own time (the serial echo of a
         line costs ~4 ms under TCG; a load spike moves one pair, not the
         median).  Below ~2 ms per block this is noise on a loaded machine.
  auto   dimm if a `hotplug:` line follows the first device_add within a
         few seconds, else probe.  (probe on a kernel with the driver
         fails: the driver has added the DIMM first.)

Old memory consumed by one DIMM, from /proc/meminfo and /proc/vmstat read
before the device_add and after the DIMM is online:
  memmap   = delta nr_memmap_pages
  pgtable  = delta nr_page_table_pages
  total    = delta MemTotal (pages) - delta nr_free_pages: every page of old
             memory that left the free lists (memmap, tables, section roots...)
  hosted   = pages of the DIMM not counted in MemTotal (self-hosted altmap).
Every figure is also given per GiB.  Poisoning stays at the kernel's
default (off).  Figures, not a pass/fail test: run it on an idle machine,
one QEMU at a time (TCG is CPU-bound).
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
from qmp import QMP, QMPError  # noqa: E402

PROMPT = "pagoda> "
BLOCK = 128 << 20
PAGE_KB = 4
MEMMAP_OFF = "memory_hotplug.memmap_on_memory=0"
NOOP = "echo online > /sys/devices/system/memory/auto_online_blocks"
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>c]")
HOTPLUG_RE = re.compile(r"(?m)^hotplug: .*$")


def parse_size(s):
    """'128M', '1G', '64G' -> bytes."""
    m = re.fullmatch(r"(\d+)([KMGT]?)", s.strip().upper())
    if not m:
        raise argparse.ArgumentTypeError("bad size %r" % s)
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2)]


def human(n):
    """bytes -> '128M' / '1G'."""
    return "%dG" % (n >> 30) if n % (1 << 30) == 0 else "%dM" % (n >> 20)


class Console:
    """QEMU's serial port on a pipe: a thread appends decoded text (CRs and
    escape sequences dropped) and remembers when each chunk arrived, so a
    match can be dated to the host clock."""

    def __init__(self, proc, log):
        self.proc, self.text, self.eof = proc, "", False
        self.marks = []            # (len(text) after a chunk, monotonic time)
        self.cond = threading.Condition()
        self.log = open(log, "w")
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            now = time.monotonic()
            with self.cond:
                if not data:
                    self.eof = True
                    self.cond.notify_all()
                    return
                s = ANSI_RE.sub("", data.decode("utf-8", "replace")).replace("\r", "")
                self.log.write(s)
                self.log.flush()
                self.text += s
                self.marks.append((len(self.text), now))
                self.cond.notify_all()

    def time_at(self, pos):
        """Host time at which text[pos] arrived."""
        with self.cond:
            for end, t in self.marks:
                if end > pos:
                    return t
        return time.monotonic()

    def wait(self, regex, start, timeout):
        """The first match of regex in text[start:] (or None after timeout/EOF)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = regex.search(self.text, start)
                if m or self.eof:
                    return m
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.5))

    def quiet_for(self, secs, timeout):
        """Wait until nothing has arrived for secs; return the text length."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.cond:
                last = self.marks[-1][1] if self.marks else 0
                n = len(self.text)
            if time.monotonic() - last >= secs:
                return n
            time.sleep(0.05)
        return len(self.text)

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()


PROMPT_RE = re.compile(r"\n" + re.escape(PROMPT))


class Guest:
    """One QEMU boot: console, QMP, and shell commands with timing."""

    def __init__(self, arch, fw, iso, mem, maxmem, logdir, tag):
        if not os.path.exists(iso):
            raise RuntimeError("%s missing: make ARCH=%s image" % (iso, arch))
        self.arch = arch
        self.tmp = tempfile.mkdtemp(prefix="bench-hotplug-")
        sock = os.path.join(self.tmp, "qmp.sock")
        cmd = qemu.build_command(arch, fw, iso, self.tmp, mem=mem, serial="stdio", qmp=sock,
                                 extra=["-monitor", "none"])
        i = cmd.index("-m")
        cmd[i + 1] = "%s,slots=4,maxmem=%s" % (mem, maxmem)
        assert "kvm" not in " ".join(cmd)
        os.makedirs(logdir, exist_ok=True)
        self.qerr = open(os.path.join(logdir, tag + ".qemu.log"), "w")
        self.qerr.write("$ %s\n" % qemu.format_command(cmd))
        self.qerr.flush()
        self.cmdline = cmd
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.qerr)
        self.con = Console(self.proc, os.path.join(logdir, tag + ".log"))
        self.qmp = QMP(sock, connect_timeout=20)

    def boot(self, timeout=300):
        """Wait for the first prompt after the banner, then for quiet."""
        banner = re.compile(r"(?m)^Pagoda %s " % self.arch)
        m = self.con.wait(banner, 0, timeout)
        if not m or not self.con.wait(re.compile(re.escape(PROMPT)), m.end(), timeout):
            raise RuntimeError("no prompt (see the log)")
        self.con.quiet_for(1.0, 30)

    def run(self, line, timeout=120):
        """Type line, wait for the next prompt; return (output, seconds)."""
        start = len(self.con.text)
        t0 = time.monotonic()
        self.con.send(line)
        # Past the echo of the line first: a prompt the kernel redraws after
        # an unsolicited `hotplug:` line is not this command's.
        e = self.con.wait(re.compile(re.escape(line) + r"\n"), start, timeout)
        m = e and self.con.wait(PROMPT_RE, e.end() - 1, timeout)
        if not m:
            raise RuntimeError("%r: no prompt within %d s" % (line, timeout))
        t1 = self.con.time_at(m.end() - 1)
        out = self.con.text[e.end():m.start() + 1]
        return out, t1 - t0

    def counters(self):
        """MemTotal (pages) and the page counters of /proc/vmstat."""
        mi, _ = self.run("cat /proc/meminfo")
        vs, _ = self.run("cat /proc/vmstat")
        c = {k: int(v) for k, v in re.findall(r"(?m)^(\w+) (\d+)$", vs)}
        c["MemTotal"] = int(re.search(r"(?m)^MemTotal:\s+(\d+) kB", mi).group(1)) // PAGE_KB
        return c

    def stop(self):
        try:
            if self.proc.poll() is None:
                self.con.send("poweroff")
                self.proc.wait(timeout=30)
        except (subprocess.TimeoutExpired, OSError, BrokenPipeError):
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.qmp.close()
        self.qerr.close()
        subprocess.run(["rm", "-rf", self.tmp])


def plug(g, i, size, prealloc=False, dev="bd%d"):
    """object-add (unless the backend exists) + device_add DIMM i of size
    bytes; return (addr, host time of the device_add).  prealloc: the host
    faults the whole backend in first (a control run: it shows what
    first-touch page faults on the host cost the guest)."""
    names = [o["name"] for o in g.qmp.execute("qom-list", {"path": "/objects"})]
    if "bm%d" % i in names:
        pass
    elif prealloc:
        g.qmp.execute("object-add", {"qom-type": "memory-backend-ram", "id": "bm%d" % i,
                                     "size": size, "prealloc": True}, timeout=600)
    else:
        # reserve=off: MAP_NORESERVE, so the host's overcommit heuristic lets
        # a 64 GiB backend exist on a smaller machine (only touched pages count).
        g.qmp.object_add("memory-backend-ram", "bm%d" % i, size=size, reserve=False)
    dev = dev % i
    t0 = time.monotonic()
    g.qmp.device_add("pc-dimm", dev, memdev="bm%d" % i)
    for d in g.qmp.query_memory_devices():
        if d.get("data", {}).get("id") == dev:
            return d["data"]["addr"], t0
    raise RuntimeError("DIMM %s not in query-memory-devices" % dev)


DRIVER_END_RE = re.compile(r"(?m)^hotplug: slot \d+: (online memory|.*left offline|not added|"
                           r"add failed).*$")


def wait_driver(g, start, first_timeout, timeout=1800):
    """Wait for the driver's lines after text offset start: the first
    `hotplug:` line within first_timeout, then the line that ends an insert
    (online, left offline, not added, add failed), then 0.5 s of quiet.
    Returns [(line, host time it arrived)] or None if nothing came."""
    m = g.con.wait(HOTPLUG_RE, start, first_timeout)
    if not m:
        return None
    g.con.wait(DRIVER_END_RE, start, timeout)
    g.con.quiet_for(0.5, 60)
    return [(l.group(0), g.con.time_at(l.end() - 1))
            for l in HOTPLUG_RE.finditer(g.con.text, start)]


def driver_times(lines, t0):
    """From the driver's lines: (seconds from its `insert` line to its
    `online` line - the kernel's add + online, both lines printed as they
    happen -, seconds from device_add to the `online` line, error or '')."""
    ins = [t for l, t in lines if re.search(r": insert \[", l)]
    onl = [t for l, t in lines if re.search(r": online memory|left offline", l)]
    bad = [l for l, t in lines if re.search(r"not added|add failed", l)]
    if bad or not ins or not onl:
        return None, None, bad[0] if bad else "no insert/online line: %s" % [l for l, t in lines]
    return onl[-1] - ins[0], onl[-1] - t0, ""


def probe_dimm(g, addr, size):
    """Probe every block of [addr, addr + size), each right after one no-op
    command of the same length (the machine's load drifts; pairs see the
    same).  Returns (probe round trips, no-op round trips, errors)."""
    rts, noops, errs = [], [], []
    for a in range(addr, addr + size, BLOCK):
        noops.append(g.run(NOOP)[1])
        out, rt = g.run("echo %#018x > /sys/devices/system/memory/probe" % a)
        rts.append(rt)
        if "error" in out:
            errs.append(out.strip())
            break
    return rts, noops, errs


def add_one(g, args, i, size, path, row, dev, addr=None):
    """Plug DIMM i and get it online by path (auto decides on the first
    DIMM); fill row with the time and counter deltas; return the path.
    addr: the DIMM is still plugged there (probe path, second round):
    probe it again without a device_add."""
    before = g.counters()
    start = len(g.con.text)
    if addr is None:
        addr, t0 = plug(g, i, size, args.prealloc, dev)
    row.update(addr=addr, cmds=0, load=os.getloadavg()[0])
    if path in ("auto", "dimm"):
        lines = wait_driver(g, start, 5.0 if path == "auto" else 60.0)
        if lines is not None:
            path = "dimm"
            secs, wall, err = driver_times(lines, t0)
            row.update(path="dimm", secs=secs, wall=wall, lines=[l for l, t in lines],
                       ok=not err, err=err)
        elif path == "dimm":
            row.update(path="dimm", secs=None, ok=False, err="no hotplug: line")
        else:
            path = "probe"
    if path == "probe":
        rts, noops, errs = probe_dimm(g, addr, size)
        # The median of the paired differences, times the blocks: a load
        # spike on the shared machine moves one pair, not the figure.
        diff = statistics.median(p - n for p, n in zip(rts, noops))
        row.update(path="probe", cmds=len(rts), wall=sum(rts), noop=sum(noops),
                   secs=diff * len(rts), ok=not errs, err=errs[0] if errs else "")
    after = g.counters()
    row["delta"] = {k: after[k] - before.get(k, 0) for k in after}
    return path


def remove_one(g, r, i):
    """Take DIMM i (row r) away again: device_del on the driver path, else
    offline and `mem remove` every block (the DIMM stays plugged: without
    the driver the guest cannot eject it).  Returns an error string or ''."""
    if r["path"] == "dimm":
        g.qmp.device_del(r["dev"])
        start = len(g.con.text)
        try:
            g.qmp.wait_event("DEVICE_DELETED", timeout=1200, match={"device": r["dev"]})
        except Exception as e:           # noqa: BLE001 - reported, not raised
            return "device_del %s: %s" % (r["dev"], e)
        g.con.wait(re.compile(r"(?m)^hotplug: .*ejected$"), start, 60)
        g.con.quiet_for(1.0, 60)
        return ""
    # Block by block from the top: without memmap_on_memory a block's memmap
    # may sit in the block below it (probed and onlined just before).
    for a in reversed(range(r["addr"], r["addr"] + r["size"], BLOCK)):
        out, _ = g.run("echo offline > /sys/devices/system/memory/memory%d/state" % (a // BLOCK))
        if "error" not in out:
            out, _ = g.run("mem remove %#x 128M" % a)
        if "mem: removed" not in out:
            return out.strip()
    return ""


def report(r):
    """One progress line for row r."""
    if r["ok"]:
        print("  %s %s memmap %s %-4s %s at %#x: %s %.3f s" % (
            r["arch"], r["fw"], r["memmap"], human(r["size"]), r["round"], r["addr"], r["path"],
            r["secs"]), flush=True)
    else:
        print("  %s %s memmap %s %s %s: %s" % (r["arch"], r["fw"], r["memmap"], human(r["size"]),
                                            r["round"], r.get("err")), flush=True)


def measure_boot(args, arch, fw, iso, memmap, logdir):
    """One boot: plug every size ascending.  Each DIMM is first plugged
    "cold" (the host touches its memory for the first time); unless
    --no-warm it is then taken away again (counters must come back) and
    plugged "warm" (host memory already there: closer to real hardware),
    --repeat times, keeping the fastest.  Returns a list of result dicts."""
    tag = "%s-%s-memmap_%s" % (arch, fw, memmap)
    g = Guest(arch, fw, iso, args.mem, args.maxmem, logdir, tag)
    rows, path = [], args.path
    keys = ("MemTotal", "nr_free_pages", "nr_memmap_pages", "nr_page_table_pages")
    try:
        g.boot()
        mom, _ = g.run("cat /sys/module/memory_hotplug/parameters/memmap_on_memory")
        want = "Y" if memmap == "on" else "N"
        if mom.strip() != want:
            raise RuntimeError("memmap_on_memory is %r, wanted %s" % (mom.strip(), want))
        for i, size in enumerate(args.sizes):
            base = g.counters()
            cold = {"arch": arch, "fw": fw, "memmap": memmap, "size": size, "round": "cold",
                    "dev": "bd%d" % i}
            path = add_one(g, args, i, size, path, cold, "bd%d")
            rows.append(cold)
            report(cold)
            if not cold["ok"]:
                break
            if args.no_warm:
                continue
            warm = None
            for rep in range(args.repeat):
                err = remove_one(g, warm or cold, i)
                if err:
                    print("  remove %s: %s (no more warm rounds)" % (human(size), err), flush=True)
                    break
                now = g.counters()
                diff = {k: (base.get(k), now.get(k)) for k in keys if base.get(k) != now.get(k)}
                if diff:
                    print("  removed %s: counters differ (before, after): %s" % (human(size), diff))
                r = {"arch": arch, "fw": fw, "memmap": memmap, "size": size, "round": "warm",
                     "dev": "bd%dw%d" % (i, rep)}
                add_one(g, args, i, size, path, r, "bd%%dw%d" % rep,
                        cold["addr"] if path == "probe" else None)
                report(r)
                if not r["ok"]:
                    rows.append(r)
                    break
                runs = (warm["runs"] if warm else []) + [r["secs"]]
                if warm is None or r["secs"] < warm["secs"]:
                    warm = r
                warm["runs"] = runs
                warm["dev"] = r["dev"]          # the DIMM plugged now, for the next removal
            if warm:
                rows.append(warm)
        out, _ = g.run("vm_check", timeout=600)
        for r in rows:
            r["vm_check"] = "vm_check: ok" in out
    finally:
        g.stop()
    return rows


def image(arch, memmap):
    """The ISO for arch with memmap_on_memory on (the plain image) or off."""
    if memmap == "on":
        return os.path.join("build", arch, "pagoda.iso")
    import harness
    path, err = harness.image_for(arch, MEMMAP_OFF, True)
    if err:
        raise RuntimeError(err)
    return path


def table(rows):
    """Print the figures: time per GiB, old memory consumed (absolute and
    per GiB), and the on/off time ratio for sizes both boots managed."""
    print()
    print("Time to add + online, host clock (dimm: driver's insert line to online line, wall "
          "from device_add;\n  probe: blocks x median(probe - same-length no-op), wall/noop: "
          "the sums)")
    print("%-7s %-4s %-6s %-5s %-4s %-5s %5s %8s %8s %9s %8s %5s  %s" % (
        "arch", "fw", "memmap", "size", "rnd", "path", "cmds", "wall s", "noop s", "add+onl s",
        "ms/GiB", "load", "warm runs (s)"))
    secs = {}
    for r in rows:
        key = "%-7s %-4s %-6s %-5s %-4s" % (r["arch"], r["fw"], r["memmap"], human(r["size"]),
                                           r["round"])
        if not r["ok"]:
            print("%s %-5s failed: %s" % (key, r.get("path", "?"), r.get("err", "")))
            continue
        print("%s %-5s %5d %8.3f %8.3f %9.3f %8.1f %5.1f  %s" % (
            key, r["path"], r["cmds"], r.get("wall", r["secs"]), r.get("noop", 0.0), r["secs"],
            r["secs"] * 1000 / (r["size"] / (1 << 30)), r["load"],
            " ".join("%.3f" % x for x in r.get("runs", []))))
        secs[(r["arch"], r["fw"], r["round"], r["size"], r["memmap"])] = r["secs"]
    print()
    print("Pages of old memory consumed (memmap = nr_memmap_pages, pgtable = "
          "nr_page_table_pages, old = MemTotal growth - nr_free_pages growth)")
    print("%-7s %-4s %-6s %-5s %-4s %8s %8s %8s | %9s %9s %9s | %9s %9s %8s" % (
        "arch", "fw", "memmap", "size", "rnd", "memmap", "pgtable", "old", "memmap/G", "pgtable/G",
        "old/G", "hosted/G", "MemTotal+", "vm_check"))
    for r in rows:
        if not r["ok"]:
            continue
        gib, d = r["size"] / (1 << 30), r["delta"]
        mm, pt = d.get("nr_memmap_pages", 0), d.get("nr_page_table_pages", 0)
        old = d["MemTotal"] - d.get("nr_free_pages", 0)
        hosted = r["size"] // 4096 - d["MemTotal"]
        print("%-7s %-4s %-6s %-5s %-4s %8d %8d %8d | %9.2f %9.2f %9.2f | %9.2f %9d %8s" % (
            r["arch"], r["fw"], r["memmap"], human(r["size"]), r["round"], mm, pt, old, mm / gib, pt / gib,
            old / gib, hosted / gib, d["MemTotal"], "ok" if r.get("vm_check") else "BAD"))
    print()
    for (a, f, rnd, s, m), on in sorted(secs.items()):
        off = secs.get((a, f, rnd, s, "off"))
        if m == "on" and off:
            print("time ratio memmap_on_memory on/off %-7s %-4s %-4s %-5s %.2f" % (
                a, f, rnd, human(s), on / off))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", choices=qemu.ARCHES, action="append")
    ap.add_argument("--firmware", choices=("bios", "uefi"))
    ap.add_argument("--sizes", default="128M,1G,8G,64G",
                    type=lambda s: [parse_size(x) for x in s.split(",")])
    ap.add_argument("--memmap", default="on,off", type=lambda s: s.split(","))
    ap.add_argument("--path", choices=("auto", "dimm", "probe"), default="auto")
    ap.add_argument("--prealloc", action="store_true",
                    help="preallocate the DIMM backends on the host (control run; needs the RAM)")
    ap.add_argument("--no-warm", action="store_true",
                    help="skip the second round (remove every DIMM, plug it again)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="warm rounds per DIMM (remove, plug again); the fastest is kept")
    ap.add_argument("--mem", default="1G")
    ap.add_argument("--maxmem", default="80G")
    ap.add_argument("--logdir", default=os.path.join("build", "bench-logs"))
    args = ap.parse_args()
    # A kill runs the finally clauses: QEMU is powered off, not orphaned.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(128 + signal.SIGTERM))
    for s in args.sizes:
        if s % BLOCK:
            ap.error("size %d is not a multiple of 128M" % s)
    rows = []
    for arch in args.arch or list(qemu.ARCHES):
        fw = args.firmware or qemu.default_firmware(arch)
        qemu.check_combo(arch, fw)
        for memmap in args.memmap:
            rows += measure_boot(args, arch, fw, image(arch, memmap), memmap, args.logdir)
    table(rows)
    return 0 if rows and all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
